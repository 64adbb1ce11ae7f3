"""Breakpoints and crossovers as closed-form expressions of the cap table (sympy).

The sweep (`breakpoints.analyze`) finds every breakpoint as an exact number. This
module says how each one moves with the cap-table inputs — common outstanding,
each series' outstanding shares, declared dividends per share, option pool sizes —
as a sympy expression that evaluates to that exact number at the model's inputs.

How: the direct waterfall is replayed on *duals*, exact numbers (`Fraction`s, so
every comparison is decided by the same exact value as in the numeric run and every
branch is the numeric one) that also carry how they were computed from the inputs.
Around a breakpoint x, the waterfall of each equilibrium of the two neighbouring
segments is replayed on affine numbers whose coefficients are duals, one-sided from
x: a comparison that flips at x records its crossing point x − dv/ds, now a dual; a
unit whose incentive to switch (its payout in the profile minus in its deviation, as
in `Sweep._incentive_bound`) vanishes at x gives the root x − g(x)/g'. Candidates
are those whose value is x exactly; of them, those that belong to a cause of the
breakpoint (the comparison's label, or a unit switching there) are kept, or all of
them when none does. When every kept candidate has the same expression, that is the
breakpoint's formula; it is then substituted at the model's inputs and must give x
exactly. Otherwise the breakpoint gets a sentence saying why no formula is given —
for instance two events that coincide at these inputs but move apart when the
inputs change (two series with the same terms converting together: they part when
one of them declares dividends; the sentence then gives the formula that holds while
the dividends stay as declared, which `hold_dividends=True` returns as the
expression) — never a wrong formula.

Symbols: `common_outstanding`, `outstanding_<series>`, `dividends_<series>` (declared
but unpaid, per share; every series has one, 0 where none is declared) and
`pool_<pool>` (options in the pool); characters of an id other than letters, digits
and `_` become `_`.

A formula is local: it holds as long as the inputs stay close enough to the model's
that every comparison of the waterfall and of the conversion game keeps its outcome
(the same structure of payouts), which is what "how does it move" asks.
"""

from __future__ import annotations

import dataclasses
import re
import weakref
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy

from ..affine import Lin, Tracker
from ..evaluate import choice_of, waterfall
from ..game import flip, unit_payoff
from ..model import Charter, format_exact
from .breakpoints import Analysis, Piece, Profile, describe_switch

__all__ = [
    "Dual",
    "expression_of",
    "symbolic_model",
    "symbols_for",
    "substitutions",
    "breakpoint_expressions",
    "breakpoint_formulas",
    "boundary_formula",
    "crossover_expressions",
    "crossover_formulas",
]


# ---------------------------------------------------------------- duals


def _rational(x) -> sympy.Rational:
    return sympy.Rational(x.numerator, x.denominator)


class Dual(Fraction):
    """An exact number that also knows its expression in the cap-table symbols.

    The number decides every comparison (it *is* a `Fraction`); the expression is built
    lazily, only for the numbers whose formula is asked for.
    """

    __slots__ = ("_op", "_args", "_expr")

    @classmethod
    def leaf(cls, value, symbol: sympy.Expr) -> "Dual":
        d = Fraction.__new__(cls, Fraction(value))
        d._op, d._args, d._expr = None, None, symbol
        return d

    @classmethod
    def _node(cls, value: Fraction, op: str, *args) -> "Dual":
        d = Fraction.__new__(cls, value)
        d._op, d._args, d._expr = op, args, None
        return d

    # -- arithmetic (anything else, e.g. an affine number, handles the operation itself)
    def __add__(self, o):
        if isinstance(o, (int, Fraction)):
            return Dual._node(Fraction.__add__(self, o), "+", self, o)
        return NotImplemented

    def __radd__(self, o):
        if isinstance(o, (int, Fraction)):
            return Dual._node(Fraction.__radd__(self, o), "+", o, self)
        return NotImplemented

    def __sub__(self, o):
        if isinstance(o, (int, Fraction)):
            return Dual._node(Fraction.__sub__(self, o), "-", self, o)
        return NotImplemented

    def __rsub__(self, o):
        if isinstance(o, (int, Fraction)):
            return Dual._node(Fraction.__rsub__(self, o), "-", o, self)
        return NotImplemented

    def __mul__(self, o):
        if isinstance(o, (int, Fraction)):
            return Dual._node(Fraction.__mul__(self, o), "*", self, o)
        return NotImplemented

    def __rmul__(self, o):
        if isinstance(o, (int, Fraction)):
            return Dual._node(Fraction.__rmul__(self, o), "*", o, self)
        return NotImplemented

    def __truediv__(self, o):
        if isinstance(o, (int, Fraction)):
            return Dual._node(Fraction.__truediv__(self, o), "/", self, o)
        return NotImplemented

    def __rtruediv__(self, o):
        if isinstance(o, (int, Fraction)):
            return Dual._node(Fraction.__rtruediv__(self, o), "/", o, self)
        return NotImplemented

    def __neg__(self):
        return Dual._node(Fraction.__neg__(self), "neg", self)

    def __pos__(self):
        return self

    def __abs__(self):
        return self if self >= 0 else -self

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __repr__(self) -> str:
        return f"Dual({format_exact(Fraction(self))})"

    @property
    def expr(self) -> sympy.Expr:
        return expression_of(self)

    @property
    def value(self) -> Fraction:
        return Fraction(self.numerator, self.denominator)


_APPLY = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "neg": lambda a: -a,
}


def expression_of(x) -> sympy.Expr:
    """The sympy expression of a dual (a plain int or Fraction is its own constant)."""
    if not isinstance(x, Dual):
        return _rational(x)
    if x._expr is not None:
        return x._expr
    stack = [x]
    while stack:  # post-order, iterative: chains of sums can be long
        d = stack[-1]
        if d._expr is not None:
            stack.pop()
            continue
        pending = [a for a in d._args if isinstance(a, Dual) and a._expr is None]
        if pending:
            stack.extend(pending)
            continue
        d._expr = _APPLY[d._op](*(a._expr if isinstance(a, Dual) else _rational(a) for a in d._args))
        d._args = None
        stack.pop()
    return x._expr


# ---------------------------------------------------------------- symbols


def _clean(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


def _names(model: Charter) -> list[tuple[str, str, str]]:
    """(symbol name, kind, id) for every cap-table input, in model order; names are unique."""
    raw = [("common_outstanding", "common", "")]
    raw += [(f"outstanding_{_clean(s.id)}", "outstanding", s.id) for s in model.series]
    raw += [(f"dividends_{_clean(s.id)}", "dividends", s.id) for s in model.series]
    raw += [(f"pool_{_clean(p.id)}", "pool", p.id) for p in model.captable.options]
    out, used = [], set()
    for name, kind, ident in raw:
        n, k = name, 2
        while n in used:  # ids differing only in '-' / '.' against '_'
            n, k = f"{name}_{k}", k + 1
        used.add(n)
        out.append((n, kind, ident))
    return out


def _symbol(name: str, kind: str) -> sympy.Symbol:
    # share counts are positive integers (the model rejects zero); dividends are amounts >= 0
    if kind == "dividends":
        return sympy.Symbol(name, nonnegative=True)
    return sympy.Symbol(name, positive=True)


def symbols_for(model: Charter) -> dict[str, sympy.Symbol]:
    """The cap-table inputs as sympy symbols, by name: `common_outstanding`, `outstanding_<series>`,
    `dividends_<series>` (declared but unpaid, per share), `pool_<pool>` (options in the pool)."""
    return {name: _symbol(name, kind) for name, kind, _ in _names(model)}


def _values(model: Charter) -> dict[str, Fraction]:
    ct = model.captable
    vals = {}
    for name, kind, ident in _names(model):
        if kind == "common":
            vals[name] = Fraction(ct.common_outstanding)
        elif kind == "outstanding":
            vals[name] = Fraction(model.outstanding(ident))
        elif kind == "dividends":
            vals[name] = Fraction(model.dividends(ident))
        else:
            vals[name] = Fraction(next(p.count for p in ct.options if p.id == ident))
    return vals


def substitutions(model: Charter) -> dict[sympy.Symbol, sympy.Rational]:
    """The model's value of every symbol of `symbols_for(model)`."""
    syms = symbols_for(model)
    return {syms[n]: _rational(v) for n, v in _values(model).items()}


def symbolic_model(model: Charter, hold_dividends: bool = False) -> Charter:
    """The same model with every cap-table input replaced by a dual carrying its symbol
    (with `hold_dividends`, the declared dividends stay plain numbers)."""
    syms, vals = symbols_for(model), _values(model)
    ct = model.captable
    by = {(kind, ident): name for name, kind, ident in _names(model)}

    def dual(kind: str, ident: str) -> Fraction:
        name = by[(kind, ident)]
        if kind == "dividends" and hold_dividends:
            return vals[name]
        return Dual.leaf(vals[name], syms[name])

    captable = dataclasses.replace(
        ct,
        common_outstanding=dual("common", ""),
        outstanding={s.id: dual("outstanding", s.id) for s in model.series},
        dividends={s.id: dual("dividends", s.id) for s in model.series},
        options=tuple(dataclasses.replace(p, count=dual("pool", p.id)) for p in ct.options),
    )
    # the dividends symbol stands for everything added to the preference per share (declared and accrued)
    return dataclasses.replace(model, captable=captable, accrued={})


# ---------------------------------------------------------------- replay


@dataclass
class _Recorder(Tracker):
    """A tracker that also keeps every crossing it is shown, wherever it lies."""

    seen: list[tuple[Fraction, str | None]] = field(default_factory=list)

    def crossing(self, x, why):
        self.seen.append((x, why))
        super().crossing(x, why)


def _replay(smodel: Charter, units, profile: Profile, x: Fraction, d: int):
    t = _Recorder(Fraction(x), d)
    pay = waterfall(smodel, Lin(Fraction(x), 1, t), choice_of(units, profile))
    return pay, t


@dataclass
class _Candidate:
    key: tuple[str, str]  # ("why", comparison label) or ("switch", unit id)
    value: Fraction  # a Dual (or a plain Fraction when no input enters)
    what: str


def _candidates(an: Analysis, smodel: Charter, x: Fraction, sides) -> list[_Candidate]:
    """Crossings and incentive roots at exactly x, one-sided from x into each neighbouring segment."""
    units = an.units
    out: list[_Candidate] = []
    for seg, d in sides:
        if seg is None:
            continue
        for prof in seg.profiles or (seg.profile,):
            pay, t = _replay(smodel, units, prof, x, d)
            for cx, why in t.seen:
                if cx == x:
                    out.append(_Candidate(("why", why or ""), cx, why or "a comparison of the waterfall"))
            if not seg.profiles:
                continue  # no equilibrium on the segment: no incentive to follow
            for i, u in enumerate(units):
                dev, _ = _replay(smodel, units, flip(prof, i), x, d)
                g = unit_payoff(smodel, u, pay) - unit_payoff(smodel, u, dev)
                if g.s != 0 and g.v == 0:
                    acting = prof[i] if d > 0 else not prof[i]  # the switch as read from left to right
                    out.append(_Candidate(("switch", u.id), x - g.v / g.s, describe_switch(an.model, u, acting)))
    return out


def _probe_values(symbols, k: int) -> dict:
    # fixed, unlikely values: a difference of rational functions that vanishes at them all is
    # then checked symbolically; one that does not vanish is certainly not zero
    primes = (101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167, 173)
    return {s: sympy.Rational(primes[(n * 7 + k) % len(primes)] + n, 97 + k) for n, s in enumerate(symbols)}


def _same(a: sympy.Expr, b: sympy.Expr) -> bool:
    """Whether two rational functions of the inputs are equal (cheap probes first, then sympy)."""
    if a == b:
        return True
    syms = sorted(a.free_symbols | b.free_symbols, key=str)
    for k in range(2):
        v = _probe_values(syms, k)
        va, vb = a.xreplace(v), b.xreplace(v)
        if not (va.is_Rational and vb.is_Rational):
            break  # a pole at the probe: decide symbolically
        if va != vb:
            return False
    return sympy.cancel(a - b) == 0


_FACTOR_MAX_SYMBOLS = 8  # sympy's multivariate factoring slows down sharply with many variables


def _simplify(e: sympy.Expr) -> sympy.Expr:
    """A readable canonical form: a polynomial in the inputs is expanded (each coefficient says how
    far the point moves per unit of that input) unless factoring makes it much shorter; a ratio of
    polynomials is put over one denominator, factored when that is shorter."""
    if any(p.exp.is_negative and not p.base.is_number for p in e.atoms(sympy.Pow)):
        e = sympy.cancel(sympy.together(e))  # a ratio of polynomials: over one denominator
    else:
        e = sympy.expand(e)  # a polynomial
    few = len(e.free_symbols) <= _FACTOR_MAX_SYMBOLS
    _, den = sympy.fraction(e)
    if den.is_number:
        plain = sympy.expand(e)
        if not few or not plain.free_symbols or sympy.Poly(plain, *plain.free_symbols).total_degree() <= 1:
            return plain  # a linear form reads best expanded; large ones are slow to factor
        factored = sympy.factor(plain)
        return factored if len(str(factored)) < 0.8 * len(str(plain)) else plain
    if not few:
        return e
    factored = sympy.factor(e)
    return factored if len(str(factored)) < len(str(e)) else e


@dataclass
class _Result:
    expr: sympy.Expr | None
    text: str


class _Context:
    """One analysis, its symbolic model(s) and the model's values of the symbols."""

    def __init__(self, an: Analysis, hold_dividends: bool = False):
        self.an = an
        self.hold = hold_dividends
        self.smodel = symbolic_model(an.model, hold_dividends)
        self.subs = substitutions(an.model)
        self._held: _Context | None = None

    @property
    def held(self) -> "_Context":
        if self._held is None:
            self._held = self if self.hold else _Context(self.an, True)
        return self._held

    def derive(self, x: Fraction, keys: set[tuple[str, str]]) -> _Result:
        an = self.an
        left = next((s for s in an.segments if s.hi == x), None)
        right = next((s for s in an.segments if s.lo == x), None)
        where = format_exact(x)
        if left is None and right is None:
            return _Result(None, f"no formula: {where} is not a boundary between pieces of the analysis")
        keys = keys | _switch_keys(an, left, right)
        cands = _candidates(an, self.smodel, x, [(left, -1), (right, 1)])
        if not cands:
            return _Result(None, f"no formula: no comparison of the waterfall and no unit's incentive to "
                                 f"switch changes sign exactly at {where} in the neighbouring pieces")
        chosen = [c for c in cands if c.key in keys] or cands
        distinct: list[tuple[sympy.Expr, list[_Candidate]]] = []
        for c in chosen:
            e = expression_of(c.value)
            for known in distinct:
                if _same(known[0], e):
                    known[1].append(c)
                    break
            else:
                distinct.append((e, [c]))
        if len(distinct) > 1:
            return self._coincidence(x, keys, distinct)
        expr = _simplify(distinct[0][0])
        if expr.xreplace(self.subs) != _rational(x):  # the formula must give the exact number
            return _Result(None, f"no formula: the derived expression {expr} does not evaluate to {where}")
        return _Result(expr, str(expr))

    def _coincidence(self, x, keys, distinct) -> _Result:
        events = list(dict.fromkeys(cs[0].what for _, cs in distinct))
        head = (f"no single formula: {' and '.join(events) if len(events) > 1 else events[0]} coincide at "
                f"{format_exact(x)} with the model's inputs, but {len(distinct)} different formulas give this "
                f"point (it splits when the inputs change)")
        if not self.hold:
            held = self.held.derive(x, keys)
            if held.expr is not None:
                return _Result(None, f"{head}; they part only through the declared dividends: while those stay "
                                     f"as declared, it is at {held.expr}")
        parts = "; ".join(f"{_simplify(e)} ({cs[0].what})" for e, cs in distinct)
        return _Result(None, f"{head}: {parts}")


def _switch_keys(an: Analysis, left: Piece | None, right: Piece | None) -> set[tuple[str, str]]:
    if left is None or right is None:
        return set()
    return {("switch", u.id) for i, u in enumerate(an.units) if left.profile[i] != right.profile[i]}


# ---------------------------------------------------------------- public API


_CACHE: dict[tuple[int, bool], tuple[Any, list[_Result]]] = {}


def _breakpoint_results(an: Analysis, hold_dividends: bool) -> list[_Result]:
    key = (id(an), hold_dividends)
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is an:
        return hit[1]
    ctx = _Context(an, hold_dividends)
    out = [ctx.derive(bp.x, {("why", c) for c in bp.causes}) for bp in an.breakpoints]
    try:
        ref = weakref.ref(an, lambda _r, k=key: _CACHE.pop(k, None))
    except TypeError:  # pragma: no cover
        return out
    _CACHE[key] = (ref, out)
    return out


def breakpoint_expressions(analysis: Analysis, hold_dividends: bool = False) -> list[sympy.Expr | None]:
    """One sympy expression per breakpoint of the analysis, in order (None where none is derived).

    With `hold_dividends` the declared dividends are constants, not symbols: formulas in the share
    counts only (events that coincide only while dividends stay as declared then get one)."""
    return [r.expr for r in _breakpoint_results(analysis, hold_dividends)]


def breakpoint_formulas(analysis: Analysis, hold_dividends: bool = False) -> list[str]:
    """One string per breakpoint, in order: the formula, or a sentence saying why there is none."""
    return [r.text for r in _breakpoint_results(analysis, hold_dividends)]


def boundary_formula(analysis: Analysis, x, hold_dividends: bool = False) -> tuple[sympy.Expr | None, str]:
    """The formula of any boundary between segments of the analysis (a breakpoint or a unit's switch)."""
    x = Fraction(x)
    bp = next((b for b in analysis.breakpoints if b.x == x), None)
    keys = {("why", c) for c in bp.causes} if bp is not None else set()
    r = _Context(analysis, hold_dividends).derive(x, keys)
    return r.expr, r.text


def _crossovers(an: Analysis, hold_dividends: bool) -> dict[str, _Result]:
    from .crossovers import crossovers

    ctx = _Context(an, hold_dividends)
    return {c.unit.id: ctx.derive(c.x, {("switch", c.unit.id)}) for c in crossovers(an) if c.x}


def crossover_expressions(analysis: Analysis, hold_dividends: bool = False) -> dict[str, sympy.Expr | None]:
    """Per deciding unit with a positive crossover (it acts for good above it): the crossover's
    expression, None where none is derived."""
    return {k: r.expr for k, r in _crossovers(analysis, hold_dividends).items()}


def crossover_formulas(analysis: Analysis, hold_dividends: bool = False) -> dict[str, str]:
    """Per deciding unit with a positive crossover: the formula, or why there is none."""
    return {k: r.text for k, r in _crossovers(analysis, hold_dividends).items()}
