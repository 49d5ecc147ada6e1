"""With every v2 mechanism switched off the engine reproduces v1 bit for bit.

The numbers below were computed by the v1 engine (commit 19982a7, before the kernel refactor and
the v2 mechanisms) on a frozen copy of the v1 Kherson scenario: 32 runs, seed 5, float64. The
hash covers every outcome array; the sums are there so a failure says which quantity moved.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from ceasefire.engine import simulate
from ceasefire.scenario import Policy, load_scenario

V1 = Path(__file__).parent / "data" / "kherson-2022-11-v1.yaml"

GOLDEN = {
    "fight_on": ({"territory_share_final": 31.999999999999993, "casualties_personnel_total": 27540256.871981144,
                  "shells_stock_final": 15713199.072956588, "will_share_final": 48.963945060539025,
                  "supporter_will_final": 48.185544892896985, "combat_power_share_final": 32.0},
                 "1f79d3d15b515e1bfb0cbdbd63ac57a65bf8a2a63754b1c533b5d3fe27cbe750"),
    "t": ({"territory_share_final": 32.0, "casualties_personnel_total": 19814928.18425344,
           "shells_stock_final": 115699005.0631039, "will_share_final": 50.90236169989412,
           "supporter_will_final": 41.655191433198944, "combat_power_share_final": 32.0},
          "2be67254b13fef607d0d4677b537327d7ca9e50ea3152f60716c8c7455dce6e8"),
}
POLICIES = {"fight_on": Policy(name="fight_on"),
            "t": Policy(name="t", kind="truce", start_day=20, days=365, aid_level=0.5)}


@pytest.mark.parametrize("name", list(GOLDEN))
def test_v1_scenario_reproduces_v1_numbers_bit_for_bit(name):
    sc = load_scenario(V1)
    o = simulate(sc, POLICIES[name], runs=32, seed=5, record_every_days=30, dtype=np.float64).outcomes
    sums, digest = GOLDEN[name]
    for var, expected in sums.items():
        assert float(np.asarray(o[var].values, dtype=float).sum()) == expected, var
    h = hashlib.sha256()
    for var in sorted(V1_OUTCOME_NAMES):
        h.update(np.ascontiguousarray(o[var].values).astype(float).tobytes())
    assert h.hexdigest() == digest


#: the outcomes v1 had (new v2 outcomes are not part of the hash)
V1_OUTCOME_NAMES = (
    "aid_share_final", "casualties_personnel_total", "collapse_day", "collapsed", "combat_power_at",
    "combat_power_final", "combat_power_share_change", "combat_power_share_final", "combat_power_share_initial",
    "deployed_personnel_at", "deployed_personnel_final", "displaced_persons_final", "energy_capacity_share_final",
    "gdp_index_final", "killed_personnel_total", "power_share_at", "shells_stock_at", "shells_stock_final",
    "supporter_shells_final", "supporter_will_final", "territory_share_at", "territory_share_final", "will_share_final",
)
