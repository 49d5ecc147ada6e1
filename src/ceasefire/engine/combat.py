"""Combat: Lanchester-family attrition, one implementation for the engine and the fits.

The general form is Bracken's (1995) generalisation of Lanchester (1916)::

    dT/dt = -k * S**p * T**q

where ``S`` is the shooter's effective strength, ``T`` the target's strength and
``k`` an attrition coefficient. Named laws are exponent pairs:

* square (aimed fire, Lanchester 1916): ``p=1, q=0``: ``dT/dt = -k S``;
  conserves ``k_T T**2 - k_S S**2`` (the square-law invariant).
* linear (area fire, Lanchester 1916): ``p=1, q=1``: ``dT/dt = -k S T``;
  conserves ``k_T T - k_S S``.
* logarithmic (losses proportional to own strength, Peterson 1953): ``p=0, q=1``.
* Helmbold (1965): ``dT/dt = -k (T/S)**(1-W) S``, i.e. ``p=W, q=1-W``, which runs from
  the logarithmic law (W=0) to the square law (W=1).

``validate.fit`` fits these same functions to historical battles; the engine calls
them each day with strengths that already carry quality and ammunition.
"""

from __future__ import annotations

import numpy as np

from ._jit import jit, jit_inline

#: Exponent pairs (p, q) of the named laws.
LAW_EXPONENTS: dict[str, tuple[float, float]] = {
    "square": (1.0, 0.0),
    "linear": (1.0, 1.0),
    "logarithmic": (0.0, 1.0),
}


def helmbold_exponents(weight: float) -> tuple[float, float]:
    """Helmbold's (1965) exponent form as Bracken exponents: ``(p, q) = (W, 1 - W)``.

    ``weight`` W in [0, 1]: 1 is the square law, 0 the logarithmic law.
    """
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"Helmbold weight must be in [0, 1], got {weight}")
    return float(weight), float(1.0 - weight)


def law_exponents(law: str, helmbold_weight: float | None = None) -> tuple[float, float]:
    """Exponents (p, q) of a named law: square, linear, logarithmic or helmbold."""
    if law == "helmbold":
        if helmbold_weight is None:
            raise ValueError("the helmbold law needs its weight W")
        return helmbold_exponents(helmbold_weight)
    try:
        return LAW_EXPONENTS[law]
    except KeyError:
        raise ValueError(f"unknown attrition law {law!r}; use square, linear, logarithmic or helmbold") from None


def bracken(s, t, k, p, q):
    """The law itself, ``k * s**p * t**q``, for non-negative strengths (scalars or arrays).

    Evaluated as ``k * exp(p ln s + q ln t)``: one exponential and two logarithms
    cost less than two powers (a tenth of the compiled kernel's time) and agree
    with them to about 1e-15 relative. A zero strength gives zero losses for a
    positive exponent and a factor 1 for a zero exponent (``0**0 = 1``, as the law
    intends). The engine's NumPy path and its compiled kernel both call this
    function; NumPy callers silence the divide-by-zero warning of ``ln 0``.
    """
    # e * ln(x + [e == 0]) is e ln x, except that 0 * ln(0 + 1) = 0 makes 0**0 = 1
    return k * np.exp(p * np.log(s + (p == 0)) + q * np.log(t + (q == 0)))


_bracken = jit(bracken)  # the same law, compiled for one pair of scalars


def attrition_per_day(
    shooter_strength: np.ndarray,
    target_strength: np.ndarray,
    coefficient_per_day: np.ndarray | float,
    p: np.ndarray | float,
    q: np.ndarray | float,
) -> np.ndarray:
    """Bracken's general Lanchester law: target losses per day ``k * S**p * T**q``.

    Claim encoded: attrition grows with the fire the shooter delivers (``p``) and,
    for area fire such as artillery, with how many targets are exposed (``q``).
    Units: ``coefficient_per_day`` carries whatever makes the result personnel per
    day for the strengths' units (personnel, or personnel per km of front).
    Zero strengths give zero losses (``0**0`` is taken as 1, as the law intends).
    """
    s = np.maximum(np.asarray(shooter_strength, dtype=float), 0.0)
    t = np.maximum(np.asarray(target_strength, dtype=float), 0.0)
    with np.errstate(divide="ignore"):  # ln 0 = -inf: zero strength, zero losses
        return bracken(s, t, coefficient_per_day, p, q)


@jit_inline
def fire_allocation_run(deployed_personnel, out):
    """Share of each side's fire that falls on each other side, for one run: ``out[i, j]``.

    With two sides every side fires at the other. With more, a side spreads its fire
    over its enemies in proportion to their deployed personnel (all other sides are
    enemies). Rows sum to 1 where any enemy is present; the diagonal is 0. Units: share.
    """
    S = deployed_personnel.shape[0]
    for i in range(S):
        total = 0.0
        for j in range(S):
            if j != i:
                total += max(deployed_personnel[j], 0.0)
        for j in range(S):
            if j == i:
                out[i, j] = 0.0
            elif total > 0:
                out[i, j] = max(deployed_personnel[j], 0.0) / total
            else:
                out[i, j] = 1.0 / max(S - 1, 1)


@jit
def _fire_allocation_runs(deployed, out):
    for r in range(deployed.shape[0]):
        fire_allocation_run(deployed[r], out[r])


def fire_allocation(deployed_personnel: np.ndarray) -> np.ndarray:
    """:func:`fire_allocation_run` for every run of ``(runs, S)`` troops: shape ``(runs, S, S)``."""
    n = np.ascontiguousarray(deployed_personnel, dtype=float)
    out = np.empty(n.shape + n.shape[-1:])
    _fire_allocation_runs(n, out)
    return out


def square_law_invariant(r: np.ndarray, b: np.ndarray, k_on_r: float, k_on_b: float) -> np.ndarray:
    """Square-law invariant ``k_on_b * R**2 - k_on_r * B**2`` (constant in time).

    With ``dR/dt = -k_on_r B`` and ``dB/dt = -k_on_b R``.
    """
    return k_on_b * np.square(r) - k_on_r * np.square(b)


def linear_law_invariant(r: np.ndarray, b: np.ndarray, k_on_r: float, k_on_b: float) -> np.ndarray:
    """Linear-law invariant ``k_on_b * R - k_on_r * B``, with ``dR/dt = -k_on_r R B``, ``dB/dt = -k_on_b R B``."""
    return k_on_b * np.asarray(r) - k_on_r * np.asarray(b)


def square_law_annihilation_time(r0: float, b0: float, k_on_r: float, k_on_b: float) -> float:
    """Closed-form time at which the weaker side of a square-law fight reaches zero.

    With ``dR/dt = -k_on_r B``, ``dB/dt = -k_on_b R`` and ``k_on_b R0^2 > k_on_r B0^2``
    (R wins), B(t) = B0 cosh(g t) - R0 sqrt(k_on_b/k_on_r) sinh(g t), g = sqrt(k_on_r k_on_b),
    so B hits zero at ``t = artanh(B0 sqrt(k_on_r) / (R0 sqrt(k_on_b))) / g``.
    Returns ``inf`` on an exact draw.
    """
    g = np.sqrt(k_on_r * k_on_b)
    x = b0 * np.sqrt(k_on_r) / (r0 * np.sqrt(k_on_b))
    if x > 1:  # B wins: swap the roles
        x = 1.0 / x
    if x == 1:
        return float("inf")
    return float(np.arctanh(x) / g)


def effective_strength(
    deployed_personnel: np.ndarray,
    quality: np.ndarray,
    fire_ratio_share: np.ndarray,
    artillery_fire_share: np.ndarray,
) -> np.ndarray:
    """Effective fighting strength: troops x quality x the fire they actually deliver.

    Claim (CNN, Kofman): "the availability of ammunition" is "one of the most
    decisive aspects of this war". A share ``artillery_fire_share`` of a side's
    effect scales with the ratio of rounds fired to rounds wanted
    (``fire_ratio_share`` in [0, 1]); the rest (infantry, armour, drones) does not.
    Units: personnel-equivalents.
    """
    fire_factor = 1.0 - artillery_fire_share + artillery_fire_share * fire_ratio_share
    return quality * np.maximum(deployed_personnel, 0.0) * fire_factor


@jit_inline
def fire_superiority_run(effective_fire, allocation, out):
    """Each side's share of the artillery duel in one run (model v2: fire relative to the enemy).

    Claim (MODEL_NOTES, after the v1 review): what counts is a side's fire relative to the
    enemy's, not to what it wanted to fire. ``effective_fire[i]`` is rounds fired times their
    effect; side *i*'s share is ``F_i / (F_i + sum_j A_ij F_j)`` (0.5 if nobody fires). Equal fire
    gives 0.5, so ``2 * share`` is 1 and the strength equals v1's at full fire. Units: share.
    """
    S = effective_fire.shape[0]
    for i in range(S):
        enemy = 0.0
        for j in range(S):
            enemy += allocation[i, j] * max(effective_fire[j], 0.0)
        total = max(effective_fire[i], 0.0) + enemy
        out[i] = max(effective_fire[i], 0.0) / total if total > 0 else 0.5


@jit
def _fire_superiority_runs(fire, allocation, out):
    for r in range(fire.shape[0]):
        fire_superiority_run(fire[r], allocation[r], out[r])


def fire_superiority(effective_fire: np.ndarray, allocation: np.ndarray) -> np.ndarray:
    """:func:`fire_superiority_run` for every run, shape ``(runs, S)``."""
    f = lambda a: np.ascontiguousarray(a, dtype=float)  # noqa: E731
    out = np.empty(np.shape(effective_fire))
    _fire_superiority_runs(f(effective_fire), f(allocation), out)
    return out


@jit_inline
def casualties_run(strength, deployed_personnel, front_length_km, coefficient, p, q, allocation, intensity, out):
    """Casualties (killed + wounded) each side of one run suffers per day, before noise: ``out[j]``.

    Side *j* loses ``sum_i A[i, j] k_i S_i**p (N_j / front_km)**q``: the Bracken law with
    the shooter's effective strength and the target's density on the front (area fire:
    more troops per km, more losses per round). Losses are capped at the troops present.
    Units: personnel/day.
    """
    S = strength.shape[0]
    for j in range(S):
        density = max(deployed_personnel[j], 0.0) / front_length_km
        lj = 0.0
        for i in range(S):
            if allocation[i, j] > 0.0:  # a zero allocation contributes exactly 0
                lj += _bracken(max(strength[i], 0.0), density, coefficient[i] * allocation[i, j] * intensity[i, j], p, q)
        out[j] = min(lj, max(deployed_personnel[j], 0.0))


@jit
def _casualties_runs(strength, deployed, front_km, coefficient, p, q, allocation, intensity, out):
    for r in range(strength.shape[0]):
        casualties_run(strength[r], deployed[r], front_km[r], coefficient[r], p[r], q[r], allocation[r], intensity[r],
                       out[r])


def casualties_per_day(strength, deployed_personnel, front_length_km, coefficient, p, q, allocation,
                       intensity=None) -> np.ndarray:
    """:func:`casualties_run` for every run of a chunk, shape ``(runs, S)`` (``intensity`` defaults to ones)."""
    f = lambda a: np.ascontiguousarray(a, dtype=float)  # noqa: E731
    out = np.empty(np.shape(strength))
    intensity = np.ones(np.shape(allocation)) if intensity is None else intensity
    _casualties_runs(f(strength), f(deployed_personnel), f(front_length_km), f(coefficient), f(p), f(q),
                     f(allocation), f(intensity), out)
    return out


@jit_inline
def calibrate_run(casualties_inflicted_per_day, strength0, deployed0_personnel, front_length_km, p, q, allocation0,
                  intensity0, out):
    """Coefficients ``k_i`` of one run so that, at the start, each side inflicts its observed
    ``casualties_inflicted_per_day`` (the scenario's calibration point), given the start's
    strengths and intensities: ``k_i = C_i / (S_i**p sum_j A_ij I_ij (N_j / front_km)**q)`` (model v2:
    the start's postures and season enter ``I``; the coefficient is then free to follow them). Units: per day, in whatever
    makes :func:`casualties_run` personnel per day."""
    S = strength0.shape[0]
    for i in range(S):
        expo = 0.0
        for j in range(S):
            expo += allocation0[i, j] * intensity0[i, j] * (max(deployed0_personnel[j], 1e-12) / front_length_km) ** q
        out[i] = casualties_inflicted_per_day[i] / (max(strength0[i], 1e-12) ** p * max(expo, 1e-300))


@jit
def _calibrate_runs(cas, strength0, deployed0, front_km, p, q, allocation0, intensity0, out):
    for r in range(cas.shape[0]):
        calibrate_run(cas[r], strength0[r], deployed0[r], front_km[r], p[r], q[r], allocation0[r], intensity0[r], out[r])


def calibrate_coefficients(casualties_inflicted_per_day, strength0, deployed0_personnel, front_length_km, p, q,
                           allocation0, intensity0=None) -> np.ndarray:
    """:func:`calibrate_run` for every run of a chunk, shape ``(runs, S)`` (``intensity0`` defaults to ones)."""
    f = lambda a: np.ascontiguousarray(a, dtype=float)  # noqa: E731
    out = np.empty(np.shape(casualties_inflicted_per_day))
    intensity0 = np.ones(np.shape(allocation0)) if intensity0 is None else intensity0
    _calibrate_runs(f(casualties_inflicted_per_day), f(strength0), f(deployed0_personnel), f(front_length_km), f(p),
                    f(q), f(allocation0), f(intensity0), out)
    return out
