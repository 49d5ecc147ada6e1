"""The import graph of the ``ceasefire`` package has no cycles, and data flows one way.

The graph is read from the source with :mod:`ast` (no module is imported): every
``import`` and ``from ... import`` of a ``ceasefire`` module, at module level or
inside a function (a lazy import is still a dependency), with relative imports
resolved. ``from pkg import name`` depends on ``pkg``, or on ``pkg.name`` alone
when ``name`` is a submodule (Python imports a parent package before its
children anyway, so that is no dependency of its own). Imports under ``if TYPE_CHECKING:`` are for type
checkers only and never run, so they are not edges.
"""

from __future__ import annotations

import ast
import functools
import graphlib
from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "ceasefire"

#: (importing package, imported package): the engine is below every analysis, analyses are below the CLI.
ANALYSES = ("explore", "dashboard", "report", "bargain", "validate", "calibrate")
UPWARD = [("engine", a) for a in ANALYSES + ("compare",)] + \
    [("scenario", a) for a in ANALYSES + ("engine", "compare")] + \
    [("compare", a) for a in ANALYSES] + \
    [(a, c) for a in ANALYSES + ("engine", "scenario", "compare") for c in ("cli",)] + \
    [("variables", a) for a in ANALYSES + ("engine", "scenario", "compare", "cli")]


def module_name(path: Path) -> str:
    rel = path.relative_to(SRC).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST):
    """Import nodes of a module, skipping the bodies of ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


@functools.lru_cache(maxsize=1)
def import_graph() -> dict[str, set[str]]:
    """Module name -> the ``ceasefire`` modules it imports."""
    files = {module_name(p): p for p in (SRC / PACKAGE).rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in files}
    for mod, path in files.items():
        is_pkg = path.name == "__init__.py"
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                if node.level:
                    base = mod.split(".") if is_pkg else mod.split(".")[:-1]
                    base = base[:len(base) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                subs = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in files]
                # `from pkg import sub` needs only pkg.sub (a parent package is always imported first)
                targets = subs if len(subs) == len(node.names) else [target] + subs
            for t in targets:
                while t and t not in files and "." in t:  # `import ceasefire.x.y.z` of a name: its module
                    t = t.rsplit(".", 1)[0]
                if t in files and t != mod:
                    graph[mod].add(t)
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected group of modules (SciPy finds the groups,
    :mod:`graphlib` a cycle inside each), as ``[a, b, ..., a]``; empty when the graph is acyclic."""
    names = sorted(graph)
    index = {m: i for i, m in enumerate(names)}
    rows = [index[a] for a in names for _ in graph[a]]
    cols = [index[b] for a in names for b in sorted(graph[a])]
    adj = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(names), len(names)))
    _, group = connected_components(adj, directed=True, connection="strong")
    cycles = []
    for g in np.unique(group):
        members = {names[i] for i in np.flatnonzero(group == g)}
        if len(members) < 2:
            continue
        sub = {m: graph[m] & members for m in members}
        try:
            tuple(graphlib.TopologicalSorter(sub).static_order())
        except graphlib.CycleError as err:
            cycles.append(list(reversed(err.args[1])))  # graphlib lists a cycle against the edges
    return sorted(cycles)


def test_the_graph_is_read_correctly():
    g = import_graph()
    assert "ceasefire.engine" in g["ceasefire.compare.ensemble"]  # from ..engine import Results, simulate
    assert "ceasefire.compare.baseline" in g["ceasefire.compare.ensemble"]  # from .baseline import ...
    assert "ceasefire.scenario.schema" in g["ceasefire.scenario.policies"]  # from .schema import ...
    assert "ceasefire.scenario.policies" in g["ceasefire.dashboard.state"]  # from ..scenario import policies
    assert "ceasefire.dashboard.app" in g["ceasefire.dashboard.server"]  # lazy, inside serve()
    assert len(g) > 100


def test_the_cycle_finder_finds_cycles():
    g = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"f"}, "f": {"e"}}
    cycles = import_cycles(g)
    assert len(cycles) == 2 and all(c[0] == c[-1] for c in cycles)
    assert sorted(sorted(set(c)) for c in cycles) == [["a", "b", "c"], ["e", "f"]]
    for c in cycles:  # each step is an edge
        assert all(b in g[a] for a, b in zip(c, c[1:]))
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    cycles = import_cycles(import_graph())
    assert not cycles, "import cycles among ceasefire modules:\n" + "\n".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize("low, high", UPWARD)
def test_no_module_imports_upward_in_the_data_flow(low, high):
    g = import_graph()
    lo, hi = f"{PACKAGE}.{low}", f"{PACKAGE}.{high}"
    bad = sorted((a, b) for a in g for b in g[a]
                 if (a == lo or a.startswith(lo + ".")) and (b == hi or b.startswith(hi + ".")))
    assert not bad, f"{low} must not import {high}: " + "; ".join(f"{a} imports {b}" for a, b in bad)
