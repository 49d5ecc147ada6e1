"""Change values of a scenario by their dotted paths, keeping every value cited.

``with_values(sc, {"sides.russia.ammunition.shells_stock": 8e6}, reason="what if")``
returns a new, validated scenario; a plain number becomes a fixed value whose source
is an ``assumption`` giving ``reason``, a :class:`Param` is used as given.
"""

from __future__ import annotations

from typing import Mapping

from ..errors import InputError
from .load import scenario_from_dict
from .params import Param
from .schema import Scenario


def set_path(data: dict, path: str, value: object) -> None:
    """Set ``data[a][b]...`` for the dotted ``path`` ``a.b...`` (list items by index)."""
    node: object = data
    parts = path.split(".")
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def with_values(scenario: Scenario, values: Mapping[str, float | Param], reason: str) -> Scenario:
    """The scenario with the values at these dotted paths replaced, validated as a whole scenario."""
    known = dict(scenario.params())
    data = scenario.model_dump(mode="json", exclude_none=True)
    for path, value in values.items():
        if path not in known:
            raise InputError(f"no such value in scenario {scenario.name!r}; see scenario.params() for the paths",
                             where=path)
        if isinstance(value, Param):
            param = value
        else:
            param = Param.model_validate({"value": float(value), "source": {"assumption": reason}})
        set_path(data, path, param.model_dump(mode="json", exclude_none=True))
    return scenario_from_dict(data, f"{scenario.name} (edited)")
