"""Shared pieces of the z3 encodings: a constraint sink tracked by clause, and one waterfall copy."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import z3

from ..model import COMMON, Charter


def Q(x: Fraction | int) -> z3.ArithRef:
    """An exact z3 rational."""
    x = Fraction(x)
    return z3.RealVal(f"{x.numerator}/{x.denominator}")


def zmin(a, b):
    return z3.If(a <= b, a, b)


def zmax(a, b):
    return z3.If(a >= b, a, b)


@dataclass
class Sink:
    """Constraints of an encoding, each tagged with the clause it encodes."""

    items: list[tuple[z3.BoolRef, str]] = field(default_factory=list)

    def add(self, constraint: z3.BoolRef, clause: str) -> None:
        self.items.append((constraint, clause))


@dataclass
class ZBlock:
    """A holding in one waterfall copy; `present` is false for an unexercised option pool."""

    holder: str
    klass: str
    shares: int
    present: z3.BoolRef


@dataclass
class Copy:
    """One copy of the waterfall for one strategy profile (given by z3 Booleans)."""

    model: Charter
    exit_value: z3.ArithRef
    converted: dict[str, z3.BoolRef]  # series id -> converts
    exercised: dict[str, z3.BoolRef]  # pool id -> exercises
    tag: str
    sink: Sink
    pay: dict[str, z3.ArithRef] = field(default_factory=dict)
    cache: dict = field(default_factory=dict)  # shared auxiliary variables of this copy

    def var(self, name: str) -> z3.ArithRef:
        return z3.Real(f"{self.tag}|{name}")

    def blocks(self) -> list[ZBlock]:
        m = self.model
        out = [ZBlock(s.id, s.id, m.outstanding(s.id), z3.BoolVal(True)) for s in m.series]
        out.append(ZBlock(COMMON, COMMON, m.captable.common_outstanding, z3.BoolVal(True)))
        out += [ZBlock(p.id, p.buys, p.count, self.exercised[p.id]) for p in m.captable.options]
        return out

    def conv(self, klass: str) -> z3.BoolRef:
        return self.converted.get(klass, z3.BoolVal(False))

    def credit(self, holder: str, amount) -> None:
        self.pay[holder] = self.pay[holder] + amount
