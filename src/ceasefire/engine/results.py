"""Ensemble results as xarray: trajectories (run x day x side), per-run outcomes, parameters.

Results can be written to NetCDF (one flat, compressed file that plain
``xr.open_dataset`` reads) and reopened with the scenario, policy and seed that
produced them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from .. import variables as _vars
from ..errors import InputError
from ..scenario import Policy, Scenario, dump_scenario, scenario_from_dict
from .simulate import FINAL_SUPPORTER_VARS, FINAL_VARS, SNAPSHOT_VARS, Buffers

FORMAT = "results-2"


@dataclass
class Results:
    """One policy's ensemble."""

    scenario: Scenario
    policy: Policy
    seed: int
    trajectories: xr.Dataset
    outcomes: xr.Dataset
    parameters: xr.Dataset

    @property
    def runs(self) -> int:
        return self.outcomes.sizes["run"]

    def to_dataset(self) -> xr.Dataset:
        """One flat Dataset: trajectories, outcomes and ``parameter_value (run, parameter)``, with the
        scenario, policy and seed as attributes (what :meth:`to_netcdf` writes)."""
        ds = xr.merge([self.trajectories, self.outcomes,
                       self.parameters.rename({"value": "parameter_value"})], combine_attrs="drop")
        ds.attrs = {
            "ceasefire_format": FORMAT,
            "scenario": self.scenario.name,
            "scenario_yaml": dump_scenario(self.scenario),
            "policy": self.policy.name,
            "policies": self.policy.name,
            "policy_json": self.policy.model_dump_json(),
            "seed": int(self.seed),
            "description": "One policy's ensemble: state at the start of each kept day, flows of that day "
                           "(*_per_day), per-run outcomes and the sampled parameters.",
        }
        return ds

    def to_netcdf(self, path: str | Path) -> Path:
        """Write one flat, compressed NetCDF-4 file (through a temporary name, so an existing file is
        never left half-written); plain ``xr.open_dataset(path)`` shows all of it."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".partial")
        ds = self.to_dataset()
        enc = {n: {"zlib": True, "complevel": 4, "shuffle": True}
               for n, da in {**ds.data_vars, **ds.coords}.items() if da.dtype.kind in "fiub" and da.ndim > 0}
        try:
            ds.to_netcdf(tmp, engine="h5netcdf", encoding=enc)
            tmp.replace(path)
        finally:
            if tmp.exists():
                tmp.unlink()
        return path

    @classmethod
    def open(cls, path: str | Path) -> "Results":
        """Reopen results written by :meth:`to_netcdf`."""
        from ..netcdf import probe

        path = probe(path, "results file")
        try:
            ds = xr.load_dataset(path, engine="h5netcdf")
        except (OSError, ValueError, KeyError) as err:
            raise InputError(f"{path} is not a ceasefire results file ({err}).") from None
        attrs = dict(ds.attrs)
        if attrs.get("ceasefire_format") != FORMAT:
            raise InputError(f"{path} is not a ceasefire results file of one policy "
                             f"(no ceasefire_format={FORMAT} attribute).")
        import yaml

        scenario = scenario_from_dict(yaml.safe_load(attrs["scenario_yaml"]), f"{path} (stored scenario)")
        policy = Policy.model_validate_json(attrs["policy_json"])
        traj_names = [v.name for v in _vars.TRAJECTORIES if v.name in ds]
        traj = ds[traj_names].drop_vars(["parameter", "snapshot_day"], errors="ignore")
        out_names = [n for n in ds.data_vars if n not in traj_names and n != "parameter_value"]
        outcomes = ds[out_names].drop_vars(["day", "date", "parameter"], errors="ignore")
        params = ds[["parameter_value"]].rename({"parameter_value": "value"})
        params = params.drop_vars([c for c in params.coords if c not in ("run", "parameter")])
        traj.attrs = {"scenario": scenario.name, "policy": policy.name, "seed": int(attrs["seed"])}
        outcomes.attrs = {}
        return cls(scenario, policy, int(attrs["seed"]), traj, outcomes, params)


def build_results(
    scenario: Scenario,
    policy: Policy,
    seed: int,
    run_index: np.ndarray,
    days_kept: np.ndarray,
    snapshot_days: np.ndarray,
    buf: Buffers,
    snapshot_vars: tuple[str, ...] = SNAPSHOT_VARS,
) -> Results:
    """Label the ensemble's buffers as datasets (views, no copies of trajectories)."""
    sides = scenario.side_names
    supporters = scenario.supporter_names
    dates = pd.Timestamp(scenario.start_date) + pd.to_timedelta(days_kept, unit="D")
    coords = {"run": run_index, "day": days_kept, "side": sides, "supporter": supporters, "date": ("day", dates)}
    data = {}
    for i, var in enumerate(_vars.SIDE_STOCKS + _vars.SIDE_FLOWS):
        data[var.name] = (("run", "day", "side"), buf.rec[:, i], var.attrs())
    for i, var in enumerate(_vars.SUPPORTER_STOCKS + _vars.SUPPORTER_FLOWS):
        data[var.name] = (("run", "day", "supporter"), buf.rec_sup[:, i], var.attrs())
    traj = xr.Dataset(data, coords=coords, attrs={
        "description": "State at the start of each kept day; *_per_day variables are the flows of that day "
                       "(zero on the horizon day).",
        "scenario": scenario.name, "policy": policy.name, "seed": int(seed),
    })

    final = {k: buf.final[:, i] for i, k in enumerate(FINAL_VARS)}
    final.update({k: buf.final_sup[:, i] for i, k in enumerate(FINAL_SUPPORTER_VARS)})
    collapse_day = buf.collapse_day
    initial_share = buf.initial_share
    values = {
        "territory_share_final": final["territory_share"],
        "casualties_personnel_total": final["casualties_personnel_total"],
        "killed_personnel_total": final["killed_personnel_total"],
        "gdp_index_final": final["gdp_index"],
        "combat_power_final": final["combat_power"],
        "combat_power_share_final": final["power_share"],
        "combat_power_share_initial": initial_share,
        "combat_power_share_change": final["power_share"] - initial_share,
        "will_share_final": final["will_share"],
        "shells_stock_final": final["shells_stock"],
        "deployed_personnel_final": final["deployed_personnel"],
        "energy_capacity_share_final": final["energy_capacity_share"],
        "displaced_persons_final": final["displaced_persons"],
        "collapsed": collapse_day >= 0,
        "collapse_day": collapse_day,
        "supporter_will_final": final["supporter_will_share"],
        "supporter_shells_final": final["supporter_shells_stock"],
        "aid_share_final": final["aid_share"],
        "power_share_resumed": buf.share_resumed,
        "resumed_by_rule": buf.resumed_by,
        "truce_start_day": buf.regime[:, 0],
        "truce_end_day": buf.regime[:, 1],
        "violation_days": buf.regime[:, 2],
    }
    out = {v.name: (v.dims, values[v.name], v.attrs()) for v in _vars.OUTCOMES}
    for i, name in enumerate(snapshot_vars):
        out[f"{name}_at"] = (("run", "snapshot_day", "side"), buf.snaps[:, i], _vars.variable(f"{name}_at").attrs())
    outcomes = xr.Dataset(out, coords={"run": run_index, "side": sides, "supporter": supporters,
                                       "snapshot_day": snapshot_days})
    names = list(buf.sampled)
    if names:
        values = np.stack([buf.sampled[n] for n in names], axis=1)
    else:
        values = np.zeros((len(run_index), 0))
    params = xr.Dataset({"value": (("run", "parameter"), values)}, coords={"run": run_index, "parameter": names})
    return Results(scenario, policy, int(seed), traj, outcomes, params)

