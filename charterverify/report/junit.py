"""JUnit XML output: one <testsuite> per charter, one <testcase> per property (rule id).

A property fails (<failure>) when it has findings at or above the run's fail_on, the same rule
as the exit status. A property whose proof came back "unknown" is an <error> (never <skipped>,
which many CI systems count as not failing): an unproved property must not look like a pass.
A refutation outranks an unknown on the same property. Lower findings go to <system-out>.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from charterverify.findings import Finding, Verdict
from charterverify.report.escape import xml as _x
from charterverify.report.runs import CharterRun, ordered


def _describe(finding: Finding) -> str:
    where = finding.file or ""
    if finding.line is not None:
        where += f":{finding.line}"
    parts = [f"[{finding.severity.label}]", finding.message]
    if finding.clause:
        parts.append(f"(clause {finding.clause})")
    if where:
        parts.append(f"at {where}")
    if finding.witness:
        parts.append("witness: " + ", ".join(f"{k}={finding.witness[k]}" for k in sorted(finding.witness)))
    return _x(" ".join(parts))


def _unknown_reason(finding: Finding) -> str:
    reason = finding.witness.get("reason")
    return _x(f"{finding.message} (solver: {reason})" if reason else finding.message)


def _testcase(suite: ET.Element, run: CharterRun, rule: str, findings: list[Finding]) -> str:
    """Append one testcase; return its outcome: "failure", "error" or "pass"."""
    case = ET.SubElement(suite, "testcase", {"classname": _x(run.charter_id), "name": _x(rule), "file": _x(run.model_path)})
    failing = [f for f in findings if f.severity >= run.fail_on and f.verdict is not Verdict.UNKNOWN]
    unknown = [f for f in findings if f.verdict is Verdict.UNKNOWN]
    if failing:
        outcome, shown, tag = "failure", failing + unknown, "failure"
        attrs = {"message": _x("; ".join(f.message for f in failing)), "type": max(f.severity for f in failing).label}
    elif unknown:
        outcome, shown, tag = "error", unknown, "error"
        attrs = {"message": "; ".join(_unknown_reason(f) for f in unknown), "type": "unknown"}
    else:
        outcome, shown, tag = "pass", [], None
    if tag:
        ET.SubElement(case, tag, attrs).text = "\n".join(_describe(f) for f in shown)
    rest = [f for f in findings if f not in shown]
    if rest:
        ET.SubElement(case, "system-out").text = "\n".join(_describe(f) for f in rest)
    return outcome


def render_junit(runs: Sequence[CharterRun]) -> str:
    """JUnit XML for all runs (no timestamps or timings, so the same input gives the same bytes)."""
    root = ET.Element("testsuites", {"name": "charterverify"})
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for run in ordered(runs):
        suite = ET.SubElement(root, "testsuite", {"name": _x(run.charter_id)})
        findings = run.located_findings()
        counts = {"tests": 0, "failure": 0, "error": 0}
        for rule in sorted(set(run.checked_rules) | {f.rule for f in findings}):
            outcome = _testcase(suite, run, rule, [f for f in findings if f.rule == rule])
            counts["tests"] += 1
            counts[outcome] = counts.get(outcome, 0) + 1
        stats = {"tests": counts["tests"], "failures": counts["failure"], "errors": counts["error"]}
        for key, value in stats.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("skipped", "0")
        suite.set("file", _x(run.model_path))
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
