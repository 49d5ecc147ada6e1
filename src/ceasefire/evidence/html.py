"""HTML main-text extraction with trafilatura (the optional ``[evidence]`` extra).

trafilatura is imported here, lazily, so ``import ceasefire`` never needs it.
Paragraph structure is kept by asking for its XML output and reading ``<p>``,
``<head>``, ``<quote>`` and ``<item>`` elements in order.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..errors import InputError
from .article import Article

_BLOCK_TAGS = {"p", "head", "quote", "item", "cell"}


def _require_trafilatura():
    try:
        import trafilatura  # noqa: PLC0415
    except ImportError:  # pragma: no cover - depends on the environment
        raise InputError(
            "reading HTML needs the optional trafilatura package: pip install 'ceasefire[evidence]'"
        ) from None
    return trafilatura


def html_to_article(html: str, where: str) -> Article:
    trafilatura = _require_trafilatura()
    xml = trafilatura.extract(
        html, output_format="xml", include_comments=False, include_tables=False,
        include_images=False, favor_precision=False, with_metadata=True, deduplicate=False,
    )
    if not xml:
        raise InputError(
            "no article text found in this HTML page (it may be an index or front page, a login or "
            "consent wall, or a page rendered by JavaScript). Save the article's own page, or its text.",
            where,
        )
    try:
        root = ET.fromstring(xml)
    except ET.ParseError:  # pragma: no cover - trafilatura's XML is well formed
        raise InputError("could not parse the extracted article", where) from None
    paragraphs: list[str] = []
    body = root.find("main") if root.find("main") is not None else root
    for el in body.iter():
        tag = el.tag.lower()
        if tag in _BLOCK_TAGS:
            text = re.sub(r"\s+", " ", "".join(el.itertext())).strip()
            if text:
                paragraphs.append(text)
    # navigation and link lists come out as short runs of words with no sentence in them
    has_sentence = any(len(p.split()) >= 8 and re.search(r"[.!?\"\u201d]$", p) for p in paragraphs)
    if not paragraphs or not has_sentence:
        raise InputError(
            "no article text found in this HTML page (only navigation or link lists: it may be an index or "
            "front page, a login or consent wall, or rendered by JavaScript). Save the article's own page.",
            where,
        )
    title = root.get("title") or None
    byline = root.get("author") or None
    date = root.get("date") or None
    # trafilatura may also put the title as the first heading
    if title and paragraphs and paragraphs[0].strip() == title.strip():
        paragraphs = paragraphs[1:]
    return Article(paragraphs=paragraphs, title=title, byline=byline, date=date,
                   pre_dropped=_removed_by_reader(html, paragraphs))


def _removed_by_reader(html: str, kept: list[str]) -> list[tuple[str, str]]:
    """What the main-text extractor left out, so nothing is lost silently: each photo
    caption, and one line summing up the rest of the page (menus, footer, links)."""
    try:
        import lxml.html  # noqa: PLC0415 - comes with trafilatura
        doc = lxml.html.fromstring(html)
    except Exception:  # pragma: no cover - unparsable pages already failed in trafilatura
        return []
    out: list[tuple[str, str]] = []
    kept_text = " ".join(kept)
    for cap in doc.iter("figcaption"):
        text = re.sub(r"\s+", " ", cap.text_content()).strip()
        if text and text not in kept_text:
            out.append((text, "photo caption (HTML figcaption, left out by the HTML reader)"))
    for bad in doc.xpath("//script|//style|//noscript|//figcaption|//head"):
        bad.drop_tree()
    words = re.findall(r"\w+", doc.text_content())
    kept_words = len(re.findall(r"\w+", kept_text))
    extra = len(words) - kept_words
    if extra > 0:
        out.append((f"{extra} words of page text outside the article (navigation, menus, related links, footer)",
                    "page boilerplate left out by the HTML reader"))
    return out
