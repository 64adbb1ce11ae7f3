"""Quintus' full verify without work done twice (issue 16): what the properties read off the analysis'
exact tables equals what they computed before, and the readings' child shares the model's tables.

- The conversion check reads a flipped profile's forms and payouts off the analysis' tables
  (`properties.base.profile_forms`, `profile_payouts`) instead of walking the direct waterfall
  again (`fixed_forms`, `exact_payouts`): the same functions, and the same findings as the walk.
- The automatic check's offering at a candidate price (`automatic._at_price`) is worked out once per
  price, not once per series and price.
- With the effects computed ahead, `verify` builds the model's tables once, before the child is
  forked: the child and the analysis take them (`readings.ahead_tables`, `analyze(tables=...)`).
"""

from __future__ import annotations

import dataclasses
import os
from fractions import Fraction
from itertools import product
from functools import lru_cache
from pathlib import Path

import pytest

from charterverify import readings, tables
from charterverify.evaluate import choice_of
from charterverify.model import load_model
from charterverify.properties import automatic, base, conversion
from charterverify.solver.breakpoints import analyze

ROOT = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=None)
def _analysed(path: str):
    """(model, analysis) of a charter, once per test session (the checks here only read them)."""
    model = load_model(ROOT / path)
    return model, analyze(model)


def _value(pieces, x: Fraction, h: str) -> Fraction:
    """A piecewise affine payout (pieces (lo, hi, forms) over open intervals) inside its piece."""
    for lo, hi, forms in pieces:
        if lo < x and (hi is None or x < hi):
            a, b = forms[h]
            return a + b * x
    raise AssertionError(f"no piece holds {x}")


def _same_functions(got, want, holders, lo: Fraction, hi: Fraction | None) -> None:
    """Two coverings of (lo, hi) by affine pieces are the same function: equal on every piece of
    their common refinement (at its middle and, from inside, at both ends), and they cover the same
    interval."""
    assert got[0][0] == want[0][0] == lo
    assert got[-1][1] == want[-1][1] == hi
    for pieces in (got, want):  # each a covering: consecutive, no gap
        assert all(p[1] == q[0] for p, q in zip(pieces, pieces[1:]))
    cuts = sorted({p[0] for p in got + want} | {p[1] for p in got + want if p[1] is not None})
    ends = list(zip(cuts, cuts[1:])) + ([(cuts[-1], None)] if hi is None else [])
    for a, b in ends:
        mid = (a + b) / 2 if b is not None else a + 1
        for h in holders:
            assert _value(got, mid, h) == _value(want, mid, h), (a, b, h)
            # the forms themselves, not only one value: the same slope on the common piece
            g = next(f for l, r, f in got if l < mid and (r is None or mid < r))[h]
            w = next(f for l, r, f in want if l < mid and (r is None or mid < r))[h]
            assert g == w, (a, b, h)


@pytest.mark.parametrize("path", ["tests/charters/good/capped.toml", "tests/charters/properties/vote_group_total.toml",
                                  "charters/juniper.toml"])
def test_profile_forms_equal_the_direct_walk_on_every_profile(path):
    """Every profile, over every piece of the analysis and over [0, ∞): the table's stretches clipped
    to the interval are `fixed_forms`' pieces as functions; and the exact payouts at every breakpoint
    are `exact_payouts`'."""
    model = load_model(ROOT / path)
    an = analyze(model)
    assert an.tables is not None and an.tables.pools is None
    spans = [(s.lo, s.hi) for s in an.segments] + [(Fraction(0), None)]
    for profile in product((False, True), repeat=len(an.units)):
        choice = choice_of(an.units, profile)
        for lo, hi in spans:
            got = base.profile_forms(model, an, profile, lo, hi)
            _same_functions(got, base.fixed_forms(model, choice, lo, hi), model.holders, lo, hi)
        for x in list(an.points) + [Fraction(1, 3), Fraction(10 ** 9) + Fraction(1, 7)]:
            assert base.profile_payouts(model, an, x, profile) == base.exact_payouts(model, x, choice), (profile, x)


def test_profile_forms_keep_only_the_holders_asked_for_in_model_order():
    model = load_model(ROOT / "tests/charters/good/capped.toml")
    an = analyze(model)
    profile = an.segments[0].profile
    wanted = list(reversed(model.holders))[:2]
    pieces = base.profile_forms(model, an, profile, Fraction(0), None, holders=wanted)
    assert all(list(f) == [h for h in model.holders if h in wanted] for _, _, f in pieces)


def test_without_tables_the_direct_walk_answers():
    """An analysis without the plain tables (the z3 sweep's, or resolved pools'): `fixed_forms`."""
    model = load_model(ROOT / "tests/charters/good/capped.toml")
    an = dataclasses.replace(analyze(model), tables=None)
    profile = an.segments[-1].profile
    lo = an.segments[-1].lo
    want = base.fixed_forms(model, choice_of(an.units, profile), lo, None)
    assert base.profile_forms(model, an, profile, lo, None) == want


@pytest.mark.parametrize("path", ["charters/quintus.toml", "tests/charters/properties/vote_group_total.toml",
                                  "tests/charters/good/dominant_conversion.toml", "charters/juniper.toml"])
def test_conversion_findings_from_the_tables_equal_the_direct_walk(path, monkeypatch):
    """The conversion check (class votes decided for others, dominant conversion rights) reads no
    waterfall when the analysis has its tables, and finds what the walk finds without them."""
    model, an = _analysed(path)
    walked = conversion.check(model, dataclasses.replace(an, tables=None))

    def no_walk(*args, **kwargs):
        raise AssertionError("the direct waterfall was walked again")

    monkeypatch.setattr(base, "waterfall", no_walk)  # what fixed_forms and exact_payouts run
    assert conversion.check(model, an) == walked


def test_quintus_class_vote_and_dominance_findings():
    """Quintus: the G vote (G1-G6 together) and E's conversion right; the findings the check gives
    (read off the tables) name the vote's members who would have chosen otherwise."""
    model, an = _analysed("charters/quintus.toml")
    got = conversion.check(model, an)
    vote = [f for f in got if "class vote" in f.message.lower() and "would have chosen otherwise" in f.message]
    assert vote, [f.message for f in got]
    assert all(f.witness["vote"] == an.units[0].id for f in vote)


def test_the_offering_at_a_price_is_worked_out_once_per_price(monkeypatch):
    """An entry with only a size test and several series: `_at_price` once per candidate price (and
    once for the example price of each series that loses), not once per series and price."""
    model, an = _analysed("charters/quintus.toml")
    entries = [e for e in model.automatic_conversions if automatic._has_test(e)
               and automatic._min_price(model, e) is None and e.min_valuation is None]
    assert entries and any(len(e.series) > 1 for e in entries)
    calls: list[tuple[str, Fraction]] = []
    real = automatic._at_price

    def counted(model, entry, p):
        calls.append((entry.id, p))
        return real(model, entry, p)

    monkeypatch.setattr(automatic, "_at_price", counted)
    findings = automatic.check(model, an)
    assert calls and len(calls) == len(set(calls))  # no entry's price twice
    monkeypatch.setattr(automatic, "_at_price", real)
    assert automatic.check(model, an) == findings


# ------------------------------------------------------------------ the readings' child shares the tables


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the child is forked")
def test_the_child_reads_the_tables_built_before_it(monkeypatch):
    """With the tables given, the child never builds the model's own tables: here building them in the
    child fails it, and still every effect comes from the child (none is computed in this process),
    equal to the serial ones; the analysis takes the same tables."""
    monkeypatch.setenv(readings.AHEAD_ENV, "1")
    model = load_model(ROOT / "charters/quintus.toml")
    if not readings._ahead_names(model):
        pytest.skip("one core: nothing is computed ahead")
    parent = os.getpid()
    real_init = tables.Tables.__init__

    def init(self, m, *args, **kwargs):
        if os.getpid() != parent and m is model:
            raise RuntimeError("the child built the model's own tables")
        real_init(self, m, *args, **kwargs)

    here: list[str] = []
    real_effect = readings._effect

    def effect(m, name, t):
        if os.getpid() == parent:
            here.append(name)
        return real_effect(m, name, t)

    monkeypatch.setattr(tables.Tables, "__init__", init)
    monkeypatch.setattr(readings, "_effect", effect)
    built = readings.ahead_tables(model)
    assert isinstance(built, tables.Tables) and built.model is model
    assert readings.compute_ahead(model, built) is True
    assert readings.ahead_tables(model) is None  # a child already runs for this model
    assert analyze(model, tables=built).tables is built
    other = load_model(ROOT / "charters/quintus.toml")  # an equal model, another object: its own tables
    assert analyze(other, tables=built).tables is not built
    got = readings.effects(model, built)
    assert here == []  # every effect came from the child
    want = readings.effects(load_model(ROOT / "charters/quintus.toml"))
    assert got == want


def test_no_tables_are_built_ahead_serially(monkeypatch):
    monkeypatch.setenv(readings.AHEAD_ENV, "0")
    assert readings.ahead_tables(load_model(ROOT / "charters/quintus.toml")) is None


# ------------------------------------------------------------------ the hot paths, the same results


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from charterverify.affine import Lin, Tracker  # noqa: E402
from charterverify.rational import fast_rational  # noqa: E402

from strategies import charters  # noqa: E402

_fracs = st.fractions(min_value=-50, max_value=50, max_denominator=12)


@settings(max_examples=150, deadline=None)
@given(_fracs, _fracs, _fracs, _fracs, _fracs, st.sampled_from([1, -1]), st.sampled_from([None, "", "a cap"]),
       st.booleans())
def test_a_comparison_records_what_tracker_crossing_records(origin, v1, s1, v2, s2, direction, why, fast):
    """`Lin._cmp` settles a crossing at or behind the origin by a sign test before the division:
    the tracker ends as `Tracker.crossing` of the crossing point leaves it (bound, causes, at the
    origin), and the comparison's answer is the same; on fast rationals and on Fractions, and with
    the exact value equal (dv = 0), a crossing ahead and behind, and no slope difference."""
    num = fast_rational if fast else Fraction
    for dv_zero in (False, True):
        w2 = v1 if dv_zero else v2
        t = Tracker(num(origin), direction, why=why)
        ref = Tracker(num(origin), direction, why=why)
        a, b = Lin(num(v1), num(s1), t), Lin(num(w2), num(s2), t)
        got = a._cmp(b)
        dv, ds = num(v1) - num(w2), num(s1) - num(s2)
        if ds != 0:
            ref.crossing(ref.origin - dv / ds, why)
        want = (1 if dv > 0 else -1) if dv != 0 else ((ds * direction > 0) - (ds * direction < 0))
        assert got == want
        assert (t.bound, t.causes, t.at_origin) == (ref.bound, ref.causes, ref.at_origin)
        # against a plain number too
        t2, ref2 = Tracker(num(origin), direction, why=why), Tracker(num(origin), direction, why=why)
        Lin(num(v1), num(s1), t2)._cmp(num(w2))
        if s1 != 0:
            ref2.crossing(ref2.origin - (num(v1) - num(w2)) / num(s1), why)
        assert (t2.bound, t2.causes, t2.at_origin) == (ref2.bound, ref2.causes, ref2.at_origin)


def test_affine_arithmetic_keeps_its_types_and_values():
    t = Tracker(fast_rational(2), 1)
    x = Lin(fast_rational(3), fast_rational(1), t)
    for y in (x + fast_rational(1, 3), x + 1, x + Fraction(1, 3), fast_rational(1, 3) + x, x - x, x - 2, x * 3,
              x * Lin(fast_rational(5), fast_rational(0), t), x + Lin(fast_rational(1), fast_rational(2), t)):
        assert type(y) is Lin and y.tracker is t
    assert ((x + Fraction(1, 3)).v, (x + Fraction(1, 3)).s) == (Fraction(10, 3), 1)
    assert ((x - Lin(fast_rational(1), fast_rational(2), t)).v, (x - Lin(fast_rational(1), fast_rational(2), t)).s) == (2, -1)
    assert ((x * 3).v, (x * 3).s) == (9, 3)
    with pytest.raises(TypeError):
        x * x


def _unit_forms_on_affine_numbers(model, units, table, profile):
    """Each stretch's unit forms as they were computed: the unit payoff summed on the affine payouts."""
    from charterverify.game import unit_payoff
    from charterverify.tables import _form

    pl = tables.plan(model, choice_of(units, profile), fast_rational)
    out = []
    for x in table.xs:
        pay = tables.run(pl, tables.fast_variable(x, 1))
        out.append([_form(unit_payoff(model, u, pay)) for u in units])
    return out


@pytest.mark.parametrize("path", ["charters/quintus.toml", "tests/charters/properties/vote_group_total.toml",
                                  "tests/charters/properties/pool_costs.toml"])
def test_unit_forms_are_the_unit_payoffs_forms(path):
    """A stretch's unit forms, summed from the holders' forms (`tables._unit_form`), are the forms of
    the unit payoffs on affine numbers (a class vote's members summed, a controller's, a pool's own),
    on every stretch of every profile."""
    model = load_model(ROOT / path)
    tb = tables.Tables(model)
    kinds = {u.kind for u in tb.units}
    for profile in tb.profiles[:: max(1, len(tb.profiles) // 64)]:
        t = tb.table[profile]
        assert t.unit_forms == _unit_forms_on_affine_numbers(model, tb.units, t, profile), profile
    assert kinds  # every charter here has units


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(charters())
def test_unit_forms_on_random_charters(case):
    _, model = case
    if tables.table_mode(model) != "game":
        return
    tb = tables.Tables(model)
    for profile in tb.profiles:
        t = tb.table[profile]
        assert t.unit_forms == _unit_forms_on_affine_numbers(model, tb.units, t, profile), profile


def _find_walking_every_chain(outline, path_or_label):
    """`Outline.find` as written before the components were kept: every clause's chain walked for
    each look-up."""
    from charterverify.text.outline import _is_subseq, split_components

    comps = split_components(path_or_label)
    if not comps:
        return []
    for ci in (False, True):
        norm = (lambda s: s.lower()) if ci else (lambda s: s)
        q = [norm(c) for c in comps]
        exact = [c for c in outline.clauses if [norm(x) for x in c.components] == q]
        if exact:
            return exact
        suffix = [c for c in outline.clauses if [norm(x) for x in c.components][-len(q):] == q
                  and len(c.components) >= len(q)]
        if suffix:
            return suffix
    return [c for c in outline.clauses
            if len(c.components) < len(comps) and c.components[0] == comps[0] and c.components[-1] == comps[-1]
            and _is_subseq(c.components, comps)]


@pytest.mark.parametrize("name", ["tesaro.txt", "gitlab.txt", "alexza.txt"])
def test_outline_find_equals_walking_every_chain(name):
    """Every clause's own path, its last two and last components, upper and lower case, a path with a
    part left out, and names that are no clause: the same clauses, in the same order."""
    from charterverify.text import load_outline

    path = ROOT.parent / "shared" / "corpus" / name
    if not path.exists():
        pytest.skip("the corpus is not beside the repository")
    outline = load_outline(path)
    queries = {"", "ZZZ", "99(zz)"}
    for c in outline.clauses:
        comps = c.components
        queries.update({c.path, c.path.lower(), c.path.upper(), c.label, ".".join(comps[-2:]), comps[-1]})
        if len(comps) >= 3:
            queries.add(".".join(comps[:1] + ["B"] + comps[1:]))  # a part the outline lacks
    for q in sorted(queries):
        assert outline.find(q) == _find_walking_every_chain(outline, q), q


def test_a_votes_subgame_is_found_by_identity_and_equals_a_fresh_one():
    """`votes._subgame`: for the same units and vote objects the kept answer (the same objects), equal
    to working it out again; for an equal but distinct units tuple, worked out afresh (an entry is
    found by identity, never by hashing)."""
    from charterverify import votes

    model = load_model(ROOT / "charters/quintus.toml")
    units, vote = model.units(), votes.conversion_votes(model)[0]
    got = votes._subgame(units, vote)
    assert all(a is b for a, b in zip(votes._subgame(units, vote), got))
    fixed = set(votes.fixed_units(units, vote))
    assert got == (fixed, [i for i in range(len(units)) if i not in fixed], votes.subgame_profiles(tuple(units), vote))
    # the G vote converts G1-G6 (units 3-8); AD, E and F play on: 2^3 subgame profiles
    assert [units[i].id for i in sorted(fixed)] == ["G1", "G2", "G3", "G4", "G5", "G6"] and len(got[2]) == 8
    copy = tuple(list(units))
    again = votes._subgame(copy, vote)
    assert again[1] is not got[1] and again == got


def test_the_default_text_path_imports_no_heavy_library():
    """`verify MODEL --text-root ../shared` (the text format, the text checks, the properties) in a fresh
    interpreter: none of the libraries other commands use (the report's HTML and charts, the Word and
    spreadsheet readers, the parser, sympy) nor the modules only they need is imported on the way."""
    import subprocess
    import sys

    heavy = ["jinja2", "matplotlib", "sympy", "docx", "lark", "openpyxl", "numpy", "concurrent.futures",
             "charterverify.report.document", "charterverify.report.charts", "charterverify.solver.formulas",
             "charterverify.diff", "charterverify.textdiff", "charterverify.draft.write"]
    code = ("import io, contextlib, sys\n"
            "from charterverify import cli\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    cli.main(['charters/kinzan.toml', '--text-root', '../shared'])\n"
            f"print(sorted(m for m in {heavy!r} if m in sys.modules))\n")
    env = dict(os.environ, CHARTERVERIFY_AHEAD="0")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
