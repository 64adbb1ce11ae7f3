"""caps: every participation cap is above the preference, and binds somewhere.

- error: a cap per share below the preference per share (preference + declared dividends);
  the loader refuses a cap below `per_share`, but declared dividends in the cap table (or a
  model built in code) can still put the preference above it; the series then never participates.
- warning: a cap that can never bind, because the series always converts before its payout
  reaches the cap, or never reaches it (e.g. under reading first_cap_ends another cap ends
  participation first).
- info (verdict proved): the exit ranges where the cap binds (the series keeps its preferred
  and its payout is held at cap × shares), from the proved forms of the reported equilibrium.
"""

from __future__ import annotations

from fractions import Fraction

from ..evaluate import choice_of
from ..findings import Finding, Severity, Verdict
from ..model import Charter
from ..solver.breakpoints import Analysis
from .base import Locator, fx, make_finding, money, piece_value, range_text, unproved_findings, price

RULE = "caps"
DESCRIPTION = "participation caps sit above the preference and bind at some exit value"


def applies(model: Charter) -> bool:
    return any(s.participation.kind == "capped" for s in model.series)


def _items(an: Analysis):
    """Segments and breakpoints in exit-value order: ('point', x, profile, payouts) | ('seg', piece)."""
    pts = an.points
    out = []
    for seg in an.segments:
        if seg.lo in pts and (not out or out[-1][0] != "point" or out[-1][1] != seg.lo):
            p = pts[seg.lo]
            out.append(("point", seg.lo, p.profile, p.payouts))
        out.append(("seg", seg))
        if seg.hi is not None and seg.hi in pts:
            p = pts[seg.hi]
            out.append(("point", seg.hi, p.profile, p.payouts))
    return out


def check(model: Charter, an: Analysis) -> list[Finding]:
    loc = Locator(model)
    out: list[Finding] = []
    items = _items(an)
    for s in model.series:
        if s.participation.kind != "capped":
            continue
        cap = s.participation.cap
        pref = s.preference_per_share + model.dividends(s.id)
        n = model.outstanding(s.id)
        key = loc.series(s.id, "participation.cap")
        clause = [s.participation.source, s.preference.source if s.preference else None]
        if cap < pref:
            div = model.dividends(s.id)
            extra = f" ({price(s.preference_per_share)} plus {price(div)} of declared dividends)" if div else ""
            out.append(make_finding(
                model, RULE, Severity.ERROR,
                f"Series {s.id}'s cap of {price(cap)} per share ({s.participation.source}) is below its "
                f"preference of {price(pref)} per share{extra}: it can never participate",
                clause=clause, key=key,
                witness={"series": s.id, "cap": fx(cap), "preference": fx(pref)},
            ))
            continue
        total = cap * n
        runs: list[list[Fraction | None]] = []  # [lo, hi]
        prev_binding = False
        first_conv: Fraction | None = None
        best = Fraction(0)  # highest payout while keeping the preferred, before any cap binding
        unbounded = False
        for it in items:
            if it[0] == "point":
                _, x, profile, pay = it
                conv = s.id in choice_of(an.units, profile).converted
                v = pay.get(s.id, Fraction(0))
                binding = not conv and v == total
                lo, hi = x, x
                if conv and first_conv is None:
                    first_conv = x
                if not conv:
                    best = max(best, v)
            else:
                seg = it[1]
                conv = s.id in choice_of(an.units, seg.profile).converted
                a, b = seg.forms[s.id]
                binding = not conv and b == 0 and a == total
                lo, hi = seg.lo, seg.hi
                if conv and first_conv is None:
                    first_conv = seg.lo
                if not conv:
                    if seg.hi is None:
                        if b > 0:
                            unbounded = True
                        else:
                            best = max(best, piece_value(seg, s.id, seg.lo + 1))
                    else:
                        best = max(best, piece_value(seg, s.id, seg.hi), piece_value(seg, s.id, seg.lo))
            if binding:
                if prev_binding:
                    runs[-1][1] = hi
                else:
                    runs.append([lo, hi])
            prev_binding = binding
        if runs:
            for lo, hi in runs:
                where = range_text(lo, hi)
                msg = (f"Series {s.id}'s cap of {price(cap)} per share ({s.participation.source}) binds for exit values "
                       f"{where}: its payout is held at {money(total)}")
                if lo == hi:
                    msg = (f"Series {s.id}'s cap of {price(cap)} per share ({s.participation.source}) binds only at "
                           f"an exit value of {money(lo)} ({money(total)})")
                out.append(make_finding(
                    model, RULE, Severity.INFO, msg, clause=clause, key=key, verdict=Verdict.PROVED,
                    witness={"series": s.id, "cap": fx(cap), "cap_total": fx(total), "from": fx(lo), "to": fx(hi)},
                ))
            continue
        if unbounded:
            continue  # cannot happen with a working waterfall: a rising payout without conversion meets its cap
        w = {"series": s.id, "cap": fx(cap), "cap_total": fx(total), "highest_payout": fx(best)}
        if first_conv is not None:
            w["converts_at"] = fx(first_conv)
            msg = (f"Series {s.id}'s cap of {price(cap)} per share ({s.participation.source}) can never bind: "
                   f"the series converts from an exit value of {money(first_conv)}, before its payout reaches "
                   f"{money(total)} (at most {money(best)} while it keeps its preferred)")
            clause.append(s.conversion.source if s.conversion else None)
        else:
            msg = (f"Series {s.id}'s cap of {price(cap)} per share ({s.participation.source}) can never bind: "
                   f"its payout never exceeds {money(best)}, below the cap's {money(total)}")
            if model.readings.cap_dropout == "first_cap_ends":
                msg += " (reading first_cap_ends: participation ends when the first cap is reached)"
        out.append(make_finding(model, RULE, Severity.WARNING, msg, clause=clause, key=key, witness=w))
    if applies(model):
        out += unproved_findings(model, an, RULE, "Where the participation caps bind")
    return out
