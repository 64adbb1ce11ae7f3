"""Dominance proofs (charterverify.solver.dominance): stored proofs and witnesses are reused only
where they apply, a z3 unknown never fixes a unit, and none of it changes the analysis.

The expected analyses are independent computations: the exact profile tables
(`charterverify.tables`, no z3 in the equilibrium sets) and the z3 sweep with proof reuse off.
"""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import pytest

from charterverify.model import load_model
from charterverify.solver import breakpoints, dominance
from charterverify.solver.dominance import Dominance, _Proof, _Witness
from charterverify.solver.session import DOMINANCE_RLIMIT, Outcome, default_rlimit

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "charters").glob("*.toml"))
sys.path.insert(0, str(ROOT / "benchmarks"))
import synthetic  # noqa: E402
from analysis_support import summary  # noqa: E402


def _z3_sweep(model, monkeypatch, reuse=True, bounds=True):
    """The z3 sweep (tables off), with or without proof reuse, and with or without the exact
    shortcuts (interval bounds, every profile of a few free units) before the z3 queries."""
    monkeypatch.setattr(breakpoints, "MAX_TABLE_UNITS", -1)
    sw = breakpoints.Sweep(model)
    sw.dom.reuse = reuse
    sw.dom.bounds = bounds
    an = sw.run()
    monkeypatch.undo()
    return sw, an


def test_synthetic_10_with_reuse_equals_without_and_the_tables(monkeypatch):
    model = synthetic.model(10)
    exact = breakpoints.analyze(model)
    assert exact.tables is not None and exact.complete
    # without the interval bounds: the paired bounds settle every unit of this charter without z3,
    # and what is compared here is how the z3 queries' answers are reused
    sw, an = _z3_sweep(model, monkeypatch, reuse=True, bounds=False)
    sw0, an0 = _z3_sweep(model, monkeypatch, reuse=False, bounds=False)
    swb, anb = _z3_sweep(model, monkeypatch, reuse=True)
    assert swb.dom.stats["queries"] == 0 and summary(anb) == summary(exact)
    assert an.complete and an0.complete and len(an.segments) == 13
    assert summary(an) == summary(an0) == summary(exact)
    # a stored answer stands for a query that would give the same answer: never more queries
    assert sw0.dom.stats["reused"] == sw0.dom.stats["refuted"] == 0
    assert 0 < sw.dom.stats["queries"] <= sw0.dom.stats["queries"]
    assert sw.dom.stats["unsat"] + sw.dom.stats["reused"] == sw0.dom.stats["unsat"]
    assert sw0.dom.stats["unknown"] == sw.dom.stats["unknown"] == 0


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_seeds_with_reuse_equal_the_tables(path, monkeypatch):
    model = load_model(path)
    exact = breakpoints.analyze(model)
    _, an = _z3_sweep(model, monkeypatch, reuse=True)
    assert an.complete
    assert summary(an) == summary(exact)


def test_an_unknown_never_fixes_a_unit_and_the_sweep_stays_right(monkeypatch):
    model = load_model(ROOT / "charters" / "netgear.toml")
    exact = breakpoints.analyze(model)
    monkeypatch.setattr(dominance, "check", lambda s, *a: Outcome("unknown", "canceled"))
    d = Dominance(model, bounds=False)
    assert d.forced(Fraction(0), None) == {}
    assert d.forced(Fraction(10**6), Fraction(10**8), hint=(False,) * len(d.units)) == {}
    assert d.stats["unknown"] == d.stats["queries"] > 0 and d.stats["unsat"] == 0
    assert not d._proofs and not d._witnesses  # nothing stored from an unknown
    # the sweep with every dominance query unknown: the other-equilibrium query decides alone
    sw, an = _z3_sweep(model, monkeypatch, reuse=True, bounds=False)
    assert sw.dom.stats["unsat"] == 0
    assert an.complete and summary(an) == summary(exact)


def test_a_stored_proof_is_reused_only_where_it_applies():
    p = _Proof(Fraction(10), Fraction(20), False, frozenset({("A", True)}))
    assert p.covers((Fraction(10), Fraction(20), False), {"A": True})
    assert p.covers((Fraction(12), Fraction(15), False), {"A": True, "B": False})  # sub-range, more fixed
    assert p.covers((Fraction(15), None, True), {"A": True})  # a point inside
    assert not p.covers((Fraction(10), None, True), {"A": True})  # the open range's end
    assert not p.covers((Fraction(9), Fraction(15), False), {"A": True})
    assert not p.covers((Fraction(12), None, False), {"A": True})
    assert not p.covers((Fraction(12), Fraction(15), False), {})  # proved given A acting only
    assert not p.covers((Fraction(12), Fraction(15), False), {"A": False})
    unbounded = _Proof(Fraction(10), None, False, frozenset())
    assert unbounded.covers((Fraction(11), None, False), {}) and unbounded.covers((Fraction(11), Fraction(12), False), {})
    w = _Witness(Fraction(15), (("A", True), ("B", False)))
    assert w.refutes((Fraction(10), Fraction(20), False), {}) and w.refutes((Fraction(10), None, False), {"A": True})
    assert not w.refutes((Fraction(10), Fraction(20), False), {"B": True})
    assert not w.refutes((Fraction(15), Fraction(20), False), {}) and w.refutes((Fraction(15), None, True), {})


def test_forced_reuses_its_proofs_on_sub_ranges():
    model = synthetic.model(10)
    d = Dominance(model, bounds=False)  # the z3 queries themselves (the bounds would settle these)
    hint = (False,) * len(d.units)
    lo, hi = Fraction(0), Fraction(30_000_000)
    first = d.forced(lo, hi, hint=hint)
    asked = d.stats["queries"]
    assert len(first) == len(d.units) and not any(first.values())  # nobody converts at small exits
    again = d.forced(Fraction(1_000_000), Fraction(2_000_000), hint=hint)
    assert again == first
    assert d.stats["queries"] == asked and d.stats["reused"] >= len(d.units)
    at = d.forced(Fraction(5_000_000), None, point=True, hint=hint)
    assert at == first and d.stats["queries"] == asked
    # without reuse the same questions are asked again, with the same answers
    d0 = Dominance(model, reuse=False, bounds=False)
    assert d0.forced(Fraction(1_000_000), Fraction(2_000_000), hint=hint) == first
    assert d0.stats["queries"] >= len(d0.units) and d0.stats["reused"] == 0


def test_dominance_limit_respects_the_callers():
    model = load_model(ROOT / "charters" / "kinzan.toml")
    assert Dominance(model).query_rlimit() == min(DOMINANCE_RLIMIT, default_rlimit())
    assert Dominance(model, rlimit=1000).query_rlimit() == 1000
    assert Dominance(model, rlimit=10 * DOMINANCE_RLIMIT).query_rlimit() == DOMINANCE_RLIMIT


def test_running_out_of_the_limit_leaves_units_free():
    """A real z3 unknown (a limit too small for any query), not a mocked one."""
    model = synthetic.model(10)
    hint = (False,) * len(model.units())
    full = Dominance(model, bounds=False).forced(Fraction(0), Fraction(30_000_000), hint=hint)
    starved = Dominance(model, rlimit=1, bounds=False)
    got = starved.forced(Fraction(0), Fraction(30_000_000), hint=hint)
    assert starved.stats["unknown"] > 0 and starved.stats["unsat"] == len(got)
    assert len(got) < len(full) and all(full[k] == v for k, v in got.items())
    # a limit asked for is the one used: never above the caller's
    assert all(limit <= 1 for _, _, limit, _, _, _ in starved.log)


def test_equilibria_at_a_point_by_dominance_equal_the_exact_points(monkeypatch):
    model = synthetic.model(10)
    exact = breakpoints.analyze(model)
    sw = breakpoints.Sweep(model)
    decided = 0
    for x, pt in sorted(exact.points.items()):
        got = sw._equilibria_by_dominance(x)
        if got is not None:  # None only leaves the point to the full search
            assert got == pt.profiles, x
            decided += 1
    # on this charter every point has a single equilibrium and dominance proves it at all 13
    assert decided == len(exact.points) == 13


def test_exact_check_of_few_free_units_agrees_with_z3():
    """`_forced_exactly` (every profile of the free units, walked exactly) against z3's own query."""
    from charterverify.solver.dominance import _forced_exactly

    model = synthetic.model(10)
    d = Dominance(model, bounds=False)
    units = d.units
    limit = d.query_rlimit()
    compared = {True: 0, False: 0}
    for i, u in enumerate(units):
        # the units before i keep, three of those after it are left free
        fixed = {x.id: False for k, x in enumerate(units) if k != i and k not in (i + 1, i + 2, i + 3)}
        free = [x for x in units if x.id not in fixed and x.id != u.id]
        for rng in [(Fraction(0), Fraction(20_000_000), False), (Fraction(40_000_000), Fraction(90_000_000), False),
                    (Fraction(150_000_000), None, False), (Fraction(60_000_000), None, True)]:
            for choice in (True, False):
                z3_says = d._query(u.id, choice, rng, fixed, limit)
                assert z3_says in ("sat", "unsat")
                exact = _forced_exactly(model, units, u.id, choice, rng, fixed, free)
                assert exact == (z3_says == "unsat"), (u.id, choice, rng)
                compared[exact] += 1
    assert compared[True] > 0 and compared[False] > 0  # both answers occur
