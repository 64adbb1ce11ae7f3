"""forced-conversion: who can force whom to convert by a vote before a sale, where, at what cost.

A conversion right exercised by a vote (`automatic_conversion.vote`) lets a coalition that
carries the vote convert every series the vote covers, in a sale too (charterverify.votes).
From the exact profile tables of the analysis the check finds every exit value at which the
series strictly better off in the forced outcome carry the vote: the range's ends are exact
(a kink of a profile's payouts or a root of a voter's gain), and each end says whether it is
included. It names the coalition and its share of the vote, the holders who lose and the most
they lose (a supremum over the range, from the proved affine pieces), and the series that can
block the vote alone.

Reported under either reading: with votes_in_sale = false (the default) the payouts assume the
vote is not used in a sale, so the finding is the only place the exposure shows; with true the
payouts and breakpoints include it.
"""

from __future__ import annotations

from fractions import Fraction

from ..findings import Finding, Severity, Verdict
from ..model import Charter
from ..rational import fast_rational, to_fraction
from ..solver.breakpoints import Analysis
from ..votes import blockers, conversion_votes, describe, vote_share
from .seniority import full_amount
from .base import Locator, fx, holder_label, join_names, make_finding, money, simplest_between

RULE = "forced-conversion"
DESCRIPTION = "who can force conversion by a vote before a sale, over which exit values, and what it costs the others"


def applies(model: Charter) -> bool:
    return bool(conversion_votes(model))


def ranges(tb) -> list[dict]:
    """Maximal runs of exit values where a vote is taken, from the tables' decision atoms.

    Each run: lo, hi (None: unbounded), lo_closed, hi_closed, the vote, every series in a
    carrying coalition somewhere in the run, every loser, and per loser the most it loses
    (value, and the exit value it is reached at or approached from inside the run).
    """
    out: list[dict] = []
    cur = None
    for lo, hi, f in tb.forcing:
        if f is None or (cur is not None and cur["vote"] != f.vote):
            if cur is not None:
                out.append(cur)
            cur = None
            if f is None:
                continue
        if cur is None:
            cur = {"vote": f.vote, "lo": lo, "lo_closed": lo == hi, "coalition": set(), "losers": set(),
                   "loss": {}, "atoms": []}
        cur["hi"], cur["hi_closed"] = hi, lo == hi
        cur["coalition"].update(f.coalition)
        cur["losers"].update(f.losers)
        cur["atoms"].append((lo, hi, f))
    if cur is not None:
        out.append(cur)
    for r in out:
        for lo, hi, f in r["atoms"]:
            for x, limit in ([(lo, False)] if lo == hi else [(lo, True)] + ([(hi, True)] if hi is not None else [])):
                for h, loss in _losses(tb, f, lo, hi, x, limit).items():
                    if loss > 0 and (h not in r["loss"] or loss > r["loss"][h][0]):
                        r["loss"][h] = (loss, x)
    return out


def _losses(tb, f, lo, hi, x, limit: bool) -> dict[str, Fraction]:
    """What each holder loses to the forced outcome at x (limit: from inside the open atom (lo, hi))."""
    q = fast_rational(x)
    if not limit:
        now, then = tb.table[f.base].payouts(q), tb.table[f.forced].payouts(q)
        return {h: to_fraction(now[h] - then[h]) for h in tb.model.holders}
    mid = (lo + hi) / 2 if hi is not None else lo + 1
    m = fast_rational(mid)
    tb1, tb2 = tb.table[f.base], tb.table[f.forced]
    now, then = tb1.forms[tb1.stretch(m)], tb2.forms[tb2.stretch(m)]
    out = {}
    for h, (a, b) in now.items():  # exact in fast rationals, then one conversion
        c, d = then[h]
        out[h] = to_fraction((a + b * q) - (c + d * q))
    return out


def _percent(x: Fraction) -> str:
    return f"{float(x * 100):.1f}%"


def _end(x: Fraction | None, closed: bool) -> str:
    return "" if x is None else ("" if closed else " (excluded)")


def check(model: Charter, an: Analysis) -> list[Finding]:
    votes = conversion_votes(model)
    if not votes:
        return []
    loc = Locator(model)
    first = next(a for a in model.automatic_conversions if a.vote_groups)
    key = loc.auto(first.id, "vote")
    tb = an.tables
    if tb is None:
        return [make_finding(
            model, RULE, Severity.INFO,
            f"The conversion vote ({votes[0].source}) was not played: with {len(an.units)} deciding units the "
            f"exact tables that find where a coalition would force conversion are not built",
            clause=votes[0].source, key=key, verdict=Verdict.UNKNOWN)]
    reading = model.readings.votes_in_sale
    out = []
    found = ranges(tb)
    for r in found:
        v = r["vote"]
        lo, hi = r["lo"], r["hi"]
        who = [s for s in v.voters if s in r["coalition"]]
        share = vote_share(model, v, who)
        losers = [h for h in model.holders if h in r["losers"]]
        pref = sum((full_amount(model, h) for h in losers if h in {s.id for s in model.series}), Fraction(0))
        where = (f"at {money(lo)}" if lo == hi else
                 f"from {money(lo)}{_end(lo, r['lo_closed'])} to {money(hi)}{_end(hi, r['hi_closed'])}"
                 if hi is not None else f"from {money(lo)}{_end(lo, r['lo_closed'])} up")
        sample = lo if lo == hi else simplest_between(lo, hi)
        f_at = tb.forcing_at(sample)
        cost = ""
        if f_at is not None:
            q = fast_rational(sample)
            now, then = tb.table[f_at.base].payouts(q), tb.table[f_at.forced].payouts(q)
            cost = "; at " + money(sample) + ": " + ", ".join(
                f"{holder_label(model, h)} {money(to_fraction(then[h]))} instead of {money(to_fraction(now[h]))}"
                for h in losers)
        most = ", ".join(f"{holder_label(model, h)} {money(r['loss'][h][0])}" for h in losers if h in r["loss"])
        at_most = max((r["loss"][h][1] for h in losers if h in r["loss"]), default=None)
        block = blockers(model, v)
        # each blocker's share of the first class it votes in (its own class, where series vote separately)
        block_text = (f" Only {join_names([f'Series {s}' for s in block])} "
                      f"({', '.join(_percent(next((x for x in vote_share(model, v, [s]) if x), Fraction(0))) for s in block)}) "
                      f"can block it alone."
                      if block else " No series can block it alone.")
        # only the series the vote converts give up their preference for a share as converted
        flat = all(h in v.converts and model.get_series(h).participation.kind == "none" for h in losers)
        stripped = f" their preference ({money(pref)}) for their share as converted" if pref and flat else ""
        near = ("" if at_most is None else " at the low end of the range" if at_most == lo and lo != hi
                else " at the high end of the range" if at_most == hi and lo != hi else f" at {money(at_most)}")
        msg = (f"By the conversion vote of {v.source} ({describe(model, v)}), Series {join_names(who)} "
               f"({', '.join(_percent(x) for x in share)} of the vote) can force Series {join_names(list(v.converts))} "
               f"to convert before a sale for exit values {where}: Series {join_names(who)} "
               f"{'is' if len(who) == 1 else 'are each'} better off, and "
               f"{join_names([holder_label(model, h) for h in losers]) or 'nobody'} lose{'s' if len(losers) == 1 else ''}"
               f"{stripped}; the most it costs: {most or 'nothing'}{near}{cost}.{block_text}"
               + (" Reading votes_in_sale = true: the payouts and breakpoints include the vote."
                  if reading else
                  " Reading votes_in_sale = false: the payouts shown assume the vote is not used in a sale "
                  "(--reading votes_in_sale=true plays it)."))
        out.append(make_finding(
            model, RULE, Severity.WARNING, msg, clause=v.source, key=key,
            witness={"vote": v.id, "needs": describe(model, v), "coalition": who,
                     "coalition_share": [fx(x) for x in share], "converts": list(v.converts),
                     "losers": losers, "lo": fx(lo), "lo_included": r["lo_closed"], "hi": fx(hi),
                     "hi_included": r["hi_closed"] if hi is not None else None,
                     "most_lost": {h: fx(r["loss"][h][0]) for h in losers if h in r["loss"]},
                     "blockers": list(block), "reading": "votes_in_sale = " + ("true" if reading else "false")},
        ))
    if not found:
        v = votes[0]
        out.append(make_finding(
            model, RULE, Severity.INFO,
            f"The conversion vote of {v.source} ({describe(model, v)}) converts Series {join_names(list(v.converts))}, "
            f"but at no exit value do the series that would gain from it carry it before a sale",
            clause=v.source, key=key, verdict=Verdict.PROVED, witness={"vote": v.id}))
    return out
