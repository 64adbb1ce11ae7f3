"""Conversion forced by a vote before a sale (charterverify.votes, properties/forced.py).

Every expected number is worked out by hand in the comments, from the cap table and the
charter text (Juniper) or from the small charter written here.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charterverify.cli import main
from charterverify.evaluate import evaluate_exit
from charterverify.model import ModelError, load_model, loads_model
from charterverify.model.load import with_reading
from charterverify.properties import forced
from charterverify.solver import breakpoints, solve_exit
from charterverify.tables import Tables
from charterverify.votes import blockers, carries, conversion_votes, describe

from strategies import any_exit_values, charters

F = Fraction
ROOT = Path(__file__).resolve().parent.parent
JUNIPER = ROOT / "charters" / "juniper.toml"

# ---------------------------------------------------------------- Juniper, FOURTH.6(a)(ii)(b)
# All preferred convert on "the affirmative vote of the holders of sixty-six and two thirds
# (66 2/3) of the shares of Preferred Stock outstanding". Preferred outstanding: A 1,743,751,
# B 3,915,308, C 5,200,000, D 600,000, D1 2,580,000 = 14,039,059; two thirds = 9,359,372.67.
# A + B + C = 10,859,059 (77.35%) carry it; without C, 8,839,059 (62.96%) do not: C alone
# (5,200,000 = 37.04% > 1/3) blocks. Non-participating 1x; conversion ratios A 1/0.44 = 25/11,
# B 2.40/1.07 = 240/107, C 8.93/3.97 = 893/397, D and D1 1. Common 20,000,000.
#
# Everyone converted: N as-converted shares, each worth E / N.
N = 20_000_000 + F(1_743_751 * 25, 11) + F(3_915_308 * 240, 107) + F(5_200_000 * 893, 397) + 600_000 + 2_580_000
# Without the vote, C holds its $46,436,000 preference until $211.5M and D, D1 theirs
# ($6,618,000 + $28,457,400 = $35,075,400) until everyone converting pays a D share its
# $11.03: E / N = 11.03, U = 11.03 N. Forcing everyone to convert gains A and B (the D and D1
# preferences, worth more than their as-converted share, leave the residual) and gains C exactly
# when C's as-converted share beats its preference: 5,200,000 x 893/397 x E / N > 46,436,000,
# i.e. E / N > 46,436,000 x 397 / (5,200,000 x 893) = 3.97 (C's conversion price): L = 3.97 N.
# At L C is indifferent (not strictly better off), so A + B alone (40.3%) fail: L is excluded;
# at U D and D1 are indifferent, so the forced outcome changes nobody's payout: U is excluded.
L = F(397, 100) * N
U = F(1103, 100) * N
assert L == F(4450437719373, 23540)  # $189,058,526.74
assert U == F(4908832804468419, 9345380)  # $525,268,400.48


def _juniper(votes_in_sale: bool):
    m = load_model(JUNIPER)
    return with_reading(m, "votes_in_sale", "true") if votes_in_sale else m


def test_juniper_vote_coalitions_from_the_cap_table():
    m = _juniper(False)
    (v,) = conversion_votes(m)
    assert v.converts == ("A", "B", "C", "D", "D1")
    assert describe(m, v) == "66 2/3% of Series A, B, C, D and D1 voting together"
    assert carries(m, v, ["A", "B", "C"]) and not carries(m, v, ["A", "B", "D", "D1"])
    assert blockers(m, v) == ("C",)


def test_juniper_payouts_at_190m_with_and_without_the_reading():
    E = F(190_000_000)
    # default reading: today's payouts; D and D1 take their preferences
    r = evaluate_exit(_juniper(False), E)
    assert r.payouts["D"] == 6_618_000 and r.payouts["D1"] == 28_457_400 and r.forced is None
    assert r.converted == ("A", "B")
    # votes_in_sale: A, B and C force everyone to convert; each holder gets E / N per share
    m = _juniper(True)
    r = evaluate_exit(m, E)
    assert r.converted == ("A", "B", "C", "D", "D1")
    assert r.payouts["D"] == 600_000 * E / N and r.payouts["D1"] == 2_580_000 * E / N
    # D and D1 together: 3,180,000 x 190,000,000 / N = $12,687,467.96 (the issue's $12,687,468)
    assert round(r.payouts["D"] + r.payouts["D1"]) == 12_687_468
    assert r.forced["coalition"] == ["A", "B", "C"] and r.forced["losers"] == ["D", "D1"]
    assert r.forced["coalition_share"] == ["10859059/14039059"]
    # the z3 path gives the same result, forcing included
    assert solve_exit(m, E) == r


def test_juniper_forcing_range_exact_ends():
    m = _juniper(False)
    tb = Tables(m)
    runs = forced.ranges(tb)
    assert len(runs) == 1
    r = runs[0]
    assert (r["lo"], r["hi"], r["lo_closed"], r["hi_closed"]) == (L, U, False, False)
    assert sorted(r["coalition"]) == ["A", "B", "C"] and sorted(r["losers"]) == ["D", "D1"]
    # the most D and D1 lose, approached at L: preference less the as-converted share at E / N = 3.97:
    # D 600,000 x (11.03 - 3.97) = 4,236,000; D1 2,580,000 x 7.06 = 18,214,800
    assert {h: r["loss"][h][0] for h in ("D", "D1")} == {"D": 4_236_000, "D1": 18_214_800}
    assert tb.forcing_at(L) is None and tb.forcing_at(U) is None
    assert tb.forcing_at(L + F(1, 100)) is not None and tb.forcing_at(U - F(1, 100)) is not None


def test_juniper_breakpoints_include_both_ends_with_the_reading():
    with_vote = breakpoints.analyze(_juniper(True))
    xs = [b.x for b in with_vote.breakpoints]
    assert L in xs and U in xs and with_vote.complete
    at_l = next(b for b in with_vote.breakpoints if b.x == L)
    # at L D and D1 drop from their preferences to their share as converted (jumps of -4,236,000
    # and -18,214,800); the vote is the cause
    assert at_l.jumps["D"] == -4_236_000 and at_l.jumps["D1"] == -18_214_800
    assert any("carry the conversion vote" in c for c in at_l.causes)
    at_u = next(b for b in with_vote.breakpoints if b.x == U)
    assert not at_u.jumps and any("no longer taken" in c for c in at_u.causes)
    # without the reading L is no breakpoint (C converts on its own only at $211.5M)
    plain = breakpoints.analyze(_juniper(False))
    assert L not in [b.x for b in plain.breakpoints]
    # with the reading the proved pieces give the brute force's payouts around both ends
    xs = [L, L + F(1, 3), L - F(1, 3), U, U - F(1, 3), U + F(1, 3), F(190_000_000)]
    assert with_vote.payouts_at(xs) == [evaluate_exit(_juniper(True), x).payouts for x in xs]


def test_juniper_cli_acceptance(capsys):
    assert main(["charters/juniper.toml", "--exit", "190000000", "--reading", "votes_in_sale=true",
                 "--format", "json"]) == 0
    d = json.loads(capsys.readouterr().out)["exits"][0]
    assert F(d["payouts"]["D"]) == 600_000 * 190_000_000 / N
    assert d["forced_conversion"]["coalition"] == ["A", "B", "C"]
    assert d["forced_conversion"]["needs"] == "66 2/3% of Series A, B, C, D and D1 voting together"
    assert main(["charters/juniper.toml", "--exit", "190000000", "--format", "json"]) == 0
    d = json.loads(capsys.readouterr().out)["exits"][0]
    assert d["payouts"]["D"] == "6618000" and "forced_conversion" not in d


@pytest.mark.parametrize("reading", [False, True])
def test_juniper_finding_under_either_reading(reading):
    m = _juniper(reading)
    an = breakpoints.analyze(m)
    (f,) = forced.check(m, an)
    assert f.witness["lo"] == "4450437719373/23540" and f.witness["hi"] == "4908832804468419/9345380"
    assert f.witness["coalition"] == ["A", "B", "C"] and f.witness["blockers"] == ["C"]
    assert "D and Series D1 lose their preference ($35,075,400)" in f.message
    assert f.witness["reading"] == f"votes_in_sale = {'true' if reading else 'false'}"


def test_bad_reading_is_one_line(capsys):
    assert main(["charters/juniper.toml", "--exit", "1", "--reading", "votes_in_sale=maybe"]) == 2
    assert "must be true or false" in capsys.readouterr().err
    assert main(["charters/juniper.toml", "--exit", "1", "--reading", "novel=1"]) == 2
    with pytest.raises(ModelError):
        with_reading(_juniper(False), "valuation", "sideways")


# ---------------------------------------------------------------- a small charter, by hand
# A 3,000,000 sh. at $1 (1x, 1:1), B 1,000,000 at $2, C 1,000,000 at $10, common 1,000,000; one
# pari passu tier, a shortfall shared by preference (A 3M, B 2M, C 10M: 15M in all).
# Without a vote (worked out profile by profile):
#   E < 15M: everyone holds, paid E x 3/15, 2/15, 10/15;  [15M, 16M]: all hold, common E - 15M;
#   (16M, 20M]: A converts ((E - 12M) x 3/4 > 3M iff E > 16M);  (20M, 60M]: A and B convert
#   ((E - 10M) / 5 per share > 2 iff E > 20M), C holds;  above 60M C converts (E / 6 > 10M).
# Everyone forced to convert: E / 6 per share: A E/2, B E/6, C E/6, common E/6.
#   A gains on (0, 60M): E/2 beats E/5, 3M, (E - 12M) 3/4 (E < 36M), (E - 10M) 3/5 (E < 60M).
#   B gains on (0, 60M): E/6 beats 2E/15, 2M (E > 12M), (E - 10M)/5 (E < 60M).
#   C loses on (0, 60M): 2E/3 or 10M against E/6; most at 15M: 10M - 2.5M = 7,500,000.
#   At 0 nobody gains; at 60M A and B are indifferent (10 a share either way): both excluded.

SMALL = """
format = 1
[charter]
id = "small"
name = "Small"
[[series]]
id = "A"
designated = 3000000
original_issue_price = "1"
source = "4.B"
[series.preference]
source = "4.B.2"
[series.conversion]
price = "1"
source = "4.B.4"
[[series]]
id = "B"
designated = 1000000
original_issue_price = "2"
source = "4.B"
[series.preference]
source = "4.B.2"
[series.conversion]
price = "2"
source = "4.B.4"
[[series]]
id = "C"
designated = 1000000
original_issue_price = "10"
source = "4.B"
[series.preference]
source = "4.B.2"
[series.conversion]
price = "10"
source = "4.B.4"
[[tiers]]
id = "pref"
series = ["A", "B", "C"]
source = "4.B.2"
[[automatic_conversion]]
id = "vote"
series = ["A", "B", "C"]
vote = VOTE
source = "4.B.5"
[readings]
votes_in_sale = true
[captable]
common_outstanding = 1000000
"""


def _small(vote: str):
    return loads_model(SMALL.replace("VOTE", vote))


MAJORITY = '{ series = ["A", "B", "C"], threshold = "1/2" }'


def test_small_majority_of_all_preferred():
    m = _small(MAJORITY)
    (v,) = conversion_votes(m)
    # A + B = 4M of 5M (80%) carry; without A, 2M (40%): A alone blocks
    assert blockers(m, v) == ("A",)
    (r,) = forced.ranges(Tables(m))
    assert (r["lo"], r["hi"], r["lo_closed"], r["hi_closed"]) == (0, 60_000_000, False, False)
    assert sorted(r["coalition"]) == ["A", "B"] and sorted(r["losers"]) == ["C"]
    assert r["loss"]["C"] == (7_500_000, 15_000_000)
    # at 30M: forced, E / 6 a share: A 15M, B 5M, C 5M, common 5M (without the vote: A 12M, B 4M,
    # C 10M, common 4M: the residual 20M over A, B and common's 5M shares)
    res = evaluate_exit(m, 30_000_000)
    assert res.payouts == {"A": 15_000_000, "B": 5_000_000, "C": 5_000_000, "common": 5_000_000}
    res = evaluate_exit(with_reading(m, "votes_in_sale", "false"), 30_000_000)
    assert res.payouts == {"A": 12_000_000, "B": 4_000_000, "C": 10_000_000, "common": 4_000_000}


def test_small_per_series_vote():
    # each series separately: C (who always loses) must approve too: never forced
    m = _small('{ series = ["A", "B", "C"], threshold = "1/2", separately = true }')
    assert forced.ranges(Tables(m)) == []
    assert evaluate_exit(m, 30_000_000).payouts["C"] == 10_000_000
    (f,) = forced.check(m, breakpoints.analyze(m))
    assert "at no exit value" in f.message
    # a majority of A and one of B, separately: both gain on (0, 60M)
    m = _small('{ series = ["A", "B"], threshold = "1/2", separately = true }')
    (r,) = forced.ranges(Tables(m))
    assert (r["lo"], r["hi"]) == (0, 60_000_000) and sorted(r["coalition"]) == ["A", "B"]
    assert describe(m, conversion_votes(m)[0]) == "more than 50% of each of Series A and B, each voting separately"


def test_small_two_group_vote():
    # a majority of all preferred plus 66 2/3% of Series C: C never gains, so never carried
    m = _small('[{ series = ["A", "B", "C"], threshold = "1/2" }, { series = ["C"], threshold = "2/3", strict = false }]')
    assert forced.ranges(Tables(m)) == []
    assert evaluate_exit(m, 30_000_000).payouts["C"] == 10_000_000
    # a majority of all preferred plus 66 2/3% of Series B: B gains on (0, 60M), so the same range
    m = _small('[{ series = ["A", "B", "C"], threshold = "1/2" }, { series = ["B"], threshold = "2/3", strict = false }]')
    (v,) = conversion_votes(m)
    assert describe(m, v) == "more than 50% of Series A, B and C voting together and 66 2/3% of Series B"
    # B alone now blocks too (its own class), and A (the majority of all)
    assert blockers(m, v) == ("A", "B")
    (r,) = forced.ranges(Tables(m))
    assert (r["lo"], r["hi"]) == (0, 60_000_000)
    an = breakpoints.analyze(m)
    assert an.complete and 60_000_000 in [b.x for b in an.breakpoints]
    xs = [F(1), F(15_000_000), F(30_000_000), F(59_999_999), F(60_000_000), F(60_000_001)]
    assert an.payouts_at(xs) == [evaluate_exit(m, x).payouts for x in xs]
    assert [solve_exit(m, x) for x in xs] == [evaluate_exit(m, x) for x in xs]


def test_vote_keys_are_checked():
    with pytest.raises(ModelError, match="vote"):
        _small('{ series = ["A"], threshold = "1/2", each = true }')
    with pytest.raises(ModelError, match="twice"):
        _small('{ series = ["A", "A"], threshold = "1/2" }')
    with pytest.raises(ModelError, match="at least one class"):
        _small("[]")


# ---------------------------------------------------------------- differential, with a vote
@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(st.data())
def test_vote_move_paths_agree(data):
    """Random charters with a conversion vote (tests/strategies.py): the direct evaluator, the z3
    point path and the tables' interval map (what the breakpoints are read from) agree, at random
    exit values and at every end of a forcing range and beside it."""
    _, model = data.draw(charters().filter(lambda tm: bool(conversion_votes(tm[1]))))
    tb = Tables(model)
    xs = [data.draw(any_exit_values(model)) for _ in range(2)]
    ends = sorted({x for lo, hi, _ in tb.forcing if _ is not None for x in (lo, hi) if x is not None})
    for x in ends[:4]:
        xs += [x, x + F(1, 7), max(F(0), x - F(1, 7))]
    for x in xs:
        direct = evaluate_exit(model, x)
        assert tb.evaluate(x) == direct, x
        assert solve_exit(model, x) == direct, x
        profs = tb.equilibria_at(x)
        assert len(profs) == direct.equilibria
        if direct.forced is not None:
            assert model.readings.votes_in_sale and direct.equilibria == 1
