"""Economics in words: wording that contradicts the economic terms.

text.dividend-wording: the charter makes dividends non-cumulative ("Such dividends shall
not be cumulative", "non-cumulative dividends"), yet a preference, redemption price or
conversion payment adds *accrued* or *undeclared* unpaid dividends -- amounts that cannot
exist (or silently make the dividend cumulative on a liquidation).

text.inconsistent-amount: an amount written in words and figures that disagree
("Nine Million One Hundred Thousand (9,100,000)"), and a defined amount given two
different values ($X (the "Series A Conversion Price") ... $Y (the "Series A Conversion
Price")).
"""

from __future__ import annotations

import re
from fractions import Fraction

from ..findings import Finding, Severity
from .numbers import NUMBER_WORDS, find_word_numbers, finditer_ci, lower_twin, words_to_int
from .outline import Outline

_NONCUM = re.compile(
    r"non-?\s?cumulative|(?:shall|will)\s+not\s+be\s+cumulative|are\s+not\s+cumulative|not\s+cumulative",
    re.IGNORECASE,
)
_CUM_YES = re.compile(r"(?<!non-)(?<!non)\bcumulative\s+dividends|dividends\s+shall\s+(?:be\s+cumulative|accrue)",
                      re.IGNORECASE)
_ACCRUED = re.compile(
    r"\b(?P<w>accrued|undeclared|accumulated|accruing)\s+(?:(?:but|and|or)\s+)?(?:unpaid\s+)?dividends?\b"
    r"|\b(?P<w2>accrued|accumulated)\s+(?:but\s+unpaid\s+)?dividends?\b",
    re.IGNORECASE,
)


_NONCUM_LOWER, _CUM_YES_LOWER, _ACCRUED_LOWER = lower_twin(_NONCUM), lower_twin(_CUM_YES), lower_twin(_ACCRUED)


def _series_near(text: str) -> str | None:
    found = re.findall(r"Series\s+([A-Z](?:-?\d{1,2})?)\b", text)
    return found[-1] if found else None


def check_dividend_wording(outline: Outline, path: str) -> list[Finding]:
    doc = outline.doc
    flat = doc.flat
    statements = list(finditer_ci(_NONCUM, _NONCUM_LOWER, flat))  # spans only: the text may be lower-cased
    if not statements:
        return []
    for m in finditer_ci(_CUM_YES, _CUM_YES_LOWER, flat):
        if not _NONCUM.search(flat[max(0, m.start() - 20):m.end()]):
            return []  # the charter also makes some dividends cumulative: leave it to a human
    stmt = statements[0]
    stmt_clause = outline.clause_at_offset(stmt.start())
    stmt_clauses = {outline.clause_at_offset(s.start()) for s in statements}
    out: list[Finding] = []
    for m in finditer_ci(_ACCRUED, _ACCRUED_LOWER, flat):
        a = m.start()
        before = flat[max(0, a - 40):a].lower()
        if re.search(r"accrued\s+interest\s+or\s+$|interest\s+(?:or|and)\s+$", before):
            continue  # consideration "excluding accrued interest or accrued dividends"
        c = outline.clause_at_offset(a)
        if c is not None and c in stmt_clauses:
            continue  # the dividend clause itself ("nor shall any undeclared dividend bear interest")
        window = flat[a:a + 80]
        if re.match(r"\S+\s+(?:(?:but|and|or)\s+)?(?:unpaid\s+)?dividends?\s+(?:shall\s+)?(?:bear|accrue)", window):
            continue
        lo = max(0, a - 400)  # a sentence start further back than a - 400 is cut to a - 400 anyway
        sent_start = max(flat.rfind(". ", lo, a), flat.rfind("\n", lo, a), a - 400)
        series = _series_near(flat[sent_start:a])
        what = flat[m.start():m.end()]
        out.append(Finding(
            rule="text.dividend-wording", severity=Severity.ERROR,
            message=(f"\"{' '.join(what.split())}\"" + (f" (Series {series})" if series else "")
                     + f" is added to an amount payable, but dividends are non-cumulative "
                       f"({stmt_clause.path if stmt_clause else 'line ' + str(doc.line_of(stmt.start()))}, "
                       f"line {doc.line_of(stmt.start())}): only declared but unpaid dividends can be owed."),
            clause=c.path if c is not None and c.style != "root" else None, file=path, line=doc.line_of(a),
            witness={"wording": " ".join(what.split()), "non_cumulative_line": doc.line_of(stmt.start()),
                     **({"series": series} if series else {})},
        ))
    return out


_NUMW = r"(?:(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")(?:[\s-]+(?:and\s+)?)?)+"
_DOLLARS = re.compile(rf"\b(?P<d>{_NUMW})\s*dollars?(?:\s+and\s+(?P<c>{_NUMW})\s*cents?)?\s*\(\s*\$\s?(?P<fig>\d[\d,]*(?:\.\d+)?)\s*\)",
                      re.IGNORECASE)


_DOLLARS_LOWER = lower_twin(_DOLLARS)


def check_amounts(outline: Outline, path: str) -> list[Finding]:
    doc = outline.doc
    flat = doc.flat
    out: list[Finding] = []
    # words followed by figures in parentheses
    for w in find_word_numbers(flat):
        tail = flat[w.end:w.end + 40]
        fm = re.match(r"\s*\(\s*(\$?)(\d[\d,]*(?:\.\d+)?)(?:[\s-]*(\d+/\d+))?\s*(%|percent)?\s*\)", tail)
        if not fm:
            continue
        try:
            fig = Fraction(fm.group(2).replace(",", ""))
        except ValueError:
            continue
        if fm.group(3):
            a, b = fm.group(3).split("/")
            fig += Fraction(int(a), int(b))
        val = w.value
        if fig == val:
            continue
        # "one (1)" inside a longer phrase, "sixty-six and two thirds (66 2/3)"
        if w.text.strip().lower() in {"a", "an"}:
            continue
        out.append(Finding(
            rule="text.inconsistent-amount", severity=Severity.ERROR,
            message=f"\"{' '.join(w.text.split())}\" ({val}) does not match the figure "
                    f"\"({fm.group(0).strip()[1:-1].strip()})\" written beside it.",
            clause=(lambda c: c.path if c is not None and c.style != 'root' else None)(outline.clause_at_offset(w.start)),
            file=path, line=doc.line_of(w.start),
            witness={"words": " ".join(w.text.split()), "words_value": str(val), "figure": str(fig)},
        ))
    # "seven dollars and ninety-six cents ($7.96)"
    for m in finditer_ci(_DOLLARS, _DOLLARS_LOWER, flat):
        d = words_to_int(flat[m.start("d"):m.end("d")])
        c = words_to_int(flat[m.start("c"):m.end("c")]) if m.group("c") else 0
        if d is None or c is None:
            continue
        val = Fraction(d) + Fraction(c, 100)
        fig = Fraction(m.group("fig").replace(",", ""))  # digits: the same in the lower-cased text
        if fig != val:
            said = flat[m.start():m.end()]
            out.append(Finding(
                rule="text.inconsistent-amount", severity=Severity.ERROR,
                message=f"\"{' '.join(said.split())}\": the words say ${val} but the figure says ${fig}.",
                clause=(lambda c: c.path if c is not None and c.style != 'root' else None)(outline.clause_at_offset(m.start())),
                file=path, line=doc.line_of(m.start()),
                witness={"words": " ".join(said.split()), "words_value": str(val), "figure": str(fig)},
            ))
    # a defined amount given two different values
    seen: dict[str, tuple[Fraction, int]] = {}
    for m in re.finditer(r"\$\s?(\d[\d,]*(?:\.\d+)?|\.\d+)\s*(?:per\s+share\s*)?\((?:the|each,?\s+the)\s+[\"\u201c]"
                         r"([^\"\u201d]{3,60})[\"\u201d]", flat):
        term = " ".join(m.group(2).split()).strip(" ,.")
        v = Fraction(m.group(1).replace(",", ""))
        if term in seen and seen[term][0] != v:
            out.append(Finding(
                rule="text.inconsistent-amount", severity=Severity.ERROR,
                message=f"\"{term}\" is ${seen[term][0]} on line {doc.line_of(seen[term][1])} but ${v} here.",
                clause=None, file=path, line=doc.line_of(m.start()),
                witness={"term": term, "first": str(seen[term][0]), "second": str(v)},
            ))
        else:
            seen.setdefault(term, (v, m.start()))
    return out


# ------------------------------------------------------------------ authorized share counts
_TOTAL_AUTH = re.compile(
    r"total\s+number\s+of\s+shares\s+(?:of\s+(?:all\s+classes\s+of\s+)?(?:capital\s+)?stock\s+)?"
    r"(?:(?:which|that)\s+)?the\s+(?:Corporation|Company)\s+(?:shall|will|is|has)\s+(?:have\s+)?(?:the\s+)?"
    r"(?:authority|authorized|authorization)\s+to\s+issue\s+(?:is|shall\s+be)\s+", re.IGNORECASE)
_SHARES_FIG = re.compile(r"(?<![\w.$])(\d{1,3}(?:,\d{3})+|\d{4,})\s*\)?\s+shares\b")
_CLASS_AFTER = re.compile(
    r"^[^.;()]{0,70}?\b(?:(?:of\s+which\s+)?shall\s+be\s+(?:designated\s+(?:as\s+)?)?|of\s+|designated\s+(?:as\s+)?)?"
    r"(?:the\s+Corporation's\s+|the\s+Company's\s+)?[\"\u201c]?\s*(?P<cls>(?:Class\s+[A-Z]\s+)?Common\s+Stock|Preferred\s+Stock)",
    re.IGNORECASE)
_DESIGNATED_FIG = re.compile(r"(?<![\w.$])(\d{1,3}(?:,\d{3})+|\d{4,})\s*\)?\s+(?:of\s+the\s+(?:authorized\s+)?)?shares\b")
_DESIGNATE = re.compile(r"\bdesignated\b", re.IGNORECASE)
_SERIES = re.compile(r"Series\s+([A-Z][A-Za-z]{0,4}(?:-?\d{1,2})?)\s+(?:Convertible\s+)?Preferred(?:\s+Stock)?\b")


def _sentence(flat: str, a: int, limit: int = 900) -> tuple[int, int]:
    s = max(flat.rfind(". ", max(0, a - limit), a) + 2, flat.rfind("\n", max(0, a - limit), a) + 1, max(0, a - limit))
    m = re.search(r"(?<![\d.])\.\s+(?=[A-Z(\"\u201c\d])|\n", flat[a:a + limit])
    return s, a + (m.start() if m else min(limit, len(flat) - a))


def parse_share_counts(outline: Outline) -> dict:
    """What the charter says about authorized shares, as flat offsets:
    {"total": (n, off) | None, "classes": [(class, n, off)], "series": {name: (n, off)}}."""
    flat = outline.doc.flat
    res: dict = {"total": None, "classes": [], "series": {}}
    for tm in _TOTAL_AUTH.finditer(flat):
        fm = re.compile(r"(?<![\w.$])(\d{1,3}(?:,\d{3})+|\d{4,})(?![\d,]*\s*%)").search(flat, tm.end(), tm.end() + 200)
        if not fm:
            continue
        total = int(fm.group(1).replace(",", ""))
        _s, e = _sentence(flat, tm.start(), 1200)
        classes: list[tuple[str, int, int]] = []
        for cm in _SHARES_FIG.finditer(flat, fm.end(), e):
            km = _CLASS_AFTER.match(flat[cm.end():cm.end() + 120])
            if not km:
                continue
            cls = " ".join(km.group("cls").split()).title()
            if any(c == cls for c, _, _ in classes):
                continue
            classes.append((cls, int(cm.group(1).replace(",", "")), cm.start()))
        res["total"], res["classes"] = (total, fm.start()), classes
        if any(c == "Preferred Stock" for c, _, _ in classes):
            break
    for dm in _DESIGNATE.finditer(flat):
        s, e = _sentence(flat, dm.start(), 400)
        # one designation of a list ("45,419,062 of the authorized shares of Preferred Stock are hereby
        # designated "Series A-1 Preferred Stock" ...; 38,755,691 of ... designated ...")
        s = max(s, flat.rfind(";", s, dm.start()) + 1)
        semi = flat.find(";", dm.start(), e)
        e = semi if semi >= 0 else e
        names = {m.group(1) for m in _SERIES.finditer(flat, s, e)}
        figs = [m for m in _DESIGNATED_FIG.finditer(flat, s, e)]
        if len(names) != 1 or len(figs) != 1 or "total" in flat[s:e].lower():
            continue
        res["series"].setdefault(names.pop(), (int(figs[0].group(1).replace(",", "")), figs[0].start()))
    return res


def check_share_counts(outline: Outline, path: str) -> list[Finding]:
    """text.share-count: the classes do not add up to the total authorized; the series designated
    exceed the authorized preferred."""
    doc = outline.doc
    out: list[Finding] = []
    res = parse_share_counts(outline)
    classes = res["classes"]
    if res["total"] is not None and len(classes) >= 2:
        total, toff = res["total"]
        got = sum(n for _, n, _ in classes)
        if got != total:
            parts = " + ".join(f"{n:,} {c}" for c, n, _ in classes)
            out.append(Finding(
                rule="text.share-count", severity=Severity.ERROR,
                message=f"The classes do not add up to the total authorized: {parts} = {got:,}, "
                        f"but the total is stated as {total:,} shares.",
                clause=None, file=path, line=doc.line_of(toff),
                witness={"total": str(total), "classes": {c: str(n) for c, n, _ in classes}, "sum": str(got)},
            ))
    pref = [(n, off) for c, n, off in classes if c == "Preferred Stock"]
    series = res["series"]
    if pref and series:
        got = sum(n for n, _ in series.values())
        if got > pref[0][0]:
            last = max(off for _, off in series.values())
            parts = " + ".join(f"{n:,} Series {k}" for k, (n, _) in series.items())
            out.append(Finding(
                rule="text.share-count", severity=Severity.ERROR,
                message=f"The series designated exceed the authorized Preferred Stock: {parts} = {got:,} > "
                        f"{pref[0][0]:,} (line {doc.line_of(pref[0][1])}).",
                clause=None, file=path, line=doc.line_of(last),
                witness={"preferred": str(pref[0][0]), "series": {k: str(n) for k, (n, _) in series.items()},
                         "sum": str(got)},
            ))
    return out
