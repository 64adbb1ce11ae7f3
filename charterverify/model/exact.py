"""Exact numbers as text: `format_exact` and `parse_exact`."""

from __future__ import annotations

from fractions import Fraction

from .fields import _exact_text


def _fmt(x: Fraction) -> str:
    return format_exact(x)


def format_exact(x: Fraction | int) -> str:
    """An exact number as text: integer, terminating decimal, or p/q."""
    x = Fraction(x)
    if x.denominator == 1:
        return str(x.numerator)
    d = x.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    if d != 1:
        return f"{x.numerator}/{x.denominator}"
    places = max(twos, fives)
    scaled = x * 10**places
    assert scaled.denominator == 1
    n = scaled.numerator
    sign = "-" if n < 0 else ""
    digits = str(abs(n)).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def parse_exact(text: str) -> Fraction:
    """Parse a user-given amount ("100000000", "1e8", "$12,375,000", "2/3"); ValueError if not a number
    (also for a number too large or too finely divided to expand: beyond 10^1000 or 1000 decimal places)."""
    return _exact_text(text, max_exponent=1000, max_places=1000)
