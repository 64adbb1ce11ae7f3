"""The terminal output of `verify` on real runs: verdict first, findings by severity and grouped,
who gets what at round exits, widths, money formatting, --explain, --verbose."""

from __future__ import annotations

import re
from fractions import Fraction as F
from functools import lru_cache
from pathlib import Path

import pytest

from charterverify.cli import main
from charterverify.report.money import AmountError, cents, parse_amount, percent, price
from charterverify.report.terminal import compress_names, round_exits

ROOT = Path(__file__).resolve().parents[2]
CHARTERS = ROOT / "charters"


def _run(capsys, monkeypatch, columns: int, *args):
    monkeypatch.setenv("COLUMNS", str(columns))
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@lru_cache(maxsize=None)
def _quintus(columns: int) -> tuple[int, str]:
    import io
    import os
    from contextlib import redirect_stdout

    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(columns)
    try:
        buf = io.StringIO()
        with redirect_stdout(buf):
            code = main([str(CHARTERS / "quintus.toml")])
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old
    return code, buf.getvalue()


def test_money_formats():
    assert cents(F(8417500)) == "$8,417,500.00"
    assert cents(F("900007.022")) == "≈$900,007.02"          # not a whole number of cents
    assert cents(F(10022501191885, 376147)) == "≈$26,645,171.15"  # 26,645,171.1534...
    assert cents(F("-1236129.435")) == "≈-$1,236,129.44"
    assert price(F("3.218")) == "$3.218" and price(F(1)) == "$1.00"
    assert price(F(1, 3)) == "≈$0.3333"
    assert percent(F(1, 4)) == "25.0%" and percent(F(1, 3)) == "≈33.3%"


@pytest.mark.parametrize("text, value", [
    ("100000000", F(100_000_000)), ("50M", F(50_000_000)), ("1.5B", F(1_500_000_000)),
    ("$50,000,000", F(50_000_000)), ("5e7", F(50_000_000)), ("750k", F(750_000)),
    ("1.25e8", F(125_000_000)), ("69213057.117375", F("69213057.117375")), ("1/3", F(1, 3)),
])
def test_parse_amount_exact(text, value):
    assert parse_amount(text) == value


@pytest.mark.parametrize("text", ["1,5", "1,50,000", "12,3456", "50X", "", "$", "1e", "--5"])
def test_parse_amount_refuses(text):
    with pytest.raises(AmountError):
        parse_amount(text)


def test_compress_names():
    assert compress_names(["B", "C", "D", "E", "G1", "G2", "G3", "G4", "G5", "G6"]) == "B, C, D, E, G1-G6"
    assert compress_names(["G-1", "G-2", "G-3"]) == "G-1 to G-6".replace("6", "3")
    assert compress_names(["G1", "G2", "A"]) == "G1, G2, A"


def test_round_exits_bracket_the_stack():
    from charterverify.model import load_model

    # Quintus: the stack is $73,821,548.235 (the sum of the preferences, IV.B.2(a));
    # S/2 = $36.9M -> $50M; S -> $100M; 2S = $147.6M -> $200M; 5S = $369.1M -> $500M
    assert round_exits(load_model(CHARTERS / "quintus.toml")) == [F(50_000_000), F(100_000_000),
                                                                  F(200_000_000), F(500_000_000)]


def test_quintus_verdict_and_first_errors_in_24_lines_at_80_columns():
    code, out = _quintus(80)
    assert code == 1
    lines = out.splitlines()
    head = "\n".join(lines[:24])
    # the verdict: 10 errors are the ten dividend-wording findings (one per series' clause, text
    # lines 186-253 of the Quintus seed); warnings and infos counted the same way
    assert lines[0].startswith("FAIL Quintus Corporation (quintus): 10 errors, ")
    assert "exit 1" in "\n".join(lines[:2])
    # the first entry is an error, the grouped dividend-wording finding with its first clause
    first = next(ln for ln in lines if ln.startswith(("error", "warning", "info")))
    assert first.startswith("error") and "IV.B.2(a)" in first
    assert "undeclared but unpaid dividends" in head
    col = next(ln for ln in lines if ln.rstrip().endswith("Finding")).index("Finding")
    finding_column = " ".join(" ".join(ln[col:] for ln in lines[:24]).split())
    assert "[10 findings like this one, for F, C, D, E, G-1 to G-6]" in finding_column


def test_quintus_findings_ordered_by_severity_and_grouped():
    code, out = _quintus(200)
    sev = [ln.split()[0] for ln in out.splitlines() if re.match(r"^(error|warning|info)\s", ln)]
    order = {"error": 0, "warning": 1, "info": 2}
    assert sev == sorted(sev, key=order.get)
    # the 12 monotonicity warnings (B, C, D, E, G1-G6 at the vote switches $69,213,057.117375 and
    # $75,120,420.735) are one entry naming the series and the worst drop: Series C at $75,120,421
    # receives $5,520,000.02 against $5,730,000 one dollar lower, a drop of about $209,999.98
    mono = [ln for ln in out.splitlines() if "(monotonicity;" in ln]
    assert len(mono) == 1
    flat = " ".join(out.split())
    block = flat[flat.index("12 findings like this one"):]
    assert block.startswith("12 findings like this one, for B, C, D, E, G1-G6; the worst drop is C's, ≈$209,999.98")
    assert sum(1 for ln in sev if ln == "error") == 1  # the ten dividend-wording errors: one entry


@pytest.mark.parametrize("columns", [80, 200])
def test_no_cell_is_cut(columns):
    code, out = _quintus(columns)
    assert "…" not in out
    assert max(len(ln) for ln in out.splitlines()) <= columns
    # every clause label of the dividend-wording group appears whole
    for label in ("IV.B.2(a)(iii)", "IV.B.2(a)(viii)", "IV.B.2(a)(xi)"):
        assert label in out


def test_who_gets_what_at_round_exits_quintus():
    code, out = _quintus(200)
    i = out.index("Who gets what at round exit values")
    table = out[i:out.index("Who converts when")]
    assert "at $50M" in table and "at $500M" in table
    # at $50M (below the $73.8M stack, above $31,114,020): F takes its senior $12,375,000
    # (1,500,000 x $8.25) = 24.75% of the proceeds; A converts by the AD vote and takes its cash
    # on conversion 9,100,000 x $0.925 = $8,417,500 (16.835%)
    f_row = next(ln for ln in table.splitlines() if ln.startswith("Series F"))
    assert "$12,375,000.00" in f_row
    a_row = table.splitlines()[[k for k, ln in enumerate(table.splitlines()) if ln.startswith("Series A")][0] + 1]
    assert "$0.925/sh ≈16.8%" in a_row
    total = next(ln for ln in table.splitlines() if ln.startswith("Total"))
    assert "$50,000,000.00" in total and "$500,000,000.00" in total


def test_restatement_only_with_verbose(capsys, monkeypatch):
    code, out, _ = _run(capsys, monkeypatch, 120, CHARTERS / "valuestar.toml", "--no-properties")
    assert "Liquidation preference stack" not in out
    assert "verify --explain TERM" in out
    code, out, _ = _run(capsys, monkeypatch, 120, CHARTERS / "valuestar.toml", "--no-properties", "--verbose")
    assert "Liquidation preference stack" in out
    assert out.index("Who gets what") < out.index("Liquidation preference stack")


def test_explain(capsys, monkeypatch):
    code, out, _ = _run(capsys, monkeypatch, 100, "--explain", "equilibria")
    assert code == 0 and out.startswith("equilibria: ") and "better off" in out
    code, out, _ = _run(capsys, monkeypatch, 100, "--explain", "cap_dropout")
    assert code == 0 and "own_cap" in out
    code, out, err = _run(capsys, monkeypatch, 100, "--explain", "nonsense")
    assert code == 2 and out == "" and err.count("\n") == 1 and "equilibria" in err


def test_exit_text_valuestar(capsys, monkeypatch):
    # DOMAIN.md: at $100M B converts; A $5M, B and common split $95M evenly: $47.5M each;
    # B per share $47,500,000 / 800,000 = $59.375; common $47,500,000 / 8,000,000 = $5.9375
    code, out, err = _run(capsys, monkeypatch, 80, CHARTERS / "valuestar.toml", "--exit", "100M")
    assert code == 0 and err == ""
    assert "$47,500,000.00" in out and "$59.375/sh 47.5%" in out and "$5.9375/sh 47.5%" in out
    assert "$5.00/sh 5.0%" in out
    assert re.search(r"Total\s+\$100,000,000\.00", out)
