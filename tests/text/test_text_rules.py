"""One small fixture per rule: each rule fires where it should and stays quiet where it should not."""

from pathlib import Path
from textwrap import dedent

from charterverify.findings import Severity
from charterverify.text import check_text

BASE = dedent("""\
    ARTICLE IV

         A. Classes of Stock. The corporation may issue "Common Stock" and
    "Preferred Stock" (the "Series A Preferred Stock").

         B. Preferred Stock.

              1. Dividends. The holders of Series A Preferred Stock shall be entitled to
    dividends at the rate of $0.08 per share, payable when declared. Such dividends shall
    not be cumulative.

              2. Liquidation Preference.

                   (a) In the event of any liquidation, the holders of Series A Preferred
    Stock shall receive $1.00 per share (the "Original Issue Price") plus declared but
    unpaid dividends.

                   (b) Upon completion of the distribution required by subsection (a) of
    this Section 2, the remaining assets go to the Common Stock.

              3. Conversion. Each share converts at the Original Issue Price.
    {extra}
    """)

PATH = "fixture.txt"


def run(extra: str = "", base: str = BASE):
    return check_text(Path(PATH), base.replace("{extra}", extra))


def rules(findings):
    return sorted({(f.rule, f.line) for f in findings})


def test_clean_fixture_has_no_findings():
    assert run() == []


def test_dangling_reference():
    fs = run("\n         C. Common Stock. As provided in Section 2(c) and Section 2(b).\n")
    assert [(f.rule, f.severity) for f in fs] == [("text.dangling-reference", Severity.ERROR)]
    assert "FOURTH" not in fs[0].message and "IV.B.2 has no (c)" in fs[0].message
    assert fs[0].file == PATH and fs[0].line == 23


def test_wrong_self_reference_and_this_section_ok():
    fs = run("\n              4. Voting. Any notice under this Section 2 is effective on receipt.\n")
    assert rules(fs) == [("text.wrong-self-reference", 23)]
    assert run("\n              4. Voting. Any notice under this Section 4 is effective.\n") == []


def test_ambiguous_reference():
    text = dedent("""\
        ARTICLE IV

             1. First. Text.

                  (a) Item.

             2. Second. Text.

        ARTICLE V

             1. Other. Text.

                  (a) Item.

        ARTICLE VI

             The rights in Section 1(a) survive.
        """)
    fs = check_text(Path(PATH), text)
    assert [f.rule for f in fs] == ["text.ambiguous-reference"]
    assert set(fs[0].witness["candidates"]) == {"IV.1(a)", "V.1(a)"}


def test_external_references_are_not_errors():
    extra = ("\n              4. Amendment. Adopted under Section 242 of the General Corporation Law and "
             "Section 3.2 of the Bylaws, Rule 12b-2, and Colo. Rev. Stat. Section 7-106-102.\n")
    assert run(extra) == []


def test_inline_and_relative_references():
    extra = dedent("""
              4. Deemed Liquidation. A deemed liquidation means (A) a merger or (B) a sale,
    and clause (A) of this Section 4 applies only with notice.

                   (a) Items as follows:

                        (i) first;

                        (ii) second, as in (i) above.
    """)
    assert run(extra) == []


def test_undefined_and_external_terms():
    extra = ("\n              4. Redemption. The Redemption Amount (as defined below) is paid on the "
             "Mandatory Redemption Date, and the Lenders (as defined therein) are notified.\n")
    fs = run(extra)
    got = {(f.rule, f.witness.get("term")) for f in fs}
    assert ("text.undefined-term", "Redemption Amount") in got
    assert ("text.undefined-term", "Mandatory Redemption Date") in got
    assert ("text.external-term", "Lenders") in got
    assert all(f.severity == Severity.INFO for f in fs if f.rule == "text.external-term")


def test_duplicate_unused_and_use_before_definition():
    extra = ("\n              4. Other. $2.00 (the \"Original Issue Price\") applies. The Series B Price "
             "is $3.00 (the \"Series B Price\"). A \"Deemed Event\" shall mean a merger.\n"
             "\n              5. Later. The Deemed Event triggers payment.\n")
    fs = run(extra)
    by = {(f.rule, f.witness.get("term")) for f in fs}
    assert ("text.duplicate-definition", "Original Issue Price") in by
    assert ("text.use-before-definition", "Series B Price") not in by  # same sentence
    assert ("text.unused-definition", "Series B Price") not in by
    assert ("text.unused-definition", "Deemed Event") not in by
    fs2 = run("\n              4. Notice. A notice is given on the Notice Date.\n"
              "\n              5. Defs. \"Notice Date\" shall mean the day of mailing; \"Unused Term\" shall mean nothing.\n")
    by2 = {(f.rule, f.witness.get("term")): f for f in fs2}
    assert by2[("text.use-before-definition", "Notice Date")].severity == Severity.INFO
    assert ("text.unused-definition", "Unused Term") in by2


def test_numbering_duplicate_and_gap():
    extra = dedent("""
              4. Election of Directors.

                   (i) one director;

                   (ii) two directors;

                   (ii) the rest.

              6. Status. Holders elect (i) one, (ii) two, (iii) three and (iii) four directors,
    and (A) first, (C) second.
    """)
    fs = run(extra)
    assert rules(fs) == [
        ("text.numbering-duplicate", 29),  # (ii), (ii) clauses
        ("text.numbering-duplicate", 31),  # (iii) ... and (iii) in running text
        ("text.numbering-gap", 31),  # section 5. missing
        ("text.numbering-gap", 32),  # (A), (C)
    ]


def test_numbers_in_parentheses_are_not_lists():
    extra = "\n              4. Notice. Within ten (10) days, or fifteen (15) days, or three (3) days.\n"
    assert run(extra) == []


def test_placeholders():
    extra = "\n              4. Date. Effective on _______ __, 2003 at [\u25cf] per share, or $[  ], TBD.\n"
    fs = run(extra)
    assert [(f.rule, f.line, f.severity) for f in fs] == [("text.placeholder", 23, Severity.ERROR)]
    assert run("\n[THE REMAINDER OF THIS PAGE IS INTENTIONALLY LEFT BLANK]\n") == []


def test_dividend_wording_with_non_cumulative_dividends():
    extra = ("\n              4. Redemption. The corporation shall redeem each share for $1.00 plus all accrued "
             "but unpaid dividends, excluding accrued interest or accrued dividends on notes.\n")
    fs = run(extra)
    assert [(f.rule, f.line) for f in fs] == [("text.dividend-wording", 23)]
    assert fs[0].witness["non_cumulative_line"] == 9
    # cumulative dividends: the same wording is fine
    cum = BASE.replace("Such dividends shall\nnot be cumulative.", "Such dividends shall be cumulative.")
    assert [f for f in check_text(Path(PATH), cum.replace("{extra}", extra)) if f.rule == "text.dividend-wording"] == []


def test_inconsistent_amount_words_and_figures():
    extra = ("\n              4. Shares. The series has Nine Million One Hundred Thousand (9,200,000) shares "
             "and sixty percent (60%) vote, and one and three-fourths (1.75) split.\n")
    fs = run(extra)
    assert [(f.rule, f.line) for f in fs] == [("text.inconsistent-amount", 23)]
    assert fs[0].witness["words_value"] == "9100000"
    fs2 = run("\n              4. Other. Pay $1.10 (the \"Original Issue Price\").\n")
    assert "text.inconsistent-amount" in {f.rule for f in fs2}


def test_finding_fields_are_stable():
    fs = run("\n         C. Common Stock. As provided in Section 2(c).\n")
    d = fs[0].to_json()
    assert d["rule"].startswith("text.") and d["file"] == PATH and d["line"] == 23 and d["clause"] == "IV.C"
