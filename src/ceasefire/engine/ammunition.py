"""Ammunition: production with a capacity ramp, logistics, fire, and depot losses.

Stock and flow (MODEL_NOTES): ``stock[t+1] = stock[t] + produced + received - fired
- destroyed`` holds exactly in every step; every flow is limited so the stock never
goes negative.
"""

from __future__ import annotations

import numpy as np


def capacity_next(capacity: np.ndarray, ceiling: np.ndarray, ramp_days: np.ndarray) -> np.ndarray:
    """Production capacity one day later: a first-order approach to the ceiling.

    Claim (CNN, Kofman): Russian factories moved "from two and at some factories to
    three shifts a day"; capacity grows toward what more shifts allow with time
    constant ``ramp_days``. Units: shells/day.
    """
    return capacity + (ceiling - capacity) / ramp_days


def delivery_capacity(base_shells_per_day: np.ndarray, haul_penalty_share: np.ndarray, adaptation_share: np.ndarray) -> np.ndarray:
    """Rounds the logistics can bring forward per day, after moving depots back.

    Claim (CNN, Dougherty): depots moved "outside of the 80-kilometer range" of
    HIMARS; longer hauls cost delivery capacity in proportion to how far the move
    has gone (``adaptation_share`` in [0, 1]). Units: shells/day.
    """
    return base_shells_per_day * (1.0 - haul_penalty_share * adaptation_share)


def shells_fired(desired: np.ndarray, available: np.ndarray, delivery: np.ndarray) -> np.ndarray:
    """``fired = min(desired, stock available, delivery capacity)`` (MODEL_NOTES). Units: shells/day."""
    return np.minimum(np.minimum(desired, np.maximum(available, 0.0)), delivery)


def exposed_share(initial_share: np.ndarray, adapted_share: np.ndarray, adaptation_share: np.ndarray) -> np.ndarray:
    """Share of the stock within reach of enemy deep strikes, moving from the initial
    to the adapted exposure as depots move out of range. Units: share."""
    return initial_share + (adapted_share - initial_share) * adaptation_share


def adaptation_next(adaptation_share: np.ndarray, adaptation_days: np.ndarray) -> np.ndarray:
    """Progress of moving depots out of reach: first order with time constant ``adaptation_days``."""
    return adaptation_share + (1.0 - adaptation_share) / adaptation_days


def depot_losses(stock_after_fire: np.ndarray, exposed: np.ndarray, strike_share_per_day: np.ndarray) -> np.ndarray:
    """Rounds destroyed in depots per day by enemy deep strikes.

    Claim (CNN, Le Monde via Andelman): "at least 52 Russian ammunition depots have
    been hit" out of "100-200"; deep strikes destroy a share of the *exposed* stock
    per day. Never more than the stock. Units: shells/day.
    """
    share = np.minimum(np.maximum(exposed * strike_share_per_day, 0.0), 1.0)
    return np.maximum(stock_after_fire, 0.0) * share


def ammunition_readiness(stock: np.ndarray, desired_per_day: np.ndarray, readiness_days: np.ndarray) -> np.ndarray:
    """How far the stock covers ``readiness_days`` of desired fire, in [0, 1]. Units: share."""
    need = np.maximum(desired_per_day * readiness_days, 1e-12)
    return np.minimum(np.maximum(stock / need, 0.0), 1.0)


def reserve_draw(reserve_shells: np.ndarray, throughput_shells_per_day: np.ndarray, target_front_shells: np.ndarray,
                 front_available_shells: np.ndarray) -> np.ndarray:
    """Rounds moved today from deep reserves to the front stock (model v2, ammunition in depth).

    Claim: old stockpiles sit in arsenals far from the front; what reaches the guns is limited
    by the depots' and railways' throughput, not by the size of the stockpile (MODEL_NOTES:
    "fired = min(desired, stock available, delivery capacity)", applied one echelon back).
    The depots top the front stock up toward ``target_front_shells`` (the side's working stock,
    ``readiness_days`` of desired fire), never faster than ``throughput_shells_per_day`` and
    never more than the reserve holds. Units: shells/day.
    """
    need = np.maximum(target_front_shells - front_available_shells, 0.0)
    return np.minimum(np.minimum(throughput_shells_per_day, np.maximum(reserve_shells, 0.0)), need)


def sustainable_fire(desired_per_day: np.ndarray, delivery_per_day: np.ndarray, stock_shells: np.ndarray,
                     readiness_days: np.ndarray, production_per_day: np.ndarray) -> np.ndarray:
    """Rounds per day a side could keep firing over ``readiness_days`` (model v2 readiness).

    Its stocks (front and deep) spread over ``readiness_days`` plus what its industry makes,
    limited by delivery and by what it wants to fire. No cap relative to its own desire: this
    rate is compared with the enemy's (:func:`fire_superiority_run`). Units: shells/day.
    """
    return np.minimum(np.minimum(desired_per_day, delivery_per_day),
                      np.maximum(stock_shells, 0.0) / readiness_days + np.maximum(production_per_day, 0.0))
