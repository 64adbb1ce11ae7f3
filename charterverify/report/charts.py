"""Charts of a breakpoint analysis, drawn from its exact values.

The payout functions are piecewise linear, so each curve is drawn through exact
vertices: exit value 0, the left and right limits at every breakpoint (a jump is a
vertical step), and the right end of the range. Floats appear only when the
vertices are handed to matplotlib.

Output is SVG, deterministic: a fixed `svg.hashsalt`, no date or creator in the
metadata, text kept as text (`svg.fonttype = none`, no glyph definitions), and no
mathtext (a `$` in a label stays a dollar sign).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from fractions import Fraction

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from ..model import COMMON, Charter  # noqa: E402
from ..solver.breakpoints import Analysis  # noqa: E402
from .payouts import stack_total  # noqa: E402

HASH_SALT = "charterverify"
RC = {
    "svg.hashsalt": HASH_SALT,
    "svg.fonttype": "none",
    "text.parse_math": False,
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.25,
    "grid.linewidth": 0.6,
}
MAX_LABELLED_BREAKPOINTS = 14
PALETTE = [
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#2b2d8f", "#a6761d", "#1b9e77", "#e7298a", "#66a61e", "#7570b3",
    "#d95f02", "#8dd3c7", "#fb8072", "#80b1d3",
]
COMMON_COLOR = "#555555"


@dataclass(frozen=True)
class Chart:
    key: str  # "payouts" | "per-share"
    title: str
    alt: str
    svg: str  # a standalone SVG document


def _nice_up(v: Fraction) -> Fraction:
    """v rounded up to two significant digits (exactly): 229,617,372.67 -> 230,000,000."""
    if v <= 0:
        return Fraction(1)
    m = Fraction(1)
    while v / m >= 100:
        m *= 10
    while v / m < 10:
        m /= 10
    return -(-v // m) * m


def x_range(an: Analysis) -> Fraction:
    """Right end of the drawn range: about 1.5 × the last breakpoint (or 2 × the preference stack)."""
    if an.breakpoints:
        return _nice_up(an.breakpoints[-1].x * Fraction(3, 2))
    s = stack_total(an.model)
    if s > 0:
        return _nice_up(2 * s)
    return _nice_up(Fraction(max(1, an.model.captable.common_outstanding)))


def vertices(an: Analysis, xmax: Fraction) -> tuple[list[Fraction], dict[str, list[Fraction]]]:
    """Exact vertices of every holder's payout on [0, xmax]: both one-sided limits at each jump."""
    holders = [h for h in an.model.holders if an.pieces and h in an.pieces[0].forms]
    xs: list[Fraction] = []
    ys: dict[str, list[Fraction]] = {h: [] for h in holders}

    def add(x: Fraction, piece) -> None:
        vals = [piece.at(h, x) for h in holders]
        if xs and xs[-1] == x and all(ys[h][-1] == v for h, v in zip(holders, vals)):
            return
        xs.append(x)
        for h, v in zip(holders, vals):
            ys[h].append(v)

    for p in an.pieces:
        if p.lo >= xmax:
            break
        add(p.lo, p)
        end = xmax if p.hi is None or p.hi > xmax else p.hi
        add(end, p)
    return xs, ys


def _label(model: Charter, h: str) -> str:
    from .labels import holder_label  # one wording for holders in tables and charts

    return holder_label(model, h)


def _colors(model: Charter, holders: list[str]) -> list[str]:
    out = []
    k = 0
    for h in holders:
        if h == COMMON:
            out.append(COMMON_COLOR)
        else:
            out.append(PALETTE[k % len(PALETTE)])
            k += 1
    return out


def _scale(xmax: Fraction) -> tuple[float, str]:
    if xmax >= 10**9 * 2:
        return 1e9, "billions"
    if xmax >= 10**6 * 2:
        return 1e6, "millions"
    if xmax >= 10**3 * 2:
        return 1e3, "thousands"
    return 1.0, ""


def _legend(ax, n: int) -> None:
    """Outside the plot, on the right: never hides a curve."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, fontsize=8, frameon=False,
              ncol=2 if n > 14 else 1)


def _usd(what: str, word: str) -> str:
    """'Exit value ($M)': the unit on the axis label, so the ticks can stay short numbers."""
    short = {"billions": "$B", "millions": "$M", "thousands": "$K"}.get(word, "$")
    return f"{what} ({short})"


def _mark_breakpoints(ax, an: Analysis, xmax: Fraction, unit: float) -> None:
    """A dashed line at every breakpoint, numbered as in the report's breakpoint table; numbers of
    breakpoints close together are stacked in rows above the plot so none hides another."""
    shown = [(n, b) for n, b in enumerate(an.breakpoints, start=1) if b.x <= xmax]
    last_in_row: list[float] = []
    gap = float(xmax) / unit * 0.028
    for n, b in shown:
        x = float(b.x) / unit
        ax.axvline(x, color="#333333", linestyle=(0, (3, 3)), linewidth=0.7, alpha=0.7, zorder=3)
        hit = ax.axvline(x, color="#000000", linewidth=7, alpha=0.0, zorder=6)  # hover target for the tooltip
        hit.set_gid(f"cvbp{n}")
        row = next((r for r, lx in enumerate(last_in_row) if x - lx >= gap), None)
        if row is None:
            row = len(last_in_row)
            last_in_row.append(x)
        last_in_row[row] = x
        ax.annotate(str(n), xy=(x, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(0, 2 + 8 * row), textcoords="offset points", ha="center", va="bottom",
                    fontsize=6.5 if len(shown) > MAX_LABELLED_BREAKPOINTS else 7, color="#333333")


def _mark_zones_and_conversions(ax, an: Analysis, xmax: Fraction, unit: float, colors: dict[str, str],
                                denom: dict[str, int]) -> None:
    """Flat zones (a capped series' payout held) as a bar under the curves, labelled 'flat B';
    each crossover (a unit converts for good) as a dot on its per-share line, labelled 'B converts'."""
    from ..solver.crossovers import caps, crossovers

    row_end: list[float] = []
    span = float(xmax) / unit
    for c in caps(an):
        for z in c.zones:
            lo = float(z.lo) / unit
            if lo >= span:
                continue
            hi = min(float(z.hi) / unit if z.hi is not None else span, span)
            row = next((r for r, e in enumerate(row_end) if lo >= e + span * 0.01), len(row_end))
            if row == len(row_end):
                row_end.append(hi)
            row_end[row] = hi
            y = 0.015 + 0.035 * row
            col = colors.get(c.series, "#777777")
            ax.plot([lo, hi], [y, y], transform=ax.get_xaxis_transform(), color=col, linewidth=3,
                    solid_capstyle="butt", alpha=0.8, zorder=4)
            ax.annotate(f"flat {c.series}", xy=(lo, y), xycoords=("data", "axes fraction"), xytext=(2, 3),
                        textcoords="offset points", fontsize=6, color=col, va="bottom")
    for c in crossovers(an):
        if c.x is None or c.x >= xmax or c.final is None:
            continue
        h = c.per_share_of if c.per_share_of in denom else None
        if h is None:
            continue
        y = float(c.final.per_share.above)
        ax.plot([float(c.x) / unit], [y], marker="o", markersize=4, color=colors.get(h, "#333333"), zorder=5)
        ax.annotate(f"{c.unit.id} converts", xy=(float(c.x) / unit, y), xytext=(3, -9), textcoords="offset points",
                    fontsize=6, color=colors.get(h, "#333333"))


def _tooltips(svg: str, an: Analysis) -> str:
    """Hovering a breakpoint line shows its number, exit value and every holder's payout there
    (an SVG <title>: a native tooltip, no script)."""
    from html import escape

    from .money import cents

    m = an.model
    for n, b in enumerate(an.breakpoints, start=1):
        pays = "; ".join(f"{_label(m, h)} {cents(v)}" for h, v in b.at.payouts.items())
        tip = escape(f"#{n} at {cents(b.x)}: {pays}", quote=False)
        svg = re.sub(rf'<g id="cvbp{n}">', lambda mo, t=tip: f"{mo.group(0)}<title>{t}</title>", svg, count=1)
    return svg


def _fmt_axis(unit: float):
    def f(v, _pos):
        if unit == 1.0:
            return f"{v:,.0f}"
        return f"{v:,.0f}" if abs(v - round(v)) < 1e-9 else f"{v:,.1f}"
    return FuncFormatter(f)


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return buf.getvalue()


def payouts_chart(an: Analysis) -> Chart:
    m = an.model
    xmax = x_range(an)
    xs, ys = vertices(an, xmax)
    holders = [h for h in ys if any(v != 0 for v in ys[h])] or list(ys)
    unit, word = _scale(xmax)
    with matplotlib.rc_context(RC):
        fig, ax = plt.subplots(figsize=(9, 4.6))
        fx = [float(x) / unit for x in xs]
        ax.stackplot(fx, [[float(v) / unit for v in ys[h]] for h in holders],
                     labels=[_label(m, h) for h in holders], colors=_colors(m, holders),
                     alpha=0.85, linewidth=0.4, edgecolor="white")
        _mark_breakpoints(ax, an, xmax, unit)
        ax.set_xlim(0, float(xmax) / unit)
        ax.set_ylim(bottom=0)
        ax.set_xlabel(_usd("Exit value", word))
        ax.set_ylabel(_usd("Payout", word))
        ax.xaxis.set_major_formatter(_fmt_axis(unit))
        ax.yaxis.set_major_formatter(_fmt_axis(unit))
        _legend(ax, len(holders))
        fig.tight_layout()
        svg = _tooltips(_svg(fig), an)
    return Chart("payouts", "Payout per holder vs exit value (stacked)",
                 "Stacked area chart of each holder's payout against the exit value; dashed lines mark the breakpoints.",
                 svg)


def per_share_chart(an: Analysis) -> Chart:
    m = an.model
    xmax = x_range(an)
    xs, ys = vertices(an, xmax)
    denom: dict[str, int] = {s.id: m.outstanding(s.id) for s in m.series}
    denom[COMMON] = m.captable.common_outstanding
    for p in m.captable.options:
        denom[p.id] = p.count
    holders = [h for h in ys if h in denom and denom[h] > 0]
    unit, word = _scale(xmax)
    with matplotlib.rc_context(RC):
        fig, ax = plt.subplots(figsize=(9, 4.6))
        fx = [float(x) / unit for x in xs]
        for h, c in zip(holders, _colors(m, holders)):
            ax.plot(fx, [float(v / denom[h]) for v in ys[h]], label=_label(m, h), color=c,
                    linewidth=2.0 if h == COMMON else 1.5)
        _mark_breakpoints(ax, an, xmax, unit)
        _mark_zones_and_conversions(ax, an, xmax, unit, {h: c for h, c in zip(holders, _colors(m, holders))}, denom)
        ax.set_xlim(0, float(xmax) / unit)
        ax.set_ylim(bottom=0)
        ax.set_xlabel(_usd("Exit value", word))
        ax.set_ylabel("Value per share ($; per option, net, for pools)" if m.captable.options else "Value per share ($)")
        ax.xaxis.set_major_formatter(_fmt_axis(unit))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.2f}"))
        _legend(ax, len(holders))
        fig.tight_layout()
        svg = _tooltips(_svg(fig), an)
    return Chart("per-share", "Value per share vs exit value",
                 "Line chart of the value per share of each series, of common and per option against the exit value; "
                 "dashed lines mark the breakpoints, bars at the bottom the flat zones of capped series, dots the "
                 "exit values above which a series converts.", svg)


def charts(an: Analysis) -> list[Chart]:
    return [payouts_chart(an), per_share_chart(an)]


_HEAD_RE = re.compile(r"\A.*?(?=<svg\b)", re.S)
_META_RE = re.compile(r"\s*<metadata>.*?</metadata>", re.S)


def inline_svg(svg: str, prefix: str) -> str:
    """An SVG document as an element for an HTML page: no XML prolog or metadata, ids prefixed
    (two charts on one page never share an id), scaled by CSS."""
    s = _HEAD_RE.sub("", svg, count=1)
    s = _META_RE.sub("", s)
    s = re.sub(r'\bid="([^"]+)"', lambda m_: f'id="{prefix}{m_.group(1)}"', s)
    s = s.replace("url(#", f"url(#{prefix}")
    s = re.sub(r'href="#', f'href="#{prefix}', s)
    return s.strip() + "\n"
