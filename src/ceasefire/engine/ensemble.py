"""Run a scenario's ensemble under one policy, in chunks, reporting progress through an optional callback."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Callable

import numpy as np

from ..errors import InputError
from ..scenario import Policy, Scenario
from .results import Results, build_results
from .parameters import sample
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
    return simulate_policies(scenario, [policy], runs, seed, record_every_days=record_every_days,
                             run_offset=run_offset, unit_samples=unit_samples, snapshot_days=snapshot_days,
                             snapshot_vars=snapshot_vars, progress=progress, chunk_runs=chunk_runs, dtype=dtype,
                             backend=backend, workers=workers)[policy.name]


def prefix_day(policy: Policy, horizon: int) -> int:
    """The last day before which ``policy`` runs exactly as fight-on at the same aid (0: none shared).

    A truce that starts on day ``T`` changes nothing before ``T``, so its runs can start from the state
    fight-on reached on day ``T`` instead of from day 0."""
    if policy.kind == "truce" and not policy.dynamic and 0 < policy.start_day < horizon:
        return int(policy.start_day)
    return 0


def share_plan(policies: list[Policy], supporters: list[str], horizon: int) -> dict[str, tuple[str, int]]:
    """Which policies resume from which fight-on run: ``{truce name: (fight-on name, day)}``.

    A truce shares its first days with the fight-on policy given the same aid to every supporter (the
    compared ensemble's baseline rule, :mod:`ceasefire.compare.baseline`), when that policy is simulated too."""
    fight = {tuple(p.aid_levels(supporters)): p.name for p in policies if p.kind == "fight_on"}
    plan = {}
    for p in policies:
        day = prefix_day(p, horizon)
        base = fight.get(tuple(p.aid_levels(supporters)))
        if day > 0 and base is not None:
            plan[p.name] = (base, day)
    return plan


def simulate_policies(
    scenario: Scenario,
    policies: list[Policy],
    runs: int = 1000,
    seed: int = 0,
    *,
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
    share_prefix: bool = True,
) -> dict[str, Results]:
    """Simulate the same runs under several policies (common random numbers): ``{policy name: Results}``.

    Each chunk of runs draws its parameters once for all policies. With ``share_prefix`` (numba backend),
    a truce starting on day ``T`` resumes from the state the fight-on run at the same aid saved on day
    ``T`` (:func:`share_plan`) instead of simulating days ``0 .. T-1`` again: the results are identical
    bit for bit (``tests/engine/test_resume.py``), only faster. Each policy's results are as
    :func:`simulate` gives them alone.
    """
    if not policies:
        raise InputError("no policies to simulate.")
    names = [p.name for p in policies]
    if len(set(names)) != len(names):
        raise InputError(f"policy names must be unique, got {', '.join(names)}.")
    if runs < 1:
        raise InputError(f"runs must be at least 1, got {runs}.")
    for policy in policies:
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

    shared = share_plan(policies, scenario.supporter_names, horizon) if share_prefix and backend == "numba" else {}
    save_days = {name: tuple(sorted({d for b, d in shared.values() if b == name})) for name in names}
    order = sorted(policies, key=lambda p: p.name in shared)  # the runs that save a state come first
    buffers = {p.name: Buffers.allocate(runs, len(days_kept), len(snaps), len(scenario.sides),
                                        len(scenario.supporters), dtype, len(snap_vars)) for p in policies}
    threads = max(1, min(workers or os.cpu_count() or 1, 64)) if backend == "numba" else 1
    if threads > 1:  # chunking never changes results, so split the work over the cores
        # a few chunks per thread, so a core that is busy with something else (a web server,
        # a browser) hands its share to the others instead of holding up the whole ensemble
        per_chunk = max(MIN_CHUNK_RUNS, -(-runs // (threads * CHUNKS_PER_THREAD)))
        chunk_runs = max(1, min(chunk_runs, per_chunk, -(-runs // threads)))
    bounds = list(range(0, runs, chunk_runs)) + [runs]

    def one(lo: int, hi: int):
        us = None if unit_samples is None else np.asarray(unit_samples)[lo:hi]
        P = sample(scenario, run_index[lo:hi], seed, us)  # once for every policy: it does not depend on them
        parts = {}
        for p in order:
            out = buffers[p.name].chunk(lo, hi)
            resume = None
            if p.name in shared:
                base, day = shared[p.name]
                resume = parts[base].saved[day]
                out.copy_prefix(parts[base], day, days_kept, snaps)
            # breakdown, resume rules, conditions and settlements run on the NumPy path only (so far)
            path = "numpy" if p.dynamic else backend
            parts[p.name] = run_chunk(scenario, p, run_index[lo:hi], seed, days_kept, snaps, us, dtype, path,
                                      out=out, snapshot_vars=snap_vars, params=P, resume=resume,
                                      save_days=save_days[p.name])
        return lo, hi, parts

    done = {name: 0 for name in names}

    def finished(lo: int, hi: int, parts) -> None:
        for p in policies:
            buffers[p.name].store_sampled(lo, hi, runs, parts[p.name].sampled)
            done[p.name] += hi - lo
            if progress is not None:
                progress(p.name, done[p.name], runs)

    pairs = list(zip(bounds[:-1], bounds[1:]))
    if threads > 1 and len(pairs) > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            for fut in as_completed([pool.submit(one, lo, hi) for lo, hi in pairs]):
                finished(*fut.result())
    else:
        for lo, hi in pairs:
            finished(*one(lo, hi))
    return {p.name: build_results(scenario, p, seed, run_index, days_kept, snaps, buffers[p.name], snap_vars)
            for p in policies}
