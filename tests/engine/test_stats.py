"""Quantiles over runs: NumPy's numbers, faster."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ceasefire.engine.stats import quantiles_over_runs

FAN = (0.05, 0.25, 0.5, 0.75, 0.95)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float32, st.tuples(st.integers(1, 60), st.integers(1, 5), st.integers(1, 3)),
              elements=st.floats(-1e6, 1e6, width=32)),
       st.lists(st.floats(0, 1), min_size=1, max_size=6))
def test_same_numbers_as_numpy(values, qs):
    np.testing.assert_array_equal(quantiles_over_runs(values, qs), np.quantile(values.astype(float), qs, axis=0))


def test_other_axis_and_exact_order_statistics():
    rng = np.random.default_rng(3)
    v = rng.normal(size=(4, 101, 2))
    np.testing.assert_array_equal(quantiles_over_runs(v, FAN, axis=1), np.quantile(v, FAN, axis=1))
    # 101 runs: the 5% quantile is exactly the 6th smallest value, the median the 51st
    got = quantiles_over_runs(v, [0.05, 0.5], axis=1)
    np.testing.assert_array_equal(got[0], np.sort(v, axis=1)[:, 5])
    np.testing.assert_array_equal(got[1], np.sort(v, axis=1)[:, 50])


def test_missing_values_are_skipped_like_nanquantile():
    v = np.arange(20.0).reshape(10, 2)
    v[3, 0] = np.nan
    np.testing.assert_array_equal(quantiles_over_runs(v, FAN), np.nanquantile(v, FAN, axis=0))


def test_bad_quantiles_and_empty_runs_are_refused():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        quantiles_over_runs(np.zeros((3, 2)), [1.5])
    with pytest.raises(ValueError, match="no runs"):
        quantiles_over_runs(np.zeros((0, 2)), [0.5])
