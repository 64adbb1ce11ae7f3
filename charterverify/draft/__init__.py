"""From a charter's text to a cited model: `draft_document(path) -> Draft`.

One module per clause kind, mirroring `charterverify/encodings/`:

    series.py         classes, authorized shares, series and their designated shares
    preference.py     original issue prices, liquidation preferences
    seniority.py      tiers (who is paid first) and how a shortfall is shared
    participation.py  none / full / capped (cap as a total per share)
    conversion.py     conversion prices and ratios
    votes.py          automatic conversion (offering price, proceeds, valuation, a vote)
    dividends.py      dividend rates and whether they cumulate
    write.py          the TOML model, with sources, quotes and REVIEW comments

Every value is a `Fact(key, value, source, line, quote, review)`; what the drafter cannot
read with confidence is a review fact, never a guess.  `draft` imports `charterverify.text`
and `charterverify.model`; nothing outside `draft` imports it.
"""

from __future__ import annotations

from pathlib import Path

from .facts import Draft, Fact

__all__ = ["draft_document", "Draft", "Fact"]


def draft_document(path: Path | str, text: str | None = None) -> Draft:
    from . import conversion, dividends, participation, preference, series, seniority, votes
    from .facts import Context

    ctx = Context(path, text)
    series.draft(ctx)
    clauses = preference.draft(ctx)
    seniority.draft(ctx, clauses)
    participation.draft(ctx, clauses)
    conversion.draft(ctx)
    votes.draft(ctx)
    dividends.draft(ctx)
    ctx.draft.company = series.company_name(ctx)
    return ctx.draft
