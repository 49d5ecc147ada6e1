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
from ceasefire.engine import simulate  # noqa: E402
from ceasefire.scenario import Policy, load_scenario  # noqa: E402

#: The prior quantile of each value that most favours a Russian advance (the structural check of
#: docs/validation.md, section 8): can the model produce the spring of 2022 at all?
RUSSIA_FAVOURED = {
    "sides.russia.front.advance_share_per_day_max": 0.98, "sides.russia.front.advance_threshold_ratio": 0.02,
    "sides.russia.defence.attack_threshold_ratio": 0.02, "sides.ukraine.defence.hasty_defence_ratio": 0.02,
    "sides.ukraine.defence.fortified_defence_ratio": 0.02, "sides.ukraine.defence.fortification_share": 0.02,
    "sides.russia.combat.casualties_inflicted_per_day": 0.98, "sides.ukraine.combat.casualties_inflicted_per_day": 0.02,
    "sides.russia.manpower.deployed_personnel": 0.98, "sides.ukraine.manpower.deployed_personnel": 0.02,
    "sides.russia.manpower.quality": 0.98, "sides.ukraine.manpower.quality": 0.02,
    "mechanisms.seasons.2.advance_ratio": 0.98, "combat.front_length_km": 0.98,
}


def favoured_corner(sc, runs: int = 400, seed: int = 5, days=(0, 7, 28, 56, 119, 259)) -> list[dict]:
    """Russia's territory share (5th, 50th, 95th percentile) and combat-power share on ``days`` when every value
    of :data:`RUSSIA_FAVOURED` sits at its Russia-favouring prior quantile and the others are drawn from their
    priors: the best case the scenario's priors allow for the opening advance."""
    unc = [p for p, _ in sc.uncertain_parameters()]
    u = np.random.default_rng(seed).uniform(0.0, 1.0 - 1e-12, size=(runs, len(unc)))
    for path, q in RUSSIA_FAVOURED.items():
        if path in unc:
            u[:, unc.index(path)] = q
    tr = simulate(sc, Policy(name="fight_on", kind="fight_on"), runs=runs, seed=seed, record_every_days=1,
                  unit_samples=u).trajectories
    out = []
    for d in days:
        t = tr["territory_share"].sel(side="russia", day=d).values
        ps = tr["power_share"].sel(side="russia", day=d).values
        out.append({"day": d, "territory_q05_q50_q95": np.quantile(t, [0.05, 0.5, 0.95]).round(3).tolist(),
                    "power_share_median": round(float(np.median(ps)), 3)})
    return out


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
    ap.add_argument("--corner", action="store_true", help="also run the Russia-favoured corner of the priors")
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
               "posterior": cal.summary(),
               "russia_favoured_corner": favoured_corner(sc) if a.corner else None}
    Path(a.out, "hindcast_summary.json").write_text(json.dumps(summary, indent=1, default=float))
    print(f"{'series':45s} {'n':>3s}  {'uncalibrated 50%/90%':>22s}  {'calibrated (in-sample) 50%/90%':>32s}  median miss before/after")
    for b, c in zip(before, after):
        print(f"{b['observable'] + ' (' + b['side'] + ')':45s} {b['n']:3d}  {b['in_50']:10.0%} / {b['in_90']:4.0%}      "
              f"{c['in_50']:18.0%} / {c['in_90']:4.0%}      {b['median_miss']:.4g} / {c['median_miss']:.4g}")
    for r in cal.summary():
        print(f"  {r['parameter']:55s} prior [{r['prior_low']:.4g}, {r['prior_high']:.4g}]  posterior mean {r['posterior_mean']:.4g} "
              f"[{r['posterior_low']:.4g}, {r['posterior_high']:.4g}]  narrowing {r['narrowing']:.2f}")
    for r in summary["russia_favoured_corner"] or []:
        print(f"  Russia-favoured corner, day {r['day']:3d}: Russia's territory share 5/50/95% {r['territory_q05_q50_q95']}, "
              f"its combat-power share (median) {r['power_share_median']}")
    print(f"epsilon {summary['epsilon']}; {cal.smc.simulations} runs; {summary['seconds']} s; wrote {', '.join(map(str, paths[:2]))}")


if __name__ == "__main__":
    main()
