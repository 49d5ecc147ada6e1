"""Whom does a truce favour? Six named measures over the compared ensemble, each with its definition.

The question has no single answer: a truce can leave a side stronger on the day it
ends and weaker at the horizon, or spare both sides casualties while one of them
loses ground. Each :class:`Measure` below is a pure function of the compared
ensemble (:mod:`.ensemble`) that says, run by run and side by side, whether the truce
leaves that side *better off* than fighting on in the same run at the same aid
levels (the one baseline rule, :mod:`.baseline`): 1 better off, 0 not, NaN where the
measure is not defined in that run (e.g. the day it is judged on lies beyond the
horizon). :func:`measure_indicators` stacks them as ``(measure, policy, run, side)``;
:func:`measures_table` turns them into shares of futures with Wilson 95 % intervals
(``.mean("run")`` of the indicator, nothing re-assembled), and
:func:`indistinct_pairs` names the truces whose shares the runs do not tell apart.

Two kinds of measure:

* **exclusive** (power share, territory, supporters' will): what one side gains the
  others lose, so the truce favours at most one side in a run: the side with the
  largest gain, when that gain exceeds the tolerance (the rule of the compared
  ensemble's ``favours``); the shares of the sides and ``neither`` add up to 1.
* **per side** (casualties): a truce can spare both sides, so each side is judged on
  its own; ``neither`` is the share of runs in which no side is better off, and the
  shares can add up to more than 1.

Every number below (tolerances, ``x``, ``N``) is an analyst's choice, not a finding;
:class:`FavoursOptions` holds them and every definition prints them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd
import xarray as xr
import yaml

from .ensemble import ASSESS_AFTER_DAYS, FAVOURS_MARGIN, truce_names
from .measures import intervals_overlap, wilson_interval


@dataclass(frozen=True)
class FavoursOptions:
    """The analyst's choices behind the measures (all shares are of the contested territory or of the total)."""

    #: N: days after fighting resumes on which power shares are compared (a fixed truce: ``end_day + N``);
    #: ``None``: the ensemble's ``assess_after_days`` (the day its snapshots keep; 90 by default).
    resume_days: int | None = None
    #: x: the territory gain (share of the contested territory) a side must reach relative to fight-on.
    gain_share: float = 0.02
    #: Tolerance of the power-share measures; ``None``: the ensemble's ``favours_margin`` (0.005).
    power_tolerance: float | None = None
    #: Tolerance of territory at the horizon (share of the contested territory).
    territory_tolerance: float = 0.005
    #: A side has fewer casualties when they are lower by more than this share of its fight-on casualties.
    casualties_tolerance: float = 0.01
    #: Tolerance of the supporters' will measure (share of full will).
    will_tolerance: float = 0.005

    def resolved(self, ds: xr.Dataset | None) -> "FavoursOptions":
        """These options with ``None`` replaced by the ensemble's own values."""
        from dataclasses import replace

        attrs = ds.attrs if ds is not None else {}
        return replace(self, resume_days=int(attrs.get("assess_after_days", ASSESS_AFTER_DAYS))
                       if self.resume_days is None else int(self.resume_days),
                       power_tolerance=float(attrs.get("favours_margin", FAVOURS_MARGIN))
                       if self.power_tolerance is None else float(self.power_tolerance))

    def power_margin(self, ds: xr.Dataset) -> float:
        return float(ds.attrs.get("favours_margin", FAVOURS_MARGIN)) if self.power_tolerance is None \
            else float(self.power_tolerance)


@dataclass(frozen=True)
class Measure:
    """One way to say whom a truce favours.

    ``better_off(ds, options)`` returns ``(policy, run, side)``: 1 where the truce leaves the side better off
    than fight-on in that run, 0 where not, NaN where the measure is undefined (and for fight-on baselines)."""

    name: str
    label: str
    definition: str  # a sentence; ``{resume_days}``, ``{gain_share}``, ``{power_tolerance}``, ... are filled in
    units: str  # units of the per-run quantity compared
    how: str  # how it is computed from the compared ensemble
    exclusive: bool
    better_off: Callable[[xr.Dataset, FavoursOptions], xr.DataArray] = field(repr=False)

    def sentence(self, ds: xr.Dataset | None = None, options: FavoursOptions | None = None) -> str:
        """The definition with the options' numbers in it."""
        o = (options or FavoursOptions()).resolved(ds)
        return self.definition.format(resume_days=o.resume_days, gain_share=o.gain_share,
                                      power_tolerance=o.power_tolerance,
                                      territory_tolerance=o.territory_tolerance,
                                      casualties_tolerance=o.casualties_tolerance, will_tolerance=o.will_tolerance)


# -- the rules -------------------------------------------------------------------------------------------------

def exclusive_gain(gain: xr.DataArray, tolerance: float, at_least: bool = False) -> xr.DataArray:
    """1 for the side with the largest gain in each run when that gain exceeds ``tolerance`` (or reaches it,
    ``at_least``), else 0; NaN in runs where any side's gain is NaN. ``gain`` has dims (..., side)."""
    undefined = gain.isnull().any("side")
    filled = gain.fillna(-np.inf)
    best = filled.argmax("side")
    top = filled.max("side")
    passed = (top >= tolerance) if at_least else (top > tolerance)
    idx = xr.DataArray(np.arange(gain.sizes["side"]), dims="side", coords={"side": gain["side"].values})
    hit = ((idx == best) & passed).astype(float)
    return hit.where(~undefined)


def _truce_baseline_pairs(ds: xr.Dataset) -> list[tuple[str, str]]:
    return [(t, str(ds["baseline"].sel(policy=t).values)) for t in truce_names(ds)]


def _over_policies(ds: xr.Dataset, blocks: dict[str, xr.DataArray]) -> xr.DataArray:
    """Per-truce blocks (run, side) as (policy, run, side), NaN for every policy without a block."""
    out = xr.DataArray(np.full((ds.sizes["policy"], ds.sizes["run"], ds.sizes["side"]), np.nan),
                       dims=("policy", "run", "side"),
                       coords={"policy": ds["policy"].values, "run": ds["run"].values, "side": ds["side"].values})
    for name, block in blocks.items():
        out.loc[{"policy": name}] = block.transpose("run", "side").values
    return out


def _power_at_truce_end(ds: xr.Dataset, o: FavoursOptions) -> xr.DataArray:
    """Today's ``favours`` (computed once, in :func:`.ensemble.paired_differences`), or recomputed when the
    tolerance differs from the ensemble's margin."""
    margin = o.power_margin(ds)
    if margin == float(ds.attrs.get("favours_margin", FAVOURS_MARGIN)):
        return ds["favours"].transpose("policy", "run", "side")
    gain = ds["power_share_change_at_truce_end"].transpose("policy", "run", "side")
    return exclusive_gain(gain, margin).where(ds["policy_kind"] != "fight_on")


def state_on_day(ds: xr.Dataset, policy: str, variable: str, days: np.ndarray) -> np.ndarray:
    """``variable`` (a snapshot stock, e.g. ``power_share``) of ``policy`` on a per-run day, (run, side).

    Exact from the snapshots (``<variable>_at``) where the day is a snapshot day; else, where trajectories are
    kept and the day is recorded, from them; NaN otherwise (and where the day is NaN or beyond the horizon)."""
    runs, sides = ds.sizes["run"], ds.sizes["side"]
    out = np.full((runs, sides), np.nan)
    days = np.asarray(days, dtype=float)
    snap_days = {int(d): i for i, d in enumerate(ds["snapshot_day"].values)} if f"{variable}_at" in ds else {}
    has_traj = variable in ds and "day" in ds[variable].dims
    traj_days = {int(d): i for i, d in enumerate(ds["day"].values)} if has_traj else {}
    for d in np.unique(days[np.isfinite(days)]):
        rows = np.flatnonzero(days == d)
        if int(d) in snap_days:
            block = ds[f"{variable}_at"].sel(policy=policy).isel(snapshot_day=snap_days[int(d)])
        elif int(d) in traj_days:  # read lazily: a trajectory is large
            block = ds[variable].sel(policy=policy).isel(day=traj_days[int(d)])
        else:
            continue
        out[rows] = block.transpose("run", "side").values[rows]
    out[~np.isfinite(out).all(axis=1)] = np.nan
    return out


def resumed_days(ds: xr.Dataset, policy: str, resume_days: int) -> np.ndarray:
    """Per run, the day on which the ``power_share_resumed`` measure judges ``policy``: ``truce_end_day + N``
    when the engine records ``truce_end_day`` (fighting may resume early), else the scheduled ``end_day + N``;
    NaN where that day lies beyond the horizon."""
    horizon = int(ds.attrs["horizon_days"])
    if "truce_end_day" in ds:
        end = np.asarray(ds["truce_end_day"].sel(policy=policy).values, dtype=float)
    else:
        end = np.full(ds.sizes["run"], float(ds["end_day"].sel(policy=policy).values))
    day = end + resume_days
    return np.where(day <= horizon, day, np.nan)


def _power_after_resumption(ds: xr.Dataset, o: FavoursOptions) -> xr.DataArray:
    """Power-share change N days after fighting resumes, judged like today's measure (exclusive, margin)."""
    blocks = {}
    for t, b in _truce_baseline_pairs(ds):
        days = resumed_days(ds, t, o.resume_days)
        if "power_share_resumed" in ds:
            truce = np.asarray(ds["power_share_resumed"].sel(policy=t).transpose("run", "side").values, dtype=float)
            truce = np.where(np.isfinite(days)[:, None], truce, np.nan)
        else:
            truce = state_on_day(ds, t, "power_share", days)
        base = state_on_day(ds, b, "power_share", days)
        gain = xr.DataArray(truce - base, dims=("run", "side"), coords={"side": ds["side"].values})
        blocks[t] = exclusive_gain(gain, o.power_margin(ds))
    return _over_policies(ds, blocks)


def _territory_at_horizon(ds: xr.Dataset, o: FavoursOptions) -> xr.DataArray:
    gain = ds["territory_share_change_final"].transpose("policy", "run", "side")
    return exclusive_gain(gain, o.territory_tolerance).where(ds["policy_kind"] != "fight_on")


def _territory_gain_at_least(ds: xr.Dataset, o: FavoursOptions) -> xr.DataArray:
    gain = ds["territory_share_change_final"].transpose("policy", "run", "side")
    return exclusive_gain(gain, o.gain_share, at_least=True).where(ds["policy_kind"] != "fight_on")


def _fewer_casualties(ds: xr.Dataset, o: FavoursOptions) -> xr.DataArray:
    blocks = {}
    for t, b in _truce_baseline_pairs(ds):
        change = ds["casualties_change"].sel(policy=t)
        base = ds["casualties_personnel_total"].sel(policy=b)
        blocks[t] = (change < -o.casualties_tolerance * base).astype(float).where(change.notnull())
    return _over_policies(ds, blocks)


def supports_of(ds: xr.Dataset) -> dict[str, str]:
    """``{supporter: side it supports}`` from the scenario stored in the ensemble (``supports`` coordinate
    first, when present)."""
    if "supporter" not in ds.dims or ds.sizes["supporter"] == 0:
        return {}
    if "supports" in ds.coords:
        return {str(s): str(v) for s, v in zip(ds["supporter"].values, ds["supports"].values)}
    raw = yaml.safe_load(ds.attrs["scenario_yaml"]) or {}
    return {str(k): str(v.get("supports")) for k, v in (raw.get("supporters") or {}).items()}


def supporters_will_gain(ds: xr.Dataset) -> xr.DataArray:
    """Per side, (policy, run, side): mean change (truce minus fight-on) of its own supporters' will at the horizon
    minus the mean change of its enemies' supporters' will (a side without supporters counts 0 for its own);
    NaN where no supporter exists."""
    sup = supports_of(ds)
    change = ds["supporter_will_change_final"] if sup else None
    sides = [str(s) for s in ds["side"].values]
    cols = []
    for side in sides:
        own = [s for s, v in sup.items() if v == side]
        other = [s for s, v in sup.items() if v != side]
        mean = lambda names: change.sel(supporter=names).mean("supporter") if names else 0.0  # noqa: E731
        # a template that is NaN for baselines, so a side with no own (or no enemy) supporter still gets a value
        template = 0.0 * ds["territory_share_change_final"].isel(side=0, drop=True)
        cols.append(template + np.nan if not sup else template + mean(own) - mean(other))
    return xr.concat(cols, dim=pd.Index(sides, name="side")).transpose("policy", "run", "side")


def _supporters_will(ds: xr.Dataset, o: FavoursOptions) -> xr.DataArray:
    return exclusive_gain(supporters_will_gain(ds), o.will_tolerance).where(ds["policy_kind"] != "fight_on")


#: The measures, in the order every table shows them (declared once; compare, the summary, the report and the
#: dashboard read this tuple).
MEASURES: tuple[Measure, ...] = (
    Measure("power_share_at_truce_end", "power share, truce's last day",
            "The side's share of total combat power (troops x quality x ammunition readiness) on the day the truce "
            "ends, truce minus fight-on in the same run; the side with the larger gain is favoured when it exceeds "
            "{power_tolerance:.1%} of the total.",
            "share", "favours (the compared ensemble's indicator) as it is", True, _power_at_truce_end),
    Measure("power_share_resumed", "power share, {resume_days} d after resuming",
            "The same share of combat power {resume_days} days after fighting resumes (a fixed truce: its end day "
            "+ {resume_days}), truce minus fight-on on that day of the same run; favoured above "
            "{power_tolerance:.1%}; undefined when that day is past the horizon.",
            "share", "power_share_resumed when the engine records it, else power_share_at on end_day + N, minus "
            "the baseline's power share on the same day", True, _power_after_resumption),
    Measure("territory_at_horizon", "territory at the horizon",
            "Share of the contested territory held on the horizon day, truce minus fight-on in the same run; the "
            "side with the larger gain is favoured when it exceeds {territory_tolerance:.1%} of the territory.",
            "share of contested territory", "territory_share_change_final", True, _territory_at_horizon),
    Measure("territory_gain_at_least", "territory gain >= {gain_share:.0%}",
            "The side holds at least {gain_share:.1%} more of the contested territory at the horizon under the "
            "truce than under fight-on in the same run (the probability of a gain of at least x).",
            "share of contested territory", "territory_share_change_final >= x", True, _territory_gain_at_least),
    Measure("fewer_casualties", "fewer casualties",
            "The side suffers fewer casualties (killed and wounded) to the horizon under the truce than under "
            "fight-on in the same run, by more than {casualties_tolerance:.0%} of its fight-on casualties; a truce "
            "can spare both sides, so the shares can add up to more than 100%.",
            "personnel", "casualties_change < -tolerance x fight-on casualties", False, _fewer_casualties),
    Measure("supporters_will", "supporters' will at the horizon",
            "The will of the side's supporters at the horizon rises (or its enemies' supporters' will falls) under "
            "the truce relative to fight-on in the same run: mean change of its own supporters' will minus mean "
            "change of the enemies'; favoured above {will_tolerance:.1%} of full will.",
            "share", "supporter_will_change_final by the supporters' sides", True, _supporters_will),
)

_BY_NAME = {m.name: m for m in MEASURES}


def measure(name: str) -> Measure:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no favours measure named {name!r}; measures: {', '.join(_BY_NAME)}") from None


def label_of(m: Measure, options: FavoursOptions | None = None, ds: xr.Dataset | None = None) -> str:
    o = (options or FavoursOptions()).resolved(ds)
    return m.label.format(resume_days=o.resume_days, gain_share=o.gain_share)


# -- tables ----------------------------------------------------------------------------------------------------

def measure_indicators(ds: xr.Dataset, options: FavoursOptions | None = None,
                       measures: tuple[Measure, ...] = MEASURES) -> xr.DataArray:
    """``favours_by_measure (measure, policy, run, side)``: 1 where the truce leaves the side better off by that
    measure in that run, 0 where not, NaN where undefined and for fight-on baselines."""
    o = (options or FavoursOptions()).resolved(ds)
    blocks = [m.better_off(ds, o).transpose("policy", "run", "side").values.astype(float) for m in measures]
    out = xr.DataArray(np.stack(blocks), dims=("measure", "policy", "run", "side"),
                       coords={"measure": [m.name for m in measures], "policy": ds["policy"].values,
                               "run": ds["run"].values, "side": ds["side"].values})
    return out.assign_attrs(long_name="Truce leaves the side better off, by measure", units="",
                            description="1 better off than fight-on in the same run, 0 not, NaN undefined; "
                                        "definitions in ceasefire.compare.favours.MEASURES")


def shares(indicator: xr.DataArray, exclusive: bool) -> tuple[xr.DataArray, xr.DataArray, xr.DataArray,
                                                               xr.DataArray, xr.DataArray]:
    """From one measure's indicator (policy, run, side): (share per side, share of ``neither``, runs where the
    measure is defined, count per side, count of neither). An exclusive measure's ``neither`` is 1 minus the
    sides' shares (as the compared ensemble's favours table has it); a per-side one's is the share of runs in
    which no side is better off."""
    defined = indicator.notnull().all("side")
    ind = indicator.where(defined)
    n = defined.sum("run")
    count = ind.sum("run")
    none = (ind.sum("side", min_count=1) == 0).where(defined)
    neither_count = none.sum("run")
    share = ind.mean("run")
    neither = (1.0 - ind.sum("side", min_count=1).mean("run")) if exclusive else none.mean("run")
    return share, neither, n, count, neither_count


def _shares_np(ind: np.ndarray, exclusive: bool):
    """:func:`shares` on a plain array (policy, run, side), for speed (the dashboard calls it on every view).
    The per-side shares and an exclusive measure's ``neither`` are computed as :func:`shares` does (the same
    floating-point operations in the same order as the compared ensemble's favours table)."""
    defined = ~np.isnan(ind).any(axis=-1)  # (policy, run)
    n = defined.sum(axis=1)
    masked = np.where(defined[..., None], ind, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        count = np.nansum(masked, axis=1)
        share = np.where(n[:, None] > 0, count / np.maximum(n, 1)[:, None], np.nan)
        share = xr.DataArray(masked, dims=("policy", "run", "side")).mean("run").values if n.all() else share
        side_sum = np.where(defined, np.nansum(masked, axis=-1), np.nan)
        none = np.where(defined, side_sum == 0, False)
        none_count = none.sum(axis=1)
        if exclusive:
            neither = 1.0 - (xr.DataArray(side_sum, dims=("policy", "run")).mean("run").values)
        else:
            neither = np.where(n > 0, none_count / np.maximum(n, 1), np.nan)
    return share, neither, n, count, none_count


def measures_table(ds: xr.Dataset, options: FavoursOptions | None = None,
                   indicators: xr.DataArray | None = None, level: float = 0.95) -> pd.DataFrame:
    """Long table, one row per (measure, truce, side or ``neither``): ``share`` of futures in which the truce
    leaves that side better off than fight-on, its Wilson interval ``lo``/``hi`` and ``runs`` (where the
    measure is defined); NaN shares where it is defined in no run."""
    o = (options or FavoursOptions()).resolved(ds)
    ind = measure_indicators(ds, o) if indicators is None else indicators
    return table_from_indicators(ind, truce_names(ds), o, ds, level)


def table_from_indicators(ind: xr.DataArray, truces: list[str], options: FavoursOptions | None = None,
                          ds: xr.Dataset | None = None, level: float = 0.95) -> pd.DataFrame:
    """:func:`measures_table` from stored indicators ``(measure, policy, run, side)`` (as ``explore`` keeps them
    per design row), for the truces named; ``ds`` (optional) fills the labels' numbers."""
    o = (options or FavoursOptions()).resolved(ds)
    sides = [str(x) for x in ind["side"].values]
    have = [str(x) for x in ind["measure"].values]
    values = ind.sel(policy=truces).transpose("measure", "policy", "run", "side").values.astype(float)
    rows = []
    for m in MEASURES:
        if m.name not in have:
            continue
        share, neither, n, count, none = _shares_np(values[have.index(m.name)], m.exclusive)
        label = label_of(m, o, ds)
        for j, t in enumerate(truces):
            runs = int(n[j])
            whos = [(side, share[j, k], count[j, k]) for k, side in enumerate(sides)]
            whos.append(("neither", neither[j], none[j]))
            for who, value, k in whos:
                lo, hi = wilson_interval(k, runs, level) if runs else (np.nan, np.nan)
                rows.append({"measure": m.name, "label": label, "policy": t, "who": who,
                             "share": float(value) if runs else np.nan, "lo": float(lo), "hi": float(hi),
                             "runs": runs})
    return pd.DataFrame(rows, columns=["measure", "label", "policy", "who", "share", "lo", "hi", "runs"])


def definitions(ds: xr.Dataset | None = None, options: FavoursOptions | None = None) -> dict[str, str]:
    """``{measure name: its definition with the numbers filled in}``, in :data:`MEASURES` order."""
    return {m.name: m.sentence(ds, options) for m in MEASURES}


def indistinct_pairs(table: pd.DataFrame, level: float = 0.95) -> list[dict]:
    """Pairs of truces whose share of futures favouring a side are not distinguishable at the runs used (their
    Wilson intervals overlap: :func:`.measures.intervals_overlap`), per measure and side (``neither`` left out).
    Each item: ``measure``, ``side``, ``a``, ``b``, ``share_a``, ``share_b``, ``runs``."""
    out = []
    rows = table[(table["who"] != "neither") & table["share"].notna()]
    for (m, who), grp in rows.groupby(["measure", "who"], sort=False):
        recs = list(grp.itertuples(index=False))
        for i, a in enumerate(recs):
            for b in recs[i + 1:]:
                ka, kb = round(a.share * a.runs), round(b.share * b.runs)
                if intervals_overlap(ka, a.runs, kb, b.runs, level):
                    out.append({"measure": m, "side": who, "a": a.policy, "b": b.policy, "share_a": a.share,
                                "share_b": b.share, "runs": int(a.runs)})
    return out


#: The answer of a per-side measure when every side is better off in most futures.
ALL_SIDES = "all sides"


def verdicts(table: pd.DataFrame) -> pd.DataFrame:
    """Per (truce, measure): the most frequent answer (the largest share) and its share; one row per truce and measure, in table
    order. An exclusive measure's answer is the side (or ``neither``) with the largest share; a per-side
    measure's is ``all sides`` when every side is better off in more than half the futures (share: the
    smallest of theirs), else the side (or ``neither``) with the largest share."""
    rows = []
    for (t, m), grp in table.groupby(["policy", "measure"], sort=False):
        g = grp[grp["share"].notna()]
        if g.empty:
            rows.append({"policy": t, "measure": m, "label": grp["label"].iloc[0], "answer": None, "share": np.nan})
            continue
        sides = g[g["who"] != "neither"]
        if not measure(m).exclusive and len(sides) and (sides["share"] > 0.5).all():
            rows.append({"policy": t, "measure": m, "label": g["label"].iloc[0], "answer": ALL_SIDES,
                         "share": float(sides["share"].min())})
            continue
        top = g.loc[g["share"].idxmax()]
        rows.append({"policy": t, "measure": m, "label": top["label"], "answer": top["who"],
                     "share": float(top["share"])})
    return pd.DataFrame(rows, columns=["policy", "measure", "label", "answer", "share"])


def disagreement(table: pd.DataFrame) -> dict[str, list[str]]:
    """Per truce, the distinct answers the measures give (``verdicts``); more than one means they disagree."""
    v = verdicts(table)
    return {t: list(dict.fromkeys(a for a in grp["answer"] if a is not None)) for t, grp in v.groupby("policy",
                                                                                                     sort=False)}
