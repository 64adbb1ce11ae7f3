"""Iterated elimination of strictly dominated choices, proved by z3 over an exit-value range.

For each deciding unit, two waterfall copies that differ only in that unit's
choice (the others' choices symbolic) tell whether the unit can ever strictly
gain by acting, or can ever weakly prefer to keep, for any exit value in the
range and any choices of the others still possible. A unit that can never gain
by acting keeps in every equilibrium (acting needs a strict gain); a unit that
always gains strictly acts in every equilibrium (keeping needs no loss). Fixing
such units and repeating shrinks the search every equilibrium query faces,
without enumerating profiles. Only proofs (unsat) fix a unit: an unknown leaves it free.
"""

from __future__ import annotations

from fractions import Fraction

import z3

from ..encodings import Q, Sink
from ..model import Charter
from .game import encode_profile, payoff
from .session import check, new_solver


class Dominance:
    def __init__(self, model: Charter, rlimit: int | None = None):
        self.model = model
        self.units = model.units()
        self.E = z3.Real("dom|E")
        self.acts = {u.id: z3.Bool(f"dom|act|{u.id}") for u in self.units}
        self._solvers: dict[str, tuple[z3.Solver, z3.ArithRef]] = {}
        self.rlimit = rlimit

    def _solver(self, uid: str):
        if uid not in self._solvers:
            u = next(x for x in self.units if x.id == uid)
            sink = Sink()
            pays = []
            for flag in (True, False):
                acts = dict(self.acts)
                acts[uid] = z3.BoolVal(flag)
                pays.append(encode_profile(self.model, self.units, self.E, acts, f"dom|{uid}|{flag}", sink))
            gain = payoff(u, pays[0]) - payoff(u, pays[1])
            s = new_solver(self.rlimit)
            s.add(*[c for c, _ in sink.items], self.E >= 0)
            self._solvers[uid] = (s, gain)
        return self._solvers[uid]

    def forced(self, lo: Fraction, hi: Fraction | None, *, point: bool = False,
               fixed: dict[str, bool] | None = None, hint: tuple[bool, ...] | None = None) -> dict[str, bool]:
        """Units whose choice is the same in every equilibrium for exit values in (lo, hi) (or at lo)."""
        fixed = dict(fixed or {})
        rng = [self.E == Q(lo)] if point else [self.E > Q(lo)] + ([self.E < Q(hi)] if hi is not None else [])
        changed = True
        while changed:
            changed = False
            for i, u in enumerate(self.units):
                if u.id in fixed:
                    continue
                s, gain = self._solver(u.id)
                lits = rng + [self.acts[k] if v else z3.Not(self.acts[k]) for k, v in fixed.items()]
                # try first the choice the hint (an equilibrium in the range) makes
                order = (True, False) if hint is not None and hint[i] else (False, True)
                for choice in order:
                    if self._never(s, lits + [gain <= 0 if choice else gain > 0]):
                        fixed[u.id] = choice
                        changed = True
                        break
        return fixed

    @staticmethod
    def _never(s: z3.Solver, lits) -> bool:
        s.push()
        try:
            s.add(*lits)
            return check(s).status == "unsat"
        finally:
            s.pop()
