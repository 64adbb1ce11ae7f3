"""The charter text as lines plus a flat, searchable form.

SEC exhibits carry page numbers ("   2", "-3-"), blank page-break regions, irregular
spacing and line wrapping.  `Document` keeps the original lines (1-based line numbers
are what findings report) and builds `flat`: the content lines joined by single spaces,
paragraph breaks kept as "\n", page-break regions made transparent (a sentence that
runs over a page break stays one sentence), hyphenated line ends re-joined.
`line_of(offset)` maps a flat offset back to its source line.

Sources (see readers.py): a text file keeps its own lines; EDGAR HTML and Word give one
"line" per paragraph (kind "html"/"docx"), so a finding's line is the paragraph number.
Flowed text (EDGAR exhibits with collapsed whitespace) carries page numbers and footers
inline ("Preference.   1 (a) In the event", "-3- 4"): a short number standing between
runs of spaces is blanked out of `flat` so that it neither splits nor joins clauses.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

# a page number or page footer: "2", "  14", "-3-", "- 3 -"
_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*\d{1,3}\s*-|\d{1,3})\s*$")


def is_page_artifact(line: str) -> bool:
    return bool(_PAGE_NUMBER.match(line))


# an inline page number or footer: "   7   ", "  -3- 4 ": a short number (or two) standing
# alone, with a run of at least two spaces on one side (wrapping only turns single spaces
# into line breaks, so the other side may be a line edge)
_INLINE_PAGE = re.compile(r"(?<!\S)(?:-\s?\d{1,3}\s?-|\d{1,3})(?:\s{1,3}(?:-\s?\d{1,3}\s?-|\d{1,3}))?(?!\S)")


def _blank_inline_pages(content: str) -> str:
    """Replace inline page numbers by spaces (same length)."""
    if "  " not in content:
        return content

    def repl(m: re.Match) -> str:
        s, e = m.start(), m.end()
        before = len(content[:s]) - len(content[:s].rstrip(" "))
        after = len(content[e:]) - len(content[e:].lstrip(" "))
        bol, eol = s == 0, e == len(content)
        if (before >= 2 and (after >= 1 or eol)) or (after >= 2 and (before >= 1 or bol)):
            return " " * (e - s)
        return m.group(0)

    return _INLINE_PAGE.sub(repl, content)


@dataclass
class Document:
    path: str
    lines: list[str]
    artifact: list[bool]
    flat: str = ""
    _starts: list[int] = field(default_factory=list)  # flat offset of each emitted segment
    _seg_lines: list[int] = field(default_factory=list)  # 1-based line of each segment
    line_offset: dict[int, int] = field(default_factory=dict)  # line -> flat offset of its first char
    kind: str = "text"  # "text" (a file's own lines) | "html" | "docx" (one line per paragraph)

    @property
    def unit(self) -> str:
        """What a finding's line number counts: "line" or "paragraph"."""
        return "line" if self.kind == "text" else "paragraph"

    @classmethod
    def from_text(cls, text: str, path: str = "<text>") -> "Document":
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\t", "    ")
        return cls.from_lines(text.split("\n"), path)

    @classmethod
    def from_lines(cls, lines: list[str], path: str = "<text>", kind: str = "text") -> "Document":
        lines = [ln.replace("\t", "    ").replace("\u00a0", " ") for ln in lines]
        artifact = [is_page_artifact(ln) for ln in lines]
        doc = cls(path=path, lines=lines, artifact=artifact, kind=kind)
        doc._build_flat()
        return doc

    @classmethod
    def from_path(cls, path: Path | str, text: str | None = None) -> "Document":
        """Read a text, .htm/.html or .docx file (readers.read_source refuses unreadable input)."""
        if text is not None:
            return cls.from_text(text, str(path))
        from .readers import read_source

        src = read_source(path)
        if src.kind == "text":
            return cls.from_text("\n".join(src.lines), str(path))
        return cls.from_lines(src.lines, str(path), kind=src.kind)

    # ------------------------------------------------------------------ flat text
    def is_blank(self, idx: int) -> bool:
        """0-based: blank or page artifact."""
        return self.artifact[idx] or not self.lines[idx].strip()

    def page_break_between(self, a: int, b: int) -> bool:
        """True if the blank region between content lines a < b (0-based) holds a page number."""
        return any(self.artifact[k] for k in range(a + 1, b))

    def _build_flat(self) -> None:
        parts: list[str] = []
        pos = 0
        words = set(re.findall(r"[A-Za-z]+", "\n".join(self.lines).lower()))
        prev_content: int | None = None
        para = self.kind != "text"
        for idx, raw in enumerate(self.lines):
            if self.is_blank(idx):
                continue
            content = _blank_inline_pages(raw.strip())
            if not content.strip():
                continue
            if prev_content is not None:
                sep = " "
                if idx - prev_content > 1 and not self.page_break_between(prev_content, idx):
                    sep = "\n"
                elif para and not (not re.search(r'[.:;]["\u201d]?$', parts[-1]) and content[:1].islower()):
                    sep = "\n"  # every paragraph is its own; a sentence cut (by a page break) is joined
                prev_text = parts[-1] if parts else ""
                # hyphenation at line end: "conver-" + "sion" -> "conversion" if that word exists
                m = re.search(r"([A-Za-z]+)-$", prev_text)
                if sep == " " and m and content[:1].islower():
                    nxt = re.match(r"[a-z]+", content)
                    joined = (m.group(1) + (nxt.group(0) if nxt else "")).lower()
                    sep = ""  # "non-" + "cumulative" stays "non-cumulative"
                    if joined in words:  # "conver-" + "sion": a typesetting hyphen, drop it
                        parts[-1] = prev_text[:-1]
                        pos -= 1
                parts.append(sep)
                pos += len(sep)
            # collapse internal runs of spaces, but keep a map from original columns
            self._starts.append(pos)
            self._seg_lines.append(idx + 1)
            self.line_offset[idx + 1] = pos
            norm = re.sub(r"[ \u00a0]{2,}", " ", content.strip())
            parts.append(norm)
            pos += len(norm)
            prev_content = idx
        self.flat = "".join(parts)

    def line_of(self, offset: int) -> int:
        """1-based source line of a flat offset."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i < 0:
            return 1
        return self._seg_lines[i]

    def flat_span_of_lines(self, start_line: int, end_line: int) -> tuple[int, int]:
        """Flat [start, end) covering source lines start_line..end_line (1-based, inclusive)."""
        s = None
        for ln in range(start_line, end_line + 1):
            if ln in self.line_offset:
                s = self.line_offset[ln]
                break
        if s is None:
            return (0, 0)
        e = None
        for ln in range(end_line + 1, len(self.lines) + 2):
            if ln in self.line_offset:
                e = self.line_offset[ln]
                break
        if e is None:
            e = len(self.flat)
        return (s, e)
