"""Readings say what they are (charterverify.readings, properties/reading.py, priority, automatic).

Expected numbers worked by hand in the comments from the Quintus, NETGEAR and Kinzan texts.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from charterverify.cli import main
from charterverify.evaluate import evaluate_exit
from charterverify.model import load_model
from charterverify.model.load import with_reading
from charterverify.properties import automatic, priority, reading
from charterverify.readings import applicable, effect
from charterverify.solver.breakpoints import analyze
from charterverify.draft.trace import check_traceability
from charterverify.text import check_text

F = Fraction
ROOT = Path(__file__).resolve().parent.parent
QUINTUS = ROOT / "charters" / "quintus.toml"


@pytest.fixture(scope="module")
def quintus():
    m = load_model(QUINTUS)
    return m, analyze(m)


# Quintus IV.B.2(a): F senior ($8.25 x 1,500,000 = $12,375,000); A-D, E and G-1..G-6 pari passu
# below it, a shortfall shared by the full preferential amounts. IV.B.3(a): A-D converting get
# Cash Amounts: A 9,100,000 x 0.925 + B 1,000,000 x 1.325 + C 3,000,000 x 1.765 + D 1,455,000 x 2.544
# = 8,417,500 + 1,325,000 + 5,295,000 + 3,701,520 = $18,739,020.
CASH = 9_100_000 * F("0.925") + 1_000_000 * F("1.325") + 3_000_000 * F("1.765") + 1_455_000 * F("2.544")
AD = 9_100_000 * 1 + 1_000_000 * F("1.43") + 3_000_000 * F("1.91") + 1_455_000 * F("2.75")
EG = (3_000_000 * F("4.15") + 279_679 * F("3.218") + 696_960 * F("4.827") + 486_642 * F("5.631")
      + 841_518 * F("9.654") + 1_074_853 * F("11.263") + 180_048 * F("8.335"))


def test_quintus_every_holder_that_loses_to_the_cash_amounts(quintus):
    m, an = quintus
    assert CASH == 18_739_020
    (f,) = [f for f in priority.check(m, an) if "losers" in f.witness]
    losers = f.witness["losers"]
    # F: at $12,375,000 the Cash Amounts (paid first) take it all; after the preferences F takes its
    # whole $12,375,000
    assert losers["F"] == {"most_lost": "12375000", "at": "12375000"}
    # E and G: at $31,114,020 = 12,375,000 + 18,739,020, cash first leaves nothing below F; after the
    # preferences nobody converts, F is paid, and the $18,739,020 left is shared by A-D, E and G in
    # proportion to their preferences: E and G together 18,739,020 x EG / (EG + AD) = $12,560,056.66
    eg = ["E", "G1", "G2", "G3", "G4", "G5", "G6"]
    assert all(losers[s]["at"] == "31114020" for s in eg)
    total = sum(F(losers[s]["most_lost"]) for s in eg)
    assert total == CASH * EG / (EG + AD)
    assert round(total, 2) == F("12560056.66")
    assert "Series E" in f.message and "Series G5" in f.message and "Series F $12,375,000" in f.message


def test_quintus_reading_findings(quintus):
    m, an = quintus
    assert applicable(m) == ["cap_dropout", "cash_on_conversion", "votes_in_sale", "undeclared_dividends"]
    found = {f.witness["reading"]: f for f in reading.check(m, an)}
    cash = found["cash_on_conversion"]
    assert cash.witness["value"] == "before_preferences" and cash.witness["alternative"] == "after_preferences"
    assert cash.witness["changes"]["F"] == "12375000"
    assert cash.clause == "IV.B.3(a)"
    # the effect is the direct evaluator's difference of the two readings at the exit shown
    x = F(cash.witness["at"])
    alt = with_reading(m, "cash_on_conversion", "after_preferences")
    assert {h: F(v) for h, v in cash.witness["changes"].items()} == {
        h: evaluate_exit(alt, x).payouts[h] - evaluate_exit(m, x).payouts[h] for h in m.holders
        if evaluate_exit(alt, x).payouts[h] != evaluate_exit(m, x).payouts[h]}


def test_quintus_g_has_no_price_floor(quintus):
    # IV.B.3(b)(iv): G converts in any offering of $40,000,000, at any price; E and F have floors
    # (IV.B.3(b)(ii), (iii)). At $5.00 a share every entry fires (each needs only the $40M raise):
    # company value = Cash Amounts + $5 x (common and every series as converted) with E and F at
    # their floors (3,000,000 x $8.30 = $24,900,000; 1,500,000 x $11.00 = $16,500,000, both above
    # $5 x their shares). G-5 holds 1,074,853 x $5 = $5,374,265 against its sale payout there.
    m, an = quintus
    g = next(a for a in m.automatic_conversions if a.id == "g_qpo")
    E, off, trig = automatic._at_price(m, g, F(5))
    assert [a.id for a in trig] == ["ad_qpo", "e_qpo", "f_qpo", "g_qpo"]
    shares = m.captable.common_outstanding + sum(s.ratio * m.outstanding(s.id) for s in m.series
                                                 if s.id not in ("E", "F"))
    assert E == CASH + 5 * shares + 24_900_000 + 16_500_000 == 225_712_520
    assert off.series_value("G5", F(5)) == 5_374_265
    sale = evaluate_exit(m, E).payouts["G5"]
    assert round(sale / 10_000) == 1650  # $16.50M, the issue's figure
    found = {f.witness["series"]: f for f in automatic.check(m, an) if f.witness.get("basis") == "min_aggregate"}
    assert set(found) >= {"G1", "G2", "G3", "G4", "G5", "G6"}
    assert "no price floor" in found["G5"].message and "unlike Series E, F" in found["G5"].message
    # the price up to which G-5 loses: where its sale payout meets $1,074,853 x p (a root, exact)
    up = F(found["G5"].witness["loses_up_to_price"])
    E_up, off_up, _ = automatic._at_price(m, g, up)
    assert evaluate_exit(m, E_up).payouts["G5"] == off_up.series_value("G5", up)


def test_netgear_valuation_reading_named_and_no_false_unused_amount():
    m = load_model(ROOT / "charters" / "netgear.toml")
    assert m.readings.valuation == "pre_money"
    eff = effect(m, "valuation")
    assert not eff.computed and eff.alternative == "post_money"
    # V.4(d)(iv)'s "$0.01" is the minimum adjustment the model uses: not an unused amount
    found = check_traceability(list(m.numbers()), m.text_path)
    assert not [f for f in found if f.rule == "text.unused-amount" and f.witness.get("value") == "0.01"]


def test_kinzan_sale_waiver_vote():
    # FOURTH.B.2 (text line 134): "unless the holders of at least two-thirds of the Series A, Series B
    # and Series C Preferred Stock then outstanding, voting together as a single class and on an
    # as-converted basis, shall determine otherwise"
    m = load_model(ROOT / "charters" / "kinzan.toml")
    (f,) = [f for f in check_text(m.text_path) if f.rule == "text.sale-waiver-vote"]
    assert f.line == 134 and f.witness["threshold"] == "at least two-thirds"
    assert "as-converted basis" in f.message


def test_reading_on_the_command_line(capsys):
    import json

    # NETGEAR V.4(b): at $3.60 a share the pre-money valuation is $253,828,936.80; post-money adds the
    # $35,000,000 raise. The model's reading decides unless --valuation is given.
    ipo = ["charters/netgear.toml", "--ipo", "3.6", "--raise", "35000000", "--format", "json"]
    for extra, basis, value in (([], "pre_money", "253828936.8"),
                                (["--reading", "valuation=post_money"], "post_money", "288828936.8"),
                                (["--reading", "valuation=post_money", "--valuation", "pre_money"], "pre_money",
                                 "253828936.8")):
        assert main(ipo + extra) == 0
        assert json.loads(capsys.readouterr().out)["valuation"] == {"basis": basis, "value": value}
    assert main(["charters/netgear.toml", "--exit", "1", "--reading", "valuation"]) == 2
    assert "KEY=VALUE" in capsys.readouterr().err
