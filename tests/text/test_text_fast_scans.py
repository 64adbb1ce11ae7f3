"""The fast scans of the text checks find exactly what the plain scans they replace find.

(Speed itself is measured by benchmarks/text.py, not tested.)"""

from __future__ import annotations

import random
import re

from charterverify.text import economics, numbers, terms
from charterverify.text.lists import _Cover

# made-up drafting, upper and lower case, with the characters a lower-casing could get wrong
SAMPLE = (
    "Total Equity Value means the sum. The Conversion Price shall mean X; and Net Proceeds means y, "
    "Big Fat Number Amount shall meaning\nDeemed Exit Event means z. the  Sale Price   shall  mean, "
    "Fair Market Value means- SEVEN DOLLARS AND NINETY-SIX CENTS ($7.95); Twenty-Five Percent (26%); "
    "Nine Million One Hundred Thousand (9,100,000); Sixty-Six and Two Thirds (66 2/3) percent. Such dividends "
    "shall NOT BE CUMULATIVE, Non-Cumulative, plus ACCRUED BUT UNPAID DIVIDENDS and “Undeclared Dividends”.\n"
)


def _spans(it) -> list[tuple[int, int]]:
    return [m.span() for m in it]


def test_lower_case_twins_find_the_ignorecase_spans():
    pairs = [(numbers._WORD_RUN, numbers._WORD_RUN_LOWER), (economics._DOLLARS, economics._DOLLARS_LOWER),
             (economics._NONCUM, economics._NONCUM_LOWER), (economics._CUM_YES, economics._CUM_YES_LOWER),
             (economics._ACCRUED, economics._ACCRUED_LOWER)]
    text = SAMPLE * 3
    assert numbers.lowered(text) is not None
    for rx, low in pairs:
        assert _spans(numbers.finditer_ci(rx, low, text)) == _spans(rx.finditer(text))
    # the sample has a match of each kind: the comparison is not between two empty lists
    assert len(_spans(economics._DOLLARS.finditer(text))) == 3
    assert len(_spans(economics._ACCRUED.finditer(text))) == 6  # two per copy


def test_lowered_refuses_texts_where_case_folding_differs():
    # a dotted capital I lower-cases to two characters; the Kelvin sign and the long s match "k" and "s"
    for odd in ("\u0130", "\u212a", "\u017f", "\u0131"):
        assert numbers.lowered(SAMPLE + odd) is None
    # and the scan still finds the IGNORECASE matches: "FIVE DOLLARS" with a Kelvin sign elsewhere
    text = "\u212a " + SAMPLE
    assert _spans(numbers.finditer_ci(economics._DOLLARS, economics._DOLLARS_LOWER, text)) == \
        _spans(economics._DOLLARS.finditer(text))


def test_unquoted_means_scan_in_runs_is_the_full_scan():
    text = SAMPLE * 2
    got = _spans(terms._finditer_in_runs(terms._UNQUOTED_MEANS, text, terms._MEAN_WORD, terms._NOT_NAME_CHAR))
    assert got == _spans(terms._UNQUOTED_MEANS.finditer(text))
    # "Total Equity Value means", "The Conversion Price shall mean", "Net Proceeds means" and two more per copy
    assert [text[a:b] for a, b in got][:3] == ["Total Equity Value means", "The Conversion Price shall mean",
                                               "Net Proceeds means"]


def _open_paren_plain(flat: str, pos: int, limit: int = 400) -> bool:
    depth = 0
    for k in range(pos - 1, max(-1, pos - limit), -1):
        ch = flat[k]
        if ch == ")":
            depth += 1
        elif ch == "(":
            if depth == 0:
                return True
            depth -= 1
        elif ch == "\n":
            return False
    return False


def test_open_paren_and_span_cover_agree_with_the_plain_loops():
    rnd = random.Random(7)
    for _ in range(300):
        s = "".join(rnd.choice("ab ()\n") for _ in range(rnd.randint(0, 500)))
        for pos in range(0, len(s) + 1, 5):
            for limit in (3, 160, 400):
                assert terms._in_open_paren(s, pos, limit) == _open_paren_plain(s, pos, limit)
        spans = [(a, a + rnd.randint(0, 40)) for a in (rnd.randint(0, 500) for _ in range(rnd.randint(0, 12)))]
        cover = _Cover(spans)
        for off in range(0, 560, 3):
            assert (off in cover) == any(a <= off < b for a, b in spans)


def test_word_numbers_at_a_position_keep_fraction_and_percent():
    got = [(m.text, m.value, m.percent) for m in numbers.find_word_numbers(SAMPLE)
           if m.text.lower().startswith(("sixty", "twenty-five"))]
    assert got == [("Twenty-Five Percent", 25, True), ("Sixty-Six and Two Thirds", numbers.Fraction(200, 3), False)]
    assert re.fullmatch(r"[\w ,.-]+", got[0][0])


def test_patterns_starting_with_a_character_match_as_the_look_behind_forms():
    plain = {
        "_QUOTED": r"(?<![\w])[\"\u201c][ ]?([A-Za-z][A-Za-z0-9\-'\u2019&/ ,.]{0,90}?)[ ]?[,.]?[ ]?[\"\u201d](?!\w)",
        "_SQUOTED": r"(?<![\w])'([A-Z][A-Za-z0-9\- ]{1,60}?)'\s+(?=shall\s+mean|means)",
        "_INITIAL": r"\b[Tt]he\s+initial\s+((?:[A-Z][a-z]+\s+){0,3}[A-Z][a-z]+)\b",
        "_PART_HEAD": r"\bEXHIBIT\s+[A-Z]\b|\bCERTIFICATE\s+OF\s+(?:AMENDMENT|CORRECTION|OWNERSHIP|MERGER|DESIGNATIONS?|"
                      r"RETIREMENT|ELIMINATION|INCORPORATION)\b|\bARTICLES\s+OF\s+(?:AMENDMENT|INCORPORATION)\b",
    }
    text = ("'Good Name' shall mean x'Bad Name' means \u201cTerm\u201d a\"Bad\" (the \" Price \") The initial Conversion "
            "Price xThe initial Foo Bar the initial Base Rate EXHIBIT A xEXHIBIT B CERTIFICATE OF AMENDMENT "
            "ARTICLES OF INCORPORATION_ARTICLES OF AMENDMENT ARTICLES OF AMENDMENT") + SAMPLE
    for name, pattern in plain.items():
        want = [(m.span(), m.groups()) for m in re.finditer(pattern, text)]
        assert [(m.span(), m.groups()) for m in getattr(terms, name).finditer(text)] == want
        assert want, name  # each pattern matches something here
