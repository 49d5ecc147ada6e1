"""Check every file the report reads from an exploration, before the report is drawn.

``ceasefire report`` trusts nothing on disk: a file may be truncated, edited by hand,
left from an older version or from another exploration. Each file the report reads
(``summary.json``, ``fan.nc``, ``truce_map.nc`` and, when present, ``sensitivity.nc``
and ``fight_on_trajectories.nc``) is checked here for its structure (keys and types,
variables and their dimensions), its labels (policies and sides agree with
``summary.json``) and its values (finite; shares in [0, 1]). The first problem raises
:class:`~ceasefire.errors.InputError` naming the file and what is wrong, so corrupted
data are never drawn silently.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from ..errors import InputError

#: The fan chart's quantiles (``explore/fan.py``).
FAN_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
#: Variables every truce map holds, with their dimensions.
TRUCE_MAP_VARS = {
    "share_favours": ("start_day", "truce_days", "side"),
    "share_neither": ("start_day", "truce_days"),
    "valid": ("start_day", "truce_days"),
}
SENSITIVITY_VARS = {
    "S1": ("outcome", "n_base", "factor", "policy"),
    "ST": ("outcome", "n_base", "factor", "policy"),
    "S1_conf": ("outcome", "n_base", "factor", "policy"),
    "ST_conf": ("outcome", "n_base", "factor", "policy"),
    "converged": ("outcome", "factor", "policy"),
}
#: Keys of summary.json the report uses, with their JSON types.
SUMMARY_KEYS = {
    "sides": dict, "supporters": dict, "policies": list, "favours_table": list, "discovery": list,
    "parameters": list, "policy_table": list, "focus_side": str, "sensitivity_outcomes": dict,
}
REPORT_INPUTS = ("summary.json", "fan.nc", "truce_map.nc", "sensitivity.nc", "fight_on_trajectories.nc")


def _bad(path: Path, problem: str) -> InputError:
    return InputError(f"{problem}; the file is damaged or not from this exploration. Re-run "
                      "`ceasefire explore ... --resume` (or --force) to rebuild it", where=str(path))


def check_summary(path: Path) -> dict:
    """summary.json: a mapping with the keys and types the report reads, policies and shares well-formed."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_constant=lambda c: math.nan)
    except FileNotFoundError:
        raise InputError("summary.json is missing: the exploration has not finished; run `ceasefire explore ... "
                         "--resume` to complete it", where=str(path)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad(path, f"not readable JSON ({type(exc).__name__})") from None
    if not isinstance(data, dict):
        raise _bad(path, "not a JSON object")
    for key, kind in SUMMARY_KEYS.items():
        if key not in data:
            raise _bad(path, f"key `{key}` is missing")
        if not isinstance(data[key], kind):
            raise _bad(path, f"`{key}` should be a {kind.__name__}, got {type(data[key]).__name__}")
    if len(data["sides"]) < 2 or not all(isinstance(v, str) for v in data["sides"].values()):
        raise _bad(path, "`sides` must map at least two side names to labels")
    if data["focus_side"] not in data["sides"]:
        raise _bad(path, f"`focus_side` {data['focus_side']!r} is not one of the sides")
    names = []
    for i, p in enumerate(data["policies"]):
        if not isinstance(p, dict) or not isinstance(p.get("name"), str) or p.get("kind") not in ("fight_on", "truce"):
            raise _bad(path, f"policies[{i}] needs a `name` and a `kind` (fight_on or truce)")
        for k in ("start_day", "days"):
            v = p.get(k)
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise _bad(path, f"policies[{i}].{k} must be a whole number >= 0, got {v!r}")
        if not isinstance(p.get("description"), str):
            raise _bad(path, f"policies[{i}].description must be text")
        names.append(p["name"])
    if not any(p["kind"] == "truce" for p in data["policies"]):
        raise _bad(path, "`policies` holds no truce")
    for i, row in enumerate(data["favours_table"]):
        if not isinstance(row, dict) or row.get("policy") not in names:
            raise _bad(path, f"favours_table[{i}] names no policy of the exploration")
        for k, v in row.items():
            if k in ("policy", "description"):
                continue
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0.0 <= v <= 1.0:
                raise _bad(path, f"favours_table[{i}].{k} must be a share in [0, 1], got {v!r}")
    fm = data.get("favours_measures", {"rows": []})
    if not isinstance(fm, dict) or not isinstance(fm.get("rows", []), list):
        raise _bad(path, "`favours_measures` should be an object with a list of `rows`")
    for i, row in enumerate(fm.get("rows", [])):
        if not isinstance(row, dict) or row.get("policy") not in names or not isinstance(row.get("measure"), str):
            raise _bad(path, f"favours_measures.rows[{i}] names no measure or no policy of the exploration")
        for k in ("share", "lo", "hi"):
            v = row.get(k)
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float)) or not 0.0 <= v <= 1.0):
                raise _bad(path, f"favours_measures.rows[{i}].{k} must be a share in [0, 1] or null, got {v!r}")
    if fm.get("rows") and not isinstance(fm.get("definitions"), dict):
        raise _bad(path, "`favours_measures.definitions` should map each measure to its definition")
    for i, d in enumerate(data["discovery"]):
        if not isinstance(d, dict) or "side" not in d or "sentence" not in d:
            raise _bad(path, f"discovery[{i}] needs `side` and `sentence`")
    for i, p in enumerate(data["parameters"]):
        if not isinstance(p, dict) or "source_kind" not in p:
            raise _bad(path, f"parameters[{i}] needs `source_kind`")
    for i, r in enumerate(data["policy_table"]):
        if not isinstance(r, dict) or not {"quantity", "who"} <= set(r):
            raise _bad(path, f"policy_table[{i}] needs `quantity` and `who`")
    return data


def _open(path: Path):
    import xarray as xr

    from ..explore.store import NETCDF_ENGINE
    from ..netcdf import probe

    if not path.exists():
        raise InputError(f"{path.name} is missing; re-run `ceasefire explore ... --resume` to rebuild the analyses",
                         where=str(path))
    try:
        probe(path, f"{path.name} of the exploration")
    except InputError as exc:
        raise _bad(path, str(exc).rstrip(".")) from None
    try:
        with xr.open_dataset(path, engine=NETCDF_ENGINE) as ds:
            return ds.load()
    except FileNotFoundError:
        raise InputError(f"{path.name} is missing; re-run `ceasefire explore ... --resume` to rebuild the analyses",
                         where=str(path)) from None
    except Exception as exc:  # h5py and xarray raise many kinds on a damaged file
        raise _bad(path, f"not a readable NetCDF file ({type(exc).__name__})") from None


def _need_vars(path: Path, ds, spec: dict[str, tuple[str, ...]]) -> None:
    for var, dims in spec.items():
        if var not in ds.data_vars:
            raise _bad(path, f"variable `{var}` is missing")
        if tuple(ds[var].dims) != dims:
            raise _bad(path, f"`{var}` has dimensions {tuple(ds[var].dims)}, expected {dims}")
        if ds[var].size == 0:
            raise _bad(path, f"`{var}` is empty")


def _finite(path: Path, ds, var: str, allow_nan: bool = False, mask=None, low=None, high=None) -> None:
    a = np.asarray(ds[var].values)
    if a.dtype.kind not in "fiu":
        if a.dtype.kind == "b":
            return
        raise _bad(path, f"`{var}` is not numeric ({a.dtype})")
    a = a.astype(float)
    if mask is not None:
        a = a[np.broadcast_to(mask, a.shape)]
    bad = np.isinf(a) if allow_nan else ~np.isfinite(a)
    if bad.any():
        raise _bad(path, f"`{var}` has {int(bad.sum())} {'infinite' if allow_nan else 'NaN or infinite'} value(s)")
    v = a[np.isfinite(a)]
    if v.size and ((low is not None and v.min() < low - 1e-9) or (high is not None and v.max() > high + 1e-9)):
        raise _bad(path, f"`{var}` has values outside [{low}, {high}] (from {v.min():.4g} to {v.max():.4g})")


def _labels_within(path: Path, ds, dim: str, allowed, what: str) -> None:
    if dim in ds.coords:
        extra = sorted(str(v) for v in ds[dim].values if str(v) not in set(allowed))
        if extra:
            raise _bad(path, f"its {dim} labels {', '.join(extra[:3])} are not {what} of summary.json")


def check_fan(path: Path, summary: dict) -> None:
    ds = _open(path)
    if "policy" not in ds.dims or "quantile" not in ds.dims or "day" not in ds.dims:
        raise _bad(path, "it needs the dimensions policy, quantile and day")
    q = [float(x) for x in ds["quantile"].values]
    if not all(any(abs(a - b) < 1e-9 for a in q) for b in FAN_QUANTILES):
        raise _bad(path, f"its quantiles {q} lack some of {list(FAN_QUANTILES)}")
    _labels_within(path, ds, "policy", [p["name"] for p in summary["policies"]], "policies")
    _labels_within(path, ds, "side", summary["sides"], "sides")
    _labels_within(path, ds, "supporter", summary["supporters"], "supporters")
    if not ds.data_vars:
        raise _bad(path, "it holds no variables")
    for var in ds.data_vars:
        if not {"policy", "quantile", "day"} <= set(ds[var].dims):
            raise _bad(path, f"`{var}` lacks the policy, quantile or day dimension")
        share = var.endswith("_share")
        _finite(path, ds, var, low=0.0 if share else None, high=1.0 if share else None)


def check_truce_map(path: Path, summary: dict) -> None:
    ds = _open(path)
    _need_vars(path, ds, TRUCE_MAP_VARS)
    _labels_within(path, ds, "side", summary["sides"], "sides")
    if np.asarray(ds["valid"].values).dtype.kind != "b":
        raise _bad(path, "`valid` must be true/false")
    valid = np.asarray(ds["valid"].values)
    _finite(path, ds, "share_favours", mask=valid[..., None], low=0.0, high=1.0)
    _finite(path, ds, "share_neither", mask=valid, low=0.0, high=1.0)
    for var in ds.data_vars:
        if var not in TRUCE_MAP_VARS and ds[var].dims[:2] == ("start_day", "truce_days"):
            extra = (None,) * (ds[var].ndim - 2)
            _finite(path, ds, var, mask=valid[(...,) + extra] if extra else valid)


def check_sensitivity(path: Path, summary: dict) -> None:
    ds = _open(path)
    _need_vars(path, ds, SENSITIVITY_VARS)
    if "factor_label" not in ds:
        raise _bad(path, "`factor_label` is missing")
    truces = [p["name"] for p in summary["policies"] if p["kind"] == "truce"]
    have = {str(p) for p in ds["policy"].values}
    if truces[0] not in have:
        raise _bad(path, f"it has no indices for the truce {truces[0]}")
    missing = [o for o in list(summary["sensitivity_outcomes"]) + ["favours"] if o not in
               {str(x) for x in ds["outcome"].values}]
    if missing:
        raise _bad(path, f"outcome(s) {', '.join(sorted(set(missing)))} are missing")
    for var in ("S1", "ST", "S1_conf", "ST_conf"):
        _finite(path, ds, var, allow_nan=True)  # an index of a constant outcome is NaN, never inf


def check_trajectories(path: Path, summary: dict) -> None:
    ds = _open(path)
    for dim in ("run", "day", "side"):
        if dim not in ds.dims:
            raise _bad(path, f"it has no `{dim}` dimension")
    _labels_within(path, ds, "side", summary["sides"], "sides")
    for var in ("territory_share", "casualties_cumulative_personnel", "gdp_index"):
        if var not in ds.data_vars:
            raise _bad(path, f"variable `{var}` is missing")
    for var in ds.data_vars:
        share = var.endswith("_share")
        _finite(path, ds, var, low=0.0 if share else None, high=1.0 if share else None)


def check_exploration(root: str | Path) -> dict:
    """Check every file the report reads in ``root``; return summary.json's content."""
    root = Path(root)
    summary = check_summary(root / "summary.json")
    check_fan(root / "fan.nc", summary)
    check_truce_map(root / "truce_map.nc", summary)
    if (root / "sensitivity.nc").exists():
        check_sensitivity(root / "sensitivity.nc", summary)
    if (root / "fight_on_trajectories.nc").exists():
        check_trajectories(root / "fight_on_trajectories.nc", summary)
    return summary
