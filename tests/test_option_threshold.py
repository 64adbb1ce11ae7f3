"""Option pools resolved by threshold (charterverify/options.py) against the 2^n game encoding.

Small random charters with 1-4 option pools of common at random strikes (some equal, some zero),
drawn from the feature-rich strategy of `strategies.py` with what the threshold does not cover
removed (a carve-out percentage, a "greater of" preference, a conversion vote: there the pools stay
game units, `options.why_not`). The old encoding stays reachable through `options.GAME_POOLS`: every
pool a unit of the game, all 2^units profiles enumerated with `game.is_equilibrium` and
`evaluate.waterfall` (here, independently of the evaluator's code). At random exits and at every
breakpoint and event point of either map, the equilibrium sets (full profiles, pools included) and
every equilibrium's payouts must be equal.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import product

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import charterverify.options as options
from charterverify.evaluate import choice_of, equilibria, evaluate_exit, waterfall
from charterverify.game import is_equilibrium, profile_key
from charterverify.model import loads_model
from charterverify.rational import to_fraction
from charterverify.tables import Tables

from strategies import charter_spec, exit_values, fmt_decimal, spec_to_toml

F = Fraction


@st.composite
def option_charters(draw):
    spec = draw(charter_spec())
    spec["scenario"].pop("carve_out_percent", None)
    spec["conv_vote"] = None
    spec["readings"].pop("votes_in_sale", None)
    for s in spec["series"]:
        s.pop("greater_of", None)
    # at most 4 series units besides the pools keep the brute force fast
    units = {s["id"] for s in spec["series"] if "conversion" in s}
    if spec["vote"]:
        units -= set(spec["vote"]["series"][1:])
    while len(units) > 3:
        sid = sorted(units)[-1]
        units.discard(sid)
        for s in spec["series"]:
            if s["id"] == sid:
                s.pop("conversion", None)
                s.pop("cash", None)
        if spec["vote"] and sid in spec["vote"]["series"]:
            spec["vote"] = None
    n = draw(st.integers(1, 4))
    strikes = []
    for i in range(n):
        if strikes and draw(st.integers(0, 4)) == 0:
            strikes.append(draw(st.sampled_from(strikes)))  # a tie of strikes: one group
        else:
            strikes.append(fmt_decimal(draw(st.integers(0, 500)), 2))
    spec["pools"] = [{"id": f"pool{i}", "count": draw(st.integers(1, 3000)),
                      "exercise_price": k, "buys": "common"} for i, k in enumerate(strikes)]
    if draw(st.integers(0, 5)) == 0 and spec["series"]:  # a warrant for preferred: stays a game unit
        spec["pools"].append({"id": "warrant", "count": draw(st.integers(1, 500)),
                              "exercise_price": fmt_decimal(draw(st.integers(1, 500)), 2),
                              "buys": spec["series"][0]["id"]})
    text = spec_to_toml(spec)
    return text, loads_model(text, "<options>")


def game_equilibria(model, E):
    """Every equilibrium of the 2^n game with every pool a unit (the previous encoding), by brute force."""
    units = model.units()
    cache = {}

    def pays(pr):
        if pr not in cache:
            cache[pr] = waterfall(model, E, choice_of(units, pr))
        return cache[pr]

    found = [(pr, pays(pr)) for pr in product((False, True), repeat=len(units)) if is_equilibrium(model, units, pr, pays)]
    return sorted(found, key=lambda pe: profile_key(pe[0]))


FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))


@FUZZ
@given(st.data())
def test_threshold_equals_game_at_random_exits(data):
    text, model = data.draw(option_charters())
    assert options.threshold_pools(model) is not None, text
    for _ in range(3):
        E = data.draw(exit_values(model))
        new = equilibria(model, E)
        old = game_equilibria(model, E)
        assert [p for p, _ in new] == [p for p, _ in old], (text, E)
        for (_, a), (_, b) in zip(new, old):
            assert {h: F(v) for h, v in a.items()} == b, (text, E)


@FUZZ
@given(st.data())
def test_threshold_tables_equal_game_tables_everywhere(data):
    """The exact tables' equilibrium map with pools resolved equals the 2^n tables' at every
    breakpoint and event point of either, and inside every interval between them."""
    text, model = data.draw(option_charters())
    new = Tables(model)
    options.GAME_POOLS = True
    try:
        old = Tables(model)
    finally:
        options.GAME_POOLS = False
    xs = sorted(set(old.point_sets) | set(new.point_sets)
                | {k for t in (old.table, new.table) for p in t for k in dict.__getitem__(t, p).xs})
    xs = [to_fraction(x) for x in xs]
    probes = xs + [(a + b) / 2 for a, b in zip(xs, xs[1:])] + [xs[-1] + 1, xs[-1] * 2 + 7]
    for x in probes:
        eo, en = old.equilibria_at(x), new.equilibria_at(x)
        assert eo == en, (text, x, eo, en)
        for p in eo:
            assert old.payouts(p, x) == new.payouts(p, x), (text, x, p)
    # and the evaluator at a few of them, from the game's brute force
    for x in probes[:: max(1, len(probes) // 6)]:
        assert [p for p, _ in game_equilibria(model, x)] == list(new.equilibria_at(x)), (text, x)


def test_threshold_is_off_where_the_argument_fails():
    base = """format = 1
[charter]
id = "t"
name = "T"
[[series]]
id = "A"
designated = 100
original_issue_price = "1"
source = "IV.B"
[series.preference]
source = "IV.B.2"
[series.conversion]
price = "1"
source = "IV.B.3"
[[tiers]]
id = "t0"
series = ["A"]
shortfall = "preference"
source = "IV.B.2"
[captable]
common_outstanding = 100
[[captable.options]]
id = "p"
count = 10
exercise_price = "0.5"
"""
    m = loads_model(base, "<t>")
    assert options.threshold_pools(m) is not None
    assert [u.id for u in options.deciding_units(m)] == ["A"]
    m2 = loads_model(base + '[scenario]\ncarve_out_percent = "0.1"\nsource = "assumption"\n', "<t>")
    assert options.threshold_pools(m2) is None and "percentage" in options.why_not(m2)
