"""Payouts as rows: CSV (`--format csv`), Markdown tables, and the Excel workbook of `--report`.

Every row carries the rounded figure a person reads beside the exact value (a string as
`format_exact` writes it: an integer, a terminating decimal or p/q), so a spreadsheet can use the
one and audit the other. Rows are per holder at each exit value: the requested exits, or every
breakpoint of the analysis.
"""

from __future__ import annotations

import csv
import io
from fractions import Fraction
from typing import Any, Iterable, Sequence

from ..model import Charter, format_exact
from .money import cents, percent, price
from .terminal import holder_name, holder_shares

COLUMNS = ("charter", "point", "exit_value", "exit_value_exact", "holder", "holder_name", "shares",
           "payout", "payout_exact", "per_share", "per_share_exact", "percent_of_proceeds",
           "percent_of_proceeds_exact", "converted")


def _round(x: Fraction, places: int) -> str:
    """x rounded half away from zero to `places` decimals, as a plain decimal string."""
    scale = 10**places
    n = abs(x) * scale
    q = int(n) + (1 if n - int(n) >= Fraction(1, 2) else 0)
    whole, frac = divmod(q, scale)
    return ("-" if x < 0 and q else "") + (f"{whole}.{frac:0{places}d}" if places else str(whole))


def rows(model: Charter, points: Iterable[tuple[str, Fraction, dict[str, Fraction], Sequence[str]]]) -> list[dict[str, Any]]:
    """points: (label, exit value, payouts by holder, units converted)."""
    out = []
    for point, E, payouts, converted in points:
        for h in model.holders:
            v = Fraction(payouts.get(h, 0))
            n = holder_shares(model, h)
            ps = v / n if n else None
            pc = v / E * 100 if E else None
            out.append({
                "charter": model.id, "point": point,
                "exit_value": _round(E, 2), "exit_value_exact": format_exact(E),
                "holder": h, "holder_name": holder_name(model, h), "shares": n if n is not None else "",
                "payout": _round(v, 2), "payout_exact": format_exact(v),
                "per_share": _round(ps, 4) if ps is not None else "",
                "per_share_exact": format_exact(ps) if ps is not None else "",
                "percent_of_proceeds": _round(pc, 2) if pc is not None else "",
                "percent_of_proceeds_exact": format_exact(pc) if pc is not None else "",
                "converted": " ".join(converted),
            })
    return out


def exit_points(results) -> list[tuple[str, Fraction, dict[str, Fraction], Sequence[str]]]:
    return [("exit", r.exit_value, r.payouts, tuple(r.converted) + tuple(r.exercised)) for r in results]


def breakpoint_points(an) -> list[tuple[str, Fraction, dict[str, Fraction], Sequence[str]]]:
    """Payouts at every breakpoint (numbered 1, 2, ... as in the report's table and charts)."""
    out = []
    for i, b in enumerate(an.breakpoints, start=1):
        conv = [u.id for u, a in zip(an.units, b.at.profile) if a]
        out.append((f"breakpoint {i}", b.x, b.at.payouts, conv))
    return out


def to_csv(all_rows: Iterable[dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    for r in all_rows:
        w.writerow(r)
    return buf.getvalue()


def payouts_csv(docs: Iterable[tuple[Charter, list]]) -> str:
    return to_csv(r for m, rs in docs for r in rows(m, exit_points(rs)))


def breakpoints_csv(analyses: Iterable) -> str:
    return to_csv(r for an in analyses for r in rows(an.model, breakpoint_points(an)))


def _md(text: str) -> str:
    """A user string inside a Markdown table cell: inert Markdown (no tag, link or image), pipes escaped."""
    from .escape import markdown

    return markdown(text)  # escapes | too


def payouts_markdown(model: Charter, results) -> str:
    lines = [f"## {_md(model.name)} ({_md(model.id)}): payouts", "",
             "| Holder | " + " | ".join(cents(r.exit_value) for r in results) + " |",
             "| --- | " + " | ".join("---:" for _ in results) + " |"]
    for h in model.holders:
        n = holder_shares(model, h)
        cells = []
        for r in results:
            v = r.payouts.get(h, Fraction(0))
            cells.append(f"{cents(v)}<br>{price(v / n) + '/sh ' if n else ''}{percent(v / r.exit_value) if r.exit_value else ''}")
        lines.append(f"| {_md(holder_name(model, h))} | " + " | ".join(cells) + " |")
    lines.append("| **Total** | " + " | ".join(f"**{cents(sum(r.payouts.values(), Fraction(0)))}**" for r in results) + " |")
    lines.append("| Converted | " + " | ".join(_md(", ".join(r.converted + r.exercised) or "none") for r in results) + " |")
    return "\n".join(lines) + "\n"


def breakpoints_markdown(an) -> str:
    m = an.model
    lines = [f"## {_md(m.name)} ({_md(m.id)}): breakpoints", "",
             "Every piece proved." if an.complete else "**Not every piece is proved.**", "",
             "| # | Exit value | Cause | Jumps |", "| ---: | ---: | --- | --- |"]
    for i, b in enumerate(an.breakpoints, start=1):
        jumps = "; ".join(f"{h} {'+' if v > 0 else ''}{cents(v)}" for h, v in b.jumps.items())
        lines.append(f"| {i} | {cents(b.x)} | {_md('; '.join(b.causes))} | {_md(jumps)} |")
    lines += ["", "### Pieces: payout = intercept + slope × exit value", "",
              "| From | To | Converted | Marginal dollar (slope) | Proved |", "| ---: | ---: | --- | --- | --- |"]
    for p in an.pieces:
        slopes = ", ".join(f"{h} {format_exact(s)}" for h, (a, s) in p.forms.items() if s)
        lines.append(f"| {cents(p.lo)} | {cents(p.hi) if p.hi is not None else '∞'} | "
                     f"{_md(', '.join(u.id for u, a in zip(an.units, p.profile) if a) or 'none')} | {_md(slopes or '-')} | "
                     f"{'yes' if p.proved else _md('unknown: ' + str(p.reason))} |")
    lines += ["", "### Payouts at every breakpoint", ""]
    pts = breakpoint_points(an)
    lines += ["| Holder | " + " | ".join(f"#{i} {cents(E)}" for i, (_, E, _, _) in enumerate(pts, start=1)) + " |",
              "| --- | " + " | ".join("---:" for _ in pts) + " |"]
    for h in m.holders:
        lines.append(f"| {_md(holder_name(m, h))} | " + " | ".join(cents(Fraction(p.get(h, 0))) for _, _, p, _ in pts) + " |")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- Excel


def xlsx_bytes(model: Charter, sheets: Sequence[tuple[str, list[dict[str, Any]]]], findings: Sequence = ()) -> bytes:
    """A workbook: one sheet of payout rows per (title, rows), numbers as numbers (rounded) beside
    the exact strings, and a Findings sheet. Deterministic (fixed document properties)."""
    import datetime

    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    fixed = datetime.datetime(2000, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "charterverify"
    numeric = {"exit_value", "payout", "per_share", "percent_of_proceeds", "shares"}
    for title, rs in sheets:
        ws = wb.create_sheet(title[:31])
        ws.append(list(COLUMNS))
        for r in rs:
            ws.append([(float(r[c]) if c in numeric and r[c] != "" else r[c]) for c in COLUMNS])
        for col, c in zip(ws.columns, COLUMNS):
            if c in ("exit_value", "payout"):
                for cell in col[1:]:
                    cell.number_format = "#,##0.00"
    ws = wb.create_sheet("Findings")
    ws.append(["severity", "rule", "clause", "message", "file", "line"])
    for f in findings:
        ws.append([f.severity.label, f.rule, f.clause or "", f.message, f.file or "", f.line or ""])
    buf = io.BytesIO()
    wb.save(buf)
    return _normalize_zip(buf.getvalue())


def _normalize_zip(data: bytes) -> bytes:
    """Rewrite the archive with fixed member timestamps so the same workbook gives the same bytes."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                import re

                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>2000-01-01T00:00:00Z\2", data)
            dst.writestr(zi, data)
    return out.getvalue()
