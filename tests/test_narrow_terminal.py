"""Every table the CLI prints is readable at 80 columns: no line longer, no two row labels alike."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import KHERSON, REPO, SHARED

BOX_ROW = "│"


def _cli(args, tmp_path) -> str:
    env = {**os.environ, "COLUMNS": "80", "LINES": "50", "TERM": "dumb"}
    proc = subprocess.run([sys.executable, "-m", "ceasefire.cli", *args], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def row_labels(text: str) -> list[list[str]]:
    """The first cell of every body row, table by table (continuation rows have an empty first cell)."""
    tables, current, in_body = [], [], False
    for line in text.splitlines():
        if line.startswith(("┡", "├")):
            in_body = True
        elif line.startswith("└"):
            tables.append(current)
            current, in_body = [], False
        elif in_body and line.startswith(BOX_ROW):
            first = line.split(BOX_ROW)[1].strip()
            if first:
                current.append(first)
    return tables


def check_80_columns(text: str) -> None:
    long = [line for line in text.splitlines() if len(line) > 80]
    assert not long, f"{len(long)} lines longer than 80 columns, e.g. {long[0]!r}"
    cropped = [line for line in text.splitlines() if line[:1] in "┏┃┡│└" and line.rstrip()[-1:] not in "┓┃┩│┘"]
    assert not cropped, f"a table wider than the terminal was cropped: {cropped[0]!r}"
    for labels in row_labels(text):
        dup = sorted({x for x in labels if labels.count(x) > 1})
        assert not dup, f"row labels repeated in a table: {dup}"


@pytest.mark.parametrize("args", [
    ["compare", str(KHERSON), "--runs", "40"],
    ["compare", str(KHERSON), "--runs", "40", "--only", "-p", "truce:0:90:0.5", "-p", "truce:0:90"],
    ["run", str(KHERSON), "--runs", "40", "-p", "truce_180d_from_day180"],
    ["validate", str(KHERSON)],
    ["bargain", "range", str(KHERSON), "--runs", "40"],
    ["bargain", "range", str(KHERSON), "--runs", "40", "--optimism", "ukraine=0.7"],
    ["bargain", "truce", str(KHERSON), "--runs", "40"],
    ["bargain", "settle", str(KHERSON.with_name("kherson-2022-11-actors.yaml")), "--actors"],
])
def test_tables_fit_80_columns(args, tmp_path):
    text = _cli(args, tmp_path)
    assert text.strip()
    check_80_columns(text)


@pytest.mark.parametrize("args", [
    ["fit", "battles", str(REPO / "data" / "cdb90")],
    ["fit", "advance", str(REPO / "data" / "cdb90")],
    ["fit", "series", str(REPO / "data" / "iwo_jima.csv"), "--law", "square", "--compare"],
])
def test_fit_tables_fit_80_columns(args, tmp_path):
    text = _cli(args, tmp_path)
    assert "┏" in text
    check_80_columns(text)


def test_evidence_tables_fit_80_columns(tmp_path):
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"{seeds} is missing")
    db = ["--db", str(tmp_path / "e.sqlite")]
    doc = sorted(seeds.glob("*.txt"))[0].stem
    for args in (["add", str(seeds)], ["list"], ["quotes"], ["figures"], ["show", doc, "--dropped"],
                 ["check", str(KHERSON), "--all"]):
        text = _cli(["evidence", *args, *db], tmp_path)
        assert "┏" in text or args[0] == "check", args  # check stacks its citations (paths are long)
        check_80_columns(text)


def test_bargain_range_cells_are_whole_at_80_columns(tmp_path):
    """No cell of the bargaining range is cut ("…") or squeezed out, with or without the sides' beliefs."""
    for extra in ([], ["--optimism", "ukraine=0.7"]):
        text = _cli(["bargain", "range", str(KHERSON), "--runs", "40", *extra], tmp_path)
        body = [line for line in text.splitlines() if line.startswith(BOX_ROW)]
        assert body and not [line for line in body if "…" in line]
        assert all("││" not in line for line in body)
        assert "own beliefs" in text if extra else "90% band" in text


def test_row_label_parser_sees_duplicates():
    text = "┏━┓\n┡━┩\n│ a │ 1 │\n│ a │ 2 │\n└─┘\n"
    assert row_labels(text) == [["a", "a"]]
    with pytest.raises(AssertionError):
        check_80_columns(text)
