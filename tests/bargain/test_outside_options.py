"""Outside options, the range over time and ripeness on synthetic ensembles with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from ceasefire.bargain.outside_options import CostRates, SideRates, outside_options, range_over_time
from ceasefire.bargain.ripeness import ripeness
from ceasefire.errors import InputError

from .synthetic import DAYS, linear_fronts, make_ensemble

WEST = {"west": "ukraine"}


def test_outside_options_to_the_horizon():
    ens = linear_fronts()
    opts = outside_options(ens, "ukraine", "russia", supporters_of=WEST)
    # war shares at the horizon (day 70): 0.47, 0.54, 0.40, 0.33
    assert opts["war_share"].sel(side="ukraine", day=0).values == pytest.approx([0.47, 0.54, 0.40, 0.33])
    assert np.allclose(opts["war_share"].sum("side"), 1.0)
    # costs from day 0: 7,000 / 14,000 casualties; GDP 35% / 4.5% below pre-war for 70 days; will 0.14 (west)
    d0 = opts.sel(day=0, run=0)
    assert d0["cost_casualties_personnel"].values == pytest.approx([7000, 14000])
    assert d0["cost_gdp_years"].values == pytest.approx([0.35 * 70 / 365, 0.045 * 70 / 365])
    assert d0["cost_supporter_will_share"].values == pytest.approx([0.14, 0.0])
    cost_ua = 0.007 + 0.35 * 70 / 365 * 0.25 + 0.14 * 0.2
    cost_ru = 0.014 + 0.045 * 70 / 365 * 0.25
    assert d0["cost_share"].values == pytest.approx([cost_ua, cost_ru])
    # costs shrink to zero at the horizon
    assert np.allclose(opts["cost_share"].sel(day=70), 0.0)
    rng = range_over_time(opts)
    assert float(rng["p_share"].sel(day=0)) == pytest.approx(0.435)
    assert float(rng["low"].sel(day=0)) == pytest.approx(0.435 - cost_ua)
    assert float(rng["high"].sel(day=0)) == pytest.approx(0.435 + cost_ru)
    assert float(rng["high"].sel(day=70) - rng["low"].sel(day=70)) == pytest.approx(0.0, abs=1e-12)
    # the band brackets the mean range
    assert np.all(rng["low_band"] <= rng["low"] + 1e-12) and np.all(rng["high_band"] >= rng["high"] - 1e-12)


def test_rates_are_per_side_and_configurable():
    ens = linear_fronts()
    rates = CostRates(default=SideRates(share_per_100k_casualties=1.0, share_per_gdp_year=0.0,
                                        share_per_supporter_will=0.0),
                      sides={"russia": SideRates(share_per_100k_casualties=0.5, share_per_gdp_year=0.0,
                                                 share_per_supporter_will=0.0)})
    opts = outside_options(ens, "ukraine", "russia", supporters_of=WEST, rates=rates)
    assert opts["cost_share"].sel(day=0, run=0).values == pytest.approx([0.07, 0.07])


def test_lookahead_and_collapse():
    ens = linear_fronts()
    opts = outside_options(ens, "ukraine", "russia", lookahead_days=14)
    assert opts["war_share"].sel(side="ukraine", day=0).values == pytest.approx(0.4 + np.array([1, 2, 0, -1]) * 0.014)
    assert opts["cost_casualties_personnel"].sel(side="ukraine", day=0, run=0) == pytest.approx(1400)
    assert float(opts["horizon_day"].sel(run=0, day=63)) == 70  # the lookahead is cut at the end
    cp = np.ones((4, len(DAYS), 2))
    cp[3, 5:, 1] = 0.0  # russia collapses in run 3 on day 35
    ens2 = make_ensemble(ens["territory_share"].sel(side="ukraine").values, combat_power=cp)
    o2 = outside_options(ens2, "ukraine", "russia", collapse_fraction=0.05)
    assert float(o2["horizon_day"].sel(run=3, day=0)) == 35
    assert float(o2["war_share"].sel(run=3, day=0, side="ukraine")) == pytest.approx(0.4 - 0.035)
    assert float(o2["horizon_day"].sel(run=2, day=0)) == 70
    # the engine's collapse day (-1: none) does the same; a collapse between records ends at the next record
    o3 = outside_options(ens, "ukraine", "russia", collapse_day=np.array([-1, 30, -1, 35]))
    assert o3["horizon_day"].sel(day=0).values.tolist() == [70, 35, 70, 35]


def test_missing_variable_and_side_are_input_errors():
    ens = linear_fronts()
    with pytest.raises(InputError, match="gdp_index"):
        outside_options(ens.drop_vars("gdp_index"), "ukraine", "russia")
    with pytest.raises(InputError, match="unknown side `nato`"):
        outside_options(ens, "ukraine", "nato")


def test_mutual_optimism_closes_the_range():
    share = np.vstack([np.linspace(0.5, 0.3, len(DAYS)), np.linspace(0.5, 0.7, len(DAYS))])
    opts = outside_options(make_ensemble(share, cas_rate=(10.0, 10.0), gdp=(1.0, 1.0), will_slope_per_day=0),
                           "ukraine", "russia")
    neutral = range_over_time(opts)
    assert bool(neutral["way_out"].sel(day=0))
    # each side judges its own chances by the 90% quantile of the ensemble
    opt = range_over_time(opts, optimism={"ukraine": 0.9, "russia": 0.9})
    # ukraine expects 0.3 + 0.9 * 0.4 = 0.66; russia expects the same for itself, i.e. 0.34 for ukraine
    assert float(opt["belief_low"].sel(day=0)) == pytest.approx(0.66 - 700 / 1e5 * 0.1)
    assert float(opt["belief_high"].sel(day=0)) == pytest.approx(0.34 + 700 / 1e5 * 0.1)
    assert bool(opt["mutual_optimism"].sel(day=0)) and not bool(opt["way_out"].sel(day=0))


def test_ripeness_marks_the_stalemate_after_the_front_stops():
    share = np.tile(0.4 + 0.002 * np.minimum(DAYS, 35), (3, 1))
    ens = make_ensemble(share)
    opts = outside_options(ens, "ukraine", "russia", supporters_of=WEST)
    rng = range_over_time(opts)
    rp = ripeness(ens, opts, rng, window_days=14)
    assert rp["front_drift_share_per_day"].sel(day=21) == pytest.approx(0.002)
    assert list(rp["day"].values[rp["stalemate"].values]) == [49, 56, 63, 70]
    assert bool(rp["hurting"].all())
    # ukraine still expects to gain 0.014 at day 28 (> 0.01), nothing from day 35
    assert not bool(rp["no_escalation_to_victory"].sel(day=28))
    assert list(rp["day"].values[rp["mutually_hurting_stalemate"].values]) == [49, 56, 63, 70]
    assert list(rp["day"].values[rp["ripe"].values]) == [49, 56, 63, 70]
    # no casualties: no hurting, no ripeness
    calm = make_ensemble(share, cas_rate=(0.0, 0.0))
    rp2 = ripeness(calm, outside_options(calm, "ukraine", "russia"), rng, window_days=14)
    assert not bool(rp2["ripe"].any())


def test_ripeness_only_from_the_horizon_nearing_is_marked_apart():
    """Issue 15: "ripe from day 504" came from gains shrinking with the days left. A front moving
    steadily at 0.0004 share a day (a stalemate by the 0.0005 tolerance) gives ukraine an expected gain of
    0.0004 x (70 - t): under the 0.01 tolerance from day 49 (21 days left), at any speed near enough the end.
    Judged on the first day's outlook (70 days) the gain is 0.028 on every day: never ripe."""
    share = np.tile(0.4 + 0.0004 * DAYS, (3, 1))
    ens = make_ensemble(share)
    opts = outside_options(ens, "ukraine", "russia", supporters_of=WEST)
    rp = ripeness(ens, opts, range_over_time(opts), window_days=14)
    assert rp["outlook_days"].values.tolist() == [70 - d for d in DAYS]
    assert list(rp["day"].values[rp["ripe"].values]) == [49, 56, 63, 70]
    assert not bool(rp["ripe_equal_outlook"].any())
    assert list(rp["day"].values[rp["ripe_short_outlook"].values]) == [49, 56, 63, 70]
    # a front that has really stopped (day 35) is ripe on an equal outlook too, but the last day, with
    # nothing left to judge, is not
    stopped = np.tile(0.4 + 0.002 * np.minimum(DAYS, 35), (3, 1))
    ens2 = make_ensemble(stopped)
    opts2 = outside_options(ens2, "ukraine", "russia", supporters_of=WEST)
    rp2 = ripeness(ens2, opts2, range_over_time(opts2), window_days=14)
    assert list(rp2["day"].values[rp2["ripe_equal_outlook"].values]) == [49, 56, 63]
    assert list(rp2["day"].values[rp2["ripe_short_outlook"].values]) == [70]


def test_the_range_is_shown_on_the_pie_and_the_nash_split_lies_on_it():
    """Costs larger than the pie: Fearon's bounds p - c_a < 0 and p + c_b > 1, clipped to [0, 1]."""
    share = np.full((2, len(DAYS)), 0.3)
    # 100 and 200 casualties a day for 70 days, at 10 shares per 100,000: c_a = 0.7, c_b = 1.4 on day 0
    rates = CostRates(default=SideRates(share_per_100k_casualties=10.0, share_per_gdp_year=0.0,
                                        share_per_supporter_will=0.0))
    opts = outside_options(make_ensemble(share), "ukraine", "russia", rates=rates)
    r = range_over_time(opts).sel(day=0)
    assert float(r["low"]) == pytest.approx(0.3 - 0.7) and float(r["high"]) == pytest.approx(0.3 + 1.4)
    assert float(r["low_clipped"]) == 0.0 and float(r["high_clipped"]) == 1.0
    assert float(r["low_band_clipped"]) == 0.0 and float(r["high_band_clipped"]) == 1.0
    # Nash: max (x + 0.4)(1 - x - (-0.7)) on [0, 1] -> x* = (1 - 0.4 + ... ) = p + (c_b - c_a)/2 = 0.65
    assert float(r["nash_split"]) == pytest.approx(0.65)
    # a larger asymmetry puts the unconstrained optimum beyond the pie: the split is the edge
    rates2 = CostRates(default=SideRates(share_per_100k_casualties=10.0, share_per_gdp_year=0.0,
                                         share_per_supporter_will=0.0),
                       sides={"russia": SideRates(share_per_100k_casualties=30.0, share_per_gdp_year=0.0,
                                                  share_per_supporter_will=0.0)})
    r2 = range_over_time(outside_options(make_ensemble(share), "ukraine", "russia", rates=rates2)).sel(day=0)
    assert 0.3 + (4.2 - 0.7) / 2 > 1 and float(r2["nash_split"]) == 1.0


def test_parameter_beliefs_select_runs_and_can_close_the_range():
    import xarray as xr

    from ceasefire.bargain.outside_options import belief_mask

    # four runs; the sampled production parameter orders the runs' outcomes for ukraine
    share = np.vstack([np.linspace(0.5, s, len(DAYS)) for s in (0.2, 0.4, 0.6, 0.8)])
    opts = outside_options(make_ensemble(share, cas_rate=(10.0, 10.0), gdp=(1.0, 1.0), will_slope_per_day=0),
                           "ukraine", "russia")
    params = xr.Dataset({"value": (("run", "parameter"), np.array([[1.0], [2.0], [3.0], [4.0]]))},
                        coords={"run": np.arange(4), "parameter": ["sides.ukraine.production"]})
    hi = belief_mask(params, "sides.ukraine.production", ">=", 0.5)
    lo = belief_mask(params, "sides.ukraine.production", "<=", 0.5)
    assert hi.tolist() == [False, False, True, True] and lo.tolist() == [True, True, False, False]
    # ukraine believes its production is high (runs 2, 3: mean share 0.7); russia believes it is low
    # (runs 0, 1: ukraine's share 0.3): the range from their own beliefs vanishes
    r = range_over_time(opts, beliefs={"ukraine": hi, "russia": lo})
    c = 700 / 1e5 * 0.1
    assert float(r["belief_low"].sel(day=0)) == pytest.approx(0.7 - c)
    assert float(r["belief_high"].sel(day=0)) == pytest.approx(0.3 + c)
    assert bool(r["mutual_optimism"].sel(day=0))
    # common beliefs: the range is the ensemble's
    r2 = range_over_time(opts, beliefs={"ukraine": hi, "russia": hi})
    assert bool(r2["way_out"].sel(day=0))
    with pytest.raises(InputError, match="unknown uncertain parameter"):
        belief_mask(params, "sides.russia.production", ">=", 0.5)


def test_escalation_that_pays_prevents_ripeness():
    share = np.tile(0.4 + 0.002 * np.minimum(DAYS, 35), (3, 1))
    ens = make_ensemble(share)
    opts = outside_options(ens, "ukraine", "russia", supporters_of=WEST)
    rng = range_over_time(opts)
    # under escalation ukraine would end 0.05 higher: escalation pays, so no mutually hurting stalemate
    esc_share = share + 0.05 * DAYS[None, :] / 70
    esc = outside_options(make_ensemble(esc_share), "ukraine", "russia", supporters_of=WEST)
    rp = ripeness(ens, opts, rng, window_days=14, escalation_opts=esc)
    assert rp["escalation_gain_ukraine_share"].sel(day=49) == pytest.approx(0.05, abs=1e-9)
    assert rp["escalation_gain_russia_share"].sel(day=49) == pytest.approx(-0.05, abs=1e-9)
    assert not bool(rp["mutually_hurting_stalemate"].any())
    # an escalation that changes nothing leaves the earlier answer
    same = ripeness(ens, opts, rng, window_days=14, escalation_opts=opts)
    assert list(same["day"].values[same["ripe"].values]) == [49, 56, 63, 70]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.integers(0, 10_000), st.integers(1, 6))
@settings(max_examples=30, deadline=None)
def test_outside_option_invariants(seed, n_run):
    rng = np.random.default_rng(seed)
    n_day = len(DAYS)
    share = np.clip(0.5 + np.cumsum(rng.normal(0, 0.03, (n_run, n_day)), axis=1), 0, 1)
    ens = make_ensemble(share, cas_rate=(rng.uniform(0, 500), rng.uniform(0, 500)),
                        gdp=(rng.uniform(0.3, 1.0), rng.uniform(0.3, 1.0)), will_slope_per_day=rng.uniform(0, 0.005))
    opts = outside_options(ens, "ukraine", "russia", supporters_of=WEST,
                           lookahead_days=None if seed % 2 else float(rng.integers(7, 70)))
    assert np.allclose(opts["war_share"].sum("side"), 1.0)
    assert float(opts["cost_share"].min()) >= -1e-12  # non-decreasing losses, GDP below par, will falling
    r = range_over_time(opts)
    assert np.all(r["low"] <= r["p_share"] + 1e-12) and np.all(r["p_share"] <= r["high"] + 1e-12)
    if seed % 2:  # to the horizon: the remaining costs, hence the range, only shrink
        width = (r["high"] - r["low"]).values
        assert np.all(np.diff(width) <= 1e-12)
