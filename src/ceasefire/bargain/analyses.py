"""Bargaining analyses of an ensemble, as data: the range and ripeness over time, and whether a truce holds.

Pure functions of the engine's ensembles (a fight-on :class:`~ceasefire.engine.Results`,
a compared ensemble, :mod:`ceasefire.compare`) returning JSON-ready dictionaries and
the arrays the figures draw; ``ceasefire bargain range`` and ``bargain truce`` parse
their options, call these and print. Units: shares of the contested territory held by
``side_a``; costs are converted to territory shares by the cost exchange rates.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import xarray as xr

from ..compare.measures import favours_table
from ..errors import InputError
from .battle_chain import fit_battle_chain, win_probability
from .commitment import commitment_war_condition, per_period_discount
from .outside_options import outside_options, range_over_time, war_end_day
from .ripeness import ripeness


def _r(x: float, nd: int = 4) -> float | None:
    """Rounded float for JSON; None for NaN or infinity (JSON has neither)."""
    v = float(x)
    return float(round(v, nd)) if math.isfinite(v) else None


@dataclass
class RangeAnalysis:
    """The bargaining range over time: ``payload`` (JSON-ready; ``payload["days"]`` one row per
    recorded day), and the range and ripeness datasets the figure draws."""

    payload: dict
    range: xr.Dataset
    ripeness: xr.Dataset


def range_analysis(scenario, res, a: str, b: str, *, rates, optimism: dict[str, float] | None = None,
                   beliefs: dict[str, np.ndarray] | None = None, belief_texts: list[str] | None = None,
                   lookahead_days: float | None = None, window_days: float = 28.0, drift_tol: float = 0.0005,
                   gain_tol: float = 0.01, escalation_aid: float | None = None, esc_opts: xr.Dataset | None = None
                   ) -> RangeAnalysis:
    """Fearon's range with its band, the range under the sides' beliefs, ripeness (Zartman) and the
    battle chain (Slantchev 2003), day by day, from a fight-on ensemble ``res`` of ``scenario``.

    ``esc_opts`` are the outside options under escalated aid (:func:`escalation_options`) for the
    ripeness test "no escalation to victory"; ``escalation_aid`` is its aid level, for the record.
    """
    opt, masks, belief = dict(optimism or {}), dict(beliefs or {}), list(belief_texts or [])
    supporters_of = {n: s.supports for n, s in scenario.supporters.items()}
    traj = res.trajectories
    opts = outside_options(traj, a, b, supporters_of=supporters_of, rates=rates, lookahead_days=lookahead_days,
                           collapse_day=war_end_day(res.outcomes))
    rng = range_over_time(opts, optimism=opt, beliefs=masks)
    rp = ripeness(traj, opts, rng, window_days=window_days, drift_tol_share_per_day=drift_tol, gain_tol_share=gain_tol,
                  escalation_opts=esc_opts)
    chain = fit_battle_chain(traj["territory_share"].sel(side=a).transpose("run", "day").values,
                             traj["day"].values)
    days = rng["day"].values
    dates = traj["date"].values if "date" in traj.coords else None
    rows = []
    for k, d in enumerate(days):
        rows.append({
            "day": int(d),
            "date": str(dates[k])[:10] if dates is not None else None,
            f"p_{a}_share": _r(rng["p_share"][k]),
            "low": _r(rng["low"][k]), "high": _r(rng["high"][k]),
            "low_band": _r(rng["low_band"][k]), "high_band": _r(rng["high_band"][k]),
            "low_clipped": _r(rng["low_clipped"][k]), "high_clipped": _r(rng["high_clipped"][k]),
            "low_band_clipped": _r(rng["low_band_clipped"][k]), "high_band_clipped": _r(rng["high_band_clipped"][k]),
            f"cost_{a}_share": _r(rng["cost_a_share"][k]), f"cost_{b}_share": _r(rng["cost_b_share"][k]),
            "nash_split": _r(rng["nash_split"][k]),
            f"demand_{a}": _r(rng["belief_low"][k]), f"concession_{b}": _r(rng["belief_high"][k]),
            f"battle_chain_win_probability_{a}": _r(win_probability(
                chain.battle_win_probability,
                int(np.clip(np.rint(float(traj["territory_share"].sel(side=a).isel(day=k).mean()) * chain.n_steps),
                            0, chain.n_steps)), chain.n_steps)),
            "front_drift_share_per_day": _r(rp["front_drift_share_per_day"][k], 6),
            "stalemate": bool(rp["stalemate"][k]), "hurting": bool(rp["hurting"][k]),
            "no_escalation_to_victory": bool(rp["no_escalation_to_victory"][k]),
            **({"no_escalation_gain": bool(rp["no_escalation_gain"][k]),
                f"escalation_gain_{a}_share": _r(rp[f"escalation_gain_{a}_share"][k]),
                f"escalation_gain_{b}_share": _r(rp[f"escalation_gain_{b}_share"][k])} if esc_opts is not None else {}),
            "mutually_hurting_stalemate": bool(rp["mutually_hurting_stalemate"][k]),
            "way_out": bool(rp["way_out"][k]), "ripe": bool(rp["ripe"][k]),
            "outlook_days": _r(rp["outlook_days"][k], 1),
            "mutually_hurting_stalemate_equal_outlook": bool(rp["mutually_hurting_stalemate_equal_outlook"][k]),
            "ripe_equal_outlook": bool(rp["ripe_equal_outlook"][k]),
            "ripe_short_outlook": bool(rp["ripe_short_outlook"][k]),
        })
    ripe_days = [r["day"] for r in rows if r["ripe"]]
    robust_days = [r["day"] for r in rows if r["ripe_equal_outlook"]]
    short_days = [r["day"] for r in rows if r["ripe_short_outlook"]]
    payload = {
        "scenario": scenario.name, "runs": int(traj.sizes["run"]), "side_a": a, "side_b": b,
        "units": "shares of the contested territory held by side_a; costs converted by the rates below",
        "horizon": "end of the run or the day a side collapses" if lookahead_days is None
        else f"{lookahead_days:g} days ahead (or the end/collapse)",
        "rates": json.loads(rates.model_dump_json()), "optimism": opt, "beliefs": list(belief or []),
        "runs_believed": {k: int(v.sum()) for k, v in masks.items()},
        "ripeness_settings": {"window_days": window_days, "drift_tol_share_per_day": drift_tol, "gain_tol_share": gain_tol,
                              "escalation_aid_level": escalation_aid},
        "battle_chain": {"battle_win_probability": _r(chain.battle_win_probability), "position_steps": chain.position_steps,
                         "n_steps": chain.n_steps, "step_days": _r(chain.step_days, 2),
                         f"win_probability_{a}": _r(chain.win_probability),
                         "expected_battles": _r(chain.expected_battles, 2),
                         "expected_duration_days": _r(chain.expected_duration_days, 1)},
        "definitions": {
            "range": "Fearon (1995): the splits of the contested territory both sides prefer to fighting on, "
                     "[p - c_a, p + c_b]; *_clipped are its bounds on the pie [0, 1] (a bound beyond it means that "
                     "side's cost of fighting on exceeds the rest of the territory)",
            "mutually_hurting_stalemate": "MHS (Zartman 1989): the front has stopped, both sides take losses, and "
                                          "neither expects to gain by fighting on or escalating",
            "ripe": "an MHS with a way out (the ranges from both sides' own beliefs overlap)",
            "ripe_short_outlook": "ripe only because few days are left to the horizon: judged over an outlook as "
                                  "long as the longest day's (the same rate of gain), the day is not ripe",
        },
        # the first day ripe on an equal outlook: ripeness that comes only from the horizon nearing is not
        # ripeness (expected gains shrink with the days left); those days are counted apart
        "first_ripe_day": robust_days[0] if robust_days else None,
        "ripe_days": len(robust_days),
        "ripe_days_short_outlook": len(short_days),
        "first_ripe_day_short_outlook": short_days[0] if short_days else None,
        "ripe_days_any_outlook": len(ripe_days),
        "mutual_optimism_days": int(rng["mutual_optimism"].sum()),
        "days": rows,
    }
    return RangeAnalysis(payload, rng, rp)


def escalation_options(scenario, res, aid_level: float, a: str, b: str, supporters_of, rates, lookahead_days,
                        record_every: int):
    """Outside options of the same runs (common random numbers) with every supporter's aid scaled
    by ``aid_level`` (a second fight-on ensemble)."""
    from ..engine import simulate
    from ..scenario.policies import make_policy

    runs = res.trajectories.sizes["run"]
    offset = int(res.trajectories["run"].values[0])
    esc = simulate(scenario, make_policy("fight_on", aid_level=aid_level, where="--escalation-aid"),
                   runs=runs, seed=res.seed if res.seed >= 0 else 0, run_offset=offset,
                   record_every_days=int(np.diff(res.trajectories["day"].values[:2])[0]) if
                   res.trajectories.sizes["day"] > 1 else record_every)
    if esc.trajectories.sizes["day"] != res.trajectories.sizes["day"]:
        raise InputError("the escalation ensemble records different days from the stored one; rerun from the scenario.")
    return outside_options(esc.trajectories, a, b, supporters_of=supporters_of, rates=rates,
                           lookahead_days=lookahead_days, collapse_day=war_end_day(esc.outcomes))


@dataclass
class TruceAnalysis:
    """A truce's commitment problem: ``payload`` (JSON-ready), and per run the declining side's
    expected territory share under fight-on and the truce, and whether war pays (Powell 2006)."""

    payload: dict
    declining: str
    p_fight: np.ndarray
    p_truce: np.ndarray
    war_per_run: np.ndarray


def resume_rule_analysis(ds, pol, ruled, side: str, war_per_run: np.ndarray) -> dict:
    """The resume rule of ``side`` (policy ``ruled``: ``pol`` plus the rule, same runs) next to the
    per-run formal commitment test: how often and when the rule fires, and how often both agree."""
    from .commitment import rule_against_formal_test

    r = ds.sel(policy=ruled.name)
    fired = r["resumed_by_rule"].sel(side=side).values.astype(float) > 0.5
    end = r["truce_end_day"].values.astype(float)
    after = end[fired] - r["truce_start_day"].values.astype(float)[fired]
    rule = ruled.resume_rule[side]
    return {
        "policy": ruled.name, "side": side,
        "rule": {"gain_share": rule.gain_share, "level_share": rule.level_share},
        "definition": (f"{side} resumes on the first truce day its power share exceeds its share on the truce's "
                       "first day by more than gain_share (or exceeds level_share); the formal test is Powell's "
                       "per-run commitment condition above"),
        "share_of_runs_rule_fired": _r(fired.mean()),
        "days_into_truce_when_fired": {"median": _r(np.median(after)) if len(after) else None,
                                       "p10": _r(np.quantile(after, 0.1)) if len(after) else None,
                                       "p90": _r(np.quantile(after, 0.9)) if len(after) else None},
        "against_formal_test": {k: _r(v) for k, v in rule_against_formal_test(fired, war_per_run).items()},
        "favours_share_of_runs_with_rule": {k: _r(v) for k, v in _fav_row(ds, ruled.name).items()},
    }


def _fav_row(ds, name: str) -> dict:
    fav = favours_table(ds)
    row = fav[fav["policy"] == name]
    return {k: v for k, v in row.iloc[0].to_dict().items() if k != "policy"} if len(row) else {}


def truce_analysis(scenario, ds, pol, a: str, b: str, *, rates, discount_rate: float) -> TruceAnalysis:
    """Is the truce ``pol`` self-enforcing? The power shift it causes in the compared ensemble ``ds``
    against Powell's (2006) commitment condition, one period being the truce's length."""
    start, days, seed = pol.start_day, pol.days, int(ds.attrs["seed"])
    fight = ds.sel(policy=str(ds["baseline"].sel(policy=pol.name).values))  # fight-on at the truce's aid levels
    runs = int(ds.sizes["run"])
    truce = ds.sel(policy=pol.name)
    p_fight = {s: fight["territory_share_final"].sel(side=s).values.astype(float) for s in (a, b)}
    p_truce = {s: truce["territory_share_final"].sel(side=s).values.astype(float) for s in (a, b)}
    drop = {s: float(p_fight[s].mean() - p_truce[s].mean()) for s in (a, b)}
    declining = max((a, b), key=lambda s: drop[s])
    rising = b if declining == a else a
    # cost of fighting for one period (the truce's length) from the start day, under fight-on
    opts = outside_options(fight, a, b, supporters_of={n: s.supports for n, s in scenario.supporters.items()},
                           rates=rates, lookahead_days=days, collapse_day=war_end_day(fight))
    day_idx = int(np.searchsorted(opts["day"].values, start, side="left"))
    day_idx = min(day_idx, opts.sizes["day"] - 1)
    cost = {s: opts["cost_share"].sel(side=s).isel(day=day_idx).values.astype(float) for s in (a, b)}
    delta = per_period_discount(discount_rate, days)
    mean_res = commitment_war_condition(
        float(np.clip(p_fight[declining].mean(), 0, 1)), float(np.clip(p_truce[declining].mean(), 0, 1)), delta,
        max(float(cost[declining].mean()), 0.0), max(float(cost[rising].mean()), 0.0))
    per_run = np.array([
        commitment_war_condition(float(np.clip(p_fight[declining][i], 0, 1)), float(np.clip(p_truce[declining][i], 0, 1)),
                                 delta, max(float(cost[declining][i]), 0.0), max(float(cost[rising][i]), 0.0)).war
        for i in range(len(p_fight[declining]))
    ])
    paired = truce
    fav = favours_table(ds)
    fav_row = fav[fav["policy"] == pol.name].iloc[0].to_dict() if len(fav) else {}
    d_terr = paired["territory_share_change_final"].sel(side=declining).values.astype(float)
    power_now = {sd: float(fight["power_share_at"].sel(snapshot_day=start, side=sd).mean()) for sd in (a, b)}
    weaker = min((a, b), key=lambda sd: power_now[sd])
    fav_weaker = float(fav_row.get(weaker, float("nan")))
    payload = {
        "scenario": scenario.name, "runs": runs, "seed": seed, "truce": {"start_day": start, "days": days},
        "declining_side": declining, "rising_side": rising,
        "power_share_at_start": {sd: _r(v) for sd, v in power_now.items()}, "weaker_now_side": weaker,
        "weaker_now_side_can_credibly_commit": bool(not (weaker == rising and mean_res.war)),
        "kofman_claim": {
            "claim": "a truce benefits the side weaker now most, which then resumes the war (Kofman, CNN seed)",
            "formal": bool(weaker == rising and mean_res.war),
            "formal_reading": f"weaker-now side {weaker} {'is' if weaker == rising else 'is not'} the side the truce "
                              f"strengthens, and the shift {'exceeds' if mean_res.war else 'does not exceed'} the cost "
                              "of war",
            "simulation_share_of_runs_truce_favours_weaker_now_side": _r(fav_weaker),
        },
        "formal": {
            "model": "Powell (2006) one-period power shift; period = the truce's length",
            "p_now": _r(mean_res.p_now), "p_later": _r(mean_res.p_later), "discount_per_period": _r(delta),
            "cost_declining_share_per_period": _r(mean_res.cost_declining),
            "cost_rising_share_per_period": _r(mean_res.cost_rising),
            "discounted_shift": _r(mean_res.discounted_shift), "cost_of_war": _r(mean_res.cost_of_war),
            "war": mean_res.war, "share_of_runs_war": _r(per_run.mean()),
            "reading": (f"{rising} cannot credibly commit to terms that compensate {declining} for the shift: "
                        f"a truce is not self-enforcing and war resumes (or {declining} rejects it)")
            if mean_res.war else
            (f"the shift is smaller than the cost of war: {rising} can credibly commit and a settlement "
             "reached now can hold"),
        },
        "simulation": {
            "definition": ds.attrs["favours_definition"],
            "favours_share_of_runs": {k: _r(v) for k, v in fav_row.items() if k != "policy"},
            f"territory_share_final_{declining}_fight_on": _r(p_fight[declining].mean()),
            f"territory_share_final_{declining}_truce": _r(p_truce[declining].mean()),
            f"share_of_runs_{declining}_worse_off_after_truce": _r(np.mean(d_terr < 0)),
            "power_share_change_at_truce_end": {s: _r(paired["power_share_change_at_truce_end"].sel(side=s).mean())
                                                for s in (a, b)},
        },
        "rates": json.loads(rates.model_dump_json()), "discount_rate_per_year": discount_rate,
    }
    return TruceAnalysis(payload, declining, np.clip(p_fight[declining], 0, 1), np.clip(p_truce[declining], 0, 1),
                         per_run)
