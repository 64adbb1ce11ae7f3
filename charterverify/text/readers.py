"""Read a charter file into paragraphs: plain text, EDGAR HTML, Word .docx.

`read_source(path)` returns a `Source`: the text lines and whether each line is a
paragraph of its own (HTML and Word) or a line of a text file (its own line structure).
For HTML and Word the "line" a finding names is the paragraph number.

Anything that is not a readable regular file is refused with `DocumentError` (an input
error: one line, exit status 2): a directory, a FIFO or device (checked with os.stat
before opening, so nothing blocks), an empty file, more than 20 MB, binary content (NUL
bytes), a PDF, undecodable text, a .docx that is not a Word document.
"""

from __future__ import annotations

import io
import os
import re
import stat
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..model import ModelError

MAX_BYTES = 20 * 1024 * 1024


class DocumentError(ModelError):
    """A charter text that cannot be read: the message is one line for the user."""


@dataclass
class Source:
    lines: list[str]
    kind: str  # "text" | "html" | "docx"

    @property
    def paragraphs(self) -> bool:
        return self.kind != "text"


def check_readable(path: Path | str) -> os.stat_result:
    """stat() the path and refuse anything but a non-empty regular file of at most 20 MB."""
    p = str(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise DocumentError(f"{p}: no such file") from None
    except OSError as e:
        raise DocumentError(f"{p}: cannot read ({e.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise DocumentError(f"{p}: is a directory, not a charter text")
    if not stat.S_ISREG(st.st_mode):
        raise DocumentError(f"{p}: not a regular file (a FIFO, socket or device); give a text, .htm or .docx file")
    if st.st_size == 0:
        raise DocumentError(f"{p}: the file is empty")
    if st.st_size > MAX_BYTES:
        raise DocumentError(f"{p}: {st.st_size:,} bytes is more than the 20 MB a charter text may have")
    return st


def read_source(path: Path | str) -> Source:
    p = str(path)
    check_readable(p)
    try:
        with open(p, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as e:
        raise DocumentError(f"{p}: cannot read ({e.strerror})") from None
    if len(data) > MAX_BYTES:
        raise DocumentError(f"{p}: more than the 20 MB a charter text may have")
    if not data:
        raise DocumentError(f"{p}: the file is empty")
    ext = Path(p).suffix.lower()
    if data.startswith(b"%PDF"):
        raise DocumentError(f"{p}: a PDF; give the charter as text, .htm/.html or .docx")
    if data.startswith(b"PK\x03\x04"):
        if ext in (".docx", ".docm", ".dotx"):
            return Source(_docx_lines(p, data), "docx")
        raise DocumentError(f"{p}: a zip archive, not a charter text (a Word file must be named .docx)")
    if ext == ".docx":
        raise DocumentError(f"{p}: not a Word .docx file (it is not a zip package)")
    if ext in (".doc", ".rtf") or data.startswith(b"\xd0\xcf\x11\xe0") or data.startswith(b"{\\rtf"):
        raise DocumentError(f"{p}: an old Word/RTF file; save it as .docx or text")
    text = _decode(p, data)
    if ext in (".htm", ".html", ".xhtml") or (ext not in (".txt", ".text", ".md") and _looks_like_html(text)):
        lines = html_lines(text)
        if not any(ln.strip() for ln in lines):
            raise DocumentError(f"{p}: the HTML holds no text")
        return Source(lines, "html")
    if not text.strip():
        raise DocumentError(f"{p}: the file holds only whitespace")
    return Source(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), "text")


def _decode(p: str, data: bytes) -> str:
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise DocumentError(f"{p}: undecodable UTF-16 text") from None
    if b"\x00" in data:
        raise DocumentError(f"{p}: binary data (NUL bytes), not a charter text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # EDGAR HTML and older exhibits are often Windows-1252; accept it only when strict decoding works
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise DocumentError(f"{p}: undecodable text (neither UTF-8 nor Windows-1252)") from None
    controls = len(re.findall(r"[\x00-\x08\x0e-\x1f]", text[:200_000]))
    if controls > max(8, len(text[:200_000]) // 1000):
        raise DocumentError(f"{p}: binary data (control characters), not a charter text")
    return text


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or bool(re.search(r"<(?:html|body)\b", head))


# ---------------------------------------------------------------------- HTML

_BLOCK = {"p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "hr", "center",
          "blockquote", "pre", "ul", "ol", "dl", "dt", "dd", "section", "article", "title", "page"}
_SKIP = {"script", "style", "head"}


class _HTMLText(HTMLParser):
    """Blocks of text: a paragraph, a heading, a table row (cells joined by spaces)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.cur: list[str] = []
        self.skip = 0

    def _flush(self) -> None:
        text = re.sub(r"[ \t\r\n\u00a0\u200b]+", " ", "".join(self.cur)).strip()
        if text:
            self.blocks.append(text)
        self.cur = []

    def handle_starttag(self, tag, attrs):  # noqa: D401
        tag = tag.lower()
        if tag in _SKIP:
            self.skip += 1
        elif tag in ("td", "th", "br"):
            self.cur.append(" ")  # a <br> inside a paragraph is a line break, not a new paragraph
        elif tag in _BLOCK:
            self._flush()

    def handle_startendtag(self, tag, attrs):
        if tag.lower() in _BLOCK:
            self._flush()
        elif tag.lower() == "br":
            self.cur.append(" ")

    def handle_endtag(self, tag):
        tag = tag.lower()
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th"):
            self.cur.append(" ")
        elif tag in _BLOCK:
            self._flush()

    def handle_data(self, data):
        if not self.skip:
            self.cur.append(data)


def html_lines(text: str) -> list[str]:
    """One line per block of the HTML (paragraph, heading, table row), entities decoded."""
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    parser._flush()
    return parser.blocks


# ---------------------------------------------------------------------- Word


def _docx_lines(p: str, data: bytes) -> list[str]:
    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:  # pragma: no cover - a declared dependency
        raise DocumentError(f"{p}: reading .docx needs python-docx (pip install python-docx)") from None
    try:
        d = docx.Document(io.BytesIO(data))
    except Exception as e:  # a corrupt package: python-docx raises many kinds
        raise DocumentError(f"{p}: not a readable Word document ({type(e).__name__})") from None
    out: list[str] = []
    body = d.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(Paragraph(child, d).text.replace("\u00a0", " ").replace("\t", " "))
        elif tag == "tbl":
            for row in Table(child, d).rows:
                cells = []
                for cell in row.cells:
                    t = " ".join(par.text for par in cell.paragraphs).strip()
                    if t and (not cells or cells[-1] != t):  # merged cells repeat
                        cells.append(t)
                out.append(" ".join(cells))
    return out
