"""Iterated elimination of strictly dominated choices, proved by z3 over an exit-value range.

For each deciding unit, two waterfall copies that differ only in that unit's
choice (the others' choices symbolic) tell whether the unit can ever strictly
gain by acting, or can ever weakly prefer to keep, for any exit value in the
range and any choices of the others still possible. A unit that can never gain
by acting keeps in every equilibrium (acting needs a strict gain); a unit that
always gains strictly acts in every equilibrium (keeping needs no loss). Fixing
such units and repeating shrinks the search every equilibrium query faces,
without enumerating profiles. Only proofs (unsat) fix a unit: an unknown leaves it free.

How the queries are kept cheap (none of this changes what is proved):

- Each query is a fresh, non-incremental solver on the unit's two copies with the
  choices already fixed substituted as constants (an equivalent formula: z3 then
  simplifies the fixed units' branches away instead of searching them).
- Dominance queries get their own, smaller resource limit (`DOMINANCE_RLIMIT`, never
  more than the caller's): their unknown costs nothing but a free unit, while the
  deciding queries of the sweep keep the full limit. A choice proved before is asked
  with a limit in proportion to the work its last proof took, and gets the whole
  limit only when nothing cheaper fixes a unit (see `forced`).
- Proofs are kept and reused. "Unit u's choice c is forced for every exit value in
  (lo, hi), whatever the units outside F do, given the choices F" is a statement
  about every profile agreeing with F; it therefore also holds on every sub-range of
  (lo, hi) (and at every point inside it) and given any F' that contains F with the
  same choices, because the profiles agreeing with F' are among those agreeing with
  F. A stored proof is used only under exactly these two conditions.
- Witnesses are kept too: a satisfying model (an exit value E* and every unit's
  choice) shows that c is not forced on any range containing E* given any fixed
  choices the model agrees with; such a query is not asked again. Skipping it only
  leaves the unit free, which is always sound.
- Units are tried from the most senior preference tier down: once the senior units
  are fixed, the queries of the junior ones are nearly concrete.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction
from itertools import product

import z3

from ..bounds import decided
from ..affine import fast_variable
from ..encodings import Q, Sink
from ..evaluate import choice_of, plan, run
from ..game import unit_payoff
from ..rational import fast_rational
from ..model import Charter
from ..options import deciding_indices
from .exact import value
from .game import encode_profile, payoff
from .session import DOMINANCE_RLIMIT, check, default_rlimit, limited

# a choice proved before is asked with GROWTH times the work its last proof took, and at least
# this share of the dominance limit (see Dominance.forced)
# with at most this many other units free, a choice is checked on every profile of theirs exactly
LOCAL_FREE = 4
# the bounds may split on this many free units (2^n bound computations at most)
BOUNDS_SPLIT = 2

GROWTH = 3
FIRST_SHARE = 10

Range = tuple[Fraction, "Fraction | None", bool]  # (lo, hi, point): (lo, hi) open, or the point lo


@dataclass(frozen=True)
class _Proof:
    """`choice` is forced for `uid` on the range given the fixed choices `given` (a z3 unsat)."""

    lo: Fraction
    hi: Fraction | None
    point: bool
    given: frozenset[tuple[str, bool]]

    def covers(self, rng: Range, fixed: dict[str, bool]) -> bool:
        if any(fixed.get(k) != v for k, v in self.given):
            return False
        return _inside(rng, (self.lo, self.hi, self.point))


@dataclass(frozen=True)
class _Witness:
    """A model of the query: at exit value E the unit's choice is not forced, with these choices."""

    E: Fraction
    acts: tuple[tuple[str, bool], ...]  # every other unit's choice in the model

    def refutes(self, rng: Range, fixed: dict[str, bool]) -> bool:
        lo, hi, point = rng
        inside = self.E == lo if point else (self.E > lo and (hi is None or self.E < hi))
        return inside and all(fixed.get(k, v) == v for k, v in self.acts)


def _work(s: z3.Solver) -> int:
    """z3's resource counter (what rlimit limits), for the work one query took."""
    st = s.statistics()
    return int(st.get_key_value("rlimit count")) if "rlimit count" in st.keys() else 0


def _inside(inner: Range, outer: Range) -> bool:
    """Every exit value of `inner` lies in `outer`."""
    lo, hi, point = inner
    olo, ohi, opoint = outer
    if opoint:
        return point and lo == olo
    if point:
        return olo < lo and (ohi is None or lo < ohi)
    return olo <= lo and (ohi is None or (hi is not None and hi <= ohi))


class Dominance:
    def __init__(self, model: Charter, rlimit: int | None = None, *, reuse: bool = True, bounds: bool = True):
        self.model = model
        self.units = model.units()
        self.E = z3.Real("dom|E")
        self.acts = {u.id: z3.Bool(f"dom|act|{u.id}") for u in self.units}
        self._encodings: dict[str, tuple[list[z3.BoolRef], z3.ArithRef]] = {}
        self.rlimit = rlimit
        self.reuse = reuse
        self.bounds = bounds  # try the interval waterfall's bounds before z3
        self._proofs: dict[tuple[str, bool], list[_Proof]] = {}
        self._witnesses: dict[tuple[str, bool], list[_Witness]] = {}
        self._need: dict[tuple[str, bool], int] = {}  # the work (rlimit) of the last proof of each choice
        self.log: list[tuple] = []  # (unit, choice, rlimit, fixed units, status, seconds) per query
        self.stats = {"bounds": 0, "local": 0, "queries": 0, "unsat": 0, "sat": 0, "unknown": 0, "reused": 0, "refuted": 0}
        # most senior tier first (an order of work only: every unit is still tried every round)
        rank = {}
        for i, tier in enumerate(model.tiers):
            for sid in tier.series:
                rank.setdefault(sid, i)
        n = len(model.tiers)
        # the pools resolved by threshold (options.py) are not deciding units: never asked
        self._order = sorted(deciding_indices(model),
                             key=lambda i: min((rank.get(m, n) for m in self.units[i].members), default=n + 1))

    def query_rlimit(self) -> int:
        """The dominance queries' own limit, never above the caller's (or the session default)."""
        full = self.rlimit if self.rlimit is not None else default_rlimit()
        return min(DOMINANCE_RLIMIT, int(full))

    def _encoding(self, uid: str):
        if uid not in self._encodings:
            u = next(x for x in self.units if x.id == uid)
            sink = Sink()
            pays = []
            for flag in (True, False):
                acts = dict(self.acts)
                acts[uid] = z3.BoolVal(flag)
                pays.append(encode_profile(self.model, self.units, self.E, acts, f"dom|{uid}|{flag}", sink))
            gain = payoff(u, pays[0]) - payoff(u, pays[1])
            self._encodings[uid] = ([c for c, _ in sink.items] + [self.E >= 0], gain)
        return self._encodings[uid]

    def forced(self, lo: Fraction, hi: Fraction | None, *, point: bool = False,
               fixed: dict[str, bool] | None = None, hint: tuple[bool, ...] | None = None) -> dict[str, bool]:
        """Units whose choice is the same in every equilibrium for exit values in (lo, hi) (or at lo).

        The limit of a query: a choice proved before (on another range) gets `GROWTH` times
        the work its last proof took (at least a tenth of the dominance limit): when it runs
        out, more fixed choices usually make it easy in a later round. A choice never proved
        gets the whole dominance limit. A round that fixes nothing gives every query the
        whole limit until one unit is fixed. No query is repeated with the same fixed choices
        and limit.
        """
        fixed = dict(fixed or {})
        rng: Range = (Fraction(lo), None if hi is None else Fraction(hi), point)
        full = self.query_rlimit()
        floor = max(1, full // FIRST_SHARE)
        tried: set = set()  # (unit, choice, fixed choices, limit) that were unknown
        whole = False
        while True:
            self._bounds_fixpoint(rng, fixed, hint)
            changed = short = False
            for i in self._order:
                u = self.units[i]
                if u.id in fixed:
                    continue
                # try first the choice the hint (an equilibrium in the range) makes
                order = (True, False) if hint is not None and hint[i] else (False, True)
                for choice in order:
                    need = self._need.get((u.id, choice))
                    if need is None or (whole and not changed):
                        limit = full
                    else:
                        limit = min(full, max(floor, GROWTH * need))
                    memo = (u.id, choice, frozenset(fixed.items()), limit)
                    if memo in tried:
                        continue
                    status = self._decide(u.id, choice, rng, fixed, limit)
                    if status == "unsat":
                        fixed[u.id] = choice
                        changed = True
                        break
                    if status == "unknown":
                        tried.add(memo)
                        short = short or limit < full
                if changed and self.bounds:
                    break  # a new fixed choice: let the cheap bounds go first again
            if changed:
                whole = False
            elif short and not whole:
                whole = True
            else:
                return fixed

    def _bounds_fixpoint(self, rng: Range, fixed: dict[str, bool], hint) -> None:
        """Fix every unit the interval waterfall's bounds decide, repeating while that fixes more."""
        if not self.bounds:
            return
        lo, hi, point = rng
        progress = True
        while progress:
            progress = False
            for i in self._order:
                u = self.units[i]
                if u.id in fixed:
                    continue
                d = decided(self.model, self.units, u.id, lo, lo if point else hi, fixed, BOUNDS_SPLIT)
                if d is None:
                    continue
                fixed[u.id] = d
                self.stats["bounds"] += 1
                progress = True

    def _decide(self, uid: str, choice: bool, rng: Range, fixed: dict[str, bool], limit: int) -> str:
        """Whether `choice` is proved forced ("unsat"), refuted ("sat") or neither: stored answers first."""
        key = (uid, choice)
        # (the interval bounds were tried on these fixed choices by `_bounds_fixpoint` just before)
        free = [x for x in self.units if x.id not in fixed and x.id != uid]
        if self.bounds and len(free) <= LOCAL_FREE:
            # few units left free: every profile of theirs is checked exactly, no query needed
            self.stats["local"] += 1
            return "unsat" if _forced_exactly(self.model, self.units, uid, choice, rng, fixed, free) else "sat"
        if self.reuse:
            if any(p.covers(rng, fixed) for p in self._proofs.get(key, ())):
                self.stats["reused"] += 1
                return "unsat"
            if any(w.refutes(rng, fixed) for w in self._witnesses.get(key, ())):
                self.stats["refuted"] += 1
                return "sat"
        return self._query(uid, choice, rng, fixed, limit)

    def _query(self, uid: str, choice: bool, rng: Range, fixed: dict[str, bool], limit: int) -> str:
        """Ask z3 whether `choice` can fail to be strictly/weakly best on `rng` given `fixed`; record the answer."""
        cons, gain = self._encoding(uid)
        key = (uid, choice)
        lo, hi, point = rng
        E = self.E
        where = [E == Q(lo)] if point else [E > Q(lo)] + ([E < Q(hi)] if hi is not None else [])
        # choice True (act) fails where the gain is not strictly positive; keep fails where it is
        goal = gain <= 0 if choice else gain > 0
        f = z3.And(*cons, *where, goal)
        if fixed:
            f = z3.substitute(f, *[(self.acts[k], z3.BoolVal(v)) for k, v in fixed.items()])
        s = limited(z3.Solver(), limit)
        s.add(f)
        t0 = time.perf_counter()
        before = _work(s)
        out = check(s)
        spent = _work(s) - before
        self.log.append((uid, choice, limit, len(fixed), out.status, round(time.perf_counter() - t0, 3)))
        self.stats["queries"] += 1
        self.stats[out.status] += 1
        if out.status == "unsat":
            self._need[key] = spent
            self._proofs.setdefault(key, []).append(
                _Proof(lo, hi, point, frozenset((k, v) for k, v in fixed.items())))
        elif out.status == "sat":
            m = s.model()
            acts = tuple((u.id, fixed[u.id] if u.id in fixed else z3.is_true(m.eval(self.acts[u.id], model_completion=True)))
                         for u in self.units if u.id != uid)
            at = lo if point else value(m, E)
            if _inside((at, None, True), rng):  # a model is z3's word; only a checked one is kept
                self._witnesses.setdefault(key, []).append(_Witness(at, acts))
        return out.status


def _forced_exactly(model, units, uid: str, choice: bool, rng: Range, fixed: dict[str, bool], free) -> bool:
    """Whether `choice` is forced for unit uid on the range, by checking every profile of the free units.

    For each profile, the unit's gain from acting (its payoff acting minus keeping) is walked over
    the range on affine numbers: on each open stretch between kinks it is affine, so its sign there
    follows from its one-sided limits at the stretch's ends (and its slope on an unbounded one), and
    at every kink inside the range it is evaluated exactly. Acting is forced when the gain is
    positive everywhere; keeping, when it is never positive.
    """
    i = next(k for k, x in enumerate(units) if x.id == uid)
    u = units[i]
    lo, hi, point = rng
    base = [fixed.get(x.id, False) for x in units]
    idx = [k for k, x in enumerate(units) if x in free]

    def ok(g) -> bool:
        return g > 0 if choice else g <= 0

    for bits in product((False, True), repeat=len(idx)):
        prof = list(base)
        for k, b in zip(idx, bits):
            prof[k] = b
        plans = []
        for a in (True, False):
            prof[i] = a
            plans.append(plan(model, choice_of(units, prof), fast_rational))

        def gain_at(x):
            return unit_payoff(model, u, run(plans[0], x)) - unit_payoff(model, u, run(plans[1], x))

        if point:
            if not ok(gain_at(fast_rational(lo))):
                return False
            continue
        x = fast_rational(lo)
        top = None if hi is None else fast_rational(hi)
        while True:
            va, vk = fast_variable(x, 1), fast_variable(x, 1)
            g = unit_payoff(model, u, run(plans[0], va)) - unit_payoff(model, u, run(plans[1], vk))
            nxt = _first(va.tracker.bound, vk.tracker.bound)
            end = top if nxt is None else (nxt if top is None else min(nxt, top))
            left = g.v  # the limit at x from the right
            if end is None:
                # unbounded: the sign far out is the slope's, and near x the value's
                if choice and not (left >= 0 and g.s >= 0 and (left > 0 or g.s > 0)):
                    return False
                if not choice and not (left <= 0 and g.s <= 0):
                    return False
                break
            right = g.v + g.s * (end - x)  # the limit at end from the left
            if choice and not (left >= 0 and right >= 0 and (left > 0 or right > 0)):
                return False
            if not choice and not (left <= 0 and right <= 0):
                return False
            if end == top:
                break
            if not ok(gain_at(end)):  # a kink inside the range: the exact value there
                return False
            x = end
    return True


def _first(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)
