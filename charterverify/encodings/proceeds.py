"""Proceeds of a sale: exit value, option exercise prices, transaction costs, management carve-out."""

from __future__ import annotations

import z3

from ..model import CARVE_OUT
from .base import Copy, Q, zmax, zmin


def encode_proceeds(c: Copy) -> z3.ArithRef:
    """Returns what is left for the stockholders after costs and the carve-out."""
    m = c.model
    sc = m.scenario
    P = c.exit_value + z3.Sum([z3.If(c.exercised[p.id], Q(p.count * p.exercise_price), Q(0))
                               for p in m.captable.options] + [Q(0)])
    N = zmax(P - Q(sc.transaction_costs), Q(0)) if sc.transaction_costs else P
    if not sc.has_carve_out:
        return N
    carve = zmin(N, Q(sc.carve_out) + Q(sc.carve_out_percent) * N)
    c.pay[CARVE_OUT] = carve
    return N - carve


def net_of_exercise(c: Copy) -> None:
    """An exercised pool's payout is reported net of its exercise price."""
    for p in c.model.captable.options:
        c.pay[p.id] = c.pay[p.id] - z3.If(c.exercised[p.id], Q(p.count * p.exercise_price), Q(0))
