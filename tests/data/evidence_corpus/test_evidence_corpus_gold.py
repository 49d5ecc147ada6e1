"""Integrity of the real-article evaluation corpus: every gold entry points at words that
are in its document (outside the lines marked as noise), the split is the seeded one, and
each gold list sits in its half. These checks read the documents and the gold only; they
never run the extractor (GOLD_FORMAT.md: the gold is written before any run)."""

from __future__ import annotations

import importlib.util
import json
import math
import re
from pathlib import Path

import pytest
import yaml

from ceasefire.evidence.text import match_key

HERE = Path(__file__).resolve().parent
DOCS = HERE / "docs"
SPLIT = json.loads((HERE / "split.json").read_text(encoding="utf-8"))
QUALIFIERS = {"exact", "more than", "at least", "up to", "less than", "nearly", "about", "range"}
TYPES = {"person", "organisation", "government"}
FORMS = {"quote", "reported"}
CUES = {"name", "pronoun", "description", "according_to", "nested", "continued"}
HALVES = ("dev", "test", "dev2", "test2", "dev3", "test3", "dev4", "test4")
RULES = {"title", "byline", "date", "dateline", "caption", "duplicate", "editor_note", "paywall"}


def _gold_files() -> list[tuple[str, Path]]:
    return [(half, p) for half in HALVES for p in sorted((HERE / "gold" / half).glob("*.yaml"))]


def _lines(doc: str) -> list[str]:
    return [ln.strip() for ln in (DOCS / f"{doc}.txt").read_text(encoding="utf-8").splitlines() if ln.strip()]


def test_split_is_the_seeded_one_and_covers_every_document():
    spec = importlib.util.spec_from_file_location("corpus_split", HERE / "split.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    again = mod.split_all(mod.read_table(HERE / "SOURCES.md"))
    assert again == {h: SPLIT[h] for h in HALVES}
    stems = sorted(p.stem for p in DOCS.iterdir())
    assert sorted(d for h in HALVES for d in SPLIT[h]) == stems
    assert len({d for h in HALVES for d in SPLIT[h]}) == len(stems)  # no document in two halves
    assert len(stems) >= 72
    # round 2 splits only the documents added after round 1, with its own seed
    assert all(mod.round_of(d) == 2 for d in SPLIT["dev2"] + SPLIT["test2"])
    assert all(mod.round_of(d) == 1 for d in SPLIT["dev"] + SPLIT["test"])
    # round 3 likewise, with SEED3, and leaves the earlier halves as they were
    assert all(mod.round_of(d) == 3 for d in SPLIT["dev3"] + SPLIT["test3"])
    assert len(SPLIT["dev3"]) + len(SPLIT["test3"]) >= 24
    # round 4 likewise, with SEED4: at least 26 new documents, test4 the larger half when odd
    assert all(mod.round_of(d) == 4 for d in SPLIT["dev4"] + SPLIT["test4"])
    assert len(SPLIT["dev4"]) + len(SPLIT["test4"]) >= 26
    assert 0 <= len(SPLIT["test4"]) - len(SPLIT["dev4"]) <= 1
    assert (SPLIT["seed4"], SPLIT["round3_last"]) == (mod.SEED4, mod.ROUND3_LAST) == (20261204, 97)
    # syndicated copies never straddle the split
    for group in SPLIT["groups"]:
        assert len({h for h in HALVES for d in group if d in SPLIT[h]}) == 1


def test_sources_table_has_twelve_outlets_and_every_kind():
    rows = [ln.split("|") for ln in (HERE / "SOURCES.md").read_text(encoding="utf-8").splitlines()
            if re.match(r"\| \d{3}_", ln)]
    assert len(rows) == sum(len(SPLIT[h]) for h in HALVES)
    outlets = {r[2].strip().split(" (")[0] for r in rows}
    kinds = {r[3].strip() for r in rows}
    assert len(outlets) >= 12
    assert {"wire", "oped", "interview", "liveblog", "translated", "thinktank", "official", "furniture"} <= kinds
    for r in rows:  # the characters column is the file's length
        assert int(r[6]) == len((DOCS / f"{r[1].strip()}.txt").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("half", "path"), _gold_files(), ids=lambda v: getattr(v, "stem", v))
def test_gold_entries_point_into_their_document(half, path):
    gold = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc = gold["doc"]
    assert doc == path.stem and doc in SPLIT[half]
    lines = _lines(doc)
    keyed = [match_key(ln) for ln in lines]
    noise = gold.get("noise") or []
    noisy = set()
    for n in noise:
        assert n["rule"] in RULES, n
        hits = [i for i, k in enumerate(keyed) if k.startswith(match_key(n["text"])) and i not in noisy]
        assert hits, f"noise line not at the start of any line: {n['text']!r}"
        if n["rule"] != "dateline":  # a dateline is cut from its paragraph, which stays
            noisy.add(hits[0])
    kept = " \n ".join(k for i, k in enumerate(keyed) if i not in noisy)
    for s in gold.get("statements") or []:
        assert match_key(s["key"]) in kept, f"statement key not in the kept text: {s['key']!r}"
        assert s["type"] in TYPES and s["form"] in FORMS and s["cue"] in CUES, s
        assert (s["cue"] == "nested") == ("via" in s), s
        for alias in s.get("aliases") or []:
            assert match_key(alias) not in {"he", "she", "it", "they", "him", "her", "them"}
    for f in gold.get("figures") or []:
        assert match_key(str(f["text"])) in kept, f"figure text not in the kept text: {f['text']!r}"
        assert f["qualifier"] in QUALIFIERS and math.isfinite(float(f["value"])), f
        assert ("high" in f) == (f["qualifier"] == "range"), f
        assert f.get("per") in (None, "day", "week", "month", "year"), f


@pytest.mark.parametrize("path", [p for h, p in _gold_files() if h in ("dev4", "test4")],
                         ids=lambda p: p.stem)
def test_round4_keys_are_distinctive_and_speakers_consistent(path):
    """Round 4's gold (GOLD_FORMAT.md rules 3-6): a key is 3-8 words and occurs once in its
    document; a speaker has one alias list and its role on one entry at most."""
    gold = yaml.safe_load(path.read_text(encoding="utf-8"))
    text = match_key((DOCS / f"{gold['doc']}.txt").read_text(encoding="utf-8"))
    aliases, roles = {}, {}
    for s in gold.get("statements") or []:
        assert 3 <= len(s["key"].split()) <= 8, s["key"]
        assert text.count(match_key(s["key"])) == 1, f"key not distinctive: {s['key']!r}"
        assert aliases.setdefault(s["speaker"], s["aliases"]) == s["aliases"], s["speaker"]
        roles[s["speaker"]] = roles.get(s["speaker"], 0) + ("role" in s)
    assert all(n <= 1 for n in roles.values()), roles


def test_both_halves_have_gold_for_every_document_once_written():
    for half in HALVES:
        written = sorted(p.stem for p in (HERE / "gold" / half).glob("*.yaml"))
        if written:
            assert written == SPLIT[half], f"{half}: gold missing for {sorted(set(SPLIT[half]) - set(written))}"


def _bench():
    path = HERE.parents[2] / "benchmarks" / "evidence_corpus.py"
    spec = importlib.util.spec_from_file_location("bench_evidence_corpus", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_benchmark_loader_reads_each_half_and_merges_aliases_per_speaker():
    bench = _bench()
    for half in ("dev", "test"):
        loaded = bench.load_half(half)
        assert [g["doc"] for g, _ in loaded] == SPLIT[half]
        assert all(p.stem == g["doc"] and p.exists() for g, p in loaded)
        for g, _ in loaded:  # one alias list per speaker within a document
            lists = {}
            for s in g["statements"]:
                lists.setdefault(s["speaker"], s["aliases"])
                assert s["aliases"] == lists[s["speaker"]]
    with pytest.raises(ValueError):
        bench.load_half("train")


def test_alias_pairing_is_one_to_one_in_order_and_accepts_aliases_only():
    from types import SimpleNamespace as NS

    bench = _bench()
    gold = {"statements": [
        {"speaker": "Dmitry Peskov", "aliases": ["Peskov", "press secretary"], "key": "not the question"},
        {"speaker": "Dmitry Peskov", "aliases": ["Peskov", "press secretary"], "key": "not the question"},
        {"speaker": "Kremlin", "aliases": [], "key": "steps towards peace"},
    ]}
    preds = [NS(text="It is NOT the “question” of a truce", speaker=NS(name="peskov")),
             NS(text="steps towards peace were discussed", speaker=NS(name="he")),
             NS(text="it is not the question at all", speaker=NS(name="Press Secretary"))]
    pairs = bench.alias_pairs(preds, gold)
    assert [p is None for _, p in pairs] == [False, False, False]
    assert [pairs[0][1], pairs[1][1], pairs[2][1]] == [preds[0], preds[2], preds[1]]
    assert [bench.alias_ok(g, p) for g, p in pairs] == [True, True, False]
    # a pronoun is never accepted, and the same prediction is never used twice
    assert bench.alias_pairs(preds[:1], gold)[1][1] is None
