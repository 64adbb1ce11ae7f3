"""Property findings on the seed charters, each checked by hand against the charter text.

Kinzan (FOURTH.B.2, B.4): one pari passu tier, 1x non-participating, 1:1, each holder converts
  alone; the offering test of B.4(b) is $15.00 a share, above every issue price: nothing to report.
Juniper (FOURTH.4, 6): same shape; each series' offering test is a multiple of its own
  conversion price (3x A, B; 1.5x C; 1x D, D1), so at its threshold each series' common is worth
  at least its preference ($3.00 for A's $1.00, $13.395 for C's $8.93, $11.03 for D's $11.03).
NETGEAR (V.3, V.4(b)): full participation, so forced conversion at the qualified IPO's $250
  million valuation costs A and B their preferences (info). C gains: its $1.7909 preference is
  small against its as-converted share.
Valuestar (B.1): B's $30.00 cap binds from $39,000,000 to $53,000,000 (DOMAIN.md's example).
Quintus is not analysed here (minutes of z3 work); its model checks need no analysis.
"""

from __future__ import annotations

from charterverify.model import load_model
from charterverify.properties import consistency

from propsupport import SEEDS, findings_of, golden, verdicts

CLEAN = {
    "conservation": "proved", "monotonicity": "proved", "seniority": "proved", "priority": "proved",
    "caps": "not_applicable", "conversion": "proved", "automatic-conversion": "proved", "consistency": "proved",
    "anti-dilution.no-increase": "proved", "anti-dilution.inconsistent-base": "proved", "ipo.position-jump": "proved",
    "terms": "not_applicable",  # the seed models state no redemption, accruing dividends, tier cap ...
    "forced-conversion": "not_applicable", "reading": "not_applicable",
}


def test_kinzan():
    path = str(SEEDS / "kinzan.toml")
    assert verdicts(path) == CLEAN
    # only the stated terms, each with its clause: the holders' redemption right (FOURTH.B.3(a)) and the
    # two-thirds vote that can declare a sale not a liquidation (FOURTH.B.2(a)(i))
    assert [(f.rule, f.severity.label, f.clause) for f in findings_of(path)] == [
        ("terms", "info", "FOURTH.B.3(a)"), ("terms", "info", "FOURTH.B.2(a)(i)")]


def test_juniper():
    # FOURTH.6(a)(ii)(b): A, B and C can force all preferred to convert before a sale (tests/test_votes.py
    # works the range out by hand); the readings votes_in_sale and offering_size (FOURTH.6(a)(ii): proceeds
    # that "exceed $10,000,000") are named with what they change
    path = str(SEEDS / "juniper.toml")
    assert verdicts(path) == dict(CLEAN, **{"forced-conversion": "refuted", "reading": "proved"})
    assert [(f.rule, f.severity.label) for f in findings_of(path)] == [
        ("forced-conversion", "warning"), ("reading", "info"), ("reading", "info")]
    assert [f.witness["reading"] for f in findings_of(path) if f.rule == "reading"] == ["votes_in_sale", "offering_size"]


def test_netgear_qualified_ipo_moves_value_from_a_and_b():
    # Stack 26,250,000 x 4.5143 + 3,320,538 x 4.5143 + 10,937,500 x 1.7909 = $153,078,248.4434.
    # At $250,000,000: residual 96,921,751.5566 over 70,508,038 shares; A's sale payout
    # 118,500,375 + 26,250,000 / 70,508,038 x 96,921,751.5566; at the IPO the price per share is
    # 250,000,000 / 70,508,038 and A holds 26,250,000 shares.
    path = str(SEEDS / "netgear.toml")
    assert verdicts(path) == dict(CLEAN, **{"automatic-conversion": "refuted", "ipo.position-jump": "refuted",
                                            "forced-conversion": "proved", "reading": "proved"})
    # the same event seen from the offering (issue: a series' position jumps down at a threshold):
    # at $250,000,000 / 70,508,038 = about $3.5457 per share the qualified IPO (V.4(b)) forces A and B
    # to convert and their positions fall below their preferences
    jumps = [f for f in findings_of(path) if f.rule == "ipo.position-jump"]
    assert [(f.severity.label, f.line, f.clause, f.witness["series"]) for f in jumps] == [
        ("warning", 114, "V.4(b)", "A"), ("warning", 114, "V.4(b)", "B")]
    common = {"entry": "qipo", "basis": "min_valuation", "company_value": "250000000",
              "price": "125000000/35254019", "ratio": "1", "triggered": ["qipo"]}
    assert golden([f for f in findings_of(path) if f.rule == "automatic-conversion"]) == [
        ("automatic-conversion", "info", "refuted", 118, "V.4(b); V.1(f); V.3(b)",
         dict(common, series="A", value_converted="3281250000000000/35254019",
              value_in_sale="5449712460937500/35254019", moved="2168462460937500/35254019")),
        ("automatic-conversion", "info", "refuted", 118, "V.4(b); V.1(f); V.3(b)",
         dict(common, series="B", value_converted="415067250000000/35254019",
              value_in_sale="1378741128808875/70508038", moved="548606628808875/70508038")),
    ]


def test_valuestar_cap_binds_on_the_flat_zone():
    path = str(SEEDS / "valuestar.toml")
    assert verdicts(path) == dict(CLEAN, caps="proved", **{"automatic-conversion": "not_applicable",
                                                           "ipo.position-jump": "not_applicable"})
    assert golden(findings_of(path)) == [
        ("caps", "info", "proved", 58, "B.1",
         {"series": "B", "cap": "30", "cap_total": "24000000", "from": "39000000", "to": "53000000"}),
    ]


def test_quintus_cap_pattern_breaks():
    # IV.B.2(b): every G cap is 2x its issue price except G-3 ($11.263, 2 x 5.631 = 11.262) and
    # G-6 ($16.669, 2 x 8.335 = 16.67).
    model = load_model(SEEDS / "quintus.toml")
    found = consistency.check(model)
    assert golden(found) == [
        ("consistency", "info", "refuted", 267, "IV.B.2(b)",
         {"series": "G3", "kind": "cap", "value": "11.263", "expected": "11.262", "multiple": "2",
          "actual_multiple": "11263/5631", "siblings": ["G1", "G2", "G4", "G5"]}),
        ("consistency", "info", "refuted", 345, "IV.B.2(b)",
         {"series": "G6", "kind": "cap", "value": "16.669", "expected": "16.67", "multiple": "2",
          "actual_multiple": "16669/8335", "siblings": ["G1", "G2", "G4", "G5"]}),
    ]
    assert found[0].message == ("Series G3's cap of $11.263 per share (IV.B.2(b)) breaks the pattern of "
                                "Series G1, G2, G4 and G5 (2 × the original issue price): 2 × $5.631 = $11.262")
