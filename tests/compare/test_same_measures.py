"""compare, the dashboard and the compare summary give the same favours measures for the same scenario, runs
and seed (the report's path is tested in tests/report/test_measures_report.py)."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from ceasefire.cli import main
from ceasefire.dashboard import render
from ceasefire.dashboard.compute import Computer
from ceasefire.dashboard.state import Settings

from ..conftest import KHERSON

RUNS = 120


def _cli_json(args, capsys) -> dict:
    with pytest.raises(SystemExit) as exc:
        main(args)
    out = capsys.readouterr()
    assert exc.value.code in (0, None), out.err
    return json.loads(out.out)


def test_compare_json_and_dashboard_give_the_same_measures(kherson, capsys):
    s = Settings(scenario="kherson-2022-11", start_day=30, days=120, aid_level=1.0, runs=RUNS, seed=3)
    view = Computer({"kherson-2022-11": kherson}, processes=0).view(s)
    data = _cli_json(["compare", str(KHERSON), "--runs", str(RUNS), "--seed", "3", "--json", "--only",
                      "--policy", "truce:30:120"], capsys)
    cli = {(r["measure"], r["who"]): (r["share"], r["lo"], r["hi"], r["runs"]) for r in data["favours_measures"]}
    dash = {(r.measure, r.who): (r.share, r.lo, r.hi, r.runs) for r in view.measures.itertuples()}
    assert set(cli) == set(dash) and len(cli) == 6 * 3
    for key, value in cli.items():
        assert value == pytest.approx(dash[key], abs=1e-12), key
    # every measure is defined in every run (day 150 + 90 is within the horizon)
    assert {v[3] for v in cli.values()} == {RUNS}
    # the day-end measure is the dashboard's headline and compare's favours table
    fav = next(r for r in data["favours"] if r["policy"].startswith("truce_120d"))
    for side in [*kherson.side_names, "neither"]:
        assert cli[("power_share_at_truce_end", side)][0] == fav[side] == view.favours[side]
    # the page shows those numbers, full precision in data-value
    html = render.favours_html(view.favours, {}, {}, view.truce_end_day, view.definition, "d", view.measures)
    shown = {(m, w): float(v) for m, w, v in
             re.findall(r'data-measure="([^"]+)" data-who="([^"]+)" data-value="([^"]+)"', html)}
    assert shown == pytest.approx({k: v[0] for k, v in cli.items()}, abs=0)
    assert "The measures disagree" in html or len({r.answer for r in view.measures.itertuples()}) == 1


def test_summary_markdown_shows_the_same_shares(kherson, tmp_path):
    from ceasefire.compare import measures_table, run_policies
    from ceasefire.compare.summary import write_comparison

    ds = run_policies(kherson, runs=48, seed=2, keep="outcomes")
    write_comparison(ds, kherson, tmp_path, plots=False)
    text = (tmp_path / "summary.md").read_text()
    table = measures_table(ds)
    for r in table[table["who"] == "ukraine"].itertuples():
        assert f"| {r.label} " in text
        assert f"{r.share:.1%} [{r.lo:.1%}, {r.hi:.1%}]" in text
    import pandas as pd

    csv = pd.read_csv(tmp_path / "favours_measures.csv")
    np.testing.assert_allclose(csv["share"].values, table["share"].values, rtol=0, atol=1e-15)
    for m in ("power share, truce's last day", "territory at the horizon", "fewer casualties"):
        assert f"**{m}**" in text
