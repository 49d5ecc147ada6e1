"""One article from file to evidence: read -> clean -> statements -> figures (linked)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .clean import Dropped, clean_paragraphs
from .figures import Figure, extract_figures
from .ingest import MAX_BYTES_DEFAULT, RawDocument, read_document
from .statements import Statement, extract_statements

#: bumped when extraction rules change, so stored results can be told apart
EXTRACTOR_VERSION = "3"


@dataclass
class LinkedFigure:
    figure: Figure
    para: int
    statement: int | None  # index into the document's statements


@dataclass
class Evidence:
    raw: RawDocument
    paragraphs: list[str]
    orig_idx: list[int]
    dropped: list[Dropped]
    statements: list[Statement]
    figures: list[LinkedFigure]
    title: str | None = None
    byline: str | None = None
    date: str | None = None
    warnings: list[str] = field(default_factory=list)


def process_raw(raw: RawDocument) -> Evidence:
    cleaned = clean_paragraphs(raw.paragraphs, title=raw.title, byline=raw.byline, date=raw.date)
    dropped = [Dropped(-1, text, "reader", reason) for text, reason in raw.pre_dropped] + cleaned.dropped
    statements = extract_statements(cleaned.paragraphs)
    figures: list[LinkedFigure] = []
    by_para: dict[int, list[int]] = {}
    for si, st in enumerate(statements):
        by_para.setdefault(st.para, []).append(si)
    for pi, para in enumerate(cleaned.paragraphs):
        for fig in extract_figures(para):
            link = next((si for si in by_para.get(pi, ())
                         if statements[si].start <= fig.start and fig.end <= statements[si].end + 1), None)
            figures.append(LinkedFigure(fig, pi, link))
    warnings = list(raw.warnings)
    if not cleaned.paragraphs:
        warnings.append("every paragraph was dropped as noise: the document is stored with no text "
                        "(see `evidence show DOC --dropped`)")
    return Evidence(raw=raw, paragraphs=cleaned.paragraphs, orig_idx=cleaned.orig_idx, dropped=dropped,
                    statements=statements, figures=figures, title=cleaned.title, byline=cleaned.byline,
                    date=cleaned.date, warnings=warnings)


def process_file(path: str | Path, *, max_bytes: int = MAX_BYTES_DEFAULT, encoding: str | None = None) -> Evidence:
    return process_raw(read_document(path, max_bytes=max_bytes, encoding=encoding))
