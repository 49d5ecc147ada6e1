"""The one registry of recorded variables: name, dimensions, units, label, description, kind.

Every variable the engine records, every per-run outcome, every snapshot and every
paired difference of the compared ensemble is declared here once. The engine's two
paths lay out their record buffers in this order, :mod:`.results` labels them from
here, the compared ensemble (:mod:`ceasefire.compare`), plots, the dashboard, the
claims' metric names and ``docs/model.md`` read units and labels from here. It imports
nothing of the project, so the scenario schema (upstream of the engine) and every
analysis (downstream) may read it.

Adding a state variable means: compute it in the mechanism, add one
:class:`Variable` to the right tuple below, and nothing else by hand.

Kinds:

* ``stock``: state at the start of a kept day (dims ``run, day, side|supporter``);
* ``flow``: the flow of the day that starts at a kept day (``*_per_day``; zero on
  the horizon day);
* ``outcome``: one value per run and side or supporter (``run, side|supporter``);
* ``snapshot``: full-precision state on chosen days (``run, snapshot_day, side``);
* ``paired``: a truce minus the fight-on baseline it is paired with, run by run
  (``policy, run, side|supporter``; NaN for a baseline).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["stock", "flow", "outcome", "snapshot", "paired"]


@dataclass(frozen=True)
class Variable:
    """One recorded variable. ``dims`` are the dims of one policy's ensemble (the compared
    ensemble adds ``policy`` in front)."""

    name: str
    dims: tuple[str, ...]
    units: str
    label: str
    description: str
    kind: Kind

    @property
    def who(self) -> str:
        """The actor dimension: ``side`` or ``supporter`` (or ``""`` for a scalar per run)."""
        for d in ("side", "supporter"):
            if d in self.dims:
                return d
        return ""

    def attrs(self) -> dict[str, str]:
        """NetCDF/xarray attributes (CF-style ``units`` and ``long_name``)."""
        return {"units": self.units, "long_name": self.label, "description": self.description, "kind": self.kind}

    def axis_label(self) -> str:
        """``label [units]`` for a plot axis (no unit shown for dimensionless shares twice)."""
        return f"{self.label} [{self.units}]" if self.units else self.label


_SD = ("run", "day", "side")
_PD = ("run", "day", "supporter")
_SO = ("run", "side")
_PO = ("run", "supporter")

#: Side stocks, in the engine's record order (kernel slots R_DEP .. R_PSH).
SIDE_STOCKS: tuple[Variable, ...] = (
    Variable("deployed_personnel", _SD, "personnel", "Deployed troops",
             "Troops deployed in the theatre (the aging chain's last stock).", "stock"),
    Variable("training_personnel", _SD, "personnel", "Recruits in training",
             "Mobilised people in training, deploying after a first-order delay.", "stock"),
    Variable("pool_personnel", _SD, "personnel", "Mobilisable pool",
             "People who can still be called up.", "stock"),
    Variable("recovering_personnel", _SD, "personnel", "Wounded recovering",
             "Wounded who will return to the front after recovery.", "stock"),
    Variable("casualties_cumulative_personnel", _SD, "personnel", "Casualties so far",
             "Killed and wounded since the start.", "stock"),
    Variable("killed_cumulative_personnel", _SD, "personnel", "Killed so far",
             "Killed (or permanently lost) since the start.", "stock"),
    Variable("shells_stock", _SD, "shells", "Artillery ammunition stock",
             "Rounds available to the side's artillery.", "stock"),
    Variable("production_capacity_shells_per_day", _SD, "shells/day", "Shell production capacity",
             "Rounds the side's industry can make per day (ramps up to its ceiling).", "stock"),
    Variable("depot_adaptation_share", _SD, "share", "Depot adaptation",
             "How far the side has moved its depots out of the enemy's reach (0 = not at all, 1 = fully).",
             "stock"),
    Variable("strike_weapons_stock", _SD, "weapons", "Long-range strike weapons",
             "Missiles and drones for strikes on energy.", "stock"),
    Variable("territory_share", _SD, "share of contested territory", "Territory held",
             "Share of the contested territory the side holds (shares of all sides sum to 1).", "stock"),
    Variable("gdp_index", _SD, "index (pre-war = 1)", "GDP index",
             "Economic output relative to before the war.", "stock"),
    Variable("energy_capacity_share", _SD, "share of pre-war", "Energy capacity",
             "Power-generation capacity relative to before the war.", "stock"),
    Variable("displaced_persons", _SD, "persons", "Displaced by loss of power",
             "People displaced because heat and power failed.", "stock"),
    Variable("will_share", _SD, "share", "Political will",
             "The side's will to fight on (Mueller's log-casualty relation and visible success).", "stock"),
    Variable("combat_power", _SD, "personnel-equivalents", "Combat power",
             "Troops x quality x ammunition readiness.", "stock"),
    Variable("power_share", _SD, "share", "Share of combat power",
             "The side's share of all sides' combat power.", "stock"),
    Variable("reserve_shells_stock", _SD, "shells", "Deep ammunition reserves",
             "Rounds in deep reserves, out of the enemy's reach, drawn to the front at a limited throughput "
             "(model v2; 0 when mechanisms.ammunition_depth is off).", "stock"),
    Variable("fortification_share", _SD, "share", "Fortified share of the front",
             "Prepared positions: grows on a quiet front and in a truce, lost when overrun "
             "(model v2; 0 when mechanisms.defence is off).", "stock"),
    Variable("quality_ratio", _SD, "ratio", "Average quality of the deployed force",
             "Recruits deploy at a lower quality that rises with time in the field (model v2; the side's "
             "fixed quality when mechanisms.mobilised_quality is off).", "stock"),
)

#: Side flows of the day that starts at a kept day (kernel slots R_PROD .. R_LAUNCH).
SIDE_FLOWS: tuple[Variable, ...] = (
    Variable("shells_produced_per_day", _SD, "shells/day", "Shells produced", "Rounds made that day.", "flow"),
    Variable("shells_received_per_day", _SD, "shells/day", "Shells received",
             "Rounds delivered by supporters and imports that day.", "flow"),
    Variable("shells_fired_per_day", _SD, "shells/day", "Shells fired",
             "Rounds fired that day: min(desired, available, delivery capacity).", "flow"),
    Variable("shells_destroyed_per_day", _SD, "shells/day", "Shells destroyed",
             "Rounds lost to enemy strikes on exposed depots that day.", "flow"),
    Variable("casualties_per_day", _SD, "personnel/day", "Casualties per day",
             "Killed and wounded that day.", "flow"),
    Variable("mobilised_per_day", _SD, "personnel/day", "Mobilised per day",
             "People called up into training that day.", "flow"),
    Variable("strike_weapons_launched_per_day", _SD, "weapons/day", "Strike weapons launched",
             "Missiles and drones launched at energy that day.", "flow"),
    Variable("shells_drawn_per_day", _SD, "shells/day", "Shells drawn from deep reserves",
             "Rounds moved from deep reserves to the front stock that day (model v2).", "flow"),
)

#: Supporter stocks (kernel slots RS_WILL, RS_SHELLS).
SUPPORTER_STOCKS: tuple[Variable, ...] = (
    Variable("supporter_will_share", _PD, "share", "Supporter's political will",
             "The supporter's will to keep aiding (fatigue, cost, visible success).", "stock"),
    Variable("supporter_shells_stock", _PD, "shells", "Supporter's shell arsenal",
             "Rounds in the supporter's own arsenal.", "stock"),
    Variable("aid_stall_days_left", _PD, "days", "Days left of an aid stall",
             "Days the supporter's aid stays stalled by a political event (model v2; 0: aid flows).", "stock"),
)

#: Supporter flows (kernel slot RS_AID).
SUPPORTER_FLOWS: tuple[Variable, ...] = (
    Variable("aid_shells_per_day", _PD, "shells/day", "Shells sent as aid", "Rounds the supporter sent that day.",
             "flow"),
)

#: State kept at full precision on snapshot days (truce starts and ends, day 0, horizon), as ``<name>_at``.
SNAPSHOTS: tuple[str, ...] = ("power_share", "combat_power", "territory_share", "deployed_personnel", "shells_stock")

#: Per-run outcomes, with the name of the final-state value they come from (``None``: computed otherwise).
SIDE_OUTCOMES: tuple[Variable, ...] = (
    Variable("territory_share_final", _SO, "share of contested territory", "Territory held at the horizon",
             "Share of the contested territory held on the horizon day.", "outcome"),
    Variable("casualties_personnel_total", _SO, "personnel", "Casualties (killed + wounded)",
             "Killed and wounded over the whole horizon.", "outcome"),
    Variable("killed_personnel_total", _SO, "personnel", "Killed",
             "Killed (or permanently lost) over the whole horizon.", "outcome"),
    Variable("gdp_index_final", _SO, "index (pre-war = 1)", "GDP index at the horizon",
             "Economic output relative to before the war, on the horizon day.", "outcome"),
    Variable("combat_power_final", _SO, "personnel-equivalents", "Combat power at the horizon",
             "Troops x quality x ammunition readiness on the horizon day.", "outcome"),
    Variable("combat_power_share_final", _SO, "share", "Share of combat power at the horizon",
             "The side's share of all sides' combat power on the horizon day.", "outcome"),
    Variable("combat_power_share_initial", _SO, "share", "Share of combat power at the start",
             "The side's share of all sides' combat power on day 0.", "outcome"),
    Variable("combat_power_share_change", _SO, "share", "Change of combat-power share",
             "Share of combat power at the horizon minus at the start.", "outcome"),
    Variable("will_share_final", _SO, "share", "Political will at the horizon",
             "The side's will to fight on, on the horizon day.", "outcome"),
    Variable("shells_stock_final", _SO, "shells", "Ammunition stock at the horizon",
             "Rounds available on the horizon day.", "outcome"),
    Variable("deployed_personnel_final", _SO, "personnel", "Deployed troops at the horizon",
             "Troops deployed on the horizon day.", "outcome"),
    Variable("energy_capacity_share_final", _SO, "share of pre-war", "Energy capacity at the horizon",
             "Power-generation capacity relative to before the war, on the horizon day.", "outcome"),
    Variable("displaced_persons_final", _SO, "persons", "Displaced at the horizon",
             "People displaced by loss of heat and power, on the horizon day.", "outcome"),
    Variable("collapsed", _SO, "", "Collapsed",
             "True when the side's will or strength broke before the horizon (the war then ends).", "outcome"),
    Variable("collapse_day", _SO, "days", "Day of collapse",
             "Day on which the side's will or strength broke; -1: it never did.", "outcome"),
    Variable("power_share_resumed", _SO, "share", "Share of combat power after fighting resumed",
             "The side's share of combat power `assess_after_days` (policy field, default 90) days after fighting "
             "resumed; NaN for fight-on, a truce that never ends within the horizon, or a day past it.", "outcome"),
    Variable("resumed_by_rule", _SO, "", "Side chose to resume",
             "1 where the side's resume rule ended the truce (Powell's commitment problem inside a run), 0 where "
             "not.", "outcome"),
)
#: Per-run outcomes of the truce's regime (one value per run).
RUN_OUTCOMES: tuple[Variable, ...] = (
    Variable("truce_start_day", ("run",), "days", "Day the truce or settlement started",
             "First day of the truce or settlement (a conditional start differs run by run); NaN: it never "
             "started within the horizon, or fight-on.", "outcome"),
    Variable("truce_end_day", ("run",), "days", "Day fighting resumed",
             "Day fighting resumed after the truce or settlement (its end, a collapse or a side's choice); NaN: "
             "it never resumed within the horizon, or fight-on.", "outcome"),
    Variable("violation_days", ("run",), "days", "Days of violations",
             "Truce days with limited combat (violations short of collapse).", "outcome"),
)
SUPPORTER_OUTCOMES: tuple[Variable, ...] = (
    Variable("supporter_will_final", _PO, "share", "Supporter's will at the horizon",
             "The supporter's will to keep aiding, on the horizon day.", "outcome"),
    Variable("supporter_shells_final", _PO, "shells", "Supporter's arsenal at the horizon",
             "Rounds left in the supporter's own arsenal on the horizon day.", "outcome"),
    Variable("aid_share_final", _PO, "share of maximum aid", "Aid at the horizon",
             "The supporter's aid on the horizon day as a share of its maximum.", "outcome"),
)

#: Truce minus its fight-on baseline, run by run (the compared ensemble's paired differences).
PAIRED: tuple[Variable, ...] = (
    Variable("power_share_change_at_truce_end", ("run", "side"), "share", "Change of combat-power share at the truce's end",
             "The side's share of combat power on the truce's last day, truce minus fight-on.", "paired"),
    Variable("power_ratio_change_at_truce_end", ("run", "side"), "ratio", "Change of combat-power ratio at the truce's end",
             "The side's combat power over all the others' combined on the truce's last day, truce minus fight-on.",
             "paired"),
    Variable("territory_share_change_final", ("run", "side"), "share of contested territory",
             "Change of territory at the horizon", "Territory held at the horizon, truce minus fight-on.", "paired"),
    Variable("casualties_change", ("run", "side"), "personnel", "Change of casualties",
             "Casualties over the horizon, truce minus fight-on.", "paired"),
    Variable("gdp_index_change_final", ("run", "side"), "index (pre-war = 1)", "Change of GDP at the horizon",
             "GDP index at the horizon, truce minus fight-on.", "paired"),
    Variable("supporter_will_change_final", ("run", "supporter"), "share", "Change of supporter's will at the horizon",
             "Supporter's will at the horizon, truce minus fight-on.", "paired"),
    Variable("favours", ("run", "side"), "", "Truce favours the side",
             "1 where the truce favours the side in that run (see the dataset's favours_definition), 0 where not; "
             "NaN for a fight-on baseline.", "paired"),
)

#: Outcomes that are NaN by their definition (no truce, or fighting never resumed within the horizon).
NAN_BY_DEFINITION: frozenset[str] = frozenset({"truce_start_day", "truce_end_day", "power_share_resumed"})

TRAJECTORIES: tuple[Variable, ...] = SIDE_STOCKS + SIDE_FLOWS + SUPPORTER_STOCKS + SUPPORTER_FLOWS
OUTCOMES: tuple[Variable, ...] = SIDE_OUTCOMES + SUPPORTER_OUTCOMES + RUN_OUTCOMES
ALL: tuple[Variable, ...] = TRAJECTORIES + OUTCOMES + PAIRED

_BY_NAME: dict[str, Variable] = {v.name: v for v in ALL}
if len(_BY_NAME) != len(ALL):  # pragma: no cover - a registry error, caught at import
    raise RuntimeError("a variable is declared twice in ceasefire.variables")


def variable(name: str) -> Variable:
    """The declaration of a recorded variable; ``<name>_at`` snapshots resolve to their stock."""
    if name in _BY_NAME:
        return _BY_NAME[name]
    if name.endswith("_at") and name[:-3] in SNAPSHOTS:
        base = _BY_NAME[name[:-3]]
        return Variable(name, ("run", "snapshot_day", "side"), base.units, f"{base.label} on the snapshot day",
                        f"{base.description} Kept at full precision on chosen days.", "snapshot")
    raise KeyError(f"no recorded variable named {name!r}")


def names(variables: tuple[Variable, ...]) -> tuple[str, ...]:
    return tuple(v.name for v in variables)


def units_of(variables: tuple[Variable, ...]) -> dict[str, str]:
    """``{name: units}`` in declaration order (the engine's record layout)."""
    return {v.name: v.units for v in variables}


def claim_metrics() -> dict[str, str]:
    """Metrics a scenario's claim may name, with the dimension it needs (``side`` or ``supporter``):
    every per-run outcome and every paired difference except ``favours``."""
    out = {v.name: v.who for v in OUTCOMES if v.name != "collapse_day" and v.who}  # claims name a side or supporter
    out.update({v.name: v.who for v in PAIRED if v.name != "favours"})
    return out


def paired_metric_names() -> frozenset[str]:
    return frozenset(v.name for v in PAIRED)


def markdown_table() -> str:
    """The registry as a Markdown table (for ``docs/model.md``)."""
    rows = ["| name | kind | dims | units | meaning |", "|---|---|---|---|---|"]
    for v in ALL:
        rows.append(f"| `{v.name}` | {v.kind} | {', '.join(v.dims)} | {v.units or '-'} | {v.label}: {v.description} |")
    return "\n".join(rows)


def write_docs(path) -> None:
    """Write ``docs/variables.md`` from the registry (``python -m ceasefire.variables docs/variables.md``)."""
    from pathlib import Path

    text = ("# Recorded variables\n\nGenerated from the one registry, `src/ceasefire/variables.py` "
            "(`python -m ceasefire.variables docs/variables.md`); a test fails when this page is out of date.\n\n"
            "In the compared ensemble every variable also has the `policy` dimension in front.\n\n"
            + markdown_table() + "\n")
    Path(path).write_text(text, encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    import sys

    write_docs(sys.argv[1] if len(sys.argv) > 1 else "docs/variables.md")
