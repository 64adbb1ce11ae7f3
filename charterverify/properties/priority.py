"""priority: no junior series takes value ahead of a senior preference through conversion.

A converted series holds common, junior to every preference, unless its conversion also pays
cash (Quintus' Cash Amounts) ranked before the preferences (reading cash_on_conversion =
before_preferences). The check finds, from the proved forms of the reported equilibrium and the
exact breakpoint payouts, an exit value where a series that converted is paid while a series of
a more senior tier that kept its preferred is short of its preference.

Severity: warning when it happens in the reported equilibrium (shown with an exit value and the
amounts; the ranking is a reading of the text, so the finding names it); info when the cash
ranks ahead of a senior tier but no equilibrium exit value shows it.
"""

from __future__ import annotations

from fractions import Fraction

from ..evaluate import choice_of
from ..findings import Finding, Severity
from ..model import Charter
from ..solver.breakpoints import Analysis
from .base import Locator, const, merge_ranges, range_text, fx, make_finding, money, positive_region, simplest_between, sub, unproved_findings, price
from .seniority import full_amount

RULE = "priority"
DESCRIPTION = "no junior series takes value ahead of a senior preference through conversion"


def _rank(model: Charter, sid: str) -> int:
    for i, t in enumerate(model.tiers):
        if sid in t.series:
            return i
    return len(model.tiers)


def _cash_series(model: Charter) -> list[str]:
    return [s.id for s in model.series if s.conversion is not None and s.conversion.cash_per_share]


def applies(model: Charter) -> bool:
    return any(s.conversion is not None for s in model.series) and len(model.tiers) > 0


def check(model: Charter, an: Analysis) -> list[Finding]:
    loc = Locator(model)
    regions: dict[tuple[str, str], list] = {}  # (junior, senior) -> [(lo, hi, E, junior pay, senior pay, profile)]
    order = [x.id for x in model.series]

    def consider(lo, hi, profile, forms=None, payouts=None):
        converted = choice_of(an.units, profile).converted
        for j in sorted(converted, key=order.index):
            for s in model.series:
                sid = s.id
                if sid in converted or _rank(model, sid) >= _rank(model, j):
                    continue
                full = full_amount(model, sid)
                if full <= 0:
                    continue
                if forms is not None:
                    reg = positive_region(lo, hi, [sub(const(full), forms[sid]), forms[j]])
                    if reg is None:
                        continue
                    E = simplest_between(*reg)
                    sp = forms[sid][0] + forms[sid][1] * E
                    jp = forms[j][0] + forms[j][1] * E
                    lo2, hi2 = reg
                else:
                    sp, jp, E = payouts[sid], payouts[j], lo
                    if not (sp < full and jp > 0):
                        continue
                    lo2 = hi2 = lo
                regions.setdefault((j, sid), []).append((lo2, hi2, E, jp, sp, profile))

    for seg in an.segments:
        consider(seg.lo, seg.hi, seg.profile, forms=seg.forms)
    for x in sorted(an.points):
        if any(s.lo == x or s.hi == x for s in an.segments):
            pt = an.points[x]
            consider(x, x, pt.profile, payouts=pt.payouts)
    found: dict[tuple[str, str], Finding] = {}
    for (j, sid), regs in sorted(regions.items(), key=lambda kv: (order.index(kv[0][0]), order.index(kv[0][1]))):
        ranges = merge_ranges([(r[0], r[1]) for r in regs])
        first = min((r for r in regs if r[1] is None or r[0] < r[1]), key=lambda r: r[0], default=regs[0])
        _, _, E, jp, sp, profile = first
        found[(j, sid)] = _finding(model, loc, j, sid, E, jp, sp, full_amount(model, sid), profile, an, ranges)
    out = list(found.values())
    # latent: cash on conversion ranked ahead of a senior tier, never shown in equilibrium
    if model.readings.cash_on_conversion == "before_preferences":
        for j in _cash_series(model):
            seniors = [s.id for s in model.series if _rank(model, s.id) < _rank(model, j) and full_amount(model, s.id) > 0]
            if not seniors or any(k[0] == j for k in found):
                continue
            sj = model.get_series(j)
            out.append(make_finding(
                model, RULE, Severity.INFO,
                f"Series {j}'s cash on conversion ({sj.conversion.cash_source or sj.conversion.source}) ranks ahead of "
                f"the senior preference of Series {', '.join(seniors)} (reading cash_on_conversion = before_preferences), "
                f"but at no exit value does Series {j} convert while a senior series is short",
                clause=[sj.conversion.cash_source or sj.conversion.source],
                key=loc.series(j, "conversion.cash_per_share"),
                witness={"junior": j, "seniors": seniors, "reading": "before_preferences"},
            ))
    out += _cash_losers(model, loc, an)
    out += unproved_findings(model, an, RULE, "That no junior series is paid ahead of a senior preference")
    return out


def _cash_losers(model: Charter, loc, an) -> list[Finding]:
    """Every holder that loses to cash paid on conversion ranked ahead of the preferences: against
    the other reading (after_preferences), each holder's largest loss and where, computed exactly
    from the profile tables of both readings (`readings.effect`). Not only the senior tier: a
    pari passu or junior preference is short of what it would get too."""
    from ..readings import effect
    from .base import holder_label

    cash = _cash_series(model)
    if not cash or model.readings.cash_on_conversion != "before_preferences":
        return []
    eff = effect(model, "cash_on_conversion", an.tables)
    if not eff.computed or not eff.most_lost:
        return []
    lost = sorted(eff.most_lost.items(), key=lambda kv: (-kv[1][0], model.holders.index(kv[0])))
    by_x: dict = {}
    for h, (v, x) in lost:
        by_x.setdefault(x, []).append((h, v))
    parts = []
    for x, hv in sorted(by_x.items(), key=lambda kv: -sum(v for _, v in kv[1])):
        names = ", ".join(f"{holder_label(model, h)} {money(v)}" for h, v in hv)
        total = f" ({money(sum(v for _, v in hv))} together)" if len(hv) > 1 else ""
        parts.append(f"{names}{total} at {money(x)}")
    src = [model.get_series(j).conversion.cash_source or model.get_series(j).conversion.source for j in cash]
    return [make_finding(
        model, RULE, Severity.WARNING,
        f"The cash paid on conversion of Series {', '.join(cash)} ({'; '.join(dict.fromkeys(src))}) ranks ahead of every "
        f"preference (reading cash_on_conversion = before_preferences). Against paying it after the preferences, "
        f"these holders lose, each at most: {'; '.join(parts)}",
        clause=list(dict.fromkeys(src)), key=loc.series(cash[0], "conversion.cash_per_share"),
        witness={"reading": "before_preferences",
                 "losers": {h: {"most_lost": fx(v), "at": fx(x)} for h, (v, x) in lost}},
    )]


def _finding(model, loc, j, sid, E, jp, sp, full, profile, an, ranges) -> Finding:
    sj = model.get_series(j)
    ss = model.get_series(sid)
    cash = sj.conversion.cash_per_share if sj.conversion else Fraction(0)
    how = ""
    clause = [ss.preference.source if ss.preference else None]
    key = loc.series(j, "conversion")
    if cash:
        how = (f" through its cash on conversion ({sj.conversion.cash_source or sj.conversion.source}, "
               f"{price(cash)} per share, reading cash_on_conversion = {model.readings.cash_on_conversion})")
        clause.insert(0, sj.conversion.cash_source or sj.conversion.source)
        key = loc.series(j, "conversion.cash_per_share")
    else:
        clause.insert(0, sj.conversion.source if sj.conversion else None)
    ts, tj = model.tier_of(sid), model.tier_of(j)
    return make_finding(
        model, RULE, Severity.WARNING,
        f"Series {j}{' (tier ' + tj.id + ')' if tj else ''} converts and is paid ahead of Series {sid}'s senior "
        f"preference for exit values {'; '.join(range_text(a, b) for a, b in ranges)}: at {money(E)} it takes "
        f"{money(jp)}{how} while Series {sid} (tier {ts.id}, ranking ahead of it) receives {money(sp)} of its "
        f"{money(full)} preference",
        clause=clause, key=key,
        witness={"ranges": [[fx(a), fx(b)] for a, b in ranges], "exit_value": fx(E), "junior": j, "junior_payout": fx(jp), "senior": sid,
                 "senior_payout": fx(sp), "senior_full": fx(full),
                 "converted": [u.id for u, a in zip(an.units, profile) if a],
                 "reading": model.readings.cash_on_conversion},
    )
