"""Fuzz the command line with thousands of broken inputs and print the outcomes (issue 16).

Usage (from the repository root)::

    .venv/bin/python benchmarks/fuzz.py --cases 3000              # all families, seed 1
    .venv/bin/python benchmarks/fuzz.py --cases 500 --family results --seed 7 --show 20

The cases come from ``tests/robust/mutators.py`` (the generator the test suite runs a
few hundred of): mutated scenario YAML (``validate``, and ``run --out`` for some, with
the results checked for NaN/inf), odd command-line options (``run``, ``compare``,
``bargain range|truce``), observation CSVs (``backtest``), actor CSVs and YAML
(``bargain settle``), damaged results files (``backtest --ensemble``, ``bargain range``)
and battle CSVs (``fit battles``). Every case runs in-process through
``ceasefire.cli.main``; outcomes: ``ok`` (exit 0), ``refused`` (exit 2 with a short,
named message), and the failures ``traceback``, ``long_message``, ``unnamed``, ``hang``,
``changed``, ``nonfinite``. Exit status 1 if any case failed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "src"))

from tests.robust.mutators import FAMILIES, fuzz  # noqa: E402

OUTCOMES = ("ok", "refused", "traceback", "long_message", "unnamed", "hang", "changed", "nonfinite")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--family", action="append", choices=sorted(FAMILIES), help="only these families (repeatable)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds after which a case counts as a hang")
    ap.add_argument("--show", type=int, default=10, help="failures to print in full")
    ap.add_argument("--json", type=Path, help="also write the counts as JSON here")
    args = ap.parse_args(argv)

    t0 = time.monotonic()
    last = [t0]

    def progress(i: int, n: int) -> None:
        if time.monotonic() - last[0] > 30:
            last[0] = time.monotonic()
            print(f"  {i}/{n} cases, {time.monotonic() - t0:.0f} s", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="ceasefire-fuzz-") as tmp:
        report = fuzz(args.cases, args.seed, Path(tmp), families=args.family, timeout_s=args.timeout,
                      progress=progress)
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for (family, outcome), n in report.counts.items():
        table[family][outcome] = n
    cols = [o for o in OUTCOMES if any(o in row for row in table.values())]
    print(f"{report.total} cases, seed {args.seed}, {report.seconds:.0f} s")
    print(f"{'family':<14}" + "".join(f"{c:>14}" for c in cols) + f"{'total':>10}")
    for family in sorted(table):
        row = table[family]
        print(f"{family:<14}" + "".join(f"{row.get(c, 0):>14}" for c in cols) + f"{sum(row.values()):>10}")
    totals = {c: sum(row.get(c, 0) for row in table.values()) for c in cols}
    print(f"{'all':<14}" + "".join(f"{totals[c]:>14}" for c in cols) + f"{report.total:>10}")
    for family, outcome, detail in report.failures[: args.show]:
        print(f"\n[{family}] {outcome}: {detail}")
    if args.json:
        args.json.write_text(json.dumps({"cases": report.total, "seed": args.seed, "seconds": report.seconds,
                                         "counts": table}, indent=2))
    return 1 if report.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
