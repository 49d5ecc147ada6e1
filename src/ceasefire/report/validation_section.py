"""The report's Validation section: in-sample fit and out-of-sample backtest, labelled plainly.

``ceasefire report EXPLORATION --validation DIR [--validation DIR ...]`` adds it. Each DIR is
the ``--out`` directory of one ``ceasefire backtest`` run (``backtest_summary.csv``,
``backtest_run.json``, its PNGs) or of one ``ceasefire calibrate`` run (``calibration.nc``):

* a calibration is always **in-sample**: its posterior predictive is scored on the very
  observations it was fitted to (share of them inside the 50% and 90% bands, per series);
* a backtest is **out-of-sample** when no value of its scenario was calibrated on data dated on or
  after the first scored observation (``backtest_run.json``'s ``calibrated_up_to``, read from the
  sources ``calibrate`` writes), **in-sample** when every scored observation is dated on or before
  that date, and **partly in-sample** otherwise.

Numbers come from the files as the commands wrote them; nothing is recomputed except the
calibration's coverage, from its stored predictive quantiles.
"""

from __future__ import annotations

import base64
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..errors import InputError

IN_SAMPLE = "in-sample"
OUT_OF_SAMPLE = "out-of-sample"
PARTLY = "partly in-sample"
SUMMARY_COLUMNS = ("observable", "side", "basis", "n", "coverage_50", "coverage_90", "mean_crps", "skill_persistence",
                   "skill_mean_rate", "unit")


def sample_status(calibrated_up_to: str | None, first_scored: str, last_scored: str) -> str:
    """In-sample, out-of-sample or partly in-sample: scored observations against the latest date the
    scenario was calibrated on (None: never calibrated, so out-of-sample)."""
    if calibrated_up_to is None:
        return OUT_OF_SAMPLE
    cut = pd.Timestamp(calibrated_up_to)
    if pd.Timestamp(first_scored) > cut:
        return OUT_OF_SAMPLE
    if pd.Timestamp(last_scored) <= cut:
        return IN_SAMPLE
    return PARTLY


def calibration_coverage(ds: xr.Dataset) -> list[dict]:
    """Per observed series of a ``calibration.nc``, the share of observations inside the posterior
    predictive's central 50% (25th-75th percentile) and 90% (5th-95th) bands. Units: share."""
    q = ds["predictive_quantile"]
    lo90, lo50, hi50, hi90 = (q.sel(quantile=v).values for v in (0.05, 0.25, 0.75, 0.95))
    y = ds["observed"].values
    obs, side = ds["observable"].values.astype(str), ds["side"].values.astype(str)
    rows = []
    for o, s in dict.fromkeys(zip(obs, side)):
        m = (obs == o) & (side == s)
        rows.append({"observable": o, "side": s, "n": int(m.sum()),
                     "coverage_50": float(np.mean((lo50[m] <= y[m]) & (y[m] <= hi50[m]))),
                     "coverage_90": float(np.mean((lo90[m] <= y[m]) & (y[m] <= hi90[m])))})
    return rows


def _pct(v) -> str:
    return "n/a" if v is None or (isinstance(v, float) and not math.isfinite(v)) else f"{float(v):.0%}"


def _num(v) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "n/a"
    v = float(v)
    return f"{v:+.2f}" if abs(v) < 1000 else f"{v:,.0f}"


def _crps(v, unit: str) -> str:
    if v is None or not math.isfinite(float(v)):
        return "n/a"
    v = float(v)
    return f"{v:.4f}" if unit == "share" else (f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}")


def _png(path: Path) -> dict:
    return {"src": "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii"), "alt": path.stem}


def read_backtest(directory: Path) -> dict:
    """One backtest run's numbers and plots, with its in-/out-of-sample label."""
    summary, record = directory / "backtest_summary.csv", directory / "backtest_run.json"
    for f in (summary, record):
        if not f.is_file():
            raise InputError(f"{f.name} is missing: give --validation the --out directory of one `ceasefire backtest` "
                             "run (re-run it with this version, which writes backtest_run.json)", where=str(directory))
    try:
        meta = json.loads(record.read_text(encoding="utf-8"))
        table = pd.read_csv(summary, keep_default_na=False, na_values=[""])
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the backtest files ({type(exc).__name__}: {exc})", where=str(directory)) from None
    missing = [c for c in SUMMARY_COLUMNS if c not in table.columns]
    keys = [k for k in ("scenario", "start_date", "observed_file", "first_scored_date", "last_scored_date") if k not in meta]
    if missing or keys:
        raise InputError(f"not a backtest of this version: missing {', '.join(missing + keys)}", where=str(directory))
    status = sample_status(meta.get("calibrated_up_to"), meta["first_scored_date"], meta["last_scored_date"])
    rows = []
    for _, r in table.iterrows():
        unit = str(r["unit"])
        rows.append({"series": f"{r['observable']} ({r['side']}, {r['basis']})", "n": int(r["n"]),
                     "in_50": _pct(r["coverage_50"]), "in_90": _pct(r["coverage_90"]),
                     "crps": _crps(r["mean_crps"], unit), "unit": unit,
                     "skill_persistence": _num(r["skill_persistence"]), "skill_mean_rate": _num(r["skill_mean_rate"]),
                     "verdict": _verdict(r)})
    return {"kind": "backtest", "status": status, "meta": meta, "rows": rows,
            "plots": [_png(p) for p in sorted(directory.glob("backtest_*.png"))]}


def _verdict(r) -> str:
    from ..validate.backtest import verdict

    return verdict(r.to_dict())


def read_calibration(directory: Path) -> dict:
    """One calibration run's in-sample fit (always in-sample) and its predictive-band plot."""
    nc = directory / "calibration.nc"
    if not nc.is_file():
        raise InputError("calibration.nc is missing: give --validation the --out directory of one `ceasefire calibrate` "
                         "run", where=str(directory))
    try:
        ds = xr.load_dataset(nc, engine="h5netcdf")
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read calibration.nc ({type(exc).__name__})", where=str(directory)) from None
    if "predictive_quantile" not in ds or "observed" not in ds:
        raise InputError("calibration.nc has no predictive_quantile/observed: not from `ceasefire calibrate`",
                         where=str(directory))
    rows = [{"series": f"{r['observable']} ({r['side']})", "n": r["n"], "in_50": _pct(r["coverage_50"]),
             "in_90": _pct(r["coverage_90"])} for r in calibration_coverage(ds)]
    dates = pd.to_datetime(ds["date"].values)
    meta = {"scenario": ds.attrs.get("scenario", "?"), "source": ds.attrs.get("source", ""),
            "observed_file": ds.attrs.get("observed_file", "?"), "first_scored_date": str(dates.min().date()),
            "last_scored_date": str(dates.max().date())}
    plots = [_png(p) for p in sorted(directory.glob("*predictive*.png"))]
    return {"kind": "calibration", "status": IN_SAMPLE, "meta": meta, "rows": rows, "plots": plots}


def read_validation(directory: str | Path) -> dict:
    """A backtest or calibration output directory, whichever it is."""
    d = Path(directory)
    if not d.is_dir():
        raise InputError("not a directory: give --validation the --out directory of `ceasefire backtest` or "
                         "`ceasefire calibrate`", where=str(d))
    if (d / "calibration.nc").is_file():
        return read_calibration(d)
    return read_backtest(d)


def validation_html(directories: list[str | Path]) -> str | None:
    """HTML of the Validation section for the given runs (None when there are none)."""
    if not directories:
        return None
    runs = [read_validation(d) for d in directories]
    env = Environment(loader=PackageLoader("ceasefire.report", "templates"), autoescape=select_autoescape(["html", "j2"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("validation.html.j2").render(runs=runs, IN_SAMPLE=IN_SAMPLE, OUT_OF_SAMPLE=OUT_OF_SAMPLE)
