"""Backtest: lay a scenario's ensemble against what was observed after its date.

Scores (per observation, then per observable):

* band coverage: does the observation fall inside the ensemble's central 50% band
  (25th-75th percentile) and 90% band (5th-95th percentile)? A calibrated ensemble
  covers about half and nine tenths of the observations.
* CRPS, the continuous ranked probability score of the ensemble's empirical
  distribution, in the energy form ``CRPS = E|X - y| - 0.5 E|X - X'|`` (Gneiting &
  Raftery 2007, eq. 21), with X, X' independent draws from the ensemble (all n^2
  pairs, i.e. the empirical distribution), computed by ``scoringrules``. Same unit as
  the observable; lower is better.
* the CRPS of two naive baselines known on the start date (persistence of the last
  value; the pre-period's mean rate carried forward; :func:`baseline_forecasts`), built
  from the rows dated on or before the start (in the observations file or a history
  file), and the skill score ``1 - CRPS_model / CRPS_baseline`` per observable, with a
  plain verdict line (:func:`verdict`).

Observations file (CSV), one row a dated observation, every row with its source::

    date,observable,side,value,unit,basis,source

``observable`` names a variable of the ensemble's trajectories (e.g.
``casualties_cumulative_personnel``); ``side`` a value of its ``side`` or
``supporter`` dimension (blank if it has none); ``basis`` is ``level`` (compare
values as they are) or ``shape`` (compare the series' shape only: both the
observation and each run are divided by their value at the latest ``shape`` date of
the same observable and side within the ensemble's horizon, which is then the
reference and is not scored; use it
for one-sided claims whose level is not trusted). Values are what the ensemble
variable measures: for cumulative variables, the change since the scenario's start.

Observations never feed back into a scenario: this module only reads an ensemble.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from ceasefire.errors import InputError

from .io import parse_column, read_table, require_columns

OBS_COLUMNS = ("date", "observable", "side", "value", "unit", "basis", "source")
BANDS = {"50": (0.25, 0.75), "90": (0.05, 0.95)}


def read_observations(path: str | Path) -> pd.DataFrame:
    """Read and check an observations file; every row needs a date, a value and a source."""
    df = read_table(path)
    require_columns(df, path, OBS_COLUMNS)
    out = pd.DataFrame(
        {
            "date": parse_column(df, path, "date", "date"),
            "observable": parse_column(df, path, "observable", "text"),
            "side": parse_column(df, path, "side", "text", allow_blank=True),
            "value": parse_column(df, path, "value", "number"),
            "unit": parse_column(df, path, "unit", "text"),
            "basis": parse_column(df, path, "basis", "text"),
            "source": parse_column(df, path, "source", "text"),
        }
    )
    bad = ~out.basis.isin(["level", "shape"])
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"{path}, row {i + 2}, column 'basis': must be 'level' or 'shape' (found {out.basis.iloc[i]!r})."
        )
    out["side"] = out["side"].fillna("")
    out["row"] = np.arange(len(out)) + 2
    return out


def calibrated_up_to(scenario) -> str | None:
    """The latest data date any of ``scenario``'s values was calibrated on, from the ``source`` text
    ``ceasefire calibrate`` writes ("calibrated on FILE (...) up to YYYY-MM-DD, ..."); None if none was.
    Scoring observations dated on or before it is in-sample."""
    import re

    found = []
    for _, param in scenario.params():
        text = param.source.describe() if param.source is not None else ""
        found += re.findall(r"calibrated on .*? up to (\d{4}-\d{2}-\d{2})", text)
    return max(found) if found else None


def crps_ensemble(samples: np.ndarray, observation: float) -> float:
    """CRPS of an ensemble against one observation: ``E|X - y| - 0.5 E|X - X'|``.

    Computed by ``scoringrules.crps_ensemble`` with the energy estimator (``nrg``, the
    empirical distribution's exact CRPS; Gneiting & Raftery 2007, eq. 21). NaN samples
    are dropped; an ensemble with no finite member scores NaN.
    """
    import scoringrules

    x = np.asarray(samples, float).ravel()
    x = x[np.isfinite(x)]
    if x.size == 0:
        return float("nan")
    return float(scoringrules.crps_ensemble(float(observation), x, estimator="nrg", backend="numpy"))


def crps_point(forecast: float, observation: float) -> float:
    """CRPS of a point forecast (a one-member ensemble): the absolute error ``|f - y|``."""
    return float(abs(forecast - observation))


def band(samples: np.ndarray, level: str) -> tuple[float, float]:
    """The central band ('50' or '90') of an ensemble (linear-interpolated percentiles)."""
    lo, hi = BANDS[level]
    x = np.asarray(samples, float)
    x = x[np.isfinite(x)]
    return float(np.quantile(x, lo)), float(np.quantile(x, hi))


def _member_dim(da: xr.DataArray) -> str | None:
    for d in ("side", "supporter"):
        if d in da.dims:
            return d
    return None


def ensemble_values(ds: xr.Dataset, observable: str, side: str, day: float) -> np.ndarray:
    """Each run's value of ``observable`` for ``side`` at ``day`` (linear in day between records)."""
    da = ds[observable]
    dim = _member_dim(da)
    if dim is not None:
        labels = [str(v) for v in da[dim].values]
        match = [j for j, v in enumerate(labels) if v.lower() == side.lower()]
        if not match:
            raise KeyError(f"no {dim} {side!r} in {observable} (has {', '.join(labels)})")
        da = da.isel({dim: match[0]})
    days = da["day"].values.astype(float)
    if day < days.min() or day > days.max():
        raise IndexError(f"day {day:g} outside the ensemble's days {days.min():g}-{days.max():g}")
    return np.asarray(da.interp(day=day).transpose("run", ...).values, float).ravel()


#: Naive baselines known on the start date (see :func:`baseline_forecasts`).
BASELINES = ("persistence", "mean_rate")
#: skill above this is reported as skill; between 0 and it, as marginal
SKILL_MARGIN = 0.1


def history_points(history: pd.DataFrame, name: str, side: str, basis: str) -> tuple[np.ndarray, np.ndarray]:
    """Days (<= 0) and values of the rows known on the start date for one observable, side and basis.

    A cumulative variable (``_cumulative`` in its name) counts from the start, so its
    value on day 0 is 0 by definition and is added when the file has no day-0 row.
    """
    h = history[(history["observable"] == name) & (history["side"] == side) & (history["basis"] == basis)]
    days, vals = h["day"].to_numpy(float), h["value"].to_numpy(float)
    if "_cumulative" in name and not np.any(days == 0):
        days, vals = np.append(days, 0.0), np.append(vals, 0.0)
    order = np.argsort(days)
    return days[order], vals[order]


def baseline_forecasts(days: np.ndarray, values: np.ndarray, target_days: np.ndarray) -> dict[str, np.ndarray]:
    """Point forecasts of the naive baselines for ``target_days``, from history (``days`` <= 0).

    * ``persistence``: the last known value, carried forward unchanged.
    * ``mean_rate``: the last known value plus the pre-period's mean rate of change,
      ``(y_last - y_first) / (t_last - t_first)``, times the days ahead.

    Both are point forecasts: their predictive distribution is a single point, so their
    CRPS is the absolute error (:func:`crps_point`). A forecast needs one history point
    (persistence) or two on different days (mean rate); otherwise it is NaN.
    """
    target_days = np.asarray(target_days, float)
    out = {b: np.full(target_days.shape, np.nan) for b in BASELINES}
    if len(days) >= 1:
        out["persistence"] = np.full(target_days.shape, values[-1])
    if len(days) >= 2 and days[-1] > days[0]:
        rate = (values[-1] - values[0]) / (days[-1] - days[0])
        out["mean_rate"] = values[-1] + rate * (target_days - days[-1])
    return out


def skill_score(crps_model: float, crps_baseline: float) -> float:
    """``1 - CRPS_model / CRPS_baseline``: 1 perfect, 0 no better than the baseline, negative worse."""
    if not np.isfinite(crps_baseline) or not np.isfinite(crps_model) or crps_baseline <= 0:
        return float("nan")
    return float(1.0 - crps_model / crps_baseline)


def verdict(row: pd.Series | dict) -> str:
    """One plain line per observable: coverage and skill against each baseline."""
    label = f"{row['observable']} ({row['side'] or 'all'}, {row['basis']})"
    parts = []
    for b in BASELINES:
        sk = row.get(f"skill_{b}", np.nan)
        name = b.replace("_", " ")
        if not np.isfinite(sk):
            parts.append(f"no {name} baseline (not enough history known on the start date)")
        elif sk <= 0:
            parts.append(f"no skill against {name} (skill {sk:+.2f})")
        elif sk < SKILL_MARGIN:
            parts.append(f"marginal skill against {name} (skill {sk:+.2f})")
        else:
            parts.append(f"skill against {name} (skill {sk:+.2f})")
    cov90 = row.get("coverage_90", np.nan)
    cal = "" if not np.isfinite(cov90) else f"; {cov90:.0%} of {int(row['n'])} observations in the 90% band"
    return f"{label}: " + ", ".join(parts) + cal


@dataclass
class BacktestResult:
    rows: pd.DataFrame  # one row per scored observation
    summary: pd.DataFrame  # one row per observable and side
    skipped: list[str] = field(default_factory=list)

    @property
    def verdicts(self) -> list[str]:
        return [verdict(r) for _, r in self.summary.iterrows()]


def score(ensemble: xr.Dataset, observations: pd.DataFrame, start_date, history: pd.DataFrame | None = None) -> BacktestResult:
    """Score every usable observation against the ensemble and the naive baselines (module docstring).

    Rows dated on or before the start (in ``observations`` or ``history``) are never
    scored; they are what was known on the start date and feed only the baselines.
    """
    start = pd.Timestamp(start_date).normalize()
    skipped: list[str] = []
    rows = []
    obs = observations.copy()
    obs["day"] = (obs["date"] - start).dt.days.astype(float)
    early = obs["day"] <= 0
    if early.any():
        skipped.append(f"{int(early.sum())} observation(s) dated on or before the scenario's start {start.date()} were "
                       "not scored (used only as history for the baselines)")
    known = obs[early]
    if history is not None and len(history):
        h = history.copy()
        h["day"] = (h["date"] - start).dt.days.astype(float)
        late_h = h["day"] > 0
        if late_h.any():
            raise InputError(f"history row {int(h['row'].iloc[int(np.flatnonzero(late_h.to_numpy())[0])])} is dated after "
                             f"the start {start.date()}: a baseline may only use what was known on the start date.")
        known = pd.concat([known, h], ignore_index=True)
    obs = obs[~early]
    horizon = float(np.max(ensemble["day"].values)) if "day" in ensemble.coords else np.inf
    late = obs["day"] > horizon
    if late.any():
        skipped.append(f"{int(late.sum())} observation(s) after the ensemble's last day ({horizon:g}) were ignored")
    obs = obs[~late]
    for (name, side, basis), grp in obs.groupby(["observable", "side", "basis"], sort=False):
        if name not in ensemble.data_vars:
            skipped.append(f"{name} ({side or 'no side'}): not simulated by this ensemble ({len(grp)} rows)")
            continue
        grp = grp.sort_values("day")
        hd, hv = history_points(known, name, side, basis)
        ref_vals = None
        ref_obs = 1.0
        ref_date, ref_day = "", np.nan
        base_ref = {b: 1.0 for b in BASELINES}
        if basis == "shape":
            ref = grp.iloc[-1]
            try:
                ref_vals = ensemble_values(ensemble, name, side, ref["day"])
            except (KeyError, IndexError) as exc:
                skipped.append(f"{name} ({side}): shape reference on {ref['date'].date()} unusable: {exc}")
                continue
            ref_obs = ref["value"]
            ref_date, ref_day = ref["date"].date().isoformat(), float(ref["day"])
            grp = grp.iloc[:-1]
            if ref_obs == 0:
                skipped.append(f"{name} ({side}): shape reference value is 0, cannot normalise")
                continue
            # a baseline's forecast is normalised by its own forecast for the reference date, as each run is
            base_ref = {b: float(v[0]) for b, v in baseline_forecasts(hd, hv, np.array([ref_day])).items()}
        fc = baseline_forecasts(hd, hv, grp["day"].to_numpy(float))
        for k, (_, r) in enumerate(grp.iterrows()):
            try:
                vals = ensemble_values(ensemble, name, side, r["day"])
            except (KeyError, IndexError) as exc:
                skipped.append(f"{name} ({side}) on {r['date'].date()}: {exc}")
                continue
            y = r["value"]
            if ref_vals is not None:
                with np.errstate(divide="ignore", invalid="ignore"):
                    vals = np.where(ref_vals > 0, vals / ref_vals, np.nan)
                y = y / ref_obs
            if not np.isfinite(vals).any():
                skipped.append(f"{name} ({side}) on {r['date'].date()}: no finite ensemble value")
                continue
            b50, b90 = band(vals, "50"), band(vals, "90")
            row = {
                "observable": name, "side": side, "basis": basis, "date": r["date"].date().isoformat(),
                "day": r["day"], "observed": y, "unit": "ratio to reference" if basis == "shape" else r["unit"],
                "median": float(np.nanmedian(vals)), "p05": b90[0], "p25": b50[0], "p75": b50[1], "p95": b90[1],
                "in_50": bool(b50[0] <= y <= b50[1]), "in_90": bool(b90[0] <= y <= b90[1]),
                "crps": crps_ensemble(vals, y), "reference_date": ref_date, "reference_day": ref_day,
                "source": r["source"],
            }
            for b in BASELINES:
                f = fc[b][k]
                if basis == "shape":
                    f = f / base_ref[b] if np.isfinite(base_ref[b]) and base_ref[b] != 0 else np.nan
                row[b] = float(f)
                row[f"crps_{b}"] = crps_point(f, y) if np.isfinite(f) else np.nan
            rows.append(row)
    table = pd.DataFrame(rows)
    cols = ["observable", "side", "basis", "n", "coverage_50", "coverage_90", "mean_crps"] + \
        [f"mean_crps_{b}" for b in BASELINES] + [f"skill_{b}" for b in BASELINES] + ["unit"]
    if table.empty:
        summary = pd.DataFrame(columns=cols)
    else:
        agg = {"n": ("observed", "size"), "coverage_50": ("in_50", "mean"), "coverage_90": ("in_90", "mean"),
               "mean_crps": ("crps", "mean"), **{f"mean_crps_{b}": (f"crps_{b}", "mean") for b in BASELINES},
               "unit": ("unit", "first")}
        summary = table.groupby(["observable", "side", "basis"], sort=False).agg(**agg).reset_index()
        for b in BASELINES:
            summary[f"skill_{b}"] = [skill_score(m, c) for m, c in zip(summary["mean_crps"], summary[f"mean_crps_{b}"])]
        summary = summary[cols]
    return BacktestResult(table, summary, skipped)


def plot_backtest(ensemble: xr.Dataset, result: BacktestResult, observations: pd.DataFrame, start_date, outdir: str | Path) -> list[Path]:
    """One PNG per observable and side: ensemble median, 50% and 90% bands, observations."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    if result.rows.empty:
        return paths
    for (name, side, basis), grp in result.rows.groupby(["observable", "side", "basis"], sort=False):
        da = ensemble[name]
        dim = _member_dim(da)
        if dim is not None:
            labels = [str(v).lower() for v in da[dim].values]
            da = da.isel({dim: labels.index(side.lower())})
        vals = np.asarray(da.transpose("run", "day").values, float)
        days = da["day"].values.astype(float)
        ylabel = f"{name} ({grp['unit'].iloc[0]})"
        if basis == "shape":
            ref_day = float(grp["reference_day"].iloc[0])
            ref = np.asarray(da.interp(day=ref_day).transpose("run", ...).values, float).ravel()
            with np.errstate(divide="ignore", invalid="ignore"):
                vals = np.where(ref[:, None] > 0, vals / ref[:, None], np.nan)
            ylabel = f"ratio to value on {grp['reference_date'].iloc[0]} (1)"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            q = np.nanquantile(vals, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
        fig, ax = plt.subplots(figsize=(7, 4))
        ax.fill_between(days, q[0], q[4], alpha=0.2, color="C0", label="90% band")
        ax.fill_between(days, q[1], q[3], alpha=0.4, color="C0", label="50% band")
        ax.plot(days, q[2], color="C0", label="ensemble median")
        inside = grp["in_90"].to_numpy()
        ax.scatter(grp["day"][inside], grp["observed"][inside], color="k", zorder=3, label="observed (in 90% band)")
        ax.scatter(grp["day"][~inside], grp["observed"][~inside], color="C3", marker="x", zorder=3, label="observed (outside)")
        ax.set_xlabel(f"days since scenario start {pd.Timestamp(start_date).date()} (days)")
        ax.set_ylabel(ylabel)
        ax.set_title(f"{name} ({side or 'all'}, {basis})\ncoverage 50% {grp['in_50'].mean():.0%}, 90% {grp['in_90'].mean():.0%}")
        ax.legend(fontsize=8)
        fig.tight_layout()
        p = outdir / f"backtest_{name}_{side or 'all'}.png".replace(" ", "_")
        fig.savefig(p, dpi=110)
        plt.close(fig)
        paths.append(p)
    return paths


def _weighted_crps(samples: np.ndarray, weights: np.ndarray, observation: float) -> float:
    import scoringrules

    ok = np.isfinite(samples) & (weights > 0)
    if not ok.any():
        return float("nan")
    return float(scoringrules.crps_ensemble(float(observation), samples[ok], ens_w=weights[ok], estimator="nrg",
                                            backend="numpy"))


def rolling_origins(ensemble: xr.Dataset, observations: pd.DataFrame, start_date, origin_every_days: int,
                    history: pd.DataFrame | None = None, rel_noise: float = 0.05) -> pd.DataFrame:
    """Forecasts from rolling origins: the ensemble conditioned on what was observed by each origin.

    The scenario starts once; a later forecast origin ``o`` (every ``origin_every_days``
    after the start, while observations remain after it) is formed by importance
    reweighting: each run's weight is the Gaussian likelihood of the ``level``
    observations dated in ``(start, o]`` (error sd ``rel_noise`` x the series' largest
    absolute value), so runs that followed the observed path so far count more; the
    effective sample size ``1 / sum w^2`` says how many runs the forecast rests on.
    The conditioned ensemble is scored (weighted CRPS by ``scoringrules``, weighted
    90% band) on the observations after ``o``; the baselines use every row known at
    ``o`` (history, rows before the start and rows up to ``o``). ``shape`` rows are left
    out (their reference lies in the future). Origin 0 is the plain backtest.
    """
    start = pd.Timestamp(start_date).normalize()
    obs = observations.copy()
    obs["day"] = (obs["date"] - start).dt.days.astype(float)
    if history is not None and len(history):
        h = history.copy()
        h["day"] = (h["date"] - start).dt.days.astype(float)
        obs = pd.concat([obs, h[h["day"] <= 0]], ignore_index=True)
    horizon = float(np.max(ensemble["day"].values))
    obs = obs[(obs["basis"] == "level") & (obs["day"] <= horizon)]
    obs = obs[obs["observable"].isin(list(ensemble.data_vars))]
    scale = obs.groupby(["observable", "side"])["value"].transform(lambda v: np.abs(v).max()).replace(0, 1.0)
    obs = obs.assign(sd=rel_noise * scale)
    after = obs[obs["day"] > 0]
    if after.empty or origin_every_days < 1:
        return pd.DataFrame()
    rows = []
    values = {i: ensemble_values(ensemble, r["observable"], r["side"], r["day"]) for i, r in after.iterrows()}
    for od in np.arange(0, after["day"].max(), origin_every_days, dtype=float):
        past = after[after["day"] <= od]
        future = after[after["day"] > od]
        if future.empty:
            break
        logw = np.zeros(len(next(iter(values.values()))))
        for i, r in past.iterrows():
            with np.errstate(invalid="ignore"):
                logw += np.where(np.isfinite(values[i]), -0.5 * ((values[i] - r["value"]) / r["sd"]) ** 2, -np.inf)
        if not np.isfinite(logw).any():
            continue
        w = np.exp(logw - logw[np.isfinite(logw)].max())
        w /= w.sum()
        ess = float(1.0 / np.sum(w**2))
        known = obs[obs["day"] <= od]
        for (name, side), grp in future.groupby(["observable", "side"], sort=False):
            hd, hv = history_points(known, name, side, "level")  # all rows known at the origin
            fc = baseline_forecasts(hd, hv, grp["day"].to_numpy(float))
            crps, in90, base = [], [], {b: [] for b in BASELINES}
            for k, (i, r) in enumerate(grp.iterrows()):
                v = values[i]
                ok = np.isfinite(v) & (w > 0)
                lo, hi = np.quantile(v[ok], [0.05, 0.95], weights=w[ok], method="inverted_cdf")
                in90.append(lo <= r["value"] <= hi)
                crps.append(_weighted_crps(v, w, r["value"]))
                for b in BASELINES:
                    base[b].append(crps_point(fc[b][k], r["value"]) if np.isfinite(fc[b][k]) else np.nan)
            row = {"origin_day": od, "origin_date": (start + pd.Timedelta(days=od)).date().isoformat(),
                   "observable": name, "side": side, "n": len(grp), "ess_runs": ess,
                   "coverage_90": float(np.mean(in90)), "mean_crps": float(np.mean(crps))}
            for b in BASELINES:
                row[f"mean_crps_{b}"] = float(np.mean(base[b])) if np.isfinite(base[b]).all() else np.nan
                row[f"skill_{b}"] = skill_score(row["mean_crps"], row[f"mean_crps_{b}"])
            rows.append(row)
    return pd.DataFrame(rows)
