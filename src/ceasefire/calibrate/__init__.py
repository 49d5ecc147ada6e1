"""Likelihood-free Bayesian calibration of a scenario's uncertain parameters on observed paths.

``calibrate(scenario, read_observed_paths(csv, scenario.start_date))`` runs ABC-SMC
(:mod:`.smc`) over the vectorised engine (:mod:`.model`: one engine call per batch of
candidates) and returns a :class:`Calibration` with the posterior, its diagnostics and
the calibrated scenario. The command is ``ceasefire calibrate`` (:mod:`.commands`).
"""

from .core import Calibration, band_coverage, calibrate, prior_predictive
from .model import EngineModel, resolve_parameters
from .observations import ObservedPaths, read_observed_paths
from .smc import SMCResult, abc_smc, abc_smc_mcmc

__all__ = ["Calibration", "band_coverage", "prior_predictive", "EngineModel", "ObservedPaths", "SMCResult", "abc_smc", "abc_smc_mcmc", "calibrate", "read_observed_paths",
           "resolve_parameters"]
