"""Defined terms: definitions, uses, and the term rules.

Definitions recognised (curly or straight quotes, with or without spaces inside them):
  quoted term inside a parenthetical        ... $1.00 (the "Original Issue Price"), ("Term"), (each, a "Term")
  "X" shall mean / means / will mean / shall include / shall refer to / has (shall have) the meaning /
  shall be (a value)                        "As used herein, "X" shall include ..."
  designated (respectively) "X" and "Y"; referred to (herein / hereinafter / collectively) as (the) "X"
  per series                                The "Original Issue Price" of the Series C Preferred shall be ...;
                                            With respect to any holder of Series A ..., the "Specified Number" ...
  unquoted, by value                        The Original Issue Price of the Series A Preferred Stock shall be ...;
                                            the per share Conversion Value of Series B ... shall be $0.80;
                                            The Series A X and the Series B X shall mean $x and $y, respectively;
                                            The initial Conversion Price ... shall be ...
  any other quoted capitalised term is taken as defined where it is quoted ("Common Stock").

Families: a generic name is accepted when members with the series inside are defined ("Original Issue
Price" / "Original Series D Issue Price"); a series-qualified name when the generic name is defined; an
umbrella or shortened name of a defined family member. A family defined member by member ("Series B
Conversion Price", "Series C Conversion Price") does not cover an undefined member.

Uses: every occurrence of a defined term (plural and possessive forms included) that is not part of a
longer capitalised name and not in a heading (including headings inline after a clause label in flowed
text: "4.1.1 Conversion Ratio . Each share ..."); a capitalised term followed by "(as defined below)",
"(as hereinafter defined)", ...; capitalised multi-word names ending in a defined-term noun (Price, Date,
Amount, Rate, Ratio, Event, Period, Preference, Value, Percentage, Repurchase, Milestone).

Severity: a term flagged "(as defined below)" and defined nowhere (nor its family) is an `error`; an
unflagged name that matches no definition is a `warning`. A term the text says is defined elsewhere
("(as defined therein)", "(as defined in the Plan)", "as set forth in the Corporation's Certificate of
Designation of ...", "shall have the meanings ascribed ... in Rule 12b-2") is external (info).

Duplicate definitions are reported only when the meanings differ within one certificate of the filing
(an attached certificate of amendment or correction restates terms on purpose).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..findings import Finding, Severity
from .outline import Outline

_Q_OPEN = "\"\u201c"
_Q_CLOSE = "\"\u201d"
# the patterns below start with a character (not with a look-behind or \b, tested just after it): re then
# skips to the candidate characters fast; "X(?<!\wX)" is "(?<!\w)X", "[Tt](?<!\w[Tt])" is "\b[Tt]"
_QUOTED = re.compile(r"[\"\u201c](?<!\w[\"\u201c])[ ]?([A-Za-z][A-Za-z0-9\-'\u2019&/ ,.]{0,90}?)[ ]?[,.]?[ ]?[\"\u201d](?!\w)")
_SQUOTED = re.compile(r"'(?<!\w')([A-Z][A-Za-z0-9\- ]{1,60}?)'\s+(?=shall\s+mean|means)")
_MEAN_AFTER = re.compile(
    r"^\s*(?:(?:and|or)\s+[\"\u201c][^\"\u201d]{1,60}[\"\u201d]\s+)?(?:of\s+[^\";.]{1,60}?\s+)?"
    r"(?:shall\s+mean|means|will\s+mean|shall\s+refer\s+to|refers\s+to|shall\s+include|includes|"
    r"(?:shall\s+have|has)\s+the\s+(?:respective\s+)?meanings?|shall\s+be\s+deemed\s+to\s+mean|"
    r"(?:shall\s+(?:initially\s+)?be|is)(?!\s+(?:adjusted|entitled|reduced|increased|subject|paid|made|payable|"
    r"deemed|determined|converted|redeemed|calculated|computed|issued|in\s+effect)\b))\b"
)
_DESIGNATED_BEFORE = re.compile(
    r"(?:designated|referred\s+to\s+(?:herein\s+|hereinafter\s+)?(?:collectively\s+)?as|known\s+as)"
    r"\s*,?\s*(?:respectively\s*,\s*)?(?:the\s+|an?\s+)?$"
)
_AND_Q_BEFORE = re.compile(r"[\"\u201d]\s*(?:,\s*)?(?:and|or)\s+(?:the\s+)?$")
_FORWARD = re.compile(
    r"^\s*\((?:as\s+(?:such\s+term\s+is\s+)?(?:hereinafter|herein|hereafter)\s+defined|as\s+defined\s+(?:below|herein|above)"
    r"|as\s+defined\s+in\s+(?P<sec>[^)]{1,60})|as\s+(?P<there>defined\s+therein))\)"
)
_FORWARD_AT = re.compile(_FORWARD.pattern[1:])  # _FORWARD without "^", to match at a position of the whole text
assert _FORWARD.pattern.startswith("^")
_BREAK = re.compile(r"[.;]\s|\n")
_ELSEWHERE = re.compile(
    r"^[^.;]{0,60}?\bas\s+(?:set\s+forth|defined|provided)\s+in\s+(?:the\s+|its\s+|that\s+certain\s+)?"
    r"(?:Corporation's\s+|Company's\s+)?(?!this\b|Section\b|Article\b|subsection\b|paragraph\b)(?P<doc>[A-Z][^.;]{3,80})"
)
_MEANINGS_IN = re.compile(r"^\s*(?:and\s+[\"\u201c][^\"\u201d]+[\"\u201d]\s+)?(?:shall\s+have|has)\s+the\s+(?:respective\s+)?meanings?"
                          r"\s+(?:ascribed|given|assigned|set\s+forth)[^.;]{0,40}?\bin\s+(?!this\b|Section\b)")
_INITIAL = re.compile(r"[Tt](?<!\w[Tt])he\s+initial\s+((?:[A-Z][a-z]+\s+){0,3}[A-Z][a-z]+)\b")

_HEAD_NOUNS = ("Price", "Prices", "Date", "Dates", "Amount", "Amounts", "Rate", "Rates", "Ratio", "Ratios",
               "Event", "Events", "Period", "Periods", "Preference", "Value", "Percentage", "Repurchase",
               "Milestone")
_CAP_TOKEN = r"(?:[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?|[A-Z]-?\d{0,2}|[A-Z]\d)"
_CAP_RUN = re.compile(rf"(?<![\w\"\u201c/-])(?:{_CAP_TOKEN}\s+){{1,5}}(?:{'|'.join(_HEAD_NOUNS)})\b(?![\"\u201d])(?!\s+[A-Z][a-z])")
_LEADING_STOP = {"The", "This", "That", "Such", "Each", "Any", "All", "No", "A", "An", "Its", "Said", "Upon", "If",
                 "In", "On", "For", "To", "By", "With", "Whether", "Where", "When", "Every", "Neither", "Nor", "And",
                 "Or", "Provided", "Notwithstanding", "Subject", "After", "Before", "Except", "Other", "Thereafter",
                 "Until", "Following", "Prior", "Applicable", "Then", "Current", "Initial", "Such", "At", "As", "Of"}
_PRECEDE_OK = _LEADING_STOP | {"Series"}


def _norm(term: str) -> str:
    t = " ".join(term.split()).strip(" ,.;:")
    t = re.sub(r"\b([A-Z]{1,2})-\s(\d)", r"\1-\2", t)  # "Series A- 1" as extracted from HTML: "Series A-1"
    if t.isupper() and len(t) > 4 and " " not in t and not t.isalpha():
        return t
    if t.isupper() and len(t) > 5:  # "CORPORATION", "SERIES B CONVERTIBLE PREFERRED STOCK"
        t = " ".join(w if (len(w) <= 2 or not w.isalpha()) else w.capitalize() for w in t.split())
    return t


def _singular(t: str) -> str:
    if t.endswith("ies"):
        return t[:-3] + "y"
    if t.endswith("s") and not t.endswith("ss"):
        return t[:-1]
    return t


@dataclass
class Definition:
    term: str
    offset: int
    line: int
    kind: str  # paren | means | designated | quoted | series
    meaning: str = ""  # a few words of what the definition says, to tell a restatement from a conflict
    part: int = 0  # which certificate of a filing (an attached amendment or correction restates terms)


@dataclass
class TermReport:
    definitions: dict[str, list[Definition]] = field(default_factory=dict)
    uses: dict[str, list[int]] = field(default_factory=dict)  # term -> flat offsets
    external: dict[str, int] = field(default_factory=dict)  # term -> first offset
    forward_marked: set[int] = field(default_factory=set)  # offsets of uses marked "(as defined below)"
    undefined: dict[str, list[int]] = field(default_factory=dict)
    certain: set[str] = field(default_factory=set)  # marked "(as defined below)" and defined nowhere


def _near_after(sorted_offs: list[int], a: int, k: int) -> bool:
    """Is some d of sorted_offs within d <= a <= d + k?"""
    i = bisect.bisect_right(sorted_offs, a) - 1
    return i >= 0 and a - sorted_offs[i] <= k


def _near(sorted_offs: list[int], a: int, k: int) -> bool:
    """Is some d of sorted_offs within |a - d| <= k?"""
    i = bisect.bisect_left(sorted_offs, a - k)
    return i < len(sorted_offs) and sorted_offs[i] <= a + k


_PAREN = re.compile(r"[()]")


def _in_open_paren(flat: str, pos: int, limit: int = 400) -> bool:
    """Is pos inside a parenthesis opened at most limit - 1 characters before it, on the same line?"""
    lo = max(0, pos - limit + 1)
    nl = flat.rfind("\n", lo, pos)
    depth = 0
    for m in reversed(_PAREN.findall(flat, nl + 1 if nl >= 0 else lo, pos)):
        if m == ")":
            depth += 1
        elif depth == 0:
            return True
        else:
            depth -= 1
    return False


# an inline heading in flowed text: a clause label, then Title Case words, then a period
# ("4.1.1 Conversion Ratio . Each share ...", "(j) Notices of Record Date . Upon ...")
_LABEL = r"(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?|\((?:[a-z]{1,4}|[A-Z]{1,4}|\d{1,2})\)|[A-Z]\.)"
_HEADING = re.compile(
    rf"(?:^|(?<=\s)){_LABEL}\s+((?:[A-Z][a-z][\w'\u2019/-]*|of|and|or|the|to|for|in|on|upon|with|by|a|an)"
    rf"(?:\s+(?:[A-Z0-9][\w'\u2019/-]*;?|of|and|or|the|to|for|in|on|upon|with|by|a|an|Certain)){{0,8}})\s?[.:](?=\s|$)",
    re.MULTILINE,
)


def inline_headings(flat: str) -> list[tuple[int, int]]:
    """Flat spans of headings that follow a clause label inside flowed text."""
    out = []
    for m in _HEADING.finditer(flat):
        words = m.group(1).split()
        if words[0][0].isupper() and words[-1][0].isupper():
            out.append((m.start(1), m.end(1)))
    return out


# a term defined without quotes by the figure it is given: "The Original Issue Price of the Series A
# Preferred Stock shall be ...", "the per share Conversion Value of Series B Preferred Stock shall be $0.80",
# "The Series A Original Issue Price and the Series B Original Issue Price shall mean $x and $y, respectively"
_IMPLICIT_BE = re.compile(
    r"\b(?:[Tt]he|[Aa]n?|[Ee]ach)\s+(?:initial\s+|per\s+share\s+|applicable\s+)*"
    r"((?:[A-Z][\w-]*\s+){0,4}(?:Price|Value|Rate|Amount|Date|Preference|Ratio|Percentage|Number))"
    r"(?:\s+per\s+share)?(?:\s+(?:of|for|applicable\s+to)\s+(?:the\s+|each\s+share\s+of\s+(?:the\s+)?)?"
    r"(?:Series\s+[\w-]+(?:\s+(?:Convertible\s+)?Preferred(?:\s+Stock)?)?|[\w-]+\s+Preferred(?:\s+Stock)?))?"
    r"\s+(?:shall\s+(?:mean|have\s+the\s+meaning)|means|(?:shall\s+(?:initially\s+)?be|is|are|shall\s+equal)\s+(?:initially\s+)?"
    r"(?!\d{1,3}\.?\s+[a-z])"  # "shall be 16. paid": a page number inline, not a value
    r"(?:(?:equal\s+to|as\s+follows:?)\s+)?(?:\$|\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|"
    r"forty|fifty|sixty|seventy|eighty|ninety)\b|the\s+(?:lesser|greater|sum|quotient|product|amount|price|number)|"
    r"an?\s+(?:amount|price|number)))"
)
_UNQUOTED_MEANS = re.compile(
    r"(?:(?<=^)|(?<=[.;:]\s)|(?<=\band\s)|(?<=,\s))(?:[Tt]he\s+)?((?:[A-Z][\w-]*\s+){1,5}[A-Z][\w-]*)\s+"
    r"(?:shall\s+mean|means)\b",
    re.MULTILINE,
)
# every match of _UNQUOTED_MEANS holds "mean" and only word characters, spaces and hyphens: it lies inside
# one run of those around a "mean"; scanning only those runs finds the same matches (lookbehinds and \b see
# the text around a run; the character after a run is not a word character)
_MEAN_WORD = re.compile(r"mean")
_NOT_NAME_CHAR = re.compile(r"[^\w\s-]")


def _finditer_in_runs(rx: re.Pattern, flat: str, needle: re.Pattern, stop: re.Pattern):
    """rx.finditer(flat) for a pattern whose every match contains needle and no character of stop: the
    scan visits only the runs free of stop characters that hold the needle. Linear in the text."""
    done = 0  # the end of the last run scanned
    for n in needle.finditer(flat):
        if n.start() < done:
            continue
        a = n.start()
        while a > done and not stop.match(flat, a - 1):
            a -= 1
        e = stop.search(flat, n.end())
        b = e.start() if e else len(flat)
        yield from rx.finditer(flat, a, b)
        done = b


_CAP_NAME = r"(?:[Tt]he\s+)?(?:[A-Z][\w-]*\s+){1,5}[A-Z][\w-]*"
_RESPECTIVELY = re.compile(
    rf"((?:{_CAP_NAME}(?:,\s*(?:and\s+)?|\s+and\s+))+{_CAP_NAME})\s+(?:shall\s+(?:mean|be)|means|are|is)\b"
    r"(?:[^.;]|\.\d){0,120}\brespectively\b")
_WORD_BEFORE = re.compile(r"([A-Za-z][\w-]*)[ ]$")
_OF_NAME_AFTER = re.compile(r"\s+of\s+(?!the\b|this\b|such\b|any\b|each\b|all\b)[A-Z]")
_PAGE_TAIL = re.compile(r"\s*(?:-\s?\d{1,3}\s?-|\b\d{1,3})(?:\s+\d{1,3})?\s*$")


# the title of a certificate attached to the filing (an amendment, a correction, a merger):
# it restates names such as "Corporation" on purpose
_PART_HEAD = re.compile(r"E(?<!\wE)XHIBIT\s+[A-Z]\b|C(?<!\wC)ERTIFICATE\s+OF\s+(?:AMENDMENT|CORRECTION|OWNERSHIP|MERGER|DESIGNATIONS?|RETIREMENT|"
                        r"ELIMINATION|INCORPORATION)\b|A(?<!\wA)RTICLES\s+OF\s+(?:AMENDMENT|INCORPORATION)\b")
_SERIES_NAME = r"(?:the\s+|each\s+share\s+of\s+(?:the\s+)?|each\s+)?Series\s+[A-Z]"
_PER_SERIES_AFTER = re.compile(rf"^\s*(?:of|for|with\s+respect\s+to|applicable\s+to)\s+{_SERIES_NAME}")
_PER_SERIES_BEFORE = re.compile(r"(?i:with\s+respect\s+to|for|in\s+the\s+case\s+of)\s+(?:any\s+holder\s+of\s+)?"
                                rf"(?:(?:the\s+)?shares\s+of\s+)?{_SERIES_NAME}[^.;()\"\u201c\u201d]{{0,160}}?,\s*(?:the\s+)?$")


def _meaning_words(text: str, n: int) -> str:
    """n words from the start of text (n > 0) or its end (n < 0), lower case, page numbers dropped."""
    words = [w.lower() for w in re.findall(r"[A-Za-z][\w'\u2019-]*|\$\d[\d,.]*|\d[\d,.]*\d", text)
             if w.lower() not in ("the", "a", "an")]
    return " ".join(words[:n] if n > 0 else words[n:])


def collect(outline: Outline) -> TermReport:
    doc = outline.doc
    flat = doc.flat
    rep = TermReport()
    heading_spans = sorted([c.heading_span for c in outline.clauses if c.heading_span] + inline_headings(flat))
    heading_starts = [a for a, _ in heading_spans]
    heading_ends = [0] * len(heading_spans)  # running maximum of the ends, for overlapping spans
    for k, (_a, b) in enumerate(heading_spans):
        heading_ends[k] = max(b, heading_ends[k - 1] if k else 0)

    def in_heading(off: int) -> bool:
        k = bisect.bisect_right(heading_starts, off) - 1
        return k >= 0 and off < heading_ends[k]

    part_starts = [m.start() for m in _PART_HEAD.finditer(flat)]

    def add_def(term: str, off: int, kind: str, end: int | None = None) -> None:
        t = _norm(term)
        if len(t) < 2 or not re.search(r"[A-Za-z]{2}", t):
            return
        meaning = ""
        if end is not None:
            after = flat[end:end + 200]
            if _PER_SERIES_AFTER.match(after) or _PER_SERIES_BEFORE.search(flat[max(0, off - 140):off]):
                kind = "series"
            elif kind == "means":
                mm = _MEAN_AFTER.match(after)
                rest = after[mm.end() if mm else 0:]
                meaning = _meaning_words(re.split(r"[.;]\s", rest, maxsplit=1)[0], 10)
            elif kind == "paren":
                k = flat.rfind("(", max(0, off - 60), off)
                meaning = _meaning_words(flat[max(0, k - 160):k], -9) if k >= 0 else ""
        part = bisect.bisect_right(part_starts, off)
        rep.definitions.setdefault(t, []).append(Definition(t, off, doc.line_of(off), kind, meaning, part))

    quoted_uses: list[tuple[str, int, int]] = []
    quoted_spans: list[tuple[int, int]] = []  # every match of _QUOTED, for the head-noun names below
    for m in _QUOTED.finditer(flat):
        quoted_spans.append(m.span())
        raw = m.group(1)
        if len(raw.split()) > 9 or not raw[0].isalpha():
            continue
        s = m.start()
        before = flat[max(0, s - 80):s]
        after = flat[m.end():m.end() + 120]
        if _MEAN_AFTER.match(after):
            add_def(raw, s, "means", m.end())
            if _MEANINGS_IN.match(after):
                rep.external.setdefault(_norm(raw), s)
        elif _DESIGNATED_BEFORE.search(before) or (_AND_Q_BEFORE.search(before) and _DESIGNATED_BEFORE.search(
                before[:_AND_Q_BEFORE.search(before).start()].rsplit("\"", 1)[0].rsplit("\u201c", 1)[0])):
            add_def(raw, s, "designated", m.end())
        elif re.search(r"\bdefinitions?\s+of\s+(?:the\s+(?:term\s+)?)?$|\bterm\s+$", before):
            continue  # "any change to the definition of "Requisite Preferred"": a mention
        elif _in_open_paren(flat, s):
            inner = flat[max(0, s - 200):s]
            if re.search(r"\bas\s+(?:defined|set\s+forth)\b[^()]*$", inner):
                quoted_uses.append((raw, s, m.end()))
            else:
                add_def(raw, s, "paren", m.end())
        elif re.search(r"(?:and|or)\s*$", before) and re.search(r"\(\s*(?:the\s+)?[\"\u201c]", flat[max(0, s - 160):s]) \
                and _in_open_paren(flat, s, 160):
            add_def(raw, s, "paren", m.end())
        else:
            if raw[0].isupper():
                quoted_uses.append((raw, s, m.end()))
    for m in _SQUOTED.finditer(flat):
        add_def(m.group(1), m.start(), "means")
    implicit: set[str] = set()
    for m in _INITIAL.finditer(flat):
        implicit.add(m.group(1))
    for m in _IMPLICIT_BE.finditer(flat):
        implicit.add(" ".join(m.group(1).split()))
    for m in (_RESPECTIVELY.finditer(flat) if "respectively" in flat else ()):  # the word is in every match
        # "The Series A Original Issue Price and the Series B Original Issue Price shall mean $x and $y,
        # respectively": every name of the list is defined
        for part in re.split(r",\s*(?:and\s+)?|\s+and\s+", m.group(1)):
            words = part.split()
            while words and words[0] in _LEADING_STOP | {"the"}:
                words = words[1:]
            if len(words) >= 2:
                implicit.add(" ".join(words))
    for m in _finditer_in_runs(_UNQUOTED_MEANS, flat, _MEAN_WORD, _NOT_NAME_CHAR):
        words = m.group(1).split()
        while words and words[0] in _LEADING_STOP:
            words = words[1:]
        if len(words) >= 2:
            implicit.add(" ".join(words))

    defined = set(rep.definitions)
    # external: quoted terms said to be set forth elsewhere
    for raw, s, e in quoted_uses:
        t = _norm(raw)
        tail = flat[e:e + 200]
        if t not in defined and _ELSEWHERE.match(tail):
            rep.external.setdefault(t, s)
    # any other quoted capitalised term is taken as defined where it is quoted
    # (two classes of stock, "Common Stock" and "Preferred Stock")
    for raw, s, _e in quoted_uses:
        t = _norm(raw)
        if t not in rep.external and t not in defined:
            add_def(raw, s, "quoted")
    defined = set(rep.definitions)
    # forward markers "(as defined below)" etc.
    marker_terms: list[tuple[str, int, bool]] = []
    for m in re.finditer(r"\((?:as\s|such\s+term)", flat):
        fm = _FORWARD_AT.match(flat, m.start())
        if not fm:
            continue
        head = flat[max(0, m.start() - 120):m.start()].rstrip()
        pm = _PAGE_TAIL.search(head)
        if pm and re.search(r"[A-Za-z]$", head[:pm.start()]):
            head = head[:pm.start()]  # "Exercise Price -14- 15 (as defined in the Plan)": a page break inline
        run = re.search(r"((?:[A-Z][\w'\u2019-]*\s+(?:of\s+)?)*[A-Z][\w'\u2019-]*)$", head)
        if not run:
            continue
        words = run.group(1).split()
        while words and words[0] in _LEADING_STOP:
            words = words[1:]
        if not words:
            continue
        term = " ".join(words)
        off = m.start() - (len(head) - run.start()) + (len(run.group(1)) - len(term))
        sec = fm.group("sec") or ""
        there = bool(fm.group("there")) or bool(
            sec and not re.match(r"(?:Section|Article|[Ss]ubsection|[Pp]aragraph|[Cc]lause|this|Exhibit\s+[A-Z]\b)", sec))
        marker_terms.append((term, off, there))
        rep.forward_marked.add(off)

    all_terms = set(defined) | set(rep.external)
    # uses of defined terms
    for t in sorted(all_terms, key=len, reverse=True):
        # the term, its plural and possessive ("Holders", "Holder's", "Entities", "Option" for "Options");
        # a pattern that starts with a literal is searched fast
        if t.endswith("y"):
            rx = re.compile(re.escape(t[:-1]) + r"(?:y|ies|y's|y\u2019s)(?![\w-])")
        elif t.endswith("s"):
            rx = re.compile(re.escape(t[:-1]) + r"(?:s|s'|s\u2019|)(?![\w-])")
        else:
            rx = re.compile(re.escape(t) + r"(?:s|'s|\u2019s)?(?![\w-])")
        offs = []
        def_offs = sorted(d.offset for d in rep.definitions.get(t, []))
        for m in rx.finditer(flat):
            a = m.start()
            if a and (flat[a - 1].isalnum() or flat[a - 1] in "_-"):
                continue
            # part of a longer capitalised name?
            prev = _WORD_BEFORE.search(flat[max(0, a - 30):a])
            if prev and prev.group(1)[0].isupper() and prev.group(1) not in _PRECEDE_OK and " " not in t[:0]:
                if not _near_after(def_offs, a, 2):
                    continue
            if _OF_NAME_AFTER.match(flat[m.end():m.end() + 20]) \
                    and not t.endswith(("Stock", "Common")):
                continue
            if in_heading(a):
                continue
            offs.append(a)
        rep.uses[t] = offs

    families = set(all_terms) | implicit
    for d in list(families):
        stripped = re.sub(r"\bSeries\s+[A-Z][\w-]*\s+", "", d)
        if stripped != d and len(stripped.split()) >= 2:
            families.add(stripped)

    explicit = set(rep.definitions)

    known_memo: dict[tuple[str, bool], bool] = {}

    def is_known(term: str, strict: bool = False) -> bool:
        # the sets it reads are fixed from here on: one answer per (term, strict)
        key = (term, strict)
        if key not in known_memo:
            known_memo[key] = _is_known(term, strict)
        return known_memo[key]

    def _is_known(term: str, strict: bool = False) -> bool:
        sm = re.match(r"Series\s+([A-Z][\w-]*)\s+(.+)$", term)
        if sm and term not in explicit and _singular(term) not in explicit and term not in implicit:
            # a family defined member by member ("Series B Conversion Price", "Series C Conversion Price"):
            # a member without its own definition is undefined, whatever the generic name says
            rest = sm.group(2)
            if any(re.fullmatch(rf"Series\s+(?!{re.escape(sm.group(1))}\b)[A-Z][\w-]*\s+{re.escape(rest)}", d)
                   for d in explicit):
                return False
        if not strict and (term in families or _singular(term) in families):
            return True
        cands = {term, _singular(term), term + "s"}
        for c in cands:
            if c in all_terms or c in implicit:
                return True
        # a family: "Conversion Price" when "Series A Conversion Price" is defined
        for d in all_terms:
            if d.endswith(" " + term) or d.endswith(" " + _singular(term)):
                return True
        # a family named with the series inside: "Original Issue Price" when "Original Series D Issue Price"
        # is defined; the umbrella of a family or a shortened name: "the applicable Series A Redemption Date"
        # when "Series A First Redemption Date" ... are defined, "Series D-2 Conversion Price" for
        # "Series D-2 Preferred Conversion Price"
        words = _singular(term).split()
        if len(words) >= 2 and not strict:
            for d in families:
                dw = d.split()
                if len(dw) > len(words) and len(dw) - len(words) <= 2 and dw[0] == words[0] \
                        and _singular(dw[-1]) == _singular(words[-1]):
                    it = iter(dw)
                    if all(w in it for w in words):
                        return True
        # the term with a qualifier in front: "Series E Conversion Price" when "Conversion Price" is defined
        words = term.split()
        for k in range(1, len(words)):
            sub = " ".join(words[k:])
            if sub in all_terms or _singular(sub) in all_terms or sub in implicit:
                return True
        return False

    # undefined: terms marked as defined that are not; quoted terms never defined; head-noun names
    for term, off, there in marker_terms:
        if there:
            if not is_known(term):
                rep.external.setdefault(term, off)
            continue
        if not is_known(term, strict=True):
            rep.undefined.setdefault(term, []).append(off)
            if len(term.split()) >= 2 and not is_known(term):
                rep.certain.add(term)
    quoted_starts = [a for a, _ in quoted_spans]
    for m in _CAP_RUN.finditer(flat):
        k = bisect.bisect_right(quoted_starts, m.start()) - 1
        if k >= 0 and m.start() < quoted_spans[k][1]:
            continue
        words = m.group(0).split()
        start = m.start()
        while words and words[0] in _LEADING_STOP:
            start = flat.index(words[1], start + len(words[0])) if len(words) > 1 else start
            words = words[1:]
        if len(words) < 2:
            continue
        term = " ".join(words)
        if in_heading(start):
            continue
        if flat[max(0, start - 1):start] in _Q_OPEN:
            continue
        if is_known(term) or term in rep.external:
            continue
        # a named document or statute ("Note and Warrant Purchase Agreement dated ...") is not a term
        rep.undefined.setdefault(term, []).append(start)
    # report an external term where it is first used
    first_quoted: dict[str, int] = {}
    for raw, s, _e in quoted_uses:
        first_quoted.setdefault(_norm(raw), s)  # quoted_uses are in text order
    for t in list(rep.external):
        firsts = ([first_quoted[t]] if t in first_quoted else []) + rep.uses.get(t, [])
        if firsts:
            rep.external[t] = min(firsts + [rep.external[t]])
    return rep


def _conflicting(defs: list[Definition]) -> tuple[Definition, Definition] | None:
    """The first pair of definitions of one term that say different things, or None.

    Not a conflict: a class designated and then defined ("designated "Common Stock" ... shares of Common Stock
    (the "Common Stock")"), a per-series family ("The "Original Issue Price" of the Series C Preferred shall be
    ..." once per series), a term quoted again where it is used ("shall not constitute a "Deemed Liquidation
    Event""), a certificate of amendment or correction restating the charter's names, the same words twice.
    """
    strong = [d for d in defs if d.kind in ("paren", "means", "designated")]
    # a per-series family and a plain definition of the same name outside any series
    family = [d for d in defs if d.kind == "series"]
    for d in strong:
        if family and d.kind == "paren" and d.meaning and "series" not in d.meaning:
            f = family[0]
            if f.part == d.part:
                return (f, d) if f.offset < d.offset else (d, f)
    own = _meaning_words(defs[0].term, 9)
    for i, a in enumerate(strong):
        for b in strong[i + 1:]:
            if a.part != b.part or a.line == b.line:
                continue
            if "designated" in (a.kind, b.kind):
                other = b if a.kind == "designated" else a
                # a class designated, then named again where its shares are counted: a restatement
                if other.kind == "designated" or (other.kind == "paren" and own in other.meaning):
                    continue
                if other.kind == "means" and other.meaning == own:
                    continue
                return a, b
            # "the Board of Directors of the Company (the "Board")" and "the Board of Directors (the "Board")"
            if a.kind == b.kind == "paren" and own in a.meaning and own in b.meaning:
                continue
            if a.meaning and b.meaning and (a.meaning == b.meaning or a.meaning.endswith(b.meaning)
                                            or b.meaning.endswith(a.meaning)):
                continue
            return a, b
    return None


def check_terms(outline: Outline, path: str) -> list[Finding]:
    rep = collect(outline)
    doc = outline.doc
    flat = doc.flat
    out: list[Finding] = []

    def clause_of(off: int) -> str | None:
        c = outline.clause_at_offset(off)
        return c.path if c is not None and c.style != "root" else None

    for term, offs in sorted(rep.undefined.items(), key=lambda kv: kv[1][0]):
        first = min(offs)
        n = len(offs)
        certain = term in rep.certain
        out.append(Finding(
            rule="text.undefined-term", severity=Severity.ERROR if certain else Severity.WARNING,
            message=f"\"{term}\" is used as a defined term"
                    + (" (\"" + " ".join(flat[first:first + len(term) + 30].split()) + "...\")" if certain else "")
                    + " but never defined" + (f" ({n} uses)." if n > 1 else "."),
            clause=clause_of(first), file=path, line=doc.line_of(first),
            witness={"term": term, "uses": n, "lines": sorted({doc.line_of(o) for o in offs})},
        ))
    for term, off in sorted(rep.external.items(), key=lambda kv: kv[1]):
        out.append(Finding(
            rule="text.external-term", severity=Severity.INFO,
            message=f"\"{term}\" is defined in another document, not in this text; its meaning cannot be checked here.",
            clause=clause_of(off), file=path, line=doc.line_of(off), witness={"term": term},
        ))
    for term, defs in sorted(rep.definitions.items(), key=lambda kv: kv[1][0].offset):
        if not term[0].isupper():
            continue
        lines = sorted({d.line for d in defs})
        conflict = _conflicting(defs)
        if conflict is not None:
            lines = sorted({conflict[0].line, conflict[1].line})
            out.append(Finding(
                rule="text.duplicate-definition", severity=Severity.WARNING,
                message=f"\"{term}\" is defined twice with different meanings (lines {', '.join(map(str, lines))})"
                        + (f": \"{conflict[0].meaning}\" and \"{conflict[1].meaning}\"."
                           if conflict[0].meaning and conflict[1].meaning else "."),
                clause=clause_of(conflict[1].offset), file=path, line=conflict[1].line,
                witness={"term": term, "lines": lines},
            ))
        def_offs = [d.offset for d in defs]
        sorted_defs = sorted(def_offs)
        uses = [u for u in rep.uses.get(term, []) if not _near(sorted_defs, u, 2)]
        if term in rep.external:
            continue
        if not uses:
            out.append(Finding(
                rule="text.unused-definition", severity=Severity.INFO,
                message=f"\"{term}\" is defined but never used.",
                clause=clause_of(defs[0].offset), file=path, line=defs[0].line, witness={"term": term},
            ))
            continue
        first_def = min(def_offs)
        early = [u for u in uses if u < first_def and _BREAK.search(flat, u, first_def)]
        if any(_FORWARD.match(flat[u + len(term):u + len(term) + 80].lstrip("s'\u2019")) for u in early):
            early = []  # the drafter flagged the forward use "(as defined below)"
        if early:
            u = early[0]
            # forward uses inside a definitions list ("excluding Options" in (d), Options defined in (g))
            cu, cd = outline.clause_at_offset(u), outline.clause_at_offset(first_def)
            if cu is not None and cd is not None and cu.parent is cd.parent and cu.parent is not None:
                defs_in_parent = sum(1 for dl in rep.definitions.values() for d in dl
                                     if cu.parent.flat_start <= d.offset < cu.parent.flat_end)
                use_is_def = any(cu.flat_start <= d.offset < cu.flat_end for dl in rep.definitions.values() for d in dl)
                if defs_in_parent >= 3 and use_is_def:
                    continue
            out.append(Finding(
                rule="text.use-before-definition", severity=Severity.INFO,
                message=f"\"{term}\" is used (line {doc.line_of(u)}) before it is defined (line {doc.line_of(first_def)}).",
                clause=clause_of(u), file=path, line=doc.line_of(u),
                witness={"term": term, "defined_line": doc.line_of(first_def)},
            ))
    return out
