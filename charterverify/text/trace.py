"""Traceability between a model and its charter text.

text.untraced-number: a number of the model (price, cap, share count, rate, threshold,
date) does not appear in the text of the clause its `source` names -- neither in figures
("$1.7909", "1.7909", "9,100,000", "8.30" for 8.3, "60%" for 0.6) nor in words ("Nine
Million One Hundred Thousand", "sixty percent").  A source that names no clause of the
text is reported the same way.  Sources "assumption" (and empty sources) are skipped; a
source may name a clause at any level ("IV.B.2" covers its sub-clauses).

text.unused-amount (info): a dollar amount written in a liquidation or conversion clause
that no number of the model equals.
"""

from __future__ import annotations

import datetime as _dt
import re
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterable

from ..findings import Finding, Severity
from ..model import format_exact
from .numbers import find_dates, find_figures, find_word_numbers, to_fraction
from .outline import Clause, Outline

_SKIP_SOURCES = {"", "assumption", "assumed", "none"}


def _clause_values(flat: str) -> tuple[set[Fraction], set[Fraction], set[_dt.date]]:
    """(plain values, percent values as fractions of 1, dates) mentioned in a text."""
    plain: set[Fraction] = set()
    pct: set[Fraction] = set()
    for m in find_figures(flat) + find_word_numbers(flat):
        plain.add(m.value)
        if m.percent:
            pct.add(m.value / 100)
    # a figure of the form "66 2/3" right after "sixty-six and two thirds" is a percentage
    # written without its sign; "a majority" states a threshold of one half
    for v in list(plain):
        if 1 < v < 100 and v.denominator != 1:
            pct.add(v / 100)
    if re.search(r"\bmajority\b", flat, re.IGNORECASE):
        pct.add(Fraction(1, 2))
    if re.search(r"\bone year\b", flat, re.IGNORECASE):
        plain.add(Fraction(12))
    dates = {d for d, _ in find_dates(flat)}
    return plain, pct, dates


def _fmt(value: Any) -> str:
    return format_exact(value) if isinstance(value, Fraction) else str(value)


def _resolve_source(outline: Outline, source: str) -> list[Clause]:
    src = re.sub(r"^\s*(?:Article|ARTICLE|Section)\s+", "", source.strip())
    src = src.split(";")[0].split(",")[0].strip()
    return outline.find(src)


def _is_liq_or_conv(c: Clause) -> bool:
    h = (c.heading or "").lower()
    return bool(re.search(r"liquidat|conversion|convert", h))


def check_traceability(numbers: Iterable[Any], text_path: Path, text: str | None = None) -> list[Finding]:
    from . import load_outline

    outline = load_outline(text_path, text)
    flat = outline.doc.flat
    findings: list[Finding] = []
    model_values: set[Fraction] = set()
    cache: dict[int, tuple[set[Fraction], set[Fraction], set[_dt.date]]] = {}
    model_file = None
    for n in numbers:
        key = getattr(n, "key", "?")
        value = getattr(n, "value", None)
        source = str(getattr(n, "source", "") or "")
        mfile = getattr(n, "file", None)
        mline = getattr(n, "line", None)
        model_file = model_file or mfile
        fv = None if isinstance(value, _dt.date) else to_fraction(value)
        if fv is not None:
            model_values.add(fv)
        if source.strip().lower() in _SKIP_SOURCES:
            continue
        clauses = _resolve_source(outline, source)
        if not clauses:
            findings.append(Finding(
                rule="text.untraced-number", severity=Severity.ERROR,
                message=f"{key} = {_fmt(value)}: its source \"{source}\" names no clause of {text_path}.",
                clause=source, file=mfile, line=mline,
                witness={"key": key, "value": _fmt(value), "source": source, "text": str(text_path)},
            ))
            continue
        found = False
        for c in clauses:
            if id(c) not in cache:
                cache[id(c)] = _clause_values(flat[c.flat_start:c.flat_end])
            plain, pct, dates = cache[id(c)]
            if isinstance(value, _dt.date):
                found = value in dates
            elif fv is not None:
                found = fv in plain or fv in pct
            if found:
                break
        if not found:
            c = clauses[0]
            findings.append(Finding(
                rule="text.untraced-number", severity=Severity.ERROR,
                message=f"{key} = {_fmt(value)} does not appear in {c.path} (lines {c.start_line}-{c.end_line} of "
                        f"{text_path}), in figures or in words.",
                clause=source, file=mfile, line=mline,
                witness={"key": key, "value": _fmt(value), "source": source, "text": str(text_path),
                         "text_lines": f"{c.start_line}-{c.end_line}"},
            ))
    # dollar amounts in liquidation / conversion clauses the model does not use
    doc = outline.doc
    tops = [c for c in outline.clauses if _is_liq_or_conv(c) and not (c.parent and _is_liq_or_conv(c.parent))]
    reported: set[tuple[int, Fraction]] = set()
    for c in tops:
        seg = flat[c.flat_start:c.flat_end]
        for m in find_figures(seg):
            if m.kind != "money":
                continue
            if m.value in model_values:
                continue
            line = doc.line_of(c.flat_start + m.start)
            if (line, m.value) in reported:
                continue
            reported.add((line, m.value))
            inner = outline.clause_at_offset(c.flat_start + m.start) or c
            findings.append(Finding(
                rule="text.unused-amount", severity=Severity.INFO,
                message=f"{m.text.strip()} in {inner.path} is not used by the model.",
                clause=inner.path, file=str(text_path), line=line,
                witness={"amount": m.text.strip(), "value": _fmt(m.value)},
            ))
    return findings
