"""The report's bargaining section, drawn with the bargaining package's own functions.

Imported only when ``ceasefire.bargain.plots`` exists (see ``build._bargain_section``).
From the fight-on ensemble kept by ``ceasefire explore`` it computes each side's
outside option, Fearon's bargaining range over time and the ripeness indicators
(``ceasefire.bargain``), and returns the HTML section that package renders.
"""

from __future__ import annotations

from ..bargain.outside_options import outside_options, range_over_time, war_end_day
from ..bargain.plots import html_section, range_figure
from ..bargain.ripeness import ripeness
from ..explore.store import Store

TRAJECTORIES = "fight_on_trajectories.nc"


def bargaining_html(store: Store, summary: dict) -> str | None:
    """HTML of the bargaining section, or None when the exploration kept no fight-on ensemble."""
    if not (store.root / TRAJECTORIES).exists():
        return None
    traj = store.read_dataset(TRAJECTORIES)
    sides = summary.get("side_names") or list(summary["sides"])  # the scenario's order, not summary.json's sorted keys
    a, b = sides[0], sides[1]
    collapse = war_end_day(traj)  # first collapse of any side in each run; -1 where none did
    opts = outside_options(traj, a, b, supporters_of=summary.get("supporters_of", {}), collapse_day=collapse)
    ranges = range_over_time(opts)
    ripe = ripeness(traj, opts, ranges)
    names = summary["sides"]
    fig = range_figure(ranges, ripe, title=f"Bargaining range if fighting goes on ({names[a]} vs {names[b]})")
    notes = (f"Fearon's (1995) bargaining range for {names[a]}'s share of the contested territory, from each side's "
             f"expected outcome and costs of fighting on over {traj.sizes['run']} runs, with Zartman's ripeness "
             "indicators below (ceasefire.bargain).")
    return html_section("Bargaining", [fig], notes=notes)
