"""Policy levers: truce start day, truce length, supporters' aid level, and their ranges.

A lever grid crosses every start day, truce length and aid level into truce
policies; each aid level gets its own fight-on baseline, so a truce is always
compared with fighting on *at the same aid level* (otherwise the aid change and
the truce would be confounded).
"""

from __future__ import annotations

from ..errors import InputError
from ..scenario import Policy, Scenario
from ..scenario.policies import (
    AID_LEVEL_RANGE,
    check_policy,
    check_unique_names,
    describe_policy,
    make_policy,
    policy_label,
)

__all__ = ["AID_LEVEL_RANGE", "baseline_of", "check_lever", "describe_policy", "fight_on_name",
           "lever_policies", "scenario_policies", "truce_name"]


def fight_on_name(aid_level: float) -> str:
    """The label of fighting on at ``aid_level`` (:func:`~ceasefire.scenario.policies.policy_label`)."""
    return policy_label(make_policy("fight_on", aid_level=aid_level))


def truce_name(start_day: int, days: int, aid_level: float) -> str:
    """The label of a truce (:func:`~ceasefire.scenario.policies.policy_label`)."""
    return policy_label(make_policy("truce", start_day, days, aid_level))


def check_lever(scenario: Scenario, start_day: int, days: int, aid_level: float, where: str) -> None:
    """An InputError unless the truce fits in the horizon and the aid level is in range (via ``check_policy``)."""
    make_policy("truce", start_day, days, aid_level, scenario=scenario, where=where)


def lever_policies(scenario: Scenario, start_days: list[int], truce_days: list[int],
                   aid_levels: list[float]) -> list[Policy]:
    """Fight-on at each aid level, then every truce (start, length, aid) of the grid."""
    if not (start_days and truce_days and aid_levels):
        raise InputError("a lever grid needs at least one start day, one truce length and one aid level",
                         where="--start-days/--truce-days/--aid-levels")
    for a in aid_levels:
        check_lever(scenario, 0, 1, a, "--aid-levels")
    for s in start_days:
        check_lever(scenario, s, 1, 1.0, "--start-days")
    for d in truce_days:
        check_lever(scenario, 0, d, 1.0, "--truce-days")
    policies = [make_policy("fight_on", aid_level=a) for a in dict.fromkeys(aid_levels)]
    for a in dict.fromkeys(aid_levels):
        for s in dict.fromkeys(start_days):
            for d in dict.fromkeys(truce_days):
                policies.append(make_policy("truce", s, d, a, scenario=scenario,
                                            where=f"--start-days {s} with --truce-days {d}"))
    return policies


def scenario_policies(scenario: Scenario, extra: list[Policy] | None = None) -> list[Policy]:
    """The scenario's policies (plus ``extra``), checked, ordered by the compared ensemble's one baseline rule
    (:func:`ceasefire.compare.plan_policies`: a fight-on baseline for each aid vector used, first)."""
    from ..compare import plan_policies

    policies = list(scenario.policies) + list(extra or [])
    check_unique_names(policies, where="policies")
    for p in policies:
        check_policy(p, scenario)
    plan = plan_policies(scenario, policies)
    return [p for p in plan.policies if p.kind == "fight_on" and plan.baseline[p.name] == p.name] + \
        [p for p in plan.policies if p.kind != "fight_on"]


def baseline_of(policies: list[Policy], policy: Policy) -> Policy:
    """The fight-on policy a truce is paired with: fight-on at the same aid for every supporter (the one rule,
    :mod:`ceasefire.compare.baseline`; two policies have the same aid exactly when their baselines' labels match)."""
    from ..compare.baseline import baseline_name

    for p in policies:
        if p.kind == "fight_on" and baseline_name(p) == baseline_name(policy):
            return p
    raise ValueError(f"no fight-on baseline at the aid levels of {policy.name}")
