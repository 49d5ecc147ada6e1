"""Size and write time of the compared ensemble's NetCDF file: compressed against uncompressed, all
trajectories against outcomes only, in the same run.

    .venv/bin/python benchmarks/results_files.py --runs 4000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import xarray as xr

from ceasefire.compare import run_policies, save
from ceasefire.compare.io import encoding
from ceasefire.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default=str(ROOT / "scenarios" / "kherson-2022-11.yaml"))
    ap.add_argument("--runs", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    sc = load_scenario(args.scenario)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for keep, every in (("all", 7), ("all", 30), ("outcomes", 7)):
            t0 = time.perf_counter()
            ds = run_policies(sc, runs=args.runs, seed=args.seed, keep=keep, record_every_days=every)
            t_run = time.perf_counter() - t0
            mem_mb = ds.nbytes / 1e6
            for compressed in (False, True):
                path = Path(tmp) / f"e-{keep}-{every}-{compressed}.nc"
                t0 = time.perf_counter()
                if compressed:
                    save(ds, path)
                else:
                    ds.to_netcdf(path, engine="h5netcdf")
                t_write = time.perf_counter() - t0
                t0 = time.perf_counter()
                back = xr.open_dataset(path, engine="h5netcdf").load()
                t_read = time.perf_counter() - t0
                assert set(back.data_vars) == set(ds.data_vars)
                rows.append((keep, every, "zlib4+shuffle" if compressed else "none", mem_mb,
                             path.stat().st_size / 1e6, t_write, t_read, t_run))
    print(f"{sc.name}: {args.runs} runs x {len(sc.policies)} policies, {sc.horizon_days} days")
    print("| keep | record every | compression | in memory (MB) | file (MB) | write (s) | read (s) |")
    print("|---|---|---|---|---|---|---|")
    for keep, every, comp, mem, size, tw, tr, _ in rows:
        print(f"| {keep} | {every} d | {comp} | {mem:.0f} | {size:.1f} | {tw:.2f} | {tr:.2f} |")
    print(f"(encoding: {sorted({str(v) for v in encoding(ds).values()})[:1]})")


if __name__ == "__main__":
    main()
