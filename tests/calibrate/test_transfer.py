"""Carrying calibrated mechanism values into another scenario (``calibrate.transfer``)."""

from __future__ import annotations

import pytest

from ceasefire.calibrate.transfer import main, transfer_values
from ceasefire.errors import InputError
from ceasefire.scenario import load_scenario

from ..conftest import KHERSON, SCENARIOS

HINDCAST = SCENARIOS / "ukraine-2022-02.yaml"
CARRY = ["sides.russia.front.advance_threshold_ratio", "sides.ukraine.defence.critical_density_personnel_per_km",
         "sides.russia.defence.critical_density_personnel_per_km"]


def test_carried_values_keep_their_distribution_and_say_where_they_came_from():
    src, tgt = load_scenario(HINDCAST), load_scenario(KHERSON)
    out = transfer_values(src, tgt, CARRY, mechanisms=("force_to_space",), name="k-test")
    for path in CARRY:
        a, b = src.param(path), out.param(path)
        assert (a.dist, a.bounds(), a.nominal) == (b.dist, b.bounds(), b.nominal)
        assert "Carried from the calibrated scenario ukraine-2022-02" in b.source.derivation
    assert out.mechanisms.force_to_space and out.name == "k-test"
    # nothing else changed: every other value is the target's
    carried = set(CARRY)
    for path, p in tgt.params():
        if path not in carried:
            assert out.param(path) == p, path
    assert out.start_date == tgt.start_date and out.horizon_days == tgt.horizon_days


def test_a_value_the_calibrated_scenario_lacks_or_a_missing_switch_is_refused(tmp_path, capsys):
    src, tgt = load_scenario(HINDCAST), load_scenario(KHERSON)
    with pytest.raises(InputError, match="sides.russia.front.no_such_value"):
        transfer_values(src, tgt, ["sides.russia.front.no_such_value"])
    # a critical density without its switch is harmless; the switch without a density on every side is not
    with pytest.raises(InputError, match="force_to_space.*russia"):
        transfer_values(src, tgt, CARRY[:2], mechanisms=("force_to_space",))
    out = tmp_path / "x.yaml"
    assert main([str(HINDCAST), str(KHERSON), "--params", "sides.russia.front.nope", "--out", str(out)]) == 2
    assert "sides.russia.front.nope" in capsys.readouterr().err and not out.exists()
