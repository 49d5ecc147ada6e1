"""``ceasefire fit battles`` and ``ceasefire fit series`` end to end."""

import json

import numpy as np
import pytest

from ceasefire.cli import main
from ceasefire.validate.integrate import integrate_battle


def test_fit_battles_cdb90(data_dir, capsys, tmp_path):
    out = tmp_path / "r.json"
    with pytest.raises(SystemExit) as e:
        main(["fit", "battles", str(data_dir / "cdb90"), "--law", "helmbold", "--error-draws", "20", "--json", str(out)])
    assert e.value.code == 0
    text = " ".join(capsys.readouterr().out.split())  # Rich wraps at the console width of the run
    assert "489 battles used" in text and "beta = -0.2134" in text and "1914-1945" in text
    rep = json.loads(out.read_text())
    assert rep["law_tests"]["square"]["p_value"] < 1e-10
    assert rep["excluded"]["duplicate battle (parent not null)"] == 36


def test_fit_series_recovers_square_law(tmp_path, capsys):
    tr = integrate_battle(40_000, 25_000, 0.02, 0.04, 1.0, 0.0, 20, [0, 0, 5_000], None)
    lines = ["day,side,strength_personnel,reinforcements_personnel,source"]
    for d in range(21):
        lines.append(f"{d},blue,{tr.strength_x[d]:.3f},{5000 if d == 3 else ''},simulated")
        lines.append(f"{d},red,{tr.strength_y[d]:.3f},,simulated")
    p = tmp_path / "s.csv"
    p.write_text("\n".join(lines) + "\n")
    out = tmp_path / "f.json"
    with pytest.raises(SystemExit) as e:
        main(["fit", "series", str(p), "--law", "square", "--compare", "--json", str(out)])
    assert e.value.code == 0
    res = json.loads(out.read_text())
    assert res["fit"]["estimates"]["k_on_blue"] == pytest.approx(0.02, rel=1e-3)
    assert res["fit"]["estimates"]["k_on_red"] == pytest.approx(0.04, rel=1e-3)
    assert res["comparison"][0]["law"] in ("square", "helmbold")
    assert "R^2 = 1" in " ".join(capsys.readouterr().out.split())


def test_fit_series_iwo_jima_with_b_fixed(data_dir, capsys):
    with pytest.raises(SystemExit) as e:
        main(["fit", "series", str(data_dir / "iwo_jima.csv"), "--law", "square", "--fix", "k_on_japan=0.0106"])
    assert e.value.code == 0
    text = " ".join(capsys.readouterr().out.split())  # Rich wraps at the console width of the run
    assert "k_on_us" in text and "0.0555" in text


def test_fit_series_bayes_option(tmp_path, capsys):
    tr = integrate_battle(40_000, 25_000, 0.02, 0.04, 1.0, 0.0, 20)
    rng = np.random.default_rng(0)
    lines = ["day,side,strength_personnel"]
    for d in range(21):
        lines.append(f"{d},blue,{tr.strength_x[d] * (1 + 0.01 * rng.standard_normal() * (d > 0)):.3f}")
        lines.append(f"{d},red,{tr.strength_y[d] * (1 + 0.01 * rng.standard_normal() * (d > 0)):.3f}")
    p = tmp_path / "s.csv"
    p.write_text("\n".join(lines) + "\n")
    out = tmp_path / "b.json"
    with pytest.raises(SystemExit) as e:
        main(["fit", "series", str(p), "--bayes", "--draws", "200", "--json", str(out)])
    assert e.value.code == 0
    b = json.loads(out.read_text())["bayes"]
    # within four posterior standard deviations of the truth, and a 90% interval around the mean
    assert abs(b["mean"]["k_on_blue"] - 0.02) < 4 * b["sd"]["k_on_blue"]
    lo, hi = b["interval"]["k_on_blue"]
    assert lo < b["mean"]["k_on_blue"] < hi
    assert "posterior" in capsys.readouterr().out
    with pytest.raises(SystemExit) as e:
        main(["fit", "series", str(p), "--bayes", "--fix", "k_on_red=0.04"])
    assert e.value.code == 2
