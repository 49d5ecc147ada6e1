"""One way to mount commands: every package's ``register(app)``, listed in ``cli.COMMAND_MODULES``."""

from __future__ import annotations

import importlib

import typer

from ceasefire import cli


def test_every_command_module_registers_and_the_cli_has_every_command():
    cli._mount()
    for module in cli.COMMAND_MODULES:
        assert callable(importlib.import_module(module).register), module
    group = typer.main.get_command(cli.app)
    assert set(group.commands) == {"run", "compare", "validate", "new", "schema", "backtest", "explore", "report", "serve",
                                   "fit", "evidence", "bargain", "claims", "calibrate"}
    assert {"range", "truce", "settle"} <= set(group.commands["bargain"].commands)
    assert not hasattr(cli, "SUBCOMMANDS") and not hasattr(cli, "COMMAND_REGISTRARS")


def test_mounting_twice_adds_nothing():
    cli._mount()
    n = len(cli.app.registered_commands) + len(cli.app.registered_groups)
    cli._mount()
    assert len(cli.app.registered_commands) + len(cli.app.registered_groups) == n
