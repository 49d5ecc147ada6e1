"""Text helpers shared by the evidence modules: quote-tolerant normalisation and sentences.

Two normalisations are used:

* :func:`fold_quotes` maps curly quotes, primes and dashes to their ASCII forms one
  character for one character, so character offsets in the folded text are offsets
  in the original. Extraction runs on folded text and reports original offsets.
* :func:`match_key` is the tolerant form used to compare a cited quote with a
  document: case, whitespace and the kind of quotation mark or apostrophe do not
  matter, words do.
"""

from __future__ import annotations

import re
import unicodedata

#: one-for-one replacements (same length) so offsets survive.
_FOLD = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2033": '"', "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2015": "-", "\u2212": "-", "\u00a0": " ",
    "\u2009": " ", "\u202f": " ", "\u2007": " ",
})

_QUOTE_CHARS = "\"'\u201c\u201d\u201e\u201f\u00ab\u00bb\u2018\u2019\u201a\u201b\u2032\u2033`"
_WS = re.compile(r"\s+")


def fold_quotes(text: str) -> str:
    """Curly quotes to straight ones, dashes to ``-``, odd spaces to spaces; same length."""
    return text.translate(_FOLD)


def match_key(text: str) -> str:
    """Tolerant comparison form: NFKC, quotes and apostrophes removed, dashes and
    whitespace unified, lower case. Changed, added or missing words still differ."""
    t = unicodedata.normalize("NFKC", text)
    t = fold_quotes(t)
    t = t.replace("\u2026", "...")
    t = re.sub(f"[{re.escape(_QUOTE_CHARS)}]", "", t)
    t = _WS.sub(" ", t)
    # a space before punctuation is a typesetting accident, not a different word
    t = re.sub(r" ([,.;:!?)\]])", r"\1", t)
    t = re.sub(r"([(\[]) ", r"\1", t)
    return t.strip().lower()


def collapse_ws(text: str) -> str:
    return _WS.sub(" ", text).strip()


_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "gov",
    "sen", "rep", "st", "jr", "sr", "vs", "no", "inc", "corp", "co", "ltd", "u.s", "u.k", "e.g",
    "i.e", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "approx", "fig", "pres", "sec", "dept", "mt", "ft", "brig",
}
#: put before ``\.`` in a pattern: the period is not one that ends an initial or one of the
#: abbreviations ``sentence_spans`` knows (``Maj. Gen. Pat Ryder``, ``U.S. Secretary``, ``Feb. 24``);
#: a look-behind per length, as Python's look-behinds have one width each
NOT_ABBREV = "(?<!\\b[A-Z])" + "".join(
    "(?<!\\b(?i:" + "|".join(sorted(re.escape(a) for a in _ABBREV if len(a) == n)) + "))"
    for n in sorted({len(a) for a in _ABBREV}))
#: a sentence end: punctuation (and closing marks) before a space, or glued to the next
#: sentence by a missing space after a lower-case word ("Lavrov added.However, ...")
_SENT_END = re.compile(r"[.!?]+[\"')\]]*(?=\s+|$)|(?<=[a-z][a-z][.!?])(?=[A-Z][a-z])")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence boundaries as (start, end) offsets.

    A sentence ends at ``.``, ``!`` or ``?`` (plus closing quotes) followed by space,
    except after a known abbreviation (``Gen.``), a single capital initial (``A.``),
    or when the next word starts in lower case (``... Chiefs of Staff. said`` in
    machine-translated text continues the sentence).
    """
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    for m in _SENT_END.finditer(text):
        end = m.end()
        # the word before the period
        before = text[start:m.start()]
        word = re.search(r"([A-Za-z.]+)$", before)
        w = word.group(1).lower() if word else ""
        if m.group().startswith(".") and (w in _ABBREV or re.fullmatch(r"[a-z]", w or "x") and word
                                          and word.group(1).isupper()):
            continue
        rest = text[end:].lstrip()
        if rest and (rest[0].islower() or rest[0] in ",;:"):
            continue
        while start < n and text[start].isspace():
            start += 1
        if end > start:
            spans.append((start, end))
        start = end
    while start < n and text[start].isspace():
        start += 1
    if start < n and text[start:].strip():
        spans.append((start, n))
    return spans
