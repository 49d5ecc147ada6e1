"""The engine: a deterministic, vectorised stock-and-flow simulator of a war of attrition.

``simulate(scenario, policy, runs, seed)`` gives one policy's ensemble as
:class:`Results`. Comparing policies (and pairing each truce with its fight-on
baseline) is one floor up, in :mod:`ceasefire.compare`.
"""

from .ensemble import simulate
from .results import Results

__all__ = ["Results", "simulate"]
