"""Tables over a compared ensemble: means and quantiles over its ``run`` dimension, nothing re-assembled.

Every headline share comes with a Monte Carlo interval (Wilson's score interval for
a binomial proportion, 95 %): with ``n`` runs a share is known to about
``1/sqrt(n)``, and two policies whose intervals overlap are not distinguished.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr
from scipy import stats

from .. import variables as V
from ..scenario import PAIRED_METRICS, Claim
from .ensemble import truce_names

_OPS = {">": np.greater, ">=": np.greater_equal, "<": np.less, "<=": np.less_equal}

#: Outcomes summarised per side (median, 90 % interval) by :func:`summary_table`.
SUMMARY_SIDE = ("territory_share_final", "casualties_personnel_total", "gdp_index_final", "combat_power_share_final")
SUMMARY_SUPPORTER = ("supporter_will_final",)


def wilson_interval(successes: np.ndarray | float, n: int, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson's score interval of a binomial proportion (Wilson 1927), vectorised over ``successes``."""
    k = np.asarray(successes, dtype=float)
    if n <= 0:
        return np.full_like(k, np.nan), np.full_like(k, np.nan)
    z = stats.norm.ppf(0.5 + level / 2)
    p = k / n
    denom = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    lo = np.where(k <= 0, 0.0, np.clip(centre - half, 0, 1))  # exactly 0 and 1 at the ends (no rounding)
    hi = np.where(k >= n, 1.0, np.clip(centre + half, 0, 1))
    return lo, hi


def favours_shares(ds: xr.Dataset) -> xr.Dataset:
    """Share of runs in which each truce favours each side, and neither, dims (policy, side) and (policy,)."""
    truces = truce_names(ds)
    fav = ds["favours"].sel(policy=truces)
    share = fav.mean("run")
    neither = 1.0 - fav.sum("side").mean("run")
    return xr.Dataset({"share": share, "neither": neither})


def favours_table(ds: xr.Dataset, intervals: bool = False) -> pd.DataFrame:
    """One row per truce: the share of runs favouring each side, then ``neither``
    (with ``intervals``, also ``<side>_lo``/``<side>_hi``: the 95 % Wilson interval)."""
    sh = favours_shares(ds)
    n = ds.sizes["run"]
    rows = []
    for name in sh.policy.values:
        row = {"policy": str(name)}
        for side in ds.side.values:
            row[str(side)] = float(sh["share"].sel(policy=name, side=side))
        row["neither"] = float(sh["neither"].sel(policy=name))
        if intervals:
            for who in [str(s) for s in ds.side.values] + ["neither"]:
                lo, hi = wilson_interval(row[who] * n, n)
                row[f"{who}_lo"], row[f"{who}_hi"] = float(lo), float(hi)
        rows.append(row)
    cols = ["policy"] + [str(s) for s in ds.side.values] + ["neither"]
    return pd.DataFrame(rows, columns=cols if not intervals else None)


def intervals_overlap(k_a: float, n_a: int, k_b: float, n_b: int, level: float = 0.95) -> bool:
    """Whether the Wilson intervals of two proportions (``k_a`` of ``n_a``, ``k_b`` of ``n_b``) overlap, i.e. the
    two shares are not distinguished beyond Monte Carlo error at these runs."""
    la, ha = wilson_interval(k_a, n_a, level)
    lb, hb = wilson_interval(k_b, n_b, level)
    return not bool(ha < lb or hb < la)


def distinguishable(ds: xr.Dataset, a: str, b: str, side: str, level: float = 0.95) -> bool:
    """Whether the shares of runs in which truces ``a`` and ``b`` favour ``side`` differ beyond Monte
    Carlo error (their Wilson intervals do not overlap)."""
    n = ds.sizes["run"]
    sh = favours_shares(ds)["share"]
    return not intervals_overlap(float(sh.sel(policy=a, side=side)) * n, n,
                                 float(sh.sel(policy=b, side=side)) * n, n, level)


def _quantile_row(policy: str, who: str, quantity: str, values: np.ndarray) -> dict:
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return {"policy": policy, "who": who, "quantity": quantity, "median": np.nan, "p05": np.nan, "p95": np.nan}
    q = np.quantile(v, [0.05, 0.5, 0.95])
    return {"policy": policy, "who": who, "quantity": quantity, "median": float(q[1]), "p05": float(q[0]),
            "p95": float(q[2])}


def summary_table(ds: xr.Dataset) -> pd.DataFrame:
    """One row per policy, actor and quantity: median and 90 % interval over runs (labels from the registry)."""
    rows = []
    truces = set(truce_names(ds))
    for name in ds.policy.values:
        p = ds.sel(policy=name)
        for side in ds.side.values:
            for var in SUMMARY_SIDE:
                rows.append(_quantile_row(str(name), str(side), V.variable(var).label, p[var].sel(side=side).values))
        if "supporter" in ds.dims:
            for sup in ds.supporter.values:
                for var in SUMMARY_SUPPORTER:
                    rows.append(_quantile_row(str(name), str(sup), V.variable(var).label,
                                              p[var].sel(supporter=sup).values))
        if str(name) in truces:
            for side in ds.side.values:
                rows.append(_quantile_row(str(name), str(side), V.variable("power_share_change_at_truce_end").label,
                                          p["power_share_change_at_truce_end"].sel(side=side).values))
    return pd.DataFrame(rows, columns=["policy", "who", "quantity", "median", "p05", "p95"])


def regime_table(ds: xr.Dataset) -> pd.DataFrame:
    """How each truce or settlement went, run by run: the share of runs in which it started within the horizon,
    the median start day of those, the share in which fighting resumed and the median day of that, the share
    resumed by a side's own rule and the mean violation days. One row per policy other than fight-on whose
    start or end differs between runs (a conditional start, a breakdown hazard or a resume rule); a fixed
    truce, the same in every run, gets no row. Days are days of the scenario."""
    rows = []
    for name in truce_names(ds):
        p = ds.sel(policy=name)
        start = np.asarray(p["truce_start_day"].values, dtype=float)
        end = np.asarray(p["truce_end_day"].values, dtype=float)
        started, resumed = np.isfinite(start), np.isfinite(end)
        varies = lambda a: np.unique(a[np.isfinite(a)]).size > 1 or 0 < np.isfinite(a).sum() < a.size  # noqa: E731
        if not (varies(start) or varies(end)):
            continue
        by_rule = np.asarray(p["resumed_by_rule"].values, dtype=float).max(axis=-1) if "resumed_by_rule" in p else 0
        rows.append({
            "policy": str(name),
            "started_share": float(started.mean()),
            "start_day_median": float(np.median(start[started])) if started.any() else np.nan,
            "resumed_share": float(resumed.mean()),
            "resumed_day_median": float(np.median(end[resumed])) if resumed.any() else np.nan,
            "resumed_by_rule_share": float(np.mean(by_rule > 0)),
            "violation_days_mean": float(np.nanmean(np.asarray(p["violation_days"].values, dtype=float))),
        })
    cols = ["policy", "started_share", "start_day_median", "resumed_share", "resumed_day_median",
            "resumed_by_rule_share", "violation_days_mean"]
    return pd.DataFrame(rows, columns=cols)


def claim_values(ds: xr.Dataset, claim: Claim, policy: str) -> np.ndarray | None:
    """Per-run values of a claim's metric under a policy, or None where the claim does not apply."""
    kind = str(ds["policy_kind"].sel(policy=policy).values)
    is_truce = kind != "fight_on"
    if claim.applies_to == "truce" and not is_truce:
        return None
    if claim.applies_to == "fight_on" and is_truce:
        return None
    if claim.metric in PAIRED_METRICS and not is_truce:
        return None
    da = ds[claim.metric].sel(policy=policy)
    da = da.sel(supporter=claim.supporter) if claim.supporter else da.sel(side=claim.side)
    return np.asarray(da.values, dtype=float)


def claim_holds(ds: xr.Dataset, claims: list[Claim]) -> xr.DataArray:
    """``claim_holds (policy, run, claim)``: 1 holds, 0 fails, -1 does not apply."""
    holds = np.full((ds.sizes["policy"], ds.sizes["run"], len(claims)), -1, dtype=np.int8)
    for k, claim in enumerate(claims):
        for j, name in enumerate(ds.policy.values):
            values = claim_values(ds, claim, str(name))
            if values is not None:
                holds[j, :, k] = _OPS[claim.op](values, claim.threshold)
    return xr.DataArray(holds, dims=("policy", "run", "claim"),
                        coords={"policy": ds.policy.values, "run": ds.run.values, "claim": [c.id for c in claims]},
                        attrs={"description": "1: the claim holds in the run, 0: it fails, -1: it does not apply"})


def claims_table(ds: xr.Dataset, claims: list[Claim]) -> pd.DataFrame:
    """Share of runs in which each claim holds under each policy it applies to, with its 95 % interval."""
    rows = []
    n = ds.sizes["run"]
    for claim in claims:
        for name in ds.policy.values:
            values = claim_values(ds, claim, str(name))
            if values is None:
                continue
            k = int(_OPS[claim.op](values, claim.threshold).sum())
            lo, hi = wilson_interval(k, n)
            rows.append({"claim": claim.id, "policy": str(name), "holds_share": k / n, "holds_lo": float(lo),
                         "holds_hi": float(hi), "runs": n,
                         "proposition": f"{claim.metric}[{claim.side or claim.supporter}] {claim.op} {claim.threshold:g}"})
    return pd.DataFrame(rows, columns=["claim", "policy", "holds_share", "holds_lo", "holds_hi", "runs", "proposition"])


def favoured_side(ds: xr.Dataset) -> xr.DataArray:
    """``(policy, run)``: the name of the side each truce favours in each run, ``neither``, or ``""`` for a
    fight-on baseline (a readable form of the ``favours`` indicator)."""
    fav = ds["favours"]
    sides = np.asarray([str(s) for s in ds.side.values] + ["neither", ""], dtype=object)
    hit = fav.fillna(0).values > 0.5  # (policy, run, side)
    axis = list(fav.dims).index("side")
    hit = np.moveaxis(hit, axis, -1)
    code = np.where(hit.any(-1), hit.argmax(-1), len(sides) - 2)
    code = np.where(np.isnan(np.moveaxis(fav.values, axis, -1)).all(-1), len(sides) - 1, code)
    dims = [d for d in fav.dims if d != "side"]
    return xr.DataArray(sides[code].astype(str), dims=dims, coords={d: ds[d].values for d in dims})
