"""``ceasefire calibrate SCENARIO --observed CSV``: ABC-SMC calibration on observed paths."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from ceasefire.errors import InputError

console = Console(soft_wrap=True, markup=False, highlight=False, width=160)


def calibrate_cmd(
    scenario: Path = typer.Argument(..., help="Scenario YAML whose uncertain parameters are calibrated."),
    observed: Path = typer.Option(..., "--observed", help="Observations CSV: date, observable, side, value, unit, source[, sd]."),
    params: Optional[str] = typer.Option(None, "--params", help="Comma-separated parameters to calibrate (paths or unique endings); default: all uncertain ones."),
    population: int = typer.Option(1000, "--population", min=10, help="Particles per generation."),
    generations: int = typer.Option(8, "--generations", min=1, help="Most generations (the run stops earlier if acceptance collapses)."),
    out: Path = typer.Option(Path("out/calibrate"), "--out", help="Directory for the calibrated scenario, calibration.nc and PNGs."),
    seed: int = typer.Option(0, "--seed"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Latest date of data allowed (default: the scenario's start date). For a hindcast scenario: the date its sources end."),
    rel_noise: float = typer.Option(0.05, "--rel-noise", help="Observation error of rows without 'sd', as a share of the series' largest value."),
    method: str = typer.Option("auto", "--method", help="pmc (importance weights), mcmc (MCMC moves, for many parameters) or auto (pmc up to 10 parameters)."),
) -> None:
    """Calibrate a scenario's uncertain parameters on observed paths (ABC-SMC over the vectorised engine)."""
    import pandas as pd

    from ceasefire.scenario import load_scenario

    from .core import calibrate
    from .observations import read_observed_paths

    sc = load_scenario(scenario)
    cutoff = None
    if as_of is not None:
        try:
            cutoff = pd.Timestamp(as_of).normalize()
        except ValueError:
            raise InputError(f"--as-of {as_of!r} is not a date; write YYYY-MM-DD.") from None
    obs = read_observed_paths(observed, sc.start_date, cutoff, sides=sc.side_names, rel_noise=rel_noise)
    names = [p for p in params.split(",") if p.strip()] if params else None
    for note in obs.notes:
        console.print(f"note: {note}")
    console.print(f"calibrating {sc.name} on {len(obs)} observations of {', '.join(f'{o} ({s})' for o, s in obs.series)} "
                  f"up to {obs.last_date}")
    cal = calibrate(sc, obs, names, population=population, generations=generations, seed=seed, method=method,
                    log=console.print)
    console.print(f"stopped: {cal.smc.stop_reason} ({cal.smc.simulations} simulated runs)")
    t = Table(title="posterior (90% central intervals); narrowing = posterior interval / prior interval")
    for col in ("parameter", "prior", "prior 90%", "posterior mean", "posterior 90%", "narrowing"):
        t.add_column(col, overflow="fold")
    for r in cal.summary():
        t.add_row(r["parameter"].removeprefix("sides."), r["prior"], f"[{r['prior_low']:.4g}, {r['prior_high']:.4g}]", f"{r['posterior_mean']:.4g}",
                  f"[{r['posterior_low']:.4g}, {r['posterior_high']:.4g}]", f"{r['narrowing']:.2f}")
    console.print(t)
    cov = cal.predictive_coverage()
    console.print(f"posterior predictive check (in-sample: the observations calibrated on): {cov['50']:.0%} of observations "
                  f"in the 50% band, {cov['90']:.0%} in the 90% band")
    for r in cal.coverage_by_series():
        console.print(f"  {r['observable']} ({r['side']}): {r['n']} observations, {r['in_50']:.0%} in the 50% band, "
                      f"{r['in_90']:.0%} in the 90% band, median miss {r['median_miss']:.4g}")
    paths = cal.write(out)
    console.print(f"wrote {len(paths)} files: " + ", ".join(str(p) for p in paths))


def register(app: typer.Typer) -> None:
    """Add ``calibrate`` to the main ``ceasefire`` app."""
    app.command("calibrate")(calibrate_cmd)
