"""Recovery experiments: calibrate on paths simulated from known parameter values.

:func:`synthetic_scenario` fixes every uncertain value of a scenario at its nominal
value except the few to be calibrated, and shortens the horizon;
:func:`synthetic_observations` simulates one run at known ("true") values and observes
it with Gaussian noise of stated size; :func:`recovery` calibrates on that and says
whether each true value lies inside its posterior's central interval. This is the
check ``benchmarks/calibrate.py`` and ``tests/calibrate`` run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from ceasefire.engine import simulate
from ceasefire.scenario import Scenario
from ceasefire.scenario.load import scenario_from_dict
from ceasefire.scenario.sources import Source

from ..scenario.edit import set_path
from .core import Calibration, calibrate
from .observations import ObservedPaths


def synthetic_scenario(base: Scenario, keep: list[str], horizon_days: int) -> Scenario:
    """``base`` with every uncertain value fixed at its nominal value except the paths in ``keep``."""
    data = base.model_dump(mode="json", exclude_none=True)
    src = Source(assumption="synthetic recovery experiment: fixed at the base scenario's nominal value")
    for path, p in base.uncertain_parameters():
        if path not in keep:
            set_path(data, path, {"value": p.nominal, "unit": p.unit, "source": src.model_dump(exclude_none=True)}
                      if p.unit else {"value": p.nominal, "source": src.model_dump(exclude_none=True)})
    data["horizon_days"] = int(horizon_days)
    data["name"] = base.name + "-synthetic"
    data["policies"] = []
    return scenario_from_dict(data, "synthetic scenario")


def synthetic_observations(scenario: Scenario, truth_unit: np.ndarray, series: list[tuple[str, str, float]],
                           days: np.ndarray, seed: int, run_index: int = 10_000_000) -> ObservedPaths:
    """Observe one simulated run at the true prior quantiles ``truth_unit`` (one per uncertain parameter).

    ``series`` lists ``(observable, side, sd)``; each is observed on ``days`` with
    Gaussian error of that sd. The run has its own noise (``run_index``), distinct from
    every run the calibration simulates.
    """
    days = np.asarray(days, int)
    every = int(np.gcd.reduce(days[days > 0]))
    res = simulate(scenario, runs=1, seed=seed, record_every_days=every, run_offset=run_index,
                   unit_samples=np.asarray(truth_unit, float)[None, :])
    traj = res.trajectories
    rng = np.random.default_rng([seed, 3])
    obs, side, day, value, sd, unit = [], [], [], [], [], []
    for name, s, err in series:
        x = traj[name].sel(side=s, day=days).values[0]
        obs += [name] * len(days)
        side += [s] * len(days)
        day += list(days)
        value += list(x + err * rng.standard_normal(len(days)))
        sd += [err] * len(days)
        unit += [traj[name].attrs.get("units", "")] * len(days)
    start = np.datetime64(scenario.start_date, "D")
    date = start + np.asarray(day, "timedelta64[D]")
    return ObservedPaths(np.array(obs), np.array(side), np.array(day), date, np.array(value, float), np.array(sd, float),
                         np.array(unit), "synthetic observations", dt.date.fromisoformat(str(date.max())))


@dataclass
class Recovery:
    truth: np.ndarray  # (d,) true values
    low: np.ndarray  # (d,) posterior interval
    high: np.ndarray
    calibration: Calibration

    @property
    def inside(self) -> np.ndarray:
        return (self.low <= self.truth) & (self.truth <= self.high)


def recovery(scenario: Scenario, series, days, seed: int, population: int = 500, generations: int = 6,
             credibility: float = 0.9, truth_unit: np.ndarray | None = None) -> Recovery:
    """Draw true values from the prior (or take ``truth_unit``), observe, calibrate, compare."""
    rng = np.random.default_rng([seed, 101])
    params = [p for p, _ in scenario.uncertain_parameters()]
    u = rng.uniform(0.02, 0.98, len(params)) if truth_unit is None else np.asarray(truth_unit, float)
    obs = synthetic_observations(scenario, u, series, days, seed)
    cal = calibrate(scenario, obs, population=population, generations=generations, seed=seed)
    truth = np.array([p.ppf(np.array([u[j]]))[0] for j, (_, p) in enumerate(scenario.uncertain_parameters())])
    summ = cal.summary(credibility)
    return Recovery(truth, np.array([r["posterior_low"] for r in summ]), np.array([r["posterior_high"] for r in summ]), cal)
