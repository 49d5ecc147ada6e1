"""From stored figures to a scenario's citations: which figures could source which values.

For each numeric value of a scenario, a stored figure is proposed when

* its **unit** fits the value's unit: people counted (``soldiers``, ``men``, ``people``,
  ``reservists``, ...) for ``personnel``/``persons``; shells, rounds or cartridges for
  ``shells``; missiles or drones for ``weapons``; percent (x0.01) or a fraction for
  ``share``; km or miles (x1.609344) for ``km``; days, weeks (x7), months (x30.44) or
  years (x365.25) for ``days``; a rate (``X/day``) needs a figure stated per day, week,
  month or year (scaled to per day). Indices, ratios and rates of shares have no figure;
* its **subject** fits the value's name: every topic word of the name's last part
  (``training`` -> mobilise, reservists, call up, ...; ``gdp`` -> GDP, economy;
  ``loss`` -> lose, shrink, fall, ...; ``stock`` -> stock, reserves, supplies, ...) is
  found in the clause the figure measures or in the sentence around it. Words with no
  topic (``share``, ``reference``, ``length``) constrain nothing; a name with no topic
  word gets no proposal;
* its **side** fits the value's: the figure's own words, else the clause it measures, when
  they name a side (its key, or an alias in :data:`SIDE_ALIASES`: ``Russian``, ``Moscow``,
  ``Kyiv``), must name the value's side (``more than 100,000 Russian soldiers`` is not
  proposed for Ukraine's casualties). A clause naming both sides fits both.

Each proposal says whether the value **agrees** with the figure by the rule
``evidence check`` applies (:func:`.check.agrees`). ``write_citations`` writes a copy of
the scenario where chosen, agreeing proposals become the values' sources (``doc`` +
``quote`` + ``figure_scale`` when a unit conversion applies); it never changes a value,
and never replaces a source that already cites a document unless asked by path.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from ..errors import InputError
from .check import agrees
from .figures import Figure
from .text import sentence_spans

PEOPLE = {"soldiers", "soldier", "men", "people", "troops", "personnel", "persons", "reservists", "casualties",
          "dead", "killed", "wounded", "lives", "residents", "civilians", "fighters", "servicemen", "conscripts",
          "recruits", "refugees", "mobilized", "mobilised", "military", "service", "servicemembers", "troop"}
AMMO = {"shells", "rounds", "cartridges", "munitions", "projectiles", "shell"}
WEAPONS = {"missiles", "drones", "weapons", "rockets", "launchers", "himars", "shaheds"}
DAYS = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}

#: topic words of value names -> stems that must occur in the figure's clause or sentence
TOPICS: dict[str, tuple[str, ...]] = {
    "training": ("mobiliz", "mobilis", "reservist", "call up", "called up", "call-up", "conscript", "recruit",
                 "train"),
    "mobilisation": ("mobiliz", "mobilis", "reservist", "call up", "called up", "call-up", "conscript"),
    "mobilization": ("mobiliz", "mobilis", "reservist", "call up", "called up", "call-up", "conscript"),
    "killed": ("killed", "dead", "died", "death"),
    "casualty": ("killed", "wounded", "casualt", "losses", "dead", "injur"),
    "casualties": ("killed", "wounded", "casualt", "losses", "dead", "injur"),
    "wounded": ("wounded", "injur"),
    "shells": ("shell", "ammunition", "munition", "cartridge", "round"),
    "stock": ("stock", "reserve", "supplies", "inventor", "arsenal", "stockpile"),
    "arsenal": ("stock", "reserve", "supplies", "inventor", "arsenal", "stockpile"),
    "production": ("produc", "factor", "manufactur", "output"),
    "depot": ("depot", "warehouse"),
    "front": ("front", "battle formation", "line of contact", "frontline"),
    "gdp": ("gdp", "economy", "economic output"),
    "loss": ("lose", "loss", "lost", "shrink", "fall", "fell", "drop", "declin", "contract"),
    "energy": ("energy", "grid", "power", "electric"),
    "capacity": ("capacity", "infrastructure", "grid", "generation"),
    "population": ("people", "population", "evacuat", "resident", "civilian", "inhabitant"),
    "territory": ("territor", "occupied", "control", "land"),
    "strike": ("strike", "missile", "drone", "attack"),
    "weapons": ("missile", "drone", "weapon", "rocket"),
    "aid": ("aid", "assistance", "package", "support"),
    "support": ("support", "aid", "assistance", "financ", "help"),
}


@dataclass
class Suggestion:
    """One stored figure proposed as the source of one scenario value."""

    path: str
    value: str
    unit: str
    doc: str
    paragraph: int
    figure: str
    quote: str
    speaker: str | None
    agrees: bool
    scale: float
    rule: str
    cited: bool  # the value already cites this document with a quote containing this figure

    def to_dict(self) -> dict:
        return asdict(self)


def _unit_scale(value_unit: str, fig: dict) -> float | None:
    """Multiplier taking the figure to the value's unit, or None when the units do not fit."""
    base, _, rate = (value_unit or "").partition("/")
    base = base.strip().lower()
    funit = (fig.get("unit") or fig.get("noun") or "").lower()
    scale: float | None
    if base in ("personnel", "persons", "people", "soldiers"):
        scale = 1.0 if funit in PEOPLE else None
    elif base == "shells":
        scale = 1.0 if funit in AMMO else None
    elif base == "weapons":
        scale = 1.0 if funit in WEAPONS else None
    elif base == "share" and not rate:
        scale = 0.01 if funit == "percent" else (1.0 if funit == "fraction" else None)
    elif base == "km":
        scale = {"km": 1.0, "mile": 1.609344}.get(funit)
    elif base in ("days", "day") and not rate:
        scale = DAYS.get(funit)
    else:
        return None  # indices, ratios, shares per day: no stated figure fits
    if scale is None:
        return None
    per = fig.get("per")
    if rate:
        if rate.strip() != "day" or per not in DAYS:
            return None
        return scale / DAYS[per]
    return None if per else scale


def _topics(path: str) -> list[tuple[str, ...]] | None:
    """The topic groups the value's name requires; None when it names no topic."""
    leaf = path.split(".")[-1]
    groups = [TOPICS[w] for w in leaf.split("_") if w in TOPICS]
    return groups or None


#: words that name a side besides its key (capital, leader, government), for the sides and
#: supporters of the shipped scenarios; a side not listed is named by its key only
SIDE_ALIASES: dict[str, tuple[str, ...]] = {
    "ukraine": ("ukrain", "kyiv", "kiev", "zelensk"),
    "russia": ("russia", "moscow", "kremlin", "putin"),
    "west": ("west", "nato", "u.s.", "america", "washington", "europe", "allies"),
    "iran": ("iran", "tehran"),
}


def _side_names(scenario) -> dict[str, tuple[str, ...]]:
    """Stems naming each side or supporter: its key and its aliases."""
    out: dict[str, tuple[str, ...]] = {}
    for group in ("sides", "supporters"):
        for key in (getattr(scenario, group, None) or {}):
            out[key] = tuple({key.lower()[:6], *SIDE_ALIASES.get(key.lower(), ())})
    return out


def _side_fits(owner: str | None, sides: dict[str, tuple[str, ...]], levels: list[str]) -> bool:
    """The figure's own words, then its measured clause: the first that names any side
    decides; the value's side must be among those it names."""
    if owner is None:
        return True
    for text in levels:
        named = {k for k, ns in sides.items() if any(re.search(rf"\b{re.escape(n)}", text) for n in ns)}
        if named:
            return owner in named
    return True


def _owner(path: str, sides: dict[str, tuple[str, ...]]) -> str | None:
    parts = path.split(".")
    return parts[1] if len(parts) > 2 and parts[0] in ("sides", "supporters") and parts[1] in sides else None


def _sentence(paragraph: str, start: int, end: int) -> str:
    for a, b in sentence_spans(paragraph):
        if a <= start < b:
            return paragraph[a:max(b, min(end, len(paragraph)))].strip()
    return paragraph.strip()


def _as_figure(row: dict) -> Figure:
    return Figure(start=row["start"], end=row["end"], text=row["text"], value=row["value"], low=row["low"],
                  high=row["high"], qualifier=row["qualifier"], unit=row["unit"], per=row["per"],
                  noun=row["noun"], measure=row["measure"])


def suggest(scenario, figures: list[dict], paragraphs: dict[str, list[str]]) -> dict[str, list[Suggestion]]:
    """Proposals for every numeric value of ``scenario`` (path -> list, agreeing first).

    ``figures`` are rows of :meth:`.store.Store.figures`; ``paragraphs`` maps a document
    id to its kept paragraphs (the figure's sentence becomes the quote)."""
    from ..scenario import iter_sourced_values

    sides = _side_names(scenario)
    out: dict[str, list[Suggestion]] = {}
    for path, param, source in iter_sourced_values(scenario):
        if param is None:
            continue
        groups = _topics(path)
        if groups is None:
            continue
        owner = _owner(path, sides)
        found = []
        for row in figures:
            scale = _unit_scale(param.unit or "", row)
            if scale is None:
                continue
            paras = paragraphs.get(row["doc"], [])
            para = paras[row["para"]] if row["para"] < len(paras) else ""
            sentence = _sentence(para, row["start"], row["end"])
            hay = f"{row['measure']} {row['text']} {sentence}".lower()
            if not all(any(stem in hay for stem in g) for g in groups):
                continue
            if not _side_fits(owner, sides, [row["text"].lower(), (row["measure"] or "").lower()]):
                continue  # the figure is about another side
            fig = _as_figure(row)
            ok = agrees(fig, scale, param)
            cited = bool(getattr(source, "doc", None) == row["doc"] and source.quote
                         and row["text"].split()[0] in source.quote)
            rule = (f"value {param.describe()} {'agrees with' if ok else 'differs from'} "
                    f"{row['qualifier']} {row['text']!r}" + (f" (x{scale:g})" if scale != 1 else ""))
            found.append(Suggestion(path, param.describe(), param.unit or "", row["doc"], row["para"], row["text"],
                                    sentence, row.get("speaker"), ok, scale, rule, cited))
        if found:
            out[path] = sorted(found, key=lambda s: (not s.agrees, not s.cited, s.doc, s.paragraph))
    return out


def write_citations(scenario_yaml: dict, chosen: list[Suggestion]) -> tuple[dict, list[str]]:
    """A copy of the scenario's YAML data with each chosen suggestion as its value's source.
    Only agreeing suggestions are written (a value is never changed to fit a figure);
    returns (new data, one line per change)."""
    import copy

    data = copy.deepcopy(scenario_yaml)
    notes = []
    for s in chosen:
        if not s.agrees:
            notes.append(f"{s.path}: not written: the value {s.value} differs from {s.figure!r}; "
                         "change the value yourself, or cite it with a derivation")
            continue
        node = data
        for part in s.path.split("."):
            if not isinstance(node, dict) or part not in node:
                node = None
                break
            node = node[part]
        if not isinstance(node, dict):
            notes.append(f"{s.path}: not written: not found in the scenario file")
            continue
        new = {"doc": s.doc, "quote": s.quote}
        if s.scale != 1:
            new["figure_scale"] = float(f"{s.scale:.10g}")
        old = node.get("source") or {}
        was = "document " + old["doc"] if isinstance(old, dict) and old.get("doc") else (
            "assumption" if isinstance(old, dict) and old.get("assumption") else "ref" if isinstance(old, dict)
            and old.get("ref") else "no source")
        node["source"] = new
        notes.append(f"{s.path}: source {was} -> {s.doc}: \"{s.quote[:70]}\"")
    return data, notes


def pick(suggestions: dict[str, list[Suggestion]], scenario, paths: list[str] | None = None) -> list[Suggestion]:
    """The suggestions to write: for each named path (``PATH`` or ``PATH=N``, N the 1-based
    rank in the listing) that one; without names, the first agreeing proposal of every
    value whose source is not a document yet."""
    from ..scenario import iter_sourced_values

    if paths:
        chosen = []
        for item in paths:
            path, _, n = item.partition("=")
            rows = suggestions.get(path.strip())
            if not rows:
                raise InputError(f"--pick {item}: no proposal for that value; run `evidence suggest` to see the "
                                 "values that have one")
            k = int(n) - 1 if n.strip().isdigit() else next((i for i, r in enumerate(rows) if r.agrees), 0)
            if not 0 <= k < len(rows):
                raise InputError(f"--pick {item}: the value has {len(rows)} proposal(s)")
            chosen.append(rows[k])
        return chosen
    sources = {path: src for path, _p, src in iter_sourced_values(scenario)}
    return [next(r for r in rows if r.agrees) for path, rows in suggestions.items()
            if any(r.agrees for r in rows) and not getattr(sources.get(path), "doc", None)]

