"""Settings: parsing what people type, what-if values, and links that reproduce a view."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings as hsettings, strategies as st

from ceasefire.dashboard.state import (
    DAYS_PER_MONTH,
    FLOWS,
    Settings,
    apply_what_ifs,
    default_settings,
    months,
    parse_duration_days,
    parse_float,
    parse_int,
    parse_what_if,
    settings_from_query,
)
from ceasefire.errors import InputError
from ceasefire.scenario import Param, Source


def test_default_settings_take_the_scenarios_first_truce(kherson):
    s = default_settings(kherson, "k")
    first = next(p for p in kherson.policies if p.kind == "truce")
    assert (s.start_day, s.days, s.aid_level) == (first.start_day, first.days, first.aid_level)
    assert s.truce_policy().kind == "truce" and s.truce_policy().days == first.days
    assert s.fight_on_policy().aid_level == s.aid_level


def test_truce_policy_carries_halted_flows_and_aid():
    s = Settings("k", 30, 90, aid_level=0.5, halted=("aid", "production"))
    pol = s.truce_policy()
    assert (pol.start_day, pol.days, pol.aid_level, pol.end_day) == (30, 90, 0.5, 120)
    assert pol.during_truce.aid is False and pol.during_truce.production is False
    assert pol.during_truce.training is True
    assert s.fight_on_policy().aid_level == 0.5


@pytest.mark.parametrize(
    "text, days",
    [("6", round(6 * DAYS_PER_MONTH)), ("4.5", round(4.5 * DAYS_PER_MONTH)), ("180d", 180), ("180 days", 180),
     ("2w", 14), ("1 month", 30), ("0", 0)],
)
def test_durations_in_months_weeks_or_days(text, days):
    assert parse_duration_days(text, "truce length", 0, 730) == days


@pytest.mark.parametrize("text, fragment", [("abc", "not a number"), ("-2", "negative"), ("40", "out of range")])
def test_bad_durations_name_the_field_and_the_fix(text, fragment):
    with pytest.raises(InputError) as err:
        parse_duration_days(text, "truce length", 1, 730)
    assert "truce length" in str(err.value) and fragment in str(err.value)


def test_numbers_accept_percent_and_thousands_separators():
    assert parse_float("35%", "x", 0, 1) == pytest.approx(0.35)
    assert parse_int("4,000", "runs", 0, 10_000) == 4000
    assert parse_int("2_000", "runs", 0, 10_000) == 2000
    with pytest.raises(InputError, match="whole number"):
        parse_int("2.5", "runs", 0, 10)
    with pytest.raises(InputError, match="between 100 and 50000"):
        parse_int("50", "runs", 100, 50_000)


def test_the_duration_box_shows_months_or_the_days_typed():
    """Issue 15: typing 90d showed 2.96 (months) in the box, 365d showed 11.99."""
    from ceasefire.dashboard.state import duration_text

    assert duration_text(90) == "90d" and duration_text(365) == "12" and duration_text(183) == "6"
    assert duration_text(15) == "0.5" and duration_text(0) == "0" and duration_text(180) == "180d"
    assert all(parse_duration_days(duration_text(d), "x", 0, 10_000) == d for d in range(0, 3653))
    assert all(duration_text(round(m * 365.25 / 12)) == f"{m:g}" for m in [k / 2 for k in range(0, 241)])


def test_months_text_types_back_to_the_same_days():
    assert months(0) == "0" and months(183) == "6.01" and months(365) == "11.99"
    assert all(parse_duration_days(months(d), "x", 0, 10_000) == d for d in range(0, 3653))


# ---------------------------------------------------------------- what-if values
ORIG = Param(dist="uniform", low=0.001, high=0.003, unit="1/day", source=Source(doc="d", quote="fatigue"))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0.002", {"dist": "fixed", "value": 0.002}),
        ("x2", {"dist": "uniform", "low": 0.002, "high": 0.006}),
        ("×0.5", {"dist": "uniform", "low": 0.0005, "high": 0.0015}),
        ("uniform(0.001, 0.01)", {"dist": "uniform", "low": 0.001, "high": 0.01}),
        ("triangular(0.001, 0.002, 0.004)", {"dist": "triangular", "low": 0.001, "mode": 0.002, "high": 0.004}),
        ("normal(0.002, sd 0.0005) in [0, 0.01]", {"dist": "truncnormal", "mean": 0.002, "sd": 0.0005, "low": 0.0,
                                                   "high": 0.01}),
        ("normal(0.002, 0.0005, 0, 0.01)", {"dist": "truncnormal", "mean": 0.002, "sd": 0.0005, "low": 0.0,
                                            "high": 0.01}),
        ("lognormal(median 0.002, sigma 0.3)", {"dist": "lognormal", "median": 0.002, "sigma": 0.3}),
    ],
)
def test_what_if_forms(text, expected):
    p = parse_what_if("supporters.west.will_decay_per_day", text, ORIG)
    for k, v in expected.items():
        got = getattr(p, k)
        assert got == pytest.approx(v) if isinstance(v, float) else got == v
    assert p.unit == "1/day"
    # a changed number is never passed off as quoted: it becomes an assumption naming the original
    assert p.source.kind == "assumption" and "uniform(0.001, 0.003)" in p.source.assumption
    assert 'd: "fatigue"' in p.source.assumption


def test_what_if_round_trips_the_pages_own_description():
    """What the parameters panel shows (Param.describe) can be typed back and means the same."""
    for orig in (
        Param(dist="triangular", low=2e5, mode=2.8e5, high=4e5, source=Source(assumption="a")),
        Param(dist="truncnormal", mean=0.5, sd=0.1, low=0.0, high=1.0, source=Source(assumption="a")),
        Param(dist="lognormal", median=3.0, sigma=0.4, source=Source(assumption="a")),
        Param(value=12.5, source=Source(assumption="a")),
    ):
        again = parse_what_if("sides.a.x.thing", orig.describe(), orig)
        assert again.dist == orig.dist
        for k in ("value", "low", "mode", "high", "mean", "sd", "median", "sigma"):
            a, b = getattr(orig, k), getattr(again, k)
            assert (a is None and b is None) or a == pytest.approx(b, rel=1e-3)


@pytest.mark.parametrize(
    "path, text, fragment",
    [
        ("supporters.west.will_decay_per_day", "uniform(5, 1)", "low < high"),
        ("supporters.west.will_decay_per_day", "gamma(1, 2)", "unknown distribution"),
        ("supporters.west.will_decay_per_day", "uniform(1)", "wrong number of values"),
        ("supporters.west.will_decay_per_day", "x-2", "positive"),
        ("supporters.west.will_decay_per_day", "lots", "not a number"),
        ("sides.ukraine.will.will_share", "1.7", "share"),  # admissible range from the name
    ],
)
def test_bad_what_ifs_are_input_errors_naming_the_parameter(path, text, fragment):
    with pytest.raises(InputError) as err:
        parse_what_if(path, text, ORIG)
    assert path in str(err.value) and fragment in str(err.value)


def test_apply_what_ifs_changes_only_the_named_values(kherson):
    path = "supporters.west.will_decay_per_day"
    before = kherson.param(path)
    changed = apply_what_ifs(kherson, [(path, "x2")])
    after = changed.param(path)
    assert after.bounds()[0] == pytest.approx(2 * before.bounds()[0])
    assert after.bounds()[1] == pytest.approx(2 * before.bounds()[1])
    others = [(p, v) for p, v in kherson.params() if p != path]
    assert all(changed.param(p) == v for p, v in others)
    with pytest.raises(InputError, match="no such parameter"):
        apply_what_ifs(kherson, [("sides.nowhere.x", "1")])


# ---------------------------------------------------------------- links
def test_link_round_trip_with_what_ifs_and_halted_flows(kherson):
    scen = {"k": kherson}
    s = Settings("k", 61, 183, aid_level=0.75, runs=2500, seed=7, halted=("aid",),
                 overrides=(("supporters.west.will_decay_per_day", "x2"),))
    back, problems = settings_from_query(s.query(), scen, "k")
    assert problems == [] and back == s and back.digest() == s.digest()


@hsettings(max_examples=60, deadline=None)
@given(
    start=st.integers(0, 729),
    days=st.integers(1, 730),
    aid=st.floats(0, 5, allow_nan=False).map(lambda x: float(f"{x:g}")),
    runs=st.integers(100, 50_000),
    seed=st.integers(0, 2**32 - 1),
    halted=st.sets(st.sampled_from(FLOWS)),
)
def test_any_valid_settings_survive_a_link(kherson, start, days, aid, runs, seed, halted):
    assume(start + days <= kherson.horizon_days)  # a valid truce ends by the horizon (check_policy)
    s = Settings("k", start, days, aid, runs, seed).replace(halted=halted)
    back, problems = settings_from_query(s.query(), {"k": kherson}, "k")
    assert problems == [] and back == s


def test_a_link_whose_truce_ends_after_the_horizon_is_shortened_and_says_so(kherson):
    s = Settings("k", 600, 365, 1.0)
    back, problems = settings_from_query(s.query(), {"k": kherson}, "k")
    assert (back.start_day, back.days, back.end_day) == (600, 130, 730)
    assert len(problems) == 1 and "ends after the horizon (730 days)" in problems[0]
    with pytest.raises(InputError, match="after the horizon"):
        s.truce_policy(kherson)


def test_a_mangled_link_opens_the_defaults_and_says_what_it_ignored(kherson):
    scen = {"k": kherson}
    q = "scenario=gone&start_day=-3&days=abc&aid_level=9&runs=10&halt=aid,sleep&set.sides.nowhere.x=1"
    s, problems = settings_from_query(q, scen, "k")
    d = default_settings(kherson, "k")
    assert (s.start_day, s.days, s.aid_level, s.runs) == (d.start_day, d.days, d.aid_level, d.runs)
    assert s.halted == ("aid",)
    text = " ".join(problems)
    for fragment in ("'gone'", "start_day", "days", "aid_level", "runs", "sleep", "sides.nowhere.x"):
        assert fragment in text
    assert math.isfinite(s.aid_level)


def test_link_durations_read_like_the_command_line(kherson):
    s, problems = settings_from_query("start_day=2m&days=6m", {"k": kherson}, "k")
    assert problems == [] and (s.start_day, s.days) == (61, 183)
    s, problems = settings_from_query("start_day=61&days=183d", {"k": kherson}, "k")
    assert problems == [] and (s.start_day, s.days) == (61, 183)
