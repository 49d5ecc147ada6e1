"""Calibrate a scenario's uncertain parameters on observed paths (ABC-SMC over the engine).

:func:`calibrate` runs :func:`.smc.abc_smc` with :class:`.model.EngineModel` and
returns a :class:`Calibration`: the posterior particles and weights, the generation
diagnostics, a posterior predictive check, and :meth:`Calibration.scenario`, the
scenario with each calibrated parameter's prior replaced by its fitted posterior
(:mod:`.posterior`) and a ``source`` that says what it was calibrated on, up to which
date, with which method and settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import xarray as xr

from ceasefire.scenario import Scenario
from ceasefire.scenario.load import dump_scenario, scenario_from_dict
from ceasefire.scenario.edit import set_path
from ceasefire.scenario.sources import Source

from .model import EngineModel, resolve_parameters
from .observations import ObservedPaths
from .posterior import calibrated_param, weighted_summary
from .smc import SMCResult, abc_smc, abc_smc_mcmc

METHODS = {
    "pmc": "ABC-SMC (ceasefire.calibrate: Beaumont et al. 2009 population Monte Carlo ABC, adaptive tolerance)",
    "mcmc": "ABC-SMC (ceasefire.calibrate: Drovandi and Pettitt 2011, MCMC moves, adaptive tolerance)",
}
METHOD = METHODS["pmc"]
#: with more calibrated parameters than this, method "auto" uses MCMC moves (importance weights degenerate)
AUTO_PMC_MAX_PARAMETERS = 10


@dataclass
class Calibration:
    scenario: Scenario  # the prior scenario
    observed: ObservedPaths
    params: list[str]
    smc: SMCResult
    values: np.ndarray  # (n, d) final particles in the parameters' units
    weights: np.ndarray  # (n,)
    prior_values: np.ndarray  # (m, d) draws from the prior, for comparison
    predictive: np.ndarray  # (draws, n_obs): posterior predictive of each observation, noise included
    settings: dict = field(default_factory=dict)

    # -- summaries -----------------------------------------------------------------
    def summary(self, credibility: float = 0.9) -> list[dict]:
        """Per parameter: prior, posterior mean/sd/median and central interval."""
        rows = []
        for j, path in enumerate(self.params):
            prior = self.scenario.param(path)
            post = weighted_summary(self.values[:, j], self.weights, credibility)
            pl, ph = np.quantile(self.prior_values[:, j], [0.5 - credibility / 2, 0.5 + credibility / 2])
            rows.append({"parameter": path, "prior": prior.describe(), "prior_low": float(pl), "prior_high": float(ph),
                         **{f"posterior_{k}": v for k, v in post.items()},
                         "narrowing": float((post["high"] - post["low"]) / (ph - pl)) if ph > pl else float("nan")})
        return rows

    def predictive_coverage(self) -> dict[str, float]:
        """Share of observations inside the central 50% and 90% posterior predictive bands."""
        q = np.quantile(self.predictive, [0.05, 0.25, 0.75, 0.95], axis=0)
        y = self.observed.value
        return {"50": float(np.mean((q[1] <= y) & (y <= q[2]))), "90": float(np.mean((q[0] <= y) & (y <= q[3])))}

    def coverage_by_series(self) -> list[dict]:
        """:func:`band_coverage` of the posterior predictive, per observed series (in-sample fit)."""
        return band_coverage(self.predictive, self.observed)

    def source_text(self) -> str:
        s = self.settings
        series = ", ".join(f"{o} ({side})" for o, side in self.observed.series)
        return (f"calibrated on {self.observed.source_file} ({series}; {len(self.observed)} observations) up to "
                f"{self.observed.last_date}, {METHODS[s['method']]}, {s['population']} particles, {len(self.smc.generations)} of "
                f"{s['generations']} generations, final tolerance {self.smc.final.epsilon:.3g} (RMS standardised "
                f"residual), noisy ABC with Gaussian observation error, seed {s['seed']}")

    def scenario_calibrated(self) -> Scenario:
        """The scenario with each calibrated parameter's posterior (fitted truncated normal)."""
        data = self.scenario.model_dump(mode="json", exclude_none=True)
        ref = self.source_text()
        for j, path in enumerate(self.params):
            prior = self.scenario.param(path)
            post = weighted_summary(self.values[:, j], self.weights)
            src = Source(ref=ref, derivation=(
                f"truncated normal fitted by weighted maximum likelihood to the ABC posterior (posterior mean "
                f"{post['mean']:.4g}, 90% interval {post['low']:.4g}-{post['high']:.4g}), truncated to the prior's "
                f"support; prior {prior.describe()}, whose source was: {prior.source.describe()}"))
            new = calibrated_param(prior, self.values[:, j], self.weights, src)
            set_path(data, path, new.model_dump(mode="json", exclude_none=True))
        data["description"] = (data.get("description", "") + f" Calibrated with ceasefire calibrate on "
                               f"{self.observed.source_file} up to {self.observed.last_date}.").strip()
        return scenario_from_dict(data, f"calibrated {self.scenario.name}")

    # -- files ---------------------------------------------------------------------
    def to_dataset(self) -> xr.Dataset:
        """Diagnostics: generations (epsilon, ESS, acceptance), posterior and prior draws, predictive check."""
        gens = self.smc.generations
        obs = self.observed
        q = np.quantile(self.predictive, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
        ds = xr.Dataset(
            {
                "epsilon": ("generation", [g.epsilon for g in gens], {"units": "RMS standardised residual",
                                                                        "long_name": "tolerance of the generation"}),
                "ess": ("generation", [g.ess for g in gens], {"units": "particles", "long_name": "Kish effective sample size"}),
                "acceptance": ("generation", [g.acceptance for g in gens], {"units": "share"}),
                "simulations": ("generation", [g.simulations for g in gens], {"units": "runs"}),
                "seconds": ("generation", [g.seconds for g in gens], {"units": "s"}),
                "posterior": (("particle", "parameter"), self.values, {"long_name": "final ABC population, parameters' own units"}),
                "weight": ("particle", self.weights, {"long_name": "normalised importance weight"}),
                "distance": ("particle", gens[-1].distances),
                "prior": (("prior_draw", "parameter"), self.prior_values),
                "observed": ("observation", obs.value),
                "observation_sd": ("observation", obs.sd),
                "predictive_quantile": (("quantile", "observation"), q,
                                        {"long_name": "posterior predictive of the observation, observation error included"}),
            },
            coords={
                "generation": np.arange(len(gens)), "parameter": self.params, "quantile": [0.05, 0.25, 0.5, 0.75, 0.95],
                "observable": ("observation", obs.observable.astype(str)), "side": ("observation", obs.side.astype(str)),
                "day": ("observation", obs.day), "date": ("observation", obs.date.astype("datetime64[ns]")),
            },
            attrs={"scenario": self.scenario.name, "method": METHODS[self.settings["method"]], "source": self.source_text(),
                   "stop_reason": self.smc.stop_reason, "observed_file": obs.source_file,
                   **{k: str(v) for k, v in self.settings.items()}},
        )
        return ds

    def write(self, out: str | Path) -> list[Path]:
        """Write ``<name>-calibrated.yaml``, ``calibration.nc`` and the diagnostic PNGs into ``out``."""
        from .plots import plot_all

        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        yaml_path = out / f"{self.scenario.name}-calibrated.yaml"
        header = (f"# {self.scenario.name}, calibrated by `ceasefire calibrate` on {self.observed.source_file} up to "
                  f"{self.observed.last_date}.\n# Calibrated parameters: {', '.join(self.params)}.\n"
                  "# Diagnostics: calibration.nc and the PNG files beside this file.\n")
        yaml_path.write_text(header + dump_scenario(self.scenario_calibrated()), encoding="utf-8")
        nc = out / "calibration.nc"
        enc = {v: {"zlib": True, "complevel": 4} for v in ("posterior", "prior", "weight", "distance")}
        self.to_dataset().to_netcdf(nc, engine="h5netcdf", encoding=enc)
        return [yaml_path, nc] + plot_all(self, out)


def band_coverage(draws: np.ndarray, observed: ObservedPaths) -> list[dict]:
    """Per observed series (observable, side), the share of observations inside the central 50% and 90%
    bands of predictive ``draws`` (shape ``(draws, n_obs)``, observation error included), and the median
    miss ``median(|median draw - observed|)``, in the series' own unit. The in-sample fit measure of a
    calibration (docs/validation.md, section 8)."""
    q = np.quantile(draws, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    y = observed.value
    rows = []
    for obs_name, side in observed.series:
        m = (observed.observable == obs_name) & (observed.side == side)
        rows.append({"observable": str(obs_name), "side": str(side), "n": int(m.sum()),
                     "in_50": float(np.mean((q[1, m] <= y[m]) & (y[m] <= q[3, m]))),
                     "in_90": float(np.mean((q[0, m] <= y[m]) & (y[m] <= q[4, m]))),
                     "median_miss": float(np.median(np.abs(q[2, m] - y[m])))})
    return rows


def prior_predictive(scenario: Scenario, observed: ObservedPaths, draws: int = 1000, seed: int = 0) -> np.ndarray:
    """Draws ``(draws, n_obs)`` of every observation from the uncalibrated scenario (all uncertain values from
    their priors), with the same Gaussian observation error as the calibration's posterior predictive, so
    the two can be compared in the same run."""
    paths = resolve_parameters(scenario, None)
    model = EngineModel(scenario, observed, paths, seed=seed)
    rng = np.random.default_rng([seed, 13])
    return model.simulate_observables(rng.standard_normal((draws, model.dim)), add_noise=True)


def calibrate(
    scenario: Scenario,
    observed: ObservedPaths,
    params: list[str] | None = None,
    population: int = 1000,
    generations: int = 8,
    seed: int = 0,
    alpha: float = 0.5,
    predictive_draws: int | None = None,
    max_batch: int = 8000,
    method: str = "auto",
    log=None,
) -> Calibration:
    """Calibrate ``params`` (default: every uncertain parameter) of ``scenario`` on ``observed``.

    ``method``: ``pmc`` (population Monte Carlo ABC, importance weights), ``mcmc`` (MCMC
    moves, equal weights; robust with many parameters) or ``auto`` (``pmc`` up to
    :data:`AUTO_PMC_MAX_PARAMETERS` parameters, ``mcmc`` beyond).
    """
    from ceasefire.errors import InputError

    paths = resolve_parameters(scenario, params)
    if method == "auto":
        method = "pmc" if len(paths) <= AUTO_PMC_MAX_PARAMETERS else "mcmc"
    if method not in METHODS:
        raise InputError(f"--method must be auto, pmc or mcmc, got {method!r}.")
    model = EngineModel(scenario, observed, paths, seed=seed)
    run = abc_smc if method == "pmc" else abc_smc_mcmc
    smc = run(model.distance, model.dim, n_particles=population, generations=generations, alpha=alpha,
              max_batch=max_batch, seed=seed, log=log)
    final = smc.final
    rng = np.random.default_rng([seed, 11])
    n_pred = predictive_draws or population
    pick = rng.choice(len(final.weights), size=n_pred, p=final.weights)
    predictive = model.simulate_observables(final.z[pick], add_noise=True)
    prior_values = model.to_values(rng.standard_normal((max(population, 1000), model.dim)))
    settings = {"method": method, "population": population, "generations": generations, "seed": seed, "alpha": alpha,
                "simulations": smc.simulations, "record_every_days": model.every,
                "simulated_horizon_days": model.horizon}
    return Calibration(scenario, observed, paths, smc, model.to_values(final.z), final.weights, prior_values,
                       predictive, settings)
