"""Quantile bands of the main stocks over time under each policy (for fan charts)."""

from __future__ import annotations

import xarray as xr

from .. import variables as V
from ..engine import simulate
from ..engine.stats import quantiles_over_runs
from ..scenario import Policy, Scenario
from .design import make_design

#: Trajectory variables summarised for fan charts, with their dimension (from the registry).
FAN_VARIABLES: dict[str, str] = {n: V.variable(n).who for n in (
    "combat_power", "power_share", "territory_share", "shells_stock", "deployed_personnel", "gdp_index",
    "supporter_will_share")}
FAN_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def fan_quantiles(scenario: Scenario, policies: list[Policy], runs: int = 400, seed: int = 0,
                  record_every_days: int = 7, quantiles=FAN_QUANTILES, keep: dict | None = None) -> xr.Dataset:
    """Quantiles over runs of each :data:`FAN_VARIABLES` trajectory, dims (policy, quantile, day, side|supporter).

    All policies use the same Latin-hypercube sample (common random numbers).
    ``keep``: a dict whose keys name policies; their full trajectories (with the
    per-run ``collapse_day`` of the outcomes) are stored in it as values.
    """
    params = [p for p, _ in scenario.uncertain_parameters()]
    unit = make_design(params, runs, "lhs", seed=seed).unit_samples if params else None
    per_policy = []
    for p in policies:
        res = simulate(scenario, p, runs=runs, seed=seed, record_every_days=record_every_days, unit_samples=unit)
        traj = res.trajectories
        if keep is not None and p.name in keep:
            keep[p.name] = traj.assign(collapse_day=res.outcomes["collapse_day"])
        data = {}
        for var, dim in FAN_VARIABLES.items():
            if var not in traj or traj.sizes.get(dim, 0) == 0:
                continue
            q = quantiles_over_runs(traj[var].transpose("run", "day", dim).values, quantiles)
            data[var] = (("quantile", "day", dim), q, dict(traj[var].attrs))
        coords = {"quantile": list(quantiles), "day": traj["day"].values, "side": traj["side"].values}
        if "supporter" in traj.dims:
            coords["supporter"] = traj["supporter"].values
        per_policy.append(xr.Dataset(data, coords=coords).expand_dims(policy=[p.name]))
    ds = xr.concat(per_policy, dim="policy")
    ds.attrs.update({"runs": int(runs), "seed": int(seed), "start_date": str(scenario.start_date),
                     "sample": "Latin hypercube of the uncertain parameters, the same for every policy"})
    return ds
