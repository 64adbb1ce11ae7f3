"""charterverify.bounds: the interval waterfall's gain bounds must contain every concrete gain.

Independent computation: for every profile of the free units (all of them, at most 2^5) and exit
values across the range (its ends, inside points, and kinks of the profiles' waterfalls), the plain
Fraction waterfall gives the unit's payoff when acting and when keeping; their difference must lie
within the bounds. A bound that excluded one concrete gain could fix a unit wrongly.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import product
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charterverify.bounds import gain_bounds, paired_gain_bounds, separate_gain_bounds
from charterverify.evaluate import choice_of, waterfall
from charterverify.game import unit_payoff
from charterverify.model import load_model

from strategies import critical_points, charters, exit_values

ROOT = Path(__file__).resolve().parent.parent


def _gains(model, units, i, fixed, xs):
    u = units[i]
    free = [k for k, x in enumerate(units) if x.id not in fixed and k != i]
    for bits in product((False, True), repeat=len(free)):
        prof = [fixed.get(x.id, False) for x in units]
        for k, b in zip(free, bits):
            prof[k] = b
        for x in xs:
            pays = []
            for a in (True, False):
                prof[i] = a
                pays.append(unit_payoff(model, u, waterfall(model, x, choice_of(units, prof))))
            yield x, tuple(prof), pays[0] - pays[1]


def _check(model, i, fixed, lo, hi, xs):
    """Every bound (the combined one, the paired one and the separate one) holds every concrete gain."""
    units = model.units()
    found = 0
    gains = list(_gains(model, units, i, fixed, xs))
    for fn in (gain_bounds, paired_gain_bounds, separate_gain_bounds):
        b = fn(model, units, units[i].id, lo, hi, fixed)
        if b is None:
            continue
        found += 1
        glo, ghi = b
        for x, prof, g in gains:
            assert glo is None or glo <= g, (fn.__name__, x, prof, g, b)
            assert ghi is None or g <= ghi, (fn.__name__, x, prof, g, b)
    return 1 if found else 0


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(st.data())
def test_gain_bounds_contain_every_concrete_gain(data):
    _, model = data.draw(charters())
    units = model.units()
    if not units:
        return
    i = data.draw(st.integers(0, len(units) - 1))
    fixed = {u.id: data.draw(st.booleans()) for k, u in enumerate(units) if k != i and data.draw(st.booleans())}
    a, b = sorted([data.draw(exit_values(model)), data.draw(exit_values(model))])
    hi = None if data.draw(st.booleans()) and a == b else b
    xs = [a, b, (a + b) / 2, b * 3 + 1 if hi is None else b]
    prof = tuple(data.draw(st.booleans()) for _ in units)
    xs += [x for x in critical_points(model, a, prof) if x >= a and (hi is None or x <= hi)][:6]
    _check(model, i, fixed, a, hi, xs)


@pytest.mark.parametrize("name", ["quintus", "juniper", "kinzan", "netgear", "valuestar"])
def test_gain_bounds_on_the_seeds(name):
    model = load_model(ROOT / "charters" / f"{name}.toml")
    units = model.units()
    decided = 0
    for i in range(len(units)):
        for lo, hi in [(Fraction(0), Fraction(10**6)), (Fraction(10**7), Fraction(5 * 10**7)),
                       (Fraction(10**8), Fraction(10**8)), (Fraction(10**9), None)]:
            xs = [lo, (lo + (hi or lo * 2)) / 2, hi or lo * 3]
            fixed = {u.id: False for k, u in enumerate(units) if k != i and k % 3 == 0}
            decided += _check(model, i, fixed, lo, hi, xs)
    assert decided > 0  # the bounds are computed for these charters (all read cap_dropout = own_cap)


def test_paired_bounds_prove_what_the_separate_bounds_cannot():
    """A fully participating series (Series H of the synthetic 10-series charter, every other unit
    free): converting gives up the preference and gets the same as-converted share of a larger
    residual, so keeping is weakly better at every exit value. The paired bounds prove it (upper
    bound 0 on [0, ∞)); the separate bounds, which take the acting and the keeping payoffs each at
    its own extreme, do not. Checked against every profile of the other 8 units at exit values
    across the range (the gain is never positive, and is 0 where the preference is not reached)."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synthetic

    model = synthetic.model(10)
    units = model.units()
    i = next(k for k, u in enumerate(units) if u.id == "H")
    assert model.get_series("H").participation.kind == "full"
    paired = paired_gain_bounds(model, units, "H", Fraction(0), None, {})
    separate = separate_gain_bounds(model, units, "H", Fraction(0), None, {})
    assert paired is not None and paired[1] == 0  # keeping proved weakly better everywhere
    assert separate is None or separate[1] is None or separate[1] > 0  # not proved by these
    assert gain_bounds(model, units, "H", Fraction(0), None, {})[1] == 0
    total = sum((s.preference_per_share * model.outstanding(s.id) for s in model.series), Fraction(0))
    xs = [Fraction(0), total / 7, total / 2, total, total * 2, total * 10]
    gains = [g for _, _, g in _gains(model, units, i, {}, xs)]
    assert len(gains) == 2 ** 8 * len(xs)
    assert max(gains) <= 0 and paired[0] <= min(gains)
    assert 0 in gains  # at exit value 0 nobody gets anything: the bound 0 is reached
