"""Tests for the surviving mutants of properties/priority.py and seniority.full_amount (issue 17).

Every expected value is worked out by hand in the docstrings (the charters' header comments give
the waterfalls); each test names the mutants it kills (mutmut 3.8.1 numbering of the 2026-11-29
run, `charterverify.properties.priority.x_check__mutmut_N` and so on).
"""

from __future__ import annotations

from charterverify.findings import Severity
from charterverify.properties import priority

from propsupport import PROPS, variant

CAPPED = PROPS / "prio-capped.toml"

# prio-capped.toml without S's participation and conversion: S is paid min(E - cash, 500) at most
NO_PARTICIPATION = ('[series.participation]\nkind = "full"\nsource = "4.B.2(c)"\n\n'
                    '[series.conversion]\nprice = "10"\nsource = "4.B.3(a)"\n', "")
NO_CASH = ('cash_per_share = "0.2"\ncash_source = "4.B.3(a)(i)"\n', "")


def _priority(model, an):
    """Every finding of the rule, in its order (the pairs, the latent cash, the cash losers)."""
    fs = priority.check(model, an)
    assert all(f.rule == "priority" for f in fs)
    return fs


def test_violation_on_an_unbounded_range():
    """prio-capped.toml with a non-participating, non-converting S: S is owed $1,000 but its tier
    pays at most $500, so S is short at every exit value.
    X converted: cash min(E, 200), S min(E - 200, 500), the rest E - 700 to 1,000 common + 1,000 X:
    X = 200 + (E - 700)/2. X kept: S min(E, 500), X min(E - 500, 1,000), common E - 1,500.
    X converts below $700 (200 > max(E - 500, 0)) and above $2,300 (200 + (E - 700)/2 > 1,000);
    between, 200 + (E - 700)/2 - (E - 500) = 350 - E/2 < 0. So the violation ranges are
    $0-$700 and $2,300 up (unbounded). The first region is the segment 0-200: E = 100 (the roundest
    point of (0, 200)), X takes all $100, S $0.
    Before the fix, `r[0] < r[1]` compared $2,300 with None (the open end) and the check raised
    TypeError. Kills x_check 122, 123, 124, 126, 127 (each still compares with None) and 129
    (min by the upper end compares None with $200)."""
    m, an = variant(CAPPED, NO_PARTICIPATION)
    f, _losers = _priority(m, an)
    assert f.message == (
        "Series X (tier junior) converts and is paid ahead of Series S's senior preference for exit values "
        "from $0 to $700; from $2,300 up: at $100 it takes $100 through its cash on conversion (4.B.3(a)(i), "
        "$0.20 per share, reading cash_on_conversion = before_preferences) while Series S (tier senior, "
        "ranking ahead of it) receives $0 of its $1,000 preference")
    assert f.witness["ranges"] == [["0", "700"], ["2300", None]]
    assert f.severity == Severity.WARNING


def test_two_ranges_through_cash_on_conversion():
    """prio-capped.toml as written (header comment): X converts below $700 and above $2,380; S is
    short until $11,200. Ranges $0-$700 and $2,380-$11,200; the first region is the segment 0-200:
    E = $100, X takes $100 (all of it, cash), S $0 of $1,000. Key: X's cash_per_share (line 40);
    clause: X's cash clause, then S's preference clause.
    Cash losers: against paying the $200 after the preferences, S loses most at E = $200 (now $0;
    after the preferences min(200, 500) = $200): "Series S $200 at $200", one holder, no total.
    Kills _finding 22, 23 (the cash clause in the words), 47, 62, 66, 67, 68 (the junior's tier),
    71 (the "; " between two ranges), 73 (a bounded range is "from .. to .."); check 26 (X, listed
    before S, is skipped with `continue`, not `break`); _cash_losers 55, 57, 60, 62 (no "together"
    for one holder)."""
    m, an = variant(CAPPED)
    f, losers = priority.check(m, an)
    assert f.message == (
        "Series X (tier junior) converts and is paid ahead of Series S's senior preference for exit values "
        "from $0 to $700; from $2,380 to $11,200: at $100 it takes $100 through its cash on conversion "
        "(4.B.3(a)(i), $0.20 per share, reading cash_on_conversion = before_preferences) while Series S "
        "(tier senior, ranking ahead of it) receives $0 of its $1,000 preference")
    assert (f.line, f.clause) == (40, "4.B.3(a)(i); 4.B.2(a)")
    assert f.witness == {"ranges": [["0", "700"], ["2380", "11200"]], "exit_value": "100", "junior": "X",
                         "junior_payout": "100", "senior": "S", "senior_payout": "0", "senior_full": "1000",
                         "converted": ["X"], "reading": "before_preferences"}
    assert losers.message == (
        "The cash paid on conversion of Series X (4.B.3(a)(i)) ranks ahead of every preference (reading "
        "cash_on_conversion = before_preferences). Against paying it after the preferences, these holders "
        "lose, each at most: Series S $200 at $200")
    assert (losers.line, losers.clause, losers.severity) == (40, "4.B.3(a)(i)", Severity.WARNING)


def test_converted_junior_without_cash_paid_past_a_tier_cap():
    """prio-capped.toml without X's cash: S's tier pays at most $500 of its $1,000, so the common
    (X converted) is paid while S is short. X converted: S 500, then E - 500 to 2,100 shares
    (1,000 common, 1,000 X, 100 S participating): X = (E - 500) 1000/2100, S = 500 + (E - 500)/21.
    X kept gets min(E - 500, 1,000): X converts where (E - 500) 10/21 > 1,000, above $2,600.
    S is short while (E - 500)/21 < 500, below $11,000. E = $10,000 (the roundest point of
    (2,600, 11,000)): X = 9,500 x 10/21 = 95,000/21 (about $4,523.81), S = 500 + 9,500/21 =
    20,000/21 (about $952.38): the senior's form 10,000/21 + E/21 has a slope.
    No cash: no "through its cash" words; key X's [series.conversion] (line 37; the variant removes
    lines 40-41, after it); clause X's conversion clause, then S's preference clause.
    Kills _finding 10, 11 (`how` not empty), 15, 17, 19, 20, 21 (the key), 38-43 (the conversion
    clause first); check 52, 53, 54 (the senior's payout at E, a + b E)."""
    m, an = variant(CAPPED, NO_CASH)
    (f,) = _priority(m, an)
    assert f.message == (
        "Series X (tier junior) converts and is paid ahead of Series S's senior preference for exit values "
        "from $2,600 to $11,000: at $10,000 it takes about $4,523.81 while Series S (tier senior, ranking "
        "ahead of it) receives about $952.38 of its $1,000 preference")
    assert (f.line, f.clause) == (37, "4.B.3(a); 4.B.2(a)")
    assert (f.witness["junior_payout"], f.witness["senior_payout"]) == ("95000/21", "20000/21")


TWO_CASH = PROPS / "prio-two-cash.toml"


def test_two_cash_series_every_pair_in_order():
    """prio-two-cash.toml (header comment). Y and X converted (E < 2,450): the cash, $800, first
    (Y 5/8, X 3/8), then A and B ($600, by preference 1:2) to $1,400, M to $2,400, Z (alone in the
    junior tier) from $2,400. Y's junior preference kept: 1000/1100 of E - 1,900 (X's $300 of cash and
    $1,600 of preferences ahead); it passes Y's $500 of cash at 1,900 + 550 = $2,450. Above, Y keeps
    (Y and Z paid in full at $3,000) until 500 + (E - 2,500)/3 > 1,000, at $4,000.
    Pairs, in the file's order of junior then senior (N, owed nothing, is never short):
      (Y, A), (Y, B): A, B short below $1,400; (Y, M): M short below $2,400;
      (X, A), (X, B), (X, M) likewise; (X, Y): Y kept and short on 2,450-3,000 (X, in no tier, ranks
      below Y's preference); (X, Z): Z short below $3,000 (0 while Y converts, E - 2,400 up to 50 at
      2,450, then (E - 1,900)/11).
    (X, Y): E = $2,500 (the roundest point of (2,450, 3,000)); X takes its $300 of cash, Y
    (2,500 - 1,900) x 10/11 = 6,000/11 (about $545.45): "Series X converts" (no tier).
    Kills check 15, 21, 23 (Z, pari passu with Y, would be a senior of Y), 34 (N, owed nothing and
    first in the file: `break` would drop every pair), 49 (A has no region on 1,400-2,400, where M
    is short: `break` would end M's range at $1,400), 52, 53, 54 (Y's form -19,000/11 + 10E/11),
    63, 64, 65 (breakpoints 2,450, 3,000 and 4,000, where X is converted and A, B, M are paid in full,
    would be added to the ranges), 99, 101, 106 (the order: junior then senior, in the file's order,
    not by id, not by senior); _finding 63, 69 (a junior in no tier)."""
    m, an = variant(TWO_CASH)
    fs = _priority(m, an)[:-1]
    assert [(f.witness["junior"], f.witness["senior"], f.witness["ranges"]) for f in fs] == [
        ("Y", "A", [["0", "1400"]]), ("Y", "B", [["0", "1400"]]), ("Y", "M", [["0", "2400"]]),
        ("X", "A", [["0", "1400"]]), ("X", "B", [["0", "1400"]]), ("X", "M", [["0", "2400"]]),
        ("X", "Y", [["2450", "3000"]]), ("X", "Z", [["0", "3000"]]),
    ]
    xy = fs[6]
    assert xy.message == (
        "Series X converts and is paid ahead of Series Y's senior preference for exit values from $2,450 to "
        "$3,000: at $2,500 it takes $300 through its cash on conversion (4.B.3(c), $0.30 per share, reading "
        "cash_on_conversion = before_preferences) while Series Y (tier junior, ranking ahead of it) receives "
        "about $545.45 of its $1,000 preference")
    assert (xy.line, xy.clause, xy.witness["senior_payout"]) == (96, "4.B.3(c); 4.B.2(c)", "6000/11")


def test_two_cash_series_losers():
    """prio-two-cash.toml: each holder's largest loss against paying the $800 of cash after every
    preference (at the lowest exit value where it is reached):
      M: at $1,400 now $0 (cash 800 and A, B 600 ahead); after the preferences 1,400 - 600 = $800;
      B, A: at $600 now $0; after, A and B take the $600: B $400, A $200 ($600 together);
      Y: at $2,450 now $500 (its cash; kept, 10/11 x 550 = 500); after, X's cash comes after the
         junior preferences: Y 10/11 x (2,450 - 1,600) = 8,500/11; it loses 3,000/11 (about $272.73);
      Z: at $2,400 now $0 (Y converted, nothing left); after, 1/11 x (2,400 - 1,600) = 800/11 (about
         $72.73).
    Groups by exit value, the largest total first: M $800; B and A $600; Y; Z. Holders in a group by
    loss (B before A, though A comes first in the file and by id). X has no cash_source: its
    conversion clause stands for it.
    Kills _cash_losers 22, 24, 26, 28 (the holders' order), 40, 42, 44 (the groups' order: by total,
    not by exit value), 49, 56, 61 (two holders and their total), 68 (X's clause), 84, 86, 89 (the
    joiners)."""
    m, an = variant(TWO_CASH)
    f = priority.check(m, an)[-1]
    assert f.message == (
        "The cash paid on conversion of Series Y, X (4.B.3(b); 4.B.3(c)) ranks ahead of every preference "
        "(reading cash_on_conversion = before_preferences). Against paying it after the preferences, these "
        "holders lose, each at most: Series M $800 at $1,400; Series B $400, Series A $200 ($600 together) "
        "at $600; Series Y about $272.73 at $2,450; Series Z about $72.73 at $2,400")
    assert (f.line, f.clause) == (74, "4.B.3(b); 4.B.3(c)")
    assert f.witness["losers"] == {"M": {"most_lost": "800", "at": "1400"}, "B": {"most_lost": "400", "at": "600"},
                                   "Y": {"most_lost": "3000/11", "at": "2450"}, "A": {"most_lost": "200", "at": "600"},
                                   "Z": {"most_lost": "800/11", "at": "2400"}}


VOTE = PROPS / "prio-vote.toml"


def test_cash_ahead_of_a_senior_that_no_exit_value_shows():
    """prio-vote.toml (header comment): J's cash ranks ahead of S's and P's preferences, but J converts
    only with K (class vote KJ), above $3,051, where S and P are paid in full: the info finding, and
    nothing else (S converts above $200,851: 1 + (E - 52)/201 > 1,000, with its $1 of cash and 10 of
    2,010 common shares; S is in the top tier, no senior to be paid ahead of). Seniors of J, in the
    file's order: S ($1,000) and P ($1); not N (owed nothing), nor K (J's own tier). Nobody loses to
    the cash (no exit value where it is paid while a preference is short), so no "these holders
    lose" finding. Key: J's cash_per_share (line 87); clause J's cash clause.
    Kills check 162-222 (the info finding: the reading's test, the seniors by rank and owed amount,
    S's cash with no senior skipped by `continue`, not `break`, every argument and word of the
    finding; 181: P's $1 is owed, `> 1` would drop it; 207: the joiner of two seniors);
    _cash_losers 17 (no loser: no finding)."""
    m, an = variant(VOTE)
    (f,) = priority.check(m, an)
    assert (f.rule, f.severity, f.line, f.clause) == ("priority", Severity.INFO, 87, "4.B.3(b)")
    assert f.message == (
        "Series J's cash on conversion (4.B.3(b)) ranks ahead of the senior preference of Series S, P (reading "
        "cash_on_conversion = before_preferences), but at no exit value does Series J convert while a senior "
        "series is short")
    assert f.witness == {"junior": "J", "seniors": ["S", "P"], "reading": "before_preferences"}
    assert f.file == m.path


# prio-vote.toml with the cash on K (the vote's controller) instead of J
K_CASH = (('source = "4.B.3(a)"\ncash_per_share = "0.5"\ncash_source = "4.B.3(b)"\n', 'source = "4.B.3(a)"\n'),
          ('source = "4.B.2(c)"\n\n[series.conversion]\nprice = "1"\nsource = "4.B.3(a)"\n\n[[series]]\nid = "J"',
           'source = "4.B.2(c)"\n\n[series.conversion]\nprice = "1"\nsource = "4.B.3(a)"\ncash_per_share = "0.5"\n'
           'cash_source = "4.B.3(b)"\n\n[[series]]\nid = "J"'))


def test_member_converted_by_the_vote_and_paid_nothing():
    """prio-vote.toml with $0.50 a share of cash on K (450) instead of J. S converts below $451 (its $1
    shares the cash pro rata, E/451, against max(E - 450, 0) kept). From $451 the group converts
    for K's cash while S is short: S = E - 450, paid in full at $1,450; K $450. First region
    (451, 1,450): E = $1,000, K $450, S $550 (the senior's form -450 + E). P ($1, middle tier) is
    short below $1,451 (paid E - 1,450 from $1,450): at $100, K's 450/451 of the cash, 45,000/451.
    J converts with K but has no cash: it is paid $0 while S is short (the common gets nothing),
    so (J, S) is no finding, not even at the breakpoint $451 (J $0, S $1).
    Kills check 66 (`jp >= 0` would report J at $451) and again 52, 53, 54."""
    m, an = variant(VOTE, *K_CASH)
    fs = _priority(m, an)
    assert [(f.witness.get("junior"), f.witness.get("senior"), f.witness.get("ranges")) for f in fs] == [
        ("K", "S", [["451", "1450"]]), ("K", "P", [["0", "1451"]]), (None, None, None)]
    assert fs[0].message == (
        "Series K (tier junior) converts and is paid ahead of Series S's senior preference for exit values "
        "from $451 to $1,450: at $1,000 it takes $450 through its cash on conversion (4.B.3(b), $0.50 per "
        "share, reading cash_on_conversion = before_preferences) while Series S (tier senior, ranking ahead "
        "of it) receives $550 of its $1,000 preference")
    assert fs[1].witness["junior_payout"] == "45000/451"


POINT = PROPS / "prio-point.toml"


def test_violation_at_one_exit_value_only():
    """prio-point.toml (header comment). S converts on both sides of $502 and keeps at $502 (a tie);
    there S is short ($500 of $1,000: its tier's cap) while X, converted, takes its $1 of cash:
    a violation at that breakpoint only ("at $502"), found from the point's exact payouts.
    T ($1, top tier) is paid in full at $502, so at that point T is looked at and passed before S.
    Also: S and X, converted, are paid ahead of T below $502 (the cash, $501, first, then T): S at
    $100 takes 500/501 of it, 50,000/501; X 100/501.
    Kills check 33 (`full <= 1` skips T's $1), 67 (X's $1 is paid: `jp > 1`), 68 (`break` after T
    at the point skips S), 85 (no breakpoint looked at), 118, 121, 130 (the first region when the
    only one is a point: `default=regs[0]`)."""
    m, an = variant(POINT)
    fs = _priority(m, an)
    assert [(f.witness.get("junior"), f.witness.get("senior"), f.witness.get("ranges")) for f in fs[:3]] == [
        ("S", "T", [["0", "502"]]), ("X", "T", [["0", "502"]]), ("X", "S", [["502", "502"]])]
    assert fs[2].message == (
        "Series X converts and is paid ahead of Series S's senior preference for exit values at $502: at $502 "
        "it takes $1 through its cash on conversion (4.B.3(c), $0.01 per share, reading cash_on_conversion = "
        "before_preferences) while Series S (tier senior, ranking ahead of it) receives $500 of its $1,000 "
        "preference")
    assert fs[2].witness["converted"] == ["X"]
    assert fs[0].witness["junior_payout"] == "50000/501"


FAIL = PROPS / "priority_fail.toml"


def test_senior_full_amount_adds_declared_dividends():
    """priority_fail.toml with $1 a share of declared, unpaid dividends on Y: Y is owed
    (10 + 1) x 100 = $1,100. X converted: $600 of cash first, then Y; kept, X gets
    min(E - 1,100, 1,000). X converts while 600 > E - 1,100, below $1,700 (above, it converts again
    only past 600 + (E - 1,700)/2 > 1,000, $2,500, where Y is paid in full).
    Kills seniority.full_amount 4 ((10 - 1) x 100 = $900: ranges to $1,500) and 5 (dividends of no
    series: $1,000, to $1,600)."""
    m, an = variant(FAIL, ("common_outstanding = 1000\n", 'common_outstanding = 1000\n\n[captable.dividends]\nY = "1"\n'))
    f = _priority(m, an)[0]
    assert f.message == (
        "Series X (tier junior) converts and is paid ahead of Series Y's senior preference for exit values "
        "from $0 to $1,700: at $100 it takes $100 through its cash on conversion (4.B.3(a)(i), $0.60 per "
        "share, reading cash_on_conversion = before_preferences) while Series Y (tier senior, ranking ahead "
        "of it) receives $0 of its $1,100 preference")


def test_senior_owed_declared_dividends_without_a_preference():
    """priority_fail.toml with Y's preference clause replaced by $10 a share of declared, unpaid
    dividends: Y is owed the same $1,000 in its tier, so the same finding (X paid ahead of Y below
    $1,600, $100 at $100), but Y has no preference clause to cite: the clause is X's cash clause
    alone. Kills _finding 14 (`ss.preference or True` reads the missing preference's source)."""
    m, an = variant(FAIL, ('[series.preference]\nper_share = "10"\nsource = "4.B.2(a)(i)"\n\n', ""),
                    ("common_outstanding = 1000\n", 'common_outstanding = 1000\n\n[captable.dividends]\nY = "10"\n'))
    f = _priority(m, an)[0]
    assert (f.clause, f.witness["ranges"], f.witness["senior_full"]) == ("4.B.3(a)(i)", [["0", "1600"]], "1000")


def test_applies_needs_a_conversion_and_a_tier():
    """The rule applies to a charter with a series that converts and at least one tier.
    priority_fail.toml without X's conversion: tiers, nothing converts (kills applies 1, `or`).
    The same charter with no tiers at all (`tiers = []`; X and Y then have no preference, which
    needs a tier): X converts, no tier (kills applies 4, `>= 0`)."""
    m, _ = variant(FAIL, ('[series.conversion]\nprice = "1"\nsource = "4.B.3(a)"\ncash_per_share = "0.6"\n'
                          'cash_source = "4.B.3(a)(i)"\n', ""), ('[readings]\ncash_on_conversion = "before_preferences"\n', ""))
    assert any(m.tiers) and not priority.applies(m)
    m, _ = variant(FAIL, ("format = 1\n", "format = 1\ntiers = []\n"),
                   ('[series.preference]\nper_share = "1"\nsource = "4.B.2(a)(ii)"\n', ""),
                   ('[series.preference]\nper_share = "10"\nsource = "4.B.2(a)(i)"\n', ""),
                   ('[[tiers]]\nid = "senior"\nseries = ["Y"]\nsource = "4.B.2(a)(i)"\n\n[[tiers]]\nid = "junior"\n'
                    'series = ["X"]\nsource = "4.B.2(a)(ii)"\n', ""))
    assert m.tiers == () and any(s.conversion for s in m.series) and not priority.applies(m)
