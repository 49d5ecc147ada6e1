"""The ``ceasefire`` command line.

Every command turns bad input into a one-paragraph message on stderr and exit
code 2 (``InputError``), never a traceback. Sub-command groups live beside the
code they drive (``evidence/commands.py``, ``bargain/commands.py``, ...) and are
mounted here; the CLI is the top of the data flow, so it may import anything.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import typer
from rich.console import Console

from .errors import InputError

app = typer.Typer(
    name="ceasefire",
    help="Make arguments about ending a war executable: simulate, compare truces, bargain, check sources.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err_console = Console(stderr=True, emoji=False)

#: (command name, module, attribute) of sub-command groups mounted on the main app.
SUBCOMMANDS: list[tuple[str, str, str]] = [
    ("evidence", "ceasefire.evidence.commands", "app"),
    ("bargain", "ceasefire.bargain.commands", "app"),
    ("fit", "ceasefire.validate.commands", "fit_app"),
]

#: (module, function) of plain commands registered by other packages: each
#: function takes the main Typer app and adds its commands.
COMMAND_REGISTRARS: list[tuple[str, str]] = [
    ("ceasefire.engine_commands", "register"),
    ("ceasefire.validate.commands", "register"),
    ("ceasefire.explore.commands", "register"),
    ("ceasefire.report.commands", "register"),
    ("ceasefire.dashboard.commands", "register"),
]


_MOUNTED = False


def _mount() -> None:
    """Add the sub-command groups and commands once (idempotent)."""
    global _MOUNTED
    if _MOUNTED:
        return
    _MOUNTED = True
    for name, module, attr in SUBCOMMANDS:
        if importlib.util.find_spec(module) is None:
            continue
        app.add_typer(getattr(importlib.import_module(module), attr), name=name)
    for module, func in COMMAND_REGISTRARS:
        try:
            spec = importlib.util.find_spec(module)
        except ModuleNotFoundError:
            spec = None
        if spec is None:
            continue
        getattr(importlib.import_module(module), func)(app)


def fail(message: str) -> None:
    """Print a user-facing error paragraph and exit with code 2."""
    from rich.markup import escape

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
