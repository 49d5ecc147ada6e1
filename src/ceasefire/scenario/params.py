"""Numeric scenario values: a fixed number or an uncertainty distribution, always with a source.

In YAML a value is a mapping::

    shells_stock: {value: 4.0e6, source: {...}}                       # fixed
    shells_stock: {dist: uniform, low: 2.0e6, high: 6.0e6, source: {...}}
    shells_stock: {dist: triangular, low: 2.0e6, mode: 4.0e6, high: 6.0e6, source: {...}}
    shells_stock: {dist: truncnormal, mean: 4.0e6, sd: 1.0e6, low: 0, source: {...}}
    shells_stock: {dist: lognormal, median: 4.0e6, sigma: 0.4, source: {...}}

``sigma`` of a lognormal is the standard deviation of the logarithm. Sampling is by
the inverse CDF (:meth:`Param.ppf`) of uniforms in [0, 1), so any design (random,
Latin hypercube, Sobol) maps onto any distribution the same way.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from scipy import special

from .sources import Source

DistKind = Literal["fixed", "uniform", "triangular", "truncnormal", "lognormal"]

_REQUIRED: dict[str, tuple[str, ...]] = {
    "fixed": ("value",),
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "truncnormal": ("mean", "sd"),
    "lognormal": ("median", "sigma"),
}
_ALLOWED: dict[str, tuple[str, ...]] = {
    "fixed": ("value",),
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "truncnormal": ("mean", "sd", "low", "high"),
    "lognormal": ("median", "sigma"),
}
_NUMERIC = ("value", "low", "high", "mode", "mean", "sd", "median", "sigma")
#: Largest magnitude of any scenario number. No stock or rate of a war comes near it
#: (populations ~1e8, shell stocks ~1e7), and the engine's float32 records overflow to
#: infinity at 3.4e38, so larger values are typing errors that would put inf in results.
MAX_MAGNITUDE = 1e12
#: Largest sigma of a lognormal: exp(3 * 20) already spans 26 orders of magnitude.
MAX_LOG_SIGMA = 5.0


class Param(BaseModel):
    """One numeric value of a scenario: a number or a distribution, with its source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dist: DistKind = Field("fixed", description="Distribution kind; `fixed` when `value` is given; `normal` is read "
                                                 "as `truncnormal` (without `low`/`high`, a plain normal).")
    value: float | None = None
    low: float | None = None
    high: float | None = None
    mode: float | None = None
    mean: float | None = None
    sd: float | None = None
    median: float | None = None
    sigma: float | None = None
    unit: str | None = Field(None, description="Unit, for readers; the parameter name carries it too.")
    source: Source

    @model_validator(mode="before")
    @classmethod
    def _infer_fixed(cls, data):
        if isinstance(data, dict) and "dist" not in data and "value" in data:
            data = {**data, "dist": "fixed"}
        if isinstance(data, dict) and data.get("dist") == "normal":
            # `normal` is how every output writes a truncnormal (describe(), the dashboard's what-ifs):
            # accepted in YAML too, as a truncnormal (without low/high: a plain normal)
            data = {**data, "dist": "truncnormal"}
        return data

    @field_validator(*_NUMERIC, mode="before")
    @classmethod
    def _a_number(cls, v, info):
        """``true`` or a quoted string is not a number (pydantic's lax mode would take them)."""
        if isinstance(v, (bool, str)):
            raise ValueError(f"`{info.field_name}` must be a number, got {v!r}")
        return v

    @model_validator(mode="after")
    def _check(self) -> "Param":
        kind = self.dist
        missing = [k for k in _REQUIRED[kind] if getattr(self, k) is None]
        if missing:
            raise ValueError(f"a `{kind}` value needs {', '.join(missing)}")
        extra = [k for k in _NUMERIC if getattr(self, k) is not None and k not in _ALLOWED[kind]]
        if extra:
            raise ValueError(f"a `{kind}` value does not take {', '.join(extra)}")
        for k in _NUMERIC:
            v = getattr(self, k)
            if v is not None and not math.isfinite(v):
                raise ValueError(f"`{k}` must be a finite number, got {v}")
            if v is not None and abs(v) > MAX_MAGNITUDE:
                raise ValueError(f"`{k}` = {v:g} is larger than any quantity of a war (at most {MAX_MAGNITUDE:g})")
        if kind == "uniform" and not self.low < self.high:
            raise ValueError(f"uniform needs low < high, got low={self.low}, high={self.high}")
        if kind == "triangular" and not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError(
                f"triangular needs low <= mode <= high and low < high, got low={self.low}, "
                f"mode={self.mode}, high={self.high}"
            )
        if kind == "truncnormal":
            if self.sd <= 0:
                raise ValueError(f"truncnormal needs sd > 0, got {self.sd}")
            lo = -math.inf if self.low is None else self.low
            hi = math.inf if self.high is None else self.high
            if not lo < hi:
                raise ValueError(f"truncnormal needs low < high, got low={self.low}, high={self.high}")
            a, b = (lo - self.mean) / self.sd, (hi - self.mean) / self.sd
            if special.ndtr(b) - special.ndtr(a) < 1e-12:
                raise ValueError("truncnormal bounds leave no probability mass around the mean")
        if kind == "lognormal":
            if self.median <= 0:
                raise ValueError(f"lognormal needs median > 0, got {self.median}")
            if self.sigma <= 0:
                raise ValueError(f"lognormal needs sigma > 0, got {self.sigma}")
            if self.sigma > MAX_LOG_SIGMA:
                raise ValueError(f"lognormal sigma {self.sigma:g} spans more than {MAX_LOG_SIGMA:g} e-folds per sd; "
                                 "its tails would reach infinity")
        return self

    # -- sampling -------------------------------------------------------
    @property
    def is_uncertain(self) -> bool:
        return self.dist != "fixed"

    @property
    def nominal(self) -> float:
        """A central value: the fixed value, the mode, the mean or the median."""
        if self.dist == "fixed":
            return float(self.value)
        if self.dist == "uniform":
            return 0.5 * (self.low + self.high)
        if self.dist == "triangular":
            return float(self.mode)
        if self.dist == "truncnormal":
            return float(self.ppf(np.array([0.5]))[0])
        return float(self.median)

    def bounds(self) -> tuple[float, float]:
        """The 0th and 100th percentiles (lognormal and open truncnormal: 0.1% and 99.9%)."""
        if self.dist == "fixed":
            return float(self.value), float(self.value)
        if self.dist in ("uniform", "triangular"):
            return float(self.low), float(self.high)
        lo, hi = self.ppf(np.array([0.001, 0.999]))
        if self.dist == "truncnormal":
            lo = self.low if self.low is not None else lo
            hi = self.high if self.high is not None else hi
        return float(lo), float(hi)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF: map uniforms ``u`` in [0, 1) to values of this distribution."""
        u = np.asarray(u, dtype=float)
        if self.dist == "fixed":
            return np.full(u.shape, float(self.value))
        if self.dist == "uniform":
            return self.low + (self.high - self.low) * u
        if self.dist == "triangular":
            lo, c, hi = self.low, self.mode, self.high
            fc = (c - lo) / (hi - lo)
            left = lo + np.sqrt(u * (hi - lo) * (c - lo))
            right = hi - np.sqrt((1.0 - u) * (hi - lo) * (hi - c))
            return np.where(u < fc, left, right)
        if self.dist == "truncnormal":
            lo = -np.inf if self.low is None else (self.low - self.mean) / self.sd
            hi = np.inf if self.high is None else (self.high - self.mean) / self.sd
            plo, phi = special.ndtr(lo), special.ndtr(hi)
            p = np.clip(plo + u * (phi - plo), 1e-15, 1 - 1e-15)
            x = self.mean + self.sd * special.ndtri(p)
            return np.clip(x, self.low if self.low is not None else -np.inf,
                           self.high if self.high is not None else np.inf)
        # lognormal
        p = np.clip(u, 1e-15, 1 - 1e-15)
        return self.median * np.exp(self.sigma * special.ndtri(p))

    def describe(self) -> str:
        """The value or distribution in a short human form."""
        def f(x: float) -> str:
            return f"{x:.4g}"
        if self.dist == "fixed":
            return f(self.value)
        if self.dist == "uniform":
            return f"uniform({f(self.low)}, {f(self.high)})"
        if self.dist == "triangular":
            return f"triangular({f(self.low)}, {f(self.mode)}, {f(self.high)})"
        if self.dist == "truncnormal":
            bounds = ""
            if self.low is not None or self.high is not None:
                bounds = f" in [{'' if self.low is None else f(self.low)}, {'' if self.high is None else f(self.high)}]"
            return f"normal({f(self.mean)}, sd {f(self.sd)}){bounds}"
        return f"lognormal(median {f(self.median)}, sigma {f(self.sigma)})"
