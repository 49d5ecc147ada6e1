"""The server without a browser: local resources only, downloads over HTTP, the CLI, bad input."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from ceasefire.dashboard.app import Session
from .harness import running_server
from ceasefire.dashboard.server import make_context
from ceasefire.dashboard.state import Settings
from ceasefire.scenario import load_scenario

from .conftest import RUNS

BAD_YAML = "name: broken\ntitle: x\nstart_date: 2022-11-11\nhorizon_days: -5\nsides: {}\ncombat: {}\n"


def _get(url: str, timeout: float = 60) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as err:
        return err.code, err.read(), dict(err.headers)


@pytest.fixture(scope="module")
def server(kherson_path):
    with running_server([kherson_path], processes=0) as (url, ctx):
        yield url, ctx


def test_page_and_its_scripts_come_from_this_server_only(server):
    url, _ = server
    status, body, _ = _get(url)
    html = body.decode()
    assert status == 200 and "bokeh" in html.lower()
    hosts = set(re.findall(r"""(?:src|href)=["']?(?:https?:)?//([^/"' >]+)""", html))
    assert hosts <= {"127.0.0.1", url.split("/")[2]}, hosts
    scripts = re.findall(r"""<script[^>]+src=["']([^"']+)""", html)
    assert scripts and all(not s.startswith(("http:", "https:", "//")) for s in scripts)
    for src in scripts:  # every script is served by the dashboard itself
        status, _, _ = _get(url.rsplit("/", 1)[0] + "/" + src.lstrip("./"))
        assert status == 200, src


def test_downloads_over_http_reproduce_the_settings(server, tmp_path):
    url, ctx = server
    base = url.rsplit("/", 1)[0]
    s = Settings(ctx.default_key, 30, 91, runs=RUNS, seed=2, overrides=(("supporters.west.will_decay_per_day", "x3"),))
    status, body, headers = _get(f"{base}/export/scenario.yaml?{s.query()}")
    assert status == 200 and "attachment" in headers.get("Content-Disposition", "")
    path = tmp_path / "s.yaml"
    path.write_bytes(body)
    sc = load_scenario(path)
    truce = next(p for p in sc.policies if p.kind == "truce")
    assert (truce.start_day, truce.days) == (30, 91)
    assert "x3" in sc.param("supporters.west.will_decay_per_day").source.assumption
    status, body, _ = _get(f"{base}/export/results.csv?{s.query()}")
    df = pd.read_csv(io.BytesIO(body))
    assert status == 200 and len(df) == 2 * RUNS
    status, body, _ = _get(f"{base}/export/outcome-table.csv?{s.query()}")
    table = pd.read_csv(io.BytesIO(body))
    view = ctx.computer.view(s)
    assert table["truce_median"].tolist() == pytest.approx(view.table["truce_median"].tolist())


def test_a_bad_download_link_gets_a_message_not_a_traceback(server):
    url, _ = server
    base = url.rsplit("/", 1)[0]
    status, body, _ = _get(f"{base}/export/results.csv?days=abc")
    assert status == 400 and body.decode().startswith("error:") and "days" in body.decode()
    assert "Traceback" not in body.decode()
    status, body, _ = _get(f"{base}/export/passwords.txt")
    assert status == 400 and "unknown download" in body.decode()


def _cli_message(tmp_path: Path, name: str) -> tuple[int, str]:
    exe = Path(sys.executable).with_name("ceasefire")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "ceasefire.cli"]
    r = subprocess.run([*cmd, "serve", name, "--port", "0"], cwd=tmp_path, capture_output=True, text=True,
                       timeout=60, env={**os.environ, "COLUMNS": "1000"})
    return r.returncode, r.stderr


def _text(html: str) -> str:
    import html as h

    return " ".join(h.unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.parametrize("content", [BAD_YAML, "name: [unclosed\n", "just a string\n"])
def test_uploaded_bad_scenario_gets_the_cli_message(tmp_path, kherson_path, content):
    (tmp_path / "bad.yaml").write_text(content, encoding="utf-8")
    code, stderr = _cli_message(tmp_path, "bad.yaml")
    assert code == 2 and "Traceback" not in stderr
    ctx = make_context([kherson_path], processes=0)
    sess = Session(ctx, query={})
    before = sess.settings
    sess.upload.filename = "bad.yaml"
    sess._uploaded(SimpleNamespace(new=content.encode()))
    assert _text(sess.upload_msg.object) == " ".join(stderr.split())
    assert sess.settings == before and list(ctx.scenarios) == [ctx.default_key]


def test_a_good_upload_is_registered_and_opens_with_its_truce(tmp_path, kherson_path, other_war_path):
    ctx = make_context([kherson_path], processes=0)
    sess = Session(ctx, query={})
    requested = []
    sess._request = requested.append  # no event loop here: record what would be computed
    sess.upload.filename = "other-war.yaml"
    sess._uploaded(SimpleNamespace(new=other_war_path.read_bytes()))
    assert sess.upload_msg.object == ""
    other = load_scenario(other_war_path)
    key = requested[-1].scenario
    assert ctx.scenarios[key] == other and sess.settings == requested[-1]
    assert "A different war" in sess.title.object
    view = ctx.computer.view(requested[-1].replace(runs=100))
    assert set(view.favours) == {"north", "south", "neither"}


def test_another_war_after_a_shown_view_replaces_every_number_and_chart(kherson_path, other_war_path, kherson):
    """Issue 15: after "Open another scenario" the old war's numbers stayed and charts.py raised KeyError
    (the new sides' charts were fed the old view). Now the old results leave the page at once and the new
    war's view fills it: its side names only, its charts, numbers equal to its own view's."""
    import asyncio

    ctx = make_context([kherson_path], processes=0)
    sess = Session(ctx, query={"runs": [b"100"], "stocks": [b"power_share,supporter_will_share"]})
    sess._wanted = sess.settings
    asyncio.run(sess._compute_loop())
    old_labels = [s.label for s in kherson.sides.values()]
    assert all(lab in _text(sess.favours.object) for lab in old_labels)
    requested = []
    real_request = sess._request
    sess._request = requested.append
    sess.upload.filename = "other-war.yaml"
    sess._uploaded(SimpleNamespace(new=other_war_path.read_bytes()))  # raised KeyError: 'ukraine' before
    assert sess.upload_msg.object == "" and requested and requested[-1].scenario != ctx.default_key
    page = " ".join(_text(p.object) for p in (sess.favours, sess.table, sess.claims, sess.downloads))
    assert "computing the results of A different war" in page
    assert not any(lab in page for lab in old_labels), page
    owners = {owner for (_var, _pol, owner) in sess.charts.sources}
    assert owners == {"north", "south"} | set(load_scenario(other_war_path).supporter_names)
    sess._request = real_request
    sess._wanted = requested[-1]
    asyncio.run(sess._compute_loop())
    assert sess.notice.object == ""
    view = ctx.computer.view(requested[-1])
    shown = _text(sess.favours.object + sess.table.object)
    assert "North" in shown and "South" in shown and not any(lab in shown for lab in old_labels)
    assert f'data-digest="{requested[-1].digest()}"' in sess.table.object
    fav = dict(re.findall(r'data-favours="([^"]+)" data-value="([^"]+)"', sess.favours.object))
    assert {k: float(v) for k, v in fav.items()} == pytest.approx(view.favours, abs=1e-12)
    med = sess.charts.sources[("power_share", "fight_on", "north")].data["q50"]
    assert len(med) > 0 and np.all((np.asarray(med) >= 0) & (np.asarray(med) <= 1))


def test_invalid_field_input_keeps_the_settings_and_says_why(kherson_path):
    ctx = make_context([kherson_path], processes=0)
    sess = Session(ctx, query={})
    requested = []
    sess._request = requested.append
    before = sess.settings
    sess.length_field.text.value = "forty"
    assert "not a number" in _text(sess.length_field.msg.object) and sess.settings == before and not requested
    sess.length_field.text.value = "999"
    assert "out of range" in _text(sess.length_field.msg.object) and sess.settings == before
    sess.length_field.text.value = "4"
    assert sess.length_field.msg.object == "" and sess.settings.days == round(4 * 365.25 / 12) and requested
    sess.param_select.value = "supporters.west.will_decay_per_day"
    sess.what_if.value = "uniform(3, 1)"
    assert "low < high" in _text(sess.what_if_msg.object) and sess.settings.overrides == ()
    sess.runs.value = "10"
    assert "between 100" in _text(sess.runs_msg.object) and sess.settings.runs == before.runs


def test_sessions_do_not_share_settings(kherson_path):
    ctx = make_context([kherson_path], processes=0)
    a, b = Session(ctx, query={}), Session(ctx, query={"days": [b"45"]})
    a._request = b._request = lambda s: None
    a.length_field.text.value = "9"
    assert a.settings.days == round(9 * 365.25 / 12) and b.settings.days == 45
    a.flows.value = ["production"]
    assert b.settings.halted == () and set(a.settings.halted) == {"training", "mobilisation", "aid", "fatigue",
                                                                   "imports"}


def test_a_redraw_sends_values_only(kherson_path):
    """Redrawing must not make Bokeh re-walk the page's model graph (that costs ~0.2 s per redraw with a
    dozen plots): only text, plot data and range numbers change, none of which hold model references."""
    from bokeh.document import Document

    ctx = make_context([kherson_path], processes=0)
    sess = Session(ctx, query={"runs": [b"100"]})
    doc = Document()
    doc.add_root(sess.layout.get_root(doc))
    calls = []
    original = doc.models.invalidate
    doc.models.invalidate = lambda: (calls.append(1), original())[1]
    for days in (60, 120):
        s = sess.settings.replace(days=days)
        view, data = sess._compute(s)
        sess._show(view, data, 0.1)
        assert f'data-digest="{s.digest()}"' in sess.table.object
    assert calls == []


def test_a_failing_computation_keeps_the_results_and_says_so(kherson_path):
    import asyncio

    ctx = make_context([kherson_path], processes=0)
    sess = Session(ctx, query={"runs": [b"100"]})
    sess._wanted = sess.settings
    asyncio.run(sess._compute_loop())
    shown = sess.table.object
    assert f'data-digest="{sess.settings.digest()}"' in shown and sess.notice.object == ""

    def boom(*a, **k):
        raise RuntimeError("engine exploded")

    ctx.computer._simulate_fn = boom
    sess._wanted = sess.settings.replace(days=77)
    asyncio.run(sess._compute_loop())
    assert "engine exploded" in _text(sess.notice.object) and "previous settings" in _text(sess.notice.object)
    assert sess.table.object == shown and not sess._running
    assert 'data-state="idle"' in sess.status.object


def test_slider_and_text_box_follow_each_other(kherson_path):
    ctx = make_context([kherson_path], processes=0)
    sess = Session(ctx, query={})
    sess._request = lambda s: None
    f = sess.length_field
    f._slid(SimpleNamespace(new=6.5))  # the user drags the slider to 6.5 months
    # whole days: 6.5 months is 198 days, shown back as the 6.5 months dragged to (it was 6.51)
    assert sess.settings.days == round(6.5 * 365.25 / 12) == 198 and f.text.value == "6.5"
    f.text.value = "180d"  # the user types days
    assert sess.settings.days == 180 and f.slider.value == pytest.approx(180 / (365.25 / 12))
    assert f.text.value == "180d"  # the days as typed (it showed 5.91 months, issue 15)
    sess.aid_field._slid(SimpleNamespace(new=1.3000000000000003))
    assert sess.settings.aid_level == pytest.approx(1.3) and sess.aid_field.text.value == "1.3"
