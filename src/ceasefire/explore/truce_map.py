"""The truce map: who a truce favours, as a function of when it starts and how long it lasts.

Each cell (start day, truce length) pairs a truce with fighting on at the same
aid level, run by run, on the same Latin-hypercube sample of the uncertain
parameters (common random numbers across cells too, so neighbouring cells differ
by the lever only). Cells whose truce would end after the horizon are NaN.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from ..compare import FAVOURS_DEFINITION, FAVOURS_MARGIN
from ..errors import InputError
from ..scenario import Policy, Scenario
from .design import make_design
from .executors import ChunkTask, InProcessExecutor
from .store import chunk_bounds
from .levers import check_lever, fight_on_name, truce_name
from .model import EngineModel

QUANTILES = (0.05, 0.5, 0.95)


def default_grid(horizon_days: int) -> tuple[list[int], list[int]]:
    """Start days 0 .. half the horizon, lengths 30 days .. a year (within the horizon)."""
    starts = sorted({int(round(f * horizon_days)) for f in (0.0, 0.125, 0.25, 0.375, 0.5)})
    lengths = [d for d in (30, 90, 180, 270, 365) if d < horizon_days] or [max(1, horizon_days // 4)]
    return starts, lengths


def truce_map(scenario: Scenario, start_days: list[int], truce_days: list[int], runs: int = 200, seed: int = 0,
              aid_level: float = 1.0, margin: float = FAVOURS_MARGIN, executor=None,
              chunk_runs: int = 256) -> xr.Dataset:
    """Share of runs each truce favours each side, over a grid of start day x truce length.

    Variables: ``share_favours`` (start_day, truce_days, side), ``share_neither``
    (start_day, truce_days), ``power_share_change`` (start_day, truce_days, side,
    quantile) at the truce's end, ``territory_share_change_final`` (same dims), and
    ``valid`` (start_day, truce_days). Lever values outside their ranges are an
    InputError; cells running past the horizon are NaN and ``valid`` False.
    ``executor`` (see :mod:`.executors`) spreads chunks of ``chunk_runs`` runs; the
    numbers do not depend on it.
    """
    if runs < 1:
        raise InputError(f"the truce map needs at least 1 run per cell, got {runs}", where="--map-runs")
    start_days = [int(s) for s in dict.fromkeys(start_days)]
    truce_days = [int(d) for d in dict.fromkeys(truce_days)]
    if not start_days or not truce_days:
        raise InputError("the truce map needs at least one start day and one truce length", where="--map-start-days")
    for s in start_days:
        check_lever(scenario, s, 1, aid_level, "truce map start day")
    for d in truce_days:
        check_lever(scenario, 0, d, aid_level, "truce map length")
    h = scenario.horizon_days
    base = Policy(name=fight_on_name(aid_level), kind="fight_on", aid_level=aid_level)
    cells = [(s, d) for s in start_days for d in truce_days if s + d <= h]
    policies = [base] + [Policy(name=truce_name(s, d, aid_level), kind="truce", start_day=s, days=d,
                                aid_level=aid_level) for s, d in cells]
    model = EngineModel(scenario, tuple(policies), margin=margin)
    params = model.parameters
    if params:
        unit = make_design(params, runs, "lhs", seed=seed).unit_samples
    else:
        unit = np.zeros((runs, 0))
    executor = executor or InProcessExecutor(1)
    tasks = [ChunkTask(k, a, b, unit[a:b]) for k, (a, b) in enumerate(chunk_bounds(runs, chunk_runs))]
    parts = sorted(executor.run(model, tasks, seed), key=lambda item: item[0].index)
    out = xr.concat([ds for _, ds in parts], dim="run")
    sides = scenario.side_names
    shape = (len(start_days), len(truce_days))
    share = np.full(shape + (len(sides),), np.nan)
    neither = np.full(shape, np.nan)
    dpower = np.full(shape + (len(sides), len(QUANTILES)), np.nan)
    dterr = np.full(shape + (len(sides), len(QUANTILES)), np.nan)
    valid = np.zeros(shape, dtype=bool)
    for s, d in cells:
        i, j = start_days.index(s), truce_days.index(d)
        cell = out.sel(policy=truce_name(s, d, aid_level))
        fav = cell["favours"].transpose("run", "side").values
        share[i, j] = fav.mean(axis=0)
        neither[i, j] = 1.0 - fav.any(axis=1).mean()
        dpower[i, j] = np.quantile(cell["power_share_change_at_truce_end"].transpose("run", "side").values,
                                   QUANTILES, axis=0).T
        dterr[i, j] = np.quantile(cell["territory_share_change_final"].transpose("run", "side").values,
                                  QUANTILES, axis=0).T
        valid[i, j] = True
    dims = ("start_day", "truce_days")
    return xr.Dataset(
        {
            "share_favours": (dims + ("side",), share, {"units": "share of runs"}),
            "share_neither": (dims, neither, {"units": "share of runs"}),
            "power_share_change": (dims + ("side", "quantile"), dpower,
                                   {"units": "share of total combat power", "description":
                                    "truce minus fight-on, on the day the truce ends"}),
            "territory_share_change_final": (dims + ("side", "quantile"), dterr,
                                             {"units": "share of contested territory",
                                              "description": "truce minus fight-on, at the horizon"}),
            "valid": (dims, valid),
        },
        coords={"start_day": start_days, "truce_days": truce_days, "side": sides, "quantile": list(QUANTILES)},
        attrs={"runs": int(runs), "seed": int(seed), "aid_level": float(aid_level), "horizon_days": int(h),
               "favours_definition": FAVOURS_DEFINITION.format(margin=margin),
               "sample": "Latin hypercube of the uncertain parameters, the same for every cell"},
    )
