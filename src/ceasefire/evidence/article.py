"""What a format reader (:mod:`.plain`, :mod:`.html`) returns: paragraphs and metadata.

Kept in its own module so the readers and :mod:`.ingest`, which dispatches to them,
do not import each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Article:
    """Paragraphs of one article as its reader split them, with any metadata it found."""

    paragraphs: list[str]
    title: str | None = None
    byline: str | None = None
    date: str | None = None
    warnings: list[str] = field(default_factory=list)
    #: blocks the reader itself removed (Markdown images, HTML boilerplate), as (text, reason)
    pre_dropped: list[tuple[str, str]] = field(default_factory=list)
