"""Public offerings (charterverify/ipo.py) worked by hand from the seeds: Quintus' E and F price
floors and Cash Amounts (IV.B.3(b), 3(c)), Juniper's price-multiple triggers and the D1 reset by
filing date (FOURTH.6(a)(ii), 6(c)), NETGEAR's valuation test (V.4(b)), the IPO price breakpoints
and the position-jump finding."""

from __future__ import annotations

import json
from fractions import Fraction as F
from pathlib import Path

import pytest

from charterverify.antidilution import apply_issuance
from charterverify.findings import Severity, Verdict
from charterverify.ipo import (
    POSITION_JUMP, Filing, check, ipo, ipo_breakpoints_text, ipo_findings, ipo_price_breakpoints, ipo_text,
    parse_filed,
)
from charterverify.model import load_model

CHARTERS = Path(__file__).resolve().parents[1] / "charters"


def load(name: str):
    return load_model(CHARTERS / f"{name}.toml")


# ---------------------------------------------------------------- Quintus


QUINTUS_G = 279_679 + 696_960 + 486_642 + 841_518 + 1_074_853 + 180_048  # 1:1


def test_quintus_ipo_below_the_floors():
    q = load("quintus")
    r = ipo(q, F(5), 50_000_000)
    # $50,000,000 >= $40,000,000: every offering trigger of IV.B.3(b) fires
    assert set(r.converted) == {s.id for s in q.series}
    assert r.new_shares == 10_000_000
    # E: ratio max(4.15 / 4.15, 8.30 / 5.00) = 1.66 (IV.B.3(b)(ii)); F: max(1, 11.00 / 5.00) = 2.2 (3(b)(iii))
    e, f = r.get("E"), r.get("F")
    assert (e.base_ratio, e.ratio, e.common_shares) == (1, F("1.66"), 4_980_000)
    assert (f.ratio, f.common_shares) == (F("2.2"), 3_300_000)
    assert e.position == F("8.30") * 3_000_000 and f.position == 11 * 1_500_000
    assert "price floor $8.30" in e.ratchet
    # A-D: common 1:1 and the Cash Amounts of IV.B.3(a), no dividends declared
    cash = {"A": 9_100_000 * F("0.925"), "B": 1_000_000 * F("1.325"), "C": 3_000_000 * F("1.765"),
            "D": 1_455_000 * F("2.544")}
    assert cash == {"A": 8_417_500, "B": 1_325_000, "C": 5_295_000, "D": 3_701_520}
    for sid, c in cash.items():
        assert r.get(sid).cash == c and r.get(sid).position == r.get(sid).common_shares * 5 + c
    assert r.cash_due == r.cash_paid == 18_739_020
    # fully diluted after the offering
    fd = 15_000_000 + 10_000_000 + (9_100_000 + 1_000_000 + 3_000_000 + 1_455_000) + 4_980_000 + 3_300_000 + QUINTUS_G
    assert fd == 51_394_700 == r.fully_diluted
    assert r.ownership["E"] == F(4_980_000, 51_394_700) == r.get("E").ownership
    assert r.ownership["ipo"] == F(10_000_000, 51_394_700)
    assert sum(r.ownership.values()) == 1


def test_quintus_ipo_between_the_floors_and_below_the_aggregate():
    q = load("quintus")
    r = ipo(q, F(10), 50_000_000)
    # E: 8.30 / 10 < 1, the floor does not bind; F: 11.00 / 10 = 1.1
    assert (r.get("E").ratio, r.get("E").ratchet) == (1, None)
    assert (r.get("F").ratio, r.get("F").common_shares) == (F("1.1"), 1_650_000)
    # $30,000,000 < $40,000,000: nothing converts, no floor, no cash; the votes are not assumed
    low = ipo(q, F(5), 30_000_000)
    assert low.converted == () and low.cash_due == 0 and low.get("E").ratio == 1
    assert any("e_qpo: the vote alternative" in n for n in low.notes)
    # E keeps its preferred: its position is the greater of $4.15 x 3,000,000 and its common at $5
    assert low.get("E").position == max(F("4.15"), F(5)) * 3_000_000


def test_quintus_cash_amounts_paid_ratably_when_funds_are_short():
    r = ipo(load("quintus"), F(5), 50_000_000, funds=10_000_000)  # IV.B.3(c): "applied ratably"
    assert r.cash_paid == 10_000_000
    assert r.get("A").cash == F(8_417_500) * 10_000_000 / 18_739_020
    assert any("ratably" in n for n in r.notes)


def test_quintus_price_breakpoints():
    q = load("quintus")
    bps = ipo_price_breakpoints(q, 50_000_000)
    # no price test in IV.B.3(b): only where the floors stop binding, $8.30 / 1 and $11.00 / 1
    assert [(b.price, b.kind, b.series) for b in bps] == [(F("8.30"), "ratchet_ends", ("E",)),
                                                           (F(11), "ratchet_ends", ("F",))]
    assert all(b.jumps == {} for b in bps)  # max(ratio x price, floor) is continuous
    assert bps[0].at["E"] == bps[0].before["E"] == F("8.30") * 3_000_000
    # below the aggregate test nothing fires at any price: only the floors (which then never apply)
    assert [b.kind for b in ipo_price_breakpoints(q, 30_000_000)] == ["ratchet_ends", "ratchet_ends"]
    assert check(q) == []


def test_quintus_floor_moves_with_an_anti_dilution_adjustment():
    q = load("quintus")
    adjusted = apply_issuance(q, 2_000_000, F(3)).model
    e = adjusted.get_series("E").conversion.price
    assert e == F(162_101_005, 39_614_700)
    # the floor stops binding where 8.30 / p = 4.15 / e, i.e. at p = 8.30 x e / 4.15 = 2e
    bp = next(b for b in ipo_price_breakpoints(adjusted, 50_000_000) if b.series == ("E",))
    assert bp.price == 2 * e
    r = ipo(adjusted, F(5), 50_000_000)
    assert r.get("E").ratio == F("1.66")  # still the floor at $5.00 (> 4.15 / e)


# ---------------------------------------------------------------- Juniper


JUNIPER_COMMON = 20_000_000
JUNIPER_RATIOS = {"A": F("1.00") / F("0.44"), "B": F("2.40") / F("1.07"), "C": F("8.93") / F("3.97"), "D": F(1)}
JUNIPER_SHARES = {"A": 1_743_751, "B": 3_915_308, "C": 5_200_000, "D": 600_000, "D1": 2_580_000}


def test_juniper_price_multiple_triggers():
    j = load("juniper")
    r = ipo(j, F(5), 20_000_000, "100d")
    # FOURTH.6(a)(ii): at least 3 x $0.44 = $1.32 (A), 3 x $1.07 = $3.21 (B), 1.5 x $3.97 = $5.955 (C),
    # 1 x $11.03 (D, D1), and more than $10,000,000 raised
    assert r.converted == ("A", "B")
    thresholds = {(t.entry, t.series): [c.threshold for c in t.tests if c.name == "min_price_multiple"][0]
                  for t in r.triggers}
    assert thresholds == {("qpo_a", "A"): F("1.32"), ("qpo_b", "B"): F("3.21"), ("qpo_c", "C"): F("5.955"),
                          ("qpo_d", "D"): F("11.03"), ("qpo_d", "D1"): F("11.03")}
    assert "C" not in ipo(j, F("5.95"), 20_000_000).converted
    assert "C" in ipo(j, F("5.955"), 20_000_000).converted
    assert set(ipo(j, F("11.03"), 20_000_000).converted) == {"A", "B", "C", "D", "D1"}
    # the proceeds test: the model reads min_aggregate as "at least" (the text: "exceed")
    assert ipo(j, F(20), F("9999999.99")).converted == ()
    # C keeps its preferred at $5: as converted 5,200,000 x 893/397 at $5 beats its preference 8.93 x 5,200,000
    c = r.get("C")
    assert not c.converts and c.position == 5_200_000 * JUNIPER_RATIOS["C"] * 5
    assert c.position > c.preference == 5_200_000 * F("8.93")


def test_juniper_d1_reset_by_filing_window():
    j = load("juniper")
    # FOURTH.6(c): filed within 180 days: D1 CP = 85% of the IPO price
    r = ipo(j, F(5), 20_000_000, "100d")
    d1 = r.get("D1")
    assert (d1.conversion_price, d1.ratio) == (F("4.25"), F("11.03") / F("4.25"))
    # the reset modifies the conversion price itself: it applies although D1 keeps its preferred below $11.03
    assert not d1.converts and d1.common_shares == 2_580_000 * F("11.03") / F("4.25")
    assert d1.position == 2_580_000 * F("11.03") / F("0.85")  # worth 11.03 / 0.85 per share at any price
    # at $12: 180 days -> 85% ($10.20), 181 days -> 75% ($9.00), 14 months -> 65% ($7.80), 16 months -> none
    expect = {180: F("10.20"), 181: F("9.00")}
    for days, cp in expect.items():
        assert ipo(j, 12, 20_000_000, days).get("D1").conversion_price == cp
    assert ipo(j, 12, 20_000_000, "14m").get("D1").conversion_price == F("7.80")
    late = ipo(j, 12, 20_000_000, "16m").get("D1")
    assert (late.conversion_price, late.ratio) == (F("11.03"), 1) and "no reset" in late.ratchet
    # the one-year boundary, by the calendar: exactly 12 months is still the 75% window (bounds inclusive)
    assert ipo(j, 12, 20_000_000, "2000-01-15..2001-01-15").get("D1").conversion_price == F("9.00")
    assert ipo(j, 12, 20_000_000, "2000-01-15..2001-01-16").get("D1").conversion_price == F("7.80")
    # 200 days is within 12 months on every calendar; 366 days may or may not be
    assert ipo(j, 12, 20_000_000, 200).get("D1").conversion_price == F("9.00")
    with pytest.raises(ValueError, match="depends on the calendar"):
        ipo(j, 12, 20_000_000, 366)
    # no filing date: no reset, and the result says so
    none = ipo(j, 12, 20_000_000)
    assert none.get("D1").ratio == 1 and any("filing date is not given" in n for n in none.notes)


def test_juniper_ownership_after_the_offering():
    j = load("juniper")
    r = ipo(j, F(12), 20_000_000, "200d")
    d1_ratio = F("11.03") / (F("0.75") * 12)
    assert d1_ratio == F(1103, 900)
    fd = (JUNIPER_COMMON + F(20_000_000, 12) + sum(JUNIPER_SHARES[s] * JUNIPER_RATIOS[s] for s in "ABCD")
          + 2_580_000 * d1_ratio)
    assert r.fully_diluted == fd
    assert r.ownership["D1"] == 2_580_000 * d1_ratio / fd
    assert r.ownership["common"] == JUNIPER_COMMON / fd
    # at $12 the 75% reset ($9.00) gives D1 more than 1:1; above $11.03 / 0.75 = $14.7066... it gives fewer
    # (it raises the conversion price above $11.03): a flat $14.7066... a share whatever the price
    assert r.get("D1").position == 2_580_000 * d1_ratio * 12 > 2_580_000 * 12
    high = ipo(j, F(16), 20_000_000, "200d").get("D1")
    assert high.position == 2_580_000 * F("11.03") / F("0.75") < 2_580_000 * 16
    assert high.conversion_price == 12 > F("11.03")


def test_juniper_price_breakpoints():
    j = load("juniper")
    bps = ipo_price_breakpoints(j, 20_000_000, "100d")
    assert [(b.price, b.kind, b.series) for b in bps] == [
        (F("1.32"), "trigger", ("A",)), (F("3.21"), "trigger", ("B",)), (F("5.955"), "trigger", ("C",)),
        (F("11.03"), "trigger", ("D", "D1")), (F("11.03") / F("0.85"), "ratchet_neutral", ("D1",))]
    # no series' position jumps: at each test the common is worth at least the preference (D: $11.03 = $11.03)
    assert all(b.jumps == {} for b in bps)
    d = next(b for b in bps if b.series == ("D", "D1"))
    assert d.before["D"] == d.at["D"] == 600_000 * F("11.03")
    # filed after 15 months: no reset, no neutral point
    assert [b.kind for b in ipo_price_breakpoints(j, 20_000_000, "16m")] == ["trigger"] * 4
    # a raise that meets no proceeds test: no trigger in the price
    assert ipo_price_breakpoints(j, 9_000_000) == []
    assert check(j) == [] and ipo_findings(j, 20_000_000, "14m") == []


# ---------------------------------------------------------------- NETGEAR: a position that falls


def test_netgear_valuation_trigger_drops_a_and_b():
    n = load("netgear")
    fd = 30_000_000 + 26_250_000 + 3_320_538 + 10_937_500
    p = F(250_000_000, fd)  # V.4(b)(i): a valuation of at least $250 million (read pre-money)
    bps = ipo_price_breakpoints(n, 35_000_000)
    assert [(b.price, b.series) for b in bps] == [(p, ("A", "B", "C"))]
    jumps = bps[0].jumps
    # just below p, A and B keep their preferred: $4.5143 a share beats about $3.55 of common; at p they convert
    assert jumps == {"A": 26_250_000 * (p - F("4.5143")), "B": 3_320_538 * (p - F("4.5143"))}
    fs = ipo_findings(n, 35_000_000)
    assert [f.witness["series"] for f in fs] == ["A", "B"]
    f = fs[0]
    assert (f.rule, f.severity, f.verdict, f.clause) == ("ipo.position-jump", Severity.WARNING, Verdict.REFUTED, "V.4(b)")
    assert f.line is not None and "liquidation preference" in f.message
    # with the other reading (post-money), the threshold is (250,000,000 - 35,000,000) / fd
    assert ipo_price_breakpoints(n, 35_000_000, valuation="post_money")[0].price == F(215_000_000, fd)
    # below $35 million raised nothing converts
    assert ipo(n, 10, 34_999_999).converted == ()
    assert [x.witness["series"] for x in POSITION_JUMP.check(n)] == ["A", "B"]
    assert POSITION_JUMP.applies(n) and POSITION_JUMP.RULE == "ipo.position-jump"


def test_kinzan_and_valuestar():
    k = load("kinzan")
    bps = ipo_price_breakpoints(k, 20_000_000)
    assert [(b.price, b.series) for b in bps] == [(F(15), ("A", "B", "C"))]  # FOURTH.B.4(b): $15.00, $20,000,000
    assert bps[0].jumps == {}
    v = load("valuestar")  # no automatic conversion in the model
    r = ipo(v, F(20), 10_000_000)
    assert r.converted == () and r.get("A").position == 5_000_000  # A cannot convert: its preference
    assert ipo_price_breakpoints(v, 10_000_000) == [] and not POSITION_JUMP.applies(v)


# ---------------------------------------------------------------- input and output


@pytest.mark.parametrize("value,expected", [
    (None, None), (200, Filing(days=200)), ("200d", Filing(days=200)), ("13 months", Filing(months=13)),
    ("1y", Filing(months=12)), ("2000-06-30", Filing(on=__import__("datetime").date(2000, 6, 30))),
])
def test_parse_filed(value, expected):
    assert parse_filed(value) == expected


@pytest.mark.parametrize("value", ["soon", -1, True, "13w"])
def test_parse_filed_rejects(value):
    with pytest.raises(ValueError):
        parse_filed(value)


def test_bad_offerings():
    q = load("quintus")
    for price, amount in ((0, 1), (-1, 1), (1, -1)):
        with pytest.raises(ValueError):
            ipo(q, price, amount)
    with pytest.raises(ValueError):
        ipo(q, 1, 1, valuation="market")


def test_text_and_json():
    r = ipo(load("quintus"), F(5), 50_000_000)
    text = ipo_text(r)
    assert "IPO at $5.00 raising $50,000,000: 10,000,000 new shares" in text
    assert "Series E: converts (e_qpo), ratio 1.66" in text and "Cash on conversion: $18,739,020" in text
    j = r.to_json()
    json.dumps(j)
    assert j["series"][4]["ratio"] == "1.66" and j["cash_paid"] == "18739020"
    out = ipo_breakpoints_text(ipo_price_breakpoints(load("netgear"), 35_000_000))
    assert "trigger" in out and "jumps: Series A -" in out
    assert ipo_breakpoints_text([]) .startswith("No IPO price thresholds")
