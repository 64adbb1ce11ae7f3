"""Field validators: exact numbers, share counts, identifiers, tables, choices."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from .messages import _clean, _describe, _escape, _join, _parent_path, _q, _short
from .types import ID_RE, MAX_SHARES, ModelError


# ---------------------------------------------------------------- parsing helpers


class _Ctx:
    def __init__(self, path: str, lines: dict[str, int]):
        self.path = path
        self.lines = lines

    def line(self, key: str) -> int | None:
        probe = key
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = _parent_path(probe)
        return None

    def where(self, key: str) -> str:
        no = self.line(key)
        return f"{self.path}:{no}: {key}" if no is not None else f"{self.path}: {key}"

    def fail(self, key: str, msg: str) -> ModelError:
        return ModelError(_clean(f"{self.where(key)}: {msg}"))


MAX_AMOUNT = 10**18  # no amount, price or threshold in a charter model is larger
MAX_PLACES = 50  # decimal places of a written number


def _decimal_fraction(d: Decimal, *, max_exponent: int = 18, max_places: int = MAX_PLACES) -> Fraction:
    """A finite Decimal as a Fraction, refusing exponents that would take forever to expand."""
    if not d.is_finite():
        raise ValueError("not a finite number")
    if not d:
        return Fraction(0)
    _sign, digits, exp = d.as_tuple()
    assert isinstance(exp, int)
    k = len(digits)
    while k > 1 and digits[k - 1] == 0 and exp < 0:
        k -= 1
        exp += 1
    if exp < -max_places:
        raise ValueError(f"more than {max_places} decimal places (write a fraction such as \"1/3\" instead)")
    if exp + k - 1 > max_exponent:
        raise ValueError("implausibly large")
    return Fraction(d)


def _exact_text(s: str, *, max_exponent: int = 18, max_places: int = MAX_PLACES) -> Fraction:
    """'1.7909', '2/3', '$1,000', '1e6' -> Fraction; ValueError (with a reason) if not a number."""
    s = s.strip().replace(",", "").replace("_", "")
    if s.startswith("$"):
        s = s[1:]
    if not s:
        raise ValueError("empty")
    try:
        if "/" in s:
            num, _, den = s.partition("/")
            n = _decimal_fraction(Decimal(num.strip()), max_exponent=max_exponent, max_places=max_places)
            d = _decimal_fraction(Decimal(den.strip()), max_exponent=max_exponent, max_places=max_places)
            if d == 0:
                raise ValueError("division by zero")
            return n / d
        return _decimal_fraction(Decimal(s), max_exponent=max_exponent, max_places=max_places)
    except (InvalidOperation, ArithmeticError):
        raise ValueError("not a number") from None


_NUMBER_HINT = 'expected an exact number (e.g. "1.7909" or "2/3")'


def _money(ctx: _Ctx, key: str, value: Any, *, allow_zero: bool = True, allow_negative: bool = False) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        raise ctx.fail(key, f"{_NUMBER_HINT}, got {_describe(value)}")
    try:
        if isinstance(value, int):
            f = Fraction(value)
        elif isinstance(value, Decimal):
            f = _decimal_fraction(value)
        else:
            f = _exact_text(value)
    except ValueError as e:
        reason = str(e)
        if reason == "implausibly large":
            raise ctx.fail(key, f"implausibly large, got {_describe(value)} (at most 10^18)") from None
        if reason.startswith("more than"):
            raise ctx.fail(key, f"{reason}, got {_describe(value)}") from None
        raise ctx.fail(key, f"{_NUMBER_HINT}, got {_describe(value)}") from None
    if abs(f) > MAX_AMOUNT:
        raise ctx.fail(key, f"implausibly large, got {_describe(value)} (at most 10^18)")
    if f < 0 and not allow_negative:
        raise ctx.fail(key, f"must not be negative, got {_describe(value)}")
    if f == 0 and not allow_zero:
        raise ctx.fail(key, f"must be positive, got {_describe(value)}")
    return f


def _shares(ctx: _Ctx, key: str, value: Any, *, allow_zero: bool = False) -> int:
    if isinstance(value, str) and re.fullmatch(r"\s*[0-9][0-9,_]*\s*", value):
        digits = re.sub(r"[\s,_]", "", value)
        if len(digits) > 19:
            raise ctx.fail(key, f"implausibly many shares, got {_describe(value)} (at most 10^18)")
        value = int(digits)
    elif isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        raise ctx.fail(key, f"a share count is a whole number: write it without a decimal point or exponent, "
                            f"got {_describe(value)}")
    elif isinstance(value, bool) or not isinstance(value, int):
        raise ctx.fail(key, f"expected a whole number of shares, got {_describe(value)}")
    if value < 0 or (value == 0 and not allow_zero):
        raise ctx.fail(key, f"must be a positive number of shares, got {_describe(value)}")
    if value > MAX_SHARES:
        raise ctx.fail(key, f"implausibly many shares, got {_describe(value)} (at most 10^18)")
    return value


def _bad_char(value: str) -> str | None:
    """The first character a one-line text may not hold, described, if any."""
    for pos, ch in enumerate(value, start=1):
        if ch == "\t":
            continue
        if ch in "\n\r\u2028\u2029\x85":
            return (f"contains a line break at character {pos} (write it on one line; in a \"\"\"-string, "
                    f"end each line with a backslash)")
        if unicodedata.category(ch) == "Cc":
            return f"contains the control character {_escape(ch)} at character {pos}"
    return None


def _text(ctx: _Ctx, key: str, value: Any, *, required: bool = True) -> str | None:
    if value is None:
        if required:
            raise ctx.fail(key, "missing")
        return None
    if not isinstance(value, str):
        raise ctx.fail(key, f"expected text in quotes, got {_describe(value)}")
    bad = _bad_char(value)
    if bad:
        raise ctx.fail(key, bad)
    return value


def _ident(ctx: _Ctx, key: str, value: Any) -> str:
    s = _text(ctx, key, value)
    assert s is not None
    if not ID_RE.match(s):
        raise ctx.fail(key, f"not a valid id {_q(s)} (letters, digits, '.', '_' or '-', at most 64)")
    return s


def _table(ctx: _Ctx, key: str, value: Any, allowed: set[str], required=frozenset()) -> dict:
    if not isinstance(value, dict):
        raise ctx.fail(key, f"expected a table, got {_describe(value)}")
    for k in value:
        if k not in allowed:
            hint = ", ".join(sorted(allowed)) if allowed else "none"
            raise ctx.fail(_join(key, k), f"unknown key (allowed: {_short(hint, 200)})")
    for k in (required if isinstance(required, (list, tuple)) else sorted(required)):
        if k not in value:
            raise ctx.fail(_join(key, k), "missing required key")
    return value


def _list(ctx: _Ctx, key: str, value: Any) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ctx.fail(key, f"expected a list, got {_describe(value)}")
    return value


def _bool(ctx: _Ctx, key: str, value: Any, default: bool) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ctx.fail(key, f"expected true or false, got {_describe(value)}")
    return value


def _choice(ctx: _Ctx, key: str, value: Any, options: tuple[str, ...], default: str) -> str:
    if value is None:
        return default
    if not isinstance(value, str) or value not in options:
        raise ctx.fail(key, f"must be one of {', '.join(options)}; got {_describe(value)}")
    return value


