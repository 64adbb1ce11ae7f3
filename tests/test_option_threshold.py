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

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import charterverify.options as options
from charterverify.evaluate import choice_of, equilibria, waterfall
from charterverify.game import is_equilibrium, profile_key
from charterverify.model import loads_model
from charterverify.rational import to_fraction
from charterverify.tables import Tables

from strategies import charter_spec, exit_values, fmt_decimal, spec_to_toml
from sweep_support import assert_sweep_equals_tables, forced_sweep

F = Fraction


@st.composite
def option_charters(draw, plain: bool = False):
    """`plain`: only the terms the interval bounds follow (`bounds.plain_terms`, reading own_cap)."""
    spec = draw(charter_spec())
    if plain:
        spec["readings"]["cap_dropout"] = "own_cap"
        spec["catch_up"] = None
        for t in spec["tiers"]:
            t.pop("cap", None)
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


# no shrinking: a failure prints its charter's text at once (shrinking these takes minutes)
PHASES = (Phase.explicit, Phase.reuse, Phase.generate)
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck), phases=PHASES)


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
    assert new.pools is not None
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


Z3 = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), phases=PHASES)


@Z3
@given(st.data())
def test_z3_search_with_threshold_constraint_equals_game(data):
    """The z3 game encoding (pools as `exercised <-> value per common share > strike` in the base
    copy, deviation copies for the deciding units only) finds exactly the game's equilibria."""
    from charterverify.solver.point import PointSolver

    text, model = data.draw(option_charters())
    ps = PointSolver(model)
    for _ in range(2):
        E = data.draw(exit_values(model))
        found = ps.search_equilibria(E)
        old = game_equilibria(model, E)
        assert [p for p, _ in found] == [p for p, _ in old], (text, E)
        for (_, a), (_, b) in zip(found, old):
            assert a == b, (text, E)


@Z3
@given(st.data())
def test_z3_sweep_equals_tables(data):
    """The breakpoint sweep without tables (dominance, best responses with the pools settled, z3
    proofs on the threshold encoding) gives the tables' payouts and equilibria at every point."""
    text, model = data.draw(option_charters())
    tb = Tables(model)
    assert tb.pools is not None  # the resolved tables (few deciding units)
    an = forced_sweep(model)
    assert an.tables is None and an.complete, text
    assert_sweep_equals_tables(an, tb, text)


def test_table_mode_keeps_the_cheaper_exact_path():
    """The resolved tables up to 9 deciding units; a model whose units, pools included, fit the
    plain tables plays them as the 2^n game above that; then the resolved tables again up to 12
    deciding units while they stay small in memory (cells, or the merged tables' bytes); otherwise
    the z3 sweep."""
    from charterverify.tables import table_mode

    def model(series, pools):
        out = ["format = 1", "[charter]", 'id = "t"', 'name = "T"']
        for i in range(series):
            out += ["[[series]]", f'id = "S{i}"', "designated = 100", 'original_issue_price = "1"', 'source = "IV.B"',
                    "[series.preference]", 'source = "IV.B.2"', "[series.conversion]", 'price = "1"', 'source = "IV.B.3"']
        out += ["[[tiers]]", 'id = "t0"', "series = [" + ", ".join(f'"S{i}"' for i in range(series)) + "]",
                'shortfall = "preference"', 'source = "IV.B.2"', "[captable]", "common_outstanding = 100"]
        for k in range(pools):
            out += ["[[captable.options]]", f'id = "p{k}"', "count = 10", f'exercise_price = "{k + 1}"']
        return loads_model("\n".join(out) + "\n", "<t>")

    assert table_mode(model(9, 30)) == "resolved"  # 2^9 * 10 = 5,120 <= 8,192
    assert table_mode(model(10, 2)) == "game"  # 2^10 * 11 > 8,192; 12 units
    # 13 units: past the plain tables, the resolved tables while 2^d x units^2 <= 2^20 (memory)
    assert table_mode(model(10, 3)) == "resolved"  # 2^10 * 13^2 = 173,056
    assert table_mode(model(12, 4)) == "resolved"  # 2^12 * 16^2 = 1,048,576
    # past 2^20 cells, the resolved tables with the pools merged into the common while their worst case
    # (tables.resolved_bytes: 2^d ((d + g + 1) h 150 + (g + 1)(8 n + 56)), g strike groups, h holders
    # kept: the series and the common) is at most 600 MiB = 629,145,600 bytes
    assert table_mode(model(12, 5)) == "resolved"  # 2^12 (18*13*150 + 6*192) = 148,488,192
    assert table_mode(model(10, 30)) == "resolved"  # 2^10 (41*11*150 + 31*376) = 81,209,344
    assert table_mode(model(12, 60)) is None  # 2^12 (73*13*150 + 61*632) = 740,974,592: the z3 sweep
    assert table_mode(model(13, 1)) is None  # 13 deciding units: the z3 sweep
    assert table_mode(model(12, 0)) == "game" and table_mode(model(13, 0)) is None
    # a reading's alternative tables are held beside the model's own: only while one set takes at
    # most half the cells (2^19 = 524,288); above that the reading says it is not computed, and why
    from charterverify.readings import describe, effect
    from charterverify.tables import fits_twice

    assert fits_twice(model(10, 3)) and fits_twice(model(10, 2)) and fits_twice(model(12, 0))
    assert not fits_twice(model(12, 4))  # 1,048,576 > 524,288
    assert fits_twice(model(11, 4))  # 2^11 * 15^2 = 460,800
    assert not fits_twice(model(13, 0)) and not fits_twice(model(12, 5))
    eff = effect(model(12, 4), "cap_dropout")
    assert not eff.computed and eff.at is None
    assert "would take too much memory (12 deciding units and 16 units with the option pools)" in describe(model(12, 4), eff)
    assert "the exact tables take at most 12 deciding units (13 here)" in describe(model(13, 0), effect(model(13, 0), "cap_dropout"))
