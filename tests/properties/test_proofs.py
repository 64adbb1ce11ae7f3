"""Refutation and unknown paths that no valid TOML charter reaches, and the shared helpers.

Conservation and seniority hold by construction of the waterfall, so no charter violates them;
their refutations are shown on analyses altered by hand (what a wrong sweep or encoding would
produce), and unknowns on pieces marked unproved. Model checks run on Charter objects built in
code, which the loader would have refused.
"""

from __future__ import annotations

import copy
import dataclasses
from fractions import Fraction

from charterverify.findings import Severity, Verdict
from charterverify.model import COMMON, Tier, load_model, loads_model
from charterverify.properties import RULES, caps, check_all, conservation, consistency, monotonicity, seniority
from charterverify.properties.base import Locator, grid_pairs, money, price, verdict_of

from propsupport import GOOD, analysed

CAPPED = str(GOOD / "capped.toml")


def _altered(change):
    model, an = analysed(CAPPED)
    an2 = copy.deepcopy(an)
    an2.model = model
    change(an2)
    return model, an2


def _z3_path(an):
    an.tables = None  # as for a charter with more units than the tables take: the z3 proof decides


def _one_dollar_more_to_common(an):
    """A wrong piece: the common's form on (19000, 39000) pays one dollar more than the waterfall."""
    seg = next(s for s in an.segments if s.lo == 19000)
    a, b = seg.forms[COMMON]
    seg.forms[COMMON] = (a + 1, b)


def test_rules_are_stable():
    assert list(RULES) == ["conservation", "monotonicity", "seniority", "priority", "caps", "conversion",
                           "automatic-conversion", "consistency", "anti-dilution.no-increase",
                           "anti-dilution.inconsistent-base", "ipo.position-jump", "terms", "forced-conversion",
                           "reading"]
    model, an = analysed(CAPPED)
    assert [r.rule for r in check_all(model, an)] == list(RULES)


def test_conservation_proved_by_z3_whatever_the_sweep_says():
    model, an = _altered(lambda an: (_z3_path(an), _one_dollar_more_to_common(an)))
    assert conservation.check(model, an) == []


def test_conservation_proved_from_the_tables_whatever_the_pieces_say():
    model, an = _altered(_one_dollar_more_to_common)
    assert an.tables is not None  # few units: the analysis carries every profile's exact table
    assert conservation.check(model, an, rlimit=1) == []


def test_conservation_refuted_from_a_wrong_table():
    def break_table(an):
        prof = next(p for p in an.tables.profiles if any(p))
        t = an.tables.table[prof]
        j = len(t.xs) - 1  # the unbounded last stretch
        a, b = t.forms[j][COMMON]
        t.forms[j][COMMON] = (a, b + 1)  # one dollar more per dollar of exit value

    model, an = _altered(break_table)
    [f] = conservation.check(model, an)
    assert (f.rule, f.severity, f.verdict) == ("conservation", Severity.ERROR, Verdict.REFUTED)
    assert f.witness["method"] == "exact tables"
    E = Fraction(f.witness["exit_value"])
    # the sum is off by exactly E (the extra slope of 1) wherever the last stretch is probed
    assert Fraction(f.witness["total"]) - Fraction(f.witness["expected"]) == E


def test_conservation_refuted_from_the_piece_forms_when_z3_gives_up():
    model, an = _altered(lambda an: (_z3_path(an), _one_dollar_more_to_common(an)))
    [f] = conservation.check(model, an, rlimit=1)
    assert (f.rule, f.severity, f.verdict) == ("conservation", Severity.ERROR, Verdict.REFUTED)
    assert f.witness["method"] == "piece forms"
    E = Fraction(f.witness["exit_value"])
    assert 19000 < E < 39000
    assert Fraction(f.witness["total"]) - Fraction(f.witness["expected"]) == 1
    assert Fraction(f.witness["expected"]) == E


def test_unproved_pieces_are_unknown_never_a_pass():
    def unprove(an):
        _z3_path(an)
        seg = next(s for s in an.segments if s.lo == 19000)
        seg.proved = False
        seg.reason = "payout functions not proved: max. resource limit exceeded"

    model, an = _altered(unprove)
    [f] = conservation.check(model, an, rlimit=1)
    assert (f.severity, f.verdict) == (Severity.WARNING, Verdict.UNKNOWN)
    assert f.witness["reason"] == "payout functions not proved: max. resource limit exceeded"
    assert f.witness["z3"] == "max. resource limit exceeded"
    assert (f.witness["from"], f.witness["to"]) == ("19000", "39000")
    [m] = monotonicity.check(model, an)
    assert m.verdict is Verdict.UNKNOWN
    assert verdict_of([m]) is Verdict.UNKNOWN


def test_seniority_refuted_when_common_is_paid_while_the_senior_tier_is_short():
    def pay_common_early(an):
        seg = next(s for s in an.segments if s.lo == 0)
        seg.forms["A"] = (Fraction(0), Fraction(9, 10))
        seg.forms[COMMON] = (Fraction(0), Fraction(1, 10))

    model, an = _altered(pay_common_early)
    # both tiers are short at $1,000 (A has $900 of $5,000, B nothing of $14,000)
    f, g = seniority.check(model, an)
    assert (f.rule, f.severity, f.verdict, f.line, f.clause) == (
        "seniority", Severity.ERROR, Verdict.REFUTED, 46, "4.B.1")
    assert (g.line, g.clause, g.witness["senior"], g.witness["senior_payout"]) == (51, "4.B.2", "B", "0")
    assert f.witness == {"exit_value": "1000", "senior": "A", "senior_payout": "900", "senior_full": "5000",
                         "junior": "common", "junior_payout": "100"}
    assert f.message == ("Common stock is paid $100 at an exit value of $1,000 while Series A (tier series_a, "
                         "ranking ahead) receives $900 of its $5,000 preference")


def test_model_checks_on_a_charter_built_in_code():
    model = load_model(CAPPED)
    a, b = model.series
    bad = dataclasses.replace(
        model,
        series=(a, dataclasses.replace(b, participation=dataclasses.replace(b.participation, cap=Fraction(10)))),
        tiers=model.tiers + (Tier("extra", ("B", "Q"), "preference", "4.B.9"),),
    )
    found = consistency.check(bad)
    assert [(f.severity, f.witness) for f in found] == [
        (Severity.ERROR, {"series": "B", "tiers": ["series_b", "extra"]}),
        (Severity.ERROR, {"series": "Q"}),
    ]
    _, an = analysed(CAPPED)
    [cap] = [f for f in caps.check(bad, an) if f.severity is Severity.ERROR]
    assert cap.witness == {"series": "B", "cap": "10", "preference": "17.5"}


def test_locator_follows_the_file_order_of_tiers(tmp_path):
    text = (GOOD / "capped.toml").read_text()
    text = text.replace('[[tiers]]\nid = "series_a"\nseries = ["A"]\nsource = "4.B.1"\n\n', "")
    text += '\n[[tiers]]\nid = "series_a"\nseries = ["A"]\nsource = "4.B.1"\n'
    text = text.replace('id = "series_b"\n', 'id = "series_b"\njunior_to = ["series_a"]\n')
    path = tmp_path / "reordered.toml"
    path.write_text(text)
    model = load_model(path)
    assert [t.id for t in model.tiers] == ["series_a", "series_b"]
    loc = Locator(model)
    assert loc.tier("series_a") == "tiers[1]" and loc.tier("series_b") == "tiers[0]"
    assert model.line_of(loc.tier("series_a")) > model.line_of(loc.tier("series_b"))
    assert loads_model(text, "x.toml").tiers == model.tiers


def test_money_and_witness_pairs():
    assert money(Fraction(1295000)) == "$1,295,000"
    assert money(Fraction("75120420.735")) == "$75,120,420.735"
    assert money(Fraction(1, 3)) == "about $0.33"
    assert money(Fraction(-5, 2)) == "-$2.50"
    assert price(Fraction(30)) == "$30.00" and price(Fraction("10.375")) == "$10.375"
    assert next(iter(grid_pairs(Fraction("75120420.735")))) == (75120420, 75120421)
    assert next(iter(grid_pairs(Fraction(2000)))) == (1999, 2000)


def test_property_results_serialise():
    model, an = analysed(CAPPED)
    caps_result = next(r for r in check_all(model, an) if r.rule == "caps")
    doc = caps_result.to_json()
    assert (doc["rule"], doc["verdict"], doc["severity"]) == ("caps", "proved", "info")
    assert doc["findings"][0]["witness"]["from"] == "39000"
