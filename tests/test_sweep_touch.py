"""The z3 sweep where a unit's gain touches zero at one exit value (tests/charters/good/touching_gain.toml).

Before the fix in `Sweep._incentive_bound` (the gain at each kink it steps onto is checked at the
point itself, not only its one-sided limits), the sweep carried D's conversion across $4,651.1785
and marked the piece unproved ("internal: a reported equilibrium fails at 9302357/2000"); with that
check removed, `test_the_sweep_finds_the_isolated_point` fails.
"""
from fractions import Fraction as F
from pathlib import Path

import pytest

from charterverify.evaluate import equilibria
from charterverify.model import load_model
from charterverify.tables import Tables

from sweep_support import assert_sweep_equals_tables, forced_sweep

CHARTER = Path(__file__).resolve().parent / "charters" / "good" / "touching_gain.toml"
TOUCH = F(9302357, 2000)  # $4,651.1785: D's 2 x $0.014 x 33 = $0.924 preference paid in full
KEEP = (False, False, False, False)  # units A, B, D, pool0
D_CONVERTS = (False, False, True, False)


@pytest.fixture(scope="module")
def model():
    return load_model(CHARTER)


def test_d_is_indifferent_at_the_touch_and_converts_on_either_side(model):
    """The direct evaluator (independent of the sweep): at the touch D keeps and is paid $0.924
    (231/250); a cent below or above it D converts and is paid its cash less the shortfall:
    E - 9300509/2000, i.e. $0.914 and $0.934."""
    [(prof, pay)] = equilibria(model, TOUCH)
    assert prof == KEEP and pay["D"] == F(231, 250)
    for x, d in ((TOUCH - F(1, 100), F(914, 1000)), (TOUCH + F(1, 100), F(934, 1000))):
        [(prof, pay)] = equilibria(model, x)
        assert prof == D_CONVERTS and pay["D"] == d == x - F(9300509, 2000)


def test_the_sweep_finds_the_isolated_point(model):
    """With the tables turned off, the z3 sweep proves every piece and reports the touch as a point of
    its own, equal to the tables' answer everywhere."""
    an = forced_sweep(model)
    assert an.tables is None and an.complete
    assert all(seg.proved for seg in an.segments)
    assert an.points[TOUCH].profiles == (KEEP,)
    assert [(s.lo, s.hi) for s in an.segments if s.profile == D_CONVERTS] == [
        (F(476386605763, 102430000), TOUCH), (TOUCH, F(9478709, 2000))]
    assert_sweep_equals_tables(an, Tables(model))
