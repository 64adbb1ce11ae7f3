"""Hand-worked payouts for Valuestar Corporation (Series B designation), both paths.

Assumed cap table: Series A (external, senior) 1,000,000 shares, $5.00 per share
non-participating, not converting; Series B 800,000; common 8,000,000.
B.1: after Series A, B gets $17.50 per share; then B (as converted) and common
share pro rata until B has $30.00 per share in total, preference included;
then common alone. B.2: a B shortfall is shared by preference (one series).
D.1: B converts into $17.50 / $1.75 = 10 common per share -> 8,000,000 as converted.

Breakpoints (DOMAIN.md worked example, checked against B.1 / B.2 / D.1):
  $5,000,000   Series A: 1,000,000 x $5.00
  $19,000,000  + Series B preference 800,000 x $17.50 = $14,000,000
  $39,000,000  B at its cap 800,000 x $30.00 = $24,000,000: needs 10,000,000 more,
               which is half (8,000,000 of 16,000,000 shares) of 20,000,000
  $53,000,000  B converts: (E - 5,000,000) x 8/16 > 24,000,000 -> E > 53,000,000
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from charterverify.evaluate import evaluate_exit
from charterverify.model import load_model
from charterverify.solver import solve_exit

CHARTER = Path(__file__).resolve().parents[1] / "charters" / "valuestar.toml"

F = Fraction

# (exit value, expected payouts, converted, equilibria or None where the count
#  depends on how a tie is counted)
CASES = [
    pytest.param(
        # Inside Series A's preference: A takes everything. B gets 0 whether it keeps
        # (nothing left for its preference) or converts (residual 0) -> tie, keeps.
        F(3_000_000),
        {"A": F(3_000_000), "B": F(0), "common": F(0)},
        (),
        None,
        id="inside-A-preference",
    ),
    pytest.param(
        # Exactly Series A's preference: 1,000,000 x 5.00.
        F(5_000_000),
        {"A": F(5_000_000), "B": F(0), "common": F(0)},
        (),
        None,
        id="at-A-preference",
    ),
    pytest.param(
        # Below the stack, inside B's preference: B gets 12,000,000 - 5,000,000
        # = 7,000,000 ($8.75 per share). Converting would give (12,000,000 - 5,000,000)
        # x 8,000,000 / 16,000,000 = 3,500,000 < 7,000,000 -> keeps.
        F(12_000_000),
        {"A": F(5_000_000), "B": F(7_000_000), "common": F(0)},
        (),
        1,
        id="below-stack",
    ),
    pytest.param(
        # Exactly the stack: A 5,000,000 + B 800,000 x 17.50 = 14,000,000.
        # Converting: (19,000,000 - 5,000,000) / 2 = 7,000,000 < 14,000,000.
        F(19_000_000),
        {"A": F(5_000_000), "B": F(14_000_000), "common": F(0)},
        (),
        1,
        id="at-stack",
    ),
    pytest.param(
        # Participation: residual 29,000,000 - 19,000,000 = 10,000,000 shared
        # 8,000,000 : 8,000,000 -> 5,000,000 each. B: 14,000,000 + 5,000,000
        # = 19,000,000 (< cap 24,000,000). Converting: (29,000,000 - 5,000,000) / 2
        # = 12,000,000 < 19,000,000.
        F(29_000_000),
        {"A": F(5_000_000), "B": F(19_000_000), "common": F(5_000_000)},
        (),
        1,
        id="participating",
    ),
    pytest.param(
        # Cap reached exactly: residual 20,000,000 split 10,000,000 / 10,000,000;
        # B: 14,000,000 + 10,000,000 = 24,000,000 = 800,000 x 30.00.
        # Converting: (39,000,000 - 5,000,000) / 2 = 17,000,000 < 24,000,000.
        F(39_000_000),
        {"A": F(5_000_000), "B": F(24_000_000), "common": F(10_000_000)},
        (),
        1,
        id="cap-binds",
    ),
    pytest.param(
        # Flat zone: B stays at 24,000,000; common 45,000,000 - 5,000,000
        # - 24,000,000 = 16,000,000. Converting: (45,000,000 - 5,000,000) / 2
        # = 20,000,000 < 24,000,000 -> keeps.
        F(45_000_000),
        {"A": F(5_000_000), "B": F(24_000_000), "common": F(16_000_000)},
        (),
        1,
        id="flat-zone",
    ),
    pytest.param(
        # Crossover: converting gives (53,000,000 - 5,000,000) / 2 = 24,000,000 = the
        # cap -> tie, B keeps. Common: 53,000,000 - 5,000,000 - 24,000,000 = 24,000,000.
        F(53_000_000),
        {"A": F(5_000_000), "B": F(24_000_000), "common": F(24_000_000)},
        (),
        None,
        id="crossover-tie",
    ),
    pytest.param(
        # Just past the crossover: (60,000,000 - 5,000,000) / 2 = 27,500,000 > 24,000,000,
        # so B converts; common gets the other half.
        F(60_000_000),
        {"A": F(5_000_000), "B": F(27_500_000), "common": F(27_500_000)},
        ("B",),
        1,
        id="converted",
    ),
    pytest.param(
        # Well above: (100,000,000 - 5,000,000) / 2 = 47,500,000 each to B (8,000,000
        # as converted) and common (8,000,000).
        F(100_000_000),
        {"A": F(5_000_000), "B": F(47_500_000), "common": F(47_500_000)},
        ("B",),
        1,
        id="well-above",
    ),
]


@pytest.fixture(scope="module")
def model():
    return load_model(CHARTER)


@pytest.mark.parametrize("run", [solve_exit, evaluate_exit], ids=["z3", "direct"])
@pytest.mark.parametrize(("exit_value", "expected", "converted", "equilibria"), CASES)
def test_valuestar_payouts(model, run, exit_value, expected, converted, equilibria):
    r = run(model, exit_value)
    assert sum(expected.values()) == exit_value  # the hand values spend the whole exit
    assert {k: Fraction(v) for k, v in r.payouts.items()} == expected
    assert tuple(r.converted) == converted
    assert r.unique_payouts
    if equilibria is not None:
        assert r.equilibria == equilibria
