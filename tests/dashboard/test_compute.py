"""Computing views: the same numbers as the engine's own comparison, computed once, split or not."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import xarray as xr

from ceasefire.dashboard.compute import LRU, Computer, CoreBudget, _concat_results, _simulate_block
from ceasefire.dashboard.state import Settings
from ceasefire.compare import claims_table, favours_table, run_policies
from ceasefire.engine import simulate
from ceasefire.errors import InputError

from .conftest import RUNS


def _settings(**kw) -> Settings:
    base = dict(scenario="kherson-2022-11", start_day=30, days=120, aid_level=1.0, runs=RUNS, seed=3)
    base.update(kw)
    return Settings(**base)


def test_view_matches_the_engines_compare(scenarios, kherson):
    """Favours shares, outcomes and claims on the page are those `ceasefire compare` gives."""
    s = _settings()
    view = Computer(scenarios, processes=0).view(s)
    ds = run_policies(kherson, [s.fight_on_policy(), s.truce_policy()], runs=s.runs, seed=s.seed, keep="outcomes")
    fav = favours_table(ds).set_index("policy").loc[s.truce_policy().name]
    for side in [*kherson.side_names, "neither"]:
        assert view.favours[side] == pytest.approx(float(fav[side]), abs=1e-12)
    truce_out = ds.sel(policy=s.truce_policy().name)
    row = view.table[(view.table.metric == "territory_share_final") & (view.table.owner == kherson.side_names[0])]
    expected = float(np.quantile(truce_out["territory_share_final"].sel(side=kherson.side_names[0]).values, 0.5))
    assert float(row.truce_median.iloc[0]) == pytest.approx(expected, rel=1e-9)
    if kherson.claims:
        got = view.claims.set_index(["claim", "policy"])["holds_share"]
        want = claims_table(ds, kherson.claims).set_index(["claim", "policy"])["holds_share"]
        for key in got.index:
            if key[1] in ("fight_on", s.truce_policy().name):
                assert got[key] == pytest.approx(want[key])


def test_moving_the_truce_reruns_only_the_truce(scenarios):
    calls = []

    def counting(scenario, policy, **kw):
        calls.append(policy.kind)
        return simulate(scenario, policy, **kw)

    comp = Computer(scenarios, simulate=counting)
    comp.view(_settings(days=90))
    comp.view(_settings(days=150))
    comp.view(_settings(start_day=60, days=150))
    assert calls == ["fight_on", "truce", "truce", "truce"]
    comp.view(_settings(days=90))  # back to a view already seen: nothing runs
    assert len(calls) == 4
    comp.view(_settings(days=90, aid_level=0.5))  # aid changes both policies
    assert calls[4:] == ["fight_on", "truce"]


def test_concurrent_requests_for_one_view_compute_it_once(scenarios):
    calls = []
    lock = threading.Lock()

    def counting(scenario, policy, **kw):
        with lock:
            calls.append(policy.kind)
        return simulate(scenario, policy, **kw)

    comp = Computer(scenarios, simulate=counting)
    s = _settings(days=45)
    views = [None] * 6

    def get(i):
        views[i] = comp.view(s)

    threads = [threading.Thread(target=get, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert calls == ["fight_on", "truce"]
    assert all(v is views[0] for v in views)


def test_blocks_of_runs_concatenate_to_the_single_call(kherson):
    """The engine's runs depend only on their index, so a split ensemble is the same ensemble."""
    s = _settings()
    pol = s.truce_policy()
    whole = _simulate_block(kherson, pol, 60, 5, 0, [30, 150])
    parts = _concat_results([_simulate_block(kherson, pol, 25, 5, 0, [30, 150]),
                             _simulate_block(kherson, pol, 35, 5, 25, [30, 150])])
    xr.testing.assert_identical(whole.trajectories, parts.trajectories)
    xr.testing.assert_identical(whole.outcomes, parts.outcomes)
    xr.testing.assert_identical(whole.parameters, parts.parameters)


def test_process_pool_gives_the_same_view(scenarios):
    s = _settings(runs=500)  # above the split threshold
    single = Computer(scenarios, processes=0).view(s)
    comp = Computer(scenarios, processes=2)
    try:
        split = comp.view(s)
    finally:
        comp.close()
    xr.testing.assert_identical(single.truce.outcomes, split.truce.outcomes)
    assert single.favours == split.favours
    assert single.table.equals(split.table)


def test_what_ifs_change_the_numbers_and_bad_ones_raise(scenarios, kherson):
    comp = Computer(scenarios, processes=0)
    base = comp.view(_settings())
    path = "supporters.west.will_decay_per_day"
    faster = comp.view(_settings().with_override(path, "x4"))
    w = lambda v: float(v.fight.outcomes["supporter_will_final"].sel(supporter="west").mean())  # noqa: E731
    assert w(faster) < w(base)  # Western will fades faster, so less is left at the horizon
    with pytest.raises(InputError):
        comp.view(_settings().with_override(path, "uniform(3, 1)"))


def test_lru_evicts_the_least_recently_used_and_does_not_cache_errors():
    lru = LRU(2)
    lru.get_or_compute("a", lambda: 1)
    lru.get_or_compute("b", lambda: 2)
    lru.get_or_compute("a", lambda: 99)  # hit, refreshes a
    lru.get_or_compute("c", lambda: 3)  # evicts b
    assert lru.get_or_compute("a", lambda: 0) == (1, True)
    assert lru.get_or_compute("b", lambda: 22) == (22, False)
    with pytest.raises(ValueError):
        lru.get_or_compute("x", lambda: (_ for _ in ()).throw(ValueError("boom")))
    assert lru.get_or_compute("x", lambda: 5) == (5, False)


def test_side_by_side_ensembles_give_the_numbers_of_one_after_the_other(scenarios):
    """Both policies computed at once on half the cores each: identical to computing them in turn."""
    s = _settings(aid_level=0.7)
    together = Computer(scenarios, processes=0)
    in_turn = Computer(scenarios, processes=0)
    in_turn.cores = CoreBudget(1)  # one core: no side-by-side run
    a, b = together.view(s), in_turn.view(s)
    for pol in ("fight", "truce"):
        ra, rb = getattr(a, pol), getattr(b, pol)
        for name in ra.outcomes.data_vars:
            np.testing.assert_array_equal(ra.outcomes[name].values, rb.outcomes[name].values, err_msg=name)
        np.testing.assert_array_equal(ra.trajectories["power_share"].values, rb.trajectories["power_share"].values)
    assert a.favours == b.favours


def test_core_budget_hands_out_cores_without_oversubscribing():
    budget = CoreBudget(3)
    peak, running, lock = [0], [0], threading.Lock()

    def work(n):
        with budget.take(n) as got:
            with lock:
                running[0] += got
                peak[0] = max(peak[0], running[0])
            threading.Event().wait(0.02)
            with lock:
                running[0] -= got

    threads = [threading.Thread(target=work, args=(n,)) for n in (2, 2, 1, 3, None, 5, 0)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert peak[0] <= 3 and budget.free == 3
    with budget.take(10) as got:  # asking for more than there are takes them all
        assert got == 3 and budget.free == 0


def test_bands_prepared_at_once_equal_bands_computed_one_by_one(scenarios):
    from ceasefire.dashboard.summary import fan_bands

    view = Computer(scenarios, processes=0).view(_settings(days=60))
    wanted = [("fight_on", "power_share"), ("truce", "power_share"), ("truce", "supporter_will_share"),
              ("truce", "power_share"), ("truce", "no_such_stock")]
    view.prepare_bands(wanted)
    for policy, var in wanted[:3]:
        res = view.fight if policy == "fight_on" else view.truce
        got = view.band(policy, var)
        xr.testing.assert_equal(got.drop_attrs(), fan_bands(res.trajectories, var).drop_attrs())
        assert view.band(policy, var) is got  # memoised, not recomputed
    assert view.band("truce", "no_such_stock") is None
