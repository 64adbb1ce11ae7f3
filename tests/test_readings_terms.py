"""Two readings of how charters are drafted (issue 13 §3): undeclared dividends and "exceed".

- undeclared_dividends: a preference that adds "undeclared but unpaid" dividends to non-cumulative
  dividends (Quintus IV.B.2(a) against IV.B.1(a)) reads them as nothing ("none") or as the stated
  rate accrued ("accrued"); the effect is in dollars a year, and as of an exit date where a start
  is stated.
- offering_size: an offering-size test "at least" / "not less than" vs "exceed" / "more than"
  (Juniper FOURTH.6(a)(ii): proceeds that "exceed $10,000,000").

Every expected number is worked by hand in the comments.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from charterverify.cli import main
from charterverify.evaluate import evaluate_exit
from charterverify.ipo import _default_raises, ipo
from charterverify.model import load_model, loads_model, with_date
from charterverify.model.load import with_reading
from charterverify.readings import applicable, describe, dividends_per_year, effect

F = Fraction
ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------- Quintus: undeclared but unpaid dividends

# IV.B.1(a): rates per annum, per share, "respectively" for A, B, C, D, E, F, G-1 ... G-6:
# $0.20, $0.286, $0.382, $0.55, $0.83, $1.65, $0.644, $0.965, $1.126, $1.931, $2.253, $1.667; "shall not
# be cumulative". IV.B.2(a) adds "any undeclared but unpaid dividends" to F (the F preference), C, D, E
# and G-1 ... G-6 ((iii) to (xi)); A and B ((i), (ii)) add only "declared but unpaid" ones.
# Shares outstanding = designated (the model's assumed cap table). A year at the stated rates:
#   C  3,000,000 x 0.382 = 1,146,000
#   D  1,455,000 x 0.55  =   800,250
#   E  3,000,000 x 0.83  = 2,490,000
#   F  1,500,000 x 1.65  = 2,475,000
#   G1   279,679 x 0.644 =   180,113.276
#   G2   696,960 x 0.965 =   672,566.40
#   G3   486,642 x 1.126 =   547,958.892
#   G4   841,518 x 1.931 = 1,624,971.258
#   G5 1,074,853 x 2.253 = 2,421,643.809
#   G6   180,048 x 1.667 =   300,140.016
#   in all                = 12,658,643.651   (the "about $12.66M a year")
QUINTUS_PER_YEAR = {
    "C": F(1_146_000), "D": F(800_250), "E": F(2_490_000), "F": F(2_475_000), "G1": F("180113.276"),
    "G2": F("672566.4"), "G3": F("547958.892"), "G4": F("1624971.258"), "G5": F("2421643.809"),
    "G6": F("300140.016"),
}


@pytest.fixture(scope="module")
def quintus():
    return load_model(ROOT / "charters" / "quintus.toml")


def test_quintus_undeclared_dividends_a_year(quintus):
    m = quintus
    assert m.readings.undeclared_dividends == "none"
    assert "undeclared_dividends" in applicable(m)
    assert dividends_per_year(m) == QUINTUS_PER_YEAR
    assert sum(QUINTUS_PER_YEAR.values()) == F("12658643.651")
    # the dividends are stated for A and B too, but their preferences add only declared ones
    assert m.get_series("A").dividend.per_share == F("0.20") and not m.get_series("A").dividend.in_preference
    eff = effect(m, "undeclared_dividends")
    assert eff.alternative == "accrued" and not eff.computed  # no exit date, and the charter states no start
    line = describe(m, eff)
    assert line.startswith("undeclared_dividends = none (")
    assert "accrued instead: the preferences grow by $12,658,643.651 a year in all" in line
    assert "Series F $2,475,000" in line and "Series G5 $2,421,643.809" in line and "Series A " not in line
    assert "no date they would accrue from" in line
    # none: the payouts are today's (nothing added to any preference)
    assert all(m.dividends(s.id) == 0 for s in m.series)


def test_quintus_accrued_reading_needs_start_dates(capsys):
    # the charter states no Purchase Dates: the "accrued" reading has nothing to accrue from, and says so
    # rather than paying as if nothing accrued
    args = ["charters/quintus.toml", "--exit", "50000000", "--reading", "undeclared_dividends=accrued",
            "--date", "2026-06-30"]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "Series C, D, E, F, G1, G2, G3, G4, G5, G6 state no date the dividends accrue from" in err


def test_quintus_verify_reports_the_dividend_reading(capsys):
    assert main(["charters/quintus.toml", "--text-root", "../shared", "--format", "json"]) in (0, 1)
    out = json.loads(capsys.readouterr().out)
    findings = out["findings"] if isinstance(out, dict) and "findings" in out else out[0]["findings"]
    (f,) = [f for f in findings if f["rule"] == "reading" and f["witness"]["reading"] == "undeclared_dividends"]
    assert f["clause"] == "IV.B.1(a)" and f["severity"] == "info"
    assert f["witness"]["value"] == "none" and f["witness"]["alternative"] == "accrued"
    assert {k: F(v) for k, v in f["witness"]["per_year"].items()} == QUINTUS_PER_YEAR
    assert "$12,658,643.651 a year" in f["message"]


# ---------------------------------------------------------------- as of an exit date

# One series: 1,000,000 shares of A at $1.00, 1x non-participating, converting 1:1; 1,000,000 common.
# Non-cumulative dividends of $0.10 a share a year from 2020-01-01; the preference adds undeclared ones.
# As of 2022-01-01 ("accrued"): two whole years, 2 x $0.10 = $0.20 a share, a preference of
# $1.20 x 1,000,000 = $1,200,000 instead of $1,000,000.
SMALL = '''format = 1
[charter]
id = "small"
[[series]]
id = "A"
designated = 1000000
original_issue_price = "1"
source = "x"
[series.preference]
source = "x"
[series.dividends]
per_share = "0.10"
cumulative = false
start = 2020-01-01
source = "x"
[series.conversion]
price = "1"
source = "x"
[[tiers]]
id = "t"
series = ["A"]
source = "x"
[captable]
common_outstanding = 1000000
'''


def test_dated_effect_of_accruing_undeclared_dividends():
    import datetime as dt

    m = with_date(loads_model(SMALL, "<small>"), dt.date(2022, 1, 1))
    assert m.dividends("A") == 0  # "none": nothing added
    alt = with_reading(m, "undeclared_dividends", "accrued")
    assert alt.dividends("A") == F("0.20")
    # A's payout, E the exit value: none: min(E, 1,000,000) kept, E/2 converted (above E = 2,000,000);
    # accrued: min(E, 1,200,000) kept, E/2 converted above 2,400,000. The difference (accrued minus none)
    # is E - 1,000,000 on [1.0M, 1.2M], 200,000 on [1.2M, 2.0M], 1,200,000 - E/2 on [2.0M, 2.4M]: largest,
    # A +200,000 and common -200,000, first attained at E = 1,200,000.
    assert evaluate_exit(alt, 1_500_000).payouts["A"] - evaluate_exit(m, 1_500_000).payouts["A"] == 200_000
    eff = effect(m, "undeclared_dividends")
    assert eff.computed and eff.at == 1_200_000 and eff.side == ""
    assert eff.changes == {"A": 200_000, "common": -200_000}
    assert eff.per_year == {"A": 100_000}  # 1,000,000 x $0.10
    line = describe(m, eff)
    assert "the preferences grow by $100,000 a year" in line
    assert "as of 2022-01-01: Series A +$200,000, Common stock -$200,000, at $1,200,000" in line


def test_dated_reading_on_the_command_line(tmp_path, capsys):
    p = tmp_path / "small.toml"
    p.write_text(SMALL, encoding="utf-8")
    args = [str(p), "--exit", "1500000", "--format", "json"]
    assert main(args) == 0  # "none": no exit date needed
    assert json.loads(capsys.readouterr().out)["exits"][0]["payouts"]["A"] == "1000000"
    # "accrued" accrues from the start: it needs the exit date
    assert main(args + ["--reading", "undeclared_dividends=accrued"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--date" in err
    assert main(args + ["--reading", "undeclared_dividends=accrued", "--date", "2022-01-01"]) == 0
    assert json.loads(capsys.readouterr().out)["exits"][0]["payouts"]["A"] == "1200000"


# ---------------------------------------------------------------- Juniper: "exceed $10,000,000"


@pytest.fixture(scope="module")
def juniper():
    return load_model(ROOT / "charters" / "juniper.toml")


def test_juniper_offering_size_as_written(juniper):
    # FOURTH.6(a)(ii) (text line 278): proceeds that "exceed $10,000,000"; the price tests say
    # "not less than" (min_price_multiple: 3x the A conversion price etc.)
    m = juniper
    assert m.readings.offering_size == "exceeding"
    assert not any(a.strict for a in m.automatic_conversions)  # the price tests stay "at least"
    assert "offering_size" in applicable(m)
    eff = effect(m, "offering_size")
    assert not eff.computed and eff.alternative == "at_least"
    line = describe(m, eff)
    assert line.startswith("offering_size = exceeding (an offering must raise more than the stated size)")
    assert "at_least instead: an offering of exactly $10,000,000 converts Series A, B, C, D, D1" in line
    # the smallest raise that meets every size test: a dollar over the threshold
    assert _default_raises(m) == [10_000_001]
    assert _default_raises(with_reading(m, "offering_size", "at_least")) == [10_000_000]


def test_juniper_offering_of_exactly_the_threshold(juniper):
    # At $40 a share every price test is met (the highest is D's and D1's 1 x $11.03). A raise of
    # exactly $10,000,000 does not "exceed" it: nothing converts; "at least" converts all five;
    # a dollar more converts all five under either reading.
    m = juniper
    assert ipo(m, 40, 10_000_000).converted == ()
    assert ipo(with_reading(m, "offering_size", "at_least"), 40, 10_000_000).converted == ("A", "B", "C", "D", "D1")
    assert ipo(m, 40, 10_000_001).converted == ("A", "B", "C", "D", "D1")
    # a sale's payouts do not depend on it
    x = 200_000_000
    assert evaluate_exit(m, x).payouts == evaluate_exit(with_reading(m, "offering_size", "at_least"), x).payouts


def test_quintus_offering_size_not_less_than(quintus):
    # IV.B.3(b): "not less than $40,000,000 in the aggregate": at least; exactly $40,000,000 converts
    # (the default, so the model does not state it and no finding names it)
    m = quintus
    assert m.readings.offering_size == "at_least" and "offering_size" not in applicable(m)
    line = describe(m, effect(m, "offering_size"))
    assert "exceeding instead: an offering of exactly $40,000,000 no longer converts Series A, B, C, D, E, F" in line


def test_offering_size_not_applicable_without_a_size_test():
    assert "offering_size" not in applicable(loads_model(SMALL, "<small>"))
    assert "undeclared_dividends" not in applicable(load_model(ROOT / "charters" / "juniper.toml"))


def test_offering_size_named_only_where_the_model_states_it():
    # a model with a size test that does not state the reading takes "at least" silently (a good charter
    # has no findings); stating it, or taking "exceeding" on the command line, names it
    text = SMALL.replace("[[tiers]]", '[[automatic_conversion]]\nid = "q"\nseries = ["A"]\nmin_aggregate = "5000000"\n'
                                      'source = "x"\n[[tiers]]')
    m = loads_model(text, "<small>")
    assert "offering_size" not in applicable(m)
    assert "offering_size" in applicable(with_reading(m, "offering_size", "exceeding"))
    stated = loads_model(text + '[readings]\noffering_size = "at_least"\n', "<small>")
    assert "offering_size" in applicable(stated)


# ---------------------------------------------------------------- votes_in_sale beyond the exact tables


def _thirteen_series() -> str:
    """13 series converting 1:1, each its own deciding unit, and one majority vote of all of them."""
    ids = [f"S{i}" for i in range(13)]
    out = ['format = 1', '[charter]', 'id = "big"']
    for i, sid in enumerate(ids):
        out += ['[[series]]', f'id = "{sid}"', 'designated = 1000', f'original_issue_price = "{i + 1}"', 'source = "x"',
                '[series.preference]', 'source = "x"', '[series.conversion]', f'price = "{i + 1}"', 'source = "x"']
    listed = ", ".join(f'"{s}"' for s in ids)
    out += ['[[tiers]]', 'id = "t"', f'series = [{listed}]', 'source = "x"',
            '[[automatic_conversion]]', 'id = "q"', f'series = [{listed}]', 'min_aggregate = "1000000"',
            f'vote = {{ series = [{listed}], threshold = "1/2" }}', 'source = "x"',
            '[captable]', 'common_outstanding = 10000']
    return "\n".join(out) + "\n"


def test_votes_in_sale_beyond_the_tables_says_why(tmp_path, capsys):
    # 13 deciding units: the exact tables take at most 12, and the z3 sweep does not play the vote. The
    # breakpoints under votes_in_sale = true are refused in one line (exit 2, not an internal error);
    # the reading line says why its effect is not computed and how to play the vote at given exits.
    text = _thirteen_series()
    m = loads_model(text, "<big>")
    assert len(m.units()) == 13
    line = describe(m, effect(m, "votes_in_sale"))
    assert "not computed: the exact tables take at most 12 deciding units (13 here)" in line
    assert "--exit VALUES --reading votes_in_sale=true" in line
    p = tmp_path / "big.toml"
    p.write_text(text, encoding="utf-8")
    assert main([str(p), "--reading", "votes_in_sale=true"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "internal error" not in err
    assert "at most 12 deciding units (13 here)" in err and "--exit VALUES" in err


def test_verbose_restates_every_reading(capsys):
    assert main(["charters/juniper.toml", "--text-root", "../shared", "--verbose"]) in (0, 1)
    out = capsys.readouterr().out
    line = " ".join(out[out.index("Readings: "):out.index("Cap table")].split())  # the console wraps long lines
    assert line == ("Readings: cap_dropout = own_cap; cash_on_conversion = before_preferences; votes_in_sale = false; "
                    "valuation = pre_money; undeclared_dividends = none; offering_size = exceeding")


def test_z3_path_agrees_with_the_direct_evaluator_under_the_accrued_reading():
    # the z3 encoding reads the dividends added to each preference (model.dividends) like the direct
    # evaluator: under "accrued" as of 2022-01-01, A's preference is $1,200,000 (see SMALL)
    import datetime as dt

    from charterverify.solver import solve_exit

    m = with_reading(with_date(loads_model(SMALL, "<small>"), dt.date(2022, 1, 1)), "undeclared_dividends", "accrued")
    for x in (F(900_000), F(1_100_000), F(1_200_000), F(2_000_000), F(2_300_000), F(2_400_000), F(3_000_000)):
        direct, z3res = evaluate_exit(m, x), solve_exit(m, x)
        assert z3res.payouts == direct.payouts and z3res.converted == direct.converted, x
    assert evaluate_exit(m, F(2_300_000)).payouts["A"] == 1_200_000  # kept: 1,200,000 > 2,300,000 / 2
    assert evaluate_exit(m, F(3_000_000)).payouts["A"] == 1_500_000  # converted: half of 3,000,000
