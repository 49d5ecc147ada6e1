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
from pydantic_core import PydanticCustomError

from .. import variables as _vars
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


class Reserves(_Strict):
    """Ammunition in depth (model v2): deep reserves (old stockpiles out of the enemy's reach) drawn to
    the front stock at a limited throughput, and the effect of one round relative to the enemy's."""

    reserve_shells_stock: Param = _p("Rounds in deep reserves (old stockpiles, arsenals far from the front)", "shells")
    reserve_draw_shells_per_day: Param = _p("Most rounds the depots can move from deep reserves to the front per day",
                                            "shells/day")
    shell_effect_ratio: Param = _p("Effect of one round fired, relative to the enemy's (accuracy, guidance)", "ratio")


class Seasoning(_Strict):
    """Quality of the newly mobilised (model v2, ``mechanisms.mobilised_quality``)."""

    initial_quality_share: Param = _p("Average quality of the deployed force at the start, share of `quality`", "share")
    new_quality_share: Param = _p("Quality of newly deployed recruits, share of `quality`", "share")
    seasoning_days: Param = _p("Time constant of the deployed force's quality rising toward `quality` in the field",
                               "days")


class Reach(_Strict):
    """Loss of strength with depth (model v2, ``mechanisms.supply_reach``; Boulding 1962): the ground a side
    holds beyond its supply base, spread along the front, weakens what it brings to the front."""

    base_territory_share: Param = _p("Share of the contested territory that is this side's supply base "
                                     "(held before the offensive, with its rail and depots)", "share")
    halving_depth_km: Param = _p("Depth beyond the base at which half of the side's strength reaches the front",
                                 "km")


class Tranche(_Strict):
    """A piece of the territory a side holds, counted from its core outward (the first listed falls last)."""

    share: Param = _p("Share of the contested territory in this tranche", "share")
    defensibility_ratio: Param = _p("Multiplier of the defender's strength while the front runs in this tranche", "ratio")


class Defence(_Strict):
    """Posture, prepared positions and geography (model v2; Dupuy's posture factors, Mearsheimer's 3:1 rule)."""

    attack_threshold_ratio: Param = _p("Ratio of own to enemy effective strength at which the side attacks", "ratio")
    hasty_defence_ratio: Param = _p("Defender's strength multiplier without prepared positions", "ratio")
    fortified_defence_ratio: Param = _p("Defender's strength multiplier with fully prepared positions", "ratio")
    fortification_share: Param = _p("Share of its front the side has fortified at the start", "share")
    fortification_build_share_per_day: Param = _p(
        "Share of the unfortified front fortified per day while the sector is quiet (no enemy attack, or a truce)",
        "share/day")
    fortification_overrun_per_share: Param = _p(
        "Fortification lost per share of contested territory lost (positions overrun)", "share/share")
    attack_intensity_ratio: Param = _p("Casualty intensity on a front where this side attacks, relative to a quiet "
                                       "front (both sides' fire)", "ratio")
    tranches: list[Tranche] = Field(default_factory=list, max_length=4,
                                    description="Tranches of the held territory, core first (at most 4)")
    critical_density_personnel_per_km: Param | None = Field(
        None, description="Deployed troops per km of front below which the defender's multiplier shrinks toward 1 "
                          "(mechanisms.force_to_space) [personnel/km]")


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
    reserves: Reserves | None = Field(None, description="Ammunition in depth (mechanisms.ammunition_depth)")
    defence: Defence | None = Field(None, description="Posture, fortification, geography (mechanisms.defence)")
    seasoning: Seasoning | None = Field(None, description="Quality of the newly mobilised (mechanisms.mobilised_quality)")
    reach: Reach | None = Field(None, description="Loss of strength beyond the supply base (mechanisms.supply_reach)")


# --------------------------------------------------------------------- supporters
class AidStall(_Strict):
    """Aid as politics (model v2, ``mechanisms.aid_stalls``): aid stalls and resumes as random events."""

    hazard_per_day: Param = _p("Chance per day that aid stalls, at zero will (scaled by 1 - will)", "1/day")
    mean_days: Param = _p("Mean length of a stall (exponential)", "days")


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
    stall: AidStall | None = Field(None, description="Stalls of aid as political events (mechanisms.aid_stalls); "
                                                     "none: this supporter's aid never stalls (e.g. an autocracy)")


# ----------------------------------------------------------------- global mechanisms
class CombatLaw(_Strict):
    """Bracken's exponents of the attrition law ``losses = k S**p (T/front)**q``."""

    law: Literal["square", "linear", "logarithmic", "helmbold", "bracken"] = "bracken"
    p: Param | None = Field(None, description="Exponent on the shooter's effective strength (bracken law)")
    q: Param | None = Field(None, description="Exponent on the target's density (bracken law)")
    helmbold_weight: Param | None = Field(None, description="Helmbold's W in [0, 1] (helmbold law): p=W, q=1-W")
    front_length_km: Param = _p("Length of the front line", "km")
    contested_area_km2: Param | None = Field(None, description="Area of the contested territory, the whole that "
                                             "territory shares divide [km2] (mechanisms.supply_reach)")
    daily_noise_sd: Param = _p("Standard deviation of the daily log-noise on attrition and advance", "log units")

    @model_validator(mode="after")
    def _exponents(self) -> "CombatLaw":
        if self.law == "bracken" and (self.p is None or self.q is None):
            raise ValueError("the bracken law needs both `p` and `q`")
        if self.law == "helmbold" and self.helmbold_weight is None:
            raise ValueError("the helmbold law needs `helmbold_weight`")
        return self


class Season(_Strict):
    """A season (mud, winter): factors on the advance rate and on casualty intensity in its months."""

    name: str
    months: list[int] = Field(..., min_length=1, description="Calendar months (1-12) of the season")
    advance_ratio: Param = _p("Advance rate in this season relative to the rest of the year", "ratio")
    intensity_ratio: Param = _p("Casualty intensity in this season relative to the rest of the year", "ratio")

    @field_validator("months")
    @classmethod
    def _months(cls, v: list[int]) -> list[int]:
        bad = [m for m in v if not 1 <= m <= 12]
        if bad:
            raise ValueError(f"months must lie in 1..12, got {bad}")
        return v


class Mechanisms(_Strict):
    """Switches of the model-v2 mechanisms (docs/model.md, "v1 -> v2"); all off reproduces v1 bit for bit."""

    fire_vs_enemy: bool = Field(False, description="Fire effect relative to the enemy's fire, not to own desire")
    ammunition_depth: bool = Field(False, description="Deep reserves drawn to the front at a limited throughput "
                                                      "(needs `reserves` on every side)")
    defence: bool = Field(False, description="Posture, defender's multiplier, fortification, tranches, attack "
                                             "intensity (needs `defence` on every side)")
    seasons: list[Season] = Field(default_factory=list, description="Seasonal factors; empty: none")
    aid_stalls: bool = Field(False, description="Supporters with a `stall` section can stall and resume aid")
    mobilised_quality: bool = Field(False, description="Recruits deploy at a lower quality that rises in the field "
                                                       "(needs `seasoning` on every side)")
    force_to_space: bool = Field(False, description="A defender spread thinner than its critical density along "
                                                    "the front loses part of its multiplier (needs `defence` and "
                                                    "`defence.critical_density_personnel_per_km` on every side)")
    supply_reach: bool = Field(False, description="A side's strength at the front falls with the depth it holds "
                                                  "beyond its supply base (needs `reach` on every side and "
                                                  "`combat.contested_area_km2`)")

    @model_validator(mode="after")
    def _months_once(self) -> "Mechanisms":
        seen: dict[int, str] = {}
        for s in self.seasons:
            for m in s.months:
                if m in seen:
                    raise ValueError(f"month {m} is in two seasons ({seen[m]}, {s.name})")
                seen[m] = s.name
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


#: Days in a month wherever a duration is written in months: the mean Gregorian month (365.25 / 12).
DAYS_PER_MONTH = 365.25 / 12
#: Bounds of ``Policy.aid_level`` and of each ``aid_by_supporter`` factor [ratio].
AID_LEVEL_RANGE = (0.0, 5.0)
_NUM = r"[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?"
#: A policy label (see :attr:`Policy.label`): its head, then its parts one by one.
LABEL_HEAD = re.compile(r"fight_on|truce_(?P<days>[0-9]+)d_from_(?P<start>[0-9]+)|settle_from_(?P<settle>[0-9]+)")
LABEL_PART = re.compile(
    rf"_(?:aid(?P<aid>{_NUM})|(?P<sup>[a-z0-9_]+?)-aid(?P<sup_aid>{_NUM})|halt-(?P<halt>[a-z]+(?:\+[a-z]+)*))"
)
_LABEL = re.compile(rf"(?:{LABEL_HEAD.pattern})(?:{LABEL_PART.pattern})*")


def _num(x: float) -> str:
    """A number written without loss and without a trailing ``.0``: 0.5, 2, 0.123456789, 1e-05."""
    s = repr(float(x))
    return s[:-2] if s.endswith(".0") else s



#: Provisions of an agreement that scale its breakdown hazard (Fortna 2003, 2004).
PROVISIONS = ("monitoring", "demilitarised_zone", "guarantee")
#: Variables a condition (``start_when``) can read: the registry's side and supporter stocks.
CONDITION_VARIABLES: dict[str, str] = {v.name: v.who for v in _vars.SIDE_STOCKS + _vars.SUPPORTER_STOCKS}


class Breakdown(_Strict):
    """Daily hazards that a truce or settlement is violated or collapses (``engine/truce.py``).

    ``h = base x product(agreement multipliers) x exp(gain_per_share x max(gain - gain_threshold_share, 0)
    + will_drop_per_share x will drop + supporter_will_drop_per_share x supporter will drop)``,
    the same modifiers for violations and collapse; the base rates and their populations are
    in docs/truce-durability.md. ``source`` says where the numbers come from (a document and
    its words, a named dataset, or ``assumption: <reason>``)."""

    collapse_per_day: float = Field(..., ge=0.0, le=1.0, description="Base hazard of collapse [1/day]")
    violation_per_day: float = Field(0.0, ge=0.0, le=10.0, description="Base hazard of a violation day [1/day]")
    violation_intensity_share: float = Field(0.1, ge=0.0, le=1.0,
                                             description="Combat on a violation day, share of normal [share]")
    gain_threshold_share: float = Field(0.0, ge=0.0, le=1.0,
                                        description="Rise of a side's power share that starts to raise the hazard [share]")
    gain_per_share: float = Field(0.0, ge=0.0, le=1000.0,
                                  description="Log hazard ratio per share of power gained beyond the threshold [1/share]")
    will_drop_per_share: float = Field(0.0, ge=0.0, le=1000.0,
                                       description="Log hazard ratio per share of a side's will lost since the start [1/share]")
    supporter_will_drop_per_share: float = Field(
        0.0, ge=0.0, le=1000.0, description="Log hazard ratio per share of a supporter's will lost since the start [1/share]")
    agreement: dict[str, float] = Field(default_factory=dict, description="Hazard multiplier of each provision "
                                        "the agreement has: monitoring, demilitarised_zone, guarantee [ratio]")
    source: str = Field(..., min_length=3, description="Where these numbers come from")

    @field_validator("agreement")
    @classmethod
    def _provisions(cls, v: dict[str, float]) -> dict[str, float]:
        bad = [k for k in v if k not in PROVISIONS]
        if bad:
            raise ValueError(f"agreement: unknown provision(s) {', '.join(bad)}; use {', '.join(PROVISIONS)}")
        neg = [k for k, x in v.items() if not (math.isfinite(x) and 0.0 <= x <= 10.0)]
        if neg:
            raise ValueError(f"agreement: multiplier of {', '.join(neg)} must lie in [0, 10]")
        return v

    @property
    def agreement_ratio(self) -> float:
        """Product of the agreement's hazard multipliers [ratio] (1: no provision)."""
        return float(math.prod(self.agreement.values())) if self.agreement else 1.0

    @property
    def tag(self) -> str:
        """Short label part: the two base rates and a digest of everything else."""
        import hashlib

        digest = hashlib.sha1(self.model_dump_json().encode()).hexdigest()[:6]
        return f"brk-c{_num(self.collapse_per_day)}-v{_num(self.violation_per_day)}-{digest}"


class ResumeRule(_Strict):
    """A side resumes fighting on the first truce day its power share exceeds its share at the
    truce's start by more than ``gain_share``, or exceeds ``level_share`` (Powell 2006)."""

    gain_share: float | None = Field(None, ge=0.0, le=1.0, description="Gain over the share at the start [share]")
    level_share: float | None = Field(None, ge=0.0, le=1.0, description="Level of power share [share]")

    @model_validator(mode="after")
    def _one(self) -> "ResumeRule":
        if self.gain_share is None and self.level_share is None:
            raise ValueError("a resume rule needs gain_share or level_share")
        return self

    def tag(self, side: str) -> str:
        out = f"resume-{side}"
        if self.gain_share is not None:
            out += f"-gain{_num(self.gain_share)}"
        if self.level_share is not None:
            out += f"-above{_num(self.level_share)}"
        return out


class Condition(_Strict):
    """A condition over the state at the start of a day: ``variable`` of ``who`` (a side or a
    supporter, by the variable's dimension in the registry) is below (``<``) or above (``>``)
    ``value``; with ``over_days`` N, the absolute change of the variable over the last N days
    is compared instead (``territory_share`` of a side over 30 days < 0.01: a quiet front)."""

    variable: str
    who: str
    op: Literal["<", ">"] = "<"
    value: float
    over_days: int | None = Field(None, ge=1, description="Compare the change over this many days [days]")

    @property
    def tag(self) -> str:
        op = "lt" if self.op == "<" else "gt"
        chg = f"-chg{self.over_days}d" if self.over_days else ""
        return f"{self.variable}.{self.who}{chg}-{op}{_num(self.value)}"

    def text(self) -> str:
        """The condition as the command line writes it."""
        inner = f"{self.variable}[{self.who}]"
        if self.over_days:
            inner = f"change({inner},{self.over_days}d)"
        return f"{inner}{self.op}{_num(self.value)}"

    def problems(self, sides, supporters, field: str) -> list[str]:
        dim = CONDITION_VARIABLES.get(self.variable)
        if dim is None:
            return [f"{field}.variable {self.variable!r} is not a state variable a condition can read; use one of "
                    f"{', '.join(CONDITION_VARIABLES)}"]
        names = list(sides) if dim == "side" else list(supporters)
        if sides is None and dim == "side":
            return []
        if self.who not in names:
            return [f"{field}.who {self.who!r} is not a {dim} of this scenario ({self.variable} is per {dim}; "
                    f"the {dim}s are {', '.join(names) or 'none'})"]
        if not math.isfinite(self.value):
            return [f"{field}.value must be a finite number"]
        return []


class Policy(_Strict):
    """``fight_on`` or ``truce(start_day, days)``; ``aid_level`` scales every supporter's aid, and
    ``aid_by_supporter`` scales named supporters further (``{west: 0.5}``: the West halves its aid).

    :mod:`ceasefire.scenario.policies` reads policies from text, names them
    (:attr:`label`) and checks them against a scenario (:meth:`problems`)."""

    name: str
    kind: Literal["fight_on", "truce", "settle"] = "fight_on"
    start_day: int = Field(0, ge=0, description="First day of the truce [days from the scenario start]; with "
                           "`start_when`, the first day its condition is checked")
    days: int = Field(0, ge=0, description="Length of the truce [days]")
    aid_level: float = Field(1.0, ge=0.0, le=5.0, description="Multiplier of the supporters' aid [ratio]")
    aid_by_supporter: dict[str, float] = Field(
        default_factory=dict, description="Further multiplier of named supporters' aid, e.g. {west: 0.5} [ratio]"
    )
    during_truce: Continuation = Field(default_factory=Continuation)
    breakdown: Breakdown | None = Field(None, description="Hazards of violation and collapse; none: the truce holds")
    resume_rule: dict[str, ResumeRule] = Field(default_factory=dict,
                                               description="Per side: when it chooses to resume fighting")
    start_when: list[Condition] = Field(default_factory=list,
                                        description="Start on the first day (from start_day) all these hold")
    assess_after_days: int = Field(90, ge=0, description="Days after fighting resumed at which "
                                   "power_share_resumed is measured [days]")

    @model_validator(mode="after")
    def _truce(self) -> "Policy":
        if self.kind == "truce" and self.days <= 0:
            raise ValueError("a truce needs `days` > 0")
        if self.kind == "settle" and self.days != 0:
            raise ValueError("a settlement has no fixed end: leave `days` out (it ends only by breakdown)")
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
        """Day the war resumes (the truce's end, when it starts on ``start_day`` and holds);
        for fight_on, ``start_day``; for a settlement, a day after any horizon."""
        if self.kind == "settle":
            return 2**31 - 1
        return self.start_day + self.days

    @property
    def dynamic(self) -> bool:
        """True when the policy's regime differs run by run (breakdown, resume rules, conditional start,
        settlement): the engine then tracks it per run (``engine/truce.py``)."""
        return self.kind == "settle" or (self.kind == "truce" and (
            self.breakdown is not None or bool(self.resume_rule) or bool(self.start_when)))

    @property
    def halted(self) -> tuple[str, ...]:
        """The flows a truce switches off (empty for fight-on, where ``during_truce`` has no effect)."""
        if self.kind == "fight_on":
            return ()
        return tuple(f for f in Continuation.model_fields if not getattr(self.during_truce, f))

    @property
    def label(self) -> str:
        """The one name of this policy, from everything that changes what the engine does.

        ``fight_on`` | ``truce_{DAYS}d_from_{START}``, then ``_aid{A}`` when the aid
        level is not 1, ``_{supporter}-aid{F}`` for each supporter's own factor that
        is not 1 (sorted by name), and ``_halt-{flow}+{flow}`` for the flows switched
        off during a truce (in the schema's order). Numbers are written without loss,
        so aid levels 0.5 and 0.50001 get different labels; two policies share a label
        exactly when the engine runs them identically.
        """
        head = {"fight_on": "fight_on", "truce": f"truce_{self.days}d_from_{self.start_day}",
                "settle": f"settle_from_{self.start_day}"}[self.kind]
        parts = [head]
        if self.aid_level != 1.0:
            parts.append(f"aid{_num(self.aid_level)}")
        parts += [f"{sup}-aid{_num(f)}" for sup, f in sorted(self.aid_by_supporter.items()) if f != 1.0]
        if self.halted:
            parts.append("halt-" + "+".join(self.halted))
        if self.kind != "fight_on":
            if self.start_when:
                parts.append("when-" + "+".join(c.tag for c in self.start_when))
            parts += [r.tag(side) for side, r in sorted(self.resume_rule.items())]
            if self.breakdown is not None:
                parts.append(self.breakdown.tag)
            if self.dynamic and self.assess_after_days != 90:
                parts.append(f"assess{self.assess_after_days}d")
        return "_".join(parts)

    def problems(self, horizon_days: int, supporters, sides=None) -> list[str]:
        """What is wrong with this policy in a scenario of ``horizon_days`` with these supporters.

        The one check of a policy against its scenario (``check_policy``, scenario
        files, the dashboard): a truce starts on a day in ``[0, horizon)``, lasts at
        least a day and ends by the horizon; supporters named in ``aid_by_supporter``
        exist; aid levels lie in :data:`AID_LEVEL_RANGE`; a name written like a label
        is this policy's label. Each message names its field; empty: nothing wrong.
        """
        out, supporters = [], list(supporters)
        lo, hi = AID_LEVEL_RANGE
        for field, level in [("aid_level", self.aid_level), *((f"aid_by_supporter.{s}", f)
                                                             for s, f in self.aid_by_supporter.items())]:
            if not (math.isfinite(level) and lo <= level <= hi):
                out.append(f"{field} {level:g} is outside its range [{lo:g}, {hi:g}] (1 = the scenario's aid, 0 = none)")
        unknown = [s for s in self.aid_by_supporter if s not in supporters]
        if unknown:
            out.append(f"aid_by_supporter names unknown supporter(s) {', '.join(map(repr, unknown))}; the supporters "
                       f"are {', '.join(supporters) or 'none'}")
        if self.kind == "settle" and self.start_day >= horizon_days:
            out.append(f"settlement start day {self.start_day} is on or after the horizon ({horizon_days} days)")
        if self.kind != "fight_on":
            for i, c in enumerate(self.start_when):
                out += c.problems(sides, supporters, f"start_when[{i}]")
            if sides is not None:
                bad = [s for s in self.resume_rule if s not in list(sides)]
                if bad:
                    out.append(f"resume_rule names unknown side(s) {', '.join(map(repr, bad))}; the sides are "
                               f"{', '.join(sides)}")
        elif self.breakdown is not None or self.resume_rule or self.start_when:
            out.append("breakdown, resume_rule and start_when apply to a truce or a settlement, not to fight_on")
        if self.kind == "truce":
            h, start, days = horizon_days, self.start_day, self.days
            if start < 0:
                out.append(f"truce start day {start} is outside its range: it must be at least 0")
            elif start >= h:
                out.append(f"truce start day {start} is on or after the horizon ({h} days): it must be at least 0 "
                           "and before the horizon")
            elif days < 1:
                out.append(f"truce length {days} days is outside its range: it must be at least 1 day")
            elif start + days > h and not self.start_when:  # a conditional truce may run past it
                out.append(f"a {days}-day truce from day {start} ends on day {start + days}, after the horizon "
                           f"({h} days); shorten it or start it earlier")
        if _LABEL.fullmatch(self.name) and self.name != self.label:
            out.append(f"name {self.name!r} reads as a different policy; this one is labelled {self.label!r}: "
                       "rename it")
        return out


# --------------------------------------------------------------------------- claims
#: Metric names a claim may use (every per-run outcome and paired difference of the registry).
CLAIM_METRICS: dict[str, str] = _vars.claim_metrics()
PAIRED_METRICS = _vars.paired_metric_names()


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
            raise ValueError(f"unknown metric {self.metric!r}; use one of {', '.join(sorted(CLAIM_METRICS))} "
                             "(docs/scenarios.md lists them with their units)")
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
    mechanisms: Mechanisms = Field(default_factory=Mechanisms, description="Model-v2 switches (all off: v1)")
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
        problems = cross_field_problems(self)
        if problems:
            # every problem at once, each naming its field; format_validation_error lists them one by one
            raise PydanticCustomError("scenario_problems", "{text}", {"text": "; ".join(problems),
                                                                      "problems": problems})
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


def cross_field_problems(sc: "Scenario") -> list[str]:
    """Every problem that involves more than one field of a scenario whose fields are each valid, each
    naming its field: references between sections, mechanism switches and their sections, territory
    shares that do not sum to 1, policies, waves, ranges and durations, claims."""
    out: list[str] = []
    for name, sup in sc.supporters.items():
        if sup.supports not in sc.sides:
            out.append(f"supporters.{name}.supports: unknown side {sup.supports!r}; sides are {', '.join(sc.sides)}")
    names = [p.name for p in sc.policies]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        out.append(f"policies: duplicate names {', '.join(sorted(dup))}")
    for switch, group in (("ammunition_depth", "reserves"), ("defence", "defence"),
                          ("mobilised_quality", "seasoning"), ("supply_reach", "reach")):
        if getattr(sc.mechanisms, switch):
            missing = [n for n, side in sc.sides.items() if getattr(side, group) is None]
            if missing:
                out.append(f"mechanisms.{switch} is on, but sides {', '.join(missing)} have no `{group}` "
                           f"section; add one to every side or switch the mechanism off")
    if sc.mechanisms.force_to_space:
        if not sc.mechanisms.defence:
            out.append("mechanisms.force_to_space needs mechanisms.defence (it scales the defender's multiplier)")
        missing = [n for n, side in sc.sides.items()
                   if side.defence is None or side.defence.critical_density_personnel_per_km is None]
        if missing:
            out.append(f"mechanisms.force_to_space is on, but sides {', '.join(missing)} have no "
                       f"`defence.critical_density_personnel_per_km`; add it or switch the mechanism off")
    if sc.mechanisms.supply_reach and sc.combat.contested_area_km2 is None:
        out.append("mechanisms.supply_reach is on, but `combat.contested_area_km2` is missing: the depth beyond a "
                   "side's base is its territory share times that area, spread along the front")
    for n, side in sc.sides.items():
        if side.defence is not None and side.defence.tranches:
            total = sum(t.share.bounds()[1] for t in side.defence.tranches)
            if total > 1.0 + 1e-9:
                out.append(f"sides.{n}.defence.tranches: shares can add up to {total:g}, more than all of "
                           f"the contested territory (1)")
    out.extend(territory_problems(sc))
    for i, p in enumerate(sc.policies):
        problems = p.problems(sc.horizon_days, sc.supporters, sc.sides)  # the one check of a policy
        if problems:
            out.append(f"policies[{i}] ({p.name}): {'; '.join(problems)}")
    for name, side in sc.sides.items():
        for i, w in enumerate(side.manpower.waves):
            if w.day >= sc.horizon_days:
                out.append(f"sides.{name}.manpower.waves[{i}].day: day {w.day} is at or after the horizon "
                           f"({sc.horizon_days})")
    for path, param, _ in iter_sourced_values(sc):
        if param is not None:
            problem = range_error(path, param) or step_error(path, param)
            if problem:
                out.append(f"{path}: {problem}")
    for i, c in enumerate(sc.claims):
        if c.side and c.side not in sc.sides:
            out.append(f"claims[{i}] ({c.id}): unknown side {c.side!r}")
        if c.supporter and c.supporter not in sc.supporters:
            out.append(f"claims[{i}] ({c.id}): unknown supporter {c.supporter!r}")
    return out


#: How far from 1 the sides' fixed territory shares may sum (rounding in a YAML file).
TERRITORY_SUM_TOL = 1e-6


def territory_problems(sc: "Scenario") -> list[str]:
    """The sides' ``front.territory_share`` must split the contested territory: fixed shares that sum to
    1 (within :data:`TERRITORY_SUM_TOL`), or, when some are uncertain, bounds whose sums bracket 1 (the
    engine rescales each run's draws to sum to 1, which would otherwise hide a typing error)."""
    shares = {n: s.front.territory_share for n, s in sc.sides.items()}
    listed = " + ".join(f"{p.describe()} ({n})" for n, p in shares.items())
    if all(not p.is_uncertain for p in shares.values()):
        total = sum(p.bounds()[0] for p in shares.values())
        if abs(total - 1.0) > TERRITORY_SUM_TOL:
            return [f"sides.*.front.territory_share: the sides' shares of the contested territory sum to {total:g} "
                    f"({listed}), not 1; they split one territory between them"]
        return []
    low = sum(p.bounds()[0] for p in shares.values())
    high = sum(p.bounds()[1] for p in shares.values())
    if not low <= 1.0 + TERRITORY_SUM_TOL or not high >= 1.0 - TERRITORY_SUM_TOL:
        return [f"sides.*.front.territory_share: the sides' shares of the contested territory sum to between "
                f"{low:g} and {high:g} ({listed}), never 1; they split one territory between them"]
    return []


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
