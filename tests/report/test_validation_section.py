"""The report's Validation section on hand-built runs: numbers, in-sample/out-of-sample labels, errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from ceasefire.cli import main
from ceasefire.errors import InputError
from ceasefire.report.build import build_report
from ceasefire.report.validation_section import (IN_SAMPLE, OUT_OF_SAMPLE, PARTLY, calibration_coverage, sample_status,
                                                 validation_html)
from ceasefire.scenario import load_scenario
from ceasefire.validate.backtest import calibrated_up_to

from ..validate.test_backtest import obs_frame, tiny_ensemble


def test_sample_status_against_the_calibration_date():
    assert sample_status(None, "2022-11-12", "2023-01-01") == OUT_OF_SAMPLE  # never calibrated
    assert sample_status("2022-11-10", "2022-11-12", "2023-01-01") == OUT_OF_SAMPLE
    assert sample_status("2022-11-10", "2022-03-03", "2022-11-10") == IN_SAMPLE  # the day itself counts as seen
    assert sample_status("2022-11-10", "2022-03-03", "2022-12-01") == PARTLY


def calibration_dir(tmp_path):
    """Four observations; bands chosen so 3 of 4 lie in the 90% band and 1 of 4 in the 50% band."""
    y = np.array([10.0, 20.0, 30.0, 0.5])
    q = np.array([[5, 15, 31, 0.1],     # 5%
                  [8, 21, 32, 0.4],     # 25%
                  [10, 22, 33, 0.5],    # 50%
                  [12, 23, 34, 0.6],    # 75%
                  [15, 25, 35, 0.9]])   # 95%
    ds = xr.Dataset({"observed": ("observation", y), "predictive_quantile": (("quantile", "observation"), q)},
                    coords={"quantile": [0.05, 0.25, 0.5, 0.75, 0.95],
                            "observable": ("observation", ["casualties_cumulative_personnel"] * 3 + ["territory_share"]),
                            "side": ("observation", ["russia"] * 4),
                            "date": ("observation", pd.to_datetime(["2022-03-01", "2022-04-01", "2022-05-01", "2022-05-01"]))},
                    attrs={"scenario": "hand-hindcast", "observed_file": "obs.csv",
                           "source": "calibrated on obs.csv up to 2022-05-01, ABC-SMC, seed 3"})
    d = tmp_path / "cal"
    d.mkdir()
    ds.to_netcdf(d / "calibration.nc", engine="h5netcdf")
    return d


def test_calibration_coverage_per_series_from_the_stored_quantiles(tmp_path):
    ds = xr.load_dataset(calibration_dir(tmp_path) / "calibration.nc", engine="h5netcdf")
    rows = {r["observable"]: r for r in calibration_coverage(ds)}
    # casualties: 10 in [8, 12] and [5, 15]; 20 outside [21, 23], inside [15, 25]; 30 below 31: outside both
    assert rows["casualties_cumulative_personnel"]["n"] == 3
    assert rows["casualties_cumulative_personnel"]["coverage_50"] == pytest.approx(1 / 3)
    assert rows["casualties_cumulative_personnel"]["coverage_90"] == pytest.approx(2 / 3)
    assert rows["territory_share"]["coverage_50"] == 1.0 and rows["territory_share"]["coverage_90"] == 1.0


def backtest_dir(tmp_path):
    """The hand case of tests/validate: skill 1 - 13.6/66 against persistence, 1 - 13.6/58.5 against the mean rate."""
    nc = tmp_path / "ens.nc"
    tiny_ensemble().to_netcdf(nc, engine="h5netcdf")
    obs = tmp_path / "obs.csv"
    obs_frame([
        ("2022-11-01", "casualties_cumulative_personnel", "russia", -5.0, "personnel", "level", "history"),
        ("2022-11-21", "casualties_cumulative_personnel", "russia", 35.0, "personnel", "level", "s"),
        ("2022-12-01", "casualties_cumulative_personnel", "russia", 97.0, "personnel", "level", "s"),
    ]).assign(date=lambda d: d.date.dt.strftime("%Y-%m-%d")).to_csv(obs, index=False)
    out = tmp_path / "bt"
    with pytest.raises(SystemExit) as exc:
        main(["backtest", str(tmp_path / "unused.yaml"), "--observed", str(obs), "--ensemble", str(nc),
              "--start-date", "2022-11-11", "--out", str(out)])
    assert exc.value.code == 0
    return out


def test_backtest_run_record_and_section_numbers(tmp_path):
    bt = backtest_dir(tmp_path)
    rec = json.loads((bt / "backtest_run.json").read_text())
    assert rec["start_date"] == "2022-11-11" and rec["calibrated_up_to"] is None
    assert (rec["first_scored_date"], rec["last_scored_date"]) == ("2022-11-21", "2022-12-01")
    html = validation_html([bt, calibration_dir(tmp_path)])
    assert '<section id="validation">' in html
    assert "[out-of-sample]" in html and "[in-sample]" in html
    assert "+0.79" in html  # skill against persistence, 1 - 13.6 / 66
    assert "+0.77" in html  # against the mean rate
    assert "13.6 personnel" in html  # the mean CRPS
    assert "50%" in html  # one of the two observations inside the 90% band
    # the calibration block: casualties 33% / 67%, territory 100% / 100%
    assert "33%" in html and "67%" in html and "calibrated on obs.csv up to 2022-05-01" in html
    # the same backtest of a scenario calibrated on data up to 2022-12-31 is in-sample
    rec["calibrated_up_to"] = "2022-12-31"
    (bt / "backtest_run.json").write_text(json.dumps(rec))
    html = validation_html([bt])
    assert "[in-sample]" in html and "[out-of-sample]" not in html


def test_calibrated_up_to_reads_the_source_calibrate_writes():
    repo = Path(__file__).resolve().parents[2]
    assert calibrated_up_to(load_scenario(repo / "scenarios" / "kherson-2022-11.yaml")) is None
    sc = load_scenario(repo / "scenarios" / "kherson-2022-11-calibrated.yaml")
    assert calibrated_up_to(sc) == "2022-11-10"


def test_the_report_gets_the_section_and_a_bad_directory_exits_2(tmp_path, exploration, report_path):
    bt = backtest_dir(tmp_path)
    path = build_report(exploration, tmp_path / "r.html", validation=[bt])
    html = path.read_text(encoding="utf-8")
    assert '<a href="#validation">Validation</a>' in html and "[out-of-sample]" in html
    assert "data:image/png;base64," in html.split('<section id="validation">')[1]
    assert 'id="validation"' not in report_path.read_text(encoding="utf-8")  # the same report without the option
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="backtest_summary.csv is missing"):
        validation_html([empty])
    with pytest.raises(SystemExit) as exc:
        main(["report", str(exploration), "--out", str(tmp_path / "x.html"), "--validation", str(empty)])
    assert exc.value.code == 2
    assert not (tmp_path / "x.html").exists()
