"""The one baseline rule: which fight-on run each truce is paired with.

A truce is paired with fighting on **at the same aid levels, supporter by
supporter** (``Policy.aid_levels``), so that a truce's effect is never mixed with an
aid cut. Fight-on at each aid vector that some policy needs is run once: a
``fight_on`` policy the user gave with that aid vector serves as the baseline,
otherwise one is added and named by :func:`baseline_name`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from ..scenario import Policy, Scenario
from ..scenario.policies import policy_label

AidKey = tuple[float, ...]


def aid_key(policy: Policy, supporters: list[str]) -> AidKey:
    """Each supporter's aid multiplier under ``policy``, in the scenario's supporter order."""
    try:
        return tuple(float(a) for a in policy.aid_levels(supporters))
    except ValueError as err:
        raise InputError(str(err), where=f"policy {policy.name}") from None


def baseline_name(policy: Policy) -> str:
    """The name of an automatic fight-on baseline with the aid of ``policy``: its label in the one policy
    vocabulary (``fight_on``, ``fight_on_aid0.5``, ``fight_on_west-aid0.5``; :func:`policy_label`)."""
    return policy_label(Policy(name="fight_on", kind="fight_on", aid_level=policy.aid_level,
                               aid_by_supporter=dict(policy.aid_by_supporter)))


@dataclass(frozen=True)
class Plan:
    """The policies to run, baselines first, and the baseline each policy is paired with
    (a fight-on policy is its own baseline)."""

    policies: tuple[Policy, ...]
    baseline: dict[str, str]

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.policies]

    def policy(self, name: str) -> Policy:
        for p in self.policies:
            if p.name == name:
                return p
        raise KeyError(name)

    def truces(self) -> list[Policy]:
        return [p for p in self.policies if p.kind != "fight_on"]


def plan_policies(scenario: Scenario, policies: list[Policy] | None = None) -> Plan:
    """Order ``policies`` (default: the scenario's) with one fight-on baseline per aid vector first.

    Raises :class:`InputError` when two policies share a name, or a policy is named like
    the automatic baseline it would need but is not that baseline."""
    given = list(scenario.policies if policies is None else policies)
    names = [p.name for p in given]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise InputError(f"policy names must be unique; repeated: {', '.join(dup)}", where="policies")
    sups = scenario.supporter_names
    baselines: dict[AidKey, Policy] = {}
    for p in given:
        if p.kind == "fight_on":
            baselines.setdefault(aid_key(p, sups), p)
    for p in given:
        key = aid_key(p, sups)
        if key not in baselines:
            auto = Policy(name=baseline_name(p), kind="fight_on", aid_level=p.aid_level,
                          aid_by_supporter=dict(p.aid_by_supporter))
            if auto.name in names:
                raise InputError(f"policy {auto.name} is named like the automatic fight-on baseline of "
                                 f"{p.name} but is not fight-on at that aid; rename it", where="policies")
            baselines[key] = auto
    order = list(baselines.values())
    taken = {p.name for p in order}
    order += [p for p in given if p.name not in taken]
    pairing = {p.name: baselines[aid_key(p, sups)].name for p in order}
    for p in order:
        if p.kind == "fight_on" and pairing[p.name] != p.name:
            pairing[p.name] = p.name  # a second fight-on at the same aid is its own baseline
    return Plan(tuple(order), pairing)
