"""Observed paths for calibration: what was seen, on which day, with what error.

File (CSV), one row an observation, every row with its source::

    date,observable,side,value,unit,source[,sd]

``observable`` is a variable the engine records per side (for example
``territory_share`` or ``casualties_cumulative_personnel``), ``side`` one of the
scenario's sides, ``value`` in that variable's unit (cumulative variables count from the
scenario's start). ``sd`` is the standard deviation of the observation error in the
same unit. The files of :mod:`ceasefire.validate.backtest` (with a ``basis`` column)
are accepted too; calibration uses only ``basis = level``.

Observation noise model: ``observed = simulated + e``, ``e ~ Normal(0, sd)``,
independent across rows. Where ``sd`` is blank or absent it is ``rel_noise`` times the
largest absolute value of the same observable and side (default 5%): a stated,
deliberately coarse error for series whose uncertainty their source does not give.

Honest measurement: a row dated after the cutoff (by default the scenario's start
date) is refused with :class:`InputError` naming the row. A hindcast scenario that
starts earlier than the date of its information (24 February 2022 with sources up to
11 November 2022) states that date with ``as_of``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ceasefire.errors import InputError
from ceasefire.validate.io import parse_column, read_table, require_columns

COLUMNS = ("date", "observable", "side", "value", "unit", "source")


@dataclass(frozen=True)
class ObservedPaths:
    """Observations laid on the scenario's day grid (one entry per row used)."""

    observable: np.ndarray  # (n,) str
    side: np.ndarray  # (n,) str
    day: np.ndarray  # (n,) int, days since the scenario's start
    date: np.ndarray  # (n,) datetime64[D]
    value: np.ndarray  # (n,) float
    sd: np.ndarray  # (n,) float, observation error
    unit: np.ndarray  # (n,) str
    source_file: str
    last_date: dt.date
    notes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.value)

    @property
    def series(self) -> list[tuple[str, str]]:
        """Distinct (observable, side) pairs, in file order."""
        seen: dict[tuple[str, str], None] = {}
        for o, s in zip(self.observable, self.side):
            seen.setdefault((str(o), str(s)), None)
        return list(seen)

    def subset(self, keep: np.ndarray) -> "ObservedPaths":
        """The rows where ``keep`` is true (e.g. the first k dates)."""
        keep = np.asarray(keep, bool)
        last = pd.Timestamp(self.date[keep].max()).date() if keep.any() else self.last_date
        return ObservedPaths(self.observable[keep], self.side[keep], self.day[keep], self.date[keep], self.value[keep],
                             self.sd[keep], self.unit[keep], self.source_file, last, self.notes)


def read_observed_paths(path: str | Path, start_date, cutoff_date=None, sides=None, rel_noise: float = 0.05,
                        known_observables=None) -> ObservedPaths:
    """Read and check an observations file for calibration (see module docstring)."""
    if not rel_noise > 0:
        raise InputError(f"the relative observation noise must be positive, got {rel_noise}.")
    df = read_table(path)
    require_columns(df, path, COLUMNS)
    date = parse_column(df, path, "date", "date")
    obs = parse_column(df, path, "observable", "text")
    side = parse_column(df, path, "side", "text", allow_blank=True).fillna("")
    value = parse_column(df, path, "value", "number")
    unit = parse_column(df, path, "unit", "text")
    parse_column(df, path, "source", "text")
    sd = parse_column(df, path, "sd", "positive", allow_blank=True) if "sd" in df.columns else pd.Series(np.nan, index=df.index)
    start = pd.Timestamp(start_date).normalize()
    cutoff = start if cutoff_date is None else pd.Timestamp(cutoff_date).normalize()
    late = np.flatnonzero((date > cutoff).to_numpy())
    if late.size:
        i = int(late[0])
        which = "the scenario's start date" if cutoff_date is None else "the --as-of date"
        raise InputError(
            f"{path}, row {i + 2}: dated {date.iloc[i].date()}, after {which} {cutoff.date()}. A scenario is "
            f"calibrated only on what was observed by then ({late.size} row(s) are later); later data are for "
            "the backtest. Remove those rows, or give a hindcast scenario with --as-of the date its sources end."
        )
    notes: list[str] = []
    keep = np.ones(len(df), bool)
    if "basis" in df.columns:
        shape = (df["basis"].str.strip() == "shape").to_numpy()
        if shape.any():
            notes.append(f"{int(shape.sum())} row(s) with basis 'shape' are not used (calibration compares levels)")
        keep &= ~shape
    early = (date < start).to_numpy()
    if early.any():
        notes.append(f"{int(early.sum())} row(s) dated before the scenario's start {start.date()} cannot be simulated and are not used")
    keep &= ~early
    for i in np.flatnonzero(keep):
        if known_observables is not None and obs.iloc[i] not in known_observables:
            raise InputError(
                f"{path}, row {i + 2}, column 'observable': {obs.iloc[i]!r} is not a variable the engine records per "
                f"side; use one of {', '.join(sorted(known_observables))}."
            )
        if sides is not None and side.iloc[i] not in sides:
            raise InputError(f"{path}, row {i + 2}, column 'side': {side.iloc[i]!r} is not a side of the scenario "
                             f"({', '.join(sides)}).")
    if not keep.any():
        raise InputError(f"{path}: no row is dated on or after the scenario's start {start.date()} with basis 'level'; "
                         "nothing to calibrate on.")
    frame = pd.DataFrame({"date": date, "observable": obs, "side": side, "value": value, "unit": unit, "sd": sd})[keep]
    dup = frame.duplicated(["date", "observable", "side"])
    if dup.any():
        i = int(np.flatnonzero(keep)[np.flatnonzero(dup.to_numpy())[0]])
        raise InputError(f"{path}, row {i + 2}: a second value for the same date, observable and side.")
    scale = frame.groupby(["observable", "side"])["value"].transform(lambda v: np.abs(v).max())
    default_sd = rel_noise * scale
    if (frame["sd"].isna() & (default_sd <= 0)).any():
        raise InputError(f"{path}: a series is zero on every row and has no 'sd'; give its observation error in an 'sd' column.")
    filled = frame["sd"].isna()
    if filled.any():
        notes.append(f"{int(filled.sum())} row(s) without 'sd': observation error set to {rel_noise:g} x the series' largest value")
    frame["sd"] = frame["sd"].where(~filled, default_sd)
    return ObservedPaths(
        observable=frame["observable"].to_numpy(str), side=frame["side"].to_numpy(str),
        day=((frame["date"] - start).dt.days).to_numpy(int), date=frame["date"].to_numpy("datetime64[D]"),
        value=frame["value"].to_numpy(float), sd=frame["sd"].to_numpy(float), unit=frame["unit"].to_numpy(str),
        source_file=str(path), last_date=frame["date"].max().date(), notes=tuple(notes),
    )
