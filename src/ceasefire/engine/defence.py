"""Defence (model v2): posture, prepared positions, geography, and the intensity an attack brings.

Sources of the forms (MODEL_NOTES, "Fire, defence and intensity"): Dupuy's posture factors
(*Numbers, Predictions and War*, 1979: a defender in hasty, prepared or fortified positions
multiplies its strength); Mearsheimer (1989), "Assessing the conventional balance: the 3:1
rule and its critics", *International Security* 13(4): an attacker needs a local superiority
that beats the defender's advantage; Biddle, *Military Power* (2004): a defender in depth is
hard to break. Values are the scenario's (``sides.*.defence``), each with its source.

Per-run functions (loops over one run's ``(S,)`` and ``(S, S)`` arrays) are compiled once and
called by the kernel and, through compiled loops over runs, by the NumPy reference path.
"""

from __future__ import annotations

import numpy as np

from ._jit import jit, jit_inline


@jit_inline
def posture_run(strength, allocation, attack_threshold_ratio, out):
    """Who attacks whom today in one run: ``out[i, j] = 1`` when *i* attacks *j*, else 0.

    Rule over the state: a side attacks an enemy it fires at when its effective strength
    is at least ``attack_threshold_ratio`` times the enemy's; otherwise it holds and defends.
    Units: indicator (0 or 1).
    """
    S = strength.shape[0]
    for i in range(S):
        for j in range(S):
            ratio = max(strength[i], 1e-12) / max(strength[j], 1e-12)
            out[i, j] = 1.0 if (i != j and allocation[i, j] > 0 and ratio >= attack_threshold_ratio[i]) else 0.0


def terrain_defensibility(territory_share, tranche_share, tranche_defensibility_ratio):
    """The defensibility of the ground where a side's front runs, given the share it holds.

    A side's holdings are listed from its core outward (``tranche_share[0]`` is the core,
    which falls last). While it holds no more than the core, the core's defensibility holds;
    while it holds no more than the first two tranches, the second's; and so on; beyond the
    listed tranches the ground is open (1). Claim: taking the last of a side's territory (its
    core, behind rivers, on a peninsula) is harder than taking the first. Units: ratio.
    """
    cumulative = 0.0
    for k in range(tranche_share.shape[0]):
        if tranche_share[k] <= 0.0:
            continue
        cumulative += tranche_share[k]
        if territory_share <= cumulative:
            return tranche_defensibility_ratio[k]
    return 1.0


_terrain = jit_inline(terrain_defensibility)


def defender_multiplier(hasty_defence_ratio, fortified_defence_ratio, fortification_share, terrain_ratio):
    """The defender's strength multiplier: posture factor times terrain.

    Dupuy (1979): hasty defence multiplies a defender's strength, fortified defence more;
    between them in proportion to the share of the front prepared (``fortification_share``),
    times the ground's defensibility (:func:`terrain_defensibility`). Units: ratio.
    """
    return (hasty_defence_ratio + (fortified_defence_ratio - hasty_defence_ratio) * fortification_share) * terrain_ratio


_multiplier = jit_inline(defender_multiplier)


@jit_inline
def multipliers_run(territory_share, fortification_share, hasty, fortified, tranche_share, tranche_def, out):
    """:func:`defender_multiplier` of each side of one run (tranches ``tranche_*[side, k]``). Units: ratio."""
    for j in range(territory_share.shape[0]):
        terrain = _terrain(territory_share[j], tranche_share[j], tranche_def[j])
        out[j] = _multiplier(hasty[j], fortified[j], fortification_share[j], terrain)


@jit_inline
def thin_line_run(deployed_personnel, front_length_km, critical_density_personnel_per_km, multiplier):
    """The defender's multiplier of each side of one run where its line is thin, in place (``mechanisms.force_to_space``).

    The ratio of force to space (Liddell Hart, "The Ratio of Troops to Space", 1960): a defender spread
    too thin to hold a continuous line cannot use its positions, since the attacker concentrates on the
    gaps and the 3:1 rule is a local one. Below the critical density the advantage of defence shrinks
    in proportion to the density: ``m' = 1 + (m - 1) min(1, (N / front_km) / critical)``; a side with no
    critical density (0) keeps ``m``. Units: ratio.
    """
    for j in range(multiplier.shape[0]):
        critical = critical_density_personnel_per_km[j]
        if critical > 0:
            density = max(deployed_personnel[j], 0.0) / front_length_km
            multiplier[j] = 1.0 + (multiplier[j] - 1.0) * min(1.0, density / critical)


@jit
def _thin_line_runs(deployed, front_km, critical, out):
    for r in range(deployed.shape[0]):
        thin_line_run(deployed[r], front_km[r], critical[r], out[r])


def thin_line(deployed_personnel, front_length_km, critical_density_personnel_per_km, multiplier) -> np.ndarray:
    """:func:`thin_line_run` for every run: a new ``(runs, S)`` array of multipliers."""
    f = lambda a: np.ascontiguousarray(a, dtype=float)  # noqa: E731
    out = np.array(multiplier, dtype=float, copy=True)
    _thin_line_runs(f(deployed_personnel), f(front_length_km), f(critical_density_personnel_per_km), out)
    return out


@jit_inline
def intensity_run(attacks, multiplier, attack_intensity_ratio, season_ratio, out):
    """How hard side *i*'s fire falls on side *j* today, relative to a quiet front: ``out[i, j]``.

    An attack raises the tempo of both sides' fire on that front (``attack_intensity_ratio``
    of the attacker); a defender in position loses less to the attacker's fire (divided by
    its multiplier: prepared positions protect) while the attacker, in the open, takes the
    defender's fire in full (the attacker/defender loss asymmetry). The season scales all
    fire. All ones in v1. Units: ratio.
    """
    S = multiplier.shape[0]
    for i in range(S):
        for j in range(S):
            x = season_ratio
            if attacks[i, j] > 0:
                x = x * attack_intensity_ratio[i]
                if attacks[j, i] <= 0:
                    x = x / multiplier[j]
            if attacks[j, i] > 0:
                x = x * attack_intensity_ratio[j]
            out[i, j] = x


def fortification_next(fortification_share, build_share_per_day, quiet, lost_territory_share, overrun_per_share):
    """A side's fortification one day later.

    On a quiet day (no enemy attacks it, or a truce) the unfortified part of its front is
    fortified at ``build_share_per_day`` (first order toward 1: ``phi' = phi + b (1 - phi)``, so
    ``phi(t) = 1 - (1 - phi0)(1 - b)**t``, see :func:`fortification_closed_form`); positions are
    lost in proportion to the territory lost (overrun: ``- overrun_per_share * lost``). Claim
    (MODEL_NOTES): prepared positions are a stock that grows while the front is quiet (and
    during a pause) and decays when overrun. Units: share.
    """
    grown = fortification_share + quiet * build_share_per_day * (1.0 - fortification_share)
    return np.minimum(np.maximum(grown - overrun_per_share * lost_territory_share, 0.0), 1.0)


def fortification_closed_form(fortification0_share, build_share_per_day, days):
    """The solution of :func:`fortification_next` on a front quiet for ``days``: ``1 - (1 - phi0)(1 - b)**t``."""
    return 1.0 - (1.0 - fortification0_share) * (1.0 - build_share_per_day) ** days


@jit
def _posture_runs(strength, allocation, thr, out):
    for r in range(strength.shape[0]):
        posture_run(strength[r], allocation[r], thr[r], out[r])


def posture(strength, allocation, attack_threshold_ratio) -> np.ndarray:
    """:func:`posture_run` for every run, shape ``(runs, S, S)``."""
    f = lambda a: np.ascontiguousarray(a, dtype=float)  # noqa: E731
    out = np.empty(np.shape(allocation))
    _posture_runs(f(strength), f(allocation), f(attack_threshold_ratio), out)
    return out


@jit
def _multipliers_runs(ter, fort, hasty, fortified, tshare, tdef, out):
    for r in range(ter.shape[0]):
        multipliers_run(ter[r], fort[r], hasty[r], fortified[r], tshare[r], tdef[r], out[r])


def multipliers(territory_share, fortification_share, hasty, fortified, tranche_share, tranche_def) -> np.ndarray:
    """:func:`multipliers_run` for every run; tranches as ``(runs, S, tranches)``. Shape ``(runs, S)``."""
    f = lambda a: np.ascontiguousarray(a, dtype=float)  # noqa: E731
    out = np.empty(np.shape(territory_share))
    _multipliers_runs(f(territory_share), f(fortification_share), f(hasty), f(fortified), f(tranche_share),
                      f(tranche_def), out)
    return out


@jit
def _intensity_runs(attacks, multiplier, attack_intensity, season, out):
    for r in range(attacks.shape[0]):
        intensity_run(attacks[r], multiplier[r], attack_intensity[r], season[r], out[r])


def intensity(attacks, multiplier, attack_intensity_ratio, season_ratio) -> np.ndarray:
    """:func:`intensity_run` for every run, shape ``(runs, S, S)``."""
    f = lambda a: np.ascontiguousarray(a, dtype=float)  # noqa: E731
    out = np.empty(np.shape(attacks))
    _intensity_runs(f(attacks), f(multiplier), f(attack_intensity_ratio), f(season_ratio), out)
    return out
