"""The compared ensemble: a scenario's policies on common random numbers, as one labelled Dataset.

One floor above the engine: :func:`run_policies` runs the policies (with the one
baseline rule of :mod:`.baseline`) and returns an :class:`xarray.Dataset` with a
``policy`` dimension; :mod:`.measures` turns it into tables; :mod:`.io` saves and
reopens it. ``compare``, ``explore``, the dashboard, the report and ``bargain``
all read this object.
"""

from . import accessor as _accessor  # noqa: F401 - registers ``Dataset.ceasefire``
from .baseline import Plan, baseline_name, plan_policies
from .ensemble import (FAVOURS_DEFINITION, FAVOURS_MARGIN, assemble, paired_differences, policies_of, run_policies,
                       truce_names)
from .favours import MEASURES, FavoursOptions, Measure, measure_indicators, measures_table
from .io import open_compared, save, scenario_of
from .measures import claim_holds, claims_table, favours_table, summary_table, wilson_interval

__all__ = [
    "FAVOURS_DEFINITION", "FAVOURS_MARGIN", "MEASURES", "FavoursOptions", "Measure", "Plan", "assemble", "baseline_name", "claim_holds", "claims_table",
    "favours_table", "measure_indicators", "measures_table", "open_compared", "paired_differences", "plan_policies", "policies_of", "run_policies", "save",
    "scenario_of", "summary_table", "truce_names", "wilson_interval",
]
