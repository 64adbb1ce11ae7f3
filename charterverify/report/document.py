"""The breakpoint report of one charter: Markdown, a self-contained HTML page, JSON.

`write_report(analysis, out_dir)` writes, for charter id ID:

    out_dir/ID.md              Markdown (charts linked as the two SVG files)
    out_dir/ID.html            one self-contained page (charts inline, CSS inline, no scripts)
    out_dir/ID.json            breakpoints_json(analysis) plus "findings"
    out_dir/ID-payouts.svg     stacked payouts chart
    out_dir/ID-per-share.svg   value per share chart

Output is deterministic (byte-identical on re-run): no timestamps, no absolute
paths, fixed ordering, SVG with a fixed hash salt and no date. Each file is
written to a temporary file in out_dir and moved into place with os.replace.

`build_document` gathers everything the templates show as plain text (strings,
lists, dicts); the Markdown and HTML renderers escape every string they insert.
"""

from __future__ import annotations

import json
import os
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterable

from ..findings import Finding, sort_findings
from ..model import CHARTER_ID_RE, COMMON, Charter, format_exact
from ..solver.breakpoints import Analysis
from ..solver.crossovers import Cap, Crossover, action_word, caps, crossovers
from .breakpoints import breakpoints_json
from .charts import Chart, charts, x_range
from .labels import holder_label
from .payouts import money
from .payouts import ratio_text as ratio

# ---------------------------------------------------------------- number formatting


def exact(x: Fraction | int | None) -> str:
    return "" if x is None else format_exact(x)


def usd(x: Fraction | int | None) -> str:
    """Dollars: '$1,234.50'; a non-terminating amount '~$1,234.57 (exact p/q)'."""
    if x is None:
        return ""
    return money(Fraction(x))


def usd_ps(x: Fraction | int | None) -> str:
    """A per-share amount: always with cents ('$30.00', '$0.90', '$1.7909')."""
    if x is None:
        return ""
    x = Fraction(x)
    if x.denominator == 1:
        return money(x) + ".00"
    return money(x)


def count(x: Fraction | int) -> str:
    """A share count: '8,000,000', or exact 'p/q' with an approximation."""
    x = Fraction(x)
    if x.denominator == 1:
        return f"{x.numerator:,}"
    return f"~{money(round(x, 2)).replace('$', '')} (exact {format_exact(x)})"


def signed_usd(x: Fraction) -> str:
    return ("+" if x > 0 else "") + usd(x)


def pct(x: Fraction) -> str:
    """A share as a percentage: exact when it terminates, else rounded with the exact fraction."""
    x = Fraction(x)
    e = format_exact(x * 100)
    if "/" not in e:
        return f"{e}%"
    return f"~{format_exact(round(x * 100, 2))}% (exact {format_exact(x)})"


def pct_short(x: Fraction) -> str:
    """A share as a percentage, exact when it terminates, else rounded to 0.01%."""
    x = Fraction(x)
    e = format_exact(x * 100)
    return f"{e}%" if "/" not in e else f"~{format_exact(round(x * 100, 2))}%"


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# ---------------------------------------------------------------- the document


def unit_label(model: Charter, unit) -> str:
    if unit.kind == "option":
        return f"Option pool {unit.id}"
    if unit.kind == "class_vote":
        return f"Class vote {unit.id} (Series {_and(list(unit.members))})"
    return f"Series {unit.id}"


def _per_share_of(c: Crossover) -> str:
    if c.unit.kind == "option":
        return f"per option of pool {c.per_share_of} (net of the exercise price)"
    if c.per_share_of == "group":
        return f"per share of the group (Series {_and(list(c.unit.members))}; no series carries the vote alone)"
    if c.unit.kind == "class_vote":
        return f"per share of Series {c.per_share_of} (carries the vote)"
    return f"per share of Series {c.per_share_of}"


def _crossover_row(model: Charter, c: Crossover) -> dict[str, Any]:
    u = c.unit
    acts = action_word(u, True)
    if c.x is None:
        summary = ("never exercised" if u.kind == "option" else "never converts") if not c.switches else (
            f"{'exercised' if u.kind == 'option' else 'converts'} on some ranges only, not at large exit values")
    elif c.x == 0:
        summary = f"{acts} at every positive exit value"
    else:
        summary = f"{acts} above {usd(c.x)}"
    if c.returns:
        summary += f" (changes its choice {len(c.switches)} times: see the table below)"
    fin = c.final
    switches = []
    for sw in c.switches:
        members = [
            {"series": sid, "below": usd_ps(li.below) if li.below is not None else "—", "above": usd_ps(li.above),
             "falls": li.below is not None and li.above < li.below}
            for sid, li in sw.members.items()
        ]
        switches.append({
            "x": usd(sw.x), "x_exact": exact(sw.x), "action": action_word(u, sw.acting),
            "below": usd_ps(sw.per_share.below) if sw.per_share.below is not None else "—",
            "at": usd_ps(sw.per_share.at) if sw.per_share.at is not None else "—",
            "above": usd_ps(sw.per_share.above), "members": members,
        })
    return {
        "unit": unit_label(model, u), "kind": u.kind, "source": u.source or "", "per_share_of": _per_share_of(c),
        "crossover": usd(c.x) if c.x is not None else "none", "crossover_exact": exact(c.x),
        "summary": summary,
        "below": usd_ps(fin.per_share.below) if fin and fin.per_share.below is not None else "—",
        "above": usd_ps(fin.per_share.above) if fin else "—",
        "indifferent": bool(fin and fin.per_share.below == fin.per_share.above),
        "switches": switches, "returns": c.returns,
    }


def _cap_row(model: Charter, c: Cap) -> dict[str, Any]:
    s = model.get_series(c.series)
    zones = []
    for z in c.zones:
        marginal = []
        for ms in z.marginal:
            takers = [{"holder": holder_label(model, h), "share": pct_short(v)} for h, v in ms.shares.items()]
            marginal.append({"from": usd(ms.lo), "to": usd(ms.hi) if ms.hi is not None else "∞", "takers": takers,
                             "text": "; ".join(f"{t['holder']} {t['share']}" for t in takers) or "nobody"})
        ends = {"converts": f"Series {c.series} converts",
                "payout changes": f"Series {c.series}'s payout changes", None: "never (extends to every higher exit value)"}[z.ends]
        zones.append({"from": usd(z.lo), "to": usd(z.hi) if z.hi is not None else "∞", "ends": ends,
                      "marginal": marginal})
    return {
        "series": f"Series {c.series}", "cap_per_share": usd_ps(c.cap_per_share), "cap_total": usd(c.cap_total),
        "source": s.participation.source or "",
        "binds_at": usd(c.binds_at) if c.binds_at is not None else "never",
        "converts_at": usd(c.converts_at) if c.converts_at is not None else "never",
        "crossover": usd(c.crossover) if c.crossover is not None else "none",
        "zones": zones,
    }


def _approx_usd(x: Fraction) -> str:
    return money(round(x, 2)) if "/" in format_exact(x) else money(x)


def _function(a: Fraction, b: Fraction) -> str:
    """'$5,000,000', '0.5 × E − $2,500,000'; with non-terminating numbers rounded, and the
    exact function after it as '(exact b × E + a)'."""
    if b == 0:
        return usd(a)
    inexact = "/" in format_exact(a) or "/" in format_exact(b)
    bb = format_exact(b) if "/" not in format_exact(b) else "~" + format_exact(round(b, 6))
    slope = "E" if b == 1 else f"{bb} × E"
    aa = _approx_usd(abs(a))
    if "/" in format_exact(a):
        aa = "~" + aa
    text = slope if a == 0 else (f"{slope} + {aa}" if a > 0 else f"{slope} − {aa}")
    if inexact:
        ex = format_exact(b) + " × E"
        if a:
            ex += (" + " if a > 0 else " − ") + format_exact(abs(a))
        text += f" (exact {ex})"
    return text


def _assumptions(model: Charter) -> dict[str, Any]:
    ct = model.captable
    shares = []
    for s in model.series:
        shares.append({
            "holder": f"Series {s.id}", "name": s.name, "outstanding": f"{model.outstanding(s.id):,}",
            "designated": f"{s.designated:,}",
            "as_converted": count(s.ratio * model.outstanding(s.id)) if s.conversion else "does not convert",
            "dividends": usd_ps(model.dividends(s.id)),
        })
    shares.append({"holder": "Common", "name": "Common Stock", "outstanding": f"{ct.common_outstanding:,}",
                   "designated": f"{model.common_authorized:,} authorized" if model.common_authorized else "",
                   "as_converted": f"{ct.common_outstanding:,}", "dividends": ""})
    options = [{"id": p.id, "count": f"{p.count:,}", "price": usd_ps(p.exercise_price),
                "buys": "common" if p.buys == COMMON else f"Series {p.buys}", "source": p.source} for p in ct.options]
    external = [{"series": f"Series {s.id}", "name": s.name, "note": s.note or ""} for s in model.series if s.external]
    numbers = [{"key": n.key, "value": n.value if not isinstance(n.value, Fraction) else format_exact(n.value)}
               for n in model.numbers() if n.source == "assumption"]
    for n in numbers:
        n["value"] = f"{n['value']:,}" if isinstance(n["value"], int) else str(n["value"])
    sc = model.scenario
    scenario = []
    if sc.transaction_costs:
        scenario.append(f"Transaction costs of {usd(sc.transaction_costs)} are paid first, out of the exit value.")
    if sc.has_carve_out:
        scenario.append(f"Management carve-out: {usd(sc.carve_out)} plus {pct(sc.carve_out_percent)} of the proceeds "
                        "after costs, paid before the preferences.")
    return {"captable_assumed": ct.assumption, "note": ct.note or "", "shares": shares, "options": options,
            "external": external, "numbers": numbers, "scenario": scenario}


_CAP_READINGS = {
    "own_cap": "each capped series stops at its own cap; the others keep participating",
    "first_cap_ends": "participation of all preferred ends when the first capped series reaches its cap; "
                      "common takes the rest",
}
_CASH_READINGS = {
    "before_preferences": "cash paid on conversion comes first, before any preference",
    "after_preferences": "cash paid on conversion comes after all preferences, before common",
}


def _readings(model: Charter, readings_note: str | None) -> dict[str, Any]:
    r = model.readings
    has_cap = any(s.participation.kind == "capped" for s in model.series)
    has_cash = any(s.conversion and s.conversion.cash_per_share for s in model.series)
    rows = [
        {"name": "cap_dropout", "value": r.cap_dropout, "meaning": _CAP_READINGS[r.cap_dropout],
         "applies": "yes" if has_cap else "no (no capped series)"},
        {"name": "cash_on_conversion", "value": r.cash_on_conversion, "meaning": _CASH_READINGS[r.cash_on_conversion],
         "applies": "yes" if has_cash else "no (no cash on conversion)"},
    ]
    return {"rows": rows, "note": r.note or "", "extra": readings_note or ""}


def _series_terms(model: Charter) -> list[dict[str, str]]:
    rows = []
    for s in model.series:
        t = model.tier_of(s.id)
        rank = next((i for i, tt in enumerate(model.tiers, start=1) if tt is t), None)
        part = s.participation
        rows.append({
            "series": f"Series {s.id}", "name": s.name,
            "preference": usd_ps(s.preference_per_share) if s.preference else "none",
            "tier": f"{rank} ({t.id})" if t else "—",
            "participation": {"none": "none", "full": "full", "capped": f"capped at {usd_ps(part.cap)} per share"}[part.kind],
            "conversion": (f"{ratio(s.ratio)} common per share" + (f" + {usd_ps(s.conversion.cash_per_share)} cash"
                                                                   if s.conversion.cash_per_share else ""))
            if s.conversion else "does not convert",
            "note": s.note or "",
        })
    return rows



def _complete_text(an) -> str:
    if an.tables is not None:
        n = len(an.tables.profiles)
        return (f"Complete: the equilibrium set on every piece and at every breakpoint comes from the exact "
                f"payout tables of all {n} conversion profiles (an exhaustive computation), and z3 proved "
                "every piece's payout functions.")
    return "Complete: every piece is proved by z3 (the equilibrium set and every payout function)."

def summary_finding_text(g) -> dict[str, Any]:
    """One entry of the executive summary: a group of findings in plain words, with its clauses.
    (The one place a finding's strings enter the summary; the templates escape them.)"""
    from .terminal import compress_names, subject

    lead = g.lead
    text = lead.message
    if len(g.findings) > 1:
        subjects = list(dict.fromkeys(s for s in (subject(f) for f in g.findings) if s))
        text += f" ({len(g.findings)} findings like this one" + (f", for {compress_names(subjects)}" if subjects else "") + ")"
    return {"severity": g.severity.label, "rule": g.rule, "clauses": ", ".join(g.clauses()), "text": text,
            "count": len(g.findings)}


def _summary(an: Analysis, findings: list[Finding], exits=None) -> dict[str, Any]:
    """The executive summary: the verdict, the findings that matter most, who gets what."""
    from ..findings import Severity
    from ..solver.exits import results_at
    from .money import cents, percent, price, short_amount
    from .terminal import group_findings, holder_name, holder_shares, round_exits

    m = an.model
    n = {s: sum(1 for f in findings if f.severity == s) for s in Severity}
    groups = group_findings(findings)
    verdict = ("FAIL" if n[Severity.ERROR] else "PASS")
    results, _ = results_at(m, exits or round_exits(m), an)
    rows = []
    for h in m.holders:
        k = holder_shares(m, h)
        cells = []
        for r in results:
            v = r.payouts.get(h, Fraction(0))
            cells.append({"amount": cents(v), "per_share": price(v / k) if k else "",
                          "percent": percent(v / r.exit_value) if r.exit_value else ""})
        rows.append({"holder": holder_name(m, h), "cells": cells})
    return {
        "verdict": verdict,
        "line": (f"{verdict}: {n[Severity.ERROR]} error(s), {n[Severity.WARNING]} warning(s), "
                 f"{n[Severity.INFO]} info finding(s)" + ("" if findings else " (no checks reported)")),
        "ok": not n[Severity.ERROR],
        "top": [summary_finding_text(g) for g in groups[:5]],
        "more": max(0, len(groups) - 5),
        "exits": [short_amount(r.exit_value) for r in results],
        "rows": rows,
        "totals": [cents(sum(r.payouts.values(), Fraction(0))) for r in results],
        "converted": [", ".join(r.converted + r.exercised) or "none" for r in results],
    }


def build_document(an: Analysis, findings: Iterable[Finding] = (), readings_note: str | None = None,
                   chart_list: list[Chart] | None = None, exits=None) -> dict[str, Any]:
    m = an.model
    findings = list(findings)
    holders = [h for h in m.holders]
    bps = []
    for n, b in enumerate(an.breakpoints, start=1):
        bps.append({
            "n": n, "x": usd(b.x), "x_exact": exact(b.x), "causes": list(b.causes),
            "jumps": [{"holder": holder_label(m, h), "amount": signed_usd(v)} for h, v in b.jumps.items()],
            "payouts": [{"holder": holder_label(m, h), "amount": usd(v)} for h, v in b.at.payouts.items() if v],
            "equilibria": len(b.at.profiles), "unique": b.at.unique_payouts,
        })
    pieces = []
    for p in an.pieces:
        conv = [u for u, a in zip(an.units, p.profile) if a]
        pieces.append({
            "from": usd(p.lo), "to": usd(p.hi) if p.hi is not None else "∞",
            "converted": ", ".join(unit_label(m, u) for u in conv) or "none",
            "marginal_items": [f"{holder_label(m, h)} {pct(p.forms[h][1])}" for h in holders
                               if h in p.forms and p.forms[h][1] != 0],
            "functions": [{"holder": holder_label(m, h), "f": _function(*p.forms[h])} for h in holders
                          if h in p.forms and p.forms[h] != (0, 0)],
            "proved": p.proved, "reason": p.reason or "", "equilibria": len(p.profiles), "unique": p.unique_payouts,
        })
    cl = chart_list if chart_list is not None else charts(an)
    fs = [f.to_json() | {"location": (f"{f.file}:{f.line}" if f.file and f.line else f.file or "")}
          for f in sorted(sort_findings(list(findings)), key=lambda f: -int(f.severity))]  # errors first
    for f in fs:
        f["witness_text"] = "; ".join(f"{k} = {v}" for k, v in sorted(f["witness"].items()))
    unproved = sum(1 for p in an.pieces if not p.proved)
    return {
        "id": m.id,
        "name": m.name,
        "model_file": Path(m.path).name,
        "text_file": m.text_path.name if m.text_path else "",
        "document": m.document or "",
        "complete": an.complete,
        "status": (_complete_text(an) if an.complete
                   else f"Not complete: {unproved} piece(s) not proved; their rows say why."),
        "units": [unit_label(m, u) for u in an.units],
        "breakpoints": bps,
        "pieces": pieces,
        "crossovers": [_crossover_row(m, c) for c in crossovers(an)],
        "caps": [_cap_row(m, c) for c in caps(an)],
        "series": _series_terms(m),
        "assumptions": _assumptions(m),
        "readings": _readings(m, readings_note),
        "findings": fs,
        "summary": _summary(an, findings, exits),
        "charts": [{"key": c.key, "title": c.title, "alt": c.alt, "file": f"{m.id}-{c.key}.svg"} for c in cl],
        "x_range": usd(x_range(an)),
    }


# ---------------------------------------------------------------- writing


def _atomic_write(out_dir: Path, name: str, data: bytes) -> Path:
    target = out_dir / name
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return target


def _xlsx(an: Analysis, findings: list[Finding], exits=None) -> bytes:
    """Payouts at round exit values (or the --exit values) and at every breakpoint, and the findings."""
    from ..solver.exits import results_at
    from .tabular import breakpoint_points, exit_points, rows, xlsx_bytes
    from .terminal import round_exits

    m = an.model
    results, _ = results_at(m, exits or round_exits(m), an)
    sheets = [("Payouts at exits", rows(m, exit_points(results))),
              ("Payouts at breakpoints", rows(m, breakpoint_points(an)))]
    return xlsx_bytes(m, sheets, sort_findings(list(findings)))


def report_json(an: Analysis, findings: Iterable[Finding] = ()) -> dict[str, Any]:
    out = breakpoints_json(an)
    out["findings"] = [f.to_json() for f in sort_findings(list(findings))]
    return out


def write_report(analysis: Analysis, out_dir: Path, findings: Iterable[Finding] = (),
                 readings_note: str | None = None, exits=None) -> list[Path]:
    """Write out_dir/<id>.md, .html, .json and the two chart SVGs; return the paths written."""
    from .html import render_html
    from .markdown import render_markdown

    cid = analysis.model.id
    if not CHARTER_ID_RE.fullmatch(cid):  # the loader guarantees this; file names come from it
        raise ValueError(f"charter id {cid!r} is not usable as a file name")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    findings = list(findings)
    cl = charts(analysis)
    doc = build_document(analysis, findings, readings_note, cl, exits=exits)
    files: list[tuple[str, bytes]] = [
        (f"{cid}.md", render_markdown(doc).encode("utf-8")),
        (f"{cid}.html", render_html(doc, cl).encode("utf-8")),
        (f"{cid}.json", (json.dumps(report_json(analysis, findings), indent=2, ensure_ascii=False) + "\n").encode("utf-8")),
    ]
    files += [(f"{cid}-{c.key}.svg", c.svg.encode("utf-8")) for c in cl]
    files.append((f"{cid}.xlsx", _xlsx(analysis, findings, exits)))
    return [_atomic_write(out_dir, name, data) for name, data in files]
