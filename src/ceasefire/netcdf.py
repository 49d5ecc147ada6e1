"""Checks of NetCDF files a user hands back to the CLI (results, ensembles), before xarray reads them.

A truncated or bit-flipped NetCDF-4 file makes h5netcdf fail half-way through
opening it, and its half-built file object then prints an ``Exception ignored ...
Traceback`` when it is collected, after the CLI has printed its message.
:func:`probe` opens the file with h5py first and touches every group, dataset and
attribute, so damage is found there, cleanly, and reported as one
:class:`~ceasefire.errors.InputError` naming the file. :func:`check_trajectories`
then checks the dimensions, variables and finiteness an analysis needs.

This is a leaf module (NumPy, h5py): every layer may import it.
"""

from __future__ import annotations

import contextlib
import gc
import stat
import sys
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from .errors import InputError


@contextlib.contextmanager
def _quiet_unraisable() -> Iterator[None]:
    """Swallow 'Exception ignored in ...' reports of objects collected inside the block."""
    old = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        yield
    finally:
        gc.collect()
        sys.unraisablehook = old


def probe(path: str | Path, what: str = "NetCDF file") -> Path:
    """Refuse a path that is not a regular, complete, readable HDF5 (NetCDF-4) file; return it as a Path."""
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(f"{what} {path} does not exist; check the path.") from None
    except OSError as exc:
        raise InputError(f"{what} {path} cannot be read ({exc.strerror}).") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{path} is not a regular file; give the path of a {what}.")
    if st.st_size == 0:
        raise InputError(f"{path} is empty; it is not a {what}.")
    import h5py

    def touch(name, obj) -> None:
        dict(obj.attrs)
        if isinstance(obj, h5py.Dataset):
            _ = obj.shape, obj.dtype

    with _quiet_unraisable():
        try:
            with h5py.File(path, "r") as f:
                dict(f.attrs)
                f.visititems(touch)
        except Exception as exc:  # h5py raises OSError, KeyError, RuntimeError, ... on damage
            reason = " ".join(str(exc).split())[:160]
            raise InputError(f"{path} is not a readable {what} (truncated, damaged, or not NetCDF-4): "
                             f"{type(exc).__name__}: {reason}.") from None
    return path


def check_trajectories(ds, path: str | Path, variables: Iterable[str], min_days: int = 1) -> None:
    """``ds`` has ``run`` and ``day`` dimensions (at least ``min_days`` days) and each of ``variables``,
    non-empty and finite; else an :class:`InputError` naming ``path`` and what is missing or wrong."""
    missing_dims = [d for d in ("run", "day") if d not in ds.dims]
    if missing_dims:
        raise InputError(f"{path} is not a ceasefire ensemble: it has no {' or '.join(missing_dims)} dimension "
                         f"(its dimensions are {', '.join(map(str, ds.dims)) or 'none'}).")
    if ds.sizes["day"] < min_days or ds.sizes["run"] < 1:
        raise InputError(f"{path}: the ensemble holds {ds.sizes['run']} run(s) and {ds.sizes['day']} recorded "
                         f"day(s); at least 1 run and {min_days} days are needed.")
    missing = [v for v in variables if v not in ds.data_vars]
    if missing:
        raise InputError(f"{path}: variable(s) {', '.join(missing)} are missing from the ensemble.")
    for v in variables:
        values = np.asarray(ds[v].values)
        if values.size == 0:
            raise InputError(f"{path}: variable {v} is empty.")
        if values.dtype.kind == "f" and not np.isfinite(values).all():
            raise InputError(f"{path}: variable {v} has {int((~np.isfinite(values)).sum())} NaN or infinite "
                             "value(s); the file is damaged or was not written by ceasefire.")
