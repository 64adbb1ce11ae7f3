"""Conversion forced by a vote of the preferred: a move of the conversion game before a sale.

A charter's conversion right exercised by a vote (`[[automatic_conversion]]` with a `vote`:
"upon the vote of 66 2/3% of the Preferred Stock, all Preferred Stock shall convert") is a
move open to any coalition of holders that carries the vote. Each series is taken to vote
its outstanding shares as a block (the unit of the game).

The move is a first stage played before the conversion game of a sale: with every series'
payout in the sale as it stands (the reported equilibrium of the game without the vote),
the series that are strictly better off when the vote's series all convert form the
coalition that wants the vote; the vote is taken when that coalition carries it (every
class it needs approves). Votes are monotone (more shares never lose a vote), so a
carrying coalition whose members all gain exists exactly when the set of all gainers
carries. The forced outcome: every deciding unit whose series the vote converts acts; the
other units (option pools, series outside the vote) then play the game among themselves
(`forced_profile`).

Whether holders use the vote in a sale is a reading (`[readings] votes_in_sale`): by
default the game is played without it (votes act only in an offering, `ipo.py`); the
forced-conversion finding (`properties/forced.py`) is reported under either reading.
This module decides the move at one exit value from any source of profile payouts (the
direct waterfall, the z3 encoding, the exact tables), so every path shares one rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any, Callable, Iterable

from .model import Charter, ConversionUnit, format_exact
from .model.types import VoteGroup
from .model.memo import ModelMemo

Profile = tuple[bool, ...]


@dataclass(frozen=True)
class Vote:
    """A vote that converts series: every class in `groups` must approve."""

    id: str  # the automatic_conversion entries carrying it, joined with "+"
    groups: tuple[VoteGroup, ...]
    converts: tuple[str, ...]  # series the vote converts (model order)
    source: str

    @property
    def voters(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for g in self.groups:
            seen.update(dict.fromkeys(g.series))
        return tuple(seen)


_votes = ModelMemo()


def conversion_votes(model: Charter) -> tuple[Vote, ...]:
    """The model's conversion votes: automatic_conversion entries with the same vote are one vote
    that converts the union of their series (Juniper: one 66 2/3% vote on four entries).

    A vote taken only by the holders of the one deciding unit it converts (Quintus: 60% of Series
    E converts Series E) adds no move: that unit already converts at will in the game."""
    return _votes.get(model, lambda: _conversion_votes(model))


def _conversion_votes(model: Charter) -> tuple[Vote, ...]:
    found: dict[tuple, tuple[list[str], set[str], str]] = {}
    for a in model.automatic_conversions:
        if not a.vote_groups:
            continue
        key = a.vote_groups
        ids, conv, src = found.setdefault(key, ([], set(), a.source))
        ids.append(a.id)
        conv.update(a.series)
    order = [s.id for s in model.series]
    votes = [Vote("+".join(ids), key, tuple(s for s in order if s in conv and model.get_series(s).conversion), src)
             for key, (ids, conv, src) in found.items()]
    units = model.units()

    def own_unit(v: Vote) -> bool:
        return any(u.kind != "option" and set(v.voters) <= set(u.members) and set(v.converts) <= set(u.members)
                   for u in units)

    return tuple(v for v in votes if v.converts and not own_unit(v))


def group_passes(model: Charter, g: VoteGroup, coalition: Iterable[str]) -> bool:
    yes = set(coalition)
    classes = [(s,) for s in g.series] if g.separately else [g.series]
    for cls in classes:
        total = sum(model.outstanding(s) for s in cls)
        if total == 0:
            continue
        share = Fraction(sum(model.outstanding(s) for s in cls if s in yes), total)
        if not (share > g.threshold or (not g.strict and share == g.threshold)):
            return False
    return True


def carries(model: Charter, vote: Vote, coalition: Iterable[str]) -> bool:
    """Whether these series, voting together, carry every class the vote needs."""
    c = set(coalition)
    return all(group_passes(model, g, c) for g in vote.groups)


def minimal_coalitions(model: Charter, vote: Vote, among: Iterable[str]) -> list[tuple[str, ...]]:
    """Every smallest-by-inclusion set of these series that carries the vote (model order)."""
    from itertools import combinations

    pool = [s for s in vote.voters if s in set(among)]
    out: list[tuple[str, ...]] = []
    for n in range(1, len(pool) + 1):
        for c in combinations(pool, n):
            if any(set(m) <= set(c) for m in out):
                continue
            if carries(model, vote, c):
                out.append(c)
    return out


def blockers(model: Charter, vote: Vote) -> tuple[str, ...]:
    """The series that can block the vote alone: no coalition without them carries it."""
    return tuple(s for s in vote.voters if not carries(model, vote, [x for x in vote.voters if x != s]))


def describe(model: Charter, vote: Vote) -> str:
    """'66 2/3% of Series A, B, C, D and D1 voting together' (and each further class)."""
    parts = []
    for g in vote.groups:
        pct = _percent(g.threshold)
        more = "more than " if g.strict else ""
        if g.separately:
            parts.append(f"{more}{pct} of each of Series {_names(g.series)}, each voting separately")
        elif len(g.series) == 1:
            parts.append(f"{more}{pct} of Series {g.series[0]}")
        else:
            parts.append(f"{more}{pct} of Series {_names(g.series)} voting together")
    return " and ".join(parts)


def vote_share(model: Charter, vote: Vote, coalition: Iterable[str]) -> list[Fraction]:
    """The coalition's share of each class the vote needs (of each series, where they vote separately)."""
    c = set(coalition)
    out = []
    for g in vote.groups:
        classes = [(s,) for s in g.series] if g.separately else [g.series]
        for cls in classes:
            total = sum(model.outstanding(s) for s in cls)
            out.append(Fraction(sum(model.outstanding(s) for s in cls if s in c), total) if total else Fraction(0))
    return out


def fixed_units(units: tuple[ConversionUnit, ...], vote: Vote) -> tuple[int, ...]:
    """Indices of the units the vote converts (every member series converted by it)."""
    conv = set(vote.converts)
    return tuple(i for i, u in enumerate(units) if u.kind != "option" and u.members and set(u.members) <= conv)


@lru_cache(maxsize=64)
def subgame_profiles(units: tuple[ConversionUnit, ...], vote: Vote) -> list[Profile]:
    """Every profile in which the vote's units act (the others free), fewest acting first."""
    from itertools import product

    fixed = set(fixed_units(units, vote))
    free = [i for i in range(len(units)) if i not in fixed]
    out = []
    for bits in product((False, True), repeat=len(free)):
        pr = [True] * len(units)
        for i, b in zip(free, bits):
            pr[i] = b
        out.append(tuple(pr))
    from .game import profile_key

    return sorted(out, key=profile_key)


_subgames: list[tuple] = []  # (units, vote, fixed, free, profiles), found by the objects' identity


def _subgame(units, vote: Vote) -> tuple[set[int], list[int], list[Profile]]:
    """The vote's fixed units, the free ones and `subgame_profiles`, worked out once for the same
    units and vote objects (the tables ask at thousands of points; hashing the units and the vote
    for `subgame_profiles`' cache is generated Python code). The last few are kept."""
    for u, v, fixed, free, profiles in _subgames:
        if u is units and v is vote:
            return fixed, free, profiles
    fixed = set(fixed_units(units, vote))
    free = [i for i in range(len(units)) if i not in fixed]
    profiles = subgame_profiles(tuple(units), vote)
    _subgames[:] = [(units, vote, fixed, free, profiles)] + _subgames[:7]
    return fixed, free, profiles


def forced_profile(model: Charter, units: tuple[ConversionUnit, ...], vote: Vote, base: Profile,
                   pays: Callable[[Profile], dict[str, Any]]) -> Profile:
    """The outcome once the vote converts its series: the vote's units act, and the other units
    (option pools, series outside the vote) play the conversion game among themselves: the
    fewest-acting profile in which none of them gains by switching alone (the same tie rule as
    the game). With no such profile the others keep their base choices."""
    from .game import flip, leaves_choice, unit_payoff

    fixed, free, profiles = _subgame(units, vote)
    for pr in profiles:
        here = pays(pr)
        if not any(leaves_choice(pr[i], unit_payoff(model, units[i], here), unit_payoff(model, units[i], pays(flip(pr, i))))
                   for i in free):
            return pr
    return tuple(True if i in fixed else a for i, a in enumerate(base))


@dataclass(frozen=True)
class Forcing:
    """At one exit value: the vote is taken and converts its series."""

    vote: Vote
    coalition: tuple[str, ...]  # every series strictly better off (they carry the vote)
    losers: tuple[str, ...]  # holders strictly worse off
    base: Profile
    forced: Profile
    shares: tuple[Fraction, ...]  # the coalition's share of each class the vote needs

    def to_json(self, model: Charter) -> dict[str, Any]:
        return {
            "vote": self.vote.id,
            "needs": describe(model, self.vote),
            "source": self.vote.source,
            "coalition": list(self.coalition),
            "coalition_share": [format_exact(x) for x in self.shares],
            "converts": list(self.vote.converts),
            "losers": list(self.losers),
        }


def decide(model: Charter, units: tuple[ConversionUnit, ...], base: Profile,
           pays: Callable[[Profile], dict[str, Any]]) -> Forcing | None:
    """Whether a vote forces conversion from the base outcome (first vote in model order that does).

    `pays(profile)` gives a profile's payouts (exact). The coalition is every voting series strictly
    better off in the forced outcome; the vote is taken when that coalition carries it.
    """
    votes = conversion_votes(model)
    if not votes:
        return None
    cache: dict[Profile, dict[str, Any]] = {}

    def pay(pr):
        if pr not in cache:
            cache[pr] = pays(pr)
        return cache[pr]

    for v in votes:
        fp = forced_profile(model, units, v, base, pay)
        if fp == base:
            continue
        now, then = pay(base), pay(fp)
        gainers = tuple(s for s in v.voters if then[s] > now[s])
        if gainers and carries(model, v, gainers):
            losers = tuple(h for h in model.holders if then[h] < now[h])
            return Forcing(v, gainers, losers, base, fp, tuple(vote_share(model, v, gainers)))
    return None


def play(model: Charter, units: tuple[ConversionUnit, ...], eqs: list, pays: Callable[[Profile], dict[str, Any]]):
    """The game's outcome with the vote move when the model reads votes as used in a sale.

    `eqs`: the equilibria of the game without the vote [(profile, payouts)], fewest acting first.
    Returns (equilibria, Forcing or None): when the vote is taken, the forced profile is the one
    outcome. Under the default reading the equilibria are returned unchanged.
    """
    if not model.readings.votes_in_sale:
        return eqs, None
    base = eqs[0][0] if eqs else tuple(False for _ in units)
    f = decide(model, units, base, pays)
    if f is None:
        return eqs, None
    return [(f.forced, pays(f.forced))], f


def _percent(x: Fraction) -> str:
    p = x * 100
    if p.denominator == 1:
        return f"{p.numerator}%"
    whole, rest = divmod(p.numerator, p.denominator)
    if p.denominator == 3:
        return f"{whole} {rest}/3%"
    return f"{format_exact(p)}%"


def _names(ids) -> str:
    ids = list(ids)
    return ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " and " + ids[-1]
