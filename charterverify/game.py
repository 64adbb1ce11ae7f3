"""The one equilibrium rule of the conversion game, shared by the direct evaluator, the tables, the
vote move, the z3 sweep and the properties: a unit's payoff, a unilateral switch, when a unit
leaves its choice (acting needs a strict gain), and which equilibrium is reported (fewest acting
units, then model order). A leaf beside the model: it knows nothing of how payouts are computed.
"""

from __future__ import annotations

from typing import Any

from .model import Charter, ConversionUnit


def unit_payoff(model: Charter, unit: ConversionUnit, pay: dict[str, Any]):
    if unit.kind == "option":
        return pay[unit.id]
    if unit.controller is not None:
        return pay[unit.controller]
    return sum((pay[m] for m in unit.members), _zero_like(next(iter(pay.values()))))


def flip(profile: tuple[bool, ...], i: int) -> tuple[bool, ...]:
    """The profile in which unit i alone changes its choice."""
    return profile[:i] + (not profile[i],) + profile[i + 1:]


def leaves_choice(acting: bool, mine, other) -> bool:
    """Whether a unit would switch: acting needs a strict gain; ties keep the preferred
    (and leave an option unexercised)."""
    return (acting and not mine > other) or (not acting and other > mine)


def is_equilibrium(model: Charter, units, profile: tuple[bool, ...], pays) -> bool:
    """No unit leaves its choice; `pays(profile)` gives a profile's payouts."""
    base = pays(profile)
    return not any(
        leaves_choice(profile[i], unit_payoff(model, u, base), unit_payoff(model, u, pays(flip(profile, i))))
        for i, u in enumerate(units)
    )


def profile_key(profile: tuple[bool, ...]) -> tuple:
    """Fewest acting units first, then model order."""
    return (sum(profile), tuple(not a for a in profile))


def _zero_like(x):
    return x - x
