"""Breakpoints and crossovers as formulas of the cap table (charterverify.solver.formulas).

Hand formulas (n_X outstanding shares of series X, d_X its declared dividends per share,
c common outstanding, P an option pool's size):

Valuestar (A senior, $5 + d_A; B $17.50 + d_B, converts 1:10, participates up to $30 per
share, preference included):
  A filled:       S_A = n_A (5 + d_A)
  B filled:       S_A + n_B (35/2 + d_B)
  B's cap binds:  B takes 10 n_B / (c + 10 n_B) of the residual until it has its cap room
                  (30 - 35/2 - d_B) n_B, so the residual needed is (25/2 - d_B)(c + 10 n_B)/10:
                  S_A + n_B (35/2 + d_B) + (25/2 - d_B)(c + 10 n_B)/10
  B converts:     (E - S_A) 10 n_B / (c + 10 n_B) > 30 n_B  <=>  E > S_A + 3 (c + 10 n_B)
Kinzan (one tier; A $0.90, B $4, C $12.30, each plus d_X; all convert 1:1; nothing participates):
  stack:          n_A (9/10 + d_A) + n_B (4 + d_B) + n_C (123/10 + d_C)
  A converts:     (E - pref_B - pref_C)/(c + n_A) > 9/10 + d_A
  B converts:     (E - pref_C)/(c + n_A + n_B) > 4 + d_B           (A converted)
  C converts:     E/(c + n_A + n_B + n_C) > 123/10 + d_C          (A, B converted)
A formula is local: moving an input a little (keeping every comparison's outcome) must move
each breakpoint exactly as its formula says; the perturbation tests re-run the analysis.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction as F
from pathlib import Path

import pytest
import sympy

from charterverify.affine import Lin
from charterverify.evaluate import choice_of, waterfall
from charterverify.model import loads_model, load_model
from charterverify.solver.breakpoints import analyze
from charterverify.solver.formulas import (
    Dual,
    boundary_formula,
    breakpoint_expressions,
    breakpoint_formulas,
    crossover_expressions,
    crossover_formulas,
    expression_of,
    substitutions,
    symbolic_model,
    symbols_for,
)

CHARTERS = Path(__file__).resolve().parents[1] / "charters"
FAST = ["valuestar", "kinzan", "netgear", "juniper"]


def _model(name):
    return load_model(CHARTERS / f"{name}.toml")


@pytest.fixture(scope="module")
def analyses():
    return {name: analyze(_model(name)) for name in FAST}


def _equal(a, b) -> bool:
    return sympy.simplify(a - b) == 0


def _at(expr, model, **changes):
    """The expression at the model's inputs, some of them changed."""
    syms = symbols_for(model)
    subs = substitutions(model)
    for k, v in changes.items():
        subs[syms[k]] = sympy.Rational(F(v).numerator, F(v).denominator)
    out = expr.xreplace(subs)
    assert out.is_Rational
    return F(int(out.p), int(out.q))


def _perturbed(model, **changes):
    ct = model.captable
    out, div, common, pools = dict(ct.outstanding), dict(ct.dividends), ct.common_outstanding, list(ct.options)
    for k, v in changes.items():
        if k == "common_outstanding":
            common = v
        elif k.startswith("outstanding_"):
            out[k[len("outstanding_"):]] = v
        elif k.startswith("dividends_"):
            div[k[len("dividends_"):]] = F(v)
        elif k.startswith("pool_"):
            pools = [dataclasses.replace(p, count=v) if p.id == k[len("pool_"):] else p for p in pools]
    ct = dataclasses.replace(ct, common_outstanding=common, outstanding=out, dividends=div, options=tuple(pools))
    return dataclasses.replace(model, captable=ct)


def _assert_moves_as_predicted(an, hold_dividends=False, **changes):
    """Re-analyse with changed inputs: every formula must give a breakpoint of the new analysis."""
    new = analyze(_perturbed(an.model, **changes))
    assert len(new.breakpoints) == len(an.breakpoints)
    exprs = breakpoint_expressions(an, hold_dividends=hold_dividends)
    predicted = [_at(e, an.model, **changes) if e is not None else None for e in exprs]
    for p, b in zip(predicted, new.breakpoints):
        if p is not None:
            assert p == b.x
    return predicted


# ---------------------------------------------------------------- the symbols


def test_symbols_and_substitutions():
    m = _model("valuestar")
    s = symbols_for(m)
    assert list(s) == ["common_outstanding", "outstanding_A", "outstanding_B", "dividends_A", "dividends_B"]
    subs = substitutions(m)
    assert subs[s["common_outstanding"]] == 8_000_000
    assert subs[s["outstanding_A"]] == 1_000_000 and subs[s["outstanding_B"]] == 800_000
    assert subs[s["dividends_B"]] == 0


def test_dual_arithmetic_carries_the_expression():
    x, y = sympy.symbols("x y")
    a, b = Dual.leaf(3, x), Dual.leaf(F(1, 2), y)
    for v, e in [
        (a + b, x + y), (1 + a, 1 + x), (a - b, x - y), (F(5) - a, 5 - x), (a * b, x * y), (2 * a, 2 * x),
        (a / b, x / y), (1 / a, 1 / x), (-a, -x), (sum([a, b], F(0)), x + y),
    ]:
        assert isinstance(v, Dual)
        assert _equal(expression_of(v), e)
        assert F(v) == F(expression_of(v).xreplace({x: 3, y: sympy.Rational(1, 2)}))
    assert a > b and a == 3 and hash(a) == hash(F(3))
    assert expression_of(F(7, 3)) == sympy.Rational(7, 3)
    # an affine number with dual coefficients keeps them
    lin = Lin(a, b, None)
    assert isinstance(lin.v, Dual) and isinstance(lin.s, Dual)
    assert type(Lin(3, F(1, 2), None).v) is F


@pytest.mark.parametrize("name", FAST + ["quintus"])
def test_symbolic_model_replays_the_numbers(name):
    """The waterfall on the dual-valued model gives exactly the numeric payouts (same branches)."""
    m = _model(name)
    sm = symbolic_model(m)
    units = m.units()
    for E in (F(0), F(10**6), F(7 * 10**7 + 1, 3), F(10**9)):
        for profile in [(False,) * len(units), (True,) * len(units)]:
            ch = choice_of(units, profile)
            assert waterfall(sm, E, ch) == waterfall(m, E, ch)
            # and on affine numbers, both sides
            for d in (1, -1):
                from charterverify.affine import variable
                ln, ls = waterfall(m, variable(E, d), ch), waterfall(sm, variable(E, d), ch)
                assert {h: (v.v, v.s) for h, v in ln.items()} == {h: (v.v, v.s) for h, v in ls.items()}


# ---------------------------------------------------------------- hand formulas


def test_valuestar_formulas(analyses):
    an = analyses["valuestar"]
    s = symbols_for(an.model)
    c, nA, nB, dA, dB = (s[k] for k in ("common_outstanding", "outstanding_A", "outstanding_B",
                                        "dividends_A", "dividends_B"))
    SA = nA * (5 + dA)
    half = sympy.Rational(1, 2)
    hand = [
        SA,
        SA + nB * (35 * half + dB),
        SA + nB * (35 * half + dB) + (25 * half - dB) * (c + 10 * nB) / 10,
        SA + 3 * (c + 10 * nB),
    ]
    exprs = breakpoint_expressions(an)
    assert len(exprs) == len(hand) == 4
    for e, h, b in zip(exprs, hand, an.breakpoints):
        assert _equal(e, h)
        assert _at(e, an.model) == b.x
    # with no dividends declared: 5 x n_A = 5,000,000, and so on
    zero = {dA: 0, dB: 0}
    assert _equal(exprs[0].xreplace(zero), 5 * nA)
    assert _equal(exprs[1].xreplace(zero), 5 * nA + sympy.Rational(35, 2) * nB)
    assert _equal(exprs[3].xreplace(zero), 5 * nA + 3 * c + 30 * nB)
    assert breakpoint_formulas(an) == [str(e) for e in exprs]
    assert breakpoint_formulas(an)[0] == "outstanding_A*(dividends_A + 5)"
    # the crossover of B is the last breakpoint
    cx = crossover_expressions(an)
    assert list(cx) == ["B"] and _equal(cx["B"], hand[3])
    assert crossover_formulas(an) == {"B": str(cx["B"])}


def test_kinzan_formulas(analyses):
    an = analyses["kinzan"]
    s = symbols_for(an.model)
    c = s["common_outstanding"]
    n = {k: s[f"outstanding_{k}"] for k in "ABC"}
    d = {k: s[f"dividends_{k}"] for k in "ABC"}
    pref = {k: n[k] * (p + d[k]) for k, p in zip("ABC", (sympy.Rational(9, 10), 4, sympy.Rational(123, 10)))}
    hand = [
        pref["A"] + pref["B"] + pref["C"],
        pref["B"] + pref["C"] + (sympy.Rational(9, 10) + d["A"]) * (c + n["A"]),
        pref["C"] + (4 + d["B"]) * (c + n["A"] + n["B"]),
        (sympy.Rational(123, 10) + d["C"]) * (c + n["A"] + n["B"] + n["C"]),
    ]
    exprs = breakpoint_expressions(an)
    for e, h, b in zip(exprs, hand, an.breakpoints):
        assert _equal(e, h)
        assert _at(e, an.model) == b.x
    cx = crossover_expressions(an)
    assert list(cx) == ["A", "B", "C"]
    for k, h in zip("ABC", hand[1:]):
        assert _equal(cx[k], h)
    # boundary_formula agrees with the breakpoint list, and refuses a point that is no boundary
    assert _equal(boundary_formula(an, an.breakpoints[2].x)[0], hand[2])
    e, text = boundary_formula(an, F(1))
    assert e is None and text.startswith("no formula")


# ---------------------------------------------------------------- every seed


@pytest.mark.parametrize("name", FAST)
def test_every_formula_evaluates_to_its_breakpoint(analyses, name):
    an = analyses[name]
    exprs, texts = breakpoint_expressions(an), breakpoint_formulas(an)
    assert len(exprs) == len(texts) == len(an.breakpoints)
    for b, e, t in zip(an.breakpoints, exprs, texts):
        if e is None:
            assert t.startswith("no ")
            continue
        assert t == str(e)
        assert e.free_symbols <= set(symbols_for(an.model).values())
        assert _at(e, an.model) == b.x  # exactly
        assert sympy.sympify(t, locals=symbols_for(an.model)) == e  # the string reads back
    # with the dividends held as declared every breakpoint of these seeds has a formula
    held = breakpoint_expressions(an, hold_dividends=True)
    assert all(e is not None for e in held)
    for b, e in zip(an.breakpoints, held):
        assert _at(e, an.model) == b.x
        assert not any(str(x).startswith("dividends_") for x in e.free_symbols)


def test_juniper_d_and_d1_coincide(analyses):
    """D and D1 have the same terms: they convert at the same point while their dividends are
    equal, and part when one of them declares dividends. No single formula, but the sentence
    gives the formula that holds while the dividends stay as declared."""
    an = analyses["juniper"]
    last = an.breakpoints[-1]
    assert any("Series D converts" in c for c in last.causes) and any("Series D1 converts" in c for c in last.causes)
    assert breakpoint_expressions(an)[-1] is None
    text = breakpoint_formulas(an)[-1]
    assert text.startswith("no single formula: Series D converts")
    held = breakpoint_expressions(an, hold_dividends=True)[-1]
    assert text.endswith(f"while those stay as declared, it is at {held}")
    assert all(e is not None for e in breakpoint_expressions(an)[:-1])


# ---------------------------------------------------------------- the formulas move with the inputs


def test_valuestar_moves_as_predicted(analyses):
    an = analyses["valuestar"]
    predicted = _assert_moves_as_predicted(an, outstanding_B=700_000, dividends_B=F(1, 4),
                                           common_outstanding=8_100_000, dividends_A=F(1, 3))
    assert predicted[3] == F(16, 3) * 10**6 + 3 * 8_100_000 + 21_000_000


def test_kinzan_moves_as_predicted(analyses):
    _assert_moves_as_predicted(analyses["kinzan"], outstanding_A=5_000_000, outstanding_C=2_000_000,
                               dividends_C=F(1, 2), common_outstanding=11_000_000, dividends_B=F(1, 5))


def test_juniper_moves_as_predicted(analyses):
    an = analyses["juniper"]
    _assert_moves_as_predicted(an, outstanding_A=1_700_000, outstanding_C=5_100_000,
                               common_outstanding=20_500_000, dividends_B=F(1, 10))
    _assert_moves_as_predicted(an, hold_dividends=True, outstanding_D=590_000, outstanding_D1=2_600_000,
                               common_outstanding=19_000_000)


POOL = """\
format = 1
[charter]
id = "pool"
[[series]]
id = "A"
designated = 1000
original_issue_price = "1.00"
source = "1"
[series.preference]
source = "2"
[series.conversion]
price = "1.00"
source = "3"
[[tiers]]
id = "t"
series = ["A"]
source = "2"
[captable]
common_outstanding = 1000
[[captable.options]]
id = "esop"
count = 500
exercise_price = "0.10"
[[captable.options]]
id = "p-2"
count = 200
exercise_price = "2.00"
"""


def test_option_pools():
    """A $1 x n_A first; the esop pool (P options at $0.10) exercises once a common share is worth
    more than $0.10: (E + P/10 - n_A)/(c + P) > 1/10, E > n_A + c/10; A converts when
    (E + P/10)/(c + P + n_A) > 1: E > c + n_A + 9P/10; pool p-2 (Q at $2) exercises when
    (E + P/10 + 2Q)/(c + P + n_A + Q) > 2: E > 2(c + n_A) + 19P/10."""
    m = loads_model(POOL, "<pool>")
    an = analyze(m)
    s = symbols_for(m)
    assert "pool_esop" in s and "pool_p_2" in s
    c, nA, P, dA = s["common_outstanding"], s["outstanding_A"], s["pool_esop"], s["dividends_A"]
    hand = [
        nA * (1 + dA),
        nA * (1 + dA) + c / 10,
        c + nA + sympy.Rational(9, 10) * P + dA * (c + nA + P),
        2 * (c + nA) + sympy.Rational(19, 10) * P,
    ]
    assert [b.x for b in an.breakpoints] == [1000, 1100, 2450, 4950]
    exprs = breakpoint_expressions(an)
    for e, h in zip(exprs, hand):
        assert _equal(e, h)
    _assert_moves_as_predicted(an, pool_esop=600, common_outstanding=1100, outstanding_A=900, pool_p_2=300)


def test_quintus():
    """The one slow seed (its analysis takes about 20 s; the formulas add a few seconds): 19
    breakpoints, among them a class vote switching back (a ratio of polynomials in the inputs).
    G4's cap ($19.308 = 2 x $9.654) binds exactly where G2 converts, and G5's ($22.526 = 2 x
    $11.263) where G3 converts: these part when a dividend is declared on one of them, so they get
    a sentence (with the formula that holds while dividends stay as declared); every other
    breakpoint gets a formula that gives its exact value."""
    an = analyze(_model("quintus"))
    exprs, texts = breakpoint_expressions(an), breakpoint_formulas(an)
    assert len(exprs) == len(an.breakpoints) == 19
    missing = [b.x for b, e in zip(an.breakpoints, exprs) if e is None]
    assert missing == [F("410391961.609"), F("463910807.237")]
    for b, e, t in zip(an.breakpoints, exprs, texts):
        if e is None:
            assert t.startswith("no single formula: ") and "while those stay as declared, it is at " in t
            held = sympy.sympify(t.rsplit("it is at ", 1)[1], locals=symbols_for(an.model))
            assert _at(held, an.model) == b.x
        else:
            assert t == str(e) and _at(e, an.model) == b.x
    # the A-D class vote stops converting where the pro-rata share of the junior tier overtakes the
    # cash amount plus the common share: a genuine ratio of polynomials in the inputs
    vote = next(e for b, e in zip(an.breakpoints, exprs) if any("stop converting" in c for c in b.causes))
    assert not sympy.fraction(sympy.cancel(vote))[1].is_number
