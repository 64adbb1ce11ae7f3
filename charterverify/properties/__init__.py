"""Economic properties of a charter, each proved for all exit values, refuted with a concrete
counterexample, or reported unknown with the solver's reason: never a silent pass.

`check_all(model, analysis)` runs every property on one charter and returns one
`PropertyResult` per rule id (in `RULES` order), so a report can show passes as well as findings.
Each property module has `RULE`, `DESCRIPTION` and `check(model, analysis) -> list[Finding]`.
"""

from __future__ import annotations

from ..findings import Finding, sort_findings
from ..model import Charter
from ..solver.breakpoints import Analysis
from .. import antidilution, ipo, terms
from . import automatic, caps, conservation, consistency, conversion, forced, monotonicity, priority, reading, seniority
from .base import PropertyResult, verdict_of

_MODULES = (conservation, monotonicity, seniority, priority, caps, conversion, automatic, consistency,
            antidilution.NO_INCREASE, antidilution.INCONSISTENT_BASE, ipo.POSITION_JUMP, terms, forced, reading)

RULES: dict[str, str] = {m.RULE: m.DESCRIPTION for m in _MODULES}


def _applies(module, model: Charter) -> bool:
    fn = getattr(module, "applies", None)
    return True if fn is None else bool(fn(model))


def check_property(rule: str, model: Charter, analysis: Analysis) -> PropertyResult:
    module = next(m for m in _MODULES if m.RULE == rule)
    findings = sort_findings(module.check(model, analysis))
    return PropertyResult(rule, verdict_of(findings, _applies(module, model)), tuple(findings))


# the rules that read the readings' effects run last: those may still be computed in a second
# process (`readings.compute_ahead`); the results are the same in any order, and returned in RULES order
_LAST = ("priority", "reading")


def check_all(model: Charter, analysis: Analysis) -> list[PropertyResult]:
    """Every property on one charter, in RULES order."""
    done = {rule: check_property(rule, model, analysis) for rule in sorted(RULES, key=_LAST.__contains__)}
    return [done[rule] for rule in RULES]


def all_findings(results: list[PropertyResult]) -> list[Finding]:
    return sort_findings([f for r in results for f in r.findings])


__all__ = ["PropertyResult", "RULES", "all_findings", "check_all", "check_property"]
