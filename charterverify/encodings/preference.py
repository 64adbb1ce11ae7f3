"""Liquidation preferences, tier by tier; a shortfall inside a tier is shared as the clause says.

A tier may carry an aggregate cap (the tier pays at most that much in all, shared by its shortfall
basis when the cap binds), and a member whose preference is "the greater of" the preference or the
as-converted amount is owed max(preference, its share of the proceeds had every preferred share
converted)."""

from __future__ import annotations

from fractions import Fraction

import z3

from ..model import COMMON, Tier
from .base import Copy, Q, zmax, zmin


def as_converted_level(c: Copy, R0: z3.ArithRef) -> z3.ArithRef:
    """Proceeds per as-converted share had every preferred share converted (one variable per copy)."""
    if "greater.level" not in c.cache:
        m = c.model
        series = {s.id: s for s in m.series}
        lam = c.var("greater.level")
        terms = []
        for b in c.blocks():
            w = Fraction(b.shares) if b.klass == COMMON else series[b.klass].ratio * b.shares
            if w:
                terms.append(z3.If(b.present, lam * Q(w), Q(0)))
        c.sink.add(z3.Sum(terms) == R0, next(s.preference.source for s in m.series
                                              if s.preference and s.preference.greater_of_as_converted))
        c.cache["greater.level"] = lam
    return c.cache["greater.level"]


def encode_tier(c: Copy, tier: Tier, R: z3.ArithRef, full_out: dict, R0: z3.ArithRef | None = None) -> z3.ArithRef:
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
        owed = Q(full)
        if s.preference is not None and s.preference.greater_of_as_converted and not s.participates:
            owed = zmax(Q(full), as_converted_level(c, R0) * Q(s.ratio * b.shares))
        members.append((b, active, owed, basis))
        full_out[b.holder] = full
    if not members:
        return R
    T = z3.Sum([z3.If(a, f, Q(0)) for _, a, f, _ in members])
    A = zmin(R, Q(tier.cap)) if tier.cap is not None else R
    phi = c.var(f"tier.{tier.id}.level")
    enough = A >= T
    for b, a, f, w in members:
        c.credit(b.holder, z3.If(a, z3.If(enough, f, phi * Q(w)), Q(0)))
    c.sink.add(z3.Or(enough, z3.Sum([z3.If(a, phi * Q(w), Q(0)) for _, a, _, w in members]) == A), tier.source)
    return z3.If(enough, R - T, R - A)
