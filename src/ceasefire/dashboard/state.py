"""What one browser session has chosen, as plain data: policy controls, what-if values, ensemble size.

No Panel here. This module parses and validates what a user types, turns the
settings into the two policies the engine compares (fight on, and the chosen
truce, with the same aid level), applies what-if values to a scenario, and
encodes the settings in a URL query string and back, so that a link reproduces
the view.

Units: the engine counts days; the page shows months (``DAYS_PER_MONTH`` days,
the mean Gregorian month) and accepts either (``6`` is six months, ``180d`` is
180 days). Durations, policy names and the check of a policy against its
scenario come from :mod:`ceasefire.scenario.policies`, the one policy vocabulary
shared with the command line and scenario files.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
from dataclasses import dataclass, field
from typing import Mapping, Sequence
from urllib.parse import parse_qs, urlencode

from ..errors import InputError
from ..scenario.edit import set_path
from ..scenario import Param, Policy, Scenario, Source, scenario_from_dict
from ..scenario import policies as _policies
from ..scenario.policies import AID_LEVEL_RANGE, DAYS_PER_MONTH, FLOWS, make_policy, months
from ..scenario.ranges import range_error

__all__ = ["DAYS_PER_MONTH", "FLOWS", "Settings", "apply_what_ifs", "default_settings", "duration_text", "months",
           "parse_duration_days", "parse_float", "parse_int", "parse_what_if", "settings_from_query"]

RUNS_MIN, RUNS_MAX = 100, 50_000
SEED_MAX = 2**32 - 1
AID_MIN, AID_MAX = AID_LEVEL_RANGE
DEFAULT_RUNS = 2000
DEFAULT_TRUCE_DAYS = 180
#: Prefix of URL keys that carry what-if values: ``set.supporters.west.will_decay_per_day=x2``.
OVERRIDE_PREFIX = "set."


@dataclass(frozen=True)
class Settings:
    """Everything that determines the numbers on the page (and nothing else)."""

    scenario: str  # key of the scenario in the server's registry
    start_day: int  # first day of the truce, days from the scenario start
    days: int  # length of the truce in days
    aid_level: float = 1.0  # multiplier of every supporter's aid, under both policies
    runs: int = DEFAULT_RUNS
    seed: int = 0
    halted: tuple[str, ...] = ()  # flows that stop during the truce (sorted)
    overrides: tuple[tuple[str, str], ...] = field(default=())  # (parameter path, what-if text), sorted

    def replace(self, **changes) -> "Settings":
        """A copy with some fields changed (overrides and halted are normalised)."""
        if "overrides" in changes:
            changes["overrides"] = tuple(sorted((p, t) for p, t in changes["overrides"] if t.strip()))
        if "halted" in changes:
            changes["halted"] = tuple(sorted(set(changes["halted"])))
        return dataclasses.replace(self, **changes)

    @property
    def override_map(self) -> dict[str, str]:
        return dict(self.overrides)

    def with_override(self, path: str, text: str) -> "Settings":
        """Set (or, with empty text, remove) the what-if value of one parameter."""
        m = self.override_map
        text = " ".join(text.split())
        if text:
            m[path] = text
        else:
            m.pop(path, None)
        return self.replace(overrides=tuple(m.items()))

    @property
    def end_day(self) -> int:
        return self.start_day + self.days

    def fight_on_policy(self, scenario: Scenario | None = None) -> Policy:
        """Fighting on at the chosen aid level, named by its label (``fight_on``, ``fight_on_aid0.5``).

        With a ``scenario``, the policy is checked against it (``check_policy``)."""
        return make_policy("fight_on", aid_level=self.aid_level, scenario=scenario, where="aid level")

    def truce_policy(self, scenario: Scenario | None = None) -> Policy:
        """The chosen truce (with its aid level and halted flows), named by its label.

        With a ``scenario``, the policy is checked against it: a truce that ends after
        the horizon is an :class:`InputError` naming the truce."""
        return make_policy("truce", self.start_day, self.days, self.aid_level, halted=self.halted,
                           scenario=scenario, where="truce")

    def query(self) -> str:
        """The URL query string (without ``?``) that reproduces these settings."""
        items: list[tuple[str, str]] = [
            ("scenario", self.scenario),
            ("start_day", str(self.start_day)),
            ("days", str(self.days)),
            ("aid_level", f"{self.aid_level:g}"),
            ("runs", str(self.runs)),
            ("seed", str(self.seed)),
        ]
        if self.halted:
            items.append(("halt", ",".join(self.halted)))
        items += [(OVERRIDE_PREFIX + path, text) for path, text in self.overrides]
        return urlencode(items)

    def digest(self) -> str:
        """A short fingerprint of the settings (for caches and for the page to say what it shows)."""
        return hashlib.sha256(self.query().encode()).hexdigest()[:12]


# ------------------------------------------------------------------ defaults
def default_settings(scenario: Scenario, key: str) -> Settings:
    """The scenario's own first truce policy, or a truce of six months from day 0."""
    truce = next((p for p in scenario.policies if p.kind == "truce"), None)
    if truce is not None:
        halted = tuple(sorted(f for f in FLOWS if not getattr(truce.during_truce, f)))
        return Settings(key, truce.start_day, truce.days, truce.aid_level, halted=halted)
    aid = next((p.aid_level for p in scenario.policies), 1.0)
    return Settings(key, 0, min(DEFAULT_TRUCE_DAYS, scenario.horizon_days), aid)


# ------------------------------------------------------------------ parsing what people type
def _number(text: str, what: str) -> float:
    t = text.strip().replace("_", "").replace("\u2009", "").replace(" ", "")
    scale = 1.0
    if t.endswith("%"):
        t, scale = t[:-1], 0.01
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?", t):  # 4,000,000
        t = t.replace(",", "")
    try:
        x = float(t) * scale
    except ValueError:
        raise InputError(f"{what}: {text.strip()!r} is not a number; type digits such as 4.5, 4e6 or 35%.") from None
    if not math.isfinite(x):
        raise InputError(f"{what}: {text.strip()!r} is not a finite number.")
    return x


def parse_int(text: str, what: str, low: int, high: int) -> int:
    """A whole number in [low, high], else :class:`InputError` naming the field and the range."""
    x = _number(text, what)
    if x != int(x):
        raise InputError(f"{what}: {text.strip()!r} is not a whole number; type one between {low} and {high}.")
    if not low <= x <= high:
        raise InputError(f"{what}: {int(x)} is out of range; type a whole number between {low} and {high}.")
    return int(x)


def parse_float(text: str, what: str, low: float, high: float) -> float:
    x = _number(text, what)
    if not low <= x <= high:
        raise InputError(f"{what}: {x:g} is out of range; type a number between {low:g} and {high:g}.")
    return x


def duration_text(days: int) -> str:
    """What a duration box shows for ``days``: months when it is a whole or half number of them
    (``183`` -> ``"6"``, ``15`` -> ``"0.5"``), else the days as typed (``90`` -> ``"90d"``, not
    ``"2.96"``: the box read back 2.96 or 11.99 months after a user typed days). Either form
    types back to the same days (:func:`parse_duration_days`)."""
    half_months = round(days / DAYS_PER_MONTH * 2) / 2
    if round(half_months * DAYS_PER_MONTH) == days:
        return f"{half_months:g}"
    return f"{int(days)}d"


def parse_duration_days(text: str, what: str, low_days: int, high_days: int) -> int:
    """Months (``6``, ``4.5``, ``6m``, ``6mo``), weeks (``2w``) or days (``180d``) as whole days in range.

    The page's reading of :func:`ceasefire.scenario.policies.parse_duration_days`:
    a bare number is in months.
    """
    return _policies.parse_duration_days(text, what, "m", low_days, high_days)


# ------------------------------------------------------------------ what-if values
_DIST_RE = re.compile(r"^\s*([a-z_]+)\s*\((.*)\)\s*(?:in\s*\[(.*)\])?\s*$", re.I)
_SCALE_RE = re.compile(r"^\s*(?:x|\*|\u00d7)\s*(.+)$", re.I)
_ARG_WORDS = re.compile(r"^(sd|median|sigma|mean|low|high|mode)\s*[=:]?\s*", re.I)


def _args(text: str, what: str) -> list[float | None]:
    out: list[float | None] = []
    for raw in text.split(","):
        raw = _ARG_WORDS.sub("", raw.strip())
        out.append(None if raw == "" else _number(raw, what))
    return out


def _scaled(orig: Param, factor: float) -> dict:
    keys = {
        "fixed": ("value",),
        "uniform": ("low", "high"),
        "triangular": ("low", "mode", "high"),
        "truncnormal": ("mean", "sd", "low", "high"),
        "lognormal": ("median",),
    }[orig.dist]
    d = {"dist": orig.dist}
    for k in ("value", "low", "high", "mode", "mean", "sd", "median", "sigma"):
        v = getattr(orig, k)
        if v is not None:
            d[k] = v * factor if k in keys else v
    return d


def parse_what_if(path: str, text: str, orig: Param) -> Param:
    """A what-if value typed for the parameter at ``path``, as a :class:`Param`.

    Accepted forms: a number (``4e6``, ``35%``) for a fixed value; ``x2`` (or
    ``*2``, ``×2``) to scale the scenario's value or distribution; or a
    distribution written as the page shows it: ``uniform(a, b)``,
    ``triangular(low, mode, high)``, ``normal(mean, sd)`` or
    ``normal(mean, sd S) in [low, high]``, ``lognormal(median M, sigma S)``.
    The source becomes an assumption naming the what-if and the scenario's
    original value and source, so an export never passes a changed number off
    as quoted. Raises :class:`InputError` naming the parameter.
    """
    what = path
    t = text.strip()
    if not t:
        raise InputError(f"{what}: empty value; type a number, x2, or a distribution such as uniform(1, 2).")
    m_scale = _SCALE_RE.match(t)
    m_dist = _DIST_RE.match(t)
    if m_scale:
        factor = _number(m_scale.group(1), what)
        if factor <= 0:
            raise InputError(f"{what}: the scale factor must be positive, got {factor:g}.")
        data = _scaled(orig, factor)
    elif m_dist:
        kind = m_dist.group(1).lower()
        args = _args(m_dist.group(2), what)
        bounds = _args(m_dist.group(3), what) if m_dist.group(3) is not None else []
        need = {"uniform": 2, "triangular": 3, "normal": (2, 4), "truncnormal": (2, 4), "lognormal": 2, "fixed": 1}
        if kind not in need:
            raise InputError(
                f"{what}: unknown distribution {kind!r}; use uniform, triangular, normal, lognormal, or a number."
            )
        n = need[kind]
        ok = len(args) in (n if isinstance(n, tuple) else (n,)) and (len(args) != 3 or kind not in ("normal", "truncnormal"))
        if not ok or any(a is None for a in args[:2]):
            forms = {
                "uniform": "uniform(low, high)",
                "triangular": "triangular(low, mode, high)",
                "normal": "normal(mean, sd) or normal(mean, sd, low, high)",
                "truncnormal": "normal(mean, sd) or normal(mean, sd, low, high)",
                "lognormal": "lognormal(median, sigma)",
                "fixed": "fixed(value)",
            }[kind]
            raise InputError(f"{what}: {t!r} has the wrong number of values; write {forms}.")
        if kind == "uniform":
            data = {"dist": "uniform", "low": args[0], "high": args[1]}
        elif kind == "triangular":
            if None in args:
                raise InputError(f"{what}: triangular needs all of low, mode and high.")
            data = {"dist": "triangular", "low": args[0], "mode": args[1], "high": args[2]}
        elif kind in ("normal", "truncnormal"):
            lo_hi = args[2:4] if len(args) == 4 else (bounds + [None, None])[:2]
            data = {"dist": "truncnormal", "mean": args[0], "sd": args[1]}
            if lo_hi[0] is not None:
                data["low"] = lo_hi[0]
            if lo_hi[1] is not None:
                data["high"] = lo_hi[1]
        elif kind == "lognormal":
            data = {"dist": "lognormal", "median": args[0], "sigma": args[1]}
        else:
            data = {"dist": "fixed", "value": args[0]}
    else:
        data = {"dist": "fixed", "value": _number(t, what)}
    if orig.unit:
        data["unit"] = orig.unit
    data["source"] = Source(
        assumption=f"what-if set in the dashboard ({t}); the scenario had {orig.describe()}, "
        f"source: {orig.source.describe()}"
    )
    try:
        param = Param.model_validate(data)
    except Exception as err:  # pydantic ValidationError: keep only the readable part
        msgs = getattr(err, "errors", None)
        text_err = "; ".join(e["msg"].removeprefix("Value error, ") for e in msgs()) if msgs else str(err)
        raise InputError(f"{what}: {t!r} is not a valid value: {text_err}.") from None
    problem = range_error(path, param)
    if problem:
        raise InputError(f"{what}: {t!r} {problem}.")
    return param


def apply_what_ifs(scenario: Scenario, overrides: Sequence[tuple[str, str]]) -> Scenario:
    """The scenario with each what-if value in place (validated as a whole scenario)."""
    if not overrides:
        return scenario
    known = dict(scenario.params())
    data = scenario.model_dump(mode="json", exclude_none=True)
    for path, text in overrides:
        if path not in known:
            raise InputError(f"{path}: no such parameter in scenario {scenario.name!r}; check the name.")
        param = parse_what_if(path, text, known[path])
        set_path(data, path, param.model_dump(mode="json", exclude_none=True))
    return scenario_from_dict(data, f"scenario {scenario.name!r} with the what-if values")


# ------------------------------------------------------------------ settings from a URL
def settings_from_query(
    query: Mapping[str, str | Sequence[str] | bytes] | str,
    scenarios: Mapping[str, Scenario],
    default_key: str,
) -> tuple[Settings, list[str]]:
    """Settings encoded in a URL query, and a message for each value that was not usable.

    Unusable values fall back to the scenario's defaults, so a mangled link still
    opens a page, and says what it ignored.
    """
    if isinstance(query, str):
        query = parse_qs(query.lstrip("?"), keep_blank_values=True)

    def get(name: str) -> str | None:
        v = query.get(name)
        if v is None:
            return None
        if isinstance(v, (list, tuple)):
            v = v[-1] if v else ""
        return v.decode() if isinstance(v, bytes) else str(v)

    problems: list[str] = []
    key = get("scenario") or default_key
    if key not in scenarios:
        problems.append(f"scenario {key!r} is not loaded on this server (it may have been uploaded to an earlier "
                        f"server run); showing {default_key!r} instead.")
        key = default_key
    sc = scenarios[key]
    s = default_settings(sc, key)
    horizon = sc.horizon_days

    def take(name: str, fn):
        raw = get(name)
        if raw is None:
            return None
        try:
            return fn(raw)
        except InputError as err:
            problems.append(f"link value ignored: {err}")
            return None

    # durations in a link read as everywhere else: days, or with a suffix (6m, 90d)
    start = take("start_day", lambda r: _policies.parse_duration_days(r, "start_day", "d", 0, horizon - 1))
    if start is not None:
        s = s.replace(start_day=start)
    days = take("days", lambda r: _policies.parse_duration_days(r, "days", "d", 1, horizon))
    if days is not None:
        s = s.replace(days=days)
    if s.end_day > horizon:
        problems.append(f"link value ignored: a {s.days}-day truce from day {s.start_day} ends after the horizon "
                        f"({horizon} days); the truce is shortened to {horizon - s.start_day} days.")
        s = s.replace(days=horizon - s.start_day)
    aid = take("aid_level", lambda r: parse_float(r, "aid_level", AID_MIN, AID_MAX))
    if aid is not None:
        s = s.replace(aid_level=aid)
    runs = take("runs", lambda r: parse_int(r, "runs", RUNS_MIN, RUNS_MAX))
    if runs is not None:
        s = s.replace(runs=runs)
    seed = take("seed", lambda r: parse_int(r, "seed", 0, SEED_MAX))
    if seed is not None:
        s = s.replace(seed=seed)
    halt = get("halt")
    if halt is not None:
        names = [h for h in halt.split(",") if h]
        bad = [h for h in names if h not in FLOWS]
        if bad:
            problems.append(f"link value ignored: halt: unknown flow(s) {', '.join(bad)}; use {', '.join(FLOWS)}.")
        s = s.replace(halted=[h for h in names if h in FLOWS])
    known = dict(sc.params())
    for name in sorted(query):
        if not name.startswith(OVERRIDE_PREFIX):
            continue
        path, text = name[len(OVERRIDE_PREFIX):], get(name) or ""
        if path not in known:
            problems.append(f"link value ignored: {path}: no such parameter in this scenario.")
            continue
        try:
            parse_what_if(path, text, known[path])
        except InputError as err:
            problems.append(f"link value ignored: {err}")
            continue
        s = s.with_override(path, text)
    if s.overrides:
        try:
            apply_what_ifs(sc, s.overrides)
        except InputError as err:
            problems.append(f"link what-if values ignored: {err}")
            s = s.replace(overrides=())
    return s, problems
