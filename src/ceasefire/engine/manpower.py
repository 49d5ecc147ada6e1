"""Manpower: an aging chain pool -> training -> deployed (Sterman 2000, ch. 12).

People are conserved: ``pool + training + deployed + recovering + killed +
wounded_out`` is constant over a run.
"""

from __future__ import annotations

import numpy as np


def mobilised(pool_personnel: np.ndarray, draw_per_day: np.ndarray, wave_personnel: np.ndarray | float) -> np.ndarray:
    """People called up today: the continuous draw plus any wave, never more than the pool.

    Claim (SOFREP): Russia "has yet to mobilize the 300,000 men it claimed to have
    mobilized since September": call-ups leave a finite pool for training.
    Units: personnel/day.
    """
    return np.minimum(np.maximum(pool_personnel, 0.0), draw_per_day + wave_personnel)


def graduates(training_personnel: np.ndarray, training_days: np.ndarray) -> np.ndarray:
    """Recruits finishing training today: a first-order delay of mean ``training_days``.

    Units: personnel/day.
    """
    return np.minimum(training_personnel, training_personnel / training_days)


def returned_wounded(recovering_personnel: np.ndarray, recovery_days: np.ndarray) -> np.ndarray:
    """Wounded returning to the front today, first order with mean ``recovery_days``. Units: personnel/day."""
    return np.minimum(recovering_personnel, recovering_personnel / recovery_days)


def split_casualties(casualties: np.ndarray, killed_share: np.ndarray, wounded_return_share: np.ndarray):
    """Split casualties into killed, wounded who will return, and wounded lost for good.

    Claim (SOFREP, Milley): "killed or wounded": casualties are killed plus wounded;
    some of the wounded come back. Returns ``(killed, returning, lost_wounded)`` in
    personnel/day; the three add up to ``casualties``.
    """
    killed = casualties * killed_share
    wounded = casualties - killed
    returning = wounded * wounded_return_share
    return killed, returning, wounded - returning


def seasoned_quality(quality_now, veteran_quality, new_quality_share, seasoning_days, staying_personnel,
                     graduates_personnel):
    """Average quality of the deployed force one day later (model v2: quality of the newly mobilised).

    Claim (MODEL_NOTES, Sterman 2000 ch. 12: "untrained troops count at a lower quality
    factor"; issue 12: quality rises with time in the field). Today's graduates join at
    ``new_quality_share`` of the side's ``veteran_quality``; the troops who stay (and returning
    wounded) keep the current average; then the average rises toward the veteran quality with
    time constant ``seasoning_days``. Without newcomers ``Q(t) = q - (q - Q0)(1 - 1/tau)**t``.
    Units: quality (the scenario's ``quality`` scale).
    """
    newcomers = np.minimum(np.maximum(graduates_personnel / np.maximum(staying_personnel + graduates_personnel, 1e-12),
                                      0.0), 1.0)  # share of today's deployed force who just arrived
    mixed = quality_now + (veteran_quality * new_quality_share - quality_now) * newcomers
    return mixed + (veteran_quality - mixed) / seasoning_days
