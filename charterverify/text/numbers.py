"""Numbers in charter prose: figures ("$1.7909", "9,100,000", "60%", "66 2/3%", "$35 million"),
words ("Nine Million One Hundred Thousand", "sixty-six and two thirds"), and dates."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from fractions import Fraction

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_SCALES = {"thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_FRACS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "fourth": 4, "fourths": 4, "quarter": 4,
          "quarters": 4, "fifth": 5, "fifths": 5, "tenth": 10, "tenths": 10}
NUMBER_WORDS = set(_UNITS) | set(_TENS) | set(_SCALES) | {"hundred"}

_WORD_RUN = re.compile(
    r"\b(?:(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")(?:[\s,-]+(?:and[\s-]+)?)?)+",
    re.IGNORECASE,
)


def words_to_int(text: str) -> int | None:
    """The value of a number written in words, or None.

    word2number (a maintained library) reads it; its result is checked against the scale-by-scale
    reading below, which is taken where the two differ: word2number 1.1 reads "nine million one hundred
    thousand" as 9,101,100 (it multiplies "hundred" into the millions), the charter means 9,100,000.
    """
    toks = [t for t in re.split(r"[\s,-]+", text.lower()) if t and t != "and"]
    if not toks or any(t not in NUMBER_WORDS for t in toks):
        return None
    own = _words_to_int(toks)
    try:
        from word2number import w2n

        lib = w2n.word_to_num(" ".join(toks))
    except (ImportError, ValueError, IndexError):
        return own
    return lib if own is None or lib == own else own


def _words_to_int(toks: list[str]) -> int | None:
    total, cur = 0, 0
    seen = False
    for t in toks:
        if t in _UNITS:
            cur += _UNITS[t]
        elif t in _TENS:
            cur += _TENS[t]
        elif t == "hundred":
            cur = (cur or 1) * 100
        else:
            total += (cur or 1) * _SCALES[t]
            cur = 0
        seen = True
    return total + cur if seen else None


@dataclass
class Mention:
    value: Fraction
    start: int
    end: int
    text: str
    kind: str  # money | number | percent | words | words-percent
    percent: bool = False


_FIG = re.compile(
    r"(?P<dollar>\$\s?)?(?P<num>(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.,])\d+(?:\.\d+)?|(?<![\w\d])\.\d+)"
    r"(?:\s?(?P<frac>\d+/\d+))?"
    r"(?P<scale>\s+(?:million|billion))?"
    r"(?P<pct>\s?%|\s+percent)?"
)


def find_figures(text: str) -> list[Mention]:
    out = []
    for m in _FIG.finditer(text):
        raw = m.group("num")
        try:
            v = Fraction(raw.replace(",", ""))
        except ValueError:
            continue
        if m.group("frac"):
            a, b = m.group("frac").split("/")
            if int(b):
                v += Fraction(int(a), int(b))
        if m.group("scale"):
            v *= 1_000_000 if "million" in m.group("scale") else 1_000_000_000
        pct = bool(m.group("pct"))
        kind = "money" if m.group("dollar") else ("percent" if pct else "number")
        out.append(Mention(v, m.start(), m.end(), m.group(0), kind, pct))
    # "2/3", "66-2/3%"
    for m in re.finditer(r"(?<![\w/])(?:(\d+)[\s-])?(\d+)/(\d+)(?P<pct>\s?%|\s+percent)?", text):
        if not int(m.group(3)):
            continue
        v = Fraction(int(m.group(2)), int(m.group(3))) + (int(m.group(1)) if m.group(1) else 0)
        out.append(Mention(v, m.start(), m.end(), m.group(0), "fraction", bool(m.group("pct"))))
    return out


# Case-insensitive scans of a long text, made fast: Python's re tries an IGNORECASE alternation of words at
# every position, a case-sensitive one on the lower-cased text is 3-4x faster. The two find the same spans
# when lower-casing keeps every offset (same length) and the text holds no character that IGNORECASE
# matches to an ASCII letter without being one (dotted/dotless i, long s, Kelvin sign).
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")
_lowered_cache: list = [None, None]


def lowered(text: str) -> str | None:
    """text.lower() if a lower-case pattern matched case-sensitively on it finds exactly the spans the same
    pattern finds with IGNORECASE on text; None otherwise."""
    if _lowered_cache[0] is text:
        return _lowered_cache[1]
    low = text.lower()
    if len(low) != len(text) or any(c in text for c in _FOLDS_TO_ASCII):
        low = None
    _lowered_cache[0], _lowered_cache[1] = text, low
    return low


def finditer_ci(rx: re.Pattern, rx_lower: re.Pattern, text: str):
    """rx.finditer(text) for an IGNORECASE pattern rx, through rx_lower (the same lower-case pattern without
    IGNORECASE) on the lower-cased text where that finds the same spans. Use the spans, not the group texts."""
    low = lowered(text)
    return rx_lower.finditer(low) if low is not None else rx.finditer(text)


def lower_twin(rx: re.Pattern) -> re.Pattern:
    """The case-sensitive twin of an IGNORECASE pattern written in lower case."""
    bare = rx.pattern.replace("(?P<", "(?<")  # named groups aside, no upper-case letter (\S, \W, [A-Z] ...)
    assert rx.flags & re.IGNORECASE and bare == bare.lower(), rx.pattern
    return re.compile(rx.pattern, rx.flags & ~re.IGNORECASE)


# matched at a position of the whole text (never on a slice of its tail: that copy made the scan quadratic)
_AND_FRACTION = re.compile(r"\s+and\s+(?:(a|one|two|three|four|five|six|seven|eight|nine)[\s-]+)?"
                           r"(half|halves|thirds?|fourths?|quarters?|fifths?|tenths?)\b", re.IGNORECASE)
_PERCENT_AFTER = re.compile(r"\s+percent\b", re.IGNORECASE)


_WORD_RUN_LOWER = lower_twin(_WORD_RUN)


def find_word_numbers(text: str) -> list[Mention]:
    out = []
    for m in finditer_ci(_WORD_RUN, _WORD_RUN_LOWER, text):
        raw = text[m.start():m.end()].rstrip(" ,-")
        # "and" joins only after hundred/thousand/million ("five hundred and eight"); "one and three-fourths"
        # is a whole number and a fraction
        cut = re.search(r"(?<!hundred)(?<!thousand)(?<!million)(?<!billion)[\s,-]+and\b", raw, re.IGNORECASE)
        if cut:
            raw = raw[:cut.start()]
        raw = re.sub(r"[\s,-]+and$", "", raw, flags=re.IGNORECASE)
        v = words_to_int(raw)
        if v is None:
            continue
        end = m.start() + len(raw)
        val = Fraction(v)
        # "sixty-six and two thirds", "one and three-fourths", "twenty three and seven tenths"
        fm = _AND_FRACTION.match(text, end)
        if fm:
            num = 1 if not fm.group(1) or fm.group(1).lower() in ("a", "one") else _UNITS[fm.group(1).lower()]
            val += Fraction(num, _FRACS[fm.group(2).lower()])
            end = fm.end()
        pm = _PERCENT_AFTER.match(text, end)
        pct = bool(pm)
        if pm:
            end = pm.end()
        out.append(Mention(val, m.start(), end, text[m.start():end], "words-percent" if pct else "words", pct))
    return out


_MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"])}


def find_dates(text: str) -> list[tuple[_dt.date, int]]:
    out = []
    mon = "|".join(_MONTHS)
    for m in re.finditer(rf"\b({mon})\s+(\d{{1,2}}),?\s+(\d{{4}})", text, re.IGNORECASE):
        try:
            out.append((_dt.date(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2))), m.start()))
        except ValueError:
            pass
    for m in re.finditer(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:day\s+of\s+)?({mon}),?\s+(\d{{4}})", text, re.IGNORECASE):
        try:
            out.append((_dt.date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1))), m.start()))
        except ValueError:
            pass
    for m in re.finditer(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", text):
        try:
            out.append((_dt.date(int(m.group(3)), int(m.group(1)), int(m.group(2))), m.start()))
        except ValueError:
            pass
    return out


def to_fraction(value) -> Fraction | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    try:
        return Fraction(str(value))
    except (ValueError, TypeError):
        return None
