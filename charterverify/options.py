"""Option pools and warrants for common resolved by a threshold on the value per common share,
instead of as deciding units of the 2^n conversion game.

A pool of c options at strike k that buys common, exercised, pays c·k in and holds c common shares:
its payoff is c·(v − k), v the value per common share with it exercised; unexercised it gets 0.
In the game (acting needs a strict gain) an exercised pool stays exercised iff v(S) > k, and an
unexercised pool q stays out iff v(S ∪ {q}) ≤ k, S the exercised set (every other unit fixed).

**Why a threshold.** Let F_S(x) be the money the residual needs to pay the common x per share
(every open holder filled to the same level, each capped holder to at most its room, a catch-up
first). An exercised pool of common is one more common-weight holder, so F_{S+q}(x) = F_S(x) + c·x,
and the money it pays in reaches the residual in full whenever v(S) > 0 (every senior claim is
then paid: preferences, tier caps, cash on conversion, a fixed carve-out, costs). Since
v > x ⟺ R > F(x):
    v(S) > k  ⟹  R_S + c·k > F_S(k) + c·k = F_{S+q}(k)  ⟹  v(S + q) > k, and
    v(S + q) > k  ⟹  R_S + c·k ≥ R_{S+q} > F_S(k) + c·k  ⟹  v(S) > k.
So v(S ∪ {q}) > k ⟺ v(S) > k: S is an equilibrium of the pools (the others fixed) exactly when
S = {p : k_p < v(S)}, a prefix of the pools sorted by strike. Group equal strikes; a_j = "group j
exercises given groups 1..j−1", i.e. v(P_{j−1}) > k_j. a is prefix-closed (a_j ⟹ a_{j−1}: v(P_{j−1})
> k_j > k_{j−1}, and by the equivalence that is v(P_{j−2}) > k_{j−1}), the equilibrium is P_m for the
last m with a_m, and it is unique (from P_m, adding groups of strike ≥ v keeps v ≤ the last strike
added, so no larger prefix is a fixed point). `resolve` finds m by bisection on a.

**Where the argument does not hold** the pools stay deciding units (`threshold_pools` returns
None, or leaves those pools in the game): a pool that buys preferred (a warrant for a series: its
payoff is not a common share's); a carve-out that takes a percentage of the proceeds (it takes part
of the exercise money: the equivalence fails); a "greater of" preference (the as-converted
alternative moves with the pools' weight); no common outstanding (no value per share to compare);
a conversion vote before a sale (`votes.py` plays the pools among the units free after it). A pool
of no options never gains strictly and stays unexercised.

**The game on the other units.** A profile of the deciding units σ has the pools at P(σ); σ is an
equilibrium iff no deciding unit gains by switching alone with the pools held at P(σ) (exactly the
2^n game's condition, the pools' own conditions being the fixed point). Profiles stay full-length
tuples over `model.units()` (option bits included), so every consumer of a profile reads the
exercised pools as before; only the enumeration and the deviations are over the deciding units.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

from .model import COMMON, Charter, ConversionUnit
from .model.memo import ModelMemo

Profile = tuple[bool, ...]


@dataclass(frozen=True)
class Pools:
    """The pools a model resolves by threshold, as indices into `model.units()`."""

    groups: tuple[tuple[Fraction, tuple[int, ...]], ...]  # (strike, unit indices), strikes increasing
    never: tuple[int, ...]  # pools of no options: never exercised
    deciding: tuple[int, ...]  # units still played as the game (series, class votes, other pools)
    common: int  # common shares outstanding (the value per share is the common's payout over it)

    @property
    def resolved(self) -> tuple[int, ...]:
        return tuple(sorted(i for _, ix in self.groups for i in ix) + list(self.never))


_pools = ModelMemo()

# set by tests (and benchmarks) to play every pool as a unit of the 2^n game (the previous encoding)
GAME_POOLS = False


def threshold_pools(model: Charter) -> Pools | None:
    """The model's pools of common resolved by threshold, or None when every unit is played as a game."""
    if GAME_POOLS:
        return None
    return _pools.get(model, lambda: _threshold_pools(model))


def why_not(model: Charter) -> str | None:
    """Why a model's pools are played as units of the game (None: they are resolved, or there are none)."""
    if not model.captable.options:
        return None
    if model.captable.common_outstanding <= 0:
        return "no common outstanding"
    if model.scenario.carve_out_percent:
        return "the carve-out takes a percentage of the proceeds (exercise money included)"
    if any(s.preference is not None and s.preference.greater_of_as_converted for s in model.series):
        return "a \"greater of\" preference moves with the pools' as-converted weight"
    from .votes import conversion_votes

    if conversion_votes(model):
        return "a conversion vote is a move before the sale"
    if all(p.buys != COMMON for p in model.captable.options):
        return "every pool buys preferred"
    return None


def _threshold_pools(model: Charter) -> Pools | None:
    if not model.captable.options or why_not(model) is not None:
        return None
    units = model.units()
    pools = {p.id: p for p in model.captable.options}
    by_strike: dict[Fraction, list[int]] = {}
    never, deciding = [], []
    for i, u in enumerate(units):
        p = pools.get(u.id) if u.kind == "option" else None
        if p is None or p.buys != COMMON:
            deciding.append(i)
        elif p.count == 0:
            never.append(i)
        else:
            by_strike.setdefault(p.exercise_price, []).append(i)
    groups = tuple((k, tuple(ix)) for k, ix in sorted(by_strike.items()))
    return Pools(groups, tuple(never), tuple(deciding), model.captable.common_outstanding)


def deciding_units(model: Charter) -> tuple[ConversionUnit, ...]:
    """The units played as the game: every unit but the pools resolved by threshold."""
    units = model.units()
    pools = threshold_pools(model)
    return units if pools is None else tuple(units[i] for i in pools.deciding)


def deciding_indices(model: Charter) -> tuple[int, ...]:
    pools = threshold_pools(model)
    return tuple(range(len(model.units()))) if pools is None else pools.deciding


def with_prefix(pools: Pools, profile: Profile, m: int) -> Profile:
    """The profile with the first m strike groups exercised and every other resolved pool not."""
    out = list(profile)
    for j, (_, ix) in enumerate(pools.groups):
        for i in ix:
            out[i] = j < m
    for i in pools.never:
        out[i] = False
    return tuple(out)


def exceeds(common_payout, strike: Fraction, shares: int) -> bool:
    """Whether the value per common share exceeds the strike (exact or affine: an affine comparison
    is recorded by its tracker, without a cause of its own: the switch is described by the profile)."""
    t = getattr(common_payout, "tracker", None)
    if t is not None:
        t.why = None
    return common_payout > strike * shares


def resolve(pools: Pools, profile: Profile, pays: Callable[[Profile], dict]) -> Profile:
    """The unique equilibrium of the pools given the other units' choices in `profile`.

    `pays(profile)` gives a profile's payouts (Fractions, fast rationals or affine numbers); the
    bisection asks it for about log2(strike groups) + 1 profiles."""
    lo, hi = 0, len(pools.groups)  # a_lo holds (a_0 trivially); the answer lies in [lo, hi]
    while lo < hi:
        mid = (lo + hi + 1) // 2
        pay = pays(with_prefix(pools, profile, mid - 1))
        if exceeds(pay[COMMON], pools.groups[mid - 1][0], pools.common):
            lo = mid
        else:
            hi = mid - 1
    return with_prefix(pools, profile, lo)


def deciding_profiles(model: Charter):
    """Every profile of the deciding units, as a full-length profile with the resolved pools unset."""
    from itertools import product

    units = model.units()
    pools = threshold_pools(model)
    if pools is None:
        yield from product((False, True), repeat=len(units))
        return
    base = [False] * len(units)
    for bits in product((False, True), repeat=len(pools.deciding)):
        for i, b in zip(pools.deciding, bits):
            base[i] = b
        yield tuple(base)
