"""The package's import graph, read statically (ast) from charterverify/**.py.

Every `import` and `from ... import` counts, also those inside functions (a lazy import is
still a dependency). Two things are asserted:

1. No modules import each other in a cycle (KNOWN_CYCLES, the allowed exceptions, is empty:
   the cycles the first version of this test found were cut; see docs/testing.md).
2. Dependencies point one way: model <- encodings <- solver <- properties <- report/cli, the
   direct evaluator (evaluate, tables, bounds) sits beside encodings and never imports the
   solver, and text <- draft (the text checks use the model and findings only).

Mutations that kill it (run): `from .solver import point` added to evaluate.py fails
test_layers; `from . import trace` added to text/outline.py fails test_no_import_cycles.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "charterverify"


def _modules() -> dict[str, Path]:
    mods = {}
    for p in sorted(PACKAGE.rglob("*.py")):
        parts = list(p.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = p
    return mods


MODULES = _modules()


def _targets(mod: str, path: Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        if node.level:
            pkg = mod if path.name == "__init__.py" else mod.rsplit(".", 1)[0]
            base = pkg.split(".")[: len(pkg.split(".")) - (node.level - 1)]
            stem = ".".join(base + ([node.module] if node.module else []))
        else:
            stem = node.module or ""
        # `from pkg import name`: a submodule when one is called so, else the package itself
        names = [f"{stem}.{a.name}" if f"{stem}.{a.name}" in MODULES else stem for a in node.names]
    out = []
    for name in names:
        if name.split(".")[0] != "charterverify":
            continue
        while name not in MODULES:  # `import charterverify.x.y` of a name inside a module
            name = name.rsplit(".", 1)[0]
        if name != mod:
            out.append(name)
    return out


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for mod, path in MODULES.items():
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                deps.update(_targets(mod, path, node))
        graph[mod] = deps
    return graph


GRAPH = _graph()


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(frozenset(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


# Cycles that exist today, each owned elsewhere; remove an entry when its owner cuts it.
KNOWN_CYCLES = {
}


def test_the_graph_is_read():
    # a check that the parser sees real edges (absolute, relative, lazy and `from . import x`)
    assert "charterverify.model" in GRAPH["charterverify.evaluate"]
    assert "charterverify.solver.breakpoints" in GRAPH["charterverify.properties.monotonicity"]
    assert "charterverify.properties.monotonicity" in GRAPH["charterverify.properties"]
    assert "charterverify.encodings.base" in GRAPH["charterverify.encodings.cash"]
    assert "charterverify.report.sarif" in GRAPH["charterverify.cli"]  # imported inside a function
    assert len(GRAPH) >= 60


def test_no_import_cycles():
    """No cycles except the known ones (a known cycle that grew also fails)."""
    known = set(KNOWN_CYCLES.values())
    unknown = [sorted(c) for c in _cycles(GRAPH) if c not in known]
    assert not unknown, f"modules importing each other in a cycle: {unknown}"


# The layers, lowest first; a module may import its own layer and the layers it lists.
LAYERS: dict[str, tuple[str, ...]] = {
    "model": (),                                    # model/, findings, exact numbers
    "direct": ("model",),                           # the direct evaluator and its tables
    "encodings": ("model",),                        # the z3 encodings
    "solver": ("model", "direct", "encodings"),
    "properties": ("model", "direct", "encodings", "solver"),
    "text": ("model",),                             # the text checks
    "draft": ("model", "text"),
    "report": ("model", "direct", "encodings", "solver", "properties", "text"),
    "cli": ("model", "direct", "encodings", "solver", "properties", "text", "draft", "report"),
}


def layer(mod: str) -> str:
    name = mod.removeprefix("charterverify").removeprefix(".")
    top = name.split(".")[0]
    if name in ("", "findings", "rational", "affine", "paths", "game") or top == "model":
        return "model"
    if top in ("evaluate", "tables", "bounds", "antidilution", "ipo", "votes", "terms", "options"):
        return "direct"
    if top == "readings":  # evaluates a model under another reading: an analysis, like a property
        return "properties"
    if top == "textdiff":  # renders the redline of two charter texts
        return "report"
    if top in ("encodings", "solver", "properties", "text", "draft", "report"):
        return top
    if top == "diff":  # the redline of two analysed charters, rendered: a report
        return "report"
    if top in ("cli", "__main__", "jobs"):  # jobs: `verify -j`, the charters' checks in processes
        return "cli"
    raise AssertionError(f"{mod}: no layer; add it to tests/test_architecture.py:layer")


def test_every_module_has_a_layer():
    assert {layer(m) for m in MODULES} <= set(LAYERS)


def test_layers():
    """Dependencies point one way: model <- encodings <- solver <- properties <- report/cli; text <- draft."""
    bad = sorted(f"{m} ({layer(m)}) imports {d} ({layer(d)})"
                 for m, deps in GRAPH.items() for d in deps
                 if layer(d) != layer(m) and layer(d) not in LAYERS[layer(m)])
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("mod", ["charterverify.evaluate", "charterverify.tables"])
def test_direct_evaluator_never_imports_the_solver(mod):
    def reach(m, seen):
        for d in GRAPH[m]:
            if d not in seen:
                seen.add(d)
                reach(d, seen)
        return seen

    assert not {d for d in reach(mod, set()) if layer(d) in ("solver", "encodings")}
