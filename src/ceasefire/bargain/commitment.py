"""Commitment problems: war (or war's resumption) driven by a shift in power.

Fearon (1995), *International Organization* 49(3), section "Commitment problems"
(preventive war); Powell, R. (2006). "War as a commitment problem",
*International Organization* 60(1): 169-203.

Model (one shift, infinite horizon; the form is Powell's, written out here):
a pie of 1 per period is divided every period; the discount factor per period is
``delta``. Fighting ends the game: side D (the side whose war prospects *decline*)
wins the whole future with probability ``p_t`` and pays a cost ``c_D`` per period
of the future (likewise ``c_R`` for the rising side R), so D's war value at ``t`` is
``(p_t - c_D) / (1 - delta)``. Power is ``p0`` now and ``p1 < p0`` from the next period
on (a truce that lets R rearm is such a shift: Kofman's claim in the CNN seed).

From period 1 on, R can credibly promise D at most D's period-1 war value plus R's
cost, ``(p1 + c_R)/(1 - delta)`` (any more and R would rather fight). So the most D
can get from peace is ``1 + delta (p1 + c_R)/(1 - delta)``: all of today's pie plus the
most credible promise. D fights now iff its war value exceeds that::

    (p0 - c_D)/(1 - delta) > 1 + delta (p1 + c_R)/(1 - delta)
    <=>  delta (p0 - p1) > (1 - delta)(1 - p0) + c_D + delta c_R

(with ``c_R`` capped at ``1 - p1``: no promise exceeds the whole pie),
i.e. the discounted shift exceeds the cost of war (plus what today's whole pie adds
beyond D's war share). For short periods (``delta -> 1``) the condition is Powell's
"the shift exceeds the bargaining surplus": ``p0 - p1 > c_D + c_R``.

Units: shares of the per-period pie (here: of the contested territory); costs per
period in the same units; ``delta`` per period (the truce length).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CommitmentResult:
    """Whether a one-period shift of power makes peace impossible."""

    p_now: float  #: declining side's war share now
    p_later: float  #: its war share after the shift
    discount: float  #: delta per period
    cost_declining: float  #: c_D per period
    cost_rising: float  #: c_R per period
    discounted_shift: float  #: delta (p_now - p_later)
    cost_of_war: float  #: (1 - delta)(1 - p_now) + c_D + delta c_R
    war: bool  #: True when the rising side cannot credibly commit

    @property
    def margin(self) -> float:
        """``discounted_shift - cost_of_war``; positive means war."""
        return self.discounted_shift - self.cost_of_war


def commitment_war_condition(p_now: float, p_later: float, discount: float,
                             cost_declining: float, cost_rising: float) -> CommitmentResult:
    """Powell (2006) war condition for a one-period shift of the declining side's share ``p_now -> p_later``."""
    if not 0.0 <= discount < 1.0:
        raise ValueError(f"discount must be in [0, 1), got {discount}")
    for name, v in (("p_now", p_now), ("p_later", p_later)):
        if not 0.0 <= v <= 1.0:
            raise ValueError(f"{name} must be a share in [0, 1], got {v}")
    if cost_declining < 0 or cost_rising < 0:
        raise ValueError("costs of war must be non-negative")
    # R cannot promise more than the whole pie: its credible extra is capped at 1 - p_later
    credible_extra = min(cost_rising, 1.0 - p_later)
    shift = discount * (p_now - p_later)
    cost = (1.0 - discount) * (1.0 - p_now) + cost_declining + discount * credible_extra
    return CommitmentResult(p_now, p_later, discount, cost_declining, cost_rising, shift, cost, bool(shift > cost))


def per_period_discount(annual_rate: float, period_days: float) -> float:
    """``exp(-annual_rate * period_days / 365)``: discount factor of a period of ``period_days``."""
    return float(np.exp(-annual_rate * period_days / 365.0))


def rule_against_formal_test(rule_fired, formal_war) -> dict[str, float]:
    """How a resumption rule inside the simulation (a side resumes when its power share has risen
    by a stated gain, ``engine/truce.py``) compares, run by run, with Powell's (2006) formal test.

    ``rule_fired``: per run, True where the side's rule ended the truce; ``formal_war``: per run,
    True where :func:`commitment_war_condition` finds a commitment problem. Returns shares of runs
    [share]: both say the truce fails, both say it holds, only the rule, only the formal test, and
    their agreement (the first two together).
    """
    fired = np.asarray(rule_fired, dtype=bool)
    war = np.asarray(formal_war, dtype=bool)
    if fired.shape != war.shape or fired.size == 0:
        raise ValueError(f"need the same non-empty runs for both, got {fired.shape} and {war.shape}")
    both, neither = float(np.mean(fired & war)), float(np.mean(~fired & ~war))
    return {"both_fail": both, "both_hold": neither, "rule_only": float(np.mean(fired & ~war)),
            "formal_only": float(np.mean(~fired & war)), "agreement": both + neither}
