"""Writes docs/tutorial.ipynb (no outputs): `python docs/make_tutorial.py`. Edit the cells here, not in the notebook."""
from pathlib import Path
import nbformat as nbf

cells = []
md = lambda t: cells.append(nbf.v4.new_markdown_cell(t))
code = lambda t: cells.append(nbf.v4.new_code_cell(t))

md("""# ceasefire in a notebook

A tour of the Python API on the Kherson scenario (November 2022): load the cited
scenario, compare fighting on with truces on common random numbers, open the
compared ensemble as xarray and pandas, plot, change a value, explore which
inputs drive the answer, and compute the bargaining range.

Run sizes are small so the notebook runs in a minute; use thousands of runs for
real answers (each share's Monte Carlo error is printed with it). The test suite
executes this notebook (`tests/test_tutorial.py`), so it cannot rot.""")
code("""from pathlib import Path

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

from ceasefire.scenario import load_scenario, with_values
from ceasefire.compare import run_policies, favours_table, claims_table

ROOT = Path.cwd() if (Path.cwd() / "scenarios").exists() else Path.cwd().parent
scenario = load_scenario(ROOT / "scenarios" / "kherson-2022-11.yaml")
print(scenario.title)
print("sides:", scenario.side_names, "| supporters:", scenario.supporter_names)
print("policies:", [p.name for p in scenario.policies])
print(len(scenario.params()), "values,", len(scenario.uncertain_parameters()), "of them uncertain")""")
md("""## Compare the scenario's policies

`run_policies` runs every policy on the same sampled futures and returns one
`xarray.Dataset` with a `policy` dimension: the **compared ensemble**. Each truce is
paired, run by run, with fighting on at the same aid levels.""")
code("""ds = run_policies(scenario, runs=400, seed=1)
ds.ceasefire   # in Jupyter: the "favours" table with 95% Monte Carlo intervals""")
code("""print(ds.attrs["favours_definition"])
favours_table(ds, intervals=True).round(3)""")
md("""## The ensemble as xarray and pandas

Every variable carries its units and label (from the one registry,
`ceasefire.variables`).""")
code("""terr = ds["territory_share_final"]
print(terr.attrs["long_name"], "[", terr.attrs["units"], "]")
terr.sel(side="russia").median("run").to_pandas()""")
code("""per_run = ds[["territory_share_final", "casualties_personnel_total"]].sel(side="ukraine").to_dataframe()
per_run.groupby("policy").describe().T.round(3).iloc[:, :3]""")
code("""claims_table(ds, scenario.claims)[["claim", "policy", "holds_share", "holds_lo", "holds_hi"]]""")
md("## Plot: Russia's ammunition under each policy")
code("""from ceasefire import palette
colours = palette.policy_colours(list(ds.policy.values), list(ds.policy_kind.values))
fig, ax = plt.subplots(figsize=(8, 4))
for name in ds.policy.values:
    ds["shells_stock"].sel(policy=name, side="russia").median("run").plot(ax=ax, x="date", label=str(name),
                                                                          color=colours[str(name)])
ax.set_ylabel("shells (median over runs)")
ax.legend(fontsize=8)
ax.set_title("Russian artillery ammunition stock")""")
md("""## Change a value

`with_values` returns a new scenario; a plain number becomes a fixed value whose
source is an assumption with the reason you give.""")
code("""path = "sides.russia.ammunition.shells_stock"
print("in the scenario:", scenario.param(path).dist, scenario.param(path).nominal)
richer = with_values(scenario, {path: 2 * scenario.param(path).nominal},
                     reason="what if Russia's stock were twice the scenario's central value")
ds2 = run_policies(richer, runs=400, seed=1, keep="outcomes")
import pandas as pd
pd.DataFrame({"favours russia": favours_table(ds).set_index("policy")["russia"],
              "... with twice the stock": favours_table(ds2).set_index("policy")["russia"]})""")
md("""## Explore: which inputs drive whether a truce favours Russia?

A small Sobol' design over the uncertain parameters, grouped by mechanism (a real
exploration uses thousands of samples: `ceasefire explore`).""")
code("""import json, tempfile
from ceasefire.explore.pipeline import ExploreOptions, explore

out = Path(tempfile.mkdtemp()) / "explore"
summary = explore(scenario, ROOT / "scenarios" / "kherson-2022-11.yaml", out,
                  ExploreOptions(samples=256, map_runs=4, fan_runs=8, map_start_days=[0], map_truce_days=[90],
                                 chunk_size=64, workers=1), log=lambda *a: None)
sorted(p.name for p in out.iterdir())""")
code("""import xarray as xr
sens = xr.open_dataset(out / "sensitivity.nc")
# total-order Sobol' index of "the truce favours the side" per mechanism (largest sample size)
sens["ST"].sel(outcome="favours").isel(n_base=-1).to_pandas().round(2)""")
md("""## Bargain: the range of deals both sides prefer to fighting on

From the fight-on runs: each side's expected share of the contested territory if
fighting goes on, minus its costs, gives Fearon's bargaining range over time.""")
code("""from ceasefire.bargain.outside_options import outside_options, range_over_time, war_end_day

fight = ds.sel(policy="fight_on")
supporters_of = {name: s.supports for name, s in scenario.supporters.items()}
opts = outside_options(fight, "ukraine", "russia", supporters_of=supporters_of, collapse_day=war_end_day(fight))
ranges = range_over_time(opts)
ranges""")
nb = nbf.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                "language": "python"}})
nbf.write(nb, Path(__file__).with_name("tutorial.ipynb"))
