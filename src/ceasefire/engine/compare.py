"""Compare policies with common random numbers, run by run.

Run *i* draws the same parameters and the same daily noise under every policy, so
"truce minus fight-on" is a paired difference computed within each run.

Definition of *favours* (stated in every output): a truce **favours** side X in a
run when X's share of total combat power (troops x quality x ammunition readiness)
on the day the truce ends is higher under the truce than on the same day of the
same run had fighting gone on, by more than ``margin`` (default 0.005, half a
percentage point); otherwise it favours neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd
import xarray as xr

from ..errors import InputError
from ..scenario import PAIRED_METRICS, Claim, Policy, Scenario
from ..scenario.policies import check_policy
from .ensemble import simulate
from .results import Results

FAVOURS_MARGIN = 0.005
FAVOURS_DEFINITION = (
    "A truce favours side X in a run when X's share of total combat power (troops x quality x "
    "ammunition readiness) on the day the truce ends is higher under the truce than on the same day "
    "of the same run had fighting gone on, by more than {margin:.1%} of the total; otherwise it favours neither."
)


@dataclass
class Comparison:
    """Several policies' ensembles on common random numbers, with paired differences."""

    scenario: Scenario
    seed: int
    results: dict[str, Results]
    paired: xr.Dataset
    margin: float = FAVOURS_MARGIN
    claims: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def policies(self) -> list[Policy]:
        return [r.policy for r in self.results.values()]

    @property
    def definition(self) -> str:
        return FAVOURS_DEFINITION.format(margin=self.margin)

    def summary(self) -> pd.DataFrame:
        """One row per policy and quantity: median and 90% interval over runs."""
        rows = []
        for name, res in self.results.items():
            o = res.outcomes
            for side in self.scenario.side_names:
                for var, label in (("territory_share_final", "territory share at horizon"),
                                   ("casualties_personnel_total", "casualties (killed+wounded)"),
                                   ("gdp_index_final", "GDP index at horizon"),
                                   ("combat_power_share_final", "combat-power share at horizon")):
                    rows.append(_row(name, side, label, o[var].sel(side=side).values))
            for sup in self.scenario.supporter_names:
                rows.append(_row(name, sup, "supporter will at horizon", o["supporter_will_final"].sel(supporter=sup).values))
            if name in self.paired.policy.values:
                p = self.paired.sel(policy=name)
                for side in self.scenario.side_names:
                    rows.append(_row(name, side, "power share at truce end, truce minus fight-on",
                                     p["power_share_change_at_truce_end"].sel(side=side).values))
        return pd.DataFrame(rows)

    def favours_table(self) -> pd.DataFrame:
        """Share of runs in which each truce favours each side (or neither)."""
        rows = []
        for name in self.paired.policy.values:
            fav = self.paired["favours"].sel(policy=name).values
            row = {"policy": str(name)}
            for side in self.scenario.side_names + ["neither"]:
                row[side] = float(np.mean(fav == side))
            rows.append(row)
        return pd.DataFrame(rows)


def _row(policy: str, who: str, quantity: str, values: np.ndarray) -> dict:
    v = np.asarray(values, dtype=float)
    return {"policy": policy, "who": who, "quantity": quantity, "median": float(np.median(v)),
            "p05": float(np.quantile(v, 0.05)), "p95": float(np.quantile(v, 0.95))}


def with_fight_on(policies: list[Policy]) -> list[Policy]:
    """The policies with a ``fight_on`` baseline first (added when missing)."""
    base = [p for p in policies if p.kind == "fight_on" and p.aid_level == 1.0 and not p.aid_by_supporter]
    rest = [p for p in policies if p not in base]
    if not base:
        base = [Policy(name="fight_on", kind="fight_on")]
    names = [p.name for p in base[:1] + rest]
    if len(set(names)) != len(names):
        raise InputError(f"policy names must be unique, got {', '.join(names)}.")
    return base[:1] + rest


def compare(
    scenario: Scenario,
    policies: list[Policy] | None = None,
    runs: int = 2000,
    seed: int = 0,
    record_every_days: int = 7,
    margin: float = FAVOURS_MARGIN,
    progress: Callable[[str, int, int], None] | None = None,
    unit_samples: np.ndarray | None = None,
    run_offset: int = 0,
    chunk_runs: int | None = None,
) -> Comparison:
    """Run every policy (a fight-on baseline is added) on the same runs and pair them."""
    policies = with_fight_on(list(policies if policies is not None else scenario.policies))
    for p in policies:
        check_policy(p, scenario)
    ends = sorted({min(p.end_day, scenario.horizon_days) for p in policies if p.kind == "truce"})
    starts = sorted({p.start_day for p in policies if p.kind == "truce"})
    kwargs = {} if chunk_runs is None else {"chunk_runs": chunk_runs}
    results = {
        p.name: simulate(scenario, p, runs=runs, seed=seed, record_every_days=record_every_days,
                         snapshot_days=ends + starts, progress=progress, unit_samples=unit_samples,
                         run_offset=run_offset, **kwargs)
        for p in policies
    }
    paired = pair(scenario, results, policies[0].name, margin)
    cmp = Comparison(scenario, seed, results, paired, margin)
    cmp.claims = evaluate_claims(scenario.claims, cmp)
    return cmp


def pair(scenario: Scenario, results: dict[str, Results], baseline: str, margin: float) -> xr.Dataset:
    """Paired differences of every truce against the baseline, dims (policy, run, side)."""
    base = results[baseline].outcomes
    sides = np.asarray(scenario.side_names)
    blocks = []
    for name, res in results.items():
        if res.policy.kind != "truce":
            continue
        end = min(res.policy.end_day, scenario.horizon_days)
        o = res.outcomes
        d_power = o["power_share_at"].sel(snapshot_day=end) - base["power_share_at"].sel(snapshot_day=end)
        d_terr = o["territory_share_final"] - base["territory_share_final"]
        best = d_power.argmax("side").values
        gain = d_power.max("side").values
        favours = np.where(gain > margin, sides[best], "neither")
        ds = xr.Dataset({
            "power_share_change_at_truce_end": d_power.drop_vars("snapshot_day"),
            "territory_share_change_final": d_terr,
            "casualties_change": o["casualties_personnel_total"] - base["casualties_personnel_total"],
            "gdp_index_change_final": o["gdp_index_final"] - base["gdp_index_final"],
            "supporter_will_change_final": o["supporter_will_final"] - base["supporter_will_final"],
            "favours": ("run", favours.astype(object).astype(str)),
            "truce_end_day": ((), end),
        }).expand_dims(policy=[name])
        blocks.append(ds)
    if not blocks:
        return xr.Dataset(coords={"policy": np.array([], dtype=str)})
    return xr.concat(blocks, dim="policy")


_OPS = {">": np.greater, ">=": np.greater_equal, "<": np.less, "<=": np.less_equal}


def claim_values(claim: Claim, policy_name: str, cmp: Comparison) -> np.ndarray | None:
    """Per-run values of a claim's metric under a policy, or None where it does not apply."""
    res = cmp.results[policy_name]
    if claim.applies_to == "truce" and res.policy.kind != "truce":
        return None
    if claim.applies_to == "fight_on" and res.policy.kind != "fight_on":
        return None
    if claim.metric in PAIRED_METRICS:
        if res.policy.kind != "truce":
            return None
        return cmp.paired[claim.metric].sel(policy=policy_name, side=claim.side).values
    o = res.outcomes
    var = claim.metric
    if claim.supporter:
        return o[var].sel(supporter=claim.supporter).values
    return o[var].sel(side=claim.side).values.astype(float)


def evaluate_claims(claims: list[Claim], cmp: Comparison) -> pd.DataFrame:
    """Share of runs in which each claim holds, under each policy it applies to."""
    rows = []
    for claim in claims:
        for name in cmp.results:
            values = claim_values(claim, name, cmp)
            if values is None:
                continue
            holds = _OPS[claim.op](values, claim.threshold)
            rows.append({"claim": claim.id, "policy": name, "holds_share": float(np.mean(holds)),
                         "runs": int(values.size), "proposition": f"{claim.metric}[{claim.side or claim.supporter}] {claim.op} {claim.threshold:g}"})
    return pd.DataFrame(rows, columns=["claim", "policy", "holds_share", "runs", "proposition"])
