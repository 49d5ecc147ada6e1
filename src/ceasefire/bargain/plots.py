"""Figures of the bargaining models, for the CLI and the HTML report.

* :func:`range_figure`: Fearon's range for side A's share over time with its band, the
  ranges from each side's beliefs, and strips for the ripeness indicators.
* :func:`settlement_figure`: each issue's actor positions (sized by capability x
  salience) and the predicted outcome of every model.
* :func:`truce_figure`: run by run, the declining side's share fighting on against after
  the truce, marking the runs with a commitment problem.
* :func:`html_section`: an HTML fragment (figures inlined as PNG) the report can embed.
"""

from __future__ import annotations

import base64
import html
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402

MODEL_STYLE = {
    "compromise": ("compromise (weighted mean)", "o", "tab:blue"),
    "weighted_median": ("weighted median", "s", "tab:orange"),
    "nash": ("Nash bargaining", "D", "tab:green"),
    "eum_median": ("expected utility (BDM)", "^", "tab:red"),
}


def range_figure(ranges: xr.Dataset, ripe: xr.Dataset | None = None, title: str | None = None,
                 labels: dict[str, str] | None = None):
    """The range over time (shares of the contested territory held by side A); ``labels`` name the
    sides as readers know them (``{"ukraine": "Ukraine"}``; default: the scenario's keys)."""
    a, b = ranges.attrs.get("side_a", "A"), ranges.attrs.get("side_b", "B")
    a, b = (labels or {}).get(a, a), (labels or {}).get(b, b)
    days = ranges["day"].values
    nrows = 2 if ripe is not None else 1
    fig, axes = plt.subplots(nrows, 1, figsize=(9, 6 if ripe is not None else 4.2), sharex=True,
                             gridspec_kw={"height_ratios": [3, 1.3]} if ripe is not None else None, squeeze=False)
    ax = axes[0, 0]
    band = ranges.attrs.get("band", [0.05, 0.95])
    # the pie is [0, 1]: draw the range on it (Fearon's bounds beyond it are in the JSON and the table's notes)
    pie = (lambda v: ranges[f"{v}_clipped"]) if "low_clipped" in ranges else (lambda v: ranges[v].clip(0, 1))
    ax.fill_between(days, pie("low_band"), pie("high_band"), color="tab:blue", alpha=0.15,
                    label=f"range, {band[0]:.0%}-{band[1]:.0%} of runs (on the pie 0-1)")
    ax.fill_between(days, pie("low"), pie("high"), color="tab:blue", alpha=0.35, label="range (ensemble means)")
    ax.plot(days, ranges["p_share"], color="tab:blue", lw=1.5, label=f"{a}'s expected share if fighting goes on")
    ax.plot(days, ranges["belief_low"], color="tab:red", ls="--", lw=1, label=f"{a}'s demand (own beliefs)")
    ax.plot(days, ranges["belief_high"], color="tab:green", ls="--", lw=1, label=f"{b}'s largest concession (own beliefs)")
    ax.set_ylabel(f"share of contested territory held by {a}")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(fontsize=7, loc="best")
    ax.set_title(title or f"Bargaining range over time ({a} vs {b})", fontsize=10)
    if ripe is not None:
        ax2 = axes[1, 0]
        rows = [("stalemate", "stalemate"), ("hurting", "hurting"), ("no_escalation_to_victory", "no road to victory")]
        if "no_escalation_gain" in ripe:
            rows.append(("no_escalation_gain", "escalation futile"))
        rows += [("mutually_hurting_stalemate", "mutually hurting stalemate"), ("way_out", "way out"),
                 ("ripe", "ripe")]
        short = (ripe["ripe_short_outlook"].values.astype(bool) if "ripe_short_outlook" in ripe
                 else np.zeros(days.size, bool))
        for k, (var, label) in enumerate(rows):
            on = ripe[var].values.astype(bool)
            if var == "ripe":  # days ripe only because the horizon nears are drawn apart, hollow
                ax2.scatter(days[on & ~short], np.full((on & ~short).sum(), k), marker="s", s=12, color="tab:orange")
                ax2.scatter(days[on & short], np.full((on & short).sum(), k), marker="s", s=12, facecolors="none",
                            edgecolors="tab:orange", linewidths=0.8,
                            label="ripe only as the horizon nears (not ripe on an equal outlook)")
            else:
                ax2.scatter(days[on], np.full(on.sum(), k), marker="s", s=12, color="0.3")
        if short.any():
            ax2.legend(fontsize=7, loc="upper left", frameon=False, bbox_to_anchor=(0, -0.35))
        ax2.set_yticks(range(len(rows)), [r[1] for r in rows], fontsize=7)
        ax2.set_ylim(-0.7, len(rows) - 0.3)
        ax2.set_xlabel("days since scenario start")
    else:
        ax.set_xlabel("days since scenario start")
    fig.tight_layout()
    return fig


def settlement_figure(actor_set, settlements: list, title: str | None = None):
    """Actor positions and predicted outcomes, one row per issue (positions as % of each scale)."""
    n = len(settlements)
    fig, ax = plt.subplots(figsize=(9, 0.8 + 0.75 * n))
    for row, st in enumerate(settlements):
        arr = actor_set.arrays(st.issue)
        scale = (arr.position - arr.low) / (arr.high - arr.low) * 100
        w = arr.capability * arr.salience
        ax.scatter(scale, np.full(scale.size, row), s=20 + 300 * w / w.max(), color="0.75", zorder=1)
        order = np.argsort(scale, kind="stable")
        for rank, k in enumerate(order):  # alternate label heights so neighbours do not overlap
            ax.annotate(arr.actors[k], (scale[k], row), xytext=(0, 7 if rank % 2 == 0 else -11),
                        textcoords="offset points", fontsize=6, ha="center", color="0.4")
        for key, (label, marker, color) in MODEL_STYLE.items():
            v = (getattr(st, key) - st.low) / (st.high - st.low) * 100
            ax.scatter([v], [row - 0.3], marker=marker, s=40, zorder=3, color=color, label=label if row == 0 else None)
    ax.set_yticks(range(n), [s.issue for s in settlements])
    ax.set_xlim(-5, 105)
    ax.set_ylim(n - 0.4, -0.6)
    ax.set_xlabel("position (% of the issue scale)")
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.12 if n > 2 else -0.25), ncol=4)
    ax.set_title(title or "Predicted settlements by model (grey: actors, size = capability x salience)", fontsize=10)
    fig.tight_layout()
    return fig


def truce_figure(p_now, p_later, war, declining: str, title: str | None = None):
    """Per run: the declining side's expected territory share fighting on (x) against after the truce (y);
    red where the rising side cannot credibly commit (Powell 2006 condition holds)."""
    p_now, p_later, war = np.asarray(p_now, float), np.asarray(p_later, float), np.asarray(war, bool)
    fig, ax = plt.subplots(figsize=(5.5, 5))
    ax.scatter(p_now[~war], p_later[~war], s=8, alpha=0.5, color="tab:blue", label="rising side can commit")
    ax.scatter(p_now[war], p_later[war], s=8, alpha=0.7, color="tab:red", label="commitment problem: war")
    ax.plot([0, 1], [0, 1], color="0.5", lw=0.8, ls="--")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(f"{declining}'s territory share at the horizon, fighting on (p)")
    ax.set_ylabel("... after the truce (p')")
    ax.legend(fontsize=7, loc="upper left")
    ax.set_title(title or "Power shift caused by the truce, run by run", fontsize=9)
    fig.tight_layout()
    return fig


def figure_png_base64(fig) -> str:
    """A figure as base64 PNG (closes the figure)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def html_section(title: str, figures: list, table_rows: list[dict] | None = None, notes: str | None = None) -> str:
    """An HTML ``<section>`` with inlined figures, an optional table and notes."""
    parts = [f"<section class='bargain'><h2>{html.escape(title)}</h2>"]
    if notes:
        parts.append(f"<p>{html.escape(notes)}</p>")
    for fig in figures:
        parts.append(f"<img alt='{html.escape(title)}' src='data:image/png;base64,{figure_png_base64(fig)}'/>")
    if table_rows:
        cols = list(table_rows[0])
        parts.append("<table><thead><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in cols) + "</tr></thead><tbody>")
        for r in table_rows:
            parts.append("<tr>" + "".join(f"<td>{html.escape(_fmt(r[c]))}</td>" for c in cols) + "</tr>")
        parts.append("</tbody></table>")
    parts.append("</section>")
    return "\n".join(parts)


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.3g}"
    return str(v)
