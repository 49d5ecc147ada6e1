"""Panels built on other parts of ceasefire, when those parts are installed.

* The bargaining range over time (Fearon 1995) and ripeness (Zartman), from the
  fight-on ensemble on the page, by :mod:`ceasefire.bargain` (``outside_options``,
  ``range_over_time``, ``ripeness``, and its ``range_figure``).
* The truce map (who a truce favours, by start day and length), by
  :func:`ceasefire.explore.truce_map.truce_map` and ``report.plots.truce_map_figure``.

Figures are Matplotlib images (rendered off the UI thread, under one lock since
pyplot is not thread-safe) embedded as PNG, so no script or CDN is involved.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import threading

import numpy as np

from .render import esc

_PLOT_LOCK = threading.Lock()


def _has(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def bargaining_available() -> bool:
    return _has("ceasefire.bargain.outside_options") and _has("ceasefire.bargain.ripeness")


def truce_map_available() -> bool:
    return _has("ceasefire.explore.truce_map")


def _png(fig) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()




def bargaining_html(view, labels: dict[str, str]) -> str:
    """The bargaining range for the first side's share over time, with ripe days, as an HTML fragment."""
    if not bargaining_available():
        return "<p>The bargaining part of ceasefire is not installed, so the bargaining range is not shown.</p>"
    import matplotlib

    matplotlib.use("Agg")
    from ..bargain.outside_options import load_cost_rates, outside_options, range_over_time, war_end_day
    from ..bargain.plots import range_figure
    from ..bargain.ripeness import ripeness

    sc = view.scenario
    if len(sc.side_names) < 2:
        return ""
    a, b = sc.side_names[:2]
    traj = view.fight.trajectories
    supporters_of = {n: s.supports for n, s in sc.supporters.items()}
    opts = outside_options(traj, a, b, supporters_of=supporters_of, rates=load_cost_rates(None),
                           collapse_day=war_end_day(view.fight.outcomes))
    rng = range_over_time(opts)
    rp = ripeness(traj, opts, rng)
    with _PLOT_LOCK:
        png = _png(range_figure(rng, rp, title=f"Bargaining range for {labels.get(a, a)}'s share of the contested "
                                               f"territory, if fighting goes on ({traj.sizes['run']} futures)",
                                 labels=labels))
    return bargaining_text(rng, rp, labels.get(a, a), labels.get(b, b), png)


def bargaining_text(rng, rp, name_a: str, name_b: str, png: str) -> str:
    """The bargaining panel's figure and sentences: today's range on the pie (with Fearon's unclipped bound
    explained when it lies beyond), MHS defined, and ripeness that comes only from the horizon nearing
    said as such."""
    days = rng["day"].values
    ripe_eq = np.asarray(rp["ripe_equal_outlook"].values, dtype=bool)
    short = np.asarray(rp["ripe_short_outlook"].values, dtype=bool)
    first_ripe = int(days[ripe_eq][0]) if ripe_eq.any() else None
    lo_raw, hi_raw = float(rng["low"].values[0]), float(rng["high"].values[0])
    lo, hi = float(rng["low_clipped"].values[0]), float(rng["high_clipped"].values[0])
    beyond = []
    if lo_raw < lo - 5e-5:
        beyond.append(f"{esc(name_a)}'s cost of fighting on exceeds all it expects to hold "
                      f"(Fearon's lower bound is {100 * lo_raw:.0f}%)")
    if hi_raw > hi + 5e-5:
        beyond.append(f"{esc(name_b)}'s cost of fighting on exceeds all it expects to hold "
                      f"(Fearon's upper bound is {100 * hi_raw:.0f}%)")
    text = (f"Today any split giving {esc(name_a)} between {100 * lo:.0f}% and {100 * hi:.0f}% of the contested "
            "territory is better for both sides than fighting on, on average (Fearon 1995: expected war share "
            "minus each side's cost). ")
    if beyond:
        text += "The range reaches the edge of the pie: " + "; ".join(beyond) + ". "
    text += ("A <b>mutually hurting stalemate</b> (MHS, Zartman) is a front that has stopped while both sides take "
             "losses and neither expects to gain by fighting on; the conflict is <b>ripe</b> when there is an MHS "
             "and a way out (the sides' own ranges overlap). ")
    if first_ripe is not None:
        text += f"It is first ripe on day {first_ripe}. "
    else:
        text += "It is not ripe on any recorded day. "
    if short.any():
        text += (f"(From day {int(days[short][0])} the test passes on {int(short.sum())} recorded days only because "
                 "few days are left to the horizon, so the gains from fighting on shrink; judged over as long a "
                 "future as the first day's they are not ripe: that is the finite horizon, not ripeness.) ")
    return (
        f'<div class="cf-bargaining" data-first-ripe-day="{first_ripe if first_ripe is not None else ""}">'
        f'<img alt="bargaining range over time" style="max-width:100%" src="data:image/png;base64,{png}">'
        f"<p>{text}Costs are converted with the bargaining module's default rates; see docs/bargaining.md.</p></div>"
    )


def truce_map_html(scenario, settings, runs_per_cell: int, labels: dict[str, str]) -> str:
    """The truce map for the page's scenario, what-ifs, aid level and seed, as an HTML fragment."""
    if not truce_map_available():
        return "<p>The explore part of ceasefire is not installed, so the truce map is not shown.</p>"
    import matplotlib

    matplotlib.use("Agg")
    from ..explore.truce_map import default_grid, truce_map

    starts, lengths = default_grid(scenario.horizon_days)
    tm = truce_map(scenario, starts, lengths, runs=runs_per_cell, seed=settings.seed, aid_level=settings.aid_level)
    fig = None
    if _has("ceasefire.report.plots"):
        from ..report.plots import truce_map_figure

        with _PLOT_LOCK:
            fig = _png(truce_map_figure(tm, labels, title=f"Truce map: {runs_per_cell} futures per cell, "
                                                           f"aid level {settings.aid_level:g}"))
    rows = []
    for i, s in enumerate(tm["start_day"].values):
        for j, d in enumerate(tm["truce_days"].values):
            if not bool(tm["valid"].values[i, j]):
                continue
            shares = " · ".join(
                f"{esc(labels.get(str(side), str(side)))} {100 * float(tm['share_favours'].values[i, j, k]):.0f}%"
                for k, side in enumerate(tm["side"].values)
            )
            rows.append(f"<tr data-start='{int(s)}' data-days='{int(d)}'><td>{int(s)}</td><td>{int(d)}</td>"
                        f"<td>{shares} · neither {100 * float(tm['share_neither'].values[i, j]):.0f}%</td></tr>")
    img = f'<img alt="truce map" style="max-width:100%" src="data:image/png;base64,{fig}">' if fig else ""
    return (
        f'<div class="cf-truce-map">{img}<details><summary>The numbers</summary>'
        "<table class='cf-params'><thead><tr><th>Start day</th><th>Length (days)</th><th>Truce favours</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table></details>"
        f"<small>{esc(tm.attrs.get('favours_definition', ''))} {esc(tm.attrs.get('sample', ''))}.</small></div>"
    )
