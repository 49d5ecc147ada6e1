"""Daily base rates of truce and settlement breakdown, from the ceasefire data in ../shared/data/ceasefires.

    python benchmarks/ceasefire_base_rates.py [DATA_DIR]

Prints the tables of docs/truce-durability.md. Three populations, never mixed:

* Fortna (2008) peacekeeping minidata: 96 ceasefires after civil wars, 1989-1999, followed to the
  end of 2004 (right-censored). Exponential maximum likelihood ``h = failures / days at risk`` with a
  95% interval ``h exp(+-1.96 / sqrt(failures))``, Kaplan-Meier survival (statsmodels
  ``SurvfuncRight``), split by peacekeepers; a Cox hazard ratio of peacekeepers (statsmodels ``PHReg``).
* UCDP Conflict Termination v3-2021 (Kreutz 2010): conflict episodes 1946-2020 that ended in a
  ceasefire (outcome 2) or a peace agreement (outcome 1); "failure" = the next active episode of the
  same conflict (its start date), censored on 31 Dec 2020. All conflicts and interstate ones
  (``type_of_conflict`` 2) separately.
* ETH/PRIO Civil Conflict Ceasefires v1 (Clayton, Nathan & Wiehler 2023): ceasefires 1989-2020 with
  an effective and an end date. The file has no censoring flag we could verify (no codebook here), so
  only complete cases are used: their mean duration gives the hazard *among ceasefires that ended*
  (an upper bound for all ceasefires), split by written/verbal and by DDR provisions.

Only statistics are derived; no row of these files is copied into the project.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import SurvfuncRight

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "ceasefires"
UCDP_END = pd.Timestamp("2020-12-31")
DAYS = (30, 90, 365, 1825)


def exponential_rate(days: np.ndarray, failed: np.ndarray) -> dict:
    """Exponential MLE of a daily hazard from right-censored durations [1/day], with its 95% interval."""
    days, failed = np.asarray(days, float), np.asarray(failed, bool)
    events, exposure = int(failed.sum()), float(days.sum())
    h = events / exposure
    half = 1.96 / np.sqrt(events) if events else np.inf
    return {"n": len(days), "failures": events, "days_at_risk": exposure, "hazard_per_day": h,
            "low": h * np.exp(-half), "high": h * np.exp(half)}


def km_at(days: np.ndarray, failed: np.ndarray, at=DAYS) -> list[float]:
    """Kaplan-Meier survival at the given days (statsmodels ``SurvfuncRight``)."""
    sf = SurvfuncRight(np.asarray(days, float), np.asarray(failed, int))
    t, s = sf.surv_times, sf.surv_prob
    return [float(s[t <= d][-1]) if np.any(t <= d) else 1.0 for d in at]


def fortna(data: Path = DATA) -> dict:
    """Fortna's civil-war ceasefires: hazard overall, with and without peacekeepers, and the Cox ratio."""
    df = pd.read_csv(data / "fortna_peacekeeping_minidata.csv")
    days = (df["faildate"] - df["cfdate"]).to_numpy(float)
    failed = df["censored?"].to_numpy() == 0
    pk = df["peacekeepers?"].to_numpy() == 1
    out = {"all": exponential_rate(days, failed) | {"km": km_at(days, failed)},
           "peacekeepers": exponential_rate(days[pk], failed[pk]) | {"km": km_at(days[pk], failed[pk])},
           "no_peacekeepers": exponential_rate(days[~pk], failed[~pk]) | {"km": km_at(days[~pk], failed[~pk])}}
    fit = PHReg(np.maximum(days, 0.5), pk[:, None].astype(float), status=failed.astype(int)).fit()
    out["cox_hazard_ratio_peacekeepers"] = float(np.exp(fit.params[0]))
    ci = fit.conf_int()[0]
    out["cox_ci"] = (float(np.exp(ci[0])), float(np.exp(ci[1])))
    return out


def ucdp(data: Path = DATA) -> dict:
    """UCDP episodes ended by ceasefire or peace agreement: daily hazard that the conflict becomes active again."""
    df = pd.read_csv(data / "ucdp_conflict_termination_v3_2021.csv")
    ep = df.groupby("conflictep_id").agg(conflict_id=("conflict_id", "first"), number=("conflictepisode", "first"),
                                         start=("start_date2", "first"), end=("ependdate", "last"),
                                         outcome=("outcome", "last"), kind=("type_of_conflict", "last"),
                                         terminated=("confterm", "max")).reset_index()
    ep["start"] = pd.to_datetime(ep["start"], dayfirst=True)
    ep["end"] = pd.to_datetime(ep["end"], dayfirst=True)
    ep = ep.sort_values(["conflict_id", "number"])
    ep["next_start"] = ep.groupby("conflict_id")["start"].shift(-1)
    ended = ep[(ep["terminated"] == 1) & ep["end"].notna()].copy()
    ended["failed"] = ended["next_start"].notna()
    ended["days"] = ((ended["next_start"].where(ended["failed"], UCDP_END)) - ended["end"]).dt.days.clip(lower=1)
    out = {}
    for name, code in (("ceasefire", 2.0), ("peace_agreement", 1.0)):
        for pop, mask in (("all", np.ones(len(ended), bool)), ("interstate", (ended["kind"] == 2).to_numpy())):
            sub = ended[(ended["outcome"] == code).to_numpy() & mask]
            out[f"{name}_{pop}"] = (exponential_rate(sub["days"], sub["failed"])
                                    | {"km": km_at(sub["days"], sub["failed"]),
                                       "share_recurred": float(sub["failed"].mean())})
    return out


def eth_prio(data: Path = DATA) -> dict:
    """ETH/PRIO ceasefires with an end date (complete cases): hazard among those that ended, by provision."""
    df = pd.read_csv(data / "eth_prio_civil_conflict_ceasefires_v1.csv", encoding="utf-8-sig", low_memory=False)
    cf = df.drop_duplicates("uniq_id")

    def date(prefix: str) -> pd.Series:
        y, m, d = (cf[f"{prefix}_yr"], cf[f"{prefix}_month"], cf[f"{prefix}_day"])
        ok = (y > 0) & (m > 0) & (d > 0)
        return pd.to_datetime(pd.DataFrame({"year": y.where(ok), "month": m.where(ok), "day": d.where(ok)}),
                              errors="coerce")

    start = date("cf_effect").fillna(date("cf_dec"))
    end = date("end")
    days = (end - start).dt.days
    ok = days.notna() & (days >= 0)
    lasted = days[ok].to_numpy(float) + 1.0  # a ceasefire that ends on its first day lasted one day
    out = {"ceasefires": int(cf["uniq_id"].nunique()), "with_end_date": int(ok.sum()),
           "median_days": float(np.median(lasted)), "share_within_7_days": float(np.mean(lasted <= 7)),
           "share_within_365_days": float(np.mean(lasted <= 365)),
           "hazard_per_day_among_ended": float(1.0 / lasted.mean())}
    for col, labels in (("written", {1: "written", 0: "verbal"}), ("ddr", {1: "ddr", 0: "no_ddr"})):
        for code, label in labels.items():
            sel = ok & (cf[col] == code)
            d = days[sel].to_numpy(float) + 1.0
            out[label] = {"n": int(sel.sum()), "median_days": float(np.median(d)),
                          "hazard_per_day_among_ended": float(1.0 / d.mean())}
    return out


def _rate(r: dict) -> str:
    return f"{r['hazard_per_day']:.5f} ({r['low']:.5f}-{r['high']:.5f})"


def markdown(data: Path = DATA) -> str:
    f, u, e = fortna(data), ucdp(data), eth_prio(data)
    lines = ["| population | n | failures | hazard per day (95%) | median days (1/h ln 2) | "
             "survival at 30 / 90 / 365 / 1825 days (KM) |", "|---|---|---|---|---|---|"]
    rows = [("Fortna: civil-war ceasefires 1989-99, all", f["all"]),
            ("Fortna: with peacekeepers", f["peacekeepers"]), ("Fortna: without peacekeepers", f["no_peacekeepers"]),
            ("UCDP: episodes ended by ceasefire, all conflicts", u["ceasefire_all"]),
            ("UCDP: episodes ended by ceasefire, interstate", u["ceasefire_interstate"]),
            ("UCDP: episodes ended by peace agreement, all", u["peace_agreement_all"]),
            ("UCDP: episodes ended by peace agreement, interstate", u["peace_agreement_interstate"])]
    for name, r in rows:
        km = " / ".join(f"{s:.2f}" for s in r["km"])
        lines.append(f"| {name} | {r['n']} | {r['failures']} | {_rate(r)} | {np.log(2) / r['hazard_per_day']:.0f} "
                     f"| {km} |")
    ratio = u["peace_agreement_all"]["hazard_per_day"] / u["ceasefire_all"]["hazard_per_day"]
    lines += ["", f"UCDP, hazard of recurrence after a peace agreement over that after a ceasefire (all conflicts): "
              f"{ratio:.2f}.",
              "", f"Fortna, Cox hazard ratio of peacekeepers: {f['cox_hazard_ratio_peacekeepers']:.2f} "
              f"(95% {f['cox_ci'][0]:.2f}-{f['cox_ci'][1]:.2f}).", "",
              f"ETH/PRIO: {e['ceasefires']} ceasefires, {e['with_end_date']} with an end date; among those, median "
              f"{e['median_days']:.0f} days, {e['share_within_7_days']:.0%} within 7 days, "
              f"{e['share_within_365_days']:.0%} within a year; hazard among ended "
              f"{e['hazard_per_day_among_ended']:.5f}/day.",
              "", "| ETH/PRIO, ended ceasefires | n | median days | hazard per day among ended |", "|---|---|---|---|"]
    for label in ("written", "verbal", "ddr", "no_ddr"):
        r = e[label]
        lines.append(f"| {label} | {r['n']} | {r['median_days']:.0f} | {r['hazard_per_day_among_ended']:.5f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(Path(sys.argv[1]) if len(sys.argv) > 1 else DATA))
