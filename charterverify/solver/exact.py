"""Exact values out of z3 models: never through a binary float."""

from __future__ import annotations

from fractions import Fraction

import z3


def to_fraction(v: z3.ExprRef) -> Fraction:
    if z3.is_rational_value(v):
        return Fraction(v.numerator_as_long(), v.denominator_as_long())
    if z3.is_int_value(v):
        return Fraction(v.as_long())
    if z3.is_algebraic_value(v):  # cannot arise from linear encodings; refuse rather than round
        raise ValueError(f"irrational value from the solver: {v}")
    raise ValueError(f"not a numeric value: {v}")


def value(m: z3.ModelRef, e: z3.ExprRef) -> Fraction:
    return to_fraction(m.eval(e, model_completion=True))
