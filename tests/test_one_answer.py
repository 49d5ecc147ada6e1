"""The same question gets the same answer everywhere: the compare command, the compared ensemble and
the dashboard pair a truce with fighting on at the same aid level, run by run."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ceasefire.cli import main
from ceasefire.compare import favours_table, run_policies
from ceasefire.dashboard.compute import Computer
from ceasefire.dashboard.state import Settings
from ceasefire.scenario import Policy

from .conftest import KHERSON

RUNS = 200


def _cli_json(args, capsys) -> dict:
    with pytest.raises(SystemExit) as exc:
        main(args)
    out = capsys.readouterr()
    assert exc.value.code in (0, None), out.err
    return json.loads(out.out)


@pytest.mark.parametrize("aid", [1.0, 0.5])
def test_compare_command_and_dashboard_give_the_same_favours(kherson, capsys, aid):
    s = Settings(scenario="kherson-2022-11", start_day=30, days=120, aid_level=aid, runs=RUNS, seed=3)
    view = Computer({"kherson-2022-11": kherson}, processes=0).view(s)
    data = _cli_json(["compare", str(KHERSON), "--runs", str(RUNS), "--seed", "3", "--json", "--only",
                      "--policy", f"truce:30:120:{aid:g}"], capsys)
    rows = [r for r in data["favours"] if r["policy"].startswith("truce_120d_from_30")]
    assert len(rows) == 1
    for side in [*kherson.side_names, "neither"]:
        assert rows[0][side] == pytest.approx(view.favours[side], abs=1e-12), side


def test_a_truce_at_half_aid_is_paired_with_fighting_on_at_half_aid(kherson):
    truce = Policy(name="t", kind="truce", start_day=0, days=180, aid_level=0.5)
    ds = run_policies(kherson, [truce], runs=64, seed=1, keep="outcomes")
    assert list(ds.policy.values) == ["fight_on_aid0.5", "t"]
    assert str(ds["baseline"].sel(policy="t").values) == "fight_on_aid0.5"
    # with the scenario's full-aid fight-on also present, the pairing does not change
    both = run_policies(kherson, [Policy(name="fight_on"), truce], runs=64, seed=1, keep="outcomes")
    np.testing.assert_array_equal(both["favours"].sel(policy="t").values, ds["favours"].sel(policy="t").values)
    # the baseline really is at half aid: its supporters' aid at the horizon is half that of full-aid fight-on
    assert float(both["aid_level"].sel(policy="fight_on_aid0.5")) == 0.5
    from ceasefire.engine import simulate

    alone = simulate(kherson, Policy(name="b", kind="fight_on", aid_level=0.5), runs=64, seed=1)
    np.testing.assert_array_equal(ds["territory_share_final"].sel(policy="fight_on_aid0.5").values,
                                  alone.outcomes["territory_share_final"].values)


def test_per_supporter_aid_gets_its_own_baseline(kherson):
    truce = Policy(name="t", kind="truce", start_day=0, days=90, aid_by_supporter={"west": 0.5})
    ds = run_policies(kherson, [Policy(name="fight_on"), truce], runs=16, seed=2, keep="outcomes")
    assert str(ds["baseline"].sel(policy="t").values) == "fight_on_west-aid0.5"
    assert set(ds.policy.values) == {"fight_on", "fight_on_west-aid0.5", "t"}
    fav = favours_table(ds).set_index("policy")
    assert list(fav.index) == ["t"]


def test_wilson_interval_matches_scipy():
    from scipy import stats

    from ceasefire.compare import wilson_interval

    for k, n in [(0, 40), (3, 40), (20, 40), (39, 40), (40, 40), (517, 4000)]:
        ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
        lo, hi = wilson_interval(k, n)
        assert float(lo) == pytest.approx(ci.low, abs=1e-12) and float(hi) == pytest.approx(ci.high, abs=1e-12)
    assert wilson_interval(40, 40)[1] == 1.0 and wilson_interval(0, 40)[0] == 0.0
