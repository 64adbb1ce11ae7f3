"""The readings a model takes of ambiguous text, each with what the other reading would change.

Every reading is a named option of the model (`[readings]`, `--reading KEY=VALUE`,
`model.types.READING_CHOICES`). For a reading that moves a sale's payouts, the model is
evaluated again under the alternative with the exact profile tables (`tables.Tables`, the
direct evaluator's complete map): the difference of each holder's payout is piecewise affine
in the exit value, so it is computed exactly at every point where either map's equilibria or a
profile's payouts change and at a point inside every stretch between them; the exit value where
the largest change of any holder is largest is where the reading matters most. A reading that
acts only in an offering (the valuation test) is named with what it decides.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from fractions import Fraction

from .model import Charter

# what each reading's choices say, in one line (shown beside the alternative's effect)
MEANING = {
    ("cap_dropout", "own_cap"): "each capped series stops at its own cap and the others keep participating",
    ("cap_dropout", "first_cap_ends"): "all preferred participation ends when the first cap is reached",
    ("cash_on_conversion", "before_preferences"): "cash paid on conversion ranks ahead of every preference",
    ("cash_on_conversion", "after_preferences"): "cash paid on conversion comes after the preferences",
    ("votes_in_sale", False): "conversion votes act only in an offering",
    ("votes_in_sale", True): "a coalition that carries a conversion vote uses it before a sale",
    ("valuation", "pre_money"): "the valuation test is met by the pre-money valuation",
    ("valuation", "post_money"): "the valuation test is met by the post-money valuation",
}


@dataclass
class Effect:
    name: str
    current: object
    alternative: object
    at: Fraction | None = None  # the exit value where the alternative changes the most
    changes: dict[str, Fraction] = field(default_factory=dict)  # holder -> alternative minus current, at `at`
    most_lost: dict[str, tuple[Fraction, Fraction]] = field(default_factory=dict)  # under the current reading
    most_gained: dict[str, tuple[Fraction, Fraction]] = field(default_factory=dict)
    computed: bool = True  # False: acts outside a sale, or too many units for the tables
    side: str = ""  # "just above " / "just below ": `at` is a limit the payouts approach, not attain

    @property
    def meaning(self) -> str:
        return MEANING.get((self.name, self.current), "")

    @property
    def alternative_meaning(self) -> str:
        return MEANING.get((self.name, self.alternative), "")


def value_text(v) -> str:
    return ("true" if v else "false") if isinstance(v, bool) else str(v)


def applicable(model: Charter) -> list[str]:
    """The readings that can matter for this model."""
    from .votes import conversion_votes

    out = []
    if any(s.participation.kind == "capped" for s in model.series):
        out.append("cap_dropout")
    if any(s.conversion is not None and s.conversion.cash_per_share for s in model.series):
        out.append("cash_on_conversion")
    if conversion_votes(model):
        out.append("votes_in_sale")
    if any(a.min_valuation is not None for a in model.automatic_conversions):
        out.append("valuation")
    return out


def alternative_of(model: Charter, name: str):
    from .model.types import READING_CHOICES

    cur = getattr(model.readings, name)
    return next(c for c in READING_CHOICES[name] if c != cur)


def with_alternative(model: Charter, name: str) -> Charter:
    return dataclasses.replace(model, readings=dataclasses.replace(model.readings, **{name: alternative_of(model, name)}))


def effect(model: Charter, name: str, tables=None) -> Effect:
    """What taking the other reading changes: per holder, at the exit value where it matters most
    (the largest total change of all holders' payouts), and each holder's largest loss and gain under
    the current reading (alternative minus current; a supremum: it may be approached, not attained)."""
    for m, n, e in _cache:
        if m is model and n == name:
            return e
    eff = _effect(model, name, tables)
    _cache[:] = [(model, name, eff)] + _cache[:7]
    return eff


_cache: list = []  # (model, reading, Effect): the reading finding and the priority finding share one


def _effect(model: Charter, name: str, tables) -> Effect:
    from .tables import MAX_TABLE_UNITS, Tables, fits_tables

    eff = Effect(name, getattr(model.readings, name), alternative_of(model, name))
    if name == "valuation" or not fits_tables(model):
        eff.computed = False
        return eff
    alt = with_alternative(model, name)
    t1 = tables if tables is not None else Tables(model)
    t2 = Tables(alt)
    pts = set(t1.point_sets) | set(t2.point_sets)
    none = tuple(False for _ in t1.units)
    for tb in (t1, t2):  # the kinks of every reported outcome's payouts
        for eqs in set(tb.sets) | set(tb.point_sets.values()):
            pts.update(tb.table[eqs[0] if eqs else none].xs)
    from .rational import fast_rational, to_fraction

    xs = sorted(pts)
    holders = model.holders

    def pay(tb, q):  # the reported outcome's payouts at q (the map the breakpoints are read from)
        eqs = tb.equilibria_at(q)
        return tb.table[eqs[0] if eqs else none].payouts(q)

    def diff(q):
        p1, p2 = pay(t1, q), pay(t2, q)
        return {h: p2[h] - p1[h] for h in holders}

    # exact at every point; on every open stretch between points both maps are affine, so the two
    # thirds points give the exact limits at its ends (a value approached, not attained: "just above")
    cands: list[tuple[Fraction, str, dict]] = []
    for a, b in zip(xs, xs[1:] + [xs[-1] + 3]):
        cands.append((a, "", diff(a)))
        d1, d2 = diff(a + (b - a) / 3), diff(a + 2 * (b - a) / 3)
        lim_a = {h: 2 * d1[h] - d2[h] for h in d1}
        lim_b = {h: 2 * d2[h] - d1[h] for h in d1}
        if lim_a != cands[-1][2]:
            cands.append((a, "just above ", lim_a))
        cands.append((b, "just below ", lim_b))
    best = None
    zero = fast_rational(0)
    for x, side, d in cands:
        for h, v in d.items():
            if v < 0 and (h not in eff.most_gained or -v > eff.most_gained[h][0]):
                eff.most_gained[h] = (-v, x)  # the current reading pays h more
            if v > 0 and (h not in eff.most_lost or v > eff.most_lost[h][0]):
                eff.most_lost[h] = (v, x)  # the current reading pays h less
        total = sum((abs(v) for v in d.values()), zero)
        if total > 0 and (best is None or total > best[0] or (total == best[0] and best[2] and not side)):
            best = (total, x, side, d)
    eff.most_lost = {h: (to_fraction(v), to_fraction(x)) for h, (v, x) in eff.most_lost.items()}
    eff.most_gained = {h: (to_fraction(v), to_fraction(x)) for h, (v, x) in eff.most_gained.items()}
    if best is not None:
        eff.at, eff.side = to_fraction(best[1]), best[2]
        eff.changes = {h: to_fraction(v) for h, v in best[3].items() if v != 0}
    return eff


def effects(model: Charter, tables=None) -> list[Effect]:
    """Every applicable reading's effect (the summary's "readings" lines); `tables`: the model's own
    `Tables`, when already built (an analysis' `tables`)."""
    return [effect(model, n, tables) for n in applicable(model)]


def describe(model: Charter, eff: Effect) -> str:
    """'cash_on_conversion = before_preferences (cash paid on conversion ranks ahead of every
    preference); after_preferences instead: Series F +$12,375,000, ... at $31,114,020'."""
    from .properties.base import holder_label, money

    head = f"{eff.name} = {value_text(eff.current)}"
    if eff.meaning:
        head += f" ({eff.meaning})"
    alt = value_text(eff.alternative)
    if not eff.computed:
        why = ("not computed: too many deciding units for the exact tables")
        if eff.name == "valuation":
            tests = [f"{money(a.min_valuation)} ({a.source})" for a in model.automatic_conversions
                     if a.min_valuation is not None]
            sizes = [money(a.min_aggregate) for a in model.automatic_conversions
                     if a.min_valuation is not None and a.min_aggregate is not None]
            why = (f"the valuation test{'s' if len(tests) > 1 else ''} {', '.join(tests)} decide{'' if len(tests) > 1 else 's'} "
                   f"whether an offering converts the preferred, not a sale's payouts"
                   + (f"; post-money, an offering of {sizes[0]} meets it at a pre-money value that much lower"
                      if sizes else "") + " (--ipo PRICE --raise AMOUNT --reading valuation=...)")
        return f"{head}; {alt} instead: {eff.alternative_meaning}; {why}"
    if eff.at is None:
        return f"{head}; {alt} instead changes no payout at any exit value"
    parts = [f"{holder_label(model, h)} {'+' if v > 0 else '-'}{money(abs(v))}" for h, v in eff.changes.items()]
    return f"{head}; {alt} instead: {', '.join(parts)}, {eff.side or 'at '}{money(eff.at)}"
