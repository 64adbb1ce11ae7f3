"""The drafter's reading helpers and the `verify --draft` command line."""

from __future__ import annotations

import contextlib
import io
import json
from fractions import Fraction
from pathlib import Path

import pytest

from charterverify.cli import main
from charterverify.draft.facts import majority_or_percent, money, pair, percents, sentences, series_mentions, words_to_int

ROOT = Path(__file__).resolve().parents[2]
SEEDS = (ROOT / ".." / "shared" / "seeds").resolve()
CORPUS = (ROOT / ".." / "shared" / "corpus").resolve()
KINZAN = SEEDS / "000_bcff0a96b1b81ffe.txt"
VALUESTAR = SEEDS / "003_f0dd647d6efd7235.txt"


def test_sentences_keep_abbreviations_and_prices():
    t = ("Kinzan, Inc. shall pay $1.25 per share under Sec. 2 of No. 5. The Series A Original Issue Price "
         "shall mean $0.90. Then (a) the rest.")
    got = [s.text for s in sentences(t)]
    assert got == ["Kinzan, Inc. shall pay $1.25 per share under Sec. 2 of No. 5.",
                   "The Series A Original Issue Price shall mean $0.90.", "Then (a) the rest."]


def test_numbers_in_words_and_figures():
    assert words_to_int("eighty three million three hundred forty seven thousand eight hundred ninety five") == 83347895
    p = percents("the holders of at least sixty-six and two-thirds percent (66 2/3%) of the Preferred")
    assert [a.value for a in p] == [Fraction(2, 3)]
    assert [a.value for a in percents("at least sixty percent of the shares")] == [Fraction(3, 5)]
    assert majority_or_percent("the holders of a majority of the outstanding") == (Fraction(1, 2), True)
    assert majority_or_percent("at least 60% of the Preferred") == (Fraction(3, 5), False)
    assert [a.value for a in money("not less than $35 million and $4.5143 per share")] == [35_000_000, Fraction("4.5143")]


def test_pairing_both_orders_and_respectively():
    t = "$0.90 for each share of Series A Preferred Stock, $4.00 for each share of Series B Preferred Stock"
    got = pair(t, series_mentions(t), money(t))
    assert {k: v.value for k, v in got.items()} == {"A": Fraction("0.90"), "B": 4}
    t = "the Series A Original Issue Price shall mean $3.15 per share"
    assert pair(t, series_mentions(t), money(t))["A"].value == Fraction("3.15")
    t = "the Series E, Series F and Series G-1 shall have received $10.375, $12.375 and $6.436 per share respectively"
    got = pair(t, series_mentions(t), money(t))
    assert {k: v.value for k, v in got.items()} == {"E": Fraction("10.375"), "F": Fraction("12.375"),
                                                    "G-1": Fraction("6.436")}


def _run(args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(args)
    return rc, out.getvalue(), err.getvalue()


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not found")
def test_cli_draft_stdout_file_and_no_overwrite(tmp_path):
    rc, out, err = _run(["--draft", str(KINZAN)])
    assert rc == 0 and '[[series]]\nid = "A"' in out and 'original_issue_price = "0.9"' in out
    assert "# line 101:" in out and "assumption = true" in out
    assert "REVIEW" in err  # the three separate class votes of 4(b)(ii) are not one vote
    target = tmp_path / "k.toml"
    target.write_text("keep me")
    rc, out, err = _run(["--draft", str(KINZAN), "-o", str(target)])
    assert rc == 2 and target.read_text() == "keep me"
    assert err.count("\n") == 1 and "exists" in err and "Traceback" not in err
    rc, _, _ = _run(["--draft", str(KINZAN), "-o", str(target), "--force"])
    assert rc == 0 and target.read_text().startswith("# Drafted")
    rc, out, _ = _run(["--draft", str(KINZAN), "--format", "json"])
    body = json.loads(out)
    assert body["complete"] and body["review"] and any(f["key"] == "series.C.designated" and f["value"] == "2500000"
                                                       for f in body["facts"])


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not found")
def test_cli_draft_incomplete_says_why(tmp_path):
    # Valuestar's certificate of designation states no common shares: no cap table can be assumed
    rc, out, err = _run(["--draft", str(VALUESTAR)])
    assert rc == 1 and out.startswith("# INCOMPLETE") and "common" in err
    ct = tmp_path / "ct.toml"
    ct.write_text("common_outstanding = 8000000\n")
    rc, out, err = _run(["--draft", str(VALUESTAR), "--captable", str(ct)])
    assert rc == 0 and "common_outstanding = 8000000" in out
    ct.write_text("common_outstanding = -1\n")
    rc, _, err = _run(["--draft", str(VALUESTAR), "--captable", str(ct)])
    assert rc == 2 and "--captable" in err and err.count("\n") == 1
    rc, _, err = _run(["--draft", str(tmp_path / "nope.txt")])
    assert rc == 2 and "no such file" in err


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus not found")
def test_every_corpus_draft_loads_or_says_why(tmp_path):
    from charterverify.draft import draft_document
    from charterverify.draft.write import write_model
    from charterverify.model import loads_model

    for p in sorted(CORPUS.glob("*.txt")) + sorted(SEEDS.glob("*.txt")):
        text, _, incomplete = write_model(draft_document(p), str(p), tmp_path)
        if incomplete:
            assert all(isinstance(x, str) and x for x in incomplete)
            continue
        loads_model(text, str(tmp_path / "m.toml"), base_dir=tmp_path)  # raises if it does not load
