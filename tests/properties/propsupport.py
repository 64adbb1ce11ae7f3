"""Shared fixtures of the property tests: charters loaded and analysed once per session."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from charterverify.findings import Finding
from charterverify.model import Charter, load_model, loads_model
from charterverify.properties import PropertyResult, check_all
from charterverify.solver.breakpoints import Analysis, analyze

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "tests" / "charters" / "good"
PROPS = ROOT / "tests" / "charters" / "properties"
SEEDS = ROOT / "charters"


@lru_cache(maxsize=None)
def analysed(path: str) -> tuple[Charter, Analysis]:
    model = load_model(path)
    return model, analyze(model)


def variant(path: Path, *replacements: tuple[str, str]) -> tuple[Charter, Analysis]:
    """The charter at `path` with each (old, new) replaced (each old must occur), loaded and analysed
    (not cached: every variant is its own model)."""
    text = path.read_text()
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    model = loads_model(text, str(path))
    return model, analyze(model)


@lru_cache(maxsize=None)
def results(path: str) -> tuple[PropertyResult, ...]:
    model, an = analysed(path)
    return tuple(check_all(model, an))


def verdicts(path: str) -> dict[str, str]:
    return {r.rule: r.verdict.value for r in results(path)}


def golden(findings) -> list[tuple]:
    """What the golden lists assert: rule, severity, verdict, line, clause and witness."""
    return [(f.rule, f.severity.label, f.verdict.value, f.line, f.clause, f.witness) for f in findings]


def findings_of(path: str, rule: str | None = None) -> list[Finding]:
    return [f for r in results(path) for f in r.findings if rule is None or f.rule == rule]
