"""The direct waterfall in exact arithmetic: fast, independent of the solver, a cross-check.

`waterfall` is written against a tiny numeric interface (+, -, * and / by exact
constants, comparisons), so the same code runs on `Fraction` and on the affine
numbers the breakpoint sweep uses. It depends on the model only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from typing import Any, Iterable

from .game import is_equilibrium, profile_key
from .model import CARVE_OUT, COMMON, Charter, ConversionUnit, format_exact
from .model.memo import ModelMemo
from .options import deciding_indices, deciding_profiles, resolve, threshold_pools
from .rational import FAST, fast_rational, to_fraction

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
    forced: dict[str, Any] | None = None  # a conversion vote taken before the sale (votes.Forcing.to_json)
    common_classes: dict[str, Fraction] = field(default_factory=dict)  # the common's payout by class

    def with_classes(self, model: Charter) -> "ExitResult":
        """The result with the common's payout split by class of common (when the model has classes)."""
        if not model.common_classes:
            return self
        import dataclasses

        return dataclasses.replace(self, common_classes=model.common_split(self.payouts[COMMON]))

    def to_json(self) -> dict[str, Any]:
        from .model import format_exact

        return {
            "exit_value": format_exact(self.exit_value),
            "payouts": {k: format_exact(v) for k, v in self.payouts.items()},
            "converted": list(self.converted),
            "exercised": list(self.exercised),
            "equilibria": self.equilibria,
            "unique_payouts": self.unique_payouts,
            **({"common_classes": {k: format_exact(v) for k, v in self.common_classes.items()}}
               if self.common_classes else {}),
            **({"forced_conversion": self.forced} if self.forced is not None else {}),
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


def _same(x):
    return x


@dataclass(frozen=True)
class Plan:
    """One profile's waterfall with everything that does not depend on the exit value worked out.

    Building it walks the model (blocks, tiers, weights, cap order); `run` then does only
    the arithmetic, so a caller evaluating many exit values for one profile builds it once.
    `num` converts every constant (identity: keep the model's Fractions; `fast_rational`:
    gmpy2's exact rationals, the same values computed about 15x faster).
    """

    holders: tuple[str, ...]
    extra_cash: Any  # exercise prices paid in, less transaction costs
    costs_label: str
    carve: tuple[Any, Any] | None  # (fixed amount, share of net proceeds)
    cash: tuple[tuple[str, Any], ...]  # (holder, amount) paid on conversion
    cash_total: Any
    cash_label: str
    cash_first: bool
    # label, (holder, full, basis), T, B, then the tier's aggregate cap (or None) with its label, and per
    # member the share of the proceeds it would get had every preferred share converted (None: no
    # "greater of" for it) with the label of that comparison
    tiers: tuple[tuple[str, tuple[tuple[str, Any, Any], ...], Any, Any, Any, str | None,
                       tuple[tuple[Any, str], ...] | None], ...]
    parts: tuple[tuple[str, Any, Any, bool], ...]  # holder, weight, cap room, is preferred
    own_cap: bool
    # own cap: (index of the part, money needed to reach its cap, money spent on caps before, open weight, label)
    cap_steps: tuple[tuple[int, Any, Any, Any, str | None], ...]
    weight: Any
    first_cap: tuple[Any, Any] | None  # first_cap_ends: (level at the first cap, weight of the non-preferred)
    first_cap_label: str
    option_costs: tuple[tuple[str, Any], ...]
    # catch-up to common: (total it takes, weight of the common-class parts, label), or None
    catch_up: tuple[Any, Any, str] | None = None
    # "the greater of" with capped participation: (index of the part, cap total, share of the proceeds
    # had every preferred share converted, full preference, label); the part's cap room is then
    # max(0, max(cap total, that amount) - full), worked out at the exit value
    alt_rooms: tuple[tuple[int, Any, Any, Any, str], ...] = ()
    part_labels: tuple[str | None, ...] = ()  # the cap label of each capped part (for alt_rooms)


@dataclass(frozen=True)
class _BlockConstants:
    weight: Any  # as-converted weight when converted (the shares themselves for the common)
    weight_held: Any  # participation weight when held
    room: Any  # cap room when held (capped participation), else None
    full: Any  # preference plus dividends
    basis: Any  # shortfall basis in its tier
    cash: Any  # cash paid on conversion


class _Static:
    """What every profile's plan shares: per-block amounts, weights, cap rooms and labels (exact Fractions)."""

    def __init__(self, model: Charter):
        self.model = model
        self.series = {s.id: s for s in model.series}
        # every holding there can be (every pool exercised), and each series' tier
        self.every = blocks(model, Choice(frozenset(), frozenset(p.id for p in model.captable.options)))
        self.tier_index = {sid: k for k, t in enumerate(model.tiers) for sid in t.series}
        self.order = [s.id for s in model.series]
        self.full: dict[str, Fraction] = {}  # preference plus dividends per share, by class
        self.basis: dict[tuple[str, str], Fraction] = {}
        for tier in model.tiers:
            for sid in tier.series:
                s = self.series[sid]
                self.full[sid] = s.preference_per_share + model.dividends(s.id)
        self.cap_labels: dict[tuple[str, str], str] = {}
        self.tier_labels: dict[tuple[int, frozenset], str] = {}
        self.cash_label = f"cash paid on conversion covered in full ({_cash_clause(model)})"
        self.by_num: dict[int, tuple[Any, dict]] = {}  # id(num) -> (num, block constants)
        self.fast_plans: dict[tuple[bool, ...], Plan] = {}  # by profile of model.units(), in fast rationals
        self.first_cap_label = (f"first cap reached: preferred participation ends ({_cap_clause(model)}, "
                                "reading first_cap_ends)")

    def block_constants(self, num) -> dict[Block, "_BlockConstants"]:
        """Per block (every series, the common, every pool), its amounts converted by `num`."""
        key = id(num)
        if key not in self.by_num:
            model = self.model
            out: dict[Block, _BlockConstants] = {}
            tier_of = {sid: model.tiers[k] for sid, k in self.tier_index.items()}
            for b in self.every:
                if b.klass == COMMON:
                    out[b] = _BlockConstants(num(_exact(b.shares)), None, None, None, None, None)
                    continue
                s = self.series[b.klass]
                tier = tier_of.get(b.klass)
                full = self.full[b.klass] * b.shares if tier is not None else ZERO
                basis = _basis(tier.shortfall, s, b, full) if tier is not None else ZERO
                held = s.ratio * b.shares if s.conversion else _exact(b.shares)
                room = None
                if s.participation.kind == "capped":
                    room = num(max(ZERO, s.participation.cap * b.shares - full))
                cash = s.conversion.cash_per_share * b.shares if s.conversion else ZERO
                out[b] = _BlockConstants(num(s.ratio * b.shares), num(held), room, num(full), num(basis), num(cash))
            self.by_num[key] = (num, out)
        return self.by_num[key][1]

    def cap_label(self, b: Block) -> str:
        key = (b.holder, b.klass)
        if key not in self.cap_labels:
            s = self.series[b.klass]
            who = f"Series {s.id}" if b.holder == s.id else f"{b.holder} (Series {s.id})"
            self.cap_labels[key] = (f"{who} reaches its cap of ${format_exact(s.participation.cap)} per share "
                                    f"({s.participation.source})")
        return self.cap_labels[key]

    def greater_label(self, b: Block) -> str:
        s = self.series[b.klass]
        who = f"Series {s.id}" if b.holder == s.id else f"{b.holder} (Series {s.id})"
        return f"{who} as-converted amount exceeds its preference ({s.preference.source}, the greater of)"

    def tier_label(self, k: int, tier, klasses: frozenset) -> str:
        key = (k, klasses)
        if key not in self.tier_labels:
            self.tier_labels[key] = f"{_names(sorted(klasses, key=self.order.index))} preference filled ({tier.source})"
        return self.tier_labels[key]


_statics = ModelMemo(keep=4)


def _static(model: Charter) -> _Static:
    return _statics.get(model, lambda: _Static(model))


def plan(model: Charter, choice: Choice, num=_same) -> Plan:
    st = _static(model)
    sc = model.scenario
    bl = blocks(model, choice)
    conv = choice.converted
    series = st.series
    zero = num(ZERO)
    consts = st.block_constants(num)

    exercise_cash = sum((p.count * p.exercise_price for p in model.captable.options if p.id in choice.exercised), ZERO)
    carve = (num(sc.carve_out), num(sc.carve_out_percent)) if sc.has_carve_out else None

    cash = tuple((b.holder, consts[b].cash) for b in bl if b.klass in conv and consts[b].cash)
    cash_total = sum((d for _, d in cash), zero)

    tiers = []
    for k, tier in enumerate(model.tiers):
        members = [b for b in bl if b.klass in tier.series and b.klass not in conv]
        T = sum((consts[b].full for b in members), zero)
        greater = [b for b in members if _greater_in_tier(series[b.klass])]
        if not members or (T == 0 and not greater):
            continue
        label = st.tier_label(k, tier, frozenset(b.klass for b in members))
        basis = [consts[b].basis for b in members]
        alt = None
        if greater:
            # "the greater of": the member's share of the proceeds had every preferred share converted
            # (every series' as-converted shares, the common, the exercised pools: the blocks of this profile)
            W_all = sum((consts[x].weight for x in bl), zero)
            alt = tuple((consts[b].weight / W_all, st.greater_label(b)) if b in greater else None for b in members)
        cap_label = f"aggregate cap of tier {tier.id} reached ({tier.source})" if tier.cap is not None else None
        tiers.append((label, tuple((b.holder, consts[b].full, w) for b, w in zip(members, basis)),
                      T, sum(basis, zero), num(tier.cap) if tier.cap is not None else None, cap_label, alt))

    parts: list[tuple[Block, Any, Any, bool]] = []
    for b in bl:
        c = consts[b]
        if b.klass == COMMON:
            parts.append((b, c.weight, None, False))
        elif b.klass in conv:
            parts.append((b, c.weight, None, False))
        elif series[b.klass].participates:
            parts.append((b, c.weight_held, c.room, True))
    catch_up = None
    if model.catch_up is not None:
        Wc = sum((p[1] for p in parts if not p[3]), zero)
        if Wc != 0:
            catch_up = (num(model.catch_up.per_share) * Wc, Wc,
                        f"catch-up to common paid in full ({model.catch_up.source})")
    alt_rooms = []
    for i, (b, w, room, pref) in enumerate(parts):
        s = series.get(b.klass)
        if pref and s is not None and s.preference is not None and s.preference.greater_of_as_converted:
            W_all = sum((consts[x].weight for x in bl), zero)
            alt_rooms.append((i, num(s.participation.cap * b.shares), consts[b].weight / W_all, consts[b].full,
                              st.greater_label(b)))
    own_cap = model.readings.cap_dropout == "own_cap"
    cap_steps = []
    first_cap = None
    if alt_rooms:
        weight = sum((p[1] for p in parts if (p[1] > 0 if own_cap else True)), zero)
    elif own_cap:
        # water-fill pro rata by weight; each capped holder stops at its own cap room, lowest
        # room per weight first (the money that brings every open holder up to that level)
        W = sum((p[1] for p in parts if p[1] > 0), zero)
        weight = W
        if W != 0:
            spent = zero
            for i in sorted((i for i, p in enumerate(parts) if p[2] is not None and p[1] > 0),
                            key=lambda i: parts[i][2] / parts[i][1]):
                b = parts[i][0]
                t = parts[i][2] / parts[i][1]
                label = st.cap_label(b) if b.klass in series else None
                cap_steps.append((i, spent + t * W, spent, W, label))
                spent += parts[i][2]
                W -= parts[i][1]
            cap_steps.append((-1, None, spent, W, None))
    else:
        weight = sum((p[1] for p in parts), zero)
        capped = [p[2] / p[1] for p in parts if p[2] is not None and p[1] > 0]
        if weight != 0 and capped:
            t = min(capped)
            first_cap = (t, sum((p[1] for p in parts if not p[3]), zero))
    return Plan(
        holders=model.holders,
        extra_cash=num(exercise_cash - sc.transaction_costs),
        costs_label="transaction costs covered (scenario)",
        carve=carve,
        cash=cash, cash_total=cash_total,
        cash_label=st.cash_label,
        cash_first=model.readings.cash_on_conversion == "before_preferences",
        tiers=tuple(tiers),
        parts=tuple((b.holder, w, room, pref) for b, w, room, pref in parts),
        own_cap=own_cap, cap_steps=tuple(cap_steps), weight=weight, first_cap=first_cap,
        first_cap_label=st.first_cap_label,
        option_costs=tuple((p.id, num(p.count * p.exercise_price)) for p in model.captable.options
                           if p.id in choice.exercised),
        catch_up=catch_up, alt_rooms=tuple(alt_rooms),
        part_labels=tuple(st.cap_label(b) if room is not None and b.klass in series else None
                          for b, _, room, _ in parts) if alt_rooms else (),
    )


def run(pl: Plan, exit_value) -> dict[str, Any]:
    """The payouts of a prepared profile at one exit value (a number or an affine number)."""
    E = exit_value
    z = _zero(E)
    pay: dict[str, Any] = dict.fromkeys(pl.holders, z)

    # proceeds: exit value plus exercise prices, less transaction costs (IV: scenario inputs)
    N = E + pl.extra_cash
    _why(pl.costs_label, N)
    if N < 0:
        N = z
    R = N
    if pl.carve is not None:
        c = pl.carve[0] + N * pl.carve[1]
        _why("management carve-out funded in full (scenario)", N)
        c = N if N < c else c
        pay[CARVE_OUT] = c
        R = R - c

    def cash_step(R):
        D = pl.cash_total
        if not D:
            return R
        _why(pl.cash_label, R)
        if R >= D:
            for h, d in pl.cash:
                pay[h] = pay[h] + d
            return R - D
        for h, d in pl.cash:
            pay[h] = pay[h] + R * (d / D)
        return z

    R0 = R  # the proceeds for the stockholders, as the "greater of" alternative shares them
    if pl.cash_first:
        R = cash_step(R)

    for label, members, T, B, cap, cap_label, alt in pl.tiers:
        fulls = [f for _, f, _ in members]
        if alt is not None:
            for j, a in enumerate(alt):
                if a is not None:
                    v = R0 * a[0]
                    _why(a[1], v)
                    if v > fulls[j]:
                        fulls[j] = v
            T = sum(fulls[1:], fulls[0])
        A = R
        if cap is not None:
            _why(cap_label, R)
            if R > cap:
                A = cap + z
        _why(label, A)
        if A >= T:
            for (h, _, _), f in zip(members, fulls):
                pay[h] = pay[h] + f
            R = R - T
        else:
            for h, _, w in members:
                pay[h] = pay[h] + A * (w / B)
            R = R - A

    if not pl.cash_first:
        R = cash_step(R)

    # residual: common, converted series and participating series as converted
    parts = pl.parts
    if pl.catch_up is not None:
        C, Wc, label = pl.catch_up
        _why(label, R)
        paid = C if R >= C else R
        for h, w, _, pref in parts:
            if not pref:
                pay[h] = pay[h] + paid * (w / Wc)
        R = R - paid
    if pl.alt_rooms and pl.weight != 0:
        # cap rooms that move with the exit value: the fill's steps are worked out here
        rooms = [p[2] for p in parts]
        for i, cap_total, k, full, label in pl.alt_rooms:
            v = R0 * k
            _why(label, v)
            top = v if v > cap_total else cap_total
            room = top - full
            rooms[i] = room if room > 0 else z
        parts = tuple((h, w, r, pref) for (h, w, _, pref), r in zip(parts, rooms))
        if pl.own_cap:
            steps = _cap_steps(parts, pl.weight, pl.part_labels, z)
            shares = _fill_own_cap(R, parts, steps, z)
        else:
            capped = [p[2] / p[1] for p in parts if p[2] is not None and p[1] > 0]
            first = None
            if capped:
                t = capped[0]
                for c in capped[1:]:
                    if c < t:
                        t = c
                first = (t, sum((p[1] for p in parts if not p[3]), pl.weight - pl.weight))  # a constant
            _why(pl.first_cap_label, R)
            shares = _fill_first_cap_ends(R, parts, pl.weight, first, z)
    elif pl.weight == 0:
        shares = [z for _ in parts]
    elif pl.own_cap:
        shares = _fill_own_cap(R, parts, pl.cap_steps, z)
    else:
        _why(pl.first_cap_label, R)
        shares = _fill_first_cap_ends(R, parts, pl.weight, pl.first_cap, z)
    for part, v in zip(parts, shares):  # (a starred target would build a list per part)
        h = part[0]
        pay[h] = pay[h] + v

    for h, c in pl.option_costs:
        pay[h] = pay[h] - c
    return pay


def waterfall(model: Charter, exit_value, choice: Choice) -> dict[str, Any]:
    """Payouts of every holder for one strategy profile (pools net of exercise price)."""
    return run(plan(model, choice), exit_value)


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


def _greater_in_tier(s) -> bool:
    """A non-participating "greater of" preference: the alternative is paid in the tier."""
    return s.preference is not None and s.preference.greater_of_as_converted and not s.participates


def _cap_steps(parts, W, labels, z):
    """The own-cap fill's steps for rooms that are only known at the exit value (see `plan`)."""
    steps = []
    spent = z
    order = [i for i, p in enumerate(parts) if p[2] is not None and p[1] > 0]
    order = sorted(order, key=lambda i: parts[i][2] / parts[i][1])
    for i in order:
        t = parts[i][2] / parts[i][1]
        if labels[i] is not None:
            _why(labels[i], t)
        steps.append((i, spent + t * W, spent, W, labels[i]))
        spent = spent + parts[i][2]
        W = W - parts[i][1]
    steps.append((-1, None, spent, W, None))
    return steps


def _fill_own_cap(R, parts, steps, z):
    """Water-fill R pro rata by weight; each capped holder stops at its own cap room."""
    k = 0
    for k, (i, need, spent, W, label) in enumerate(steps[:-1]):
        if label is not None:
            _why(label, R)
        if R <= need:
            break
    else:
        k = len(steps) - 1
    _, _, spent, W, _ = steps[k]
    level = (R - spent) / W if W else None
    done = {steps[j][0] for j in range(k)}
    out = []
    for i, (_, w, room, _) in enumerate(parts):
        if i in done:
            out.append(room + z)
        elif w == 0 or level is None:
            out.append(z)
        else:
            out.append(level * w)
    return out


def _fill_first_cap_ends(R, parts, W, first_cap, z):
    """Everyone shares pro rata until the first capped holder reaches its cap; common takes the rest."""
    if first_cap is None:
        return [R * (w / W) for _, w, _, _ in parts]
    t, Wc = first_cap
    if R <= t * W:
        return [R * (w / W) for _, w, _, _ in parts]
    rest = R - t * (W - Wc)
    return [(rest * (w / Wc)) if not pref else (w * t + z) for _, w, _, pref in parts]


# ------------------------------------------------------------------ the game


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


MAX_DIRECT_UNITS = 16


def equilibria(model: Charter, exit_value) -> list[tuple[tuple[bool, ...], dict[str, Fraction]]]:
    """Every pure equilibrium at one exit value (brute force over profiles), fewest acting first."""
    units = model.units()
    if len(deciding_indices(model)) > MAX_DIRECT_UNITS:
        raise ValueError(f"the direct evaluator enumerates profiles; {len(deciding_indices(model))} units is too many "
                         "(use the solver)")
    cache: dict[tuple[bool, ...], dict[str, Any]] = {}
    if isinstance(exit_value, (int, Fraction)):
        # plain exact numbers: the profiles' plans are kept per model and run in fast rationals
        plans = _static(model).fast_plans
        E = fast_rational(exit_value)

        def compute(profile):
            if profile not in plans:
                plans[profile] = plan(model, choice_of(units, profile), fast_rational)
            return run(plans[profile], E)
    else:
        def compute(profile):
            return waterfall(model, exit_value, choice_of(units, profile))

    def pays(profile):
        if profile not in cache:
            cache[profile] = compute(profile)
        return cache[profile]

    pools = threshold_pools(model)
    if pools is None:
        candidates = (pr for pr in product((False, True), repeat=len(units))
                      if is_equilibrium(model, units, pr, pays))
    else:
        # the pools of common resolved by threshold (options.py); the game is the other units'
        game = [units[i] for i in pools.deciding]

        def deciding_pays(pr):
            return lambda sub: pays(_merge(pr, pools.deciding, sub))

        candidates = []
        for pr in deciding_profiles(model):
            pr = resolve(pools, pr, pays)
            sub = tuple(pr[i] for i in pools.deciding)
            if is_equilibrium(model, game, sub, deciding_pays(pr)):
                candidates.append(pr)
    found = [(profile, {h: to_fraction(v) if isinstance(v, FAST) else v for h, v in pays(profile).items()})
             for profile in candidates]
    found.sort(key=lambda pe: profile_key(pe[0]))
    return found


def _merge(profile, indices, sub):
    """`profile` with the units at `indices` set as `sub` says."""
    out = list(profile)
    for i, b in zip(indices, sub):
        out[i] = b
    return tuple(out)


def evaluate_exit(model: Charter, exit_value) -> ExitResult:
    """Payouts at one exit value through the direct evaluator."""
    E = Fraction(exit_value)
    units = model.units()
    eqs = equilibria(model, E)
    eqs, forcing = _vote_move(model, units, eqs, lambda pr: waterfall(model, E, choice_of(units, pr)))
    if eqs:
        profile, pay = eqs[0]
    else:
        profile = tuple(False for _ in units)
        pay = waterfall(model, E, choice_of(units, profile))
    return make_result(model, E, units, profile, pay, eqs, forcing)


def _vote_move(model: Charter, units, eqs, pays):
    """The conversion vote before a sale, when the model reads votes as used there (`votes.play`)."""
    from .votes import play

    return play(model, units, eqs, pays)


def profile_ids(model, units, profile) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(series converted, pools exercised, units acting) in one profile, as ExitResult lists them."""
    ch = choice_of(units, profile)
    return (tuple(s.id for s in model.series if s.id in ch.converted),
            tuple(p.id for p in model.captable.options if p.id in ch.exercised),
            tuple(u.id for u, a in zip(units, profile) if a))


def make_result(model, E, units, profile, pay, eqs, forcing=None) -> ExitResult:
    conv, exer, _ = profile_ids(model, units, profile)
    unique = all(e[1] == eqs[0][1] for e in eqs) if eqs else True
    acting = tuple(profile_ids(model, units, pr)[2] for pr, _ in eqs)
    return ExitResult(E, {h: Fraction(pay[h]) for h in model.holders}, conv, exer, len(eqs), unique, acting,
                      forcing.to_json(model) if forcing is not None else None).with_classes(model)
