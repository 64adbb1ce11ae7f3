"""Amounts for people: cents with thousands separators, "≈" only where the exact value is not
a whole number of cents, and the parser for amounts typed on the command line.

Exact values stay in JSON (`format_exact`); everything here is for display or input.
"""

from __future__ import annotations

import re
from fractions import Fraction

APPROX = "≈"


def _grouped(x: Fraction, places: int) -> str:
    """|x| rounded half-up to `places` decimals, thousands separated, without sign."""
    scale = 10**places
    n = abs(x) * scale
    q = int(n) + (1 if n - int(n) >= Fraction(1, 2) else 0)
    whole, frac = divmod(q, scale)
    s = f"{whole:,}"
    return f"{s}.{frac:0{places}d}" if places else s


def cents(x: Fraction | int) -> str:
    """'$1,234,567.50'; '≈$26,645,171.15' when the exact amount is not a whole number of cents."""
    x = Fraction(x)
    approx = (x * 100).denominator != 1
    sign = "-" if x < 0 and _grouped(x, 2) != "0.00" else ""
    return f"{APPROX if approx else ''}{sign}${_grouped(x, 2)}"


def signed_cents(x: Fraction | int) -> str:
    x = Fraction(x)
    s = cents(x)
    return s if x <= 0 else (s.replace("$", "+$", 1))


def price(x: Fraction | int) -> str:
    """A per-share amount: at least cents, exact up to four decimals ('$3.218'), else '≈$3.2180'."""
    x = Fraction(x)
    for places in (2, 3, 4):
        if (x * 10**places).denominator == 1:
            return ("-" if x < 0 else "") + f"${_grouped(x, places)}"
    return f"{APPROX}{'-' if x < 0 else ''}${_grouped(x, 4)}"


def percent(x: Fraction) -> str:
    """A fraction of a whole as a percentage to 0.1% ('18.0%'); '≈' when that rounds."""
    x = Fraction(x) * 100
    approx = (x * 10).denominator != 1
    return f"{APPROX if approx else ''}{_grouped(x, 1)}%"


def short_amount(x: Fraction | int) -> str:
    """'$50M', '$1.5B', '$750K' when that is exact, else cents()."""
    x = Fraction(x)
    for scale, suffix in ((10**9, "B"), (10**6, "M"), (10**3, "K")):
        if x >= scale and (x / scale * 100).denominator == 1:
            v = x / scale
            txt = f"{v.numerator}" if v.denominator == 1 else _grouped(v, 2).rstrip("0").rstrip(".")
            return f"${txt}{suffix}"
    return cents(x)


_SUFFIX = {"k": 10**3, "m": 10**6, "mm": 10**6, "b": 10**9, "bn": 10**9}
_AMOUNT = re.compile(
    r"""^\$?\s*
    (?P<num>\d[\d,]*(?:\.\d+)?|\.\d+)
    (?:[eE](?P<exp>[+-]?\d+))?
    \s*(?P<suffix>[kKmMbB][mMnN]?)?$""",
    re.VERBOSE,
)


class AmountError(ValueError):
    pass


def parse_amount(text: str) -> Fraction:
    """An amount typed by a person, exactly: '100000000', '50M', '1.5B', '$50,000,000', '5e7',
    '750k', a fraction 'p/q'. Thousands separators only in groups of three ('1,5' is refused)."""
    t = text.strip()
    if not t.isascii():  # only ASCII digits: no full-width or Arabic-Indic numerals, no look-alikes
        raise AmountError(f"{text!r}: not a number (ASCII digits only)")
    if t.startswith("-") and not t.startswith("--"):
        try:
            return -parse_amount(t[1:])
        except AmountError as e:
            raise AmountError(str(e).replace(repr(t[1:]), repr(text), 1)) from None
    bad = f"{text!r}: not a number (write e.g. 100000000, 50M, 1.5B, $50,000,000 or 5e7)"
    if re.fullmatch(r"\d+/\d+", t):
        p, q = t.split("/")
        if int(q) == 0:
            raise AmountError(bad)
        return Fraction(int(p), int(q))
    m = _AMOUNT.match(t)
    if not m:
        raise AmountError(bad)
    from ..model.fields import _drop_separators  # the model's thousands rule: groups of three only

    try:
        v = Fraction(_drop_separators(m.group("num")))
    except ValueError as e:
        raise AmountError(f"{text!r}: {e}") from None
    if m.group("exp"):
        e = int(m.group("exp"))
        if abs(e) > 30:
            raise AmountError(f"{text!r}: implausibly large (more than 10^18)")
        v *= Fraction(10) ** e
    if m.group("suffix"):
        key = m.group("suffix").lower()
        if key not in _SUFFIX:
            raise AmountError(f"{text!r}: unknown suffix {m.group('suffix')!r} (use K, M or B)")
        v *= _SUFFIX[key]
    return v
