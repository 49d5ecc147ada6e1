"""Assemble ``data/ukraine/observed.csv`` from the public Ukraine data copied into ``data/ukraine``.

Every row names its source precisely (data set, file, column, the two dates whose
difference it is). Values are changes since the scenario's start date, as the
engine's cumulative variables count them. The General Staff "personnel" figure counts
Russian personnel it claims were killed, so it is laid against ``killed_cumulative_personnel``. Both series are used for their *shape*
only (``basis = shape``): the General Staff figures are one side's claims about the
other, and Oryx counts only photo-confirmed equipment losses (a lower bound).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

GS_FILE = "ua_general_staff_claimed_russian_losses.csv"
ORYX_FILE = "oryx_equipment_losses_by_type.csv"
GS_SOURCE = (
    "Ukraine General Staff claimed Russian losses, via PetroIvaniuk/2022-Ukraine-Russia-War-Dataset "
    "(commit 37655f8) data/russia_losses_personnel.json, MIT licence; copied as data/ukraine/" + GS_FILE
)
ORYX_SOURCE = (
    "Oryx, via scarnecchia/oryx_data (totals_by_type.csv, newest version of each day; HEAD a8624b4), "
    "CC BY 4.0; copied as data/ukraine/" + ORYX_FILE
)


def _value_on_or_before(df: pd.DataFrame, column: str, date: pd.Timestamp) -> tuple[pd.Timestamp, float]:
    sub = df[df["date"] <= date]
    row = sub.iloc[-1]
    return row["date"], float(row[column])


def derive_ukraine_observations(data_dir: str | Path, start_date: str = "2022-11-11", months: int = 24) -> pd.DataFrame:
    """Monthly observations after ``start_date`` (``date, observable, side, value, unit, basis, source``)."""
    data_dir = Path(data_dir)
    start = pd.Timestamp(start_date)
    gs = pd.read_csv(data_dir / GS_FILE, parse_dates=["date"]).sort_values("date")
    oryx = pd.read_csv(data_dir / ORYX_FILE, parse_dates=["date"]).sort_values("date")
    rows = []
    d0, v0 = _value_on_or_before(gs, "personnel", start)
    for m in range(1, months + 1):
        target = start + pd.DateOffset(months=m)
        d, v = _value_on_or_before(gs, "personnel", target)
        rows.append(
            {
                "date": d.date().isoformat(), "observable": "killed_cumulative_personnel", "side": "russia",
                "value": v - v0, "unit": "personnel", "basis": "shape",
                "source": f"{GS_SOURCE}; column 'personnel' on {d.date()} ({v:.0f}) minus on {d0.date()} ({v0:.0f}); "
                "one-sided claim of killed Russian personnel: shape only",
            }
        )
    for side, country in (("russia", "Russia"), ("ukraine", "Ukraine")):
        col = f"{country}|All Types"
        od0, ov0 = _value_on_or_before(oryx, col, start)
        for m in range(1, months + 1):
            target = start + pd.DateOffset(months=m)
            d, v = _value_on_or_before(oryx, col, target)
            rows.append(
                {
                    "date": d.date().isoformat(), "observable": "equipment_losses_cumulative", "side": side,
                    "value": v - ov0, "unit": "vehicles and systems", "basis": "shape",
                    "source": f"{ORYX_SOURCE}; column '{col}' on {d.date()} ({v:.0f}) minus on {od0.date()} ({ov0:.0f}); "
                    "visually confirmed losses, a lower bound: shape only",
                }
            )
    return pd.DataFrame(rows)


def derive_ukraine_history(data_dir: str | Path, start_date: str = "2022-11-11", months: int = 8) -> pd.DataFrame:
    """Monthly General Staff rows up to ``start_date``: what the baselines may know on that date.

    Same columns and basis as :func:`derive_ukraine_observations` (``killed_cumulative_personnel``,
    Russia, shape), values as changes since ``start_date`` (negative before it, 0 on it).
    Only values dated on or before the start are used.
    """
    data_dir = Path(data_dir)
    start = pd.Timestamp(start_date)
    gs = pd.read_csv(data_dir / GS_FILE, parse_dates=["date"]).sort_values("date")
    d0, v0 = _value_on_or_before(gs, "personnel", start)
    rows = []
    for m in range(months, -1, -1):
        target = start - pd.DateOffset(months=m)
        d, v = _value_on_or_before(gs, "personnel", target)
        rows.append(
            {
                "date": d.date().isoformat(), "observable": "killed_cumulative_personnel", "side": "russia",
                "value": v - v0, "unit": "personnel", "basis": "shape",
                "source": f"{GS_SOURCE}; column 'personnel' on {d.date()} ({v:.0f}) minus on {d0.date()} ({v0:.0f}); "
                "known on the start date; one-sided claim of killed Russian personnel: shape only",
            }
        )
    return pd.DataFrame(rows)
