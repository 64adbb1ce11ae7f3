"""consistency: the model's share counts, references and sibling terms hang together.

Checked on the Charter object itself (the loader enforces most of this for TOML input; a model
built or changed in code is checked the same way). No solver is involved:
- error: designated preferred beyond the authorized preferred; common needed for conversion
  (every series' outstanding shares as converted, option pools buying common or a series as
  converted) beyond the authorized common less the common outstanding; a reference to a series
  that does not exist; a series in two tiers or a tier listed twice (seniority must be a strict
  order: the tuple order of `Charter.tiers`, so a cycle can only show up as such a duplicate);
  a series with a preference in no tier.
- info: a cap multiple, preference multiple or declared dividend rate (per share, over the
  original issue price) that breaks the pattern of its numbered siblings (G1 ... G6): the value
  most siblings share, when a strict majority of at least two share it.
"""

from __future__ import annotations

import re
from collections import Counter
from fractions import Fraction

from ..findings import Finding, Severity
from ..model import COMMON, Charter
from .base import Locator, fx, join_names, make_finding, number, price

RULE = "consistency"
DESCRIPTION = "share counts within the authorized stock, references resolve, seniority is an order, sibling terms follow their pattern"

_FAMILY_RE = re.compile(r"^(.*?[A-Za-z])[-_.]?(\d+)$")


def check(model: Charter, an=None) -> list[Finding]:
    loc = Locator(model)
    out: list[Finding] = []
    out += _authorized(model, loc)
    out += _references(model, loc)
    out += _siblings(model, loc)
    return out


def _authorized(model: Charter, loc: Locator) -> list[Finding]:
    out = []
    if model.preferred_authorized is not None:
        designated = sum(s.designated for s in model.series)
        if designated > model.preferred_authorized:
            out.append(make_finding(
                model, RULE, Severity.ERROR,
                f"The series designate {number(designated)} preferred shares, more than the "
                f"{number(model.preferred_authorized)} authorized ({model.preferred_source or 'preferred'})",
                clause=[model.preferred_source] + [s.source for s in model.series], key="preferred.authorized",
                witness={"designated": designated, "authorized": model.preferred_authorized},
            ))
    if model.common_authorized is not None:
        ratio = {s.id: s.ratio for s in model.series}
        # a series without an outstanding count needs none here (_references reports it)
        series_need = sum((model.captable.outstanding.get(s.id, 0) * ratio[s.id] for s in model.series), Fraction(0))
        pool_need = sum((Fraction(p.count) if p.buys == COMMON else p.count * ratio.get(p.buys, Fraction(0))
                         for p in model.captable.options), Fraction(0))
        need = series_need + pool_need
        free = model.common_authorized - model.captable.common_outstanding
        if need > free:
            parts = f"{number(series_need)} for the preferred as converted"
            if pool_need:
                parts += f" and {number(pool_need)} for the option pools"
            out.append(make_finding(
                model, RULE, Severity.ERROR,
                f"Conversion needs {number(need)} common shares ({parts}) but only {number(free)} are authorized and "
                f"unissued ({number(model.common_authorized)} authorized, {number(model.captable.common_outstanding)} "
                f"outstanding)",
                clause=[model.common_source] + [s.conversion.source for s in model.series if s.conversion],
                key="common.authorized",
                witness={"needed": fx(need), "available": free, "authorized": model.common_authorized,
                         "common_outstanding": model.captable.common_outstanding},
            ))
    return out


def _references(model: Charter, loc: Locator) -> list[Finding]:
    out = []
    ids = {s.id for s in model.series}

    def missing(where: str, sid: str, key: str | None, clause: str | None):
        out.append(make_finding(
            model, RULE, Severity.ERROR, f"{where} refers to Series {sid}, which the model does not define",
            clause=clause, key=key, witness={"series": sid},
        ))

    seen_tiers: set[str] = set()
    placed: dict[str, str] = {}
    for t in model.tiers:
        key = loc.tier(t.id) if t.id in loc.tier_index else "tiers"
        if t.id in seen_tiers:
            out.append(make_finding(
                model, RULE, Severity.ERROR, f"Tier {t.id} ({t.source}) is listed twice: seniority is not an order",
                clause=t.source, key=key, witness={"tier": t.id},
            ))
        seen_tiers.add(t.id)
        for sid in t.series:
            if sid not in ids:
                missing(f"Tier {t.id} ({t.source})", sid, key, t.source)
            elif sid in placed and placed[sid] != t.id:
                out.append(make_finding(
                    model, RULE, Severity.ERROR,
                    f"Series {sid} is in two tiers ({placed[sid]} and {t.id}): it would rank ahead of itself",
                    clause=t.source, key=key, witness={"series": sid, "tiers": [placed[sid], t.id]},
                ))
            placed.setdefault(sid, t.id)
    for s in model.series:
        if s.preference is not None and s.preference.per_share and s.id not in placed:
            out.append(make_finding(
                model, RULE, Severity.ERROR,
                f"Series {s.id} has a preference ({s.preference.source}) but is in no seniority tier",
                clause=s.preference.source, key=loc.series(s.id, "preference"), witness={"series": s.id},
            ))
        if s.id not in model.captable.outstanding:
            out.append(make_finding(
                model, RULE, Severity.ERROR, f"Series {s.id} has no outstanding share count in the cap table",
                clause="assumption", key="captable.outstanding", witness={"series": s.id},
            ))
    for v in model.class_votes:
        for sid in v.series:
            if sid not in ids:
                missing(f"Class vote {v.id} ({v.source})", sid, loc.vote(v.id), v.source)
    for a in model.automatic_conversions:
        for sid in tuple(a.series) + tuple(a.vote_series):
            if sid not in ids:
                missing(f"Automatic conversion {a.id} ({a.source})", sid, loc.auto(a.id), a.source)
    for i, r in enumerate(model.ipo_ratchets):
        if r.series not in ids:
            missing(f"The IPO ratchet ({r.source})", r.series, f"ipo_ratchets[{i}]", r.source)
    for i, p in enumerate(model.captable.options):
        if p.buys != COMMON and p.buys not in ids:
            missing(f"Option pool {p.id}", p.buys, f"captable.options[{i}]", p.source)
    for sid in model.captable.outstanding:
        if sid not in ids:
            missing("The cap table", sid, "captable.outstanding", "assumption")
    return out


def _families(model: Charter) -> dict[str, list]:
    fam: dict[str, list] = {}
    for s in model.series:
        m = _FAMILY_RE.match(s.id)
        if m:
            fam.setdefault(m.group(1), []).append(s)
    return {k: v for k, v in fam.items() if len(v) >= 3}


def _siblings(model: Charter, loc: Locator) -> list[Finding]:
    out = []
    for name, members in _families(model).items():
        checks = [
            ("cap", "participation.cap", "cap",
             {s.id: s.participation.cap / s.original_issue_price for s in members if s.participation.kind == "capped"},
             lambda s: s.participation.cap, lambda s: s.participation.source),
            ("preference", "preference.per_share", "preference",
             {s.id: s.preference.per_share / s.original_issue_price for s in members if s.preference},
             lambda s: s.preference.per_share, lambda s: s.preference.source),
            ("dividend", None, "declared dividend",
             {s.id: model.dividends(s.id) / s.original_issue_price for s in members}
             if any(model.dividends(s.id) for s in members) else {},
             lambda s: model.dividends(s.id), lambda s: "assumption"),
        ]
        for kind, sub, label, multiples, amount, source in checks:
            if len(multiples) < 3:
                continue
            counts = Counter(multiples.values())
            mode, k = counts.most_common(1)[0]
            if k < 2 or 2 * k <= len(multiples) or k == len(multiples):
                continue
            agreeing = [sid for sid, v in multiples.items() if v == mode]
            for sid, v in multiples.items():
                if v == mode:
                    continue
                s = model.get_series(sid)
                expected = mode * s.original_issue_price
                key = loc.series(sid, sub) if sub else f"captable.dividends.{sid}"
                out.append(make_finding(
                    model, RULE, Severity.INFO,
                    f"Series {sid}'s {label} of {price(amount(s))} per share ({source(s)}) breaks the pattern of "
                    f"Series {join_names(agreeing)} ({number(mode)} × the original issue price): "
                    f"{number(mode)} × {price(s.original_issue_price)} = {price(expected)}",
                    clause=source(s), key=key,
                    witness={"series": sid, "kind": kind, "value": fx(amount(s)), "expected": fx(expected),
                             "multiple": fx(mode), "actual_multiple": fx(v), "siblings": agreeing},
                ))
    return out
