"""Checks of the charter TEXT: structure, cross-references, defined terms, lists and
placeholders, economics in words, and traceability between a model and its text.

    from charterverify.text import check_text, parse_outline, render_outline, clause_text
    findings = check_text(Path("charter.txt"))

Rule ids are stable and prefixed "text." (see docs/text-checks.md).
"""

from __future__ import annotations

from pathlib import Path

from ..findings import Finding, sort_findings
from .document import Document
from .outline import Clause, Outline, clause_text, parse_outline, render_outline

__all__ = [
    "check_text", "parse_outline", "render_outline", "clause_text", "Outline", "Clause",
    "load_outline",
]


_OUTLINES: dict[tuple, Outline] = {}


def load_outline(path: Path | str, text: str | None = None) -> Outline:
    """The outline of a text, parsed once per content: a full verify reads the same text for the
    text checks, the drafter and the traceability check (the outline's caches are its own
    derived indexes, the same for every reader). A file is known by its resolved path, size and
    modification time."""
    import os

    try:
        if text is not None:
            key: tuple | None = ("text", str(path), text)
        else:
            st = os.stat(path)
            key = ("file", os.path.realpath(path), st.st_size, st.st_mtime_ns, st.st_ino)
    except (OSError, TypeError, ValueError):
        key = None
    if key is not None and key in _OUTLINES:
        return _OUTLINES[key]
    doc = Document.from_path(path, text)
    outline = parse_outline("\n".join(doc.lines), str(path), doc=doc)
    if key is not None:
        if len(_OUTLINES) >= 8:
            _OUTLINES.clear()
        _OUTLINES[key] = outline
    return outline


def check_text(path: Path, text: str | None = None) -> list[Finding]:
    """Run the structure, reference, term, list/placeholder and economics checks on one text."""
    from .economics import check_amounts, check_dividend_wording, check_share_counts
    from .lists import check_inline_numbering, check_outline_numbering, check_placeholders
    from .references import check_references, find_references, resolve
    from .terms import check_terms

    p = str(path)
    outline = load_outline(path, text)
    refs = find_references(outline)
    resolve(outline, refs)
    findings: list[Finding] = []
    from .waivers import check_sale_waivers  # votes that take a sale out of the waterfall

    findings += check_sale_waivers(outline, p)
    findings += check_outline_numbering(outline, p)
    findings += check_inline_numbering(outline, refs, p)
    findings += check_placeholders(outline, p)
    findings += check_references(outline, refs, p)
    findings += check_terms(outline, p)
    findings += check_dividend_wording(outline, p)
    findings += check_amounts(outline, p)
    findings += check_share_counts(outline, p)
    if outline.doc.kind != "text":
        # .htm/.html and .docx: a finding's line is the paragraph number of the file
        for f in findings:
            f.witness.setdefault("paragraph", f.line)
    return sort_findings(findings)

