"""Affine numbers for the breakpoint sweep: v + s·(E − E0) near a point E0, on one side.

Comparisons are decided at E0 on the chosen side (right or left) and each one
records where it would flip: the nearest such point bounds the interval on which
every payout keeps its affine form. Only +, −, and * or / by exact constants are
needed: the waterfall is linear once the conversion choices are fixed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from .rational import EXACT, FAST, fast_rational


@dataclass
class Tracker:
    origin: Fraction
    direction: int  # +1: right of origin; -1: left of origin
    bound: Fraction | None = None  # nearest flip point on that side (None: unbounded)
    why: str | None = None  # label of the comparison being made
    causes: dict[Fraction, set[str]] = field(default_factory=dict)
    at_origin: set[str] = field(default_factory=set)  # labels of comparisons that flip at the origin itself

    def crossing(self, x: Fraction, why: str | None) -> None:
        if (x - self.origin) * self.direction <= 0:
            if why and x == self.origin:
                self.at_origin.add(why)
            return
        if self.bound is None or (x - self.bound) * self.direction < 0:
            self.bound = x
        if why:
            self.causes.setdefault(x, set()).add(why)


class Lin:
    __slots__ = ("v", "s", "tracker")

    def __init__(self, v, s, tracker: Tracker):
        # an exact number that already is a Fraction (or a subclass carrying more, such as the
        # symbolic duals of solver.formulas) or a fast rational is kept as it is; anything else
        # becomes the rational type of the tracker's origin
        if (type(v) is not FAST or type(s) is not FAST) and (not isinstance(v, EXACT) or not isinstance(s, EXACT)):
            kind = fast_rational if tracker is not None and isinstance(tracker.origin, FAST) else Fraction
            v = v if isinstance(v, EXACT) else kind(v)
            s = s if isinstance(s, EXACT) else kind(s)
        self.v = v
        self.s = s
        self.tracker = tracker

    # -- arithmetic (results of exact operations on exact numbers are exact: no re-checking)
    def _lift(self, o) -> "Lin":
        return o if isinstance(o, Lin) else Lin(o, 0, self.tracker)

    # (the hot operations build their result in place: `_new` spelled out, one call less)
    def __add__(self, o):
        if type(o) is Lin:
            x = _make(Lin)
            x.v, x.s, x.tracker = self.v + o.v, self.s + o.s, self.tracker
            return x
        if isinstance(o, _NUMBERS):
            x = _make(Lin)
            x.v, x.s, x.tracker = self.v + o, self.s, self.tracker
            return x
        return self + self._lift(o)

    __radd__ = __add__

    def __sub__(self, o):
        if type(o) is Lin:
            x = _make(Lin)
            x.v, x.s, x.tracker = self.v - o.v, self.s - o.s, self.tracker
            return x
        if isinstance(o, _NUMBERS):
            x = _make(Lin)
            x.v, x.s, x.tracker = self.v - o, self.s, self.tracker
            return x
        return self - self._lift(o)

    def __rsub__(self, o):
        return self._lift(o) - self

    def __neg__(self):
        return _new(-self.v, -self.s, self.tracker)

    def __mul__(self, k):
        if type(k) is Lin:
            if k.s == 0:
                k = k.v
            elif self.s == 0:
                return k * self.v
            else:
                raise TypeError("product of two non-constant affine numbers")
        x = _make(Lin)
        x.v, x.s, x.tracker = self.v * k, self.s * k, self.tracker
        return x

    __rmul__ = __mul__

    def __truediv__(self, k):
        if isinstance(k, Lin):
            if k.s != 0:
                raise TypeError("division by a non-constant affine number")
            k = k.v
        return _new(self.v / k, self.s / k, self.tracker)

    # -- comparisons, decided on the tracker's side of its origin
    def _cmp(self, o) -> int:
        if type(o) is Lin:
            dv, ds = self.v - o.v, self.s - o.s
        elif isinstance(o, _NUMBERS):
            dv, ds = self.v - o, self.s
        else:
            o = self._lift(o)
            dv, ds = self.v - o.v, self.s - o.s
        t = self.tracker
        if ds != 0:
            # self - o = dv + ds (E - E0) vanishes at E0 - dv/ds
            if type(t) is Tracker and dv * ds * t.direction >= 0:
                # at or behind the origin on the tracker's side (`Tracker.crossing`'s first test:
                # (x - E0)·direction = -dv/ds·direction <= 0): only a crossing at the origin is kept
                if dv == 0 and t.why:
                    t.at_origin.add(t.why)
            else:
                t.crossing(t.origin - dv / ds, t.why)
        if dv != 0:
            return 1 if dv > 0 else -1
        ds *= t.direction
        return (ds > 0) - (ds < 0)

    def __lt__(self, o):
        return self._cmp(o) < 0

    def __le__(self, o):
        return self._cmp(o) <= 0

    def __gt__(self, o):
        return self._cmp(o) > 0

    def __ge__(self, o):
        return self._cmp(o) >= 0

    def at(self, x: Fraction) -> Fraction:
        return self.v + self.s * (x - self.tracker.origin)

    def intercept(self) -> Fraction:
        """The form's value at exit value 0 (the affine function's intercept)."""
        return self.v - self.s * self.tracker.origin

    def __repr__(self) -> str:
        return f"Lin({self.v} + {self.s}·(E−{self.tracker.origin}))"


_make = object.__new__
# the exact numbers an affine number combines with, the fast rationals first: `Fraction` is an ABC
# (its isinstance check runs Python code), and the tables compute in fast rationals
_NUMBERS = (FAST, int, Fraction)


def _new(v, s, tracker: Tracker) -> Lin:
    """An affine number from coefficients already exact (the result of exact arithmetic)."""
    x = object.__new__(Lin)
    x.v = v
    x.s = s
    x.tracker = tracker
    return x


def variable(origin: Fraction, direction: int) -> Lin:
    """The exit value itself, as an affine number around `origin`."""
    return Lin(origin, 1, Tracker(Fraction(origin), direction))


def fast_variable(origin, direction: int) -> Lin:
    """`variable` computing in fast rationals (the tracker's bound and causes are fast rationals too)."""
    o = fast_rational(origin)
    return Lin(o, fast_rational(1), Tracker(o, direction))
