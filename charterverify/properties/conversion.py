"""conversion: how the conversion game behaves over all exit values.

- Uniqueness: where the game has more than one equilibrium (the sweep proved the equilibrium
  set constant on each segment and solved every breakpoint exactly), the exit ranges and
  whether the equilibria's payouts differ. Warning when they differ (the report shows the
  fewest-conversion one), info when they do not.
- Class votes: a vote carried by one series alone (info), and for every other member the exit
  ranges where it would have chosen otherwise: its own payout with the group's decision flipped
  (direct waterfall on the two profiles, exact, on affine numbers) beats its payout as decided
  (warning).
- Dominance: a conversion right that pays at least as much as keeping the preference at every
  exit value (others as in the reported equilibrium), strictly more at some (info).
"""

from __future__ import annotations

from ..game import flip, unit_payoff
from ..findings import Finding, Severity, Verdict
from ..model import Charter, ConversionUnit
from ..solver.breakpoints import Analysis
from .base import (
    Locator, fx, join_names, make_finding, merge_ranges, money, number, positive_region, profile_forms,
    profile_payouts, profile_text, range_text, simplest_between, unit_label, unit_source, unproved_findings, value_at,
)

RULE = "conversion"
DESCRIPTION = "the conversion equilibrium: uniqueness, class votes decided for others, dominant conversion rights"


def applies(model: Charter) -> bool:
    return bool(model.units())


def check(model: Charter, an: Analysis) -> list[Finding]:
    if not an.units:
        return []
    loc = Locator(model)
    out = _uniqueness(model, an, loc)
    for i, u in enumerate(an.units):
        if u.kind == "class_vote":
            out += _class_vote(model, an, loc, i, u)
    for i, u in enumerate(an.units):
        if u.kind != "option":
            f = _dominance(model, an, loc, i, u)
            if f is not None:
                out.append(f)
    out += unproved_findings(model, an, RULE, "The equilibrium set")
    return out


# ---------------------------------------------------------------- uniqueness


def _uniqueness(model: Charter, an: Analysis, loc: Locator) -> list[Finding]:
    items = []  # (lo, hi, profiles, unique_payouts)
    for seg in an.segments:
        if seg.lo in an.points:
            pt = an.points[seg.lo]
            items.append((seg.lo, seg.lo, pt.profiles, pt.unique_payouts))
        items.append((seg.lo, seg.hi, seg.profiles, seg.unique_payouts))
    last = an.segments[-1].hi if an.segments else None
    if last is not None and last in an.points:
        pt = an.points[last]
        items.append((last, last, pt.profiles, pt.unique_payouts))
    runs: list[list] = []
    for lo, hi, profiles, same in items:
        if len(profiles) <= 1:
            continue
        if runs and runs[-1][1] == lo and runs[-1][3] == same:
            r = runs[-1]
            r[1] = hi
            r[2] = tuple(dict.fromkeys(r[2] + tuple(profiles)))
        else:
            runs.append([lo, hi, tuple(profiles), same])
    out = []
    for lo, hi, profiles, same in runs:
        eqs = "(" + " | ".join(profile_text(an.units, p) for p in profiles) + ")"
        where = f"at an exit value of {money(lo)}" if lo == hi else f"for exit values {range_text(lo, hi)}"
        if same:
            msg = f"The conversion game has {len(profiles)} equilibria {where} {eqs}, with the same payouts"
            sev = Severity.INFO
        else:
            msg = (f"The conversion game has {len(profiles)} equilibria {where} {eqs} and their payouts differ; "
                   f"the reported payouts are those of the equilibrium with the fewest conversions")
            sev = Severity.WARNING
        involved = [u for i, u in enumerate(an.units) if len({p[i] for p in profiles}) > 1]
        out.append(make_finding(
            model, RULE, sev, msg, clause=[unit_source(model, u) for u in involved],
            key=loc.unit(involved[0]) if involved else None,
            witness={"from": fx(lo), "to": fx(hi), "payouts_differ": not same,
                     "equilibria": [[u.id for u, a in zip(an.units, p) if a] for p in profiles]},
        ))
    return out


# ---------------------------------------------------------------- class votes


def _class_vote(model: Charter, an: Analysis, loc: Locator, i: int, u: ConversionUnit) -> list[Finding]:
    out: list[Finding] = []
    vote = next(v for v in model.class_votes if v.id == u.id)
    key = loc.vote(u.id)
    if u.controller is not None:
        total = sum(model.outstanding(m) for m in vote.series)
        mine = model.outstanding(u.controller)
        out.append(make_finding(
            model, RULE, Severity.INFO,
            f"Class vote {u.id} ({vote.source}) is carried by Series {u.controller} alone "
            f"({number(mine)} of {number(total)} shares): it decides the conversion of "
            f"Series {join_names(list(u.members))}",
            clause=vote.source, key=key, verdict=Verdict.PROVED,
            witness={"vote": u.id, "controller": u.controller, "controller_shares": mine, "group_shares": total},
        ))
    others = [m for m in u.members if m != u.controller]
    ranges: dict[str, list] = {m: [] for m in others}
    for seg in an.segments:
        q = flip(seg.profile, i)
        for l, r, fq in profile_forms(model, an, q, seg.lo, seg.hi, holders=others):
            for m in others:
                d = (fq[m][0] - seg.forms[m][0], fq[m][1] - seg.forms[m][1])
                reg = positive_region(l, r, [d])
                if reg is not None:
                    ranges[m].append(reg)
    for x in sorted(an.points):
        pt = an.points[x]
        pq = profile_payouts(model, an, x, flip(pt.profile, i))
        for m in others:
            if pq[m] > pt.payouts[m]:
                ranges[m].append((x, x))
    for m in others:
        if not ranges[m]:
            continue
        merged = merge_ranges(ranges[m])
        lo, hi = merged[0]
        E = lo if lo == hi else simplest_between(lo, hi)
        profile = an.points[E].profile if E in an.points else next(
            s.profile for s in an.segments if s.lo < E and (s.hi is None or E < s.hi))
        voted = value_at(an, m, E)
        other = profile_payouts(model, an, E, flip(profile, i))[m]
        decided = "convert" if profile[i] else "keep the preferred"
        flipped = "converted" if not profile[i] else "kept the preferred"
        who = f"Series {u.controller} carries the vote alone" if u.controller else "the group's total payout decides"
        msg = (f"Series {m} would have chosen otherwise than class vote {u.id} ({vote.source}) for exit values "
               f"{'; '.join(range_text(a, b) for a, b in merged)} ({who}): at {money(E)} the group "
               f"{'converts' if profile[i] else 'keeps the preferred'} and Series {m} receives {money(voted)}, "
               f"against {money(other)} had the group {flipped}")
        out.append(make_finding(
            model, RULE, Severity.WARNING, msg, clause=vote.source, key=key,
            witness={"vote": u.id, "member": m, "ranges": [[fx(a), fx(b)] for a, b in merged],
                     "exit_value": fx(E), "decision": decided, "payout_as_decided": fx(voted),
                     "payout_otherwise": fx(other)},
        ))
    return out


# ---------------------------------------------------------------- dominance


def _dominance(model: Charter, an: Analysis, loc: Locator, i: int, u: ConversionUnit) -> Finding | None:
    """Info when converting pays the unit at least as much at every exit value (strictly more somewhere)."""
    strict = False
    members = list(u.members)
    for seg in an.segments:
        conv = seg.profile[:i] + (True,) + seg.profile[i + 1:]
        keep = seg.profile[:i] + (False,) + seg.profile[i + 1:]
        fc = profile_forms(model, an, conv, seg.lo, seg.hi, holders=members)
        fk = profile_forms(model, an, keep, seg.lo, seg.hi, holders=members)
        cuts = sorted({seg.lo} | {p[0] for p in fc + fk} | ({seg.hi} if seg.hi is not None else set()))
        bounds = list(zip(cuts, cuts[1:] + [None])) if seg.hi is None else list(zip(cuts, cuts[1:]))
        for l, r in bounds:
            mid = simplest_between(l, r)
            g = _gain_form(model, u, fc, fk, mid)
            a, b = g
            vals = [a + b * l]
            if r is None:
                if b < 0:
                    return None
                if b > 0:
                    strict = True
            else:
                vals.append(a + b * r)
            if min(vals) < 0:
                return None
            if max(vals) > 0:
                strict = True
    for x, pt in an.points.items():
        conv = pt.profile[:i] + (True,) + pt.profile[i + 1:]
        keep = pt.profile[:i] + (False,) + pt.profile[i + 1:]
        pc = profile_payouts(model, an, x, conv)
        pk = profile_payouts(model, an, x, keep)
        g = unit_payoff(model, u, pc) - unit_payoff(model, u, pk)
        if g < 0:
            return None
    if not strict:
        return None
    src = unit_source(model, u)
    return make_finding(
        model, RULE, Severity.INFO,
        f"{unit_label(u)}: converting pays at least as much as keeping the preferred at every exit value "
        f"({src}); the preference never matters",
        clause=[src] + [model.get_series(m).preference.source for m in members if model.get_series(m).preference],
        key=loc.unit(u), verdict=Verdict.PROVED,
        witness={"unit": u.id, "members": members},
    )


def _gain_form(model, u, fc, fk, x):
    def at(pieces):
        for l, r, forms in pieces:
            if l < x and (r is None or x < r):
                return forms
        raise ValueError("no piece")

    c, k = at(fc), at(fk)
    if u.controller is not None:
        hs = [u.controller]
    else:
        hs = list(u.members)
    a = sum(c[h][0] - k[h][0] for h in hs)
    b = sum(c[h][1] - k[h][1] for h in hs)
    return a, b
