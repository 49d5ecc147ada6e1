"""From ABC particles to scenario values: weighted summaries and a fitted truncated normal.

The calibrated scenario gives each calibrated parameter a ``truncnormal`` distribution
whose ``mean`` and ``sd`` maximise the weighted likelihood of the posterior particles
(weights = the ABC importance weights), truncated to the prior's support (the prior's
``low``/``high``; for a lognormal or an open truncated normal prior its 0.1% and 99.9%
quantiles, as ``Param.bounds`` gives them). ``mean`` and ``sd`` are the parameters of
the normal before truncation, as the scenario schema reads them (``sd`` at most ten times
the support's width: a posterior as flat as a uniform prior is then a near-uniform
truncated normal); the empirical
posterior itself (particles and weights) is kept in the diagnostics NetCDF.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, stats

from ceasefire.scenario.params import Param
from ceasefire.scenario.sources import Source


def weighted_summary(x: np.ndarray, w: np.ndarray, credibility: float = 0.9) -> dict[str, float]:
    """Weighted mean, sd, median and central interval of one parameter's particles."""
    from .smc import weighted_quantile

    mean = float(w @ x)
    sd = float(np.sqrt(max(w @ (x - mean) ** 2, 0.0)))
    lo_q, hi_q = 0.5 - credibility / 2, 0.5 + credibility / 2
    return {"mean": mean, "sd": sd, "median": weighted_quantile(x, w, 0.5),
            "low": weighted_quantile(x, w, lo_q), "high": weighted_quantile(x, w, hi_q)}


def fit_truncnormal(x: np.ndarray, w: np.ndarray, low: float, high: float) -> tuple[float, float]:
    """``(mean, sd)`` of a normal truncated to [low, high], by weighted maximum likelihood."""
    x = np.clip(np.asarray(x, float), low, high)
    m0 = float(w @ x)
    s0 = float(np.sqrt(max(w @ (x - m0) ** 2, 1e-300)))
    span = high - low
    s0 = max(s0, 1e-6 * span)

    def nll(theta):
        mu, log_s = theta
        s = np.exp(log_s)
        a, b = (low - mu) / s, (high - mu) / s
        lp = stats.truncnorm.logpdf(x, a, b, loc=mu, scale=s)
        return -float(w @ np.where(np.isfinite(lp), lp, -1e6))

    best = optimize.minimize(nll, [m0, np.log(s0)], method="Nelder-Mead",
                             options={"xatol": 1e-6 * span, "fatol": 1e-9, "maxiter": 2000})
    mu, s = float(best.x[0]), float(np.exp(best.x[1]))
    if not (np.isfinite(mu) and np.isfinite(s)) or best.fun > nll([m0, np.log(s0)]):
        mu, s = m0, s0
    # a posterior as flat as its uniform prior drives the fitted sd to infinity: at 10 x the range the
    # truncated normal is within about 1% of uniform, so cap it there; keep some mass inside the bounds
    s = min(s, 10.0 * span)
    mu = float(np.clip(mu, low - 3 * s, high + 3 * s))
    return mu, s


def calibrated_param(prior: Param, x: np.ndarray, w: np.ndarray, source: Source) -> Param:
    """The posterior of one parameter as a scenario value (a fitted truncated normal)."""
    low, high = prior.bounds()
    mu, sd = fit_truncnormal(x, w, low, high)
    return Param(dist="truncnormal", mean=_round(mu), sd=_round(sd), low=low, high=high, unit=prior.unit, source=source)


def _round(v: float) -> float:
    return float(f"{v:.6g}")
