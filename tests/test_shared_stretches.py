"""The alternative readings' tables reuse the current reading's stretches (issue 16: Quintus' full
verify; `tables.build_table(reuse=)`).

- cap_dropout (`readings._cap_prefix`): a profile's table is the same under either reading, field by
  field, on every stretch before the money left for participation reaches the first cap level; the
  stretch that ends there is the same but for the name of its end.
- cash_on_conversion (`readings._cash_suffix`): the same on every stretch that starts above the exit
  value where the cash and every preference are paid in full.

Each reused stretch is checked here against a table built from scratch under the other reading, on
every profile, in both directions (each reading as the current one).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from charterverify import readings
from charterverify.evaluate import choice_of, plan
from charterverify.model import load_model, loads_model
from charterverify.rational import fast_rational, to_fraction
from charterverify.tables import Tables, build_table, table_mode

from strategies import charters

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ("xs", "forms", "unit_forms", "at", "unit_at", "causes_lo", "causes_hi")


def reuser(base: Tables, p):
    return readings._cap_prefix(base.table[p], readings._cap_labels(base.model))


def reuse_of(base: Tables, alt, p):
    return reuser(base, p)(plan(alt, choice_of(base.units, p), fast_rational))


def check_profile(base: Tables, alt, p) -> int:
    """The reused stretches of profile p equal a fresh build under `alt`, field by field; the first
    stretch not reused differs from the current reading's. Returns how many were reused."""
    fresh = build_table(alt, base.units, p)
    got = build_table(alt, base.units, p, reuser(base, p))
    for name in FIELDS:  # the whole table, reused part and built part
        assert getattr(got, name) == getattr(fresh, name), (p, name)
    src, k, hi, tail = reuse_of(base, alt, p)
    assert tail is None
    assert src is base.table[p]
    for name in FIELDS:
        want = getattr(fresh, name)[:k]
        have = list(getattr(src, name)[:k])
        if name == "causes_hi" and hi is not None:
            assert have[-1] != hi  # the end of the last reused stretch is named by the other reading
            have[-1] = hi
        assert have == want, (p, name)
    if k < len(fresh.xs):  # the reuse stops where the readings part
        cur = src
        assert any(getattr(fresh, n)[k] != getattr(cur, n)[k] for n in FIELDS if k < len(getattr(cur, n))) \
            or k >= len(cur.xs), p
    return min(k, len(fresh.xs))


@pytest.mark.parametrize("path", ["tests/charters/good/capped.toml", "charters/valuestar.toml",
                                  "tests/charters/properties/caps_fail.toml",
                                  "tests/charters/properties/caps_below_preference.toml",
                                  "tests/charters/properties/monotonicity_fail.toml",
                                  "tests/charters/properties/consistency_fail.toml"])
def test_reused_stretches_equal_a_fresh_build(path):
    model = load_model(ROOT / path)
    for current in (model, readings.with_alternative(model, "cap_dropout")):
        base = Tables(current)
        alt = readings.with_alternative(current, "cap_dropout")
        for p in base.profiles:
            check_profile(base, alt, p)


def test_small_charter_where_the_cap_binds():
    """capped.toml, B holding its preferred: A's $5,000 (1,000 x $5) fills at 5,000, B's $14,000
    (800 x $17.50) at 19,000; then B (800 x 10 = 8,000 as converted) shares with the 8,000 common
    until its room of $24,000 - $14,000 = $10,000 is full: $10,000 x 16,000 / 8,000 = $20,000 more,
    at 39,000. The three stretches up to 39,000 are reused, the last one's end renamed; the one
    from 39,000 is built (it starts at the cap: its start's name differs)."""
    model = load_model(ROOT / "tests/charters/good/capped.toml")
    assert model.readings.cap_dropout == "own_cap"
    base = Tables(model)
    alt = readings.with_alternative(model, "cap_dropout")
    held = (False,)
    src, k, hi, _ = reuse_of(base, alt, held)
    assert k == 3
    assert [to_fraction(x) for x in src.xs[:4]] == [0, 5000, 19000, 39000]
    assert any("reaches its cap" in c for c in src.causes_hi[2])
    assert any("first cap reached" in c for c in hi)
    assert check_profile(base, alt, held) == 3
    fresh = build_table(alt, base.units, held)
    assert len(fresh.xs) == 4 and fresh.causes_lo[3] != src.causes_lo[3]
    # B converted: no capped series held, the tables are shared whole (the known profiles)
    assert check_profile(base, alt, (True,)) == len(base.table[(True,)].xs)


def test_quintus():
    """Quintus (own_cap): every profile's table up to its first cap. With no series converting the
    kinks are F's preference at $12,375,000, every other preference at $73,821,548.235 and G1's cap
    ($6.436 a share, the lowest room per share as converted) at $148,027,662.835: three stretches
    reused there. Over the 512 profiles 1,534 of the 2,044 stretches of the first_cap_ends tables are
    reused (510 profiles end the reuse at a cap, relabelled; the 2 in which every capped series
    converts are shared whole)."""
    model = load_model(ROOT / "charters/quintus.toml")
    base = Tables(model)
    alt = readings.with_alternative(model, "cap_dropout")
    none = tuple(False for _ in base.units)
    src, k, hi, _ = reuse_of(base, alt, none)
    assert k == 3
    assert [to_fraction(x) for x in src.xs[1:4]] == [Fraction(12375000), Fraction("73821548.235"),
                                                        Fraction("148027662.835")]
    reused = sum(check_profile(base, alt, p) for p in base.profiles)
    assert reused == 1534
    assert sum(len(t.xs) for t in readings._alternative_tables(base, alt, "cap_dropout").table.values()) == 2044


# ---------------------------------------------------------------------------- cash_on_conversion

def cash_reuse_of(base: Tables, alt, p):
    return readings._cash_suffix(base.table[p])(plan(alt, choice_of(base.units, p), fast_rational))


def check_cash_profile(base: Tables, alt, p) -> int:
    """Profile p's table built with the reuse equals a fresh build, field by field; every stretch of
    the current reading's table that starts above P is one of the fresh table's. Returns how many."""
    fresh = build_table(alt, base.units, p)
    got = build_table(alt, base.units, p, readings._cash_suffix(base.table[p]))
    for name in FIELDS:
        assert getattr(got, name) == getattr(fresh, name), (p, name)
    r = cash_reuse_of(base, alt, p)
    if r is None:
        return 0
    src, k, hi, tail = r
    assert (src, k, hi) == (base.table[p], 0, None)
    above = [j for j, x in enumerate(src.xs) if x > tail]
    for j in above:
        i = fresh.xs.index(src.xs[j])
        for name in FIELDS:
            assert getattr(src, name)[j] == getattr(fresh, name)[i], (p, name, j)
    return len(above)


# priority_after.toml with Series Y capped at $15 a share: a kink above the point where all is paid
CAPPED_Y = (ROOT / "tests/charters/good/priority_after.toml").read_text().replace(
    'source = "4.B.2(a)(i)"\n\n[[series]]',
    'source = "4.B.2(a)(i)"\n\n[series.participation]\nkind = "capped"\ncap = "15"\nsource = "4.B.2(b)"\n\n[[series]]', 1)


def test_cash_suffix_small_charter():
    """X converting: its cash of $600 (1,000 x $0.60) and Y's preference of $1,000 are both paid in full
    from P = $1,600 under either reading. Then Y (100 shares) shares the rest with X's 1,000 and the
    1,000 common until its room of $1,500 - $1,000 = $500 is full: at 1,600 + 500 x 2,100 / 100 =
    $12,100, a stretch above P that is copied; the one from 1,600 is built (its start is where the
    last of the two steps is paid, a different one under each reading)."""
    assert CAPPED_Y.count("kind = \"capped\"") == 1
    model = loads_model(CAPPED_Y, "capped_y.toml", ROOT / "tests/charters/good")
    for current in (model, readings.with_alternative(model, "cash_on_conversion")):
        base = Tables(current)
        alt = readings.with_alternative(current, "cash_on_conversion")
        src, _, _, tail = cash_reuse_of(base, alt, (True,))
        assert to_fraction(tail) == 1600
        assert [to_fraction(x) for x in src.xs if x >= tail] == [1600, 12100]
        assert check_cash_profile(base, alt, (True,)) == 1
        assert cash_reuse_of(base, alt, (False,)) is None  # no cash: the same table (known)
        check_cash_profile(base, alt, (False,))


@pytest.mark.parametrize("path", ["tests/charters/good/priority_after.toml",
                                  "tests/charters/properties/priority_fail.toml"])
def test_cash_suffix_equals_a_fresh_build(path):
    model = load_model(ROOT / path)
    for current in (model, readings.with_alternative(model, "cash_on_conversion")):
        base = Tables(current)
        alt = readings.with_alternative(current, "cash_on_conversion")
        for p in base.profiles:
            check_cash_profile(base, alt, p)


def test_cash_suffix_quintus():
    """Quintus: A-D alone converting takes its Cash Amount, and with every other preference
    the cash and the preferences are paid in full at $72,299,318.235; the eight stretches above it (each
    starting where a cap is reached: $193,343,422.835 ... $458,775,388.064) are copied. Over the 256
    profiles in which A-D converts, 1,024 of the 1,918 stretches are copied."""
    model = load_model(ROOT / "charters/quintus.toml")
    base = Tables(model)
    alt = readings.with_alternative(model, "cash_on_conversion")
    ad = (True,) + tuple(False for _ in base.units[1:])
    assert base.units[0].id == "AD"
    assert to_fraction(cash_reuse_of(base, alt, ad)[3]) == Fraction("72299318.235")
    assert check_cash_profile(base, alt, ad) == 8
    assert sum(check_cash_profile(base, alt, p) for p in base.profiles if p[0]) == 1024
    assert sum(len(build_table(alt, base.units, p).xs) for p in base.profiles if p[0]) == 1918


# ---------------------------------------------------------------------------- the sweep's pairs

@pytest.mark.parametrize("path,name", [("charters/quintus.toml", "cap_dropout"),
                                       ("charters/quintus.toml", "cash_on_conversion"),
                                       ("tests/charters/properties/consistency_fail.toml", "cap_dropout"),
                                       ("tests/charters/properties/priority_fail.toml", "cash_on_conversion")])
def test_the_sweep_copies_the_events_of_shared_stretches(path, name):
    """Each pair of profiles' condition (its truth right of 0 and every event) in the alternative's
    tables built from the current reading's (`Tables(sweep_from=)`) equals a sweep from scratch; and
    the equilibrium map with it."""
    model = load_model(ROOT / path)
    base = Tables(model)
    alt = readings.with_alternative(model, name)
    shared = readings._alternative_tables(base, alt, name)
    plain = Tables(alt)
    assert shared._pairs == plain._pairs
    assert (shared.starts, shared.sets, shared.point_sets, shared.n_events) == \
           (plain.starts, plain.sets, plain.point_sets, plain.n_events)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(charters())
def test_random_charters(case):
    """Random charters, each reading current in turn: every profile's table built with the reuse and
    every pair's events equal a build from scratch."""
    _, model = case
    if len(model.units()) > 5 or table_mode(model) != "game":  # the resolved tables are built afresh
        return
    for name in ("cap_dropout", "cash_on_conversion"):
        for current in (model, readings.with_alternative(model, name)):
            base = Tables(current)
            alt = readings.with_alternative(current, name)
            shared = readings._alternative_tables(base, alt, name)
            plain = Tables(alt)
            for p in plain.profiles:
                for f in FIELDS:
                    assert getattr(shared.table[p], f) == getattr(plain.table[p], f), (name, p, f)
            assert shared._pairs == plain._pairs
