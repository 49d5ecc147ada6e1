"""Invariants over random valid scenarios (Hypothesis): no negative stock, no NaN, losses within troops."""

from __future__ import annotations

import copy

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasefire import variables as V
from ceasefire.engine import simulate
from ceasefire.scenario import load_scenario, scenario_from_dict

from ..conftest import KHERSON
from .helpers import fixed, kherson_data, set_path, with_v2

BASE = kherson_data()
SCENARIO = load_scenario(KHERSON)
PATHS = [path for path, _ in SCENARIO.params()]
BASE_V2 = with_v2(BASE)
PATHS_V2 = [path for path, _ in scenario_from_dict(copy.deepcopy(BASE_V2), "v2").params()]


def _admissible_value(path: str, u: float) -> float:
    from ceasefire.scenario.ranges import admissible

    if ".tranches." in path and path.endswith(".share"):
        return 0.2 * u  # four tranches of at most 0.2 fit in the whole contested territory
    rule = admissible(path.rsplit(".", 1)[-1])
    lo, hi = (0.0, 1e6) if rule is None else (rule[0], min(rule[1], 1e7))
    if path.endswith("_days"):
        lo, hi = 1.0, 400.0
    if path.endswith("_ratio") or path.endswith("quality") or path.endswith("resumption_factor"):
        lo, hi = 0.2, 4.0
    if path.endswith("_share_at_war") or path.endswith("_share") and "gdp" not in path:
        hi = min(hi, 1.0)
    if path.endswith(".p") or path.endswith(".q"):
        lo, hi = 0.0, 1.5
    if path.endswith("daily_noise_sd"):
        hi = 1.0
    lo = lo + (1e-6 if rule is not None and not rule[2] else 0.0)
    return lo + (hi - lo) * u


def _one_territory(data: dict) -> None:
    """The sides' shares of the contested territory made to sum to 1 (``validate`` requires it): the first
    side keeps its drawn share, the others split the rest equally."""
    sides = list(data["sides"])
    first = data["sides"][sides[0]]["front"]["territory_share"]["value"]
    for name in sides[1:]:
        data["sides"][name]["front"]["territory_share"] = fixed((1.0 - first) / (len(sides) - 1))


#: Outcomes that are NaN by their definition (a truce never ended, or fight-on).
NAN_BY_DEFINITION = V.NAN_BY_DEFINITION


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.floats(0.0, 1.0), min_size=len(PATHS), max_size=len(PATHS)), st.integers(0, 2**31 - 1),
       st.integers(0, 80), st.integers(1, 120))
def test_no_negative_stock_no_nan_losses_within_troops(us, seed, truce_start, truce_days):
    data = copy.deepcopy(BASE)
    data["horizon_days"] = 150
    for path, u in zip(PATHS, us):
        set_path(data, path, fixed(_admissible_value(path, u)))
    _one_territory(data)
    # a truce must end by the horizon (check_policy); the longest ones end on it
    data["policies"] = [{"name": "t", "kind": "truce", "start_day": truce_start,
                         "days": min(truce_days, 150 - truce_start)}]
    sc = scenario_from_dict(data, "hypothesis scenario")
    for policy in [None, sc.policies[0]]:
        res = simulate(sc, policy, runs=8, seed=seed, record_every_days=1, dtype=np.float64)
        tr = res.trajectories
        for name in tr.data_vars:
            values = tr[name].values
            assert np.all(np.isfinite(values)), name
            if name not in ("power_share",):
                assert np.all(values >= -1e-9), name
        assert np.all(tr["casualties_per_day"].values <= tr["deployed_personnel"].values + 1e-9)
        share = tr["territory_share"].sum("side").values
        np.testing.assert_allclose(share, 1.0, atol=1e-9)
        assert np.all(tr["power_share"].values <= 1 + 1e-12)
        assert np.all(tr["supporter_will_share"].values <= 1 + 1e-12)
        for name in res.outcomes.data_vars:
            if name in NAN_BY_DEFINITION:  # NaN where fighting never resumed within the horizon
                continue
            assert np.all(np.isfinite(res.outcomes[name].values.astype(float))), name


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.floats(0.0, 1.0), min_size=len(PATHS_V2), max_size=len(PATHS_V2)), st.integers(0, 2**31 - 1),
       st.integers(0, 80), st.integers(1, 120))
def test_v2_stocks_never_negative_never_nan(us, seed, truce_start, truce_days):
    """Model v2 on: deep reserves, front stock and fortification stay finite and within their ranges."""
    data = copy.deepcopy(BASE_V2)
    data["horizon_days"] = 150
    for path, u in zip(PATHS_V2, us):
        set_path(data, path, fixed(_admissible_value(path, u)))
    _one_territory(data)
    data["policies"] = [{"name": "t", "kind": "truce", "start_day": truce_start,
                         "days": min(truce_days, 150 - truce_start)}]  # a truce ends by the horizon
    sc = scenario_from_dict(data, "hypothesis v2 scenario")
    for policy in [None, sc.policies[0]]:
        tr = simulate(sc, policy, runs=8, seed=seed, record_every_days=1, dtype=np.float64).trajectories
        for name in tr.data_vars:
            assert np.all(np.isfinite(tr[name].values)), name
        for name in ("reserve_shells_stock", "shells_stock", "shells_drawn_per_day", "fortification_share"):
            assert np.all(tr[name].values >= 0), name
        assert np.all(tr["fortification_share"].values <= 1.0)
        np.testing.assert_allclose(tr["territory_share"].sum("side").values, 1.0, atol=1e-9)
