"""The engine's CLI: real numbers, golden output, and bad input with exit code 2."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
import yaml

from ceasefire.cli import main

from ..conftest import KHERSON


def run_cli(args, capsys):
    with pytest.raises(SystemExit) as exc:
        main(args)
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def test_validate_output_is_stable(capsys):
    code, out, _ = run_cli(["validate", str(KHERSON)], capsys)
    assert code in (0, None)
    text = " ".join(out.split())
    assert re.search(r"valid scenario 'kherson-2022-11': 2 sides, 3 supporters, \d+ values \(\d+ uncertain\), 5 policies, 5 claims", text)


def test_schema_is_json_schema_of_the_scenario(capsys):
    code, out, _ = run_cli(["schema"], capsys)
    schema = json.loads(out)
    assert schema["title"] == "Scenario"
    assert {"sides", "combat", "horizon_days", "start_date"} <= set(schema["required"])


def test_compare_json_reports_favours_and_claims(tmp_path, capsys):
    code, out, _ = run_cli(["compare", str(KHERSON), "--runs", "200", "--seed", "3", "--json", "--only",
                            "--policy", "truce:0:90", "--out", str(tmp_path / "o")], capsys)
    assert code in (0, None)
    data = json.loads(out)
    fav = {row["policy"]: row for row in data["favours"]}
    row = fav["truce_90d_from_0"]
    assert row["ukraine"] + row["russia"] + row["neither"] == pytest.approx(1.0)
    assert "favours" in data["favours_definition"]
    assert {c["claim"] for c in data["claims"]} >= {"kofman-truce-favours-russia"}
    assert (tmp_path / "o" / "summary.md").read_text().startswith("# Truce or fight on")
    import pandas as pd
    import xarray as xr

    # one flat, compressed file holds every policy; plain xarray opens it
    ds = xr.open_dataset(tmp_path / "o" / "ensemble.nc")
    assert list(ds.policy.values) == ["fight_on", "truce_90d_from_0"]
    assert ds.sizes["run"] == 200 and ds.attrs["seed"] == 3 and ds.attrs["scenario"] == "kherson-2022-11"
    assert ds.attrs["policies"] == "fight_on, truce_90d_from_0"
    assert ds["territory_share_final"].encoding.get("zlib") or ds["territory_share_final"].encoding.get("compression")
    assert row["russia"] == pytest.approx(float(ds["favours"].sel(policy="truce_90d_from_0", side="russia").mean()))
    table = pd.read_csv(tmp_path / "o" / "outcomes.csv").set_index(["policy", "run"])
    np.testing.assert_allclose(table.loc["fight_on", "territory_share_final_ukraine"].values,
                               ds["territory_share_final"].sel(policy="fight_on", side="ukraine").values)
    np.testing.assert_allclose(table.loc["fight_on", "supporter_will_final_west"].values,
                               ds["supporter_will_final"].sel(policy="fight_on", supporter="west").values)


def test_run_writes_netcdf_that_reopens_identically(tmp_path, capsys):
    from ceasefire.engine import Results, simulate
    from ceasefire.scenario import load_scenario
    from ceasefire.scenario.policies import parse_policy

    code, _, _ = run_cli(["run", str(KHERSON), "--runs", "50", "--seed", "2", "--policy", "truce:10:30",
                          "--out", str(tmp_path / "r.nc")], capsys)
    assert code in (0, None)
    res = Results.open(tmp_path / "r.nc")
    direct = simulate(load_scenario(KHERSON), parse_policy("truce:10:30"), runs=50, seed=2)
    np.testing.assert_array_equal(res.outcomes["territory_share_final"].values, direct.outcomes["territory_share_final"].values)
    np.testing.assert_array_equal(res.trajectories["shells_stock"].values, direct.trajectories["shells_stock"].values)
    assert res.policy.start_day == 10 and res.policy.days == 30


def test_run_of_a_conditional_truce_says_how_often_it_started_and_ended(tmp_path, capsys):
    from ceasefire.engine import Results

    cond = "truce:0:120@power_share[russia]<0.47"
    code, out, _ = run_cli(["run", str(KHERSON), "--runs", "24", "--seed", "3", "--policy", cond,
                            "--out", str(tmp_path / "c.nc")], capsys)
    assert code in (0, None)
    o = Results.open(tmp_path / "c.nc").outcomes
    started, resumed = np.isfinite(o["truce_start_day"].values).mean(), np.isfinite(o["truce_end_day"].values).mean()
    assert 0 < started < 1  # the condition holds in some runs only
    assert f"The truce started in {started:.1%} of runs; fighting resumed after it in {resumed:.1%}." in " ".join(
        out.split())


def _scenario_with(tmp_path, edit) -> str:
    data = yaml.safe_load(KHERSON.read_text())
    edit(data)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda tmp: (tmp / "m.yaml").write_text("name: [unclosed\n") and str(tmp / "m.yaml"), "not valid YAML at line"),
        (lambda tmp: _scenario_with(tmp, lambda d: d["sides"]["russia"]["ammunition"].update(shells_stok=1)),
         "sides.russia.ammunition.shells_stok: unknown key"),
        (lambda tmp: _scenario_with(tmp, lambda d: d["sides"]["ukraine"]["ammunition"].update(
            shells_stock={"value": -5, "source": {"assumption": "x"}})), "sides.ukraine.ammunition.shells_stock: must be a quantity that is not negative"),
        (lambda tmp: _scenario_with(tmp, lambda d: d["combat"].update(
            front_length_km={"dist": "triangular", "low": 900, "mode": 950, "high": 800, "source": {"assumption": "x"}})),
         "combat.front_length_km: triangular needs low <= mode <= high"),
        (lambda tmp: str(tmp / "missing.yaml"), "does not exist"),
        (lambda tmp: _scenario_with(tmp, lambda d: d["supporters"]["west"].update(supports="atlantis")), "unknown side 'atlantis'"),
    ],
)
@pytest.mark.parametrize("command", ["validate", "compare", "run"])
def test_bad_input_exits_2_naming_the_field(tmp_path, capsys, make, words, command):
    path = make(tmp_path)
    code, out, err = run_cli([command, path, "--runs", "10"] if command != "validate" else [command, path], capsys)
    assert code == 2
    assert "Traceback" not in err
    assert words in " ".join(err.split())


def test_bad_policy_and_runs(capsys):
    code, _, err = run_cli(["compare", str(KHERSON), "--policy", "truce:zero:90"], capsys)
    assert code == 2 and "'truce:zero:90'" in err and "truce start" in err and "truce:START:LENGTH" in err
    code, _, err = run_cli(["compare", str(KHERSON), "--policy", "truce[0]:90"], capsys)
    assert code == 2 and "'truce[0]:90'" in err  # printed as typed (no Rich markup or emoji)
    code, _, err = run_cli(["run", str(KHERSON), "--runs", "0"], capsys)
    assert code == 2 and "--runs must be at least 1" in err
    code, _, err = run_cli(["run", str(KHERSON), "--policy", "truce:900:10", "--runs", "5"], capsys)
    assert code == 2 and "after the horizon" in err
