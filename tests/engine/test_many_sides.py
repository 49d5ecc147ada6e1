"""More than two sides: fire spreads over enemies, territory stays a partition, both paths agree."""

from __future__ import annotations

import copy

import numpy as np

from ceasefire.compare import favours_table, run_policies
from ceasefire.engine import simulate
from ceasefire.engine.combat import fire_allocation
from ceasefire.scenario import Policy, scenario_from_dict

from .helpers import fixed, kherson_data


def three_sides():
    data = kherson_data()
    third = copy.deepcopy(data["sides"]["russia"])
    third["label"] = "Third"
    third["manpower"]["deployed_personnel"] = fixed(60000)
    third["front"]["territory_share"] = fixed(0.05)
    # the three shares split one contested territory (validate requires a sum of 1)
    data["sides"]["ukraine"]["front"]["territory_share"] = fixed(0.83)
    data["sides"]["russia"]["front"]["territory_share"] = fixed(0.12)
    data["sides"]["third"] = third
    return scenario_from_dict(data, "three sides")


def test_fire_allocation_spreads_over_enemies_by_their_troops():
    a = fire_allocation(np.array([[100.0, 300.0, 100.0]]))[0]
    np.testing.assert_allclose(a, [[0, 0.75, 0.25], [0.5, 0, 0.5], [0.25, 0.75, 0]])
    np.testing.assert_allclose(fire_allocation(np.array([[5.0, 7.0]]))[0], [[0, 1], [1, 0]])


def test_three_sides_keep_every_invariant_and_paths_agree():
    sc = three_sides().model_copy(update={"horizon_days": 200})
    kw = dict(runs=24, seed=2, record_every_days=1, dtype=np.float64)
    a = simulate(sc, Policy(name="t", kind="truce", start_day=30, days=40), backend="numba", **kw)
    b = simulate(sc, Policy(name="t", kind="truce", start_day=30, days=40), backend="numpy", **kw)
    tr = a.trajectories
    assert tr.sizes["side"] == 3
    np.testing.assert_allclose(tr["territory_share"].sum("side").values, 1.0, atol=1e-9)
    assert np.all(tr["casualties_per_day"].values <= tr["deployed_personnel"].values + 1e-9)
    assert float(tr["casualties_per_day"].sel(side="third").sum()) > 0  # the third side is fought
    for name in tr.data_vars:
        np.testing.assert_allclose(tr[name].values, b.trajectories[name].values, rtol=1e-7, atol=1e-6, err_msg=name)
    ds = run_policies(sc, [Policy(name="t", kind="truce", start_day=0, days=60)], runs=30, seed=1)
    fav = favours_table(ds).set_index("policy").loc["t"]
    assert set(fav.index) == {"ukraine", "russia", "third", "neither"}
    assert abs(fav.sum() - 1.0) < 1e-12
