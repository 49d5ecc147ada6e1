"""The engine: a deterministic, vectorised stock-and-flow simulator of a war of attrition.

``simulate(scenario, policy, runs, seed)`` gives one policy's ensemble as
:class:`Results`; ``simulate_policies(scenario, policies, runs, seed)`` gives several on the same runs,
computing the days a truce shares with fight-on once. Comparing policies (and pairing each truce with its fight-on
baseline) is one floor up, in :mod:`ceasefire.compare`.
"""

from .ensemble import simulate, simulate_policies
from .results import Results

__all__ = ["Results", "simulate", "simulate_policies"]
