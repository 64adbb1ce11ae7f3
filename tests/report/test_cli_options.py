"""Every option works with every other or is refused in one line naming the conflict (exit 2).

Each combination the issue found silently ignored has a test here on a real run."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from fractions import Fraction as F
from pathlib import Path

import pytest

from charterverify.cli import main

ROOT = Path(__file__).resolve().parents[2]
CHARTERS = ROOT / "charters"
VALUESTAR = CHARTERS / "valuestar.toml"


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("args, words", [
    (["--symbolic"], "--symbolic"),
    (["--exit", "1e8", "--format", "sarif"], "--format sarif"),
    (["--exit", "1e8", "--format", "junit"], "--format junit"),
    (["--exit", "1e8", "--format", "github"], "--format github"),
    (["--breakpoints", "--format", "sarif"], "--format sarif"),
    (["--exit", "1e8", "--breakpoints"], "--breakpoints"),
    (["--excluded"], "--excluded"),
    (["--valuation", "post_money"], "--valuation"),
    (["--format", "csv"], "csv"),
    (["--verbose", "--format", "json"], "--verbose"),
    (["--exit", "1,5"], "1,5"),
    (["--exit", "5e7", "--ipo", "12", "--raise", "4e7"], "--ipo"),
])
def test_refused_with_one_line(capsys, args, words):
    code, out, err = run(capsys, VALUESTAR, *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("verify: error: ") and words in err


def test_refused_modes(capsys):
    code, out, err = run(capsys, "--diff", VALUESTAR, VALUESTAR, "--exit", "5e7")
    assert code == 2 and "--diff does not take --exit" in err
    code, out, err = run(capsys, "--outline", VALUESTAR, "--diff", VALUESTAR, VALUESTAR)
    assert code == 2 and "cannot be combined" in err
    code, out, err = run(capsys, "--diff", VALUESTAR, VALUESTAR, "--format", "sarif")
    assert code == 2 and "--format sarif" in err


@pytest.mark.parametrize("text", ["50M", "$50,000,000", "5e7", "50000000", "0.05B"])
def test_exit_amount_spellings_are_exact(capsys, text):
    code, out, err = run(capsys, VALUESTAR, "--exit", text, "--format", "json")
    assert code == 0
    d = json.loads(out)["exits"][0]
    # $50M is in B's flat zone ($39M-$53M): A $5M, B its cap 800,000 x $30 = $24M, common the rest
    assert d["exit_value"] == "50000000"
    assert d["payouts"] == {"A": "5000000", "B": "24000000", "common": "21000000"}


def test_exit_with_report_writes_the_report_and_says_where(capsys, tmp_path):
    code, out, err = run(capsys, VALUESTAR, "--exit", "1e8", "--report", tmp_path / "out")
    assert code == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["valuestar-payouts.svg", "valuestar-per-share.svg", "valuestar.html", "valuestar.json",
                     "valuestar.md", "valuestar.xlsx"]
    assert err.startswith("verify: wrote ") and str(tmp_path / "out" / "valuestar.html") in err
    rep = json.loads((tmp_path / "out" / "valuestar.json").read_text())
    # valuestar's text has two numbering warnings (C.2 (ii) twice; D.8(v) (H) twice)
    assert {f["rule"] for f in rep["findings"]} >= {"text.numbering-duplicate"}
    assert "$47,500,000.00" in out  # the payouts still print


def test_exit_markdown(capsys):
    code, out, _ = run(capsys, VALUESTAR, "--exit", "50M", "--format", "markdown")
    assert code == 0
    assert "| Series B | $24,000,000.00<br>$30.00/sh 48.0% |" in out
    assert "| **Total** | **$50,000,000.00** |" in out


def test_breakpoints_markdown_has_the_breakpoints(capsys):
    code, out, _ = run(capsys, VALUESTAR, "--breakpoints", "--format", "markdown")
    assert code == 0
    # DOMAIN.md: A's $5M, B's $14M preference ($19M), B's cap ($39M), B converts ($53M)
    for i, x in enumerate(["$5,000,000.00", "$19,000,000.00", "$39,000,000.00", "$53,000,000.00"], start=1):
        assert f"| {i} | {x} |" in out
    assert "Series B converts" in out


def test_breakpoints_symbolic_markdown(capsys):
    code, out, _ = run(capsys, VALUESTAR, "--breakpoints", "--symbolic", "--format", "markdown")
    assert code == 0 and "formulas of the cap table" in out


def test_issue_keeps_the_text_checks(capsys):
    # without --issue valuestar has findings from its text; --issue must not drop them
    code, plain, _ = run(capsys, VALUESTAR, "--format", "json", "--fail-on", "warning")
    code2, issued, _ = run(capsys, VALUESTAR, "--issue", "1000000@1.00", "--exit", "1e8", "--format", "json")
    assert code == 1
    rules = {f["rule"] for f in json.loads(plain)["findings"]}
    assert "text.numbering-duplicate" in rules
    code3, out, _ = run(capsys, VALUESTAR, "--issue", "1000000@1.00", "--fail-on", "warning")
    assert code3 == 1  # the text warnings still fail the run
    assert "text checks read the charter as written" in out
    assert "(text.numbering-duplicate;" in out


def test_csv_at_three_exits(capsys):
    code, out, _ = run(capsys, VALUESTAR, "--exit", "19M", "--exit", "50M", "--exit", "100M", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 9
    by = {(r["exit_value_exact"], r["holder"]): r for r in rows}
    # $19M: A's $5M and B's full $14M (800,000 x $17.50); A is 5/19 of the proceeds
    a = by[("19000000", "A")]
    assert a["payout"] == "5000000.00" and a["per_share"] == "5.0000"
    assert a["percent_of_proceeds"] == "26.32" and a["percent_of_proceeds_exact"] == "500/19"
    b = by[("100000000", "B")]
    assert b["payout_exact"] == "47500000" and b["per_share_exact"] == "59.375" and b["percent_of_proceeds"] == "47.50"
    for e in ("19000000", "50000000", "100000000"):
        assert sum(F(r["payout_exact"]) for r in rows if r["exit_value_exact"] == e) == F(e)


def test_csv_at_every_breakpoint(capsys):
    code, out, _ = run(capsys, VALUESTAR, "--breakpoints", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["exit_value_exact"] for r in rows if r["holder"] == "B"] == ["5000000", "19000000", "39000000", "53000000"]
    assert [r["payout_exact"] for r in rows if r["holder"] == "B"] == ["0", "14000000", "24000000", "24000000"]
    assert rows[0]["point"] == "breakpoint 1"


def test_xlsx_holds_the_same_numbers(capsys, tmp_path):
    from openpyxl import load_workbook

    code, out, err = run(capsys, VALUESTAR, "--exit", "19M", "--exit", "50M", "--exit", "100M", "--report", tmp_path)
    code, csv_out, _ = run(capsys, VALUESTAR, "--exit", "19M", "--exit", "50M", "--exit", "100M", "--format", "csv")
    wb = load_workbook(tmp_path / "valuestar.xlsx")
    ws = wb["Payouts at exits"]
    data = list(ws.values)
    header, body = data[0], data[1:]
    rows = list(csv.DictReader(io.StringIO(csv_out)))
    assert len(body) == len(rows) == 9
    for xrow, crow in zip(body, rows):
        x = dict(zip(header, xrow))
        assert x["payout_exact"] == crow["payout_exact"] and x["holder"] == crow["holder"]
        assert F(str(x["payout"])) == F(crow["payout"])
    assert [r[0] for r in wb["Findings"].values][0] == "severity"
    assert len(list(wb["Payouts at breakpoints"].values)) == 1 + 4 * 3


def test_fresh_clone_runs_the_readme_command(tmp_path):
    """The README's first command in a copy of the repository with nothing beside it."""
    repo = tmp_path / "clone"
    shutil.copytree(ROOT / "charterverify", repo / "charterverify",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "charters", repo / "charters")
    assert not (tmp_path / "shared").exists()
    env = {"COLUMNS": "100", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(repo)}
    # the README's first command as written: --text-root ../shared names a directory that is not there
    p = subprocess.run([sys.executable, "-m", "charterverify", "charters/quintus.toml", "--text-root", "../shared"],
                       cwd=repo,
                       capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 1, p.stderr
    assert p.stderr == ""
    out = p.stdout
    assert out.startswith("FAIL Quintus Corporation (quintus): 1 error, ")
    assert "002_5aeb33a19f16eb7e.txt" in out and "--text PATH" in out and "(text.missing;" in out
    assert "Who gets what at round exit values" in out and "Who converts when" in out


def test_text_only_terminal_output(capsys, monkeypatch):
    seeds = ROOT.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not beside the checkout")
    monkeypatch.setenv("COLUMNS", "100")
    code, out, _ = run(capsys, "--text-only", seeds / "000_bcff0a96b1b81ffe.txt")
    # Kinzan's text: "this subsection 2(c)" and "subsection 2(c)(iv)" point at a FOURTH.B.2(c) that
    # does not exist (errors); the verdict comes first, errors before warnings
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("FAIL 000_bcff0a96b1b81ffe: ") and "errors" in lines[0] and lines[0].endswith("exit 1")
    sev = [ln.split()[0] for ln in lines if ln.startswith(("error ", "warning ", "info "))]
    assert sev[0] == "error" and sev == sorted(sev, key={"error": 0, "warning": 1, "info": 2}.get)
    assert "FOURTH.B.2(a)(iii)" in out and "(text.dangling-reference;" in out
