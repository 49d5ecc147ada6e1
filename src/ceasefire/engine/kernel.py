"""The fused Numba kernel: the same day step as :mod:`.simulate`, one run at a time.

:func:`ceasefire.engine.simulate.integrate_numpy` is the reference: it advances all
runs together with NumPy. This kernel advances each run through all its days in
compiled code; it releases the GIL, so :func:`ceasefire.engine.simulate` runs
chunks of runs on all cores with threads. It calls the *same* mechanism
functions (compiled for scalars with ``numba.njit``), so there is one definition of
each mechanism. ``tests/engine/test_kernel.py`` checks that both paths agree.
Random numbers follow :mod:`.random` exactly (SplitMix64 and Acklam's normal quantile).

The day loop is one function on purpose: four ways of splitting it into short day steps were built,
checked bit for bit, and measured 1.2x to 2.9x slower (``docs/performance.md``, "Why the kernel's day loop
stays one function"). A new state variable is a local array here, named in :data:`STATE_VARS` and added
to the ``side_state`` tuple, so that saving and resuming a run carries it.

Numba caches the compiled kernel on disk keyed by this file's time stamp and the
kernel's own bytecode and closure constants, not by the mechanism modules it calls.
The kernel therefore closes over a fingerprint of those modules' source
(:func:`mechanisms_fingerprint`): editing a mechanism changes the key, and the
kernel is compiled again instead of the old machine code running on.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
import sys
from collections import namedtuple
from pathlib import Path

import numba
import numpy as np

from . import ammunition as _ammo
from . import economy as _eco
from . import front as _front
from . import manpower as _man
from . import random as _rnd
from . import will as _will
from . import combat as _combat
from . import defence as _defence
from .combat import effective_strength as _effective_strength
from .parameters import MAX_TRANCHES
from .. import variables as _vars

# the record layout, read from the registry itself (as simulate.py does), not through simulate.py (no cycle)
SIDE_VARS = _vars.units_of(_vars.SIDE_STOCKS)
FLOW_VARS = _vars.units_of(_vars.SIDE_FLOWS)
SUPPORTER_VARS = _vars.units_of(_vars.SUPPORTER_STOCKS)
SUPPORTER_FLOW_VARS = _vars.units_of(_vars.SUPPORTER_FLOWS)
SNAPSHOT_VARS = _vars.SNAPSHOTS

SIDE_KEYS = (
    "manpower.deployed_personnel", "manpower.training_personnel", "manpower.pool_personnel",
    "manpower.mobilisation_personnel_per_day", "manpower.training_days", "manpower.killed_share",
    "manpower.wounded_return_share", "manpower.recovery_days", "manpower.quality",
    "ammunition.shells_stock", "ammunition.shells_desired_per_day", "ammunition.production_shells_per_day",
    "ammunition.production_ceiling_shells_per_day", "ammunition.production_ramp_days",
    "ammunition.imports_shells_per_day", "ammunition.delivery_capacity_shells_per_day",
    "ammunition.depot_exposed_share", "ammunition.depot_exposed_share_adapted", "ammunition.depot_adaptation_days",
    "ammunition.haul_penalty_share", "ammunition.artillery_fire_share", "ammunition.readiness_days",
    "strikes.depot_strike_share_per_day", "strikes.strike_weapons_stock", "strikes.strike_weapons_production_per_day",
    "strikes.strike_weapons_imports_per_day", "strikes.strike_weapons_desired_per_day",
    "strikes.energy_damage_share_per_weapon",
    "economy.gdp_index", "economy.gdp_loss_share_at_war", "economy.gdp_energy_elasticity", "economy.gdp_adjust_days",
    "economy.energy_capacity_share", "economy.energy_repair_share_per_day", "economy.population_at_risk_persons",
    "economy.displacement_threshold_share", "economy.displacement_days",
    "combat.casualties_inflicted_per_day",
    "front.territory_share", "front.advance_threshold_ratio", "front.advance_saturation_ratio",
    "front.advance_share_per_day_max",
    "will.will_share", "will.casualty_sensitivity_share", "will.casualty_reference_personnel",
    "will.success_gain_per_share", "will.collapse_will_share", "will.breakpoint_share",
    # model v2 (parameters.OPTIONAL_SIDE_DEFAULTS when a scenario leaves the group out)
    "reserves.reserve_shells_stock", "reserves.reserve_draw_shells_per_day", "reserves.shell_effect_ratio",
    "defence.attack_threshold_ratio", "defence.hasty_defence_ratio", "defence.fortified_defence_ratio",
    "defence.fortification_share", "defence.fortification_build_share_per_day",
    "defence.fortification_overrun_per_share", "defence.attack_intensity_ratio",
    *(f"defence.tranche{k}_share" for k in range(MAX_TRANCHES)),
    *(f"defence.tranche{k}_defensibility_ratio" for k in range(MAX_TRANCHES)),
    "defence.critical_density_personnel_per_km",
    "seasoning.initial_quality_share", "seasoning.new_quality_share", "seasoning.seasoning_days",
    "reach.base_territory_share", "reach.halving_depth_km",
)
SUPPORTER_KEYS = (
    "will_share", "will_decay_per_day", "will_cost_sensitivity_per_day", "will_success_gain_per_share",
    "will_truce_decay_per_day", "will_resumption_factor", "shells_stock", "shells_production_per_day",
    "arsenal_floor_shells", "aid_shells_per_day_max", "aid_strike_weapons_per_day_max", "gdp_support_share_max",
    "stall.hazard_per_day", "stall.mean_days",
)
_I = {k: i for i, k in enumerate(SIDE_KEYS)}

# side parameter indices (compile-time constants for Numba)
DEP, TRN, POOL, MOBR, TDAYS, KILLS, WRET, RDAYS, QUAL = (_I[k] for k in SIDE_KEYS[:9])
SH0, SHDES, PROD0, PRODMAX, RAMP, IMP, DELIV, EXP0, EXPA, ADAYS, HAUL, ART, READY = (_I[k] for k in SIDE_KEYS[9:22])
DSTRIKE, SW0, SWPROD, SWIMP, SWDES, EDMG = (_I[k] for k in SIDE_KEYS[22:28])
GDP0, GLOSS, GEL, GADJ, EN0, EREP, POP, DTHR, DDAYS = (_I[k] for k in SIDE_KEYS[28:37])
CAS = _I["combat.casualties_inflicted_per_day"]
TER0, ATHR, ASAT, AMAX = (_I[k] for k in SIDE_KEYS[38:42])
W0, WSENS, WREF, WGAIN, WCOL, BREAK = (_I[k] for k in SIDE_KEYS[42:48])
RES0, RDRAW, EFF = (_I[k] for k in ("reserves.reserve_shells_stock", "reserves.reserve_draw_shells_per_day",
                                    "reserves.shell_effect_ratio"))
DTHRA, DHASTY, DFORT, FORT0, FBUILD, FOVER, AINT = (_I["defence." + k] for k in (
    "attack_threshold_ratio", "hasty_defence_ratio", "fortified_defence_ratio", "fortification_share",
    "fortification_build_share_per_day", "fortification_overrun_per_share", "attack_intensity_ratio"))
TRS0, TRD0 = _I["defence.tranche0_share"], _I["defence.tranche0_defensibility_ratio"]  # MAX_TRANCHES rows each
DCRIT = _I["defence.critical_density_personnel_per_km"]
QINIT, QNEW, QDAYS = (_I["seasoning." + k] for k in ("initial_quality_share", "new_quality_share", "seasoning_days"))
RBASE, RHALF = _I["reach.base_territory_share"], _I["reach.halving_depth_km"]
(SW_0, SW_DEC, SW_COST, SW_GAIN, SW_TDEC, SW_RES, SS0, SPROD, SFLOOR, AIDMAX, AIDSW, GSUP, STALLH,
 STALLD) = range(len(SUPPORTER_KEYS))

# recorded variable order: the registry's (ceasefire.variables), via simulate.SIDE_VARS + FLOW_VARS
_R = {name: i for i, name in enumerate(list(SIDE_VARS) + list(FLOW_VARS))}
(R_DEP, R_TRN, R_POOL, R_REC, R_CAS, R_KIL, R_SH, R_CAP, R_ADA, R_SW, R_TER, R_GDP, R_EN, R_DISP, R_WILL, R_POW,
 R_PSH, R_RES, R_FORT) = (_R[k] for k in (
    "deployed_personnel", "training_personnel", "pool_personnel", "recovering_personnel",
    "casualties_cumulative_personnel", "killed_cumulative_personnel", "shells_stock",
    "production_capacity_shells_per_day", "depot_adaptation_share", "strike_weapons_stock", "territory_share",
    "gdp_index", "energy_capacity_share", "displaced_persons", "will_share", "combat_power", "power_share",
    "reserve_shells_stock", "fortification_share"))
R_QUAL = _R["quality_ratio"]
R_PROD, R_RECV, R_FIRED, R_DESTR, R_CASD, R_MOB, R_LAUNCH, R_DRAWN = (_R[k] for k in (
    "shells_produced_per_day", "shells_received_per_day", "shells_fired_per_day", "shells_destroyed_per_day",
    "casualties_per_day", "mobilised_per_day", "strike_weapons_launched_per_day", "shells_drawn_per_day"))
assert len(_R) == 28, "a recorded variable was added to the registry: compute it in both paths and record it here"
_RS = {name: i for i, name in enumerate(list(SUPPORTER_VARS) + list(SUPPORTER_FLOW_VARS))}
RS_WILL, RS_SHELLS, RS_AID = _RS["supporter_will_share"], _RS["supporter_shells_stock"], _RS["aid_shells_per_day"]
RS_STALL = _RS["aid_stall_days_left"]
assert len(_RS) == 4, "a supporter variable was added to the registry: compute it in both paths and record it here"
# snapshot order = simulate.SNAPSHOT_VARS
SN_PSH, SN_POW, SN_TER, SN_DEP, SN_SH = (SNAPSHOT_VARS.index(k) for k in (
    "power_share", "combat_power", "territory_share", "deployed_personnel", "shells_stock"))
# final order
(F_TER, F_CAS, F_KIL, F_GDP, F_POW, F_PSH, F_WILL, F_SH, F_DEP, F_EN, F_DISP) = range(11)
FS_WILL, FS_SHELLS, FS_AID = range(3)

#: What the kernel reads: parameters ``sp[key, run, side]``, ``su[key, run, supporter]``, per-run globals
#: ``glob[G_*, run]``, the support matrix, mobilisation waves and the noise stream.
#: ``flags`` switch the model-v2 mechanisms (:data:`FLAGS` order); the season of each day indexes ``season_*``.
Inputs = namedtuple("Inputs", "sp su glob M waves wave_day_slot run_index noise_key noise_offsets flags season_slot "
                              "season_advance season_intensity stall_key")
FLAGS = ("fire_vs_enemy", "ammunition_depth", "defence", "aid_stalls", "mobilised_quality", "supply_reach",
         "force_to_space")
G_P, G_Q, G_FRONT, G_NOISE, G_AREA = range(5)
#: The policy: a truce window, what continues during it (``cont``, in :data:`CONTINUES` order), aid levels.
PolicyArrays = namedtuple("PolicyArrays", "truce t_start t_end cont aid_levels")
CONTINUES = ("mobilisation", "training", "production", "aid", "imports", "fatigue")
#: Where results go: the horizon, slots of kept and snapshot days, and the output arrays (run-first).
Outputs = namedtuple("Outputs", "horizon keep_slot snap_slot snap_var_slot rec rec_sup snaps final final_sup "
                                "collapse_day initial_share")

#: Saving and resuming runs (:func:`ceasefire.engine.simulate.run_chunk`): ``start_day`` 0 starts every run
#: from its parameters; a later day starts run ``r`` from ``x_in[r]``, ``xs_in[r]``, ``g_in[r]``, saved on that
#: day by an earlier call. ``save_slot[day] = k >= 0`` saves the state at the start of ``day`` into
#: ``x_out[k, r]``, ``xs_out[k, r]``, ``g_out[k, r]``. A run's whole state is its side stocks
#: (:data:`STATE_VARS`, each ``(sides,)``), its supporters' (:data:`SUPPORTER_STATE_VARS`) and its scalars
#: (:data:`RUN_STATE_VARS`); the start's territory and troops (the references of will and breakpoints) and
#: the attrition coefficients calibrated on day 0 belong to it. Nothing else is carried from one day to the
#: next, so a resumed run continues bit for bit (``tests/engine/test_resume.py``).
Saved = namedtuple("Saved", "start_day save_slot x_in xs_in g_in x_out xs_out g_out")
#: the kernel's local arrays, in the order of their rows in ``x_in``/``x_out`` (a new state variable of the
#: kernel is added here and to the ``side_state`` tuple in the kernel, nowhere else)
STATE_VARS = ("deployed", "training", "pool", "recovering", "killed", "casualties", "shells", "capacity",
              "adaptation", "strike_weapons", "energy", "gdp", "displaced", "territory", "territory_start", "will",
              "deployed_start", "reserve", "quality", "fortification", "attrition_coefficient", "collapse_day")
SUPPORTER_STATE_VARS = ("will", "shells", "stall_days_left")
RUN_STATE_VARS = ("war_over",)

_jit = numba.njit(cache=True, fastmath=False, error_model="numpy")

capacity_next = _jit(_ammo.capacity_next)
delivery_capacity = _jit(_ammo.delivery_capacity)
shells_fired = _jit(_ammo.shells_fired)
exposed_share = _jit(_ammo.exposed_share)
adaptation_next = _jit(_ammo.adaptation_next)
depot_losses = _jit(_ammo.depot_losses)
ammunition_readiness = _jit(_ammo.ammunition_readiness)
reserve_draw = _jit(_ammo.reserve_draw)
sustainable_fire = _jit(_ammo.sustainable_fire)
fortification_next = _jit(_defence.fortification_next)
seasoned_quality = _jit(_man.seasoned_quality)
mobilised = _jit(_man.mobilised)
graduates = _jit(_man.graduates)
returned_wounded = _jit(_man.returned_wounded)
split_casualties = _jit(_man.split_casualties)
combat_power = _jit(_front.combat_power)
energy_next = _jit(_eco.energy_next)
gdp_target = _jit(_eco.gdp_target)
gdp_next = _jit(_eco.gdp_next)
displaced_next = _jit(_eco.displaced_next)
side_will = _jit(_will.side_will)
supporter_will_next = _jit(_will.supporter_will_next)
supporter_will_truce_next = _jit(_will.supporter_will_truce_next)
aid_delivered = _jit(_will.aid_delivered)
aid_stall_step = _jit(_will.aid_stall_step)
effective_strength = _jit(_effective_strength)

A0, A1, A2, A3, A4, A5 = _rnd._A
B0, B1, B2, B3, B4 = _rnd._B
C0, C1, C2, C3, C4, C5 = _rnd._C
D0, D1, D2, D3 = _rnd._D
P_LOW = _rnd.P_LOW
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


@_jit
def _splitmix(x):
    z = x + _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


@_jit
def _open_uniform(key, counter):
    z = _splitmix(_splitmix(counter ^ key) + key)
    return (np.float64(z >> np.uint64(12)) + 0.5) * (1.0 / 4503599627370496.0)


@_jit
def _central_quantile(p):
    """Acklam's rational approximation in the central region (P_LOW <= p <= 1 - P_LOW)."""
    q = p - 0.5
    r = q * q
    return (((((A0 * r + A1) * r + A2) * r + A3) * r + A4) * r + A5) * q / (
        ((((B0 * r + B1) * r + B2) * r + B3) * r + B4) * r + 1.0)


@_jit
def _tail_quantile(p):
    """Acklam's approximation in the tails (p < P_LOW or p > 1 - P_LOW)."""
    lower = p < P_LOW
    t = math.sqrt(-2.0 * math.log(p if lower else 1.0 - p))
    xt = (((((C0 * t + C1) * t + C2) * t + C3) * t + C4) * t + C5) / ((((D0 * t + D1) * t + D2) * t + D3) * t + 1.0)
    return xt if lower else -xt


def day_counters(horizon, per_day):
    """Counter offsets of every (day, i) normal of a run, day-major: ``day * 64 + i`` (random.daily_normals)."""
    days = np.arange(horizon, dtype=np.uint64)[:, None] * np.uint64(64)
    return (days + np.arange(per_day, dtype=np.uint64)[None, :]).ravel()


@_jit
def _run_normals(key, run, offsets, u, z, tails, lo=0):
    """Every daily normal of one run at once, as random.daily_normals: ``z[day * n + i]`` (from index ``lo``
    on: a run resumed on day ``d`` needs only ``k >= d * n``).

    Plain loops instead of one call per day: the uniforms (integer mixing) and
    the central-region rational function have no branches, so the compiler turns
    them into vector instructions; the few values in the tails (~5 %) are listed,
    then redone with the tail formula (listing them first keeps the compiler from
    computing the tail's logarithm for every value). Same expressions, bit for bit."""
    base = np.uint64(run) * np.uint64(1 << 20) * np.uint64(64)
    for k in range(lo, offsets.shape[0]):
        u[k] = _open_uniform(key, base + offsets[k])
    for k in range(lo, offsets.shape[0]):
        z[k] = _central_quantile(u[k])
    n = 0
    for k in range(lo, offsets.shape[0]):
        if u[k] < P_LOW or u[k] > 1.0 - P_LOW:
            tails[n] = k
            n += 1
    for m in range(n):
        k = tails[m]
        z[k] = _tail_quantile(u[k])

_step = numba.njit(cache=True, fastmath=False, error_model="numpy", inline="always")


@_step
def power_now(r, sp, dep, qual, sh, res, cap, ada, fire_v2, A, sust, psi, power, share):
    """Combat power and its share now. v1: troops x quality x readiness (stock over ``readiness_days`` of
    desired fire, capped at 1). v2 (``fire_vs_enemy``): the fire a side can sustain over ``readiness_days``
    (:func:`~.ammunition.sustainable_fire`, times the effect per round) against the enemy's
    (:func:`~.combat.fire_superiority_run`)."""
    S = dep.shape[0]
    if fire_v2:
        _combat.fire_allocation_run(dep, A)
        for i in range(S):
            deliver = delivery_capacity(sp[DELIV, r, i], sp[HAUL, r, i], ada[i])
            sust[i] = sustainable_fire(sp[SHDES, r, i], deliver, sh[i] + res[i], sp[READY, r, i], cap[i]) * sp[EFF, r, i]
        _combat.fire_superiority_run(sust, A, psi)
        for i in range(S):
            power[i] = combat_power(dep[i], qual[i], 2.0 * psi[i], sp[ART, r, i])
    else:
        for i in range(S):
            ready = ammunition_readiness(sh[i], sp[SHDES, r, i], sp[READY, r, i])
            power[i] = combat_power(dep[i], qual[i], ready, sp[ART, r, i])
    _front.power_share_run(power, share)


@_step
def strengths(r, sp, dep, qual, fired, desired, fire_v2, A, F, phi, strength):
    """Effective strengths. v1: artillery's share scales with rounds fired over rounds wanted. v2: with the
    side's share of the artillery duel (:func:`~.combat.fire_superiority_run`), times 2 (equal fire = v1's full fire)."""
    S = dep.shape[0]
    if fire_v2:
        for i in range(S):
            F[i] = fired[i] * sp[EFF, r, i]
        _combat.fire_superiority_run(F, A, phi)
        for i in range(S):
            strength[i] = effective_strength(dep[i], qual[i], 2.0 * phi[i], sp[ART, r, i])
    else:
        for i in range(S):
            ratio = fired[i] / desired[i] if desired[i] > 0 else 0.0
            strength[i] = effective_strength(dep[i], qual[i], ratio, sp[ART, r, i])


@_step
def at_front(r, sp, ter, area_km2, front_km, strength):
    """Strengths at the front: each times the share of it that reaches the front from its supply base
    (:func:`~.front.reach_share`, ``mechanisms.supply_reach``)."""
    for i in range(strength.shape[0]):
        strength[i] = strength[i] * _front._reach_share(ter[i], sp[RBASE, r, i], area_km2, front_km, sp[RHALF, r, i])


@_step
def conditions(r, sp, strength, A, ter, fort, tranche_share, tranche_def, defence_on, fighting, season, att, mult, I,
               dep, front_km_r, space_on):
    """Today's postures, defender multipliers (thinned where a line is spread too thin, ``space_on``) and the
    intensity of each side's fire on each other side (:mod:`.defence`); without defence, the season's
    intensity on every pair."""
    S = strength.shape[0]
    if defence_on:
        if fighting:
            _defence.posture_run(strength, A, sp[DTHRA, r], att)
        else:
            for i in range(S):
                for j in range(S):
                    att[i, j] = 0.0
        _defence.multipliers_run(ter, fort, sp[DHASTY, r], sp[DFORT, r], tranche_share, tranche_def, mult)
        if space_on:
            _defence.thin_line_run(dep, front_km_r, sp[DCRIT, r], mult)
        _defence.intensity_run(att, mult, sp[AINT, r], season, I)
    else:
        for i in range(S):
            for j in range(S):
                I[i, j] = season


@_step
def fortify(r, sp, att, dter, fort):
    """Fortification one day later (:func:`~.defence.fortification_next`): quiet unless an enemy attacked."""
    S = fort.shape[0]
    for j in range(S):
        quiet = 1.0
        for i in range(S):
            if att[i, j] > 0:
                quiet = 0.0
        fort[j] = fortification_next(fort[j], sp[FBUILD, r, j], quiet, max(-dter[j], 0.0), sp[FOVER, r, j])



def mechanisms_fingerprint() -> int:
    """A 63-bit hash of the source of every module the kernel calls into (and of this one)."""
    h = hashlib.sha256()
    extra = [sys.modules[f"{__package__}.{name}"] for name in ("_jit", "parameters", "simulate")]
    for module in (_ammo, _eco, _front, _man, _rnd, _will, _combat, _defence, *extra, sys.modules[__name__]):
        h.update(Path(module.__file__).read_bytes())
    return int.from_bytes(h.digest()[:8], "little") >> 1


def _compile_kernel(S_FIXED, NP_FIXED, fingerprint=0):
    """The kernel for ``S_FIXED`` sides and ``NP_FIXED`` supporters: both are compile-time constants, so
    the compiler unrolls the many short loops over sides and supporters (~12 % faster than reading
    them from the arrays' shapes). ``-1`` for both gives the generic kernel, which reads them from the
    arrays: one compilation for scenarios of every shape. Numba's disk cache keys each on its
    constants, ``fingerprint`` (of the mechanisms' source) included."""

    @numba.njit(nogil=True, cache=True, error_model="numpy")
    def integrate_kernel(I, P, O, St):
        _ = fingerprint  # named here so it is a closure constant, hence part of Numba's cache key
        (sp, su, glob, M, waves, wave_day_slot, run_index, noise_key, noise_offsets, flags, season_slot,
         season_advance, season_intensity, stall_key) = I
        S = S_FIXED if S_FIXED >= 0 else sp.shape[2]  # a constant unless generic: the branch is folded away
        NP = NP_FIXED if NP_FIXED >= 0 else su.shape[2]
        fire_v2, depth, defence_on, stalls = flags[0] != 0, flags[1] != 0, flags[2] != 0, flags[3] != 0
        seasoning, reach_on, space_on = flags[4] != 0, flags[5] != 0, flags[6] != 0
        p, q, front_km, noise_sd, area_km2 = glob[G_P], glob[G_Q], glob[G_FRONT], glob[G_NOISE], glob[G_AREA]
        truce, t_start, t_end, cont, aid_levels = P
        horizon, keep_slot, snap_slot, snap_var_slot, rec, rec_sup, snaps, final, final_sup, collapse_day, initial_share = O
        R = sp.shape[1]
        u_all = np.empty(noise_offsets.shape[0])  # one run's uniforms and normals, reused run after run
        z_all = np.empty(noise_offsets.shape[0])
        tails = np.empty(noise_offsets.shape[0], dtype=np.int64)
        # outputs are laid out run-first: rec[run, variable, kept day, side], so a chunk is a contiguous slice
        for r in range(R):
            dep = sp[DEP, r].copy(); trn = sp[TRN, r].copy(); pool = sp[POOL, r].copy()
            recov = np.zeros(S); kil = np.zeros(S); cas = np.zeros(S)
            sh = sp[SH0, r].copy(); cap = sp[PROD0, r].copy(); ada = np.zeros(S)
            sw = sp[SW0, r].copy(); en = sp[EN0, r].copy(); gdp = sp[GDP0, r].copy(); disp = np.zeros(S)
            ter = np.empty(S); tsum = 0.0
            for i in range(S):
                tsum += sp[TER0, r, i]
            for i in range(S):
                ter[i] = sp[TER0, r, i] / tsum if tsum > 0 else 1.0 / S
            ter0 = ter.copy()
            wl = sp[W0, r].copy()
            swl = su[SW_0, r].copy(); ssh = su[SS0, r].copy(); stall_left = np.zeros(NP)
            dep0 = dep.copy()
            war_over = False
            res = sp[RES0, r].copy() if depth else np.zeros(S)
            qual = sp[QUAL, r].copy()
            if seasoning:
                for i in range(S):
                    qual[i] = sp[QUAL, r, i] * sp[QINIT, r, i]
            fort = sp[FORT0, r].copy() if defence_on else np.zeros(S)
            A = np.empty((S, S)); A0 = np.empty((S, S)); A2 = np.empty((S, S))
            att = np.zeros((S, S)); mult = np.ones(S); inten = np.ones((S, S))
            sust = np.empty(S); psi = np.empty(S); fire_eff = np.empty(S); phi = np.empty(S); drawn = np.zeros(S)
            _combat.fire_allocation_run(dep, A0)
            k = np.empty(S)
            strength = np.empty(S)
            fired = np.empty(S); desired = np.empty(S)
            if fire_v2:  # the start's fire, from the start's stocks
                for i in range(S):
                    desired[i] = sp[SHDES, r, i]
                    fired[i] = shells_fired(desired[i], sh[i] + cap[i] + sp[IMP, r, i], sp[DELIV, r, i])
                strengths(r, sp, dep, qual, fired, desired, fire_v2, A0, fire_eff, phi, strength)
            else:  # v1: full fire
                for i in range(S):
                    strength[i] = effective_strength(dep[i], qual[i], 1.0, sp[ART, r, i])
            if reach_on:
                at_front(r, sp, ter, area_km2[r], front_km[r], strength)
            tranche_share = np.empty((S, MAX_TRANCHES)); tranche_def = np.empty((S, MAX_TRANCHES))  # (side, tranche)
            for i in range(S):
                for kk in range(MAX_TRANCHES):
                    tranche_share[i, kk] = sp[TRS0 + kk, r, i]; tranche_def[i, kk] = sp[TRD0 + kk, r, i]
            conditions(r, sp, strength, A0, ter, fort, tranche_share, tranche_def, defence_on, True,
                       season_intensity[r, season_slot[0]], att, mult, inten, dep, front_km[r], space_on)
            _combat.calibrate_run(sp[CAS, r], strength, dep0, front_km[r], p[r], q[r], A0, inten, k)
            t0 = St.start_day
            cday = np.full(S, -1.0)  # the collapse days, as state (saved and resumed)
            side_state = (dep, trn, pool, recov, kil, cas, sh, cap, ada, sw, en, gdp, disp, ter, ter0, wl, dep0, res,
                          qual, fort, k, cday)  # STATE_VARS order
            sup_state = (swl, ssh, stall_left)  # SUPPORTER_STATE_VARS order
            if t0 > 0:  # resume: the saved state replaces the start's
                for v in range(len(side_state)):
                    side_state[v][:] = St.x_in[r, v]
                for v in range(len(sup_state)):
                    sup_state[v][:] = St.xs_in[r, v]
                war_over = St.g_in[r, 0] != 0.0
                for i in range(S):
                    collapse_day[r, i] = int(cday[i])
            z = np.zeros(2 * S)
            if noise_sd[r] > 0:  # the normals of the days it will fight (none inside a truce it starts in)
                first = t_end if (truce and t_start <= t0 < t_end) else t0
                _run_normals(noise_key, run_index[r], noise_offsets, u_all, z_all, tails, min(first, horizon) * 2 * S)
            losses = np.empty(S)
            produced = np.empty(S); received = np.empty(S); swrecv = np.empty(S); destroyed = np.empty(S)
            mob = np.empty(S); launched = np.empty(S); dter = np.empty(S); power = np.empty(S); share = np.empty(S)
            aid = np.empty(NP); sup_gain = np.empty(NP); rate = np.empty((S, S))
            raw = np.empty(S); eps_front = np.empty(S)
            if t0 == 0:
                power_now(r, sp, dep, qual, sh, res, cap, ada, fire_v2, A2, sust, psi, power, share)
                for i in range(S):
                    initial_share[r, i] = share[i]
            for t in range(t0, horizon + 1):
                if St.save_slot[t] >= 0:
                    for i in range(S):
                        cday[i] = collapse_day[r, i]
                    for v in range(len(side_state)):
                        St.x_out[St.save_slot[t], r, v] = side_state[v]
                    for v in range(len(sup_state)):
                        St.xs_out[St.save_slot[t], r, v] = sup_state[v]
                    St.g_out[St.save_slot[t], r, 0] = 1.0 if war_over else 0.0
                # ---- keep the state at the start of day t
                kslot = keep_slot[t]
                sslot = snap_slot[t]
                if kslot >= 0 or sslot >= 0 or t == horizon:
                    power_now(r, sp, dep, qual, sh, res, cap, ada, fire_v2, A2, sust, psi, power, share)
                if kslot >= 0:
                    for i in range(S):
                        rec[r, R_DEP, kslot, i] = dep[i]; rec[r, R_TRN, kslot, i] = trn[i]; rec[r, R_POOL, kslot, i] = pool[i]
                        rec[r, R_REC, kslot, i] = recov[i]; rec[r, R_CAS, kslot, i] = cas[i]; rec[r, R_KIL, kslot, i] = kil[i]
                        rec[r, R_SH, kslot, i] = sh[i]; rec[r, R_CAP, kslot, i] = cap[i]; rec[r, R_ADA, kslot, i] = ada[i]
                        rec[r, R_SW, kslot, i] = sw[i]; rec[r, R_TER, kslot, i] = ter[i]; rec[r, R_GDP, kslot, i] = gdp[i]
                        rec[r, R_EN, kslot, i] = en[i]; rec[r, R_DISP, kslot, i] = disp[i]; rec[r, R_WILL, kslot, i] = wl[i]
                        rec[r, R_POW, kslot, i] = power[i]; rec[r, R_PSH, kslot, i] = share[i]
                        rec[r, R_RES, kslot, i] = res[i]; rec[r, R_FORT, kslot, i] = fort[i]
                        rec[r, R_QUAL, kslot, i] = qual[i]
                    for m in range(NP):
                        rec_sup[r, RS_WILL, kslot, m] = swl[m]; rec_sup[r, RS_SHELLS, kslot, m] = ssh[m]
                        rec_sup[r, RS_STALL, kslot, m] = stall_left[m]
                if sslot >= 0:
                    for v in range(snap_var_slot.shape[0]):
                        slot = snap_var_slot[v]
                        if slot < 0:
                            continue
                        for i in range(S):
                            if v == SN_PSH:
                                snaps[r, slot, sslot, i] = share[i]
                            elif v == SN_POW:
                                snaps[r, slot, sslot, i] = power[i]
                            elif v == SN_TER:
                                snaps[r, slot, sslot, i] = ter[i]
                            elif v == SN_DEP:
                                snaps[r, slot, sslot, i] = dep[i]
                            else:
                                snaps[r, slot, sslot, i] = sh[i]
                if t == horizon:
                    break
                in_truce = truce and t_start <= t < t_end
                f = 0.0 if (war_over or in_truce) else 1.0
                c_mob = cont[0] if in_truce else 1.0
                c_train = cont[1] if in_truce else 1.0
                c_prod = cont[2] if in_truce else 1.0
                c_aid = cont[3] if in_truce else 1.0
                c_imp = cont[4] if in_truce else 1.0
                c_fat = cont[5] if in_truce else 1.0
                wslot = wave_day_slot[t]
                # ---- supporters: aid out of their arsenals
                for m in range(NP):
                    aid[m] = aid_delivered(swl[m], aid_levels[m], su[AIDMAX, r, m], ssh[m], su[SPROD, r, m], su[SFLOOR, r, m]) * c_aid
                    if stalls and not war_over and su[STALLH, r, m] > 0:  # a zero hazard never stalls
                        base = (np.uint64(run_index[r]) * np.uint64(1 << 20) + np.uint64(t)) * np.uint64(64)
                        u_start = _open_uniform(stall_key, base + np.uint64(2 * m))
                        # the length's uniform matters only when a stall starts (the NumPy path draws it always)
                        starts = stall_left[m] <= 0 and u_start < su[STALLH, r, m] * (1.0 - swl[m])
                        u_length = _open_uniform(stall_key, base + np.uint64(2 * m + 1)) if starts else 0.5
                        stalled, stall_left[m] = aid_stall_step(stall_left[m], swl[m], su[STALLH, r, m],
                                                                su[STALLD, r, m], u_start, u_length)
                        aid[m] = aid[m] * (1.0 - stalled)
                    ssh[m] = ssh[m] + su[SPROD, r, m] - aid[m]
                for i in range(S):
                    wave = waves[wslot, r, i] if wslot >= 0 else 0.0
                    mob[i] = mobilised(pool[i], sp[MOBR, r, i] * c_mob, wave * c_mob)
                    produced[i] = cap[i] * c_prod
                    if c_prod != 0.0:
                        cap[i] = capacity_next(cap[i], sp[PRODMAX, r, i], sp[RAMP, r, i])
                    rcv = 0.0
                    swr = 0.0
                    for m in range(NP):
                        rcv += aid[m] * M[m, i]
                        swr += (swl[m] * aid_levels[m] * su[AIDSW, r, m] * c_aid) * M[m, i]
                    received[i] = rcv + sp[IMP, r, i] * c_imp
                    swrecv[i] = swr + sp[SWIMP, r, i] * c_imp
                    desired[i] = sp[SHDES, r, i] * f
                    deliver = delivery_capacity(sp[DELIV, r, i], sp[HAUL, r, i], ada[i])
                    available = sh[i] + produced[i] + received[i]
                    if depth:
                        drawn[i] = reserve_draw(res[i], sp[RDRAW, r, i], sp[SHDES, r, i] * sp[READY, r, i], available)
                        res[i] = res[i] - drawn[i]
                        available = available + drawn[i]
                    fired[i] = shells_fired(desired[i], available, deliver)
                _combat.fire_allocation_run(dep, A)
                if noise_sd[r] > 0 and f > 0:
                    for i in range(2 * S):
                        z[i] = z_all[t * 2 * S + i]
                season = season_slot[t]
                if f > 0:  # no fighting (a truce, the war over): no losses, no attacks, the front stands
                    strengths(r, sp, dep, qual, fired, desired, fire_v2, A, fire_eff, phi, strength)
                    if reach_on:
                        at_front(r, sp, ter, area_km2[r], front_km[r], strength)
                    conditions(r, sp, strength, A, ter, fort, tranche_share, tranche_def, defence_on, True,
                               season_intensity[r, season], att, mult, inten, dep, front_km[r], space_on)
                    _combat.casualties_run(strength, dep, front_km[r], k, p[r], q[r], A, inten, raw)
                    for j in range(S):
                        eps = math.exp(noise_sd[r] * z[j] - 0.5 * noise_sd[r] ** 2) if noise_sd[r] > 0 else 1.0
                        losses[j] = min(raw[j] * eps * f, dep[j])
                else:  # the same numbers as computing them and multiplying by zero, at a fraction of the cost
                    for j in range(S):
                        losses[j] = 0.0
                        for i in range(S):
                            att[i, j] = 0.0
                # ---- depots, strikes on energy
                for j in range(S):
                    inc = 0.0
                    dmg = 0.0
                    for i in range(S):
                        inc += sp[DSTRIKE, r, i] * f * A[i, j]
                    available = sh[j] + produced[j] + received[j]
                    if depth:
                        available = available + drawn[j]
                    after = available - fired[j]
                    expo = exposed_share(sp[EXP0, r, j], sp[EXPA, r, j], ada[j])
                    destroyed[j] = depot_losses(after, expo, inc)
                    sh[j] = after - destroyed[j]
                    ada[j] = adaptation_next(ada[j], sp[ADAYS, r, j])
                for i in range(S):
                    swa = sw[i] + sp[SWPROD, r, i] * c_prod + swrecv[i]
                    launched[i] = min(sp[SWDES, r, i] * f, swa)
                    sw[i] = swa - launched[i]
                for j in range(S):
                    dmg = 0.0
                    for i in range(S):
                        dmg += launched[i] * sp[EDMG, r, i] * A[i, j]
                    en[j] = energy_next(en[j], dmg, sp[EREP, r, j])
                # ---- front
                for i in range(S):
                    if f > 0:
                        eps_front[i] = math.exp(noise_sd[r] * z[S + i] - 0.5 * noise_sd[r] ** 2) if noise_sd[r] > 0 else 1.0
                        eps_front[i] = eps_front[i] * season_advance[r, season]
                if f > 0 and defence_on:
                    _front.defended_flows_run(ter, strength, att, mult, sp[ATHR, r], sp[ASAT, r], sp[AMAX, r],
                                              eps_front, rate, dter)
                elif f > 0:
                    _front.territory_flows_run(ter, strength, A, sp[ATHR, r], sp[ASAT, r], sp[AMAX, r], eps_front, rate,
                                               dter)
                for i in range(S):
                    dter[i] = dter[i] * f if f > 0 else 0.0
                for i in range(S):
                    ter[i] = min(max(ter[i] + dter[i], 0.0), 1.0)
                if defence_on:
                    fortify(r, sp, att, dter, fort)
                # ---- people
                for i in range(S):
                    grad = graduates(trn[i], sp[TDAYS, r, i]) * c_train
                    ret = returned_wounded(recov[i], sp[RDAYS, r, i])
                    killed, returning, lost = split_casualties(losses[i], sp[KILLS, r, i], sp[WRET, r, i])
                    if seasoning:
                        qual[i] = seasoned_quality(qual[i], sp[QUAL, r, i], sp[QNEW, r, i], sp[QDAYS, r, i],
                                                   dep[i] + ret - losses[i], grad)
                    pool[i] = pool[i] - mob[i]
                    trn[i] = trn[i] + mob[i] - grad
                    dep[i] = dep[i] + grad + ret - losses[i]
                    recov[i] = recov[i] + returning - ret
                    kil[i] = kil[i] + killed
                    cas[i] = cas[i] + losses[i]
                # ---- economy, displacement, will
                for i in range(S):
                    support = 0.0
                    for m in range(NP):
                        support += (swl[m] * su[GSUP, r, m] * min(aid_levels[m], 1.0) * c_aid) * M[m, i]
                    target = gdp_target(f, sp[GLOSS, r, i], sp[GEL, r, i], en[i], support)
                    gdp[i] = gdp_next(gdp[i], target, sp[GADJ, r, i])
                    disp[i] = displaced_next(disp[i], en[i], sp[POP, r, i], sp[DTHR, r, i], sp[DDAYS, r, i])
                    wl[i] = side_will(sp[W0, r, i], sp[WSENS, r, i], cas[i], sp[WREF, r, i], sp[WGAIN, r, i], ter[i] - ter0[i])
                if NP > 0:
                    for m in range(NP):
                        g = 0.0
                        for i in range(S):
                            g += dter[i] * M[m, i]
                        sup_gain[m] = g
                    for m in range(NP):
                        if in_truce:
                            swl[m] = supporter_will_truce_next(swl[m], su[SW_TDEC, r, m], c_fat)
                        else:
                            frac = aid[m] / su[AIDMAX, r, m] if su[AIDMAX, r, m] > 0 else 0.0
                            swl[m] = supporter_will_next(swl[m], su[SW_DEC, r, m], su[SW_COST, r, m], frac,
                                                         su[SW_GAIN, r, m], sup_gain[m], 0.0 if war_over else 1.0)
                        if truce and t + 1 == t_end:
                            swl[m] = min(max(swl[m] * su[SW_RES, r, m], 0.0), 1.0)
                # ---- collapse
                broke_any = False
                for i in range(S):
                    broke = (wl[i] < sp[WCOL, r, i]) or (dep[i] < sp[BREAK, r, i] * dep0[i])
                    if broke and collapse_day[r, i] < 0 and not war_over:
                        collapse_day[r, i] = t + 1
                        broke_any = True
                if broke_any:
                    war_over = True
                # ---- flows of day t
                if kslot >= 0:
                    for i in range(S):
                        rec[r, R_PROD, kslot, i] = produced[i]; rec[r, R_RECV, kslot, i] = received[i]
                        rec[r, R_FIRED, kslot, i] = fired[i]; rec[r, R_DESTR, kslot, i] = destroyed[i]
                        rec[r, R_CASD, kslot, i] = losses[i]; rec[r, R_MOB, kslot, i] = mob[i]
                        rec[r, R_LAUNCH, kslot, i] = launched[i]; rec[r, R_DRAWN, kslot, i] = drawn[i]
                    for m in range(NP):
                        rec_sup[r, RS_AID, kslot, m] = aid[m]
            for i in range(S):
                final[r, F_TER, i] = ter[i]; final[r, F_CAS, i] = cas[i]; final[r, F_KIL, i] = kil[i]
                final[r, F_GDP, i] = gdp[i]; final[r, F_POW, i] = power[i]; final[r, F_PSH, i] = share[i]
                final[r, F_WILL, i] = wl[i]; final[r, F_SH, i] = sh[i]; final[r, F_DEP, i] = dep[i]
                final[r, F_EN, i] = en[i]; final[r, F_DISP, i] = disp[i]
            for m in range(NP):
                final_sup[r, FS_WILL, m] = swl[m]; final_sup[r, FS_SHELLS, m] = ssh[m]
                final_sup[r, FS_AID, m] = swl[m] * aid_levels[m] if su[AIDMAX, r, m] > 0 else 0.0

    return integrate_kernel


#: ``CEASEFIRE_KERNEL=generic`` in the environment: one kernel for every number of sides and supporters
#: (about 12 % slower per run-day, one compilation of ~30 s instead of one per shape; the test suite uses it).
GENERIC_ENV = "CEASEFIRE_KERNEL"


def kernel_for(sides: int, supporters: int):
    """The compiled kernel for a scenario with this many sides and supporters (compiled on first use,
    then loaded from Numba's disk cache); the generic kernel when :data:`GENERIC_ENV` says so."""
    if os.environ.get(GENERIC_ENV, "") == "generic":
        return _kernel(-1, -1)
    return _kernel(int(sides), int(supporters))


@functools.lru_cache(maxsize=None)
def _kernel(sides: int, supporters: int):
    return _compile_kernel(sides, supporters, mechanisms_fingerprint())
