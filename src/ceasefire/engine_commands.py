"""CLI commands of the engine: run, compare, validate, schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from .errors import InputError
from .scenario import Policy, Scenario, load_scenario

console = Console(markup=False, emoji=False)  # scenario and policy names are printed as written


def _policies(scenario: Scenario, policy: list[str] | None, only: bool) -> list[Policy]:
    from .cli_options import parse_policy

    extra = [parse_policy(text, scenario) for text in policy or []]
    base = [] if only else list(scenario.policies)
    names = {p.name for p in base}
    return base + [p for p in extra if p.name not in names]


def run(
    scenario_path: Path = typer.Argument(..., metavar="SCENARIO", help="Scenario YAML file"),
    policy: str = typer.Option("fight_on", "--policy", "-p", help="fight_on or truce:START_DAY:DAYS[:AID_LEVEL], or a policy name from the scenario"),
    runs: int = typer.Option(2000, "--runs", "-n", help="Number of runs in the ensemble"),
    seed: int = typer.Option(0, "--seed", help="Seed: the same seed gives the same numbers"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the results to this NetCDF file"),
    record_every: int = typer.Option(7, "--record-every", help="Keep the state every this many days"),
    force: bool = typer.Option(False, "--force", help="Replace an existing --out file"),
) -> None:
    """Run one policy's ensemble and print its outcomes."""
    from .cli_options import check_common, check_ensemble_memory, parse_policy
    from .engine import simulate
    from .outputs import atomic_write, check_out

    out = check_out(out, "file", force)
    scenario = load_scenario(scenario_path)
    check_common(runs, seed, record_every, scenario.horizon_days)
    pol = parse_policy(policy, scenario)
    check_ensemble_memory(scenario, runs, record_every)
    res = simulate(scenario, pol, runs=runs, seed=seed, record_every_days=record_every, progress=True)
    table = Table(title=f"{scenario.name}: {pol.name}, {runs} runs, seed {seed} (median, 90% interval)")
    table.add_column("outcome")
    for side in scenario.side_names:
        table.add_column(side, justify="right")
    for var in ("territory_share_final", "casualties_personnel_total", "gdp_index_final", "combat_power_share_final", "will_share_final"):
        cells = []
        for side in scenario.side_names:
            v = res.outcomes[var].sel(side=side).values
            cells.append(_interval(v))
        table.add_row(var, *cells)
    table.add_row("collapsed (share of runs)", *[f"{res.outcomes['collapsed'].sel(side=s).values.mean():.1%}" for s in scenario.side_names])
    console.print(table)
    if out:
        with atomic_write(out) as tmp:
            res.to_netcdf(tmp)
        console.print(f"wrote {out}")


def _compact(x: float) -> str:
    """A short number: 389k, 1.2M, 0.834, -0.021."""
    a = abs(x)
    if a >= 1e6:
        return f"{x / 1e6:.1f}M"
    if a >= 1e4:
        return f"{x / 1e3:.0f}k"
    if a >= 100:
        return f"{x:,.0f}"
    return f"{x:.3f}"


def _interval(v) -> str:
    """Median and 90% interval of per-run values, compactly: ``389k (261k-541k)``."""
    import numpy as np

    q = np.quantile(np.asarray(v, float), [0.05, 0.5, 0.95])
    return f"{_compact(q[1])} [{_compact(q[0])}, {_compact(q[2])}]"


def compare_cmd(
    scenario_path: Path = typer.Argument(..., metavar="SCENARIO", help="Scenario YAML file"),
    runs: int = typer.Option(4000, "--runs", "-n", help="Runs per policy"),
    seed: int = typer.Option(0, "--seed", help="Seed: the same seed gives the same numbers"),
    policy: Optional[list[str]] = typer.Option(None, "--policy", "-p", help="Add a policy: fight_on or truce:START_DAY:DAYS[:AID_LEVEL] (repeatable)"),
    only: bool = typer.Option(False, "--only", help="Use only the --policy policies, not the scenario's"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Directory for summary.md, tables, plots and NetCDF results"),
    record_every: int = typer.Option(7, "--record-every", help="Keep the state every this many days"),
    plots: bool = typer.Option(True, "--plots/--no-plots", help="Draw fan charts and the favours chart"),
    as_json: bool = typer.Option(False, "--json", help="Print the tables as JSON instead"),
    force: bool = typer.Option(False, "--force", help="Replace files of an earlier comparison in --out"),
) -> None:
    """Compare fighting on with truces, run by run on common random numbers."""
    from .cli_options import check_common, check_ensemble_memory
    from .engine import compare
    from .outputs import check_out
    from .summary import write_comparison

    scenario = load_scenario(scenario_path)
    check_common(runs, seed, record_every, scenario.horizon_days)
    pols = _policies(scenario, policy, only)
    check_out(out, "dir", force, contents=["summary.md", *(f"results-{p.name}.nc" for p in pols)])
    check_ensemble_memory(scenario, runs, record_every, policies=len(pols) + 1)
    cmp = compare(scenario, pols, runs=runs, seed=seed, record_every_days=record_every, progress=not as_json)
    if as_json:
        typer.echo(json.dumps({
            "scenario": scenario.name, "runs": runs, "seed": seed, "favours_definition": cmp.definition,
            "favours": cmp.favours_table().to_dict(orient="records"),
            "summary": cmp.summary().to_dict(orient="records"),
            "claims": cmp.claims.to_dict(orient="records"),
        }, indent=2))
    else:
        _print_comparison(cmp, runs)
    if out is not None:
        written = write_comparison(cmp, out, runs, plots=plots)
        if not as_json:
            console.print(f"wrote {written['summary']} and {len(written) - 1} other files in {out}")


def _print_comparison(cmp, runs: int) -> None:
    s = cmp.scenario
    fav = cmp.favours_table()
    t = Table(title=f"{s.name}: whom does the truce favour? ({runs} runs per policy, seed {cmp.seed})")
    t.add_column("policy")
    for c in fav.columns[1:]:
        t.add_column(f"favours {c}" if c != "neither" else "neither", justify="right")
    for side in s.side_names[:2] if len(s.side_names) == 2 else s.side_names:
        t.add_column(f"change of {side}'s power share", justify="right")
    for _, row in fav.iterrows():
        p = cmp.paired.sel(policy=row["policy"])
        t.add_row(row["policy"], *[f"{row[c]:.1%}" for c in fav.columns[1:]],
                  *[_interval(p["power_share_change_at_truce_end"].sel(side=sd).values)
                    for sd in (s.side_names[:2] if len(s.side_names) == 2 else s.side_names)])
    console.print(t)
    console.print(cmp.definition, style="dim")
    o = Table(title="Outcomes at the horizon (median, 90% interval)")
    o.add_column("policy")
    cols = []
    for k, side in enumerate(s.side_names):
        if not (len(s.side_names) == 2 and k == 1):  # with two sides the second territory share is 1 - the first
            cols.append(("territory_share_final", side, f"territory {side}"))
    for side in s.side_names:
        cols.append(("casualties_personnel_total", side, f"casualties {side}"))
    cols += [("gdp_index_final", s.side_names[0], f"GDP {s.side_names[0]}")]
    for sup in s.supporter_names[:1]:
        cols.append(("supporter_will_final", sup, f"will {sup}"))
    for _, _, label in cols:
        o.add_column(label, justify="right")
    for name, res in cmp.results.items():
        cells = []
        for var, who, _ in cols:
            dim = "supporter" if var.startswith("supporter") else "side"
            cells.append(_interval(res.outcomes[var].sel({dim: who}).values))
        o.add_row(name, *cells)
    console.print(o)
    if not cmp.claims.empty:
        c = Table(title="Claims from the articles: share of runs in which each holds")
        for col in ("claim", "policy", "proposition", "holds"):
            c.add_column(col)
        for _, r in cmp.claims.iterrows():
            c.add_row(r["claim"], r["policy"], r["proposition"], f"{r['holds_share']:.1%}")
        console.print(c)


def validate_cmd(scenario_path: Path = typer.Argument(..., metavar="SCENARIO", help="Scenario YAML file")) -> None:
    """Check a scenario against the schema (no simulation)."""
    from .scenario import iter_sourced_values

    scenario = load_scenario(scenario_path)
    kinds: dict[str, int] = {}
    for _, _, src in iter_sourced_values(scenario):
        kinds[src.kind] = kinds.get(src.kind, 0) + 1
    n = len(scenario.params())
    u = len(scenario.uncertain_parameters())
    console.print(f"{scenario_path}: valid scenario '{scenario.name}': {len(scenario.sides)} sides, "
                  f"{len(scenario.supporters)} supporters, {n} values ({u} uncertain), {len(scenario.policies)} policies, "
                  f"{len(scenario.claims)} claims; sources: " + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items())))


def schema_cmd() -> None:
    """Print the JSON Schema of scenario files (for editors)."""
    typer.echo(json.dumps(Scenario.model_json_schema(), indent=2))


def register(app: typer.Typer) -> None:
    """Add the engine's commands to the main app."""
    app.command("run")(run)
    app.command("compare")(compare_cmd)
    app.command("validate")(validate_cmd)
    app.command("schema")(schema_cmd)
