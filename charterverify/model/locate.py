"""Line locator: which line of the TOML text states a key."""

from __future__ import annotations

import bisect
import re

from .messages import _BARE_KEY_RE, _join, _parent_path


# ---------------------------------------------------------------- line locator


_WS_RE = re.compile(r"[ \t]*")
_SCALAR_RE = re.compile(r"[^\s,\[\]{}#\"']+(?: (?=\d\d:)[^\s,\[\]{}#\"']+)?")
_BASIC_RE = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_LITERAL_RE = re.compile(r"'([^'\n]*)'")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\", "e": "\x1b"}


def _unescape(s: str) -> str:
    def one(m: re.Match) -> str:
        e = m.group(1)
        if e[0] in "uU":
            try:
                return chr(int(e[1:], 16))
            except (ValueError, OverflowError):
                return m.group(0)
        return _ESCAPES.get(e, m.group(0))

    return re.sub(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", one, s)


class _Locator:
    """Map key paths ('series[2].conversion.price', 'tiers[0].series[1]') to the line
    where each is written, for error messages.

    A tolerant scanner of TOML text: table headers, arrays of tables (indexed per
    parent), dotted and quoted keys, inline tables, arrays (each element gets an
    index), and strings (multi-line ones too, so their contents are never taken for
    keys). It never raises on invalid text; what it cannot read it skips to the next line.
    """

    def __init__(self, text: str):
        self.s = text
        self.n = len(text)
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.lines: dict[str, int] = {}
        self.at_line: dict[int, str] = {}  # the most specific path marked on each line
        self.stmt_at_line: dict[int, str] = {}  # the key or table header a line states
        self.counters: dict[str, int] = {}

    def line(self, i: int) -> int:
        return bisect.bisect_right(self.starts, i)

    def mark(self, path: str, i: int, statement: bool = False) -> None:
        if path:
            no = self.line(i)
            self.lines.setdefault(path, no)
            if len(path) >= len(self.at_line.get(no, "")):
                self.at_line[no] = path
            if statement and len(path) >= len(self.stmt_at_line.get(no, "")):
                self.stmt_at_line[no] = path

    def key_at_line(self, no: int, statement: bool = False) -> str | None:
        self.scan()
        return (self.stmt_at_line if statement else self.at_line).get(no)

    def ws(self, i: int) -> int:
        return _WS_RE.match(self.s, i).end()

    def ws_nl(self, i: int) -> int:
        """Skip blanks, newlines and comments (inside arrays)."""
        s, n = self.s, self.n
        while i < n:
            c = s[i]
            if c in " \t\r\n":
                i += 1
            elif c == "#":
                j = s.find("\n", i)
                i = n if j < 0 else j + 1
            else:
                break
        return i

    def eol(self, i: int) -> int:
        j = self.s.find("\n", i)
        return self.n if j < 0 else j + 1

    def key(self, i: int) -> tuple[list[str], int] | None:
        """A dotted key starting at i: its parts and the position after it."""
        s = self.s
        parts: list[str] = []
        while True:
            i = self.ws(i)
            m = _BARE_KEY_RE.match(s, i)
            if m:
                parts.append(m.group(0))
            else:
                m = _BASIC_RE.match(s, i)
                if m:
                    parts.append(_unescape(m.group(1)))
                else:
                    m = _LITERAL_RE.match(s, i)
                    if not m:
                        return None
                    parts.append(m.group(1))
            i = self.ws(m.end())
            if i < self.n and s[i] == ".":
                i += 1
                continue
            return parts, i

    def multiline(self, i: int, quote: str) -> int:
        """Skip a multi-line string opening at i (three `quote`s); the position after it."""
        s, j = self.s, i + 3
        while True:
            k = s.find(quote * 3, j)
            if k < 0:
                return self.n
            if quote == '"':
                b = k
                while b > j and s[b - 1] == "\\":
                    b -= 1
                if (k - b) % 2:  # the first quote is escaped
                    j = k + 1
                    continue
            run = 3
            while run < 5 and k + run < self.n and s[k + run] == quote:
                run += 1  # up to two quotes may end the content: """a"""" is 'a"'
            return k + run

    def value(self, i: int, path: str, depth: int = 0) -> int:
        s, n = self.s, self.n
        if i >= n or depth > 100:
            return i
        if s.startswith('"""', i) or s.startswith("'''", i):
            return self.multiline(i, s[i])
        c = s[i]
        if c == '"':
            m = _BASIC_RE.match(s, i)
            return m.end() if m else self.eol(i)
        if c == "'":
            m = _LITERAL_RE.match(s, i)
            return m.end() if m else self.eol(i)
        if c == "[":
            i += 1
            idx = 0
            while True:
                i = self.ws_nl(i)
                if i >= n:
                    return i
                if s[i] == "]":
                    return i + 1
                sub = f"{path}[{idx}]"
                self.mark(sub, i)
                j = self.value(i, sub, depth + 1)
                if j <= i:
                    return i
                i = self.ws_nl(j)
                if i < n and s[i] == ",":
                    i += 1
                    idx += 1
                    continue
                if i < n and s[i] == "]":
                    return i + 1
                return i
        if c == "{":
            i += 1
            while True:
                i = self.ws(i)
                if i >= n:
                    return i
                if s[i] == "}":
                    return i + 1
                k = self.key(i)
                if k is None:
                    return i
                parts, j = k
                start = i
                sub = path
                for p in parts:
                    sub = _join(sub, p)
                    self.mark(sub, start)
                j = self.ws(j)
                if j >= n or s[j] != "=":
                    return j
                j = self.ws(j + 1)
                i = self.value(j, sub, depth + 1)
                if i <= j:
                    return i
                i = self.ws(i)
                if i < n and s[i] == ",":
                    i += 1
                    continue
                if i < n and s[i] == "}":
                    return i + 1
                return i
        m = _SCALAR_RE.match(s, i)
        return m.end() if m else i

    def header_path(self, parts: list[str], array: bool) -> str:
        path = ""
        for p in parts[:-1]:
            path = _join(path, p)
            if path in self.counters:
                path = f"{path}[{self.counters[path]}]"
        path = _join(path, parts[-1])
        if array:
            self.counters[path] = self.counters.get(path, -1) + 1
            path = f"{path}[{self.counters[path]}]"
        return path

    def scan(self) -> dict[str, int]:
        s, n = self.s, self.n
        i = 0
        current = ""
        while i < n:
            i = self.ws_nl(i)
            if i >= n:
                break
            start = i
            if s[i] == "[":
                array = s.startswith("[[", i)
                k = self.key(i + (2 if array else 1))
                if k is not None:
                    parts, j = k
                    close = "]]" if array else "]"
                    if s.startswith(close, j):
                        current = self.header_path(parts, array)
                        if array:  # the array itself starts at its first entry
                            self.mark(_parent_path(current), start)
                        self.mark(current, start, statement=True)
                i = self.eol(i)
                continue
            k = self.key(i)
            if k is None:
                i = self.eol(i)
                continue
            parts, j = k
            path = current
            for p in parts:
                path = _join(path, p)
                self.mark(path, start, statement=True)
            if j < n and s[j] == "=":
                j = self.value(self.ws(j + 1), path)
            i = self.eol(max(j, start))
        return self.lines


def _locate_lines(text: str) -> dict[str, int]:
    """Map key paths (with array indices, e.g. 'series[2].conversion.price') to lines."""
    return _Locator(text).scan()


