"""Golden findings of every property on its violating and satisfying charters.

Each charter in tests/charters/properties/ violates one property; the ones in
tests/charters/good/ satisfy them. The expected numbers are worked by hand in the comments.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from propsupport import GOOD, PROPS, findings_of, golden, verdicts

ALL_PROVED = {
    "conservation": "proved", "monotonicity": "proved", "seniority": "proved", "priority": "proved",
    "caps": "not_applicable", "conversion": "proved", "automatic-conversion": "not_applicable",
    "consistency": "proved",
    # no conversion votes, and no reading that changes a payout, in the test charters
    "forced-conversion": "not_applicable", "reading": "not_applicable",
    # no [[anti_dilution]] terms in the test charters: nothing to prove
    "anti-dilution.no-increase": "not_applicable", "anti-dilution.inconsistent-base": "not_applicable",
    "ipo.position-jump": "not_applicable",  # applies only to charters with automatic conversion
    "terms": "not_applicable",  # no redemption, accruing dividends, multiple, greater-of, tier cap, catch-up...
}
ALIASES = {"ipo": "ipo.position-jump"}


def expect(path, **changes) -> None:
    want = dict(ALL_PROVED)
    want.update({ALIASES.get(k, k.replace("_", "-")): v for k, v in changes.items()})
    assert verdicts(str(path)) == want


# ---------------------------------------------------------------- satisfying charters


def test_good_simple_satisfies_everything():
    expect(GOOD / "simple.toml", automatic_conversion="proved", ipo="proved")
    assert findings_of(str(GOOD / "simple.toml")) == []


def test_good_capped_cap_binds_on_its_flat_zone():
    # A $5,000 senior; B $14,000 preference ($19,000); then B (8,000 as converted) and common
    # (8,000) share 50/50 until B has 800 x $30 = $24,000: $10,000 more, i.e. $39,000; flat
    # until B converts: (E - 5,000) / 2 > 24,000 -> E > 53,000.
    path = str(GOOD / "capped.toml")
    expect(GOOD / "capped.toml", caps="proved")
    assert golden(findings_of(path)) == [
        ("caps", "info", "proved", 39, "4.B.2",
         {"series": "B", "cap": "30", "cap_total": "24000", "from": "39000", "to": "53000"}),
    ]
    assert findings_of(path)[0].message == (
        "Series B's cap of $30.00 per share (4.B.2) binds for exit values from $39,000 to $53,000: "
        "its payout is held at $24,000")


def test_good_priority_after_preferences():
    # the only finding names the reading: Y $1,000 senior, X $1,000 junior converting 1:1 with $0.60
    # a share ($600) in cash. At $600, cash after the preferences: Y takes all $600, X nothing; cash
    # first (before_preferences): X converts and its $600 cash takes it all. The total change, $1,200,
    # is the same up to $1,000 (Y $400 + X $600 against Y $1,000): the lowest such exit is shown.
    expect(GOOD / "priority_after.toml", reading="proved")
    (f,) = findings_of(str(GOOD / "priority_after.toml"))
    assert (f.rule, f.severity.label) == ("reading", "info")
    assert f.witness["changes"] == {"Y": "-600", "X": "600"} and f.witness["at"] == "600"


def test_good_dominant_conversion_info():
    # A's preference is $0 and it converts 1:2: converted it always gets >= 0 = its preference.
    path = str(GOOD / "dominant_conversion.toml")
    expect(GOOD / "dominant_conversion.toml")
    assert golden(findings_of(path)) == [
        ("conversion", "info", "proved", 28, "4.B.4(a); 4.B.2(a)(i)", {"unit": "A", "members": ["A"]}),
    ]


# ---------------------------------------------------------------- monotonicity


def test_monotonicity_error_when_a_conversion_ends_first_cap_participation():
    # first_cap_ends: prefs $1,100; X's cap (room $0.50 a share) stops all participation at
    # R = 0.5 x 2,100 = $1,050. At $4,150 (X keeps): common = 3,050 - 0.5 x 1,100 = $2,500.
    # X converts above $4,150 ((E - 1,000) x 100 / 2,100 > 150); then Y's cap ends
    # participation instead: at $4,151 common = 3,151 x 1,000 / 2,100 = 31,510/21.
    path = str(PROPS / "monotonicity_fail.toml")
    expect(PROPS / "monotonicity_fail.toml", monotonicity="refuted", caps="proved", reading="proved")
    mono = findings_of(path, "monotonicity")
    assert golden(mono) == [
        ("monotonicity", "error", "refuted", 33, "4.B.4",
         {"holder": "common", "exit_low": "4150", "exit_high": "4151", "payout_low": "2500",
          "payout_high": "31510/21", "breakpoint": "4150", "drop": "20990/21",
          "causes": ["Series X converts (4.B.4)"]}),
    ]
    assert mono[0].message == ("Common stock receives less at $4,151 than at $4,150 "
                               "(about $1,500.48 vs $2,500): Series X converts (4.B.4)")
    assert golden(findings_of(path, "caps")) == [
        ("caps", "info", "proved", 30, "4.B.2(b); 4.B.2(a)",
         {"series": "X", "cap": "1.5", "cap_total": "150", "from": "2150", "to": "4150"}),
        ("caps", "info", "proved", 49, "4.B.2(b); 4.B.2(a)",
         {"series": "Y", "cap": "3", "cap_total": "3000", "from": "5200", "to": None}),
    ]


def test_monotonicity_warning_when_a_class_vote_outvotes_a_member():
    # A (900 of 1,000 vote shares) converts the group when 900 / 2,000 x E > 900: E > 2,000.
    # B falls from its $1,000 preference to 100 / 2,000 x 2,001 = $100.05.
    path = str(PROPS / "monotonicity_vote.toml")
    expect(PROPS / "monotonicity_vote.toml", monotonicity="refuted", conversion="refuted")
    mono = findings_of(path, "monotonicity")
    assert golden(mono) == [
        ("monotonicity", "warning", "refuted", 51, "4.B.3(a)",
         {"holder": "B", "exit_low": "2000", "exit_high": "2001", "payout_low": "1000",
          "payout_high": "100.05", "breakpoint": "2000", "drop": "899.95",
          "causes": ["Series A and B convert by class vote AB (4.B.3(a))"]}),
    ]
    assert mono[0].message == (
        "Series B receives less at $2,001 than at $2,000 ($100.05 vs $1,000): Series A and B convert by "
        "class vote AB (4.B.3(a)), where Series A carries the vote alone")


# ---------------------------------------------------------------- conversion


def test_conversion_class_vote_decides_against_a_member():
    # Converted, B gets 0.05 E; kept, $1,000: B would keep below E = 20,000.
    path = str(PROPS / "monotonicity_vote.toml")
    assert golden(findings_of(path, "conversion")) == [
        ("conversion", "info", "proved", 51, "4.B.3(a)",
         {"vote": "AB", "controller": "A", "controller_shares": 900, "group_shares": 1000}),
        ("conversion", "warning", "refuted", 51, "4.B.3(a)",
         {"vote": "AB", "member": "B", "ranges": [["2000", "20000"]], "exit_value": "10000",
          "decision": "convert", "payout_as_decided": "500", "payout_otherwise": "1000"}),
    ]


# ---------------------------------------------------------------- priority


def test_priority_cash_on_conversion_ahead_of_a_senior_preference():
    # X converts for its $600 cash while that beats its junior preference: below $1,600
    # (at $1,600 both give $600; ties keep). At $100 X takes all $100, Y gets $0 of $1,000.
    path = str(PROPS / "priority_fail.toml")
    expect(PROPS / "priority_fail.toml", priority="refuted", reading="proved")
    assert golden(findings_of(path, "priority")) == [
        # every holder that loses to the cash, against paying it after the preferences: at $600 the
        # cash takes it all (X $600, Y $0); after the preferences Y would take the $600
        ("priority", "warning", "refuted", 41, "4.B.3(a)(i)",
         {"reading": "before_preferences", "losers": {"Y": {"most_lost": "600", "at": "600"}}}),
        ("priority", "warning", "refuted", 41, "4.B.3(a)(i); 4.B.2(a)(i)",
         {"ranges": [["0", "1600"]], "exit_value": "100", "junior": "X", "junior_payout": "100",
          "senior": "Y", "senior_payout": "0", "senior_full": "1000", "converted": ["X"],
          "reading": "before_preferences"}),
    ]


# ---------------------------------------------------------------- caps


def test_caps_that_never_bind():
    # first_cap_ends; prefs $1,200; weights X 100, Y 1,000, Z 100, common 1,000 (2,200).
    # X's cap room $0.50 ends participation at R = $1,100 (E = $2,300): X = $150 from there.
    # Y kept: at most 1,000 + 500 = $1,500 < $3,000; converted: (E - 300) / 2 > 1,500 above $3,300.
    # Z cannot convert: 100 + 50 = $150 < $400.
    path = str(PROPS / "caps_fail.toml")
    expect(PROPS / "caps_fail.toml", caps="refuted", reading="proved")
    assert golden(findings_of(path, "caps")) == [
        ("caps", "info", "proved", 30, "4.B.2(b); 4.B.2(a)",
         {"series": "X", "cap": "1.5", "cap_total": "150", "from": "2300", "to": None}),
        ("caps", "warning", "refuted", 45, "4.B.2(b); 4.B.2(a); 4.B.4",
         {"series": "Y", "cap": "3", "cap_total": "3000", "highest_payout": "1500", "converts_at": "3300"}),
        ("caps", "warning", "refuted", 64, "4.B.2(b); 4.B.2(a)",
         {"series": "Z", "cap": "4", "cap_total": "400", "highest_payout": "150"}),
    ]


def test_cap_below_the_preference_with_dividends():
    path = str(PROPS / "caps_below_preference.toml")
    expect(PROPS / "caps_below_preference.toml", caps="refuted")
    assert golden(findings_of(path)) == [
        ("caps", "error", "refuted", 29, "4.B.2(b); 4.B.2(a)", {"series": "A", "cap": "1.5", "preference": "1.6"}),
    ]


# ---------------------------------------------------------------- automatic conversion


def test_automatic_conversion_below_the_issue_price():
    # $5.00 x (1,000 common + 1,000 A) = $10,000: in a sale A's $10,000 preference takes it all.
    path = str(PROPS / "automatic_fail.toml")
    # its offering converts A at a price where its position falls at the trigger (ipo.position-jump)
    expect(PROPS / "automatic_fail.toml", automatic_conversion="refuted", ipo="refuted")
    assert golden([f for f in findings_of(path) if f.rule == "ipo.position-jump"]) == [
        ("ipo.position-jump", "warning", "refuted", 37, "4.B.4(b)",
         {"series": "A", "price": "5", "raise": "0", "before": "10000", "at": "5000", "drop": "5000", "rule": "qpo",
          "valuation_basis": "pre_money", "filing": None, "preference": "10000"}),
    ]
    assert golden([f for f in findings_of(path) if f.rule != "ipo.position-jump"]) == [
        ("automatic-conversion", "warning", "refuted", 40, "4.B.4(b); 4.B.2(a)",
         {"entry": "qpo", "series": "A", "basis": "min_price_per_share", "company_value": "10000", "price": "5",
          "ratio": "1", "value_converted": "5000", "value_in_sale": "10000", "moved": "5000",
          "triggered": ["qpo"]}),
    ]


# ---------------------------------------------------------------- consistency


def test_consistency_counts_and_sibling_patterns():
    path = str(PROPS / "consistency_fail.toml")
    expect(PROPS / "consistency_fail.toml", caps="proved", consistency="refuted", reading="proved")
    assert golden(findings_of(path, "consistency")) == [
        ("consistency", "error", "refuted", 11, "4.A; 4.B.3(a)",
         {"needed": "4000", "available": 3000, "authorized": 5000, "common_outstanding": 2000}),
        ("consistency", "error", "refuted", 15, "4.A; 4.B", {"designated": 4000, "authorized": 3000}),
        ("consistency", "info", "refuted", 87, "4.B.2(b)",
         {"series": "G4", "kind": "cap", "value": "8.4", "expected": "8", "multiple": "2", "actual_multiple": "2.1",
          "siblings": ["G1", "G2", "G3"]}),
        ("consistency", "info", "refuted", 106, "assumption",
         {"series": "G4", "kind": "dividend", "value": "0.4", "expected": "0.32", "multiple": "0.08",
          "actual_multiple": "0.1", "siblings": ["G1", "G2", "G3"]}),
    ]


@pytest.mark.parametrize("path", sorted(str(p) for p in list(GOOD.glob("*.toml")) + list(PROPS.glob("*.toml"))))
def test_every_finding_is_located_and_worded(path):
    for f in findings_of(path):
        assert f.file == path and f.line is not None and f.clause
        assert "\n" not in f.message and f.message[0].isupper()


def test_conversion_multiple_equilibria_with_different_payouts():
    path = str(PROPS / "conversion_multiple.toml")
    expect(PROPS / "conversion_multiple.toml", monotonicity="refuted", conversion="refuted")
    unique = [f for f in findings_of(path, "conversion") if "equilibria" in f.witness]
    assert golden(unique) == [
        ("conversion", "warning", "refuted", 65, "IV.B.3(a)",
         {"from": "15", "to": "250", "payouts_differ": True, "equilibria": [[], ["cv", "E"]]}),
        ("conversion", "warning", "refuted", 65, "IV.B.3(a)",
         {"from": "250.09636", "to": "265", "payouts_differ": True, "equilibria": [[], ["cv", "E"]]}),
    ]
    # the direct evaluator (brute force over profiles) agrees inside both ranges
    from charterverify.evaluate import equilibria
    from propsupport import analysed

    model, _ = analysed(path)
    for E in (Fraction(100), Fraction(260)):
        eqs = equilibria(model, E)
        assert [p for p, _ in eqs] == [(False, False), (True, True)]
        assert eqs[0][1] != eqs[1][1]
    assert len(equilibria(model, Fraction(300))) == 1
