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

import heapq
from fractions import Fraction
from itertools import product

from .evaluate import _static
from .model import COMMON, Charter, ConversionUnit
from .rational import fast_rational, to_fraction

ZERO = Fraction(0)
INF = None  # an unbounded upper end


def _add(a, b):
    return None if a is None or b is None else a + b


def _sub0(a, b):
    """max(0, a − b) for an upper end a (None: unbounded) and a finite b."""
    return None if a is None else max(ZERO, a - b)


def _residual(sc, lo, hi, xcash_lo, xcash_hi) -> tuple:
    """The least and the most left for the holders, for exit values in [lo, hi] (hi None: unbounded)
    with exercise cash between xcash_lo and xcash_hi: the proceeds less the transaction costs, then
    less the carve-out (each step monotone, so the ends map to the ends)."""
    def after_carve(n):
        if n is None:
            return None
        return max(ZERO, n - min(n, sc.carve_out + n * sc.carve_out_percent)) if sc.has_carve_out else n

    return (after_carve(max(ZERO, lo + xcash_lo - sc.transaction_costs)),
            after_carve(_sub0(_add(hi, xcash_hi), sc.transaction_costs)))


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
    [lo, hi] and every choice of the units not in `fixed`; None when no bound is computed. The paired
    bounds (`paired_gain_bounds`) first, then intersected with the separate ones when they do not decide."""
    if model.readings.cap_dropout != "own_cap" or not plain_terms(model):
        return None
    paired = paired_gain_bounds(model, units, uid, lo, hi, fixed)
    if paired is not None and ((paired[0] is not None and paired[0] > 0)
                               or (paired[1] is not None and paired[1] <= 0)):
        return paired  # decided by the paired bounds alone
    single = separate_gain_bounds(model, units, uid, lo, hi, fixed)
    if paired is None:
        return single
    if single is None:
        return None if paired[0] is None else paired
    # both contain every concrete gain: so does their intersection
    glo = single[0] if paired[0] is None else max(single[0], paired[0])
    ghi = single[1] if paired[1] is None else (paired[1] if single[1] is None else min(single[1], paired[1]))
    return glo, ghi


def separate_gain_bounds(model: Charter, units: tuple[ConversionUnit, ...], uid: str, lo: Fraction,
                         hi: Fraction | None, fixed: dict[str, bool]) -> tuple[Fraction, Fraction | None] | None:
    """The acting and the keeping payoffs bounded each on its own (every free unit at its least in one
    and its most in the other): (lower of acting − upper of keeping, upper of acting − lower of keeping)."""
    if model.readings.cap_dropout != "own_cap" or not plain_terms(model):
        return None
    u = next(x for x in units if x.id == uid)
    # computed in fast exact rationals (gmpy2's mpq, the same values as Fraction), returned as Fraction
    qlo, qhi = fast_rational(lo), None if hi is None else fast_rational(hi)
    act = _payoff_bounds(model, units, u, True, qlo, qhi, fixed)
    keep = _payoff_bounds(model, units, u, False, qlo, qhi, fixed)
    if act is None or keep is None:
        return None
    glo = act[0] - keep[1] if keep[1] is not None else None
    if glo is None:
        return None
    ghi = None if act[1] is None else act[1] - keep[0]
    return to_fraction(glo), None if ghi is None else to_fraction(ghi)


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
    consts = st.block_constants(fast_rational)
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
    R = _residual(model.scenario, lo, hi, xcash_lo, xcash_hi)

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


# ---------------------------------------------------------------------------------------------------
# Paired bounds: the acting and the keeping runs side by side, the free units' states shared.
# ---------------------------------------------------------------------------------------------------


def _pmin(a, b):
    """min for lower ends where None is −∞."""
    return None if a is None or b is None else min(a, b)


def _pmax(a, b):
    """max for upper ends where None is +∞."""
    return None if a is None or b is None else max(a, b)


class _Shared:
    """Per (model, fixed choices): every holding's possible states with every unfixed unit free, and the
    least and the most each holding claims per tier, bases per tier, cash on conversion and residual part.
    Computed once and reused for every unit's paired bound under the same fixed choices."""

    def __init__(self, model: Charter, units, fixed: dict[str, bool]):
        st = _static(model)
        consts = st.block_constants(fast_rational)
        status = {x.id: fixed.get(x.id) for x in units}
        conv_of: dict[str, bool | None] = {}
        for x in units:
            if x.kind != "option":
                for m in x.members:
                    conv_of[m] = status[x.id]
        self.pool_of = {x.id: status[x.id] for x in units if x.kind == "option"}
        pools = {p.id for p in model.captable.options}
        series = st.series
        self.blocks: list[_Block] = []
        self.part_of: list[tuple] = []  # per block: (big part or None, small part or None, exact)
        self.sums: list[dict] = []  # per block: {key: (least, most)}
        for b in st.every:
            ex = (True,) if b.holder not in pools else (
                (self.pool_of[b.holder],) if self.pool_of[b.holder] is not None else (False, True))
            if b.klass == COMMON:
                cv = (False,)
            else:
                s = conv_of.get(b.klass, False)
                cv = (s,) if s is not None else (False, True)
            blk = _Block(b, tuple(product(ex, cv)), consts[b], st.tier_index.get(b.klass))
            self.blocks.append(blk)
            sums = {}
            if blk.tier is not None:
                for key, fn in ((("claim", blk.tier), blk.claim), (("basis", blk.tier), blk.basis)):
                    vals = [fn(s) for s in blk.states]
                    sums[key] = (min(vals), max(vals))
            vals = [blk.cash(s) for s in blk.states]
            sums[("cash",)] = (min(vals), max(vals))
            self.sums.append(sums)
            part = b.klass != COMMON and series[b.klass].participates
            ps = [blk.part(s, part) for s in blk.states]
            present = [p for p in ps if p is not None]
            big = small = None
            exact = bool(present) and len(set(ps)) == 1
            if exact:
                big = small = present[0]
            else:
                if present:
                    big = (max(w for w, _ in present), None)
                if len(present) == len(ps):
                    rooms = [r for _, r in present if r is not None]
                    small = (min(w for w, _ in present), min(rooms) if rooms else None)
            self.part_of.append((big, small, exact))
        self.totals: dict[tuple, list] = {}
        for sums in self.sums:
            for key, (a, c) in sums.items():
                t = self.totals.setdefault(key, [ZERO, ZERO])
                t[0] += a
                t[1] += c


_shared_cache: dict = {}


def _shared(model: Charter, units, fixed: dict[str, bool]) -> _Shared:
    key = (id(model), frozenset(fixed.items()))
    sh = _shared_cache.get(key)
    if sh is None or sh.model is not model:
        if len(_shared_cache) > 256:
            _shared_cache.clear()
        sh = _Shared(model, units, fixed)
        sh.model = model
        _shared_cache[key] = sh
    return sh


def _own_runs(model: Charter, u: ConversionUnit, sh: _Shared):
    """The indices of the holdings u's choice changes, with their state when keeping and when acting, or
    None when those are not exactly the holdings u's payoff counts (a class vote with a controller)."""
    if u.kind == "option":
        idx = [k for k, blk in enumerate(sh.blocks) if blk.b.holder == u.id]
        if any(sh.blocks[k].b.klass != COMMON for k in idx):
            return None  # a pool on a series: its holding also follows that series' conversion
        return idx, [(False, False)] * len(idx), [(True, False)] * len(idx)
    members = set(u.members)
    payees = _holders_of(u)
    if payees != members:
        return None  # a class vote's controller: the other members' holdings change too
    idx = [k for k, blk in enumerate(sh.blocks) if blk.b.klass in members]
    if any(sh.blocks[k].b.holder not in members for k in idx):
        return None
    if any(blk.b.holder in members and k not in idx for k, blk in enumerate(sh.blocks)):
        return None
    return idx, [(True, False)] * len(idx), [(True, True)] * len(idx)


def _own_demand_range(act_parts, keep_parts, lam_lo, lam_hi):
    """The least and the most of Σ_act min(λw, room) − Σ_keep min(λw, room) for λ in [lam_lo, lam_hi]
    (lam_hi None: unbounded; None ends where the difference is unbounded): a piecewise linear function,
    so its extremes are at the ends of the range or at a kink (λ = room / w) inside it."""
    def f(lam):
        a = sum((lam * w if r is None else min(lam * w, r) for w, r in act_parts), ZERO)
        k = sum((lam * w if r is None else min(lam * w, r) for w, r in keep_parts), ZERO)
        return a - k

    xs = [lam_lo] + [r / w for w, r in act_parts + keep_parts
                     if r is not None and w > 0 and r / w > lam_lo and (lam_hi is None or r / w < lam_hi)]
    if lam_hi is not None:
        xs.append(lam_hi)
    vals = [f(x) for x in xs]
    lo_, hi_ = min(vals), max(vals)
    if lam_hi is None:  # beyond every kink the slope is that of the uncapped parts
        slope = (sum((w for w, r in act_parts if r is None), ZERO)
                 - sum((w for w, r in keep_parts if r is None), ZERO))
        if slope > 0:
            hi_ = None
        elif slope < 0:
            lo_ = None
    return lo_, hi_


def paired_gain_bounds(model: Charter, units: tuple[ConversionUnit, ...], uid: str, lo: Fraction,
                       hi: Fraction | None, fixed: dict[str, bool]) -> tuple[Fraction | None, Fraction | None] | None:
    """(lower, upper) bounds of unit uid's gain (its payoff acting minus keeping) for exit values in
    [lo, hi] and every choice of the units not in `fixed`, the two runs taken together: a free unit
    is in the same state in both, so every holding other than u's own claims, weighs and is capped
    the same in both runs. None ends: unbounded; None: no bound (other readings or terms, or a unit
    whose payoff is not exactly the holdings its choice changes, such as a class vote's controller).

    What is followed, at each step of the waterfall, for one shared state of the free units:

    - R_k, what is left in the keeping run (an interval, as in `gain_bounds`);
    - dR = R_a − R_k, what is left when acting minus when keeping;
    - dP, what u has been paid so far when acting minus when keeping (an option pool starts at minus
      its exercise price); and S = dP + dR.

    Each step is a function x ↦ max(0, x − c) of what is left, the same for both runs except for u's
    own claim. With c the same, max(0, x) − max(0, y) lies between 0 and x − y: so dR' lies between 0
    and dR, and dR' − dR between 0 and −dR. In a tier where u's holdings claim f when kept (and
    nothing when converted), with p their keeping payment, dR' lies between 0 and dR + f, and
    h = dR' − dR − p (the change of S) is, when the tier pays in full (R_k ≥ T_k),
    max(0, T_k − f − R_a) ∈ [0, max(0, −dR)]; when it is short and pays by preference (p = R_k·f/T_k),
    h = max(−dR − p, R_k − T_k + f − p) with R_k − T_k + f − R_k·f/T_k = (R_k − T_k)(1 − f/T_k) ≤ 0,
    so h ∈ [−dR − p, max(0, −dR)]. Other shortfall bases and cash on conversion take the plain interval
    bounds of each term. Proceeds and the carve-out are nondecreasing and 1-Lipschitz in the exit value
    plus exercise cash, so an option pool's exercise price c gives dR ∈ [0, c].

    The residual: λ_r solves D(λ) + d_r(λ) = R_r in each run, where D (the other holdings' demand,
    Σ min(λw, room)) is shared and nondecreasing and d_r is u's own demand; u gets P_r = d_r(λ_r).
    Then P_a − P_k = dR − (D(λ_a) − D(λ_k)). If λ_a ≥ λ_k, P_a − P_k ≤ dR and
    P_a − P_k ≥ d_a(λ_k) − d_k(λ_k); if λ_a ≤ λ_k, the reverse. So the gain dP + P_a − P_k lies in
    [min(S, dP + m), max(S, dP + M)], with m and M the least and most of d_a − d_k over the keeping
    run's λ_k range (λ exists and is unique: the common's uncapped weight is demand in every state;
    without one no bound is given). For a fully participating series d_a = d_k and S never rises
    above 0: keeping is proved weakly better, which the separate bounds of `gain_bounds` cannot show.
    """
    if model.readings.cap_dropout != "own_cap" or not plain_terms(model):
        return None
    u = next(x for x in units if x.id == uid)
    sh = _shared(model, units, fixed)
    own = _own_runs(model, u, sh)
    if own is None:
        return None
    idx, keep_st, act_st = own
    mine = set(idx)
    blocks = sh.blocks
    q = fast_rational
    lo = q(lo)
    hi = None if hi is None else q(hi)

    def others(key):
        t0, t1 = sh.totals.get(key, (ZERO, ZERO))
        for k in idx:
            a = sh.sums[k].get(key)
            if a is not None:
                t0 -= a[0]
                t1 -= a[1]
        return t0, t1

    # proceeds: exercise cash of the other pools, u's own when it is a pool that acts
    pools = {p.id: p for p in model.captable.options}
    xc_lo = sum((p.count * p.exercise_price for p in model.captable.options
                 if sh.pool_of.get(p.id) is True and p.id != u.id), ZERO)
    xc_hi = xc_lo + sum((p.count * p.exercise_price for p in model.captable.options
                         if sh.pool_of.get(p.id) is None and p.id != u.id), ZERO)
    cost = q(pools[u.id].count * pools[u.id].exercise_price) if u.kind == "option" else q(0)
    R = _residual(model.scenario, lo, hi, xc_lo, xc_hi)
    dR = (q(0), cost)
    dP = (-cost, -cost)
    S = (-cost, q(0))

    def dR_after(dR, extra_keep):
        # dR' between 0 and dR + extra_keep (the keeping run's extra claim)
        return min(ZERO, dR[0] + extra_keep), max(ZERO, dR[1] + extra_keep)

    cash_first = model.readings.cash_on_conversion == "before_preferences"

    def cash_step(R, dR, dP, S):
        D_o = others(("cash",))
        d = sum((blocks[k].cash(act_st[j]) for j, k in enumerate(idx)), ZERO)
        R_new = (max(ZERO, R[0] - D_o[1]), _sub0(R[1], D_o[0]))
        if d == 0:
            dR2 = dR_after(dR, ZERO)
            h = (min(ZERO, -dR[1]), max(ZERO, -dR[0]))
            return R_new, dR2, dP, (S[0] + h[0], S[1] + h[1])
        Ra = (max(ZERO, R[0] + dR[0]), None if R[1] is None else R[1] + dR[1])
        D = (D_o[0] + d, D_o[1] + d)
        share = _tier_share(Ra, D, D, d, d)
        if share is None:
            return None
        dR2 = dR_after(dR, -d)
        dP2 = (dP[0] + share[0], dP[1] + share[1])
        h = (share[0] + dR2[0] - dR[1], share[1] + dR2[1] - dR[0])
        return R_new, dR2, dP2, (S[0] + h[0], S[1] + h[1])

    if cash_first:
        r = cash_step(R, dR, dP, S)
        if r is None:
            return None
        R, dR, dP, S = r
    for k, tier in enumerate(model.tiers):
        T_o = others(("claim", k))
        f = sum((blocks[j].claim(keep_st[n]) for n, j in enumerate(idx) if blocks[j].tier == k), ZERO)
        T = (T_o[0] + f, T_o[1] + f)
        if T[1] == 0:
            continue
        R_new = (max(ZERO, R[0] - T[1]), _sub0(R[1], T[0]))
        mine_here = any(blocks[j].tier == k for j in idx) and u.kind != "option"
        if not mine_here:
            dR2 = dR_after(dR, ZERO)
            h = (min(ZERO, -dR[1]), max(ZERO, -dR[0]))
            R, dR, S = R_new, dR2, (S[0] + h[0], S[1] + h[1])
            continue
        b_own = sum((blocks[j].basis(keep_st[n]) for n, j in enumerate(idx) if blocks[j].tier == k), ZERO)
        if tier.shortfall == "preference":
            share = _tier_share(R, T, T, f, f)
        else:
            B_o = others(("basis", k))
            share = _tier_share(R, T, (B_o[0] + b_own, B_o[1] + b_own), f, b_own)
        if share is None:
            return None
        p_lo, p_hi = share
        dR2 = dR_after(dR, f)
        # the plain bound of h = dR' − dR − p ...
        h_lo = dR2[0] - dR[1] - p_hi
        h_hi = dR2[1] - dR[0] - p_lo
        # ... and the paired one (in full, or short paid by preference)
        if tier.shortfall == "preference" or _le(T[1], R[0]):
            h_lo = max(h_lo, min(ZERO, -dR[1] - p_hi))
            h_hi = min(h_hi, max(ZERO, -dR[0]))
        R, dR, dP, S = R_new, dR2, (dP[0] - p_hi, dP[1] - p_lo), (S[0] + h_lo, S[1] + h_hi)
    if not cash_first:
        r = cash_step(R, dR, dP, S)
        if r is None:
            return None
        R, dR, dP, S = r

    # residual
    act_parts, keep_parts = [], []
    for n, j in enumerate(idx):
        blk = blocks[j]
        part = blk.b.klass != COMMON and _static(model).series[blk.b.klass].participates
        for st_, out in ((act_st[n], act_parts), (keep_st[n], keep_parts)):
            p = blk.part(st_, part)
            if p is not None and p[0] > 0:
                out.append(p)
    if not act_parts and not keep_parts:
        return to_fraction(dP[0]), to_fraction(dP[1])  # u takes no part in the residual: the gain is dP
    big, small = list(keep_parts), list(keep_parts)
    anchor = False
    for j, (b_, s_, exact) in enumerate(sh.part_of):
        if j in mine:
            continue
        if b_ is not None:
            big.append(b_)
        if s_ is not None:
            small.append(s_)
        if exact and b_[1] is None and b_[0] > 0:
            anchor = True
    if not anchor:
        return None
    lam_lo = _level(R[0], big)
    lam_hi = _level(R[1], small)
    if lam_lo is None:
        return None
    m, M = _own_demand_range(act_parts, keep_parts, lam_lo, lam_hi)
    g_lo = None if m is None else min(S[0], dP[0] + m)
    g_hi = None if M is None else max(S[1], dP[1] + M)
    return (None if g_lo is None else to_fraction(g_lo)), (None if g_hi is None else to_fraction(g_hi))


# ------------------------------------------------------------------ profiles ruled out by the bounds

# cells of exit values (`ruled_out_cells`): the first edges at the charter's scale times 2^k for k from
# FIRST_POWER to 0, then the unbounded cell pushed out x4 up to 2^LAST_POWER; a cell where two or more
# units stay undecided is halved, at most SPLIT_DEPTH times; at most BOUND_CALLS(d) bounds asked in all
# for d units (a bound costs about 1.5 ms, a table walked about 17 ms at 12 deciding units: measured,
# docs/performance.md "Late stage: ruled out by bounds")
FIRST_POWER, LAST_POWER, SPLIT_DEPTH = -3, 40, 5


def BOUND_CALLS(d: int) -> int:
    return max(16 * d, 2 ** d)


def forced_choices(model: Charter, units, uids, lo: Fraction, hi: Fraction | None,
                   fixed: dict[str, bool] | None = None, budget: list[int] | None = None) -> dict[str, bool]:
    """The choices of the units `uids` forced for every exit value in [lo, hi] (hi None: unbounded),
    unit id -> acts, by iterated elimination: a unit whose gain from acting is positive throughout for
    every choice of the units not yet forced (`decided`, without splitting) acts in every equilibrium
    there, one whose gain is never positive keeps; then the others are asked again with those fixed.
    `fixed`: choices already forced on a range holding [lo, hi] (they hold here too), or the state of a
    pool known there. Every other unit, option pools included, is free: any of its states is allowed.
    `budget`: [bounds that may still be asked], spent here; none is asked once it is 0 (fewer choices
    are then forced, never a wrong one)."""
    fixed = dict(fixed or {})
    changed = True
    while changed:
        changed = False
        for uid in uids:
            if uid in fixed:
                continue
            if budget is not None:
                if budget[0] <= 0:
                    return fixed
                budget[0] -= 1
            d = decided(model, units, uid, lo, hi, fixed, 0)
            if d is not None:
                fixed[uid] = d
                changed = True
    return fixed


def _scale(model: Charter) -> Fraction:
    """Where a charter's exit values start to matter: every preference claim, the costs and a fixed
    carve-out together (1 when there is none)."""
    st = _static(model)
    s = sum((st.full[sid] * model.outstanding(sid) for sid in st.full), ZERO)
    s += model.scenario.transaction_costs + model.scenario.carve_out
    return s if s > 0 else Fraction(1)


def ruled_out_cells(model: Charter, units, uids, resolved: tuple = (), common: int = 0,
                    split_depth: int | None = None) -> list[tuple] | None:
    """Cells [lo, hi] (hi None: unbounded) covering [0, ∞) in order, each with the choices forced on it
    (`forced_choices`, unit id -> acts): a profile of the units `uids` that disagrees with a cell's
    forced choices is no equilibrium anywhere in the cell, so one that disagrees in every cell is none
    anywhere. None when the bounds do not follow the model's terms (`gain_bounds`).

    The cells: [0, S/8], then doubling up to S (S, `_scale`), then [x, 4x] from x = S on while the
    unbounded cell [x, ∞) leaves a unit undecided and has decided more units in the last four pushes,
    up to S·2^LAST_POWER; a cell in which two or more units stay undecided is halved, up to
    `split_depth` (SPLIT_DEPTH) times, the cells with the most units undecided first, each half starting
    from its cell's forced choices (they hold on the half); at most `BOUND_CALLS` bounds in all.

    `resolved`: the pools resolved by threshold, ((strike, unit ids), ...), and `common` the common
    shares outstanding. On a cell with exit values at most hi such a pool of strike k is unexercised in
    every profile's fixed point when k·common ≥ hi + the exercise money of every other pool − costs: it
    exercises only when v(P_0) > k (options.py: adding a pool of strike k' < v lowers the value per
    share v, so v(P_{j−1}) ≤ v(P_0)), and the common's payout with no resolved pool exercised is at
    most the net proceeds. Those pools are fixed unexercised on the cell (their state in a profile and
    in its deviations alike); every other pool stays free."""
    if model.readings.cap_dropout != "own_cap" or not plain_terms(model):
        return None
    depth = SPLIT_DEPTH if split_depth is None else split_depth
    budget = [BOUND_CALLS(len(uids))]
    ids = {i for _, g in resolved for i in g}
    cash = sum((p.count * p.exercise_price for p in model.captable.options if p.id not in ids), ZERO)
    costs = model.scenario.transaction_costs

    def idle(hi) -> dict[str, bool]:  # the resolved pools unexercised on every cell up to hi
        if hi is None or common <= 0:
            return {}
        top = max(ZERO, hi + cash - costs)
        return {i: False for k, g in resolved if k * common >= top for i in g}

    def forced(lo, hi, fixed):
        f = forced_choices(model, units, uids, lo, hi, {**fixed, **idle(hi)}, budget)
        return {u: c for u, c in f.items() if u in uids}

    # the cells at the charter's scale, then the unbounded one pushed out
    S = _scale(model)
    edges = [ZERO] + [S * Fraction(2) ** k for k in range(FIRST_POWER, 1)]
    cells = [(lo, hi, forced(lo, hi, {}), depth) for lo, hi in zip(edges, edges[1:])]
    lo, k = edges[-1], 0
    seen = []  # how many units the unbounded cell decided, push by push
    while True:
        tail = forced_choices(model, units, uids, lo, None, None, budget)
        seen.append(len(tail))
        if len(tail) == len(uids) or k >= LAST_POWER or budget[0] <= 0 or (len(seen) > 4 and seen[-1] <= seen[-5]):
            break
        cells.append((lo, lo * 4, forced(lo, lo * 4, tail), depth))
        lo, k = lo * 4, k + 2
    # then halved, the cells with the most units undecided first, while the budget lasts
    done = {}
    heap = []
    for n, (a, b, f, d) in enumerate(cells):
        done[(a, b)] = f
        if len(uids) - len(f) >= 2:
            heapq.heappush(heap, (len(f) - len(uids), n, a, b, f, d))
    n = len(cells)
    while heap and budget[0] > 0:
        _, _, a, b, f, d = heapq.heappop(heap)
        if d <= 0:
            continue
        mid = (a + b) / 2
        del done[(a, b)]
        for x, y in ((a, mid), (mid, b)):
            g = forced(x, y, f)
            done[(x, y)] = g
            if len(uids) - len(g) >= 2:
                n += 1
                heapq.heappush(heap, (len(g) - len(uids), n, x, y, g, d - 1))
    out = [(a, b, f) for (a, b), f in sorted(done.items())]
    out.append((lo, None, tail))
    return out


def surviving_profiles(model: Charter, units, deciding, cells) -> set[tuple] | None:
    """The profiles of the deciding units (full-length, every other unit not acting, as
    `options.deciding_profiles` gives them) that agree with some cell's forced choices; None when a
    cell forces nothing (every profile)."""
    if any(not forced for _, _, forced in cells):
        return None
    n = len(units)
    out: set[tuple] = set()
    for _, _, forced in cells:
        base = [False] * n
        free = []
        for i in deciding:
            c = forced.get(units[i].id)
            if c is None:
                free.append(i)
            else:
                base[i] = c
        for bits in product((False, True), repeat=len(free)):
            for i, b in zip(free, bits):
                base[i] = b
            out.add(tuple(base))
    return out
