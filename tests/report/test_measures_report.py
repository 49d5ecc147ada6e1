"""The report states whom each truce favours by every measure, with the numbers compare computes for the same
scenario, futures and seed; its answer in brief does not rest on one day."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from ceasefire.compare import measures_table, run_policies
from ceasefire.compare.favours import MEASURES
from ceasefire.explore.store import Store
from ceasefire.report.build import measures_context
from ceasefire.scenario import Policy, load_scenario

from ..explore.helpers import SMALL_POLICIES, write_small_scenario


def _section(html: str, sid: str) -> str:
    return html.split(f'<section id="{sid}">', 1)[1].split("</section>", 1)[0]


def test_summary_holds_every_measure_and_its_day_end_shares_are_the_favours_table(exploration):
    summary = json.loads((exploration / "summary.json").read_text())
    rows = pd.DataFrame(summary["favours_measures"]["rows"])
    truces = [p["name"] for p in summary["policies"] if p["kind"] == "truce"]
    assert set(rows["measure"]) == {m.name for m in MEASURES} and set(rows["policy"]) == set(truces)
    day_end = rows[rows["measure"] == "power_share_at_truce_end"]
    for r in summary["favours_table"]:
        for who in [*summary["side_names"], "neither"]:
            got = day_end[(day_end["policy"] == r["policy"]) & (day_end["who"] == who)]["share"].iloc[0]
            assert got == pytest.approx(r[who], abs=1e-12)


def test_report_numbers_are_compares_numbers_on_the_same_futures(exploration, tmp_path):
    """Re-run the exploration's design rows as one compared ensemble (as ``compare`` would) and compare."""
    summary = json.loads((exploration / "summary.json").read_text())
    scenario = load_scenario(write_small_scenario(tmp_path, horizon_days=365, policies=SMALL_POLICIES,
                                                  claims=["kofman-truce-favours-russia"]))
    policies = [Policy.model_validate({k: v for k, v in p.items() if k != "description"})
                for p in summary["policies"]]
    design = Store(exploration).read_design()
    ds = run_policies(scenario, policies, runs=design.sizes["run"], seed=summary["seed"], keep="outcomes",
                      unit_samples=design["unit_samples"].values)
    table = measures_table(ds)
    stored = pd.DataFrame(summary["favours_measures"]["rows"])
    merged = table.merge(stored, on=["measure", "policy", "who"], suffixes=("", "_report"))
    assert len(merged) == len(table) == len(stored)
    for col in ("share", "lo", "hi"):
        assert merged[col].values == pytest.approx(merged[f"{col}_report"].values, abs=1e-12, nan_ok=True)
    assert (merged["runs"] == merged["runs_report"]).all()


def test_answer_in_brief_states_every_measure_and_says_when_they_disagree(exploration, report_path):
    html = report_path.read_text()
    answer = _section(html, "answer")
    summary = json.loads((exploration / "summary.json").read_text())
    truces = [p for p in summary["policies"] if p["kind"] == "truce"]
    for m in MEASURES:
        assert answer.count(f'data-measure="{m.name}"') == len(truces), m.name
    ctx = measures_context(summary, {s: summary["sides"][s] for s in summary["side_names"]})
    for t in ctx["truces"]:
        if t["disagree"]:
            assert "The measures disagree" in answer
        else:
            assert f"Every measure gives the same answer: {t['answer']}" in answer
    # the comparison table has a row per truce and measure, with the interval text of each share
    fav = _section(html, "favours")
    assert len(re.findall(r'<td title="[^"]*">', fav.split('class="measures"', 1)[1])) == len(truces) * len(MEASURES)
    rows = pd.DataFrame(summary["favours_measures"]["rows"])
    r = rows[(rows["measure"] == "territory_at_horizon")].iloc[0]
    assert f"{r['share']:.0%} [{r['lo']:.0%}, {r['hi']:.0%}]" in fav


def test_an_older_exploration_without_measures_still_reports_the_day_end_answer(exploration, tmp_path):
    import shutil

    from ceasefire.report.build import build_report

    copy = tmp_path / "old"
    shutil.copytree(exploration, copy)
    summary = json.loads((copy / "summary.json").read_text())
    del summary["favours_measures"]
    (copy / "summary.json").write_text(json.dumps(summary))
    html = build_report(copy).read_text()
    assert "Definition used throughout" in html and 'data-measure="' not in _section(html, "answer")


def test_a_damaged_measure_row_is_refused_with_its_field_named(exploration, tmp_path, capsys):
    import shutil

    from ..explore.helpers import run_cli

    copy = tmp_path / "damaged"
    shutil.copytree(exploration, copy)
    summary = json.loads((copy / "summary.json").read_text())
    summary["favours_measures"]["rows"][3]["share"] = 1.5
    (copy / "summary.json").write_text(json.dumps(summary))
    before = (copy / "summary.json").read_text()
    assert run_cli(["report", str(copy), "--force"]) == 2
    err = capsys.readouterr().err
    assert "favours_measures.rows[3].share" in err and "Traceback" not in err
    assert (copy / "summary.json").read_text() == before  # nothing stored is lost
