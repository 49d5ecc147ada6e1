"""Admissible ranges of scenario values, read from the units in their names.

A stock cannot be negative, a share lies in [0, 1], a delay is positive. The rule
comes from the parameter's name (units live in names), so a new parameter gets the
right check by being named properly.
"""

from __future__ import annotations

import math

from .params import Param

#: (name test, low, high, low inclusive, description)
_RULES: list[tuple[callable, float, float, bool, str]] = [
    (lambda n: n.endswith("_days"), 0.0, math.inf, False, "a positive number of days"),
    (lambda n: n.endswith(("_km", "_km2")) or n.endswith("_reference_personnel"), 0.0, math.inf, False,
     "a positive quantity"),
    (lambda n: n in ("p", "q"), 0.0, 3.0, True, "an exponent between 0 and 3"),
    (lambda n: n == "helmbold_weight", 0.0, 1.0, True, "a weight between 0 and 1"),
    (lambda n: n.endswith("_ratio") or n in ("quality", "will_resumption_factor"), 0.0, math.inf, False, "a positive ratio"),
    (lambda n: n.endswith("_per_share"), 0.0, math.inf, True, "a number that is not negative"),
    (lambda n: n == "gdp_index", 0.0, 1.5, True, "an index between 0 and 1.5 (pre-war = 1)"),
    (lambda n: n.endswith("_share") or "_share_" in n, 0.0, 1.0, True, "a share between 0 and 1"),
    (lambda n: n.endswith("_decay_per_day") or n.endswith("_sensitivity_per_day"), 0.0, 1.0, True, "a share per day between 0 and 1"),
    (lambda n: n.endswith("_per_day") or n.endswith("_per_day_max"), 0.0, math.inf, True, "a rate that is not negative"),
    (lambda n: n.endswith("_elasticity") or n == "daily_noise_sd", 0.0, math.inf, True, "a number that is not negative"),
    (
        lambda n: any(n.endswith(s) for s in ("_personnel", "_persons", "_stock", "_shells")) or n == "personnel",
        0.0,
        math.inf,
        True,
        "a quantity that is not negative",
    ),
]


def admissible(name: str) -> tuple[float, float, bool, str] | None:
    """The admissible range of a parameter by its name, or None when unconstrained."""
    for test, lo, hi, lo_incl, text in _RULES:
        if test(name):
            return lo, hi, lo_incl, text
    return None


def range_error(path: str, param: Param) -> str | None:
    """A message when any value the parameter can take lies outside its admissible range."""
    name = path.rsplit(".", 1)[-1]
    rule = admissible(name)
    if rule is None:
        return None
    lo, hi, lo_incl, text = rule
    if param.dist == "lognormal":
        low, high = 0.0 + 1e-300, param.bounds()[1]
        if hi < math.inf and param.median > hi:
            return f"must be {text}; a lognormal with median {param.median:g} exceeds {hi:g}"
        return None
    if param.dist == "truncnormal" and (param.low is None or param.high is None):
        if (lo > -math.inf and param.low is None) or (hi < math.inf and param.high is None):
            return f"must be {text}; give the truncnormal explicit `low` and `high` bounds"
    low, high = param.bounds()
    below = low < lo or (not lo_incl and low <= lo)
    if below or high > hi:
        shown = f"{param.value:g}" if param.dist == "fixed" else f"{param.describe()}"
        return f"must be {text}, got {shown}"
    return None
