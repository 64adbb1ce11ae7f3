"""GitHub Actions output: workflow-command annotations and a markdown step summary."""

from __future__ import annotations

import os
from collections.abc import Sequence

from charterverify.findings import Finding, Severity
from charterverify.report import escape
from charterverify.report.runs import CharterRun, ordered

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message as GitHub's toolkit does (% CR LF), after escape.workflow_data's
    neutralising of control characters and command syntax."""
    return escape.workflow_data(text)


def escape_property(text: str) -> str:
    """Escape a command property value: % CR LF, plus ':' and ','."""
    return escape.workflow_property(text)


def annotation(finding: Finding) -> str:
    """One `::error file=F,line=L,title=RULE::message` line (warning/notice for lower severities)."""
    props = [f"file={escape_property(finding.file)}"] if finding.file else []
    if finding.line is not None:
        props.append(f"line={finding.line}")
    props.append(f"title={escape_property(finding.rule)}")
    message = f"{finding.clause}: {finding.message}" if finding.clause else finding.message
    return f"::{COMMANDS[finding.severity]} {','.join(props)}::{escape_data(message)}"


def render_github(runs: Sequence[CharterRun]) -> str:
    """Workflow commands for every finding of every run, in a stable order."""
    lines = [annotation(f) for run in ordered(runs) for f in run.located_findings()]
    return "".join(line + "\n" for line in lines)


def _cell(text: str | None) -> str:
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>".join(escape.markdown(line) for line in lines)  # each line inert; <br> is ours


def render_step_summary(runs: Sequence[CharterRun]) -> str:
    """A markdown summary: one line of totals and a table (charter, rule, severity, clause, message)."""
    runs = ordered(runs)
    rows = [(run, f) for run in runs for f in run.located_findings()]
    failing = sum(len(run.failing()) for run in runs)
    verdict = "failed" if failing else "passed"
    lines = [
        "## charterverify",
        "",
        f"{len(runs)} charter(s) checked, {len(rows)} finding(s), {failing} at or above --fail-on: **{verdict}**.",
        "",
    ]
    if rows:
        lines += ["| charter | rule | severity | clause | message |", "| --- | --- | --- | --- | --- |"]
        lines += [
            f"| {_cell(run.charter_id)} | {_cell(f.rule)} | {_cell(f.severity.label)} | {_cell(f.clause)} | {_cell(f.message)} |"
            for run, f in rows
        ]
        lines.append("")
    return "\n".join(lines)


def append_step_summary(text: str) -> bool:
    """Append text to $GITHUB_STEP_SUMMARY when it is set; return whether anything was written."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return False
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text if text.endswith("\n") else text + "\n")
    return True
