"""The report's bargaining section ends a run's war on the day its first side collapses."""

from __future__ import annotations

import shutil

import numpy as np

from ceasefire.bargain import outside_options as oo
from ceasefire.report import bargain_section
from ceasefire.report.build import build_report


def test_bargaining_section_ends_the_war_on_the_first_collapse_day(tmp_path, exploration, monkeypatch):
    store = tmp_path / "collapsing"
    shutil.copytree(exploration, store)
    path = store / bargain_section.TRAJECTORIES
    import xarray as xr

    traj = xr.load_dataset(path, engine="h5netcdf")
    runs, sides = traj.sizes["run"], list(traj.side.values)
    cd = np.full((runs, len(sides)), -1, dtype=np.int64)
    cd[: runs // 2, sides.index("russia")] = 120  # Russia collapses on day 120 in half the runs
    cd[0, sides.index("ukraine")] = 200  # a later collapse of the other side does not move the war's end
    traj["collapse_day"] = (("run", "side"), cd)
    path.unlink()
    traj.to_netcdf(path, engine="h5netcdf")

    seen = {}
    real = oo.outside_options

    def spy(*args, **kw):
        seen["collapse_day"] = np.asarray(kw["collapse_day"])
        seen["result"] = real(*args, **kw)
        return seen["result"]

    monkeypatch.setattr(bargain_section, "outside_options", spy)
    html = build_report(store).read_text(encoding="utf-8")
    assert "Bargaining" in html
    expected = np.where(np.arange(runs) < runs // 2, 120.0, -1.0)
    np.testing.assert_array_equal(seen["collapse_day"], expected)
    # and the outside options use it: fighting on from day 0 ends on the first recorded day >= 120 in a
    # collapsing run, and on the horizon in the others
    days = traj["day"].values
    horizon = seen["result"]["horizon_day"].isel(day=0).values
    assert horizon[0] == days[np.searchsorted(days, 120)]
    assert horizon[-1] == days[-1]
