"""Invariants of the breakpoint analysis on random charters, checked with the direct evaluator."""

from fractions import Fraction as F

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charterverify.evaluate import equilibria, evaluate_exit, unit_payoff, waterfall, choice_of
from charterverify.solver.breakpoints import analyze

from strategies import charters

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
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
def test_payout_is_the_piece_function(case):
    """Between breakpoints every payout is the piece's affine function (direct evaluator)."""
    _, model = case
    an = analyze(model)
    assert an.complete
    xs = [b.x for b in an.breakpoints]
    assert xs == sorted(set(xs)) and all(x > 0 for x in xs)
    for piece, x in _probes(an):
        r = evaluate_exit(model, x)
        for h, (a, s) in piece.forms.items():
            assert r.payouts[h] == a + s * x, (h, x)


@SETTINGS
@given(charters())
def test_breakpoints_are_real_and_jumps_reported(case):
    """Each breakpoint changes a slope or jumps; a jump equals right limit minus left limit."""
    _, model = case
    an = analyze(model)
    for b in an.breakpoints:
        left = an.piece_at(b.x - F(1, 10**9)) if b.x > F(1, 10**9) else None
        right = an.piece_at(b.x + F(1, 10**9))
        assert right is not None and left is not None
        jumps = {h: right.at(h, b.x) - left.at(h, b.x) for h in right.forms}
        assert {h: v for h, v in jumps.items() if v} == b.jumps
        assert b.jumps or left.forms != right.forms
        # the point value is the solver's exact payout there, cross-checked directly
        assert evaluate_exit(model, b.x).payouts == b.at.payouts


@SETTINGS
@given(charters())
def test_switching_unit_is_indifferent_at_crossover(case):
    """A unit that starts to act at a breakpoint gets the same payoff acting or not there."""
    _, model = case
    an = analyze(model)
    units = an.units
    for i, p in enumerate(an.pieces[1:], start=1):
        prev = an.pieces[i - 1]
        x = p.lo
        for j, u in enumerate(units):
            if prev.profile[j] != p.profile[j] and prev.profile[:j] + prev.profile[j + 1:] == p.profile[:j] + p.profile[j + 1:]:
                acting = waterfall(model, x, choice_of(units, p.profile))
                keeping = waterfall(model, x, choice_of(units, prev.profile))
                assert unit_payoff(model, u, acting) == unit_payoff(model, u, keeping)
