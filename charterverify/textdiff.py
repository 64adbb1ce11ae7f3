"""The redline of two charter TEXTS (two drafts of one charter, any input format the text
checks read): the clauses whose own wording changed, were added or were removed, named by
their outline labels, with the words deleted and inserted; and the text findings that appeared
or vanished.

A clause's own text is its text without its sub-clauses (a change in IV.B.2(a) is reported
there, not again in IV.B.2 and IV.B). Clauses are matched by their outline path; duplicate paths
are matched in document order.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from .findings import Severity


def _own_texts(path: Path) -> list[tuple[str, int, str]]:
    from .text import load_outline

    ol = load_outline(path)
    out = []
    flat = ol.doc.flat
    for c in ol.clauses:
        end = c.children[0].flat_start if c.children else c.flat_end
        out.append((c.path, c.start_line, " ".join(flat[c.flat_start:end].split())))
    return out


def _word_changes(old: str, new: str, limit: int = 12) -> list[dict[str, str]]:
    a, b = old.split(), new.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        out.append({"deleted": " ".join(a[i1:i2]), "inserted": " ".join(b[j1:j2])})
        if len(out) >= limit:
            break
    return out


def text_diff(old_path: Path, new_path: Path) -> dict[str, Any]:
    from .text import check_text

    old, new = _own_texts(old_path), _own_texts(new_path)
    old_by: dict[str, list[tuple[int, str]]] = {}
    for p, line, t in old:
        old_by.setdefault(p, []).append((line, t))
    seen: dict[str, int] = {}
    changed, added = [], []
    for p, line, t in new:
        k = seen.get(p, 0)
        seen[p] = k + 1
        olds = old_by.get(p, [])
        if k >= len(olds):
            added.append({"clause": p, "new_line": line, "text": t})
            continue
        oline, ot = olds[k]
        if ot != t:
            changed.append({"clause": p, "old_line": oline, "new_line": line, "changes": _word_changes(ot, t)})
    removed = [{"clause": p, "old_line": line, "text": t}
               for p, entries in old_by.items() for k, (line, t) in enumerate(entries) if k >= seen.get(p, 0)]
    fo, fn = check_text(old_path), check_text(new_path)
    key = lambda f: (f.rule, f.clause or "", f.message)  # noqa: E731
    ok, nk = {key(f) for f in fo}, {key(f) for f in fn}
    order = lambda f: (-int(f.severity), f.rule, f.clause or "", f.message)  # noqa: E731
    return {
        "old": str(old_path), "new": str(new_path),
        "clauses": {"changed": changed, "added": added, "removed": removed},
        "findings": {"appeared": [f.to_json() for f in sorted((f for f in fn if key(f) not in ok), key=order)],
                     "vanished": [f.to_json() for f in sorted((f for f in fo if key(f) not in nk), key=order)]},
    }


def text_diff_exit_status(d: dict[str, Any], fail_on: Severity = Severity.ERROR) -> int:
    return 1 if any(Severity.parse(f["severity"]) >= fail_on for f in d["findings"]["appeared"]) else 0


def _short(s: str, n: int = 160) -> str:
    """A clause's text shortened for a table, at a word boundary, marked as shortened."""
    return s if len(s) <= n else s[:n].rsplit(" ", 1)[0] + " [...]"


def text_diff_text(d: dict[str, Any], width: int | None = None) -> str:
    from .report.terminal import _table, console, label, print_finding_changes

    con, buf = console(width)
    c, fd = d["clauses"], d["findings"]
    con.print(f"Text redline {label(d['old'])} -> {label(d['new'])}: {len(c['changed'])} clause(s) changed, "
              f"{len(c['added'])} added, {len(c['removed'])} removed; {len(fd['appeared'])} finding(s) appeared, "
              f"{len(fd['vanished'])} vanished")
    if c["changed"]:
        con.print()
        t = _table("Clauses whose wording changed")
        t.add_column("Clause", overflow="fold", min_width=min(max(len(r["clause"]) for r in c["changed"]), 24))
        t.add_column("Lines", overflow="fold")
        t.add_column("Deleted -> inserted", overflow="fold", ratio=1)
        for r in c["changed"]:
            ch = "; ".join(f"[{label(x['deleted']) or '-'}] -> [{label(x['inserted']) or '-'}]" for x in r["changes"])
            t.add_row(label(r["clause"]), f"{r['old_line']} -> {r['new_line']}", ch)
        con.print(t)
    for title, key, line in (("Clauses added", "added", "new_line"), ("Clauses removed", "removed", "old_line")):
        if c[key]:
            con.print()
            t = _table(title)
            t.add_column("Clause", overflow="fold")
            t.add_column("Line", overflow="fold")
            t.add_column("Text", overflow="fold", ratio=1)
            for r in c[key]:
                t.add_row(label(r["clause"]), str(r[line]), label(_short(r["text"])))
            con.print(t)
    print_finding_changes(con, fd)
    return buf.getvalue()
