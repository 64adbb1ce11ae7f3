"""Brute force over every conversion profile, the baseline the breakpoint sweep is compared with.

At one exit value the payouts of all 2^units profiles are computed with
`charterverify.evaluate.waterfall`; a profile is a pure equilibrium when no unit
gains by switching alone (the same tie rules as `evaluate.equilibria`: an acting
unit must gain strictly, a keeping one must not gain). Unlike
`evaluate.equilibria` there is no cap on the number of units, and a deadline
stops the enumeration part way (`OutOfTime` tells how far it got), so the
benchmark can record where it gives up instead of hanging.

A brute-force "sweep" is this at a grid of exit values: it samples, it never
proves what happens between the grid points.
"""

from __future__ import annotations

import time
from fractions import Fraction
from itertools import product

from charterverify.evaluate import choice_of, waterfall
from charterverify.game import is_equilibrium, profile_key


class OutOfTime(Exception):
    def __init__(self, done: int, total: int, elapsed: float):
        super().__init__(f"{done} of {total} profiles in {elapsed:.1f} s")
        self.done, self.total, self.elapsed = done, total, elapsed


def all_payouts(model, E, deadline: float | None = None) -> dict[tuple[bool, ...], dict]:
    units = model.units()
    total = 2 ** len(units)
    t0 = time.perf_counter()
    table = {}
    for k, profile in enumerate(product((False, True), repeat=len(units))):
        if deadline is not None and (k & 63) == 0 and time.perf_counter() > deadline:
            raise OutOfTime(k, total, time.perf_counter() - t0)
        table[profile] = waterfall(model, E, choice_of(units, profile))
    return table


def equilibria(model, E, deadline: float | None = None):
    """Every pure equilibrium at E, fewest acting first: [(profile, payouts)]."""
    E = Fraction(E)
    units = model.units()
    table = all_payouts(model, E, deadline)
    found = []
    for profile, base in table.items():
        if is_equilibrium(model, units, profile, table.__getitem__):
            found.append((profile, base))
    found.sort(key=lambda pe: profile_key(pe[0]))
    return found


def grid(model, count: int) -> list[Fraction]:
    """`count` exit values spread evenly over (0, 2.5 x the total liquidation preference]."""
    total = sum((s.preference_per_share * model.outstanding(s.id) for s in model.series), Fraction(0))
    top = max(Fraction(1), total * Fraction(5, 2))
    return [Fraction(round(top * (i + 1) / count)) for i in range(count)]
