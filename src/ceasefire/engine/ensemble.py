"""Run a scenario's ensemble under one policy, in chunks, reporting progress through an optional callback."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Callable

import numpy as np

from ..errors import InputError
from ..scenario import Policy, Scenario
from .results import Results, build_results
from .simulate import SNAPSHOT_VARS, Buffers, record_days, run_chunk

DEFAULT_CHUNK_RUNS = 5000
#: Chunks per worker thread (load balancing) and the smallest chunk worth its set-up.
CHUNKS_PER_THREAD = 4
MIN_CHUNK_RUNS = 128


def simulate(
    scenario: Scenario,
    policy: Policy | None = None,
    runs: int = 1000,
    seed: int = 0,
    record_every_days: int = 7,
    run_offset: int = 0,
    unit_samples: np.ndarray | None = None,
    snapshot_days: list[int] | np.ndarray | None = None,
    snapshot_vars: list[str] | tuple[str, ...] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    chunk_runs: int = DEFAULT_CHUNK_RUNS,
    dtype=np.float32,
    backend: str = "numba",
    workers: int | None = None,
) -> Results:
    """Simulate runs ``run_offset .. run_offset + runs - 1`` of a scenario under a policy.

    The result of each run depends only on (scenario, policy, seed, run index) or
    on its row of ``unit_samples``, never on ``chunk_runs``. ``backend`` is
    ``"numba"`` (compiled kernel, default) or ``"numpy"`` (the reference path).
    ``workers`` threads run chunks of the numba backend at once (default: all cores). ``snapshot_days`` keeps
    the full-precision state on chosen days (e.g. the day a truce ends) in
    ``outcomes[..._at]``: every variable of :data:`SNAPSHOT_VARS`, or only those named
    in ``snapshot_vars`` (keeping one variable on every day costs a fifth of the
    memory). ``progress``, when given, is called as ``progress(policy name, runs
    finished, runs)`` after each chunk (the CLI draws a bar with it: ``ceasefire.progress``).
    """
    if policy is None:
        policy = Policy(name="fight_on", kind="fight_on")
    if policy.dynamic and backend == "numba":  # breakdown, resume rules, conditions, settlements: NumPy path only
        backend = "numpy"
    if runs < 1:
        raise InputError(f"runs must be at least 1, got {runs}.")
    try:
        policy.aid_levels(scenario.supporter_names)
    except ValueError as err:
        raise InputError(str(err)) from None
    if chunk_runs < 1:
        raise InputError(f"chunk_runs must be at least 1, got {chunk_runs}.")
    if record_every_days < 1:
        raise InputError(f"record_every_days must be at least 1, got {record_every_days}.")
    horizon = scenario.horizon_days
    snaps = sorted({min(int(d), horizon) for d in (snapshot_days or [])} | {0, horizon})
    snaps = np.asarray(snaps, dtype=int)
    if np.any(snaps < 0):
        raise InputError("snapshot days must not be negative.")
    snap_vars = SNAPSHOT_VARS if snapshot_vars is None else tuple(snapshot_vars)
    unknown = [v for v in snap_vars if v not in SNAPSHOT_VARS]
    if unknown or len(set(snap_vars)) != len(snap_vars):
        raise InputError(f"snapshot_vars must name distinct variables of {', '.join(SNAPSHOT_VARS)}; "
                         f"got {', '.join(snap_vars)}.")
    days_kept = record_days(horizon, record_every_days)
    run_index = np.arange(run_offset, run_offset + runs, dtype=np.int64)
    if unit_samples is not None and len(unit_samples) != runs:
        raise InputError(f"unit_samples has {len(unit_samples)} rows for {runs} runs.")

    buffers = Buffers.allocate(runs, len(days_kept), len(snaps), len(scenario.sides), len(scenario.supporters), dtype,
                               len(snap_vars))
    threads = max(1, min(workers or os.cpu_count() or 1, 64)) if backend == "numba" else 1
    if threads > 1:  # chunking never changes results, so split the work over the cores
        # a few chunks per thread, so a core that is busy with something else (a web server,
        # a browser) hands its share to the others instead of holding up the whole ensemble
        per_chunk = max(MIN_CHUNK_RUNS, -(-runs // (threads * CHUNKS_PER_THREAD)))
        chunk_runs = max(1, min(chunk_runs, per_chunk, -(-runs // threads)))
    bounds = list(range(0, runs, chunk_runs)) + [runs]
    def one(lo: int, hi: int):
        us = None if unit_samples is None else np.asarray(unit_samples)[lo:hi]
        return lo, hi, run_chunk(scenario, policy, run_index[lo:hi], seed, days_kept, snaps, us, dtype, backend,
                                 out=buffers.chunk(lo, hi), snapshot_vars=snap_vars)

    done = 0

    def finished(lo: int, hi: int, part) -> None:
        nonlocal done
        buffers.store_sampled(lo, hi, runs, part.sampled)
        done += hi - lo
        if progress is not None:
            progress(policy.name, done, runs)

    pairs = list(zip(bounds[:-1], bounds[1:]))
    if threads > 1 and len(pairs) > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            for fut in as_completed([pool.submit(one, lo, hi) for lo, hi in pairs]):
                finished(*fut.result())
    else:
        for lo, hi in pairs:
            finished(*one(lo, hi))
    return build_results(scenario, policy, seed, run_index, days_kept, snaps, buffers, snap_vars)
