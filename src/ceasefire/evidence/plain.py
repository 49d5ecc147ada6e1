"""Plain-text and Markdown readers: paragraphs out of lines and blocks (Markdown parsed by
markdown-it-py).

Scraped articles come in two layouts: one paragraph per line (the seed articles),
or blocks separated by blank lines whose lines are hard-wrapped at a fixed width.
A block is joined into one paragraph when it looks hard-wrapped (its lines but the
last are long and most do not end a sentence); otherwise each line is a paragraph.
"""

from __future__ import annotations

import re

from .article import Article


def _is_wrapped(lines: list[str]) -> bool:
    """Hard-wrapped at a fixed width: the lines but the last are long, of about the same
    length (a page header of a menu line, a headline and a date line is not), and most do
    not end a sentence; two lines only when the second carries on the first's sentence."""
    if len(lines) < 2:
        return False
    body = lines[:-1]
    long_lines = sum(1 for ln in body if len(ln) >= 40)
    open_ends = sum(1 for ln in body if not re.search(r"[.!?:\"'\u201d)]$", ln.rstrip()))
    if not (long_lines >= 0.8 * len(body) and open_ends >= 0.5 * len(body)):
        return False
    widths = [len(ln) for ln in body]
    carries_on = any(ln[:1].islower() for ln in lines[1:]) or any(ln.rstrip()[-1:] in ",;-" for ln in body)
    if len(body) >= 2:
        return min(widths) >= 0.6 * max(widths) and len(lines[-1]) <= max(widths) + 10 and carries_on
    return lines[1][:1].islower() or lines[0].rstrip()[-1:] in ",;-" or len(lines[1]) <= len(lines[0]) + 10 \
        and not _HEADER_LINE.search(lines[1])


#: a line that is a page header of its own: a date, a time or a reading-time note
_HEADER_LINE = re.compile(r"\b\d{1,2}:\d{2}\b|\b(?:19|20)\d{2}\b|\bmin(?:ute)?s? read\b", re.I)


def split_paragraphs(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        if not lines:
            continue
        if _is_wrapped(lines):
            joined = ""
            for ln in lines:
                if joined.endswith("-") and not joined.endswith(" -") and ln[:1].islower():
                    joined = joined[:-1] + ln  # hyphenated line break
                else:
                    joined = f"{joined} {ln}" if joined else ln
            paragraphs.append(joined)
        else:
            paragraphs.extend(lines)
    return [re.sub(r"[ \t]+", " ", p) for p in paragraphs]


def text_to_article(text: str) -> Article:
    return Article(paragraphs=split_paragraphs(text))


_FRONT_MATTER = re.compile(r"^---\n(.*?)\n---\n", re.S)


def _front_matter(text: str) -> tuple[dict[str, str], str | None, str]:
    """YAML-style front matter (``title:``, ``author:``/``byline:``, ``date:``) as simple
    key/value lines; returns (fields, the block's text or None, the rest of the text)."""
    fm = _FRONT_MATTER.match(text)
    if not fm:
        return {}, None, text
    fields: dict[str, str] = {}
    for line in fm.group(1).splitlines():
        k, _, v = line.partition(":")
        k, v = k.strip().lower(), v.strip().strip("\"'")
        if k == "byline":
            k = "author"
        if k in ("title", "author", "date") and v and k not in fields:
            fields[k] = v
    return fields, fm.group(1), text[fm.end():]


def _inline_lines(token, pre_dropped: list[tuple[str, str]]) -> str:
    """The plain text of a markdown-it inline token: markup and inline HTML removed, links
    kept as their text, soft line breaks kept as newlines (so hard-wrapped and
    one-sentence-per-line blocks are told apart as in plain text), images recorded as
    dropped photo captions."""
    out: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif child.type == "image":
            alt = "".join(c.content for c in child.children or []) or child.content
            pre_dropped.append((alt or child.attrs.get("src", "image"), "photo caption (Markdown image)"))
    return "".join(out)


def markdown_to_article(text: str) -> Article:
    """Markdown to paragraphs with markdown-it-py (CommonMark): the first level-1/2 heading
    is the title (unless front matter gave one), images are recorded as dropped photos
    (their alt text is the caption), markup is removed; headings, list items and quoted
    blocks are paragraphs."""
    from markdown_it import MarkdownIt  # noqa: PLC0415 - comes with rich, a core dependency

    text = text.replace("\r\n", "\n")
    pre_dropped: list[tuple[str, str]] = []
    fields, fm_text, text = _front_matter(text)
    if fm_text is not None:
        pre_dropped.append((fm_text, "front matter (moved to metadata)"))
    title = fields.get("title")
    paragraphs: list[str] = []
    tokens = MarkdownIt("commonmark").parse(text)
    for i, tok in enumerate(tokens):
        if tok.type in ("code_block", "fence", "html_block"):
            # indented text is a code block in CommonMark; scraped articles indent paragraphs
            body = re.sub(r"<[^>]+>", "", tok.content) if tok.type == "html_block" else tok.content
            paragraphs.extend(split_paragraphs(body))
            continue
        if tok.type != "inline":
            continue
        block = tokens[i - 1] if i else None
        body = _inline_lines(tok, pre_dropped)
        if block is not None and block.type == "heading_open":
            heading = " ".join(body.split())
            if title is None and block.tag in ("h1", "h2"):
                title = heading
                pre_dropped.append((heading, "title (moved to metadata)"))
            elif heading:
                paragraphs.append(heading)
            continue
        paragraphs.extend(split_paragraphs(body))
    return Article(paragraphs=paragraphs, title=title, byline=fields.get("author"), date=fields.get("date"),
                   pre_dropped=pre_dropped)
