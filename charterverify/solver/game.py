"""The conversion game in z3: one waterfall copy per profile and per unilateral deviation."""

from __future__ import annotations

import z3

from ..encodings import Q, Sink, encode_waterfall
from ..model import COMMON, Charter, ConversionUnit
from ..options import threshold_pools


class GameEncoding:
    """Symbolic exit value `E`, one Boolean per unit, and the equilibrium condition (a deviation copy
    per deciding unit; the pools resolved by threshold by a constraint on the base copy)."""

    def __init__(self, model: Charter, tag: str = "g", exit_value: z3.ArithRef | None = None):
        self.model = model
        self.units: tuple[ConversionUnit, ...] = model.units()
        self.E = exit_value if exit_value is not None else z3.Real(f"{tag}|E")
        self.acts = {u.id: z3.Bool(f"{tag}|act|{u.id}") for u in self.units}
        self.sink = Sink()
        self.pay = self._copy(self.acts, f"{tag}|base")
        conds = []
        self.deviation_pay: dict[str, dict[str, z3.ArithRef]] = {}
        pools = threshold_pools(model)
        deciding = self.units if pools is None else [self.units[i] for i in pools.deciding]
        if pools is not None:
            # the pools of common at their threshold fixed point (options.py): exercised exactly when
            # the value per common share in this copy exceeds the strike; equivalent to the game's
            # conditions for the pools, which therefore need no deviation copies. A deviating unit's
            # copy keeps the pools' Booleans of the base copy (the game's unilateral switch).
            W = Q(pools.common)
            for k, ix in pools.groups:
                above = self.pay[COMMON] > Q(k) * W
                conds += [self.acts[self.units[i].id] == above for i in ix]
            conds += [z3.Not(self.acts[self.units[i].id]) for i in pools.never]
        for u in deciding:
            flipped = dict(self.acts)
            flipped[u.id] = z3.Not(self.acts[u.id])
            dev = self._copy(flipped, f"{tag}|dev|{u.id}")
            self.deviation_pay[u.id] = dev
            mine, other = self.payoff(u, self.pay), self.payoff(u, dev)
            # a unit acts only if strictly better off; ties keep the preferred
            conds.append(z3.If(self.acts[u.id], mine > other, mine >= other))
        self.equilibrium = z3.And(conds) if conds else z3.BoolVal(True)

    def _copy(self, acts: dict[str, z3.BoolRef], tag: str) -> dict[str, z3.ArithRef]:
        return encode_profile(self.model, self.units, self.E, acts, tag, self.sink)

    def payoff(self, u: ConversionUnit, pay: dict[str, z3.ArithRef]) -> z3.ArithRef:
        return payoff(u, pay)

    def constraints(self) -> list[z3.BoolRef]:
        return [c for c, _ in self.sink.items] + [self.E >= 0]

    def profile_is(self, profile: tuple[bool, ...]) -> z3.BoolRef:
        return profile_literal(self.units, self.acts, profile)


def encode_profile(model: Charter, units, E, acts: dict[str, z3.BoolRef], tag: str, sink: Sink) -> dict[str, z3.ArithRef]:
    """A waterfall copy in which each unit acts as its Boolean says."""
    conv: dict[str, z3.BoolRef] = {}
    exer: dict[str, z3.BoolRef] = {}
    for u in units:
        if u.kind == "option":
            exer[u.id] = acts[u.id]
        else:
            for m in u.members:
                conv[m] = acts[u.id]
    return encode_waterfall(model, E, conv, exer, tag, sink)


def payoff(u: ConversionUnit, pay: dict[str, z3.ArithRef]) -> z3.ArithRef:
    """What the unit weighs: an option pool's net payout, a class vote's controller (or the group total)."""
    if u.kind == "option":
        return pay[u.id]
    if u.controller is not None:
        return pay[u.controller]
    return z3.Sum([pay[m] for m in u.members])


def profile_literal(units, acts: dict[str, z3.BoolRef], profile: tuple[bool, ...]) -> z3.BoolRef:
    """The Booleans of one strategy profile, as a conjunction."""
    return z3.And([acts[u.id] if a else z3.Not(acts[u.id]) for u, a in zip(units, profile)] + [z3.BoolVal(True)])
