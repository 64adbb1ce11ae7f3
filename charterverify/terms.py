"""The terms beyond the waterfall's shape that a reader must see: redemption rights, accruing dividends,
"the greater of" preferences, aggregate tier caps, a catch-up to common, classes of common.

- `stated_terms(model)`: one line per such term with its clause (shown in the summary);
- `check(model)`: the same as info findings, rule "terms" (each with its clause and model line);
- `redeem(model, when)`: the scenario `verify --redeem DATE`: the holders who may require redemption
  on that date are paid before the waterfall. The shares redeemed become a series of their own,
  "<series>.redeemed" (no conversion, a preference of the redemption price), in a tier senior to
  every other, so both the direct evaluator and the z3 encoding pay them first and the remaining
  shares go through the waterfall as before. With instalments, the instalments due by the date are
  redeemed (equal annual instalments from the first date the right may be exercised; each a whole
  number of shares, rounded down).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from fractions import Fraction
from typing import Any

from .findings import Finding, Severity, Verdict
from .model import Charter, Preference, Participation, Series, Tier, add_months, format_exact

RULE = "terms"
DESCRIPTION = "terms a reader must see beside the payouts: redemption rights, accruing dividends, " \
              "greater-of preferences, tier caps, a catch-up, classes of common"
REDEEMED = ".redeemed"


def _usd(x: Fraction) -> str:
    e = format_exact(x)
    if "/" in e:
        return f"~${float(x):,.4f} (exact {e})"
    whole, _, dec = e.partition(".")
    return f"${int(whole):,}" + (f".{dec.ljust(2, '0')}" if dec else "")


def _part(x: Fraction) -> str:
    """A vote threshold as the charter would say it: 50%, 66.5%, or 2/3 when no decimal is exact."""
    e = format_exact(x * 100)
    return f"{e}%" if "/" not in e else format_exact(x)


def _series(ids) -> str:
    ids = list(ids)
    return "Series " + (ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " and " + ids[-1])


def stated_terms(model: Charter) -> list[tuple[str, str, str]]:
    """(key in the model, sentence, clause) for every such term, in model order."""
    out: list[tuple[str, str, str]] = []
    when = model.scenario.date
    for i, s in enumerate(model.series):
        p = s.preference
        if p is not None and p.multiple is not None:
            out.append((f"series[{i}].preference.multiple",
                        f"Series {s.id}'s preference is {format_exact(p.multiple)}x its original issue price: "
                        f"{_usd(p.per_share)} per share", p.source))
        if p is not None and p.greater_of_as_converted:
            out.append((f"series[{i}].preference.greater_of_as_converted",
                        f"Series {s.id} is paid the greater of its preference and its as-converted amount (had every "
                        f"preferred share converted) without converting", p.source))
        d = s.dividend
        if d is not None and d.cumulative:  # non-cumulative: the reading undeclared_dividends names them
            rate = (f"{format_exact(d.rate * 100)}% of {_usd(s.original_issue_price)}" if d.rate is not None
                    else f"{_usd(d.per_share)} per share")
            how = "simple" if d.compounding == "simple" else f"compounded {d.compounding}"
            cap = f", at most {_usd(d.cap)} per share" if d.cap is not None else ""
            if when is None:
                amount = "no exit date given (--date): not added"
            else:
                from .model import accrued_per_share

                a = accrued_per_share(s, when)
                amount = f"{_usd(a)} per share accrued as of {when.isoformat()}"
                amount += ", added to the preference" if d.in_preference else ", not added to the preference"
            out.append((f"series[{i}].dividends",
                        f"Series {s.id} accrues dividends of {rate} a year ({how}{cap}) from {d.start.isoformat()}: "
                        f"{amount}", d.source))
    for i, t in enumerate(model.tiers):
        if t.cap is not None:
            out.append((f"tiers[{i}].cap", f"tier {t.id} ({_series(t.series)}) pays at most {_usd(t.cap)} in all",
                        t.source))
    if model.catch_up is not None:
        out.append(("catch_up", f"the common receives {_usd(model.catch_up.per_share)} per share (catch-up) before the "
                                f"participating preferred share the rest", model.catch_up.source))
    if model.common_classes:
        names = ", ".join(f"{c.id} {c.outstanding:,}" for c in model.common_classes)
        out.append(("common_classes", f"classes of common with the same economics, shown apart: {names}",
                    model.common_classes[0].source))
    for i, r in enumerate(model.redemptions):
        who = "the holders may require" if r.by == "holders" else "the company may at its option make"
        if r.by == "holders" and r.vote is not None:
            who = f"the holders of {_part(r.vote)} of them, voting together, may require"
        price = _usd(r.price_per_share) + " per share" if r.price_per_share is not None else "the original issue price"
        if r.plus_dividends:
            price += " plus dividends"
        after = f" on or after {r.after.isoformat()}" if r.after is not None else ""
        inst = f", in {r.instalments} annual instalments" if r.instalments > 1 else ""
        tail = "; --redeem DATE pays it before the waterfall" if r.by == "holders" else ""
        out.append((f"redemption[{i}]",
                    f"{_series(r.series)}: {who} redemption at {price}{after}{inst}{tail}", r.source))
    for i, w in enumerate(model.sale_waivers):
        out.append((f"sale_waiver[{i}]",
                    f"the holders of {_part(w.threshold)} of {_series(w.series)}, voting together, may "
                    f"determine that a sale is not a liquidation; the payouts assume a sale is one", w.source))
    return [(key, msg[:1].upper() + msg[1:], clause) for key, msg, clause in out]  # each a sentence


def check(model: Charter, analysis: Any = None) -> list[Finding]:
    return [Finding(RULE, Severity.INFO, msg, clause, model.path, model.line_of(key), Verdict.NOT_APPLICABLE)
            for key, msg, clause in stated_terms(model)]


def applies(model: Charter) -> bool:
    return bool(stated_terms(model))


def due_fraction(r, when: _dt.date) -> Fraction:
    """The part of the shares whose redemption the holders may require by `when` (0 before `after`)."""
    if r.after is not None and when < r.after:
        return Fraction(0)
    if r.after is None or r.instalments == 1:
        return Fraction(1)
    k = 1
    while k < r.instalments and add_months(r.after, 12 * k) <= when:
        k += 1
    return Fraction(k, r.instalments)


def redeem(model: Charter, when: _dt.date) -> tuple[Charter, list[str]]:
    """The model with the redemptions the holders may require on `when` paid before the waterfall."""
    notes: list[str] = []
    outstanding = dict(model.captable.outstanding)
    added: list[Series] = []
    for r in model.redemptions:
        if r.by != "holders":
            notes.append(f"{r.id}: at the company's option ({r.source}), not assumed")
            continue
        part = due_fraction(r, when)
        if not part:
            notes.append(f"{r.id}: not yet exercisable on {when.isoformat()} ({r.source}: on or after "
                         f"{r.after.isoformat()})")
            continue
        for sid in r.series:
            if any(x.id == sid + REDEEMED for x in added):
                continue  # one redemption per series (the first right listed)
            s = model.get_series(sid)
            n = int(outstanding[sid] * part)  # whole shares, rounded down
            if n <= 0:
                continue
            price = r.price(model, sid)
            outstanding[sid] -= n
            added.append(Series(sid + REDEEMED, f"{s.name} (redeemed)", n, s.original_issue_price, r.source,
                                Preference(price, r.source), Participation("none", None, None), None,
                                note=f"redeemed on {when.isoformat()} ({r.id})"))
            notes.append(f"{r.id}: {n:,} shares of Series {sid} redeemed at {_usd(price)} per share "
                         f"({_usd(price * n)}), paid before the waterfall ({r.source})")
    if not added:
        return model, notes
    tier = Tier("redemption", tuple(x.id for x in added), "preference",
                ", ".join(dict.fromkeys(r.source for r in model.redemptions)))
    ct = dataclasses.replace(model.captable, outstanding={**outstanding, **{x.id: x.designated for x in added}})
    return dataclasses.replace(model, series=model.series + tuple(added), tiers=(tier,) + model.tiers,
                               captable=ct), notes
