"""Outline of a charter: articles, sections, subsections, romanettes ... with line spans.

Label styles recognised at the start of a line (after indentation, optionally after an
opening quote):

  article   ARTICLE IV / ARTICLE 4 / FOURTH: / FOURTH.      (rank 0)
  cap.      A. B. C.                                          (rank 1)
  num.      1. 2. 3.                                          (rank 2)
  low.      a. b. c.                                          (rank 3)
  (low) (rom) (CAP) (ROM) (num)   (a) (iv) (B) (II) (3)     (nested dynamically)

Dotted styles have a fixed rank; parenthesised labels nest by sequence: a label that
continues a sequence already open in the stack (successor of its last label) becomes a
sibling there; a first label ((a), (i), (A), (1)) opens a new child level; duplicates
and small gaps stay siblings (and are reported by the numbering check).  Ambiguous
labels ((i) letter vs romanette, (I), (v), (x)) are decided by the same rule.

A label opens a clause only where a clause can start: after a blank line, or after a
line that ends a sentence or list item (".", ":", ";", ",", "; or", "; and").  This
keeps wrapped references ("Sections 5(c)(ii)\\n(B)") from being taken as clauses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .document import Document

ORDINALS = [
    "FIRST", "SECOND", "THIRD", "FOURTH", "FIFTH", "SIXTH", "SEVENTH", "EIGHTH", "NINTH", "TENTH",
    "ELEVENTH", "TWELFTH", "THIRTEENTH", "FOURTEENTH", "FIFTEENTH", "SIXTEENTH", "SEVENTEENTH",
    "EIGHTEENTH", "NINETEENTH", "TWENTIETH",
]
_ORD_INDEX = {w: i + 1 for i, w in enumerate(ORDINALS)}

_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def roman_value(s: str) -> int | None:
    s = s.lower()
    if not s or any(ch not in _ROMAN for ch in s):
        return None
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN[ch]
        if i + 1 < len(s) and _ROMAN[s[i + 1]] > v:
            total -= v
        else:
            total += v
    if to_roman(total) != s:
        return None
    return total


def to_roman(n: int) -> str:
    vals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
            (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = []
    for v, s in vals:
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


def letter_value(s: str) -> int | None:
    """a=1 .. z=26, aa=27 .. (doubled letters)."""
    if len(s) == 1 and s.isalpha():
        return ord(s.lower()) - 96
    if len(s) == 2 and s[0] == s[1] and s.isalpha():
        return 26 + ord(s[0].lower()) - 96
    return None


def interpretations(style_family: str, label: str) -> list[tuple[str, int]]:
    """Possible (style, value) readings of a parenthesised label."""
    out: list[tuple[str, int]] = []
    if label.isdigit():
        return [("(num)", int(label))]
    if not label.isalpha():
        return []
    lower = label.islower()
    upper = label.isupper()
    if not (lower or upper):
        return []
    rv = roman_value(label)
    lv = letter_value(label)
    rom_style, let_style = ("(rom)", "(low)") if lower else ("(ROM)", "(CAP)")
    if len(label) == 1:
        if label.lower() in "ivx":
            out.append((rom_style, rv))  # type: ignore[arg-type]
            out.append((let_style, lv))  # type: ignore[arg-type]
        else:
            out.append((let_style, lv))  # type: ignore[arg-type]
    else:
        if rv is not None:
            out.append((rom_style, rv))
        elif lv is not None:
            out.append((let_style, lv))
    return out


DOTTED_RANK = {"article": 0, "cap.": 1, "num.": 2, "low.": 3}
PAREN_STYLES = {"(low)", "(rom)", "(CAP)", "(ROM)", "(num)"}


@dataclass(eq=False)
class Clause:
    label: str  # as written, without punctuation: "IV", "FOURTH", "B", "2", "a", "iii"
    style: str
    value: int
    start_line: int
    end_line: int = 0
    heading: str = ""
    parent: "Clause | None" = None
    children: list["Clause"] = field(default_factory=list)
    quoted: bool = False  # the label line opens a quotation (an embedded document)
    start_col: int = 0  # column of the label on its line
    heading_span: tuple[int, int] | None = None  # flat offsets of the heading text
    flat_start: int = 0
    flat_end: int = 0

    @property
    def level(self) -> int:
        n, p = 0, self.parent
        while p is not None and p.style != "root":
            n += 1
            p = p.parent
        return n

    @property
    def is_paren(self) -> bool:
        return self.style in PAREN_STYLES or self.style == "low."

    @property
    def chain(self) -> list["Clause"]:
        out = []
        c: Clause | None = self
        while c is not None and c.style != "root":
            out.append(c)
            c = c.parent
        return list(reversed(out))

    @property
    def components(self) -> list[str]:
        return [c.label for c in self.chain]

    @property
    def path(self) -> str:
        out = ""
        for c in self.chain:
            if c.is_paren:
                out += f"({c.label})"
            else:
                out += ("." if out else "") + c.label
        return out

    @property
    def display_label(self) -> str:
        if self.style == "article":
            return f"ARTICLE {self.label}" if self.label not in _ORD_INDEX else self.label
        if self.style in PAREN_STYLES:
            return f"({self.label})"
        return f"{self.label}."

    def ancestors_or_self(self) -> list["Clause"]:
        out = []
        c: Clause | None = self
        while c is not None and c.style != "root":
            out.append(c)
            c = c.parent
        return out

    def descendants(self) -> list["Clause"]:
        out = []
        stack = list(reversed(self.children))
        while stack:
            c = stack.pop()
            out.append(c)
            stack.extend(reversed(c.children))
        return out

    def contains(self, other: "Clause") -> bool:
        c: Clause | None = other
        while c is not None:
            if c is self:
                return True
            c = c.parent
        return False

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Clause({self.path!r}, {self.start_line}-{self.end_line})"


@dataclass
class Outline:
    root: Clause
    clauses: list[Clause]  # document order
    doc: Document

    def find(self, path_or_label: str) -> list[Clause]:
        """Clauses named by a path ("IV.B.2(a)", "D.8.(iii)", "FOURTH.B.2(a)") or a label.

        Exact full paths first; then clauses whose path ends with the given components
        ("2(a)" finds every 2(a)); then, as a last resort, clauses whose path is the given
        path with some components left out ("V.B.3" finds V.3)."""
        comps = split_components(path_or_label)
        if not comps:
            return []
        for ci in (False, True):
            norm = (lambda s: s.lower()) if ci else (lambda s: s)
            q = [norm(c) for c in comps]
            exact = [c for c in self.clauses if [norm(x) for x in c.components] == q]
            if exact:
                return exact
            suffix = [c for c in self.clauses if [norm(x) for x in c.components][-len(q):] == q
                      and len(c.components) >= len(q)]
            if suffix:
                return suffix
        # lenient: the clause path is a subsequence of the query, same first and last part
        res = []
        for c in self.clauses:
            cc = c.components
            if len(cc) < len(comps) and cc[0] == comps[0] and cc[-1] == comps[-1] and _is_subseq(cc, comps):
                res.append(c)
        return res

    def clause_at(self, line: int) -> Clause | None:
        """Innermost clause whose span contains the line."""
        best = None
        for c in self.clauses:
            if c.start_line <= line <= c.end_line:
                if best is None or best.contains(c):
                    best = c
        return best

    def clause_at_offset(self, offset: int) -> Clause | None:
        best = None
        for c in self.clauses:
            if c.flat_start <= offset < c.flat_end:
                if best is None or best.contains(c):
                    best = c
        return best


def _is_subseq(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


_COMP_RE = re.compile(r"\(([A-Za-z0-9]+)\)|([A-Za-z0-9]+)")


def split_components(s: str) -> list[str]:
    s = s.strip()
    s = re.sub(r"^(?:ARTICLE|Article|Section|SECTION)\s+", "", s)
    return [m.group(1) or m.group(2) for m in _COMP_RE.finditer(s)]


# ---------------------------------------------------------------------------- parsing

_ARTICLE_RE = re.compile(r'^(\s*)("?)ARTICLE\s+([IVXLC]+|\d{1,2})\b\.?\s*(.*)$')
_ORDINAL_RE = re.compile(r'^(\s*)("?)(' + "|".join(ORDINALS) + r')\s*[:.](\s+.*|)$')
_DOTTED_RE = re.compile(r'^(\s*)("?)([A-Z]|\d{1,2}|[a-z])\.(?=\s)\s*(.*)$')
_PAREN_RE = re.compile(r'^(\s*)("?)\(([A-Za-z]{1,5}|\d{1,2})\)\s*(.*)$')
_PAREN_NEXT = re.compile(r'^\(([A-Za-z]{1,5}|\d{1,2})\)\s*(.*)$')

_SMALL = {"of", "and", "the", "to", "for", "in", "on", "or", "upon", "as", "a", "an", "by", "with",
          "from", "into", "etc", "below", "above", "than", "other", "certain", "per"}


def _heading_of(rest: str) -> str:
    """Heading text after a label: 'Right to Convert. Each share ...' -> 'Right to Convert'."""
    rest = rest.strip()
    if not rest:
        return ""
    m = re.match(r"^(.{2,90}?)\.(?:\s|$)", rest + " ")
    if m:
        cand = m.group(1).strip()
    elif rest.isupper() or rest.endswith(":"):
        cand = rest.rstrip(":").strip()
    else:
        return ""
    words = re.findall(r"[A-Za-z][A-Za-z'\-]*", cand)
    if not words or len(words) > 14:
        return ""
    if '"' in cand or "$" in cand:
        return ""
    caps = [w for w in words if w.lower() not in _SMALL]
    if not caps:
        return ""
    if all(w[0].isupper() for w in caps):
        return re.sub(r"\s+", " ", cand.strip().rstrip(".;:"))
    return ""


def _wrapped_heading(doc: Document, idx: int, rest: str) -> str:
    """A Title Case heading that wraps onto the next line: 'Adjustments for Certain Other' / 'Events.'"""
    rest = rest.strip()
    if not rest or "." in rest or idx + 1 >= len(doc.lines) or doc.is_blank(idx + 1):
        return ""
    nxt = doc.lines[idx + 1].strip()
    m = re.match(r"^([^.]{1,60})\.(?:\s|$)", nxt)
    if not m:
        return ""
    return _heading_of(rest + " " + m.group(1) + ".")


def _can_start_clause(doc: Document, idx: int) -> str | bool:
    """May a clause label start on 0-based line idx?  "weak": only if it continues a list."""
    j = idx - 1
    while j >= 0 and doc.is_blank(j):
        j -= 1
    if j < 0:
        return True
    if j < idx - 1 and not doc.page_break_between(j, idx):
        return True  # a real blank line before
    prev = doc.lines[j].rstrip()
    if re.search(r'[.:;]["\u201d]?$', prev):
        return True
    if prev.endswith(","):
        return "weak"
    if re.search(r"[;,]\s*(?:or|and)$", prev):
        return "weak"
    if j < idx - 1 and re.fullmatch(r'\s*(?:ARTICLE\s+\S+|[A-Z][A-Z ,;&\'-]{2,})\s*', prev):
        return True  # a heading line before a page break
    return False


def parse_outline(text: str, path: str = "<text>", doc: Document | None = None) -> Outline:
    if doc is None:
        doc = Document.from_text(text, path)
    root = Clause(label="", style="root", value=0, start_line=1)
    stack: list[Clause] = []
    order: list[Clause] = []

    def top() -> Clause:
        return stack[-1] if stack else root

    def push(c: Clause, parent: Clause) -> None:
        c.parent = parent
        parent.children.append(c)
        stack.append(c)
        order.append(c)

    def add_dotted(c: Clause) -> None:
        rank = DOTTED_RANK[c.style]
        while stack and (stack[-1].style in PAREN_STYLES or DOTTED_RANK.get(stack[-1].style, 99) >= rank):
            stack.pop()
        push(c, top())

    def add_paren(label: str, line: int, col: int, quoted: bool, rest: str,
                  weak: bool = False, next_label: str | None = None) -> Clause | None:
        interp = interpretations("", label)
        if not interp:
            return None
        if len(interp) > 1 and next_label is not None:
            # ambiguous (i)/(v)/(x): the next label decides ((ii) -> romanette, (j) -> letter)
            for style, val in interp:
                nxt = interpretations("", next_label)
                if any(s2 == style and v2 == val + 1 for s2, v2 in nxt):
                    interp = [(style, val)]
                    break
        # 1. successor of an open sequence (deepest first)
        for j in range(len(stack) - 1, -1, -1):
            s = stack[j]
            for style, val in interp:
                if s.style == style and val == s.value + 1:
                    return _sibling_at(j, label, style, val)
        if weak:
            return None
        # 2. a first label opens a new level
        for style, val in interp:
            if val == 1:
                c = Clause(label=label, style=style, value=val, start_line=line, start_col=col, quoted=quoted)
                push(c, top())
                return c
        # 3. duplicate or small gap in an open sequence
        for j in range(len(stack) - 1, -1, -1):
            s = stack[j]
            for style, val in interp:
                if s.style == style and 0 <= val - s.value <= 3 and val != s.value + 1:
                    return _sibling_at(j, label, style, val)
        # 4. otherwise a new level that starts mid-sequence ((x), (y))
        style, val = interp[-1] if len(label) == 1 and label.lower() in "vx" else interp[0]
        c = Clause(label=label, style=style, value=val, start_line=line, start_col=col, quoted=quoted)
        push(c, top())
        return c

    def _sibling_at(j: int, label: str, style: str, val: int) -> Clause:
        parent = stack[j].parent or root
        del stack[j:]
        c = Clause(label=label, style=style, value=val, start_line=0)
        push(c, parent)
        return c

    # every parenthesised label at a line start (and chained on the same line), in order,
    # for the look-ahead that settles (i) letter vs romanette
    seq: list[tuple[int, str]] = []
    for idx, raw in enumerate(doc.lines):
        m = _PAREN_RE.match(raw)
        if m and not doc.is_blank(idx):
            seq.append((idx, m.group(3)))
            rest = m.group(4)
            while (m2 := _PAREN_NEXT.match(rest)):
                seq.append((idx, m2.group(1)))
                rest = m2.group(2)
    seq_pos = {}
    for k, (idx, lab) in enumerate(seq):
        seq_pos.setdefault(idx, k)

    def next_label_after(k: int) -> str | None:
        return seq[k + 1][1] if k + 1 < len(seq) else None

    for idx, raw in enumerate(doc.lines):
        if doc.is_blank(idx):
            continue
        line = idx + 1
        m = _ARTICLE_RE.match(raw)
        if m and (not m.group(4) or len(m.group(4)) < 80) and _can_start_clause(doc, idx):
            lab = m.group(3)
            val = roman_value(lab) if not lab.isdigit() else int(lab)
            c = Clause(label=lab, style="article", value=val or 0, start_line=line,
                       start_col=len(m.group(1)), quoted=bool(m.group(2)), heading=_heading_of(m.group(4)))
            add_dotted(c)
            continue
        m = _ORDINAL_RE.match(raw)
        if m and _can_start_clause(doc, idx):
            lab = m.group(3)
            c = Clause(label=lab, style="article", value=_ORD_INDEX[lab], start_line=line,
                       start_col=len(m.group(1)), quoted=bool(m.group(2)), heading=_heading_of(m.group(4)))
            add_dotted(c)
            continue
        m = _DOTTED_RE.match(raw)
        if m and _can_start_clause(doc, idx):
            lab = m.group(3)
            style = "num." if lab.isdigit() else ("cap." if lab.isupper() else "low.")
            val = int(lab) if lab.isdigit() else (letter_value(lab) or 0)
            c = Clause(label=lab, style=style, value=val, start_line=line, start_col=len(m.group(1)),
                       quoted=bool(m.group(2)), heading=_heading_of(m.group(4)) or _wrapped_heading(doc, idx, m.group(4)))
            add_dotted(c)
            rest = m.group(4)
            # "(i)" right after a dotted label on the same line is rare; ignore
            continue
        m = _PAREN_RE.match(raw)
        can = _can_start_clause(doc, idx) if m else False
        if m and can:
            col = len(m.group(1))
            k = seq_pos[idx]
            c = add_paren(m.group(3), line, col, bool(m.group(2)), m.group(4),
                          weak=(can == "weak"), next_label=next_label_after(k))
            if c is None:
                continue
            c.start_line, c.start_col, c.quoted = line, col, bool(m.group(2))
            rest = m.group(4)
            # further labels on the same line: "(i) (A) If the Corporation ..."
            while True:
                m2 = _PAREN_NEXT.match(rest)
                if not m2:
                    break
                k += 1
                c2 = add_paren(m2.group(1), line, col + 1, False, m2.group(2), next_label=next_label_after(k))
                if c2 is None:
                    break
                c2.start_line, c2.start_col = line, col + 1
                c = c2
                rest = m2.group(2)
            c.heading = _heading_of(rest) or _wrapped_heading(doc, idx, rest)

    # spans: a clause ends where the next clause that is not its descendant starts
    n_lines = len(doc.lines)
    for i, c in enumerate(order):
        end = n_lines
        for d in order[i + 1:]:
            if not c.contains(d):
                end = d.start_line - 1 if d.start_line > c.start_line else c.start_line
                break
        while end > c.start_line and doc.is_blank(end - 1):
            end -= 1
        c.end_line = max(end, c.start_line)
    # flat offsets
    for c in order:
        s, e = doc.flat_span_of_lines(c.start_line, c.end_line)
        if c.start_col and c.start_line in doc.line_offset:
            # a clause that starts after another label on the same line
            line_text = doc.flat[s:e]
            lab = f"({c.label})" if c.style in PAREN_STYLES else c.label
            k = line_text.find(lab, 1) if c.parent and c.parent.start_line == c.start_line else -1
            if k > 0:
                s += k
        c.flat_start, c.flat_end = s, e
        if c.heading:
            k = doc.flat.find(c.heading, s, min(e, s + 200))
            if k >= 0:
                c.heading_span = (k, k + len(c.heading))
    root.end_line = n_lines
    root.flat_start, root.flat_end = 0, len(doc.flat)
    return Outline(root=root, clauses=order, doc=doc)


def render_outline(outline: Outline) -> str:
    """One clause per line, indented by depth: path, line span, heading."""
    out = []
    for c in outline.clauses:
        indent = "  " * c.level
        span = f"{c.start_line}-{c.end_line}" if c.end_line != c.start_line else f"{c.start_line}"
        head = f"  {c.heading}" if c.heading else ""
        out.append(f"{indent}{c.path}  [lines {span}]{head}")
    return "\n".join(out) + ("\n" if out else "")


def clause_text(outline: Outline, text: str | None, label: str) -> str | None:
    """Flat text (normalised whitespace) of the clause named by label, children included.

    `text` is accepted for API symmetry; the outline already holds its document."""
    found = outline.find(label)
    if not found:
        return None
    c = found[0]
    return outline.doc.flat[c.flat_start:c.flat_end].strip()
