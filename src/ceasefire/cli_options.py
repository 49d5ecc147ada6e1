"""One definition of the options many commands share, and one check for each.

``--runs``, ``--seed``, ``--record-every``, ``--out`` and ``--force`` mean the same thing
in every command, so they are declared here once (:func:`runs_option`, ...) and
checked here once (:func:`check_runs`, ...), instead of ``runs >= 1`` in one command,
``runs >= 2`` in another and a Typer ``min`` in a third. Every check raises
:class:`~ceasefire.errors.InputError` (exit code 2, a one-paragraph message naming
the option).

Also here: the one-paragraph form of a pydantic error for command-line values
(:func:`one_paragraph`), a policy read from the command line and checked against
its scenario (:func:`parse_policy`), finite-number checks (:func:`check_finite`) and
the memory estimate of an ensemble made before anything is allocated
(:func:`check_ensemble_memory`).
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from .errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from .scenario import Policy, Scenario

#: The largest ensemble a command accepts; memory is checked separately.
MAX_RUNS = 10_000_000
#: Seeds are 63-bit non-negative integers (NumPy accepts larger, files store int64).
MAX_SEED = 2**63 - 1
#: Days in the longest horizon the schema accepts (``Scenario.horizon_days``).
MAX_DAYS = 36_500
#: Share of the machine's available memory an ensemble may take.
MEMORY_SHARE = 0.5
#: Environment variable overriding the memory budget, in MB.
MEMORY_ENV = "CEASEFIRE_MAX_MEMORY_MB"


# ----------------------------------------------------------------- option declarations
def runs_option(default: int, help: str = "Number of runs in the ensemble") -> int:
    """``--runs/-n``: ensemble size (checked by :func:`check_runs`)."""
    return typer.Option(default, "--runs", "-n", help=help)


def seed_option(help: str = "Seed: the same seed gives the same numbers") -> int:
    """``--seed``: a non-negative integer (checked by :func:`check_seed`)."""
    return typer.Option(0, "--seed", help=help)


def record_every_option(default: int = 7) -> int:
    """``--record-every``: keep the state every this many days (checked by :func:`check_record_every`)."""
    return typer.Option(default, "--record-every", help="Keep the state every this many days")


def out_option(help: str, default: Optional[Path] = None, required: bool = False) -> Optional[Path]:
    """``--out/-o``: where results go (checked by :func:`ceasefire.outputs.check_out`)."""
    return typer.Option(... if required else default, "--out", "-o", help=help)


def force_option(help: str = "Replace existing output files") -> bool:
    """``--force``: allow replacing what ``--out`` already holds."""
    return typer.Option(False, "--force", help=help)


# ----------------------------------------------------------------------------- checks
def check_int(value: int, option: str, low: int, high: int) -> int:
    """``value`` is a whole number in [low, high] (``True`` is not a number)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"expected a whole number, got {value!r}", where=option)
    if value < low:
        if low == 0:
            raise InputError(f"{option} must not be negative, got {value:,}.")
        raise InputError(f"{option} must be at least {low:,}, got {value:,}.")
    if value > high:
        raise InputError(f"{option} must be at most {high:,}, got {value:,}.")
    return value


def check_runs(runs: int, minimum: int = 1, option: str = "--runs") -> int:
    """Ensemble size: at least ``minimum`` (2 where a spread is estimated), at most :data:`MAX_RUNS`."""
    return check_int(runs, option, minimum, MAX_RUNS)


def check_seed(seed: int, option: str = "--seed") -> int:
    """A seed: 0 to 2**63 - 1."""
    return check_int(seed, option, 0, MAX_SEED)


def check_record_every(days: int, horizon_days: int | None = None, option: str = "--record-every") -> int:
    """Recording interval: 1 day up to the horizon."""
    return check_int(days, option, 1, horizon_days or MAX_DAYS)


def check_finite(value: float, option: str, low: float = -math.inf, high: float = math.inf,
                 low_open: bool = False) -> float:
    """A finite number in [low, high] (``(low, high]`` with ``low_open``); NaN and inf are refused."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError(f"expected a number, got {value!r}", where=option) from None
    if not math.isfinite(x):
        raise InputError(f"must be a finite number, got {value!r}", where=option)
    if x < low or x > high or (low_open and x == low):
        lo = "(" if low_open else "["
        raise InputError(f"must be in {lo}{low:g}, {high:g}], got {x:g}", where=option)
    return x


def check_common(runs: int, seed: int, record_every: int | None = None, horizon_days: int | None = None,
                 min_runs: int = 1) -> None:
    """The checks of ``--runs``, ``--seed`` and (if given) ``--record-every`` together."""
    check_runs(runs, min_runs)
    check_seed(seed)
    if record_every is not None:
        check_record_every(record_every, horizon_days)


# --------------------------------------------------------------------- pydantic errors
def one_paragraph(err: Exception, where: str) -> str:
    """A pydantic ``ValidationError`` (or any error) as one paragraph naming the field, without URLs."""
    from pydantic import ValidationError

    if isinstance(err, ValidationError):
        parts = []
        for e in err.errors()[:6]:
            loc = ".".join(str(x) for x in e.get("loc", ()) if not str(x).startswith("function-"))
            msg = str(e.get("msg", "")).removeprefix("Value error, ")
            parts.append(f"{loc}: {msg}" if loc else msg)
        return f"{where}: " + "; ".join(parts)
    text = " ".join(str(err).split())
    text = text.split(" For further information visit")[0]
    return f"{where}: {text}"


def parse_policy(text: str, scenario: "Scenario", option: str = "--policy") -> "Policy":
    """A policy from the command line, read by the one policy parser (:func:`ceasefire.scenario.policies.parse_policy`,
    which also checks it against the scenario), after refusing day counts too large for the engine."""
    import re

    from .scenario.policies import parse_policy as _parse

    for number in re.findall(r"(?<![\d.])\d+(?![\d.])", text):  # whole numbers (days), not an aid's decimals
        if len(number) > 9:
            raise InputError(f"{text!r}: the number {number} is too large (days must be at most "
                             f"{MAX_DAYS:,})", where=option)
    return _parse(text, scenario, where=option)


# ----------------------------------------------------------------------------- memory
def available_memory_bytes() -> int:
    """Memory this process may use: ``CEASEFIRE_MAX_MEMORY_MB`` if set, else a share of MemAvailable."""
    env = os.environ.get(MEMORY_ENV)
    if env:
        try:
            return int(float(env) * 1e6)
        except ValueError:
            raise InputError(f"{MEMORY_ENV}={env!r} is not a number of MB") from None
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(MEMORY_SHARE * int(line.split()[1]) * 1024)
    except OSError:
        pass
    try:
        return int(MEMORY_SHARE * os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - exotic platforms
        return 8 * 2**30


def ensemble_bytes(runs: int, horizon_days: int, record_every: int, n_sides: int, n_supporters: int,
                   policies: int = 1, side_variables: int | None = None, supporter_variables: int | None = None,
                   bytes_per_value: int = 4,
                   copies: int = 2) -> int:
    """Estimated bytes of ``policies`` ensembles: runs x kept days x variables x (sides + supporters) x bytes.

    The kept days are ``horizon / record_every + 2`` (both ends). The engine records every stock and flow of
    the registry (``ceasefire.variables``) per side and per supporter in float32 (``engine/simulate.py``, ``Buffers``),
    and the trajectories exist twice while they become an xarray Dataset (``copies``).
    For ``--runs 2000000`` on the Kherson scenario this gives 2 x 37.9 GiB, of which the
    first buffer is the 37.9 GiB NumPy failed to allocate in issue 16.
    """
    from . import variables as V

    side_variables = len(V.SIDE_STOCKS + V.SIDE_FLOWS) if side_variables is None else side_variables
    supporter_variables = len(V.SUPPORTER_STOCKS + V.SUPPORTER_FLOWS) if supporter_variables is None else supporter_variables
    kept = horizon_days // max(record_every, 1) + 2
    per_run = kept * (n_sides * side_variables + n_supporters * supporter_variables) * bytes_per_value * copies
    return int(runs) * per_run * int(policies)


def check_ensemble_memory(scenario: "Scenario", runs: int, record_every: int, policies: int = 1,
                          option: str = "--runs") -> int:
    """Refuse, before allocating, an ensemble estimated to need more memory than is available."""
    need = ensemble_bytes(runs, scenario.horizon_days, record_every, len(scenario.sides),
                          len(scenario.supporters), policies)
    have = available_memory_bytes()
    if need > have:
        fit = max(1, int(runs * have / need))
        raise InputError(
            f"{runs:,} runs x {policies} polic{'y' if policies == 1 else 'ies'} x "
            f"{scenario.horizon_days // max(record_every, 1) + 2} kept days would need about {need / 1e9:.1f} GB, "
            f"more than the {have / 1e9:.1f} GB available; use at most about {fit:,} runs, or keep fewer days "
            f"with a larger --record-every (or set {MEMORY_ENV})", where=option)
    return need
