"""GitHub workflow commands (escaping per GitHub's toolkit) and the markdown step summary."""

from __future__ import annotations

import dataclasses

from charterverify.findings import Finding, Severity
from charterverify.report.github import (
    annotation,
    append_step_summary,
    escape_data,
    escape_property,
    render_github,
    render_step_summary,
)
from charterverify.report.runs import CharterRun


def test_escape_data():
    assert escape_data("100% of OIP\r\nthen 2x") == "100%25 of OIP%0D%0Athen 2x"
    assert escape_data("%0A") == "%250A"  # % first: an escaped-looking input is not decoded later
    assert escape_data("a, b: c") == "a, b: c"  # , and : are fine in the message


def test_escape_property():
    assert escape_property("charters/a,b:c.toml") == "charters/a%2Cb%3Ac.toml"
    assert escape_property("x%\ny") == "x%25%0Ay"


def test_annotation_lines():
    finding = Finding(
        rule="monotonicity",
        severity=Severity.ERROR,
        message="Holders get less: 10% at $12M,\nnot $10M",
        clause="IV.B.2(b)",
        file="charters/q,1.toml",
        line=42,
    )
    assert annotation(finding) == (
        "::error file=charters/q%2C1.toml,line=42,title=monotonicity::"
        "IV.B.2(b): Holders get less: 10%25 at $12M,%0Anot $10M"
    )
    warning = dataclasses.replace(finding, severity=Severity.WARNING, line=None, clause=None, message="m")
    assert annotation(warning) == "::warning file=charters/q%2C1.toml,title=monotonicity::m"
    info = dataclasses.replace(warning, severity=Severity.INFO, rule="text:odd,rule")
    assert annotation(info) == "::notice file=charters/q%2C1.toml,title=text%3Aodd%2Crule::m"


def test_render_github(runs):
    out = render_github(runs)
    lines = out.splitlines()
    assert out.endswith("\n")
    assert len(lines) == 4
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert "::error file=charters/quintus.toml,line=42,title=monotonicity::IV.B.2(b): Series E" in out
    # A finding without a file points at the model; without a line, no line property.
    assert "::notice file=charters/quintus.toml,title=conversion.cash::Cash Amounts are paid on conversion, 50%25 of OIP" in out
    assert render_github([]) == ""
    assert render_github(runs[1:]) == ""


def test_step_summary(runs):
    text = render_step_summary(runs)
    assert "2 charter(s) checked, 4 finding(s), 1 at or above --fail-on: **failed**." in text
    assert "| charter | rule | severity | clause | message |" in text
    # cells go through escape.markdown: `$` escaped (GitHub would render $...$ as math)
    assert "| quintus | monotonicity | error | IV.B.2(b) | Series E holders receive less at a \\$12M exit than at \\$10M. |" in text
    assert "| quintus | conversion.cash | info |  | Cash Amounts are paid on conversion, 50% of OIP |" in text
    clean = render_step_summary(runs[1:])
    assert "1 charter(s) checked, 0 finding(s), 0 at or above --fail-on: **passed**." in clean
    assert "|" not in clean


def test_step_summary_escapes_table_cells():
    finding = Finding(rule="r", severity=Severity.ERROR, message="a | b\nc", clause="IV|B")
    text = render_step_summary([CharterRun("x", "charters/x.toml", (finding,), ("r",), Severity.ERROR)])
    assert "| x | r | error | IV\\|B | a \\| b<br>c |" in text


def test_append_step_summary(tmp_path, monkeypatch):
    target = tmp_path / "summary.md"
    target.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    assert append_step_summary("## charterverify") is True
    assert append_step_summary("second\n") is True
    assert target.read_text(encoding="utf-8") == "earlier step\n## charterverify\nsecond\n"


def test_append_step_summary_without_env(tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)
    assert append_step_summary("text") is False
    assert list(tmp_path.iterdir()) == []


def test_deterministic(runs):
    shuffled = [dataclasses.replace(r, findings=tuple(reversed(r.findings))) for r in reversed(runs)]
    assert render_github(runs) == render_github(runs) == render_github(shuffled)
    assert render_step_summary(runs) == render_step_summary(shuffled)
