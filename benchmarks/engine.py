"""Engine benchmark: runs per second and peak memory of the full Kherson model.

Usage (from the repository root)::

    .venv/bin/python benchmarks/engine.py                 # 1,000 / 10,000 / 100,000 runs x 730 days
    .venv/bin/python benchmarks/engine.py --sizes 1000 10000 --loop-runs 20

Each ensemble size runs in a fresh subprocess so its peak resident memory
(``ru_maxrss``) is its own; compilation is excluded (the kernel is compiled once in
a warm-up call, and Numba's on-disk cache is used). Peers measured in the same
run, on the same model:

* ``numpy``: the vectorised NumPy reference path (all runs advanced together);
* ``python loop``: the same day step as the kernel, run as plain Python one run at
  a time (the kernel's own Python source with its compiled helpers replaced by their
  Python originals), timed on a few runs and reported per run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
import types
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "kherson-2022-11.yaml"
#: the v1 Kherson scenario as it stood before model v2 (frozen; tests/engine/test_v1_golden.py)
SCENARIO_V1 = ROOT / "tests" / "engine" / "data" / "kherson-2022-11-v1.yaml"


def _measure(backend: str, runs: int, record_every: int, scenario: Path = SCENARIO) -> dict:
    from ceasefire.engine import simulate
    from ceasefire.scenario import load_scenario

    from ceasefire.engine import kernel

    sc = load_scenario(scenario)
    simulate(sc, runs=16, seed=0, backend=backend, record_every_days=record_every)  # warm-up / compile
    in_kernel = []  # seconds inside each kernel call (threads overlap: summed, this is kernel CPU time)
    compiled = kernel.kernel_for

    def timed(sides, supporters):
        fn = compiled(sides, supporters)

        def call(*args):
            t = time.perf_counter()
            fn(*args)
            in_kernel.append(time.perf_counter() - t)
        return call

    kernel.kernel_for = timed
    t0 = time.perf_counter()
    res = simulate(sc, runs=runs, seed=1, backend=backend, record_every_days=record_every)
    wall = time.perf_counter() - t0
    kernel.kernel_for = compiled
    assert np.isfinite(res.outcomes["territory_share_final"].values).all()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"backend": backend, "runs": runs, "days": sc.horizon_days, "record_every_days": record_every,
            "seconds": wall, "runs_per_second": runs / wall, "peak_rss_mb": peak_mb, "scenario": scenario.name,
            "kernel_seconds": float(sum(in_kernel))}


def python_loop_kernel(sides: int, supporters: int):
    """The kernel's Python source, with every compiled helper replaced by its Python original."""
    from ceasefire.engine import kernel

    namespace = dict(vars(kernel))
    for name, value in list(namespace.items()):
        if hasattr(value, "py_func"):
            namespace[name] = value.py_func
    fake_numba = types.SimpleNamespace(prange=range)
    namespace["numba"] = fake_numba
    src = kernel._compile_kernel(sides, supporters).py_func  # not compiled: only its Python source is used
    return types.FunctionType(src.__code__, namespace, src.__name__, src.__defaults__, src.__closure__)


def _measure_loop(runs: int) -> dict:
    from ceasefire.engine import simulate as sim
    from ceasefire.engine.ensemble import simulate
    from ceasefire.scenario import load_scenario

    sc = load_scenario(SCENARIO)
    from ceasefire.engine import kernel

    original = kernel.kernel_for
    kernel.kernel_for = python_loop_kernel
    try:
        t0 = time.perf_counter()
        simulate(sc, runs=runs, seed=1, backend="numba", record_every_days=7)
        wall = time.perf_counter() - t0
    finally:
        kernel.kernel_for = original
    _ = sim
    return {"backend": "python loop", "runs": runs, "days": sc.horizon_days, "record_every_days": 7,
            "seconds": wall, "runs_per_second": runs / wall, "peak_rss_mb": None}


def _child(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def compare_v1_v2(runs: int, repeats: int = 3) -> None:
    """The kernel's cost per run-day, v2 over v1, each in a fresh process, alternated so that the load
    of a shared machine falls on both alike; the ratio of the medians is the figure."""
    rows = {"v1": [], "v2": []}
    kern = {"v1": [], "v2": []}
    for _ in range(repeats):
        for name, path in (("v1", SCENARIO_V1), ("v2", SCENARIO)):
            out = subprocess.run([sys.executable, __file__, "--child", "numba", str(runs), "7", "--scenario", str(path)],
                                 capture_output=True, text=True, check=True, cwd=ROOT)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            rows[name].append(r["seconds"] / (r["runs"] * r["days"]) * 1e9)
            kern[name].append(r["kernel_seconds"] / (r["runs"] * r["days"]) * 1e9)
    med = {k: float(np.median(v)) for k, v in rows.items()}
    kmed = {k: float(np.median(v)) for k, v in kern.items()}
    print(f"# v1 vs v2 Kherson, numba kernel, {runs} runs x 730 days, {os.cpu_count()} cores")
    for k, v in rows.items():
        print(f"{k}: ns per run-day (all threads) {', '.join(f'{x:.0f}' for x in v)}; median {med[k]:.0f}")
    for k, v in kern.items():
        print(f"{k}: kernel only, CPU ns per run-day (summed over threads) {', '.join(f'{x:.0f}' for x in v)}; "
              f"median {kmed[k]:.0f}")
    print(f"v2 / v1 cost per run-day: {med['v2'] / med['v1']:.2f}x (wall, sampling included); "
          f"kernel only: {kmed['v2'] / kmed['v1']:.2f}x")


def compare_truces(runs: int, repeats: int = 3) -> None:
    """``compare`` of fight-on plus four truces starting on day 180, against one policy, in one process:
    with the shared first 180 days computed once (the default) and with every policy run from day 0."""
    from ceasefire.engine import simulate_policies
    from ceasefire.scenario import load_scenario
    from ceasefire.scenario.policies import make_policy

    sc = load_scenario(SCENARIO)
    fight = make_policy("fight_on")
    truces = [make_policy("truce", 180, d) for d in (90, 180, 365, 545)]
    simulate_policies(sc, [fight, *truces], runs=16, seed=0)  # compile
    cases = {"one policy (fight on)": ([fight], True), "fight on + 4 truces from day 180, shared prefix": (
        [fight, *truces], True), "fight on + 4 truces from day 180, each from day 0": ([fight, *truces], False)}
    times = {k: [] for k in cases}
    for _ in range(repeats):  # alternate, so a shared machine's load falls on every case alike
        for name, (pols, share) in cases.items():
            t0 = time.perf_counter()
            simulate_policies(sc, pols, runs=runs, seed=1, record_every_days=7, share_prefix=share)
            times[name].append(time.perf_counter() - t0)
    one = float(np.median(times["one policy (fight on)"]))
    print(f"# compare of truces from day 180, Kherson v2, {runs} runs x {sc.horizon_days} days, "
          f"{os.cpu_count()} cores, median of {repeats}")
    for name, ts in times.items():
        med = float(np.median(ts))
        print(f"{name}: {med:.2f} s ({med / one:.2f}x one policy)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--numpy-sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--loop-runs", type=int, default=10)
    ap.add_argument("--child", nargs=3, metavar=("BACKEND", "RUNS", "RECORD_EVERY"))
    ap.add_argument("--scenario", default=str(SCENARIO), help=argparse.SUPPRESS)
    ap.add_argument("--v1-v2", type=int, nargs="?", const=10000, metavar="RUNS",
                    help="only compare the kernel's cost per run-day on the v1 and v2 Kherson scenarios, "
                         "alternating v1, v2, v1, v2, v1, v2 (default 10,000 runs x 730 days); prints the ratio")
    ap.add_argument("--compare-truces", type=int, nargs="?", const=4000, metavar="RUNS",
                    help="only time fight-on plus four truces from day 180 against one policy, with and without "
                         "the shared first days (default 4,000 runs)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.child:
        backend, runs, every = args.child[0], int(args.child[1]), int(args.child[2])
        result = _measure_loop(runs) if backend == "loop" else _measure(backend, runs, every, Path(args.scenario))
        print(json.dumps(result))
        return
    if args.v1_v2:
        compare_v1_v2(args.v1_v2)
        return
    if args.compare_truces:
        compare_truces(args.compare_truces)
        return
    rows = []
    for n in args.sizes:
        rows.append(_child(["numba", str(n), "7" if n <= 10000 else "30"]))
    for n in args.numpy_sizes:
        rows.append(_child(["numpy", str(n), "7"]))
    rows.append(_child(["loop", str(args.loop_runs), "7"]))
    loop_rate = rows[-1]["runs_per_second"]
    print(f"# ceasefire engine benchmark, {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    print(f"{'backend':<12} {'runs':>8} {'days':>5} {'keep':>5} {'seconds':>9} {'runs/s':>10} {'peak MB':>8} {'x loop':>8}")
    for r in rows:
        peak = f"{r['peak_rss_mb']:.0f}" if r["peak_rss_mb"] else "-"
        print(f"{r['backend']:<12} {r['runs']:>8} {r['days']:>5} {r['record_every_days']:>5} {r['seconds']:>9.3f} "
              f"{r['runs_per_second']:>10.0f} {peak:>8} {r['runs_per_second'] / loop_rate:>8.0f}")
    if args.json:
        print(json.dumps(rows))


if __name__ == "__main__":
    main()
