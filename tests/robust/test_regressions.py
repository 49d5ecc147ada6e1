"""One regression test per case of issue 16 outside the evidence store (items 1-3 and 5-8)."""

from __future__ import annotations

import math
import os
import re

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml

from ceasefire.errors import InputError

from .helpers import ACTORS, KHERSON, digest, judge, run_cli

S = str(KHERSON)
TINY = ["--runs", "3", "--record-every", "30"]


def _scenario(tmp_path, mutate, name="s.yaml"):
    data = yaml.safe_load(KHERSON.read_text(encoding="utf-8"))
    mutate(data)
    p = tmp_path / name
    p.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return p


def _refused(o, *words):
    assert o.code == 2, (o.code, o.err, o.exception)
    assert judge(o) == "refused", (judge(o), o.err)
    for w in words:
        assert w in o.text, (w, o.text)


@pytest.fixture
def no_engine(monkeypatch):
    """Make any simulation fail loudly: the checks must come before computing."""
    import ceasefire.engine as engine

    def boom(*a, **k):
        raise AssertionError("the engine ran before the output was checked")

    import ceasefire.compare.ensemble as compared

    monkeypatch.setattr(engine, "simulate", boom)
    monkeypatch.setattr(engine, "simulate_policies", boom)
    monkeypatch.setattr(compared, "simulate_policies", boom)
    monkeypatch.setattr(compared, "run_policies", boom)


# ------------------------------------------------------------------ 1. output paths
def test_out_problems_are_refused_before_computing(tmp_path, no_engine):
    existing = tmp_path / "old.nc"
    existing.write_bytes(b"keep me")
    not_a_dir = tmp_path / "file.txt"
    not_a_dir.write_text("x")
    cases = [
        (["--out", str(tmp_path)], ["is a directory"]),
        (["--out", ""], ["--out", "empty"]),
        (["--out", str(existing)], ["exists", "--force"]),
        (["--out", str(not_a_dir / "x.nc")], ["not a directory"]),
        (["--out", "/dev/null"], ["not a regular file"]),
    ]
    for args, words in cases:
        _refused(run_cli(["run", S, *TINY, *args]), *words)
    assert existing.read_bytes() == b"keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt", "old.nc"]  # no partial file


def test_compare_and_bargain_refuse_to_overwrite_without_force(tmp_path, no_engine):
    (tmp_path / "summary.md").write_text("earlier")
    _refused(run_cli(["compare", S, *TINY, "--out", str(tmp_path)]), "summary.md", "--force")
    (tmp_path / "truce.json").write_text("{}")
    _refused(run_cli(["bargain", "truce", S, "--runs", "3", "--out", str(tmp_path)]), "truce.json", "--force")
    (tmp_path / "report.html").write_text("<p>earlier</p>")
    _refused(run_cli(["report", str(tmp_path), "--out", str(tmp_path / "report.html")]), "exists", "--force")
    (tmp_path / "fit.json").write_text("{}")
    _refused(run_cli(["fit", "battles", str(tmp_path), "--json", str(tmp_path / "fit.json")]), "--json", "exists")
    assert (tmp_path / "summary.md").read_text() == "earlier"


def test_run_out_with_force_replaces_the_file_whole(tmp_path):
    target = tmp_path / "r.nc"
    target.write_bytes(b"old")
    o = run_cli(["run", S, *TINY, "--out", str(target), "--force"])
    assert o.code == 0, o.err
    from ceasefire.engine import Results

    assert Results.open(target).runs == 3
    assert [p.name for p in tmp_path.iterdir()] == ["r.nc"]


def test_atomic_write_leaves_the_old_file_and_no_partial_on_failure(tmp_path):
    from ceasefire.outputs import atomic_write

    target = tmp_path / "t.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_write(target) as tmp:
            tmp.write_text("half")
            (tmp.parent / (tmp.name + ".partial")).write_text("writer's own partial")
            raise RuntimeError("disk full")
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["t.txt"]
    with atomic_write(target) as tmp:
        tmp.write_text("new")
    assert target.read_text() == "new" and [p.name for p in tmp_path.iterdir()] == ["t.txt"]


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a read-only file system needs root")
def test_a_read_only_file_system_is_refused_up_front(tmp_path):
    import subprocess

    ro = tmp_path / "ro"
    ro.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "ro", "tmpfs", str(ro)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        _refused(run_cli(["run", S, *TINY, "--out", str(ro / "r.nc")]), "not writable")
    finally:
        subprocess.run(["umount", str(ro)], capture_output=True)


# ------------------------------------------------------------------ 2. damaged or foreign results files
@pytest.fixture(scope="module")
def results_file(tmp_path_factory):
    p = tmp_path_factory.mktemp("res") / "fight_on.nc"
    o = run_cli(["run", S, *TINY, "--out", str(p)])
    assert o.code == 0, o.err
    return p


@pytest.fixture(scope="module")
def observations(tmp_path_factory):
    p = tmp_path_factory.mktemp("obs") / "obs.csv"
    pd.DataFrame({"date": ["2022-12-11", "2023-01-10"], "observable": ["casualties_cumulative_personnel"] * 2,
                  "side": ["russia"] * 2, "value": [20000, 40000], "unit": ["personnel"] * 2,
                  "basis": ["level"] * 2, "source": ["hand-made test row"] * 2}).to_csv(p, index=False)
    return p


def _backtest(ens, obs, out):
    return run_cli(["backtest", S, "--observed", str(obs), "--ensemble", str(ens), "--out", str(out)])


def test_backtest_scores_a_file_written_by_run_out(results_file, observations, tmp_path):
    o = _backtest(results_file, observations, tmp_path / "bt")
    assert o.code == 0, o.err
    rows = pd.read_csv(tmp_path / "bt" / "backtest_observations.csv")
    assert len(rows) == 2 and rows["crps"].notna().all()  # scored, not "skipped: not simulated"


def test_backtest_refuses_truncated_foreign_and_empty_files(results_file, observations, tmp_path):
    raw = results_file.read_bytes()
    truncated = tmp_path / "truncated.nc"
    truncated.write_bytes(raw[: len(raw) // 3])
    _refused(_backtest(truncated, observations, tmp_path / "a"), "truncated.nc")
    foreign = tmp_path / "foreign.nc"
    xr.Dataset({"temperature": (("time",), np.arange(3.0))}).to_netcdf(foreign, engine="h5netcdf")
    _refused(_backtest(foreign, observations, tmp_path / "b"), "foreign.nc", "run")
    other_vars = tmp_path / "other.nc"
    xr.Dataset({"x": (("run", "day"), np.ones((2, 3)))}, coords={"day": [0, 10, 20]}).to_netcdf(
        other_vars, engine="h5netcdf")
    _refused(_backtest(other_vars, observations, tmp_path / "c"), "other.nc", "casualties_cumulative_personnel")
    nan = tmp_path / "nan.nc"
    xr.Dataset({"casualties_cumulative_personnel": (("run", "day", "side"), np.full((2, 3, 1), np.nan))},
               coords={"day": [0, 10, 20], "side": ["russia"]}).to_netcdf(nan, engine="h5netcdf")
    _refused(_backtest(nan, observations, tmp_path / "d"), "nan.nc", "NaN")
    assert not any((tmp_path / x).exists() for x in "abcd")  # nothing written for a refused input


@pytest.fixture(scope="module")
def exploration(tmp_path_factory):
    from tests.explore.helpers import SMALL_POLICIES, write_small_scenario
    from tests.report.conftest import REPORT_ARGS

    d = tmp_path_factory.mktemp("exp")
    sc = write_small_scenario(d, horizon_days=365, policies=SMALL_POLICIES, claims=["kofman-truce-favours-russia"])
    out = d / "levers"
    o = run_cli(["explore", str(sc), "--out", str(out), *REPORT_ARGS])
    assert o.code == 0, o.err
    return out


def _damaged_copy(exploration, tmp_path, name, damage):
    import shutil

    dst = tmp_path / "copy"
    shutil.copytree(exploration, dst)
    damage(dst / name)
    return dst


def _nc_edit(fn):
    def damage(path):
        ds = xr.load_dataset(path, engine="h5netcdf")
        ds = fn(ds)
        path.unlink()
        ds.to_netcdf(path, engine="h5netcdf")
    return damage


@pytest.mark.parametrize("name,damage,words", [
    ("summary.json", lambda p: p.write_text(p.read_text()[:200]), ["summary.json", "JSON"]),
    ("summary.json", lambda p: p.write_text(p.read_text().replace('"focus_side": "', '"focus_side": "x')),
     ["summary.json", "focus_side"]),
    ("fan.nc", lambda p: p.write_bytes(p.read_bytes()[:5000]), ["fan.nc", "NetCDF"]),
    ("fan.nc", _nc_edit(lambda ds: ds.assign(power_share=ds["power_share"].where(ds["day"] < 100))),
     ["fan.nc", "power_share", "NaN"]),
    ("fan.nc", _nc_edit(lambda ds: ds.assign(territory_share=ds["territory_share"] * 3)),
     ["fan.nc", "territory_share", "outside [0.0, 1.0]"]),
    ("truce_map.nc", _nc_edit(lambda ds: ds.drop_vars("share_neither")), ["truce_map.nc", "share_neither"]),
    ("truce_map.nc", _nc_edit(lambda ds: ds.assign(share_favours=ds["share_favours"] + np.inf)),
     ["truce_map.nc", "share_favours"]),
    ("sensitivity.nc", _nc_edit(lambda ds: ds.assign(ST=ds["ST"] * np.inf)), ["sensitivity.nc", "ST", "infinite"]),
    ("fight_on_trajectories.nc", _nc_edit(lambda ds: ds.rename(side="belligerent")),
     ["fight_on_trajectories.nc", "side"]),
])
def test_report_names_the_damaged_file_and_writes_nothing(exploration, tmp_path, name, damage, words):
    d = _damaged_copy(exploration, tmp_path, name, damage)
    before = digest([d])
    _refused(run_cli(["report", str(d)]), *words)
    assert digest([d]) == before and not (d / "report.html").exists()


# ------------------------------------------------------------------ 3. encodings and Rich markup
def test_settle_reads_latin1_csv_and_yaml(tmp_path):
    csv = tmp_path / "latin.csv"
    csv.write_bytes("actor,issue,position,salience,capability\nKyïv,territoire,100,90,60\nMoscou é,territoire,0,90,80\n"
                    .encode("latin-1"))
    o = run_cli(["bargain", "settle", str(csv), "--json"])
    assert o.code == 0, o.err
    import json

    data = json.loads(o.out)
    assert [a["actor"] for a in data["issues"][0]["actors"]] == ["Kyïv", "Moscou é"]
    # compromise: capability x salience weighted mean = (60*90*100 + 80*90*0) / (60*90 + 80*90)
    assert data["issues"][0]["compromise"] == pytest.approx(100 * 60 / 140, abs=0.01)
    text = ACTORS.read_text(encoding="utf-8").replace("name: ", "name: Négociation ", 1)
    yml = tmp_path / "latin.yaml"
    yml.write_bytes(text.encode("latin-1", errors="replace"))
    o = run_cli(["bargain", "settle", str(yml), "--json"])
    assert o.code == 0, o.err and json.loads(o.out)["name"].startswith("Négociation")


def test_user_text_is_printed_as_typed_never_as_markup_or_emoji(tmp_path):
    o = run_cli(["run", S, "--runs", "3", "--policy", "truce:-1:10"])
    assert o.code == 2 and "truce:-1:10" in o.err and "👎" not in o.err
    weird = "[/bold] :thumbs_down: [red]x"
    p = _scenario(tmp_path, lambda d: d.update(name="kherson", title=weird) or d["policies"][1].update(name=weird))
    o = run_cli(["compare", str(p), *TINY, "--no-plots"])
    assert o.code == 0, o.err + o.exception
    for piece in weird.split():  # the table may wrap the name at its spaces
        assert piece in o.out, (piece, o.out)
    assert "👎" not in o.out


# ------------------------------------------------------------------ 5. silently wrong
@pytest.mark.parametrize("mutate,words", [
    (lambda d: d["claims"][0].update(threshold=math.nan), ["claims", "threshold", "finite"]),
    (lambda d: d["policies"].append({"name": "long", "kind": "truce", "start_day": 0, "days": 5000}),
     ["long", "after the horizon"]),
    (lambda d: d.update(start_date="9999-12-31"), ["start_date", "outside the accepted range"]),
    (lambda d: d.update(horizon_days=True), ["horizon_days", "expected a number"]),
    (lambda d: d["sides"]["russia"]["manpower"]["quality"].update(value=True), ["quality", "must be a number"]),
    (lambda d: d["sides"]["russia"]["manpower"]["quality"].update(value="1.0"), ["quality", "must be a number"]),
    (lambda d: d["sides"]["russia"]["economy"].update(
        gdp_adjust_days={"value": 1e-9, "source": {"assumption": "fuzz"}}), ["gdp_adjust_days", "daily step"]),
    (lambda d: d["sides"]["russia"]["ammunition"].update(
        shells_stock={"value": 1e39, "source": {"assumption": "fuzz"}}), ["shells_stock", "larger than any quantity"]),
])
def test_values_the_model_cannot_use_are_refused(tmp_path, mutate, words):
    _refused(run_cli(["validate", str(_scenario(tmp_path, mutate))]), *words)


def test_duplicate_yaml_keys_are_refused_naming_key_and_line(tmp_path):
    text = KHERSON.read_text(encoding="utf-8")
    p = tmp_path / "dup.yaml"
    p.write_text(text.replace("horizon_days: 730", "horizon_days: 730\nhorizon_days: 365"), encoding="utf-8")
    line = next(i for i, ln in enumerate(p.read_text().splitlines(), 1) if ln == "horizon_days: 365")
    _refused(run_cli(["validate", str(p)]), "'horizon_days'", f"line {line}", "twice")


def test_the_yaml_reader_reads_what_pyyaml_reads():
    from ceasefire.scenario.load import read_yaml_file

    for path in (KHERSON, ACTORS):
        assert read_yaml_file(path) == yaml.safe_load(path.read_text(encoding="utf-8"))
    # PyYAML's own anchors for a repeated object still read
    from ceasefire.scenario.load import parse_yaml

    shared = {"v": 1}
    assert parse_yaml(yaml.safe_dump({"a": shared, "b": shared})) == {"a": {"v": 1}, "b": {"v": 1}}


def test_no_nan_or_inf_in_results_at_the_extremes_that_validate(tmp_path):
    """The fuzzed scenarios that put inf/NaN in results had a delay below the one-day step (now refused);
    at the smallest accepted delay (1 day) and at the largest accepted magnitude the results are finite."""
    from ceasefire.engine import simulate
    from ceasefire.scenario import Policy, load_scenario
    from ceasefire.variables import NAN_BY_DEFINITION

    def extreme(d):
        for side in d["sides"].values():
            for block, key in (("ammunition", "production_ramp_days"), ("ammunition", "depot_adaptation_days"),
                               ("economy", "gdp_adjust_days"), ("economy", "displacement_days")):
                side[block][key] = {"value": 1.0, "source": {"assumption": "fuzz extreme"}}
            side["economy"]["population_at_risk_persons"] = {"value": 1e12, "source": {"assumption": "fuzz"}}
    sc = load_scenario(_scenario(tmp_path, extreme))
    from ceasefire.scenario.policies import parse_policy

    for pol in (parse_policy("fight_on"), parse_policy("truce:0:180")):
        r = simulate(sc, pol, runs=6, seed=3)
        for ds in (r.trajectories, r.outcomes):
            for v in ds.data_vars:
                if v in NAN_BY_DEFINITION:  # NaN where fighting never resumed within the horizon
                    continue
                a = ds[v].values
                assert a.dtype.kind != "f" or np.isfinite(a).all(), v


def test_fit_battles_refuses_degenerate_data_and_impossible_casualties(tmp_path):
    same = tmp_path / "same.csv"
    same.write_text("attacker_strength,attacker_casualties,defender_strength,defender_casualties\n"
                    + "1000,100,800,120\n" * 40)
    _refused(run_cli(["fit", "battles", str(same)]), "same.csv", "do not vary", "beta")
    over = tmp_path / "over.csv"
    over.write_text("attacker_strength,attacker_casualties,defender_strength,defender_casualties\n"
                    "1000,100,800,120\n100,200,50,5\n")
    _refused(run_cli(["fit", "battles", str(over)]), "over.csv", "row 3", "attacker_casualties", "exceed")


# ------------------------------------------------------------------ 6. sizes and limits
def test_sizes_are_checked_before_allocating(tmp_path, no_engine, monkeypatch):
    monkeypatch.setenv("CEASEFIRE_MAX_MEMORY_MB", "8000")
    _refused(run_cli(["run", S, "--runs", "2000000"]), "--runs", "GB", "--record-every")
    _refused(run_cli(["run", S, "--runs", "3", "--policy", "truce:0:100000000000000000000"]), "too large")
    _refused(run_cli(["compare", S, "--runs", "3", "-p", "truce:0:100000000000000000000"]), "too large")


def test_thousands_of_actors_are_refused_with_the_estimated_size(tmp_path, monkeypatch):
    monkeypatch.setenv("CEASEFIRE_MAX_MEMORY_MB", "4000")
    rows = "\n".join(f"a{i},peace,{i % 100},50,1" for i in range(5000))
    p = tmp_path / "many.csv"
    p.write_text("actor,issue,position,salience,capability\n" + rows + "\n")
    o = run_cli(["bargain", "settle", str(p)])
    _refused(o, "5,000 actors", "GB")
    assert re.search(r"at most about [\d,]+ actors", o.text)


def test_deep_nesting_huge_lists_and_pipes_are_refused(tmp_path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("a: " + "[" * 2000 + "]" * 2000 + "\n")
    block = tmp_path / "block.yaml"
    block.write_text("".join(" " * i + "k:\n" for i in range(600)) + " " * 600 + "v\n")
    long = tmp_path / "long.yaml"
    long.write_text("a: [" + ",".join(["1"] * 50000) + "]\n")
    for p in (deep, block, long):
        for cmd in (["validate", str(p)], ["bargain", "settle", str(p)]):
            o = run_cli(cmd)
            assert judge(o) == "refused", (cmd, o.err, o.exception)
            assert "RecursionError" not in o.err + o.exception
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    _refused(run_cli(["validate", str(fifo)], timeout_s=10), "not a regular file")
    _refused(run_cli(["bargain", "settle", str(fifo)], timeout_s=10), "not a regular file")


def test_dashboard_upload_of_deep_or_huge_yaml_gets_the_message():
    pytest.importorskip("panel")
    from types import SimpleNamespace

    from ceasefire.dashboard.app import Session
    from ceasefire.dashboard.server import MAX_UPLOAD_BYTES, make_context

    ctx = make_context([KHERSON], processes=0)
    sess = Session(ctx, query={})
    sess.upload.filename = "deep.yaml"
    sess._uploaded(SimpleNamespace(new=("a: " + "[" * 3000 + "]" * 3000).encode()))
    assert "nesting" in sess.upload_msg.object and "deep.yaml" in sess.upload_msg.object
    sess.upload.filename = "huge.yaml"
    sess._uploaded(SimpleNamespace(new=b"#" * (MAX_UPLOAD_BYTES + 1)))
    assert "at most" in sess.upload_msg.object and list(ctx.scenarios) == [ctx.default_key]


# ------------------------------------------------------------------ 7. dates in observations
def test_observation_dates(tmp_path):
    from ceasefire.validate.backtest import read_observations

    def obs(date):
        p = tmp_path / "o.csv"
        p.write_text("date,observable,side,value,unit,basis,source\n"
                     f"2022-12-01,casualties_cumulative_personnel,russia,1,personnel,level,test\n"
                     f"{date},casualties_cumulative_personnel,russia,2,personnel,level,test\n")
        return p

    assert read_observations(obs("2022-11-11T12:00+05:00"))["date"].iloc[1] == pd.Timestamp("2022-11-11")
    assert read_observations(obs("2022-11-11T23:30-08:00"))["date"].iloc[1] == pd.Timestamp("2022-11-11")
    for bad in ("NaT", "now", "today", "9999-12-31", "2022-02-30"):
        with pytest.raises(InputError, match=r"o\.csv, row 3, column 'date'"):
            read_observations(obs(bad))


# ------------------------------------------------------------------ 8. pydantic dumps
def test_pydantic_errors_are_one_paragraph_without_urls():
    for policy in ("truce:0:0", "truce:0:10:9"):
        o = run_cli(["run", S, "--runs", "3", "--policy", policy])
        _refused(o, policy)
        assert "https://" not in o.err and "pydantic" not in o.err
        assert len(o.err.strip().splitlines()) == 1


# ------------------------------------------------------------------ issue 11 item 4: one check per option
def test_every_command_checks_runs_and_seed_alike(tmp_path, no_engine):
    obs = tmp_path / "o.csv"
    obs.write_text("date,observable,side,value,unit,basis,source\n2022-12-01,x,,1,u,level,test\n")
    commands = [["run", S], ["compare", S], ["bargain", "range", S], ["bargain", "truce", S],
                ["backtest", S, "--observed", str(obs)]]
    for cmd in commands:
        _refused(run_cli([*cmd, "--runs", "0"]), "--runs must be at least")
        _refused(run_cli([*cmd, "--runs", "3", "--seed", "-1"]), "--seed must not be negative")
    for cmd in (["run", S], ["compare", S], ["bargain", "range", S]):
        _refused(run_cli([*cmd, "--runs", "3", "--record-every", "0"]), "--record-every must be at least 1")


# ------------------------------------------------------------------ found by the 3,000-case fuzz run
def test_fuzz_findings_stay_fixed(monkeypatch, no_engine):
    monkeypatch.setenv("CEASEFIRE_MAX_MEMORY_MB", "8000")
    _refused(run_cli(["bargain", "truce", S, "--runs", "2000000", "--days", "30"]), "--runs", "GB")
    _refused(run_cli(["compare", "", "--runs", "3"]), "path is empty", "scenario YAML")


def test_range_table_with_two_recorded_days_says_n_a():
    o = run_cli(["bargain", "range", S, "--runs", "3", "--record-every", "730"])
    assert o.code == 0, o.err + o.exception
    assert "n/a" in o.out
