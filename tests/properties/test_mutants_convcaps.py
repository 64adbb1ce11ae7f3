"""Survivors of the mutation run over charterverify/properties/ in conversion (`_uniqueness`,
`_gain_form`, `check`, `_class_vote`, `_dominance`), caps (`check`) and seniority (`check`),
killed here (docs/testing.md, "Surviving mutants of properties/, by function"; the list of this
branch is /work/prompts/s6/doc-convcaps.md). Each test names the mutants it kills (mutmut's names
without the `charterverify.properties.` prefix); every expected number is worked out by hand in
the docstrings and comments.
"""

from __future__ import annotations

import copy
from fractions import Fraction as F

import dataclasses as dc

from charterverify.model import COMMON
from charterverify.properties import caps, conversion, seniority
from charterverify.properties.base import Locator
from charterverify.solver.breakpoints import Piece, Point

from propsupport import GOOD, PROPS, analysed, variant

TIERS = PROPS / "convcaps-tiers.toml"
CAPPED = PROPS / "convcaps-capped.toml"
VOTE = PROPS / "convcaps-vote.toml"
CASH = PROPS / "convcaps-cash.toml"
UNITS = PROPS / "convcaps-units.toml"
VOTE_CAP = PROPS / "convcaps-vote-cap.toml"


def _forms(holders, **given):
    """Every holder's affine form (a, b) on a piece: the given ones, (0, 0) for the rest."""
    return {h: tuple(F(v) for v in given.get(h, (0, 0))) for h in holders}


# ---------------------------------------------------------------- seniority


def _wrong_sweep_of_four_tiers():
    """convcaps-tiers.toml (tiers zeta [Z, $0], senior [S1, S2, Y] capped at $150 (S1 $100, S2
    $100, Y $0), mezz [M, $1], junior [J, $100], then common; no conversion rights) with its
    analysis replaced by what a wrong sweep could produce (the waterfall itself pays in order):

        piece (0, 1,000):     S1 = S2 = E/20, M = E/1,000          (senior short, mezz paid)
        piece (1,000, 2,000): S1 = S2 = 25, M = 1, common = E/100  (senior and junior short, common paid)
        piece (2,000, up):    S1 = S2 = 75, M = 1, J = 100, common = E/100  (everyone paid in full)
        point 0:      nobody paid
        point 1,000:  S1 = S2 = 75, M = 0, common = 10; J left out of the payouts (paid nothing)
        point 2,000:  S1 = 74, S2 = 75, M = 1, J = 1, common = 20  (senior $1 short: the point only)
    """
    model, an = analysed(str(TIERS))
    an = copy.deepcopy(an)
    an.model = model
    hs = ["Z", "S1", "S2", "Y", "M", "J", COMMON]
    none = ()
    an.segments = [
        Piece(F(0), F(1000), none, (none,), _forms(hs, S1=(0, F(1, 20)), S2=(0, F(1, 20)), M=(0, F(1, 1000))), True),
        Piece(F(1000), F(2000), none, (none,), _forms(hs, S1=(25, 0), S2=(25, 0), M=(1, 0), common=(0, F(1, 100))),
              True),
        Piece(F(2000), None, none, (none,),
              _forms(hs, S1=(75, 0), S2=(75, 0), M=(1, 0), J=(100, 0), common=(0, F(1, 100))), True),
    ]

    def point(x, **pay):
        return Point(F(x), none, (none,), {h: F(v) for h, v in pay.items()}, True)

    an.points = {
        F(0): point(0, Z=0, S1=0, S2=0, Y=0, M=0, J=0, common=0),
        F(1000): point(1000, Z=0, S1=75, S2=75, Y=0, M=0, common=10),
        F(2000): point(2000, Z=0, S1=74, S2=75, Y=0, M=1, J=1, common=20),
    }
    return model, an


def test_seniority_findings_of_four_tiers_in_rank_order():
    """Every finding of the wrong sweep above, in rank order (senior before mezz before junior, each
    senior's juniors in rank order, common last), with its words, line and clause.

    The senior tier is owed min($100 + $100 + $0, cap $150) = $150 as a whole, and named by its
    members that are owed something: "S1 and S2" (Y's $0 leaves it out, as Z's leaves tier zeta
    out altogether). Mezz is owed 1 x $1 = $1, junior 100 x $1 = $100.

    1. senior/mezz, piece (0, 1,000): the tier has E/10 < $150 (E < 1,500: all the piece) while M
       has E/1,000 > 0: the interval (0, 1,000), its roundest point $100 (S1 + S2 = $10, M $0.10).
    2. senior/junior, point 2,000 only: S1 + S2 = 74 + 75 = $149 < $150 and J $1 > 0 (the pieces
       either side pay J nothing, or the senior tier in full).
    3. senior/common, piece (1,000, 2,000): $50 < $150 and common E/100 > 0: (1,000, 2,000),
       roundest point $1,100 (whole hundreds; $2,000 is not inside): common $11. (Mezz is paid on
       this piece too, but that pair is already found, and the search goes on to common.)
    4. mezz/common, point 1,000 only: M $0 of its $1 while common has $10; J, left out of the
       payouts, counts as paid nothing, so mezz/junior is no finding and the search goes on.
    5. junior/common, piece (1,000, 2,000): J $0 of $100 while common has E/100: $1,100 again.

    Lines: tiers[1] (senior) 90, tiers[2] (mezz) 96, tiers[3] (junior) 101.

    Kills seniority.x_check__mutmut_14 (a $0 member named: "S1 and S2 and Y"), 15 (`> 1`: M's $1
    left out, no finding 4), 17 (`break` at tier zeta, owed nothing: no finding at all), 21
    (`juniors =`: only the last tier, no finding 1), 33, 34 (the group's name), 52 (`break` once
    senior/mezz is found: no finding 3), 62 (the members' slopes subtracted: S1 + S2 = $0 at $100),
    74 (`Fraction(1)` start: $149 + 1 is not short), 76 (`value(None)`), 78 (`> 1`: J's $1), 79
    (`break` when J is not paid at 1,000: no finding 4), 80 (`E = None`), 83 and 145 (the piece's
    upper end dropped: the roundest point of (0, 1,500) is $1,000, of (1,000, up) $2,000), 117,
    119-121, 123-125 (the senior's payout at a point), 131, 133 (the junior's payout at a point),
    160 (`consider(None, x)`), 169 (`payouts.get(None)`), 170, 172 (a missing holder read as None),
    174 (a missing holder paid $1: a mezz/junior finding), 177, 179, 182, 185, 187 (the order)."""
    model, an = _wrong_sweep_of_four_tiers()
    found = seniority.check(model, an)
    S = "while Series S1 and S2 (tier senior, ranking ahead) receives"
    assert [(f.rule, f.severity.label, f.verdict.value, f.line, f.clause) for f in found] == [
        ("seniority", "error", "refuted", 90, "4.C.2; 4.C.3"),
        ("seniority", "error", "refuted", 90, "4.C.2; 4.C.4"),
        ("seniority", "error", "refuted", 90, "4.C.2"),
        ("seniority", "error", "refuted", 96, "4.C.3"),
        ("seniority", "error", "refuted", 101, "4.C.4"),
    ]
    assert [f.message for f in found] == [
        f"Series M (tier mezz) is paid $0.10 at an exit value of $100 {S} $10 of its $150 preference",
        f"Series J (tier junior) is paid $1 at an exit value of $2,000 {S} $149 of its $150 preference",
        f"Common stock is paid $11 at an exit value of $1,100 {S} $50 of its $150 preference",
        "Common stock is paid $10 at an exit value of $1,000 while Series M (tier mezz, ranking ahead) "
        "receives $0 of its $1 preference",
        "Common stock is paid $11 at an exit value of $1,100 while Series J (tier junior, ranking ahead) "
        "receives $0 of its $100 preference",
    ]
    assert [f.witness for f in found] == [
        {"exit_value": "100", "senior": "S1 and S2", "senior_payout": "10", "senior_full": "150",
         "junior": "M", "junior_payout": "0.1"},
        {"exit_value": "2000", "senior": "S1 and S2", "senior_payout": "149", "senior_full": "150",
         "junior": "J", "junior_payout": "1"},
        {"exit_value": "1100", "senior": "S1 and S2", "senior_payout": "50", "senior_full": "150",
         "junior": "common", "junior_payout": "11"},
        {"exit_value": "1000", "senior": "M", "senior_payout": "0", "senior_full": "1",
         "junior": "common", "junior_payout": "10"},
        {"exit_value": "1100", "senior": "J", "senior_payout": "0", "senior_full": "100",
         "junior": "common", "junior_payout": "11"},
    ]


# ---------------------------------------------------------------- conversion: uniqueness


def _equilibrium_sets_of_two_units():
    """tests/charters/good/tied_equilibria.toml (units A and B, both converting under 4.D.1, lines 32
    and 46) with its equilibrium sets replaced by hand, as a sweep could report them, and its
    units stripped of their own clause (`source` None, as for units built in code):

        piece (0, 1,000)      nobody converts
        point 1,000           nobody converts | A and B convert         payouts differ
        piece (1,000, 2,000)  nobody converts
        point 2,000           A converts | A and B convert              same payouts
        piece (2,000, 3,000)  A converts | A and B convert              same payouts
        point 3,000           A and B convert | nobody converts         payouts differ
        piece (3,000, up)     A and B convert | nobody converts         payouts differ
    """
    model, an = analysed(str(GOOD / "tied_equilibria.toml"))
    an = copy.deepcopy(an)
    an.model = model
    an.units = tuple(dc.replace(u, source=None) for u in an.units)
    FF, TF, TT = (False, False), (True, False), (True, True)
    forms = an.segments[0].forms

    def piece(lo, hi, *profiles, same=True):
        return Piece(F(lo), None if hi is None else F(hi), profiles[0], profiles, forms, True, unique_payouts=same)

    def point(x, *profiles, same=True):
        return Point(F(x), profiles[0], profiles, {}, same)

    an.segments = [piece(0, 1000, FF), piece(1000, 2000, FF), piece(2000, 3000, TF, TT),
                   piece(3000, None, TT, FF, same=False)]
    an.points = {F(0): point(0, FF), F(1000): point(1000, FF, TT, same=False), F(2000): point(2000, TF, TT),
                 F(3000): point(3000, TT, FF, same=False)}
    return model, an


def test_equilibria_at_one_breakpoint_with_equal_payouts_and_on_the_last_piece():
    """The three runs of several equilibria of the sets above, in words:

    1. the breakpoint 1,000 alone (the pieces either side have one equilibrium): "at an exit value
       of $1,000", payouts differ (warning); A and B both change between the two: clause 4.D.1
       (found from the model, the units having no clause of their own), key A's conversion (32);
    2. point 2,000 and piece (2,000, 3,000), one run as their sets and `same` agree: equal payouts
       (info); only B differs between "A converts" and "A and B convert", so the key is B's
       conversion (46);
    3. point 3,000 and the last piece, one run "from $3,000 up".

    Kills conversion.x__uniqueness__mutmut_2 (the point items skipped: no run 1), 9 and 10 (the
    "last" point read from segments[1] or segments[-2]: a fourth run at $2,000 or $3,000), 57, 59
    (the words of a run at one exit value), 65, 66 (the info finding's message and severity), 71
    (`>= 1`: A counted as involved in run 2, key 32) and 88 (`unit_source(None, u)`: the model is
    needed for a unit without its own clause)."""
    model, an = _equilibrium_sets_of_two_units()
    found = conversion._uniqueness(model, an, Locator(model))
    differ = "and their payouts differ; the reported payouts are those of the equilibrium with the fewest conversions"
    assert [(f.rule, f.severity.label, f.verdict.value, f.message, f.line, f.clause, f.witness) for f in found] == [
        ("conversion", "warning", "refuted",
         f"The conversion game has 2 equilibria at an exit value of $1,000 (nobody converts | Series A converts; "
         f"Series B converts) {differ}", 32, "4.D.1",
         {"from": "1000", "to": "1000", "payouts_differ": True, "equilibria": [[], ["A", "B"]]}),
        ("conversion", "info", "refuted",
         "The conversion game has 2 equilibria for exit values from $2,000 to $3,000 (Series A converts | "
         "Series A converts; Series B converts), with the same payouts", 46, "4.D.1",
         {"from": "2000", "to": "3000", "payouts_differ": False, "equilibria": [["A"], ["A", "B"]]}),
        ("conversion", "warning", "refuted",
         f"The conversion game has 2 equilibria for exit values from $3,000 up (Series A converts; Series B "
         f"converts | nobody converts) {differ}", 32, "4.D.1",
         {"from": "3000", "to": None, "payouts_differ": True, "equilibria": [["A", "B"], []]}),
    ]


# ---------------------------------------------------------------- caps


def _caps(model, an):
    return [(f.rule, f.severity.label, f.verdict.value, f.message, f.line, f.clause, f.witness)
            for f in caps.check(model, an)]


def test_a_cap_without_a_preference_binds_at_one_exit_value_only():
    """convcaps-capped.toml: Series A (100 shares, no preference) participates 1:1 with the 300
    common shares up to $2 a share, and converts 1:1. Kept or converted it takes 100/400 = E/4, so
    it keeps (a tie keeps the preferred) until E/4 reaches its cap of 100 x $2 = $200 at E = $800,
    and converts above it, where E/4 is more than the cap: the cap binds at $800 and nowhere else.
    The finding's clause is the participation clause alone (A has no preference clause); its key
    is participation.cap (line 30).
    Kills caps.x_check__mutmut_25 (the preference's clause read although A has no preference: an
    AttributeError) and 177-180 (the words of a cap that binds at one exit value)."""
    model, an = analysed(str(CAPPED))
    assert _caps(model, an) == [
        ("caps", "info", "proved", "Series A's cap of $2.00 per share (4.C.2) binds only at an exit value of $800 ($200)",
         30, "4.C.2", {"series": "A", "cap": "2", "cap_total": "200", "from": "800", "to": "800"})]


def test_a_capped_series_that_converts_from_the_start_has_a_highest_payout_of_zero():
    """convcaps-capped.toml with $0.50 a share paid to A on conversion (4.D.2): converting pays the
    $50 of cash ahead of the common, then E - 50 shared 1:3 (E for E <= 50, 37.5 + E/4 above),
    always more than the E/4 A takes when it keeps; so A converts at every exit value above 0 and
    keeps only at 0 itself, where it is paid $0: the cap can never bind, and the highest payout
    while A keeps its preferred is $0.
    Kills caps.x_check__mutmut_69 (`best` starting at $1: "at most $1")."""
    model, an = variant(CAPPED, ('price = "1"\nsource = "4.D.1"',
                                 'price = "1"\nsource = "4.D.1"\ncash_per_share = "0.5"\ncash_source = "4.D.2"'))
    assert _caps(model, an) == [
        ("caps", "warning", "refuted",
         "Series A's cap of $2.00 per share (4.C.2) can never bind: the series converts from an exit value of $0, "
         "before its payout reaches $200 (at most $0 while it keeps its preferred)", 30, "4.C.2; 4.D.1",
         {"series": "A", "cap": "2", "cap_total": "200", "highest_payout": "0", "converts_at": "0"})]


def _kept_payouts(points, pieces):
    """convcaps-capped.toml's analysis with A keeping its preferred everywhere and paid as given
    (a wrong sweep's payouts: a drop at a breakpoint, a falling piece)."""
    model, an = analysed(str(CAPPED))
    an = copy.deepcopy(an)
    an.model = model
    keep = (False,)
    an.segments = [Piece(F(lo), hi if hi is None else F(hi), keep, (keep,), {"A": (F(a), F(b)), COMMON: (F(0), F(0))},
                         True) for lo, hi, a, b in pieces]
    an.points = {F(x): Point(F(x), keep, (keep,), {"A": F(v), COMMON: F(0)}, True) for x, v in points}
    return model, an


def test_the_highest_payout_of_a_capped_series_is_the_highest_end_of_any_kept_piece():
    """The highest payout of a capped series that never reaches its cap ($200 for A) is the highest
    value it approaches while keeping its preferred, at either end of a bounded piece, over every
    piece and breakpoint before:

    - A paid E on (0, 100) (up to $100 at the piece's right end), $40 at the breakpoint 100 and
      $40 from there on: highest $100, the right end of the first piece;
    - A paid 110 - E/2 on (0, 100) (from $110 at the piece's left end down to $60), $60 at the
      breakpoint 100, $30 on (100, 200), at 200 and above: highest $110, the left end of the
      first piece, higher than anything on the later pieces.

    Kills caps.x_check__mutmut_147 (the running highest dropped at each bounded piece: $30),
    148 and 151 (the right end of a piece left out: $40), 149 and 157 (the left end left out: $60)."""
    never = "Series A's cap of $2.00 per share (4.C.2) can never bind: its payout never exceeds {}, below the cap's $200"
    model, an = _kept_payouts([(0, 0), (100, 40)], [(0, 100, 0, 1), (100, None, 40, 0)])
    assert _caps(model, an) == [("caps", "warning", "refuted", never.format("$100"), 30, "4.C.2",
                                 {"series": "A", "cap": "2", "cap_total": "200", "highest_payout": "100"})]
    model, an = _kept_payouts([(0, 0), (100, 60), (200, 30)],
                              [(0, 100, 110, F(-1, 2)), (100, 200, 30, 0), (200, None, 30, 0)])
    assert _caps(model, an) == [("caps", "warning", "refuted", never.format("$110"), 30, "4.C.2",
                                 {"series": "A", "cap": "2", "cap_total": "200", "highest_payout": "110"})]


# ---------------------------------------------------------------- conversion: class votes

CARRIED = ("conversion", "info", "proved",
           "Class vote AZB (4.D.2) is carried by Series A alone (900 of 1,090 shares): it decides the conversion of "
           "Series A, Z and B", 70, "4.D.2",
           {"vote": "AZB", "controller": "A", "controller_shares": 900, "group_shares": 1090})


def _conversion(model, an):
    return [(f.rule, f.severity.label, f.verdict.value, f.message, f.line, f.clause, f.witness)
            for f in conversion.check(model, an)]


def test_an_outvoted_member_after_one_that_agrees_with_and_without_the_tables():
    """convcaps-vote.toml: A (900 of the 1,090 shares of A, Z and B) carries class vote AZB (line 70)
    alone. Preferences A $900 + Z $90 + B $1,000 = $1,990; converted, 2,090 common shares.
    A converts the group where 900 E / 2,090 > $900, above $2,090 (below $1,990 keeping pays A
    900 E / 1,990, more than 900 E / 2,090). Z (A's terms per share) always gains what A gains: no
    finding. B keeps $1,000 until 100 E / 2,090 reaches it at $20,900, so it would have kept the
    preferred on (2,090, 20,900): at the roundest point $10,000, B receives 100 x 10,000 / 2,090 =
    100,000/209 (about $478.47) against $1,000.
    The same findings without the analysis' exact tables (as for a charter with more units than the
    tables take), where the flipped payouts come from the model's waterfall.
    Kills conversion.x__class_vote__mutmut_96 (`break` at Z, who has no range: B's finding lost),
    81 and 127 (`profile_payouts(None, ...)`: without tables the model is needed)."""
    model, an = analysed(str(VOTE))
    outvoted = ("conversion", "warning", "refuted",
                "Series B would have chosen otherwise than class vote AZB (4.D.2) for exit values from $2,090 to "
                "$20,900 (Series A carries the vote alone): at $10,000 the group converts and Series B receives "
                "about $478.47, against $1,000 had the group kept the preferred", 70, "4.D.2",
                {"vote": "AZB", "member": "B", "ranges": [["2090", "20900"]], "exit_value": "10000",
                 "decision": "convert", "payout_as_decided": "100000/209", "payout_otherwise": "1000"})
    assert _conversion(model, an) == [CARRIED, outvoted]
    assert _conversion(model, dc.replace(an, tables=None)) == [CARRIED, outvoted]


def test_an_outvoted_member_on_two_stretches_the_first_one_breakpoint():
    """convcaps-vote.toml's analysis with the first piece (0, 1,990) cut at 1,000 (a sweep may cut a
    piece anywhere: the point's payouts are the waterfall's, 1,000 x 90/199 to A, x 9/199 to Z)
    except that B is reported paid $0 there (a wrong sweep; the waterfall pays it 100,000/199).
    Had the group converted at $1,000, B would have had 100 x 1,000 / 2,090 = 10,000/209 (about
    $47.85) > $0: B is outvoted at the one breakpoint $1,000 as well as on (2,090, 20,900). The
    first range is one exit value, so the example is $1,000 itself, where the group keeps the
    preferred.
    Kills conversion.x__class_vote__mutmut_110 (the profile at the example looked up among the
    pieces only: no piece holds a breakpoint) and 161 (the ranges' separator)."""
    model, an = analysed(str(VOTE))
    an = copy.deepcopy(an)
    an.model = model
    first = an.segments[0]
    an.segments[0:1] = [dc.replace(first, hi=F(1000)), dc.replace(first, lo=F(1000))]
    an.points[F(1000)] = Point(F(1000), (False,), ((False,),),
                               {"A": F(90000, 199), "Z": F(9000, 199), "B": F(0), COMMON: F(0)}, True)
    assert _conversion(model, an) == [CARRIED, (
        "conversion", "warning", "refuted",
        "Series B would have chosen otherwise than class vote AZB (4.D.2) for exit values at $1,000; from $2,090 "
        "to $20,900 (Series A carries the vote alone): at $1,000 the group keeps the preferred and Series B "
        "receives $0, against about $47.85 had the group converted", 70, "4.D.2",
        {"vote": "AZB", "member": "B", "ranges": [["1000", "1000"], ["2090", "20900"]], "exit_value": "1000",
         "decision": "keep the preferred", "payout_as_decided": "0", "payout_otherwise": "10000/209"})]


# ---------------------------------------------------------------- conversion: dominance


def test_a_conversion_paying_cash_above_the_preference_is_dominant():
    """convcaps-cash.toml: B ($100, senior) does not convert; A (100 shares, $50 preference, full
    participation 1:1 with 300 common) is paid $100 in cash on conversion, ahead of B's preference.
    A's payout, by exit value E:

        converted: E up to 100 (the cash); 100 up to 200 (B is paid); 100 + (E - 200)/4 above
        kept:      0 up to 100 (B first); E - 100 up to 150 (A's $50); 50 + (E - 150)/4 above

    Converting gains E, then 200 - E (100 down to 50), then 100 - 50 - (E - 150)/4 = 87.5 - E/4
    (50 down to 37.5 at 200), then 37.5 for good: never negative, positive everywhere above 0.
    The kept payout has a kink at 150 inside the analysis' piece (100, 200), where A converts.
    Line 44: A's conversion; clauses 4.D.1 and A's preference 4.C.2.
    Kills conversion.x__gain_form__mutmut_18 (`c + k`: 0 - E on (100, 150)), 19 (the converted
    slope for its intercept: 100 - E at 150 is -50) and 20 (the kept slope for its intercept:
    99 - E); conversion.x__dominance__mutmut_120 and 129 (`profile_payouts(None, ...)`: without
    tables the model is needed), 155 (`unit_source(None, u)`: so is it for a unit without its own
    clause) and 90 (`b <= 0` on the last piece: its flat gain of 37.5 taken for a loss)."""
    model, an = analysed(str(CASH))
    dominant = [(
        "conversion", "info", "proved",
        "Series A: converting pays at least as much as keeping the preferred at every exit value (4.D.1); "
        "the preference never matters", 44, "4.D.1; 4.C.2", {"unit": "A", "members": ["A"]})]
    assert _conversion(model, an) == dominant
    # the same without the analysis' exact tables (the profiles' payouts from the model's waterfall),
    # and with the unit stripped of its own clause (found from the model: A's conversion, 4.D.1)
    assert _conversion(model, dc.replace(an, tables=None)) == dominant
    bare = dc.replace(an, units=tuple(dc.replace(u, source=None) for u in an.units))
    assert _conversion(model, bare) == dominant


def test_a_conversion_that_stops_paying_is_not_dominant_even_between_breakpoints():
    """convcaps-cash.toml with A's preference raised to $2 a share ($200, above its $100 of cash):

        converted: E up to 100; 100 up to 200; 100 + (E - 200)/4 = 50 + E/4 above
        kept:      0 up to 100; E - 100 up to 300 (A's $200); 200 + (E - 300)/4 = 125 + E/4 above

    Converting gains E, then 200 - E, then 150 - 3E/4 (-75 at 300), then -75 for good: A keeps
    from $200 and conversion is not dominant. The check must find that from the two profiles'
    own kinks (100, 200, 300), not from the analysis' breakpoints: here the analysis is given as one
    piece (0, up) and the one breakpoint 0 (a sweep's coarsest cover), so no breakpoint's exact
    payouts show the loss; only the gain's pieces do.
    Kills conversion.x__gain_form__mutmut_1 (every probe read on the first piece, where converting
    gains E: "dominant") and 23 (`c + k` for the slope: 150 + 5E/4 on (200, 300), -75 + E/2 above,
    never negative from 200: "dominant"), and conversion.x__dominance__mutmut_45 (the cuts reduced
    to the piece's start: one probe, at $1, where converting gains) and 61 (`cuts[2:]` on the last
    piece: the probe $100 is no piece's inside, an error)."""
    model, an = variant(CASH, ('per_share = "0.5"', 'per_share = "2"'))
    assert [(s.lo, s.hi) for s in an.segments] == [(0, 100), (100, 200), (200, 300), (300, None)]
    assert conversion.check(model, an) == []
    whole = an.segments[-1]
    one = dc.replace(an, segments=[dc.replace(whole, lo=F(0), hi=None)], points={F(0): an.points[F(0)]})
    assert conversion.check(model, one) == []


def test_a_conversion_that_gains_only_above_a_cap_is_dominant():
    """convcaps-capped.toml: A (no preference, capped at $200) takes E/4 kept or converted until its
    cap binds at $800; above, converting pays E/4 and keeping $200: the gain is 0 on (0, 800) and
    E/4 - 200 above (0 at 800, rising at 1/4 a dollar), never negative, positive above $800, and
    only the last, unbounded piece shows it. Clause: A's conversion (4.D.1, line 33) alone (no
    preference clause).
    The same with that piece given as (800, 1,600) and (1,600, up) (a sweep may cut a piece
    anywhere; the breakpoint's payouts are the waterfall's: A converted E/4 = $400, common $1,200):
    the gain -200 + E/4 is 0 at 800 and $200 at 1,600 on the bounded piece.
    Kills conversion.x__dominance__mutmut_53 (the last piece's open end dropped: no gain seen), 87
    (`a - b * l`: -400 at 800), 93 (`b > 1`), 94, 95 (`strict` not set by a rising last piece) and
    98 (`a + b / r`: -200 + 1/6,400 at 1,600)."""
    model, an = analysed(str(CAPPED))
    dominant = [("conversion", "info", "proved",
                 "Series A: converting pays at least as much as keeping the preferred at every exit value (4.D.1); "
                 "the preference never matters", 33, "4.D.1", {"unit": "A", "members": ["A"]})]
    assert [(s.lo, s.hi) for s in an.segments] == [(0, 800), (800, None)]
    assert _conversion(model, an) == dominant
    last = an.segments[-1]
    cut = dc.replace(an, segments=[an.segments[0], dc.replace(last, hi=F(1600)), dc.replace(last, lo=F(1600))],
                     points={**an.points, F(1600): Point(F(1600), (True,), ((True,),), {"A": F(400), COMMON: F(1200)},
                                                          True)})
    assert _conversion(model, cut) == dominant


def test_a_conversion_that_gains_at_most_one_dollar_is_dominant():
    """convcaps-cash.toml with A's preference at $0 and its cash on conversion at $0.01 a share ($1 in
    all, still ahead of B's $100). Converted, A has E up to $1, then $1 while B is paid (to 101),
    then 1 + (E - 101)/4; kept, 0 up to 100 (B first), then (E - 100)/4. The gain: E (0 to 1), 1,
    1 - (E - 100)/4 on (100, 101) (down to 0.75), then 0.75 for good: never negative, at most $1.
    Kills conversion.x__dominance__mutmut_104 (`max(vals) > 1`: a gain of at most $1 not counted)."""
    model, an = variant(CASH, ('per_share = "0.5"', 'per_share = "0"'), ('cash_per_share = "1"', 'cash_per_share = "0.01"'))
    assert _conversion(model, an) == [(
        "conversion", "info", "proved",
        "Series A: converting pays at least as much as keeping the preferred at every exit value (4.D.1); "
        "the preference never matters", 44, "4.D.1; 4.C.2", {"unit": "A", "members": ["A"]})]


def test_a_dominant_unit_among_three_is_judged_with_the_others_as_they_choose():
    """convcaps-units.toml: units A, B, C in that order. Whatever B and C do, A's conversion pays its
    $1 of cash for its $0.50 of preference: kept, A has min(E', 50) + (E' - 50)/k of what the
    others leave it (E'), converted min(E', 100) + (E' - 100)/k (k the participating shares over
    A's), never less. The analysis: A converts everywhere, B above $2,600, C above $12,100.
    Judged with B and C as the analysis has them, A is dominant (line 36, its conversion 4.D.1, and
    its preference 4.C.2). With B treated as keeping where it converts, on (2,600, 12,100) (C keeps
    its $2,000 there), A's kept payout is after C's $2,000, B's $100 and its own $50: 50 +
    (E - 2,150)/4, against 100 + (E - 2,100)/5 converted with B converted: a gain of 167.5 - E/20,
    negative above $3,350; with B keeping and C converted, kept: 50 + (E - 150)/5, a gain of -340.
    Kills conversion.x__dominance__mutmut_15, 16 (the kept profile of a piece sliced `[i - 1:]`,
    `[i + 2:]`: B keeps, or B takes C's choice and C A's) and 117, 118 (the same at a breakpoint)."""
    model, an = analysed(str(UNITS))
    assert [(s.lo, s.hi, s.profile) for s in an.segments][-2:] == [
        (2600, 12100, (True, True, False)), (12100, None, (True, True, True))]
    assert _conversion(model, an) == [(
        "conversion", "info", "proved",
        "Series A: converting pays at least as much as keeping the preferred at every exit value (4.D.1); "
        "the preference never matters", 36, "4.D.1; 4.C.2", {"unit": "A", "members": ["A"]})]


def test_a_conversion_that_changes_nothing_among_three_units_is_not_dominant():
    """tests/charters/good/dominant_conversion.toml with A (1,000 shares, $0 preference) fully
    participating and converting 1:1, and a Series C added (100 shares, $1 preference, converts
    1:1): kept or converted, A takes 1,000 of the common-equivalent shares of what is left after the
    preferences that are kept, so converting gains it exactly 0 at every exit value, and nothing is
    reported. The others: C converts where (E - 2,000) x 100/3,100 beats its $100 (B's $2,000 kept),
    above $5,100; B where E x 500/3,600 beats its $2,000, above $14,400.
    With the converted profile sliced `[i - 1:]` (B takes C's choice, C takes A's: keeps), on
    (5,100, 14,400) A converted would have (E - 100) x 1,000/3,500 (B converted, C's $100 kept)
    against (E - 2,000) x 1,000/3,600 kept: more; above 14,400, (E - 100)/3.5 against E/3.6: more
    (from $114.29 - $28.57 at 14,400): "dominant".
    Kills conversion.x__dominance__mutmut_9."""
    extra = ('[[tiers]]\nid = "preferred"\nseries = ["A", "B"]',
             '[[series]]\nid = "C"\ndesignated = 100\noriginal_issue_price = "1"\nsource = "4.B"\n\n'
             '[series.preference]\nper_share = "1"\nsource = "4.B.2(a)(iii)"\n\n'
             '[series.conversion]\nprice = "1"\nsource = "4.B.4(a)"\n\n'
             '[[tiers]]\nid = "preferred"\nseries = ["A", "B", "C"]')
    model, an = variant(GOOD / "dominant_conversion.toml",
                        ('[series.conversion]\nprice = "0.5"',
                         '[series.participation]\nkind = "full"\nsource = "4.B.2(b)"\n\n[series.conversion]\nprice = "1"'),
                        ("authorized = 1500", "authorized = 1600"), extra)
    assert [(s.lo, s.hi, s.profile) for s in an.segments] == [
        (0, 2100, (False, False, False)), (2100, 5100, (False, False, False)), (5100, 14400, (False, False, True)),
        (14400, None, (False, True, True))]
    assert conversion.check(model, an) == []


def test_a_dominant_unit_beside_a_vote_carried_against_a_member():
    """convcaps-vote-cap.toml: units X, AZB (carried by A, line 100), Y. Preferences $2,990; the
    group converts above $3,190, X converts above $3,737.50 (where its $125 cap binds), Y above
    $220,000 (10 x E / 2,200 > $1,000). X, kept or converted, is paid the same until its cap binds
    and more above: dominant (its conversion 4.D.3, line 35; no preference clause).
    B, outvoted, keeps $1,000 until (E - 1,000) x 100/2,190 reaches it at $22,900: at $10,000 it
    receives 9,000 x 100/2,190 = 30,000/73 (about $410.96).
    At the breakpoint $3,737.50 (X keeps, the group converts, Y keeps), X's payoffs with the group
    wrongly kept in the converted profile: the $2,990 of preferences first, then 747.50 x 100/1,100
    (about $67.95), against its cap of $125 kept: a loss, so no longer dominant.
    Kills conversion.x__dominance__mutmut_111 and 112 (the converted profile at a breakpoint sliced
    `[i - 1:]`, `[i + 2:]`: the group takes Y's choice, keeps), and 9 (on the pieces)."""
    model, an = analysed(str(VOTE_CAP))
    assert an.points[F(7475, 2)].profile == (False, True, False)
    assert _conversion(model, an) == [
        ("conversion", "info", "proved",
         "Class vote AZB (4.D.2) is carried by Series A alone (900 of 1,090 shares): it decides the conversion of "
         "Series A, Z and B", 100, "4.D.2",
         {"vote": "AZB", "controller": "A", "controller_shares": 900, "group_shares": 1090}),
        ("conversion", "warning", "refuted",
         "Series B would have chosen otherwise than class vote AZB (4.D.2) for exit values from $3,190 to $22,900 "
         "(Series A carries the vote alone): at $10,000 the group converts and Series B receives about $410.96, "
         "against $1,000 had the group kept the preferred", 100, "4.D.2",
         {"vote": "AZB", "member": "B", "ranges": [["3190", "22900"]], "exit_value": "10000", "decision": "convert",
          "payout_as_decided": "30000/73", "payout_otherwise": "1000"}),
        ("conversion", "info", "proved",
         "Series X: converting pays at least as much as keeping the preferred at every exit value (4.D.3); "
         "the preference never matters", 35, "4.D.3", {"unit": "X", "members": ["X"]}),
    ]
