"""Political will: of the belligerents, and of their outside supporters."""

from __future__ import annotations

import numpy as np


def side_will(will0_share: np.ndarray, casualty_sensitivity_share: np.ndarray, casualties_cumulative: np.ndarray,
              casualty_reference_personnel: np.ndarray, success_gain_per_share: np.ndarray,
              territory_gain_share: np.ndarray) -> np.ndarray:
    """A side's will to fight, in [0, 1].

    Mueller (1973), *War, Presidents and Public Opinion*: support falls with the
    logarithm of cumulative casualties; it rises with visible success (territory
    gained since the start). Units: share.
    """
    mueller = casualty_sensitivity_share * np.log1p(casualties_cumulative / casualty_reference_personnel)
    return np.minimum(np.maximum(will0_share - mueller + success_gain_per_share * territory_gain_share, 0.0), 1.0)


def supporter_will_next(will: np.ndarray, decay_per_day: np.ndarray, cost_sensitivity_per_day: np.ndarray,
                        aid_fraction_share: np.ndarray, success_gain_per_share: np.ndarray,
                        supported_territory_change_share: np.ndarray, fatigue_factor: np.ndarray | float) -> np.ndarray:
    """A supporter's will one day later, in [0, 1].

    Claim (CNN, Dougherty): "over time, NATO, Western allies and Ukrainians will not
    want to continue such deals"; "Russia will just wait". Will decays with the
    war's duration (``decay_per_day``) and with the cost borne (aid given, relative to
    the maximum), and moves with the supported side's gains and losses of ground.
    ``fatigue_factor`` is 0 when a policy switches fatigue off. Units: share.
    """
    loss = fatigue_factor * (decay_per_day + cost_sensitivity_per_day * aid_fraction_share) * will
    return np.minimum(np.maximum(will - loss + success_gain_per_share * supported_territory_change_share, 0.0), 1.0)


def supporter_will_truce_next(will: np.ndarray, truce_decay_per_day: np.ndarray, fatigue_factor: np.ndarray | float) -> np.ndarray:
    """A supporter's will one day later during a truce: attention fades at its own rate.

    Claim (CNN, Andelman): "if the war resumes in a few months or years, the real
    question will be whether the US and its allies will be ready to return to a
    conflict that many are beginning to wish has already ended". Units: share.
    """
    return np.minimum(np.maximum(will * (1.0 - fatigue_factor * truce_decay_per_day), 0.0), 1.0)


def aid_delivered(will: np.ndarray, aid_level: float, aid_max_per_day: np.ndarray, stock: np.ndarray,
                  production_per_day: np.ndarray, floor: np.ndarray) -> np.ndarray:
    """Rounds a supporter hands over today: will x aid level x maximum, but never from
    below its own reserve floor (aid draws down the supporter's arsenal). Units: shells/day."""
    available = np.maximum(stock + production_per_day - floor, 0.0)
    return np.minimum(will * aid_level * aid_max_per_day, available)


def aid_stall_step(days_left: np.ndarray, will: np.ndarray, hazard_per_day: np.ndarray, mean_days: np.ndarray,
                   u_start: np.ndarray, u_length: np.ndarray):
    """Aid as politics (model v2): a supporter's aid stalls and resumes as random political events.

    Claim (CNN, Dougherty): "how long will the commitment to the fight last?"; a vote or a
    budget fight can hold aid up for weeks and then let it go again, beside the smooth
    fatigue of :func:`supporter_will_next`. A supporter that is not stalled starts a stall today
    with probability ``hazard_per_day * (1 - will)`` (rising as will falls; ``u_start`` is its
    uniform); the stall lasts ``ceil(-mean_days ln u_length)`` days (exponential, at least one).
    Returns ``(stalled today: 1 or 0, days left after today)``. Units: indicator, days.
    """
    starts = (days_left <= 0) * (u_start < hazard_per_day * (1.0 - will))
    length = np.maximum(np.ceil(-mean_days * np.log(u_length)), 1.0)
    left = days_left + starts * length
    stalled = (left > 0) * 1.0
    return stalled, np.maximum(left - 1.0, 0.0)
