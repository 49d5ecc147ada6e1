"""The evidence store: documents, cleaned paragraphs, dropped noise, statements and
figures in one SQLite file.

* Schema changes are a list of migrations; ``PRAGMA user_version`` is the number applied.
  Opening an older store upgrades it; a store from a newer version is refused.
* Each ``add`` writes all its documents in one transaction: all or none.
* A document's identity is the SHA-256 of its bytes (adding it again changes nothing);
  its human id is the file stem (``000_e7d0cf1533a8b985``).
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from ..errors import InputError
from .pipeline import EXTRACTOR_VERSION, Evidence

ENV_DB = "CEASEFIRE_EVIDENCE_DB"

MIGRATIONS: list[str] = [
    # 1: initial schema
    """
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        doc_id TEXT NOT NULL UNIQUE,
        sha256 TEXT NOT NULL UNIQUE,
        source_path TEXT NOT NULL,
        format TEXT NOT NULL,
        encoding TEXT NOT NULL,
        title TEXT, byline TEXT, published TEXT,
        added_at TEXT NOT NULL,
        extractor_version TEXT NOT NULL,
        warnings TEXT NOT NULL DEFAULT '[]'
    );
    CREATE TABLE paragraphs (
        doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL, orig_idx INTEGER NOT NULL, text TEXT NOT NULL,
        PRIMARY KEY (doc, idx)
    );
    CREATE TABLE dropped (
        doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL, orig_idx INTEGER NOT NULL, rule TEXT NOT NULL, reason TEXT NOT NULL,
        text TEXT NOT NULL, PRIMARY KEY (doc, seq)
    );
    CREATE TABLE statements (
        doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL, para INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        kind TEXT NOT NULL, cue TEXT NOT NULL, speaker_text TEXT NOT NULL, speaker TEXT NOT NULL,
        speaker_role TEXT, speaker_kind TEXT NOT NULL, resolution TEXT NOT NULL, text TEXT NOT NULL,
        quotes TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (doc, idx)
    );
    CREATE INDEX statements_speaker ON statements(speaker);
    CREATE TABLE figures (
        doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL, para INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        text TEXT NOT NULL, value REAL NOT NULL, low REAL, high REAL, qualifier TEXT NOT NULL,
        unit TEXT, per TEXT, noun TEXT, measure TEXT NOT NULL, statement INTEGER,
        PRIMARY KEY (doc, idx)
    );
    """,
    # 2: keep the decoded source text, so documents can be re-extracted (`evidence reindex`)
    """
    ALTER TABLE documents ADD COLUMN raw_text TEXT
    """,
]


def default_db_path() -> Path:
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("ceasefire")) / "evidence.sqlite"


#: how long a writer waits for another one to finish (WAL mode lets readers go on meanwhile)
BUSY_TIMEOUT_S = 60.0


class StoreFault(InputError, sqlite3.OperationalError):
    """A fault of the SQLite store itself, with a one-paragraph message. It is an
    :class:`InputError` (the CLI prints it and exits 2) and still a SQLite error for
    Python callers that catch those."""


def db_fault(exc: sqlite3.Error, where: str, action: str) -> StoreFault:
    """One paragraph for a fault of the SQLite store itself (full disk, read-only file,
    damaged file, another writer holding it), saying what was or was not changed."""
    msg = str(exc).lower()
    if "full" in msg:
        text = (f"the disk holding the evidence store is full (or the store reached its size limit) while trying "
                f"to {action}; the transaction was rolled back, so the store is as it was before. Free some "
                "space, or use another store with --db.")
    elif "readonly" in msg or "read-only" in msg or "read only" in msg:
        text = (f"the evidence store is read-only (file or folder permissions, or a read-only disk), so could not "
                f"{action}; nothing was changed. Make the file and its folder writable, or use another store "
                "with --db.")
    elif "malformed" in msg or "not a database" in msg or "corrupt" in msg:
        text = (f"is not a usable evidence store: it is damaged, or is not an evidence store (SQLite: {exc}), "
                f"so could not {action}; nothing was changed. Restore it from a backup, or start a new store with --db NEW "
                "and add the articles again (`ceasefire evidence add`).")
    elif "locked" in msg or "busy" in msg:
        text = (f"another process kept the evidence store busy for more than {BUSY_TIMEOUT_S:.0f} s, so could not "
                f"{action}; nothing was changed. Try again when it has finished.")
    elif "unable to open" in msg:
        text = (f"cannot open the evidence store (the folder may not exist or not be writable), so could not "
                f"{action}. Use another store with --db.")
    else:
        text = f"the evidence store failed while trying to {action} (SQLite: {exc}); nothing was changed."
    return StoreFault(text, where)


def _guarded(action: str):
    """Method decorator: SQLite faults while reading become one-paragraph InputErrors."""
    def wrap(fn):
        @functools.wraps(fn)
        def inner(self, *args, **kwargs):
            try:
                return fn(self, *args, **kwargs)
            except sqlite3.Error as exc:
                raise db_fault(exc, str(self.path), action) from None
        return inner
    return wrap


class Store:
    """An open evidence database (SQLite in WAL mode: concurrent writers wait for each
    other, up to :data:`BUSY_TIMEOUT_S`, instead of failing)."""

    def __init__(self, path: str | Path | None = None, *, create: bool = True):
        self.path = Path(path) if path is not None else default_db_path()
        where = str(self.path)
        if not create and not self.path.exists():
            raise InputError("no evidence store here; add documents first with `ceasefire evidence add FILES`"
                             " or name the store with --db", where)
        if self.path.exists() and not self.path.is_file():
            raise InputError("is not a file; name the evidence store file with --db", where)
        self.conn = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            self.conn.execute("PRAGMA foreign_keys = ON")
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if create:
                self.conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as exc:
            self._close_quietly()
            raise db_fault(exc, where, "open it") from None
        except OSError as exc:
            self._close_quietly()
            raise InputError(f"cannot create the evidence store: {exc.strerror or exc}", where) from None
        if version > len(MIGRATIONS):
            self._close_quietly()
            raise InputError(
                f"was written by a newer ceasefire (schema {version}, this version knows {len(MIGRATIONS)}); "
                "upgrade ceasefire", where)
        try:
            self._migrate(version)
        except InputError:
            self._close_quietly()
            raise

    def _close_quietly(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            except sqlite3.Error:  # pragma: no cover
                pass

    def _rollback(self) -> None:
        """Roll back if a transaction is still open (SQLite ends it itself on a full disk)."""
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:  # pragma: no cover - the transaction is gone either way
                pass

    def _migrate(self, version: int) -> None:
        for v in range(version, len(MIGRATIONS)):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                if self.conn.execute("PRAGMA user_version").fetchone()[0] > v:
                    self.conn.execute("COMMIT")  # another process upgraded it while we waited
                    continue
                for stmt in _split_sql(MIGRATIONS[v]):
                    self.conn.execute(stmt)
                self.conn.execute(f"PRAGMA user_version = {v + 1}")
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                raise db_fault(exc, str(self.path), f"upgrade it to schema {v + 1}") from None

    def _write(self, action: str, body) -> None:
        """Run ``body(cursor)`` in one IMMEDIATE transaction: all or nothing."""
        cur = self.conn.cursor()
        try:
            cur.execute("BEGIN IMMEDIATE")
            body(cur)
            cur.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise db_fault(exc, str(self.path), action) from None
        except BaseException:
            self._rollback()
            raise

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing -----------------------------------------------------------
    def add(self, items: Iterable[Evidence]) -> list[dict]:
        """Store documents in one transaction; returns one report row per document."""
        items = list(items)
        report: list[dict] = []

        def body(cur):
            report.clear()
            report.extend(self._add_one(cur, ev) for ev in items)
        self._write("add the documents", body)
        return report

    def _add_one(self, cur: sqlite3.Cursor, ev: Evidence) -> dict:
        raw = ev.raw
        row = cur.execute("SELECT doc_id FROM documents WHERE sha256 = ?", (raw.sha256,)).fetchone()
        if row is not None:
            return {"doc": row["doc_id"], "file": raw.path, "status": "already stored", "paragraphs": len(ev.paragraphs),
                    "dropped": len(ev.dropped), "statements": len(ev.statements), "figures": len(ev.figures),
                    "warnings": []}
        doc_id = raw.doc_id
        warnings = list(ev.warnings)
        if cur.execute("SELECT 1 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone():
            new_id = f"{doc_id}-{raw.sha256[:8]}"
            warnings.append(f"another document is already stored as {doc_id}; this one is {new_id}")
            doc_id = new_id
        cur.execute(
            "INSERT INTO documents (doc_id, sha256, source_path, format, encoding, title, byline, published, added_at,"
            " extractor_version, warnings, raw_text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (doc_id, raw.sha256, raw.path, raw.fmt, raw.encoding, ev.title, ev.byline, ev.date,
             datetime.now(timezone.utc).isoformat(timespec="seconds"), EXTRACTOR_VERSION, json.dumps(warnings),
             raw.text or None),
        )
        key = cur.lastrowid
        self._write_extraction(cur, key, ev)
        return {"doc": doc_id, "file": raw.path, "status": "added", "paragraphs": len(ev.paragraphs),
                "dropped": len(ev.dropped), "statements": len(ev.statements), "figures": len(ev.figures),
                "warnings": warnings}

    def _write_extraction(self, cur: sqlite3.Cursor, key: int, ev: Evidence) -> None:
        cur.executemany("INSERT INTO paragraphs VALUES (?,?,?,?)",
                        [(key, i, o, t) for i, (o, t) in enumerate(zip(ev.orig_idx, ev.paragraphs))])
        cur.executemany("INSERT INTO dropped VALUES (?,?,?,?,?,?)",
                        [(key, i, d.orig_idx, d.rule, d.reason, d.text) for i, d in enumerate(ev.dropped)])
        cur.executemany(
            'INSERT INTO statements VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
            [(key, i, s.para, s.start, s.end, s.kind, s.cue, s.speaker.text, s.speaker.name, s.speaker.role,
              s.speaker.kind, s.speaker.how, s.text, json.dumps(s.quotes)) for i, s in enumerate(ev.statements)],
        )
        cur.executemany(
            'INSERT INTO figures VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
            [(key, i, lf.para, lf.figure.start, lf.figure.end, lf.figure.text, lf.figure.value, lf.figure.low,
              lf.figure.high, lf.figure.qualifier, lf.figure.unit, lf.figure.per, lf.figure.noun, lf.figure.measure,
              lf.statement) for i, lf in enumerate(ev.figures)],
        )

    @_guarded("remove the documents")
    def remove(self, doc_ids: list[str]) -> list[str]:
        """Delete documents and everything extracted from them (one transaction)."""
        rows = [self._doc_key(d) for d in doc_ids]

        def body(cur):
            for r in rows:
                cur.execute("DELETE FROM documents WHERE id = ?", (r["id"],))
        self._write("remove the documents", body)
        return [r["doc_id"] for r in rows]

    @_guarded("re-extract the documents")
    def reindex(self, doc_ids: list[str] | None = None, *, all_versions: bool = False) -> list[dict]:
        """Re-run cleaning and extraction on stored source text (documents extracted by an
        older rule version, or all with ``all_versions``), in one transaction."""
        from .ingest import parse_text
        from .pipeline import process_raw

        if doc_ids:
            rows = [self._doc_key(d) for d in doc_ids]
        else:
            rows = self.conn.execute("SELECT * FROM documents ORDER BY doc_id").fetchall()
        report = []
        todo = []
        for r in rows:
            if not all_versions and not doc_ids and r["extractor_version"] == EXTRACTOR_VERSION:
                continue
            if r["raw_text"] is None:
                report.append({"doc": r["doc_id"], "status": "no stored source text (added before schema 2); "
                               "remove it and add the file again"})
                continue
            raw = parse_text(r["raw_text"], r["format"], where=r["source_path"], doc_id=r["doc_id"],
                             sha256=r["sha256"], encoding=r["encoding"])
            todo.append((r, process_raw(raw)))
        done: list[dict] = []

        def body(cur):
            done.clear()
            for r, ev in todo:
                for table in ("paragraphs", "dropped", "statements", "figures"):
                    cur.execute(f"DELETE FROM {table} WHERE doc = ?", (r["id"],))
                self._write_extraction(cur, r["id"], ev)
                # metadata the rules no longer find (or the user gave with --title) is kept
                cur.execute("UPDATE documents SET extractor_version = ?, title = COALESCE(?, title), "
                            "byline = COALESCE(?, byline), published = COALESCE(?, published) WHERE id = ?",
                            (EXTRACTOR_VERSION, ev.title, ev.byline, ev.date, r["id"]))
                done.append({"doc": r["doc_id"], "status": "re-extracted", "paragraphs": len(ev.paragraphs),
                             "statements": len(ev.statements), "figures": len(ev.figures)})
        self._write("re-extract the documents", body)
        return report + done

    # -- reading -----------------------------------------------------------
    @_guarded("read it")
    def _doc_key(self, doc_id: str) -> sqlite3.Row:
        row = self.conn.execute("SELECT * FROM documents WHERE doc_id = ? OR sha256 = ?", (doc_id, doc_id)).fetchone()
        if row is None:
            rows = self.conn.execute(f"SELECT * FROM documents WHERE doc_id LIKE ? {_ESC} OR sha256 LIKE ? {_ESC}",
                                     (_like_escape(doc_id) + "%", _like_escape(doc_id) + "%")).fetchall()
            if len(rows) == 1:
                return rows[0]
            known = ", ".join(r["doc_id"] for r in self.conn.execute("SELECT doc_id FROM documents LIMIT 10"))
            raise InputError(f"no stored document {doc_id!r}" + (f" ({len(rows)} match that prefix)" if rows else "")
                             + (f"; stored: {known}" if known else "; the store is empty"), str(self.path))
        return row

    @_guarded("read it")
    def find_document(self, doc_id: str) -> dict | None:
        row = self.conn.execute("SELECT * FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return _doc_dict(row) if row else None

    @_guarded("list the documents")
    def documents(self) -> list[dict]:
        rows = self.conn.execute(
            "SELECT d.*, (SELECT COUNT(*) FROM paragraphs p WHERE p.doc = d.id) AS n_paragraphs,"
            " (SELECT COUNT(*) FROM dropped x WHERE x.doc = d.id) AS n_dropped,"
            " (SELECT COUNT(*) FROM statements s WHERE s.doc = d.id) AS n_statements,"
            " (SELECT COUNT(*) FROM figures f WHERE f.doc = d.id) AS n_figures FROM documents d ORDER BY d.doc_id"
        ).fetchall()
        return [_doc_dict(r) | {k: r[k] for k in ("n_paragraphs", "n_dropped", "n_statements", "n_figures")}
                for r in rows]

    @_guarded("read the document")
    def document(self, doc_id: str) -> dict:
        row = self._doc_key(doc_id)
        d = _doc_dict(row)
        d["paragraphs"] = [dict(r) for r in self.conn.execute(
            "SELECT idx, orig_idx, text FROM paragraphs WHERE doc = ? ORDER BY idx", (row["id"],))]
        d["dropped"] = [dict(r) for r in self.conn.execute(
            "SELECT orig_idx, rule, reason, text FROM dropped WHERE doc = ? ORDER BY seq", (row["id"],))]
        return d

    def text_of(self, doc_id: str) -> tuple[list[str], list[dict]]:
        """(kept paragraphs, dropped rows) of a stored document."""
        d = self.document(doc_id)
        return [p["text"] for p in d["paragraphs"]], d["dropped"]

    @_guarded("read the statements")
    def statements(self, *, doc: str | None = None, speaker: str | None = None, text: str | None = None) -> list[dict]:
        q = ("SELECT d.doc_id, s.* FROM statements s JOIN documents d ON d.id = s.doc WHERE 1=1")
        args: list = []
        if doc:
            q += " AND s.doc = ?"
            args.append(self._doc_key(doc)["id"])
        if speaker:
            q += f" AND (s.speaker LIKE ? {_ESC} OR s.speaker_text LIKE ? {_ESC} OR s.speaker_role LIKE ? {_ESC})"
            args += [_contains(speaker)] * 3
        if text:
            q += f" AND s.text LIKE ? {_ESC}"
            args.append(_contains(text))
        q += " ORDER BY d.doc_id, s.idx"
        out = []
        for r in self.conn.execute(q, args):
            row = {k: r[k] for k in r.keys() if k != "doc"}
            row["doc"] = row.pop("doc_id")
            row["quotes"] = json.loads(row["quotes"])
            out.append(row)
        return out

    @_guarded("read the figures")
    def figures(self, *, doc: str | None = None, speaker: str | None = None, unit: str | None = None,
                text: str | None = None) -> list[dict]:
        q = ("SELECT d.doc_id, f.*, s.speaker AS speaker, s.speaker_role AS speaker_role FROM figures f "
             "JOIN documents d ON d.id = f.doc LEFT JOIN statements s ON s.doc = f.doc AND s.idx = f.statement WHERE 1=1")
        args: list = []
        if doc:
            q += " AND f.doc = ?"
            args.append(self._doc_key(doc)["id"])
        if speaker:
            q += f" AND s.speaker LIKE ? {_ESC}"
            args.append(_contains(speaker))
        if unit:
            q += f" AND f.unit LIKE ? {_ESC}"
            args.append(_contains(unit))
        if text:
            q += f" AND (f.measure LIKE ? {_ESC} OR f.text LIKE ? {_ESC})"
            args += [_contains(text)] * 2
        q += " ORDER BY d.doc_id, f.idx"
        out = []
        for r in self.conn.execute(q, args):
            row = {k: r[k] for k in r.keys() if k != "doc"}
            row["doc"] = row.pop("doc_id")
            out.append(row)
        return out

    @_guarded("search it")
    def search(self, query: str, *, doc: str | None = None, limit: int = 50) -> list[dict]:
        """Paragraphs containing every word of ``query`` (a quoted part must appear as a phrase)."""
        import re as _re

        phrases = _re.findall(r'"([^"]+)"', query)
        words = _re.sub(r'"[^"]+"', " ", query).split()
        terms = [*phrases, *words]
        if not terms:
            raise InputError("give words to search for")
        q = "SELECT d.doc_id, p.idx, p.text FROM paragraphs p JOIN documents d ON d.id = p.doc WHERE 1=1"
        args: list = []
        for t in terms:
            q += f" AND p.text LIKE ? {_ESC}"
            args.append(_contains(t))
        if doc:
            q += " AND p.doc = ?"
            args.append(self._doc_key(doc)["id"])
        q += " ORDER BY d.doc_id, p.idx LIMIT ?"
        args.append(limit)
        return [{"doc": r["doc_id"], "paragraph": r["idx"], "text": r["text"]} for r in self.conn.execute(q, args)]


#: LIKE patterns escape their wildcards: `evidence search 50%` finds "50%", not "50" and anything
_ESC = "ESCAPE '\\'"


def _like_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains(s: str) -> str:
    """A LIKE pattern matching ``s`` literally anywhere (``%`` and ``_`` are not wildcards)."""
    return f"%{_like_escape(s)}%"


def _doc_dict(row: sqlite3.Row) -> dict:
    return {
        "doc": row["doc_id"], "sha256": row["sha256"], "file": row["source_path"], "format": row["format"],
        "encoding": row["encoding"], "title": row["title"], "byline": row["byline"], "date": row["published"],
        "added_at": row["added_at"], "extractor_version": row["extractor_version"],
        "warnings": json.loads(row["warnings"]),
    }


def _split_sql(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
