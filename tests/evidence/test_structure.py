"""Structure of the evidence package: no import cycles, no oversized functions in the
attribution code (issue 11), and the libraries that replaced hand-written readers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ceasefire.evidence.ingest import decode_bytes, read_document

PKG = Path(__file__).resolve().parents[2] / "src" / "ceasefire" / "evidence"


def _imports(path: Path) -> set[str]:
    """Sibling modules a module imports (``from .x import``, at any depth, lazy ones too)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            out.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ceasefire.evidence."):
            out.add(node.module.split(".")[2])
    return out


def test_no_import_cycle_among_evidence_modules():
    graph = {p.stem: _imports(p) & {q.stem for q in PKG.glob("*.py")} for p in PKG.glob("*.py")}
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node: str, path: list[str]) -> bool:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycle.extend(path[path.index(nxt):] + [node, nxt] if nxt in path else [node, nxt])
                return True
            if state.get(nxt) is None and visit(nxt, path + [node]):
                return True
        state[node] = 2
        return False

    for n in sorted(graph):
        if state.get(n) is None and visit(n, []):
            break
    assert not cycle, f"import cycle: {' -> '.join(cycle)}"
    # the readers take Article from its own module, not from ingest
    assert "ingest" not in graph["plain"] and "ingest" not in graph["html"]


def test_no_function_in_statements_over_80_lines():
    tree = ast.parse((PKG / "statements.py").read_text(encoding="utf-8"))
    long = {n.name: n.end_lineno - n.lineno + 1 for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef) and n.end_lineno - n.lineno + 1 > 80}
    assert not long, long


@pytest.mark.parametrize("text, enc", [
    ("Москва заявила, что войска отошли от Херсона в ноябре.", "cp1251"),
    ("Київ заявив, що ворог відступив від Херсона у листопаді.", "cp1251"),
    ("Prezydent powiedział, że światło wróci.", "cp1250"),
])
def test_legacy_non_western_encodings_are_guessed(text, enc):
    decoded, used, warnings = decode_bytes(text.encode(enc), "x.txt")
    assert decoded == text and used == enc
    assert "not valid UTF-8" in warnings[0]


def test_western_legacy_text_stays_windows_1252():
    text = "Café naïve résumé in Zürich, the mayor said \u2013 12\u00a0percent."
    decoded, used, _ = decode_bytes(text.encode("cp1252"), "x.txt")
    assert (decoded, used) == (text, "cp1252")


def test_markdown_lists_quotes_indented_and_html_blocks(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("---\ntitle: Front title\nauthor: A. Writer\n---\n\n## A subheading\n\n"
                 "    An indented paragraph, the mayor said.\n\n<div>Some <b>raw</b> HTML text.</div>\n\n"
                 "* first item\n* second item with [a link](http://x) ![pic](p.jpg)\n\n> a quoted line\n",
                 encoding="utf-8")
    d = read_document(p)
    assert d.title == "Front title" and d.byline == "A. Writer"
    assert d.paragraphs == ["A subheading", "An indented paragraph, the mayor said.", "Some raw HTML text.",
                            "first item", "second item with a link", "a quoted line"]
    assert ("pic", "photo caption (Markdown image)") in d.pre_dropped
