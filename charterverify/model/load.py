"""The loader: TOML text -> validated `Charter`."""

from __future__ import annotations

import datetime as _dt
import os
import re
import tomllib
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from . import keys as _keys
from .exact import _fmt
from .fields import _Ctx, _bool, _choice, _ident, _list, _money, _shares, _table, _text
from .locate import _Locator, _locate_lines
from .messages import _clean, _describe, _join, _q, _short
from .types import (
    ANTI_DILUTION_COUNTS, ANTI_DILUTION_KINDS, ANTI_DILUTION_ROUNDING, AntiDilution,
    AutomaticConversion, CARVE_OUT, CHARTER_ID_RE,
    COMMON, CapTable, Charter, ClassVote, Conversion, Exclusion, IpoRatchet, MAX_OPTION_POOLS,
    MAX_SERIES, ModelError, OptionPool, PARTICIPATION_KINDS, Participation, Preference,
    RATCHET_KINDS, READING_CHOICES, RatchetStep, Readings, SHORTFALL_BASES, VoteGroup, Scenario, Series, Tier,
    CatchUp, CommonClass, DIVIDEND_COMPOUNDING, OFFERING_PROCEEDS, REDEMPTION_BY, Redemption, SaleWaiver, Dividend,
    accrued_table, with_date,
)


# ---------------------------------------------------------------- loader

TOP_KEYS = {
    "format", "charter", "source", "common", "preferred", "series", "tiers", "class_votes",
    "automatic_conversion", "ipo_ratchets", "readings", "captable", "scenario", "anti_dilution", "catch_up",
    "common_classes", "redemption", "sale_waiver",
}

# Keys of the tables model/keys.py describes (one description: the loader's key sets, required keys
# and defaults here, the JSON Schema fragments and the docs' key tables generated from it).
PREFERENCE_KEYS, PREFERENCE_REQUIRED = _keys.PREFERENCE.names, _keys.PREFERENCE.required
DIVIDEND_KEYS, DIVIDEND_REQUIRED = _keys.DIVIDENDS.names, _keys.DIVIDENDS.required
READINGS_KEYS, READINGS_REQUIRED = _keys.READINGS.names, _keys.READINGS.required
CLASS_VOTE_KEYS, CLASS_VOTE_REQUIRED = _keys.CLASS_VOTE.names, _keys.CLASS_VOTE.required
VOTE_GROUP_KEYS, VOTE_GROUP_REQUIRED = _keys.VOTE_GROUP.names, _keys.VOTE_GROUP.required
AUTO_KEYS, AUTO_REQUIRED = _keys.AUTOMATIC_CONVERSION.names, _keys.AUTOMATIC_CONVERSION.required
RATCHET_KEYS, RATCHET_REQUIRED = _keys.IPO_RATCHET.names, _keys.IPO_RATCHET.required
STEP_KEYS, STEP_REQUIRED = _keys.RATCHET_STEP.names, _keys.RATCHET_STEP.required
CAPTABLE_KEYS, CAPTABLE_REQUIRED = _keys.CAPTABLE.names, _keys.CAPTABLE.required
OPTION_KEYS, OPTION_REQUIRED = _keys.OPTION_POOL.names, _keys.OPTION_POOL.required
TIER_KEYS, TIER_REQUIRED = _keys.TIER.names, _keys.TIER.required
CATCH_UP_KEYS, CATCH_UP_REQUIRED = _keys.CATCH_UP.names, _keys.CATCH_UP.required
SCENARIO_KEYS = _keys.SCENARIO.names
PARTICIPATION_KEYS, PARTICIPATION_REQUIRED = _keys.PARTICIPATION.names, _keys.PARTICIPATION.required
CONVERSION_KEYS, CONVERSION_REQUIRED = _keys.CONVERSION.names, _keys.CONVERSION.required
COMMON_CLASS_KEYS, COMMON_CLASS_REQUIRED = _keys.COMMON_CLASS.names, _keys.COMMON_CLASS.required
REDEMPTION_KEYS, REDEMPTION_REQUIRED = _keys.REDEMPTION.names, _keys.REDEMPTION.required
SALE_WAIVER_KEYS, SALE_WAIVER_REQUIRED = _keys.SALE_WAIVER.names, _keys.SALE_WAIVER.required

ANTI_DILUTION_KEYS, ANTI_DILUTION_REQUIRED = _keys.ANTI_DILUTION.names, _keys.ANTI_DILUTION.required
EXCLUSION_KEYS, EXCLUSION_REQUIRED = _keys.EXCLUSION.names, _keys.EXCLUSION.required


def load_model(path: str | Path) -> Charter:
    """Read and validate a charter model; raises ModelError with a one-line message."""
    p = Path(path)
    shown = str(path)
    try:
        raw_bytes = _read_model_bytes(p, shown)
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


MAX_FILING_DAYS = 36_525
MAX_FILING_MONTHS = 1_200
MAX_MODEL_BYTES = 2 * 1024 * 1024  # a charter model is a few kB; 2 MB leaves room and bounds memory
MAX_ARRAY_LENGTH = 10_000  # entries of any one array in a model
MAX_STRING_CHARS = 100_000  # characters of any one string (notes are the longest: a few kB)


def _read_model_bytes(p: Path, shown: str) -> bytes:
    """The model file's bytes, refusing before reading anything that is not a regular file of at
    most MAX_MODEL_BYTES (a FIFO would block, a device such as /dev/zero never ends)."""
    import stat as _stat

    st = os.stat(p)  # follows symlinks: the file a symlink names is what gets read
    if _stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(21, "is a directory")
    if not _stat.S_ISREG(st.st_mode):
        kind = ("a FIFO (named pipe)" if _stat.S_ISFIFO(st.st_mode) else
                "a device" if _stat.S_ISCHR(st.st_mode) or _stat.S_ISBLK(st.st_mode) else
                "a socket" if _stat.S_ISSOCK(st.st_mode) else "not a regular file")
        raise ModelError(_clean(f"{shown}: is {kind}, not a charter model file (give a regular .toml file)"))
    if st.st_size > MAX_MODEL_BYTES:
        raise ModelError(_clean(f"{shown}: {st.st_size} bytes, larger than a charter model may be "
                                f"({MAX_MODEL_BYTES} bytes, 2 MB)"))
    fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as fh:
        st2 = os.fstat(fh.fileno())  # the file opened is still a regular file (no swap since the stat)
        if not _stat.S_ISREG(st2.st_mode):
            raise ModelError(_clean(f"{shown}: not a regular file, not a charter model file"))
        data = fh.read(MAX_MODEL_BYTES + 1)
    if len(data) > MAX_MODEL_BYTES:  # grew (or /proc-like files report size 0)
        raise ModelError(_clean(f"{shown}: larger than a charter model may be ({MAX_MODEL_BYTES} bytes, 2 MB)"))
    return data


def _check_sizes(ctx: _Ctx, value: Any, key: str = "") -> None:
    """Every array at most MAX_ARRAY_LENGTH entries and every string at most MAX_STRING_CHARS."""
    stack = [(key, value)]
    while stack:
        k, v = stack.pop()
        if isinstance(v, str):
            if len(v) > MAX_STRING_CHARS:
                raise ctx.fail(k or "(top)", f"a text of {len(v)} characters, longer than a model value may be "
                                             f"({MAX_STRING_CHARS})")
        elif isinstance(v, list):
            if len(v) > MAX_ARRAY_LENGTH:
                raise ctx.fail(k or "(top)", f"a list of {len(v)} entries, more than a model may have "
                                             f"({MAX_ARRAY_LENGTH})")
            stack.extend((f"{k}[{i}]", x) for i, x in enumerate(v))
        elif isinstance(v, dict):
            for kk, x in v.items():
                if len(kk) > MAX_STRING_CHARS:
                    raise ctx.fail(k or "(top)", f"a key of {len(kk)} characters, longer than a model key may be")
                stack.append((_join(k, kk), x))


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
    _check_sizes(ctx, data)
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
             "preference", "participation", "conversion", "dividends"},
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
            pr = _table(ctx, f"{k}.preference", sr["preference"], PREFERENCE_KEYS, PREFERENCE_REQUIRED)
            per = _money(ctx, f"{k}.preference.per_share", pr["per_share"]) if "per_share" in pr else oip
            multiple = None
            if "multiple" in pr:
                if "per_share" in pr:
                    raise ctx.fail(f"{k}.preference.multiple", "give per_share or multiple, not both")
                multiple = _money(ctx, f"{k}.preference.multiple", pr["multiple"], allow_zero=False)
                per = multiple * oip
            pref = Preference(per, _text(ctx, f"{k}.preference.source", pr["source"]),
                              _bool(ctx, f"{k}.preference.greater_of_as_converted", pr.get("greater_of_as_converted"),
                                    _keys.PREFERENCE["greater_of_as_converted"].default), multiple)
        dividend = None
        if "dividends" in sr:
            dk = f"{k}.dividends"
            dr = _table(ctx, dk, sr["dividends"], DIVIDEND_KEYS, DIVIDEND_REQUIRED)
            if ("per_share" in dr) == ("rate" in dr):
                raise ctx.fail(f"{dk}.rate" if "rate" in dr else dk,
                               "give the annual rate as per_share (dollars) or rate (of the original issue price), "
                               "one of the two")
            cumulative = _bool(ctx, f"{dk}.cumulative", dr.get("cumulative"), _keys.DIVIDENDS["cumulative"].default)
            start = dr.get("start")
            if start is None and cumulative:
                raise ctx.fail(dk, "missing start: the date cumulative dividends begin to accrue "
                                   "(only non-cumulative dividends, cumulative = false, may omit it)")
            if start is not None and (not isinstance(start, _dt.date) or isinstance(start, _dt.datetime)):
                raise ctx.fail(f"{dk}.start", f"expected a date like 2020-01-15, got {_describe(start)}")
            dividend = Dividend(
                _text(ctx, f"{dk}.source", dr["source"]), start,
                _money(ctx, f"{dk}.per_share", dr["per_share"], allow_zero=False) if "per_share" in dr else None,
                _money(ctx, f"{dk}.rate", dr["rate"], allow_zero=False) if "rate" in dr else None,
                _choice(ctx, f"{dk}.compounding", dr.get("compounding"), DIVIDEND_COMPOUNDING,
                        _keys.DIVIDENDS["compounding"].default),
                _money(ctx, f"{dk}.cap", dr["cap"]) if "cap" in dr else None,
                _bool(ctx, f"{dk}.in_preference", dr.get("in_preference"), _keys.DIVIDENDS["in_preference"].default),
                cumulative,
            )
            if dividend.rate is not None and dividend.rate > 10:
                raise ctx.fail(f"{dk}.rate", f"a rate is a fraction of the original issue price per year "
                                             f"(\"0.08\" for 8%), got {_describe(dr['rate'])}")
        part = Participation("none", None, None)
        if "participation" in sr:
            pa = _table(ctx, f"{k}.participation", sr["participation"], PARTICIPATION_KEYS, PARTICIPATION_REQUIRED)
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
            co = _table(ctx, f"{k}.conversion", sr["conversion"], CONVERSION_KEYS, CONVERSION_REQUIRED)
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
                dividend,
            )
        )
        if pref is not None and pref.greater_of_as_converted:
            if conv is None:
                raise ctx.fail(f"{k}.preference.greater_of_as_converted",
                               "the greater of the preference and the as-converted amount needs a conversion price")
            if pref.per_share == 0:
                raise ctx.fail(f"{k}.preference.greater_of_as_converted",
                               "the greater of a zero preference and the as-converted amount: give the preference")
            if part.kind == "full":
                raise ctx.fail(f"{k}.preference.greater_of_as_converted",
                               "goes with no participation or capped participation (full participation already "
                               "pays at least the as-converted amount)")
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
        tr = _table(ctx, k, tr, TIER_KEYS, TIER_REQUIRED)
        tid = _ident(ctx, f"{k}.id", tr["id"])
        if tid in tier_ids:
            raise ctx.fail(f"{k}.id", f"tier id {tid!r} is used twice")
        tier_ids.add(tid)
        members = _series_list(ctx, f"{k}.series", tr["series"], known_series, "a tier needs at least one series",
                               f" in tier {tid!r}")
        for j, sid in enumerate(members):
            if sid in placed:
                raise ctx.fail(f"{k}.series[{j}]", f"series {sid!r} is in two tiers ({placed[sid]!r} and {tid!r})")
            placed[sid] = tid
        junior_to[tid] = [_text(ctx, f"{k}.junior_to[{j}]", x)
                          for j, x in enumerate(_list(ctx, f"{k}.junior_to", tr.get("junior_to")))]
        if tid in junior_to[tid]:
            raise ctx.fail(f"{k}.junior_to[{junior_to[tid].index(tid)}]", f"tier {tid!r} cannot be junior to itself")
        tiers.append(
            Tier(
                tid,
                tuple(members),
                _choice(ctx, f"{k}.shortfall", tr.get("shortfall"), SHORTFALL_BASES, _keys.TIER["shortfall"].default),
                _text(ctx, f"{k}.source", tr["source"]),
                _money(ctx, f"{k}.cap", tr["cap"], allow_zero=False) if "cap" in tr else None,
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
        vr = _table(ctx, k, vr, CLASS_VOTE_KEYS, CLASS_VOTE_REQUIRED)
        vid = _ident(ctx, f"{k}.id", vr["id"])
        if vid in by_id:
            raise ctx.fail(f"{k}.id", f"class vote id {vid!r} is also a series id (name the vote differently)")
        if vid in (COMMON, CARVE_OUT) or any(v.id == vid for v in votes):
            raise ctx.fail(f"{k}.id", f"class vote id {vid!r} is reserved or used by another class vote")
        members = _series_list(ctx, f"{k}.series", vr["series"], known_series, "a class vote needs at least one series")
        for j, sid in enumerate(members):
            if sid in in_vote:
                raise ctx.fail(f"{k}.series[{j}]", f"series {sid!r} already converts by class vote {in_vote[sid]!r}")
            if by_id[sid].conversion is None:
                raise ctx.fail(f"{k}.series[{j}]", f"series {sid!r} has no conversion right to vote on")
            in_vote[sid] = vid
        thr = _money(ctx, f"{k}.threshold", vr["threshold"])
        if not (0 <= thr < 1):
            raise ctx.fail(f"{k}.threshold", f"must be a fraction in [0, 1), got {_describe(vr['threshold'])}")
        votes.append(ClassVote(vid, tuple(members), thr,
                               _bool(ctx, f"{k}.strict", vr.get("strict"), _keys.CLASS_VOTE["strict"].default),
                               _text(ctx, f"{k}.source", vr["source"])))

    # ---- automatic conversion
    autos: list[AutomaticConversion] = []
    for i, ar in enumerate(_list(ctx, "automatic_conversion", data.get("automatic_conversion"))):
        k = f"automatic_conversion[{i}]"
        ar = _table(ctx, k, ar, AUTO_KEYS, AUTO_REQUIRED)
        auto = _keys.AUTOMATIC_CONVERSION
        proceeds = _choice(ctx, f"{k}.proceeds", ar.get("proceeds"), OFFERING_PROCEEDS, auto["proceeds"].default)
        offering_costs = None
        if "offering_costs" in ar:
            if proceeds != "net":
                raise ctx.fail(f"{k}.offering_costs", "offering_costs only go with proceeds = \"net\"")
            offering_costs = _money(ctx, f"{k}.offering_costs", ar["offering_costs"])
            if offering_costs >= 1:
                raise ctx.fail(f"{k}.offering_costs", f"must be a fraction below 1 of the gross proceeds, got "
                                                      f"{_describe(ar['offering_costs'])}")
        elif proceeds == "net":
            raise ctx.fail(f"{k}.offering_costs", "net proceeds need the offering costs assumed, as a fraction of "
                                                  "the gross (e.g. \"0.07\" for a 7% underwriting discount)")
        vseries: tuple[str, ...] = ()
        vthr = None
        vstrict = True
        vgroups: tuple[VoteGroup, ...] = ()
        if "vote" in ar:
            vgroups = _vote_groups(ctx, f"{k}.vote", ar["vote"], known_series)
            vseries, vthr, vstrict = vgroups[0].series, vgroups[0].threshold, vgroups[0].strict

        def opt(name: str) -> Fraction | None:
            # a price or multiple of 0 is no test at all (and a multiple divides): positive only
            positive = name in ("min_price_per_share", "min_price_multiple")
            return _money(ctx, f"{k}.{name}", ar[name], allow_zero=not positive) if name in ar else None

        aid = _ident(ctx, f"{k}.id", ar["id"])
        if any(a.id == aid for a in autos):
            raise ctx.fail(f"{k}.id", f"automatic conversion id {aid!r} is used twice")
        aseries = _series_list(ctx, f"{k}.series", ar["series"], known_series,
                               "an automatic conversion needs at least one series", unique=False)
        autos.append(AutomaticConversion(
            aid,
            aseries,
            opt("min_price_per_share"), opt("min_aggregate"), opt("min_valuation"),
            vseries, vthr, vstrict, _text(ctx, f"{k}.source", ar["source"]), opt("min_price_multiple"),
            _bool(ctx, f"{k}.strict", ar.get("strict"), auto["strict"].default), proceeds, offering_costs,
            _bool(ctx, f"{k}.direct_listing", ar.get("direct_listing"), auto["direct_listing"].default),
            _bool(ctx, f"{k}.company_option", ar.get("company_option"), auto["company_option"].default),
            vote_groups=vgroups,
        ))

    ratchets: list[IpoRatchet] = []
    for i, rr in enumerate(_list(ctx, "ipo_ratchets", data.get("ipo_ratchets"))):
        k = f"ipo_ratchets[{i}]"
        rr = _table(ctx, k, rr, RATCHET_KEYS, RATCHET_REQUIRED)
        kind = _choice(ctx, f"{k}.kind", rr["kind"], RATCHET_KINDS, RATCHET_KINDS[0])
        percent = below = None
        for rkey in ("percent", "below_price"):
            if rkey in rr and kind != "price_reset":
                raise ctx.fail(f"{k}.{rkey}", f"{rkey} only goes with kind = \"price_reset\"")
        if kind == "price_reset":
            if "percent" not in rr:
                raise ctx.fail(f"{k}.percent", "a price_reset ratchet needs percent (of the IPO price, e.g. \"0.8\")")
            percent = _money(ctx, f"{k}.percent", rr["percent"], allow_zero=False)
            if "below_price" in rr:
                below = _money(ctx, f"{k}.below_price", rr["below_price"], allow_zero=False)
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
        elif kind == "price_reset":
            for rkey in ("floor_price", "steps"):
                if rkey in rr:
                    raise ctx.fail(f"{k}.{rkey}", f"{rkey} does not go with kind = \"price_reset\"")
        else:
            if "floor_price" in rr:
                raise ctx.fail(f"{k}.floor_price", "a floor_price only goes with kind = \"price_floor\"")
            for j, st in enumerate(_list(ctx, f"{k}.steps", rr.get("steps"))):
                sk = f"{k}.steps[{j}]"
                st = _table(ctx, sk, st, STEP_KEYS, STEP_REQUIRED)
                fb = st.get("filed_by")
                if fb is not None and (not isinstance(fb, _dt.date) or isinstance(fb, _dt.datetime)):
                    raise ctx.fail(f"{sk}.filed_by", f"expected a date like 2000-06-30, got {_describe(fb)}")
                pct = _money(ctx, f"{sk}.percent", st["percent"], allow_zero=False)
                wd = _shares(ctx, f"{sk}.filed_within_days", st["filed_within_days"]) if "filed_within_days" in st else None
                wm = _shares(ctx, f"{sk}.filed_within_months", st["filed_within_months"]) if "filed_within_months" in st else None
                # calendar arithmetic needs a date in years 1..9999: periods up to 100 years
                if wd is not None and wd > MAX_FILING_DAYS:
                    raise ctx.fail(f"{sk}.filed_within_days", f"at most {MAX_FILING_DAYS} days (100 years), got {wd}")
                if wm is not None and wm > MAX_FILING_MONTHS:
                    raise ctx.fail(f"{sk}.filed_within_months", f"at most {MAX_FILING_MONTHS} months (100 years), got {wm}")
                steps.append(RatchetStep(pct, fb if isinstance(fb, _dt.date) else None, wd, wm))
            if not steps:
                raise ctx.fail(f"{k}.steps", "a discount_by_filing_date ratchet needs steps")
        ratchets.append(IpoRatchet(rsid, kind, floor, tuple(steps),
                                   _text(ctx, f"{k}.source", rr["source"]), percent, below))

    anti_dilution = _anti_dilution(ctx, data.get("anti_dilution"), by_id, known_series)

    # ---- readings
    readings = _readings(ctx, data)

    # ---- cap table
    ct = _table(ctx, "captable", data["captable"], CAPTABLE_KEYS, CAPTABLE_REQUIRED)
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
        orow = _table(ctx, k, orow, OPTION_KEYS, OPTION_REQUIRED)
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
                        _bool(ctx, "captable.assumption", ct.get("assumption"), _keys.CAPTABLE["assumption"].default),
                        _text(ctx, "captable.note", ct.get("note"), required=False))

    sc = _table(ctx, "scenario", data.get("scenario", {}), SCENARIO_KEYS)
    exit_date = sc.get("date")
    if exit_date is not None and (not isinstance(exit_date, _dt.date) or isinstance(exit_date, _dt.datetime)):
        raise ctx.fail("scenario.date", f"expected a date like 2026-06-30, got {_describe(exit_date)}")
    scenario = Scenario(
        _money(ctx, "scenario.transaction_costs", sc.get("transaction_costs", 0)),
        _money(ctx, "scenario.carve_out", sc.get("carve_out", 0)),
        _money(ctx, "scenario.carve_out_percent", sc.get("carve_out_percent", 0)),
        exit_date,
    )
    if scenario.carve_out_percent >= 1:
        raise ctx.fail("scenario.carve_out_percent", "must be a fraction below 1 (e.g. \"0.10\" for 10%)")

    catch_up = None
    if "catch_up" in data:
        cu = _table(ctx, "catch_up", data["catch_up"], CATCH_UP_KEYS, CATCH_UP_REQUIRED)
        catch_up = CatchUp(_money(ctx, "catch_up.per_share", cu["per_share"], allow_zero=False),
                           _text(ctx, "catch_up.source", cu["source"]))

    classes: list[CommonClass] = []
    for i, cr in enumerate(_list(ctx, "common_classes", data.get("common_classes"))):
        k = f"common_classes[{i}]"
        cr = _table(ctx, k, cr, COMMON_CLASS_KEYS, COMMON_CLASS_REQUIRED)
        ccid = _ident(ctx, f"{k}.id", cr["id"])
        if (ccid in by_id or ccid in (COMMON, CARVE_OUT) or any(c.id == ccid for c in classes)
                or any(p.id == ccid for p in pools) or any(v.id == ccid for v in votes)):
            raise ctx.fail(f"{k}.id", f"common class id {ccid!r} collides with another id")
        classes.append(CommonClass(ccid, _text(ctx, f"{k}.name", cr.get("name"), required=False) or ccid,
                                   _shares(ctx, f"{k}.outstanding", cr["outstanding"]),
                                   _text(ctx, f"{k}.source", cr["source"])))
    def _fraction(key: str, value: Any) -> Fraction:
        f = _money(ctx, key, value)
        if not f < 1:
            raise ctx.fail(key, f"must be a fraction in [0, 1), got {_describe(value)}")
        return f

    redemptions: list[Redemption] = []
    for i, xr in enumerate(_list(ctx, "redemption", data.get("redemption"))):
        k = f"redemption[{i}]"
        xr = _table(ctx, k, xr, REDEMPTION_KEYS, REDEMPTION_REQUIRED)
        rid = _ident(ctx, f"{k}.id", xr["id"])
        if any(r.id == rid for r in redemptions):
            raise ctx.fail(f"{k}.id", f"redemption id {rid!r} is used twice")
        rseries = _series_list(ctx, f"{k}.series", xr["series"], known_series,
                               "a redemption right needs at least one series")
        after = xr.get("after")
        if after is not None and (not isinstance(after, _dt.date) or isinstance(after, _dt.datetime)):
            raise ctx.fail(f"{k}.after", f"expected a date like 2005-04-01, got {_describe(after)}")
        redemptions.append(Redemption(
            rid, rseries,
            _choice(ctx, f"{k}.by", xr.get("by"), REDEMPTION_BY, _keys.REDEMPTION["by"].default),
            after,
            _money(ctx, f"{k}.price_per_share", xr["price_per_share"]) if "price_per_share" in xr else None,
            _bool(ctx, f"{k}.plus_dividends", xr.get("plus_dividends"), _keys.REDEMPTION["plus_dividends"].default),
            _shares(ctx, f"{k}.instalments", xr.get("instalments", 1)),
            _text(ctx, f"{k}.source", xr["source"]),
            _fraction(f"{k}.vote", xr["vote"]) if "vote" in xr else None,
        ))

    waivers: list[SaleWaiver] = []
    for i, wr in enumerate(_list(ctx, "sale_waiver", data.get("sale_waiver"))):
        k = f"sale_waiver[{i}]"
        wr = _table(ctx, k, wr, SALE_WAIVER_KEYS, SALE_WAIVER_REQUIRED)
        wid = _ident(ctx, f"{k}.id", wr["id"])
        if any(w.id == wid for w in waivers):
            raise ctx.fail(f"{k}.id", f"sale waiver id {wid!r} is used twice")
        wseries = _series_list(ctx, f"{k}.series", wr["series"], known_series, "a vote needs at least one series")
        waivers.append(SaleWaiver(wid, wseries, _fraction(f"{k}.threshold", wr["threshold"]),
                                  _text(ctx, f"{k}.source", wr["source"])))

    if len(classes) == 1:
        raise ctx.fail("common_classes", "list two or more classes of common (one class is just the common)")
    if classes and sum(c.outstanding for c in classes) != common_out:
        raise ctx.fail("common_classes", f"the classes hold {sum(c.outstanding for c in classes)} shares; "
                                         f"captable.common_outstanding is {common_out}")

    return Charter(
        cid, name, ctx.path, text_path, document, common_auth, common_src, pref_auth, pref_src,
        tuple(series), tuple(tiers), tuple(votes), captable, scenario, readings, tuple(autos), tuple(ratchets),
        dict(ctx.lines), anti_dilution, catch_up, tuple(classes), tuple(redemptions), tuple(waivers),
        accrued_table(series, scenario.date, readings),
    )


def _series_list(ctx: _Ctx, key: str, raw: Any, known_series, needs: str, twice: str = "",
                 unique: bool = True) -> tuple[str, ...]:
    """A list of known series ids at `key`: at least one (else `needs`), each once unless not `unique`
    ("series 'A' is listed twice" + `twice`, e.g. " in tier 'senior'")."""
    out: list[str] = []
    for j, x in enumerate(_list(ctx, key, raw)):
        sid = known_series(f"{key}[{j}]", x)
        if unique and sid in out:
            raise ctx.fail(f"{key}[{j}]", f"series {sid!r} is listed twice{twice}")
        out.append(sid)
    if not out:
        raise ctx.fail(key, needs)
    return tuple(out)


def _vote_groups(ctx: _Ctx, key: str, raw: Any, known_series) -> tuple[VoteGroup, ...]:
    """`vote`: one class's approval (a table) or every class whose approval the conversion needs
    (an array of tables: e.g. a majority of all preferred and 66 2/3% of Series E)."""
    many = isinstance(raw, list)
    out = []
    for i, group in enumerate(raw if many else [raw]):
        gk = f"{key}[{i}]" if many else key
        vt = _table(ctx, gk, group, VOTE_GROUP_KEYS, VOTE_GROUP_REQUIRED)
        vseries = _series_list(ctx, f"{gk}.series", vt["series"], known_series, "a vote needs at least one series",
                               " in one vote")
        vthr = _money(ctx, f"{gk}.threshold", vt["threshold"])
        if not (0 <= vthr < 1):
            raise ctx.fail(f"{gk}.threshold", f"must be a fraction in [0, 1), got {_describe(vt['threshold'])}")
        group_keys = _keys.VOTE_GROUP
        out.append(VoteGroup(vseries, vthr, _bool(ctx, f"{gk}.strict", vt.get("strict"), group_keys["strict"].default),
                             _bool(ctx, f"{gk}.separately", vt.get("separately"), group_keys["separately"].default)))
    if not out:
        raise ctx.fail(key, "a vote needs at least one class")
    return tuple(out)


def _readings(ctx: _Ctx, data: dict) -> Readings:
    """[readings]: each named reading of ambiguous text (READING_CHOICES), and why (`note`)."""
    rd = _table(ctx, "readings", data.get("readings", {}), READINGS_KEYS, READINGS_REQUIRED)
    values: dict[str, Any] = {}
    for name in READING_CHOICES:
        key = _keys.READINGS[name]
        if key.kind == "bool":
            values[name] = _bool(ctx, f"readings.{name}", rd.get(name), key.default)
        else:
            values[name] = _choice(ctx, f"readings.{name}", rd.get(name), key.allowed, key.default)
    return Readings(
        note=_text(ctx, "readings.note", rd.get("note"), required=False), **values,
    )


def with_reading(model: Charter, key: str, value: str) -> Charter:
    """The model under another reading (`--reading KEY=VALUE`); ModelError on an unknown key or value."""
    import dataclasses

    if key not in READING_CHOICES:
        raise ModelError(f"--reading {key}: unknown reading; the readings are {', '.join(READING_CHOICES)}")
    choices = READING_CHOICES[key]
    if isinstance(choices[0], bool):
        low = value.strip().lower()
        if low not in ("true", "false"):
            raise ModelError(f"--reading {key}={value}: must be true or false")
        v: Any = low == "true"
    else:
        if value not in choices:
            raise ModelError(f"--reading {key}={value}: must be one of {', '.join(choices)}")
        v = value
    out = dataclasses.replace(model, readings=dataclasses.replace(model.readings, **{key: v}))
    return with_date(out, out.scenario.date) if out.scenario.date is not None else out


def _anti_dilution(ctx: _Ctx, raw: Any, by_id: dict[str, Series], known_series) -> tuple[AntiDilution, ...]:
    """[[anti_dilution]]: conversion price adjustments for dilutive issuances (optional)."""
    out: list[AntiDilution] = []
    covered: dict[str, str] = {}
    for i, adr in enumerate(_list(ctx, "anti_dilution", raw)):
        k = f"anti_dilution[{i}]"
        adr = _table(ctx, k, adr, ANTI_DILUTION_KEYS, ANTI_DILUTION_REQUIRED)
        aid = _ident(ctx, f"{k}.id", adr["id"])
        if any(a.id == aid for a in out):
            raise ctx.fail(f"{k}.id", f"anti-dilution id {aid!r} is used twice")
        members = _series_list(ctx, f"{k}.series", adr["series"], known_series,
                               "an anti-dilution clause needs at least one series")
        for j, sid in enumerate(members):
            if sid in covered:
                raise ctx.fail(f"{k}.series[{j}]", f"series {sid!r} already has anti-dilution terms ({covered[sid]!r})")
            if by_id[sid].conversion is None:
                raise ctx.fail(f"{k}.series[{j}]", f"series {sid!r} has no conversion price to adjust")
            covered[sid] = aid
        kind = _choice(ctx, f"{k}.kind", adr.get("kind"), ANTI_DILUTION_KINDS, _keys.ANTI_DILUTION["kind"].default)
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
            exr = _table(ctx, ek, exr, EXCLUSION_KEYS, EXCLUSION_REQUIRED)
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
            minimum_source=_text(ctx, f"{k}.minimum_source", adr.get("minimum_source"), required=False),
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


