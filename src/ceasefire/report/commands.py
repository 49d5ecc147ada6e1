"""``ceasefire report``: one self-contained HTML file from an exploration directory."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

console = Console(stderr=True, markup=False, emoji=False)


def report_cmd(
    explore_dir: Path = typer.Argument(..., metavar="EXPLORATION", help="Directory written by `ceasefire explore`"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="HTML file to write (default: EXPLORATION/report.html)"),
    force: bool = typer.Option(False, "--force", help="Replace an existing report"),
    validation: Optional[list[Path]] = typer.Option(None, "--validation", help="A `ceasefire backtest` or `ceasefire calibrate` --out directory for the Validation section (repeat for several)"),
) -> None:
    """Write the HTML report of an exploration (plots embedded; one file to send)."""
    from ..errors import InputError
    from .build import build_report

    if not explore_dir.is_dir():
        raise InputError(f"{explore_dir} is not a directory; give the --out directory of `ceasefire explore`",
                         where="EXPLORATION")
    from ..outputs import check_out

    from ..explore.store import Store
    from .inputs import check_exploration

    check_out(out if out is not None else explore_dir / "report.html", "file", force)
    Store(explore_dir).read_manifest()  # a clear error if this is not an exploration
    check_exploration(explore_dir)  # every file the report reads: structure, labels, finite values
    path = build_report(explore_dir, out, validation=validation)
    console.print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``report`` to the main app."""
    app.command("report")(report_cmd)
