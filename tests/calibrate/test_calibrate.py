"""ABC-SMC calibration: a closed-form posterior, the engine binding, refusal of later data, outputs."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from scipy import stats

from ceasefire.calibrate import abc_smc, calibrate, read_observed_paths, resolve_parameters
from ceasefire.calibrate.posterior import fit_truncnormal
from ceasefire.calibrate.smc import weighted_quantile
from ceasefire.calibrate.synthetic import recovery, synthetic_observations, synthetic_scenario
from ceasefire.cli import main
from ceasefire.errors import InputError
from ceasefire.scenario import load_scenario

REPO = Path(__file__).resolve().parents[2]
KHERSON = REPO / "scenarios" / "kherson-2022-11.yaml"
KEEP = ["sides.ukraine.combat.casualties_inflicted_per_day", "sides.russia.combat.casualties_inflicted_per_day",
        "sides.ukraine.front.advance_share_per_day_max"]
SERIES = [("casualties_cumulative_personnel", "russia", 2000.0), ("casualties_cumulative_personnel", "ukraine", 2000.0),
          ("territory_share", "ukraine", 0.003)]
DAYS = np.arange(10, 121, 10)


@pytest.fixture(scope="module")
def small():
    return synthetic_scenario(load_scenario(KHERSON), KEEP, 120)


def test_abc_smc_recovers_a_closed_form_gaussian_posterior():
    # prior theta ~ N(0, 1); 20 observations y_i ~ N(theta, 0.5); posterior N(m, v) in closed form
    rng = np.random.default_rng(5)
    s, n, truth = 0.5, 20, 0.8
    y = truth + s * rng.standard_normal(n)
    v = 1.0 / (1.0 + n / s**2)
    m = v * y.sum() / s**2
    noise = np.random.default_rng(9)

    def distance(z):  # noisy ABC: simulate y_rep = theta + e, RMS standardised residual
        rep = z[:, :1] + s * noise.standard_normal((len(z), n))
        return np.sqrt(np.mean(((rep - y) / s) ** 2, axis=1))

    res = abc_smc(distance, 1, n_particles=2000, generations=10, seed=1)
    g = res.final
    mean = float(g.weights @ g.z[:, 0])
    sd = float(np.sqrt(g.weights @ (g.z[:, 0] - mean) ** 2))
    assert mean == pytest.approx(m, abs=0.05)
    # the ABC posterior at a finite tolerance is a little wider than the exact one, never narrower than 90% of it
    assert 0.9 * np.sqrt(v) < sd < 1.6 * np.sqrt(v)
    eps = [x.epsilon for x in res.generations]
    assert all(a > b for a, b in zip(eps, eps[1:]))  # the tolerance falls every generation
    assert all(0 < x.ess <= 2000 for x in res.generations)


def test_weighted_quantile_and_truncnormal_fit():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    assert weighted_quantile(x, np.array([0.1, 0.1, 0.1, 0.7]), 0.5) == 4.0
    assert weighted_quantile(x, np.full(4, 0.25), 0.5) == 2.0
    a, b = (0.0 - 0.3) / 0.2, (1.0 - 0.3) / 0.2
    draws = stats.truncnorm.rvs(a, b, loc=0.3, scale=0.2, size=20000, random_state=1)
    mu, sd = fit_truncnormal(draws, np.full(len(draws), 1 / len(draws)), 0.0, 1.0)
    assert mu == pytest.approx(0.3, abs=0.01) and sd == pytest.approx(0.2, rel=0.03)


def test_parameter_names_resolve_and_bad_names_are_refused(small):
    assert resolve_parameters(small, ["russia.combat.casualties_inflicted_per_day"]) == [KEEP[1]]
    assert resolve_parameters(small, None) == [p for p, _ in small.uncertain_parameters()]
    with pytest.raises(InputError, match="matches"):
        resolve_parameters(small, ["casualties_inflicted_per_day"])
    with pytest.raises(InputError, match="fixed value"):
        resolve_parameters(small, ["combat.p"])


def test_later_observations_are_refused_naming_the_first_row(tmp_path):
    csv = tmp_path / "obs.csv"
    pd.DataFrame({
        "date": ["2022-11-11", "2022-11-01", "2022-11-20", "2022-12-01"],
        "observable": ["territory_share"] * 4, "side": ["ukraine"] * 4, "value": [0.83, 0.82, 0.84, 0.85],
        "unit": ["share"] * 4, "source": ["test rows"] * 4,
    }).to_csv(csv, index=False)
    with pytest.raises(InputError, match=r"row 4: dated 2022-11-20, after the scenario's start date 2022-11-11"):
        read_observed_paths(csv, "2022-11-11")
    with pytest.raises(SystemExit) as exc:
        main(["calibrate", str(KHERSON), "--observed", str(csv), "--out", str(tmp_path / "o")])
    assert exc.value.code == 2
    # with --as-of the rows up to that date are used, the earlier one is not simulated
    obs = read_observed_paths(csv, "2022-11-11", "2022-12-01")
    assert list(obs.day) == [0, 9, 20] and any("before the scenario's start" in n for n in obs.notes)
    assert obs.sd == pytest.approx(0.05 * 0.85)  # rows without sd: 5% of the series' largest value


def test_posterior_narrows_as_observations_are_added(small):
    truth = np.array([0.6, 0.5, 0.3])
    obs = synthetic_observations(small, truth, SERIES, DAYS, seed=4)
    early = obs.subset(obs.day <= 30)
    widths = []
    for o in (early, obs):
        cal = calibrate(small, o, population=300, generations=5, seed=2)
        s = {r["parameter"]: r for r in cal.summary()}
        widths.append([s[p]["posterior_high"] - s[p]["posterior_low"] for p in KEEP[:2]])
    # both casualty rates: the 90% interval from 12 dates is narrower than from the first 3
    assert widths[1][0] < 0.8 * widths[0][0] and widths[1][1] < 0.8 * widths[0][1]


def test_calibrate_writes_a_loadable_scenario_and_diagnostics(small, tmp_path):
    obs = synthetic_observations(small, np.array([0.4, 0.5, 0.7]), SERIES, DAYS, seed=8)
    cal = calibrate(small, obs, params=KEEP[:2], population=200, generations=3, seed=1)
    files = cal.write(tmp_path)
    names = {f.name for f in files}
    assert {"kherson-2022-11-synthetic-calibrated.yaml", "calibration.nc", "calibration_parameters.png",
            "calibration_predictive.png", "calibration_generations.png"} <= names
    sc = load_scenario(tmp_path / "kherson-2022-11-synthetic-calibrated.yaml")
    p = sc.param(KEEP[0])
    assert p.dist == "truncnormal" and (p.low, p.high) == (300, 700)
    assert p.source.ref.startswith("calibrated on synthetic observations") and "ABC-SMC" in p.source.ref
    assert "triangular(300, 420, 700)" in p.source.derivation
    # the uncalibrated third parameter keeps its prior
    assert sc.param(KEEP[2]) == small.param(KEEP[2])
    post = cal.summary()[0]
    assert p.mean == pytest.approx(post["posterior_mean"], rel=0.05)
    ds = xr.open_dataset(tmp_path / "calibration.nc")
    assert ds.sizes["particle"] == 200 and ds.sizes["parameter"] == 2
    assert float(ds.weight.sum()) == pytest.approx(1.0)
    assert (np.diff(ds.epsilon.values) < 0).all()
    assert ds.predictive_quantile.sizes["observation"] == len(obs)


@pytest.mark.slow
def test_recovery_fast_version(small):
    # benchmarks/calibrate.py runs 20 repetitions; this runs 5 (15 intervals)
    inside = [recovery(small, SERIES, DAYS, seed=s, population=300, generations=5).inside for s in range(5)]
    assert np.concatenate(inside).sum() >= 12


def test_degenerate_weights_stop_cleanly_and_keep_the_last_good_generation():
    # 60 parameters, 2 informative: population Monte Carlo weights degenerate; the run must stop, not fail
    rng = np.random.default_rng(0)
    y = np.array([0.5, -0.5])

    def distance(z):
        return np.sqrt(np.mean(((z[:, :2] + 0.3 * rng.standard_normal((len(z), 2)) - y) / 0.3) ** 2, axis=1))

    res = abc_smc(distance, 60, n_particles=200, generations=6, seed=0)
    g = res.final
    assert np.isfinite(g.weights).all() and g.weights.sum() == pytest.approx(1.0)
    assert g.ess >= 2  # never a population that has collapsed onto one particle
    assert res.stop_reason


def test_a_flat_posterior_gives_a_valid_near_uniform_truncated_normal():
    from ceasefire.calibrate.posterior import calibrated_param
    from ceasefire.scenario.params import Param
    from ceasefire.scenario.sources import Source

    prior = Param(dist="uniform", low=0.3, high=0.6, source=Source(assumption="test"))
    x = np.random.default_rng(1).uniform(0.3, 0.6, 5000)
    p = calibrated_param(prior, x, np.full(5000, 1 / 5000), Source(assumption="calibrated"))
    assert p.dist == "truncnormal" and (p.low, p.high) == (0.3, 0.6) and p.sd <= 3.0
    q = p.ppf(np.array([0.05, 0.5, 0.95]))
    assert q == pytest.approx([0.315, 0.45, 0.585], abs=0.005)  # the uniform's quantiles


def test_mcmc_moves_recover_the_gaussian_posterior_and_survive_many_parameters():
    from ceasefire.calibrate import abc_smc_mcmc

    rng = np.random.default_rng(5)
    s, n = 0.5, 20
    y = 0.8 + s * rng.standard_normal(n)
    v = 1.0 / (1.0 + n / s**2)
    m = v * y.sum() / s**2
    noise = np.random.default_rng(9)

    def distance(z):  # the first coordinate is informed by the data; 39 others are not
        rep = z[:, :1] + s * noise.standard_normal((len(z), n))
        return np.sqrt(np.mean(((rep - y) / s) ** 2, axis=1))

    res = abc_smc_mcmc(distance, 40, n_particles=1000, generations=8, seed=1)
    z = res.final.z
    assert z[:, 0].mean() == pytest.approx(m, abs=0.06)
    assert 0.8 * np.sqrt(v) < z[:, 0].std() < 1.8 * np.sqrt(v)
    # the uninformed coordinates keep their standard-normal prior
    assert np.abs(z[:, 1:].mean(axis=0)).max() < 0.25 and np.median(z[:, 1:].std(axis=0)) == pytest.approx(1.0, abs=0.15)
    eps = [g.epsilon for g in res.generations]
    assert all(a > b for a, b in zip(eps, eps[1:]))


def test_calibrate_command_end_to_end(small, tmp_path, capsys):
    from ceasefire.scenario.load import dump_scenario

    sc_path = tmp_path / "small.yaml"
    sc_path.write_text(dump_scenario(small), encoding="utf-8")
    obs = synthetic_observations(small, np.array([0.3, 0.5, 0.6]), SERIES[:2], DAYS[:6], seed=3)
    csv = tmp_path / "obs.csv"
    pd.DataFrame({"date": obs.date.astype(str), "observable": obs.observable, "side": obs.side, "value": obs.value,
                  "unit": "personnel", "sd": obs.sd, "source": "synthetic test rows"}).to_csv(csv, index=False)
    out = tmp_path / "cal"
    with pytest.raises(SystemExit) as exc:
        main(["calibrate", str(sc_path), "--observed", str(csv), "--as-of", "2023-12-31", "--params",
              "ukraine.combat.casualties_inflicted_per_day", "--population", "100", "--generations", "3",
              "--seed", "2", "--out", str(out)])
    assert exc.value.code == 0
    text = " ".join(capsys.readouterr().out.split())  # Rich wraps at the console width of the run
    assert "generation 2: epsilon" in text and "posterior predictive check" in text
    cal = load_scenario(out / "kherson-2022-11-synthetic-calibrated.yaml")
    assert cal.param(KEEP[0]).dist == "truncnormal" and cal.param(KEEP[1]).dist == "triangular"


def test_band_coverage_per_series_on_a_hand_case():
    from ceasefire.calibrate import band_coverage
    from ceasefire.calibrate.observations import ObservedPaths

    obs = ObservedPaths(observable=np.array(["a", "a", "b"]), side=np.array(["x", "x", "x"]), day=np.array([1, 2, 1]),
                        date=np.array(["2022-01-02", "2022-01-03", "2022-01-02"], dtype="datetime64[D]"),
                        value=np.array([50.0, 99.5, 0.0]), sd=np.ones(3), unit=np.array(["u", "u", "u"]),
                        source_file="hand", last_date=pd.Timestamp("2022-01-03").date())
    draws = np.tile(np.arange(101.0)[:, None], (1, 3))  # 0..100 per observation: quantiles 5, 25, 50, 75, 95
    a, b = band_coverage(draws, obs)
    # series a: 50 inside both bands, 99.5 outside [5, 95]; median miss median(|50-50|, |50-99.5|) = 24.75
    assert (a["n"], a["in_50"], a["in_90"]) == (2, 0.5, 0.5) and a["median_miss"] == pytest.approx(24.75)
    # series b: 0 below the 5th percentile
    assert (b["n"], b["in_50"], b["in_90"], b["median_miss"]) == (1, 0.0, 0.0, 50.0)


def test_prior_predictive_draws_the_uncalibrated_scenario_with_observation_error(small):
    from ceasefire.calibrate import prior_predictive

    obs = synthetic_observations(small, np.array([0.5, 0.5, 0.5]), SERIES, DAYS, seed=3)
    draws = prior_predictive(small, obs, draws=400, seed=2)
    assert draws.shape == (400, len(obs))
    # Ukraine's territory on day 10: the synthetic scenario fixes the day-0 share at its nominal 0.83 (middle of
    # uniform(0.81, 0.85)); ten days of fighting at the cap of at most 0.0008/day move it by < 0.008, and the
    # observation error (sd 0.003) is added to every draw
    terr = draws[:, np.flatnonzero((obs.observable == "territory_share") & (obs.day == 10))[0]]
    assert abs(np.mean(terr) - 0.83) < 0.008
    assert 0.0025 < np.std(terr) < 0.006
    # Russia's casualties grow over time in every draw's mean
    cas = draws[:, (obs.observable == "casualties_cumulative_personnel") & (obs.side == "russia")]
    assert np.all(np.diff(cas.mean(axis=0)) > 0)
