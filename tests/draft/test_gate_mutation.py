"""The gate's mutation test (issue 12 §3) and its documented readings (§2).

Change one number of a seed model at a time -- every number the model states with a clause
(model.numbers()) and every class-vote threshold -- and run what `verify MODEL.toml` runs
against the text: the gate (text.gate: the model against a fresh draft of its text) and the
role-aware traceability check (text.untraced-number).  Each change must be reported.  Numbers
the model states as assumptions (source "assumption": Valuestar's authorized shares and its
external Series A, whose terms are in a certificate that is not in the seeds) are not in the
text and cannot be traced; they are listed, not counted."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from charterverify.draft.gate import cached_draft, compare, gate_findings, model_facts
from charterverify.model import load_model, loads_model
from charterverify.draft.trace import check_traceability

ROOT = Path(__file__).resolve().parents[2]
SEEDS = (ROOT / ".." / "shared" / "seeds").resolve()
pytestmark = pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not found")
NAMES = ("kinzan", "juniper", "netgear", "quintus", "valuestar")
# every seed number that is not stated in its text, with the reason
NOT_IN_TEXT = {
    "valuestar": {
        "common.authorized", "preferred.authorized",  # the seed is the Series B certificate only
        "series[A].designated", "series[A].original_issue_price", "series[A].preference.per_share",  # external A
    },
}


def _toml_name(key: str) -> str:
    last = re.sub(r"\[[^\]]*\]", "", key.rsplit(".", 1)[-1])
    return {"vote_threshold": "threshold"}.get(last, last)


def mutate(text: str, line: int, name: str) -> tuple[str, str, str]:
    """The model text with the value of `name` on `line` changed: a whole number one more, any other
    number a thousandth more (a preference stays under its cap)."""
    lines = text.split("\n")
    m = re.search(rf"(?<![\w]){re.escape(name)}\s*=\s*(\"?)([0-9][0-9./]*)(\"?)", lines[line - 1])
    assert m, (name, lines[line - 1])
    old = m.group(2)
    new = str(int(old) + 1) if m.group(1) == "" else str(Fraction(old) + Fraction(1, 1000))
    lines[line - 1] = lines[line - 1][:m.start(2)] + new + lines[line - 1][m.end(2):]
    return "\n".join(lines), old, new


def targets(model):
    """(key, line, toml name) of every number to change."""
    out = [(n.key, n.line, _toml_name(n.key)) for n in model.numbers()]
    out += [(mf.key, mf.line, "threshold") for mf in model_facts(model) if mf.key.startswith("class_vote.")]
    return out


def reported_by(model, draft) -> set[str]:
    """Which checks report something on a model: 'gate' and/or 'trace'."""
    got = set()
    if [c for c in compare(model, draft) if c.status == "differs"]:
        got.add("gate")
    if [f for f in check_traceability(list(model.numbers()), model.text_path, draft=draft)
            if f.rule == "text.untraced-number"]:
        got.add("trace")
    return got


@pytest.mark.parametrize("name", NAMES)
def test_every_changed_number_is_reported(name, capsys):
    path = ROOT / "charters" / f"{name}.toml"
    model = load_model(path)
    draft = cached_draft(model.text_path)
    assert reported_by(model, draft) == set()  # the unchanged seed: no finding
    text = path.read_text(encoding="utf-8")
    tried = reported = by_gate = 0
    missed, skipped = [], []
    for key, line, tname in targets(model):
        if key in NOT_IN_TEXT.get(name, set()):
            skipped.append(key)
            continue
        assert line is not None, key
        new_text, old, new = mutate(text, line, tname)
        mutated = loads_model(new_text, str(path), base_dir=path.parent)
        tried += 1
        got = reported_by(mutated, draft)
        if got:
            reported += 1
            by_gate += "gate" in got
        else:
            missed.append(f"{key} {old}->{new}")
    with capsys.disabled():
        print(f"\ngate mutation test, {name}: {reported} of {tried} changes reported "
              f"({by_gate} by text.gate; the rest by text.untraced-number)"
              + (f"; not in the text, not counted: {', '.join(skipped)}" if skipped else ""))
    assert sorted(skipped) == sorted(NOT_IN_TEXT.get(name, set()))
    assert missed == [] and tried > 0


def test_mutation_counts():
    """How many numbers each seed model states with a clause (the M of "N of M")."""
    counts = {n: len([t for t in targets(load_model(ROOT / "charters" / f"{n}.toml"))
                      if t[0] not in NOT_IN_TEXT.get(n, set())]) for n in NAMES}
    # kinzan 17 numbers; juniper 40; netgear 17 + the A-C... class votes; quintus 74 + 1 class vote (A-D)
    assert counts["kinzan"] >= 17 and counts["juniper"] >= 40 and counts["quintus"] >= 75
    assert counts["valuestar"] >= 6


def _with(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _quintus(tmp_path, edit):
    src = (ROOT / "charters" / "quintus.toml").read_text(encoding="utf-8")
    bad = tmp_path / "quintus.toml"
    bad.write_text(edit(src).replace('text = "../../shared', f'text = "{(ROOT / ".." / "shared").resolve()}'))
    return load_model(bad)


def test_documented_readings_are_not_disagreements(tmp_path):
    """The [readings] choices and the assumed cap table are what the text leaves open: changing
    them never makes the gate report a disagreement, and compare() names them as readings."""
    m = _quintus(tmp_path, lambda s: _with(_with(s, 'cap_dropout = "own_cap"', 'cap_dropout = "first_cap_ends"'),
                                           'cash_on_conversion = "before_preferences"',
                                           'cash_on_conversion = "after_preferences"'))
    assert m.readings.cap_dropout == "first_cap_ends"
    assert gate_findings(m) == []
    status = {c.mf.key: (c.status, c.why) for c in compare(m, cached_draft(m.text_path))}
    assert status["readings.cap_dropout"][0] == "reading" and "first series" in status["readings.cap_dropout"][1]
    assert status["readings.cash_on_conversion"][0] == "reading"
    assert status["captable.common_outstanding"][0] == "reading"
    assert status["captable.outstanding.E"][0] == "reading"
    # but a number the text states is no reading: E's cash-free conversion price is compared
    assert status["series.E.conversion_price"][0] == "equal"
    # cash paid on conversion is compared with IV.B.3(a): $0.925 for each share of Series A
    assert status["series.A.conversion_cash_per_share"][0] == "equal"


def test_assumed_numbers_are_readings_only_where_the_text_is_silent(tmp_path):
    v = load_model(ROOT / "charters" / "valuestar.toml")
    st = {c.mf.key: c for c in compare(v, cached_draft(v.text_path))}
    # Valuestar's seed is the Series B certificate: no authorized share counts in it
    assert st["authorized.common"].status == "reading" and st["authorized.common"].df is None
    # Quintus: an "assumed" authorized common count the text contradicts (IV.A: 100,000,000) is reported
    m = _quintus(tmp_path, lambda s: s.replace("[common]\nauthorized = 100000000", "[common]\nauthorized = 100000001")
                 .replace('source = "IV.A"', 'source = "assumption"', 1))
    if m.common_authorized != 100000001 or m.common_source != "assumption":
        pytest.skip("quintus.toml layout changed")
    fs = gate_findings(m)
    assert [f.message.split(",")[0] for f in fs] == ["common.authorized = 100000001"]


def test_quintus_e_conversion_price_at_8_30_names_iv_b_3_a(tmp_path):
    """Through both checks: the gate ("... but IV.B.3(a) states $4.15 (line 369)") and the
    traceability check (8.30 is not stated as E's conversion price in IV.B.3(a))."""
    m = _quintus(tmp_path, lambda s: re.sub(r'(\[series\.conversion\]\nprice = )"4\.15"', r'\1"8.30"', s, count=1))
    assert m.get_series("E").conversion.price == Fraction("8.3")
    g = gate_findings(m)
    assert [(f.rule, f.clause) for f in g] == [("text.gate", "IV.B.3(a)")]
    t = [f for f in check_traceability(list(m.numbers()), m.text_path) if f.rule == "text.untraced-number"]
    assert [(f.witness["key"], f.clause) for f in t] == [("series[E].conversion.price", "IV.B.3(a)")]
