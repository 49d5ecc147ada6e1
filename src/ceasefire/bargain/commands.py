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
from rich.text import Text

from ..errors import InputError
from ..scenario.policies import make_policy, parse_duration_days
from ..scenario.schema import ResumeRule

app = typer.Typer(
    name="bargain",
    help="Bargaining models: when a deal is possible (range, ripeness), whether a truce can hold, and on what terms.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


# -- helpers ----------------------------------------------------------------------------
def _console() -> Console:
    # the terminal's width (COLUMNS when set; 80 when not a terminal): tables are laid out to fit 80
    return Console(markup=False, emoji=False)  # actor, issue and source text printed as written


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


def _pie(lo, hi, lo_raw, hi_raw) -> str:
    """A range on the pie [0, 1], with * on a bound that Fearon's formula puts beyond it."""
    if lo is None or hi is None:
        return "n/a"
    star = lambda v, raw: f"{v:.2f}" + ("*" if raw is not None and abs(raw - v) > 5e-5 else "")  # noqa: E731
    return f"{star(lo, lo_raw)}–{star(hi, hi_raw)}"


def _own_range(r: dict, a: str, b: str) -> str:
    """The range from the sides' own beliefs (A's demand to B's largest concession) on the pie, or "none"."""
    lo, hi = r[f"demand_{a}"], r[f"concession_{b}"]
    if not r["way_out"]:
        return "none"
    clip = lambda v: None if v is None else min(max(v, 0.0), 1.0)  # noqa: E731
    return _pie(clip(lo), clip(hi), lo, hi)


def range_table(payload: dict, a: str, b: str, every_days: int, *, beliefs_given: bool = False) -> Table:
    """The bargaining range and ripeness, a row every ``every_days`` (and the last day), 80 columns wide:
    the range on the pie (clipped, * where Fearon's bound lies beyond it), the costs side by side,
    MHS and ripe with the short-outlook days marked apart; day numbers and drift are in --json."""
    rows = payload["days"]
    start = rows[0]["date"] if rows and rows[0]["date"] else None
    t = Table(title=f"Bargaining range for {a}'s share of the contested territory ({payload['runs']} runs"
                    + (f"; day 0 = {start}" if start else "") + ")")
    t.add_column("date" if start else "day", justify="right", no_wrap=True)
    t.add_column("E share", justify="right", no_wrap=True)
    t.add_column("range", justify="right", no_wrap=True)
    if beliefs_given:  # the sides' own ranges take the band's place (the band stays in --json)
        t.add_column("own beliefs", justify="right", no_wrap=True)
    else:
        t.add_column("90% band", justify="right", no_wrap=True)
    t.add_column("costs", justify="right", no_wrap=True)
    t.add_column("MHS", justify="right", no_wrap=True, min_width=4)
    t.add_column("ripe", justify="right", no_wrap=True, min_width=4)
    for r in [r for r in rows if r["day"] % every_days == 0 or r is rows[-1]]:
        cells = [r["date"] or str(r["day"]) if start else str(r["day"]), _num(r[f"p_{a}_share"]),
                 _pie(r["low_clipped"], r["high_clipped"], r["low"], r["high"]),
                 _own_range(r, a, b) if beliefs_given else
                 _pie(r["low_band_clipped"], r["high_band_clipped"], r["low_band"], r["high_band"]),
                 f"{_num(r[f'cost_{a}_share'], '.2f')} / {_num(r[f'cost_{b}_share'], '.2f')}"]
        # no trailing window (too few recorded days): the front's drift, hence a stalemate, is undefined
        mhs = ("n/a" if r["front_drift_share_per_day"] is None else
               "yes" if r["mutually_hurting_stalemate_equal_outlook"] else
               "late" if r["mutually_hurting_stalemate"] else "")
        cells += [mhs,
                  "yes" if r["ripe_equal_outlook"] else ("late" if r["ripe_short_outlook"] else "")]
        t.add_row(*cells)
    return t


def range_notes(payload: dict, a: str, b: str) -> list[str]:
    """The sentences under the range table: what the marks mean, ripeness, the battle chain, the rates."""
    rows = payload["days"]
    out = []
    beyond = lambda raw, on_pie: raw is not None and on_pie is not None and abs(raw - on_pie) > 5e-5  # noqa: E731
    clipped = any(beyond(r[k], r[f"{k}_clipped"]) for r in rows for k in ("low", "high", "low_band", "high_band"))
    if payload["beliefs"] or payload["optimism"]:
        out.append(f"Own beliefs: from {a}'s demand to {b}'s largest concession, each judged by its own beliefs "
                   "(none: they do not overlap, mutual optimism); the 90% band is in --json.")
    text = (f"E share: {a}'s expected share if fighting goes on; costs: {a}'s / {b}'s cost of fighting on to the "
            f"horizon, as shares of the territory. Ranges are splits of the contested territory ({a}'s share), on "
            "the pie from 0 to 1.")
    if clipped:
        lows = [r[k] for r in rows for k in ("low", "low_band") if r[k] is not None]
        highs = [r[k] for r in rows for k in ("high", "high_band") if r[k] is not None]
        text += (f" * marks a bound Fearon's formula (expected share -/+ a side's cost) puts beyond the pie (here "
                 f"as far as {min(lows):.2f} and {max(highs):.2f}): that side's cost of fighting on exceeds the rest "
                 "of the territory, so every split up to the edge is better for it than war.")
    out.append(text)
    out.append("MHS: a mutually hurting stalemate (Zartman): the front has stopped, both sides take losses, and "
               "neither expects to gain by fighting on" + (" or escalating" if payload["ripeness_settings"][
                   "escalation_aid_level"] is not None else "") + ". Ripe: an MHS with a way out (the sides' own "
               "ranges overlap).")
    first, n = payload["first_ripe_day"], payload["ripe_days"]
    short, first_short = payload["ripe_days_short_outlook"], payload["first_ripe_day_short_outlook"]
    if first is not None:
        out.append(f"Ripe on {n} of {len(rows)} recorded days, first on day {first}.")
    else:
        out.append(f"Not ripe on any of the {len(rows)} recorded days.")
    if short:
        out.append(f"late: on {short} days from day {first_short} the test passes only because few days are left to "
                   "the horizon (gains from fighting on shrink with the time left); judged over an outlook as long "
                   "as the first day's, they are not ripe. That is the finite horizon, not ripeness; "
                   "--lookahead-days compares days on an equal footing.")
    if payload["mutual_optimism_days"]:
        out.append(f"Mutual optimism (no deal under the sides' own beliefs) on {payload['mutual_optimism_days']} days.")
    bc = payload["battle_chain"]
    out.append(f"Battle chain (Slantchev 2003): {a} wins a battle with q = {bc['battle_win_probability']:.3f}; front "
               f"at step {bc['position_steps']} of {bc['n_steps']}; P({a} wins) = {bc[f'win_probability_{a}']:.3f}; "
               f"expected {bc['expected_battles']:.1f} battles"
               + (f" ~ {bc['expected_duration_days']:.0f} days." if bc["expected_duration_days"] is not None else "."))
    out.append(f"Horizon: {payload['horizon']}.")
    return out


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
    from .analyses import escalation_options, range_analysis
    from .outside_options import load_cost_rates
    from .plots import range_figure

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
    if escalation_aid is not None:
        make_policy("fight_on", aid_level=escalation_aid, where="--escalation-aid")  # the one aid-level check
    rates = load_cost_rates(rates_path)
    scenario, res = _load_fight_on(scenario_path, runs, seed, record_every)
    a, b = _sides(scenario, side_a, side_b)
    opt = _optimism(optimism, (a, b))
    masks = _beliefs(belief, (a, b), res.parameters)
    esc_opts = None
    if escalation_aid is not None:
        esc_opts = escalation_options(scenario, res, escalation_aid, a, b,
                                      {n: s.supports for n, s in scenario.supporters.items()}, rates, lookahead_days,
                                      record_every)
    result = range_analysis(scenario, res, a, b, rates=rates, optimism=opt, beliefs=masks, belief_texts=belief,
                            lookahead_days=lookahead_days, window_days=window_days, drift_tol=drift_tol,
                            gain_tol=gain_tol, escalation_aid=escalation_aid, esc_opts=esc_opts)
    payload, rng, rp = result.payload, result.range, result.ripeness
    traj = res.trajectories
    fig = None if out is None else range_figure(  # drawn only to be written
        rng, rp, title=f"{scenario.name}: bargaining range for {a}'s share ({traj.sizes['run']} runs)")
    written = _write_out(out, "range", payload, fig)
    if as_json:
        typer.echo(json.dumps(payload, default=_jsonable))
        return
    con = _console()
    con.print(range_table(payload, a, b, every_days, beliefs_given=bool(opt or masks)))
    for line in range_notes(payload, a, b):
        con.print(line)
    con.print(f"Costs converted with: {rates.note}.", style="dim")
    for w in written:
        con.print(f"wrote {w}", style="dim")


# -- truce ------------------------------------------------------------------------------
def _resume_policy(pol, text: str, scenario):
    """``pol`` with the resume rule ``SIDE:GAIN`` (checked against the scenario)."""
    side, _, gain = text.partition(":")
    try:
        g = float(gain)
    except ValueError:
        raise InputError(f"--resume {text!r}: write SIDE:GAIN, e.g. russia:0.05 (GAIN a share in [0, 1]).") from None
    if side not in scenario.side_names or not 0.0 <= g <= 1.0:
        raise InputError(f"--resume {text!r}: SIDE must be one of {', '.join(scenario.side_names)} and GAIN a share "
                         "in [0, 1].")
    ruled = pol.model_copy(update={"resume_rule": {side: ResumeRule(gain_share=g)}})
    return ruled.model_copy(update={"name": ruled.label})


@app.command("truce")
def truce_cmd(
    scenario_path: Path = typer.Argument(..., metavar="SCENARIO", help="Scenario YAML"),
    start: str = typer.Option("0", "--start", help="First day of the truce: days from the scenario start, or e.g. 2m"),
    days_text: str = typer.Option("180", "--days", help="Length of the truce: days, or e.g. 90d, 6m"),
    runs: int = typer.Option(1000, "--runs", "-n", help="Runs per policy (common random numbers)"),
    seed: int = typer.Option(0, "--seed", help="Seed"),
    discount_rate: float = typer.Option(0.10, "--discount-rate", help="Annual discount rate of the sides (continuous)"),
    rates_path: Optional[Path] = typer.Option(None, "--rates", help="YAML of cost exchange rates"),
    side_a: Optional[str] = typer.Option(None, "--side-a", help="First side (default: the scenario's first)"),
    side_b: Optional[str] = typer.Option(None, "--side-b", help="Second side"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Directory for truce.json and truce.png"),
    force: bool = typer.Option(False, "--force", help="Replace truce.json and truce.png in --out"),
    resume: Optional[str] = typer.Option(None, "--resume", help="SIDE:GAIN: also run the truce with SIDE's resume "
                                         "rule (it resumes when its power share rises by more than GAIN) and "
                                         "compare it with the formal test (NumPy path: slower)"),
) -> None:
    """Is a truce self-enforcing? The power shift it causes against Powell's commitment condition."""
    from ..compare import run_policies
    from ..scenario import load_scenario
    from .analyses import truce_analysis
    from .outside_options import load_cost_rates

    _check_out(out, "truce", force)
    from ..cli_options import check_finite

    check_finite(discount_rate, "--discount-rate", 0.0, 10.0)
    scenario = load_scenario(scenario_path)
    _check_runs(runs, seed)
    start_day = parse_duration_days(start, "--start")
    days = parse_duration_days(days_text, "--days")
    pol = make_policy("truce", start_day, days, scenario=scenario, where=f"--start {start} --days {days_text}")
    start = start_day
    if discount_rate < 0:
        raise InputError(f"--discount-rate must not be negative, got {discount_rate}.")
    rates = load_cost_rates(rates_path)
    a, b = _sides(scenario, side_a, side_b)
    from ..cli_options import check_ensemble_memory

    ruled = _resume_policy(pol, resume, scenario) if resume else None
    check_ensemble_memory(scenario, runs, 7, policies=3 if ruled else 2)
    ds = run_policies(scenario, [pol] + ([ruled] if ruled else []), runs=runs, seed=seed)
    result = truce_analysis(scenario, ds, pol, a, b, rates=rates, discount_rate=discount_rate)
    if ruled is not None:
        from .analyses import resume_rule_analysis

        result.payload["resume_rule"] = resume_rule_analysis(ds, pol, ruled, next(iter(ruled.resume_rule)),
                                                             result.war_per_run)
    payload, declining, rising = result.payload, result.declining, result.payload["rising_side"]
    weaker = payload["weaker_now_side"]
    fig = None
    if out is not None:
        from .plots import truce_figure

        fig = truce_figure(result.p_fight, result.p_truce, result.war_per_run, declining,
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
    if "resume_rule" in payload:
        rr = payload["resume_rule"]
        ag, when = rr["against_formal_test"], rr["days_into_truce_when_fired"]
        t2 = Table(title=f"{rr['side']}'s resume rule (gain {rr['rule']['gain_share']}) next to the formal test")
        t2.add_column("quantity")
        t2.add_column("value", justify="right")
        t2.add_row("share of runs in which the rule ended the truce", f"{rr['share_of_runs_rule_fired']:.1%}")
        t2.add_row("days into the truce when it fired (median [p10, p90])",
                   "-" if when["median"] is None else f"{when['median']:.0f} [{when['p10']:.0f}, {when['p90']:.0f}]")
        for key, words in (("both_fail", "both: the truce fails"), ("both_hold", "both: the truce holds"),
                           ("rule_only", "only the rule fires"), ("formal_only", "only the formal test says war"),
                           ("agreement", "agreement")):
            t2.add_row(words, f"{ag[key]:.1%}")
        for k, v in rr["favours_share_of_runs_with_rule"].items():
            t2.add_row(f"with the rule: truce favours {k} (share of runs)", f"{v:.1%}")
        con.print(t2)
        con.print(rr["definition"] + ".", style="dim")
    k = payload["kofman_claim"]
    con.print(f"Kofman's claim ({k['claim']}): formal model {'supports' if k['formal'] else 'does not support'} it "
              f"({k['formal_reading']}); in the simulation the truce favours the weaker-now side ({weaker}) in "
              f"{k['simulation_share_of_runs_truce_favours_weaker_now_side']:.1%} of runs.")
    con.print(ds.attrs["favours_definition"], style="dim")
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
    for t in settlement_tables(aset, results, show_actors):
        con.print(t)
    for w in written:
        con.print(f"wrote {w}", style="dim")


SETTLE_MODELS = (("compromise", "comp", "compromise (weighted mean, Achen 2006)"),
                 ("weighted_median", "wmed", "weighted median (Black 1948)"),
                 ("condorcet", "Cond", "Condorcet winner"),
                 ("nash", "Nash", "asymmetric Nash bargaining (Nash 1950)"),
                 ("eum_median", "EUMm", "Bueno de Mesquita's expected-utility model, median"),
                 ("eum_mean", "EUMa", "the same, weighted mean"))


def settlement_tables(aset, results, show_actors: bool = False) -> list:
    """The predicted settlement of every issue (a row each; the models' columns abbreviated, with a legend
    below, so it fits 80 columns), what each scale's ends mean, then, with ``show_actors``, one table of
    the actors' values and sources per issue."""
    out = []
    issues = {i.id: i for i in aset.issues}
    scales = {(r.low, r.high) for r in results}
    one_scale = f"scale {results[0].low:g}-{results[0].high:g}" if len(scales) == 1 else "issue units"
    t = Table(title=f"Predicted settlement{': ' + aset.name if aset.name else ''} ({one_scale})")
    t.add_column("issue", overflow="fold", min_width=12)
    if len(scales) > 1:
        t.add_column("scale", justify="right", no_wrap=True)
    t.add_column("n", justify="right", no_wrap=True)
    for _key, short, _long in SETTLE_MODELS:
        t.add_column(short, justify="right", no_wrap=True)
    for r in results:
        t.add_row(r.issue, *([f"{r.low:g}-{r.high:g}"] if len(scales) > 1 else []), str(r.n_actors),
                  *(f"{getattr(r, k):.1f}" for k, _s, _l in SETTLE_MODELS))
    out.append(t)
    out.append(Text("  n: actors; " + "; ".join(f"{short}: {long}" for _k, short, long in SETTLE_MODELS) + ".",
                    style="dim"))
    for r in results:
        iss = issues.get(r.issue)
        if iss is not None and (iss.low_means or iss.high_means):
            out.append(Text(f"  {iss.id}: {iss.low:g} = {iss.low_means or '?'}; {iss.high:g} = {iss.high_means or '?'}",
                            style="dim"))
    if show_actors:
        for r in results:
            at = Table(title=f"Actors on {r.issue} (value, source)")
            at.add_column("actor", overflow="fold")
            for col in ("position", "salience", "capability"):
                at.add_column(col, justify="right", no_wrap=True)
            at.add_column("position source", overflow="fold", ratio=1)
            for a in aset.actors:
                st = a.issues.get(r.issue)
                if st is None:
                    continue
                cap = st.capability or a.capability
                at.add_row(a.id, f"{st.position.value:g}", f"{st.salience.value:g}", f"{cap.value:g}",
                           st.position.source.describe())
            out.append(at)
    return out


def register(main: typer.Typer) -> None:
    """Add the ``bargain`` group to the main ``ceasefire`` app."""
    main.add_typer(app, name="bargain")
