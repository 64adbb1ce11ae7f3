"""Crossovers, caps and flat zones, read off a breakpoint analysis.

Everything here is derived from the proved pieces of `analyze(model)`; nothing is
solved again.

* Crossover of a deciding unit (a series, a class-vote group, an option pool): the
  exit value above which it acts (converts / exercises) for good — the left end of
  the last maximal run of pieces in whose reported equilibrium the unit acts, when
  that run extends to infinity. Every change of the unit's choice between adjacent
  pieces is listed as a switch (a unit can convert, stop, and convert again — the
  Quintus A–D class vote does). At each switch the value per share just below and
  just above is the left / right limit of the piece forms; the value per share at
  the point itself comes from the exact point evaluation.

  Per share of: the series itself; for a class vote, the series that carries the
  vote (`unit.controller`) — or, when no single series does, the group's total
  payout per share of the group; for an option pool, the pool's payout (net of
  the exercise price) per option.

* Cap of a capped participating series: it binds at the first exit value from
  which the series is not converted, its payout equals cap × outstanding and its
  slope is 0. The flat zone is the maximal run of pieces on which that holds; it
  ends where the series converts (usually), or where its payout changes for
  another reason, or never. In the flat zone every marginal dollar goes to the
  holders with a positive slope; a holder's slope is its share of each marginal
  dollar.

The pieces used are the unmerged segments (`Analysis.segments`): merging joins
pieces whose payout functions agree, which can hide a change of the reported
equilibrium; segments never do.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..evaluate import choice_of
from ..model import ConversionUnit, format_exact
from .breakpoints import Analysis, Piece

ZERO = Fraction(0)


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Limits:
    """Value per share of one holder (or group) around an exit value."""

    below: Fraction | None  # left limit (None at exit value 0: nothing below)
    at: Fraction | None  # exact value at the point itself (None if not evaluated)
    above: Fraction  # right limit


@dataclass(frozen=True)
class Switch:
    x: Fraction
    acting: bool  # True: the unit acts just above x (and did not just below)
    per_share: Limits  # of `Crossover.per_share_of`
    members: dict[str, Limits]  # class vote: every member series, per share of that series


@dataclass(frozen=True)
class Crossover:
    unit: ConversionUnit
    per_share_of: str  # a series id, an option pool id, or "group" (class vote with no controller)
    x: Fraction | None  # acts on (x, ∞); None: does not act at large exit values
    switches: tuple[Switch, ...]

    @property
    def final(self) -> Switch | None:
        """The switch at the crossover itself (None when there is none or it is at 0)."""
        if self.x is None:
            return None
        for s in self.switches:
            if s.x == self.x and s.acting:
                return s
        return None

    @property
    def from_start(self) -> bool:
        """Acts at every positive exit value."""
        return self.x == 0

    @property
    def returns(self) -> bool:
        """The unit changes its mind more than once (converts, stops, converts again ...)."""
        return len(self.switches) > 1


@dataclass(frozen=True)
class MarginalSplit:
    lo: Fraction
    hi: Fraction | None
    shares: dict[str, Fraction]  # holder -> share of each marginal dollar (its slope), positive only


@dataclass(frozen=True)
class FlatZone:
    lo: Fraction
    hi: Fraction | None
    ends: str | None  # "converts" | "payout changes" | None (extends to infinity)
    marginal: tuple[MarginalSplit, ...]


@dataclass(frozen=True)
class Cap:
    series: str
    cap_per_share: Fraction
    cap_total: Fraction  # cap × outstanding (or the preference, if that is larger)
    binds_at: Fraction | None  # start of the first flat zone; None: the cap never binds
    converts_at: Fraction | None  # first exit value after the cap binds where the series converts
    crossover: Fraction | None  # the deciding unit's crossover (see `crossovers`)
    zones: tuple[FlatZone, ...]

    @property
    def flat_zone(self) -> FlatZone | None:
        return self.zones[0] if self.zones else None


# ---------------------------------------------------------------- helpers


def _acting(an: Analysis, i: int, seg: Piece) -> bool:
    return bool(seg.profile[i])


def _converted(an: Analysis, seg: Piece) -> frozenset[str]:
    return choice_of(an.units, seg.profile).converted


def _holder_shares(an: Analysis, unit: ConversionUnit) -> tuple[str, list[str], Fraction]:
    """(label, holders summed, shares) for the per-share value a unit is judged by."""
    m = an.model
    if unit.kind == "option":
        pool = next(p for p in m.captable.options if p.id == unit.id)
        return unit.id, [unit.id], Fraction(pool.count)
    if unit.kind == "class_vote" and unit.controller is None:
        return "group", list(unit.members), Fraction(sum(m.outstanding(s) for s in unit.members))
    sid = unit.controller or unit.members[0]
    return sid, [sid], Fraction(m.outstanding(sid))


def _limits(an: Analysis, left: Piece | None, right: Piece, x: Fraction, holders: list[str], n: Fraction) -> Limits:
    def total(seg: Piece) -> Fraction:
        return sum((seg.at(h, x) for h in holders), ZERO)

    pt = an.points.get(x)
    at = sum((pt.payouts[h] for h in holders), ZERO) / n if pt is not None and n else None
    below = total(left) / n if left is not None and n else None
    above = total(right) / n if n else ZERO
    return Limits(below, at, above)


# ---------------------------------------------------------------- crossovers


def unit_crossover(an: Analysis, i: int) -> Crossover:
    unit = an.units[i]
    segs = an.segments
    label, holders, n = _holder_shares(an, unit)
    switches: list[Switch] = []
    prev: Piece | None = None
    prev_acting = False  # at exit value 0 nobody has acted yet
    for seg in segs:
        acting = _acting(an, i, seg)
        if acting != prev_acting:
            x = seg.lo
            members = {}
            if unit.kind == "class_vote":
                m = an.model
                members = {s: _limits(an, prev, seg, x, [s], Fraction(m.outstanding(s))) for s in unit.members}
            switches.append(Switch(x, acting, _limits(an, prev, seg, x, holders, n), members))
        prev, prev_acting = seg, acting
    cross = None
    if segs and _acting(an, i, segs[-1]) and segs[-1].hi is None:
        j = len(segs) - 1
        while j > 0 and _acting(an, i, segs[j - 1]) and segs[j - 1].hi == segs[j].lo:
            j -= 1
        cross = segs[j].lo
    return Crossover(unit, label, cross, tuple(switches))


def crossovers(an: Analysis) -> list[Crossover]:
    """One entry per deciding unit, in model order (series and class votes, then option pools)."""
    return [unit_crossover(an, i) for i in range(len(an.units))]


# ---------------------------------------------------------------- caps


def _unit_of_series(an: Analysis, sid: str) -> int | None:
    for i, u in enumerate(an.units):
        if sid in u.members:
            return i
    return None


def _split(an: Analysis, seg: Piece) -> dict[str, Fraction]:
    return {h: seg.forms[h][1] for h in an.model.holders if h in seg.forms and seg.forms[h][1] > 0}


def caps(an: Analysis) -> list[Cap]:
    """One entry per capped participating series, in model order."""
    m = an.model
    out: list[Cap] = []
    segs = an.segments
    for s in m.series:
        if s.participation.kind != "capped" or s.participation.cap is None:
            continue
        n = m.outstanding(s.id)
        # the waterfall pays the preference (with unpaid dividends) and then cap room up to
        # cap x shares; a preference above the cap leaves no room
        total = max(s.participation.cap * n, (s.preference_per_share + m.dividends(s.id)) * n)

        def flat(seg: Piece) -> bool:
            a, b = seg.forms[s.id]
            return s.id not in _converted(an, seg) and b == 0 and a == total

        zones: list[FlatZone] = []
        k = 0
        while k < len(segs):
            if not flat(segs[k]):
                k += 1
                continue
            j = k
            while j + 1 < len(segs) and flat(segs[j + 1]) and segs[j + 1].lo == segs[j].hi:
                j += 1
            nxt = segs[j + 1] if j + 1 < len(segs) else None
            if segs[j].hi is None or nxt is None:
                ends = None
            elif s.id in _converted(an, nxt):
                ends = "converts"
            else:
                ends = "payout changes"
            splits: list[MarginalSplit] = []
            for seg in segs[k:j + 1]:
                sh = _split(an, seg)
                if splits and splits[-1].shares == sh and splits[-1].hi == seg.lo:
                    splits[-1] = MarginalSplit(splits[-1].lo, seg.hi, sh)
                else:
                    splits.append(MarginalSplit(seg.lo, seg.hi, sh))
            zones.append(FlatZone(segs[k].lo, segs[j].hi, ends, tuple(splits)))
            k = j + 1
        binds = zones[0].lo if zones else None
        conv = None
        if binds is not None:
            for seg in segs:
                if seg.lo >= binds and s.id in _converted(an, seg):
                    conv = seg.lo
                    break
        ui = _unit_of_series(an, s.id)
        cross = unit_crossover(an, ui).x if ui is not None else None
        out.append(Cap(s.id, s.participation.cap, total, binds, conv, cross, tuple(zones)))
    return out


# ---------------------------------------------------------------- JSON (exact numbers as strings)


def _fx(x: Fraction | None) -> str | None:
    return None if x is None else format_exact(x)


def action_word(unit: ConversionUnit, acting: bool) -> str:
    if unit.kind == "option":
        return "exercised" if acting else "no longer exercised"
    if unit.kind == "class_vote":
        return "convert" if acting else "stop converting"
    return "converts" if acting else "stops converting"


def _limits_json(li: Limits) -> dict[str, str | None]:
    return {"below": _fx(li.below), "at": _fx(li.at), "above": _fx(li.above)}


def crossovers_json(an: Analysis) -> list[dict[str, Any]]:
    out = []
    for c in crossovers(an):
        u = c.unit
        fin = c.final
        out.append({
            "unit": u.id,
            "kind": u.kind,
            "series": list(u.members),
            "controller": u.controller,
            "source": u.source,
            "per_share_of": c.per_share_of,
            "crossover": _fx(c.x),
            "per_share_below": _fx(fin.per_share.below) if fin else None,
            "per_share_above": _fx(fin.per_share.above) if fin else None,
            "switches": [
                {
                    "exit_value": _fx(sw.x),
                    "action": action_word(u, sw.acting),
                    "per_share": _limits_json(sw.per_share),
                    **({"members": {sid: _limits_json(li) for sid, li in sw.members.items()}} if sw.members else {}),
                }
                for sw in c.switches
            ],
        })
    return out


def caps_json(an: Analysis) -> list[dict[str, Any]]:
    return [
        {
            "series": c.series,
            "cap_per_share": _fx(c.cap_per_share),
            "cap_total": _fx(c.cap_total),
            "binds_at": _fx(c.binds_at),
            "converts_at": _fx(c.converts_at),
            "crossover": _fx(c.crossover),
            "flat_zones": [
                {
                    "from": _fx(z.lo),
                    "to": _fx(z.hi),
                    "ends": z.ends,
                    "marginal_dollar": [
                        {"from": _fx(ms.lo), "to": _fx(ms.hi), "shares": {h: _fx(v) for h, v in ms.shares.items()}}
                        for ms in z.marginal
                    ],
                }
                for z in c.zones
            ],
        }
        for c in caps(an)
    ]
