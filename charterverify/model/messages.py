"""Names and values as they appear in one-line error messages."""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal
from typing import Any


# ---------------------------------------------------------------- names and values in messages

_BARE_KEY_RE = re.compile(r"[A-Za-z0-9_-]+")
_MAX_SHOWN = 60


def _escape(s: str) -> str:
    """`s` with every non-printable character (control characters, line and paragraph
    separators, ...) written as an escape, so a message stays on one line."""
    if s.isprintable():
        return s
    out = []
    for ch in s:
        if ch.isprintable():
            out.append(ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return "".join(out)


def _short(s: str, limit: int = _MAX_SHOWN) -> str:
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _keyname(k: str) -> str:
    """A key as one component of a path in a message: bare if TOML allows it, else quoted."""
    if _BARE_KEY_RE.fullmatch(k):
        return _short(k)
    return '"' + _short(_escape(k.replace("\\", "\\\\").replace('"', '\\"'))) + '"'


def _join(parent: str, k: str) -> str:
    name = _keyname(k)
    return f"{parent}.{name}" if parent else name


_LAST_COMPONENT_RE = re.compile(r'^(.*?)(?:\[\d+\]|\.?[A-Za-z0-9_-]+|\.?"(?:[^"\\]|\\.)*"…?)$', re.S)


def _parent_path(path: str) -> str:
    """'series[2].conversion.price' -> 'series[2].conversion' -> 'series[2]' -> 'series' -> ''."""
    m = _LAST_COMPONENT_RE.match(path)
    return m.group(1) if m and m.group(1) != path else ""


def _describe(value: Any) -> str:
    """A value as the user wrote it in TOML, with its TOML type, for messages."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, int):
        return str(value) if abs(value) < 10**40 else f"an integer of {len(str(abs(value)))} digits"
    if isinstance(value, Decimal):
        return f"{_short(str(value), 40)} (a decimal number)"
    if isinstance(value, str):
        return f"{_q(value)} (text)"
    if isinstance(value, _dt.datetime):
        return f"{value.isoformat()} (a date and time)"
    if isinstance(value, _dt.date):
        return f"{value.isoformat()} (a date)"
    if isinstance(value, _dt.time):
        return f"{value.isoformat()} (a time of day)"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _q(s: str) -> str:
    """Text in double quotes, escaped and shortened, for messages."""
    return '"' + _short(_escape(s.replace("\\", "\\\\").replace('"', '\\"')), 40) + '"'


def _clean(msg: str) -> str:
    """A message as exactly one printable line."""
    return _escape(msg)


