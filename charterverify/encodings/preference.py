"""Liquidation preferences, tier by tier; a shortfall inside a tier is shared as the clause says."""

from __future__ import annotations

import z3

from ..model import Tier
from .base import Copy, Q


def encode_tier(c: Copy, tier: Tier, R: z3.ArithRef, full_out: dict) -> z3.ArithRef:
    m = c.model
    series = {s.id: s for s in m.series}
    members = []
    for b in c.blocks():
        if b.klass not in tier.series:
            continue
        s = series[b.klass]
        full = (s.preference_per_share + m.dividends(s.id)) * b.shares
        if tier.shortfall == "preference":
            basis = full
        elif tier.shortfall == "original_issue_price":
            basis = s.original_issue_price * b.shares
        else:
            basis = b.shares
        active = z3.And(z3.Not(c.conv(b.klass)), b.present)
        members.append((b, active, full, basis))
        full_out[b.holder] = full
    if not members:
        return R
    T = z3.Sum([z3.If(a, Q(f), Q(0)) for _, a, f, _ in members])
    phi = c.var(f"tier.{tier.id}.level")
    enough = R >= T
    for b, a, f, w in members:
        c.credit(b.holder, z3.If(a, z3.If(enough, Q(f), phi * Q(w)), Q(0)))
    c.sink.add(z3.Or(enough, z3.Sum([z3.If(a, phi * Q(w), Q(0)) for _, a, _, w in members]) == R), tier.source)
    return z3.If(enough, R - T, Q(0))
