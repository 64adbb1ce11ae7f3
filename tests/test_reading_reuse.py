"""The readings' effects computed with shared tables equal the plain computation (issue 16).

`readings._effect` builds the tables under the other reading from the model's own tables
(`readings._alternative_tables`: every payout table shared for votes_in_sale; for cap_dropout
and cash_on_conversion only the profiles in which the clause acts are built again) and reads
the limits on each stretch off the forms. Here each piece is checked against the computation
it replaces, done independently: `Tables(alternative model)` built from scratch, and the
effect's search over every point and both thirds of every stretch exactly as it was written
before. Both directions are checked (each reading as the current one), on the seeds, the test
charters with a reading, and random charters.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from charterverify import readings
from charterverify.model import load_model
from charterverify.rational import fast_rational, to_fraction
from charterverify.tables import Tables

from strategies import charters

ROOT = Path(__file__).resolve().parent.parent
CHARTERS = [
    "charters/quintus.toml",  # cap_dropout, cash_on_conversion, votes_in_sale; 9 units
    "charters/juniper.toml",  # votes_in_sale (a 66 2/3% vote of four series)
    "charters/netgear.toml",
    "charters/valuestar.toml",
    "tests/charters/good/capped.toml",
    "tests/charters/good/priority_after.toml",
    "tests/charters/properties/caps_fail.toml",  # first_cap_ends as the current reading
    "tests/charters/properties/consistency_fail.toml",
    "tests/charters/properties/priority_fail.toml",
]
SALE_READINGS = ("cap_dropout", "cash_on_conversion", "votes_in_sale")


def _reading(model, name, value):
    return dataclasses.replace(model, readings=dataclasses.replace(model.readings, **{name: value}))


def assert_same_tables(got: Tables, want: Tables) -> None:
    """Every payout table, the equilibrium map with and without the vote, and the vote decisions."""
    assert got.profiles == want.profiles
    for p in want.profiles:
        g, w = got.table[p], want.table[p]
        assert (g.xs, g.forms, g.unit_forms, g.at, g.unit_at, g.causes_lo, g.causes_hi) == \
               (w.xs, w.forms, w.unit_forms, w.at, w.unit_at, w.causes_lo, w.causes_hi), p
    assert (got.starts, got.sets, got.point_sets) == (want.starts, want.sets, want.point_sets)
    assert (got.base_starts, got.base_sets, got.base_point_sets) == \
           (want.base_starts, want.base_sets, want.base_point_sets)
    assert got.forcing == want.forcing
    assert got.vote_causes() == want.vote_causes()


def reference_effect(model, name: str, t1: Tables, t2: Tables) -> readings.Effect:
    """The effect as computed before the tables were shared: both maps built from scratch (t1 and
    t2, the plain `Tables` of the model and of the other reading), the difference taken at every
    point and at both thirds of every stretch."""
    eff = readings.Effect(name, getattr(model.readings, name), readings.alternative_of(model, name))
    none = tuple(False for _ in t1.units)
    pts = set(t1.point_sets) | set(t2.point_sets)
    for tb in (t1, t2):
        for eqs in set(tb.sets) | set(tb.point_sets.values()):
            pts.update(tb.table[eqs[0] if eqs else none].xs)
    xs = sorted(pts)

    def diff(q):
        p1 = t1.table[(t1.equilibria_at(q) or (none,))[0]].payouts(q)
        p2 = t2.table[(t2.equilibria_at(q) or (none,))[0]].payouts(q)
        return {h: p2[h] - p1[h] for h in model.holders}

    cands = []
    for a, b in zip(xs, xs[1:] + [xs[-1] + 3]):
        cands.append((a, "", diff(a)))
        d1, d2 = diff(a + (b - a) / 3), diff(a + 2 * (b - a) / 3)
        lim_a = {h: 2 * d1[h] - d2[h] for h in d1}
        lim_b = {h: 2 * d2[h] - d1[h] for h in d1}
        if lim_a != cands[-1][2]:
            cands.append((a, "just above ", lim_a))
        cands.append((b, "just below ", lim_b))
    best = None
    zero = fast_rational(0)
    for x, side, d in cands:
        for h, v in d.items():
            if v < 0 and (h not in eff.most_gained or -v > eff.most_gained[h][0]):
                eff.most_gained[h] = (-v, x)
            if v > 0 and (h not in eff.most_lost or v > eff.most_lost[h][0]):
                eff.most_lost[h] = (v, x)
        total = sum((abs(v) for v in d.values()), zero)
        if total > 0 and (best is None or total > best[0] or (total == best[0] and best[2] and not side)):
            best = (total, x, side, d)
    eff.most_lost = {h: (to_fraction(v), to_fraction(x)) for h, (v, x) in eff.most_lost.items()}
    eff.most_gained = {h: (to_fraction(v), to_fraction(x)) for h, (v, x) in eff.most_gained.items()}
    if best is not None:
        eff.at, eff.side = to_fraction(best[1]), best[2]
        eff.changes = {h: to_fraction(v) for h, v in best[3].items() if v != 0}
    return eff


def check_reading(current, name: str, base: Tables | None = None) -> Tables:
    """One reading of a model: the shared tables and the effect against the plain computation."""
    base = base or Tables(current)
    alt = readings.with_alternative(current, name)
    plain = Tables(alt)
    shared = readings._alternative_tables(base, alt, name)
    assert_same_tables(shared, plain)
    assert readings._effect(current, name, base) == reference_effect(current, name, base, plain)
    return shared


def sale_readings(model) -> list[str]:
    return [n for n in readings.applicable(model) if n in SALE_READINGS]


@pytest.mark.parametrize("path", [p for p in CHARTERS if "quintus" not in p])
def test_shared_tables_and_effect_equal_the_plain_computation(path):
    model = load_model(ROOT / path)
    names = sale_readings(model)
    assert names  # every charter listed has a reading that moves a sale
    for name in names:  # each reading as the current one, and its alternative as the current one
        check_reading(model, name)
        check_reading(readings.with_alternative(model, name), name)


def test_quintus_effects_equal_the_plain_computation():
    """Quintus' three readings (one direction: its tables are the slow part of the suite), and what
    is shared. The A-D unit carries the cash on conversion, and E, F, G1-G6 are capped:
    cash_on_conversion leaves the 256 profiles where A-D keeps its preferred as they are;
    cap_dropout only the 2 where every capped series converts (E..G6 all acting, A-D either way)."""
    model = load_model(ROOT / "charters/quintus.toml")
    base = Tables(model)
    assert sale_readings(model) == list(SALE_READINGS)
    shared = {}
    for name in SALE_READINGS:
        alt = check_reading(model, name, base)
        shared[name] = sum(1 for p in base.profiles if alt.table[p] is base.table[p])
    assert shared == {"votes_in_sale": 512, "cash_on_conversion": 256, "cap_dropout": 2}


def test_vote_decisions_are_taken_only_when_asked():
    """Under the default reading the vote move does not change the map: the decisions (`forcing`)
    are worked out on first use, and equal those of tables that take the move in the sale."""
    model = load_model(ROOT / "charters/juniper.toml")
    assert model.readings.votes_in_sale is False
    t = Tables(model)
    assert t._atoms is None
    with_vote = Tables(_reading(model, "votes_in_sale", True))
    assert with_vote._atoms is not None
    assert t.forcing == with_vote.forcing
    assert any(f is not None for _, _, f in t.forcing)  # Juniper's vote is taken somewhere


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(charters())
def test_random_charters(case):
    _, model = case
    if len(model.units()) > 6:
        return
    for name in SALE_READINGS:  # every reading, whether or not the charter's clauses make it matter
        check_reading(model, name)
        check_reading(readings.with_alternative(model, name), name)


def assert_decisions_are_decide(t: Tables) -> int:
    """Every vote decision (`forcing`, where the coalition arithmetic may skip `votes.decide`) is
    the decision `decide` takes at that atom's own point: the atom's exit value, or the middle of an
    open atom (`forcing_at`, which asks `decide` directly). Returns how many votes are taken."""
    taken = 0
    for lo, hi, f in t.forcing:
        x = lo if lo == hi else (lo + hi) / 2 if hi is not None else lo + 1
        assert t.forcing_at(x) == f, (lo, hi)
        taken += f is not None
    return taken


def test_vote_decisions_equal_decide_everywhere():
    """Quintus: the G vote (more than half of G1-G6 together) is taken on 259 of its 5,216 atoms;
    Juniper: its 66 2/3% vote on 25 of 116."""
    quintus = Tables(load_model(ROOT / "charters/quintus.toml"))
    assert len(quintus.forcing) == 5216 and assert_decisions_are_decide(quintus) == 259
    juniper = Tables(load_model(ROOT / "charters/juniper.toml"))
    assert len(juniper.forcing) == 116 and assert_decisions_are_decide(juniper) == 25


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(charters())
def test_vote_decisions_on_random_charters(case):
    _, model = case
    if len(model.units()) <= 6:
        assert_decisions_are_decide(Tables(model))
