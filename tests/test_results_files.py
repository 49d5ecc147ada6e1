"""Every results file the CLI writes opens with plain ``xarray.open_dataset`` and says what it holds."""

from __future__ import annotations

import pytest
import xarray as xr

from ceasefire.cli import main

from .conftest import KHERSON


def _run(args):
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code in (0, None)


@pytest.fixture(scope="module")
def compare_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("cmp") / "o"
    _run(["compare", str(KHERSON), "--runs", "40", "--seed", "2", "--out", str(out), "--no-plots"])
    return out


def test_compare_writes_one_flat_file_with_every_policy(compare_out):
    files = sorted(compare_out.glob("*.nc"))
    assert [f.name for f in files] == ["ensemble.nc"]
    ds = xr.open_dataset(files[0])
    assert len(ds.data_vars) > 40 and ds.sizes["policy"] == 5
    assert ds.attrs["policies"] == ", ".join(ds.policy.values)
    for name in ("territory_share", "territory_share_final", "favours", "parameter_value"):
        assert ds[name].attrs.get("units") is not None, name
    # lossless compression: the numbers are the same as in memory
    assert ds["territory_share"].encoding.get("compression") == "gzip" or ds["territory_share"].encoding.get("zlib")


def test_keep_outcomes_leaves_out_the_trajectories(tmp_path):
    out = tmp_path / "o"
    _run(["compare", str(KHERSON), "--runs", "20", "--out", str(out), "--keep", "outcomes", "--only",
          "-p", "truce:0:90"])
    ds = xr.open_dataset(out / "ensemble.nc")
    assert "day" not in ds.dims and "territory_share_final" in ds and "favours" in ds


def test_run_writes_one_flat_file(tmp_path):
    path = tmp_path / "r.nc"
    _run(["run", str(KHERSON), "--runs", "20", "--out", str(path)])
    ds = xr.open_dataset(path)
    assert {"deployed_personnel", "territory_share_final", "parameter_value"} <= set(ds.data_vars)
    assert ds.attrs["policies"] == "fight_on"


def test_every_file_of_an_exploration_opens_with_plain_xarray(tmp_path):
    from .explore.helpers import TINY_ARGS, SMALL_POLICIES, run_cli, write_small_scenario

    scenario = write_small_scenario(tmp_path, horizon_days=365, policies=SMALL_POLICIES)
    out = tmp_path / "x"
    assert run_cli(["explore", str(scenario), "--out", str(out), *TINY_ARGS]) == 0
    files = sorted(out.rglob("*.nc"))
    assert len(files) >= 4
    for f in files:
        ds = xr.open_dataset(f)
        assert len(ds.data_vars) >= 1, f.name
    results = xr.open_dataset(out / "results.nc")
    assert list(results.policy.values) == [p["name"] for p in SMALL_POLICIES]
