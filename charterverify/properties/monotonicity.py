"""monotonicity: every holder's payout is non-decreasing in the exit value.

From the analysis (pieces proved by z3, breakpoint payouts exact): a fall is a negative slope
on a piece, or a drop at a breakpoint between the left limit, the payout at the breakpoint
itself and the right limit. Each fall is shown by two concrete exit values (whole dollars when
possible) and the exact payouts at both, in the reported equilibrium.

Severity: warning when the fall comes with a class-vote switch (a collective decision: the
outvoted members, and holders ranking beside the group, lose value because the vote's carrier
chose for the group); error otherwise (a negative slope, or a jump at an individual conversion
or at a change of the waterfall itself).
"""

from __future__ import annotations

from fractions import Fraction

from ..findings import Finding, Severity
from ..model import Charter
from ..solver.breakpoints import Analysis, describe_switch
from .base import (
    Locator, fx, grid_pairs, holder_label, make_finding, money, piece_value, profile_at, range_text,
    simplest_between, unit_source, unproved_findings,
)

RULE = "monotonicity"
DESCRIPTION = "every holder's payout is non-decreasing in the exit value"


def _holder_clauses(model: Charter, h: str) -> list[str]:
    try:
        s = model.get_series(h)
    except KeyError:
        return []
    out = []
    if s.preference:
        out.append(s.preference.source)
    if s.participation.source:
        out.append(s.participation.source)
    tier = model.tier_of(h)
    if tier is not None and tier.source not in out:
        out.append(tier.source)  # a series with no preference can still share a tier's shortfall
    return out or [s.source]


def check(model: Charter, an: Analysis) -> list[Finding]:
    loc = Locator(model)
    out: list[Finding] = []
    pieces = an.pieces
    bp_at = {b.x: b for b in an.breakpoints}
    for h in model.holders:
        # falls inside a piece
        for p in pieces:
            slope = p.forms[h][1]
            if slope >= 0:
                continue
            a = simplest_between(p.lo, p.hi)
            b = simplest_between(a, p.hi)
            va, vb = piece_value(p, h, a), piece_value(p, h, b)
            out.append(make_finding(
                model, RULE, Severity.ERROR,
                f"{holder_label(model, h)} receives less at {money(b)} than at {money(a)} "
                f"({money(vb)} vs {money(va)}): its payout falls by {money(-slope)} per $1 of exit value "
                f"for exit values {range_text(p.lo, p.hi)}",
                clause=_holder_clauses(model, h), key=loc.holder(h),
                witness={"holder": h, "exit_low": fx(a), "exit_high": fx(b), "payout_low": fx(va),
                         "payout_high": fx(vb), "from": fx(p.lo), "to": fx(p.hi), "slope": fx(slope)},
            ))
        # drops at a junction (x = 0 and every breakpoint)
        for i, right in enumerate(pieces):
            x = right.lo
            left = pieces[i - 1] if i > 0 else None
            pt = an.points.get(x)
            V = pt.payouts[h] if pt is not None else piece_value(right, h, x)
            L = piece_value(left, h, x) if left is not None else None
            R = piece_value(right, h, x)
            if not ((L is not None and V < L) or R < V or (L is not None and R < L)):
                continue
            f = _junction(model, an, loc, h, x, left, right, V, bp_at.get(x))
            if f is not None:
                out.append(f)
    out += unproved_findings(model, an, RULE, "That every payout is non-decreasing")
    return out


def _junction(model, an, loc, h, x, left, right, V, bp) -> Finding | None:
    def val(e: Fraction) -> Fraction | None:
        if e == x:
            return V
        if e < x:
            if left is None or e <= left.lo:
                return None
            return piece_value(left, h, e)
        if right.hi is not None and e >= right.hi:
            return None
        return piece_value(right, h, e)

    pair = None
    for a, b in grid_pairs(x):
        if a < 0:
            continue
        va, vb = val(a), val(b)
        if va is not None and vb is not None and vb < va:
            pair = (a, b, va, vb)
            break
    if pair is None:  # exact fallback: shrink towards x
        lo = left.lo if left is not None else x
        hi = right.hi if right.hi is not None else x + 2
        eps = min([d for d in (x - lo, hi - x) if d > 0] or [Fraction(1)]) / 2
        for _ in range(400):
            for a, b in ((x - eps, x + eps), (x, x + eps), (x - eps, x)):
                va, vb = val(a), val(b)
                if a >= 0 and va is not None and vb is not None and vb < va:
                    pair = (a, b, va, vb)
                    break
            if pair:
                break
            eps /= 2
    if pair is None:
        return None
    a, b, va, vb = pair
    pa, pb = profile_at(an, a), profile_at(an, b)
    switched = [(u, pb[i]) for i, u in enumerate(an.units) if pa[i] != pb[i]]
    votes = [(u, acting) for u, acting in switched if u.kind == "class_vote"]
    if votes:
        severity = Severity.WARNING
        cause_units = votes
    else:
        severity = Severity.ERROR
        cause_units = switched
    if cause_units:
        causes = [describe_switch(model, u, acting) for u, acting in cause_units]
        clause = [unit_source(model, u) for u, _ in cause_units]
        key = loc.unit(cause_units[0][0])
    else:
        causes = list(bp.causes) if bp is not None else ["payouts change"]
        clause = _holder_clauses(model, h)
        key = loc.holder(h)
    msg = (f"{holder_label(model, h)} receives less at {money(b)} than at {money(a)} "
           f"({money(vb)} vs {money(va)}): {'; '.join(causes)}")
    if votes:
        u = votes[0][0]
        who = f"Series {u.controller} carries the vote alone" if u.controller else "the group's total payout decides"
        msg += f", where {who}"
    return make_finding(
        model, RULE, severity, msg, clause=clause, key=key,
        witness={"holder": h, "exit_low": fx(a), "exit_high": fx(b), "payout_low": fx(va),
                 "payout_high": fx(vb), "breakpoint": fx(x), "drop": fx(va - vb),
                 "causes": causes},
    )
