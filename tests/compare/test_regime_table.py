"""The table of how truces went (``compare.measures.regime_table``), on a hand-built compared ensemble."""

from __future__ import annotations

import numpy as np
import xarray as xr

from ceasefire.compare.measures import regime_table

NAN = np.nan


def _ds() -> xr.Dataset:
    # policies: fight-on, a fixed truce (days 0-90 in every run), a conditional truce with a breakdown
    start = [[NAN] * 4, [0, 0, 0, 0], [10, 30, 50, NAN]]
    end = [[NAN] * 4, [90, 90, 90, 90], [40, NAN, 80, NAN]]
    by_rule = np.zeros((3, 4, 2))
    by_rule[2, 2, 1] = 1  # run 2: the second side resumed by its rule
    return xr.Dataset(
        {"truce_start_day": (("policy", "run"), np.array(start, float)),
         "truce_end_day": (("policy", "run"), np.array(end, float)),
         "violation_days": (("policy", "run"), np.array([[0] * 4, [0] * 4, [2, 0, 4, 0]], float)),
         "resumed_by_rule": (("policy", "run", "side"), by_rule),
         "policy_kind": ("policy", np.array(["fight_on", "truce", "truce"]))},
        coords={"policy": ["fight_on", "fixed", "conditional"], "run": np.arange(4), "side": ["a", "b"]})


def test_regime_table_by_hand():
    t = regime_table(_ds())
    assert list(t.policy) == ["conditional"]  # fight-on has no truce; the fixed truce is the same in every run
    r = t.iloc[0]
    assert r.started_share == 0.75 and r.start_day_median == 30.0  # days 10, 30, 50; run 3 never started
    assert r.resumed_share == 0.5 and r.resumed_day_median == 60.0  # days 40 and 80
    assert r.resumed_by_rule_share == 0.25
    assert r.violation_days_mean == 1.5
