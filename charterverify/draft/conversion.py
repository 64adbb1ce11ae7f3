"""Conversion prices (or ratios) of each series.

How charters say it:
* by reference: "The initial Conversion Price per share for shares of Series A Preferred
  Stock shall be the Original Series A Issue Price"; "the Conversion Price ... shall
  initially be the Original Series A Issue Price, ..., respectively"; "the "Series A
  Conversion Price" will initially be the Original Series A Issue Price".  The value is
  the issue price read elsewhere; the fact cites both places (`also`).
* a figure: "The initial conversion price per share ... of Series A Preferred ... shall be
  $0.44 (the "Series A Conversion Price")"; ""Conversion Price" shall mean $4.5143 per
  share for the Series A ..."; "The Series A Conversion Price shall initially be $5.8173".
* the numerator: "the number of shares ... determined by dividing $17.50 for each share of
  Series B Stock by the Series B Conversion Price": where no Original Issue Price is
  defined, that amount is the model's original_issue_price (ratio = it / price), a
  documented reading.
"""

from __future__ import annotations

import re

from .facts import Context, pair, series_mentions
from .preference import amounts_of, per_share_amounts

_OIP_REF = re.compile(r"(?:shall|will)\s+(?:initially\s+)?(?:be|equal)\s+(?:equal\s+)?(?:to\s+)?(?:the\s+)?(?:applicable\s+)?"
                      r"(?:Original\s+Issue\s+Price|Original[\w\s\"'-]{0,40}?(?:Issue|Purchase)\s+Price|"
                      r"(?:Series\s+[\w-]+\s+(?:Preferred\s+(?:Stock\s+)?)?)?(?:Original\s+)?(?:Issue|Purchase)\s+Price)", re.I)
_OIP_TERM = re.compile(r"(?:Original\s+)?(?:Series\s+[\w-]+(?:\s+Preferred)?\s+)?(?:Original\s+)?(?:Issue|Purchase)\s+Price", re.I)


def draft(ctx: Context) -> None:
    for s in ctx.sents:
        t = s.text
        if not re.search(r"Conversion\s+(?:Price|Value)", t, re.I):
            continue
        if not re.search(r"initial|shall\s+mean|means|Conversion\s+(?:Price|Value)\W{0,3}\s+(?:as\s+in\s+effect[^.;]{0,60}\s+)?shall\s+be", t, re.I):
            continue
        figured: set[str] = set()
        if re.search(r"no\s+adjustment|unless\s+such\s+adjustment|adjustments?\s+in\s+the\s+aggregate", t, re.I):
            continue  # a minimum adjustment ("exceed One Cent ($0.01)"), not a price
        # figures
        amts = amounts_of(t, per_share_amounts(t), ("conv",))
        if amts:
            got = pair(t, series_mentions(t, ctx.series), amts)
            if not got and len(ctx.series) == 1 and len({a.value for a in amts}) == 1:
                got = {ctx.series[0]: amts[0]}
            overriding = bool(re.search(r"notwithstanding", t, re.I))
            for sid, a in (got or {}).items():
                figured.add(sid)
                ctx.emit(f"series.{sid}.conversion_price", a.value, s, a.start, a.end + 20, replace=overriding,
                         note="stated notwithstanding the initial price" if overriding else "")
        # by reference to an issue price
        if _OIP_REF.search(t):
            refs = list(_OIP_TERM.finditer(t))
            targets: list[tuple[str, int, int]] = []
            for m in refs:
                if not re.search(r"(?:be|equal|to|,|and)\s+(?:the\s+)?(?:applicable\s+)?$", t[max(0, m.start() - 30):m.start()]):
                    continue
                named = series_mentions(m.group(0), ctx.series)
                if named:
                    targets.append((named[0].sid, m.start(), m.end()))
                else:
                    # "the Series A Conversion Price shall initially be the Original Issue Price"
                    before = series_mentions(t[max(0, m.start() - 200):m.start()], ctx.series)
                    if before and re.search(r"Conversion\s+Price", t[max(0, m.start() - 200):m.start()]):
                        targets.append((before[-1].sid, m.start(), m.end()))
                    else:
                        # "... and (iv) all other series ... shall initially be the applicable Original Issue Price"
                        for sid in ctx.series:
                            if sid not in figured:
                                targets.append((sid, m.start(), m.end()))
            for sid, a, b in targets:
                oip = ctx.draft.get(f"series.{sid}.original_issue_price")
                if oip is None:
                    continue
                ctx.emit(f"series.{sid}.conversion_price", oip.value, s, a, b, review=oip.review,
                         also=((oip.source, oip.line),), note="the Conversion Price is initially the Original Issue Price")
    # the numerator of the conversion formula, where no Original Issue Price is defined
    for s in ctx.sents:
        t = s.text
        m = re.search(r"dividing\s+(?:[A-Za-z -]{0,40}\(\s*)?(\$[\d.,]+)\)?[^.;]{0,80}?\s+by\s+the\s+[^.;]{0,40}Conversion\s+(?:Price|Value)",
                      t, re.I)
        if not m:
            continue
        amts = per_share_amounts(m.group(0))
        ms = series_mentions(m.group(0), ctx.series)
        subject = [x.sid for x in series_mentions(t[:m.start()], ctx.series)]
        if len(amts) != 1 or len({x.sid for x in ms}) > 1 or not (ms or subject):
            continue
        for sid in (list(dict.fromkeys(subject)) if subject else [ms[0].sid]):
            if ctx.draft.get(f"series.{sid}.original_issue_price") is None:
                ctx.emit(f"series.{sid}.original_issue_price", amts[0].value, s, m.start(), m.end(),
                         note="no Original Issue Price is defined; the amount divided by the Conversion Price "
                         "is the price the model's ratio is taken from (a reading)")
    # a stated conversion rate instead of a price
    for sid in ctx.series:
        if ctx.draft.get(f"series.{sid}.conversion_price") is None:
            for s in ctx.sents:
                mm = re.search(r"Series\s+" + re.escape(sid) + r"\b[^.;]{0,120}?convertible\s+into\s+(?:\w+\s+)?\((\d+(?:\.\d+)?)\)\s+"
                               r"shares?\s+of\s+Common", s.text)
                if mm:
                    from fractions import Fraction
                    ctx.emit(f"series.{sid}.conversion_ratio", Fraction(mm.group(1)), s, mm.start(), mm.end())
                    break
