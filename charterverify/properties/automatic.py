"""automatic-conversion: at each offering threshold, is a series forced to convert while its
preference would have paid more?

Modelling (exact, no solver beyond the analysis already done):
- The offering at an entry's threshold fixes a company value E (what the pre-offering holders
  own) and a price p per common share, related by E = cash + p × N(p): the Cash Amounts of the
  converting cash series, plus every series as converted (fully diluted: series that are not
  forced are counted as converted at their base ratio), common, and option pools exercised when
  in the money (net of the exercise price). A price-floor IPO ratchet of a series forced by an
  offering trigger raises its ratio to floor / p. A discount-by-filing-date ratchet is not
  applied (the filing date is not part of the model).
- min_price_per_share (or min_price_multiple x the series' conversion price, the highest when
  the entry names several series) gives p and so E; min_valuation gives E and so p (solved
  exactly: E is piecewise linear in p); with both, the higher company value binds. An entry
  with only min_aggregate implies no company value and no price: the size of the raise is
  not what the company is worth. Any offering of that size converts its series at whatever
  price it is priced, so the check follows the price: for each forced series without a price
  floor, every price at which it holds less than its payout in a sale of the same company
  value, the most it loses, and a round price as an example (`_free_price`). Entries whose
  offering tests the threshold offering meets convert too (same price, value, and offering
  size; an offering with no stated size is taken to meet every size test). Vote-only entries
  have no threshold and are skipped.
- Each forced series' value at the offering (shares × ratio × p, plus its Cash Amount) is
  compared with its payout in a sale at exit value E (the analysis' reported equilibrium).
  When it kept its preferred in that sale and the sale pays more, value moves at the threshold.
Severity: warning for a non-participating series (its preference beats conversion there: the
threshold sits below its own crossover); info for a participating one (a participating
preference always beats conversion at equal value; the loss is built into the deal). When the
Cash Amounts and price floors alone exceed E, no price is consistent: info, not applicable.
"""

from __future__ import annotations

from fractions import Fraction

from ..evaluate import choice_of
from ..findings import Finding, Severity, Verdict
from ..model import COMMON, AutomaticConversion, Charter
from ..solver.breakpoints import Analysis
from .base import Locator, fx, join_names, make_finding, money, profile_at, value_at, price

RULE = "automatic-conversion"
DESCRIPTION = "no series is forced to convert at an offering threshold where its preference would pay more"


def applies(model: Charter) -> bool:
    return any(_has_test(a) for a in model.automatic_conversions)


def _has_test(a: AutomaticConversion) -> bool:
    return _min_price(None, a) is not None or a.min_valuation is not None or a.min_aggregate is not None


def _min_price(model: Charter | None, a: AutomaticConversion) -> Fraction | None:
    """The entry's price test: min_price_per_share, or min_price_multiple x each series' conversion
    price (the highest of them when the entry names several series); None when it has none."""
    multiple = getattr(a, "min_price_multiple", None)
    if model is None:
        return a.min_price_per_share if multiple is None else (a.min_price_per_share or multiple)
    prices = [] if a.min_price_per_share is None else [a.min_price_per_share]
    if multiple is not None:
        for sid in a.series:
            conv = model.get_series(sid).conversion
            if conv is not None:
                prices.append(multiple * conv.price)
    return max(prices) if prices else None


def _basis_value(model: Charter, a: AutomaticConversion, basis: str) -> Fraction | None:
    if basis == "min_price_per_share":
        return _min_price(model, a)
    return getattr(a, basis)


class Offering:
    """The value of every holding at an offering price p, given which entries trigger."""

    def __init__(self, model: Charter, triggered: list[AutomaticConversion]):
        self.model = model
        self.forced = {sid for a in triggered for sid in a.series}
        floors = {r.series: r.floor_price for r in model.ipo_ratchets if r.kind == "price_floor"}
        self.floor = {sid: floors[sid] for sid in self.forced if sid in floors}
        self.cash = sum((s.conversion.cash_per_share * model.outstanding(s.id) for s in model.series
                         if s.id in self.forced and s.conversion and s.conversion.cash_per_share), Fraction(0))

    def ratio(self, sid: str, p: Fraction) -> Fraction:
        s = self.model.get_series(sid)
        r = s.ratio
        if sid in self.floor and p > 0:
            r = max(r, self.floor[sid] / p)
        return r

    def series_value(self, sid: str, p: Fraction) -> Fraction:
        s = self.model.get_series(sid)
        n = self.model.outstanding(sid)
        cash = s.conversion.cash_per_share * n if sid in self.forced and s.conversion else Fraction(0)
        if sid in self.floor:
            return cash + n * max(s.ratio * p, self.floor[sid])
        return cash + n * s.ratio * p

    def company_value(self, p: Fraction) -> Fraction:
        m = self.model
        total = Fraction(m.captable.common_outstanding) * p
        for s in m.series:
            if s.conversion is not None:
                total += self.series_value(s.id, p)
        for pool in m.captable.options:
            r = Fraction(1) if pool.buys == COMMON else m.get_series(pool.buys).ratio
            total += max(pool.count * r * p - pool.count * pool.exercise_price, Fraction(0))
        return total

    def kinks(self) -> list[Fraction]:
        m = self.model
        ks = set()
        for sid, fl in self.floor.items():
            r = m.get_series(sid).ratio
            if r:
                ks.add(fl / r)
        for pool in m.captable.options:
            r = Fraction(1) if pool.buys == COMMON else m.get_series(pool.buys).ratio
            if r:
                ks.add(pool.exercise_price / r)
        return sorted(k for k in ks if k > 0)

    def price_for(self, E: Fraction) -> Fraction | None:
        """The price p >= 0 with company_value(p) = E (None when even p = 0 is worth more)."""
        if self.company_value(Fraction(0)) > E:
            return None
        pts = [Fraction(0)] + self.kinks()
        for a, b in zip(pts, pts[1:] + [None]):
            if b is None:
                b = a + 1
                va, vb = self.company_value(a), self.company_value(b)
                if vb == va:
                    return None
                return a + (E - va) * (b - a) / (vb - va)
            va, vb = self.company_value(a), self.company_value(b)
            if va <= E <= vb:
                if vb == va:
                    return a
                return a + (E - va) * (b - a) / (vb - va)
        return None


def _triggers(model: Charter, a: AutomaticConversion, p: Fraction, E: Fraction, size: Fraction | None) -> bool:
    if not _has_test(a):
        return False
    price = _min_price(model, a)
    if price is not None and p < price:
        return False
    if a.min_valuation is not None and E < a.min_valuation:
        return False
    if a.min_aggregate is not None and size is not None and size < a.min_aggregate:
        return False
    return True


def _threshold(model: Charter, entry: AutomaticConversion):
    """(E, p, basis key, triggered entries, offering), or (None, the holdings' value at a price of 0,
    basis, triggered, offering) when no price is consistent; raises _Unsettled when the triggered
    entries never settle (each set tried gives a price that triggers another)."""
    triggered = [entry]
    size = entry.min_aggregate
    tried: list[tuple[list[str], Fraction]] = []
    while True:  # ends: each round either settles or tries a set not tried before, and the sets are finitely many
        off = Offering(model, triggered)
        candidates = []
        price = _min_price(model, entry)
        if price is not None:
            candidates.append((off.company_value(price), "min_price_per_share"))
        if entry.min_valuation is not None:
            # reading valuation: pre-money, what the holders before the offering own; post-money
            # counts the raise too, so the pre-offering value at the threshold is that much less
            v = entry.min_valuation
            if model.readings.valuation == "post_money" and size is not None:
                v = max(Fraction(0), v - size)
            candidates.append((v, "min_valuation"))
        if not candidates:
            candidates.append((entry.min_aggregate, "min_aggregate"))
        E, basis = max(candidates, key=lambda c: c[0])
        if basis == "min_price_per_share":
            p = price
        else:
            p = off.price_for(E)
            if p is None:
                return None, off.company_value(Fraction(0)), basis, triggered, off
        new = [a for a in model.automatic_conversions if a is entry or _triggers(model, a, p, E, size)]
        if [a.id for a in new] == [a.id for a in triggered]:
            return E, p, basis, triggered, off
        tried.append(([a.id for a in triggered], p))
        if [a.id for a in new] in [ids for ids, _ in tried]:
            raise _Unsettled(E, basis, tried)  # a set already tried: they go round a cycle, never settling
        triggered = new


class _Unsettled(Exception):
    """The entries met at a threshold never settle: forcing one set gives a price that triggers another,
    and so on round a cycle. Which series convert there is not decided by the terms as modelled."""

    def __init__(self, E, basis: str, tried: list[tuple[list[str], Fraction]]):
        self.E, self.basis, self.tried = E, basis, tried


def check(model: Charter, an: Analysis) -> list[Finding]:
    loc = Locator(model)
    out: list[Finding] = []
    for entry in model.automatic_conversions:
        if not _has_test(entry):
            continue
        if _min_price(model, entry) is None and entry.min_valuation is None:
            out += _free_price(model, an, loc, entry)
            continue
        try:
            E, p, basis, triggered, off = _threshold(model, entry)
        except _Unsettled as u:
            out.append(_unsettled_finding(model, loc, entry, u))
            continue
        key = _key(loc, entry, basis)
        threshold = _basis_value(model, entry, basis)
        if E is None:
            floor_ids = sorted(off.floor)
            what = []
            if off.cash:
                what.append(f"the cash on conversion ({money(off.cash)})")
            if floor_ids:
                what.append(f"the IPO price floors of Series {', '.join(floor_ids)}")
            out.append(make_finding(
                model, RULE, Severity.INFO,
                f"At the {entry.id} threshold ({entry.source}, {basis} {money(threshold)}) no offering price "
                f"is consistent: {' and '.join(what) or 'the holdings'} alone are worth {money(p)} at any price, "
                f"more than the company value taken at the threshold",
                clause=[entry.source] + [r.source for r in model.ipo_ratchets if r.series in off.floor],
                key=key, verdict=Verdict.NOT_APPLICABLE,
                witness={"entry": entry.id, "basis": basis, "company_value": fx(threshold),
                         "value_at_zero_price": fx(p)},
            ))
            continue
        sale_profile = profile_at(an, E)
        converted_in_sale = choice_of(an.units, sale_profile).converted
        for sid in entry.series:
            s = model.get_series(sid)
            if s.conversion is None or sid in converted_in_sale:
                continue
            ipo = off.series_value(sid, p)
            sale = value_at(an, sid, E)
            if sale <= ipo:
                continue
            participating = s.participates
            sev = Severity.INFO if participating else Severity.WARNING
            ratio = off.ratio(sid, p)
            extra = f", ratio {fx(ratio)} under the IPO price floor" if sid in off.floor and ratio != s.ratio else ""
            msg = (f"At the {entry.id} threshold ({entry.source}: company value {money(E)}, {price(p)} per common share) "
                   f"Series {sid} is forced to convert and its holdings are worth {money(ipo)}{extra}, while in a sale at "
                   f"the same value its preference pays {money(sale)}: {money(sale - ipo)} moves to other holders")
            clauses = [entry.source, s.preference.source if s.preference else None]
            if participating:
                clauses.append(s.participation.source)
            out.append(make_finding(
                model, RULE, sev, msg, clause=clauses, key=key,
                witness={"entry": entry.id, "series": sid, "basis": basis, "company_value": fx(E), "price": fx(p),
                         "ratio": fx(ratio), "value_converted": fx(ipo), "value_in_sale": fx(sale),
                         "moved": fx(sale - ipo), "triggered": [a.id for a in triggered]},
            ))
    return out


def _key(loc: Locator, entry: AutomaticConversion, basis: str) -> str:
    """The key of the test that fixes the threshold (a price stated as a multiple: the multiple's)."""
    if basis == "min_price_per_share" and entry.min_price_per_share is None:
        return loc.auto(entry.id, "min_price_multiple")
    return loc.auto(entry.id, basis)


def _unsettled_finding(model: Charter, loc: Locator, entry: AutomaticConversion, u: _Unsettled) -> Finding:
    key = _key(loc, entry, u.basis)
    steps = "; ".join(f"forcing {join_names(ids)} gives {price(p)} a share" for ids, p in u.tried)
    return make_finding(
        model, RULE, Severity.WARNING,
        f"At the {entry.id} threshold ({entry.source}, company value {money(u.E)}) the automatic conversions "
        f"it meets never settle: {steps}, and each price triggers another set of them. Which series convert "
        f"at that offering is not decided, so what they hold there is not computed",
        clause=[entry.source] + [a.source for a in model.automatic_conversions
                                 if a is not entry and any(a.id in ids for ids, _ in u.tried)],
        key=key, verdict=Verdict.UNKNOWN,
        witness={"entry": entry.id, "basis": u.basis, "company_value": fx(u.E),
                 "tried": [{"entries": ids, "price": fx(p)} for ids, p in u.tried]})


def _at_price(model: Charter, entry: AutomaticConversion, p: Fraction):
    """At offering price p (an offering of the entry's size): the company value and the offering."""
    triggered = [entry]
    size = entry.min_aggregate
    for _ in range(len(model.automatic_conversions) + 2):
        off = Offering(model, triggered)
        E = off.company_value(p)
        new = [a for a in model.automatic_conversions if a is entry or _triggers(model, a, p, E, size)]
        if [a.id for a in new] == [a.id for a in triggered]:
            break
        triggered = new
    return E, off, triggered


def _free_price(model: Charter, an: Analysis, loc: Locator, entry: AutomaticConversion) -> list[Finding]:
    """An offering with only a size test: each forced series' loss as a function of the price.

    The loss (sale payout at the company value E(p) less the value held after converting at p)
    is affine in p between candidate prices: the offering's own kinks (price floors, option
    exercise prices) and those of the series other entries may force with it, every price test
    of another entry, and the price at which E(p) reaches a
    breakpoint of the sale analysis. So its sign and its largest value are exact at those prices,
    and where it turns from positive to not, the root of the affine piece is the price above
    which the series no longer loses.
    """
    from .base import simplest_between

    out: list[Finding] = []
    base_off = Offering(model, [entry])
    # the kinks of every series any entry may force (this entry's among them): a price floor kinks the loss
    cands = {Fraction(0)} | set(Offering(model, list(model.automatic_conversions)).kinks())
    for a in model.automatic_conversions:
        mp = _min_price(model, a)
        if mp is not None:
            cands.add(mp)
    for bp in [b.x for b in an.breakpoints]:
        q = base_off.price_for(bp)
        if q is not None:
            cands.add(q)
    top = max(cands)
    cands.add(top * 2 + 1)
    prices = sorted(cands)
    offerings: dict[Fraction, tuple] = {}  # price -> `_at_price`: the same for every series of the entry

    def offering(p):
        if p not in offerings:
            offerings[p] = _at_price(model, entry, p)
        return offerings[p]

    for sid in entry.series:
        s = model.get_series(sid)
        if s.conversion is None:
            continue

        def loss(p, sid=sid):
            E, off, _ = offering(p)
            return value_at(an, sid, E) - off.series_value(sid, p), E, off

        vals = [(p, *loss(p)) for p in prices]
        worst = max(vals, key=lambda v: v[1])
        if worst[1] <= 0:
            continue
        # the highest price at which it still loses: the root on the last piece that starts positive
        last = max(i for i, v in enumerate(vals) if v[1] > 0)
        if last + 1 < len(vals):
            (p0, l0, *_), (p1, l1, *_) = vals[last], vals[last + 1]
            upto = p0 + l0 * (p1 - p0) / (l0 - l1) if l0 != l1 else p1
        elif vals[-1][1] < vals[-2][1]:
            # still losing at the probe past the top candidate, but less: the loss is affine past the top,
            # so its root (beyond the probe) bounds it
            (p0, l0, *_), (p1, l1, *_) = vals[-2], vals[-1]
            upto = p0 + l0 * (p1 - p0) / (l0 - l1)
        else:
            upto = None
        lo_price = min(v[0] for v in vals if v[1] > 0)
        ex = simplest_between(lo_price, upto) if upto is not None and lo_price < upto else worst[0]
        lx, Ex, offx = loss(ex)
        if lx <= 0:
            ex, lx, Ex, offx = worst[0], worst[1], worst[2], worst[3]
        floors = [r.series for r in model.ipo_ratchets if r.kind == "price_floor"]
        others = (f", unlike Series {', '.join(floors)} ({'; '.join(r.source for r in model.ipo_ratchets if r.series in floors)})"
                  if floors else "")
        held = offx.series_value(sid, ex)
        if sid in base_off.floor:
            fl = next(r for r in model.ipo_ratchets if r.series == sid and r.kind == "price_floor")
            head = (f"Series {sid}, even with its IPO price floor of {price(fl.floor_price)} ({fl.source}), converts in "
                    f"any offering of {money(entry.min_aggregate)} ({entry.source}), and ")
        else:
            head = (f"Series {sid} has no price floor in a qualifying offering ({entry.source}: only a raise of "
                    f"{money(entry.min_aggregate)}){others}: an offering of that size converts it at any price, and ")
        msg = (head +
               f"at every price{f' up to {price(upto)} a share' if upto is not None else ''} it holds less than a "
               f"sale of the same company value would pay. At {price(ex)} a share (company value {money(Ex)}) "
               f"it holds {money(held)} against {money(held + lx)} in a sale: {money(lx)} moves to other holders"
               + (f"; the most, {money(worst[1])}, at {price(worst[0])} a share" if worst[0] != ex else ""))
        sev = Severity.INFO if s.participates else Severity.WARNING
        out.append(make_finding(
            model, RULE, sev, msg,
            clause=[entry.source, s.preference.source if s.preference else None],
            key=loc.auto(entry.id, "min_aggregate"),
            witness={"entry": entry.id, "series": sid, "basis": "min_aggregate", "price": fx(ex),
                     "company_value": fx(Ex), "value_converted": fx(held), "value_in_sale": fx(held + lx),
                     "moved": fx(lx), "loses_up_to_price": fx(upto), "most_moved": fx(worst[1]),
                     "most_moved_price": fx(worst[0])},
        ))
    return out
