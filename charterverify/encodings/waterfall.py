"""One z3 copy of a sale's waterfall for a symbolic exit value and symbolic conversion choices."""

from __future__ import annotations

import z3

from ..model import Charter
from .base import Copy, Q, Sink
from .cash import encode_cash_on_conversion
from .participation import encode_residual
from .preference import encode_tier
from .proceeds import encode_proceeds, net_of_exercise


def encode_waterfall(
    model: Charter,
    exit_value: z3.ArithRef,
    converted: dict[str, z3.BoolRef],
    exercised: dict[str, z3.BoolRef],
    tag: str,
    sink: Sink,
) -> dict[str, z3.ArithRef]:
    """Payout expressions of every holder; auxiliary constraints go into `sink`."""
    c = Copy(model, exit_value, converted, exercised, tag, sink, {h: Q(0) for h in model.holders})
    R = encode_proceeds(c)
    R0 = R
    if model.readings.cash_on_conversion == "before_preferences":
        R = encode_cash_on_conversion(c, R)
    full: dict = {}
    for tier in model.tiers:
        R = encode_tier(c, tier, R, full, R0)
    if model.readings.cash_on_conversion == "after_preferences":
        R = encode_cash_on_conversion(c, R)
    encode_residual(c, R, full, R0)
    net_of_exercise(c)
    return c.pay
