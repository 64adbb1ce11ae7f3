"""A public offering: automatic conversion triggers, IPO-price ratchets, cash on conversion, and the
common ownership after it; the IPO prices where any of that changes.

`ipo(model, price, raise_amount, filed=None)` sells raise_amount / price new common shares at
`price` and reads the model's `[[automatic_conversion]]` and `[[ipo_ratchets]]`:

- An entry's offering trigger fires for one of its series when every test it states is met:
  price >= min_price_per_share; price >= min_price_multiple x that series' conversion price (the
  price in effect before the offering: Juniper's "as the case may be", each series its own test);
  raise_amount >= min_aggregate (> under strict or the reading offering_size = exceeding); valuation >= min_valuation, the valuation being the price times
  the fully diluted shares before the offering (common, every series as converted at its ratio
  before any ratchet, every option pool) -- or that plus the raise with valuation="post_money".
  A vote alternative is not an offering: it is reported, never assumed.
- A "price_floor" ratchet (Quintus E, F) applies only to a series converted by the offering:
  ratio = max(OIP / CP, floor / price). A "discount_by_filing_date" ratchet (Juniper D1) sets the
  conversion price to percent x price by when the registration statement was filed, counted from
  the series' original issue date (`filed`, see `Filing`); it modifies the conversion price
  itself, so it applies whether or not the series converts automatically. Without `filed` it is
  not applied (and the result says so).
- Converting series with a cash amount (Quintus A-D Cash Amounts) are paid it per share, plus
  declared but unpaid dividends; with `funds` below the total, ratably.
- Ownership is fully diluted after the offering: common, the new shares, every series (converted,
  or as converted at its ratio if it keeps its preferred), every option pool.
- A series' position: converted, its common at the IPO price plus its cash; keeping its preferred,
  the greater of its common as converted at the IPO price and its liquidation preference (what it
  holds: a claim it could still convert). A series that cannot convert: its preference.

Everything is exact (`Fraction`); the new shares may be a fraction when the raise is not a
multiple of the price.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .antidilution import fully_diluted
from .findings import Finding, Severity, Verdict
from .model import COMMON, Charter, IpoRatchet, RatchetStep, format_exact

VALUATION_BASES = ("pre_money", "post_money")
RULE_POSITION_JUMP = "ipo.position-jump"
IPO_HOLDER = "ipo"  # the new shares sold in the offering

__all__ = [
    "Filing", "parse_filed", "TestCheck", "TriggerCheck", "IpoSeries", "IpoResult", "IpoBreakpoint", "ipo",
    "ipo_price_breakpoints", "ipo_findings", "ipo_text", "ipo_breakpoints_text", "check", "POSITION_JUMP",
]


# ---------------------------------------------------------------- when the registration is filed


@dataclass(frozen=True)
class Filing:
    """When the registration statement is filed, relative to the series' original issue date.

    days / months: counted from the original issue date; `on`: the filing date (for steps written
    with `filed_by`); `on` with `issued` (the original issue date): exact calendar arithmetic.
    A months bound compared with a day count (or the reverse) is decided when every calendar agrees
    (e.g. 200 days is within 12 months); otherwise ValueError asks for the other unit.
    """

    days: int | None = None
    months: int | None = None
    on: _dt.date | None = None
    issued: _dt.date | None = None

    def text(self) -> str:
        if self.on and self.issued:
            return f"filed {self.on.isoformat()}, original issue date {self.issued.isoformat()}"
        if self.on:
            return f"filed {self.on.isoformat()}"
        if self.days is not None:
            return f"filed {self.days} days after the original issue date"
        return f"filed {self.months} months after the original issue date"


MAX_FILED_DAYS = 36_525  # 100 years: calendar arithmetic stays within the years 1..9999


def parse_filed(value: Any) -> Filing | None:
    """None; a Filing; an int (days); a date; "200d", "200 days", "13m", "13 months", "1y";
    "2000-06-30" (the filing date); "2000-01-15..2000-06-30" (original issue date..filing date)."""
    if value is None or isinstance(value, Filing):
        return value
    if isinstance(value, bool):
        raise ValueError(f"filed: expected days, months or a date, got {value!r}")
    if isinstance(value, int):
        if value < 0:
            raise ValueError("filed: a number of days cannot be negative")
        if value > MAX_FILED_DAYS:
            raise ValueError(f"filed: at most {MAX_FILED_DAYS} days (100 years), got {value}")
        return Filing(days=value)
    if isinstance(value, _dt.datetime):
        return Filing(on=value.date())
    if isinstance(value, _dt.date):
        return Filing(on=value)
    if isinstance(value, tuple) and len(value) == 2:
        return Filing(issued=value[0], on=value[1])
    if isinstance(value, str):
        t = value.strip().lower()
        m = re.fullmatch(r"([0-9]+)\s*(d|days?|m|months?|y|years?)", t)  # ASCII digits only
        if m:
            if len(m.group(1)) > 6 or int(m.group(1)) > {"d": MAX_FILED_DAYS, "m": 1200, "y": 100}[m.group(2)[0]]:
                raise ValueError(f"filed: {value!r} is more than 100 years (at most {MAX_FILED_DAYS} days, "
                                 f"1200 months or 100 years)")
            n, unit = int(m.group(1)), m.group(2)[0]
            return Filing(days=n) if unit == "d" else Filing(months=n * (12 if unit == "y" else 1))
        m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})\s*(?:\.\.|/)\s*(\d{4}-\d{2}-\d{2})", t)
        try:
            if m:
                return Filing(issued=_dt.date.fromisoformat(m.group(1)), on=_dt.date.fromisoformat(m.group(2)))
            return Filing(on=_dt.date.fromisoformat(t))
        except ValueError:
            pass
    raise ValueError(f"filed: {value!r} is not a filing time (write e.g. 200d, 13m or 2000-06-30)")


def _add_months(d: _dt.date, months: int) -> _dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return d.replace(year=year, month=month, day=min(d.day, calendar.monthrange(year, month)[1]))


def _month_span(months: int) -> tuple[int, int]:
    """The fewest and most days `months` calendar months can last (over every start date)."""
    start = _dt.date(2000, 1, 1)
    spans = set()
    for k in range(4 * 366):
        d = start + _dt.timedelta(days=k)
        spans.add((_add_months(d, months) - d).days)
    return min(spans), max(spans)


def _within_days(f: Filing, bound: int) -> bool:
    if f.on and f.issued:
        return (f.on - f.issued).days <= bound
    if f.days is not None:
        return f.days <= bound
    if f.months is not None:
        lo, hi = _month_span(f.months)
        if hi <= bound:
            return True
        if lo > bound:
            return False
        raise ValueError(f"whether {f.months} months after the original issue date is within {bound} days depends "
                         f"on the calendar: give filed in days")
    raise ValueError(f"a step bound of {bound} days needs the filing as days after the original issue date "
                     f"(or both dates)")


def _within_months(f: Filing, bound: int) -> bool:
    if f.on and f.issued:
        return f.on <= _add_months(f.issued, bound)
    if f.months is not None:
        return f.months <= bound
    if f.days is not None:
        lo, hi = _month_span(bound)
        if f.days <= lo:
            return True
        if f.days > hi:
            return False
        raise ValueError(f"whether {f.days} days after the original issue date is within {bound} months depends "
                         f"on the calendar: give filed in months, or both dates")
    raise ValueError(f"a step bound of {bound} months needs the filing as months after the original issue date "
                     f"(or both dates)")


def _step_applies(step: RatchetStep, f: Filing) -> bool:
    if step.filed_by is not None:
        if f.on is None:
            raise ValueError(f"a step filed by {step.filed_by.isoformat()} needs the filing date (filed=YYYY-MM-DD)")
        if f.on > step.filed_by:
            return False
    if step.filed_within_days is not None and not _within_days(f, step.filed_within_days):
        return False
    if step.filed_within_months is not None and not _within_months(f, step.filed_within_months):
        return False
    return True


def _step_for(ratchet: IpoRatchet, f: Filing) -> tuple[int, RatchetStep] | None:
    """The first step whose window holds the filing (bounds inclusive: where two windows meet, the earlier)."""
    for i, st in enumerate(ratchet.steps):
        if _step_applies(st, f):
            return i, st
    return None


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class TestCheck:
    name: str  # min_price_per_share | min_price_multiple | min_aggregate | min_valuation
    threshold: Fraction  # in the unit compared: a price, an amount or a valuation
    actual: Fraction
    met: bool


@dataclass(frozen=True)
class TriggerCheck:
    """One automatic conversion entry tested for one of its series."""

    entry: str
    series: str
    fired: bool
    tests: tuple[TestCheck, ...]
    vote_alternative: bool
    source: str


@dataclass(frozen=True)
class IpoSeries:
    series: str
    outstanding: int
    converts: bool
    trigger: str | None  # the entry whose offering trigger converts it
    conversion_price: Fraction | None  # in effect at the offering (after a filing-date reset)
    base_ratio: Fraction
    ratio: Fraction  # applied: after the ratchets
    ratchet: str | None  # what the ratchet did, if anything
    common_shares: Fraction  # converted: received; otherwise as converted
    cash: Fraction  # paid on conversion
    value: Fraction  # common_shares x price + cash
    preference: Fraction  # liquidation preference (with declared dividends) of its shares
    position: Fraction
    ownership: Fraction  # of the fully diluted common after the offering

    def to_json(self) -> dict[str, Any]:
        fx = _fx
        return {"series": self.series, "outstanding": self.outstanding, "converts": self.converts,
                "trigger": self.trigger, "conversion_price": fx(self.conversion_price),
                "base_ratio": fx(self.base_ratio), "ratio": fx(self.ratio), "ratchet": self.ratchet,
                "common_shares": fx(self.common_shares), "cash": fx(self.cash), "value": fx(self.value),
                "preference": fx(self.preference), "position": fx(self.position), "ownership": fx(self.ownership)}


@dataclass(frozen=True)
class IpoResult:
    price: Fraction
    raise_amount: Fraction
    new_shares: Fraction
    filing: Filing | None
    valuation_basis: str
    valuation: Fraction
    triggers: tuple[TriggerCheck, ...]
    series: tuple[IpoSeries, ...]
    holders: dict[str, Fraction]  # fully diluted common after the offering, per holder
    fully_diluted: Fraction
    cash_due: Fraction
    cash_paid: Fraction
    notes: tuple[str, ...] = ()

    def get(self, sid: str) -> IpoSeries:
        for s in self.series:
            if s.series == sid:
                return s
        raise KeyError(sid)

    @property
    def converted(self) -> tuple[str, ...]:
        return tuple(s.series for s in self.series if s.converts)

    @property
    def ownership(self) -> dict[str, Fraction]:
        return {h: n / self.fully_diluted for h, n in self.holders.items()}

    @property
    def positions(self) -> dict[str, Fraction]:
        return {s.series: s.position for s in self.series}

    def to_json(self) -> dict[str, Any]:
        fx = _fx
        return {
            "price": fx(self.price), "raise": fx(self.raise_amount), "new_shares": fx(self.new_shares),
            "filing": self.filing.text() if self.filing else None,
            "valuation": {"basis": self.valuation_basis, "value": fx(self.valuation)},
            "triggers": [{"entry": t.entry, "series": t.series, "fired": t.fired, "vote_alternative": t.vote_alternative,
                          "source": t.source,
                          "tests": [{"name": c.name, "threshold": fx(c.threshold), "actual": fx(c.actual), "met": c.met}
                                    for c in t.tests]} for t in self.triggers],
            "series": [s.to_json() for s in self.series],
            "holders": {h: {"shares": fx(n), "ownership": fx(n / self.fully_diluted)} for h, n in self.holders.items()},
            "fully_diluted": fx(self.fully_diluted), "cash_due": fx(self.cash_due), "cash_paid": fx(self.cash_paid),
            "notes": list(self.notes),
        }


def _fx(x: Fraction | int | None) -> str | None:
    return None if x is None else format_exact(Fraction(x))


# ---------------------------------------------------------------- the offering


def _valuation(model: Charter, price: Fraction, raise_amount: Fraction, basis: str) -> Fraction:
    if basis not in VALUATION_BASES:
        raise ValueError(f"valuation basis must be one of {', '.join(VALUATION_BASES)}, got {basis!r}")
    v = price * fully_diluted(model)
    return v + raise_amount if basis == "post_money" else v


def _trigger_checks(model: Charter, price: Fraction, raise_amount: Fraction, valuation: Fraction) -> list[TriggerCheck]:
    out = []
    for a in model.automatic_conversions:
        for sid in a.series:
            tests = []
            # strict ("exceeding") entries need more than each threshold; net proceeds are the raise less
            # the assumed offering costs
            if a.min_price_per_share is not None:
                tests.append(TestCheck("min_price_per_share", a.min_price_per_share, price,
                                       a.meets(price, a.min_price_per_share)))
            conv = model.get_series(sid).conversion
            if a.min_price_multiple is not None and conv is not None:
                t = a.min_price_multiple * conv.price
                tests.append(TestCheck("min_price_multiple", t, price, a.meets(price, t)))
            if a.min_aggregate is not None and not (a.direct_listing and raise_amount == 0):
                got = a.counted_proceeds(raise_amount)
                tests.append(TestCheck("min_aggregate", a.min_aggregate, got, a.meets_size(got, model.readings)))
            if a.min_valuation is not None:
                tests.append(TestCheck("min_valuation", a.min_valuation, valuation, a.meets(valuation, a.min_valuation)))
            fired = bool(tests) and all(t.met for t in tests) and conv is not None
            out.append(TriggerCheck(a.id, sid, fired, tuple(tests), bool(a.vote_series), a.source))
    return out


def _evaluate(model: Charter, price: Fraction, raise_amount: Fraction, filing: Filing | None, basis: str,
              funds: Fraction | None, converting: dict[str, str] | None = None) -> IpoResult:
    """The offering at `price`; `converting` (series -> entry) overrides which series the triggers convert."""
    valuation = _valuation(model, price, raise_amount, basis)
    checks = _trigger_checks(model, price, raise_amount, valuation)
    if converting is None:
        converting = {}
        for c in checks:
            if c.fired and c.series not in converting:
                converting[c.series] = c.entry
    ratchets = {r.series: r for r in model.ipo_ratchets}
    notes: list[str] = []
    rows: list[dict[str, Any]] = []
    for s in model.series:
        n = model.outstanding(s.id)
        pref = n * (s.preference_per_share + model.dividends(s.id))
        conv = s.conversion
        converts = s.id in converting
        if conv is None:
            rows.append(dict(series=s.id, outstanding=n, converts=False, trigger=None, conversion_price=None,
                             base_ratio=Fraction(0), ratio=Fraction(0), ratchet=None, common_shares=Fraction(0),
                             cash=Fraction(0), preference=pref))
            continue
        base = s.ratio
        ratio, cp, what = base, conv.price, None
        r = ratchets.get(s.id)
        if r is not None and r.kind == "price_floor" and converts:
            floor_ratio = r.floor_price / price
            if floor_ratio > base:
                ratio = floor_ratio
                what = (f"price floor {_price(r.floor_price)} ({r.source}): ratio {format_exact(floor_ratio)} "
                        f"instead of {format_exact(base)}")
        elif r is not None and r.kind == "price_reset":
            reset = r.percent * price
            if r.below_price is not None and not price < r.below_price:
                what = f"IPO price not below {_price(r.below_price)} ({r.source}): no reset"
            elif reset < cp:
                cp = reset
                ratio = s.original_issue_price / cp
                what = (f"{r.source}: conversion price reset to {format_exact(r.percent * 100)}% of the IPO price = "
                        f"{_price(cp)}, ratio {format_exact(ratio)}")
            else:
                what = f"{r.source}: {format_exact(r.percent * 100)}% of the IPO price is not below the conversion price"
        elif r is not None and r.kind == "discount_by_filing_date":
            if filing is None:
                notes.append(f"Series {s.id}: the filing date is not given (filed=...), so its IPO conversion price "
                             f"reset ({r.source}) is not applied")
            else:
                hit = _step_for(r, filing)
                if hit is None:
                    what = f"filed after every window of {r.source}: no reset"
                else:
                    i, st = hit
                    cp = st.percent * price
                    ratio = s.original_issue_price / cp
                    what = (f"{r.source} step {i + 1}: conversion price {format_exact(st.percent * 100)}% of the IPO "
                            f"price = {_price(cp)}, ratio {format_exact(ratio)}")
        cash = Fraction(0)
        if converts and conv.cash_per_share:
            cash = n * (conv.cash_per_share + model.dividends(s.id))
        rows.append(dict(series=s.id, outstanding=n, converts=converts, trigger=converting.get(s.id),
                         conversion_price=cp, base_ratio=base, ratio=ratio, ratchet=what,
                         common_shares=n * ratio, cash=cash, preference=pref))
    cash_due = sum((r["cash"] for r in rows), Fraction(0))
    scale = Fraction(1)
    if funds is not None and cash_due > funds:
        scale = Fraction(funds) / cash_due
        notes.append(f"funds of {_money(funds)} pay {format_exact(scale * 100)}% of the cash due ({_money(cash_due)}), "
                     f"ratably")
    applied = {r["series"]: r["ratio"] for r in rows}
    new_shares = raise_amount / price
    holders: dict[str, Fraction] = {COMMON: Fraction(model.captable.common_outstanding), IPO_HOLDER: new_shares}
    for r in rows:
        holders[r["series"]] = r["common_shares"]
    for p in model.captable.options:
        holders[p.id] = p.count * (Fraction(1) if p.buys == COMMON else applied[p.buys])
    total = sum(holders.values(), Fraction(0))
    series_out = []
    for r in rows:
        cash = r["cash"] * scale
        value = r["common_shares"] * price + cash
        if r["converts"]:
            position = value
        elif r["conversion_price"] is None:
            position = r["preference"]
        else:
            position = max(value, r["preference"])
        series_out.append(IpoSeries(cash=cash, value=value, position=position,
                                    ownership=r["common_shares"] / total if total else Fraction(0),
                                    **{k: v for k, v in r.items() if k != "cash"}))
    for a in model.automatic_conversions:
        if a.company_option and any(c.fired and c.series in converting for c in checks if c.entry == a.id):
            notes.append(f"{a.id}: conversion at the company's option ({a.source}), assumed exercised")
        if a.direct_listing and raise_amount == 0:
            notes.append(f"{a.id}: a direct listing (no raise): the aggregate test does not apply ({a.source})")
        if a.vote_series and not any(c.fired for c in checks if c.entry == a.id):
            notes.append(f"{a.id}: the vote alternative ({a.source}) is not assumed")
    return IpoResult(price, raise_amount, new_shares, filing, basis, valuation, tuple(checks), tuple(series_out),
                     holders, total, cash_due, cash_due * scale, tuple(dict.fromkeys(notes)))


def ipo(model: Charter, price: Fraction | int | str, raise_amount: Fraction | int | str, filed: Any = None, *,
        valuation: str = "pre_money", funds: Fraction | int | str | None = None) -> IpoResult:
    """The offering of raise_amount / price new common shares at `price` (see the module docstring)."""
    price, raise_amount = Fraction(price), Fraction(raise_amount)
    if price <= 0:
        raise ValueError(f"the IPO price must be positive, got {format_exact(price)}")
    if raise_amount < 0:
        raise ValueError(f"the amount raised cannot be negative, got {format_exact(raise_amount)}")
    return _evaluate(model, price, raise_amount, parse_filed(filed), valuation,
                     None if funds is None else Fraction(funds))


# ---------------------------------------------------------------- breakpoints in the IPO price


@dataclass(frozen=True)
class IpoBreakpoint:
    """An IPO price where a trigger starts to fire or a ratchet stops applying (or is neutral).

    kind: "trigger" | "ratchet_ends" (a price floor stops binding above it) | "ratchet_neutral" (a
    filing-date reset gives the series as many shares as its ratio before it; above, fewer).
    before / at: every series' position as the price rises to it (the limit from below) and at it.
    """

    price: Fraction
    kind: str
    series: tuple[str, ...]
    rule: str
    source: str
    description: str
    before: dict[str, Fraction] = field(default_factory=dict)
    at: dict[str, Fraction] = field(default_factory=dict)

    @property
    def jumps(self) -> dict[str, Fraction]:
        """Series whose position changes at the price: at - before (negative: it falls)."""
        return {sid: self.at[sid] - self.before[sid] for sid in self.at if self.at[sid] != self.before[sid]}

    def to_json(self) -> dict[str, Any]:
        return {"price": _fx(self.price), "kind": self.kind, "series": list(self.series), "rule": self.rule,
                "source": self.source, "description": self.description,
                "jumps": {sid: _fx(v) for sid, v in self.jumps.items()}}


def _candidates(model: Charter, raise_amount: Fraction, filing: Filing | None, basis: str):
    """(price, kind, series, rule, source, description) for every threshold in the IPO price."""
    out = []
    fd = fully_diluted(model)
    for a in model.automatic_conversions:
        if (a.min_aggregate is not None and not (a.direct_listing and raise_amount == 0)
                and not a.meets_size(a.counted_proceeds(raise_amount), model.readings)):
            continue  # never fires at this raise
        for sid in a.series:
            conv = model.get_series(sid).conversion
            if conv is None:
                continue
            prices = []
            if a.min_price_per_share is not None:
                prices.append((a.min_price_per_share, f"the price test {_price(a.min_price_per_share)}"))
            if a.min_price_multiple is not None:
                t = a.min_price_multiple * conv.price
                prices.append((t, f"{format_exact(a.min_price_multiple)} x the conversion price {_price(conv.price)} "
                                  f"= {_price(t)}"))
            if a.min_valuation is not None and fd:
                t = (a.min_valuation - (raise_amount if basis == "post_money" else 0)) / fd
                if t > 0:
                    prices.append((t, f"a {basis.replace('_', '-')} valuation of {_money(a.min_valuation)} "
                                      f"({_price(t)} x {_shares(fd)} fully diluted shares)"))
            if prices:
                t, why = max(prices, key=lambda x: x[0])
                if a.strict:
                    why += " (exceeded: fires only above it)"
                out.append((t, "trigger", (sid,), a.id, a.source, why))
    for r in model.ipo_ratchets:
        s = model.get_series(r.series)
        if s.conversion is None or not s.ratio:
            continue
        if r.kind == "price_floor":
            t = r.floor_price / s.ratio
            out.append((t, "ratchet_ends", (r.series,), f"ipo_ratchets[{r.series}]", r.source,
                        f"Series {r.series}'s price floor {_price(r.floor_price)} stops binding (at and above "
                        f"{_price(t)} its ratio {format_exact(s.ratio)} gives at least the floor)"))
        elif r.kind == "price_reset":
            t = s.conversion.price / r.percent
            if r.below_price is None or t < r.below_price:
                out.append((t, "ratchet_neutral", (r.series,), f"ipo_ratchets[{r.series}]", r.source,
                            f"Series {r.series}'s reset to {format_exact(r.percent * 100)}% of the IPO price equals its "
                            f"conversion price {_price(s.conversion.price)}; at and above {_price(t)} it does not apply"))
            if r.below_price is not None and r.below_price <= t:
                out.append((r.below_price, "ratchet_ends", (r.series,), f"ipo_ratchets[{r.series}]", r.source,
                            f"Series {r.series}'s reset ends at an IPO price of {_price(r.below_price)}"))
        elif filing is not None:
            hit = _step_for(r, filing)
            if hit is not None:
                i, st = hit
                t = s.conversion.price / st.percent
                out.append((t, "ratchet_neutral", (r.series,), f"ipo_ratchets[{r.series}]", r.source,
                            f"Series {r.series}'s reset to {format_exact(st.percent * 100)}% of the IPO price equals its "
                            f"conversion price {_price(s.conversion.price)}; above {_price(t)} the reset gives fewer "
                            f"shares than its ratio {format_exact(s.ratio)}"))
    return out


def ipo_price_breakpoints(model: Charter, raise_amount: Fraction | int | str, filed: Any = None, *,
                          valuation: str = "pre_money", funds: Fraction | int | str | None = None) -> list[IpoBreakpoint]:
    """Every IPO price (raise fixed) where a trigger starts to fire or a ratchet stops applying, in price
    order, with each series' position just below and at it (exact: between thresholds the triggers
    do not change and every position is continuous in the price)."""
    raise_amount = Fraction(raise_amount)
    filing = parse_filed(filed)
    funds = None if funds is None else Fraction(funds)
    grouped: dict[tuple, list] = {}
    for c in _candidates(model, raise_amount, filing, valuation):
        grouped.setdefault((c[0], c[1], c[3]), []).append(c)
    cands = []
    for (p, kind, rule), cs in grouped.items():
        sids = tuple(sid for c in cs for sid in c[2])
        desc = cs[0][5]
        if kind == "trigger":
            whys = list(dict.fromkeys(c[5] for c in cs))
            desc = f"{rule} converts Series {', '.join(sids)}: " + "; ".join(whys)
        cands.append((p, kind, sids, rule, cs[0][4], desc))
    cands.sort(key=lambda c: (c[0], c[1], c[3]))
    prices = sorted({c[0] for c in cands})
    out = []
    for c in cands:
        p = c[0]
        prev = max([q for q in prices if q < p], default=Fraction(0))
        below = _evaluate(model, (prev + p) / 2, raise_amount, filing, valuation, funds)
        state = {s.series: s.trigger for s in below.series if s.converts}
        before = _evaluate(model, p, raise_amount, filing, valuation, funds, converting=state)
        at = _evaluate(model, p, raise_amount, filing, valuation, funds)
        if c[1] == "trigger" and _strict(model, c[3]):
            # "exceeding": at the price itself the entry does not fire; the position "at" the threshold
            # is the limit from above (positions are continuous in the price between thresholds)
            fired = {s.series: s.trigger for s in at.series if s.converts}
            fired.update({sid: c[3] for sid in c[2]})
            at = _evaluate(model, p, raise_amount, filing, valuation, funds, converting=fired)
        out.append(IpoBreakpoint(p, c[1], c[2], c[3], c[4], c[5], before.positions, at.positions))
    return out


def _strict(model: Charter, entry: str) -> bool:
    return any(a.id == entry and a.strict for a in model.automatic_conversions)


def ipo_findings(model: Charter, raise_amount: Fraction | int | str, filed: Any = None, *,
                 valuation: str = "pre_money", funds: Fraction | int | str | None = None) -> list[Finding]:
    """ipo.position-jump: a series' position falls at an IPO price threshold (the price rising to it)."""
    raise_amount = Fraction(raise_amount)
    out: list[Finding] = []
    seen: set[tuple[Fraction, str]] = set()
    index = {a.id: i for i, a in enumerate(model.automatic_conversions)}
    for bp in ipo_price_breakpoints(model, raise_amount, filed, valuation=valuation, funds=funds):
        for sid, d in bp.jumps.items():
            if d >= 0 or (bp.price, sid) in seen:
                continue
            seen.add((bp.price, sid))
            s = model.get_series(sid)
            key = f"automatic_conversion[{index[bp.rule]}]" if bp.rule in index else None
            kept = bp.before[sid] == model.outstanding(sid) * (s.preference_per_share + model.dividends(sid))
            pref = f"its liquidation preference ({_money(bp.before[sid])})" if kept else _money(bp.before[sid])
            msg = (f"At an IPO price of {_price(bp.price)} (raising {_money(raise_amount)}) {bp.description}; Series "
                   f"{sid}'s position falls from {pref} just below that price to {_money(bp.at[sid])} at it "
                   f"({_money(-d)} less): a higher price leaves it worse off.")
            out.append(Finding(RULE_POSITION_JUMP, Severity.WARNING, msg, bp.source, model.path,
                               model.line_of(key) if key else None, Verdict.REFUTED,
                               {"series": sid, "price": _fx(bp.price), "raise": _fx(raise_amount),
                                "before": _fx(bp.before[sid]), "at": _fx(bp.at[sid]), "drop": _fx(-d),
                                "rule": bp.rule, "valuation_basis": valuation,
                                "filing": parse_filed(filed).text() if filed is not None else None,
                                "preference": _fx(model.outstanding(sid) * (s.preference_per_share +
                                                                           model.dividends(sid)))}))
    return out


def _default_raises(model: Charter) -> list[Fraction]:
    """The smallest raise that meets every size test: the largest stated size, a dollar more when that test
    is "exceeding" (strict, or the reading offering_size)."""
    sized = [a for a in model.automatic_conversions if a.min_aggregate is not None]
    if not sized:
        return [Fraction(0)]
    top = max(a.min_aggregate for a in sized)
    return [top + 1 if any(a.min_aggregate == top and not a.meets_size(top, model.readings) for a in sized) else top]


def _filings(model: Charter) -> list[Filing | None]:
    """No filing, and one filing inside each window of every filing-date ratchet."""
    out: list[Filing | None] = [None]
    for r in model.ipo_ratchets:
        for st in r.steps:
            if st.filed_within_days is not None:
                out.append(Filing(days=st.filed_within_days))
            elif st.filed_within_months is not None:
                out.append(Filing(months=st.filed_within_months))
            elif st.filed_by is not None:
                out.append(Filing(on=st.filed_by))
    return out


def check(model: Charter, analysis: Any = None) -> list[Finding]:
    """ipo.position-jump at the smallest raise that meets every aggregate test (0 when none), for each
    filing window of the filing-date ratchets."""
    out: list[Finding] = []
    seen: set[str] = set()
    for amount in _default_raises(model):
        for f in _filings(model):
            try:
                fs = ipo_findings(model, amount, f)
            except ValueError:
                continue
            for x in fs:
                if x.message not in seen:
                    seen.add(x.message)
                    out.append(x)
    return out


@dataclass(frozen=True)
class _Property:
    RULE: str
    DESCRIPTION: str

    def applies(self, model: Charter) -> bool:
        return bool(model.automatic_conversions)

    def check(self, model: Charter, analysis: Any = None) -> list[Finding]:
        return check(model, analysis)


POSITION_JUMP = _Property(RULE_POSITION_JUMP, "no series' position falls as the IPO price rises past a conversion "
                                              "trigger or ratchet threshold")


# ---------------------------------------------------------------- text


def _money(x: Fraction | int) -> str:
    x = Fraction(x)
    if x < 0:
        return "-" + _money(-x)
    exact = format_exact(x)
    if "/" in exact:
        return f"about ${float(x):,.4f}"
    whole, _, dec = exact.partition(".")
    return f"${int(whole):,}" + (("." + dec.ljust(2, "0")) if dec else "")


def _price(x: Fraction | int) -> str:
    """A per-share amount: at least two decimals ($5.00, $4.5143), else about four."""
    s = _money(x)
    return s if "." in s else s + ".00"


def _shares(x: Fraction | int) -> str:
    x = Fraction(x)
    return f"{int(x):,}" if x.denominator == 1 else f"about {float(x):,.2f}"


def ipo_text(result: IpoResult) -> str:
    """Plain-text report of an offering."""
    r = result
    lines = [f"IPO at {_price(r.price)} raising {_money(r.raise_amount)}: {_shares(r.new_shares)} new shares; "
             f"{r.valuation_basis.replace('_', '-')} valuation {_money(r.valuation)}"
             + (f"; {r.filing.text()}" if r.filing else "")]
    for t in r.triggers:
        tests = ", ".join(f"{c.name} {_price(c.threshold) if c.name.startswith('min_price') else _money(c.threshold)} "
                          f"{'met' if c.met else 'not met'}" for c in t.tests) or "no offering test"
        lines.append(f"  {t.entry} / Series {t.series}: {'fires' if t.fired else 'does not fire'} ({tests}) [{t.source}]")
    for s in r.series:
        state = f"converts ({s.trigger})" if s.converts else ("keeps its preferred" if s.conversion_price else "cannot convert")
        cash = f" + cash {_money(s.cash)}" if s.cash else ""
        ratchet = f"; {s.ratchet}" if s.ratchet else ""
        lines.append(f"  Series {s.series}: {state}, ratio {format_exact(s.ratio)}{ratchet}: {_shares(s.common_shares)} "
                     f"common ({format_exact(round(s.ownership * 100, 4))}%){cash}; position {_money(s.position)}")
    lines.append(f"  Fully diluted after the offering: {_shares(r.fully_diluted)} shares; common "
                 f"{format_exact(round(r.ownership[COMMON] * 100, 4))}%, new shares "
                 f"{format_exact(round(r.ownership[IPO_HOLDER] * 100, 4))}%")
    if r.cash_due:
        lines.append(f"  Cash on conversion: {_money(r.cash_paid)} of {_money(r.cash_due)} due")
    lines += [f"  note: {n}" for n in r.notes]
    return "\n".join(lines) + "\n"


def ipo_breakpoints_text(bps: list[IpoBreakpoint]) -> str:
    if not bps:
        return "No IPO price thresholds at this raise.\n"
    lines = ["IPO price thresholds:"]
    for bp in bps:
        jumps = "; ".join(f"Series {sid} {'+' if d > 0 else '-'}{_money(abs(d))}" for sid, d in bp.jumps.items())
        lines.append(f"  {_price(bp.price)}  {bp.kind}: {bp.description} [{bp.source}]" + (f" -- jumps: {jumps}" if jumps else ""))
    return "\n".join(lines) + "\n"
