"""Every conversion profile's payouts as exact piecewise-linear tables, and from them the
equilibria at every exit value at once — the direct evaluator's complete sweep (no solver).

For a charter with few deciding units (up to `MAX_TABLE_UNITS`) this is an exhaustive
exact computation:

1. For every one of the 2^units profiles, the waterfall run on affine numbers from exit
   value 0 upwards gives each payout as a piecewise-linear function: its kinks, the affine
   form on every open stretch between kinks, and the exact value at each kink (computed by
   the plain waterfall there, so a jump at a kink is seen).
2. A unit's incentive to switch (its payoff in the profile minus its payoff after switching
   alone) is then known exactly everywhere: affine on each open stretch between the kinks of
   the two profiles, exact at each kink. Its truth as an equilibrium condition (acting needs
   a strict gain; keeping, no loss) can change only at those kinks and at roots inside a
   stretch, and at such a point it may differ from both sides (a gain touching zero).
3. One pass over those points in order, counting each profile's violated conditions, gives
   the equilibrium set on every open interval between event points and at every event point.
   Everywhere else the set is the one of the surrounding interval.

Arithmetic is in fast exact rationals (`rational.fast_rational`); results leave as Fractions.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from itertools import product

from .affine import fast_variable
from .bounds import ruled_out_cells, surviving_profiles
from .evaluate import ExitResult, choice_of, plan, profile_ids, run
from .game import flip, profile_key, unit_payoff
from .model import COMMON, Charter
from .options import deciding_indices, deciding_profiles, exceeds, threshold_pools, with_prefix
from .rational import fast_rational, to_fraction

MAX_TABLE_UNITS = 12
# the resolved tables past the plain ones: at most this many profile x unit^2 cells (memory, measured)
RESOLVED_CELLS = 2 ** 20
# with pools resolved by threshold each deciding profile also needs one deviation table per deciding
# unit: the resolved tables are used while 2^d (d + 1) stays within twice the 2^12 profiles of the
# plain tables (d <= 9; `table_mode`); above that a model whose units, pools included, fit the plain tables plays
# them as the 2^n game (the same equilibria, tested), and any other goes to the z3 sweep


def table_mode(model: Charter, limit: int | None = None) -> str | None:
    """How the exact tables take a model: "resolved" (pools by threshold), "game" (every unit a
    unit of the 2^n game), or None (too many deciding units: the z3 sweep). `limit`: the plain
    tables' number of units (MAX_TABLE_UNITS; below 0, never the tables)."""
    if limit is None:
        limit = MAX_TABLE_UNITS
    if limit < 0:
        return None
    d = len(deciding_indices(model))
    if threshold_pools(model) is not None and 2 ** d * (d + 1) <= 2 * 2 ** limit:
        return "resolved"
    if len(model.units()) <= limit:
        return "game"
    # past the plain tables: still the resolved tables up to their limit while they stay small in
    # memory (each profile's table has about one stretch per unit, each with a form per holder: 2^d n^2
    # cells, about 0.75 KB each; 2^12 profiles of 16 units peak at 0.8 GB); the z3 sweep's whole-game
    # search gives up at points from 12 deciding units (docs/performance.md)
    n = len(model.units())
    pools = threshold_pools(model)
    if pools is not None and d <= limit and (2 ** d * n * n <= RESOLVED_CELLS
                                             or resolved_bytes(model) <= RESOLVED_BYTES):
        return "resolved"
    return None


# the resolved tables with the pools merged into the common (`_merged_plan`): at most this many bytes,
# worst case (`resolved_bytes`), beside the rest of a run (CI holds a run under 1 GB, issue 15)
RESOLVED_BYTES = 600 * 2 ** 20


def resolved_bytes(model: Charter) -> int:
    """The resolved tables' memory, worst case (every profile kept in full; measured in
    docs/performance.md "Late stage"): about one stretch per deciding unit and per strike group, each
    with about 150 bytes per holder kept (the series, the common, the other units: a form and a value),
    and per profile one full profile per strike prefix (8 bytes per unit)."""
    pools = threshold_pools(model)
    d, n, g = len(pools.deciding), len(model.units()), len(pools.groups)
    h = len(model.holders) - len(pools.resolved)
    return 2 ** d * ((d + g + 1) * h * 150 + (g + 1) * (8 * n + 56))


def fits_tables(model: Charter, limit: int | None = None) -> bool:
    return table_mode(model, limit) is not None


def fits_twice(model: Charter) -> bool:
    """Whether a second set of tables (a reading's alternative, held beside the model's own) stays
    small in memory: the plain tables, or resolved tables of at most half `RESOLVED_CELLS` (a model
    at the limit takes about 0.8 GB for one set)."""
    mode = table_mode(model)
    if mode != "resolved":
        return mode is not None
    n = len(model.units())
    return 2 ** len(deciding_indices(model)) * n * n <= RESOLVED_CELLS // 2

Profile = tuple[bool, ...]


@dataclass
class ProfileTable:
    """One profile's payouts over [0, ∞): stretch j is (xs[j], xs[j+1]) (the last one unbounded)."""

    xs: list  # stretch starts: 0 and every kink, increasing (fast rationals)
    forms: list[dict[str, tuple]]  # per stretch: holder -> (intercept, slope)
    # per stretch: per unit -> (intercept, slope); a resolved table (`build_resolved`) keeps them flat,
    # (intercept, slope, intercept, slope, ...) per deciding unit, and its forms and values at xs as
    # `_WithPools` mappings
    unit_forms: list[list[tuple]]
    at: list[dict[str, object]]  # exact payouts at xs[j]
    unit_at: list[list[object]]  # exact unit payoffs at xs[j]
    causes_lo: list[set[str]]  # per stretch: why its start is a kink (seen from inside the stretch)
    causes_hi: list[set[str]]  # per stretch: why its end is a kink
    # pools resolved by threshold (options.py): the full profile played on each stretch and at each xs
    prof: list | None = None
    prof_at: list | None = None

    def stretch(self, x) -> int:
        return bisect_right(self.xs, x) - 1

    def payouts(self, x) -> dict[str, object]:
        """Exact payouts at x (fast rationals)."""
        j = self.stretch(x)
        if self.xs[j] == x:
            return self.at[j]
        return {h: a + b * x for h, (a, b) in self.forms[j].items()}

    def payouts_view(self, x) -> Mapping:
        """`payouts(x)` read holder by holder: each payout is computed when it is first read."""
        j = self.stretch(x)
        if self.xs[j] == x:
            return self.at[j]
        return _FormsAt(self.forms[j], x)


class _FormsAt(Mapping):
    """One profile's payouts at an exit value inside a stretch, each worked out when first read
    (the same value as `ProfileTable.payouts`; the vote move reads only a few holders)."""

    __slots__ = ("forms", "x", "done")

    def __init__(self, forms: dict[str, tuple], x):
        self.forms, self.x, self.done = forms, x, {}

    def __getitem__(self, h):
        done = self.done
        if h in done:
            return done[h]
        a, b = self.forms[h]
        v = done[h] = a + b * self.x
        return v

    def __iter__(self):
        return iter(self.forms)

    def __len__(self) -> int:
        return len(self.forms)


def _form(f):
    return (f.intercept(), f.s)


def build_table(model: Charter, units, profile: Profile, reuse=None, agree: dict | None = None) -> ProfileTable:
    """`reuse(plan)`: None, or (table, k, hi, tail) for another reading's `table` of the same profile:
    its first k stretches are this one's too, field by field, except that the causes of the k-th one's
    end are `hi` when not None (`readings._cap_prefix`); and when `tail` is not None, every stretch
    of `table` that starts above `tail` is this one's too (`readings._cash_suffix`). Those are copied;
    the walk builds the rest. `agree`: profile -> (S, T) recorded there when `table` is reused: the two
    tables' payoffs are the same on [0, S) and above T (None: S everywhere, T nowhere; `Tables._sweep`)."""
    pl = plan(model, choice_of(units, profile), fast_rational)
    t = ProfileTable([], [], [], [], [], [], [])
    x = fast_rational(0)
    src, k, hi, tail = (reuse(pl) if reuse is not None else None) or (None, 0, None, None)
    if src is not None and agree is not None:
        agree[profile] = (src.xs[k] if k < len(src.xs) else None, tail)
    if k > 0:
        if k >= len(src.xs) and hi is None:  # the whole table
            return src
        _copy(t, src, 0, k)
        if hi is not None:
            t.causes_hi[-1] = hi
        if k >= len(src.xs):
            return t
        x = src.xs[k]
    while True:
        if tail is not None and x > tail:
            j = bisect_right(src.xs, x) - 1
            if src.xs[j] == x:
                _copy(t, src, j, len(src.xs))
                return t
        v = fast_variable(x, 1)
        x = _append_stretch(t, model, units, x, run(pl, v), run(pl, x), v.tracker)
        if x is None:
            return t


def _copy(t: ProfileTable, src: ProfileTable, i: int, j: int) -> None:
    for name in ("xs", "forms", "unit_forms", "at", "unit_at", "causes_lo", "causes_hi"):
        getattr(t, name).extend(getattr(src, name)[i:j])


def _pair(t1: ProfileTable, t2: ProfileTable, i: int, start=None, prev=None, stop=None) -> tuple[bool, list]:
    """Unit i's condition in profile t1 (keeping) against t2 (i switched): (its truth right of 0, the
    events [(x, truth before, at, after)] where it changes), walking the kinks of both tables in order
    and the roots between them. `start`: walk from this kink of either table on, the truth just left
    of it being `prev` (the events before it are the caller's); `stop`: only the events at or below it.
    The switched profile's condition is the negation of each."""
    xs1, xs2, uf1, uf2 = t1.xs, t2.xs, t1.unit_forms, t2.unit_forms
    n1, n2 = len(xs1), len(xs2)
    ks = sorted(set(xs1) | set(xs2))
    evs: list[tuple] = []
    first = None
    j0 = 0
    j1 = j2 = 0  # the stretch of each table holding k (both start at 0)
    if start is not None:
        j0 = bisect_right(ks, start) - 1
        j1, j2 = bisect_right(xs1, start) - 1, bisect_right(xs2, start) - 1
    nk = len(ks)
    for j in range(j0, nk):
        k = ks[j]
        if stop is not None and k > stop:
            break
        while j1 + 1 < n1 and xs1[j1 + 1] <= k:
            j1 += 1
        while j2 + 1 < n2 and xs2[j2 + 1] <= k:
            j2 += 1
        a1, b1 = uf1[j1][i]
        a2, b2 = uf2[j2][i]
        A, B = a1 - a2, b1 - b2
        after = _sign_right(A, B, k) >= 0  # the keeper's condition; the actor's is its negation
        p1 = t1.unit_at[j1][i] if xs1[j1] == k else a1 + b1 * k
        p2 = t2.unit_at[j2][i] if xs2[j2] == k else a2 + b2 * k
        at = p1 - p2 >= 0
        if prev is None:  # k = 0: the point 0 and the first stretch
            first = after
            if at != after:
                evs.append((k, after, at, after))
        elif not (prev == at == after):
            evs.append((k, prev, at, after))
        prev = after
        if B != 0:
            r = -A / B
            hi = ks[j + 1] if j + 1 < nk else None
            if r > k and (hi is None or r < hi) and (stop is None or r <= stop):
                after_r = B > 0  # past the root the sign is the slope's
                # at the root the incentive is 0: the keeper's condition holds there
                if not (prev and after_r):
                    evs.append((r, prev, True, after_r))
                prev = after_r
    return first, evs


def _append_stretch(t: ProfileTable, model: Charter, units, x, pay, exact, tracker):
    """Record in `t` the stretch that starts at x: every holder's and unit's payout as a form (`pay`,
    run on the affine number from x) and exactly at x (`exact`), and what starts and ends it. Returns
    where it ends (None: it runs to infinity)."""
    t.xs.append(x)
    forms = {h: _form(pay[h]) for h in model.holders}
    t.forms.append(forms)
    t.unit_forms.append([_unit_form(model, u, forms, pay) for u in units])
    t.at.append(exact)
    t.unit_at.append([unit_payoff(model, u, exact) for u in units])
    t.causes_lo.append(set(tracker.at_origin))
    nxt = tracker.bound
    t.causes_hi.append(set(tracker.causes.get(nxt, ())) if nxt is not None else set())
    return nxt


def _unit_form(model: Charter, u, forms: dict[str, tuple], pay) -> tuple:
    """`_form(unit_payoff(model, u, pay))` read off the holders' forms: a unit's payoff is one holder's
    payout (a pool's, a controlling series') or the sum of its members' (`game.unit_payoff`), and the
    form of a sum is the sum of the forms (the intercepts and the slopes add, exactly)."""
    if u.kind == "option":
        return forms[u.id]
    if u.controller is not None:
        return forms[u.controller]
    members = u.members
    if not members:
        return _form(unit_payoff(model, u, pay))
    a, b = forms[members[0]]
    for m in members[1:]:
        c, d = forms[m]
        a, b = a + c, b + d
    return (a, b)


def _sign_right(A, B, x) -> int:
    g = A + B * x
    if g != 0:
        return 1 if g > 0 else -1
    return (B > 0) - (B < 0)


class _Pools:
    """Which resolved pools a full profile exercises, and how each one's payout follows from the
    common's: an exercised pool of c options at strike k holds c shares of common and has paid c·k in,
    so its payout is the common's payout times c/N (N the common shares outstanding) less c·k; an
    unexercised one gets 0 (options.py). Shared by every stretch that exercises the same pools."""

    __slots__ = ("order", "pools", "S", "C", "q", "zero", "sums")

    def __init__(self, order, pools: dict, S, C, q, zero):
        self.order = order  # every holder, in model order
        self.pools = pools  # resolved pool id -> (c/N, c·k) when exercised, else None
        self.S, self.C = S, C  # shares and exercise money of the exercised pools
        self.q = q  # N / (N + S): the common's part of the merged common-class block
        self.zero = zero
        self.sums = None  # (sum of c/N, sum of c·k) over the exercised pools (`_total`)


class _WithPools(Mapping):
    """Payouts (or forms, `form`) of every holder, the resolved pools' derived from the common's
    (`_Pools`) when read: a resolved table keeps the series', the common's and the other units' only,
    flat in `vals` (a form as intercept and slope side by side), at the places `index` gives."""

    __slots__ = ("vals", "index", "spec", "form")

    def __init__(self, vals: tuple, index: dict, spec: _Pools, form: bool):
        self.vals, self.index, self.spec, self.form = vals, index, spec, form

    def __getitem__(self, h):
        vals = self.vals
        p = self.index.get(h)
        if p is None:
            r = self.spec.pools[h]  # KeyError: not a holder
            z = self.spec.zero
            if r is None:
                return (z, z) if self.form else z
            ratio, cost = r
            p = self.index[COMMON]
            if self.form:
                return (vals[p] * ratio - cost, vals[p + 1] * ratio)
            return vals[p] * ratio - cost
        if self.form:
            return (vals[p], vals[p + 1])
        return vals[p]

    def __iter__(self):
        return iter(self.spec.order)

    def __len__(self) -> int:
        return len(self.spec.order)

    def __contains__(self, h) -> bool:
        return h in self.index or h in self.spec.pools


def _merged_plan(pl, S, C, holders):
    """`pl` (a plan in which no resolved pool exercises) with the exercised resolved pools merged into
    the common: S more shares of common weight in the residual and their exercise money C paid in.
    Every comparison of the waterfall is the one of the plan with the pools as holders of their own
    (the same sums: total weight, common-class weight, cap levels), so the stretches and their causes
    are the same; the merged block's payout is the common's and the pools' together, in proportion
    to their shares. None when the plan has a step the pools' weight moves otherwise ("greater of")."""
    if pl.alt_rooms or any(t[6] is not None for t in pl.tiers):
        return None
    parts = list(pl.parts)
    ci = next(i for i, p in enumerate(parts) if p[0] == COMMON)
    h, w, room, pref = parts[ci]
    parts[ci] = (h, w + S, room, pref)
    cap_steps = tuple((i, None if i < 0 else spent + (parts[i][2] / parts[i][1]) * (W + S), spent, W + S, label)
                      for i, _, spent, W, label in pl.cap_steps)
    first_cap = None if pl.first_cap is None else (pl.first_cap[0], pl.first_cap[1] + S)
    catch_up = None
    if pl.catch_up is not None:
        total, Wc, label = pl.catch_up
        catch_up = (total / Wc * (Wc + S), Wc + S, label)
    return replace(pl, holders=holders, extra_cash=pl.extra_cash + C, parts=tuple(parts), weight=pl.weight + S,
                   cap_steps=cap_steps, first_cap=first_cap, catch_up=catch_up)


_PLANS_KEPT = 4096  # merged plans kept at once (`_Resolver.plan`); the deciding profiles' own are all kept


class _Resolver:
    """The pools of common resolved by threshold (options.py) on the tables' exact and affine numbers.

    Prefix m (the m lowest strike groups exercised) is the pools' equilibrium given the other units
    exactly when k_m < v(P_m) <= k_{m+1} (v the value per common share with P_m exercised): with the
    equivalence v(P ∪ {q}) > k_q <=> v(P) > k_q both conditions of the fixed point are read off the
    one run of P_m, and on affine numbers their comparisons bound the stretch where m holds.

    The waterfall of a profile runs with its exercised resolved pools merged into the common
    (`_merged_plan`): one plan per deciding profile, adjusted per set of exercised pools, and every
    resolved pool's payout derived from the common's when read (`_WithPools`)."""

    def __init__(self, model: Charter, units, pools, merge: bool = True):
        """`merge` False: every pool a holder of its own in every run (the reference the merged tables
        are tested against)."""
        self.model, self.units, self.pools = model, units, pools
        self.merge = merge
        self.ks = [k for k, _ in pools.groups]
        self.resolved = pools.resolved
        self.ids = {units[i].id: i for i in self.resolved}
        self.holders = tuple(h for h in model.holders if h not in self.ids)
        self.N = fast_rational(pools.common)
        self.zero = fast_rational(0)
        self.opts = {p.id: p for p in model.captable.options}
        self.plans: dict[Profile, tuple] = {}
        self.specs: dict[tuple, _Pools] = {}
        self.base: dict[Profile, object] = {}
        self.interned: dict[Profile, Profile] = {}  # one tuple per full profile the tables hold
        self._layouts: dict[bool, tuple] = {}

    def layout(self, sp: _Pools) -> tuple:
        """How a stretch of a resolved table stores its payouts flat (`_WithPools`): (holders kept,
        holder -> place of its form, holder -> place of its value, per deciding unit the place of its
        holder's form or None when a unit is several holders)."""
        merged = sp.q is not None
        out = self._layouts.get(merged)
        if out is None:
            hs = self.holders if merged else self.model.holders
            forms = {h: 2 * p for p, h in enumerate(hs)}
            vals = {h: p for p, h in enumerate(hs)}
            ui = []
            for i in self.pools.deciding:
                u = self.units[i]
                h = u.id if u.kind == "option" else u.controller if u.controller is not None else (
                    u.members[0] if len(u.members) == 1 else None)
                ui.append(forms[h] if h is not None else None)
            out = self._layouts[merged] = (hs, forms, vals, None if None in ui else tuple(ui))
        return out

    def spec(self, ex: tuple) -> _Pools:
        """The `_Pools` of the exercised resolved pools `ex` (unit indices, increasing)."""
        sp = self.specs.get(ex)
        if sp is None:
            N = self.N
            S = sum((fast_rational(self.opts[self.units[i].id].count) for i in ex), self.zero)
            C = sum((fast_rational(self.opts[self.units[i].id].count * self.opts[self.units[i].id].exercise_price)
                     for i in ex), self.zero)
            pools = dict.fromkeys(self.ids)
            for i in ex:
                p = self.opts[self.units[i].id]
                pools[p.id] = (fast_rational(p.count) / N, fast_rational(p.count * p.exercise_price))
            sp = self.specs[ex] = _Pools(self.model.holders, pools, S, C, N / (N + S), self.zero)
        return sp

    def plan(self, pr: Profile):
        """(plan, _Pools) of full profile pr: its exercised resolved pools merged into the common."""
        p = self.plans.get(pr)
        if p is None:
            ex = tuple(i for i in self.resolved if pr[i])
            sp = self.spec(ex)
            bp = _project(pr, self.resolved)
            pl = self.base.get(bp)
            if pl is None:
                pl = self.base[bp] = replace(plan(self.model, choice_of(self.units, bp), fast_rational),
                                             holders=self.holders)
            if ex or not self.merge:
                pl = _merged_plan(pl, sp.S, sp.C, self.holders) if self.merge else None
                if pl is None:  # not mergeable: the pools as holders of their own (every payout computed)
                    pl = plan(self.model, choice_of(self.units, pr), fast_rational)
                    sp = _Pools(self.model.holders, {}, None, None, None, self.zero)
            if len(self.plans) >= _PLANS_KEPT:  # a few profiles' merged plans at a time (memory)
                self.plans.clear()
            p = self.plans[pr] = (pl, sp)
        return p

    def run(self, pr: Profile, x):
        """(payouts of the series, the common and the other units, _Pools) of full profile pr at x."""
        pl, sp = self.plan(pr)
        pay = run(pl, x)
        if sp.q is not None and sp.S:
            pay[COMMON] = pay[COMMON] * sp.q  # the common's part of the merged block
        return pay, sp

    def step(self, common_payout, m: int) -> int:
        """0 when prefix m is the fixed point at this number, else the direction towards it."""
        W = self.pools.common
        if m > 0 and not exceeds(common_payout, self.ks[m - 1], W):
            return -1
        if m < len(self.ks) and exceeds(common_payout, self.ks[m], W):
            return 1
        return 0

    def settle(self, sigma: Profile, m: int, number):
        """(m, profile, (payouts, _Pools), number) of the pools' fixed point given sigma, from prefix m;
        `number()` gives a fresh exit value (an affine one on the right of a point, or the point itself)."""
        while True:
            pr = with_prefix(self.pools, sigma, m)
            x = number()
            pay = self.run(pr, x)
            d = self.step(pay[0][COMMON], m)
            if d == 0:
                return m, pr, pay, x
            m += d


_NEVER = 1 << 40  # the violation count of a profile its units' conditions rule out on all of [0, ∞)


def _meet(f: list[tuple], g: list[tuple]) -> list[tuple]:
    """Where two conditions both hold: each a step list [(x, holds at x, holds right of x)] from 0, in
    order (holding right of x until the next x); the result in the same form, runs merged."""
    out: list[tuple] = []
    i = j = 0
    fa = ga = False  # the truth right of the last step passed
    nf, ng = len(f), len(g)
    while i < nf or j < ng:
        x = min(f[i][0] if i < nf else g[j][0], g[j][0] if j < ng else f[i][0])
        if i < nf and f[i][0] == x:
            f_at, fa = f[i][1], f[i][2]
            i += 1
        else:
            f_at = fa
        if j < ng and g[j][0] == x:
            g_at, ga = g[j][1], g[j][2]
            j += 1
        else:
            g_at = ga
        at, after = f_at and g_at, fa and ga
        if out and out[-1][2] == at == after:
            continue
        out.append((x, at, after))
    return out


def build_resolved(res: _Resolver, sigma: Profile, deciding) -> ProfileTable:
    """The payouts of deciding profile sigma with the pools at their fixed point, over [0, ∞)."""
    model = res.model
    units = [res.units[i] for i in deciding]
    t = ProfileTable([], [], [], [], [], [], [], [], [])
    x = fast_rational(0)
    m = m_at = 0
    ks, N, Z = res.ks, res.N, res.zero
    intern = res.interned
    last, last_at = (), ()
    while True:
        # the fixed point is unique (options.py): where each settle starts changes only how many runs it takes
        m_at, pr_at, (exact, sp_at), _ = res.settle(sigma, m_at, lambda: x)
        m, pr, (pay, sp), v = res.settle(sigma, m, lambda: fast_variable(x, 1))
        t.prof.append(intern.setdefault(pr, pr))
        t.prof_at.append(intern.setdefault(pr_at, pr_at))
        tracker = v.tracker
        hs, index, _, ui = res.layout(sp)
        flat = []
        for h in hs:
            f = pay[h]
            a, b = f.intercept(), f.s
            flat.append(a if a else Z)
            flat.append(b if b else Z)
        if len(flat) == len(last):  # a value the previous stretch has at the same place: that one object
            flat = [v if v != w else w for v, w in zip(flat, last)]
        last = flat
        t.xs.append(x)
        t.forms.append(_WithPools(tuple(flat), index, sp, True))
        t.unit_forms.append(tuple(flat[p + e] for p in ui for e in (0, 1)) if ui is not None
                            else tuple(c for u in units for c in _form(unit_payoff(model, u, pay))))
        hs, _, index_at, ui_at = res.layout(sp_at)
        vals = tuple((w if w else Z) for w in (exact[h] for h in hs))
        if len(vals) == len(last_at):
            vals = tuple(v if v != w else w for v, w in zip(vals, last_at))
        last_at = vals
        t.at.append(_WithPools(vals, index_at, sp_at, False))
        t.unit_at.append(tuple(vals[p // 2] for p in ui_at) if ui_at is not None
                         else tuple(unit_payoff(model, u, exact) for u in units))
        t.causes_lo.append(set(tracker.at_origin) if tracker.at_origin else _NONE)
        x = tracker.bound
        t.causes_hi.append(set(tracker.causes[x]) if x is not None and x in tracker.causes else _NONE)
        if x is None:
            return t
        # at x the value per share is the stretch's limit; past it the next strike group exercises
        # when that value reaches its strike there
        m_at = m
        if m < len(ks):
            p = index[COMMON]
            if flat[p] + flat[p + 1] * x == ks[m] * N:
                m += 1


_NONE = frozenset()  # the causes of most stretch ends (shared: read, never changed)


def _holds_in(steps: list[tuple], xs: list) -> list[bool]:
    """Per stretch [xs[j], xs[j+1]) (the last one unbounded) whether the step list `steps`
    [(x, holds at x, holds right of x)] from 0 holds somewhere in it."""
    out = []
    p, n = 0, len(steps)
    state = False  # the truth right of the last step passed
    for j, x0 in enumerate(xs):
        x1 = xs[j + 1] if j + 1 < len(xs) else None
        hit = False
        while p < n and steps[p][0] <= x0:
            if steps[p][0] == x0 and steps[p][1]:
                hit = True
            state = steps[p][2]
            p += 1
        hit = hit or state
        q = p
        while not hit and q < n and (x1 is None or steps[q][0] < x1):
            hit = steps[q][1] or steps[q][2]
            q += 1
        out.append(hit)
    return out


def build_deviation(res: _Resolver, base: ProfileTable, i: int, k: int, other: ProfileTable | None = None,
                    need: list[bool] | None = None):
    """Unit i's payoff (k: its place among the deciding units) when it alone switches from the
    profile of `base`, the pools held where base has them: (xs, forms, values at xs).

    `other`: the resolved table of the switched profile; wherever its pools are where base has them,
    its stretch is the deviation's (the same full profile), read off without running the waterfall.
    `need`: per stretch of base whether it is asked for (`_holds_in`); one not asked for gives its
    start with None as its form and value."""
    model, u = res.model, res.units[i]
    xs, forms, at = [], [], []
    n = len(base.xs)
    no = len(other.xs) if other is not None else 0
    for j, x0 in enumerate(base.xs):
        if need is not None and not need[j]:  # not asked for: the stretch's start, without a payoff
            xs.append(x0)
            forms.append(None)
            at.append(None)
            continue
        x1 = base.xs[j + 1] if j + 1 < n else None
        pr, pr_at = flip(base.prof[j], i), flip(base.prof_at[j], i)
        x = x0
        while True:
            here = pr_at if x == x0 else pr  # the profile played at the point x itself
            jo = other.stretch(x) if other is not None else -1
            if jo >= 0 and other.prof[jo] == pr:
                uf = other.unit_forms[jo]
                a, b = uf[2 * k], uf[2 * k + 1]
                if other.xs[jo] == x:
                    val = other.unit_at[jo][k] if other.prof_at[jo] == here else None
                else:
                    val = a + b * x if here == pr else None
                if val is None:
                    val = unit_payoff(model, u, res.run(here, x)[0])
                nxt = other.xs[jo + 1] if jo + 1 < no else None
            else:
                v = fast_variable(x, 1)
                f = unit_payoff(model, u, res.run(pr, v)[0])
                a, b = _form(f)
                val = unit_payoff(model, u, res.run(here, x)[0])
                nxt = v.tracker.bound
                if jo >= 0 and jo + 1 < no and (nxt is None or other.xs[jo + 1] < nxt):
                    nxt = other.xs[jo + 1]  # where the switched profile's own pools may come to agree
            xs.append(x)
            forms.append((a, b))
            at.append(val)
            if nxt is None or (x1 is not None and nxt >= x1):
                break
            x = nxt
    return xs, forms, at


REUSE_GROUPS = 8  # strike groups up to which a deviation reads the switched profile's table (measured)


class _Slim:
    """A resolved table kept without its payouts (a profile its units rule out everywhere): its kinks,
    pools and causes, and what conservation found on it (`conservation_shortfall`, worked out before
    the payouts were let go). Its payouts are built again, not kept, whenever they are read."""

    _PAYOUTS = ("forms", "at", "unit_forms", "unit_at")

    def __init__(self, t: ProfileTable, rebuild, shortfall):
        self.xs, self.prof, self.prof_at = t.xs, t.prof, t.prof_at
        self.causes_lo, self.causes_hi = t.causes_lo, t.causes_hi
        self._rebuild, self.shortfall = rebuild, shortfall

    def __getattr__(self, name):
        if name in _Slim._PAYOUTS:
            return getattr(self._rebuild(), name)
        raise AttributeError(name)

    stretch = ProfileTable.stretch

    def payouts(self, x):
        return self._rebuild().payouts(x)

    def payouts_view(self, x):
        return self._rebuild().payouts_view(x)


class _Unbuilt:
    """A resolved table never built: the interval bounds rule its profile out on every cell of exit
    values (`bound_candidates`), so nothing the sweep does reads it. Anything read of it is read off the
    table built again (not kept); conservation (`conservation_shortfall`) is worked out on it once, when
    asked."""

    def __init__(self, rebuild, model: Charter, units, prof: Profile):
        self._rebuild, self._model, self._units, self._prof = rebuild, model, units, prof
        self._shortfall = _UNSET

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._rebuild(), name)

    @property
    def shortfall(self):
        if self._shortfall is _UNSET:
            self._shortfall = conservation_shortfall(self._model, self._units, self._prof, self._rebuild())
        return self._shortfall

    def stretch(self, x) -> int:
        return self._rebuild().stretch(x)

    def payouts(self, x):
        return self._rebuild().payouts(x)

    def payouts_view(self, x):
        return self._rebuild().payouts_view(x)


_UNSET = object()

# rule profiles out by the interval bounds before any table is built (`bound_candidates`; tests set it
# False to compare the tables with and without)
BOUND_PRUNE = True


def bound_candidates(model: Charter, units, pools) -> set[Profile] | None:
    """The deciding profiles (as `deciding_profiles` gives them) that the interval bounds leave
    possible somewhere: every other one is no equilibrium at any exit value (`bounds.ruled_out_cells`:
    on each cell of [0, ∞) the choices forced for every choice of the other units, the pools at any
    state their threshold allows there). None when the bounds do not follow the model's terms."""
    if not BOUND_PRUNE:
        return None
    resolved = tuple((k, tuple(units[i].id for i in g)) for k, g in pools.groups)
    cells = ruled_out_cells(model, units, [units[i].id for i in pools.deciding], resolved, pools.common)
    return None if cells is None else surviving_profiles(model, units, pools.deciding, cells)


def exercise_cash(model: Charter, units, prof: Profile) -> Fraction:
    """What the pools exercised in profile `prof` pay in (count x exercise price)."""
    ch = choice_of(units, prof)
    return sum((p.count * p.exercise_price for p in model.captable.options if p.id in ch.exercised), Fraction(0))


def conservation_shortfall(model: Charter, units, prof: Profile, t) -> tuple | None:
    """Where the payouts of profile `prof`'s table `t` do not add up to the exit value less the
    transaction costs, (exit value, total, expected) as Fractions, or None: the sum of the slopes on
    every stretch, the sum at an inside point, and the exact sum at every kink (pools net of their
    exercise prices: X is what the profile's exercised pools pay in; the resolved pools' own payment
    is in their payouts)."""
    if isinstance(t, (_Slim, _Unbuilt)):
        return t.shortfall
    costs = fast_rational(model.scenario.transaction_costs)
    X = fast_rational(exercise_cash(model, units, prof))

    def expected(E):
        P = E + X - costs
        return (P if P > 0 else 0) - X

    for j, x0 in enumerate(t.xs):
        x1 = t.xs[j + 1] if j + 1 < len(t.xs) else None
        y = x0 + 1 if x1 is None else (x0 + x1) / 2
        f = t.forms[j]
        if isinstance(f, _WithPools):  # the same sums, the pools' added up at once (`_total`)
            A, slope = _total(f)
            checks = [(to_fraction(x0), _total(t.at[j])), (to_fraction(y), A + slope * y)]
            line = lambda z, A=A, slope=slope: A + slope * z  # noqa: E731
        else:
            forms = f.values()
            slope = sum(b for _, b in forms)
            checks = [(to_fraction(x0), sum(t.at[j].values())),
                      (to_fraction(y), sum(a + b * y for a, b in forms))]
            line = lambda z, forms=forms: sum(a + b * z for a, b in forms)  # noqa: E731
        if slope != (1 if y + X - costs > 0 else 0):
            # the sum has the wrong slope: it misses the expected amount somewhere on the stretch
            z = y + 1 if x1 is None else (y + x1) / 2
            checks.append((to_fraction(z), line(z)))
        for E, tot in checks:
            exp = expected(fast_rational(E))
            if tot != exp:
                return E, to_fraction(tot), to_fraction(exp)
    return None


def _total(m: _WithPools):
    """The sum of every holder's payout in `m` (a form: (intercept, slope) summed), the same number
    as summing them holder by holder: an exercised resolved pool's payout is the common's times c/N less
    c·k (`_WithPools`), so together they are the common's times the sum of c/N less the sum of c·k."""
    sp, vals = m.spec, m.vals
    if sp.sums is None:
        rs = [r for r in sp.pools.values() if r is not None]
        sp.sums = (sum((r[0] for r in rs), sp.zero), sum((r[1] for r in rs), sp.zero))
    ratio, cost = sp.sums
    z = sp.zero
    if not m.form:
        tot = sum(vals, z)
        return tot + vals[m.index[COMMON]] * ratio - cost if sp.pools and ratio else tot - cost
    a, b = sum(vals[0::2], z), sum(vals[1::2], z)
    if sp.pools and ratio:
        p = m.index[COMMON]
        a, b = a + vals[p] * ratio, b + vals[p + 1] * ratio
    return a - cost, b


class _ByProjection(dict):
    """Resolved tables by deciding profile; looked up by any full profile (the pools' bits ignored)."""

    def __init__(self, pools, tables, model, units):
        super().__init__(tables)
        self._resolved = pools.resolved
        self._none = tuple(False for _ in units)
        self._model, self._units = model, units
        self._plain = None

    def __getitem__(self, pr):
        if pr == self._none:
            # where the game has no equilibrium the reported payouts are the profile in which no unit
            # acts, pools included (as in the 2^n game); wherever that profile is an equilibrium the
            # pools are unexercised there, and its plain table has the same payouts
            if self._plain is None:
                self._plain = build_table(self._model, self._units, pr)
            return self._plain
        return super().__getitem__(_project(pr, self._resolved))

    def __contains__(self, pr):
        return super().__contains__(_project(pr, self._resolved))


def _project(pr: Profile, resolved) -> Profile:
    if not any(pr[i] for i in resolved):
        return pr
    out = list(pr)
    for i in resolved:
        out[i] = False
    return tuple(out)


class Tables:
    """The complete exact equilibrium map of a charter with few deciding units."""

    def __init__(self, model: Charter, known: dict[Profile, ProfileTable] | None = None,
                 same_payouts: Tables | None = None, reuse=None, sweep_from: Tables | None = None):
        """`known`: profiles' tables already built for a model whose waterfall is the same as this
        one's on those profiles (another reading that cannot change them); the rest are built.
        `same_payouts`: the tables of a model with the same units and the same waterfall on every
        profile (it differs only in how the vote move is read): its tables, its sweep and its vote
        decisions are shared, and only the outcome map is taken again.
        `reuse`: profile -> `build_table`'s reuse, for the profiles not in `known`.
        `sweep_from`: the Tables `known` and `reuse` come from; the sweep copies its conditions' events
        wherever both profiles of a pair have the same payoffs in both (`_sweep`)."""
        self.model = model
        self.units = model.units()
        mode = table_mode(model)
        if mode is None:
            raise ValueError(f"{len(deciding_indices(model))} deciding units: the profile tables are for at most "
                             f"{MAX_TABLE_UNITS}")
        self.pools = threshold_pools(model) if mode == "resolved" else None
        self._act_cache: dict[Profile, tuple] = {}
        self._atoms: list | None = None
        self._forcing: list | None = None
        if self.pools is not None:
            # (`known`, `same_payouts`: shared 2^n tables; the resolved tables are built afresh, and a
            # vote move, the only case of same_payouts, keeps the pools in the game: options.why_not)
            self.profiles = list(deciding_profiles(model))
            self._sweep_resolved()
            self._votes()
            return
        self.profiles: list[Profile] = list(product((False, True), repeat=len(self.units)))
        if same_payouts is not None:
            src = same_payouts
            self.table = src.table
            self.starts, self.sets, self.point_sets = src.base_starts, src.base_sets, src.base_point_sets
            self.n_events, self.kinks = src.n_events, src.kinks
            self._atoms = src._vote_atoms()
            self._votes()
            return
        known = known or {}
        reuse = reuse or {}
        agree: dict[Profile, tuple] = {p: (None, None) for p in known}
        self.table = {p: known[p] if p in known else build_table(model, self.units, p, reuse.get(p), agree)
                      for p in self.profiles}
        self._sweep(sweep_from, agree)
        self._votes()

    # ------------------------------------------------------------------ the sweep, pools by threshold
    def _sweep_resolved(self) -> None:
        """The sweep over the deciding units' profiles, each with its pools at their fixed point.

        A profile's condition for unit i compares its payoff with the one after i alone switches,
        the pools held where they are (the game's deviation): a table of its own per profile and
        unit (`build_deviation`), so conditions are walked per profile, not per pair. The
        equilibrium set also changes where an equilibrium's pools change (its full profile)."""
        model, units, pools = self.model, self.units, self.pools
        deciding = pools.deciding
        res = _Resolver(model, units, pools)
        # with few strike groups a unit's deviation is read off the switched profile's table where its
        # pools agree (every table built first); with many the pools seldom agree and reading costs more
        # than it saves: each table is built when its profile is walked, and a profile its units rule out
        # keeps only its kinks and pools (`_Slim`: the payouts are built again if ever read)
        reuse = len(pools.groups) <= REUSE_GROUPS
        # the profiles the interval bounds leave possible somewhere; every other one is never an
        # equilibrium and gets no table (`_Unbuilt`), as if its units had ruled it out below
        cand = bound_candidates(model, units, pools)
        self.bound_pruned = 0 if cand is None else len(self.profiles) - len(cand)
        tables = {sg: build_resolved(res, sg, deciding) for sg in self.profiles
                  if cand is None or sg in cand} if reuse else {}
        events: dict[object, list] = defaultdict(list)
        viol: dict[Profile, int] = defaultdict(int)
        self.pruned = 0
        kills = [0] * len(deciding)
        last = [-1]  # the unit that ruled out the last profile ruled out
        def walk(sg, t1, k, alive=None):
            """Unit k's condition in profile sg: its step list [(x, holds at x, holds right of x)], its
            events, and whether it fails right of 0. `alive`: the deviation is worked out only on the
            stretches of sg's table where that step list holds somewhere; on the others the condition is
            said to fail (it makes no difference where `alive` fails) and the events are not kept."""
            i = deciding[k]
            mine: list[tuple] = []
            steps: list[tuple] = []
            other = tables.get(_project(flip(sg, i), pools.resolved)) if reuse else None
            xs2, uf2, ua2 = build_deviation(res, t1, i, k, other if isinstance(other, ProfileTable) else None,
                                            None if alive is None else _holds_in(alive, t1.xs))
            neg = sg[i]  # acting: the condition is the negation of the keeper's (deviation's view)
            xs1, n1 = t1.xs, len(t1.xs)
            prev = None
            fails = False
            j1 = 0
            for j, x in enumerate(xs2):
                if uf2[j] is None:
                    steps.append((x, False, False))
                    continue
                while j1 + 1 < n1 and xs1[j1 + 1] <= x:
                    j1 += 1
                uf1 = t1.unit_forms[j1]
                a1, b1 = uf1[2 * k], uf1[2 * k + 1]
                a2, b2 = uf2[j]
                p1 = t1.unit_at[j1][k] if xs1[j1] == x else a1 + b1 * x
                p2 = ua2[j]
                if neg:  # the keeper is the deviation
                    A, B, d = a2 - a1, b2 - b1, p2 - p1
                else:
                    A, B, d = a1 - a2, b1 - b2, p1 - p2
                after = (_sign_right(A, B, x) >= 0) != neg
                at = (d >= 0) != neg
                steps.append((x, at, after))
                if prev is None:
                    fails = not after
                    if at != after:
                        mine.append((x, (sg, after, at, after)))
                elif not (prev == at == after):
                    mine.append((x, (sg, prev, at, after)))
                prev = after
                if B != 0:
                    r = -A / B
                    hi = xs2[j + 1] if j + 1 < len(xs2) else None
                    if r > x and (hi is None or r < hi):
                        after_r = (B > 0) != neg
                        at_r = not neg  # the keeper's condition holds at the root
                        steps.append((r, at_r, after_r))
                        if not (prev == at_r == after_r):
                            mine.append((r, (sg, prev, at_r, after_r)))
                        prev = after_r
            return steps, mine, fails

        for sg in self.profiles:
            if cand is not None and sg not in cand:
                viol[sg] = _NEVER
                self.pruned += 1
                tables[sg] = _Unbuilt(lambda sg=sg: build_resolved(res, sg, deciding), model, units, sg)
                continue
            t1 = tables[sg] if reuse else build_resolved(res, sg, deciding)
            # a profile is kept only if no unit rules it out on all of [0, ∞): such a profile is never an
            # equilibrium, so its other units' deviation tables are not built (most profiles). The unit
            # that ruled out the last one goes first, then those that ruled out the most, each worked out
            # only where the units before it hold (whether a profile is ruled out depends on neither); a profile that stays is walked
            # again in full, its events in model order.
            dead = False
            alive = None  # where every condition walked so far holds: [(x, at x, right of x)] from 0
            for k in sorted(range(len(deciding)), key=lambda k: (k != last[0], -kills[k])):
                steps, _, _ = walk(sg, t1, k, alive)
                alive = steps if alive is None else _meet(alive, steps)
                if not any(a or b for _, a, b in alive):
                    dead = True
                    kills[k] += 1
                    last[0] = k
                    break
            if not dead:
                for k in range(len(deciding)):
                    _, mine, fails = walk(sg, t1, k)
                    viol[sg] += fails
                    for x, ev in mine:
                        events[x].append(ev)
            if dead:
                viol[sg] = _NEVER  # never an equilibrium: no event of its own, never in a set
                self.pruned += 1
                if not reuse:
                    tables[sg] = _Slim(t1, lambda sg=sg: build_resolved(res, sg, deciding),
                                       conservation_shortfall(model, units, sg, t1))
                continue
            if not reuse:
                tables[sg] = t1
        self.table = _ByProjection(pools, tables, model, units)
        # where an equilibrium's pools change, its full profile (the set's member) changes (a profile
        # that is never one adds no point: its points would report the sets around them)
        for sg, t in tables.items():
            if viol[sg] >= _NEVER:
                continue
            for j in range(1, len(t.xs)):
                if t.prof[j] != t.prof[j - 1] or t.prof_at[j] != t.prof[j - 1]:
                    events[t.xs[j]]
        eqset = {sg for sg in self.profiles if viol[sg] == 0}

        def full(sg, x, point):
            t = tables[sg]
            j = t.stretch(x)
            return t.prof_at[j] if point and t.xs[j] == x else t.prof[j]

        self._walk(events, viol, eqset, lambda ps, x, point: self._sorted(full(sg, x, point) for sg in ps))
        self.n_events = sum(len(v) for v in events.values())
        self.kinks = sum(len(t.xs) for t in tables.values() if not isinstance(t, _Unbuilt))  # of tables built

    # ------------------------------------------------------------------ the sweep
    def bound_ruled_out(self, prof: Profile) -> bool:
        """Whether the interval bounds ruled `prof` out on every cell of exit values before its table
        was built (`bound_candidates`): it is an equilibrium nowhere, so no reported payout is read off
        it."""
        return isinstance(dict.get(self.table, prof), _Unbuilt)

    def _sweep(self, base: Tables | None = None, agree: dict | None = None) -> None:
        """Every profile's conditions, one walk per pair of profiles that differ in one unit (`_pair`).

        `base`, `agree`: the Tables this one's tables were partly taken from, and per profile where its
        payoffs are base's (`build_table`): a pair's events where both of its tables are base's are base's
        (recorded per pair in `_pairs`), so only the rest is walked."""
        U = len(self.units)
        # event point -> [(profile, truth before, truth at, truth after)] for one condition each
        events: dict[object, list] = defaultdict(list)
        viol: dict[Profile, int] = defaultdict(int)
        tables = self.table
        pairs: dict[tuple, tuple] = {}
        self._pairs = pairs
        old = base._pairs if base is not None else None
        none = (fast_rational(0), None)
        # a unit's conditions in a profile and in its switched profile are each other's negation
        # (the keeper's incentive is minus the actor's; one needs g >= 0, the other -g > 0): one walk
        # per pair gives both
        for prof in self.profiles:
            t1 = tables[prof]
            for i in range(U):
                if prof[i]:
                    continue
                dev = prof[:i] + (True,) + prof[i + 1:]
                t2 = tables[dev]
                if old is None:
                    first, evs = _pair(t1, t2, i)
                else:
                    (s1, e1), (s2, e2) = agree.get(prof, none), agree.get(dev, none)
                    S = s2 if s1 is None else s1 if s2 is None else min(s1, s2)  # None: everywhere
                    T = None if e1 is None or e2 is None else max(e1, e2)  # None: no such end
                    first, base_evs = old[(prof, i)]
                    if S is None or (T is not None and S > T):
                        evs = base_evs
                    elif S == 0 and T is None:
                        first, evs = _pair(t1, t2, i)
                    else:
                        evs = [e for e in base_evs if e[0] < S] if S > 0 else []
                        prev = (evs[-1][3] if evs else first) if S > 0 else None
                        if S == 0:
                            first, walked = _pair(t1, t2, i, None, None, T)
                        else:
                            _, walked = _pair(t1, t2, i, S, prev, T)
                        evs += walked
                        if T is not None:
                            evs += [e for e in base_evs if e[0] > T]
                pairs[(prof, i)] = (first, evs)
                viol[dev if first else prof] += 1
                for x, before, at, after in evs:
                    events[x].append((prof, before, at, after))
                    events[x].append((dev, not before, not at, not after))
        eqset = {p for p in self.profiles if viol[p] == 0}
        self._walk(events, viol, eqset, lambda ps, x, point: self._sorted(ps))
        self.n_events = sum(len(v) for v in events.values())
        self.kinks = sum(len(t.xs) for t in tables.values())

    def _walk(self, events, viol, eqset, report) -> None:
        """The equilibria on every interval and at every event point, walking the events in order: a
        profile is an equilibrium where none of its conditions fails (`viol` counts the failing ones
        on the first stretch; each event says one condition's truth before, at and after its point).
        `report(profiles, x, point)`: the sorted tuple reported for them at x, or on the stretch after
        x when not `point`."""
        zero = fast_rational(0)
        self.starts = []  # interval starts: interval j is (starts[j], starts[j+1])
        self.sets = []  # equilibria on interval j
        self.point_sets = {}  # equilibria at each event point
        order = sorted(events)
        if not order or order[0] != zero:
            self.point_sets[zero] = report(eqset, zero, True)
        self.starts.append(zero)
        self.sets.append(report(eqset, zero, False))
        for x in order:
            at_delta: dict[Profile, int] = defaultdict(int)
            after_delta: dict[Profile, int] = defaultdict(int)
            for prof, before, at, after in events[x]:
                at_delta[prof] += (not at) - (not before)
                after_delta[prof] += (not after) - (not before)
            point = set(eqset)
            for prof, d in at_delta.items():
                if viol[prof] + d == 0:
                    point.add(prof)
                else:
                    point.discard(prof)
            self.point_sets[x] = report(point, x, True)
            for prof, d in after_delta.items():
                viol[prof] += d
                if viol[prof] == 0:
                    eqset.add(prof)
                else:
                    eqset.discard(prof)
            s = report(eqset, x, False)
            if s != self.sets[-1]:
                self.starts.append(x)
                self.sets.append(s)

    # ------------------------------------------------------------------ the conversion vote (votes.py)
    def _votes(self) -> None:
        """The outcome map with the conversion vote (reading votes_in_sale): the forced profile
        replaces the equilibria where a vote is taken (`_vote_atoms`). Under the default reading the
        map is the game's, and where a vote would be taken (`forcing`) is worked out when asked."""
        from .votes import conversion_votes

        self.base_starts, self.base_sets, self.base_point_sets = self.starts, self.sets, self.point_sets
        if not self.model.readings.votes_in_sale or not conversion_votes(self.model):
            return
        self._vote_outcome(self._vote_atoms())

    @property
    def forcing(self) -> list[tuple]:
        """(lo, hi, Forcing or None) in order: an open interval (hi None: unbounded), or a point
        (lo == hi); where a conversion vote would be taken before a sale, under either reading."""
        if self._forcing is None:
            self._forcing = [(to_fraction(a), None if b is None else to_fraction(b), f)
                             for a, b, _, f in self._vote_atoms()]
        return self._forcing

    def _vote_atoms(self) -> list[tuple]:
        """Where a conversion vote would be taken before a sale, exactly: (lo, hi, base equilibria,
        Forcing or None) for every point and open interval, in order (kept once computed).

        On an interval of constant equilibria a vote's decision (which voters strictly gain from
        the forced profile over the reported one, and whether they carry it) can change only
        where a gain changes sign: at a kink of the base or the forced profile's table, or at a
        root of a gain inside a stretch. The decision is taken (`votes.decide`, the rule every
        path shares) at each such point and inside each open stretch between them.
        """
        if self._atoms is not None:
            return self._atoms
        from .votes import carries, conversion_votes, decide, fixed_units, subgame_profiles

        votes = conversion_votes(self.model)
        if not votes:
            self._atoms = []
            return self._atoms
        model, units, tables = self.model, self.units, self.table
        none = tuple(False for _ in units)
        starts, sets, point_sets = self.base_starts, self.base_sets, self.base_point_sets

        def at(x, eqs):
            base = eqs[0] if eqs else none
            return decide(model, units, base, lambda pr: tables[pr].payouts_view(x))

        carried: dict[tuple, bool] = {}

        def can_carry(v, gainers: list) -> bool:
            key = (v, tuple(gainers))
            if key not in carried:
                carried[key] = carries(model, v, gainers)
            return carried[key]

        # every profile the vote can lead to, with the units free to play after it
        sub = []
        for v in votes:
            fixed = set(fixed_units(units, v))
            free = tuple(i for i in range(len(units)) if i not in fixed)
            sub += [(p, (v, free)) for p in subgame_profiles(units, v)]
        atoms = []  # (lo, hi, base equilibria, Forcing or None), in order
        for j, lo in enumerate(starts):
            hi = starts[j + 1] if j + 1 < len(starts) else None
            eqs = sets[j]
            if lo in point_sets:
                atoms.append((lo, lo, point_sets[lo], at(lo, point_sets[lo])))
            base = eqs[0] if eqs else none
            profs = {base} | {p for p, _ in sub}
            xs = sorted({k for p in profs for k in tables[p].xs if lo < k and (hi is None or k < hi)})
            cuts = set(xs)

            def root(A, B, a, b):
                if B != 0:
                    r = -A / B
                    if a < r and (b is None or r < b):
                        cuts.add(r)

            # coalition arithmetic, stretch by stretch between the kinks: the voters that gain from a
            # profile the vote can lead to, over the base profile, somewhere on the stretch (at either
            # end's limit: the gain is affine there) and at each kink (exactly). Where no such set of
            # gainers carries its vote, no vote is taken from this base: `decide` asks the gainers at
            # one point, a subset of one of these sets, to carry it (votes are monotone).
            tb = tables[base]
            kinks = {p: set(tables[p].xs) for p in profs}
            open_quiet, point_quiet = [], {}
            for a, b in zip([lo] + xs, xs + [hi]):
                fb = tb.forms[tb.stretch(a)]
                exact = a != lo
                quiet_here, quiet_at = True, True
                pb = tb.payouts_view(a) if exact else None
                for fp, (v, free) in sub:
                    tf = tables[fp]
                    jf = tf.stretch(a)
                    ff = tf.forms[jf]
                    g = []
                    for sid in v.voters:  # a voter's gain from the vote changes sign
                        A, B = ff[sid][0] - fb[sid][0], ff[sid][1] - fb[sid][1]
                        root(A, B, a, b)
                        if A + B * a > 0 or (B > 0 if b is None else A + B * b > 0):
                            g.append(sid)
                    if quiet_here and g and can_carry(v, g):
                        quiet_here = False
                    if exact and quiet_at:
                        if a in kinks[fp] or a in kinks[base]:
                            pf = tf.payouts_view(a)
                            g = [sid for sid in v.voters if pf[sid] > pb[sid]]
                        # else: both continuous at a, so the gains there are the stretch's limits at a
                        if g and can_carry(v, g):
                            quiet_at = False
                    for i in free:  # a free unit's incentive in the subgame changes sign
                        if not fp[i]:
                            td = tables[fp[:i] + (True,) + fp[i + 1:]]
                            ud, uf = td.unit_forms[td.stretch(a)][i], tf.unit_forms[jf][i]
                            root(ud[0] - uf[0], ud[1] - uf[1], a, b)
                open_quiet.append(quiet_here)
                if exact:
                    point_quiet[a] = quiet_at
            # event points of the base map inside the interval keep their own equilibria
            inner = sorted(cuts | {x for x in point_sets if lo < x and (hi is None or x < hi)})
            bounds = [lo] + inner + [hi]
            for k, (a, b) in enumerate(zip(bounds, bounds[1:])):
                if k > 0:
                    pe = point_sets.get(a, eqs)
                    quiet = (pe[0] if pe else none) == base and (
                        point_quiet[a] if a in point_quiet else open_quiet[bisect_right(xs, a)])
                    atoms.append((a, a, pe, None if quiet else at(a, pe)))
                mid = (a + b) / 2 if b is not None else a + 1
                atoms.append((a, b, eqs, None if open_quiet[bisect_right(xs, a)] else at(mid, eqs)))
        self._atoms = atoms
        return atoms

    def _vote_outcome(self, atoms: list[tuple]) -> None:
        # the outcome map with the vote: intervals merged where the outcome agrees, points kept
        # wherever the outcome differs from the interval after them
        # (an interval where the vote is taken and the next where the same profile is played freely
        # stay apart: the end of the range is an event of the game, shown as a breakpoint)
        outcome = [(a, b, (f.forced,) if f is not None else e, None if f is None else (f.vote, f.coalition))
                   for a, b, e, f in atoms]
        starts, sets, points, keys = [], [], {}, []
        for a, b, o, key in outcome:
            if a == b:
                points[a] = o
                continue
            if not sets or sets[-1] != o or keys[-1] != key:
                starts.append(a)
                sets.append(o)
                keys.append(key)
        self.starts, self.sets = starts, sets
        self.point_sets = {x: o for x, o in points.items()
                           if x == 0 or x in self.base_point_sets or o != self.sets[bisect_right(starts, x) - 1]
                           or x in starts}

    def vote_causes(self) -> dict:
        """Exit value -> why the outcome changes there, where the vote starts or stops being taken
        (reading votes_in_sale; fast rationals as keys, like `point_sets`)."""
        if not self.model.readings.votes_in_sale:
            return {}
        from .votes import describe

        out = {}
        opens = [(a, b, f) for a, b, f in self.forcing if a != b]
        for (a1, b1, f1), (a2, b2, f2) in zip(opens, opens[1:]):
            k1 = None if f1 is None else (f1.vote, f1.coalition)
            k2 = None if f2 is None else (f2.vote, f2.coalition)
            if k1 == k2:
                continue
            f = f2 or f1
            who = ", ".join(f.coalition)
            forced = [s for s in f.vote.converts if s in f.losers] or list(f.vote.converts)
            if f2 is not None:
                text = (f"Series {who} carry the conversion vote ({describe(self.model, f.vote)}, "
                        f"{f.vote.source}), forcing {', '.join(forced)} to convert")
            else:
                text = (f"the conversion vote ({f.vote.source}) is no longer taken: Series {who} "
                        f"no longer gain by forcing {', '.join(forced)} to convert")
            out[fast_rational(a2)] = text
        return out

    def forcing_at(self, x):
        """The vote taken at exit value x (votes.Forcing), or None; under either reading."""
        from .votes import decide

        eqs = self.base_equilibria_at(x)
        base = eqs[0] if eqs else tuple(False for _ in self.units)
        q = fast_rational(x)
        return decide(self.model, self.units, base, lambda pr: self.table[pr].payouts(q))

    def base_equilibria_at(self, x) -> tuple[Profile, ...]:
        """The equilibria of the game without the vote move."""
        x = fast_rational(x)
        if x in self.base_point_sets:
            return self.base_point_sets[x]
        return self.base_sets[bisect_right(self.base_starts, x) - 1]

    def _sorted(self, profiles) -> tuple[Profile, ...]:
        """Fewest acting first, then model order (`game.profile_key`, ranked once per table)."""
        if self.__dict__.get("pools") is not None:  # full profiles, pools included: ranked as they come
            return tuple(sorted(profiles, key=profile_key))
        rank = self.__dict__.get("_rank")
        if rank is None:
            rank = self._rank = {p: k for k, p in enumerate(sorted(self.profiles, key=profile_key))}
        return tuple(sorted(profiles, key=rank.__getitem__))

    # ------------------------------------------------------------------ queries
    def equilibria_at(self, x) -> tuple[Profile, ...]:
        """Every pure equilibrium at exit value x, fewest acting first."""
        x = fast_rational(x)
        if x in self.point_sets:
            return self.point_sets[x]
        return self.sets[bisect_right(self.starts, x) - 1]

    def intervals(self) -> list[tuple[Fraction, Fraction | None, tuple[Profile, ...]]]:
        """(lo, hi, equilibria) for every open interval on which the set is constant (hi None: ∞)."""
        out = []
        for j, lo in enumerate(self.starts):
            hi = self.starts[j + 1] if j + 1 < len(self.starts) else None
            out.append((to_fraction(lo), None if hi is None else to_fraction(hi), self.sets[j]))
        return out

    def event_points(self) -> list[Fraction]:
        """Points where some profile's equilibrium status differs from an adjacent interval's."""
        return [to_fraction(x) for x in sorted(self.point_sets)]

    def payouts(self, profile: Profile, x) -> dict[str, Fraction]:
        return {h: to_fraction(v) for h, v in self.table[profile].payouts(fast_rational(x)).items()}

    def evaluate(self, x) -> ExitResult:
        """The same result as `evaluate.evaluate_exit`, read off the tables."""
        from .votes import play

        E = Fraction(x)
        q = fast_rational(E)
        base = self.base_equilibria_at(q)
        found, forcing = play(self.model, self.units, [(p, self.table[p].payouts(q)) for p in base],
                              lambda pr: self.table[pr].payouts(q))
        eqs = tuple(p for p, _ in found)
        pays = [pay for _, pay in found]
        profile = eqs[0] if eqs else tuple(False for _ in self.units)
        pay = pays[0] if eqs else self.table[profile].payouts(q)
        conv, exer, _ = self._acts(profile)
        return ExitResult(E, {h: to_fraction(v) for h, v in pay.items()}, conv, exer, len(eqs),
                          all(p == pays[0] for p in pays), tuple(self._acts(p)[2] for p in eqs),
                          forcing.to_json(self.model) if forcing is not None else None).with_classes(self.model)

    def _acts(self, profile: Profile):
        """(converted series, exercised pools, acting unit ids) of a profile, kept per profile."""
        if profile not in self._act_cache:
            self._act_cache[profile] = profile_ids(self.model, self.units, profile)
        return self._act_cache[profile]


def evaluate_many(model: Charter, exit_values) -> list[ExitResult]:
    """Results at many exit values: the tables are built once (few units) and read per value."""
    values = [Fraction(v) for v in exit_values]
    if not fits_tables(model) or len(values) < 4:
        from .evaluate import evaluate_exit

        return [evaluate_exit(model, v) for v in values]
    t = Tables(model)
    return [t.evaluate(v) for v in values]
