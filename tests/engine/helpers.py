"""Build small scenarios for engine tests by editing the Kherson scenario's data."""

from __future__ import annotations

import copy

import yaml

from ceasefire.scenario import scenario_from_dict

from ..conftest import KHERSON

ASSUME = {"assumption": "test value"}


def kherson_data() -> dict:
    return yaml.safe_load(KHERSON.read_text())


def fixed(value: float) -> dict:
    return {"value": float(value), "source": ASSUME}


def set_path(data: dict, path: str, value) -> None:
    keys = path.split(".")
    node = data
    for k in keys[:-1]:
        node = node[int(k)] if isinstance(node, list) else node[k]
    last = keys[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def all_fixed(data: dict) -> dict:
    """Replace every distribution by a fixed value at its nominal value (deterministic runs)."""
    from ceasefire.scenario import load_scenario

    sc = load_scenario(KHERSON)
    data = copy.deepcopy(data)
    for path, p in sc.params():
        set_path(data, path, fixed(p.nominal))
    return data


def pure_lanchester(law: str, r0: float, b0: float, k_on_r: float, k_on_b: float, front_km: float = 1.0,
                    horizon: int = 400) -> dict:
    """Two sides, combat only: no production, aid, mobilisation, strikes, noise, breakpoints.

    ``k_on_r``: R's losses per day per unit of B's strength (square: dR/dt = -k_on_r B;
    linear: dR/dt = -k_on_r B R / front). The scenario states the calibration point
    ``casualties_inflicted_per_day`` that gives these coefficients.
    """
    data = all_fixed(kherson_data())
    data["horizon_days"] = horizon
    data["mechanisms"] = {}  # v1's mechanisms: the closed forms are those of the plain law
    data["supporters"] = {}
    data["policies"] = []
    data["claims"] = []
    p, q = {"square": (1.0, 0.0), "linear": (1.0, 1.0)}[law]
    data["combat"] = {"law": law, "front_length_km": fixed(front_km), "daily_noise_sd": fixed(0.0)}
    names = {"ukraine": ("R", r0, b0, k_on_r), "russia": ("B", b0, r0, k_on_b)}
    for side, (_, own, enemy, k_on_self) in names.items():
        s = data["sides"][side]
        zero = ["manpower.training_personnel", "manpower.pool_personnel", "manpower.mobilisation_personnel_per_day",
                "ammunition.production_shells_per_day", "ammunition.production_ceiling_shells_per_day",
                "ammunition.imports_shells_per_day", "ammunition.artillery_fire_share",
                "strikes.depot_strike_share_per_day", "strikes.strike_weapons_stock",
                "strikes.strike_weapons_production_per_day", "strikes.strike_weapons_imports_per_day",
                "strikes.strike_weapons_desired_per_day", "will.collapse_will_share", "will.breakpoint_share",
                "manpower.wounded_return_share"]
        for path in zero:
            set_path(s, path, fixed(0.0))
        s["manpower"]["waves"] = []
        set_path(s, "manpower.deployed_personnel", fixed(own))
        set_path(s, "manpower.quality", fixed(1.0))
        s["front"]["advance_share_per_day_max"] = fixed(0.0)
    # casualties inflicted by the enemy of X at the start = k_on_X * enemy_strength^p * (X/front)^q
    for side, other in (("ukraine", "russia"), ("russia", "ukraine")):
        _, own, enemy, k_on_self = names[side]
        inflicted_on_self = k_on_self * enemy ** p * (own / front_km) ** q
        set_path(data["sides"][other], "combat.casualties_inflicted_per_day", fixed(inflicted_on_self))
    return data


def assert_paths_agree(scenario, policy, **kw):
    """Run ``scenario`` under ``policy`` on the compiled kernel and on the NumPy reference path with the same
    arguments; every trajectory and outcome agrees to 1e-7 (relative) / 1e-6 (absolute). Returns the kernel's
    results, for further checks."""
    import numpy as np

    from ceasefire.engine import simulate

    a = simulate(scenario, policy, backend="numba", **kw)
    b = simulate(scenario, policy, backend="numpy", **kw)
    for name in a.trajectories.data_vars:
        np.testing.assert_allclose(a.trajectories[name].values, b.trajectories[name].values, rtol=1e-7, atol=1e-6,
                                   err_msg=name)
    for name in a.outcomes.data_vars:
        np.testing.assert_allclose(a.outcomes[name].values.astype(float), b.outcomes[name].values.astype(float),
                                   rtol=1e-7, atol=1e-6, err_msg=name)
    return a


def kernel_policies():
    """The two policies the kernel-against-NumPy checks run: fight on, and a truce from day 20 for 120 days
    with half the aid (a regime change inside the horizon)."""
    from ceasefire.scenario import Policy

    return [Policy(name="fight_on"), Policy(name="t", kind="truce", start_day=20, days=120, aid_level=0.5)]


def assert_day0_calibrated(data: dict) -> None:
    """With noise off, each side's casualties on day 0 equal the observed rate the other side inflicts
    (``combat.casualties_inflicted_per_day``), whatever mechanisms ``data`` switches on."""
    import numpy as np

    from ceasefire.engine import simulate
    from ceasefire.scenario import Policy

    data["combat"]["daily_noise_sd"] = fixed(0.0)
    sc = build(data)
    tr = simulate(sc, Policy(name="fight_on"), runs=1, seed=0, record_every_days=1, dtype=np.float64).trajectories
    day0 = tr["casualties_per_day"].isel(day=0, run=0)
    inflicted = {s: sc.param(f"sides.{s}.combat.casualties_inflicted_per_day").nominal for s in sc.side_names}
    np.testing.assert_allclose(float(day0.sel(side="ukraine")), inflicted["russia"], rtol=1e-9)
    np.testing.assert_allclose(float(day0.sel(side="russia")), inflicted["ukraine"], rtol=1e-9)


def build(data: dict):
    return scenario_from_dict(copy.deepcopy(data), "test scenario")


V2_SIDE = {
    "reserves": {"reserve_shells_stock": 3.0e6, "reserve_draw_shells_per_day": 15000.0, "shell_effect_ratio": 1.0},
    "defence": {"attack_threshold_ratio": 1.2, "hasty_defence_ratio": 1.3, "fortified_defence_ratio": 1.6,
                "fortification_share": 0.2, "fortification_build_share_per_day": 0.01,
                "fortification_overrun_per_share": 5.0, "attack_intensity_ratio": 1.5},
}


def with_v2(data: dict, seasons: bool = True, tranches: bool = True) -> dict:
    """The scenario data with every model-v2 mechanism on and fixed test values on every side."""
    data = copy.deepcopy(data)
    for name, side in data["sides"].items():
        for group, values in V2_SIDE.items():
            side[group] = {k: fixed(v) for k, v in values.items()}
        if tranches:
            side["defence"]["tranches"] = [{"share": fixed(0.05), "defensibility_ratio": fixed(2.0)},
                                           {"share": fixed(0.07), "defensibility_ratio": fixed(1.4)}]
    data["mechanisms"] = {"fire_vs_enemy": True, "ammunition_depth": True, "defence": True, "seasons": [],
                          "aid_stalls": True, "mobilised_quality": True}
    for side in data["sides"].values():
        side["seasoning"] = {"initial_quality_share": fixed(0.9), "new_quality_share": fixed(0.6),
                             "seasoning_days": fixed(120.0)}
    for name, sup in data["supporters"].items():
        sup["stall"] = {"hazard_per_day": fixed(0.05), "mean_days": fixed(30.0)}
    if seasons:
        data["mechanisms"]["seasons"] = [
            {"name": "autumn_mud", "months": [10, 11], "advance_ratio": fixed(0.5), "intensity_ratio": fixed(0.8)},
            {"name": "winter", "months": [12, 1, 2], "advance_ratio": fixed(0.8), "intensity_ratio": fixed(0.9)},
            {"name": "spring_mud", "months": [3, 4], "advance_ratio": fixed(0.5), "intensity_ratio": fixed(0.8)},
        ]
    return data
