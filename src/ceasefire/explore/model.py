"""The engine as an explore model: a chunk of design rows -> per-run outcomes under every policy.

Every policy runs on the same rows of the design (common random numbers): run
``i`` has the same parameters, and the same daily noise (counter-based on the
seed and the global run index), under every policy. A chunk is evaluated as the
compared ensemble (:func:`ceasefire.compare.run_policies`, outcomes only), so each
truce is paired with fighting on at the same aid levels by the one baseline rule,
and "favours" means exactly what ``ceasefire compare`` says it means.

Output of :meth:`EngineModel.evaluate`, dims (run, policy, side | supporter | claim):

* under every policy: ``territory_share_final``, ``casualties_personnel_total``,
  ``combat_power_share_final``, ``gdp_index_final``, ``will_share_final``,
  ``collapsed`` (side); ``supporter_will_final`` (supporter);
* truce minus fight-on (NaN under fight-on): ``power_share_change_at_truce_end``,
  ``power_ratio_change_at_truce_end`` (the side's combat power over the others',
  truce minus fight-on, on the truce's last day), ``territory_share_change_final``,
  ``casualties_change``; and ``favours`` (1 where the truce favours that side);
* ``favours_by_measure`` (run, policy, measure, side): every favours measure of
  :mod:`ceasefire.compare.favours` (1 better off, 0 not, NaN undefined or fight-on);
* ``claim_holds`` (run, policy, claim): 1 holds, 0 fails, -1 does not apply.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import xarray as xr

from ..compare import FAVOURS_MARGIN, claim_holds, measure_indicators, run_policies
from ..scenario import Policy, Scenario, dump_scenario

PER_POLICY_SIDE = ("territory_share_final", "casualties_personnel_total", "combat_power_share_final",
                   "gdp_index_final", "will_share_final")
PAIRED_SIDE = ("power_share_change_at_truce_end", "territory_share_change_final", "casualties_change")


def scenario_fingerprint(scenario: Scenario) -> str:
    """SHA-256 of the scenario's canonical YAML (what the engine would run, not the file's layout)."""
    return hashlib.sha256(dump_scenario(scenario).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class EngineModel:
    """The ceasefire engine under a list of policies (fight-on baselines first)."""

    scenario: Scenario
    policies: tuple[Policy, ...]
    margin: float = FAVOURS_MARGIN

    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(path for path, _ in self.scenario.uncertain_parameters())

    @property
    def policy_names(self) -> list[str]:
        return [p.name for p in self.policies]

    def fingerprint(self) -> str:
        return scenario_fingerprint(self.scenario)

    def evaluate(self, unit_samples: np.ndarray, run_offset: int, seed: int) -> xr.Dataset:
        """The compared ensemble of these rows (outcomes only), in explore's layout (run, policy, ...)."""
        ds = run_policies(self.scenario, list(self.policies), runs=int(unit_samples.shape[0]), seed=seed,
                          keep="outcomes", unit_samples=unit_samples, run_offset=run_offset, margin=self.margin)
        return self.select(ds)

    def select(self, ds: xr.Dataset) -> xr.Dataset:
        """The variables explore analyses, from a compared ensemble, ordered like :attr:`policies`."""
        sc = self.scenario
        ds = ds.sel(policy=self.policy_names)
        keep = list(PER_POLICY_SIDE) + list(PAIRED_SIDE) + ["power_ratio_change_at_truce_end"]
        data = {v: ds[v].astype(float) for v in keep}
        data["collapsed"] = ds["collapsed"].astype(np.int8)
        data["favours"] = ds["favours"].fillna(0).astype(np.int8)
        # every favours measure, 1/0 per run and side (NaN: undefined), so the report states each of them
        data["favours_by_measure"] = measure_indicators(ds).sel(policy=self.policy_names).astype(np.float32)
        if sc.supporter_names:
            data["supporter_will_final"] = ds["supporter_will_final"].astype(float)
        if sc.claims:
            data["claim_holds"] = claim_holds(ds, list(sc.claims))
        out = xr.Dataset(data).transpose("run", "policy", ...)
        out = out.drop_vars([c for c in out.coords if c not in ("run", "policy", "side", "supporter", "claim",
                                                                "measure")])
        return out.assign_coords({
            "policy_kind": ("policy", [p.kind for p in self.policies]),
            "start_day": ("policy", [p.start_day for p in self.policies]),
            "truce_days": ("policy", [p.days for p in self.policies]),
            "aid_level": ("policy", [p.aid_level for p in self.policies]),
        })
