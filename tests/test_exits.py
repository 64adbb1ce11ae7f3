"""The three paths to payouts at requested exit values give the same exact results.

`solver.exits.results_at` answers from the exact tables (few units), from an analysis's proved
pieces (many values of a large charter), or from z3 point queries; each is held here against the
z3 point solver (`PointSolver.solve`), which is itself held against the brute-force evaluator by
tests/test_differential.py. Values: the representative round exits, every breakpoint, a value
inside every piece and just beside each breakpoint.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from charterverify.cli import main
from charterverify.model import load_model
from charterverify.report.payouts import representative_exits
from charterverify.solver import PointSolver
from charterverify.solver.breakpoints import analyze
from charterverify.solver.exits import PIECES_FROM, results_at

ROOT = Path(__file__).resolve().parent.parent

SEEDS = ["kinzan", "valuestar", "netgear", "juniper", "quintus"]


def _values(model, analysis) -> list[Fraction]:
    vals = set(representative_exits(model))
    for b in analysis.breakpoints:
        vals |= {b.x, b.x - Fraction(1, 7), b.x + Fraction(1, 7)}
    for p in analysis.segments:
        vals.add(p.lo + 1 if p.hi is None else (p.lo + p.hi) / 2)
    return sorted(v for v in vals if v >= 0)


@pytest.mark.parametrize("name", SEEDS)
def test_tables_and_pieces_equal_point_queries(name):
    model = load_model(ROOT / "charters" / f"{name}.toml")
    an = analyze(model)
    values = _values(model, an)
    ps = PointSolver(model)
    expected = [ps.solve(v) for v in values]

    from_tables, how = results_at(model, values)
    assert how == "tables"
    assert from_tables == expected

    an.tables = None  # read the proved pieces instead of the tables
    from_pieces, how = results_at(model, values, analysis=an)
    assert how == "pieces"
    assert from_pieces == expected


def test_routing_above_the_table_limit(monkeypatch):
    """Above the tables' unit limit, many values are answered by one analysis and a few by z3
    point queries; both equal the point solver. (The limit is lowered to route Juniper, whose
    analysis is fast, the way a 13-unit charter is routed; benchmarks/ times the real case.)"""
    from charterverify.solver import exits

    monkeypatch.setattr(exits, "MAX_TABLE_UNITS", 0)
    model = load_model(ROOT / "charters" / "juniper.toml")
    values = _values(model, analyze(model))[:PIECES_FROM + 2]
    ps = PointSolver(model)
    expected = [ps.solve(v) for v in values]
    many, how = results_at(model, values)
    assert how in ("tables", "pieces") and many == expected  # the analysis keeps its own tables
    few, how = results_at(model, values[:2])
    assert how == "z3" and few == expected[:2]


def test_cli_exit_json_says_which_path(capsys):
    # Kinzan at $100M: one deciding unit per series, so the exact tables answer.
    code = main([str(ROOT / "charters" / "kinzan.toml"), "--exit", "100000000", "--format", "json"])
    d = json.loads(capsys.readouterr().out)
    assert code == 0
    assert d["method"] == "tables"
    assert d["exits"][0]["exit_value"] == "100000000"
