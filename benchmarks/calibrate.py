"""Calibration benchmark: recovery of known parameter values, particles per second, peak memory.

Usage (from the repository root)::

    .venv/bin/python benchmarks/calibrate.py                   # 20 repetitions, 500 particles, 6 generations
    .venv/bin/python benchmarks/calibrate.py --repetitions 5 --population 300

The synthetic scenario is the Kherson scenario with every uncertain value fixed at its
nominal value except three (Ukraine's and Russia's casualties inflicted per day at the
start and Ukraine's maximum advance rate), over 120 days. Each repetition draws true
values from the prior (quantiles uniform in [0.02, 0.98]), simulates one run at them
(its own daily noise), observes both sides' cumulative casualties (error sd 2,000
personnel) and Ukraine's territory share (sd 0.003) every 10 days, calibrates with
ABC-SMC and checks whether each true value lies inside its 90% posterior interval.

"Particles per second" counts every simulated candidate (accepted or not) over the
calibration's wall time, engine and ABC bookkeeping together; the kernel is compiled
once before timing. Peak memory is the process's peak resident set (``ru_maxrss``).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ceasefire.calibrate.synthetic import recovery, synthetic_scenario  # noqa: E402
from ceasefire.scenario import load_scenario  # noqa: E402

KEEP = ["sides.ukraine.combat.casualties_inflicted_per_day", "sides.russia.combat.casualties_inflicted_per_day",
        "sides.ukraine.front.advance_share_per_day_max"]
SERIES = [("casualties_cumulative_personnel", "russia", 2000.0), ("casualties_cumulative_personnel", "ukraine", 2000.0),
          ("territory_share", "ukraine", 0.003)]
DAYS = np.arange(10, 121, 10)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repetitions", type=int, default=20)
    ap.add_argument("--population", type=int, default=500)
    ap.add_argument("--generations", type=int, default=6)
    args = ap.parse_args(argv)
    sc = synthetic_scenario(load_scenario(ROOT / "scenarios" / "kherson-2022-11.yaml"), KEEP, 120)
    names = [p for p, _ in sc.uncertain_parameters()]
    recovery(sc, SERIES, DAYS[:2], seed=999, population=20, generations=1)  # compile the kernel
    print(f"python {platform.python_version()}, {os.cpu_count()} cores; scenario {sc.name}, {len(names)} calibrated "
          f"parameters, {len(DAYS) * len(SERIES)} observations; population {args.population}, "
          f"{args.generations} generations, {args.repetitions} repetitions")
    inside, sims, secs, narrowing = [], 0, 0.0, []
    for rep in range(args.repetitions):
        t0 = time.perf_counter()
        r = recovery(sc, SERIES, DAYS, seed=rep, population=args.population, generations=args.generations)
        dt = time.perf_counter() - t0
        inside.append(r.inside)
        sims += r.calibration.smc.simulations
        secs += dt
        narrowing.append([row["narrowing"] for row in r.calibration.summary()])
        print(f"  repetition {rep:2d}: inside {''.join('y' if x else 'n' for x in r.inside)}, "
              f"{r.calibration.smc.simulations} runs in {dt:.1f} s, final epsilon {r.calibration.smc.final.epsilon:.3f}")
    inside = np.array(inside)
    print("share of true values inside their 90% posterior interval:")
    for j, name in enumerate(names):
        print(f"  {name}: {inside[:, j].mean():.0%} ({inside[:, j].sum()} of {len(inside)}); "
              f"median posterior/prior interval width {np.median(np.array(narrowing)[:, j]):.2f}")
    print(f"  all intervals: {inside.mean():.1%} ({inside.sum()} of {inside.size}); "
          f"repetitions with every value inside: {inside.all(axis=1).mean():.0%}")
    print(f"speed: {sims / secs:,.0f} particles (simulated runs of {sc.horizon_days} days) per second; "
          f"{secs / len(inside):.1f} s per calibration")
    print(f"peak resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
