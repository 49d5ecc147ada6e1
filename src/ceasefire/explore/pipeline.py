"""``ceasefire explore``: design -> sweep (any executor, resumable) -> analyses, all in one directory.

Analyses written next to the chunks (the report reads only these files):

* ``sensitivity.nc``: Sobol' indices of the key outcomes for every truce, at N/2 and N;
* ``discovery.json``: PRIM boxes (and CART leaves) of the futures in which each truce
  favours each side, and of those in which each claim fails;
* ``truce_map.nc``: share of runs favouring each side over start day x truce length;
* ``fan.nc``: quantile bands of the main stocks under each policy;
* ``summary.json``: the question, scenario, policies, policy table, claims, timings.
"""

from __future__ import annotations

import importlib.util
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from ..compare import FAVOURS_DEFINITION, FAVOURS_MARGIN
from ..errors import InputError
from ..scenario import PAIRED_METRICS, Policy, Scenario, iter_sourced_values
from .design import Design, make_design, mechanism_groups, values_from_unit
from .discovery import MAX_INPUTS, box_sentence, prim_boxes
from .executors import make_executor
from .fan import fan_quantiles
from .labels import group_label, parameter_label, parameter_labels, parameter_unit
from .levers import check_lever, describe_policy, lever_policies, scenario_policies
from .model import EngineModel, scenario_fingerprint
from .sensitivity import converged, sobol_table
from .store import Store
from .sweep import DEFAULT_CHUNK_SIZE, make_manifest, run_sweep
from .truce_map import default_grid, truce_map

#: Outcomes whose Sobol' indices are computed (for the focus side, under each truce).
SENSITIVITY_OUTCOMES = {
    "power_ratio_change_at_truce_end": "combat-power ratio at the truce's end, truce minus fight-on",
    "territory_share_final": "territory share at the horizon under the truce",
    "favours": "the truce favours the side (0/1; its mean is the probability)",
}
#: Above this many uncertain parameters, Sobol' factors are groups by mechanism.
GROUP_ABOVE = 20
#: Rows PRIM and CART see at most (a prefix of the design, itself a design).
DISCOVERY_MAX_ROWS = 10000


@dataclass
class ExploreOptions:
    samples: int = 20000
    design: str = "saltelli"
    seed: int = 0
    group_by: str = "auto"  # auto | mechanism | parameter
    chunk_size: int = DEFAULT_CHUNK_SIZE
    executor: str = "inprocess"
    scheduler: str | None = None
    workers: int | None = None
    connect_timeout_s: float = 20.0
    resume: bool = False
    force: bool = False
    focus_side: str | None = None
    start_days: list[int] = field(default_factory=list)
    truce_days: list[int] = field(default_factory=list)
    aid_levels: list[float] = field(default_factory=list)
    map_start_days: list[int] = field(default_factory=list)
    map_truce_days: list[int] = field(default_factory=list)
    map_runs: int = 200
    fan_runs: int = 400
    num_resamples: int = 200
    progress: bool = False


def choose_focus_side(scenario: Scenario, side: str | None) -> str:
    """The side whose gain is analysed: ``side``, else the side of the first paired claim, else the first side."""
    if side is not None:
        if side not in scenario.sides:
            raise InputError(f"unknown side `{side}`; the scenario's sides are {', '.join(scenario.side_names)}",
                             where="--side")
        return side
    for c in scenario.claims:
        if c.metric in PAIRED_METRICS and c.side:
            return c.side
    return scenario.side_names[0]


def plan(scenario: Scenario, opts: ExploreOptions) -> tuple[list[Policy], Design, str]:
    """Policies, design and focus side, every user input checked (nothing is written here)."""
    if opts.chunk_size < 1:
        raise InputError(f"--chunk-size must be at least 1, got {opts.chunk_size}", where="--chunk-size")
    if opts.seed < 0:
        raise InputError(f"--seed must not be negative, got {opts.seed}", where="--seed")
    if opts.group_by not in ("auto", "mechanism", "parameter"):
        raise InputError(f"--group-by must be auto, mechanism or parameter, got {opts.group_by}", where="--group-by")
    for name, v in (("--map-runs", opts.map_runs), ("--fan-runs", opts.fan_runs)):
        if v < 1:
            raise InputError(f"{name} must be at least 1, got {v}", where=name)
    focus = choose_focus_side(scenario, opts.focus_side)
    if importlib.util.find_spec("ema_workbench") is None:
        raise InputError("scenario discovery (PRIM, CART) needs the EMA Workbench; install it with "
                         "`pip install 'ceasefire[explore]'` (or `pip install ema_workbench`) and run again")
    if opts.start_days or opts.truce_days or opts.aid_levels:
        policies = lever_policies(scenario, opts.start_days or [0], opts.truce_days or [180], opts.aid_levels or [1.0])
    else:
        policies = scenario_policies(scenario)
    if not any(p.kind == "truce" for p in policies):
        raise InputError("there is no truce to explore: add truce policies to the scenario or give --truce-days",
                         where="policies")
    params = [p for p, _ in scenario.uncertain_parameters()]
    groups = None
    if opts.design == "saltelli" and (opts.group_by == "mechanism" or
                                      (opts.group_by == "auto" and len(params) > GROUP_ABOVE)):
        groups = mechanism_groups(params)
    design = make_design(params, opts.samples, opts.design, seed=opts.seed, groups=groups)
    for s in opts.map_start_days:
        check_lever(scenario, s, 1, 1.0, "--map-start-days")
    for d in opts.map_truce_days:
        check_lever(scenario, 0, d, 1.0, "--map-truce-days")
    return policies, design, focus


def explore(scenario: Scenario, scenario_path: str | Path, out: str | Path, opts: ExploreOptions,
            log=print) -> dict:
    """Run the whole exploration into ``out``; returns the summary."""
    t0 = time.perf_counter()
    policies, design, focus = plan(scenario, opts)
    executor = make_executor(opts.executor, opts.scheduler, opts.workers, opts.connect_timeout_s)
    model = EngineModel(scenario, tuple(policies))
    params = scenario.uncertain_parameters()
    values = values_from_unit(design.unit_samples, [p for _, p in params])
    model_info = {"kind": "ceasefire-engine", "scenario": scenario.name, "sha256": scenario_fingerprint(scenario)}
    manifest = make_manifest(model_info, design, [p.model_dump(mode="json") for p in policies], opts.seed,
                             opts.chunk_size, extra={"scenario_file": str(scenario_path)})
    store = Store(out)
    log(f"exploring {scenario.name}: {design.rows} futures x {len(policies)} policies "
        f"({design.kind} design, {len(design.factors)} factors), {executor.describe()}")
    if design.rows != opts.samples:
        log(design_size_note(opts.samples, design))
    executor.open()  # a bad scheduler address fails here, before the store is touched
    try:
        results = run_sweep(model, design, store, manifest, executor, resume=opts.resume, force=opts.force,
                            design_values=values, progress=opts.progress)
        t_sweep = time.perf_counter() - t0
        store.write_dataset("results.nc", results)
        log(f"sweep done in {t_sweep:.1f} s; analysing")
        summary = analyse(scenario, policies, design, values, results, store, opts, focus, log=log)
        t1 = time.perf_counter()
        grid_s, grid_d = default_grid(scenario.horizon_days)
        log(f"truce map: {len(opts.map_start_days or grid_s)} start days x {len(opts.map_truce_days or grid_d)} "
            f"lengths x {opts.map_runs} runs")
        tm = truce_map(scenario, opts.map_start_days or grid_s, opts.map_truce_days or grid_d, runs=opts.map_runs,
                       seed=opts.seed, executor=executor)
    finally:
        executor.close()
    store.write_dataset("truce_map.nc", tm)
    baseline = next(p.name for p in policies if p.kind == "fight_on")
    kept: dict = {baseline: None}
    log(f"fan charts: {len(policies)} policies x {opts.fan_runs} runs")
    fan = fan_quantiles(scenario, policies, runs=opts.fan_runs, seed=opts.seed, keep=kept)
    store.write_dataset("fan.nc", fan)
    store.write_dataset("fight_on_trajectories.nc", kept[baseline])
    summary["timing_s"] = {"sweep": round(t_sweep, 2), "analyses": round(t1 - t0 - t_sweep, 2),
                           "maps_and_fans": round(time.perf_counter() - t1, 2),
                           "total": round(time.perf_counter() - t0, 2)}
    summary["executor"] = executor.describe()
    summary["fan_runs"], summary["map_runs"] = int(opts.fan_runs), int(opts.map_runs)
    summary["scenario"]["file"] = str(scenario_path)
    store.write_json("summary.json", summary)
    log(f"wrote {store.root} in {summary['timing_s']['total']:.1f} s")
    return summary


def design_size_note(samples: int, design) -> str:
    """Why the design has another size than asked (a Saltelli design is N x (factors + 2) rows, N a power of two)."""
    if design.kind != "saltelli":
        return f"--samples {samples}: the design has {design.rows} rows"
    k = len(design.factors)
    nxt = 2 * design.n_base * (k + 2)
    return (f"note: --samples {samples} gives {design.rows} futures: a Saltelli design has N x (factors + 2) rows "
            f"with N a power of two (for the Sobol' sequence's balance), here N = {design.n_base} x ({k} + 2); "
            f"ask for --samples {nxt} for the next size")


def _q(values: np.ndarray) -> dict:
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return {"median": None, "p05": None, "p95": None}
    return {"median": float(np.median(v)), "p05": float(np.quantile(v, 0.05)), "p95": float(np.quantile(v, 0.95))}


def policy_table(results: xr.Dataset, scenario: Scenario) -> list[dict]:
    """Median and 90% interval of the main outcomes, per policy and side (or supporter)."""
    rows = []
    quantities = [
        ("territory_share_final", "territory share at horizon", "share"),
        ("casualties_personnel_total", "casualties (killed + wounded) over the horizon", "personnel"),
        ("combat_power_share_final", "combat-power share at horizon", "share"),
        ("gdp_index_final", "GDP index at horizon", "index, pre-war = 1"),
        ("power_share_change_at_truce_end", "combat-power share at truce end, truce minus fight-on", "share"),
        ("territory_share_change_final", "territory at horizon, truce minus fight-on", "share"),
    ]
    for name in results["policy"].values:
        r = results.sel(policy=name)
        for side in scenario.side_names:
            for var, label, unit in quantities:
                v = r[var].sel(side=side).values
                if not np.isfinite(v).any():
                    continue
                rows.append({"policy": str(name), "who": side, "quantity": label, "unit": unit, **_q(v)})
        if "supporter_will_final" in r:
            for sup in scenario.supporter_names:
                rows.append({"policy": str(name), "who": sup, "quantity": "supporter will at horizon",
                             "unit": "share", **_q(r["supporter_will_final"].sel(supporter=sup).values)})
    return rows


def favours_table(results: xr.Dataset, scenario: Scenario, policies: list[Policy]) -> list[dict]:
    rows = []
    for p in policies:
        if p.kind != "truce":
            continue
        fav = results["favours"].sel(policy=p.name).transpose("run", "side").values
        row = {"policy": p.name, "description": describe_policy(p)}
        for k, side in enumerate(scenario.side_names):
            row[side] = float(fav[:, k].mean())
        row["neither"] = float(1.0 - fav.any(axis=1).mean())
        rows.append(row)
    return rows


def favours_measures(results: xr.Dataset, policies: list[Policy]) -> dict:
    """Every favours measure for every truce (:mod:`ceasefire.compare.favours`): rows, definitions, the truces
    the runs do not tell apart; empty when the sweep kept no ``favours_by_measure`` (an older exploration)."""
    from ..compare.favours import definitions, indistinct_pairs, table_from_indicators

    if "favours_by_measure" not in results:
        return {"rows": [], "definitions": {}, "not_distinguishable": []}
    truces = [p.name for p in policies if p.kind == "truce"]
    table = table_from_indicators(results["favours_by_measure"], truces)
    return {"rows": table.astype(object).where(table.notna(), None).to_dict(orient="records"),
            "definitions": definitions(), "not_distinguishable": indistinct_pairs(table)}


def analyse(scenario: Scenario, policies: list[Policy], design, values: np.ndarray, results: xr.Dataset,
            store: Store, opts: ExploreOptions, focus: str, log=lambda *_: None) -> dict:
    """Sensitivity, discovery, claims and tables from the sweep's results; writes them to ``store``."""
    sides = scenario.side_names
    truces = [p for p in policies if p.kind == "truce"]
    labels = parameter_labels(scenario, design.parameters)
    words = {"labels": parameter_labels(scenario, design.parameters, with_unit=False),
             "units": {p: parameter_unit(scenario, p) for p in design.parameters}}
    # -- sensitivity
    log(f"sensitivity: Sobol' indices of {len(SENSITIVITY_OUTCOMES)} outcomes under {len(truces)} truces")
    sens_note = None
    if design.kind == "saltelli":
        sub = results.sel(policy=[p.name for p in truces], side=focus)
        outcomes = xr.Dataset({k: sub[k].astype(float) for k in SENSITIVITY_OUTCOMES})
        table = sobol_table(design, outcomes, list(SENSITIVITY_OUTCOMES), num_resamples=opts.num_resamples,
                            seed=opts.seed)
        table["converged"] = converged(table)
        table = table.assign_coords(factor_label=("factor", [
            group_label(scenario, f) if design.groups is not None else labels.get(f, f) for f in table["factor"].values]))
        table.attrs.update({"focus_side": focus, "grouped": int(design.groups is not None)})
        store.write_dataset("sensitivity.nc", table)
    else:
        sens_note = "Sobol' indices need a Saltelli design; this exploration used a Latin hypercube (--design lhs)."
    # -- discovery
    log("scenario discovery: PRIM and CART boxes of the futures each truce favours each side in")
    n_rows = min(design.rows, DISCOVERY_MAX_ROWS)
    if design.kind == "saltelli" and design.rows > DISCOVERY_MAX_ROWS:
        n_rows = (DISCOVERY_MAX_ROWS // design.row_block) * design.row_block
    x = pd.DataFrame(values[:n_rows], columns=list(design.parameters))
    bounds = {c: (float(x[c].min()), float(x[c].max())) for c in x.columns}
    discoveries = []
    for p in truces:
        for side in sides:
            y = results["favours"].sel(policy=p.name, side=side).values[:n_rows].astype(int)
            subject = f"{describe_policy(p)} favours {scenario.sides[side].label}"
            disc = prim_boxes(x, y, subject)
            discoveries.append(_discovery_entry(disc, subject, bounds, words, policy=p.name, side=side))
    # -- claims
    claims = []
    for k, claim in enumerate(scenario.claims):
        entry = {"id": claim.id, "text": claim.text, "source": claim.source.describe(),
                 "proposition": f"{claim.metric}[{claim.side or claim.supporter}] {claim.op} {claim.threshold:g}",
                 "applies_to": claim.applies_to, "policies": []}
        for p in policies:
            h = results["claim_holds"].sel(policy=p.name, claim=claim.id).values
            if np.all(h < 0):
                continue
            holds = h[h >= 0] == 1
            row = {"policy": p.name, "description": describe_policy(p), "holds_share": float(holds.mean()),
                   "runs": int(holds.size)}
            fails = (h[:n_rows] == 0).astype(int)
            subject = f"the claim fails under {describe_policy(p)}"
            disc = prim_boxes(x, fails, subject, cart=False)
            row["fails"] = _discovery_entry(disc, subject, bounds, words, policy=p.name, claim=claim.id)
            entry["policies"].append(row)
        claims.append(entry)
    store.write_json("discovery.json", {"max_inputs": MAX_INPUTS, "rows": n_rows, "items": discoveries})
    sources = [{"path": path, "label": parameter_label(scenario, path) if param is not None else "claim",
                "value": param.describe() if param is not None else "(claim)",
                "unit": (param.unit if param is not None else None), "uncertain": bool(param and param.is_uncertain),
                "source_kind": src.kind, "source": src.describe()}
               for path, param, src in iter_sourced_values(scenario)]
    return {
        "scenario": {"name": scenario.name, "title": scenario.title, "description": scenario.description,
                     "start_date": str(scenario.start_date), "horizon_days": scenario.horizon_days,
                     "sha256": scenario_fingerprint(scenario),
                     "documents": {k: d.model_dump(mode="json", exclude_none=True) for k, d in scenario.documents.items()}},
        "sides": {s: scenario.sides[s].label for s in sides},
        "side_names": list(sides),  # the scenario's order (summary.json's keys are sorted)
        "supporters": {s: scenario.supporters[s].label for s in scenario.supporter_names},
        "supporters_of": {s: scenario.supporters[s].supports for s in scenario.supporter_names},
        "focus_side": focus,
        "policies": [{**p.model_dump(mode="json"), "description": describe_policy(p)} for p in policies],
        "design": design.describe() | {"factors": list(design.factors)},
        "seed": opts.seed,
        "favours_definition": FAVOURS_DEFINITION.format(margin=FAVOURS_MARGIN),
        "policy_table": policy_table(results, scenario),
        "favours_table": favours_table(results, scenario, policies),
        "favours_measures": favours_measures(results, policies),
        "claims": claims,
        "discovery": discoveries,
        "sensitivity_note": sens_note,
        "sensitivity_outcomes": SENSITIVITY_OUTCOMES,
        "parameters": sources,
        "parameter_labels": labels,
    }


def _discovery_entry(disc, subject: str, bounds, words: dict, **keys) -> dict:
    entry = {**keys, "subject": subject, "base_rate": disc.base_rate, "n_cases": disc.n_cases,
             "n_total": disc.n_total, "note": disc.note, "sentence": None, "cart_sentence": None,
             "trajectory": disc.trajectory, "chosen_index": disc.chosen_index,
             "box": disc.boxes[0].to_dict() if disc.boxes else None,
             "cart_best": disc.cart_boxes[0].to_dict() if disc.cart_boxes else None,
             "cart_union": disc.cart_union,
             "ranking": dict(list(disc.ranking.items())[:MAX_INPUTS])}
    if disc.boxes:
        entry["sentence"] = box_sentence(disc.boxes[0], subject, bounds, words["labels"], words["units"],
                                         disc.base_rate)
    elif disc.note is None:
        entry["note"] = "PRIM found no box that restricts any input: the cases are spread over the whole space."
    if disc.cart_boxes:
        entry["cart_sentence"] = box_sentence(disc.cart_boxes[0], subject, bounds, words["labels"], words["units"],
                                              disc.base_rate)
    return entry
