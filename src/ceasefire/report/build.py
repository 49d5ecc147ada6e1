"""Build the self-contained HTML report of an exploration directory.

The report reads only the files ``ceasefire explore`` wrote (``summary.json``,
``sensitivity.nc``, ``discovery.json``, ``truce_map.nc``, ``fan.nc``), renders
``templates/report.html.j2`` with Jinja2 (autoescaped), and inlines every plot as
a base64 PNG, so the single file can be sent by e-mail and opened offline.
"""

from __future__ import annotations

import datetime as _dt
import importlib.util
import os
from pathlib import Path

import numpy as np
import xarray as xr
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from .. import __version__
from ..errors import InputError
from ..explore.store import Store
from . import plots

REPORT = "report.html"
#: The sections of the report, in order (id, heading); the browser test checks them.
SECTIONS = [
    ("question", "The question"),
    ("answer", "The answer in brief"),
    ("policies", "Policies compared"),
    ("favours", "Whom each truce favours"),
    ("fans", "How the main stocks evolve"),
    ("truce-map", "Truce map: when and how long"),
    ("sensitivity", "What drives the answer"),
    ("claims", "The claims, tested"),
    ("discovery", "Under which conditions"),
    ("scenario", "The scenario: every value and its source"),
    ("limits", "Limits of the model"),
    ("reproduce", "How to reproduce"),
]
FAN_PLAN = [("power_share", "side"), ("territory_share", "side"), ("shells_stock", "side"),
            ("deployed_personnel", "side"), ("supporter_will_share", "supporter")]


def fmt(v, unit: str | None = None) -> str:
    """A number for tables: shares as %, large numbers with separators, others to 3 significant digits."""
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return "n/a"
    v = float(v)
    if unit == "share":
        return f"{v:.1%}"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.3g}"


#: Widest 95 % interval (±) of a Sobol' index still called precise in the report.
PRECISE_HALF_WIDTH = 0.1


def convergence_status(stable: bool, half_width: float) -> str:
    """Plain words for an index: stable between the two sample sizes AND known to within ±0.1, or why not.
    (An index whose interval is ±0.29 wide did not move "beyond its interval" only because the interval is wide.)"""
    if not np.isfinite(half_width):
        return "no: no interval; use more samples"
    if stable and half_width <= PRECISE_HALF_WIDTH:
        return "yes"
    if stable:
        return f"no: stable, but only known to ±{half_width:.2f}; use more samples"
    return "no: moved between the sample sizes; use more samples"


def _img(fig, alt: str) -> dict:
    return {"src": "data:image/png;base64," + plots.figure_to_base64(fig), "alt": alt}


def ordered_sides(summary: dict) -> dict[str, str]:
    """``{side: label}`` in the scenario's order (``summary.json`` sorts its keys, so the order is stored apart)."""
    names = summary.get("side_names") or list(summary["sides"])
    return {s: summary["sides"][s] for s in names}


def _policy_table(summary: dict) -> dict:
    """Pivot of the policy table: one row per (quantity, who), one column per policy."""
    policies = [p["name"] for p in summary["policies"]]
    rows: dict[tuple, dict] = {}
    for r in summary["policy_table"]:
        key = (r["quantity"], r["who"])
        row = rows.setdefault(key, {"quantity": r["quantity"], "who": r["who"], "unit": r["unit"], "cells": {}})
        row["cells"][r["policy"]] = {"median": fmt(r["median"], r["unit"]),
                                     "interval": f"[{fmt(r['p05'], r['unit'])}, {fmt(r['p95'], r['unit'])}]"}
    out = []
    for row in rows.values():
        out.append({"quantity": row["quantity"], "who": summary["sides"].get(row["who"]) or
                    summary["supporters"].get(row["who"]) or row["who"],
                    "cells": [row["cells"].get(p, {"median": "-", "interval": ""}) for p in policies]})
    headers = [p.get("description") or p["name"] for p in summary["policies"]]
    return {"policies": policies, "headers": headers, "rows": out}


def _sensitivity(store: Store, summary: dict) -> dict | None:
    if not (store.root / "sensitivity.nc").exists():
        return None
    table = store.read_dataset("sensitivity.nc")
    truces = [p["name"] for p in summary["policies"] if p["kind"] == "truce"]
    main = truces[0]
    focus = summary["sides"][summary["focus_side"]]
    charts = []
    for outcome, meaning in summary["sensitivity_outcomes"].items():
        fig = plots.sobol_chart(table, outcome, main, title=f"{meaning} ({focus}; {main})")
        charts.append(_img(fig, f"Sobol indices of {outcome} under {main}"))
    # convergence: top factors of each outcome (main truce), at N/2 and N
    conv = []
    sizes = [int(n) for n in table["n_base"].values]
    for outcome, meaning in summary["sensitivity_outcomes"].items():
        t = table.sel(outcome=outcome, policy=main)
        st_full = t["ST"].isel(n_base=-1).values
        for i in np.argsort(-np.nan_to_num(st_full, nan=-1))[:5]:
            width = float(np.nanmax([t["S1_conf"].values[-1, i], t["ST_conf"].values[-1, i]]))
            conv.append({
                "outcome": meaning, "factor": str(t["factor_label"].values[i]),
                "cells": [f"{fmt(t['S1'].values[k, i])} ± {fmt(t['S1_conf'].values[k, i])} / "
                          f"{fmt(t['ST'].values[k, i])} ± {fmt(t['ST_conf'].values[k, i])}" for k in range(len(sizes))],
                "status": convergence_status(bool(t["converged"].values[i]), width),
            })
    # total index of the top factors under every truce (for the first outcome)
    first = list(summary["sensitivity_outcomes"])[0]
    t = table.sel(outcome=first).isel(n_base=-1)
    mean_st = np.nanmean(t["ST"].values, axis=-1) if "policy" in t["ST"].dims else t["ST"].values
    across = []
    for i in np.argsort(-np.nan_to_num(mean_st, nan=-1))[:8]:
        across.append({"factor": str(t["factor_label"].values[i]),
                       "cells": [fmt(t["ST"].sel(policy=p).values[i]) for p in truces]})
    n_conv = int(table["converged"].sel(policy=main).sum())
    drivers = {}
    for p in truces:
        t = table.sel(outcome="favours", policy=p).isel(n_base=-1)
        st = t["ST"].values
        drivers[p] = [(str(t["factor_label"].values[i]), float(st[i]), float(t["ST_conf"].values[i]))
                      for i in np.argsort(-np.nan_to_num(st, nan=-1))[:3]]
    return {"charts": charts, "sizes": sizes, "convergence": conv, "across": across, "truces": truces,
            "first_outcome": first, "main": main, "drivers": drivers, "grouped": bool(table.attrs.get("grouped", 0)),
            "n_factors": int(table.sizes["factor"]), "n_converged": n_conv,
            "n_cells": int(table["converged"].sel(policy=main).size),
            "conf_level": float(table.attrs.get("conf_level", 0.95))}


def _discovery(summary: dict) -> list[dict]:
    items = []
    labels = summary.get("parameter_labels", {})
    focus = summary["focus_side"]
    for d in summary["discovery"]:
        item = dict(d)
        item["side_label"] = summary["sides"].get(d["side"], d["side"])
        item["chart"] = None
        if d["trajectory"] and d["side"] == focus:
            fig = plots.tradeoff_figure(d["trajectory"], d["chosen_index"],
                                        title=f"PRIM trade-off: {d['subject']}")
            item["chart"] = _img(fig, f"PRIM trade-off curve: {d['subject']}")
        item["ranking_labels"] = [(labels.get(k, k), v) for k, v in d["ranking"].items()][:5]
        items.append(item)
    return items


def _bargain_section(store: Store, summary: dict) -> str | None:
    """The bargaining engineer's HTML section, when ``ceasefire.bargain.plots`` is installed and usable."""
    if importlib.util.find_spec("ceasefire.bargain.plots") is None:
        return None
    from .bargain_section import bargaining_html

    return bargaining_html(store, summary)


def _validation_section(validation) -> str | None:
    from .validation_section import validation_html

    return validation_html(list(validation or []))


def build_report(explore_dir: str | os.PathLike, out: str | os.PathLike | None = None,
                 validation: list[str | os.PathLike] | None = None) -> Path:
    """Render ``report.html`` (or ``out``) from an exploration directory; returns its path.

    ``validation``: backtest/calibration output directories for the Validation section
    (:mod:`.validation_section`); none, no section."""
    store = Store(explore_dir)
    store.read_manifest()  # a clear error if this is not an exploration
    if not (store.root / "summary.json").exists():
        raise InputError("the exploration has not finished (summary.json is missing); run `ceasefire explore ... "
                         f"--out {store.root} --resume` to complete it", where=str(store.root))
    summary = store.read_json("summary.json")
    fan = store.read_dataset("fan.nc")
    tm = store.read_dataset("truce_map.nc")
    sides = ordered_sides(summary)
    policy_labels = {p["name"]: p["description"] for p in summary["policies"]}

    truce_spans = {p["name"]: (p["start_day"], p["start_day"] + p["days"]) for p in summary["policies"]
                   if p["kind"] == "truce"}
    fans = []
    for var, dim in FAN_PLAN:
        if var not in fan:
            continue
        for who in fan[dim].values:
            who = str(who)
            if float(np.ptp(fan[var].sel({dim: who}).values)) == 0.0:
                continue  # a constant (e.g. a supporter whose will never changes) says nothing
            name = sides.get(who) or summary["supporters"].get(who) or who
            fig = plots.fan_chart(fan, var, who, labels=policy_labels, truce_days=truce_spans,
                                  title=f"{plots.VARIABLE_LABELS.get(var, var)}: {name}")
            fans.append(_img(fig, f"fan chart of {var} for {name}"))
    truce_rows = [r for r in summary["favours_table"]]
    favours_img = _img(plots.favours_figure(truce_rows, sides), "share of runs each truce favours each side")
    tm_img = _img(plots.truce_map_figure(tm, sides), "truce map heat maps")
    headline = [d for d in summary["discovery"] if d["side"] == summary["focus_side"] and d["sentence"]]
    n_assumed = sum(1 for p in summary["parameters"] if p["source_kind"] == "assumption")
    env = Environment(loader=PackageLoader("ceasefire.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["fmt"] = fmt
    env.filters["upfirst"] = lambda text: text[:1].upper() + text[1:]
    html = env.get_template("report.html.j2").render(
        s=summary, sections=SECTIONS, sides=sides, policy_table=_policy_table(summary), fans=fans,
        favours_img=favours_img, truce_map_img=tm_img, truce_map=_truce_map_rows(tm, sides),
        truce_map_attrs=dict(tm.attrs), sensitivity=_sensitivity(store, summary), discovery=_discovery(summary),
        headline=headline, n_assumed=n_assumed, measures=measures_context(summary, sides),
        bargain_html=_bargain_section(store, summary), validation_html=_validation_section(validation),
        generated=_dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), version=__version__,
        manifest=store.read_manifest(),
    )
    path = Path(out) if out is not None else store.root / REPORT
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, path)
    return path


def _share_text(share, lo, hi) -> str:
    if share is None or not np.isfinite(share):
        return "n/a"
    return f"{share:.0%} [{lo:.0%}, {hi:.0%}]"


def _answer_name(answer: str | None, sides: dict[str, str]) -> str:
    if answer is None:
        return "undefined"
    if answer == "neither":
        return "neither side"
    return sides.get(answer, answer)


def measures_context(summary: dict, sides: dict[str, str]) -> dict | None:
    """Every favours measure per truce (rows of ``summary["favours_measures"]``), with the plain answer per
    measure and whether the measures disagree; None for an exploration written before the measures existed."""
    import pandas as pd

    from ..compare.favours import ALL_SIDES, MEASURES, verdicts

    fm = summary.get("favours_measures") or {}
    if not fm.get("rows"):
        return None
    table = pd.DataFrame(fm["rows"]).astype({"share": float, "lo": float, "hi": float})
    per = verdicts(table)
    exclusive = {m.name: m.exclusive for m in MEASURES}
    describe = {p["name"]: p["description"] for p in summary["policies"]}
    who = list(sides) + ["neither"]
    truces = []
    for name in dict.fromkeys(table["policy"]):
        items, answers = [], []
        for m in dict.fromkeys(table.loc[table["policy"] == name, "measure"]):
            g = table[(table["policy"] == name) & (table["measure"] == m)].set_index("who")
            cells = [_share_text(g.loc[w, "share"], g.loc[w, "lo"], g.loc[w, "hi"]) for w in who]
            v = per[(per["policy"] == name) & (per["measure"] == m)].iloc[0]
            answer = v["answer"] if isinstance(v["answer"], str) else None
            if answer is not None:
                answers.append((answer, g["label"].iloc[0]))
            side_words = ", ".join(f"{sides[sd]} {cells[k]}" for k, sd in enumerate(sides))
            if answer is None:
                text = "undefined (the day it is judged on is past the horizon)"
            elif answer == ALL_SIDES:
                text = f"every side is better off in more than half the futures ({side_words}; a truce can spare both)"
            elif exclusive.get(m, True):
                text = (f"most often {_answer_name(answer, sides)} ({side_words}; neither "
                        f"{cells[-1]})")
            else:
                text = f"most often {_answer_name(answer, sides)} ({side_words})"
            items.append({"measure": m, "label": g["label"].iloc[0], "definition": fm["definitions"].get(m, ""),
                          "cells": cells, "text": text})
        distinct = list(dict.fromkeys(a for a, _ in answers))
        groups = [f"{_answer_name(a, sides) if a != ALL_SIDES else 'every side'} by "
                  + ", ".join(lbl for b, lbl in answers if b == a) for a in distinct]
        truces.append({"policy": name, "description": describe.get(name, name), "measures": items,
                       "disagree": len(distinct) > 1, "agreement": "; ".join(groups),
                       "answer": _answer_name(distinct[0], sides) if len(distinct) == 1 else None})
    pairs = [{**p, "a": describe.get(p["a"], p["a"]), "b": describe.get(p["b"], p["b"]),
              "side": sides.get(p["side"], p["side"]),
              "label": table.loc[table["measure"] == p["measure"], "label"].iloc[0]}
             for p in fm.get("not_distinguishable", [])]
    runs = int(table["runs"].max())
    return {"truces": truces, "who": [sides[s] for s in sides] + ["neither"], "not_distinguishable": pairs,
            "runs": runs, "definitions": [(m.label, fm["definitions"].get(m.name, ""))
                                          for m in MEASURES if m.name in fm["definitions"]]}


def _truce_map_rows(tm: xr.Dataset, sides: dict[str, str]) -> dict:
    cols = [int(d) for d in tm["truce_days"].values]
    rows = []
    for s in tm["start_day"].values:
        cells = []
        for d in cols:
            if not bool(tm["valid"].sel(start_day=s, truce_days=d)):
                cells.append("n/a")
                continue
            shares = tm["share_favours"].sel(start_day=s, truce_days=d)
            cells.append(" / ".join(f"{sides.get(str(k), str(k))} {float(shares.sel(side=k)):.0%}"
                                    for k in tm["side"].values))
        rows.append({"start": int(s), "cells": cells})
    return {"columns": cols, "rows": rows}
