"""monotonicity's branches that no real charter reaches today, on hand-built analyses.

With the direct waterfall every holder's payout is non-decreasing in the exit value inside a
piece (each step pays a share of a non-decreasing remainder, capped or pro rata), so a negative
slope cannot come from a charter: the property keeps the branch as a guard, and these tests
drive it with an `Analysis` whose pieces are written by hand. The same goes for a drop at a
breakpoint that only shows closer to it than the finest decimal grid (1e-6), which needs the
exact fallback search, and for a payout at a breakpoint above its right limit.

The model is tests/charters/good/simple.toml (holders A, B, common); A and B get 0 throughout.

Mutations that kill these tests (each run by hand, see docs/testing.md):
- `if slope >= 0` -> `if slope > 0` in the piece loop (every zero slope becomes a finding);
- the exact fallback removed (`if pair is None:` -> `if False:` before "shrink towards x");
- dropping the `R < V` right-limit drop condition (the surviving mutant issue 17 names).
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction as F

from charterverify.findings import Severity
from charterverify.model import load_model
from charterverify.properties import monotonicity
from charterverify.solver.breakpoints import Analysis, Breakpoint, Piece, Point

from propsupport import GOOD

MODEL = load_model(GOOD / "simple.toml")
UNITS = MODEL.units()
KEEP = tuple(False for _ in UNITS)
ZERO = (F(0), F(0))


def _piece(lo, hi, form, holder="common") -> Piece:
    forms = {h: ZERO for h in MODEL.holders}
    forms[holder] = form
    return Piece(F(lo), None if hi is None else F(hi), KEEP, (KEEP,), forms, True)


def _analysis(pieces, points=(), holder="common", causes=None) -> Analysis:
    pts = {}
    for x, v in points:
        pay = {h: F(0) for h in MODEL.holders}
        pay[holder] = F(v)
        pts[F(x)] = Point(F(x), KEEP, (KEEP,), pay, True)
    bps = [Breakpoint(x, list(causes), {}, {}, {}, pt) for x, pt in pts.items()] if causes else []
    return Analysis(MODEL, UNITS, list(pieces), bps, list(pieces), pts)


def _witnesses(an):
    return [(f.severity, {k: v for k, v in f.witness.items() if k != "causes"})
            for f in monotonicity.check(MODEL, an)]


def _texts(an):
    """(message, clause, line) of each finding; line 59 is `common_outstanding` in simple.toml."""
    return [(f.message, f.clause, f.line) for f in monotonicity.check(MODEL, an)]


def test_negative_slope_inside_a_piece():
    # common = 100 - x/2 on (0, oo): falls by $0.50 per $1. The two witnesses are the roundest
    # points of the piece: 1 and 2, where common gets 99.50 and 99.
    an = _analysis([_piece(0, None, (F(100), F(-1, 2)))])
    assert _witnesses(an) == [(Severity.ERROR, {
        "holder": "common", "exit_low": "1", "exit_high": "2", "payout_low": "99.5", "payout_high": "99",
        "from": "0", "to": None, "slope": "-0.5"})]
    assert _texts(an) == [("Common stock receives less at $2 than at $1 ($99 vs $99.50): its payout falls by "
                           "$0.50 per $1 of exit value for exit values from $0 up", None, 59)]


def test_negative_slope_of_a_series_on_a_narrow_piece():
    # Series A = 30 - 2x on (5, 5.5), 20 on (0, 5] and 19 from 5.5 on: a fall of $2 per $1 between
    # 5.1 and 5.2 (the roundest points inside the piece), and no drop at 5 or 5.5 (the limits and
    # the values there agree: 20 and 19). The clause is A's preference and tier, 4.B.2(a), once.
    pieces = [_piece(0, 5, (F(20), F(0)), "A"), _piece(5, "5.5", (F(30), F(-2)), "A"),
              _piece("5.5", None, (F(19), F(0)), "A")]
    an = _analysis(pieces, points=[(5, 20), ("5.5", 19)], holder="A")
    assert _witnesses(an) == [(Severity.ERROR, {
        "holder": "A", "exit_low": "5.1", "exit_high": "5.2", "payout_low": "19.8", "payout_high": "19.6",
        "from": "5", "to": "5.5", "slope": "-2"})]
    [f] = monotonicity.check(MODEL, an)
    assert (f.rule, f.verdict.value) == ("monotonicity", "refuted")
    assert f.message == ("Series A receives less at $5.20 than at $5.10 ($19.60 vs $19.80): its payout falls by "
                         "$2 per $1 of exit value for exit values from $5 to $5.50")
    assert f.clause == "4.B.2(a)"


def test_unproved_piece_is_unknown():
    an = _analysis([_piece(0, 10, (F(0), F(1))), _piece(10, None, (F(10), F(0)))])
    an.segments[1] = dataclasses.replace(an.segments[1], proved=False, reason="canceled")
    [f] = monotonicity.check(MODEL, an)
    assert (f.rule, f.severity, f.verdict.value) == ("monotonicity", Severity.WARNING, "unknown")
    assert f.message == "That every payout is non-decreasing is not proved for exit values from $10 up: canceled"


def test_flat_and_rising_pieces_are_not_falls():
    an = _analysis([_piece(0, 10, (F(0), F(1))), _piece(10, None, (F(10), F(0)))])
    assert _witnesses(an) == []


def test_dip_narrower_than_the_finest_grid_needs_the_exact_search():
    # Pieces (0, 5 - 1e-8) and (5 - 1e-8, 5) pay common 10, the breakpoint 5 itself pays 5, and
    # (5, oo) pays 10 again. No decimal grid down to 1e-6 has a point in the narrow left piece
    # (x - 1e-6 lies in the first piece, outside `left`), so only the exact search finds the fall:
    # eps = min(1e-8, 2) / 2 = 5e-9, and (5 - 5e-9, 5) pays 10 then 5.
    x, d = F(5), F(1, 10**8)
    an = _analysis([_piece(0, x - d, (F(10), F(0))), _piece(x - d, x, (F(10), F(0))), _piece(x, None, (F(10), F(0)))],
                   points=[(x, 5)])
    assert _witnesses(an) == [(Severity.ERROR, {
        "holder": "common", "exit_low": "4.999999995", "exit_high": "5", "payout_low": "10",
        "payout_high": "5", "breakpoint": "5", "drop": "5"})]
    assert _texts(an) == [("Common stock receives less at $5 than at $4.999999995 ($5 vs $10): payouts change",
                           None, 59)]


def test_payout_at_the_breakpoint_above_its_right_limit():
    # common: 10 up to 5, 20 at 5 itself, 15 after. Neither limit is below the left one (15 > 10):
    # only "R < V" (right limit below the value at the breakpoint) reports the fall from 5 to 6.
    an = _analysis([_piece(0, 5, (F(10), F(0))), _piece(5, None, (F(15), F(0)))], points=[(5, 20)],
                   causes=["the waterfall changes"])
    assert _witnesses(an) == [(Severity.ERROR, {
        "holder": "common", "exit_low": "5", "exit_high": "6", "payout_low": "20", "payout_high": "15",
        "breakpoint": "5", "drop": "5"})]
    # no unit switches there: the breakpoint's own causes are the reason given
    assert _texts(an) == [("Common stock receives less at $6 than at $5 ($15 vs $20): the waterfall changes", None, 59)]


CLAUSES = '''format = 1

[charter]
id = "clauses"
name = "Clauses, Inc."

[common]
authorized = 10000
source = "4.A"

[preferred]
authorized = 1000
source = "4.A"

[[series]]
id = "B"
designated = 500
original_issue_price = "4"
source = "4.B"

[series.preference]
per_share = "4"
source = "4.B.2(b)"

[series.participation]
kind = "full"
source = "4.B.3"

[[tiers]]
id = "preferred"
series = ["B"]
source = "4.B.2"

[captable]
common_outstanding = 2000
'''


def test_a_series_fall_names_its_preference_participation_and_tier_clauses(tmp_path):
    """Series B's preference (4.B.2(b)), participation (4.B.3) and tier (4.B.2) clauses, in that
    order. Mutations that kill it (mutmut survivors of the first runs): any of the three
    dropped from `_holder_clauses`, or the tier looked up for another holder."""
    path = tmp_path / "clauses.toml"
    path.write_text(CLAUSES, encoding="utf-8")
    model = load_model(path)
    keep = tuple(False for _ in model.units())
    forms = {h: ZERO for h in model.holders}
    forms["B"] = (F(100), F(-1))
    an = Analysis(model, model.units(), [Piece(F(0), None, keep, (keep,), forms, True)], [],
                  [Piece(F(0), None, keep, (keep,), forms, True)], {})
    [f] = monotonicity.check(model, an)
    assert f.clause == "4.B.2(b); 4.B.3; 4.B.2"
    assert f.message.startswith("Series B receives less at $2 than at $1 ($98 vs $99)")
