"""Shared test helpers: paths to the repository, its scenarios and ../shared."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# One compiled kernel for scenarios of every shape (engine/kernel.py, GENERIC_ENV): the suite runs
# scenarios with 2 and 3 sides and 0-2 supporters, each a ~30 s compilation when specialised.
# tests/engine/test_kernel.py checks the specialised kernel against the generic one bit for bit.
os.environ.setdefault("CEASEFIRE_KERNEL", "generic")

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = REPO / "scenarios"
KHERSON = SCENARIOS / "kherson-2022-11.yaml"
SHARED = (REPO / ".." / "shared").resolve()


@pytest.fixture(scope="session")
def kherson():
    from ceasefire.scenario import load_scenario

    return load_scenario(KHERSON)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.exists():
        pytest.skip(f"../shared is not beside the repository ({SHARED}); the shared data tests need it")
    return SHARED
