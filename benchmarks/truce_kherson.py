"""Whom does a truce favour, and does it hold? The Kherson scenario with breakdown and resumption on and off.

    python benchmarks/truce_kherson.py [RUNS] [SEED]      # default 400 runs, seed 1

Prints the table of docs/truce-durability.md, "The Kherson scenario". Policies: a perfect 365-day
truce from day 0 (today's default), the same with the documented breakdown hazard, with Russia's
or Ukraine's resume rule (gain 0.05 of power share), and a settlement on day 0 with the
settlement base rate. Every policy is paired with fight-on on common random numbers.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from ceasefire.compare import run_policies
from ceasefire.compare.favours import MEASURES, definitions, measures_table
from ceasefire.scenario import load_scenario
from ceasefire.scenario.schema import Policy

REPO = Path(__file__).resolve().parents[1]
SOURCE = "docs/truce-durability.md (Fortna 2008 minidata; violation and gain terms: assumption)"
BREAKDOWN = {"collapse_per_day": 0.00041, "violation_per_day": 0.02, "violation_intensity_share": 0.1,
             "gain_threshold_share": 0.02, "gain_per_share": 20.0, "agreement": {"monitoring": 0.54},
             "source": SOURCE}


def policies() -> list[Policy]:
    base = {"kind": "truce", "start_day": 0, "days": 365}
    specs = [
        ("perfect truce (today)", base),
        ("+ breakdown", {**base, "breakdown": BREAKDOWN}),
        ("+ breakdown + Russia's resume rule", {**base, "breakdown": BREAKDOWN,
                                                "resume_rule": {"russia": {"gain_share": 0.05}}}),
        ("+ breakdown + Ukraine's resume rule", {**base, "breakdown": BREAKDOWN,
                                                 "resume_rule": {"ukraine": {"gain_share": 0.05}}}),
        ("settlement on day 0", {"kind": "settle", "start_day": 0,
                                 "breakdown": {"collapse_per_day": 0.0002, "source": SOURCE}}),
    ]
    out = []
    for title, spec in specs:
        p = Policy(name="_", **spec)
        out.append((title, p.model_copy(update={"name": p.label})))
    return out


def table(runs: int = 400, seed: int = 1) -> str:
    sc = load_scenario(REPO / "scenarios" / "kherson-2022-11.yaml")
    pols = policies()
    ds = run_policies(sc, [p for _, p in pols], runs=runs, seed=seed, keep="outcomes")
    h = sc.horizon_days
    lines = [f"{runs} runs, seed {seed}, horizon {h} days; shares of runs; territory is Ukraine's share of the "
             "contested territory.", "",
             "| policy | fighting resumed before the truce's end | median day it resumed | violation days (mean) "
             "| a side's rule ended it | Ukraine's territory at the horizon (mean) | truce leaves Ukraine more "
             "territory at the horizon than fight-on | Ukraine's power share 90 days after resuming (mean) "
             "| favours Ukraine / Russia (today's measure) |", "|---|---|---|---|---|---|---|---|---|"]
    for title, p in pols:
        r = ds.sel(policy=p.name)
        end = r["truce_end_day"].values.astype(float)
        nominal = h if p.kind == "settle" else p.end_day
        early = np.isfinite(end) & (end < nominal)
        ruled = r["resumed_by_rule"].values.astype(float).max(axis=1) > 0.5
        terr = r["territory_share_final"].sel(side="ukraine").values.astype(float)
        d_terr = r["territory_share_change_final"].sel(side="ukraine").values.astype(float)
        psr = r["power_share_resumed"].sel(side="ukraine").values.astype(float)
        fav = r["favours"].values.astype(float)
        sides = list(map(str, ds.side.values))
        fu, fr = (np.nanmean(fav[:, sides.index(s)]) for s in ("ukraine", "russia"))
        med = f"{np.median(end[early]):.0f}" if early.any() else "-"
        psr_text = f"{np.nanmean(psr):.3f} (n={np.isfinite(psr).sum()})" if np.isfinite(psr).any() else "-"
        lines.append(f"| {title} | {early.mean():.1%} | {med} | {r['violation_days'].values.mean():.1f} | "
                     f"{ruled.mean():.1%} | {terr.mean():.3f} | {np.mean(d_terr > 0):.1%} | {psr_text} | "
                     f"{fu:.1%} / {fr:.1%} |")
    lines += ["", measures_markdown(ds, pols)]
    return "\n".join(lines)


def measures_markdown(ds, pols) -> str:
    """Every "favours" measure (compare.favours.MEASURES) for each policy: the share of futures in which
    it leaves Ukraine / Russia better off than fight-on, with the runs where the measure is defined."""
    t = measures_table(ds)
    defs = definitions(ds)
    head = "| policy | " + " | ".join(f"{m.name}: Ukraine / Russia" for m in MEASURES) + " |"
    lines = ["Every measure (share of futures the truce leaves the side better off than fight-on; "
             "runs where the measure is defined in brackets when fewer than all):", "", head,
             "|---|" + "---|" * len(MEASURES)]
    for title, p in pols:
        cells = []
        for m in MEASURES:
            rows = t[(t["measure"] == m.name) & (t["policy"] == p.name)].set_index("who")
            if rows.empty or not np.isfinite(rows["share"]).any():
                cells.append("-")
                continue
            n = int(rows["runs"].iloc[0])
            note = "" if n == ds.sizes["run"] else f" (n={n})"
            cells.append(f"{rows.loc['ukraine', 'share']:.1%} / {rows.loc['russia', 'share']:.1%}{note}")
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    lines += [""] + [f"* {name}: {text}" for name, text in defs.items()]
    return "\n".join(lines)


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    print(table(*args))
