"""Hand-worked sale payouts for the NETGEAR charter (charters/netgear.toml).

Charter: one tier, A, B and C with equal priority ahead of common (V.3(a)),
preference = the "Liquidation Preference" of V.1(f) (Series C: $1.7909, not
its $1.2937 Original Issue Price); a shortfall is shared in proportion to the
full amounts (V.3(a)). Full participation: the rest goes pro rata to common
and preferred as converted (V.3(b)). Conversion Rate = OIP / Conversion Price
= 1 for every series (V.1(b), V.1(h), V.4(a)).

Assumed cap table: every series outstanding = its designated number, no
declared dividends, common 30,000,000.

    series  shares       LP        OIP = CP   preference amount
    A       26,250,000   $4.5143   $4.5143    $118,500,375.0000
    B        3,320,538   $4.5143   $4.5143     $14,989,904.6934
    C       10,937,500   $1.7909   $1.2937     $19,587,968.7500
    stack                                     $153,078,248.4434

    as-converted shares beside common: 30,000,000 + 26,250,000 + 3,320,538
                                      + 10,937,500 = 70,508,038

With full participation converting only gives up the preference: converted, a
series gets its shares x (residual + its preference) / 70,508,038, which is
less than preference + shares x residual / 70,508,038 because its shares are
fewer than 70,508,038. So no series converts at any positive exit value.
"""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path

import pytest

CHARTER = Path(__file__).resolve().parents[1] / "charters" / "netgear.toml"

HOLDERS = ("A", "B", "C", "common")

PREF_A = F(118_500_375)        # 26,250,000 x $4.5143
PREF_B = F("14989904.6934")    # 3,320,538 x $4.5143
PREF_C = F("19587968.75")      # 10,937,500 x $1.7909
STACK = F("153078248.4434")    # sum of the three
SHARES = {"A": 26_250_000, "B": 3_320_538, "C": 10_937_500, "common": 30_000_000}
TOTAL = 70_508_038             # sum of SHARES


def _sale_paths():
    from charterverify.evaluate import evaluate_exit
    from charterverify.solver import solve_exit

    return {"solver": solve_exit, "evaluate": evaluate_exit}


@pytest.fixture(scope="module")
def model():
    from charterverify.model import load_model

    return load_model(CHARTER)


@pytest.fixture(params=["solver", "evaluate"])
def run(request):
    return _sale_paths()[request.param]


def _participating(exit_value: F) -> dict[str, F]:
    # preferences in full, the residual shared by 70,508,038 as-converted shares
    residual = exit_value - STACK
    prefs = {"A": PREF_A, "B": PREF_B, "C": PREF_C, "common": F(0)}
    return {h: prefs[h] + SHARES[h] * residual / TOTAL for h in HOLDERS}


CASES = [
    # ------------------------------------------------------------------ shortfall
    pytest.param(
        F(50_000_000),
        # $50,000,000 < $153,078,248.4434: shared in proportion to the full amounts
        # A: 118,500,375.0000 x 50,000,000 / 153,078,248.4434 ~ 38,705,817.52
        # B:  14,989,904.6934 x 50,000,000 / 153,078,248.4434 ~  4,896,157.63
        # C:  19,587,968.7500 x 50,000,000 / 153,078,248.4434 ~  6,398,024.85
        # common: 0
        {
            "A": PREF_A * 50_000_000 / STACK,
            "B": PREF_B * 50_000_000 / STACK,
            "C": PREF_C * 50_000_000 / STACK,
            "common": F(0),
        },
        (),
        1,
        id="shortfall-50M",
    ),
    pytest.param(
        F("76539124.2217"),
        # exactly half the stack: each series gets half its full amount
        # A: 118,500,375 / 2 = 59,250,187.50
        # B: 14,989,904.6934 / 2 = 7,494,952.3467
        # C: 19,587,968.75 / 2 = 9,793,984.375  (the basis is the LP amount;
        #    the OIP amount 10,937,500 x 1.2937 = 14,149,843.75 is not used)
        # common: 0
        {"A": F("59250187.50"), "B": F("7494952.3467"), "C": F("9793984.375"), "common": F(0)},
        (),
        1,
        id="shortfall-half-stack",
    ),
    # ------------------------------------------------------------------ at the stack
    pytest.param(
        STACK,
        # every preference paid in full, residual 0
        {"A": PREF_A, "B": PREF_B, "C": PREF_C, "common": F(0)},
        (),
        1,
        id="at-stack",
    ),
    # ------------------------------------------------------------------ above: participation
    pytest.param(
        STACK + TOTAL,
        # 153,078,248.4434 + 70,508,038 = 223,586,286.4434: residual exactly $1.00
        # per as-converted share
        # A: 118,500,375 + 26,250,000 x 1 = 144,750,375
        # B: 14,989,904.6934 + 3,320,538 x 1 = 18,310,442.6934
        # C: 19,587,968.75 + 10,937,500 x 1 = 30,525,468.75
        # common: 30,000,000 x 1 = 30,000,000
        {"A": F(144_750_375), "B": F("18310442.6934"), "C": F("30525468.75"), "common": F(30_000_000)},
        (),
        1,
        id="stack-plus-one-dollar-a-share",
    ),
    pytest.param(
        F(500_000_000),
        # residual = 500,000,000 - 153,078,248.4434 = 346,921,751.5566
        # per share = 346,921,751.5566 / 70,508,038 ~ 4.9203149
        # A: 118,500,375 + 26,250,000 x 346,921,751.5566 / 70,508,038 ~ 247,658,641.73
        # B: 14,989,904.6934 + 3,320,538 x ... ~ 31,327,997.37
        # C: 19,587,968.75 + 10,937,500 x ... ~ 73,403,913.22
        # common: 30,000,000 x ... ~ 147,609,447.69
        {
            "A": PREF_A + 26_250_000 * F("346921751.5566") / 70_508_038,
            "B": PREF_B + 3_320_538 * F("346921751.5566") / 70_508_038,
            "C": PREF_C + 10_937_500 * F("346921751.5566") / 70_508_038,
            "common": 30_000_000 * F("346921751.5566") / 70_508_038,
        },
        (),
        1,
        id="participation-500M",
    ),
    pytest.param(
        F(10_000_000_000),
        # still no conversion: residual = 10,000,000,000 - 153,078,248.4434
        #                              = 9,846,921,751.5566
        # A ~ 3,784,489,435.40; B ~ 478,725,370.70; C ~ 1,547,083,410.58
        # common ~ 4,189,701,783.32
        {
            "A": PREF_A + 26_250_000 * F("9846921751.5566") / 70_508_038,
            "B": PREF_B + 3_320_538 * F("9846921751.5566") / 70_508_038,
            "C": PREF_C + 10_937_500 * F("9846921751.5566") / 70_508_038,
            "common": 30_000_000 * F("9846921751.5566") / 70_508_038,
        },
        (),
        1,
        id="participation-10B",
    ),
]


@pytest.mark.parametrize("exit_value, expected, converted, equilibria", CASES)
def test_sale_payouts(model, run, exit_value, expected, converted, equilibria):
    r = run(model, exit_value)
    got = {h: r.payouts[h] for h in HOLDERS}
    assert got == expected
    assert sum(got.values()) == exit_value
    assert tuple(r.converted) == converted
    assert r.equilibria == equilibria
    assert r.unique_payouts is True


@pytest.mark.parametrize("exit_value", [F(300_000_000), F(1_234_567_890)])
def test_participation_formula(model, run, exit_value):
    # any exit above the stack: preference + shares x (E - stack) / 70,508,038
    r = run(model, exit_value)
    assert {h: r.payouts[h] for h in HOLDERS} == _participating(exit_value)
    assert tuple(r.converted) == ()


def test_converting_c_would_lose_money(model):
    """C converted at E = 223,586,286.4434: residual 70,508,038 + 19,587,968.75
    shared by 70,508,038 shares -> 10,937,500 x 90,096,006.75 / 70,508,038
    ~ 13,976,166.55, far below the 30,525,468.75 it gets as preferred
    (19,587,968.75 + 10,937,500 x 1 = 30,525,468.75: the residual above the stack is 70,508,038).

    The waterfall of the profile in which C alone converts computes both numbers.
    Mutation that kills it (run): a converted series kept in its tier (dropping
    `b.klass not in conv` in `evaluate.plan`).
    """
    from charterverify.evaluate import Choice, waterfall

    E = STACK + TOTAL
    kept = waterfall(model, E, Choice(frozenset(), frozenset()))
    conv = waterfall(model, E, Choice(frozenset({"C"}), frozenset()))
    assert E == F("223586286.4434")
    assert kept["C"] == F("30525468.75")
    assert conv["C"] == F(10_937_500) * F("90096006.75") / TOTAL
    assert conv["C"] < kept["C"]


def test_encoded_terms(model):
    c = model.get_series("C")
    assert c.preference_per_share == F("1.7909")
    assert c.original_issue_price == F("1.2937")
    assert {s.id: s.ratio for s in model.series} == {"A": F(1), "B": F(1), "C": F(1)}
    assert all(s.participation.kind == "full" for s in model.series)
    assert [(t.series, t.shortfall) for t in model.tiers] == [(("A", "B", "C"), "preference")]
    assert model.class_votes == ()
    assert model.ipo_ratchets == ()
    (auto,) = model.automatic_conversions
    assert auto.series == ("A", "B", "C")
    assert auto.min_price_per_share is None
    assert auto.min_aggregate == F(35_000_000)
    assert auto.min_valuation == F(250_000_000)
    assert auto.vote_threshold == F(3, 5) and auto.vote_strict is False
