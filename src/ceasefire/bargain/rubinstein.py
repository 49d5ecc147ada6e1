"""Rubinstein (1982) alternating-offers bargaining over a pie of size 1.

Rubinstein, A. (1982). "Perfect equilibrium in a bargaining model",
*Econometrica* 50(1): 97-109. Two players alternate proposals; player ``i``
discounts one bargaining round by ``d_i`` in (0, 1). The unique subgame-perfect
equilibrium gives the first mover the share ``(1 - d2) / (1 - d1 d2)`` at once.
The finite-horizon game (Stahl 1972; Binmore, Rubinstein & Wolinsky 1986,
*RAND J. Econ.* 17(2)) is solved by backward induction and converges to it.

Units: shares of the pie (dimensionless); discount factors per round.
"""

from __future__ import annotations

import math


def _check_discounts(d1: float, d2: float) -> None:
    for name, d in (("d1", d1), ("d2", d2)):
        if not (0.0 <= d < 1.0) or not math.isfinite(d):
            raise ValueError(f"discount factor {name} must be in [0, 1), got {d}")


def rubinstein_first_mover_share(d1: float, d2: float) -> float:
    """Equilibrium share of the first proposer (player 1): ``(1 - d2) / (1 - d1*d2)``."""
    _check_discounts(d1, d2)
    return (1.0 - d2) / (1.0 - d1 * d2)


def finite_horizon_first_mover_share(d1: float, d2: float, rounds: int) -> float:
    """First proposer's share in the ``rounds``-round alternating-offers game, by backward induction.

    Player 1 proposes in rounds 1, 3, ...; player 2 in rounds 2, 4, .... If the last
    round's proposal is rejected both get 0, so the last proposer takes everything.
    In every earlier round the proposer offers the responder exactly the responder's
    discounted value of proposing next round.
    """
    _check_discounts(d1, d2)
    if rounds < 1:
        raise ValueError(f"rounds must be >= 1, got {rounds}")
    proposer_share = 1.0  # share of the proposer in the last round
    for t in range(rounds - 1, 0, -1):
        # round t's proposer is player 1 if t is odd; the responder proposes in round t+1
        responder_discount = d2 if t % 2 == 1 else d1
        proposer_share = 1.0 - responder_discount * proposer_share
    return proposer_share
