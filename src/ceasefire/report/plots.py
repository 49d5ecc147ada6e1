"""Reusable figures of explorations. Each takes xarray (or plain) inputs and returns a matplotlib Figure.

Conventions: axes labelled with units; the Okabe & Ito (2008) colour-blind-safe
palette for categories and ``cividis`` (Nuñez et al. 2018, designed for colour
vision deficiency) for continuous scales; uncertainty shown as bands (5-95% and
25-75% of runs) around the median, never a bare line.

* :func:`fan_chart` - a trajectory variable per policy, median with bands;
* :func:`truce_map_figure` - heat maps of the share of runs a truce favours each side;
* :func:`sobol_chart` - first-order and total Sobol' indices with confidence intervals;
* :func:`tradeoff_figure` - PRIM's coverage-density trade-off curve;
* :func:`favours_figure` - stacked shares of runs each truce favours each side.
"""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402
from .. import palette as _palette  # noqa: E402


#: Axis labels (with units) of the fan-chart variables.
VARIABLE_LABELS = {
    "combat_power": "combat power (personnel-equivalents)",
    "power_share": "share of total combat power",
    "territory_share": "share of contested territory held",
    "shells_stock": "artillery rounds in stock (shells)",
    "deployed_personnel": "troops deployed (personnel)",
    "gdp_index": "GDP index (pre-war = 1)",
    "supporter_will_share": "supporter's political will (share)",
}


def policy_colours(policies) -> dict[str, str]:
    """A stable colour per policy, from the project's one palette (fighting on black)."""
    return _palette.policy_colours([str(p) for p in policies])


def fan_chart(fan: xr.Dataset, variable: str, who: str, policies: list[str] | None = None,
              labels: dict[str, str] | None = None, title: str | None = None, truce_days: dict | None = None):
    """Median and 5-95% / 25-75% bands over time of ``fan[variable]`` for ``who`` (a side or supporter).

    One small panel per policy (shared axes), each with the first policy's median
    (fighting on) as a dashed reference line; ``truce_days`` maps a policy to its
    (start, end) day, shaded. ``fan`` has dims (policy, quantile, day, side|supporter),
    as written by :func:`ceasefire.explore.fan.fan_quantiles`; its quantiles must
    include 0.05, 0.25, 0.5, 0.75 and 0.95.
    """
    da = fan[variable]
    dim = "side" if "side" in da.dims else "supporter"
    da = da.sel({dim: who})
    policies = [str(p) for p in (policies or da["policy"].values)]
    colours = policy_colours(fan["policy"].values)
    days = da["day"].values
    ref = policies[0]
    ncol = min(3, len(policies))
    nrow = int(np.ceil(len(policies) / ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.3 * ncol + 0.6, 2.6 * nrow + 0.8), sharex=True, sharey=True,
                             squeeze=False)
    for k, p in enumerate(policies):
        ax = axes[k // ncol, k % ncol]
        d = da.sel(policy=p)
        c = colours[p]
        if truce_days and p in truce_days:
            ax.axvspan(*truce_days[p], color="0.85", lw=0, label="truce")
        ax.fill_between(days, d.sel(quantile=0.05), d.sel(quantile=0.95), color=c, alpha=0.2, lw=0,
                        label="5-95% of runs")
        ax.fill_between(days, d.sel(quantile=0.25), d.sel(quantile=0.75), color=c, alpha=0.4, lw=0,
                        label="25-75% of runs")
        ax.plot(days, d.sel(quantile=0.5), color=c, lw=1.6, label="median")
        if p != ref:
            ax.plot(days, da.sel(policy=ref, quantile=0.5), color="black", lw=1, ls="--",
                    label=f"median, {(labels or {}).get(ref, ref)}")
        ax.set_title((labels or {}).get(p, p), fontsize=8)
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=7)
        if k % ncol == 0:
            ax.set_ylabel(VARIABLE_LABELS.get(variable, variable), fontsize=7)
        if k == 1 or len(policies) == 1:
            ax.legend(fontsize=6, loc="best")
    for k in range(len(policies), nrow * ncol):
        axes[k // ncol, k % ncol].axis("off")
    start = fan.attrs.get("start_date")
    fig.supxlabel(f"days since the scenario start{f' ({start})' if start else ''}", fontsize=8)
    fig.suptitle(title or f"{VARIABLE_LABELS.get(variable, variable)}: {who}", fontsize=10)
    fig.tight_layout()
    return fig


def truce_map_figure(tm: xr.Dataset, side_labels: dict[str, str] | None = None, title: str | None = None):
    """One heat map per side: share of runs in which a truce (start day x length) favours it."""
    sides = [str(s) for s in tm["side"].values]
    n = len(sides) + 1
    fig, axes = plt.subplots(1, n, figsize=(4.2 * n, 3.9), squeeze=False, sharey=True)
    starts, lengths = tm["start_day"].values, tm["truce_days"].values
    panels = [(tm["share_favours"].sel(side=s).values, f"favours {(side_labels or {}).get(s, s)}") for s in sides]
    panels.append((tm["share_neither"].values, "favours neither"))
    for k, (ax, (values, name)) in enumerate(zip(axes[0], panels)):
        im = ax.imshow(values, origin="lower", cmap="cividis", vmin=0, vmax=1, aspect="auto")
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                v = values[i, j]
                text = "n/a" if not np.isfinite(v) else f"{v:.0%}"
                ax.text(j, i, text, ha="center", va="center", fontsize=7,
                        color="black" if np.isfinite(v) and v > 0.55 else "white")
        ax.set_xticks(range(len(lengths)), [str(d) for d in lengths])
        ax.set_yticks(range(len(starts)), [str(s) for s in starts])
        ax.set_xlabel("truce length (days)")
        if k == 0:
            ax.set_ylabel("truce start (days since scenario start)")
        ax.set_title(f"share of runs: truce {name}", fontsize=9)
    fig.colorbar(im, ax=list(axes[0]), shrink=0.85, label="share of runs")
    fig.suptitle(title or f"Truce map ({tm.attrs.get('runs', '?')} runs per cell)", fontsize=10)
    return fig


def sobol_chart(table: xr.Dataset, outcome: str, policy: str | None = None, top: int = 12,
                title: str | None = None):
    """Horizontal bars of total (ST) and first-order (S1) indices with their confidence intervals.

    ``table`` is :func:`ceasefire.explore.sensitivity.sobol_table` output; the largest
    base size is shown, factors sorted by ST, the ``top`` largest kept.
    """
    t = table.sel(outcome=outcome).isel(n_base=-1)
    if policy is not None and "policy" in t.dims:
        t = t.sel(policy=policy)
    st = t["ST"].values
    order = np.argsort(-np.nan_to_num(st, nan=-1))[:top][::-1]
    labels = t["factor_label"].values if "factor_label" in t.coords else t["factor"].values
    y = np.arange(order.size)
    fig, ax = plt.subplots(figsize=(8, 0.9 + 0.33 * order.size))
    ax.barh(y + 0.18, st[order], height=0.36, xerr=t["ST_conf"].values[order], color=_palette.OKABE_ITO["blue"],
            label="total (ST)", error_kw={"lw": 0.8, "capsize": 2})
    ax.barh(y - 0.18, t["S1"].values[order], height=0.36, xerr=t["S1_conf"].values[order], color=_palette.OKABE_ITO["orange"],
            label="first order (S1)", error_kw={"lw": 0.8, "capsize": 2})
    ax.set_yticks(y, [str(labels[i]) for i in order], fontsize=7)
    ax.axvline(0, color="0.3", lw=0.6)
    ax.set_xlabel("Sobol' index (share of output variance), bars: 95% bootstrap interval")
    ax.set_title(title or f"What drives {outcome}" + (f" ({policy})" if policy else ""), fontsize=10)
    ax.legend(fontsize=7, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def tradeoff_figure(trajectory: list[dict], chosen: int | None, title: str | None = None):
    """PRIM's peeling trajectory: density against coverage, coloured by restricted dimensions."""
    cov = np.array([r["coverage"] for r in trajectory])
    den = np.array([r["density"] for r in trajectory])
    dims = np.array([r["res_dim"] for r in trajectory])
    fig, ax = plt.subplots(figsize=(5.2, 4))
    sc = ax.scatter(cov, den, c=dims, cmap="cividis", s=18, edgecolor="none")
    if chosen is not None:
        ax.scatter([cov[chosen]], [den[chosen]], s=120, facecolor="none", edgecolor="#D55E00", lw=1.8,
                   label="box reported")
        ax.legend(fontsize=7, loc="lower left")
    fig.colorbar(sc, ax=ax, label="restricted inputs (count)")
    ax.set_xlabel("coverage (share of the cases of interest inside the box)")
    ax.set_ylabel("density (share of the box that are cases)")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.set_title(title or "PRIM trade-off curve", fontsize=9)
    fig.tight_layout()
    return fig


def favours_figure(rows: list[dict], sides: dict[str, str], title: str | None = None):
    """Stacked horizontal bars: share of runs each truce favours each side, or neither."""
    fig, ax = plt.subplots(figsize=(8, 0.9 + 0.45 * len(rows)))
    y = np.arange(len(rows))
    left = np.zeros(len(rows))
    keys = list(sides) + ["neither"]
    colours = _palette.actor_colours(list(sides), [])
    for k, key in enumerate(keys):
        vals = np.array([r.get(key, 0.0) for r in rows])
        colour = colours[key]
        ax.barh(y, vals, left=left, color=colour, label=sides.get(key, key))
        for yi, (l, v) in enumerate(zip(left, vals)):
            if v >= 0.06:
                ax.text(l + v / 2, yi, f"{v:.0%}", ha="center", va="center", fontsize=7, color="white")
        left += vals
    ax.set_yticks(y, [r.get("description", r["policy"]) for r in rows], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of runs (futures)")
    ax.invert_yaxis()
    ax.legend(fontsize=7, ncol=len(keys), loc="upper center", bbox_to_anchor=(0.5, -0.25 if len(rows) < 4 else -0.12))
    ax.set_title(title or "Whom does each truce favour?", fontsize=10)
    fig.tight_layout()
    return fig


def figure_to_base64(fig, dpi: int = 110) -> str:
    """PNG bytes of a figure, base64-encoded (the figure is closed)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")
