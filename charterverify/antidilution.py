"""Anti-dilution: conversion price adjustments for dilutive issuances, splits and combinations.

Each `[[anti_dilution]]` clause of a model (see docs/charter-format.md) adjusts the conversion
prices of its series by a broad-based weighted average, series by series, when Additional Stock
is issued for less than that series' conversion price:

    CP2 = CP1 x (A + B) / (A + C)

A: the shares the clause counts as outstanding immediately before the issuance (`counts`: the
   common, the preferred as converted, the option pools as exercised; the models hold no other
   convertible securities, so "convertible_securities" adds nothing yet);
B: the shares the consideration (shares x price) would buy at CP1;
C: the shares of Additional Stock: the issuance less what a carve-out (`excluded`) covers.

Then, as the clause says: the pending reduction is CP1 - CP2 plus any reduction carried forward;
the new price CP1 - pending is rounded (`rounding`); a reduction (to the rounded price) smaller
than `minimum_adjustment` is not made and, with `carry_forward`, carried into the next one.
Every seed says the price is "reduced" or that no adjustment raises it, so an adjustment never
raises a conversion price: where nearest-cent rounding would round the price up (possible only
for a price that is not a whole number of cents), the price is kept and the result says so.

Everything is exact (`Fraction`). Not modelled: deemed issuances of options and convertible
securities and their later recomputation (pass the shares and the total consideration per share
instead), the three-year catch-up of carried adjustments (see `settle_carried`), waivers.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from fractions import Fraction
from math import ceil, floor
from typing import Any

from .findings import Finding, Severity, Verdict
from .model import ANTI_DILUTION_COUNTS, COMMON, AntiDilution, Charter, Exclusion, format_exact

CENT = Fraction(1, 100)

__all__ = [
    "IssuanceResult", "SeriesAdjustment", "SplitResult", "apply_issuance", "apply_split", "settle_carried",
    "counted_outstanding", "fully_diluted", "round_price", "parse_issue", "parse_factor", "issuance_text",
    "split_text", "increase_window", "check", "check_no_increase", "check_inconsistent_base",
    "NO_INCREASE", "INCONSISTENT_BASE", "PROPERTIES",
]


# ---------------------------------------------------------------- arithmetic


def round_price(x: Fraction, rounding: str) -> Fraction:
    """A conversion price as the charter rounds it: to the nearest cent, tenth or hundredth of a cent
    (half a unit up), or "none"."""
    from .model.types import ROUNDING_UNITS

    if rounding in ROUNDING_UNITS:
        u = ROUNDING_UNITS[rounding]
        return floor(x / u + Fraction(1, 2)) * u
    if rounding == "none":
        return Fraction(x)
    raise ValueError(f"unknown rounding {rounding!r}")


def counted_outstanding(model: Charter, counts: tuple[str, ...] | list[str]) -> Fraction:
    """The shares an anti-dilution clause counts as outstanding (A), from the model's cap table.

    "common": the common outstanding; "preferred": every convertible series as converted at its
    current ratio; "options": every option pool as exercised (a pool buying a series counts as that
    series converted); "convertible_securities": no other convertible securities are in a model.
    """
    total = Fraction(0)
    if "common" in counts:
        total += model.captable.common_outstanding
    if "preferred" in counts:
        for s in model.series:
            if s.conversion is not None:
                total += model.outstanding(s.id) * s.ratio
    if "options" in counts:
        for p in model.captable.options:
            total += p.count * (Fraction(1) if p.buys == COMMON else model.get_series(p.buys).ratio)
    return total


def fully_diluted(model: Charter) -> Fraction:
    """Common, preferred as converted and every option pool as exercised."""
    return counted_outstanding(model, ANTI_DILUTION_COUNTS)


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class SeriesAdjustment:
    """What one issuance does to one series' conversion price.

    old_price: the conversion price in effect before; exact_price: the formula's exact price
    (CP1 x (A + B) / (A + C)), None when the formula does not apply; new_price: the price in
    effect after, as the charter rounds it (minimum adjustment, carry-forward and the no-increase
    rule applied). carried_forward: the reduction still carried after the issuance.
    rounding_raised: the rounded price would have been above old_price (kept at old_price).
    """

    series: str
    old_price: Fraction
    new_price: Fraction
    old_ratio: Fraction
    new_ratio: Fraction
    adjusted: bool
    reason: str
    exact_price: Fraction | None = None
    counted: Fraction | None = None  # A
    purchasable: Fraction | None = None  # B
    additional: int = 0  # C
    carried_before: Fraction = Fraction(0)
    carried_forward: Fraction = Fraction(0)
    rounding_raised: bool = False
    clause: str | None = None

    def to_json(self) -> dict[str, Any]:
        fx = _fx
        return {
            "series": self.series, "adjusted": self.adjusted, "reason": self.reason,
            "old_price": fx(self.old_price), "exact_price": fx(self.exact_price), "new_price": fx(self.new_price),
            "old_ratio": fx(self.old_ratio), "new_ratio": fx(self.new_ratio),
            "counted_outstanding": fx(self.counted), "purchasable": fx(self.purchasable),
            "additional_shares": self.additional, "carried_before": fx(self.carried_before),
            "carried_forward": fx(self.carried_forward), "rounding_raised": self.rounding_raised,
            "clause": self.clause,
        }


@dataclass(frozen=True)
class IssuanceResult:
    """An issuance of `shares` at `price` per share: per series adjustments and the model after it.

    model: a new Charter with the adjusted conversion prices, the issued shares added to the common
    outstanding, the carve-out usage and carried-forward reductions updated.
    excluded: per clause id, the shares a carve-out covered (not Additional Stock).
    """

    shares: int
    price: Fraction
    excluded: dict[str, int]
    adjustments: tuple[SeriesAdjustment, ...]
    model: Charter
    notes: tuple[str, ...] = ()

    def adjustment(self, sid: str) -> SeriesAdjustment:
        for a in self.adjustments:
            if a.series == sid:
                return a
        raise KeyError(sid)

    @property
    def new_prices(self) -> dict[str, Fraction]:
        return {a.series: a.new_price for a in self.adjustments}

    def to_json(self) -> dict[str, Any]:
        return {
            "shares": self.shares, "price": _fx(self.price),
            "consideration": _fx(self.shares * self.price),
            "excluded": dict(self.excluded),
            "adjustments": [a.to_json() for a in self.adjustments],
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class SplitResult:
    """A split (factor > 1) or combination (factor < 1) of the common: old and new prices and the model."""

    factor: Fraction
    old_prices: dict[str, Fraction]
    new_prices: dict[str, Fraction]
    model: Charter
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "factor": _fx(self.factor),
            "conversion_prices": {sid: {"old": _fx(self.old_prices[sid]), "new": _fx(p)}
                                  for sid, p in self.new_prices.items()},
            "notes": list(self.notes),
        }


def _fx(x: Fraction | int | None) -> str | None:
    return None if x is None else format_exact(Fraction(x))


# ---------------------------------------------------------------- an issuance


def _carve_out(model: Charter, clause: AntiDilution, shares: int,
               excluded: bool | str) -> tuple[int, Exclusion | None, str | None]:
    """(shares the carve-out covers, the updated carve-out, a note) for one clause."""
    if excluded is False or excluded is None:
        return 0, None, None
    if excluded is True:
        return shares, None, None
    try:
        ex = clause.exclusion(excluded)
    except KeyError:
        return 0, None, f"{clause.id}: no carve-out {excluded!r}; the issuance is Additional Stock"
    if ex.cap_shares is None and ex.cap_fraction is None:
        return shares, None, None
    if ex.cap_shares is not None:
        cap = ex.cap_shares
    else:
        cap = floor(ex.cap_fraction * fully_diluted(model))
    room = max(cap - ex.used, 0)
    covered = min(shares, room)
    note = None
    if covered < shares:
        note = (f"{clause.id}: carve-out {ex.id} ({ex.source}) covers {covered:,} of {shares:,} shares "
                f"(cap {cap:,}, {ex.used:,} already used); {shares - covered:,} are Additional Stock")
    return covered, dataclasses.replace(ex, used=ex.used + covered), note


def apply_issuance(model: Charter, shares: int, price: Fraction | int | str,
                   excluded: bool | str = False) -> IssuanceResult:
    """Issue `shares` of common at `price` per share and adjust every conversion price as the charter says.

    excluded: False (Additional Stock), True (carved out entirely: no adjustment), or the id of a
    carve-out of the model (`[[anti_dilution.excluded]]`): the shares within its remaining cap are
    carved out, the rest are Additional Stock.
    """
    if isinstance(shares, bool) or not isinstance(shares, int) or shares <= 0:
        raise ValueError(f"an issuance needs a positive whole number of shares, got {shares!r}")
    price = Fraction(price)
    if price < 0:
        raise ValueError(f"the price per share cannot be negative, got {format_exact(price)}")
    if isinstance(excluded, str) and not any(excluded in {e.id for e in c.exclusions} for c in model.anti_dilution):
        known = sorted({e.id for c in model.anti_dilution for e in c.exclusions})
        raise ValueError(f"no carve-out {excluded!r} in the model (known: {', '.join(known) or 'none'})")

    adjustments: list[SeriesAdjustment] = []
    new_price: dict[str, Fraction] = {}
    new_clauses: list[AntiDilution] = []
    excluded_by: dict[str, int] = {}
    notes: list[str] = []
    for clause in model.anti_dilution:
        covered, new_ex, note = _carve_out(model, clause, shares, excluded)
        if note:
            notes.append(note)
        excluded_by[clause.id] = covered
        additional = shares - covered
        A = counted_outstanding(model, clause.counts)
        carried = dict(clause.carried)
        for sid in clause.series:
            s = model.get_series(sid)
            cp = s.conversion.price
            before = clause.carried_for(sid)
            common = dict(series=sid, old_price=cp, old_ratio=s.ratio, additional=additional,
                          carried_before=before, clause=clause.source)
            if additional == 0:
                adjustments.append(SeriesAdjustment(new_price=cp, new_ratio=s.ratio, adjusted=False,
                                                    reason="carved out: not Additional Stock",
                                                    carried_forward=before, **common))
                continue
            if price >= cp:
                adjustments.append(SeriesAdjustment(new_price=cp, new_ratio=s.ratio, adjusted=False,
                                                    reason="issued at or above the conversion price",
                                                    counted=A, carried_forward=before, **common))
                continue
            B = additional * price / cp
            exact = cp * (A + B) / (A + additional)
            pending = cp - exact + (before if clause.carry_forward else 0)
            rounded = round_price(cp - pending, clause.rounding)
            step = cp - rounded
            raised = False
            if clause.minimum_adjustment and step < clause.minimum_adjustment:
                new, after = cp, (pending if clause.carry_forward else Fraction(0))
                reason = (f"reduction {_price(step)} below the minimum {_price(clause.minimum_adjustment)}"
                          + ("; carried forward" if clause.carry_forward else ""))
            elif rounded > cp:
                new, after, raised = cp, Fraction(0), True
                reason = f"rounding would raise the price to {_price(rounded)}: kept (a reduction cannot raise it)"
            else:
                new, after = rounded, Fraction(0)
                reason = "adjusted" if new < cp else "rounds to the same price"
            if new <= 0:
                raise ValueError(f"Series {sid}: the adjusted conversion price would be {format_exact(new)}")
            carried[sid] = after
            new_price[sid] = new
            adjustments.append(SeriesAdjustment(
                new_price=new, new_ratio=s.original_issue_price / new, adjusted=new != cp, reason=reason,
                exact_price=exact, counted=A, purchasable=B, carried_forward=after, rounding_raised=raised,
                **common))
        exclusions = tuple(new_ex if new_ex is not None and e.id == new_ex.id else e for e in clause.exclusions)
        new_clauses.append(dataclasses.replace(
            clause, exclusions=exclusions,
            carried=tuple((sid, v) for sid, v in carried.items() if v)))
    for s in model.series:
        if s.conversion is not None and model.anti_dilution_of(s.id) is None:
            adjustments.append(SeriesAdjustment(s.id, s.conversion.price, s.conversion.price, s.ratio, s.ratio,
                                                False, "no anti-dilution terms in the model"))
    order = {s.id: i for i, s in enumerate(model.series)}
    adjustments.sort(key=lambda a: order[a.series])
    new_model = _with_prices(model, new_price)
    new_model = dataclasses.replace(
        new_model, anti_dilution=tuple(new_clauses),
        captable=dataclasses.replace(new_model.captable,
                                     common_outstanding=model.captable.common_outstanding + shares))
    return IssuanceResult(shares, price, excluded_by, tuple(adjustments), new_model, tuple(notes))


def _with_prices(model: Charter, prices: dict[str, Fraction]) -> Charter:
    series = tuple(
        dataclasses.replace(s, conversion=dataclasses.replace(s.conversion, price=prices[s.id]))
        if s.id in prices and s.conversion is not None and prices[s.id] != s.conversion.price else s
        for s in model.series
    )
    return dataclasses.replace(model, series=series)


def settle_carried(model: Charter) -> IssuanceResult:
    """Make every adjustment still carried forward (Kinzan and Quintus: at the end of three years)."""
    prices: dict[str, Fraction] = {}
    adjustments = []
    clauses = []
    for clause in model.anti_dilution:
        for sid, amount in clause.carried:
            s = model.get_series(sid)
            cp = s.conversion.price
            new = round_price(cp - amount, clause.rounding)
            if new > cp:
                new = cp
            prices[sid] = new
            adjustments.append(SeriesAdjustment(sid, cp, new, s.ratio, s.original_issue_price / new, new != cp,
                                                "carried adjustment made", carried_before=amount,
                                                clause=clause.source))
        clauses.append(dataclasses.replace(clause, carried=()))
    new_model = dataclasses.replace(_with_prices(model, prices), anti_dilution=tuple(clauses))
    return IssuanceResult(0, Fraction(0), {}, tuple(adjustments), new_model)


# ---------------------------------------------------------------- splits and combinations


def apply_split(model: Charter, factor: Fraction | int | str) -> SplitResult:
    """Split (factor 2: two-for-one) or combine (factor 1/2: one-for-two) the outstanding common.

    Every conversion price is divided by the factor, exactly (no seed rounds a split adjustment);
    the common outstanding and the option pools are multiplied by it (their exercise prices
    divided); per-share thresholds stated "as adjusted for splits" (an automatic conversion's
    minimum price per share, an IPO price floor) are divided by it, and so are reductions carried
    forward. Preferences, original issue prices and carve-out caps in shares do not change.
    ValueError when a share count would not be whole.
    """
    factor = Fraction(factor)
    if factor <= 0:
        raise ValueError(f"a split factor must be positive, got {format_exact(factor)}")

    def whole(what: str, n: int) -> int:
        v = n * factor
        if v.denominator != 1:
            raise ValueError(f"{what}: {n:,} shares x {format_exact(factor)} is not a whole number of shares")
        return int(v)

    ct = model.captable
    pools = tuple(dataclasses.replace(p, count=whole(f"option pool {p.id}", p.count),
                                      exercise_price=p.exercise_price / factor) if p.buys == COMMON else p
                  for p in ct.options)
    captable = dataclasses.replace(ct, common_outstanding=whole("common outstanding", ct.common_outstanding),
                                   options=pools)
    old = {s.id: s.conversion.price for s in model.series if s.conversion is not None}
    new = {sid: p / factor for sid, p in old.items()}
    autos = tuple(dataclasses.replace(a, min_price_per_share=a.min_price_per_share / factor)
                  if a.min_price_per_share is not None else a for a in model.automatic_conversions)
    ratchets = tuple(dataclasses.replace(r, floor_price=r.floor_price / factor)
                     if r.floor_price is not None else r for r in model.ipo_ratchets)
    clauses = tuple(dataclasses.replace(c, carried=tuple((sid, v / factor) for sid, v in c.carried))
                    for c in model.anti_dilution)
    m = dataclasses.replace(_with_prices(model, new), captable=captable, automatic_conversions=autos,
                            ipo_ratchets=ratchets, anti_dilution=clauses)
    notes = []
    for sid in new:
        if model.anti_dilution_of(sid) is None:
            notes.append(f"Series {sid}: no anti-dilution terms in the model; its price is adjusted all the same")
    return SplitResult(factor, old, new, m, tuple(notes))


# ---------------------------------------------------------------- command-line helpers


def parse_issue(text: str) -> tuple[int, Fraction]:
    """"2000000@1.50", "2,000,000 @ $1.50", "500000@0" -> (shares, price); ValueError with a one-line reason."""
    from .model import parse_exact

    m = re.fullmatch(r"\s*([0-9][0-9,_]*)\s*@\s*(.+?)\s*", text or "")
    if not m:
        raise ValueError(f"{text!r}: write SHARES@PRICE, e.g. 2000000@1.50")
    from .model.fields import _drop_separators  # thousands in groups of three: "1,75@1" is not 175 shares

    try:
        shares = int(_drop_separators(m.group(1)))
    except ValueError as e:
        raise ValueError(f"{text!r}: {e}") from None
    if shares <= 0 or shares > 10**18:
        raise ValueError(f"{text!r}: the number of shares must be between 1 and 10^18")
    try:
        price = parse_exact(m.group(2))
    except (ValueError, ArithmeticError):
        raise ValueError(f"{text!r}: {m.group(2)!r} is not a price (write e.g. 1.50)") from None
    if price < 0 or price > 10**18:
        raise ValueError(f"{text!r}: the price must be between 0 and 10^18")
    return shares, price


def parse_factor(text: str) -> Fraction:
    """"2", "3:1" or "2-for-1" (split), "1/10" or "1:10" or "1-for-10" (combination) -> Fraction."""
    from .model import parse_exact

    t = (text or "").strip().lower()
    m = re.fullmatch(r"([0-9.]+)\s*(?::|-?\s*for\s*-?)\s*([0-9.]+)", t)
    try:
        f = parse_exact(m.group(1)) / parse_exact(m.group(2)) if m else parse_exact(t)
    except (ValueError, ArithmeticError, ZeroDivisionError):
        raise ValueError(f"{text!r}: write a split factor such as 2, 3:1 or 1/10") from None
    if f <= 0:
        raise ValueError(f"{text!r}: a split factor must be positive")
    return f


def _price(x: Fraction) -> str:
    """A per-share amount: exact when it terminates ($4.5143, $0.15), else about six decimals."""
    x = Fraction(x)
    if x < 0:
        return "-" + _price(-x)
    exact = format_exact(x)
    if "/" in exact:
        return f"about ${float(x):,.6f}"
    whole, _, dec = exact.partition(".")
    return f"${int(whole):,}." + dec.ljust(2, "0")


def issuance_text(result: IssuanceResult) -> str:
    """Plain-text report of an issuance, one line per series."""
    lines = [f"Issuance of {result.shares:,} shares at {_price(result.price)} "
             f"(consideration {_price(result.shares * result.price)})"]
    for cid, n in result.excluded.items():
        if n:
            lines.append(f"  {cid}: {n:,} shares carved out, {result.shares - n:,} Additional Stock")
    for a in result.adjustments:
        exact = f" (exact {_price(a.exact_price)})" if a.exact_price is not None and a.exact_price != a.new_price else ""
        ratio = f", ratio {format_exact(a.old_ratio)} -> {format_exact(a.new_ratio)}" if a.adjusted else ""
        carried = f", carried {_price(a.carried_forward)}" if a.carried_forward else ""
        lines.append(f"  Series {a.series}: {_price(a.old_price)} -> {_price(a.new_price)}{exact}{ratio}"
                     f"{carried}: {a.reason}" + (f" [{a.clause}]" if a.clause else ""))
    lines += [f"  note: {n}" for n in result.notes]
    return "\n".join(lines) + "\n"


def split_text(result: SplitResult) -> str:
    lines = [f"Split of the common by {format_exact(result.factor)}"]
    for sid, p in result.new_prices.items():
        lines.append(f"  Series {sid}: {_price(result.old_prices[sid])} -> {_price(p)}")
    lines += [f"  note: {n}" for n in result.notes]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- properties

RULE_NO_INCREASE = "anti-dilution.no-increase"
RULE_INCONSISTENT_BASE = "anti-dilution.inconsistent-base"


def increase_window(model: Charter, sid: str, shares: int | None = None):
    """Where the clause's rounding would raise the conversion price of `sid`, exactly.

    The formula's exact price CP1 x (A + B) / (A + C) is below CP1 for every issuance price in
    [0, CP1) and takes every value in (0, CP1) over the issuance sizes; only the rounding can go
    up. Nearest-cent rounding of x exceeds CP1 exactly when x >= U - 1/200, U the first whole cent
    above CP1, and some x < CP1 does so exactly when U - 1/200 < CP1 (CP1 is at least half a cent
    past a whole cent). A minimum adjustment bars it (a negative reduction is below any minimum).
    None when no issuance can raise the price; else a dict: the raised price U, the threshold,
    and for an issuance of `shares` (default a tenth of A, rounded up) the price range that does it.
    """
    from .model.types import ROUNDING_UNITS

    clause = model.anti_dilution_of(sid)
    if clause is None or clause.rounding not in ROUNDING_UNITS or clause.minimum_adjustment:
        return None
    u = ROUNDING_UNITS[clause.rounding]  # the rounding unit: a cent, or a tenth or hundredth of one
    cp = model.get_series(sid).conversion.price
    up = (floor(cp / u) + 1) * u
    threshold = up - u / 2
    if not threshold < cp:
        return None
    A = counted_outstanding(model, clause.counts)
    C = shares if shares is not None else max(ceil(A / 10), 1)
    lo = max((threshold * (A + C) - A * cp) / C, Fraction(0))
    example = ceil(lo / u) * u
    if not example < cp:
        example = (lo + cp) / 2
    exact = cp * (A + C * example / cp) / (A + C)
    return {"raised_to": up, "threshold": threshold, "shares": C, "price_from": lo, "price_below": cp,
            "example_price": example, "example_exact": exact, "counted": A}


def _line(model: Charter, clause: AntiDilution, sub: str = "") -> int | None:
    i = model.anti_dilution.index(clause)
    return model.line_of(f"anti_dilution[{i}]" + (f".{sub}" if sub else ""))


def check_no_increase(model: Charter, analysis: Any = None, shares: int | None = None) -> list[Finding]:
    """anti-dilution.no-increase: proved for every series whose rounding cannot raise its price (no
    finding); else a finding with the issuance prices that would raise it: info when the clause bars
    an increase expressly (`no_increase`), a warning when only the word "reduced" does."""
    out: list[Finding] = []
    for clause in model.anti_dilution:
        for sid in clause.series:
            w = increase_window(model, sid, shares)
            if w is None:
                continue
            cp = w["price_below"]
            what = (f"Series {sid}: the conversion price {_price(cp)} is not a whole number of cents, and the "
                    f"clause rounds to the nearest cent with no minimum adjustment: issuing {w['shares']:,} shares "
                    f"at any price from {_price(w['price_from'])} up to (not including) {_price(cp)} gives an exact "
                    f"price of at least {_price(w['threshold'])}, which rounds up to {_price(w['raised_to'])} "
                    f"(e.g. at {_price(w['example_price'])}: exact {_price(w['example_exact'])})")
            witness = {k: (_fx(v) if isinstance(v, (Fraction, int)) and not isinstance(v, bool) else v)
                       for k, v in w.items()}
            witness["series"] = sid
            if clause.no_increase:
                msg = what + f"; the clause bars any increase ({clause.source}), so the price stays."
                sev, verdict = Severity.INFO, Verdict.PROVED
            else:
                msg = (what + f"; the clause ({clause.source}) only says the price is reduced, with no express bar on "
                       f"an increase. apply_issuance keeps the price (a reduction cannot raise it).")
                sev, verdict = Severity.WARNING, Verdict.REFUTED
            out.append(Finding(RULE_NO_INCREASE, sev, msg, clause.source, model.path,
                               _line(model, clause, "rounding") or _line(model, clause), verdict, witness))
    return out


_COUNT_WORDS = {"common": "the common", "preferred": "the preferred as converted", "options": "options",
                "convertible_securities": "convertible securities"}


def _counts_text(counts) -> str:
    words = [_COUNT_WORDS[c] for c in ANTI_DILUTION_COUNTS if c in counts]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def check_inconsistent_base(model: Charter, analysis: Any = None) -> list[Finding]:
    """anti-dilution.inconsistent-base (info): series of one charter whose formulas count different
    shares as outstanding (or that have no anti-dilution terms while their siblings do): the same
    issuance then moves their conversion prices by different fractions."""
    out: list[Finding] = []
    convertible = [s.id for s in model.series if s.conversion is not None]
    terms = {sid: model.anti_dilution_of(sid) for sid in convertible}
    bases: dict[frozenset, list[str]] = {}
    for sid, c in terms.items():
        if c is not None:
            bases.setdefault(frozenset(c.counts), []).append(sid)
    if not bases:
        return out
    majority = max(bases, key=lambda k: (len(bases[k]), sorted(k)))
    for counts, sids in bases.items():
        if counts == majority:
            continue
        clause = terms[sids[0]]
        others = bases[majority]
        more = [ _COUNT_WORDS[c] for c in ANTI_DILUTION_COUNTS if c in majority and c not in counts]
        less = [_COUNT_WORDS[c] for c in ANTI_DILUTION_COUNTS if c in counts and c not in majority]
        diff = []
        if more:
            diff.append("leaves out " + " and ".join(more))
        if less:
            diff.append("adds " + " and ".join(less))
        msg = (f"Series {', '.join(sids)}: the anti-dilution formula ({clause.source}) counts {_counts_text(counts)} "
               f"as outstanding; Series {', '.join(others)} ({terms[others[0]].source}) count {_counts_text(majority)}. "
               f"It {' and '.join(diff)}, so one issuance reduces their conversion prices by different fractions.")
        out.append(Finding(RULE_INCONSISTENT_BASE, Severity.INFO, msg, clause.source, model.path,
                           _line(model, clause, "counts") or _line(model, clause), Verdict.REFUTED,
                           {"series": sids, "counts": sorted(counts), "siblings": others,
                            "sibling_counts": sorted(majority)}))
    bare = [sid for sid, c in terms.items() if c is None]
    if bare:
        covered = [sid for sid, c in terms.items() if c is not None]
        out.append(Finding(
            RULE_INCONSISTENT_BASE, Severity.INFO,
            f"Series {', '.join(bare)}: no anti-dilution terms in the model, while Series {', '.join(covered)} have "
            f"them: an issuance below their conversion prices dilutes them and not the others.",
            None, model.path, None, Verdict.REFUTED, {"series": bare, "siblings": covered}))
    return out


def check(model: Charter, analysis: Any = None) -> list[Finding]:
    """Both anti-dilution properties."""
    return check_no_increase(model) + check_inconsistent_base(model)


@dataclass(frozen=True)
class _Property:
    """Duck-types a property module of charterverify.properties (RULE, DESCRIPTION, applies, check)."""

    RULE: str
    DESCRIPTION: str
    fn: Any = field(repr=False)

    def applies(self, model: Charter) -> bool:
        return bool(model.anti_dilution)

    def check(self, model: Charter, analysis: Any = None) -> list[Finding]:
        return self.fn(model, analysis)


NO_INCREASE = _Property(RULE_NO_INCREASE, "no anti-dilution adjustment raises a conversion price, at any issuance "
                                          "price below it", check_no_increase)
INCONSISTENT_BASE = _Property(RULE_INCONSISTENT_BASE, "the anti-dilution formulas of a charter count the same shares "
                                                      "as outstanding", check_inconsistent_base)
PROPERTIES = (NO_INCREASE, INCONSISTENT_BASE)
