"""The partial answer of an analysis whose `--budget` ran out, or in which z3 gave up on some points
or pieces (its per-query --rlimit): which exit ranges are proved and
which are unknown, as one finding (rule `analysis.budget`, or `analysis.unproved` without a budget): which exit ranges are proved and
(verdict unknown) that every output format
carries (text, JSON, SARIF, JUnit, GitHub annotations).

Its severity is ERROR: a partial answer is not a pass, so the run exits 1 under the default
`--fail-on error` (docs/ci.md). The property findings over the unknown ranges are unknown too
(each property's own "not proved for exit values ..." finding, with the same reason).
"""

from __future__ import annotations

from ..findings import Finding, Severity, Verdict
from ..model import Charter, format_exact

RULE = "analysis.budget"
RULE_UNPROVED = "analysis.unproved"  # no --budget: z3 gave up on some points or pieces


def rule_for(an) -> str:
    return RULE if an.budget is not None else RULE_UNPROVED


def _end(x, included: bool, left: bool) -> str:
    if x is None:
        return "∞)"
    v = "$" + format_exact(x)
    return ("[" if included else "(") + v if left else v + ("]" if included else ")")


def range_label(run: dict) -> str:
    """A run of `Analysis.coverage()` as an interval: [$0, $1,000] or ($5, ∞)."""
    if run["to"] is not None and run["from"] == run["to"]:
        return "{$" + format_exact(run["from"]) + "}"
    return f"{_end(run['from'], run['from_included'], True)}, {_end(run['to'], run['to_included'], False)}"


def coverage_json(an) -> dict:
    """The budget and its use, and [0, ∞) as proved and unknown ranges (exact numbers as strings)."""
    return {
        "budget": dict(an.budget or {}),
        "ranges": [{"from": format_exact(r["from"]), "from_included": r["from_included"],
                    "to": None if r["to"] is None else format_exact(r["to"]), "to_included": r["to_included"],
                    "status": "proved" if r["proved"] else "unknown", "reasons": list(r["reasons"])}
                   for r in an.coverage()],
    }


def coverage_findings(model: Charter, an) -> list[Finding]:
    """One finding when an analysis is not complete (its budget ran out, or z3 gave up somewhere);
    none otherwise."""
    if an is None or an.complete:
        return []
    runs = an.coverage()
    proved = [range_label(r) for r in runs if r["proved"]]
    unknown = [range_label(r) for r in runs if not r["proved"]]
    if an.budget is not None:
        why = an.budget.get("exhausted") or "not every piece was proved"
        raise_ = "Raise --budget for a complete answer."
    else:
        # each unknown range with its own reason (z3's, e.g. "canceled" when its rlimit ran out)
        why = "; ".join(f"{range_label(r)}: {', '.join(r['reasons']) or 'not proved'}" for r in runs if not r["proved"])
        why = "the solver gave up on part of the analysis (" + why + ")"
        raise_ = "Raise --rlimit for a complete answer."
    msg = (f"Partial answer: {why}. Proved for exit values {', '.join(proved) or 'none'}; "
           f"unknown for {', '.join(unknown)} (there the payouts shown are one equilibrium's, and the "
           f"properties are not shown). {raise_}")
    return [Finding(rule_for(an), Severity.ERROR, msg, clause=None, file=model.path, line=None,
                    verdict=Verdict.UNKNOWN, witness={"proved": "; ".join(proved), "unknown": "; ".join(unknown),
                                                      "reason": why})]
