"""Scenarios: typed, cited descriptions of a war and the policies to compare."""

from .edit import with_values
from .load import dump_scenario, format_validation_error, load_scenario, scenario_from_dict
from .params import Param
from .schema import (
    CLAIM_METRICS,
    PAIRED_METRICS,
    Claim,
    Policy,
    Scenario,
    iter_sourced_values,
)
from .sources import Document, Source

__all__ = [
    "CLAIM_METRICS",
    "PAIRED_METRICS",
    "Claim",
    "Document",
    "Param",
    "Policy",
    "Scenario",
    "Source",
    "dump_scenario",
    "format_validation_error",
    "iter_sourced_values",
    "load_scenario",
    "scenario_from_dict",
    "with_values",
]
