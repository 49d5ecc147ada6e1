"""The front: combat power and the share of contested territory each side holds."""

from __future__ import annotations

import numpy as np

from ._jit import jit, jit_inline


def combat_power(deployed_personnel: np.ndarray, quality: np.ndarray, readiness_share: np.ndarray, artillery_fire_share: np.ndarray) -> np.ndarray:
    """Combat power: troops x quality x ammunition readiness (artillery's share of the effect).

    The measure behind "who is stronger when the truce ends". Units: personnel-equivalents.
    """
    return quality * np.maximum(deployed_personnel, 0.0) * (1.0 - artillery_fire_share + artillery_fire_share * readiness_share)


@jit_inline
def power_share_run(power, out):
    """Each side's share of one run's total combat power; an even split if all are zero. Units: share."""
    total = 0.0
    for i in range(power.shape[0]):
        total += power[i]
    for i in range(power.shape[0]):
        out[i] = power[i] / total if total > 0 else 1.0 / power.shape[0]


@jit
def _power_share_runs(power, out):
    for r in range(power.shape[0]):
        power_share_run(power[r], out[r])


def power_share(power: np.ndarray) -> np.ndarray:
    """:func:`power_share_run` for every run, shape ``(runs, S)``."""
    pw = np.ascontiguousarray(power, dtype=float)
    out = np.empty(pw.shape)
    _power_share_runs(pw, out)
    return out


def advance_rate(ratio: np.ndarray, threshold_ratio: np.ndarray, saturation_ratio: np.ndarray, max_share_per_day: np.ndarray) -> np.ndarray:
    """Share of the contested territory an attacker takes per day at a force ratio.

    No advance below ``threshold_ratio``; the rate rises with the log of the ratio and
    saturates at ``max_share_per_day`` from ``saturation_ratio`` (MODEL_NOTES: advance
    rate depending on the combat-power ratio beyond a threshold; CDB90 advance rates
    rise with the force ratio). Units: share/day.
    """
    span = np.log(np.maximum(saturation_ratio, threshold_ratio * (1 + 1e-9)) / threshold_ratio)
    x = np.log(np.maximum(ratio, 1e-12) / threshold_ratio) / span
    return max_share_per_day * np.minimum(np.maximum(x, 0.0), 1.0)


_advance_rate = jit(advance_rate)  # the same rule, compiled for scalars


def reach_share(territory_share, base_territory_share, contested_area_km2, front_length_km, halving_depth_km):
    """Share of a side's strength that reaches its front line, given how far the front lies beyond its supply base.

    Boulding's loss-of-strength gradient (*Conflict and Defense*, 1962, ch. 12): a side's power falls with the
    distance from its base, so an advance culminates where the two sides' strengths at the front are equal
    (Clausewitz's culminating point of the attack). Russian logistics were reported in March 2022 to supply
    units fully only within 80-140 km of their own bases (FAZ, 14 March 2022), so the depth matters at the
    scale of the war's first advances. The depth is the ground held beyond the base spread along the front,
    ``max(territory - base, 0) x area / front`` [km]; the share reaching the front halves every
    ``halving_depth_km`` (an exponential gradient: positive at any depth, one parameter; Boulding's is linear).
    Inside its base a side keeps all its strength. Units: share (0-1].
    """
    depth_km = np.maximum(territory_share - base_territory_share, 0.0) * contested_area_km2 / front_length_km
    return np.exp(-0.6931471805599453 * depth_km / halving_depth_km)


_reach_share = jit(reach_share)  # the same rule, compiled for scalars


@jit_inline
def territory_flows_run(territory_share, strength, allocation, threshold_ratio, saturation_ratio, max_share_per_day,
                        noise, rate, out):
    """Net change of each side's territory share today in one run, ``out[i]``; sums to 0.

    Side *i* presses side *j* with the part of its strength aimed at *j* (``allocation``);
    the flow from *j* to *i* follows :func:`advance_rate` of the ratio of *i*'s to *j*'s
    strength, times a mean-one daily noise ``noise[i]`` (Slantchev's front as a random
    walk). A side never loses more than it holds. ``rate`` is an ``(S, S)`` scratch array.
    Units: share/day.
    """
    S = strength.shape[0]
    for i in range(S):
        for j in range(S):
            ratio = max(strength[i], 1e-12) / max(strength[j], 1e-12)
            if i == j or allocation[i, j] <= 0 or ratio <= threshold_ratio[i]:
                rate[i, j] = 0.0  # advance_rate is exactly 0 at or below the threshold
            else:
                rate[i, j] = _advance_rate(ratio, threshold_ratio[i], saturation_ratio[i], max_share_per_day[i]) * noise[i]
    net_flows_run(territory_share, rate, out)


@jit_inline
def net_flows_run(territory_share, rate, out):
    """Net territory change of each side from the flows ``rate[i, j]`` (share/day taken by *i* from *j*):
    what is taken from a side is scaled down so it never loses more than it holds. Units: share/day."""
    S = territory_share.shape[0]
    for j in range(S):
        taken = 0.0
        for i in range(S):
            taken += rate[i, j]
        if taken > territory_share[j]:
            scale = territory_share[j] / max(taken, 1e-300)
            for i in range(S):
                rate[i, j] *= scale
    for i in range(S):
        gain = 0.0
        lose = 0.0
        for j in range(S):
            gain += rate[i, j]
            lose += rate[j, i]
        out[i] = gain - lose


@jit_inline
def defended_flows_run(territory_share, strength, attacks, multiplier, threshold_ratio, saturation_ratio,
                       max_share_per_day, noise, rate, out):
    """Net territory change with defence (model v2), ``out[i]``; sums to 0.

    Side *i* takes ground from *j* only when it attacks *j* (:func:`~.defence.posture_run`)
    and its strength ratio beats *j*'s defender multiplier: the advance follows
    :func:`advance_rate` of ``ratio / multiplier[j]``, and nothing moves while
    ``ratio <= multiplier[j]`` (Mearsheimer's 3:1 rule as a multiplier to beat).
    Units: share/day.
    """
    S = strength.shape[0]
    for i in range(S):
        for j in range(S):
            ratio = max(strength[i], 1e-12) / max(strength[j], 1e-12)
            if attacks[i, j] <= 0 or ratio <= multiplier[j]:
                rate[i, j] = 0.0
            else:
                beyond = ratio / multiplier[j]
                if beyond <= threshold_ratio[i]:
                    rate[i, j] = 0.0
                else:
                    rate[i, j] = _advance_rate(beyond, threshold_ratio[i], saturation_ratio[i], max_share_per_day[i]) * noise[i]
    net_flows_run(territory_share, rate, out)


@jit
def _defended_flows_runs(territory, strength, attacks, multiplier, thr, sat, amax, noise, out):
    S = strength.shape[1]
    rate = np.empty((S, S))
    for r in range(strength.shape[0]):
        defended_flows_run(territory[r], strength[r], attacks[r], multiplier[r], thr[r], sat[r], amax[r], noise[r],
                           rate, out[r])


def defended_flows(territory_share, strength, attacks, multiplier, threshold_ratio, saturation_ratio,
                   max_share_per_day, noise) -> np.ndarray:
    """:func:`defended_flows_run` for every run of a chunk, shape ``(runs, S)``."""
    f = lambda a: np.ascontiguousarray(a, dtype=float)  # noqa: E731
    out = np.empty(np.shape(strength))
    _defended_flows_runs(f(territory_share), f(strength), f(attacks), f(multiplier), f(threshold_ratio),
                         f(saturation_ratio), f(max_share_per_day), f(noise), out)
    return out


@jit
def _territory_flows_runs(territory, strength, allocation, thr, sat, amax, noise, out):
    S = strength.shape[1]
    rate = np.empty((S, S))
    for r in range(strength.shape[0]):
        territory_flows_run(territory[r], strength[r], allocation[r], thr[r], sat[r], amax[r], noise[r], rate, out[r])


def territory_flows(territory_share, strength, allocation, threshold_ratio, saturation_ratio, max_share_per_day,
                    noise) -> np.ndarray:
    """:func:`territory_flows_run` for every run of a chunk, shape ``(runs, S)``."""
    f = lambda a: np.ascontiguousarray(a, dtype=float)  # noqa: E731
    out = np.empty(np.shape(strength))
    _territory_flows_runs(f(territory_share), f(strength), f(allocation), f(threshold_ratio), f(saturation_ratio),
                          f(max_share_per_day), f(noise), out)
    return out
