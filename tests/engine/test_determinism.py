"""Same scenario and seed: identical numbers however the runs are chunked."""

from __future__ import annotations

import numpy as np
import pytest

from ceasefire.compare import FAVOURS_MARGIN, favours_table, run_policies
from ceasefire.engine import simulate
from ceasefire.scenario import Policy


@pytest.fixture(scope="module")
def one_chunk(kherson):
    return simulate(kherson, runs=1000, seed=11, chunk_runs=1000)


@pytest.mark.parametrize("chunk", [7, 64, 250])
def test_chunking_does_not_change_results(kherson, one_chunk, chunk):
    other = simulate(kherson, runs=1000, seed=11, chunk_runs=chunk)
    for name in one_chunk.trajectories.data_vars:
        np.testing.assert_array_equal(one_chunk.trajectories[name].values, other.trajectories[name].values, err_msg=name)
    for name in one_chunk.outcomes.data_vars:
        np.testing.assert_array_equal(one_chunk.outcomes[name].values, other.outcomes[name].values, err_msg=name)


def test_run_offset_splits_an_ensemble(kherson, one_chunk):
    tail = simulate(kherson, runs=300, seed=11, run_offset=700)
    np.testing.assert_array_equal(tail.outcomes["territory_share_final"].values,
                                  one_chunk.outcomes["territory_share_final"].values[700:])
    np.testing.assert_array_equal(tail.outcomes.run.values, np.arange(700, 1000))


def test_seed_changes_results(kherson, one_chunk):
    other = simulate(kherson, runs=50, seed=12)
    assert not np.array_equal(other.parameters["value"].values, one_chunk.parameters["value"].values[:50])


def test_unit_samples_impose_a_design(kherson):
    names = [p for p, _ in kherson.uncertain_parameters()]
    u = np.full((4, len(names)), 0.5)
    u[1] = 0.1
    res = simulate(kherson, runs=4, seed=0, unit_samples=u)
    got = res.parameters["value"].sel(parameter=names[0]).values
    expect = kherson.param(names[0]).ppf(np.array([0.5, 0.1, 0.5, 0.5]))
    np.testing.assert_allclose(got, expect)
    # rows with the same design point draw the same parameters (daily noise still differs by run)
    np.testing.assert_array_equal(res.parameters["value"].values[0], res.parameters["value"].values[2])


def test_compare_pairs_runs_with_common_random_numbers(kherson):
    pols = [Policy(name="fight_on"), Policy(name="t", kind="truce", start_day=0, days=90)]
    ds = run_policies(kherson, pols, runs=200, seed=5)
    a = simulate(kherson, pols[0], runs=200, seed=5, snapshot_days=[90])
    b = simulate(kherson, pols[1], runs=200, seed=5, snapshot_days=[90])
    np.testing.assert_array_equal(a.parameters["value"].values, b.parameters["value"].values)
    np.testing.assert_array_equal(ds["parameter_value"].values, a.parameters["value"].values)
    d = ds["power_share_change_at_truce_end"].sel(policy="t").transpose("run", "side").values
    manual = b.outcomes["power_share_at"].sel(snapshot_day=90).values - a.outcomes["power_share_at"].sel(snapshot_day=90).values
    np.testing.assert_array_equal(d, manual)
    assert ds["baseline"].sel(policy="t") == "fight_on"
    assert np.isnan(ds["power_share_change_at_truce_end"].sel(policy="fight_on").values).all()
    # shares sum to one, so the paired changes cancel across the two sides
    np.testing.assert_allclose(d.sum(axis=1), 0.0, atol=1e-12)
    fav = favours_table(ds).set_index("policy").loc["t"]
    assert fav.sum() == pytest.approx(1.0)
    expected_russia = np.mean(d[:, list(kherson.sides).index("russia")] > FAVOURS_MARGIN)
    assert fav["russia"] == pytest.approx(expected_russia)


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_snapshot_vars_keep_a_subset_with_the_same_numbers(kherson, backend):
    """Keeping only some snapshot variables (less memory) keeps exactly the numbers of a full snapshot."""
    truce = Policy(name="t", kind="truce", start_day=60, days=90)
    days = [0, 60, 150, 151, 400]
    full = simulate(kherson, truce, runs=40, seed=5, snapshot_days=days, backend=backend)
    some = simulate(kherson, truce, runs=40, seed=5, snapshot_days=days, backend=backend,
                    snapshot_vars=["territory_share", "power_share"])
    assert {v for v in some.outcomes.data_vars if v.endswith("_at")} == {"territory_share_at", "power_share_at"}
    for name in ("territory_share_at", "power_share_at"):
        np.testing.assert_array_equal(some.outcomes[name].values, full.outcomes[name].values, err_msg=name)
    # and the rest of the results do not depend on what is snapshotted
    np.testing.assert_array_equal(some.trajectories["power_share"].values, full.trajectories["power_share"].values)
    # a snapshot on day d is the state at the start of day d, as the weekly record has it
    d = int(full.trajectories.day.values[10])
    full_d = simulate(kherson, truce, runs=40, seed=5, snapshot_days=[d], backend=backend, snapshot_vars=["power_share"])
    np.testing.assert_allclose(full_d.outcomes["power_share_at"].sel(snapshot_day=d).values,
                               full.trajectories["power_share"].sel(day=d).values, rtol=1e-6)


def test_unknown_snapshot_var_is_refused(kherson):
    from ceasefire.errors import InputError

    with pytest.raises(InputError, match="snapshot_vars"):
        simulate(kherson, runs=2, snapshot_vars=["morale"])
