"""The direct waterfall in exact arithmetic: fast, independent of the solver, a cross-check.

`waterfall` is written against a tiny numeric interface (+, -, * and / by exact
constants, comparisons), so the same code runs on `Fraction` and on the affine
numbers the breakpoint sweep uses. It depends on the model only.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from typing import Any, Iterable

from .model import CARVE_OUT, COMMON, Charter, ConversionUnit, format_exact

ZERO = Fraction(0)


@dataclass(frozen=True)
class Block:
    """A holding in the waterfall: a series' outstanding shares, the common, or an exercised pool."""

    holder: str
    klass: str  # "common" or a series id
    shares: int


@dataclass(frozen=True)
class Choice:
    """One strategy profile of the conversion game."""

    converted: frozenset[str]  # series ids that convert
    exercised: frozenset[str]  # option pools that exercise


@dataclass(frozen=True)
class ExitResult:
    exit_value: Fraction
    payouts: dict[str, Fraction]
    converted: tuple[str, ...]
    exercised: tuple[str, ...]
    equilibria: int
    unique_payouts: bool
    all_equilibria: tuple[tuple[str, ...], ...] = ()  # unit ids acting, per equilibrium

    def to_json(self) -> dict[str, Any]:
        from .model import format_exact

        return {
            "exit_value": format_exact(self.exit_value),
            "payouts": {k: format_exact(v) for k, v in self.payouts.items()},
            "converted": list(self.converted),
            "exercised": list(self.exercised),
            "equilibria": self.equilibria,
            "unique_payouts": self.unique_payouts,
        }


def blocks(model: Charter, choice: Choice) -> list[Block]:
    out = [Block(s.id, s.id, model.outstanding(s.id)) for s in model.series]
    out.append(Block(COMMON, COMMON, model.captable.common_outstanding))
    for p in model.captable.options:
        if p.id in choice.exercised:
            out.append(Block(p.id, p.buys, p.count))
    return out


def _exact(n):
    """A share count as an exact number (kept as it is when it already is a Fraction, e.g. a symbolic dual)."""
    return n if isinstance(n, Fraction) else Fraction(n)


def _zero(x):
    return x - x


def _why(why: str, *xs) -> None:
    """Label the next comparison for the breakpoint sweep (a no-op on plain numbers)."""
    for x in xs:
        t = getattr(x, "tracker", None)
        if t is not None:
            t.why = why
            return


def waterfall(model: Charter, exit_value, choice: Choice) -> dict[str, Any]:
    """Payouts of every holder for one strategy profile (pools net of exercise price)."""
    E = exit_value
    sc = model.scenario
    bl = blocks(model, choice)
    conv = choice.converted
    pay: dict[str, Any] = {h: _zero(E) for h in model.holders}
    series = {s.id: s for s in model.series}

    # proceeds: exit value plus exercise prices, less transaction costs (IV: scenario inputs)
    exercise_cash = sum((p.count * p.exercise_price for p in model.captable.options if p.id in choice.exercised), ZERO)
    P = E + exercise_cash
    N = P - sc.transaction_costs
    _why("transaction costs covered (scenario)", N)
    if N < 0:
        N = _zero(E)
    R = N
    if sc.has_carve_out:
        c = sc.carve_out + N * sc.carve_out_percent
        _why("management carve-out funded in full (scenario)", N)
        c = N if N < c else c
        pay[CARVE_OUT] = c
        R = R - c

    def cash_step(R):
        demand = [(b, series[b.klass].conversion.cash_per_share * b.shares)
                  for b in bl if b.klass in conv and series[b.klass].conversion.cash_per_share]
        D = sum((d for _, d in demand), ZERO)
        if not D:
            return R
        _why(f"cash paid on conversion covered in full ({_cash_clause(model)})", R)
        if R >= D:
            for b, d in demand:
                pay[b.holder] += d
            return R - D
        for b, d in demand:
            pay[b.holder] += R * (d / D)
        return _zero(R)

    if model.readings.cash_on_conversion == "before_preferences":
        R = cash_step(R)

    full: dict[Block, Fraction] = {}
    order = [s.id for s in model.series]
    for tier in model.tiers:
        members = [b for b in bl if b.klass in tier.series and b.klass not in conv]
        amounts = []
        for b in members:
            s = series[b.klass]
            f = (s.preference_per_share + model.dividends(s.id)) * b.shares
            full[b] = f
            amounts.append(f)
        T = sum(amounts, ZERO)
        if not members or T == 0:
            continue
        _why(f"{_names(sorted({b.klass for b in members}, key=order.index))} preference filled ({tier.source})", R)
        if R >= T:
            for b, f in zip(members, amounts):
                pay[b.holder] += f
            R = R - T
        else:
            basis = [_basis(tier.shortfall, series[b.klass], b, f) for b, f in zip(members, amounts)]
            B = sum(basis, ZERO)
            for b, w in zip(members, basis):
                pay[b.holder] += R * (w / B)
            R = _zero(R)

    if model.readings.cash_on_conversion == "after_preferences":
        R = cash_step(R)

    # residual: common, converted series and participating series as converted
    parts: list[tuple[Block, Fraction, Fraction | None, bool]] = []  # block, weight, cap room, is_preferred
    for b in bl:
        if b.klass == COMMON:
            parts.append((b, _exact(b.shares), None, False))
            continue
        s = series[b.klass]
        if b.klass in conv:
            parts.append((b, s.ratio * b.shares, None, False))
        elif s.participates:
            w = s.ratio * b.shares if s.conversion else _exact(b.shares)
            room = None
            if s.participation.kind == "capped":
                room = max(ZERO, s.participation.cap * b.shares - full.get(b, ZERO))
            parts.append((b, w, room, True))
    if model.readings.cap_dropout == "own_cap":
        shares = _fill_own_cap(R, parts, series)
    else:
        _why(f"first cap reached: preferred participation ends ({_cap_clause(model)}, reading first_cap_ends)", R)
        shares = _fill_first_cap_ends(R, parts)
    for (b, *_), v in zip(parts, shares):
        pay[b.holder] += v

    for p in model.captable.options:
        if p.id in choice.exercised:
            pay[p.id] = pay[p.id] - p.count * p.exercise_price
    return pay


def _basis(kind: str, s, b: Block, full: Fraction) -> Fraction:
    if kind == "preference":
        return full
    if kind == "original_issue_price":
        return s.original_issue_price * b.shares
    return _exact(b.shares)


def _names(ids: list[str]) -> str:
    if len(ids) == 1:
        return f"Series {ids[0]}"
    return "Series " + ", ".join(ids[:-1]) + " and " + ids[-1]


def _cash_clause(model: Charter) -> str:
    return next((s.conversion.cash_source or s.conversion.source for s in model.series
                 if s.conversion and s.conversion.cash_per_share), "conversion")


def _cap_clause(model: Charter) -> str:
    return next((s.participation.source for s in model.series if s.participation.kind == "capped"), "participation")


def _fill_own_cap(R, parts, series=None):
    """Water-fill R pro rata by weight; each capped holder stops at its own cap room."""
    order = sorted(
        (i for i, p in enumerate(parts) if p[2] is not None and p[1] > 0),
        key=lambda i: parts[i][2] / parts[i][1],
    )
    W = sum((p[1] for p in parts if p[1] > 0), ZERO)
    if W == 0:
        return [_zero(R) for _ in parts]
    capped_done: set[int] = set()
    spent = ZERO  # cap room of holders already capped out
    level = None
    for i in order:
        t = parts[i][2] / parts[i][1]
        # money needed to bring everyone still open up to level t
        need = spent + t * W
        b = parts[i][0]
        if series is not None and b.klass in series:
            s = series[b.klass]
            who = f"Series {s.id}" if b.holder == s.id else f"{b.holder} (Series {s.id})"
            _why(f"{who} reaches its cap of ${format_exact(s.participation.cap)} per share ({s.participation.source})", R)
        if R <= need:
            level = (R - spent) / W
            break
        capped_done.add(i)
        spent += parts[i][2]
        W -= parts[i][1]
    if level is None:
        level = (R - spent) / W if W else None
    out = []
    for i, (b, w, room, _) in enumerate(parts):
        if i in capped_done:
            out.append(room + _zero(R))
        elif w == 0 or level is None:
            out.append(_zero(R))
        else:
            out.append(level * w)
    return out


def _fill_first_cap_ends(R, parts):
    """Everyone shares pro rata until the first capped holder reaches its cap; common takes the rest."""
    W = sum((p[1] for p in parts), ZERO)
    capped = [p[2] / p[1] for p in parts if p[2] is not None and p[1] > 0]
    if W == 0:
        return [_zero(R) for _ in parts]
    if not capped:
        return [R * (w / W) for _, w, _, _ in parts]
    t = min(capped)
    if R <= t * W:
        return [R * (w / W) for _, w, _, _ in parts]
    Wc = sum((w for _, w, _, pref in parts if not pref), ZERO)
    rest = R - t * (W - Wc)
    return [(rest * (w / Wc)) if not pref else (w * t + _zero(R)) for _, w, _, pref in parts]


# ------------------------------------------------------------------ the game


def unit_payoff(model: Charter, unit: ConversionUnit, pay: dict[str, Any]):
    if unit.kind == "option":
        return pay[unit.id]
    if unit.controller is not None:
        return pay[unit.controller]
    return sum((pay[m] for m in unit.members), _zero(next(iter(pay.values()))))


def choice_of(units: Iterable[ConversionUnit], acting: Iterable[bool]) -> Choice:
    conv: set[str] = set()
    exer: set[str] = set()
    for u, a in zip(units, acting):
        if a:
            if u.kind == "option":
                exer.add(u.id)
            else:
                conv.update(u.members)
    return Choice(frozenset(conv), frozenset(exer))


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


MAX_DIRECT_UNITS = 16


def equilibria(model: Charter, exit_value) -> list[tuple[tuple[bool, ...], dict[str, Fraction]]]:
    """Every pure equilibrium at one exit value (brute force over profiles), fewest acting first."""
    units = model.units()
    if len(units) > MAX_DIRECT_UNITS:
        raise ValueError(f"the direct evaluator enumerates profiles; {len(units)} units is too many (use the solver)")
    cache: dict[tuple[bool, ...], dict[str, Fraction]] = {}

    def pays(profile):
        if profile not in cache:
            cache[profile] = waterfall(model, exit_value, choice_of(units, profile))
        return cache[profile]

    found = [(profile, pays(profile)) for profile in product((False, True), repeat=len(units))
             if is_equilibrium(model, units, profile, pays)]
    found.sort(key=lambda pe: profile_key(pe[0]))
    return found


def evaluate_exit(model: Charter, exit_value) -> ExitResult:
    """Payouts at one exit value through the direct evaluator."""
    E = Fraction(exit_value)
    units = model.units()
    eqs = equilibria(model, E)
    if eqs:
        profile, pay = eqs[0]
    else:
        profile = tuple(False for _ in units)
        pay = waterfall(model, E, choice_of(units, profile))
    return make_result(model, E, units, profile, pay, eqs)


def make_result(model, E, units, profile, pay, eqs) -> ExitResult:
    ch = choice_of(units, profile)
    conv = tuple(s.id for s in model.series if s.id in ch.converted)
    exer = tuple(p.id for p in model.captable.options if p.id in ch.exercised)
    unique = all(e[1] == eqs[0][1] for e in eqs) if eqs else True
    acting = tuple(tuple(u.id for u, a in zip(units, pr) if a) for pr, _ in eqs)
    return ExitResult(E, {h: Fraction(pay[h]) for h in model.holders}, conv, exer, len(eqs), unique, acting)
