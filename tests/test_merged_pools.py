"""The resolved tables with the exercised pools merged into the common (`tables._merged_plan`, the
pools' payouts derived from the common's: `tables._WithPools`) against the same tables with every
pool a holder of its own in every run (`_Resolver(merge=False)`), field by field, on random
charters with several pools (ties of strikes, a warrant for preferred left in the game)."""

from unittest import mock

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from charterverify import tables
from charterverify.options import deciding_profiles, threshold_pools
from charterverify.tables import Tables, _project, _Resolver, build_deviation, build_resolved
from charterverify.game import flip
from test_option_threshold import option_charters

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _rows(t, holders):
    """Every field of a resolved table, the mappings read holder by holder in model order."""
    return {
        "xs": t.xs, "prof": t.prof, "prof_at": t.prof_at, "causes_lo": t.causes_lo, "causes_hi": t.causes_hi,
        "forms": [[(h, f[h]) for h in holders] for f in t.forms],
        "keys": [list(f) for f in t.forms] + [list(a) for a in t.at],
        "at": [[(h, a[h]) for h in holders] for a in t.at],
        "types": [type(v).__name__ for f in t.forms for h in holders for v in f[h]],
        "unit_forms": [tuple(u) for u in t.unit_forms], "unit_at": [tuple(u) for u in t.unit_at],
    }


@SETTINGS
@given(st.data())
def test_merged_tables_equal_per_pool_tables(data):
    text, model = data.draw(option_charters())
    pools = threshold_pools(model)
    assume(pools is not None and pools.groups)
    units = model.units()
    merged, ref = _Resolver(model, units, pools), _Resolver(model, units, pools, merge=False)
    holders = model.holders
    built = {}
    for sg in deciding_profiles(model):
        a, b = build_resolved(merged, sg, pools.deciding), build_resolved(ref, sg, pools.deciding)
        assert _rows(a, holders) == _rows(b, holders), (text, sg)
        assert a.payouts(a.xs[-1] + 1) == b.payouts(b.xs[-1] + 1)
        built[sg] = (a, b)
    # every unit's deviation, read off the switched profile's table or run with the pools held
    for sg, (a, b) in built.items():
        for k, i in enumerate(pools.deciding):
            oa, ob = built[_project(flip(sg, i), pools.resolved)]
            assert build_deviation(merged, a, i, k, oa) == build_deviation(ref, b, i, k, ob), (text, sg, i)


class _PerPool(_Resolver):
    def __init__(self, model, units, pools):
        super().__init__(model, units, pools, merge=False)


def assert_same_map(a, b, text):
    """The same equilibrium map: intervals, points, the profiles ruled out, kinks and events."""
    assert (a.starts, a.sets, a.point_sets) == (b.starts, b.sets, b.point_sets), text
    assert (a.pruned, a.kinks, a.n_events) == (b.pruned, b.kinks, b.n_events), text


@SETTINGS
@given(st.data())
def test_merged_sweep_equals_per_pool_sweep(data):
    """The equilibrium map (intervals, points, the profiles ruled out) is the same either way."""
    text, model = data.draw(option_charters())
    assume(threshold_pools(model) is not None)
    new = Tables(model)
    assume(new.pools is not None)
    with mock.patch.object(tables, "_Resolver", _PerPool):
        old = Tables(model)
    assert_same_map(new, old, text)


@SETTINGS
@given(st.data())
def test_tables_built_per_profile_equal_tables_built_first(data):
    """Many strike groups (`REUSE_GROUPS`): each table built when its profile is walked, the ruled-out
    ones kept without payouts (`_Slim`). The map is the same, and a slim table's payouts (built again)
    and its conservation result are the full table's."""
    text, model = data.draw(option_charters())
    assume(threshold_pools(model) is not None)
    first = Tables(model)
    assume(first.pools is not None)
    with mock.patch.object(tables, "REUSE_GROUPS", -1):
        each = Tables(model)
    assert_same_map(each, first, text)
    slim = 0
    for p in first.profiles:
        a, b = first.table[p], each.table[p]
        slim += isinstance(b, (tables._Slim, tables._Unbuilt))  # ruled out by its units or by the bounds
        assert (b.xs, b.prof, b.prof_at, b.causes_lo, b.causes_hi) == (a.xs, a.prof, a.prof_at, a.causes_lo, a.causes_hi)
        assert [dict(f) for f in b.forms] == [dict(f) for f in a.forms]
        assert [dict(v) for v in b.at] == [dict(v) for v in a.at]
        x = a.xs[-1] + 1
        assert b.payouts(x) == a.payouts(x) and b.payouts(a.xs[-1]) == a.payouts(a.xs[-1])
        assert tables.conservation_shortfall(model, first.units, p, b) == \
            tables.conservation_shortfall(model, first.units, p, a) is None
    assert slim == first.pruned
