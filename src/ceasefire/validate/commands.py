"""Command line of the validation package: ``ceasefire fit battles|series`` and ``ceasefire backtest``.

``fit_app`` is mounted by ``ceasefire.cli`` as ``ceasefire fit``; :func:`register`
adds ``backtest`` to the main app. Bad input raises ``InputError`` (exit 2).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from ceasefire.cli_options import check_seed
from ceasefire.errors import InputError

fit_app = typer.Typer(
    name="fit",
    help="Fit Lanchester-family attrition laws to historical battles (outcome level) or daily series.",
    no_args_is_help=True,
    add_completion=False,
)
# the terminal's width (COLUMNS when set; 80 when not a terminal), long lines wrapped: read at 80 columns
console = Console(markup=False, highlight=False, emoji=False)


def _fmt(x: float) -> str:
    if x is None or not np.isfinite(x):
        return "n/a"
    return f"{x:.4g}"


def _check_json(path: Optional[Path], force: bool) -> None:
    from ceasefire.outputs import check_out

    check_out(path, "file", force, option="--json")


def _check_confidence(confidence: float) -> None:
    from ceasefire.cli_options import check_finite

    check_finite(confidence, "--confidence", 0.5, 0.999)


def _write_json(path: Optional[Path], payload: dict) -> None:
    from ceasefire.outputs import write_text

    if path is None:
        return
    write_text(path, json.dumps(payload, indent=2, default=float))
    console.print(f"wrote {path}")


@fit_app.command("battles")
def fit_battles_cmd(
    path: Path = typer.Argument(..., help="CDB90 directory (data/cdb90), the 1620-1905 directory, or a CSV of battles."),
    law: str = typer.Option("helmbold", "--law", help="helmbold (estimate W), or square/linear/logarithmic (test that law)."),
    confidence: float = typer.Option(0.95, "--confidence", min=0.5, max=0.999, help="Level of the intervals."),
    error_draws: int = typer.Option(200, "--error-draws", min=0, help="Redraws inside CDB90's error bands (0: off)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the error-band redraws."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the full result as JSON here."),
    force: bool = typer.Option(False, "--force", help="Replace an existing --json file"),
) -> None:
    """Outcome-level fit: ln(casualty-exchange ratio) against ln(force ratio), overall and by era."""
    from .outcome import fit_battles, load_battles

    _check_json(json_out, force)
    check_seed(seed)
    _check_confidence(confidence)
    data = load_battles(path)
    try:
        rep = fit_battles(data, law=law, confidence=confidence, draws=error_draws, seed=seed)
    except InputError as err:
        raise InputError(str(err), where=str(path)) from None
    reg = rep.overall
    pct = int(round(confidence * 100))
    console.print(f"{data.name}: {len(data.frame)} battles used ({data.source})")
    for why, n in data.exclusions.items():
        if n:
            console.print(f"  excluded {n}: {why}")
    if data.sides_are_attacker_defender:
        relation = "ln(defender cas / attacker cas) = c + beta ln(attacker / defender strength)"
    else:
        relation = "ln(side 2 cas / side 1 cas) = c + beta ln(side 1 / side 2 strength) (sides as the file orders them)"
    console.print(
        f"{relation}: "
        f"beta = {_fmt(reg.coef[1])} [{_fmt(reg.ci[1, 0])}, {_fmt(reg.ci[1, 1])}] ({pct}% CI, HC3), "
        f"c = {_fmt(reg.coef[0])}, R^2 = {_fmt(reg.r2)}, n = {reg.n}"
    )
    w = rep.helmbold_weight
    console.print(f"Helmbold weight W = (1 + beta)/2 = {_fmt(w[0])} [{_fmt(w[1])}, {_fmt(w[2])}]  (1 = square law, 0.5 = linear, 0 = logarithmic)")
    t = Table(title="law tests (predicted beta vs fitted)")
    for col in ("law", "predicted beta", "t", "p-value", "verdict"):
        t.add_column(col)
    for name, res in rep.tests.items():
        verdict = "rejected" if res["p_value"] < 1 - confidence else "not rejected"
        mark = " <-" if name == law else ""
        t.add_row(name + mark, f"{res['predicted_beta']:g}", _fmt(res["t"]), f"{res['p_value']:.2g}", verdict)
    console.print(t)
    e = Table(title=f"by era ({pct}% CI)")
    for col in ("era", "battles", "beta", "CI", "W"):
        e.add_column(col)
    for _, r in rep.by_era.iterrows():
        e.add_row(str(r["era"]), str(int(r["n"])), _fmt(r["beta"]), f"[{_fmt(r['lo'])}, {_fmt(r['hi'])}]", _fmt(r["helmbold_weight"]))
    console.print(e)
    for key, r in rep.rate_fits.items():
        j, k = r.names.index("p"), r.names.index("q")
        line = (
            f"{key.replace('_', ' ')}: ln(casualties/day) = c + p ln(shooter) + q ln(own)"
            + (" + f ln(front km)" if "front_exponent" in r.names else "")
            + f": p = {_fmt(r.coef[j])} [{_fmt(r.ci[j, 0])}, {_fmt(r.ci[j, 1])}], "
            f"q = {_fmt(r.coef[k])} [{_fmt(r.ci[k, 0])}, {_fmt(r.ci[k, 1])}]"
        )
        if "front_exponent" in r.names:
            m = r.names.index("front_exponent")
            est, _, ci, pval = r.combination({"q": 1.0, "front_exponent": 1.0})
            line += (
                f", f = {_fmt(r.coef[m])} [{_fmt(r.ci[m, 0])}, {_fmt(r.ci[m, 1])}]; density form (f = -q): "
                f"q + f = {_fmt(est)} [{_fmt(ci[0])}, {_fmt(ci[1])}], p-value {pval:.2g}"
            )
        console.print(line + f", n = {r.n}")
    if rep.error_band_beta is not None:
        m, lo, hi = rep.error_band_beta
        console.print(f"error bands: beta over {error_draws} redraws median {_fmt(m)}, 5-95% [{_fmt(lo)}, {_fmt(hi)}]")
    _write_json(json_out, rep.as_dict())


@fit_app.command("advance")
def fit_advance_cmd(
    path: Path = typer.Argument(..., help="CDB90 directory (data/cdb90)."),
    since_year: Optional[int] = typer.Option(None, "--since-year", help="Only battles from this year on."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the result as JSON here."),
    force: bool = typer.Option(False, "--force", help="Replace an existing --json file"),
) -> None:
    """Attacker's advance (km per day) against force ratio: by bin and as a log-log slope."""
    from .advance import advance_by_force_ratio
    from .outcome import load_battles

    _check_json(json_out, force)
    check_seed(seed)
    data = load_battles(path)
    rep = advance_by_force_ratio(data, since_year=since_year, seed=seed)
    console.print(f"{data.name}: {rep.battles} battles with an advance and a duration" + (f", since {since_year}" if since_year else ""))
    t = Table(title="advance per calendar day by force ratio (attacker / defender personnel); 90% bootstrap interval of the median")
    for col in ("force ratio", "battles", "median km/day", "interval", "mean km/day", "attacker won"):
        t.add_column(col, no_wrap=col == "interval")
    for _, r in rep.bins.iterrows():
        hi = "" if not np.isfinite(r["force_ratio_to"]) else f"{r['force_ratio_to']:g}"
        t.add_row(
            f"{r['force_ratio_from']:g}-{hi}", str(int(r["battles"])), _fmt(r["median_km_per_day"]),
            f"[{_fmt(r['median_lo'])}, {_fmt(r['median_hi'])}]", _fmt(r["mean_km_per_day"]), f"{r['attacker_win_share']:.0%}",
        )
    console.print(t)
    if rep.regression is not None:
        reg = rep.regression
        console.print(
            f"ln(km/day) = a + b ln(force ratio) over {reg.n} battles with an advance: b = {_fmt(reg.coef[1])} "
            f"[{_fmt(reg.ci[1, 0])}, {_fmt(reg.ci[1, 1])}] (95% CI, HC3), R^2 = {_fmt(reg.r2)}"
        )
    _write_json(json_out, rep.as_dict())


def _parse_fixed(items: list[str]) -> dict[str, float]:
    out = {}
    for it in items:
        if "=" not in it:
            raise InputError(f"--fix expects NAME=VALUE (e.g. k_on_japan=0.0106), got {it!r}")
        k, v = it.split("=", 1)
        try:
            out[k.strip()] = float(v)
        except ValueError:
            raise InputError(f"--fix {it!r}: {v!r} is not a number") from None
    return out


@fit_app.command("series")
def fit_series_cmd(
    path: Path = typer.Argument(..., help="Daily series CSV: day, side, strength_personnel[, reinforcements_personnel, source]."),
    law: str = typer.Option("square", "--law", help="square, linear, logarithmic, helmbold (fit W) or general (fit p, q)."),
    target: str = typer.Option("strengths", "--target", help="Fit daily strengths or daily losses."),
    confidence: float = typer.Option(0.95, "--confidence", min=0.5, max=0.999),
    compare: bool = typer.Option(False, "--compare", help="Also fit square, linear, logarithmic and helmbold and rank them by AIC."),
    grid: bool = typer.Option(False, "--grid", help="Also fit on a (p, q) grid 0..2 step 0.25 (slower)."),
    fix: list[str] = typer.Option([], "--fix", help="Hold a parameter fixed, NAME=VALUE (repeatable), e.g. k_on_japan=0.0106."),
    bayes: bool = typer.Option(False, "--bayes", help="Also sample the posterior (emcee, Metropolis moves; priors in docs/validation.md)."),
    draws: int = typer.Option(1000, "--draws", min=10, help="Posterior draws per chain (--bayes)."),
    chains: int = typer.Option(8, "--chains", min=2, help="Chains (--bayes)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the sampler (--bayes)."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the result as JSON here."),
    force: bool = typer.Option(False, "--force", help="Replace an existing --json file"),
) -> None:
    """Time-series fit with reinforcement schedules: coefficients, intervals, SSE, R^2, AIC, BIC."""
    from .series import compare_laws, exponent_grid, fit_series, read_series

    if bayes and fix:
        raise InputError("--bayes does not take --fix: the Bayesian fit samples every coefficient of the law; drop one of them")
    _check_json(json_out, force)
    check_seed(seed)
    _check_confidence(confidence)
    series = read_series(path)
    res = fit_series(series, law=law, target=target, confidence=confidence, fixed=_parse_fixed(fix))
    pct = int(round(confidence * 100))
    console.print(
        f"{path}: sides {series.sides[0]} and {series.sides[1]}, {series.days} days, "
        f"{series.n_observations} observed strengths after day 0"
    )
    console.print(f"law {res.law} (p = {res.p:.3g}, q = {res.q:.3g}), target {res.target}: losses of T per day = k_on_T * S**p * T**q")
    t = Table(title=f"estimates ({pct}% CI)")
    for col in ("parameter", "estimate", "std. error", "CI"):
        t.add_column(col)
    for k, v in res.estimates.items():
        lo, hi = res.ci[k]
        t.add_row(k, _fmt(v), _fmt(res.stderr[k]), f"[{_fmt(lo)}, {_fmt(hi)}]")
    console.print(t)
    console.print(f"SSE = {_fmt(res.sse)}, R^2 = {_fmt(res.r2)}, AIC = {_fmt(res.aic)}, BIC = {_fmt(res.bic)}, n = {res.n_obs}, k = {res.n_params}")
    last = series.days
    console.print(
        f"fitted day {last}: {series.sides[0]} {res.trajectory.strength_x[last]:.0f}, "
        f"{series.sides[1]} {res.trajectory.strength_y[last]:.0f} personnel"
    )
    for note in res.notes:
        console.print(f"note: {note}")
    payload = {"fit": res.as_dict()}
    if compare:
        fits = compare_laws(series, target=target)
        c = Table(title="model comparison (best first)")
        for col in ("law", "SSE", "R^2", "AIC", "BIC"):
            c.add_column(col)
        for f in fits:
            c.add_row(f.law, _fmt(f.sse), _fmt(f.r2), _fmt(f.aic), _fmt(f.bic))
        console.print(c)
        payload["comparison"] = [f.as_dict() for f in fits]
    if bayes:
        from .bayes import bayes_fit_series

        b = bayes_fit_series(series, law=law, draws=draws, tune=max(draws // 2, 100), chains=chains, seed=seed)
        bt = Table(title=f"posterior ({int(round(b.credibility * 100))}% central interval), emcee, {b.chains} chains x {b.draws} draws, acceptance {b.acceptance:.0%}; R-hat and ESS by ArviZ")
        for col in ("parameter", "mean", "sd", "interval", "R-hat", "ESS"):
            bt.add_column(col)
        for k, v in b.mean.items():
            lo, hi = b.interval[k]
            bt.add_row(k, _fmt(v), _fmt(b.sd[k]), f"[{_fmt(lo)}, {_fmt(hi)}]", f"{b.r_hat[k]:.3f}", f"{b.ess[k]:.0f}")
        console.print(bt)
        if max(b.r_hat.values()) > 1.05:
            console.print("note: R-hat above 1.05; run more --draws before trusting the posterior")
        payload["bayes"] = b.as_dict()
    if grid:
        g = exponent_grid(series, target=target)
        console.print("best (p, q) on the grid:")
        console.print(g.head(5).to_string(index=False))
        payload["grid"] = g.to_dict(orient="records")
    _write_json(json_out, payload)


def backtest_cmd(
    scenario: Path = typer.Argument(..., help="Scenario YAML (its start_date is day 0)."),
    observed: Path = typer.Option(..., "--observed", help="Observations CSV: date, observable, side, value, unit, basis, source."),
    runs: int = typer.Option(500, "--runs", help="Ensemble size of the fight-on run (at least 2)."),
    seed: int = typer.Option(0, "--seed"),
    out: Path = typer.Option(Path("out/backtest"), "--out", help="Directory for the table (CSV) and plots (PNG)."),
    ensemble: Optional[Path] = typer.Option(None, "--ensemble", help="Score a saved trajectories NetCDF instead of simulating."),
    start_date: Optional[str] = typer.Option(None, "--start-date", help="Day 0 of --ensemble (default: the scenario's start_date)."),
    history: Optional[Path] = typer.Option(None, "--history", help="Rows known on the start date (same columns), for the naive baselines; rows before the start in --observed count too."),
    origin_every: int = typer.Option(0, "--origin-every", min=0, help="Also score forecasts from rolling origins every this many days (the ensemble reweighted by the observations up to each origin); 0: off."),
    force: bool = typer.Option(False, "--force", help="Replace the tables of an earlier backtest in --out"),
) -> None:
    """Run the scenario's fight-on ensemble and score it against later observations (bands, CRPS, skill, plots)."""
    import pandas as pd

    from ceasefire.cli_options import check_common
    from ceasefire.outputs import check_out

    from .backtest import plot_backtest, read_observations, rolling_origins, score

    check_out(out, "dir", force, contents=["backtest_observations.csv", "backtest_summary.csv"])
    check_common(runs, seed, min_runs=2)
    obs = read_observations(observed)
    hist = read_observations(history) if history is not None else None
    if ensemble is not None:
        from .io import open_ensemble

        ds = open_ensemble(ensemble, obs["observable"])
        if start_date is None:
            start = _scenario_start(scenario)
        else:
            try:
                start = pd.Timestamp(start_date)
            except ValueError:
                raise InputError(f"--start-date {start_date!r} is not a date; write YYYY-MM-DD") from None
    else:
        ds, start = _simulate_fight_on(scenario, runs, seed)
    result = score(ds, obs, start, history=hist)
    if result.rows.empty:
        why = "; ".join(result.skipped[:3]) or "no observation lies in the ensemble's days"
        raise InputError(f"nothing could be scored against {ensemble or scenario}: {why}.")
    out.mkdir(parents=True, exist_ok=True)
    result.rows.to_csv(out / "backtest_observations.csv", index=False)
    result.summary.to_csv(out / "backtest_summary.csv", index=False)
    plots = plot_backtest(ds, result, obs, start, out)
    _write_run_record(out, scenario, observed, start, result, runs=None if ensemble is not None else runs, seed=seed,
                      ensemble=ensemble)
    console.print(f"backtest of {scenario} from {pd.Timestamp(start).date()} against {observed}")
    console.print("per observable (coverage: share of observations inside the ensemble's central band):")
    for _, r in result.summary.iterrows():
        console.print(
            f"  {r['observable']} [{r['side'] or 'all'}, {r['basis']}]: n = {int(r['n'])}, "
            f"in 50% band {r['coverage_50']:.0%}, in 90% band {r['coverage_90']:.0%}, "
            f"mean CRPS {_fmt(r['mean_crps'])} ({r['unit']}); baselines: persistence {_fmt(r['mean_crps_persistence'])}, "
            f"mean rate {_fmt(r['mean_crps_mean_rate'])}; skill against persistence {_fmt(r['skill_persistence'])}, "
            f"against mean rate {_fmt(r['skill_mean_rate'])}"
        )
    console.print("verdict (skill = 1 - CRPS_model / CRPS_baseline; baselines are point forecasts known on the start date):")
    for line in result.verdicts:
        console.print(f"  {line}")
    for s in result.skipped:
        console.print(f"skipped: {s}")
    if origin_every:
        roll = rolling_origins(ds, obs, start, origin_every, history=hist)
        if roll.empty:
            console.print("rolling origins: no 'level' observation after the start, so no later origin can be formed")
        else:
            roll.to_csv(out / "backtest_rolling.csv", index=False)
            console.print(f"rolling origins every {origin_every} days (ensemble reweighted by the level observations up to "
                          "each origin, error sd 5% of the series' largest value; ESS = runs the forecast rests on):")
            for _, r in roll.iterrows():
                console.print(
                    f"  from {r['origin_date']} (day {r['origin_day']:g}), {r['observable']} [{r['side'] or 'all'}]: "
                    f"n = {int(r['n'])}, ESS {r['ess_runs']:.1f} runs, in 90% band {r['coverage_90']:.0%}, "
                    f"CRPS {_fmt(r['mean_crps'])}, skill against persistence {_fmt(r['skill_persistence'])}, "
                    f"against mean rate {_fmt(r['skill_mean_rate'])}")
    console.print(f"wrote {out / 'backtest_observations.csv'}, {out / 'backtest_summary.csv'} and {len(plots)} plot(s)")


def _write_run_record(out: Path, scenario: Path, observed: Path, start, result, runs, seed, ensemble) -> None:
    """``backtest_run.json``: what was scored, so the report can label it in-sample or out-of-sample."""
    import json

    import pandas as pd

    from .backtest import calibrated_up_to

    name, cutoff = str(scenario), None
    try:
        from ceasefire.scenario import load_scenario

        sc = load_scenario(scenario)
        name, cutoff = sc.name, calibrated_up_to(sc)
    except InputError:
        if ensemble is None:
            raise
    dates = pd.to_datetime(result.rows["date"])
    record = {"scenario": name, "scenario_file": str(scenario), "observed_file": str(observed),
              "start_date": str(pd.Timestamp(start).date()), "runs": runs, "seed": seed,
              "ensemble_file": None if ensemble is None else str(ensemble), "calibrated_up_to": cutoff,
              "first_scored_date": str(dates.min().date()), "last_scored_date": str(dates.max().date())}
    (out / "backtest_run.json").write_text(json.dumps(record, indent=1), encoding="utf-8")


def _scenario_start(path: Path):
    import pandas as pd

    from ceasefire.scenario import load_scenario

    return pd.Timestamp(load_scenario(path).start_date)


def _simulate_fight_on(path: Path, runs: int, seed: int):
    import pandas as pd

    try:
        from ceasefire.engine import simulate
        from ceasefire.scenario import Policy, load_scenario
    except ImportError as exc:  # pragma: no cover - only without the engine
        raise InputError(f"the simulation engine is not available in this installation ({exc}); use --ensemble FILE.nc") from None
    scen = load_scenario(path)
    res = simulate(scen, Policy(name="fight_on", kind="fight_on"), runs=runs, seed=seed)
    return res.trajectories, pd.Timestamp(scen.start_date)


def claims_cmd(
    scenarios: list[Path] = typer.Argument(..., help="Scenario YAML file(s), e.g. the uncalibrated and the calibrated one."),
    runs: int = typer.Option(1000, "--runs", min=2, help="Runs per policy."),
    seed: int = typer.Option(0, "--seed"),
    outcomes: Optional[Path] = typer.Option(None, "--outcomes", help="YAML of what happened per claim, with sources (data/claims/)."),
    csv: Optional[Path] = typer.Option(None, "--csv", help="Also write the ledger as CSV here."),
) -> None:
    """The claims ledger: each claim with its source, the model's verdict per policy, and what happened."""
    import pandas as pd

    from ceasefire.scenario import load_scenario

    from .claims import ledger, read_outcomes

    what = read_outcomes(outcomes) if outcomes is not None else None
    tables = [ledger(load_scenario(p), runs=runs, seed=seed, outcomes=what, label=p.stem) for p in scenarios]
    table = pd.concat(tables, ignore_index=True)
    console.print(f"claims ledger: share of {runs} runs in which each claim holds, 95% Wilson interval, verdict "
                  "(holds / fails in most futures when the interval is above / below 1/2); conditional on the "
                  "scenario's ranges, not a forecast")
    for cid, grp in table.groupby("claim", sort=False):
        first = grp.iloc[0]
        console.print(f"\n{cid}: {first['text']}")
        console.print(f"  source: {first['source']}")
        console.print(f"  proposition: {first['proposition']} (applies to {first['applies_to']} policies)")
        for _, r in grp.iterrows():
            if not r["policy"]:
                console.print(f"  [{r['scenario']}] {r['verdict']}")
                continue
            console.print(f"  [{r['scenario']}] {r['policy']}: holds in {r['holds_share']:.1%} "
                          f"[{r['ci_low']:.1%}, {r['ci_high']:.1%}] of {r['runs']} runs: {r['verdict']}")
        if first["happened"]:
            console.print(f"  what happened ({first['what_happened']}): {first['happened']}")
            console.print(f"    source: {first['happened_source']}")
        else:
            console.print("  what happened: unknown (no public source settles it here)")
    if what is not None and what.not_expressible:
        console.print("\nclaims the model cannot state over its outcome metrics:")
        for item in what.not_expressible:
            console.print(f"  {item.get('claim')}: {item.get('why')}")
    if csv is not None:
        csv.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(csv, index=False)
        console.print(f"wrote {csv}")


def register(app: typer.Typer) -> None:
    """Add ``backtest``, ``claims`` and the ``fit`` group to the main ``ceasefire`` app."""
    app.command("backtest")(backtest_cmd)
    app.command("claims")(claims_cmd)
    app.add_typer(fit_app, name="fit")
