"""HTML fragments of the page (outcome table, who the truce favours, parameters and sources).

Pure functions from data to HTML strings, so they are tested without a browser.
Every number the tests read carries its full-precision value in ``data-value``.
"""

from __future__ import annotations

import html
import math
from collections import OrderedDict
from typing import Callable, Iterable

import pandas as pd

from .catalogue import ParamRow


def esc(x: object) -> str:
    return html.escape(str(x), quote=True)


def fmt(value: float, unit: str) -> str:
    """A number for people: shares as percent, large counts with k/M, indices with two decimals."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if unit == "share":
        return f"{100 * value:.1f}%"
    a = abs(value)
    if a >= 1e6:
        return f"{value / 1e6:.2f}M"
    if a >= 1e4:
        return f"{value / 1e3:.0f}k"
    if a >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def fmt_diff(value: float, unit: str) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    if unit == "share":
        return f"{100 * value:+.1f} pts"
    s = fmt(value, unit)
    return s if s.startswith("-") else "+" + s


def _cell(value: float, text: str, metric: str, owner: str, col: str) -> str:
    return (
        f'<td data-metric="{esc(metric)}" data-owner="{esc(owner)}" data-col="{col}" '
        f'data-value="{value!r}">{esc(text)}</td>'
    )


def outcome_table_html(table: pd.DataFrame, labels: dict[str, str], digest: str, truce_name: str) -> str:
    """The outcome table: per outcome and side, medians with 5-95 % ranges, paired effect, share better off."""
    head = (
        "<tr><th>Outcome</th><th>Side</th><th>Fight on<br><small>median (5–95%)</small></th>"
        f"<th>{esc(truce_name)}<br><small>median (5–95%)</small></th>"
        "<th>Truce − fight on<br><small>median, same future</small></th>"
        "<th>Futures where the truce<br>leaves this side better off</th></tr>"
    )
    body = []
    for r in table.itertuples(index=False):
        u = r.unit
        f = f"{fmt(r.fight_on_median, u)} <small>({fmt(r.fight_on_p5, u)}–{fmt(r.fight_on_p95, u)})</small>"
        t = f"{fmt(r.truce_median, u)} <small>({fmt(r.truce_p5, u)}–{fmt(r.truce_p95, u)})</small>"
        body.append(
            "<tr>"
            f"<td title=\"{esc(r.metric)} [{esc(u)}]\">{esc(r.label)}</td><td>{esc(labels.get(r.owner, r.owner))}</td>"
            f'<td data-metric="{esc(r.metric)}" data-owner="{esc(r.owner)}" data-col="fight_on_median" '
            f'data-value="{r.fight_on_median!r}">{f}</td>'
            f'<td data-metric="{esc(r.metric)}" data-owner="{esc(r.owner)}" data-col="truce_median" '
            f'data-value="{r.truce_median!r}">{t}</td>'
            + _cell(r.difference_median, fmt_diff(r.difference_median, u), r.metric, r.owner, "difference_median")
            + _cell(r.better_share, fmt(r.better_share, "share"), r.metric, r.owner, "better_share")
            + "</tr>"
        )
    return (
        f'<table class="cf-outcomes" data-digest="{esc(digest)}"><thead>{head}</thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def favours_measures_html(measures: pd.DataFrame, labels: dict[str, str]) -> str:
    """Every favours measure in one table (share of futures, 95% Wilson interval; the definition on hover and
    below), and a plain sentence when the measures disagree."""
    from ..compare.favours import MEASURES, definitions, disagreement, verdicts

    if measures is None or measures.empty:
        return ""
    sides = [w for w in dict.fromkeys(measures["who"]) if w != "neither"]
    defs = definitions()
    head = "".join(f"<th>{esc(labels.get(s, s))}</th>" for s in sides) + "<th>neither</th>"
    body = []
    for m in MEASURES:
        rows = measures[measures["measure"] == m.name]
        if rows.empty:
            continue
        cells = []
        for who in sides + ["neither"]:
            r = rows[rows["who"] == who].iloc[0]
            text = "n/a" if not math.isfinite(r["share"]) else (
                f"{100 * r['share']:.1f}% <small>({100 * r['lo']:.1f}–{100 * r['hi']:.1f})</small>")
            cells.append(f'<td data-measure="{esc(m.name)}" data-who="{esc(who)}" data-value="{float(r["share"])!r}">'
                         f"{text}</td>")
        label = rows["label"].iloc[0]
        body.append(f'<tr><td title="{esc(defs[m.name])}">{esc(label)}</td>{"".join(cells)}</tr>')
    runs = int(measures["runs"].max())
    notes = "".join(f"<li><b>{esc(rows_label)}</b>: {esc(defs[name])}</li>" for name, rows_label in
                    dict(zip(measures["measure"], measures["label"])).items())
    split = ""
    answers = next(iter(disagreement(measures).values()), [])
    if len(answers) > 1:
        said = "; ".join(f"{r.label}: {'neither side' if r.answer == 'neither' else labels.get(r.answer, r.answer)}"
                         for r in verdicts(measures).itertuples() if r.answer)
        split = (f'<div class="cf-disagree"><b>The measures disagree.</b> The most frequent answer, by measure: '
                 f"{esc(said)}.</div>")
    return (
        f'<table class="cf-measures"><thead><tr><th>Measured by</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>{split}"
        f"<small>Share of {runs:,} futures in which the truce leaves the side better off than fighting on in the "
        f"same future (95% interval in brackets).</small><details><summary><small>Definitions</small></summary>"
        f"<ul><small>{notes}</small></ul></details>"
    )


def favours_html(favours: dict[str, float], labels: dict[str, str], colours: dict[str, str], end_day: int,
                 definition: str, digest: str, measures: pd.DataFrame | None = None) -> str:
    """'The truce favours X in n % of futures' with a stacked bar and the engine's definition, then (with
    ``measures``) the same question answered by every favours measure (:func:`favours_measures_html`)."""
    parts, bar = [], []
    for key, share in favours.items():
        name = "neither side" if key == "neither" else labels.get(key, key)
        colour = colours.get(key, "#bbbbbb")
        parts.append(f'<b data-favours="{esc(key)}" data-value="{share!r}">{esc(name)}: {100 * share:.1f}%</b>')
        bar.append(f'<span style="width:{100 * share:.2f}%;background:{colour}" title="{esc(name)}"></span>')
    return (
        f'<div class="cf-favours" data-digest="{esc(digest)}">'
        f"<div><b>Who does the truce favour?</b> It depends on the measure. By combat-power share on day {end_day} "
        "(the truce's end), share of futures:</div>"
        f'<div class="cf-bar">{"".join(bar)}</div><div>{" · ".join(parts)}</div>'
        f"<small>{esc(definition)}</small>"
        + (favours_measures_html(measures, labels) if measures is not None else "") + "</div>"
    )


def claims_html(claims: pd.DataFrame | None, texts: dict[str, str], truce_policy: str) -> str:
    """The scenario's claims from articles: share of futures in which each holds, per policy."""
    if claims is None or claims.empty:
        return ""
    rows = []
    for claim_id, grp in claims.groupby("claim", sort=False):
        cells = []
        for pol in ("fight_on", truce_policy):
            hit = grp[grp["policy"] == pol]
            if hit.empty:
                cells.append("<td>–</td>")
            else:
                v = float(hit["holds_share"].iloc[0])
                cells.append(f'<td data-claim="{esc(claim_id)}" data-policy="{esc(pol)}" data-value="{v!r}">'
                             f"{100 * v:.0f}%</td>")
        prop = esc(grp["proposition"].iloc[0])
        rows.append(f"<tr><td>{esc(texts.get(claim_id, claim_id))}<br><small><code>{prop}</code></small></td>"
                    f"{''.join(cells)}</tr>")
    return (
        '<table class="cf-outcomes cf-claims"><thead><tr><th>Claim from the articles</th>'
        "<th>Holds in, fight on</th><th>Holds in, truce</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def parameters_html(rows: Iterable[ParamRow], doc_titles: dict[str, str],
                    paragraph: Callable[[str, str], tuple[str, str] | None]) -> str:
    """Parameters grouped by mechanism; a quoted source opens (click) onto its document's paragraph."""
    groups: OrderedDict[str, list[ParamRow]] = OrderedDict()
    for r in rows:
        groups.setdefault(r.mechanism, []).append(r)
    out = []
    for mech, items in groups.items():
        trs = []
        for r in items:
            if r.source_kind == "doc":
                found = paragraph(r.doc, r.quote)
                title = esc(doc_titles.get(r.doc, r.doc))
                if found:
                    para, where = found
                    body = (
                        f'<blockquote class="cf-paragraph">{_highlight(para, r.quote)}</blockquote>'
                        f"<small>{title} — paragraph found in {esc(where)}</small>"
                    )
                else:
                    body = (
                        f"<small>{title} ({esc(r.doc)}): the document's text is not available on this server, "
                        "so only the quote is shown.</small>"
                    )
                src = (
                    f'<details class="cf-source" data-path="{esc(r.path)}"><summary>“{esc(r.quote)}” '
                    f"<small>— {title}</small></summary>{body}</details>"
                )
            else:
                src = f'<span class="cf-src-{esc(r.source_kind)}">{esc(r.source)}</span>'
            what_if = f' <span class="cf-whatif">what-if: {esc(r.what_if)}</span>' if r.what_if else ""
            trs.append(
                f'<tr data-path="{esc(r.path)}"{" class=cf-changed" if r.what_if else ""}>'
                f"<td>{esc(r.owner)}</td><td title=\"{esc(r.path)}\"><code>{esc(r.name)}</code>"
                f"<br><small>{esc(r.description)}</small></td>"
                f"<td>{esc(r.value)}{what_if}</td><td>{src}</td></tr>"
            )
        out.append(
            f'<details class="cf-mechanism" open><summary>{esc(mech)} <small>({len(items)})</small></summary>'
            f"<table class=\"cf-params\"><thead><tr><th>Who</th><th>Parameter</th><th>Value or distribution</th>"
            f"<th>Source (click a quote for its paragraph)</th></tr></thead><tbody>{''.join(trs)}</tbody></table>"
            "</details>"
        )
    return "".join(out)


def _highlight(paragraph: str, quote: str) -> str:
    """The paragraph with the quote marked (case-insensitive, spacing-tolerant)."""
    import re

    words = [re.escape(w) for w in quote.split()]
    if not words:
        return esc(paragraph)
    pat = re.compile(r"\s+".join(words).replace("'", "['’]").replace('"', '["“”]'), re.I)
    m = pat.search(paragraph)
    if not m:
        return esc(paragraph)
    return esc(paragraph[: m.start()]) + "<mark>" + esc(m.group(0)) + "</mark>" + esc(paragraph[m.end():])
