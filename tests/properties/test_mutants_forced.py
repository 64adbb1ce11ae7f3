"""Surviving mutants of charterverify/properties/forced.py (issue 17), killed here.

docs/testing.md, "Surviving mutants of properties/, by function", listed the forced-conversion
finding's paths that the seeds' forcing range (Juniper) and the vote nobody carries (Netgear) do not
take. Three charters take them, with variants written in the tests, every number worked out by hand
in their header comments and the docstrings:

- tests/charters/properties/forced-open.toml: a range open above ("from $0 (excluded) up"), a
  coalition of one series, one loser that participates (no "preference for their share as
  converted"), the most lost first reached inside the range, and no series that blocks the vote;
- tests/charters/properties/forced-tied.toml: a range whose high end is included (the game's
  equilibrium jumps there), the most lost at that end, two series that each block the vote alone,
  and a loser the vote does not convert;
- tests/charters/properties/forced-voter.toml: a voter the vote does not convert carrying it alone,
  two ranges (two findings), the second with its low end included.

Each test names the mutants it kills (mutmut's numbers in forced.py as on main before the two fixes
below; `check` and `_losses` changed since docs/testing.md's list, so their numbers are those of the
re-generated mutants), found by re-running each mutant against this file without `-x`.

Two bugs found on the way are fixed in forced.py: a loser the vote does not convert was said to give
up its preference for its share as converted, and with series voting separately the blockers' shares
were all read from the first class.
"""

from __future__ import annotations

from fractions import Fraction as F

from charterverify.properties import forced

from propsupport import PROPS, analysed, variant

OPEN = PROPS / "forced-open.toml"
TIED = PROPS / "forced-tied.toml"

FALSE_READING = (" Reading votes_in_sale = false: the payouts shown assume the vote is not used in a sale "
                 "(--reading votes_in_sale=true plays it).")


def _one(model, an):
    [f] = forced.check(model, an)
    return f


def _fields(f):
    return (f.rule, f.severity.label, f.verdict.value, f.line, f.clause)


# ---------------------------------------------------------------- a range open above


OPEN_MESSAGE = (
    "By the conversion vote of 4.D.2 (50% of Series A and D voting together), Series A (50.0% of the vote) "
    "can force Series A and D to convert before a sale for exit values from $0 (excluded) up: Series A is "
    "better off, and Series D loses; the most it costs: Series D about $666.67 at $1,300; at $1: Series D "
    "about $0.33 instead of about $0.91. No series can block it alone.")


def test_a_range_open_above_with_a_participating_loser():
    """forced-open.toml (header): A alone (100 of 200 shares, at least 50%) carries the vote at every
    exit value above $0, so the range is "from $0 (excluded) up" (hi None, no "(excluded)" after
    it). D, fully participating, loses (one loser: "loses"), and since it participates the message
    does not say it gives up its preference for its share as converted. D's loss:
    19E/33 on (0, 1,100] (633.33 at 1,100), 450 + E/6 on (1,100, 1,300] (666.67 at 1,300),
    2,000/3 above: the most, 2,000/3 = about $666.67, first at $1,300, inside the range ("at
    $1,300", neither end). The example exit value: simplest_between(0, None) = $1: D takes 1/3 (E/3)
    forced instead of 1,000/1,100 = 10/11 (its pro rata preference in a shortfall): "about $0.33
    instead of about $0.91". A or D alone carries the vote (each holds 50%): no series blocks it.
    The vote's line: forced-open.toml line 69.
    Kills _losses 11, 14, 15, 30; check 78, 94, 95, 97, 98, 99, 100, 168, 180, 181, 182, 185, 193, 195, 196,
    203, 206, 210, 213, 214, 216, 237, 239, 240, 303; ranges 48, 58, 60, 83."""
    m, an = analysed(str(OPEN))
    f = _one(m, an)
    assert _fields(f) == ("forced-conversion", "warning", "refuted", 69, "4.D.2")
    assert f.witness == {
        "vote": "qpo", "needs": "50% of Series A and D voting together", "coalition": ["A"],
        "coalition_share": ["0.5"], "converts": ["A", "D"], "losers": ["D"], "lo": "0", "lo_included": False,
        "hi": None, "hi_included": None, "most_lost": {"D": "2000/3"}, "blockers": [],
        "reading": "votes_in_sale = false"}
    assert f.message == OPEN_MESSAGE + FALSE_READING


def test_the_range_open_above_from_the_tables():
    """forced.ranges on forced-open.toml: one run of forcing atoms from 0 (excluded) to no end,
    coalition {A}, losers {D}, D's most lost 2,000/3 first reached at 1,300 (the limit of the atom
    (1,100, 1,300) at its high end: 450 + 1,300/6 = 2,000/3; the unbounded atom's low-end limit
    equals it, and only a strictly larger loss replaces the first).
    Kills _losses 11, 13, 14, 15, 30; ranges 48, 58, 60, 74, 83."""
    m, an = analysed(str(OPEN))
    [r] = forced.ranges(an.tables)
    assert (r["lo"], r["hi"], r["lo_closed"], r["hi_closed"]) == (0, None, False, False)
    assert (r["coalition"], r["losers"], r["loss"]) == ({"A"}, {"D"}, {"D": (F(2000, 3), F(1300))})
    assert (r["vote"].id, r["vote"].source) == ("qpo", "4.D.2")


def test_the_reading_votes_in_sale_true_is_said():
    """forced-open.toml read with votes_in_sale = true: the vote is now played in the payouts, but the
    forcing range is found from the game without it (tables.forcing, "under either reading"), so the
    finding is the same but for its last sentence and the witness's reading.
    Kills _losses 11, 14, 15, 30; check 33, 78, 94, 95, 97, 98, 99, 100, 168, 180, 181, 182, 185, 193, 195, 196,
    203, 206, 210, 213, 214, 216, 237, 239, 240, 247, 249, 250, 251, 324, 326, 327; ranges 48, 58, 60, 83."""
    m, an = variant(OPEN, ("[captable]", "[readings]\nvotes_in_sale = true\n\n[captable]"))
    f = _one(m, an)
    assert _fields(f) == ("forced-conversion", "warning", "refuted", 69, "4.D.2")
    assert f.witness["reading"] == "votes_in_sale = true"
    assert (f.witness["lo"], f.witness["hi"], f.witness["most_lost"]) == ("0", None, {"D": "2000/3"})
    assert f.message == OPEN_MESSAGE + " Reading votes_in_sale = true: the payouts and breakpoints include the vote."


def test_a_loss_of_at_most_one_dollar():
    """forced-open.toml scaled down: A and D hold 1 share each, both with a $1 preference (OIP and
    conversion price $1), D's participation capped at $2 a share (preference included), 1 common
    share. Nobody converting: below $2 the preferences share E (E/2 each); then D and common share
    E - 2: D = 1 + (E - 2)/2, capped from $4. A converts alone above $4 ((E - 1)/3 > 1); then D =
    min(1 + (E - 1)/3, 2) (capped from $4) and A = (E - 2)/2. Forced: E/3 each. A gains above $3
    (on [2, 4], E/3 > 1) and up to $6 (E/3 > (E - 2)/2 <=> E < 6); above $6 D converts by itself
    (E/3 > 2). Range (3, 6), both ends excluded. D loses E/6 on (3, 4] (1/2 to 2/3) and 2 - E/3 on
    [4, 6) (2/3 to 0): most lost 2/3, about $0.67, at $4: a loss under $1 is still a loss.
    The atom (3, 4) is one dollar wide and the cap's kink is at its high end: its losses are
    read off the stretch of its midpoint (D = 1 + (E - 2)/2), not of the point a dollar above its
    low end (D capped at 2, which would make D's loss at $3 2 - 1 = 1).
    Example exit value simplest_between(3, 6) = $4: D takes 4/3 instead of 2.
    Kills _losses 10, 12, 13, 15; check 168, 180, 181, 182, 185, 193, 195, 196, 203, 206, 210, 213, 214, 216,
    237, 239, 240; ranges 64, 74, 75, 83."""
    m, an = variant(OPEN, ("designated = 100", "designated = 1"),
                    ('original_issue_price = "10"', 'original_issue_price = "1"'), ('price = "10"', 'price = "1"'),
                    ("common_outstanding = 100", "common_outstanding = 1"), ('kind = "full"', 'kind = "capped"\ncap = "2"'))
    [r] = forced.ranges(an.tables)
    assert [a[:2] for a in r["atoms"]] == [(3, 4), (4, 4), (4, 5), (5, 5), (5, 6)]
    assert (r["lo"], r["hi"], r["lo_closed"], r["hi_closed"], r["losers"]) == (3, 6, False, False, {"D"})
    assert r["loss"] == {"D": (F(2, 3), F(4))}
    f = _one(m, an)
    assert (f.line, f.witness["most_lost"]) == (70, {"D": "2/3"})
    assert f.message == (
        "By the conversion vote of 4.D.2 (50% of Series A and D voting together), Series A (50.0% of the vote) "
        "can force Series A and D to convert before a sale for exit values from $3 (excluded) to $6 (excluded): "
        "Series A is better off, and Series D loses; the most it costs: Series D about $0.67 at $4; at $4: "
        "Series D about $1.33 instead of $2. No series can block it alone." + FALSE_READING)


# ---------------------------------------------------------------- a range whose high end is included


TIED_WITNESS = {
    "vote": "qpo", "needs": "more than 50% of Series A and B voting together", "coalition": ["A", "B"],
    "coalition_share": ["1"], "converts": ["A", "B"], "losers": ["C"], "lo": "28000/19", "lo_included": False,
    "hi": "44800/23", "hi_included": True, "most_lost": {"C": "9000/23"}, "blockers": ["A", "B"],
    "reading": "votes_in_sale = false"}


def test_a_range_with_its_high_end_included():
    """forced-tied.toml (header): A and B carry the vote together from 28,000/19 (about $1,473.68,
    excluded: both gain 0 there) up to and including 44,800/23 (about $1,947.83: the game still
    has nobody converting there, A being indifferent, so both still gain; above it A converts
    alone and B no longer gains). No "(excluded)" after the high end. C loses 5E/7 - 1,000, most
    at the high end: 9,000/23, about $391.30, "at the high end of the range". The example:
    simplest_between(1,473.68, 1,947.83) = $1,500: C takes 1,000 forced instead of 5 x 1,500 / 7 =
    7,500/7 (about $1,071.43). A and B hold 50% each and the vote needs more than 50%: each blocks
    it alone ("Only Series A and Series B (50.0%, 50.0%)"). The vote's line: forced-tied.toml
    line 81.
    Kills _end 5, 7; check 88, 106, 171, 203, 206, 209, 211, 212, 214, 215, 237, 239, 240; ranges 83."""
    m, an = analysed(str(TIED))
    f = _one(m, an)
    assert _fields(f) == ("forced-conversion", "warning", "refuted", 81, "4.D.2")
    assert f.witness == TIED_WITNESS
    assert f.message.startswith(
        "By the conversion vote of 4.D.2 (more than 50% of Series A and B voting together), Series A and B "
        "(100.0% of the vote) can force Series A and B to convert before a sale for exit values from about "
        "$1,473.68 (excluded) to about $1,947.83: Series A and B are each better off, and Series C loses")
    assert f.message.endswith(
        "; the most it costs: Series C about $391.30 at the high end of the range; at $1,500: Series C $1,000 "
        "instead of about $1,071.43. Only Series A and Series B (50.0%, 50.0%) can block it alone." + FALSE_READING)


def test_the_range_with_its_high_end_included_from_the_tables():
    """forced.ranges on forced-tied.toml: one run, (28,000/19, 44,800/23], the high end a point atom
    (lo_closed False, hi_closed True); C's most lost 9,000/23 at the point 44,800/23 itself (the
    point atom's exact loss: 5/7 x 44,800/23 - 1,000 = 32,000/23 - 23,000/23).
    Kills _losses 12, 13; ranges 74, 83."""
    m, an = analysed(str(TIED))
    [r] = forced.ranges(an.tables)
    assert (r["lo"], r["hi"], r["lo_closed"], r["hi_closed"]) == (F(28000, 19), F(44800, 23), False, True)
    assert (r["coalition"], r["losers"], r["loss"]) == ({"A", "B"}, {"C"}, {"C": (F(9000, 23), F(44800, 23))})


def test_a_loser_the_vote_does_not_convert_keeps_its_preference():
    """forced-tied.toml: the vote converts A and B; C (no conversion right) loses because A and B
    converting cures the shortfall that, shared by OIP, paid C more than its preference (5E/7 >
    1,000 above $1,400). C is not converted, so the finding must not say it loses "their
    preference ($1,000) for their share as converted" (it did: the check asked only whether every
    loser is a non-participating series, not whether the vote converts it). Juniper's D and D1,
    converted by its vote, still do (tests/properties/test_property_mutants.py).
    Kills _end 5, 7; check 88, 106, 171, 185, 193, 195, 196, 203, 206, 209, 211, 212, 214, 215, 237, 239, 240;
    ranges 83."""
    m, an = analysed(str(TIED))
    f = _one(m, an)
    assert "preference" not in f.message
    assert f.message == (
        "By the conversion vote of 4.D.2 (more than 50% of Series A and B voting together), Series A and B "
        "(100.0% of the vote) can force Series A and B to convert before a sale for exit values from about "
        "$1,473.68 (excluded) to about $1,947.83: Series A and B are each better off, and Series C loses; the most it "
        "costs: Series C about $391.30 at the high end of the range; at $1,500: Series C $1,000 instead of "
        "about $1,071.43. Only Series A and Series B (50.0%, 50.0%) can block it alone." + FALSE_READING)


# ---------------------------------------------------------------- the most lost approached at an excluded end


def _shortfall():
    """forced-tied.toml with A and B converting 1:1 (conversion price $2, not $0.50): converting alone
    no longer pays below the preferences (A alone: (E - 1,600) / 2 < E / 7 below 2,240), so nobody
    converts up to $2,200, where the tier stops being short. Forced (both converted): C is paid
    1,000 first, A, B and common share the rest: A = B = (E - 1,000) / 3, above E / 7 from 1,750
    (7E - 7,000 > 3E). At 2,200 the tier pays A and B their $600 in full, more than (2,200 -
    1,000) / 3 = 400: no vote. Range (1,750, 2,200), both ends excluded.
    C's loss 5E/7 - 1,000 rises to 11,000/7 - 1,000 = 4,000/7 (about $571.43) as E approaches 2,200,
    where the nobody-converts payouts jump (C's 5E/7 falls to its $1,000 preference): the most lost
    is a supremum approached from inside at the excluded high end, not a value at any exit value."""
    return variant(TIED, ('price = "0.50"', 'price = "2"'))


def test_the_most_lost_is_approached_at_an_excluded_high_end():
    """(_shortfall) ranges: C's most lost is the limit at 2,200 of the atom (1,750, 2,200), 4,000/7;
    the loss at 1,750 is 1,250 - 1,000 = 250 and the exact loss at 2,200 is 1,000 - 1,000 = 0 (a
    rule that reads an end's exact payouts instead of the limit from inside, or leaves the high
    end out, finds 250 at the low end). The finding says "at the high end of the range", both
    ends "(excluded)"; the example: simplest_between(1,750, 2,200) = $2,000, where C takes 1,000
    instead of 5 x 2,000 / 7 = 10,000/7 (about $1,428.57).
    Kills _losses 3, 12, 13, 29, 30; check 171, 185, 193, 195, 196, 203, 206, 209, 211, 212, 214, 215, 237, 239,
    240; ranges 52, 54, 57, 59, 60, 66, 74, 83."""
    m, an = _shortfall()
    [r] = forced.ranges(an.tables)
    assert (r["lo"], r["hi"], r["lo_closed"], r["hi_closed"]) == (1750, 2200, False, False)
    assert (r["coalition"], r["losers"], r["loss"]) == ({"A", "B"}, {"C"}, {"C": (F(4000, 7), F(2200))})
    f = _one(m, an)
    assert _fields(f) == ("forced-conversion", "warning", "refuted", 81, "4.D.2")
    assert f.witness == dict(TIED_WITNESS, lo="1750", hi="2200", hi_included=False, most_lost={"C": "4000/7"})
    assert f.message == (
        "By the conversion vote of 4.D.2 (more than 50% of Series A and B voting together), Series A and B "
        "(100.0% of the vote) can force Series A and B to convert before a sale for exit values from $1,750 "
        "(excluded) to $2,200 (excluded): Series A and B are each better off, and Series C loses; the most it costs: "
        "Series C about $571.43 at the high end of the range; at $2,000: Series C $1,000 instead of about "
        "$1,428.57. Only Series A and Series B (50.0%, 50.0%) can block it alone." + FALSE_READING)


# ---------------------------------------------------------------- the same most lost at several exit values


def test_the_most_lost_is_where_it_is_first_reached():
    """forced-open.toml with D's participation capped at $30 a share, preference included ($3,000):
    with A converted and D keeping, D takes min(1,000 + (E - 1,000) / 3, 3,000), capped from
    $7,000. Forced, D takes E / 3, so D loses 2,000/3 on (1,300, 7,000] (the same as before), then
    3,000 - E / 3, down to 0 at $9,000. A gains 1,000/3 there, then E / 3 - (E - 3,000) / 2 =
    1,500 - E / 6, 0 at $9,000 (excluded); above it D converts by itself (E / 3 > 3,000). The
    atoms of the range break inside the plateau at 6,100 (an event point of the game's map) and
    7,000 (the cap's kink): D's 2,000/3 is reached again at each, but the finding names the first
    exit value it is reached at, $1,300 (a rule that let an equal loss replace it says $7,000).
    Example: simplest_between(0, 9,000) = $1,000: D takes 1,000/3 instead of 1,000 x 1,000 / 1,100
    (its pro rata preference, about $909.09).
    Kills _losses 12, 13, 14, 30; check 106, 168, 180, 181, 182, 185, 193, 195, 196, 203, 206, 210, 213, 214,
    216, 237, 239, 240; ranges 74, 80, 83."""
    m, an = variant(OPEN, ('kind = "full"', 'kind = "capped"\ncap = "30"'))
    [r] = forced.ranges(an.tables)
    assert [a[:2] for a in r["atoms"]][-6:] == [(1300, 1300), (1300, 6100), (6100, 6100), (6100, 7000), (7000, 7000),
                                                (7000, 9000)]
    assert (r["lo"], r["hi"], r["lo_closed"], r["hi_closed"]) == (0, 9000, False, False)
    assert r["loss"] == {"D": (F(2000, 3), F(1300))}
    f = _one(m, an)
    assert (f.line, f.witness["hi"], f.witness["hi_included"], f.witness["most_lost"]) == (70, "9000", False, {"D": "2000/3"})
    assert f.message == (
        "By the conversion vote of 4.D.2 (50% of Series A and D voting together), Series A (50.0% of the vote) "
        "can force Series A and D to convert before a sale for exit values from $0 (excluded) to $9,000 "
        "(excluded): Series A is better off, and Series D loses; the most it costs: Series D about $666.67 "
        "at $1,300; at $1,000: Series D about $333.33 instead of about $909.09. No series can block it alone."
        + FALSE_READING)


# ---------------------------------------------------------------- a voter the vote does not convert; a low end included


VOTER = PROPS / "forced-voter.toml"
VOTER_WITNESS = {
    "vote": "qpo", "needs": "more than 50% of Series A, B and C voting together", "coalition": ["C"],
    "coalition_share": ["5/6"], "converts": ["A", "B"], "losers": ["A", "B"], "blockers": ["C"],
    "reading": "votes_in_sale = false"}
VOTER_HEAD = ("By the conversion vote of 4.D.2 (more than 50% of Series A, B and C voting together), Series C "
              "(83.3% of the vote) can force Series A and B to convert before a sale for exit values ")
VOTER_TAIL = " Only Series C (83.3%) can block it alone." + FALSE_READING


def test_two_ranges_the_second_with_its_low_end_included():
    """forced-voter.toml (header): C (5/6 of the vote, the only blocker) forces A and B to convert
    on two ranges, one finding each, in exit-value order:
    (0, 1,400): A and B lose their $600 + $600 = $1,200 preferences (converted by the vote,
    non-participating); each loses E/7 up to $1,000, (7,000 - 4E)/21 after: most 1,000/7 (about
    $142.86) at $1,000, inside the range. Example simplest_between(0, 1,400) = $1,000: A and B
    take 0 ((1,000 - 1,000)/3) instead of 1,000/7.
    [2,200, 3,600): the low end included, no "(excluded)" after it ("from $2,200 to $3,600
    (excluded)"): at $2,200 the tier is paid in full, C's payout falls to its $1,000 and C gains
    E/2 - 1,000 = 100 from the vote. A and B lose 600 - E/6, most 600 - 2,200/6 = 700/3 (about
    $233.33) at the low end. Example simplest_between(2,200, 3,600) = $3,000: A and B take 3,000/6
    = 500 instead of 600. The vote's line: forced-voter.toml line 86.
    Kills _end 5, 7; _losses 12, 13, 14, 30; check 81, 106, 203, 206, 210, 213, 214, 216."""
    m, an = analysed(str(VOTER))
    low, high = forced.check(m, an)
    assert [_fields(f) for f in (low, high)] == [("forced-conversion", "warning", "refuted", 86, "4.D.2")] * 2
    assert low.witness == dict(VOTER_WITNESS, lo="0", lo_included=False, hi="1400", hi_included=False,
                               most_lost={"A": "1000/7", "B": "1000/7"})
    assert high.witness == dict(VOTER_WITNESS, lo="2200", lo_included=True, hi="3600", hi_included=False,
                                most_lost={"A": "700/3", "B": "700/3"})
    assert low.message == VOTER_HEAD + (
        "from $0 (excluded) to $1,400 (excluded): Series C is better off, and Series A and Series B lose "
        "their preference ($1,200) for their share as converted; the most it costs: Series A about $142.86, "
        "Series B about $142.86 at $1,000; at $1,000: Series A $0 instead of about $142.86, Series B $0 instead "
        "of about $142.86." + VOTER_TAIL)
    assert high.message == VOTER_HEAD + (
        "from $2,200 to $3,600 (excluded): Series C is better off, and Series A and Series B lose their "
        "preference ($1,200) for their share as converted; the most it costs: Series A about $233.33, Series B "
        "about $233.33 at the low end of the range; at $3,000: Series A $500 instead of $600, Series B $500 "
        "instead of $600." + VOTER_TAIL)
    r1, r2 = forced.ranges(an.tables)
    assert (r2["lo"], r2["lo_closed"], r2["hi"], r2["hi_closed"]) == (2200, True, 3600, False)


def test_a_range_open_above_with_its_low_end_included():
    """forced-voter.toml with A and B fully participating: they never convert by themselves, so the
    second range has no end: "from $2,200 up", the low end included. From $2,200, nobody
    converting, A = 600 + (E - 2,200)/3 (A, B and common share the rest, C non-participating
    keeps its $1,000); C converts alone above $3,200 ((E - 1,200)/2 > 1,000: A and B's $1,200
    first, then 600 shares), after which A = 600 + (E - 1,200)/6. Forced, A = E/6. A's loss: E/6 -
    400/3, from 700/3 at $2,200 up to 400 at $3,200, then 600 - 1,200/6 = 400 for good: most $400,
    first at $3,200. A and B participate: no "preference for their share as converted". Example:
    simplest_between(2,200, None) = $3,000: A takes 500 instead of 600 + 800/3 = 2,600/3 (about
    $866.67). The first range is the same as without participation, (0, 1,400) (below $2,200 the
    tier is short and nobody participates).
    Kills _end 5, 7; _losses 11, 12, 13, 14, 15, 30; check 78, 94, 96, 97, 98, 99, 100, 185, 193, 195, 196, 203,
    206, 210, 213, 214, 216, 303; ranges 48, 58, 60, 80, 83."""
    m, an = variant(VOTER, ('price = "2"\nsource = "4.D.1"',
                            'price = "2"\nsource = "4.D.1"\n\n[series.participation]\nkind = "full"\nsource = "4.B.2"'))
    low, high = forced.check(m, an)
    assert (low.witness["lo"], low.witness["hi"], low.witness["most_lost"]) == ("0", "1400", {"A": "1000/7", "B": "1000/7"})
    assert high.witness == dict(VOTER_WITNESS, lo="2200", lo_included=True, hi=None, hi_included=None,
                                most_lost={"A": "400", "B": "400"})
    assert high.message == VOTER_HEAD + (
        "from $2,200 up: Series C is better off, and Series A and Series B lose; the most it costs: Series A "
        "$400, Series B $400 at $3,200; at $3,000: Series A $500 instead of about $866.67, Series B $500 instead "
        "of about $866.67." + VOTER_TAIL)


def test_a_vote_of_each_series_separately():
    """forced-tied.toml with the vote taken by more than 50% of each of A and B, each voting
    separately: the same range (A and B both gain on it, so both classes approve), but the
    coalition's share is one per class, "100.0%, 100.0% of the vote", and each of A and B blocks it
    alone with 100% of its own class. (The blockers' shares were each series' share of the first
    class, Series A's: B was said to block it with "0.0%".)
    Kills _end 5, 7; check 88, 106, 171, 185, 193, 195, 196, 203, 206, 209, 211, 212, 214, 215, 225, 237, 239,
    240; ranges 83."""
    m, an = variant(TIED, ('threshold = "1/2", strict = true', 'threshold = "1/2", strict = true, separately = true'))
    f = _one(m, an)
    assert f.witness == dict(TIED_WITNESS, needs="more than 50% of each of Series A and B, each voting separately",
                             coalition_share=["1", "1"])
    assert f.message == (
        "By the conversion vote of 4.D.2 (more than 50% of each of Series A and B, each voting separately), "
        "Series A and B (100.0%, 100.0% of the vote) can force Series A and B to convert before a sale for exit "
        "values from about $1,473.68 (excluded) to about $1,947.83: Series A and B are each better off, and Series C "
        "loses; the most it costs: Series C about $391.30 at the high end of the range; at $1,500: Series C "
        "$1,000 instead of about $1,071.43. Only Series A and Series B (100.0%, 100.0%) can block it alone."
        + FALSE_READING)


def test_the_last_atom_is_read_past_its_low_end():
    """forced-open.toml with A's shares issued and converting at $0.001 (a $0.10 preference): the
    game's last event comes 30 cents after a kink. Nobody converting, the preferences ($1,000.10)
    share a shortfall pro rata, then D and common share the rest: D = 1,000 + (E - 1,000.10)/2. A
    converts alone above $1,000.30 ((E - 1,000)/3 > 0.10); with A converted D takes E up to its
    $1,000, then 1,000 + (E - 1,000)/3. Forced: E/3. D's loss reaches 1,000 + 0.20/2 - 1,000.30/3
    = 2,000/3 at $1,000.30 and stays there: the most lost, first at $1,000.30 ("about $666.67 at
    $1,000.30"). The last atom, (1,000.30, no end), is read off the stretch after its low end
    (A converted, D paid in full); the stretch a dollar below it, before D's preference is paid
    (D = E), would make D's loss at 1,000.30 2/3 x 1,000.30 = about $666.87.
    Kills _losses 11, 13, 14, 15, 16, 30; check 78, 94, 97, 98, 99, 100, 203, 206, 210, 213, 214, 216; ranges
    48, 58, 60, 74, 83."""
    m, an = variant(OPEN, ('original_issue_price = "1"', 'original_issue_price = "0.001"'), ('price = "1"', 'price = "0.001"'))
    [r] = forced.ranges(an.tables)
    assert r["atoms"][-1][:2] == (F(10003, 10), None)
    assert r["loss"] == {"D": (F(2000, 3), F(10003, 10))}
    f = _one(m, an)
    assert f.witness["most_lost"] == {"D": "2000/3"}
    assert "the most it costs: Series D about $666.67 at $1,000.30; at $1: Series D about $0.33 instead of about $1." \
        in f.message
