"""Claims ledger: Wilson intervals by hand, verdicts, the outcomes file, and the ledger on the Kherson scenario."""

from pathlib import Path

import pytest

from ceasefire.cli import main
from ceasefire.errors import InputError
from ceasefire.scenario import load_scenario
from ceasefire.validate.claims import ledger, read_outcomes, verdict, wilson_interval

REPO = Path(__file__).resolve().parents[2]
KHERSON = REPO / "scenarios" / "kherson-2022-11.yaml"
OUTCOMES = REPO / "data" / "claims" / "kherson-2022-11.yaml"


def test_wilson_interval_hand_values():
    # p = 0.5, n = 100, z = 1.95996: centre 0.5, half-width z/(1+z^2/n) sqrt(p(1-p)/n + z^2/(4 n^2)) = 0.09617
    lo, hi = wilson_interval(50, 100)
    assert lo == pytest.approx(0.40383, abs=2e-5) and hi == pytest.approx(0.59617, abs=2e-5)
    # all runs hold: upper end 1, lower end n / (n + z^2) = 400 / 403.84
    lo, hi = wilson_interval(400, 400)
    assert hi == pytest.approx(1.0) and lo == pytest.approx(400 / (400 + 1.959964**2), rel=1e-6)


def test_verdicts():
    assert verdict(0.51, 0.6) == "holds in most futures"
    assert verdict(0.3, 0.49) == "fails in most futures"
    assert verdict(0.45, 0.55) == "undecided"


def test_outcomes_file_covers_every_claim_with_a_public_source():
    sc = load_scenario(KHERSON)
    out = read_outcomes(OUTCOMES)
    assert set(out.by_claim) == {c.id for c in sc.claims}
    for cid, entry in out.by_claim.items():
        assert entry["source"].startswith("The Kyiv Independent") and '"' in entry["source"], cid
    assert out.by_claim["dougherty-russia-will-wait"]["status"] == "held"
    assert out.by_claim["kofman-truce-favours-russia"]["status"] == "not_observable"
    assert len(out.not_expressible) == 3


def test_bad_outcomes_files_are_refused(tmp_path):
    p = tmp_path / "o.yaml"
    p.write_text("claims:\n  a: {status: maybe, happened: x, source: {ref: r}}\n")
    with pytest.raises(InputError, match="status must be one of"):
        read_outcomes(p)
    p.write_text("claims:\n  a: {status: held, happened: x, source: {assumption: guess}}\n")
    with pytest.raises(InputError, match="needs a public source"):
        read_outcomes(p)


def test_ledger_on_the_kherson_scenario(capsys):
    table = ledger(load_scenario(KHERSON), runs=60, seed=2, outcomes=read_outcomes(OUTCOMES))
    assert set(table.claim) == {c.id for c in load_scenario(KHERSON).claims}
    # the truce claim applies to the four truces, the fight-on claims to fight_on only
    assert sorted(table[table.claim == "kofman-truce-favours-russia"].policy) == sorted(
        ["truce_90d_now", "truce_180d_now", "truce_365d_now", "truce_180d_from_day180"])
    assert list(table[table.claim == "dougherty-russia-will-wait"].policy) == ["fight_on"]
    assert ((table.ci_low <= table.holds_share) & (table.holds_share <= table.ci_high)).all()
    assert (table.runs == 60).all()
    assert set(table.what_happened) <= {"held", "unknown", "not_observable"}
    with pytest.raises(SystemExit) as exc:
        main(["claims", str(KHERSON), "--runs", "20", "--outcomes", str(OUTCOMES)])
    assert exc.value.code == 0
    text = " ".join(capsys.readouterr().out.split())  # Rich wraps at the console width of the run
    assert "zelensky-no-build-up" in text and "what happened (held)" in text and "cannot state" in text
