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
from .numbers import find_word_numbers
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


def _series_near(text: str) -> str | None:
    found = re.findall(r"Series\s+([A-Z](?:-?\d{1,2})?)\b", text)
    return found[-1] if found else None


def check_dividend_wording(outline: Outline, path: str) -> list[Finding]:
    doc = outline.doc
    flat = doc.flat
    statements = list(_NONCUM.finditer(flat))
    if not statements:
        return []
    for m in _CUM_YES.finditer(flat):
        if not _NONCUM.search(flat[max(0, m.start() - 20):m.end()]):
            return []  # the charter also makes some dividends cumulative: leave it to a human
    stmt = statements[0]
    stmt_clause = outline.clause_at_offset(stmt.start())
    stmt_clauses = {outline.clause_at_offset(s.start()) for s in statements}
    out: list[Finding] = []
    for m in _ACCRUED.finditer(flat):
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
        sent_start = max(flat.rfind(". ", 0, a), flat.rfind("\n", 0, a), a - 400)
        series = _series_near(flat[sent_start:a])
        what = m.group(0)
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
