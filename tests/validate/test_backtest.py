"""Backtest scoring on a tiny hand-computed case: bands, coverage, CRPS, shape basis, CLI."""

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from ceasefire.cli import main
from ceasefire.errors import InputError
from ceasefire.validate.backtest import band, crps_ensemble, read_observations, score


def test_crps_hand_values():
    # X = {1, 2, 4}, y = 3: E|X-y| = (2+1+1)/3 = 4/3; E|X-X'| = (0+1+3+1+0+2+3+2+0)/9 = 4/3
    assert crps_ensemble(np.array([1.0, 2.0, 4.0]), 3.0) == pytest.approx(4 / 3 - 0.5 * 4 / 3)
    # a single-member ensemble is the absolute error
    assert crps_ensemble(np.array([5.0]), 2.0) == pytest.approx(3.0)
    # y outside a two-point ensemble {0, 1} at 2: E|X-y| = 1.5, E|X-X'| = 0.5 -> 1.25
    assert crps_ensemble(np.array([0.0, 1.0]), 2.0) == pytest.approx(1.25)
    # order does not matter, NaN members are dropped
    assert crps_ensemble(np.array([4.0, np.nan, 1.0, 2.0]), 3.0) == pytest.approx(2 / 3)


def test_crps_matches_brute_force_pairs():
    rng = np.random.default_rng(0)
    x = rng.normal(size=57)
    y = 0.3
    brute = np.mean(np.abs(x - y)) - 0.5 * np.mean(np.abs(x[:, None] - x[None, :]))
    assert crps_ensemble(x, y) == pytest.approx(brute, rel=1e-12)


def tiny_ensemble():
    # 5 runs, days 0, 10, 20; side dim with russia/ukraine; value = run index * day
    runs = np.arange(1, 6, dtype=float)  # 1..5
    days = np.array([0.0, 10.0, 20.0])
    vals = runs[:, None, None] * days[None, :, None] * np.array([1.0, 2.0])[None, None, :]
    return xr.Dataset(
        {"casualties_cumulative_personnel": (("run", "day", "side"), vals)},
        coords={"run": np.arange(5), "day": days, "side": ["russia", "ukraine"]},
    )


def obs_frame(rows):
    df = pd.DataFrame(rows, columns=["date", "observable", "side", "value", "unit", "basis", "source"])
    df["date"] = pd.to_datetime(df["date"])
    return df


def test_coverage_and_crps_on_a_tiny_case():
    ds = tiny_ensemble()
    start = "2022-11-11"
    obs = obs_frame([
        # day 10, russia: ensemble {10,20,30,40,50}; 50% band [20, 40], 90% band [12, 48]
        ("2022-11-21", "casualties_cumulative_personnel", "russia", 35.0, "personnel", "level", "s"),
        # day 20, russia: ensemble {20,...,100}; 50% [40, 80]; 90% [24, 96]; 97 is outside both
        ("2022-12-01", "casualties_cumulative_personnel", "russia", 97.0, "personnel", "level", "s"),
        # day 15 (interpolated), ukraine: ensemble 2*15*{1..5} = {30,60,90,120,150}
        ("2022-11-26", "casualties_cumulative_personnel", "ukraine", 20.0, "personnel", "level", "s"),
        ("2022-11-01", "casualties_cumulative_personnel", "russia", 1.0, "personnel", "level", "before start"),
    ])
    res = score(ds, obs, start)
    xr.testing.assert_identical(ds, tiny_ensemble())  # scoring only reads the ensemble
    rows = res.rows.set_index(["side", "day"])
    r1 = rows.loc[("russia", 10.0)]
    assert (r1.p25, r1.p75, r1.p05, r1.p95) == pytest.approx((20, 40, 12, 48))
    assert bool(r1.in_50) and bool(r1.in_90)
    assert r1.crps == pytest.approx(crps_ensemble(np.array([10, 20, 30, 40, 50.0]), 35.0))
    # hand value: E|X-35| = (25+15+5+5+15)/5 = 13; E|X-X'| = 2/25*(sum of |i-j|*10) = 2/25*200 = 16 -> 13 - 8 = 5
    assert r1.crps == pytest.approx(5.0)
    r2 = rows.loc[("russia", 20.0)]
    assert not r2.in_50 and not r2.in_90
    r3 = rows.loc[("ukraine", 15.0)]
    assert r3["median"] == pytest.approx(90.0) and not r3.in_90
    summary = res.summary.set_index("side")
    assert summary.loc["russia", "coverage_50"] == pytest.approx(0.5)
    assert summary.loc["russia", "coverage_90"] == pytest.approx(0.5)
    assert summary.loc["russia", "n"] == 2
    assert any("before" in s for s in res.skipped)


def test_shape_basis_normalises_by_the_last_date():
    ds = tiny_ensemble()
    obs = obs_frame([
        ("2022-11-21", "casualties_cumulative_personnel", "russia", 500.0, "personnel", "shape", "s"),
        ("2022-12-01", "casualties_cumulative_personnel", "russia", 1000.0, "personnel", "shape", "s"),
        ("2022-12-01", "equipment_losses_cumulative", "russia", 3.0, "items", "shape", "s"),
    ])
    res = score(ds, obs, "2022-11-11")
    assert len(res.rows) == 1  # the reference date itself is not scored
    r = res.rows.iloc[0]
    # every run is linear in day, so its day-10 / day-20 ratio is 0.5 exactly, as observed
    assert r.observed == pytest.approx(0.5) and r.p05 == pytest.approx(0.5) and r.crps == pytest.approx(0.0)
    assert any("not simulated" in s for s in res.skipped)


def test_band_levels():
    x = np.arange(101.0)
    assert band(x, "50") == (25.0, 75.0)
    assert band(x, "90") == (5.0, 95.0)


def test_backtest_cli_on_a_saved_ensemble(tmp_path, capsys):
    nc = tmp_path / "ens.nc"
    tiny_ensemble().to_netcdf(nc, engine="h5netcdf")
    obs = tmp_path / "obs.csv"
    obs_frame([
        ("2022-11-21", "casualties_cumulative_personnel", "russia", 35.0, "personnel", "level", "hand case"),
    ]).assign(date=lambda d: d.date.dt.strftime("%Y-%m-%d")).to_csv(obs, index=False)
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exc:
        main(["backtest", str(tmp_path / "unused.yaml"), "--observed", str(obs), "--ensemble", str(nc),
              "--start-date", "2022-11-11", "--out", str(out)])
    assert exc.value.code == 0
    text = " ".join(capsys.readouterr().out.split())  # Rich wraps at the console's width, which depends on the run
    assert "casualties_cumulative_personnel" in text and "100%" in text
    # the hand case: persistence forecasts 0 (CRPS 35), so skill 1 - 5/35; no second history point, no mean rate
    assert "skill against persistence (skill +0.86)" in text and "no mean rate baseline" in text
    table = pd.read_csv(out / "backtest_observations.csv")
    assert table.crps.iloc[0] == pytest.approx(5.0)
    assert (out / "backtest_casualties_cumulative_personnel_russia.png").stat().st_size > 1000


def test_observed_csv_has_a_source_on_every_row(data_dir):
    obs = read_observations(data_dir / "ukraine" / "observed.csv")
    assert len(obs) > 0
    assert obs.source.str.len().min() > 40
    assert (obs.date > pd.Timestamp("2022-11-11")).all()
    # the General Staff rows are a change since the start: first month 94,140 - 79,400
    first = obs[obs.observable == "killed_cumulative_personnel"].iloc[0]
    assert first.value == 14_740 and first.basis == "shape"


@pytest.mark.slow
def test_backtest_cli_runs_the_engine_on_the_kherson_scenario(data_dir, tmp_path, capsys):
    scenario = data_dir.parent / "scenarios" / "kherson-2022-11.yaml"
    if not scenario.exists():
        pytest.skip("scenarios/kherson-2022-11.yaml is not in this checkout")
    out = tmp_path / "bt"
    with pytest.raises(SystemExit) as exc:
        main(["backtest", str(scenario), "--observed", str(data_dir / "ukraine" / "observed.csv"),
              "--runs", "4", "--seed", "1", "--out", str(out)])
    assert exc.value.code == 0
    text = " ".join(capsys.readouterr().out.split())  # Rich wraps at the console width of the run
    assert "killed_cumulative_personnel [russia, shape]" in text
    assert "equipment_losses_cumulative (russia): not simulated" in text
    table = pd.read_csv(out / "backtest_observations.csv")
    assert (table.day > 0).all() and (table.crps >= 0).all()
    assert set(table.reference_date) == {"2024-10-11"}


def test_scoringrules_crps_equals_the_sorted_sample_identity():
    # the hand-written estimator this module used before scoringrules, kept here as the reference
    def sorted_identity(x, y):
        x = np.sort(x)
        n = x.size
        i = np.arange(1, n + 1)
        return np.mean(np.abs(x - y)) - 0.5 * 2.0 / n**2 * np.sum((2 * i - n - 1) * x)

    rng = np.random.default_rng(3)
    for n in (1, 2, 7, 300):
        x = rng.lognormal(size=n)
        assert crps_ensemble(x, 1.3) == pytest.approx(sorted_identity(x, 1.3), rel=1e-12, abs=1e-15)


def test_baselines_skill_and_verdict_on_a_hand_computed_case():
    ds = tiny_ensemble()
    obs = obs_frame([
        # history known on the start date: change since the start was -5 ten days before it -> rate 0.5/day
        ("2022-11-01", "casualties_cumulative_personnel", "russia", -5.0, "personnel", "level", "history"),
        ("2022-11-21", "casualties_cumulative_personnel", "russia", 35.0, "personnel", "level", "s"),
        ("2022-12-01", "casualties_cumulative_personnel", "russia", 97.0, "personnel", "level", "s"),
    ])
    res = score(ds, obs, "2022-11-11")
    rows = res.rows.set_index("day")
    # persistence: the day-0 value of a cumulative variable, 0; mean rate: 0 + 0.5 * days ahead
    assert rows.loc[10.0, "persistence"] == 0.0 and rows.loc[10.0, "mean_rate"] == pytest.approx(5.0)
    assert rows.loc[20.0, "mean_rate"] == pytest.approx(10.0)
    # point forecasts: CRPS = absolute error
    assert rows.loc[10.0, "crps_persistence"] == pytest.approx(35.0) and rows.loc[10.0, "crps_mean_rate"] == pytest.approx(30.0)
    assert rows.loc[20.0, "crps_persistence"] == pytest.approx(97.0) and rows.loc[20.0, "crps_mean_rate"] == pytest.approx(87.0)
    # model at day 20: ensemble {20,...,100}, y = 97: E|X-y| = 191/5 = 38.2, E|X-X'| = 32 -> 22.2
    assert rows.loc[20.0, "crps"] == pytest.approx(22.2)
    s = res.summary.iloc[0]
    assert s.mean_crps == pytest.approx(13.6)
    assert s.mean_crps_persistence == pytest.approx(66.0) and s.mean_crps_mean_rate == pytest.approx(58.5)
    assert s.skill_persistence == pytest.approx(1 - 13.6 / 66.0) and s.skill_mean_rate == pytest.approx(1 - 13.6 / 58.5)
    line = res.verdicts[0]
    assert line.startswith("casualties_cumulative_personnel (russia, level): skill against persistence (skill +0.79)")
    assert "50% of 2 observations in the 90% band" in line


def test_a_model_worse_than_persistence_gets_no_skill_and_history_after_the_start_is_refused():
    ds = tiny_ensemble()
    obs = obs_frame([
        ("2022-11-11", "casualties_cumulative_personnel", "russia", 0.0, "personnel", "level", "start"),
        ("2022-11-21", "casualties_cumulative_personnel", "russia", 1.0, "personnel", "level", "s"),
    ])
    res = score(ds, obs, "2022-11-11")
    s = res.summary.iloc[0]
    # model CRPS at day 10 ({10..50} vs 1): E|X-1| = 29, E|X-X'| = 16 -> 21; persistence |0 - 1| = 1
    assert s.mean_crps == pytest.approx(21.0) and s.skill_persistence == pytest.approx(1 - 21.0)
    assert "no skill against persistence" in res.verdicts[0]
    assert "no mean rate baseline" in res.verdicts[0]  # one history point only
    late = obs.iloc[[1]].assign(row=2)
    with pytest.raises(InputError, match="history row 2 is dated after the start"):
        score(ds, obs, "2022-11-11", history=late)


def test_rolling_origins_condition_the_ensemble_and_the_baselines_on_what_was_known():
    from ceasefire.validate.backtest import rolling_origins

    ds = tiny_ensemble()  # run r (1..5) has value r * day for russia
    obs = obs_frame([
        ("2022-11-21", "casualties_cumulative_personnel", "russia", 30.0, "personnel", "level", "s"),  # day 10: run 3
        ("2022-12-01", "casualties_cumulative_personnel", "russia", 60.0, "personnel", "level", "s"),  # day 20: run 3
    ])
    table = rolling_origins(ds, obs, "2022-11-11", origin_every_days=10)
    assert list(table.origin_day) == [0.0, 10.0]
    first, second = table.iloc[0], table.iloc[1]
    # origin 0: all five runs equally weighted, as the plain backtest
    assert first.ess_runs == pytest.approx(5.0) and first.n == 2
    assert first.mean_crps == pytest.approx(np.mean([crps_ensemble(np.array([10, 20, 30, 40, 50.0]), 30.0),
                                                    crps_ensemble(np.array([20, 40, 60, 80, 100.0]), 60.0)]))
    # origin 10: runs weighted by exp(-0.5 ((10 r - 30) / sd)^2), sd = 0.05 * 60 = 3: run 3 dominates
    w = np.exp(-0.5 * ((10 * np.arange(1, 6) - 30) / 3.0) ** 2)
    w /= w.sum()
    assert second.ess_runs == pytest.approx(1 / np.sum(w**2)) and second.n == 1
    assert second.mean_crps < 0.01 and second.coverage_90 == 1.0
    # baselines at origin 10 know day 0 (0) and day 10 (30): persistence 30, mean rate 3/day -> 60 at day 20
    assert second.mean_crps_persistence == pytest.approx(30.0) and second.mean_crps_mean_rate == pytest.approx(0.0)
    assert np.isnan(second.skill_mean_rate)  # a perfect baseline leaves no room for skill
