"""The one Numba decorator of the engine (machine code cached on disk, NumPy's error model).

Mechanisms that couple the sides of one run (fire allocation, power share, the
calibration of the attrition coefficients, the casualties of a day, the exchange of
territory) are written once, as loops over one run's ``(S,)`` and ``(S, S)`` arrays,
and compiled with :data:`jit`. The compiled kernel calls them run by run; the NumPy
reference path calls them through a small compiled loop over the runs of a chunk.
"""

from __future__ import annotations

import numba

jit = numba.njit(cache=True, fastmath=False, error_model="numpy")
#: the same, inlined into the caller by Numba: the per-run mechanisms are called inside the kernel's day
#: loop, where a call that is not inlined costs more than the arithmetic it wraps
jit_inline = numba.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
