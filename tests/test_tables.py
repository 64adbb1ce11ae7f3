"""The exact profile tables (charterverify.tables): every exit value's equilibria read off once-built
tables must equal the direct evaluator's brute force at that exit value, and the breakpoint
analysis built from them must equal the z3 sweep's.

Expected values here are independent computations: `evaluate_exit` enumerates every profile at the
exit value itself with the plain Fraction waterfall; the z3 sweep (`Sweep` with the tables switched
off) proves its pieces with dominance and other-equilibrium queries.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charterverify.evaluate import evaluate_exit
from charterverify.model import load_model
from charterverify.rational import fast_rational, to_fraction
from charterverify.solver import breakpoints
from charterverify.tables import MAX_TABLE_UNITS, Tables, evaluate_many

from analysis_support import summary
from strategies import any_exit_values, charters

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "charters").glob("*.toml"))
GOOD = sorted((ROOT / "tests" / "charters" / "good").glob("*.toml"))


def _special_points(tb: Tables) -> list[Fraction]:
    """Every event point and every kink of every profile: where a table path could go wrong."""
    pts = {to_fraction(x) for x in tb.point_sets}
    for t in tb.table.values():
        pts.update(to_fraction(x) for x in t.xs)
    return sorted(pts)


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(st.data())
def test_tables_equal_the_brute_force_at_every_exit_value(data):
    _, model = data.draw(charters())
    tb = Tables(model)
    xs = [data.draw(any_exit_values(model)) for _ in range(3)]
    special = _special_points(tb)
    xs += [data.draw(st.sampled_from(special)) for _ in range(4)]
    # just beside a special point, inside the open interval
    x = data.draw(st.sampled_from(special))
    xs += [x + Fraction(1, 7), max(Fraction(0), x - Fraction(1, 7))]
    for x in xs:
        assert tb.evaluate(x) == evaluate_exit(model, x), x


@pytest.mark.parametrize("path", SEEDS + GOOD, ids=lambda p: p.stem)
def test_tables_equal_the_brute_force_on_the_seeds(path):
    model = load_model(path)
    tb = Tables(model)
    special = _special_points(tb)
    # every special point on the small charters; a spread of them (ends included) on Quintus
    step = max(1, len(special) // 40)
    xs = special[::step] + special[-3:] + [special[-1] * 2 + 1, Fraction(123456789, 7)]
    for x in xs:
        assert tb.evaluate(x) == evaluate_exit(model, x), x
    # the batch entry point gives the same results in order
    assert evaluate_many(model, xs[:6]) == [evaluate_exit(model, x) for x in xs[:6]]


def test_quintus_tables_size():
    """Quintus: 9 deciding units (the A-D class vote and eight series), so 512 profile tables."""
    tb = Tables(load_model(ROOT / "charters" / "quintus.toml"))
    assert len(tb.units) == 9 and len(tb.table) == 2 ** 9
    # at $1 only the A-D class vote converts: its Cash Amounts are paid before any preference
    # (reading cash_on_conversion = before_preferences), so converting gets A-D the whole dollar
    # ratably, while holding leaves them behind the senior E, F and G preferences with nothing
    assert [u.id for u in tb.units][0] == "AD"
    assert tb.equilibria_at(1) == ((True,) + (False,) * 8,)
    r = tb.evaluate(1)
    assert r.converted == ("A", "B", "C", "D") and sum(r.payouts[s] for s in "ABCD") == 1


@pytest.mark.parametrize("path", [p for p in SEEDS + GOOD if p.stem != "quintus"], ids=lambda p: p.stem)
def test_analysis_from_tables_equals_the_z3_sweep(path, monkeypatch):
    model = load_model(path)
    fast = breakpoints.analyze(model)
    assert fast.tables is not None and fast.complete
    monkeypatch.setattr(breakpoints, "MAX_TABLE_UNITS", -1)
    slow = breakpoints.analyze(model)
    assert slow.tables is None and slow.complete
    assert summary(fast) == summary(slow)


def test_more_units_than_the_tables_take_is_refused():
    model = load_model(ROOT / "charters" / "quintus.toml")
    assert MAX_TABLE_UNITS >= len(model.units())
    with pytest.raises(ValueError, match="at most"):
        Tables.__init__(Tables.__new__(Tables), _with_units(model, MAX_TABLE_UNITS + 1))


def _with_units(model, n):
    class Wide:
        class captable:  # no option pools: every unit is a deciding unit
            options = ()

        def units(self):
            return tuple(range(n))

    return Wide()


def test_fast_rationals_round_trip():
    for q in (Fraction(-7, 3), Fraction(0), Fraction(10**15, 7), Fraction(123456789, 10**12)):
        back = to_fraction(fast_rational(q))
        assert back == q and type(back) is Fraction
        assert (back.numerator, back.denominator) == (q.numerator, q.denominator)


def test_payouts_read_off_the_proved_pieces_equal_the_brute_force():
    model = load_model(ROOT / "charters" / "quintus.toml")
    an = breakpoints.analyze(model)
    bps = [b.x for b in an.breakpoints]
    # breakpoints themselves, just beside them, and a grid up to $300M
    xs = bps[:8] + [x + Fraction(1, 3) for x in bps[:8]] + [Fraction(300_000_000 * k, 7) for k in range(1, 8)]
    assert an.payouts_at(xs) == [evaluate_exit(model, x).payouts for x in xs]
    assert an.piece_at(bps[0]) is None and an.piece_at(bps[0] + 1) is an.pieces[1]
