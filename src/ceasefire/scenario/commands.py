"""``ceasefire validate``, ``ceasefire new`` and ``ceasefire schema``.

``validate`` checks a scenario against the schema (no simulation): with ``--all`` it lists
every problem, not the first few; with ``--strict`` it also lists the values still on a
default of ``ceasefire new`` and the documentation warnings (a ``doc:`` citation naming
a document it cannot find), and fails on any of them. ``new`` writes a commented starter
scenario (:mod:`ceasefire.scenario.template`) that validates and runs at once.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import InputError
from .load import ScenarioProblems, load_scenario
from .schema import Scenario

console = Console(emoji=False)  # user text (names, quotes) is escaped before it is printed; no emoji codes


def default_values(scenario: Scenario) -> list[str]:
    """Paths of the values whose source is still a default of ``ceasefire new``."""
    from . import iter_sourced_values
    from .template import DEFAULT_MARK

    return [path for path, _p, src in iter_sourced_values(scenario)
            if src.assumption is not None and src.assumption.strip().startswith(DEFAULT_MARK)]


def _document_ids(dirs: list[Path]) -> set[str]:
    """File stems (and names) of the articles in ``dirs``."""
    out: set[str] = set()
    for d in dirs:
        if d.is_dir():
            for f in d.iterdir():
                if f.is_file() and not f.name.startswith("."):
                    out.update((f.stem, f.name))
    return out


def _store_has(doc_ids: set[str]) -> set[str]:
    """The ids among ``doc_ids`` that the evidence store (its default location) holds; none if it is absent."""
    try:
        from ..evidence.store import Store, default_db_path
    except ImportError:  # the evidence part is not installed
        return set()
    path = default_db_path()
    if not path.exists():
        return set()
    try:
        store = Store(path, create=False)
    except InputError:
        return set()
    try:
        return {d for d in doc_ids if store.find_document(d) is not None}
    finally:
        store.close()


def documentation_warnings(scenario: Scenario, scenario_path: Path, dirs: list[Path]) -> list[str]:
    """Citations that name a document validate cannot find: a ``doc:`` id that is neither declared under
    ``documents`` nor in the evidence store nor a file in ``dirs``; and, when ``dirs`` are given, a
    declared document whose ``file`` is in none of them (nor beside the scenario)."""
    from . import iter_sourced_values

    cited: dict[str, list[str]] = {}
    for path, _p, src in iter_sourced_values(scenario):
        if src.doc:
            cited.setdefault(src.doc, []).append(path)
    files = _document_ids(dirs)
    undeclared = {d for d in cited if d not in scenario.documents and d not in files}
    in_store = _store_has(undeclared) if undeclared else set()
    out = []
    for doc in sorted(undeclared - in_store):
        where = cited[doc]
        more = f" and {len(where) - 1} more" if len(where) > 1 else ""
        looked = f", nor a file in {', '.join(str(d) for d in dirs)}" if dirs else ""
        out.append(f"{where[0]}{more}: cites document {doc!r}, which is not declared under `documents:`, not in the "
                   f"evidence store{looked}; declare it (title, publisher, date, file) or add it with "
                   "`ceasefire evidence add`")
    if dirs:
        here = _document_ids([scenario_path.parent])
        for key, doc in scenario.documents.items():
            if doc.file and doc.file not in files and doc.file not in here:
                out.append(f"documents.{key}.file: {doc.file!r} is not in {', '.join(str(d) for d in dirs)} "
                           "(nor beside the scenario)")
    return out


def validate_cmd(
    scenario_path: Path = typer.Argument(..., metavar="SCENARIO", help="Scenario YAML file"),
    show_all: bool = typer.Option(False, "--all", help="List every problem, not only the first few"),
    strict: bool = typer.Option(False, "--strict", help="Also fail on values still on a `ceasefire new` default "
                                                         "and on documentation warnings; lists every problem"),
    docs: Optional[list[Path]] = typer.Option(None, "--docs", help="Folder of the cited articles (repeatable); "
                                                                     "their files count as found documents"),
) -> None:
    """Check a scenario against the schema (no simulation)."""
    from . import iter_sourced_values

    dirs = [Path(d) for d in docs or []]
    for d in dirs:
        if not d.is_dir():
            raise InputError(f"--docs {d}: not a directory; give the folder holding the cited articles.")
    try:
        scenario = load_scenario(scenario_path)
    except ScenarioProblems as err:
        if not (show_all or strict):
            raise
        for line in err.problems:
            console.print(escape(f"{scenario_path}: {line}"), soft_wrap=True)
        raise InputError(f"{scenario_path} is not a valid scenario: {len(err.problems)} problem(s), listed above, "
                         "each naming its field.") from None
    warnings = documentation_warnings(scenario, Path(scenario_path), dirs)
    defaults = default_values(scenario) if strict else []
    kinds: dict[str, int] = {}
    for _, _, src in iter_sourced_values(scenario):
        kinds[src.kind] = kinds.get(src.kind, 0) + 1
    n = len(scenario.params())
    u = len(scenario.uncertain_parameters())
    console.print(escape(f"{scenario_path}: valid scenario '{scenario.name}': {len(scenario.sides)} sides, "
                         f"{len(scenario.supporters)} supporters, {n} values ({u} uncertain), "
                         f"{len(scenario.policies)} policies, {len(scenario.claims)} claims; sources: ")
                  + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items())))
    for w in warnings:
        console.print(escape(f"warning: {w}"), soft_wrap=True)
    for path in defaults:
        console.print(escape(f"default: {path} is still a `ceasefire new` default; replace it with a source"),
                      soft_wrap=True)
    if strict and (warnings or defaults):
        raise InputError(f"{scenario_path} is valid but not ready (--strict): {len(defaults)} value(s) still on a "
                         f"default and {len(warnings)} documentation warning(s), listed above.")


def new_cmd(
    path: Path = typer.Argument(..., metavar="NAME", help="Scenario name, or the path of the YAML to write "
                                                          "(NAME.yaml when no .yaml/.yml is given)"),
    sides: str = typer.Option(..., "--sides", help="The two sides, comma-separated, e.g. north,south"),
    supporter: Optional[list[str]] = typer.Option(None, "--supporter", help="SUPPORTER:SIDE, an outside "
                                                                            "supporter of a side (repeatable)"),
    start_date: str = typer.Option(dt.date.today().isoformat(), "--start-date", help="ISO date the scenario starts"),
    horizon_days: int = typer.Option(730, "--horizon-days", help="Days simulated"),
    force: bool = typer.Option(False, "--force", help="Replace the file if it exists"),
) -> None:
    """Write a commented starter scenario: every value a wide default with `source: assumption`, so it runs at once."""
    import yaml

    from ..outputs import write_text
    from .load import scenario_from_dict
    from .template import parse_supporters, starter_data, starter_yaml

    out = path if path.suffix in (".yaml", ".yml") else path.with_name(path.name + ".yaml")
    name = out.stem
    if out.exists() and not force:
        raise InputError(f"{out} exists; choose another name or pass --force to replace it.")
    if not out.parent.is_dir():
        raise InputError(f"{out.parent} is not a directory; create it first.")
    try:
        start = dt.date.fromisoformat(start_date)
    except ValueError:
        raise InputError(f"--start-date {start_date!r} is not an ISO date (YYYY-MM-DD).") from None
    side_names = [s.strip() for s in sides.split(",") if s.strip()]
    data = starter_data(name, side_names, parse_supporters(supporter or [], side_names), start_date=start,
                        horizon_days=horizon_days)
    text = starter_yaml(data)
    scenario_from_dict(yaml.safe_load(text), str(out))  # it must validate before it is written
    write_text(out, text)
    n = len(default_values(scenario_from_dict(yaml.safe_load(text), str(out))))
    console.print(escape(f"wrote {out}: {len(side_names)} sides, {len(data['supporters'])} supporters, every value "
                         f"a default ({n}). Run it: ceasefire compare {out}; list the defaults to replace: "
                         f"ceasefire validate --strict {out}"), soft_wrap=True)


def schema_cmd() -> None:
    """Print the JSON Schema of scenario files (for editors)."""
    typer.echo(json.dumps(Scenario.model_json_schema(), indent=2))


def register(app: typer.Typer) -> None:
    app.command("validate")(validate_cmd)
    app.command("new")(new_cmd)
    app.command("schema")(schema_cmd)
