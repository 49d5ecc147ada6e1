"""Written output of a policy comparison: a Markdown summary, CSV tables and plots.

This sits after the engine in the data flow: it reads a :class:`Comparison` and
writes files; it never changes results.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .engine.compare import Comparison
from .engine.stats import quantiles_over_runs

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = ["#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]

FAN_VARIABLES: list[tuple[str, str, str]] = [
    ("territory_share", "side", "Share of contested territory held"),
    ("deployed_personnel", "side", "Deployed troops [personnel]"),
    ("shells_stock", "side", "Artillery ammunition stock [shells]"),
    ("power_share", "side", "Share of total combat power"),
    ("supporter_will_share", "supporter", "Supporter's political will [share]"),
    ("gdp_index", "side", "GDP index [pre-war = 1]"),
]


def fan_chart(cmp: Comparison, variable: str, dim: str, who: str, ylabel: str, path: Path) -> Path:
    """Median and 5-95% band of one trajectory variable under each policy, over calendar time."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.2), dpi=110)
    for i, (name, res) in enumerate(cmp.results.items()):
        da = res.trajectories[variable].sel({dim: who})
        dates = res.trajectories["date"].values
        q = quantiles_over_runs(da.transpose("run", ...).values, [0.05, 0.5, 0.95])
        colour = OKABE_ITO[i % len(OKABE_ITO)]
        ax.fill_between(dates, q[0], q[2], color=colour, alpha=0.15, linewidth=0)
        ax.plot(dates, q[1], color=colour, label=name, linewidth=1.8)
        if res.policy.kind == "truce":
            start = res.trajectories["date"].values[0] + np.timedelta64(res.policy.start_day, "D")
            end = res.trajectories["date"].values[0] + np.timedelta64(res.policy.end_day, "D")
            ax.axvspan(start, end, color=colour, alpha=0.05)
    ax.set_title(f"{who}: {ylabel} (median, 5-95% of runs)")
    ax.set_xlabel("date")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def favours_chart(cmp: Comparison, path: Path) -> Path:
    """Stacked bars: share of runs in which each truce favours each side."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = cmp.favours_table().set_index("policy")
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(table) + 1.6), dpi=110)
    left = np.zeros(len(table))
    for i, col in enumerate(table.columns):
        ax.barh(table.index, table[col], left=left, color=OKABE_ITO[(i + 5) % len(OKABE_ITO)] if col != "neither" else "#BBBBBB", label=col)
        left += table[col].values
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of runs")
    ax.set_title("Whom does the truce favour? (combat-power share at the truce's end vs fighting on)")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _fmt(x: float) -> str:
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.3f}"


def markdown(cmp: Comparison, runs: int, plots: list[Path]) -> str:
    """The Markdown summary of a comparison."""
    s = cmp.scenario
    lines = [f"# {s.title}", "", f"Scenario `{s.name}`, start {s.start_date}, horizon {s.horizon_days} days, "
             f"{runs} runs per policy, seed {cmp.seed}, common random numbers across policies.", ""]
    lines += ["## Whom does a truce favour?", "", cmp.definition, ""]
    fav = cmp.favours_table()
    if not fav.empty:
        lines += ["| policy | " + " | ".join(fav.columns[1:]) + " |", "|---" * len(fav.columns) + "|"]
        for _, row in fav.iterrows():
            lines.append(f"| {row['policy']} | " + " | ".join(f"{row[c]:.1%}" for c in fav.columns[1:]) + " |")
        lines.append("")
    lines += ["## Outcomes (median and 90% interval over runs)", "", "| policy | who | quantity | median | 5% | 95% |", "|---|---|---|---|---|---|"]
    for _, r in cmp.summary().iterrows():
        lines.append(f"| {r['policy']} | {r['who']} | {r['quantity']} | {_fmt(r['median'])} | {_fmt(r['p05'])} | {_fmt(r['p95'])} |")
    lines.append("")
    if not cmp.claims.empty:
        lines += ["## Claims from the articles", "", "| claim | policy | proposition | holds in |", "|---|---|---|---|"]
        for _, r in cmp.claims.iterrows():
            lines.append(f"| {r['claim']} | {r['policy']} | `{r['proposition']}` | {r['holds_share']:.1%} of {r['runs']} runs |")
        lines.append("")
        for c in s.claims:
            lines.append(f"- **{c.id}**: {c.text} Source: {c.source.describe()}")
        lines.append("")
    if plots:
        lines += ["## Plots", ""] + [f"![{p.stem}]({p.name})" for p in plots] + [""]
    lines += ["## Limits", "", "Strategic, aggregate model from public sources; every value's source is in the scenario file. "
              "Results are conditional on the ranges given there, not forecasts.", ""]
    return "\n".join(lines)


def outcomes_table(outcomes) -> pd.DataFrame:
    """Per-run outcomes as one wide table: a row per run, a column per outcome and side or supporter."""
    frames = []
    for dim in ("side", "supporter"):
        names = [v for v in outcomes.data_vars if outcomes[v].dims == ("run", dim)]
        if names and outcomes.sizes.get(dim, 0):
            wide = outcomes[names].to_dataframe().unstack(dim)
            wide.columns = [f"{var}_{who}" for var, who in wide.columns]
            frames.append(wide)
    return pd.concat(frames, axis=1)


def write_comparison(cmp: Comparison, out_dir: Path, runs: int, plots: bool = True) -> dict[str, Path]:
    """Write summary.md, CSV tables, per-policy NetCDF results and plots into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for name, res in cmp.results.items():
        written[f"results:{name}"] = res.to_netcdf(out_dir / f"results-{name}.nc")
        per_run = outcomes_table(res.outcomes)
        per_run.to_csv(out_dir / f"outcomes-{name}.csv")
        written[f"outcomes:{name}"] = out_dir / f"outcomes-{name}.csv"
    cmp.paired.to_netcdf(out_dir / "paired.nc", engine="h5netcdf")
    written["paired"] = out_dir / "paired.nc"
    cmp.summary().to_csv(out_dir / "summary.csv", index=False)
    cmp.favours_table().to_csv(out_dir / "favours.csv", index=False)
    cmp.claims.to_csv(out_dir / "claims.csv", index=False)
    plot_paths: list[Path] = []
    if plots:
        for var, dim, label in FAN_VARIABLES:
            names = cmp.scenario.side_names if dim == "side" else cmp.scenario.supporter_names
            for who in names:
                plot_paths.append(fan_chart(cmp, var, dim, who, label, out_dir / f"fan-{var}-{who}.png"))
        if len(cmp.paired.policy):
            plot_paths.append(favours_chart(cmp, out_dir / "favours.png"))
    (out_dir / "summary.md").write_text(markdown(cmp, runs, plot_paths), encoding="utf-8")
    written["summary"] = out_dir / "summary.md"
    return written


