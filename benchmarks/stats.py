"""The fan charts' quantile helper (`engine.stats.quantiles_over_runs`) against `np.quantile`, same data, same run.

    .venv/bin/python benchmarks/stats.py --runs 2000 --days 105 --sides 2
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from ceasefire.engine.stats import quantiles_over_runs

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def best_of(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=2000)
    ap.add_argument("--days", type=int, default=105)
    ap.add_argument("--sides", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    x = rng.lognormal(size=(args.runs, args.days, args.sides)).astype(np.float32)
    ours = quantiles_over_runs(x, QUANTILES)
    ref = np.quantile(x, QUANTILES, axis=0)
    err = float(np.max(np.abs(ours - ref) / np.maximum(np.abs(ref), 1e-30)))
    t_ours = best_of(lambda: quantiles_over_runs(x, QUANTILES), args.repeats)
    t_np = best_of(lambda: np.quantile(x, QUANTILES, axis=0), args.repeats)
    print(f"array (runs, days, sides) = {x.shape}, float32, {len(QUANTILES)} quantiles, best of {args.repeats}")
    print(f"quantiles_over_runs: {t_ours * 1e3:8.2f} ms")
    print(f"np.quantile:         {t_np * 1e3:8.2f} ms   ({t_np / t_ours:.1f}x the helper's time)")
    print(f"largest relative difference: {err:.2e}")


if __name__ == "__main__":
    main()
