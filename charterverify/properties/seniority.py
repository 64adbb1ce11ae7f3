"""seniority: no junior tier (nor common) is paid while a senior tier is short of its preferences.

Proved piece by piece from the proved forms of the reported equilibrium (unmerged segments, so
the conversion profile is fixed on each), and at every breakpoint from its exact payouts:
a senior member that keeps its preferred is short where its payout is below its full
preferential amount (preference + declared dividends, times shares); a junior tier is paid
where one of its members that keeps its preferred, or common, receives a positive amount.
Both are affine on a segment, so the set of exit values where both hold is an interval,
computed exactly. Series that convert are left out: what a converted series takes ahead of a
senior preference (cash on conversion) is reported by `priority`.
"""

from __future__ import annotations

from fractions import Fraction

from ..evaluate import choice_of
from ..findings import Finding, Severity
from ..model import COMMON, Charter
from ..solver.breakpoints import Analysis
from .base import (
    Locator, const, fx, holder_label, make_finding, money, positive_region, simplest_between,
    sub, unproved_findings,
)

RULE = "seniority"
DESCRIPTION = "no junior tier or common is paid while a senior tier is short of its preferences"


def full_amount(model: Charter, sid: str) -> Fraction:
    s = model.get_series(sid)
    return (s.preference_per_share + model.dividends(sid)) * model.outstanding(sid)


def check(model: Charter, an: Analysis) -> list[Finding]:
    loc = Locator(model)
    tiers = list(model.tiers)
    found: dict[tuple[str, str], Finding] = {}

    def consider(x_lo, x_hi, converted, value, forms=None):
        """One segment (forms given) or one point (x_lo == x_hi, value given)."""
        for i, senior in enumerate(tiers):
            seniors = [sid for sid in senior.series if sid not in converted and full_amount(model, sid) > 0]
            if not seniors:
                continue
            juniors: list[tuple[str, str]] = []  # (tier id or "common", holder)
            for t in tiers[i + 1:]:
                juniors += [(t.id, sid) for sid in t.series if sid not in converted]
            juniors.append((COMMON, COMMON))
            groups = [(s_id, (s_id,), full_amount(model, s_id)) for s_id in seniors]
            if senior.cap is not None:
                # an aggregate cap: the tier is owed min(its members' full amounts, the cap) as a whole
                groups = [(" and ".join(seniors), tuple(seniors),
                           min(senior.cap, sum((full_amount(model, x) for x in seniors), Fraction(0))))]
            for s_id, members, full in groups:
                for j_tier, j in juniors:
                    pair = (senior.id, j_tier)
                    if pair in found:
                        continue
                    got = None
                    if forms is not None:
                        got = forms[members[0]]
                        for x in members[1:]:
                            got = (got[0] + forms[x][0], got[1] + forms[x][1])
                    if forms is None:
                        if not (sum((value(x) for x in members), Fraction(0)) < full and value(j) > 0):
                            continue
                        E = x_lo
                    else:
                        region = positive_region(x_lo, x_hi, [sub(const(full), got), forms[j]])
                        if region is None:
                            continue
                        E = simplest_between(*region)
                    found[pair] = _finding(model, loc, senior, j_tier, j, s_id, full, E,
                                           sum((value(x) for x in members), Fraction(0)) if forms is None
                                           else piece_value_from(got, E),
                                           value(j) if forms is None else piece_value_from(forms[j], E))

    for seg in an.segments:
        converted = choice_of(an.units, seg.profile).converted
        consider(seg.lo, seg.hi, converted, None, seg.forms)
    for x in sorted(an.points):
        pt = an.points[x]
        converted = choice_of(an.units, pt.profile).converted
        consider(x, x, converted, lambda h, pt=pt: pt.payouts.get(h, Fraction(0)))
    out = [found[k] for k in sorted(found, key=lambda k: (fx_order(tiers, k[0]), fx_order(tiers, k[1])))]
    out += unproved_findings(model, an, RULE, "That no junior tier is paid while a senior one is short")
    return out


def fx_order(tiers, tid: str) -> int:
    for i, t in enumerate(tiers):
        if t.id == tid:
            return i
    return len(tiers)


def piece_value_from(form, E: Fraction) -> Fraction:
    return form[0] + form[1] * E


def _finding(model, loc, senior, j_tier, j, s_id, full, E, s_pay, j_pay) -> Finding:
    if j == COMMON:
        who = "Common stock"
        clause = [senior.source]
    else:
        jt = next(t for t in model.tiers if t.id == j_tier)
        who = f"{holder_label(model, j)} (tier {jt.id})"
        clause = [senior.source, jt.source]
    return make_finding(
        model, RULE, Severity.ERROR,
        f"{who} is paid {money(j_pay)} at an exit value of {money(E)} while Series {s_id} (tier {senior.id}, ranking "
        f"ahead) receives {money(s_pay)} of its {money(full)} preference",
        clause=clause, key=loc.tier(senior.id),
        witness={"exit_value": fx(E), "senior": s_id, "senior_payout": fx(s_pay), "senior_full": fx(full),
                 "junior": j, "junior_payout": fx(j_pay)},
    )
