"""Fan bands, the outcome table, the parameters catalogue and the HTML the page shows."""

from __future__ import annotations

import re

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings as hsettings, strategies as st

from ceasefire.dashboard import render
from ceasefire.dashboard.catalogue import (
    COMBAT_LAW_TITLE,
    SUPPORT_TITLE,
    _norm,
    classify,
    find_paragraph,
    paragraph_containing,
    parameter_rows,
)
from ceasefire.dashboard.summary import Metric, fan_bands, outcome_table


def _traj(values: np.ndarray) -> xr.Dataset:
    runs, days, sides = values.shape
    return xr.Dataset({"x": (("run", "day", "side"), values)},
                      coords={"run": np.arange(runs), "day": np.arange(days) * 7, "side": ["a", "b"][:sides]})


def test_fan_bands_are_quantiles_over_runs():
    rng = np.random.default_rng(1)
    v = rng.normal(size=(501, 4, 2))
    bands = fan_bands(_traj(v), "x")
    assert bands.dims == ("quantile", "day", "side")
    np.testing.assert_allclose(bands.sel(quantile=0.5).values, np.median(v, axis=0))
    np.testing.assert_allclose(bands.sel(quantile=0.05).values, np.quantile(v, 0.05, axis=0))
    # with missing values the quantiles skip them
    v[0, 0, 0] = np.nan
    b2 = fan_bands(_traj(v), "x")
    assert b2.sel(quantile=0.5).values[0, 0] == pytest.approx(np.nanmedian(v[:, 0, 0]))


@hsettings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=3, max_size=40))
def test_fan_bands_are_ordered(values):
    v = np.array(values).reshape(-1, 1, 1)
    q = fan_bands(_traj(v), "x").values[:, 0, 0]
    assert np.all(np.diff(q) >= -1e-9 * max(1.0, np.abs(q).max()))


def test_outcome_table_pairs_runs():
    """A truce that adds 0.1 territory in exactly 3 of 4 runs is better in 75 % of futures."""
    side = ["a", "b"]
    fight = xr.Dataset({"territory_share_final": (("run", "side"), np.array([[0.5, 0.5]] * 4)),
                        "casualties_personnel_total": (("run", "side"), np.full((4, 2), 1000.0))},
                       coords={"run": np.arange(4), "side": side})
    truce = fight.copy(deep=True)
    truce["territory_share_final"].values[:3, 0] += 0.1
    truce["territory_share_final"].values[:3, 1] -= 0.1
    truce["casualties_personnel_total"].values[:, 1] -= 200.0
    metrics = (Metric("territory_share_final", "t", "share", True), Metric("casualties_personnel_total", "c",
                                                                            "personnel", False))
    t = outcome_table(fight, truce, metrics).set_index(["metric", "owner"])
    assert t.loc[("territory_share_final", "a"), "better_share"] == pytest.approx(0.75)
    assert t.loc[("territory_share_final", "b"), "better_share"] == pytest.approx(0.0)
    assert t.loc[("territory_share_final", "a"), "difference_median"] == pytest.approx(0.1)
    assert t.loc[("casualties_personnel_total", "b"), "better_share"] == 1.0  # fewer casualties is better
    assert t.loc[("casualties_personnel_total", "a"), "better_share"] == 0.0  # a tie is not better
    assert t.loc[("casualties_personnel_total", "b"), "truce_median"] == pytest.approx(800.0)


def test_every_parameter_is_grouped_by_its_mechanism(kherson):
    rows = parameter_rows(kherson)
    assert [r.path for r in rows] == sorted((p for p, _ in kherson.params()), key=[r.path for r in rows].index)
    assert len(rows) == len(kherson.params())
    for r in rows:
        parts = r.path.split(".")
        if parts[0] == "sides":
            assert r.owner == kherson.sides[parts[1]].label and r.mechanism not in (SUPPORT_TITLE, COMBAT_LAW_TITLE)
        elif parts[0] == "supporters":
            assert r.mechanism == SUPPORT_TITLE and r.owner == kherson.supporters[parts[1]].label
        elif parts[0] == "combat":
            assert r.mechanism == COMBAT_LAW_TITLE
        assert r.description, r.path  # from the schema's field descriptions
    mechs = [r.mechanism for r in rows]
    assert mechs == sorted(mechs, key=mechs.index)  # each mechanism's rows are together
    assert classify(kherson, "sides.russia.manpower.waves.0.personnel")[2] == "waves.0.personnel"


def test_quoted_paragraphs_are_found_in_the_article(kherson, shared_dir):
    seeds = shared_dir / "seeds"
    quoted = [(p, v.source) for p, v in kherson.params() if v.source.kind == "doc"]
    assert quoted, "the Kherson scenario quotes its articles"
    found = 0
    for path, src in quoted:
        hit = find_paragraph(kherson, src.doc, src.quote, [seeds])
        if hit:
            para, where = hit
            assert _norm(src.quote) in _norm(para) and where.endswith(".txt")
            found += 1
    assert found == len(quoted)  # every quote is in its article (the scenario's quotes are verbatim)


def test_paragraph_matching_ignores_case_spacing_and_curly_quotes():
    text = "First para.\n\nHe said \u201cthe West  is tired\u201d today.\n\nLast."
    assert paragraph_containing(text, 'said "the west is tired"') == "He said \u201cthe West is tired\u201d today."
    assert paragraph_containing(text, "nowhere") is None
    assert paragraph_containing("line one\nline two has it\nline three", "two has") == "line two has it"


def test_outcome_table_html_carries_exact_values(kherson, scenarios):
    from ceasefire.dashboard.compute import Computer
    from ceasefire.dashboard.state import Settings

    v = Computer(scenarios, processes=0).view(Settings("kherson-2022-11", 0, 90, runs=100, seed=1))
    html = render.outcome_table_html(v.table, {}, v.settings.digest(), "truce")
    cells = re.findall(r'data-metric="([^"]+)" data-owner="([^"]+)" data-col="([^"]+)" data-value="([^"]+)"', html)
    assert len(cells) == 4 * len(v.table)
    got = {(m, o, c): float(x) for m, o, c, x in cells}
    for r in v.table.itertuples():
        assert got[(r.metric, r.owner, "truce_median")] == r.truce_median
        assert got[(r.metric, r.owner, "better_share")] == r.better_share
    assert f'data-digest="{v.settings.digest()}"' in html
    fav = render.favours_html(v.favours, {}, {}, 90, v.definition, "d")
    shares = dict(re.findall(r'data-favours="([^"]+)" data-value="([^"]+)"', fav))
    assert {k: float(x) for k, x in shares.items()} == v.favours


def test_parameters_html_escapes_and_opens_onto_paragraphs(kherson):
    rows = parameter_rows(kherson, {"combat.front_length_km": "<b>x2</b>"})
    html = render.parameters_html(rows, {}, lambda doc, quote: ("The <paragraph> with " + quote, "store"))
    assert "&lt;b&gt;x2&lt;/b&gt;" in html and "<b>x2</b>" not in html
    assert "&lt;paragraph&gt;" in html and "<mark>" in html
    assert html.count('<details class="cf-mechanism"') == len({r.mechanism for r in rows})


@pytest.mark.parametrize("value, unit, text", [(0.4567, "share", "45.7%"), (1234567.0, "personnel", "1.23M"),
                                               (45678.0, "shells", "46k"), (0.98765, "index", "0.988"),
                                               (float("nan"), "share", "–")])
def test_number_formats(value, unit, text):
    assert render.fmt(value, unit) == text


def test_quoted_paragraph_from_the_evidence_store(kherson, shared_dir, tmp_path):
    """With the article stored by `ceasefire evidence add`, the page shows the stored paragraph."""
    pytest.importorskip("ceasefire.evidence.store")
    from ceasefire.dashboard.catalogue import store_paragraph
    from ceasefire.evidence.pipeline import process_file
    from ceasefire.evidence.store import Store

    path, src = next((p, v.source) for p, v in kherson.params() if v.source.kind == "doc")
    article = shared_dir / "seeds" / f"{src.doc}.txt"
    db = tmp_path / "evidence.sqlite"
    with Store(db) as store:
        store.add([process_file(article)])
    para = store_paragraph(src.doc, src.quote, db)
    assert para is not None and _norm(src.quote) in _norm(para)
    hit = find_paragraph(kherson, src.doc, src.quote, [], db)  # no directories: only the store
    assert hit == (para, "the evidence store")
    assert store_paragraph("no-such-doc", src.quote, db) is None
    assert store_paragraph(src.doc, src.quote, tmp_path / "absent.sqlite") is None


def test_bargaining_text_clips_to_the_pie_defines_mhs_and_names_late_ripeness():
    """Issue 15: the page said "between 18% and 129%" and "ripe from day 504" (from the horizon nearing)."""
    import re

    import numpy as np

    from ceasefire.bargain.outside_options import CostRates, SideRates, outside_options, range_over_time
    from ceasefire.bargain.ripeness import ripeness
    from ceasefire.dashboard.extras import bargaining_text
    from tests.bargain.synthetic import DAYS, make_ensemble

    ens = make_ensemble(np.tile(0.4 + 0.0004 * DAYS, (3, 1)))  # a slow steady front: "ripe" only near the end
    rates = CostRates(default=SideRates(share_per_100k_casualties=10.0, share_per_gdp_year=0.0,
                                        share_per_supporter_will=0.0))
    opts = outside_options(ens, "ukraine", "russia", rates=rates)
    rng = range_over_time(opts)
    rp = ripeness(ens, opts, rng, window_days=14)
    html = bargaining_text(rng, rp, "Ukraine", "Russia", "")
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    # day 0: p = 0.428, c_a = 0.7, c_b = 1.4 -> Fearon's [-0.272, 1.828], on the pie [0, 1]
    assert "between 0% and 100%" in text
    assert "Fearon's lower bound is -27%" in text and "Fearon's upper bound is 183%" in text
    assert "mutually hurting stalemate (MHS" in text
    assert "not ripe on any recorded day" in text
    assert "From day 49 the test passes on 4 recorded days only because few days are left" in text
    assert 'data-first-ripe-day=""' in html
