"""Findings: the one result type every check (economic or textual) reports through."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.IntEnum):
    """Ordered so that `severity >= fail_on` decides the exit status."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Severity":
        return cls[text.upper()]


class Verdict(enum.Enum):
    """What the solver established for a property."""

    PROVED = "proved"
    REFUTED = "refuted"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class Finding:
    """One thing a user must read: a refuted property, a text defect, an unknown proof.

    rule: stable rule id (e.g. "monotonicity", "text.undefined-term"); never renamed.
    message: a sentence in deal terms.
    clause: the charter clause(s) involved, e.g. "IV.B.2(b)".
    file / line: where in the TOML model (or the charter text) the user should look.
    witness: concrete values (exact numbers as strings) that show the finding.
    """

    rule: str
    severity: Severity
    message: str
    clause: str | None = None
    file: str | None = None
    line: int | None = None
    verdict: Verdict = Verdict.REFUTED
    witness: dict[str, Any] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """Stable identity across runs (for SARIF partialFingerprints and diffs)."""
        import hashlib

        key = "|".join([self.rule, self.clause or "", self.file or "", self.message])
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.label,
            "verdict": self.verdict.value,
            "message": self.message,
            "clause": self.clause,
            "file": self.file,
            "line": self.line,
            "witness": self.witness,
        }


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Deterministic order: file, line, rule, message."""
    return sorted(findings, key=lambda f: (f.file or "", f.line or 0, f.rule, f.clause or "", f.message))
