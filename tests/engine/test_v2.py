"""Model v2: each mechanism against a closed form, a hand-computed case or an exact balance."""

from __future__ import annotations

import numpy as np
import pytest

from ceasefire.engine import simulate
from ceasefire.engine.combat import fire_superiority
from ceasefire.engine.defence import (fortification_closed_form, fortification_next, intensity, multipliers,
                                      terrain_defensibility)
from ceasefire.errors import InputError
from ceasefire.scenario import Policy

from .helpers import all_fixed, assert_day0_calibrated, assert_paths_agree, build, fixed, kherson_data, kernel_policies, set_path, with_v2

POLICIES = kernel_policies()


@pytest.fixture(scope="module")
def v2():
    return build(with_v2(kherson_data()))


@pytest.mark.parametrize("policy", POLICIES)
def test_v2_kernel_matches_numpy_reference(v2, policy):
    kw = dict(runs=48, seed=4, record_every_days=5, snapshot_days=[140], dtype=np.float64)
    a = assert_paths_agree(v2, policy, **kw)
    tr = a.trajectories
    assert float(tr["shells_drawn_per_day"].sum()) > 0  # the reserves were used
    assert float(tr["fortification_share"].max()) > 0.2  # positions were built


def test_fire_superiority_is_a_share_of_the_duel():
    alloc = np.array([[[0.0, 1.0], [1.0, 0.0]]])
    np.testing.assert_allclose(fire_superiority(np.array([[3.0e4, 1.0e4]]), alloc), [[0.75, 0.25]])
    np.testing.assert_allclose(fire_superiority(np.array([[0.0, 0.0]]), alloc), [[0.5, 0.5]])
    # a side that wants more but fires the same as the enemy is not punished (v1's flaw)
    np.testing.assert_allclose(fire_superiority(np.array([[2.0e4, 2.0e4]]), alloc), [[0.5, 0.5]])


@pytest.mark.parametrize("policy", POLICIES)
def test_reserve_front_stock_fire_destruction_and_receipts_balance_every_day(v2, policy):
    tr = simulate(v2.model_copy(update={"horizon_days": 240}), policy, runs=32, seed=2, record_every_days=1,
                  dtype=np.float64).trajectories
    res, front = tr["reserve_shells_stock"].values, tr["shells_stock"].values
    drawn = tr["shells_drawn_per_day"].values
    inflow = (tr["shells_produced_per_day"] + tr["shells_received_per_day"] - tr["shells_fired_per_day"]
              - tr["shells_destroyed_per_day"]).values
    scale = np.abs(res).max() + np.abs(front).max()
    np.testing.assert_allclose(np.diff(res, axis=1), -drawn[:, :-1], rtol=0, atol=1e-9 * scale)
    np.testing.assert_allclose(np.diff(front, axis=1), (inflow + drawn)[:, :-1], rtol=0, atol=1e-9 * scale)
    np.testing.assert_allclose(np.diff(res + front, axis=1), inflow[:, :-1], rtol=0, atol=1e-9 * scale)
    assert drawn.max() <= 15000.0 + 1e-9  # never beyond the throughput
    assert res.min() >= 0 and front.min() >= 0


def test_fortification_follows_its_closed_form_on_a_quiet_front():
    data = with_v2(all_fixed(kherson_data()), seasons=False)
    for side in data["sides"].values():
        side["defence"]["attack_threshold_ratio"] = fixed(1e6)  # nobody attacks: a quiet front
    sc = build(data)
    tr = simulate(sc, Policy(name="fight_on"), runs=2, seed=1, record_every_days=1, dtype=np.float64).trajectories
    days = tr["day"].values
    expected = fortification_closed_form(0.2, 0.01, days)
    for side in tr["side"].values:
        np.testing.assert_allclose(tr["fortification_share"].sel(side=side).values, np.broadcast_to(expected, (2, len(days))),
                                   rtol=1e-12)
    np.testing.assert_allclose(fortification_closed_form(0.2, 0.01, 100), 1 - 0.8 * 0.99**100)


def test_fortification_is_overrun_with_the_ground_lost():
    # attacked (not quiet), lost 0.01 of the territory at 5 per share: loses 0.05
    np.testing.assert_allclose(fortification_next(np.array(0.4), np.array(0.01), 0.0, np.array(0.01), np.array(5.0)), 0.35)
    np.testing.assert_allclose(fortification_next(np.array(0.02), np.array(0.01), 0.0, np.array(0.01), np.array(5.0)), 0.0)


def test_no_ground_is_lost_when_the_defenders_multiplier_exceeds_the_attackers_ratio():
    data = with_v2(all_fixed(kherson_data()), seasons=False, tranches=False)
    for side in data["sides"].values():
        d = side["defence"]
        d["attack_threshold_ratio"] = fixed(0.01)  # everyone attacks
        d["hasty_defence_ratio"] = fixed(40.0)
        d["fortified_defence_ratio"] = fixed(50.0)
    sc = build(data)
    for backend in ("numba", "numpy"):
        res = simulate(sc, Policy(name="fight_on"), runs=8, seed=3, record_every_days=1, dtype=np.float64, backend=backend)
        tr = res.trajectories
        ratio = tr["combat_power"].sel(side="ukraine") / tr["combat_power"].sel(side="russia")
        assert float(np.maximum(ratio, 1 / ratio).max()) < 40.0  # no side's ratio beats the multiplier
        ter = tr["territory_share"].values
        np.testing.assert_array_equal(ter, np.broadcast_to(ter[:, :1], ter.shape))
        assert float(tr["casualties_per_day"].sum()) > 0  # they still fight


def test_the_last_tranche_is_harder_to_take():
    shares, defs = np.array([0.05, 0.07, 0.0, 0.0]), np.array([2.0, 1.4, 1.0, 1.0])
    assert terrain_defensibility(0.17, shares, defs) == 1.0  # beyond the listed tranches: open ground
    assert terrain_defensibility(0.12, shares, defs) == 1.4
    assert terrain_defensibility(0.10, shares, defs) == 1.4
    assert terrain_defensibility(0.05, shares, defs) == 2.0
    assert terrain_defensibility(0.0, shares, defs) == 2.0
    m = multipliers(np.array([[0.83, 0.04]]), np.array([[0.5, 0.5]]), np.array([[1.3, 1.3]]), np.array([[1.6, 1.6]]),
                    np.array([[[0.0, 0.0, 0, 0], [0.05, 0.07, 0, 0]]]), np.array([[[1.0, 1.0, 1, 1], [2.0, 1.4, 1, 1]]]))
    np.testing.assert_allclose(m, [[1.45, 2.9]])  # (1.3 + 0.3 x 0.5) x terrain


def test_attack_raises_intensity_and_the_defender_is_protected():
    att = np.array([[[0.0, 1.0], [0.0, 0.0]]])  # side 0 attacks side 1
    out = intensity(att, np.array([[1.3, 1.5]]), np.array([[2.0, 1.5]]), np.array([0.8]))
    # the attacker's fire on the dug-in defender: 0.8 x 2 / 1.5; the defender's fire on the attacker: 0.8 x 2
    # (the diagonal, no fire, keeps the season's factor)
    np.testing.assert_allclose(out, [[[0.8, 0.8 * 2.0 / 1.5], [0.8 * 2.0, 0.8]]])


def test_v2_is_calibrated_to_the_observed_loss_rate_on_day_0():
    data = with_v2(all_fixed(kherson_data()))
    assert_day0_calibrated(data)


def test_seasons_follow_the_calendar_from_the_start_date(v2):
    from ceasefire.engine.parameters import sample

    P = sample(v2, np.arange(2), 0)
    # 11 November: autumn mud (slot 0); day 20 = 1 December: winter (slot 1); day 130 = 21 March: spring mud
    assert P.season_slot[0] == 0 and P.season_slot[19] == 0 and P.season_slot[20] == 1 and P.season_slot[130] == 2
    assert P.season_slot[200] == 3  # 30 May: no season (factor 1)
    np.testing.assert_allclose(P.season_advance[0], [0.5, 0.8, 0.5, 1.0])


def test_a_switched_on_mechanism_needs_its_section():
    data = with_v2(kherson_data())
    del data["sides"]["russia"]["defence"]
    with pytest.raises(InputError, match="defence"):
        build(data)
    data = with_v2(kherson_data())
    set_path(data, "mechanisms.seasons", [{"name": "a", "months": [1], "advance_ratio": fixed(1), "intensity_ratio": fixed(1)},
                                          {"name": "b", "months": [1], "advance_ratio": fixed(1), "intensity_ratio": fixed(1)}])
    with pytest.raises(InputError, match="month 1"):
        build(data)


def test_aid_stall_step_by_hand():
    from ceasefire.engine.will import aid_stall_step

    # not stalled, will 0.6, hazard 0.1 at zero will: starts when u < 0.04; length ceil(-30 ln 0.5) = 21
    stalled, left = aid_stall_step(np.array([0.0, 0.0, 5.0]), np.array([0.6, 0.6, 0.6]), 0.1, 30.0,
                                   np.array([0.039, 0.041, 0.0]), np.array([0.5, 0.5, 0.5]))
    np.testing.assert_array_equal(stalled, [1.0, 0.0, 1.0])
    np.testing.assert_array_equal(left, [20.0, 0.0, 4.0])  # an ongoing stall only counts down


def test_aid_stalls_stop_aid_and_resume(v2):
    tr = simulate(v2, Policy(name="fight_on"), runs=64, seed=8, record_every_days=1, dtype=np.float64).trajectories
    left = tr["aid_stall_days_left"].sel(supporter="west").values
    aid = tr["aid_shells_per_day"].sel(supporter="west").values
    assert (left > 0).any() and (left == 0).any()
    stalled_today = np.zeros_like(left, dtype=bool)
    stalled_today[:, :-1] = left[:, 1:] < left[:, :-1]  # counting down: stalled that day
    assert np.all(aid[stalled_today] == 0.0)
    # stalls end: some run has aid again after a stall
    assert any(np.any(aid[r, np.argmax(left[r] > 0):] > 0) for r in range(left.shape[0]) if (left[r] > 0).any())


def test_quality_of_the_deployed_rises_toward_veterans_as_its_closed_form():
    from ceasefire.engine.manpower import seasoned_quality

    # no newcomers: Q(t) = q - (q - Q0)(1 - 1/tau)^t
    q, q0, tau = 1.2, 0.6, 50.0
    x = np.array(q0)
    for _ in range(30):
        x = seasoned_quality(x, q, 0.5, tau, np.array(1000.0), np.array(0.0))
    np.testing.assert_allclose(x, q - (q - q0) * (1 - 1 / tau) ** 30, rtol=1e-12)
    # newcomers: 1,000 staying at 1.0 and 250 arriving at 0.5 x 1.2 -> mixed 0.92, then 0.92 + 0.28 / 50
    np.testing.assert_allclose(seasoned_quality(np.array(1.0), 1.2, 0.5, 50.0, np.array(1000.0), np.array(250.0)),
                               0.92 + (1.2 - 0.92) / 50)
    # nobody deployed: unchanged before seasoning
    np.testing.assert_allclose(seasoned_quality(np.array(0.7), 1.0, 0.5, 10.0, np.array(0.0), np.array(0.0)), 0.73)


def test_engine_quality_follows_the_closed_form_without_recruits():
    data = with_v2(all_fixed(kherson_data()), seasons=False)
    for side in data["sides"].values():
        m = side["manpower"]
        for k in ("training_personnel", "pool_personnel", "mobilisation_personnel_per_day"):
            m[k] = fixed(0.0)
        m["waves"] = []
        side["seasoning"] = {"initial_quality_share": fixed(0.5), "new_quality_share": fixed(0.5),
                             "seasoning_days": fixed(40.0)}
    data["mechanisms"]["mobilised_quality"] = True
    sc = build(data)
    tr = simulate(sc, Policy(name="fight_on"), runs=2, seed=1, record_every_days=1, dtype=np.float64).trajectories
    days = tr["day"].values
    for s in sc.side_names:
        q = sc.param(f"sides.{s}.manpower.quality").nominal
        expected = q - (q - 0.5 * q) * (1 - 1 / 40) ** days
        np.testing.assert_allclose(tr["quality_ratio"].sel(side=s).values, np.broadcast_to(expected, (2, len(days))),
                                   rtol=1e-12)
