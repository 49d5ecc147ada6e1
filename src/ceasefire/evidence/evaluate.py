"""Precision and recall of the extractor against hand-written gold lists.

    python -m ceasefire.evidence.evaluate --gold tests/evidence/gold --docs ../shared/seeds [--details] [--json]

A gold file (YAML) names a document (its file stem, looked up in ``--docs``) and lists
``statements`` (speaker, optional role words, key words inside the attributed text),
``figures`` (number as written, value, qualifier, unit, measure word) and ``noise``
(rule and the start of the dropped line). Matching is one-to-one, in document order:

* a **statement** matches when its key words are inside a predicted statement's text;
  its **speaker** is right when the predicted name equals the gold name (tolerant of
  case and quotes) and the predicted role contains the gold role words, if given;
  ``speakers_alias`` (the issue's speaker-correct score) counts it right when the name
  equals the gold name or one of its ``aliases``, whatever the role;
* a **figure** matches when a predicted figure has the same value (and range) and its
  text contains the gold number text; its **attributes** are right when qualifier,
  unit (and rate) match and the measured clause contains the gold measure word;
* a **noise** line matches when a dropped paragraph starts with the gold text (rule
  not required; the rule's agreement is reported separately). The HTML reader's
  one-line summary of page boilerplate is not counted.

Precision = matched / predicted, recall = matched / gold, for each kind.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import InputError
from .pipeline import Evidence, process_file
from .text import match_key


@dataclass
class Score:
    predicted: int = 0
    gold: int = 0
    matched: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    def add(self, other: "Score") -> None:
        self.predicted += other.predicted
        self.gold += other.gold
        self.matched += other.matched

    def as_dict(self) -> dict:
        return {"predicted": self.predicted, "gold": self.gold, "matched": self.matched,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4)}


KINDS = ("statements", "speakers", "figures", "figure_attributes", "noise")
#: scored too, reported beside KINDS (JSON: a key of its own): speaker right by name or alias
ALIAS_KIND = "speakers_alias"
ALL_KINDS = ("statements", "speakers", ALIAS_KIND, "figures", "figure_attributes", "noise")


@dataclass
class DocReport:
    doc: str
    scores: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in ALL_KINDS})
    misses: list[str] = field(default_factory=list)


def _speaker_alias_ok(gold: dict, pred) -> bool:
    """The issue's speaker-correct test: the predicted name equals the gold name or one of
    its ``aliases`` (tolerant of case and quotes); the role is not checked."""
    names = [gold["speaker"], *(gold.get("aliases") or [])]
    got = match_key(pred.speaker.name)
    return any(match_key(str(n)) == got for n in names)


def _speaker_ok(gold: dict, pred) -> bool:
    if match_key(gold["speaker"]) != match_key(pred.speaker.name):
        return False
    role = gold.get("role")
    return not role or match_key(role) in match_key(pred.speaker.role or "")


def evaluate_document(ev: Evidence, gold: dict) -> DocReport:
    rep = DocReport(gold["doc"])
    s = rep.scores
    # statements and speakers
    preds = ev.statements
    used: set[int] = set()
    for k in ("statements", "speakers", "speakers_alias"):
        s[k].predicted = len(preds)
        s[k].gold = len(gold.get("statements", []))
    for g in gold.get("statements", []):
        key = match_key(g["key"])
        hit = next((i for i, p in enumerate(preds) if i not in used and key in match_key(p.text)), None)
        if hit is None:
            rep.misses.append(f"statement missed: {g['speaker']}: {g['key']!r}")
            continue
        used.add(hit)
        s["statements"].matched += 1
        if _speaker_alias_ok(g, preds[hit]):
            s["speakers_alias"].matched += 1
        if _speaker_ok(g, preds[hit]):
            s["speakers"].matched += 1
        else:
            p = preds[hit]
            rep.misses.append(f"speaker wrong for {g['key']!r}: got {p.speaker.name!r} ({p.speaker.role}), "
                              f"want {g['speaker']!r} ({g.get('role')})")
    for i, p in enumerate(preds):
        if i not in used:
            rep.misses.append(f"extra statement: {p.speaker.name}: {p.text[:70]!r}")
    # figures
    figs = [lf.figure for lf in ev.figures]
    usedf: set[int] = set()
    s["figures"].predicted = s["figure_attributes"].predicted = len(figs)
    s["figures"].gold = s["figure_attributes"].gold = len(gold.get("figures", []))
    for g in gold.get("figures", []):
        def same(f) -> bool:
            if not math.isclose(f.value, float(g["value"]), rel_tol=1e-9):
                return False
            if "high" in g and (f.high is None or not math.isclose(f.high, float(g["high"]), rel_tol=1e-9)):
                return False
            return match_key(str(g["text"])) in match_key(f.text)
        hit = next((i for i, f in enumerate(figs) if i not in usedf and same(f)), None)
        if hit is None:
            rep.misses.append(f"figure missed: {g['text']!r} ({g['value']})")
            continue
        usedf.add(hit)
        s["figures"].matched += 1
        f = figs[hit]
        ok = (f.qualifier == g["qualifier"] and (f.unit or "") == (g.get("unit") or "")
              and (g.get("per") is None or f.per == g["per"])
              and match_key(g.get("measure", "")) in match_key(f.measure + " " + f.text))
        if ok:
            s["figure_attributes"].matched += 1
        else:
            rep.misses.append(f"figure attributes wrong for {g['text']!r}: got {f.qualifier}/{f.unit}/{f.per} "
                              f"measure {f.measure!r}; want {g['qualifier']}/{g.get('unit')}/{g.get('per')} "
                              f"measure word {g.get('measure')!r}")
    for i, f in enumerate(figs):
        if i not in usedf:
            rep.misses.append(f"extra figure: {f.text!r} ({f.value:g})")
    # noise
    # the HTML reader's one-line summary of page boilerplate is a record, not a paragraph
    dropped = [d for d in ev.dropped if not d.reason.startswith("page boilerplate")]
    usedn: set[int] = set()
    s["noise"].predicted = len(dropped)
    s["noise"].gold = len(gold.get("noise", []))
    for g in gold.get("noise", []):
        key = match_key(g["text"])
        hit = next((i for i, d in enumerate(dropped) if i not in usedn and match_key(d.text).startswith(key)), None)
        if hit is None:
            rep.misses.append(f"noise kept: {g['text'][:60]!r} ({g['rule']})")
            continue
        usedn.add(hit)
        s["noise"].matched += 1
        if dropped[hit].rule != g["rule"]:
            rep.misses.append(f"noise dropped under another rule: {g['text'][:40]!r}: {dropped[hit].rule} (gold {g['rule']})")
    for i, d in enumerate(dropped):
        if i not in usedn:
            rep.misses.append(f"extra drop: {d.rule}: {d.text[:60]!r}")
    return rep


def _find_doc(docs_dir: Path, doc_id: str) -> Path:
    hits = sorted(p for p in docs_dir.iterdir() if p.is_file() and p.stem == doc_id)
    if not hits:
        raise InputError(f"no file named {doc_id}.* for this gold list; pass the folder that holds it with --docs",
                         str(docs_dir))
    return hits[0]


def evaluate(gold_dir: Path, docs_dir: Path) -> tuple[list[DocReport], dict[str, Score]]:
    for what, d in (("gold lists", gold_dir), ("documents", docs_dir)):
        if not Path(d).is_dir():
            raise InputError(f"the folder of {what} does not exist or is not a folder", str(d))
    reports = []
    total = {k: Score() for k in ALL_KINDS}
    for gf in sorted(Path(gold_dir).glob("*.yaml")):
        try:
            gold = yaml.safe_load(gf.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise InputError(f"not valid YAML: {exc}", str(gf)) from None
        if not isinstance(gold, dict) or "doc" not in gold:
            raise InputError("a gold list needs `doc:` (the article's file stem) and lists of statements, "
                             "figures and noise", str(gf))
        ev = process_file(_find_doc(Path(docs_dir), gold["doc"]))
        rep = evaluate_document(ev, gold)
        reports.append(rep)
        for k in ALL_KINDS:
            total[k].add(rep.scores[k])
    return reports, total


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve()
    repo = here.parents[3]
    ap = argparse.ArgumentParser(prog="python -m ceasefire.evidence.evaluate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=repo / "tests" / "evidence" / "gold")
    ap.add_argument("--docs", type=Path, default=repo / ".." / "shared" / "seeds")
    ap.add_argument("--details", action="store_true", help="List every miss and extra.")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    try:
        reports, total = evaluate(args.gold, args.docs)
    except InputError as exc:
        if __name__ != "__main__":
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"documents": {r.doc: {k: r.scores[k].as_dict() for k in KINDS} for r in reports},
                          "total": {k: total[k].as_dict() for k in KINDS},
                          ALIAS_KIND: {"total": total[ALIAS_KIND].as_dict(),
                                       "documents": {r.doc: r.scores[ALIAS_KIND].as_dict() for r in reports}}},
                         indent=2))
        return 0
    print(f"{'':24s} {'kind':18s} {'pred':>5s} {'gold':>5s} {'match':>5s} {'precision':>9s} {'recall':>7s}")
    for r in [*reports, None]:
        scores = total if r is None else r.scores
        name = "ALL" if r is None else r.doc
        for k in ALL_KINDS:
            sc = scores[k]
            print(f"{name:24s} {k:18s} {sc.predicted:5d} {sc.gold:5d} {sc.matched:5d} {sc.precision:9.3f} {sc.recall:7.3f}")
    if args.details:
        for r in reports:
            print(f"\n{r.doc}:")
            for m in r.misses:
                print("  " + m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
