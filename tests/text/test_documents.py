"""Documents in: plain text, EDGAR-style HTML and Word .docx become one Document, and
anything that is not a readable charter text is refused with one line (exit status 2).

The HTML and .docx are made here from a corpus charter's text (never stored in the repo):
one paragraph per few lines, cut where a line ends a sentence, with page footers between
paragraphs and &nbsp; entities; the findings must be the text file's, at the paragraph
that holds each line.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest

from charterverify.cli import main
from charterverify.text import check_text, load_outline
from charterverify.text.document import Document
from charterverify.text.readers import DocumentError, html_lines

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


def corpus(name: str) -> Path:
    p = CORPUS / name
    if not p.is_file():
        pytest.skip(f"corpus not found at {CORPUS.resolve()}")
    return p


_CUT = re.compile(r"[.][\u201d\"]?\s+(?=[A-Z(\u201c])")


def _blocks(path: Path, footers: bool, per: int = 4):
    """Paragraphs of the text, cut at a sentence end once `per` lines are collected (so a line
    may be split between two paragraphs), with a page footer every 5 paragraphs if asked.
    Returns [(kind, text)] and, per line, the paragraph numbers that hold part of it."""
    lines = path.read_text(encoding="utf-8").split("\n")
    blocks: list[tuple[str, str]] = []
    where: dict[int, set[int]] = {}
    cur: list[str] = []
    n_lines = 0

    def flush():
        nonlocal cur, n_lines
        if footers and blocks and len(blocks) % 6 == 5:
            blocks.append(("footer", str(len(blocks) // 6 + 1)))
        blocks.append(("p", " ".join(cur).strip()))
        cur, n_lines = [], 0

    for ln, text in enumerate(lines, 1):
        rest = text
        while True:
            m = _CUT.search(rest) if n_lines + 1 >= per else None
            if not m:
                break
            cur.append(rest[:m.end()].rstrip())
            where.setdefault(ln, set()).add(len(blocks) + 1 + (1 if footers and blocks and len(blocks) % 6 == 5 else 0))
            flush()
            rest = rest[m.end():]
        if rest.strip():
            cur.append(rest)
            where.setdefault(ln, set()).add(len(blocks) + 1 + (1 if footers and blocks and len(blocks) % 6 == 5 else 0))
            n_lines += 1
    if cur:
        flush()
    return blocks, where


def _same_findings(text_findings, para_findings, where) -> None:
    """Every finding of the text is found once in the paragraphs, at a paragraph holding its line."""
    left = sorted((f.rule, f.line, f.clause) for f in para_findings)
    assert len(left) == len(text_findings)
    for f in sorted(text_findings, key=lambda f: (f.rule, f.line)):
        hit = next((x for x in left if x[0] == f.rule and x[2] == f.clause and x[1] in where[f.line]), None)
        assert hit is not None, (f.rule, f.line, f.clause, where[f.line])
        left.remove(hit)


def test_html_gives_the_text_findings_at_the_right_paragraph(tmp_path):
    src = corpus("tenable.txt")
    blocks, where = _blocks(src, footers=True)
    parts = ["<html><head><title>EX-3.1</title><style>p {margin:0}</style></head><body>"]
    for kind, text in blocks:
        if kind == "footer":  # an EDGAR page break: centred page number and a rule
            parts.append(f'<p style="text-align:center">{text}</p><hr style="page-break-after:always"/>')
        else:
            body = html.escape(text, quote=False).replace(" the ", "&nbsp;the&nbsp;", 3)
            parts.append(f"<p style='text-indent:4%'>{body}</p>")
    parts.append("</body></html>")
    page = tmp_path / "tenable.htm"
    page.write_text("\n".join(parts), encoding="utf-8")

    want = check_text(src)
    got = check_text(page)
    assert len(want) > 10  # the text has findings to compare (undefined terms, loose references ...)
    _same_findings(want, got, where)
    assert all(f.witness["paragraph"] == f.line for f in got)
    # the outline is the same: Article IV > C > 2 > (c) at the paragraph holding its line
    o_txt, o_htm = load_outline(src), load_outline(page)
    assert [c.path for c in o_txt.clauses] == [c.path for c in o_htm.clauses]
    (c_txt,) = o_txt.find("IV.C.2(c)")
    (c_htm,) = o_htm.find("IV.C.2(c)")
    assert c_htm.start_line in where[c_txt.start_line]


def test_docx_gives_the_text_findings_at_the_right_paragraph(tmp_path):
    docx = pytest.importorskip("docx")
    src = corpus("tenable.txt")
    blocks, where = _blocks(src, footers=False)
    d = docx.Document()
    d.sections[0].footer.paragraphs[0].text = "Tenable Holdings - page"  # a real footer lives outside the body
    for _, text in blocks:
        d.add_paragraph(text)
    out = tmp_path / "tenable.docx"
    d.save(out)
    _same_findings(check_text(src), check_text(out), where)


def test_html_reader_blocks_entities_tables_and_footers():
    page = ("<html><body><p>ARTICLE&nbsp;IV</p><p>A.&#160;The &amp; “Company” <b>shall</b>\n  have<br>"
            "<table><tr><td>Series A</td><td>$1.00</td></tr></table><script>var x = '<p>no</p>';</script>"
            "<div>- 3 -</div></body></html>")
    assert html_lines(page) == ["ARTICLE IV", "A. The & “Company” shall have", "Series A $1.00", "- 3 -"]  # <br> joins
    doc = Document.from_lines(html_lines(page), "x.htm", kind="html")
    assert doc.unit == "paragraph" and doc.artifact == [False, False, False, True]
    assert doc.flat == "ARTICLE IV\nA. The & “Company” shall have\nSeries A $1.00"


def test_inline_page_numbers_are_blanked_but_amounts_stay():
    doc = Document.from_text("x\nLiquidation Preference.   1 (a) In the event of 12 shares\nend.  -3- 4  Next")
    assert "Preference. (a) In the event of 12 shares" in doc.flat
    assert "end. Next" in doc.flat


# ----------------------------------------------------------------------------- refusals


def _refused(capsys, path) -> str:
    code = main(["--text-only", str(path)])
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert "\n" not in err and "Traceback" not in err
    with pytest.raises(DocumentError):
        Document.from_path(path)
    return err


def test_refuses_directory_empty_binary_pdf_and_undecodable(tmp_path, capsys):
    assert "is a directory" in _refused(capsys, tmp_path)
    (tmp_path / "empty.txt").write_bytes(b"")
    assert "empty" in _refused(capsys, tmp_path / "empty.txt")
    (tmp_path / "ws.txt").write_bytes(b"  \n\n ")
    assert "whitespace" in _refused(capsys, tmp_path / "ws.txt")
    (tmp_path / "bin.txt").write_bytes(b"ARTICLE I\x00\x01\x02")
    assert "binary" in _refused(capsys, tmp_path / "bin.txt")
    (tmp_path / "c.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj")
    assert "PDF" in _refused(capsys, tmp_path / "c.pdf")
    (tmp_path / "und.txt").write_bytes(b"caf\xe9 \x81\x8d\x8f\x90\x9d")  # not UTF-8, and 0x81 is not cp1252
    assert "undecodable" in _refused(capsys, tmp_path / "und.txt")
    (tmp_path / "fake.docx").write_text("ARTICLE I", encoding="utf-8")
    assert "not a Word" in _refused(capsys, tmp_path / "fake.docx")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    assert "Word" in _refused(capsys, tmp_path / "broken.docx")


def test_refuses_more_than_20_mb_without_reading_it(tmp_path, capsys):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:  # sparse: the size is checked with os.stat before any read
        fh.truncate(20 * 1024 * 1024 + 1)
    assert "20 MB" in _refused(capsys, big)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_refuses_a_fifo_without_blocking(tmp_path, capsys):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # opening it for reading would block until a writer comes
    assert "not a regular file" in _refused(capsys, fifo)
    code = main(["--outline", str(fifo)])
    assert code == 2


def test_windows_1252_text_is_read(tmp_path):
    p = tmp_path / "w.txt"
    p.write_bytes("ARTICLE I\n\nThe name is \u201cCaf\u00e9 Co.\u201d\n".encode("cp1252"))
    assert Document.from_path(p).flat == "ARTICLE I\nThe name is \u201cCaf\u00e9 Co.\u201d"


def test_a_sentence_cut_between_paragraphs_is_joined(tmp_path):
    page = tmp_path / "cut.htm"
    page.write_text("<html><body><p>1. Dividends. The holders of Preferred Stock shall</p>"
                    "<p style='text-align:center'>2</p><p>be entitled to dividends.</p>"
                    "<p>2. Liquidation. (a) First.</p></body></html>", encoding="utf-8")
    doc = Document.from_path(page)
    assert doc.flat == ("1. Dividends. The holders of Preferred Stock shall be entitled to dividends.\n"
                        "2. Liquidation. (a) First.")
    o = load_outline(page)
    assert [(c.path, c.start_line) for c in o.clauses] == [("1", 1), ("2", 4), ("2(a)", 4)]
    assert doc.line_of(doc.flat.index("entitled")) == 3  # the paragraph holding the words


def test_a_model_reads_its_text_from_a_docx(tmp_path, capsys):
    """`verify MODEL --text charter.docx`: the text checks and the traceability of the model's
    numbers run on the Word file as on the text (one paragraph per blank-line block)."""
    import json

    docx = pytest.importorskip("docx")
    seed = CORPUS / ".." / "seeds" / "002_5aeb33a19f16eb7e.txt"
    model = Path(__file__).resolve().parents[2] / "charters" / "quintus.toml"
    if not seed.is_file() or not model.is_file():
        pytest.skip("seeds or charters not found")
    d = docx.Document()
    for block in seed.read_text(encoding="utf-8").split("\n\n"):
        d.add_paragraph(" ".join(block.split()))
    out = tmp_path / "quintus.docx"
    d.save(out)

    def findings(*extra):
        main([str(model), "--no-properties", "--format", "json", *extra])
        return json.loads(capsys.readouterr().out)["findings"]

    from_txt, from_docx = findings(), findings("--text", str(out))
    assert len(from_txt) >= 10  # the seed's golden findings (tests/text/test_text_seeds.py)
    assert sorted(f["rule"] for f in from_docx) == sorted(f["rule"] for f in from_txt)
    assert all(f["file"] == str(out) for f in from_docx
               if f["rule"].startswith("text.") and f["rule"] not in ("text.untraced-number", "text.unused-amount"))
