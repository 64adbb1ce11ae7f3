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
from .model.memo import ModelMemo

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
    ("undeclared_dividends", "none"):
        "a preference's \"undeclared but unpaid\" dividends are nothing while non-cumulative dividends go undeclared",
    ("undeclared_dividends", "accrued"):
        "a preference adds the non-cumulative dividends at their stated rates, accrued whether declared or not",
    ("offering_size", "at_least"): "an offering of exactly the stated size meets the size test",
    ("offering_size", "exceeding"): "an offering must raise more than the stated size",
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
    per_year: dict[str, Fraction] = field(default_factory=dict)  # undeclared_dividends: series -> dollars a year

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
    if undeclared_series(model):
        out.append("undeclared_dividends")
    if any(a.min_aggregate is not None and not a.strict for a in model.automatic_conversions) and (
            model.readings.offering_size != "at_least" or "readings.offering_size" in model.lines):
        out.append("offering_size")  # named where the model states it (or takes "exceeding"), not on every size test
    return out


def undeclared_series(model: Charter) -> list:
    """The series whose preference adds undeclared dividends to non-cumulative ones (the reading
    undeclared_dividends decides what those are)."""
    return [s for s in model.series
            if s.dividend is not None and not s.dividend.cumulative and s.dividend.in_preference]


def dividends_per_year(model: Charter) -> dict[str, Fraction]:
    """undeclared_dividends = "accrued": what the preferences grow by in a year, by series (outstanding
    shares x the stated annual dollars per share)."""
    return {s.id: model.outstanding(s.id) * s.dividend.annual(s.original_issue_price) for s in undeclared_series(model)}


def alternative_of(model: Charter, name: str):
    from .model.types import READING_CHOICES

    cur = getattr(model.readings, name)
    return next(c for c in READING_CHOICES[name] if c != cur)


def with_alternative(model: Charter, name: str) -> Charter:
    from .model import with_date

    alt = dataclasses.replace(model, readings=dataclasses.replace(model.readings, **{name: alternative_of(model, name)}))
    # the dividends accrued to the exit date follow the readings (undeclared_dividends)
    return with_date(alt, alt.scenario.date) if alt.scenario.date is not None else alt


def effect(model: Charter, name: str, tables=None) -> Effect:
    """What taking the other reading changes: per holder, at the exit value where it matters most
    (the largest total change of all holders' payouts), and each holder's largest loss and gain under
    the current reading (alternative minus current; a supremum: it may be approached, not attained)."""
    if _ahead:
        _collect(model)
    return _effects.get(model, lambda: _specific_effect(model, name, tables) or _effect(model, name, tables), name)


_effects = ModelMemo()  # the reading finding and the priority finding share one Effect per reading

# ------------------------------------------------------------------ the effects in a second process
# The alternatives' tables are most of a full verify of a charter with many profiles, and they do not
# need the analysis: `compute_ahead` forks a child that computes every applicable reading's effect
# while this process checks the text and runs the analysis; `effect` then takes the child's results.
# The child is forked once the model's own tables are built (`verify` builds them first and the
# analysis takes them: `ahead_tables`), so it shares them instead of building them again. The same
# code computes the same values either way, so the output is the serial run's byte for byte; whatever
# goes wrong in the child (no fork, an exception, a signal) leaves the memo empty and `effect`
# computes serially.
# A second process only helps with a core free for it: by default (AHEAD_ENV unset) the child is
# forked when the 1-minute load average leaves one (at most the usable cores less one).
AHEAD_MIN_PROFILES = 64  # below this many profiles the readings cost less than a second process
AHEAD_ENV = "CHARTERVERIFY_AHEAD"  # "0": never compute ahead; "1": whenever a fork can (load aside)
_ahead: list[list] = []  # [model, pid, read end of the pipe] per child still to collect


def _ahead_names(model: Charter) -> list[str]:
    """The readings whose effects a child would compute: those read off the tables, when the model
    takes the plain 2^n tables with enough profiles to be worth a process."""
    import os

    from .tables import table_mode

    mode = os.environ.get(AHEAD_ENV, "")
    if mode == "0" or not hasattr(os, "fork"):
        return []
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # no affinity on this platform
        cores = os.cpu_count() or 1
    if cores < 2 or (mode != "1" and os.getloadavg()[0] > cores - 1):
        return []
    import sys

    mp = sys.modules.get("multiprocessing")  # not imported: not a worker process
    if mp is not None and mp.parent_process() is not None:  # a `verify -j` worker: the jobs use the cores
        return []
    if table_mode(model) != "game" or 2 ** len(model.units()) < AHEAD_MIN_PROFILES:
        return []
    names = applicable(model)
    tabled = ("cap_dropout", "cash_on_conversion", "votes_in_sale")  # the effects read off the tables
    return names if any(n in tabled for n in names) else []


def ahead_tables(model: Charter):
    """The model's own tables, built here before the child is forked, when the effects will be computed
    ahead (`compute_ahead`); None otherwise (serially, the analysis builds them as usual). The child then
    shares them, and the analysis takes them (`solver.breakpoints.analyze(model, tables=...)`)."""
    if not _ahead_names(model) or any(a[0] is model for a in _ahead):
        return None
    from .tables import Tables, fits_twice

    return Tables(model) if fits_twice(model) else None


def compute_ahead(model: Charter, tables=None) -> bool:
    """Start computing the effects of the model's readings in a forked child process (see above);
    False when they will be computed here, when asked (`effect`). `tables`: the model's own tables,
    already built (`ahead_tables`): the child reads them instead of building them."""
    import os
    import pickle

    names = _ahead_names(model)
    if not names or any(a[0] is model for a in _ahead):
        return False
    r, w = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(r)
        os.close(w)
        return False
    if pid == 0:  # the child: compute, send, and leave without running the parent's exit handlers
        code = 1
        try:
            os.close(r)
            if tables is None:
                from .tables import Tables, fits_twice

                tables = Tables(model) if fits_twice(model) else None
            data = pickle.dumps([(n, effect(model, n, tables)) for n in names])
            with os.fdopen(w, "wb") as f:
                f.write(data)
            code = 0
        except BaseException:  # noqa: BLE001 - the parent computes serially
            pass
        finally:
            os._exit(code)
    os.close(w)
    global _abandon_registered
    if not _abandon_registered:
        import atexit

        atexit.register(_abandon)
        _abandon_registered = True
    _ahead.append([model, pid, r])
    return True


_abandon_registered = False


def _collect(model: Charter) -> None:
    """The child's effects for this model, into the memo (nothing when the child failed)."""
    import os
    import pickle

    entry = next((a for a in _ahead if a[0] is model), None)
    if entry is None:
        return
    _ahead.remove(entry)
    _, pid, r = entry
    chunks = []
    try:
        with os.fdopen(r, "rb") as f:
            while chunk := f.read(1 << 16):
                chunks.append(chunk)
        _, status = os.waitpid(pid, 0)
        if status != 0:
            return
        got = pickle.loads(b"".join(chunks))
    except Exception:  # noqa: BLE001 - an unreadable result: computed here instead
        return
    for name, eff in got:
        _effects.get(model, lambda: eff, name)


def _abandon() -> None:
    """At exit: children never collected are stopped and reaped."""
    import os
    import signal

    while _ahead:
        _, pid, r = _ahead.pop()
        try:
            os.close(r)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except OSError:
            pass


def _effect(model: Charter, name: str, tables) -> Effect:
    from .tables import Tables, fits_twice

    eff = Effect(name, getattr(model.readings, name), alternative_of(model, name))
    if name == "valuation" or not fits_twice(model):
        eff.computed = False
        return eff
    alt = with_alternative(model, name)
    t1 = tables if tables is not None else Tables(model)
    t2 = _alternative_tables(t1, alt, name)
    pts = set(t1.point_sets) | set(t2.point_sets)
    none = tuple(False for _ in t1.units)
    for tb in (t1, t2):  # the kinks of every reported outcome's payouts
        for eqs in set(tb.sets) | set(tb.point_sets.values()):
            pts.update(tb.table[eqs[0] if eqs else none].xs)
    from .rational import fast_rational, to_fraction

    xs = sorted(pts)
    holders = model.holders

    def outcome(tb, q):  # the reported outcome's table at q (the map the breakpoints are read from)
        eqs = tb.equilibria_at(q)
        return tb.table[eqs[0] if eqs else none]

    same = {h: fast_rational(0) for h in holders}

    def diff(q):
        o1, o2 = outcome(t1, q), outcome(t2, q)
        if o1 is o2:  # one table, shared by both readings: no holder's payout differs
            return same
        j1, j2 = o1.stretch(q), o2.stretch(q)
        k1, k2 = o1.xs[j1] == q, o2.xs[j2] == q
        if k1 == k2 and (o1.at[j1] is o2.at[j2] if k1 else o1.forms[j1] is o2.forms[j2]):
            return same  # a stretch the other reading's table shares (`_alternative_tables`)
        p1, p2 = o1.payouts(q), o2.payouts(q)
        return {h: p2[h] - p1[h] for h in holders}

    def limits(a, b):
        """The difference's limits at both ends of the open stretch (a, b). No point of either map
        lies inside it (every event point and every kink of a reported outcome is in `xs`), so each
        map reports one profile there, on one affine stretch of its table: the limits are that
        stretch's forms at a and at b."""
        q = a + (b - a) / 3
        o1, o2 = outcome(t1, q), outcome(t2, q)
        if o1 is o2:
            return same, same
        f1, f2 = o1.forms[o1.stretch(q)], o2.forms[o2.stretch(q)]
        if f1 is f2:  # a shared stretch
            return same, same
        lim_a, lim_b = {}, {}
        for h in holders:
            a1, b1 = f1[h]
            a2, b2 = f2[h]
            A, B = a2 - a1, b2 - b1
            lim_a[h] = A + B * a
            lim_b[h] = A + B * b
        return lim_a, lim_b

    # exact at every point; on every open stretch between points both maps are affine, so their
    # forms give the exact limits at its ends (a value approached, not attained: "just above")
    cands: list[tuple[Fraction, str, dict]] = []
    for a, b in zip(xs, xs[1:] + [xs[-1] + 3]):
        d = diff(a)
        if cands and cands[-1][2] == d:
            # the limit from below equals the value at a: the two candidates record the same amounts
            # at the same exit value, and the exact one is preferred on a tie, so it alone is kept
            cands.pop()
        cands.append((a, "", d))
        lim_a, lim_b = limits(a, b)
        if lim_a != cands[-1][2]:
            cands.append((a, "just above ", lim_a))
        cands.append((b, "just below ", lim_b))
    best = None
    zero = fast_rational(0)
    for x, side, d in cands:
        if d is same:  # no holder's payout differs here: nothing to record
            continue
        total = zero
        for h, v in d.items():
            if v < 0:
                if h not in eff.most_gained or -v > eff.most_gained[h][0]:
                    eff.most_gained[h] = (-v, x)  # the current reading pays h more
                total = total - v
            elif v > 0:
                if h not in eff.most_lost or v > eff.most_lost[h][0]:
                    eff.most_lost[h] = (v, x)  # the current reading pays h less
                total = total + v
        if total > 0 and (best is None or total > best[0] or (total == best[0] and best[2] and not side)):
            best = (total, x, side, d)
    eff.most_lost = {h: (to_fraction(v), to_fraction(x)) for h, (v, x) in eff.most_lost.items()}
    eff.most_gained = {h: (to_fraction(v), to_fraction(x)) for h, (v, x) in eff.most_gained.items()}
    if best is not None:
        eff.at, eff.side = to_fraction(best[1]), best[2]
        eff.changes = {h: to_fraction(v) for h, v in best[3].items() if v != 0}
    return eff


def _specific_effect(model: Charter, name: str, tables) -> Effect | None:
    """The readings whose effect is not (only) a sale's payouts under the alternative: the offering-size
    test acts in an offering; undeclared dividends are dollars a year, and payouts only as of an exit
    date (scenario.date or --date) from each series' start."""
    if name == "offering_size":
        return Effect(name, model.readings.offering_size, alternative_of(model, name), computed=False)
    if name != "undeclared_dividends":
        return None
    per_year = dividends_per_year(model)
    if model.scenario.date is None or not any(s.dividend.start is not None for s in undeclared_series(model)):
        return Effect(name, model.readings.undeclared_dividends, alternative_of(model, name), computed=False,
                      per_year=per_year)
    eff = _effect(model, name, tables)
    eff.per_year = per_year
    return eff


def _alternative_tables(t1, alt: Charter, name: str):
    """The exact tables under the other reading, sharing with `t1` (the model's own tables) what the
    reading cannot change: every payout table when only the vote move is read otherwise; otherwise
    every profile in which the reading's clause does not act, so that only the rest is built again."""
    from .evaluate import choice_of
    from .tables import Tables

    if name == "votes_in_sale":  # the waterfall is the same: only the outcome map changes
        return Tables(alt, same_payouts=t1)
    model = t1.model
    if name == "cap_dropout":
        # the fill of the participation: different only while a capped participating series holds
        # its preferred shares (a converted one shares as common, with no cap)
        acts = [s.id for s in model.series if s.participation.kind == "capped"]
        held = True
    elif name == "cash_on_conversion":
        # where cash on conversion ranks: different only when a series with such cash converts
        acts = [s.id for s in model.series if s.conversion is not None and s.conversion.cash_per_share]
        held = False
    else:
        return Tables(alt)
    known, reuse = {}, {}
    labels = _cap_labels(model) if name == "cap_dropout" else None
    for p, t in t1.table.items():
        conv = choice_of(t1.units, p).converted
        if not any((s not in conv) if held else (s in conv) for s in acts):
            known[p] = t
        elif labels is not None:
            reuse[p] = _cap_prefix(t, labels)
        else:
            reuse[p] = _cash_suffix(t)
    return Tables(alt, known=known, reuse=reuse, sweep_from=t1)


def _cash_suffix(base):
    """`tables.build_table`'s reuse for one profile under the other cash_on_conversion reading: the
    stretches of `base` (the profile's table under the current reading) that start above the exit
    value P where the cash on conversion and every preference tier are paid in full.

    The readings only order two steps before the residual: the cash, D, and the tiers, each paying
    its T in full or sharing what reaches it. With proceeds N = E + exercise cash - costs (no
    carve-out), both orders pay everything in full exactly when N >= D + ΣT, and leave the same
    N - D - ΣT to the residual, which neither reading touches. So from P = D + ΣT - exercise cash
    on, both run the same arithmetic; each comparison of those steps flips at or below P (N grows
    with slope 1), so above P none flips at a stretch's start or end: a stretch starting above P
    is the same in both tables, causes included. The walk builds the stretches up to the first
    start above P that is also a kink of `base`, and copies the rest. Not for tiers whose amount
    moves with the proceeds ("the greater of") or that carry an aggregate cap (their comparisons
    can flip above P at exit values that depend on the order), nor with a carve-out."""
    def reuse(pl):
        if pl.carve is not None or not pl.cash_total:
            return None
        total = pl.cash_total
        for _label, _members, T, _B, cap, _cap_label, alt in pl.tiers:
            if cap is not None or alt is not None:
                return None
            total = total + T
        return base, 0, None, total - pl.extra_cash
    return reuse


def _cap_labels(model: Charter) -> frozenset:
    """Every label a comparison of the participation's cap fill carries, under either reading: each
    capped holding's cap, and the first cap of first_cap_ends."""
    from .evaluate import _static

    st = _static(model)
    return frozenset({st.first_cap_label} | {st.cap_label(b) for b in st.every if b.klass in st.series
                                            and st.series[b.klass].participation.kind == "capped"})


def _cap_prefix(base, labels: frozenset):
    """`tables.build_table`'s reuse for one profile under the other cap_dropout reading: the stretches
    of `base` (the profile's table under the current reading) that the other reading's table shares.

    The two readings fill the participation alike while the money left for it, R, is at most the
    first cap level t·W (the lowest cap room per unit of weight, times the total weight): own_cap's
    first step (`R <= spent + t·W`, spent 0) and first_cap_ends' test (`R <= t·W`) are the same
    comparison, each holder then gets R·w/W, and no comparison follows the fill. So a stretch is the
    same in both tables, forms, exact values and end, when R <= t·W just right of its start; its
    causes are the same too unless the fill's cap comparison flips at its start or at its end: that
    puts one of `labels` in the stretch's causes there (`evaluate._why`; in this range the fill makes
    no other comparison and no other comparison carries those labels). At its end the other
    reading's table has the same crossing under its own label (`hi`); at its start the readings
    differ from there on. R is continuous in the exit value, so from a stretch where R stays below
    the cap level to the next one it is at most t·W at the shared kink, and the next stretch's
    comparison holds again unless it flips right there (a cause at its start). At exit value 0, R is
    at most the proceeds max(0, exercise cash less costs), every deduction before the fill being
    nonnegative: when that is at most t·W the first stretch starts with R <= t·W.
    So the shared stretches run up to the first whose causes name the cap fill, that one included
    (with its end's causes relabelled) when the cap is reached at its end and not at its start."""
    def reuse(pl):
        parts = pl.parts
        if pl.alt_rooms or pl.weight == 0 or any(w < 0 for _, w, _, _ in parts):
            return None  # rooms that move with the exit value, or weights outside the argument above
        if pl.carve is not None and (pl.carve[0] < 0 or pl.carve[1] < 0):
            return None
        capped = [room / w for _, w, room, _ in parts if room is not None and w > 0]
        if not capped:
            return base, len(base.xs), None, None  # no cap in the fill: the readings fill alike everywhere
        if pl.extra_cash > min(capped) * pl.weight:
            return None
        k = 0
        n = len(base.xs)
        while k < n and not (labels & base.causes_lo[k]) and not (labels & base.causes_hi[k]):
            k += 1
        if k == n or labels & base.causes_lo[k]:
            return base, k, None, None
        # the cap is reached at the end of stretch k: the same stretch, its end named by this reading
        own = pl.cap_steps[0][4] if pl.own_cap else pl.first_cap_label
        return base, k + 1, (base.causes_hi[k] - labels) | {own}, None
    return reuse


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
    if eff.name == "undeclared_dividends":
        return f"{head}; {alt} instead: {_describe_dividends(model, eff)}"
    if eff.name == "offering_size":
        return f"{head}; {alt} instead: {_describe_offering_size(model, eff)}"
    if not eff.computed:
        from .options import deciding_indices
        from .tables import MAX_TABLE_UNITS, fits_tables

        d, n = len(deciding_indices(model)), len(model.units())
        if fits_tables(model):
            why = (f"not computed: the alternative's exact tables, beside the model's own, would take too "
                   f"much memory ({d} deciding units and {n} units with the option pools)")
        else:
            why = (f"not computed: the exact tables take at most {MAX_TABLE_UNITS} deciding units "
                   f"({d} here)")
        if eff.name == "votes_in_sale":
            why += "; --exit VALUES --reading votes_in_sale=true plays the vote at the exit values asked for"
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


def _describe_dividends(model: Charter, eff: Effect) -> str:
    """The preferences' growth a year at the stated rates (exact), and the payouts as of the exit date."""
    from .properties.base import holder_label, money

    accrued = eff.alternative == "accrued"
    total = sum(eff.per_year.values(), Fraction(0))
    parts = ", ".join(f"{holder_label(model, sid)} {money(v)}" for sid, v in eff.per_year.items())
    out = (f"the preferences {'grow' if accrued else 'fall'} by {money(total)} a year in all at the stated rates "
           f"({parts})")
    if not any(s.dividend.start is not None for s in undeclared_series(model)):
        return out + "; not as of an exit date: the model states no date they would accrue from (series.dividends.start)"
    if model.scenario.date is None:
        return out + "; as of an exit date: --date YYYY-MM-DD (accrued from series.dividends.start)"
    when = model.scenario.date.isoformat()
    if not eff.computed:
        return out + f"; as of {when}: not computed, too many deciding units for the exact tables"
    if eff.at is None:
        return out + f"; as of {when} no payout changes"
    changes = ", ".join(f"{holder_label(model, h)} {'+' if v > 0 else '-'}{money(abs(v))}" for h, v in eff.changes.items())
    missing = [s.id for s in undeclared_series(model) if s.dividend.start is None]
    gap = f" (Series {', '.join(missing)}: no start date, nothing accrued)" if missing else ""
    return out + f"; as of {when}{gap}: {changes}, {eff.side or 'at '}{money(eff.at)}"


def _describe_offering_size(model: Charter, eff: Effect) -> str:
    """Which conversions an offering of exactly each stated size triggers under one reading, not the other."""
    from .properties.base import money

    sizes: dict = {}
    for a in model.automatic_conversions:
        if a.min_aggregate is not None and not a.strict:
            sizes.setdefault(a.min_aggregate, []).append(a)
    parts = []
    for size, entries in sizes.items():
        series = [sid for a in entries for sid in a.series]
        clauses = ", ".join(dict.fromkeys(a.source for a in entries))
        does = "converts" if eff.alternative == "at_least" else "no longer converts"
        parts.append(f"an offering of exactly {money(size)} {does} Series {', '.join(series)} "
                     f"(when the other tests are met; {clauses})")
    return "; ".join(parts) + "; a sale's payouts do not change (--ipo PRICE --raise AMOUNT)"
