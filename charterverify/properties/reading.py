"""reading: every reading the model takes of ambiguous text, and what the other reading changes.

One informational finding per reading that can matter for the charter (`readings.applicable`):
the reading in force (from `[readings]` or `--reading`), what it means, and what the
alternative changes in dollars at the exit value where it matters most (computed exactly by
evaluating the model again under the alternative with the profile tables). The note of
`[readings]` says why the model takes the reading it does.
"""

from __future__ import annotations

from ..findings import Finding, Severity, Verdict
from ..model import Charter
from ..readings import applicable, describe, effect, value_text
from ..solver.breakpoints import Analysis
from .base import fx, make_finding

RULE = "reading"
DESCRIPTION = "each reading of ambiguous text is named, with what the other reading would change"


def applies(model: Charter) -> bool:
    return bool(applicable(model))


def check(model: Charter, an: Analysis) -> list[Finding]:
    out = []
    for name in applicable(model):
        eff = effect(model, name, an.tables)
        out.append(make_finding(
            model, RULE, Severity.INFO, f"Reading {describe(model, eff)}",
            key=f"readings.{name}",
            verdict=Verdict.PROVED,
            witness={"reading": name, "value": value_text(eff.current), "alternative": value_text(eff.alternative),
                     "at": fx(eff.at), "limit": eff.side.strip() or None,
                     "changes": {h: fx(v) for h, v in eff.changes.items()},
                     "most_lost": {h: [fx(v), fx(x)] for h, (v, x) in eff.most_lost.items()},
                     "most_gained": {h: [fx(v), fx(x)] for h, (v, x) in eff.most_gained.items()}},
        ))
    return out
