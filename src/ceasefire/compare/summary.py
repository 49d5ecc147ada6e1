"""Written output of a compared ensemble: a Markdown summary, CSV tables, plots and the NetCDF file.

It reads the compared ensemble and writes files; it never changes results. Labels
and units come from the registry (:mod:`ceasefire.variables`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from .. import palette
from .. import variables as V
from ..engine.stats import quantiles_over_runs
from ..scenario import Scenario
from .ensemble import policies_of, truce_names
from .io import save
from .favours import MEASURES, disagreement, indistinct_pairs, label_of, measures_table, verdicts
from .favours import measure as measure_of
from .measures import claims_table, favours_table, summary_table

#: Trajectories drawn as fan charts (one chart per variable and side or supporter).
FAN_VARIABLES: tuple[str, ...] = ("territory_share", "deployed_personnel", "shells_stock", "power_share",
                                  "supporter_will_share", "gdp_index")


def fan_chart(ds: xr.Dataset, variable: str, who: str, path: Path) -> Path:
    """One question per figure: how ``variable`` of ``who`` evolves under each policy.

    Fighting on is drawn as its median with the 5-95% band of runs (grey); every truce
    as its median only, in its own colour, with its truce period marked under the axis,
    so five policies stay readable in print."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    var = V.variable(variable)
    pols = policies_of(ds)
    colours = palette.policy_colours([p.name for p in pols], [p.kind for p in pols])
    fig, ax = plt.subplots(figsize=(8, 4.4), dpi=110)
    dates = ds["date"].values
    truces = [p for p in pols if p.kind != "fight_on"]
    for k, pol in enumerate(pols):
        da = ds[variable].sel({"policy": pol.name, var.who: who})
        q = quantiles_over_runs(da.transpose("run", ...).values, [0.05, 0.5, 0.95])
        c = colours[pol.name]
        if pol.kind == "fight_on" and k == 0:
            ax.fill_between(dates, q[0], q[2], color="0.85", linewidth=0, label=f"{pol.name}: 5-95% of runs")
        ax.plot(dates, q[1], color=c, label=f"{pol.name}: median", linewidth=2.0 if pol.kind == "fight_on" else 1.5)
    lo, hi = ax.get_ylim()
    for j, pol in enumerate(truces):  # truce periods as thin bars under the curves
        y = lo + (hi - lo) * (0.015 + 0.02 * j)
        ax.plot([dates[0] + np.timedelta64(pol.start_day, "D"), dates[0] + np.timedelta64(pol.end_day, "D")],
                [y, y], color=colours[pol.name], linewidth=3, solid_capstyle="butt")
    ax.set_ylim(lo, hi)
    ax.set_title(f"{who}: {var.label} (median over runs; bars: truce periods)", fontsize=10)
    ax.set_xlabel("date")
    ax.set_ylabel(var.axis_label())
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: axis_number(v)))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def axis_number(v: float) -> str:
    """Tick labels without an offset or exponent: 2.5M, 400k, 0.35."""
    a = abs(v)
    if a >= 1e6:
        return f"{v / 1e6:g}M"
    if a >= 1e4:
        return f"{v / 1e3:g}k"
    return f"{v:,.0f}" if a >= 100 else f"{v:g}"


def favours_chart(ds: xr.Dataset, path: Path) -> Path:
    """Write :func:`favours_figure` to ``path``."""
    import matplotlib.pyplot as plt

    fig = favours_figure(ds)
    fig.savefig(path)
    plt.close(fig)
    return path


def favours_figure(ds: xr.Dataset):
    """Stacked bars: share of runs in which each truce favours each side (the sides' own colours)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = favours_table(ds).set_index("policy")
    colours = palette.actor_colours([str(s) for s in ds.side.values], [])
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(table) + 2.0), dpi=110)
    left = np.zeros(len(table))
    for col in table.columns:
        ax.barh(table.index, table[col], left=left, label=col, color=colours[col])
        for y, (l, v) in enumerate(zip(left, table[col].values)):
            if v >= 0.06:
                ax.text(l + v / 2, y, f"{v:.0%}", ha="center", va="center", fontsize=8, color="white")
        left += table[col].values
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.set_xlabel("share of runs")
    ax.set_title("Whom does the truce favour?\n(combat-power share at the truce's end vs fighting on)", fontsize=10)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=len(table.columns), frameon=False)
    fig.tight_layout()
    return fig


def _fmt(x: float) -> str:
    if not np.isfinite(x):
        return "-"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.3f}"


def measures_markdown(ds: xr.Dataset, options=None) -> list[str]:
    """Lines of the "Whom does a truce favour?" section: one table of every favours measure (share of futures
    with its 95% Wilson interval), the definitions, where the measures disagree and which truces the runs do
    not tell apart."""
    if not truce_names(ds):
        return []
    runs = ds.sizes["run"]
    table = measures_table(ds, options)
    sides = [str(x) for x in ds.side.values]
    lines = ["## Whom does a truce favour?", "",
             "Share of futures (runs) in which the truce leaves each side better off than fighting on in the same "
             f"run, by each measure below; each share is over {runs} runs (fewer where a measure is undefined), "
             "with its 95% Monte Carlo interval in brackets (Wilson's score interval).", ""]
    cells = []
    for (measure, policy), grp in table.groupby(["measure", "policy"], sort=False):
        g = grp.set_index("who")
        row = {"measure": g["label"].iloc[0], "policy": policy}
        for w in sides + ["neither"]:
            r = g.loc[w]
            row[w] = "n/a" if not np.isfinite(r["share"]) else f"{r['share']:.1%} [{r['lo']:.1%}, {r['hi']:.1%}]"
        cells.append(row)
    lines += [pd.DataFrame(cells).to_markdown(index=False), "", "Definitions:", ""]
    for m in MEASURES:
        lines.append(f"- **{label_of(m, options, ds)}** (`{m.name}`): {m.sentence(ds, options)}")
    lines.append("")
    split = {t: a for t, a in disagreement(table).items() if len(a) > 1}
    for name, answers in split.items():
        per = verdicts(table)
        per = per[per["policy"] == name]
        said = "; ".join(f"{r.label}: {r.answer} ({r.share:.0%})" for r in per.itertuples() if r.answer)
        lines.append(f"The measures disagree on `{name}` (the most frequent answer: {said}).")
    if split:
        lines.append("")
    pairs = indistinct_pairs(table)
    if pairs:
        lines += [f"Not distinguishable at {runs} runs (the 95% intervals overlap; more runs may separate them):", ""]
        for p in pairs:
            lines.append(f"- {label_of(measure_of(p['measure']), options, ds)}, {p['side']}: `{p['a']}` "
                         f"({p['share_a']:.1%}) and `{p['b']}` ({p['share_b']:.1%})")
        lines.append("")
    return lines


def markdown(ds: xr.Dataset, scenario: Scenario, plots: list[Path], options=None) -> str:
    """The Markdown summary of a compared ensemble."""
    s = scenario
    runs = ds.sizes["run"]
    lines = [f"# {s.title}", "", f"Scenario `{s.name}`, start {s.start_date}, horizon {s.horizon_days} days, "
             f"{runs} runs per policy, seed {ds.attrs['seed']}, common random numbers across policies.", ""]
    lines += measures_markdown(ds, options)
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


def write_comparison(ds: xr.Dataset, scenario: Scenario, out_dir: Path, plots: bool = True,
                     options=None) -> list[Path]:
    """Write ensemble.nc, summary.md, CSV tables (``favours_measures.csv``: every favours measure) and plots
    into ``out_dir``; returns every file written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [save(ds, out_dir / "ensemble.nc")]
    for name, table in (("outcomes.csv", outcomes_table(ds)), ("summary.csv", summary_table(ds)),
                        ("favours.csv", favours_table(ds, intervals=True)),
                        ("favours_measures.csv", measures_table(ds, options)), ("claims.csv", claims_table(ds, scenario.claims))):
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
    (out_dir / "summary.md").write_text(markdown(ds, scenario, plot_paths, options), encoding="utf-8")
    return written + plot_paths + [out_dir / "summary.md"]
