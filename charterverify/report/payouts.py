"""Payout tables and the charter summary: text for people, JSON for machines."""

from __future__ import annotations

import io
from fractions import Fraction
from typing import Any

from rich.console import Console
from rich.table import Table

from ..evaluate import ExitResult
from ..model import Charter, format_exact
from ..solver.exits import results_at
from . import escape


def money(x: Fraction) -> str:
    """Readable dollars; a non-terminating amount shows cents and its exact value."""
    x = Fraction(x)
    exact = format_exact(x)
    if "/" not in exact:
        whole, _, dec = exact.lstrip("-").partition(".")
        sign = "-" if x < 0 else ""
        s = f"{sign}${int(whole):,}"
        return f"{s}.{dec.ljust(2, '0')}" if dec else s
    cents = round(x, 2)
    return f"~{money(cents)} (exact {exact})"


def per_share(x: Fraction) -> str:
    return money(x)


def ratio_text(x: Fraction) -> str:
    e = format_exact(x)
    return e if "/" not in e else f"{e} (~{format_exact(round(x, 6))})"


def _console(width: int | None = None) -> tuple[Console, io.StringIO]:
    """A console writing to a buffer at the terminal's width (COLUMNS); see `fit`."""
    from .console import terminal_width

    buf = io.StringIO()
    return Console(file=buf, width=width or terminal_width(), force_terminal=False, color_system=None,
                   highlight=False, markup=False, emoji=False), buf


def fit(t: Table) -> Table:
    """Cells wrap (folding a word only when it cannot fit), never cut with an ellipsis."""
    for c in t.columns:
        c.overflow = "fold"
    return t


def preference_stack(model: Charter) -> list[dict[str, Any]]:
    rows = []
    total = Fraction(0)
    for rank, tier in enumerate(model.tiers, start=1):
        for sid in tier.series:
            s = model.get_series(sid)
            n = model.outstanding(sid)
            amount = (s.preference_per_share + model.dividends(sid)) * n
            total += amount
            rows.append({"rank": rank, "tier": tier.id, "series": sid, "shares": n,
                         "per_share": s.preference_per_share, "amount": amount, "cumulative": total,
                         "shortfall": tier.shortfall, "source": s.preference.source if s.preference else tier.source})
    return rows


def stack_total(model: Charter) -> Fraction:
    rows = preference_stack(model)
    return (rows[-1]["cumulative"] if rows else Fraction(0)) + model.scenario.transaction_costs


def representative_exits(model: Charter) -> list[Fraction]:
    S = stack_total(model)
    if S <= 0:
        S = Fraction(model.captable.common_outstanding)
    return [S / 2, S, 2 * S, 5 * S]


def conversion_text(analysis) -> str:
    """Who converts when: each unit's switches, proved by the breakpoint analysis."""
    from ..solver.crossovers import crossovers

    con, buf = _console()
    t = Table(title="Who converts when (every switch over all exit values)", title_justify="left")
    for col in ("Unit", "Converts above", "Switches", "Per share below / above"):
        t.add_column(col)
    for c in crossovers(analysis):
        name = c.unit.id if c.unit.kind != "class_vote" else f"{c.unit.id} ({', '.join(c.unit.members)})"
        sw = "; ".join(f"{'converts' if w.acting else 'stops'} at {money(w.x)}" for w in c.switches) or "never"
        last = c.switches[-1] if c.switches else None
        ps = f"{money(last.per_share.below) if last.per_share.below is not None else '-'} / {money(last.per_share.above)}" if last else ""
        t.add_row(name, money(c.x) if c.x is not None else "never", sw, ps)
    con.print(fit(t))
    return buf.getvalue()


def summary_text(model: Charter, analysis=None, width: int | None = None, payouts: bool = True) -> str:
    """The model restated: preference stack, participation and conversion, readings, cap table."""
    con, buf = _console(width)
    con.print(f"{escape.terminal(model.name)} ({model.id}) — {escape.terminal(model.path)}")
    if model.document:
        con.print(f"Document: {escape.terminal(model.document)}")
    t = Table(title="Liquidation preference stack (most senior first)", title_justify="left")
    for col in ("Tier", "Series", "Shares", "Per share", "Preference", "Cumulative", "Shortfall shared by", "Clause"):
        t.add_column(col, justify="right" if col in ("Shares", "Per share", "Preference", "Cumulative") else "left")
    for r in preference_stack(model):
        t.add_row(f"{r['rank']} {r['tier']}", r["series"], f"{r['shares']:,}", per_share(r["per_share"]),
                  money(r["amount"]), money(r["cumulative"]), r["shortfall"].replace("_", " "), escape.terminal(r["source"]))
    con.print(fit(t))
    t = Table(title="Participation and conversion", title_justify="left")
    for col in ("Series", "Participation", "Cap/share", "Conversion ratio", "Cash on conversion", "Decided by", "Clauses"):
        t.add_column(col)
    units = {m: u for u in model.units() for m in u.members}
    for s in model.series:
        u = units.get(s.id)
        if u is None:
            who = "does not convert" if s.conversion is None else "-"
        elif u.kind == "class_vote":
            who = f"class vote {u.id} ({', '.join(u.members)})" + (f", carried by {u.controller}" if u.controller else "")
        else:
            who = "the series"
        clauses = ", ".join(x for x in (s.participation.source, s.conversion.source if s.conversion else None) if x)
        t.add_row(
            s.id + (" (external)" if s.external else ""),
            s.participation.kind,
            per_share(s.participation.cap) if s.participation.cap is not None else "",
            ratio_text(s.ratio) if s.conversion else "",
            per_share(s.conversion.cash_per_share) if s.conversion and s.conversion.cash_per_share else "",
            who,
            escape.terminal(clauses),
        )
    con.print(fit(t))
    from ..terms import stated_terms

    terms = stated_terms(model)
    if terms:
        con.print("Terms:")
        for _, msg, clause in terms:
            con.print(f"  - {escape.terminal(msg)} ({escape.terminal(clause)})")
    rd = model.readings
    from ..model.types import READING_CHOICES
    from ..readings import value_text

    con.print("Readings: " + "; ".join(f"{n} = {value_text(getattr(rd, n))}" for n in READING_CHOICES))
    ct = model.captable
    con.print(f"Cap table ({'assumption' if ct.assumption else 'stated'}): common outstanding {ct.common_outstanding:,}"
              + "".join(f"; pool {p.id} {p.count:,} at {per_share(p.exercise_price)} for {p.buys}" for p in ct.options))
    if analysis is not None:
        buf.write(conversion_text(analysis))
    if not payouts:
        return buf.getvalue()
    con.print()
    # read off the analysis (or the tables) already made: never a second solve of the same game
    results, _ = results_at(model, representative_exits(model), analysis)
    buf.write(payouts_text(model, results,
                           title="Payouts at representative exit values"))
    return buf.getvalue()


def payouts_text(model: Charter, results: list[ExitResult], title: str | None = None) -> str:
    con, buf = _console()
    t = Table(title=title or f"{escape.terminal(model.name)}: payouts", title_justify="left")
    t.add_column("Holder")
    for r in results:
        t.add_column(money(r.exit_value), justify="right")
    for h in model.holders:
        t.add_row(h, *[money(r.payouts[h]) for r in results])
        if h == "common":
            for c in model.common_classes:  # the same economics: each class its shares' part
                t.add_row(f"  {c.id}", *[money(model.common_split(r.payouts[h])[c.id]) for r in results])
    t.add_row("converted", *[", ".join(r.converted + r.exercised) or "none" for r in results])
    t.add_row("equilibria", *[f"{r.equilibria}" + ("" if r.unique_payouts else " (payouts differ)") for r in results])
    con.print(fit(t))
    return buf.getvalue()


def payouts_json(model: Charter, results: list[ExitResult]) -> dict[str, Any]:
    return {"charter": model.id, "exits": [r.to_json() for r in results]}


def summary_json(model: Charter, analysis=None) -> dict[str, Any]:
    results, method = results_at(model, representative_exits(model), analysis)
    return {
        "charter": model.id,
        "name": model.name,
        "preference_stack": [
            {k: (format_exact(v) if isinstance(v, Fraction) else v) for k, v in r.items()} for r in preference_stack(model)
        ],
        "exits": [r.to_json() for r in results],
        "method": method,
    }
