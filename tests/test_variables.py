"""The variable registry is the one place units and labels are written."""

from __future__ import annotations

import pytest

from ceasefire import variables as V
from ceasefire.engine import simulate
from ceasefire.engine import kernel
from ceasefire.scenario import CLAIM_METRICS, load_scenario

from .conftest import KHERSON as SCENARIO


@pytest.fixture(scope="module")
def results():
    return simulate(load_scenario(SCENARIO), runs=8, seed=3, snapshot_days=[30])


def test_every_recorded_variable_is_declared_with_its_units_and_label(results):
    for ds in (results.trajectories, results.outcomes):
        for name, da in ds.data_vars.items():
            var = V.variable(name)
            assert da.attrs["units"] == var.units, name
            assert da.attrs["long_name"] == var.label, name
            assert tuple(d for d in da.dims) == var.dims, name
    declared = {v.name for v in V.TRAJECTORIES}
    assert set(results.trajectories.data_vars) == declared
    assert set(results.outcomes.data_vars) - {f"{s}_at" for s in V.SNAPSHOTS} == {v.name for v in V.OUTCOMES}


def test_kernel_record_slots_follow_the_registry_order():
    side = V.names(V.SIDE_STOCKS + V.SIDE_FLOWS)
    assert side.index("deployed_personnel") == kernel.R_DEP
    assert side.index("power_share") == kernel.R_PSH
    assert side.index("shells_fired_per_day") == kernel.R_FIRED
    assert side.index("strike_weapons_launched_per_day") == kernel.R_LAUNCH
    sup = V.names(V.SUPPORTER_STOCKS + V.SUPPORTER_FLOWS)
    assert (sup.index("supporter_will_share"), sup.index("aid_shells_per_day")) == (kernel.RS_WILL, kernel.RS_AID)


def test_claim_metrics_are_the_registry_outcomes_and_paired_differences():
    assert CLAIM_METRICS["territory_share_final"] == "side"
    assert CLAIM_METRICS["supporter_will_final"] == "supporter"
    assert CLAIM_METRICS["power_share_change_at_truce_end"] == "side"
    assert set(CLAIM_METRICS) <= {v.name for v in V.ALL}
    assert "favours" not in CLAIM_METRICS


def test_registry_names_are_unique_and_units_live_in_the_names():
    names = [v.name for v in V.ALL]
    assert len(names) == len(set(names))
    for v in V.SIDE_FLOWS + V.SUPPORTER_FLOWS:
        assert v.name.endswith("_per_day") and v.units.endswith("/day"), v.name
    for v in V.ALL:
        if v.name.endswith("_personnel") or v.name.endswith("_personnel_total"):
            assert v.units == "personnel", v.name
        if v.name.endswith("_share") and v.kind in ("stock",):
            assert "share" in v.units, v.name


def test_markdown_table_lists_every_variable():
    table = V.markdown_table()
    for v in V.ALL:
        assert f"`{v.name}`" in table
