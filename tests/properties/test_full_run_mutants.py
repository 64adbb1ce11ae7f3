"""Survivors of the full mutation run over charterverify/properties/ (docs/testing.md, "properties/
(the whole package)"), killed here. Each test names the mutants it kills in its docstring (mutmut's
names, without the `charterverify.properties.` prefix); every number is worked out by hand in the
comments.
"""

from __future__ import annotations

import dataclasses as dc

import pytest
from fractions import Fraction as F

from charterverify.model import load_model
from charterverify.properties import caps, conservation, consistency, conversion, forced, monotonicity, priority, seniority

from propsupport import GOOD, PROPS, SEEDS, analysed, variant

REFERENCES = PROPS / "references.toml"


def _broken_references():
    """references.toml rewritten in code so that every kind of reference consistency checks is broken.

    Series A (tier junior in the file), B (tier senior), and C added in code: A's copy with a zero
    preference, in no tier. Tiers: senior [B] (file tiers[0], line 42), junior [Z, B] (tiers[1],
    line 47), senior [B] again. The class vote AB names X, the automatic conversion qpo names W
    and votes V, the IPO ratchet names U, option pool `pool` buys T, and the cap table counts A,
    C and Y (no B)."""
    m = load_model(REFERENCES)
    a, b = m.series
    senior, junior = m.tiers
    c = dc.replace(a, id="C", preference=dc.replace(a.preference, per_share=F(0)))
    return m, dc.replace(
        m, series=(a, b, c),
        tiers=(senior, dc.replace(junior, series=("Z", "B")), dc.replace(senior, series=("B",))),
        class_votes=(dc.replace(m.class_votes[0], series=("A", "X")),),
        automatic_conversions=(dc.replace(m.automatic_conversions[0], series=("A", "W"), vote_series=("V",)),),
        ipo_ratchets=(dc.replace(m.ipo_ratchets[0], series="U"),),
        captable=dc.replace(m.captable, outstanding={"A": 1000, "C": 10, "Y": 5},
                            options=(dc.replace(m.captable.options[0], buys="T"),)))


def _all(findings):
    return [(f.rule, f.severity.label, f.verdict.value, f.message, f.line, f.clause, f.witness) for f in findings]


def test_a_series_without_an_outstanding_count_is_reported_not_a_crash():
    """A model built in code whose cap table has no count for Series B, under an authorized common
    of 1,500: `_authorized` read `model.outstanding("B")` and raised KeyError, so the check meant
    to report the missing count ("has no outstanding share count") never ran. Now the missing count
    needs no common: A 1,000 x 1 + C 10 x 1 = 1,010 needed (pool buys T, unknown: 0), 1,500 - 1,000
    = 500 free."""
    _, bad = _broken_references()
    bad = dc.replace(bad, common_authorized=1500)
    found = consistency.check(bad)
    assert (found[0].message, found[0].witness) == (
        "Conversion needs 1,010 common shares (1,010 for the preferred as converted) but only 500 are "
        "authorized and unissued (1,500 authorized, 1,000 outstanding)",
        {"needed": "1010", "available": 500, "authorized": 1500, "common_outstanding": 1000})
    assert ("Series B has no outstanding share count in the cap table", {"series": "B"}) in [
        (f.message, f.witness) for f in found]


def test_every_broken_reference_is_located_and_worded():
    """Every finding of `consistency._references`, message, line and clause included (the tests
    before asserted two witnesses). Lines of references.toml: tiers[0] 42, tiers[1] 47, class
    vote 52, automatic conversion 59, IPO ratchet 65, [captable] 71 (no `outstanding` table in
    the file: the key falls back to its table), the option pool 74, Series A's preference 20.
    The senior tier listed again holds B, as the first time: no "two tiers" for it (only junior's
    B is), and C's zero preference needs no tier.
    Kills consistency.x__references__mutmut_5-186 except the equivalents listed in docs/testing.md
    (the "tiers" fallback key, 24, 27, 28)."""
    m, bad = _broken_references()
    assert _all(consistency.check(m)) == []
    E = ("consistency", "error", "refuted")
    assert _all(consistency.check(bad)) == [
        (*E, "Tier junior (4.B.2(a)) refers to Series Z, which the model does not define", 47, "4.B.2(a)",
         {"series": "Z"}),
        (*E, "Series B is in two tiers (senior and junior): it would rank ahead of itself", 47, "4.B.2(a)",
         {"series": "B", "tiers": ["senior", "junior"]}),
        (*E, "Tier senior (4.B.2(b)) is listed twice: seniority is not an order", 42, "4.B.2(b)", {"tier": "senior"}),
        (*E, "Series A has a preference (4.B.2(a)) but is in no seniority tier", 20, "4.B.2(a)", {"series": "A"}),
        (*E, "Series B has no outstanding share count in the cap table", 71, "assumption", {"series": "B"}),
        (*E, "Class vote AB (4.B.4(c)) refers to Series X, which the model does not define", 52, "4.B.4(c)",
         {"series": "X"}),
        (*E, "Automatic conversion qpo (4.B.4(b)) refers to Series W, which the model does not define", 59,
         "4.B.4(b)", {"series": "W"}),
        (*E, "Automatic conversion qpo (4.B.4(b)) refers to Series V, which the model does not define", 59,
         "4.B.4(b)", {"series": "V"}),
        (*E, "The IPO ratchet (4.B.4(d)) refers to Series U, which the model does not define", 65, "4.B.4(d)",
         {"series": "U"}),
        (*E, "Option pool pool refers to Series T, which the model does not define", 74, "4.C", {"series": "T"}),
        (*E, "The cap table refers to Series Y, which the model does not define", 71, "assumption", {"series": "Y"}),
    ]


# ---------------------------------------------------------------- caps


def _worded(findings):
    return [(f.severity.label, f.line, f.message, f.witness) for f in findings]


def test_caps_items_alternate_points_and_pieces_in_exit_order():
    """tests/charters/good/capped.toml: A 1,000 shares with a $5 preference, then B 800 shares with
    $17.50, participating as 8,000 common (1:10) beside 8,000 common, capped at $30 (24,000). Breaks
    at 5,000 (A paid), 19,000 (B paid), 39,000 (B's half of the rest reaches 24,000 - 14,000 =
    10,000) and 53,000 (B converts: (E - 5,000) / 2 > 24,000): each breakpoint once, between the
    two pieces it ends and starts, the point at 0 first.
    Kills caps.x__items__mutmut_3, 4, 8-17 (a point repeated or left out) and 23, 24 (the tag)."""
    _, an = analysed(str(GOOD / "capped.toml"))
    items = caps._items(an)
    assert [it[0] for it in items] == ["point", "seg"] * 5
    assert [it[1] if it[0] == "point" else (it[1].lo, it[1].hi) for it in items] == [
        0, (0, 5000), 5000, (5000, 19000), 19000, (19000, 39000), 39000, (39000, 53000), 53000, (53000, None)]


def test_caps_messages():
    """The words of every caps finding (the golden tests assert the witnesses).

    caps_fail.toml (reading first_cap_ends): X 100, Y 1,000, Z 100 shares, $1 preferences, caps
    $1.50, $3, $4, common 1,000; only Y converts (1:1). Preferences 1,200; participation over
    2,200 shares reaches X's cap (50 cents a share) at 1,200 + 0.5 x 2,200 = 2,300, where
    participation ends: X held at $150, Y at 1,000 + 500 = $1,500, Z at 100 + 50 = $150 < $400.
    caps_below_preference.toml: A's $1 preference plus $0.60 declared, $1.60 > the $1.50 cap.
    Kills caps.x_check__mutmut_27-31, 34 (the dividends in the message), 243-249 (the reading's
    note), and the money/price mutants of the messages."""
    m, an = analysed(str(PROPS / "caps_fail.toml"))
    assert _worded(caps.check(m, an)) == [
        ("info", 30, "Series X's cap of $1.50 per share (4.B.2(b)) binds for exit values from $2,300 up: its "
         "payout is held at $150",
         {"series": "X", "cap": "1.5", "cap_total": "150", "from": "2300", "to": None}),
        ("warning", 45, "Series Y's cap of $3.00 per share (4.B.2(b)) can never bind: the series converts from an "
         "exit value of $3,300, before its payout reaches $3,000 (at most $1,500 while it keeps its preferred)",
         {"series": "Y", "cap": "3", "cap_total": "3000", "highest_payout": "1500", "converts_at": "3300"}),
        ("warning", 64, "Series Z's cap of $4.00 per share (4.B.2(b)) can never bind: its payout never exceeds "
         "$150, below the cap's $400 (reading first_cap_ends: participation ends when the first cap is reached)",
         {"series": "Z", "cap": "4", "cap_total": "400", "highest_payout": "150"}),
    ]
    m, an = analysed(str(PROPS / "caps_below_preference.toml"))
    assert _worded(caps.check(m, an)) == [
        ("error", 29, "Series A's cap of $1.50 per share (4.B.2(b)) is below its preference of $1.60 per share "
         "($1.00 plus $0.60 of declared dividends): it can never participate",
         {"series": "A", "cap": "1.5", "preference": "1.6"})]


def test_a_cap_equal_to_the_preference_binds_from_the_preference():
    """caps_below_preference.toml with $0.50 declared: A's preference 1 + 0.50 = $1.50 a share, equal
    to its cap, so it is not below it: A (1,000 shares) takes $1,500 at E = 1,500 and is held there
    until it converts (1:1 beside 1,000 common: E / 2 > 1,500 above E = 3,000).
    Kills caps.x_check__mutmut_26 (`cap <= pref`)."""
    m, an = variant(PROPS / "caps_below_preference.toml", ('A = "0.6"', 'A = "0.5"'))
    assert _worded(caps.check(m, an)) == [
        ("info", 29, "Series A's cap of $1.50 per share (4.B.2(b)) binds for exit values from $1,500 to $3,000: its "
         "payout is held at $1,500",
         {"series": "A", "cap": "1.5", "cap_total": "1500", "from": "1500", "to": "3000"})]


def test_a_cap_below_the_preference_does_not_end_the_check_of_the_other_series():
    """caps_fail.toml with $0.60 declared on X: X's preference 1.60 > its 1.50 cap (error), and under
    first_cap_ends X's cap is reached at once, so no one participates: preferences 160 + 1,000 +
    100; Y keeps $1,000 until it converts, (E - 260) / 2 > 1,000 above E = 2,260 (X and Z cannot
    convert); Z never has more than its $100.
    Kills caps.x_check__mutmut_60 (`continue` -> `break` after the error)."""
    m, an = variant(PROPS / "caps_fail.toml",
                     ("common_outstanding = 1000", 'common_outstanding = 1000\n\n[captable.dividends]\nX = "0.6"'))
    assert _worded(caps.check(m, an)) == [
        ("error", 30, "Series X's cap of $1.50 per share (4.B.2(b)) is below its preference of $1.60 per share "
         "($1.00 plus $0.60 of declared dividends): it can never participate",
         {"series": "X", "cap": "1.5", "preference": "1.6"}),
        ("warning", 45, "Series Y's cap of $3.00 per share (4.B.2(b)) can never bind: the series converts from an "
         "exit value of $2,260, before its payout reaches $3,000 (at most $1,000 while it keeps its preferred)",
         {"series": "Y", "cap": "3", "cap_total": "3000", "highest_payout": "1000", "converts_at": "2260"}),
        ("warning", 64, "Series Z's cap of $4.00 per share (4.B.2(b)) can never bind: its payout never exceeds "
         "$100, below the cap's $400 (reading first_cap_ends: participation ends when the first cap is reached)",
         {"series": "Z", "cap": "4", "cap_total": "400", "highest_payout": "100"}),
    ]


@pytest.mark.parametrize("module, what", [
    (caps, "Where the participation caps bind"),
    (conversion, "The equilibrium set"),
    (monotonicity, "That every payout is non-decreasing"),
    (priority, "That no junior series is paid ahead of a senior preference"),
    (seniority, "That no junior tier is paid while a senior one is short"),
], ids=lambda x: getattr(x, "RULE", None))
def test_unproved_pieces_are_reported_unknown(module, what):
    """capped.toml with the piece (19,000, 39,000) marked unproved ("canceled"): each property that
    reads the pieces reports one UNKNOWN warning for that range, in its own words.
    Kills the `unproved_findings(...)` argument mutants of caps.x_check (268, 270, 271, 276-278),
    seniority.x_check (193-203), priority.x_check (241-243) and the other checks'."""
    m, an = variant(GOOD / "capped.toml")
    an.segments[2] = dc.replace(an.segments[2], proved=False, reason="canceled")
    [unknown] = [f for f in module.check(m, an) if f.verdict.value == "unknown"]
    assert (unknown.rule, unknown.severity.label, unknown.message, unknown.witness) == (
        module.RULE, "warning", f"{what} is not proved for exit values from $19,000 to $39,000: canceled",
        {"from": "19000", "to": "39000", "reason": "canceled"})


def test_a_cap_below_the_preference_without_dividends_has_no_dividend_words():
    """capped.toml with B's cap set to $10 in code (the loader refuses a cap below `per_share`): B's
    $17.50 preference alone is above it, and the message names no declared dividends.
    Kills caps.x_check__mutmut_31, 34 (the dividends' words when there are none)."""
    model, an = analysed(str(GOOD / "capped.toml"))
    a, b = model.series
    bad = dc.replace(model, series=(a, dc.replace(b, participation=dc.replace(b.participation, cap=F(10)))))
    [f] = [f for f in caps.check(bad, an) if f.severity.label == "error"]
    assert f.message == ("Series B's cap of $10.00 per share (4.B.2) is below its preference of $17.50 per share: "
                         "it can never participate")


# ---------------------------------------------------------------- conversion


def test_a_conversion_that_changes_nothing_is_not_dominant():
    """dominant_conversion.toml with A fully participating and converting 1:1: kept or converted, A
    (pref $0) takes 1,000 of the 3,000 common-equivalent shares after B's $2,000 (500 x $4), and
    1,000 of 3,500 once B converts (1:1: E x 500 / 3,500 > 2,000 above E = 14,000); either way
    the same as when converted: its gain from converting is 0 everywhere, so
    conversion never "pays at least as much, strictly more somewhere" and nothing is reported.
    Kills conversion.x__dominance__mutmut_2 (`strict = True`) and 107 (`max(vals) >= 0`)."""
    m, an = variant(GOOD / "dominant_conversion.toml",
                     ('[series.conversion]\nprice = "0.5"',
                      '[series.participation]\nkind = "full"\nsource = "4.B.2(b)"\n\n[series.conversion]\nprice = "1"'))
    assert [b.x for b in an.breakpoints] == [2000, 14000]
    assert conversion.check(m, an) == []


# ---------------------------------------------------------------- forced conversion


def test_a_conversion_vote_not_played_is_reported_unknown_in_words():
    """Juniper's analysis without its exact tables (an analysis with too many deciding units has
    none): the vote of FOURTH.6(a)(ii) is reported unknown, on the line of the automatic
    conversion's vote (160), with the 5 deciding units (A, B, C, D, D1). The message is a
    sentence like every other ("the conversion vote ..." began in lower case).
    Kills forced.x_check__mutmut_17-32."""
    m, an = analysed(str(SEEDS / "juniper.toml"))
    [f] = forced.check(m, dc.replace(an, tables=None))
    assert (f.rule, f.severity.label, f.verdict.value, f.line, f.clause, f.witness) == (
        "forced-conversion", "info", "unknown", 160, "FOURTH.6(a)(ii)", {})
    assert f.message == ("The conversion vote (FOURTH.6(a)(ii)) was not played: with 5 deciding units the exact "
                         "tables that find where a coalition would force conversion are not built")


def test_a_conversion_vote_that_no_gaining_coalition_carries():
    """Netgear (V.4(b): 60% of Series A, B and C voting together converts all three): A and B take
    more as preferred than as converted wherever C would gain (tests/properties/test_seeds.py), and
    C alone is short of 60%, so the vote is never carried by the series it would help: one PROVED
    info finding on the vote's line (119).
    Kills forced.x_check__mutmut_335-357 (the finding's fields and words)."""
    m, an = analysed(str(SEEDS / "netgear.toml"))
    [f] = forced.check(m, an)
    assert (f.rule, f.severity.label, f.verdict.value, f.line, f.clause, f.witness) == (
        "forced-conversion", "info", "proved", 119, "V.4(b)", {"vote": "qipo"})
    assert f.message == ("The conversion vote of V.4(b) (60% of Series A, B and C voting together) converts Series "
                         "A, B and C, but at no exit value do the series that would gain from it carry it before a sale")


def test_two_equilibria_in_words():
    """tests/charters/good/tied_equilibria.toml (worked in tests/test_equilibrium_ties.py): from
    44,800/23 (about $1,947.83) to $2,200 either A alone or B alone converts, and the two pay A and
    B differently (320 against 600 at 2,000). One warning, on A's conversion (line 32, 4.D.1), the
    first unit the two equilibria differ in.
    Kills conversion.x__uniqueness__mutmut_45-62 (the equilibria and the range in the message),
    65, 66, 71 (`>= 1`: every unit "involved"), 88, 93."""
    m, an = analysed(str(GOOD / "tied_equilibria.toml"))
    [f] = conversion.check(m, an)
    assert (f.severity.label, f.line, f.clause, f.witness) == (
        "warning", 32, "4.D.1",
        {"from": "44800/23", "to": "2200", "payouts_differ": True, "equilibria": [["A"], ["B"]]})
    assert f.message == (
        "The conversion game has 2 equilibria for exit values from about $1,947.83 to $2,200 (Series A converts | "
        "Series B converts) and their payouts differ; the reported payouts are those of the equilibrium with the "
        "fewest conversions")


# ---------------------------------------------------------------- automatic conversion


def test_no_offering_price_is_consistent_at_a_valuation_threshold():
    """automatic_fail.toml with the offering's test a $1,000 valuation (line 41) and $2 a share of
    cash on A's conversion: A's 1,000 shares take $2,000 in cash at any offering price, more than
    the whole company is worth at the threshold, so no price p solves company_value(p) = 1,000.
    With an IPO price floor of $3 for A (4.B.4(d)) A's shares are also worth at least 1,000 x 3 =
    $3,000 at any price: $5,000 at a price of zero.
    Kills automatic.x_check__mutmut_47-99 (the "no offering price" finding)."""
    from charterverify.properties import automatic
    cash = (('min_price_per_share = "5"', 'min_valuation = "1000"'),
            ('price = "10"\nsource = "4.B.4(a)"', 'price = "10"\ncash_per_share = "2"\nsource = "4.B.4(a)"'))
    m, an = variant(PROPS / "automatic_fail.toml", *cash)
    [f] = automatic.check(m, an)
    assert (f.rule, f.severity.label, f.verdict.value, f.line, f.clause, f.witness) == (
        "automatic-conversion", "info", "not_applicable", 41, "4.B.4(b)",
        {"entry": "qpo", "basis": "min_valuation", "company_value": "1000", "value_at_zero_price": "2000"})
    assert f.message == (
        "At the qpo threshold (4.B.4(b), min_valuation $1,000) no offering price is consistent: the cash on "
        "conversion ($2,000) alone are worth $2,000 at any price, more than the company value taken at the threshold")
    floor = ("[captable]", '[[ipo_ratchets]]\nseries = "A"\nkind = "price_floor"\nfloor_price = "3"\n'
                           'source = "4.B.4(d)"\n\n[captable]')
    m, an = variant(PROPS / "automatic_fail.toml", *cash, floor)
    [f] = automatic.check(m, an)
    assert (f.line, f.clause, f.witness["value_at_zero_price"]) == (41, "4.B.4(b); 4.B.4(d)", "5000")
    assert f.message == (
        "At the qpo threshold (4.B.4(b), min_valuation $1,000) no offering price is consistent: the cash on "
        "conversion ($2,000) and the IPO price floors of Series A alone are worth $5,000 at any price, more than the "
        "company value taken at the threshold")


def test_authorized_stock_counts_series_and_option_pools_as_converted():
    """references.toml changed in code: B converts at $1 (ratio 2 / 1 = 2), pool `pool` (100
    options on B) and a second pool of 50 options on common, 2,500 common authorized with 1,000
    outstanding, and 1,500 preferred authorized with no clause named. Designated: 1,000 + 1,000
    = 2,000 > 1,500. Common needed: A 1,000 x 1 + B 1,000 x 2 = 3,000 for the series, 100 x 2 +
    50 = 250 for the pools, 3,250 > 2,500 - 1,000 = 1,500.
    Kills consistency.x__authorized's pool mutants (`p.buys != COMMON`, `/ ratio`, the default
    ratio, `need = series - pools`, `>=`, the "and ... for the option pools" part) and the
    preferred's unnamed source."""
    from charterverify.model import OptionPool
    m = load_model(REFERENCES)
    a, b = m.series
    b = dc.replace(b, conversion=dc.replace(b.conversion, price=F(1)))
    pools = m.captable.options + (OptionPool("common_pool", 50, F("0.10"), "common"),)
    bad = dc.replace(m, series=(a, b), common_authorized=2500, preferred_authorized=1500, preferred_source=None,
                     captable=dc.replace(m.captable, options=pools))
    assert [(f.message, f.witness) for f in consistency.check(bad)] == [
        ("The series designate 2,000 preferred shares, more than the 1,500 authorized (preferred)",
         {"designated": 2000, "authorized": 1500}),
        ("Conversion needs 3,250 common shares (3,000 for the preferred as converted and 250 for the option pools) "
         "but only 1,500 are authorized and unissued (2,500 authorized, 1,000 outstanding)",
         {"needed": "3250", "available": 1500, "authorized": 2500, "common_outstanding": 1000}),
    ]
    # exactly enough common: 3,250 needed, 3,250 free (4,250 authorized) is no finding
    assert consistency.check(dc.replace(bad, common_authorized=4250, preferred_authorized=2000)) == []


def test_a_sibling_preference_off_the_pattern_of_three():
    """consistency_fail.toml's family G1-G4 (issue prices $1-$4, preferences 1x) changed in code.
    Three members, G3's preference $3.30 (1.1x): two of three (a strict majority of at least two)
    share 1x, so G3 breaks the pattern (its per_share, line 63): expected 1 x $3.00 = $3.00. With
    all four and G3 and G4 both at 1.1x, two against two is no majority: no preference finding.
    Kills consistency.x__siblings's preference mutants (16-24), the family size and majority
    tests (40, 41, 51, 52, 55) and x__families 11, 12 (a family of three)."""
    m = load_model(PROPS / "consistency_fail.toml")
    g1, g2, g3, g4 = m.series
    off = lambda s: dc.replace(s, preference=dc.replace(s.preference, per_share=s.preference.per_share * F("1.1")))
    three = dc.replace(m, series=(g1, g2, off(g3)))
    found = [f for f in consistency.check(three) if f.witness.get("kind") == "preference"]
    assert [(f.line, f.clause, f.message, f.witness) for f in found] == [
        (63, "4.B.2(a)(iii)", "Series G3's preference of $3.30 per share (4.B.2(a)(iii)) breaks the pattern of "
         "Series G1 and G2 (1 × the original issue price): 1 × $3.00 = $3.00",
         {"series": "G3", "kind": "preference", "value": "3.3", "expected": "3", "multiple": "1",
          "actual_multiple": "1.1", "siblings": ["G1", "G2"]})]
    split = dc.replace(m, series=(g1, g2, off(g3), off(g4)))
    assert [f for f in consistency.check(split) if f.witness.get("kind") == "preference"] == []


def test_adjacent_unproved_pieces_are_one_run():
    """capped.toml (pieces 0-5,000, -19,000, -39,000, -53,000, 53,000 up) with the first piece
    unproved ("canceled") and the third and fourth unproved with no reason given: two runs, the
    adjacent pieces one run from 19,000 to 53,000 worded with the default reason. Then the last
    piece alone unproved: a run open above.
    Kills base.x_unproved_findings__mutmut_5-12 (the run's merging), 21, 22 (the default reason)
    and 37 (the open end)."""
    m, an = variant(GOOD / "capped.toml")
    segs = list(an.segments)
    an.segments[0] = dc.replace(segs[0], proved=False, reason="canceled")
    an.segments[2] = dc.replace(segs[2], proved=False, reason=None)
    an.segments[3] = dc.replace(segs[3], proved=False, reason=None)
    assert [(f.message, f.witness) for f in caps.check(m, an) if f.verdict.value == "unknown"] == [
        ("Where the participation caps bind is not proved for exit values from $0 to $5,000: canceled",
         {"from": "0", "to": "5000", "reason": "canceled"}),
        ("Where the participation caps bind is not proved for exit values from $19,000 to $53,000: the solver gave up",
         {"from": "19000", "to": "53000", "reason": "the solver gave up"}),
    ]
    an.segments[:] = segs
    an.segments[4] = dc.replace(segs[4], proved=False, reason="canceled")
    assert [(f.message, f.witness) for f in caps.check(m, an) if f.verdict.value == "unknown"] == [
        ("Where the participation caps bind is not proved for exit values from $53,000 up: canceled",
         {"from": "53000", "to": None, "reason": "canceled"})]


def test_conservation_unproved_pieces_without_tables_and_with_z3_starved():
    """capped.toml without its exact tables (so `check` takes the z3 path), z3 given a resource
    limit of 1 (unknown), and the piece (19,000, 39,000) unproved: the sampled forms refute
    nothing, so the piece is reported unknown in conservation's words, with z3's reason.
    Kills conservation.x_check__mutmut_34-48 (the unknown findings' arguments and words)."""
    m, an = variant(GOOD / "capped.toml")
    an = dc.replace(an, tables=None)
    an.segments[2] = dc.replace(an.segments[2], proved=False, reason="canceled")
    [f] = conservation.check(m, an, rlimit=1)
    assert (f.rule, f.severity.label, f.verdict.value, f.message, f.witness) == (
        "conservation", "warning", "unknown",
        "That the payouts add up to the exit value is not proved for exit values from $19,000 to $39,000: canceled",
        {"from": "19000", "to": "39000", "reason": "canceled", "z3": "max. resource limit exceeded"})


def test_a_reading_not_stated_is_located_at_the_clause_it_reads():
    """caps_fail.toml and priority_fail.toml without their [readings] table: the reading in force is
    the default, and with no `readings.<name>` line in the file the finding is located at the term
    the reading interprets: the first capped series' cap (X, line 30, 4.B.2(b)) for cap_dropout,
    the cash on conversion (X's cash_per_share, line 41, its cash clause 4.B.3(a)(i)) for
    cash_on_conversion.
    Kills reading.x__where__mutmut_12-16 and 24-30 (the keys and clauses of those two readings)."""
    from charterverify.properties import reading
    m, an = variant(PROPS / "caps_fail.toml", ('[readings]\ncap_dropout = "first_cap_ends"\n', ""))
    assert [(f.line, f.clause, f.witness["reading"], f.witness["value"]) for f in reading.check(m, an)] == [
        (30, "4.B.2(b)", "cap_dropout", "own_cap")]
    m, an = variant(PROPS / "priority_fail.toml", ('[readings]\ncash_on_conversion = "before_preferences"\n', ""))
    assert [(f.line, f.clause, f.witness["reading"]) for f in reading.check(m, an)] == [
        (41, "4.B.3(a)(i)", "cash_on_conversion")]


def test_sibling_findings_in_words():
    """consistency_fail.toml's G4 (issue price $4): cap $8.40 against the 2x of G1-G3 (2 x $4 =
    $8), declared dividend $0.40 against their 0.08x (0.08 x $4 = $0.32). The golden test asserts
    the witnesses; here the words. Kills consistency.x__siblings__mutmut_27, 28 (the dividend's
    label)."""
    m = load_model(PROPS / "consistency_fail.toml")
    assert [f.message for f in consistency.check(m) if "pattern" in f.message] == [
        "Series G4's cap of $8.40 per share (4.B.2(b)) breaks the pattern of Series G1, G2 and G3 (2 × the "
        "original issue price): 2 × $4.00 = $8.00",
        "Series G4's declared dividend of $0.40 per share (assumption) breaks the pattern of Series G1, G2 and G3 "
        "(0.08 × the original issue price): 0.08 × $4.00 = $0.32"]
