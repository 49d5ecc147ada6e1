"""The compiled kernel agrees with the NumPy reference path."""

from __future__ import annotations

import numpy as np
import pytest

from ceasefire.engine import simulate
from ceasefire.scenario import Policy

from .helpers import assert_paths_agree


@pytest.mark.parametrize("policy", [Policy(name="fight_on"), Policy(name="t", kind="truce", start_day=20, days=120, aid_level=0.5),
                                    Policy(name="w", aid_by_supporter={"west": 0.3, "iran": 2.0})])
def test_numba_kernel_matches_numpy_reference(kherson, policy):
    kw = dict(runs=64, seed=4, record_every_days=5, snapshot_days=[140], dtype=np.float64)
    assert_paths_agree(kherson, policy, **kw)


def test_random_numbers_agree_between_paths():
    from ceasefire.engine import kernel
    from ceasefire.engine.random import daily_normals, stream_key

    key = stream_key(9, "noise.daily")
    runs = np.array([0, 5, 123456], dtype=np.int64)
    horizon, width = 40, 6
    offsets = kernel.day_counters(horizon, width)
    u, z, tails = np.empty(len(offsets)), np.empty(len(offsets)), np.empty(len(offsets), dtype=np.int64)
    for i, r in enumerate(runs):
        kernel._run_normals(key, r, offsets, u, z, tails)
        for day in range(horizon):
            # bit for bit, tails included (about 5 % of the values: there are some in 240 draws)
            np.testing.assert_array_equal(z[day * width:(day + 1) * width], daily_normals(key, runs, day, width)[i])
    assert np.any(np.abs(z) > 1.97)  # a tail value was among them


def test_normal_quantile_matches_scipy_and_uniforms_are_open():
    from scipy import special

    from ceasefire.engine.random import normal_quantile, open_uniforms, stream_key

    p = np.concatenate([np.linspace(1e-12, 1 - 1e-12, 200001), np.logspace(-15, -1, 500), 1 - np.logspace(-15, -1, 500)])
    np.testing.assert_allclose(normal_quantile(p), special.ndtri(p), rtol=2e-9, atol=1e-8)
    u = open_uniforms(stream_key(0, "x"), np.arange(1_000_000))
    assert 0.0 < u.min() and u.max() < 1.0
    z = normal_quantile(u)
    assert abs(z.mean()) < 0.005 and abs(z.std() - 1) < 0.005


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_specialised_kernel_gives_the_generic_kernels_numbers_bit_for_bit(kherson, monkeypatch, dtype):
    """Sides and supporters as compile-time constants (the default) or read from the arrays
    (``CEASEFIRE_KERNEL=generic``, as the test suite runs): the same numbers, bit for bit."""
    from ceasefire.engine import kernel

    policy = Policy(name="t", kind="truce", start_day=20, days=120, aid_level=0.5)
    kw = dict(runs=40, seed=6, record_every_days=7, snapshot_days=[140], dtype=dtype)
    monkeypatch.setenv(kernel.GENERIC_ENV, "generic")
    a = simulate(kherson, policy, **kw)
    monkeypatch.delenv(kernel.GENERIC_ENV)
    b = simulate(kherson, policy, **kw)
    assert kernel.kernel_for(2, 2) is not kernel._kernel(-1, -1)
    for name in a.trajectories.data_vars:
        np.testing.assert_array_equal(a.trajectories[name].values, b.trajectories[name].values, err_msg=name)
    for name in a.outcomes.data_vars:
        np.testing.assert_array_equal(a.outcomes[name].values, b.outcomes[name].values, err_msg=name)


def test_editing_a_mechanism_changes_the_compiled_kernels_cache_key(tmp_path, monkeypatch):
    """Numba keys its disk cache on the kernel's own code and closure constants; the kernel closes over a
    fingerprint of the mechanisms' source, so an edited mechanism is compiled again, not served stale."""
    from pathlib import Path

    from ceasefire.engine import ammunition, kernel

    before = kernel.mechanisms_fingerprint()
    assert before == kernel.mechanisms_fingerprint()  # stable
    assert before in [c.cell_contents for c in kernel.kernel_for(2, 2).py_func.__closure__]
    edited = tmp_path / "ammunition.py"
    edited.write_bytes(Path(ammunition.__file__).read_bytes() + b"\n# an edit\n")
    monkeypatch.setattr(ammunition, "__file__", str(edited))
    assert kernel.mechanisms_fingerprint() != before
