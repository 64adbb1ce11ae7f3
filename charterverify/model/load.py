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

from .exact import _fmt
from .fields import _Ctx, _bool, _choice, _ident, _list, _money, _shares, _table, _text
from .locate import _Locator, _locate_lines
from .messages import _clean, _describe, _join, _q, _short
from .types import (
    ANTI_DILUTION_COUNTS, ANTI_DILUTION_KINDS, ANTI_DILUTION_ROUNDING, AntiDilution,
    AutomaticConversion, CAP_DROPOUT_READINGS, CARVE_OUT, CASH_RANK_READINGS, CHARTER_ID_RE,
    COMMON, CapTable, Charter, ClassVote, Conversion, Exclusion, IpoRatchet, MAX_OPTION_POOLS,
    MAX_SERIES, ModelError, OptionPool, PARTICIPATION_KINDS, Participation, Preference,
    RatchetStep, Readings, SHORTFALL_BASES, Scenario, Series, Tier,
)


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


