"""The bargaining analyses are functions of an ensemble: their numbers follow from it by hand."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ceasefire.bargain.analyses import range_analysis, truce_analysis
from ceasefire.bargain.commitment import commitment_war_condition, per_period_discount
from ceasefire.bargain.outside_options import load_cost_rates

from ..conftest import KHERSON


@pytest.fixture(scope="module")
def kherson_truce():
    if not KHERSON.is_file():
        pytest.skip("scenarios/kherson-2022-11.yaml not in the tree")
    from ceasefire.compare import run_policies
    from ceasefire.scenario import load_scenario
    from ceasefire.scenario.policies import make_policy

    scenario = load_scenario(KHERSON)
    pol = make_policy("truce", 0, 91, scenario=scenario)
    return scenario, pol, run_policies(scenario, [pol], runs=30, seed=4)


def test_truce_analysis_is_powells_condition_on_the_paired_ensemble(kherson_truce):
    scenario, pol, ds = kherson_truce
    result = truce_analysis(scenario, ds, pol, "ukraine", "russia", rates=load_cost_rates(None), discount_rate=0.1)
    p, d = result.payload, result.declining
    fight, truce = ds.sel(policy="fight_on"), ds.sel(policy=pol.name)
    drop = {s: float(fight["territory_share_final"].sel(side=s).mean() - truce["territory_share_final"].sel(side=s).mean())
            for s in ("ukraine", "russia")}
    assert d == max(drop, key=drop.get) and p["rising_side"] != d
    np.testing.assert_allclose(result.p_fight, np.clip(fight["territory_share_final"].sel(side=d).values, 0, 1))
    f = p["formal"]
    assert f["discount_per_period"] == pytest.approx(np.exp(-0.1 * 91 / 365), abs=5e-5)
    assert f["p_now"] == pytest.approx(result.p_fight.mean(), abs=5e-5)
    again = commitment_war_condition(result.p_fight.mean(), result.p_truce.mean(), per_period_discount(0.1, 91),
                                     max(f["cost_declining_share_per_period"], 0.0),
                                     max(f["cost_rising_share_per_period"], 0.0))
    assert again.war == f["war"]
    assert f["share_of_runs_war"] == pytest.approx(result.war_per_run.mean(), abs=5e-5)
    assert result.war_per_run.shape == (30,)
    json.dumps(p)  # JSON-ready as it is


def test_range_analysis_rows_follow_the_range_and_ripeness(kherson_truce):
    from ceasefire.engine import simulate

    scenario, _, _ = kherson_truce
    res = simulate(scenario, runs=30, seed=4)  # one policy's ensemble, as `bargain range` runs it
    result = range_analysis(scenario, res, "ukraine", "russia", rates=load_cost_rates(None))
    rows = result.payload["days"]
    assert [r["day"] for r in rows] == result.range["day"].values.tolist()
    for k, r in enumerate(rows):
        assert r["ripe"] == bool(result.ripeness["ripe"][k])
        assert r["low"] == pytest.approx(float(result.range["low"][k]), abs=5e-5)
    assert result.payload["ripe_days"] == sum(r["ripe_equal_outlook"] for r in rows)
    assert result.payload["ripe_days_any_outlook"] == sum(r["ripe"] for r in rows)
    assert result.payload["ripe_days_any_outlook"] == result.payload["ripe_days"] + result.payload[
        "ripe_days_short_outlook"]
    for r in rows:  # the range on the pie: Fearon's bounds clipped to [0, 1], the Nash split on it
        assert r["low_clipped"] == pytest.approx(min(max(r["low"], 0.0), 1.0), abs=1e-4)
        assert r["high_clipped"] == pytest.approx(min(max(r["high"], 0.0), 1.0), abs=1e-4)
        assert 0.0 <= r["low_band_clipped"] <= r["high_band_clipped"] <= 1.0
        assert 0.0 <= r["nash_split"] <= 1.0
    assert result.payload["runs"] == 30
