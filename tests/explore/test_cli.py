"""`ceasefire explore` from the command line: exit codes, resumption, refusals that leave the store untouched."""

import json
import shutil

import numpy as np
import pytest
import xarray as xr

from .helpers import SMALL_POLICIES, TINY_ARGS, run_cli, write_small_scenario


def _snapshot(root):
    return {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_tiny_exploration_is_consistent_with_the_engine(tiny_exploration, small_scenario_path):
    """The stored results are exactly the compared ensemble of the stored design (same favours, same claims)."""
    from ceasefire.compare import claims_table, favours_table, run_policies
    from ceasefire.scenario import load_scenario

    summary = json.loads((tiny_exploration / "summary.json").read_text())
    design = xr.load_dataset(tiny_exploration / "design.nc", engine="h5netcdf")
    results = xr.load_dataset(tiny_exploration / "results.nc", engine="h5netcdf")
    assert summary["design"]["rows"] == design.sizes["run"] == results.sizes["run"] == 64
    sc = load_scenario(small_scenario_path)
    ds = run_policies(sc, runs=64, seed=0, unit_samples=design["unit_samples"].values, keep="outcomes")
    fav = favours_table(ds).set_index("policy")
    for row in summary["favours_table"]:
        for side in sc.side_names:
            assert row[side] == pytest.approx(fav.loc[row["policy"], side])
        np.testing.assert_array_equal(
            results["power_share_change_at_truce_end"].sel(policy=row["policy"]).transpose("run", "side").values,
            ds["power_share_change_at_truce_end"].sel(policy=row["policy"]).transpose("run", "side").values)
    # the claims' shares are the compared ensemble's
    engine_claims = claims_table(ds, sc.claims).set_index(["claim", "policy"])["holds_share"]
    for c in summary["claims"]:
        for p in c["policies"]:
            assert p["holds_share"] == pytest.approx(engine_claims[(c["id"], p["policy"])])


def test_zero_samples_is_exit_2_and_writes_nothing(tmp_path, small_scenario_path):
    out = tmp_path / "x"
    assert run_cli(["explore", str(small_scenario_path), "--out", str(out), "--samples", "0"]) == 2
    assert not out.exists()


@pytest.mark.parametrize("args", [
    ["--truce-days", "400"],            # ends after the 365-day horizon
    ["--start-days", "365", "--truce-days", "30"],
    ["--aid-levels", "7"],              # aid level range is [0, 5]
    ["--map-truce-days", "0"],
    ["--truce-days", "ninety"],
])
def test_lever_outside_its_range_is_exit_2(tmp_path, small_scenario_path, args, capsys):
    out = tmp_path / "x"
    assert run_cli(["explore", str(small_scenario_path), "--out", str(out), "--samples", "64", *args]) == 2
    assert not out.exists()
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("change,message", [
    (["--seed", "1"], "seed: stored 0, asked 1"),
    (["--chunk-size", "32"], "chunk_size"),
])
def test_resume_on_a_store_for_another_run_is_exit_2_and_untouched(tmp_path, tiny_exploration,
                                                                   small_scenario_path, change, message, capsys):
    store = tmp_path / "store"
    shutil.copytree(tiny_exploration, store)
    before = _snapshot(store)
    args = [a for a in TINY_ARGS]
    if "--chunk-size" in change:
        i = args.index("--chunk-size")
        del args[i:i + 2]
    code = run_cli(["explore", str(small_scenario_path), "--out", str(store), *args, *change, "--resume"])
    assert code == 2
    assert message in capsys.readouterr().err.replace("\n", " ")
    assert _snapshot(store) == before


def test_resume_on_a_store_for_another_scenario_is_exit_2(tmp_path, tiny_exploration, capsys):
    other = write_small_scenario(tmp_path, horizon_days=300, policies=SMALL_POLICIES)
    store = tmp_path / "store"
    shutil.copytree(tiny_exploration, store)
    before = _snapshot(store)
    assert run_cli(["explore", str(other), "--out", str(store), *TINY_ARGS, "--resume"]) == 2
    assert "another exploration" in capsys.readouterr().err
    assert _snapshot(store) == before


@pytest.mark.parametrize("damage", ["manifest", "chunk"])
def test_corrupt_store_is_exit_2_and_untouched(tmp_path, tiny_exploration, small_scenario_path, damage, capsys):
    store = tmp_path / "store"
    shutil.copytree(tiny_exploration, store)
    if damage == "manifest":
        (store / "manifest.json").write_text('{"format": "ceasefire-explore", "trunc')
    else:
        (store / "chunks" / "chunk-000001.nc").write_bytes(b"not a netcdf file")
    before = _snapshot(store)
    assert run_cli(["explore", str(small_scenario_path), "--out", str(store), *TINY_ARGS, "--resume"]) == 2
    err = capsys.readouterr().err
    assert "damaged" in err and "Traceback" not in err
    assert _snapshot(store) == before


def test_existing_store_without_resume_is_exit_2(tmp_path, tiny_exploration, small_scenario_path):
    store = tmp_path / "store"
    shutil.copytree(tiny_exploration, store)
    before = _snapshot(store)
    assert run_cli(["explore", str(small_scenario_path), "--out", str(store), *TINY_ARGS]) == 2
    assert _snapshot(store) == before


def test_resume_recomputes_only_missing_chunks_with_identical_results(tmp_path, tiny_exploration,
                                                                     small_scenario_path):
    store = tmp_path / "store"
    shutil.copytree(tiny_exploration, store)
    kept = (store / "chunks" / "chunk-000000.nc").read_bytes()
    (store / "chunks" / "chunk-000002.nc").unlink()
    (store / "summary.json").unlink()
    assert run_cli(["explore", str(small_scenario_path), "--out", str(store), *TINY_ARGS, "--resume"]) == 0
    assert (store / "chunks" / "chunk-000000.nc").read_bytes() == kept
    a = xr.load_dataset(tiny_exploration / "results.nc", engine="h5netcdf")
    b = xr.load_dataset(store / "results.nc", engine="h5netcdf")
    xr.testing.assert_identical(a, b)


def test_report_on_unfinished_or_missing_exploration_is_exit_2(tmp_path, tiny_exploration, capsys):
    assert run_cli(["report", str(tmp_path / "nowhere")]) == 2
    store = tmp_path / "store"
    shutil.copytree(tiny_exploration, store)
    (store / "summary.json").unlink()
    assert run_cli(["report", str(store)]) == 2
    assert "--resume" in capsys.readouterr().err


def test_dask_localcluster_runs_the_engine_bit_identically(small_scenario_path, tmp_path):
    pytest.importorskip("distributed")
    from ceasefire.explore.design import make_design
    from ceasefire.explore.executors import DaskExecutor, InProcessExecutor
    from ceasefire.explore.levers import scenario_policies
    from ceasefire.explore.model import EngineModel
    from ceasefire.explore.store import Store
    from ceasefire.explore.sweep import make_manifest, run_sweep
    from ceasefire.scenario import load_scenario

    sc = load_scenario(small_scenario_path)
    model = EngineModel(sc, tuple(scenario_policies(sc)))
    design = make_design(model.parameters, 64, "saltelli", seed=3)
    manifest = make_manifest({"kind": "engine", "sha256": model.fingerprint()}, design, model.policy_names, 3, 16)
    ref = run_sweep(model, design, Store(tmp_path / "a"), manifest, InProcessExecutor(1))
    threads = run_sweep(model, design, Store(tmp_path / "t"), manifest, InProcessExecutor(2))
    res = run_sweep(model, design, Store(tmp_path / "b"), manifest, DaskExecutor(workers=2))
    xr.testing.assert_identical(ref, threads)
    xr.testing.assert_identical(ref, res)


def test_unreachable_scheduler_is_exit_2_before_anything_is_written(tmp_path, small_scenario_path, capsys):
    pytest.importorskip("distributed")
    out = tmp_path / "x"
    code = run_cli(["explore", str(small_scenario_path), "--out", str(out), *TINY_ARGS, "--executor", "dask",
                    "--scheduler", "tcp://127.0.0.1:9", "--connect-timeout", "1"])
    assert code == 2
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err
    assert not out.exists()
