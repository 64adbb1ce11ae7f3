"""JUnit output: parses, one testcase per property, failures/errors as documented, stable."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

from charterverify.findings import Finding, Severity, Verdict
from charterverify.report.junit import render_junit
from charterverify.report.runs import CharterRun, exit_status


def cases(root: ET.Element, suite: str) -> dict[str, ET.Element]:
    node = root.find(f"testsuite[@name='{suite}']")
    assert node is not None
    return {case.get("name"): case for case in node.findall("testcase")}


def test_parses_and_counts(runs):
    root = ET.fromstring(render_junit(runs))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["alpha", "quintus"]
    alpha, quintus = suites
    assert (alpha.get("tests"), alpha.get("failures"), alpha.get("errors")) == ("2", "0", "0")
    assert (quintus.get("tests"), quintus.get("failures"), quintus.get("errors")) == ("5", "1", "1")
    assert len(quintus.findall("testcase")) == 5
    assert len(root.findall(".//testcase/failure")) == 1
    assert len(root.findall(".//testcase/error")) == 1
    assert root.findall(".//skipped") == []
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("7", "1", "1")


def test_outcomes(runs):
    root = ET.fromstring(render_junit(runs))
    q = cases(root, "quintus")
    failure = q["monotonicity"].find("failure")
    assert failure is not None
    assert failure.get("message") == "Series E holders receive less at a $12M exit than at $10M."
    assert failure.get("type") == "error"
    assert "IV.B.2(b)" in failure.text and "exit_low=10000000" in failure.text
    assert q["monotonicity"].get("classname") == "quintus"
    assert q["monotonicity"].get("file") == "charters/quintus.toml"

    # Unknown is an <error> with the solver's reason, even below fail_on: never a pass.
    error = q["waterfall.total"].find("error")
    assert error is not None
    assert error.get("type") == "unknown"
    assert "timeout after 30s" in error.get("message")

    # A warning below fail_on=error passes, but is shown in system-out.
    undefined = q["text.undefined-term"]
    assert undefined.find("failure") is None and undefined.find("error") is None
    assert "Qualified IPO" in undefined.find("system-out").text

    # Checked with no finding: a bare passing testcase.
    assert list(q["conversion.optimal"]) == []


def test_fail_on_warning_turns_warnings_into_failures(runs):
    quintus = dataclasses.replace(runs[0], fail_on=Severity.WARNING)
    root = ET.fromstring(render_junit([quintus]))
    q = cases(root, "quintus")
    assert q["text.undefined-term"].find("failure") is not None
    assert q["text.undefined-term"].find("failure").get("type") == "warning"
    assert q["waterfall.total"].find("error") is not None  # unknown stays an error, not a failure
    assert q["conversion.cash"].find("failure") is None  # info is below warning
    assert exit_status([quintus]) == 1


def test_refutation_outranks_unknown_on_one_property():
    findings = (
        Finding(rule="monotonicity", severity=Severity.ERROR, message="refuted at 10M"),
        Finding(rule="monotonicity", severity=Severity.ERROR, message="gave up", verdict=Verdict.UNKNOWN),
    )
    run = CharterRun("a", "charters/a.toml", findings, ("monotonicity",), Severity.ERROR)
    case = cases(ET.fromstring(render_junit([run])), "a")["monotonicity"]
    assert case.find("error") is None
    failure = case.find("failure")
    assert failure.get("message") == "refuted at 10M"
    assert "gave up" in failure.text


def test_unchecked_rule_with_a_finding_still_gets_a_testcase():
    run = CharterRun("a", "charters/a.toml", (Finding(rule="x", severity=Severity.ERROR, message="m"),), (), Severity.ERROR)
    root = ET.fromstring(render_junit([run]))
    assert list(cases(root, "a")) == ["x"]
    assert root.get("failures") == "1"


def test_xml_special_characters_round_trip():
    message = 'Holders of <Series A> & "B" get 1/2\nof proceeds'
    run = CharterRun("a&b", "charters/a&b.toml", (Finding(rule="r", severity=Severity.ERROR, message=message),), ("r",), Severity.ERROR)
    root = ET.fromstring(render_junit([run]))
    assert root.find("testsuite").get("name") == "a&b"
    assert root.find(".//failure").get("message") == message


def test_exit_status(runs):
    assert exit_status(runs) == 1  # quintus has an error-level refutation at fail_on=error
    assert exit_status(runs[1:]) == 0  # alpha is clean
    assert exit_status([]) == 0
    below = CharterRun("a", "charters/a.toml", (Finding(rule="r", severity=Severity.WARNING, message="m"),), ("r",), Severity.ERROR)
    assert exit_status([below]) == 0
    assert exit_status([dataclasses.replace(below, fail_on=Severity.WARNING)]) == 1


def test_deterministic(runs):
    first = render_junit(runs)
    assert render_junit(runs) == first
    shuffled = [dataclasses.replace(r, findings=tuple(reversed(r.findings))) for r in reversed(runs)]
    assert render_junit(shuffled) == first
    assert "timestamp" not in first and "time=" not in first
