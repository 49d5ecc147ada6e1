"""Save and share: the settings as a scenario YAML, the results as NetCDF and CSV.

* The scenario YAML is the scenario with the what-if values in place (each
  marked as an assumption that names the original value and source) and the
  two compared policies first in ``policies``; loading it in the dashboard or
  the CLI gives the same numbers. Runs, seed and the view's link are written as
  a comment at the top (the schema has no field for them).
* The NetCDF file holds both policies' trajectories, per-run outcomes and
  sampled parameters with a ``policy`` dimension, and the settings as attributes.
* The CSV has one row per (policy, run): every outcome per side or supporter as
  ``variable[owner]`` and every sampled parameter as ``param:path``.
"""

from __future__ import annotations

import io
import os
import tempfile

import pandas as pd
import xarray as xr
import yaml

from ..compare.measures import favoured_side
from ..scenario import Scenario
from ..scenario.policies import same_policy
from .state import Settings


def scenario_with_policies(scenario: Scenario, settings: Settings) -> Scenario:
    """``scenario`` (what-ifs applied) with fight-on and the chosen truce as its first policies.

    Both are named by :func:`~ceasefire.scenario.policies.policy_label`, so fight-on at
    aid 0.5 is ``fight_on_aid0.5``, not a second ``fight_on``. The scenario's other
    policies follow, except those that run identically to one of the two or share a
    name with one: every policy in the file is distinct and uniquely named.
    """
    mine = [settings.fight_on_policy(scenario), settings.truce_policy(scenario)]
    names = {p.name for p in mine}
    others = [p for p in scenario.policies
              if p.name not in names and not any(same_policy(p, m) for m in mine)]
    return scenario.with_policies(mine + others)


def scenario_yaml(scenario: Scenario, settings: Settings, link: str | None = None) -> str:
    """YAML text of the current settings, valid against the scenario schema."""
    sc = scenario_with_policies(scenario, settings)
    data = sc.model_dump(mode="json", exclude_none=True)
    header = [
        f"# Exported from the ceasefire dashboard: scenario {sc.name!r}.",
        f"# Ensemble: runs={settings.runs} seed={settings.seed}; policies: {settings.fight_on_policy().name} and "
        f"{settings.truce_policy().name}.",
    ]
    if settings.overrides:
        header.append("# What-if values: " + "; ".join(f"{p} = {t}" for p, t in settings.overrides))
    if link:
        header.append(f"# View: {link}")
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(header) + "\n" + body


def _params_frame(res) -> pd.DataFrame | None:
    """Sampled parameters, one column per dotted path, indexed by run."""
    p = getattr(res, "parameters", None)
    if p is None:
        return None
    da = p["value"] if isinstance(p, xr.Dataset) else p
    if "parameter" not in da.dims:
        return None
    return pd.DataFrame(
        da.transpose("run", "parameter").values,
        index=pd.Index(da["run"].values, name="run"),
        columns=[f"param:{c}" for c in da["parameter"].values],
    )


def results_dataset(view) -> xr.Dataset:
    """The page's compared ensemble (fight-on and the truce, :func:`ceasefire.compare.assemble`, the same
    object ``ceasefire compare`` writes) with fight-on's whole state on the truce's days, the side each run's
    truce favours as ``favoured_side``, and the page's settings in attributes."""
    from ..compare import assemble, plan_policies

    s: Settings = view.settings
    fight, truce = view.fight_for_export(), view.truce
    plan = plan_policies(view.scenario, [fight.policy, truce.policy])
    out = assemble(view.scenario, plan, {fight.policy.name: fight, truce.policy.name: truce}, s.seed)
    out["favoured_side"] = favoured_side(out)
    out.attrs.update(
        {
            "title": f"ceasefire dashboard results: {view.scenario.title}",
            "truce_start_day": s.start_day,
            "truce_days": s.days,
            "aid_level": s.aid_level,
            "halted_during_truce": ",".join(s.halted),
            "what_if": "; ".join(f"{p} = {t}" for p, t in s.overrides),
            "settings_query": s.query(),
        }
    )
    return out


def netcdf_engine() -> str:
    """``h5netcdf`` (NetCDF-4) when its HDF5 backend is importable, else ``scipy`` (NetCDF-3, 64-bit offsets)."""
    import importlib.util

    return "h5netcdf" if importlib.util.find_spec("h5py") is not None else "scipy"


def results_netcdf(view) -> bytes:
    """The results dataset as NetCDF bytes (NetCDF-4 via h5netcdf when available, else NetCDF-3)."""
    ds = results_dataset(view)
    for name in list(ds.variables):  # object/string coordinates must be plain str for NetCDF
        if ds[name].dtype == object:
            ds[name] = ds[name].astype(str)
    engine = netcdf_engine()
    fd, path = tempfile.mkstemp(suffix=".nc")
    os.close(fd)
    try:
        from ..compare.io import encoding

        ds.to_netcdf(path, engine=engine, encoding=encoding(ds) if engine == "h5netcdf" else None)
        with open(path, "rb") as fh:
            return fh.read()
    finally:
        os.unlink(path)


def _wide(ds: xr.Dataset) -> pd.DataFrame:
    cols: dict[str, object] = {}
    for name, da in ds.data_vars.items():
        others = [d for d in da.dims if d != "run"]
        if not others:
            cols[name] = da.values
        elif len(others) == 1:
            for owner in da[others[0]].values:
                cols[f"{name}[{owner}]"] = da.sel({others[0]: owner}).values
    return pd.DataFrame(cols, index=pd.Index(ds["run"].values, name="run"))


def outcomes_frame(view) -> pd.DataFrame:
    """One row per (policy, run): outcomes (without per-day snapshots), who the truce favours, parameters."""
    frames = []
    params = _params_frame(view.fight)
    fight_name = view.settings.fight_on_policy().name
    for name, res in ((fight_name, view.fight), (view.settings.truce_policy().name, view.truce)):
        o = res.outcomes
        df = _wide(o[[v for v in o.data_vars if "snapshot_day" not in o[v].dims]])
        if name != fight_name and view.paired is not None and view.paired.sizes.get("policy", 0):
            df["favours"] = favoured_side(view.paired).isel(policy=0).values
        if params is not None:
            df = df.join(params)
        df.insert(0, "policy", name)
        frames.append(df.reset_index())
    return pd.concat(frames, ignore_index=True)


def results_csv(view) -> str:
    buf = io.StringIO()
    outcomes_frame(view).to_csv(buf, index=False, float_format="%.9g")
    return buf.getvalue()


def table_csv(view) -> str:
    """The outcome table shown on the page."""
    buf = io.StringIO()
    view.table.to_csv(buf, index=False, float_format="%.9g")
    return buf.getvalue()
