"""Breakpoints of the payout functions, exact, each piece proved by z3.

The sweep never enumerates all conversion profiles. It covers [0, ∞) with open
intervals ("pieces"): at a probe inside an uncovered interval the solver gives
every equilibrium; the direct waterfall, run on affine numbers, gives each
payout's affine form and how far it holds, and where a unit's incentive to
switch changes sign. Then z3 proves, for every exit value of the piece, that the
set of equilibria is exactly that one and that the payouts equal the stated
affine functions — or finds a witness, which splits the piece. Points between
pieces are evaluated exactly by the solver. Adjacent pieces with the same
functions and a continuous junction are merged; what remains are breakpoints.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from math import floor

import z3

from ..affine import fast_variable, variable
from ..encodings import Q
from ..evaluate import choice_of, plan, run, waterfall
from ..game import flip, is_equilibrium, leaves_choice, profile_key, unit_payoff
from ..model import Charter, ConversionUnit
from ..rational import fast_rational, to_fraction
from ..options import deciding_indices, resolve, threshold_pools
from ..tables import MAX_TABLE_UNITS, Tables, fits_tables
from .exact import value
from .dominance import Dominance
from .point import ENUMERATE_UNITS, SUBSTITUTE_UNITS, PointSolver, SolverError, SolverGaveUp
from .session import Budget, check, default_budget, use_budget

Profile = tuple[bool, ...]
Form = tuple[Fraction, Fraction]  # (intercept at exit value 0, slope)


@dataclass
class Piece:
    lo: Fraction
    hi: Fraction | None  # None: to infinity
    profile: Profile  # the reported (fewest-action) equilibrium
    profiles: tuple[Profile, ...]  # every equilibrium on the piece
    forms: dict[str, Form]
    proved: bool
    reason: str | None = None
    causes_lo: set[str] = field(default_factory=set)
    causes_hi: set[str] = field(default_factory=set)
    unique_payouts: bool = True

    def at(self, holder: str, x: Fraction) -> Fraction:
        a, b = self.forms[holder]
        return a + b * x


@dataclass
class Point:
    x: Fraction
    profile: Profile
    profiles: tuple[Profile, ...]
    payouts: dict[str, Fraction]
    unique_payouts: bool


@dataclass
class Breakpoint:
    x: Fraction
    causes: list[str]
    jumps: dict[str, Fraction]
    slopes_before: dict[str, Fraction]
    slopes_after: dict[str, Fraction]
    at: Point


@dataclass
class Analysis:
    model: Charter
    units: tuple[ConversionUnit, ...]
    pieces: list[Piece]  # merged, in order, covering (0, ∞) minus breakpoints
    breakpoints: list[Breakpoint]
    segments: list[Piece]  # unmerged pieces (equilibrium sets constant on each)
    points: dict[Fraction, Point]
    # with few deciding units: the exact payout tables of every profile the pieces were read from
    tables: Tables | None = None

    # with a budget (`verify --budget`): its limits and what was spent; the points whose equilibrium set
    # is not proved (read off a best response and the exact waterfall once the budget ran out)
    budget: dict | None = None
    unproved_points: tuple[Fraction, ...] = ()
    # why each unproved point is not proved (the budget spent, or z3 gave up there: its reason)
    unproved_reasons: dict = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return all(p.proved for p in self.segments) and not self.unproved_points

    def coverage(self) -> list[dict]:
        """[0, ∞) split into maximal runs that are proved or unknown, in order: each run with its ends
        (`to` None: to infinity), whether each end belongs to it, and for an unknown run the reason."""
        items = []  # (lo, hi, proved, reason) in order: points as (x, x, ...), segments as open ranges
        bad = set(self.unproved_points)
        default = str((self.budget or {}).get("exhausted") or "")

        def point(x):
            why = "equilibrium set at this point not proved: " + str(self.unproved_reasons.get(x) or default)
            items.append((x, x, x not in bad, why if x in bad else None))

        for seg in self.segments:
            if not items or items[-1][1] != seg.lo:
                point(seg.lo)
            items.append((seg.lo, seg.hi, seg.proved, seg.reason))
            if seg.hi is not None:
                point(seg.hi)
        runs: list[dict] = []
        for lo, hi, ok, why in items:
            point = hi is not None and lo == hi
            if runs and runs[-1]["proved"] == ok:
                r = runs[-1]
                r["to"], r["to_included"] = hi, point
                if not ok and why and why not in r["reasons"]:
                    r["reasons"].append(why)
                continue
            runs.append({"from": lo, "from_included": point, "to": hi, "to_included": point, "proved": ok,
                         "reasons": [] if ok or not why else [why]})
        return runs

    def piece_at(self, x: Fraction) -> Piece | None:
        return covering(self.pieces, [p.lo for p in self.pieces], x)

    def payouts_at(self, xs) -> list[dict[str, Fraction]]:
        """The reported payouts at many exit values, read off the proved pieces (the exact point at a
        breakpoint): one analysis, then a lookup and an affine evaluation per value."""
        los = [p.lo for p in self.pieces]
        out = []
        for x in xs:
            x = Fraction(x)
            if x in self.points:
                out.append(dict(self.points[x].payouts))
                continue
            p = self.pieces[bisect_right(los, x) - 1]
            out.append({h: a + b * x for h, (a, b) in p.forms.items()})
        return out


def covering(pieces: list[Piece], los: list[Fraction], x: Fraction) -> Piece | None:
    """The piece whose open interval holds x (`los`: the pieces' lower ends, in order), or None at a
    breakpoint or outside them."""
    i = bisect_right(los, x) - 1
    if i >= 0:
        p = pieces[i]
        if p.lo < x and (p.hi is None or x < p.hi):
            return p
    return None


class SweepError(SolverError):
    """The sweep cannot give the breakpoints of this model (a limit of the tool): the CLI says why in one
    line and exits 2, like a solver that gave up."""


def _simplest_between(a: Fraction, b: Fraction | None) -> Fraction:
    """A probe in (a, b) with few digits: readable witnesses, lighter solver work."""
    if b is None:
        return Fraction(max(1, 2 * floor(a) + 1)) if a >= 0 else Fraction(1)
    mid = (a + b) / 2
    step = Fraction(10) ** 15
    while step >= Fraction(1, 10**6):
        cand = Fraction(round(mid / step)) * step
        if a < cand < b:
            return cand
        step /= 10
    return mid


class _Local:
    """Affine forms of one profile's payouts around a point, on both sides."""

    def __init__(self, model: Charter, units, profile: Profile, x: Fraction):
        ch = choice_of(units, profile)
        vr, vl = variable(x, 1), variable(x, -1)
        self.right = waterfall(model, vr, ch)
        self.left = waterfall(model, vl, ch)
        self.tr, self.tl = vr.tracker, vl.tracker
        self.smooth = all(
            self.right[h].v == self.left[h].v and self.right[h].s == self.left[h].s for h in self.right
        )


class Sweep:
    def __init__(self, model: Charter, rlimit: int | None = None, max_pieces: int = 5000,
                 budget: Budget | None = None):
        self.model = model
        if budget is None and default_budget() is not None:
            budget = Budget(*default_budget())
        self.budget = budget  # the z3 sweep's deterministic budget (rlimit total, pieces proved)
        self._unproved_points: dict[Fraction, str] = {}  # point -> why it is not proved
        self.ps = PointSolver(model, rlimit)
        self.dom = Dominance(model, rlimit)
        self.units = self.ps.single.units
        self._pools = threshold_pools(model)
        self._deciding = deciding_indices(model)
        self.max_pieces = max_pieces
        self._points: dict[Fraction, Point] = {}
        self._last_profile: Profile | None = None
        self._plans: dict[Profile, object] = {}
        self.stats: dict[str, float] = {}

    # ---------------------------------------------------------------- points
    @contextmanager
    def _clock(self, key: str):
        """Time spent and calls made per phase, in `stats` (for the benchmarks)."""
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.stats[key] = self.stats.get(key, 0.0) + time.perf_counter() - t0
            self.stats[key + "#"] = self.stats.get(key + "#", 0) + 1

    def point(self, x: Fraction) -> Point:
        with self._clock("point"):
            return self._point(x)

    def _point(self, x: Fraction) -> Point:
        if x not in self._points and self.tables is not None:
            self._points[x] = self._table_point(x)
        if x not in self._points:
            why = self.budget.exhausted() if self.budget is not None else None
            if why is None:
                try:
                    return self._solved_point(x)
                except SolverGaveUp as e:
                    # z3 gave up at x (its rlimit, canceled, incomplete): the point is answered, not
                    # abandoned; an inconsistency (a plain SolverError) still stops the run
                    why = (self.budget.exhausted() if self.budget is not None else None) or f"z3 gave up: {e}"
            self._points[x] = self._direct_point(x, why)
        return self._points[x]

    def _direct_point(self, x: Fraction, why: str = "") -> Point:
        """Once the budget is spent, or where z3 gave up: an equilibrium at x by best responses, its exact
        payouts from the direct waterfall; the point is recorded as not proved (other equilibria are not
        excluded), with the reason."""
        self._unproved_points[x] = why
        none = tuple(False for _ in self.units)
        br = self._best_response(x, self._last_profile or none)
        prof = br if br is not None else none
        pay = {h: to_fraction(v) for h, v in run(self._plan(prof), fast_rational(x)).items()}
        return Point(x, prof, (br,) if br is not None else (), pay, True)

    def _solved_point(self, x: Fraction) -> Point:
        if x not in self._points:
            eqs = None
            if len(self._deciding) > ENUMERATE_UNITS:
                # many units: dominance proved at x is far cheaper than z3's search of the whole game
                forced = self._equilibria_by_dominance(x)
                if forced is not None:
                    eqs = [(forced[0], self.ps.payouts_for(x, forced[0]))]
            if eqs is None:
                eqs = self.ps.equilibria(x)
            if eqs:
                prof, pay = eqs[0]
            else:
                prof = tuple(False for _ in self.units)
                pay = self.ps.payouts_for(x, prof)
            unique = all(e[1] == eqs[0][1] for e in eqs) if eqs else True
            self._points[x] = Point(x, prof, tuple(e[0] for e in eqs), pay, unique)
        return self._points[x]

    # ---------------------------------------------------------------- local analysis
    def _interval(self, profiles: tuple[Profile, ...], p: Fraction, lo: Fraction, hi: Fraction | None,
                  incentives: bool = True):
        """Largest (lo, hi) around p on which these profiles keep their payout forms and stay equilibria.

        A profile's own kinks bound the interval; a unit's incentive to switch is followed
        across the kinks of its deviation until it changes sign. Returns None when p itself
        is a boundary (split there).
        """
        model, units = self.model, self.units
        for prof in profiles:
            base = _Local(model, units, prof, p)
            if not base.smooth:
                return None
            lo = _toward(-1, lo, base.tl.bound)
            hi = _toward(1, hi, base.tr.bound)
        if not incentives:
            return lo, hi
        for prof in profiles:
            for i in range(len(units)):
                hi = self._incentive_bound(prof, i, p, 1, hi)
                lo = self._incentive_bound(prof, i, p, -1, lo)
                if hi == p or lo == p:
                    return None
        return lo, hi

    def _plan(self, profile: Profile):
        """The prepared waterfall of a profile in fast rationals, kept for the sweep (the incentive and
        best-response steps run the same profiles' waterfalls many times)."""
        pl = self._plans.get(profile)
        if pl is None:
            if len(self._plans) > 50_000:
                self._plans.clear()
            pl = self._plans[profile] = plan(self.model, choice_of(self.units, profile), fast_rational)
        return pl

    def _incentive_bound(self, prof: Profile, i: int, p: Fraction, d: int, limit: Fraction | None) -> Fraction | None:
        """How far from p (towards `limit`) unit i keeps its equilibrium choice in profile prof.

        Computed in fast rationals (exact, as `Fraction`); the bound returned is a `Fraction`."""
        model, units = self.model, self.units
        u = units[i]
        pl_base, pl_dev = self._plan(prof), self._plan(flip(prof, i))
        qlimit = None if limit is None else fast_rational(limit)
        x = fast_rational(p)
        for _ in range(10_000):
            vb, vd = fast_variable(x, d), fast_variable(x, d)
            g = unit_payoff(model, u, run(pl_base, vb)) - unit_payoff(model, u, run(pl_dev, vd))
            end = _toward(d, qlimit, _toward(d, vb.tracker.bound, vd.tracker.bound))
            gv, gs = g.v, g.s * d  # value at x (one-sided) and slope moving away from p
            ok_now = gv > 0 or (gv == 0 and (gs > 0 if prof[i] else gs >= 0))
            if not ok_now:
                return to_fraction(x)
            if gs < 0:
                r = x + d * (gv / -gs)  # g reaches 0 here, and is negative beyond
                if end is None or (r - end) * d < 0:
                    return to_fraction(r)
            if end is None or end == qlimit:
                return limit
            x = end
            # x is now inside the interval: the gain at x itself must keep the choice, not only its
            # limits on either side (a gain that touches zero at a kink, from above on both sides,
            # leaves an acting unit indifferent at that one exit value)
            gx = unit_payoff(model, u, run(pl_base, x)) - unit_payoff(model, u, run(pl_dev, x))
            if not (gx > 0 if prof[i] else gx >= 0):
                return to_fraction(x)
        raise SweepError(f"too many kinks following the incentive of {u.id} from {p}")

    # ---------------------------------------------------------------- proofs
    def _in_interval(self, lo: Fraction, hi: Fraction | None):
        E = self.ps.game.E
        cs = [E > Q(lo)]
        if hi is not None:
            cs.append(E < Q(hi))
        return z3.And(cs)

    def _find_other_equilibrium(self, lo, hi, profiles):
        with self._clock("q1"):
            return self._find_other_equilibrium_(lo, hi, profiles)

    def _equilibria_by_dominance(self, x: Fraction) -> tuple[Profile, ...] | None:
        """Every equilibrium at exit value x when dominance proves every unit's choice there, else None.

        The forced profile is then the only equilibrium, and it is one: each acting unit gains
        strictly, and each keeping unit never gains by acting, against every profile that agrees
        with the choices fixed before it, the forced profile included. An exact, z3-proved
        alternative to searching the whole game at x (`PointSolver.search_equilibria`), which at
        40 series takes minutes per point or runs out of its limit.
        """
        forced = self.dom.forced(x, None, point=True, hint=self._last_profile)
        if not self._all_forced(forced):
            return None
        prof = tuple(forced.get(u.id, False) for u in self.units)
        if self._pools is not None:  # the pools at their fixed point given the forced units
            prof = resolve(self._pools, prof, lambda pr: waterfall(self.model, x, choice_of(self.units, pr)))
        return (prof,)

    def _all_forced(self, forced) -> bool:
        """Every deciding unit's choice is forced (the pools resolved by threshold are then unique)."""
        return all(self.units[i].id in forced for i in self._deciding)

    def _find_other_equilibrium_(self, lo, hi, profiles):
        g, s = self.ps.game, self.ps.solver
        in_s = z3.Or([g.profile_is(pr) for pr in profiles]) if profiles else z3.BoolVal(False)
        with self._clock("dominance"):
            forced = self.dom.forced(lo, hi, hint=profiles[0] if profiles else None)
        s.push()
        try:
            s.add(self._in_interval(lo, hi))
            # a reported equilibrium must take every forced choice; any other equilibrium too
            for pr in profiles:
                for u, a in zip(self.units, pr):
                    if u.id in forced and forced[u.id] != a:
                        return "sat", (None, pr)
            if self._all_forced(forced):
                # every unit's choice is proved forced on the range: the forced profile is the only
                # equilibrium there (acting units gain strictly, keeping units never gain by acting)
                return "unsat", None
            s.add(*[g.acts[k] if v else z3.Not(g.acts[k]) for k, v in forced.items()])
            s.add(z3.Or(z3.And(g.equilibrium, z3.Not(in_s)), z3.And(in_s, z3.Not(g.equilibrium))))
            out = check(s)
            if out.status == "sat":
                m = s.model()
                E = value(m, g.E)
                prof = tuple(z3.is_true(m.eval(g.acts[u.id], model_completion=True)) for u in self.units)
                return "sat", (E, prof)
            return out.status, out.reason
        finally:
            s.pop()

    def _prove_forms(self, lo, hi, profile, forms):
        with self._clock("q3"):
            return self._prove_forms_(lo, hi, profile, forms)

    def _prove_forms_(self, lo, hi, profile, forms):
        g = self.ps.single
        if len(self.units) >= SUBSTITUTE_UNITS:
            s = g.fixed_solver(profile)
            E = g.E
            s.add(E > Q(lo), *([E < Q(hi)] if hi is not None else []))
            pay = g.pay_for(profile)
            s.add(z3.Or([pay[h] != Q(a) + Q(b) * g.E for h, (a, b) in forms.items()]))
            out = check(s)
            if out.status == "sat":
                return "sat", value(s.model(), g.E)
            return out.status, out.reason
        s = g.solver
        s.push()
        try:
            E = g.E
            s.add(E > Q(lo), *([E < Q(hi)] if hi is not None else []), g.profile_is(profile))
            s.add(z3.Or([g.pay[h] != Q(a) + Q(b) * g.E for h, (a, b) in forms.items()]))
            out = check(s)
            if out.status == "sat":
                return "sat", value(s.model(), g.E)
            return out.status, out.reason
        finally:
            s.pop()

    # ---------------------------------------------------------------- the sweep
    def run(self) -> Analysis:
        if fits_tables(self.model, MAX_TABLE_UNITS):
            return self._run_tables()
        if self.model.readings.votes_in_sale:
            from ..votes import conversion_votes

            if conversion_votes(self.model):
                raise SweepError(f"reading votes_in_sale: the breakpoints play the conversion vote with at most "
                                 f"{MAX_TABLE_UNITS} deciding units ({len(self.units)} here); --exit VALUES plays it "
                                 f"at the exit values asked for, or take votes_in_sale=false")
        prev = use_budget(self.budget)
        try:
            return self._run_sweep()
        finally:
            use_budget(prev)

    def _run_sweep(self) -> Analysis:
        work: list[tuple[Fraction, Fraction | None]] = [(Fraction(0), None)]
        segments: list[Piece] = []
        budget = self.budget
        while work:
            if len(segments) > self.max_pieces:
                raise SweepError(f"more than {self.max_pieces} pieces; giving up")
            a, b = work.pop()
            why = budget.exhausted() if budget is not None else None
            if why is not None:
                seg, rest = self._cover_unproved(a, b, why)
            else:
                seg, rest = self._cover(a, b)
            if seg is not None:
                segments.append(seg)
                if budget is not None and seg.proved:
                    budget.proved += 1
                    # the proved piece's ends while the budget lasts
                    for x in (seg.lo, seg.hi):
                        if x is not None:
                            self.point(x)
            work.extend(rest)
        segments.sort(key=lambda s: s.lo)
        for x in sorted({s.lo for s in segments} | {s.hi for s in segments if s.hi is not None}):
            self.point(x)
        an = _assemble(self.model, self.units, segments, self._points)
        if budget is not None:
            an.budget = budget.describe()
        an.unproved_points = tuple(sorted(self._unproved_points))
        an.unproved_reasons = {x: self._unproved_points[x] for x in an.unproved_points}
        return an

    def _cover_unproved(self, a: Fraction, b: Fraction | None, why: str):
        """Once the budget is spent: a piece inside (a, b) from the exact local analysis alone (an
        equilibrium by best responses at a probe, the interval on which it stays one with the same
        payout forms), recorded as not proved, with the reason; no z3 query."""
        p = _simplest_between(a, b)
        none = tuple(False for _ in self.units)
        br = self._best_response(p, self._last_profile or none)
        profiles = (br,) if br is not None else ()
        iv = self._interval(profiles or (none,), p, a, b, incentives=bool(profiles))
        if iv is None:
            return None, [(a, p), (p, b)]
        lo, hi = iv
        profile = profiles[0] if profiles else none
        local = _Local(self.model, self.units, profile, p)
        forms = {h: (f.intercept(), f.s) for h, f in local.right.items()}
        seg = Piece(lo, hi, profile, profiles, forms, False,
                    f"not analysed with proofs: {why}; the payouts shown are one equilibrium's",
                    causes_lo=set(local.tl.causes.get(lo, ())),
                    causes_hi=set(local.tr.causes.get(hi, ())) if hi is not None else set())
        return seg, _rest(a, b, lo, hi)

    # ---------------------------------------------------------------- few units: the exact tables
    tables: Tables | None = None

    def _run_tables(self) -> Analysis:
        """The pieces from the complete exact equilibrium map (`tables.Tables`), each piece's payout
        functions then proved by z3.

        With few deciding units every profile's payouts are tabulated exactly over [0, ∞), so the
        equilibrium set on every interval and at every point is computed, not searched for: no
        dominance or other-equilibrium queries are needed. A piece is an interval with one
        equilibrium set, cut at every kink of its equilibria's payouts and at every point where
        the set differs from the interval's.
        """
        with self._clock("tables"):
            if self.tables is None:  # else given, built for this model (`analyze(tables=...)`)
                self.tables = Tables(self.model)
            tb = self.tables
        self._vote_causes = tb.vote_causes()
        none = tuple(False for _ in self.units)
        events = sorted(tb.point_sets)
        segments: list[Piece] = []
        for lo, hi, eqs in tb.intervals():
            qlo, qhi = fast_rational(lo), None if hi is None else fast_rational(hi)
            cuts = set()
            for pr in eqs or (none,):
                cuts.update(k for k in tb.table[pr].xs if qlo < k and (qhi is None or k < qhi))
            j = bisect_right(events, qlo)
            while j < len(events) and (qhi is None or events[j] < qhi):
                if tb.point_sets[events[j]] != eqs:
                    cuts.add(events[j])
                j += 1
            bounds = [qlo] + sorted(cuts) + [qhi]
            for a, b in zip(bounds, bounds[1:]):
                segments.append(self._table_piece(a, b, eqs))
        if len(segments) > self.max_pieces:
            raise SweepError(f"more than {self.max_pieces} pieces; giving up")
        for x in {s.lo for s in segments} | {s.hi for s in segments if s.hi is not None}:
            self.point(x)
        an = _assemble(self.model, self.units, segments, self._points, set(self._vote_causes.values()))
        an.tables = tb
        return an

    def _table_piece(self, a, b, eqs: tuple[Profile, ...]) -> Piece:
        tb = self.tables
        profile = eqs[0] if eqs else tuple(False for _ in self.units)

        def forms_of(pr):
            t = tb.table[pr]
            j = t.stretch(a)
            return j, {h: (to_fraction(c), to_fraction(d)) for h, (c, d) in t.forms[j].items()}

        j, forms = forms_of(profile)
        t = tb.table[profile]
        lo, hi = to_fraction(a), None if b is None else to_fraction(b)
        reason = None
        status, info = self._prove_forms(lo, hi, profile, forms)
        if status == "unknown":
            reason = f"payout functions not proved: {info}"
        elif status == "sat":
            reason = f"internal: payouts differ from the stated functions at {info}"
        return Piece(
            lo, hi, profile, eqs, forms, reason is None, reason,
            causes_lo=(set(t.causes_lo[j]) if t.xs[j] == a else set()) | _cause(self._vote_causes, a),
            causes_hi=(set(t.causes_hi[j]) if j + 1 < len(t.xs) and t.xs[j + 1] == b else set())
            | _cause(self._vote_causes, b),
            unique_payouts=all(forms_of(pr)[1] == forms for pr in eqs[1:]),
        )

    def _table_point(self, x: Fraction) -> Point:
        """The exact point from the tables; z3 computes the reported payouts as a cross-check."""
        tb = self.tables
        eqs = tb.equilibria_at(x)
        pays = [tb.payouts(pr, x) for pr in eqs]
        profile = eqs[0] if eqs else tuple(False for _ in self.units)
        pay = pays[0] if eqs else tb.payouts(profile, x)
        if self.ps.payouts_for(x, profile) != pay:
            raise RuntimeError(f"the z3 encoding and the direct tables disagree at exit value {x}")
        return Point(x, profile, eqs, pay, all(p == pays[0] for p in pays))

    def _is_equilibrium(self, profile: Profile, x: Fraction) -> bool:
        model, units = self.model, self.units
        return is_equilibrium(model, units, profile, lambda pr: waterfall(model, x, choice_of(units, pr)))

    def _best_response(self, x: Fraction, start: Profile) -> Profile | None:
        """An equilibrium at x reached by letting units switch one at a time (None if it cycles)."""
        model, units, pools = self.model, self.units, self._pools

        def settled(pr):
            # the pools resolved by threshold follow the other units at once (their fixed point)
            return pr if pools is None else resolve(pools, pr, lambda q: waterfall(model, x, choice_of(units, q)))

        prof = settled(start)
        seen = {prof}
        xf = fast_rational(x)
        for _ in range(4 * len(units) + 4):
            base = run(self._plan(prof), xf)
            for i in self._deciding:
                u = units[i]
                dev_prof = flip(prof, i)
                dev = run(self._plan(dev_prof), xf)
                if leaves_choice(prof[i], unit_payoff(model, u, base), unit_payoff(model, u, dev)):
                    prof = settled(dev_prof)
                    break
            else:
                return prof
            if prof in seen:
                return None
            seen.add(prof)
        return None

    def _cover(self, a: Fraction, b: Fraction | None):
        """Prove one piece inside (a, b); return it and the uncovered rest.

        The candidate equilibria at the probe come from best responses (cheap); the
        proof on the piece then shows that they are all the equilibria there, or
        yields a witness that joins them (if it is an equilibrium at the probe) or
        splits the piece.
        """
        p = _simplest_between(a, b)
        start = self._last_profile or tuple(False for _ in self.units)
        br = self._best_response(p, start)
        if br is None:
            pt = self.point(p)
            profiles = pt.profiles
        else:
            profiles = (br,)
        reason = None
        lo = hi = None
        for _ in range(64):
            # with no equilibrium at p (a game without a pure equilibrium) the reported payouts are the
            # no-conversion profile's, flagged; the proof then shows there is no equilibrium on the piece
            shown = profiles or (tuple(False for _ in self.units),)
            iv = self._interval(shown, p, a, b, incentives=bool(profiles))
            if iv is None:  # p is itself a boundary
                return None, [(a, p), (p, b)]
            lo, hi = iv
            grown = False
            while True:
                status, info = self._find_other_equilibrium(lo, hi, profiles)
                if status == "unknown":
                    reason = f"equilibrium set not proved constant: {info}"
                    break
                if status == "unsat":
                    break
                E2, prof2 = info
                if prof2 in profiles:
                    reason = f"internal: a reported equilibrium fails at {E2}"
                    break
                if self._is_equilibrium(prof2, p):
                    profiles = tuple(sorted(profiles + (prof2,), key=profile_key))
                    grown = True
                    break
                iv2 = self._interval((prof2,), E2, lo, hi)
                if iv2 is None:
                    cut = E2
                else:
                    lo2, hi2 = iv2
                    cut = hi2 if hi2 is not None and hi2 <= p else lo2
                if cut is None or not (lo < cut < (hi if hi is not None else cut + 1)) or cut == p:
                    reason = f"internal: could not isolate a new equilibrium near {E2}"
                    break
                if cut < p:
                    lo = cut
                else:
                    hi = cut
            if not grown:
                break
        profiles = tuple(sorted(profiles, key=profile_key))
        profile = profiles[0] if profiles else tuple(False for _ in self.units)
        self._last_profile = profile
        local = _Local(self.model, self.units, profile, p)
        forms = {h: (f.intercept(), f.s) for h, f in local.right.items()}
        unique = all(
            {h: (f.intercept(), f.s) for h, f in _Local(self.model, self.units, pr, p).right.items()} == forms
            for pr in profiles[1:]
        )
        proved = False
        if reason is None:
            status, info = self._prove_forms(lo, hi, profile, forms)
            if status == "unsat":
                proved = True
            elif status == "unknown":
                reason = f"payout functions not proved: {info}"
            else:
                reason = f"internal: payouts differ from the stated functions at {info}"
        seg = Piece(
            lo, hi, profile, profiles, forms, proved, reason,
            causes_lo=set(local.tl.causes.get(lo, ())), causes_hi=set(local.tr.causes.get(hi, ())) if hi is not None else set(),
            unique_payouts=unique,
        )
        return seg, _rest(a, b, lo, hi)


def _rest(a, b, lo, hi) -> list:
    """What is left of the range [a, b) (b None: unbounded) once a piece covers [lo, hi)."""
    rest = []
    if lo > a:
        rest.append((a, lo))
    if hi is not None and (b is None or hi < b):
        rest.append((hi, b))
    return rest


def _cause(causes: dict, x) -> set[str]:
    return {causes[x]} if x is not None and x in causes else set()


def _toward(d: int, a, b):
    """Of two bounds in direction d (None = unbounded), the one nearer the start."""
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b) if d > 0 else max(a, b)


def describe_switch(model: Charter, unit: ConversionUnit, acting: bool) -> str:
    if unit.kind == "option":
        return f"option pool {unit.id} is {'exercised' if acting else 'no longer exercised'}"
    verb = "converts" if acting else "stops converting"
    if unit.kind == "class_vote":
        names = ", ".join(unit.members[:-1]) + " and " + unit.members[-1] if len(unit.members) > 1 else unit.members[0]
        verb = "convert" if acting else "stop converting"
        return f"Series {names} {verb} by class vote {unit.id} ({unit.source})"
    return f"Series {unit.id} {verb} ({unit.source})"


def _assemble(model, units, segments: list[Piece], points: dict[Fraction, Point], keep=frozenset()) -> Analysis:
    """`keep`: causes of an event that stays a breakpoint even where the payouts do not change there
    (where a conversion vote starts or stops being taken)."""
    # merge adjacent segments whose payout functions agree and whose junction is continuous
    merged: list[Piece] = []
    bps: list[Breakpoint] = []
    for seg in segments:
        if merged:
            prev = merged[-1]
            x = seg.lo
            pt = points[x]
            same = prev.forms == seg.forms and all(pt.payouts[h] == seg.at(h, x) for h in seg.forms)
            if same and not ((prev.causes_hi | seg.causes_lo) & keep):
                merged[-1] = Piece(
                    prev.lo, seg.hi, prev.profile if prev.profile == seg.profile else seg.profile,
                    tuple(dict.fromkeys(prev.profiles + seg.profiles)), prev.forms,
                    prev.proved and seg.proved, prev.reason or seg.reason,
                    prev.causes_lo, seg.causes_hi, prev.unique_payouts and seg.unique_payouts,
                )
                continue
            causes = sorted(prev.causes_hi | seg.causes_lo)
            voted = bool((prev.causes_hi | seg.causes_lo) & keep)  # the switches are the vote's
            for i, u in enumerate(units):
                if prev.profile[i] != seg.profile[i] and not voted:
                    causes.append(describe_switch(model, u, seg.profile[i]))
            if not causes:
                causes = ["payouts change slope"]
            jumps = {h: seg.at(h, x) - prev.at(h, x) for h in seg.forms if seg.at(h, x) != prev.at(h, x)}
            bps.append(Breakpoint(
                x, causes, jumps,
                {h: prev.forms[h][1] for h in prev.forms}, {h: seg.forms[h][1] for h in seg.forms}, pt,
            ))
        merged.append(seg)
    return Analysis(model, units, merged, bps, segments, points)


def analyze(model: Charter, rlimit: int | None = None, tables: Tables | None = None) -> Analysis:
    """Every breakpoint of every holder's payout on [0, ∞), with each piece proved. `tables`: the
    model's exact tables (`Tables(model)`), when already built (`readings.ahead_tables`); tables of
    another model object are not taken."""
    sweep = Sweep(model, rlimit)
    if tables is not None and tables.model is model and fits_tables(model, MAX_TABLE_UNITS):
        sweep.tables = tables
    return sweep.run()
