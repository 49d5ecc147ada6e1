"""Paths for the evidence tests."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
GOLD = HERE / "gold"
#: gold lists for fixtures in this repository: the synthetic set and the held-out rounds
GOLD_SETS = sorted(p for p in HERE.glob("gold_*") if p.is_dir())
REPO = HERE.parents[1]
SEEDS = (REPO / ".." / "shared" / "seeds").resolve()


def seeds_dir() -> Path:
    if not SEEDS.exists():
        pytest.skip(f"the seed articles are not at {SEEDS} (../shared/seeds beside the repository)")
    return SEEDS


def said(paragraphs: list[str]) -> list[tuple[str, str]]:
    """(speaker name, attributed words) of every statement the extractor finds in ``paragraphs``."""
    from ceasefire.evidence.statements import extract_statements

    return [(s.speaker.name, s.text) for s in extract_statements(paragraphs)]
