"""`ceasefire bargain range|truce|settle`: exit codes, JSON output, and errors naming row and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from ceasefire.cli import main

from .conftest import REPO

ACTORS = REPO / "scenarios" / "kherson-2022-11-actors.yaml"
SCENARIO = REPO / "scenarios" / "kherson-2022-11.yaml"
SEEDS = REPO / ".." / "shared" / "seeds"


def run(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def test_settle_kherson_actors_json(capsys):
    code, out, _ = run(["bargain", "settle", str(ACTORS), "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    issues = {i["issue"]: i for i in data["issues"]}
    assert {"territory", "nato_membership", "reparations", "tribunals", "sanctions_relief",
            "security_guarantees"} <= set(issues)
    terr = issues["territory"]
    # every model's prediction lies within the actors' positions (all are compromises of them)
    lo = min(a["position"] for a in terr["actors"])
    hi = max(a["position"] for a in terr["actors"])
    for key in ("compromise", "weighted_median", "condorcet", "nash", "eum_median", "eum_mean"):
        assert lo <= terr[key] <= hi
    w = sum(a["capability"] * a["salience"] for a in terr["actors"])
    assert terr["compromise"] == pytest.approx(
        sum(a["capability"] * a["salience"] * a["position"] for a in terr["actors"]) / w)


def test_settle_table_and_plot(tmp_path, capsys, ec_csv):
    code, out, _ = run(["bargain", "settle", str(ec_csv), "--scale", "4", "10", "--out", str(tmp_path), "--actors"], capsys)
    assert code == 0
    assert "compromise" in out and "7.4" in out
    assert (tmp_path / "settle.png").stat().st_size > 10_000
    saved = json.loads((tmp_path / "settle.json").read_text())["issues"][0]
    assert saved["weighted_median"] == 7.0
    assert saved["eum_median_by_round"][0] == 7.0 and len(saved["eum_median_by_round"]) == saved["eum_rounds"] + 1
    assert saved["eum_median_by_round"][-1] == saved["eum_median"]


def test_kherson_actor_quotes_are_verbatim_and_named_actors_present():
    data = yaml.safe_load(ACTORS.read_text(encoding="utf-8"))
    ids = {a["id"] for a in data["actors"]}
    assert {"kyiv", "moscow", "washington", "berlin", "paris", "london"} <= ids
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not available: cannot check quotes")
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    n = 0

    def walk(node):
        nonlocal n
        if isinstance(node, dict):
            if "doc" in node and "quote" in node:
                assert node["quote"] in texts[node["doc"]], node["quote"]
                n += 1
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(data)
    assert n >= 15


def _bad(tmp_path: Path, mutate) -> Path:
    data = yaml.safe_load(ACTORS.read_text(encoding="utf-8"))
    mutate(data)
    p = tmp_path / "bad.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


def _moscow(data):
    return next(a for a in data["actors"] if a["id"] == "moscow")


@pytest.mark.parametrize("mutate,expect", [
    (lambda d: _moscow(d)["issues"]["territory"].pop("salience"), ["actors[1] (moscow)", "territory", "salience", "missing"]),
    (lambda d: _moscow(d)["capability"].update(value=-5), ["actors[1] (moscow)", "capability", "-5", "non-negative"]),
    (lambda d: _moscow(d)["issues"]["territory"]["position"].update(value=130), ["actors[1] (moscow)", "territory.position", "130", "off the issue's scale"]),
    (lambda d: _moscow(d)["issues"].update(crimea=_moscow(d)["issues"]["territory"]), ["actors[1] (moscow)", "unknown issue `crimea`"]),
    (lambda d: _moscow(d)["issues"]["territory"]["position"].pop("source"), ["moscow", "position.source", "missing"]),
])
def test_settle_bad_yaml_exits_2_naming_row_and_field(tmp_path, capsys, mutate, expect):
    code, out, err = run(["bargain", "settle", str(_bad(tmp_path, mutate))], capsys)
    assert code == 2
    msg = " ".join(err.split())
    for e in expect:
        assert e in msg, (e, msg)
    assert "Traceback" not in err


@pytest.mark.parametrize("body,expect", [
    ("Actor,Capability,Position,Salience\nA,1,40,50\nB,1,60,\n", ["row 3", "B", "salience", "empty"]),
    ("Actor,Capability,Position,Salience\nA,-1,40,50\nB,1,60,50\n", ["row 2", "A", "capability", "negative"]),
    ("Actor,Capability,Position,Salience\nA,1,140,50\nB,1,60,50\n", ["row 2", "A", "position", "off the issue's scale"]),
    ("actor,issue,position,salience,capability\nA,land,40,50,1\nB,land,60,50,1\nC,sea,50,50,1\n", ["issue `sea`", "at least two"]),
    ("Actor,Position,Salience\nA,40,50\n", ["missing column", "capability"]),
])
def test_settle_bad_csv_exits_2(tmp_path, capsys, body, expect):
    p = tmp_path / "bad.csv"
    p.write_text(body, encoding="utf-8")
    code, _, err = run(["bargain", "settle", str(p)], capsys)
    assert code == 2
    msg = " ".join(err.split())
    for e in expect:
        assert e in msg, (e, msg)


def test_settle_missing_file_and_bad_option(tmp_path, capsys):
    code, _, err = run(["bargain", "settle", str(tmp_path / "nope.yaml")], capsys)
    assert code == 2 and "not found" in err
    code, _, err = run(["bargain", "settle", str(ACTORS), "--q", "1.5"], capsys)
    assert code == 2 and "--q" in err


@pytest.fixture(scope="module")
def scenario_available():
    if not SCENARIO.is_file():
        pytest.skip("scenarios/kherson-2022-11.yaml not in the tree")
    return SCENARIO


def test_range_on_the_engine_json(scenario_available, capsys, tmp_path):
    code, out, _ = run(["bargain", "range", str(scenario_available), "--runs", "40", "--json",
                        "--optimism", "ukraine=0.8", "--optimism", "russia=0.8", "--out", str(tmp_path)], capsys)
    assert code == 0
    data = json.loads(out)
    days = data["days"]
    assert data["side_a"] == "ukraine" and data["runs"] == 40
    for r in days:
        assert r["low"] <= r["p_ukraine_share"] <= r["high"] + 1e-9  # costs are non-negative
        assert r["ripe"] == (r["mutually_hurting_stalemate"] and r["way_out"])
    # costs shrink towards the horizon, so the range narrows
    assert days[-1]["high"] - days[-1]["low"] <= days[0]["high"] - days[0]["low"] + 1e-9
    assert 0 < data["battle_chain"]["battle_win_probability"] < 1
    assert (tmp_path / "range.png").stat().st_size > 10_000


def test_range_with_escalation(scenario_available, capsys):
    code, out, _ = run(["bargain", "range", str(scenario_available), "--runs", "20", "--json",
                        "--escalation-aid", "1.5"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["ripeness_settings"]["escalation_aid_level"] == 1.5
    for r in data["days"]:
        assert "no_escalation_gain" in r
        if r["mutually_hurting_stalemate"]:
            assert r["no_escalation_gain"] and r["stalemate"] and r["hurting"]
    code, _, err = run(["bargain", "range", str(scenario_available), "--runs", "5", "--escalation-aid", "9"], capsys)
    assert code == 2 and "--escalation-aid" in err


def test_range_bad_inputs(scenario_available, capsys, tmp_path):
    code, _, err = run(["bargain", "range", str(scenario_available), "--runs", "5", "--optimism", "nato=0.7"], capsys)
    assert code == 2 and "--optimism" in err
    code, _, err = run(["bargain", "range", str(scenario_available), "--runs", "5", "--side-a", "iran"], capsys)
    assert code == 2 and "unknown side" in err
    bad = tmp_path / "rates.yaml"
    bad.write_text("default: {share_per_100k_casualties: -1}\n")
    code, _, err = run(["bargain", "range", str(scenario_available), "--runs", "5", "--rates", str(bad)], capsys)
    assert code == 2 and "share_per_100k_casualties" in err


def test_truce_json(scenario_available, capsys, tmp_path):
    code, out, _ = run(["bargain", "truce", str(scenario_available), "--start", "0", "--days", "90", "--runs", "30",
                        "--json", "--out", str(tmp_path)], capsys)
    assert (tmp_path / "truce.png").stat().st_size > 10_000
    assert json.loads((tmp_path / "truce.json").read_text()) == json.loads(out)
    assert code == 0
    data = json.loads(out)
    f = data["formal"]
    assert data["declining_side"] in ("ukraine", "russia") and data["rising_side"] != data["declining_side"]
    assert f["discount_per_period"] == pytest.approx(__import__("math").exp(-0.1 * 90 / 365), abs=1e-4)
    assert f["war"] == (f["discounted_shift"] > f["cost_of_war"])
    assert f["discounted_shift"] >= 0  # the declining side is the one whose prospects fall
    assert data["weaker_now_side"] == min(data["power_share_at_start"], key=data["power_share_at_start"].get)
    assert data["weaker_now_side_can_credibly_commit"] == (not (data["weaker_now_side"] == data["rising_side"]
                                                                 and f["war"]))
    k = data["kofman_claim"]
    assert k["formal"] == (data["weaker_now_side"] == data["rising_side"] and f["war"])
    shares = data["simulation"]["favours_share_of_runs"]
    assert k["simulation_share_of_runs_truce_favours_weaker_now_side"] == pytest.approx(shares[data["weaker_now_side"]])
    assert sum(shares.values()) == pytest.approx(1.0, abs=1e-3)


def test_truce_bad_start(scenario_available, capsys):
    code, _, err = run(["bargain", "truce", str(scenario_available), "--start", "5000", "--runs", "5"], capsys)
    assert code == 2 and "--start" in err
    code, _, err = run(["bargain", "truce", str(scenario_available), "--start", "20m", "--days", "6m", "--runs", "5"],
                       capsys)
    assert code == 2 and "ends on day 792, after the horizon (730 days)" in err  # 609 + 183 days


def test_truce_durations_in_months_are_days(scenario_available, capsys):
    code, out_m, _ = run(["bargain", "truce", str(scenario_available), "--days", "3m", "--runs", "6", "--json"], capsys)
    code2, out_d, _ = run(["bargain", "truce", str(scenario_available), "--days", "91", "--runs", "6", "--json"], capsys)
    assert code == code2 == 0
    assert json.loads(out_m) == json.loads(out_d) and json.loads(out_m)["truce"]["days"] == 91


def test_range_from_a_saved_results_file(scenario_available, capsys, tmp_path):
    from ceasefire.engine import simulate
    from ceasefire.scenario import load_scenario

    res = simulate(load_scenario(scenario_available), runs=12, seed=3)
    path = res.to_netcdf(tmp_path / "fight_on.nc")
    code, out, _ = run(["bargain", "range", str(path), "--json", "--lookahead-days", "91"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["runs"] == 12 and data["horizon"].startswith("91 days")
    # with a rolling horizon the expected share follows the front instead of staying at its final value
    p = [r["p_ukraine_share"] for r in data["days"]]
    first = float(res.trajectories["territory_share"].sel(side="ukraine").isel(day=13).mean())
    assert p[0] == pytest.approx(first, abs=1e-3)  # day 91 is the 14th record at 7-day spacing


def test_html_section_embeds_figures_and_table():
    import numpy as np

    from ceasefire.bargain.outside_options import outside_options, range_over_time
    from ceasefire.bargain.plots import html_section, range_figure
    from ceasefire.bargain.ripeness import ripeness

    from .synthetic import linear_fronts

    ens = linear_fronts()
    opts = outside_options(ens, "ukraine", "russia")
    rng = range_over_time(opts)
    rp = ripeness(ens, opts, rng)
    html = html_section("Bargaining range", [range_figure(rng, rp)],
                        [{"day": int(d), "low": float(lo)} for d, lo in zip(rng.day.values, rng.low.values)][:3],
                        notes="costs converted by assumed rates")
    assert html.count("<img") == 1 and "data:image/png;base64," in html
    assert html.count("<tr>") == 4 and "costs converted" in html
    assert np.isfinite(rng["low"]).all()
