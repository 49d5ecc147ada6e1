"""The favours measures against hand-computed cases, and the day-end measure against the compared ensemble's own
``favours`` (bit for bit)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from ceasefire.compare import favours as F
from ceasefire.compare import favours_table, run_policies
from ceasefire.compare.measures import wilson_interval

SIDES = ["a", "b"]
YAML = "supporters:\n  s1: {supports: a}\n  s2: {supports: b}\n"


def tiny() -> xr.Dataset:
    """Fight-on ``f`` and truce ``t`` (days 10-40, horizon 200), 4 runs, two sides, one supporter each.

    Hand-made so every measure's answer can be read off: see the comments per run."""
    pol = ["f", "t"]
    nan = np.nan
    snap_days = [0, 10, 40, 130, 200]
    # power share of side a on each snapshot day, per policy and run (b's is 1 - a's)
    ps_a = np.array([
        [[.5, .5, .50, .50, .5], [.5, .5, .50, .60, .5], [.5, .5, .50, .40, .5], [.5, .5, .50, .50, .5]],  # f
        [[.5, .5, .52, .58, .5], [.5, .5, .49, .50, .5], [.5, .5, .503, .403, .5], [.5, .5, .40, .50, .5]],  # t
    ])
    power_share_at = np.stack([ps_a, 1 - ps_a], axis=-1)
    # day-end change a: +.02, -.01, +.003, -.10 -> favours a, b, neither, b (margin .005)
    d_end = power_share_at[1, :, 2, :] - power_share_at[0, :, 2, :]
    fav = np.zeros((4, 2))
    fav[0, 0] = fav[1, 1] = fav[3, 1] = 1
    # day 130 (40 + 90): a changes +.08, -.10, +.003, 0 -> a, b, neither, neither
    terr_a = np.array([0.03, -0.01, 0.004, 0.02])  # territory change of a: a (>=2%), b (not >=2%), neither, a
    cas_t = np.array([[90., 100.], [100., 80.], [99.5, 99.5], [50., 50.]])  # truce casualties
    cas_f = np.full((4, 2), 100.0)  # fight-on: 100 each; tolerance 1% -> better below 99
    will = np.array([[0.01, 0.0], [0.0, 0.02], [0.002, 0.0], [0.0, 0.0]])  # change of s1, s2 will
    def paired(x):  # NaN for the baseline
        return np.stack([np.full_like(x, nan), x])
    ds = xr.Dataset(
        {
            "power_share_at": (("policy", "run", "snapshot_day", "side"), power_share_at),
            "power_share_change_at_truce_end": (("policy", "run", "side"), paired(d_end)),
            "favours": (("policy", "run", "side"), paired(fav)),
            "territory_share_change_final": (("policy", "run", "side"), paired(np.stack([terr_a, -terr_a], -1))),
            "casualties_change": (("policy", "run", "side"), paired(cas_t - cas_f)),
            "casualties_personnel_total": (("policy", "run", "side"), np.stack([cas_f, cas_t])),
            "supporter_will_change_final": (("policy", "run", "supporter"), paired(will)),
        },
        coords={"policy": pol, "run": np.arange(4), "side": SIDES, "supporter": ["s1", "s2"],
                "snapshot_day": snap_days, "policy_kind": ("policy", ["fight_on", "truce"]),
                "baseline": ("policy", ["f", "f"]), "end_day": ("policy", [-1, 40]),
                "start_day": ("policy", [-1, 10])},
        attrs={"horizon_days": 200, "favours_margin": 0.005, "scenario_yaml": YAML},
    )
    return ds


def _shares(table: pd.DataFrame, measure: str) -> dict[str, float]:
    t = table[(table["measure"] == measure) & (table["policy"] == "t")]
    return dict(zip(t["who"], t["share"]))


def test_every_measure_on_a_hand_computed_ensemble():
    table = F.measures_table(tiny())
    assert _shares(table, "power_share_at_truce_end") == {"a": 0.25, "b": 0.5, "neither": 0.25}
    assert _shares(table, "power_share_resumed") == pytest.approx({"a": 0.25, "b": 0.25, "neither": 0.5})
    # territory, tolerance 0.5%: a (+3%), b (+1%), neither (0.4%), a (+2%)
    assert _shares(table, "territory_at_horizon") == {"a": 0.5, "b": 0.25, "neither": 0.25}
    # a gain of at least 2%: a in runs 0 and 3 only
    assert _shares(table, "territory_gain_at_least") == {"a": 0.5, "b": 0.0, "neither": 0.5}
    # casualties below 99: a in runs 0, 3; b in runs 1, 3; nobody in run 2 (99.5 is within 1%)
    assert _shares(table, "fewer_casualties") == {"a": 0.5, "b": 0.5, "neither": 0.25}
    # will: a's gain is s1 - s2: +.01 (a), -.02 (b), +.002 (neither, tolerance .005), 0 (neither)
    assert _shares(table, "supporters_will") == {"a": 0.25, "b": 0.25, "neither": 0.5}
    assert set(table["runs"]) == {4}


def test_options_move_the_thresholds():
    ds = tiny()
    table = F.measures_table(ds, F.FavoursOptions(gain_share=0.01, casualties_tolerance=0.0))
    assert _shares(table, "territory_gain_at_least") == {"a": 0.5, "b": 0.25, "neither": 0.25}
    assert _shares(table, "fewer_casualties") == {"a": 0.75, "b": 0.75, "neither": 0.0}
    # a smaller margin on the day-end measure: run 2 (+0.3%) now favours a
    table = F.measures_table(ds, F.FavoursOptions(power_tolerance=0.001))
    assert _shares(table, "power_share_at_truce_end") == {"a": 0.5, "b": 0.5, "neither": 0.0}


def test_resumed_measure_undefined_past_the_horizon_and_uses_the_engine_record_when_present():
    ds = tiny()
    table = F.measures_table(ds, F.FavoursOptions(resume_days=170))  # 40 + 170 > 200
    t = table[table["measure"] == "power_share_resumed"]
    assert (t["runs"] == 0).all() and t["share"].isna().all()
    # an engine that records when fighting resumed (early in runs 0 and 1) and the share N days later
    rec = ds.assign(truce_end_day=(("policy", "run"), [[np.nan] * 4, [40, 110, 20, 110]]),
                    power_share_resumed=(("policy", "run", "side"),
                                         np.array([np.full((4, 2), np.nan),
                                                   [[.6, .4], [.45, .55], [.5, .5], [.5, .5]]])))
    # run 0 judged on day 130, runs 1 and 3 on day 200 (both snapshot days); run 2 on day 110, of which
    # fight-on kept no state: undefined there, so the shares are over 3 runs
    table = F.measures_table(rec, F.FavoursOptions(resume_days=90))
    t = _shares(table, "power_share_resumed")
    # run 0: .6 - .5 -> a; run 1: .45 - .5 -> b; run 3: .5 - .5 -> neither
    assert t == pytest.approx({"a": 1 / 3, "b": 1 / 3, "neither": 1 / 3})
    assert set(table.loc[table["measure"] == "power_share_resumed", "runs"]) == {3}


def test_intervals_are_exact_at_zero_and_n():
    table = F.measures_table(tiny())
    zero = table[(table["measure"] == "territory_gain_at_least") & (table["who"] == "b")].iloc[0]
    assert zero["share"] == 0.0 and zero["lo"] == 0.0
    assert zero["hi"] == pytest.approx(float(wilson_interval(0, 4)[1]), abs=0) and 0 < zero["hi"] < 1
    ds = tiny()
    ds["casualties_change"].loc[{"policy": "t"}] = -50.0  # every run spares both sides
    full = F.measures_table(ds)
    row = full[(full["measure"] == "fewer_casualties") & (full["who"] == "a")].iloc[0]
    assert row["share"] == 1.0 and row["hi"] == 1.0 and row["lo"] == pytest.approx(float(wilson_interval(4, 4)[0]))


def test_verdicts_and_disagreement():
    table = F.measures_table(tiny())
    v = F.verdicts(table).set_index("measure")
    assert v.loc["power_share_at_truce_end", "answer"] == "b"
    assert v.loc["territory_at_horizon", "answer"] == "a"
    assert set(F.disagreement(table)["t"]) >= {"a", "b"}


def test_indistinct_pairs_at_few_runs_and_not_at_many():
    rows = []
    for runs, (ka, kb) in ((40, (10, 14)), (4000, (1000, 1400))):
        rows += [{"measure": "m", "label": "m", "policy": "x", "who": "a", "share": ka / runs, "lo": 0, "hi": 0,
                  "runs": runs}, {"measure": "m", "label": "m", "policy": "y", "who": "a", "share": kb / runs,
                                  "lo": 0, "hi": 0, "runs": runs}]
    few, many = pd.DataFrame(rows[:2]), pd.DataFrame(rows[2:])
    assert [(p["a"], p["b"]) for p in F.indistinct_pairs(few)] == [("x", "y")]
    assert F.indistinct_pairs(many) == []


@pytest.fixture(scope="module")
def kherson_ensemble(kherson):
    return run_policies(kherson, runs=96, seed=4, keep="outcomes")


def test_day_end_measure_is_bit_identical_to_favours(kherson_ensemble):
    ds = kherson_ensemble
    table = F.measures_table(ds)
    fav = favours_table(ds).set_index("policy")
    day_end = table[table["measure"] == "power_share_at_truce_end"]
    for r in day_end.itertuples():
        assert r.share == fav.loc[r.policy, r.who]  # exact, not approx


def test_resumed_measure_reads_the_state_at_end_plus_n(kherson_ensemble):
    ds = kherson_ensemble
    t = "truce_90d_now"
    gain = (ds["power_share_at"].sel(policy=t, snapshot_day=180)
            - ds["power_share_at"].sel(policy="fight_on", snapshot_day=180)).transpose("run", "side").values
    best = gain.argmax(axis=1)
    hit = gain.max(axis=1) > ds.attrs["favours_margin"]
    expect = {s: float(np.mean(hit & (best == k))) for k, s in enumerate(ds.side.values)}
    got = _shares_of(F.measures_table(ds), "power_share_resumed", t)
    for s, v in expect.items():
        assert got[s] == pytest.approx(v, abs=1e-12)
    # the 365-day truce ends on day 365; 455 is kept as a snapshot day, so it is defined in every run
    assert 455 in ds.snapshot_day.values
    assert set(F.measures_table(ds)["runs"]) == {96}


def _shares_of(table, measure, policy):
    t = table[(table["measure"] == measure) & (table["policy"] == policy)]
    return dict(zip(t["who"], t["share"]))


def test_accessor_gives_the_same_table_and_options(kherson_ensemble):
    ds = kherson_ensemble
    pd.testing.assert_frame_equal(ds.ceasefire.measures(), F.measures_table(ds))
    wide = F.measures_table(ds, F.FavoursOptions(gain_share=0.05))
    pd.testing.assert_frame_equal(ds.ceasefire.measures(gain_share=0.05), wide)
    gain = wide[(wide["measure"] == "territory_gain_at_least") & (wide["who"] != "neither")]["share"].sum()
    narrow = F.measures_table(ds)
    base = narrow[(narrow["measure"] == "territory_gain_at_least") & (narrow["who"] != "neither")]["share"].sum()
    assert gain <= base  # a larger x can only be reached in fewer futures
    assert "ds.ceasefire.measures()" in ds.ceasefire._repr_html_()
