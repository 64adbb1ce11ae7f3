"""Tests written for the mutants of charterverify/text/references.py that earlier sessions left
"not killed" (docs/testing.md, "### text/references.py"; the classification of every one is in the
session's note for the lead).

Each test names the mutants it kills (function and mutant number of mutmut 3.8.1). The texts are
made-up drafting snippets in the style of NVCA-form charters; every expected value was worked out
by hand from the snippet (the line numbers are the snippet's own lines).
"""

from __future__ import annotations

from charterverify.findings import Severity
from charterverify.text import parse_outline
from charterverify.text.references import check_references, find_references, resolve


def _resolved(text: str):
    o = parse_outline(text)
    refs = find_references(o)
    resolve(o, refs)
    return o, refs


def _seen(refs):
    """What a reader sees of each reference: its text, line, status and where it points."""
    return [(" ".join(r.text.split()), r.line, r.status, [(t.path, t.start_line) for t in r.targets])
            for r in refs]


# Sections numbered 1.1, 1.2, 2.1 inside ARTICLE IV, with no "1." or "2." heading of their own
# (the parts of a decimal number are not the article's 4), and a 5.6.1 right under a "5.".
DECIMALS = """ARTICLE IV

1.1 Dividends. No dividends are payable on the Preferred Stock.

1.2 Liquidation. The holders of Preferred Stock are paid first.

2.1 Conversion. Each share of Preferred Stock is convertible into Common Stock.

5. Adjustments. The Conversion Price is adjusted as follows.

5.6.1 Splits. The Conversion Price is adjusted for stock splits.

6. Notices. See Section 1.2. See also Section 2. See also Section 5.6.
"""


def test_the_parts_of_a_decimal_section_number():
    """Line 13: "Section 1.2" is 1.2 (line 5); "Section 2" is the 2 of 2.1 (line 7: a "2." whose
    heading was lost is implied by 2.1); "Section 5.6" is the 5.6 of 5.6.1 under 5. (line 11).

    Kills `_clause_info` 17, 27, 32 (the first part of a decimal number marked `inner`: "Section
    1.2" no longer matches 1.2), 31 (`offset - i`: the 2 of 1.2 is no longer inner, so "Section 2"
    also names 1.2 and is ambiguous), and `_index` 29, 30, 31 (the implied prefixes never indexed),
    33 (only for three parts or more), 37, 38, 40 (no prefix or the whole path indexed), 42 (the
    implied prefix filed under None), 47 (`implied[+1]`: the 6.1 of IV.5.6.1 filed under "5") and 48
    (`implied[-2]`: filed under "iv" / "5"): then "Section 2" or "Section 5.6" dangles."""
    o, refs = _resolved(DECIMALS)
    assert [c.path for c in o.clauses] == ["IV", "IV.1.1", "IV.1.2", "IV.2.1", "IV.5", "IV.5.6.1", "IV.6"]
    assert _seen(refs) == [
        ("Section 1.2", 13, "resolved", [("IV.1.2", 5)]),
        ("Section 2", 13, "resolved", [("IV.2.1", 7)]),
        ("Section 5.6", 13, "resolved", [("IV.5.6.1", 11)]),
    ]
    assert check_references(o, refs, "c.txt") == []


# Section 1 with numbered paragraphs (1) to (3); Section 3 points back at paragraph (3).
NUMBERED = """ARTICLE IV

1. Dividends. Dividends are payable as follows.

(1) Cash. Cash dividends are payable quarterly.

(2) Stock. Stock dividends are payable in Common Stock.

(3) Other. Other dividends are payable as the Board determines.

2. Liquidation. The holders of Preferred Stock are paid first.

3. Conversion. The holders of the dividends described in clause (3) above may convert them.
"""


def test_a_parenthesised_label_is_not_a_section_number():
    """Line 13: "clause (3)" written in Section 3 is paragraph (3) of Section 1 (line 9), not
    Section 3 itself: read strictly, "(3)" is parenthesised and "3." is not.

    Kills `_clause_info` 8 (every clause of an undotted style given `paren` None, so "(3)" strictly
    matches "3." in the innermost scope, Section 3 itself)."""
    o, refs = _resolved(NUMBERED)
    assert _seen(refs) == [("clause (3)", 13, "resolved", [("IV.1(3)", 9)])]
    assert check_references(o, refs, "c.txt") == []


# Section 4 with two lettered subsections that each have a romanette (i) and (ii); the
# references are written in 4(e)(ii), the voting clause in Section 5 points at Section 6.
ROMANETTES = """ARTICLE IV

4. Conversion.

(d) Adjustments.

(i) Splits. The Conversion Price is adjusted for splits.

(ii) Combinations. The Conversion Price is adjusted for combinations.

(e) Notices.

(i) Notice. The Corporation shall give notice of each adjustment.

(ii) Certificate. The certificate shall state the adjustment described in clause (i) of this Section 4, and the shares issued under Section 4(d)(i) and (e)(ii), and under Sections 4(b)(IX) and (X).

5. Voting. Without a vote of stockholders, the Corporation may pay the amount computed under Section 6.

6. Dividends. Dividends accrue at eight percent.
"""


def test_the_nearest_of_two_clauses_and_the_items_of_a_list():
    """Line 15, written in 4(e)(ii):
    - "clause (i) of this Section 4": Section 4 holds two (i)s, 4(d)(i) (line 7) and 4(e)(i) (line
      13); the one under the same (e) as the reference is nearer: 4(e)(i).
    - "Section 4(d)(i) and (e)(ii)": the list item (e)(ii) replaces the (d)(i) of the first
      reference: 4(e)(ii), which is the clause the reference is written in (line 15).
    - "Sections 4(b)(IX) and (X)": (X) follows the capital romanette (IX): 4(b)(X). Section 4 has no
      (b): both dangle, and the message names what is missing: "(b)(IX)", "(b)(X)".
    Line 17: the subject "vote" is the ninth word before "computed under": outside the eight-word
    window, so no wrong-clause warning against Section 6 (Dividends).

    Kills `_nearest` 13 (counting the ancestors NOT shared), 14 (`+shared`: the farthest), 19 (all
    but the nearest): each picks 4(d)(i); `_continue_chain` 20 (`range(..., -2)`: the middle label
    (d) skipped, "(e)(ii)" read alone), 29 (`and`: a label of another kind accepted, 4(d)(e)(ii)), 37
    (`kinds[p - j]`: (ii) compared with the kind of 4, "(e)(ii)" read alone); `_kind` 6 (`in
    "XXivxXX"`: "X" read as a small romanette, so (X) replaces the (b) and the message says "(X)");
    `_topic_of_subject` 10 (a nine-word window: the vote becomes the subject, a wrong-clause
    warning)."""
    o, refs = _resolved(ROMANETTES)
    assert _seen(refs) == [
        ("clause (i)", 15, "resolved", [("IV.4(e)(i)", 13)]),
        ("Section 4(d)(i)", 15, "resolved", [("IV.4(d)(i)", 7)]),
        ("(e)(ii)", 15, "resolved", [("IV.4(e)(ii)", 15)]),
        ("Sections 4(b)(IX)", 15, "dangling", []),
        ("(X)", 15, "dangling", []),
        ("Section 6", 17, "resolved", [("IV.6", 19)]),
    ]
    assert [c.text for c in refs[2].components] == ["4", "e", "ii"]
    assert [c.text for c in refs[4].components] == ["4", "b", "X"]
    got = [(f.rule, f.severity, f.line, f.message) for f in check_references(o, refs, "c.txt")]
    assert got == [
        ("text.dangling-reference", Severity.ERROR, 15,
         'Reference "Sections 4(b)(IX)" does not resolve: IV.4 has no (b)(IX).'),
        ("text.dangling-reference", Severity.ERROR, 15, 'Reference "(X)" does not resolve: IV.4 has no (b)(X).'),
    ]


# A certificate of amendment: a paragraph added in curly quotes (more than 400 characters), a
# section amended "to read as follows:" up to the first signature block, then a second certificate.
_FILLER = ("The holders of Series A Preferred Stock shall be entitled to receive, out of funds legally available "
           "therefor, the amounts provided in this section, and the Corporation shall pay them in cash. ")
AMENDMENTS = ("""CERTIFICATE OF AMENDMENT

FIRST: The name of the corporation is Fixture Co.

SECOND: Article FOURTH is amended by adding the following new paragraph: \u201c""" + _FILLER * 2
              + """The shares described in Section 9(c) shall be redeemed.\u201d

THIRD: The amendment was duly adopted in accordance with Section 242 of the DGCL.

FOURTH: Section 2(b) of Article FOURTH is hereby amended to read as follows: (b) Redemption. The shares described in Section 9(d) shall be redeemed on the Redemption Date.

IN WITNESS WHEREOF, the Corporation has caused this certificate to be signed, as required by Section 7(e).

CERTIFICATE OF AMENDMENT

FIFTH: The holders shall receive the amount set forth in Section 8(f).

IN WITNESS WHEREOF, the Corporation has caused this certificate to be signed.
""")


def test_references_inside_quoted_amendment_text():
    """The new paragraph in curly quotes (line 5, 443 characters between the quotes) and the text
    of Section 2(b) "amended to read as follows:" (line 9, up to the first "IN WITNESS") follow the
    numbering of the document being amended: their dangling references (9(c), 9(d)) are warnings.
    Section 7(e) (line 11, in the signature block) and 8(f) (line 15, the second certificate) are
    outside both passages: errors.

    Kills `_quoted_passages` 7 (the quote pattern never matches), 12 (no quote is an opening one),
    13 and 14 (the opening never recorded), 15 (`elif opened is None`: the closing quote ignored):
    9(c) becomes an error; 34 (`rfind`: the passage runs to the LAST "IN WITNESS"), 35, 36 (the
    signature never found: the passage runs to the end) and 38 (always to the end): 7(e) and 8(f)
    become warnings."""
    o, refs = _resolved(AMENDMENTS)
    assert [(" ".join(r.text.split()), r.line, r.status, r.in_quotation) for r in refs] == [
        ("Article FOURTH", 5, "resolved", False),
        ("Section 9(c)", 5, "dangling", True),
        ("Section 242", 7, "external", False),
        ("Section 2(b)", 9, "dangling", False),  # "of Article FOURTH": the amending sentence itself
        ("Section 9(d)", 9, "dangling", True),
        ("Section 7(e)", 11, "dangling", False),
        ("Section 8(f)", 15, "dangling", False),
    ]
    got = [(f.line, f.severity, f.witness["reference"]) for f in check_references(o, refs, "a.txt")]
    assert got == [
        (5, Severity.WARNING, "Section 9(c)"),
        (9, Severity.ERROR, "Section 2(b) of Article FOURTH"),
        (9, Severity.WARNING, "Section 9(d)"),
        (11, Severity.ERROR, "Section 7(e)"),
        (15, Severity.ERROR, "Section 8(f)"),
    ]


def test_an_amended_section_without_a_signature_runs_to_the_end():
    """No "IN WITNESS" follows the amended text: the passage runs to the end of the document, and
    "Section 9(d)" (line 3) inside it is a warning.

    Kills `_quoted_passages` 39 (`end if ... or True`: the passage ends at offset -1, so nothing is
    inside it and the reference is an error)."""
    text = ("FIRST: The name of the corporation is Fixture Co.\n\n"
            "SECOND: Section 2(b) of Article FIRST is hereby amended to read as follows: (b) Redemption. The "
            "shares described in Section 9(d) shall be redeemed on the Redemption Date.\n")
    o, refs = _resolved(text)
    assert [(" ".join(r.text.split()), r.line, r.in_quotation) for r in refs] == [
        ("Section 2(b)", 3, False), ("Section 9(d)", 3, True)]
    got = [(f.line, f.severity, f.witness["reference"]) for f in check_references(o, refs, "a.txt")]
    # 2(b) of Article FIRST: a warning because a (b) exists elsewhere (the amended text's own (b))
    assert got == [(3, Severity.WARNING, "Section 2(b) of Article FIRST"), (3, Severity.WARNING, "Section 9(d)")]
    assert [f.witness.get("nearest") for f in check_references(o, refs, "a.txt")] == ["SECOND(b)", None]


def _quotation_of(n: int) -> str:
    """A certificate adding a paragraph in curly quotes whose closing quote stands n characters
    after the opening one (n - 1 characters of quoted text)."""
    head = "The shares described in Section 9(c) shall be redeemed. "
    body = head + (_FILLER * 4)[:n - 1 - len(head)]
    assert len(body) == n - 1
    return ("FIRST: The name of the corporation is Fixture Co.\n\n"
            "SECOND: Article FIRST is amended by adding the following paragraph: \u201c" + body + "\u201d\n")


def test_a_quotation_counts_as_quoted_text_from_401_characters():
    """A quotation whose closing quote is 400 characters after the opening one is ordinary text
    (the reference inside is an error); at 401 characters it is a quoted passage (a warning).

    Kills `_quoted_passages` 17 (`>= 400`: the 400-character quotation becomes a passage) and 18
    (`> 401`: the 401-character one is not)."""
    for n, quoted, severity in ((400, False, Severity.ERROR), (401, True, Severity.WARNING)):
        o, refs = _resolved(_quotation_of(n))
        assert [(" ".join(r.text.split()), r.line, r.in_quotation) for r in refs] == [
            ("Article FIRST", 3, False), ("Section 9(c)", 3, quoted)], n
        got = [(f.line, f.severity, f.witness["reference"]) for f in check_references(o, refs, "a.txt")]
        assert got == [(3, severity, "Section 9(c)")], n


ARTICLE_LIST = """ARTICLE FOURTH

A. Common Stock. Each share has one vote.

B. Preferred Stock. The holders are paid first.

C. Conversion. Each share is convertible.

ARTICLE FIFTH

A. Board. The Board has five directors, elected as provided in Article FOURTH(B) and (C).

B. Vacancies. Vacancies are filled by the Board.

C. Removal. A director is removed by the holders.
"""


def test_a_list_after_an_article_reference_continues_its_chain():
    """Line 11, written in FIFTH.A: "Article FOURTH(B) and (C)" names FOURTH.B (line 5) and
    FOURTH.C (line 7). Before the fix, the list item "(C)" after an article reference was read
    alone, from where it is written: FIFTH.C (line 15), the wrong article, and no finding.

    The fix (find_references: a list item continues the chain of an article reference too) removes
    `find_references` 156 (`prev if (not iart) or True`), which was this reading."""
    o, refs = _resolved(ARTICLE_LIST)
    assert _seen(refs) == [
        ("Article FOURTH(B)", 11, "resolved", [("FOURTH.B", 5)]),
        ("(C)", 11, "resolved", [("FOURTH.C", 7)]),
    ]
    assert [(c.text, c.paren, c.article) for c in refs[1].components] == [("FOURTH", False, True), ("C", True, False)]


# Lists that mix an article and a section before a qualifier, a qualifier without a label, and a
# qualifier that ends in the roman numeral X.
QUALIFIERS = """ARTICLE IV

1. Dividends. No dividends are payable.

2. Liquidation. The holders are paid first.

ARTICLE V

1. Board. The Board has five directors.

2. Election.

(a) Series A. The holders of Series A elect two directors.

(b) Common. The holders of Common Stock elect three directors, subject to Article IV and Section 2 of Article V, and to Article IX and Section 1 of Article V, and to Article IV and clause (a) of this Section.

3. Vacancies. A vacancy is filled as provided in Section 12 of Articles of Incorporation.

4. Removal. A director is removed as provided in clause (i) of Section 2(a) of Article X.

5. Meetings. Meetings are held as provided in Article IV, in Section 4.2 of the Bylaws.

ARTICLE X

2. Amendments.

(a) Vote. Amendments require a vote of the holders.
"""


def test_qualifiers_after_lists_that_hold_an_article():
    """Line 15: in "Article IV and Section 2 of Article V" the qualifier "of Article V" belongs to
    Section 2 only: Article IV is IV (line 1), Section 2 is V.2 (line 11); likewise "Article IX and
    Section 1 of Article V" (there is no Article IX: the error names "Article IX" alone) and
    "Article IV and clause (a) of this Section" ((a) is V.2(a), line 13). Line 17: "of Articles of
    Incorporation" carries no label: "Section 12" dangles and the error quotes it alone. Line 19:
    the qualifier ends in the article's roman numeral X, quoted in full. Line 21: the qualifier
    "in Section 4.2" after a lone article reference is a reference of its own, to the Bylaws.

    Kills `find_references` 266, 268, 269, 270 (`art` always false: the article reference takes the
    list's qualifier, "Article IV of Article V" dangles; 267 raises), 300 (the article keeps the
    anchor: the same), 302 (the article keeps "of this Section": Article IV looked for inside
    Section 2), 304 (the article keeps the qualifier's text: the error says "Article IX of Article
    V"), 179 (`anchor_this_kind = ""`: a qualifier without label or "this" is taken, the error says
    "Section 12 of Article"), 254 (`strip("XX ,XX")`: "of Article X" loses its X), 190, 191, 192 (a
    list of articles only takes the qualifier: "in Section 4.2" is swallowed and Article IV is read
    as a reference to the Bylaws)."""
    o, refs = _resolved(QUALIFIERS)
    assert [(" ".join(r.text.split()), r.line, r.status, [t.path for t in r.targets], r.anchor_text)
            for r in refs] == [
        ("Article IV", 15, "resolved", ["IV"], ""),
        ("2", 15, "resolved", ["V.2"], "of Article V"),
        ("Article IX", 15, "dangling", [], ""),
        ("1", 15, "resolved", ["V.1"], "of Article V"),
        ("Article IV", 15, "resolved", ["IV"], ""),
        ("(a)", 15, "resolved", ["V.2(a)"], "of this Section"),
        ("Section 12", 17, "dangling", [], ""),
        ("clause (i)", 19, "dangling", [], "of Section 2(a) of Article X"),
        ("Article IV", 21, "resolved", ["IV"], ""),
        ("Section 4.2", 21, "external", [], ""),
    ]
    got = [(f.rule, f.severity, f.line, f.message) for f in check_references(o, refs, "c.txt")]
    assert got == [
        ("text.dangling-reference", Severity.ERROR, 15,
         'Reference "Article IX" does not resolve: there is no Article IX.'),
        ("text.dangling-reference", Severity.ERROR, 17,
         'Reference "Section 12" does not resolve: no clause with that label exists.'),
        ("text.dangling-reference", Severity.ERROR, 19,
         'Reference "clause (i) of Section 2(a) of Article X" does not resolve: no clause with that label exists.'),
    ]


def test_a_comma_before_the_qualifier_is_not_quoted():
    """Line 9: "clause (ii), of Section 2(a) of Article X" and "clause (iii), of Section 1": the
    errors quote the reference with its qualifier and without the comma ("clause (iii) of
    Section 1"; before the fix, a single qualifier after a comma was quoted as "clause (iii) , of
    Section 1").

    Kills `find_references` 252 (`strip(None)` for the text of two qualifiers: "clause (ii) , of
    Section 2(a) of Article X")."""
    text = """ARTICLE X

1. Board. The Board has five directors.

2. Amendments.

(a) Vote. Amendments require a vote of the holders.

3. Officers. Officers are appointed as provided in clause (ii), of Section 2(a) of Article X, and in clause (iii), of Section 1.
"""
    o, refs = _resolved(text)
    assert [(" ".join(r.text.split()), r.line, r.status, r.anchor_text) for r in refs] == [
        ("clause (ii)", 9, "dangling", "of Section 2(a) of Article X"),
        ("clause (iii)", 9, "dangling", "of Section 1"),
    ]
    got = [(f.severity, f.line, f.message) for f in check_references(o, refs, "c.txt")]
    assert got == [
        (Severity.ERROR, 9,
         'Reference "clause (ii) of Section 2(a) of Article X" does not resolve: no clause with that label exists.'),
        (Severity.ERROR, 9, 'Reference "clause (iii) of Section 1" does not resolve: no clause with that label exists.'),
    ]


# ARTICLE 4 numbers its sections 4.1 to 4.3; Article V has a Section 4 with (c)(i).
LEVELS = """ARTICLE 4

4.1 Dividends. No dividends are payable.

4.2 Conversion. Each share is convertible.

(a) Adjustments. The Conversion Price is adjusted as follows.

(i) Splits. The Conversion Price is adjusted for splits.

4.3 Notices. Notices of each adjustment under Section 4.2(i) are given in writing.

ARTICLE V

4. Redemption. The shares are redeemable.

(c) Procedure. The Corporation redeems the shares as follows.

(i) Notice. The Corporation gives notice of redemption as provided in Section 4.4(i).
"""


def test_a_reference_that_leaves_out_a_level_or_repeats_a_label():
    """Line 11: "Section 4.2(i)" leaves out the (a) of 4.2(a)(i) (line 9): a warning that it fits
    only if a level is left out (its 4 is the article's number, which only the first label may
    name). Line 19: "Section 4.4(i)" has no reading: Article V has one Section 4, whose (c)(i) does
    not make "4.4(i)" by leaving out a level (the 4 is not there twice): an error.

    Kills `_subseq_ok` 32 (the first label's flag None) and 40 (`i == 1`: the flag on the second
    label): the 4 can no longer name ARTICLE 4 and 4.2(i) dangles; 48 (`j = 1`) and 49 (`j -= 1`):
    the search for the second 4 starts again at the first one, so "Section 4.4(i)" fits V.4(c)(i)."""
    o, refs = _resolved(LEVELS)
    assert _seen(refs) == [
        ("Section 4.2(i)", 11, "loose", [("4.2(a)(i)", 9)]),
        ("Section 4.4(i)", 19, "dangling", []),
    ]
    got = [(f.rule, f.severity, f.line, f.message) for f in check_references(o, refs, "c.txt")]
    assert got == [
        ("text.dangling-reference", Severity.WARNING, 11,
         'Reference "Section 4.2(i)" names no clause as written; it fits 4.2(a)(i) (line 9) only if a level is '
         'left out or added.'),
        ("text.dangling-reference", Severity.ERROR, 19, 'Reference "Section 4.4(i)" does not resolve: V.4 has no 4(i).'),
    ]


# Section 1 lists (b) twice (a duplicated label); Section 2 has no (b); Section 4 adds a quoted (b).
FIELDS = """ARTICLE IV

1. Dividends.

(a) Rate. Dividends accrue at eight percent.

(b) Payment. Dividends are paid in cash.

(b) Record Date. The Board sets the record date.

2. Liquidation. The amount set forth in Section 1(b) is paid first. The Conversion Price as adjusted under Section 3 is final. The holders described in clause (b) of this Section are paid last.

3. Redemption. The shares are redeemable at the option of the holder.

4. Amendments. The following paragraph is added:

\u201c(b) Notices. Notices are given in writing.\u201d
"""


def test_the_fields_of_findings_on_a_duplicated_label():
    """Line 11:
    - "Section 1(b)" matches both (b)s of Section 1 (lines 7 and 9), which share the path IV.1(b):
      no "ambiguous" warning (it could not name two different clauses; the duplicated label is
      another rule's finding);
    - "the Conversion Price as adjusted under Section 3": Section 3 is about redemption: a
      wrong-clause warning, reported in file c.txt like every other finding;
    - "clause (b) of this Section": Section 2 has no (b); a (b) exists elsewhere, the first in the
      document, IV.1(b) on line 7: a warning whose witness names it as "nearest" (not the quoted
      (b) of line 17).

    Kills `check_references` 151 (`len(paths) >= 1`: "could mean any of IV.1(b)"), 180 (the
    wrong-clause finding's file None), 59 (no "nearest" key), 60, 61 (the key misspelt);
    `match_clauses` 36 (`... and article or any(quoted)`: the quoted (b) preferred for any label,
    so the nearest is the (b) of line 17)."""
    o, refs = _resolved(FIELDS)
    assert [(c.start_line, c.quoted) for c in o.clauses if c.label == "b"] == [(7, False), (9, False), (17, True)]
    assert _seen(refs)[:3] == [
        ("Section 1(b)", 11, "ambiguous", [("IV.1(b)", 7), ("IV.1(b)", 9)]),
        ("Section 3", 11, "resolved", [("IV.3", 13)]),
        ("clause (b)", 11, "dangling", [("IV.1(b)", 7)]),
    ]
    got = [(f.rule, f.severity, f.file, f.line, f.witness) for f in check_references(o, refs, "c.txt")]
    assert got == [
        ("text.dangling-reference", Severity.WARNING, "c.txt", 11,
         {"reference": "clause (b) of this Section", "nearest": "IV.1(b)"}),
        ("text.wrong-clause-reference", Severity.WARNING, "c.txt", 11,
         {"reference": "Section 3", "target": "IV.3", "target_heading": "Redemption", "subject": "conversion"}),
    ]


# A protective-provisions sentence whose list lost its (H), and an exemption list whose second item
# begins with the word "below".
LIST_ITEMS = """ARTICLE IV

3. Protective Provisions. So long as any shares are outstanding, the Corporation shall not, without the consent required by subsection (H) of the Investors' Agreement, (F) amend this Certificate or (G) redeem any shares. Any action described in (F) (H) above is void.

4. Exempted Securities. The following issuances are exempted:

(i) shares issued to employees under a plan approved by the Board;

(ii) below-market grants approved by the holders of a majority of the Preferred Stock; and

(iii) shares issued in a Qualified IPO.
"""


def test_a_list_without_a_comma_and_an_item_that_begins_with_below():
    """Line 3: "(F) (H) above" (a list that lost its comma) names (F) of Section 3's own list and
    an (H) that the list does not have: the (H) of "subsection (H) of the Investors' Agreement" is
    inside a reference to another document, not an item of the list: an error. Line 9: the item
    (ii) begins with "below-market": read as "(ii) below", it is the item itself, not a reference
    pointing down from inside its own target: no direction warning.

    Kills `resolve` 189 (the parts of the comma-less list looked up with no reference spans, so the
    (H) inside the Investors' Agreement reference counts as a list item and the list is `inline`)
    and 263 (`t.flat_start <= r.start`: "(ii) below" written at the start of (ii) is a direction
    warning)."""
    o, refs = _resolved(LIST_ITEMS)
    assert [(" ".join(r.text.split()), r.line, r.status) for r in refs] == [
        ("subsection (H)", 3, "external"),
        ("(F) (H)", 3, "dangling"),
        ("(ii)", 9, "resolved"),
    ]
    got = [(f.rule, f.severity, f.line, f.message) for f in check_references(o, refs, "c.txt")]
    assert got == [("text.dangling-reference", Severity.ERROR, 3,
                    'Reference "(F) (H)" does not resolve: no clause with that label exists.')]


def test_a_hyphenated_range_of_sections():
    """Line 7: "Sections 1-2" and "paragraphs 1-2" are ranges: their ends, Sections 1 (line 3) and
    2 (line 5), as in "Sections 1 through 2"; before the fix they were read as the chain 1(2), an
    error ("IV.1 has no 2"). A statute's "Section 7-106-102" and "Section 12-3" of the Code stay
    external.

    Kills `_is_external` 19 (`\\d-\\d or Section \\d+-\\d`: any hyphenated number in the list makes
    it external, so the ranges are dropped as statute sections)."""
    text = """ARTICLE IV

1. Dividends. No dividends are payable.

2. Liquidation. The holders are paid first.

3. Conversion. The rights in Sections 1-2 and in paragraphs 1-2 survive. A holder may elect under Colo. Rev. Stat. Section 7-106-102 and under Section 12-3 of the Code.
"""
    o, refs = _resolved(text)
    assert _seen(refs) == [
        ("Sections 1", 7, "resolved", [("IV.1", 3)]),
        ("2", 7, "resolved", [("IV.2", 5)]),
        ("paragraphs 1", 7, "resolved", [("IV.1", 3)]),
        ("2", 7, "resolved", [("IV.2", 5)]),
        ("Section 7-106-102", 7, "external", []),
        ("Section 12-3", 7, "external", []),
    ]
    assert check_references(o, refs, "c.txt") == []


# Section 6 of Article IV with lettered subsections written "6B(i)" (the outline parser keeps the
# letters A. to C. at the level of Section 6).
LETTERED = """ARTICLE IV

6. Conversion.

A. Optional. Each share converts at the option of the holder.

B. Mandatory.

(i) Trigger. Each share converts upon a Qualified IPO.

(ii) Mechanics. The holders surrender their certificates.

C. Adjustments.

(i) Splits. The Conversion Price is adjusted for splits.

(ii) Notice. Notice of each adjustment is given as provided in Sections 6B(i) and (C)(ii).
"""


def test_a_list_item_replaces_a_letter_written_without_parentheses():
    """Line 17: in "Sections 6B(i) and (C)(ii)" the item (C)(ii) replaces the B(i) of 6B(i): it is
    6C(ii), read as 6(C)(ii). The outline has no C under 6 (line 5's A. to line 11's C. are
    siblings of 6.), so both dangle, each with the label found elsewhere: warnings naming IV.B(i)
    (line 9) and IV.C(ii) (line 17).

    Kills `_continue_chain` 31 (`q.paren and p + j > 0`) and 34 (`p + j > 1`): a label written
    without parentheses (the B of 6B) can no longer be replaced, so "(C)(ii)" is read alone, from
    where it is written: it resolves to IV.C(ii) and its warning is gone."""
    o, refs = _resolved(LETTERED)
    assert [(c.text, c.paren) for c in refs[1].components] == [("6", False), ("C", True), ("ii", True)]
    got = [(f.severity, f.line, f.message) for f in check_references(o, refs, "c.txt")]
    assert got == [
        (Severity.WARNING, 17, 'Reference "Sections 6B(i)" does not resolve: IV.6 has no B(i). The label exists '
                               'elsewhere (IV.B(i), line 9); check which clause is meant.'),
        (Severity.WARNING, 17, 'Reference "(C)(ii)" does not resolve: IV.6 has no (C)(ii). The label exists '
                               'elsewhere (IV.C(ii), line 17); check which clause is meant.'),
    ]
