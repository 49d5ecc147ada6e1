"""``ceasefire validate`` and ``ceasefire schema``: check a scenario, print its JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from .load import load_scenario
from .schema import Scenario

console = Console(emoji=False)  # user text (names, quotes) is escaped before it is printed; no emoji codes


def validate_cmd(scenario_path: Path = typer.Argument(..., metavar="SCENARIO", help="Scenario YAML file")) -> None:
    """Check a scenario against the schema (no simulation)."""
    from . import iter_sourced_values

    scenario = load_scenario(scenario_path)
    kinds: dict[str, int] = {}
    for _, _, src in iter_sourced_values(scenario):
        kinds[src.kind] = kinds.get(src.kind, 0) + 1
    n = len(scenario.params())
    u = len(scenario.uncertain_parameters())
    console.print(escape(f"{scenario_path}: valid scenario '{scenario.name}': {len(scenario.sides)} sides, "
                         f"{len(scenario.supporters)} supporters, {n} values ({u} uncertain), "
                         f"{len(scenario.policies)} policies, {len(scenario.claims)} claims; sources: ")
                  + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items())))


def schema_cmd() -> None:
    """Print the JSON Schema of scenario files (for editors)."""
    typer.echo(json.dumps(Scenario.model_json_schema(), indent=2))


def register(app: typer.Typer) -> None:
    app.command("validate")(validate_cmd)
    app.command("schema")(schema_cmd)
