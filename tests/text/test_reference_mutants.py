"""Tests written for the mutation run over charterverify/text/references.py (docs/testing.md).

Each test names the mutant it kills. The texts are made-up drafting snippets in the style of
NVCA-form charters and of certificates of amendment that quote the restated article.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from charterverify.findings import Severity
from charterverify.text import check_text, parse_outline
from charterverify.text.references import check_wrong_clause, find_references, parse_designator, resolve


def _resolved(text: str):
    o = parse_outline(text)
    refs = find_references(o)
    resolve(o, refs)
    return o, refs


def _flowed(words: str) -> str:
    return textwrap.fill(" ".join(words.split()), 100)


# A certificate of amendment (FIRST ... FOURTH) that restates its Article FOURTH inside a
# quotation: two articles numbered FOURTH, the wrapper's (line 17) and the quoted one (line 6).
AMENDMENT = """CERTIFICATE OF AMENDMENT OF THE CERTIFICATE OF INCORPORATION OF FIXTURE CO.

FIRST: The name of the corporation is Fixture Co.

SECOND: The Certificate of Incorporation is amended by deleting Article FOURTH and inserting the
following in lieu thereof: \u201cFOURTH: The Corporation may issue 1,000 shares of Common Stock and
500 shares of Preferred Stock.

A. Common Stock. Each share of Common Stock has one vote.

B. Preferred Stock. The holders of Preferred Stock shall be paid first. The number of authorized
shares of each class set forth in this Article FOURTH may be increased with the approval of the
holders of a majority of the Common Stock.\u201d

THIRD: The foregoing amendment of Article FOURTH was duly adopted.

FOURTH: This Certificate of Amendment takes effect on filing.
"""


def test_an_article_reference_prefers_the_quoted_article():
    """Issue 17: kills dropping "a reference to an article prefers the quoted one" (the
    `h.quoted` filter in references._scoped; with it gone both FOURTHs match at the root and the
    reference is 'ambiguous' between two clauses of the same path). Run by hand with the filter
    removed from match_clauses and _scoped: 1 failed."""
    o, refs = _resolved(AMENDMENT)
    quoted, wrapper = o.find("FOURTH")
    assert (quoted.quoted, quoted.start_line, wrapper.quoted, wrapper.start_line) == (True, 6, False, 17)
    got = [(" ".join(r.text.split()), r.line, r.status, [t.start_line for t in r.targets]) for r in refs]
    assert got == [
        ("Article FOURTH", 5, "resolved", [6]),  # "deleting Article FOURTH and inserting ..."
        ("this Article FOURTH", 12, "resolved", [6]),  # written inside the quoted FOURTH.B
        ("Article FOURTH", 15, "resolved", [6]),  # "The foregoing amendment of Article FOURTH"
    ]


# Sections 1 to 4 of a preferred stock article; the statutes are named before "Section" and
# their section numbers are small, so only the name before "Section" shows they are external.
STATUTES = _flowed("""
ARTICLE IV A. Preferred Stock. 1. Dividends. No dividends are payable. 2. Liquidation. (a) The
holders of Preferred Stock are paid first. (b) Then the holders of Common Stock. 3. Transfers. A
transfer exempt under Securities Act Section 4(a)(2) is permitted, and a "group" has the meaning
given in Exchange Act Section 13(d), and an election under Code Section 83(b) is permitted. 4.
Notices. Notices are written.""")


def test_a_statute_named_before_section_is_external():
    """Issue 17: kills dropping the statute-name check before "Section"
    (`_EXTERNAL_BEFORE` in references._is_external): "Securities Act Section 4(a)(2)" would then
    be read as a reference into this article (resolved against its clauses), and "Exchange Act
    Section 13(d)" and "Code Section 83(b)" as dangling references (errors) to sections this
    article does not have. Run by hand with that check removed: 1 failed."""
    _, refs = _resolved(STATUTES)
    got = {" ".join(r.text.split()): r.status for r in refs}
    assert got == {"Section 4(a)(2)": "external", "Section 13(d)": "external", "Section 83(b)": "external"}
    assert [f for f in check_text(Path("s.txt"), STATUTES) if "reference" in f.rule] == []


# Two articles with a Section 1 and a Section 2 each; Article IV's sections sit one level deeper
# (IV.B.1, IV.B.2), so the nearest Section 1 depends on where a reference is written.
MISSING = _flowed("""
ARTICLE IV A. Common Stock. Each share has one vote. B. Preferred Stock. 1. Dividends. (a) None
are payable. (b) None accrue. 2. Liquidation. (a) Preference. The holders are paid first under
Section 1(z). (b) Remainder. The rest goes to Common. (c) Notice. Notice is given. ARTICLE V 1.
Directors. (a) Number. The board has five members. (b) Election. Directors are elected annually.
2. Meetings. Meetings follow Section 1(z) of Article IV. Votes follow Section 2(z)(i). Notice
follows Section B.7. Minutes follow Section 9. Proxies follow clause (c) of this Section.""")


def test_a_dangling_reference_names_the_longest_prefix_that_exists():
    """The message of a dangling reference (references._describe_missing), per reference:

    - "Section 1(z)" written in IV.B.2(a): the nearest Section 1 is IV.B.1 (kills resolving the
      prefix from the root, `r.context and outline.root`, which finds the shallower V.1);
    - "Section 1(z) of Article IV" written in V.2: the prefix is looked up inside the anchor
      (kills the anchor dropped: `anchor = None`, `ah = None`, the anchor not passed on, which
      give V.1 or "names no clause");
    - "Section 2(z)(i)": neither 2(z) nor 2(z)(i) exists, Section 2 does: "V.2 has no (z)(i)"
      (kills `range(..., -2)`, which skips the one-label prefix, and a separator in the join);
    - "Section B.7.": a label without parentheses stays without them ("IV.B has no 7");
    - "Section 9" and "clause (c) of this Section": no prefix; the (c) exists in IV.B.2, so that
      one is a warning naming it (kills `range(len + 1, ...)`, which "finds" the whole reference
      and says "IV.B.2(c) has no ")."""
    fs = [f for f in check_text(Path("m.txt"), MISSING) if f.rule == "text.dangling-reference"]
    got = {(f.witness["reference"], f.severity): f.message.split(" does not resolve: ", 1)[1] for f in fs}
    nowhere = "no clause with that label exists."
    assert got == {
        ("Section 1(z)", Severity.ERROR): "IV.B.1 has no (z).",
        ("Section 1(z) of Article IV", Severity.ERROR): "IV.B.1 has no (z).",
        ("Section 2(z)(i)", Severity.ERROR): "V.2 has no (z)(i).",
        ("Section B.7.", Severity.ERROR): "IV.B has no 7.",
        ("Section 9", Severity.ERROR): nowhere,
        ("clause (c) of this Section", Severity.WARNING):
            nowhere + " The label exists elsewhere (IV.B.2(c), line 3); check which clause is meant.",
    }


def test_a_reference_that_leaves_out_a_level_may_end_on_an_inner_decimal():
    """"Article V, Section 2" in a charter whose Article V numbers its sections 3.1, 3.2: no
    clause V.2 exists, and the reading that leaves out the level 3 (V.3.2) is offered as a
    warning. The 2 of 3.2 is an inner part of a decimal number: it may not START a reference
    ("Section 2.1" is never the 2.1 of 3.2.1) but may end one. Kills, in references._subseq_ok,
    the last label checked as if it were the first (`len(comps) != 1`, `len(comps) == 2`)."""
    text = "ARTICLE V\n\n3.1 Term. The term is perpetual.\n\n3.2 Notice. Notice is written.\n\nARTICLE VI\n\n" \
           "1. Other. Notice follows Article V, Section 2.\n"
    _, refs = _resolved(text)
    assert [(r.text, r.status, [t.path for t in r.targets]) for r in refs] == [
        ("Article V, Section 2", "loose", ["V.3.2"])]
    fs = [f for f in check_text(Path("l.txt"), text) if "reference" in f.rule]
    assert [(f.severity, f.line, f.witness) for f in fs] == [
        (Severity.WARNING, 9, {"reference": "Article V, Section 2", "target": "V.3.2"})]


def test_a_reference_inside_its_anchor_skips_the_anchor_itself():
    """"clause (A) of Section 2(a)": the candidates with the last label A/a inside the anchor
    IV.2(a) are the anchor itself (label (a), looked past) and IV.2(a)(i)(A). Kills `continue` ->
    `break` in references.match_clauses (stopping at the anchor leaves nothing inside it, and
    the reference becomes a dangling warning)."""
    text = _flowed("""
    ARTICLE IV 1. Dividends. None are payable. 2. Liquidation. (a) Preference. (i) The holders are
    paid first. (A) In cash. (B) In kind. (ii) Then the rest. (b) Remainder. The rest follows clause
    (A) of Section 2(a). 3. Notices. Notices are written.""")
    o, refs = _resolved(text)
    assert [(r.text, r.anchor_text, r.status, r.targets) for r in refs] == [
        ("clause (A)", "of Section 2(a)", "resolved", o.find("IV.2(a)(i)(A)"))]
    assert [f for f in check_text(Path("a.txt"), text) if "reference" in f.rule] == []


def test_a_level_left_out_inside_an_anchor_is_a_warning():
    """"Section 2(ii) of Article IV" where IV.2 has (a)(i) and (a)(ii): no IV.2(ii), but
    IV.2(a)(ii) fits with the level (a) left out, a warning naming it. Kills the mode not passed
    on in references.match_clauses (`_ok(comps, info, None)`: inside an anchor the skip reading
    became a suffix reading, and the reference an error "IV.2 has no (ii)")."""
    text = _flowed("""
    ARTICLE IV 1. Dividends. None are payable. 2. Liquidation. (a) Preference. (i) The holders are
    paid first. (ii) Then the rest. (b) Remainder. The rest goes to Common. ARTICLE V 1. Notices.
    Notices follow Section 2(ii) of Article IV.""")
    fs = [f for f in check_text(Path("k.txt"), text) if "reference" in f.rule]
    assert [(f.rule, f.severity, f.witness) for f in fs] == [
        ("text.dangling-reference", Severity.WARNING,
         {"reference": "Section 2(ii) of Article IV", "target": "IV.2(a)(ii)"})]


def test_a_hyphenated_statute_section_is_external():
    """"Section 7-107-104 of the statutes of Colorado" (Colorado numbers its statutes' sections
    title-article-section) names no statute the way the name check reads one (a capitalised Law,
    Act, Code, Statutes ...), so only its hyphenated number shows it is external; read
    as this charter's own, it would be a dangling reference (an error). Kills the hyphenated-number
    check in references._is_external (its pattern mutated or given None)."""
    text = _flowed("""
    ARTICLE IV 1. Dividends. None are payable. 2. Consents. The shareholders may act by written
    consent as permitted by Section 7-107-104 of the statutes of Colorado. 3. Notices. Notices are written.""")
    _, refs = _resolved(text)
    assert [(r.text, r.status) for r in refs] == [("Section 7-107-104", "external")]
    assert [f for f in check_text(Path("c.txt"), text) if "reference" in f.rule] == []


def test_a_section_thereof_belongs_to_the_statute_just_named():
    """"the Securities Act and Section 3(a) thereof": the statute's Section 3(a), not this
    charter's IV.3(a) (which exists). Kills the `thereof|thereunder|therein` check in
    references._is_external (with it mutated the reference silently resolves to IV.3(a))."""
    text = _flowed("""
    ARTICLE IV 1. Dividends. None are payable. 2. Liquidation. The holders are paid first. 3.
    Transfers. (a) Exempt Transfers. A transfer exempt under the Securities Act and Section 3(a)
    thereof is permitted. (b) Other Transfers. Other transfers need consent.""")
    _, refs = _resolved(text)
    assert [(r.text, r.status, r.targets) for r in refs] == [("Section 3(a)", "external", [])]



def test_a_reference_followed_by_in_article_is_not_a_document():
    """"as provided in Section 2 and in Article FIFTH": what follows "in" is another reference,
    not the name of a document (an ordinal in capitals reads like an acronym such as "DGCL" to the
    name check). Kills the keyword check in references._is_external (its pattern mutated: Section 2
    became external and was never resolved)."""
    text = ("ARTICLE FOURTH\n\n1. Dividends. None are payable.\n\n2. Liquidation. The holders are paid first.\n\n"
            "3. Voting. Holders vote as provided in Section 2 and in Article FIFTH.\n\n"
            "ARTICLE FIFTH\n\nThe board has five members.\n")
    o, refs = _resolved(text)
    assert [(r.text, r.status, r.targets) for r in refs] == [
        ("Section 2", "resolved", o.find("FOURTH.2")), ("Article FIFTH", "resolved", o.find("FIFTH"))]


def test_a_section_of_this_certificate_is_internal():
    """"Section 2 of this Certificate of Incorporation" names this document's Section 2. Kills
    `return False` -> `return True` after the this/these check in references._is_external (the
    reference would be taken for one into another document and never checked)."""
    text = ("ARTICLE IV\n\n1. Dividends. None are payable.\n\n2. Liquidation. The holders are paid first.\n\n"
            "3. Notices. Notices under Section 2 of this Certificate of Incorporation are written.\n")
    o, refs = _resolved(text)
    assert [(r.text, r.status, r.targets) for r in refs] == [("Section 2", "resolved", o.find("IV.2"))]


# ---------------------------------------------------------------------------------- resolve
# The 91 survivors of references.resolve (docs/testing.md). Each text below is a made-up
# preferred-stock article; the outline paths in the comments are what parse_outline gives.


def _got(refs):
    return [(" ".join(r.text.split()), r.anchor_text, r.status, [t.path for t in r.targets]) for r in refs]


# "X of this Section / subsection / paragraph / clause / Article": the anchor is the nearest
# enclosing clause of the kind named (Section: a numbered, lettered or decimal section;
# subsection: a lettered clause or a decimal one; paragraph: either, or a numbered one; an
# unnamed kind reads as the numbered section; failing all, the nearest numbered, lettered or
# decimal clause). In each case below the label is missing from the right anchor but present in
# a wider one, so an anchor that is too wide shows as "resolved" instead of "dangling".
OF_THIS = _flowed("""
ARTICLE IV A. Preferred Stock. 1. Dividends. (a) None are payable. (b) None accrue. (c) None are
declared. 2. Liquidation. (a) The holders are paid first. (b) The rest follows paragraph (c) of this
Section. 3. Voting. 3.1 General. (a) Holders vote. 3.2 Class. Votes follow paragraph (a) of this
Section, clause (a) of this paragraph and clause (a) of this clause. 4. Conversion. (a) Right. (i)
Each share converts. (ii) At the option of the holder. (b) Mechanics. Shares convert under clause
(ii) of this subsection and clause (ii) of this paragraph. 5. Redemption. (a) Date. (i) On the fifth
anniversary. (b) Price. Par, on the date in clause (i) of this clause and clause (i) of this
subparagraph. 6. Notices. a. Form. Notices are written. b. Timing. Notices follow clause (c) of this
subsection and clause (c) of this paragraph. c. Place. At the office. 7. Waiver. Waivers follow clause (c) of this subsection. B. Common Stock. Common votes
under Section 2 of this Article and Section 9 of this Article, and clause (c) of this subsection.
ARTICLE V The board follows clause (c) of this Section. ARTICLE VI 6.1 Term. (a) Perpetual. 6.2
Renewal. Renewal follows clause (a) of this clause.""")


def test_of_this_kind_anchors_the_nearest_clause_of_that_kind():
    """Kills, in references.resolve, the anchor table of "of this <kind>" mutated (a kind's key
    or one of its styles renamed, `.get(None, ...)`, the default dropped: TypeError), the anchor
    dropped (`anchor_clause = None`), the fallback taken always (`is not None`), dropped or
    inverted (`style not in`), its `next(...)` without a default (StopIteration in Article V,
    which has no section at all) and the decimal style dropped from it (VI.2)."""
    o, refs = _resolved(OF_THIS)
    assert _got(refs) == [
        # written in IV.A.2(b): this Section is IV.A.2 (numbered), which has no (c); IV.A.1(c) exists
        ("paragraph (c)", "of this Section", "dangling", ["IV.A.1(c)"]),
        # written in IV.A.3.2: a decimal section is the Section and the paragraph; it has no (a)
        ("paragraph (a)", "of this Section", "dangling", ["IV.A"]),
        ("clause (a)", "of this paragraph", "dangling", ["IV.A"]),
        # a kind the table does not name ("clause") reads as the numbered section: IV.A.3 has 3.1(a)
        ("clause (a)", "of this clause", "resolved", ["IV.A.3.1(a)"]),
        # written in IV.A.4(b): the subsection and the paragraph are IV.A.4(b), which has no (ii)
        ("clause (ii)", "of this subsection", "dangling", ["IV.A.4(a)(ii)"]),
        ("clause (ii)", "of this paragraph", "dangling", ["IV.A.4(a)(ii)"]),
        # written in IV.A.5(b): "clause" and "subparagraph" read as the section IV.A.5
        ("clause (i)", "of this clause", "resolved", ["IV.A.5(a)(i)"]),
        ("clause (i)", "of this subparagraph", "resolved", ["IV.A.5(a)(i)"]),
        # written in IV.A.6(b) (a lettered "b." clause): the subsection and the paragraph are
        # IV.A.6(b), which has no (c); the hint is the first (c) found, IV.A.1(c)
        ("clause (c)", "of this subsection", "dangling", ["IV.A.1(c)"]),
        ("clause (c)", "of this paragraph", "dangling", ["IV.A.1(c)"]),
        # written in IV.A.7, which has no subsection: the fallback is IV.A.7 itself
        ("clause (c)", "of this subsection", "dangling", ["IV.A.1(c)"]),
        # written in IV.B: "this Article" is IV, whose IV.A.2 is the only Section 2
        ("Section 2", "of this Article", "resolved", ["IV.A.2"]),
        ("Section 9", "of this Article", "dangling", []),
        # the fallback is IV.B (lettered), which has no (c)
        ("clause (c)", "of this subsection", "dangling", ["IV.A.1(c)"]),
        # Article V has no section: no anchor, the (c) is looked for from there (two at one distance)
        ("clause (c)", "of this Section", "ambiguous", ["IV.A.1(c)", "IV.A.6(c)"]),
        # written in VI.2 (decimal, no numbered section above it): the fallback is VI.2, no (a)
        # (the "exists elsewhere" hint is the first loose (a): IV.A)
        ("clause (a)", "of this clause", "dangling", ["IV.A"]),
    ]
    assert [c.path for c in o.clauses if c.path.startswith("VI")] == ["VI", "VI.1", "VI.1(a)", "VI.2"]


# Labels written inline in a section's running text ("adjusted for (x) splits and (y) dividends
# paid in (i) cash ..."): IV.5 and IV.9 have no sub-clauses; IV.7 has inline labels and
# sub-clauses (x), (y), (y)(i), (y)(ii); IV.9's "(y) below" is itself a reference.
INLINE_ANCHOR = _flowed("""
ARTICLE IV 4. Conversion. Each share converts at the Conversion Price. 5. Adjustments. The
Conversion Price is adjusted for (x) splits and (y) dividends paid in (i) cash, (ii) stock or (iii)
other property. 6. Notice. Notice of an adjustment under subsections (ii) and (iii) of clause (y) of
this Section 5 is given in writing; notice under clause (ii) of clause (w) of Section 5, clause (ii)
of clause (w) of Section 9 and clause (a) of Section 9 is not. Section 4 governs. 7. Redemption. The
price is paid in (i) cash or (ii) notes on (x) the first or (y) the second date. (x) First. The
first date. (y) Second. (i) At par. (ii) At a premium. 8. Notices. Notice follows clause (ii) of
clause (y) of Section 7. 9. Fees. Fees are paid in (i) cash or (ii) notes, as set out in (y) below.
10. Other. Other fees follow clause (ii) of clause (y) of Section 9.""")


def test_an_anchor_whose_last_label_is_written_inline():
    """"subsections (ii) and (iii) of clause (y) of this Section 5": no clause 5(y) exists, but
    Section 5's own text lists (y) and (ii): the reference is to that inline list ("inline", IV.5).
    Kills, in references.resolve: the anchor-length test (`> 2`), `and` -> `or` in its condition
    (IV.7's anchor 7(y) resolves, so its inline labels must not be consulted; an unresolved
    Section 9 anchor must not index `pre[0]`), the status renamed, `continue` -> `break` after it
    and after a dangling anchor ("clause (a) of Section 9": the references after it are left
    unresolved), the list spans not passed on (`spans` -> None: the "(y) below" of IV.9 is a
    reference, not an inline label), and the inline-label cache kept from an earlier call
    (`pop("_inline_cache")` mutated: resolving a few references first left IV.9's labels
    computed without the other references' spans)."""
    o = parse_outline(INLINE_ANCHOR)
    assert [c.path for c in o.clauses] == ["IV", "IV.4", "IV.5", "IV.6", "IV.7", "IV.7(x)", "IV.7(y)",
                                           "IV.7(y)(i)", "IV.7(y)(ii)", "IV.8", "IV.9", "IV.10"]
    refs = find_references(o)
    resolve(o, [r for r in refs if r.anchor_text == "of clause (y) of Section 9"])  # a first, partial call
    resolve(o, refs)
    assert _got(refs) == [
        ("subsections (ii)", "of clause (y) of this Section 5", "inline", ["IV.5"]),
        ("(iii)", "of clause (y) of this Section 5", "inline", ["IV.5"]),
        ("clause (ii)", "of clause (w) of Section 5", "dangling", []),  # no (w) anywhere
        ("clause (ii)", "of clause (w) of Section 9", "dangling", []),  # no (w), no Section 9(w)
        ("clause (a)", "of Section 9", "dangling", []),
        ("Section 4", "", "resolved", ["IV.4"]),
        ("clause (ii)", "of clause (y) of Section 7", "resolved", ["IV.7(y)(ii)"]),
        ("(y)", "", "resolved", ["IV.7(y)"]),
        # IV.9's (y) is only the reference "(y) below": not an inline label
        ("clause (ii)", "of clause (y) of Section 9", "dangling", ["IV.9"]),
    ]


OTHERS = _flowed("""
ARTICLE IV 2. Dividends. None are payable. 3. Voting. Holders vote as provided in this Article IV,
Section 2. 4. Conversion. (a) Right. Each share converts. (b) Mechanics. Conversions under this
Section 4(B) are final. (F) Fractions. None are issued. (G) Notices. Notices are written. (H) Taxes.
The Company pays them. 5. Redemption. (G) Date. The fifth anniversary. (H) Price. Par, with notice
under subsections (G) (H) of Section 4 and subsections (G) (Z) of Section 4. ARTICLE V 1. Board. The
board follows this Article IV, Section 2. 2. Officers. Officers follow Section 100. 3. Seal. The
seal is round. 4. Other. (A) First. The first right. (B) Second. The second right.""")


def test_this_article_lists_without_commas_and_statute_numbers():
    """Kills, in references.resolve:

    - "this Article IV, Section 2" (only the article is "this"): checked against the article
      (`h.chain[1]` reads IV.2, which does not contain IV.3: wrong-self), and written in Article V,
      wrong-self (the status renamed or None);
    - "this Section 4(B)" written in IV.4(b): the loose reading of "this" ("B" for "b") is needed,
      since Article V has a strict 4(B) (`strict or loose` -> `and`: wrong-self);
    - "subsections (G) (H) of Section 4" (a list with a comma missing, not a chain): each part read
      in the anchor IV.4, the first kept (the anchor dropped: IV.5(G); `[:2]`: two targets); with
      one part missing ("(G) (Z)") it stays dangling (the "dangling" test renamed);
    - "Section 100" with no Section 100: a statute's number, external (`> 100`, `>= 101`, the
      status renamed or None)."""
    o, refs = _resolved(OTHERS)
    assert _got(refs) == [
        ("this Article IV, Section 2", "", "resolved", ["IV.2"]),
        ("this Section 4(B)", "", "resolved", ["IV.4(b)"]),
        ("subsections (G) (H)", "of Section 4", "inline", ["IV.4(G)"]),
        ("subsections (G) (Z)", "of Section 4", "dangling", []),
        ("this Article IV, Section 2", "", "wrong-self", ["IV.2"]),
        ("Section 100", "", "external", []),
    ]
    assert "V.4(B)" in [c.path for c in o.clauses]
    # "Article IV, Section 2" is one reference to a section: its keyword is "Section" (kills the
    # keyword renamed in references.find_references)
    assert [r.keyword for r in refs if r.text.startswith("this Article")] == ["Section", "Section"]


def test_of_this_subsection_then_another_qualifier():
    """"clause (a) of this subsection of Section 2": the first qualifier names no label, so no
    second one is looked for (kills `if anchor is not None` -> `or True` in
    references.find_references, which adds the second qualifier's labels to a None anchor:
    TypeError). Written in IV.3(b), whose subsection has no (a); IV.3(a) exists."""
    text = _flowed("""
    ARTICLE IV 2. Dividends. (a) None are payable. 3. Voting. (a) General. Holders vote. (b) Class.
    Class votes follow clause (a) of this subsection of Section 2.""")
    _, refs = _resolved(text)
    assert _got(refs) == [("clause (a)", "of this subsection", "dangling", ["IV.2(a)"]),
                          ("Section 2", "", "resolved", ["IV.2"])]


def test_a_section_of_another_article_named_after_it():
    """"clause (i) of Section 2(a) of Article IV" written in V.2(b), where Article V has its own
    Section 2(a) (without an (i)): the outer qualifier "of Article IV" is part of the anchor.
    Before the fix in references.find_references the article qualifier was dropped, the anchor
    was the nearest 2(a) (V.2(a)) and the reference an error; found from find_references
    mutants 239/243/244 (the article test of the outer qualifier), which changed it."""
    text = _flowed("""
    ARTICLE IV 2. Dividends. (a) None are payable. (i) In cash. (b) None accrue. ARTICLE V 1. Board. (a)
    Number. Five. 2. Officers. (a) Term. One year. (b) Duties. Officers follow clause (i) of Section
    2(a) of Article IV and clause (i) of Section 2(a).""")
    _, refs = _resolved(text)
    assert _got(refs) == [
        ("clause (i)", "of Section 2(a) of Article IV", "resolved", ["IV.2(a)(i)"]),
        ("clause (i)", "of Section 2(a)", "dangling", ["IV.2(a)(i)"]),  # V.2(a) has no (i)
    ]


LISTS = _flowed("""
ARTICLE IV 2. Dividends. (a) None are payable. (b) None accrue. (c) None are declared. 3. Voting.
Holders vote under Sections 2(a), (b) and (c), and under Section 2 and this Section 3. 4. Transfers.
A transfer under Section 2.1 and (ii) such other shares as the Board permits is valid, and Section 2
and this Section 3 apply. ARTICLE V 1. Board. The board follows Article X. ARTICLE X The seal is
round.""")


def test_lists_of_references():
    """Kills, in references.find_references: the chain continued for items without a keyword
    only (`if mi.group("kw")` inverted, `_continue_chain(None, ...)`, `prev if ... and False`,
    `prev = None`: "(b)" and "(c)" of "Sections 2(a), (b) and (c)" are 2(b) and 2(c)); the inline
    list after a decimal number ("Section 2.1 and (ii) such other shares": (ii) is the text's own
    list item, not a reference; `prev[-1].article` mutated); "this" of a list item (its start at
    "this" and its flag: "this Section 3" written in IV.4 is wrong-self); the text of a reference
    stripped of "X" (`strip("XX ,XX")`: "Article X" became "Article")."""
    _, refs = _resolved(LISTS)
    got = [(" ".join(r.text.split()), r.this, r.status, [t.path for t in r.targets]) for r in refs]
    assert got == [
        ("Sections 2(a)", False, "resolved", ["IV.2(a)"]),
        ("(b)", False, "resolved", ["IV.2(b)"]),
        ("(c)", False, "resolved", ["IV.2(c)"]),
        ("Section 2", False, "resolved", ["IV.2"]),
        ("this Section 3", True, "resolved", ["IV.3"]),
        ("Section 2.1", False, "dangling", []),
        ("Section 2", False, "resolved", ["IV.2"]),
        ("this Section 3", True, "wrong-self", ["IV.3"]),
        ("Article X", False, "resolved", ["X"]),
    ]
    assert [[c.text for c in r.components] for r in refs[:3]] == [["2", "a"], ["2", "b"], ["2", "c"]]


def test_bare_relative_references():
    """"(b)(i), (ii) and (iii) above" and "(a) and (c) above": relative references without a
    keyword. Kills, in references.find_references: the chain not continued ("(ii)" is (b)(ii):
    `prev = None` before or inside the loop, `_continue_chain(None, ...)`), the list cut to its
    first item (`more and ""`), the scan stopped at the first overlap with a keyword reference
    (`continue` -> `break`: "(a) and (c) above" follows "Section 2(a) and (c) below"), an item's
    offsets (`base - ...`: the text), and the fields of a bare reference (line None, keyword
    None / "XXXX", relative False / None)."""
    text = _flowed("""
    ARTICLE IV 2. Dividends. (a) Accrual. None accrue. (b) Rates. (i) Six percent. (ii) Eight
    percent. (iii) Ten percent. (c) Payment. Dividends at the rates in (b)(i), (ii) and (iii) above
    are paid in cash. 3. Voting. Holders vote on the matters in Section 2(a) and (c) below and in (a)
    and (c) above.""")
    _, refs = _resolved(text)
    got = [(r.text, r.line, r.relative, r.keyword, r.status, [t.path for t in r.targets]) for r in refs]
    assert got == [
        ("(b)(i)", 2, True, "", "resolved", ["IV.2(b)(i)"]),
        ("(ii)", 2, True, "", "resolved", ["IV.2(b)(ii)"]),
        ("(iii)", 2, True, "", "resolved", ["IV.2(b)(iii)"]),
        ("Section 2(a)", 3, False, "Section", "resolved", ["IV.2(a)"]),
        ("(c)", 3, False, "Section", "resolved", ["IV.2(c)"]),
        ("(a)", 3, True, "", "resolved", ["IV.2(a)"]),
        ("(c)", 3, True, "", "resolved", ["IV.2(c)"]),
    ]
    assert [[c.text for c in r.components] for r in refs[:3]] == [["b", "i"], ["b", "ii"], ["b", "iii"]]


def test_a_reference_inside_the_amended_text_is_only_a_warning():
    """A certificate of amendment whose new text follows "amended to read as follows:" (one
    quoted passage, the first and only one): "Section 9(c)" inside it follows the numbering of
    the charter being amended, so its dangling finding is a warning; "Section 2 of Article
    FOURTH" before it is an error. Kills, in references.find_references, the first passage
    skipped (`k > 0`, `k >= 1`)."""
    text = _flowed("""
    CERTIFICATE OF AMENDMENT FIRST: The name is Fixture Co. SECOND: Section 2 of Article FOURTH is
    amended to read as follows: (a) Each share has one vote, except as provided in Section 9(c). (b)
    Holders vote together. IN WITNESS WHEREOF the Company signs.""")
    _, refs = _resolved(text)
    assert [(r.text, r.in_quotation, r.status) for r in refs] == [
        ("Section 2", False, "dangling"), ("Section 9(c)", True, "dangling")]
    fs = [f for f in check_text(Path("q.txt"), text) if f.rule == "text.dangling-reference"]
    assert [(f.witness["reference"], f.severity) for f in fs] == [
        ("Section 2 of Article FOURTH", Severity.ERROR), ("Section 9(c)", Severity.WARNING)]


def test_a_designator_splits_into_labels():
    """"6a(i)" is 6, a, (i); "6C(ii)" is 6, C, (ii); "FOURTH(B)" of an article is the article
    FOURTH and (B). Only the parenthesised labels are marked so (a strict reading requires a
    parenthesised label where the reference has one). Kills, in references.parse_designator, the
    `paren` flag of the article, the number and the letter given None or True."""
    def parts(des, article=False):
        return [(c.text, c.paren, c.article) for c in parse_designator(des, article=article)]
    assert parts("6a(i)") == [("6", False, False), ("a", False, False), ("i", True, False)]
    assert parts("6C(ii)") == [("6", False, False), ("C", False, False), ("ii", True, False)]
    assert parts("FOURTH(B)", article=True) == [("FOURTH", False, True), ("B", True, False)]


def test_spans_are_half_open():
    """references._Spans holds [start, end) intervals: a span ending at 5 does not hold 5 nor
    overlap [5, 8); one starting at 10 overlaps [0, 15) but not [0, 10). Kills `>=`/`<=` at the
    ends in `overlaps` and `__contains__` and `k + 2` for `k + 1` in `overlaps`."""
    from charterverify.text.references import _Spans
    sp = _Spans([(0, 5), (10, 20)])
    assert (4 in sp, 5 in sp, 9 in sp, 10 in sp, 19 in sp, 20 in sp) == (True, False, False, True, True, False)
    assert (sp.overlaps(5, 8), sp.overlaps(5, 10), sp.overlaps(5, 11), sp.overlaps(4, 5)) == (False, False, True, True)
    assert (_Spans([(10, 20)]).overlaps(0, 15), _Spans([(10, 20)]).overlaps(0, 10)) == (True, False)


def test_the_kind_of_a_label():
    """references._kind: a number; (c), (d) are letters; a lone i, v, x may be a romanette or a
    letter (I, V, X likewise in capitals); ii, iv are romanettes; other runs of letters are
    letters; and in context (references._chain_kinds) the (i) after a letter is a romanette and
    the (V) after a capital is a capital romanette. Kills the kind names and tests mutated."""
    from charterverify.text.references import Component, _chain_kinds, _kind
    # "ic"/"IC" are roman letters but no roman number: letters; "cc" is 200: a romanette
    assert [_kind(x) for x in ["3", "c", "C", "i", "V", "ii", "IV", "aa", "AA", "ic", "IC", "cc"]] == [
        {"num"}, {"low"}, {"CAP"}, {"rom", "low"}, {"ROM", "CAP"}, {"rom"}, {"ROM"}, {"low"}, {"CAP"},
        {"low"}, {"CAP"}, {"rom"}]
    chain = [Component("4", False), Component("b", True), Component("i", True), Component("C", True),
             Component("V", True), Component("x", True)]
    assert _chain_kinds(chain) == [{"num"}, {"low"}, {"rom"}, {"CAP"}, {"ROM"}, {"rom", "low"}]
    # (x) after the romanette (V) keeps both readings; a lone "i" first in a chain keeps both
    assert _chain_kinds([Component("i", True), Component("v", True)]) == [{"rom", "low"}, {"rom", "low"}]
    # only a lone letter before it makes (i) a romanette: not a number; and (c) stays a letter
    assert _chain_kinds([Component("1", True), Component("i", True)]) == [{"num"}, {"rom", "low"}]
    assert _chain_kinds([Component("a", True), Component("c", True)]) == [{"low"}, {"low"}]


FINDINGS = _flowed("""
CERTIFICATE OF FIXTURE CO. The provisions of this Section 2 bind the Company. ARTICLE IV 1. General.
(a) The Company issues stock. 2. Dividends. (a) None are payable. (b) Dividends follow Section 2
below. 3. Voting. (c) Class votes. 4. Transfers. Transfers follow this Section 3. ARTICLE V 1.
Notices. (a) In writing. ARTICLE VI 1. Other. Other matters follow Section 1(a). Fees follow Section
9. ARTICLE VII 3.1 Term. The term is perpetual. 3.2 Seal. The seal is round. ARTICLE VIII 1. Notice.
Notice follows Article VII, Section 2.""")


def test_every_field_of_the_reference_findings():
    """One finding of each kind with every field (references.check_references): "this Section 2"
    in the preamble and "this Section 3" in IV.4 (wrong-self: errors), "Section 2 below" inside
    IV.2 (direction), "Section 1(a)" from Article VI, equally near IV.1(a) and V.1(a) (ambiguous),
    "Section 9" (dangling, no such label: an error), "Article VII, Section 2" (fits VII.3.2 only
    with a level left out: a warning). Kills the rule names, severities, messages, clause, file,
    line and witness keys mutated or dropped, the status tests renamed, and the path of the
    clause a finding is written in (`where`)."""
    fs = [(f.rule, f.severity, f.message, f.clause, f.file, f.line, f.witness)
          for f in check_text(Path("w.txt"), FINDINGS) if "reference" in f.rule]
    assert fs == [
        ("text.wrong-self-reference", Severity.ERROR,
         '"this Section 2" is written inside the preamble, which is not part of IV.2.', None, "w.txt", 1,
         {"reference": "this Section 2", "target": "IV.2"}),
        ("text.reference-direction", Severity.WARNING,
         '"Section 2 below" is written inside IV.2 itself; the clause it points to is not below. Check which '
         'clause is meant.', "IV.2(b)", "w.txt", 2, {"reference": "Section 2", "target": "IV.2"}),
        ("text.wrong-self-reference", Severity.ERROR,
         '"this Section 3" is written inside IV.4, which is not part of IV.3.', "IV.4", "w.txt", 3,
         {"reference": "this Section 3", "target": "IV.3"}),
        ("text.ambiguous-reference", Severity.WARNING,
         'Reference "Section 1(a)" could mean any of IV.1(a), V.1(a).', "VI.1", "w.txt", 4,
         {"reference": "Section 1(a)", "candidates": ["IV.1(a)", "V.1(a)"]}),
        ("text.dangling-reference", Severity.ERROR,
         'Reference "Section 9" does not resolve: no clause with that label exists.', "VI.1", "w.txt", 4,
         {"reference": "Section 9"}),
        ("text.dangling-reference", Severity.WARNING,
         'Reference "Article VII, Section 2" names no clause as written; it fits VII.3.2 (line 5) only if a '
         'level is left out or added.', "VIII.1", "w.txt", 6,
         {"reference": "Article VII, Section 2", "target": "VII.3.2"}),
    ]


def test_a_bare_clause_below_prefers_its_own_section():
    """"clause (y) below" written in Section 3, whose own (y) follows, is 3(y), not the "(y)"
    written inline in Section 2 just before it. Before the fix in references._resolve_one the
    inline preference skipped Section 3 (it holds the hit) and went on to its earlier sibling,
    Section 2, whose running text lists "(x) ... (y)": the reference read `inline` to IV.2. The
    preference for an inline list still holds where no hit lies inside the scope (the last
    reference: "(y) above" in 4(a), nearer Section 4's own inline list than 3(y))."""
    text = _flowed("""
    ARTICLE IV 2. Dividends. Dividends are paid on (x) the Series A or (y) the Series B, as the Board
    decides. 3. Redemption. Shares are redeemed at the price set in clause (y) below. (x) Date. On the
    fifth anniversary. (y) Price. The Original Issue Price. 4. Conversion. Shares convert at (x) the
    holder's option or (y) on a Qualified IPO. (a) Automatic. Shares converted under (y) above are
    cancelled.""")
    _, refs = _resolved(text)
    assert _got(refs) == [
        ("clause (y)", "", "resolved", ["IV.3(y)"]),
        ("(y)", "", "inline", ["IV.4"]),
    ]


# A sentence whose subject (the Conversion Price, a vote) sits right before "as adjusted under":
# paragraphs separated by blank lines (a newline in the flat text), sentences inside one
# paragraph, one sentence longer than 300 characters, and references of every status.
_LONG = _flowed("""(h) Upon any event, whether by merger, consolidation, sale of assets, recapitalization,
    reclassification or otherwise, and whether in one transaction or in a series of related transactions,
    and whether or not the holders of the Preferred Stock have consented to it in writing, and whether or
    not the Board has approved it in advance, and in every such case, the Conversion Price as adjusted
    under Section 1 is final.""")
WRONG_CLAUSE = "\n\n".join([
    "ARTICLE IV",
    "1. Dividends. Dividends are paid when declared by the Board.",
    "2. Redemption. (a) Shares are redeemed on the fifth anniversary of issue. (b) The price is par."
    " (c) The Conversion Price as adjusted under (b) above does not change.",
    "3. Class Votes. Holders vote (x) as one class or (y) by series.",
    "4. Redemption Notices. Notices are sent before any Conversion Date.",
    "5. Redemption and Dividends. (a) Shares are redeemed at par.",
    "6. Adjustments.",
    "(a) The Conversion Price as adjusted under Section 4 applies to all shares.",
    "(b) The Dividend Rate as adjusted under Section 5(a) applies to all shares.",
    "(c) The Conversion Price as adjusted under Section 2(a) applies to all shares.",
    "(d) The Conversion Price as adjusted under clause (y) of Section 3 applies to all shares.",
    "(e) The Conversion Price as adjusted under Article V applies to all shares.",
    "(f) Each share has one vote. Holders vote by series. The price as adjusted under Section 1 is final.",
    "(g) Holders vote.",
    "The price as adjusted under Section 1 is final.",
    _LONG,
    "ARTICLE V",
    "REDEMPTION",
    "The Corporation may redeem shares at par.",
])


def test_the_sentence_of_a_wrong_clause_reference():
    """references.check_wrong_clause: only a `resolved` keyword reference is checked, its
    subject is read from its own sentence, and an article is never the heading that decides.
    Expected: 6(c)'s "Section 2(a)" (line 19: the Conversion Price, but 2(a) is under
    "Redemption" and never mentions conversion) and (h)'s "Section 1" (line 35, a sentence of
    more than 300 characters: the subject is read from its last 300; the message quotes the last
    14 words). Not reported: (b) above in 2(c) (a bare relative reference), "Section 4" (its
    text names a "Conversion Date", capitalized), "Section 5(a)" (its section's heading names
    "Dividends", capitalized), "clause (y) of Section 3" (read `inline`), "Article V" (an
    article's heading), and the two "price as adjusted under Section 1" (the vote is in the
    sentence or paragraph before). Kills check_wrong_clause 3 (`this and relative`), 5
    (`status != "resolved" and ...`), 32/49 (no newline search), 33 (no `start - 300`), 40
    (`find` for the last ". "), 44/46/47 (the newline searched after the reference), 48 (the
    first newline), 60/64 (the article test), 80/86 (the stems searched case-sensitively), 87
    (`continue` -> `break` after a target that names the subject), 92 (15 words quoted), 97/98/
    104/105 (the clause and file fields), and 59 (`next` without a default: a target with no
    headed ancestor raises)."""
    o, refs = _resolved(WRONG_CLAUSE)
    assert [(r.text, r.status) for r in refs] == [
        ("(b)", "resolved"), ("Section 4", "resolved"), ("Section 5(a)", "resolved"), ("Section 2(a)", "resolved"),
        ("clause (y)", "inline"), ("Article V", "resolved"),
        ("Section 1", "resolved"), ("Section 1", "resolved"), ("Section 1", "resolved")]
    found = check_wrong_clause(o, refs, "x.txt")
    got = [(f.witness["reference"], f.line, f.clause, f.file, f.witness["subject"], f.witness["target"],
            f.witness["target_heading"]) for f in found]
    assert got == [
        ("Section 2(a)", 19, "IV.6(c)", "x.txt", "conversion", "IV.2(a)", "Redemption"),
        ("Section 1", 35, "IV.6(h)", "x.txt", "conversion", "IV.1", "Dividends"),
    ]
    assert found[1].message == (
        '"advance, and in every such case, the Conversion Price as adjusted under Section 1": the sentence is '
        'about conversion, but IV.1 ("Dividends", line 3) is about dividend and never mentions conversion. '
        'Check which clause is meant.')
    # no clause on the way up has a heading: nothing to compare, no finding
    o, refs = _resolved("ARTICLE IV\n\n1. The Conversion Price as adjusted under Section 2 applies.\n\n"
                        "2. Shares are redeemed at par.\n")
    assert [(r.text, r.status) for r in refs] == [("Section 2", "resolved")]
    assert check_wrong_clause(o, refs, "x.txt") == []
    # written before the first article (its context is the root): reported with no clause
    # (check_wrong_clause 111/112: the root's empty path)
    o, refs = _resolved("CERTIFICATE OF INCORPORATION\n\nThe Conversion Price as adjusted under Section 1 of "
                        "Article IV applies.\n\nARTICLE IV\n\n1. Redemption. Shares are redeemed at par.\n")
    assert [(f.witness["target"], f.line, f.clause) for f in check_wrong_clause(o, refs, "x.txt")] == [("IV.1", 3, None)]
    # the same sentence as the document's first: its subject is read from offset 0 (before the
    # fix in check_wrong_clause the sentence start was -1 and the subject window empty)
    o, refs = _resolved("The Conversion Price as adjusted under Section 1 of Article IV applies.\n\nARTICLE IV\n\n"
                        "1. Redemption. Shares are redeemed at par.\n")
    assert [(f.witness["target"], f.line, f.clause) for f in check_wrong_clause(o, refs, "x.txt")] == [("IV.1", 1, None)]


def test_a_word_that_holds_vote_is_not_a_vote():
    """"The funds devoted as provided in Section 1" is not a sentence about voting: before the fix
    in references._TOPICS the voting subject pattern matched "vote" inside "devoted", and a
    reference to a "Redemption" section was reported as a wrong clause. With the fix every
    subject pattern is matched by its own topic's stems, which makes check_wrong_clause 14/15
    (the skip of a reference written inside its own target dropped) equivalent."""
    o, refs = _resolved("ARTICLE IV\n\n1. Redemption. Shares are redeemed at par.\n\n2. Reserves. The funds devoted "
                        "as provided in Section 1 are held apart. Holders vote as provided in Section 1.\n")
    assert [(r.text, r.status) for r in refs] == [("Section 1", "resolved"), ("Section 1", "resolved")]
    # the second sentence is about voting: reported
    assert [(f.witness["subject"], f.line) for f in check_wrong_clause(o, refs, "x.txt")] == [("voting", 5)]


def test_the_order_of_the_readings_of_one_reference():
    """references._resolve_one tries a strict reading, then a label written inline, then a loose
    reading, then levels left out; the anchor holds at every step.
    - "Section 2(B)": Section 2 writes "(A) ... (B)" inline and has clauses (a) and (b); the
      capital B is the inline one (inline to IV.2), not 2(b) read loosely (kills 11: the first
      reading without `passes=(True,)`, strict and loose at once);
    - "clause (b)(y) of Section 3", written in 2(a): the (b) whose text lists (y) is 3(b), found
      under the anchor, not the writer's own 2(b) (kills 45, 49: the parents of the inline label
      resolved without the anchor);
    - "Section 2(i) of Article V", a level left out: V.2(a)(i), not the writer's IV.2(a)(i)
      (kills 88: the last reading without the anchor)."""
    cases = [
        ("""ARTICLE IV 2. Voting. Holders vote (A) as one class or (B) by series. (a) Quorum. A majority. (b)
         Notice. Ten days. 3. Waivers. A vote under Section 2(B) may be waived.""",
         [("Section 2(B)", "", "inline", ["IV.2"])]),
        ("""ARTICLE IV 2. Dividends. (a) Cash. None in cash, as set out in clause (b)(y) of Section 3. (b)
         Stock. None in stock. 3. Voting. (a) Quorum. A majority. (b) Classes. Holders vote (x) as one
         class or (y) by series.""",
         [("clause (b)(y)", "of Section 3", "inline", ["IV.3(b)"])]),
        ("""ARTICLE IV 2. Dividends. (a) Cash. (i) None in cash. 3. Notices. Notices follow Section 2(i) of
         Article V. ARTICLE V 2. Board. (a) Number. (i) Five directors.""",
         [("Section 2(i)", "of Article V", "loose", ["V.2(a)(i)"])]),
    ]
    for text, want in cases:
        _, refs = _resolved(_flowed(text))
        assert _got(refs) == want


def test_a_subject_that_opens_its_paragraph():
    """"Conversion Price as adjusted under Section 1" as a paragraph of its own: the subject is at
    offset 0 of the words read before the pointer, and still counts (kills
    references._topic_of_subject 12, `where = +1`, which skips a match at offset 0 or 1)."""
    o, refs = _resolved("ARTICLE IV\n\n1. Redemption. Shares are redeemed at par.\n\n2. Adjustments.\n\n"
                        "Conversion Price as adjusted under Section 1 is final.\n")
    assert [(f.witness["subject"], f.witness["target"], f.line) for f in check_wrong_clause(o, refs, "x.txt")] == [
        ("conversion", "IV.1", 7)]
