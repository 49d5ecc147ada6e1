"""``ceasefire bargain``: bargaining range and ripeness, truce commitment, settlements.

* ``range SCENARIO``: outside options from a fight-on ensemble, Fearon's range over time
  with its band, the ranges from each side's beliefs, ripeness, and the battle chain.
* ``truce SCENARIO --start D --days N``: the power shift a truce causes (engine's paired
  comparison) and Powell's commitment condition, next to the simulation's own answer.
* ``settle ACTORS``: predicted terms on every issue by several models side by side.

``SCENARIO`` is a scenario YAML (the ensemble is simulated) or, for ``range``, a
results file written by ``ceasefire run --out`` (NetCDF).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Optional

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from ..errors import InputError

app = typer.Typer(
    name="bargain",
    help="Bargaining models: when a deal is possible (range, ripeness), whether a truce can hold, and on what terms.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


# -- helpers ----------------------------------------------------------------------------
def _console() -> Console:
    return Console(width=160, markup=False, emoji=False)  # actor, issue and source text printed as written


def _sides(scenario, side_a: Optional[str], side_b: Optional[str]) -> tuple[str, str]:
    names = scenario.side_names
    a = side_a or names[0]
    b = side_b or next(s for s in names if s != a)
    for flag, s in (("--side-a", a), ("--side-b", b)):
        if s not in names:
            raise InputError(f"{flag} {s!r}: unknown side; the scenario's sides are {', '.join(names)}.")
    if a == b:
        raise InputError("--side-a and --side-b must differ.")
    return a, b


def _optimism(items: list[str] | None, sides: tuple[str, str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for text in items or []:
        side, sep, q = text.partition("=")
        try:
            val = float(q)
        except ValueError:
            val = math.nan
        if not sep or side not in sides or not 0.0 < val < 1.0:
            raise InputError(f"--optimism {text!r}: write SIDE=Q with SIDE one of {', '.join(sides)} and 0 < Q < 1 "
                             "(the quantile of the ensemble the side believes; 0.5 neutral, above 0.5 optimistic).")
        out[side] = val
    return out


def _beliefs(items: list[str] | None, sides: tuple[str, str], parameters) -> dict[str, np.ndarray]:
    """Parse ``SIDE:PARAMETER>=Q`` / ``SIDE:PARAMETER<=Q`` into run masks (several per side are ANDed)."""
    import re

    from .outside_options import belief_mask

    masks: dict[str, np.ndarray] = {}
    for text in items or []:
        m = re.fullmatch(r"\s*([a-z0-9_]+)\s*:\s*([A-Za-z0-9_.]+)\s*(>=|<=)\s*([0-9.]+)\s*", text)
        if not m or m.group(1) not in sides:
            raise InputError(f"--belief {text!r}: write SIDE:PARAMETER>=Q or SIDE:PARAMETER<=Q with SIDE one of "
                             f"{', '.join(sides)}, PARAMETER a dotted path of an uncertain scenario value and Q a "
                             "quantile in [0, 1] (the side believes the parameter lies above/below it).")
        try:
            mask = belief_mask(parameters, m.group(2), m.group(3), float(m.group(4)))
        except InputError as err:
            raise InputError(f"--belief {text!r}: {err}") from None
        side = m.group(1)
        masks[side] = mask if side not in masks else (masks[side] & mask)
        if not masks[side].any():
            raise InputError(f"--belief {text!r}: together with the side's other beliefs no run remains.")
    return masks




def _check_runs(runs: int, seed: int) -> None:
    from ..cli_options import check_common

    check_common(runs, seed, min_runs=2)



def _load_fight_on(path: Path, runs: int, seed: int, record_every: int):
    """(scenario, Results) of a fight-on ensemble: simulated from YAML or reopened from NetCDF."""
    if path.suffix.lower() in (".nc", ".nc4", ".h5"):
        from ..engine import Results

        from ..netcdf import check_trajectories
        from .outside_options import REQUIRED_VARS

        res = Results.open(path)
        check_trajectories(res.trajectories, path, REQUIRED_VARS, min_days=2)
        if res.policy.kind != "fight_on":
            raise InputError(f"{path}: the stored ensemble is policy {res.policy.name!r}; the range needs a fight-on "
                             "ensemble (ceasefire run SCENARIO --policy fight_on --out FILE).")
        return res.scenario, res
    from ..engine import simulate
    from ..scenario import Policy, load_scenario

    from ..cli_options import check_common, check_ensemble_memory

    scenario = load_scenario(path)
    check_common(runs, seed, record_every, scenario.horizon_days, min_runs=2)
    check_ensemble_memory(scenario, runs, record_every)
    res = simulate(scenario, Policy(name="fight_on", kind="fight_on"), runs=runs, seed=seed,
                   record_every_days=record_every)
    return scenario, res


def _escalation_options(scenario, res, aid_level: float, a: str, b: str, supporters_of, rates, lookahead_days,
                        record_every: int):
    """Outside options of the same runs (common random numbers) with every supporter's aid scaled."""
    from ..engine import simulate
    from ..scenario import Policy
    from .outside_options import outside_options, war_end_day

    if not 0.0 <= aid_level <= 5.0:
        raise InputError(f"--escalation-aid must be between 0 and 5 (a multiple of the supporters' aid), got {aid_level}.")
    runs = res.trajectories.sizes["run"]
    offset = int(res.trajectories["run"].values[0])
    esc = simulate(scenario, Policy(name=f"fight_on_aid{aid_level:g}", kind="fight_on", aid_level=aid_level),
                   runs=runs, seed=res.seed if res.seed >= 0 else 0, run_offset=offset,
                   record_every_days=int(np.diff(res.trajectories["day"].values[:2])[0]) if
                   res.trajectories.sizes["day"] > 1 else record_every)
    if esc.trajectories.sizes["day"] != res.trajectories.sizes["day"]:
        raise InputError("the escalation ensemble records different days from the stored one; rerun from the scenario.")
    return outside_options(esc.trajectories, a, b, supporters_of=supporters_of, rates=rates,
                           lookahead_days=lookahead_days, collapse_day=war_end_day(esc.outcomes))


def _num(v, spec: str = ".3f") -> str:
    """A table cell: the number, or n/a where it is undefined (None: too few recorded days for a trailing window)."""
    return "n/a" if v is None else format(v, spec)


def _check_out(out: Optional[Path], name: str, force: bool) -> None:
    """Check --out before any work: a writable directory not already holding NAME.json/NAME.png (or --force)."""
    from ..outputs import check_out

    check_out(out, "dir", force, contents=[f"{name}.json", f"{name}.png"])


def _write_out(out: Optional[Path], name: str, payload: dict, fig) -> list[str]:
    from ..outputs import atomic_write, write_text

    written = []
    if out is not None:
        write_text(out / f"{name}.json", json.dumps(payload, indent=2, default=_jsonable))
        written.append(str(out / f"{name}.json"))
        if fig is not None:
            with atomic_write(out / f"{name}.png") as tmp:
                fig.savefig(tmp, dpi=120, format="png")
            written.append(str(out / f"{name}.png"))
    if fig is not None:
        import matplotlib.pyplot as plt

        plt.close(fig)
    return written


def _jsonable(v):
    if isinstance(v, (np.floating, np.integer)):
        return v.item()
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, np.ndarray):
        return v.tolist()
    return str(v)


def _r(x: float, nd: int = 4) -> float | None:
    """Rounded float for JSON; None for NaN or infinity (JSON has neither)."""
    v = float(x)
    return float(round(v, nd)) if math.isfinite(v) else None


# -- range ------------------------------------------------------------------------------
@app.command("range")
def range_cmd(
    scenario_path: Path = typer.Argument(..., metavar="SCENARIO", help="Scenario YAML, or a fight-on results NetCDF"),
    runs: int = typer.Option(1000, "--runs", "-n", help="Runs in the fight-on ensemble"),
    seed: int = typer.Option(0, "--seed", help="Seed of the ensemble"),
    side_a: Optional[str] = typer.Option(None, "--side-a", help="Side whose share the range is about (default: first side)"),
    side_b: Optional[str] = typer.Option(None, "--side-b", help="The other side (default: second side)"),
    lookahead_days: Optional[float] = typer.Option(None, "--lookahead-days", help="Fight on this many days from each day instead of to the horizon"),
    rates_path: Optional[Path] = typer.Option(None, "--rates", help="YAML of cost exchange rates (see docs/bargaining.md)"),
    optimism: Optional[list[str]] = typer.Option(None, "--optimism", help="SIDE=Q: the side judges its war share by the Q-quantile of the ensemble (repeatable)"),
    belief: Optional[list[str]] = typer.Option(None, "--belief", help="SIDE:PARAMETER>=Q: the side believes an uncertain parameter lies above its Q-quantile, e.g. ukraine:supporters.west.will_share>=0.5 (repeatable)"),
    window_days: float = typer.Option(28.0, "--window-days", help="Trailing window for front drift and casualty rates"),
    drift_tol: float = typer.Option(0.0005, "--drift-tol", help="Stalemate: |front drift| below this share per day"),
    gain_tol: float = typer.Option(0.01, "--gain-tol", help="No road to victory: expected gain to the horizon below this share"),
    escalation_aid: Optional[float] = typer.Option(None, "--escalation-aid", help="Ripeness: also require that raising every supporter's aid to this multiple (e.g. 1.5) raises neither side's war value (runs a second ensemble)"),
    every_days: int = typer.Option(28, "--every", help="Table rows every this many days"),
    record_every: int = typer.Option(7, "--record-every", help="Keep the state every this many days"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Directory for range.json and range.png"),
    force: bool = typer.Option(False, "--force", help="Replace range.json and range.png in --out"),
) -> None:
    """Bargaining range and ripeness over time, from a fight-on ensemble."""
    from .battle_chain import fit_battle_chain, win_probability
    from .outside_options import load_cost_rates, outside_options, range_over_time, war_end_day
    from .plots import range_figure
    from .ripeness import ripeness

    _check_out(out, "range", force)
    from ..cli_options import check_finite

    for name, v in (("--window-days", window_days), ("--drift-tol", drift_tol), ("--gain-tol", gain_tol),
                    ("--lookahead-days", lookahead_days), ("--escalation-aid", escalation_aid)):
        if v is not None:
            check_finite(v, name)
    if every_days < 1:
        raise InputError(f"--every must be at least 1 day, got {every_days}.")
    if lookahead_days is not None and lookahead_days <= 0:
        raise InputError(f"--lookahead-days must be positive, got {lookahead_days}.")
    if window_days <= 0:
        raise InputError(f"--window-days must be positive, got {window_days}.")
    if drift_tol < 0 or gain_tol < 0:
        raise InputError("--drift-tol and --gain-tol must not be negative.")
    if escalation_aid is not None and not 0.0 <= escalation_aid <= 5.0:
        raise InputError(f"--escalation-aid must be between 0 and 5 (a multiple of the supporters' aid), got {escalation_aid}.")
    rates = load_cost_rates(rates_path)
    scenario, res = _load_fight_on(scenario_path, runs, seed, record_every)
    a, b = _sides(scenario, side_a, side_b)
    opt = _optimism(optimism, (a, b))
    masks = _beliefs(belief, (a, b), res.parameters)
    supporters_of = {n: s.supports for n, s in scenario.supporters.items()}
    traj = res.trajectories
    opts = outside_options(traj, a, b, supporters_of=supporters_of, rates=rates, lookahead_days=lookahead_days,
                           collapse_day=war_end_day(res.outcomes))
    rng = range_over_time(opts, optimism=opt, beliefs=masks)
    esc_opts = None
    if escalation_aid is not None:
        esc_opts = _escalation_options(scenario, res, escalation_aid, a, b, supporters_of, rates, lookahead_days,
                                       record_every)
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
        })
    ripe_days = [r["day"] for r in rows if r["ripe"]]
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
        "first_ripe_day": ripe_days[0] if ripe_days else None,
        "ripe_days": len(ripe_days),
        "mutual_optimism_days": int(rng["mutual_optimism"].sum()),
        "days": rows,
    }
    fig = None if out is None else range_figure(  # drawn only to be written (as `truce` does)
        rng, rp, title=f"{scenario.name}: bargaining range for {a}'s share ({traj.sizes['run']} runs)")
    written = _write_out(out, "range", payload, fig)
    if as_json:
        typer.echo(json.dumps(payload, default=_jsonable))
        return
    con = _console()
    t = Table(title=f"Bargaining range for {a}'s share of the contested territory ({payload['runs']} runs; "
                    f"horizon: {payload['horizon']})")
    for col in ("day", "date", f"E({a} share)", "range", "90% band", f"cost {a}", f"cost {b}",
                "beliefs range", "drift/day", "MHS", "way out", "ripe"):
        t.add_column(col, justify="right")
    shown = [r for r in rows if r["day"] % every_days == 0 or r is rows[-1]]
    for r in shown:
        t.add_row(str(r["day"]), r["date"] or "", _num(r[f"p_{a}_share"]), f"[{_num(r['low'])}, {_num(r['high'])}]",
                  f"[{_num(r['low_band'])}, {_num(r['high_band'])}]", _num(r[f"cost_{a}_share"]),
                  _num(r[f"cost_{b}_share"]), f"[{_num(r[f'demand_{a}'])}, {_num(r[f'concession_{b}'])}]",
                  _num(r["front_drift_share_per_day"], "+.5f"), "yes" if r["mutually_hurting_stalemate"] else "",
                  "yes" if r["way_out"] else "no", "RIPE" if r["ripe"] else "")
    con.print(t)
    bc = payload["battle_chain"]
    con.print(f"Battle chain (Slantchev 2003): {a} wins a battle with q = {bc['battle_win_probability']:.3f}; front at "
              f"step {bc['position_steps']} of {bc['n_steps']}; P({a} wins) = {bc[f'win_probability_{a}']:.3f}; "
              f"expected {bc['expected_battles']:.1f} battles"
              + (f" ~ {bc['expected_duration_days']:.0f} days." if bc["expected_duration_days"] is not None else "."))
    con.print(f"Ripe on {len(ripe_days)} of {len(rows)} recorded days" +
              (f", first on day {ripe_days[0]}." if ripe_days else "."),
              f"Mutual optimism (no deal under the sides' own beliefs) on {payload['mutual_optimism_days']} days.")
    con.print(f"Costs converted with: {rates.note}.", style="dim")
    for w in written:
        con.print(f"wrote {w}", style="dim")


# -- truce ------------------------------------------------------------------------------
@app.command("truce")
def truce_cmd(
    scenario_path: Path = typer.Argument(..., metavar="SCENARIO", help="Scenario YAML"),
    start: int = typer.Option(0, "--start", help="First day of the truce (days from the scenario start)"),
    days: int = typer.Option(180, "--days", help="Length of the truce in days"),
    runs: int = typer.Option(1000, "--runs", "-n", help="Runs per policy (common random numbers)"),
    seed: int = typer.Option(0, "--seed", help="Seed"),
    discount_rate: float = typer.Option(0.10, "--discount-rate", help="Annual discount rate of the sides (continuous)"),
    rates_path: Optional[Path] = typer.Option(None, "--rates", help="YAML of cost exchange rates"),
    side_a: Optional[str] = typer.Option(None, "--side-a", help="First side (default: the scenario's first)"),
    side_b: Optional[str] = typer.Option(None, "--side-b", help="Second side"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Directory for truce.json and truce.png"),
    force: bool = typer.Option(False, "--force", help="Replace truce.json and truce.png in --out"),
) -> None:
    """Is a truce self-enforcing? The power shift it causes against Powell's commitment condition."""
    from ..engine import compare
    from ..scenario import Policy, load_scenario
    from .commitment import commitment_war_condition, per_period_discount
    from .outside_options import load_cost_rates, outside_options, war_end_day

    _check_out(out, "truce", force)
    from ..cli_options import check_finite, check_policy

    check_finite(discount_rate, "--discount-rate", 0.0, 10.0)
    scenario = load_scenario(scenario_path)
    _check_runs(runs, seed)
    if days < 1:
        raise InputError(f"--days must be at least 1, got {days}.")
    if start < 0 or start >= scenario.horizon_days:
        raise InputError(f"--start {start}: the truce must start between day 0 and the horizon ({scenario.horizon_days}).")
    if discount_rate < 0:
        raise InputError(f"--discount-rate must not be negative, got {discount_rate}.")
    rates = load_cost_rates(rates_path)
    a, b = _sides(scenario, side_a, side_b)
    pol = Policy(name=f"truce_{days}d_from_{start}", kind="truce", start_day=start, days=days)
    check_policy(pol, scenario, "--days")
    from ..cli_options import check_ensemble_memory

    check_ensemble_memory(scenario, runs, 7, policies=2)
    cmp = compare(scenario, [pol], runs=runs, seed=seed)
    fight = next(r for r in cmp.results.values() if r.policy.kind == "fight_on")
    truce = cmp.results[pol.name]
    p_fight = {s: fight.outcomes["territory_share_final"].sel(side=s).values.astype(float) for s in (a, b)}
    p_truce = {s: truce.outcomes["territory_share_final"].sel(side=s).values.astype(float) for s in (a, b)}
    drop = {s: float(p_fight[s].mean() - p_truce[s].mean()) for s in (a, b)}
    declining = max((a, b), key=lambda s: drop[s])
    rising = b if declining == a else a
    # cost of fighting for one period (the truce's length) from the start day, under fight-on
    opts = outside_options(fight.trajectories, a, b, supporters_of={n: s.supports for n, s in scenario.supporters.items()},
                           rates=rates, lookahead_days=days, collapse_day=war_end_day(fight.outcomes))
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
    paired = cmp.paired.sel(policy=pol.name)
    fav = cmp.favours_table()
    fav_row = fav[fav["policy"] == pol.name].iloc[0].to_dict() if len(fav) else {}
    d_terr = paired["territory_share_change_final"].sel(side=declining).values.astype(float)
    power_now = {sd: float(fight.outcomes["power_share_at"].sel(snapshot_day=start, side=sd).mean()) for sd in (a, b)}
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
            "definition": cmp.definition,
            "favours_share_of_runs": {k: _r(v) for k, v in fav_row.items() if k != "policy"},
            f"territory_share_final_{declining}_fight_on": _r(p_fight[declining].mean()),
            f"territory_share_final_{declining}_truce": _r(p_truce[declining].mean()),
            f"share_of_runs_{declining}_worse_off_after_truce": _r(np.mean(d_terr < 0)),
            "power_share_change_at_truce_end": {s: _r(paired["power_share_change_at_truce_end"].sel(side=s).mean())
                                                for s in (a, b)},
        },
        "rates": json.loads(rates.model_dump_json()), "discount_rate_per_year": discount_rate,
    }
    fig = None
    if out is not None:
        from .plots import truce_figure

        fig = truce_figure(np.clip(p_fight[declining], 0, 1), np.clip(p_truce[declining], 0, 1), per_run, declining,
                           title=f"{scenario.name}: truce of {days} days from day {start} ({runs} paired runs)")
    written = _write_out(out, "truce", payload, fig)
    if as_json:
        typer.echo(json.dumps(payload, default=_jsonable))
        return
    con = _console()
    f, s = payload["formal"], payload["simulation"]
    con.print(f"Truce of {days} days from day {start} ({runs} paired runs, seed {seed}). "
              f"Declining side under the truce: {declining}; rising: {rising}.")
    t = Table(title="Formal model (Powell 2006) next to the simulation")
    t.add_column("quantity")
    t.add_column("value", justify="right")
    t.add_row(f"{declining}'s expected territory share, fight on (p)", f"{f['p_now']:.3f}")
    t.add_row("... after the truce (p')", f"{f['p_later']:.3f}")
    t.add_row("discount per period (truce length)", f"{f['discount_per_period']:.3f}")
    t.add_row(f"cost of a period of war, {declining} / {rising} (share)",
              f"{f['cost_declining_share_per_period']:.3f} / {f['cost_rising_share_per_period']:.3f}")
    t.add_row("discounted shift  delta (p - p')", f"{f['discounted_shift']:.3f}")
    t.add_row("cost of war  (1-delta)(1-p) + c_D + delta c_R", f"{f['cost_of_war']:.3f}")
    t.add_row("commitment problem (war) in expectation", "YES" if f["war"] else "no")
    t.add_row(f"weaker-now side ({weaker}) can credibly commit", "yes" if payload["weaker_now_side_can_credibly_commit"] else "NO")
    t.add_row("... share of runs with a commitment problem", f"{f['share_of_runs_war']:.1%}")
    for k, v in s["favours_share_of_runs"].items():
        t.add_row(f"simulation: truce favours {k} (share of runs)", f"{v:.1%}")
    t.add_row(f"simulation: runs where {declining} ends with less territory", f"{s[f'share_of_runs_{declining}_worse_off_after_truce']:.1%}")
    con.print(t)
    con.print(f"Formal reading: {f['reading']}.")
    k = payload["kofman_claim"]
    con.print(f"Kofman's claim ({k['claim']}): formal model {'supports' if k['formal'] else 'does not support'} it "
              f"({k['formal_reading']}); in the simulation the truce favours the weaker-now side ({weaker}) in "
              f"{k['simulation_share_of_runs_truce_favours_weaker_now_side']:.1%} of runs.")
    con.print(cmp.definition, style="dim")
    con.print(f"Costs converted with: {rates.note}.", style="dim")
    for w in written:
        con.print(f"wrote {w}", style="dim")


# -- settle -----------------------------------------------------------------------------
@app.command("settle")
def settle_cmd(
    actors_path: Path = typer.Argument(..., metavar="ACTORS", help="Actors YAML or CSV"),
    scale: Optional[tuple[float, float]] = typer.Option(None, "--scale", help="LOW HIGH of every issue scale (CSV input; default 0 100)"),
    salience_max: float = typer.Option(100.0, "--salience-max", help="Top of the salience scale in a CSV (e.g. 1)"),
    eum_rounds: int = typer.Option(10, "--eum-rounds", help="Rounds of the expected-utility model"),
    q: float = typer.Option(1.0, "--q", help="EUM: probability the status quo persists without a challenge"),
    conflict_moves: bool = typer.Option(False, "--conflict-moves/--no-conflict-moves", help="EUM: in a conflict the lower-EU actor moves"),
    eum_variant: str = typer.Option("paper", "--eum-variant", help="EUM: 'paper' (Scholz et al.'s equations) or 'scholz-code' (the choices McKibben attributes to their code; --q still applies)"),
    show_actors: bool = typer.Option(False, "--actors", help="Also list every actor's position, salience, capability and source"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Directory for settle.json and settle.png"),
    force: bool = typer.Option(False, "--force", help="Replace settle.json and settle.png in --out"),
) -> None:
    """Predicted terms on every issue, several models side by side."""
    from .actors import load_actor_set
    from .plots import settlement_figure
    from .settle import settle_issue
    from .settle.eum import EUMConfig

    _check_out(out, "settle", force)
    from ..cli_options import check_finite, check_int

    check_finite(salience_max, "--salience-max", 0.0, 1e12, low_open=True)
    check_finite(q, "--q", 0.0, 1.0)
    check_int(eum_rounds, "--eum-rounds", 0, 10_000)
    for v in scale or ():
        check_finite(v, "--scale", -1e12, 1e12)
    if eum_rounds < 0:
        raise InputError(f"--eum-rounds must not be negative, got {eum_rounds}.")
    if not 0.0 <= q <= 1.0:
        raise InputError(f"--q must be a probability in [0, 1], got {q}.")
    low, high = scale if scale else (0.0, 100.0)
    if not low < high:
        raise InputError(f"--scale needs LOW < HIGH, got {low:g} {high:g}.")
    aset = load_actor_set(actors_path, issue_low=low, issue_high=high, salience_max=salience_max)
    if eum_variant == "paper":
        cfg = EUMConfig(q=q, conflict_moves=conflict_moves)
    elif eum_variant == "scholz-code":
        cfg = EUMConfig(q=q, conflict_moves=True, probability="all_dyads", selection="type_order")
    else:
        raise InputError(f"--eum-variant {eum_variant!r}: use 'paper' or 'scholz-code'.")
    results = [settle_issue(aset.arrays(i.id), eum_rounds=eum_rounds, eum_config=cfg) for i in aset.issues]
    payload = {
        "actors_file": str(actors_path), "name": aset.name,
        "models": {
            "compromise": "weighted mean, weights capability x salience (Achen 2006)",
            "weighted_median": "capability x salience weighted median (Black 1948)",
            "condorcet": "Condorcet winner among actor positions, weighted votes",
            "nash": "asymmetric Nash bargaining solution, quadratic loss, weights capability x salience (Nash 1950)",
            "eum_median": f"Bueno de Mesquita expected-utility model after {eum_rounds} rounds, median voter "
                          "(Scholz, Calbert & Smith 2011)",
            "eum_mean": "same, weighted mean of the final positions",
        },
        "eum_settings": {"variant": eum_variant, "q": cfg.q, "conflict_moves": cfg.conflict_moves,
                         "probability": cfg.probability, "selection": cfg.selection, "rounds": eum_rounds},
        "issues": [],
    }
    for iss, r in zip(aset.issues, results):
        d = r.as_dict()
        d.update(name=iss.name, low_means=iss.low_means, high_means=iss.high_means)
        arr = aset.arrays(iss.id)
        d["actors"] = [{"actor": n, "position": float(p), "salience": float(s), "capability": float(c)}
                       for n, p, s, c in zip(arr.actors, arr.position, arr.salience, arr.capability)]
        payload["issues"].append(d)
    fig = settlement_figure(aset, results) if out is not None else None  # drawn only to be written
    written = _write_out(out, "settle", payload, fig)
    if as_json:
        typer.echo(json.dumps(payload, default=_jsonable))
        return
    con = _console()
    t = Table(title=f"Predicted settlement{': ' + aset.name if aset.name else ''} (issue units)")
    for col in ("issue", "scale", "actors", "compromise", "w. median", "Condorcet", "Nash", "EUM median", "EUM mean"):
        t.add_column(col, justify="right" if col not in ("issue",) else "left")
    for r in results:
        t.add_row(r.issue, f"{r.low:g}-{r.high:g}", str(r.n_actors), f"{r.compromise:.1f}", f"{r.weighted_median:.1f}",
                  f"{r.condorcet:.1f}", f"{r.nash:.1f}", f"{r.eum_median:.1f}", f"{r.eum_mean:.1f}")
    con.print(t)
    for iss in aset.issues:
        if iss.low_means or iss.high_means:
            con.print(f"  {iss.id}: {iss.low:g} = {iss.low_means or '?'}; {iss.high:g} = {iss.high_means or '?'}",
                      style="dim")
    if show_actors:
        at = Table(title="Actors (value, source)")
        for col in ("actor", "issue", "position", "salience", "capability", "position source"):
            at.add_column(col)
        for a in aset.actors:
            for iid, st in a.issues.items():
                cap = st.capability or a.capability
                at.add_row(a.id, iid, f"{st.position.value:g}", f"{st.salience.value:g}", f"{cap.value:g}",
                           st.position.source.describe())
        con.print(at)
    for w in written:
        con.print(f"wrote {w}", style="dim")
