"""Diagnostic figures of a calibration: prior against posterior, predictive bands, ESS and tolerance."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_all(cal, out: Path) -> list[Path]:
    """Write the three diagnostic PNGs; return their paths."""
    return [plot_parameters(cal, out / "calibration_parameters.png"),
            plot_predictive(cal, out / "calibration_predictive.png"),
            plot_generations(cal, out / "calibration_generations.png")]


def plot_parameters(cal, path: Path) -> Path:
    """One panel per calibrated parameter: prior draws and weighted posterior particles."""
    plt = _plt()
    d = len(cal.params)
    cols = min(d, 3)
    rows = -(-d // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.2 * rows), squeeze=False)
    for j, name in enumerate(cal.params):
        ax = axes[j // cols][j % cols]
        lo, hi = cal.scenario.param(name).bounds()
        bins = np.linspace(lo, hi, 41)
        ax.hist(cal.prior_values[:, j], bins=bins, density=True, alpha=0.35, color="0.5", label="prior")
        ax.hist(cal.values[:, j], bins=bins, weights=cal.weights, density=True, alpha=0.6, color="C0", label="posterior")
        unit = cal.scenario.param(name).unit or "parameter's unit"
        ax.set_xlabel(f"{name.split('.', 1)[-1]} ({unit})", fontsize=8)
        ax.set_ylabel("density (1/unit)", fontsize=8)
        ax.legend(fontsize=7)
    for k in range(d, rows * cols):
        axes[k // cols][k % cols].axis("off")
    fig.suptitle(f"{cal.scenario.name}: prior and ABC-SMC posterior")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def plot_predictive(cal, path: Path) -> Path:
    """One panel per observed series: posterior predictive 50%/90% bands and the observations."""
    plt = _plt()
    obs = cal.observed
    series = obs.series
    fig, axes = plt.subplots(len(series), 1, figsize=(7, 3.2 * len(series)), squeeze=False)
    q = np.quantile(cal.predictive, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    for k, (name, side) in enumerate(series):
        ax = axes[k][0]
        rows = np.flatnonzero((obs.observable == name) & (obs.side == side))
        rows = rows[np.argsort(obs.day[rows])]
        x = obs.day[rows]
        if len(rows) >= 3:
            ax.fill_between(x, q[0, rows], q[4, rows], alpha=0.2, color="C0", label="90% predictive band")
            ax.fill_between(x, q[1, rows], q[3, rows], alpha=0.4, color="C0", label="50% predictive band")
            ax.plot(x, q[2, rows], color="C0", label="predictive median")
        else:  # one or two dates: bands as bars beside the observation
            xb = x + 0.3
            ax.vlines(xb, q[0, rows], q[4, rows], color="C0", alpha=0.4, lw=8, label="90% predictive band")
            ax.vlines(xb, q[1, rows], q[3, rows], color="C0", alpha=0.8, lw=8, label="50% predictive band")
            ax.scatter(xb, q[2, rows], color="C0", marker="_", s=200, label="predictive median")
        inside = (q[0, rows] <= obs.value[rows]) & (obs.value[rows] <= q[4, rows])
        ax.errorbar(x, obs.value[rows], yerr=obs.sd[rows], fmt="none", ecolor="0.4", lw=0.8)
        ax.scatter(x[inside], obs.value[rows][inside], color="k", s=12, zorder=3, label="observed (in 90% band)")
        ax.scatter(x[~inside], obs.value[rows][~inside], color="C3", marker="x", zorder=3, label="observed (outside)")
        ax.set_xlabel(f"days since {cal.scenario.start_date} (days)")
        ax.set_ylabel(f"{name} ({obs.unit[rows[0]]})", fontsize=8)
        ax.set_title(f"{name} ({side}): {inside.mean():.0%} of {len(rows)} observations in the 90% band", fontsize=9)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def plot_generations(cal, path: Path) -> Path:
    """Tolerance schedule and effective sample size per generation."""
    plt = _plt()
    g = np.arange(len(cal.smc.generations))
    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3.2))
    a.plot(g, [x.epsilon for x in cal.smc.generations], "o-")
    a.set_xlabel("generation")
    a.set_ylabel("tolerance epsilon (RMS standardised residual)", fontsize=8)
    b.plot(g, [x.ess for x in cal.smc.generations], "o-", color="C1")
    b.set_xlabel("generation")
    b.set_ylabel("effective sample size (particles)", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
