"""Property paths the seed and golden charters leave unasserted, written for the mutation run over
charterverify/properties/ (docs/testing.md). Every number is worked out by hand in the comments.
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from charterverify.findings import Severity
from charterverify.model import ConversionUnit, format_exact, loads_model
from charterverify.properties import automatic
from charterverify.properties.base import money, number, profile_text, unit_label, unit_source

from propsupport import GOOD, PROPS, SEEDS, analysed, findings_of, variant

AUTOMATIC_FAIL = PROPS / "automatic_fail.toml"


def test_an_offering_with_only_a_size_test_converts_at_any_price():
    """tests/charters/properties/automatic_fail.toml with the offering's price test replaced by a
    size test ($1,000,000 raised, any price): A 1,000 shares, $10 preference, 1:1; common 1,000.

    At an offering price p the company is worth E = 2,000 p (common and A as converted), and A holds
    1,000 p. In a sale at E, A takes min(E, 10,000) (it converts only above E = 20,000, p = 10).
    Its loss: 1,000 p for p <= 5 (E <= 10,000), 10,000 - 1,000 p for 5 <= p <= 10, 0 above.
    So it loses at every price below $10.00, the most ($5,000) at $5.00; the example price is the
    roundest point of (5, 10), $6.00: E = 12,000, held 6,000, 10,000 in a sale, 4,000 moved.
    Kills the mutants of `automatic._free_price` (candidates, the root on the last losing piece,
    the example price, the message and witness) that only Quintus reached, with no value asserted."""
    model, an = variant(AUTOMATIC_FAIL, ('min_price_per_share = "5"', 'min_aggregate = "1000000"'))
    assert [b.x for b in an.breakpoints] == [10000, 20000]
    [f] = automatic.check(model, an)
    assert (f.rule, f.severity, f.line, f.clause) == ("automatic-conversion", Severity.WARNING, 40,
                                                       "4.B.4(b); 4.B.2(a)")
    assert f.witness == {
        "entry": "qpo", "series": "A", "basis": "min_aggregate", "price": "6", "company_value": "12000",
        "value_converted": "6000", "value_in_sale": "10000", "moved": "4000", "loses_up_to_price": "10",
        "most_moved": "5000", "most_moved_price": "5"}
    assert f.message == (
        "Series A has no price floor in a qualifying offering (4.B.4(b): only a raise of $1,000,000): an "
        "offering of that size converts it at any price, and at every price up to $10.00 a share it holds "
        "less than a sale of the same company value would pay. At $6.00 a share (company value $12,000) it "
        "holds $6,000 against $10,000 in a sale: $4,000 moves to other holders; the most, $5,000, at $5.00 "
        "a share")


# ---------------------------------------------------------------- words of the findings (base.py)

SERIES_A = ConversionUnit("A", "series", ("A",))
VOTE = ConversionUnit("AB", "class_vote", ("A", "B", "C"), controller="A", source="4.B.5")
POOL = ConversionUnit("plan", "option", ())


def test_unit_and_profile_words():
    """Kills the kind tests of `unit_label` and `profile_text` (`!=`, "XXoptionXX", "OPTION",
    "class_vote" mutated), the members joined (`join_names(None)`), `"XX; XX".join`, and the
    empty profile's words."""
    assert unit_label(SERIES_A) == "Series A"
    assert unit_label(VOTE) == "Series A, B and C (class vote AB)"
    assert unit_label(POOL) == "option pool plan"
    units = (SERIES_A, VOTE, POOL)
    assert profile_text(units, (False, False, False)) == "nobody converts"
    assert profile_text(units, (True, True, True)) == (
        "Series A converts; Series A, B and C convert (class vote AB); option pool plan is exercised")
    assert profile_text(units, (False, True, False)) == "Series A, B and C convert (class vote AB)"


def test_unit_source():
    """A unit's own source first; a series unit without one takes its conversion clause; a pool
    has none. Kills `unit_source`'s kind test, `get_series(None)` and `conv.source if conv`."""
    model, _ = analysed(str(GOOD / "capped.toml"))
    assert unit_source(model, VOTE) == "4.B.5"
    assert unit_source(model, ConversionUnit("B", "series", ("B",))) == "4.D.1"
    assert unit_source(model, ConversionUnit("A", "series", ("A",))) is None  # A cannot convert
    assert unit_source(model, POOL) is None


@pytest.mark.parametrize("x, text", [
    (F(1295000), "1,295,000"), (F(-1295000), "-1,295,000"), (F("0.25"), "0.25"), (F("-12345.5"), "-12,345.5"),
    (F(0), "0"), (F(1, 3), "about 0.333333"), (F(-2, 3), "about -0.666667"),
])
def test_number(x, text):
    """Shares, ratios and multiples in a message: exact with thousands separators, else 6 digits.
    Kills `number`'s sign (`x <= 0`, `x < 1`, `rstrip`), its decimals and its "/" test."""
    assert number(x) == text


# ---------------------------------------------------------------- an offering's prices (automatic.Offering)


def test_offering_values_with_a_price_floor_and_two_pools():
    """automatic_fail.toml changed: A converts at $5 (ratio 10 / 5 = 2) with an IPO price floor of
    $8.00 a share; 100 options at $3 buy common and 100 at $2 buy Series A.

    At an offering price p: A's ratio is max(2, 8 / p) (2 at p = 0: no floor without a price); A's
    1,000 shares are worth 1,000 x max(2p, 8); the company is worth 1,000 p (common) + A +
    max(100 p - 300, 0) (the common pool) + max(100 x 2 p - 200, 0) (the A pool).
    Kinks: the pools' prices per share of common, $2 / 2 = 1 and $3 / 1 = 3, and the floor, 8 / 2 = 4.
    Company values: p = 0: 8,000; 1: 9,000; 2: 2,000 + 8,000 + 200 = 10,200; 3: 11,400;
    4: 4,000 + 8,000 + 100 + 600 = 12,700; 5: 5,000 + 10,000 + 200 + 800 = 16,000.
    Kills `Offering.ratio` (`p >= 0`, `p > 1`, `floor * p`), `kinks` (`fl * r`, `price * r`, the
    common pool's ratio 2, `k >= 0`), `price_for`'s pieces."""
    model = loads_model(AUTOMATIC_FAIL.read_text()
                        .replace('[series.conversion]\nprice = "10"', '[series.conversion]\nprice = "5"')
                        + '\n[[captable.options]]\nid = "common_plan"\ncount = 100\nexercise_price = "3"\nbuys = "common"\n'
                        + '\n[[captable.options]]\nid = "a_plan"\ncount = 100\nexercise_price = "2"\nbuys = "A"\n'
                        + '\n[[ipo_ratchets]]\nseries = "A"\nkind = "price_floor"\nfloor_price = "8"\nsource = "4.B.4(c)"\n',
                        str(AUTOMATIC_FAIL))
    off = automatic.Offering(model, list(model.automatic_conversions))
    assert off.floor == {"A": 8}
    assert [off.ratio("A", F(p)) for p in (0, F(1, 2), 2, 5)] == [2, 16, 4, 2]
    assert off.kinks() == [1, 3, 4]
    assert [off.company_value(F(p)) for p in range(6)] == [8000, 9000, 10200, 11400, 12700, 16000]
    assert [off.series_value("A", F(p)) for p in (1, 5)] == [8000, 10000]
    assert off.price_for(F(7999)) is None
    assert [off.price_for(F(E)) for E in (8000, 9000, 10200, 12700, 16000)] == [0, 1, 2, 4, 5]


# ---------------------------------------------------------------- a class vote decided by the group's total


def test_a_group_vote_against_each_member():
    """tests/charters/properties/vote_group_total.toml (worked in its header): the group keeps up to
    $2,750 (a tie there keeps) and converts above.
    - A alone would convert at every exit value where the group keeps: converted it gets 2/5 E, kept
      E x 200 / 2,200 = E / 11 below the stack. Its range is (0, 2,750] (at 2,750: 1,100 against 200);
      the example is $1,000: A gets 1,000 / 11 (about $90.91) against 400.
    - B would keep where the group converts and 2/5 E < its $2,000: (2,750, 5,000); at $3,000 it gets
      1,200 converted against 2,000 kept.
    Kills the "keeps the preferred" / "kept the preferred" words, the group-total wording (no
    controller), the ranges' text and the profile read at the example exit value in
    `conversion._class_vote`, which only a converting group with a controller reached before."""
    path = str(PROPS / "vote_group_total.toml")
    found = [f for f in findings_of(path, "conversion") if f.severity is Severity.WARNING]
    assert [(f.line, f.clause) for f in found] == [(51, "4.B.5"), (51, "4.B.5")]  # line 51: [[class_votes]]
    assert [f.witness for f in found] == [
        {"vote": "AB", "member": "A", "ranges": [["0", "2750"]], "exit_value": "1000",
         "decision": "keep the preferred", "payout_as_decided": "1000/11", "payout_otherwise": "400"},
        {"vote": "AB", "member": "B", "ranges": [["2750", "5000"]], "exit_value": "3000",
         "decision": "convert", "payout_as_decided": "1200", "payout_otherwise": "2000"}]
    assert [f.message for f in found] == [
        "Series A would have chosen otherwise than class vote AB (4.B.5) for exit values from $0 to $2,750 "
        "(the group's total payout decides): at $1,000 the group keeps the preferred and Series A receives "
        "about $90.91, against $400 had the group converted",
        "Series B would have chosen otherwise than class vote AB (4.B.5) for exit values from $2,750 to "
        "$5,000 (the group's total payout decides): at $3,000 the group converts and Series B receives "
        "$1,200, against $2,000 had the group kept the preferred"]


def test_a_controlled_vote_is_worded_with_its_controller():
    """tests/charters/properties/monotonicity_vote.toml: A holds 900 of the group's 1,000 shares and
    carries vote AB alone; B ($10 x 100 = $1,000 preference) is converted with A from $2,000, where
    A's common share beats its $900; converted, B gets 100 / 2,000 of E ($500 at $10,000, the roundest
    point of (2,000, 20,000)) against its $1,000 kept. Kills the members joined (`join_names(None)`)
    in the controller's message and the controller wording replaced by the group's."""
    path = str(PROPS / "monotonicity_vote.toml")
    assert [f.message for f in findings_of(path, "conversion")] == [
        "Class vote AB (4.B.3(a)) is carried by Series A alone (900 of 1,000 shares): it decides the "
        "conversion of Series A and B",
        "Series B would have chosen otherwise than class vote AB (4.B.3(a)) for exit values from $2,000 to "
        "$20,000 (Series A carries the vote alone): at $10,000 the group converts and Series B receives "
        "$500, against $1,000 had the group kept the preferred"]


def test_a_group_vote_fall_is_worded_with_the_group_total():
    """vote_group_total.toml: at $2,750 the group keeps (tie) and B has its $2,000; just above, the
    group converts and B gets 2/5 x 2,751 = $1,100.40: a fall of $899.60 at the breakpoint, caused
    by the vote that no single series carries. Kills monotonicity's "the group's total payout decides"
    wording (`or True`, the text mutated), which only a vote with a controller reached before."""
    [f] = findings_of(str(PROPS / "vote_group_total.toml"), "monotonicity")
    assert (f.severity, f.line, f.clause) == (Severity.WARNING, 51, "4.B.5")
    assert f.witness == {"holder": "B", "exit_low": "2750", "exit_high": "2751", "payout_low": "2000",
                         "payout_high": "1100.4", "breakpoint": "2750", "drop": "899.6",
                         "causes": ["Series A and B convert by class vote AB (4.B.5)"]}
    assert f.message == ("Series B receives less at $2,751 than at $2,750 ($1,100.40 vs $2,000): Series A and "
                         "B convert by class vote AB (4.B.5), where the group's total payout decides")


def test_a_junior_series_paid_while_the_senior_tier_is_short():
    """tests/charters/good/capped.toml with its first piece (0, 5,000) altered as a wrong sweep would
    have it: A (tier series_a, $5,000) gets 9/10 of E and B (tier series_b, junior) 1/10. At $1,000
    (the roundest point of the piece) A has $900 of its $5,000 while B is paid $100.
    Kills seniority's wording of a junior series (`_finding`: its tier looked up, `holder_label`,
    the clause of both tiers), which only a common-stock junior reached before."""
    import copy

    from charterverify.properties import seniority

    model, an = analysed(str(GOOD / "capped.toml"))
    an = copy.deepcopy(an)
    an.model = model
    seg = next(s for s in an.segments if s.lo == 0)
    seg.forms["A"], seg.forms["B"] = (F(0), F(9, 10)), (F(0), F(1, 10))
    [f] = seniority.check(model, an)
    assert (f.line, f.clause) == (46, "4.B.1; 4.B.2")
    assert f.witness == {"exit_value": "1000", "senior": "A", "senior_payout": "900", "senior_full": "5000",
                         "junior": "B", "junior_payout": "100"}
    assert f.message == ("Series B (tier series_b) is paid $100 at an exit value of $1,000 while Series A "
                         "(tier series_a, ranking ahead) receives $900 of its $5,000 preference")


def test_juniper_forced_conversion_finding():
    """Juniper, FOURTH.6(a)(ii): the numbers are worked out by hand in tests/test_votes.py (N
    as-converted shares; the vote forces everyone to convert for E / N between C's conversion price
    $3.97 and D's $11.03, both ends excluded; A + B + C hold 10,859,059 of 14,039,059 preferred, 77.3%;
    C alone 5,200,000, 37.0%, blocks). At the roundest exit value of the range, $200,000,000, D's
    600,000 shares and D1's 2,580,000 get 200,000,000 / N each, against their $6,618,000 and
    $28,457,400 preferences. Kills the finding's wording and witness in `forced.check` (the range's
    ends and "(excluded)", the example exit value, the losers, the blocker, the reading) and
    `forced._end`, which only the finding's rule and severity were asserted for."""
    N = (20_000_000 + F(1_743_751 * 25, 11) + F(3_915_308 * 240, 107) + F(5_200_000 * 893, 397)
         + 600_000 + 2_580_000)
    L, U = F(397, 100) * N, F(1103, 100) * N
    [f] = findings_of(str(SEEDS / "juniper.toml"), "forced-conversion")
    assert (f.severity, f.line, f.clause) == (Severity.WARNING, 160, "FOURTH.6(a)(ii)")
    assert f.witness == {
        "vote": "qpo_a+qpo_b+qpo_c+qpo_d", "needs": "66 2/3% of Series A, B, C, D and D1 voting together",
        "coalition": ["A", "B", "C"], "coalition_share": ["10859059/14039059"],
        "converts": ["A", "B", "C", "D", "D1"], "losers": ["D", "D1"],
        "lo": format_exact(L), "lo_included": False, "hi": format_exact(U), "hi_included": False,
        "most_lost": {"D": "4236000", "D1": "18214800"}, "blockers": ["C"], "reading": "votes_in_sale = false"}
    d, d1 = 600_000 * F(200_000_000) / N, 2_580_000 * F(200_000_000) / N
    assert (money(d), money(d1)) == ("about $2,519,854.61", "about $10,835,374.82")
    assert f.message == (
        "By the conversion vote of FOURTH.6(a)(ii) (66 2/3% of Series A, B, C, D and D1 voting together), "
        "Series A, B and C (77.3% of the vote) can force Series A, B, C, D and D1 to convert before a sale "
        "for exit values from about $189,058,526.74 (excluded) to about $525,268,400.48 (excluded): Series A, "
        "B and C are each better off, and Series D and Series D1 lose their preference ($35,075,400) for their share "
        "as converted; the most it costs: Series D $4,236,000, Series D1 $18,214,800 at the low end of the "
        "range; at $200,000,000: Series D about $2,519,854.61 instead of $6,618,000, Series D1 about "
        "$10,835,374.82 instead of $28,457,400. Only Series C (37.0%) can block it alone. Reading "
        "votes_in_sale = false: the payouts shown assume the vote is not used in a sale "
        "(--reading votes_in_sale=true plays it).")
