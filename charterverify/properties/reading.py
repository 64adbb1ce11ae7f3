"""reading: every reading the model takes of ambiguous text, and what the other reading changes.

One informational finding per reading that matters for the charter (`readings.applicable`, and
the other reading changes some payout, or acts outside a sale):
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
    """A reading matters (the effects are cached: `check` has computed them by now)."""
    for name in applicable(model):
        eff = effect(model, name)
        if not eff.computed or eff.at is not None:
            return True
    return False


def check(model: Charter, an: Analysis) -> list[Finding]:
    out = []
    for name in applicable(model):
        eff = effect(model, name, an.tables)
        if eff.computed and eff.at is None:
            continue  # the other reading changes no payout anywhere: nothing to decide
        clause, key = _where(model, name)
        out.append(make_finding(
            model, RULE, Severity.INFO, f"Reading {describe(model, eff)}",
            clause=clause, key=f"readings.{name}" if model.line_of(f"readings.{name}") else key,
            verdict=Verdict.PROVED,
            witness={"reading": name, "value": value_text(eff.current), "alternative": value_text(eff.alternative),
                     "at": fx(eff.at), "limit": eff.side.strip() or None,
                     "changes": {h: fx(v) for h, v in eff.changes.items()},
                     "most_lost": {h: [fx(v), fx(x)] for h, (v, x) in eff.most_lost.items()},
                     "most_gained": {h: [fx(v), fx(x)] for h, (v, x) in eff.most_gained.items()},
                     **({"per_year": {h: fx(v) for h, v in eff.per_year.items()}} if eff.per_year else {})},
        ))
    return out


def _where(model: Charter, name: str) -> tuple[str | None, str | None]:
    """The clause a reading interprets, and the model key that states it."""
    from ..votes import conversion_votes
    from .base import Locator

    loc = Locator(model)
    if name == "cap_dropout":
        s = next(s for s in model.series if s.participation.kind == "capped")
        return s.participation.source, loc.series(s.id, "participation.cap")
    if name == "cash_on_conversion":
        s = next(s for s in model.series if s.conversion is not None and s.conversion.cash_per_share)
        return s.conversion.cash_source or s.conversion.source, loc.series(s.id, "conversion.cash_per_share")
    if name == "votes_in_sale":
        a = next(a for a in model.automatic_conversions if a.vote_groups)
        return conversion_votes(model)[0].source, loc.auto(a.id, "vote")
    if name == "undeclared_dividends":
        from ..readings import undeclared_series

        s = undeclared_series(model)[0]
        return s.dividend.source, loc.series(s.id, "dividends.in_preference")
    if name == "offering_size":
        a = next(a for a in model.automatic_conversions if a.min_aggregate is not None and not a.strict)
        return a.source, loc.auto(a.id, "min_aggregate")
    a = next(a for a in model.automatic_conversions if a.min_valuation is not None)
    return a.source, loc.auto(a.id, "min_valuation")
