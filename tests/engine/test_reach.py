"""Loss of strength with depth (``mechanisms.supply_reach``): the closed form, both engine paths, the day-0
calibration, culmination, and the checks of a scenario that switches it on."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.engine import simulate
from ceasefire.engine.front import reach_share
from ceasefire.errors import InputError
from ceasefire.scenario import Policy

from .helpers import all_fixed, assert_day0_calibrated, assert_paths_agree, build, fixed, kherson_data, kernel_policies, with_v2

AREA_KM2 = 603_550.0  # Ukraine's area, the contested whole of the Kherson scenario
BASE = {"ukraine": 0.928, "russia": 0.072}  # the territory each held on 23 February 2022


def with_reach(data: dict, halving_km: float = 120.0, base: dict | None = None) -> dict:
    data["mechanisms"]["supply_reach"] = True
    data["combat"]["contested_area_km2"] = fixed(AREA_KM2)
    for name, side in data["sides"].items():
        side["reach"] = {"base_territory_share": fixed((base or BASE)[name]), "halving_depth_km": fixed(halving_km)}
    return data


def test_reach_share_closed_form():
    # 0.1 of 603,550 km2 beyond the base, along a 1,000 km front: 60.355 km deep; halving every 60.355 km -> 1/2
    np.testing.assert_allclose(reach_share(0.172, 0.072, AREA_KM2, 1000.0, 60.355), 0.5, rtol=1e-12)
    np.testing.assert_allclose(reach_share(0.272, 0.072, AREA_KM2, 1000.0, 60.355), 0.25, rtol=1e-12)
    assert reach_share(0.05, 0.072, AREA_KM2, 1000.0, 60.355) == 1.0  # inside its base: all of it
    assert reach_share(0.072, 0.072, AREA_KM2, 1000.0, 60.355) == 1.0


@settings(max_examples=200, deadline=None)
@given(ter=st.floats(0, 1), base=st.floats(0, 1), front=st.floats(10, 5000), half=st.floats(1, 2000),
       step=st.floats(0, 0.5))
def test_reach_share_is_a_share_that_falls_with_depth(ter, base, front, half, step):
    a = float(reach_share(ter, base, AREA_KM2, front, half))
    b = float(reach_share(min(ter + step, 1.0), base, AREA_KM2, front, half))
    assert 0.0 <= b <= a <= 1.0
    # exponential: the shares of two successive depths multiply
    d1 = max(ter - base, 0.0) * AREA_KM2 / front
    assert math.isclose(a, 2.0 ** (-d1 / half), rel_tol=1e-12, abs_tol=1e-300)


@pytest.fixture(scope="module")
def reach_v2():
    return build(with_reach(with_v2(kherson_data())))


@pytest.mark.parametrize("policy", kernel_policies())
def test_reach_kernel_matches_numpy_reference(reach_v2, policy):
    kw = dict(runs=32, seed=3, record_every_days=5, snapshot_days=[140], dtype=np.float64)
    assert_paths_agree(reach_v2, policy, **kw)


def test_an_unbounded_reach_is_the_model_without_it():
    kw = dict(runs=16, seed=5, record_every_days=10, dtype=np.float64)
    off = simulate(build(with_v2(kherson_data())), Policy(name="fight_on"), **kw).trajectories
    on = simulate(build(with_reach(with_v2(kherson_data()), halving_km=1e12)), Policy(name="fight_on"),
                  **kw).trajectories
    for name in off.data_vars:
        np.testing.assert_allclose(on[name].values, off[name].values, rtol=1e-7, atol=1e-6, err_msg=name)


def test_day_0_losses_stay_calibrated_with_reach():
    data = with_reach(with_v2(all_fixed(kherson_data())), halving_km=40.0)
    assert_day0_calibrated(data)


def test_an_overextended_attacker_culminates_and_gives_ground_back():
    """Russia deep beyond its base with a strong force: without reach it takes ground; with a short reach its
    strength at the front falls below Ukraine's and the front moves back toward Russia's base, never past it."""
    data = with_v2(all_fixed(kherson_data()), seasons=False, tranches=False)
    data["combat"]["daily_noise_sd"] = fixed(0.0)
    data["horizon_days"] = 365
    for side in data["sides"].values():
        side["defence"]["fortification_share"] = fixed(0.0)
    data["sides"]["russia"]["manpower"]["deployed_personnel"] = fixed(600_000.0)
    kw = dict(runs=1, seed=0, record_every_days=1, dtype=np.float64)
    free = simulate(build(data), Policy(name="fight_on"), **kw).trajectories["territory_share"].sel(side="russia")
    assert float(free.isel(day=-1, run=0)) > float(free.isel(day=0, run=0)) + 0.02  # a strong Russia advances
    short = simulate(build(with_reach(data, halving_km=15.0)), Policy(name="fight_on"), **kw).trajectories
    ter = short["territory_share"].sel(side="russia").isel(run=0).values
    assert ter[-1] < ter[0] - 0.01  # with a 15 km reach it gives ground back
    assert ter.min() >= BASE["russia"] - 1e-12  # inside its base it keeps all its strength
    assert float(free.isel(day=-1, run=0)) > ter[-1]


def test_switching_reach_on_needs_its_sections():
    data = with_reach(with_v2(kherson_data()))
    del data["sides"]["russia"]["reach"]
    with pytest.raises(InputError, match="supply_reach.*russia"):
        build(data)
    data = with_reach(with_v2(kherson_data()))
    del data["combat"]["contested_area_km2"]
    with pytest.raises(InputError, match="contested_area_km2"):
        build(data)
    data = with_reach(with_v2(kherson_data()))
    data["sides"]["ukraine"]["reach"]["halving_depth_km"] = fixed(-5.0)
    with pytest.raises(InputError, match="halving_depth_km"):
        build(data)
