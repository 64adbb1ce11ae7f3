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
