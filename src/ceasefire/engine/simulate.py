"""The daily-step ensemble simulator.

One call advances every run of a chunk together: each state variable is an array
of shape ``(runs, sides)`` (or ``(runs, supporters)``), and each day applies the
mechanisms in :mod:`.manpower`, :mod:`.ammunition`, :mod:`.combat`, :mod:`.front`,
:mod:`.economy` and :mod:`.will` in a fixed order. Runs are independent, so the
result of run *i* does not depend on the chunk it is computed in.

Order of a day ``t`` (state at the start of day ``t`` -> start of day ``t+1``):
call-ups and training; production, aid and imports arrive; rounds are fired
(``min(desired, available, delivery)``); casualties by the attrition law; enemy
deep strikes on exposed depots; missile and drone strikes on energy; the front
moves; economy, displacement and will adjust; a side whose will or strength
breaks collapses and the war ends.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import variables as _vars
from ..scenario import Policy, Scenario
from . import ammunition as ammo
from . import defence as dfn
from . import economy, front, manpower, truce, will
from .combat import calibrate_coefficients, casualties_per_day, effective_strength, fire_allocation, fire_superiority
from .parameters import MAX_TRANCHES
from .parameters import ParameterArrays, sample
from .random import daily_normals, open_uniforms, stream_key

# Record layout: read from the one registry (ceasefire.variables), in its declaration order.
SIDE_VARS: dict[str, str] = _vars.units_of(_vars.SIDE_STOCKS)
FLOW_VARS: dict[str, str] = _vars.units_of(_vars.SIDE_FLOWS)
SUPPORTER_VARS: dict[str, str] = _vars.units_of(_vars.SUPPORTER_STOCKS)
SUPPORTER_FLOW_VARS: dict[str, str] = _vars.units_of(_vars.SUPPORTER_FLOWS)
SNAPSHOT_VARS = _vars.SNAPSHOTS
FINAL_VARS = ("territory_share", "casualties_personnel_total", "killed_personnel_total", "gdp_index", "combat_power",
              "power_share", "will_share", "shells_stock", "deployed_personnel", "energy_capacity_share", "displaced_persons")
#: the state variable behind a final variable whose name differs
FINAL_FROM = {"casualties_personnel_total": "casualties_cumulative_personnel",
              "killed_personnel_total": "killed_cumulative_personnel"}
FINAL_SUPPORTER_VARS = ("supporter_will_share", "supporter_shells_stock", "aid_share")


@dataclass
class Buffers:
    """Preallocated outputs of a whole ensemble, run-first so a chunk is a contiguous slice."""

    rec: np.ndarray  # (runs, len(SIDE_VARS) + len(FLOW_VARS), kept days, S)
    rec_sup: np.ndarray  # (runs, len(SUPPORTER_VARS) + len(SUPPORTER_FLOW_VARS), kept days, P)
    snaps: np.ndarray  # (runs, len(snapshot variables kept), snapshot days, S)
    final: np.ndarray  # (runs, len(FINAL_VARS), S)
    final_sup: np.ndarray  # (runs, len(FINAL_SUPPORTER_VARS), P)
    collapse_day: np.ndarray  # (runs, S)
    initial_share: np.ndarray  # (runs, S)
    sampled: dict
    regime: np.ndarray | None = None  # (runs, len(REGIME_OUTPUTS)): truce start, end, violation days
    share_resumed: np.ndarray | None = None  # (runs, S): power share assess_after_days after fighting resumed
    resumed_by: np.ndarray | None = None  # (runs, S): 1 where the side's resume rule ended the truce
    saved: dict = field(default_factory=dict)  # day -> RunState, when a run_chunk saved states

    @classmethod
    def allocate(cls, runs: int, n_kept: int, n_snap: int, sides: int, supporters: int, dtype,
                 n_snap_vars: int = len(SNAPSHOT_VARS)) -> "Buffers":
        return cls(
            rec=np.zeros((runs, len(SIDE_VARS) + len(FLOW_VARS), n_kept, sides), dtype=dtype),
            rec_sup=np.zeros((runs, len(SUPPORTER_VARS) + len(SUPPORTER_FLOW_VARS), n_kept, supporters), dtype=dtype),
            snaps=np.zeros((runs, n_snap_vars, n_snap, sides)),
            final=np.zeros((runs, len(FINAL_VARS), sides)),
            final_sup=np.zeros((runs, len(FINAL_SUPPORTER_VARS), supporters)),
            collapse_day=np.full((runs, sides), -1, dtype=np.int64),
            initial_share=np.zeros((runs, sides)),
            sampled={},
            regime=np.concatenate([np.full((runs, 2), np.nan), np.zeros((runs, 1))], axis=1),
            share_resumed=np.full((runs, sides), np.nan),
            resumed_by=np.zeros((runs, sides)),
        )

    def chunk(self, lo: int, hi: int) -> "Buffers":
        """Views of runs ``lo:hi`` (contiguous)."""
        return Buffers(self.rec[lo:hi], self.rec_sup[lo:hi], self.snaps[lo:hi], self.final[lo:hi],
                       self.final_sup[lo:hi], self.collapse_day[lo:hi], self.initial_share[lo:hi], {},
                       self.regime[lo:hi], self.share_resumed[lo:hi], self.resumed_by[lo:hi])

    def copy_prefix(self, other: "Buffers", day: int, days_kept, snapshot_days) -> None:
        """Take from ``other`` (the same runs under a policy identical before ``day``) everything recorded
        before ``day``: kept days and snapshots before it, and the start's power share."""
        k = int(np.searchsorted(days_kept, day))  # both day lists are sorted: the days before are a prefix
        s = int(np.searchsorted(snapshot_days, day))
        self.rec[:, :, :k] = other.rec[:, :, :k]
        self.rec_sup[:, :, :k] = other.rec_sup[:, :, :k]
        self.snaps[:, :, :s] = other.snaps[:, :, :s]
        self.initial_share[:] = other.initial_share

    def store_sampled(self, lo: int, hi: int, runs: int, sampled: dict[str, np.ndarray]) -> None:
        for name, values in sampled.items():
            self.sampled.setdefault(name, np.zeros(runs))[lo:hi] = values


@dataclass
class ChunkOutput:
    """Raw arrays of one chunk: trajectories (var -> (runs, days, S|P)), final state, snapshots."""

    side: dict[str, np.ndarray]
    supporter: dict[str, np.ndarray]
    final: dict[str, np.ndarray]
    snapshots: dict[str, np.ndarray]
    collapse_day: np.ndarray
    initial_power_share: np.ndarray
    sampled: dict[str, np.ndarray]
    regime: np.ndarray | None = None
    share_resumed: np.ndarray | None = None
    resumed_by: np.ndarray | None = None


def record_days(horizon_days: int, every_days: int) -> np.ndarray:
    """Days at which the state is kept: 0, k, 2k, ... and always the horizon."""
    days = list(range(0, horizon_days + 1, max(int(every_days), 1)))
    if days[-1] != horizon_days:
        days.append(horizon_days)
    return np.asarray(days, dtype=int)


def run_chunk(
    scenario: Scenario,
    policy: Policy,
    run_index: np.ndarray,
    seed: int,
    days_kept: np.ndarray,
    snapshot_days: np.ndarray,
    unit_samples: np.ndarray | None = None,
    dtype=np.float32,
    backend: str = "numba",
    out: Buffers | None = None,
    snapshot_vars: tuple[str, ...] = SNAPSHOT_VARS,
    params: ParameterArrays | None = None,
    resume: "RunState | None" = None,
    save_days: tuple[int, ...] = (),
) -> Buffers:
    """Simulate one chunk of runs over the horizon.

    ``backend`` is ``"numba"`` (the fused, parallel kernel) or ``"numpy"`` (the
    reference path, all runs advanced together with array operations).
    ``snapshot_vars`` (a subset of :data:`SNAPSHOT_VARS`) are kept on the snapshot days.
    ``params`` are the chunk's sampled parameters when already drawn (they depend on the runs, the seed and
    ``unit_samples``, never on the policy). The numba backend can also save every run's whole state at the
    start of ``save_days`` (into ``out.saved[day]``) and start from a saved :class:`RunState` (``resume``)
    instead of day 0: the days before it are not simulated and their records are left as they are (the
    caller copies them from the run that saved the state).
    """
    P = params if params is not None else sample(scenario, run_index, seed, unit_samples)
    if out is None:
        out = Buffers.allocate(len(run_index), len(days_kept), len(snapshot_days), len(scenario.sides),
                               len(scenario.supporters), dtype, len(snapshot_vars))
    if backend == "numpy" and (resume is not None or save_days):
        raise ValueError("saving and resuming run states needs the numba backend")
    if backend == "numpy":
        c = integrate_numpy(scenario, policy, P, seed, days_kept, snapshot_days, dtype)
        for i, name in enumerate(list(SIDE_VARS) + list(FLOW_VARS)):
            out.rec[:, i] = c.side[name]
        for i, name in enumerate(list(SUPPORTER_VARS) + list(SUPPORTER_FLOW_VARS)):
            out.rec_sup[:, i] = c.supporter[name]
        for i, name in enumerate(snapshot_vars):
            out.snaps[:, i] = c.snapshots[name]
        for i, name in enumerate(FINAL_VARS):
            out.final[:, i] = c.final[name]
        for i, name in enumerate(FINAL_SUPPORTER_VARS):
            out.final_sup[:, i] = c.final[name]
        out.collapse_day[:] = c.collapse_day
        out.initial_share[:] = c.initial_power_share
        out.regime[:] = c.regime
        out.share_resumed[:] = c.share_resumed
        out.resumed_by[:] = c.resumed_by
    elif backend == "numba":
        if policy.dynamic:  # the kernel runs fixed truces only; breakdown, resume rules, conditions: NumPy path
            raise ValueError(f"policy {policy.name}: the numba kernel does not run truce breakdown, resume rules, "
                             "conditional starts or settlements yet; use backend='numpy' (simulate picks it)")
        integrate_numba(scenario, policy, P, seed, days_kept, snapshot_days, out, snapshot_vars, resume, save_days)
    else:
        raise ValueError(f"unknown backend {backend!r}; use numba or numpy")
    out.sampled = dict(P.sampled)
    return out


def integrate_numba(scenario, policy, P: ParameterArrays, seed, days_kept, snapshot_days, out: Buffers,
                    snapshot_vars: tuple[str, ...] = SNAPSHOT_VARS, resume: "RunState | None" = None,
                    save_days: tuple[int, ...] = ()) -> None:
    """Run the compiled kernel of :mod:`.kernel` on one chunk (from day 0, or from ``resume``), saving the
    state of every run on ``save_days`` into ``out.saved``."""
    from . import kernel

    runs = len(P.run_index)
    S = len(scenario.sides)
    NP = len(scenario.supporters)
    horizon = scenario.horizon_days
    sp = np.ascontiguousarray(np.stack([P.side[k] for k in kernel.SIDE_KEYS]), dtype=np.float64)
    su = np.ascontiguousarray(np.stack([P.supporter[k] for k in kernel.SUPPORTER_KEYS]), dtype=np.float64) if NP else np.zeros((len(kernel.SUPPORTER_KEYS), runs, 0))
    wave_days = sorted(P.waves)
    wave_day_slot = np.full(horizon + 1, -1, dtype=np.int64)
    for i, d in enumerate(wave_days):
        if d <= horizon:
            wave_day_slot[d] = i
    waves = np.stack([P.waves[d] for d in wave_days]) if wave_days else np.zeros((1, runs, S))
    keep_slot = np.full(horizon + 1, -1, dtype=np.int64)
    keep_slot[np.asarray(days_kept)] = np.arange(len(days_kept))
    truce = policy.kind == "truce"
    t_start, t_end = (policy.start_day, policy.end_day) if truce else (horizon + 1, horizon + 1)
    # the kernel keeps snapshots; the power share assess_after_days after the truce's end is one more,
    # kept in a private copy of the snapshot buffer (the public snapshots are unchanged)
    assess_day = t_end + policy.assess_after_days if truce and t_end < horizon else -1
    assess_day = assess_day if 0 <= assess_day <= horizon else -1
    all_snaps = sorted(set(int(d) for d in snapshot_days) | ({assess_day} if assess_day >= 0 else set()))
    snap_slot = np.full(horizon + 1, -1, dtype=np.int64)
    snap_slot[np.asarray(all_snaps, dtype=np.int64)] = np.arange(len(all_snaps))
    kept_vars = tuple(snapshot_vars) + (() if "power_share" in snapshot_vars else ("power_share",))
    # where each of SNAPSHOT_VARS goes in the snapshot buffer (-1: not kept)
    snap_var_slot = np.array([kept_vars.index(v) if v in kept_vars else -1 for v in SNAPSHOT_VARS], dtype=np.int64)
    private = len(all_snaps) != len(snapshot_days) or len(kept_vars) != len(snapshot_vars)
    snaps = np.zeros((runs, len(kept_vars), len(all_snaps), S)) if private else out.snaps
    c = policy.during_truce
    cont = np.array([getattr(c, name) for name in kernel.CONTINUES], dtype=np.float64)
    f64 = lambda a: np.ascontiguousarray(a, dtype=np.float64)  # noqa: E731
    inputs = kernel.Inputs(sp, su, f64(np.stack([P.p, P.q, P.front_length_km, P.daily_noise_sd, P.contested_area_km2])),
                           f64(P.support_matrix), f64(waves), wave_day_slot,
                           np.ascontiguousarray(P.run_index, dtype=np.int64), stream_key(seed, "noise.daily"),
                           kernel.day_counters(horizon, 2 * S),
                           np.array([int(getattr(scenario.mechanisms, k)) for k in kernel.FLAGS], dtype=np.int64),
                           np.ascontiguousarray(P.season_slot, dtype=np.int64), f64(P.season_advance),
                           f64(P.season_intensity), stream_key(seed, "aid.stall"))
    pol = kernel.PolicyArrays(bool(truce), int(t_start), int(t_end), cont,
                              f64(np.asarray(policy.aid_levels(scenario.supporter_names)).reshape(NP)))
    outputs = kernel.Outputs(int(horizon), keep_slot, snap_slot, snap_var_slot, out.rec, out.rec_sup, snaps,
                             out.final, out.final_sup, out.collapse_day, out.initial_share)
    kernel.kernel_for(S, NP)(inputs, pol, outputs, _saving(runs, S, NP, horizon, resume, save_days, out))
    if private:  # the public snapshots from the private buffer: those on or after the day the runs began
        first = 0 if resume is None else resume.day
        for j, d in enumerate(snapshot_days):
            if d >= first:
                out.snaps[:, :, j] = snaps[:, :len(snapshot_vars), all_snaps.index(int(d))]
    if truce:  # a fixed truce: the same start and end in every run
        out.regime[:, 0] = t_start
        out.regime[:, 1] = t_end if t_end < horizon else np.nan
        if assess_day >= 0:
            out.share_resumed[:] = snaps[:, kept_vars.index("power_share"), all_snaps.index(assess_day)]


@dataclass
class RunState:
    """Every run's whole state at the start of ``day`` (the kernel's packed arrays: :data:`.kernel.STATE_VARS`
    by side, :data:`.kernel.SUPPORTER_STATE_VARS` by supporter, :data:`.kernel.RUN_STATE_VARS`), for the
    runs of one chunk. Resuming from it continues each run exactly as if it had run from day 0."""

    day: int
    side: np.ndarray  # (runs, len(STATE_VARS), S)
    supporter: np.ndarray  # (runs, len(SUPPORTER_STATE_VARS), P)
    run: np.ndarray  # (runs, len(RUN_STATE_VARS))


def _saving(runs, S, NP, horizon, resume, save_days, out: Buffers):
    """The kernel's :data:`.kernel.Saved` for a resume and a set of days to save (into ``out.saved``)."""
    from . import kernel

    days = sorted({int(d) for d in save_days})
    if any(not 0 < d < horizon for d in days):
        raise ValueError(f"save days must lie strictly between day 0 and the horizon ({horizon}), got {days}")
    if resume is not None and not 0 < resume.day < horizon:
        raise ValueError(f"a run can resume strictly between day 0 and the horizon ({horizon}), not on day {resume.day}")
    if resume is not None and any(d <= resume.day for d in days):
        raise ValueError("a resumed run can save only days after the one it resumes on")
    slot = np.full(horizon + 1, -1, dtype=np.int64)
    slot[days] = np.arange(len(days))
    nx, ny, ng = len(kernel.STATE_VARS), len(kernel.SUPPORTER_STATE_VARS), len(kernel.RUN_STATE_VARS)
    x_out, xs_out, g_out = np.zeros((len(days), runs, nx, S)), np.zeros((len(days), runs, ny, NP)), np.zeros((len(days), runs, ng))
    empty = (np.zeros((0, nx, S)), np.zeros((0, ny, NP)), np.zeros((0, ng)))
    x_in, xs_in, g_in = empty if resume is None else (np.ascontiguousarray(resume.side, dtype=np.float64),
                                                      np.ascontiguousarray(resume.supporter, dtype=np.float64),
                                                      np.ascontiguousarray(resume.run, dtype=np.float64))
    if resume is not None and x_in.shape != (runs, nx, S):
        raise ValueError(f"the state to resume from holds {x_in.shape[0]} runs of {x_in.shape[2]} sides; "
                         f"this chunk has {runs} runs of {S} sides")
    out.saved = {d: RunState(d, x_out[k], xs_out[k], g_out[k]) for k, d in enumerate(days)}
    return kernel.Saved(0 if resume is None else int(resume.day), slot, x_in, xs_in, g_in, x_out, xs_out, g_out)


class Regime:
    """The regime of every run of a chunk under a policy, on the NumPy path (rules: :mod:`.truce`).

    :meth:`advance` is called with day ``d`` = 0 before the first day and with ``d`` = t + 1
    at the end of each day t, from the state at the start of day ``d``: a truce that runs out,
    collapses (breakdown hazard) or that a side chooses to end (resume rule) ends, and day
    ``d`` is fought; a policy whose start day has come and whose ``start_when`` conditions all
    hold starts, and day ``d`` is its first truce day; a violation is drawn for each run in
    truce. Draws come from the stream ``truce.breakdown``, counter ``(run, day)``, so a run's
    regime never depends on its chunk. Attributes are per-run arrays.
    """

    def __init__(self, scenario, policy: Policy, run_index: np.ndarray, seed: int):
        runs, S = len(run_index), len(scenario.sides)
        self.policy, self.horizon, self.run_index = policy, scenario.horizon_days, run_index
        self.active = policy.kind != "fight_on"
        self.phase = np.zeros(runs)  # truce.BEFORE
        self.start = np.full(runs, np.nan)
        self.end = np.full(runs, np.nan)
        self.fixed_end = np.full(runs, np.inf)
        self.violation = np.zeros(runs)
        self.violation_days = np.zeros(runs)
        self.share0 = np.zeros((runs, S))
        self.will0 = np.zeros((runs, S))
        self.sup_will0 = np.zeros((runs, len(scenario.supporters)))
        self.share_resumed = np.full((runs, S), np.nan)
        self.resumed_by = np.zeros((runs, S))
        self.key = stream_key(seed, "truce.breakdown")
        sides = scenario.side_names
        self.gain = np.full(S, np.inf)
        self.level = np.full(S, np.inf)
        for side, rule in policy.resume_rule.items():
            i = sides.index(side)
            self.gain[i] = np.inf if rule.gain_share is None else rule.gain_share
            self.level[i] = np.inf if rule.level_share is None else rule.level_share
        self.who = [sides.index(c.who) if c.variable in _SIDE_NAMES else scenario.supporter_names.index(c.who)
                    for c in policy.start_when]
        self.history: list[list[np.ndarray]] = [[] for _ in policy.start_when]

    @property
    def in_truce(self) -> np.ndarray:
        return self.phase == truce.IN_TRUCE

    def _uniforms(self, d: int, offset: int) -> np.ndarray:
        base = (self.run_index.astype(np.uint64) * np.uint64(1 << 20) + np.uint64(d)) * np.uint64(64)
        return open_uniforms(self.key, base + np.uint64(offset))

    def _hazard(self, base_per_day: float, state: dict) -> np.ndarray:
        b = self.policy.breakdown
        gain = (state["power_share"] - self.share0).max(axis=1)
        will_drop = (self.will0 - state["will_share"]).max(axis=1)
        sup = self.sup_will0 - state["supporter_will_share"]
        sup_drop = sup.max(axis=1) if sup.shape[1] else np.zeros(len(gain))
        return truce.breakdown_hazard_per_day(base_per_day, gain, b.gain_threshold_share, b.gain_per_share,
                                              will_drop, b.will_drop_per_share, sup_drop,
                                              b.supporter_will_drop_per_share, b.agreement_ratio)

    def _conditions_hold(self, d: int, state: dict) -> np.ndarray:
        ok = np.ones(len(self.phase), dtype=bool)
        for c, who, hist in zip(self.policy.start_when, self.who, self.history):
            value = np.asarray(state[c.variable])[:, who].astype(float)
            if c.over_days:
                hist.append(value.copy())
                if d < c.over_days:
                    ok &= False
                    continue
                value = np.abs(value - hist[d - c.over_days])
            ok &= truce.compare_holds(value, 1.0 if c.op == ">" else 0.0, c.value) > 0
        return ok

    def advance(self, d: int, current_state) -> np.ndarray:
        """Move every run to day ``d``; returns the runs whose truce ended (fighting resumes on day ``d``)."""
        pol = self.policy
        ended = np.zeros(len(self.phase), dtype=bool)
        if not self.active:
            return ended
        need_state = bool(pol.start_when or pol.resume_rule or pol.breakdown is not None)
        state = current_state() if need_state else None
        held = self.in_truce
        if held.any():
            stop = d >= self.fixed_end
            if pol.breakdown is not None and pol.breakdown.collapse_per_day > 0:
                h = self._hazard(pol.breakdown.collapse_per_day, state)
                stop = stop | (truce.event_today(h, self._uniforms(d, 1)) > 0)
            if pol.resume_rule:
                fires = truce.resume_rule_fires(state["power_share"], self.share0, self.gain, self.level) > 0
                chosen = held[:, None] & fires & ~(d >= self.fixed_end)[:, None]
                self.resumed_by = np.where(chosen, 1.0, self.resumed_by)
                stop = stop | chosen.any(axis=1)
            ended = held & stop
            self.phase = np.where(ended, truce.RESUMED, self.phase)
            self.end = np.where(ended, float(d), self.end)
        waiting = (self.phase == truce.BEFORE) & (d >= pol.start_day) & (d < self.horizon)
        if pol.start_when:
            waiting &= self._conditions_hold(d, state)
        if waiting.any():
            self.phase = np.where(waiting, truce.IN_TRUCE, self.phase)
            self.start = np.where(waiting, float(d), self.start)
            self.fixed_end = np.where(waiting, np.inf if pol.kind == "settle" else float(d + pol.days),
                                      self.fixed_end)
            if state is not None:
                self.share0 = np.where(waiting[:, None], state["power_share"], self.share0)
                self.will0 = np.where(waiting[:, None], state["will_share"], self.will0)
                self.sup_will0 = np.where(waiting[:, None], state["supporter_will_share"], self.sup_will0)
        b = pol.breakdown
        if b is not None and b.violation_per_day > 0:
            h = self._hazard(b.violation_per_day, state)
            self.violation = truce.event_today(h, self._uniforms(d, 0)) * self.in_truce
            if d < self.horizon:
                self.violation_days = self.violation_days + self.violation
        assess = (self.phase == truce.RESUMED) & (self.end < self.horizon) & (self.end + pol.assess_after_days == d)
        if assess.any():
            share = (state or current_state())["power_share"]
            self.share_resumed = np.where(assess[:, None], share, self.share_resumed)
        return ended

    def outputs(self) -> np.ndarray:
        """Per-run (truce start day, day fighting resumed, violation days); NaN where none within the horizon."""
        end = np.where(self.end < self.horizon, self.end, np.nan)
        start = np.where(self.start < self.horizon, self.start, np.nan)
        return np.stack([start, end, self.violation_days], axis=1)


_SIDE_NAMES = frozenset(v.name for v in _vars.SIDE_STOCKS)


def integrate_numpy(scenario, policy, P: ParameterArrays, seed, days_kept, snapshot_days, dtype) -> ChunkOutput:
    g = P.side
    sp = P.supporter
    runs = len(P.run_index)
    S = len(scenario.sides)
    NP = len(scenario.supporters)
    horizon = scenario.horizon_days
    M = P.support_matrix  # (P, S)

    # ---- state at the start
    deployed = g["manpower.deployed_personnel"].copy()
    training = g["manpower.training_personnel"].copy()
    pool = g["manpower.pool_personnel"].copy()
    recovering = np.zeros((runs, S))
    killed_cum = np.zeros((runs, S))
    casualties_cum = np.zeros((runs, S))
    shells = g["ammunition.shells_stock"].copy()
    capacity = g["ammunition.production_shells_per_day"].copy()
    adaptation = np.zeros((runs, S))
    strike_stock = g["strikes.strike_weapons_stock"].copy()
    energy = g["economy.energy_capacity_share"].copy()
    gdp = g["economy.gdp_index"].copy()
    displaced = np.zeros((runs, S))
    t0 = g["front.territory_share"]
    t_sum = t0.sum(axis=1, keepdims=True)
    territory = np.where(t_sum > 0, t0 / np.where(t_sum > 0, t_sum, 1.0), 1.0 / S)  # shares sum to 1
    territory0 = territory.copy()
    will_now = g["will.will_share"].copy()
    sup_will = sp["will_share"].copy()
    sup_shells = sp["shells_stock"].copy()
    collapse_day = np.full((runs, S), -1, dtype=int)
    war_over = np.zeros(runs, dtype=bool)

    quality = g["manpower.quality"].copy()
    seasoning = scenario.mechanisms.mobilised_quality
    if seasoning:  # the deployed force's average quality (model v2)
        quality = g["manpower.quality"] * g["seasoning.initial_quality_share"]
    art = g["ammunition.artillery_fire_share"]
    front_km = P.front_length_km
    deployed0 = deployed.copy()
    mech = scenario.mechanisms
    fire_v2, depth, defence_on = mech.fire_vs_enemy, mech.ammunition_depth, mech.defence
    effect = g["reserves.shell_effect_ratio"]
    reserve = g["reserves.reserve_shells_stock"].copy() if depth else np.zeros((runs, S))
    fortification = g["defence.fortification_share"].copy() if defence_on else np.zeros((runs, S))
    tranche_share = np.stack([g[f"defence.tranche{k}_share"] for k in range(MAX_TRANCHES)], axis=2)  # (runs, S, T)
    tranche_def = np.stack([g[f"defence.tranche{k}_defensibility_ratio"] for k in range(MAX_TRANCHES)], axis=2)
    attacks = np.zeros((runs, S, S))
    stalls = mech.aid_stalls
    stall_key = stream_key(seed, "aid.stall")
    stall_left = np.zeros((runs, NP))

    reach_on = mech.supply_reach

    def strengths(fired, desired, alloc):
        if fire_v2:  # share of the artillery duel, x 2 (equal fire = v1's full fire)
            strength = effective_strength(deployed, quality, 2.0 * fire_superiority(fired * effect, alloc), art)
        else:
            ratio = np.divide(fired, desired, out=np.zeros_like(fired), where=desired > 0)
            strength = effective_strength(deployed, quality, ratio, art)
        return at_front(strength)

    def at_front(strength):
        """Strengths at the front: the share that reaches it from each side's supply base (``front.reach_share``)."""
        if not reach_on:
            return strength
        return strength * front.reach_share(territory, g["reach.base_territory_share"], P.contested_area_km2[:, None],
                                            front_km[:, None], g["reach.halving_depth_km"])

    def conditions(strength, alloc, fighting, season_ratio):
        """Postures, defender multipliers and pair intensities (or the season's intensity everywhere)."""
        nonlocal attacks
        if not defence_on:
            return np.broadcast_to(season_ratio[:, None, None], (runs, S, S)).copy()
        attacks = dfn.posture(strength, alloc, g["defence.attack_threshold_ratio"]) * fighting[:, None, None]
        mult = dfn.multipliers(territory, fortification, g["defence.hasty_defence_ratio"],
                               g["defence.fortified_defence_ratio"], tranche_share, tranche_def)
        if mech.force_to_space:
            mult = dfn.thin_line(deployed, front_km, g["defence.critical_density_personnel_per_km"], mult)
        return dfn.intensity(attacks, mult, g["defence.attack_intensity_ratio"], season_ratio), mult

    alloc0 = fire_allocation(deployed)
    if fire_v2:  # the start's fire, from the start's stocks
        desired0 = g["ammunition.shells_desired_per_day"]
        fired0 = ammo.shells_fired(desired0, shells + capacity + g["ammunition.imports_shells_per_day"],
                                   g["ammunition.delivery_capacity_shells_per_day"])
        strength0 = strengths(fired0, desired0, alloc0)
    else:  # v1: full fire
        strength0 = at_front(effective_strength(deployed, quality, np.ones_like(deployed), art))
    season0 = P.season_intensity[:, P.season_slot[0]]
    cond0 = conditions(strength0, alloc0, np.ones(runs), season0)
    intensity0 = cond0[0] if defence_on else cond0
    k = calibrate_coefficients(g["combat.casualties_inflicted_per_day"], strength0, deployed0, front_km, P.p, P.q, alloc0,
                               intensity0)
    noise_sd = P.daily_noise_sd[:, None]
    noise_key = stream_key(seed, "noise.daily")
    use_noise = bool(np.any(noise_sd > 0))

    # ---- policy: the regime of each run (fixed truces too: the same start and end in every run)
    regime = Regime(scenario, policy, P.run_index, seed)
    settle = policy.kind == "settle"
    violation_share = policy.breakdown.violation_intensity_share if policy.breakdown is not None else 0.0
    cont = policy.during_truce
    aid_level = np.asarray(policy.aid_levels(scenario.supporter_names), dtype=float)  # (P,)

    # ---- recording
    keep_index = {int(d): i for i, d in enumerate(days_kept)}
    nk = len(days_kept)
    rec_side = {v: np.zeros((runs, nk, S), dtype=dtype) for v in list(SIDE_VARS) + list(FLOW_VARS)}
    rec_sup = {v: np.zeros((runs, nk, NP), dtype=dtype) for v in list(SUPPORTER_VARS) + list(SUPPORTER_FLOW_VARS)}
    snap_index = {int(d): i for i, d in enumerate(snapshot_days)}
    snaps = {v: np.zeros((runs, len(snapshot_days), S)) for v in SNAPSHOT_VARS}

    def power_now():
        if fire_v2:  # the fire a side can sustain, against the enemy's
            deliver = ammo.delivery_capacity(g["ammunition.delivery_capacity_shells_per_day"],
                                             g["ammunition.haul_penalty_share"], adaptation)
            sustain = ammo.sustainable_fire(g["ammunition.shells_desired_per_day"], deliver, shells + reserve,
                                            g["ammunition.readiness_days"], capacity) * effect
            ready = 2.0 * fire_superiority(sustain, fire_allocation(deployed))
        else:
            ready = ammo.ammunition_readiness(shells, g["ammunition.shells_desired_per_day"], g["ammunition.readiness_days"])
        pw = front.combat_power(deployed, quality, ready, art)
        return pw, front.power_share(pw)

    def current_state():
        pw, share = power_now()
        return {
            "deployed_personnel": deployed, "training_personnel": training, "pool_personnel": pool,
            "recovering_personnel": recovering, "casualties_cumulative_personnel": casualties_cum,
            "killed_cumulative_personnel": killed_cum, "shells_stock": shells,
            "production_capacity_shells_per_day": capacity, "depot_adaptation_share": adaptation,
            "strike_weapons_stock": strike_stock, "territory_share": territory, "gdp_index": gdp,
            "energy_capacity_share": energy, "displaced_persons": displaced, "will_share": will_now,
            "combat_power": pw, "power_share": share, "reserve_shells_stock": reserve,
            "fortification_share": fortification, "quality_ratio": quality,
            "supporter_will_share": sup_will, "supporter_shells_stock": sup_shells, "aid_stall_days_left": stall_left,
        }

    def keep_state(t):
        state = current_state()
        if t in keep_index:
            i = keep_index[t]
            for name in SIDE_VARS:
                rec_side[name][:, i] = state[name]
            rec_sup["supporter_will_share"][:, i] = sup_will
            rec_sup["supporter_shells_stock"][:, i] = sup_shells
            rec_sup["aid_stall_days_left"][:, i] = stall_left
        if t in snap_index:
            j = snap_index[t]
            for name in SNAPSHOT_VARS:
                snaps[name][:, j] = state[name]

    _, initial_share = power_now()
    waves = P.waves
    no_wave = 0.0
    regime.advance(0, current_state)
    for t in range(horizon):
        keep_state(t)
        in_truce = regime.in_truce  # (runs,)
        fighting = truce.combat_factor((~war_over).astype(float), regime.phase, regime.violation, violation_share)
        f = fighting[:, None]
        f_front = f * (1.0 - in_truce[:, None]) if settle else f  # a settled line moves only after breakdown
        held = in_truce[:, None]
        c_mob = np.where(held, float(cont.mobilisation), 1.0)
        c_train = np.where(held, float(cont.training), 1.0)
        c_prod = np.where(held, float(cont.production), 1.0)
        c_aid = np.where(held, float(cont.aid), 1.0)
        c_imp = np.where(held, float(cont.imports), 1.0)

        # manpower flows
        mob = manpower.mobilised(pool, g["manpower.mobilisation_personnel_per_day"] * c_mob, waves.get(t, no_wave) * c_mob)
        grad = manpower.graduates(training, g["manpower.training_days"]) * c_train
        ret = manpower.returned_wounded(recovering, g["manpower.recovery_days"])

        # production, aid, imports
        produced = capacity * c_prod
        capacity = np.where(c_prod > 0, ammo.capacity_next(capacity, g["ammunition.production_ceiling_shells_per_day"],
                                                           g["ammunition.production_ramp_days"]), capacity)
        aid = will.aid_delivered(sup_will, aid_level, sp["aid_shells_per_day_max"], sup_shells, sp["shells_production_per_day"], sp["arsenal_floor_shells"]) * c_aid
        if stalls and NP:  # stalls and resumptions of aid, from their own counter-based stream
            base = (P.run_index.astype(np.uint64)[:, None] * np.uint64(1 << 20) + np.uint64(t)) * np.uint64(64)
            m2 = 2 * np.arange(NP, dtype=np.uint64)[None, :]
            stalled, left = will.aid_stall_step(stall_left, sup_will, sp["stall.hazard_per_day"], sp["stall.mean_days"],
                                                open_uniforms(stall_key, base + m2),
                                                open_uniforms(stall_key, base + m2 + np.uint64(1)))
            active = ~war_over[:, None]
            stall_left = np.where(active, left, stall_left)
            aid = np.where(active, aid * (1.0 - stalled), aid)
        sup_shells = sup_shells + sp["shells_production_per_day"] - aid
        received = aid @ M + g["ammunition.imports_shells_per_day"] * c_imp
        strike_received = (sup_will * aid_level * sp["aid_strike_weapons_per_day_max"] * c_aid) @ M + g["strikes.strike_weapons_imports_per_day"] * c_imp

        # fire
        available = shells + produced + received
        desired = g["ammunition.shells_desired_per_day"] * f
        deliver = ammo.delivery_capacity(g["ammunition.delivery_capacity_shells_per_day"], g["ammunition.haul_penalty_share"], adaptation)
        drawn = np.zeros((runs, S))
        if depth:  # deep reserves top the front stock up, at the depots' throughput
            drawn = ammo.reserve_draw(reserve, g["reserves.reserve_draw_shells_per_day"],
                                      g["ammunition.shells_desired_per_day"] * g["ammunition.readiness_days"], available)
            reserve = reserve - drawn
            available = available + drawn
        fired = ammo.shells_fired(desired, available, deliver)

        # combat
        alloc = fire_allocation(deployed)
        strength = strengths(fired, desired, alloc)
        season = P.season_slot[t]
        cond = conditions(strength, alloc, fighting, P.season_intensity[:, season])
        intensity, mult = cond if defence_on else (cond, None)
        if use_noise:
            z = daily_normals(noise_key, P.run_index, t, 2 * S)
            eps_loss = np.exp(noise_sd * z[:, :S] - 0.5 * noise_sd**2)
            eps_front = np.exp(noise_sd * z[:, S:] - 0.5 * noise_sd**2)
        else:
            eps_loss = eps_front = np.ones((runs, S))
        losses = casualties_per_day(strength, deployed, front_km, k, P.p, P.q, alloc, intensity) * eps_loss * f
        losses = np.minimum(losses, deployed)
        killed, returning, _lost = manpower.split_casualties(losses, g["manpower.killed_share"], g["manpower.wounded_return_share"])

        # deep strikes on depots
        exposed = ammo.exposed_share(g["ammunition.depot_exposed_share"], g["ammunition.depot_exposed_share_adapted"], adaptation)
        incoming_strike = np.einsum("ri,rij->rj", g["strikes.depot_strike_share_per_day"] * f, alloc)
        after_fire = available - fired
        destroyed = ammo.depot_losses(after_fire, exposed, incoming_strike)
        shells = after_fire - destroyed
        adaptation = ammo.adaptation_next(adaptation, g["ammunition.depot_adaptation_days"])

        # strikes on energy
        strike_available = strike_stock + g["strikes.strike_weapons_production_per_day"] * c_prod + strike_received
        launched = np.minimum(g["strikes.strike_weapons_desired_per_day"] * f, strike_available)
        strike_stock = strike_available - launched
        energy = economy.energy_next(energy, economy.strike_damage(launched, g["strikes.energy_damage_share_per_weapon"], alloc), g["economy.energy_repair_share_per_day"])

        # front
        eps_front = eps_front * P.season_advance[:, season][:, None]
        if defence_on:
            d_territory = front.defended_flows(territory, strength, attacks, mult, g["front.advance_threshold_ratio"],
                                               g["front.advance_saturation_ratio"], g["front.advance_share_per_day_max"],
                                               eps_front) * f_front
        else:
            d_territory = front.territory_flows(territory, strength, alloc, g["front.advance_threshold_ratio"], g["front.advance_saturation_ratio"], g["front.advance_share_per_day_max"], eps_front) * f_front
        territory = np.clip(territory + d_territory, 0.0, 1.0)
        if defence_on:
            quiet = (attacks.max(axis=1) <= 0).astype(float)
            fortification = dfn.fortification_next(fortification, g["defence.fortification_build_share_per_day"], quiet,
                                                   np.maximum(-d_territory, 0.0), g["defence.fortification_overrun_per_share"])

        # manpower stocks (people are conserved)
        if seasoning:
            quality = manpower.seasoned_quality(quality, g["manpower.quality"], g["seasoning.new_quality_share"],
                                                g["seasoning.seasoning_days"], deployed + ret - losses, grad)
        pool = pool - mob
        training = training + mob - grad
        deployed = deployed + grad + ret - losses
        recovering = recovering + returning - ret
        killed_cum = killed_cum + killed
        casualties_cum = casualties_cum + losses

        # economy and displacement
        support = (sup_will * sp["gdp_support_share_max"] * np.minimum(aid_level, 1.0) * c_aid) @ M
        target = economy.gdp_target(fighting[:, None], g["economy.gdp_loss_share_at_war"], g["economy.gdp_energy_elasticity"], energy, support)
        gdp = economy.gdp_next(gdp, target, g["economy.gdp_adjust_days"])
        displaced = economy.displaced_next(displaced, energy, g["economy.population_at_risk_persons"], g["economy.displacement_threshold_share"], g["economy.displacement_days"])

        # will
        will_now = will.side_will(g["will.will_share"], g["will.casualty_sensitivity_share"], casualties_cum, g["will.casualty_reference_personnel"], g["will.success_gain_per_share"], territory - territory0)
        if NP:
            paused = will.supporter_will_truce_next(sup_will, sp["will_truce_decay_per_day"], float(cont.fatigue)) \
                if in_truce.any() else sup_will
            if not in_truce.all():
                aid_frac = np.divide(aid, sp["aid_shells_per_day_max"], out=np.zeros_like(aid), where=sp["aid_shells_per_day_max"] > 0)
                sup_will = will.supporter_will_next(sup_will, sp["will_decay_per_day"], sp["will_cost_sensitivity_per_day"], aid_frac, sp["will_success_gain_per_share"], d_territory @ M.T, (~war_over).astype(float)[:, None])
            sup_will = np.where(held, paused, sup_will)

        # collapse: breakpoints (Helmbold) and will
        broke = (will_now < g["will.collapse_will_share"]) | (deployed < g["will.breakpoint_share"] * deployed0)
        new = broke & (collapse_day < 0) & ~war_over[:, None]
        collapse_day[new] = t + 1
        war_over |= new.any(axis=1)

        # the regime of day t + 1: truces end (run out, collapse, a side resumes) or start
        ended = regime.advance(t + 1, current_state)
        if NP and ended.any():  # the jump of the supporters' will when fighting resumes
            sup_will = np.where(ended[:, None], np.clip(sup_will * sp["will_resumption_factor"], 0.0, 1.0), sup_will)

        if t in keep_index:
            i = keep_index[t]
            for name, arr in (("shells_produced_per_day", produced), ("shells_received_per_day", received),
                              ("shells_fired_per_day", fired), ("shells_destroyed_per_day", destroyed),
                              ("casualties_per_day", losses), ("mobilised_per_day", mob),
                              ("strike_weapons_launched_per_day", launched), ("shells_drawn_per_day", drawn)):
                rec_side[name][:, i] = arr
            rec_sup["aid_shells_per_day"][:, i] = aid
    keep_state(horizon)
    pw, share = power_now()
    final = {
        "territory_share": territory, "casualties_personnel_total": casualties_cum, "killed_personnel_total": killed_cum,
        "gdp_index": gdp, "combat_power": pw, "power_share": share, "will_share": will_now,
        "shells_stock": shells, "deployed_personnel": deployed, "energy_capacity_share": energy,
        "displaced_persons": displaced, "supporter_will_share": sup_will, "supporter_shells_stock": sup_shells,
        "aid_share": np.divide(sup_will * aid_level * sp["aid_shells_per_day_max"], sp["aid_shells_per_day_max"],
                               out=np.zeros_like(sup_will), where=sp["aid_shells_per_day_max"] > 0),
    }
    return ChunkOutput(rec_side, rec_sup, final, snaps, collapse_day, initial_share, P.sampled, regime.outputs(),
                       regime.share_resumed, regime.resumed_by)
