"""Save and share: the exported YAML reproduces the numbers; NetCDF and CSV hold the results shown."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from ceasefire.dashboard import export
from ceasefire.dashboard.compute import Computer
from ceasefire.dashboard.state import Settings, default_settings
from ceasefire.scenario import load_scenario

from .conftest import RUNS

PATH = "supporters.west.will_decay_per_day"


@pytest.fixture(scope="module")
def view(scenarios):
    s = Settings("kherson-2022-11", 61, 150, aid_level=0.8, runs=RUNS, seed=11, halted=("aid",),
                 overrides=((PATH, "x2"),))
    return Computer(scenarios, processes=0).view(s)


def test_yaml_export_is_a_valid_scenario_that_reproduces_the_numbers(view, tmp_path):
    text = export.scenario_yaml(view.scenario, view.settings, link="http://127.0.0.1/dashboard?" + view.settings.query())
    path = tmp_path / "exported.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_scenario(path)  # the schema accepts it
    # the what-if is baked in, marked as an assumption that names the original value
    p = loaded.param(PATH)
    assert p.source.kind == "assumption" and "x2" in p.source.assumption
    # the chosen truce is the file's first truce, so opening it shows the same settings...
    s2 = default_settings(loaded, "reloaded").replace(runs=view.settings.runs, seed=view.settings.seed)
    s = view.settings
    assert (s2.start_day, s2.days, s2.aid_level, s2.halted) == (s.start_day, s.days, s.aid_level, s.halted)
    # ...and the same numbers, run by run
    again = Computer({"reloaded": loaded}, processes=0).view(s2)
    xr.testing.assert_equal(again.truce.outcomes, view.truce.outcomes)
    assert again.favours == view.favours
    pd.testing.assert_frame_equal(again.table, view.table)


def test_yaml_header_says_runs_seed_and_link(view):
    text = export.scenario_yaml(view.scenario, view.settings, link="http://x/dashboard?a=1")
    head = text.splitlines()[:5]
    assert any(f"runs={RUNS} seed=11" in line for line in head)
    assert any("http://x/dashboard?a=1" in line for line in head)
    assert any(PATH in line for line in head)


def test_netcdf_holds_both_policies_pairing_and_settings(view, tmp_path):
    data = export.results_netcdf(view)
    path = tmp_path / "r.nc"
    path.write_bytes(data)
    ds = xr.load_dataset(path)
    s = view.settings
    fight = s.fight_on_policy().name
    assert fight == "fight_on_aid0.8"  # fight-on at the page's aid level, named by its label
    assert list(ds["policy"].values) == [fight, s.truce_policy().name]
    np.testing.assert_allclose(ds["territory_share_final"].sel(policy=s.truce_policy().name).values,
                               view.truce.outcomes["territory_share_final"].values)
    np.testing.assert_allclose(ds["deployed_personnel"].sel(policy=fight).values,
                               view.fight.trajectories["deployed_personnel"].values)
    assert ds.sizes["run"] == RUNS
    truce = s.truce_policy().name
    assert set(np.unique(ds["favoured_side"].sel(policy=truce).values.astype(str))) <= {*view.scenario.side_names,
                                                                                        "neither"}
    fav = ds["favoured_side"].sel(policy=truce).values.astype(str)
    assert np.mean(fav == view.scenario.side_names[0]) == pytest.approx(view.favours[view.scenario.side_names[0]])
    side0 = view.scenario.side_names[0]
    assert float(ds["favours"].sel(policy=truce, side=side0).mean()) == pytest.approx(view.favours[side0])
    assert ds.attrs["settings_query"] == s.query() and ds.attrs["runs"] == RUNS
    fight = s.fight_on_policy().name
    assert ds.attrs["policies"] == f"{fight}, {truce}" and ds.attrs["ceasefire_format"] == "compared-ensemble-1"
    # fight-on's per-day snapshots are cut to the days that matter (with the favours measure's end + 90)
    assert sorted(ds["snapshot_day"].values.tolist()) == sorted({0, s.start_day, s.end_day, s.end_day + 90,
                                                                 view.scenario.horizon_days})
    assert np.isfinite(ds["power_share_at"].sel(snapshot_day=s.end_day + 90).values).all()
    assert "parameter_value" in ds and ds["parameter_value"].dims == ("run", "parameter")


def test_csv_has_a_row_per_policy_and_run_with_outcomes_and_parameters(view):
    df = pd.read_csv(io.StringIO(export.results_csv(view)))
    assert len(df) == 2 * RUNS
    fight = view.settings.fight_on_policy().name
    assert set(df["policy"]) == {fight, view.settings.truce_policy().name}
    side = view.scenario.side_names[0]
    truce = df[df.policy != fight].sort_values("run")
    np.testing.assert_allclose(truce[f"territory_share_final[{side}]"].values,
                               view.truce.outcomes["territory_share_final"].sel(side=side).values, rtol=1e-6)
    assert f"param:{PATH}" in df.columns
    # the same parameter draw in both policies, run by run (common random numbers)
    a = df[df.policy == fight].sort_values("run")[f"param:{PATH}"].values
    np.testing.assert_array_equal(a, truce[f"param:{PATH}"].values)
    assert set(truce["favours"]) <= {*view.scenario.side_names, "neither"}


def test_table_csv_is_the_outcome_table(view):
    df = pd.read_csv(io.StringIO(export.table_csv(view)))
    pd.testing.assert_frame_equal(df, view.table.reset_index(drop=True), check_dtype=False, rtol=1e-8)


def test_yaml_export_round_trips_with_distinct_uniquely_named_policies(view, tmp_path):
    """The export used to write fight-on at the page's aid level as a second ``fight_on``, so
    ``compare`` stopped with "policy names must be unique"; now each policy is named by its label."""
    from ceasefire.compare import favours_table, run_policies
    from ceasefire.scenario.policies import parse_policy, policy_label

    path = tmp_path / "exported.yaml"
    path.write_text(export.scenario_yaml(view.scenario, view.settings), encoding="utf-8")
    loaded = load_scenario(path)
    names = [p.name for p in loaded.policies]
    assert len(set(names)) == len(names)
    labels = [policy_label(p) for p in loaded.policies]
    assert len(set(labels)) == len(labels)  # no two policies in the file run identically
    assert names[:2] == ["fight_on_aid0.8", "truce_150d_from_61_aid0.8_halt-aid"]
    assert parse_policy(names[1]) == loaded.policies[1]  # the label reads back as the same policy
    # the scenario's own policies follow; its fight-on at aid 1 is a different policy and is kept
    assert names[2:] == [p.name for p in view.scenario.policies]
    # and it runs in compare: the truce's run-by-run outcomes and its favours shares are the dashboard's
    ds = run_policies(loaded, loaded.policies[:2], runs=RUNS, seed=view.settings.seed, keep="outcomes")
    np.testing.assert_array_equal(ds["territory_share_final"].sel(policy=names[1]).values,
                                  view.truce.outcomes["territory_share_final"].values)
    assert str(ds["baseline"].sel(policy=names[1]).values) == names[0]  # fight-on at the page's aid level
    fav = favours_table(ds).set_index("policy").loc[names[1]]
    for side in [*view.scenario.side_names, "neither"]:
        assert float(fav[side]) == pytest.approx(view.favours[side], abs=1e-12)
