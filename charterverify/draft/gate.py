"""Model and text checked against each other: a loaded model vs. a fresh draft of its text.

`model_facts(charter)` states a model's economics in the drafter's fact keys;
`compare(charter, draft)` pairs them up, fact by fact:

* equal      the model states what the text states;
* review     the drafter could not read it with confidence (not a disagreement);
* reading    the model states a reading the text leaves open (`READINGS`: the `[readings]`
             choices, the cap table, numbers the model states as assumptions where the
             text states none, and per-charter entries in `CHARTER_READINGS`): not a
             disagreement;
* differs    the text states another value: a finding, at the model's line and the
             text's line ("series[E].conversion.price = 8.30, but IV.B.3(a) states $4.15
             (line 374)");
* missing    the drafter found nothing for it.

`gate_findings(charter)` drafts the model's text and returns the `differs` as findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..findings import Finding, Severity
from .facts import Draft, Fact, fmt_value


_CACHE: dict[tuple, Draft] = {}


def cached_draft(path, text: str | None = None) -> Draft:
    """`draft_document(path)`, drafted once per file content: `verify` runs the gate and the
    traceability check on the same text."""
    from pathlib import Path

    from . import draft_document

    p = Path(path)
    body = text if text is not None else p.read_text(encoding="utf-8", errors="replace")
    key = (str(p.resolve()), hash(body))
    if key not in _CACHE:
        if len(_CACHE) > 16:
            _CACHE.clear()
        _CACHE[key] = draft_document(p, text)
    return _CACHE[key]


def norm_id(sid: str) -> str:
    return sid.replace("-", "").replace(" ", "").replace("_", "").upper()


@dataclass
class ModelFact:
    key: str  # the drafter's key, with the model's series id
    value: object
    path: str  # the model key path, e.g. series[4].conversion.price
    line: int | None
    assumed: bool = False  # the model states it as an assumption (source "assumption")


def model_facts(ch) -> list[ModelFact]:
    out: list[ModelFact] = []
    L = ch.lines

    def add(key, value, path, source=None):
        assumed = str(source or "").strip().lower() in ("assumption", "assumed")
        out.append(ModelFact(key, value, path, L.get(path), assumed))

    if ch.common_authorized is not None:
        add("authorized.common", ch.common_authorized, "common.authorized", ch.common_source or "assumption")
    if ch.preferred_authorized is not None:
        add("authorized.preferred", ch.preferred_authorized, "preferred.authorized",
            ch.preferred_source or "assumption")
    for i, s in enumerate(ch.series):
        if s.external:
            continue
        k = f"series.{s.id}"
        add(f"{k}.designated", s.designated, f"series[{i}].designated", s.source)
        add(f"{k}.original_issue_price", s.original_issue_price, f"series[{i}].original_issue_price",
            s.price_source or s.source)
        if s.preference is not None:
            add(f"{k}.preference_per_share", s.preference.per_share, f"series[{i}].preference.per_share")
        add(f"{k}.participation", s.participation.kind, f"series[{i}].participation.kind")
        if s.participation.kind == "capped":
            add(f"{k}.participation_cap_per_share", s.participation.cap, f"series[{i}].participation.cap")
        if s.conversion is not None:
            add(f"{k}.conversion_price", s.conversion.price, f"series[{i}].conversion.price")
            if s.conversion.cash_per_share:
                add(f"{k}.conversion_cash_per_share", s.conversion.cash_per_share,
                    f"series[{i}].conversion.cash_per_share")
    internal = [t for t in ch.tiers if any(not ch.get_series(x).external for x in t.series)]
    for n, t in enumerate(internal, 1):
        ti = list(ch.tiers).index(t)
        for sid in t.series:
            if not ch.get_series(sid).external:
                add(f"series.{sid}.tier", n, f"tiers[{ti}].series")
    autos = ch.automatic_conversions
    if autos:
        for attr, key, path in (("min_price_per_share", "auto.offering_min_price", "min_price_per_share"),
                                ("min_aggregate", "auto.offering_min_proceeds", "min_aggregate"),
                                ("vote_threshold", "auto.vote_threshold", "vote")):
            vals = {getattr(a, attr) for a in autos}
            if len(vals) == 1 and None not in vals:
                add(key, vals.pop(), f"automatic_conversion[0].{path}")
            elif vals - {None}:
                # the series differ: one fact cannot hold it; the draft must say review
                add(key, "per-series", f"automatic_conversion[0].{path}")
    for i, v in enumerate(ch.class_votes):
        add(f"class_vote.{'+'.join(v.series)}", v.threshold, f"class_votes[{i}].threshold")
    # the readings and the cap table: what the text leaves open, stated by the model
    add("readings.cap_dropout", ch.readings.cap_dropout, "readings.cap_dropout")
    add("readings.cash_on_conversion", ch.readings.cash_on_conversion, "readings.cash_on_conversion")
    if ch.captable.assumption:
        add("captable.common_outstanding", ch.captable.common_outstanding, "captable.common_outstanding")
        for s in ch.series:
            if not s.external and s.id in ch.captable.outstanding:
                add(f"captable.outstanding.{s.id}", ch.captable.outstanding[s.id], f"captable.outstanding.{s.id}")
    return out


# Documented readings (docs/charter-format.md, "Readings of ambiguous text" and "Cap table"):
# fact key pattern (fnmatch) -> why the model's value is not a disagreement with the text.
READINGS: dict[str, str] = {
    "readings.cap_dropout": "a reading: charters with capped participation do not say whether the first series "
                            "to reach its cap ends the others' participation (own_cap / first_cap_ends)",
    "readings.cash_on_conversion": "a reading: charters that pay cash on conversion do not rank it against the "
                                   "liquidation preferences (before_preferences / after_preferences)",
    "captable.*": "an assumption: outstanding shares are not stated in a charter; the cap table is assumed",
}
# Per charter: (charter id, fact key) -> why.  A model that states, for one charter, a reading of a
# clause the drafter reads otherwise goes here, with the clause and the reason.
CHARTER_READINGS: dict[tuple[str, str], str] = {}
# a number the model states as an assumption (source "assumption") is a reading when the text
# states no value for it (the drafter finds none, or only a review item); when the text states
# another value, the assumption contradicts the text and the gate reports it.
ASSUMED = "an assumption of the model: the text does not state this number"


def documented_reading(ch, mf: ModelFact, df: Fact | None) -> str | None:
    """Why the model's value of this fact is a documented reading, or None."""
    from fnmatch import fnmatchcase

    if (ch.id, mf.key) in CHARTER_READINGS:
        return CHARTER_READINGS[(ch.id, mf.key)]
    for pat, why in READINGS.items():
        if fnmatchcase(mf.key, pat):
            return why
    if mf.assumed and (df is None or df.review):
        return ASSUMED
    return None


@dataclass
class Comparison:
    mf: ModelFact
    status: str  # equal | review | reading | differs | missing
    df: Fact | None = None
    why: str = ""


def _draft_key(mf_key: str, ids: dict[str, str]) -> str:
    if mf_key.startswith("series."):
        rest = mf_key[len("series."):]
        sid, _, field = rest.rpartition(".")
        return f"series.{ids.get(norm_id(sid), sid)}.{field}"
    return mf_key


def _cash_fact(draft: Draft, dkey: str) -> Fact | None:
    """The drafter keeps cash paid on conversion in `extra` (sid -> (value, clause, line))."""
    sid = dkey[len("series."):-len(".conversion_cash_per_share")]
    got = draft.extra.get("cash_on_conversion", {}).get(sid)
    if not got:
        return None
    return Fact(dkey, got[0], got[1], got[2], f"cash payment of ${fmt_value(got[0])} per share of Series {sid}")


def compare(ch, draft: Draft) -> list[Comparison]:
    ids = {norm_id(s): s for s in draft.series_ids()}
    out: list[Comparison] = []
    for mf in model_facts(ch):
        if mf.key.startswith("class_vote."):
            members = {norm_id(x) for x in mf.key[len("class_vote."):].split("+")}
            found = [v for v in draft.extra.get("class_votes", []) if {norm_id(x) for x in v["series"]} == members]
            if not found:
                out.append(Comparison(mf, "missing", why="no class vote on conversion of these series was read"))
            else:
                v = found[0]
                df = Fact(mf.key, v["threshold"], v["source"], v["line"], v["quote"])
                out.append(Comparison(mf, "equal" if Fraction(mf.value) == v["threshold"] else "differs", df))
            continue
        dkey = _draft_key(mf.key, ids)
        if dkey.endswith(".conversion_cash_per_share"):
            df = _cash_fact(draft, dkey)
        else:
            df = draft.get(dkey)
        why = documented_reading(ch, mf, df)
        if why is not None:
            out.append(Comparison(mf, "reading", df, why))
            continue
        if df is None:
            out.append(Comparison(mf, "missing", None))
            continue
        if df.review:
            out.append(Comparison(mf, "review", df, df.note))
            continue
        mv = mf.value
        dv = df.value
        if isinstance(mv, (int, Fraction)) and isinstance(dv, (int, Fraction)) and not isinstance(dv, bool):
            same = Fraction(mv) == Fraction(dv)
        else:
            same = str(mv).lower() == str(dv).lower()
        out.append(Comparison(mf, "equal" if same else "differs", df))
    return out


def _show(v) -> str:
    return fmt_value(v) if isinstance(v, (Fraction, int)) and not isinstance(v, bool) else str(v)


def _display_path(ch, path: str) -> str:
    """"series[4].conversion.price" -> "series[E].conversion.price"."""
    import re

    m = re.match(r"series\[(\d+)\](.*)$", path)
    if m and int(m.group(1)) < len(ch.series):
        return f"series[{ch.series[int(m.group(1))].id}]{m.group(2)}"
    return path


def _money_text(key: str, v) -> str:
    s = _show(v)
    money_keys = ("price", "preference", "cap", "offering_min", "cash")
    return "$" + s if any(k in key for k in money_keys) and isinstance(v, (Fraction, int)) else s


def gate_findings(ch, draft: Draft | None = None, text_path=None) -> list[Finding]:
    """Findings where the model states a value its text states otherwise: "series[E].conversion.price
    = 8.30, but IV.B.3(a) states $4.15 (line 367)", at the model's line."""
    path = text_path or ch.text_path
    if path is None or not path.exists():
        return []
    if draft is None:
        try:
            draft = cached_draft(path)  # the traceability check drafted the same text already
        except Exception as e:  # a text the drafter cannot read must not stop verify
            return [Finding("text.gate", Severity.INFO, f"the gate could not draft the text: {type(e).__name__}: {e}",
                            file=ch.path)]
    out: list[Finding] = []
    for c in compare(ch, draft):
        if c.status != "differs" or c.df is None:
            continue
        df = c.df
        where = df.source or "the text"
        msg = (f"{_display_path(ch, c.mf.path)} = {_show(c.mf.value)}, but {where} states "
               f"{_money_text(c.mf.key, df.value)} (line {df.line}): \"{df.quote[:120]}\"")
        out.append(Finding("text.gate", Severity.ERROR, msg, clause=df.source or None, file=ch.path,
                           line=c.mf.line, witness={"model": _show(c.mf.value), "text": _show(df.value),
                                                    "text_line": str(df.line)}))
    return out
