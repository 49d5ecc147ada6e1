"""The scenario schema: sides, supporters, mechanisms' parameters, policies and claims.

A scenario is a YAML file validated by these pydantic models. Every number is a
:class:`~ceasefire.scenario.params.Param` (a fixed value or a distribution) with a
:class:`~ceasefire.scenario.sources.Source`. Parameter names carry their units
(``shells_per_day``, ``personnel``, ``share``, ``days``, ``km``).

``ceasefire schema`` prints the JSON Schema of :class:`Scenario` for editors.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Iterator, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .params import Param
from .ranges import range_error
from .sources import Document, Source

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


#: Earliest and latest start dates accepted (inside pandas' nanosecond range, 1677-2262,
#: with room for a 100-year horizon).
START_DATE_MIN = dt.date(1800, 1, 1)
START_DATE_MAX = dt.date(2200, 1, 1)


def reject_non_numbers(cls, value, info):
    """Numbers must be numbers: YAML ``true``/``false`` or a quoted string where a number belongs is
    an error (pydantic's lax mode would read ``true`` as 1 and ``"12"`` as 12), named by the field."""
    field = cls.model_fields.get(info.field_name)
    if field is None:
        return value
    ann = field.annotation
    numeric = ann in (int, float) or ann == (float | None) or ann == (int | None)
    if numeric and isinstance(value, (bool, str)):
        raise ValueError(f"expected a number, got {value!r}")
    if ann == dict[str, float] and isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, (bool, str)):
                raise ValueError(f"{k}: expected a number, got {v!r}")
    return value


#: The engine's time step [days]. Delays and time constants shorter than one step make the
#: daily (explicit Euler) update overshoot and diverge: with ``production_ramp_days``,
#: ``depot_adaptation_days``, ``gdp_adjust_days`` or ``displacement_days`` of 1e-9 the
#: fuzzer of issue 16 got inf and NaN in trajectories and outcomes.
STEP_DAYS = 1.0


def step_error(path: str, param: Param) -> str | None:
    """A message when a ``*_days`` value can be drawn below the one-day step (its smallest attainable
    draw: the lower bound, or the 1e-15 quantile of an open distribution, as ``Param.ppf`` clips)."""
    if not path.endswith("_days"):
        return None
    import numpy as np

    lowest = float(param.ppf(np.array([0.0]))[0])
    if lowest < STEP_DAYS:
        return (f"a duration of at least {STEP_DAYS:g} day (the model's daily step) is needed, but "
                f"{param.describe()} can be {lowest:.3g}; shorter delays make the daily update diverge")
    return None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    _numbers_are_numbers = field_validator("*", mode="before")(classmethod(reject_non_numbers))


def _p(description: str, unit: str) -> object:
    return Field(..., description=f"{description} [{unit}]")


def _p_opt(description: str, unit: str) -> object:
    return Field(None, description=f"{description} [{unit}] (optional)")


# --------------------------------------------------------------------------- sides
class MobilisationWave(_Strict):
    """A one-off call-up: ``personnel`` leave the pool for training on ``day``."""

    day: int = Field(..., ge=0, description="Day of the call-up, counted from the scenario start [days]")
    personnel: Param = _p("People called up in this wave", "personnel")


class Manpower(_Strict):
    """Aging chain: pool -> in training -> deployed; losses out of deployed (Sterman 2000, ch. 12)."""

    deployed_personnel: Param = _p("Troops deployed in the theatre at the start", "personnel")
    training_personnel: Param = _p("Recruits in training at the start", "personnel")
    pool_personnel: Param = _p("Mobilisable pool left at the start", "personnel")
    mobilisation_personnel_per_day: Param = _p("Continuous draw from the pool into training", "personnel/day")
    training_days: Param = _p("Mean training delay (first-order) before recruits deploy", "days")
    killed_share: Param = _p("Share of casualties killed (or permanently lost); the rest are wounded", "share")
    wounded_return_share: Param = _p("Share of the wounded who return to the front", "share")
    recovery_days: Param = _p("Mean recovery delay of returning wounded", "days")
    quality: Param = _p("Combat quality per deployed soldier, relative (1 = reference)", "ratio")
    waves: list[MobilisationWave] = Field(default_factory=list, description="One-off mobilisation waves")


class Ammunition(_Strict):
    """Artillery ammunition: stock, production with capacity ramp, imports, logistics and depot exposure."""

    shells_stock: Param = _p("Artillery rounds held at the start", "shells")
    shells_desired_per_day: Param = _p("Rounds the side wants to fire per day of combat", "shells/day")
    production_shells_per_day: Param = _p("Domestic production capacity at the start", "shells/day")
    production_ceiling_shells_per_day: Param = _p("Capacity reachable with more shifts and plants", "shells/day")
    production_ramp_days: Param = _p("Time constant of the capacity ramp toward the ceiling", "days")
    imports_shells_per_day: Param = _p("Purchases from third countries outside the supporters", "shells/day")
    delivery_capacity_shells_per_day: Param = _p("Rounds the logistics can bring to the guns per day", "shells/day")
    depot_exposed_share: Param = _p("Share of the stock within reach of enemy deep strikes at the start", "share")
    depot_exposed_share_adapted: Param = _p("Exposed share once depots have moved out of reach", "share")
    depot_adaptation_days: Param = _p("Time constant of moving depots out of reach", "days")
    haul_penalty_share: Param = _p("Share of delivery capacity lost to longer hauls once fully adapted", "share")
    artillery_fire_share: Param = _p("Share of the side's fire effect that depends on artillery ammunition", "share")
    readiness_days: Param = _p("Days of desired fire a stock must cover to count as fully ready", "days")


class Strikes(_Strict):
    """Deep strikes: on enemy ammunition depots, and with missiles and drones on enemy energy."""

    depot_strike_share_per_day: Param = _p("Share of the enemy's exposed ammunition destroyed per day of combat", "share/day")
    strike_weapons_stock: Param = _p("Long-range missiles and drones held at the start", "weapons")
    strike_weapons_production_per_day: Param = _p("Domestic production of missiles and drones", "weapons/day")
    strike_weapons_imports_per_day: Param = _p("Missiles and drones bought abroad", "weapons/day")
    strike_weapons_desired_per_day: Param = _p("Missiles and drones launched per day at enemy energy", "weapons/day")
    energy_damage_share_per_weapon: Param = _p("Share of enemy energy capacity destroyed per weapon launched", "share/weapon")


class Economy(_Strict):
    """GDP index, energy capacity and displacement."""

    gdp_index: Param = _p("GDP relative to the pre-war level at the start", "index")
    gdp_loss_share_at_war: Param = _p("Loss of GDP (relative to pre-war) that full-intensity war drives toward", "share")
    gdp_energy_elasticity: Param = _p("GDP loss per share of energy capacity lost", "share/share")
    gdp_adjust_days: Param = _p("Time constant of GDP toward its target", "days")
    energy_capacity_share: Param = _p("Energy capacity left at the start, share of pre-war", "share")
    energy_repair_share_per_day: Param = _p("Share of the lost energy capacity repaired per day", "share/day")
    population_at_risk_persons: Param = _p("People who would leave if heat and power fail", "persons")
    displacement_threshold_share: Param = _p("Energy capacity below which people start to leave", "share")
    displacement_days: Param = _p("Time constant of displacement toward its target", "days")


class Combat(_Strict):
    """The side's fire: its observed effect at the start calibrates the attrition coefficient."""

    casualties_inflicted_per_day: Param = _p(
        "Enemy casualties (killed + wounded) this side inflicts per day at the start, at full fire", "personnel/day"
    )


class Front(_Strict):
    """Movement of the front: share of the contested territory held."""

    territory_share: Param = _p("Share of the contested territory held at the start", "share")
    advance_threshold_ratio: Param = _p("Combat-power ratio above which this side gains ground", "ratio")
    advance_saturation_ratio: Param = _p("Ratio at which the advance reaches its maximum rate", "ratio")
    advance_share_per_day_max: Param = _p("Maximum share of the contested territory taken per day", "share/day")


class Will(_Strict):
    """The side's political will to go on fighting (Mueller 1973: support falls with log casualties)."""

    will_share: Param = _p("Will at the start", "share")
    casualty_sensitivity_share: Param = _p("Will lost per e-fold of cumulative casualties over the reference", "share")
    casualty_reference_personnel: Param = _p("Casualties at which the Mueller term starts to bite", "personnel")
    success_gain_per_share: Param = _p("Will gained per share of contested territory gained", "share/share")
    collapse_will_share: Param = _p("Will below which the side stops fighting (collapse)", "share")
    breakpoint_share: Param = _p("Deployed troops, as share of the start, below which the side breaks", "share")


class Side(_Strict):
    """A belligerent."""

    label: str
    manpower: Manpower
    ammunition: Ammunition
    strikes: Strikes
    economy: Economy
    combat: Combat
    front: Front
    will: Will


# --------------------------------------------------------------------- supporters
class Supporter(_Strict):
    """An outside supporter of one side: its will, its own arsenal, and its aid."""

    label: str
    supports: str = Field(..., description="Name of the side it supports")
    will_share: Param = _p("Political will to support at the start", "share")
    will_decay_per_day: Param = _p("Fatigue with war duration: share of will lost per day of war", "1/day")
    will_cost_sensitivity_per_day: Param = _p("Extra will lost per day at full aid (cost borne)", "1/day")
    will_success_gain_per_share: Param = _p("Will gained per share of territory the supported side gains", "share/share")
    will_truce_decay_per_day: Param = _p("Share of will lost per day of truce (attention moves elsewhere)", "1/day")
    will_resumption_factor: Param = _p("Will multiplied by this when war resumes after a truce (<1: does not fully come back)", "ratio")
    shells_stock: Param = _p("The supporter's own arsenal of artillery rounds", "shells")
    shells_production_per_day: Param = _p("The supporter's production of rounds", "shells/day")
    arsenal_floor_shells: Param = _p("Reserve the supporter will not give away", "shells")
    aid_shells_per_day_max: Param = _p("Rounds delivered per day at full will", "shells/day")
    aid_strike_weapons_per_day_max: Param = _p("Missiles and drones delivered per day at full will", "weapons/day")
    gdp_support_share_max: Param = _p("GDP index points the supported side keeps thanks to aid at full will", "share")


# ----------------------------------------------------------------- global mechanisms
class CombatLaw(_Strict):
    """Bracken's exponents of the attrition law ``losses = k S**p (T/front)**q``."""

    law: Literal["square", "linear", "logarithmic", "helmbold", "bracken"] = "bracken"
    p: Param | None = Field(None, description="Exponent on the shooter's effective strength (bracken law)")
    q: Param | None = Field(None, description="Exponent on the target's density (bracken law)")
    helmbold_weight: Param | None = Field(None, description="Helmbold's W in [0, 1] (helmbold law): p=W, q=1-W")
    front_length_km: Param = _p("Length of the front line", "km")
    daily_noise_sd: Param = _p("Standard deviation of the daily log-noise on attrition and advance", "log units")

    @model_validator(mode="after")
    def _exponents(self) -> "CombatLaw":
        if self.law == "bracken" and (self.p is None or self.q is None):
            raise ValueError("the bracken law needs both `p` and `q`")
        if self.law == "helmbold" and self.helmbold_weight is None:
            raise ValueError("the helmbold law needs `helmbold_weight`")
        return self


# --------------------------------------------------------------------------- policy
class Continuation(_Strict):
    """Which flows go on during a truce (combat and strikes always stop)."""

    production: bool = True
    training: bool = True
    mobilisation: bool = True
    aid: bool = True
    fatigue: bool = True
    imports: bool = True


class Policy(_Strict):
    """``fight_on`` or ``truce(start_day, days)``; ``aid_level`` scales every supporter's aid, and
    ``aid_by_supporter`` scales named supporters further (``{west: 0.5}``: the West halves its aid)."""

    name: str
    kind: Literal["fight_on", "truce"] = "fight_on"
    start_day: int = Field(0, ge=0, description="First day of the truce [days from the scenario start]")
    days: int = Field(0, ge=0, description="Length of the truce [days]")
    aid_level: float = Field(1.0, ge=0.0, le=5.0, description="Multiplier of the supporters' aid [ratio]")
    aid_by_supporter: dict[str, float] = Field(
        default_factory=dict, description="Further multiplier of named supporters' aid, e.g. {west: 0.5} [ratio]"
    )
    during_truce: Continuation = Field(default_factory=Continuation)

    @model_validator(mode="after")
    def _truce(self) -> "Policy":
        if self.kind == "truce" and self.days <= 0:
            raise ValueError("a truce needs `days` > 0")
        for name, level in self.aid_by_supporter.items():
            if not 0.0 <= level <= 5.0:
                raise ValueError(f"aid_by_supporter.{name} must be between 0 and 5, got {level}")
        return self

    def aid_levels(self, supporters: list[str]) -> list[float]:
        """The aid multiplier of each supporter, in the order given."""
        unknown = sorted(set(self.aid_by_supporter) - set(supporters))
        if unknown:
            raise ValueError(f"policy {self.name}: aid_by_supporter names unknown supporter(s) {', '.join(unknown)}; "
                             f"the supporters are {', '.join(supporters) or 'none'}")
        return [self.aid_level * self.aid_by_supporter.get(s, 1.0) for s in supporters]

    @property
    def end_day(self) -> int:
        """Day the war resumes (the truce's end); for fight_on, ``start_day``."""
        return self.start_day + self.days

    @classmethod
    def parse(cls, text: str) -> "Policy":
        """Parse ``fight_on`` or ``truce:START:DAYS[:AID]`` (or ``truce(START,DAYS)``) from the command line."""
        t = text.strip().replace(" ", "")
        if t in ("fight_on", "fighton", "fight-on"):
            return cls(name="fight_on", kind="fight_on")
        m = re.fullmatch(r"truce[:(](\d+)[:,](\d+)(?:[:,]([0-9.]+))?\)?", t)
        if not m:
            raise ValueError(f"cannot read policy {text!r}; write fight_on or truce:START_DAY:DAYS[:AID_LEVEL]")
        start, days = int(m.group(1)), int(m.group(2))
        aid = float(m.group(3)) if m.group(3) else 1.0
        name = f"truce_{days}d_from_{start}" + (f"_aid{aid:g}" if m.group(3) else "")
        return cls(name=name, kind="truce", start_day=start, days=days, aid_level=aid)


# --------------------------------------------------------------------------- claims
CLAIM_METRICS: dict[str, str] = {
    # paired metrics: truce minus fight-on, run by run
    "power_share_change_at_truce_end": "side",
    "territory_share_change_final": "side",
    # absolute metrics under the policy
    "territory_share_final": "side",
    "combat_power_share_final": "side",
    "combat_power_share_change": "side",
    "will_share_final": "side",
    "gdp_index_final": "side",
    "casualties_personnel_total": "side",
    "collapsed": "side",
    "supporter_will_final": "supporter",
    "aid_share_final": "supporter",
}
PAIRED_METRICS = {"power_share_change_at_truce_end", "territory_share_change_final"}


class Claim(_Strict):
    """A claim from an article, stated as a proposition over one per-run outcome.

    ``metric`` (of ``side`` or ``supporter``) ``op`` ``threshold`` must hold. Paired
    metrics compare a truce with fight-on in the same run and apply to truce policies.
    """

    id: str
    text: str
    source: Source
    metric: str
    side: str | None = None
    supporter: str | None = None
    op: Literal[">", ">=", "<", "<="]
    threshold: float
    applies_to: Literal["all", "truce", "fight_on"] = "all"

    @model_validator(mode="after")
    def _metric(self) -> "Claim":
        if not math.isfinite(self.threshold):
            raise ValueError(f"threshold must be a finite number, got {self.threshold}")
        if self.metric not in CLAIM_METRICS:
            raise ValueError(f"unknown metric {self.metric!r}; use one of {', '.join(sorted(CLAIM_METRICS))}")
        needs = CLAIM_METRICS[self.metric]
        if needs == "side" and not self.side:
            raise ValueError(f"metric {self.metric!r} needs `side`")
        if needs == "supporter" and not self.supporter:
            raise ValueError(f"metric {self.metric!r} needs `supporter`")
        return self


# ------------------------------------------------------------------------- scenario
class Scenario(_Strict):
    """A complete, cited scenario."""

    name: str
    title: str
    description: str = ""
    start_date: dt.date
    horizon_days: int = Field(..., gt=0, le=36500)
    documents: dict[str, Document] = Field(default_factory=dict)
    sides: dict[str, Side]
    supporters: dict[str, Supporter] = Field(default_factory=dict)
    combat: CombatLaw
    policies: list[Policy] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)

    @field_validator("start_date")
    @classmethod
    def _sane_date(cls, v: dt.date) -> dt.date:
        if not START_DATE_MIN <= v <= START_DATE_MAX:
            raise ValueError(f"{v} is outside the accepted range {START_DATE_MIN} to {START_DATE_MAX}")
        return v

    @field_validator("sides")
    @classmethod
    def _two_sides(cls, v: dict[str, Side]) -> dict[str, Side]:
        if len(v) < 2:
            raise ValueError(f"a scenario needs at least two sides, got {len(v)}")
        for name in v:
            if not _NAME.match(name):
                raise ValueError(f"side name {name!r} must be lower case letters, digits and _")
        return v

    @model_validator(mode="after")
    def _references(self) -> "Scenario":
        for name, sup in self.supporters.items():
            if sup.supports not in self.sides:
                raise ValueError(f"supporters.{name}.supports: unknown side {sup.supports!r}; sides are {', '.join(self.sides)}")
        names = [p.name for p in self.policies]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"policies: duplicate names {', '.join(sorted(dup))}")
        for i, p in enumerate(self.policies):
            p.aid_levels(list(self.supporters))  # names known
            if p.kind == "truce" and p.start_day >= self.horizon_days:
                raise ValueError(f"policies[{i}] ({p.name}): truce starts on day {p.start_day}, after the horizon ({self.horizon_days})")
            if p.kind == "truce" and p.days > self.horizon_days:
                raise ValueError(f"policies[{i}] ({p.name}): the truce lasts {p.days} days, longer than the horizon "
                                 f"({self.horizon_days})")
        for name, side in self.sides.items():
            for i, w in enumerate(side.manpower.waves):
                if w.day >= self.horizon_days:
                    raise ValueError(f"sides.{name}.manpower.waves[{i}].day: day {w.day} is at or after the horizon "
                                     f"({self.horizon_days})")
        for path, param, _ in iter_sourced_values(self):
            if param is not None:
                problem = range_error(path, param) or step_error(path, param)
                if problem:
                    raise ValueError(f"{path}: {problem}")
        for i, c in enumerate(self.claims):
            if c.side and c.side not in self.sides:
                raise ValueError(f"claims[{i}] ({c.id}): unknown side {c.side!r}")
            if c.supporter and c.supporter not in self.supporters:
                raise ValueError(f"claims[{i}] ({c.id}): unknown supporter {c.supporter!r}")
        return self

    # -- helpers -----------------------------------------------------------------
    @property
    def side_names(self) -> list[str]:
        return list(self.sides)

    @property
    def supporter_names(self) -> list[str]:
        return list(self.supporters)

    def params(self) -> list[tuple[str, Param]]:
        """Every numeric value with its dotted path, in a stable order."""
        return [(path, p) for path, p, _ in iter_sourced_values(self) if p is not None]

    def uncertain_parameters(self) -> list[tuple[str, Param]]:
        """The values given as distributions, in a stable order (the columns of a design)."""
        return [(path, p) for path, p in self.params() if p.is_uncertain]

    def param(self, path: str) -> Param:
        """The value at a dotted path such as ``sides.russia.ammunition.shells_stock``."""
        for p_path, p in self.params():
            if p_path == path:
                return p
        raise KeyError(path)

    def with_policies(self, policies: list[Policy]) -> "Scenario":
        return self.model_copy(update={"policies": list(policies)})


def iter_sourced_values(model: BaseModel, prefix: str = "") -> Iterator[tuple[str, Param | None, Source]]:
    """Yield ``(dotted path, Param or None, Source)`` for every sourced item of a scenario.

    Numeric values come as their :class:`Param`; claims (which are sourced but not
    numbers) come with ``None``.
    """
    if isinstance(model, Param):
        yield prefix, model, model.source
        return
    if isinstance(model, Claim):
        yield prefix, None, model.source
        return
    for name in type(model).model_fields:
        value = getattr(model, name)
        path = f"{prefix}.{name}" if prefix else name
        yield from _iter_value(value, path)


def _iter_value(value, path: str):
    if isinstance(value, BaseModel):
        yield from iter_sourced_values(value, path)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _iter_value(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            key = v.id if isinstance(v, Claim) else str(i)
            yield from _iter_value(v, f"{path}.{key}")
