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


# ---------------------------------------------------------------- flowed text (EDGAR extraction)
# One paragraph wrapped at ~100 characters, labels and headings inline, curly quotes with inner spaces.
FLOWED = (
    "ARTICLE IV. A. The Company is authorized to issue two classes of stock designated \u201cCommon Stock\u201d and\n"
    "\u201cPreferred Stock.\u201d The total number of shares the Company is authorized to issue is 15,000,000\n"
    "shares, consisting of 10,000,000 shares of Common Stock (the \u201c Common Stock \u201d) and 5,000,000\n"
    "shares of Preferred Stock (the \u201c Preferred Stock \u201d). B. 1. Definitions . \u201c Conversion Price \u201d shall\n"
    "mean $1.00 for the Series A Preferred Stock. The Series A Original Issue Price and the Series B\n"
    "Original Issue Price shall mean $1.00 and $2.00, respectively. 2. Conversion Ratio . Each share\n"
    "converts at the applicable Original Issue Price divided by the Conversion Price. {extra}\n"
)


# the reference rules are rebuilt on branch text-a ("ARTICLE IV." inline is read as a reference today)
_REFERENCE_RULES = {"text.dangling-reference", "text.wrong-self-reference", "text.ambiguous-reference",
                    "text.reference-direction"}


def flowed(extra: str = "", base: str = FLOWED):
    return [f for f in check_text(Path(PATH), base.replace("{extra}", extra)) if f.rule not in _REFERENCE_RULES]


def test_flowed_definitions_are_found():
    # curly quotes with inner spaces, an unquoted per-series family, an inline heading "Conversion Ratio ."
    assert [f for f in flowed() if f.severity >= Severity.WARNING] == []


def test_marked_term_defined_nowhere_is_an_error_and_external_terms_are_not():
    fs = flowed("The Series A Redemption Price (as defined below) is paid; the Investors (as defined in the "
                "Purchase Agreement) consent.")
    by = {f.witness.get("term"): f for f in fs}
    assert by["Series A Redemption Price"].rule == "text.undefined-term"
    assert by["Series A Redemption Price"].severity == Severity.ERROR and by["Series A Redemption Price"].line == 7
    assert by["Investors"].rule == "text.external-term" and by["Investors"].severity == Severity.INFO


def test_family_defined_member_by_member():
    extra = ("The \u201cSeries A Redemption Date\u201d shall mean June 1, 2020 and the \u201cSeries B Redemption "
             "Date\u201d shall mean June 1, 2021. On the Series C Redemption Date the shares are redeemed.")
    fs = [f for f in flowed(extra) if f.rule == "text.undefined-term"]
    assert [(f.witness["term"], f.severity) for f in fs] == [("Series C Redemption Date", Severity.WARNING)]


def test_duplicate_definition_only_with_different_meanings():
    same = "A majority of the Board of Directors (the \u201cBoard\u201d) may act.\nLater the Board of Directors (the \u201cBoard\u201d) acts."
    assert [f for f in flowed(same) if f.rule == "text.duplicate-definition"] == []
    per_series = ("The \u201cLiquidation Amount\u201d of the Series A shall be $1.00.\nThe \u201cLiquidation Amount\u201d of "
                  "the Series B shall be $2.00.")
    assert [f for f in flowed(per_series) if f.rule == "text.duplicate-definition"] == []
    differ = ("Any merger (a \u201cDeemed Event\u201d) is a liquidation.\nAny sale of assets (a \u201cDeemed Event\u201d) is "
              "not.")
    fs = [f for f in flowed(differ) if f.rule == "text.duplicate-definition"]
    assert [(f.line, f.witness["lines"]) for f in fs] == [(8, [7, 8])]
    # a certificate of amendment attached to the filing restates the term on purpose
    amended = differ.replace("\nAny sale", "\nCERTIFICATE OF AMENDMENT Any sale")
    assert [f for f in flowed(amended) if f.rule == "text.duplicate-definition"] == []


def test_placeholders_signature_blocks_and_model_brackets():
    fs = flowed("Notice is given on [insert date] to each holder.")
    assert [(f.rule, f.line, f.severity) for f in fs] == [("text.placeholder", 7, Severity.ERROR)]
    assert flowed("By: ________________ Name: ____________ Title: CEO") == []
    fs = flowed("IN WITNESS WHEREOF, this certificate is executed on this ___ day of May, 2020.")
    assert [(f.rule, f.severity) for f in fs] == [("text.placeholder", Severity.WARNING)]
    # NVCA model-form alternatives: one info for the sentence, not one per bracket
    fs = flowed("Each holder votes [together with the Common Stock] [as a separate class] on [all] matters.")
    assert [(f.rule, f.severity, f.witness["alternatives"]) for f in fs] == [
        ("text.bracketed-alternative", Severity.INFO, 3)]


def test_share_counts_must_add_up():
    wrong = FLOWED.replace("15,000,000", "16,000,000")
    fs = [f for f in flowed(base=wrong) if f.rule == "text.share-count"]
    assert [(f.line, f.severity, f.witness["sum"]) for f in fs] == [(2, Severity.ERROR, "15000000")]  # the total, line 2
    over = ("3,000,000 shares of the Preferred Stock are designated Series A Preferred Stock.\n"
            "2,500,000 shares of the Preferred Stock are designated Series B Preferred Stock.")
    fs = [f for f in flowed(over) if f.rule == "text.share-count"]
    assert [(f.line, f.witness["sum"], f.witness["preferred"]) for f in fs] == [(8, "5500000", "5000000")]
    assert [f for f in flowed(over.replace("2,500,000", "2,000,000")) if f.rule == "text.share-count"] == []


def test_words_and_figures_disagree():
    fs = flowed("Notice is due within twenty (30) days; the pool is Five Million (5,500,000) shares; the price is "
                "seven dollars and ninety-six cents ($7.69); the cap is one hundred twenty-five million "
                "(125,000,000) shares and seven dollars and ninety-six cents ($7.96) is paid.")
    got = sorted((f.witness["words_value"], f.witness["figure"]) for f in fs if f.rule == "text.inconsistent-amount")
    # 7.96 = 199/25 in words, 7.69 in figures
    assert got == [("199/25", "769/100"), ("20", "30"), ("5000000", "5500000")]


def test_words_to_int_uses_the_library_and_corrects_its_scale_slip():
    from charterverify.text.numbers import words_to_int

    assert words_to_int("one hundred twenty-five million") == 125_000_000
    # word2number 1.1 returns 9,101,100 for this one
    assert words_to_int("nine million one hundred thousand") == 9_100_000


def test_nested_lists_of_one_style_and_references_in_sequence():
    nvca = ("The price is multiplied by a fraction (A) the numerator of which shall be (A) the shares outstanding, "
            "plus (B) the shares purchasable, and (B) the denominator of which shall be the shares outstanding.")
    assert flowed(nvca) == []
    ref = ("Then (1) the Company sends a notice under the following clause (2) to each holder, and (2) the holders "
           "may require redemption.")
    assert flowed(ref) == []
    dup = "Each holder receives (i) a notice, (ii) a copy, and (ii) a certificate."
    assert [(f.rule, f.line) for f in flowed(dup)] == [("text.numbering-duplicate", 7)]


def test_article_gap_names_the_missing_ordinal():
    text = "FIRST: The name is X Corp.\n\nSECOND: The office is in Delaware.\n\nFOURTH: The stock is common.\n"
    fs = check_text(Path(PATH), text)
    assert [(f.rule, f.line, f.witness["missing"]) for f in fs] == [("text.numbering-gap", 5, ["THIRD"])]


def test_outline_gap_is_dropped_when_the_label_is_written_inline_between():
    from charterverify.text.lists import _label_in

    # flowed text: "(b)" starts a clause after a sentence end, so the outline's (a) -> (c) is no gap
    assert _label_in("first. (b) If the Company is a party", ["(b)"])
    assert _label_in("B. Liquidation. NINTH: The Corporation", ["NINTH"])
    # "(b)" in a reference is not a clause start
    assert not _label_in("as provided in subsection (b) above", ["(b)"])


def test_glued_labels_open_a_list():
    # "(i)(a) ... minus (b) ... divided by (ii) ...": (a) glued to (i) opens the inner list
    text = "A number of shares equal to (i)(a) the price minus (b) the offering price divided by (ii) the price."
    assert flowed(text) == []
