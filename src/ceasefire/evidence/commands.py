"""``ceasefire evidence``: store articles, list what they say, check a scenario's citations.

Exit codes: 0 ok, 1 unsupported citations (``check``), 2 bad input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from ..errors import InputError

app = typer.Typer(
    help="Read news articles, keep who said what and every figure, and check a scenario's citations.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, soft_wrap=True)

DbOpt = typer.Option(None, "--db", help="Evidence store (SQLite). Default: $CEASEFIRE_EVIDENCE_DB or the user data dir.")
JsonOpt = typer.Option(False, "--json", help="Print JSON instead of a table.")
CsvOpt = typer.Option(False, "--csv", help="Print CSV (for spreadsheets) instead of a table.")


def _store(db: Optional[Path], create: bool = True):
    from .store import Store

    return Store(db, create=create)


def _emit_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _emit_csv(rows: list[dict], columns: list[str]) -> None:
    import csv

    w = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v) for k, v in r.items()})


def _short(text: str | None, n: int = 90) -> str:
    t = " ".join((text or "").split())
    return t if len(t) <= n else t[: n - 1] + "\u2026"


@app.command("add")
def add(
    files: list[Path] = typer.Argument(..., help="Article files: .txt, .md or .html (a directory adds its files)."),
    db: Optional[Path] = DbOpt,
    skip_bad: bool = typer.Option(False, "--skip-bad", help="Skip unreadable files with a warning instead of adding nothing."),
    max_mb: float = typer.Option(10.0, "--max-mb", help="Largest file accepted, in MB."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Decode files with this encoding (default: UTF-8, else Windows-1252)."),
    as_json: bool = JsonOpt,
) -> None:
    """Store each document once (by content hash); all files or none are written."""
    from .pipeline import process_file

    paths = _expand(files)
    items, skipped = [], []
    for p in paths:
        try:
            items.append(process_file(p, max_bytes=int(max_mb * 1024 * 1024), encoding=encoding))
        except InputError as exc:
            if not skip_bad:
                raise InputError(f"{exc} Nothing was added (use --skip-bad to add the other files).") from None
            skipped.append({"file": str(p), "error": str(exc)})
    with _store(db) as store:
        report = store.add(items)
    if as_json:
        _emit_json({"added": report, "skipped": skipped})
        return
    t = Table("doc", "status", "title", "kept", "dropped", "statements", "figures")
    for r in report:
        title = next((e.title for e in items if e.raw.path == r["file"]), None)
        t.add_row(r["doc"], r["status"], _short(title, 40), str(r["paragraphs"]), str(r["dropped"]),
                  str(r["statements"]), str(r["figures"]))
    console.print(t)
    for r in report:
        for w in r["warnings"]:
            err.print(f"[yellow]warning:[/] {r['doc']}: {w}", highlight=False)
    for s in skipped:
        err.print(f"[yellow]skipped:[/] {s['error']}", highlight=False)


ARTICLE_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".shtml"}


def _expand(files: list[Path]) -> list[Path]:
    """Files as given; a directory contributes its article files (by suffix), others are
    named in a note and left alone."""
    out: list[Path] = []
    for f in files:
        if f.is_dir():
            entries = sorted(p for p in f.iterdir() if p.is_file() and not p.name.startswith("."))
            ignored = [p.name for p in entries if p.suffix.lower() not in ARTICLE_SUFFIXES]
            out.extend(p for p in entries if p.suffix.lower() in ARTICLE_SUFFIXES)
            if ignored:
                err.print(f"[yellow]note:[/] {f}: not article files, left alone: {', '.join(ignored[:8])}"
                          + (f" and {len(ignored) - 8} more" if len(ignored) > 8 else ""), highlight=False)
        else:
            out.append(f)
    if not out:
        raise InputError("no article files to add (.txt, .md or .html)")
    return out


@app.command("remove")
def remove(
    docs: list[str] = typer.Argument(..., help="Document ids (file stems) or content-hash prefixes."),
    db: Optional[Path] = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Delete documents and everything extracted from them."""
    with _store(db, create=False) as store:
        gone = store.remove(docs)
    if as_json:
        _emit_json({"removed": gone})
    else:
        console.print("removed: " + ", ".join(gone), highlight=False)


@app.command("reindex")
def reindex(
    docs: Optional[list[str]] = typer.Argument(None, help="Only these documents (default: those extracted by older rules)."),
    all_: bool = typer.Option(False, "--all", help="Re-extract every document."),
    db: Optional[Path] = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Re-run cleaning and extraction on the stored source text (after the rules change)."""
    with _store(db, create=False) as store:
        report = store.reindex(docs or None, all_versions=all_)
    if as_json:
        _emit_json(report)
        return
    for r in report:
        console.print(f"{r['doc']}: {r['status']}", highlight=False)
    console.print(f"{sum(1 for r in report if r['status'] == 're-extracted')} document(s) re-extracted")


@app.command("list")
def list_(db: Optional[Path] = DbOpt, as_json: bool = JsonOpt) -> None:
    """List stored documents."""
    with _store(db, create=False) as store:
        docs = store.documents()
    if as_json:
        _emit_json(docs)
        return
    t = Table("doc", "title", "byline", "date", "format", "kept", "dropped", "statements", "figures")
    for d in docs:
        t.add_row(d["doc"], _short(d["title"], 40), _short(d["byline"], 24), d["date"] or "", d["format"],
                  str(d["n_paragraphs"]), str(d["n_dropped"]), str(d["n_statements"]), str(d["n_figures"]))
    console.print(t)


@app.command("show")
def show(
    doc: str = typer.Argument(..., help="Document id (file stem) or content hash prefix."),
    dropped: bool = typer.Option(False, "--dropped", help="List the text dropped as noise, with the reason."),
    db: Optional[Path] = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Show a document's metadata and cleaned paragraphs (or, with --dropped, what was removed)."""
    with _store(db, create=False) as store:
        d = store.document(doc)
    if as_json:
        if dropped:
            _emit_json({"doc": d["doc"], "dropped": d["dropped"]})
        else:
            _emit_json(d)
        return
    console.print(f"[bold]{d['doc']}[/]  {d['title'] or '(no title)'}", highlight=False)
    console.print(f"byline: {d['byline'] or '-'}   date: {d['date'] or '-'}   file: {d['file']}   "
                  f"format: {d['format']} ({d['encoding']})   sha256: {d['sha256'][:16]}", highlight=False)
    for w in d["warnings"]:
        console.print(f"[yellow]warning:[/] {w}", highlight=False)
    if dropped:
        t = Table("line", "rule", "reason", "text")
        for x in d["dropped"]:
            t.add_row("-" if x["orig_idx"] < 0 else str(x["orig_idx"] + 1), x["rule"], x["reason"], _short(x["text"], 80))
        console.print(t)
        return
    for p in d["paragraphs"]:
        console.print(f"[dim]{p['idx']:>3}[/] {p['text']}", highlight=False)


@app.command("quotes")
def quotes(
    speaker: Optional[str] = typer.Option(None, "--speaker", help="Part of the speaker's name or role."),
    doc: Optional[str] = typer.Option(None, "--doc", help="Only this document."),
    contains: Optional[str] = typer.Option(None, "--contains", help="Only statements containing these words."),
    db: Optional[Path] = DbOpt,
    as_json: bool = JsonOpt,
    as_csv: bool = CsvOpt,
) -> None:
    """Attributed statements (direct quotes and reported speech) with their speaker."""
    with _store(db, create=False) as store:
        rows = store.statements(doc=doc, speaker=speaker, text=contains)
    if as_json:
        _emit_json(rows)
        return
    if as_csv:
        _emit_csv(rows, ["doc", "idx", "para", "speaker", "speaker_role", "speaker_kind", "speaker_text", "kind",
                         "cue", "resolution", "text", "quotes"])
        return
    t = Table("doc", "par", "speaker", "role", "kind", "cue", "words")
    for r in rows:
        t.add_row(r["doc"], str(r["para"]), r["speaker"], _short(r["speaker_role"], 30), r["kind"], r["cue"],
                  _short(r["text"], 90))
    console.print(t)
    console.print(f"{len(rows)} statement(s)")


@app.command("figures")
def figures(
    doc: Optional[str] = typer.Option(None, "--doc", help="Only this document."),
    speaker: Optional[str] = typer.Option(None, "--speaker", help="Only figures inside statements of this speaker."),
    unit: Optional[str] = typer.Option(None, "--unit", help="Only figures in this unit (percent, km, soldiers, ...)."),
    contains: Optional[str] = typer.Option(None, "--contains", help="Only figures whose measure contains these words."),
    db: Optional[Path] = DbOpt,
    as_json: bool = JsonOpt,
    as_csv: bool = CsvOpt,
) -> None:
    """Quantitative claims: value, qualifier, unit, what it measures, and who said it."""
    with _store(db, create=False) as store:
        rows = store.figures(doc=doc, speaker=speaker, unit=unit, text=contains)
    if as_json:
        _emit_json(rows)
        return
    if as_csv:
        _emit_csv(rows, ["doc", "idx", "para", "text", "value", "low", "high", "qualifier", "unit", "per", "noun",
                         "measure", "statement", "speaker", "speaker_role"])
        return
    t = Table("doc", "par", "figure", "value", "qualifier", "unit", "measure", "speaker")
    for r in rows:
        val = f"{r['low']:g}-{r['high']:g}" if r["qualifier"] == "range" else f"{r['value']:g}"
        unit_s = (r["unit"] or "") + (f"/{r['per']}" if r["per"] else "")
        t.add_row(r["doc"], str(r["para"]), _short(r["text"], 30), val, r["qualifier"], unit_s,
                  _short(r["measure"], 60), r["speaker"] or "")
    console.print(t)
    console.print(f"{len(rows)} figure(s)")


@app.command("search")
def search(
    query: str = typer.Argument(..., help='Words that must all appear; "a phrase" in quotes.'),
    doc: Optional[str] = typer.Option(None, "--doc", help="Only this document."),
    limit: int = typer.Option(50, "--limit", min=1),
    db: Optional[Path] = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Paragraphs (cleaned text) that contain all the words."""
    with _store(db, create=False) as store:
        rows = store.search(query, doc=doc, limit=limit)
    if as_json:
        _emit_json(rows)
        return
    for r in rows:
        console.print(f"[bold]{r['doc']}[/] \u00b6{r['paragraph']}: {r['text']}", highlight=False)
    console.print(f"{len(rows)} paragraph(s)")


@app.command("check")
def check(
    scenario: Path = typer.Argument(..., help="Scenario YAML whose sources cite documents."),
    db: Optional[Path] = DbOpt,
    docs: Optional[Path] = typer.Option(None, "--docs", help="Check against the articles in this directory "
                                        "(read into a temporary store) instead of the evidence store."),
    as_json: bool = JsonOpt,
    show_all: bool = typer.Option(False, "--all", help="List supported citations too."),
) -> None:
    """Check each document citation: the quote is in the document and the number agrees
    with its figure. Exit 1 when any citation is unsupported."""
    from ..scenario import load_scenario
    from .check import check_scenario

    sc = load_scenario(scenario)
    results = check_scenario(sc, db=db, docs_dir=docs,
                             on_skip=lambda msg: err.print(f"[yellow]skipped:[/] {msg}", highlight=False))
    bad = [r for r in results if not r.ok]
    if as_json:
        _emit_json({"scenario": str(scenario), "checked": len(results), "unsupported": len(bad),
                    "results": [r.to_dict() for r in results]})
    else:
        rows = results if show_all else bad
        if rows:
            t = Table("", "value", "path", "doc", "quote", "rule")
            for r in rows:
                mark = "[green]ok[/]" if r.ok else "[red]NO[/]"
                t.add_row(mark, r.value or "-", r.path, r.doc, _short(r.quote, 50), r.rule)
            console.print(t)
        n_ok = len(results) - len(bad)
        n_derived = sum(1 for r in results if r.status == "derived")
        console.print(f"{len(results)} document citation(s): {n_ok} supported ({n_derived} derived values: "
                      f"quote checked, derivation reported), {len(bad)} unsupported", highlight=False)
    if bad:
        raise SystemExit(1)


@app.command("evaluate")
def evaluate_cmd(
    gold: Path = typer.Option(..., "--gold", help="Folder of gold lists (YAML), e.g. tests/evidence/gold."),
    docs: Path = typer.Option(..., "--docs", help="Folder holding the articles the gold lists name."),
    details: bool = typer.Option(False, "--details", help="List every miss and extra."),
    as_json: bool = JsonOpt,
) -> None:
    """Precision and recall of statements, speakers, figures and noise against gold lists."""
    from .evaluate import main as evaluate_main

    if not gold.is_dir():
        raise InputError("--gold must be a folder of gold lists (YAML)", str(gold))
    if not docs.is_dir():
        raise InputError("--docs must be a folder of articles", str(docs))
    args = ["--gold", str(gold), "--docs", str(docs)] + (["--details"] if details else []) + (["--json"] if as_json else [])
    evaluate_main(args)


def register(main: typer.Typer) -> None:
    """Add the ``evidence`` group to the main ``ceasefire`` app."""
    main.add_typer(app, name="evidence")
