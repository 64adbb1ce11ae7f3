"""Never abandoned: when z3 gives up during the sweep (its per-query --rlimit, no --budget), the point
or range is answered by the exact local analysis and recorded unproved with z3's reason; the run
exits 1 with every finding plus one `analysis.unproved` finding naming the unknown ranges.

The charter is the synthetic 16-series one (14 deciding units: the z3 sweep, not the exact tables).
Independent computation: the same sweep with the default rlimit (every piece proved); each proved
range of the starved run must carry the same equilibria and payouts as the full run there.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from charterverify.report.coverage import coverage_findings
from charterverify.solver import breakpoints
from charterverify.solver.breakpoints import Sweep
from charterverify.solver.point import SolverError
from charterverify.solver.session import default_rlimit, set_default_rlimit

from sweep_support import N, agrees_with_full, check_cover
from sweep_support import full_analysis, sweep_model, synthetic

ROOT = Path(__file__).resolve().parent.parent
RLIMIT = 20_000  # per query: the dominance and piece proofs that fit are proved, the rest give up


@pytest.fixture(scope="module")
def model():
    return sweep_model()


@pytest.fixture(scope="module")
def full(model):
    an = full_analysis()
    assert an.complete
    return an


def _starved(model):
    saved = default_rlimit()
    set_default_rlimit(RLIMIT)
    try:
        return Sweep(model, rlimit=RLIMIT).run()
    finally:
        set_default_rlimit(saved)


def test_a_tiny_rlimit_gives_an_answer_with_unknown_ranges_that_agrees_with_the_full_run(model, full):
    an = _starved(model)
    assert an.budget is None and not an.complete
    runs = an.coverage()
    check_cover(runs)
    assert any(r["proved"] for r in runs) and any(not r["proved"] for r in runs)
    for r in runs:
        if not r["proved"]:
            assert r["reasons"] and all(("canceled" in w or "resource limit" in w) for w in r["reasons"]), r
    assert agrees_with_full(an, full) > 0
    # every unproved point still has an equilibrium's exact payouts, equal to the full run's there
    for x in an.unproved_points:
        assert "z3 gave up" in an.unproved_reasons[x]
        if x in full.points:
            assert an.points[x].payouts == full.points[x].payouts
    (f,) = coverage_findings(model, an)
    assert f.rule == "analysis.unproved" and f.verdict.value == "unknown" and f.severity.label == "error"
    assert "--rlimit" in f.message
    # (deterministic run to run: see the next test, which runs the CLI in fresh processes)


def _cli(*args):
    """`verify ARGS` in a fresh process: z3's answers under a tight resource limit depend on what the
    same process asked it before (its search order follows the context's history), so a repeated
    run is only the same run in a fresh process, which is how a CI gate runs it."""
    r = subprocess.run([sys.executable, "-m", "charterverify", *args], capture_output=True, text=True,
                       timeout=600, cwd=ROOT)
    return r.returncode, r.stdout


def test_cli_tiny_rlimit_answers_exit_1_twice_identical(tmp_path):
    path = tmp_path / "syn16.toml"
    path.write_text(synthetic.generate(N))
    runs = [_cli(str(path), "--format", "json", "--rlimit", str(RLIMIT)) for _ in range(2)]
    assert [code for code, _ in runs] == [1, 1]  # unknown is not a pass (docs/ci.md)
    assert runs[0][1] == runs[1][1]
    rules = [f["rule"] for f in json.loads(runs[0][1])["findings"]]
    assert rules.count("analysis.unproved") == 1
    code, out = _cli(str(path), "--breakpoints", "--no-properties", "--format", "json", "--rlimit", str(RLIMIT))
    assert code == 1
    cov = json.loads(out)["coverage"]
    assert cov["budget"] == {}
    assert {r["status"] for r in cov["ranges"]} == {"proved", "unknown"}


def test_an_inconsistency_is_still_an_error(model, monkeypatch):
    """z3 and the evaluator disagreeing is a plain SolverError: not covered, the run stops."""
    def boom(self, x):
        raise SolverError(f"the z3 encoding and the direct evaluator disagree at exit value {x}")

    monkeypatch.setattr(breakpoints.Sweep, "_solved_point", boom)
    with pytest.raises(SolverError, match="disagree"):
        Sweep(model).run()
