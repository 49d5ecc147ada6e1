"""Hindcast fit in one run: the uncalibrated (prior predictive) and calibrated (posterior predictive)
coverage of the pre-period observations, per series, for one or more hindcast scenarios.

Usage (from the repository root)::

    .venv/bin/python benchmarks/hindcast.py scenarios/ukraine-2022-02.yaml --population 400 --generations 6 \\
        --params russia.front.advance_share_per_day_max,... --seed 1 --out out/hindcast

Both ensembles are scored on the same observations with the same Gaussian observation error
(``calibrate.prior_predictive`` and the calibration's posterior predictive); these numbers are
in-sample for the calibrated ensemble (it was fitted to them). The calibrated scenario,
calibration.nc and the diagnostic PNGs are written to ``--out``; a JSON summary beside them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ceasefire.calibrate import band_coverage, calibrate, prior_predictive, read_observed_paths  # noqa: E402
from ceasefire.scenario import load_scenario  # noqa: E402


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario")
    ap.add_argument("--observed", default="data/ukraine_preperiod/hindcast_observed.csv")
    ap.add_argument("--as-of", default="2022-11-11")
    ap.add_argument("--params", default=None)
    ap.add_argument("--population", type=int, default=400)
    ap.add_argument("--generations", type=int, default=6)
    ap.add_argument("--method", default="auto")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--prior-draws", type=int, default=1000)
    ap.add_argument("--out", default="out/hindcast")
    a = ap.parse_args(argv)
    sc = load_scenario(a.scenario)
    obs = read_observed_paths(a.observed, sc.start_date, a.as_of, sides=sc.side_names)
    t0 = time.perf_counter()
    before = band_coverage(prior_predictive(sc, obs, draws=a.prior_draws, seed=a.seed), obs)
    names = [p for p in a.params.split(",") if p.strip()] if a.params else None
    cal = calibrate(sc, obs, names, population=a.population, generations=a.generations, seed=a.seed, method=a.method,
                    log=print)
    after = cal.coverage_by_series()
    paths = cal.write(a.out)
    summary = {"scenario": a.scenario, "observed": a.observed, "as_of": a.as_of, "seed": a.seed,
               "population": a.population, "generations_run": len(cal.smc.generations), "method": cal.settings["method"],
               "simulations": cal.smc.simulations, "seconds": round(time.perf_counter() - t0, 1),
               "epsilon": [round(g.epsilon, 3) for g in cal.smc.generations], "stop_reason": cal.smc.stop_reason,
               "uncalibrated_prior_predictive": before, "calibrated_posterior_predictive_in_sample": after,
               "posterior": cal.summary()}
    Path(a.out, "hindcast_summary.json").write_text(json.dumps(summary, indent=1, default=float))
    print(f"{'series':45s} {'n':>3s}  {'uncalibrated 50%/90%':>22s}  {'calibrated (in-sample) 50%/90%':>32s}  median miss before/after")
    for b, c in zip(before, after):
        print(f"{b['observable'] + ' (' + b['side'] + ')':45s} {b['n']:3d}  {b['in_50']:10.0%} / {b['in_90']:4.0%}      "
              f"{c['in_50']:18.0%} / {c['in_90']:4.0%}      {b['median_miss']:.4g} / {c['median_miss']:.4g}")
    for r in cal.summary():
        print(f"  {r['parameter']:55s} prior [{r['prior_low']:.4g}, {r['prior_high']:.4g}]  posterior mean {r['posterior_mean']:.4g} "
              f"[{r['posterior_low']:.4g}, {r['posterior_high']:.4g}]  narrowing {r['narrowing']:.2f}")
    print(f"epsilon {summary['epsilon']}; {cal.smc.simulations} runs; {summary['seconds']} s; wrote {', '.join(map(str, paths[:2]))}")


if __name__ == "__main__":
    main()
