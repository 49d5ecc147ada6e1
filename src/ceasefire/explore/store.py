"""A directory that holds one exploration, written chunk by chunk so it can be resumed.

Layout of ``<out>/``::

    manifest.json        what was asked: model fingerprint (scenario hash), seed, design, policies, chunking
    design.nc            the design: uniforms (run, parameter) and parameter values
    chunks/chunk-000012.nc   outcomes of runs [12 * chunk_size, 13 * chunk_size), one NetCDF file a chunk
    results.nc, sensitivity.nc, discovery.json, truce_map.nc, fan.nc   analyses, written at the end

Each chunk is written to a temporary name and renamed into place, so a chunk file
either holds a finished chunk or does not exist; an interrupted sweep resumes
(``--resume``) by computing only the chunks whose files are missing. Before
anything is written, a resumed store is checked against what is asked (same
scenario, seed, design, policies and chunking) and every finished chunk is
opened and checked; any mismatch or damage is an :class:`InputError` and leaves
the store exactly as it was.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import xarray as xr

from ..errors import InputError
from .design import Design

FORMAT = "ceasefire-explore"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DESIGN = "design.nc"
CHUNKS = "chunks"
#: Files written after the sweep; removed by ``--force`` together with the chunks.
ANALYSES = ("results.nc", "sensitivity.nc", "discovery.json", "truce_map.nc", "fan.nc", "summary.json",
            "fight_on_trajectories.nc", "report.html")
#: Manifest keys that must match for ``--resume``.
IDENTITY_KEYS = ("model", "seed", "design", "policies", "chunk_size")
NETCDF_ENGINE = "h5netcdf"


def chunk_bounds(rows: int, chunk_size: int) -> list[tuple[int, int]]:
    """[start, stop) of every chunk of ``rows`` runs."""
    return [(a, min(a + chunk_size, rows)) for a in range(0, rows, chunk_size)]


class Store:
    """One exploration's directory (see the module docstring)."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    # -- paths ----------------------------------------------------------
    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    def chunk_path(self, index: int) -> Path:
        return self.root / CHUNKS / f"chunk-{index:06d}.nc"

    def exists(self) -> bool:
        return self.manifest_path.exists()

    # -- reading --------------------------------------------------------
    def read_manifest(self) -> dict:
        """The manifest, or an InputError saying the store is damaged or is not an exploration."""
        path = self.manifest_path
        if not path.exists():
            raise InputError(
                f"{self.root} holds no exploration ({MANIFEST} is missing); run "
                f"`ceasefire explore SCENARIO --out {self.root}` first",
                where=str(self.root),
            )
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(
                f"the store's manifest is damaged and cannot be read ({exc}); the store was left untouched: "
                "start a new exploration with another --out, or --force to overwrite this one",
                where=str(path),
            ) from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise InputError(
                "this file is not a ceasefire exploration manifest; the store was left untouched: use another --out",
                where=str(path),
            )
        if manifest.get("format_version") != FORMAT_VERSION:
            raise InputError(
                f"the store was written in format version {manifest.get('format_version')}, this ceasefire reads "
                f"version {FORMAT_VERSION}; start a new exploration with another --out",
                where=str(path),
            )
        missing = [k for k in IDENTITY_KEYS + ("n_chunks",) if k not in manifest]
        if missing:
            raise InputError(f"the manifest lacks {', '.join(missing)}; the store is damaged and was left "
                             "untouched: use another --out, or --force to overwrite it", where=str(path))
        return manifest

    def finished_chunks(self, manifest: dict) -> set[int]:
        """Indices of the chunks already on disk, each opened and checked (else InputError)."""
        rows = int(manifest["design"]["rows"])
        bounds = chunk_bounds(rows, int(manifest["chunk_size"]))
        done = set()
        for i, (a, b) in enumerate(bounds):
            path = self.chunk_path(i)
            if not path.exists():
                continue
            self._check_chunk(path, a, b, manifest["policies"])
            done.add(i)
        return done

    def _check_chunk(self, path: Path, start: int, stop: int, policies: list) -> None:
        def damaged(why: str) -> InputError:
            return InputError(
                f"chunk file is damaged ({why}); the store was left untouched: delete this file and run again "
                "with --resume to recompute only this chunk",
                where=str(path),
            )

        try:
            with xr.open_dataset(path, engine=NETCDF_ENGINE) as ds:
                runs = ds["run"].values
                names = [str(p) for p in ds["policy"].values] if "policy" in ds.coords else None
                ds.load()
        except Exception as exc:  # noqa: BLE001 - any failure to read a file we wrote means damage
            raise damaged(f"{type(exc).__name__}: {exc}") from None
        if not np.array_equal(runs, np.arange(start, stop)):
            raise damaged(f"it holds runs {runs[:1]}..{runs[-1:]}, expected {start}..{stop - 1}")
        expected = [p["name"] if isinstance(p, dict) else str(p) for p in policies]
        if names is not None and names != expected:
            raise damaged(f"it holds policies {names}, expected {expected}")

    def read_design(self) -> xr.Dataset:
        path = self.root / DESIGN
        try:
            with xr.open_dataset(path, engine=NETCDF_ENGINE) as ds:
                return ds.load()
        except Exception as exc:  # noqa: BLE001
            raise InputError(f"the design file is damaged or missing ({type(exc).__name__}: {exc}); the store "
                             "was left untouched: use another --out, or --force to overwrite", where=str(path)) from None

    # -- preparing ------------------------------------------------------
    def prepare(self, manifest: dict, design: Design, design_values: np.ndarray | None, resume: bool,
                force: bool) -> set[int]:
        """Check or create the store for ``manifest``; return the chunks already finished.

        Every check happens before anything is written or removed.
        """
        if self.exists() and not force:
            if not resume:
                raise InputError(
                    f"{self.root} already holds an exploration; add --resume to continue it, --force to "
                    "overwrite it, or choose another --out",
                    where="--out",
                )
            old = self.read_manifest()
            diffs = [k for k in IDENTITY_KEYS if _canon(old.get(k)) != _canon(manifest.get(k))]
            if diffs:
                detail = "; ".join(f"{k}: stored {_short(old.get(k))}, asked {_short(manifest.get(k))}" for k in diffs)
                raise InputError(
                    f"cannot resume: the store was written for another exploration ({detail}); the store was left "
                    "untouched: use the same scenario, seed, design, policies and --chunk-size, or another --out",
                    where=str(self.root),
                )
            stored = self.read_design()
            if "unit_samples" not in stored or stored["unit_samples"].shape != design.unit_samples.shape or \
                    not np.array_equal(stored["unit_samples"].values, design.unit_samples):
                raise InputError("cannot resume: the stored design differs from the design this run would use "
                                 "(damaged design.nc, or another SALib version); the store was left untouched: "
                                 "use another --out", where=str(self.root / DESIGN))
            return self.finished_chunks(old)
        if not self.exists() and self.root.exists() and any(self.root.iterdir()):
            raise InputError(
                f"{self.root} exists and is not an exploration store; choose an empty or new directory for --out",
                where="--out",
            )
        if force and self.exists():
            shutil.rmtree(self.root / CHUNKS, ignore_errors=True)
            for name in ANALYSES + (DESIGN, MANIFEST):
                (self.root / name).unlink(missing_ok=True)
        (self.root / CHUNKS).mkdir(parents=True, exist_ok=True)
        self._write_design(design, design_values)
        _atomic_write_text(self.manifest_path, json.dumps(manifest, indent=2, sort_keys=True))
        return set()

    def _write_design(self, design: Design, values: np.ndarray | None) -> None:
        coords = {"run": np.arange(design.rows), "parameter": list(design.parameters)}
        data = {"unit_samples": (("run", "parameter"), design.unit_samples)}
        if values is not None:
            data["value"] = (("run", "parameter"), values)
        ds = xr.Dataset(data, coords=coords, attrs={"kind": design.kind, "n_base": design.n_base,
                                                    "seed": design.seed})
        self.write_dataset(DESIGN, ds)

    # -- writing --------------------------------------------------------
    def write_chunk(self, index: int, ds: xr.Dataset) -> None:
        """Write one finished chunk atomically (temporary file, then rename)."""
        self.write_dataset(f"{CHUNKS}/chunk-{index:06d}.nc", ds)

    def write_dataset(self, name: str, ds: xr.Dataset) -> Path:
        path = self.root / name
        tmp = path.with_name(f".{path.name}.tmp")
        from ..compare.io import encoding  # lossless zlib + shuffle, as every results file

        ds.to_netcdf(tmp, engine=NETCDF_ENGINE, encoding=encoding(ds) if NETCDF_ENGINE == "h5netcdf" else None)
        os.replace(tmp, path)
        return path

    def write_json(self, name: str, obj) -> Path:
        path = self.root / name
        _atomic_write_text(path, json.dumps(obj, indent=2, sort_keys=True, default=_json_default))
        return path

    def read_json(self, name: str):
        path = self.root / name
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise InputError(f"cannot read {name} ({exc}); re-run `ceasefire explore ... --resume` to rebuild "
                             "the analyses", where=str(path)) from None

    def read_dataset(self, name: str) -> xr.Dataset:
        path = self.root / name
        try:
            with xr.open_dataset(path, engine=NETCDF_ENGINE) as ds:
                return ds.load()
        except Exception as exc:  # noqa: BLE001
            raise InputError(f"cannot read {name} ({type(exc).__name__}: {exc}); re-run "
                             "`ceasefire explore ... --resume` to rebuild the analyses", where=str(path)) from None

    def load_results(self, manifest: dict) -> xr.Dataset:
        """All chunks concatenated in run order (every chunk must be finished)."""
        n = int(manifest["n_chunks"])
        parts = []
        for i in range(n):
            path = self.chunk_path(i)
            if not path.exists():
                raise InputError(f"chunk {i} of {n} is missing: the sweep did not finish; run again with --resume",
                                 where=str(path))
            with xr.open_dataset(path, engine=NETCDF_ENGINE) as ds:
                parts.append(ds.load())
        return xr.concat(parts, dim="run")


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _json_default(o):
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    raise TypeError(f"not JSON serialisable: {type(o)}")


def _canon(v) -> str:
    return json.dumps(v, sort_keys=True, default=_json_default)


def _short(v) -> str:
    text = _canon(v)
    return text if len(text) <= 80 else text[:77] + "..."
