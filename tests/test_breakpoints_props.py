"""Invariants of the breakpoint analysis on random charters, checked with the direct evaluator."""

from fractions import Fraction as F

from hypothesis import HealthCheck, given, settings

from charterverify.affine import variable
from charterverify.evaluate import choice_of, evaluate_exit, waterfall
from charterverify.game import unit_payoff
from charterverify.solver.breakpoints import analyze

from strategies import charters

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _probes(an):
    """Exit values strictly inside every piece (and far beyond the last breakpoint)."""
    out = []
    for p in an.pieces:
        hi = p.hi if p.hi is not None else p.lo * 3 + 1000
        for t in (F(1, 7), F(1, 2), F(6, 7)):
            out.append((p, p.lo + (hi - p.lo) * t))
    return out


@SETTINGS
@given(charters())
def test_breakpoint_invariants(case):
    """On random charters: payouts follow the piece functions, breakpoints are real, jumps are
    reported, and a unit that switches at a crossover is indifferent there unless its own payoff jumps."""
    _, model = case
    an = analyze(model)
    assert an.complete
    xs = [b.x for b in an.breakpoints]
    assert xs == sorted(set(xs)) and all(x > 0 for x in xs)
    # between breakpoints every payout is the piece's affine function (direct evaluator)
    for piece, x in _probes(an):
        r = evaluate_exit(model, x)
        for h, (a, s) in piece.forms.items():
            assert r.payouts[h] == a + s * x, (h, x)
    units = an.units
    for b in an.breakpoints:
        left, right = an.piece_at(b.x - F(1, 10**9)), an.piece_at(b.x + F(1, 10**9))
        assert right is not None and left is not None
        jumps = {h: right.at(h, b.x) - left.at(h, b.x) for h in right.forms}
        assert {h: v for h, v in jumps.items() if v} == b.jumps
        # where a conversion vote starts or stops being taken (reading votes_in_sale) the units switch
        # by the vote, not by indifference, and the end of its range is a breakpoint even where no
        # payout changes (the vote's last exit value, when the series then convert on their own)
        voted = any("conversion vote" in c for c in b.causes)
        assert b.jumps or left.forms != right.forms or voted
        if voted:
            continue
        # the point value is the solver's exact payout there, cross-checked directly
        assert evaluate_exit(model, b.x).payouts == b.at.payouts
        for j, u in enumerate(units):
            lp, rp = left.profile, right.profile
            # (a piece with no pure equilibrium reports the no-conversion profile: no switch to check)
            if left.profiles and right.profiles and lp[j] != rp[j] and lp[:j] + lp[j + 1:] == rp[:j] + rp[j + 1:]:
                payoffs = []
                continuous = True
                for prof in (lp, rp):
                    vals = [unit_payoff(model, u, waterfall(model, variable(b.x, d), choice_of(units, prof))).v
                            for d in (-1, 1)]
                    continuous &= vals[0] == vals[1]
                    payoffs.append(vals[0])
                if continuous:
                    assert payoffs[0] == payoffs[1], (u.id, b.x)
