"""One policy vocabulary: every written form parses to the same policy, labels are unique and read back,
and one check of a policy against its scenario names the field that is wrong."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.errors import InputError
from ceasefire.scenario import Policy, dump_scenario, scenario_from_dict
from ceasefire.scenario.policies import (
    DAYS_PER_MONTH,
    FLOWS,
    check_policy,
    describe_policy,
    make_policy,
    parse_duration_days,
    parse_policy,
    policy_label,
)

from ..conftest import KHERSON


@pytest.mark.parametrize("text, days", [
    ("180", 180), ("180d", 180), ("180 days", 180), ("6m", 183), ("6mo", 183), ("6 months", 183),
    ("12m", 365), ("1m", 30), ("2w", 14), ("4.5m", round(4.5 * 30.4375)), ("0", 0),
])
def test_durations_in_days_weeks_or_months_of_30_4375_days(text, days):
    assert DAYS_PER_MONTH == 30.4375
    assert parse_duration_days(text) == days


def test_a_bare_number_is_in_the_contexts_unit():
    assert parse_duration_days("6", default_unit="d") == 6
    assert parse_duration_days("6", default_unit="m") == 183


@pytest.mark.parametrize("text, fragment", [("six", "not a number"), ("-3d", "negative"), ("5y", "unknown unit")])
def test_bad_durations_say_what_is_wrong(text, fragment):
    with pytest.raises(InputError, match=fragment):
        parse_duration_days(text, "truce length")


@pytest.mark.parametrize("text, kind, start, days, aid", [
    ("fight_on", "fight_on", 0, 0, 1.0),
    ("fight-on", "fight_on", 0, 0, 1.0),
    ("fight_on:0.5", "fight_on", 0, 0, 0.5),
    ("truce:0:90", "truce", 0, 90, 1.0),
    ("truce:0:6m", "truce", 0, 183, 1.0),
    ("truce:180:90d", "truce", 180, 90, 1.0),
    ("truce:1m:2w:0.5", "truce", 30, 14, 0.5),
    ("truce(10, 30)", "truce", 10, 30, 1.0),
    ("truce(10,30,2)", "truce", 10, 30, 2.0),
    ("truce_90d_from_0", "truce", 0, 90, 1.0),
    ("truce_183d_from_0_aid0.5_halt-production+aid", "truce", 0, 183, 0.5),
])
def test_every_written_form_gives_the_policy_and_its_label(text, kind, start, days, aid):
    p = parse_policy(text)
    assert (p.kind, p.start_day, p.days, p.aid_level) == (kind, start, days, aid)
    assert p.name == policy_label(p)


def test_scenario_policy_names_are_accepted_only_with_the_scenario(kherson):
    p = parse_policy("truce_90d_now", kherson)
    assert p is next(q for q in kherson.policies if q.name == "truce_90d_now")
    assert (p.start_day, p.days) == (0, 90)
    with pytest.raises(InputError, match="cannot read this policy"):
        parse_policy("truce_90d_now")
    with pytest.raises(InputError, match="the scenario's policies are fight_on, truce_90d_now"):
        parse_policy("truce_now", kherson)


def test_labels_name_aid_per_supporter_and_halted_flows():
    p = make_policy("truce", 61, 150, 0.8, {"west": 0.5, "iran": 1.0}, ("aid", "production"))
    assert policy_label(p) == "truce_150d_from_61_aid0.8_west-aid0.5_halt-production+aid"
    assert describe_policy(p) == ("a 150-day truce from day 61 with aid at 0.8x and west at 0.5x, "
                                  "halting production, aid during it")
    assert policy_label(make_policy("fight_on", aid_level=0.5)) == "fight_on_aid0.5"
    # numbers are written without loss: two aid levels never share a label
    assert policy_label(make_policy("fight_on", aid_level=0.123456789)) == "fight_on_aid0.123456789"


_aid = st.one_of(st.just(1.0), st.sampled_from([0.0, 0.5, 2.0, 5.0]), st.floats(0, 5, allow_nan=False))
_policies = st.builds(
    lambda kind, start, days, aid, own, halted: make_policy(kind, start, days, aid, own, halted),
    st.sampled_from(["fight_on", "truce"]), st.integers(0, 3000), st.integers(1, 3000), _aid,
    st.dictionaries(st.sampled_from(["west", "iran", "east_bloc2"]), _aid, max_size=2),
    st.sets(st.sampled_from(FLOWS)).map(lambda s: tuple(f for f in FLOWS if f in s)),
)


def _behaviour(p: Policy) -> str:
    """Everything the engine reads from a policy (fight-on ignores the truce's fields; factor 1 = absent)."""
    d = p.model_dump(exclude={"name"})
    d["aid_by_supporter"] = {k: v for k, v in d["aid_by_supporter"].items() if v != 1.0}
    if p.kind == "fight_on":
        d.update(start_day=0, days=0, during_truce=None)
    return json.dumps(d, sort_keys=True)


@settings(max_examples=200, deadline=None)
@given(p=_policies)
def test_a_label_reads_back_as_the_same_policy(p):
    back = parse_policy(policy_label(p))
    assert _behaviour(back) == _behaviour(p) and back.name == p.name == policy_label(p)


@settings(max_examples=200, deadline=None)
@given(a=_policies, b=_policies)
def test_two_policies_share_a_label_only_when_they_run_identically(a, b):
    assert (policy_label(a) == policy_label(b)) == (_behaviour(a) == _behaviour(b))


@pytest.mark.parametrize("policy, fragment", [
    (dict(kind="truce", start_day=730, days=10), "truce start day 730 is on or after the horizon (730 days)"),
    (dict(kind="truce", start_day=700, days=60), "ends on day 760, after the horizon (730 days)"),
    (dict(kind="fight_on", aid_by_supporter={"nato": 0.5}), "aid_by_supporter names unknown supporter(s) 'nato'"),
    (dict(name="fight_on", kind="fight_on", aid_level=0.5), "name 'fight_on' reads as a different policy"),
])
def test_check_policy_names_the_field(kherson, policy, fragment):
    p = Policy(**{"name": "p", **policy})
    with pytest.raises(InputError) as err:
        check_policy(p, kherson)
    assert fragment in str(err.value) and str(err.value).startswith(f"policy {p.name}:")


def test_make_policy_turns_out_of_range_aid_into_an_input_error(kherson):
    with pytest.raises(InputError, match=r"aid level 5.5 is outside its range \[0, 5\]"):
        make_policy("truce", 0, 90, 5.5, where="--aid-levels")
    with pytest.raises(InputError, match=r"^--policy 'truce:0:90:7': aid level 7"):
        parse_policy("truce:0:90:7", kherson)


def test_yaml_policies_go_through_the_same_check(kherson):
    data = yaml.safe_load(dump_scenario(kherson))
    data["policies"].append({"name": "late", "kind": "truce", "start_day": 700, "days": 60})
    with pytest.raises(InputError, match=r"policies\[5\] \(late\): .*ends on day 760, after the horizon"):
        scenario_from_dict(data, "s.yaml")
    data["policies"] = [{"name": "fight_on", "kind": "fight_on", "aid_level": 0.5}]
    with pytest.raises(InputError, match="reads as a different policy"):
        scenario_from_dict(data, "s.yaml")


def test_run_and_compare_accept_the_same_policy_words(capsys):
    from ceasefire.cli import main

    def run(args):
        with pytest.raises(SystemExit) as exc:
            main(args)
        out = capsys.readouterr()
        return exc.value.code, out.out, out.err

    code, out, err = run(["run", str(KHERSON), "-p", "truce_90d_now", "--runs", "20"])
    assert code in (0, None), err
    assert "truce_90d_now" in out
    code, out, err = run(["compare", str(KHERSON), "--only", "-p", "truce_90d_now", "-p", "truce:0:6m",
                          "-p", "truce:180:90d:0.5", "--runs", "20", "--json"])
    assert code in (0, None), err
    policies = [row["policy"] for row in json.loads(out)["favours"]]
    assert policies == ["truce_90d_now", "truce_183d_from_0", "truce_90d_from_180_aid0.5"]
