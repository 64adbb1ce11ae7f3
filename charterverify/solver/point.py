"""Exact payouts at given exit values from the z3 encoding: every equilibrium, the fewest-action one reported."""

from __future__ import annotations

from fractions import Fraction

import z3

from ..encodings import Q, Sink
from ..evaluate import ExitResult, make_result
from ..game import profile_key
from ..model import Charter
from ..options import deciding_indices
from ..votes import play
from .exact import value
from .game import GameEncoding, encode_profile, profile_literal
from .session import check, default_rlimit, new_solver


ENUMERATE_UNITS = 10
# from this many deciding units, payouts and piece proofs for one profile use a fresh solver with the
# profile's Booleans substituted (ProfileEncoding.fixed_solver) instead of the shared incremental one
SUBSTITUTE_UNITS = 13


class SolverError(RuntimeError):
    """The solver could not decide within its resource limit."""


class SolverGaveUp(SolverError):
    """A query came back unknown (z3's rlimit spent, canceled, incomplete): not an inconsistency. The
    breakpoint sweep covers such a point by the exact local analysis and records it as not proved."""


class PointSolver:
    """One encoding of a model's game, queried at many exit values (push/pop)."""

    def __init__(self, model: Charter, rlimit: int | None = None):
        self.model = model
        self.rlimit = rlimit
        self._game: GameEncoding | None = None
        self._solver: z3.Solver | None = None
        # one waterfall copy for a given profile: payouts and piece proofs need nothing more
        self.single = ProfileEncoding(model, rlimit)

    @property
    def game(self) -> GameEncoding:
        if self._game is None:
            self._game = GameEncoding(self.model)
        return self._game

    @property
    def solver(self) -> z3.Solver:
        if self._solver is None:
            self._solver = new_solver(self.rlimit)
            self._solver.add(*self.game.constraints())
        return self._solver

    def equilibria(self, E: Fraction) -> list[tuple[tuple[bool, ...], dict[str, Fraction]]]:
        """Every equilibrium at E with its exact payouts from the z3 encoding.

        With few deciding units the profiles are enumerated exactly by the direct
        evaluator (a complete search) and z3 computes each equilibrium's payouts
        and confirms that no unit gains by deviating; beyond ENUMERATE_UNITS the
        search itself is the solver's.
        """
        if len(deciding_indices(self.model)) <= ENUMERATE_UNITS:
            from ..evaluate import equilibria as direct_equilibria

            found = []
            for profile, direct_pay in direct_equilibria(self.model, E):
                pay = self.payouts_for(E, profile)
                if pay != {h: Fraction(direct_pay[h]) for h in self.model.holders}:
                    raise SolverError(f"the z3 encoding and the direct evaluator disagree at exit value {E}")
                found.append((profile, pay))
            return found
        return self.search_equilibria(E)

    def search_equilibria(self, E: Fraction) -> list[tuple[tuple[bool, ...], dict[str, Fraction]]]:
        """Every equilibrium at E, found by the solver's own search (no enumeration)."""
        g, s = self.game, self.solver
        s.push()
        try:
            s.add(g.E == Q(E), g.equilibrium)
            found = []
            while True:
                out = check(s)
                if out.status == "unsat":
                    break
                if out.status == "unknown":
                    raise SolverGaveUp(f"solver gave up at exit value {E}: {out.reason}")
                m = s.model()
                profile = tuple(z3.is_true(m.eval(g.acts[u.id], model_completion=True)) for u in g.units)
                pay = {h: value(m, g.pay[h]) for h in self.model.holders}
                found.append((profile, pay))
                s.add(z3.Not(g.profile_is(profile)))
                if not g.units:
                    break
        finally:
            s.pop()
        found.sort(key=lambda pe: profile_key(pe[0]))
        return found

    def solve(self, E) -> ExitResult:
        E = Fraction(E)
        eqs = self.equilibria(E)
        units = self.single.units
        # the conversion vote before the sale (reading votes_in_sale), payouts from the z3 encoding
        eqs, forcing = play(self.model, units, eqs, lambda pr: self.payouts_for(E, pr))
        if eqs:
            profile, pay = eqs[0]
        else:
            profile = tuple(False for _ in units)
            pay = self.payouts_for(E, profile)
        return make_result(self.model, E, units, profile, pay, eqs, forcing)

    def payouts_for(self, E: Fraction, profile: tuple[bool, ...], check_equilibrium: bool = False) -> dict[str, Fraction]:
        if not check_equilibrium:
            return self.single.payouts(E, profile)
        g, s = self.game, self.solver
        s.push()
        try:
            s.add(g.E == Q(E), g.profile_is(profile))
            if check_equilibrium:
                s.add(g.equilibrium)
            out = check(s)
            if out.status == "unknown":
                raise SolverGaveUp(f"profile {profile} at exit value {E}: unknown {out.reason or ''}".strip())
            if out.status != "sat":
                what = "not an equilibrium" if check_equilibrium and out.status == "unsat" else out.status
                raise SolverError(f"profile {profile} at exit value {E}: {what} {out.reason or ''}".strip())
            m = s.model()
            return {h: value(m, g.pay[h]) for h in self.model.holders}
        finally:
            s.pop()


class ProfileEncoding:
    """One z3 waterfall copy, the profile given by Booleans: exact payouts and piece proofs."""

    def __init__(self, model: Charter, rlimit: int | None = None):
        self.model = model
        self.units = model.units()
        self.E = z3.Real("one|E")
        self.acts = {u.id: z3.Bool(f"one|act|{u.id}") for u in self.units}
        self.sink = Sink()
        self.pay = encode_profile(model, self.units, self.E, self.acts, "one", self.sink)
        self.rlimit = rlimit
        self.solver = new_solver(rlimit)
        self.solver.add(*[c for c, _ in self.sink.items], self.E >= 0)
        self._formula: z3.BoolRef | None = None

    def profile_is(self, profile) -> z3.BoolRef:
        return profile_literal(self.units, self.acts, profile)

    def fixed_solver(self, profile) -> z3.Solver:
        """A fresh solver on this copy with the profile's Booleans substituted as constants (an
        equivalent formula for that profile: z3 simplifies the other branches away instead of
        searching them). Used for large charters, where the shared incremental solver is slow."""
        if self._formula is None:
            self._formula = z3.And(*[c for c, _ in self.sink.items], self.E >= 0)
        subs = [(self.acts[u.id], z3.BoolVal(bool(a))) for u, a in zip(self.units, profile)]
        f = z3.substitute(self._formula, *subs) if subs else self._formula
        s = new_solver(self.rlimit)
        s.add(f)
        return s

    def payouts(self, E: Fraction, profile) -> dict[str, Fraction]:
        if len(self.units) >= SUBSTITUTE_UNITS:
            s = self.fixed_solver(profile)
            s.add(self.E == Q(E))
            out = check(s)
            return self._read(s, out, E, profile)
        s = self.solver
        s.push()
        try:
            s.add(self.E == Q(E), self.profile_is(profile))
            out = check(s)
            return self._read(s, out, E)
        finally:
            s.pop()

    def _read(self, s: z3.Solver, out, E, profile=None) -> dict[str, Fraction]:
        if out.status == "unknown":
            raise SolverGaveUp(f"the solver gave up computing the payouts at exit value {E} "
                              f"({out.reason}); raise --rlimit (now {default_rlimit()})")
        if out.status != "sat":
            raise SolverError(f"the waterfall encoding has no solution at exit value {E}: please report this")
        m = s.model()
        pay = self.pay if profile is None else self.pay_for(profile)
        return {h: value(m, pay[h]) for h in self.model.holders}

    def pay_for(self, profile) -> dict[str, z3.ArithRef]:
        """The payout terms with the profile's Booleans substituted (to read a `fixed_solver` model)."""
        subs = [(self.acts[u.id], z3.BoolVal(bool(a))) for u, a in zip(self.units, profile)]
        return {h: z3.substitute(t, *subs) if subs else t for h, t in self.pay.items()}


_cache: dict[int, PointSolver] = {}


def solve_exit(model: Charter, exit_value) -> ExitResult:
    """Payouts at one exit value, from the z3 encoding."""
    ps = _cache.get(id(model))
    if ps is None or ps.model is not model:
        ps = PointSolver(model)
        _cache.clear()
        _cache[id(model)] = ps
    return ps.solve(Fraction(exit_value))
