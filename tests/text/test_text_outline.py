from textwrap import dedent

from charterverify.text import clause_text, parse_outline, render_outline

CHARTER = dedent("""\
    ARTICLE I

         The name of this corporation is Fixture Co.

    ARTICLE IV

         A. Classes of Stock. The corporation may issue Common Stock and Preferred Stock.

         B. Preferred Stock.

              1. Dividends. Dividends are non-cumulative.

              2. Liquidation Preference.

                   (a) In the event of any liquidation, the holders shall receive
    $1.00 per share, plus declared but unpaid dividends, and then

                        (i) first, the Series A amount;

                        (ii) second, the Series B amount.

                   (b) Upon completion of the distributions required by
    subsection (a), the remaining assets go to Common Stock.



                                       2


                   (c) No Fractional Shares.

                        (i) No fractional shares.

                   (d) Other.

                   (e) More.

                   (f) Yet more.

                   (g) Still more.

                   (h) Notices.

                   (i) Reservation of Stock. This (i) follows (h), so it is a letter.

              3. Conversion. Each share converts as provided in Section 2(a)(ii) and
    Sections 5(c)(ii)
    (B) or 2(b) above.
    """)


def test_outline_structure_and_paths():
    o = parse_outline(CHARTER)
    paths = [c.path for c in o.clauses]
    assert paths[:6] == ["I", "IV", "IV.A", "IV.B", "IV.B.1", "IV.B.2"]
    assert "IV.B.2(a)(i)" in paths and "IV.B.2(a)(ii)" in paths
    assert "IV.B.2(c)(i)" in paths
    # (i) right after (h) is the letter i, not a romanette under (h)
    assert "IV.B.2(i)" in paths and "IV.B.2(h)(i)" not in paths
    # a wrapped reference "(B) or 2(b)" at a line start is not a clause
    assert not any(p.endswith("(B)") for p in paths)
    assert paths[-1] == "IV.B.3"


def test_outline_headings_spans_and_page_numbers():
    o = parse_outline(CHARTER)
    (liq,) = o.find("IV.B.2")
    assert liq.heading == "Liquidation Preference"
    assert liq.level == 2
    (b,) = o.find("IV.B.2(b)")
    assert b.start_line < b.end_line
    assert "2" not in [c.label for c in o.clauses if c.start_line == b.end_line + 5]
    (c,) = o.find("IV.B.2(c)")
    assert c.heading == "No Fractional Shares"
    assert c.children and c.children[0].label == "i"
    assert c.parent is o.find("IV.B.2")[0]


def test_find_tolerates_any_level_and_suffix():
    o = parse_outline(CHARTER)
    assert [c.path for c in o.find("2(a)")] == ["IV.B.2(a)"]
    assert [c.path for c in o.find("IV.B.2(a)(ii)")] == ["IV.B.2(a)(ii)"]
    # lenient: a source with an extra level still finds the clause
    assert [c.path for c in o.find("IV.X.B.2")] == ["IV.B.2"]
    assert o.find("IV.B.9") == []


def test_render_and_clause_text():
    o = parse_outline(CHARTER)
    out = render_outline(o)
    assert "    IV.B.2  [lines" in out and "Liquidation Preference" in out
    txt = clause_text(o, CHARTER, "IV.B.2(a)")
    assert txt.startswith("(a) In the event") and "second, the Series B amount" in txt
    assert clause_text(o, CHARTER, "IV.B.7") is None


def test_dotted_styles_and_ordinal_articles():
    text = dedent("""\
        FOURTH. The corporation may issue stock.

             1. Designation.

                  a. First paragraph.

                       (i) item one;

                       (ii) item two.

                  b. Second paragraph.

        FIFTH. Bylaws.

        "A. DIVIDENDS.

             1. Generally. Text.

             8. Sale of Shares.

                  (iii) Clause.
        """)
    o = parse_outline(text)
    paths = [c.path for c in o.clauses]
    assert "FOURTH.1(a)(ii)" in paths and "FOURTH.1(b)" in paths and "FIFTH" in paths
    assert "FIFTH.A.8(iii)" in paths  # "A." after an article is a division of it
    assert o.find("FIFTH.A")[0].quoted
    assert [c.path for c in o.find("A.8.(iii)")] == ["FIFTH.A.8(iii)"]


def test_seed_outlines_parse(seed):
    from charterverify.text import load_outline

    o = load_outline(seed("quintus"))
    assert [c.path for c in o.find("IV.B.2(a)(v)")] == ["IV.B.2(a)(v)"]
    assert o.find("IV.B.3(d)(ii)(I)")  # (I) after (H) is a letter
    assert len(o.find("IV.B.2(a)")[0].children) == 11
    k = load_outline(seed("kinzan"))
    assert [c.path for c in k.find("FOURTH.B.4(i)")] == ["FOURTH.B.4(i)"]
    assert [c.label for c in k.find("FOURTH.B.4(h)")[0].children] == ["i", "ii"]
    n = load_outline(seed("netgear"))
    assert n.find("V.4(d)(v)(2)(y)") and n.find("V.4(d)(iii)(4)(b)")
    v = load_outline(seed("valuestar"))
    assert v.find("D.14")[0].heading == "Notices"
    j = load_outline(seed("juniper"))
    assert j.find("FOURTH.6(a)(i)") and j.find("FOURTH.6(j)")


# ------------------------------------------------------------------ real EDGAR charters
# Flowed text: labels run inline, page numbers stand inline between runs of spaces.  Every
# path and line below was read in the corpus text (../shared/corpus, never copied here).

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


def corpus_outline(name: str):
    from charterverify.text import load_outline

    p = CORPUS / name
    if not p.is_file():
        pytest.skip(f"corpus not found at {CORPUS.resolve()}")
    return load_outline(p)


def at(o, path: str) -> tuple[int, str]:
    (c,) = o.find(path)
    assert c.path == path
    return c.start_line, c.heading


def test_tenable_inline_labels():
    o = corpus_outline("tenable.txt")
    # "EXHIBIT A   ARTICLE I The name ..." (line 14): an article heading with no sentence end before it
    assert at(o, "I") == (14, "")
    assert [c.path for c in o.clauses[:6]] == ["A", "B", "C", "I", "II", "III"]  # the certificate's A. B. C. first
    # "Article IV, Section C.2(c)" exists: "... such shares. (c) After payment ..." on line 63
    assert at(o, "IV.C.2(c)") == (63, "")
    # "2. Liquidation Preference.   1 (a) In the event": the page number 1 is no clause (line 36)
    assert at(o, "IV.C.2") == (35, "Liquidation Preference")
    assert [c.path for c in o.clauses if c.start_line == 36] == ["IV.C.2(a)"]
    # (1) after "deemed to be:" and (2) after ", and" (lines 111, 114)
    assert at(o, "IV.C.2(e)(i)(D)(2)") == (114, "")
    # (i) after (h) is the letter: "(i) Notices of Record Date" (line 517), not a romanette of (h);
    # the inline "(i) such adjustments ..., (ii) ..." in (h)'s text (line 514) is no clause
    assert at(o, "IV.C.5(h)") == (507, "Certificates as to Adjustments")
    assert at(o, "IV.C.5(i)") == (517, "Notices of Record Date")
    assert [c.label for c in o.find("IV.C.5(h)")[0].children] == []


def test_akouos_decimal_sections():
    o = corpus_outline("akouos.txt")
    assert at(o, "FOURTH.B.2.3") == (120, "Distribution of Remaining Assets")
    assert at(o, "FOURTH.B.2.4.1(a)") == (143, "")
    # "foregoing;   3.3.2 amend ..." (line 297): an item after a semicolon continues 3.3.1
    assert at(o, "FOURTH.B.3.3.2") == (297, "")
    # "under Subsections 2.1, 2.2 and 2.3" (lines 130-131) is a reference, not three clauses
    assert [c.start_line for c in o.clauses if c.path == "FOURTH.B.2.2"] == [103]


def test_gitlab_page_numbers_and_split_labels():
    o = corpus_outline("gitlab.txt")
    # "other distribution; and 2 3.3     In the case ..." (line 102): page 2 between ';' and 3.3
    assert at(o, "IV.A.3.3")[0] == 102
    # "... Preferred Stock. 5\n.6     Adjustments ..." (lines 943-944): a label split in the copy
    assert at(o, "IV.B.5.6") == (943, "Adjustments to Conversion Price for Diluting Issuances")
    assert at(o, "IV.B.5.6.1") == (944, "Special Definitions")


def test_corpus_article_styles():
    # "follows: 2 A. Dividends. 1. Preferential Dividend. a. The holders" (silicon-energy line 21)
    s = corpus_outline("silicon-energy.txt")
    assert at(s, "V.A") == (21, "Dividends") and at(s, "V.A.1(a)")[0] == 21
    # "V. A. The liability" (ethos line 646); "   7. (d) Notwithstanding" (line 274) is page 7, not a Section 7
    e = corpus_outline("ethos.txt")
    assert at(e, "V.A")[0] == 646 and at(e, "IV.D.3(d)")[0] == 274
    assert [c.label for c in e.find("IV.D")[0].children] == ["1", "2", "3", "4", "5"]
    # "II The address" / "V A. The liability" (beceem lines 10, 709): bare roman numerals
    b = corpus_outline("beceem.txt")
    assert [c.label for c in b.root.children] == ["I", "II", "III", "IV", "V", "VI"]
    # "FIRST           The name", "NINTH      A director", "TENTH       1.  Right" (alexza 17, 560, 571)
    a = corpus_outline("alexza.txt")
    assert [c.label for c in a.root.children][3:] == ["FIRST", "SECOND", "THIRD", "FOURTH", "FIFTH", "SIXTH",
                                                       "SEVENTH", "EIGHTH", "NINTH", "TENTH", "ELEVENTH"]
    assert at(a, "TENTH.1")[0] == 571
    # "ARTICLE 4. ... 4.1. Dividends" (novabay): 4.1 is section 1 of Article 4
    n = corpus_outline("novabay.txt")
    assert at(n, "4.3") == (65, "Conversion") and n.find("4.3")[0].parent.style == "article"


def test_corpus_spurious_clauses_are_rare():
    """Siblings out of sequence (a gap, a repeat, a list opening at (b)) are where a spurious
    clause would show.  On these four charters each one left was read: all are in the text."""
    expect = {
        # "I. Dividend Rights" (line 625) is written with a letter I; the certificate of correction
        # numbers its paragraphs 1. 2. 3. 4. and restarts them (lines 731, 738, 745)
        "tenable.txt": {("IV.I", 625), ("IV.I.2", 629), ("IX.D.1", 731), ("IX.D.1", 738), ("IX.D.1", 745)},
        "akouos.txt": set(),
        "gitlab.txt": {("FIRST", 1321)},  # the certificate of amendment restarts its articles
        "yodlee.txt": set(),
    }
    for name, want in expect.items():
        o = corpus_outline(name)
        odd = set()
        for p in [o.root] + o.clauses:
            prev = None
            for ch in p.children:
                if prev is not None and prev.style == ch.style and ch.value != prev.value + 1:
                    odd.add((ch.path, ch.start_line))
                elif prev is None and ch.value != 1 and ch.style != "article":
                    odd.add((ch.path, ch.start_line))
                prev = ch
        assert odd == want, name
        assert len(o.clauses) > 100
