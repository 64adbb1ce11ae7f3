"""SARIF 2.1.0 output: one run for the tool "charterverify", for GitHub code scanning and other viewers."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from charterverify import __version__
from charterverify.findings import Finding, Severity
from charterverify.report.escape import xml as _x
from charterverify.report.runs import CharterRun, ordered

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "charterverify/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

# Rule id -> one-line description; checks register theirs so every rule appears in tool.driver.rules.
RULE_DESCRIPTIONS: dict[str, str] = {}


def register_rule(rule_id: str, description: str) -> None:
    """Record a rule's one-line description for the SARIF rules table."""
    RULE_DESCRIPTIONS[rule_id] = description


def artifact_uri(path: str) -> str:
    """The path as given, as a relative URI reference (forward slashes, no leading './', percent-encoded)."""
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return quote(path, safe="/")  # percent-encodes every control character and space


def _clean_json(value):
    """Every string in a JSON-like value through escape.xml (keys too)."""
    if isinstance(value, str):
        return _x(value)
    if isinstance(value, dict):
        return {_x(k): _clean_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean_json(v) for v in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return _x(str(value))


def _known_descriptions() -> dict[str, str]:
    """The registries' descriptions: every property rule and every text rule (read lazily)."""
    from charterverify.properties import RULES as PROPERTY_RULES
    from charterverify.text.rules import RULES as TEXT_RULES

    return {**PROPERTY_RULES, **TEXT_RULES}


def _rule(rule_id: str, descriptions: Mapping[str, str]) -> dict:
    rule: dict = {"id": rule_id, "name": rule_id}
    if rule_id in descriptions:
        rule["shortDescription"] = {"text": descriptions[rule_id]}
    return rule


def _result(run: CharterRun, finding: Finding, rule_index: int) -> dict:
    location: dict = {"artifactLocation": {"uri": artifact_uri(finding.file or run.model_path)}}
    if finding.line is not None and finding.line >= 1:
        location["region"] = {"startLine": finding.line}
    return {
        "ruleId": _x(finding.rule),
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": _x(finding.message)},
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint()},
        "properties": {
            "charter": _x(run.charter_id),
            "clause": _x(finding.clause) if finding.clause is not None else None,
            "verdict": finding.verdict.value,
            "witness": _clean_json(finding.witness),
        },
    }


def render_sarif(runs: Sequence[CharterRun], descriptions: Mapping[str, str] | None = None) -> str:
    """The SARIF log for all runs as JSON text; byte-identical for the same input."""
    descriptions = RULE_DESCRIPTIONS if descriptions is None else descriptions
    runs = ordered(runs)
    rule_ids = sorted(
        set(descriptions)
        | {rule for run in runs for rule in run.checked_rules}
        | {f.rule for run in runs for f in run.findings}
    )
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    results = [_result(run, f, index[f.rule]) for run in runs for f in run.located_findings()]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "charterverify",
                        "version": __version__,
                        "rules": [_rule(rule_id, {**_known_descriptions(), **descriptions}) for rule_id in rule_ids],
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
