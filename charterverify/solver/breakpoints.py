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

from dataclasses import dataclass, field
from fractions import Fraction
from math import floor

import z3

from ..affine import Lin, variable
from ..encodings import Q
from ..evaluate import choice_of, profile_key, unit_payoff, waterfall
from ..model import Charter, ConversionUnit
from .exact import value
from .point import PointSolver
from .session import check

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

    @property
    def complete(self) -> bool:
        return all(p.proved for p in self.segments)

    def piece_at(self, x: Fraction) -> Piece | None:
        for p in self.pieces:
            if p.lo < x and (p.hi is None or x < p.hi):
                return p
        return None


class SweepError(RuntimeError):
    pass


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
    def __init__(self, model: Charter, rlimit: int | None = None, max_pieces: int = 5000):
        self.model = model
        self.ps = PointSolver(model, rlimit)
        self.g = self.ps.game
        self.units = self.g.units
        self.max_pieces = max_pieces
        self._points: dict[Fraction, Point] = {}

    # ---------------------------------------------------------------- points
    def point(self, x: Fraction) -> Point:
        if x not in self._points:
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
    def _interval(self, profiles: tuple[Profile, ...], p: Fraction, lo: Fraction, hi: Fraction | None):
        """Largest (lo, hi) around p on which these profiles stay equilibria with fixed forms.

        Returns None when p itself is a breakpoint of something (split there).
        """
        model, units = self.model, self.units
        for prof in profiles:
            base = _Local(model, units, prof, p)
            if not base.smooth:
                return None
            lo = _max(lo, base.tl.bound)
            hi = _min(hi, base.tr.bound)
            for i, u in enumerate(units):
                dev_prof = prof[:i] + (not prof[i],) + prof[i + 1:]
                dev = _Local(model, units, dev_prof, p)
                if not dev.smooth:
                    return None
                lo = _max(lo, dev.tl.bound)
                hi = _min(hi, dev.tr.bound)
                g = unit_payoff(model, u, base.right) - unit_payoff(model, u, dev.right)
                gv, gs = g.v, g.s
                if prof[i] and gv <= 0 or not prof[i] and gv < 0:
                    raise SweepError(f"profile {prof} is not an equilibrium at {p} by the direct waterfall")
                if gs != 0:
                    if gv == 0:
                        return None  # the unit is indifferent exactly here and not on one side
                    r = p - gv / gs
                    if r > p:
                        hi = _min(hi, r)
                    else:
                        lo = _max(lo, r)
        return lo, hi

    # ---------------------------------------------------------------- proofs
    def _in_interval(self, lo: Fraction, hi: Fraction | None):
        E = self.g.E
        cs = [E > Q(lo)]
        if hi is not None:
            cs.append(E < Q(hi))
        return z3.And(cs)

    def _find_other_equilibrium(self, lo, hi, profiles):
        g, s = self.g, self.ps.solver
        in_s = z3.Or([g.profile_is(pr) for pr in profiles]) if profiles else z3.BoolVal(False)
        s.push()
        try:
            s.add(self._in_interval(lo, hi))
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
        g, s = self.g, self.ps.solver
        s.push()
        try:
            s.add(self._in_interval(lo, hi), g.profile_is(profile))
            s.add(z3.Or([g.pay[h] != Q(a) + Q(b) * g.E for h, (a, b) in forms.items()]))
            out = check(s)
            if out.status == "sat":
                return "sat", value(s.model(), g.E)
            return out.status, out.reason
        finally:
            s.pop()

    # ---------------------------------------------------------------- the sweep
    def run(self) -> Analysis:
        work: list[tuple[Fraction, Fraction | None]] = [(Fraction(0), None)]
        segments: list[Piece] = []
        while work:
            if len(segments) > self.max_pieces:
                raise SweepError(f"more than {self.max_pieces} pieces; giving up")
            a, b = work.pop()
            seg, rest = self._cover(a, b)
            if seg is not None:
                segments.append(seg)
            work.extend(rest)
        segments.sort(key=lambda s: s.lo)
        for x in {s.lo for s in segments} | {s.hi for s in segments if s.hi is not None}:
            self.point(x)
        return _assemble(self.model, self.units, segments, self._points)

    def _cover(self, a: Fraction, b: Fraction | None):
        """Prove one piece inside (a, b); return it and the uncovered rest."""
        p = _simplest_between(a, b)
        pt = self.point(p)
        iv = self._interval(pt.profiles or (pt.profile,), p, a, b)
        if iv is None:  # p is itself a boundary
            return None, [(a, p), (p, b)]
        lo, hi = iv
        reason = None
        proved = False
        while True:
            status, info = self._find_other_equilibrium(lo, hi, pt.profiles)
            if status == "unknown":
                reason = f"equilibrium set not proved constant: {info}"
                break
            if status == "unsat":
                break
            E2, prof2 = info
            if prof2 in pt.profiles:
                reason = f"internal: a reported equilibrium fails at {E2}"
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
        profile = pt.profile
        local = _Local(self.model, self.units, profile, p)
        forms = {h: (f.intercept(), f.s) for h, f in local.right.items()}
        if reason is None:
            status, info = self._prove_forms(lo, hi, profile, forms)
            if status == "unsat":
                proved = True
            elif status == "unknown":
                reason = f"payout functions not proved: {info}"
            else:
                reason = f"internal: payouts differ from the stated functions at {info}"
        seg = Piece(
            lo, hi, profile, pt.profiles, forms, proved, reason,
            causes_lo=set(local.tl.causes.get(lo, ())), causes_hi=set(local.tr.causes.get(hi, ())) if hi is not None else set(),
            unique_payouts=pt.unique_payouts,
        )
        rest = []
        if lo > a:
            rest.append((a, lo))
        if hi is not None and (b is None or hi < b):
            rest.append((hi, b))
        return seg, rest


def _max(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _min(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def describe_switch(model: Charter, unit: ConversionUnit, acting: bool) -> str:
    if unit.kind == "option":
        return f"option pool {unit.id} is {'exercised' if acting else 'no longer exercised'}"
    verb = "converts" if acting else "stops converting"
    if unit.kind == "class_vote":
        names = ", ".join(unit.members[:-1]) + " and " + unit.members[-1] if len(unit.members) > 1 else unit.members[0]
        verb = "convert" if acting else "stop converting"
        return f"Series {names} {verb} by class vote {unit.id} ({unit.source})"
    return f"Series {unit.id} {verb} ({unit.source})"


def _assemble(model, units, segments: list[Piece], points: dict[Fraction, Point]) -> Analysis:
    # merge adjacent segments whose payout functions agree and whose junction is continuous
    merged: list[Piece] = []
    bps: list[Breakpoint] = []
    for seg in segments:
        if merged:
            prev = merged[-1]
            x = seg.lo
            pt = points[x]
            same = prev.forms == seg.forms and all(pt.payouts[h] == seg.at(h, x) for h in seg.forms)
            if same:
                merged[-1] = Piece(
                    prev.lo, seg.hi, prev.profile if prev.profile == seg.profile else seg.profile,
                    tuple(dict.fromkeys(prev.profiles + seg.profiles)), prev.forms,
                    prev.proved and seg.proved, prev.reason or seg.reason,
                    prev.causes_lo, seg.causes_hi, prev.unique_payouts and seg.unique_payouts,
                )
                continue
            causes = sorted(prev.causes_hi | seg.causes_lo)
            for i, u in enumerate(units):
                if prev.profile[i] != seg.profile[i]:
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


def analyze(model: Charter, rlimit: int | None = None) -> Analysis:
    """Every breakpoint of every holder's payout on [0, ∞), with each piece proved."""
    return Sweep(model, rlimit).run()
