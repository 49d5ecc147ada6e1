"""A seeded mutation fuzzer of the command line's inputs (issue 16).

Each *family* takes a valid input (the Kherson scenario, its actors, an observations
CSV, a results file written by ``ceasefire run --out``, a battles CSV, the command
line itself), applies one or two random mutations (tree edits of parsed YAML, cell
edits of CSVs, byte edits of files, odd option values), and returns a :class:`Case`:
the command to run and the files it must leave as they were. :func:`run_case` runs it
in-process and sorts the result into ``ok`` (exit 0), ``refused`` (exit 2 with a short
message naming a field, option or file) or a failure: ``traceback``, ``long_message``,
``unnamed``, ``hang``, ``changed`` (an input file or the output directory of a refused
case was modified) or ``nonfinite`` (an accepted scenario put NaN or inf in results).

Everything is driven by one ``random.Random(seed)``: the same seed gives the same cases.
"""

from __future__ import annotations

import copy
import csv
import io
import math
import random
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

from .helpers import ACTORS, KHERSON, digest, judge, run_cli

#: Replacement values for a scalar of a YAML tree.
ODD_VALUES = [None, True, False, "text", "", -1, 0, 1e-9, 1e12, 1e300, -1e300, math.nan, math.inf, -math.inf,
              10**20, -(10**20), [], {}, [1, 2], {"value": 1}, "2022-13-45", "9999-12-31", "[/bold]", ":thumbs_down:",
              "é\u202e\x00", 0.5, 2, 365, 100000, "1e3"]
#: Odd cells of a CSV.
ODD_CELLS = ["", " ", "nan", "NaN", "inf", "-inf", "-1", "0", "1e309", "abc", "1,5", "1_000", "NaT", "now", "today",
             "2022-11-11T12:00+05:00", "9999-12-31", "1677-09-21", "2022-02-30", "[/bold]", "😀", "\x00", '"', "1e-300",
             "100000000000000000000", "é"]
#: Odd values of command-line options.
ODD_OPTIONS = {
    "--runs": ["0", "-1", "1", "2", "abc", "2.5", "nan", "2000000", "100000000000000000000", ""],
    "--seed": ["-1", "abc", "nan", "18446744073709551616", "9223372036854775807", "1.5"],
    "--record-every": ["0", "-7", "1000", "abc", "730", "731"],
    "--policy": ["truce:0:0", "truce:-1:10", "truce:0:100000000000000000000", "truce:800:10", "truce:0:800",
                 "truce:0:10:9", "truce:0:10:nan", "truce:0:10:-1", "fight_on", "[/bold]", ":thumbs_down:",
                 "truce(0,90)", "truce:0:90:0.5", "nonsense", ""],
    "--out": ["", "/dev/null", "/proc/x.nc", "DIR", "FILE", "DIR/sub/x", "FILE/x", "."],
}


@dataclass
class Case:
    family: str
    argv: list[str]
    watch: list[Path]  # files whose content must not change
    out: Path | None = None  # output location that must stay untouched if the case is refused
    check_results: Path | None = None  # a results file an accepted case writes, to be checked for NaN/inf
    note: str = ""


@dataclass
class Report:
    counts: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (family, outcome, detail)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, family: str, outcome: str, detail: str = "") -> None:
        self.counts[(family, outcome)] += 1
        if outcome not in ("ok", "refused"):
            self.failures.append((family, outcome, detail))


# --------------------------------------------------------------------------- tree mutations
def _nodes(obj, path=()):
    """Every (parent, key, path) of a parsed YAML tree."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield obj, k, path + (k,)
            yield from _nodes(v, path + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield obj, i, path + (i,)
            yield from _nodes(v, path + (i,))


def mutate_tree(data, rng: random.Random):
    """One random edit of a parsed YAML tree: replace a value, delete or add a key, scale a number, grow a list."""
    data = copy.deepcopy(data)
    nodes = list(_nodes(data))
    parent, key, _ = rng.choice(nodes)
    op = rng.choice(["replace", "replace", "replace", "delete", "add", "scale", "grow", "swap_dist"])
    if op == "replace":
        parent[key] = copy.deepcopy(rng.choice(ODD_VALUES))
    elif op == "delete":
        del parent[key]
    elif op == "add" and isinstance(parent, dict):
        parent[rng.choice(["extra", "valeur", "Value", "dist", "source", "low"])] = rng.choice(ODD_VALUES)
    elif op == "scale" and isinstance(parent[key], (int, float)) and not isinstance(parent[key], bool):
        parent[key] = parent[key] * rng.choice([0, -1, 1e-9, 1e-3, 10, 1e6, 1e12])
    elif op == "grow" and isinstance(parent[key], list) and parent[key]:
        parent[key] = parent[key] + [copy.deepcopy(rng.choice(parent[key])) for _ in range(rng.choice([1, 3]))]
    elif op == "swap_dist" and isinstance(parent[key], dict) and "source" in parent[key]:
        parent[key]["dist"] = rng.choice(["uniform", "lognormal", "triangular", "truncnormal", "fixed", "beta"])
    else:
        parent[key] = copy.deepcopy(rng.choice(ODD_VALUES))
    return data


def mutate_bytes(raw: bytes, rng: random.Random) -> bytes:
    """One random edit of a file's bytes: truncate, flip, insert junk, invalid UTF-8, Latin-1, empty, repeat."""
    op = rng.choice(["truncate", "flip", "insert", "invalid_utf8", "latin1", "empty", "bom", "double_line", "nul"])
    n = len(raw)
    at = rng.randrange(max(n, 1))
    if op == "truncate":
        return raw[:at]
    if op == "flip" and n:
        b = bytearray(raw)
        for _ in range(rng.choice([1, 8, 64])):
            i = rng.randrange(n)
            b[i] ^= 1 << rng.randrange(8)
        return bytes(b)
    if op == "insert":
        junk = rng.choice([b"\t", b": :", b"- - -", b"{[", b"]}", b"&a *a", b"!!python/object:os.system ''", b"%YAML 9"])
        return raw[:at] + junk + raw[at:]
    if op == "invalid_utf8":
        return raw[:at] + b"\xff\xfe\xc3" + raw[at:]
    if op == "latin1":
        try:
            return raw.decode("utf-8").encode("latin-1", errors="replace")
        except UnicodeDecodeError:
            return raw
    if op == "empty":
        return b""
    if op == "bom":
        return b"\xef\xbb\xbf" + raw
    if op == "double_line":
        lines = raw.split(b"\n")
        if len(lines) > 2:
            i = rng.randrange(1, len(lines) - 1)
            lines.insert(i, lines[i])
        return b"\n".join(lines)
    return raw[:at] + b"\x00" + raw[at:]


def deep_yaml(rng: random.Random) -> bytes:
    depth = rng.choice([40, 500, 5000])
    if rng.random() < 0.5:
        return ("a: " + "[" * depth + "]" * depth + "\n").encode()
    return "".join(" " * i + "k:\n" for i in range(depth)).encode() + b" " * depth + b"v\n"


def huge_list(rng: random.Random) -> bytes:
    n = rng.choice([20_000, 200_000])
    return ("name: x\nsides: [" + ",".join(["1"] * n) + "]\n").encode()


# --------------------------------------------------------------------------- CSV mutations
def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _csv_text(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def mutate_csv(text: str, rng: random.Random) -> bytes:
    rows = _csv_rows(text)
    op = rng.choice(["cell", "cell", "cell", "drop_column", "rename_column", "dup_row", "short_row", "long_row",
                     "header_only", "bytes"])
    if op == "cell" and len(rows) > 1:
        i = rng.randrange(1, len(rows))
        j = rng.randrange(len(rows[i]))
        rows[i][j] = rng.choice(ODD_CELLS)
    elif op == "drop_column":
        j = rng.randrange(len(rows[0]))
        rows = [r[:j] + r[j + 1:] for r in rows]
    elif op == "rename_column":
        rows[0][rng.randrange(len(rows[0]))] = rng.choice(["", "x", "Value", "date ", "é"])
    elif op == "dup_row" and len(rows) > 1:
        rows.append(list(rows[rng.randrange(1, len(rows))]))
    elif op == "short_row" and len(rows) > 1:
        rows[-1] = rows[-1][:1]
    elif op == "long_row" and len(rows) > 1:
        rows[-1] = rows[-1] + ["extra", "cells"]
    elif op == "header_only":
        rows = rows[:1]
    else:
        return mutate_bytes(text.encode("utf-8"), rng)
    return _csv_text(rows).encode("utf-8")


# --------------------------------------------------------------------------- fixtures of the families
@dataclass
class Bases:
    """The valid inputs the families start from (made once per fuzz run)."""

    root: Path
    scenario_data: dict
    scenario_text: str
    actors_data: dict
    actors_csv: str
    observations_csv: str
    battles_csv: str
    results: Path
    observations: Path


OBS_TEXT = ("date,observable,side,value,unit,basis,source\n"
            "2022-12-11,casualties_cumulative_personnel,russia,20000,personnel,level,hand-made fuzz base\n"
            "2023-01-10,casualties_cumulative_personnel,russia,40000,personnel,level,hand-made fuzz base\n"
            "2023-02-09,killed_cumulative_personnel,ukraine,15000,personnel,shape,hand-made fuzz base\n"
            "2023-03-11,killed_cumulative_personnel,ukraine,30000,personnel,shape,hand-made fuzz base\n")
ACTORS_CSV = ("actor,issue,position,salience,capability,source\n"
              "kyiv,territory,100,90,60,fuzz base\nmoscow,territory,0,90,80,fuzz base\n"
              "washington,territory,80,50,100,fuzz base\nkyiv,nato,100,70,60,fuzz base\nmoscow,nato,0,95,80,fuzz base\n")


def battles_csv(rng: random.Random) -> str:
    rows = ["attacker_strength,attacker_casualties,defender_strength,defender_casualties,year"]
    for _ in range(30):
        a, d = rng.randint(2000, 90000), rng.randint(2000, 90000)
        rows.append(f"{a},{rng.randint(10, a // 4)},{d},{rng.randint(10, d // 4)},{rng.randint(1700, 1980)}")
    return "\n".join(rows) + "\n"


def make_bases(root: Path) -> Bases:
    root.mkdir(parents=True, exist_ok=True)
    results = root / "base-results.nc"
    if not results.exists():
        o = run_cli(["run", str(KHERSON), "--runs", "4", "--record-every", "30", "--out", str(results)])
        if o.code != 0:
            raise RuntimeError(f"cannot make the base results file: {o.err}{o.exception}")
    obs = root / "base-observations.csv"
    obs.write_text(OBS_TEXT, encoding="utf-8")
    text = KHERSON.read_text(encoding="utf-8")
    return Bases(root, yaml.safe_load(text), text, yaml.safe_load(ACTORS.read_text(encoding="utf-8")), ACTORS_CSV,
                 OBS_TEXT, battles_csv(random.Random(0)), results, obs)


# --------------------------------------------------------------------------- families
def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _yaml_bytes(data) -> bytes:
    try:
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode("utf-8")
    except yaml.YAMLError:
        return b"unrepresentable: ["


def scenario_case(b: Bases, d: Path, rng: random.Random) -> Case:
    r = rng.random()
    if r < 0.6:
        data = b.scenario_data
        for _ in range(rng.choice([1, 1, 2])):
            data = mutate_tree(data, rng)
        raw = _yaml_bytes(data)
    elif r < 0.9:
        raw = mutate_bytes(b.scenario_text.encode("utf-8"), rng)
    elif r < 0.95:
        raw = deep_yaml(rng)
    else:
        raw = huge_list(rng)
    p = _write(d / "scenario.yaml", raw)
    if rng.random() < 0.15:  # some accepted mutants are simulated: NaN or inf must never reach the results
        out = d / "results.nc"
        return Case("scenario", ["run", p, "--runs", "3", "--record-every", "30", "--out", out], [p], out=out,
                    check_results=out)
    return Case("scenario", ["validate", p], [p])


def cli_case(b: Bases, d: Path, rng: random.Random) -> Case:
    d.mkdir(parents=True, exist_ok=True)
    (d / "FILE").write_text("an existing file")
    (d / "DIR").mkdir(exist_ok=True)
    (d / "DIR" / "summary.md").write_text("an earlier summary")
    cmd = rng.choice(["run", "run", "compare", "bargain range", "bargain truce"])
    argv = cmd.split() + [str(KHERSON), "--runs", "3", "--record-every", "30"]
    if cmd == "bargain truce":
        argv = ["bargain", "truce", str(KHERSON), "--runs", "3", "--days", "30"]
    if cmd == "compare":
        argv += ["--only", "-p", "truce:0:30", "--no-plots"]
    option = rng.choice([o for o in ODD_OPTIONS if not (cmd.startswith("bargain") and o == "--policy")
                         and not (cmd == "bargain truce" and o == "--record-every")])
    value = rng.choice(ODD_OPTIONS[option])
    if option == "--out":
        value = value.replace("DIR", str(d / "DIR")).replace("FILE", str(d / "FILE"))
    if option in argv:
        argv[argv.index(option) + 1] = value
    else:
        argv += [option, value]
    if rng.random() < 0.1:
        argv[argv.index(str(KHERSON))] = rng.choice([str(d), str(d / "missing.yaml"), "/dev/null", ""])
    if rng.random() < 0.05:
        argv.append(rng.choice(["--bogus", "-x", "--runs"]))
    return Case("cli", argv, [d / "FILE", d / "DIR" / "summary.md", KHERSON], note=f"{option}={value!r}")


def observations_case(b: Bases, d: Path, rng: random.Random) -> Case:
    raw = mutate_csv(b.observations_csv, rng)
    if rng.random() < 0.3:
        raw = mutate_csv(raw.decode("utf-8", "replace"), rng)
    p = _write(d / "obs.csv", raw)
    out = d / "bt"
    return Case("observations", ["backtest", KHERSON, "--observed", p, "--ensemble", b.results, "--out", out],
                [p, b.results], out=out)


def actors_case(b: Bases, d: Path, rng: random.Random) -> Case:
    if rng.random() < 0.5:
        raw = mutate_csv(b.actors_csv, rng)
        if rng.random() < 0.2:
            raw = raw.decode("utf-8", "replace").encode("latin-1", "replace")
        p = _write(d / "actors.csv", raw)
    else:
        data = mutate_tree(b.actors_data, rng) if rng.random() < 0.7 else None
        raw = _yaml_bytes(data) if data is not None else mutate_bytes(ACTORS.read_bytes(), rng)
        p = _write(d / "actors.yaml", raw)
    return Case("actors", ["bargain", "settle", p, "--json"], [p])


def _edit_results(src: Path, dst: Path, rng: random.Random) -> None:
    import numpy as np
    import xarray as xr

    op = rng.choice(["nan", "inf", "drop", "rename", "foreign"])
    if op == "foreign":
        xr.Dataset({"temperature": (("time",), np.arange(5.0))}).to_netcdf(dst, engine="h5netcdf")
        return
    ds = xr.load_dataset(src, engine="h5netcdf")  # one flat file (engine.Results.to_netcdf)
    var = rng.choice(sorted(v for v in ds.data_vars if "day" in ds[v].dims))
    if op == "nan":
        ds[var] = ds[var].where(ds["day"] < 60)
    elif op == "inf":
        ds[var] = ds[var] * np.inf
    elif op == "drop":
        ds = ds.drop_vars(var)
    else:
        ds = ds.rename(day="time")
    ds.to_netcdf(dst, engine="h5netcdf")


def results_case(b: Bases, d: Path, rng: random.Random) -> Case:
    p = d / "results.nc"
    d.mkdir(parents=True, exist_ok=True)
    if rng.random() < 0.6:
        _write(p, mutate_bytes(b.results.read_bytes(), rng))
    else:
        _edit_results(b.results, p, rng)
    out = d / "out"
    if rng.random() < 0.5:
        argv = ["backtest", KHERSON, "--observed", b.observations, "--ensemble", p, "--out", out]
    else:
        argv = ["bargain", "range", p, "--json"] + (["--out", out] if rng.random() < 0.3 else [])
    return Case("results", argv, [p, b.observations], out=out)


def battles_case(b: Bases, d: Path, rng: random.Random) -> Case:
    text = b.battles_csv
    if rng.random() < 0.15:
        lines = text.splitlines()
        text = "\n".join([lines[0]] + [lines[1]] * 40) + "\n"  # identical rows: nothing to fit
    raw = mutate_csv(text, rng)
    p = _write(d / "battles.csv", raw)
    return Case("battles", ["fit", "battles", p, "--error-draws", "0"], [p])


FAMILIES: dict[str, Callable[[Bases, Path, random.Random], Case]] = {
    "scenario": scenario_case,
    "cli": cli_case,
    "observations": observations_case,
    "actors": actors_case,
    "results": results_case,
    "battles": battles_case,
}
#: Share of the cases each family gets.
WEIGHTS = {"scenario": 0.40, "cli": 0.12, "observations": 0.12, "actors": 0.14, "results": 0.10, "battles": 0.12}


def _nonfinite(path: Path) -> list[str]:
    import numpy as np

    from ceasefire.engine import Results
    from ceasefire.variables import NAN_BY_DEFINITION

    res = Results.open(path)
    bad = []
    for name in ("trajectories", "outcomes"):
        ds = getattr(res, name)
        for v in ds.data_vars:
            if v in NAN_BY_DEFINITION:  # NaN where a truce never started or fighting never resumed
                continue
            a = ds[v].values
            if a.dtype.kind == "f" and not np.isfinite(a).all():
                bad.append(f"{name}.{v}")
    return bad


def run_case(case: Case, timeout_s: float = 60) -> tuple[str, str]:
    """Run one case; return (outcome, detail)."""
    from .helpers import Hang

    import os

    before = digest(case.watch)
    out_before = digest([case.out]) if case.out is not None else {}
    here = os.getcwd()
    if case.out is not None or case.family == "cli":
        work = (case.out.parent if case.out is not None else Path(case.watch[0]).parent)
        os.chdir(work)  # relative outputs ("." or "") land in the case's own directory
    try:
        o = run_cli(case.argv, timeout_s=timeout_s)
    except Hang as exc:
        return "hang", str(exc)
    finally:
        os.chdir(here)
    verdict = judge(o)
    detail = f"{' '.join(map(str, case.argv))[:300]} {case.note} -> {o.code}: {(o.err or o.exception)[-600:]}"
    if verdict not in ("ok", "refused"):
        return verdict, detail
    if digest(case.watch) != before:
        return "changed", detail + " (an input file changed)"
    if verdict == "refused" and case.out is not None and digest([case.out]) != out_before:
        return "changed", detail + " (a refused case wrote output)"
    if verdict == "ok" and case.check_results is not None and case.check_results.exists():
        bad = _nonfinite(case.check_results)
        if bad:
            return "nonfinite", detail + f" (non-finite: {', '.join(bad[:4])})"
    return verdict, detail


def fuzz(n_cases: int, seed: int, workdir: Path, families: list[str] | None = None, keep: bool = False,
         timeout_s: float = 60, progress: Callable[[int, int], None] | None = None,
         deadline_s: float | None = None) -> Report:
    """Run ``n_cases`` cases (drawn from the families by :data:`WEIGHTS`) and count the outcomes; stop early
    once ``deadline_s`` seconds have passed (the cases are the same for a seed, only fewer of them run)."""
    import os
    import time

    t0 = time.monotonic()

    os.environ.setdefault("CEASEFIRE_MAX_MEMORY_MB", "2000")  # large ensembles are refused, never attempted
    os.environ.setdefault("COLUMNS", "1000")
    rng = random.Random(seed)
    bases = make_bases(workdir / "bases")
    names = families or list(FAMILIES)
    weights = [WEIGHTS[f] for f in names]
    report = Report()
    for i in range(n_cases):
        if deadline_s is not None and time.monotonic() - t0 > deadline_s:
            break
        family = names[i] if i < len(names) else rng.choices(names, weights)[0]  # each family first, once
        d = workdir / f"case-{i:05d}"
        case = FAMILIES[family](bases, d, random.Random(rng.getrandbits(64)))
        outcome, detail = run_case(case, timeout_s)
        report.add(family, outcome, detail)
        if not keep:
            shutil.rmtree(d, ignore_errors=True)
        if progress:
            progress(i + 1, n_cases)
    report.seconds = time.monotonic() - t0
    return report
