"""Shared machinery of the drafter: facts, sentences, numbers, series mentions, pairing.

A charter states its economics in sentences.  Every clause-kind module
(series.py, preference.py, ...) walks the sentences of the document, picks the
ones that speak of its kind ("Original Issue Price shall mean ...", "prior and in
preference to ..."), and reads values from them with the helpers here:

* `sentences(text)`: a splitter that knows "Inc.", "No.", "Sec.", "$1.25", "(a)".
* `money`, `share_counts`, `percents`: the amounts of a sentence with their offsets
  (words as well as figures: "sixty-six and two-thirds percent (66 2/3%)").
* `series_mentions`: "Series A", "Series B-1", "Series Seed 1" with offsets.
* `pair`: which amount belongs to which series, in the two ways charters write it
  ("$1.00 for each share of Series A, $2.40 for ... Series B" and "Series A ...
  shall be $1.00"; "respectively" lists zip in order).

Nothing here guesses: a helper returns nothing rather than a doubtful pairing, and the
caller then emits a review fact or none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from ..text import load_outline
from ..text.numbers import words_to_int as _text_words_to_int
from ..text.outline import Outline

@dataclass
class Fact:
    key: str
    value: int | Fraction | str | bool
    source: str
    line: int
    quote: str
    review: bool = False
    note: str = ""  # why a review, or the reading taken
    also: tuple[tuple[str, int], ...] = ()  # other places the value rests on (by reference)


@dataclass
class Draft:
    path: str
    facts: list[Fact] = field(default_factory=list)
    outline: Outline | None = None
    company: str = ""
    extra: dict = field(default_factory=dict)  # what the writer needs beyond the facts (tiers, strictness)

    def get(self, key: str) -> Fact | None:
        for f in self.facts:
            if f.key == key:
                return f
        return None

    def value(self, key: str, default=None):
        f = self.get(key)
        return default if f is None or f.review else f.value

    @property
    def review_items(self) -> list[Fact]:
        return [f for f in self.facts if f.review]

    def series_ids(self) -> list[str]:
        out: list[str] = []
        for f in self.facts:
            if f.key.startswith("series.") and f.key.endswith(".designated"):
                sid = f.key[len("series."):-len(".designated")]
                if sid not in out:
                    out.append(sid)
        return out


# ---------------------------------------------------------------------------- text

@dataclass
class Sentence:
    text: str  # normalized: typographic quotes made plain, same length as the flat span
    start: int  # flat offset
    end: int

    def __repr__(self) -> str:  # pragma: no cover
        return f"Sentence({self.text[:60]!r}...)"


_ABBREV = {"inc", "no", "nos", "sec", "secs", "co", "corp", "ltd", "art", "arts", "u.s", "i.e", "e.g", "etc",
           "vs", "mr", "ms", "dr", "st", "par", "para", "jr", "sr", "l.p", "n.a", "seq", "cf", "approx", "v",
           "del", "subd", "incl"}


def normalize(s: str) -> str:
    """Plain quotes and apostrophes, same length (offsets keep)."""
    return (s.replace("\u201c", '"').replace("\u201d", '"').replace("\u2018", "'").replace("\u2019", "'")
            .replace("\u00a0", " ").replace("\u2013", "-").replace("\u2014", "-"))


def sentences(flat: str) -> list[Sentence]:
    text = normalize(flat)
    out: list[Sentence] = []
    start = 0
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        cut = None
        if ch == "\n":
            prev = text[start:i].rstrip()
            # a paragraph that stops mid-sentence ("... equal to the sum of" / "(i)$1.00 ...") runs on
            if not prev or prev[-1] in '.:;!?")' or len(prev) < 80 or not re.search(r"[a-z,]$", prev):
                cut = i
        elif ch == "." and i + 1 < n and text[i + 1] in ' "\n':
            # the word before the period
            m = re.search(r"([A-Za-z.]+)$", text[max(0, i - 12):i])
            word = (m.group(1) if m else "").lower().strip(".")
            nxt = re.match(r'[ "]*(\S)', text[i + 1:i + 6])
            nxt_ch = nxt.group(1) if nxt else ""
            if word in _ABBREV or re.search(r"(?:^|[:;(]\s*|\n)(?:\d{1,2}|[A-Za-z]|[ivx]{1,4})$", text[max(0, i - 6):i]) \
                    or (i - start < 5 and re.fullmatch(r"\s*(?:\d{1,2}|[A-Za-z]|[ivxIVX]{1,4})", text[start:i])):
                cut = None  # "consisting of: 1. Sixteen", "A. Classes", "(ii)." run on
            elif nxt_ch and (nxt_ch.isupper() or nxt_ch in '("' or nxt_ch.isdigit()):
                # "Series A. The ..." ends a sentence; "Section 2. (a)" too
                cut = i + 1
                if text[i + 1] == '"':
                    cut = i + 2
        if cut is not None:
            seg = text[start:cut]
            if seg.strip():
                lead = len(seg) - len(seg.lstrip())
                out.append(Sentence(seg.strip(), start + lead, start + lead + len(seg.strip())))
            start = cut + (1 if ch == "\n" else 0)
        i += 1
    seg = text[start:]
    if seg.strip():
        lead = len(seg) - len(seg.lstrip())
        out.append(Sentence(seg.strip(), start + lead, start + lead + len(seg.strip())))
    return out


# ---------------------------------------------------------------------------- numbers

_NUMWORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
             "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred "
             "thousand million billion and").split()
_NUMWORD_RE = "(?:" + "|".join(_NUMWORDS) + ")"
_WORDS_NUMBER = re.compile(r"\b(" + _NUMWORD_RE + r"(?:[\s-]+" + _NUMWORD_RE + r")*)\b", re.I)


def words_to_int(words: str) -> int | None:
    """A number written in words (leading or trailing "and" dropped): the text layer's reading,
    word2number checked scale by scale (`text.numbers.words_to_int`)."""
    w = re.sub(r"\s+", " ", words.strip().lower().replace("-", " "))
    w = re.sub(r"^(and )+|( and)+$", "", w)
    if not w or w in ("and",):
        return None
    return _text_words_to_int(w)


def parse_decimal(s: str) -> Fraction:
    s = s.replace(",", "")
    if s.startswith("."):
        s = "0" + s
    return Fraction(s)


@dataclass
class Amount:
    value: Fraction
    start: int  # offset in the sentence text
    end: int
    kind: str  # "money" | "shares" | "percent" | "times"


_MONEY = re.compile(r"\$\s?(\d[\d,]*(?:\.\d+)?|\.\d+)(\s+(?:million|billion))?\b", re.I)


def money(s: str) -> list[Amount]:
    out = []
    for m in _MONEY.finditer(s):
        try:
            v = parse_decimal(m.group(1))
        except (ValueError, ZeroDivisionError):
            continue
        if m.group(2):
            v *= 10**6 if "million" in m.group(2).lower() else 10**9
        out.append(Amount(v, m.start(), m.end(), "money"))
    return out


_SHARES = re.compile(r"(?:\(\s*(\d[\d,]*)\s*\)|\b(\d{1,3}(?:,\d{3})+|\d+)\b)\s+shares\b", re.I)


_COUNT = re.compile(r"(?:\(\s*(\d[\d,]*)\s*\)|(?<![$\d.,])\b(\d{1,3}(?:,\d{3})+)\b(?![.,]?\d)(?!\s*%))")


def counts(s: str) -> list[Amount]:
    """Whole numbers that may be share counts: "(9,100,000)" with the words before it,
    "1,743,751", or "N shares"; never a dollar amount or a percentage."""
    out: list[Amount] = []
    for m in _COUNT.finditer(s):
        raw = (m.group(1) or m.group(2)).replace(",", "")
        if not raw.isdigit():
            continue
        v = int(raw)
        start = m.start()
        if m.group(1):
            if s[max(0, m.start() - 2):m.start()].strip().endswith("$"):
                continue
            wm = re.search(r"(?:\b" + _NUMWORD_RE + r"[\s,-]*)+$", s[:m.start()], re.I)
            if wm:
                start = wm.start()
        out.append(Amount(Fraction(v), start, m.end(), "shares"))
    have = {(a.start, a.end) for a in out}
    for a in share_counts(s):
        if not any(x <= a.start < y or a.start <= x < a.end for x, y in have):
            out.append(a)
    out.sort(key=lambda a: a.start)
    return out


def share_counts(s: str) -> list[Amount]:
    out = []
    for m in _SHARES.finditer(s):
        v = int((m.group(1) or m.group(2)).replace(",", ""))
        start = m.start()
        # extend over the words before "(9,100,000)"
        if m.group(1):
            pre = s[:m.start()]
            wm = re.search(r"(?:\b" + _NUMWORD_RE + r"[\s,-]*)+$", pre, re.I)
            if wm:
                start = wm.start()
        out.append(Amount(Fraction(v), start, m.end(), "shares"))
    if not out:
        for m in re.finditer(r"\b((?:" + _NUMWORD_RE + r"[\s-]+)+)shares\b", s, re.I):
            v = words_to_int(m.group(1))
            if v:
                out.append(Amount(Fraction(v), m.start(), m.end(), "shares"))
    return out


_FRACWORDS = {"one-half": Fraction(1, 2), "one half": Fraction(1, 2), "two-thirds": Fraction(2, 3),
              "two thirds": Fraction(2, 3), "one-third": Fraction(1, 3), "one third": Fraction(1, 3),
              "three-quarters": Fraction(3, 4), "three-fourths": Fraction(3, 4), "one-quarter": Fraction(1, 4)}

_PERCENT = re.compile(r"(\d+(?:\.\d+)?)(?:\s+(\d+)\s*/\s*(\d+)|\s*-\s*(\d+)\s*/\s*(\d+))?\s*(?:%|percent\b|per cent\b)",
                      re.I)


def percents(s: str) -> list[Amount]:
    """Percentages as fractions: "66 2/3%" -> 2/3, "sixty percent (60%)" -> 3/5."""
    out: list[Amount] = []
    for m in _PERCENT.finditer(s):
        v = Fraction(m.group(1))
        if m.group(2):
            v += Fraction(int(m.group(2)), int(m.group(3)))
        elif m.group(4):
            v += Fraction(int(m.group(4)), int(m.group(5)))
        start = m.start()
        if start > 0 and s[start - 1] == "(":
            # "sixty-six and two-thirds percent (66 2/3%)": cover the words too
            wm = re.search(r"(?:[A-Za-z-]+\s+){1,8}(?:percent|per cent)\s*\($", s[:start], re.I)
            if wm:
                start = wm.start()
        out.append(Amount(v / 100, start, m.end(), "percent"))
    covered = [(a.start, a.end) for a in out]
    for m in re.finditer(r"\b((?:[a-z]+[\s-]+){0,6}?[a-z]+(?:[\s-]+and[\s-]+(?:one|two|three)[\s-](?:half|thirds?|quarters?))?)"
                         r"\s+(?:percent|per cent)\b(?!\s*\()", s, re.I):
        if any(a <= m.start() < b for a, b in covered):
            continue
        words = m.group(1).lower()
        frac = Fraction(0)
        fm = re.search(r"\s+and\s+((?:one|two|three)[\s-](?:half|thirds?|quarters?))$", words)
        if fm:
            frac = _FRACWORDS.get(fm.group(1).replace(" ", "-"), Fraction(0))
            words = words[:fm.start()]
        # take the longest run of number words at the end
        wm = re.search(r"(?:\b" + _NUMWORD_RE + r"[\s-]*)+$", words, re.I)
        if not wm:
            continue
        v = words_to_int(wm.group(0))
        if v is None:
            continue
        out.append(Amount((Fraction(v) + frac) / 100, m.start(), m.end(), "percent"))
    out.sort(key=lambda a: a.start)
    return out


def majority_or_percent(s: str) -> tuple[Fraction, bool] | None:
    """A vote threshold in a phrase: (fraction, strict). "a majority" -> (1/2, True);
    "at least 60%" -> (3/5, False); "two-thirds" -> (2/3, False)."""
    if re.search(r"\bmajority\b", s, re.I):
        return Fraction(1, 2), True
    ps = percents(s)
    if ps:
        strict = bool(re.search(r"more than|greater than|in excess of", s[:ps[0].end], re.I))
        return ps[0].value, strict
    m = re.search(r"\b(two[\s-]thirds|three[\s-](?:quarters|fourths))\b", s, re.I)
    if m:
        return _FRACWORDS[m.group(1).lower().replace(" ", "-")], False
    return None


# ---------------------------------------------------------------------------- series mentions

_SERIES = re.compile(
    r"\bSeries\s+(Seed(?:[\s-]+\d+)?|(?!Preferred|Convertible|Common|Junior|Senior)[A-Z][a-z]+\s+[A-Z]{1,2}-?\d{1,2}"
    r"|[A-Z]{1,2}(?:-?\d{1,2})?)(?![A-Za-z0-9])(?!-[A-Za-z])"
)


@dataclass
class Mention:
    sid: str
    start: int
    end: int


def clean_sid(raw: str) -> str:
    return re.sub(r"\s+", " ", raw.replace("\n", " ")).strip()


def series_mentions(s: str, known: list[str] | None = None) -> list[Mention]:
    out = []
    for m in _SERIES.finditer(s):
        sid = clean_sid(m.group(1))
        if known is None or sid in known:
            out.append(Mention(sid, m.start(), m.end()))
        if known is None:
            continue
        # "Series A, A-1 and B Preferred": bare ids listed after a mention
        pos = m.end()
        while True:
            n = _BARE_NEXT.match(s, pos)
            if not n or clean_sid(n.group(1)) not in known:
                break
            out.append(Mention(clean_sid(n.group(1)), n.start(1), n.end(1)))
            pos = n.end()
    out.sort(key=lambda x: x.start)
    return out


_BARE_NEXT = re.compile(r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)([A-Z]{1,2}(?:-\d{1,2}|\d)?)(?![\w-])")


# ---------------------------------------------------------------------------- pairing

_AFTER_LINK = re.compile(
    r"^\s*\)?\s*(?:per\s+share\s*)?(?:per\s+annum\s*)?(?:\((?![ivx]+\)|[a-z]\))(?:[^()]|\([^()]*\))*\)\s*)?,?\s*"
    r"(?:(?:for|of|with\s+respect\s+to|in\s+respect\s+of|on|in\s+the\s+case\s+of)\s+"
    r"(?:each|every|any)?\s*(?:outstanding\s+|issued\s+)?(?:share\s+of\s+)?(?:the\s+)?(?:outstanding\s+)?(?:shares\s+of\s+)?"
    r"(?:the\s+)?|\(\s*(?:each,?\s+)?(?:the\s+)?\"?\s*(?:Original\s+)?)$", re.I)
_BEFORE_LINK = re.compile(r"(?:(?:shall|will)\s+(?:initially\s+)?(?:mean|be|equal)|means|(?:shall\s+)?exceed|greater\s+than|equal\s+to|is|was|,|:|\bto\b)[\s\"(]*(?:an\s+amount\s+"
                          r"(?:per\s+share\s+)?equal\s+to\s+)?(?:\(?[ivx]+\)\s*)?"
                          r"(?:(?:[A-Za-z-]+\s+){1,8}(?:dollars?|cents?)\s*\()?$", re.I)


_CONJ = re.compile(r"^\s*(?:Preferred(?:\s+Stock)?\s*)?(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)(?:the\s+)?$")


def _chain(s: str, mentions: list[Mention], m: Mention) -> list[Mention]:
    """A mention with the ones joined to it by "and"/","/"or": "Series DD Preferred and Series CC Preferred"."""
    ordered = sorted(mentions, key=lambda x: x.start)
    i = ordered.index(m)
    out = [m]
    j = i
    while j > 0 and _CONJ.match(s[ordered[j - 1].end:ordered[j].start]):
        j -= 1
        out.append(ordered[j])
    j = i
    while j + 1 < len(ordered) and _CONJ.match(s[ordered[j].end:ordered[j + 1].start]):
        j += 1
        out.append(ordered[j])
    return out


def pair(s: str, mentions: list[Mention], amounts: list[Amount], max_gap: int = 260) -> dict[str, Amount] | None:
    """Which amount belongs to which series, or None when the sentence does not say clearly.

    "respectively": the series in order with the amounts in order (equal counts).
    Otherwise each amount is read with the words around it: "$0.90 for each outstanding
    share of Series A" / "$8.25 (the "Original Series F Issue Price")" (series after) or
    "the Series A Original Issue Price shall mean $3.15" / "with respect to the Series Seed
    Preferred Stock, $0.12" (series before).  A series paired with two different amounts
    makes the sentence unclear (None)."""
    if not amounts or not mentions:
        return None
    if re.search(r"\brespectively\b", s):
        uniq: list[Mention] = []
        for m in mentions:
            if not any(u.sid == m.sid for u in uniq) and m.start < amounts[-1].start:
                uniq.append(m)
        if len(uniq) == len(amounts):
            return {m.sid: a for m, a in zip(uniq, amounts)}
    result: dict[str, Amount] = {}
    for i, a in enumerate(amounts):
        prev_a = amounts[i - 1].end if i > 0 else 0
        next_a = amounts[i + 1].start if i + 1 < len(amounts) else len(s)
        after = [m for m in mentions if a.end <= m.start < next_a and m.start - a.end <= 110]
        chosen = None
        if after and _AFTER_LINK.match(s[a.end:after[0].start]):
            chosen = after[0]
        if chosen is None:
            # "$1.286, subject to adjustment ... (the "Original Series D Issue Price")": the defined term names it
            dm = re.search(r"\(\s*(?:each,?\s+)?(?:the\s+)?\"[^\"]{0,60}\"\s*\)", s[a.end:min(next_a, a.end + 220)])
            if dm:
                inner = [m for m in mentions if a.end + dm.start() <= m.start < a.end + dm.end()]
                if len({m.sid for m in inner}) == 1 and not any(a.end <= m.start < a.end + dm.start() for m in mentions):
                    chosen = inner[0]
        if chosen is None:
            before = [m for m in mentions if prev_a <= m.start and m.end <= a.start and a.start - m.end <= max_gap]
            if before:
                gap = s[before[-1].end:a.start]
                if _BEFORE_LINK.search(gap) and not re.search(r"\bfor\s+(?:each\s+)?(?:outstanding\s+)?share", gap):
                    chosen = before[-1]
        if chosen is None:
            continue
        for m in _chain(s, mentions, chosen):
            if m.sid in result and result[m.sid].value != a.value:
                return None
            result.setdefault(m.sid, a)
    return result or None


# ---------------------------------------------------------------------------- context

class Context:
    """The document, its outline, its sentences, and fact emission with sources."""

    def __init__(self, path: str | Path, text: str | None = None):
        self.path = str(path)
        self.outline = load_outline(path, text)
        self.doc = self.outline.doc
        self.flat = self.doc.flat
        self.sents = sentences(self.flat)
        self.draft = Draft(self.path, outline=self.outline)
        self.series: list[str] = []
        # where a later certificate of correction or amendment starts: what it states supersedes
        first_liq = next((s.start for s in self.sents if re.search(r"\bliquidation\b", s.text, re.I)), len(self.flat))
        self.amending_from = next(
            (s.start for s in self.sents if s.start > first_liq and re.search(
                r"CERTIFICATE\s+OF\s+(?:CORRECTION|AMENDMENT)|(?:is|are)\s+(?:hereby\s+)?corrected\s+to\s+read|"
                r"(?:is|are)\s+(?:hereby\s+)?amended\s+(?:and\s+restated\s+)?to\s+read", s.text)),
            len(self.flat) + 1)

    def line(self, offset: int) -> int:
        return self.doc.line_of(offset)

    def label(self, offset: int) -> str:
        c = self.outline.clause_at_offset(offset)
        if c is None:
            c = self.outline.clause_at(self.line(offset))
        return c.path if c is not None else ""

    def quote(self, sent: Sentence, a: int, b: int, pad: int = 60) -> str:
        s = sent.text
        lo = max(0, a - pad)
        hi = min(len(s), b + pad)
        # widen to word boundaries
        while lo > 0 and s[lo - 1] not in " ":
            lo -= 1
        while hi < len(s) and s[hi] not in " ":
            hi += 1
        q = re.sub(r"\s+", " ", s[lo:hi]).strip()
        return ("..." if lo > 0 else "") + q + ("..." if hi < len(s) else "")

    def emit(self, key: str, value, sent: Sentence, a: int, b: int, *, review: bool = False, note: str = "",
             also: tuple[tuple[str, int], ...] = (), replace: bool = False) -> Fact:
        off = sent.start + a
        f = Fact(key, value, self.label(off), self.line(off), self.quote(sent, a, b), review, note, also)
        existing = self.draft.get(key)
        if existing is not None:
            if not replace and existing.value != value and off >= self.amending_from and \
                    self.doc.line_offset.get(existing.line, 0) < self.amending_from:
                replace = True
                f.note = (f.note + "; " if f.note else "") + f"as amended or corrected (line {f.line}); " \
                    f"the original text stated {fmt_value(existing.value)} at line {existing.line}"
            if replace:
                self.draft.facts[self.draft.facts.index(existing)] = f
                return f
            if existing.value != value and not existing.review:
                # two readings of one fact: neither is certain
                existing.review = True
                existing.note = (existing.note + "; " if existing.note else "") + \
                    f"the text also states {fmt_value(value)} at line {f.line} ({f.source})"
            return existing
        self.draft.facts.append(f)
        return f

    def find_sents(self, pattern: str, flags=re.I) -> list[Sentence]:
        rx = re.compile(pattern, flags)
        return [s for s in self.sents if rx.search(s.text)]


def fmt_value(v) -> str:
    if isinstance(v, Fraction):
        if v.denominator == 1:
            return str(v.numerator)
        # decimal if terminating
        d = v.denominator
        while d % 2 == 0:
            d //= 2
        while d % 5 == 0:
            d //= 5
        if d == 1:
            from decimal import Decimal, getcontext
            getcontext().prec = 50
            return format(Decimal(v.numerator) / Decimal(v.denominator), "f").rstrip("0").rstrip(".") or "0"
        return f"{v.numerator}/{v.denominator}"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)
