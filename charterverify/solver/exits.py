"""Payouts at the exit values a user asks for, by the fastest exact path that applies.

Three paths give the same exact `ExitResult` (the differential tests hold them to it):

- ``tables``: with up to `MAX_TABLE_UNITS` deciding units, every profile's payouts are
  tabulated once (`tables.Tables`) and each exit value is a lookup and an affine evaluation;
  the equilibria at the value are read off the exhaustive incentive sweep.
- ``pieces``: an analysis already made (or made once here for many values) is read: on a
  proved piece the payouts are its affine forms and the equilibria its segment's; at a
  breakpoint the exact point. Values on an unproved piece fall back to z3.
- ``z3``: point queries, one per value (`PointSolver`), where neither applies.

`results_at` says which path answered, so the JSON can say it too.
"""

from __future__ import annotations

from fractions import Fraction

from ..evaluate import ExitResult, make_result
from ..game import profile_key
from ..model import Charter
from ..tables import MAX_TABLE_UNITS, Tables, fits_tables
from .breakpoints import analyze, covering
from .point import PointSolver

# with more deciding units than the tables hold, one analysis pays off from this many values on
PIECES_FROM = 8

METHODS = ("tables", "pieces", "z3")


def results_at(model: Charter, values, analysis=None, rlimit: int | None = None) -> tuple[list[ExitResult], str]:
    """The result at every value, in order, and the path that answered (one of `METHODS`).

    With an `analysis` at hand its tables or proved pieces answer; otherwise the tables when the
    charter is small enough, one analysis when many values are asked of a large charter, and z3
    point queries for the rest.
    """
    values = [Fraction(v) for v in values]
    if analysis is not None and analysis.tables is not None:
        return [analysis.tables.evaluate(v) for v in values], "tables"
    if analysis is None and fits_tables(model, MAX_TABLE_UNITS):
        tables = Tables(model)
        return [tables.evaluate(v) for v in values], "tables"
    if model.readings.votes_in_sale:  # the vote move is read off the tables or solved point by point
        ps = PointSolver(model, rlimit)
        return [ps.solve(v) for v in values], "z3"
    if analysis is None and len(values) >= PIECES_FROM:
        analysis = analyze(model, rlimit)
    if analysis is not None:
        return _from_pieces(model, analysis, values, rlimit)
    ps = PointSolver(model, rlimit)
    return [ps.solve(v) for v in values], "z3"


def _from_pieces(model: Charter, analysis, values: list[Fraction], rlimit) -> tuple[list[ExitResult], str]:
    """Read every value off the analysis: an exact point, or a proved segment's forms and equilibria.

    A value on an unproved segment is answered by a z3 point query; if any is, the path is "z3"
    for honesty (the answer did not come from a proof over the piece).
    """
    units = analysis.units
    segments = analysis.segments
    los = [s.lo for s in segments]
    ps = None
    out: list[ExitResult] = []
    used_z3 = False
    for x in values:
        point = analysis.points.get(x)
        if point is not None:
            eqs = [(pr, point.payouts) for pr in sorted(point.profiles, key=profile_key)] if point.unique_payouts else None
            if eqs is not None:
                out.append(make_result(model, x, units, point.profile, point.payouts, eqs))
                continue
        else:
            seg = covering(segments, los, x)
            if seg is not None and seg.proved and seg.unique_payouts:
                pay = {h: a + b * x for h, (a, b) in seg.forms.items()}
                eqs = [(pr, pay) for pr in sorted(seg.profiles, key=profile_key)]
                out.append(make_result(model, x, units, seg.profile, pay, eqs))
                continue
        # an unproved segment, or equilibria whose payouts differ (each is needed): ask z3 here
        ps = ps or PointSolver(model, rlimit)
        out.append(ps.solve(x))
        used_z3 = True
    return out, ("z3" if used_z3 else "pieces")
