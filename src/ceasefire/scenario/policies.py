"""One policy vocabulary: read what people write, name what they chose, check it against a scenario.

Every entry point (``run -p``, ``compare -p``, a scenario's YAML ``policies``, the
lever grids of ``explore``, the dashboard and its URL) goes through these four
functions, so a policy means the same thing and carries the same name everywhere:

* :func:`parse_policy` reads ``fight_on``, ``fight_on:AID``,
  ``truce:START:LENGTH[:AID]`` (or ``truce(START,LENGTH[,AID])``), ``settle:START[:AID]``,
  either of the last two with ``@CONDITION[&CONDITION]`` (a conditional start, read by
  :func:`parse_conditions`: ``truce:0:90@power_share[russia]<0.45``), a label made by
  :func:`policy_label`, or the name of one of the scenario's own policies
  (``truce_90d_now``). Breakdown hazards and resume rules are written in YAML.
* :func:`parse_duration_days` reads a duration: a bare number in the context's
  default unit (days on the command line, months in the dashboard) or a number
  with a suffix, ``d`` (days), ``w`` (weeks) or ``m``/``mo`` (months).
* :func:`policy_label` names a policy by everything that changes the simulation:
  the truce's start and length, the aid level, each supporter's own aid factor and
  the flows switched off during the truce. Two policies with the same label run
  identically; two that run differently never share a label.
* :func:`check_policy` checks a policy against a scenario (truce start and end
  within the horizon, supporters named in ``aid_by_supporter`` exist, aid levels
  in range) and raises :class:`~ceasefire.errors.InputError` naming the field.

Units: the engine counts whole days. A month is ``DAYS_PER_MONTH`` = 365.25 / 12 =
30.4375 days (the mean Gregorian month), so ``6m`` is round(182.625) = 183 days and
``12m`` is 365 days; a week is 7 days. Durations are rounded to the nearest day.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Iterable

from ..errors import InputError
from .schema import AID_LEVEL_RANGE, DAYS_PER_MONTH, LABEL_HEAD, LABEL_PART, Condition, Continuation, Policy

if TYPE_CHECKING:  # pragma: no cover
    from .schema import Scenario

__all__ = ["AID_LEVEL_RANGE", "DAYS_PER_MONTH", "FLOWS", "check_policy", "check_unique_names", "describe_policy",
           "make_policy", "months", "parse_conditions", "parse_duration_days", "parse_policy", "policy_label", "same_policy"]

#: Flows a truce can switch off (the fields of :class:`~ceasefire.scenario.schema.Continuation`).
FLOWS: tuple[str, ...] = tuple(Continuation.model_fields)

_UNITS = {"d": 1.0, "day": 1.0, "days": 1.0, "w": 7.0, "wk": 7.0, "week": 7.0, "weeks": 7.0,
          "m": DAYS_PER_MONTH, "mo": DAYS_PER_MONTH, "month": DAYS_PER_MONTH, "months": DAYS_PER_MONTH}
_DURATION = re.compile(r"(?P<num>[+-]?[0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*(?P<unit>[a-z]*)")
_FORMS = ("fight_on, fight_on:AID, truce:START:LENGTH[:AID] (START and LENGTH in days, or with a suffix: "
          "180d, 6m, 2w), settle:START[:AID], either with @CONDITION[&CONDITION] to start on the first day from "
          "START on which every condition holds (VARIABLE[SIDE_OR_SUPPORTER]<X or >X, or "
          "change(VARIABLE[SIDE],30d)<X), or a label such as truce_180d_from_0_aid0.5")
_CONDITION = re.compile(r"(?:change\((?P<cvar>[a-z_]+)\[(?P<cwho>[A-Za-z0-9_]+)\],(?P<days>[0-9]+)d?\)|"
                        r"(?P<var>[a-z_]+)\[(?P<who>[A-Za-z0-9_]+)\])(?P<op>[<>])(?P<value>[+-]?[0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)")


# ------------------------------------------------------------------ durations
def parse_duration_days(text: str, what: str = "duration", default_unit: str = "d",
                        low_days: int | None = None, high_days: int | None = None) -> int:
    """A duration as a whole number of days: ``180``, ``180d``, ``6m``, ``6 months``, ``2w``, ``4.5mo``.

    A bare number is in ``default_unit`` (``"d"`` on the command line, ``"m"`` in
    the dashboard). A month is :data:`DAYS_PER_MONTH` days; the result is rounded
    to the nearest day and must lie in ``[low_days, high_days]`` when given.
    Raises :class:`InputError` naming ``what``.
    """
    raw = str(text).strip()
    m = _DURATION.fullmatch(raw.lower().replace("_", ""))
    if not m:
        raise InputError(f"{what}: {raw!r} is not a number of days or months; write e.g. 180, 180d or 6m.")
    unit = m.group("unit") or default_unit
    if unit not in _UNITS:
        raise InputError(f"{what}: {raw!r} has an unknown unit {unit!r}; use d (days), w (weeks) or m (months).")
    x = float(m.group("num")) * _UNITS[unit]
    if not math.isfinite(x):
        raise InputError(f"{what}: {raw!r} is not a finite number.")
    if x < 0:
        raise InputError(f"{what}: {raw!r} must not be negative.")
    days = int(round(x))
    lo = 0 if low_days is None else low_days
    if days < lo or (high_days is not None and days > high_days):
        span = (f"between {months(lo)} and {months(high_days)} months ({lo} to {high_days} days"
                if high_days is not None else f"at least {lo} days (")
        raise InputError(f"{what}: {raw!r} is {days} days, out of range; give {span}; "
                         "write e.g. 6m for months or 180d for days).")
    return days


def months(days: int | float) -> str:
    """Days as months, precise enough to type back (``183`` -> ``"6.01"``, ``91`` -> ``"2.99"``, ``0`` -> ``"0"``).

    Two decimals of a month are 0.3 days, so :func:`parse_duration_days` of the
    text (in months) gives back the same whole number of days.
    """
    return f"{days / DAYS_PER_MONTH:.2f}".rstrip("0").rstrip(".")


# ------------------------------------------------------------------ names
def policy_label(policy: Policy) -> str:
    """The one name of a policy (:attr:`Policy.label <ceasefire.scenario.schema.Policy.label>`).

    ``fight_on`` | ``truce_{DAYS}d_from_{START}`` | ``settle_from_{START}``, then ``_aid{A}``,
    ``_{supporter}-aid{F}`` and ``_halt-{flow}+{flow}`` for what differs from the
    scenario's default, then ``_when-{condition}+...``, ``_resume-{side}-gain{G}`` and
    ``_brk-c{C}-v{V}-{digest}`` for a conditional start, resume rules and a breakdown block;
    :func:`parse_policy` reads back every label without the last three (those policies
    are named in the scenario's YAML).
    """
    return policy.label


def same_policy(a: Policy, b: Policy) -> bool:
    """Whether two policies run identically (their labels are equal; names are not compared)."""
    return policy_label(a) == policy_label(b)


def describe_policy(policy: Policy) -> str:
    """Plain words: "a 180-day truce from day 0", "fighting on with aid at 0.5x", halted flows named."""
    aid = "" if policy.aid_level == 1.0 else f" with aid at {policy.aid_level:g}x"
    own = [f"{s} at {f:g}x" for s, f in sorted(policy.aid_by_supporter.items()) if f != 1.0]
    if own:
        aid += (" and " if aid else " with ") + ", ".join(own)
    if policy.kind == "fight_on":
        return f"fighting on{aid}"
    start = "now" if policy.start_day == 0 else f"from day {policy.start_day}"
    if policy.start_when:
        start = ("on the first day" + ("" if policy.start_day == 0 else f" from day {policy.start_day}")
                 + " on which " + " and ".join(c.text() for c in policy.start_when))
    halted = policy.halted
    stop = f", halting {', '.join(halted)} during it" if halted else ""
    extra = [f"{side} resumes when " + " or ".join(
        ([f"its power share rises by more than {r.gain_share:g}"] if r.gain_share is not None else [])
        + ([f"its power share exceeds {r.level_share:g}"] if r.level_share is not None else []))
        for side, r in sorted(policy.resume_rule.items())]
    if policy.breakdown is not None:
        b = policy.breakdown
        extra.append(f"it may collapse (base hazard {b.collapse_per_day:g}/day) or be violated "
                     f"({b.violation_per_day:g}/day)")
    more = ("; " + "; ".join(extra)) if extra else ""
    what = "a settlement on the current line" if policy.kind == "settle" else f"a {policy.days}-day truce"
    return f"{what} {start}{aid}{stop}{more}"


# ------------------------------------------------------------------ making and checking
def _aid_problem(level: float, field: str) -> str | None:
    lo, hi = AID_LEVEL_RANGE
    if not isinstance(level, (int, float)):
        return f"{field} {level!r} is not a number"
    if not (math.isfinite(level) and lo <= level <= hi):
        return f"{field} {level:g} is outside its range [{lo:g}, {hi:g}] (1 = the scenario's aid, 0 = none)"
    return None


def check_policy(policy: Policy, scenario: "Scenario", where: str | None = None) -> None:
    """Raise :class:`InputError` (naming ``where`` and the field) unless ``policy`` fits ``scenario``.

    Checks: a truce starts on a day in ``[0, horizon)``, lasts at least one day and
    ends by the horizon; every supporter in ``aid_by_supporter`` exists; the aid
    level and each supporter's factor lie in :data:`AID_LEVEL_RANGE`; a name that
    reads as a label (``truce_90d_from_0``) is that policy's label.
    """
    problems = policy.problems(scenario.horizon_days, scenario.supporter_names, scenario.side_names)
    if problems:
        raise InputError("; ".join(problems) + ".", where=where or f"policy {policy.name}")


def check_unique_names(policies: Iterable[Policy], where: str = "policies") -> None:
    """Raise :class:`InputError` when two policies share a name, saying which policies they are."""
    seen: dict[str, Policy] = {}
    for p in policies:
        if p.name in seen and not same_policy(seen[p.name], p):
            raise InputError(f"two different policies are both named {p.name!r} ({describe_policy(seen[p.name])}; "
                             f"{describe_policy(p)}); policy names must be unique.", where=where)
        if p.name in seen:
            raise InputError(f"policy {p.name!r} is given twice; policy names must be unique.", where=where)
        seen[p.name] = p


def make_policy(kind: str = "fight_on", start_day: int = 0, days: int = 0, aid_level: float = 1.0,
                aid_by_supporter: dict[str, float] | None = None, halted: Iterable[str] = (),
                scenario: "Scenario | None" = None, where: str = "policy", name: str | None = None,
                start_when: Iterable = ()) -> Policy:
    """A policy from its parts, named by :func:`policy_label` (unless ``name`` is given) and checked.

    Out-of-range values raise :class:`InputError` naming ``where`` (not a pydantic
    error); with a ``scenario``, the policy is also checked against it.
    """
    halted = tuple(halted)
    start_when = list(start_when)
    unknown = [f for f in halted if f not in FLOWS]
    if unknown:
        raise InputError(f"unknown flow(s) {', '.join(unknown)} to halt; use {', '.join(FLOWS)}.", where=where)
    problems = [p for p in [_aid_problem(aid_level, "aid level")] if p]
    problems += [p for s, f in (aid_by_supporter or {}).items() if (p := _aid_problem(f, f"aid_by_supporter.{s}"))]
    if kind == "truce" and days < 1:
        problems.append(f"truce length {days} days is outside its range: it must be at least 1 day")
    if start_day < 0:
        problems.append(f"truce start day {start_day} must not be negative")
    if problems:
        raise InputError("; ".join(problems) + ".", where=where)
    if kind == "fight_on":
        start_day, days, halted, start_when = 0, 0, (), []
    if kind == "settle":
        days = 0
    pol = Policy(name="_", kind=kind, start_day=start_day, days=days, aid_level=float(aid_level),
                 aid_by_supporter=dict(aid_by_supporter or {}),
                 during_truce=Continuation(**{f: f not in halted for f in FLOWS}), start_when=start_when)
    pol = pol.model_copy(update={"name": name or pol.label})
    if scenario is not None:
        check_policy(pol, scenario, where)
    return pol


# ------------------------------------------------------------------ parsing
def _label_policy(text: str) -> Policy | None:
    """The policy a :func:`policy_label` names, or None when ``text`` is not a label."""
    head = LABEL_HEAD.match(text)
    if not head:
        return None
    pos, aid, own, halted = head.end(), 1.0, {}, ()
    while pos < len(text):
        m = LABEL_PART.match(text, pos)
        if not m:
            return None
        if m.group("aid") is not None:
            aid = float(m.group("aid"))
        elif m.group("sup") is not None:
            own[m.group("sup")] = float(m.group("sup_aid"))
        else:
            halted = tuple(m.group("halt").split("+"))
            if any(f not in FLOWS for f in halted):
                return None
        pos = m.end()
    kind = "fight_on" if head.group(0) == "fight_on" else ("settle" if head.group("settle") else "truce")
    if kind == "fight_on" and halted:
        return None
    start = int(head.group("start")) if kind == "truce" else int(head.group("settle") or 0)
    days = int(head.group("days")) if kind == "truce" else 0
    if kind == "truce" and days < 1:
        return None
    try:
        return make_policy(kind, start, days, aid, own, halted, where=f"policy {text!r}")
    except InputError:
        return None


def parse_policy(text: str, scenario: "Scenario | None" = None, where: str = "--policy") -> Policy:
    """The policy that ``text`` names, checked against ``scenario`` when one is given.

    Accepted, in this order: the name of one of the scenario's policies
    (``truce_90d_now``); ``fight_on`` (``fight-on``) or ``fight_on:AID``;
    ``truce:START:LENGTH[:AID]`` or ``truce(START,LENGTH[,AID])`` where START and
    LENGTH are days or carry a suffix (``truce:0:6m``, ``truce:180:90d``); a label
    from :func:`policy_label` (``truce_180d_from_0_aid0.5``). Policies read from
    text are named by :func:`policy_label`. Raises :class:`InputError` naming
    ``where`` and the accepted forms.
    """
    raw = str(text).strip()
    if scenario is not None:
        named = {p.name: p for p in scenario.policies}
        if raw in named:
            check_policy(named[raw], scenario, f"{where} {raw}")
            return named[raw]
    t = raw.replace(" ", "")
    here = f"{where} {raw!r}"
    t, _, when_text = t.partition("@")
    when = parse_conditions(when_text, here) if when_text else []
    m = re.fullmatch(r"(?:fight_on|fighton|fight-on)(?::(?P<aid>[^:]+))?", t)
    if m:
        aid = _aid_value(m.group("aid"), here) if m.group("aid") else 1.0
        if when:
            raise InputError("fight_on cannot have a starting condition (@...); use truce:... or settle:...",
                             where=here)
        return make_policy("fight_on", aid_level=aid, scenario=scenario, where=here)
    m = re.fullmatch(r"settle:(?P<a>[^:]+)(?::(?P<c>[^:]+))?", t)
    if m:
        try:
            start = parse_duration_days(m.group("a"), "settlement start")
        except InputError as err:
            raise InputError(f"{err} Write {_FORMS}.", where=here) from None
        aid = _aid_value(m.group("c"), here) if m.group("c") else 1.0
        return make_policy("settle", start, 0, aid, scenario=scenario, where=here, start_when=when)
    m = re.fullmatch(r"truce(?::(?P<a>[^:]+):(?P<b>[^:]+)(?::(?P<c>[^:]+))?|\((?P<a2>[^,]+),(?P<b2>[^,]+)"
                     r"(?:,(?P<c2>[^,]+))?\))", t)
    if m:
        start_t, len_t, aid_t = (m.group("a") or m.group("a2"), m.group("b") or m.group("b2"),
                                 m.group("c") or m.group("c2"))
        try:
            start = parse_duration_days(start_t, "truce start")
            days = parse_duration_days(len_t, "truce length")
        except InputError as err:
            raise InputError(f"{err} Write {_FORMS}.", where=here) from None
        aid = _aid_value(aid_t, here) if aid_t else 1.0
        return make_policy("truce", start, days, aid, scenario=scenario, where=here, start_when=when)
    pol = _label_policy(t)
    if pol is not None:
        if scenario is not None:
            check_policy(pol, scenario, here)
        return pol
    names = f"; the scenario's policies are {', '.join(p.name for p in scenario.policies) or 'none'}" \
        if scenario is not None else ""
    raise InputError(f"cannot read this policy; write {_FORMS}{names}.", where=here)


def parse_conditions(text: str, where: str = "--policy") -> list[Condition]:
    """Conditions joined by ``&``: ``power_share[russia]<0.45``, ``supporter_will_share[us]<0.5``,
    ``change(territory_share[ukraine],30d)<0.01`` (the front moved less than 0.01 of the
    territory in 30 days). Variable names and who they belong to are checked against a
    scenario by :func:`check_policy`. Raises :class:`InputError` naming ``where``."""
    out = []
    for part in text.split("&"):
        m = _CONDITION.fullmatch(part)
        if not m:
            raise InputError(f"cannot read the condition {part!r}; write VARIABLE[SIDE_OR_SUPPORTER]<X (or >X), "
                             "e.g. power_share[russia]<0.45, or change(territory_share[ukraine],30d)<0.01, joined "
                             "by &.", where=where)
        var, who = (m.group("cvar"), m.group("cwho")) if m.group("cvar") else (m.group("var"), m.group("who"))
        days = int(m.group("days")) if m.group("days") else None
        if days is not None and days < 1:
            raise InputError(f"condition {part!r}: the change is over at least 1 day.", where=where)
        out.append(Condition(variable=var, who=who, op=m.group("op"), value=float(m.group("value")),
                             over_days=days))
    return out


def _aid_value(text: str, where: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise InputError(f"aid level {text!r} is not a number; write e.g. 0.5 (1 = the scenario's aid).",
                         where=where) from None
    return x
