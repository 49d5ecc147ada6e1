"""Read an article file into paragraphs and metadata: plain text, Markdown or HTML.

Every failure is an :class:`~ceasefire.errors.InputError` naming the file and the fix:
binary files (PDF, images, archives), files over the size limit, empty files and
HTML pages with no article text. Text that is not UTF-8 is decoded as Windows-1252
(the usual legacy encoding of English-language news archives; every byte decodes)
unless charset-normalizer finds an encoding that reads clearly more cleanly, and the
document records which, so nothing is decoded silently.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .article import Article  # noqa: F401 - re-exported for callers of the old location
from .plain import markdown_to_article, text_to_article

#: Default largest file accepted, in bytes. A news article is tens of kilobytes;
#: a file of many megabytes is an archive dump to split first.
MAX_BYTES_DEFAULT = 10 * 1024 * 1024

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx"}
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}

_MAGIC = [
    (b"%PDF", "a PDF file; extract its text first (e.g. `pdftotext FILE.pdf`)"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/ODF document); unpack it or save the article as text"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive; decompress it first"),
    (b"{\\rtf", "an RTF document; save it as plain text first"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document; save it as plain text first"),
]


@dataclass
class RawDocument:
    """A file read and split into paragraphs, before cleaning."""

    path: str
    doc_id: str
    sha256: str
    fmt: str
    encoding: str
    paragraphs: list[str]
    title: str | None = None
    byline: str | None = None
    date: str | None = None
    warnings: list[str] = field(default_factory=list)
    #: blocks removed by the format reader itself (Markdown images, HTML boilerplate), (text, reason)
    pre_dropped: list[tuple[str, str]] = field(default_factory=list)
    #: the decoded file, kept so stored documents can be re-extracted when the rules change
    text: str = ""


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode_bytes(data: bytes, where: str, encoding: str | None = None) -> tuple[str, str, list[str]]:
    """Decode file bytes; returns (text, encoding used, warnings)."""
    warnings: list[str] = []
    if encoding:
        try:
            return data.decode(encoding), encoding, warnings
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(f"cannot decode as {encoding}: {exc}. Check the --encoding name.", where) from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig", warnings
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", warnings
        except UnicodeDecodeError:
            raise InputError("starts with a UTF-16 byte-order mark but does not decode as UTF-16", where) from None
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    text, enc = guess_legacy_encoding(data)
    warnings.append(
        f"not valid UTF-8; decoded as {enc} (guessed by charset-normalizer; Windows-1252 unless another "
        "encoding reads much more cleanly). If characters look wrong, re-add with --encoding NAME"
    )
    return text, enc, warnings


#: how much less messy (charset-normalizer's chaos ratio) another encoding must read than
#: Windows-1252 to be preferred: on short Latin-alphabet text its guesses between
#: cp1250/cp1252/latin-1 are noise, while Cyrillic or Polish bytes read as cp1252 are mojibake
#: (chaos ~1.0 against ~0.0).
_CHAOS_MARGIN = 0.1


def guess_legacy_encoding(data: bytes) -> tuple[str, str]:
    """Decode bytes that are not UTF-8: Windows-1252 (the usual legacy encoding of
    English-language news archives), unless charset-normalizer finds an encoding that reads
    clearly more cleanly (Windows-1251 for Russian or Ukrainian, Windows-1250 for Polish).
    Without charset-normalizer (the ``[evidence]`` extra), Windows-1252, else Latin-1."""
    try:
        text, enc = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, enc = data.decode("latin-1"), "latin-1"
    try:
        import charset_normalizer  # noqa: PLC0415 - optional
    except ImportError:  # pragma: no cover - depends on the environment
        return text, enc
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.encoding in ("cp1252", "latin_1", "ascii"):
        return text, enc
    western = charset_normalizer.from_bytes(data, cp_isolation=[enc]).best()
    western_chaos = western.chaos if western is not None else 1.0
    if str(best) != text and best.chaos + _CHAOS_MARGIN < western_chaos:
        return str(best), best.encoding
    return text, enc


def _looks_binary(data: bytes) -> str | None:
    head = data[:8192]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 text has NULs
    if b"\x00" in head:
        return "a binary file (it contains NUL bytes)"
    ctrl = sum(1 for b in head if b < 9 or 13 < b < 32)
    if head and ctrl / len(head) > 0.05:
        return "a binary file (many control bytes)"
    return None


def sniff_format(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    head = text[:2048].lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) or re.search(r"<(body|article|p|div)[\s>]", head):
        return "html"
    return "text"


def read_document(path: str | Path, *, max_bytes: int = MAX_BYTES_DEFAULT, encoding: str | None = None,
                  doc_id: str | None = None) -> RawDocument:
    """Read one article file. Raises :class:`InputError` for anything that is not an article."""
    p = Path(path)
    where = str(p)
    if not p.exists():
        raise InputError("no such file", where)
    if p.is_dir():
        raise InputError("is a directory; pass the article files (e.g. DIR/*.txt)", where)
    size = p.stat().st_size
    if size > max_bytes:
        raise InputError(
            f"is {size / 2**20:.1f} MB, over the {max_bytes / 2**20:.1f} MB limit for one article. "
            "Split an archive dump into one file per article, or raise the limit with --max-mb.",
            where,
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", where) from None
    if not data.strip():
        raise InputError("is empty: there is no text to store", where)
    what = _looks_binary(data)
    if what:
        raise InputError(f"is {what}, not an article in text, Markdown or HTML", where)
    text, enc, warnings = decode_bytes(data, where, encoding)
    fmt = sniff_format(p, text)
    return parse_text(text, fmt, where=where, doc_id=doc_id or p.stem, sha256=content_hash(data), encoding=enc,
                      warnings=warnings)


#: longest paragraph read as one; a news paragraph is a few hundred characters. Longer ones
#: (a page saved without line breaks) are split at sentence ends, so the work per paragraph
#: is bounded and a file at the size limit is read in linear time.
MAX_PARAGRAPH_CHARS = 10_000
_CHUNK_CHARS = 4_000
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")


def split_long_paragraphs(paragraphs: list[str]) -> tuple[list[str], int]:
    """Paragraphs with each one over :data:`MAX_PARAGRAPH_CHARS` cut into pieces of about
    :data:`_CHUNK_CHARS` at sentence ends (at a space when a sentence is longer still);
    returns (paragraphs, how many were split)."""
    out: list[str] = []
    n_split = 0
    for par in paragraphs:
        if len(par) <= MAX_PARAGRAPH_CHARS:
            out.append(par)
            continue
        n_split += 1
        start = 0
        while len(par) - start > MAX_PARAGRAPH_CHARS:
            m = None
            for m in _SENTENCE_END.finditer(par, start + _CHUNK_CHARS, start + MAX_PARAGRAPH_CHARS):
                break
            cut = m.end() if m else (par.rfind(" ", start + _CHUNK_CHARS, start + MAX_PARAGRAPH_CHARS) + 1
                                     or start + MAX_PARAGRAPH_CHARS)
            out.append(par[start:cut].strip())
            start = cut
        out.append(par[start:].strip())
    return [p for p in out if p], n_split


def parse_text(text: str, fmt: str, *, where: str, doc_id: str, sha256: str, encoding: str,
               warnings: list[str] | None = None) -> RawDocument:
    """Split decoded text of a known format into paragraphs and metadata."""
    warnings = list(warnings or [])
    if fmt == "html":
        from .html import html_to_article  # lazily: trafilatura is an optional extra
        art = html_to_article(text, where)
    elif fmt == "markdown":
        art = markdown_to_article(text)
    else:
        art = text_to_article(text)
    if not any(par.strip() for par in art.paragraphs):
        raise InputError("has no article text after reading it as " + fmt, where)
    paragraphs, n_split = split_long_paragraphs(art.paragraphs)
    if n_split:
        warnings.append(f"{n_split} paragraph(s) longer than {MAX_PARAGRAPH_CHARS:,} characters (text without line "
                        "breaks?) were split at sentence ends; a quote running across a split may be cut")
    return RawDocument(
        path=where, doc_id=doc_id, sha256=sha256, fmt=fmt, encoding=encoding,
        paragraphs=paragraphs, title=art.title, byline=art.byline, date=art.date,
        warnings=warnings + art.warnings, pre_dropped=art.pre_dropped, text=text,
    )

