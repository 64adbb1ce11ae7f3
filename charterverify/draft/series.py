"""Classes, authorized shares, the preferred series and their designated shares.

How charters say it (NVCA forms and older variants):
* "The total number of shares ... is N, of which M shares shall be Common Stock ... and
  P shares shall be Preferred Stock"; "Seventy million (70,000,000) shares shall be
  Common Stock"; "the number of shares of Common Stock ... authorized ... is N shares".
* "N shares of the authorized Preferred Stock are hereby designated "Series A Preferred
  Stock"" (number first), "the Series A Preferred Stock, which series shall consist of
  N shares" / "The number of shares constituting the Series A Preferred is fixed at N
  shares" (series first).
"""

from __future__ import annotations

import re
from collections import Counter
from fractions import Fraction

from .facts import Amount, Context, Mention, counts, series_mentions

_PREF_AFTER = re.compile(r"^\s*(?:(?:Convertible|Participating|Junior|Redeemable|Senior|Non-Voting|Voting)\s+)*"
                         r"(?:Preferred|Preference)\b")


def find_series(ctx: Context) -> list[str]:
    """Series ids the charter names as "Series X Preferred", in order of first mention."""
    count: Counter[str] = Counter()
    order: list[str] = []
    for s in ctx.sents:
        for m in series_mentions(s.text):
            rest = s.text[m.end:m.end + 60]
            if _PREF_AFTER.match(rest) or re.match(r'^"?\s*\)?\s*(?:Original|Conversion|Liquidation|Issue)', rest):
                count[m.sid] += 1
                if m.sid not in order:
                    order.append(m.sid)
    return [sid for sid in order if count[sid] >= 2]


def _class_mentions(text: str) -> list[Mention]:
    out = []
    for m in re.finditer(r"\b(?:(Class\s+[A-Z])\s+)?(Common|Preferred)\s+Stock\b", text, re.I):
        name = m.group(2).lower()
        if m.group(1) and name == "common":
            name = f"common.Class {m.group(1).split()[-1].upper()}"
        out.append(Mention(name, m.start(), m.end()))
    return out


_AFTER_GAP = re.compile(r"^\s*(?:shares\s+)?(?:of\s+which\s+)?(?:(?:shall|will)\s+be\s+|of\s+)?(?:the\s+Corporation'?s\s+)?$", re.I)
_BEFORE_GAP = re.compile(r"(?:authori[sz]ed|authority)\s+to\s+(?:be\s+)?issue[ds]?\s+(?:shall\s+be\s+|is\s+)?$"
                         r"|\bshall\s+be\s+$|\bis\s+$", re.I)


def _authorized_in(ctx: Context, t: str) -> dict[str, Amount]:
    nums = [a for a in counts(t) if a.value >= 1000]
    if not nums:
        return {}
    mentions = _class_mentions(t)
    got: dict[str, Amount] = {}
    for i, a in enumerate(nums):
        nxt_start = nums[i + 1].start if i + 1 < len(nums) else len(t)
        if re.search(r"designat", t[a.end:nxt_start], re.I) and series_mentions(t[a.end:nxt_start]):
            continue  # "N shares ... are designated Series A": a series, not the class
        if re.search(r"(?:at\s+least|not\s+less\s+than|more\s+than|fewer\s+than|up\s+to)\s*$", t[max(0, a.start - 20):a.start], re.I):
            continue  # a threshold, not the authorized number
        after = [m for m in mentions if m.start >= a.end and _AFTER_GAP.match(t[a.end:m.start])]
        before = [m for m in mentions if m.end <= a.start and _BEFORE_GAP.search(t[m.end:a.start][-60:])
                  and not _class_mentions(t[m.end:a.start]) and len(t[m.end:a.start]) < 160]
        m = after[0] if after else (before[-1] if before else None)
        if m is None:
            continue
        if m.sid in got and got[m.sid].value != a.value:
            continue
        got.setdefault(m.sid, a)
    return got


_AUTH = re.compile(r"authori[sz]ed|authority|shall be (?:Common|Preferred) Stock", re.I)


def draft_authorized(ctx: Context) -> None:
    """The first sentence that gives the number of a class, with the number right before the
    class ("N shares of Common Stock", "N shares shall be Common Stock") or after it
    ("the number of shares of Common Stock ... authorized to issue is N shares").  A later
    certificate of amendment that restates the authorized shares ("is amended and restated
    to read ... as follows") supersedes it."""
    found: set[str] = set()
    first_liq = next((s.start for s in ctx.sents if re.search(r"\bliquidation\b", s.text, re.I)), len(ctx.flat))
    for s in ctx.sents:
        if s.start > first_liq:
            break
        if not _AUTH.search(s.text):
            continue
        for cls, a in _authorized_in(ctx, s.text).items():
            if cls in found:
                continue
            ctx.emit(f"authorized.{cls}", int(a.value), s, a.start, a.end + 24)
            found.add(cls)
        if "preferred" in found and any(c.startswith("common") for c in found):
            break
    for i, s in enumerate(ctx.sents):
        if s.start <= first_liq or not _AUTH.search(s.text):
            continue
        window = " ".join(x.text for x in ctx.sents[max(0, i - 3):i + 1])
        if not re.search(r"amended\s+(?:and\s+restated\s+)?to\s+read|hereby\s+amended|amended\s+to\s+(?:read|provide)", window, re.I):
            continue
        got = _authorized_in(ctx, s.text)
        if not re.search(r"total\s+number|classes", s.text, re.I):
            continue
        for cls, a in got.items():
            ctx.emit(f"authorized.{cls}", int(a.value), s, a.start, a.end + 24, replace=True,
                     note="as amended by the later certificate")


def draft_designations(ctx: Context) -> None:
    known = ctx.series
    for s in ctx.sents:
        t = s.text
        if not re.search(r"designat|consist|constitut|number of shares", t, re.I):
            continue
        nums = counts(t)
        if not nums:
            continue
        mentions = series_mentions(t, known)
        if not mentions:
            continue
        for a in nums:
            if a.value < 100:
                continue  # "six (6)" directors or days, not a series' shares
            if re.search(r"(?:at\s+least|not\s+less\s+than|more\s+than|fewer\s+than|up\s+to|least)\s*$", t[max(0, a.start - 20):a.start], re.I):
                continue  # a threshold ("so long as at least 2,000,000 shares ... remain outstanding")
            nxt = [m for m in mentions if m.start >= a.end]
            prv = [m for m in mentions if m.end <= a.start]
            chosen = None
            if nxt:
                gap = t[a.end:nxt[0].start]
                if re.search(r"designated|shall be\s+(?:a\s+)?series|\bshares\s+of\s+\W*$", gap, re.I) \
                        and len(gap) < 120 and not counts(gap) and not re.search(r"\bCommon Stock\b", gap, re.I):
                    chosen = nxt[0]
            if chosen is None and prv:
                gap = t[prv[-1].end:a.start]
                if re.search(r"consist|constitut|fixed at|number of shares|designated", gap, re.I) \
                        and len(gap) < 220 and not counts(gap) \
                        and not any(m.sid.startswith("common") for m in _class_mentions(gap)):
                    chosen = prv[-1]
            if chosen is None:
                continue
            key = f"series.{chosen.sid}.designated"
            lo = min(a.start, chosen.start)
            hi = max(a.end, chosen.end)
            ctx.emit(key, int(a.value), s, lo, hi)


def draft(ctx: Context) -> None:
    ctx.series = find_series(ctx)
    draft_authorized(ctx)
    draft_designations(ctx)
    have = [sid for sid in ctx.series if ctx.draft.get(f"series.{sid}.designated") is not None]
    if have:
        ctx.series = have


__all__ = ["draft", "find_series", "Fraction"]


_CO = r"((?:[A-Z][\w&'.-]*\s+){0,4}?[A-Z][\w&'.-]*,?\s+(?:Inc\.|Inc\b|Corporation|Corp\.|Incorporated|Ltd\.))"


def company_name(ctx: Context) -> str:
    """The company as the charter names it: "The name of the Corporation is X", else the most
    frequent "X, Inc." / "X Corporation" of the opening sentences."""
    from collections import Counter

    head = " ".join(s.text for s in ctx.sents[:80])
    m = re.search(r"name\s+of\s+(?:the|this)\s+(?:Corporation|corporation|Company|company)\s+is\s+\"?\s*" + _CO, head)
    if m:
        return m.group(1).strip()
    found: Counter[str] = Counter()
    for m in re.finditer(_CO, head):
        words = m.group(1).split()
        while words and (words[0] in ("The", "ARTICLE", "Article", "If", "Of", "This", "Said", "Such", "That") or
                         re.fullmatch(r"[IVX]+\.?|\d+\.?|[A-Z]\.", words[0])):
            words = words[1:]
        name = " ".join(words)
        if len(words) >= 2 and not re.search(r"\b(?:Delaware|State|Law|Certificate|Secretary|General|California|Colorado|Nevada|Washington|Massachusetts|York|Texas)\b", name):
            found[name] += 1
    return found.most_common(1)[0][0] if found else ""
