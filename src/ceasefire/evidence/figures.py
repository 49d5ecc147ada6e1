"""Quantitative claims: every number with its unit, qualifier and what it measures.

Rule-based, on quote-folded text (offsets are the original's):

1. Mask what looks like a number but is not a quantity: dates (``November 16``,
   ``March 2022``, ISO dates), years (1800-2100 without a unit), clock times, and
   codes glued to letters (``G-20``, ``T-72``, ``COVID-19``, ``2x``).
2. Find numbers in digits (``100,000``, ``4.5``, ``9 million``, ``$2.5bn``), in words
   (``nine``, ``twenty-five``, ``a million``; a bare ``one`` is not a quantity), plural
   magnitudes (``millions of``), fractions (``half of``, ``two-thirds of``), and ranges
   (``100-200``, ``between 10 and 20``, ``two to three``, and a bare number joined to a
   following one that has a unit: ``two and at some factories to three shifts``).
3. Read the qualifier in the words before (``more than``, ``at least``, ``up to``,
   ``less than``, ``nearly``, ``about``), the unit after (percent, currency, length,
   mass, time, a hyphenated unit ``80-kilometer``, else the counted noun phrase's head
   word ``soldiers``), a rate (``a day``, ``per year``), and the clause that says what
   the number measures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import fold_quotes

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_ABBR_SCALES = {"mln": 1e6, "mn": 1e6, "bn": 1e9, "tn": 1e12, "m": 1e6, "k": 1e3}
_WORD = "|".join(sorted([*_SMALL, *_TENS, *_SCALES, "dozen"], key=len, reverse=True))

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_MASKS = [
    re.compile(rf"\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?"),
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b(?:,?\s+\d{{4}})?"),
    re.compile(rf"\b{_MONTH}\s+(?:of\s+)?\d{{4}}\b"),
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{1,2}:\d{2}\b(?:\s*[ap]\.?m\.?)?"),
    re.compile(r"\b[A-Za-z]+-?\d+[A-Za-z]*\b|\b\d+(?:st|nd|rd|th|x|D|G)\b"),
    re.compile(r"\b(?:1[89]\d\d|20\d\d)s?\b(?!\s*(?:%|percent|per cent|km|kilomet|miles|people|troops|soldiers|men|tons|tonnes))"),
    re.compile(r"\b(?:World War|Article|Chapter|Section|Resolution|Flight|Route|Highway|No\.|number)\s+\w+", re.I),
    # clock times with a day half or a time zone: "6 p.m.", "5 a.m", "(1500 GMT)", "1800 Moscow time"
    re.compile(r"\b\d{1,2}(?:[.:]\d{2})?\s*(?:[ap]\.m\b\.?|[ap]m\b|[AP]\.?M\b\.?)"),
    re.compile(r"\b\d{1,4}(?::\d{2})?\s*(?:GMT|UTC|BST|CET|CEST|EET|EEST|MSK|EST|EDT|PST|PDT|Kyiv time|Moscow time|"
               r"local time)\b"),
    # ages and every "N-unit-old" compound: "the 98-year-old", "a six-month-old crisis"
    re.compile(r"\b[\w]+(?:-[\w]+)?-(?:year|month|week|day)s?-old\b", re.I),
]

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUM_DIGIT = re.compile(
    rf"(?P<cur>(?:US)?\$|\u20ac|\u00a3|\u20b4|\u20bd|USD\s?|EUR\s?|GBP\s?)?(?P<num>{_DIGITS})"
    r"(?:[\s-]*(?P<scale>hundred|thousand|million|billion|trillion)\b|(?P<abbr>mln|mn|bn|tn|m|k)\b)?"
)
#: "a" counts only before a scale word ("a million", "a dozen"): "a two-month extension" is two months
_A_SCALE = "hundred|thousand|million|billion|trillion|dozen"
_NUM_WORDS = re.compile(rf"\b(?:a\s+(?:{_A_SCALE})\b|(?:{_WORD}))(?:(?:\s+|-)(?:and\s+)?(?:{_WORD}))*\b", re.I)
#: a magnitude word, with or without "of" after it: "hundreds of thousands of people", "millions fled",
#: "dozens were wounded", "the millions being poured into Ukraine" (a vague quantity: more than its base)
_MAGNITUDE = re.compile(r"\b(?<![-\w])(?:tens\s+of\s+(?:thousands|millions)|hundreds\s+of\s+(?:thousands|millions)|dozens|"
                        r"hundreds|thousands|millions|billions)\b(?!-(?!strong\b))", re.I)
_MAGNITUDE_VALUE = {"dozens": 12, "hundreds": 100, "thousands": 1e3, "millions": 1e6, "billions": 1e9,
                    "tens of thousands": 1e4, "hundreds of thousands": 1e5, "tens of millions": 1e7,
                    "hundreds of millions": 1e8}
_FRACTION = re.compile(r"\b(?:(?:one|a)[\s-]half|half|(?:one|a)[\s-]third|two[\s-]thirds|(?:one|a)[\s-]quarter|"
                       r"three[\s-]quarters|(?:one|a)[\s-]fifth|(?:one|a)[\s-]tenth)(?=\s+of\b)|(?<=\bby\s)(?:(?:a|one)[\s-])?(?:half|third|quarter|fifth)\b|(?<=\bby\s)(?:two[\s-]thirds|three[\s-]quarters)\b",
                       re.I)
_FRACTION_OF_SCALE = re.compile(r"\b(?:(?:a|one)\s+(quarter|half|third)\s+of(?:\s+a)?|(half)\s+a)\s+(thousand|million|billion)\b",
                                re.I)
_AND_A_HALF = re.compile(rf"\b(an?|one|\d+|{_WORD})\s+(year|month|week|day|hour)s?\s+and\s+a\s+half\b", re.I)
_RATIO = re.compile(rf"\b({_WORD}|\d+)\s+(?:in|out of)\s+(?:every\s+)?({_WORD}|\d+)\b(?!\s*(?:%|percent|days|weeks|months|years|hours|minutes|seconds|km|kilomet|miles|meters|metres))",
                    re.I)
_FRACTION_BY = re.compile(r"\bby\s+(?:(?:nearly|almost|about|around|roughly|some|more than|less than|over|up to|"
                          r"at least)\s+)?(?P<frac>(?:(?:a|one)[\s-])?(?:half|third|quarter|fifth|tenth)|two[\s-]thirds|"
                          r"three[\s-]quarters)\b", re.I)
_FRACTION_VALUE = {"half": 0.5, "third": 1 / 3, "thirds": 2 / 3, "quarter": 0.25, "quarters": 0.75, "fifth": 0.2,
                   "tenth": 0.1}

_QUALIFIERS = [
    ("more than", r"more than|over|above|in excess of|upwards of|exceeding|greater than|north of"),
    ("at least", r"at least|no fewer than|no less than|a minimum of|not less than"),
    ("up to", r"up to|as many as|as much as|at most|no more than|a maximum of|not more than|a maximum|within"),
    ("less than", r"less than|fewer than|under|below|just under"),
    ("nearly", r"nearly|almost|close to|just short of|approaching"),
    ("about", r"about|around|approximately|roughly|some|an estimated|estimated|circa|~|an approximate|"
              r"approx\.|on the order of|a little over|a little more than"),
]
_QUAL_RE = re.compile(r"(?:^|\W)(" + "|".join(f"(?P<q{i}>{pat})" for i, (_, pat) in enumerate(_QUALIFIERS))
                      + r")\s*(?:the\s+(?:next|past|last|coming|first)\s+|the\s+|a\s+total\s+of\s+)?$", re.I)

_UNIT_WORDS = [
    ("percent", r"%|percent\b|per cent\b|pct\b"),
    ("percentage point", r"percentage points?\b|pp\b"),
    ("km", r"km\b|kms\b|kilomet(?:er|re)s?\b|kilometer-long|km-long"),
    ("square km", r"(?:square|sq\.?)\s+(?:km|kilomet(?:er|re)s?)\b|km2\b"),
    ("mile", r"miles?\b"),
    ("square mile", r"square miles?\b"),
    ("square m", r"(?:square|sq\.?)\s+met(?:er|re)s?\b|m2\b"),
    ("m", r"met(?:er|re)s?\b|m\b"),
    ("mm", r"mm\b|millimet(?:er|re)s?\b"),
    ("tonne", r"tons?\b|tonnes?\b"),
    ("kg", r"kg\b|kilograms?\b"),
    ("day", r"days?\b"),
    ("week", r"weeks?\b"),
    ("month", r"months?\b"),
    ("year", r"years?\b"),
    ("hour", r"hours?\b"),
    ("minute", r"minutes?\b|mins?\b"),
    ("night", r"nights?\b"),
    ("MW", r"megawatts?\b|MW\b"),
    ("GW", r"gigawatts?\b|GW\b"),
    ("USD", r"(?:US\s)?dollars?\b|USD\b"),
    ("EUR", r"euros?\b|EUR\b"),
    ("GBP", r"pounds? sterling\b|GBP\b"),
    ("RUB", r"r(?:o)?ubles?\b|RUB\b"),
    ("UAH", r"hryvnias?\b|hryvnia\b|UAH\b"),
]
_UNIT_RE = re.compile(r"\s*(?:" + "|".join(f"(?P<u{i}>{pat})" for i, (_, pat) in enumerate(_UNIT_WORDS)) + ")", re.I)
_CURRENCY = {"$": "USD", "us$": "USD", "usd": "USD", "\u20ac": "EUR", "eur": "EUR", "\u00a3": "GBP", "gbp": "GBP",
             "\u20b4": "UAH", "\u20bd": "RUB"}
_PER = re.compile(r"\s*(?:a|per|each|every|a single|in a|in one|in a single)\s+(day|week|month|year|hour)\b|\s*(daily|weekly|monthly|annually|a year)\b",
                  re.I)
_PER_WORD = {"daily": "day", "weekly": "week", "monthly": "month", "annually": "year", "a year": "year"}

_LENGTH_NEXT = {"high", "long", "wide", "deep", "tall", "away", "from", "above", "below", "of", "in", "on", "at",
                "to", "and", "or", "off", "short", "thick", "behind", "ahead", "north", "south", "east", "west"}

_BARE_INTRO = re.compile(r"\b(?:to|by|of|at|reached|reaching|totall?ing|numbering|employing|employs|employed|including|"
                         r"stood at|stands at|hit|toll of|total of|count of)\s+$", re.I)

#: a bare count as the object of a casualty verb: "killing seven", "injured another eight"
_BARE_CASUALTY = re.compile(r"\b(?:killing|killed|injuring|injured|wounding|wounded)\s+(?:another\s+|at least\s+)?$", re.I)

#: a bare count as a clause's subject: "of which 27 have been sent off", "the remaining two were unscathed"
_BARE_SUBJECT = re.compile(r"\s+(?:have|has|had|were|was|are|remain|remained|died|survived)\b")

_STOP_NOUN = {
    "the", "a", "an", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and", "or", "but", "that",
    "which", "who", "have", "has", "had", "are", "is", "was", "were", "be", "been", "will", "would", "could",
    "can", "may", "might", "it", "they", "he", "she", "we", "this", "these", "those", "its", "their", "his",
    "her", "our", "as", "than", "since", "after", "before", "during", "into", "out", "per", "each",
    "less", "up", "down", "over", "under", "about", "alone", "so", "if", "when", "while", "not", "no", "do",
    "than",
    "does", "did", "said", "says", "ago", "later", "earlier", "left", "then", "there", "here",
    "what", "you", "i", "me", "us", "them", "until", "through", "across", "against", "between", "among",
    "along", "also", "already", "just", "only", "even", "still", "now", "near", "around", "outside", "inside",
    "within", "without", "beyond", "behind", "toward", "towards", "via", "off", "like", "amid", "despite",
    "including", "except", "next", "onto", "upon", "whose", "where", "because", "although", "though",
    "told", "tell", "tells", "say", "wrote", "write", "writes", "think", "believe", "believes", "fear", "fears",
    "remain", "remains", "stay", "stays", "became", "become", "becomes", "went", "go", "goes", "came", "come",
    "made", "make", "makes", "took", "take", "takes", "got", "get", "gets", "held", "hold", "holds", "saw", "see",
}


@dataclass
class Figure:
    """One quantitative claim."""

    start: int
    end: int
    text: str
    value: float
    low: float | None = None
    high: float | None = None
    qualifier: str = "exact"
    unit: str | None = None
    per: str | None = None
    noun: str | None = None
    measure: str = ""

    def interval(self) -> tuple[float, float]:
        """The values the figure admits (before any scaling); see ``check``."""
        inf = float("inf")
        if self.qualifier == "range" and self.low is not None and self.high is not None:
            return self.low, self.high
        v = self.value
        return {
            "exact": (v, v), "more than": (v, inf), "at least": (v, inf), "up to": (-inf, v),
            "less than": (-inf, v), "nearly": (0.9 * v, v), "about": (0.9 * v, 1.1 * v),
        }.get(self.qualifier, (v, v))


def words_to_number(text: str) -> float | None:
    """``twenty-five`` -> 25, ``a million`` -> 1e6, ``three hundred thousand`` -> 3e5."""
    toks = [t for t in re.split(r"[\s-]+", text.lower()) if t and t != "and"]
    if not toks:
        return None
    total = 0.0
    current = 0.0
    seen = False
    for i, t in enumerate(toks):
        if t == "a" and i == 0:
            # "a million" is 1e6, but "a two(-month)" is 2: the article counts only before a scale
            current = 1 if len(toks) > 1 and (toks[1] in _SCALES or toks[1] == "dozen") else 0
            continue
        if t in _SMALL:
            current += _SMALL[t]
        elif t in _TENS:
            current += _TENS[t]
        elif t == "dozen":
            current = (current or 1) * 12
        elif t == "hundred":
            current = (current or 1) * 100
        elif t in _SCALES:
            total += (current or 1) * _SCALES[t]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _mask(text: str) -> list[bool]:
    masked = [False] * len(text)
    for rx in _MASKS:
        for m in rx.finditer(text):
            for k in range(m.start(), m.end()):
                masked[k] = True
    return masked


@dataclass
class _Num:
    start: int
    end: int
    value: float
    unit: str | None = None
    magnitude: bool = False
    scale: float = 1.0  # the multiplier written after the number ("thousand", "bn"), 1 if none


def _find_numbers(text: str, masked: list[bool]) -> list[_Num]:
    found: list[_Num] = []
    taken = [False] * len(text)

    def free(a: int, b: int) -> bool:
        return not any(masked[a:b]) and not any(taken[a:b])

    def take(n: _Num) -> None:
        for k in range(n.start, n.end):
            taken[k] = True
        found.append(n)

    for m in _MAGNITUDE.finditer(text):
        if free(m.start(), m.end()):
            key = re.sub(r"\s+", " ", m.group().lower())
            take(_Num(m.start(), m.end(), _MAGNITUDE_VALUE[key], magnitude=True))
    for m in _AND_A_HALF.finditer(text):
        if free(m.start(), m.end()):  # "a year and a half", "two months and a half"
            whole = 1.0 if m.group(1).lower() in ("a", "an", "one") else (
                float(m.group(1)) if m.group(1).isdigit() else words_to_number(m.group(1)))
            if whole is not None:
                take(_Num(m.start(), m.end(), whole + 0.5, unit=m.group(2).lower()))
    for m in _FRACTION_OF_SCALE.finditer(text):
        if free(m.start(), m.end()):
            frac = {"quarter": 0.25, "half": 0.5, "third": 1 / 3}[(m.group(1) or m.group(2)).lower()]
            take(_Num(m.start(), m.end(), frac * _SCALES[m.group(3).lower()]))
    for m in _RATIO.finditer(text):
        if free(m.start(), m.end()):
            a_val = words_to_number(m.group(1)) if not m.group(1).isdigit() else float(m.group(1))
            b_val = words_to_number(m.group(2)) if not m.group(2).isdigit() else float(m.group(2))
            if a_val and b_val:
                take(_Num(m.start(), m.end(), a_val / b_val, unit="fraction"))
    for m in _FRACTION_BY.finditer(text):
        if free(m.start("frac"), m.end("frac")):
            last = re.split(r"[\s-]", m.group("frac").lower())[-1]
            take(_Num(m.start("frac"), m.end("frac"), _FRACTION_VALUE[last], unit="fraction"))
    for m in _FRACTION.finditer(text):
        if free(m.start(), m.end()):
            last = re.split(r"[\s-]", m.group().lower())[-1]
            take(_Num(m.start(), m.end(), _FRACTION_VALUE[last], unit="fraction"))
    for m in _NUM_DIGIT.finditer(text):
        a, b = m.start(), m.end()
        if not free(m.start("num"), m.end("num")):
            continue
        # glued to letters on the left (codes) or a decimal/comma continuation
        if a > 0 and (text[a - 1].isalpha() or text[a - 1] in "./"):
            continue
        try:
            value = float(m.group("num").replace(",", ""))
        except ValueError:  # pragma: no cover
            continue
        unit = None
        scale = 1.0
        cur = (m.group("cur") or "").strip().lower()
        if cur:
            unit = _CURRENCY.get(cur, cur.upper())
        if m.group("scale"):
            scale = _SCALES[m.group("scale").lower()]
            value *= scale
        elif m.group("abbr"):
            abbr = m.group("abbr").lower()
            nxt_word = re.match(r"\s+([a-z]+)", text[m.end():])
            # "1.5m people" is a million; "5m high", "300m from" are metres
            million_like = abbr in ("m", "k") and nxt_word is not None and nxt_word.group(1) not in _LENGTH_NEXT \
                and m.start("abbr") == m.end("num")
            if cur or abbr in ("mln", "mn", "bn", "tn") or million_like:
                scale = _ABBR_SCALES[abbr]
                value *= scale
            else:
                b = m.end("num")
        take(_Num(a, b, value, unit, scale=scale))
    for m in _NUM_WORDS.finditer(text):
        a, b = m.start(), m.end()
        if not free(a, b):
            continue
        words = m.group()
        low = words.lower()
        if low == "one" and re.match(r"\s+(?:per\s*cent|percent|month|year|week|day)s?\b", text[b:], re.I):
            pass  # "one per cent", "One month in": a quantity with its unit
        elif low in ("one", "a", "an"):
            continue  # "one of the ...", "a month": not quantities
        value = words_to_number(words)
        if value is None:
            continue
        last = re.split(r"[\s-]+", low)[-1]
        take(_Num(a, b, value, scale=_SCALES.get(last, 1.0) if len(low.split()) > 1 or "-" in low else 1.0))
    found.sort(key=lambda n: n.start)
    return found


def _qualifier(text: str, start: int) -> tuple[str, int]:
    before = text[max(0, start - 40):start]
    m = _QUAL_RE.search(before)
    if not m:
        return "exact", start
    if re.search(r"\b(?:over|in|during)\s+the\s+(?:last|past|next|coming)\s+$", before, re.I):
        return "exact", start  # "over the last 24 hours": a period, not a bound
    for i, (name, _) in enumerate(_QUALIFIERS):
        if m.group(f"q{i}"):
            return name, start - (len(before) - m.start(1))
    return "exact", start  # pragma: no cover


def _unit_after(text: str, end: int) -> tuple[str | None, int]:
    rest = text[end:end + 40]
    hy = re.match(r"-([a-z]+)(?:-long|-wide|-strong|-old)?", rest, re.I)
    if hy:
        u = _UNIT_RE.match(hy.group(1))
        if u and u.end() == len(hy.group(1)):
            return _unit_name(u), end + hy.end()
    u = _UNIT_RE.match(rest)
    if u:
        return _unit_name(u), end + u.end()
    # "two more months", "three additional years": a comparative word before a unit of time
    more = re.match(r"\s+(?:more|additional|further|extra|consecutive|straight)(?=\s)", rest, re.I)
    if more:
        u = _UNIT_RE.match(rest[more.end():])
        if u and _unit_name(u) in ("day", "week", "month", "year", "hour", "minute"):
            return _unit_name(u), end + more.end() + u.end()
    return None, end


def _unit_name(m: re.Match) -> str:
    for i, (name, _) in enumerate(_UNIT_WORDS):
        if m.group(f"u{i}"):
            return name
    return ""  # pragma: no cover


def _noun_after(text: str, end: int) -> tuple[str | None, int]:
    """Head word of the noun phrase that follows (the counted thing); a hyphenated
    adjective (``30,000-strong force``) is skipped."""
    adj = re.match(r"-(?:strong|man|member|person|seat|bed|vehicle|ship|gun)\b", text[end:end + 20])
    if adj:
        end += adj.end()
    lead = re.match(r"\s+[a-z]+ly\s+(?=[a-z]+(?:ed|ing)\s+[a-z])", text[end:end + 40])
    if lead:
        end += lead.end()  # "two clearly marked trucks": an adverb before the adjective
    words = list(re.finditer(r"(?:[A-Z]\.){2,}|[A-Za-z][A-Za-z'-]*|[^\sA-Za-z]", text[end:end + 80]))
    head = None
    head_end = end
    for k, w in enumerate(words[:5]):
        tok = w.group()
        if not tok[0].isalpha():
            break
        low = tok.lower()
        if low in _STOP_NOUN or low.endswith("ly") or (k > 0 and re.search(r"(ed|ing)$", low)):
            break
        head = tok
        head_end = end + w.end()
    return head, head_end


_CLAUSE_BREAK = re.compile(r"(?<!\b[A-Z])[.;:!?](?=\s|$)|,(?!\d{3})|\u2014|\s-\s")


#: how far back (characters) to look for the start of a clause; bounds the work per figure
#: so a paragraph of megabytes is read in linear time
_CLAUSE_LOOKBACK = 1000


def _clause(text: str, start: int, end: int) -> str:
    """The clause around a number: between clause punctuation, at most 25 words."""
    left = max(0, start - _CLAUSE_LOOKBACK)
    for m in _CLAUSE_BREAK.finditer(text, left, start):
        left = m.end()
    m = _CLAUSE_BREAK.search(text, end)
    right = m.start() if m else len(text)
    clause = text[left:right].strip().strip('"').strip()
    words = clause.split()
    if len(words) > 25:
        # keep the 25 words around the number
        before = len(text[left:start].split())
        lo = max(0, min(before - 12, len(words) - 25))
        clause = " ".join(words[lo:lo + 25])
    lead = text[left:start].strip(' "')
    if (lead == "" or (len(lead.split()) <= 3 and lead.split()[0].lower() in ("at", "to", "of", "by", "with", "from",
                                                                             "about", "for", "around"))) \
            and left > 0 and text[left - 1] == ",":
        # the figure opens its clause ("heavy losses, more than 400 people"): keep the words before it
        prev_left = max(0, left - 1 - _CLAUSE_LOOKBACK)
        for m in _CLAUSE_BREAK.finditer(text, prev_left, left - 1):
            prev_left = m.end()
        prev = text[prev_left:left - 1].strip().strip('"').strip().split()
        if prev and not re.search(r"[.!?]$", prev[-1]):
            clause = " ".join(prev[-10:]) + ", " + clause
    return clause


def extract_figures(paragraph: str) -> list[Figure]:
    """All quantitative claims in one paragraph."""
    text = fold_quotes(paragraph)
    masked = _mask(text)
    nums = _find_numbers(text, masked)
    figures: list[Figure] = []
    k = 0
    while k < len(nums):
        n = nums[k]
        start = n.start
        low = high = None
        qualifier = "exact"
        # explicit ranges: "100-200", "10 to 20", "between 10 and 20", "two or three"
        nxt = nums[k + 1] if k + 1 < len(nums) else None
        unit0, uend0 = (n.unit, n.end) if n.unit else _unit_after(text, n.end)
        joined = False
        if nxt is not None and not n.magnitude:
            gap = text[n.end:nxt.start]
            gap_u = text[uend0:nxt.start] if unit0 and uend0 <= nxt.start else gap
            between = re.search(r"\b(?:between|from)\s+(?:[$\u20ac\u00a3]\s*)?$", text[max(0, n.start - 12):n.start], re.I)
            conn = r"\s*(?:-|to|or)\s*" if not between else r"\s*(?:-|to|and|or)\s*"
            if re.fullmatch(conn, gap, re.I):
                joined = True
            elif unit0 and re.fullmatch(conn, gap_u, re.I) and _unit_after(text, nxt.end)[0] == unit0:
                joined = True
            elif unit0 is None and _noun_after(text, n.end)[0] is None and re.fullmatch(r"[\sA-Za-z,]*", gap) \
                    and len(gap.split()) <= 6 and re.search(r"\b(to|and|or)\b", gap):
                u2, _ = _unit_after(text, nxt.end)
                n2, _ = _noun_after(text, nxt.end)
                if (u2 or n2) and not re.search(r"[.;:!?]", gap):
                    joined = True
        if joined:
            low, high = n.value, nxt.value
            if n.scale == 1.0 and nxt.scale > 1.0 and low * nxt.scale <= high:
                low *= nxt.scale  # "10-15 thousand", "between 1.5 and 2 million": the scale is shared
            elif n.scale == 1.0 and low < 1000 <= high and high % 1000 == 0 and low * 1000 <= high \
                    and re.fullmatch(r"\s*(?:-|or|to)\s*", gap, re.I):
                low *= 1000  # "70 or 80,000 casualties", "100-120,000": the thousands are shared
            if high < low and nxt.value * 1000 >= low:  # "1.5-2 million" style is rare; keep order
                low, high = min(low, high), max(low, high)
            qualifier = "range"
            unit_src_end = nxt.end
            k += 1
            btw = re.search(r"\bbetween\s+$|\bfrom\s+$", text[max(0, start - 9):start], re.I)
            if btw:
                start = start - (len(text[max(0, start - 9):start]) - btw.start())
        else:
            unit_src_end = n.end
        plus = re.match(r"-plus\b|\+(?!\d)|-(?:something|odd)\b", text[unit_src_end:])
        if plus and not joined:  # "200,000-plus troops", "500+ drones", "480-something drones": more than
            unit_src_end += plus.end()
        unit = n.unit if not joined else (nxt.unit or n.unit)
        u, uend = _unit_after(text, unit_src_end)
        if unit and u and unit in ("USD", "EUR", "GBP", "UAH", "RUB"):
            uend = unit_src_end
        elif u:
            unit, unit_src_end = u, uend
        noun = None
        if n.magnitude:
            # "hundreds of thousands of people", "millions-strong reserves": the counted noun
            ofm = re.match(r"\s+of\b|-strong\b", text[n.end:])
            noun, nend = _noun_after(text, n.end + ofm.end()) if ofm else (None, n.end)
            nend = nend if noun else n.end
            unit = unit or (noun.lower() if noun else None)
            qualifier = "more than"
            end_all = nend
        else:
            noun_start = unit_src_end
            ofm = re.match(r"\s+of\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+|our\s+)?", text[noun_start:])
            if unit in ("percent", "percentage point", "fraction") or (unit and ofm):
                if ofm:
                    noun, nend = _noun_after(text, noun_start + ofm.end())
                else:
                    noun, nend = None, noun_start
            else:
                noun, nend = _noun_after(text, noun_start)
                if noun is None and nxt is not None and re.fullmatch(r"\s+", text[noun_start:nxt.start]) \
                        and (nxt.unit or _unit_after(text, nxt.end)[0]) == "mm":
                    # "110,000 155mm-calibre shells": the count's noun follows the calibre
                    cal = re.match(r"\s*(?:-?\s*mm|millimet(?:er|re)s?)?(?:-(?:calibre|caliber))?", text[nxt.end:])
                    noun, _ = _noun_after(text, nxt.end + (cal.end() if cal else 0))
                    nend = noun_start
                of_total = re.match(r"\s+(?:of|out of)\s+(?:the\s+|its\s+|their\s+|those\s+|these\s+)?", text[noun_start:])
                if noun is None and of_total and nxt is not None and nxt.start == noun_start + of_total.end():
                    noun, _ = _noun_after(text, nxt.end)  # "40 of 42 attack drones"
                    nend = noun_start
                elif noun is None and of_total and of_total.group().strip() not in ("of", "out of"):
                    noun, nend = _noun_after(text, noun_start + of_total.end())  # "two of the dead"
                if unit is None and noun:
                    unit = noun.lower()
            end_all = max(nend, unit_src_end)
        per = None
        pm = _PER.match(text[end_all:end_all + 20])
        if pm:
            per = (pm.group(1) or _PER_WORD.get(pm.group(2).lower(), pm.group(2))).lower()
            end_all += pm.end()
        if qualifier != "range" and not n.magnitude:
            qualifier, qstart = _qualifier(text, start)
            start = qstart
            if plus and qualifier == "exact":
                qualifier = "more than"
        value = n.value if qualifier != "range" else low
        fig = Figure(
            start=start, end=end_all, text=paragraph[start:end_all].strip(), value=float(value),
            low=low, high=high, qualifier=qualifier, unit=unit, per=per,
            noun=noun.lower() if noun else None, measure=_clause(text, start, end_all),
        )
        # a bare number without a unit or counted noun is a claim only after a word that
        # introduces a quantity ("employing 140", "rose to 12", "a total of 300");
        # "one of", ages in apposition ("Lopez, 45,") and stray digits are not
        if fig.unit is None and fig.noun is None and qualifier == "exact" and not (
                text[n.start:n.end][:1].isdigit() and _BARE_INTRO.search(text[max(0, n.start - 20):n.start])) \
                and not _BARE_SUBJECT.match(text[n.end:]) and not _BARE_CASUALTY.search(text[max(0, n.start - 24):n.start]):
            k += 1
            continue
        figures.append(fig)
        k += 1
    return figures
