"""What the page shows of an ensemble: fan-chart bands and the outcome table.

Pure functions over the engine's xarray output (no Panel). The two policies are
compared run by run: the engine draws the same parameters for run *i* under
fight-on and under the truce (common random numbers), so a paired difference
is the effect of the truce in that future, not sampling noise. Who the truce
*favours* comes from the engine's own pairing (:func:`ceasefire.compare.assemble`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from .. import variables as V
from ..engine.stats import quantiles_over_runs

#: Quantiles of the fan charts: outer band 5-95 %, inner band 25-75 %, median line.
FAN_QUANTILES: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)

#: Stocks offered in the fan charts, side variables first: variable -> (label, unit), from the registry.
_STOCK_NAMES = ("deployed_personnel", "shells_stock", "territory_share", "combat_power", "power_share", "will_share",
                "casualties_cumulative_personnel", "gdp_index", "energy_capacity_share", "displaced_persons",
                "pool_personnel", "production_capacity_shells_per_day", "supporter_will_share",
                "supporter_shells_stock", "aid_shells_per_day")
STOCKS: dict[str, tuple[str, str]] = {n: (V.variable(n).label, V.variable(n).units) for n in _STOCK_NAMES}
DEFAULT_STOCKS: tuple[str, ...] = (
    "power_share",
    "shells_stock",
    "territory_share",
    "supporter_will_share",
)


@dataclass(frozen=True)
class Metric:
    """A row of the outcome table: a per-run outcome and which direction is better for its owner."""

    var: str
    label: str
    unit: str
    higher_is_better: bool


#: Per-run outcomes in the table, per side (or per supporter for ``supporter_*``); labels from the registry.
_BETTER = {"territory_share_final": True, "casualties_personnel_total": False, "gdp_index_final": True,
           "combat_power_share_final": True, "will_share_final": True, "supporter_will_final": True}
METRICS: tuple[Metric, ...] = tuple(Metric(n, V.variable(n).label, V.variable(n).units, up) for n, up in _BETTER.items())


def fan_bands(traj: xr.Dataset, var: str, quantiles: tuple[float, ...] = FAN_QUANTILES) -> xr.DataArray:
    """Quantiles over runs of one trajectory variable: dims (quantile, day, side|supporter)."""
    da = traj[var]
    q = quantiles_over_runs(da.transpose("run", ...).values, quantiles)
    other = [d for d in da.transpose("run", ...).dims if d != "run"]
    return xr.DataArray(
        q,
        dims=("quantile", *other),
        coords={"quantile": list(quantiles), **{d: da[d].values for d in other}},
        name=var,
    )


def _stats(x: np.ndarray) -> tuple[float, float, float]:
    x = x[np.isfinite(x)]
    if x.size == 0:
        return (np.nan, np.nan, np.nan)
    p5, p50, p95 = np.quantile(x, [0.05, 0.5, 0.95])
    return float(p50), float(p5), float(p95)


def outcome_table(fight: xr.Dataset, truce: xr.Dataset, metrics: tuple[Metric, ...] = METRICS) -> pd.DataFrame:
    """One row per (metric, side): medians and 5-95 % ranges under each policy, and the paired effect.

    ``better_share`` is the share of futures in which the truce leaves that side
    better off on that metric than fight-on does (ties count as not better).
    """
    rows = []
    for m in metrics:
        if m.var not in fight or m.var not in truce:
            continue
        f, t = fight[m.var], truce[m.var]
        owner_dim = next(d for d in f.dims if d != "run")
        for owner in f[owner_dim].values:
            fv = f.sel({owner_dim: owner}).values.astype(float)
            tv = t.sel({owner_dim: owner}).values.astype(float)
            diff = tv - fv
            better = diff > 0 if m.higher_is_better else diff < 0
            fm, f5, f95 = _stats(fv)
            tm, t5, t95 = _stats(tv)
            dm, d5, d95 = _stats(diff)
            rows.append(
                {
                    "metric": m.var,
                    "label": m.label,
                    "unit": m.unit,
                    "owner": str(owner),
                    "fight_on_median": fm,
                    "fight_on_p5": f5,
                    "fight_on_p95": f95,
                    "truce_median": tm,
                    "truce_p5": t5,
                    "truce_p95": t95,
                    "difference_median": dm,
                    "difference_p5": d5,
                    "difference_p95": d95,
                    "better_share": float(np.mean(better[np.isfinite(diff)])) if np.isfinite(diff).any() else np.nan,
                }
            )
    return pd.DataFrame(rows)
