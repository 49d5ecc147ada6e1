"""Fearon's bargaining range, the risk-return trade-off, and mutual optimism.

Fearon, J. D. (1995). "Rationalist explanations for war", *International
Organization* 49(3): 379-414.

* **Range** (Fearon 1995, section "The existence of a bargaining range"). Side A
  expects the share ``p`` of the contested good from war and pays ``c_a``; side B
  expects ``1 - p`` and pays ``c_b`` (costs in the same units as the share). Every
  division giving A a share ``x`` in ``[p - c_a, p + c_b]`` is preferred by both to
  war. The range is never empty when costs are positive.
* **Risk-return trade-off** (Fearon 1995, section "Private information and incentives
  to misrepresent"; the uniform-cost case as in Powell 1999, *In the Shadow of
  Power*, Princeton UP, ch. 3, for this textbook case). A makes a take-it-or-leave-it offer ``x`` (A's share); B's cost
  ``c_b`` is private, uniform on ``[lo, hi]``. B accepts iff ``1 - x >= 1 - p - c_b``,
  i.e. iff ``c_b >= x - p``. A's expected payoff is ``P(accept) x + (1 - P(accept)) (p - c_a)``,
  maximised at ``x* = p + (hi - c_a) / 2`` clipped to ``[p + lo, min(1, p + hi)]``;
  the war probability is ``(x* - p - lo) / (hi - lo)``.
* **Mutual optimism** (Fearon 1995, section "Private information"; Blainey 1973,
  *The Causes of War*). If A believes its war share is ``p_a`` and B believes A's
  share is ``p_b``, the range is ``[p_a - c_a, p_b + c_b]``, empty when
  ``p_a - p_b > c_a + c_b``.

All shares and costs are dimensionless shares of the contested good (here: of the
contested territory); arrays broadcast.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def bargaining_range(p_share, cost_a_share, cost_b_share):
    """Bounds ``(low, high)`` of side A's share acceptable to both sides: ``[p - c_a, p + c_b]``.

    Not clipped to [0, 1]: a bound outside the unit interval says the range extends to
    the edge of the pie.
    """
    p = np.asarray(p_share, dtype=float)
    return p - np.asarray(cost_a_share, dtype=float), p + np.asarray(cost_b_share, dtype=float)


def range_from_beliefs(p_by_a_share, p_by_b_share, cost_a_share, cost_b_share):
    """Range when each side holds its own belief about A's expected war share.

    Returns ``(low, high, exists)``: A accepts no less than ``p_by_a - c_a``; B concedes no
    more than ``p_by_b + c_b``; a deal exists iff ``low <= high``.
    """
    low = np.asarray(p_by_a_share, dtype=float) - np.asarray(cost_a_share, dtype=float)
    high = np.asarray(p_by_b_share, dtype=float) + np.asarray(cost_b_share, dtype=float)
    return low, high, low <= high


def mutual_optimism_gap(p_by_a_share, p_by_b_share, cost_a_share, cost_b_share):
    """``(p_by_a - p_by_b) - (c_a + c_b)``: positive means the range has vanished (mutual optimism)."""
    return (np.asarray(p_by_a_share, float) - np.asarray(p_by_b_share, float)) - (
        np.asarray(cost_a_share, float) + np.asarray(cost_b_share, float)
    )


@dataclass(frozen=True)
class RiskReturn:
    """Optimal take-it-or-leave-it offer under uniform private costs."""

    offer_share: float  #: A's share demanded, x*
    war_probability: float  #: probability B rejects
    expected_payoff_share: float  #: A's expected payoff at x*


def risk_return_payoff(offer_share, p_share, cost_a_share, cost_b_low, cost_b_high):
    """A's expected payoff from demanding ``offer_share`` when B's cost is uniform on ``[lo, hi]``."""
    x = np.asarray(offer_share, dtype=float)
    width = cost_b_high - cost_b_low
    accept = np.clip((cost_b_high - (x - p_share)) / width, 0.0, 1.0)
    return accept * x + (1.0 - accept) * (p_share - cost_a_share)


def risk_return_offer(p_share: float, cost_a_share: float, cost_b_low: float, cost_b_high: float) -> RiskReturn:
    """Closed-form optimal demand and war probability (Fearon 1995; uniform private costs).

    ``x* = p + (hi - c_a)/2`` clipped to ``[p + lo, min(1, p + hi)]``; P(war) ``= (x* - p - lo)/(hi - lo)``.
    """
    if not cost_b_high > cost_b_low >= 0:
        raise ValueError(f"need 0 <= cost_b_low < cost_b_high, got [{cost_b_low}, {cost_b_high}]")
    if cost_a_share < 0:
        raise ValueError(f"cost_a_share must be >= 0, got {cost_a_share}")
    x = p_share + 0.5 * (cost_b_high - cost_a_share)
    x = min(max(x, p_share + cost_b_low), p_share + cost_b_high, 1.0)
    war = float(np.clip((x - p_share - cost_b_low) / (cost_b_high - cost_b_low), 0.0, 1.0))
    payoff = float(risk_return_payoff(x, p_share, cost_a_share, cost_b_low, cost_b_high))
    return RiskReturn(offer_share=float(x), war_probability=war, expected_payoff_share=payoff)


def nash_split_share(p_share, cost_a_share, cost_b_share, weight_a: float = 0.5):
    """Asymmetric Nash bargaining split of the range: A gets ``p - c_a + w_a (c_a + c_b)``.

    Nash (1950) with linear utilities over the pie and war as the disagreement point
    (A: ``p - c_a``, B: ``1 - p - c_b``); ``weight_a`` is A's bargaining power (0.5 symmetric).
    """
    p = np.asarray(p_share, float)
    ca = np.asarray(cost_a_share, float)
    cb = np.asarray(cost_b_share, float)
    return p - ca + weight_a * (ca + cb)
