"""Anti-dilution (charterverify/antidilution.py): each seed's conversion price adjustment reproduced
by hand from its text, its rounding and carve-outs, splits, the model after an issuance, the
`[[anti_dilution]]` tables of the loader and schema, and the two properties.

The arithmetic of every worked example is written out here from the clause it cites:
CP2 = CP1 x (A + B) / (A + C), A what the clause counts as outstanding, B = consideration / CP1,
C = the new shares of Additional Stock.
"""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction as F
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from charterverify.model import load as model_module
from charterverify.antidilution import (
    INCONSISTENT_BASE, NO_INCREASE, apply_issuance, apply_split, check, check_inconsistent_base,
    check_no_increase, counted_outstanding, increase_window, issuance_text, parse_factor, parse_issue,
    round_price, settle_carried, split_text,
)
from charterverify.findings import Severity, Verdict
from charterverify.model import ModelError, OptionPool, load_model, loads_model

REPO = Path(__file__).resolve().parents[1]
CHARTERS = REPO / "charters"
SCHEMA = json.loads((REPO / "charterverify" / "schema" / "charter.schema.json").read_text(encoding="utf-8"))


def load(name: str):
    return load_model(CHARTERS / f"{name}.toml")


def wa(cp, counted, shares, price):
    """The weighted average as the seeds write it, for the hand computations below."""
    return cp * (counted + F(shares) * price / cp) / (counted + shares)


# ---------------------------------------------------------------- the TOML tables


def test_seed_terms_as_written():
    k = load("kinzan").anti_dilution_of("B")
    assert k.counts == ("common", "preferred", "options", "convertible_securities")
    assert (k.rounding, k.minimum_adjustment, k.carry_forward, k.no_increase) == ("none", F(1, 100), True, True)
    assert k.exclusion("employee_pool").cap_shares == 6_300_000
    assert k.source == "FOURTH.B.4(d)(i)" and k.splits_source == "FOURTH.B.4(d)(iii)"

    j = load("juniper").anti_dilution_of("D1")
    assert (j.rounding, j.minimum_adjustment, j.carry_forward, j.no_increase) == ("nearest_cent", 0, False, False)
    assert j.exclusion("employee_plans").cap_shares is None

    q = load("quintus")
    assert {s.id for s in q.series} == set(q.anti_dilution_of("A").series)
    assert q.anti_dilution_of("G6").counts == ("common", "preferred")  # no options: IV.B.3(d)(i)(A)
    assert q.anti_dilution_of("E").exclusion("warrants_1999").cap_shares == 300_000

    v = load("valuestar")
    assert v.anti_dilution_of("A") is None  # external, no conversion
    assert v.anti_dilution_of("B").exclusion("vendors_and_financing").cap_fraction == F(5, 100)

    n = load("netgear").anti_dilution_of("C")
    assert (n.rounding, n.minimum_adjustment, n.carry_forward) == ("nearest_cent", F(1, 100), True)


def test_new_numbers_trace_to_the_text():
    from charterverify.draft.trace import check_traceability

    for name in ("kinzan", "juniper", "quintus", "valuestar", "netgear"):
        m = load(name)
        ours = [n for n in m.numbers() if n.key.startswith("anti_dilution")]
        assert all(n.line for n in ours)
        untraced = [f for f in check_traceability(ours, m.text_path) if f.rule == "text.untraced-number"]
        assert untraced == [], untraced
    # the three carve-out caps, and the minimum adjustment, traced to the sub-clause that says
    # "one cent" (IV.B.3(d)(i)(B), seed line 537: "one cent" is read as $0.01)
    q = [n for n in load("quintus").numbers() if n.key.startswith("anti_dilution")]
    assert len(q) == 4 and [n.source for n in q if n.key.endswith("minimum_adjustment")] == ["IV.B.3(d)(i)(B)"]


def _schema_node(*path):
    node = SCHEMA
    for p in path:
        node = node[p]
    return node


def test_schema_mirrors_the_loader_tables():
    """The anti-dilution tables pass computed key sets to `_table` (see model/load.py), so
    tests/test_schema.py does not map them: check them here."""
    item = _schema_node("properties", "anti_dilution", "items")
    excl = item["properties"]["excluded"]["items"]
    for node, keys, required in ((item, model_module.ANTI_DILUTION_KEYS, model_module.ANTI_DILUTION_REQUIRED),
                                 (excl, model_module.EXCLUSION_KEYS, model_module.EXCLUSION_REQUIRED)):
        assert set(node["properties"]) == set(keys)
        assert set(node["required"]) == set(required)
        assert node["additionalProperties"] is False  # closed
    assert item["properties"]["kind"]["enum"] == list(model_module.ANTI_DILUTION_KINDS)
    assert item["properties"]["rounding"]["enum"] == list(model_module.ANTI_DILUTION_ROUNDING)
    assert item["properties"]["counts"]["items"]["enum"] == list(model_module.ANTI_DILUTION_COUNTS)


MINI = '''\
[charter]
id = "mini"

[[series]]
id = "A"
designated = 1000
original_issue_price = "1.00"
source = "IV.B"

[series.preference]
source = "IV.B.2"

[series.conversion]
price = "1.00"
source = "IV.B.3"

[[series]]
id = "B"
designated = 1000
original_issue_price = "2.00"
source = "IV.B"

[[tiers]]
id = "senior"
series = ["A"]
source = "IV.B.2"

[captable]
common_outstanding = 5000

[[anti_dilution]]
id = "wa"
series = ["A"]
source = "IV.B.3(d)"
{extra}
'''


@pytest.mark.parametrize("extra,key,fragment", [
    ('colour = "red"', "anti_dilution[0].colour", "unknown key"),
    ('counts = ["common", "warrants"]', "anti_dilution[0].counts[1]", "must be one of"),
    ('counts = ["common", "common"]', "anti_dilution[0].counts[1]", "listed twice"),
    ("counts = []", "anti_dilution[0].counts", "list what counts"),
    ('rounding = "up"', "anti_dilution[0].rounding", "must be one of"),
    ('kind = "full_ratchet"', "anti_dilution[0].kind", "must be one of"),
    ("carry_forward = true", "anti_dilution[0].carry_forward", "needs a minimum_adjustment"),
    ('minimum_adjustment = "-0.01"', "anti_dilution[0].minimum_adjustment", "must not be negative"),
    ('no_increase = "yes"', "anti_dilution[0].no_increase", "expected true or false"),
    ('[[anti_dilution.excluded]]\nid = "pool"', "anti_dilution[0].excluded[0].source", "missing required key"),
    ('[[anti_dilution.excluded]]\nid = "pool"\nsource = "x"\ncap_shares = 0', "anti_dilution[0].excluded[0].cap_shares",
     "positive number of shares"),
    ('[[anti_dilution.excluded]]\nid = "pool"\nsource = "x"\ncap_fraction = "1.5"',
     "anti_dilution[0].excluded[0].cap_fraction", "fraction in (0, 1)"),
    ('[[anti_dilution.excluded]]\nid = "pool"\nsource = "x"\ncap_shares = 5\ncap_fraction = "0.1"',
     "anti_dilution[0].excluded[0].cap_fraction", "not both"),
    ('[[anti_dilution.excluded]]\nid = "p"\nsource = "x"\n[[anti_dilution.excluded]]\nid = "p"\nsource = "y"',
     "anti_dilution[0].excluded[1].id", "used twice"),
])
def test_loader_errors_are_one_line(extra, key, fragment):
    with pytest.raises(ModelError) as e:
        loads_model(MINI.replace("{extra}", extra), "m.toml")
    msg = str(e.value)
    assert "\n" not in msg and f": {key}: " in msg and fragment in msg, msg
    assert msg.startswith("m.toml:")  # with the line


@pytest.mark.parametrize("text,fragment", [
    (MINI.replace('series = ["A"]\nsource = "IV.B.3(d)"', 'series = ["B"]\nsource = "IV.B.3(d)"'),
     "has no conversion price to adjust"),
    (MINI.replace('series = ["A"]\nsource = "IV.B.3(d)"', 'series = ["Z"]\nsource = "IV.B.3(d)"'), "unknown series id"),
    (MINI.replace('series = ["A"]\nsource = "IV.B.3(d)"', 'series = ["A", "A"]\nsource = "IV.B.3(d)"'), "listed twice"),
    (MINI.replace("{extra}", '[[anti_dilution]]\nid = "wa2"\nseries = ["A"]\nsource = "x"'), "already has anti-dilution"),
    (MINI.replace("{extra}", '[[anti_dilution]]\nid = "wa"\nseries = ["A"]\nsource = "x"'), "is used twice"),
])
def test_loader_semantic_errors(text, fragment):
    with pytest.raises(ModelError, match=fragment.replace("(", r"\(")):
        loads_model(text.replace("{extra}", ""), "m.toml")


def test_schema_accepts_and_rejects_like_the_loader():
    import tomllib
    from decimal import Decimal

    v = Draft202012Validator(SCHEMA)
    good = MINI.replace("{extra}", 'counts = ["common"]\nrounding = "nearest_cent"\nminimum_adjustment = "0.01"\n'
                                    'carry_forward = true\n[[anti_dilution.excluded]]\nid = "pool"\nsource = "x"\n'
                                    "cap_shares = 100")
    loads_model(good)

    def js(text):
        return json.loads(json.dumps(tomllib.loads(text, parse_float=Decimal), default=str))

    assert not list(v.iter_errors(js(good)))
    for extra in ('colour = "red"', 'counts = ["warrants"]', 'rounding = "up"', "counts = []",
                  '[[anti_dilution.excluded]]\nid = "p"\nsource = "x"\ncap_shares = 1\ncap_fraction = "0.1"',
                  '[[anti_dilution.excluded]]\nid = "p"\nsource = "x"\nsize = 1'):
        bad = MINI.replace("{extra}", extra)
        with pytest.raises(ModelError):
            loads_model(bad)
        assert list(v.iter_errors(js(bad))), extra


def test_models_without_anti_dilution_still_load():
    m = loads_model(MINI.split("[[anti_dilution]]")[0])
    assert m.anti_dilution == () and m.anti_dilution_of("A") is None
    r = apply_issuance(m, 100, F("0.10"))
    assert r.adjustment("A").reason == "no anti-dilution terms in the model" and not r.adjustment("A").adjusted


# ---------------------------------------------------------------- Kinzan, FOURTH.B.4(d)


def kinzan_counted():
    # A = common + preferred as converted (1:1) + options (none in the cap table)
    return F(10_000_000 + 5_847_895 + 5_000_000 + 2_500_000)


def test_kinzan_worked_example():
    m = load("kinzan")
    A = kinzan_counted()
    assert A == 23_347_895 == counted_outstanding(m, m.anti_dilution[0].counts)
    r = apply_issuance(m, 2_000_000, F("2.00"))
    # Series A: $2.00 is not below its Conversion Price $0.90: no adjustment (4(d)(i)(A))
    assert not r.adjustment("A").adjusted and r.adjustment("A").new_price == F("0.90")
    # Series B: 4.00 x (23,347,895 + 4,000,000 / 4.00) / (23,347,895 + 2,000,000)
    b = F(4) * (23_347_895 + 1_000_000) / (23_347_895 + 2_000_000)
    assert b == F(97_391_580, 25_347_895)
    assert r.adjustment("B").new_price == r.adjustment("B").exact_price == b  # no rounding rule: exact
    assert r.adjustment("B").new_ratio == F(4) / b
    # Series C: (12.30 x 23,347,895 + 4,000,000) / 25,347,895
    c = (F("12.30") * 23_347_895 + 4_000_000) / 25_347_895
    assert r.adjustment("C").new_price == c and F("11.48") < c < F("11.49")
    # the model after the issuance
    assert r.model.get_series("B").conversion.price == b
    assert r.model.captable.common_outstanding == 12_000_000
    assert r.model.get_series("B").ratio == F(4) / b


def test_kinzan_under_one_cent_is_carried_forward():
    m = load("kinzan")
    A = kinzan_counted()
    # 10,000 shares at $3.00: Series B's reduction 4 - 4 x (A + 7,500) / (A + 10,000) = 10,000 / (A + 10,000)
    r1 = apply_issuance(m, 10_000, F(3))
    red1 = F(4) - wa(F(4), A, 10_000, F(3))
    assert red1 == F(10_000, 23_357_895) < F(1, 100)
    b1 = r1.adjustment("B")
    assert (b1.adjusted, b1.new_price, b1.carried_forward) == (False, F(4), red1)
    assert r1.model.get_series("B").conversion.price == 4
    assert r1.model.anti_dilution[0].carried_for("B") == red1
    # a second issuance, 20,000 shares at $3.80: together the reductions pass one cent
    A2 = A + 10_000
    red2 = F(4) - wa(F(4), A2, 20_000, F("3.80"))
    assert red2 < F(1, 100) and red1 + red2 < F(1, 100)  # still short: carried again
    r2 = apply_issuance(r1.model, 20_000, F("3.80"))
    assert r2.adjustment("B").carried_forward == red1 + red2 and not r2.adjustment("B").adjusted
    # meanwhile Series C passed a cent: 0.0039... carried from the first issuance + 0.0072... from this one
    c1 = F("12.30") - wa(F("12.30"), A, 10_000, F(3))
    c2 = F("12.30") - wa(F("12.30"), A2, 20_000, F("3.80"))
    assert c1 < F(1, 100) <= c1 + c2
    c_price = F("12.30") - (c1 + c2)
    assert r2.adjustment("C").new_price == c_price
    # 1,180,000 shares at $3.80: under a cent alone, a cent with what is carried: all of it is made, exactly.
    # A now counts Series C at its new ratio 12.30 / c_price (the preferred as converted "immediately prior")
    A3 = F(10_030_000 + 5_847_895 + 5_000_000) + 2_500_000 * F("12.30") / c_price
    red3 = F(4) - wa(F(4), A3, 1_180_000, F("3.80"))
    assert red3 < F(1, 100) <= red1 + red2 + red3
    r3 = apply_issuance(r2.model, 1_180_000, F("3.80"))
    assert r3.adjustment("B").new_price == F(4) - (red1 + red2 + red3)
    assert r3.adjustment("B").carried_forward == 0 and r3.model.anti_dilution[0].carried_for("B") == 0
    # the three-year catch-up: what is still carried is made
    settled = settle_carried(r2.model)
    assert settled.model.get_series("B").conversion.price == F(4) - (red1 + red2)


def test_kinzan_option_pool_cap_carve_out():
    m = load("kinzan")
    A = kinzan_counted()
    # 7,000,000 shares to employees at $0.50: 4(d)(ii)(B) carves out up to 6,300,000; 700,000 are Additional Stock
    r = apply_issuance(m, 7_000_000, F("0.50"), excluded="employee_pool")
    assert r.excluded == {"dilutive_issuances": 6_300_000}
    a = r.adjustment("A")
    assert a.additional == 700_000
    # Series A: (0.90 x 23,347,895 + 700,000 x 0.50) / (23,347,895 + 700,000)
    assert a.new_price == (F("0.90") * A + 350_000) / (A + 700_000)
    assert r.model.anti_dilution[0].exclusion("employee_pool").used == 6_300_000
    assert r.model.captable.common_outstanding == 17_000_000
    # the cap is spent: the next employee grant is all Additional Stock
    r2 = apply_issuance(r.model, 100_000, F("0.50"), excluded="employee_pool")
    assert r2.excluded == {"dilutive_issuances": 0} and r2.adjustment("A").additional == 100_000
    # within the cap: no adjustment at all
    r3 = apply_issuance(m, 6_000_000, F("0.01"), excluded="employee_pool")
    assert all(not x.adjusted for x in r3.adjustments)
    assert r3.model.anti_dilution[0].exclusion("employee_pool").used == 6_000_000
    # excluded=True (e.g. an acquisition, 4(d)(ii)(E)): nothing moves
    assert all(not x.adjusted for x in apply_issuance(m, 9_000_000, F("0.01"), excluded=True).adjustments)
    with pytest.raises(ValueError, match="no carve-out 'pool'"):
        apply_issuance(m, 1, F(1), excluded="pool")


# ---------------------------------------------------------------- Juniper, FOURTH.6(d)(iv)


def juniper_counted():
    # common + every series as converted (OIP / CP) -- 6(d)(iv): all deemed outstanding
    return (F(20_000_000) + 1_743_751 * F("1.00") / F("0.44") + 3_915_308 * F("2.40") / F("1.07")
            + 5_200_000 * F("8.93") / F("3.97") + 600_000 + 2_580_000)


def test_juniper_worked_example_nearest_cent():
    m = load("juniper")
    A = juniper_counted()
    assert counted_outstanding(m, m.anti_dilution[0].counts) == A
    r = apply_issuance(m, 1_000_000, F(3))
    # A ($0.44) and B ($1.07): $3.00 is not below their Conversion Prices (6(d)(ii))
    assert [r.adjustment(s).adjusted for s in ("A", "B")] == [False, False]
    # Series C: 3.97 x (A + 3,000,000 / 3.97) / (A + 1,000,000) = 3.95005..., "calculated to the nearest cent": 3.95
    c_exact = (F("3.97") * A + 3_000_000) / (A + 1_000_000)
    assert F("3.95") < c_exact < F("3.955")
    c = r.adjustment("C")
    assert (c.exact_price, c.new_price, c.new_ratio) == (c_exact, F("3.95"), F("8.93") / F("3.95"))
    # Series D and D1: 11.03 -> 10.8648...: 10.86
    d_exact = (F("11.03") * A + 3_000_000) / (A + 1_000_000)
    assert F("10.86") < d_exact < F("10.865")
    for sid in ("D", "D1"):
        assert (r.adjustment(sid).exact_price, r.adjustment(sid).new_price) == (d_exact, F("10.86"))
    assert r.model.get_series("D1").conversion.price == F("10.86")


def test_juniper_rounding_back_to_the_same_cent_is_no_adjustment_and_not_carried():
    m = load("juniper")
    A = juniper_counted()
    # 1,000 shares at $3.00: Series C's exact price 3.97 - 0.97 x 1,000 / (A + 1,000) rounds to $3.97
    exact = (F("3.97") * A + 3_000) / (A + 1_000)
    assert round_price(exact, "nearest_cent") == F("3.97") and exact < F("3.97")
    c = apply_issuance(m, 1_000, F(3)).adjustment("C")
    assert (c.adjusted, c.new_price, c.carried_forward) == (False, F("3.97"), 0)  # no carry-forward rule


def test_juniper_employee_plans_have_no_cap():
    m = load("juniper")
    r = apply_issuance(m, 50_000_000, F("0.01"), excluded="employee_plans")  # 6(d)(i)(D)(2)
    assert all(not a.adjusted for a in r.adjustments)
    assert r.model.captable.common_outstanding == 70_000_000
    # the same shares without the carve-out reduce every price
    assert all(a.adjusted for a in apply_issuance(m, 50_000_000, F("0.01")).adjustments)


def test_nearest_cent_half_rounds_up():
    assert round_price(F("3.955"), "nearest_cent") == F("3.96")
    assert round_price(F("3.95499"), "nearest_cent") == F("3.95")
    assert round_price(F(2, 3), "none") == F(2, 3)


# ---------------------------------------------------------------- Quintus, IV.B.3(d)


def test_quintus_worked_example_counts_preferred_not_options():
    m = load("quintus")
    preferred = 9_100_000 + 1_000_000 + 3_000_000 + 1_455_000 + 3_000_000 + 1_500_000 + (
        279_679 + 696_960 + 486_642 + 841_518 + 1_074_853 + 180_048)
    A = F(15_000_000 + preferred)
    assert A == 37_614_700
    r = apply_issuance(m, 2_000_000, F(3))
    # A-D are below $3.00: unchanged. Series E: (4.15 x 37,614,700 + 6,000,000) / 39,614,700, exact
    assert [r.adjustment(s).adjusted for s in "ABCD"] == [False] * 4
    e = (F("4.15") * A + 6_000_000) / (A + 2_000_000)
    assert e == F(162_101_005, 39_614_700) and r.adjustment("E").new_price == e
    # G-1 keeps its thousandths: no rounding rule
    g1 = (F("3.218") * A + 6_000_000) / (A + 2_000_000)
    assert r.adjustment("G1").new_price == g1
    # an option pool does not count in Quintus' A ("including ... conversion of outstanding Preferred Stock")
    pool = OptionPool("pool", 1_500_000, F("0.50"), "common")
    with_pool = dataclasses.replace(m, captable=dataclasses.replace(m.captable, options=(pool,)))
    assert apply_issuance(with_pool, 2_000_000, F(3)).adjustment("E").new_price == e
    # ... where it does in Kinzan's
    k = load("kinzan")
    k_pool = dataclasses.replace(k, captable=dataclasses.replace(k.captable, options=(pool,)))
    kb = apply_issuance(k_pool, 2_000_000, F(2)).adjustment("B").new_price
    assert kb == F(4) * (kinzan_counted() + 1_500_000 + 1_000_000) / (kinzan_counted() + 1_500_000 + 2_000_000)


def test_quintus_minimum_and_warrant_carve_out():
    m = load("quintus")
    A = F(37_614_700)
    # 5,000 shares at $4.00: Series E's reduction 4.15 x (5,000 - 5,000 x 4 / 4.15) / (A + 5,000) is under a cent
    red = F("4.15") - wa(F("4.15"), A, 5_000, F(4))
    assert red == F(750, 37_619_700)
    e = apply_issuance(m, 5_000, F(4)).adjustment("E")
    assert (e.adjusted, e.carried_forward) == (False, red)
    # 1,300,000 shares at $2.00 charged to the August 1999 warrants (3(d)(ii)(L): 300,000): 1,000,000 are
    # Additional Stock
    r = apply_issuance(m, 1_300_000, F("2.00"), excluded="warrants_1999")
    assert r.excluded == {"dilutive_issuances": 300_000}
    assert r.adjustment("E").new_price == (F("4.15") * A + 2_000_000) / (A + 1_000_000)
    assert r.adjustment("D").new_price == (F("2.75") * A + 2_000_000) / (A + 1_000_000)
    # 50,000 Additional shares at $2.00 would move Series E by (207,500 - 100,000) / 37,664,700: under a cent
    small = apply_issuance(m, 350_000, F("2.00"), excluded="warrants_1999").adjustment("E")
    assert (small.adjusted, small.carried_forward) == (False, F(107_500, 37_664_700))


# ---------------------------------------------------------------- Valuestar, D.8


def test_valuestar_worked_example():
    m = load("valuestar")
    # A = 8,000,000 common + 800,000 x ($17.50 / $1.75) Series B as converted (Series A: external, counted 0)
    A = F(8_000_000 + 800_000 * 10)
    assert counted_outstanding(m, m.anti_dilution[0].counts) == A
    # 1,000,000 shares at $1.00: 1.75 x (16,000,000 + 1,000,000 / 1.75) / 17,000,000 = 29 / 17, kept exact
    r = apply_issuance(m, 1_000_000, F(1))
    assert r.adjustment("B").new_price == F("1.75") * (A + F(1_000_000) / F("1.75")) / (A + 1_000_000) == F(29, 17)
    assert r.adjustment("B").new_ratio == F("17.50") / F(29, 17) == F(595, 58)


def test_valuestar_five_percent_carve_out():
    m = load("valuestar")
    # D.8(v)(C): vendor issuances up to 5% of the fully diluted common (16,000,000): 800,000 shares
    r = apply_issuance(m, 1_000_000, F(1), excluded="vendors_and_financing")
    assert r.excluded == {"below_conversion_price": 800_000}
    assert r.adjustment("B").new_price == (F("1.75") * 16_000_000 + 200_000) / (16_000_000 + 200_000) == F(141, 81)
    # the cap is "in the aggregate": the next vendor issuance has 5% of the new fully diluted base less 800,000
    fd = F(9_000_000) + 800_000 * (F("17.50") / F(141, 81))
    room = int(fd / 20) - 800_000
    r2 = apply_issuance(r.model, 100_000, F(1), excluded="vendors_and_financing")
    assert r2.excluded == {"below_conversion_price": min(room, 100_000)}


def test_payouts_and_breakpoints_after_an_issuance():
    from charterverify.solver import PointSolver
    from charterverify.solver.breakpoints import analyze

    m = apply_issuance(load("valuestar"), 1_000_000, F(1)).model
    # Series B: 800,000 x 595/58 = 238,000,000/29 as converted beside 9,000,000 common
    b = F(238_000_000, 29)
    share = b / (b + 9_000_000)
    assert share == F(238, 499)
    # cap binds when B has $30.00 x 800,000 = $24,000,000: 19,000,000 + 10,000,000 / share
    cap = 19_000_000 + 10_000_000 / share
    # converts when (E - 5,000,000) x share > 24,000,000
    crossover = 5_000_000 + 24_000_000 / share
    an = analyze(m)
    assert [bp.x for bp in an.breakpoints] == [5_000_000, 19_000_000, cap, crossover]
    res = PointSolver(m).solve(100_000_000)
    assert res.payouts["B"] == 95_000_000 * share
    assert res.payouts["common"] == 95_000_000 * (1 - share)


# ---------------------------------------------------------------- NETGEAR, V.4(d)(iv)


def netgear_counted():
    return F(30_000_000 + 26_250_000 + 3_320_538 + 10_937_500)


def test_netgear_worked_example():
    m = load("netgear")
    A = netgear_counted()
    r = apply_issuance(m, 5_000_000, F(2))
    # Series A and B: (4.5143 x 70,508,038 + 10,000,000) / 75,508,038 = 4.3478...: to the nearest cent, $4.35
    exact = (F("4.5143") * A + 10_000_000) / (A + 5_000_000)
    assert F("4.345") <= exact < F("4.355")
    for sid in "AB":
        assert (r.adjustment(sid).exact_price, r.adjustment(sid).new_price) == (exact, F("4.35"))
        assert r.adjustment(sid).new_ratio == F("4.5143") / F("4.35")
    # Series C ($1.2937): $2.00 is not below it
    assert not r.adjustment("C").adjusted


def test_netgear_minimum_reduction_and_carry_forward():
    m = load("netgear")
    A = netgear_counted()
    # 100,000 shares at $4.00: exact 4.5135...; to the nearest cent $4.51, a reduction of $0.0043 < $0.01: not made,
    # the exact reduction 51,430 / 70,608,038 carried forward
    red = F("4.5143") - wa(F("4.5143"), A, 100_000, F(4))
    assert red == F(51_430, 70_608_038)
    a = apply_issuance(m, 100_000, F(4)).adjustment("A")
    assert (a.adjusted, a.new_price, a.carried_forward) == (False, F("4.5143"), red)
    assert "0.0043" in a.reason
    # the rounding case: an exact reduction under a cent whose rounded reduction is a cent or more is made
    # (the reduction "to a price (calculated to the nearest cent)": 4.5143 - 0.0095 = 4.5048 -> $4.50)
    shares = 1_000_000
    price = F(4)
    red1 = F("4.5143") - wa(F("4.5143"), A, shares, price)
    assert F("0.0065") < red1 < F("0.0075")  # exact: under a cent
    assert round_price(F("4.5143") - red1, "nearest_cent") == F("4.51")  # rounded reduction $0.0043: carried
    r1 = apply_issuance(m, shares, price)
    assert r1.adjustment("A").carried_forward == red1
    # a second issuance: 300,000 shares at $4.00; the carried and the new reduction together
    red2 = F("4.5143") - wa(F("4.5143"), A + shares, 300_000, price)
    pending = red1 + red2
    assert pending < F(1, 100) and round_price(F("4.5143") - pending, "nearest_cent") == F("4.50")
    r2 = apply_issuance(r1.model, 300_000, price)
    assert (r2.adjustment("A").new_price, r2.adjustment("A").carried_forward) == (F("4.50"), 0)


# ---------------------------------------------------------------- splits and combinations


def test_split_and_combination():
    j = load("juniper")
    s = apply_split(j, 2)  # FOURTH.6(e)(i): "proportionately decreased"
    assert s.new_prices["A"] == F("0.22") and s.model.get_series("A").ratio == 2 * j.get_series("A").ratio
    assert s.model.captable.common_outstanding == 40_000_000
    c = apply_split(s.model, F(1, 2))  # combination: "proportionately increased"
    assert c.model.get_series("A").conversion.price == F("0.44") and c.model.captable.common_outstanding == 20_000_000
    # Kinzan's $15.00 IPO test is "as adjusted for any stock splits"; Quintus' floors too
    assert apply_split(load("kinzan"), 3).model.automatic_conversions[0].min_price_per_share == 5
    q = apply_split(load("quintus"), 2).model
    assert {r.series: r.floor_price for r in q.ipo_ratchets} == {"E": F("4.15"), "F": F("5.50")}
    assert q.get_series("G1").conversion.price == F("1.609")
    with pytest.raises(ValueError, match="not a whole number of shares"):
        apply_split(load("valuestar"), F(2, 3))  # 8,000,000 x 2/3
    with pytest.raises(ValueError):
        apply_split(j, 0)
    assert "Series A" in split_text(s)


def test_split_scales_carried_reductions_and_pools():
    k = load("kinzan")
    r = apply_issuance(k, 10_000, F(3))
    carried = r.model.anti_dilution[0].carried_for("B")
    s = apply_split(r.model, 4)
    assert s.model.anti_dilution[0].carried_for("B") == carried / 4
    pool = OptionPool("pool", 1_000, F("0.80"), "common")
    kp = dataclasses.replace(k, captable=dataclasses.replace(k.captable, options=(pool,)))
    p = apply_split(kp, 2).model.captable.options[0]
    assert (p.count, p.exercise_price) == (2_000, F("0.40"))


# ---------------------------------------------------------------- properties


@pytest.mark.parametrize("name", ["kinzan", "juniper", "quintus", "valuestar", "netgear"])
def test_seeds_never_raise_a_price(name):
    m = load(name)
    assert check_no_increase(m) == []  # proved: no rounding can go up
    # and a sweep of issuance prices agrees
    for sid in (s.id for s in m.series if m.anti_dilution_of(s.id)):
        cp = m.get_series(sid).conversion.price
        for k in range(0, 21):
            price = cp * k / 20
            for shares in (1, 1_000, 5_000_000):
                a = apply_issuance(m, shares, price).adjustment(sid)
                assert a.new_price <= cp
                assert a.adjusted == (a.new_price < cp)


def test_juniper_after_a_split_rounding_would_raise():
    m = apply_split(load("juniper"), 3).model  # Series A: $0.44 / 3 = $0.14666...
    fs = check_no_increase(m)
    assert {f.witness["series"] for f in fs} == {"A", "B", "D", "D1"}  # C: $1.3233... rounds down
    f = next(f for f in fs if f.witness["series"] == "A")
    assert (f.rule, f.severity, f.verdict) == ("anti-dilution.no-increase", Severity.WARNING, Verdict.REFUTED)
    assert f.clause == "FOURTH.6(d)(iv)" and f.line
    w = increase_window(m, "A")
    cp = F("0.44") / 3
    assert w["raised_to"] == F("0.15") and w["threshold"] == F("0.145")
    # an exact price of at least $0.145 rounds to $0.15 > $0.14666...; at the example price the formula gets there
    A, C = w["counted"], w["shares"]
    assert w["price_from"] == (F("0.145") * (A + C) - A * cp) / C
    example = w["example_price"]
    assert round_price(wa(cp, A, C, example), "nearest_cent") == F("0.15")
    below = w["price_from"] - F(1, 1000)
    assert round_price(wa(cp, A, C, below), "nearest_cent") <= cp
    # apply_issuance keeps the price and says why
    a = apply_issuance(m, C, example).adjustment("A")
    assert (a.new_price, a.rounding_raised, a.adjusted) == (cp, True, False)
    # with an express bar on increases (Kinzan's and Quintus' wording) the finding is informational
    barred = dataclasses.replace(m, anti_dilution=(dataclasses.replace(m.anti_dilution[0], no_increase=True),))
    assert {(f.severity, f.verdict) for f in check_no_increase(barred)} == {(Severity.INFO, Verdict.PROVED)}
    # a minimum adjustment bars it too (NETGEAR): a negative reduction is under any minimum
    minimum = dataclasses.replace(m, anti_dilution=(dataclasses.replace(m.anti_dilution[0],
                                                                        minimum_adjustment=F(1, 100)),))
    assert check_no_increase(minimum) == []
    assert apply_issuance(minimum, C, example).adjustment("A").new_price == cp


def test_inconsistent_base():
    for name in ("kinzan", "juniper", "quintus", "valuestar", "netgear"):
        assert check_inconsistent_base(load(name)) == []
    q = load("quintus")
    clause = q.anti_dilution[0]
    g = tuple(s for s in clause.series if s.startswith("G"))
    rest = tuple(s for s in clause.series if not s.startswith("G"))
    split = (dataclasses.replace(clause, series=rest),
             dataclasses.replace(clause, id="g_series", series=g, counts=("common", "preferred", "options")))
    fs = check_inconsistent_base(dataclasses.replace(q, anti_dilution=split))
    assert len(fs) == 1
    f = fs[0]
    assert (f.rule, f.severity) == ("anti-dilution.inconsistent-base", Severity.INFO)
    assert f.witness["series"] == list(g) and "adds options" in f.message
    # a convertible series without terms while its siblings have them
    fs = check_inconsistent_base(dataclasses.replace(q, anti_dilution=(split[0],)))
    assert [x.witness["series"] for x in fs] == [list(g)]


def test_property_objects_fit_the_registry_interface():
    m = load("quintus")
    for p in (NO_INCREASE, INCONSISTENT_BASE):
        assert p.RULE.startswith("anti-dilution.") and p.DESCRIPTION and p.applies(m)
        assert p.check(m, None) == []
    assert not NO_INCREASE.applies(loads_model(MINI.split("[[anti_dilution]]")[0]))
    assert check(m) == []


# ---------------------------------------------------------------- input and output


@pytest.mark.parametrize("text,expected", [
    ("2000000@1.50", (2_000_000, F("1.50"))), ("2,000,000 @ $1.50", (2_000_000, F("1.50"))),
    ("500@0", (500, F(0))), ("10@1/3", (10, F(1, 3))),
])
def test_parse_issue(text, expected):
    assert parse_issue(text) == expected


@pytest.mark.parametrize("text", ["", "2000000", "@1", "0@1", "10@-1", "10@abc", "1.5@1"])
def test_parse_issue_rejects(text):
    with pytest.raises(ValueError) as e:
        parse_issue(text)
    assert "\n" not in str(e.value)


@pytest.mark.parametrize("text,expected", [("2", 2), ("3:1", 3), ("1:10", F(1, 10)), ("2-for-1", 2),
                                           ("1 for 4", F(1, 4)), ("1/10", F(1, 10))])
def test_parse_factor(text, expected):
    assert parse_factor(text) == expected


def test_bad_issuances():
    m = load("kinzan")
    for shares, price in ((0, 1), (-5, 1), (1.5, 1), (True, 1), (10, -1)):
        with pytest.raises(ValueError):
            apply_issuance(m, shares, price)


def test_text_and_json_output():
    r = apply_issuance(load("juniper"), 1_000_000, F(3))
    text = issuance_text(r)
    assert "Series C: $3.97 -> $3.95 (exact about $3.950050)" in text and "[FOURTH.6(d)(iv)]" in text
    j = r.to_json()
    json.dumps(j)
    c = next(a for a in j["adjustments"] if a["series"] == "C")
    assert (c["old_price"], c["new_price"], c["adjusted"]) == ("3.97", "3.95", True)
