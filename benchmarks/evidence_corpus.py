"""Precision and recall of the evidence extractor on the real-article corpus, per half.

    python benchmarks/evidence_corpus.py                  # the development half
    python benchmarks/evidence_corpus.py --details        # and every miss and extra
    python benchmarks/evidence_corpus.py --half test      # the test half: report it once, at the end
    python benchmarks/evidence_corpus.py --half dev+dev2  # both development halves (round 1 and 2)
    python benchmarks/evidence_corpus.py --half test2     # round 2's fresh test half: once, at the end
    python benchmarks/evidence_corpus.py --json
    python benchmarks/evidence_corpus.py --half dev,dev2,test,test2 --before-src ../before/src  # before/after
    python benchmarks/evidence_corpus.py --half dev+test+dev2+test2+dev3   # round 3: all development material
    python benchmarks/evidence_corpus.py --half test3     # round 3's held-out half (scored once in round 3)
    python benchmarks/evidence_corpus.py --half test4     # round 4's held-out half: once, at the end

The corpus is tests/data/evidence_corpus/ (126 excerpts of real news pages, SOURCES.md;
gold format and judgement rules in GOLD_FORMAT.md; the seeded split in split.json). Each
gold list is scored with the project's own ``ceasefire.evidence.evaluate.evaluate_document``
(statements, strict speakers = name and role words, figures, figure attributes, noise), so
the numbers mean what ``ceasefire evidence evaluate`` means. Beside them this prints the
issue's speaker-correct measure (``speakers_alias``): a found statement's speaker is right
when the predicted name equals the gold name or one of its aliases, whatever the role,
with its recall over all gold statements; and the same broken down by how the gold says the
speaker is identified (``cue``: name, pronoun, description, according_to, nested,
continued). If the project's evaluate.py already reports ``speakers_alias`` its count is
used; otherwise it is computed here with the same one-to-one, in-order key matching.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import yaml

from ceasefire.evidence import evaluate as ev_eval
from ceasefire.evidence.pipeline import process_file
from ceasefire.evidence.text import match_key

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "evidence_corpus"
ALIAS = "speakers_alias"
#: round 1: dev (tuned on), test (scored once in round 1; kept out of tuning since);
#: round 2 (a fresh seeded split of the documents added then): dev2 (tuned on), test2 (scored once);
#: round 3: every earlier half has been scored once and is development material now; a fresh split of
#: the documents added in round 3: dev3 (tuned on), test3 (held out, scored once at the end)
#: round 4: every earlier half is development material; a fresh split of the documents added in round
#: 4: dev4 (tuned on), test4 (held out, scored once at the end)
HALVES = ("dev", "test", "dev2", "test2", "dev3", "test3", "dev4", "test4")
#: the development material of round 4 (all but test4)
DEVELOPMENT = "dev+test+dev2+test2+dev3+test3+dev4"
CUES = ("name", "pronoun", "description", "according_to", "nested", "continued")


def load_half(half: str, corpus: Path = CORPUS) -> list[tuple[dict, Path]]:
    """(gold list, document path) for every document of one half, in id order.

    Aliases are merged per speaker across a document's entries (a speaker's aliases hold
    for every one of its statements), so a list that wrote them once still scores right."""
    split = json.loads((corpus / "split.json").read_text(encoding="utf-8"))
    parts = half.split("+")
    if not all(h in HALVES for h in parts):
        raise ValueError(f"half must be one of {', '.join(HALVES)} or several joined by '+', not {half!r}")
    out = []
    for part, doc in ((h, d) for h in parts for d in split[h]):
        gf = corpus / "gold" / part / f"{doc}.yaml"
        if not gf.exists():
            raise FileNotFoundError(f"no gold list for {doc} in {gf.parent}")
        gold = yaml.safe_load(gf.read_text(encoding="utf-8"))
        merged: dict[str, list[str]] = defaultdict(list)
        for s in gold.get("statements") or []:
            for a in s.get("aliases") or []:
                if a not in merged[s["speaker"]]:
                    merged[s["speaker"]].append(a)
        for s in gold.get("statements") or []:
            s["aliases"] = list(merged[s["speaker"]])
        gold["statements"] = gold.get("statements") or []
        gold["figures"] = gold.get("figures") or []
        gold["noise"] = gold.get("noise") or []
        docs = [p for p in (corpus / "docs").iterdir() if p.stem == doc]
        out.append((gold, docs[0]))
    return out


def alias_pairs(preds, gold: dict) -> list[tuple[dict, object | None]]:
    """Each gold statement with the predicted statement it matches (or None): the first
    unused prediction whose text contains the key, as evaluate_document pairs them."""
    used: set[int] = set()
    pairs = []
    for g in gold["statements"]:
        key = match_key(g["key"])
        hit = next((i for i, p in enumerate(preds) if i not in used and key in match_key(p.text)), None)
        if hit is not None:
            used.add(hit)
        pairs.append((g, None if hit is None else preds[hit]))
    return pairs


def alias_ok(gold: dict, pred) -> bool:
    names = {match_key(n) for n in [gold["speaker"], *(gold.get("aliases") or [])]}
    return match_key(pred.speaker.name) in names


def score_half(half: str, corpus: Path = CORPUS) -> dict:
    kinds = list(ev_eval.KINDS)
    total = {k: ev_eval.Score() for k in kinds}
    alias = ev_eval.Score()
    by_cue = {c: [0, 0, 0] for c in CUES}  # gold, found, speaker right (name or alias)
    docs = {}
    for gold, path in load_half(half, corpus):
        evid = process_file(path)
        rep = ev_eval.evaluate_document(evid, gold)
        for k in kinds:
            total[k].add(rep.scores[k])
        pairs = alias_pairs(evid.statements, gold)
        right = sum(1 for g, p in pairs if p is not None and alias_ok(g, p))
        if ALIAS in rep.scores:  # the project's evaluate.py scores it itself
            right = rep.scores[ALIAS].matched
        a = ev_eval.Score(predicted=len(evid.statements), gold=len(pairs), matched=right)
        alias.add(a)
        for g, p in pairs:
            row = by_cue[g.get("cue", "name")]
            row[0] += 1
            row[1] += p is not None
            row[2] += p is not None and alias_ok(g, p)
        misses = list(rep.misses)
        for g, p in pairs:
            if p is not None and not alias_ok(g, p):
                misses.append(f"speaker not the gold name nor an alias for {g['key']!r}: got {p.speaker.name!r}, "
                              f"want {g['speaker']!r} or {g.get('aliases')} ({g.get('cue')})")
        docs[gold["doc"]] = {"scores": {**{k: rep.scores[k].as_dict() for k in kinds}, ALIAS: a.as_dict()},
                             "misses": misses}
    return {"half": half, "documents": len(docs),
            "total": {**{k: v.as_dict() for k, v in total.items()}, ALIAS: alias.as_dict()},
            "speaker_right_by_cue": {c: {"gold": r[0], "found": r[1], "speaker_right": r[2]} for c, r in by_cue.items()},
            "per_document": docs}


def compare(halves: list[str], before_src: str) -> int:
    """Score each half with the extractor at ``before_src`` (a ``src`` directory of another
    checkout, e.g. ``git worktree add ../before <commit>``) and with this one, in one run,
    and print both side by side."""
    import os
    import subprocess

    here = Path(__file__).resolve()
    rows = []
    for half in halves:
        got = {}
        for label, src in (("before", before_src), ("after", str(here.parents[1] / "src"))):
            env = {**os.environ, "PYTHONPATH": src}
            out = subprocess.run([sys.executable, str(here), "--half", half, "--json"], env=env, check=True,
                                 capture_output=True, text=True).stdout
            got[label] = json.loads(out)
        rows.append((half, got))
    print(f"{'half':9s} {'docs':>4s} {'kind':15s} {'before P/R':>13s} {'after P/R':>13s}")
    for half, got in rows:
        for kind in ("statements", ALIAS, "figures"):
            b, a = got["before"]["total"][kind], got["after"]["total"][kind]
            print(f"{half:9s} {got['after']['documents']:4d} {kind:15s} {b['precision']:6.3f}/{b['recall']:.3f}"
                  f" {a['precision']:6.3f}/{a['recall']:.3f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--half", default="dev",
                    help="dev (default), dev2, dev3, test, test2 (all development material from round 3) or "
                         "test3 (held out: report once, at the end, never tune on); several halves joined by '+' "
                         "are scored together")
    ap.add_argument("--details", action="store_true", help="List every miss and extra per document.")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--before-src", metavar="SRC",
                    help="also score with the extractor in this src directory and print before/after side by "
                         "side; --half may then list several halves separated by commas")
    args = ap.parse_args(argv)
    if args.before_src:
        halves = args.half.split(",")
        for h in halves:
            if not all(x in HALVES for x in h.split("+")):
                ap.error(f"unknown half {h!r}: use {', '.join(HALVES)}")
        return compare(halves, args.before_src)
    try:
        res = score_half(args.half)
    except ValueError as exc:
        ap.error(str(exc))
    if args.json:
        print(json.dumps(res, indent=2))
        return 0
    print(f"evidence corpus, {res['half']} half: {res['documents']} real documents")
    print(f"{'kind':18s} {'pred':>5s} {'gold':>5s} {'match':>5s} {'precision':>9s} {'recall':>7s}")
    for k, sc in res["total"].items():
        print(f"{k:18s} {sc['predicted']:5d} {sc['gold']:5d} {sc['matched']:5d} {sc['precision']:9.3f} {sc['recall']:7.3f}")
    print("\nspeaker right (name or alias) by how the gold identifies the speaker:")
    for c, r in res["speaker_right_by_cue"].items():
        if r["gold"]:
            print(f"  {c:13s} gold {r['gold']:3d}  found {r['found']:3d}  speaker right {r['speaker_right']:3d}"
                  f"  ({r['speaker_right'] / r['gold']:.2f} of gold)")
    if args.details:
        for doc, d in res["per_document"].items():
            if d["misses"]:
                print(f"\n{doc}:")
                for m in d["misses"]:
                    print("  " + m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
