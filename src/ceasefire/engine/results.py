"""Ensemble results as xarray: trajectories (run x day x side), per-run outcomes, parameters.

Results can be written to NetCDF (one file, three groups) and reopened with the
scenario, policy and seed that produced them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from ..errors import InputError
from ..scenario import Policy, Scenario, dump_scenario, scenario_from_dict
from .simulate import (
    FINAL_SUPPORTER_VARS,
    FINAL_VARS,
    FLOW_VARS,
    SIDE_VARS,
    SNAPSHOT_VARS,
    SUPPORTER_FLOW_VARS,
    SUPPORTER_VARS,
    Buffers,
)

GROUPS = ("trajectories", "outcomes", "parameters")


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

    def to_netcdf(self, path: str | Path) -> Path:
        """Write the three datasets as groups of one NetCDF-4 file (written to a temporary
        name first, so an existing file is never left half-written)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".partial")
        attrs = {
            "scenario_yaml": dump_scenario(self.scenario),
            "policy_json": self.policy.model_dump_json(),
            "seed": int(self.seed),
            "ceasefire_format": "results-1",
        }
        mode = "w"
        for group in GROUPS:
            ds = getattr(self, group).copy()
            ds.attrs = {**ds.attrs, **attrs} if group == "outcomes" else dict(ds.attrs)
            ds.to_netcdf(tmp, mode=mode, group=group, engine="h5netcdf")
            mode = "a"
        tmp.replace(path)
        return path

    @classmethod
    def open(cls, path: str | Path) -> "Results":
        """Reopen results written by :meth:`to_netcdf`."""
        from ..netcdf import probe

        path = probe(path, "results file")
        try:
            groups = {g: xr.load_dataset(path, group=g, engine="h5netcdf") for g in GROUPS}
        except (OSError, ValueError, KeyError) as err:
            raise InputError(f"{path} is not a ceasefire results file ({err}).") from None
        attrs = dict(groups["outcomes"].attrs)
        if attrs.get("ceasefire_format") != "results-1":
            raise InputError(f"{path} is not a ceasefire results file (no ceasefire_format attribute).")
        import yaml

        scenario = scenario_from_dict(yaml.safe_load(attrs["scenario_yaml"]), f"{path} (stored scenario)")
        policy = Policy.model_validate_json(attrs["policy_json"])
        for key in ("scenario_yaml", "policy_json", "seed", "ceasefire_format"):
            groups["outcomes"].attrs.pop(key, None)
        return cls(scenario, policy, int(attrs["seed"]), groups["trajectories"], groups["outcomes"], groups["parameters"])


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
    for i, (name, unit) in enumerate({**SIDE_VARS, **FLOW_VARS}.items()):
        data[name] = (("run", "day", "side"), buf.rec[:, i], {"units": unit})
    for i, (name, unit) in enumerate({**SUPPORTER_VARS, **SUPPORTER_FLOW_VARS}.items()):
        data[name] = (("run", "day", "supporter"), buf.rec_sup[:, i], {"units": unit})
    traj = xr.Dataset(data, coords=coords, attrs={
        "description": "State at the start of each kept day; *_per_day variables are the flows of that day "
                       "(zero on the horizon day).",
        "scenario": scenario.name, "policy": policy.name, "seed": int(seed),
    })

    final = {k: buf.final[:, i] for i, k in enumerate(FINAL_VARS)}
    final.update({k: buf.final_sup[:, i] for i, k in enumerate(FINAL_SUPPORTER_VARS)})
    collapse_day = buf.collapse_day
    initial_share = buf.initial_share
    out = {
        "territory_share_final": (("run", "side"), final["territory_share"], {"units": "share of contested territory"}),
        "casualties_personnel_total": (("run", "side"), final["casualties_personnel_total"], {"units": "personnel"}),
        "killed_personnel_total": (("run", "side"), final["killed_personnel_total"], {"units": "personnel"}),
        "gdp_index_final": (("run", "side"), final["gdp_index"], {"units": "index"}),
        "combat_power_final": (("run", "side"), final["combat_power"], {"units": "personnel-equivalents"}),
        "combat_power_share_final": (("run", "side"), final["power_share"], {"units": "share"}),
        "combat_power_share_initial": (("run", "side"), initial_share, {"units": "share"}),
        "combat_power_share_change": (("run", "side"), final["power_share"] - initial_share, {"units": "share"}),
        "will_share_final": (("run", "side"), final["will_share"], {"units": "share"}),
        "shells_stock_final": (("run", "side"), final["shells_stock"], {"units": "shells"}),
        "deployed_personnel_final": (("run", "side"), final["deployed_personnel"], {"units": "personnel"}),
        "energy_capacity_share_final": (("run", "side"), final["energy_capacity_share"], {"units": "share"}),
        "displaced_persons_final": (("run", "side"), final["displaced_persons"], {"units": "persons"}),
        "collapsed": (("run", "side"), collapse_day >= 0, {}),
        "collapse_day": (("run", "side"), collapse_day, {"units": "days", "description": "-1: no collapse"}),
        "supporter_will_final": (("run", "supporter"), final["supporter_will_share"], {"units": "share"}),
        "supporter_shells_final": (("run", "supporter"), final["supporter_shells_stock"], {"units": "shells"}),
        "aid_share_final": (("run", "supporter"), final["aid_share"], {"units": "share of maximum aid"}),
    }
    for i, name in enumerate(snapshot_vars):
        out[f"{name}_at"] = (("run", "snapshot_day", "side"), buf.snaps[:, i], {})
    outcomes = xr.Dataset(out, coords={"run": run_index, "side": sides, "supporter": supporters,
                                       "snapshot_day": snapshot_days})
    names = list(buf.sampled)
    if names:
        values = np.stack([buf.sampled[n] for n in names], axis=1)
    else:
        values = np.zeros((len(run_index), 0))
    params = xr.Dataset({"value": (("run", "parameter"), values)}, coords={"run": run_index, "parameter": names})
    return Results(scenario, policy, int(seed), traj, outcomes, params)

