"""Remove scraping noise from an article's paragraphs, recording what was dropped and why.

Each rule is a small predicate over one paragraph (and its position); the first rule
that fires drops the paragraph with a reason a reader can check (``evidence show DOC
--dropped``). Rules, in order:

* ``duplicate``: the paragraph repeats an earlier one verbatim or nearly (word 3-gram
  Jaccard similarity >= 0.8, or >= 0.9 of its 3-grams inside one earlier paragraph:
  repeated teasers and pull quotes). Scraped pages repeat their opening paragraphs
  around a paywall.
* ``paywall``: subscription, login, comment-box, newsletter and share lines.
* ``editor_note``: "Editor's note:", author bios with "opinions expressed ... are his own".
* ``caption``: photo credits ("Photo:", "/Getty Images") and caption sentences: one
  present-tense sentence about people in a picture that ends with the day it was taken
  ("a man uses ... on November 16.").
* ``title``, ``byline``, ``date``, ``dateline``: header lines near the top; their text
  moves to the document's metadata.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .text import collapse_ws, fold_quotes

HEADER_ZONE = 8  # paragraphs at the top where header lines are looked for

_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?"
DATE_RE = re.compile(
    rf"\b(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})\b"
)

_STRONG_PAYWALL = re.compile(
    r"(article limit|free articles?\b.*\b(left|remaining)|reached your .{0,30}limit|"
    r"try \d+ days? free|free trial|already a (subscriber|member)|become a (subscriber|member)|"
    r"view or post comments|comments? (are|is) (closed|disabled)|insider access|^there (are|is) \d* ?(comments? )?on this "
    r"(article|story)|"
    r"subscribe (now|today)|subscribers? only|to continue reading|unlock (this|the) article|"
    r"sign up for (our|the) .{0,30}newsletter|this (content|article) is for (subscribers|members)|"
    r"all rights reserved|^\W*\d*\s*comments?\W*$|^\W*advertisement\W*$|cookie (policy|settings)|"
    # engagement counts: "1.2K shares", "Share 45", "3,402 views", "Comments (12)"
    r"^\W*\d[\d.,]*\s*[km]?\s*(comments?|shares?|likes?|views?|replies|reactions|retweets|reposts)\W*$|"
    r"^\W*(comments?|shares?|likes?|views?|replies|reactions)\W*\d[\d.,]*\s*[km]?\W*$|"
    # blog and government-site furniture
    r"^\W*leave a (reply|comment)\W*$|your email address will not be published|^\W*be the first to comment|"
    r"^\W*source link\W*$|^\W*read more\W*$|follow our google news channel|^\W*here's how you know\W*$|"
    r"official websites use \.gov|secure \.gov websites use https|\.gov website belongs to an official|"
    r"we use cookies|privacy policy|terms of (use|service)|^our standards:|trust principles|scroll down for|"
    r"^\W*gift (this )?article\W*$|^\W*listen to (this )?(article|story)|comment on this (story|article)|"
    r"share this (story|article)|follow ([A-Z][\w.]*\s){0,3}on (whatsapp|twitter|x|facebook|telegram|instagram|"
    r"google news|threads)|get the [\w ]{0,30}\bapp\b|download (the|our) app)",
    re.I,
)
_WEAK_PAYWALL = re.compile(
    r"\b(subscribe|subscription|subscriber|log ?in|sign ?(in|up)|register|newsletter|read more|"
    r"continue reading|keep reading|read also|see also|also read|click here|share (this|on)|follow us|advertisement|sponsored|"
    r"copyright|\u00a9|download (our|the) app|related|recommended|most read|watch|listen)\b",
    re.I,
)
_IMPERATIVE = re.compile(
    r"^(subscribe|join|sign|register|log|click|follow|share|read|watch|listen|download|get|support|"
    r"try|become|create|start|unlock|see also|also read|related|recommended|more from|most read)\b", re.I)

_EDITOR = re.compile(
    r"^\W*(editor'?s'?\s+note|editors'\s+note|note from the editor|note to readers|correction|"
    r"clarification|disclosure|disclaimer)\s*[:.\-]", re.I)
_OPINION_BIO = re.compile(r"opinions? expressed in this (commentary|article|column|piece|essay) (are|is)", re.I)

_CREDIT = re.compile(
    r"(\b(photo|photograph|image|picture|credit|video)s?\s*(by|credit)?\s*:|"
    r"\((photo|image|credit)\b|[A-Za-z]\s*/\s*(getty( images)?|afp|reuters|ap|epa|shutterstock|anadolu|tass|sputnik)\b(?!/)|"
    r"\b(getty images|ap photo|afp via getty|reuters/|shutterstock)\b|^\W*(photo|image|pictured)\b)",
    re.I,
)
_CAPTION_VERB = re.compile(
    r"\b(is|are) (seen|pictured|shown)\b|\b(uses|walks?|stands?|sits?|holds?|looks?|waits?|carr(y|ies)|"
    r"rides?|gathers?|pass(es)?|clears?|inspects?|fires?|works?|helps?|rests?|poses?|attends?|speaks?|"
    r"lies|lie|mourns?|cr(y|ies)|hugs?|prepares?|checks?|receives?|collects?|plays?|leaves|arrives?|"
    r"views?|watches|charges?|cooks?|queues?|crosses|drives?|patrols?|repairs?|removes?|buries|bury|"
    r"digs?|loads?|unloads?|fills?|evacuates?|flees|flee|takes? part|salutes?|kneels?|embraces?)\b"
)
_CAPTION_END = re.compile(
    rf"\bon\s+(?:{_WEEKDAY}|{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})(?:,?\s+\d{{4}})?\W*$|"
    rf"\b(?:in|on)\s+{_MONTH}\s+\d{{4}}\W*$"
)

_NAME_TOKEN = r"(?:[A-Z][a-z'\u2019-]+|[A-Z]\.|[A-Z][a-z]*[A-Z][a-z]+|Mc[A-Z][a-z]+)"
_NAME_LINE = re.compile(rf"^{_NAME_TOKEN}(?:\s+(?:{_NAME_TOKEN}|de|van|von|der|al|bin|la|le)){{1,4}}$")
_BYLINE = re.compile(
    rf"^\W*(?:by|written by|author:?|words by)\s+({_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,4}}"
    rf"(?:\s*(?:,|and|&)\s*{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,4}})*)(?:\s*[,|/-]\s*(.*))?$", re.I)
_DATE_PREFIX = re.compile(r"^\W*(updated|published|posted|last updated|first published)\b", re.I)
_DATELINE_PREFIX = re.compile(
    r"^([A-Z][A-Z .'-]+,\s+[A-Z][a-z]+\.?\s+\d{1,2}\.?\s*/[A-Za-z -]+/\.?\s*|"
    r"[A-Z][A-Z .'-]+,\s+(?:[A-Z][a-z]+\s+)?[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s*\((?:AP|Reuters|AFP|Bloomberg|dpa|UPI)\)"
    r"\s*[-:\u2013\u2014]\s*|(?:[A-Z][A-Za-z.'-]+\s?){1,3}(?:,\s*(?:[A-Z][A-Za-z.'-]+\s?){1,3})?\s*\((?:AP|Reuters|AFP|CNN|"
    r"Bloomberg|dpa|UPI|TASS|Interfax|Ukrinform)\)\s*[-:\u2013\u2014]\s*|\((?:AP|Reuters|AFP|CNN)\)\s*[-:\u2013\u2014]\s*)")


@dataclass
class Dropped:
    orig_idx: int
    text: str
    rule: str
    reason: str


@dataclass
class Cleaned:
    paragraphs: list[str]
    orig_idx: list[int]
    dropped: list[Dropped] = field(default_factory=list)
    title: str | None = None
    byline: str | None = None
    date: str | None = None


def _words(s: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold_quotes(s).lower())


def _shingles(words: list[str], k: int = 3) -> set[tuple[str, ...]]:
    if len(words) < k:
        return {tuple(words)}
    return {tuple(words[i:i + k]) for i in range(len(words) - k + 1)}


class _DupIndex:
    """Finds an earlier paragraph that a new one repeats, verbatim or nearly."""

    MAX_POSTING = 40

    def __init__(self) -> None:
        self.exact: dict[str, int] = {}
        self.sets: dict[int, set] = {}
        self.postings: dict[tuple, list[int]] = {}

    def find(self, idx: int, text: str) -> tuple[int, str] | None:
        words = _words(text)
        key = " ".join(words)
        if not key:
            return None
        if key in self.exact:
            return self.exact[key], "verbatim"
        if len(words) >= 8:
            sh = _shingles(words)
            counts: Counter = Counter()
            for s in sh:
                post = self.postings.get(s, ())
                if len(post) <= self.MAX_POSTING:  # a 3-gram in many paragraphs is boilerplate phrasing
                    counts.update(post)
            for j, inter in counts.most_common(5):
                other = self.sets[j]
                jac = inter / len(sh | other)
                if jac >= 0.8:
                    return j, f"nearly (similarity {jac:.2f})"
                if inter / len(sh) >= 0.9:
                    return j, "its words are all in it"
        self.add(idx, key, words)
        return None

    def add(self, idx: int, key: str, words: list[str]) -> None:
        self.exact.setdefault(key, idx)
        if len(words) >= 8:
            sh = _shingles(words)
            self.sets[idx] = sh
            for s in sh:
                self.postings.setdefault(s, []).append(idx)


def _paywall(text: str) -> str | None:
    n_words = len(text.split())
    if n_words <= 60 and _STRONG_PAYWALL.search(text):
        return "subscription, login or comment-box line"
    if n_words <= 25 and _WEAK_PAYWALL.search(text) and (n_words <= 8 or _IMPERATIVE.match(text)):
        return "subscription, sharing or navigation line"
    return None


def _editor_note(text: str) -> str | None:
    if _EDITOR.match(fold_quotes(text)):
        return "editor's note"
    if _OPINION_BIO.search(text) and len(text.split()) <= 120:
        return "author's bio and disclaimer"
    if len(text.split()) <= 40 and re.match(r"^(?:the\s+)?(?:authors?|writers?)\b.{0,12}\b(?:is|are|was|were)\s+", text, re.I):
        return "author's bio"
    if len(text.split()) <= 30 and re.search(r"\b(reached out to|has contacted|have contacted|contacted)\b.{0,80}"
                                             r"\bfor (a )?comment\b", text, re.I):
        return "editorial note (request for comment)"
    if len(text.split()) <= 25 and re.search(r"\b(could not|cannot|can't|was unable to|has not been able to) "
                                             r"(independently )?(verify|confirm)|has not been (independently )?verified",
                                             text, re.I) and not re.search(r"\b(said|says|told)\b", text):
        return "editorial note (verification)"
    return None


def _caption(text: str) -> str | None:
    n_words = len(text.split())
    if n_words > 60:
        return None
    t = fold_quotes(text)
    if _CREDIT.search(t) and n_words <= 40 and not re.search(r"\b(said|says|told|according to)\b", t):
        return "photo caption or credit"
    if '"' in t or n_words > 45:
        return None
    body = t.rstrip()
    # one sentence only
    if re.search(r"[.!?]\s+[A-Z]", body[:-1]):
        return None
    if _CAPTION_END.search(body) and _CAPTION_VERB.search(body):
        return "photo caption (a present-tense description ending with the day the picture was taken)"
    return None


def iso_date(text: str | None) -> str | None:
    """``November 21, 2022``, ``21 Nov 2022``, ``2022-11-21T08:00Z`` -> ``2022-11-21``; else the text as is."""
    if not text:
        return text
    import datetime as dt

    t = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip())
    t = re.sub(r"\bSept\b\.?", "Sep", t)
    m = re.match(r"(\d{4}-\d{2}-\d{2})", t)
    if m:
        return m.group(1)
    for fmt in ("%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%b %d %Y", "%b. %d, %Y", "%d %B %Y", "%d %b %Y",
                "%d %B, %Y", "%m/%d/%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(t, fmt).date().isoformat()
        except ValueError:
            continue
    return text


_RELATED_HEAD = re.compile(r"^\W*(?:more stories|related(?: articles| stories| news| coverage)?|you may also like|"
                           r"most (?:read|popular)|recommended(?: for you)?|more from [\w .]{1,30}|"
                           r"read (?:also|next)|see also)\W*$", re.I)


def n_words_raw(text: str) -> int:
    return len(text.split())


_SENTENCE_END_MARK = re.compile(r"[.!?:;,\"\u201d\u2019')\]\u2026]\s*$")
_READ_TIME = re.compile(r"^\W*\d{1,3}\s*(?:-\s*)?min(?:ute)?s?\.?\s+read\W*$", re.I)
#: menu words run together when a page's navigation is scraped: "FinancialGovernment SolutionsLegal"
_GLUED = re.compile(r"\b[A-Z][a-z]{2,}[A-Z][a-z]{2,}")


def _is_date_line(text: str) -> bool:
    t = text.strip()
    if len(t.split()) > 14:
        return False
    m = DATE_RE.search(t)
    return bool(m) and (bool(_DATE_PREFIX.match(t)) or len(t) - len(m.group()) <= 40)


def _header_rule(text: str, n_words: int, out: "Cleaned", n_paragraphs: int,
                 detect_title: bool) -> tuple[str, str] | None:
    """A header line near the top (byline, date, menu, title, reporter's beat, dateline):
    its (rule, reason), with its text moved to the metadata of ``out``; None otherwise."""
    bm = _BYLINE.match(text)
    if bm and n_words <= 16:
        out.byline = out.byline or bm.group(1).strip()
        return ("byline", "byline (moved to metadata)")
    if _is_date_line(text):
        out.date = out.date or DATE_RE.search(text).group()
        return ("date", "publication date line (moved to metadata)")
    if len(_GLUED.findall(text)) >= 2:
        return ("paywall", "navigation menu in the header (menu words glued together)")
    if (detect_title and out.title is None and not out.paragraphs and n_words <= 20
            and not re.search(r"[.\"']$", fold_quotes(text)) and n_paragraphs >= 3):
        out.title = text
        return ("title", "title (moved to metadata)")
    if out.title and text.strip().lower() == out.title.strip().lower():
        return ("title", "repeats the title")
    if n_words <= 5 and re.search(r"\b(correspondent|editor|reporter|writer|columnist|contributor|"
                                  r"bureau chief|staff writer)s?$", text, re.I) and not re.search(r"[.!?]$", text):
        return ("byline", "the reporter's beat or title (byline)")
    place = re.match(r"^(.+?),\s*[A-Z][a-z]+(?:\s[A-Z][a-z]+)?$", text)
    if place and _NAME_LINE.match(place.group(1)) and n_words <= 7:
        out.byline = out.byline or place.group(1)
        return ("byline", "byline with the reporter's location (moved to metadata)")
    if n_words <= 3 and not re.search(r"[.!?]$", text) and re.fullmatch(r"[A-Z][\w.,' -]*", text):
        return ("dateline", "dateline or source tag in the header (place or outlet name)")
    return None


def clean_paragraphs(paragraphs: list[str], *, title: str | None = None, byline: str | None = None,
                     date: str | None = None, detect_title: bool = True) -> Cleaned:
    """Apply the noise rules in order; returns kept paragraphs and a record of the dropped ones."""
    out = Cleaned(paragraphs=[], orig_idx=[], title=title, byline=byline, date=date)
    dups = _DupIndex()
    turn_labels = _turn_labels(paragraphs)
    related: str | None = None  # a "More Stories" heading was seen: short lines after it are links
    seen_body = False  # a long body paragraph has been kept: header zone is over
    for i, raw in enumerate(paragraphs):
        text = collapse_ws(raw)
        if not text:
            continue

        def drop(rule: str, reason: str) -> None:
            out.dropped.append(Dropped(i, text, rule, reason))

        hit = dups.find(i, text)
        if hit is not None:
            j, how = hit
            drop("duplicate", f"repeats paragraph {j + 1} {how}")
            continue
        reason = _paywall(text) or ("reading-time line" if _READ_TIME.match(text) else None)
        if reason is None and related and n_words_raw(text) <= 30 and not re.search(r"[.!?\"\u201d]$", text):
            reason = f"related link under \"{related}\""
        if _RELATED_HEAD.match(text):
            related = text.strip()
            reason = reason or "heading of a list of links to other pages"
        elif n_words_raw(text) > 30 or re.search(r"[.!?\"\u201d]$", text):
            related = None
        if reason:
            drop("paywall", reason)
            continue
        reason = _editor_note(text)
        if reason:
            drop("editor_note", reason)
            who = re.match(rf"^\W*editor\W?s\W? note:\s*({_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{1,3}}),", fold_quotes(text), re.I)
            if who and out.byline is None:
                out.byline = who.group(1)
            continue
        reason = _caption(text)
        if reason:
            drop("caption", reason)
            continue
        n_words = len(text.split())
        if not seen_body and i < HEADER_ZONE:
            header = _header_rule(text, n_words, out, len(paragraphs), detect_title)
            if header is not None:
                drop(*header)
                continue
        if (re.match(r"^\(?(?:reporting|writing|editing|additional reporting|compiled|edited|written)\s+by\s+[A-Z]",
                     text, re.I) or re.search(r"\bcontributed (?:to )?(?:this )?report(?:ing)?\.?\)?$", text)) \
                and n_words <= 40:
            drop("byline", "credit line of reporters and editors (byline)")
            continue
        if i < HEADER_ZONE and _NAME_LINE.match(text) and n_words >= 2:
            if out.byline is None:
                out.byline = text
            drop("byline", "a name alone on a line near the top (byline)")
            continue
        if byline and text.strip().lower() in (byline.lower(), f"by {byline.lower()}"):
            drop("byline", "byline")
            continue
        if n_words <= 6 and re.match(r"^(?:informs|reports|writes|source|via|with reference to)\b[: ]+\W*[A-Z]", text,
                                     re.I) and i >= len(paragraphs) - 3:
            drop("dateline", "source sign-off of a news agency (\"Informs Ukrinform\")")
            continue
        if n_words <= 8 and re.match(r"^\W*(?:updated|posted|published|last updated|first published)\b.{0,40}"
                                     r"\b\d{1,2}[:.]\d{2}\b", text, re.I):
            drop("date", "timestamp line")
            continue
        if (seen_body and i < len(paragraphs) - 1 and n_words <= 15 and not _SENTENCE_END_MARK.search(text)
                and not re.match(r"^[\"\u201c\u2018'(\[-]", text) and not _opens_with_label(text, turn_labels)):
            # between paragraphs of text: a crosshead, a teaser headline, a label or a widget
            drop("title" if n_words >= 4 and text[:1].isupper() else "paywall",
                 "a short line with no sentence end between paragraphs (crosshead, related headline, label)")
            continue
        m = _DATELINE_PREFIX.match(text)
        if m and not seen_body:
            out.dropped.append(Dropped(i, m.group().strip(), "dateline", "dateline prefix of the first paragraph"))
            text = text[m.end():].strip()
        if n_words >= 12:
            seen_body = True
        out.paragraphs.append(text)
        out.orig_idx.append(i)
    out.date = iso_date(out.date)
    _drop_pull_quotes(out)
    return out


#: a transcript turn's label: "RADDATZ:", "ZELENSKYY (UKRAINIAN):", "Margaret Brennan:"
_TURN_LABEL = re.compile(r"^([A-Z][A-Za-z.'\u2019-]*(?:\s+[A-Z][A-Za-z.'\u2019-]*){0,3})(?:\s+\([A-Za-z][A-Za-z ]{1,24}\))?:\s")


def _turn_labels(paragraphs: list[str]) -> set[str]:
    """Names that open two or more paragraphs as labels: a transcript's speakers. A short turn
    under one of them ("RADDATZ: Let's talk about Operation Spiderweb--") is speech, not a crosshead."""
    seen: dict[str, int] = {}
    for raw in paragraphs:
        m = _TURN_LABEL.match(raw.strip())
        if m:
            seen[m.group(1).upper()] = seen.get(m.group(1).upper(), 0) + 1
    return {k for k, n in seen.items() if n >= 2}


def _opens_with_label(text: str, labels: set[str]) -> bool:
    m = _TURN_LABEL.match(text)
    return bool(m) and m.group(1).upper() in labels


def _drop_pull_quotes(out: Cleaned) -> None:
    """A short paragraph whose words all recur in a later paragraph is a pull quote or a
    teaser placed before the text it repeats (the duplicate rule only looks backwards)."""
    sets = [_shingles(_words(p)) for p in out.paragraphs]
    keep = []
    for k, (text, sh) in enumerate(zip(out.paragraphs, sets)):
        n = len(text.split())
        later = None
        if 8 <= n <= 60:
            for j in range(k + 1, min(len(sets), k + 6)):
                if len(sets[j]) > len(sh) and len(sh & sets[j]) >= 0.9 * len(sh):
                    later = j
                    break
        if later is None:
            keep.append(k)
        else:
            out.dropped.append(Dropped(out.orig_idx[k], text, "duplicate",
                                       f"pull quote or teaser: its words recur in paragraph {out.orig_idx[later] + 1}"))
    out.paragraphs = [out.paragraphs[k] for k in keep]
    out.orig_idx = [out.orig_idx[k] for k in keep]
    out.dropped.sort(key=lambda d: d.orig_idx)
