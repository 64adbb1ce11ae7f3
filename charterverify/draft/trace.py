"""Traceability between a model and its charter text: role-aware.

text.untraced-number (error): a number of the model (price, cap, share count, rate,
threshold, date) is not stated *in its role* by the clause its `source` names.  A
conversion price is traced only where the clause speaks of the Conversion Price (of
that series), an issue price only where it speaks of the Original Issue Price or the
purchase price, a cap only where it speaks of the cap / maximum participation, a vote
threshold only near "vote" or "consent", a share count only as a count of shares, and so
on (`ROLES`).  A numeral that is part of a label ("4(d)", "Section 4", "2. Liquidation")
never traces anything.  Two ways a number is traced, strongest first:

1. the drafter (charterverify.draft) read a fact of the same role and value at the cited
   clause, or at one of the places the fact rests on by reference ("the Conversion Price
   shall initially be the Original Issue Price" cites IV.B.3(a) and IV.B.2(a)(v));
2. the number is written in the cited clause, in figures or in words ("$1.7909",
   "8.30" for 8.3, "60%" for 0.6, "Nine Million One Hundred Thousand") of the kind the role
   needs (a price is an amount of money, a threshold a percentage or "a majority", a
   count a plain number), not named right away as a defined term of another role
   ('$8.30 per share (as so adjusted, the "Series E Price")' is no conversion price), with a keyword of the role in the words around it (the same
   sentence or the one before it, at most 600 characters before the number) and, for a series' number, that series
   named in the same sentence or clause.

A source that names no clause of the text is reported the same way.  Sources
"assumption" (and empty sources) are skipped; a source may name a clause at any level
("IV.B.2" covers its sub-clauses), or lines of the text ("line 38", "lines 40-41": what the
drafter cites where the text has no clause label).

text.imprecise-source (info): the number is traced, but the source names a whole
article or part where a sub-clause states it: "cite IV.B.3(a)" (the drafter's clause,
or the innermost clause where the number is written in its role).

text.unused-amount (info): a dollar amount written in a liquidation or conversion clause
that no number of the model equals.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterable

from ..findings import Finding, Severity
from ..model import format_exact
from ..text.numbers import Mention, find_dates, find_figures, find_word_numbers, to_fraction
from ..text.outline import Clause, Outline

_SKIP_SOURCES = {"", "assumption", "assumed", "none"}


@dataclass(frozen=True)
class Role:
    name: str  # shown in messages: "conversion price"
    keywords: str  # regex: the words the clause uses for the role
    kind: str  # money | count | percent | number | date
    draft_field: str | None = None  # the drafter's fact field ("conversion_price"), or a full key
    defined: str | None = None  # a number the text names right away as a defined term ('$8.30 (the "Series E
    # Price")') states this role only if the term matches this regex; None: any term


_DEFINED_AFTER = re.compile(r'^[^;"$]{0,160}?\([^()"$]*?"([^"]+)"\s*\)')


# model key (regex on the key of charterverify.model's numbers()) -> its role.  First match wins.
ROLES: list[tuple[str, Role]] = [
    (r"^common\.authorized$", Role("authorized shares", r"authori[sz]|total\s+number\s+of\s+shares", "count",
                                   "authorized.common")),
    (r"^preferred\.authorized$", Role("authorized shares", r"authori[sz]|total\s+number\s+of\s+shares", "count",
                                      "authorized.preferred")),
    (r"\.designated$", Role("designated shares", r"designat|consist|constitut|shares\s+of|number\s+of\s+shares",
                            "count", "designated")),
    (r"\.original_issue_price$", Role("original issue price", r"issu(?:e|ance)\s+price|purchase\s+price|price\s+paid|"
                                      r"paid\s+(?:for|per)|originally\s+(?:issued|paid|purchased)|price\s+per\s+share",
                                      "money", "original_issue_price", r"issu|purchase|price")),
    (r"\.preference\.per_share$", Role("liquidation preference", r"liquidat|preference|prior\s+(?:and|to)|"
                                       r"distribut|assets|paid\s+out\s+of|payment|amount\s+per\s+share|entitled\s+to\s+receive", "money",
                                       "preference_per_share", r"issu|preference|liquidat|amount|purchase")),
    (r"\.participation\.cap$", Role("participation cap", r"\bcap\b|capped|maximum|until|not\s+(?:to\s+)?exceed|"
                                    r"in\s+excess|limit|aggregate\s+(?:of|amount)|up\s+to|times", "money",
                                    "participation_cap_per_share", r"cap|maximum|participat|amount")),
    (r"\.conversion\.price$", Role("conversion price", r"conversion\s+(?:price|rate|ratio)|convert", "money",
                                   "conversion_price", r"conversion|issu")),
    (r"\.conversion\.cash_per_share$", Role("cash paid on conversion", r"cash|payment", "money", "cash")),
    (r"\.min_price_per_share$", Role("minimum offering price", r"offering|public|price\s+per\s+share|per\s+share",
                                     "money", "auto.offering_min_price")),
    (r"\.min_aggregate$", Role("minimum offering proceeds", r"offering|proceeds|aggregate|gross|public", "money",
                               "auto.offering_min_proceeds")),
    (r"\.min_valuation$", Role("minimum valuation", r"valuation|capitali[sz]ation|value", "money")),
    (r"\.vote_threshold$", Role("vote threshold", r"vote|consent|approv|elect|request|holders\s+(?:of\s+)?at\s+least", "percent", "auto.vote_threshold")),
    (r"\.min_price_multiple$", Role("offering price multiple", r"times|multipl|\d\s*x\b|price", "number")),
    (r"\.floor_price$", Role("ratchet floor price", r"price|offering", "money")),
    (r"\.steps\[\d+\]\.percent$", Role("ratchet percentage", r"percent|%|conversion\s+price|price", "percent")),
    (r"\.filed_within_(?:days|months)$", Role("ratchet period", r"days?|months?|year", "number")),
    (r"\.filed_by$", Role("ratchet date", r"fil|offering|prior|before|by", "date")),
    (r"\.cap_shares$", Role("carve-out share cap", r"shares|options|warrants", "count")),
    (r"\.cap_fraction$", Role("carve-out fraction", r"percent|%|outstanding|diluted", "percent")),
    (r"\.minimum_adjustment$", Role("minimum adjustment", r"less\s+than|adjust|carried\s+forward|cent", "money")),
]
_ANY = Role("number", r"", "any")


def role_of(key: str) -> Role:
    for pat, role in ROLES:
        if re.search(pat, key):
            return role
    return _ANY


def _series_of(key: str) -> str | None:
    m = re.match(r"^series\[([^\]]+)\]", key)
    return m.group(1) if m else None


def norm_id(sid: str) -> str:
    return re.sub(r"[\s_-]", "", sid).upper()


_LABEL_BEFORE = re.compile(r"(?:\bSections?|\bArticles?|\bsub-?sections?|\bSub-?sections?|\bparagraphs?|\bParagraphs?|"
                           r"\bsub-?paragraphs?|\bclauses?|\bClauses?|\bRule|\bItem|\bSchedule|\bExhibit|§+)\s*$")
_NUMBER_WORDS = set("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
                    "hundred thousand million billion percent half halves third thirds fourth fourths quarter "
                    "quarters fifth fifths tenth tenths dollars cents".split())


def is_label(flat: str, m: Mention) -> bool:
    """A numeral that is part of a clause label or a reference: "4(d)", "Section 4", "(4)" in a
    list, "2." opening a paragraph."""
    if m.kind not in ("number",):
        return False
    before = flat[max(0, m.start - 24):m.start]
    after = flat[m.end:m.end + 8]
    if re.match(r"\([A-Za-z0-9]{1,5}\)", after):  # 4(d), 6(a)(ii)
        return True
    if _LABEL_BEFORE.search(before):
        return True
    if before.endswith("(") and after.startswith(")"):  # "(4)": a list label unless it repeats a number in words
        w = re.search(r"([A-Za-z]+)[\s-]*\($", before)
        return not (w and w.group(1).lower() in _NUMBER_WORDS)
    line_start = before.rfind("\n")
    if re.fullmatch(r"\s*", before[line_start + 1:]) and re.match(r"\.(?:\s|$)", after):  # "2. Liquidation"
        return True
    return False


def _kind_ok(role: Role, m: Mention, flat: str) -> bool:
    if role.kind == "any":
        return True
    if role.kind == "money":
        return m.kind == "money" or bool(re.match(r"\s*(?:\(\s*\$[\d.,]+\s*\)\s*)?dollars\b", flat[m.end:m.end + 30], re.I))
    if role.kind == "percent":
        return m.percent or m.kind in ("fraction", "words", "number")  # "two-thirds", "66 2/3"
    if role.kind in ("count", "number"):
        return m.kind in ("number", "words") and not m.percent
    return False


def _values(role: Role, m: Mention) -> set[Fraction]:
    """The values an occurrence can state in the role: "60%" states 0.6; "66 2/3" (without
    its sign, after "sixty-six and two-thirds percent") states 2/3."""
    if role.kind in ("percent", "any"):
        out = {m.value / 100} if m.percent else {m.value}
        if role.kind == "any":
            out.add(m.value)
        if not m.percent and 1 < m.value < 100 and m.value.denominator != 1:
            out.add(m.value / 100)
        return out
    return {m.value}


def _fmt(value: Any) -> str:
    return format_exact(value) if isinstance(value, Fraction) else str(value)


def _line_span(outline: Outline, first: int, last: int) -> Clause | None:
    """A source "line 38" (what the drafter writes where the text has no clause label there):
    a pseudo-clause spanning those lines of the text."""
    doc = outline.doc
    if not (1 <= first <= last <= len(doc.lines)):
        return None
    lo, hi = doc.flat_span_of_lines(first, last)
    if hi <= lo:
        return None
    # the sentences that touch those lines: flowed text runs a sentence over many lines
    from .facts import sentences

    for snt in sentences(doc.flat[max(0, lo - 3000):min(len(doc.flat), hi + 3000)]):
        a, b = snt.start + max(0, lo - 3000), snt.end + max(0, lo - 3000)
        if a < hi and b > lo:
            lo, hi = min(lo, a), max(hi, b)
    first, last = doc.line_of(lo), max(last, doc.line_of(max(lo, hi - 1)))
    return Clause(label=f"line {first}" + (f"-{last}" if last != first else ""), style="line", value=first,
                  start_line=first, end_line=last, flat_start=lo, flat_end=hi)


def _resolve_source(outline: Outline, source: str) -> list[Clause]:
    lm = re.fullmatch(r"\s*lines?\s+(\d+)(?:\s*[-\u2013]\s*(\d+))?\s*", source)
    if lm:
        span = _line_span(outline, int(lm.group(1)), int(lm.group(2) or lm.group(1)))
        return [span] if span else []
    src = re.sub(r"^\s*(?:Article|ARTICLE|Section)\s+", "", source.strip())
    src = src.split(";")[0].split(",")[0].strip()
    return outline.find(src)


def _is_liq_or_conv(c: Clause) -> bool:
    h = (c.heading or "").lower()
    return bool(re.search(r"liquidat|conversion|convert", h))


def _drafted_places(draft, key: str, role: Role, value: Fraction) -> list[tuple[str, int]]:
    """The places (clause label, line) where the drafter read this number in this role."""
    if draft is None or role.draft_field is None:
        return []
    sid = _series_of(key)
    places: list[tuple[str, int]] = []
    if sid is None:
        if "." not in role.draft_field:
            return []
        facts = [f for f in draft.facts if f.key == role.draft_field]
    else:
        ids = [d for d in draft.series_ids() if norm_id(d) == norm_id(sid)]
        if not ids:
            return []
        if role.draft_field == "cash":
            got = draft.extra.get("cash_on_conversion", {}).get(ids[0])
            if got and Fraction(got[0]) == value:
                places.append((got[1], got[2]))
            return places
        facts = [f for f in draft.facts if f.key == f"series.{ids[0]}.{role.draft_field}"]
    for f in facts:
        if f.review or isinstance(f.value, (bool, str)):
            continue
        if Fraction(f.value) == value:
            places.append((f.source, f.line))
            places.extend(f.also)
    return places


def _cents(flat: str, m: Mention) -> Mention:
    """ "one cent", "five cents": an amount of money in cents, stated in dollars."""
    if m.kind in ("number", "words") and not m.percent and re.match(r"\s+cents?\b", flat[m.end:m.end + 10], re.I):
        import dataclasses

        return dataclasses.replace(m, value=m.value / 100, kind="money")
    return m


class _Doc:
    """The text with its sentences and mentions, computed once."""

    def __init__(self, outline: Outline):
        from .facts import sentences

        self.outline = outline
        self.flat = outline.doc.flat
        self.sents = sentences(self.flat)
        self.mentions = [_cents(self.flat, m) for m in find_figures(self.flat) + find_word_numbers(self.flat)
                         if not is_label(self.flat, m)]
        self.majorities = [(m.start(), m.end()) for m in re.finditer(r"\bmajority\b", self.flat, re.I)]
        self.years = [(m.start(), m.end()) for m in re.finditer(r"\bone\s+year\b", self.flat, re.I)]
        self.dates = find_dates(self.flat)

    def sentence(self, off: int) -> tuple[int, int, int]:
        """(start of the previous sentence, start, end) of the sentence around an offset.  A sentence
        cut by a page break ("... equal to $8.25" / "3" / "(the "Original Series F Issue Price")")
        runs on into the next ones, at most three of them."""
        prev = 0
        for i, s in enumerate(self.sents):  # few hundred sentences: a scan is fast enough
            if s.start <= off < s.end:
                end, j = s.end, i
                while j + 1 < len(self.sents) and j < i + 3 and not re.search(r"[.;:!?]\W*$", self.sents[j].text):
                    j += 1
                    end = self.sents[j].end
                return prev, s.start, end
            prev = s.start
        return max(0, off - 300), max(0, off - 300), min(len(self.flat), off + 150)

    def in_role(self, role: Role, sid: str | None, start: int, end: int, clause: Clause) -> bool:
        p0, s0, s1 = self.sentence(start)
        if role.keywords:
            window = self.flat[max(p0, start - 600):s1]
            if not re.search(role.keywords, window, re.I):
                return False
        if sid is not None and role.kind != "any":
            pat = r"Series\s+" + r"[\s-]?".join(re.escape(ch) for ch in norm_id(sid)) + r"(?![\w-]*\d)(?!-?\w)"
            inner = self.outline.clause_at_offset(start) or clause
            where = self.flat[s0:s1] + "\n" + self.flat[inner.flat_start:inner.flat_end]
            if not re.search(pat, where, re.I):
                return False
        return True

    def defined_as(self, m: Mention) -> str | None:
        """The defined term a number is named by right after it: '$8.30 per share (as so adjusted,
        the "Series E Price")' -> "Series E Price"."""
        d = _DEFINED_AFTER.match(self.flat[m.end:m.end + 400])
        return d.group(1) if d else None

    def occurrences(self, role: Role, value, clause: Clause) -> list[int]:
        """Offsets in the clause where the value is written in a form its role needs (not yet the keywords)."""
        lo, hi = clause.flat_start, clause.flat_end
        out: list[int] = []
        if isinstance(value, _dt.date):
            return [off for d, off in self.dates if d == value and lo <= off < hi]
        fv = to_fraction(value)
        if fv is None:
            return []
        for m in self.mentions:
            if lo <= m.start < hi and _kind_ok(role, m, self.flat) and fv in _values(role, m):
                term = self.defined_as(m) if role.defined else None
                if term is not None and not re.search(role.defined, term, re.I):
                    continue  # the text names this number as something else
                out.append(m.start)
        if role.kind in ("percent", "any") and fv == Fraction(1, 2):
            out += [a for a, _ in self.majorities if lo <= a < hi]
        if role.kind in ("number", "any") and fv == 12:
            out += [a for a, _ in self.years if lo <= a < hi]
        return sorted(out)


_DOCS: dict[tuple, _Doc] = {}


def _doc_for(text_path: Path, text: str | None) -> _Doc:
    """The outline, sentences and mentions of a text, built once per file content."""
    from ..text import load_outline

    try:
        st = text_path.stat()
        key = (str(text_path.resolve()), st.st_mtime_ns, st.st_size, hash(text))
    except OSError:
        key = None
    if key is not None and key in _DOCS:
        return _DOCS[key]
    doc = _Doc(load_outline(text_path, text))
    if key is not None:
        if len(_DOCS) > 16:
            _DOCS.clear()
        _DOCS[key] = doc
    return doc


def _initially_issue_price(text: str, sid: str | None) -> bool:
    """The clause says the Conversion Price (of the series) is initially its Original Issue Price."""
    t = re.sub(r"\s+", " ", text)
    m = re.search(r"Conversion\s+Price[^.]{0,400}?(?:shall\s+(?:initially\s+)?(?:be|equal)|initially)[^.]{0,300}?"
                  r"(?:Original\s+(?:Series\s+[\w-]+\s+)?Issue\s+Price|Purchase\s+Price)", t, re.I)
    if not m:
        return False
    if sid is None:
        return True
    pat = r"Series\s+" + r"[\s-]?".join(re.escape(ch) for ch in norm_id(sid)) + r"(?![\w-]*\d)(?!-?\w)"
    return bool(re.search(pat, t, re.I))


def _citable(outline: Outline, clause: Clause, cited: Clause) -> Clause:
    """The clause to suggest citing: the innermost one whose label opens its line.  A label found
    inside running text ("converted into (i) Common Stock and (ii) the right to receive ...")
    marks a list within a sentence; the words after its last item belong to the whole sentence,
    so such a clause is not offered as the precise citation."""
    lines = outline.doc.lines
    c = clause
    while c is not cited and c.parent is not None and c.parent.style != "root":
        text = lines[c.start_line - 1] if 0 < c.start_line <= len(lines) else ""
        if not text[:c.start_col].strip():
            return c
        c = c.parent
    return c


def _draft_for(text_path: Path, text: str | None):
    try:
        from .gate import cached_draft

        return cached_draft(text_path, text)
    except Exception:  # the drafter is the strong trace; without it the role window still works
        return None


def check_traceability(numbers: Iterable[Any], text_path: Path, text: str | None = None,
                       draft: Any = None) -> list[Finding]:
    doc = _doc_for(Path(text_path), text)
    outline = doc.outline
    flat = doc.flat
    if draft is None:
        draft = _draft_for(Path(text_path), text)
    findings: list[Finding] = []
    model_values: set[Fraction] = set()
    traced_prices: set[tuple[str | None, Fraction]] = set()  # (series, issue price) traced
    # conversion prices last: one stated by reference to the issue price is traced through it
    order = sorted(enumerate(numbers), key=lambda t: (str(getattr(t[1], "key", "")).endswith(".conversion.price"), t[0]))
    found_at: list[tuple[int, Finding]] = []
    for idx, n in order:
        key = getattr(n, "key", "?")
        value = getattr(n, "value", None)
        source = str(getattr(n, "source", "") or "")
        mfile = getattr(n, "file", None)
        mline = getattr(n, "line", None)
        fv = None if isinstance(value, _dt.date) else to_fraction(value)
        if fv is not None:
            model_values.add(fv)
        if source.strip().lower() in _SKIP_SOURCES:
            continue
        clauses = _resolve_source(outline, source)
        if not clauses:
            found_at.append((idx, Finding(
                rule="text.untraced-number", severity=Severity.ERROR,
                message=f"{key} = {_fmt(value)}: its source \"{source}\" names no clause of {text_path}.",
                clause=source, file=mfile, line=mline,
                witness={"key": key, "value": _fmt(value), "source": source, "text": str(text_path)},
            )))
            continue
        role = role_of(key)
        sid = _series_of(key)
        # 1. the drafter read the same fact, same value, at the cited clause (or a place it rests on)
        stated: list[tuple[Clause, str, int]] = []  # (cited clause, precise label, line)
        if fv is not None:
            for label, line in _drafted_places(draft, key, role, fv):
                for c in clauses:
                    if c.style == "line":
                        if c.start_line <= line <= c.end_line or label == c.path:
                            stated.append((c, c.path, line))
                        continue
                    for pc in outline.find(label):
                        if c.contains(pc):
                            stated.append((c, _citable(outline, pc, c).path, line))
        # 2. the number written in its role inside the cited clause
        if not stated:
            for c in clauses:
                for off in doc.occurrences(role, value, c):
                    if doc.in_role(role, sid, off, off + 1, c):
                        inner = outline.clause_at_offset(off) or c
                        stated.append((c, _citable(outline, inner, c).path, outline.doc.line_of(off)))
        if not stated and role.name == "conversion price" and fv is not None:
            # "the Conversion Price ... shall initially be the Original Series E Issue Price": traced
            # through the series' issue price when the model states the same value, traced itself
            for c in clauses:
                if _initially_issue_price(flat[c.flat_start:c.flat_end], sid) and (sid, fv) in traced_prices:
                    stated.append((c, c.path, c.start_line))
                    break
        if not stated:
            c = clauses[0]
            what = f"as the {role.name}" + (f" of Series {sid}" if sid and role.kind != "any" else "")
            found_at.append((idx, Finding(
                rule="text.untraced-number", severity=Severity.ERROR,
                message=f"{key} = {_fmt(value)} is not stated {what} in {c.path} (lines {c.start_line}-"
                        f"{c.end_line} of {text_path}), in figures or in words.",
                clause=source, file=mfile, line=mline,
                witness={"key": key, "value": _fmt(value), "source": source, "text": str(text_path),
                         "text_lines": f"{c.start_line}-{c.end_line}", "role": role.name},
            )))
            continue
        if role.name == "original issue price" and fv is not None:
            traced_prices.add((sid, fv))
        # traced; is the citation as precise as the text?
        if any(c.path == label for c, label, _ in stated):
            continue
        c, label, line = stated[0]
        if label == c.path:
            continue
        found_at.append((idx, Finding(
            rule="text.imprecise-source", severity=Severity.INFO,
            message=f"{key} = {_fmt(value)}: its source \"{source}\" names all of {c.path}, but {label} states "
                    f"it (line {line}): cite {label}.",
            clause=label, file=mfile, line=mline,
            witness={"key": key, "value": _fmt(value), "source": source, "precise": label, "text_line": str(line)},
        )))
    findings = [f for _, f in sorted(found_at, key=lambda t: t[0])]
    # dollar amounts in liquidation / conversion clauses the model does not use
    tops = [c for c in outline.clauses if _is_liq_or_conv(c) and not (c.parent and _is_liq_or_conv(c.parent))]
    reported: set[tuple[int, Fraction]] = set()
    for c in tops:
        seg = flat[c.flat_start:c.flat_end]
        for m in find_figures(seg):
            if m.kind != "money":
                continue
            if m.value in model_values:
                continue
            line = outline.doc.line_of(c.flat_start + m.start)
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
