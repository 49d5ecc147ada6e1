"""Attributed statements: direct quotes and reported speech with their speaker.

Per paragraph, on quote-folded text:

1. **Quotes.** Quotation marks are paired (curly marks by their direction, straight ones
   by the spacing around them); a quote left open runs to the end of the paragraph.
   Quote contents are masked so sentence splitting and cue search never look inside.
2. **Cues.** In each sentence, a reporting verb (``said``, ``told``, ``added``, ``wrote``,
   ``warned``, ``believes``, ``cited``, ``informed``, ...) or ``according to`` marks an
   attribution. The speaker is the noun phrase between a closing quote and the verb
   (``"...," Kofman said``), after the verb (``"...," said X``), after ``according to``,
   or the sentence's subject (``Klitschko, the mayor of Kyiv, has warned that ...``,
   ``..., experts say``). Passive verbs (``was announced``), ``claimed to`` and speaker
   phrases headed by an event (``said G-20 meeting in Bali``) are not attributions.
   Machine-translated ``Name. said`` reads as ``Name said``.
3. **Words.** A direct statement's words are the sentence minus its attribution; quote
   segments in later sentences of the paragraph with no cue of their own continue it; a
   paragraph that opens a quote with no cue right after a paragraph whose quote was left
   open continues the last statement.
4. **Speaker.** Names resolve through :mod:`.speakers`; ``he``/``she`` resolve to the one
   person named earlier in the paragraph, else to the speaker of an earlier statement in
   this paragraph, else to the last statement's speaker in the previous paragraph, else to
   the one person the previous paragraph names; otherwise they stay unresolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .speakers import (DETERMINERS, DOC_NOUNS, GROUP_NOUNS, NATIONALITIES, ORG_WORDS, ROLE_WORDS, STOP_CAPS,
                       Registry, Speaker, is_name_token, resolve_np, scan_people)
from .text import NOT_ABBREV, fold_quotes, sentence_spans

CUE_VERBS = (
    "hopes|hoped|made it clear|makes it clear|paid tribute|pays tribute|called for|calls for|call for|"
    "reiterated|reiterates|vowed|vows|pledged|pledges|promised|promises|threatened|threatens|accused|accuses|"
    "signalled|signaled|hinted|assured|reassured|lamented|complained|"
    "boasted|forecast|projected|underlined|underscored|commented|responded|retorted|countered|recounted|"
    "alleged|alleges|charged|advised|recommended|appealed|quipped|joked|objected|protested|regretted|"
    "characterized|characterised|branded|hailed|praised|welcomed|condemned|criticized|criticised|slammed|"
    "denounced|dismissed|downplayed|highlighted|made clear|clarified|agreed|disagreed|swore|guaranteed|implied|"
    "indicated|mentioned|speculated|reckoned|insisting|acknowledging|noting|warning|arguing|saying|"
    "claiming|stating|adding|declaring|stressing|explaining|asserting|alleging|emphasizing|emphasising|"
    "mentioning|suggesting|calling|describing|predicting|confirming|shared|shares|"
    "estimate|admit|argue|insist|predict|acknowledge|warn|note|concede|"
    "add|claim|stress|explain|suggest|maintain|contend|assert|emphasize|emphasise|caution|reckon|"
    "demanded|demands|feels|reads|read|"
    "said|says|say|told|tells|tell|added|adds|wrote|writes|warned|warns|warn|believes|believe|believed|"
    "stated|states|noted|notes|argued|argues|explained|explains|claimed|claims|insisted|insists|"
    "maintained|maintains|remarked|remarks|cited|cites|confessed|confesses|admitted|admits|announced|"
    "announces|informed|informs|stressed|stresses|emphasized|emphasised|emphasizes|predicted|predicts|"
    "estimated|estimates|reported|acknowledged|acknowledges|asserted|asserts|declared|declares|alluded|"
    "described|describes|thinks|think|fears|feared|tweeted|posted|recalled|recalls|concluded|conceded|"
    "observed|replied|answered|urged|urges|contended|revealed|disclosed|confirmed|confirms|denied|denies|"
    "testified|cautioned|cautions|suggested|show|shows|showed|showing|pointed out|went on|continued|"
    "called|calls|dubbed|labelled|labeled|termed|asked|asks|found|finds"
)
#: base forms, cues only after a plural subject ("The analysts add that"), not after "to", a modal or "I"
_BASE_FORMS = {"think", "say", "tell", "warn", "believe", "estimate", "admit", "argue", "insist", "predict",
               "acknowledge", "note", "concede", "add", "claim", "stress", "explain", "suggest", "maintain",
               "contend", "assert", "emphasize", "emphasise", "caution", "reckon"}
#: verbs that attribute words only when a quotation follows them: "has called demining a 'national priority'"
_QUOTE_ONLY_CUES = {"paid tribute", "pays tribute", "reads", "called", "calls", "dubbed", "labelled", "labeled", "termed", "show", "shows", "showed", "showing",
                    "asked", "asks", "read", "calling", "describing", "shared", "shares",
                    # "pledge of continued support", "the fighting continued": a tag only next to a quote
                    "continued", "went on"}
_CUE = re.compile(rf"\b(?:{CUE_VERBS})\b")
#: verbs that attribute words only with a complement ("that ...", ":", a quotation): without
#: one they name a speech act ("agreed a package", "welcomed the decision", "recalls the downing")
_NEEDS_CONTENT = {"agreed", "welcomed", "praised", "hailed", "condemned", "criticized", "criticised", "slammed",
                  "denounced", "dismissed", "downplayed", "highlighted", "mentioned", "recalled", "recalls",
                  "disagreed", "lamented", "regretted", "demanded", "demands", "announced", "announces", "denied", "denies",
                  # "declared a truce": an act, unless words follow ("called for X" stays a statement: the project gold counts it)
                  "declared", "declares",
                  # participles that take an object as often as words: "confirming an apparent scaling back"
                  "confirming", "emphasizing", "emphasising", "stressing", "mentioning", "declaring", "predicting"}
_ACCORDING = re.compile(r"\b(?i:according to|in the words of|as quoted by)\s+"
                        r"|(?<=,\s)(?:[Aa]s\s+)?per\s+(?=(?:an?|the)\s+[A-Za-z]|[A-Z])")
_PASSIVE_BY = re.compile(r"\b(?:was|were|has been|have been|had been|is|are)\s+(reported|said|stated|announced|"
                         r"noted|confirmed|claimed|written|disclosed|revealed|published)\s+by\s+", re.I)
_EVENT_HEADS = re.compile(r"\b(meeting|summit|conference|forum|session|briefing|hearing|interview|event|rally|"
                          r"ceremony|congress|talks|visit|council on foreign relations)\b", re.I)
_PREP_START = re.compile(r"^(?:in|on|at|after|before|during|since|for|from|with|by|while|when|as|if|under|"
                         r"over|through|despite|following|last|this|earlier|later|speaking|asked|writing|reporting|"
                         r"visiting|standing|talking|citing|quoting|adding)\b", re.I)
_AUX_TAIL = re.compile(r"(?:\s+(?:has|have|had|also|recently|once|later|previously|repeatedly|already|then|"
                       r"again|earlier|often|however|further|publicly|openly|even|still|now|last \w+|"
                       r"on \w+day|this \w+|has long|long|(?-i:[a-z]{3,}ly)))+\s*$", re.I)  # "... Borrell similarly shared"
_OBJ_AFTER = re.compile(r"^(?:\s+(?:me|us|him|her|them|reporters|journalists|the [a-z]+|"
                        r"the (?:[A-Z][\w.'\u2019-]*)(?: [A-Z][\w.'\u2019-]*){0,3}|[A-Z][a-z]+(?: [A-Z][a-z]+)?))?"
                        r"(?:\s+(?:in|on|at|during|via|by|over)\s+(?:an?|the)?\s*[\w-]+(?:\s+[\w-]+)?)?"
                        r"(?:\s+(?:recently|earlier|later|on \w+|last \w+|this \w+))?")


#: cue verbs that are also past participles after a noun ("a video posted", "figures cited")
#: cues that report words only with a clause, a quote or nothing after them ("X reported that
#: ...", "..., X reported."); followed by a plain noun phrase they report an event or a thing
_NP_OBJECT_CUES = {"noted", "notes", "reported", "reports", "claimed", "claims",  # "claimed the lives of"
                   "adds", "added", "emphasized", "emphasised", "emphasizes", "emphasises", "stressed", "stresses",
                   "underlined", "underscored", "highlighted"}  # "emphasized the urgency of": a reaction, no words
#: speech acts whose object is a noun phrase, not words: "called for an immediate ceasefire", "urged dialogue"
#: (GOLD_FORMAT rule 2 of the real-article corpus); with "X to do Y", "that ..." or a quote they attribute
_ACT_WITH_OBJECT = {"called for", "calls for", "call for", "urged", "urges"}
#: "dismissed the proposal as “yet another attempt”": a reaction with a noun phrase (GOLD_FORMAT rule 12)
_AS_OBJECT_CUES = {"dismissed", "dismisses", "denounced", "denounces", "condemned", "condemns", "slammed", "slams"}
_PARTICIPLES = {"posted", "tweeted", "cited", "reported", "described", "published", "quoted", "announced",
                "revealed", "disclosed", "released"}
_NOUN_LIKE = {"claims", "reports", "notes", "states", "fears", "estimates", "remarks", "cites", "tells",
              "shows", "show", "says", "writes", "adds", "warns", "think", "believe", "say", "tell", "warn",
              "estimate", "admit", "argue", "insist", "predict", "acknowledge", "note", "concede", "forecast",
              "promises", "pledges", "threats", "calls", "comments", "responds"}
_SUBJECT_WORDS = {"he", "she", "it", "they", "we", "also", "still", "now", "experts", "analysts", "officials",
                  "sources", "observers", "diplomats", "critics", "researchers", "economists", "ministry",
                  "government", "army", "agency", "newspaper", "report", "images", "study", "analysis", "data",
                  "survey", "spokesman", "spokeswoman", "spokesperson", "president", "minister", "commander",
                  "mayor", "governor", "chief", "military", "kremlin", "pentagon", "white", "office", "however",
                  "too", "though", "indeed", "therefore", "both", "all"}


@dataclass
class Statement:
    para: int                 # index of the cleaned paragraph
    start: int                # span of the statement's sentences in the paragraph
    end: int
    text: str                 # the attributed words (quote marks kept as in the source)
    kind: str                 # direct | reported | continued
    cue: str
    speaker: Speaker
    quotes: list[str] = field(default_factory=list)  # the verbatim quoted segments


def pair_quotes(original: str) -> list[tuple[int, int]]:
    """Spans (start, end) of quote contents, without the marks. An open quote with no
    close runs to the end of the text. Double quotes nested inside double quotes (a practice of
    translated copy: ``“the “grain corridor” in its format is not appropriate,” she said``)
    stay inside the outer quote when the marks balance; when they do not, each close ends the quote."""
    nested = _pair_double_quotes(original, nest=True)
    return nested if nested is not None else _pair_double_quotes(original, nest=False)


def _pair_double_quotes(original: str, nest: bool) -> list[tuple[int, int]] | None:
    """``pair_quotes`` with or without nesting; None when nesting leaves a nested quote open."""
    spans: list[tuple[int, int]] = []
    open_at = None
    depth = 0
    nested_seen = False
    n = len(original)
    for i, ch in enumerate(original):
        if ch not in "\"\u201c\u201d\u201e\u00ab\u00bb":
            continue
        if ch in "\u201c\u201e\u00ab":
            kind = "open"
        elif ch in "\u201d\u00bb":
            prev = original[i - 1] if i > 0 else " "
            nxt = original[i + 1] if i + 1 < n else " "
            # a closing mark used to open (MT copy: '\u201dUnder a made up pretext, ...,\u201d the statement reads')
            kind = "open" if open_at is None and (prev.isspace() or prev in "([{-\u2014:") and nxt.isalnum() \
                else "close"
        else:
            prev = original[i - 1] if i > 0 else " "
            nxt = original[i + 1] if i + 1 < n else " "
            if prev.isspace() or prev in "([{-\u2014:" or i == 0:
                kind = "open"
            elif nxt.isspace() or nxt in ".,;:!?)-\u2014" or i == n - 1:
                kind = "close"
            else:
                kind = "close" if open_at is not None else "open"
        if kind == "open":
            if open_at is None:
                open_at = i + 1
            elif nest and ch == "\u201c":
                depth += 1  # a nested open inside a quote is part of it
                nested_seen = True
        elif open_at is not None:
            if depth:
                depth -= 1
                continue
            spans.append((open_at, i))
            open_at = None
    if nest and nested_seen and (depth or open_at is not None):
        return None
    if open_at is not None:
        spans.append((open_at, n))
    if not spans and not any(c in original for c in "\"\u201c\u201d\u201e\u00ab\u00bb"):
        spans = _pair_single_quotes(original)
    if not spans:
        # dialogue dashes of Slavic-language news: "\u2014 The occupiers are trying ..., \u2014 Humeniuk said."
        m = re.match(r"^\s*[\u2014\u2013-]\s+(.+?[,.!?])\s+[\u2014\u2013-]\s+\S", original)
        if m:
            spans = [(m.start(1), m.end(1))]
    return spans


def _pair_single_quotes(original: str) -> list[tuple[int, int]]:
    """British style \u2018...\u2019 (or '...'): an apostrophe inside a word never closes a
    quote; an unclosed single quote only runs on when it opens the paragraph."""
    spans: list[tuple[int, int]] = []
    open_at = None
    n = len(original)
    for i, ch in enumerate(original):
        if ch not in "'\u2018\u2019":
            continue
        prev = original[i - 1] if i > 0 else " "
        nxt = original[i + 1] if i + 1 < n else " "
        if open_at is None:
            if (ch == "\u2018" or (ch == "'" and (prev.isspace() or prev in "([{-\u2014:" or i == 0))) \
                    and (nxt.isalnum() or nxt in "\u2026."):
                open_at = i + 1
        elif ch in "'\u2019" and not nxt.isalnum() and not prev.isspace():
            spans.append((open_at, i))
            open_at = None
    if open_at is not None and open_at <= 2:
        spans.append((open_at, n))
    return spans


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        # keep a sentence end just inside the closing mark visible: '... shells."' ends a sentence
        keep = b - 1 if b > a and text[b - 1] in ".!?" and b < len(text) else -1
        for k in range(a, b):
            if not chars[k].isspace() and k != keep:
                chars[k] = "x"
    return "".join(chars)


def _subject_before(masked: str, s_start: int, v_start: int) -> tuple[int, int] | None:
    """The subject noun phrase before a cue verb, as a span; skips leading adverbials
    and relative clauses (``, which provides ...,``)."""
    semi = masked.rfind(";", s_start, v_start)
    if semi >= 0:  # "The US sent shells; the Center ... estimated": the clause after the semicolon
        s_start = semi + 1
    prefix = masked[s_start:v_start]
    prefix_stripped = _AUX_TAIL.sub("", prefix)
    if not prefix_stripped.strip():
        return None
    end = s_start + len(prefix_stripped.rstrip())
    # chunks by commas
    pieces = []
    pos = s_start
    for m in re.finditer(r",", masked[s_start:end]):
        pieces.append((pos, s_start + m.start()))
        pos = s_start + m.end()
    pieces.append((pos, end))
    pieces = [(a, b) for a, b in pieces if masked[a:b].strip()]
    if not pieces:
        return None
    # the last piece that can be a subject; an appositive role after a name joins it
    for k in range(len(pieces) - 1, -1, -1):
        a, b = pieces[k]
        chunk = masked[a:b].strip()
        if re.match(r"^(?:which|who|whose|where|that)\b", chunk, re.I) or re.match(r"^(?!(?:acting|leading|ruling|founding|governing|managing|presiding|outgoing|incoming|"
                                                   r"commanding|visiting|reigning|serving)\b)[a-z]+ing\b", chunk):
            continue  # a relative clause or a participle phrase: ", commenting on the strike,"
        sub = None
        for sub in re.finditer(r"(?:^|\s)(?:after|before|when|while|since|because|although|though|until|once)\s+",
                               chunk, re.I):
            pass
        if sub and k == len(pieces) - 1 and 0 < len(chunk[sub.end():].split()) <= 8 \
                and not _MAIN_VERB.search(chunk[sub.end():]):
            # "..., after a top Kyiv official said ...": the subject of the subordinate clause
            lead = len(masked[a:b]) - len(masked[a:b].lstrip())
            return a + lead + sub.end(), b
        if _PREP_START.match(chunk) and not re.match(r"^[Aa]s\s+(?:(?:the|a|an|[a-z-]+)\s+){0,4}[A-Z]", chunk) \
                and not re.match(r"^Under[\s-]+Secretary\b", chunk):  # "Under Secretary of Defense X": a title
            continue
        if chunk.lower() in ("however", "therefore", "indeed", "and", "but", "meanwhile", "instead", "also",
                             "though", "too", "in addition", "moreover", "furthermore", "now", "then"):
            continue
        if 'x"' in chunk or len(chunk.split()) > 25:
            return None
        # "Putin's spokesman, Dmitry Peskov, said": a role chunk before a bare name
        if k > 0 and re.fullmatch(r"(?:[A-Z][\w.'\u2019-]*\s?){2,4}", chunk.strip()):
            pa, pb = pieces[k - 1]
            prev = masked[pa:pb].strip()
            if re.match(r"^(?:(?:the|a|an|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)\s+|[A-Z][a-z]+['\u2019]s\s+)[\w\s'\u2019-]{2,60}$", prev) \
                    and not _PREP_START.match(prev) and len(prev.split()) <= 8:
                return pa, b
        opener = _OPENER.match(masked[a:b])
        if opener and k == 0:
            a += opener.end()
            chunk = masked[a:b].strip()
        if len(chunk.split()) > 6 and k == 0 and _role_head(chunk) is None:
            cut = _np_end(masked, a, b)
            if cut is not None:
                return a, cut
        # appositive role (or age) after a name chunk: "Maria Lopez, 45, a nurse at ..., said"
        if k > 0 and _is_appositive(chunk):
            j = k - 1
            while j > 0 and re.fullmatch(r"\s*\d{1,3}\s*", masked[pieces[j][0]:pieces[j][1]]):
                j -= 1
            pa, pb = pieces[j]
            prev = masked[pa:pb].strip()
            if prev and re.search(r"[A-Z][a-z]+$", prev) and not _PREP_START.match(prev) and _name_like(prev) \
                    and not _WHEN_WORDS.search(prev):
                return pa, b
        tail = re.search(r"\band\s+((?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+){0,3})\s*$",
                         masked[a:b])
        if tail and len(re.findall(r"\b[a-z]{3,}\b", masked[a:a + tail.start()])) >= 3:
            # "the allies agreed a larger package and Mr Brandt stressed": the second clause's subject
            return a + tail.start(1), b
        return a, b
    return None


_WHEN_WORDS = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
                         r"April|May|June|July|August|September|October|November|December|Also|Earlier|Later)\b")
_NP_CONNECT = {"of", "the", "for", "and", "at", "on", "in", "a", "an", "de", "le", "la"}


def _np_end(masked: str, a: int, b: int) -> int | None:
    """End of a capitalised noun phrase at the start of a long chunk: after its last
    capitalised word, before the first lower-case word that is not a connector."""
    toks = list(re.finditer(r"[\w.'\u2019-]+", masked[a:b]))
    seen_cap = False
    for i, t in enumerate(toks):
        w = t.group()
        if w[0].isupper() and w.lower() not in ("a", "an", "the"):
            seen_cap = True
            continue
        if w.lower() in ("a", "an", "the"):
            continue
        nxt_cap = i + 1 < len(toks) and toks[i + 1].group()[0].isupper()
        if seen_cap and w.lower() not in _NP_CONNECT and not nxt_cap and toks[i - 1].group()[0].isupper():
            return a + toks[i - 1].end()
    return None


_MAIN_VERB = re.compile(r"\b(?:[a-z]+ed|is|was|are|were|has|have|had|will|would|said|says|told|made|gave|took|"
                        r"sent|met|spoke|wrote|went|came|held|saw|began|left|won|lost|hit|shot|put|set|cut|kept|"
                        r"spent|paid|brought|fought|sought|bought|thought|built|led|read)\b")


def _main_subject(masked: str, s_start: int, v0: int) -> tuple[int, int] | None:
    """For a participle cue after a comma ("..., saying"), the subject of the sentence's
    main clause: the words before its first verb."""
    if not masked[s_start:v0].rstrip().endswith(","):
        return None
    pos = s_start
    for chunk in re.split(r"(,)", masked[s_start:v0]):
        if chunk == ",":
            pos += 1
            continue
        stripped = chunk.strip()
        if stripped and not _PREP_START.match(stripped):
            m = _MAIN_VERB.search(chunk)
            end = m.start() if m else None
            if m is None:
                # a present-tense verb after a name: "Putin (frequently) boasts about ..., claiming that"
                pres = re.search(r"\b[A-Z][\w'\u2019-]*((?:\s+[a-z]+ly)?\s+)[a-z]{3,}s\b", chunk)
                end = pres.start(1) if pres else None
            if end is None or not chunk[:end].strip():
                return None
            a = pos + (len(chunk) - len(chunk.lstrip()))
            return a, pos + end
        pos += len(chunk)
    return None


def _name_like(chunk: str) -> bool:
    """A short phrase of capitalised words (a name, possibly with a title), not a clause."""
    words = re.sub(r"^(?:the|a|an)\s+", "", chunk.strip(), flags=re.I).split()
    return 0 < len(words) <= 6 and all(w[0].isupper() or w.lower() in _NP_CONNECT for w in words)


def _is_appositive(chunk: str) -> bool:
    from .speakers import _looks_like_role
    return _looks_like_role(chunk) and not re.match(r"^(?:he|she|they|it)\b", chunk, re.I)


#: discourse openers of translated copy: "Recall that earlier the head of ..."
_OPENER = re.compile(r"\s*(?:(?:recall|note|remember|notably|it should be noted|we recall)\b(?:\s+that)?\s*)?"
                     r"(?:(?:earlier|previously|also|meanwhile|in turn|at the same time)\b,?\s*)?", re.I)


#: a section label or place glued before the subject: "Details: The minister", "Mariupol: A ...",
#: "Some context: Moscow", a dateline "MOSCOW/KIEV - The Kremlin"
_LEAD_LABEL = re.compile(r"^(?:(?:[A-Z][\w'\u2019-]*)(?:\s+[\w'\u2019-]+){0,2}:\s+|[A-Z][A-Z/ ,.]{2,40}\s+[-\u2013\u2014]\s+)"
                         r"(?=\S)")
#: adverbs left after the subject: "The Russian President also"
_TRAIL_ADVERB = re.compile(r"(?:\s+(?:also|too|again|however|meanwhile|then|further|once again|later|himself|"
                           r"herself|itself|themselves))+$", re.I)


def _clean_np(s: str) -> str:
    s = s.strip().strip(",;:-\u2013\u2014").strip()
    s = _LEAD_LABEL.sub("", s, count=1)
    s = s[_OPENER.match(s).end():]
    s = _TRAIL_ADVERB.sub("", s)
    # an acronym in brackets after the name, closed or cut off: "Institute for the Study of War (ISW"
    s = re.sub(r"\s*\((?:[A-Z][A-Za-z]{1,7})\)?$", "", s)
    # a place adjective before an organisation: "the Washington-based Institute ..."
    s = re.sub(r"^(?:((?i:the))\s+)?[A-Z][\w.]*-based\s+(?=[A-Z])", lambda m: f"{m.group(1)} " if m.group(1) else "", s)
    # a trailing adjunct is not part of the speaker: "X during a telethon", "X on the air of ..."
    s = re.sub(r",?\s+according to\s+[^,]{2,60}$", "", s)  # "said X, according to Reuters": the relay
    s = re.sub(r"\s+(?:on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Jan|Feb|Mar|Apr|May|Jun|Jul|"
               r"Aug|Sep|Oct|Nov|Dec)[a-z]*\.?(?:\s+\d|\b)|at the time\b|at \d).*$", "", s)
    s = re.sub(r"\s+(?:during\s|while\s|speaking\s|on the air\b|via\s|at an?\s+(?:briefing|press conference|news "
               r"conference|meeting|telethon|summit|rally|event|forum)\b|in an?\s+(?:interview|statement|post|video|"
               r"address|speech|briefing|tweet)\b).*$", "", s)
    s = re.sub(r'^[",\s\[\]()]+|[",\s\[\]()]+$', "", s)
    s = re.sub(r"^(?:and|but|so|as|also|then|though|although|while|whereas|yet)\s+", "", s, flags=re.I)
    if not re.search(r"(?:\b[A-Z]\.){2,}$", s):  # "the U.N." keeps its final period
        s = re.sub(r"\.$", "", s)
    return s.strip()


def _valid_speaker(np: str) -> bool:
    if not np or len(np.split()) > 30:
        return False
    if _EVENT_HEADS.search(np.split(",")[0]):
        return False
    first = np.split()[0]
    if np.lower() in ("it", "they"):
        return True
    if re.match(r"^[a-z][\w-]*(?:\s+[a-z][\w-]*)*\s+(?:that|which)\s", np):
        return False  # an embedded claim: "weapons that U.S. defense officials say have proven ..."  # resolved to the nearest organisation or group that spoke (_resolve_it_they)
    if first.lower() in ("it", "this", "that", "there", "which", "what", "they", "we", "i", "you", "these"):
        return False
    if first.lower().rstrip(",") in ("similarly", "likewise", "additionally", "moreover", "furthermore", "however",
                                     "meanwhile", "nevertheless", "nonetheless", "instead", "indeed", "still"):
        return False  # a sentence adverb, not a speaker: "Similarly, that Biden called Putin ..."
    if re.match(r"^(?:one|another|a|an|two|three|four|five|several|some|many|\d+)\s+(?:senior\s+|western\s+|"
                r"european\s+|local\s+|u\.?s\.?\s+|ukrainian\s+|russian\s+)?(?:officials?|sources?|diplomats?|"
                r"analysts?|experts?|residents?|witness(?:es)?|soldiers?|commanders?|officers?|people)\b", np, re.I):
        return True
    if re.match(r"^the\s+(?:[a-z'\u2019-]+\s+){0,3}[a-z-]+$", np) and len(np.split()) <= 5:
        return True  # "the air force", "the utility", "the regional administration"
    head = np.split(",")[0].split()
    if not head:
        return False
    # the head noun of "the head of the central bank", "a spokesman for the ministry" is before "of"/"for"
    before_of = re.split(r"\s+(?:of|for|at|in|with|from)\s+", " ".join(head))[0].split()
    if before_of and len(before_of) < len(head) and before_of[-1].lower() in ROLE_WORDS | GROUP_NOUNS:
        return True
    if not any(w[0].isupper() for w in head) and head[-1].lower() not in DOC_NOUNS \
            and head[-1].lower() not in ("experts", "analysts", "officials", "sources", "observers",
                                         "diplomats", "critics", "researchers", "economists", "reports",
                                         "commentators", "residents", "witnesses", "authorities",
                                         "investigators", "lawmakers", "he", "she", "president", "minister",
                                         "official", "source", "diplomat", "analyst", "expert", "resident",
                                         "witness", "soldier", "doctors", "doctor", "farmers", "volunteers",
                                         "mayor", "governor", "spokesman", "spokeswoman", "spokesperson",
                                         "chief", "commander", "ministry", "government", "newspaper", "agency"):
        return False
    return True


@dataclass
class _Para:
    """One paragraph being read: its index, the original text, the quote-folded text, the
    folded text with quote contents masked, and the quote spans."""

    pi: int
    para: str
    text: str
    masked: str
    qspans: list[tuple[int, int]]
    sentences: list[tuple[int, int]] = field(default_factory=list)


#: a cue found in a sentence: (start, end, cue word, speaker span, attributed-words span)
_Found = tuple[int, int, str, "tuple[int, int] | None", tuple[int, int]]


@dataclass
class _DocState:
    """What the reading of a document carries from paragraph to paragraph."""

    registry: Registry
    mentions_by_para: list
    paragraphs: list[str] = field(default_factory=list)
    out: list[Statement] = field(default_factory=list)


def extract_statements(paragraphs: list[str]) -> list[Statement]:
    """All attributed statements of a document's cleaned paragraphs, in order."""
    registry = Registry()
    folded = [fold_quotes(p) for p in paragraphs]
    for text in folded:  # first pass: every full name and role in the document
        scan_people(text, registry)
        registry.scan_acronyms(text)
    # second pass: mentions, now including surname-only mentions of people named later
    turns = _interview_turns(paragraphs, folded, registry)
    doc = _DocState(registry, [scan_people(text, registry) for text in folded], list(paragraphs))
    prev_open_quote = False
    pending_colon: Statement | None = None  # "Putin stated:" with the quote in the next paragraph
    # a transcript (two or more labelled turns): an answer goes on in the unlabelled paragraphs after
    # its label until a question, a cue or the next label
    transcript = sum(len(t) for t in turns if t) >= 2
    turn: Speaker | None = None
    for pi, para in enumerate(paragraphs):
        text = fold_quotes(para)
        if turns[pi] is not None:
            for spk, a, b in turns[pi]:
                inner, own = _read_turn(pi, para, a, b, doc, spk)
                if len(own.split()) >= 3:
                    doc.out.append(Statement(pi, a, b, own, "reported", "(speaker label)", spk))
                doc.out.extend(inner)
                turn = spk if not para[a:b].rstrip().endswith("?") else None
            prev_open_quote = False
            _drop_empty(pending_colon, doc.out)
            pending_colon = None
            continue
        qspans = pair_quotes(para)
        lay = _QUOTE_LAYOUT.match(para)
        recent = [st for st in doc.out if st.para >= pi - 3]
        if lay and recent and qspans:
            # 'Quote: "..."' under a paragraph that attributed words: the same speaker's words
            doc.out.append(Statement(pi, lay.end(), len(para), para[lay.end():].strip(), "direct",
                                     "(Quote: layout)", recent[-1].speaker,
                                     [para[x:y] for x, y in qspans]))
            _drop_empty(pending_colon, doc.out)
            pending_colon, turn = None, None
            prev_open_quote = qspans[-1][1] == len(para) and not re.search(r"[\"\u201d]\s*$", para)
            continue
        p = _Para(pi, para, text, _mask(text, qspans), qspans)
        para_statements: list[Statement] = []
        p.sentences = sentence_spans(p.masked)
        for s_start, s_end in p.sentences:
            _read_sentence(p, s_start, s_end, doc, para_statements)
        if pending_colon is not None and not para_statements and qspans and qspans[0][0] <= 2:
            # the cue ended its paragraph with a colon: this quote is what it introduced
            pending_colon.para, pending_colon.start, pending_colon.end = pi, 0, len(para)
            pending_colon.text, pending_colon.kind = para.strip(), "direct"
            pending_colon.quotes = [para[x:y] for x, y in qspans]
            pending_colon = None
            prev_open_quote = qspans[-1][1] == len(para) and not re.search(r"[\"\u201d]\s*$", para)
            continue
        _drop_empty(pending_colon, doc.out)
        pending_colon = para_statements[-1] if para_statements and _ends_with_cue_colon(para, para_statements[-1]) \
            else None
        credited = None if para_statements else _credited_entry(pi, para, doc.registry)
        if credited is not None:
            para_statements.append(credited)
        if transcript and turn is not None and not para_statements and not para.rstrip().endswith("?") \
                and not _LABEL.match(_unbullet(text)) and not _LABEL_LINE.match(_unbullet(text)):
            doc.out.append(Statement(pi, 0, len(para), para.strip(), "continued", "(continues turn)", turn))
            prev_open_quote = False
            continue
        turn = None
        _continue_across_paragraphs(p, doc.out, para_statements, prev_open_quote,
                                    pi > 0 and paragraphs[pi - 1].rstrip().endswith(":"))
        prev_open_quote = bool(qspans) and qspans[-1][1] == len(para) and not re.search(r"[\"\u201d]\s*$", para)
        doc.out.extend(para_statements)
    _drop_empty(pending_colon, doc.out)
    return doc.out


#: the "Quote:" layout of Ukrainian news sites: a label, then the quotation of the speaker above
_QUOTE_LAYOUT = re.compile(r"^\s*(?:Quote|Direct speech)\s*:\s*(?=[\"\u201c\u00ab])")


def _drop_empty(st: Statement | None, out: list[Statement]) -> None:
    """A cue and a colon that no quote followed: no words, no statement."""
    if st is not None and len(st.text.split()) < 3 and st in out:
        out.remove(st)


#: a transcript's tag after the label's name: "ZELENSKYY (UKRAINIAN):", "KULEBA (through interpreter):"
_LABEL_TAG = r"(?:\s+\([A-Za-z][A-Za-z ]{1,24}\))?"
_LABEL = re.compile(r"^(?P<name>[A-Z][A-Za-z.'\u2019-]*(?:\s+[A-Z][A-Za-z.'\u2019-]*){0,3}|[a-z0-9-]+\.[a-z]{2,3})"
                    + _LABEL_TAG + r":(?:\s+|(?=[A-Z\u201c\"]))(?P<rest>\S.*)$", re.S)
#: a transcript's label alone on its line, perhaps with a time code: "Margaret Brennan: (00:18)"
_LABEL_LINE = re.compile(r"^(?P<name>[A-Z][A-Za-z.'\u2019-]*(?:\s+[A-Z][A-Za-z.'\u2019-]*){0,3})" + _LABEL_TAG + r":\s*"
                         r"(?:\(?\d{1,2}:\d{2}(?::\d{2})?\)?)?\s*$")
_BULLET = re.compile(r"^\s*[\u2022\u25cf\u25aa*\u2013\u2014-]\s*(?=[A-Z])")


def _unbullet(text: str) -> str:
    """A paragraph without a leading list bullet ("  \u2022 Judy Woodruff:The revelations")."""
    return _BULLET.sub("", text.strip(), count=1)


def _label_name(name: str) -> str:
    """A label's name as prose writes it: a transcript's capitals ("JULIE PACE") in title case."""
    return " ".join(t.capitalize() if t.isupper() and len(t) > 1 else t for t in name.split())


def _repeated_labels(folded: list[str]) -> set[str]:
    """Names that label two or more paragraphs: a transcript's turns, whether or not the prose
    names the speaker."""
    seen: dict[str, int] = {}
    for t in folded:
        m = _LABEL.match(_unbullet(t)) or _LABEL_LINE.match(_unbullet(t))
        if m:
            key = _label_name(m.group("name"))
            seen[key] = seen.get(key, 0) + 1
    return {k for k, n in seen.items() if n >= 2 and len(k.split()) >= 2}


def _speaker_label(text: str, registry: Registry, prose: str = "", repeated: set[str] | None = None,
                   full_names: bool = False) -> tuple[Speaker, str] | None:
    """An interview turn, ``Name Surname: words``, as (speaker, words), or None. The label is a
    speaker only when it is a person the document names elsewhere (or a surname of one), a full
    name (two or more name words) that labels two or more turns, or an outlet's domain
    (``ntv.de: How does ...``): ``Source:``, ``Details:``, ``Key Facts:`` are not. Transcript
    capitals (``JULIE PACE:``) and a list bullet before the label are read as the name."""
    m = _LABEL.match(_unbullet(text))
    role = None
    if not m and full_names:
        m = _ROLE_LABEL.match(_unbullet(text))
        role = m.group("role").strip() if m else None
    if not m:
        return None
    name, rest = _label_name(m.group("name")), m.group("rest").strip()
    if re.fullmatch(r"[a-z0-9-]+\.[a-z]{2,3}", name):
        return Speaker(name + ":", name, None, "organisation", "interview label (outlet)"), rest
    if not all(is_name_token(t) for t in name.split()):
        return None
    known = registry.find(name)
    if known is not None and re.search(rf"\b{re.escape(known.surname)}\b", prose):
        return Speaker(name + ":", known.name, known.role, "person", "interview label"), rest
    if repeated and name in repeated:
        return Speaker(name + ":", name, None, "person", "interview label (repeated)"), rest
    if full_names and len(name.split()) >= 2 and not any(t.lower() in STOP_CAPS for t in name.split()):
        return Speaker(name + ":", name, role, "person", "interview label (full name in a transcript)"), rest
    if full_names and re.search(rf"\b{re.escape(name)}\b", prose):
        # "RADDATZ: ...", "ZELENSKYY (UKRAINIAN): ..." in a transcript whose prose writes "spoke to Zelenskyy"
        return Speaker(name + ":", name, role, "person", "interview label (a name the prose writes)"), rest
    return None


#: in a transcript, a full name with its role before the colon: "Dmytro Kuleba, Ukrainian Minister of
#: Foreign Affairs: It's a very painful question"
_ROLE_LABEL = re.compile(r"^(?P<name>[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+){1,3}),\s+(?P<role>[^:?!.]{3,80}):"
                         r"\s*(?P<rest>\S.*)$", re.S)


#: ``Paris Match. Will the Russians ...`` / ``Dmytro Kouleba. We hope so.``: a printed interview's
#: label with a full stop for the colon, read as a label only when two or more paragraphs open so
_DOT_LABEL = re.compile(r"^(?P<name>[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+){1,3})\.\s+(?P<rest>[A-Z\u201c\"].*)$", re.S)
#: a turn glued to the previous one inside a paragraph: ``...that we see?Dmytro Kuleba, Ukrainian
#: Minister of Foreign Affairs: It's a very painful question``
_GLUED_LABEL = re.compile(r"(?<=[?.!\u201d\"])\s*(?P<name>[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+){1,3})"
                          r"(?:,\s+(?P<role>[^:?!.]{3,80}))?:\s*(?=\S)")


def _interview_turns(paragraphs: list[str], folded: list[str], registry: Registry
                     ) -> list[list[tuple[Speaker, int, int]] | None]:
    """Per paragraph, its interview turns as (speaker, start, end) in the paragraph, ``[]`` for a
    label alone on its line (it speaks the next paragraph, and says nothing itself), or None for
    prose. A label is a name the document writes elsewhere, a full name that labels two or more
    turns, an outlet's domain, or, in a transcript (two or more labelled turns), any full name,
    perhaps with its role (``Dmytro Kuleba, Ukrainian Minister of Foreign Affairs:``); labels with
    a full stop (``Dmytro Kouleba. We hope so.``) count when two or more paragraphs open so; a
    second label glued inside a turn after its question starts a turn of its own."""
    # the name must also be written outside the labels
    prose = " ".join(t for t in folded if not _LABEL.match(_unbullet(t)) and not _LABEL_LINE.match(_unbullet(t)))
    repeated = _repeated_labels(folded)
    labels = _labels(folded, registry, prose, repeated, full_names=False)
    shaped = sum(1 for lab, t in zip(labels, folded) if lab is None and _full_name_label(t))
    transcript = sum(1 for lab in labels if lab is not None and lab[1] is not None) + shaped >= 2
    if transcript:  # any full name (perhaps with its role) labels a turn
        labels = _labels(folded, registry, prose, repeated, full_names=True)
    dotted = [i for i, t in enumerate(folded) if labels[i] is None and _dot_label_name(t)]
    if len(dotted) >= 2:
        for i in dotted:
            m = _DOT_LABEL.match(folded[i].strip())
            name = m.group("name")
            kind = "person" if all(is_name_token(t) for t in name.split()) else "organisation"
            spk = Speaker(name + ".", name, None, kind, "interview label (full stop)")
            known = registry.find(name)
            if known is not None:
                spk = Speaker(name + ".", known.name, known.role, "person", "interview label (full stop)")
            labels[i] = (spk, m.group("rest").strip())
        transcript = True
    turns: list[list[tuple[Speaker, int, int]] | None] = []
    for para, lab in zip(paragraphs, labels):
        if lab is None:
            turns.append(None)
            continue
        spk, rest = lab
        if rest is None:
            turns.append([])
            continue
        end = len(para.rstrip())
        a = max(0, end - len(rest))
        cur: list[tuple[Speaker, int, int]] = []
        if transcript:
            for g in _GLUED_LABEL.finditer(fold_quotes(para), a, end):
                name = g.group("name")
                if not all(is_name_token(t) and t.lower() not in STOP_CAPS for t in name.split()):
                    continue
                known = registry.find(name)
                nxt = Speaker(g.group(0).strip(), known.name if known else name,
                              (known.role if known else None) or (g.group("role") or "").strip() or None,
                              "person", "interview label (glued to the turn before)")
                cur.append((spk, a, g.start()))
                spk, a = nxt, g.end()
        cur.append((spk, a, end))
        turns.append(cur)
    return turns


def _label_words(name: str) -> bool:
    """Words that can make a label: capitalised, none a function word or a title ("Paris Match",
    "Dmytro Kouleba"; not "The Minister", "In Kyiv")."""
    return all(t[:1].isupper() and t.lower() not in STOP_CAPS and t.lower() not in ROLE_WORDS
               and not any(c.isdigit() for c in t) for t in name.split())


def _labels(folded: list[str], registry: Registry, prose: str, repeated: set[str], full_names: bool
            ) -> list[tuple[Speaker, str | None] | None]:
    """Each paragraph's label as (speaker, the turn's words), (speaker, None) for a label alone on its
    line (``Margaret Brennan: (00:18)``, which speaks the next paragraph), or None. ``full_names``
    (a transcript) lets any full name label a turn written on the label's own line."""
    # a label after a live blog's time stamp is read as in a transcript ("08:02 p.m. Zelensky: ...")
    labels = [_speaker_label(_LIVE_STAMP.sub("", text, count=1), registry, prose, repeated,
                             full_names or bool(_LIVE_STAMP.match(text))) for text in folded]
    for i, text in enumerate(folded[:-1]):
        alone = _LABEL_LINE.match(_unbullet(text))
        if alone and labels[i + 1] is None and not _LABEL_LINE.match(_unbullet(folded[i + 1])):
            # a label line needs a name the prose writes or that labels two turns, even in a transcript
            got = _speaker_label(alone.group("name") + ": " + folded[i + 1].strip(), registry, prose, repeated)
            if got is not None:
                labels[i + 1] = (got[0], folded[i + 1].strip())
                labels[i] = (got[0], None)
    return labels


#: a live-blog entry's time stamp: "08:02 p.m. Zelensky: Russia must ..."
_LIVE_STAMP = re.compile(r"^\s*\d{1,2}[:.]\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?\s+(?=[A-Z\u201c\"])")
#: a live-blog entry credited to an outlet at its end: "... to the Russian market — The Wall Street Journal."
_CREDIT_TAIL = re.compile(r"\s[\u2014\u2013-]\s*((?:The\s+)?[A-Z][\w.&'\u2019-]*(?:\s+[A-Z][\w.&'\u2019-]*){0,4})\.?\s*$")


def _credited_entry(pi: int, para: str, registry: Registry) -> Statement | None:
    """A time-stamped live-blog entry that ends by crediting an outlet (GOLD_FORMAT item 13): the
    outlet's statement, as if "according to" it. None for anything else."""
    stamp = _LIVE_STAMP.match(para)
    tail = _CREDIT_TAIL.search(para) if stamp else None
    if tail is None or len(para[stamp.end():tail.start()].split()) < 3:
        return None
    outlet = tail.group(1).rstrip(".")
    spk = Speaker(outlet, registry.organisation(outlet), None, "organisation",
                  "outlet credited at the end of a live-blog entry")
    words = para[stamp.end():tail.start()].strip()
    return Statement(pi, stamp.end(), tail.start(), words, "reported", "(credited)", spk)


def _dot_label_name(text: str) -> bool:
    m = _DOT_LABEL.match(text.strip())
    return bool(m) and _label_words(m.group("name"))


def _full_name_label(text: str) -> bool:
    """A paragraph shaped like a transcript turn under a full name: ``Judy Woodruff:The ...``,
    ``Dmytro Kuleba, Ukrainian Minister of Foreign Affairs: It's ...``."""
    m = _LABEL.match(_unbullet(text)) or _ROLE_LABEL.match(_unbullet(text))
    return bool(m) and len(m.group("name").split()) >= 2 and _label_words(m.group("name"))


def _read_turn(pi: int, para: str, a: int, b: int, doc: _DocState, speaker: Speaker
               ) -> tuple[list[Statement], str]:
    """An interview turn's attributions to third parties (``Mariupol's governor says ...`` in the
    host's question: entries of their own, GOLD_FORMAT rule 12) and the turn's own words, which
    are the rest of it. A description inside the turn never resolves to the turn's own speaker
    (nobody calls themself "Mariupol's governor"); it stays as written."""
    sub = para[a:b]
    text = fold_quotes(sub)
    qspans = pair_quotes(sub)
    p = _Para(pi, sub, text, _mask(text, qspans), qspans)
    p.sentences = sentence_spans(p.masked)
    inner: list[Statement] = []
    for s_start, s_end in p.sentences:
        _read_sentence(p, s_start, s_end, doc, inner)
    # a pronoun the turn does not resolve stays the turn's own words ("as he said, ...")
    inner = [st for st in inner if st.speaker.name.lower() not in ("he", "she", "it", "they", "him", "her", "them")]
    other = next((st.speaker for st in reversed(doc.out) if st.cue in ("(speaker label)", "(continues turn)")
                  and st.speaker.name != speaker.name), None)
    for x, y in p.sentences if other is not None else ():
        you = re.search(r"\byou\s+(?:have\s+|had\s+)?(?:said|told|warned|argued|claimed|stated|called for)\b\s*(?:that\s+)?",
                        text[x:y])
        if you and not any(st.start < y and x < st.end for st in inner):
            # "I know you have said you were involved": the interviewee's words in the host's turn (GOLD_FORMAT 13)
            inner.append(Statement(pi, x, y, sub[x + you.end():y].strip(), "reported", you.group().split()[-1],
                                   Speaker("you", other.name, other.role, other.kind,
                                           "you -> the other speaker of the interview")))
    own = " ".join(sub[x:y].strip() for x, y in p.sentences
                   if not any(st.start < y and x < st.end for st in inner)).strip()
    for st in inner:
        st.start, st.end = st.start + a, st.end + a
        if st.speaker.name == speaker.name and st.speaker.text != st.speaker.name:
            st.speaker = Speaker(st.speaker.text, re.sub(r"^(?i:the|a|an)\s+", "", st.speaker.text), None, "unresolved",
                                 "a description inside an interview turn, not the turn's own speaker")
    return inner, own


def _ends_with_cue_colon(para: str, st: Statement) -> bool:
    """``Putin stated:`` / ``He added:`` / ``..., he said in a post on X:`` - a cue that ends its
    paragraph with a colon and attributes nothing after it: the next paragraph's quote is its content."""
    body = para.rstrip()
    if not body.endswith(":") or st.quotes:
        return False
    m = None
    for m in _CUE.finditer(fold_quotes(body)):
        pass
    return m is not None and len(body[m.end():].split()) <= 8 and not re.match(r"\s+that\b", body[m.end():])


def _read_sentence(p: _Para, s_start: int, s_end: int, doc: _DocState, para_statements: list[Statement]) -> None:
    """Find the sentence's attributions and append their statements; a sentence with quote
    segments but no cue continues the paragraph's last statement."""
    found = _according_cues(p, s_start, s_end)
    found_according = bool(found)
    found += _passive_cues(p, s_start, s_end)
    found += _back_reference_cues(p, s_start, s_end)
    for m in _CUE.finditer(p.masked[s_start:s_end]):
        if any(f[2] == BACK_REFERENCE_CUE and f[0] <= s_start + m.start() < f[1] for f in found):
            continue
        f = _verb_cue(p, s_start, s_end, m, found, found_according)
        if f is not None:
            found.append(f)
    # '"...," X said, according to a transcript': the speaker is X, the transcript is the source
    p1 = [f for f in found if f[2] != "according to" and f[4][1] <= f[0] + 2]
    if p1:
        found = [f for f in found if not (f[2] == "according to" and any(f[0] > g[0] for g in p1))]
    found = _according_to_relay(p, s_end, found)
    found = sorted(found, key=lambda f: f[0])
    relay = _relay_tail(p, s_end, found)
    if relay is not None:  # the relayed words run up to the relay's comma
        last, prev = found[-1], found[-2]
        words = prev[4] if prev[4][1] <= prev[0] + 2 else (prev[4][0], max(prev[4][1], last[0]))
        found = found[:-2] + [(prev[0], prev[1], prev[2], prev[3], words)]
    for f in found:
        st = _make_statement(p, s_start, s_end, f, doc, para_statements)
        if st is not None:
            if relay is not None and f is found[-1]:
                st.speaker = Speaker(st.speaker.text, st.speaker.name, st.speaker.role, st.speaker.kind,
                                     f"{st.speaker.how}; relayed by {relay}")
            para_statements.append(st)
    if not found and para_statements:
        qs = [q for q in p.qspans if q[0] >= s_start and q[1] <= s_end + 1 and q[1] > q[0]]
        if qs:
            last = para_statements[-1]
            extra = [p.para[x:y] for x, y in qs]
            last.text = last.text + " " + " ".join(e.strip() for e in extra)
            last.quotes.extend(extra)
            last.end = s_end


def _according_to_relay(p: _Para, s_end: int, found: list[_Found]) -> list[_Found]:
    """``"...," said Kuleba, according to Reuters`` / ``Erdogan announced that ..., according to
    Anadolu``: a sentence-final "according to X" after a cue with its own named speaker is the
    relay of that speaker's words (GOLD_FORMAT item 13), not a second source; it is dropped and the
    cue's words stop before it."""
    tail = [f for f in found if f[2] == "according to" and re.fullmatch(r"[\s.\"'\u201d)]*", p.masked[f[1]:s_end])]
    if not tail:
        return found
    acc = tail[-1]
    verbs = [f for f in found if f[2] != "according to" and f[3] is not None and f[0] < acc[0]]
    if not verbs:
        return found
    cut = len(p.masked[:acc[0]].rstrip(" ,"))
    return [(f[0], f[1], f[2], f[3], (f[4][0], min(f[4][1], cut)) if f[4][0] < cut else f[4])
            for f in found if f is not acc]


_RELAY_VERBS = {"reported", "reports", "wrote", "writes"}


def _relay_tail(p: _Para, s_end: int, found: list[_Found]) -> str | None:
    """``..., Kremlin spokesman Dmitry Peskov has said, Sputnik reported.`` / ``Zelenskyy ... admitted
    that ..., Ukrainska Pravda reported.``: a sentence-final "X reported" after another cue whose
    speaker is named is the relay of that cue's words, not a statement of its own; its name."""
    if len(found) < 2:
        return None
    last, prev = found[-1], found[-2]
    if last[2] not in _RELAY_VERBS or last[3] is None or prev[3] is None or last[0] <= prev[1]:
        return None
    if not re.fullmatch(r"[\s.\"'\u201d)]*", p.masked[last[1]:s_end]) or "," not in p.masked[max(0, last[0] - 3):last[0] + 1]:
        return None
    name = _clean_np(p.text[last[3][0]:last[3][1]])
    return name if name and name[0].isupper() and len(name.split()) <= 5 else None


#: where a phrase after a cue ends: a comma, or a sentence mark that is not an abbreviation's period
_PHRASE_STOP = re.compile(rf",|[;:!?](?=\s|$)|{NOT_ABBREV}\.(?=\s|$)")


def _phrase_after(masked: str, a: int, s_end: int) -> int:
    """End of the phrase starting at ``a``: the next comma or sentence end."""
    stop = _PHRASE_STOP.search(masked[a:s_end])
    return a + (stop.start() if stop else s_end - a)


def _according_cues(p: _Para, s_start: int, s_end: int) -> list[_Found]:
    """``according to X`` (``in the words of X``, ``as quoted by X``): X speaks the rest."""
    found: list[_Found] = []
    masked = p.masked
    for m in _ACCORDING.finditer(masked[s_start:s_end]):
        a = s_start + m.end()
        b = _phrase_after(masked, a, s_end)
        np = _clean_np(p.text[a:b])
        limit = 16 if re.search(r"\b(?:by|from|of)\s+(?:the\s+)?[A-Z]", np) else 12  # "a report published by the ..."
        if not np or len(np.split()) > limit or np.split()[0].lower() in ("it", "this", "that", "which", "what"):
            continue
        if re.match(r"[\s,]*(?:this|that|it)\s+(?:was|has been|had been|is)\s+\w+\s+by\b", masked[b:s_end], re.I):
            continue  # "According to Censor.NET, this was reported by Bloomberg": the outlet, then the source
        # "according to Pavlo Kyrylenko, head of the regional administration.": the role in
        # apposition belongs to the speaker, not to the words
        appos = re.match(r"\s*,\s*([^,.;:]+?)\s*(?=,|[.;:](?!\d)|$)", masked[b:s_end])  # not "1.3 million"
        b_words = b
        if appos and _is_appositive(appos.group(1)) and not re.search(r"\b(?:is|are|was|were|has|have|had|will|would)\b",
                                                                     appos.group(1)):
            b_words = b + appos.end()
        # words: the rest of the sentence without the attribution phrase
        before = (s_start, s_start + m.start())
        after = (b_words, s_end)
        rel = re.search(r"\b(?:which|who|that|where)\s*,\s*$", masked[s_start:s_start + m.start()])
        words_span = (s_start + rel.start(), s_end) if rel else _words_span(masked, before, after)
        found.append((s_start + m.start(), b, "according to", (a, b), words_span))
    return found


def _passive_cues(p: _Para, s_start: int, s_end: int) -> list[_Found]:
    """``was reported by X``, ``has been announced by X``: X speaks the sentence."""
    found: list[_Found] = []
    for m in _PASSIVE_BY.finditer(p.masked[s_start:s_end]):
        a = s_start + m.end()
        b = _phrase_after(p.masked, a, s_end)
        np = _clean_np(p.text[a:b])
        if np and len(np.split()) <= 12 and _valid_speaker(np):
            found.append((s_start + m.start(), b, m.group(1), (a, b), (s_start, s_end)))
    return found


#: a sentence that attributes what was said just before it: "X made this statement during a press
#: conference", "X said this on television", "X voiced these remarks" (GOLD_FORMAT rule 10: the
#: words are the sentence before, or the paragraph before when it opens its paragraph)
_BACK_REFERENCE = re.compile(r"\s+(?:has\s+|had\s+|have\s+)?(?:(?:made|gave|voiced|expressed|delivered)\s+(?:this|these|such)"
                             r"\s+(?:statements?|remarks?|comments?|assessments?|announcements?|words)"
                             r"|(?:said|stated|announced|wrote|reported|declared)\s+(?:this|so)(?=[\s,.;]))")
BACK_REFERENCE_CUE = "made this statement"


def _back_reference_cues(p: _Para, s_start: int, s_end: int) -> list[_Found]:
    """``X made this statement``: X, the subject opening the sentence, speaks the words before it."""
    m = _BACK_REFERENCE.search(p.masked[s_start:s_end])
    if m is None:
        return []
    a, b = s_start, s_start + m.start()
    np = _clean_np(p.text[a:b])
    np_head = np.split(",")[0]
    if not np or len(np_head.split()) > 12 or not _valid_speaker(np) or _PREP_START.match(np):
        return []
    if re.search(r"\b(?:that|which|who|when|if|because)\b", p.masked[a:b]):
        return []  # the back reference sits in a subordinate clause
    return [(a, s_start + m.end(), BACK_REFERENCE_CUE, (a, b), (s_start, s_end))]


def _verb_cue(p: _Para, s_start: int, s_end: int, m: re.Match, found: list[_Found],
              found_according: bool) -> _Found | None:
    """One reporting verb: its speaker and words, or None when it is not an attribution."""
    v0, v1 = s_start + m.start(), s_start + m.end()
    verb = m.group()
    if _not_a_cue(p, s_start, s_end, v0, v1, verb, found):
        return None
    np_span, words = _speaker_after_quote(p, s_start, s_end, v0, v1, found)
    if np_span is None and words is None:
        inv = _inverted_without_quote(p, s_start, s_end, v0, v1, verb)
        if inv is not None:
            return min(inv[0][0], v0), v1, verb, inv[0], inv[1]
        if found_according and not any(f[2] == "according to" and f[0] > v1 and re.fullmatch(
                r"[\s.\"'\u201d)]*", p.masked[f[1]:s_end]) for f in found):
            return None  # the words are the according-to source's, unless it relays this cue (_according_to_relay)
        got = _speaker_as_subject(p, s_start, s_end, v0, v1, verb)
        if got is None:
            return None
        np_span, words = got
    if np_span is None:
        return None
    return min(np_span[0], v0), v1, verb, np_span, words


def _not_a_cue(p: _Para, s_start: int, s_end: int, v0: int, v1: int, verb: str, found: list[_Found]) -> bool:
    """The filters that tell a reporting verb from a passive, a noun, a compound, a quoted
    or embedded word, or a verb that needs a quotation it does not have."""
    masked, qspans = p.masked, p.qspans
    pre = masked[max(s_start, v0 - 12):v0]
    if re.search(r"\b(?:was|were|been|being|is|are|be)\s+$", pre):
        return True  # passive
    post = masked[v1:s_end]
    if verb in ("claimed", "claims", "said", "says", "believed") and re.match(r"\s+to\b", post):
        return True  # "claimed to have", "is said to"
    if verb in ("show", "shows", "showed", "showing", "found", "finds"):
        # "The images show that "...", "A poll by X found that ...", "Data compiled by X show that ..."
        doc_subject = re.search(r"\b(?:poll|survey|study|report|reports|data|figures|images|analysis|research|"
                                r"review|census|estimates|assessment|investigation)\b[^,]*$",
                                masked[s_start:v0], re.I)
        if not (re.match(r'\s+(?:that\s+)?"', post)
                or (doc_subject and re.match(r"\s+that\b|\s*(?:[.;!?]|$)", post))):
            return True
    elif verb in _QUOTE_ONLY_CUES and not _has_its_quote(masked, qspans, s_start, s_end, v0, v1, verb):
        return True
    if verb in ("warned", "warns", "warn") and re.match(r"\s+(?:(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|"
                                                        r"Friday|Saturday|Sunday|yesterday|today)\s+)?"
                                                        r"(?:of|against|about)\b", post):
        return True  # "warned of a shortage", "warns against urging Ukraine to talk": no attributed clause
    if verb in ("hopes", "hoped") and not re.match(r"\s+that\b", post):
        return True  # "hopes to", "hoped for": only "hopes that ..." states a belief
    if verb in _NP_OBJECT_CUES and not (verb in ("claimed", "claims") and any(v1 <= q[0] <= v1 + 12 for q in qspans)):
        rest = re.sub(r"^\s+(?:(?:on|last|this|earlier)\s+\w+|also|again|earlier|yesterday|today)\b", "", post)
        nxt = re.match(r"\s+([a-z][\w'-]*)", rest)
        if nxt and nxt.group(1) not in ("that", "by", "he", "she", "it", "they", "we", "there", "this", "in",
                                        "on", "at", "to", "from", "with", "via", "through", "citing", "quoting",
                                        "during", "after", "before", "while", "when", "as", "later", "separately",
                                        "however", "then"):
            return True  # "noted the strong support", "reported on Friday new shelling": an object, no words
    if _reaction_or_noun(masked, s_start, v0, verb, post, found) or _act_with_object(verb, post, v1, qspans):
        return True
    if verb in _NEEDS_CONTENT and not (re.match(r'\s*(?:,\s*)?(?:(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|'
                                                r'Friday|Saturday|Sunday|yesterday|today)\s+|(?:last|this|earlier this|'
                                                r'next)\s+(?:week|month|year|weekend|morning|evening)\s+)?'
                                                r'(?:that\b|:|")', post)
                                       or any(v1 <= q[0] <= v1 + 40 for q in qspans)
                                       or re.search(r'["\'][\s,\-\u2013\u2014]*(?:[A-Z][\w.\'-]*\s?){0,4}$',
                                                    masked[max(s_start, v0 - 40):v0])):
        return True  # a speech act with no attributed words: "NATO leaders agreed a package"
    if any(f[4][0] <= v0 < f[4][1] for f in found if f[2] != "according to"):
        return True  # a cue inside the words of another attribution: "said Kyiv had asked ..."
    if verb in _BASE_FORMS and re.search(
            r"\b(?:to|not|would|will|can|could|might|may|should|must|do|does|did|don't|i|you|we|they)\s+$",
            masked[s_start:v0], re.I):
        return True
    if any(f[0] <= v0 < f[1] for f in found):
        return True
    if v0 > 0 and masked[v0 - 1] in "-\u2010\u2011":
        return True  # part of a compound: "so-called", "much-cited"
    prev_word = re.search(r"([\w'\u2019.-]+)\W*$", masked[s_start:v0])
    pw = prev_word.group(1) if prev_word else ""
    if pw.lower() in DETERMINERS or re.search(r"['\u2019]s$", pw):
        return True  # a noun: "a think tank", "Russia's claims"
    if verb in _PARTICIPLES and pw.lower() in DOC_NOUNS | {"video", "videos", "post", "posts", "tweet", "footage"}:
        return True  # a participle after its noun: "in a video posted on social media"
    if re.search(r"(?:,\s*|\b)(?:where|which|who|whom)\s+(?:[\w.'\u2019-]+\s+){0,4}$", masked[s_start:v0]) \
            and re.search(r",\s*(?:where|which|who|whom)\b", masked[s_start:v0]):
        return True  # embedded in a relative clause: "..., where officials say a strike hit ..."
    if re.search(r",\s*(?:who|whom)\s+(?:has|had|have)?[^,;:]*\b(?:and|but)\s+(?:has\s+|had\s+)?$", masked[s_start:v0]):
        return True  # "Trump, who has repeatedly criticized ... and claimed he could ...": still the relative clause
    before_verb = masked[s_start:v0].rstrip()
    after_quote = bool(re.search(r'["\'][\s,\-\u2013\u2014]*$', before_verb))
    after_clause = before_verb.endswith(",")  # "X, who ..., says"
    if verb in _NOUN_LIKE and not (pw[:1].isupper() or pw.lower() in _SUBJECT_WORDS or pw.lower() in DOC_NOUNS
                                   or pw.endswith("ly") or after_quote or after_clause):
        return True  # "territorial claims", "the ministry's estimates"
    return False


def _has_its_quote(masked: str, qspans: list[tuple[int, int]], s_start: int, s_end: int, v0: int, v1: int,
                   verb: str) -> bool:
    """A verb that attributes words only next to a quotation (``called X "..."``, ``"...," he
    continued``, ``"...," read the statement``) has one."""
    # a quote right after the verb, with no other reporting verb between ("shared the footage ..., and
    # said, '...'": the quote is said's)
    quote_after = any(v1 <= q[0] <= v1 + 60 and q[0] < s_end and not _CUE.search(masked[v1:q[0]]) for q in qspans)
    quote_before = any(s_start - 3 <= q[1] and re.fullmatch(r'["\'\s,?!.\-\u2013\u2014]*'
                                                          r'(?:(?:[A-Z][\w.\'\u2019-]*|he|she|they|it|we)\s?){0,4}\s*',
                                                          masked[q[1]:v0]) for q in qspans if q[1] <= v0)
    quote_tag = verb in ("reads",) and any(q[1] <= v0 and s_start - 3 <= q[1] for q in qspans)
    # '"...," read the statement': the past tense only right after a quote
    quote_tag = quote_tag or (verb == "read" and bool(re.search(r'["\'\u201d]\s*,?\s*$', masked[s_start:v0]))
                              and any(q[1] <= v0 for q in qspans))
    return quote_after or (verb in ("asked", "asks", "continued", "went on") and quote_before) or quote_tag


def _act_with_object(verb: str, post: str, v1: int, qspans: list[tuple[int, int]]) -> bool:
    """``called for an immediate ceasefire``, ``urged dialogue``: a speech act whose object is a noun
    phrase (GOLD_FORMAT rule 2); with ``X to do Y``, ``that ...`` or a quote it attributes words."""
    # "urged Kyiv / the West / allies / them to ...": a person or party, then what it should do
    party = r"\s+(?:[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,3}|him|her|them|us|(?:the|all|both|his|her|its|their|our)(?:\s+[\w'-]+){1,3}|[a-z]+s)"
    return verb in _ACT_WITH_OBJECT and not (re.match(party + r"\s+to\s+[a-z]+", post[:80])
                                             or re.match(r'\s*(?:that\b|:|")', post)
                                             or any(v1 <= q[0] <= v1 + 40 for q in qspans))


def _reaction_or_noun(masked: str, s_start: int, v0: int, verb: str, post: str, found: list[_Found]) -> bool:
    """``dismissed the proposal as "..."`` (a reaction that characterises its object: GOLD_FORMAT
    rule 12), an -ing form used as a noun (``in a stark warning over ...``) or after a preposition
    (``despite claiming that ...``: rule 2 keeps it out): no words attributed."""
    if verb.endswith("ing") and found and any(f[2] != "according to" and f[1] <= v0 for f in found):
        return True  # "..., X said, adding there were no casualties": one statement (GOLD_FORMAT rule 1)
    if verb.endswith("ing") and re.search(r"\b(?:despite|after|before|without|by|since|of|for|from|about|upon|"
                                          r"instead of|besides|against|to)\s+$", masked[max(s_start, v0 - 14):v0], re.I):
        return True
    if re.search(r"\b(?:[Ww]hat|[Ww]hatever)\s+(?:[A-Z][\w.'\u2019-]*\s+){1,3}(?:has\s+|had\s+)?$", masked[max(s_start, v0 - 40):v0]):
        return True  # "What Putin said is not true": a noun clause, not an attribution
    if verb in _AS_OBJECT_CUES and re.match(r"\s+(?:(?:the|this|that|these|those|his|her|its|their|a|an)\s+)?"
                                            r"(?:[\w'\u2019-]+\s+){0,5}?as\b", post):
        return True
    return verb.endswith("ing") and bool(re.search(r"\b(?:a|an|the|its|his|her|their|this|that|in|with|of)\s+"
                                                   r"(?:[\w-]+\s+)?$", masked[max(s_start, v0 - 30):v0], re.I)) \
        and not re.search(r"\b(?:in|with|of)\s+$", masked[max(s_start, v0 - 8):v0], re.I)


def _speaker_after_quote(p: _Para, s_start: int, s_end: int, v0: int, v1: int, found: list[_Found]
                         ) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """A cue right after a closing quote: ``"...," NP said`` or ``"...," said NP``.
    Returns (speaker span, words span); both None when no quote closes before the cue."""
    masked, para, text, qspans = p.masked, p.para, p.text, p.qspans
    post = masked[v1:s_end]
    # the quote may close the previous "sentence" when it ends in ? or ! ('"Why now?" Moreau asked.')
    q_before = [q for q in qspans if q[1] <= v0 and (q[1] >= s_start - 1 or (
        q[1] >= s_start - 3 and q[1] > q[0] and para[q[1] - 1] in "?!" and not masked[q[1] + 1:s_start].strip()))]
    if not q_before:
        return None, None
    last_q = q_before[-1]
    np_span = None
    words = None
    if not (para[last_q[0]:last_q[1]].rstrip()[-1:] in (",", "?", "!", ".", "\u2026")
            or re.match(r'["\u201d\'\u2019]?\s*(?:[,\-\u2013\u2014]|$)', para[last_q[1]:v0])):
        # '"liberation" of the eastern Donbas region, the Kremlin has said': a quoted word inside
        # the sentence, not a quote that the words after it attribute
        return None, None
    between = (last_q[1] + 1, v0)
    np = _clean_np(text[between[0]:between[1]])
    if np == "":
        # '"...," said X'
        mm = _SAID_X.match(post)
        if mm:
            a = v1 + mm.start(1)
            b = v1 + mm.end(1)
            cand = _clean_np(text[a:b])
            if _valid_speaker(cand) and not any(f[4][1] >= last_q[1] for f in found if f[2] != "according to"):
                np_span = (a, b)
    elif _valid_speaker(np) and len(np.split()) <= 30:
        np_span = (between[0], between[1])
    if np_span is not None:
        words = (min(s_start, last_q[0] - 1), last_q[1] + 1)
        if any(abs(f[4][1] - words[1]) <= 1 for f in found):
            np_span = None  # this quote already has its attribution ("he said. said ...")
    return np_span, words


_INVERTING = {"said", "says", "added", "adds", "told", "wrote", "writes", "noted", "stated", "explained",
              "argued", "warned", "insisted", "stressed", "claimed", "continued", "recalled", "observed",
              # the present of news features: "..., explains Nick Reynolds, a land warfare expert"
              "explains", "notes", "argues", "warns", "insists", "stresses", "claims", "observes", "states"}


def _inverted_without_quote(p: _Para, s_start: int, s_end: int, v0: int, v1: int, verb: str
                            ) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """``About 1.7 million refugees have fled ..., said Mr Griffiths.``: reported words, a
    comma, the verb and then its subject (the inversion of a quote tag without the quote).
    Returns (speaker span, words span) or None."""
    masked = p.masked
    if verb not in _INVERTING or not masked[s_start:v0].rstrip().endswith(","):
        return None
    if len(masked[s_start:v0].split()) < 4:
        return None
    mm = _SAID_X.match(masked[v1:s_end])
    if not mm:
        return None
    a, b = v1 + mm.start(1), v1 + mm.end(1)
    cand = _clean_np(p.text[a:b])
    if not cand or not _valid_speaker(cand):
        return None
    head = cand.split(",")[0].strip()
    if not (_name_like(head) or _role_head(head) is not None):
        return None  # "..., reporting from Kyiv, said the alerts lasted all night": not an inversion
    words = (s_start, s_start + len(masked[s_start:v0].rstrip()) - 1)
    return (a, b), words


_SAID_X = re.compile(r"\s+((?:[A-Za-z][\w.'\u2019-]*)(?: [A-Za-z][\w.'\u2019-]*){0,8}?"
                     r"(?:, (?!who\b|whose\b|which\b|where\b|that\b)(?:the |a |an )?[a-z][^,.;!?]{2,120},?)?)"
                     rf"(?=[;!?](?:\s|$)|{NOT_ABBREV}\.(?:\s|$)|$|,| on \w+day| in an?\b| recently| last\b| earlier| told\b"
                     r"| at (?:an?|the)\b)")
_OBJECT_VERBS = ("told", "tells", "tell", "informed", "informs", "warned", "warns", "urged", "assured")
_ADJUNCT = re.compile(r"\s+(?:on|in|at|during|after|before|while|from|via|through|last|this|"
                      r"earlier|recently|speaking|(?:to|with)\s+(?:the|a|an|reporters|journalists|"
                      r"me|us|him|her|them|[A-Z]))\b")


_TIME_ADJUNCT = re.compile(r"\s+(?:on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|yesterday|today|"
                           r"last\s+(?:week|month|night|year)|this\s+(?:week|morning|month|year)|"
                           r"earlier\s+(?:today|this\s+week))(?=\s+(?!that\b|on\b|in\b|at\b|to\b)[A-Za-z\"])")


def _speaker_as_subject(p: _Para, s_start: int, s_end: int, v0: int, v1: int, verb: str
                        ) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The sentence subject speaks (``Klitschko ... has warned that ...``); the words are
    what follows the cue (past an object, an adjunct, ``that``), else what precedes it."""
    masked = p.masked
    subj = None
    if verb.endswith("ing") and masked[s_start:v0].rstrip().endswith(","):
        # "The ministry issued a statement, saying ...": the subject of the main clause speaks
        subj = _main_subject(masked, s_start, v0) or _subject_before_participle(masked, s_start, v0, v1, s_end)
        if subj is None:
            return None
    if subj is None and re.search(r"\b(?:quoted|cited)\s+[^.;:]+?\bas\s+$", masked[s_start:v0]):
        # "Agency X quoted Y, role, as saying": the whole phrase; _nested_speaker takes Y out of it
        subj = (s_start, s_start + len(masked[s_start:v0].rstrip()))
    if subj is None and re.search(r"\band\s+(?:also\s+|then\s+)?$", masked[s_start:v0]):
        # "She slammed European countries ... and demanded that ...": the first clause's subject
        m = _MAIN_VERB.search(masked, s_start, v0)
        head = masked[s_start:m.start()].split(",")[0] if m else ""
        if m and (0 < len(masked[s_start:m.start()].split()) <= 8
                  or (0 < len(head.split()) <= 4 and _name_like(head.strip()))):  # "Andrii Yermak, Head of ..., shared"
            subj = (s_start + len(masked[s_start:m.start()]) - len(masked[s_start:m.start()].lstrip()),
                    s_start + len(masked[s_start:m.start()].rstrip()))
    if subj is None:
        # "He added that ..., while local authorities said ...": the subject of the second clause
        con = list(re.finditer(r",\s+(?:while|whereas|but|although|though)\s+", masked[s_start:v0]))
        if con:
            a = s_start + con[-1].end()
            chunk = _AUX_TAIL.sub("", masked[a:v0]).rstrip()
            cand = _clean_np(p.text[a:a + len(chunk)])
            if 0 < len(chunk.split()) <= 6 and cand and _valid_speaker(cand) and not _MAIN_VERB.search(chunk):
                subj = (a, a + len(chunk))
    if subj is None:
        subj = _subject_before(masked, s_start, v0)
    if subj is None:
        return None
    np = _clean_np(p.text[subj[0]:subj[1]])
    if not _valid_speaker(np):
        return None
    if re.match(r"\s*:", masked[v1:s_end]) and masked[s_start:subj[0]].rstrip().endswith(",") \
            and len(masked[s_start:subj[0]].split()) >= 4:
        # "That would encourage ..., Mr. Bondarev argued: "Only a defeat ..."": both are his
        return subj, (s_start, s_end)
    # words after the cue (skipping an object, "that", ":")
    obj = _OBJ_AFTER.match(masked[v1:s_end]) if verb in _OBJECT_VERBS else None
    w0 = v1 + (obj.end() if obj else 0)
    rest = masked[w0:s_end]
    paren = re.match(r"\s*,\s*[^,.;:\"]{1,30},\s*(?=that\b)", rest)
    if paren and not _CUE.search(paren.group()):  # "argue, more or less, that ...": a parenthetical
        w0 += paren.end()
        rest = masked[w0:s_end]
    if re.match(r"\s*,\s*(?!that\b|adding\b|saying\b)", rest) and len(masked[s_start:subj[0]].split()) >= 3:
        # "..., US officials have told the New York Times, marking ...": the words come before
        return subj, (s_start, subj[0])
    w0 = _past_time_and_adjunct(masked, w0, s_end)
    rest = masked[w0:s_end]
    lead = re.match(r"[\s,:]*(?:that\s+)?", rest)
    w0 += lead.end()
    # a contrasting clause is not part of the words: "X stated that ..., but Y reiterated ..."
    contrast = re.search(r",\s+(?:but|while|whereas|though|although)\s+", masked[w0:s_end])
    w1 = w0 + contrast.start() if contrast else s_end
    if len(masked[w0:w1].split()) >= 3:
        return subj, (w0, w1)
    if re.fullmatch(r"\s*:\s*", masked[v1:s_end]) and s_end >= len(masked.rstrip()):
        # "On Telegram, X, head of ..., stated:" ending its paragraph: the words are the next
        # paragraph's quote (taken in extract_statements, or the statement is dropped)
        return subj, (s_end, s_end)
    words = (s_start, subj[0])
    if len(masked[words[0]:words[1]].split()) < 3:
        return None
    return subj, words


def _past_time_and_adjunct(masked: str, w0: int, s_end: int) -> int:
    """Where a cue's words start past a time and an adjunct after the verb; ``s_end`` when only
    an adjunct follows (the words are then before the cue)."""
    rest = masked[w0:s_end]
    when = _TIME_ADJUNCT.match(rest)
    if when:
        # "The Kremlin said on Wednesday President Putin ... had agreed": the words follow the time
        w0 += when.end()
        rest = masked[w0:s_end]
    day = re.match(r"\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", rest)
    if day and _ADJUNCT.match(rest[day.end():]):
        # "..., the head of the central bank said Tuesday in a stark warning": a day, then an adjunct
        w0 += day.end()
        rest = masked[w0:s_end]
    if _ADJUNCT.match(rest):
        # "said on the air of the TV channel": an adjunct, unless "that"/":" follows it
        # before any comma ("said on Thursday that ..." but not "said on Thursday, adding that")
        that = re.match(r"[^,]*?(\bthat\b|:)", rest)
        quote = re.match(r"[^,]*,\s*(?=[\"\u201c\u00ab])", rest)  # "shared on social media, “The Fund ...”"
        w0 = w0 + that.start(1) if that else (w0 + quote.end() if quote else s_end)
    return w0


def _subject_before_participle(masked: str, s_start: int, v0: int, v1: int, s_end: int) -> tuple[int, int] | None:
    """``President X of Ukraine, warning his nation on Friday that ...``: with no main verb before
    the participle, a name-like phrase before its comma is the speaker, when a clause follows."""
    chunk = masked[s_start:v0].rstrip()[:-1]
    lead = len(chunk) - len(chunk.lstrip())
    if 0 < len(chunk.split()) <= 8 and _name_like(chunk.strip()) \
            and re.match(r"\s+(?:[\w'\u2019-]+\s+){0,5}(?:that\b|\"|:)", masked[v1:s_end]):
        return s_start + lead, s_start + len(chunk)
    return None


_QUOTED_AS = (re.compile(r"^(?P<y>.+?)\s+(?:was|were|has been|had been|is|are)\s+(?:quoted|cited)\b(?:.*?\bby\s+"
                         r"(?P<via>[^,]+?))?(?:\s+as)?$"),
              re.compile(r"^(?P<via>.+?)\s+(?:quoted|cited)\s+(?P<y>.+?),?\s+as$"))


def _nested_speaker(np: str) -> tuple[str, str | None]:
    """Nested attribution: ``RIA quoted Dmitry Peskov, Putin's press secretary, as saying``
    and ``Putin's spokesman was quoted by Interfax as saying``: Y speaks, X relays.
    Returns (speaker phrase, relay or None)."""
    for rx in _QUOTED_AS:
        m = rx.match(np)
        if m:
            return m.group("y").strip(" ,"), (m.group("via") or "").strip() or None
    return np, None


#: words that make a speaker phrase a clause: a finite verb, a negation, a relative word
_CLAUSE_IN_NAME = re.compile(r"\b(?:has|have|had|is|are|was|were|showed|shows|will|would|not|despite|who|which|that)\b")


def _make_statement(p: _Para, s_start: int, s_end: int, f: _Found, doc: _DocState,
                    para_statements: list[Statement]) -> Statement | None:
    """The statement of one cue, with its speaker resolved (pronouns and document nouns
    through the statements before it)."""
    _a, _b, verb, np_span, words = f
    np = _clean_np(p.text[np_span[0]:np_span[1]]) if np_span else ""
    np, via = _nested_speaker(np)
    its_doc = re.match(r"^(?:its|their)\s+(?:own\s+)?(?:statement|report|release|announcement|message|account)$", np, re.I)
    spk = resolve_np("it" if its_doc else np, doc.registry)
    if spk.kind == "pronoun" and spk.text.lower() in ("it", "they"):
        spk = _resolve_it_they(spk, p.pi, [*doc.out, *para_statements])
    elif spk.kind == "pronoun":
        spk = _resolve_pronoun(spk, p.pi, np_span[0], doc.mentions_by_para, para_statements, doc.out,
                               p.masked[:np_span[0]])  # an unnamed person inside a quote is not an antecedent
    elif spk.kind == "document":
        spk = _resolve_document_noun(spk, para_statements, doc.out, p.pi)
    elif spk.kind != "person" or spk.how == "single name":
        before = spk
        spk = _resolve_description(spk, np, doc.registry, [*doc.out, *para_statements])
        if spk is before:
            spk = _resolve_role_head(spk, np, p.pi, doc.registry, [*doc.out, *para_statements], doc.mentions_by_para)
    if not re.search(r"\w", spk.name) or _CLAUSE_IN_NAME.search(spk.name):
        return None  # no name, or a clause misread as one ("authorities have not", "... showed that the EU has")
    if re.search(r"\w['\u2019]s$", spk.name):  # "read the DoD's release": the DoD speaks
        spk = Speaker(spk.text, spk.name[:-2], spk.role, spk.kind, spk.how + "; possessive of its document")
    if via:
        spk = Speaker(spk.text, spk.name, spk.role, spk.kind, f"{spk.how}; relayed by {via}")
    w = _trim_words(p.para, words)
    qs = [p.para[x:y] for x, y in p.qspans if x >= words[0] - 1 and y <= words[1] + 1 and y > x]
    if verb == BACK_REFERENCE_CUE or re.match(
            r"(?:[Aa]ccording to [^,]{1,60},\s*)?(?:[Tt]his|[Tt]hat|It)\s+(?:was|has been|had been|is)\s+\w+\s+by\b"
            r"|(?:[Tt]his|[Tt]hat)(?:['\u2019]s|\s+is|\s+was)\s+according\s+to\b",  # "That's according to ISW, ..."
            p.para[s_start:s_end]):
        # "This was reported by X": X is the source of what the text said just before
        before = [a for a, b in p.sentences if b <= s_start]
        if verb == BACK_REFERENCE_CUE and (
                any(st.end > before[-1] for st in para_statements) if before
                else any(st.para == p.pi - 1 for st in doc.out)):
            return None  # "..., Peskov said. He made these remarks ...": already attributed, not a second entry
        if before:
            w = _trim_words(p.para, (before[-1], s_end))
            s_start = before[-1]
        elif p.pi > 0 and doc.paragraphs[p.pi - 1].strip():
            w = doc.paragraphs[p.pi - 1].strip() + " " + w
        else:
            return None  # what it refers back to is not in the text (an excerpt that starts here)
    return Statement(para=p.pi, start=s_start, end=s_end, text=w, kind="direct" if qs else "reported",
                     cue=verb, speaker=spk, quotes=qs)


def _continue_across_paragraphs(p: _Para, out: list[Statement], para_statements: list[Statement],
                                prev_open_quote: bool, after_colon: bool = False) -> None:
    """A paragraph with no attribution of its own that opens with a quote continues the last
    statement when the previous paragraph left its quote open, or when it is almost all
    quote right after a direct statement, or right after a statement whose paragraph ends with a
    colon (``Shoigu mentioned that ... 25 million people:`` then the quote)."""
    para, qspans = p.para, p.qspans
    quoted_chars = sum(b - a for a, b in qspans)
    mostly_quote = bool(qspans) and qspans[0][0] <= 2 and quoted_chars >= 0.8 * len(para.strip())
    # a paragraph that is all quote continues the last direct statement of the two paragraphs before
    prev_direct = bool(out) and out[-1].para >= p.pi - 2 and (
        out[-1].kind in ("direct", "continued") or (after_colon and out[-1].para == p.pi - 1))
    closes_open_quote = prev_open_quote and not qspans and re.search(r"[\u201d\"]\s*$", para)
    if closes_open_quote and not para_statements and out:
        # the end of a quote opened in the previous paragraph: 'So we must stay the course."'
        last = out[-1]
        para_statements.append(Statement(p.pi, 0, len(para), para.strip(), "continued", "(continues quote)",
                                         last.speaker, [para.rstrip().rstrip("\u201d\"")]))
        return
    if not para_statements and out and qspans and qspans[0][0] <= 2 and (prev_open_quote or
                                                                         (mostly_quote and prev_direct)):
        last = out[-1]
        para_statements.append(Statement(p.pi, 0, len(para), para.strip(), "continued", "(continues quote)",
                                         last.speaker, [para[x:y] for x, y in qspans]))


def _words_span(masked: str, before: tuple[int, int], after: tuple[int, int]) -> tuple[int, int]:
    a_words = len(masked[before[0]:before[1]].split())
    b_words = len(masked[after[0]:after[1]].split())
    return after if b_words >= a_words else before


def _trim_words(para: str, span: tuple[int, int]) -> str:
    s = para[span[0]:span[1]].strip()
    s = re.sub(r"^[,;:\s\u2014\u2013]+", "", s)
    s = re.sub(r"[,;:\s]+$", "", s)
    return s


def _resolve_pronoun(spk: Speaker, pi: int, pos: int, mentions_by_para, para_statements, out,
                     before: str = "") -> Speaker:
    def as_person(name_spk: Speaker, how: str) -> Speaker:
        return Speaker(spk.text, name_spk.name, name_spk.role, "person", how)

    here = [m for m in mentions_by_para[pi] if m[1] <= pos and not m[3]]
    people = {m[2].name: m[2] for m in here}
    if len(people) == 1:
        p = next(iter(people.values()))
        return Speaker(spk.text, p.name, p.role, "person", f"{spk.text} -> the one person named before it in the paragraph")
    person_speakers = [s for s in para_statements if s.speaker.kind == "person"]
    if person_speakers:
        return as_person(person_speakers[-1].speaker, f"{spk.text} -> the speaker of the paragraph's previous statement")
    if people:
        return Speaker(spk.text, spk.text, None, "unresolved", "ambiguous: several people named before it")
    if _UNNAMED_PERSON.search(before):
        # "I spoke to a Ukrainian officer ... he told me": an unnamed person in this paragraph
        return Speaker(spk.text, spk.text, None, "unresolved", "an unnamed person is introduced just before it")
    # back through up to PRONOUN_LOOKBACK paragraphs (crossheads, a caption or a paragraph of
    # background may sit between a speaker and "he said"): the nearest paragraph that has a
    # person's statement gives its last speaker; else one that names exactly one person gives
    # that person; one that names several is ambiguous
    for back in range(1, PRONOUN_LOOKBACK + 1):
        q = pi - back
        if q < 0:
            break
        said = [s for s in out if s.para == q and s.speaker.kind == "person"]
        if said:
            where = "the previous paragraph's" if back == 1 else f"the paragraph {back} back's"
            return as_person(said[-1].speaker, f"{spk.text} -> the speaker of {where} last statement")
        named = {m[2].name: m[2] for m in mentions_by_para[q] if not m[3]}
        if len(named) == 1:
            p = next(iter(named.values()))
            return Speaker(spk.text, p.name, p.role, "person",
                           f"{spk.text} -> the one person named {back} paragraph(s) before")
        if named:
            break
    return Speaker(spk.text, spk.text, None, "unresolved", "no unambiguous antecedent")


#: an indefinite person in the text before a pronoun: "a Ukrainian officer", "an aid worker"
_UNNAMED_PERSON = re.compile(r"\b(?:[Aa]n?|[Oo]ne|[Aa]nother)\s+(?:[\w-]+\s+){0,3}?(?:" + "|".join(
    sorted((w for w in ROLE_WORDS | GROUP_NOUNS if w.isalpha() and len(w) > 3 and not w.endswith("s")),
           key=len, reverse=True)) + r")\b")
#: how many paragraphs back a he/she looks for its antecedent
PRONOUN_LOOKBACK = 4


_DEFINITE = re.compile(r"^(?:the|this|that|[A-Z][\w-]+['\u2019]s)\s+((?:[\w.'\u2019-]+\s+){0,3}[\w.'\u2019-]+)$", re.I)
#: words of a description that name a kind of speaker (role, body, nationality, rank)
_DESCRIPTION_WORDS = ROLE_WORDS | ORG_WORDS | NATIONALITIES | GROUP_NOUNS | {
    "officials", "spokesman", "press", "secretary", "general", "leader", "leaders", "military", "defense",
    "defence", "foreign", "interior", "ministry", "agency", "department", "government", "statement",
    "kremlin's", "senior", "top", "high-ranking", "regional", "local", "state", "federal"}
_SYNONYMS = {"spokesman": ("spokesman", "spokesperson", "spokeswoman", "press secretary"),
             "spokeswoman": ("spokeswoman", "spokesperson", "spokesman", "press secretary"),
             "spokesperson": ("spokesperson", "spokesman", "spokeswoman", "press secretary")}


def _resolve_description(spk: Speaker, np: str, registry: Registry, earlier: list[Statement]) -> Speaker:
    """A definite description (``the ministry``, ``the official``, ``the Secretary General``,
    ``the minister``): the nearest earlier speaker whose name or role has all its words,
    else the one person in the document whose role has them; otherwise as it was."""
    m = _DEFINITE.match(np.strip())
    if not m:
        return spk
    words = [w.lower().strip(".,") for w in m.group(1).split()]
    if not all(w in _DESCRIPTION_WORDS or w.rstrip("s") in _DESCRIPTION_WORDS for w in words):
        return spk  # a proper name with an article: "the Kremlin", "the Pentagon"
    keys = [w for w in words if w not in NATIONALITIES]
    if not keys:
        return spk

    def has(hay: str, w: str) -> bool:
        return any(re.search(rf"\b{re.escape(v.rstrip('s'))}", hay) for v in _SYNONYMS.get(w, (w,)))

    # an organisation word at the head ("the European Commission", "the ministry") names a body, never
    # a person whose role shares the word ("European commissioner for the internal market")
    body = words[-1] in ORG_WORDS or words[-1].rstrip("s") in ORG_WORDS
    for st in reversed(earlier[-60:]):
        sp = st.speaker
        if sp.kind in ("pronoun", "unresolved", "document") or sp.name.lower() == m.group(1).lower():
            continue
        if body and sp.kind == "person":
            continue
        hay = f"{sp.name} {sp.role or ''}".lower()
        if all(has(hay, w) for w in keys):
            return Speaker(spk.text, sp.name, sp.role, sp.kind, f"{spk.text} -> the nearest earlier speaker that is "
                                                               f"a {m.group(1).lower()}")
    hits = [] if body else [p for p in registry.people if p.role and all(has(p.role.lower(), w) for w in keys)]
    if len({p.name for p in hits}) == 1:
        p = hits[0]
        return Speaker(spk.text, p.name, p.role, "person", f"{spk.text} -> the one person with that role")
    return spk


def _role_head(np: str) -> str | None:
    """The head role noun of a description with no name in it: ``the head of the Ministry of
    Defence`` -> head, ``The UN's top humanitarian and emergency relief co-ordinator`` ->
    co-ordinator; None for anything else."""
    m = re.match(r"^(?:(?:[Tt]he|[Tt]his|[Tt]hat|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir)\s+)?([A-Z][\w.-]*['\u2019]s\s+)?(.+)$",
                 np.strip())
    if not m or (m.group(1) is None and m.group(0) == m.group(2)):
        return None
    m = re.match(r"(.*)", m.group(2))
    core = re.split(r"\s+(?:of|for|at|in|on|with|from)\s+", m.group(1))[0].split()
    if not core or len(core) > 7 or any(w[:1].isupper() for w in core):
        return None
    head = core[-1].lower().strip(".,")
    return head if head in ROLE_WORDS else None


def _resolve_role_head(spk: Speaker, np: str, pi: int, registry: Registry, earlier: list[Statement],
                       mentions_by_para) -> Speaker:
    """A role description left unresolved by `_resolve_description`: the one person whose role
    has its head noun; else the nearest person who spoke in this or the paragraph before
    (a news story's second reference, "the minister added"); else the one person named in
    this or the paragraph before. Otherwise as it was."""
    head = _role_head(np)
    if head is None:
        return spk
    hits = {p.name: p for p in registry.people if p.role and re.search(rf"\b{re.escape(head)}", p.role.lower())}
    if len(hits) == 1:
        p = next(iter(hits.values()))
        return Speaker(spk.text, p.name, p.role, "person", f"{spk.text} -> the one person whose role is a {head}")
    body = re.search(r"\b(?:head|chief|leader|director|chair|chairman|chairwoman|boss)\s+of\s+(?:the\s+)?([\w\s'\u2019-]+)$",
                     np.strip(), re.I)
    words = [w for w in (body.group(1).lower().split() if body else []) if w not in ("of", "the", "and", "for")]
    led = {p.name: p for p in registry.people if words and p.role and all(w in p.role.lower().split() for w in words)}
    if len(led) == 1:
        # "the head of the central bank" before "Central bank Governor Elvira Nabiullina": the one person
        # whose role names that body
        p = next(iter(led.values()))
        return Speaker(spk.text, p.name, p.role, "person", f"{spk.text} -> the one person whose role names that body")
    for st in reversed(earlier):
        if st.para < pi - 1:
            break
        if st.speaker.kind == "person":
            sp = st.speaker
            if not _role_fits(sp.role, head):
                break  # "the regional governor" is not the Turkish President who spoke before
            return Speaker(spk.text, sp.name, sp.role, "person", f"{spk.text} -> the person who spoke just before")
    for q in (pi, pi - 1):
        if q >= 0:
            named = {m[2].name: m[2] for m in mentions_by_para[q] if not m[3]}
            if len(named) == 1 and _role_fits(next(iter(named.values())).role, head):
                p = next(iter(named.values()))
                return Speaker(spk.text, p.name, p.role, "person", f"{spk.text} -> the one person named just before")
    return spk


#: role nouns that fit any leading role: "the head of the ministry" is its minister, "the UN's top
#: co-ordinator" its aid chief
_GENERIC_HEADS = {"head", "chief", "leader", "boss", "co-ordinator", "coordinator", "official", "representative",
                  "member"}


def _role_fits(role: str | None, head: str) -> bool:
    """A person with no known role may be "the minister"; one whose role is known must have the head
    noun (or a synonym) in it."""
    if not role or head in _GENERIC_HEADS:
        return True  # "the head of the Ministry of Defence" may be its minister
    low = role.lower()
    return head in low or any(v in low for v in _SYNONYMS.get(head, ()))


def _resolve_it_they(spk: Speaker, pi: int, earlier: list[Statement]) -> Speaker:
    """``it`` -> the nearest organisation that spoke in this or the two previous paragraphs;
    ``they`` -> the nearest group (``officials``) or organisation; else unresolved."""
    kinds = ("organisation",) if spk.text.lower() == "it" else ("group", "organisation")
    for st in reversed(earlier):
        if st.para < pi - 2:
            break
        if st.speaker.kind in kinds:
            sp = st.speaker
            return Speaker(spk.text, sp.name, sp.role, sp.kind,
                           f"{spk.text} -> the nearest {sp.kind} that spoke before it")
    return Speaker(spk.text, spk.text, None, "unresolved", "no organisation or group spoke just before it")


def _resolve_document_noun(spk: Speaker, para_statements, out, pi: int) -> Speaker:
    """``the report``, ``the images``: the organisation whose report the text is about; ``the
    document``, ``the letter``, ``the statement`` with no organisation just before: the
    nearest earlier person who spoke in this or the two paragraphs before (a minister's letter)."""
    earlier = [*out, *para_statements]
    recent = [s for s in earlier if s.para >= pi - 1 and s.speaker.kind == "organisation"]
    if recent:
        src = recent[-1].speaker
        return Speaker(spk.text, src.name, src.role, "organisation", f"{spk.text} -> the organisation cited just before")
    if spk.name.lower().split()[-1] in _AUTHORED_DOCS:
        people = [s for s in earlier if s.para >= pi - 2 and s.speaker.kind == "person"]
        if people:
            src = people[-1].speaker
            return Speaker(spk.text, src.name, src.role, "person", f"{spk.text} -> its author, who spoke just before")
    return spk


#: documents that have an author who may be a person (a letter, not "the images")
_AUTHORED_DOCS = {"document", "letter", "statement", "message", "note", "memo"}
