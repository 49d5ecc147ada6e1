"""Outcome-level fits: recovery on simulated battles and the real data sets' numbers."""

import numpy as np
import pandas as pd
import pytest

from ceasefire.validate import exponent_range
from ceasefire.validate.integrate import integrate_battle
from ceasefire.validate.outcome import BattleData, era_of, fit_battles, load_battles


def synthetic_battles(weight, n=400, seed=0):
    """Short battles under Helmbold's law with weight W, casualties with 30% lognormal noise."""
    rng = np.random.default_rng(seed)
    a0 = rng.uniform(5_000, 80_000, n)
    d0 = a0 / np.exp(rng.normal(0.3, 0.6, n))
    k_on_attacker = 0.02 * np.exp(rng.normal(0, 0.3, n))
    k_on_defender = 0.03 * np.exp(rng.normal(0, 0.3, n))
    tr = integrate_battle(a0, d0, k_on_attacker, k_on_defender, weight, 1 - weight, 1, steps_per_day=8)
    ac = tr.losses_x[:, 0] * np.exp(rng.normal(0, 0.3, n))
    dc = tr.losses_y[:, 0] * np.exp(rng.normal(0, 0.3, n))
    frame = pd.DataFrame({"battle": range(n), "year": 1900.0, "era": "1861-1913", "a0": a0, "ac": ac, "d0": d0, "dc": dc, "duration_days": 1.0})
    return BattleData("synthetic", frame, True)


@pytest.mark.parametrize("weight", [0.2, 0.5, 0.9])
def test_exchange_slope_recovers_helmbold_weight(weight):
    rng_hits = 0
    for seed in range(10):
        data = synthetic_battles(weight, seed=seed)
        # use the same k for both sides: regenerate with one coefficient
        rep = fit_battles(data, draws=0)
        lo, hi = rep.helmbold_weight[1], rep.helmbold_weight[2]
        rng_hits += lo <= weight <= hi
    assert rng_hits >= 8


def test_rate_fit_recovers_p_and_q():
    w = 0.7
    rng = np.random.default_rng(4)
    n = 500
    a0 = rng.uniform(5_000, 80_000, n)
    d0 = rng.uniform(5_000, 80_000, n)
    tr = integrate_battle(a0, d0, 0.05, 0.04, w, 1 - w, 1, steps_per_day=8)
    frame = pd.DataFrame({"battle": range(n), "year": 1900.0, "era": "x", "a0": a0, "d0": d0,
                          "ac": tr.losses_x[:, 0] * np.exp(rng.normal(0, 0.2, n)),
                          "dc": tr.losses_y[:, 0] * np.exp(rng.normal(0, 0.2, n)), "duration_days": 1.0})
    rep = fit_battles(BattleData("s", frame, True), draws=0)
    for side in ("fire_on_attacker", "fire_on_defender"):
        r = rep.rate_fits[side]
        p = r.coef[r.names.index("p")]
        q = r.coef[r.names.index("q")]
        assert p == pytest.approx(w, abs=0.06) and q == pytest.approx(1 - w, abs=0.06)


def test_eras():
    assert era_of(1650) == "before 1702"
    assert era_of(1702) == "1702-1792"
    assert era_of(1944) == "1914-1945"
    assert era_of(1973) == "1946 and later"


def test_cdb90_numbers(data_dir):
    data = load_battles(data_dir / "cdb90")
    assert data.exclusions["duplicate battle (parent not null)"] == 36
    assert len(data.frame) == 489
    rep = fit_battles(data, draws=50, seed=1)
    beta, (lo, hi) = rep.overall.coef[1], rep.overall.ci[1]
    assert beta == pytest.approx(-0.2134, abs=1e-3)
    assert lo < beta < hi < 1.0  # the square law's slope (1) is far outside the interval
    assert rep.tests["square"]["p_value"] < 1e-10
    assert set(rep.rate_fits) == {
        "fire_on_attacker", "fire_on_defender", "fire_on_attacker_with_front_width", "fire_on_defender_with_front_width"
    }
    r = rep.rate_fits["fire_on_defender_with_front_width"]
    assert r.n == 479
    est, se, (lo, hi), pval = r.combination({"q": 1.0, "front_exponent": 1.0})
    assert est == pytest.approx(r.coef[2] + r.coef[3]) and lo < est < hi and se > 0
    med, p05, p95 = rep.error_band_beta
    assert p05 < med < p95 and abs(med - beta) < 0.05


def test_1620_1905_numbers(data_dir):
    data = load_battles(data_dir / "battles_1620_1905")
    assert len(data.frame) == 1079
    rep = fit_battles(data, draws=0)
    assert rep.overall.coef[1] == pytest.approx(-0.651, abs=1e-3)
    assert list(rep.by_era.era) == ["before 1702", "1702-1792", "1793-1860", "1861-1913"]
    assert list(rep.by_era.n) == [112, 251, 556, 160]


def test_exponent_range(data_dir):
    r = exponent_range(data_dir / "cdb90")
    s = r["since_1914"]
    assert s["battles"] == 244
    lo, hi = s["helmbold_weight_ci"]
    assert 0 <= lo < s["helmbold_weight"] < hi <= 1
    assert s["p_q"]["estimate"] == pytest.approx([s["helmbold_weight"], 1 - s["helmbold_weight"]])
    assert r["suggested"]["low"] == lo and r["suggested"]["high"] == hi
    ef = s["engine_form"]
    assert set(ef) == {"fire_on_attacker", "fire_on_defender"}
    b = r["suggested_bracken"]
    assert b["p"]["low"] == min(v["p_ci"][0] for v in ef.values())
    assert b["q"]["high"] == max(v["q_ci"][1] for v in ef.values())
    # since 1914 both the exchange-ratio and the rate fits sit near the linear law: p - q about 0
    for v in ef.values():
        assert abs(v["p"] - v["q"]) < 0.3


def test_generic_csv_exact_relation(tmp_path):
    # ln(dc/ac) = ln 2 + 0.5 ln(a0/d0) exactly -> beta = 0.5, W = 0.75, intercept ln 2
    rows = ["battle,year,attacker_strength,attacker_casualties,defender_strength,defender_casualties"]
    for i, ratio in enumerate([0.5, 1.0, 2.0, 4.0, 8.0, 3.0]):
        a0, d0, ac = 10_000 * ratio, 10_000, 500.0
        dc = ac * 2 * ratio**0.5
        rows.append(f"b{i},{1900 + i},{a0},{ac},{d0},{dc}")
    p = tmp_path / "g.csv"
    p.write_text("\n".join(rows) + "\n")
    data = load_battles(p)
    assert data.sides_are_attacker_defender and len(data.frame) == 6
    rep = fit_battles(data, draws=0)
    assert rep.overall.coef[1] == pytest.approx(0.5, abs=1e-9)
    assert rep.overall.coef[0] == pytest.approx(np.log(2), abs=1e-9)
    assert rep.helmbold_weight[0] == pytest.approx(0.75, abs=1e-9)
    assert rep.overall.r2 == pytest.approx(1.0)


def test_advance_rate_by_force_ratio(data_dir):
    from ceasefire.validate.advance import advance_by_force_ratio

    data = load_battles(data_dir / "cdb90")
    rep = advance_by_force_ratio(data, seed=0)
    assert rep.battles == 440
    assert rep.bins.battles.sum() == 440
    first, last = rep.bins.iloc[0], rep.bins.iloc[-1]
    assert first.median_lo <= first.median_km_per_day <= first.median_hi
    # the attacker wins more often at high force ratios, but does not advance faster
    assert last.attacker_win_share > first.attacker_win_share
    assert rep.regression.ci[1, 0] < 0.05 and rep.regression.coef[1] < 0


def test_advance_rate_exact_on_synthetic_battles():
    from ceasefire.validate.advance import advance_by_force_ratio

    ratio = np.array([0.5, 0.8, 1.2, 1.4, 1.7, 1.9, 2.5, 2.8, 4.0, 6.0, 0.6, 1.1, 3.5, 2.2, 1.6])
    frame = pd.DataFrame({
        "battle": range(15), "year": 1940.0, "era": "1914-1945", "a0": 1000 * ratio, "d0": 1000.0,
        "ac": 10.0, "dc": 10.0, "duration_days": 1.0, "calendar_days": 2.0,
        "advance_km": 2.0 * 3.0 * ratio**0.5,  # km/day = 3 * ratio**0.5
        "attacker_won": (ratio > 1).astype(float),
    })
    rep = advance_by_force_ratio(BattleData("s", frame, True))
    assert rep.regression.coef[1] == pytest.approx(0.5)
    assert rep.regression.coef[0] == pytest.approx(np.log(3.0))
    assert rep.bins.iloc[0].attacker_win_share == 0.0 and rep.bins.iloc[-1].attacker_win_share == 1.0


def _hc3_by_hand(y, X, confidence=0.95):
    """The hand-written OLS + HC3 the project used before statsmodels (MacKinnon & White 1985)."""
    from scipy import stats

    n, k = X.shape
    XtX_inv = np.linalg.pinv(X.T @ X)
    b = XtX_inv @ X.T @ y
    e = y - X @ b
    h = np.einsum("ij,jk,ik->i", X, XtX_inv, X)
    w = (e / np.clip(1 - h, 1e-12, None)) ** 2
    cov = XtX_inv @ (X.T * w) @ X @ XtX_inv
    se = np.sqrt(np.clip(np.diag(cov), 0, None))
    t = stats.t.ppf(0.5 + confidence / 2, n - k)
    r2 = 1 - float(e @ e) / float(np.sum((y - y.mean()) ** 2))
    return b, se, np.column_stack([b - t * se, b + t * se]), r2, cov


def _assert_same_as_by_hand(y, X, confidence=0.95):
    from ceasefire.validate.outcome import ols

    reg = ols(y, X, [f"b{i}" for i in range(X.shape[1])], confidence)
    b, se, ci, r2, cov = _hc3_by_hand(y, X, confidence)
    scale = max(1.0, float(np.abs(b).max()))
    np.testing.assert_allclose(reg.coef, b, rtol=0, atol=1e-10 * scale)
    np.testing.assert_allclose(reg.se, se, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(reg.ci, ci, rtol=0, atol=1e-10 * scale)
    np.testing.assert_allclose(reg.cov, cov, rtol=1e-9, atol=1e-16)
    assert reg.r2 == pytest.approx(r2, abs=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_statsmodels_hc3_reproduces_the_hand_written_fit(seed):
    rng = np.random.default_rng(seed)
    n = 40 + 30 * seed
    x = rng.normal(0, 1, (n, 2))
    X = np.column_stack([np.ones(n), x])
    y = X @ np.array([0.5, -0.2, 1.3]) + rng.normal(0, 1, n) * (0.2 + np.abs(x[:, 0]))  # heteroskedastic
    _assert_same_as_by_hand(y, X, confidence=[0.9, 0.95, 0.99][seed % 3])


def test_statsmodels_hc3_reproduces_todays_battle_fits(data_dir, monkeypatch):
    """Every regression fit_battles runs on CDB90, refitted by hand, to 1e-10."""
    from ceasefire.validate import outcome

    seen = []
    real = outcome.ols
    monkeypatch.setattr(outcome, "ols", lambda y, X, *a, **k: seen.append((np.asarray(y, float), np.asarray(X, float)))
                        or real(y, X, *a, **k))
    fit_battles(load_battles(data_dir / "cdb90"), draws=0)
    monkeypatch.undo()
    assert len(seen) >= 5
    for y, X in seen:
        _assert_same_as_by_hand(y, X)
