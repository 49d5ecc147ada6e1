"""Draw every run's parameters and arrange them as arrays for the engine.

Side parameters become arrays of shape ``(runs, sides)``, supporter parameters
``(runs, supporters)`` and global ones ``(runs,)``. A run's draw depends only on the
seed, the parameter's path and the run's global index (see :mod:`.random`), or on
the caller's ``unit_samples`` (a design from :mod:`ceasefire.explore`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError
from ..scenario import Scenario
from .combat import law_exponents
from .random import run_uniforms

SIDE_GROUPS = ("manpower", "ammunition", "strikes", "economy", "combat", "front", "will")


@dataclass
class ParameterArrays:
    """Sampled parameters of a chunk of runs."""

    run_index: np.ndarray
    side: dict[str, np.ndarray]  # "group.name" -> (runs, S)
    supporter: dict[str, np.ndarray]  # name -> (runs, P)
    p: np.ndarray  # (runs,)
    q: np.ndarray
    front_length_km: np.ndarray
    daily_noise_sd: np.ndarray
    contested_area_km2: np.ndarray | None = None  # (runs,); ones when the scenario gives none
    waves: dict[int, np.ndarray] = field(default_factory=dict)  # day -> (runs, S) personnel
    support_matrix: np.ndarray | None = None  # (P, S) one-hot: supporter -> supported side
    sampled: dict[str, np.ndarray] = field(default_factory=dict)  # uncertain path -> (runs,)
    season_slot: np.ndarray | None = None  # (horizon + 1,) season of each day; last slot = no season
    season_advance: np.ndarray | None = None  # (runs, seasons + 1) advance factor
    season_intensity: np.ndarray | None = None  # (runs, seasons + 1) casualty-intensity factor

    def __getitem__(self, key: str) -> np.ndarray:
        return self.side[key]


def draw(
    scenario: Scenario,
    run_index: np.ndarray,
    seed: int,
    unit_samples: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Values of every parameter path for the given runs: ``path -> (runs,)``."""
    runs = len(run_index)
    uncertain = [path for path, _ in scenario.uncertain_parameters()]
    if unit_samples is not None:
        unit_samples = np.asarray(unit_samples, dtype=float)
        if unit_samples.shape != (runs, len(uncertain)):
            raise InputError(
                f"unit_samples must have shape (runs, uncertain parameters) = ({runs}, {len(uncertain)}), "
                f"got {unit_samples.shape}"
            )
        if np.any((unit_samples < 0) | (unit_samples >= 1)) or not np.all(np.isfinite(unit_samples)):
            raise InputError("unit_samples must lie in [0, 1)")
    column = {path: j for j, path in enumerate(uncertain)}
    values: dict[str, np.ndarray] = {}
    for path, param in scenario.params():
        if not param.is_uncertain:
            values[path] = np.full(runs, param.nominal)
            continue
        u = unit_samples[:, column[path]] if unit_samples is not None else run_uniforms(seed, path, run_index)
        values[path] = param.ppf(u)
    return values


def arrange(scenario: Scenario, values: dict[str, np.ndarray], run_index: np.ndarray) -> ParameterArrays:
    """Arrange drawn values into the engine's arrays."""
    sides = scenario.side_names
    supporters = scenario.supporter_names
    runs = len(run_index)
    side: dict[str, np.ndarray] = {}
    first = scenario.sides[sides[0]]
    for group in SIDE_GROUPS:
        for name in type(getattr(first, group)).model_fields:
            if name == "waves":
                continue
            side[f"{group}.{name}"] = np.stack([values[f"sides.{s}.{group}.{name}"] for s in sides], axis=1)
    side.update(_optional_side_groups(scenario, values, runs))
    sup: dict[str, np.ndarray] = {}
    from ..scenario.schema import Supporter  # local: field list only

    for name, info in Supporter.model_fields.items():
        if name in ("label", "supports", "stall"):
            continue
        if supporters:
            sup[name] = np.stack([values[f"supporters.{s}.{name}"] for s in supporters], axis=1)
        else:
            sup[name] = np.zeros((runs, 0))
    for name, default in (("hazard_per_day", 0.0), ("mean_days", 1.0)):  # no stall section: never stalls
        cols = [values.get(f"supporters.{s}.stall.{name}", np.full(runs, default)) for s in supporters]
        sup[f"stall.{name}"] = np.stack(cols, axis=1) if supporters else np.zeros((runs, 0))
    law = scenario.combat
    if law.law == "bracken":
        p, q = values["combat.p"], values["combat.q"]
    elif law.law == "helmbold":
        w = values["combat.helmbold_weight"]
        p, q = w, 1.0 - w
    else:
        pe, qe = law_exponents(law.law)
        p, q = np.full(runs, pe), np.full(runs, qe)
    waves: dict[int, np.ndarray] = {}
    for j, s in enumerate(sides):
        for k, wave in enumerate(scenario.sides[s].manpower.waves):
            arr = waves.setdefault(wave.day, np.zeros((runs, len(sides))))
            arr[:, j] += values[f"sides.{s}.manpower.waves.{k}.personnel"]
    support_matrix = np.zeros((len(supporters), len(sides)))
    for i, s in enumerate(supporters):
        support_matrix[i, sides.index(scenario.supporters[s].supports)] = 1.0
    uncertain = {path: values[path] for path, _ in scenario.uncertain_parameters()}
    season_slot, season_advance, season_intensity = season_arrays(scenario, values, runs)
    return ParameterArrays(
        run_index=np.asarray(run_index),
        side=side,
        supporter=sup,
        p=np.asarray(p, float),
        q=np.asarray(q, float),
        front_length_km=values["combat.front_length_km"],
        daily_noise_sd=values["combat.daily_noise_sd"],
        contested_area_km2=values.get("combat.contested_area_km2", np.ones(runs)),
        waves=waves,
        support_matrix=support_matrix,
        sampled=uncertain,
        season_slot=season_slot,
        season_advance=season_advance,
        season_intensity=season_intensity,
    )


#: Model-v2 side groups that a scenario may leave out, with the neutral value each parameter takes then
#: (never read while the group's mechanism is off; the schema requires the group when it is on).
OPTIONAL_SIDE_DEFAULTS: dict[str, float] = {
    "reserves.reserve_shells_stock": 0.0, "reserves.reserve_draw_shells_per_day": 0.0,
    "reserves.shell_effect_ratio": 1.0,
    "defence.attack_threshold_ratio": 1.0, "defence.hasty_defence_ratio": 1.0, "defence.fortified_defence_ratio": 1.0,
    "defence.fortification_share": 0.0, "defence.fortification_build_share_per_day": 0.0,
    "defence.fortification_overrun_per_share": 0.0, "defence.attack_intensity_ratio": 1.0,
    "seasoning.initial_quality_share": 1.0, "seasoning.new_quality_share": 1.0, "seasoning.seasoning_days": 1.0,
    "reach.base_territory_share": 1.0, "reach.halving_depth_km": 1.0,
    "defence.critical_density_personnel_per_km": 0.0,
}
MAX_TRANCHES = 4
for _k in range(MAX_TRANCHES):
    OPTIONAL_SIDE_DEFAULTS[f"defence.tranche{_k}_share"] = 0.0
    OPTIONAL_SIDE_DEFAULTS[f"defence.tranche{_k}_defensibility_ratio"] = 1.0


def _optional_side_groups(scenario: Scenario, values: dict[str, np.ndarray], runs: int) -> dict[str, np.ndarray]:
    """``(runs, S)`` arrays of the optional v2 side groups (``reserves``, ``defence`` and its tranches)."""
    out = {}
    for key, default in OPTIONAL_SIDE_DEFAULTS.items():
        group, name = key.split(".")
        cols = []
        for s in scenario.side_names:
            if name.startswith("tranche"):
                k, field_name = int(name[7]), name.split("_", 1)[1]
                path = f"sides.{s}.defence.tranches.{k}.{field_name}"
            else:
                path = f"sides.{s}.{key}"
            cols.append(values[path] if path in values else np.full(runs, default))
        out[key] = np.stack(cols, axis=1)
    return out


def season_arrays(scenario: Scenario, values: dict[str, np.ndarray], runs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Seasons as a day -> season slot map (``-1``: no season that day) and each run's factors.

    Day ``t`` falls on ``start_date + t``; its calendar month picks the season. Returns
    ``(slot (horizon,), advance_ratio (runs, seasons + 1), intensity_ratio (runs, seasons + 1))``;
    the last column is 1 (no season), so every day has a factor.
    """
    import datetime as dt

    seasons = scenario.mechanisms.seasons
    month_slot = {m: k for k, s in enumerate(seasons) for m in s.months}
    start = scenario.start_date
    slot = np.array([month_slot.get((start + dt.timedelta(days=t)).month, len(seasons))
                     for t in range(scenario.horizon_days + 1)], dtype=np.int64)
    adv = np.ones((runs, len(seasons) + 1))
    inten = np.ones((runs, len(seasons) + 1))
    for k in range(len(seasons)):
        adv[:, k] = values[f"mechanisms.seasons.{k}.advance_ratio"]
        inten[:, k] = values[f"mechanisms.seasons.{k}.intensity_ratio"]
    return slot, adv, inten


def sample(
    scenario: Scenario, run_index: np.ndarray, seed: int, unit_samples: np.ndarray | None = None
) -> ParameterArrays:
    """Draw and arrange the parameters of the given runs."""
    return arrange(scenario, draw(scenario, run_index, seed, unit_samples), run_index)

