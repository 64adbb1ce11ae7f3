"""Breakpoint tables: JSON (a stable contract) and text."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from ..model import format_exact
from ..solver.breakpoints import Analysis
from . import escape
from .payouts import _console, fit, money


def _fx(x) -> str | None:
    return None if x is None else format_exact(x)


def breakpoints_json(an: Analysis) -> dict[str, Any]:
    m = an.model
    out: dict[str, Any] = {
        "charter": m.id,
        "complete": an.complete,
        # how the equilibrium sets were established: "tables" (every profile's exact payout table,
        # an exhaustive computation, up to 12 deciding units) or "z3" (dominance and
        # other-equilibrium proofs per piece); the payout functions are proved by z3 either way
        "equilibria_method": "tables" if an.tables is not None else "z3",
        "breakpoints": [
            {
                "exit_value": _fx(b.x),
                "causes": list(b.causes),
                "jumps": {h: _fx(v) for h, v in b.jumps.items()},
                "payouts_at": {h: _fx(v) for h, v in b.at.payouts.items()},
                "equilibria_at": len(b.at.profiles),
            }
            for b in an.breakpoints
        ],
        "pieces": [
            {
                "from": _fx(p.lo),
                "to": _fx(p.hi),
                "payouts": {h: {"intercept": _fx(a), "slope": _fx(s)} for h, (a, s) in p.forms.items()},
                "converted": [u.id for u, a in zip(an.units, p.profile) if a],
                "equilibria": len(p.profiles),
                "unique_payouts": p.unique_payouts,
                "proved": p.proved,
                **({"reason": p.reason} if p.reason else {}),
            }
            for p in an.pieces
        ],
    }
    if an.budget is not None or not an.complete:
        # --budget, or z3 gave up somewhere: the budget (if any), what it used, the proved and unknown ranges
        from .coverage import coverage_json

        out["coverage"] = coverage_json(an)
    try:
        from ..solver.crossovers import caps_json, crossovers_json

        out["crossovers"] = crossovers_json(an)
        out["caps"] = caps_json(an)
    except ImportError:  # pragma: no cover - during development
        out["crossovers"], out["caps"] = [], []
    return out


def breakpoints_text(an: Analysis) -> str:
    con, buf = _console()
    m = an.model
    t = Table(title=f"{escape.terminal(m.name)}: breakpoints ({'complete, every piece proved' if an.complete else 'NOT all pieces proved'})",
              title_justify="left")
    t.add_column("Exit value", justify="right")
    t.add_column("Cause")
    t.add_column("Jumps")
    for b in an.breakpoints:
        jumps = "; ".join(f"{h} {'+' if v > 0 else ''}{money(v)}" for h, v in b.jumps.items())
        t.add_row(money(b.x), "\n".join(escape.terminal(c) for c in b.causes), jumps)
    con.print(fit(t))
    t = Table(title="Pieces: payout = intercept + slope × exit value", title_justify="left")
    t.add_column("From", justify="right")
    t.add_column("To", justify="right")
    t.add_column("Converted")
    t.add_column("Marginal dollar (slope)")
    t.add_column("Proved")
    for p in an.pieces:
        slopes = ", ".join(f"{h} {format_exact(s)}" for h, (a, s) in p.forms.items() if s)
        t.add_row(money(p.lo), money(p.hi) if p.hi is not None else "∞",
                  ", ".join(u.id for u, a in zip(an.units, p.profile) if a) or "none",
                  slopes or "-", "yes" if p.proved else f"unknown: {p.reason}")
    con.print(fit(t))
    return buf.getvalue()
