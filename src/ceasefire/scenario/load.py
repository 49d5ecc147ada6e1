"""Read a scenario from YAML, turning every problem into one readable message.

The YAML reader here (:func:`read_yaml_file`, :func:`parse_yaml`) is the one every
user-supplied YAML goes through (scenarios, actor sets, cost rates, dashboard
uploads). Beyond PyYAML's safe loader it refuses, with a message naming the file and
line: a key given twice in one mapping (YAML says keys are unique; PyYAML silently
keeps the last), nesting deeper than :data:`MAX_DEPTH`, a sequence or mapping longer
than :data:`MAX_ITEMS`, more than :data:`MAX_NODES` values in all, a file larger than
:data:`MAX_BYTES`, and a path that is not a regular file (a named pipe would block the reader forever).
Aliases count as the values they repeat, so a "billion laughs" is refused too.
"""

from __future__ import annotations

import stat
from pathlib import Path

import yaml
from pydantic import ValidationError

from ..errors import InputError
from .schema import Scenario

#: Deepest nesting of mappings and sequences accepted (a scenario needs 6).
MAX_DEPTH = 32
#: Longest single sequence or mapping accepted.
MAX_ITEMS = 10_000
#: Most values (scalars, sequences, mappings) in one document.
MAX_NODES = 200_000
#: Largest YAML file read, in bytes.
MAX_BYTES = 5_000_000


class _UniqueKeys:
    """Construct mappings refusing a key given twice (YAML 1.2 requires unique keys; PyYAML keeps the last)."""

    where = "YAML"

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen: dict = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    hash(key)
                except TypeError:
                    raise InputError(f"{self.where}, line {key_node.start_mark.line + 1}: a mapping key must be a "
                                     "plain value, not a list or mapping") from None
                if key in seen:
                    raise InputError(f"{self.where}, line {key_node.start_mark.line + 1}: key {key!r} is given "
                                     f"twice in the same mapping (first on line {seen[key]}); keep one")
                seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


class _PyLoader(_UniqueKeys, yaml.SafeLoader):
    """Pure-Python fallback when PyYAML was built without libyaml."""


_CLoader = type("_CLoader", (_UniqueKeys, yaml.CSafeLoader), {}) if hasattr(yaml, "CSafeLoader") else None


def _check_events(text: str, where: str, loader) -> None:
    """Walk the parser's events (libyaml's parser keeps an explicit stack, so this cannot recurse) and refuse
    nesting deeper than MAX_DEPTH, collections longer than MAX_ITEMS and more than MAX_NODES values, before
    anything is composed or constructed (both recurse and allocate). An alias counts as the whole subtree it
    repeats, with its depth, so a "billion laughs" of nested aliases is refused, while the anchors PyYAML
    writes itself for a repeated value (``&id001`` / ``*id001``) still read."""
    stack: list[list] = []  # [kind, children, start line, anchor, nodes at start, deepest below]
    anchors: dict[str, tuple[int, int]] = {}  # name -> (nodes, depth) of the anchored subtree
    nodes = 0

    def count(n: int, depth: int, line: int) -> None:
        nonlocal nodes
        nodes += n
        if nodes > MAX_NODES:
            raise InputError(f"{where}: more than {MAX_NODES:,} values (aliases counted as what they repeat); "
                             "this is not a scenario-sized file")
        if stack:
            stack[-1][1] += 1
            stack[-1][5] = max(stack[-1][5], depth)
        if len(stack) + depth > MAX_DEPTH:
            raise InputError(f"{where}, line {line}: nesting deeper than {MAX_DEPTH} levels; a scenario needs "
                             "far fewer")

    for ev in yaml.parse(text, Loader=loader):
        line = ev.start_mark.line + 1 if ev.start_mark else 0
        if isinstance(ev, yaml.AliasEvent):
            size, depth = anchors.get(ev.anchor, (1, 0))
            count(size, depth, line)
        elif isinstance(ev, yaml.ScalarEvent):
            count(1, 0, line)
            if ev.anchor:
                anchors[ev.anchor] = (1, 0)
        elif isinstance(ev, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            count(1, 1, line)
            kind = "list" if isinstance(ev, yaml.SequenceStartEvent) else "mapping"
            stack.append([kind, 0, line, ev.anchor, nodes, 0])
        elif isinstance(ev, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            kind, children, line, anchor, start, below = stack.pop()
            items = children if kind == "list" else children // 2
            if items > MAX_ITEMS:
                what = "items" if kind == "list" else "keys"
                raise InputError(f"{where}, line {line}: a {kind} of {items:,} {what}; at most {MAX_ITEMS:,} "
                                 "are accepted")
            if anchor:
                anchors[anchor] = (nodes - start + 1, below + 1)
            if stack:
                stack[-1][5] = max(stack[-1][5], below + 1)


def parse_yaml(text: str, where: str = "YAML"):
    """Parse YAML text with the checks of this module; any problem raises :class:`InputError`."""
    if len(text) > MAX_BYTES:
        raise InputError(f"{where} is {len(text) / 1e6:.1f} MB; at most {MAX_BYTES / 1e6:.0f} MB of YAML is accepted")
    base = _CLoader or _PyLoader
    try:
        _check_events(text, where, base)
        loader = base(text)
        loader.where = where
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise InputError(f"{where} is not valid YAML{at}: {problem}.") from None
    except RecursionError:
        raise InputError(f"{where}: nesting too deep to read") from None


def check_regular_file(path: Path, what: str = "file") -> None:
    """Refuse, without opening it, a path that does not exist, is a directory, or is not a regular
    file (a named pipe, device or socket would block or never end); and one over :data:`MAX_BYTES`."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(f"{what} {path} does not exist; check the path.") from None
    except OSError as err:
        raise InputError(f"{what} {path} cannot be read ({err.strerror}).") from None
    if stat.S_ISDIR(st.st_mode):
        if str(path) in ("", "."):
            raise InputError(f"the path is empty (or '.'); give the path of a {what}.")
        raise InputError(f"{path} is a directory; give the path of a {what}.")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{path} is not a regular file (a pipe, device or socket); give the path of a {what}.")
    if st.st_size > MAX_BYTES:
        raise InputError(f"{path} is {st.st_size / 1e6:.1f} MB; a {what} may be at most {MAX_BYTES / 1e6:.0f} MB.")


def decode_text(raw: bytes, where: str) -> str:
    """Bytes as text: UTF-8 (with or without a byte-order mark), else the encoding charset-normalizer
    finds (Latin-1 and Windows-1252, as spreadsheets save them), else an :class:`InputError`."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        first = err
    if b"\x00" in raw[:4096]:
        raise InputError(f"{where} looks like a binary file (or UTF-16); save it as UTF-8 text.")
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset-normalizer comes with requests and is a dependency
        from_bytes = None
    if from_bytes is not None:
        best = from_bytes(raw, cp_isolation=["cp1252", "latin_1", "utf_16", "cp1251", "iso8859_15"]).best()
        if best is not None:
            return str(best)
    raise InputError(f"{where} is not UTF-8 text ({first.reason} at byte {first.start}) and its encoding "
                     "could not be recognised; save it as UTF-8.")


def read_yaml_file(path: str | Path, what: str = "YAML file"):
    """Read and parse a user's YAML file with every check of this module."""
    path = Path(path)
    check_regular_file(path, what)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(f"{what} {path} cannot be read ({err.strerror}).") from None
    return parse_yaml(decode_text(raw, str(path)), str(path))


def _loc(loc: tuple) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item in ("function-after", "function-before") or str(item).startswith(("function-", "tagged-union")):
            continue
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


#: Problems named in the one-paragraph error of a scenario that is not valid (``validate --all`` lists all).
SHOWN_PROBLEMS = 8


def validation_problems(err: ValidationError) -> list[str]:
    """Every problem of a pydantic error, one line each, naming its field (the scenario's cross-field
    checks arrive as one error carrying the list, :func:`ceasefire.scenario.schema.cross_field_problems`)."""
    lines = []
    for e in err.errors():
        if e["type"] == "scenario_problems":
            lines.extend(e["ctx"]["problems"])
            continue
        loc = _loc(e["loc"])
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            msg = "unknown key (check its spelling against `ceasefire schema`)"
        elif e["type"] == "missing":
            msg = "required field is missing"
        lines.append(f"{loc}: {msg}" if loc else msg)
    return lines


def format_validation_error(err: ValidationError, where: str) -> str:
    """One paragraph naming each offending field of a pydantic error (the first few; then how many more)."""
    lines = validation_problems(err)
    more = len(lines) - SHOWN_PROBLEMS
    text = "; ".join(lines[:SHOWN_PROBLEMS]) + (
        f"; and {more} more problem(s) (`ceasefire validate --all` lists every one)" if more > 0 else "")
    return f"{where} is not a valid scenario: {text}."


class ScenarioProblems(InputError):
    """A scenario that is not valid, with each of its problems (``problems``) for a full listing."""

    def __init__(self, message: str, problems: list[str]):
        super().__init__(message)
        self.problems = problems


def scenario_from_dict(data: object, where: str = "scenario") -> Scenario:
    """Validate a mapping (already parsed) as a scenario."""
    if not isinstance(data, dict):
        raise InputError(f"{where} must be a YAML mapping of scenario fields, got {type(data).__name__}.")
    try:
        return Scenario.model_validate(data)
    except ValidationError as err:
        raise ScenarioProblems(format_validation_error(err, where), validation_problems(err)) from None


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario YAML file; any problem raises :class:`InputError`."""
    path = Path(path)
    check_regular_file(path, "scenario YAML file")
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(f"scenario file {path} cannot be read ({err.strerror}).") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"{path} is not UTF-8 text ({err.reason} at byte {err.start}); save it as UTF-8 YAML.") from None
    return scenario_from_dict(parse_yaml(text, str(path)), str(path))


def dump_scenario(scenario: Scenario) -> str:
    """The scenario as YAML text that :func:`load_scenario` reads back to an equal scenario."""
    data = scenario.model_dump(mode="json", exclude_none=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
