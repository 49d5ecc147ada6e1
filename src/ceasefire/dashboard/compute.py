"""Run the ensembles a page needs, once: a thread-safe cache keyed by everything that sets the numbers.

A view is fight-on and the chosen truce, both at the chosen aid level, on common
random numbers, assembled into the compared ensemble by :func:`ceasefire.compare.assemble`
(the one baseline rule and pairing, so "favours" means exactly what ``ceasefire
compare`` says it means).

Speed: fight-on does not depend on the truce's start, length or halted flows.
It is run once per (scenario, what-ifs, aid level, runs, seed) with each side's
share of combat power kept on *every* day (the one number the pairing needs), so
any truce end can be paired with it; moving a truce control then re-runs only
the truce. A download that wants fight-on's whole state on the truce's days
re-runs it for those days (the same numbers: runs are deterministic).

Where the engine runs: by default in the server process, on worker threads
(``processes=0``): the engine's compiled kernel spreads the runs over the cores
it is given and releases the interpreter lock, so the server's event loop keeps
serving pages meanwhile, and nothing is copied between processes. Ensembles
share the machine's cores through a :class:`CoreBudget`: one ensemble takes
them all, and when a change needs both policies anew (aid level, what-if) the
two run side by side on half the cores each, which is ~10 % faster than one
after the other (no barrier between them, no idle core at either's end). With
``processes`` >= 1 ensembles run in that many worker processes (an engine that holds the interpreter lock would otherwise stall the
server); an ensemble is split into blocks of runs (``run_offset``) computed in
parallel and concatenated. A run's result depends only on (scenario, policy,
seed, run index), so the numbers are identical either way.

Results are deterministic functions of the settings, so sessions share cached
results without seeing each other's settings: a session only ever receives the
entry for its own key. Concurrent requests for one key wait for the single
computation in flight instead of repeating it.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing as mp
import os
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd
import xarray as xr

from ..scenario import Policy, Scenario
from .state import Settings, apply_what_ifs
from .summary import STOCKS, fan_bands, outcome_table

_BAND_SERIALS = itertools.count(1)
_BAND_POOL = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="ceasefire-bands")

#: Spacing of recorded days in the trajectories the page draws.
RECORD_EVERY_DAYS = 7
#: Below this many runs an ensemble is not split across processes (start-up costs more than it saves).
MIN_RUNS_TO_SPLIT = 400
#: What fight-on keeps on every day: the pairing compares each side's share of combat power on the truce's end.
FIGHT_ON_DAILY_VARS = ("power_share",)


def _simulate_block(scenario: Scenario, policy: Policy, runs: int, seed: int, run_offset: int,
                    snapshot_days: list[int], snapshot_vars: tuple[str, ...] | None = None,
                    workers: int | None = None):
    """One block of runs (top level so worker processes can run it)."""
    from ..engine import simulate

    return simulate(scenario, policy, runs=runs, seed=seed, run_offset=run_offset,
                    record_every_days=RECORD_EVERY_DAYS, snapshot_days=snapshot_days, snapshot_vars=snapshot_vars,
                    workers=workers)


class CoreBudget:
    """The machine's cores, handed out to ensembles running in this process (so they never oversubscribe)."""

    def __init__(self, total: int):
        self.total = max(1, int(total))
        self.free = self.total
        self._cond = threading.Condition()

    @contextlib.contextmanager
    def take(self, wanted: int | None = None):
        """Wait for ``wanted`` cores (all of them by default) and yield how many were taken."""
        n = self.total if wanted is None else min(max(1, int(wanted)), self.total)
        with self._cond:
            self._cond.wait_for(lambda: self.free >= n)
            self.free -= n
        try:
            yield n
        finally:
            with self._cond:
                self.free += n
                self._cond.notify_all()


def _concat_results(parts: list):
    """Blocks of runs of one ensemble, in run order, as one result."""
    if len(parts) == 1:
        return parts[0]
    from ..engine import Results

    first = parts[0]
    cat = lambda name: xr.concat([getattr(p, name) for p in parts], dim="run", data_vars="minimal",  # noqa: E731
                                 coords="minimal", compat="override", join="override")
    return Results(first.scenario, first.policy, first.seed, cat("trajectories"), cat("outcomes"), cat("parameters"))


@dataclass
class View:
    """Everything a page draws for one set of settings."""

    settings: Settings
    scenario: Scenario  # with the what-if values applied
    fight: Any  # engine Results (fight-on at the chosen aid level; power shares on every day)
    truce: Any  # engine Results (the chosen truce)
    paired: xr.Dataset | None = None  # the compared ensemble's truce row: truce minus fight-on, run by run
    ensemble: xr.Dataset | None = None  # the compared ensemble of (fight-on, truce), outcomes only
    table: pd.DataFrame | None = None
    favours: dict[str, float] = field(default_factory=dict)
    #: every favours measure (ceasefire.compare.favours.measures_table of the compared ensemble)
    measures: pd.DataFrame | None = None
    claims: pd.DataFrame | None = None
    definition: str = ""
    seconds: float = 0.0  # wall time to produce this view (0 when fully cached)
    #: re-runs fight-on for these settings with every snapshot variable on the given days
    rerun_fight: Callable[[list[int]], Any] | None = None

    def _result(self, policy: str):
        return self.fight if policy == "fight_on" else self.truce

    def band(self, policy: str, var: str) -> xr.DataArray | None:
        """Fan-chart quantiles of ``var`` under ``policy`` ("fight_on" or "truce"), computed when first asked.

        They are memoised on the engine result, so fight-on's bands are computed
        once for every truce paired with it."""
        self.prepare_bands([(policy, var)])
        return self._result(policy).__dict__.get("_dashboard_bands", {}).get(var)

    def prepare_bands(self, wanted: list[tuple[str, str]]) -> None:
        """Compute the fan bands of (policy, var) pairs not yet memoised, on all cores at once
        (sorting releases the interpreter lock): half the wait of computing them in turn."""
        todo = [(policy, var) for policy, var in dict.fromkeys(wanted)
                if var in self._result(policy).trajectories
                and var not in self._result(policy).__dict__.get("_dashboard_bands", {})]
        compute = lambda pv: fan_bands(self._result(pv[0]).trajectories, pv[1])  # noqa: E731
        done = list(_BAND_POOL.map(compute, todo)) if len(todo) > 1 else [compute(pv) for pv in todo]
        for (policy, var), da in zip(todo, done):
            da.attrs["band_serial"] = next(_BAND_SERIALS)  # lets a chart skip re-sending unchanged data
            self._result(policy).__dict__.setdefault("_dashboard_bands", {}).setdefault(var, da)

    @property
    def stocks(self) -> list[str]:
        """The stocks the engine recorded, in the page's order."""
        return [v for v in STOCKS if v in self.fight.trajectories]

    @property
    def truce_end_day(self) -> int:
        return min(self.settings.end_day, self.scenario.horizon_days)

    def fight_for_export(self):
        """Fight-on with its whole state on the truce's days, as the truce's result has it.

        The cache keeps only the power shares on every day, so this re-runs fight-on
        for those days (identical numbers: a run depends only on scenario, policy,
        seed and run index)."""
        from ..compare.ensemble import ASSESS_AFTER_DAYS

        days = {0, self.settings.start_day, self.truce_end_day, self.scenario.horizon_days}
        if self.truce_end_day + ASSESS_AFTER_DAYS <= self.scenario.horizon_days:  # favours "N days after resuming"
            days.add(self.truce_end_day + ASSESS_AFTER_DAYS)
        days = sorted(days)
        if self.rerun_fight is None:
            raise RuntimeError("this view cannot re-run fight-on")
        return self.rerun_fight(days)


class LRU:
    """A small thread-safe least-recently-used map whose values are computed once per key."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._items: OrderedDict[object, Future] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def has(self, key: object) -> bool:
        """Whether ``key`` is cached or being computed."""
        with self._lock:
            return key in self._items

    def get_or_compute(self, key: object, fn: Callable[[], object]) -> tuple[object, bool]:
        """(value, was_cached). Exceptions propagate to every waiter and are not cached."""
        with self._lock:
            fut = self._items.get(key)
            owner = fut is None
            if owner:
                fut = Future()
                self._items[key] = fut
                self.misses += 1
                while len(self._items) > self.max_entries:
                    self._items.popitem(last=False)
            else:
                self._items.move_to_end(key)
                self.hits += 1
        if owner:
            try:
                fut.set_result(fn())
            except BaseException as exc:  # noqa: BLE001 - handed to waiters, then re-raised
                with self._lock:
                    if self._items.get(key) is fut:
                        del self._items[key]
                fut.set_exception(exc)
        return fut.result(), not owner


class Computer:
    """Produces :class:`View` objects for settings; shared by all sessions of a server.

    ``processes`` > 1 splits each ensemble into that many blocks of runs computed
    in worker processes (spawned, so the server's threads are not forked).
    ``simulate`` replaces the engine (same signature as
    :func:`ceasefire.engine.simulate`), for tests of the cache itself.
    """

    def __init__(self, scenarios: dict[str, Scenario], simulate: Callable | None = None, processes: int = 0,
                 max_views: int = 16, max_fight_on: int = 4, max_truces: int = 16):
        self.scenarios = scenarios
        self._simulate_fn = simulate
        self.processes = processes if simulate is None else 0
        self._pool: ProcessPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        self.cores = CoreBudget(os.cpu_count() or 1)  # in-process ensembles share the cores
        self._side = ThreadPoolExecutor(max_workers=4, thread_name_prefix="ceasefire-fight-on")
        self._scenarios = LRU(64)
        self._fight = LRU(max_fight_on)
        self._truce = LRU(max_truces)
        self._views = LRU(max_views)

    # -- plumbing ---------------------------------------------------------------
    def pool(self) -> ProcessPoolExecutor | None:
        if self.processes < 1:
            return None
        with self._pool_lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(self.processes, mp_context=mp.get_context("spawn"))
            return self._pool

    def warm_up(self) -> None:
        """Start the workers and run a tiny ensemble in each (imports, compiled-kernel loading)."""
        sc = next(iter(self.scenarios.values()))
        pool = self.pool()
        if pool is not None:
            n = self.processes
            list(pool.map(_simulate_block, [sc] * n, [Policy(name="warm")] * n, [2] * n, [0] * n, [0] * n,
                          [[]] * n))
        elif self._simulate_fn is None:
            with self.cores.take() as n:
                _simulate_block(sc, Policy(name="warm"), 2, 0, 0, [], None, n)

    def close(self) -> None:
        self._side.shutdown(wait=False, cancel_futures=True)
        with self._pool_lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None

    def simulate(self, scenario: Scenario, policy: Policy, runs: int, seed: int, snapshot_days: list[int],
                 snapshot_vars: tuple[str, ...] | None = None, cores: int | None = None):
        """One policy's ensemble on ``cores`` of this process's cores (all by default), or split across
        worker processes when there are any."""
        if self._simulate_fn is not None:
            return self._simulate_fn(scenario, policy, runs=runs, seed=seed, record_every_days=RECORD_EVERY_DAYS,
                                     snapshot_days=snapshot_days, snapshot_vars=snapshot_vars)
        pool = self.pool()
        if pool is None:
            with self.cores.take(cores) as n:
                return _simulate_block(scenario, policy, runs, seed, 0, snapshot_days, snapshot_vars, n)
        blocks = self.processes if runs >= MIN_RUNS_TO_SPLIT else 1
        bounds = np.linspace(0, runs, blocks + 1).astype(int)
        futures = [pool.submit(_simulate_block, scenario, policy, int(b - a), seed, int(a), snapshot_days,
                               snapshot_vars)
                   for a, b in zip(bounds[:-1], bounds[1:]) if b > a]
        return _concat_results([f.result() for f in futures])

    # -- the cache ----------------------------------------------------------------
    def scenario_for(self, settings: Settings) -> Scenario:
        """The registered scenario with the settings' what-if values applied (InputError if invalid)."""
        base = self.scenarios[settings.scenario]
        value, _ = self._scenarios.get_or_compute(
            (settings.scenario, id(base), settings.overrides), lambda: apply_what_ifs(base, settings.overrides)
        )
        return value

    def _fight_key(self, settings: Settings) -> tuple:
        return (settings.scenario, id(self.scenarios[settings.scenario]), settings.overrides, settings.aid_level,
                settings.runs, settings.seed)

    def _truce_key(self, settings: Settings) -> tuple:
        return (settings.scenario, id(self.scenarios[settings.scenario]), settings.overrides,
                settings.truce_policy().model_dump_json(exclude={"name"}), settings.runs, settings.seed)

    def fight_on(self, settings: Settings, scenario: Scenario, cores: int | None = None):
        every_day = list(range(0, scenario.horizon_days + 1))
        value, _ = self._fight.get_or_compute(
            self._fight_key(settings),
            lambda: self.simulate(scenario, settings.fight_on_policy(), settings.runs, settings.seed, every_day,
                                  FIGHT_ON_DAILY_VARS, cores)
        )
        return value

    def truce(self, settings: Settings, scenario: Scenario, cores: int | None = None):
        from ..compare.ensemble import ASSESS_AFTER_DAYS

        days = {settings.start_day, min(settings.end_day, scenario.horizon_days)}
        if settings.end_day + ASSESS_AFTER_DAYS <= scenario.horizon_days:  # the favours measure "N days after"
            days.add(settings.end_day + ASSESS_AFTER_DAYS)
        days = sorted(days)
        value, _ = self._truce.get_or_compute(
            self._truce_key(settings),
            lambda: self.simulate(scenario, settings.truce_policy(), settings.runs, settings.seed, days, None, cores)
        )
        return value

    def both(self, settings: Settings, scenario: Scenario):
        """(fight-on, truce); when neither is cached and the engine runs here, side by side on half the cores each."""
        side_by_side = (self._simulate_fn is None and self.processes < 1 and self.cores.total > 1
                        and not self._fight.has(self._fight_key(settings))
                        and not self._truce.has(self._truce_key(settings)))
        if not side_by_side:
            return self.fight_on(settings, scenario), self.truce(settings, scenario)
        half = self.cores.total // 2
        fight = self._side.submit(self.fight_on, settings, scenario, half)
        truce = self.truce(settings, scenario, self.cores.total - half)
        return fight.result(), truce

    def view(self, settings: Settings) -> View:
        """The view for ``settings``, computing what is not cached (blocking; call it off the UI thread)."""
        t0 = time.perf_counter()

        def build() -> View:
            scenario = self.scenario_for(settings)
            fight, truce = self.both(settings, scenario)
            view = summarise(settings, scenario, fight, truce)
            view.rerun_fight = lambda days: self.simulate(scenario, settings.fight_on_policy(), settings.runs,
                                                          settings.seed, days)
            return view

        view, cached = self._views.get_or_compute((settings, id(self.scenarios[settings.scenario])), build)
        if not cached:
            view.seconds = time.perf_counter() - t0
        return view


def summarise(settings: Settings, scenario: Scenario, fight, truce) -> View:
    """The outcome table, the compared ensemble's pairing and claims (fan bands are computed when drawn)."""
    from ..compare import FAVOURS_MARGIN, assemble, claims_table, measures_table, plan_policies

    v = View(settings=settings, scenario=scenario, fight=fight, truce=truce)
    v.table = outcome_table(fight.outcomes, truce.outcomes)
    t_name = truce.policy.name
    plan = plan_policies(scenario, [fight.policy, truce.policy])
    ensemble = assemble(scenario, plan, {fight.policy.name: fight, t_name: truce}, settings.seed,
                        margin=FAVOURS_MARGIN, keep="outcomes")
    v.ensemble = ensemble
    v.paired = ensemble.sel(policy=[t_name])
    fav = v.paired["favours"].sel(policy=t_name)
    v.favours = {side: float(fav.sel(side=side).mean("run")) for side in scenario.side_names}
    v.favours["neither"] = 1.0 - float(fav.sum("side").mean("run"))
    v.definition = ensemble.attrs["favours_definition"]
    v.measures = measures_table(ensemble)
    if scenario.claims:
        v.claims = claims_table(ensemble, scenario.claims)
    return v
