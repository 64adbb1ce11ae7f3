"""The pruning of the resolved tables (`tables._meet`): where every condition walked so far holds,
as a step list [(x, holds at x, holds right of x)] from 0. Worked by hand below."""

from fractions import Fraction as F

from charterverify.tables import _meet


def test_meet_by_hand():
    f = [(F(0), True, True), (F(5), False, True)]  # holds on [0, ∞) except at 5
    g = [(F(0), False, False), (F(3), True, False), (F(7), False, True)]  # at 3, and on (7, ∞)
    # at 0: f yes, g no; at 3 both; at 5 f no (and g no: merged into the run); on (7, ∞) both
    assert _meet(f, g) == [(F(0), False, False), (F(3), True, False), (F(7), False, True)]
    assert _meet(g, f) == _meet(f, g)


def test_meet_rules_a_profile_out_everywhere():
    f = [(F(0), True, True), (F(4), True, False)]  # [0, 4]
    g = [(F(0), False, False), (F(4), False, True)]  # (4, ∞)
    out = _meet(f, g)
    assert not any(a or b for _, a, b in out)
    assert out == [(F(0), False, False)]
