"""The fast exact rational type used for bulk arithmetic, and the way back to `Fraction`.

gmpy2's `mpq` is an exact rational like `fractions.Fraction` (same values, same
results) but about 15x faster; the direct evaluator's profile tables use it. Every
value leaves the package as a `Fraction`. Without gmpy2 everything still works on
`Fraction`, only slower.
"""

from __future__ import annotations

from fractions import Fraction

try:
    from gmpy2 import mpq as fast_rational
except ImportError:  # pragma: no cover - gmpy2 is a declared dependency
    fast_rational = Fraction

FAST = type(fast_rational(0))
EXACT = (Fraction, FAST)


def _coprime(n: int, d: int) -> Fraction:
    """A Fraction from a numerator and a positive denominator already in lowest terms (no gcd)."""
    f = object.__new__(Fraction)
    f._numerator = n
    f._denominator = d
    return f


_from_coprime = getattr(Fraction, "_from_coprime_ints", _coprime)


def to_fraction(q) -> Fraction:
    """An exact rational (Fraction, mpq or int) as a Fraction."""
    if type(q) is FAST and FAST is not Fraction:
        # mpq is always in lowest terms with a positive denominator
        return _from_coprime(int(q.numerator), int(q.denominator))
    if type(q) is Fraction:
        return q
    return Fraction(q)
