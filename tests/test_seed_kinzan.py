"""Hand-worked payouts for Kinzan, Inc. (Article FOURTH), checked on both paths.

Cap table (assumption): A 5,847,895; B 5,000,000; C 2,500,000; common 10,000,000.
FOURTH.B.2(a): one pari passu tier, preference = OIP ($0.90 / $4.00 / $12.30),
shortfall in proportion to the full preferential amounts; the rest to common
only (non-participating). FOURTH.B.4(a): conversion price = OIP, ratio 1:1.

Preference stack:
  A: 5,847,895 x $0.90  =  $5,263,105.50
  B: 5,000,000 x $4.00  = $20,000,000
  C: 2,500,000 x $12.30 = $30,750,000
  total                 = $56,013,105.50

Crossovers (ratio 1:1, so a series converts when the common price per share
*with* it converted strictly exceeds its preference per share):
  A (B, C keep):  (E - 50,750,000) / 15,847,895 > 0.90
                  -> E > 50,750,000 + 14,263,105.50 = $65,013,105.50
  B (A converted, C keeps): (E - 30,750,000) / 20,847,895 > 4.00
                  -> E > 30,750,000 + 83,391,580 = $114,141,580
  C (A, B converted): E / 23,347,895 > 12.30
                  -> E > $287,179,108.50
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from charterverify.evaluate import evaluate_exit
from charterverify.model import load_model
from charterverify.solver import solve_exit

CHARTER = Path(__file__).resolve().parents[1] / "charters" / "kinzan.toml"

F = Fraction

# (exit value, expected payouts, converted, equilibria or None where the count
#  depends on how a tie is counted)
CASES = [
    pytest.param(
        # Below the stack: half of it. Shortfall shared by full preferential amounts,
        # so each series gets 28,006,552.75 / 56,013,105.50 = 1/2 of its amount.
        F("28006552.75"),
        {
            "A": F("2631552.75"),  # 5,263,105.50 / 2
            "B": F(10_000_000),  # 20,000,000 / 2
            "C": F(15_375_000),  # 30,750,000 / 2
            "common": F(0),
        },
        (),
        1,  # converting would give a series 0 of a residual of 0 < its share
        id="below-stack-half",
    ),
    pytest.param(
        # Exactly the stack: every preference paid in full, nothing left.
        F("56013105.50"),
        {
            "A": F("5263105.50"),  # 5,847,895 x 0.90
            "B": F(20_000_000),  # 5,000,000 x 4.00
            "C": F(30_750_000),  # 2,500,000 x 12.30
            "common": F(0),
        },
        (),
        1,
        id="at-stack",
    ),
    pytest.param(
        # Above the stack, nobody converts: common gets 60,013,105.50 - 56,013,105.50
        # = 4,000,000 ($0.40 per share). A converting: (60,013,105.50 - 50,750,000)
        # / 15,847,895 = $0.58 per share < $0.90, so A keeps its preference.
        F("60013105.50"),
        {
            "A": F("5263105.50"),
            "B": F(20_000_000),
            "C": F(30_750_000),
            "common": F(4_000_000),  # 10,000,000 x 0.40
        },
        (),
        1,
        id="above-stack-no-conversion",
    ),
    pytest.param(
        # A's crossover: common price 9,000,000 / 10,000,000 = $0.90 = A's preference;
        # converted A would get 5,847,895 x (14,263,105.50 / 15,847,895 = 0.90), the
        # same -> tie, A keeps its preferred. Payouts equal either way.
        F("65013105.50"),
        {
            "A": F("5263105.50"),  # 5,847,895 x 0.90
            "B": F(20_000_000),
            "C": F(30_750_000),
            "common": F(9_000_000),  # 65,013,105.50 - 56,013,105.50
        },
        (),
        None,
        id="A-crossover-tie",
    ),
    pytest.param(
        # A converts, B and C keep. Residual after B and C: 82,445,790 - 50,750,000
        # = 31,695,790 over 10,000,000 + 5,847,895 = 15,847,895 shares = $2.00.
        # A: 2.00 > 0.90 converts. B would get (82,445,790 - 30,750,000) / 20,847,895
        # = $2.48 < $4.00 -> keeps. C likewise keeps.
        F(82_445_790),
        {
            "A": F(11_695_790),  # 5,847,895 x 2.00
            "B": F(20_000_000),
            "C": F(30_750_000),
            "common": F(20_000_000),  # 10,000,000 x 2.00
        },
        ("A",),
        1,
        id="A-converted",
    ),
    pytest.param(
        # B's crossover: (114,141,580 - 30,750,000) / 20,847,895 = $4.00 = B's
        # preference -> tie, B keeps. A converted at $4.00 per share.
        F(114_141_580),
        {
            "A": F(23_391_580),  # 5,847,895 x 4.00
            "B": F(20_000_000),  # 5,000,000 x 4.00 (preference)
            "C": F(30_750_000),
            "common": F(40_000_000),  # 10,000,000 x 4.00
        },
        ("A",),
        None,
        id="B-crossover-tie",
    ),
    pytest.param(
        # A and B convert, C keeps: (134,989,475 - 30,750,000) / 20,847,895
        # = 104,239,475 / 20,847,895 = $5.00 per share > $4.00.
        # C would get 134,989,475 / 23,347,895 = $5.78 < $12.30 -> keeps.
        F(134_989_475),
        {
            "A": F(29_239_475),  # 5,847,895 x 5.00
            "B": F(25_000_000),  # 5,000,000 x 5.00
            "C": F(30_750_000),  # 2,500,000 x 12.30
            "common": F(50_000_000),  # 10,000,000 x 5.00
        },
        ("A", "B"),
        1,
        id="A-B-converted",
    ),
    pytest.param(
        # C's crossover: 287,179,108.50 / 23,347,895 = $12.30 = C's preference -> tie,
        # C keeps. A and B see (287,179,108.50 - 30,750,000) / 20,847,895 = $12.30.
        F("287179108.50"),
        {
            "A": F("71929108.50"),  # 5,847,895 x 12.30
            "B": F(61_500_000),  # 5,000,000 x 12.30
            "C": F(30_750_000),  # 2,500,000 x 12.30 (preference)
            "common": F(123_000_000),  # 10,000,000 x 12.30
        },
        ("A", "B"),
        None,
        id="C-crossover-tie",
    ),
    pytest.param(
        # Everyone converts: 350,218,425 / 23,347,895 = $15.00 per share > $12.30.
        F(350_218_425),
        {
            "A": F(87_718_425),  # 5,847,895 x 15.00
            "B": F(75_000_000),  # 5,000,000 x 15.00
            "C": F(37_500_000),  # 2,500,000 x 15.00
            "common": F(150_000_000),  # 10,000,000 x 15.00
        },
        ("A", "B", "C"),
        1,
        id="all-converted",
    ),
]


@pytest.fixture(scope="module")
def model():
    return load_model(CHARTER)


@pytest.mark.parametrize("run", [solve_exit, evaluate_exit], ids=["z3", "direct"])
@pytest.mark.parametrize(("exit_value", "expected", "converted", "equilibria"), CASES)
def test_kinzan_payouts(model, run, exit_value, expected, converted, equilibria):
    r = run(model, exit_value)
    assert sum(expected.values()) == exit_value  # the hand values spend the whole exit
    assert {k: Fraction(v) for k, v in r.payouts.items()} == expected
    assert tuple(r.converted) == converted
    assert r.unique_payouts
    if equilibria is not None:
        assert r.equilibria == equilibria

