"""The scenario's parameters as the page lists them: grouped by mechanism, each with its source.

A parameter's mechanism is the part of the scenario it lives in (a side's
``manpower``, ``ammunition``, ``strikes``, ``economy``, ``combat``, ``front``,
``will``; a supporter; the global combat law), read from its dotted path, so a
new scenario or a new schema field is grouped without a table to maintain. The
description and unit come from the schema's field descriptions.

For a source that quotes a document, :func:`find_paragraph` returns the
paragraph of the stored document that contains the quote: from the evidence
store when one is available, else from the document's file beside the scenario
(``documents.<id>.file``, or ``<id>.txt``/``.md``/``.html``) in the directories
the server was given.
"""

from __future__ import annotations

import html as html_lib
import importlib.util
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from pydantic import BaseModel

from ..scenario import Scenario, Source

_MECHANISM_TITLES = {
    "manpower": "Manpower and training",
    "ammunition": "Ammunition and production",
    "strikes": "Deep strikes",
    "economy": "Economy, energy, displacement",
    "combat": "Combat (attrition)",
    "front": "Front and territory",
    "will": "Political will",
}
SUPPORT_TITLE = "Outside support and will"
COMBAT_LAW_TITLE = "Combat law (all sides)"


@dataclass(frozen=True)
class ParamRow:
    """One line of the parameters panel."""

    path: str
    mechanism: str
    owner: str  # side or supporter label, or "all"
    name: str  # the field's name within its mechanism (``shells_stock``, ``waves.0.personnel``)
    description: str
    value: str  # value or distribution as text
    uncertain: bool
    source_kind: str  # doc | ref | assumption
    source: str  # one line
    doc: str | None
    quote: str | None
    what_if: str  # the session's what-if text, or ""


def _field_description(scenario: Scenario, path: str) -> str:
    node: object = scenario
    parts = path.split(".")
    parent: object = None
    for part in parts:
        parent = node
        if isinstance(node, BaseModel):
            node = getattr(node, part)
        elif isinstance(node, dict):
            node = node[part]
        elif isinstance(node, list):
            node = node[int(part)]
    if isinstance(parent, BaseModel):
        info = type(parent).model_fields.get(parts[-1])
        if info is not None and info.description:
            return info.description
    return ""


def classify(scenario: Scenario, path: str) -> tuple[str, str, str]:
    """(mechanism title, owner label, short name) of a dotted parameter path."""
    parts = path.split(".")
    if parts[0] == "sides" and len(parts) >= 4:
        side = scenario.sides.get(parts[1])
        owner = side.label if side else parts[1]
        return _MECHANISM_TITLES.get(parts[2], parts[2].replace("_", " ").capitalize()), owner, ".".join(parts[3:])
    if parts[0] == "supporters" and len(parts) >= 3:
        sup = scenario.supporters.get(parts[1])
        return SUPPORT_TITLE, sup.label if sup else parts[1], ".".join(parts[2:])
    if parts[0] == "combat":
        return COMBAT_LAW_TITLE, "all", ".".join(parts[1:])
    return parts[0].replace("_", " ").capitalize(), "all", ".".join(parts[1:]) or parts[0]


def parameter_rows(scenario: Scenario, what_ifs: dict[str, str] | None = None) -> list[ParamRow]:
    """Every numeric value of the scenario, grouped (stable order) by mechanism then owner."""
    what_ifs = what_ifs or {}
    rows: list[ParamRow] = []
    for path, param in scenario.params():
        mech, owner, name = classify(scenario, path)
        src: Source = param.source
        rows.append(
            ParamRow(
                path=path,
                mechanism=mech,
                owner=owner,
                name=name,
                description=_field_description(scenario, path),
                value=param.describe() + (f" {param.unit}" if param.unit else ""),
                uncertain=param.is_uncertain,
                source_kind=src.kind,
                source=src.describe(),
                doc=src.doc,
                quote=src.quote,
                what_if=what_ifs.get(path, ""),
            )
        )
    order = {m: i for i, m in enumerate([*_MECHANISM_TITLES.values(), SUPPORT_TITLE, COMBAT_LAW_TITLE])}
    rows.sort(key=lambda r: (order.get(r.mechanism, len(order)), r.mechanism))  # stable: keeps path order within
    return rows


# ------------------------------------------------------------------ paragraphs of documents
def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.translate({0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"', 0x2013: "-", 0x2014: "-", 0xA0: " "})
    return re.sub(r"\s+", " ", text).strip().lower()


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a stored article: blank-line separated, or one per line when there are no blank lines."""
    if re.search(r"\n\s*\n", text):
        parts = re.split(r"\n\s*\n", text)
    else:
        parts = text.splitlines()
    return [" ".join(p.split()) for p in parts if p.strip()]


def paragraph_containing(text: str, quote: str) -> str | None:
    """The first paragraph of ``text`` that contains ``quote`` (case, spacing and curly quotes ignored)."""
    q = _norm(quote)
    if not q:
        return None
    for para in split_paragraphs(text):
        if q in _norm(para):
            return para
    return None


def store_paragraph(doc: str, quote: str, db_path: Path | None = None) -> str | None:
    """The paragraph of ``doc`` containing ``quote`` in the evidence store (issue 3), if both are there.

    Uses :class:`ceasefire.evidence.store.Store` (the SQLite store ``ceasefire evidence add``
    writes; ``db_path`` or its default location) and the citation checker's own
    quote matcher, so the page shows the paragraph the checker would accept.
    """
    if importlib.util.find_spec("ceasefire.evidence.store") is None:
        return None
    from ..errors import InputError
    from ..evidence.check import find_quote
    from ..evidence.store import Store, default_db_path

    path = Path(db_path) if db_path is not None else default_db_path()
    if not path.exists():
        return None
    try:
        with Store(path, create=False) as store:
            if store.find_document(doc) is None:
                return None
            paragraphs, _dropped = store.text_of(doc)
    except (InputError, OSError, Exception):  # noqa: BLE001 - an unreadable store means "not there"
        return None
    hit = find_quote(quote, paragraphs)
    return paragraphs[hit[0]] if hit else None


def find_paragraph(scenario: Scenario, doc: str, quote: str, search_dirs: Iterable[Path],
                   db_path: Path | None = None) -> tuple[str, str] | None:
    """(paragraph, where it was found) for a quoted source, or None when the document is not available."""
    para = store_paragraph(doc, quote, db_path)
    if para:
        return para, "the evidence store"
    names = []
    meta = scenario.documents.get(doc)
    if meta is not None and meta.file:
        names.append(meta.file)
    names += [f"{doc}{ext}" for ext in (".txt", ".md", ".html")]
    for d in search_dirs:
        for name in names:
            p = Path(d) / name
            if p.is_file():
                try:
                    text = p.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    continue
                if p.suffix.lower() in (".html", ".htm"):
                    text = re.sub(r"<(p|br|div|h\d|li)[^>]*>", "\n\n", text, flags=re.I)
                    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", text))
                para = paragraph_containing(text, quote)
                if para:
                    return para, str(p)
    return None


def document_title(scenario: Scenario, doc: str) -> str:
    meta = scenario.documents.get(doc)
    if meta is None:
        return doc
    bits = [meta.title] + [b for b in (meta.publisher, meta.date) if b]
    return ", ".join(bits)
