"""Exact bounds on a unit's gain from acting, over a range of exit values and every choice of the
units still free: a cheap, sound first try before asking z3 whether a choice is forced.

The waterfall is run on intervals. Every amount is an interval [lo, hi] of exact numbers (hi may be
None: unbounded), and every holding a free unit could change (a series that may or may not convert,
a pool that may or may not be exercised) contributes the least and the most it could. Each step is
monotone in the amounts it takes:

- net proceeds max(0, E + exercise cash − costs), and what is left after the carve-out
  N − min(N, a + pN) = max(0, (1 − p)N − a), rise with E and the exercise cash;
- what a tier (or the cash paid on conversion) leaves, max(0, R − T), rises with R and falls with T;
- a holder's share of a tier, f if R ≥ T else R·b/B, is bounded case by case (full, short), since
  a literal shortfall basis can pay more just below the full amount than the full amount;
- the residual level λ that solves Σ min(λ·w, room) = R (each holder to its own cap) rises with R
  and falls as the demand grows: demand made larger for every λ (a free holding counted with its
  largest weight and no cap) gives a λ no larger than the true one; demand made smaller (a free
  holding counted only if it exists in every state, with its smallest weight and room) gives a λ
  no smaller.

Correlations are dropped (the same free unit may be counted at its least in one place and its
most in another), which only widens the bounds. So when the lower bound of the gain is positive the
unit strictly gains by acting for every exit value in the range and every choice of the free units,
and when the upper bound is at most zero it never gains: the same statements the dominance queries
ask z3 to prove. Only the reading `cap_dropout = own_cap` is bounded; otherwise no bound is given.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import product

from .evaluate import _static
from .model import COMMON, Charter, ConversionUnit

ZERO = Fraction(0)
INF = None  # an unbounded upper end


def _add(a, b):
    return None if a is None or b is None else a + b


def _sub0(a, b):
    """max(0, a − b) for an upper end a (None: unbounded) and a finite b."""
    return None if a is None else max(ZERO, a - b)


def _le(a, b) -> bool:
    """a <= b for upper ends where None is +∞."""
    if b is None:
        return True
    if a is None:
        return False
    return a <= b


class _Block:
    """A holding and the states it can be in, given the fixed choices."""

    def __init__(self, b, states, c, in_tier: int | None):
        self.b = b
        self.c = c  # _BlockConstants (exact Fractions)
        self.tier = in_tier
        self.states = states  # tuple of (exists, converted)

    def claim(self, st) -> Fraction:
        exists, conv = st
        return self.c.full if exists and not conv and self.tier is not None else ZERO

    def basis(self, st) -> Fraction:
        exists, conv = st
        return self.c.basis if exists and not conv and self.tier is not None else ZERO

    def cash(self, st) -> Fraction:
        exists, conv = st
        return self.c.cash if exists and conv and self.c.cash else ZERO

    def part(self, st, participates: bool):
        """(weight, room) in the residual, or None."""
        exists, conv = st
        if not exists:
            return None
        if self.b.klass == COMMON:
            return (self.c.weight, None)
        if conv:
            return (self.c.weight, None)
        if participates:
            return (self.c.weight_held, self.c.room)
        return None


def _level(R, parts) -> Fraction | None:
    """λ with Σ min(λ·w, room) = R (None: unbounded, or R itself unbounded)."""
    if R is None:
        return None
    ps = [(w, room) for w, room in parts if w > 0]
    W = sum((w for w, _ in ps), ZERO)
    spent = ZERO
    for w, room in sorted((p for p in ps if p[1] is not None), key=lambda p: p[1] / p[0]):
        t = room / w
        if R <= spent + t * W:
            return (R - spent) / W
        spent += room
        W -= w
    if W == 0:
        return None
    return (R - spent) / W


def _tier_share(R, T, B, f, b):
    """Bounds of one holding's tier payment: f if R ≥ T, else R·b/B (R, T, B intervals; own f, b)."""
    (Rl, Rh), (Tl, Th), (Bl, Bh) = R, T, B
    lo, hi = [], []
    if _le(Tl, Rh):  # R ≥ T possible
        lo.append(f)
        hi.append(f)
    if Rl < Th:  # R < T possible: R ranges over [Rl, min(Rh, Th))
        if Bl == 0:
            if b != 0:
                return None
            Bl = Bh = Fraction(1)  # a zero basis is paid nothing
        top = Th if Rh is None else min(Rh, Th)
        lo.append(Rl * b / Bh)
        hi.append(top * b / Bl)
    return min(lo), max(hi)


def gain_bounds(model: Charter, units: tuple[ConversionUnit, ...], uid: str, lo: Fraction, hi: Fraction | None,
                fixed: dict[str, bool]) -> tuple[Fraction, Fraction | None] | None:
    """(lower, upper) bounds of unit uid's payoff when acting minus when keeping, for exit values in
    [lo, hi] and every choice of the units not in `fixed`; None when no bound is computed."""
    if model.readings.cap_dropout != "own_cap" or not plain_terms(model):
        return None
    u = next(x for x in units if x.id == uid)
    act = _payoff_bounds(model, units, u, True, lo, hi, fixed)
    keep = _payoff_bounds(model, units, u, False, lo, hi, fixed)
    if act is None or keep is None:
        return None
    glo = act[0] - keep[1] if keep[1] is not None else None
    if glo is None:
        return None
    ghi = None if act[1] is None else act[1] - keep[0]
    return glo, ghi


def plain_terms(model: Charter) -> bool:
    """Whether the model uses only the terms these bounds follow: no "greater of" preference (its amount
    moves with the exit value), no aggregate tier cap and no catch-up to common (not bounded here)."""
    return (model.catch_up is None and all(t.cap is None for t in model.tiers)
            and not any(s.preference and s.preference.greater_of_as_converted for s in model.series))


def decided(model: Charter, units, uid: str, lo: Fraction, hi: Fraction | None, fixed: dict[str, bool],
            depth: int = 2) -> bool | None:
    """True (acting is forced: the gain is positive throughout), False (keeping is forced: it is never
    positive) or None, from the bounds, splitting on the free units with the largest preference claims
    when the bounds alone do not decide: a choice forced for each choice of a free unit is forced."""
    b = gain_bounds(model, units, uid, lo, hi, fixed)
    if b is not None:
        if b[0] > 0:
            return True
        if b[1] is not None and b[1] <= 0:
            return False
    if depth == 0:
        return None
    free = [x for x in units if x.id not in fixed and x.id != uid]
    if not free:
        return None
    st = _static(model)
    split = max(free, key=lambda x: sum((st.full.get(m, ZERO) * model.outstanding(m) for m in x.members), ZERO))
    first = decided(model, units, uid, lo, hi, {**fixed, split.id: False}, depth - 1)
    if first is None:
        return None
    second = decided(model, units, uid, lo, hi, {**fixed, split.id: True}, depth - 1)
    return first if second == first else None


def _same(x):
    return x


def _payoff_bounds(model, units, u, acts: bool, lo, hi, fixed):
    st = _static(model)
    consts = st.block_constants(_same)
    status: dict[str, bool | None] = {x.id: fixed.get(x.id) for x in units}
    status[u.id] = acts
    conv_of: dict[str, bool | None] = {}
    for x in units:
        if x.kind != "option":
            for m in x.members:
                conv_of[m] = status[x.id]
    pool_of = {x.id: status[x.id] for x in units if x.kind == "option"}
    pools = {p.id: p for p in model.captable.options}
    bl: list[_Block] = []
    for b in st.every:
        ex = (True,) if b.holder not in pools else ((pool_of[b.holder],) if pool_of[b.holder] is not None else (False, True))
        if b.klass == COMMON:
            cv = (False,)
        else:
            s = conv_of.get(b.klass, False)
            cv = (s,) if s is not None else (False, True)
        bl.append(_Block(b, tuple(product(ex, cv)), consts[b], st.tier_index.get(b.klass)))
    series = st.series

    def participates(blk):
        return blk.b.klass != COMMON and series[blk.b.klass].participates

    mine = [blk for blk in bl if blk.b.holder in _holders_of(u)]

    # proceeds
    xcash_lo = sum((p.count * p.exercise_price for p in model.captable.options if pool_of.get(p.id) is True), ZERO)
    xcash_hi = xcash_lo + sum((p.count * p.exercise_price for p in model.captable.options if pool_of.get(p.id) is None), ZERO)
    sc = model.scenario
    N = (max(ZERO, lo + xcash_lo - sc.transaction_costs), _sub0(_add(hi, xcash_hi), sc.transaction_costs))

    def after_carve(n):
        if n is None:
            return None
        return max(ZERO, n - min(n, sc.carve_out + n * sc.carve_out_percent)) if sc.has_carve_out else n

    R = (after_carve(N[0]), after_carve(N[1]))

    # the least and the most every holding claims (per tier, and in cash on conversion), summed once;
    # a holding's own part is taken out again where its own state is fixed
    totals: dict[tuple, list] = {}

    def _acc(key, blk, fn):
        vals = [fn(blk, s) for s in blk.states]
        t = totals.setdefault(key, [ZERO, ZERO])
        t[0] += min(vals)
        t[1] += max(vals)

    for blk in bl:
        if blk.tier is not None:
            _acc(("claim", blk.tier), blk, lambda b, s: b.claim(s))
            _acc(("basis", blk.tier), blk, lambda b, s: b.basis(s))
        _acc(("cash",), blk, lambda b, s: b.cash(s))

    def others(fn, me, key):
        lo_, hi_ = totals.get(key, (ZERO, ZERO))
        if key[0] != "cash" and me.tier != key[1]:
            return lo_, hi_
        vals = [fn(me, s) for s in me.states]
        return lo_ - min(vals), hi_ - max(vals)

    # each own block's payout bounds are computed per state of that block, then min/max over its states

    results = []
    for me in mine:
        lo_me, hi_me = None, None
        for s_me in me.states:
            r = _block_bounds(model, bl, me, s_me, R, others, participates)
            if r is None:
                return None
            lo_me = r[0] if lo_me is None else min(lo_me, r[0])
            hi_me = r[1] if hi_me is None else (None if r[1] is None or hi_me is None else max(hi_me, r[1]))
        results.append((lo_me, hi_me))
    if u.kind == "option":
        p = pools[u.id]
        cost = p.count * p.exercise_price if acts else ZERO
        (a, b), = results or [(ZERO, ZERO)]
        return a - cost, None if b is None else b - cost
    if u.controller is not None:
        idx = [k for k, blk in enumerate(mine) if blk.b.holder == u.controller]
        return results[idx[0]]
    lo_t = sum((r[0] for r in results), ZERO)
    hi_t = ZERO
    for r in results:
        hi_t = _add(hi_t, r[1])
    return lo_t, hi_t


def _holders_of(u: ConversionUnit) -> set[str]:
    if u.kind == "option":
        return {u.id}
    return {u.controller} if u.controller is not None else set(u.members)


def _block_bounds(model, bl, me, s_me, R, others, participates):
    """Bounds of one holding's payout (before any exercise price) in state s_me."""
    exists, conv = s_me
    if not exists:
        return ZERO, ZERO
    got_lo, got_hi = ZERO, ZERO

    def cash_step(R, got):
        glo, ghi = got
        D_other = others(lambda blk, s: blk.cash(s), me, ("cash",))
        d = me.cash(s_me)
        D = (D_other[0] + d, D_other[1] + d)
        if d:
            share = _tier_share(R, D, D, d, d)
            if share is None:
                return R, None
            glo, ghi = glo + share[0], _add(ghi, share[1])
        if D[1] == 0:
            return R, (glo, ghi)
        return (max(ZERO, R[0] - D[1]), _sub0(R[1], D[0])), (glo, ghi)

    cash_first = model.readings.cash_on_conversion == "before_preferences"
    got = (got_lo, got_hi)
    if cash_first:
        R, got = cash_step(R, got)
        if got is None:
            return None
    for k, tier in enumerate(model.tiers):
        def claim_k(blk, s, k=k):
            return blk.claim(s) if blk.tier == k else ZERO

        def basis_k(blk, s, k=k):
            return blk.basis(s) if blk.tier == k else ZERO

        own = me.claim(s_me) if me.tier == k else ZERO
        T_o = others(claim_k, me, ("claim", k))
        T = (T_o[0] + own, T_o[1] + own)
        if T[1] == 0:
            continue
        if me.tier == k and s_me[0] and not s_me[1]:  # a member (even with a zero preference)
            B_o = others(basis_k, me, ("basis", k))
            b_own = me.basis(s_me)
            kind = tier.shortfall
            B = (B_o[0] + b_own, B_o[1] + b_own)
            if kind == "preference":
                B = T
            share = _tier_share(R, T, B, own, b_own if kind != "preference" else own)
            if share is None:
                return None
            got = (got[0] + share[0], _add(got[1], share[1]))
        R = (max(ZERO, R[0] - T[1]), _sub0(R[1], T[0]))
    if not cash_first:
        R, got = cash_step(R, got)
        if got is None:
            return None

    # residual
    part = me.part(s_me, participates(me))
    if part is not None and part[0] > 0:
        big, small = [part], [part]
        for blk in bl:
            if blk is me:
                continue
            ps = [blk.part(s, participates(blk)) for s in blk.states]
            present = [p for p in ps if p is not None]
            if present and len(set(ps)) == 1:  # the same part in every state: exact
                big.append(present[0])
                small.append(present[0])
                continue
            if present:
                big.append((max(w for w, _ in present), None))
            if len(present) == len(ps):
                rooms = [r for _, r in present if r is not None]  # no room: uncapped, the largest
                small.append((min(w for w, _ in present), min(rooms) if rooms else None))
        lam_lo = _level(R[0], big)
        lam_hi = _level(R[1], small)
        if lam_lo is None:
            return None  # the generous demand does not absorb the money: give up rather than guess
        w, room = part
        a = lam_lo * w if room is None else min(lam_lo * w, room)
        if lam_hi is None:
            b = None if room is None else room
        else:
            b = lam_hi * w if room is None else min(lam_hi * w, room)
        got = (got[0] + a, _add(got[1], b))
    return got
