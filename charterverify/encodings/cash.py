"""Cash paid on conversion (Quintus Cash Amounts): paid ratably when funds fall short."""

from __future__ import annotations

import z3

from .base import Copy, Q


def encode_cash_on_conversion(c: Copy, R: z3.ArithRef) -> z3.ArithRef:
    m = c.model
    series = {s.id: s for s in m.series}
    demand = []
    for b in c.blocks():
        s = series.get(b.klass)
        if s is None or s.conversion is None or not s.conversion.cash_per_share:
            continue
        active = z3.And(c.conv(b.klass), b.present)
        demand.append((b, active, s.conversion.cash_per_share * b.shares, s.conversion.cash_source or s.conversion.source))
    if not demand:
        return R
    D = z3.Sum([z3.If(a, Q(d), Q(0)) for _, a, d, _ in demand])
    phi = c.var("cash.fraction")
    enough = R >= D
    for b, a, d, clause in demand:
        c.credit(b.holder, z3.If(a, z3.If(enough, Q(d), phi * Q(d)), Q(0)))
    clause = demand[0][3]
    c.sink.add(z3.Or(enough, z3.Sum([z3.If(a, phi * Q(d), Q(0)) for _, a, d, _ in demand]) == R), clause)
    return z3.If(enough, R - D, Q(0))
