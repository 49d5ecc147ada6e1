"""Truces that hold or fail, resumption by choice, settlements and conditional starts (issue 13).

Small pure functions, written with NumPy element-wise operations only, so they take
arrays (the NumPy path advances every run at once) or scalars (so that ``numba.njit``
can compile them for the kernel, like :func:`.will.aid_stall_step`).

The regime of a run on a day is one of :data:`BEFORE` (the policy has not started:
fighting), :data:`IN_TRUCE` (a truce or a settlement holds: no combat, or limited
combat on a violation day) and :data:`RESUMED` (fighting resumed for good: the truce
ran out, collapsed, or a side chose to resume). Every transition is decided at the
start of a day from the state at the start of that day, so "the day a condition first
holds" is the first day whose starting state satisfies it.

Sources and populations of the base rates: ``docs/truce-durability.md`` (computed by
``benchmarks/ceasefire_base_rates.py`` from UCDP, Fortna and ETH/PRIO data). The
proportional-hazards form is the standard survival model of ceasefire durability
(Fortna 2003, "Scraps of paper?", *International Organization* 57(2), uses Weibull
proportional hazards; Werner & Yuen 2005, *International Organization* 59(2), Cox).
"""

from __future__ import annotations

import numpy as np

#: Regime codes (a float slot in the kernel's per-run state).
BEFORE, IN_TRUCE, RESUMED = 0.0, 1.0, 2.0


def breakdown_hazard_per_day(base_per_day, gain_share, gain_threshold_share, gain_per_share,
                             will_drop_share, will_drop_per_share, supporter_will_drop_share,
                             supporter_will_drop_per_share, agreement_ratio):
    """Daily hazard of a truce event (violation or collapse), proportional-hazards form.

    Claim (Powell 2006, "War as a commitment problem", *International Organization*
    60(1); Kofman: "it will benefit Russia the most, and then resume the war"): a truce is
    likelier to break when a side expects to gain by resuming; (Fortna 2003, 2004) it is
    less likely to break the stronger the agreement (monitoring, a demilitarised zone,
    third-party guarantees).

        h = base * agreement * exp(b_gain * max(gain - threshold, 0)
                                   + b_will * will_drop + b_sup * supporter_will_drop)

    ``gain_share``: the largest rise of any side's power share since the truce began
    [share]; ``will_drop_share``: the largest fall of any side's will since then (the
    enemy of the side that would resume) [share]; ``supporter_will_drop_share``: the
    largest fall of a supporter's will since then [share]; ``agreement_ratio``: the
    product of the agreement's hazard multipliers [ratio]. Units: events/day.
    """
    excess = np.maximum(gain_share - gain_threshold_share, 0.0)
    return base_per_day * agreement_ratio * np.exp(gain_per_share * excess + will_drop_per_share * will_drop_share
                                                   + supporter_will_drop_per_share * supporter_will_drop_share)


def event_today(hazard_per_day, u):
    """1.0 when an event with daily hazard ``hazard_per_day`` happens today, given its uniform ``u`` in (0, 1).

    The probability of an event in one day is ``1 - exp(-h)``, so with a constant hazard
    the number of days survived follows ``P(L > t) = exp(-h t)`` exactly (a discretised
    exponential). Units: indicator.
    """
    return (u < 1.0 - np.exp(-hazard_per_day)) * 1.0


def resume_rule_fires(share_now, share_at_start, gain_share, level_share):
    """1.0 on a day a side chooses to resume: its power share exceeds its share at the
    truce's start by more than ``gain_share``, or exceeds ``level_share`` (NaN or inf: that
    arm of the rule is off).

    Claim (Powell 2006; SOFREP: "the moment when Ukraine appears to have the upper hand
    ... is also when it can make the most gains"): a side that sees power shift its way
    cannot commit not to use it. Units: indicator.
    """
    by_gain = (share_now - share_at_start) > gain_share
    by_level = share_now > level_share
    return (by_gain | by_level) * 1.0


def compare_holds(value, op_greater, threshold):
    """1.0 when ``value > threshold`` (``op_greater`` = 1) or ``value < threshold`` (0). Units: indicator."""
    return ((op_greater > 0.5) * (value > threshold) + (op_greater <= 0.5) * (value < threshold)) * 1.0


def combat_factor(alive, regime, violation, violation_intensity_share):
    """Share of normal combat on a day: 1 fighting, 0 in a holding truce,
    ``violation_intensity_share`` on a violation day, 0 once the war is over.

    Claim (ETH/PRIO ceasefire data, Clayton et al. 2023: most ceasefires see
    violations short of collapse): a violation is limited combat; fire, strikes and the
    front are scaled by the same share. Units: share.
    """
    held = (regime == IN_TRUCE) * 1.0
    return alive * ((1.0 - held) + held * violation * violation_intensity_share)
