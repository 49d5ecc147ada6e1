"""Reading validation data files with messages that name the file, row and column.

Every reader here turns a bad file into :class:`ceasefire.errors.InputError` (the CLI
prints it and exits 2). Rows are counted as a spreadsheet shows them: the header is
row 1, the first data row is row 2.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from ceasefire.errors import InputError

#: Column kinds understood by :func:`check_columns`.
KINDS = ("number", "nonneg", "positive", "int_nonneg", "date", "text")


def read_table(path: str | Path, sep: str | None = ",") -> pd.DataFrame:
    """Read a delimited text file as strings (no type guessing), or raise ``InputError``."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"file not found: {path}. Check the path (relative paths start from the current directory).")
    if path.is_dir():
        raise InputError(f"{path} is a directory; expected a CSV file.")
    try:
        df = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path}: cannot be read as a '{sep}'-separated table ({exc}).") from None
    df.columns = [str(c).strip() for c in df.columns]
    if df.empty:
        raise InputError(f"{path}: the file has a header but no data rows.")
    return df


def require_columns(df: pd.DataFrame, path: str | Path, columns: Iterable[str]) -> None:
    """Raise ``InputError`` naming every missing column and the columns that are there."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(repr(c) for c in missing)}; the file has "
            f"{', '.join(repr(c) for c in df.columns)}. Add the missing column(s) to the header row."
        )


def _cell_error(path, row_index: int, column: str, value: str, problem: str) -> InputError:
    return InputError(f"{path}, row {row_index + 2}, column '{column}': {problem} (found {value!r}).")


#: A date cell: ISO ``YYYY-MM-DD``, optionally with a time and a UTC offset.
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")
#: Dates accepted in data files (pandas' own range is 1677-2262).
DATE_MIN, DATE_MAX = pd.Timestamp("1800-01-01"), pd.Timestamp("2200-12-31")


def parse_date_cell(path, row_index: int, column: str, value: str) -> pd.Timestamp:
    """One date cell as a day (midnight, no time zone), or ``InputError`` naming the row.

    Only ISO dates are read: ``now``, ``today``, ``NaT`` and other words pandas would
    accept are refused. A time with a UTC offset (``2022-11-11T12:00+05:00``) is read
    as the calendar day written (the offset is dropped, the local day kept), so it
    compares with the scenario's day-resolution dates.
    """
    if not _ISO_DATE.match(value):
        raise _cell_error(path, row_index, column, value, "not a date; write it as YYYY-MM-DD")
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        raise _cell_error(path, row_index, column, value, "not a valid calendar date; write it as YYYY-MM-DD") from None
    if ts is pd.NaT or pd.isna(ts):
        raise _cell_error(path, row_index, column, value, "not a date")
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    ts = ts.normalize()
    if not DATE_MIN <= ts <= DATE_MAX:
        raise _cell_error(path, row_index, column, value,
                          f"outside the accepted dates {DATE_MIN.date()} to {DATE_MAX.date()}")
    return ts


def parse_column(
    df: pd.DataFrame, path: str | Path, column: str, kind: str, allow_blank: bool = False
) -> pd.Series:
    """Parse one string column into numbers or dates, checking every cell.

    ``kind``: ``number`` (any finite), ``nonneg`` (>= 0), ``positive`` (> 0),
    ``int_nonneg`` (a whole number >= 0), ``date`` (ISO ``YYYY-MM-DD``), ``text``.
    Blank cells become NaN/NaT when ``allow_blank``; otherwise they are an error.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown column kind {kind}")
    out = []
    for i, raw in enumerate(df[column].tolist()):
        value = "" if raw is None else str(raw).strip()
        if value == "":
            if not allow_blank:
                raise _cell_error(path, i, column, value, "the cell is empty; a value is required")
            out.append(pd.NaT if kind == "date" else (None if kind == "text" else math.nan))
            continue
        if kind == "text":
            out.append(value)
            continue
        if kind == "date":
            out.append(parse_date_cell(path, i, column, value))
            continue
        try:
            x = float(value.replace("_", ""))
        except ValueError:
            raise _cell_error(path, i, column, value, "not a number; use digits with a '.' decimal point") from None
        if not math.isfinite(x):
            raise _cell_error(path, i, column, value, "not a finite number")
        if kind in ("nonneg", "int_nonneg") and x < 0:
            raise _cell_error(path, i, column, value, "negative; this quantity cannot be below zero")
        if kind == "positive" and x <= 0:
            raise _cell_error(path, i, column, value, "must be greater than zero")
        if kind == "int_nonneg" and x != int(x):
            raise _cell_error(path, i, column, value, "must be a whole number")
        out.append(x)
    return pd.Series(out, index=df.index, name=column)


def open_ensemble(path: str | Path, observables: Iterable[str]):
    """Open a saved ensemble's trajectories for scoring, or raise ``InputError`` naming the file and what is missing.

    Accepts a flat NetCDF of trajectories (dimensions ``run`` and ``day``) or a results file
    written by ``ceasefire run --out`` (trajectories in its ``trajectories`` group). A file that
    is truncated, not NetCDF, has no ``run``/``day`` dimensions, holds none of ``observables``,
    or has non-finite values in them is refused; the data are read into memory here, so a damaged
    file fails now and not half-way through scoring.
    """
    import xarray as xr

    from ceasefire.netcdf import check_trajectories, probe

    path = probe(path, "ensemble NetCDF file")
    wanted = sorted(set(observables))
    ds = None
    for group in (None, "trajectories"):
        try:
            cand = xr.open_dataset(path, group=group, engine="h5netcdf")
        except Exception:  # noqa: BLE001 - no such group, or not a NetCDF layout xarray reads
            continue
        if cand.data_vars:
            ds = cand
            break
        cand.close()
    if ds is None:
        raise InputError(f"{path} holds no variables xarray can read (neither in the root group nor in a "
                         "`trajectories` group); it is not a ceasefire ensemble.")
    present = [v for v in wanted if v in ds.data_vars]
    if not present:
        raise InputError(f"{path} holds none of the observed variables ({', '.join(wanted)}); it has "
                         f"{', '.join(sorted(map(str, ds.data_vars)))[:300]}. Nothing could be scored.")
    try:
        ds = ds[present].load()
    except Exception as exc:  # truncated chunks surface only when the data are read
        raise InputError(f"{path}: the data of {', '.join(present)} cannot be read (the file is damaged or "
                         f"truncated: {type(exc).__name__}).") from None
    check_trajectories(ds, path, present)
    return ds


def check_regular_file_any_size(path: Path, what: str) -> None:
    """A path that exists and is a regular file (not a directory, pipe or device)."""
    import stat

    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(f"{what} not found: {path}.") from None
    except OSError as exc:
        raise InputError(f"{what} {path} cannot be read ({exc.strerror}).") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{path} is not a regular file; give the path of a {what}.")


def check_not_above(frame: pd.DataFrame, path, pairs) -> None:
    """Each row's casualties at most its strength: ``pairs`` of (column, limit column, file names)."""
    for col, limit, name, limit_name in pairs:
        bad = np.flatnonzero(frame[col].to_numpy(float) > frame[limit].to_numpy(float))
        if bad.size:
            i = int(bad[0])
            raise InputError(
                f"{path}, row {i + 2}, column '{name}': casualties {frame[col].iloc[i]:g} exceed the strength "
                f"{frame[limit].iloc[i]:g} in column '{limit_name}'; check the row ({bad.size} row(s) like this)."
            )


def check_design(X: np.ndarray, names: list[str]) -> None:
    """Refuse a regression whose regressors do not vary (identical rows, a constant column beside the
    intercept): its coefficients are not identified, and a fit would report a zero-width interval."""
    X = np.asarray(X, float)
    rank = int(np.linalg.matrix_rank(X))
    if rank < X.shape[1]:
        spread = [nm for j, nm in enumerate(names) if np.ptp(X[:, j]) == 0 and not np.all(X[:, j] == 1.0)]
        which = f" ({', '.join(spread)} takes one value in every row)" if spread else ""
        raise InputError(
            f"the data do not vary enough to fit {', '.join(names)}{which}: {X.shape[0]} rows but only {rank} "
            "independent direction(s); the fit would report a meaningless zero-width interval. Use battles that "
            "differ in their force ratios."
        )
