"""Enumerations and drafting placeholders.

text.numbering-duplicate / text.numbering-gap:
  - among sibling clauses of the outline (one style), unless the text between the two siblings holds
    the missing label (or, for a duplicate, the next label or a new list) where a clause can start:
    on flowed text the outline may have missed a label written inline;
  - in enumerations written inside one sentence ("(i) ..., (ii) ..., (iii) ... and (iii) ..."); one
    style may nest in itself ("(A) the numerator of which shall be (A) ... plus (B) ..., and (B) the
    denominator"); labels that belong to cross-references ("clauses (A), (B) and (C)", "the following
    clause (2)", "subsections (a)-(e)", "(ii) above"), numbers after number words ("ten (10) days")
    and "(s)" plurals are not list items, but a label that continues an open list after a comma is.

text.placeholder: blanks and placeholders left in a filed text: "_____, 2003", "[ ]", "[●]", "[___]",
"[TBD]", "[insert ...]", "TBD", "$[__]": an error in the body, a warning for a date left blank where the
certificate is signed; signature captions ("By: ____", "Name:") are not placeholders.

text.bracketed-alternative (info): NVCA model-form alternatives in square brackets, one finding per
sentence.
"""

from __future__ import annotations

import bisect
import re

from ..findings import Finding, Severity
from .numbers import NUMBER_WORDS
from .outline import ORDINALS, Clause, Outline, interpretations, to_roman
from .references import Reference


def _fmt(c: Clause) -> str:
    return c.display_label


def _label_for(style: str, value: int) -> str:
    if style in ("(rom)",):
        return f"({to_roman(value)})"
    if style == "(ROM)":
        return f"({to_roman(value).upper()})"
    if style in ("(low)", "low."):
        return f"({chr(96 + value)})" if style == "(low)" else f"{chr(96 + value)}."
    if style in ("(CAP)", "cap."):
        return f"({chr(64 + value)})" if style == "(CAP)" else f"{chr(64 + value)}."
    if style == "(num)":
        return f"({value})"
    return f"{value}."


def _labels_for(c: Clause, value: int) -> list[str]:
    """How the label of value `value` in c's sequence may be written."""
    if c.style == "article":
        out = [f"ARTICLE {to_roman(value).upper()}", f"Article {to_roman(value).upper()}", f"ARTICLE {value}"]
        if value <= len(ORDINALS):
            out.append(ORDINALS[value - 1])
        return out
    return [_label_for(c.style, value)]


def _label_in(text: str, labels: list[str]) -> bool:
    """Is one of the labels written where a clause can start in text (line start, or after . : ;)?"""
    for lab in labels:
        if re.search(r"(?:^|[.:;]\s+|\n\s*)" + re.escape(lab) + r"[\s.:]", text):
            return True
    return False


def check_outline_numbering(outline: Outline, path: str) -> list[Finding]:
    out: list[Finding] = []
    for parent in [outline.root] + outline.clauses:
        last: dict[str, Clause] = {}
        for ch in parent.children:
            if ch.style == "article" and ch.quoted:
                continue  # an article quoted inside a wrapper certificate has its own sequence
            prev = last.get(ch.style)
            last[ch.style] = ch
            if prev is None or (prev.quoted != ch.quoted):
                continue
            where = parent.path if parent.style != "root" else None
            between = outline.doc.flat[prev.flat_start + 1:ch.flat_start]
            if ch.value == prev.value and _label_in(between, _labels_for(ch, ch.value + 1) + _labels_for(ch, 1)):
                continue  # the text between has the next label or a new list: the outline missed a label inline
            if ch.value - prev.value >= 2 and _label_in(between, [x for v in range(prev.value + 1, ch.value)
                                                                  for x in _labels_for(ch, v)]):
                continue  # the "missing" label is in the text between, written inline
            if ch.value == prev.value:
                out.append(Finding(
                    rule="text.numbering-duplicate", severity=Severity.WARNING,
                    message=f"Label {_fmt(ch)} is used twice in a row in {where or 'the document'} "
                            f"(lines {prev.start_line} and {ch.start_line}).",
                    clause=ch.path, file=path, line=ch.start_line,
                    witness={"label": _fmt(ch), "previous_line": prev.start_line},
                ))
            elif 2 <= ch.value - prev.value <= 3:
                missing = [_labels_for(ch, v)[-1 if ch.display_label.strip(" .:") in ORDINALS else 0]
                           for v in range(prev.value + 1, ch.value)]
                out.append(Finding(
                    rule="text.numbering-gap", severity=Severity.WARNING,
                    message=f"{_fmt(ch)} follows {_fmt(prev)} in {where or 'the document'}: "
                            f"{', '.join(missing)} is missing.",
                    clause=ch.path, file=path, line=ch.start_line,
                    witness={"label": _fmt(ch), "previous": _fmt(prev), "missing": missing},
                ))
    return out


# a label in running text; also the second of two glued labels ("(i)(a) $1.3866 minus (b) ...")
_INLINE = re.compile(r"(?:(?<![\w)(])|(?<=\s\([ivx1-9]\))|(?<=\s\([ivx]{2}\))|(?<=\s\(iii\)))"
                     r"\(([ivxlcdm]{1,6}|[a-z]|[A-Z]|[IVX]{1,5}|\d{1,2})\)(?=\s)")


_SENTENCE_END = re.compile(r"[a-z0-9)\u201d\"][.]\s+(?:\S+\s+){0,1}(?=[A-Z(\d])|[.:]\s*\n")
_REF_BEFORE = re.compile(r"(?i:\b(?:sections?|subsections?|clauses?|paragraphs?|subparagraphs?|items?|articles?|parts?|"
                         r"(?:either\s+)?cases?\s+of|both\s+of|each\s+of)"
                         r"\s+(?:[\w.]*\([\w]{1,5}\)\s*(?:,|and|or|through|to)?\s*)*)$|[-\u2013]$")
_RANGE_AFTER = re.compile(r"\s*(?:[-\u2013]\s*\(|through\s+\(|above\b|below\b|hereof\b|"
                          r"of\s+(?:this|such|the\s+foregoing)\s+(?:Section|Article|[Ss]ubsection|[Pp]aragraph|[Cc]lause)\b)")


class _Cover:
    """Does any of a set of [start, end) spans hold an offset? O(log n) per query (spans may overlap)."""

    def __init__(self, spans) -> None:
        spans = sorted(spans)
        self.starts = [a for a, _ in spans]
        self.ends: list[int] = []  # running maximum of the ends
        top = None
        for _a, b in spans:
            top = b if top is None or b > top else top
            self.ends.append(top)

    def __contains__(self, off: int) -> bool:
        k = bisect.bisect_right(self.starts, off) - 1
        return k >= 0 and off < self.ends[k]


def _quote(flat: str, a: int) -> str:
    return " ".join(flat[max(0, a - 30):a + 40].split())


def check_inline_numbering(outline: Outline, refs: list[Reference], path: str) -> list[Finding]:
    doc = outline.doc
    flat = doc.flat
    spans = _Cover(r.list_span for r in refs)
    out: list[Finding] = []
    for c in [outline.root] + outline.clauses:
        s, e = c.flat_start, c.flat_end
        own_end = e
        for ch in c.children:
            if ch.flat_start > s:
                own_end = min(own_end, ch.flat_start)
        # skip the clause's own label(s)
        labels_start = s
        m0 = re.match(r"\s*(?:\([A-Za-z0-9]{1,6}\)\s*)+", flat[s:own_end])
        if m0 and c.style != "root":
            labels_start = s + m0.end()
        if c.style == "root":
            own_end = min([ch.flat_start for ch in c.children] + [e])
        # per label style, a stack of open lists [(value, label), ...]: the same style nests in NVCA
        # formulas ("(A) the numerator of which shall be (A) ... plus (B) ..., and (B) the denominator")
        state: dict[str, list[tuple[int, str]]] = {}
        last_end = labels_start
        for m in _INLINE.finditer(flat, labels_start, own_end):
            a = m.start()
            lab = m.group(1)
            # a list written in running text lives inside one sentence: a sentence end between two labels
            # (in flowed text, the end of a clause before the next clause's label) starts a new list
            if _SENTENCE_END.search(flat, last_end, a + 1):
                state = {}
            last_end = m.end()
            interp = interpretations("", lab)
            if not interp:
                continue
            continues = [(st, v) for st, v in interp if state.get(st) and v == state[st][-1][0] + 1]
            # a label that continues an open list after a list separator is an item even where it looks like
            # a reference ("(i) a repurchase under Section 2(e), (ii) a redemption ..."), but not one right after
            # a reference word ("pursuant to the following clause (2)"); other references are not items
            item = bool(continues) and bool(re.search(r"[,;:]\s*(?:and\s+|or\s+)?$", flat[max(0, a - 8):a]))
            if not item and (a in spans
                                  or _REF_BEFORE.search(flat[max(0, a - 40):a]) or _RANGE_AFTER.match(flat, m.end())):
                continue  # "clauses (A) and (B)", "subsections (a)-(e)", "(ii) above"
            before = flat[max(0, a - 25):a].lower()
            if lab.isdigit():
                w = re.findall(r"[a-z]+", before)
                if w and (w[-1] in NUMBER_WORDS or w[-1] in {"hundred", "thousand"}):
                    continue  # "ten (10) days"
                if int(lab) > 20:
                    continue
            style, val = continues[0] if continues else interp[0]
            stack = state.get(style)
            if stack:
                # nested lists: an item of an outer list closes the lists opened inside it
                # ("(i) ...: (A) ..., (B) ...; (ii) ...: (A) ..., (B) ...")
                keys = list(state)
                for k in keys[keys.index(style) + 1:]:
                    del state[k]
            if not stack:
                state[style] = [(val, lab)]
                continue
            top = stack[-1][0]
            if val == top + 1:
                stack[-1] = (val, lab)
                continue
            if val == 1:
                if top == 1:
                    stack.append((1, lab))  # "(A) ... (A)": a list of the same style opened inside the item
                else:
                    stack[-1] = (1, lab)  # a new list in the same sentence
                continue
            if len(stack) > 1 and val in (stack[-2][0], stack[-2][0] + 1):
                stack.pop()  # back to the outer list
                top = stack[-1][0]
                if val == top + 1:
                    stack[-1] = (val, lab)
                    continue
            prev_lab = stack[-1][1]
            if val == top:
                out.append(Finding(
                    rule="text.numbering-duplicate", severity=Severity.WARNING,
                    message=f"In the list written inside {c.path or 'the document'}, ({lab}) appears twice in a row: "
                            f"\"...{_quote(flat, a)}...\".",
                    clause=c.path or None, file=path, line=doc.line_of(a), witness={"label": f"({lab})"},
                ))
            elif val == top + 2:
                missing = _label_for(style, top + 1)
                out.append(Finding(
                    rule="text.numbering-gap", severity=Severity.WARNING,
                    message=f"In the list written inside {c.path or 'the document'}, ({lab}) follows ({prev_lab}): "
                            f"{missing} is missing: \"...{_quote(flat, a)}...\".",
                    clause=c.path or None, file=path, line=doc.line_of(a),
                    witness={"label": f"({lab})", "missing": missing},
                ))
            stack[-1] = (val, lab)
    return out


_PLACEHOLDERS = [
    (re.compile(r"_{3,}(?:\s*_{2,})?"), "blank line to fill in"),
    (re.compile(r"\[\s*(?:[\u25cf\u2022*]+|_+|\.{2,}|x+|X+|TBD|TBA|tbd|insert[^\]]{0,40}|Insert[^\]]{0,40}|INSERT[^\]]{0,40}"
                r"|date|Date|DATE|name|Name|NAME|amount|number|\s*)\s*\]"), "bracketed placeholder"),
    (re.compile(r"\bTBD\b|\bTBA\b|\bTO\s+COME\b"), "placeholder text"),
    (re.compile(r"\$\s?\[[^\]]{0,10}\]|\$\s?X+(?:\.X+)?\b"), "amount left blank"),
]
# signature-block captions: "By: ______", "Name: ____", "Title:" are lines to sign, not placeholders
_SIGNATURE_BEFORE = re.compile(r"(?i:\b(?:by|name|title|its|attest|signature|print\s+name)\s*:?\s*(?:/s/)?\s*)$")
_EXECUTION = re.compile(r"IN\s+WITNESS\s+WHEREOF|(?i:has\s+been\s+(?:duly\s+)?executed|has\s+caused\s+this\s+"
                        r"(?:certificate|instrument))")
# NVCA model-form drafting alternatives: "[Series A] [Preferred Stock]", "[and/or]", "[, which shall ...]"
_BRACKET_TEXT = re.compile(r"\[([^\[\]\n]{1,300})\]")
_NOT_ALTERNATIVE = re.compile(r"(?i)intentionally|left\s+blank|reserved|omitted|redacted|signature\s+page|"
                              r"remainder\s+of|confidential|^\s*\*+\s*$|^\s*(?:sic|emphasis)|^\s*\d+\s*$")


_GROUP_END = re.compile(r"[.;]\s+(?=[A-Z(])|\n")


def check_placeholders(outline: Outline, path: str) -> list[Finding]:
    """Placeholders (error in the body; warning for a date left blank where the certificate is signed),
    and one info per group of model-form bracketed alternatives."""
    doc = outline.doc
    flat = doc.flat
    out: list[Finding] = []
    executions = [m.start() for m in _EXECUTION.finditer(flat)]  # ascending

    def clause_path(off: int) -> str | None:
        c = outline.clause_at_offset(off)
        return c.path if c is not None and c.style != "root" else None

    reported_lines: set[int] = set()
    for rx, what in _PLACEHOLDERS:
        for m in rx.finditer(flat):
            a = m.start()
            if doc.artifact[doc.line_of(a) - 1]:
                continue
            if _SIGNATURE_BEFORE.search(flat[max(0, a - 20):a]):
                continue
            line = doc.line_of(a)
            if line in reported_lines:
                continue
            # an execution statement at most 500 characters before a (or at a)
            k = bisect.bisect_right(executions, a) - 1
            in_execution = k >= 0 and a - executions[k] <= 500
            reported_lines.add(line)
            quote = " ".join(flat[max(0, a - 40):m.end() + 40].split())
            out.append(Finding(
                rule="text.placeholder", severity=Severity.WARNING if in_execution else Severity.ERROR,
                message=(f"Draft placeholder left in the text ({what}"
                         + (", where the certificate is signed" if in_execution else "") + f"): \"...{quote}...\"."),
                clause=clause_path(a), file=path, line=line,
                witness={"placeholder": m.group(0).strip()},
            ))
    # bracketed alternatives of a model form, grouped by sentence
    last_group_end = -1
    for m in _BRACKET_TEXT.finditer(flat):
        inner = m.group(1)
        if _NOT_ALTERNATIVE.search(inner) or any(rx.fullmatch(m.group(0)) for rx, _ in _PLACEHOLDERS[1:2]):
            continue
        if not re.search(r"[A-Za-z]{2}", inner) and "," not in inner:
            continue
        a = m.start()
        if a < last_group_end:
            continue
        # the group: this bracket and the brackets after it up to the end of the sentence
        stop = _GROUP_END.search(flat, a)
        end = stop.start() if stop else len(flat)
        n = len(_BRACKET_TEXT.findall(flat, a, end))
        last_group_end = end
        out.append(Finding(
            rule="text.bracketed-alternative", severity=Severity.INFO,
            message=f"Bracketed drafting alternative{'s' if n > 1 else ''} of a model form left in the text "
                    f"({n} in this sentence): \"[{' '.join(inner.split())[:60]}]\"; choose one and remove the brackets.",
            clause=clause_path(a), file=path, line=doc.line_of(a),
            witness={"alternatives": n, "first": " ".join(inner.split())},
        ))
    return out
