"""Model types: the frozen, typed charter every other module reads."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterator


ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
CHARTER_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
COMMON = "common"
CARVE_OUT = "carve_out"

PARTICIPATION_KINDS = ("none", "full", "capped")
SHORTFALL_BASES = ("preference", "original_issue_price", "shares")
CAP_DROPOUT_READINGS = ("own_cap", "first_cap_ends")
CASH_RANK_READINGS = ("before_preferences", "after_preferences")
VALUATION_READINGS = ("pre_money", "post_money")
# a preference that adds "undeclared but unpaid" dividends to non-cumulative ones: nothing, or the stated rate accrued
UNDECLARED_DIVIDEND_READINGS = ("none", "accrued")
# an offering-size test: "at least" / "not less than" the amount, or "exceeding" / "more than" it
OFFERING_SIZE_READINGS = ("at_least", "exceeding")
# every reading a model takes: name -> its choices, the default first ([readings], --reading KEY=VALUE)
READING_CHOICES = {
    "cap_dropout": CAP_DROPOUT_READINGS,
    "cash_on_conversion": CASH_RANK_READINGS,
    "votes_in_sale": (False, True),
    "valuation": VALUATION_READINGS,
    "undeclared_dividends": UNDECLARED_DIVIDEND_READINGS,
    "offering_size": OFFERING_SIZE_READINGS,
}
ANTI_DILUTION_KINDS = ("broad_based_weighted_average",)
ANTI_DILUTION_COUNTS = ("common", "preferred", "options", "convertible_securities")
ANTI_DILUTION_ROUNDING = ("none", "nearest_cent", "nearest_tenth_cent", "nearest_hundredth_cent")
ROUNDING_UNITS = {"nearest_cent": Fraction(1, 100), "nearest_tenth_cent": Fraction(1, 1000),
                  "nearest_hundredth_cent": Fraction(1, 10000)}  # half a unit rounds up
OFFERING_PROCEEDS = ("gross", "net")
RATCHET_KINDS = ("price_floor", "discount_by_filing_date", "price_reset")
REDEMPTION_BY = ("holders", "company")
DIVIDEND_COMPOUNDING = ("simple", "annual", "semiannual", "quarterly", "monthly")
PERIOD_MONTHS = {"simple": 12, "annual": 12, "semiannual": 6, "quarterly": 3, "monthly": 1}
MAX_SHARES = 10**18
# the conversion game grows with every series: 50 series are analysed with full proofs in about 40 s of
# CPU (docs/performance.md); 80 did not finish in minutes, so the limit stays (no real charter has more)
MAX_SERIES = 50
MAX_OPTION_POOLS = 100  # pools of common are resolved by threshold, not played (options.py)


class ModelError(Exception):
    """An invalid model: the message is one line for the user."""


# ---------------------------------------------------------------- model types


@dataclass(frozen=True)
class Preference:
    per_share: Fraction
    source: str
    # "the greater of" the preference or the amount payable had every preferred share converted
    # (NVCA 2.1): a kept holder of this series is paid at least its as-converted share of the proceeds
    greater_of_as_converted: bool = False
    multiple: Fraction | None = None  # per_share stated as a multiple of the original issue price (2x)


@dataclass(frozen=True)
class Dividend:
    """Dividends that accrue on a series (cumulative or accruing), added to its preference as of a date.

    The annual amount per share is `per_share`, or `rate` x the original issue price. `compounding`:
    "simple", or compounded at the end of every whole period (annual 12 months, semiannual 6,
    quarterly 3, monthly 1) counted in calendar months from `start`; a partial period accrues
    simply for the actual days elapsed over the actual days of that period. `cap`: at most this much
    per share accrues in all. `in_preference`: the accrued amount is added to the liquidation
    preference (false: shown, not paid in a sale).

    `cumulative` false: non-cumulative dividends at the stated rate, payable only when declared
    (`start` optional); `in_preference` then says the preference adds "undeclared but unpaid"
    dividends, which the reading `undeclared_dividends` reads as nothing ("none") or as the rate
    accrued from `start` ("accrued").
    """

    source: str
    start: _dt.date | None
    per_share: Fraction | None = None
    rate: Fraction | None = None
    compounding: str = "simple"
    cap: Fraction | None = None
    in_preference: bool = True
    cumulative: bool = True

    def annual(self, original_issue_price: Fraction) -> Fraction:
        """Dollars per share a year at the stated rate."""
        return self.per_share if self.per_share is not None else self.rate * original_issue_price


@dataclass(frozen=True)
class Participation:
    kind: str  # none | full | capped
    cap: Fraction | None
    source: str | None


@dataclass(frozen=True)
class Conversion:
    price: Fraction
    source: str
    cash_per_share: Fraction = Fraction(0)
    cash_source: str | None = None


@dataclass(frozen=True)
class Series:
    id: str
    name: str
    designated: int
    original_issue_price: Fraction
    source: str
    preference: Preference | None
    participation: Participation
    conversion: Conversion | None
    external: bool = False
    note: str | None = None
    price_source: str | None = None  # clause stating the original issue price, when not `source`
    dividend: Dividend | None = None

    @property
    def ratio(self) -> Fraction:
        """Common shares per preferred share on conversion (OIP / conversion price)."""
        if self.conversion is None:
            return Fraction(0)
        return self.original_issue_price / self.conversion.price

    @property
    def preference_per_share(self) -> Fraction:
        return self.preference.per_share if self.preference else Fraction(0)

    @property
    def participates(self) -> bool:
        return self.participation.kind != "none"


@dataclass(frozen=True)
class Tier:
    id: str
    series: tuple[str, ...]
    shortfall: str
    source: str
    cap: Fraction | None = None  # aggregate cap on the amount the tier's preferences pay


@dataclass(frozen=True)
class ClassVote:
    id: str
    series: tuple[str, ...]
    threshold: Fraction
    strict: bool
    source: str


@dataclass(frozen=True)
class OptionPool:
    id: str
    count: int
    exercise_price: Fraction
    buys: str  # "common" or a series id
    source: str = "assumption"


@dataclass(frozen=True)
class VoteGroup:
    """One class that must approve a conversion vote: `threshold` of its outstanding shares
    (`strict`: more than it). `separately`: each listed series votes as its own class."""

    series: tuple[str, ...]
    threshold: Fraction
    strict: bool = True
    separately: bool = False


@dataclass(frozen=True)
class AutomaticConversion:
    id: str
    series: tuple[str, ...]
    min_price_per_share: Fraction | None
    min_aggregate: Fraction | None
    min_valuation: Fraction | None
    vote_series: tuple[str, ...]
    vote_threshold: Fraction | None
    vote_strict: bool
    source: str
    min_price_multiple: Fraction | None = None  # offering price >= multiple x the series' conversion price
    strict: bool = False  # the tests are "exceeding" (>) rather than "at least" (>=)
    proceeds: str = "gross"  # min_aggregate measured on "gross" or "net" proceeds (after offering_costs)
    offering_costs: Fraction | None = None  # net: this fraction of the gross (underwriting discount, expenses)
    direct_listing: bool = False  # a listing on an exchange without a raise also triggers it (no aggregate test)
    company_option: bool = False  # the company may convert (not automatic): the results assume it does

    def meets(self, actual: Fraction, threshold: Fraction) -> bool:
        return actual > threshold if self.strict else actual >= threshold

    def meets_size(self, proceeds: Fraction, readings: "Readings") -> bool:
        """The offering-size test (min_aggregate): more than it when `strict` or under the reading
        offering_size = "exceeding", else at least it."""
        if self.strict or readings.offering_size == "exceeding":
            return proceeds > self.min_aggregate
        return proceeds >= self.min_aggregate

    def counted_proceeds(self, raise_amount: Fraction) -> Fraction:
        """The offering proceeds as min_aggregate measures them."""
        if self.proceeds == "net":
            return raise_amount * (1 - (self.offering_costs or Fraction(0)))
        return raise_amount
    # every class whose vote the conversion needs (all must approve); the first is vote_series/threshold
    vote_groups: tuple[VoteGroup, ...] = ()


@dataclass(frozen=True)
class RatchetStep:
    percent: Fraction
    filed_by: _dt.date | None
    filed_within_days: int | None = None  # counted from the series' original issue date
    filed_within_months: int | None = None


@dataclass(frozen=True)
class IpoRatchet:
    series: str
    kind: str  # price_floor | discount_by_filing_date | price_reset
    floor_price: Fraction | None
    steps: tuple[RatchetStep, ...]
    source: str
    # price_reset: the conversion price becomes percent x the IPO price where that is lower, when the IPO
    # price is below below_price (if given)
    percent: Fraction | None = None
    below_price: Fraction | None = None


@dataclass(frozen=True)
class Exclusion:
    """An issuance the anti-dilution clause carves out of "Additional Stock" (employee pool, vendors...).

    cap_shares / cap_fraction: the carve-out covers at most this many shares in the aggregate (a
    fraction: of the fully diluted common then outstanding); beyond it the shares are Additional Stock.
    `used` is state, not TOML: the shares already issued under the carve-out (apply_issuance updates it).
    """

    id: str
    source: str
    description: str | None = None
    cap_shares: int | None = None
    cap_fraction: Fraction | None = None
    used: int = 0


@dataclass(frozen=True)
class AntiDilution:
    """The conversion price adjustment for dilutive issuances of some series (one clause).

    CP2 = CP1 x (A + B) / (A + C): A the shares counted as outstanding (`counts`), B the shares the
    consideration would buy at CP1, C the Additional Stock issued. `rounding` of the new price,
    `minimum_adjustment` below which no adjustment is made (carried forward when `carry_forward`),
    `no_increase`: the clause says expressly that no adjustment raises the conversion price.
    `carried` is state, not TOML: the reduction carried forward per series (apply_issuance updates it).
    """

    id: str
    series: tuple[str, ...]
    source: str
    kind: str = "broad_based_weighted_average"
    counts: tuple[str, ...] = ANTI_DILUTION_COUNTS
    rounding: str = "none"
    minimum_adjustment: Fraction = Fraction(0)
    carry_forward: bool = False
    no_increase: bool = False
    exclusions: tuple[Exclusion, ...] = ()
    splits_source: str | None = None
    note: str | None = None
    carried: tuple[tuple[str, Fraction], ...] = ()
    minimum_source: str | None = None  # the sub-clause stating the minimum adjustment, when not `source`

    def carried_for(self, sid: str) -> Fraction:
        return dict(self.carried).get(sid, Fraction(0))

    def exclusion(self, eid: str) -> Exclusion:
        for e in self.exclusions:
            if e.id == eid:
                return e
        raise KeyError(eid)


@dataclass(frozen=True)
class CapTable:
    common_outstanding: int
    outstanding: dict[str, int]
    dividends: dict[str, Fraction]
    options: tuple[OptionPool, ...]
    assumption: bool
    note: str | None


@dataclass(frozen=True)
class Scenario:
    transaction_costs: Fraction = Fraction(0)
    carve_out: Fraction = Fraction(0)
    carve_out_percent: Fraction = Fraction(0)
    date: _dt.date | None = None  # the exit date: dividends accrue up to it

    @property
    def has_carve_out(self) -> bool:
        return bool(self.carve_out or self.carve_out_percent)


@dataclass(frozen=True)
class CommonClass:
    """A class of common stock (Class A, Class B) with the same economics as every other class: the
    waterfall pays the common as one; each class's payout is its shares' part of the common's."""

    id: str
    name: str
    outstanding: int
    source: str


@dataclass(frozen=True)
class Redemption:
    """A redemption right: who may require it, from when, at what price, in how many instalments."""

    id: str
    series: tuple[str, ...]
    by: str  # "holders" (the holders may require it) | "company" (at the company's option)
    after: _dt.date | None  # may be required on or after this date
    price_per_share: Fraction | None  # None: the original issue price
    plus_dividends: bool  # plus dividends declared but unpaid and accrued
    instalments: int  # equal annual instalments, the first on the date it is required
    source: str
    vote: Fraction | None = None  # the holders of at least this part of the series (together) must request it

    def price(self, model: "Charter", sid: str) -> Fraction:
        s = model.get_series(sid)
        base = self.price_per_share if self.price_per_share is not None else s.original_issue_price
        return base + (model.dividends(sid) if self.plus_dividends else Fraction(0))


@dataclass(frozen=True)
class SaleWaiver:
    """A vote of some series that can determine that a sale is not a liquidation (deemed-liquidation waiver)."""

    id: str
    series: tuple[str, ...]
    threshold: Fraction
    source: str


@dataclass(frozen=True)
class CatchUp:
    """After the preferences, the common (as-converted preferred included) first receives `per_share`
    per common share before the participating preferred share in the rest."""

    per_share: Fraction
    source: str


@dataclass(frozen=True)
class Readings:
    cap_dropout: str = "own_cap"
    cash_on_conversion: str = "before_preferences"
    note: str | None = None
    # a conversion vote (automatic_conversion.vote) is a move before a sale, not only in an offering
    votes_in_sale: bool = False
    # the offering valuation test (min_valuation) against the pre- or the post-money valuation
    valuation: str = "pre_money"
    # "undeclared but unpaid" dividends added to a preference against non-cumulative dividends
    undeclared_dividends: str = "none"
    # the offering-size test (min_aggregate): "at_least" the amount or "exceeding" it
    offering_size: str = "at_least"


@dataclass(frozen=True)
class ConversionUnit:
    """A deciding unit of the conversion game: a series, a class-vote group, or an option pool."""

    id: str
    kind: str  # series | class_vote | option
    members: tuple[str, ...]  # series ids that convert together (empty for an option pool)
    controller: str | None = None  # class vote: the series that alone carries the vote
    source: str | None = None


@dataclass(frozen=True)
class ModelNumber:
    """A number stated in the model, for traceability against the charter text."""

    key: str
    value: Any
    source: str
    file: str
    line: int | None


@dataclass(frozen=True)
class Charter:
    id: str
    name: str
    path: str
    text_path: Path | None
    document: str | None
    common_authorized: int | None
    common_source: str | None
    preferred_authorized: int | None
    preferred_source: str | None
    series: tuple[Series, ...]
    tiers: tuple[Tier, ...]  # most senior first
    class_votes: tuple[ClassVote, ...]
    captable: CapTable
    scenario: Scenario
    readings: Readings
    automatic_conversions: tuple[AutomaticConversion, ...] = ()
    ipo_ratchets: tuple[IpoRatchet, ...] = ()
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    anti_dilution: tuple[AntiDilution, ...] = ()
    catch_up: CatchUp | None = None
    common_classes: tuple[CommonClass, ...] = ()
    redemptions: tuple[Redemption, ...] = ()
    sale_waivers: tuple[SaleWaiver, ...] = ()
    accrued: dict[str, Fraction] = field(default_factory=dict, compare=False, repr=False)  # per share, as of scenario.date

    def anti_dilution_of(self, sid: str) -> AntiDilution | None:
        """The anti-dilution clause that adjusts the conversion price of series `sid`, if any."""
        for a in self.anti_dilution:
            if sid in a.series:
                return a
        return None

    # -- lookups
    def get_series(self, sid: str) -> Series:
        for s in self.series:
            if s.id == sid:
                return s
        raise KeyError(sid)

    def outstanding(self, sid: str) -> int:
        return self.captable.outstanding[sid]

    def dividends(self, sid: str) -> Fraction:
        """Dividends per share added to the preference: declared but unpaid, plus accrued to the exit date."""
        d = self.captable.dividends.get(sid, Fraction(0))
        a = self.accrued.get(sid)
        return d + a if a else d

    def common_split(self, common_payout: Fraction) -> dict[str, Fraction]:
        """The common's payout by class of common (pro rata to shares: the classes' economics are the same)."""
        total = sum(c.outstanding for c in self.common_classes)
        return {c.id: common_payout * c.outstanding / total for c in self.common_classes}

    def declared_dividends(self, sid: str) -> Fraction:
        return self.captable.dividends.get(sid, Fraction(0))

    def tier_of(self, sid: str) -> Tier | None:
        for t in self.tiers:
            if sid in t.series:
                return t
        return None

    def class_vote_of(self, sid: str) -> ClassVote | None:
        for v in self.class_votes:
            if sid in v.series:
                return v
        return None

    def line_of(self, key: str) -> int | None:
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key.rsplit(".", 1)[0] if "." in key else ""
        return None

    @property
    def holders(self) -> tuple[str, ...]:
        """Every payout key, in report order: series, common, option pools, carve-out."""
        out = [s.id for s in self.series] + [COMMON] + [p.id for p in self.captable.options]
        if self.scenario.has_carve_out:
            out.append(CARVE_OUT)
        return tuple(out)

    def units(self) -> tuple[ConversionUnit, ...]:
        """Deciding units of the conversion game, in model order."""
        units: list[ConversionUnit] = []
        seen_votes: set[str] = set()
        for s in self.series:
            if s.conversion is None:
                continue
            vote = self.class_vote_of(s.id)
            if vote is None:
                units.append(ConversionUnit(s.id, "series", (s.id,), s.id, s.conversion.source))
            elif vote.id not in seen_votes:
                seen_votes.add(vote.id)
                members = tuple(m for m in vote.series if self.get_series(m).conversion is not None)
                units.append(ConversionUnit(vote.id, "class_vote", members, self.vote_controller(vote), vote.source))
        for p in self.captable.options:
            units.append(ConversionUnit(p.id, "option", (), None, p.source))
        return tuple(units)

    def vote_controller(self, vote: ClassVote) -> str | None:
        """The series whose outstanding shares alone carry the class vote, if exactly one does.

        With a non-strict threshold of one half two equal holders can each carry it alone;
        then no single series decides and the group's total payout does.
        """
        total = sum(self.outstanding(m) for m in vote.series)
        carrying = []
        for m in vote.series:
            share = Fraction(self.outstanding(m), total) if total else Fraction(0)
            if share > vote.threshold or (not vote.strict and share == vote.threshold):
                carrying.append(m)
        return carrying[0] if len(carrying) == 1 else None

    def numbers(self) -> Iterator[ModelNumber]:
        """Every number the model states, with the clause it claims to encode."""
        f = self.path

        index = {s.id: i for i, s in enumerate(self.series)}
        index.update({a.id: i for i, a in enumerate(self.automatic_conversions)})
        rindex = {r.series: i for i, r in enumerate(self.ipo_ratchets)}

        def num(key: str, value: Any, source: str | None) -> ModelNumber:
            m = re.match(r"^(series|automatic_conversion|ipo_ratchets)\[([^\]]+)\](.*)$", key)
            lk = key
            if m:
                i = rindex.get(m.group(2)) if m.group(1) == "ipo_ratchets" else index.get(m.group(2))
                rest = m.group(3).replace(".vote_threshold", ".vote.threshold")
                lk = f"{m.group(1)}[{i}]{rest}"
            return ModelNumber(key, value, source or "assumption", f, self.line_of(lk))

        if self.common_authorized is not None:
            yield num("common.authorized", self.common_authorized, self.common_source)
        if self.preferred_authorized is not None:
            yield num("preferred.authorized", self.preferred_authorized, self.preferred_source)
        for s in self.series:
            k = f"series[{s.id}]"
            src = "assumption" if s.external else s.source
            yield num(f"{k}.designated", s.designated, src)
            yield num(f"{k}.original_issue_price", s.original_issue_price, s.price_source or src)
            if s.preference:
                yield num(f"{k}.preference.per_share", s.preference.per_share, s.preference.source)
            if s.participation.cap is not None:
                yield num(f"{k}.participation.cap", s.participation.cap, s.participation.source)
            if s.conversion:
                yield num(f"{k}.conversion.price", s.conversion.price, s.conversion.source)
                if s.conversion.cash_per_share:
                    yield num(
                        f"{k}.conversion.cash_per_share",
                        s.conversion.cash_per_share,
                        s.conversion.cash_source or s.conversion.source,
                    )
        for a in self.automatic_conversions:
            k = f"automatic_conversion[{a.id}]"
            for name in ("min_price_per_share", "min_price_multiple", "min_aggregate", "min_valuation", "vote_threshold"):
                v = getattr(a, name)
                if v is not None:
                    yield num(f"{k}.{name}", v, a.source)
        for r in self.ipo_ratchets:
            k = f"ipo_ratchets[{r.series}]"
            if r.floor_price is not None:
                yield num(f"{k}.floor_price", r.floor_price, r.source)
            for name in ("percent", "below_price"):
                if getattr(r, name) is not None:
                    yield num(f"{k}.{name}", getattr(r, name), r.source)
            for i, st in enumerate(r.steps):
                yield num(f"{k}.steps[{i}].percent", st.percent, r.source)
                if st.filed_by is not None:
                    yield num(f"{k}.steps[{i}].filed_by", st.filed_by, r.source)
                for unit in ("days", "months"):
                    w = getattr(st, f"filed_within_{unit}")
                    if w is not None:
                        yield num(f"{k}.steps[{i}].filed_within_{unit}", w, r.source)
        # anti-dilution: the minimum adjustment ("one cent" or "$0.01"; the text checks read both)
        # and the carve-out caps
        for i, ad in enumerate(self.anti_dilution):
            if ad.minimum_adjustment:
                yield ModelNumber(f"anti_dilution[{ad.id}].minimum_adjustment", ad.minimum_adjustment,
                                  ad.minimum_source or ad.source, f,
                                  self.line_of(f"anti_dilution[{i}].minimum_adjustment"))
            for j, ex in enumerate(ad.exclusions):
                for name in ("cap_shares", "cap_fraction"):
                    v = getattr(ex, name)
                    if v is not None:
                        yield ModelNumber(f"anti_dilution[{ad.id}].excluded[{ex.id}].{name}", v, ex.source, f,
                                          self.line_of(f"anti_dilution[{i}].excluded[{j}].{name}"))




# ---------------------------------------------------------------- dividend accrual


def add_months(d: _dt.date, months: int) -> _dt.date:
    """`d` plus whole calendar months; a day past the month's end becomes its last day (Jan 31 + 1 = Feb 28)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    nxt = _dt.date(year + (month == 12), month % 12 + 1, 1)
    last = (nxt - _dt.timedelta(days=1)).day
    return _dt.date(year, month, min(d.day, last))


def accrued_per_share(s: Series, as_of: _dt.date) -> Fraction:
    """Dividends accrued per share of series `s` from its start to `as_of` (exact; see `Dividend`)."""
    dv = s.dividend
    if dv is None or dv.start is None or as_of <= dv.start:
        return Fraction(0)
    annual = dv.annual(s.original_issue_price)
    months = PERIOD_MONTHS[dv.compounding]
    # whole periods n and the fraction f of the period under way (actual days / actual days)
    n = max(0, ((as_of.year - dv.start.year) * 12 + as_of.month - dv.start.month) // months - 1)
    while add_months(dv.start, (n + 1) * months) <= as_of:
        n += 1
    begin, end = add_months(dv.start, n * months), add_months(dv.start, (n + 1) * months)
    f = Fraction((as_of - begin).days, (end - begin).days)
    per_period = annual * Fraction(months, 12)
    if dv.compounding == "simple":
        amount = per_period * (n + f)
    else:
        oip = s.original_issue_price
        g = per_period / oip  # the period's rate on the amount outstanding (OIP plus accrued)
        amount = oip * ((1 + g) ** n * (1 + g * f) - 1)
    if dv.cap is not None and amount > dv.cap:
        amount = dv.cap
    return amount


def accrues(s: Series, readings: Readings | None = None) -> bool:
    """Series `s` has dividends that accrue into its preference: cumulative ones, or non-cumulative ones
    whose preference adds the undeclared amounts under the reading undeclared_dividends = "accrued"."""
    dv = s.dividend
    if dv is None or not dv.in_preference:
        return False
    return dv.cumulative or (readings is not None and readings.undeclared_dividends == "accrued")


def accrued_table(series, as_of: _dt.date | None, readings: Readings | None = None) -> dict[str, Fraction]:
    """Accrued dividends per share, by series, of the series whose accrual enters the preference."""
    if as_of is None:
        return {}
    out = {}
    for s in series:
        if accrues(s, readings):
            a = accrued_per_share(s, as_of)
            if a:
                out[s.id] = a
    return out


def with_date(model: Charter, as_of: _dt.date) -> Charter:
    """The model with its exit date set to `as_of` (dividends accrued to it)."""
    import dataclasses

    return dataclasses.replace(model, scenario=dataclasses.replace(model.scenario, date=as_of),
                               accrued=accrued_table(model.series, as_of, model.readings))
