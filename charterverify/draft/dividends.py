"""Dividends: the rate (a dollar amount per share per year, or a percentage of the
original issue price) and whether it cumulates.

"at the rate of 8% of the Original Issue Price ... per annum", "The dividend rate for the
Series A Preferred is $0.05 per annum", "at the per share rate of $0.20, $0.286, ...
per annum, respectively"; "Such dividends shall not be cumulative" / "non-cumulative" /
"shall accrue ... and shall be cumulative".  A dividend the model cannot hold (accruing
amounts added to the preference) is noted by the writer as a REVIEW comment.
"""

from __future__ import annotations

import re

from .facts import Context, pair, percents, series_mentions
from .preference import per_share_amounts


def holders_entitled(head: str) -> str:
    """The holders named before "shall be entitled to receive dividends", without the ones the
    dividend is "in preference to"."""
    cut = re.search(r"(?:prior\s+and\s+)?in\s+preference\s+to|prior\s+to|senior\s+to", head, re.I)
    body = head[:cut.start()] if cut else head
    hm = list(re.finditer(r"holders?\s+of", body, re.I))
    return body[hm[0].start():] if hm else body


def draft(ctx: Context) -> None:
    draft_rates(ctx)
    draft_cumulative(ctx)


def draft_rates(ctx: Context) -> None:
    for i, s in enumerate(ctx.sents):
        t = s.text
        if not re.search(r"dividend", t, re.I) or not re.search(r"per\s+annum|annual|per\s+year|each\s+year|calendar\s+year|fiscal\s+year", t, re.I):
            continue
        if re.search(r"Conversion\s+Price|liquidat", t, re.I) and not re.search(r"rate", t, re.I):
            continue
        if re.search(r"liquidat|winding\s+up", t, re.I):
            continue  # an amount added to a liquidation preference is not a dividend rate
        ms = series_mentions(t, ctx.series)
        targets = list(dict.fromkeys(m.sid for m in ms)) or (list(ctx.series) if re.search(r"Preferred", t) else [])
        em = re.search(r"entitled\s+to\s+receive|shall\s+receive|shall\s+accrue", t, re.I)
        if em and not re.search(r"respectively", t):
            # the holders entitled, not the stock the dividend is preferred to
            from .preference import all_mentions

            who = holders_entitled(t[:em.start()])
            ids = list(dict.fromkeys(x.sid for x in all_mentions(ctx, who)))
            if ids:
                targets = ids
            elif re.search(r"Preferred", who):
                targets = list(ctx.series)
        if not targets:
            continue
        pcts = [p for p in percents(t) if re.search(r"(?:Original|Issue|Purchase)[\w\s\"'-]{0,30}Price|per\s+annum|annual",
                                                     t[p.end:p.end + 80], re.I)]
        amts = [a for a in per_share_amounts(t) if re.search(r"per\s+(?:share|annum)|per\s+share\s+per", t[a.end:a.end + 40], re.I)
                and (re.search(r"rate|dividends?\s+(?:of|in\s+the\s+amount\s+of|equal\s+to)|respectively|,\s*$", t[max(0, a.start - 80):a.start], re.I)
                     or re.search(r"per\s+annum", t[a.end:a.end + 40], re.I))
                and not re.search(r"par\s+value", t[a.end:a.end + 30], re.I)]
        wrote: list[str] = []
        if pcts and not amts:
            if len({p.value for p in pcts}) == 1:
                for sid in targets:
                    ctx.emit(f"series.{sid}.dividend_percent", pcts[0].value, s, pcts[0].start, pcts[0].end + 40)
                    wrote.append(sid)
            else:
                got = pair(t, ms, pcts) or {}
                for sid, p in got.items():
                    ctx.emit(f"series.{sid}.dividend_percent", p.value, s, p.start, p.end + 40)
                    wrote.append(sid)
        elif amts:
            got = pair(t, ms, amts) or {}
            if not got and len(amts) == 1 and targets:
                got = {sid: amts[0] for sid in targets}
            for sid, a in got.items():
                ctx.emit(f"series.{sid}.dividend_rate", a.value, s, a.start, a.end + 30)
                wrote.append(sid)
        if not wrote:
            continue
        window = ctx.sents[i:i + 4]
        for w in window:
            m = re.search(r"non-?\s*cumulative|not\s+(?:be\s+)?cumulative|shall\s+not\s+(?:accrue|cumulate)|"
                          r"noncumulative", w.text, re.I)
            c = re.search(r"(?<!non-)(?<!non)\bcumulative\b|shall\s+accrue|accruing", w.text, re.I)
            if m:
                for sid in wrote:
                    ctx.emit(f"series.{sid}.dividend_cumulative", False, w, m.start(), m.end())
                break
            if c:
                for sid in wrote:
                    ctx.emit(f"series.{sid}.dividend_cumulative", True, w, c.start(), c.end())
                break


_NONCUM = re.compile(r"non-?\s*cumulative|not\s+(?:be\s+)?cumulative|shall\s+not\s+(?:accrue|cumulate)|noncumulative", re.I)
_CUM = re.compile(r"(?<!non-)(?<!non)\b(?:shall\s+be\s+cumulative|cumulative\s+dividends|dividends\s+shall\s+accrue|accruing\s+dividends)",
                  re.I)


def draft_cumulative(ctx: Context) -> None:
    """"Such dividends shall not be cumulative" after the sentence that entitles holders to
    dividends: the holders named there (a series, a defined group, or the Preferred)."""
    from .preference import all_mentions

    for i, s in enumerate(ctx.sents):
        m = _NONCUM.search(s.text) or _CUM.search(s.text)
        if not m:
            continue
        value = bool(_CUM.search(s.text)) and not _NONCUM.search(s.text)
        for back in (0, 1, 2):
            if i - back < 0:
                break
            src = ctx.sents[i - back]
            t = src.text
            em = re.search(r"entitled\s+to\s+receive[^.;]{0,40}dividends|shall\s+receive[^.;]{0,40}dividends|"
                           r"dividends\s+shall\s+accrue", t, re.I)
            if not em:
                continue
            who = holders_entitled(t[:em.start()])
            ids = list(dict.fromkeys(x.sid for x in all_mentions(ctx, who)))
            if not ids and re.search(r"Preferred", who):
                ids = list(ctx.series)
            for sid in ids:
                if ctx.draft.get(f"series.{sid}.dividend_cumulative") is None:
                    ctx.emit(f"series.{sid}.dividend_cumulative", value, s, m.start(), m.end())
            break
