"""`ceasefire evidence suggest` (issue 17, scope 3): stored figures proposed as citations
for a scenario's values, and `--write` adding chosen ones to a copy without changing a value."""

from __future__ import annotations

import json

import pytest
import yaml

from ceasefire.cli import main
from ceasefire.scenario import iter_sourced_values, load_scenario

from .helpers import REPO, seeds_dir

KHERSON = REPO / "scenarios" / "kherson-2022-11.yaml"


def run(capsys, *args):
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out, err = capsys.readouterr()
    return exc.value.code, out, err


def _suggest(capsys, scenario=KHERSON):
    code, out, err = run(capsys, "evidence", "suggest", str(scenario), "--docs", str(seeds_dir()), "--json")
    assert code == 0, err
    return json.loads(out)["values"]


def test_kherson_proposes_the_citations_it_has_for_stated_figures(capsys):
    """Each value whose citation quotes a figure of its unit and subject gets that figure
    proposed, from that document, marked as cited already; agreement is computed."""
    values = _suggest(capsys)
    expected = {  # path: (doc, figure words, does the value agree with the figure)
        "sides.ukraine.economy.gdp_loss_share_at_war": ("000_e7d0cf1533a8b985", "35 percent", True),
        "sides.russia.economy.gdp_loss_share_at_war": ("000_e7d0cf1533a8b985", "4.5 percent", True),
        "sides.ukraine.economy.population_at_risk_persons": ("000_e7d0cf1533a8b985", "3 million people", True),
        "sides.russia.will.casualty_reference_personnel": ("000_e7d0cf1533a8b985", "100,000", True),
        "combat.front_length_km": ("003_68245a0a8fc4f493", "600 miles", True),
        # derived values: the figure is proposed, and said to differ (the scenario derives from it)
        "sides.russia.manpower.training_personnel": ("000_e7d0cf1533a8b985", "300,000 men", False),
        "sides.ukraine.economy.energy_capacity_share": ("000_e7d0cf1533a8b985", "40 percent", False),
    }
    for path, (doc, words, agrees) in expected.items():
        rows = values[path]
        hit = [r for r in rows if r["doc"] == doc and words in r["figure"]]
        assert hit and hit[0]["cited"] and hit[0]["agrees"] is agrees, (path, rows)
        assert words.split()[0] in hit[0]["quote"]
    # the 100,000 are Russian soldiers: not proposed for Ukraine's value
    assert "sides.ukraine.will.casualty_reference_personnel" not in values
    # a figure in the right unit is scaled: 600 miles -> km, 35 percent -> share
    assert values["combat.front_length_km"][0]["scale"] == pytest.approx(1.609344)
    assert values["sides.ukraine.economy.gdp_loss_share_at_war"][0]["scale"] == pytest.approx(0.01)


def test_kherson_proposes_nothing_for_values_no_article_states(capsys):
    values = _suggest(capsys)
    sc = load_scenario(KHERSON)
    assumed = [path for path, param, src in iter_sourced_values(sc) if param is not None and src.kind != "doc"]
    assert len(assumed) > 60
    proposed = sorted(p for p in assumed if p in values)
    # the one exception, and why: "Russia's missile and drone attacks have destroyed up to 40 percent of the
    # country's energy infrastructure" names both sides; only world knowledge says the country is Ukraine
    assert proposed == ["sides.russia.economy.energy_capacity_share"]
    assert not any(r["agrees"] for r in values["sides.russia.economy.energy_capacity_share"])
    # no value of a kind that no figure can state (indices, ratios, shares per day) gets a proposal
    kinds = {p: param.unit for p, param, _ in iter_sourced_values(sc) if param is not None}
    assert not [p for p in values if kinds[p] in ("index", "ratio", "share/day", "1/day", "share/weapon")]


def test_write_adds_the_chosen_citation_and_changes_no_value(tmp_path, capsys):
    data = yaml.safe_load(KHERSON.read_text(encoding="utf-8"))
    data["combat"]["front_length_km"]["source"] = {"assumption": "front length as mapped"}
    scen = tmp_path / "k.yaml"
    scen.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    out_path = tmp_path / "k_cited.yaml"
    code, out, err = run(capsys, "evidence", "suggest", str(scen), "--docs", str(seeds_dir()), "--write",
                         str(out_path), "--pick", "sides.russia.manpower.training_personnel", "--pick",
                         "combat.front_length_km", "--json")
    assert code == 0, err
    changes = json.loads(out)["changes"]
    assert any(c.startswith("combat.front_length_km: source assumption -> 003_68245a0a8fc4f493") for c in changes)
    assert any(c.startswith("sides.russia.manpower.training_personnel: not written") for c in changes)
    new = yaml.safe_load(out_path.read_text(encoding="utf-8"))
    src = new["combat"]["front_length_km"]["source"]
    assert src["doc"] == "003_68245a0a8fc4f493" and "more than 600 miles" in src["quote"]
    assert src["figure_scale"] == pytest.approx(1.609344)
    # every value is unchanged, and the training value keeps its own (derived) citation
    before = {p: v.describe() for p, v, _ in iter_sourced_values(load_scenario(scen)) if v is not None}
    after = {p: v.describe() for p, v, _ in iter_sourced_values(load_scenario(out_path)) if v is not None}
    assert before == after
    assert new["sides"]["russia"]["manpower"]["training_personnel"]["source"] == \
        data["sides"]["russia"]["manpower"]["training_personnel"]["source"]
    # the written citation holds under `evidence check`
    code, out, err = run(capsys, "evidence", "check", str(out_path), "--docs", str(seeds_dir()), "--json")
    assert code == 0, out
    res = {r["path"]: r for r in json.loads(out)["results"]}
    assert res["combat.front_length_km"]["status"] == "supported"


def test_write_defaults_to_uncited_values_and_refuses_to_overwrite(tmp_path, capsys):
    data = yaml.safe_load(KHERSON.read_text(encoding="utf-8"))
    data["sides"]["ukraine"]["economy"]["population_at_risk_persons"]["source"] = {"assumption": "guess"}
    scen = tmp_path / "k.yaml"
    scen.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    out_path = tmp_path / "out.yaml"
    code, out, _ = run(capsys, "evidence", "suggest", str(scen), "--docs", str(seeds_dir()), "--write", str(out_path),
                       "--json")
    changes = json.loads(out)["changes"]
    assert code == 0 and len(changes) == 1 and changes[0].startswith("sides.ukraine.economy.population_at_risk")
    code, _, err = run(capsys, "evidence", "suggest", str(scen), "--docs", str(seeds_dir()), "--write", str(out_path))
    assert code == 2 and "--force" in err
    code, _, err = run(capsys, "evidence", "suggest", str(scen), "--docs", str(seeds_dir()), "--write", str(scen),
                       "--force")
    assert code == 2 and "not the scenario itself" in err
    code, _, err = run(capsys, "evidence", "suggest", str(scen), "--docs", str(seeds_dir()), "--write",
                       str(tmp_path / "x.yaml"), "--pick", "no.such.value")
    assert code == 2 and "no proposal" in err
