"""The gate: a model checked against a fresh draft of its own text (issue 12 §2)."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from charterverify.draft import draft_document
from charterverify.draft.gate import compare, gate_findings, model_facts
from charterverify.model import load_model, loads_model

ROOT = Path(__file__).resolve().parents[2]
SEEDS = (ROOT / ".." / "shared" / "seeds").resolve()
pytestmark = pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not found")

MUTATED_FIELDS = ("designated", "original_issue_price", "preference_per_share", "participation_cap_per_share",
                  "conversion_price")


def _mutate(text: str, line: int) -> str:
    lines = text.split("\n")
    m = re.search(r'=\s*("?)([0-9][0-9./]*)("?)', lines[line - 1])
    assert m, lines[line - 1]
    old = m.group(2)
    # a share count one more; a price a tenth of a cent more (keeps every cap above its preference)
    new = str(int(old) + 1) if m.group(1) == "" else str(Fraction(old) + Fraction(1, 1000))
    lines[line - 1] = lines[line - 1][:m.start(2)] + new + lines[line - 1][m.end(2):]
    return "\n".join(lines)


@pytest.mark.parametrize("name", ["kinzan", "juniper", "netgear", "quintus"])
def test_every_mutated_number_is_reported(name, capsys):
    """Change one number of the seed model at a time (every designated count, issue price,
    preference, cap and conversion price): the gate reports each change."""
    path = ROOT / "charters" / f"{name}.toml"
    model = load_model(path)
    draft = draft_document(model.text_path)
    assert not [c for c in compare(model, draft) if c.status == "differs"]
    text = path.read_text(encoding="utf-8")
    tried = reported = 0
    for mf in model_facts(model):
        if mf.key.rsplit(".", 1)[-1] not in MUTATED_FIELDS or mf.line is None:
            continue
        mutated = loads_model(_mutate(text, mf.line), str(path), base_dir=path.parent)
        tried += 1
        diffs = [c for c in compare(mutated, draft) if c.status == "differs"]
        if any(c.mf.key == mf.key for c in diffs):
            reported += 1
    with capsys.disabled():
        print(f"\ngate mutation test, {name}: {reported} of {tried} changed numbers reported")
    assert tried > 0 and reported == tried


def test_quintus_e_conversion_price_at_8_30_fails_naming_the_clause(tmp_path):
    src = (ROOT / "charters" / "quintus.toml").read_text(encoding="utf-8")
    model = load_model(ROOT / "charters" / "quintus.toml")
    e = [s.id for s in model.series].index("E")
    line = model.lines[f"series[{e}].conversion.price"]
    lines = src.split("\n")
    assert lines[line - 1].strip().startswith('price = "4.15"')
    lines[line - 1] = lines[line - 1].replace('"4.15"', '"8.30"')
    bad = tmp_path / "quintus.toml"
    bad.write_text("\n".join(lines).replace('text = "../../shared', f'text = "{(ROOT / ".." / "shared").resolve()}'))
    found = gate_findings(load_model(bad))
    assert len(found) == 1
    f = found[0]
    # IV.B.3(a), line 369: the Conversion Price "shall initially be ... the Original Series E Issue Price"
    assert f.message.startswith("series[E].conversion.price = 8.3, but IV.B.3(a) states $4.15 (line 369)")
    assert f.line == line and f.clause == "IV.B.3(a)" and f.rule == "text.gate"


def test_seed_models_pass_the_gate():
    for name in ("kinzan", "juniper", "quintus", "valuestar", "netgear"):
        assert gate_findings(load_model(ROOT / "charters" / f"{name}.toml")) == []
