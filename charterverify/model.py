"""TOML charter model -> validated, typed, frozen model.

Every error is a `ModelError` whose text is one line naming the file, the key and,
where known, the line. Money is `Fraction`; share counts are `int`.
"""

from __future__ import annotations

import datetime as _dt
import re
import tomllib
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
MAX_SHARES = 10**18


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


@dataclass(frozen=True)
class RatchetStep:
    percent: Fraction
    filed_by: _dt.date | None


@dataclass(frozen=True)
class IpoRatchet:
    series: str
    kind: str  # price_floor | discount_by_filing_date
    floor_price: Fraction | None
    steps: tuple[RatchetStep, ...]
    source: str


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
        """The series whose outstanding shares alone carry the class vote, if any."""
        total = sum(self.outstanding(m) for m in vote.series)
        for m in vote.series:
            share = Fraction(self.outstanding(m), total) if total else Fraction(0)
            if share > vote.threshold or (not vote.strict and share == vote.threshold):
                return m
        return None

    def numbers(self) -> Iterator[ModelNumber]:
        """Every number the model states, with the clause it claims to encode."""
        f = self.path

        def num(key: str, value: Any, source: str | None) -> ModelNumber:
            return ModelNumber(key, value, source or "assumption", f, self.line_of(key))

        if self.common_authorized is not None:
            yield num("common.authorized", self.common_authorized, self.common_source)
        if self.preferred_authorized is not None:
            yield num("preferred.authorized", self.preferred_authorized, self.preferred_source)
        for s in self.series:
            k = f"series[{s.id}]"
            src = "assumption" if s.external else s.source
            yield num(f"{k}.designated", s.designated, src)
            yield num(f"{k}.original_issue_price", s.original_issue_price, src)
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
            for name in ("min_price_per_share", "min_aggregate", "min_valuation", "vote_threshold"):
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


# ---------------------------------------------------------------- line locator


_HEADER_RE = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*(\]\]?)\s*(#.*)?$")
_KEY_RE = re.compile(r"^\s*([A-Za-z0-9_\-\"'.]+)\s*=")


def _locate_lines(text: str) -> dict[str, int]:
    """Map dotted key paths (with array indices, e.g. 'series[2].conversion.price') to lines.

    A light scanner for error messages; it understands table headers, arrays of
    tables and `key =` lines, which is what the format uses.
    """
    lines: dict[str, int] = {}
    counters: dict[str, int] = {}
    current = ""
    for no, raw in enumerate(text.splitlines(), start=1):
        m = _HEADER_RE.match(raw)
        if m and not _KEY_RE.match(raw):
            name = m.group(2).strip().replace('"', "").replace("'", "")
            if m.group(1) == "[[":
                # an array of tables: index relative to its parent
                parent, _, leaf = name.rpartition(".")
                parent_path = _resolve(parent, counters) if parent else ""
                akey = f"{parent_path}.{leaf}" if parent_path else leaf
                counters[akey] = counters.get(akey, -1) + 1
                current = f"{akey}[{counters[akey]}]"
            else:
                parent, _, leaf = name.rpartition(".")
                parent_path = _resolve(parent, counters) if parent else ""
                current = f"{parent_path}.{leaf}" if parent_path else leaf
            lines.setdefault(current, no)
            continue
        k = _KEY_RE.match(raw)
        if k:
            key = k.group(1).replace('"', "").replace("'", "")
            lines.setdefault(f"{current}.{key}" if current else key, no)
    return lines


def _resolve(dotted: str, counters: dict[str, int]) -> str:
    out = ""
    for part in dotted.split("."):
        out = f"{out}.{part}" if out else part
        if out in counters:
            out = f"{out}[{counters[out]}]"
    return out


# ---------------------------------------------------------------- parsing helpers


class _Ctx:
    def __init__(self, path: str, lines: dict[str, int]):
        self.path = path
        self.lines = lines

    def where(self, key: str) -> str:
        probe = key
        while probe:
            if probe in self.lines:
                return f"{self.path}:{self.lines[probe]}: {key}"
            probe = probe.rsplit(".", 1)[0] if "." in probe else ""
        return f"{self.path}: {key}"

    def fail(self, key: str, msg: str) -> ModelError:
        return ModelError(f"{self.where(key)}: {msg}")


def _money(ctx: _Ctx, key: str, value: Any, *, allow_zero: bool = True, allow_negative: bool = False) -> Fraction:
    if isinstance(value, bool):
        raise ctx.fail(key, f"expected a number, got {value!r}")
    try:
        if isinstance(value, int):
            f = Fraction(value)
        elif isinstance(value, Decimal):
            if not value.is_finite():
                raise ValueError
            f = Fraction(value)
        elif isinstance(value, str):
            s = value.strip().replace(",", "").replace("_", "")
            if s.startswith("$"):
                s = s[1:]
            if "/" in s:
                num, _, den = s.partition("/")
                f = Fraction(Decimal(num.strip())) / Fraction(Decimal(den.strip()))
            else:
                d = Decimal(s)
                if not d.is_finite():
                    raise ValueError
                f = Fraction(d)
        else:
            raise ValueError
    except (ValueError, ZeroDivisionError, InvalidOperation, ArithmeticError):
        raise ctx.fail(key, f"expected an exact number (e.g. \"1.7909\" or \"2/3\"), got {value!r}") from None
    if f < 0 and not allow_negative:
        raise ctx.fail(key, f"must not be negative, got {value!r}")
    if f == 0 and not allow_zero:
        raise ctx.fail(key, f"must be positive, got {value!r}")
    return f


def _shares(ctx: _Ctx, key: str, value: Any, *, allow_zero: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and re.fullmatch(r"\s*\d[\d,_]*\s*", value):
            value = int(value.replace(",", "").replace("_", ""))
        else:
            raise ctx.fail(key, f"expected a whole number of shares, got {value!r}")
    if value < 0 or (value == 0 and not allow_zero):
        raise ctx.fail(key, f"must be a positive number of shares, got {value}")
    if value > MAX_SHARES:
        raise ctx.fail(key, f"implausibly many shares ({value}); at most {MAX_SHARES}")
    return value


def _text(ctx: _Ctx, key: str, value: Any, *, required: bool = True) -> str | None:
    if value is None:
        if required:
            raise ctx.fail(key, "missing")
        return None
    if not isinstance(value, str):
        raise ctx.fail(key, f"expected text, got {value!r}")
    if any(ord(ch) < 32 and ch not in "\t" for ch in value):
        raise ctx.fail(key, "contains control characters")
    return value


def _ident(ctx: _Ctx, key: str, value: Any) -> str:
    s = _text(ctx, key, value)
    assert s is not None
    if not ID_RE.match(s):
        raise ctx.fail(key, f"not a valid id {s!r} (letters, digits, '.', '_' or '-', at most 64)")
    return s


def _table(ctx: _Ctx, key: str, value: Any, allowed: set[str], required: set[str] = frozenset()) -> dict:
    if not isinstance(value, dict):
        raise ctx.fail(key, f"expected a table, got {type(value).__name__}")
    for k in value:
        if k not in allowed:
            hint = ", ".join(sorted(allowed))
            raise ctx.fail(f"{key}.{k}" if key else k, f"unknown key (allowed: {hint})")
    for k in sorted(required):
        if k not in value:
            raise ctx.fail(f"{key}.{k}" if key else k, "missing required key")
    return value


def _list(ctx: _Ctx, key: str, value: Any) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ctx.fail(key, f"expected a list, got {type(value).__name__}")
    return value


def _bool(ctx: _Ctx, key: str, value: Any, default: bool) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ctx.fail(key, f"expected true or false, got {value!r}")
    return value


def _choice(ctx: _Ctx, key: str, value: Any, options: tuple[str, ...], default: str) -> str:
    if value is None:
        return default
    if value not in options:
        raise ctx.fail(key, f"must be one of {', '.join(options)}; got {value!r}")
    return value


# ---------------------------------------------------------------- loader

TOP_KEYS = {
    "format", "charter", "source", "common", "preferred", "series", "tiers", "class_votes",
    "automatic_conversion", "ipo_ratchets", "readings", "captable", "scenario",
}


def load_model(path: str | Path) -> Charter:
    """Read and validate a charter model; raises ModelError with a one-line message."""
    p = Path(path)
    shown = str(path)
    try:
        raw_bytes = p.read_bytes()
    except FileNotFoundError:
        raise ModelError(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise ModelError(f"{shown}: is a directory, not a charter model") from None
    except OSError as e:
        raise ModelError(f"{shown}: cannot read ({e.strerror})") from None
    try:
        text = raw_bytes.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ModelError(f"{shown}: not UTF-8 text (byte {e.start})") from None
    return loads_model(text, shown, base_dir=p.parent)


def loads_model(text: str, path: str = "<model>", base_dir: Path | None = None) -> Charter:
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as e:
        msg = str(e).splitlines()[0] if str(e) else "invalid TOML"
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        if m:
            msg = msg[: m.start()].strip()
            raise ModelError(f"{path}:{m.group(1)}: TOML syntax error: {msg} (column {m.group(2)})") from None
        raise ModelError(f"{path}: TOML syntax error: {msg}") from None
    ctx = _Ctx(path, _locate_lines(text))
    return _build(ctx, data, base_dir)


def _build(ctx: _Ctx, data: dict, base_dir: Path | None) -> Charter:
    _table(ctx, "", data, TOP_KEYS, {"charter", "series", "tiers", "captable"})
    fmt = data.get("format", 1)
    if fmt != 1:
        raise ctx.fail("format", f"unsupported format version {fmt!r} (this tool reads 1)")

    ch = _table(ctx, "charter", data["charter"], {"id", "name"}, {"id"})
    cid = _text(ctx, "charter.id", ch["id"])
    if not CHARTER_ID_RE.match(cid):
        raise ctx.fail("charter.id", f"not a valid charter id {cid!r} (lower-case letters, digits, '_' or '-')")
    name = _text(ctx, "charter.name", ch.get("name"), required=False) or cid

    src = _table(ctx, "source", data.get("source", {}), {"text", "document"})
    text_path = None
    if src.get("text") is not None:
        t = _text(ctx, "source.text", src["text"])
        text_path = (base_dir / t) if base_dir is not None else Path(t)
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
    series: list[Series] = []
    ids: set[str] = set()
    for i, sr in enumerate(series_raw):
        k = f"series[{i}]"
        sr = _table(
            ctx, k, sr,
            {"id", "name", "designated", "original_issue_price", "source", "external", "note",
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
            )
        )
    by_id = {s.id: s for s in series}

    def known_series(key: str, value: Any) -> str:
        sid = _text(ctx, key, value)
        if sid not in by_id:
            raise ctx.fail(key, f"unknown series id {sid!r} (known: {', '.join(by_id)})")
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
            sid = known_series(f"{k}.series", m)
            if sid in placed:
                raise ctx.fail(f"{k}.series", f"series {sid!r} is in two tiers ({placed[sid]!r} and {tid!r})")
            placed[sid] = tid
            members.append(sid)
        if not members:
            raise ctx.fail(f"{k}.series", "a tier needs at least one series")
        junior_to[tid] = [_text(ctx, f"{k}.junior_to", x) for x in _list(ctx, f"{k}.junior_to", tr.get("junior_to"))]
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
        for ref in junior_to[t.id]:
            if ref not in tier_ids:
                raise ctx.fail(f"tiers[{i}].junior_to", f"unknown tier id {ref!r}")
    tiers = _order_tiers(ctx, tiers, junior_to)

    # ---- class votes
    votes: list[ClassVote] = []
    in_vote: dict[str, str] = {}
    for i, vr in enumerate(_list(ctx, "class_votes", data.get("class_votes"))):
        k = f"class_votes[{i}]"
        vr = _table(ctx, k, vr, {"id", "series", "threshold", "strict", "source"}, {"id", "series", "threshold", "source"})
        vid = _ident(ctx, f"{k}.id", vr["id"])
        if vid in by_id or vid == COMMON or any(v.id == vid for v in votes):
            raise ctx.fail(f"{k}.id", f"class vote id {vid!r} collides with a series or another vote")
        members = []
        for m in _list(ctx, f"{k}.series", vr["series"]):
            sid = known_series(f"{k}.series", m)
            if sid in members:
                raise ctx.fail(f"{k}.series", f"series {sid!r} is listed twice")
            if sid in in_vote:
                raise ctx.fail(f"{k}.series", f"series {sid!r} already converts by class vote {in_vote[sid]!r}")
            if by_id[sid].conversion is None:
                raise ctx.fail(f"{k}.series", f"series {sid!r} has no conversion right to vote on")
            in_vote[sid] = vid
            members.append(sid)
        if len(members) < 1:
            raise ctx.fail(f"{k}.series", "a class vote needs at least one series")
        thr = _money(ctx, f"{k}.threshold", vr["threshold"])
        if not (0 <= thr < 1):
            raise ctx.fail(f"{k}.threshold", f"must be a fraction in [0, 1), got {_fmt(thr)}")
        votes.append(ClassVote(vid, tuple(members), thr, _bool(ctx, f"{k}.strict", vr.get("strict"), True),
                               _text(ctx, f"{k}.source", vr["source"])))

    # ---- automatic conversion
    autos: list[AutomaticConversion] = []
    for i, ar in enumerate(_list(ctx, "automatic_conversion", data.get("automatic_conversion"))):
        k = f"automatic_conversion[{i}]"
        ar = _table(ctx, k, ar, {"id", "series", "min_price_per_share", "min_aggregate", "min_valuation", "vote",
                                 "source", "note"}, {"id", "series", "source"})
        vseries: tuple[str, ...] = ()
        vthr = None
        vstrict = True
        if "vote" in ar:
            vt = _table(ctx, f"{k}.vote", ar["vote"], {"series", "threshold", "strict"}, {"series", "threshold"})
            vseries = tuple(known_series(f"{k}.vote.series", x) for x in _list(ctx, f"{k}.vote.series", vt["series"]))
            vthr = _money(ctx, f"{k}.vote.threshold", vt["threshold"])
            vstrict = _bool(ctx, f"{k}.vote.strict", vt.get("strict"), True)

        def opt(name: str) -> Fraction | None:
            return _money(ctx, f"{k}.{name}", ar[name]) if name in ar else None

        autos.append(AutomaticConversion(
            _ident(ctx, f"{k}.id", ar["id"]),
            tuple(known_series(f"{k}.series", x) for x in _list(ctx, f"{k}.series", ar["series"])),
            opt("min_price_per_share"), opt("min_aggregate"), opt("min_valuation"),
            vseries, vthr, vstrict, _text(ctx, f"{k}.source", ar["source"]),
        ))

    ratchets: list[IpoRatchet] = []
    for i, rr in enumerate(_list(ctx, "ipo_ratchets", data.get("ipo_ratchets"))):
        k = f"ipo_ratchets[{i}]"
        rr = _table(ctx, k, rr, {"series", "kind", "floor_price", "steps", "source", "note"}, {"series", "kind", "source"})
        kind = _choice(ctx, f"{k}.kind", rr["kind"], ("price_floor", "discount_by_filing_date"), "price_floor")
        floor = None
        steps: list[RatchetStep] = []
        if kind == "price_floor":
            if "floor_price" not in rr:
                raise ctx.fail(f"{k}.floor_price", "a price_floor ratchet needs floor_price")
            floor = _money(ctx, f"{k}.floor_price", rr["floor_price"], allow_zero=False)
        else:
            for j, st in enumerate(_list(ctx, f"{k}.steps", rr.get("steps"))):
                sk = f"{k}.steps[{j}]"
                st = _table(ctx, sk, st, {"filed_by", "percent"}, {"percent"})
                fb = st.get("filed_by")
                if fb is not None and not isinstance(fb, _dt.date):
                    raise ctx.fail(f"{sk}.filed_by", f"expected a date like 2000-06-30, got {fb!r}")
                pct = _money(ctx, f"{sk}.percent", st["percent"], allow_zero=False)
                steps.append(RatchetStep(pct, fb if isinstance(fb, _dt.date) else None))
            if not steps:
                raise ctx.fail(f"{k}.steps", "a discount_by_filing_date ratchet needs steps")
        ratchets.append(IpoRatchet(known_series(f"{k}.series", rr["series"]), kind, floor, tuple(steps),
                                   _text(ctx, f"{k}.source", rr["source"])))

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
        outstanding[sid] = _shares(ctx, f"captable.outstanding.{sid}", v)
        if outstanding[sid] > by_id[sid].designated:
            raise ctx.fail(f"captable.outstanding.{sid}",
                           f"{outstanding[sid]} outstanding exceeds the {by_id[sid].designated} shares designated")
    dividends = {sid: _money(ctx, f"captable.dividends.{sid}", v)
                 for sid, v in _table(ctx, "captable.dividends", ct.get("dividends", {}), set(by_id)).items()}
    pools: list[OptionPool] = []
    for i, orow in enumerate(_list(ctx, "captable.options", ct.get("options"))):
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
        dict(ctx.lines),
    )


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
    """Parse a user-given amount ("100000000", "1e8", "$12,375,000", "2/3"); ValueError if not a number."""
    s = text.strip().replace(",", "").replace("_", "")
    if s.startswith("$"):
        s = s[1:]
    if not s:
        raise ValueError("empty")
    if "/" in s:
        a, _, b = s.partition("/")
        return Fraction(Decimal(a)) / Fraction(Decimal(b))
    d = Decimal(s)
    if not d.is_finite():
        raise ValueError("not finite")
    return Fraction(d)
