"""Written output of a compared ensemble: a Markdown summary, CSV tables, plots and the NetCDF file.

It reads the compared ensemble and writes files; it never changes results. Labels
and units come from the registry (:mod:`ceasefire.variables`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from .. import variables as V
from ..engine.stats import quantiles_over_runs
from ..scenario import Scenario
from .ensemble import policies_of, truce_names
from .io import save
from .measures import claims_table, favours_table, summary_table

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = ["#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]

#: Trajectories drawn as fan charts (one chart per variable and side or supporter).
FAN_VARIABLES: tuple[str, ...] = ("territory_share", "deployed_personnel", "shells_stock", "power_share",
                                  "supporter_will_share", "gdp_index")


def fan_chart(ds: xr.Dataset, variable: str, who: str, path: Path) -> Path:
    """Median and 5-95% band of one trajectory variable under each policy, over calendar time."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    var = V.variable(variable)
    fig, ax = plt.subplots(figsize=(8, 4.2), dpi=110)
    dates = ds["date"].values
    for i, (name, pol) in enumerate(zip(ds.policy.values, policies_of(ds))):
        da = ds[variable].sel({"policy": name, var.who: who})
        q = quantiles_over_runs(da.transpose("run", ...).values, [0.05, 0.5, 0.95])
        colour = OKABE_ITO[i % len(OKABE_ITO)]
        ax.fill_between(dates, q[0], q[2], color=colour, alpha=0.15, linewidth=0)
        ax.plot(dates, q[1], color=colour, label=str(name), linewidth=1.8)
        if pol.kind != "fight_on":
            ax.axvspan(dates[0] + np.timedelta64(pol.start_day, "D"), dates[0] + np.timedelta64(pol.end_day, "D"),
                       color=colour, alpha=0.05)
    ax.set_title(f"{who}: {var.label} (median, 5-95% of runs)")
    ax.set_xlabel("date")
    ax.set_ylabel(var.axis_label())
    ax.ticklabel_format(axis="y", style="plain", useOffset=False)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def favours_chart(ds: xr.Dataset, path: Path) -> Path:
    """Stacked bars: share of runs in which each truce favours each side."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = favours_table(ds).set_index("policy")
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(table) + 1.6), dpi=110)
    left = np.zeros(len(table))
    for i, col in enumerate(table.columns):
        ax.barh(table.index, table[col], left=left, label=col,
                color=OKABE_ITO[(i + 5) % len(OKABE_ITO)] if col != "neither" else "#BBBBBB")
        left += table[col].values
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of runs")
    ax.set_title("Whom does the truce favour?\n(combat-power share at the truce's end vs fighting on)", fontsize=10)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=len(table.columns))
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _fmt(x: float) -> str:
    if not np.isfinite(x):
        return "-"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.3f}"


def markdown(ds: xr.Dataset, scenario: Scenario, plots: list[Path]) -> str:
    """The Markdown summary of a compared ensemble."""
    s = scenario
    runs = ds.sizes["run"]
    lines = [f"# {s.title}", "", f"Scenario `{s.name}`, start {s.start_date}, horizon {s.horizon_days} days, "
             f"{runs} runs per policy, seed {ds.attrs['seed']}, common random numbers across policies.", ""]
    lines += ["## Whom does a truce favour?", "", ds.attrs["favours_definition"], "",
              f"Each share is over {runs} runs; its 95% Monte Carlo interval is given in brackets "
              "(Wilson's score interval).", ""]
    fav = favours_table(ds, intervals=True)
    if not fav.empty:
        who = [str(x) for x in ds.side.values] + ["neither"]
        cells = pd.DataFrame({"policy": fav["policy"]})
        for w in who:
            cells[w] = [f"{r[w]:.1%} [{r[w + '_lo']:.1%}, {r[w + '_hi']:.1%}]" for _, r in fav.iterrows()]
        lines += [cells.to_markdown(index=False), ""]
    lines += ["## Outcomes (median and 90% interval over runs)", ""]
    summ = summary_table(ds)
    for col in ("median", "p05", "p95"):
        summ[col] = summ[col].map(_fmt)
    lines += [summ.rename(columns={"p05": "5%", "p95": "95%"}).to_markdown(index=False), ""]
    claims = claims_table(ds, s.claims)
    if not claims.empty:
        lines += ["## Claims from the articles", ""]
        table = pd.DataFrame({
            "claim": claims["claim"], "policy": claims["policy"], "proposition": "`" + claims["proposition"] + "`",
            "holds in": [f"{r.holds_share:.1%} [{r.holds_lo:.1%}, {r.holds_hi:.1%}] of {r.runs} runs"
                         for r in claims.itertuples()]})
        lines += [table.to_markdown(index=False), ""]
        for c in s.claims:
            lines.append(f"- **{c.id}**: {c.text} Source: {c.source.describe()}")
        lines.append("")
    if plots:
        lines += ["## Plots", ""] + [f"![{p.stem}]({p.name})" for p in plots] + [""]
    lines += ["## Limits", "", "Strategic, aggregate model from public sources; every value's source is in the "
              "scenario file. Results are conditional on the ranges given there, not forecasts.", ""]
    return "\n".join(lines)


def outcomes_table(ds: xr.Dataset) -> pd.DataFrame:
    """Per-run outcomes and paired differences as one long-by-policy table: a row per (policy, run),
    a column per variable and side or supporter."""
    frames = []
    for dim in ("side", "supporter"):
        names = [v.name for v in V.OUTCOMES + V.PAIRED if v.who == dim and v.name in ds]
        if names and ds.sizes.get(dim, 0):
            sub = ds[names]
            sub = sub.drop_vars([c for c in sub.coords if c not in ("policy", "run", dim)])
            wide = sub.to_dataframe()
            wide = wide.unstack(dim)
            wide.columns = [f"{var}_{who}" for var, who in wide.columns]
            frames.append(wide)
    return pd.concat(frames, axis=1)


def write_comparison(ds: xr.Dataset, scenario: Scenario, out_dir: Path, plots: bool = True) -> list[Path]:
    """Write ensemble.nc, summary.md, CSV tables and plots into ``out_dir``; returns every file written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [save(ds, out_dir / "ensemble.nc")]
    for name, table in (("outcomes.csv", outcomes_table(ds)), ("summary.csv", summary_table(ds)),
                        ("favours.csv", favours_table(ds, intervals=True)), ("claims.csv", claims_table(ds, scenario.claims))):
        table.to_csv(out_dir / name, index=(name == "outcomes.csv"))
        written.append(out_dir / name)
    plot_paths: list[Path] = []
    if plots and "day" in ds.dims:
        for var in FAN_VARIABLES:
            dim = V.variable(var).who
            for who in ds[dim].values:
                plot_paths.append(fan_chart(ds, var, str(who), out_dir / f"fan-{var}-{who}.png"))
    if plots and truce_names(ds):
        plot_paths.append(favours_chart(ds, out_dir / "favours.png"))
    (out_dir / "summary.md").write_text(markdown(ds, scenario, plot_paths), encoding="utf-8")
    return written + plot_paths + [out_dir / "summary.md"]
