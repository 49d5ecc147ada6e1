"""The engine as a batched ABC simulator: standard-normal parameters in, distances out.

A whole batch of candidate parameter vectors is ONE call of
``ceasefire.engine.simulate`` through its ``unit_samples`` argument (one row a run,
one column per uncertain parameter of the scenario, in the order of
``scenario.uncertain_parameters()``). Calibrated parameters take their column from
the candidates (``u = Phi(z)``); the other uncertain parameters are drawn afresh from
their prior for every run, so they are integrated over, not fixed. Every run has its
own run index, hence its own daily noise.

The simulated scenario stops at the last observed day (a copy with that horizon), and
the state is recorded on the greatest common divisor of the observed days, so every
observation falls on a recorded day.
"""

from __future__ import annotations

import math
from functools import reduce

import numpy as np
from scipy import special

from ceasefire.engine import simulate
from ceasefire.errors import InputError
from ceasefire.scenario import Policy, Scenario
from ceasefire.scenario.params import Param

from .observations import ObservedPaths

#: largest unit value passed to the engine (it needs u in [0, 1))
U_MAX = 1.0 - 1e-12


def resolve_parameters(scenario: Scenario, names: list[str] | None) -> list[str]:
    """Dotted paths of the parameters to calibrate: all uncertain ones, or those named.

    A name is a full path (``sides.russia.front.advance_share_per_day_max``) or a unique
    ending of one (``russia.front.advance_share_per_day_max``, ``combat.p``).
    """
    uncertain = [path for path, _ in scenario.uncertain_parameters()]
    if not uncertain:
        raise InputError(f"scenario {scenario.name} has no uncertain parameter (no value given as a distribution): "
                         "nothing to calibrate.")
    if not names:
        return uncertain
    out: list[str] = []
    for name in names:
        name = name.strip()
        hits = [p for p in uncertain if p == name or p.endswith("." + name)]
        if not hits:
            fixed = [p for p, _ in scenario.params() if p == name or p.endswith("." + name)]
            why = (f"{fixed[0]} is a fixed value, not a distribution; give it a prior (uniform, triangular, ...) first"
                   if fixed else "no uncertain parameter has that path")
            raise InputError(f"--params: {name!r}: {why}. Uncertain parameters: {', '.join(uncertain[:12])}"
                             + (", ..." if len(uncertain) > 12 else "") + ".")
        if len(hits) > 1:
            raise InputError(f"--params: {name!r} matches {', '.join(hits)}; write more of the path.")
        if hits[0] in out:
            raise InputError(f"--params: {hits[0]} is named twice.")
        out.append(hits[0])
    return out


class EngineModel:
    """Simulate candidate parameter vectors and score them against observed paths."""

    def __init__(self, scenario: Scenario, observed: ObservedPaths, params: list[str], seed: int = 0,
                 policy: Policy | None = None, noisy: bool = True):
        self.scenario = scenario
        self.observed = observed
        self.params = list(params)
        self.seed = int(seed)
        self.policy = policy or Policy(name="fight_on", kind="fight_on")
        self.noisy = noisy
        uncertain = [path for path, _ in scenario.uncertain_parameters()]
        self.n_uncertain = len(uncertain)
        self.columns = np.array([uncertain.index(p) for p in self.params], dtype=int)
        self.priors: list[Param] = [scenario.param(p) for p in self.params]
        last = int(observed.day.max())
        self.horizon = max(last, 1)
        if self.horizon > scenario.horizon_days:
            raise InputError(f"the last observation is on day {last}, after the scenario's horizon "
                             f"({scenario.horizon_days} days).")
        self.sim_scenario = scenario.model_copy(update={"horizon_days": self.horizon})
        positive = [int(d) for d in observed.day if d > 0]
        self.every = reduce(math.gcd, positive) if positive else self.horizon
        self.rng = np.random.default_rng([self.seed, 7])
        self.runs_done = 0
        self._side_index = {s: i for i, s in enumerate(scenario.side_names)}
        probe = simulate(self.sim_scenario, self.policy, runs=1, seed=self.seed, record_every_days=self.every).trajectories
        per_side = sorted(str(v) for v in probe.data_vars if probe[v].dims == ("run", "day", "side"))
        missing = sorted({str(o) for o in observed.observable if o not in per_side})
        if missing:
            raise InputError(f"observable(s) {', '.join(missing)} are not recorded per side by the engine; "
                             f"use one of {', '.join(per_side)}.")

    # -- parameter scales ------------------------------------------------------
    @property
    def dim(self) -> int:
        return len(self.params)

    @staticmethod
    def to_unit(z: np.ndarray) -> np.ndarray:
        """Prior quantiles ``u = Phi(z)``, kept inside [0, 1)."""
        return np.clip(special.ndtr(z), 0.0, U_MAX)

    def to_values(self, z: np.ndarray) -> np.ndarray:
        """Parameter values (n, d) in the parameters' own units."""
        u = self.to_unit(np.atleast_2d(z))
        return np.column_stack([p.ppf(u[:, j]) for j, p in enumerate(self.priors)])

    def unit_samples(self, z: np.ndarray) -> np.ndarray:
        """Rows for the engine: calibrated columns from ``z``, the others fresh from their prior."""
        z = np.atleast_2d(z)
        u = self.rng.uniform(0.0, U_MAX, size=(len(z), self.n_uncertain))
        u[:, self.columns] = self.to_unit(z)
        return u

    # -- simulation --------------------------------------------------------------
    def simulate_observables(self, z: np.ndarray, add_noise: bool | None = None) -> np.ndarray:
        """Each candidate's value of every observation (n, n_obs), one engine call."""
        z = np.atleast_2d(z)
        n = len(z)
        res = simulate(self.sim_scenario, self.policy, runs=n, seed=self.seed, record_every_days=self.every,
                       run_offset=self.runs_done, unit_samples=self.unit_samples(z))
        self.runs_done += n
        traj = res.trajectories
        days = traj["day"].values
        day_idx = np.searchsorted(days, self.observed.day)
        side_idx = np.array([self._side_index[s] for s in self.observed.side])
        out = np.empty((n, len(self.observed)))
        for name in np.unique(self.observed.observable):
            rows = np.flatnonzero(self.observed.observable == name)
            arr = traj[name].transpose("run", "day", "side").values
            out[:, rows] = arr[:, day_idx[rows], side_idx[rows]]
        if add_noise if add_noise is not None else self.noisy:
            out = out + self.rng.standard_normal(out.shape) * self.observed.sd
        return out

    def distance(self, z: np.ndarray) -> np.ndarray:
        """Root mean square of the standardised residuals ``(simulated + e - observed) / sd``."""
        x = self.simulate_observables(z)
        r = (x - self.observed.value) / self.observed.sd
        return np.sqrt(np.mean(r**2, axis=1))
