"""Sample runs shared by the renderer tests."""

from __future__ import annotations

import pytest

from charterverify.findings import Finding, Severity, Verdict
from charterverify.report.runs import CharterRun


def make_runs() -> list[CharterRun]:
    """Two charters: refutations, a text warning, an info, an unknown proof, and clean properties."""
    quintus = CharterRun(
        charter_id="quintus",
        model_path="charters/quintus.toml",
        findings=(
            Finding(
                rule="monotonicity",
                severity=Severity.ERROR,
                message="Series E holders receive less at a $12M exit than at $10M.",
                clause="IV.B.2(b)",
                file="charters/quintus.toml",
                line=42,
                witness={"exit_low": "10000000", "exit_high": "12000000", "series_e_low": "4150000"},
            ),
            Finding(
                rule="text.undefined-term",
                severity=Severity.WARNING,
                message='"Qualified IPO" is used but never defined.',
                clause="IV.B.3(b)",
                file="charters/quintus.txt",
                line=7,
            ),
            Finding(
                rule="conversion.cash",
                severity=Severity.INFO,
                message="Cash Amounts are paid on conversion, 50% of OIP",
                clause=None,
                file=None,
                line=None,
            ),
            Finding(
                rule="waterfall.total",
                severity=Severity.WARNING,
                message="Could not prove that the waterfall pays out exactly the exit value.",
                clause="IV.B.2",
                file="charters/quintus.toml",
                line=60,
                verdict=Verdict.UNKNOWN,
                witness={"reason": "timeout after 30s"},
            ),
        ),
        checked_rules=("monotonicity", "waterfall.total", "conversion.cash", "conversion.optimal", "text.undefined-term"),
        fail_on=Severity.ERROR,
    )
    alpha = CharterRun(
        charter_id="alpha",
        model_path="./charters/alpha corp.toml",
        findings=(),
        checked_rules=("monotonicity", "waterfall.total"),
        fail_on=Severity.WARNING,
    )
    return [quintus, alpha]


@pytest.fixture
def runs() -> list[CharterRun]:
    return make_runs()
