"""``ceasefire run`` (one policy's ensemble) and ``ceasefire compare`` (every policy of a scenario on common
random numbers, paired run by run)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import numpy as np
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..errors import InputError
from ..progress import progress_bar
from ..scenario import Policy, Scenario, load_scenario
from ..scenario.policies import describe_policy, same_policy
from .ensemble import KEEP, policies_of, truce_names

console = Console(emoji=False)  # user text (names, quotes) is escaped before it is printed; no emoji codes


def resolve_policy(scenario: Scenario, text: str) -> Policy:
    """A ``--policy`` value, read by the one policy parser (:func:`ceasefire.scenario.policies.parse_policy`)."""
    from ..cli_options import parse_policy as parse_cli_policy

    return parse_cli_policy(text, scenario)


def command_policies(scenario: Scenario, policy: list[str] | None, only: bool) -> list[Policy]:
    """The scenario's policies (unless ``only``) plus those given with ``--policy``; one that runs exactly like a
    policy already listed is not added twice."""
    extra = [resolve_policy(scenario, text) for text in policy or []]
    out = [] if only else list(scenario.policies)
    for p in extra:
        if not any(p.name == q.name or same_policy(p, q) for q in out):
            out.append(p)
    return out


def compact(x: float) -> str:
    """A short number: 389k, 1.2M, 0.834, -0.021."""
    a = abs(x)
    if not np.isfinite(x):
        return "-"
    if a >= 1e6:
        return f"{x / 1e6:.1f}M"
    if a >= 1e4:
        return f"{x / 1e3:.0f}k"
    if a >= 100:
        return f"{x:,.0f}"
    return f"{x:.3f}"


def interval(v) -> str:
    """Median and 90% interval of per-run values, compactly: ``389k [261k, 541k]``."""
    v = np.asarray(v, float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return "-"
    q = np.quantile(v, [0.05, 0.5, 0.95])
    return escape(f"{compact(q[1])} [{compact(q[0])}, {compact(q[2])}]")


def compare_cmd(
    scenario_path: Path = typer.Argument(..., metavar="SCENARIO", help="Scenario YAML file"),
    runs: int = typer.Option(4000, "--runs", "-n", help="Runs per policy"),
    seed: int = typer.Option(0, "--seed", help="Seed: the same seed gives the same numbers"),
    policy: Optional[list[str]] = typer.Option(None, "--policy", "-p", help="Add a policy: a scenario policy's name, fight_on or truce:START_DAY:DAYS[:AID_LEVEL] (repeatable)"),
    only: bool = typer.Option(False, "--only", help="Use only the --policy policies, not the scenario's"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Directory for ensemble.nc, summary.md, tables and plots"),
    record_every: int = typer.Option(7, "--record-every", help="Keep the state every this many days"),
    keep: str = typer.Option("all", "--keep", help="What ensemble.nc keeps: all (trajectories too) or outcomes"),
    plots: bool = typer.Option(True, "--plots/--no-plots", help="Draw fan charts and the favours chart"),
    as_json: bool = typer.Option(False, "--json", help="Print the tables as JSON instead"),
    force: bool = typer.Option(False, "--force", help="Replace the files of an earlier comparison in --out"),
    resume_days: int = typer.Option(90, "--resume-days", help="Favours measure M2: judge power shares this many "
                                    "days after fighting resumes"),
    gain: float = typer.Option(0.02, "--gain", help="Favours measure M4: the territory gain (share of the "
                               "contested territory) a side must reach relative to fighting on"),
) -> None:
    """Compare fighting on with truces, run by run on common random numbers."""
    from .ensemble import run_policies
    from .measures import claims_table, favours_table, summary_table
    from .summary import write_comparison

    from ..cli_options import check_common, check_ensemble_memory
    from ..outputs import check_out
    from .baseline import plan_policies

    from .favours import FavoursOptions, definitions, indistinct_pairs, measures_table

    scenario = load_scenario(scenario_path)
    check_common(runs, seed, record_every, scenario.horizon_days)
    if resume_days < 1 or resume_days > scenario.horizon_days:
        raise InputError(f"must be between 1 and the horizon ({scenario.horizon_days} days), got {resume_days}",
                         where="--resume-days")
    if not (np.isfinite(gain) and 0 < gain <= 1):
        raise InputError(f"must be a share of the contested territory in (0, 1], got {gain:g}", where="--gain")
    options = FavoursOptions(resume_days=resume_days, gain_share=gain)
    if keep not in KEEP:
        raise InputError(f"must be one of {', '.join(KEEP)}, got {keep!r}", where="--keep")
    pols = command_policies(scenario, policy, only)
    check_out(out, "dir", force, contents=["ensemble.nc", "summary.md"])
    check_ensemble_memory(scenario, runs, record_every if keep == "all" else scenario.horizon_days,
                          policies=len(plan_policies(scenario, pols).policies))
    with progress_bar(enabled=not as_json) as bar:
        ds = run_policies(scenario, pols, runs=runs, seed=seed, record_every_days=record_every, keep=keep,
                          progress=bar, assess_after_days=resume_days)
    if as_json:
        measures = measures_table(ds, options)
        typer.echo(json.dumps({
            "scenario": scenario.name, "runs": runs, "seed": seed, "favours_definition": ds.attrs["favours_definition"],
            "favours": favours_table(ds, intervals=True).to_dict(orient="records"),
            "favours_measures": measures.astype(object).where(measures.notna(), None).to_dict(orient="records"),
            "favours_measure_definitions": definitions(ds, options),
            "favours_not_distinguishable": indistinct_pairs(measures),
            "summary": summary_table(ds).to_dict(orient="records"),
            "claims": claims_table(ds, scenario.claims).to_dict(orient="records"),
        }, indent=2))
    else:
        print_comparison(ds, scenario, options)
    if out is not None:
        written = write_comparison(ds, scenario, out, plots=plots and keep == "all", options=options)
        if not as_json:
            console.print(f"wrote {len(written)} files in {escape(str(out))} (ensemble.nc holds every policy)")


#: Longest policy name shown as it is in a table; beyond it (on a narrow terminal) policies get short keys.
NAME_WIDTH = 16


def policy_keys(names: list[str], width: int) -> dict[str, str]:
    """Row labels for policies: the names themselves when they fit, else ``P1``, ``P2``, ... (with a legend),
    so no two rows of a narrow table look the same."""
    if width >= 120 or max((len(n) for n in names), default=0) <= NAME_WIDTH:
        return {n: n for n in names}
    return {n: f"P{i}" for i, n in enumerate(names, start=1)}


def print_legend(keys: dict[str, str], ds) -> None:
    """What each short policy key stands for (nothing when the names are shown as they are)."""
    if all(k == n for n, k in keys.items()):
        return
    pols = {p.name: p for p in policies_of(ds)}
    console.print("Policies:", highlight=False)
    for name, key in keys.items():
        console.print(f"  {key} = {escape(name)}: {escape(describe_policy(pols[name]))}", highlight=False)


def cell(share: float, lo: float, hi: float) -> str:
    """A share of futures with its 95% interval, in percent: ``24.6 [23.3,26.0]`` (``n/a`` when undefined)."""
    if not np.isfinite(share):
        return "n/a"
    return f"{100 * share:.1f} [{100 * lo:.1f},{100 * hi:.1f}]"


def print_measures(ds, keys: dict[str, str], options=None) -> None:
    """Whom each truce favours, measure by measure (M1, M2, ... with their definitions below), with a 95% Wilson
    interval on every share and a warning naming the truces the runs do not tell apart."""
    from .favours import MEASURES, definitions, disagreement, indistinct_pairs, label_of, measures_table, verdicts

    table = measures_table(ds, options)
    sides = [str(x) for x in ds.side.values]
    mkeys = {m.name: f"M{i}" for i, m in enumerate(MEASURES, start=1)}
    t = Table(title=f"Whom does the truce favour? % of futures [95% interval], {ds.sizes['run']} runs per policy, "
                    f"seed {ds.attrs['seed']}")
    t.add_column("", no_wrap=True)
    t.add_column("policy", no_wrap=True)
    for c in sides + ["neither"]:
        t.add_column(escape(c), justify="right", no_wrap=True)
    for m in MEASURES:
        grp = table[table["measure"] == m.name]
        for i, name in enumerate(dict.fromkeys(grp["policy"])):
            rows = grp[grp["policy"] == name].set_index("who")
            t.add_row(mkeys[m.name] if i == 0 else "", escape(keys[name]),
                      *[cell(rows.loc[w, "share"], rows.loc[w, "lo"], rows.loc[w, "hi"]) for w in sides + ["neither"]],
                      end_section=(i == len(set(grp["policy"])) - 1))
    console.print(t)
    defs = definitions(ds, options)
    for m in MEASURES:
        console.print(f"[dim]{mkeys[m.name]} {escape(label_of(m, options, ds))}: {escape(defs[m.name])}[/]",
                      highlight=False)
    split = {t: a for t, a in disagreement(table).items() if len(a) > 1}
    if split:
        console.print("The measures disagree; the most frequent answer, by measure:", highlight=False)
        per = verdicts(table)
        for name in split:
            said = ", ".join(f"{mkeys[r.measure]} {r.answer}" for r in per[per["policy"] == name].itertuples()
                             if r.answer)
            console.print(f"  {escape(keys[name])}: {escape(said)}", highlight=False)
    pairs = indistinct_pairs(table)
    if pairs:
        groups: dict[tuple[str, str], list[str]] = {}
        for p in pairs:
            groups.setdefault((p["measure"], p["side"]), []).append(f"{keys[p['a']]}~{keys[p['b']]}")
        console.print(f"[yellow]Not distinguishable at {ds.sizes['run']} runs (95% intervals overlap; more runs "
                      "may separate them):[/]", highlight=False)
        for (name, side), items in groups.items():
            console.print(f"  {mkeys[name]} {escape(side)}: {escape(' '.join(items))}", highlight=False)


def print_comparison(ds, scenario: Scenario, options=None) -> None:
    """Whom each truce favours by every measure (with Monte Carlo intervals), the change of power share, the
    outcomes and the claims, as Rich tables that stay readable at 80 columns (short policy keys with a legend)."""
    from .measures import claims_table, favours_table, regime_table

    s = scenario
    keys = policy_keys([str(n) for n in ds.policy.values], console.width)
    fav = favours_table(ds, intervals=True)
    sides = [str(x) for x in ds.side.values]
    print_legend(keys, ds)
    if len(fav):
        print_measures(ds, keys, options)
        d = Table(title="Change of each side's share of combat power at the truce's end (median, 90% interval)")
        d.add_column("policy", no_wrap=True)
        for side in sides:
            d.add_column(escape(side), justify="right")
        for name in truce_names(ds):
            p = ds.sel(policy=name)
            d.add_row(escape(keys[name]), *[interval(p["power_share_change_at_truce_end"].sel(side=sd).values)
                                            for sd in sides])
        console.print(d)
    regimes = regime_table(ds)
    if len(regimes):
        g = Table(title="How the truces went: share of runs (median day)")
        for col in ("policy", "started", "resumed", "by a side's rule", "violation days"):
            g.add_column(col, justify="left" if col == "policy" else "right", no_wrap=True)
        day = lambda x: "" if not np.isfinite(x) else f" (day {x:.0f})"  # noqa: E731
        for _, r in regimes.iterrows():
            g.add_row(escape(keys[r["policy"]]), f"{r['started_share']:.0%}{day(r['start_day_median'])}",
                      f"{r['resumed_share']:.0%}{day(r['resumed_day_median'])}", f"{r['resumed_by_rule_share']:.0%}",
                      f"{r['violation_days_mean']:.1f}")
        console.print(g)
    o = Table(title="Outcomes at the horizon (median, 90% interval)")
    o.add_column("policy", no_wrap=True)
    cols = []
    for k, side in enumerate(sides):
        if not (len(sides) == 2 and k == 1):  # with two sides the second territory share is 1 - the first
            cols.append(("territory_share_final", "side", side, f"territory {side}"))
    for side in sides:
        cols.append(("casualties_personnel_total", "side", side, f"casualties {side}"))
    cols += [("gdp_index_final", "side", sides[0], f"GDP {sides[0]}")]
    for sup in list(ds.supporter.values)[:1] if "supporter" in ds.dims else []:
        cols.append(("supporter_will_final", "supporter", str(sup), f"will {sup}"))
    for *_, label in cols:
        o.add_column(escape(label), justify="right")
    for name in ds.policy.values:
        cells = [interval(ds[var].sel({"policy": name, dim: who}).values) for var, dim, who, _ in cols]
        o.add_row(escape(keys[str(name)]), *cells)
    console.print(o)
    claims = claims_table(ds, s.claims)
    if not claims.empty:
        c = Table(title="Claims from the articles: share of runs in which each holds")
        c.add_column("claim", overflow="fold")
        c.add_column("policy", no_wrap=True)
        c.add_column("proposition", overflow="fold")
        c.add_column("holds", justify="right", no_wrap=True)
        last = None
        for _, r in claims.iterrows():  # each claim named once, its policies below it
            first = r["claim"] != last
            c.add_row(escape(r["claim"]) if first else "", escape(keys[r["policy"]]),
                      escape(r["proposition"]) if first else "", f"{r['holds_share']:.1%}", end_section=False)
            last = r["claim"]
        console.print(c)


#: Outcomes printed by ``run`` (median and 90% interval per side).
RUN_OUTCOMES = ("territory_share_final", "casualties_personnel_total", "gdp_index_final", "combat_power_share_final",
                "will_share_final")


def run(
    scenario_path: Path = typer.Argument(..., metavar="SCENARIO", help="Scenario YAML file"),
    policy: str = typer.Option("fight_on", "--policy", "-p", help="fight_on or truce:START_DAY:DAYS[:AID_LEVEL], or a policy name from the scenario"),
    runs: int = typer.Option(2000, "--runs", "-n", help="Number of runs in the ensemble"),
    seed: int = typer.Option(0, "--seed", help="Seed: the same seed gives the same numbers"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the results to this NetCDF file"),
    record_every: int = typer.Option(7, "--record-every", help="Keep the state every this many days"),
    force: bool = typer.Option(False, "--force", help="Replace an existing --out file"),
) -> None:
    """Run one policy's ensemble and print its outcomes."""
    from .. import variables as V
    from ..engine import simulate

    from ..cli_options import check_common, check_ensemble_memory
    from ..outputs import atomic_write, check_out

    out = check_out(out, "file", force)
    scenario = load_scenario(scenario_path)
    check_common(runs, seed, record_every, scenario.horizon_days)
    pol = resolve_policy(scenario, policy)
    check_ensemble_memory(scenario, runs, record_every)
    with progress_bar() as bar:
        res = simulate(scenario, pol, runs=runs, seed=seed, record_every_days=record_every, progress=bar)
    table = Table(title=escape(f"{scenario.name}: {pol.name}, {runs} runs, seed {seed} (median, 90% interval)"))
    table.add_column("outcome")
    for side in scenario.side_names:
        table.add_column(escape(side), justify="right")
    for var in RUN_OUTCOMES:
        table.add_row(V.variable(var).label, *[interval(res.outcomes[var].sel(side=s).values) for s in scenario.side_names])
    table.add_row("collapsed (share of runs)", *[f"{res.outcomes['collapsed'].sel(side=s).values.mean():.1%}"
                                                 for s in scenario.side_names])
    console.print(table)
    if pol.dynamic:  # the start or end differs run by run: say how often it started and how often it failed
        start, end = (np.asarray(res.outcomes[v].values, dtype=float) for v in ("truce_start_day", "truce_end_day"))
        console.print(f"The truce started in {np.isfinite(start).mean():.1%} of runs; fighting resumed after it "
                      f"in {np.isfinite(end).mean():.1%}.", highlight=False)
    if out:
        with atomic_write(out) as tmp:
            res.to_netcdf(tmp)
        console.print(f"wrote 1 file: {escape(str(out))}")


def register(app: typer.Typer) -> None:
    app.command("run")(run)
    app.command("compare")(compare_cmd)
