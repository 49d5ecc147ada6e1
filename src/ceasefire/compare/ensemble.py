"""The compared ensemble: every policy of a scenario on common random numbers, in one Dataset.

:func:`run_policies` runs a scenario's policies (a fight-on baseline for every aid
vector, :mod:`.baseline`) and :func:`assemble` labels them as ONE
:class:`xarray.Dataset` with a ``policy`` dimension:

* trajectories ``(policy, run, day, side|supporter)`` (unless ``keep="outcomes"``);
* per-run outcomes ``(policy, run, side|supporter)`` and snapshots
  ``(policy, run, snapshot_day, side)``;
* the sampled parameters ``parameter_value (run, parameter)`` (the same under every
  policy: run *i* draws the same parameters and the same daily noise everywhere);
* the paired differences ``(policy, run, side|supporter)``: each truce minus the
  fight-on run it is paired with (coordinate ``baseline``), NaN for a baseline, and
  ``favours`` (1 where the truce favours that side in that run).

Units, labels and descriptions come from the registry (:mod:`ceasefire.variables`);
the definition of *favours* is in the ``favours_definition`` attribute. Every analysis
(the ``compare`` summary, explore, the dashboard, the report, bargain) reads this
object; tables are means and quantiles over it (:mod:`.measures`).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd
import xarray as xr

from .. import variables as V
from ..engine import Results, simulate_policies
from ..errors import InputError
from ..scenario import Policy, Scenario, dump_scenario
from ..scenario.policies import check_policy
from .baseline import Plan, plan_policies

FORMAT = "compared-ensemble-1"
FAVOURS_MARGIN = 0.005
FAVOURS_DEFINITION = (
    "A truce favours side X in a run when X's share of total combat power (troops x quality x "
    "ammunition readiness) on the day the truce ends is higher under the truce than on the same day "
    "of the same run had fighting gone on (at the same aid levels), by more than {margin:.1%} of the total; "
    "otherwise it favours neither."
)
KEEP = ("all", "outcomes")
#: N of the "power share N days after fighting resumes" measure (:mod:`.favours`): its day is kept as a snapshot.
ASSESS_AFTER_DAYS = 90


def snapshot_days(plan: Plan, horizon_days: int, assess_after_days: int = ASSESS_AFTER_DAYS) -> list[int]:
    """Days whose full state the pairing and the favours measures need: every truce's start and end (capped at
    the horizon), and ``assess_after_days`` after its end when that is within the horizon."""
    days = set()
    for p in plan.truces():
        days |= {min(p.start_day, horizon_days), min(p.end_day, horizon_days)}
        if p.end_day + assess_after_days <= horizon_days:
            days.add(p.end_day + assess_after_days)
    return sorted(days)


def run_policies(
    scenario: Scenario,
    policies: list[Policy] | None = None,
    runs: int = 2000,
    seed: int = 0,
    *,
    record_every_days: int = 7,
    keep: str = "all",
    margin: float = FAVOURS_MARGIN,
    assess_after_days: int = ASSESS_AFTER_DAYS,
    unit_samples: np.ndarray | None = None,
    run_offset: int = 0,
    chunk_runs: int | None = None,
    workers: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> xr.Dataset:
    """Run every policy (fight-on baselines added) on the same runs and return the compared ensemble.

    ``progress(policy_name, runs_done, runs)`` is called as chunks finish (:mod:`ceasefire.progress`). ``keep="outcomes"``
    records no trajectories (only the horizon day is simulated into the record buffers). ``assess_after_days``
    (N of the favours measure "power share N days after fighting resumes") adds the days ``end + N`` to the
    snapshots."""
    if keep not in KEEP:
        raise InputError(f"keep must be one of {', '.join(KEEP)}, got {keep!r}", where="--keep")
    plan = plan_policies(scenario, policies)
    h = scenario.horizon_days
    for p in plan.policies:
        check_policy(p, scenario, where=f"policy {p.name}")
    if assess_after_days < 1:
        raise InputError(f"must be at least 1 day, got {assess_after_days}", where="--resume-days")
    snaps = snapshot_days(plan, h, assess_after_days)
    every = h if keep == "outcomes" else record_every_days
    extra = {} if chunk_runs is None else {"chunk_runs": chunk_runs}
    # one engine call: the runs' parameters are drawn once, and a truce starting on day T resumes from
    # its baseline's state on day T (engine.simulate_policies; bit for bit the same as running it alone)
    results = simulate_policies(scenario, plan.policies, runs=runs, seed=seed, record_every_days=every,
                                snapshot_days=snaps, unit_samples=unit_samples, run_offset=run_offset,
                                progress=progress, workers=workers, **extra)
    return assemble(scenario, plan, results, seed, margin=margin, keep=keep, assess_after_days=assess_after_days)


def assemble(scenario: Scenario, plan: Plan, results: dict[str, Results], seed: int, *,
             margin: float = FAVOURS_MARGIN, keep: str = "all",
             assess_after_days: int = ASSESS_AFTER_DAYS) -> xr.Dataset:
    """Label already simulated policies (``results[name]`` for every policy of ``plan``) as the
    compared ensemble. The one place where truces are paired with their baselines."""
    missing = [n for n in plan.names if n not in results]
    if missing:
        raise ValueError(f"no results for policies {', '.join(missing)}")
    names = plan.names
    idx = pd.Index(names, name="policy")
    parts: list[xr.Dataset] = []
    outcome_vars = [v.name for v in V.OUTCOMES]
    parts.append(xr.concat([results[n].outcomes[outcome_vars] for n in names], dim=idx))
    parts.append(_snapshots(plan, results, idx, scenario.horizon_days, assess_after_days))
    if keep == "all":
        parts.append(xr.concat([results[n].trajectories for n in names], dim=idx, coords="minimal",
                               compat="override", join="override"))
    first = results[names[0]]
    parts.append(xr.Dataset({"parameter_value": first.parameters["value"].assign_attrs(
        units="the parameter's own (its name says it: _per_day, _share, _personnel, _days, ...)",
        long_name="Sampled parameter value",
        description="Sampled value of each uncertain parameter in each run (the same under every policy).")}))
    parts.append(paired_differences(scenario, plan, results, margin))
    ds = xr.merge(parts, compat="override", join="outer", combine_attrs="drop_conflicts")
    ds = ds.assign_coords(_policy_coords(plan, scenario.horizon_days))
    if "supporter" in ds.dims:  # whom each supporter aids (the favours measure on supporters' will reads it)
        ds = ds.assign_coords(supports=("supporter", [scenario.supporters[str(s)].supports
                                                      for s in ds["supporter"].values]))
    ds.attrs = {
        "ceasefire_format": FORMAT,
        "scenario": scenario.name,
        "scenario_yaml": dump_scenario(scenario),
        "seed": int(seed),
        "runs": int(first.runs),
        "start_date": str(scenario.start_date),
        "horizon_days": int(scenario.horizon_days),
        "policies": ", ".join(names),
        "favours_margin": float(margin),
        "favours_definition": FAVOURS_DEFINITION.format(margin=margin),
        "assess_after_days": int(assess_after_days),
        "baseline_rule": "each truce is paired, run by run, with fight-on at the same aid levels of every supporter",
        "description": "Compared ensemble: every policy on common random numbers (run i has the same parameters "
                       "and daily noise under every policy); paired variables are a truce minus its baseline.",
    }
    return ds


def _snapshots(plan: Plan, results: dict[str, Results], idx: pd.Index, horizon: int,
               assess_after_days: int = ASSESS_AFTER_DAYS) -> xr.Dataset:
    """``<var>_at`` on the pairing's snapshot days (NaN where a policy did not keep that variable)."""
    days = sorted(set(snapshot_days(plan, horizon, assess_after_days)) | {0, horizon})
    blocks = []
    for n in idx:
        o = results[n].outcomes
        have = [f"{s}_at" for s in V.SNAPSHOTS if f"{s}_at" in o]
        blocks.append(o[have].reindex(snapshot_day=days))
    return xr.concat(blocks, dim=idx, join="outer")


def _policy_coords(plan: Plan, horizon: int) -> dict:
    ps = plan.policies
    return {
        "policy_kind": ("policy", [p.kind for p in ps]),
        "start_day": ("policy", [p.start_day if p.kind != "fight_on" else -1 for p in ps]),
        "truce_days": ("policy", [p.days if p.kind != "fight_on" else 0 for p in ps]),
        "end_day": ("policy", [min(p.end_day, horizon) if p.kind != "fight_on" else -1 for p in ps]),
        "aid_level": ("policy", [p.aid_level for p in ps]),
        "baseline": ("policy", [plan.baseline[p.name] for p in ps]),
        "policy_json": ("policy", [p.model_dump_json() for p in ps]),
    }


def _ratio(share: xr.DataArray) -> xr.DataArray:
    """A side's combat power over all the others' combined, from its share of the total."""
    return share / np.maximum(1.0 - share, 1e-12)


def paired_differences(scenario: Scenario, plan: Plan, results: dict[str, Results],
                       margin: float = FAVOURS_MARGIN) -> xr.Dataset:
    """Every policy minus its baseline, run by run, dims (policy, run, side|supporter); NaN for baselines."""
    sides = np.asarray(scenario.side_names)
    h = scenario.horizon_days
    blocks = []
    for p in plan.policies:
        o = results[p.name].outcomes
        if p.kind == "fight_on":
            blocks.append(_nan_block(o, sides))
            continue
        b = results[plan.baseline[p.name]].outcomes
        end = min(p.end_day, h)
        share_t = o["power_share_at"].sel(snapshot_day=end, drop=True)
        share_b = b["power_share_at"].sel(snapshot_day=end, drop=True)
        d_power = share_t - share_b
        best = d_power.argmax("side")
        gain = d_power.max("side")
        favours = (xr.DataArray(np.arange(len(sides)), dims="side", coords={"side": sides}) == best) & (gain > margin)
        blocks.append(xr.Dataset({
            "power_share_change_at_truce_end": d_power,
            "power_ratio_change_at_truce_end": _ratio(share_t) - _ratio(share_b),
            "territory_share_change_final": o["territory_share_final"] - b["territory_share_final"],
            "casualties_change": o["casualties_personnel_total"] - b["casualties_personnel_total"],
            "gdp_index_change_final": o["gdp_index_final"] - b["gdp_index_final"],
            "supporter_will_change_final": o["supporter_will_final"] - b["supporter_will_final"],
            "favours": favours.astype(float).transpose("run", "side"),
        }))
    ds = xr.concat(blocks, dim=pd.Index(plan.names, name="policy"))
    for v in V.PAIRED:
        ds[v.name].attrs = v.attrs()
    return ds


def _nan_block(o: xr.Dataset, sides: np.ndarray) -> xr.Dataset:
    side = xr.full_like(o["territory_share_final"], np.nan, dtype=float)
    sup = xr.full_like(o["supporter_will_final"], np.nan, dtype=float)
    return xr.Dataset({v.name: (sup if v.who == "supporter" else side) for v in V.PAIRED})


def policies_of(ds: xr.Dataset) -> list[Policy]:
    """The policies of a compared ensemble, in its order."""
    return [Policy.model_validate_json(j) for j in ds["policy_json"].values]


def truce_names(ds: xr.Dataset) -> list[str]:
    return [str(n) for n, k in zip(ds.policy.values, ds.policy_kind.values) if k != "fight_on"]
