"""The claims ledger: each claim a scenario takes from its articles, the model's verdict, and what happened.

For every claim of a scenario (``claims:``; a proposition ``metric op threshold`` over a
per-run outcome, with its source) and every policy it applies to, the ledger gives the
share of runs in which the proposition holds (from the compared ensemble,
:func:`claims_by_policy`, which runs all policies on common random numbers), a 95%
Wilson score interval for that share (the runs are independent draws; the compared
ensemble's own interval where it gives one, else ``scipy.stats.binomtest``), and a verdict:

* ``holds in most futures`` when the interval lies above 1/2,
* ``fails in most futures`` when it lies below 1/2,
* ``undecided`` otherwise.

Where an outcomes file (YAML, see ``data/claims/``) says what happened, with a public
source named precisely, the ledger adds it; claims it does not cover are ``unknown``.
The verdict is conditional on the scenario's ranges, not a forecast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ceasefire.compare.measures import wilson_interval as _wilson
from ceasefire.errors import InputError
from ceasefire.scenario import Scenario
from ceasefire.scenario.sources import Source

STATUSES = ("held", "failed", "unknown", "not_observable")


@dataclass
class Outcomes:
    """What happened, per claim id, from an outcomes file."""

    by_claim: dict[str, dict] = field(default_factory=dict)
    not_expressible: list[dict] = field(default_factory=list)
    path: str = ""


def read_outcomes(path: str | Path) -> Outcomes:
    """Read and check an outcomes file: each entry needs a status, what happened and a source."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"outcomes file not found: {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise InputError(f"{path} is not valid YAML: {getattr(err, 'problem', err)}") from None
    claims = data.get("claims") or {}
    if not isinstance(claims, dict):
        raise InputError(f"{path}: `claims` must map claim ids to {{status, happened, source}}.")
    out = {}
    for cid, entry in claims.items():
        if not isinstance(entry, dict):
            raise InputError(f"{path}: claims.{cid} must be a mapping with status, happened and source.")
        status = entry.get("status")
        if status not in STATUSES:
            raise InputError(f"{path}: claims.{cid}.status must be one of {', '.join(STATUSES)}, got {status!r}.")
        if not str(entry.get("happened", "")).strip():
            raise InputError(f"{path}: claims.{cid}.happened is missing: say what happened, or drop the entry (unknown).")
        try:
            src = Source.model_validate(entry.get("source"))
        except Exception as err:  # pydantic ValidationError: one readable line
            raise InputError(f"{path}: claims.{cid}.source is not a valid source ({str(err).splitlines()[-1].strip()}).") from None
        if src.kind == "assumption":
            raise InputError(f"{path}: claims.{cid}.source: what happened needs a public source, not an assumption.")
        out[cid] = {"status": status, "happened": " ".join(str(entry["happened"]).split()), "source": src.describe()}
    return Outcomes(out, list(data.get("not_expressible") or []), str(path))


def wilson_interval(holds: int, runs: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a binomial share (the compared ensemble's :func:`ceasefire.compare.wilson_interval`)."""
    lo, hi = _wilson(holds, runs, confidence)
    return float(lo), float(hi)


def verdict(low: float, high: float) -> str:
    """Plain verdict from the interval of the share of runs in which a claim holds."""
    if low > 0.5:
        return "holds in most futures"
    if high < 0.5:
        return "fails in most futures"
    return "undecided"


def claims_by_policy(scenario: Scenario, runs: int, seed: int) -> pd.DataFrame:
    """The share of runs in which each claim holds per policy, from the compared ensemble."""
    from ..compare import claims_table, run_policies

    return claims_table(run_policies(scenario, runs=runs, seed=seed, keep="outcomes"), scenario.claims)


def ledger(scenario: Scenario, runs: int = 1000, seed: int = 0, outcomes: Outcomes | None = None,
           label: str | None = None) -> pd.DataFrame:
    """One row per claim and policy: proposition, source, share holding with its interval, verdict, what happened."""
    if not scenario.claims:
        raise InputError(f"scenario {scenario.name} has no `claims:`; nothing to put in the ledger.")
    table = claims_by_policy(scenario, runs, seed)
    by_id = {c.id: c for c in scenario.claims}
    rows = []
    for _, r in table.iterrows():
        c = by_id[r["claim"]]
        lo, hi = float(r["holds_lo"]), float(r["holds_hi"])
        what = (outcomes.by_claim.get(c.id) if outcomes else None) or {"status": "unknown", "happened": "", "source": ""}
        rows.append({
            "scenario": label or scenario.name, "claim": c.id, "text": c.text, "source": c.source.describe(),
            "proposition": r["proposition"], "applies_to": c.applies_to, "policy": r["policy"],
            "holds_share": float(r["holds_share"]), "ci_low": lo, "ci_high": hi, "runs": int(r["runs"]),
            "verdict": verdict(lo, hi), "what_happened": what["status"], "happened": what["happened"],
            "happened_source": what["source"],
        })
    missing = [c.id for c in scenario.claims if c.id not in {r["claim"] for r in rows}]
    for cid in missing:  # a claim that applies to no policy of the scenario
        c = by_id[cid]
        rows.append({"scenario": label or scenario.name, "claim": cid, "text": c.text, "source": c.source.describe(),
                     "proposition": f"{c.metric}[{c.side or c.supporter}] {c.op} {c.threshold:g}", "applies_to": c.applies_to,
                     "policy": "", "holds_share": np.nan, "ci_low": np.nan, "ci_high": np.nan, "runs": 0,
                     "verdict": f"no policy of the scenario is a {c.applies_to} policy", "what_happened": "unknown",
                     "happened": "", "happened_source": ""})
    return pd.DataFrame(rows)
