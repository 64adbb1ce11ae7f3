"""`--budget`: a deterministic budget (z3 work in total, pieces proved) gives a partial answer that says
exactly which exit ranges are proved and which are unknown, never silence.

The charter is the synthetic 16-series one (14 deciding units: the z3 sweep, not the exact tables).
Independent computation: the same sweep without a budget (every piece proved); each proved range of
the partial answer must carry the same equilibria and payouts as the full run there.
"""

from __future__ import annotations

import json

import pytest

from charterverify.cli import main
from charterverify.report.coverage import coverage_findings
from charterverify.solver.breakpoints import Sweep
from charterverify.solver.session import Budget

from sweep_support import N, agrees_with_full, check_cover, dump
from sweep_support import full_analysis, sweep_model, synthetic

RLIMIT = 100_000  # a tiny share of what the full analysis needs (about 0.5M z3 resource units)


@pytest.fixture(scope="module")
def model():
    return sweep_model()


@pytest.fixture(scope="module")
def full(model):
    an = full_analysis()
    assert an.complete and an.budget is None
    return an


def _partial(model, **kw):
    return Sweep(model, budget=Budget(**kw)).run()


@pytest.mark.parametrize("kw", [{"rlimit": RLIMIT}, {"pieces": 4}])
def test_a_tiny_budget_gives_a_partial_answer_that_agrees_with_the_full_run(model, full, kw):
    part = _partial(model, **kw)
    assert not part.complete
    assert part.budget["exhausted"].startswith("budget exhausted")
    if "rlimit" in kw:
        assert part.budget["rlimit_spent"] == RLIMIT  # the last query was cut at what was left
    else:
        assert part.budget["pieces_proved"] == 4
    runs = part.coverage()
    check_cover(runs)
    assert any(r["proved"] for r in runs) and any(not r["proved"] for r in runs)
    for r in runs:
        if not r["proved"]:
            assert any("budget exhausted" in why for why in r["reasons"])
    assert agrees_with_full(part, full) > 0
    # the unproved segments still carry an equilibrium's exact payouts (the direct waterfall's)
    for seg in part.segments:
        if not seg.proved:
            assert "budget exhausted" in seg.reason
    (f,) = coverage_findings(model, part)
    assert f.rule == "analysis.budget" and f.verdict.value == "unknown" and f.severity.label == "error"


def test_the_partial_answer_is_deterministic(model):
    assert dump(_partial(model, rlimit=RLIMIT)) == dump(_partial(model, rlimit=RLIMIT))


def test_a_budget_large_enough_changes_nothing(model, full):
    an = _partial(model, rlimit=10**9, pieces=10**6)
    assert an.complete and an.budget["exhausted"] is None and not an.unproved_points
    assert [r["proved"] for r in an.coverage()] == [True]
    assert dump(an).split('"points"')[1] == dump(full).split('"points"')[1]
    assert [(s.lo, s.hi, s.profiles, s.forms) for s in an.segments] == \
        [(s.lo, s.hi, s.profiles, s.forms) for s in full.segments]


def test_cli_budget_breakpoints_json_twice_identical_and_not_a_pass(tmp_path, capsys):
    path = tmp_path / "syn16.toml"
    path.write_text(synthetic.generate(N))
    outs = []
    for _ in range(2):
        code = main([str(path), "--breakpoints", "--no-properties", "--format", "json", "--budget", f"rlimit={RLIMIT}"])
        assert code == 1  # a partial answer is not a pass
        outs.append(capsys.readouterr().out)
    assert outs[0] == outs[1]
    cov = json.loads(outs[0])["coverage"]
    assert cov["budget"]["rlimit"] == RLIMIT
    statuses = [r["status"] for r in cov["ranges"]]
    assert "proved" in statuses and "unknown" in statuses
    assert cov["ranges"][0]["from"] == "0" and cov["ranges"][-1]["to"] is None


@pytest.mark.parametrize("bad", ["rlimit=", "pieces=0", "time=5", "rlimit=5,rlimit=6", "rlimit=1e9"])
def test_cli_bad_budget_is_a_usage_error(tmp_path, capsys, bad):
    path = tmp_path / "syn16.toml"
    path.write_text(synthetic.generate(N))
    assert main([str(path), "--budget", bad]) == 2
    err = capsys.readouterr().err
    assert err.startswith("verify: error: --budget") and err.count("\n") == 1
