"""Carry calibrated mechanism values from one scenario into another (issue 14, item 3).

A hindcast calibrated on the history before a scenario's start informs the values that do not change with
the date (attrition and advance laws, defence); the state of the war (forces, stocks, territory) stays the
target's. Each carried value keeps the calibrated distribution and its source, with a note of where it came
from; nothing else in the target changes, except the mechanism switches the carried values need.

    python -m ceasefire.calibrate.transfer CALIBRATED.yaml TARGET.yaml --params a,b,... \\
        [--mechanism force_to_space] --out NEW.yaml
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import InputError
from ..scenario import Scenario, load_scenario
from ..scenario.load import dump_scenario, scenario_from_dict
from ..scenario.params import Param
from ..scenario.sources import Source
from ..scenario.edit import set_path


def transfer_values(calibrated: Scenario, target: Scenario, paths: list[str], mechanisms: tuple[str, ...] = (),
                    name: str | None = None) -> Scenario:
    """``target`` with the parameters ``paths`` (full paths, e.g. ``sides.russia.front.advance_threshold_ratio``)
    taken from ``calibrated``, each source saying it was carried over; ``mechanisms`` are switched on.

    Every path must exist in ``calibrated``; the target gets it even where it had no such value (a section
    of a mechanism it did not use), so the result is validated as a whole (an error names the field)."""
    known = {p for p, _ in calibrated.params()}
    missing = [p for p in paths if p not in known]
    if missing:
        raise InputError(f"{', '.join(missing)}: not a value of {calibrated.name}; its values are named like "
                         f"{next(iter(sorted(known)))}")
    data = target.model_dump(mode="json", exclude_none=True)
    for path in paths:
        p: Param = calibrated.param(path)
        src = p.source
        note = (f"Carried from the calibrated scenario {calibrated.name} (a mechanism value that does not change "
                f"with the date) into {name or target.name}.")
        derivation = f"{src.derivation} {note}".strip() if src.derivation else note
        carried = p.model_copy(update={"source": Source(**{**src.model_dump(exclude_none=True),
                                                             "derivation": derivation})})
        _ensure_parents(data, path)
        set_path(data, path, carried.model_dump(mode="json", exclude_none=True))
    for m in mechanisms:
        if m not in data.get("mechanisms", {}) and m not in type(target.mechanisms).model_fields:
            raise InputError(f"--mechanism {m}: not a mechanism switch; switches are "
                             f"{', '.join(type(target.mechanisms).model_fields)}")
        data.setdefault("mechanisms", {})[m] = True
    if name:
        data["name"] = name
    return scenario_from_dict(data, f"{target.name} with values from {calibrated.name}")


def _ensure_parents(data: dict, path: str) -> None:
    node = data
    for key in path.split(".")[:-1]:
        if isinstance(node, list):
            node = node[int(key)]
        else:
            node = node.setdefault(key, {})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("calibrated", type=Path)
    ap.add_argument("target", type=Path)
    ap.add_argument("--params", required=True, help="comma-separated full paths of the values to carry")
    ap.add_argument("--mechanism", action="append", default=[], help="a mechanism switch to turn on (repeatable)")
    ap.add_argument("--name", default=None, help="name of the new scenario")
    ap.add_argument("--header", default="", help="comment lines to put at the top of the file")
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args(argv)
    try:
        sc = transfer_values(load_scenario(a.calibrated), load_scenario(a.target),
                             [p.strip() for p in a.params.split(",") if p.strip()], tuple(a.mechanism), a.name)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    head = "".join(f"# {line}\n" for line in a.header.splitlines())
    a.out.write_text(head + dump_scenario(sc), encoding="utf-8")
    print(f"wrote {a.out}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
