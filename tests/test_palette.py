"""One palette: the same side has the same colour in the compare plots, the report and the dashboard."""

from __future__ import annotations

import matplotlib.colors as mcolors
import pytest

from ceasefire import palette
from ceasefire.compare import run_policies
from ceasefire.compare.summary import favours_figure
from ceasefire.report.plots import favours_figure as report_favours_figure
from ceasefire.report.plots import policy_colours as report_policy_colours


def _bar_colours(fig) -> list[str]:
    ax = fig.axes[0]
    out = []
    for container in ax.containers:
        out.append(mcolors.to_hex(container.patches[0].get_facecolor()).upper())
    return out


def test_sides_keep_their_colour_in_order():
    c = palette.side_colours(["ukraine", "russia", "third"])
    assert (c["ukraine"], c["russia"], c["third"]) == ("#0072B2", "#D55E00", "#009E73")
    a = palette.actor_colours(["iraq", "iran"], ["usa"])
    assert a["iraq"] == "#0072B2" and a["iran"] == "#D55E00" and a["usa"] == "#009E73" and a["neither"] == "#999999"


def test_policies_fight_on_black_truces_in_order():
    c = palette.policy_colours(["fight_on", "t1", "t2"], ["fight_on", "truce", "truce"])
    assert c == {"fight_on": "#000000", "t1": "#E69F00", "t2": "#56B4E9"}
    assert report_policy_colours(["fight_on", "truce_a"]) == {"fight_on": "#000000", "truce_a": "#E69F00"}


def test_compare_report_and_dashboard_draw_a_side_in_the_same_colour(kherson):
    pytest.importorskip("bokeh")
    from ceasefire.dashboard.charts import owner_colours

    ds = run_policies(kherson, runs=20, seed=1, keep="outcomes")
    sides = [str(s) for s in ds.side.values]
    want = [palette.actor_colours(sides, [])[k].upper() for k in sides + ["neither"]]
    assert _bar_colours(favours_figure(ds)) == want
    rows = [{"policy": "t", "ukraine": 0.5, "russia": 0.3, "neither": 0.2}]
    assert _bar_colours(report_favours_figure(rows, {s: s for s in sides})) == want
    dash = owner_colours(kherson.side_names, kherson.supporter_names)
    assert [dash[s].upper() for s in sides] == want[:2]


def test_report_keeps_the_scenarios_side_order_although_summary_json_sorts_its_keys():
    from ceasefire.report.build import ordered_sides

    summary = {"sides": {"russia": "Russia", "ukraine": "Ukraine"}, "side_names": ["ukraine", "russia"]}
    sides = ordered_sides(summary)
    assert list(sides) == ["ukraine", "russia"]
    rows = [{"policy": "t", "ukraine": 0.5, "russia": 0.3, "neither": 0.2}]
    colours = _bar_colours(report_favours_figure(rows, sides))
    assert colours[0] == palette.side_colours(["ukraine", "russia"])["ukraine"].upper() == "#0072B2"
