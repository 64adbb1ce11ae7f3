"""TOML charter model -> validated, typed, frozen model.

Every error is a `ModelError` whose text is one line naming the file, the key and,
where known, the line. Money is `Fraction`; share counts are `int`.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterator

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
CHARTER_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
COMMON = "common"
CARVE_OUT = "carve_out"

PARTICIPATION_KINDS = ("none", "full", "capped")
SHORTFALL_BASES = ("preference", "original_issue_price", "shares")
CAP_DROPOUT_READINGS = ("own_cap", "first_cap_ends")
CASH_RANK_READINGS = ("before_preferences", "after_preferences")
ANTI_DILUTION_KINDS = ("broad_based_weighted_average",)
ANTI_DILUTION_COUNTS = ("common", "preferred", "options", "convertible_securities")
ANTI_DILUTION_ROUNDING = ("none", "nearest_cent")
MAX_SHARES = 10**18
MAX_SERIES = 50  # the conversion game grows with every series; no charter has more
MAX_OPTION_POOLS = 20


class ModelError(Exception):
    """An invalid model: the message is one line for the user."""


# ---------------------------------------------------------------- model types


@dataclass(frozen=True)
class Preference:
    per_share: Fraction
    source: str


@dataclass(frozen=True)
class Participation:
    kind: str  # none | full | capped
    cap: Fraction | None
    source: str | None


@dataclass(frozen=True)
class Conversion:
    price: Fraction
    source: str
    cash_per_share: Fraction = Fraction(0)
    cash_source: str | None = None


@dataclass(frozen=True)
class Series:
    id: str
    name: str
    designated: int
    original_issue_price: Fraction
    source: str
    preference: Preference | None
    participation: Participation
    conversion: Conversion | None
    external: bool = False
    note: str | None = None
    price_source: str | None = None  # clause stating the original issue price, when not `source`

    @property
    def ratio(self) -> Fraction:
        """Common shares per preferred share on conversion (OIP / conversion price)."""
        if self.conversion is None:
            return Fraction(0)
        return self.original_issue_price / self.conversion.price

    @property
    def preference_per_share(self) -> Fraction:
        return self.preference.per_share if self.preference else Fraction(0)

    @property
    def participates(self) -> bool:
        return self.participation.kind != "none"


@dataclass(frozen=True)
class Tier:
    id: str
    series: tuple[str, ...]
    shortfall: str
    source: str


@dataclass(frozen=True)
class ClassVote:
    id: str
    series: tuple[str, ...]
    threshold: Fraction
    strict: bool
    source: str


@dataclass(frozen=True)
class OptionPool:
    id: str
    count: int
    exercise_price: Fraction
    buys: str  # "common" or a series id
    source: str = "assumption"


@dataclass(frozen=True)
class AutomaticConversion:
    id: str
    series: tuple[str, ...]
    min_price_per_share: Fraction | None
    min_aggregate: Fraction | None
    min_valuation: Fraction | None
    vote_series: tuple[str, ...]
    vote_threshold: Fraction | None
    vote_strict: bool
    source: str
    min_price_multiple: Fraction | None = None  # offering price >= multiple x the series' conversion price


@dataclass(frozen=True)
class RatchetStep:
    percent: Fraction
    filed_by: _dt.date | None
    filed_within_days: int | None = None  # counted from the series' original issue date
    filed_within_months: int | None = None


@dataclass(frozen=True)
class IpoRatchet:
    series: str
    kind: str  # price_floor | discount_by_filing_date
    floor_price: Fraction | None
    steps: tuple[RatchetStep, ...]
    source: str


@dataclass(frozen=True)
class Exclusion:
    """An issuance the anti-dilution clause carves out of "Additional Stock" (employee pool, vendors...).

    cap_shares / cap_fraction: the carve-out covers at most this many shares in the aggregate (a
    fraction: of the fully diluted common then outstanding); beyond it the shares are Additional Stock.
    `used` is state, not TOML: the shares already issued under the carve-out (apply_issuance updates it).
    """

    id: str
    source: str
    description: str | None = None
    cap_shares: int | None = None
    cap_fraction: Fraction | None = None
    used: int = 0


@dataclass(frozen=True)
class AntiDilution:
    """The conversion price adjustment for dilutive issuances of some series (one clause).

    CP2 = CP1 x (A + B) / (A + C): A the shares counted as outstanding (`counts`), B the shares the
    consideration would buy at CP1, C the Additional Stock issued. `rounding` of the new price,
    `minimum_adjustment` below which no adjustment is made (carried forward when `carry_forward`),
    `no_increase`: the clause says expressly that no adjustment raises the conversion price.
    `carried` is state, not TOML: the reduction carried forward per series (apply_issuance updates it).
    """

    id: str
    series: tuple[str, ...]
    source: str
    kind: str = "broad_based_weighted_average"
    counts: tuple[str, ...] = ANTI_DILUTION_COUNTS
    rounding: str = "none"
    minimum_adjustment: Fraction = Fraction(0)
    carry_forward: bool = False
    no_increase: bool = False
    exclusions: tuple[Exclusion, ...] = ()
    splits_source: str | None = None
    note: str | None = None
    carried: tuple[tuple[str, Fraction], ...] = ()

    def carried_for(self, sid: str) -> Fraction:
        return dict(self.carried).get(sid, Fraction(0))

    def exclusion(self, eid: str) -> Exclusion:
        for e in self.exclusions:
            if e.id == eid:
                return e
        raise KeyError(eid)


@dataclass(frozen=True)
class CapTable:
    common_outstanding: int
    outstanding: dict[str, int]
    dividends: dict[str, Fraction]
    options: tuple[OptionPool, ...]
    assumption: bool
    note: str | None


@dataclass(frozen=True)
class Scenario:
    transaction_costs: Fraction = Fraction(0)
    carve_out: Fraction = Fraction(0)
    carve_out_percent: Fraction = Fraction(0)

    @property
    def has_carve_out(self) -> bool:
        return bool(self.carve_out or self.carve_out_percent)


@dataclass(frozen=True)
class Readings:
    cap_dropout: str = "own_cap"
    cash_on_conversion: str = "before_preferences"
    note: str | None = None


@dataclass(frozen=True)
class ConversionUnit:
    """A deciding unit of the conversion game: a series, a class-vote group, or an option pool."""

    id: str
    kind: str  # series | class_vote | option
    members: tuple[str, ...]  # series ids that convert together (empty for an option pool)
    controller: str | None = None  # class vote: the series that alone carries the vote
    source: str | None = None


@dataclass(frozen=True)
class ModelNumber:
    """A number stated in the model, for traceability against the charter text."""

    key: str
    value: Any
    source: str
    file: str
    line: int | None


@dataclass(frozen=True)
class Charter:
    id: str
    name: str
    path: str
    text_path: Path | None
    document: str | None
    common_authorized: int | None
    common_source: str | None
    preferred_authorized: int | None
    preferred_source: str | None
    series: tuple[Series, ...]
    tiers: tuple[Tier, ...]  # most senior first
    class_votes: tuple[ClassVote, ...]
    captable: CapTable
    scenario: Scenario
    readings: Readings
    automatic_conversions: tuple[AutomaticConversion, ...] = ()
    ipo_ratchets: tuple[IpoRatchet, ...] = ()
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    anti_dilution: tuple[AntiDilution, ...] = ()

    def anti_dilution_of(self, sid: str) -> AntiDilution | None:
        """The anti-dilution clause that adjusts the conversion price of series `sid`, if any."""
        for a in self.anti_dilution:
            if sid in a.series:
                return a
        return None

    # -- lookups
    def get_series(self, sid: str) -> Series:
        for s in self.series:
            if s.id == sid:
                return s
        raise KeyError(sid)

    def outstanding(self, sid: str) -> int:
        return self.captable.outstanding[sid]

    def dividends(self, sid: str) -> Fraction:
        return self.captable.dividends.get(sid, Fraction(0))

    def tier_of(self, sid: str) -> Tier | None:
        for t in self.tiers:
            if sid in t.series:
                return t
        return None

    def class_vote_of(self, sid: str) -> ClassVote | None:
        for v in self.class_votes:
            if sid in v.series:
                return v
        return None

    def line_of(self, key: str) -> int | None:
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key.rsplit(".", 1)[0] if "." in key else ""
        return None

    @property
    def holders(self) -> tuple[str, ...]:
        """Every payout key, in report order: series, common, option pools, carve-out."""
        out = [s.id for s in self.series] + [COMMON] + [p.id for p in self.captable.options]
        if self.scenario.has_carve_out:
            out.append(CARVE_OUT)
        return tuple(out)

    def units(self) -> tuple[ConversionUnit, ...]:
        """Deciding units of the conversion game, in model order."""
        units: list[ConversionUnit] = []
        seen_votes: set[str] = set()
        for s in self.series:
            if s.conversion is None:
                continue
            vote = self.class_vote_of(s.id)
            if vote is None:
                units.append(ConversionUnit(s.id, "series", (s.id,), s.id, s.conversion.source))
            elif vote.id not in seen_votes:
                seen_votes.add(vote.id)
                members = tuple(m for m in vote.series if self.get_series(m).conversion is not None)
                units.append(ConversionUnit(vote.id, "class_vote", members, self.vote_controller(vote), vote.source))
        for p in self.captable.options:
            units.append(ConversionUnit(p.id, "option", (), None, p.source))
        return tuple(units)

    def vote_controller(self, vote: ClassVote) -> str | None:
        """The series whose outstanding shares alone carry the class vote, if exactly one does.

        With a non-strict threshold of one half two equal holders can each carry it alone;
        then no single series decides and the group's total payout does.
        """
        total = sum(self.outstanding(m) for m in vote.series)
        carrying = []
        for m in vote.series:
            share = Fraction(self.outstanding(m), total) if total else Fraction(0)
            if share > vote.threshold or (not vote.strict and share == vote.threshold):
                carrying.append(m)
        return carrying[0] if len(carrying) == 1 else None

    def numbers(self) -> Iterator[ModelNumber]:
        """Every number the model states, with the clause it claims to encode."""
        f = self.path

        index = {s.id: i for i, s in enumerate(self.series)}
        index.update({a.id: i for i, a in enumerate(self.automatic_conversions)})
        rindex = {r.series: i for i, r in enumerate(self.ipo_ratchets)}

        def num(key: str, value: Any, source: str | None) -> ModelNumber:
            m = re.match(r"^(series|automatic_conversion|ipo_ratchets)\[([^\]]+)\](.*)$", key)
            lk = key
            if m:
                i = rindex.get(m.group(2)) if m.group(1) == "ipo_ratchets" else index.get(m.group(2))
                rest = m.group(3).replace(".vote_threshold", ".vote.threshold")
                lk = f"{m.group(1)}[{i}]{rest}"
            return ModelNumber(key, value, source or "assumption", f, self.line_of(lk))

        if self.common_authorized is not None:
            yield num("common.authorized", self.common_authorized, self.common_source)
        if self.preferred_authorized is not None:
            yield num("preferred.authorized", self.preferred_authorized, self.preferred_source)
        for s in self.series:
            k = f"series[{s.id}]"
            src = "assumption" if s.external else s.source
            yield num(f"{k}.designated", s.designated, src)
            yield num(f"{k}.original_issue_price", s.original_issue_price, s.price_source or src)
            if s.preference:
                yield num(f"{k}.preference.per_share", s.preference.per_share, s.preference.source)
            if s.participation.cap is not None:
                yield num(f"{k}.participation.cap", s.participation.cap, s.participation.source)
            if s.conversion:
                yield num(f"{k}.conversion.price", s.conversion.price, s.conversion.source)
                if s.conversion.cash_per_share:
                    yield num(
                        f"{k}.conversion.cash_per_share",
                        s.conversion.cash_per_share,
                        s.conversion.cash_source or s.conversion.source,
                    )
        for a in self.automatic_conversions:
            k = f"automatic_conversion[{a.id}]"
            for name in ("min_price_per_share", "min_price_multiple", "min_aggregate", "min_valuation", "vote_threshold"):
                v = getattr(a, name)
                if v is not None:
                    yield num(f"{k}.{name}", v, a.source)
        for r in self.ipo_ratchets:
            k = f"ipo_ratchets[{r.series}]"
            if r.floor_price is not None:
                yield num(f"{k}.floor_price", r.floor_price, r.source)
            for i, st in enumerate(r.steps):
                yield num(f"{k}.steps[{i}].percent", st.percent, r.source)
                if st.filed_by is not None:
                    yield num(f"{k}.steps[{i}].filed_by", st.filed_by, r.source)
                for unit in ("days", "months"):
                    w = getattr(st, f"filed_within_{unit}")
                    if w is not None:
                        yield num(f"{k}.steps[{i}].filed_within_{unit}", w, r.source)
        # anti-dilution carve-out caps (the minimum adjustment is not listed: charters write it
        # in words, "one cent", which the text checks do not read as 0.01)
        for i, ad in enumerate(self.anti_dilution):
            for j, ex in enumerate(ad.exclusions):
                for name in ("cap_shares", "cap_fraction"):
                    v = getattr(ex, name)
                    if v is not None:
                        yield ModelNumber(f"anti_dilution[{ad.id}].excluded[{ex.id}].{name}", v, ex.source, f,
                                          self.line_of(f"anti_dilution[{i}].excluded[{j}].{name}"))


# ---------------------------------------------------------------- names and values in messages

_BARE_KEY_RE = re.compile(r"[A-Za-z0-9_-]+")
_MAX_SHOWN = 60


def _escape(s: str) -> str:
    """`s` with every non-printable character (control characters, line and paragraph
    separators, ...) written as an escape, so a message stays on one line."""
    if s.isprintable():
        return s
    out = []
    for ch in s:
        if ch.isprintable():
            out.append(ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return "".join(out)


def _short(s: str, limit: int = _MAX_SHOWN) -> str:
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _keyname(k: str) -> str:
    """A key as one component of a path in a message: bare if TOML allows it, else quoted."""
    if _BARE_KEY_RE.fullmatch(k):
        return _short(k)
    return '"' + _short(_escape(k.replace("\\", "\\\\").replace('"', '\\"'))) + '"'


def _join(parent: str, k: str) -> str:
    name = _keyname(k)
    return f"{parent}.{name}" if parent else name


_LAST_COMPONENT_RE = re.compile(r'^(.*?)(?:\[\d+\]|\.?[A-Za-z0-9_-]+|\.?"(?:[^"\\]|\\.)*"…?)$', re.S)


def _parent_path(path: str) -> str:
    """'series[2].conversion.price' -> 'series[2].conversion' -> 'series[2]' -> 'series' -> ''."""
    m = _LAST_COMPONENT_RE.match(path)
    return m.group(1) if m and m.group(1) != path else ""


def _describe(value: Any) -> str:
    """A value as the user wrote it in TOML, with its TOML type, for messages."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, int):
        return str(value) if abs(value) < 10**40 else f"an integer of {len(str(abs(value)))} digits"
    if isinstance(value, Decimal):
        return f"{_short(str(value), 40)} (a decimal number)"
    if isinstance(value, str):
        return f"{_q(value)} (text)"
    if isinstance(value, _dt.datetime):
        return f"{value.isoformat()} (a date and time)"
    if isinstance(value, _dt.date):
        return f"{value.isoformat()} (a date)"
    if isinstance(value, _dt.time):
        return f"{value.isoformat()} (a time of day)"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _q(s: str) -> str:
    """Text in double quotes, escaped and shortened, for messages."""
    return '"' + _short(_escape(s.replace("\\", "\\\\").replace('"', '\\"')), 40) + '"'


def _clean(msg: str) -> str:
    """A message as exactly one printable line."""
    return _escape(msg)


# ---------------------------------------------------------------- line locator


_WS_RE = re.compile(r"[ \t]*")
_SCALAR_RE = re.compile(r"[^\s,\[\]{}#\"']+(?: (?=\d\d:)[^\s,\[\]{}#\"']+)?")
_BASIC_RE = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_LITERAL_RE = re.compile(r"'([^'\n]*)'")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\", "e": "\x1b"}


def _unescape(s: str) -> str:
    def one(m: re.Match) -> str:
        e = m.group(1)
        if e[0] in "uU":
            try:
                return chr(int(e[1:], 16))
            except (ValueError, OverflowError):
                return m.group(0)
        return _ESCAPES.get(e, m.group(0))

    return re.sub(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", one, s)


class _Locator:
    """Map key paths ('series[2].conversion.price', 'tiers[0].series[1]') to the line
    where each is written, for error messages.

    A tolerant scanner of TOML text: table headers, arrays of tables (indexed per
    parent), dotted and quoted keys, inline tables, arrays (each element gets an
    index), and strings (multi-line ones too, so their contents are never taken for
    keys). It never raises on invalid text; what it cannot read it skips to the next line.
    """

    def __init__(self, text: str):
        self.s = text
        self.n = len(text)
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.lines: dict[str, int] = {}
        self.at_line: dict[int, str] = {}  # the most specific path marked on each line
        self.stmt_at_line: dict[int, str] = {}  # the key or table header a line states
        self.counters: dict[str, int] = {}

    def line(self, i: int) -> int:
        return bisect.bisect_right(self.starts, i)

    def mark(self, path: str, i: int, statement: bool = False) -> None:
        if path:
            no = self.line(i)
            self.lines.setdefault(path, no)
            if len(path) >= len(self.at_line.get(no, "")):
                self.at_line[no] = path
            if statement and len(path) >= len(self.stmt_at_line.get(no, "")):
                self.stmt_at_line[no] = path

    def key_at_line(self, no: int, statement: bool = False) -> str | None:
        self.scan()
        return (self.stmt_at_line if statement else self.at_line).get(no)

    def ws(self, i: int) -> int:
        return _WS_RE.match(self.s, i).end()

    def ws_nl(self, i: int) -> int:
        """Skip blanks, newlines and comments (inside arrays)."""
        s, n = self.s, self.n
        while i < n:
            c = s[i]
            if c in " \t\r\n":
                i += 1
            elif c == "#":
                j = s.find("\n", i)
                i = n if j < 0 else j + 1
            else:
                break
        return i

    def eol(self, i: int) -> int:
        j = self.s.find("\n", i)
        return self.n if j < 0 else j + 1

    def key(self, i: int) -> tuple[list[str], int] | None:
        """A dotted key starting at i: its parts and the position after it."""
        s = self.s
        parts: list[str] = []
        while True:
            i = self.ws(i)
            m = _BARE_KEY_RE.match(s, i)
            if m:
                parts.append(m.group(0))
            else:
                m = _BASIC_RE.match(s, i)
                if m:
                    parts.append(_unescape(m.group(1)))
                else:
                    m = _LITERAL_RE.match(s, i)
                    if not m:
                        return None
                    parts.append(m.group(1))
            i = self.ws(m.end())
            if i < self.n and s[i] == ".":
                i += 1
                continue
            return parts, i

    def multiline(self, i: int, quote: str) -> int:
        """Skip a multi-line string opening at i (three `quote`s); the position after it."""
        s, j = self.s, i + 3
        while True:
            k = s.find(quote * 3, j)
            if k < 0:
                return self.n
            if quote == '"':
                b = k
                while b > j and s[b - 1] == "\\":
                    b -= 1
                if (k - b) % 2:  # the first quote is escaped
                    j = k + 1
                    continue
            run = 3
            while run < 5 and k + run < self.n and s[k + run] == quote:
                run += 1  # up to two quotes may end the content: """a"""" is 'a"'
            return k + run

    def value(self, i: int, path: str, depth: int = 0) -> int:
        s, n = self.s, self.n
        if i >= n or depth > 100:
            return i
        if s.startswith('"""', i) or s.startswith("'''", i):
            return self.multiline(i, s[i])
        c = s[i]
        if c == '"':
            m = _BASIC_RE.match(s, i)
            return m.end() if m else self.eol(i)
        if c == "'":
            m = _LITERAL_RE.match(s, i)
            return m.end() if m else self.eol(i)
        if c == "[":
            i += 1
            idx = 0
            while True:
                i = self.ws_nl(i)
                if i >= n:
                    return i
                if s[i] == "]":
                    return i + 1
                sub = f"{path}[{idx}]"
                self.mark(sub, i)
                j = self.value(i, sub, depth + 1)
                if j <= i:
                    return i
                i = self.ws_nl(j)
                if i < n and s[i] == ",":
                    i += 1
                    idx += 1
                    continue
                if i < n and s[i] == "]":
                    return i + 1
                return i
        if c == "{":
            i += 1
            while True:
                i = self.ws(i)
                if i >= n:
                    return i
                if s[i] == "}":
                    return i + 1
                k = self.key(i)
                if k is None:
                    return i
                parts, j = k
                start = i
                sub = path
                for p in parts:
                    sub = _join(sub, p)
                    self.mark(sub, start)
                j = self.ws(j)
                if j >= n or s[j] != "=":
                    return j
                j = self.ws(j + 1)
                i = self.value(j, sub, depth + 1)
                if i <= j:
                    return i
                i = self.ws(i)
                if i < n and s[i] == ",":
                    i += 1
                    continue
                if i < n and s[i] == "}":
                    return i + 1
                return i
        m = _SCALAR_RE.match(s, i)
        return m.end() if m else i

    def header_path(self, parts: list[str], array: bool) -> str:
        path = ""
        for p in parts[:-1]:
            path = _join(path, p)
            if path in self.counters:
                path = f"{path}[{self.counters[path]}]"
        path = _join(path, parts[-1])
        if array:
            self.counters[path] = self.counters.get(path, -1) + 1
            path = f"{path}[{self.counters[path]}]"
        return path

    def scan(self) -> dict[str, int]:
        s, n = self.s, self.n
        i = 0
        current = ""
        while i < n:
            i = self.ws_nl(i)
            if i >= n:
                break
            start = i
            if s[i] == "[":
                array = s.startswith("[[", i)
                k = self.key(i + (2 if array else 1))
                if k is not None:
                    parts, j = k
                    close = "]]" if array else "]"
                    if s.startswith(close, j):
                        current = self.header_path(parts, array)
                        if array:  # the array itself starts at its first entry
                            self.mark(_parent_path(current), start)
                        self.mark(current, start, statement=True)
                i = self.eol(i)
                continue
            k = self.key(i)
            if k is None:
                i = self.eol(i)
                continue
            parts, j = k
            path = current
            for p in parts:
                path = _join(path, p)
                self.mark(path, start, statement=True)
            if j < n and s[j] == "=":
                j = self.value(self.ws(j + 1), path)
            i = self.eol(max(j, start))
        return self.lines


def _locate_lines(text: str) -> dict[str, int]:
    """Map key paths (with array indices, e.g. 'series[2].conversion.price') to lines."""
    return _Locator(text).scan()


# ---------------------------------------------------------------- parsing helpers


class _Ctx:
    def __init__(self, path: str, lines: dict[str, int]):
        self.path = path
        self.lines = lines

    def line(self, key: str) -> int | None:
        probe = key
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = _parent_path(probe)
        return None

    def where(self, key: str) -> str:
        no = self.line(key)
        return f"{self.path}:{no}: {key}" if no is not None else f"{self.path}: {key}"

    def fail(self, key: str, msg: str) -> ModelError:
        return ModelError(_clean(f"{self.where(key)}: {msg}"))


MAX_AMOUNT = 10**18  # no amount, price or threshold in a charter model is larger
MAX_PLACES = 50  # decimal places of a written number


def _decimal_fraction(d: Decimal, *, max_exponent: int = 18, max_places: int = MAX_PLACES) -> Fraction:
    """A finite Decimal as a Fraction, refusing exponents that would take forever to expand."""
    if not d.is_finite():
        raise ValueError("not a finite number")
    if not d:
        return Fraction(0)
    _sign, digits, exp = d.as_tuple()
    assert isinstance(exp, int)
    k = len(digits)
    while k > 1 and digits[k - 1] == 0 and exp < 0:
        k -= 1
        exp += 1
    if exp < -max_places:
        raise ValueError(f"more than {max_places} decimal places (write a fraction such as \"1/3\" instead)")
    if exp + k - 1 > max_exponent:
        raise ValueError("implausibly large")
    return Fraction(d)


def _exact_text(s: str, *, max_exponent: int = 18, max_places: int = MAX_PLACES) -> Fraction:
    """'1.7909', '2/3', '$1,000', '1e6' -> Fraction; ValueError (with a reason) if not a number."""
    s = s.strip().replace(",", "").replace("_", "")
    if s.startswith("$"):
        s = s[1:]
    if not s:
        raise ValueError("empty")
    try:
        if "/" in s:
            num, _, den = s.partition("/")
            n = _decimal_fraction(Decimal(num.strip()), max_exponent=max_exponent, max_places=max_places)
            d = _decimal_fraction(Decimal(den.strip()), max_exponent=max_exponent, max_places=max_places)
            if d == 0:
                raise ValueError("division by zero")
            return n / d
        return _decimal_fraction(Decimal(s), max_exponent=max_exponent, max_places=max_places)
    except (InvalidOperation, ArithmeticError):
        raise ValueError("not a number") from None


_NUMBER_HINT = 'expected an exact number (e.g. "1.7909" or "2/3")'


def _money(ctx: _Ctx, key: str, value: Any, *, allow_zero: bool = True, allow_negative: bool = False) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        raise ctx.fail(key, f"{_NUMBER_HINT}, got {_describe(value)}")
    try:
        if isinstance(value, int):
            f = Fraction(value)
        elif isinstance(value, Decimal):
            f = _decimal_fraction(value)
        else:
            f = _exact_text(value)
    except ValueError as e:
        reason = str(e)
        if reason == "implausibly large":
            raise ctx.fail(key, f"implausibly large, got {_describe(value)} (at most 10^18)") from None
        if reason.startswith("more than"):
            raise ctx.fail(key, f"{reason}, got {_describe(value)}") from None
        raise ctx.fail(key, f"{_NUMBER_HINT}, got {_describe(value)}") from None
    if abs(f) > MAX_AMOUNT:
        raise ctx.fail(key, f"implausibly large, got {_describe(value)} (at most 10^18)")
    if f < 0 and not allow_negative:
        raise ctx.fail(key, f"must not be negative, got {_describe(value)}")
    if f == 0 and not allow_zero:
        raise ctx.fail(key, f"must be positive, got {_describe(value)}")
    return f


def _shares(ctx: _Ctx, key: str, value: Any, *, allow_zero: bool = False) -> int:
    if isinstance(value, str) and re.fullmatch(r"\s*[0-9][0-9,_]*\s*", value):
        digits = re.sub(r"[\s,_]", "", value)
        if len(digits) > 19:
            raise ctx.fail(key, f"implausibly many shares, got {_describe(value)} (at most 10^18)")
        value = int(digits)
    elif isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        raise ctx.fail(key, f"a share count is a whole number: write it without a decimal point or exponent, "
                            f"got {_describe(value)}")
    elif isinstance(value, bool) or not isinstance(value, int):
        raise ctx.fail(key, f"expected a whole number of shares, got {_describe(value)}")
    if value < 0 or (value == 0 and not allow_zero):
        raise ctx.fail(key, f"must be a positive number of shares, got {_describe(value)}")
    if value > MAX_SHARES:
        raise ctx.fail(key, f"implausibly many shares, got {_describe(value)} (at most 10^18)")
    return value


def _bad_char(value: str) -> str | None:
    """The first character a one-line text may not hold, described, if any."""
    for pos, ch in enumerate(value, start=1):
        if ch == "\t":
            continue
        if ch in "\n\r\u2028\u2029\x85":
            return (f"contains a line break at character {pos} (write it on one line; in a \"\"\"-string, "
                    f"end each line with a backslash)")
        if unicodedata.category(ch) == "Cc":
            return f"contains the control character {_escape(ch)} at character {pos}"
    return None


def _text(ctx: _Ctx, key: str, value: Any, *, required: bool = True) -> str | None:
    if value is None:
        if required:
            raise ctx.fail(key, "missing")
        return None
    if not isinstance(value, str):
        raise ctx.fail(key, f"expected text in quotes, got {_describe(value)}")
    bad = _bad_char(value)
    if bad:
        raise ctx.fail(key, bad)
    return value


def _ident(ctx: _Ctx, key: str, value: Any) -> str:
    s = _text(ctx, key, value)
    assert s is not None
    if not ID_RE.match(s):
        raise ctx.fail(key, f"not a valid id {_q(s)} (letters, digits, '.', '_' or '-', at most 64)")
    return s


def _table(ctx: _Ctx, key: str, value: Any, allowed: set[str], required=frozenset()) -> dict:
    if not isinstance(value, dict):
        raise ctx.fail(key, f"expected a table, got {_describe(value)}")
    for k in value:
        if k not in allowed:
            hint = ", ".join(sorted(allowed)) if allowed else "none"
            raise ctx.fail(_join(key, k), f"unknown key (allowed: {_short(hint, 200)})")
    for k in (required if isinstance(required, (list, tuple)) else sorted(required)):
        if k not in value:
            raise ctx.fail(_join(key, k), "missing required key")
    return value


def _list(ctx: _Ctx, key: str, value: Any) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ctx.fail(key, f"expected a list, got {_describe(value)}")
    return value


def _bool(ctx: _Ctx, key: str, value: Any, default: bool) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ctx.fail(key, f"expected true or false, got {_describe(value)}")
    return value


def _choice(ctx: _Ctx, key: str, value: Any, options: tuple[str, ...], default: str) -> str:
    if value is None:
        return default
    if not isinstance(value, str) or value not in options:
        raise ctx.fail(key, f"must be one of {', '.join(options)}; got {_describe(value)}")
    return value


# ---------------------------------------------------------------- loader

TOP_KEYS = {
    "format", "charter", "source", "common", "preferred", "series", "tiers", "class_votes",
    "automatic_conversion", "ipo_ratchets", "readings", "captable", "scenario", "anti_dilution",
}

# Keys of the anti-dilution tables. (Passed to `_table` as computed sets: tests/test_schema.py maps
# literal key sets to schema tables through its own list; tests/test_antidilution.py checks these.)
ANTI_DILUTION_KEYS = frozenset({"id", "series", "kind", "counts", "rounding", "minimum_adjustment", "carry_forward",
                                "no_increase", "excluded", "splits_source", "source", "note"})
ANTI_DILUTION_REQUIRED = ("id", "series", "source")
EXCLUSION_KEYS = frozenset({"id", "description", "cap_shares", "cap_fraction", "source"})
EXCLUSION_REQUIRED = ("id", "source")


def load_model(path: str | Path) -> Charter:
    """Read and validate a charter model; raises ModelError with a one-line message."""
    p = Path(path)
    shown = str(path)
    try:
        raw_bytes = p.read_bytes()
    except FileNotFoundError:
        raise ModelError(_clean(f"{shown}: no such file")) from None
    except IsADirectoryError:
        raise ModelError(_clean(f"{shown}: is a directory, not a charter model")) from None
    except OSError as e:
        raise ModelError(_clean(f"{shown}: cannot read ({e.strerror or e})")) from None
    except ValueError:  # e.g. a NUL character in the name
        raise ModelError(_clean(f"{shown}: not a valid file name")) from None
    try:
        text = raw_bytes.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw_bytes.count(b"\n", 0, e.start) + 1
        bad = raw_bytes[e.start : e.start + 1].hex()
        raise ModelError(_clean(f"{shown}:{line}: not UTF-8 text (byte 0x{bad} at offset {e.start}); "
                                f"save the file as UTF-8")) from None
    return loads_model(text, shown, base_dir=p.parent)


def loads_model(text: str, path: str = "<model>", base_dir: Path | None = None) -> Charter:
    if text.startswith("\ufeff"):  # a UTF-8 byte-order mark, as some editors write
        text = text[1:]
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as e:
        raise _syntax_error(text, path, str(e)) from None
    except ValueError:  # an integer too long for Python (more than 4300 digits)
        m = re.search(r"[0-9][0-9_]{4299,}", text)
        raise _syntax_error(text, path, "a number with more than 4300 digits", m.start() if m else None) from None
    except RecursionError:
        raise _syntax_error(text, path, "arrays or inline tables nested too deeply") from None
    ctx = _Ctx(path, _locate_lines(text))
    if not data:
        raise ctx.fail("charter", "missing: the file holds no TOML keys or tables (a charter model needs "
                                  "[charter], [[series]], [[tiers]] and [captable])")
    return _build(ctx, data, base_dir)


def _syntax_error(text: str, path: str, msg: str, offset: int | None = None) -> ModelError:
    """A one-line TOML syntax error naming the line and, where the scanner finds one there, the key."""
    msg = msg.splitlines()[0] if msg else "invalid TOML"
    line = column = None
    m = re.search(r"\s*\(at line (\d+), column (\d+)\)", msg)
    if m:
        line, column = int(m.group(1)), int(m.group(2))
        msg = msg[: m.start()] + msg[m.end():]
    elif offset is not None:
        line = text.count("\n", 0, offset) + 1
    elif "(at end of document)" in msg:
        line = text.rstrip().count("\n") + 1  # the last line with content
    msg = re.sub(r"\s*\(at end of document\)", " (at the end of the file)", msg)
    statement = msg.startswith(("Cannot declare", "Cannot overwrite", "Cannot mutate"))
    if msg.startswith("Cannot declare"):
        msg = "this table is declared twice"
    elif msg.startswith("Cannot overwrite a value"):
        msg = "this key already has a value (a key may be set only once)"
    elif msg.startswith("Cannot mutate immutable namespace"):
        msg = "this table or array was already written out in full (as key = value) and cannot be extended here"
    else:  # name keys the TOML way: ('a', 'b') -> a.b
        msg = re.sub(r"\(((?:'[^']*'(?:, )?)+),?\)", lambda t: ".".join(re.findall(r"'([^']*)'", t.group(1))), msg)
    where = path
    if line is not None:
        where = f"{path}:{line}"
        try:
            key = _Locator(text).key_at_line(line, statement)
        except Exception:  # the scanner is best effort; a syntax error must still be reported
            key = None
        if key:
            where += f": {key}"
    col = f" (column {column})" if column is not None else ""
    return ModelError(_clean(f"{where}: TOML syntax error: {msg}{col}"))


def _build(ctx: _Ctx, data: dict, base_dir: Path | None) -> Charter:
    _table(ctx, "", data, TOP_KEYS, ("charter", "series", "tiers", "captable"))
    fmt = data.get("format", 1)
    if isinstance(fmt, bool) or not isinstance(fmt, int):
        raise ctx.fail("format", f"expected the format version 1, got {_describe(fmt)}")
    if fmt != 1:
        raise ctx.fail("format", f"unsupported format version {_describe(fmt)} (this tool reads 1)")

    ch = _table(ctx, "charter", data["charter"], {"id", "name"}, {"id"})
    cid = _text(ctx, "charter.id", ch["id"])
    if not CHARTER_ID_RE.match(cid):
        raise ctx.fail("charter.id", f"not a valid charter id {cid!r} (lower-case letters, digits, '_' or '-')")
    name = _text(ctx, "charter.name", ch.get("name"), required=False) or cid

    src = _table(ctx, "source", data.get("source", {}), {"text", "document"})
    text_path = None
    if src.get("text") is not None:
        t = _text(ctx, "source.text", src["text"])
        text_path = Path(os.path.normpath(base_dir / t)) if base_dir is not None else Path(t)
    document = _text(ctx, "source.document", src.get("document"), required=False)

    def authorized(key: str) -> tuple[int | None, str | None]:
        if key not in data:
            return None, None
        tb = _table(ctx, key, data[key], {"authorized", "source"})
        a = _shares(ctx, f"{key}.authorized", tb["authorized"]) if "authorized" in tb else None
        return a, _text(ctx, f"{key}.source", tb.get("source"), required=False)

    common_auth, common_src = authorized("common")
    pref_auth, pref_src = authorized("preferred")

    # ---- series
    series_raw = _list(ctx, "series", data["series"])
    if not series_raw:
        raise ctx.fail("series", "a charter model needs at least one preferred series")
    if len(series_raw) > MAX_SERIES:
        raise ctx.fail("series", f"{len(series_raw)} series; at most {MAX_SERIES} are supported")
    series: list[Series] = []
    ids: set[str] = set()
    for i, sr in enumerate(series_raw):
        k = f"series[{i}]"
        sr = _table(
            ctx, k, sr,
            {"id", "name", "designated", "original_issue_price", "source", "price_source", "external", "note",
             "preference", "participation", "conversion"},
            {"id", "designated", "original_issue_price"},
        )
        sid = _ident(ctx, f"{k}.id", sr["id"])
        if sid in ids:
            raise ctx.fail(f"{k}.id", f"series id {sid!r} is used twice")
        if sid == COMMON or sid == CARVE_OUT:
            raise ctx.fail(f"{k}.id", f"{sid!r} is reserved")
        ids.add(sid)
        external = _bool(ctx, f"{k}.external", sr.get("external"), False)
        source = _text(ctx, f"{k}.source", sr.get("source"), required=False) or ("assumption" if external else None)
        if source is None:
            raise ctx.fail(f"{k}.source", "missing: every rule names the clause it encodes")
        oip = _money(ctx, f"{k}.original_issue_price", sr["original_issue_price"], allow_zero=False)
        pref = None
        if "preference" in sr:
            pr = _table(ctx, f"{k}.preference", sr["preference"], {"per_share", "source"}, {"source"})
            per = _money(ctx, f"{k}.preference.per_share", pr["per_share"]) if "per_share" in pr else oip
            pref = Preference(per, _text(ctx, f"{k}.preference.source", pr["source"]))
        part = Participation("none", None, None)
        if "participation" in sr:
            pa = _table(ctx, f"{k}.participation", sr["participation"], {"kind", "cap", "source"}, {"kind", "source"})
            kind = _choice(ctx, f"{k}.participation.kind", pa["kind"], PARTICIPATION_KINDS, "none")
            cap = None
            if kind == "capped":
                if "cap" not in pa:
                    raise ctx.fail(f"{k}.participation.cap", "a capped participation needs its cap per share")
                cap = _money(ctx, f"{k}.participation.cap", pa["cap"], allow_zero=False)
                per = pref.per_share if pref else Fraction(0)
                if cap < per:
                    raise ctx.fail(
                        f"{k}.participation.cap",
                        f"cap {_fmt(cap)} per share is below the liquidation preference {_fmt(per)}",
                    )
            elif "cap" in pa:
                raise ctx.fail(f"{k}.participation.cap", f"a cap only goes with kind = \"capped\" (kind is {kind!r})")
            part = Participation(kind, cap, _text(ctx, f"{k}.participation.source", pa["source"]))
        conv = None
        if "conversion" in sr:
            co = _table(
                ctx, f"{k}.conversion", sr["conversion"],
                {"price", "source", "cash_per_share", "cash_source"}, {"price", "source"},
            )
            conv = Conversion(
                _money(ctx, f"{k}.conversion.price", co["price"], allow_zero=False),
                _text(ctx, f"{k}.conversion.source", co["source"]),
                _money(ctx, f"{k}.conversion.cash_per_share", co.get("cash_per_share", 0)),
                _text(ctx, f"{k}.conversion.cash_source", co.get("cash_source"), required=False),
            )
        series.append(
            Series(
                sid,
                _text(ctx, f"{k}.name", sr.get("name"), required=False) or f"Series {sid}",
                _shares(ctx, f"{k}.designated", sr["designated"]),
                oip,
                source,
                pref,
                part,
                conv,
                external,
                _text(ctx, f"{k}.note", sr.get("note"), required=False),
                _text(ctx, f"{k}.price_source", sr.get("price_source"), required=False),
            )
        )
    by_id = {s.id: s for s in series}

    def known_series(key: str, value: Any) -> str:
        sid = _text(ctx, key, value)
        if sid not in by_id:
            raise ctx.fail(key, f"unknown series id {_q(sid)} (known: {_short(', '.join(by_id), 200)})")
        return sid

    # ---- tiers
    tiers_raw = _list(ctx, "tiers", data["tiers"])
    tiers: list[Tier] = []
    tier_ids: set[str] = set()
    junior_to: dict[str, list[str]] = {}
    placed: dict[str, str] = {}
    for i, tr in enumerate(tiers_raw):
        k = f"tiers[{i}]"
        tr = _table(ctx, k, tr, {"id", "series", "shortfall", "source", "junior_to"}, {"id", "series", "source"})
        tid = _ident(ctx, f"{k}.id", tr["id"])
        if tid in tier_ids:
            raise ctx.fail(f"{k}.id", f"tier id {tid!r} is used twice")
        tier_ids.add(tid)
        members = []
        for j, m in enumerate(_list(ctx, f"{k}.series", tr["series"])):
            sid = known_series(f"{k}.series[{j}]", m)
            if sid in members:
                raise ctx.fail(f"{k}.series[{j}]", f"series {sid!r} is listed twice in tier {tid!r}")
            if sid in placed:
                raise ctx.fail(f"{k}.series[{j}]", f"series {sid!r} is in two tiers ({placed[sid]!r} and {tid!r})")
            placed[sid] = tid
            members.append(sid)
        if not members:
            raise ctx.fail(f"{k}.series", "a tier needs at least one series")
        junior_to[tid] = [_text(ctx, f"{k}.junior_to[{j}]", x)
                          for j, x in enumerate(_list(ctx, f"{k}.junior_to", tr.get("junior_to")))]
        if tid in junior_to[tid]:
            raise ctx.fail(f"{k}.junior_to[{junior_to[tid].index(tid)}]", f"tier {tid!r} cannot be junior to itself")
        tiers.append(
            Tier(
                tid,
                tuple(members),
                _choice(ctx, f"{k}.shortfall", tr.get("shortfall"), SHORTFALL_BASES, "preference"),
                _text(ctx, f"{k}.source", tr["source"]),
            )
        )
    for s in series:
        if s.preference is not None and s.id not in placed:
            raise ctx.fail(f"series[{series.index(s)}].preference", f"series {s.id!r} has a preference but is in no tier")
        if s.id not in placed and s.participation.kind != "none":
            raise ctx.fail(f"series[{series.index(s)}]", f"series {s.id!r} is in no tier")
    for i, t in enumerate(tiers):
        for j, ref in enumerate(junior_to[t.id]):
            if ref not in tier_ids:
                raise ctx.fail(f"tiers[{i}].junior_to[{j}]",
                               f"unknown tier id {_q(ref)} (known: {_short(', '.join(tier_ids), 200)})")
    tiers = _order_tiers(ctx, tiers, junior_to)

    # ---- class votes
    votes: list[ClassVote] = []
    in_vote: dict[str, str] = {}
    for i, vr in enumerate(_list(ctx, "class_votes", data.get("class_votes"))):
        k = f"class_votes[{i}]"
        vr = _table(ctx, k, vr, {"id", "series", "threshold", "strict", "source"}, {"id", "series", "threshold", "source"})
        vid = _ident(ctx, f"{k}.id", vr["id"])
        if vid in by_id:
            raise ctx.fail(f"{k}.id", f"class vote id {vid!r} is also a series id (name the vote differently)")
        if vid in (COMMON, CARVE_OUT) or any(v.id == vid for v in votes):
            raise ctx.fail(f"{k}.id", f"class vote id {vid!r} is reserved or used by another class vote")
        members = []
        for j, m in enumerate(_list(ctx, f"{k}.series", vr["series"])):
            sid = known_series(f"{k}.series[{j}]", m)
            if sid in members:
                raise ctx.fail(f"{k}.series[{j}]", f"series {sid!r} is listed twice")
            if sid in in_vote:
                raise ctx.fail(f"{k}.series[{j}]", f"series {sid!r} already converts by class vote {in_vote[sid]!r}")
            if by_id[sid].conversion is None:
                raise ctx.fail(f"{k}.series[{j}]", f"series {sid!r} has no conversion right to vote on")
            in_vote[sid] = vid
            members.append(sid)
        if len(members) < 1:
            raise ctx.fail(f"{k}.series", "a class vote needs at least one series")
        thr = _money(ctx, f"{k}.threshold", vr["threshold"])
        if not (0 <= thr < 1):
            raise ctx.fail(f"{k}.threshold", f"must be a fraction in [0, 1), got {_describe(vr['threshold'])}")
        votes.append(ClassVote(vid, tuple(members), thr, _bool(ctx, f"{k}.strict", vr.get("strict"), True),
                               _text(ctx, f"{k}.source", vr["source"])))

    # ---- automatic conversion
    autos: list[AutomaticConversion] = []
    for i, ar in enumerate(_list(ctx, "automatic_conversion", data.get("automatic_conversion"))):
        k = f"automatic_conversion[{i}]"
        ar = _table(ctx, k, ar, {"id", "series", "min_price_per_share", "min_price_multiple", "min_aggregate",
                                 "min_valuation", "vote", "source", "note"}, {"id", "series", "source"})
        vseries: tuple[str, ...] = ()
        vthr = None
        vstrict = True
        if "vote" in ar:
            vt = _table(ctx, f"{k}.vote", ar["vote"], {"series", "threshold", "strict"}, {"series", "threshold"})
            vseries = tuple(known_series(f"{k}.vote.series[{j}]", x)
                            for j, x in enumerate(_list(ctx, f"{k}.vote.series", vt["series"])))
            if not vseries:
                raise ctx.fail(f"{k}.vote.series", "a vote needs at least one series")
            vthr = _money(ctx, f"{k}.vote.threshold", vt["threshold"])
            if not (0 <= vthr < 1):
                raise ctx.fail(f"{k}.vote.threshold", f"must be a fraction in [0, 1), got {_describe(vt['threshold'])}")
            vstrict = _bool(ctx, f"{k}.vote.strict", vt.get("strict"), True)

        def opt(name: str) -> Fraction | None:
            return _money(ctx, f"{k}.{name}", ar[name]) if name in ar else None

        aid = _ident(ctx, f"{k}.id", ar["id"])
        if any(a.id == aid for a in autos):
            raise ctx.fail(f"{k}.id", f"automatic conversion id {aid!r} is used twice")
        aseries = tuple(known_series(f"{k}.series[{j}]", x) for j, x in enumerate(_list(ctx, f"{k}.series", ar["series"])))
        if not aseries:
            raise ctx.fail(f"{k}.series", "an automatic conversion needs at least one series")
        autos.append(AutomaticConversion(
            aid,
            aseries,
            opt("min_price_per_share"), opt("min_aggregate"), opt("min_valuation"),
            vseries, vthr, vstrict, _text(ctx, f"{k}.source", ar["source"]), opt("min_price_multiple"),
        ))

    ratchets: list[IpoRatchet] = []
    for i, rr in enumerate(_list(ctx, "ipo_ratchets", data.get("ipo_ratchets"))):
        k = f"ipo_ratchets[{i}]"
        rr = _table(ctx, k, rr, {"series", "kind", "floor_price", "steps", "source", "note"}, {"series", "kind", "source"})
        kind = _choice(ctx, f"{k}.kind", rr["kind"], ("price_floor", "discount_by_filing_date"), "price_floor")
        floor = None
        steps: list[RatchetStep] = []
        rsid = known_series(f"{k}.series", rr["series"])
        if any(r.series == rsid for r in ratchets):
            raise ctx.fail(f"{k}.series", f"series {rsid!r} has two IPO ratchets")
        if kind == "price_floor":
            if "floor_price" not in rr:
                raise ctx.fail(f"{k}.floor_price", "a price_floor ratchet needs floor_price")
            if "steps" in rr:
                raise ctx.fail(f"{k}.steps", "steps only go with kind = \"discount_by_filing_date\"")
            floor = _money(ctx, f"{k}.floor_price", rr["floor_price"], allow_zero=False)
        else:
            if "floor_price" in rr:
                raise ctx.fail(f"{k}.floor_price", "a floor_price only goes with kind = \"price_floor\"")
            for j, st in enumerate(_list(ctx, f"{k}.steps", rr.get("steps"))):
                sk = f"{k}.steps[{j}]"
                st = _table(ctx, sk, st, {"filed_by", "filed_within_days", "filed_within_months", "percent"}, {"percent"})
                fb = st.get("filed_by")
                if fb is not None and (not isinstance(fb, _dt.date) or isinstance(fb, _dt.datetime)):
                    raise ctx.fail(f"{sk}.filed_by", f"expected a date like 2000-06-30, got {_describe(fb)}")
                pct = _money(ctx, f"{sk}.percent", st["percent"], allow_zero=False)
                wd = _shares(ctx, f"{sk}.filed_within_days", st["filed_within_days"]) if "filed_within_days" in st else None
                wm = _shares(ctx, f"{sk}.filed_within_months", st["filed_within_months"]) if "filed_within_months" in st else None
                steps.append(RatchetStep(pct, fb if isinstance(fb, _dt.date) else None, wd, wm))
            if not steps:
                raise ctx.fail(f"{k}.steps", "a discount_by_filing_date ratchet needs steps")
        ratchets.append(IpoRatchet(rsid, kind, floor, tuple(steps),
                                   _text(ctx, f"{k}.source", rr["source"])))

    anti_dilution = _anti_dilution(ctx, data.get("anti_dilution"), by_id, known_series)

    # ---- readings
    rd = _table(ctx, "readings", data.get("readings", {}), {"cap_dropout", "cash_on_conversion", "note"})
    readings = Readings(
        _choice(ctx, "readings.cap_dropout", rd.get("cap_dropout"), CAP_DROPOUT_READINGS, "own_cap"),
        _choice(ctx, "readings.cash_on_conversion", rd.get("cash_on_conversion"), CASH_RANK_READINGS,
                "before_preferences"),
        _text(ctx, "readings.note", rd.get("note"), required=False),
    )

    # ---- cap table
    ct = _table(ctx, "captable", data["captable"],
                {"assumption", "common_outstanding", "note", "outstanding", "dividends", "options"},
                {"common_outstanding"})
    common_out = _shares(ctx, "captable.common_outstanding", ct["common_outstanding"])
    outstanding = {s.id: s.designated for s in series}
    for sid, v in _table(ctx, "captable.outstanding", ct.get("outstanding", {}), set(by_id)).items():
        outstanding[sid] = _shares(ctx, _join("captable.outstanding", sid), v)
        if outstanding[sid] > by_id[sid].designated:
            raise ctx.fail(_join("captable.outstanding", sid),
                           f"{outstanding[sid]} outstanding exceeds the {by_id[sid].designated} shares designated")
    dividends = {sid: _money(ctx, _join("captable.dividends", sid), v)
                 for sid, v in _table(ctx, "captable.dividends", ct.get("dividends", {}), set(by_id)).items()}
    pools: list[OptionPool] = []
    options_raw = _list(ctx, "captable.options", ct.get("options"))
    if len(options_raw) > MAX_OPTION_POOLS:
        raise ctx.fail("captable.options", f"{len(options_raw)} option pools; at most {MAX_OPTION_POOLS} are supported")
    for i, orow in enumerate(options_raw):
        k = f"captable.options[{i}]"
        orow = _table(ctx, k, orow, {"id", "count", "exercise_price", "buys", "source"}, {"id", "count", "exercise_price"})
        pid = _ident(ctx, f"{k}.id", orow["id"])
        if pid in by_id or pid in (COMMON, CARVE_OUT) or any(p.id == pid for p in pools) or any(v.id == pid for v in votes):
            raise ctx.fail(f"{k}.id", f"option pool id {pid!r} collides with another id")
        buys = orow.get("buys", COMMON)
        if buys != COMMON:
            buys = known_series(f"{k}.buys", buys)
        pools.append(OptionPool(pid, _shares(ctx, f"{k}.count", orow["count"]),
                                _money(ctx, f"{k}.exercise_price", orow["exercise_price"]), buys,
                                _text(ctx, f"{k}.source", orow.get("source"), required=False) or "assumption"))
    captable = CapTable(common_out, outstanding, dividends, tuple(pools),
                        _bool(ctx, "captable.assumption", ct.get("assumption"), True),
                        _text(ctx, "captable.note", ct.get("note"), required=False))

    sc = _table(ctx, "scenario", data.get("scenario", {}),
                {"transaction_costs", "carve_out", "carve_out_percent", "source", "note"})
    scenario = Scenario(
        _money(ctx, "scenario.transaction_costs", sc.get("transaction_costs", 0)),
        _money(ctx, "scenario.carve_out", sc.get("carve_out", 0)),
        _money(ctx, "scenario.carve_out_percent", sc.get("carve_out_percent", 0)),
    )
    if scenario.carve_out_percent >= 1:
        raise ctx.fail("scenario.carve_out_percent", "must be a fraction below 1 (e.g. \"0.10\" for 10%)")

    for s in series:
        if s.participation.kind == "capped" and s.conversion is None:
            pass  # a capped series that cannot convert simply stays at its cap
    return Charter(
        cid, name, ctx.path, text_path, document, common_auth, common_src, pref_auth, pref_src,
        tuple(series), tuple(tiers), tuple(votes), captable, scenario, readings, tuple(autos), tuple(ratchets),
        dict(ctx.lines), anti_dilution,
    )


def _anti_dilution(ctx: _Ctx, raw: Any, by_id: dict[str, Series], known_series) -> tuple[AntiDilution, ...]:
    """[[anti_dilution]]: conversion price adjustments for dilutive issuances (optional)."""
    out: list[AntiDilution] = []
    covered: dict[str, str] = {}
    for i, adr in enumerate(_list(ctx, "anti_dilution", raw)):
        k = f"anti_dilution[{i}]"
        adr = _table(ctx, k, adr, set(ANTI_DILUTION_KEYS), ANTI_DILUTION_REQUIRED)
        aid = _ident(ctx, f"{k}.id", adr["id"])
        if any(a.id == aid for a in out):
            raise ctx.fail(f"{k}.id", f"anti-dilution id {aid!r} is used twice")
        members: list[str] = []
        for j, x in enumerate(_list(ctx, f"{k}.series", adr["series"])):
            sid = known_series(f"{k}.series[{j}]", x)
            if sid in members:
                raise ctx.fail(f"{k}.series[{j}]", f"series {sid!r} is listed twice")
            if sid in covered:
                raise ctx.fail(f"{k}.series[{j}]", f"series {sid!r} already has anti-dilution terms ({covered[sid]!r})")
            if by_id[sid].conversion is None:
                raise ctx.fail(f"{k}.series[{j}]", f"series {sid!r} has no conversion price to adjust")
            covered[sid] = aid
            members.append(sid)
        if not members:
            raise ctx.fail(f"{k}.series", "an anti-dilution clause needs at least one series")
        kind = _choice(ctx, f"{k}.kind", adr.get("kind"), ANTI_DILUTION_KINDS, "broad_based_weighted_average")
        counts: list[str] = []
        if "counts" in adr:
            for j, c in enumerate(_list(ctx, f"{k}.counts", adr["counts"])):
                c = _choice(ctx, f"{k}.counts[{j}]", c, ANTI_DILUTION_COUNTS, "common")
                if c in counts:
                    raise ctx.fail(f"{k}.counts[{j}]", f"{c!r} is listed twice")
                counts.append(c)
            if not counts:
                raise ctx.fail(f"{k}.counts", "list what counts as outstanding (e.g. [\"common\", \"preferred\"])")
        rounding = _choice(ctx, f"{k}.rounding", adr.get("rounding"), ANTI_DILUTION_ROUNDING, "none")
        minimum = _money(ctx, f"{k}.minimum_adjustment", adr.get("minimum_adjustment", 0))
        carry = _bool(ctx, f"{k}.carry_forward", adr.get("carry_forward"), False)
        if carry and not minimum:
            raise ctx.fail(f"{k}.carry_forward", "carry_forward needs a minimum_adjustment to carry")
        exclusions: list[Exclusion] = []
        for j, exr in enumerate(_list(ctx, f"{k}.excluded", adr.get("excluded"))):
            ek = f"{k}.excluded[{j}]"
            exr = _table(ctx, ek, exr, set(EXCLUSION_KEYS), EXCLUSION_REQUIRED)
            eid = _ident(ctx, f"{ek}.id", exr["id"])
            if any(e.id == eid for e in exclusions):
                raise ctx.fail(f"{ek}.id", f"excluded issuance id {eid!r} is used twice")
            if "cap_shares" in exr and "cap_fraction" in exr:
                raise ctx.fail(f"{ek}.cap_fraction", "give cap_shares or cap_fraction, not both")
            cap_shares = _shares(ctx, f"{ek}.cap_shares", exr["cap_shares"]) if "cap_shares" in exr else None
            cap_fraction = None
            if "cap_fraction" in exr:
                cap_fraction = _money(ctx, f"{ek}.cap_fraction", exr["cap_fraction"], allow_zero=False)
                if cap_fraction >= 1:
                    raise ctx.fail(f"{ek}.cap_fraction",
                                   f"must be a fraction in (0, 1), got {_describe(exr['cap_fraction'])}")
            exclusions.append(Exclusion(
                eid, _text(ctx, f"{ek}.source", exr["source"]),
                _text(ctx, f"{ek}.description", exr.get("description"), required=False),
                cap_shares, cap_fraction,
            ))
        out.append(AntiDilution(
            aid, tuple(members), _text(ctx, f"{k}.source", adr["source"]), kind,
            tuple(counts) if counts else ANTI_DILUTION_COUNTS, rounding, minimum, carry,
            _bool(ctx, f"{k}.no_increase", adr.get("no_increase"), False), tuple(exclusions),
            _text(ctx, f"{k}.splits_source", adr.get("splits_source"), required=False),
            _text(ctx, f"{k}.note", adr.get("note"), required=False),
        ))
    return tuple(out)


def _order_tiers(ctx: _Ctx, tiers: list[Tier], junior_to: dict[str, list[str]]) -> list[Tier]:
    """Seniority order: list order, refined by `junior_to`; a cycle is an error."""
    if not any(junior_to.values()):
        return tiers
    index = {t.id: i for i, t in enumerate(tiers)}
    remaining = {t.id for t in tiers}
    order: list[Tier] = []
    while remaining:
        ready = [tid for tid in remaining if not any(r in remaining for r in junior_to[tid])]
        if not ready:
            cycle = " -> ".join(sorted(remaining))
            first = min(remaining, key=index.get)
            raise ctx.fail(f"tiers[{index[first]}].junior_to", f"seniority is cyclic among tiers {cycle}")
        nxt = min(ready, key=index.get)
        order.append(tiers[index[nxt]])
        remaining.remove(nxt)
    return order


def _fmt(x: Fraction) -> str:
    return format_exact(x)


def format_exact(x: Fraction | int) -> str:
    """An exact number as text: integer, terminating decimal, or p/q."""
    x = Fraction(x)
    if x.denominator == 1:
        return str(x.numerator)
    d = x.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    if d != 1:
        return f"{x.numerator}/{x.denominator}"
    places = max(twos, fives)
    scaled = x * 10**places
    assert scaled.denominator == 1
    n = scaled.numerator
    sign = "-" if n < 0 else ""
    digits = str(abs(n)).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def parse_exact(text: str) -> Fraction:
    """Parse a user-given amount ("100000000", "1e8", "$12,375,000", "2/3"); ValueError if not a number
    (also for a number too large or too finely divided to expand: beyond 10^1000 or 1000 decimal places)."""
    return _exact_text(text, max_exponent=1000, max_places=1000)
