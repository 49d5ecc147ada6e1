"""How the answers moved from model v1 to v2 on the Kherson scenario (docs/model.md, "v1 -> v2").

Usage (from the repository root)::

    .venv/bin/python benchmarks/model_v2.py              # 2,000 runs, seed 1

For the frozen v1 scenario (``tests/engine/data/kherson-2022-11-v1.yaml``, the v1 engine's numbers bit
for bit) and the live v2 scenario: in the fight-on ensemble, the share of runs in which a side holds
no contested territory at the horizon while still fielding at least 100,000 deployed troops; and the
"favours" shares of every truce of the scenario (``ceasefire.compare``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = {"v1": ROOT / "tests" / "engine" / "data" / "kherson-2022-11-v1.yaml",
             "v2": ROOT / "scenarios" / "kherson-2022-11.yaml"}
ARMY_PERSONNEL = 100_000
NOTHING_LEFT_SHARE = 1e-6


def answers(path: Path, runs: int, seed: int) -> dict:
    from ceasefire.compare import favours_table, run_policies
    from ceasefire.scenario import load_scenario

    sc = load_scenario(path)
    ds = run_policies(sc, runs=runs, seed=seed, keep="outcomes")
    fight = ds.sel(policy="fight_on")
    ter = fight["territory_share_final"]
    dep = fight["deployed_personnel_final"]
    wiped = (ter <= NOTHING_LEFT_SHARE) & (dep >= ARMY_PERSONNEL)
    return {"wiped_out_with_army": {s: float(wiped.sel(side=s).mean()) for s in sc.side_names},
            "holds_nothing": {s: float((ter.sel(side=s) <= NOTHING_LEFT_SHARE).mean()) for s in sc.side_names},
            "territory_median": {s: float(ter.sel(side=s).median()) for s in sc.side_names},
            "favours": favours_table(ds)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    for name, path in SCENARIOS.items():
        a = answers(path, args.runs, args.seed)
        print(f"## {name}: {path.relative_to(ROOT)}, fight on, {args.runs} runs, seed {args.seed}")
        for s, v in a["wiped_out_with_army"].items():
            print(f"{s}: holds nothing at day 730 while fielding >= {ARMY_PERSONNEL:,} troops in {v:.1%} of runs "
                  f"(holds nothing at all: {a['holds_nothing'][s]:.1%}; median territory {a['territory_median'][s]:.3f})")
        print(a["favours"].to_string())
        print()
    _ = np


if __name__ == "__main__":
    main()
