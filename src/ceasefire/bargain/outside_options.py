"""Each side's outside option (its value of fighting on) from a fight-on ensemble.

For every day ``t`` of the ensemble and every run, fighting on from ``t`` to the
horizon ``H`` (the end of the run, ``t + lookahead_days`` if given, or the day a side
collapses, whichever comes first) gives a side

* its **war share**: its share of the contested territory at ``H``
  (``territory_share``, which sums to 1 over the two sides), and
* its **cost** from ``t`` to ``H``: casualties (``casualties_cumulative_personnel``),
  output lost (``gdp_index`` below its pre-war level 1, integrated to GDP-years), and
  supporters' will spent (drop of ``supporter_will_share`` of the supporters backing
  it; a rise counts as a negative cost),

converted to shares of the contested territory by an explicit, configurable exchange
rate (:class:`CostRates`). The value of war is ``war share - cost``; these feed the
Fearon range (:mod:`.fearon`; Fearon 1995, *IO* 49(3)) and ripeness (:mod:`.ripeness`).

The exchange rate is a modelling choice, not a fact: the defaults are documented
assumptions (``docs/bargaining.md``) and every report prints the rates used.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InputError


class SideRates(BaseModel):
    """How many shares of the contested territory a side would give up to avoid each cost."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    share_per_100k_casualties: float = Field(0.10, ge=0, description="territory share per 100,000 casualties")
    share_per_gdp_year: float = Field(0.25, ge=0, description="territory share per year of pre-war GDP lost")
    share_per_supporter_will: float = Field(0.20, ge=0, description="territory share per unit of supporter will")


class CostRates(BaseModel):
    """Exchange rates, a default and optional per-side overrides."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    default: SideRates = SideRates()
    sides: dict[str, SideRates] = Field(default_factory=dict)
    note: str = Field(
        "assumption: illustrative rates (10% of the contested territory per 100,000 casualties, 25% per "
        "GDP-year, 20% per unit of supporter will); no public source states such an exchange rate",
        description="Where the rates come from.")

    def for_side(self, side: str) -> SideRates:
        return self.sides.get(side, self.default)


def load_cost_rates(path: str | Path | None) -> CostRates:
    """Read :class:`CostRates` from YAML (``default:``, ``sides: {russia: {...}}``, ``note:``)."""
    if path is None:
        return CostRates()
    p = Path(path)
    if not p.is_file():
        raise InputError("rates file not found.", str(p))
    from ..scenario.load import read_yaml_file

    raw = read_yaml_file(p, "rates file") or {}
    try:
        return CostRates.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(x) for x in err["loc"])
        raise InputError(f"{loc}: {err['msg']}", str(p)) from None


REQUIRED_VARS = ("territory_share", "casualties_cumulative_personnel", "gdp_index")


def war_end_day(outcomes: xr.Dataset) -> np.ndarray | None:
    """First day any side collapses in each run (-1: none), from the engine's ``collapse_day``;
    None when the outcomes do not record collapses."""
    if "collapse_day" not in outcomes:
        return None
    cd = outcomes["collapse_day"].transpose("run", "side").values.astype(float)
    first = np.where(cd >= 0, cd, np.inf).min(axis=1)
    return np.where(np.isfinite(first), first, -1.0)


def check_trajectories(traj: xr.Dataset, side_a: str, side_b: str) -> None:
    """Raise :class:`InputError` if the ensemble lacks what the bargaining models need."""
    missing = [v for v in REQUIRED_VARS if v not in traj]
    if missing:
        raise InputError(f"the ensemble lacks variable(s) {', '.join(missing)}; needed: {', '.join(REQUIRED_VARS)}.")
    sides = [str(s) for s in traj["side"].values]
    for s in (side_a, side_b):
        if s not in sides:
            raise InputError(f"unknown side `{s}`; the ensemble has sides {', '.join(sides)}.")
    if traj.sizes.get("day", 0) < 2:
        raise InputError("the ensemble records fewer than two days; record more days to compute outside options.")


def _horizon_index(traj: xr.Dataset, lookahead_days: float | None, collapse_fraction: float,
                   collapse_day: np.ndarray | None = None) -> np.ndarray:
    """Index (run, day) of the day fighting on from each day ends in each run."""
    days = traj["day"].values.astype(float)
    n_run, n_day = traj.sizes["run"], traj.sizes["day"]
    last = np.full(n_run, n_day - 1)
    if collapse_day is not None:
        cd = np.asarray(collapse_day, dtype=float)
        idx = np.searchsorted(days, cd, side="left")  # first recorded day at or after the collapse
        last = np.where(cd >= 0, np.minimum(idx, n_day - 1), last)
    if collapse_fraction > 0 and "combat_power" in traj:
        cp = traj["combat_power"].transpose("run", "day", "side").values
        collapsed = (cp <= collapse_fraction * cp[:, :1, :]).any(axis=2)
        first = np.where(collapsed.any(axis=1), collapsed.argmax(axis=1), n_day - 1)
        last = np.minimum(last, first)
    h = np.broadcast_to(last[:, None], (n_run, n_day)).copy()
    if lookahead_days is not None:
        target = np.searchsorted(days, days + lookahead_days, side="right") - 1
        h = np.minimum(h, target[None, :])
    return np.maximum(h, np.arange(n_day)[None, :])


def outside_options(traj: xr.Dataset, side_a: str, side_b: str, *, supporters_of: dict[str, str] | None = None,
                    rates: CostRates | None = None, lookahead_days: float | None = None,
                    collapse_fraction: float = 0.0, collapse_day: np.ndarray | None = None) -> xr.Dataset:
    """Per run, day and side: war share at the horizon, costs to the horizon, and the value of war.

    ``supporters_of`` maps supporter names to the side they back (``{"west": "ukraine"}``);
    ``collapse_fraction`` ends a run's war on the first day a side's ``combat_power``
    falls to that fraction of its day-0 value (0 disables); ``collapse_day`` (per run, -1 for
    none; the engine's ``outcomes.collapse_day`` minimum over sides) ends it on that day.
    """
    check_trajectories(traj, side_a, side_b)
    rates = rates or CostRates()
    sides = [side_a, side_b]
    days = traj["day"].values.astype(float)
    h = _horizon_index(traj, lookahead_days, collapse_fraction, collapse_day)

    def at_h(arr: np.ndarray) -> np.ndarray:  # arr (run, day) -> value at each (run, day)'s horizon
        return np.take_along_axis(arr, h, axis=1)

    dt = np.diff(days, append=days[-1])  # left Riemann: the value on a day holds until the next record
    out = {k: [] for k in ("war_share", "cost_casualties_personnel", "cost_gdp_years",
                           "cost_supporter_will_share", "cost_share")}
    for s in sides:
        share = traj["territory_share"].sel(side=s).transpose("run", "day").values.astype(float)
        cas = traj["casualties_cumulative_personnel"].sel(side=s).transpose("run", "day").values.astype(float)
        gdp = traj["gdp_index"].sel(side=s).transpose("run", "day").values.astype(float)
        lost = np.concatenate([np.zeros((gdp.shape[0], 1)), np.cumsum((1.0 - gdp) * dt, axis=1)[:, :-1]], axis=1)
        will_cost = np.zeros_like(share)
        if supporters_of and "supporter_will_share" in traj:
            backers = [sup for sup, side in supporters_of.items() if side == s
                       and sup in [str(v) for v in traj["supporter"].values]]
            for sup in backers:
                will = traj["supporter_will_share"].sel(supporter=sup).transpose("run", "day").values.astype(float)
                will_cost += will - at_h(will)
        c_cas = at_h(cas) - cas
        c_gdp = (at_h(lost) - lost) / 365.0
        r = rates.for_side(s)
        cost = c_cas / 1e5 * r.share_per_100k_casualties + c_gdp * r.share_per_gdp_year \
            + will_cost * r.share_per_supporter_will
        out["war_share"].append(at_h(share))
        out["cost_casualties_personnel"].append(c_cas)
        out["cost_gdp_years"].append(c_gdp)
        out["cost_supporter_will_share"].append(will_cost)
        out["cost_share"].append(cost)
    coords = {"run": traj["run"].values, "day": traj["day"].values, "side": sides}
    ds = xr.Dataset({k: (("side", "run", "day"), np.stack(v)) for k, v in out.items()}, coords=coords)
    ds = ds.transpose("run", "day", "side")
    ds["value_share"] = ds["war_share"] - ds["cost_share"]
    ds["horizon_day"] = (("run", "day"), days[h])
    ds.attrs.update(side_a=side_a, side_b=side_b, lookahead_days=-1 if lookahead_days is None else lookahead_days,
                    rates=rates.model_dump_json())
    return ds


def belief_mask(parameters: xr.Dataset | xr.DataArray, parameter: str, op: str, quantile: float) -> np.ndarray:
    """Runs a side believes possible: those whose sampled ``parameter`` is at or above (``>=``) or at or
    below (``<=``) its ``quantile`` over the ensemble. "Ukraine is optimistic about its production" is
    ``sides.ukraine.ammunition.production_shells_per_day >= 0.5``: it believes the upper half."""
    values = parameters["value"] if isinstance(parameters, xr.Dataset) else parameters
    names = [str(n) for n in values["parameter"].values]
    if parameter not in names:
        close = [n for n in names if parameter.split(".")[-1] in n][:5]
        raise InputError(f"unknown uncertain parameter `{parameter}`" +
                         (f"; did you mean {', '.join(close)}?" if close else
                          "; only parameters given as distributions in the scenario can carry beliefs."))
    if op not in (">=", "<="):
        raise InputError(f"belief operator must be >= or <=, got {op!r}.")
    if not 0.0 <= quantile <= 1.0:
        raise InputError(f"belief quantile must be in [0, 1], got {quantile}.")
    v = values.sel(parameter=parameter).values.astype(float)
    cut = np.quantile(v, quantile)
    mask = v >= cut if op == ">=" else v <= cut
    if not mask.any():
        raise InputError(f"no run satisfies the belief {parameter} {op} quantile {quantile}.")
    return mask


def range_over_time(opts: xr.Dataset, *, band: tuple[float, float] = (0.05, 0.95),
                    optimism: dict[str, float] | None = None,
                    beliefs: dict[str, np.ndarray] | None = None) -> xr.Dataset:
    """Fearon's range for side A's share, per day, from :func:`outside_options`.

    * ``p_share``, ``cost_a_share``, ``cost_b_share``: ensemble means; ``low``/``high`` =
      ``p - c_a`` / ``p + c_b`` (Fearon 1995).
    * ``low_band``/``high_band``: the ``band`` quantiles over runs of the per-run bounds.
    * ``*_clipped``: the same bounds clipped to the pie [0, 1] (the splits that exist; a bound
      beyond it means that side's cost of fighting on exceeds the rest of the territory);
      ``nash_split`` (the symmetric Nash split) lies on the pie.
    * Each side's own beliefs: ``beliefs = {side: run mask}`` restricts the runs a side
      believes possible (:func:`belief_mask`, e.g. optimism about its production or its
      supporters' will); ``optimism = {side: q}`` makes it judge its own war share by the
      ``q``-quantile of those runs rather than their mean (0.5 = median, above 0.5 =
      optimistic). A side's costs are its mean costs over the runs it believes.
      ``belief_low`` = A's demand, ``belief_high`` = B's largest concession, ``way_out`` =
      they overlap; ``mutual_optimism`` where they do not (Fearon 1995; Blainey 1973).
    """
    a, b = opts.attrs["side_a"], opts.attrs["side_b"]
    share_a = opts["war_share"].sel(side=a, drop=True)
    share_b = opts["war_share"].sel(side=b, drop=True)
    ca = opts["cost_share"].sel(side=a, drop=True)
    cb = opts["cost_share"].sel(side=b, drop=True)
    p = share_a.mean("run")
    low, high = p - ca.mean("run"), p + cb.mean("run")
    run_low, run_high = share_a - ca, share_a + cb
    q_lo, q_hi = band
    optimism = optimism or {}
    beliefs = beliefs or {}

    def own(side: str, share: xr.DataArray, cost: xr.DataArray):
        mask = beliefs.get(side)
        if mask is not None:
            share = share.isel(run=np.flatnonzero(mask))
            cost = cost.isel(run=np.flatnonzero(mask))
        est = share.quantile(optimism[side], dim="run").drop_vars("quantile") if side in optimism else share.mean("run")
        return est, cost.mean("run")

    pa, ca_own = own(a, share_a, ca)
    pb_own, cb_own = own(b, share_b, cb)
    belief_low = pa - ca_own
    belief_high = (1.0 - pb_own) + cb_own
    ds = xr.Dataset({
        "p_share": p,
        "p_band_low": share_a.quantile(q_lo, dim="run").drop_vars("quantile"),
        "p_band_high": share_a.quantile(q_hi, dim="run").drop_vars("quantile"),
        "cost_a_share": ca.mean("run"),
        "cost_b_share": cb.mean("run"),
        "low": low,
        "high": high,
        "low_band": run_low.quantile(q_lo, dim="run").drop_vars("quantile"),
        "high_band": run_high.quantile(q_hi, dim="run").drop_vars("quantile"),
        # the pie is [0, 1]: a split cannot give a side more than all or less than none of the territory.
        # Fearon's bounds beyond it (a cost larger than the rest of the pie) are kept above; these are the
        # splits that exist. The symmetric Nash split maximises (x - d_A)(1 - x - d_B) on [0, 1]: the
        # middle of the unclipped range, clipped to the pie.
        "low_clipped": low.clip(0.0, 1.0),
        "high_clipped": high.clip(0.0, 1.0),
        "low_band_clipped": run_low.quantile(q_lo, dim="run").drop_vars("quantile").clip(0.0, 1.0),
        "high_band_clipped": run_high.quantile(q_hi, dim="run").drop_vars("quantile").clip(0.0, 1.0),
        "nash_split": ((low + high) / 2).clip(0.0, 1.0),
        "belief_low": belief_low,
        "belief_high": belief_high,
        "way_out": belief_low <= belief_high + 1e-9,
        "mutual_optimism": belief_low > belief_high + 1e-9,
    })
    ds.attrs.update(opts.attrs)
    ds.attrs["band"] = list(band)
    ds.attrs["optimism"] = str(optimism)
    ds.attrs["beliefs"] = str({k: int(np.sum(v)) for k, v in beliefs.items()})
    return ds
