"""Figures draw the numbers they are given, with labelled axes and a colour-blind-safe palette."""

import matplotlib
import numpy as np
import pytest
import xarray as xr

from ceasefire import palette
from ceasefire.report import plots

matplotlib.use("Agg")


@pytest.fixture
def fan():
    days = np.arange(0, 71, 7)
    q = np.array([0.05, 0.25, 0.5, 0.75, 0.95])
    base = days * 10.0 + 1000.0
    data = np.stack([base + 100 * (k - 2) for k in range(5)])  # (quantile, day)
    arr = np.stack([data, data * 1.1])[:, :, :, None].repeat(2, axis=3)  # (policy, quantile, day, side)
    return xr.Dataset({"shells_stock": (("policy", "quantile", "day", "side"), arr)},
                      coords={"policy": ["fight_on", "truce_30d_now"], "quantile": q, "day": days,
                              "side": ["a", "b"]}, attrs={"start_date": "2022-11-11"})


def test_fan_chart_draws_the_median_and_bands(fan):
    fig = plots.fan_chart(fan, "shells_stock", "a", truce_days={"truce_30d_now": (0, 30)})
    axes = [ax for ax in fig.axes if ax.lines]
    assert len(axes) == 2
    median = axes[1].lines[0].get_ydata()
    np.testing.assert_allclose(median, fan["shells_stock"].sel(policy="truce_30d_now", quantile=0.5, side="a"))
    # the fight-on median is the dashed reference on the truce panel
    ref = [l for l in axes[1].lines if l.get_linestyle() == "--"][0]
    np.testing.assert_allclose(ref.get_ydata(), fan["shells_stock"].sel(policy="fight_on", quantile=0.5, side="a"))
    assert "shells" in axes[0].get_ylabel()
    assert "days since the scenario start" in fig._supxlabel.get_text()
    # fighting on is black in every figure (the one palette)
    assert matplotlib.colors.to_hex(axes[0].lines[0].get_color()).upper() == palette.FIGHT_ON


def test_truce_map_annotates_the_shares():
    tm = xr.Dataset(
        {"share_favours": (("start_day", "truce_days", "side"), np.array([[[0.25, 0.7]], [[np.nan, np.nan]]])),
         "share_neither": (("start_day", "truce_days"), np.array([[0.05], [np.nan]]))},
        coords={"start_day": [0, 300], "truce_days": [90], "side": ["ukraine", "russia"]}, attrs={"runs": 10})
    fig = plots.truce_map_figure(tm, {"ukraine": "Ukraine", "russia": "Russia"})
    texts = [[t.get_text() for t in ax.texts] for ax in fig.axes[:3]]
    assert texts[0] == ["25%", "n/a"] and texts[1] == ["70%", "n/a"] and texts[2] == ["5%", "n/a"]
    assert fig.axes[0].get_xlabel() == "truce length (days)"
    assert "days since scenario start" in fig.axes[0].get_ylabel()


def test_sobol_chart_sorts_by_total_index_with_intervals():
    t = xr.Dataset(
        {k: (("outcome", "n_base", "factor"), np.array([[v, v]]).reshape(1, 2, 3)) for k, v in {
            "S1": [0.1, 0.5, 0.0], "S1_conf": [0.01, 0.02, 0.01], "ST": [0.3, 0.6, 0.05],
            "ST_conf": [0.03, 0.04, 0.01]}.items()},
        coords={"outcome": ["y"], "n_base": [8, 16], "factor": ["a", "b", "c"],
                "factor_label": ("factor", ["A", "B", "C"])})
    fig = plots.sobol_chart(t, "y")
    ax = fig.axes[0]
    assert [tick.get_text() for tick in ax.get_yticklabels()] == ["C", "A", "B"]  # largest ST at the top
    widths = [p.get_width() for p in ax.patches]
    assert widths[:3] == pytest.approx([0.05, 0.3, 0.6]) and widths[3:] == pytest.approx([0.0, 0.1, 0.5])
    assert "Sobol" in ax.get_xlabel()


def test_tradeoff_marks_the_reported_box():
    traj = [{"coverage": 1.0, "density": 0.3, "res_dim": 0}, {"coverage": 0.8, "density": 0.6, "res_dim": 1},
            {"coverage": 0.5, "density": 0.9, "res_dim": 2}]
    fig = plots.tradeoff_figure(traj, 1)
    ax = fig.axes[0]
    marked = ax.collections[1].get_offsets()[0]
    assert tuple(marked) == (0.8, 0.6)
    assert "coverage" in ax.get_xlabel() and "density" in ax.get_ylabel()


def test_favours_figure_stacks_to_one():
    rows = [{"policy": "t", "description": "a 90-day truce now", "ukraine": 0.5, "russia": 0.3, "neither": 0.2}]
    fig = plots.favours_figure(rows, {"ukraine": "Ukraine", "russia": "Russia"})
    ax = fig.axes[0]
    assert sum(p.get_width() for p in ax.patches) == pytest.approx(1.0)
    assert ax.get_xlabel() == "share of runs (futures)"
