"""Bayesian fit of a battle series: emcee's affine-invariant ensemble sampler, ArviZ diagnostics.

Same model as :func:`ceasefire.validate.series.fit_series`: the engine's attrition law
(``ceasefire.engine.combat.attrition_per_day``) integrated with the reinforcement
schedules, observed daily strengths with Gaussian error of unknown size.

* Parameters ``theta``: ``ln k`` of each side (and Helmbold's ``W`` for ``helmbold``).
* Priors: ``ln k ~ Normal(ln k_Engel, 2)``, centred on Engel's (1954) direct estimate
  (total losses over summed attrition drivers), two e-folds wide either way;
  ``W ~ Uniform(0, 1)``; the error sd has the Jeffreys prior ``p(sigma) ~ 1/sigma`` and is
  integrated out analytically, so the likelihood is ``SSE(theta)**(-n/2)``.
* Sampler: ``emcee.EnsembleSampler`` (Foreman-Mackey et al. 2013) with
  ``vectorize=True`` and emcee's ``GaussianMove``: a Metropolis move for every walker
  at once, with the least-squares (Laplace) covariance scaled by ``2.38**2 / d``
  (Gelman, Roberts & Gilks 1996) as proposal. All walkers are one call of the
  vectorised integrator per step, and they stay independent chains, so R-hat over them
  is meaningful. (emcee's ensemble "stretch" and differential-evolution moves were
  tried: they update half the walkers per call, so twice the integrator calls, and
  their walkers are not independent chains.) Walkers start over-dispersed around the
  least-squares estimate (twice its standard errors); the first ``tune`` steps are
  discarded.
* Diagnostics: ArviZ's split R-hat (``arviz.rhat(..., method="split")``; Gelman et
  al., *Bayesian Data Analysis*, 3rd ed., section 11.4) and bulk effective sample
  size (``arviz.ess``).

Both libraries are in the ``calibrate`` extra (``pip install ceasefire[calibrate]``).
Earlier versions used a hand-written random-walk Metropolis sampler; PyMC's
gradient-free samplers over this black-box integrator had been tried and were slow
(about 25 ms a step) and mixed poorly in short runs (docs/validation.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ceasefire.engine.combat import law_exponents
from ceasefire.errors import InputError

from .integrate import integrate_battle
from .series import BattleSeries, engel_estimate, fit_series

PRIOR_SD_LOG_K = 2.0


def _require(module: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise InputError(f"the Bayesian fit needs {module}, which is in the 'calibrate' extra: "
                         "pip install 'ceasefire[calibrate]'") from None


@dataclass
class BayesFit:
    law: str
    sides: tuple[str, str]
    mean: dict[str, float]
    sd: dict[str, float]
    interval: dict[str, tuple[float, float]]
    credibility: float
    r_hat: dict[str, float]
    acceptance: float
    draws: int
    chains: int
    samples: dict[str, np.ndarray]  # (chains, draws)
    ess: dict[str, float] | None = None

    def as_dict(self) -> dict:
        return {
            "law": self.law, "sides": list(self.sides), "mean": self.mean, "sd": self.sd,
            "interval": {k: list(v) for k, v in self.interval.items()}, "credibility": self.credibility,
            "r_hat": self.r_hat, "ess": self.ess, "acceptance": self.acceptance, "draws": self.draws,
            "chains": self.chains, "sampler": "emcee EnsembleSampler (stretch move), walkers as chains",
        }


def split_rhat(x: np.ndarray) -> float:
    """Split R-hat of draws shaped (chains, draws), by ArviZ (``method="split"``)."""
    az = _require("arviz")
    return float(az.rhat(np.asarray(x, float), method="split"))


def _ess(x: np.ndarray) -> float:
    az = _require("arviz")
    return float(az.ess(np.asarray(x, float), method="bulk"))


def bayes_fit_series(
    series: BattleSeries,
    law: str = "square",
    draws: int = 1000,
    tune: int = 500,
    chains: int = 8,
    seed: int = 0,
    credibility: float = 0.9,
    steps_per_day: int = 2,
) -> BayesFit:
    """Posterior of the law's coefficients (and Helmbold's W) for one battle series."""
    if law not in ("square", "linear", "logarithmic", "helmbold"):
        raise InputError(f"the Bayesian fit supports square, linear, logarithmic and helmbold, not {law!r}")
    if draws < 10 or tune < 0 or chains < 2:
        raise InputError("the Bayesian fit needs draws >= 10, tune >= 0 and chains >= 2")
    rng = np.random.default_rng(seed)
    p0, q0 = (0.5, 0.5) if law == "helmbold" else law_exponents(law)
    names = [f"k_on_{series.sides[0]}", f"k_on_{series.sides[1]}"] + (["weight"] if law == "helmbold" else [])
    d = len(names)
    k_prior = np.log(np.asarray(engel_estimate(series, p0, q0)))
    obs = series.strength
    mask = np.isfinite(obs)
    mask[:, 0] = False
    y = obs[mask]
    n = y.size
    if n <= d:
        raise InputError(f"{n} observations for {d} parameters: too few for a Bayesian fit of this law")

    def log_post(theta: np.ndarray) -> np.ndarray:
        """theta (chains, d) -> log posterior (chains,)."""
        kx, ky = np.exp(theta[:, 0]), np.exp(theta[:, 1])
        if law == "helmbold":
            w = theta[:, 2]
            pp, qq = np.clip(w, 0, 1), 1 - np.clip(w, 0, 1)
        else:
            pp, qq = p0, q0
        with np.errstate(all="ignore"):
            tr = integrate_battle(
                series.initial[0], series.initial[1], kx, ky, pp, qq, series.days,
                series.reinforcements[0], series.reinforcements[1], steps_per_day=steps_per_day,
            )
            model = np.stack([tr.strength_x, tr.strength_y], axis=1)[:, mask]  # (chains, n)
            sse = np.sum((model - y) ** 2, axis=1)
        lp = -0.5 * n * np.log(np.maximum(sse, 1e-300))
        lp += -0.5 * np.sum(((theta[:, :2] - k_prior) / PRIOR_SD_LOG_K) ** 2, axis=1)
        if law == "helmbold":
            lp = np.where((theta[:, 2] >= 0) & (theta[:, 2] <= 1), lp, -np.inf)
        return np.where(np.isfinite(lp), lp, -np.inf)

    # Laplace start: least-squares estimate and covariance on theta's scale
    lsq = fit_series(series, law, steps_per_day=steps_per_day)
    center = np.array([np.log(lsq.estimates[names[0]]), np.log(lsq.estimates[names[1]])] + ([lsq.estimates["weight"]] if d == 3 else []))
    se = np.array([lsq.stderr[names[0]] / lsq.estimates[names[0]], lsq.stderr[names[1]] / lsq.estimates[names[1]]] + ([lsq.stderr["weight"]] if d == 3 else []))
    se = np.where(np.isfinite(se) & (se > 0), se, 0.05)
    emcee = _require("emcee")
    if chains < 2 * d:
        raise InputError(f"the ensemble sampler needs at least {2 * d} walkers (--chains) for {d} parameters, got {chains}")
    cov = np.diag(se**2)
    if lsq.cov_fit_scale is not None and np.all(np.isfinite(lsq.cov_fit_scale)):
        try:
            np.linalg.cholesky(lsq.cov_fit_scale + 1e-12 * np.eye(d))
            cov = lsq.cov_fit_scale + 1e-12 * np.eye(d)
        except np.linalg.LinAlgError:
            pass
    theta = center + 2.0 * rng.standard_normal((chains, d)) * se
    if d == 3:
        theta[:, 2] = np.clip(theta[:, 2], 0.001, 0.999)
    # Gaussian Metropolis move for every walker at once: one integrator call per step, independent chains
    move = emcee.moves.GaussianMove(cov * 2.38**2 / d)
    sampler = emcee.EnsembleSampler(chains, d, log_post, vectorize=True, moves=move)
    sampler.random_state = np.random.RandomState(int(rng.integers(2**31))).get_state()  # reproducible stretch moves
    sampler.run_mcmc(theta, tune + draws, progress=False)
    out = np.swapaxes(sampler.get_chain(discard=tune), 0, 1)  # (chains, draws, d)
    acceptance = float(np.mean(sampler.acceptance_fraction))
    samples = {names[0]: np.exp(out[:, :, 0]), names[1]: np.exp(out[:, :, 1])}
    if d == 3:
        samples["weight"] = out[:, :, 2]
    lo_q, hi_q = 0.5 - credibility / 2, 0.5 + credibility / 2
    mean, sd, interval, rhat, ess = {}, {}, {}, {}, {}
    for k, v in samples.items():
        flat = v.ravel()
        mean[k] = float(flat.mean())
        sd[k] = float(flat.std(ddof=1))
        interval[k] = (float(np.quantile(flat, lo_q)), float(np.quantile(flat, hi_q)))
        rhat[k] = split_rhat(v)
        ess[k] = _ess(v)
    return BayesFit(law, series.sides, mean, sd, interval, credibility, rhat, acceptance, draws, chains, samples, ess)
