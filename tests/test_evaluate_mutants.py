"""Tests written for the mutation run over charterverify/evaluate.py (docs/testing.md): the
paths no seed takes, with payouts worked out by hand in exact Fractions.

The charter is tests/charters/properties/caps_fail.toml under reading first_cap_ends
("participation of all preferred ends when the first capped series reaches its cap"):
X 100 shares, Y 1,000 and Z 100, each $1 preference in one tier (T = $1,200), each
participating with a cap of $1.50, $3.00 and $4.00 per share (rooms above the preference:
$50, $2,000 and $300), common 1,000 shares; Y converts 1:1, X and Z cannot convert.
"""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path

import pytest

from charterverify.evaluate import Choice, evaluate_exit, waterfall
from charterverify.model import load_model, loads_model

CAPS = Path(__file__).resolve().parent / "charters" / "properties" / "caps_fail.toml"
NOBODY = Choice(frozenset(), frozenset())


@pytest.fixture(scope="module")
def caps():
    return load_model(CAPS)


@pytest.mark.parametrize("exit_value, expected", [
    # R = E - 1,200 after the tier; weight W = 100 + 1,000 + 100 + 1,000 = 2,200; the first cap
    # is X's, at level t = $50 / 100 = 1/2 per unit of weight, reached when R = t * W = 1,100.
    # E = 2,000: R = 800 <= 1,100, everyone pro rata: X 100 + 800 * 100/2,200 = 1,500/11 ...
    (2000, {"X": F(1500, 11), "Y": F(15000, 11), "Z": F(1500, 11), "common": F(4000, 11)}),
    # E = 2,300: R = 1,100 exactly, the first cap: X 100 + 50, Y 1,000 + 500, Z 100 + 50, common 500
    (2300, {"X": F(150), "Y": F(1500), "Z": F(150), "common": F(500)}),
    # E = 3,000: R = 1,800; every preferred stops at t = 1/2 per unit (X 50, Y 500, Z 50), the common
    # takes the rest, R - t * (W - 1,000) = 1,800 - 600 = 1,200 (Z's own cap, $300, is never reached)
    (3000, {"X": F(150), "Y": F(1500), "Z": F(150), "common": F(1200)}),
])
def test_first_cap_ends_participation_of_all_preferred(caps, exit_value, expected):
    """Kills mutants of evaluate._fill_first_cap_ends (no seed reads first_cap_ends) and of the
    first cap's level and common weight in evaluate.plan."""
    assert waterfall(caps, F(exit_value), NOBODY) == expected


def test_first_cap_ends_with_a_converted_series(caps):
    """Y converted: it leaves the tier (T = 200) and shares with the common after the first cap.
    E = 3,000: R = 2,800; W = 2,200, weight of the non-preferred 2,000 (Y as converted + common);
    X and Z stop at t = 1/2 (50 each), and the rest, 2,800 - 1/2 * 200 = 2,700, goes 1,000/2,000 to
    each of Y and the common: 1,350."""
    got = waterfall(caps, F(3000), Choice(frozenset({"Y"}), frozenset()))
    assert got == {"X": F(150), "Y": F(1350), "Z": F(150), "common": F(1350)}
    # Y does better held (1,500 above): the equilibrium keeps it
    r = evaluate_exit(caps, F(3000))
    assert (r.converted, r.payouts["Y"], r.payouts["common"]) == ((), F(1500), F(1200))


def test_first_cap_ends_without_a_cap_is_plain_pro_rata():
    """The same charter with full participation everywhere: no first cap (`first_cap is None`),
    R = 1,800 is shared pro rata by weight 2,200: X and Z 100 + 1,800 * 100/2,200 = 100 + 900/11,
    Y 1,000 + 9,000/11, the common 9,000/11."""
    text = CAPS.read_text()
    for cap in ("1.5", "3", "4"):
        old = f'kind = "capped"\ncap = "{cap}"'
        assert old in text
        text = text.replace(old, 'kind = "full"')
    m = loads_model(text, str(CAPS), CAPS.parent)
    got = waterfall(m, F(3000), NOBODY)
    assert got == {"X": F(2000, 11), "Y": F(20000, 11), "Z": F(2000, 11), "common": F(9000, 11)}


def _own_cap(caps_text: str):
    text = caps_text.replace('cap_dropout = "first_cap_ends"', 'cap_dropout = "own_cap"')
    assert "own_cap" in text
    return loads_model(text, str(CAPS), CAPS.parent)


@pytest.mark.parametrize("exit_value, expected", [
    # reading own_cap: each capped series stops at its own cap, the others keep sharing. Caps in
    # order of room per weight: X 50/100 = 1/2, Y 2,000/1,000 = 2, Z 300/100 = 3. X's cap is
    # reached at R = 1/2 * 2,200 = 1,100; Y's at 50 + 2 * 2,100 = 4,250; Z's at 2,050 + 3 * 1,100 = 5,350.
    # E = 2,000: R = 800 < 1,100: pro rata, as under first_cap_ends.
    (2000, {"X": F(1500, 11), "Y": F(15000, 11), "Z": F(1500, 11), "common": F(4000, 11)}),
    # E = 3,000: R = 1,800, between X's and Y's caps: X 50, the rest 1,750 over weight 2,100 (5/6 a
    # unit): Y 1,000 + 2,500/3, Z 100 + 250/3, common 2,500/3.
    (3000, {"X": F(150), "Y": F(5500, 3), "Z": F(550, 3), "common": F(2500, 3)}),
    # E = 5,450: R = 4,250, Y's cap exactly: Y 1,000 + 2,000; level 2 for Z (200) and common (2,000)
    (5450, {"X": F(150), "Y": F(3000), "Z": F(300), "common": F(2000)}),
    # E = 6,000: R = 4,800, between Y's and Z's caps: X 50 and Y 2,000 capped, the rest 2,750 over
    # weight 1,100 (5/2 a unit): Z 100 + 250, common 2,500 (Z's cap, the last step, not yet reached)
    (6000, {"X": F(150), "Y": F(3000), "Z": F(350), "common": F(2500)}),
    # E = 10,000: R = 8,800 past every cap: X 50, Y 2,000, Z 300 above their preferences, the
    # common the rest, 8,800 - 2,350 = 6,450.
    (10000, {"X": F(150), "Y": F(3000), "Z": F(400), "common": F(6450)}),
])
def test_own_cap_water_fill(exit_value, expected):
    """Kills mutants of evaluate._fill_own_cap and of the cap steps in evaluate.plan (the order of
    the caps, the money needed for each, the weight left open)."""
    assert waterfall(_own_cap(CAPS.read_text()), F(exit_value), NOBODY) == expected


def test_series_names_in_the_tier_labels():
    """The breakpoint explanation's tier label lists the series as a lawyer writes them
    ("Series A", "Series A and B", "Series A, B and C"): kills evaluate._names mutants."""
    from charterverify.evaluate import _names

    assert [_names(ids) for ids in (["A"], ["A", "B"], ["A", "B", "C"])] == [
        "Series A", "Series A and B", "Series A, B and C"]


def test_own_cap_breakpoints_name_the_cap_reached():
    """The breakpoint sweep runs the same waterfall on affine numbers; its causes are the labels
    `_fill_own_cap` gives each comparison (kills the label dropped, inverted or given to None).
    By hand: the tier is filled at E = 1,200; X's cap at R = 1,100 (E = 2,300), Y's at 4,250
    (E = 5,450), Z's at 5,350 (E = 6,550), where Y also converts: converted, Y gets 1,000/2,100
    of R - 50 until Z's cap, 1,000 * 6,300 / 2,100 = 3,000 at E = 6,550, its capped amount."""
    from charterverify.solver.breakpoints import analyze

    a = analyze(_own_cap(CAPS.read_text()))
    assert [(b.x, b.causes) for b in a.breakpoints] == [
        (1200, ["Series X, Y and Z preference filled (4.B.2(a))"]),
        (2300, ["Series X reaches its cap of $1.5 per share (4.B.2(b))"]),
        (5450, ["Series Y reaches its cap of $3 per share (4.B.2(b))"]),
        (6550, ["Series Z reaches its cap of $4 per share (4.B.2(b))", "Series Y converts (4.B.4)"]),
    ]
    assert a.breakpoints[3].at.payouts == {"X": 150, "Y": 3000, "Z": 400, "common": 3000}


def test_equilibria_on_the_affine_numbers_of_the_sweep(caps):
    """`equilibria` on the breakpoint sweep's affine exit value (not the fast-rational branch).
    Just above E = 3,000 nobody converts: X and Z 150, Y 1,500 (held at the first cap), the common
    1,200 and every further dollar (slope 1). Just above E = 3,300 Y converts: converted it shares
    E - 300 (X's and Z's 150 each) half and half with the common, 1,500 + E'/2 each, where held it
    stays at 1,500; at E = 3,300 exactly it is indifferent and keeps.
    Kills the affine branch's `waterfall(model, exit_value, choice_of(units, profile))` mutants."""
    from charterverify.affine import variable
    from charterverify.evaluate import equilibria

    def forms(E):
        return [(pr, {h: (v.v, v.s) for h, v in pay.items()}) for pr, pay in equilibria(caps, variable(F(E), 1))]

    assert forms(3000) == [((False,), {"X": (150, 0), "Y": (1500, 0), "Z": (150, 0), "common": (1200, 1)})]
    assert forms(3300) == [((True,), {"X": (150, 0), "Y": (1500, F(1, 2)), "Z": (150, 0),
                                      "common": (1500, F(1, 2))})]
    assert equilibria(caps, F(3300)) == [((False,), {"X": 150, "Y": 1500, "Z": 150, "common": 1500})]


def test_the_direct_evaluator_refuses_too_many_units(caps, monkeypatch):
    """caps_fail.toml has one deciding unit (Y). With the limit at 1 it is enumerated; at 0 it is
    refused with the message naming the solver. Kills `> MAX_DIRECT_UNITS` -> `>=` and the message."""
    import charterverify.evaluate as ev

    monkeypatch.setattr(ev, "MAX_DIRECT_UNITS", 1)
    assert [pr for pr, _ in ev.equilibria(caps, F(3000))] == [(False,)]
    monkeypatch.setattr(ev, "MAX_DIRECT_UNITS", 0)
    with pytest.raises(ValueError) as e:
        ev.equilibria(caps, F(3000))
    assert str(e.value) == "the direct evaluator enumerates profiles; 1 units is too many (use the solver)"


# "The greater of" with capped participation, under own_cap, two capped series: the cap rooms move
# with the exit value, so the fill's steps are worked out in `run` (`evaluate._cap_steps`).
# A and B 100 shares each, $1 preference, 1:1, in one tier; A capped at $4 a share (400 in all),
# B at $2 (200); each takes the greater of that and its share had every preferred share
# converted (100 of 300 shares: E / 3); common 100.
GREATER_TWO_CAPS = """format = 1
[charter]
id = "greater-two-caps"
[[series]]
id = "A"
designated = 100
original_issue_price = "1"
source = "x"
[series.preference]
source = "x"
greater_of_as_converted = true
[series.participation]
kind = "capped"
cap = "4"
source = "x"
[series.conversion]
price = "1"
source = "x"
[[series]]
id = "B"
designated = 100
original_issue_price = "1"
source = "x"
[series.preference]
source = "x"
greater_of_as_converted = true
[series.participation]
kind = "capped"
cap = "2"
source = "x"
[series.conversion]
price = "1"
source = "x"
[[tiers]]
id = "t"
series = ["A", "B"]
source = "x"
[captable]
common_outstanding = 100
[readings]
cap_dropout = "own_cap"
"""


def test_greater_of_with_two_caps_fills_the_lower_room_first():
    """E = 900: preferences 200, R = 700, weights 100 each (W = 300). E / 3 = 300: A's room
    max(400, 300) - 100 = 300 (3 a share), B's max(200, 300) - 100 = 200 (2 a share). B's cap is
    reached first, at level 2 (600 of R): B 100 + 200 = 300; the other 100 goes to A and the common
    at 1/2 a share: level 2.5, A 100 + 250 = 350, common 250. Neither converts: converted, B would
    get 800 x 100/300 = 266.67 (A's step then needs 900 > 800), A (800 - 600) / 2 + 200 = 300.
    Kills `_cap_steps`' order (no key, `room * w`, `room / room`, the flag for the room) and its
    level (`t = flag / w`, `t = 1`), `spent - t * W`, `t / W`: read in index order A's step comes
    first, needs 900 > 700, and everyone would share 700 / 300 a share."""
    model = loads_model(GREATER_TWO_CAPS, "<greater-two-caps>")
    assert model.readings.cap_dropout == "own_cap"
    r = evaluate_exit(model, F(900))
    assert (r.converted, r.payouts) == ((), {"A": F(350), "B": F(300), "common": F(250)})


# ------------------------------------------------------------------ the full run (docs/testing.md,
# "evaluate.py, full run"): the paths its survivors showed no test took

EVAL = Path(__file__).resolve().parent / "charters" / "evaluate"


def test_a_game_without_a_pure_equilibrium_reports_nobody_acting():
    """tests/charters/evaluate/no_equilibrium.toml at E = 13 (A 10 shares and D 1 share, $1 each,
    pari passu; D "the greater of", 1:1; 1 common share; a pool of 1 option at $0):
    - nobody acts: every as-converted share is D's 1 and the common's 1, so D's alternative is
      13 / 2 = 6.5 > $1; the tier needs 10 + 6.5 = 16.5 > 13 and the 13 is shared by the fixed
      preferences 10 : 1: A 130/11, D 13/11, the common and the pool 0;
    - D converts (pool out): A 10, the other 3 shared by D and the common, 3/2 each > 13/11;
    - the pool exercises (pays $0 in) beside converted D: 3 over 3 shares, 1 each > 0;
    - D goes back to holding (pool in): its alternative 13 / 3 > 1, the tier short again:
      13/11 > 1;
    - the pool leaves (D holding): it gets 0 either way, and a tie leaves an option unexercised.
    So no profile is an equilibrium: the result is the profile where nobody acts, with 0
    equilibria. Kills evaluate_exit 31-44, its fallback (`profile = None`, `tuple(None)`, every
    unit acting, `pay = None`, `waterfall(None | E missing | choice missing ...)`, `choice_of(None |
    ...)`), and make_result 16 (`unique_payouts` False when there is no equilibrium)."""
    model = load_model(EVAL / "no_equilibrium.toml")
    from charterverify.evaluate import equilibria

    assert equilibria(model, F(13)) == []
    r = evaluate_exit(model, 13)
    assert (r.equilibria, r.converted, r.exercised, r.all_equilibria, r.unique_payouts) == (0, (), (), (), True)
    assert r.payouts == {"A": F(130, 11), "D": F(13, 11), "common": 0, "pool": 0}
    assert r.to_json()["equilibria"] == 0 and r.to_json()["payouts"]["D"] == "13/11"


@pytest.mark.parametrize("exit_value, expected", [
    # A 1 share, $1 preference, capped at $3 (room 2); 1 common share; own_cap. Weight W = 1 + 1 = 2;
    # A's cap is reached at level 2 / 1 = 2 a share, R = 2 x 2 = 4 (E = 5).
    # E = 3: R = 2 < 4, level 1: A 1 + 1 = 2, the common 1
    (3, {"A": F(2), "common": F(1)}),
    # E = 7: R = 6 > 4: A stops at 1 + 2 = 3; the common, the only open weight (1), takes 6 - 2 = 4
    (7, {"A": F(3), "common": F(4)}),
])
@pytest.mark.parametrize("reading", ["own_cap", "first_cap_ends"])
def test_own_cap_with_holders_of_one_share(reading, exit_value, expected):
    """A weight of exactly one share counts: kills `p[1] > 0` -> `p[1] > 1` in `plan`'s own-cap
    weight and cap order and in its first cap (plan 156, 166, 181, 224; 154 and 164, `p[2] > 0`,
    too), and `w == 0` -> `w == 1` in `_fill_own_cap` (32: the one-share common paid nothing). Under first_cap_ends the same payouts: A's cap is the only one
    (first cap at level 2: R = 6 leaves 6 - 2 x 1 = 4 to the common)."""
    text = (EVAL / "one_share_own_cap.toml").read_text().replace('"own_cap"', f'"{reading}"')
    model = loads_model(text, "one_share", EVAL)
    assert model.readings.cap_dropout == reading
    assert waterfall(model, F(exit_value), NOBODY) == expected


@pytest.mark.parametrize("reading", ["own_cap", "first_cap_ends"])
def test_a_cap_at_the_preference_leaves_no_participation(reading):
    """one_share_own_cap.toml with A's cap lowered to its $1 preference: no room (0) above it. E = 3:
    A 1; under own_cap A's step is at level 0, so A is capped at once and the common, the only open
    weight, takes the other 2; under first_cap_ends the first cap is at level 0 and the common
    takes R - 0 = 2. Kills `p[2] > 0` for `p[1] > 0` in `plan`'s own-cap steps and first cap (plan
    179, 222: a room of 0 left out, A would share the 2 half and half)."""
    text = (EVAL / "one_share_own_cap.toml").read_text().replace('"own_cap"', f'"{reading}"')
    assert 'cap = "3"' in text
    model = loads_model(text.replace('cap = "3"', 'cap = "1"'), "cap_at_preference", EVAL)
    assert waterfall(model, F(3), NOBODY) == {"A": F(1), "common": F(2)}


def test_greater_of_own_cap_orders_the_caps_by_room_per_share():
    """tests/charters/evaluate/greater_own_cap.toml at E = 400 (A 100 shares capped at $2, B 1 share
    capped at $2.50, both $1 and "the greater of", 1:1; 100 common). Preferences 101, R = 299.
    As-converted shares 201: A's alternative 400 x 100/201 < $200 and B's 400/201 < $2.50, so the
    rooms are the caps: A 100 (1 a share), B 1.5 (1.5 a share). In order of room per share: A's
    cap at R = 1 x 201 = 201 <= 299 (A 200, spent 100, open weight 101); B's at 100 + 1.5 x 101 =
    251.5 <= 299 (B 2.5, spent 101.5, open weight 100); the common takes 299 - 101.5 = 197.5.
    Neither converts (A converted: 795/4 < 200; B: 200/101 < 5/2).
    Kills `_cap_steps` 17, the `room * weight` order (B's step first needs 1.5 x 201 = 301.5 > 299, and
    all would share 299 / 201 a share) and 10, `p[1] > 1` (B, a one-share holder, left out
    of the steps would share at 199/101 a share, past its cap)."""
    model = load_model(EVAL / "greater_own_cap.toml")
    r = evaluate_exit(model, 400)
    assert (r.converted, r.payouts) == ((), {"A": F(200), "B": F(5, 2), "common": F(395, 2)})


def test_greater_of_own_cap_with_no_room_above_the_preference():
    """tests/charters/evaluate/greater_cap_at_preference.toml at E = 3/2 (C 1 share, $1, capped at
    $1, "the greater of", 1:1; 1 common share). C's alternative 3/2 x 1/2 = 3/4 < $1, so it takes
    its $1 preference, and its room is max(1, 3/4) - 1 = 0: it is capped at once (a step at level
    0) and the common takes the other 1/2. C converted would get 3/4 < 1: it holds.
    Kills `_cap_steps` 8, `p[2] > 0` for `p[1] > 0` (a room of 0 left out of the steps: C would
    share the 1/2 half and half)."""
    model = load_model(EVAL / "greater_cap_at_preference.toml")
    r = evaluate_exit(model, F(3, 2))
    assert (r.converted, r.payouts) == ((), {"C": F(1), "common": F(1, 2)})
    # under first_cap_ends the same: C's cap, at level 0, is the first, and ends its participation
    # (kills run 178 and 180, `p[2] > 0` and `p[1] > 1` in the moving rooms' `capped`: C left out, no cap
    # at all, and the 1/2 shared pro rata)
    r = evaluate_exit(_first_cap_ends(EVAL / "greater_cap_at_preference.toml"), F(3, 2))
    assert (r.converted, r.payouts) == ((), {"C": F(1), "common": F(1, 2)})


def test_greater_of_own_cap_breakpoints_name_each_cause():
    """The breakpoint sweep on tests/charters/evaluate/greater_own_cap.toml (the numbers of the test
    above): preferences filled at E = 101; A's cap at R = 201 (E = 302); B's at R = 100 + 1.5 x 101
    = 251.5 (E = 352.5); A's as-converted share E x 100/201 passes its $200 cap at E = 402, B's
    E/201 its $2.50 at E = 502.5 (each then takes its as-converted share). And on
    greater_cap_at_preference.toml: C's $1 filled and its cap (no room) reached at E = 1, its
    as-converted share E/2 passes $1 at E = 2.
    Kills the labels given to the sweep's comparisons: `run`'s `_why(label, v)` of the moving
    rooms, `plan`'s `part_labels` and the wording of `_Static.cap_label` / `greater_label` (2, 3,
    5). (`_cap_steps`' own `_why(labels[i], t)`, 24-28, is equivalent: `_fill_own_cap` sets the same
    label before the next comparison.)"""
    from charterverify.solver.breakpoints import analyze

    a = analyze(load_model(EVAL / "greater_own_cap.toml"))
    assert [(b.x, b.causes, b.at.payouts) for b in a.breakpoints] == [
        (101, ["Series A and B preference filled (4.B.2(a))"], {"A": 100, "B": 1, "common": 0}),
        (302, ["Series A reaches its cap of $2 per share (4.B.2(b))"], {"A": 200, "B": 2, "common": 100}),
        (F(705, 2), ["Series B reaches its cap of $2.5 per share (4.B.2(b))"],
         {"A": 200, "B": F(5, 2), "common": 150}),
        (402, ["Series A as-converted amount exceeds its preference (4.B.2(a), the greater of)"],
         {"A": 200, "B": F(5, 2), "common": F(399, 2)}),
        (F(1005, 2), ["Series B as-converted amount exceeds its preference (4.B.2(a), the greater of)"],
         {"A": 250, "B": F(5, 2), "common": 250}),
    ]
    c = analyze(load_model(EVAL / "greater_cap_at_preference.toml"))
    assert [(b.x, b.causes) for b in c.breakpoints] == [
        (1, ["Series C preference filled (4.B.2(a))", "Series C reaches its cap of $1 per share (4.B.2(b))"]),
        (2, ["Series C as-converted amount exceeds its preference (4.B.2(a), the greater of)"]),
    ]


def test_a_pool_buying_a_greater_of_series_is_named_with_its_series():
    """tests/charters/evaluate/greater_pool.toml: D 10 shares, $1, "the greater of", 1:1; 10 common;
    a pool of 10 options at $0.10 buying D. Exercised, the pool pays $1 in and its 10 shares stand in
    D's tier: below the $20 of preferences it gets (E + 1) / 2 - 1 > 0 from E = 1 on (it exercises);
    the tier is filled at E + 1 = 20 (E = 19: D 10, the pool 10 - 1 = 9); 30 shares as converted, so
    each D share's and each pool share's alternative (E + 1) / 30 passes $1 at E = 29 (D 10, the
    common 10, the pool 9), both named. Kills `_Static.greater_label` 4, its holder test (`... or
    True`: the pool named "Series D")."""
    from charterverify.solver.breakpoints import analyze

    a = analyze(load_model(EVAL / "greater_pool.toml"))
    assert [(b.x, b.causes, b.at.payouts) for b in a.breakpoints] == [
        (1, ["option pool pool is exercised"], {"D": 1, "common": 0, "pool": 0}),
        (19, ["Series D preference filled (4.B.2(a))"], {"D": 10, "common": 0, "pool": 9}),
        (29, ["Series D as-converted amount exceeds its preference (4.B.2(a), the greater of)",
              "pool (Series D) as-converted amount exceeds its preference (4.B.2(a), the greater of)"],
         {"D": 10, "common": 10, "pool": 9}),
    ]


def _first_cap_ends(path: Path):
    text = path.read_text().replace('cap_dropout = "own_cap"', 'cap_dropout = "first_cap_ends"')
    assert "first_cap_ends" in text
    return loads_model(text, str(path), path.parent)


@pytest.mark.parametrize("listed_first", ["A", "B"])
@pytest.mark.parametrize("exit_value, expected", [
    # A 100 shares capped at $2 (room 1 a share), B 1 share capped at $2.50 (1.5 a share), "the
    # greater of" (the alternatives E x 100/201 and E/201 stay below the caps here), 100 common;
    # first_cap_ends: every preferred stops at the lowest level, A's t = 1, reached at R = 1 x 201.
    # E = 300: R = 199 < 201, all pro rata over 201: A 100 + 19,900/201, B 1 + 199/201, common 19,900/201
    (300, {"A": 100 + F(19900, 201), "B": 1 + F(199, 201), "common": F(19900, 201)}),
    # E = 400: R = 299 > 201: A 100 + 100, B 1 + 1; the common the rest, 299 - 1 x 101 = 198
    (400, {"A": F(200), "B": F(2), "common": F(198)}),
])
def test_greater_of_first_cap_ends_takes_the_lowest_cap(listed_first, exit_value, expected):
    """The lowest cap level is found whichever series is listed first: greater_own_cap.toml read
    under first_cap_ends (A listed first: kills `t = capped[1]`, which starts from B's 1.5) and
    greater_first_cap.toml (B first: kills `capped[2:]`, which never looks at A's): run 183, 184.
    Also kills `first = None`, the common weight (`p[2]`, `if p[3]`) and the rest of run 171-210
    but 179, 181, 185 and 191 (equivalent, docs/testing.md)."""
    model = (_first_cap_ends(EVAL / "greater_own_cap.toml") if listed_first == "A"
             else load_model(EVAL / "greater_first_cap.toml"))
    assert model.series[0].id == listed_first
    r = evaluate_exit(model, exit_value)
    assert (r.converted, r.payouts) == ((), expected)


def test_greater_of_first_cap_ends_breakpoints():
    """greater_first_cap.toml (numbers above): preferences filled at E = 101 (the series named in the
    charter's order, B first); the first cap, A's, at R = 201 (E = 302); A's as-converted share
    E x 100/201 passes its $200 at E = 402 (B's E/201 passes $2.50 only at E = 502.5, where both
    levels move together: no kink). Kills `run`'s `_why(pl.first_cap_label, R)` mutants on the
    path of moving rooms."""
    from charterverify.solver.breakpoints import analyze

    a = analyze(load_model(EVAL / "greater_first_cap.toml"))
    assert [(b.x, b.causes, b.at.payouts) for b in a.breakpoints] == [
        (101, ["Series B and A preference filled (4.B.2(a))"], {"B": 1, "A": 100, "common": 0}),
        (302, ["first cap reached: preferred participation ends (4.B.2(b), reading first_cap_ends)"],
         {"B": 2, "A": 200, "common": 100}),
        (402, ["Series A as-converted amount exceeds its preference (4.B.2(a), the greater of)"],
         {"B": 2, "A": 200, "common": 200}),
    ]


def test_a_pool_buying_a_capped_series_is_named_with_its_series():
    """tests/charters/evaluate/capped_pool.toml: P 10 shares, $1, capped at $2, no conversion; 10
    common; a pool of 10 options at $0.10 buying P; own_cap. Exercised, the pool pays $1 in and its
    10 shares stand beside P's: it gets (E + 1) / 2 - 1 > 0 below the $20 of preferences, from E = 1
    on; the tier is filled at E + 1 = 20 (E = 19: P 10, the pool 9); then P, the pool and the common
    (30 shares) share pro rata until P's and the pool's $1 a share of room is used, at R = 30 (E + 1
    - 20 = 30, E = 49: P 20, the pool 20 - 1 = 19, the common 10), both caps named. Kills
    `_Static.cap_label` 6, its holder test (`... or True`: the pool named "Series P")."""
    from charterverify.solver.breakpoints import analyze

    a = analyze(load_model(EVAL / "capped_pool.toml"))
    assert [(b.x, b.causes, b.at.payouts) for b in a.breakpoints] == [
        (1, ["option pool pool is exercised"], {"P": 1, "common": 0, "pool": 0}),
        (19, ["Series P preference filled (4.B.2(a))"], {"P": 10, "common": 0, "pool": 9}),
        (49, ["Series P reaches its cap of $2 per share (4.B.2(b))",
              "pool (Series P) reaches its cap of $2 per share (4.B.2(b))"], {"P": 20, "common": 10, "pool": 19}),
    ]


def test_equilibria_leave_the_evaluator_as_fractions():
    """`equilibria` runs exact exit values in gmpy2's fast rationals (charterverify/rational.py) and
    hands back `Fraction`s, as its signature and rational.py promise (exact money is a Fraction).
    caps_fail.toml at E = 3,000 (worked out in test_first_cap_ends_participation_of_all_preferred):
    X 150, Y 1,500, Z 150, the common 1,200. Kills equilibria 89, `isinstance(v, FAST) and False`
    (the fast rationals left unconverted: equal in value, another type)."""
    from charterverify.evaluate import equilibria

    [(profile, pay)] = equilibria(load_model(CAPS), F(3000))
    assert profile == (False,) and pay == {"X": 150, "Y": 1500, "Z": 150, "common": 1200}
    assert {type(v) for v in pay.values()} == {F}


def test_cash_on_conversion_is_named_when_covered():
    """tests/charters/evaluate/cash_on_conversion.toml: B 100 shares, $1, senior, no conversion; A 10
    shares, $1, junior, converts 1:1 with $5 a share in cash, paid before the preferences (the
    default reading); 10 common. Held, A gets nothing below E = 100 (B takes it all); converted it
    takes the proceeds as its cash, so it converts, and its $50 is covered at E = 50 (A 50); B's $100
    is filled at E = 150 (B 100, A 50). Kills `_Static.__init__` 24 (`cash_label = None`: the cause
    left blank)."""
    from charterverify.solver.breakpoints import analyze

    a = analyze(load_model(EVAL / "cash_on_conversion.toml"))
    assert [(b.x, b.causes, b.at.payouts) for b in a.breakpoints] == [
        (50, ["cash paid on conversion covered in full (4.B.4(c))"], {"B": 0, "A": 50, "common": 0}),
        (150, ["Series B preference filled (4.B.2(a))"], {"B": 100, "A": 50, "common": 0}),
    ]


def test_each_tier_and_a_tier_cap_are_named():
    """tests/charters/evaluate/three_tiers.toml: S, J and K, 100 shares and $1 each, in three tiers,
    the senior one capped at $50 in all; 100 common. S takes the first $50 (its tier's cap, reached
    at E = 50); J's $100 is filled at E = 150 and K's at E = 250; the common takes the rest. Kills
    `_Static.tier_label` 1 (`key = None`: the senior tier's label given to every tier) and `plan`
    78, 79, 81 (the tier cap's label dropped or given only to tiers without a cap)."""
    from charterverify.solver.breakpoints import analyze

    a = analyze(load_model(EVAL / "three_tiers.toml"))
    assert [(b.x, b.causes, b.at.payouts) for b in a.breakpoints] == [
        (50, ["aggregate cap of tier senior reached (4.B.2(a))"], {"S": 50, "J": 0, "K": 0, "common": 0}),
        (150, ["Series J preference filled (4.B.2(b))"], {"S": 50, "J": 100, "K": 0, "common": 0}),
        (250, ["Series K preference filled (4.B.2(c))"], {"S": 50, "J": 100, "K": 100, "common": 0}),
    ]


def test_catch_up_to_a_single_common_share():
    """one_share_own_cap.toml with a catch-up of $2 per common share: at E = 5, A's $1 preference, then
    the one common share's $2 catch-up, then the other 2 shared by A and the common (weight 1
    each, A's cap at level 2 not reached): A 1 + 1 = 2, the common 2 + 1 = 3. Kills `plan` 117
    (`if Wc != 1`: a common-class weight of exactly one share would skip the catch-up, A 3 and the
    common 2)."""
    text = (EVAL / "one_share_own_cap.toml").read_text() + '\n[catch_up]\nper_share = "2"\nsource = "4.B.2(c)"\n'
    model = loads_model(text, "catch_up", EVAL)
    assert waterfall(model, F(5), NOBODY) == {"A": F(2), "common": F(3)}


def test_transaction_costs_covered_is_a_named_breakpoint():
    """tests/charters/properties/pool_costs.toml: A 100 shares, $1 preference; 100 common; a pool of
    100 options at $2; $50 of transaction costs. Below E = 50 the costs take everything (the pool's
    strike cannot be reached, so no exercise cash); at E = 50 the costs are covered and A's
    preference starts filling, full at E = 50 + 100 = 150; the common then takes (E - 150) / 100 a
    share, which passes the $2 strike at E = 350, where the pool exercises.
    Kills `plan` 240, 278 and 279 (the costs' label given as None or reworded: the first breakpoint
    would carry no cause, or another text)."""
    from charterverify.solver.breakpoints import analyze

    a = analyze(load_model(CAPS.parent / "pool_costs.toml"))
    assert [(b.x, b.causes) for b in a.breakpoints] == [
        (50, ["transaction costs covered (scenario)"]),
        (150, ["Series A preference filled (4.B.1)"]),
        (350, ["option pool pool is exercised"]),
    ]


def test_the_carve_out_funded_in_full_is_a_named_breakpoint():
    """tests/charters/evaluate/carve_out.toml: a carve-out of $9 plus 10 % of the proceeds N, paid
    first. It takes everything while N < 9 + N/10, i.e. up to N = 10, where it is funded in full
    ($10); A's $100 preference is then filled from N - (9 + N/10) = 9N/10 - 9, full at
    N = 1,090/9. Just below, at E = 5, the carve-out takes all $5; at E = 100 it takes $9 + $10 = $19, A the other $81.
    Kills `run` 25-30 (the carve-out's label given as None, to no number, or reworded: the first
    breakpoint would name nothing, or another text)."""
    from charterverify.evaluate import CARVE_OUT
    from charterverify.solver.breakpoints import analyze

    model = load_model(CAPS.parent.parent / "evaluate" / "carve_out.toml")
    a = analyze(model)
    assert [(b.x, b.causes) for b in a.breakpoints] == [
        (10, ["management carve-out funded in full (scenario)"]),
        (F(1090, 9), ["Series A preference filled (4.B.1)"]),
    ]
    assert waterfall(model, F(5), NOBODY)[CARVE_OUT] == 5
    pay = waterfall(model, F(100), NOBODY)
    assert (pay[CARVE_OUT], pay["A"], pay["common"]) == (19, 81, 0)


def _catch_up_charter(extra: str = ""):
    """carve_out.toml without its carve-out, A fully participating, a catch-up of $2 per common share,
    and `extra` TOML before the catch-up."""
    text = (EVAL / "carve_out.toml").read_text().split("[scenario]")[0] + extra + (
        '[catch_up]\nper_share = "2"\nsource = "4.B.2(c)"\n')
    text = text.replace('[[tiers]]', '[series.participation]\nkind = "full"\nsource = "4.B.2(b)"\n\n[[tiers]]')
    return loads_model(text, "catch_up", EVAL)


def test_the_catch_up_paid_in_full_is_a_named_breakpoint():
    """carve_out.toml without its carve-out, A fully participating, and a catch-up of $2 per common
    share: A's $100 preference is filled at E = 100; the 100 common shares' $200 catch-up at
    E = 300; above, A and the common share the rest 100 : 100 (at E = 400: A 100 + 50, the common
    200 + 50). Kills `run` 110-113 (the catch-up's label given as None, to no number, or dropped)."""
    from charterverify.solver.breakpoints import analyze

    model = _catch_up_charter()
    a = analyze(model)
    assert [(b.x, b.causes) for b in a.breakpoints] == [
        (100, ["Series A preference filled (4.B.1)"]),
        (300, ["catch-up to common paid in full (4.B.2(c))"]),
    ]
    assert waterfall(model, F(400), NOBODY) == {"A": F(150), "common": F(250)}


def test_a_tier_of_two_series_names_them_in_the_charters_order():
    """three_tiers.toml with S and J in one tier (no cap) ahead of K: S is stated first, so the tier is
    "Series S and J", not the alphabetical "J and S". S and J are owed $100 each, filled together
    at E = 200; K's $100 at E = 300. Kills `_Static.tier_label` 6 and 8 (the names sorted
    alphabetically)."""
    from charterverify.solver.breakpoints import analyze

    text = (EVAL / "three_tiers.toml").read_text()
    text = text.replace('series = ["S"]\ncap = "50"', 'series = ["S", "J"]').replace(
        '[[tiers]]\nid = "middle"\nseries = ["J"]\nsource = "4.B.2(b)"\n\n', "")
    a = analyze(loads_model(text, "two_in_a_tier", EVAL))
    assert [(b.x, b.causes) for b in a.breakpoints] == [
        (200, ["Series S and J preference filled (4.B.2(a))"]),
        (300, ["Series K preference filled (4.B.2(c))"]),
    ]


def test_the_first_cap_under_first_cap_ends_is_a_named_breakpoint(caps):
    """caps_fail.toml (the numbers at the top of this file): the tier's $1,200 is filled at
    E = 1,200; X's cap, the first, is reached at R = 1,100 (E = 2,300), where every preferred's
    participation ends; Y converts above E = 3,300 (converted, the tier owes $200 and R = E - 200 is
    shared by weight 2,200 with X's cap first at level 1/2, so Y, 1,000 of the 2,000 common-like
    units, gets (E - 200 - 100) / 2 = 1,500 at E = 3,300, what it keeps as preferred: $1,000 + $500).
    Kills `run` 223-226 (the first cap's label dropped or given to no number)."""
    from charterverify.solver.breakpoints import analyze

    assert [(b.x, b.causes) for b in analyze(caps).breakpoints] == [
        (1200, ["Series X, Y and Z preference filled (4.B.2(a))"]),
        (2300, ["first cap reached: preferred participation ends (4.B.2(b), reading first_cap_ends)"]),
        (3300, ["Series Y converts (4.B.4)"]),
    ]


def test_a_catch_up_shared_by_two_holders_of_common():
    """The catch-up charter of the test above with a pool of 100 options at $1 buying common,
    exercised: at E = 500 the proceeds are 600; A's $100; the catch-up, $2 on each of the 200 common
    shares ($400), half to the common and half to the pool; the other $100 shared by A, the common
    and the pool 100 : 100 : 100. A 100 + 100/3, the common 200 + 100/3, the pool 200 + 100/3 less
    its $100 exercise price. Kills `run` 121 (`paid / (w / Wc)`: the same as `paid * (w / Wc)` only
    when one holder takes the whole catch-up)."""
    model = _catch_up_charter('[[captable.options]]\nid = "pool"\ncount = 100\nexercise_price = "1"\nbuys = "common"\n\n')
    got = waterfall(model, F(500), Choice(frozenset(), frozenset({"pool"})))
    assert got == {"A": F(400, 3), "common": F(700, 3), "pool": F(400, 3)}


def test_a_single_common_share_takes_the_residual():
    """carve_out.toml without its carve-out and with one common share: at E = 150 A's $100
    preference, then the one share takes the other $50. Kills `run` 212 (`elif pl.weight == 1`:
    a residual weight of exactly one share would be paid nothing)."""
    text = (EVAL / "carve_out.toml").read_text().split("[scenario]")[0].replace(
        "common_outstanding = 100", "common_outstanding = 1")
    model = loads_model(text, "one_common_share", EVAL)
    assert waterfall(model, F(150), NOBODY) == {"A": F(100), "common": F(50)}


SHORTFALL_BY_SHARES = """
format = 1

[charter]
id = "shortfall-by-shares"
name = "Shortfall By Shares, Inc."

[[series]]
id = "A"
designated = 100
original_issue_price = "1"
source = "4.B"

[series.preference]
source = "4.B.1"

[[series]]
id = "B"
designated = 100
original_issue_price = "3"
source = "4.B"

[series.preference]
source = "4.B.1"

[[tiers]]
id = "preferred"
series = ["A", "B"]
shortfall = "shares"
source = "4.B.1"

[captable]
common_outstanding = 100
"""


def test_a_shortfall_shared_by_shares_held():
    """A, 100 shares at $1, and B, 100 shares at $3, in one tier whose shortfall is shared by the
    number of shares held: at E = 100, short of the $400 owed, each gets 100 x 100/200 = $50 (by
    preference it would be $25 and $75). Kills `_basis` 8 (the share count replaced by nothing)."""
    model = loads_model(SHORTFALL_BY_SHARES, "shortfall_by_shares", EVAL)
    assert waterfall(model, F(100), NOBODY) == {"A": F(50), "B": F(50), "common": F(0)}


def test_greater_of_with_dividends_above_the_cap_takes_no_negative_room():
    """greater_cap_at_preference.toml (C, 1 share, $1 preference, "the greater of", capped at $1 a
    share, own_cap; 1 common share) with $1 of declared dividends: C is owed $2, above its $1 cap.
    At E = 3 the tier pays C $2; C's as-converted half of the $3 is $1.50, under what it is owed,
    so its room above the preference is 0 (max($1.50, $1) - $2 < 0), and the common takes the
    other $1. Kills `run` 144 (a negative room kept: C would give back $0.50 to the common)."""
    text = (EVAL / "greater_cap_at_preference.toml").read_text() + '\n[captable.dividends]\nC = "1"\n'
    model = loads_model(text, "greater_dividends", EVAL)
    assert waterfall(model, F(3), NOBODY) == {"C": F(2), "common": F(1)}
    # and far above, C takes its as-converted half: $5 of $10
    assert waterfall(model, F(10), NOBODY) == {"C": F(5), "common": F(5)}
