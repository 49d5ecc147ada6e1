"""Actors, issues, and their positions, saliences and capabilities, read from YAML or CSV.

YAML (every value carries a ``source``, see :mod:`ceasefire.scenario.sources`)::

    name: Kherson, November 2022
    documents: {000_e7d0cf1533a8b985: {title: ..., publisher: SOFREP, date: 2022-11-18}}
    issues:
      - {id: territory, name: Territory, low: 0, high: 100,
         low_means: "Russia keeps all land it holds", high_means: "full Russian withdrawal"}
    actors:
      - id: kyiv
        name: Government of Ukraine
        capability: {value: 60, source: {assumption: "..."}}     # default for every issue
        issues:
          territory:
            position: {value: 100, source: {doc: 000_e7d0cf1533a8b985, quote: "..."}}
            salience: {value: 100, source: {...}}
            capability: {value: 70, source: {...}}                # optional, per issue

Positions are on the issue's scale ``[low, high]`` (0-100 unless given), saliences
0-100 (how much the actor cares; Bueno de Mesquita's convention), capabilities any
non-negative number (clout on that issue; only ratios matter). An actor with no entry
for an issue takes no part in it.

CSV: the long form ``actor,issue,position,salience,capability[,source]`` (one row an
actor on an issue); the single-issue form used by the expected-utility literature,
``Actor,Capability,Position,Salience`` (``Stakeholder`` and ``Resources`` accepted as
synonyms, as in the public replication repositories); or KTAB's spatial-model tables
(a title row ``name,description,actors,dimensions``, then
``Actor,Description,Power,<dim> position,<dim> salience,...`` or ``...,Pstn1,Sal1,...``).

Every problem raises :class:`ceasefire.errors.InputError` naming the file, the actor
(or CSV row) and the field.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InputError
from ..scenario.sources import Document, Source


class SourcedValue(BaseModel):
    """A number with the source it comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float
    source: Source


class Issue(BaseModel):
    """One issue scale."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str | None = None
    low: float = 0.0
    high: float = 100.0
    low_means: str | None = Field(None, description="What a position at `low` means.")
    high_means: str | None = Field(None, description="What a position at `high` means.")
    status_quo: SourcedValue | None = Field(None, description="Position if no agreement (Nash disagreement point).")


class ActorIssue(BaseModel):
    """One actor's stance on one issue."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    position: SourcedValue
    salience: SourcedValue
    capability: SourcedValue | None = None


class Actor(BaseModel):
    """An actor and its stances."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str | None = None
    capability: SourcedValue | None = Field(None, description="Capability on every issue unless overridden.")
    issues: dict[str, ActorIssue]


class ActorSet(BaseModel):
    """A set of actors on a set of issues (a settlement scenario)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = None
    description: str | None = None
    date: str | None = None
    documents: dict[str, Document] = Field(default_factory=dict)
    issues: list[Issue]
    actors: list[Actor]

    def issue(self, issue_id: str) -> Issue:
        for i in self.issues:
            if i.id == issue_id:
                return i
        raise KeyError(issue_id)

    def arrays(self, issue_id: str) -> "IssueArrays":
        """The numbers of the actors taking part in ``issue_id``."""
        names, pos, sal, cap = [], [], [], []
        for a in self.actors:
            stance = a.issues.get(issue_id)
            if stance is None:
                continue
            names.append(a.id)
            pos.append(stance.position.value)
            sal.append(stance.salience.value)
            cap.append((stance.capability or a.capability).value)
        iss = self.issue(issue_id)
        sq = iss.status_quo.value if iss.status_quo is not None else None
        return IssueArrays(issue_id, names, np.array(pos, float), np.array(sal, float), np.array(cap, float),
                           iss.low, iss.high, sq)

    def sourced_values(self):
        """Yield ``(path, SourcedValue)`` for every number in the set."""
        for iss in self.issues:
            if iss.status_quo is not None:
                yield f"issues.{iss.id}.status_quo", iss.status_quo
        for a in self.actors:
            if a.capability is not None:
                yield f"actors.{a.id}.capability", a.capability
            for iid, st in a.issues.items():
                for field in ("position", "salience", "capability"):
                    v = getattr(st, field)
                    if v is not None:
                        yield f"actors.{a.id}.issues.{iid}.{field}", v


@dataclass(frozen=True)
class IssueArrays:
    """Arrays of one issue: actor names, positions (issue units), saliences (0-100), capabilities."""

    issue: str
    actors: list[str]
    position: np.ndarray
    salience: np.ndarray
    capability: np.ndarray
    low: float
    high: float
    status_quo: float | None = None


# -- validation ------------------------------------------------------------------------
def _loc_to_text(raw: dict, loc: tuple) -> str:
    """Turn a pydantic location into ``actors[2] (moscow).issues.territory.salience``."""
    parts: list[str] = []
    node = raw
    for item in loc:
        if isinstance(item, int):
            label = f"[{item}]"
            if isinstance(node, list) and item < len(node) and isinstance(node[item], dict) and "id" in node[item]:
                label += f" ({node[item]['id']})"
            parts.append(label)
        else:
            parts.append(("." if parts else "") + str(item))
        try:
            node = node[item]
        except (KeyError, IndexError, TypeError):
            node = None
    return "".join(parts)


def _semantic_checks(aset: ActorSet, where: str) -> None:
    ids = [i.id for i in aset.issues]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise InputError(f"issue id(s) {sorted(dup)} are declared more than once; give each issue a unique id.", where)
    actor_ids = [a.id for a in aset.actors]
    dup = {i for i in actor_ids if actor_ids.count(i) > 1}
    if dup:
        raise InputError(f"actor id(s) {sorted(dup)} appear more than once; merge their issues into one entry.", where)
    issues = {i.id: i for i in aset.issues}
    for iss in aset.issues:
        if not iss.low < iss.high:
            raise InputError(f"issue `{iss.id}` needs low < high, got low={iss.low}, high={iss.high}.", where)
        if iss.status_quo is not None and not iss.low <= iss.status_quo.value <= iss.high:
            raise InputError(f"issues.{iss.id}.status_quo = {iss.status_quo.value} is off the issue's scale "
                             f"[{iss.low:g}, {iss.high:g}].", where)
    for k, a in enumerate(aset.actors):
        row = f"actors[{k}] ({a.id})"
        if a.capability is not None and (a.capability.value < 0 or not math.isfinite(a.capability.value)):
            raise InputError(f"{row}.capability = {a.capability.value}: a capability must be a non-negative number.",
                             where)
        for iid, st in a.issues.items():
            if iid not in issues:
                raise InputError(f"{row}.issues.{iid}: unknown issue `{iid}`; declared issues are "
                                 f"{', '.join(sorted(issues))}. Fix the name or add the issue under `issues`.", where)
            iss = issues[iid]
            fld = f"{row}.issues.{iid}"
            if not (iss.low <= st.position.value <= iss.high):
                raise InputError(f"{fld}.position = {st.position.value:g} is off the issue's scale "
                                 f"[{iss.low:g}, {iss.high:g}].", where)
            if not (0.0 <= st.salience.value <= 100.0):
                raise InputError(f"{fld}.salience = {st.salience.value:g}: saliences are on 0-100.", where)
            cap = st.capability or a.capability
            if cap is None:
                raise InputError(f"{fld}: no capability (give `capability` on the actor or on this issue).", where)
            if cap.value < 0 or not math.isfinite(cap.value):
                raise InputError(f"{fld}.capability = {cap.value}: a capability must be a non-negative number.",
                                 where)
    for path, val in aset.sourced_values():
        doc = val.source.doc
        if doc and doc not in aset.documents:
            known = ", ".join(sorted(aset.documents)) or "none declared"
            raise InputError(f"{path}.source.doc = {doc!r} is not declared under `documents` (declared: {known}); "
                             "add the document there or fix the id.", where)
    for iss in aset.issues:
        n = sum(1 for a in aset.actors if iss.id in a.issues)
        if n < 2:
            raise InputError(f"issue `{iss.id}` has {n} actor(s); a settlement needs at least two.", where)


def actor_set_from_dict(raw: dict, where: str = "actors") -> ActorSet:
    """Validate a parsed YAML mapping; raise :class:`InputError` naming the row and field."""
    if not isinstance(raw, dict):
        raise InputError("the file must be a mapping with `issues` and `actors`.", where)
    try:
        aset = ActorSet.model_validate(raw)
    except ValidationError as exc:
        msgs = []
        for err in exc.errors()[:5]:
            loc = _loc_to_text(raw, tuple(err["loc"]))
            msg = err["msg"]
            if err["type"] == "missing":
                msg = f"`{err['loc'][-1]}` is missing"
            msgs.append(f"{loc}: {msg}")
        more = f" (and {len(exc.errors()) - 5} more)" if len(exc.errors()) > 5 else ""
        raise InputError("; ".join(msgs) + more + ".", where) from None
    _semantic_checks(aset, where)
    return aset


def load_actor_set(path: str | Path, *, issue_low: float = 0.0, issue_high: float = 100.0,
                   salience_max: float = 100.0) -> ActorSet:
    """Load actors from ``.yaml``/``.yml`` or ``.csv``.

    For CSV, every issue gets the scale ``[issue_low, issue_high]`` and saliences are
    rescaled from ``[0, salience_max]`` to 0-100.
    """
    from ..scenario.load import read_yaml_file

    path = Path(path)
    where = str(path)
    if not path.exists():
        raise InputError("file not found.", where)
    if path.suffix.lower() in (".yaml", ".yml"):
        aset = actor_set_from_dict(read_yaml_file(path, "actors file"), where)
    elif path.suffix.lower() == ".csv":
        aset = _load_csv(path, issue_low, issue_high, salience_max)
    else:
        raise InputError("unknown file type; use .yaml/.yml or .csv.", where)
    check_size(aset, where)
    return aset


#: Bytes per element of the settlement models' largest arrays (float64).
_BYTES = 8


def settle_bytes(n_actors: int) -> int:
    """Estimated peak bytes of settling one issue among ``n_actors``: the expected-utility model and the
    weighted median build (actor x actor x actor) arrays of float64 (``settle/eum.py``, ``settle/median.py``),
    a few at a time (taken as 3)."""
    return 3 * _BYTES * int(n_actors) ** 3


def check_size(aset: "ActorSet", where: str) -> None:
    """Refuse, before any model runs, an issue with more actors than memory allows (named, with the numbers)."""
    from ..cli_options import available_memory_bytes

    have = available_memory_bytes()
    for issue in aset.issues:
        n = sum(1 for a in aset.actors if issue.id in a.issues)
        need = settle_bytes(n)
        if need > have:
            fit = int((have / (3 * _BYTES)) ** (1 / 3))
            raise InputError(f"issue {issue.id} has {n:,} actors; settling it needs about {need / 1e9:,.1f} GB "
                             f"(actors cubed), more than the {have / 1e9:.1f} GB available. Keep at most about "
                             f"{fit:,} actors per issue (group the smaller ones).", where)


_SYNONYMS = {"stakeholder": "actor", "resources": "capability", "power": "capability", "influence": "capability"}


def _load_csv(path: Path, low: float, high: float, salience_max: float) -> ActorSet:
    from ..scenario.load import check_regular_file, decode_text

    where = str(path)
    check_regular_file(path, "actors CSV file")
    text = decode_text(path.read_bytes(), where)
    try:
        rows = list(csv.reader(text.splitlines()))
    except csv.Error as exc:
        raise InputError(f"not a readable CSV file ({exc}).", where) from None
    if not any(any(c.strip() for c in r) for r in rows):
        raise InputError("the CSV file is empty.", where)
    if _is_ktab(rows):
        return _load_ktab(path, rows, low, high, salience_max)
    return _load_rows(path, rows, low, high, salience_max)


def _load_rows(path: Path, rows: list[list[str]], low: float, high: float, salience_max: float,
               row_of=None) -> ActorSet:
    """Validate CSV rows (header first); ``row_of(i)`` names the source row of data row ``i`` (2-based)."""
    where = str(path)
    header = [_SYNONYMS.get(h.strip().lower(), h.strip().lower()) for h in rows[0]]
    needed = {"actor", "position", "salience", "capability"}
    missing = needed - set(header)
    if missing:
        raise InputError(f"missing column(s) {', '.join(sorted(missing))}; expected "
                         "`actor,issue,position,salience,capability[,source]` or `Actor,Capability,Position,Salience`.",
                         where)
    if salience_max <= 0:
        raise InputError(f"salience_max must be positive, got {salience_max}.", where)
    default_issue = path.stem
    actors: dict[str, dict] = {}
    order: list[str] = []
    issues: list[str] = []
    for i, r in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in r):
            continue
        n = row_of(i) if row_of else i
        rec = {h: (r[k].strip() if k < len(r) else "") for k, h in enumerate(header)}
        name = rec["actor"]
        if not name:
            raise InputError(f"row {n}: the `actor` field is empty.", where)
        issue = rec.get("issue") or default_issue
        vals = {}
        for fld in ("position", "salience", "capability"):
            txt = rec.get(fld, "")
            if txt == "":
                raise InputError(f"row {n} ({name}, issue {issue}): `{fld}` is empty; every actor needs a {fld}.",
                                 where)
            try:
                vals[fld] = float(txt)
            except ValueError:
                raise InputError(f"row {n} ({name}, issue {issue}): `{fld}` = {txt!r} is not a number.", where) from None
            if not math.isfinite(vals[fld]):
                raise InputError(f"row {n} ({name}, issue {issue}): `{fld}` = {txt!r} is not finite.", where)
        if vals["capability"] < 0:
            raise InputError(f"row {n} ({name}, issue {issue}): capability = {vals['capability']:g} is negative.",
                             where)
        if not 0 <= vals["salience"] <= salience_max:
            raise InputError(f"row {n} ({name}, issue {issue}): salience = {vals['salience']:g} is off its scale "
                             f"[0, {salience_max:g}].", where)
        if not low <= vals["position"] <= high:
            raise InputError(f"row {n} ({name}, issue {issue}): position = {vals['position']:g} is off the issue's "
                             f"scale [{low:g}, {high:g}] (set the scale with --scale LOW HIGH).", where)
        src_text = rec.get("source") or ""
        source = Source(ref=src_text) if src_text else Source(ref=f"{path.name}, row {n}")
        if issue not in issues:
            issues.append(issue)
        if name not in actors:
            actors[name] = {"id": name, "issues": {}}
            order.append(name)
        if issue in actors[name]["issues"]:
            raise InputError(f"row {n} ({name}, issue {issue}): a second row for the same actor and issue.", where)
        actors[name]["issues"][issue] = {
            "position": {"value": vals["position"], "source": source},
            "salience": {"value": vals["salience"] * 100.0 / salience_max, "source": source},
            "capability": {"value": vals["capability"], "source": source},
        }
    raw = {"name": path.stem, "issues": [{"id": i, "low": low, "high": high} for i in issues],
           "actors": [actors[a] for a in order]}
    return actor_set_from_dict(raw, where)


def _is_ktab(rows: list[list[str]]) -> bool:
    return len(rows) > 2 and [c.strip().lower() for c in rows[1][:2]] == ["actor", "description"]


def _load_ktab(path: Path, rows: list[list[str]], low: float, high: float, salience_max: float) -> ActorSet:
    """KTAB SMP table: title row, header ``Actor,Description,Power,(position, salience) per dimension``."""
    where = str(path)
    header = [h.strip() for h in rows[1]]
    while header and header[-1] == "":
        header.pop()
    if len(header) < 5 or (len(header) - 3) % 2:
        raise InputError("KTAB table: after Actor, Description and Power the header needs (position, salience) "
                         "column pairs, one pair per dimension.", where)
    dims = []
    for k in range(3, len(header), 2):
        name = header[k]
        for suffix in (" position", " Position"):
            if name.endswith(suffix):
                name = name[: -len(suffix)]
        dims.append(name.strip().lower().replace(" ", "_") or f"dim{len(dims) + 1}")
    out_rows: list[list[str]] = [["actor", "issue", "position", "salience", "capability", "source"]]
    lines: list[int] = [1]
    for n, r in enumerate(rows[2:], start=3):
        cells = [c.strip() for c in r]
        if not cells or not cells[0]:
            continue
        for d, dim in enumerate(dims):
            get = lambda k: cells[k] if k < len(cells) else ""  # noqa: E731
            out_rows.append([cells[0], dim, get(3 + 2 * d), get(4 + 2 * d), get(2), f"{path.name}, row {n}"])
            lines.append(n)
    return _load_rows(path, out_rows, low, high, salience_max, row_of=lambda i: lines[i - 1])
