"""PROTOTYPE, measured by the benchmarks as evidence for a suggestion in docs/performance.md;
not part of charterverify and not used by `verify`.

The equilibrium sets of every exit value, exactly and without z3, for charters with
few deciding units (it builds a table for each of the 2^units profiles):

1. For every profile, the waterfall on affine numbers (charterverify.affine) walked
   from exit value 0 to infinity gives each payout as a piecewise-linear function
   (a handful of kinks per profile).
2. For every profile and unit, the incentive to switch (own payoff minus payoff
   after a unilateral switch) is then piecewise linear too; the exit values where
   its sign changes (roots inside a linear stretch, or a sign flip across a kink)
   are the only places where that equilibrium condition can change truth.
3. One pass over those events in order, keeping a count of violated conditions
   per profile, gives the equilibrium set on every open interval; the reported
   (fewest-action) profile's kinks then split the intervals into pieces, and pieces
   with equal payout forms are merged: what is left are the breakpoints.

The benchmark compares its breakpoints and equilibrium sets with `analyze`.
The payout forms of each piece could then be proved by z3 exactly as the sweep's
q3 queries do (0.16 s in total on Quintus); the prototype does not do that, nor
does it evaluate the exact payouts at the breakpoints themselves (jumps).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from fractions import Fraction
from itertools import product

from charterverify.affine import variable
from charterverify.evaluate import choice_of, profile_key, unit_payoff, waterfall


def profile_tables(model):
    """profile -> (kinks, unit payoff forms per stretch, holder payout forms per stretch)."""
    units, holders = model.units(), model.holders
    tables = {}
    for prof in product((False, True), repeat=len(units)):
        ch = choice_of(units, prof)
        xs, uf, hf = [], [], []
        x = Fraction(0)
        while True:
            v = variable(x, 1)
            pay = waterfall(model, v, ch)
            xs.append(x)
            uf.append([_form(unit_payoff(model, u, pay)) for u in units])
            hf.append({h: _form(pay[h]) for h in holders})
            x = v.tracker.bound
            if x is None:
                break
        tables[prof] = (xs, uf, hf)
    return tables


def _form(f):
    return (f.intercept(), f.s)


def _sign_right(A, B, x):
    """Sign of A + B*E just right of x."""
    g = A + B * x
    if g != 0:
        return 1 if g > 0 else -1
    return (B > 0) - (B < 0)


def equilibrium_intervals(model, tables):
    """[(lo, equilibria on (lo, next lo))], merged, fewest-acting profile first; and the event count."""
    units = model.units()
    U = len(units)
    events: dict[Fraction, list] = defaultdict(list)
    viol: dict[tuple, int] = defaultdict(int)
    for prof, (xs1, uf1, _) in tables.items():
        for i in range(U):
            dev = prof[:i] + (not prof[i],) + prof[i + 1:]
            xs2, uf2, _ = tables[dev]
            ks = sorted(set(xs1) | set(xs2))
            acting = prof[i]
            prev = None
            for j, k in enumerate(ks):
                f1 = uf1[bisect_right(xs1, k) - 1][i]
                f2 = uf2[bisect_right(xs2, k) - 1][i]
                A, B = f1[0] - f2[0], f1[1] - f2[1]
                s = _sign_right(A, B, k)
                t = s > 0 if acting else s >= 0  # acting needs a strict gain; keeping, no loss
                if prev is None:
                    if not t:
                        viol[prof] += 1
                elif t != prev:
                    events[k].append((prof, t))
                prev = t
                if B != 0:
                    r = -A / B
                    hi = ks[j + 1] if j + 1 < len(ks) else None
                    if r > k and (hi is None or r < hi):
                        s2 = _sign_right(A, B, r)
                        t2 = s2 > 0 if acting else s2 >= 0
                        if t2 != prev:
                            events[r].append((prof, t2))
                            prev = t2
    eqset = {p for p in tables if viol[p] == 0}
    out = []
    lo = Fraction(0)
    for x in sorted(events):
        out.append((lo, tuple(sorted(eqset, key=profile_key))))
        for prof, t in events[x]:
            viol[prof] += -1 if t else 1
            if viol[prof] == 0:
                eqset.add(prof)
            else:
                eqset.discard(prof)
        lo = x
    out.append((lo, tuple(sorted(eqset, key=profile_key))))
    merged = []
    for lo, s in out:
        if not merged or merged[-1][1] != s:
            merged.append((lo, s))
    return merged, sum(len(v) for v in events.values())


def pieces(model, tables, intervals):
    """[(lo, holder forms, equilibria)] after merging equal forms: lo of each but the first is a breakpoint."""
    units = model.units()
    raw = []
    for j, (lo, s) in enumerate(intervals):
        hi = intervals[j + 1][0] if j + 1 < len(intervals) else None
        rep = s[0] if s else tuple(False for _ in units)
        xs, _, hf = tables[rep]
        for c in [lo] + [k for k in xs if k > lo and (hi is None or k < hi)]:
            raw.append((c, hf[bisect_right(xs, c) - 1], s))
    out = []
    for p in raw:
        if not out or out[-1][1] != p[1]:
            out.append(p)
    return out


def sweep(model):
    tables = profile_tables(model)
    intervals, n_events = equilibrium_intervals(model, tables)
    return {"tables": tables, "intervals": intervals, "pieces": pieces(model, tables, intervals),
            "events": n_events, "kinks": sum(len(t[0]) for t in tables.values())}
