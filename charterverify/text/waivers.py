"""text.sale-waiver-vote: a vote that can declare a sale not to be a liquidation.

Deemed-liquidation clauses (NVCA: "unless the holders of at least [__]% of the outstanding
shares of Preferred Stock elect otherwise") let a vote of the preferred take a merger or an
asset sale out of the liquidation waterfall: the preferences then do not apply to it, and the
proceeds go as the transaction says. A model pays every sale by the waterfall, so the check
names each such vote with its clause and its threshold: the holders who carry it decide whether
the payouts shown apply at all.
"""

from __future__ import annotations

import re

from ..findings import Finding, Severity
from .outline import Outline

_WAIVER = re.compile(
    r"unless\s+(?:otherwise\s+(?:elected|determined|agreed)\s+by\s+)?the\s+holders?\s+of\s+"
    r"(?P<thr>(?:at\s+least\s+|not\s+less\s+than\s+|a\s+)?[^,;()]{1,60}?)\s+of\s+(?:the\s+)?"
    r"(?P<who>[^;]{0,200}?Preferred\s+Stock)(?P<rest>[^.;]{0,200}?)"
    r"(?:elect|determine|vote|consent|agree|decide)s?\w*\s+(?:\w+\s+){0,3}?otherwise",
    re.IGNORECASE,
)
_DEEMED = re.compile(r"deemed\s+(?:to\s+be\s+)?(?:a\s+)?(?:liquidation|occasioned)|deemed\s+liquidation",
                     re.IGNORECASE)


def check_sale_waivers(outline: Outline, path: str) -> list[Finding]:
    doc = outline.doc
    flat = doc.flat
    out: list[Finding] = []
    for m in _WAIVER.finditer(flat):
        around = flat[max(0, m.start() - 400):m.end() + 400]
        if not _DEEMED.search(around):
            continue
        c = outline.clause_at_offset(m.start())
        thr = " ".join(m.group("thr").split())
        who = " ".join(m.group("who").split())
        basis = " on an as-converted basis" if re.search(r"as[-\s]converted", m.group("rest"), re.IGNORECASE) else ""
        clause = c.path if c is not None and c.style != "root" else None
        out.append(Finding(
            rule="text.sale-waiver-vote", severity=Severity.INFO,
            message=(f"The holders of {thr} of the {who}{basis} can elect that a merger or sale not be treated as a "
                     f"liquidation{' (' + clause + ')' if clause else ''}: the preferences this clause governs then "
                     f"do not apply to it. "
                     f"The model pays every sale by the liquidation waterfall; whether it applies is theirs to decide."),
            clause=clause, file=path, line=doc.line_of(m.start()),
            witness={"threshold": thr, "holders": who},
        ))
    return out
