"""The HTML report: one self-contained file with every section, table and plot, matching the stored numbers."""

import base64
import json
import re
from html.parser import HTMLParser

import pytest

from ceasefire.report.build import SECTIONS


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.imgs, self.h2, self.tables, self.external = [], [], [], 0, []
        self._in_h2 = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "img":
            self.imgs.append(a)
        if tag == "table":
            self.tables += 1
        if tag in ("script", "link", "iframe") or (tag in ("img", "source") and not a.get("src", "").startswith("data:")):
            self.external.append((tag, a))
        self._in_h2 = tag == "h2"

    def handle_data(self, data):
        if self._in_h2:
            self.h2.append(data.strip())
            self._in_h2 = False


@pytest.fixture(scope="module")
def parsed(report_path):
    html = report_path.read_text(encoding="utf-8")
    p = _Collect()
    p.feed(html)
    return html, p


def test_every_section_is_there_in_order(parsed):
    html, p = parsed
    ids = [i for i in p.ids if i in {s for s, _ in SECTIONS}]
    assert ids == [s for s, _ in SECTIONS]
    headings = [h for h in p.h2 if h != "Bargaining"]
    assert headings == [h for _, h in SECTIONS]


def test_report_is_self_contained_with_png_plots(parsed):
    html, p = parsed
    assert p.external == []
    assert len(p.imgs) >= 8
    for img in p.imgs:
        src = img["src"]
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
        assert img.get("alt")


def test_every_parameter_and_source_is_listed(parsed, exploration):
    html, _ = parsed
    summary = json.loads((exploration / "summary.json").read_text())
    for p in summary["parameters"]:
        assert f"<code class=\"small\">{p['path']}</code>" in html
    assert summary["parameters"] and len(summary["parameters"]) > 100


def test_lever_grid_pairs_each_truce_with_fight_on_at_its_aid_level(exploration, parsed):
    html, _ = parsed
    summary = json.loads((exploration / "summary.json").read_text())
    names = [p["name"] for p in summary["policies"]]
    assert names[:2] == ["fight_on_aid0.5", "fight_on"]
    assert set(names[2:]) == {"truce_60d_from_0_aid0.5", "truce_60d_from_0"}
    # the favours table in the HTML shows the stored shares
    for row in summary["favours_table"]:
        assert row["description"] in html
        for s in summary["sides"]:
            assert f"{row[s] * 100:.1f}%" in html
        assert abs(sum(row[s] for s in summary["sides"]) + row["neither"] - 1) < 1e-9


def test_claims_and_boxes_in_plain_words(parsed, exploration):
    html, _ = parsed
    summary = json.loads((exploration / "summary.json").read_text())
    for c in summary["claims"]:
        assert c["text"].replace("'", "&#39;") in html
        for p in c["policies"]:
            assert 0.0 <= p["holds_share"] <= 1.0
    sentences = [d["sentence"] for d in summary["discovery"] if d["sentence"]]
    assert sentences, "no PRIM box found at all"
    for s in sentences:
        assert re.match(r"^A \d+-day truce (now|from day \d+)( with aid at [\d.]+x)? favours \w+ in \d+% of futures "
                        r"where .+ \(against \d+% of all futures; these futures are \d+% of all futures and hold \d+% "
                        r"of those in which it does\)\.$",
                        s), s
        assert s.replace("'", "&#39;") in html


def test_report_command_rejects_a_directory_as_out(tmp_path, exploration):
    from ..explore.helpers import run_cli

    assert run_cli(["report", str(exploration), "--out", str(tmp_path)]) == 2


def test_paired_results_use_the_same_aid_level_baseline(exploration):
    """A truce at aid 0.5 is compared with fighting on at aid 0.5, run by run (engine's own pairing)."""
    import numpy as np
    import xarray as xr

    from ceasefire.compare import run_policies
    from ceasefire.scenario import Policy, load_scenario

    manifest = json.loads((exploration / "manifest.json").read_text())
    sc = load_scenario(manifest["scenario_file"])
    design = xr.load_dataset(exploration / "design.nc", engine="h5netcdf")
    results = xr.load_dataset(exploration / "results.nc", engine="h5netcdf")
    u = design["unit_samples"].values[:32]
    base = Policy(name="fight_on_aid0.5", kind="fight_on", aid_level=0.5)
    truce = Policy(name="truce_60d_from_0_aid0.5", kind="truce", start_day=0, days=60, aid_level=0.5)
    # only the truce is given: the compared ensemble adds fight-on at its aid level by the baseline rule
    paired = run_policies(sc, [truce], runs=32, seed=4, unit_samples=u, keep="outcomes")
    assert str(paired["baseline"].sel(policy=truce.name).values) == base.name
    assert float(paired["aid_level"].sel(policy=base.name)) == 0.5
    np.testing.assert_array_equal(
        results["power_share_change_at_truce_end"].sel(policy=truce.name).isel(run=slice(0, 32))
        .transpose("run", "side").values,
        paired["power_share_change_at_truce_end"].sel(policy=truce.name).transpose("run", "side").values)


def test_report_without_sobol_indices_says_why(tmp_path, exploration):
    """An LHS exploration has no Sobol' indices: the report says so instead of a chart."""
    import shutil

    from ceasefire.report.build import build_report

    store = tmp_path / "lhs"
    shutil.copytree(exploration, store)
    (store / "sensitivity.nc").unlink()
    summary = json.loads((store / "summary.json").read_text())
    summary["sensitivity_note"] = "Sobol' indices need a Saltelli design; this exploration used a Latin hypercube."
    (store / "summary.json").write_text(json.dumps(summary))
    html = build_report(store).read_text(encoding="utf-8")
    assert "Sobol&#39; indices need a Saltelli design" in html
    assert 'class="convergence"' not in html and 'class="drivers"' not in html
