"""``ceasefire explore``: sample the uncertainties, sweep the policies, analyse why and when."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from ..errors import InputError

console = Console(stderr=True, markup=False, emoji=False)


def _ints(text: str | None, option: str) -> list[int]:
    if not text:
        return []
    try:
        return [int(v) for v in text.replace(" ", "").split(",") if v != ""]
    except ValueError:
        raise InputError(f"expected whole numbers separated by commas (e.g. 0,90,180), got {text!r}",
                         where=option) from None


def _floats(text: str | None, option: str) -> list[float]:
    if not text:
        return []
    try:
        return [float(v) for v in text.replace(" ", "").split(",") if v != ""]
    except ValueError:
        raise InputError(f"expected numbers separated by commas (e.g. 0.5,1), got {text!r}", where=option) from None


def explore_cmd(
    scenario_path: Path = typer.Argument(..., metavar="SCENARIO", help="Scenario YAML file"),
    out: Path = typer.Option(..., "--out", "-o", help="Directory of the exploration (created; resumable)"),
    samples: int = typer.Option(20000, "--samples", "-n", help="Futures to sample (a Saltelli design is rounded "
                                "down to N x (factors + 2) with N a power of two)"),
    design: str = typer.Option("saltelli", "--design", help="saltelli (Sobol' indices + discovery) or lhs"),
    seed: int = typer.Option(0, "--seed", help="Seed of the design and the engine: same seed, same numbers"),
    group_by: str = typer.Option("auto", "--group-by", help="Sobol' factors: parameter, mechanism, or auto "
                                 "(mechanism above 20 uncertain parameters)"),
    start_days: Optional[str] = typer.Option(None, "--start-days", help="Lever grid: truce start days, e.g. 0,90"),
    truce_days: Optional[str] = typer.Option(None, "--truce-days", help="Lever grid: truce lengths, e.g. 90,180,365"),
    aid_levels: Optional[str] = typer.Option(None, "--aid-levels", help="Lever grid: supporters' aid levels, e.g. 0.5,1"),
    side: Optional[str] = typer.Option(None, "--side", help="Side whose gain is analysed (default: the side of the "
                                       "scenario's first truce claim)"),
    executor: str = typer.Option("inprocess", "--executor", help="inprocess (all cores) or dask"),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786 "
                                            "(default: a LocalCluster)"),
    workers: Optional[int] = typer.Option(None, "--workers", help="Threads (inprocess) or LocalCluster workers"),
    connect_timeout: float = typer.Option(20.0, "--connect-timeout", help="Seconds to wait for the Dask scheduler"),
    chunk_size: int = typer.Option(1024, "--chunk-size", help="Futures per chunk (the unit of resumption)"),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted exploration in --out"),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing exploration in --out"),
    map_start_days: Optional[str] = typer.Option(None, "--map-start-days", help="Truce map start days"),
    map_truce_days: Optional[str] = typer.Option(None, "--map-truce-days", help="Truce map lengths"),
    map_runs: int = typer.Option(200, "--map-runs", help="Runs per truce-map cell"),
    fan_runs: int = typer.Option(400, "--fan-runs", help="Runs per policy for the fan charts"),
) -> None:
    """Explore a scenario: which inputs drive the answer, and under which conditions a truce favours each side."""
    from ..scenario import load_scenario
    from .pipeline import ExploreOptions, explore

    if resume and force:
        raise InputError("--resume and --force contradict each other; choose one", where="--resume")
    from ..cli_options import check_seed

    check_seed(seed)
    scenario = load_scenario(scenario_path)
    opts = ExploreOptions(
        samples=samples, design=design, seed=seed, group_by=group_by, chunk_size=chunk_size, executor=executor,
        scheduler=scheduler, workers=workers, connect_timeout_s=connect_timeout, resume=resume, force=force,
        focus_side=side,
        start_days=_ints(start_days, "--start-days"), truce_days=_ints(truce_days, "--truce-days"),
        aid_levels=_floats(aid_levels, "--aid-levels"), map_start_days=_ints(map_start_days, "--map-start-days"),
        map_truce_days=_ints(map_truce_days, "--map-truce-days"), map_runs=map_runs, fan_runs=fan_runs,
        progress=True,
    )
    from ..outputs import check_out

    check_out(out, "dir", force=True)  # kind and writability; the store itself handles --resume/--force
    summary = explore(scenario, scenario_path, out, opts, log=lambda m: console.print(m, highlight=False))
    for row in summary["favours_table"]:
        shares = ", ".join(f"{summary['sides'].get(k, k)} {v:.0%}" for k, v in row.items()
                           if k not in ("policy", "description"))
        console.print(f"  {row['description']}: favours {shares}", highlight=False)
    console.print(f"next: ceasefire report {out}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``explore`` to the main app."""
    app.command("explore")(explore_cmd)
