"""Split the evidence corpus once, at random, into a development half and a test half.

    python tests/data/evidence_corpus/split.py        # writes split.json beside this file

Reads the document table in SOURCES.md (id and kind of every document), keeps syndicated
near-duplicates together (the same wire copy published by two outlets must not sit on both
sides of the split), and assigns groups kind by kind with ``random.Random(SEED)``: within a
kind the shuffled groups go alternately to ``dev`` and ``test``, the side that starts being
the one with fewer documents so far (ties broken by the same generator). The seed was fixed
before any gold list was written; the split was committed before the gold, so it could not
be chosen by looking at results. Re-running gives the same split.

Round 2 (issue 17, second round): the documents added after the first round (ids above
``ROUND1_LAST``) are split on their own, by the same procedure with a new seed
``SEED2`` fixed before any of their gold was written, into ``dev2`` and ``test2``. The
first round's halves are unchanged (``dev``, ``test``); from round 2 on, the first test half
is kept out of rule development as well and is reported beside the fresh one.

Round 3 (issue 17, third round): the documents added after round 2 (ids above ``ROUND2_LAST``)
are split on their own, by the same procedure with a new seed ``SEED3`` fixed before any of
their gold was written, into ``dev3`` and ``test3``. The earlier halves are unchanged; all 72
earlier documents (``dev``, ``test``, ``dev2``, ``test2``) have been scored once and are used for
development from round 3 on; only ``test3`` is held out.

Round 4 (issue 17, fourth round): the documents added after round 3 (ids above ``ROUND3_LAST``)
are split on their own, by the same procedure with a new seed ``SEED4`` fixed before any of
their gold was written, into ``dev4`` and ``test4``. The earlier halves are unchanged; all 97
earlier documents (``dev`` to ``test3``) are development material in round 4; only ``test4`` is
held out.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261201
#: round 2: documents after this id are split with SEED2 into dev2 / test2
ROUND1_LAST = 48
SEED2 = 20261202
#: round 3: documents after this id are split with SEED3 into dev3 / test3
ROUND2_LAST = 72
SEED3 = 20261203
#: round 4: documents after this id are split with SEED4 into dev4 / test4
ROUND3_LAST = 97
SEED4 = 20261204
#: syndicated near-duplicates (the same story's text at two outlets): one group each
GROUPS = [("002_reuters", "004_newsweek"), ("022_kyivpost", "023_hindustantimes")]


def read_table(path: Path) -> list[tuple[str, str]]:
    """(doc id, kind) for every row of the SOURCES.md table, in table order."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*(\d{3}_[a-z0-9]+)\s*\|[^|]*\|\s*([a-z]+)\s*\|", line)
        if m:
            rows.append((m.group(1), m.group(2)))
    return rows


def split(rows: list[tuple[str, str]], seed: int = SEED) -> dict[str, list[str]]:
    rng = random.Random(seed)
    kind_of = dict(rows)
    mine = [g for g in GROUPS if all(d in kind_of for d in g)]  # the groups of these rows
    grouped = {d for g in mine for d in g}
    groups = [list(g) for g in mine] + [[d] for d, _ in rows if d not in grouped]
    for g in groups:
        if len({kind_of[d] for d in g}) != 1:
            raise ValueError(f"a syndication group mixes kinds: {g}")
    halves: dict[str, list[str]] = {"dev": [], "test": []}
    for kind in sorted({k for _, k in rows}):
        ks = sorted((g for g in groups if kind_of[g[0]] == kind), key=lambda g: g[0])
        rng.shuffle(ks)
        n_dev, n_test = len(halves["dev"]), len(halves["test"])
        first = "dev" if n_dev < n_test else "test" if n_test < n_dev else rng.choice(["dev", "test"])
        other = "test" if first == "dev" else "dev"
        for i, g in enumerate(ks):
            halves[first if i % 2 == 0 else other].extend(g)
    return {k: sorted(v) for k, v in halves.items()}


def round_of(doc: str) -> int:
    """1 for the first round's documents, 2, 3 or 4 for those added in rounds 2, 3 and 4 (by id)."""
    n = int(doc[:3])
    return 1 if n <= ROUND1_LAST else 2 if n <= ROUND2_LAST else 3 if n <= ROUND3_LAST else 4


def split_all(rows: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Every round: ``dev``/``test`` (round 1, SEED), ``dev2``/``test2`` (round 2, SEED2) and
    ``dev3``/``test3`` (round 3, SEED3) and ``dev4``/``test4`` (round 4, SEED4)."""
    first = split([r for r in rows if round_of(r[0]) == 1], SEED)
    second = split([r for r in rows if round_of(r[0]) == 2], SEED2)
    third = split([r for r in rows if round_of(r[0]) == 3], SEED3)
    fourth = split([r for r in rows if round_of(r[0]) == 4], SEED4)
    return {**first, "dev2": second["dev"], "test2": second["test"],
            "dev3": third["dev"], "test3": third["test"],
            "dev4": fourth["dev"], "test4": fourth["test"]}


def main() -> None:
    rows = read_table(HERE / "SOURCES.md")
    docs = sorted(p.stem for p in (HERE / "docs").iterdir() if p.is_file())
    if sorted(d for d, _ in rows) != docs:
        raise SystemExit("SOURCES.md and docs/ list different documents")
    result = split_all(rows)
    kind_of = dict(rows)
    halves = ("dev", "test", "dev2", "test2", "dev3", "test3", "dev4", "test4")
    out = {"seed": SEED, "seed2": SEED2, "round1_last": ROUND1_LAST,
           "seed3": SEED3, "round2_last": ROUND2_LAST,
           "seed4": SEED4, "round3_last": ROUND3_LAST, "groups": [list(g) for g in GROUPS],
           **result,
           "kinds": {h: {k: sum(kind_of[d] == k for d in result[h]) for k in sorted(set(kind_of.values()))}
                     for h in halves}}
    (HERE / "split.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(", ".join(f"{h} {len(result[h])}" for h in halves) + " -> split.json")


if __name__ == "__main__":
    main()
