"""Outline of a charter: articles, sections, subsections, romanettes ... with spans.

Labels are found anywhere in the flat text (`Document.flat`), at a line start or inline,
so flowed EDGAR text ("... as follows: 1. Dividends . In the event ... (a) ...") and
line-structured text are read alike:

  article   ARTICLE IV / Article 4 / FOURTH: / FIRST The ... / IV. / II The ...  (rank 0)
  cap.      A. B. C.                                                          (rank 1)
  num.      1. 2. 3. / Section 2.                                             (rank 2)
  dec.      2.1 / 4.4.5 (under 2. / 4.4, or under ARTICLE 4)                  (rank 2.1, 2.2 ...)
  low.      a. b. c.                                                          (rank 3)
  (low) (rom) (CAP) (ROM) (num)   (a) (iv) (B) (II) (3)                       (nested by sequence)

A label is a clause only where the structure says so: it starts a paragraph, follows a
sentence end, another label or a short heading after one; after ";" or "," only a
parenthesised label that continues an open list counts; a dotted label must open its list,
follow its open sibling or carry a heading; an uppercase article heading may also stand
where the articles' sequence expects it.  Page numbers between a sentence end and a label,
or written with a period right before a list item ("   7. (d)"), are skipped.  Parenthesised
labels nest by sequence: a label that continues an open list is a sibling there, a first
label opens a level, and (i)/(v)/(x) are read as letters or romanettes by the open lists
and the first later label that continues one reading.

`Clause.path` ("IV.C.2(c)", "FOURTH.B.2.4.1(a)"), `Outline.find`, `Outline.clause_at(line)`
and `Outline.clause_at_offset(offset)` are the API other modules use.
"""

from __future__ import annotations

import bisect
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
    def own_components(self) -> list[str]:
        """This clause's part of a path: "1" for 2.1 under 2. (or under Article 2), "2.1" split
        into "2", "1" when no clause 2 encloses it."""
        if self.style != "dec.":
            return [self.label]
        parts = self.label.split(".")
        p = self.parent
        if p is not None:
            plab = p.label if p.style in ("num.", "dec.") else (str(p.value) if p.style == "article" else None)
            if plab is not None:
                pp = plab.split(".")
                if parts[:len(pp)] == pp and len(parts) > len(pp):
                    return parts[len(pp):]
        return parts

    @property
    def components(self) -> list[str]:
        return [x for c in self.chain for x in c.own_components]

    @property
    def path(self) -> str:
        out = ""
        for c in self.chain:
            if c.is_paren:
                out += f"({c.label})"
            else:
                out += ("." if out else "") + ".".join(c.own_components)
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
    # every clause's path components, as written and lowercased (`find`; worked out on first use)
    _paths: tuple | None = field(default=None, repr=False, compare=False)

    def _components(self) -> tuple[list[list[str]], list[list[str]]]:
        """Each clause's `components` in document order, as written and lowercased: worked out once,
        the outline being complete when it is built (again should a clause be added)."""
        if self._paths is None or len(self._paths[0]) != len(self.clauses):
            plain = [c.components for c in self.clauses]
            self._paths = (plain, [[x.lower() for x in cc] for cc in plain])
        return self._paths

    def find(self, path_or_label: str) -> list[Clause]:
        """Clauses named by a path ("IV.B.2(a)", "D.8.(iii)", "FOURTH.B.2(a)") or a label.

        Exact full paths first; then clauses whose path ends with the given components
        ("2(a)" finds every 2(a)); then, as a last resort, clauses whose path is the given
        path with some components left out ("V.B.3" finds V.3)."""
        comps = split_components(path_or_label)
        if not comps:
            return []
        plain, lower = self._components()
        for ci in (False, True):
            q = [c.lower() for c in comps] if ci else list(comps)
            paths = lower if ci else plain
            exact = [c for c, cc in zip(self.clauses, paths) if cc == q]
            if exact:
                return exact
            suffix = [c for c, cc in zip(self.clauses, paths) if cc[-len(q):] == q and len(cc) >= len(q)]
            if suffix:
                return suffix
        # lenient: the clause path is a subsequence of the query, same first and last part
        res = []
        for c, cc in zip(self.clauses, plain):
            if len(cc) < len(comps) and cc[0] == comps[0] and cc[-1] == comps[-1] and _is_subseq(cc, comps):
                res.append(c)
        return res

    def clause_at(self, line: int) -> Clause | None:
        """Innermost clause whose span contains the line (the earlier one where two meet on it)."""
        table = self.__dict__.get("_by_line")
        if table is None:
            table = {}
            for c in self.clauses:  # document order: a later clause wins a line only if nested
                for ln in range(c.start_line, c.end_line + 1):
                    b = table.get(ln)
                    if b is None or b.contains(c):
                        table[ln] = c
            self.__dict__["_by_line"] = table
        return table.get(line)

    def clause_at_offset(self, offset: int) -> Clause | None:
        """Innermost clause whose flat span holds the offset (spans nest, siblings do not overlap)."""
        starts = self.__dict__.get("_starts")
        if starts is None:
            starts = [c.flat_start for c in self.clauses]
            self.__dict__["_starts"] = starts
        k = bisect.bisect_right(starts, offset) - 1
        c = self.clauses[k] if k >= 0 else None
        while c is not None and c.style != "root" and not (c.flat_start <= offset < c.flat_end):
            c = c.parent
        return c if c is not None and c.style != "root" else None


def _is_subseq(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


_COMP_RE = re.compile(r"\(([A-Za-z0-9]+)\)|([A-Za-z0-9]+)")


def split_components(s: str) -> list[str]:
    s = s.strip()
    s = re.sub(r"^(?:ARTICLE|Article|Section|SECTION)\s+", "", s)
    return [m.group(1) or m.group(2) for m in _COMP_RE.finditer(s)]


# ---------------------------------------------------------------------------- parsing

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


_ORD_ALT = "|".join(ORDINALS)
_ORD_TITLE = "|".join(w.title() for w in ORDINALS)

# one candidate label anywhere in the flat text; whether it is a clause is decided below
# one candidate label anywhere in the flat text; whether it is a clause is decided below.
# One pattern per kind (each starts with a literal or a character class, so the scan is
# linear and fast); where two kinds start at the same place the first listed wins, and a
# match inside an earlier one is dropped (the IV of "ARTICLE IV" is no label of its own).
_KINDS = [
    ("art", re.compile(rf"\b(?:ARTICLE|Article)\s+(?P<artn>[IVXLC]+|\d{{1,2}}|{_ORD_ALT}|{_ORD_TITLE})\b\.?")),
    ("ord", re.compile(rf"\b(?P<ordw>{_ORD_ALT})(?:\s*[:.\u2013\u2014-]|(?=\s+(?:[A-Z]\.|\())"
                       r"|(?=\s+(?:[A-Z\u201c\"][a-z]|A\s|\d{1,2}\.\s)))\s?")),
    ("sec", re.compile(r"\b(?:Section|SECTION)\s+(?P<secn>\d{1,2}(?:\.\d{1,2}){0,3})\.?(?=\s)")),
    ("dec", re.compile(r"(?<![\w.$,/\u2019'-])(?P<decn>\d{1,2}(?: ?\.\d{1,2}){1,3})\.?(?=\s)")),
    ("rom", re.compile(r"(?<![\w.$,/\u2019'&-])(?P<romn>[IVX]{1,5})\.(?=\s)")),
    ("romb", re.compile(r"(?<![\w.$,/\u2019'&-])(?P<rombn>[IVX]{1,5})(?=\s+(?:[A-Z][a-z]|[A-Z]\.\s|\d{1,2}\.\s|[\u201c\"]))")),
    ("dot", re.compile(r"(?<![\w.$,/\u2019'&-])(?P<dotn>[A-Z]|\d{1,2}|[a-z])\.(?=\s)")),
    ("par", re.compile(r"(?<!\w)\((?P<parn>[A-Za-z]{1,5}|\d{1,2})\)")),
]
_KIND_RANK = {k: i for i, (k, _) in enumerate(_KINDS)}


class _Cand:
    """A candidate label; .group() answers like the match of one combined pattern would."""

    __slots__ = ("kind", "m", "qs")

    def __init__(self, kind: str, m: re.Match, qs: int) -> None:
        self.kind, self.m, self.qs = kind, m, qs

    def group(self, name: str | int = 0):
        if name == 0:
            return self.m.string[self.qs:self.m.end()]
        if name == "q":
            return self.m.string[self.qs:self.m.start()] or None
        if name in _KIND_RANK:
            return self.m.group(0) if name == self.kind else None
        try:
            return self.m.group(name)
        except IndexError:
            return None

    def start(self) -> int:
        return self.qs

    def end(self) -> int:
        return self.m.end()


def _candidates(text: str, pos: int = 0, endpos: int | None = None) -> list[_Cand]:
    end = len(text) if endpos is None else endpos
    found = []
    for kind, rx in _KINDS:
        for m in rx.finditer(text, pos, end):
            s = m.start()
            qs = s
            # an opening quote right before the label: '“ARTICLE 1.' in a quoted amendment
            for q in (1, 2):
                if s - q >= 0 and text[s - q] in "\u201c\"" and (q == 1 or text[s - 1] == " "):
                    if s - q == 0 or text[s - q - 1].isspace() or text[s - q - 1] == "(":
                        qs = s - q
                    break
            found.append((s, _KIND_RANK[kind], _Cand(kind, m, qs)))
    found.sort(key=lambda t: (t[0], t[1]))
    out: list[_Cand] = []
    last_end = -1
    for s, _, c in found:
        if s < last_end:
            continue
        out.append(c)
        last_end = c.end()
    return out
_SENT_END = re.compile(r"[.:!?][\u201d\"\u2019)\]]*$|[.:][\u201d\"\u2019]?\s*\)$")
_PAGE_TAIL = re.compile(r"\s(?:-\s?\d{1,3}\s?-\s)?\d{1,3}$|\s-\s?\d{1,3}\s?-$")
_WEAK_END = re.compile(r"(?:;|;\s*(?:and|or))$")
_COMMA_END = re.compile(r"(?:,\s*(?:and|or)|,)$")
_ABBREV_END = re.compile(r"(?:\b(?:No|Nos|Sec|Secs|Art|para|cl|v|vs|Mr|Ms|Dr|St|Co|Corp|Ltd|seq|al|approx)|\b[A-Z]\.[A-Z])\.$")
_HEADING_GAP = re.compile(r"^[\s\u201c\u201d\"]*[A-Z][A-Za-z'\u2019\-]*"
                          r"(?:[\s,]+(?:[A-Z][A-Za-z'\u2019\-]*|of|and|the|to|for|in|on|or|upon|as|a|an|by|with|from|&)){0,11}"
                          r"[\s\u201c\u201d\"]*\.?\s*$")


_REF_BEFORE = re.compile(r"(?:\b(?:[Cc]lauses?|[Ss]ections?|[Ss]ubsections?|[Pp]aragraphs?|[Ss]ubparagraphs?|[Ii]tems?"
                         r"|[Aa]rticles?)\s*[\w.]*(?:\([A-Za-z0-9]{1,5}\)\s*(?:,|and|or|through)?\s*)*)$")
_REF_AFTER = re.compile(r"^\s*(?:(?:,|and|or|through)?\s*\([A-Za-z0-9]{1,5}\)\s*)*(?:above|below|hereof|herein)\b")


def _ref_like(flat: str, s: int, e: int) -> bool:
    """A parenthesised label that is (part of) a reference: "clause (i) above", "Sections (ii) and (iii)"."""
    return bool(_REF_BEFORE.search(flat[max(0, s - 40):s]) or _REF_AFTER.match(flat[e:e + 40]))


def _flat_heading(flat: str, pos: int, cands: list | None = None, cand_starts: list[int] | None = None) -> str:
    """A heading right after a label: "Dividends . In the event" / "Right to Convert. Each".
    `cands`/`cand_starts`: the candidate labels of the whole text (found once), else found here."""
    lead = len(flat[pos:pos + 160]) - len(flat[pos:pos + 160].lstrip())
    base = pos + lead
    rest = flat[base:base + 160]
    if cands is None or cand_starts is None:
        near = _candidates(rest)
        shift = 0
    else:
        k = bisect.bisect_left(cand_starts, base)
        near = []
        while k < len(cands) and cand_starts[k] < base + len(rest):
            near.append(cands[k])
            k += 1
        shift = base
    mc = near[0] if near and near[0].start() - shift == 0 else None
    if mc and not mc.group("sec"):
        return ""  # "ARTICLE IV A. Classes of Stock": the heading belongs to A.
    for mc in near:
        at = mc.start() - shift
        if at >= 1 and (mc.group("dot") or mc.group("dec") or mc.group("art")) and rest[at - 1] == " ":
            rest = rest[:at].rstrip() + "."  # "COMMON STOCK 1. General": stop at the next label
            break
    rest = re.sub(r"\s+\.", ".", rest.split("\n", 1)[0])
    return _heading_of(rest)


def _label_info(m: re.Match) -> tuple[str, str, int] | None:
    """(label, style, value) of a candidate; style "dec." for 2.1 / 4.4.5 (label kept whole)."""
    if m.group("art"):
        lab = m.group("artn")
        up = lab.upper()
        if up in _ORD_INDEX:
            return up, "article", _ORD_INDEX[up]
        val = int(lab) if lab.isdigit() else roman_value(lab)
        return (lab, "article", val) if val else None
    if m.group("ord"):
        w = m.group("ordw")
        return w, "article", _ORD_INDEX[w]
    if m.group("sec"):
        n = m.group("secn")
        return (n, "num.", int(n)) if "." not in n else (n, "dec.", int(n.rsplit(".", 1)[1]))
    if m.group("dec"):
        n = m.group("decn").replace(" ", "")  # "5 .6.2": a label split in the copy
        return n, "dec.", int(n.rsplit(".", 1)[1])
    if m.group("rom"):
        lab = m.group("romn")
        v = roman_value(lab)
        if v is None:
            return None
        return lab, "rom.", v
    if m.group("romb"):
        lab = m.group("rombn")
        v = roman_value(lab)
        return (lab, "romb", v) if v is not None else None
    if m.group("dot"):
        lab = m.group("dotn")
        if lab.isdigit():
            return lab, "num.", int(lab)
        return lab, ("cap." if lab.isupper() else "low."), letter_value(lab) or 0
    lab = m.group("parn")
    return lab, "paren", 0


def _dotted_rank(c: Clause) -> float:
    if c.style == "dec.":
        return 2 + 0.1 * c.label.count(".")
    return DOTTED_RANK.get(c.style, 99)


def parse_outline(text: str, path: str = "<text>", doc: Document | None = None) -> Outline:
    """The clause outline of a text: labels found anywhere in the flat text (at a line start
    or inline), kept only where the structure says a clause starts there."""
    if doc is None:
        doc = Document.from_text(text, path)
    flat = doc.flat
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

    # ---- candidates and where they stand
    cands = []
    cand_objs = _candidates(flat)
    cand_starts = [c.start() for c in cand_objs]
    for m in cand_objs:
        info = _label_info(m)
        if info is None:
            continue
        s = m.start() if not m.group("q") else m.start() + len(m.group("q"))
        qs = m.start()
        cands.append((m, s, qs, info))

    def position(qs: int) -> str:
        """strong (paragraph or sentence start), weak (after ; or ,), or "" (running text)."""
        j = qs
        while j > 0 and flat[j - 1] == " ":
            j -= 1
        if j == 0 or flat[j - 1] == "\n":
            return "para"
        if j == qs:
            return ""  # glued to the word before: "D.8.(iv)", "4(b)"
        prev = flat[max(0, j - 14):j]
        if _SENT_END.search(prev) and not _ABBREV_END.search(prev):
            return "strong"
        mp = _PAGE_TAIL.search(flat, max(0, j - 24), j)
        if mp:
            before = flat[max(0, mp.start() - 14):mp.start()].rstrip()
            if _SENT_END.search(before):
                return "strong"  # "follows: 2 A. Dividends", "dividend. -2- 3 B. Liquidation": a page number between
            if _WEAK_END.search(before) or re.search(r";\s*(?:and|or)$", before):
                return "weak"  # "distribution; and 2 3.3 In the case"
        if _WEAK_END.search(prev):
            return "weak"
        if _COMMA_END.search(prev):
            return "comma"
        return ""

    pos_of = [position(qs) for _, _, qs, _ in cands]
    paren_idx = [k for k, c in enumerate(cands) if c[3][1] == "paren"]
    paren_rank = {k: i for i, k in enumerate(paren_idx)}

    def decide(k: int, label: str) -> str | None:
        """(i)/(v)/(x): letter or romanette?  The first later label that continues one reading
        decides ((ii) -> romanette, (j) -> letter); a (ii) that follows a later (i) belongs to
        that inner list and is skipped."""
        interp = interpretations("", label)
        if len(interp) < 2:
            return None
        succ = {}
        for st, v in interp:
            succ[(to_roman(v + 1) if st in ("(rom)", "(ROM)") else chr(ord("a") + v))] = st
        if label.isupper():
            succ = {kk.upper(): v for kk, v in succ.items()}
        inner = 0
        start = paren_rank[k]
        for i in paren_idx[start + 1:start + 60]:
            if cands[i][2] - cands[k][2] > 30000:
                break
            lab2 = cands[i][3][0]
            if _ref_like(flat, cands[i][2], cands[i][0].end()):
                continue
            if lab2 == label:
                inner += 1
            elif lab2 in succ:
                if succ[lab2] in ("(rom)", "(ROM)") and inner:
                    inner -= 1
                    continue
                return lab2
        return None

    def add_dotted(c: Clause) -> Clause:
        rank = _dotted_rank(c)
        while stack and (stack[-1].style in PAREN_STYLES or _dotted_rank(stack[-1]) >= rank):
            stack.pop()
        push(c, top())
        return c

    def dec_parent_ok(lab: str) -> bool:
        """2.1 needs an open 2. (or Article 2, or 2.0's sibling 2.x); 4.4.5 an open 4.4."""
        head = lab.rsplit(".", 1)[0]
        for c in reversed(stack):
            if c.style == "dec." and (c.label == head or c.label.rsplit(".", 1)[0] == head):
                return True
            if c.style == "num." and c.label == head:
                return True
            if c.style == "article" and str(c.value) == head:
                return True
        return False

    def add_dec(c: Clause) -> Clause:
        parts = c.label.split(".")
        # pop to the clause numbered like the label's head (2. or 2.1 or Article 2); if that
        # level is missing ("5 .6" lost in the copy), to the nearest shorter head (5.)
        for cut in range(len(parts) - 1, 0, -1):
            head = ".".join(parts[:cut])
            for j in range(len(stack) - 1, -1, -1):
                s = stack[j]
                if (s.style in ("num.", "dec.") and s.label == head) or (s.style == "article" and str(s.value) == head):
                    del stack[j + 1:]
                    push(c, s)
                    return c
        return add_dotted(c)

    def _continues(lab: str, style: str, val: int) -> bool:
        head = lab.rsplit(".", 1)[0] if style == "dec." else None
        for c in reversed(stack):
            if c.style == style and (head is None or c.label.rsplit(".", 1)[0] == head):
                return val == c.value + 1
        return False

    def _page_number_before_item(k: int, val: int) -> bool:
        """"2.   (ii) After payment ...": a page number written with a period, not a section 2,
        when the number does not continue its own list and the label after it continues an
        open (i), (ii) ... list."""
        if k + 1 >= len(cands):
            return False
        nm, ns, nqs, ninfo = cands[k + 1]
        if ninfo[1] != "paren" or flat[cands[k][0].end():nqs].strip():
            return False
        for st, v in interpretations("", ninfo[0]):
            if v > 1 and any(x.style == st and v == x.value + 1 for x in stack):
                return True  # a section 7. opens with (a) or text, never with a (d) continuing a list
        return False

    def open_seq(style: str) -> Clause | None:
        for s in reversed(stack):
            if s.style == style:
                return s
        return None

    def sequence_ok(style: str, val: int, heading: str, strength: str) -> bool:
        """A dotted label is a clause if it opens a list (1, A, a), follows its open sibling
        (or repeats / skips at most two), or carries a heading."""
        prev = open_seq(style)
        if prev is not None and (val == prev.value + 1 or (heading and 0 <= val - prev.value <= 3)):
            return True  # without a heading, a skipped number is more likely a page number ("   6. The")
        if val == 1 and strength in ("strong", "para"):
            return True
        return (bool(heading) and strength == "strong") or strength == "para"

    cur_start = 0

    def _inner_same_label(sib: Clause, upto: int, succ: str) -> bool:
        """Is the label of `sib` written again in running text between it and `upto`, without
        its own successor after it?  ("in which (i) the price ..., and (ii) the proceeds")"""
        def count(lab: str) -> int:
            lo = max(sib.flat_start + 1, upto - 6000)
            n, k = 0, flat.find(lab, lo, upto)
            while k >= 0:
                if not _ref_like(flat, k, k + len(lab)) and not flat[k - 1:k].isalnum():
                    n += 1
                k = flat.find(lab, k + 1, upto)
            return n

        return count(f"({sib.label})") > count(f"({succ})")

    def add_paren(label: str, weak: str | bool, next_label: str | None, innermost_only: bool = False) -> Clause | None:
        interp = interpretations("", label)
        if not interp:
            return None
        if len(interp) > 1 and all(v != 1 for _, v in interp):
            # (v) / (x): a romanette after an open (iv) / (ix), a letter after an open (u) / (w)
            succ = [(st, v) for st, v in interp if any(x.style == st and v == x.value + 1 for x in stack)]
            if len(succ) == 1:
                interp = succ
        if len(interp) > 1 and next_label is not None:
            nxt = interpretations("", next_label)
            for style, val in interp:
                if any(s2 == style and v2 == val + 1 for s2, v2 in nxt):
                    interp = [(style, val)]
                    break
        for j in range(len(stack) - 1, -1, -1):
            s = stack[j]
            if s.style not in PAREN_STYLES:
                if innermost_only:
                    break
                continue
            for style, val in interp:
                if s.style == style and val == s.value + 1:
                    if weak and j < len(stack) - 1 and cur_start - s.flat_start > 2500:
                        continue  # "...; (b) $1.55" in running text is not the (b) after a distant (a)
                    if weak == "comma" and j < len(stack) - 1:
                        continue  # after a comma only the innermost list goes on ("(C) ..., or (ii)" is text)
                    if weak == "comma" and _inner_same_label(s, cur_start, label):
                        continue  # "in which (i) the price ..., and (ii) the proceeds": pairs with the inline (i)
                    return _sibling_at(j, label, style, val)
        if weak:
            return None
        for style, val in interp:
            if val == 1:
                c = Clause(label=label, style=style, value=val, start_line=0)
                push(c, top())
                return c
        for j in range(len(stack) - 1, -1, -1):
            s = stack[j]
            for style, val in interp:
                if s.style == style and 0 <= val - s.value <= 3 and val != s.value + 1:
                    return _sibling_at(j, label, style, val)
        return "late"  # type: ignore[return-value]

    def _sibling_at(j: int, label: str, style: str, val: int) -> Clause:
        parent = stack[j].parent or root
        del stack[j:]
        c = Clause(label=label, style=style, value=val, start_line=0)
        push(c, parent)
        return c

    last_art: list[Clause | None] = [None]  # the last article accepted
    last_end = -1  # flat offset just after the last accepted label
    last_clause: Clause | None = None
    for k, (m, s, qs, (lab, style, val)) in enumerate(cands):
        strength = pos_of[k]
        quoted = bool(m.group("q"))
        end = m.end()
        if not strength and last_clause is not None:
            gap = flat[last_end:qs]
            if not gap.strip():
                strength = "strong"  # chained: "(a) (i) ...", "ARTICLE IV A."
            elif last_clause.style in ("article", "cap.", "num.", "dec.") and len(gap) < 120 and _HEADING_GAP.match(gap):
                strength = "strong"  # after a heading: "ARTICLE IV CAPITAL STOCK A."
        if style == "romb":
            # "II The address ...", "V A. The liability ...": a bare roman numeral is an article
            # heading only at a sentence start and in the articles' sequence
            prev_art = last_art[0]
            if strength not in ("strong", "para") or not (
                    (prev_art is None and val == 1) or (prev_art is not None and val == prev_art.value + 1)):
                continue
            style = "article"
        if style == "rom.":
            # "IV. A. The Company ...": a roman numeral with a period is an article when it
            # continues the articles (or opens them); a single I, V, X otherwise is a letter
            prev_art = last_art[0]
            in_seq = (prev_art is None and val == 1) or (prev_art is not None and val == prev_art.value + 1)
            if in_seq and (len(lab) > 1 or strength):
                style = "article"
            elif len(lab) == 1:
                style, val = "cap.", letter_value(lab) or 0
            else:
                continue
        if not strength and style == "article" and (m.group("ord") or (m.group("art") or "").startswith("ARTICLE")):
            prev_art = last_art[0]
            if val == 1 or (prev_art is not None and val == prev_art.value + 1):
                strength = "strong"  # ARTICLE I after "EXHIBIT A", ARTICLE V after a signature block
        if not strength:
            continue
        if style != "paren" and strength in ("weak", "comma"):
            # "Subsections 2.1, 2.2 and 2.3" is a reference; "foregoing; 3.3.2 amend ..." an item
            if not (re.search(r";\s*(?:and|or)?(?:\s+\d{1,3})?\s*$", flat[max(0, qs - 12):qs])
                    and _continues(lab, style, val)):
                continue
        heading = _flat_heading(flat, end, cand_objs, cand_starts)
        c: Clause | None = None
        if style == "article":
            nxt = flat[end:end + 40].lstrip(" \u201d\"")
            if m.group("art") and nxt[:1].islower() or nxt[:1] in (",", ";") or (
                    nxt[:1] == "(" and not re.search(r"[:.]\s*$", m.group(0))) or re.match(
                    r"(?:of|hereof|herein|above|below|shall|and|or)\b", nxt):
                continue
            if m.group("art") and lab.isupper() is False and not lab.isdigit() and lab.upper() not in _ORD_INDEX:
                continue
            c = add_dotted(Clause(label=lab, style="article", value=val, start_line=0, quoted=quoted,
                                  heading=heading))
        elif style == "dec.":
            if not (dec_parent_ok(lab) or heading or lab.endswith(".1")):
                continue
            c = add_dec(Clause(label=lab, style="dec.", value=val, start_line=0, quoted=quoted, heading=heading))
        elif style in ("num.", "cap.", "low."):
            if m.group("sec") is None and not sequence_ok(style, val, heading, strength):
                continue
            if m.group("sec") is not None and not (heading or sequence_ok(style, val, heading, strength)):
                continue
            if style == "num." and not heading and _page_number_before_item(k, val):
                continue
            c = add_dotted(Clause(label=lab, style=style, value=val, start_line=0, quoted=quoted, heading=heading))
        else:
            cur_start = s
            r = add_paren(lab, weak=(strength if strength in ("weak", "comma") else False), next_label=decide(k, lab))
            if r is None:
                continue
            if r == "late":
                # a list that starts mid-sequence ((x), (y)) counts only with a heading
                if not heading and strength != "para":
                    continue
                interp = interpretations("", lab)
                st, v = interp[-1] if len(lab) == 1 and lab.lower() in "vx" else interp[0]
                r = Clause(label=lab, style=st, value=v, start_line=0)
                if heading and strength != "para" and stack and stack[-1].style in PAREN_STYLES \
                        and stack[-1].style != st:
                    # "(xi) ... Corporation. (b) Series B Preferred Stock ." after an unlabelled (a):
                    # a headed subdivision of the section, not of the last romanette
                    while stack and stack[-1].style in PAREN_STYLES:
                        stack.pop()
                push(r, top())
            c = r
            c.quoted, c.heading = quoted, heading
        c.flat_start = qs if quoted else s
        c.start_line = doc.line_of(c.flat_start)
        c.start_col = max(0, c.flat_start - doc.line_offset.get(c.start_line, c.flat_start))
        last_end, last_clause = end, c
        if c.style == "article":
            last_art[0] = c

    # spans: a clause ends where the next clause that is not its descendant starts
    n = len(flat)
    open_: list[Clause] = []
    for c in order:
        while open_ and not open_[-1].contains(c):
            open_.pop().flat_end = c.flat_start
        open_.append(c)
    for c in open_:
        c.flat_end = n
    for c in order:
        e = c.flat_end
        while e > c.flat_start and flat[e - 1] in " \n":
            e -= 1
        c.end_line = max(doc.line_of(max(c.flat_start, e - 1)), c.start_line)
        if c.heading:
            kk = flat.find(c.heading, c.flat_start, min(c.flat_end, c.flat_start + 200))
            if kk >= 0:
                c.heading_span = (kk, kk + len(c.heading))
    root.end_line = len(doc.lines)
    root.flat_start, root.flat_end = 0, n
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
