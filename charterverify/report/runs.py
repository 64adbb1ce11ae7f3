"""The input every renderer takes: one CharterRun per charter checked."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from charterverify.findings import Finding, Severity, sort_findings


@dataclass(frozen=True)
class CharterRun:
    """The findings of one charter, the property ids checked on it, and its --fail-on level."""

    charter_id: str
    model_path: str
    findings: tuple[Finding, ...]
    checked_rules: tuple[str, ...]
    fail_on: Severity

    def located_findings(self) -> list[Finding]:
        """Findings in deterministic order, each with a file (the model path when it had none)."""
        located = [f if f.file else dataclasses.replace(f, file=self.model_path) for f in self.findings]
        return sort_findings(located)

    def failing(self) -> list[Finding]:
        """Findings at or above this run's fail_on level."""
        return [f for f in self.located_findings() if f.severity >= self.fail_on]


def ordered(runs: Iterable[CharterRun]) -> list[CharterRun]:
    """Runs in a stable order (charter id, then model path), whatever order they came in."""
    return sorted(runs, key=lambda r: (r.charter_id, r.model_path))


def exit_status(runs: Sequence[CharterRun]) -> int:
    """0 when no run has a finding at or above its fail_on, 1 otherwise (2 is for usage errors)."""
    return 1 if any(run.failing() for run in runs) else 0
