"""The engine reports progress through a callback; the Rich bar lives on the CLI side."""

from __future__ import annotations

import io

import numpy as np
from rich.console import Console

from ceasefire.compare import run_policies
from ceasefire.engine import simulate
from ceasefire.progress import RichProgress, progress_bar
from ceasefire.scenario.policies import make_policy


def test_simulate_calls_back_after_each_chunk_and_the_numbers_do_not_change(kherson):
    calls = []
    pol = make_policy("truce", 0, 30)
    res = simulate(kherson, pol, runs=50, seed=1, chunk_runs=20, workers=1,
                   progress=lambda *a: calls.append(a))
    assert calls == [(pol.name, 20, 50), (pol.name, 40, 50), (pol.name, 50, 50)]
    quiet = simulate(kherson, pol, runs=50, seed=1, chunk_runs=20, workers=1)
    np.testing.assert_array_equal(res.outcomes["territory_share_final"].values,
                                  quiet.outcomes["territory_share_final"].values)


def test_compare_passes_the_callback_to_every_policy(kherson):
    seen: dict[str, int] = {}
    run_policies(kherson, [make_policy("truce", 0, 30)], runs=12, seed=0, keep="outcomes",
                 progress=lambda name, done, total: seen.update({name: done}))
    assert seen == {"fight_on": 12, "truce_30d_from_0": 12}


def test_the_rich_bar_draws_one_line_per_label():
    buf = io.StringIO()
    bar = RichProgress(Console(file=buf, force_terminal=False, width=100), transient=False)
    bar.start()
    bar("fight_on", 5, 10)
    bar("truce_[x]", 10, 10)
    bar("fight_on", 10, 10)
    bar.stop()
    text = buf.getvalue()
    assert "fight_on" in text and "truce_[x]" in text and "10/10" in text
    with progress_bar(enabled=False) as none:
        assert none is None
