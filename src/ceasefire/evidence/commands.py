"""``ceasefire evidence``: store articles, list what they say, check a scenario's citations.

Exit codes: 0 ok, 1 unsupported citations (``check``), 2 bad input.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..errors import InputError

app = typer.Typer(
    help="Read news articles, keep who said what and every figure, and check a scenario's citations.",
    no_args_is_help=True,
    add_completion=False,
)
# no emoji codes, no automatic highlighting; every stored text printed goes through `_e`/`_short`,
# which escape Rich markup, so a title like "[/bold] ..." prints as written
# the terminal's width (COLUMNS when set; 80 when not a terminal), long lines wrapped: tables are laid out to
# be read at 80 columns (long cells fold, one row label per row)
console = Console(emoji=False, highlight=False)
err = Console(stderr=True, soft_wrap=True, emoji=False, highlight=False)

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


def _e(value) -> str:
    """Stored text as Rich prints it literally (markup such as ``[/bold]`` escaped)."""
    return escape("" if value is None else str(value))


def _table(*columns: str, title: str | None = None) -> Table:
    """A table whose cells wrap (long words fold) to fit the terminal, 80 columns included."""
    t = Table(title=title)
    for c in columns:
        t.add_column(c, overflow="fold")
    return t


COUNTS = "kept/dropped ¶ · stmts · figs"
COUNTS_NOTE = ("kept/dropped ¶: paragraphs kept and dropped as noise; stmts: attributed statements; figs: "
               "quantitative claims.")


def _counts(kept, dropped, statements, figures) -> str:
    return f"{kept}/{dropped} · {statements} · {figures}"


def _by_doc(rows: list[dict]):
    """Rows grouped by document, in order of first appearance."""
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["doc"], []).append(r)
    return [(_e(k), v) for k, v in groups.items()]


def _para_labels(rows: list[dict]):
    """(label, row): the paragraph number, with .1, .2, ... when a paragraph has more than one row."""
    counts: dict = {}
    for r in rows:
        counts[r["para"]] = counts.get(r["para"], 0) + 1
    seen: dict = {}
    for r in rows:
        seen[r["para"]] = seen.get(r["para"], 0) + 1
        yield (f"{r['para']}.{seen[r['para']]}" if counts[r["para"]] > 1 else str(r["para"])), r


def _short(text: str | None, n: int = 90) -> str:
    """Shortened to ``n`` characters, escaped for Rich."""
    t = " ".join((text or "").split())
    return _e(t if len(t) <= n else t[: n - 1] + "\u2026")


@app.command("add")
def add(
    files: list[Path] = typer.Argument(..., help="Article files: .txt, .md or .html (a directory adds its files)."),
    db: Optional[Path] = DbOpt,
    skip_bad: bool = typer.Option(False, "--skip-bad", help="Skip unreadable files with a warning instead of adding nothing."),
    max_mb: float = typer.Option(10.0, "--max-mb", help="Largest file accepted, in MB."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Decode files with this encoding (default: UTF-8, else a guess by charset-normalizer, Windows-1252 for Western text)."),
    title: Optional[str] = typer.Option(None, "--title", help="The document's title, when its text does not state it (one file only)."),
    byline: Optional[str] = typer.Option(None, "--byline", help="The author, when the text does not state it (one file only)."),
    date: Optional[str] = typer.Option(None, "--date", help="Publication date (YYYY-MM-DD), when the text does not state it (one file only)."),
    as_json: bool = JsonOpt,
) -> None:
    """Store each document once (by content hash); all files or none are written."""
    from .pipeline import process_file

    max_bytes = _max_bytes(max_mb)
    paths = _expand(files)
    given = _given_metadata(title, byline, date, paths)
    items, skipped = [], []
    for p in paths:
        _note_if_large(p, max_bytes)
        try:
            items.append(_with_metadata(process_file(p, max_bytes=max_bytes, encoding=encoding), given))
        except InputError as exc:
            if not skip_bad:
                raise InputError(f"{exc} Nothing was added (use --skip-bad to add the other files).") from None
            skipped.append({"file": str(p), "error": str(exc)})
    with _store(db) as store:
        report = store.add(items)
    if as_json:
        _emit_json({"added": report, "skipped": skipped})
        return
    t = _table("doc", "status", "title", COUNTS)
    t.columns[0].no_wrap = True
    for r in report:
        title = next((e.title for e in items if e.raw.path == r["file"]), None)
        t.add_row(_e(r["doc"]), _e(r["status"]), _short(title, 40) or "[dim](not stated)[/]",
                  _counts(r["paragraphs"], r["dropped"], r["statements"], r["figures"]))
    console.print(t)
    console.print(COUNTS_NOTE, style="dim")
    for r in report:
        for w in r["warnings"]:
            err.print(f"[yellow]warning:[/] {_e(r['doc'])}: {_e(w)}", highlight=False)
    for s in skipped:
        err.print(f"[yellow]skipped:[/] {_e(s['error'])}", highlight=False)


#: the largest --max-mb accepted: beyond it one "article" is an archive to split first
MAX_MB_CEILING = 100.0
#: measured extraction cost of long, dense text (docs/evidence.md, "Bad input"), for the note
#: printed before a large file is read
SECONDS_PER_MB = 15.0


def _max_bytes(max_mb: float) -> int:
    """--max-mb as bytes; a number in (0, 100] or a one-paragraph error."""
    if not math.isfinite(max_mb) or not 0 < max_mb <= MAX_MB_CEILING:
        raise InputError(f"--max-mb must be a number of megabytes above 0 and at most {MAX_MB_CEILING:g} "
                         f"(got {max_mb:g}); a news article is well under 1 MB")
    return int(max_mb * 1024 * 1024)


def _note_if_large(path: Path, max_bytes: int) -> None:
    """Say up front that a large file takes a while (extraction is linear in its size)."""
    try:
        size = path.stat().st_size if path.is_file() else 0
    except OSError:
        return
    if 2**20 <= size <= max_bytes:
        mb = size / 2**20
        err.print(f"note: {_e(path)} is {mb:.1f} MB, far longer than a news article; reading it takes up to "
                  f"about {max(1, round(mb * SECONDS_PER_MB))} s", highlight=False)


def _given_metadata(title, byline, date, paths) -> dict:
    """--title/--byline/--date, checked: for one file, a date in ISO form."""
    given = {k: v.strip() for k, v in (("title", title), ("byline", byline), ("date", date)) if v and v.strip()}
    if given and len(paths) != 1:
        raise InputError(f"--{next(iter(given))} names one document's metadata; add that file on its own "
                         f"(got {len(paths)} files)")
    if "date" in given:
        import datetime as dt

        try:
            given["date"] = dt.date.fromisoformat(given["date"]).isoformat()
        except ValueError:
            raise InputError(f"--date must be a date as YYYY-MM-DD (got {given['date']!r})") from None
    return given


def _with_metadata(ev, given: dict):
    """Metadata the user states fills what the text does not state; the text wins where it
    states it (a warning says so when they differ)."""
    for key, value in given.items():
        found = getattr(ev, key)
        if found and found != value:
            ev.warnings.append(f"the text states {key} {found!r}; kept it rather than --{key} {value!r}")
        elif not found:
            setattr(ev, key, value)
            ev.warnings.append(f"{key} given with --{key} (the text does not state it)")
    return ev


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
                err.print(f"[yellow]note:[/] {_e(f)}: not article files, left alone: {_e(', '.join(ignored[:8]))}"
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
        console.print("removed: " + _e(", ".join(gone)), highlight=False)


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
        console.print(f"{_e(r['doc'])}: {_e(r['status'])}", highlight=False)
    console.print(f"{sum(1 for r in report if r['status'] == 're-extracted')} document(s) re-extracted")


@app.command("list")
def list_(db: Optional[Path] = DbOpt, as_json: bool = JsonOpt) -> None:
    """List stored documents."""
    with _store(db, create=False) as store:
        docs = store.documents()
    if as_json:
        _emit_json(docs)
        return
    t = _table("doc", "title", "byline", "date", COUNTS)
    t.columns[0].no_wrap = True
    for d in docs:
        t.add_row(_e(d["doc"]), _short(d["title"], 40) or "[dim](not stated)[/]", _short(d["byline"], 24),
                  _e(d["date"]) or "[dim](not stated)[/]",
                  _counts(d["n_paragraphs"], d["n_dropped"], d["n_statements"], d["n_figures"]))
    console.print(t)
    console.print(COUNTS_NOTE + " Formats and files: `evidence show DOC`.", style="dim")


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
    console.print(f"[bold]{_e(d['doc'])}[/]  {_e(d['title'] or '(no title)')}", highlight=False)
    console.print(f"byline: {_e(d['byline'] or '-')}   date: {_e(d['date'] or '-')}   file: {_e(d['file'])}   "
                  f"format: {_e(d['format'])} ({_e(d['encoding'])})   sha256: {d['sha256'][:16]}", highlight=False)
    for w in d["warnings"]:
        console.print(f"[yellow]warning:[/] {_e(w)}", highlight=False)
    if dropped:
        t = _table("line", "rule", "reason", "text")
        for k, x in enumerate(d["dropped"], 1):  # dropped text not on a line of its own (markup) gets its rank
            t.add_row(f"({k})" if x["orig_idx"] < 0 else str(x["orig_idx"] + 1), _e(x["rule"]), _e(x["reason"]),
                      _short(x["text"], 80))
        console.print(t)
        return
    for p in d["paragraphs"]:
        console.print(f"[dim]{p['idx']:>3}[/] {_e(p['text'])}", highlight=False)


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
    for doc_id, group in _by_doc(rows):  # one table per document: its rows labelled by paragraph
        t = _table("¶", "speaker (role)", "how", "words", title=f"statements in {doc_id}")
        t.columns[3].ratio = 2
        for label, r in _para_labels(group):
            role = _short(r["speaker_role"], 30)
            t.add_row(label, _e(r["speaker"]) + (f" ({role})" if role else ""),
                      _e(r["kind"]) + (f": {_e(r['cue'])}" if r["cue"] else ""), _short(r["text"], 90))
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
    for doc_id, group in _by_doc(rows):
        t = _table("¶", "figure", "value (qualifier, unit)", "measure", "speaker", title=f"figures in {doc_id}")
        t.columns[3].ratio = 2
        for label, r in _para_labels(group):
            val = f"{r['low']:g}-{r['high']:g}" if r["qualifier"] == "range" else f"{r['value']:g}"
            unit_s = (r["unit"] or "") + (f"/{r['per']}" if r["per"] else "")
            how = ", ".join(x for x in (r["qualifier"], unit_s) if x)
            t.add_row(label, _short(r["text"], 30), val + (f" ({_e(how)})" if how else ""), _short(r["measure"], 60),
                      _e(r["speaker"]))
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
        console.print(f"[bold]{_e(r['doc'])}[/] \u00b6{r['paragraph']}: {_e(r['text'])}", highlight=False)
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
                             on_skip=lambda msg: err.print(f"[yellow]skipped:[/] {_e(msg)}", highlight=False))
    bad = [r for r in results if not r.ok]
    if as_json:
        _emit_json({"scenario": str(scenario), "checked": len(results), "unsupported": len(bad),
                    "results": [r.to_dict() for r in results]})
    else:
        rows = results if show_all else bad
        if rows:
            # stacked, one citation per block (a path is up to 60 characters: a table row cannot hold it and the
            # quote and the rule at 80 columns): the verdict and path, then the quote, then the rule
            for r in rows:
                mark = "[green]ok[/]" if r.ok else "[red]NO[/]"
                console.print(f"{mark} {_e(r.path)} = {_e(r.value or '-')}", highlight=False)
                console.print(f'   {_e(r.doc)}: "{_short(r.quote, 120)}"', highlight=False)
                console.print(f"   {_e(r.rule)}", highlight=False, style="dim")
        n_ok = len(results) - len(bad)
        n_derived = sum(1 for r in results if r.status == "derived")
        console.print(f"{len(results)} document citation(s): {n_ok} supported ({n_derived} derived values: "
                      f"quote checked, derivation reported), {len(bad)} unsupported", highlight=False)
    if bad:
        raise SystemExit(1)


@app.command("suggest")
def suggest_cmd(
    scenario: Path = typer.Argument(..., help="Scenario YAML whose values may be cited."),
    db: Optional[Path] = DbOpt,
    docs: Optional[Path] = typer.Option(None, "--docs", help="Use the articles in this directory (read into a "
                                        "temporary store) instead of the evidence store."),
    write: Optional[Path] = typer.Option(None, "--write", help="Write a copy of the scenario with the chosen "
                                         "citations as sources (values are never changed)."),
    picks: Optional[list[str]] = typer.Option(None, "--pick", help="PATH or PATH=N: the proposal to write for a "
                                              "value (N as listed). Default: the first agreeing proposal of each "
                                              "value that does not cite a document yet."),
    force: bool = typer.Option(False, "--force", help="Overwrite the --write file if it exists."),
    as_json: bool = JsonOpt,
) -> None:
    """For each scenario value, the stored figures whose unit and subject match it, with the
    quote and the document, and whether the value agrees with each."""
    import yaml

    from ..scenario import load_scenario
    from .suggest import pick, suggest, write_citations

    if write is not None:
        _check_write_target(write, scenario, force)
    sc = load_scenario(scenario)
    figs, paras = _figures_and_paragraphs(db, docs)
    found = suggest(sc, figs, paras)
    if as_json and write is None:
        _emit_json({"scenario": str(scenario), "values": {k: [r.to_dict() for r in v] for k, v in found.items()}})
        return
    if not as_json:
        for path, rows in found.items():
            console.print(f"[bold]{_e(path)}[/]  {_e(rows[0].value)} {_e(rows[0].unit)}", highlight=False)
            for i, r in enumerate(rows, 1):
                mark = "[green]agrees[/]" if r.agrees else "[yellow]differs[/]"
                console.print(f"  {i}. {mark}{' (cited already)' if r.cited else ''}  {_e(r.doc)} \u00b6{r.paragraph}: "
                              f"{_e(r.figure)}  \u2014 \"{_short(r.quote, 140)}\"" + (f"  [{_e(r.speaker)}]" if r.speaker else ""),
                              highlight=False)
        console.print(f"{len(found)} value(s) with proposals, {sum(len(v) for v in found.values())} proposal(s)")
    if write is None:
        return
    raw = yaml.safe_load(scenario.read_text(encoding="utf-8"))
    data, notes = write_citations(raw, pick(found, sc, picks))
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    _check_unchanged_values(sc, text, write)
    write.write_text(text, encoding="utf-8")
    if as_json:
        _emit_json({"scenario": str(scenario), "written": str(write), "changes": notes})
        return
    for n in notes:
        console.print("  " + _e(n), highlight=False)
    console.print(f"wrote {_e(write)} ({sum(1 for n in notes if ' -> ' in n)} source(s) replaced; values unchanged; "
                  "comments of the original file are not copied)", highlight=False)


def _check_write_target(write: Path, scenario: Path, force: bool) -> None:
    if write.resolve() == scenario.resolve():
        raise InputError("--write must name a new file, not the scenario itself (the original is kept as it is)",
                         str(write))
    if write.is_dir():
        raise InputError("--write must name a file, not a directory", str(write))
    if write.exists() and not force:
        raise InputError("exists; pass --force to overwrite it, or name another file", str(write))
    if not write.parent.is_dir():
        raise InputError("the folder for --write does not exist", str(write))


def _check_unchanged_values(sc, text: str, where: Path) -> None:
    """The written copy must load, and hold the same values as the original."""
    import tempfile

    from ..scenario import iter_sourced_values, load_scenario

    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / where.name
        probe.write_text(text, encoding="utf-8")
        new = load_scenario(probe)
    before = {p: (v.describe() if v is not None else None) for p, v, _ in iter_sourced_values(sc)}
    after = {p: (v.describe() if v is not None else None) for p, v, _ in iter_sourced_values(new)}
    if before != after:  # pragma: no cover - write_citations touches sources only
        raise InputError("the written copy would change a value; nothing was written", str(where))


def _figures_and_paragraphs(db: Optional[Path], docs: Optional[Path]) -> tuple[list[dict], dict[str, list[str]]]:
    """Every stored figure and each document's kept paragraphs, from the store or from --docs."""
    import tempfile

    from .pipeline import process_file
    from .store import Store

    with tempfile.TemporaryDirectory(prefix="ceasefire-suggest-") as tmp:
        if docs is not None:
            if not docs.is_dir():
                raise InputError("--docs must be a directory of article files", str(docs))
            store = Store(Path(tmp) / "evidence.sqlite")
            items = []
            for p in _expand([docs]):
                try:
                    items.append(process_file(p))
                except InputError as exc:
                    err.print(f"[yellow]skipped:[/] {_e(exc)}", highlight=False)
            store.add(items)
        else:
            store = Store(db, create=False)
        with store:
            figs = store.figures()
            paras = {d["doc"]: store.text_of(d["doc"])[0] for d in store.documents()}
    return figs, paras


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
