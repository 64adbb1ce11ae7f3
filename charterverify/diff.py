"""The redline between two drafts of a charter model.

It compares everything `verify` reports: the changed terms themselves (every model key that
differs, both values and the clause the key's table names), the findings of every kind that
appear or vanish (text checks included when the caller passes them), the breakpoints, and every
holder's payout at the round exit values and at every breakpoint of either draft (old, new,
change).

`diff(...)` compares two analyses (and their findings): which breakpoints moved, appeared or
vanished (matched by their cause text, amounts ignored, so a changed cap "moves" its breakpoint);
for every holder the largest gain and the largest loss of the new draft against the old one,
with the exit value where each happens; and the findings that appeared or vanished (matched by
rule, clause and message). Every number is exact (a string as `format_exact` writes it).

The payout difference new(E) − old(E) is piecewise linear with pieces bounded by the breakpoints
of both drafts, so its extremes are at a breakpoint of either draft (its value there, or a limit
beside a jump: "just above" / "just below"), or beyond the last one, where a non-zero slope
makes the gain or loss unbounded.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any, Iterable

from .findings import Finding, Severity
from .model import Charter, format_exact
from .solver.breakpoints import Analysis, Piece

_AMOUNT_RE = re.compile(r"\$[0-9][0-9,]*(?:\.[0-9]+)?")


def _fx(x) -> str | None:
    return None if x is None else format_exact(Fraction(x))


def _cause_key(cause: str) -> str:
    return _AMOUNT_RE.sub("$…", cause)


# ---------------------------------------------------------------- breakpoints


def _causes(an: Analysis) -> dict[str, list[tuple[Fraction, str]]]:
    out: dict[str, list[tuple[Fraction, str]]] = {}
    for b in an.breakpoints:
        for c in b.causes:
            out.setdefault(_cause_key(c), []).append((b.x, c))
    for v in out.values():
        v.sort()
    return out


def _breakpoints(old: Analysis, new: Analysis) -> dict[str, list[dict[str, Any]]]:
    oc, nc = _causes(old), _causes(new)
    moved, appeared, vanished, unchanged = [], [], [], []
    for key in sorted(set(oc) | set(nc)):
        o, n = oc.get(key, []), nc.get(key, [])
        for (xo, co), (xn, cn) in zip(o, n):
            if xo == xn:
                unchanged.append({"cause": cn, "exit_value": _fx(xn)})
            else:
                row = {"cause": cn, "old": _fx(xo), "new": _fx(xn), "change": _fx(xn - xo)}
                if co != cn:
                    row["old_cause"] = co
                moved.append(row)
        for xo, co in o[len(n):]:
            vanished.append({"cause": co, "exit_value": _fx(xo)})
        for xn, cn in n[len(o):]:
            appeared.append({"cause": cn, "exit_value": _fx(xn)})
    order = lambda r: (Fraction(r.get("new") or r.get("exit_value")), r["cause"])  # noqa: E731
    return {"moved": sorted(moved, key=order), "appeared": sorted(appeared, key=order),
            "vanished": sorted(vanished, key=lambda r: (Fraction(r["exit_value"]), r["cause"])),
            "unchanged": sorted(unchanged, key=order)}


# ---------------------------------------------------------------- payouts


def _form(p: Piece | None, h: str) -> tuple[Fraction, Fraction]:
    if p is None:
        return Fraction(0), Fraction(0)
    return p.forms.get(h, (Fraction(0), Fraction(0)))


def _right_piece(an: Analysis, x: Fraction) -> Piece | None:
    for p in an.pieces:
        if p.lo <= x and (p.hi is None or x < p.hi):
            return p
    return None


def _left_piece(an: Analysis, x: Fraction) -> Piece | None:
    for p in an.pieces:
        if p.lo < x and (p.hi is None or x <= p.hi):
            return p
    return None


def _at(an: Analysis, h: str, x: Fraction) -> Fraction:
    pt = an.points.get(x)
    if pt is not None:
        return pt.payouts.get(h, Fraction(0))
    a, b = _form(_right_piece(an, x), h)
    return a + b * x


def _lim(an: Analysis, h: str, x: Fraction, side: int) -> Fraction:
    a, b = _form(_right_piece(an, x) if side > 0 else _left_piece(an, x), h)
    return a + b * x


def _boundaries(an: Analysis) -> set[Fraction]:
    """Every exit value where a piece of the analysis starts or ends (not the sweep's probes)."""
    return {p.lo for p in an.segments} | {p.hi for p in an.segments if p.hi is not None}


def _holder(old: Analysis, new: Analysis, h: str, xs: list[Fraction]) -> dict[str, Any]:
    cands = []  # (difference, exit value, where, old, new)
    for x in xs:
        o, n = _at(old, h, x), _at(new, h, x)
        cands.append((n - o, x, "at", o, n))
        for side, where in ((-1, "just below"), (1, "just above")):
            if side < 0 and x == 0:
                continue
            o, n = _lim(old, h, x, side), _lim(new, h, x, side)
            cands.append((n - o, x, where, o, n))
    last = xs[-1]
    slope = _form(_right_piece(new, last), h)[1] - _form(_right_piece(old, last), h)[1]

    def pick(sign: int) -> dict[str, Any] | None:
        """The largest |difference| of this sign; ties go to the lowest exit value, a value before a limit."""
        pool = [c for c in cands if c[0] * sign > 0]
        if not pool:
            return None
        d, x, where, o, n = max(pool, key=lambda c: (c[0] * sign, -c[1], c[2] == "at"))
        return {"amount": _fx(d), "exit_value": _fx(x), "where": where, "old": _fx(o), "new": _fx(n)}

    return {
        "gain": pick(1),
        "loss": pick(-1),
        "gain_unbounded": slope > 0,
        "loss_unbounded": slope < 0,
        "beyond": {"from": _fx(last), "slope": _fx(slope)},
    }


# ---------------------------------------------------------------- findings


def _flatten(items: Iterable) -> list[Finding]:
    out: list[Finding] = []
    for it in items or ():
        if isinstance(it, Finding):
            out.append(it)
        else:  # a PropertyResult
            out.extend(getattr(it, "findings", ()))
    return out


def _fkey(f: Finding) -> tuple[str, str, str]:
    return (f.rule, f.clause or "", f.message)


def _findings(old: Iterable, new: Iterable) -> dict[str, list[dict[str, Any]]]:
    of, nf = _flatten(old), _flatten(new)
    ok, nk = {_fkey(f) for f in of}, {_fkey(f) for f in nf}
    order = lambda f: (-int(f.severity), f.rule, f.clause or "", f.message)  # noqa: E731
    return {
        "appeared": [f.to_json() for f in sorted((f for f in nf if _fkey(f) not in ok), key=order)],
        "vanished": [f.to_json() for f in sorted((f for f in of if _fkey(f) not in nk), key=order)],
    }


# ---------------------------------------------------------------- the changed terms


def _raw(model: Charter) -> dict[str, Any]:
    import tomllib

    try:
        with open(model.path, "rb") as fh:
            d = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return d


def _same_text(old: Charter, new: Charter, fo: dict, fn: dict) -> None:
    """The charter text is the same when both models write the same path or point at one file."""
    if "source.text" in fo and "source.text" in fn and fo["source.text"][0] != fn["source.text"][0]:
        if old.text_path is not None and new.text_path is not None and \
                old.text_path.resolve() == new.text_path.resolve():
            fn["source.text"] = fo["source.text"]


def _flat(d: Any, path: str, clause: str | None, out: dict[str, tuple[Any, str | None]]) -> None:
    if isinstance(d, dict):
        here = d.get("source") if isinstance(d.get("source"), str) else clause
        for k, v in d.items():
            _flat(v, f"{path}.{k}" if path else k, here, out)
    elif isinstance(d, list) and d and all(isinstance(x, dict) for x in d):
        for i, x in enumerate(d):
            key = x.get("id", i) if isinstance(x, dict) else i
            _flat(x, f"{path}[{key}]", clause, out)
    else:
        out[path] = (d, clause)


def changed_terms(old_model: Charter, new_model: Charter) -> list[dict[str, Any]]:
    """Every model key whose value differs (added and removed keys included), with the clause the
    key's table cites in each draft (its `source`, or the nearest enclosing one)."""
    fo: dict[str, tuple[Any, str | None]] = {}
    fn: dict[str, tuple[Any, str | None]] = {}
    _flat(_raw(old_model), "", None, fo)
    _flat(_raw(new_model), "", None, fn)
    _same_text(old_model, new_model, fo, fn)
    out = []
    for k in list(fo) + [k for k in fn if k not in fo]:
        o, n = fo.get(k), fn.get(k)
        if o is not None and n is not None and o[0] == n[0]:
            continue
        out.append({"key": k, "old": None if o is None else o[0], "new": None if n is None else n[0],
                    "clause": (n or o)[1], **({"old_clause": o[1]} if o and n and o[1] != n[1] else {})})
    return out


# ---------------------------------------------------------------- payouts at given exit values


def _payout_rows(old: Analysis, new: Analysis, holders: list[str], points: list[tuple[Fraction, str]]) -> list[dict[str, Any]]:
    rows = []
    for x, what in points:
        per = {}
        for h in holders:
            o, n = _at(old, h, x), _at(new, h, x)
            per[h] = {"old": _fx(o), "new": _fx(n), "change": _fx(n - o)}
        rows.append({"exit_value": _fx(x), "at": what, "holders": per})
    return rows


def _round_points(old_model: Charter, new_model: Charter) -> list[Fraction]:
    from .report.terminal import round_exits

    return sorted(set(round_exits(old_model)) | set(round_exits(new_model)))


# ---------------------------------------------------------------- the redline


def diff(old_model: Charter, new_model: Charter, old_analysis: Analysis, new_analysis: Analysis,
         old_findings: Iterable = (), new_findings: Iterable = ()) -> dict[str, Any]:
    """The economic redline of two drafts (JSON-ready: exact numbers as strings)."""
    xs = sorted({Fraction(0)} | _boundaries(old_analysis) | _boundaries(new_analysis))
    holders = list(dict.fromkeys(list(old_model.holders) + list(new_model.holders)))
    return {
        "old": {"charter": old_model.id, "path": old_model.path, "complete": old_analysis.complete},
        "new": {"charter": new_model.id, "path": new_model.path, "complete": new_analysis.complete},
        "breakpoints": _breakpoints(old_analysis, new_analysis),
        "holders": {h: _holder(old_analysis, new_analysis, h, xs) for h in holders},
        "findings": _findings(old_findings, new_findings),
        "terms": changed_terms(old_model, new_model),
        "payouts_at_round_exits": _payout_rows(old_analysis, new_analysis, holders,
                                               [(x, "round exit") for x in _round_points(old_model, new_model)]),
        "payouts_at_breakpoints": _payout_rows(
            old_analysis, new_analysis, holders,
            [(x, " and ".join(w for w, a in (("old", old_analysis), ("new", new_analysis))
                              if any(b.x == x for b in a.breakpoints)))
             for x in sorted({b.x for b in old_analysis.breakpoints} | {b.x for b in new_analysis.breakpoints})]),
    }


def diff_exit_status(d: dict[str, Any], fail_on: Severity = Severity.ERROR) -> int:
    """1 when the new draft adds a finding at or above `fail_on` (default error), else 0."""
    return 1 if any(Severity.parse(f["severity"]) >= fail_on for f in d["findings"]["appeared"]) else 0


# ---------------------------------------------------------------- markdown


def _money(s: str | None) -> str:
    if s is None:
        return ""
    x = Fraction(s)
    exact = format_exact(x)
    if "/" in exact:
        return "~" + _money(format_exact(Fraction(round(x * 100), 100)))
    sign = "−" if x < 0 else ""
    whole, _, dec = exact.lstrip("-").partition(".")
    return f"{sign}${int(whole):,}" + (f".{dec.ljust(2, '0')}" if dec else "")


def _signed(s: str) -> str:
    return ("+" if Fraction(s) > 0 else "") + _money(s)


def _extreme(r: dict[str, Any], kind: str) -> str:
    e = r[kind]
    parts = []
    if e is not None:
        parts.append(f"{_signed(e['amount'])} {e['where']} {_money(e['exit_value'])} "
                     f"({_money(e['old'])} → {_money(e['new'])})")
    if r[f"{kind}_unbounded"]:
        slope = Fraction(r["beyond"]["slope"])
        parts.append(f"unbounded: {'+' if slope > 0 else '−'}{format_exact(abs(slope))} of every $1 "
                     f"above {_money(r['beyond']['from'])}")
    return "; ".join(parts) or "none"


def _cell(text: str) -> str:
    from .report.escape import markdown

    return markdown(text)


def _changed_payouts(rows: list[dict[str, Any]]) -> list[tuple[str, str, str, dict[str, str]]]:
    """(exit value, at, holder, row) for every holder whose payout changes there."""
    out = []
    for r in rows:
        for h, v in r["holders"].items():
            if Fraction(v["change"]) != 0:
                out.append((r["exit_value"], r["at"], h, v))
    return out


def _value(v: Any) -> str:
    return "(absent)" if v is None else str(v)


def _headline(d: dict[str, Any]) -> str:
    fd = d["findings"]
    by = {}
    for f in fd["appeared"]:
        by[f["severity"]] = by.get(f["severity"], 0) + 1
    sev = ", ".join(f"{n} {s}" for s, n in sorted(by.items(), key=lambda kv: -int(Severity.parse(kv[0]))))
    moved = sum(len(d["breakpoints"][k]) for k in ("moved", "appeared", "vanished"))
    return (f"{len(d['terms'])} changed term(s); {len(fd['appeared'])} finding(s) appeared"
            + (f" ({sev})" if sev else "") + f", {len(fd['vanished'])} vanished; {moved} breakpoint change(s)")


def diff_markdown(d: dict[str, Any]) -> str:
    o, n = d["old"], d["new"]
    lines = [f"# Redline: {_cell(o['path'])} → {_cell(n['path'])}", "", _headline(d), ""]
    if not (o["complete"] and n["complete"]):
        lines += ["> Some pieces of the payout functions are not proved: the redline may miss changes there.", ""]
    lines += ["## Changed terms", ""]
    if not d["terms"]:
        lines += ["No term of the model changed.", ""]
    else:
        lines += ["| term | clause | old | new |", "| --- | --- | --- | --- |"]
        for t in d["terms"]:
            lines.append(f"| `{_cell(t['key'])}` | {_cell(t['clause'] or '')} | {_cell(_value(t['old']))} | {_cell(_value(t['new']))} |")
        lines.append("")
    fd = d["findings"]
    lines += ["## Findings", ""]
    if not (fd["appeared"] or fd["vanished"]):
        lines += ["No finding appeared or vanished.", ""]
    for title, rows in (("Appeared", fd["appeared"]), ("Vanished", fd["vanished"])):
        if rows:
            lines += [f"### {title}", ""]
            for f in rows:
                clause = f" ({_cell(f['clause'])})" if f.get("clause") else ""
                lines.append(f"- **{f['severity']}** `{f['rule']}`{clause}: {_cell(f['message'])}")
            lines.append("")
    for title, key in (("Payouts at round exit values", "payouts_at_round_exits"),
                       ("Payouts at the breakpoints of either draft", "payouts_at_breakpoints")):
        ch = _changed_payouts(d[key])
        lines += [f"## {title}", ""]
        if not ch:
            lines += [f"No payout changes at any of the {len(d[key])} exit values.", ""]
            continue
        lines += ["| exit value | holder | old | new | change |", "| ---: | --- | ---: | ---: | ---: |"]
        for x, at, h, v in ch:
            lines.append(f"| {_money(x)}{' (' + at + ')' if at != 'round exit' else ''} | {_cell(h)} | "
                         f"{_money(v['old'])} | {_money(v['new'])} | {_signed(v['change'])} |")
        lines += ["", f"Unchanged elsewhere ({len(d[key])} exit values compared, every holder).", ""]
    bp = d["breakpoints"]
    lines += ["## Breakpoints", ""]
    if not (bp["moved"] or bp["appeared"] or bp["vanished"]):
        lines += [f"No breakpoint changed ({len(bp['unchanged'])} unchanged).", ""]
    else:
        lines += ["| change | cause | old | new |", "| --- | --- | --- | --- |"]
        for r in bp["moved"]:
            lines.append(f"| moved {_signed(r['change'])} | {_cell(r['cause'])} | {_money(r['old'])} | {_money(r['new'])} |")
        for r in bp["appeared"]:
            lines.append(f"| appeared | {_cell(r['cause'])} | | {_money(r['exit_value'])} |")
        for r in bp["vanished"]:
            lines.append(f"| vanished | {_cell(r['cause'])} | {_money(r['exit_value'])} | |")
        lines += ["", f"{len(bp['unchanged'])} breakpoint cause(s) unchanged.", ""]
    lines += ["## Largest gain and loss per holder (new − old, over every exit value)", "",
              "| holder | largest gain | largest loss |", "| --- | --- | --- |"]
    for h, r in d["holders"].items():
        lines.append(f"| {_cell(h)} | {_extreme(r, 'gain')} | {_extreme(r, 'loss')} |")  # amounts: no user text
    lines.append("")
    return "\n".join(lines)


def diff_text(d: dict[str, Any], width: int | None = None) -> str:
    """The redline for the terminal: the same sections as the Markdown, as fitted tables."""
    from .report.money import cents, signed_cents
    from .report.terminal import _table, console, label, print_finding_changes

    con, buf = console(width)
    o, n = d["old"], d["new"]
    con.print(f"Redline {label(o['path'])} -> {label(n['path'])}: {_headline(d)}")
    if not (o["complete"] and n["complete"]):
        con.print("Some pieces of the payout functions are not proved: the redline may miss changes there.")
    con.print()
    if d["terms"]:
        t = _table("Changed terms")
        w = con.width
        t.add_column("Term", overflow="fold", min_width=min(max(len(r["key"]) for r in d["terms"]), w // 3))
        t.add_column("Clause", overflow="fold", min_width=min(max(len(r["clause"] or "") for r in d["terms"]), w // 5))
        for c in ("Old", "New"):
            t.add_column(c, overflow="fold")
        for r in d["terms"]:
            t.add_row(label(r["key"]), label(r["clause"] or ""), label(_value(r["old"])), label(_value(r["new"])))
        con.print(t)
    else:
        con.print("No term of the model changed.")
    fd = d["findings"]
    print_finding_changes(con, fd)
    if not (fd["appeared"] or fd["vanished"]):
        con.print("No finding appeared or vanished.")
    for title, key in (("Payouts at round exit values", "payouts_at_round_exits"),
                       ("Payouts at the breakpoints of either draft", "payouts_at_breakpoints")):
        ch = _changed_payouts(d[key])
        con.print()
        if not ch:
            con.print(f"{title}: no change at any of the {len(d[key])} exit values.")
            continue
        con.print(f"{title} (holders whose payout changes; the others are unchanged):")
        t = _table(None)
        bps = key == "payouts_at_breakpoints"
        cols = [("Exit value", "right")] + ([("Of", "left")] if bps else []) + [
            ("Holder", "left"), ("Old", "right"), ("New", "right"), ("Change", "right")]
        for c, j in cols:
            t.add_column(c, justify=j, overflow="fold")
        for x, at, h, v in ch:
            t.add_row(cents(Fraction(x)), *([at] if bps else []), label(h),
                      cents(Fraction(v["old"])), cents(Fraction(v["new"])), signed_cents(Fraction(v["change"])))
        con.print(t)
    bp = d["breakpoints"]
    con.print()
    if bp["moved"] or bp["appeared"] or bp["vanished"]:
        t = _table("Breakpoints that moved, appeared or vanished")
        for c in ("Change", "Cause", "Old", "New"):
            t.add_column(c, overflow="fold")
        for r in bp["moved"]:
            t.add_row("moved " + signed_cents(Fraction(r["change"])), label(r["cause"]), cents(Fraction(r["old"])),
                      cents(Fraction(r["new"])))
        for r in bp["appeared"]:
            t.add_row("appeared", label(r["cause"]), "", cents(Fraction(r["exit_value"])))
        for r in bp["vanished"]:
            t.add_row("vanished", label(r["cause"]), cents(Fraction(r["exit_value"])), "")
        con.print(t)
    else:
        con.print(f"No breakpoint changed ({len(bp['unchanged'])} unchanged).")
    return buf.getvalue()
