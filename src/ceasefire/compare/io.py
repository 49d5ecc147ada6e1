"""Compared ensembles on disk: one flat, compressed NetCDF file that plain ``xr.open_dataset`` reads.

Numeric variables are compressed with zlib and the shuffle filter (lossless); the
scenario that produced the file, its seed and its policies are attributes, so a
file says what it holds.
"""

from __future__ import annotations

from pathlib import Path

import xarray as xr
import yaml

from ..errors import InputError
from ..scenario import Scenario, scenario_from_dict
from .ensemble import FORMAT

COMPLEVEL = 4


def encoding(ds: xr.Dataset, complevel: int = COMPLEVEL) -> dict:
    """zlib + shuffle for every numeric variable (strings and objects are stored as they are)."""
    enc = {}
    for name, da in {**ds.data_vars, **ds.coords}.items():
        if da.dtype.kind in "fiub" and da.ndim > 0:
            enc[name] = {"zlib": True, "complevel": complevel, "shuffle": True}
    return enc


def save(ds: xr.Dataset, path: str | Path, complevel: int = COMPLEVEL) -> Path:
    """Write ``ds`` to ``path`` through a temporary name in the same folder (never half-written)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    try:
        ds.to_netcdf(tmp, engine="h5netcdf", encoding=encoding(ds, complevel))
        tmp.replace(path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def open_compared(path: str | Path) -> xr.Dataset:
    """Reopen a compared ensemble written by :func:`save` (loaded into memory)."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", where=str(path))
    try:
        ds = xr.load_dataset(path, engine="h5netcdf")
    except (OSError, ValueError, KeyError) as err:
        raise InputError(f"not a readable NetCDF file ({err})", where=str(path)) from None
    if ds.attrs.get("ceasefire_format") != FORMAT:
        raise InputError(f"not a ceasefire compared ensemble (no ceasefire_format={FORMAT} attribute)",
                         where=str(path))
    return ds


def scenario_of(ds: xr.Dataset) -> Scenario:
    """The scenario stored in a compared ensemble's attributes."""
    return scenario_from_dict(yaml.safe_load(ds.attrs["scenario_yaml"]), "compared ensemble (stored scenario)")
