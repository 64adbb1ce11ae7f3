"""Cross-references: find them in their many forms and resolve them against the outline.

Forms handled (all over the flat text, so line wrapping and page breaks do not matter):

  Section 4(d)(iii) / subsection 2(c) / paragraph 4(d)(v) / Subsection 3(e)
  paragraph (b) of this Section 4 / clause (e) of this Section / clause (A) of this subsection 3(b)(ii)
  Article FOURTH(B) / Article FOURTH (B) / Article V, Section 4(b) / Section 2(b) of Article IV
  Section D.14 (below) / Section D.8.(iii) / Clause D.8.(iv) / Section 6a(i) / Section B(2)
  Sections 3(a) and 3(b) / subsection 4(d)(i)(E)(1) or (2) / subsections (D) through (F) above
  relative forms: subsections (E)(3) and (E)(4); (ii) and (iii) above; covered by (B) below

References to statutes and other documents are external ("Section 242 of the DGCL",
"Section 402.5(c) of the California Corporations Code", "Section 3.2 ... of the Bylaws",
"Colo. Rev. Stat. Section 7-106-102", "Rule 12b-2").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..findings import Finding, Severity
from .outline import ORDINALS, PAREN_STYLES, Clause, Outline, roman_value

_ORD = "|".join(ORDINALS + [w.title() for w in ORDINALS])
_P = r"\((?:[A-Za-z]{1,5}|\d{1,2})\)"  # one parenthesised label
_CHAIN_P = rf"{_P}(?: ?{_P})*"  # (a)(i) / (A) (1)
# a designator after a keyword
_DES = (
    rf"(?:[A-Z]\.\d{{1,2}}(?:\.\d{{1,2}})+(?:{_CHAIN_P})?"  # B.2.2(b)
    rf"|[A-Z]\.\s?\d{{1,2}}\.?(?:{_CHAIN_P})?"  # D.14, D.8.(iii)
    rf"|\d{{1,4}}(?:-\d+)+"  # 7-106-102 (statute)
    rf"|\d{{1,4}}(?:\.\d+)+(?:{_CHAIN_P})?"  # 3.2, 402.5(c)
    rf"|\d{{1,4}}[A-Za-z]?(?:{_CHAIN_P})?"  # 4, 4(d)(iii), 6a(i), 6C(ii)
    rf"|{_CHAIN_P}"  # (3)(c), (E)(3)
    rf"|[A-Z](?:{_CHAIN_P})?(?![\w])"  # B, B(2)
    rf")"
)
_ART_DES = rf"(?:{_ORD}|[IVXLC]+\b|\d{{1,2}}\b)(?: ?{_CHAIN_P})?"
_KW = (r"(?:Sections?|SECTIONS?|sections?|[Ss]ubsections?|[Pp]aragraphs?|[Ss]ubparagraphs?|[Cc]lauses?"
       r"|[Ss]ubclauses?|[Ss]ubdivisions?)")
_CONNECT = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|and/or|through|to)\s+)"

_REF_RE = re.compile(
    rf"(?P<this>\bthis\s+)?(?P<kw>\b{_KW}|\bArticles?|\bARTICLE)\s+"
    rf"(?P<des>(?<=Article )(?:{_ART_DES})|(?<=Articles )(?:{_ART_DES})|(?<=ARTICLE )(?:{_ART_DES})|{_DES})"
)
# list continuation after a designator
_ITEM_RE = re.compile(rf"{_CONNECT}(?P<this>this\s+)?(?:(?P<kw>{_KW}|Articles?)\s+)?(?P<des>{_DES}|{_ART_DES})")
# "of this Section 4" / "of Article IV" / "of this Section" / "in Section 2" qualifiers after a reference
# (", of Section 1" too; but ", in Section 2" continues a list: "in Section 1.2, in Section 2 and ...")
_QUAL_RE = re.compile(
    rf"^\s*(?:,\s*of|of|in)\s+(?:(?P<this>this)\s+)?(?P<kw>Section|section|[Ss]ubsection|[Pp]aragraph|[Ss]ubparagraph"
    rf"|[Cc]lause|Article|ARTICLE)"
    rf"(?:\s+(?P<des>\d{{1,4}}(?:\.\d+)+(?:{_CHAIN_P})?|{_ART_DES}|{_DES}))?"
)
_ART_THEN_SECTION = re.compile(rf"^,\s*(?P<kw>Section)\s+(?P<des>{_DES})")
_ART_THEN_SECTION_AT = re.compile(_ART_THEN_SECTION.pattern[1:])  # without "^": matched at a position
_OF_ARTICLE_AT = re.compile(r"\s+of\s+(?:this\s+)?Article")
# bare relative references: "(B) below", "(ii) and (iii) above", "above in (A) (1), (2) or (3)"
_BARE_RE = re.compile(rf"(?<![\w)])(?P<des>{_CHAIN_P})(?P<more>(?:{_CONNECT}{_CHAIN_P})*)\s+(?P<dir>above|below)\b")
_ABOVE_IN_RE = re.compile(rf"\b(?:above|below)\s+in\s+(?P<des>{_CHAIN_P})(?P<more>(?:{_CONNECT}{_CHAIN_P})*)")

_EXTERNAL_NAMES = re.compile(
    r"^(?:the\s+|its\s+|said\s+|that\s+certain\s+)?(?:(?:[A-Z][\w.&'\u2019-]*|and|of|to)\s+){0,8}?"
    r"(?:Law|Act|Code|Bylaws|By-[Ll]aws|By-laws|Rules|Regulations|Articles(?!\s+of\s+this)|DGCL|Agreement|Statutes?"
    r"|Certificate\s+of\s+Designation|Exchange\s+Act|Securities\s+Act|Stat\.|Title\s+\d+|Treasury\s+Regulations"
    r"|(?![IVXLC]+\b)[A-Z]{2,6}(?![\w-])|(?:Investors'?|Voting|Purchase|Stockholders'?)\s+Agreement|Plan|Indenture|Note|Warrant)\b"
    r"|^(?:such|that|any|each|the\s+applicable)\s+(?:[A-Za-z]+\s+){0,3}?(?:agreement|plan|instrument|contract|law|statute)\b"
)
_EXTERNAL_BEFORE = re.compile(r"(?:DGCL|Stat\.|U\.S\.C\.|Code|Act|Law|Regulation\s+[A-Z]|Rule)\s*§?\s*$")
_GAP_TOKENS = re.compile(
    rf"^(?:\s|,|\band\b|\bor\b|\bthrough\b|{_KW}|\bArticles?\b|\bof\b(?=\s+(?:{_KW}|Articles?)\b)|{_P}|{_DES}|{_ART_DES})*"
)


class _Spans:
    """Disjoint [start, end) intervals kept sorted: overlap and membership in O(log n)."""

    def __init__(self, spans: list[tuple[int, int]] | None = None) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for a, b in sorted(spans or []):
            if self.starts and a < self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], b)  # merge
            else:
                self.starts.append(a)
                self.ends.append(b)

    def overlaps(self, s: int, e: int) -> bool:
        k = bisect.bisect_right(self.starts, s) - 1
        if k >= 0 and self.ends[k] > s:
            return True
        return k + 1 < len(self.starts) and self.starts[k + 1] < e

    def add(self, s: int, e: int) -> None:
        k = bisect.bisect_right(self.starts, s)
        self.starts.insert(k, s)
        self.ends.insert(k, e)

    def __contains__(self, a: int) -> bool:
        k = bisect.bisect_right(self.starts, a) - 1
        return k >= 0 and a < self.ends[k]


@dataclass
class Component:
    text: str
    paren: bool
    article: bool = False


@dataclass
class Reference:
    text: str
    start: int
    end: int
    line: int
    components: list[Component]
    keyword: str
    this: bool = False
    this_article: bool = False  # "this Article IV, Section C.2(d)": "this" names the article only
    in_quotation: bool = False  # inside a long quotation (amendment text): findings are warnings
    anchor: list[Component] | None = None  # "of this Section 4" / "of Article IV"
    anchor_this_kind: str | None = None  # "of this Section" without a designator
    anchor_text: str = ""
    external: bool = False
    relative: bool = False  # bare "(B) below"
    context: Clause | None = None
    list_span: tuple[int, int] = (0, 0)  # whole list the reference belongs to
    targets: list[Clause] = field(default_factory=list)
    status: str = "unresolved"  # resolved | dangling | wrong-self | ambiguous | external | inline


_COMP_TOKEN = re.compile(r"\(([A-Za-z]{1,5}|\d{1,3})\)|([A-Za-z]+|\d+)")


def parse_designator(des: str, article: bool = False) -> list[Component]:
    des = des.strip()
    out: list[Component] = []
    if article:
        m = re.match(rf"({_ORD}|[IVXLC]+|\d{{1,2}})", des)
        if m:
            out.append(Component(m.group(1), paren=False, article=True))
            des = des[m.end():]
    # "6a(i)" -> 6, a, i ; "D.8.(iii)" -> D, 8, iii ; "4(d)" -> 4, d
    m = re.match(r"^(\d{1,3})([A-Za-z])(?=\(|$)", des)
    if m:
        out.append(Component(m.group(1), paren=False))
        out.append(Component(m.group(2), paren=False))
        des = des[m.end():]
    for t in _COMP_TOKEN.finditer(des):
        if t.group(1):
            out.append(Component(t.group(1), paren=True))
        else:
            out.append(Component(t.group(2), paren=False))
    return out


def _kind(label: str) -> set[str]:
    if label.isdigit():
        return {"num"}
    if len(label) == 1:
        # (c), (d), (l), (m) are letters; only (i), (v), (x) may be romanettes
        if label in "ivx":
            return {"rom", "low"}
        if label in "IVX":
            return {"ROM", "CAP"}
        return {"low"} if label.islower() else {"CAP"}
    if re.fullmatch(r"[ivxlc]+", label) and roman_value(label):
        return {"rom"}
    if re.fullmatch(r"[IVXLC]+", label) and roman_value(label):
        return {"ROM"}
    return {"low"} if label.islower() else {"CAP"}


def _chain_kinds(comps: list[Component]) -> list[set[str]]:
    """Kinds of a chain's labels in context: the (i) of (b)(i) is a romanette, not the letter i."""
    out = []
    for j, c in enumerate(comps):
        k = _kind(c.text)
        if len(k) > 1 and j > 0 and comps[j - 1].paren and _kind(comps[j - 1].text) & {"low", "CAP"} \
                and len(_kind(comps[j - 1].text)) == 1:
            k = {"rom"} if c.text.islower() else {"ROM"}
        out.append(k)
    return out


def _continue_chain(prev: list[Component], item: list[Component]) -> list[Component]:
    """'(2)' after 4(d)(i)(E)(1) -> 4(d)(i)(E)(2); '(d)(i)(D)' after 4(d)(i)(C) -> 4(d)(i)(D)."""
    if not prev or not item or not item[0].paren:
        return item
    kinds = _chain_kinds(prev)
    for p in range(len(prev) - 1, -1, -1):
        ok = True
        for j, comp in enumerate(item):
            if p + j >= len(prev):
                break
            q = prev[p + j]
            if not (q.paren or p + j > 0) or not (kinds[p + j] & _kind(comp.text)):
                ok = False
                break
        if ok:
            return prev[:p] + item
    return item


# ----------------------------------------------------------------------- find


def find_references(outline: Outline) -> list[Reference]:
    doc = outline.doc
    flat = doc.flat
    refs: list[Reference] = []
    taken = _Spans()

    def overlaps(s: int, e: int) -> bool:
        return taken.overlaps(s, e)

    starts = {c.flat_start for c in outline.clauses}
    start_list = sorted(starts)
    for m in _REF_RE.finditer(flat):
        if overlaps(m.start(), m.end()) or m.start() in starts:
            continue
        kw = m.group("kw")
        is_article = kw.lower().startswith("article")
        des = m.group("des")
        k_in = bisect.bisect_right(start_list, m.start("des"))
        if k_in < len(start_list) and start_list[k_in] < m.end():
            des = flat[m.start("des"):start_list[k_in]].rstrip(" .")  # the next clause's label is not part of it
        comps = parse_designator(des, article=is_article)
        if not comps:
            continue
        items: list[tuple[int, int, list[Component], bool, str]] = [
            (m.start(), m.end(), comps, bool(m.group("this")), kw)
        ]
        rng = re.fullmatch(r"(\d{1,3})-(\d{1,3})", des) if kw.endswith(("s", "S")) else None
        if rng and int(rng.group(1)) < int(rng.group(2)):
            # "Sections 1-2": a range (its two ends, as "Sections 1 through 2"), not a chain 1(2);
            # a statute's "Section 7-106" (one section) is left to the external test
            a = m.start("des")
            items = [(m.start(), a + rng.end(1), [Component(rng.group(1), paren=False)], bool(m.group("this")), kw),
                     (a + rng.start(2), a + rng.end(2), [Component(rng.group(2), paren=False)], False, kw)]
        pos = m.end()
        # "Article V, Section 4(b)"
        this_article = False
        if is_article:
            # matched at pos in the whole text (a match on flat[pos:] copied the rest of the text: quadratic)
            ms = _ART_THEN_SECTION_AT.match(flat, pos)
            if ms and not _OF_ARTICLE_AT.match(flat, ms.end()):
                sc = parse_designator(ms.group("des"))
                items[0] = (m.start(), ms.end(), comps + sc, False, "Section")
                this_article = bool(m.group("this"))
                pos = ms.end()
        prev = items[-1][2]
        while True:
            mi = _ITEM_RE.match(flat, pos)
            if not mi:
                break
            ikw = mi.group("kw") or items[-1][4]
            iart = ikw.lower().startswith("article")
            ic = parse_designator(mi.group("des"), article=iart and bool(mi.group("kw")))
            if not ic:
                break
            if not mi.group("kw"):
                if ic[0].paren and prev and not prev[-1].paren and not prev[-1].article:
                    break  # "Subsection 4.1.1 and (ii) such shares ...": an inline list item, not a reference
                ic = _continue_chain(prev, ic)  # "Article FOURTH(B) and (C)": (C) is FOURTH(C)
            items.append((mi.start("des") if not mi.group("this") else mi.start("this"), mi.end(), ic,
                          bool(mi.group("this")), ikw))
            prev = ic
            pos = mi.end()
        list_end = pos
        # qualifier: "of this Section 4", "of Article IV", "of this Section"
        anchor = None
        anchor_this_kind = None
        anchor_text = ""
        mq = _QUAL_RE.match(flat[pos:pos + 80])
        if mq and not all(kw_i.lower().startswith("article") for *_, kw_i in items):
            qkw = mq.group("kw")
            if mq.group("des"):
                anchor = parse_designator(mq.group("des"), article=qkw.lower().startswith("article"))
            elif mq.group("this"):
                anchor_this_kind = qkw.lower()
            if anchor is not None or anchor_this_kind is not None:
                anchor_text = mq.group(0).strip().lstrip(",").strip()  # ", of Section 1": no comma
                list_end = pos + mq.end()
                # "(ii) of clause (y) of this Section 3.2": the outer qualifier comes first
                mq2 = _QUAL_RE.match(flat[list_end:list_end + 80]) if anchor is not None else None
                if mq2 and mq2.group("des"):
                    # "of Section 2(a) of Article IV": the article is the outermost label
                    anchor = parse_designator(mq2.group("des"), article=mq2.group("kw").lower().startswith("article")) \
                        + anchor
                    anchor_text = flat[pos:list_end + mq2.end()].strip(" ,")
                    list_end += mq2.end()
        # external?
        external = _is_external(flat, m.start(), list_end)
        for s, e, comps_i, this_i, kw_i in items:
            line = doc.line_of(s)
            art = kw_i.lower().startswith("article")
            r = Reference(
                text=flat[s:e].strip(" ,"), start=s, end=e, line=line, components=comps_i, keyword=kw_i,
                this=this_i, anchor=None if art else anchor, anchor_this_kind=None if art else anchor_this_kind,
                anchor_text="" if art else anchor_text,
                external=external, list_span=(m.start(), list_end),
                this_article=this_article and s == m.start(),
            )
            refs.append(r)
        taken.add(m.start(), list_end)

    for rx in (_BARE_RE, _ABOVE_IN_RE):
        for m in rx.finditer(flat):
            if overlaps(m.start(), m.end()):
                continue
            first = parse_designator(m.group("des"))
            items = [(m.start("des"), m.end("des"), first)]
            prev = first
            for mi in re.finditer(rf"{_CONNECT}(?P<d>{_CHAIN_P})", m.group("more") or ""):
                ic = _continue_chain(prev, parse_designator(mi.group("d")))
                base = m.start("more")
                items.append((base + mi.start("d"), base + mi.end("d"), ic))
                prev = ic
            for s, e, comps_i in items:
                refs.append(Reference(text=flat[s:e], start=s, end=e, line=doc.line_of(s), components=comps_i,
                                      keyword="", relative=True, list_span=(m.start(), m.end())))
            taken.add(m.start(), m.end())
    refs.sort(key=lambda r: r.start)
    quoted = _quoted_passages(flat)
    qstarts = [a for a, _ in quoted]
    for r in refs:
        r.context = outline.clause_at_offset(r.start) or outline.root
        k = bisect.bisect_right(qstarts, r.start) - 1
        r.in_quotation = k >= 0 and quoted[k][0] <= r.start < quoted[k][1]
    return refs


def _quoted_passages(flat: str) -> list[tuple[int, int]]:
    """Long quotations (an amendment's new text: 'amended to read as follows: “1. Dividends ...”'):
    references inside them follow the numbering of the text being amended."""
    out = []
    opened = None
    for m in re.finditer(r"[\u201c\u201d]", flat):
        if m.group(0) == "\u201c":
            if opened is None:
                opened = m.start()
        elif opened is not None:
            if m.start() - opened > 400:
                out.append((opened, m.end()))
            opened = None
    # "Section (C)1(a) of Article FOURTH ... is hereby amended and restated ... to read as follows: (a) ...":
    # one section's new text inside a certificate of amendment, up to the signature
    for m in re.finditer(r"\b(?:is|are)\s+(?:hereby\s+)?amended(?:\s+and\s+restated)?[^.:]{0,80}?\bas\s+follows\s*:\s*"
                         r"[\u201c\"]?\s*(?=\(\w{1,4}\)|\d{1,2}(?:\.\d{1,2})*\.?\s)", flat):
        end = flat.find("IN WITNESS", m.end())
        out.append((m.end(), end if end > 0 else len(flat)))
    out.sort()
    return out


def _is_external(flat: str, start: int, end: int) -> bool:
    before = flat[max(0, start - 30):start]
    if _EXTERNAL_BEFORE.search(before):
        return True
    if re.search(r"\bnew\s+$", before):
        return True  # "amended to include a new subsection 4(l)": the amended text, not this one
    seg = flat[start:end]
    if re.search(r"\d-\d", seg) and re.search(r"Section\s+\d+-\d", seg):
        return True
    after = flat[end:end + 160]
    gap = _GAP_TOKENS.match(after)
    rest = after[gap.end():] if gap else after
    if re.match(r"^(?:thereof|thereunder|therein)\b", rest):
        return True  # "Section 2115 thereof": of the statute just named
    m = re.match(r"^(?:of|under|in)\s+", rest)
    if m:
        tail = rest[m.end():]
        if re.match(r"(?:Sections?|[Ss]ubsections?|Articles?|ARTICLE|[Pp]aragraphs?|[Cc]lauses?)\b", tail):
            return False  # "... and in Section 4": another reference, not a document
        if re.match(r"^(?:this|these)\b", tail):
            return False
        if _EXTERNAL_NAMES.match(tail):
            return True
    return False


# -------------------------------------------------------------------- resolve
#
# A reference resolves against the clauses whose path ENDS with its components (a lawyer
# writes "Section 2.1" inside Article IV for IV.2.1, "Section C.2(c)" for IV.C.2(c)).
# Among several, the one that shares the most enclosing clauses with the place the
# reference is written wins (relative to the enclosing article and section), then the
# shallowest; a tie left over is ambiguous.  Readings, strictest first:
#   strict  labels equal as written, parenthesised where the reference has parentheses
#   loose   case and parentheses ignored ("subsection (3)(c)" for 3(c), "Section 6a(i)")
#   inline  the last label is written in the running text of the clause the rest names
#   skip    the reference leaves out or adds levels ("Section V.B.3" for V.3): a warning


def _article_value(text: str) -> int | None:
    up = text.upper()
    if up in ORDINALS:
        return ORDINALS.index(up) + 1
    if text.isdigit():
        return int(text)
    return roman_value(text)


_Info = tuple  # (text, paren: bool | None, article: bool, value)


def _clause_info(c: Clause) -> list[_Info]:
    """(label, parenthesised, article, value, inner) per component of the clause's path; `inner`
    marks the later parts of a decimal number (the 2 and 1 of 3.2.1), where a reference may not
    start: "Section 2.1" is not 3.2.1."""
    out: list[_Info] = []
    for a in c.chain:
        paren = True if a.style in PAREN_STYLES else (None if a.style == "low." else False)
        own = a.own_components
        offset = len(a.label.split(".")) - len(own) if a.style == "dec." else 0
        for i, part in enumerate(own):
            out.append((part, paren, a.style == "article", a.value, a.style == "dec." and offset + i > 0))
    return out


def _index(outline: Outline) -> dict[str, list[tuple[Clause, list[_Info]]]]:
    idx = getattr(outline, "_ref_index", None)
    if idx is None:
        idx = {}
        for c in outline.clauses:
            info = _clause_info(c)
            last = info[-1]
            key = f"art:{last[3]}" if last[2] else last[0].lower()
            idx.setdefault(key, []).append((c, info))
            if c.style == "dec." and len(c.own_components) > 1:
                # 5.6.1 right under 5. implies a 5.6 whose heading was lost: "Section 5.6" finds 5.6.1
                for k in range(1, len(c.own_components)):
                    implied = info[:len(info) - k]
                    idx.setdefault(implied[-1][0].lower(), []).append((c, implied))
        outline._ref_index = idx  # type: ignore[attr-defined]
    return idx


def _comp_ok(rc: Component, cc: _Info, mode: str, first: bool) -> bool:
    text, paren, art, val, inner = cc
    if first and inner:
        return False  # a reference starts at a whole number: "Section 2.1" never matches the 2.1 of 3.2.1
    if rc.article:
        return art and _article_value(rc.text) == val
    if art:
        # "Section 4.3" where the sections of ARTICLE 4 are numbered 4.1, 4.2, ...
        return first and rc.text.isdigit() and int(rc.text) == val
    if mode == "strict":
        return rc.text == text and (paren is None or paren == rc.paren)
    return rc.text.lower() == text.lower()


def _suffix_ok(comps: list[Component], info: list[_Info], mode: str) -> bool:
    n = len(comps)
    if n > len(info):
        return False
    tail = info[-n:]
    return all(_comp_ok(rc, cc, mode, i == 0) for i, (rc, cc) in enumerate(zip(comps, tail)))


def _subseq_ok(comps: list[Component], info: list[_Info]) -> bool:
    """Loose, levels left out or added: first and last equal, the rest in order."""
    if not _comp_ok(comps[-1], info[-1], "loose", len(comps) == 1):
        return False
    j = 0
    for i, rc in enumerate(comps[:-1]):
        while j < len(info) - 1 and not _comp_ok(rc, info[j], "loose", i == 0):
            j += 1
        if j >= len(info) - 1:
            return False
        j += 1
    return True


def _nearest(cands: list[Clause], context: Clause) -> list[Clause]:
    """Those sharing the most enclosing clauses with the context, then the shallowest."""
    if len(cands) <= 1:
        return cands
    ctx_anc = set(map(id, context.ancestors_or_self()))

    def key(c: Clause) -> tuple[int, int]:
        shared = sum(1 for a in c.ancestors_or_self() if id(a) in ctx_anc)
        return (-shared, len(c.chain))

    best = min(key(c) for c in cands)
    return [c for c in cands if key(c) == best]


def _pool(outline: Outline, comps: list[Component]) -> tuple[list[tuple[Clause, list[_Info]]], list[int]]:
    """The clauses whose last label is the reference's last one, in document order, and their starts."""
    last = comps[-1]
    key = f"art:{_article_value(last.text)}" if last.article else last.text.lower()
    pool = _index(outline).get(key, [])
    cache = outline.__dict__.setdefault("_ref_starts", {})
    starts = cache.get(key)
    if starts is None or len(starts) != len(pool):
        pool.sort(key=lambda ci: ci[0].flat_start)
        starts = cache[key] = [c.flat_start for c, _ in pool]
    return pool, starts


def _ok(comps: list[Component], info: list[_Info], mode: str) -> bool:
    return _subseq_ok(comps, info) if mode == "skip" else _suffix_ok(comps, info, mode)


def match_clauses(outline: Outline, comps: list[Component], mode: str,
                  within: Clause | None = None) -> list[Clause]:
    """Every clause the components name under one reading (no choice among them)."""
    if not comps:
        return []
    pool, starts = _pool(outline, comps)
    lo, hi = 0, len(pool)
    if within is not None:
        lo, hi = bisect.bisect_left(starts, within.flat_start), bisect.bisect_left(starts, within.flat_end)
    out = []
    for c, info in pool[lo:hi]:
        if within is not None and (c is within or not within.contains(c)):
            continue
        if _ok(comps, info, mode) and c not in out:
            out.append(c)
    if len(out) > 1 and comps[-1].article and any(h.quoted for h in out):
        out = [h for h in out if h.quoted]  # a wrapper certificate around a quoted article
    return out


def _scoped(outline: Outline, comps: list[Component], mode: str, context: Clause,
            anchor: Clause | None) -> list[Clause]:
    """The matches nearest the context: within the innermost enclosing clause that has any
    (the context itself first, then its parent ...), shallowest first.  Linear in the clauses
    looked at, which for a resolvable reference are those of one section."""
    if not comps:
        return []
    if anchor is not None:
        hits = match_clauses(outline, comps, mode, within=anchor)
        return _nearest(hits, context)
    pool, starts = _pool(outline, comps)
    if not pool:
        return []
    scopes = context.ancestors_or_self() + [outline.root]
    done_lo, done_hi = None, None
    for sc in scopes:
        if sc.style == "root":
            lo, hi = 0, len(pool)
        else:
            lo, hi = bisect.bisect_left(starts, sc.flat_start), bisect.bisect_left(starts, sc.flat_end)
        hits = []
        for i in range(lo, hi):
            if done_lo is not None and done_lo <= i < done_hi:
                continue  # looked at already in the inner scope
            c, info = pool[i]
            if _ok(comps, info, mode) and (sc.style == "root" or sc.contains(c)):
                hits.append(c)
        if hits:
            if len(hits) > 1 and comps[-1].article and any(h.quoted for h in hits):
                hits = [h for h in hits if h.quoted]
            best = min(len(h.chain) for h in hits)
            out = []
            for h in hits:
                if len(h.chain) == best and h not in out:
                    out.append(h)
            return out
        done_lo, done_hi = lo, hi
    return []


def resolve_components(outline: Outline, comps: list[Component], context: Clause,
                       anchor: Clause | None = None, passes: tuple[bool, ...] = (True, False)) -> list[Clause]:
    """The clauses a reference names from where it is written (True = strict, False = loose)."""
    for strict in passes:
        hits = _scoped(outline, comps, "strict" if strict else "loose", context, anchor)
        if hits:
            return hits
    return []


def _inline_labels(outline: Outline, clause: Clause, spans) -> set[str]:
    """Labels written inside a clause's own running text ("(A) the acquisition ... or (B) a sale")."""
    cache = outline.__dict__.setdefault("_inline_cache", {})
    got = cache.get(id(clause))
    if got is not None:
        return got
    if not isinstance(spans, _Spans):
        spans = _Spans(spans)
    flat = outline.doc.flat
    s, e = clause.flat_start, clause.flat_end
    for ch in clause.children:  # own text only
        e = min(e, ch.flat_start) if ch.flat_start > s else e
    out = set()
    for m in re.finditer(r"(?<![\w)])\(([A-Za-z]{1,5}|\d{1,2})\)", flat[s:e]):
        if s + m.start() in spans:
            continue
        out.add(m.group(1))
    cache[id(clause)] = out
    return out


def _resolve_one(outline: Outline, r: Reference, comps: list[Component], ctx: Clause,
                 anchor_clause: Clause | None, spans: list[tuple[int, int]]) -> tuple[str, list[Clause]]:
    # 1. strict
    hits = resolve_components(outline, comps, ctx, anchor_clause, passes=(True,))
    if hits and len(comps) == 1 and comps[0].paren and anchor_clause is None:
        # "clauses (ii) and (iii) above" inside 5(i), whose own text lists (i) ... (ii) ... (iii):
        # the enclosing clause's inline list is nearer than a (ii) in another section
        # ... but a hit inside a clause of that scope ("clause (y) below" in a section whose own
        # (y) follows) is nearer than an inline list of any clause after it in the scope
        for p in _inline_scope(ctx):
            if any(p.contains(h) for h in hits):
                break
            if comps[0].text in _inline_labels(outline, p, spans):
                return "inline", [p]
    if hits:
        return "found", hits
    # 2. a label written inline in the running text: "clause (A) of this subsection 3(b)(ii)"
    if comps[-1].paren:
        if len(comps) > 1:
            parents = resolve_components(outline, comps[:-1], ctx, anchor_clause)
        elif anchor_clause is not None:
            parents = [anchor_clause]
        else:
            parents = _inline_scope(ctx)
        for p in parents:
            if comps[-1].text in _inline_labels(outline, p, spans):
                return "inline", [p]
    # 3. loose: case and parentheses ("subsection (3)(c)" for 3(c); "subparagraph (f)" for f.)
    hits = resolve_components(outline, comps, ctx, anchor_clause, passes=(False,))
    if hits:
        return "found", hits
    # 4. levels left out or added: only a loose reading, reported as a warning
    if len(comps) > 1:
        hits = _scoped(outline, comps, "skip", ctx, anchor_clause)
        if hits:
            return "loose", hits
    return "dangling", []


def _inline_scope(ctx: Clause) -> list[Clause]:
    """Where a bare "(ii) above" may find an inline list: the clause it is written in, the
    clauses just before it at its level, then the same one level up."""
    out: list[Clause] = []
    for c in ctx.ancestors_or_self()[:2]:
        out.append(c)
        if c.parent is not None:
            sib = c.parent.children
            k = next((i for i, x in enumerate(sib) if x is c), 0)
            out.extend(reversed(sib[max(0, k - 2):k]))
    return out


def _exists_anywhere(outline: Outline, r: Reference, spans: list[tuple[int, int]]) -> Clause | None:
    """A clause that the reference's last one or two labels name anywhere, read loosely."""
    comps = r.components
    tail = comps[-2:] if len(comps) >= 2 else comps
    hits = match_clauses(outline, tail, "loose")
    return hits[0] if hits else None


def resolve(outline: Outline, refs: list[Reference]) -> None:
    spans = _Spans([r.list_span for r in refs])
    outline.__dict__.pop("_inline_cache", None)
    for r in refs:
        if r.external:
            r.status = "external"
            continue
        ctx = r.context or outline.root
        anchor_clause: Clause | None = None
        if r.anchor is not None:
            ah = resolve_components(outline, r.anchor, ctx)
            if not ah and len(r.anchor) > 1 and r.anchor[-1].paren:
                # "subsections (ii) ... of clause (y) of this Section 3.2": (y) is written inline in 3.2
                pre = resolve_components(outline, r.anchor[:-1], ctx)
                if pre and r.anchor[-1].text in _inline_labels(outline, pre[0], spans) and r.components[-1].paren \
                        and r.components[-1].text in _inline_labels(outline, pre[0], spans):
                    r.status, r.targets = "inline", [pre[0]]
                    continue
            if not ah:
                r.status = "dangling"
                continue
            anchor_clause = ah[0]
        elif r.anchor_this_kind:
            want = {"section": {"num.", "cap.", "dec."}, "subsection": {"low.", "(low)", "dec."},
                    "paragraph": {"low.", "(low)", "num.", "dec."}, "article": {"article"}}.get(
                        r.anchor_this_kind, {"num."})
            anchor_clause = next((a for a in ctx.ancestors_or_self() if a.style in want), None)
            if anchor_clause is None:
                anchor_clause = next((a for a in ctx.ancestors_or_self() if a.style in {"num.", "cap.", "dec."}), None)
        if r.this and anchor_clause is None:
            # "this Section 4": the clause itself or one of its ancestors
            for a in ctx.ancestors_or_self():
                info = _clause_info(a)
                if _suffix_ok(r.components, info, "strict") or _suffix_ok(r.components, info, "loose"):
                    r.targets, r.status = [a], "resolved"
                    break
            if r.status == "resolved":
                continue
        how, hits = _resolve_one(outline, r, r.components, ctx, anchor_clause, spans)
        if how == "dangling" and len(r.components) > 1 and all(c.paren for c in r.components) and ") (" in r.text:
            # "(G) (H)": a list with a missing comma, not a chain
            parts = [_resolve_one(outline, r, [c], ctx, anchor_clause, spans) for c in r.components]
            if all(h != "dangling" for h, _ in parts):
                how, hits = "inline", [t for _, ts in parts for t in ts][:1]
        if how == "inline":
            r.status, r.targets = "inline", hits
        elif how == "loose":
            r.status, r.targets = "loose", hits
        elif how == "found":
            r.targets = hits
            if r.this and not any(h.contains(ctx) for h in hits):
                r.status = "wrong-self"
            elif r.this_article and not any(h.chain[0].contains(ctx) for h in hits):
                r.status = "wrong-self"
            elif len(hits) > 1:
                r.status = "ambiguous"
            else:
                r.status = "resolved"
                tail = outline.doc.flat[r.end:r.end + 12]
                t = hits[0]
                m_dir = re.match(r"\s*\(?(above|below)\b", tail)
                if m_dir and m_dir.group(1) == "below" and t.flat_start < r.start and t.contains(ctx):
                    r.status = "direction"
        elif (r.components and not r.components[0].article and r.components[0].text.isdigit()
              and int(r.components[0].text) >= 100 and not r.anchor and not r.this):
            # "Section 242", "Sections 502, 503 and 506": statute numbers (a charter has no Section 242)
            r.status = "external"
        else:
            r.status = "dangling"
            near = _exists_anywhere(outline, r, spans)
            if near is not None:
                r.targets = [near]  # a reading exists elsewhere: a warning, not an error


# -------------------------------------------------------------------- checks


def _describe_missing(outline: Outline, r: Reference) -> str:
    ctx = r.context or outline.root
    anchor = None
    if r.anchor is not None:
        ah = resolve_components(outline, r.anchor, ctx)
        if not ah:
            return f"{r.anchor_text!r} names no clause of this document"
        anchor = ah[0]
    # longest resolvable prefix
    for k in range(len(r.components) - 1, 0, -1):
        pre = resolve_components(outline, r.components[:k], ctx, anchor)
        if pre:
            missing = "".join(f"({c.text})" if c.paren else c.text for c in r.components[k:])
            return f"{pre[0].path} has no {missing}"
    if r.components[0].article:
        return f"there is no Article {r.components[0].text}"
    return "no clause with that label exists"


def check_references(outline: Outline, refs: list[Reference], path: str) -> list[Finding]:
    out: list[Finding] = []
    unit = outline.doc.unit  # "line", or "paragraph" for .htm/.docx
    for r in refs:
        where = (r.context.path if r.context and r.context.style != "root" else None)
        txt = " ".join(r.text.split())
        full = f"{txt}{(' ' + r.anchor_text) if r.anchor_text else ''}"
        if r.status == "dangling":
            certain = not r.targets
            msg = f"Reference \"{full}\" does not resolve: {_describe_missing(outline, r)}."
            if not certain:
                t = r.targets[0]
                msg += f" The label exists elsewhere ({t.path}, {unit} {t.start_line}); check which clause is meant."
            out.append(Finding(
                rule="text.dangling-reference",
                severity=Severity.ERROR if certain and not r.in_quotation else Severity.WARNING,
                message=msg, clause=where, file=path, line=r.line,
                witness={"reference": full} | ({} if certain else {"nearest": r.targets[0].path}),
            ))
        elif r.status == "loose":
            t = r.targets[0]
            out.append(Finding(
                rule="text.dangling-reference", severity=Severity.WARNING,
                message=f"Reference \"{full}\" names no clause as written; it fits {t.path} ({unit} {t.start_line}) "
                        f"only if a level is left out or added.",
                clause=where, file=path, line=r.line, witness={"reference": full, "target": t.path},
            ))
        elif r.status == "wrong-self":
            tgt = r.targets[0].path
            out.append(Finding(
                rule="text.wrong-self-reference", severity=Severity.WARNING if r.in_quotation else Severity.ERROR,
                message=f"\"{txt}\" is written inside {where or 'the preamble'}, which is not part of {tgt}.",
                clause=where, file=path, line=r.line, witness={"reference": txt, "target": tgt},
            ))
        elif r.status == "direction":
            tgt = r.targets[0].path
            out.append(Finding(
                rule="text.reference-direction", severity=Severity.WARNING,
                message=f"\"{txt} below\" is written inside {tgt} itself; the clause it points to is not below. "
                        f"Check which clause is meant.",
                clause=where, file=path, line=r.line, witness={"reference": txt, "target": tgt},
            ))
        elif r.status == "ambiguous":
            paths = sorted({t.path for t in r.targets})
            if len(paths) > 1:
                out.append(Finding(
                    rule="text.ambiguous-reference", severity=Severity.WARNING,
                    message=f"Reference \"{txt}\" could mean any of {', '.join(paths)}.",
                    clause=where, file=path, line=r.line, witness={"reference": txt, "candidates": paths},
                ))
    out += check_wrong_clause(outline, refs, path)
    return out


# ------------------------------------------------------------- wrong clause
#
# "the Conversion Price as adjusted under Section 6" where Section 6 is "Redemption": the
# label exists, but the sentence's subject is not what the target is about.  Conservative:
# the subject must sit right before the verb that points at the reference ("as adjusted
# under", "paid pursuant to", "set forth in"), the target (or the section it is in) must
# carry a heading of another topic, and neither the target's heading nor its whole text may
# mention the subject's topic at all.

_TOPICS = {
    "conversion": (r"Conversion\s+(?:Price|Rate|Ratio|Value)|conver(?:t|sion)\w*", r"conver"),
    "redemption": (r"Redemption\s+(?:Price|Date|Amount)|redeem\w*|redemption", r"redeem|redemption"),
    "liquidation": (r"Liquidation\s+(?:Preference|Amount)|liquidation\s+preference",
                    r"liquidat|preferential|winding\s+up|dissolution"),
    "dividend": (r"[Dd]ividends?(?:\s+(?:Rate|Preference))?", r"dividend"),
    "voting": (r"\bvote|\bvoting|Protective\s+Provisions?", r"\bvot|consent|protective"),  # not "devoted"
}
_POINTER = re.compile(
    r"(?:as\s+)?(?:adjusted|determined|calculated|computed|set\s+forth|specified|provided|described|paid|payable"
    r"|distributed|required|defined)\s+(?:in|under|pursuant\s+to|by)\s+(?:the\s+provisions\s+of\s+)?$")


def _topic_of_subject(before: str) -> str | None:
    """The topic of the noun phrase just before 'as adjusted under' (within ~8 words)."""
    m = _POINTER.search(before)
    if not m:
        return None
    head = before[:m.start()]
    words = head.split()
    window = " ".join(words[-8:])
    best, where = None, -1
    for topic, (subj, _) in _TOPICS.items():
        for ms in re.finditer(subj, window):
            if ms.start() > where:
                best, where = topic, ms.start()
    return best


def _topic_of_heading(heading: str) -> str | None:
    for topic, (_, stems) in _TOPICS.items():
        if re.search(stems, heading, re.I):
            return topic
    return None


def check_wrong_clause(outline: Outline, refs: list[Reference], path: str) -> list[Finding]:
    flat = outline.doc.flat
    out: list[Finding] = []
    for r in refs:
        if r.status != "resolved" or len(r.targets) != 1 or r.this or r.relative:
            continue
        t = r.targets[0]
        if t.contains(r.context or outline.root):
            continue  # a reference to the clause it is written in
        start = r.list_span[0]
        lo = max(0, start - 300)  # a sentence start further back is cut to start - 300 anyway
        # (not below 0: in the first 300 characters, with no ". " or newline before it, the
        # sentence starts the document; -1 would read flat[-1:start], which is empty)
        sent_start = max(flat.rfind(". ", lo, start), flat.rfind("\n", lo, start), lo)
        subject = _topic_of_subject(flat[sent_start:start])
        if subject is None:
            continue
        headed = next((a for a in t.ancestors_or_self() if a.heading), None)
        if headed is None or headed.style == "article":
            continue
        h_topic = _topic_of_heading(headed.heading)
        if h_topic is None or h_topic == subject:
            continue
        stems = _TOPICS[subject][1]
        if re.search(stems, flat[t.flat_start:t.flat_end], re.I) or re.search(stems, headed.heading, re.I):
            continue  # the target speaks of the subject somewhere: no claim
        said = " ".join(flat[sent_start:r.end].split()[-14:])
        out.append(Finding(
            rule="text.wrong-clause-reference", severity=Severity.WARNING,
            message=(f"\"{said}\": the sentence is about {subject}, but {t.path} "
                     f"(\"{headed.heading}\", {outline.doc.unit} {headed.start_line}) is about {h_topic} and never mentions "
                     f"{subject}. Check which clause is meant."),
            clause=r.context.path if r.context and r.context.style != "root" else None,
            file=path, line=r.line,
            witness={"reference": " ".join(r.text.split()), "target": t.path, "target_heading": headed.heading,
                     "subject": subject},
        ))
    return out
