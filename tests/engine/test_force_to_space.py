"""Force to space (``mechanisms.force_to_space``): a defender spread thinner than its critical density loses
part of its multiplier. The closed form, both engine paths, the effect on the front, the scenario checks."""

from __future__ import annotations

import numpy as np
import pytest

from ceasefire.engine import simulate
from ceasefire.engine.defence import thin_line
from ceasefire.errors import InputError
from ceasefire.scenario import Policy

from .helpers import all_fixed, assert_paths_agree, build, fixed, kherson_data, kernel_policies, with_v2


def with_space(data: dict, critical: float) -> dict:
    data["mechanisms"]["force_to_space"] = True
    for side in data["sides"].values():
        side["defence"]["critical_density_personnel_per_km"] = fixed(critical)
    return data


def test_thin_line_by_hand():
    # 100,000 troops on 1,000 km = 100/km; critical 400/km: a quarter of the advantage; 800/km: all of it
    m = thin_line(np.array([[100_000.0, 800_000.0]]), np.array([1000.0]), np.array([[400.0, 400.0]]),
                  np.array([[1.8, 1.8]]))
    np.testing.assert_allclose(m, [[1.0 + 0.8 * 0.25, 1.8]], rtol=1e-15)
    same = np.array([[1.8, 1.3]])
    assert np.array_equal(thin_line(np.array([[1.0, 1.0]]), np.array([1000.0]), np.zeros((1, 2)), same), same)


@pytest.fixture(scope="module")
def space_v2():
    return build(with_space(with_v2(kherson_data()), critical=500.0))


@pytest.mark.parametrize("policy", kernel_policies())
def test_force_to_space_kernel_matches_numpy_reference(space_v2, policy):
    kw = dict(runs=32, seed=8, record_every_days=5, snapshot_days=[140], dtype=np.float64)
    assert_paths_agree(space_v2, policy, **kw)


def test_a_thin_defence_gives_ground_that_a_dense_one_holds():
    """Fixed values, no noise: Russia is a little stronger than Ukraine but not enough to beat its multiplier.
    A low critical density changes nothing (both lines count as dense); a high one thins Ukraine's line, and
    Russia advances; the thinner the line, the more ground it takes."""
    data = with_v2(all_fixed(kherson_data()), seasons=False, tranches=False)
    data["combat"]["daily_noise_sd"] = fixed(0.0)
    data["horizon_days"] = 120
    data["policies"], data["claims"] = [], []
    kw = dict(runs=1, seed=0, record_every_days=1, dtype=np.float64)

    def russia_gain(d):
        ter = simulate(build(d), Policy(name="fight_on"), **kw).trajectories["territory_share"]
        t = ter.sel(side="russia").isel(run=0).values
        return t[-1] - t[0]

    base = russia_gain(data)
    dense = russia_gain(with_space(data, critical=1.0))  # every line is denser than 1 per km
    thin = russia_gain(with_space(data, critical=5_000.0))
    thinner = russia_gain(with_space(data, critical=50_000.0))
    assert dense == pytest.approx(base, abs=1e-12)
    assert thinner > thin > base + 1e-4


def test_switching_force_to_space_on_needs_its_values():
    data = with_space(with_v2(kherson_data()), critical=500.0)
    del data["sides"]["russia"]["defence"]["critical_density_personnel_per_km"]
    with pytest.raises(InputError, match="force_to_space.*russia"):
        build(data)
    data = with_space(with_v2(kherson_data()), critical=500.0)
    data["sides"]["ukraine"]["defence"]["critical_density_personnel_per_km"] = fixed(-1.0)
    with pytest.raises(InputError, match="critical_density_personnel_per_km"):
        build(data)
