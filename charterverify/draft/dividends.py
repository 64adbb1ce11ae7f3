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


def draft(ctx: Context) -> None:
    for i, s in enumerate(ctx.sents):
        t = s.text
        if not re.search(r"dividend", t, re.I) or not re.search(r"per\s+annum|annual|per\s+year|each\s+year|calendar\s+year|fiscal\s+year", t, re.I):
            continue
        if re.search(r"Conversion\s+Price|liquidat", t, re.I) and not re.search(r"rate", t, re.I):
            continue
        ms = series_mentions(t, ctx.series)
        targets = list(dict.fromkeys(m.sid for m in ms)) or (list(ctx.series) if re.search(r"Preferred", t) else [])
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
