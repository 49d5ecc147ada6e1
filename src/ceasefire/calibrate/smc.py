"""ABC-SMC (sequential Monte Carlo approximate Bayesian computation) over a batched simulator.

The algorithm is the population Monte Carlo ABC of Beaumont, Cornuet, Marin & Robert,
"Adaptive approximate Bayesian computation", *Biometrika* 96(4):983-990 (2009), with
the tolerance schedule of Del Moral, Doucet & Jasra (2012) / Drovandi & Pettitt (2011):
each generation's tolerance is a weighted quantile (``alpha``) of the previous
generation's accepted distances.

Parameters live on a standard-normal scale ``z``: a calibrated parameter's prior
quantile is ``u = Phi(z)`` and its value ``prior.ppf(u)``, so every prior becomes a
standard normal and the algorithm is the same for any scenario.

* Generation 0: ``n_particles * initial_factor`` draws from the prior; the best
  ``n_particles`` are kept (their largest distance is the first tolerance).
* Generation t: candidates are drawn from the previous population (by weight) and
  moved by a Gaussian kernel with twice the weighted covariance (Beaumont et al.
  2009, section 3); each batch of candidates is simulated in ONE call of the batched
  simulator; candidates with distance <= epsilon_t are accepted until there are
  ``n_particles``. Importance weights ``w_i = prior(z_i) / sum_j w_j K(z_i | z_j)``.
* Stops after ``generations`` populations, or when a generation's acceptance rate
  falls below ``min_acceptance``, or when the simulation budget is spent, or when the
  importance weights degenerate (effective sample size below ``min_ess`` and 1% of the
  population: with tens of parameters, prior over proposal density ratios span many
  orders of magnitude); the last good generation is kept and the reason is reported.

Why not ``pyabc.ABCSMC`` itself: its samplers evaluate one particle per model call
(``Sampler.sample_until_n_accepted`` receives a closure that samples, simulates and
judges a single particle), so a vectorised engine cannot evaluate a population in one
call without re-implementing that closure; and ``pyabc`` 0.13 pulls in IPython,
ipykernel, redis, SQLAlchemy and GitPython. The few pieces needed (weighted
covariance, multivariate normal kernel densities, effective sample size) are SciPy
and NumPy here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from scipy import special, stats

from ceasefire.errors import InputError

#: batched simulator: z (n, d) standard-normal parameters -> distances (n,)
DistanceFn = Callable[[np.ndarray], np.ndarray]


@dataclass
class Generation:
    """One population of the ABC-SMC run."""

    epsilon: float  # tolerance of this generation (distance units)
    z: np.ndarray  # (n, d) accepted particles, standard-normal scale
    weights: np.ndarray  # (n,) normalised importance weights
    distances: np.ndarray  # (n,)
    simulations: int  # candidates simulated for this generation
    seconds: float

    @property
    def acceptance(self) -> float:
        """Accepted particles over simulated candidates."""
        return len(self.weights) / max(self.simulations, 1)

    @property
    def ess(self) -> float:
        """Kish's effective sample size ``1 / sum w^2`` of the normalised weights."""
        return float(1.0 / np.sum(self.weights**2))


@dataclass
class SMCResult:
    generations: list[Generation] = field(default_factory=list)
    stop_reason: str = ""

    @property
    def final(self) -> Generation:
        return self.generations[-1]

    @property
    def simulations(self) -> int:
        return int(sum(g.simulations for g in self.generations))


def weighted_cov(z: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted covariance of rows ``z`` (n, d) with normalised weights ``w`` (reliability weights)."""
    mean = w @ z
    dz = z - mean
    denom = 1.0 - np.sum(w**2)
    cov = (w[:, None] * dz).T @ dz / (denom if denom > 1e-12 else 1.0)
    return np.atleast_2d(cov)


def kernel_log_density(x: np.ndarray, centres: np.ndarray, log_w: np.ndarray, cov: np.ndarray,
                       block: int | None = None) -> np.ndarray:
    """``log sum_j w_j N(x_i; centres_j, cov)`` for each row of ``x``, in blocks of rows (about 160 MB each)."""
    mvn = stats.multivariate_normal(mean=np.zeros(cov.shape[0]), cov=cov, allow_singular=True)
    block = block or max(1, int(2e7 // max(len(centres) * cov.shape[0], 1)))
    out = np.empty(len(x))
    for lo in range(0, len(x), block):
        diff = x[lo : lo + block, None, :] - centres[None, :, :]  # (b, n, d)
        lp = mvn.logpdf(diff.reshape(-1, cov.shape[0])).reshape(diff.shape[:2])
        out[lo : lo + block] = special.logsumexp(lp + log_w[None, :], axis=1)
    return out


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    """The ``q`` quantile of ``x`` under normalised weights ``w`` (inverse of the weighted CDF)."""
    order = np.argsort(x)
    cdf = np.cumsum(w[order])
    i = int(np.searchsorted(cdf, q * cdf[-1], side="left"))
    return float(x[order][min(i, len(x) - 1)])


def abc_smc(
    distance: DistanceFn,
    dim: int,
    n_particles: int = 1000,
    generations: int = 8,
    alpha: float = 0.5,
    initial_factor: int = 4,
    min_acceptance: float = 0.02,
    max_batch: int = 8000,
    max_simulations: int | None = None,
    min_ess: float = 5.0,
    seed: int = 0,
    log: Callable[[str], None] | None = None,
) -> SMCResult:
    """Run ABC-SMC on the standard-normal scale (see module docstring)."""
    if n_particles < 10:
        raise InputError(f"the population needs at least 10 particles, got {n_particles}.")
    if generations < 1:
        raise InputError(f"generations must be at least 1, got {generations}.")
    if not 0.0 < alpha < 1.0:
        raise InputError(f"alpha (the tolerance quantile) must lie in (0, 1), got {alpha}.")
    rng = np.random.default_rng(seed)
    budget = max_simulations or 200 * n_particles * generations
    res = SMCResult()
    spent = 0

    # generation 0: the prior
    t0 = time.perf_counter()
    n0 = n_particles * max(int(initial_factor), 1)
    z0 = rng.standard_normal((n0, dim))
    d0 = _distances(distance, z0, max_batch)
    spent += n0
    keep = np.argsort(d0, kind="stable")[:n_particles]
    gen = Generation(float(d0[keep].max()), z0[keep], np.full(n_particles, 1.0 / n_particles), d0[keep], n0,
                     time.perf_counter() - t0)
    res.generations.append(gen)
    if log:
        log(f"generation 0: epsilon {gen.epsilon:.4g}, acceptance {gen.acceptance:.1%}, {n0} simulations")

    for t in range(1, generations):
        prev = res.final
        eps = weighted_quantile(prev.distances, prev.weights, alpha)
        if eps >= prev.epsilon * (1 - 1e-9):
            res.stop_reason = f"the tolerance stopped falling (epsilon {eps:.4g}) after generation {t - 1}"
            break
        cov = 2.0 * weighted_cov(prev.z, prev.weights)
        chol = _safe_cholesky(cov)
        log_w_prev = np.log(prev.weights)
        t0 = time.perf_counter()
        acc_z, acc_d, sims = [], [], 0
        rate = max(prev.acceptance * 0.5, min_acceptance)
        n_acc = 0
        while n_acc < n_particles:
            need = n_particles - n_acc
            batch = int(min(max_batch, max(need / rate * 1.2, 64)))
            if spent + sims + batch > budget:
                batch = budget - spent - sims
                if batch <= 0:
                    break
            parents = rng.choice(len(prev.weights), size=batch, p=prev.weights)
            cand = prev.z[parents] + rng.standard_normal((batch, dim)) @ chol.T
            d = _distances(distance, cand, max_batch)
            sims += batch
            ok = d <= eps
            acc_z.append(cand[ok])
            acc_d.append(d[ok])
            n_acc += int(ok.sum())
            rate = max(n_acc / sims, min_acceptance * 0.5)
            if n_acc / sims < min_acceptance and sims >= n_particles / min_acceptance:
                break
        spent += sims
        z = np.concatenate(acc_z)[:n_particles]
        dist = np.concatenate(acc_d)[:n_particles]
        if len(z) < n_particles:
            res.stop_reason = (f"generation {t} accepted only {len(z)} of {n_particles} particles in {sims} simulations "
                               f"(acceptance below {min_acceptance:.1%} or budget spent); kept generation {t - 1}")
            break
        log_prior = stats.norm.logpdf(z).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            log_q = kernel_log_density(z, prev.z, log_w_prev, cov)
            lw = np.where(np.isfinite(log_q), log_prior - log_q, -np.inf)
        if not np.isfinite(lw).any():
            res.stop_reason = f"generation {t}: no finite importance weight; kept generation {t - 1}"
            break
        w = np.exp(lw - lw[np.isfinite(lw)].max())
        w /= w.sum()
        gen = Generation(eps, z, w, dist, sims, time.perf_counter() - t0)
        if gen.ess < max(min_ess, 0.01 * n_particles):
            res.stop_reason = (
                f"generation {t}: the importance weights degenerated (effective sample size {gen.ess:.1f} of "
                f"{n_particles}), as they do for population Monte Carlo ABC with many parameters; kept generation "
                f"{t - 1}. Calibrate fewer parameters (--params) or use a larger --population.")
            break
        res.generations.append(gen)
        if log:
            log(f"generation {t}: epsilon {eps:.4g}, acceptance {gen.acceptance:.1%}, ESS {gen.ess:.0f}, {sims} simulations")
        if gen.acceptance < min_acceptance:
            res.stop_reason = f"acceptance {gen.acceptance:.1%} fell below {min_acceptance:.1%} at generation {t}"
            break
    else:
        res.stop_reason = f"{generations} generations done"
    if not res.stop_reason:
        res.stop_reason = f"{len(res.generations)} generations done"
    return res


def _distances(distance: DistanceFn, z: np.ndarray, max_batch: int) -> np.ndarray:
    out = [np.asarray(distance(z[lo : lo + max_batch]), float) for lo in range(0, len(z), max_batch)]
    d = np.concatenate(out)
    return np.where(np.isfinite(d), d, np.inf)


def _safe_cholesky(cov: np.ndarray) -> np.ndarray:
    d = cov.shape[0]
    jitter = 1e-10 * max(float(np.trace(cov)) / d, 1e-12)
    for _ in range(8):
        try:
            return np.linalg.cholesky(cov + jitter * np.eye(d))
        except np.linalg.LinAlgError:
            jitter *= 100
    return np.diag(np.sqrt(np.maximum(np.diag(cov), 1e-12)))


def abc_smc_mcmc(
    distance: DistanceFn,
    dim: int,
    n_particles: int = 1000,
    generations: int = 8,
    alpha: float = 0.5,
    initial_factor: int = 4,
    min_acceptance: float = 0.02,
    miss_probability: float = 0.01,
    max_moves: int = 40,
    max_batch: int = 8000,
    seed: int = 0,
    log: Callable[[str], None] | None = None,
) -> SMCResult:
    """ABC-SMC with MCMC moves (Drovandi & Pettitt, *Biometrics* 67(1), 2011): for many parameters.

    Particles carry equal weights, so there is no importance weight to degenerate:

    * generation 0 keeps the best ``n_particles`` of ``initial_factor`` times as many prior draws;
    * each later generation keeps the best ``alpha`` share (the tolerance is the largest
      distance kept), copies kept particles at random to refill the population, and moves
      each copy by Metropolis-Hastings steps that leave the ABC posterior at that tolerance
      invariant: a Gaussian proposal with the kept particles' covariance scaled by
      ``2.38**2 / d``, accepted when the candidate's distance is within the tolerance and
      ``u < prior(z') / prior(z)``. Every step moves all copies at once: ONE batched call.
      The number of steps is the one that moves each copy at least once with probability
      ``1 - miss_probability`` at the acceptance rate of a first trial step (at most ``max_moves``);
    * stops when that acceptance rate falls below ``min_acceptance``.
    """
    if n_particles < 10:
        raise InputError(f"the population needs at least 10 particles, got {n_particles}.")
    if generations < 1:
        raise InputError(f"generations must be at least 1, got {generations}.")
    if not 0.0 < alpha < 1.0:
        raise InputError(f"alpha (the share kept) must lie in (0, 1), got {alpha}.")
    rng = np.random.default_rng(seed)
    res = SMCResult()
    uniform = np.full(n_particles, 1.0 / n_particles)
    t0 = time.perf_counter()
    n0 = n_particles * max(int(initial_factor), 1)
    z0 = rng.standard_normal((n0, dim))
    d0 = _distances(distance, z0, max_batch)
    keep = np.argsort(d0, kind="stable")[:n_particles]
    z, d = z0[keep], d0[keep]
    res.generations.append(Generation(float(d.max()), z, uniform, d, n0, time.perf_counter() - t0))
    if log:
        log(f"generation 0: epsilon {d.max():.4g}, acceptance {n_particles / n0:.1%}, {n0} simulations")
    n_keep = max(int(alpha * n_particles), 2)
    for t in range(1, generations):
        t0 = time.perf_counter()
        order = np.argsort(d, kind="stable")
        z, d = z[order], d[order]
        eps = float(d[n_keep - 1])
        if eps >= res.final.epsilon * (1 - 1e-9) and t > 1:
            res.stop_reason = f"the tolerance stopped falling (epsilon {eps:.4g}) after generation {t - 1}"
            break
        kept_z = z[:n_keep]
        chol = _safe_cholesky(weighted_cov(kept_z, np.full(n_keep, 1.0 / n_keep)) * 2.38**2 / dim)
        idx = rng.integers(0, n_keep, size=n_particles - n_keep)
        mz, md = kept_z[idx].copy(), d[:n_keep][idx].copy()
        sims, accepted_first, steps = 0, 0.0, 1
        step = 0
        while step < steps:
            cand = mz + rng.standard_normal(mz.shape) @ chol.T
            cd = _distances(distance, cand, max_batch)
            sims += len(cand)
            log_ratio = stats.norm.logpdf(cand).sum(axis=1) - stats.norm.logpdf(mz).sum(axis=1)
            ok = (cd <= eps) & (np.log(rng.uniform(size=len(cand))) < log_ratio)
            mz[ok], md[ok] = cand[ok], cd[ok]
            if step == 0:
                accepted_first = float(ok.mean())
                if accepted_first > 0:
                    steps = int(min(max_moves, max(1, np.ceil(np.log(miss_probability) / np.log1p(-min(accepted_first, 0.999))))))
            step += 1
        z = np.concatenate([kept_z, mz])
        d = np.concatenate([d[:n_keep], md])
        gen = Generation(eps, z, uniform, d, sims, time.perf_counter() - t0)
        res.generations.append(gen)
        if log:
            log(f"generation {t}: epsilon {eps:.4g}, move acceptance {accepted_first:.1%}, {steps} moves, "
                f"{len(np.unique(z, axis=0))} distinct particles, {sims} simulations")
        if accepted_first < min_acceptance:
            res.stop_reason = (f"the moves' acceptance {accepted_first:.1%} fell below {min_acceptance:.1%} at generation "
                               f"{t}: the tolerance cannot fall further at this cost")
            break
    if not res.stop_reason:
        res.stop_reason = f"{generations} generations done"
    return res
