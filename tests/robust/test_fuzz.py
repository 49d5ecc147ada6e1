"""The mutation fuzzer in CI: a few hundred broken inputs, bounded to about half a minute (issue 16).

Every case must end in exit 0 (a valid mutant) or exit 2 with a message of at most a few
lines naming a field, option or file; never a traceback, a hang, a changed input file,
output written by a refused command, or NaN/inf in the results of an accepted scenario.
``python benchmarks/fuzz.py --cases 3000`` runs thousands and prints the counts.
"""

from __future__ import annotations

import os

import pytest

from .mutators import FAMILIES, fuzz

#: Cases drawn in CI, and the time after which no new case starts.
CASES = int(os.environ.get("CEASEFIRE_FUZZ_CASES", "300"))
DEADLINE_S = float(os.environ.get("CEASEFIRE_FUZZ_SECONDS", "30"))


@pytest.mark.slow
def test_broken_inputs_get_exit_2_and_a_named_message(tmp_path):
    report = fuzz(CASES, seed=20261201, workdir=tmp_path, deadline_s=DEADLINE_S)
    # a quiet 2-core machine runs ~180 cases in the time; a busy one fewer, but every family at least once
    assert report.total >= min(CASES, len(FAMILIES)), f"only {report.total} cases ran in {report.seconds:.0f} s"
    assert {f for f, _ in report.counts} == set(FAMILIES)
    refused = sum(n for (_, o), n in report.counts.items() if o == "refused")
    assert refused > 0  # the mutants are broken (and the valid ones among them pass, or they would fail below)
    assert not report.failures, "\n\n".join(f"[{f}] {o}: {d}" for f, o, d in report.failures[:10])
