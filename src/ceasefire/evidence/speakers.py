"""Who is speaking: person mentions, their roles, and resolving short or partial names.

A document is read once for person mentions before statements are extracted:

* a run of capitalised words is split into a leading role (``Chairman of the US Joint
  Chiefs of Staff``, ``Ukrainian President``, ``Gen.``) and a trailing personal name of
  at least two name-like tokens (``Mark Milley``); role words, nationality adjectives,
  organisation words and acronyms are never name tokens;
* an appositive after a name is its role (``Michael Kofman, Director of Russian Studies
  at CNA ...``, ``Vitaly Klitschko, the mayor of Kyiv,``).

A later short mention (``Kofman``, ``General Milley``, and ``Daugherty``: a surname
within one letter of a known one when both have six letters or more) resolves to the
fullest name and longest role the document gives. ``the Ukrainian president`` resolves
to the one person whose role contains those words, when there is exactly one.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

ROLE_WORDS = {
    "president", "vice", "prime", "minister", "general", "gen", "gen.", "lt", "lt.", "col", "col.", "maj",
    "maj.", "admiral", "adm", "adm.", "colonel", "major", "captain", "capt", "capt.", "sergeant", "chairman",
    "chairwoman", "chair", "director", "secretary", "chief", "chiefs", "head", "mayor", "governor", "gov",
    "gov.", "senator", "sen", "sen.", "rep", "rep.", "representative", "ambassador", "spokesman",
    "spokeswoman", "spokesperson", "commander", "dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.",
    "prof", "prof.", "professor", "king", "queen", "prince", "pope", "chancellor", "foreign", "defense",
    "defence", "deputy", "former", "acting", "analyst", "adviser", "advisor", "envoy", "leader", "speaker",
    "premier", "marshal", "officer", "staff", "joint", "ceo", "founder", "editor", "correspondent",
    "author", "fellow", "lieutenant", "sir", "lord", "dame", "senior", "co-director", "expert",
    "nurse", "doctor", "teacher", "farmer", "engineer", "soldier", "volunteer", "resident", "student",
    "researcher", "economist", "scientist", "lawyer", "journalist", "activist", "historian", "politician",
    "lawmaker", "member", "owner", "manager", "worker", "pilot", "president", "official", "diplomat",
    "strategist", "consultant", "negotiator", "ombudsman", "prosecutor", "judge", "mp", "veteran", "priest",
    "partner", "associate", "lecturer", "candidate", "operator", "coordinator", "specialist", "emeritus",
    "co-ordinator", "secretary-general", "commissioner", "rapporteur", "representative",
}
ORG_WORDS = {
    "department", "ministry", "center", "centre", "institute", "university", "council", "agency", "bank",
    "army", "forces", "force", "command", "office", "house", "kremlin", "union", "committee", "studies",
    "affairs", "relations", "security", "group", "times", "post", "news", "journal", "press", "federation",
    "republic", "kingdom", "states", "nations", "organization", "organisation", "fund", "party", "congress",
    "parliament", "senate", "court", "lab", "laboratory", "foundation", "association", "service",
    "services", "intelligence", "guard", "navy", "corps", "company", "corporation", "inc", "ltd", "war",
    "world", "river", "sea", "region", "oblast", "city", "street", "square", "bridge", "plant", "station",
    "monde", "le", "la", "der", "die", "el", "al-", "network", "television", "radio", "tv", "daily",
    "weekly", "review", "magazine", "herald", "telegraph", "guardian", "tribune", "gazette", "economist",
    "staff", "program", "programme", "project", "initiative", "school", "college", "academy", "club",
    "award", "winner", "prize", "summit", "conference", "forum", "treaty", "agreement", "agreements",
    "accords", "accord", "declaration", "act", "law", "doctrine", "plan", "operation", "east", "west",
    "north", "south", "central", "eastern", "western", "northern", "southern", "new", "united", "saudi",
    "opinion", "editor", "note", "cnn", "bbc", "reuters", "nato", "commission", "parliamentary",
    "international", "national", "global", "strategic", "american", "european", "brigade", "battalion",
    "regiment", "division", "platoon", "squadron", "fleet", "district", "directorate", "administration",
    "government", "cabinet", "police", "unit", "units", "headquarters", "ministry", "embassy", "mission",
    "programme", "authority", "authorities", "board", "bureau", "commission", "observatory", "monitor",
    "town", "village", "province", "county", "port", "island", "airport", "base", "coast", "bay", "oblast",
}
NATIONALITIES = {
    "russian", "ukrainian", "american", "british", "french", "german", "chinese", "polish", "italian",
    "spanish", "turkish", "iranian", "israeli", "indian", "japanese", "korean", "belarusian", "baltic",
    "estonian", "latvian", "lithuanian", "finnish", "swedish", "norwegian", "danish", "dutch", "belgian",
    "canadian", "australian", "georgian", "moldovan", "hungarian", "romanian", "czech", "slovak",
    "soviet", "syrian", "saudi", "arab", "african", "asian", "european", "western", "eastern", "nato",
    "us", "u.s.", "uk", "u.k.", "eu", "un", "u.n.",
}
COUNTRIES = {
    "ukraine", "russia", "america", "britain", "england", "france", "germany", "china", "poland", "italy",
    "spain", "turkey", "iran", "israel", "india", "japan", "korea", "belarus", "estonia", "latvia",
    "lithuania", "finland", "sweden", "norway", "denmark", "netherlands", "belgium", "canada", "australia",
    "georgia", "moldova", "hungary", "romania", "syria", "crimea", "europe", "asia", "africa", "kyiv",
    "moscow", "washington", "london", "paris", "berlin", "beijing", "brussels", "warsaw", "kiev",
}
STOP_CAPS = {
    "the", "a", "an", "and", "but", "or", "because", "however", "although", "though", "if", "when", "while",
    "as", "since", "after", "before", "then", "so", "yet", "all", "this", "that", "these", "those", "it",
    "its", "he", "she", "they", "we", "i", "you", "his", "her", "their", "our", "my", "your", "in", "on",
    "at", "for", "from", "by", "with", "to", "of", "into", "indeed", "instead", "therefore", "meanwhile",
    "now", "nevertheless", "furthermore", "moreover", "still", "also", "even", "just", "only", "there",
    "here", "what", "who", "which", "where", "why", "how", "some", "many", "most", "much", "more", "no",
    "not", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december", "opinion",
    "definitely", "otherwise", "imagine", "okay", "let", "do", "does", "did", "would", "could", "should",
    "will", "can", "seize", "join", "try", "subscribe", "according", "said", "says", "former", "nearly",
    "since", "until", "during", "between", "among", "against", "without", "within", "like", "unlike",
    "both", "either", "neither", "each",
}
_CONNECT = {"of", "the", "for", "at", "a", "on", "de", "von", "van", "der", "da", "al", "bin", "in"}
#: a word: letters of any script ("Erdo\u011fan", "\u0160myhal", "M\u00fcller"), with inner periods, apostrophes, hyphens
_TOKEN = re.compile(r"[^\W\d_](?:[^\W\d_]|[.'\u2019-])*")
DOC_NOUNS = {"report", "reports", "images", "image", "analysis", "study", "survey", "data", "document",
             "statement", "assessment", "investigation", "article", "paper", "review", "footage", "video",
             "pictures", "photos", "research", "figures", "estimates", "findings", "update", "briefing",
             "letter", "message", "memo"}
GROUP_NOUNS = {"experts", "analysts", "officials", "sources", "observers", "diplomats", "reports", "critics",
               "official", "source", "diplomat", "analyst", "expert", "resident", "witness", "soldier", "doctors",
               "doctor", "nurse", "volunteer", "volunteers", "farmers", "farmer",
               "researchers", "economists", "commentators", "people", "residents", "witnesses", "soldiers",
               "activists", "historians", "scholars", "authorities", "investigators", "lawmakers"}


def is_name_token(tok: str) -> bool:
    """A capitalised word that can be part of a personal name."""
    t = tok.rstrip(".,;:")
    if not t or not t[0].isupper():
        return False
    if re.fullmatch(r"[A-Z]\.", tok.rstrip(",;:")):
        return True  # a middle initial: "Colin H. Kahl"
    low = t.lower().replace("\u2019", "'")
    if low.endswith("'s") or (low.endswith("s'") and len(low) > 2):
        return False  # a possessive: "Russia's", "ABC News' Martha Raddatz"
    if low in ROLE_WORDS or low in ORG_WORDS or low in NATIONALITIES or low in STOP_CAPS or low in COUNTRIES:
        return False
    if "-" in low and any(part in ROLE_WORDS for part in low.split("-")):
        return False  # "Secretary-General", "Vice-President", "Commander-in-Chief"
    if len(t) >= 2 and t.isupper() and not re.fullmatch(r"[A-Z]\.", t):
        return False  # acronyms: CNA, GCHQ, NATO
    if re.fullmatch(r"[A-Z]\.", t):
        return True  # initial
    return _name_shape(t)


def _name_shape(t: str) -> bool:
    """A capitalised word in any Latin or other cased script: "Kuleba", "Erdo\u011fan", "\u0160myhal",
    "Ter-Petrosyan", "McCain", "O'Brien", "DeSantis"; not "NATO", "iPhone" or "Kyiv-based"."""
    if re.fullmatch(r"(?:Mc|O')[A-Z][^\W\d_]+", t) or re.fullmatch(r"[A-Z][a-z]+[A-Z][a-z]+", t):
        return True
    parts = t.split("-")
    first = parts[0]
    if len(first) < 2 or not first[0].isupper() or not all(c.islower() or c in "'\u2019" for c in first[1:]):
        return False
    # later parts: "-Petrosyan", "-Ghali", or a lower-case particle part ("-al", "-ud")
    return all(p.isalpha() and (p.islower() or (p[0].isupper() and len(p) >= 2 and p[1:].islower()))
               for p in parts[1:])


@dataclass
class Person:
    name: str
    role: str | None = None
    aliases: set[str] = field(default_factory=set)

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


def _edit1(a: str, b: str) -> bool:
    """True when a and b differ by one substitution, insertion, deletion or transposition."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
            return True  # one transposition
        return len(diff) <= 1
    if len(a) > len(b):
        a, b = b, a
    i = j = diff = 0
    while i < len(a) and j < len(b):
        if a[i] != b[j]:
            diff += 1
            j += 1
            if diff > 1:
                return False
        else:
            i += 1
            j += 1
    return True


#: "Institute for the Study of War (ISW)": a name and its acronym in brackets
_ACRONYM_DEF = re.compile(r"((?:[A-Z][\w'\u2019-]*\s+(?:(?:of|for|the|and|on|in)\s+)*){1,8}[A-Z][\w'\u2019-]*)\s+"
                          r"\(([A-Z]{2,7})\)")
_ACRONYM_SKIP = {"of", "for", "the", "and", "on", "in"}


class Registry:
    """The people a document names, with the fullest name and role given for each, and the
    organisations that speak in it (a later ``the General Staff`` is the earlier
    ``Ukraine's General Staff``)."""

    def __init__(self) -> None:
        self.people: list[Person] = []
        self.organisations: list[str] = []
        self.acronyms: dict[str, str] = {}  # "ISW" -> "Institute for the Study of War"
        # lookups by surname in constant time, so a document naming thousands of people is
        # still read in linear time: positions in `people` by exact surname, and by every
        # one-letter deletion of the lower-cased surname (two words one edit apart share one)
        self._by_surname: dict[str, list[int]] = {}
        self._by_deletion: dict[str, set[int]] = {}
        self._pos: dict[int, int] = {}

    def _index(self, p: Person) -> None:
        pos = self._pos[id(p)]
        bisect.insort(self._by_surname.setdefault(p.surname, []), pos)
        low = p.surname.lower()
        for k in {low, *(low[:i] + low[i + 1:] for i in range(len(low)))}:
            self._by_deletion.setdefault(k, set()).add(pos)

    def rename(self, p: Person, name: str, *, keep_alias: bool = True) -> None:
        """Give ``p`` a fuller name (keeping the old one as an alias)."""
        old = p.surname
        if keep_alias:
            p.aliases.add(p.name)
        p.name = name
        if p.surname != old:
            self._by_surname[old].remove(self._pos[id(p)])
            self._index(p)

    def scan_acronyms(self, text: str) -> None:
        """Remember ``Full Name (ACRONYM)`` definitions, so that ``ISW`` names the Institute for the
        Study of War (GOLD_FORMAT rule 4: the fullest name the document gives)."""
        for m in _ACRONYM_DEF.finditer(text):
            full, acr = m.group(1), m.group(2)
            initials = "".join(w[0] for w in full.split() if w.lower() not in _ACRONYM_SKIP)
            words = full.split()
            # trim leading words until the initials match ("the Washington-based Institute ...")
            while words and initials != acr and len(initials) > len(acr):
                if words[0].lower() not in _ACRONYM_SKIP:
                    initials = initials[1:]
                words = words[1:]
            if initials == acr:
                self.acronyms.setdefault(acr, " ".join(words))

    def organisation(self, name: str) -> str:
        """The fullest earlier name of this organisation, or ``name`` (then remembered)."""
        name = self.acronyms.get(name, name)
        low = name.lower()
        for known in self.organisations:
            k = known.lower()
            if k == low or (k.endswith(" " + low) and len(low.split()) >= 2):
                return known
        for i, known in enumerate(self.organisations):
            if low.endswith(" " + known.lower()) and len(known.split()) >= 2:
                self.organisations[i] = name
                return name
        self.organisations.append(name)
        return name

    def add(self, name: str, role: str | None) -> Person:
        name = re.sub(r"\s+", " ", name).strip(" ,.")
        role = _clean_role(role)
        p = self.find(name)
        if p is None:
            p = Person(name, role)
            self._pos[id(p)] = len(self.people)
            self.people.append(p)
            self._index(p)
        else:
            if len(name.split()) > len(p.name.split()):
                self.rename(p, name)
            if role and (not p.role or len(role) > len(p.role)):
                p.role = role
        return p

    def find(self, name: str) -> Person | None:
        toks = [t for t in name.split() if is_name_token(t)]
        if not toks:
            return None
        surname = toks[-1].rstrip(".")
        exact = [self.people[i] for i in self._by_surname.get(surname, ())]
        if exact:
            if len(toks) > 1:
                same_first = [p for p in exact if p.name.split()[0] == toks[0] or len(p.name.split()) == 1]
                if same_first:
                    return same_first[0]
                return None
            return exact[-1]
        if len(surname) >= 6:
            low = surname.lower()
            keys = {low, *(low[:i] + low[i + 1:] for i in range(len(low)))}
            cands = sorted(set().union(*(self._by_deletion.get(k, ()) for k in keys)))
            near = [p for p in (self.people[i] for i in cands)
                    if len(p.surname) >= 6 and _edit1(p.surname.lower(), low)]
            if len(near) == 1:
                return near[0]
        return None

    def by_role(self, words: list[str]) -> Person | None:
        words = [w.lower() for w in words if w.lower() not in ("the", "a", "an")]
        if not words:
            return None
        hits = [p for p in self.people if p.role and all(re.search(rf"\b{re.escape(w)}", p.role.lower()) for w in words)]
        return hits[0] if len(hits) == 1 else None


def _clean_role(role: str | None) -> str | None:
    if not role:
        return None
    role = re.sub(r"\s+", " ", role).strip(" ,;:-")
    if role.endswith(".") and not re.search(r"\b[A-Z][a-z]{0,3}\.$", role):
        role = role[:-1]  # a sentence end, not an abbreviation like "Gen."
    role = re.sub(r"^(?:the|a|an|his|her|their|its)\s+", "", role, flags=re.I)
    return role or None


def split_role_name(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Split a capitalised run into (role tokens, name tokens): the name is the longest
    suffix of name-like tokens; a word right after ``of``/``for``/``at`` belongs to the
    role when a two-word name follows it (``President of Ukraine Petro Poroshenko``)."""
    k = len(tokens)
    while k > 0 and (is_name_token(tokens[k - 1]) or (
            tokens[k - 1] in _PARTICLES and k < len(tokens) and k >= 2 and is_name_token(tokens[k - 2]))):
        k -= 1
    if 0 < k and tokens[k - 1].lower() in ("of", "for", "at", "in") and len(tokens) - k >= 3:
        k += 1
    return tokens[:k], tokens[k:]


#: lower-case name particles: "Carl von Clausewitz", "Ursula von der Leyen"
_PARTICLES = {"von", "van", "der", "den", "de", "da", "di", "du", "bin", "al", "la", "le", "ter", "ten"}


_APPOS_END = re.compile(r",|\s(?:who|which|told|said|says|has|had|is|was|were|wrote|added|warned|believes?|"
                        r"explained|argued|noted|stated)\b|[.;:!?](?=\s|$)")
_LEAD_MODS = re.compile(r"(?:\b(?:former|then|acting|deputy|ex-|late|outgoing|incoming|interim)\s+)+$", re.I)


def scan_people(text: str, registry: Registry) -> list[tuple[int, int, Person, bool]]:
    """Add the people mentioned in ``text`` to ``registry``; returns mentions as
    (start, end, person, possessive)."""
    mentions = []
    toks = list(_TOKEN.finditer(text))
    i = 0
    while i < len(toks):
        if not toks[i].group()[0].isupper():
            i += 1
            continue
        j = i
        run = [toks[i]]
        while j + 1 < len(toks):
            gap = text[toks[j].end():toks[j + 1].start()]
            nxt = toks[j + 1].group()
            if gap != " ":
                break
            if nxt[0].isupper():
                run.append(toks[j + 1])
                j += 1
                continue
            if nxt.lower() in _CONNECT and j + 2 < len(toks) and toks[j + 2].group()[0].isupper() \
                    and text[toks[j + 1].end():toks[j + 2].start()] == " ":
                run.append(toks[j + 1])
                j += 1
                continue
            break
        words = [t.group() for t in run]
        role_t, name_t = split_role_name(words)
        cut = next((k for k, w in enumerate(words) if k > 1 and w in ("in", "at", "on", "for")), None)
        if not name_t and cut is not None:
            # "President Volodymyr Zelenskyy in Ukraine": the place after the name is not part of the run
            run, j = run[:cut], i + cut - 1
            words = words[:cut]
            role_t, name_t = split_role_name(words)
        # a possessive ends the run: "Zelensky's security adviser"
        possessive = False
        if name_t and re.search(r"'s$|\u2019s$", name_t[-1]):
            possessive = True
        name = " ".join(name_t).rstrip(".")
        start = run[len(role_t)].start() if name_t else None
        if name_t and (len(name_t) >= 2 or registry.find(name)):
            tail = text[run[-1].end():]
            possessive = possessive or bool(re.match(r"['\u2019]s\b", tail))
            rt = list(role_t)
            while rt and (rt[0].lower() in STOP_CAPS or rt[0].lower() in _CONNECT):
                rt.pop(0)
            role = " ".join(rt)
            lead = _LEAD_MODS.search(text[max(0, run[0].start() - 120):run[0].start()])  # a window: linear time
            if lead and role:
                role = lead.group().strip() + " " + role
            appos = None
            m = re.match(r",\s+((?:the|a|an|of|[a-z]+\s+)?[^,]{2,160}?)(" + _APPOS_END.pattern + ")", tail)
            if m and not possessive and _looks_like_role(m.group(1)) and (
                    not re.match(r"[.;:!?]", m.group(2)) or m.group(1).split()[0].lower() in ROLE_WORDS):
                appos = m.group(1)
            role_text = ", ".join(x for x in (role or None, appos) if x) or None
            if role_t and not role and appos is None:
                role_text = None
            p = registry.add(name, role_text)
            mentions.append((start, run[-1].end(), p, possessive))
        i = j + 1
    return mentions


def _looks_like_role(s: str) -> bool:
    s = s.strip()
    words = s.split()
    if not words or len(words) > 30:
        return False
    first = words[0].lower()
    if first in ROLE_WORDS:
        return True
    if first in ("the", "a", "an", "of"):
        # "the mayor of Kyiv", "a senior fellow at ...", "of the Center for ..."; not "the production of ..."
        return first == "of" or any(w.lower().strip(",.'\u2019s") in ROLE_WORDS or w.lower().rstrip("s") in ROLE_WORDS
                                    for w in words[1:6])
    if re.match(r"[A-Z][a-z]+['\u2019]s\s", s):  # "Zelensky's security adviser"
        return True
    return bool(words[0][0].isupper() and any(w.lower() in ROLE_WORDS for w in words[:4]))


@dataclass
class Speaker:
    """A resolved speaker."""

    text: str                 # as written at the attribution
    name: str                 # fullest name, or the entity/group as written
    role: str | None
    kind: str                 # person | organisation | group | pronoun | unresolved
    how: str                  # how it was resolved


def resolve_np(np: str, registry: Registry) -> Speaker:
    """Resolve a speaker noun phrase written at an attribution cue."""
    raw = np.strip(" ,;:\"'")
    if not re.search(r"(?:\b[A-Z]\.){2,}$", raw):  # "the U.N." keeps its final period
        raw = raw.rstrip(".").rstrip(" ,;:\"'")
    raw = re.sub(r"^(?:and|but|so|as|also)\s+", "", raw, flags=re.I)
    text = raw
    # "a report by X", "estimates by X", "a statement from X": the source is X
    raw = re.sub(r"\s+(?:on|last|this|in|earlier)\s+(?:\w+day|week|month|year|morning|evening|night|"
                 r"January|February|March|April|May|June|July|August|September|October|November|December)$", "", raw)
    relayed = _source_inside(raw, text, registry)
    if relayed is not None:
        return relayed
    # "Dr. Ines Moreau of the Sorbonne": a name, then its institution
    of = re.match(r"^(.*?\b[A-Z][a-z'\u2019-]+)\s+((?:of|at|from|with)\s+(?:the\s+)?[A-Z].*)$", raw.partition(",")[0])
    if of:
        r_t, n_t = split_role_name(of.group(1).split())
        if len(n_t) >= 2 or registry.find(" ".join(n_t)):
            inner = resolve_np(of.group(1), registry)
            if inner.kind == "person":
                role = ", ".join(x for x in (inner.role, of.group(2)) if x)
                p = registry.find(inner.name)
                if p is not None and (not p.role or len(role) > len(p.role)):
                    p.role = role
                return Speaker(text, inner.name, role, "person", inner.how + "; institution after the name")
    # "the defense minister, Ilse Marant": a role, then the name in apposition
    head0, _, appos0 = raw.partition(",")
    appos0 = appos0.strip()
    if appos0 and not split_role_name(head0.split())[1]:
        r_t, n_t = split_role_name(appos0.split())
        if n_t and not r_t and len(n_t) >= 2 and re.match(r"^(?:the|a|an|[a-z]|[A-Z][a-z]+['\u2019]s\s|His\s|Her\s|Their\s|Its\s)",
                                                            head0.strip()):
            role = _clean_role(head0)
            p = registry.add(" ".join(n_t), role)
            return Speaker(text, p.name, p.role, "person", "role, then name in apposition")
    low = raw.lower()
    if low in ("he", "she", "him", "her", "it", "they"):
        return Speaker(raw, raw, None, "pronoun", "pronoun")
    joint = joint_subject(raw)
    if joint is not None:
        return Speaker(text, joint, None, "person" if all(registry.find(x) for x in re.split(r"\s+(?:and|&)\s+", joint))
                       else "organisation", "joint subject")
    # appositive: "Name, role"
    head, _, appos = raw.partition(",")
    appos = appos.strip() or None
    role_t, name_t = split_role_name(head.split())
    # drop "and many other experts" tails: take a name at the start of the phrase
    m_first = re.match(r"^((?:[A-Z][\w.'\u2019-]*\s?)+?)\s+(?:and|&)\s+", head)
    if not name_t and m_first:
        _, name_t = split_role_name(m_first.group(1).split())
        role_t = []
    name = " ".join(name_t).strip(".")
    if name and role_t and role_t[-1].lower() in ("of", "for", "the", "on", "and") \
            and any(w.lower() in ORG_WORDS for w in role_t):
        # "Institute for the Study of Conflict Dynamics" is an organisation, not a person
        return Speaker(text, _strip_det(head), appos, "organisation", "organisation")
    if name:
        role = " ".join(role_t) or None
        if role and role.split()[0].lower() in ("the", "a", "an"):
            role = " ".join(role.split()[1:]) or None
        role = ", ".join(x for x in (role, appos) if x) or None
        p = registry.find(name)
        if p is not None:
            if len(name.split()) > len(p.name.split()):
                registry.rename(p, name, keep_alias=False)
            if role and (not p.role or len(_clean_role(role) or "") > len(p.role)):
                p.role = _clean_role(role)
            how = "name" if name == p.name else "short name -> fullest name in the document"
            return Speaker(text, p.name, p.role, "person", how)
        if len(name.split()) >= 2 or (role and any(w.lower() in ROLE_WORDS for w in role.split())):
            p = registry.add(name, role)
            return Speaker(text, p.name, p.role, "person", "name")
        # single capitalised word: a surname or an entity ("Moscow", "Kyiv")
        p = registry.add(name, role)
        return Speaker(text, p.name, p.role, "person", "single name")
    # no personal name: organisation, group, document noun or a role description
    np_words = _strip_det(head).split()
    determined = re.match(r"^(?:the|these|this|those|that)\s", head, re.I)
    if determined and np_words and np_words[-1].lower() in DOC_NOUNS and not any(w[0].isupper() for w in np_words):
        return Speaker(text, _strip_det(head), None, "document", "document noun")
    if np_words and np_words[-1].lower() in GROUP_NOUNS and not any(w[0].isupper() for w in np_words[:1]):
        return Speaker(text, _strip_det(head), None, "group", "group")
    if np_words and np_words[-1].lower() in ROLE_WORDS and np_words[-1][0].islower() and all(
            not w[0].isupper() or w.lower() in NATIONALITIES for w in np_words):
        p = registry.by_role(np_words)
        if p is not None:
            return Speaker(text, p.name, p.role, "person", "role -> the one person with that role")
        return Speaker(text, _strip_det(head), None, "unresolved", "role description without a name")
    name = " ".join(np_words) if np_words else head
    if any(w[0].isupper() for w in np_words):
        # "French newspaper Le Monde": descriptor words before the proper name are its role
        k = len(np_words)
        while k > 0 and (np_words[k - 1][0].isupper() or np_words[k - 1].lower() in ("of", "for", "and", "the")):
            k -= 1
        desc = " ".join(np_words[:k])
        if desc and k < len(np_words) and np_words[k - 1][:1].islower() \
                and np_words[k - 1].lower() not in ("in", "of", "at", "for", "from", "on", "including"):
            return Speaker(text, registry.organisation(" ".join(np_words[k:])),
                           ", ".join(x for x in (desc, appos) if x), "organisation", "organisation")
        return Speaker(text, registry.organisation(name), appos, "organisation", "organisation")
    return Speaker(text, _strip_det(head), None, "organisation" if len(np_words) <= 6 else "unresolved",
                   "noun phrase")


#: one side of a joint subject: a proper name of one to four words ("Austin", "Rustem Umerov",
#: "Kiev", "the U.N.", "NATO")
_JOINT_SIDE = r"(?:the\s+)?[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,3}"
_JOINT = re.compile(rf"^(?:[Bb]oth\s+)?({_JOINT_SIDE}\s+(?:and|&)\s+{_JOINT_SIDE})$")


def joint_subject(np: str) -> str | None:
    """``Both Austin and Umerov said ...``, ``Kiev and the U.N. said ...``: two named parties
    speak as one (GOLD_FORMAT rule 11: a joint subject is one speaker, named as written, without
    "both"). None unless both sides are proper names with no role words before them, so "Defense
    Secretary Lloyd Austin and his counterpart" is not read as a joint subject here."""
    m = _JOINT.match(np.strip())
    if m is None:
        return None
    sides = re.split(r"\s+(?:and|&)\s+", m.group(1))
    if len(sides[0].split()) == 1 and sides[1].split()[-1].lower() in ORG_WORDS and not sides[0].lower() in ORG_WORDS:
        return None  # one organisation whose name has "and" in it: "Risk and Strategy Weekly"
    for side in sides:
        if re.search(r"['\u2019]s?\b", side):
            return None  # a possessive: "Italy's Risk and ..."
        words = _strip_det(side + " ").split() or side.split()
        if any(w.lower() in STOP_CAPS or w.lower() in ROLE_WORDS for w in words):
            return None
    return m.group(1)


def _source_inside(raw: str, text: str, registry: Registry) -> Speaker | None:
    """A phrase that names its source inside it: "a report by X", "a Defense Department
    statement", "UNN with reference to X", "a spokesperson for X". None when it does not."""
    by = re.match(r"^(?:[Aa]n?\s+|[Tt]he\s+)?(?:[a-z]+\s+){0,2}?(?i:report|reports|estimates?|statement|data|figures|"
                  r"analysis|study|survey|assessment|count|tally|budget|document|forecast|poll|plan|review|"
                  r"release|bulletin|update|research|findings|calculations)\s+(?:(?:published|released|issued|compiled|"
                  r"prepared|presented|conducted|carried out)\s+)?(?:by|from|of)\s+(.+)$", raw)
    if by:
        # "research from the U.K.-based Royal United Services Institute": the place adjective is not the name
        inner = resolve_np(re.sub(r"^(?:[Tt]he\s+)?[A-Z][\w.]*-based\s+(?=[A-Z])", "", by.group(1)), registry)
        return Speaker(text, inner.name, inner.role, inner.kind, "source of the report named: " + inner.how)
    # "a letter he wrote that was obtained by the Financial Times": the writer speaks
    wrote = re.match(r"^(?:[Aa]n?|[Tt]he|[Hh]is|[Hh]er)\s+(?:[a-z]+\s+)?(?:letter|note|message|memo|post|article|op-ed|"
                     r"document|email|e-mail)\s+(?:that\s+)?(he|she|they|[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,3})"
                     r"\s+(?:wrote|had written|has written|sent|signed|posted|published|penned|authored)\b", raw)
    if wrote:
        inner = resolve_np(wrote.group(1), registry)
        return Speaker(inner.text if inner.kind == "pronoun" else text, inner.name, inner.role, inner.kind,
                       "the writer of the document: " + inner.how)
    # "a Defense Department statement": the body that issued it
    issued = re.match(r"^(?:[Aa]n?\s+|[Tt]he\s+)?((?:[A-Z][\w.'\u2019-]*\s+){1,5}?)(?:statement|report|release|readout|"
                      r"announcement|assessment|tally|estimates?|data|figures|bulletin|update)$", raw)
    if issued and issued.group(1).strip().lower() not in DETERMINERS and not split_role_name(issued.group(1).split())[1]:
        inner = resolve_np(issued.group(1).strip(), registry)
        return Speaker(text, inner.name, inner.role, inner.kind, "issuer of the document: " + inner.how)
    # "UNN with reference to the Ministry of ...": the outlet relays, the ministry is the source
    ref = re.match(r"^.+?\s+(?:with reference to|citing|quoting)\s+(?:the\s+)?(.+)$", raw)
    if ref:
        inner = resolve_np(ref.group(1), registry)
        return Speaker(text, inner.name, inner.role, inner.kind, "source named after 'with reference to': " + inner.how)
    # "military analysts at ISW", "experts from the Kyiv School of Economics": the organisation speaks
    staff = re.match(r"^(?:[Tt]he\s+)?(?:[A-Za-z]+\s+){0,2}?(?:analysts|experts|researchers|economists|specialists|staff|"
                     r"scholars|fellows)\s+(?:at|from|of|with)\s+(?:the\s+)?([A-Z].*)$", raw)
    if staff:
        inner = resolve_np(staff.group(1), registry)
        if inner.kind == "organisation":
            return Speaker(text, inner.name, inner.role, inner.kind, "staff of an organisation -> the organisation")
    # "a spokesperson for the European Commission": the organisation speaks
    spk = re.match(r"^(?:[Aa]n?\s+|[Tt]he\s+)?((?:[a-z]+\s+)?(?:spokesperson|spokesman|spokeswoman|representative|"
                   r"press officer|press office|press service|statement))\s+(?:for|of|from|at)\s+(.+)$", raw)
    if spk:
        inner = resolve_np(spk.group(2), registry)
        if inner.kind in ("organisation", "person", "group"):
            return Speaker(text, inner.name, ", ".join(x for x in (spk.group(1), inner.role) if x),
                           inner.kind, "spokesperson -> the body they speak for")
    return None


#: determiners: never a name on their own ("The statement"), and before a verb they make it a noun
#: ("a think tank", "the claims")
DETERMINERS = {"a", "an", "the", "this", "that", "these", "those", "his", "her", "its", "their", "our", "my",
               "your", "no", "any", "some", "every", "each"}


def _strip_det(s: str) -> str:
    # a possessive determiner is an article here: "its governor" is named "governor" (GOLD_FORMAT rule 4)
    return re.sub(r"^(?:the|a|an|these|this|those|one|another|two|three|four|five|several|some|many|its|their|his|"
                  r"her|\d+)\s+", "", s.strip(), flags=re.I)
