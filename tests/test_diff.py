"""The economic redline of two drafts (charterverify.diff), on a small capped charter.

Old draft (tests/charters/good/capped.toml): A $5,000 senior; B 800 shares, $17.50
preference, participates to a $30.00 cap, converts 1:10 ($17.50 / $1.75) into 8,000 shares
beside 8,000 common. Breakpoints $5,000, $19,000, $39,000 (cap), $53,000 (B converts).

New draft: cap $25.00 and conversion price $2.00 (ratio 8.75: 7,000 shares).
- B shares the rest 7/15 after $19,000 and reaches 800 x $25 = $20,000 after 6,000 more:
  R = 6,000 x 15/7, so the cap binds at 19,000 + 90,000/7 = 223,000/7 (~$31,857.14);
- B converts when (E - 5,000) x 7/15 > 20,000: above 335,000/7 (~$47,857.14).
B's largest loss: $4,000 (held at $20,000 instead of $24,000) from $39,000; above $53,000 the
loss grows by (E - 5,000)/2 - 7(E - 5,000)/15 = (E - 5,000)/30 without bound. Common mirrors it.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from charterverify.diff import diff, diff_exit_status, diff_markdown
from charterverify.model import format_exact, load_model
from charterverify.properties import all_findings, check_all
from charterverify.solver.breakpoints import analyze

OLD = Path(__file__).resolve().parent / "charters" / "good" / "capped.toml"


@lru_cache(maxsize=None)
def _run(path: str):
    model = load_model(path)
    an = analyze(model)
    return model, an, all_findings(check_all(model, an))


def _redline(tmp_path, *replacements):
    text = OLD.read_text()
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "draft2.toml"
    path.write_text(text)
    om, oa, of = _run(str(OLD))
    nm, na, nf = _run(str(path))
    return diff(om, nm, oa, na, of, nf)


def test_moved_breakpoints_and_holder_extremes(tmp_path):
    d = _redline(tmp_path, ('cap = "30"', 'cap = "25"'), ('price = "1.75"', 'price = "2"'))
    assert d["breakpoints"]["moved"] == [
        {"cause": "Series B reaches its cap of $25 per share (4.B.2)", "old": "39000", "new": "223000/7",
         "change": "-50000/7", "old_cause": "Series B reaches its cap of $30 per share (4.B.2)"},
        {"cause": "Series B converts (4.D.1)", "old": "53000", "new": "335000/7", "change": "-36000/7"},
    ]
    assert d["breakpoints"]["appeared"] == [] and d["breakpoints"]["vanished"] == []
    assert [r["exit_value"] for r in d["breakpoints"]["unchanged"]] == ["5000", "19000"]
    assert d["holders"]["A"] == {"gain": None, "loss": None, "gain_unbounded": False, "loss_unbounded": False,
                                 "beyond": {"from": "53000", "slope": "0"}}
    assert d["holders"]["B"] == {
        "gain": None,
        "loss": {"amount": "-4000", "exit_value": "39000", "where": "at", "old": "24000", "new": "20000"},
        "gain_unbounded": False, "loss_unbounded": True, "beyond": {"from": "53000", "slope": "-1/30"},
    }
    assert d["holders"]["common"] == {
        "gain": {"amount": "4000", "exit_value": "39000", "where": "at", "old": "10000", "new": "14000"},
        "loss": None, "gain_unbounded": True, "loss_unbounded": False, "beyond": {"from": "53000", "slope": "1/30"},
    }
    # the cap's info finding changed its numbers: one vanished, one appeared; no error added
    assert [f["rule"] for f in d["findings"]["appeared"]] == ["caps"]
    assert [f["rule"] for f in d["findings"]["vanished"]] == ["caps"]
    assert diff_exit_status(d) == 0
    md = diff_markdown(d)
    # text in cells goes through escape.markdown: `$` is escaped (GitHub would render $...$ as math)
    assert "| moved ~−$7,142.86 | Series B reaches its cap of \\$25 per share (4.B.2) | $39,000 | ~$31,857.14 |" in md
    assert ("| B | none | −$4,000 at $39,000 ($24,000 → $20,000); unbounded: −1/30 of every $1 above $53,000 |"
            in md)


def test_a_vanished_conversion(tmp_path):
    # B can no longer convert: it participates with its 800 shares (not 8,000 as converted), so
    # its cap binds only at 19,000 + 10,000 x 8,800 / 800 = $129,000 and it stays there.
    d = _redline(tmp_path, ('[series.conversion]\nprice = "1.75"\nsource = "4.D.1"\n', ""))
    assert d["breakpoints"]["vanished"] == [{"cause": "Series B converts (4.D.1)", "exit_value": "53000"}]
    assert [(r["old"], r["new"]) for r in d["breakpoints"]["moved"]] == [("39000", "129000")]
    assert d["holders"]["B"]["loss"] == {"amount": "-38000", "exit_value": "129000", "where": "at",
                                         "old": "62000", "new": "24000"}
    assert d["holders"]["B"]["loss_unbounded"] and d["holders"]["B"]["beyond"] == {"from": "129000", "slope": "-0.5"}


def test_a_jump_is_reported_beside_the_breakpoint(tmp_path):
    # monotonicity_vote.toml: Series A converts the A-B group above $2,000 and B falls from
    # $1,000 to 100/2,000 of the exit value. Without the class vote B keeps its preference
    # (converting alone pays it 100/1,100 x (E - 900) at best): just above $2,000 it has
    # $1,000 instead of about $100, a gain of $900 approached but never reached.
    vote = Path(__file__).resolve().parent / "charters" / "properties" / "monotonicity_vote.toml"
    text = vote.read_text()
    start = text.index("[[class_votes]]")
    path = tmp_path / "novote.toml"
    path.write_text(text[:start] + text[text.index("[captable]"):])
    om, oa, of = _run(str(vote))
    nm, na, nf = _run(str(path))
    d = diff(om, nm, oa, na, of, nf)
    assert d["holders"]["B"]["gain"] == {"amount": "900", "exit_value": "2000", "where": "just above",
                                         "old": "100", "new": "1000"}
    assert [f["rule"] for f in d["findings"]["vanished"]] == ["conversion", "monotonicity", "conversion"]
    assert diff_exit_status(d) == 0
    assert "| B | +$900 just above $2,000 ($100 → $1,000)" in diff_markdown(d)


def test_exit_status_when_the_new_draft_adds_an_error(tmp_path):
    # Declared dividends of $15 lift B's preference to $32.50 a share, above its $30.00 cap.
    d = _redline(tmp_path, ('[captable]\ncommon_outstanding = 8000\n',
                            '[captable]\ncommon_outstanding = 8000\n\n[captable.dividends]\nB = "15"\n'))
    errors = [f for f in d["findings"]["appeared"] if f["severity"] == "error"]
    assert [(f["rule"], f["witness"]) for f in errors] == [
        ("caps", {"series": "B", "cap": "30", "preference": "32.5"})]
    assert diff_exit_status(d) == 1
    assert "- **error** `caps` (4.B.2; 4.B.2): " not in diff_markdown(d)
    assert "- **error** `caps` (4.B.2): Series B's cap of \\$30.00 per share" in diff_markdown(d)


# ---------------------------------------------------------------- the redline through the CLI


KINZAN = Path(__file__).resolve().parents[1] / "charters" / "kinzan.toml"


def _kinzan_variant(tmp_path, old: str, new: str) -> Path:
    """A copy of kinzan.toml beside tmp_path, its text path made absolute, `old` replaced by `new`."""
    from charterverify.model import load_model

    text = load_model(KINZAN).text_path.resolve()
    src = KINZAN.read_text()
    src = re.sub(r'(?m)^text = ".*"$', f'text = "{text}"', src)
    assert src.count(old) == 1
    p = tmp_path / "kinzan_v2.toml"
    p.write_text(src.replace(old, new))
    return p


def test_kinzan_series_b_preference_doubled(tmp_path, capsys):
    from charterverify.cli import main

    v2 = _kinzan_variant(tmp_path, '[series.preference]\nper_share = "4.00"', '[series.preference]\nper_share = "8.00"')
    code = main(["--diff", str(KINZAN), str(v2), "--format", "json"])
    d = json.loads(capsys.readouterr().out)
    assert code == 1  # a new error: the text does not state $8.00
    # the changed term: only B's preference (the text path is the same file, written differently)
    assert d["terms"] == [{"key": "series[B].preference.per_share", "old": "4.00", "new": "8.00",
                           "clause": "FOURTH.B.2(a)"}]
    # the text check that flags the new number
    new = [(f["rule"], f["severity"], f["clause"]) for f in d["findings"]["appeared"]]
    assert ("text.untraced-number", "error", "FOURTH.B.2(a)") in new
    assert d["findings"]["vanished"] == []
    # B's payout. Preferences (FOURTH.B.2(a)): A 5,847,895 x $0.90 = $5,263,105.50, B 5,000,000 x
    # $4.00 = $20,000,000 (new $40,000,000), C $30,750,000; stack $56,013,105.50 (new $76,013,105.50),
    # a shortfall shared in proportion to the full preferential amounts.
    rows = {r["exit_value"]: r["holders"]["B"] for r in d["payouts_at_round_exits"]}
    e = Fraction(50_000_000)
    old_b = e * 20_000_000 / Fraction("56013105.5")
    new_b = e * 40_000_000 / Fraction("76013105.5")
    assert rows["50000000"] == {"old": format_exact(old_b), "new": format_exact(new_b),
                                "change": format_exact(new_b - old_b)}
    # at $100M B keeps its preference in both drafts (it converts only above $114,141,580 old,
    # $197,533,160 new): $20,000,000 -> $40,000,000
    assert rows["100000000"] == {"old": "20000000", "new": "40000000", "change": "20000000"}
    moved = {r["cause"]: (r["old"], r["new"]) for r in d["breakpoints"]["moved"]}
    assert moved["Series A, B and C preference filled (FOURTH.B.2(a))"] == ("56013105.5", "76013105.5")

    # the same redline for the terminal names the term, the finding and the $100M change
    code = main(["--diff", str(KINZAN), str(v2)])
    out = capsys.readouterr().out
    assert code == 1
    assert "series[B].preference.per_share" in out and "text.untraced-number" in out
    assert re.search(r"\$100,000,000\.00\s+B\s+\$20,000,000\.00\s+\$40,000,000\.00\s+\+\$20,000,000\.00", out)


def test_diff_fail_on(tmp_path, capsys):
    from charterverify.cli import main

    # the same draft against itself: nothing appears, exit 0 whatever --fail-on says
    v2 = _kinzan_variant(tmp_path, 'name = "Kinzan, Inc."', 'name = "Kinzan, Inc."')
    assert main(["--diff", str(KINZAN), str(v2), "--fail-on", "info", "--format", "json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["terms"] == [] and d["findings"]["appeared"] == []
    assert all(Fraction(v["change"]) == 0 for r in d["payouts_at_breakpoints"] for v in r["holders"].values())


def test_same_text_written_differently_is_no_change(tmp_path):
    from charterverify.diff import changed_terms

    # the variant's [source] text is an absolute path to the very file kinzan.toml names relatively
    v2 = _kinzan_variant(tmp_path, 'name = "Kinzan, Inc."', 'name = "Kinzan Inc."')
    terms = changed_terms(load_model(KINZAN), load_model(v2))
    assert terms == [{"key": "charter.name", "old": "Kinzan, Inc.", "new": "Kinzan Inc.", "clause": None}]


# ---------------------------------------------------------------- two charter texts


def _seed_variant(tmp_path, line: int, old: str, new: str) -> tuple[Path, Path]:
    from charterverify.model import load_model

    seed = load_model(KINZAN).text_path.resolve()
    if not seed.is_file():
        import pytest

        pytest.skip("../shared/seeds is not beside the checkout")
    lines = seed.read_text().splitlines(keepends=True)
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new)
    p = tmp_path / "draft2.txt"
    p.write_text("".join(lines))
    return seed, p


def test_text_redline_names_the_clause_and_the_words(tmp_path, capsys):
    from charterverify.cli import main

    # Kinzan's text, line 103 (in FOURTH.B.2(a), which starts at line 94): Series B's "$4.00"
    seed, v2 = _seed_variant(tmp_path, 103, "$4.00", "$8.00")
    code = main(["--diff", str(seed), str(v2), "--format", "json"])
    d = json.loads(capsys.readouterr().out)
    assert code == 0
    assert d["clauses"] == {"changed": [{"clause": "FOURTH.B.2(a)", "old_line": 94, "new_line": 94,
                                         "changes": [{"deleted": "$4.00", "inserted": "$8.00"}]}],
                            "added": [], "removed": []}
    assert d["findings"] == {"appeared": [], "vanished": []}


def test_text_redline_new_placeholder_fails(tmp_path, capsys):
    from charterverify.cli import main

    seed, v2 = _seed_variant(tmp_path, 103, "$4.00", "$[●]")
    code = main(["--diff", str(seed), str(v2)])
    out = capsys.readouterr().out
    assert code == 1  # a placeholder is an error finding of the new draft
    assert "FOURTH.B.2(a)" in out and "[$4.00] -> [$[●]]" in out and "text.placeholder" in out


def test_diff_refuses_a_model_and_a_text(capsys):
    from charterverify.cli import main

    assert main(["--diff", str(KINZAN), str(OLD).replace(".toml", ".txt")]) == 2
    assert "not one of each" in capsys.readouterr().err
