"""Truces that can fail, resumption by choice, settlements and conditional starts (issue 13).

Every number below is a closed form or read back from the simulated state itself.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from statsmodels.duration.survfunc import SurvfuncRight

from ceasefire.cli import main
from ceasefire.engine import simulate
from ceasefire.engine import truce as T
from ceasefire.engine.simulate import Regime
from ceasefire.errors import InputError
from ceasefire.scenario import scenario_from_dict
from ceasefire.scenario.policies import parse_policy
from ceasefire.scenario.schema import Policy

from ..conftest import KHERSON
from .helpers import kherson_data

BRK = {"source": "assumption: test value"}


@pytest.fixture(scope="module")
def base_data():
    return kherson_data()


def scenario(data, horizon: int, policies: list[dict]):
    d = copy.deepcopy(data)
    d["horizon_days"] = horizon
    d["policies"] = policies
    return scenario_from_dict(d, "truce test scenario")


# ------------------------------------------------------------------ pure functions
def test_hazard_is_proportional_with_a_threshold_and_agreement_multipliers():
    h = T.breakdown_hazard_per_day(0.002, 0.08, 0.05, 20.0, 0.1, 3.0, 0.2, 1.5, 0.5)
    assert h == pytest.approx(0.002 * 0.5 * np.exp(20.0 * 0.03 + 3.0 * 0.1 + 1.5 * 0.2))
    # below the threshold the gain does not count
    assert T.breakdown_hazard_per_day(0.002, 0.04, 0.05, 20.0, 0.0, 3.0, 0.0, 1.5, 1.0) == pytest.approx(0.002)


def test_event_today_has_probability_one_minus_exp_minus_h():
    u = (np.arange(100_000) + 0.5) / 100_000  # an exact grid of uniforms
    for h in (0.0, 0.01, 0.3, 2.0):
        assert T.event_today(h, u).mean() == pytest.approx(1 - np.exp(-h), abs=1e-5)


def test_resume_rule_and_conditions_compare_strictly():
    assert T.resume_rule_fires(0.75, 0.5, 0.25, np.inf) == 0.0  # an equal gain does not fire
    assert T.resume_rule_fires(0.7501, 0.5, 0.25, np.inf) == 1.0
    assert T.resume_rule_fires(0.61, 0.6, 0.5, 0.6) == 1.0  # the level arm
    assert T.compare_holds(0.3, 0.0, 0.4) == 1.0 and T.compare_holds(0.3, 1.0, 0.4) == 0.0


# ------------------------------------------------------------------ the regime on a hand-built state
class FakeState:
    """A state in which side 0's power share rises linearly from 0.4 (per run slope), will is constant."""

    def __init__(self, runs: int, slope_per_day: np.ndarray):
        self.d = 0
        self.slope = slope_per_day
        self.runs = runs

    def __call__(self):
        s0 = 0.4 + self.slope * self.d
        return {"power_share": np.stack([s0, 1 - s0], axis=1), "will_share": np.full((self.runs, 2), 0.8),
                "supporter_will_share": np.full((self.runs, 3), 0.7)}


def drive(sc, policy, runs, slope, days):
    reg = Regime(sc, policy, np.arange(runs, dtype=np.int64), seed=11)
    state = FakeState(runs, slope)
    in_truce = []
    for d in range(days + 1):
        state.d = d
        reg.advance(d, state)
        in_truce.append(reg.in_truce.copy())
    return reg, np.array(in_truce)


def test_state_dependent_hazard_gives_the_closed_form_survival(base_data):
    sc = scenario(base_data, 400, [])
    pol = Policy(name="p", kind="truce", start_day=0, days=400,
                 breakdown={**BRK, "collapse_per_day": 0.002, "gain_threshold_share": 0.02, "gain_per_share": 40.0})
    runs, slope = 40_000, 0.001
    reg, held = drive(sc, pol, runs, np.full(runs, slope), 200)
    days = np.arange(201)
    gain = slope * days
    hazard = 0.002 * np.exp(40.0 * np.maximum(gain - 0.02, 0.0))
    survival = np.exp(-np.cumsum(np.where(days >= 1, hazard, 0.0)))  # still in truce on day d
    observed = held.mean(axis=1)
    se = np.sqrt(survival * (1 - survival) / runs)
    assert np.all(np.abs(observed - survival) <= 4 * se + 1e-12)
    assert survival[200] < 0.2  # the hazard really rose: a constant 0.002 would leave 67%


def test_resume_rule_fires_on_exactly_the_first_day_its_condition_holds(base_data):
    sc = scenario(base_data, 400, [])
    pol = Policy(name="p", kind="truce", start_day=0, days=300, resume_rule={"ukraine": {"gain_share": 0.0505}})
    slope = np.array([0.001, 0.002, 0.0005, 0.0])
    reg, _ = drive(sc, pol, 4, slope, 300)
    # first d with slope * d > 0.0505: 51, 26, 102; a flat share never fires and the truce runs out on day 300
    np.testing.assert_array_equal(reg.end, [51, 26, 102, 300])
    np.testing.assert_array_equal(reg.resumed_by[:, 0], [1, 1, 1, 0])


# ------------------------------------------------------------------ whole simulations (NumPy path)
def test_constant_hazard_truce_lengths_follow_the_exponential_survival(base_data):
    h, horizon = 0.01, 250
    sc = scenario(base_data, horizon, [{"name": "t", "kind": "truce", "start_day": 0, "days": horizon,
                                        "breakdown": {**BRK, "collapse_per_day": h}}])
    res = simulate(sc, sc.policies[0], runs=600, seed=5, record_every_days=horizon)
    end = res.outcomes["truce_end_day"].values
    ran_out = np.isnan(end)
    length = np.where(ran_out, horizon, end)
    km = SurvfuncRight(length, (~ran_out).astype(int))
    lo, hi = km.simultaneous_cb(alpha=0.05)
    expected = np.exp(-h * km.surv_times)  # P(length > t)
    assert np.all((expected >= lo - 1e-9) & (expected <= hi + 1e-9))
    assert np.mean(ran_out) == pytest.approx(np.exp(-h * horizon), abs=0.05)
    assert np.all(res.outcomes["truce_start_day"].values == 0)


def test_resume_rule_in_a_simulation_fires_on_the_first_day_the_recorded_share_clears_it(base_data):
    gain = 0.01
    sc = scenario(base_data, 200, [{"name": "t", "kind": "truce", "start_day": 20, "days": 180,
                                    "resume_rule": {"russia": {"gain_share": gain}}}])
    res = simulate(sc, sc.policies[0], runs=12, seed=2, record_every_days=1, dtype=np.float64)
    share = res.trajectories["power_share"].sel(side="russia").values  # (run, day), state at the start of a day
    end = res.outcomes["truce_end_day"].values
    fired = res.outcomes["resumed_by_rule"].sel(side="russia").values
    assert fired.sum() >= 1
    for r in range(12):
        over = np.nonzero(share[r, 21:200] - share[r, 20] > gain)[0]
        if len(over):
            assert end[r] == 21 + over[0] and fired[r] == 1
        else:
            assert np.isnan(end[r]) and fired[r] == 0
    # after the truce ends the runs fight: Russia's fire is positive the day after
    fired_shells = res.trajectories["shells_fired_per_day"].sel(side="russia").values
    for r in np.nonzero(fired)[0]:
        d = int(end[r])
        assert fired_shells[r, d] > 0 and fired_shells[r, d - 1] == 0


def test_conditional_start_on_exactly_the_first_day_its_condition_holds(base_data):
    sc = scenario(base_data, 300, [])
    pol = parse_policy("truce:10:60@power_share[russia]<0.47", sc)
    fight = simulate(sc, None, runs=16, seed=4, record_every_days=1, dtype=np.float64, backend="numpy")
    res = simulate(sc, pol, runs=16, seed=4, record_every_days=1, dtype=np.float64)
    share = fight.trajectories["power_share"].sel(side="russia").values
    start = res.outcomes["truce_start_day"].values
    assert np.isfinite(start).sum() >= 2 and np.isnan(start).sum() >= 0
    for r in range(16):
        below = np.nonzero(share[r, 10:300] < 0.47)[0]
        if len(below):
            assert start[r] == 10 + below[0]
            d = int(start[r])  # before it starts, the run is fight-on's
            np.testing.assert_array_equal(res.trajectories["territory_share"].values[r, :d + 1],
                                          fight.trajectories["territory_share"].values[r, :d + 1])
            end = min(d + 60, 300)
            assert np.all(res.trajectories["shells_fired_per_day"].values[r, d:end] == 0)
        else:
            assert np.isnan(start[r])


def test_quiet_front_condition_reads_the_change_over_n_days(base_data):
    sc = scenario(base_data, 300, [])
    pol = parse_policy("settle:0@change(territory_share[ukraine],20d)<0.002", sc)
    fight = simulate(sc, None, runs=8, seed=9, record_every_days=1, dtype=np.float64, backend="numpy")
    res = simulate(sc, pol, runs=8, seed=9, record_every_days=1, dtype=np.float64)
    terr = fight.trajectories["territory_share"].sel(side="ukraine").values
    start = res.outcomes["truce_start_day"].values
    for r in range(8):
        quiet = np.nonzero(np.abs(terr[r, 20:300] - terr[r, :280]) < 0.002)[0]
        assert (start[r] == 20 + quiet[0]) if len(quiet) else np.isnan(start[r])


def test_settled_line_stays_fixed_until_breakdown(base_data):
    sc = scenario(base_data, 400, [{"name": "s", "kind": "settle", "start_day": 60,
                                    "breakdown": {**BRK, "collapse_per_day": 0.01, "violation_per_day": 0.1,
                                                  "violation_intensity_share": 0.2}}])
    res = simulate(sc, sc.policies[0], runs=24, seed=3, record_every_days=1, dtype=np.float64)
    terr = res.trajectories["territory_share"].values  # (run, day, side)
    end = res.outcomes["truce_end_day"].values
    viol = res.outcomes["violation_days"].values
    assert np.all(res.outcomes["truce_start_day"].values == 60)
    assert np.isfinite(end).sum() >= 12 and viol.sum() > 0
    for r in range(24):
        stop = int(end[r]) if np.isfinite(end[r]) else 400
        np.testing.assert_array_equal(terr[r, 60:stop + 1], np.broadcast_to(terr[r, 60], (stop + 1 - 60, 2)))
    moved = [np.abs(terr[r, -1] - terr[r, int(end[r])]).max() for r in range(24) if np.isfinite(end[r])]
    assert max(moved) > 0.001  # after breakdown the line moves again
    # violation days: limited combat (some fire) without collapse
    fired = res.trajectories["shells_fired_per_day"].values.sum(axis=2)
    for r in range(24):
        stop = int(end[r]) if np.isfinite(end[r]) else 400
        assert (fired[r, 60:stop] > 0).sum() == viol[r]


def test_breakdown_results_do_not_depend_on_chunking(base_data):
    sc = scenario(base_data, 200, [{"name": "t", "kind": "truce", "start_day": 30, "days": 170,
                                    "breakdown": {**BRK, "collapse_per_day": 0.01, "violation_per_day": 0.05,
                                                  "gain_per_share": 10.0},
                                    "start_when": [{"variable": "power_share", "who": "russia", "op": "<",
                                                    "value": 0.5}]}])
    a = simulate(sc, sc.policies[0], runs=10, seed=8, chunk_runs=3, record_every_days=50)
    b = simulate(sc, sc.policies[0], runs=10, seed=8, chunk_runs=10, record_every_days=50)
    for name in ("truce_start_day", "truce_end_day", "violation_days", "power_share_resumed",
                 "territory_share_final"):
        np.testing.assert_array_equal(a.outcomes[name].values, b.outcomes[name].values)
    c = simulate(sc, sc.policies[0], runs=4, seed=8, run_offset=6, record_every_days=50)  # runs 6..9 alone
    np.testing.assert_array_equal(c.outcomes["truce_end_day"].values, a.outcomes["truce_end_day"].values[6:])


def test_fixed_truce_outputs_agree_between_numpy_and_kernel(base_data):
    sc = scenario(base_data, 365, [{"name": "t", "kind": "truce", "start_day": 100, "days": 120}])
    kw = dict(runs=6, seed=1, record_every_days=30, dtype=np.float64, snapshot_days=[100, 220])
    a = simulate(sc, sc.policies[0], backend="numpy", **kw)
    b = simulate(sc, sc.policies[0], backend="numba", **kw)
    assert np.all(a.outcomes["truce_end_day"].values == 220)
    np.testing.assert_array_equal(a.outcomes["truce_end_day"].values, b.outcomes["truce_end_day"].values)
    np.testing.assert_allclose(a.outcomes["power_share_resumed"].values, b.outcomes["power_share_resumed"].values,
                               rtol=1e-9)
    np.testing.assert_array_equal(a.outcomes["power_share_at"].values.shape, b.outcomes["power_share_at"].values.shape)
    assert np.all(np.isfinite(a.outcomes["power_share_resumed"].values))
    fight = simulate(sc, None, **kw)
    assert np.all(np.isnan(fight.outcomes["truce_end_day"].values))
    assert np.all(np.isnan(fight.outcomes["power_share_resumed"].values))


# ------------------------------------------------------------------ names and bad input
def test_labels_say_everything_that_distinguishes_a_policy(base_data):
    sc = scenario(base_data, 730, [])
    plain = parse_policy("truce:0:90", sc)
    cond = parse_policy("truce:0:90@power_share[russia]<0.45", sc)
    b1 = Policy.model_validate({**plain.model_dump(), "breakdown": {**BRK, "collapse_per_day": 0.001}})
    b2 = Policy.model_validate({**plain.model_dump(), "breakdown": {**BRK, "collapse_per_day": 0.001,
                                                                   "agreement": {"monitoring": 0.5}}})
    r = Policy.model_validate({**plain.model_dump(), "resume_rule": {"russia": {"gain_share": 0.05}}})
    labels = [plain.label, cond.label, b1.label, b2.label, r.label, parse_policy("settle:180", sc).label]
    assert len(set(labels)) == len(labels)
    assert plain.label == "truce_90d_from_0" and not plain.dynamic
    assert r.label == "truce_90d_from_0_resume-russia-gain0.05"
    assert parse_policy("settle_from_180", sc).kind == "settle"


@pytest.mark.parametrize("text, words", [
    ("truce:0:90@bogus[russia]<0.4", "'bogus' is not a state variable"),
    ("truce:0:90@power_share[west]<0.4", "'west' is not a side"),
    ("truce:0:90@supporter_will_share[russia]<0.4", "'russia' is not a supporter"),
    ("settle:0@power_share[russia]=0.4", "cannot read the condition"),
])
def test_bad_conditions_name_the_field_and_exit_2(text, words, capsys):
    with pytest.raises(InputError, match="start_when|condition"):
        parse_policy(text, scenario(kherson_data(), 730, []))
    with pytest.raises(SystemExit) as exc:  # the CLI's entry point, as the `ceasefire` script runs it
        main(["run", str(KHERSON), "-p", text, "--runs", "2"])
    err = " ".join(capsys.readouterr().err.split())
    assert exc.value.code == 2
    assert words in err and "--policy" in err
    assert "Traceback" not in err


def test_a_scenario_file_with_a_bad_resume_side_is_refused(base_data):
    with pytest.raises(Exception, match="resume_rule names unknown side"):
        scenario(base_data, 730, [{"name": "t", "kind": "truce", "start_day": 0, "days": 90,
                                   "resume_rule": {"moldova": {"gain_share": 0.05}}}])


# ------------------------------------------------------------------ invariants (Hypothesis)
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.floats(0.0, 0.2), st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.floats(0.0, 50.0), st.integers(0, 60),
       st.integers(1, 60), st.sampled_from(["truce", "settle"]), st.integers(0, 2**31 - 1))
def test_regime_invariants(base_data, collapse, violation, share, gain_coef, start, days, kind, seed):
    horizon = 120
    pol = {"name": "p", "kind": kind, "start_day": start,
           "breakdown": {**BRK, "collapse_per_day": collapse, "violation_per_day": violation,
                         "violation_intensity_share": share, "gain_per_share": gain_coef}}
    if kind == "truce":
        pol["days"] = min(days, horizon - start)
    sc = scenario(base_data, horizon, [pol])
    res = simulate(sc, sc.policies[0], runs=6, seed=seed, record_every_days=1, dtype=np.float64)
    tr, out = res.trajectories, res.outcomes
    for name in tr.data_vars:
        assert np.all(np.isfinite(tr[name].values)), name
    np.testing.assert_allclose(tr["territory_share"].sum("side").values, 1.0, atol=1e-9)
    start_d = out["truce_start_day"].values
    end_d = out["truce_end_day"].values
    assert np.all(start_d == start)
    assert np.all(np.isnan(end_d) | (end_d > start_d))
    stop = np.where(np.isnan(end_d), horizon, end_d).astype(int)
    fired = tr["shells_fired_per_day"].values.sum(axis=2)
    viol = out["violation_days"].values
    for r in range(6):
        held = fired[r, start:stop[r]]
        assert viol[r] <= stop[r] - start
        assert (held > 0).sum() <= viol[r]  # outside violation days a holding truce fires nothing


def test_the_rules_compile_with_numba_on_scalars_and_agree():
    """The kernel will call these functions per run and day (like will.aid_stall_step)."""
    from ceasefire.engine._jit import jit

    cases = [
        (T.breakdown_hazard_per_day, (0.002, 0.08, 0.05, 20.0, 0.1, 3.0, 0.2, 1.5, 0.5)),
        (T.event_today, (0.3, 0.2)),
        (T.resume_rule_fires, (0.7501, 0.5, 0.25, np.inf)),
        (T.compare_holds, (0.3, 0.0, 0.4)),
        (T.combat_factor, (1.0, T.IN_TRUCE, 1.0, 0.1)),
    ]
    for fn, args in cases:
        assert float(jit(fn)(*args)) == float(fn(*args)), fn.__name__
