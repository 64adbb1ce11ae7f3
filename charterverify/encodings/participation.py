"""The residual: common, converted series and participating series as converted, up to their caps."""

from __future__ import annotations

from fractions import Fraction

import z3

from ..model import COMMON
from .base import Copy, Q, zmax, zmin


def _z(x):
    return x if isinstance(x, z3.ExprRef) else Q(x)


def _participants(c: Copy, full: dict, R0=None):
    m = c.model
    series = {s.id: s for s in m.series}
    out = []  # (block, active, weight, cap room or None, is_preferred, clause)
    for b in c.blocks():
        if b.klass == COMMON:
            out.append((b, b.present, Fraction(b.shares), None, False, m.common_source or "common"))
            continue
        s = series[b.klass]
        if s.conversion is not None:
            out.append((b, z3.And(c.conv(b.klass), b.present), s.ratio * b.shares, None, False, s.conversion.source))
        if s.participates:
            w = s.ratio * b.shares if s.conversion else Fraction(b.shares)
            room = None
            if s.participation.kind == "capped":
                room = max(Fraction(0), s.participation.cap * b.shares - full.get(b.holder, Fraction(0)))
                if s.preference is not None and s.preference.greater_of_as_converted:
                    # the greater of the cap and the as-converted amount (had every preferred share converted)
                    from .preference import as_converted_level

                    alt = as_converted_level(c, R0) * Q(s.ratio * b.shares)
                    room = zmax(Q(0), zmax(Q(s.participation.cap * b.shares), alt)
                                - Q(full.get(b.holder, Fraction(0))))
            out.append((b, z3.And(z3.Not(c.conv(b.klass)), b.present), w, room, True, s.participation.source))
    return out


def encode_catch_up(c: Copy, R: z3.ArithRef, parts) -> z3.ArithRef:
    """The common (as-converted preferred included) first receives the catch-up per common share."""
    cu = c.model.catch_up
    common = [(b, a, w) for b, a, w, _, pref, _ in parts if not pref]
    Wc = z3.Sum([z3.If(a, Q(w), Q(0)) for _, a, w in common])
    C = Q(cu.per_share) * Wc
    enough = R >= C
    mu = c.var("catch_up.level")
    c.sink.add(z3.Or(enough, z3.Sum([z3.If(a, mu * Q(w), Q(0)) for _, a, w in common]) == R), cu.source)
    level = z3.If(enough, Q(cu.per_share), mu)
    for b, a, w in common:
        c.credit(b.holder, z3.If(a, level * Q(w), Q(0)))
    return z3.If(enough, R - C, Q(0))


def encode_residual(c: Copy, R: z3.ArithRef, full: dict, R0=None) -> None:
    parts = _participants(c, full, R0)
    if c.model.catch_up is not None:
        R = encode_catch_up(c, R, parts)
    if c.model.readings.cap_dropout == "own_cap":
        L = c.var("residual.level")
        shares = []
        for b, a, w, room, _, _ in parts:
            v = Q(w) * L if room is None else zmin(Q(w) * L, _z(room))
            shares.append(z3.If(a, v, Q(0)))
            c.credit(b.holder, shares[-1])
        clause = next((p[5] for p in parts if p[3] is not None), parts[0][5])
        c.sink.add(z3.And(L >= 0, z3.Sum(shares) == R), clause)
        return
    # reading "first_cap_ends": pro rata until the first active cap is reached, then common-class only
    L1 = c.var("residual.level")
    L2 = c.var("residual.level2")
    tmin = c.var("residual.first_cap")
    capped = [(a, _z(room) * Q(1 / Fraction(w))) for b, a, w, room, _, _ in parts if room is not None and w > 0]
    any_cap = z3.Or([a for a, _ in capped]) if capped else z3.BoolVal(False)
    total = z3.Sum([z3.If(a, Q(w) * L1, Q(0)) for _, a, w, _, _, _ in parts])
    c.sink.add(z3.And(L1 >= 0, total == R), "readings.cap_dropout")
    if capped:
        c.sink.add(z3.Implies(any_cap, z3.And(z3.And([z3.Implies(a, tmin <= t) for a, t in capped]),
                                              z3.Or([z3.And(a, tmin == t) for a, t in capped]))),
                   "readings.cap_dropout")
    stopped = z3.And(any_cap, L1 > tmin)
    pref_w = z3.Sum([z3.If(a, Q(w), Q(0)) for _, a, w, _, pref, _ in parts if pref] + [Q(0)])
    common_total = z3.Sum([z3.If(a, Q(w) * L2, Q(0)) for _, a, w, _, pref, _ in parts if not pref])
    c.sink.add(z3.Or(z3.Not(stopped), common_total == R - tmin * pref_w), "readings.cap_dropout")
    for b, a, w, room, pref, _ in parts:
        v = z3.If(stopped, Q(w) * (tmin if pref else L2), Q(w) * L1)
        c.credit(b.holder, z3.If(a, v, Q(0)))
