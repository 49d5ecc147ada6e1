"""``ceasefire new``: a commented starter scenario that validates and runs at once.

Every value is present, as a wide range around a generic starting value, with the
source ``assumption: "default; replace with a source ..."`` (:data:`DEFAULT_MARK`), so
``ceasefire validate --strict`` can list every value still on a default. The two sides
start identical (an even split of the territory), so nothing in the template favours
either; the mechanisms a simple war does not need are off: the model-v2 switches
(``mechanisms``, all false), long-range strikes on energy (all zero: a side with none),
and outside supporters unless ``--supporter`` names them.

The starting values are round numbers of the order of a mid-sized land war (a
hundred thousand troops a side, a few thousand shells a day); they are not taken from any
document and are no estimate of any war. Units are in the field names and in the
comment above each value.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Iterable

from ..errors import InputError
from .schema import (
    Ammunition,
    Combat,
    CombatLaw,
    Economy,
    Front,
    Manpower,
    Strikes,
    Supporter,
    Will,
)

#: The start of every default's assumption text: what ``validate --strict`` looks for.
DEFAULT_MARK = "default; replace with a source"
DEFAULT_REASON = DEFAULT_MARK
OFF_REASON = f"{DEFAULT_MARK} (off: no long-range strikes)"
SPLIT_REASON = f"{DEFAULT_MARK} (an even split; the shares sum to 1)"

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

#: Generic starting values (value, low, high) per section and field; ``low == high`` is a fixed value.
SIDE_DEFAULTS: dict[str, dict[str, tuple[float, float, float]]] = {
    "manpower": {
        "deployed_personnel": (100_000, 50_000, 150_000),
        "training_personnel": (20_000, 10_000, 30_000),
        "pool_personnel": (500_000, 250_000, 750_000),
        "mobilisation_personnel_per_day": (200, 100, 300),
        "training_days": (60, 30, 90),
        "killed_share": (0.25, 0.15, 0.35),
        "wounded_return_share": (0.4, 0.2, 0.6),
        "recovery_days": (60, 30, 90),
        "quality": (1.0, 0.8, 1.2),
    },
    "ammunition": {
        "shells_stock": (300_000, 150_000, 450_000),
        "shells_desired_per_day": (3_000, 1_500, 4_500),
        "production_shells_per_day": (500, 250, 750),
        "production_ceiling_shells_per_day": (1_500, 750, 2_250),
        "production_ramp_days": (360, 180, 540),
        "imports_shells_per_day": (200, 0, 400),
        "delivery_capacity_shells_per_day": (6_000, 3_000, 9_000),
        "depot_exposed_share": (0.2, 0.1, 0.3),
        "depot_exposed_share_adapted": (0.1, 0.05, 0.15),
        "depot_adaptation_days": (120, 60, 180),
        "haul_penalty_share": (0.05, 0.0, 0.1),
        "artillery_fire_share": (0.6, 0.4, 0.8),
        "readiness_days": (60, 30, 90),
    },
    "strikes": {  # off: a side with no long-range strikes (depot strikes are ammunition, kept small)
        "depot_strike_share_per_day": (0.001, 0.0005, 0.0015),
        "strike_weapons_stock": (0, 0, 0),
        "strike_weapons_production_per_day": (0, 0, 0),
        "strike_weapons_imports_per_day": (0, 0, 0),
        "strike_weapons_desired_per_day": (0, 0, 0),
        "energy_damage_share_per_weapon": (0, 0, 0),
    },
    "economy": {
        "gdp_index": (0.9, 0.8, 1.0),
        "gdp_loss_share_at_war": (0.1, 0.05, 0.2),
        "gdp_energy_elasticity": (0.2, 0.1, 0.3),
        "gdp_adjust_days": (180, 90, 270),
        "energy_capacity_share": (0.9, 0.8, 1.0),
        "energy_repair_share_per_day": (0.01, 0.005, 0.015),
        "population_at_risk_persons": (1_000_000, 500_000, 1_500_000),
        "displacement_threshold_share": (0.5, 0.4, 0.6),
        "displacement_days": (40, 20, 60),
    },
    "combat": {
        "casualties_inflicted_per_day": (300, 150, 450),
    },
    "front": {
        "territory_share": (0.5, 0.5, 0.5),
        "advance_threshold_ratio": (1.1, 1.0, 1.2),
        "advance_saturation_ratio": (3.0, 2.0, 4.0),
        "advance_share_per_day_max": (0.0005, 0.00025, 0.00075),
    },
    "will": {
        "will_share": (0.8, 0.6, 1.0),
        "casualty_sensitivity_share": (0.05, 0.025, 0.075),
        "casualty_reference_personnel": (50_000, 25_000, 75_000),
        "success_gain_per_share": (1.0, 0.5, 1.5),
        "collapse_will_share": (0.2, 0.1, 0.3),
        "breakpoint_share": (0.3, 0.2, 0.4),
    },
}

SUPPORTER_DEFAULTS: dict[str, tuple[float, float, float]] = {
    "will_share": (0.8, 0.6, 1.0),
    "will_decay_per_day": (0.001, 0.0005, 0.0015),
    "will_cost_sensitivity_per_day": (0.0005, 0.0, 0.001),
    "will_success_gain_per_share": (2.0, 1.0, 3.0),
    "will_truce_decay_per_day": (0.002, 0.001, 0.003),
    "will_resumption_factor": (0.9, 0.7, 1.1),
    "shells_stock": (1_000_000, 500_000, 1_500_000),
    "shells_production_per_day": (1_000, 500, 1_500),
    "arsenal_floor_shells": (500_000, 250_000, 750_000),
    "aid_shells_per_day_max": (2_000, 1_000, 3_000),
    "aid_strike_weapons_per_day_max": (0, 0, 0),
    "gdp_support_share_max": (0.05, 0.025, 0.075),
}

COMBAT_DEFAULTS: dict[str, tuple[float, float, float]] = {
    "p": (0.5, 0.2, 0.8),
    "q": (0.5, 0.2, 0.8),
    "front_length_km": (500, 250, 750),
    "daily_noise_sd": (0.2, 0.2, 0.2),
}

SECTION_MODELS = {"manpower": Manpower, "ammunition": Ammunition, "strikes": Strikes, "economy": Economy,
                  "combat": Combat, "front": Front, "will": Will}


def _value(name: str, v: tuple[float, float, float], section: str = "") -> dict:
    value, low, high = v
    reason = DEFAULT_REASON
    if section == "strikes" and value == 0 or name == "aid_strike_weapons_per_day_max":
        reason = OFF_REASON
    if name == "territory_share":
        reason = SPLIT_REASON
    if low == high:
        return {"value": value, "source": {"assumption": reason}}
    return {"dist": "uniform", "low": low, "high": high, "source": {"assumption": reason}}


def _check_name(name: str, what: str) -> str:
    if not _NAME.match(name):
        raise InputError(f"{what} {name!r} must start with a lower-case letter and hold only lower-case letters, "
                         "digits and _ (it is a key of the scenario file).")
    return name


def parse_supporters(texts: Iterable[str], sides: list[str]) -> dict[str, str]:
    """``S:A`` options (supporter S backs side A) as ``{S: A}``, each checked."""
    out: dict[str, str] = {}
    for text in texts:
        name, sep, side = (t.strip() for t in text.partition(":"))
        if not sep or not name or not side:
            raise InputError(f"--supporter {text!r}: write SUPPORTER:SIDE, e.g. west:{sides[0]}.")
        _check_name(name, "--supporter name")
        if side not in sides:
            raise InputError(f"--supporter {text!r}: {side!r} is not one of the sides ({', '.join(sides)}).")
        if name in out or name in sides:
            raise InputError(f"--supporter {text!r}: the name {name!r} is already used.")
        out[name] = side
    return out


def starter_data(name: str, sides: list[str], supporters: dict[str, str], *, start_date: dt.date,
                 horizon_days: int) -> dict:
    """The starter scenario as a mapping (what :func:`starter_yaml` writes, without the comments)."""
    if not name.strip() or name.startswith("."):
        raise InputError(f"scenario name {name!r}: give a file name such as my_war.yaml.")
    if len(sides) != 2:
        raise InputError(f"--sides needs two side names separated by a comma, e.g. --sides north,south; got "
                         f"{len(sides)}.")
    for s in sides:
        _check_name(s, "side name")
    if len(set(sides)) != len(sides):
        raise InputError(f"--sides {','.join(sides)}: the two sides need different names.")
    if not 60 <= horizon_days <= 3650:
        raise InputError(f"--horizon-days must be between 60 and 3650, got {horizon_days}.")
    side_data = {}
    for s in sides:
        side_data[s] = {"label": s.replace("_", " ").title()}
        for section, fields in SIDE_DEFAULTS.items():
            side_data[s][section] = {k: _value(k, v, section) for k, v in fields.items()}
    truce_days = min(90, horizon_days // 2)
    return {
        "name": name,
        "title": f"{name.replace('_', ' ').replace('-', ' ').capitalize()} (starter scenario: every value a default)",
        "description": "Written by `ceasefire new`. Replace each default with a sourced value; "
                       "`ceasefire validate --strict` lists those left.",
        "start_date": start_date.isoformat(),
        "horizon_days": horizon_days,
        "documents": {},
        "combat": {"law": "bracken", **{k: _value(k, v) for k, v in COMBAT_DEFAULTS.items()}},
        "sides": side_data,
        "supporters": {sup: {"label": sup.replace("_", " ").title(), "supports": side,
                             **{k: _value(k, v) for k, v in SUPPORTER_DEFAULTS.items()}}
                       for sup, side in supporters.items()},
        "mechanisms": {"fire_vs_enemy": False, "ammunition_depth": False, "defence": False, "seasons": [],
                       "aid_stalls": False, "mobilised_quality": False, "supply_reach": False,
                       "force_to_space": False},
        "policies": [{"name": "fight_on", "kind": "fight_on"},
                     {"name": f"truce_{truce_days}d_now", "kind": "truce", "start_day": 0, "days": truce_days}],
        "claims": [],
    }


def _description(model, field: str) -> str:
    info = model.model_fields.get(field)
    return info.description if info is not None and info.description else ""


def _flow(value) -> str:
    """A value on one line, in YAML's flow style: keys bare, numbers as written, text quoted."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9_]*", value) and value not in ("true", "false",
                                                                                            "null", "yes", "no"):
        return value
    return json.dumps(value, ensure_ascii=False)


def starter_yaml(data: dict) -> str:
    """The starter mapping as commented YAML: each value under a comment saying what it is, in what unit."""
    from .schema import Mechanisms

    out = [
        f"# {data['title']}",
        "# Written by `ceasefire new`. Every number below is a generic default, not from any source:",
        "#   source: {assumption: \"" + DEFAULT_MARK + "\"}",
        "# Replace each with a sourced value (a document and its exact words, another public source named",
        "# precisely, or an assumption with its reason). `ceasefire validate --strict` lists the defaults left;",
        "# `ceasefire schema` gives every field. Distributions: uniform, triangular, normal, lognormal, fixed.",
        "",
    ]
    for key in ("name", "title", "description", "start_date", "horizon_days"):
        desc = {"start_date": "the day the scenario starts (ISO date)", "horizon_days": "days simulated"}.get(key)
        if desc:
            out.append(f"# {desc}")
        out.append(f"{key}: {_flow(data[key])}")
    out += ["", "# documents the sources cite: id -> {title, publisher, date, url, file}", "documents: {}", ""]
    out += ["# the attrition law: losses = k S^p (T / front)^q (Bracken 1995)", "combat:",
            f"  law: {data['combat']['law']}"]
    for k, v in data["combat"].items():
        if k == "law":
            continue
        out += [f"  # {_description(CombatLaw, k)}", f"  {k}: {_flow(v)}"]
    out += ["", "sides:"]
    for s, side in data["sides"].items():
        out += [f"  {s}:", f"    label: {_flow(side['label'])}"]
        for section, model in SECTION_MODELS.items():
            doc = (model.__doc__ or "").strip().splitlines()[0]
            out.append(f"    # {doc}")
            out.append(f"    {section}:")
            for k, v in side[section].items():
                out += [f"      # {_description(model, k)}", f"      {k}: {_flow(v)}"]
    if data["supporters"]:
        out += ["", "# outside supporters: aid in shells (and strike weapons) while their will lasts", "supporters:"]
        for sup, d in data["supporters"].items():
            out += [f"  {sup}:", f"    label: {_flow(d['label'])}", f"    supports: {d['supports']}"]
            for k, v in d.items():
                if k in ("label", "supports"):
                    continue
                out += [f"    # {_description(Supporter, k)}", f"    {k}: {_flow(v)}"]
    else:
        out += ["", "# outside supporters: none (`ceasefire new ... --supporter NAME:SIDE` adds one)", "supporters: {}"]
    out += ["", "# model-v2 mechanisms, all off (each needs its own section on every side; see docs)", "mechanisms:"]
    for k, v in data["mechanisms"].items():
        out += [f"  # {_description(Mechanisms, k)}", f"  {k}: {_flow(v)}"]
    out += ["", "# the policies `ceasefire compare` compares (truce: start_day and days)", "policies:"]
    for p in data["policies"]:
        out.append("  - " + _flow(p))
    out += ["", "# claims from the articles, as propositions the model can test (see docs/scenarios.md)", "claims: []",
            ""]
    return "\n".join(out)
