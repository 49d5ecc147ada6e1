"""Saving a run's whole state on a day and resuming from it continues the run bit for bit.

``simulate_policies`` uses this to run the days a truce shares with fight-on (every day before it
starts) once: the results must be identical to running every policy from day 0."""

from __future__ import annotations

import numpy as np
import pytest

from ceasefire.engine.ensemble import share_plan, simulate_policies
from ceasefire.engine.simulate import Buffers, record_days, run_chunk
from ceasefire.scenario import Policy
from ceasefire.scenario.policies import make_policy

from .helpers import build, kherson_data, with_v2


@pytest.fixture(scope="module")
def v2():
    return build(with_v2(kherson_data())).model_copy(update={"horizon_days": 400})


def _all_arrays(res):
    out = {f"traj.{k}": v.values for k, v in res.trajectories.data_vars.items()}
    out.update({f"out.{k}": v.values for k, v in res.outcomes.data_vars.items()})
    return out


def _assert_same(a, b):
    aa, bb = _all_arrays(a), _all_arrays(b)
    assert aa.keys() == bb.keys()
    for name in aa:
        np.testing.assert_array_equal(aa[name], bb[name], err_msg=name)


def test_a_run_resumed_from_its_own_saved_state_is_unchanged(v2):
    fight = Policy(name="fight_on", kind="fight_on")
    runs, days = np.arange(20), record_days(v2.horizon_days, 5)
    snaps = np.array([0, 100, 250, v2.horizon_days])
    whole = run_chunk(v2, fight, runs, 3, days, snaps, save_days=(97, 250))
    assert sorted(whole.saved) == [97, 250]
    for day in (97, 250):
        state = whole.saved[day]
        assert state.side.shape[0] == 20 and np.isfinite(state.side).all()
        fresh = Buffers.allocate(20, len(days), len(snaps), len(v2.sides), len(v2.supporters), np.float32)
        fresh.copy_prefix(whole, day, days, snaps)
        part = run_chunk(v2, fight, runs, 3, days, snaps, resume=state, out=fresh)
        for f in ("rec", "rec_sup", "snaps", "final", "final_sup", "collapse_day", "initial_share"):
            np.testing.assert_array_equal(getattr(part, f), getattr(whole, f), err_msg=f"{f} resumed on day {day}")


def test_truces_sharing_fight_ons_first_days_give_identical_results(v2):
    pols = [Policy(name="fight_on", kind="fight_on"),
            make_policy("truce", 180, 90), make_policy("truce", 180, 150), make_policy("truce", 0, 60),
            make_policy("truce", 250, 400), make_policy("fight_on", aid_level=0.5),
            make_policy("truce", 180, 90, aid_level=0.5), make_policy("truce", 120, 30, aid_level=0.7)]
    plan = share_plan(pols, v2.supporter_names, v2.horizon_days)
    # the 0.7-aid truce has no fight-on at its aid: it runs from day 0, as does the truce starting now
    assert plan == {"truce_90d_from_180": ("fight_on", 180), "truce_150d_from_180": ("fight_on", 180),
                    "truce_400d_from_250": ("fight_on", 250), "truce_90d_from_180_aid0.5": ("fight_on_aid0.5", 180)}
    kw = dict(runs=40, seed=11, record_every_days=3, snapshot_days=[90, 270])
    shared = simulate_policies(v2, pols, **kw)
    alone = simulate_policies(v2, pols, share_prefix=False, **kw)
    chunked = simulate_policies(v2, pols, chunk_runs=7, workers=1, **kw)
    for p in pols:
        _assert_same(shared[p.name], alone[p.name])
        _assert_same(shared[p.name], chunked[p.name])
    # and the truce really differs from fight-on after it starts, while agreeing before
    t, f = shared["truce_90d_from_180"].trajectories, shared["fight_on"].trajectories
    before, after = t.day < 180, t.day > 180
    np.testing.assert_array_equal(t["casualties_per_day"].where(before, 0).values,
                                  f["casualties_per_day"].where(before, 0).values)
    assert (t["casualties_per_day"].sel(day=slice(183, 267)) == 0).all()
    assert not np.array_equal(t["territory_share"].where(after, 0).values, f["territory_share"].where(after, 0).values)


def test_saving_and_resuming_need_the_compiled_kernel(v2):
    fight = Policy(name="fight_on", kind="fight_on")
    with pytest.raises(ValueError, match="numba backend"):
        run_chunk(v2, fight, np.arange(3), 1, record_days(v2.horizon_days, 7), np.array([0, v2.horizon_days]),
                  backend="numpy", save_days=(50,))
    with pytest.raises(ValueError, match="strictly between"):
        run_chunk(v2, fight, np.arange(3), 1, record_days(v2.horizon_days, 7), np.array([0, v2.horizon_days]),
                  save_days=(0,))
