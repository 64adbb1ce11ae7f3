"""Seniority tiers and how a shortfall inside a tier is shared.

Read from the liquidation clauses (preference.liquidation_clauses): the holders who
"shall be entitled to receive, prior and in preference to any distribution ... to the
holders of [Series A ... and] Common Stock", and "after payment of the Series F
Liquidation Preference, the holders of ..." (the named series are senior).  Holders paid
in one clause share a tier (pari passu).  Tier 1 is paid first.

Shortfall: "ratably ... in proportion to the full preferential amount each such holder is
otherwise entitled to receive" -> "preference"; "in proportion to the ... Original Issue
Price ... of the shares held" -> "original_issue_price"; "in proportion to the number of
shares" -> "shares".
"""

from __future__ import annotations

import re

from .facts import Context
from .preference import LiqClause


def draft(ctx: Context, clauses: list[LiqClause]) -> None:
    ctx.tiers = ctx.draft.extra.setdefault("tiers", [])  # type: ignore[attr-defined]
    if not clauses:
        return
    senior: dict[str, set[str]] = {s: set() for s in ctx.series}  # sid -> series senior to it
    placed_by: dict[str, LiqClause] = {}
    for lc in clauses:
        for r in lc.receivers:
            placed_by.setdefault(r, lc)
            for j in lc.juniors:
                if j in senior:
                    senior[j].add(r)
            for s_ in lc.seniors:
                senior.setdefault(r, set()).add(s_)
    # receivers of one clause are pari passu: they share their seniors
    for lc in clauses:
        group = set(lc.receivers)
        union = set().union(*(senior.get(r, set()) for r in group)) - group
        for r in group:
            senior[r] = set(union)
    level: dict[str, int] = {}

    def lvl(s: str, stack: tuple = ()) -> int:
        if s in level:
            return level[s]
        if s in stack:
            return 0  # a cycle: left to review below
        v = 1 + max((lvl(x, stack + (s,)) for x in senior.get(s, ()) if x in ctx.series or x in senior), default=0)
        level[s] = v
        return v

    for sid in ctx.series:
        if sid not in placed_by:
            continue
        lc = placed_by[sid]
        t = lc.sent.text
        m = next((m for m in re.finditer(r"Series\s+" + re.escape(sid) + r"(?![\w-])", t)), None)
        a, b = (m.start(), m.end()) if m else (0, min(len(t), 80))
        ctx.emit(f"series.{sid}.tier", lvl(sid), lc.sent, a, b)
    # tiers and the shortfall rule, for the writer
    tiers: dict[int, list[str]] = {}
    for sid in ctx.series:
        f = ctx.draft.get(f"series.{sid}.tier")
        if f is not None:
            tiers.setdefault(int(f.value), []).append(sid)
    for n in sorted(tiers):
        members = tiers[n]
        lc = placed_by[members[0]]
        shortfall, src, review = _shortfall(ctx, lc)
        ctx.tiers.append({"n": n, "series": members, "shortfall": shortfall,  # type: ignore[attr-defined]
                          "source": ctx.label(lc.sent.start), "line": ctx.line(lc.sent.start),
                          "shortfall_source": src, "shortfall_review": review})


def _shortfall(ctx: Context, lc: LiqClause) -> tuple[str, tuple[str, int] | None, bool]:
    i = ctx.sents.index(lc.sent)
    for s in ctx.sents[i:i + 4]:
        t = s.text
        m = re.search(r"(?:ratabl[ey]|pro\s+rata|in\s+proportion|proportionate)[^.;]{0,200}", t, re.I)
        if not m or not re.search(r"insufficient|not\s+be\s+sufficient|less\s+than", t, re.I):
            continue
        ph = m.group(0)
        where = (ctx.label(s.start + m.start()), ctx.line(s.start + m.start()))
        if re.search(r"preferential\s+amount|amounts?\s+(?:each\s+such\s+holder|otherwise)|Liquidation\s+(?:Preference|Amount)|"
                     r"full\s+amounts?", ph, re.I):
            return "preference", where, False
        if re.search(r"(?:Issue|Purchase)\s+Price", ph, re.I):
            return "original_issue_price", where, False
        if re.search(r"number\s+of\s+shares", ph, re.I):
            return "shares", where, False
        return "preference", where, True
    return "preference", None, True
