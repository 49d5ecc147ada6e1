"""`bargain truce --resume`: the in-run resume rule next to Powell's formal commitment test."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ceasefire.bargain.commitment import rule_against_formal_test
from ceasefire.cli import main

from ..conftest import KHERSON


def test_cross_table_of_rule_and_formal_test_by_hand():
    fired = np.array([1, 1, 0, 0, 1], bool)
    war = np.array([1, 0, 0, 1, 1], bool)
    t = rule_against_formal_test(fired, war)
    assert t == pytest.approx({"both_fail": 0.4, "both_hold": 0.2, "rule_only": 0.2, "formal_only": 0.2,
                               "agreement": 0.6})
    with pytest.raises(ValueError):
        rule_against_formal_test(fired, war[:3])


def test_bargain_truce_resume_reports_when_the_rule_fires(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["bargain", "truce", str(KHERSON), "--start", "0", "--days", "365", "--runs", "24", "--seed", "1",
              "--resume", "russia:0.02", "--json"])
    assert exc.value.code in (0, None)
    payload = json.loads(capsys.readouterr().out)
    rr = payload["resume_rule"]
    assert rr["policy"] == "truce_365d_from_0_resume-russia-gain0.02" and rr["side"] == "russia"
    ag = rr["against_formal_test"]
    assert ag["both_fail"] + ag["both_hold"] + ag["rule_only"] + ag["formal_only"] == pytest.approx(1.0, abs=1e-3)
    assert ag["rule_only"] + ag["both_fail"] == pytest.approx(rr["share_of_runs_rule_fired"], abs=1e-3)
    assert ag["both_fail"] + ag["formal_only"] == pytest.approx(payload["formal"]["share_of_runs_war"], abs=1e-3)
    if rr["share_of_runs_rule_fired"] > 0:
        assert 1 <= rr["days_into_truce_when_fired"]["median"] < 365


def test_bad_resume_option_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["bargain", "truce", str(KHERSON), "--runs", "4", "--resume", "moldova:0.1"])
    assert exc.value.code == 2
    assert "--resume" in capsys.readouterr().err
