"""Ripeness: a mutually hurting stalemate and a way out, per day.

Zartman, I. W. (1989), *Ripe for Resolution*, Oxford UP (2nd ed.); Zartman (2000),
"Ripeness: the hurting stalemate and beyond", in P. C. Stern & D. Druckman (eds.),
*International Conflict Resolution After the Cold War*, National Academies Press,
pp. 225-250: a conflict is ripe when both sides find themselves in a stalemate that
hurts them (a *mutually hurting stalemate*, MHS) and perceive a *way out* (a
negotiated solution both could accept).

Operational form used here, per day ``t`` of a fight-on ensemble:

* **stalemate**: the mean front drift of side A's territory share over the trailing
  ``window_days`` (on the first day: the first interval ahead) is within ``drift_tol_share_per_day`` of zero;
* **hurting**: both sides' mean casualty rates over that window exceed
  ``hurt_tol_personnel_per_day``;
* **no escalation to victory**: neither side expects to gain more than
  ``gain_tol_share`` of the territory by fighting on to the horizon (its expected war
  share at the horizon minus its current share);
* optionally, **no escalation raises a side's war value**: given the outside options of
  the same runs under an escalation (e.g. more outside aid, with common random
  numbers), neither side's expected value of war rises by more than ``gain_tol_share``;
* MHS = all of these; **way out** = the ranges computed from both sides' own beliefs
  overlap (:func:`ceasefire.bargain.outside_options.range_over_time`); **ripe** = both.

**Ripe only because the future runs out.** Fighting on is judged to the horizon, so as a
day nears it the expected gains (and costs) of fighting on shrink with the days left:
a front moving at a steady rate ``r`` share a day gives a gain of ``r * days_left``,
which falls under ``gain_tol_share`` near the end however fast the front moves (the
finite-horizon artefact docs/bargaining.md describes). Each day's expected gains are
therefore also judged on an equal outlook: scaled to the longest outlook of any day
(``gain * full_outlook_days / outlook_days``, the same rate of gain over the same
length of future; ``outlook_days`` is the mean over runs of days from that day to its
horizon). ``ripe_equal_outlook`` is ripeness with these scaled tests; ``ripe_short_outlook``
marks the days that are ripe only because few days are left (on the last recorded day
nothing is left to judge, so it is never ripe on an equal outlook).
"""

from __future__ import annotations

import numpy as np
import xarray as xr


def outlook_scale(opts: xr.Dataset) -> tuple[np.ndarray, np.ndarray]:
    """Per day: the outlook (mean over runs of days from the day to its horizon, ``opts["horizon_day"]``)
    and the factor that scales a gain over that outlook to the longest outlook of any day
    (``full / outlook``; infinite where nothing is left: a day with no outlook cannot be judged)."""
    outlook = (opts["horizon_day"] - opts["day"]).mean("run").values.astype(float)
    full = float(np.max(outlook)) if outlook.size else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(outlook > 0, full / np.where(outlook > 0, outlook, 1.0), np.inf)
    return outlook, scale


def ripeness(traj: xr.Dataset, opts: xr.Dataset, ranges: xr.Dataset, *, window_days: float = 28.0,
             drift_tol_share_per_day: float = 0.0005, hurt_tol_personnel_per_day: float = 1.0,
             gain_tol_share: float = 0.01, escalation_opts: xr.Dataset | None = None) -> xr.Dataset:
    """Daily ripeness indicators (booleans) and their ingredients.

    ``escalation_opts``: :func:`~ceasefire.bargain.outside_options.outside_options` of the same
    runs and days under an escalation; without it the escalation test is not applied.
    """
    a, b = opts.attrs["side_a"], opts.attrs["side_b"]
    days = traj["day"].values.astype(float)
    idx = np.arange(days.size)
    back = np.searchsorted(days, days - window_days, side="left")
    # on the first recorded day there is no past: use the first interval ahead instead
    start = np.where(back < idx, back, idx)
    end = np.where(back < idx, idx, np.minimum(idx + 1, days.size - 1))
    span = days[end] - days[start]
    span = np.where(span > 0, span, np.nan)

    def rate(arr: np.ndarray) -> np.ndarray:  # (run, day) -> mean over runs of per-day change over the window
        return ((arr[:, end] - arr[:, start]) / span[None, :]).mean(axis=0)

    share_a = traj["territory_share"].sel(side=a).transpose("run", "day").values.astype(float)
    drift = rate(share_a)
    cas_rate = {s: rate(traj["casualties_cumulative_personnel"].sel(side=s).transpose("run", "day").values
                        .astype(float)) for s in (a, b)}
    gain = {}
    for s in (a, b):
        now = traj["territory_share"].sel(side=s).transpose("run", "day").values.astype(float).mean(axis=0)
        gain[s] = opts["war_share"].sel(side=s).mean("run").values - now
    stalemate = np.abs(np.nan_to_num(drift, nan=np.inf)) <= drift_tol_share_per_day
    hurting = np.all([np.nan_to_num(cas_rate[s], nan=0.0) > hurt_tol_personnel_per_day for s in (a, b)], axis=0)
    no_gain = np.all([gain[s] <= gain_tol_share for s in (a, b)], axis=0)
    outlook, scale = outlook_scale(opts)
    with np.errstate(invalid="ignore"):  # 0 gain x inf scale (no outlook left) is NaN: not judged, not ripe
        no_gain_eq = np.all([gain[s] * scale <= gain_tol_share for s in (a, b)], axis=0)
    esc = {}
    no_escalation = np.ones_like(no_gain)
    no_escalation_eq = np.ones_like(no_gain)
    if escalation_opts is not None:
        for s in (a, b):
            esc[s] = (escalation_opts["value_share"].sel(side=s).mean("run").values
                      - opts["value_share"].sel(side=s).mean("run").values)
        no_escalation = np.all([esc[s] <= gain_tol_share for s in (a, b)], axis=0)
        with np.errstate(invalid="ignore"):
            no_escalation_eq = np.all([esc[s] * scale <= gain_tol_share for s in (a, b)], axis=0)
    mhs = stalemate & hurting & no_gain & no_escalation
    way_out = ranges["way_out"].values.astype(bool)
    mhs_eq = stalemate & hurting & no_gain_eq & no_escalation_eq & (outlook > 0)
    ripe_eq = mhs_eq & way_out
    dims = ("day",)
    extra = {}
    if escalation_opts is not None:
        extra = {f"escalation_gain_{a}_share": (dims, esc[a]), f"escalation_gain_{b}_share": (dims, esc[b]),
                 "no_escalation_gain": (dims, no_escalation)}
    ds = xr.Dataset({
        **extra,
        "front_drift_share_per_day": (dims, drift),
        f"casualty_rate_{a}_personnel_per_day": (dims, cas_rate[a]),
        f"casualty_rate_{b}_personnel_per_day": (dims, cas_rate[b]),
        f"expected_gain_{a}_share": (dims, gain[a]),
        f"expected_gain_{b}_share": (dims, gain[b]),
        "stalemate": (dims, stalemate),
        "hurting": (dims, hurting),
        "no_escalation_to_victory": (dims, no_gain),
        "mutually_hurting_stalemate": (dims, mhs),
        "way_out": (dims, way_out),
        "ripe": (dims, mhs & way_out),
        "outlook_days": (dims, outlook),
        "mutually_hurting_stalemate_equal_outlook": (dims, mhs_eq),
        "ripe_equal_outlook": (dims, ripe_eq),
        "ripe_short_outlook": (dims, mhs & way_out & ~ripe_eq),
    }, coords={"day": traj["day"].values})
    ds.attrs.update(side_a=a, side_b=b, window_days=window_days, drift_tol_share_per_day=drift_tol_share_per_day,
                    hurt_tol_personnel_per_day=hurt_tol_personnel_per_day, gain_tol_share=gain_tol_share)
    return ds
