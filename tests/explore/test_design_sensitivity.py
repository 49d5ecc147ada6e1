"""Designs and Sobol' indices, checked on the Ishigami function's analytic indices."""

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.errors import InputError
from ceasefire.explore.design import make_design, saltelli_base_size
from ceasefire.explore.known import ishigami, ishigami_indices
from ceasefire.explore.sensitivity import converged, sobol_indices, sobol_table


def _ishigami_design(samples, seed=3):
    d = make_design(["x1", "x2", "x3"], samples, "saltelli", seed=seed)
    return d, ishigami(-np.pi + 2 * np.pi * d.unit_samples)


def test_sobol_indices_match_ishigami_analytic_values():
    design, y = _ishigami_design(2**12 * 5)
    res = sobol_indices(design, y, num_resamples=100)
    exact = ishigami_indices()
    # S1 = (0.314, 0.442, 0), ST = (0.558, 0.442, 0.244)
    np.testing.assert_allclose(res["S1"].values, exact["S1"], atol=0.03)
    np.testing.assert_allclose(res["ST"].values, exact["ST"], atol=0.03)
    # the exact values fall inside (a slightly widened) bootstrap interval
    for k in ("S1", "ST"):
        assert np.all(np.abs(res[k].values - exact[k]) <= 2 * res[f"{k}_conf"].values + 0.005)


def test_indices_converge_between_half_and_full_design():
    design, y = _ishigami_design(2**11 * 5)
    ds = xr.Dataset({"y": ("run", y)})
    table = sobol_table(design, ds, ["y"], num_resamples=50)
    assert list(table["n_base"].values) == [design.n_base // 2, design.n_base]
    assert bool(converged(table).all())
    # the confidence interval shrinks with the sample size (about 1/sqrt(2))
    conf = table["ST_conf"].sel(outcome="y", factor="x1").values
    assert conf[1] < conf[0]


def test_sobol_table_keeps_policy_dimension():
    design, y = _ishigami_design(2**9 * 5)
    ds = xr.Dataset({"y": (("run", "policy"), np.stack([y, 3 * y + 1], axis=1))},
                    coords={"policy": ["a", "b"]})
    table = sobol_table(design, ds, ["y"], num_resamples=20)
    # indices are invariant under an affine change of the output
    np.testing.assert_allclose(table["S1"].sel(policy="a").values, table["S1"].sel(policy="b").values, atol=1e-9)


def test_constant_outcome_has_zero_indices():
    design, _ = _ishigami_design(2**8 * 5)
    res = sobol_indices(design, np.ones(design.rows))
    assert np.all(res["ST"].values == 0)


def test_saltelli_prefix_is_a_design():
    """The first n(D+2) rows of an N-base design are the n-base design itself (prefix property)."""
    big = make_design(["a", "b"], 64 * 4, "saltelli", seed=5)
    small = make_design(["a", "b"], 32 * 4, "saltelli", seed=5)
    np.testing.assert_array_equal(big.unit_samples[: small.rows], small.unit_samples)


@settings(max_examples=25, deadline=None)
@given(samples=st.integers(10, 5000), d=st.integers(1, 8), seed=st.integers(0, 2**31))
def test_lhs_is_a_latin_hypercube(samples, d, seed):
    design = make_design([f"p{i}" for i in range(d)], samples, "lhs", seed=seed)
    u = design.unit_samples
    assert u.shape == (samples, d)
    assert np.all((u >= 0) & (u < 1))
    # exactly one point in each of the `samples` strata of every column
    strata = np.floor(u * samples).astype(int)
    for j in range(d):
        assert np.array_equal(np.sort(strata[:, j]), np.arange(samples))


@given(samples=st.integers(1, 10**6), d=st.integers(1, 40))
def test_saltelli_size_is_largest_power_of_two_that_fits(samples, d):
    n = saltelli_base_size(samples, d)
    if n:
        assert n & (n - 1) == 0
        assert n * (d + 2) <= samples < 2 * n * (d + 2)
    else:
        assert samples < d + 2


@pytest.mark.parametrize("samples", [0, -5])
def test_zero_or_negative_samples_is_input_error(samples):
    with pytest.raises(InputError, match="positive"):
        make_design(["a"], samples)


def test_too_small_saltelli_names_the_minimum():
    with pytest.raises(InputError, match=r"at least 8 x \(3 \+ 2\) = 40"):
        make_design(["a", "b", "c"], 39, "saltelli")


def test_no_uncertain_parameters_is_input_error():
    with pytest.raises(InputError, match="no uncertain parameters"):
        make_design([], 100)


def test_grouped_indices_match_ishigami_analytic_group_values():
    """Group {x1, x3} explains 1 - S2 alone (its interaction is inside the group); x2 explains S2."""
    d = make_design(["x1", "x2", "x3"], 2**12 * 4, "saltelli", seed=2, groups=["a", "b", "a"])
    assert d.factors == ("a", "b") and d.row_block == 4
    res = sobol_indices(d, ishigami(-np.pi + 2 * np.pi * d.unit_samples), num_resamples=50)
    s2 = ishigami_indices()["S1"][1]
    np.testing.assert_allclose(res["S1"].sel(factor="a"), 1 - s2, atol=0.03)
    np.testing.assert_allclose(res["ST"].sel(factor="a"), 1 - s2, atol=0.03)
    np.testing.assert_allclose(res["S1"].sel(factor="b"), s2, atol=0.03)


def test_mechanism_groups():
    from ceasefire.explore.design import mechanism_groups

    assert mechanism_groups(["sides.russia.ammunition.shells_stock", "sides.russia.manpower.waves.0.personnel",
                             "supporters.west.will_share", "combat.p"]) == (
        "sides.russia.ammunition", "sides.russia.manpower", "supporters.west", "combat")


def test_the_design_size_note_explains_a_rounded_saltelli_design():
    from ceasefire.explore.design import make_design
    from ceasefire.explore.pipeline import design_size_note

    d = make_design([f"p.{i}" for i in range(17)], 4000, "saltelli", seed=0)
    assert d.rows == 2432 == 128 * (17 + 2)
    note = design_size_note(4000, d)
    assert "--samples 4000 gives 2432 futures" in note and "N = 128" in note and "--samples 4864" in note
