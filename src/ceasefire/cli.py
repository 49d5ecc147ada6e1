"""The ``ceasefire`` command line.

Every command turns bad input into a one-paragraph message on stderr and exit
code 2 (``InputError``), never a traceback. Sub-command groups live beside the
code they drive (``evidence/commands.py``, ``bargain/commands.py``, ...); each such
module has one ``register(app)`` that adds its commands and groups, and
:data:`COMMAND_MODULES` lists them. The CLI is the top of the data flow, so it may
import anything.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import typer
from rich.console import Console
from rich.markup import escape

from .errors import InputError

app = typer.Typer(
    name="ceasefire",
    help="Make arguments about ending a war executable: simulate, compare truces, bargain, check sources.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err_console = Console(stderr=True, emoji=False)

#: Modules that add commands: each has ``register(app)``, which adds its plain commands
#: (``app.command``) and its groups (``app.add_typer``) to the main app. A module that is
#: not installed (an optional part) is skipped.
COMMAND_MODULES: list[str] = [
    "ceasefire.scenario.commands",
    "ceasefire.compare.commands",
    "ceasefire.validate.commands",
    "ceasefire.calibrate.commands",
    "ceasefire.explore.commands",
    "ceasefire.report.commands",
    "ceasefire.dashboard.commands",
    "ceasefire.evidence.commands",
    "ceasefire.bargain.commands",
]


_MOUNTED = False


def _mount() -> None:
    """Add every package's commands once (idempotent)."""
    global _MOUNTED
    if _MOUNTED:
        return
    _MOUNTED = True
    for module in COMMAND_MODULES:
        try:
            spec = importlib.util.find_spec(module)
        except ModuleNotFoundError:
            spec = None
        if spec is None:
            continue
        importlib.import_module(module).register(app)


def fail(message: str) -> None:
    """Print a user-facing error paragraph and exit with code 2."""
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True, emoji=False)
    raise SystemExit(2)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``ceasefire`` script."""
    _mount()
    try:
        app(args=argv, standalone_mode=True)
    except InputError as exc:
        fail(str(exc))
    except ValueError as exc:  # a pydantic ValidationError that escaped a command: still one paragraph
        from pydantic import ValidationError

        if not isinstance(exc, ValidationError):
            raise
        from .cli_options import one_paragraph

        fail(one_paragraph(exc, "invalid input"))
    except KeyboardInterrupt:
        err_console.print("interrupted; results already written are kept")
        raise SystemExit(130) from None


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
