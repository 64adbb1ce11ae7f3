"""Hand-worked sale payouts for the Juniper Networks charter (charters/juniper.toml).

Charter: one pari passu tier of A, B, C, D, D1 ahead of common (FOURTH.4(a)),
1x the Original Issue Price, non-participating (FOURTH.4(c)); a shortfall is
shared in proportion to the Original Issue Price of the shares held
(FOURTH.4(b)). Conversion ratio = OIP / conversion price (FOURTH.6(a)(i)).

Assumed cap table: every series outstanding = its designated number, no
declared dividends, common 20,000,000.

    series  shares      OIP = pref   CP      ratio     preference amount     as-converted shares
    A       1,743,751   $1.00        $0.44   25/11     $1,743,751.00         43,593,775/11  (~3,963,070.45)
    B       3,915,308   $2.40        $1.07   240/107   $9,396,739.20         939,673,920/107 (~8,781,999.25)
    C       5,200,000   $8.93        $3.97   893/397   $46,436,000.00        4,643,600,000/397 (~11,696,725.44)
    D         600,000   $11.03       $11.03  1         $6,618,000.00         600,000
    D1      2,580,000   $11.03       $11.03  1         $28,457,400.00        2,580,000
    stack                                              $92,651,890.20

Every preference equals (as-converted shares) x (conversion price), so a series
is better off converted exactly when the common price per share without it
exceeds its conversion price (strictly; ties keep the preferred). The series
therefore convert in the order of their conversion prices:

    A   when p > $0.44, none converted:   E > 92,651,890.20 + 0.44 x 20,000,000          = 101,451,890.20
    B   when p > $1.07, A converted:      E > 90,908,139.20 + 1.07 x 263,593,775/11      ~ 116,548,624.59
    C   when p > $3.97, A, B converted:   E > 81,511,400    + 3.97 x (20M + M_A + M_B)   ~ 211,509,326.74
    D, D1 when p > $11.03, A-C converted: E > 35,075,400    + 11.03 x (20M + M_A+M_B+M_C) ~ 525,268,400.48
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction as F
from pathlib import Path

import pytest

CHARTER = Path(__file__).resolve().parents[1] / "charters" / "juniper.toml"

HOLDERS = ("A", "B", "C", "D", "D1", "common")

# preference amounts (FOURTH.4(a)(i) x assumed outstanding)
PREF_A = F(1_743_751)          # 1,743,751 x $1.00
PREF_B = F("9396739.20")       # 3,915,308 x $2.40
PREF_C = F(46_436_000)         # 5,200,000 x $8.93
PREF_D = F(6_618_000)          # 600,000 x $11.03
PREF_D1 = F(28_457_400)        # 2,580,000 x $11.03
STACK = F("92651890.20")       # sum of the five

# as-converted shares (shares x OIP / CP)
M_A = F(43_593_775, 11)        # 1,743,751 x 1.00 / 0.44
M_B = F(939_673_920, 107)      # 3,915,308 x 2.40 / 1.07
M_C = F(4_643_600_000, 397)    # 5,200,000 x 8.93 / 3.97
M_D = F(600_000)
M_D1 = F(2_580_000)
COMMON = F(20_000_000)


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


def _shortfall(exit_value: F) -> dict[str, F]:
    # FOURTH.4(b): the whole exit is shared by OIP x shares, i.e. by each
    # series' preference amount while no dividends are declared.
    return {
        "A": PREF_A * exit_value / STACK,
        "B": PREF_B * exit_value / STACK,
        "C": PREF_C * exit_value / STACK,
        "D": PREF_D * exit_value / STACK,
        "D1": PREF_D1 * exit_value / STACK,
        "common": F(0),
    }


CASES = [
    # ------------------------------------------------------------------ shortfall
    pytest.param(
        F(10_000_000),
        # $10,000,000 < $92,651,890.20: shared in proportion to OIP x shares
        # A:  1,743,751.00 x 10,000,000 / 92,651,890.20 ~   188,204.58
        # B:  9,396,739.20 x 10,000,000 / 92,651,890.20 ~ 1,014,198.33
        # C: 46,436,000.00 x 10,000,000 / 92,651,890.20 ~ 5,011,878.32
        # D:  6,618,000.00 x 10,000,000 / 92,651,890.20 ~   714,286.56
        # D1: 28,457,400.00 x 10,000,000 / 92,651,890.20 ~ 3,071,432.21
        # common: 0
        _shortfall(F(10_000_000)),
        (),
        1,
        id="shortfall-10M",
    ),
    pytest.param(
        F("46325945.10"),
        # exactly half the stack: every series gets half its OIP amount
        # A: 1,743,751 / 2 = 871,875.50; B: 9,396,739.20 / 2 = 4,698,369.60
        # C: 46,436,000 / 2 = 23,218,000; D: 6,618,000 / 2 = 3,309,000
        # D1: 28,457,400 / 2 = 14,228,700; common 0
        {
            "A": F("871875.50"),
            "B": F("4698369.60"),
            "C": F(23_218_000),
            "D": F(3_309_000),
            "D1": F(14_228_700),
            "common": F(0),
        },
        (),
        1,
        id="shortfall-half-stack",
    ),
    # ------------------------------------------------------------------ at the stack
    pytest.param(
        STACK,
        # every preference paid in full, nothing left for common; converting
        # would give up a preference for a share of $0
        {"A": PREF_A, "B": PREF_B, "C": PREF_C, "D": PREF_D, "D1": PREF_D1, "common": F(0)},
        (),
        1,
        id="at-stack",
    ),
    # ------------------------------------------------------------------ above: nobody converts
    pytest.param(
        F(100_000_000),
        # common: 100,000,000 - 92,651,890.20 = 7,348,109.80 -> $0.367405... a share
        # < $0.44, so even A (lowest CP) keeps its preference
        {"A": PREF_A, "B": PREF_B, "C": PREF_C, "D": PREF_D, "D1": PREF_D1, "common": F("7348109.80")},
        (),
        1,
        id="above-stack-no-conversion",
    ),
    # ------------------------------------------------------------------ A's crossover (tie)
    pytest.param(
        F("101451890.20"),
        # 92,651,890.20 + 0.44 x 20,000,000 = 101,451,890.20: common price exactly $0.44.
        # A converted would get 43,593,775/11 x 0.44 = 1,743,751 = its preference:
        # a tie, so A keeps the preferred. A unit converts only when strictly better
        # off, so {A} is not an equilibrium: exactly one ({}). (Under the plain Nash
        # test of DOMAIN.md, "no unit gains strictly by switching", {A} would count too.)
        # common: 20,000,000 x 0.44 = 8,800,000
        {"A": PREF_A, "B": PREF_B, "C": PREF_C, "D": PREF_D, "D1": PREF_D1, "common": F(8_800_000)},
        (),
        1,
        id="A-crossover-tie",
    ),
    # ------------------------------------------------------------------ A converted
    pytest.param(
        F(110_000_000),
        # without A: p = (110,000,000 - 92,651,890.20) / 20,000,000 = 0.867... > 0.44: A converts.
        # residual = 110,000,000 - (9,396,739.20 + 46,436,000 + 6,618,000 + 28,457,400)
        #          = 110,000,000 - 90,908,139.20 = 19,091,860.80
        # shares   = 20,000,000 + 43,593,775/11 = 263,593,775/11
        # p = 19,091,860.80 x 11 / 263,593,775 ~ 0.79672 (< 1.07: B stays)
        # A: 43,593,775/11 x p = 43,593,775 x 19,091,860.80 / 263,593,775 ~ 3,157,458.04
        # common: 20,000,000 x p = 220,000,000 x 19,091,860.80 / 263,593,775 ~ 15,934,402.76
        {
            "A": F(43_593_775) * F("19091860.80") / 263_593_775,
            "B": PREF_B,
            "C": PREF_C,
            "D": PREF_D,
            "D1": PREF_D1,
            "common": F(220_000_000) * F("19091860.80") / 263_593_775,
        },
        ("A",),
        1,
        id="A-converted",
    ),
    # ------------------------------------------------------------------ A and B converted
    pytest.param(
        F(150_000_000),
        # residual = 150,000,000 - (46,436,000 + 6,618,000 + 28,457,400) = 68,488,600
        # shares   = 20,000,000 + 43,593,775/11 + 939,673,920/107 = 38,540,947,045/1,177 (~32,745,069.71)
        # p = 68,488,600 x 1,177 / 38,540,947,045 ~ 2.09157 (> 1.07, < 3.97: C stays)
        # (B's test: without B p = 59,091,860.80 / 23,963,070.45 ~ 2.466 > 1.07)
        # A: 43,593,775/11 x p ~ 8,289,038.61
        # B: 939,673,920/107 x p ~ 18,368,164.72
        # common: 20,000,000 x p ~ 41,831,396.67
        {
            "A": M_A * F(68_488_600) * 1177 / 38_540_947_045,
            "B": M_B * F(68_488_600) * 1177 / 38_540_947_045,
            "C": PREF_C,
            "D": PREF_D,
            "D1": PREF_D1,
            "common": COMMON * F(68_488_600) * 1177 / 38_540_947_045,
        },
        ("A", "B"),
        1,
        id="A-B-converted",
    ),
    # ------------------------------------------------------------------ A, B, C converted
    pytest.param(
        F(300_000_000),
        # residual = 300,000,000 - (6,618,000 + 28,457,400) = 264,924,600
        # shares   = 20,000,000 + M_A + M_B + M_C = 20,766,273,176,865/467,269 (~44,441,795.15)
        # p = 264,924,600 x 467,269 / 20,766,273,176,865 ~ 5.96116 (> 3.97, < 11.03: D, D1 stay)
        # A: M_A x p ~ 23,624,492.47; B: M_B x p ~ 52,350,892.47
        # C: M_C x p ~ 69,726,038.26; common: 20,000,000 x p ~ 119,223,176.80
        {
            "A": M_A * F(264_924_600) * 467_269 / 20_766_273_176_865,
            "B": M_B * F(264_924_600) * 467_269 / 20_766_273_176_865,
            "C": M_C * F(264_924_600) * 467_269 / 20_766_273_176_865,
            "D": PREF_D,
            "D1": PREF_D1,
            "common": COMMON * F(264_924_600) * 467_269 / 20_766_273_176_865,
        },
        ("A", "B", "C"),
        1,
        id="A-B-C-converted",
    ),
    # ------------------------------------------------------------------ D / D1 crossover (tie)
    pytest.param(
        PREF_D + PREF_D1 + F("11.03") * (COMMON + M_A + M_B + M_C),
        # E = 35,075,400 + 11.03 x 20,766,273,176,865/467,269
        #   = 4,908,832,804,468,419/9,345,380 (~525,268,400.48): common price exactly $11.03.
        # D and D1 (ratio 1) are each indifferent: converted they get 11.03 a share,
        # their preference. Ties keep the preferred: converting is not strictly
        # better, so the only equilibrium is {A, B, C} (the plain Nash test would
        # also accept {A,B,C,D}, {A,B,C,D1}, {A,B,C,D,D1}: 4, same payouts).
        # A: 43,593,775/11 x 11.03 ~ 43,712,667.11
        # B: 939,673,920/107 x 11.03 ~ 96,865,451.75
        # C: 4,643,600,000/397 x 11.03 ~ 129,014,881.61
        # D: 6,618,000; D1: 28,457,400; common: 20,000,000 x 11.03 = 220,600,000
        {
            "A": M_A * F("11.03"),
            "B": M_B * F("11.03"),
            "C": M_C * F("11.03"),
            "D": PREF_D,
            "D1": PREF_D1,
            "common": F(220_600_000),
        },
        ("A", "B", "C"),
        1,
        id="D-D1-crossover-tie",
    ),
    # ------------------------------------------------------------------ all converted
    pytest.param(
        F(1_000_000_000),
        # everyone as common: shares = 20,000,000 + M_A + M_B + M_C + 600,000 + 2,580,000
        #                              = 22,252,188,596,865/467,269 (~47,621,795.15)
        # p = 1,000,000,000 x 467,269 / 22,252,188,596,865 ~ 20.9988 > 11.03
        # A ~ 83,219,677.93; B ~ 184,411,344.11; C ~ 245,617,062.62
        # D ~ 12,599,273.05; D1 ~ 54,176,874.10; common ~ 419,975,768.20
        {
            h: m * F(1_000_000_000) * 467_269 / 22_252_188_596_865
            for h, m in (("A", M_A), ("B", M_B), ("C", M_C), ("D", M_D), ("D1", M_D1), ("common", COMMON))
        },
        ("A", "B", "C", "D", "D1"),
        1,
        id="all-converted",
    ),
]


@pytest.mark.parametrize("exit_value, expected, converted, equilibria", CASES)
def test_sale_payouts(model, run, exit_value, expected, converted, equilibria):
    r = run(model, exit_value)
    got = {h: r.payouts[h] for h in HOLDERS}
    assert got == expected
    assert all(isinstance(v, F) or isinstance(v, int) for v in got.values())
    assert sum(got.values()) == exit_value
    assert tuple(r.converted) == converted
    assert r.equilibria == equilibria
    assert r.unique_payouts is True


# The non-round crossovers of the module docstring, each with who has converted at it (ties
# keep the preferred) and one cent above it.
CROSSOVERS = [
    (STACK + F("0.44") * COMMON, (), ("A",)),                                  # 101,451,890.20
    (PREF_B + PREF_C + PREF_D + PREF_D1 + F("1.07") * (COMMON + M_A), ("A",), ("A", "B")),
    (PREF_D + PREF_D1 + F("11.03") * (COMMON + M_A + M_B + M_C), ("A", "B", "C"), ("A", "B", "C", "D", "D1")),
]


def test_crossover_points_are_where_the_product_switches(model, run):
    """The hand crossovers are exactly where the evaluator and the solver change the converted set.

    Mutations that kill it (both run): ties made to act in `game.leaves_choice` (`>=` in both
    branches), and the conversion ratio OIP / CP inverted in `Series.ratio`.
    """
    assert [x for x, _, _ in CROSSOVERS] == [
        F("101451890.20"), F(25_640_697_409, 220), F(4_908_832_804_468_419, 9_345_380)]
    for x, at, above in CROSSOVERS:
        assert tuple(run(model, x).converted) == at, x
        assert tuple(run(model, x + F(1, 100)).converted) == above, x


# ---------------------------------------------------------------------- shortfall basis
# FOURTH.4(b) shares a shortfall by OIP x shares, not by the full preferential
# amounts. The two differ only once dividends are declared: assume (for this
# test only) $0.45 a share declared and unpaid on Series C (its FOURTH.3 rate).
# C's full amount: 5,200,000 x (8.93 + 0.45) = 48,776,000; total 94,991,890.20.


def _with_c_dividend(model):
    ct = dataclasses.replace(model.captable, dividends={**model.captable.dividends, "C": F("0.45")})
    return dataclasses.replace(model, captable=ct)


def test_shortfall_is_by_original_issue_price_not_by_full_amount(model, run):
    m = _with_c_dividend(model)
    r = run(m, F("46325945.10"))
    # 46,325,945.10 < 94,991,890.20: shared by OIP x shares (sum 92,651,890.20),
    # so each series gets half its OIP amount, C's dividend does not count:
    # A 871,875.50; B 4,698,369.60; C 46,436,000 / 2 = 23,218,000 (by the full
    # amounts it would be 48,776,000 x 46,325,945.10 / 94,991,890.20 ~ 23,787,181)
    # D 3,309,000; D1 14,228,700; common 0
    assert {h: r.payouts[h] for h in HOLDERS} == {
        "A": F("871875.50"),
        "B": F("4698369.60"),
        "C": F(23_218_000),
        "D": F(3_309_000),
        "D1": F(14_228_700),
        "common": F(0),
    }
    assert tuple(r.converted) == ()


def test_shortfall_by_oip_can_pay_more_than_the_full_amount(model, run):
    # Literal FOURTH.4(b): at 94,000,000 (< 94,991,890.20, so a shortfall) the
    # whole 94,000,000 is shared by OIP x shares; A, B, D, D1 get MORE than their
    # full preferential amounts and C gets less than its 48,776,000:
    # A: 1,743,751 x 94,000,000 / 92,651,890.20 ~ 1,769,123.16 (> 1,743,751)
    # C: 46,436,000 x 94,000,000 / 92,651,890.20 ~ 47,111,656.23 (< 48,776,000)
    m = _with_c_dividend(model)
    r = run(m, F(94_000_000))
    assert {h: r.payouts[h] for h in HOLDERS} == _shortfall(F(94_000_000))
    assert r.payouts["A"] > PREF_A
    assert r.payouts["C"] < F(48_776_000)


# ---------------------------------------------------------------------- encoded terms


def test_encoded_terms(model):
    ratios = {s.id: s.ratio for s in model.series}
    assert ratios == {"A": F(25, 11), "B": F(240, 107), "C": F(893, 397), "D": F(1), "D1": F(1)}
    assert [(t.series, t.shortfall) for t in model.tiers] == [(("A", "B", "C", "D", "D1"), "original_issue_price")]
    assert all(s.participation.kind == "none" for s in model.series)
    assert model.class_votes == ()
    (ratchet,) = model.ipo_ratchets
    assert ratchet.series == "D1" and ratchet.kind == "discount_by_filing_date"
    assert [st.percent for st in ratchet.steps] == [F(85, 100), F(75, 100), F(65, 100)]
    # FOURTH.6(c): within 180 days / one year / fifteen months of the Original Issue Date;
    # after 15 months: no adjustment (no step)
    assert [(st.filed_within_days, st.filed_within_months) for st in ratchet.steps] == [(180, None), (None, 12), (None, 15)]
    autos = {a.id: (a.series, a.min_price_multiple * model.get_series(a.series[0]).conversion.price, a.min_aggregate,
                    a.vote_threshold) for a in model.automatic_conversions}
    assert autos == {
        "qpo_a": (("A",), F("1.32"), F(10_000_000), F(2, 3)),     # 3 x $0.44
        "qpo_b": (("B",), F("3.21"), F(10_000_000), F(2, 3)),     # 3 x $1.07
        "qpo_c": (("C",), F("5.955"), F(10_000_000), F(2, 3)),    # 1.5 x $3.97
        "qpo_d": (("D", "D1"), F("11.03"), F(10_000_000), F(2, 3)),  # 1 x $11.03
    }
