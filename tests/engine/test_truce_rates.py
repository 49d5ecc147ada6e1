"""The base rates of docs/truce-durability.md are what the ceasefire data give, and its example policies load."""

from __future__ import annotations

import importlib.util
import re

import numpy as np
import pytest
import yaml

from ceasefire.scenario import scenario_from_dict
from ceasefire.scenario.schema import Policy

from ..conftest import REPO, SHARED
from .helpers import kherson_data

DOC = REPO / "docs" / "truce-durability.md"
DATA = SHARED / "data" / "ceasefires"


def _rates():
    spec = importlib.util.spec_from_file_location("ceasefire_base_rates", REPO / "benchmarks" / "ceasefire_base_rates.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.skipif(not DATA.exists(), reason="needs ../shared/data/ceasefires")
def test_doc_tables_are_the_script_output():
    rates = _rates()
    assert rates.markdown(DATA) in DOC.read_text()
    f = rates.fortna(DATA)
    # hand check: 41 failures among 62 ceasefires without peacekeepers over 99,502 days at risk
    assert (f["no_peacekeepers"]["failures"], f["no_peacekeepers"]["days_at_risk"]) == (41, 99502.0)
    assert f["no_peacekeepers"]["hazard_per_day"] == pytest.approx(41 / 99502)
    u = rates.ucdp(DATA)  # the data README: 56.5% of 69 ceasefire episodes recurred, 4 of 15 interstate
    assert u["ceasefire_all"]["n"] == 69 and u["ceasefire_all"]["share_recurred"] == pytest.approx(39 / 69)
    assert (u["ceasefire_interstate"]["n"], u["ceasefire_interstate"]["failures"]) == (15, 4)


def test_exponential_rate_and_km_on_a_hand_made_sample():
    rates = _rates()
    days = np.array([10.0, 20.0, 30.0, 40.0])
    failed = np.array([True, False, True, False])
    r = rates.exponential_rate(days, failed)
    assert r["hazard_per_day"] == pytest.approx(2 / 100)
    assert rates.km_at(days, failed, at=(15, 35)) == pytest.approx([0.75, 0.75 * 0.5])


def test_the_doc_example_policies_load_and_cite_their_numbers():
    block = re.search(r"```yaml\n(.*?)```", DOC.read_text(), re.S).group(1)
    policies = yaml.safe_load(block)
    data = kherson_data()
    data["policies"] = policies
    sc = scenario_from_dict(data, "truce-durability.md example")
    truce, settle = sc.policies
    assert isinstance(truce, Policy) and truce.breakdown.collapse_per_day == 0.00041
    assert "41 failures / 99,502 days" in truce.breakdown.source
    assert settle.kind == "settle" and settle.breakdown.collapse_per_day == pytest.approx(0.00041 * 0.48, abs=1e-5)
    assert truce.label != settle.label and truce.dynamic and settle.dynamic
