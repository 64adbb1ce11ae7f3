"""The terminal output of `verify CHARTER.toml`: what matters first, fitted to the terminal.

Order: the verdict line (charter, errors / warnings, exit status); the findings by severity,
one entry each with its clause, findings that state one fact for many holders grouped into one
entry; who gets what at round exit values (amount, per share, % of proceeds, a total row); who
converts when; a legend. The model's restatement (preference stack, participation) comes only
with --verbose.

Tables fit the width (COLUMNS or the terminal); a cell wraps at spaces, never cut with "…"; a
table of payouts too wide for the terminal is split into several with fewer exit values.

User strings reach the output through two functions only: `finding_text` (a finding or group of
findings) and `label` (a holder, unit, charter or clause label).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Iterable, Sequence

from rich import box
from rich.table import Table

from ..findings import Finding, Severity
from ..model import COMMON, Charter
from .console import console, terminal_width  # noqa: F401 - re-exported for the renderers
from .money import cents, percent, price, short_amount

# ---------------------------------------------------------------- width and console


def _table(title: str | None = None, **kw) -> Table:
    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                 padding=(0, 1), show_edge=False, **kw)


# ---------------------------------------------------------------- the one place for user strings


def label(text: str) -> str:
    """A label from the model or the charter text (holder, unit, clause, charter name) as shown:
    control characters, bidi overrides and line breaks as visible escapes (the console prints
    with markup off, so brackets are text)."""
    from .escape import terminal

    return terminal(str(text))


def holder_name(model: Charter, h: str) -> str:
    """The holder's label (report/labels.py), as shown on a terminal."""
    from .labels import holder_label

    return label(holder_label(model, h))


def compress_names(names: Sequence[str]) -> str:
    """'B, C, D, E, G1-G6': runs of three or more consecutive numbered names collapse."""
    out: list[str] = []
    i = 0
    pat = re.compile(r"^(.*?)(\d+)$")
    while i < len(names):
        m = pat.match(names[i])
        j = i
        if m:
            while j + 1 < len(names):
                n = pat.match(names[j + 1])
                if not n or n.group(1) != m.group(1) or int(n.group(2)) != int(m.group(2)) + (j + 1 - i):
                    break
                j += 1
        if j - i >= 2:
            out.append(f"{names[i]}{' to ' if '-' in names[i] else '-'}{names[j]}")
        else:
            out.extend(names[i:j + 1])
        i = j + 1
    return ", ".join(out)


# ---------------------------------------------------------------- findings, grouped


_SUBJECT_KEYS = ("holder", "series", "junior", "unit")
_MASKS = [  # what may differ between findings of one fact: the series named, amounts, a line number
    (re.compile(r"\(?Series [A-Za-z0-9][\w-]*\)?"), "Series _"),
    (re.compile(r"\babout "), ""),
    (re.compile(r"\$[0-9][0-9,]*(?:\.[0-9]+)?"), "$_"),
    (re.compile(r"\blines? [0-9]+(?:-[0-9]+)?"), "line _"),
]


def _masked(msg: str) -> str:
    for pat, rep in _MASKS:
        msg = pat.sub(rep, msg)
    return msg


def subject(f: Finding) -> str | None:
    for k in _SUBJECT_KEYS:
        v = f.witness.get(k) if isinstance(f.witness, dict) else None
        if isinstance(v, str) and v:
            return v
    return None


@dataclass(frozen=True)
class Group:
    """Findings that state one fact (same severity and rule; same clause or same wording)."""

    findings: tuple[Finding, ...]

    @property
    def severity(self) -> Severity:
        return self.findings[0].severity

    @property
    def rule(self) -> str:
        return self.findings[0].rule

    @property
    def lead(self) -> Finding:
        """The finding shown in full: the largest drop where there is one, else the first."""
        def drop(f: Finding) -> Fraction:
            try:
                return Fraction(str(f.witness.get("drop", "0")))
            except (ValueError, ZeroDivisionError):
                return Fraction(0)
        return max(self.findings, key=drop) if any("drop" in f.witness for f in self.findings) else self.findings[0]

    def clauses(self) -> list[str]:
        out: list[str] = []
        for f in self.findings:
            for c in (f.clause or "").split("; "):
                if c and c not in out:
                    out.append(c)
        return out


def group_findings(findings: Iterable[Finding]) -> list[Group]:
    """Severity first (errors first), then rule; findings of one fact merged into one group."""
    fs = list(findings)
    parent = list(range(len(fs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[tuple, int] = {}
    for i, f in enumerate(fs):
        keys = [("m", f.severity, f.rule, _masked(f.message))]
        if subject(f) is not None and f.clause:
            keys.append(("c", f.severity, f.rule, f.clause))
        for k in keys:
            if k in seen:
                parent[find(i)] = find(seen[k])
            else:
                seen[k] = i
    groups: dict[int, list[Finding]] = {}
    for i, f in enumerate(fs):
        groups.setdefault(find(i), []).append(f)
    out = [Group(tuple(g)) for g in groups.values()]
    out.sort(key=lambda g: (-int(g.severity), g.rule, g.findings[0].file or "", g.findings[0].line or 0))
    return out


def _where(fs: Sequence[Finding]) -> str:
    files: dict[str, list[int]] = {}
    for f in fs:
        if f.file:
            files.setdefault(Path(f.file).name, [])
            if f.line and f.line not in files[Path(f.file).name]:
                files[Path(f.file).name].append(f.line)
    parts = []
    for name, lines in files.items():
        parts.append(name + (":" + ", ".join(str(n) for n in lines) if lines else ""))
    return "; ".join(parts)


def finding_text(g: Group) -> str:
    """The text of one finding or group: the lead message, then what the group adds, then where."""
    lead = g.lead
    parts = [label(lead.message)]
    if len(g.findings) > 1:
        subjects = [s for s in (subject(f) for f in g.findings) if s]
        subjects = list(dict.fromkeys(subjects))
        extra = f"{len(g.findings)} findings like this one"
        if subjects:
            extra += f", for {label(compress_names(subjects))}"
        if "drop" in lead.witness and subject(lead):
            extra += (f"; the worst drop is {label(subject(lead))}'s, "
                      f"{cents(Fraction(str(lead.witness['drop'])))} at {cents(Fraction(str(lead.witness.get('breakpoint', lead.witness.get('exit_high', '0')))))}")
        parts.append(f"[{extra}]")
    parts.append(f"({g.rule}; {_where(g.findings)})")
    return " ".join(parts)


def findings_table(groups: Sequence[Group], width: int) -> Table | None:
    if not groups:
        return None
    t = _table(None, show_header=True, expand=False)
    t.add_column("", no_wrap=True)  # severity
    clause_w = max((len(c) for g in groups for c in g.clauses()), default=6)
    t.add_column("Clause", min_width=min(clause_w, max(10, width // 4)), overflow="fold")
    t.add_column("Finding", overflow="fold", ratio=1)
    for g in groups:
        t.add_row(g.severity.label, "\n".join(label(c) for c in g.clauses()) or "-", finding_text(g))
    return t


# ---------------------------------------------------------------- verdict


def counts(findings: Iterable[Finding]) -> dict[Severity, int]:
    out = {s: 0 for s in Severity}
    for f in findings:
        out[f.severity] += 1
    return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 or word == "info" else "s")


def verdict_line(charter_id: str, name: str | None, findings: Sequence[Finding], fail_on: Severity) -> str:
    c = counts(findings)
    failing = sum(n for s, n in c.items() if s >= fail_on)
    status = 1 if failing else 0
    head = "FAIL" if failing else "PASS"
    who = label(f"{name} ({charter_id})" if name else charter_id)
    return (f"{head} {who}: {_plural(c[Severity.ERROR], 'error')}, {_plural(c[Severity.WARNING], 'warning')}, "
            f"{_plural(c[Severity.INFO], 'info')}; exit {status}"
            + ("" if fail_on == Severity.ERROR else f" (--fail-on {fail_on.label})"))


# ---------------------------------------------------------------- who gets what


def round_exits(model: Charter) -> list[Fraction]:
    """Four round exit values around the preference stack S: the first of 1, 2, 5 x 10^k at or
    above S/2, S, 2S and 5S (Quintus, S = $73.8M: $50M, $100M, $200M, $500M)."""
    from .payouts import stack_total

    S = stack_total(model)
    if S <= 0:
        S = Fraction(model.captable.common_outstanding or 1)

    def nice(x: Fraction) -> Fraction:
        k = Fraction(1)
        while k * 10 <= x:
            k *= 10
        while k > x:
            k /= 10
        for m in (1, 2, 5, 10):
            if m * k >= x:
                return m * k
        return 10 * k  # pragma: no cover

    return sorted({nice(S / 2), nice(S), nice(2 * S), nice(5 * S)})


def holder_shares(model: Charter, h: str) -> int | None:
    if h == COMMON:
        return model.captable.common_outstanding
    if any(s.id == h for s in model.series):
        return model.outstanding(h)
    for p in model.captable.options:
        if p.id == h:
            return p.count
    return None


def who_gets_what_rows(model: Charter, results) -> list[dict]:
    """Per holder and exit: amount, per share (of the holder's own shares), share of proceeds."""
    rows = []
    for r in results:
        E = r.exit_value
        for h in model.holders:
            v = r.payouts.get(h, Fraction(0))
            n = holder_shares(model, h)
            rows.append({"exit_value": E, "holder": h, "amount": v,
                         "per_share": (v / n) if n else None,
                         "percent": (v / E) if E else None})
    return rows


def _payout_cell(v: Fraction, n: int | None, E: Fraction) -> str:
    per = f"{price(v / n)}/sh" if n else ""
    pc = percent(v / E) if E else ""
    return f"{cents(v)}\n{per} {pc}".rstrip()


def who_gets_what(model: Charter, results, width: int, title: str = "Who gets what") -> list:
    """The title, then one or more tables (split by exit value to fit the width), each closed by a
    total row; print each item in turn."""
    holders = list(model.holders)
    cells = {(h, i): _payout_cell(r.payouts.get(h, Fraction(0)), holder_shares(model, h), r.exit_value)
             for i, r in enumerate(results) for h in holders}
    col_w = [max(len(x) for h in holders for x in cells[(h, i)].split("\n")) for i in range(len(results))]
    col_w = [max(w, len(cents(r.exit_value)) + 2, 10) for w, r in zip(col_w, results)]
    name_w = max([len(holder_name(model, h)) for h in holders] + [len("Converted")])
    tables: list = [title]
    i = 0
    while i < len(results):
        used, j = name_w + 1, i
        while j < len(results) and (j == i or used + col_w[j] + 2 <= width):
            used += col_w[j] + 2
            j += 1
        chunk = list(range(i, j))
        t = _table(None)
        t.add_column("Holder", no_wrap=True)
        for k in chunk:
            t.add_column(f"at {short_amount(results[k].exit_value)}", justify="right", min_width=col_w[k],
                         overflow="fold")
        for h in holders:
            t.add_row(holder_name(model, h), *[cells[(h, k)] for k in chunk])
        t.add_section()
        t.add_row("Total", *[f"{cents(sum(results[k].payouts.values(), Fraction(0)))}\n100.0%" for k in chunk])
        t.add_row("Converted", *[", ".join(label(x) for x in results[k].converted + results[k].exercised) or "none"
                                 for k in chunk])
        if any(results[k].equilibria != 1 for k in chunk):
            t.add_row("Equilibria", *[f"{results[k].equilibria}" + ("" if results[k].unique_payouts else ", payouts differ")
                                      for k in chunk])
        tables.append(t)
        i = j
    return tables


# ---------------------------------------------------------------- who converts when


def conversions_table(analysis) -> Table:
    from ..solver.crossovers import crossovers

    t = _table("Who converts when (every switch, over all exit values)")
    t.add_column("Unit", overflow="fold")
    t.add_column("Converts for every exit above", justify="right", overflow="fold")
    t.add_column("Switches", overflow="fold", ratio=1)
    for c in crossovers(analysis):
        name = c.unit.id if c.unit.kind != "class_vote" else f"vote {c.unit.id} ({', '.join(c.unit.members)})"
        sw = "; ".join(f"{'converts' if w.acting else 'stops'} at {cents(w.x)}" for w in c.switches) or "never"
        t.add_row(label(name), cents(c.x) if c.x is not None else "never", sw)
    return t


# ---------------------------------------------------------------- the legend and --explain

TERMS: dict[str, str] = {
    "equilibria": "Each series (or class-vote group, or option pool) converts only if that leaves it strictly "
                  "better off given what the others do. A conversion profile where nobody wants to change is an "
                  "equilibrium; `verify` finds all of them. When there is more than one, the payouts shown are "
                  "those of the one with the fewest conversions, and the table says whether payouts differ.",
    "breakpoint": "An exit value where some holder's payout changes slope or jumps: a preference is paid in "
                  "full, a cap binds, a series converts. Between two breakpoints every payout is a straight "
                  "line (a piece).",
    "flat zone": "A range of exit values where a capped series' payout stays at its cap: the series gains nothing "
                 "from a higher price until converting to common beats the cap.",
    "cap_dropout": "How a participating series with a cap is paid once it is capped (the model's reading of the "
                   "clause). own_cap: the series stops at its own cap and the rest goes to the others; other "
                   "readings are listed in docs/charter-format.md.",
    "cash_on_conversion": "A fixed amount a series receives on converting, in addition to common. "
                          "before_preferences: it is paid ahead of every preference (as some charters word it); "
                          "after_preferences: it ranks behind them.",
    "class vote": "Several series that convert together when a stated majority of them votes to: one decision "
                  "for the whole group. 'Carried by A' means Series A holds enough votes to decide alone.",
    "per share": "A holder's payout divided by the shares it holds (preferred shares for a series, options for "
                 "a pool), before any conversion.",
    "% of proceeds": "A holder's payout as a part of the whole exit value.",
    "≈": "The exact amount is not a whole number of cents; the figure shown is rounded to the cent. "
         "`--format json` gives every amount exactly (an integer, a decimal or p/q).",
    "monotonicity": "A holder should never receive less when the company sells for more. A finding shows the two "
                    "exit values, one dollar apart, where the payout falls, and why.",
    "priority": "A junior series should not be paid ahead of a senior preference that is not yet paid in full.",
}


def explain(term: str) -> str | None:
    key = term.strip().lower().replace("-", "_")
    for k, v in TERMS.items():
        if k.replace(" ", "_").replace("-", "_") == key or k == term.strip().lower():
            return f"{k}: {v}"
    return None


def legend_text() -> str:
    return ("Amounts are rounded to the cent; ≈ marks an amount that is not a whole number of cents "
            "(--format json has exact values). Terms: " + ", ".join(TERMS) + " - run `verify --explain TERM`.")


# ---------------------------------------------------------------- the whole screen


def render_charter(model: Charter, findings: Sequence[Finding], fail_on: Severity, analysis=None,
                   results=None, verbose: bool = False, width: int | None = None, notes: Sequence[str] = ()) -> str:
    width = width or terminal_width()
    con, buf = console(width)
    con.print(verdict_line(model.id, model.name, findings, fail_on))
    for n in notes:
        con.print(n)
    groups = group_findings(findings)
    if groups:
        c = counts(findings)
        con.print()
        con.print(f"Findings, most severe first ({len(findings)} in {len(groups)} entries: "
                  f"{c[Severity.ERROR]} error, {c[Severity.WARNING]} warning, {c[Severity.INFO]} info)")
        con.print(findings_table(groups, width))
    else:
        con.print("No findings.")
    if results:
        con.print()
        for t in who_gets_what(model, results, width, "Who gets what at round exit values "
                                                       "(amount; per share of the holder's own shares; % of proceeds)"):
            con.print(t)
    if analysis is not None:
        con.print()
        con.print(conversions_table(analysis))
    if verbose:
        from .payouts import summary_text

        con.print()
        buf.write(summary_text(model, None, width=width, payouts=False))
    con.print()
    con.print(legend_text())
    return buf.getvalue()


def print_finding_changes(con, fd: dict) -> None:
    """The findings that appeared and vanished between two drafts (a redline's `findings` part),
    one table each: severity, clause, message and rule. Shared by the model and the text redlines."""
    for title, rows in (("Findings that appeared", fd["appeared"]), ("Findings that vanished", fd["vanished"])):
        if rows:
            con.print()
            t = _table(title)
            t.add_column("", no_wrap=True)
            t.add_column("Clause", overflow="fold")
            t.add_column("Finding", overflow="fold", ratio=1)
            for f in rows:
                t.add_row(f["severity"], label(f.get("clause") or "-"), f"{label(f['message'])} ({f['rule']})")
            con.print(t)
