"""Stocks obey their flows exactly; people are conserved; truces stop combat only."""

from __future__ import annotations

import numpy as np
import pytest

from ceasefire.engine import simulate
from ceasefire.scenario import Policy


@pytest.fixture(scope="module")
def daily(kherson):
    sc = kherson.model_copy(update={"horizon_days": 240})
    return {
        "fight_on": simulate(sc, Policy(name="fight_on"), runs=64, seed=3, record_every_days=1, dtype=np.float64),
        "truce": simulate(sc, Policy(name="t", kind="truce", start_day=30, days=90), runs=64, seed=3,
                          record_every_days=1, dtype=np.float64),
    }


@pytest.mark.parametrize("policy", ["fight_on", "truce"])
def test_ammunition_stock_changes_by_its_flows_exactly(daily, policy):
    tr = daily[policy].trajectories
    stock = tr["shells_stock"].values
    flows = (tr["shells_produced_per_day"] + tr["shells_received_per_day"] + tr["shells_drawn_per_day"]
             - tr["shells_fired_per_day"] - tr["shells_destroyed_per_day"]).values
    lhs = stock[:, 1:] - stock[:, :-1]
    np.testing.assert_allclose(lhs, flows[:, :-1], rtol=1e-9, atol=1e-6 * np.abs(stock).max())
    assert tr["shells_fired_per_day"].values.sum() > 0


def test_people_are_conserved(daily):
    tr = daily["fight_on"].trajectories
    people = (tr["pool_personnel"] + tr["training_personnel"] + tr["deployed_personnel"] + tr["recovering_personnel"])
    lost = tr["casualties_cumulative_personnel"]  # killed + wounded who left; returning wounded come back via recovering
    # every casualty left 'deployed'; those who will return sit in 'recovering' until they do
    total = people + lost
    returned = total - total.isel(day=0)
    # total - initial equals the cumulative number of casualties that later returned (recovering -> deployed),
    # which is >= 0 and never more than the cumulative casualties
    assert np.all(returned.values >= -1e-6)
    assert np.all(returned.values <= lost.values + 1e-6)


def test_people_balance_exactly(daily):
    tr = daily["fight_on"].trajectories
    d = lambda v: np.diff(tr[v].values, axis=1)  # noqa: E731
    mob = tr["mobilised_per_day"].values[:, :-1]
    np.testing.assert_allclose(-d("pool_personnel"), mob, rtol=1e-9, atol=1e-6)
    cas = tr["casualties_per_day"].values[:, :-1]
    np.testing.assert_allclose(d("casualties_cumulative_personnel"), cas, rtol=1e-9, atol=1e-6)
    # deployed + training + recovering change by call-ups minus casualties plus returns (that are in recovering)
    inside = d("training_personnel") + d("deployed_personnel") + d("recovering_personnel")
    killed = d("killed_cumulative_personnel")
    assert np.all(inside <= mob + 1e-6)
    assert np.all(inside >= mob - cas - 1e-6)
    assert np.all(killed <= cas + 1e-9)


def test_truce_stops_combat_and_stocks_grow_by_production_and_deliveries(daily):
    tr = daily["truce"].trajectories.sel(day=slice(30, 119))
    assert float(np.abs(tr["casualties_per_day"]).max()) == 0.0
    assert float(np.abs(tr["shells_fired_per_day"]).max()) == 0.0
    assert float(np.abs(tr["shells_destroyed_per_day"]).max()) == 0.0
    assert float(np.abs(tr["strike_weapons_launched_per_day"]).max()) == 0.0
    stock = tr["shells_stock"].values
    inflow = (tr["shells_produced_per_day"] + tr["shells_received_per_day"] + tr["shells_drawn_per_day"]).values
    np.testing.assert_allclose(np.diff(stock, axis=1), inflow[:, :-1], rtol=1e-9, atol=1e-3)
    terr = tr["territory_share"].values
    np.testing.assert_array_equal(terr, terr[:, :1, :].repeat(terr.shape[1], axis=1))
    # and fighting resumes afterwards
    after = daily["truce"].trajectories.sel(day=slice(120, 200))
    assert float(after["casualties_per_day"].sum()) > 0


def test_truce_run_equals_fight_on_until_the_truce_starts(daily):
    a = daily["fight_on"].trajectories.sel(day=slice(0, 30))
    b = daily["truce"].trajectories.sel(day=slice(0, 30))
    for var in ("deployed_personnel", "shells_stock", "territory_share", "supporter_will_share"):
        np.testing.assert_array_equal(a[var].values, b[var].values)
    np.testing.assert_array_equal(daily["fight_on"].parameters["value"].values, daily["truce"].parameters["value"].values)


def test_aid_by_supporter_scales_only_that_supporter(kherson):
    from ceasefire.errors import InputError

    sc = kherson.model_copy(update={"horizon_days": 120})
    kw = dict(runs=32, seed=8, record_every_days=1, dtype=np.float64)
    base = simulate(sc, Policy(name="fight_on"), **kw)
    cut = simulate(sc, Policy(name="no_west", aid_by_supporter={"west": 0.0}), **kw)
    half = simulate(sc, Policy(name="half", aid_level=0.5), **kw)
    aid_base = base.trajectories["aid_shells_per_day"]
    aid_cut = cut.trajectories["aid_shells_per_day"]
    assert float(aid_cut.sel(supporter="west").max()) == 0.0
    assert float(aid_base.sel(supporter="west").max()) > 0.0
    # Iran delivers drones, not shells; its strike-weapon aid reaches Russia unchanged
    np.testing.assert_array_equal(cut.trajectories["strike_weapons_stock"].sel(side="russia").isel(day=slice(0, 2)).values,
                                  base.trajectories["strike_weapons_stock"].sel(side="russia").isel(day=slice(0, 2)).values)
    # on day 0 the West's aid is will x level x maximum, so halving every level halves it exactly
    np.testing.assert_allclose(half.trajectories["aid_shells_per_day"].sel(supporter="west").isel(day=0).values,
                               0.5 * aid_base.sel(supporter="west").isel(day=0).values, rtol=1e-12)
    with pytest.raises(InputError, match="unknown supporter"):
        simulate(sc, Policy(name="x", aid_by_supporter={"atlantis": 1.0}), runs=2)
