"""Wall time and peak memory of an exploration sweep: in-process vs a 2-worker Dask LocalCluster.

    python benchmarks/explore.py                    # 20,000 futures x 4 policies, both executors
    python benchmarks/explore.py --samples 2000     # quicker
    python benchmarks/explore.py --pipeline         # also the whole `ceasefire explore` (Saltelli + analyses)

Each configuration runs in its own subprocess so that its peak resident memory
(``ru_maxrss``; for Dask also the largest worker process) is its own. The design
is a Latin hypercube of exactly ``--samples`` futures of the Kherson scenario's
uncertain parameters; the policies are fighting on and truces of 90, 180 and 365
days starting now. The script checks that both executors give bit-identical
results and prints a Markdown table (paste it into docs/performance.md).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SCENARIO = REPO / "scenarios" / "kherson-2022-11.yaml"


def _policies():
    from ceasefire.scenario import Policy

    return [Policy(name="fight_on", kind="fight_on")] + [
        Policy(name=f"truce_{d}d_now", kind="truce", start_day=0, days=d) for d in (90, 180, 365)]


def run_one(executor: str, samples: int, chunk: int, out: Path) -> dict:
    from ceasefire.explore.design import make_design
    from ceasefire.explore.executors import make_executor
    from ceasefire.explore.model import EngineModel
    from ceasefire.explore.store import Store
    from ceasefire.explore.sweep import make_manifest, run_sweep
    from ceasefire.scenario import load_scenario

    sc = load_scenario(SCENARIO)
    model = EngineModel(sc, tuple(_policies()))
    design = make_design(model.parameters, samples, "lhs", seed=0)
    manifest = make_manifest({"kind": "engine", "sha256": model.fingerprint()}, design, model.policy_names, 0, chunk)
    ex = make_executor(executor, workers=2)
    t0 = time.perf_counter()
    res = run_sweep(model, design, Store(out), manifest, ex)
    wall = time.perf_counter() - t0
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if executor == "dask" else 0
    digest = hashlib.sha256()
    for name in sorted(res.data_vars):
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(res[name].values).tobytes())
    return {"executor": ex.describe(), "futures": design.rows, "policies": len(model.policies),
            "runs": design.rows * len(model.policies), "chunk": chunk, "wall_s": round(wall, 1),
            "runs_per_s": round(design.rows * len(model.policies) / wall),
            "peak_rss_main_mb": round(self_kb / 1024), "peak_rss_worker_mb": round(child_kb / 1024),
            "favours_russia_truce_180d": float(res["favours"].sel(policy="truce_180d_now", side="russia").mean()),
            "results_sha256": digest.hexdigest()}


def run_pipeline(samples: int, out: Path) -> dict:
    from ceasefire.explore.pipeline import ExploreOptions, explore
    from ceasefire.scenario import load_scenario

    sc = load_scenario(SCENARIO)
    t0 = time.perf_counter()
    summary = explore(sc, SCENARIO, out, ExploreOptions(samples=samples), log=lambda m: None)
    return {"executor": "pipeline (in-process)", "futures": summary["design"]["rows"],
            "policies": len(summary["policies"]), "wall_s": round(time.perf_counter() - t0, 1),
            "timing_s": summary["timing_s"],
            "peak_rss_main_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--samples", type=int, default=20000)
    ap.add_argument("--chunk", type=int, default=1024)
    ap.add_argument("--pipeline", action="store_true", help="also time the whole `ceasefire explore`")
    ap.add_argument("--child", choices=["inprocess", "dask", "pipeline"], help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        out = Path(args.out)
        result = run_pipeline(args.samples, out) if args.child == "pipeline" else \
            run_one(args.child, args.samples, args.chunk, out)
        print(json.dumps(result))
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        configs = ["inprocess", "dask"] + (["pipeline"] if args.pipeline else [])
        for cfg in configs:
            cmd = [sys.executable, __file__, "--child", cfg, "--samples", str(args.samples), "--chunk",
                   str(args.chunk), "--out", str(Path(tmp) / cfg)]
            load = os.getloadavg()[0]
            proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
            row = json.loads(proc.stdout.strip().splitlines()[-1])
            row["load_before"] = round(load, 1)
            rows.append(row)
            print(json.dumps(row), file=sys.stderr)
    same = rows[0]["results_sha256"] == rows[1]["results_sha256"]
    print(f"\nin-process and Dask results bit-identical (SHA-256 of every result array): {same}; share of "
          f"futures in which a 180-day truce now favours Russia: {rows[0]['favours_russia_truce_180d']:.3f}")
    print(f"\nMachine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}\n")
    import pandas as pd

    table = pd.DataFrame([{
        "executor": r["executor"], "futures x policies": f"{r['futures']:,} x {r['policies']}", "chunk": r["chunk"],
        "wall time (s)": r["wall_s"], "runs/s": f"{r['runs_per_s']:,}", "peak RSS main (MB)": r["peak_rss_main_mb"],
        "peak RSS largest worker (MB)": r["peak_rss_worker_mb"] or "-", "load avg before": r["load_before"],
    } for r in rows if not r["executor"].startswith("pipeline")])
    print(table.to_markdown(index=False))
    for r in rows:
        if r["executor"].startswith("pipeline"):
            print(f"\nWhole `ceasefire explore` ({r['futures']:,} futures x {r['policies']} policies, Saltelli): "
                  f"{r['wall_s']} s ({r['timing_s']}), peak RSS {r['peak_rss_main_mb']} MB")


if __name__ == "__main__":
    main()
