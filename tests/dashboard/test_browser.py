"""End to end in headless Chromium (Debian's package, driven by Playwright).

Load the page, change the truce length, wait for the redraw and check the
outcome table against the engine; set a what-if, export the YAML and open it
again (same numbers); open the page's link in a new tab (same view); type
invalid values and see the messages while the results stay. Screenshots go to
tests/artifacts/dashboard/.
"""

from __future__ import annotations

import re
import urllib.parse

import numpy as np
import pytest

from .harness import (
    chromium_path,
    launch_chromium,
    outcome_cells,
    favours_shares,
    running_server,
    type_into,
    wait_idle,
)
from ceasefire.dashboard.state import DAYS_PER_MONTH, settings_from_query
from ceasefire.compare import favours_table, run_policies
from ceasefire.scenario import load_scenario

from tests.conftest import SHARED

pytestmark = pytest.mark.browser

if chromium_path() is None:  # loud: say exactly what is missing
    pytest.skip("BROWSER TESTS SKIPPED: no Chromium at /usr/bin/chromium (apt-get install chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="BROWSER TESTS SKIPPED: the playwright package is missing")

RUNS = 300
TIMEOUT_MS = 60_000
WHAT_IF = "supporters.west.will_decay_per_day"


@pytest.fixture(scope="module")
def live(kherson_path):
    docs = [SHARED / "seeds"] if (SHARED / "seeds").exists() else []
    with running_server([kherson_path], document_dirs=docs) as (url, ctx):
        yield url, ctx


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = launch_chromium(p)
        try:
            yield b
        finally:
            b.close()


def _label(scenario, path: str) -> str:
    from ceasefire.dashboard.app import option_label
    from ceasefire.dashboard.catalogue import parameter_rows

    return next(option_label(r) for r in parameter_rows(scenario) if r.path == path)


def _expected(ctx, url_query: str):
    s, problems = settings_from_query(url_query, ctx.scenarios, ctx.default_key)
    assert problems == []
    return s


def _engine_numbers(scenario, s):
    """What `ceasefire compare` gives for these settings: favours shares and truce medians."""
    ds = run_policies(scenario, [s.fight_on_policy(), s.truce_policy()], runs=s.runs, seed=s.seed, keep="outcomes")
    fav = favours_table(ds).set_index("policy").loc[s.truce_policy().name]
    out = ds.sel(policy=s.truce_policy().name)
    med = {(v, side): float(np.median(out[v].sel(side=side).values))
           for v in ("territory_share_final", "casualties_personnel_total", "gdp_index_final")
           for side in scenario.side_names}
    return {k: float(fav[k]) for k in [*scenario.side_names, "neither"]}, med


def test_change_export_reload_link_and_bad_input(live, browser, artifacts, kherson, tmp_path):
    url, ctx = live
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    hosts = set()
    # every network request (data: and blob: URLs are not requests to a host)
    page.on("request", lambda r: hosts.add(urllib.parse.urlsplit(r.url).netloc)
            if r.url.startswith(("http:", "https:", "ws:", "wss:")) else None)
    query = f"runs={RUNS}&seed=4&stocks=power_share,supporter_will_share"
    s0 = _expected(ctx, query)
    page.goto(f"{url}?{query}")
    wait_idle(page, s0.digest(), TIMEOUT_MS)
    page.screenshot(path=artifacts / "01-loaded.png", full_page=True)
    before = outcome_cells(page)
    assert before, "the outcome table is on the page"

    # -- change the truce length; the table must show what the engine gives for the new settings
    s1 = s0.replace(days=round(7 * DAYS_PER_MONTH))
    type_into(page, "cf-length", "7")
    wait_idle(page, s1.digest(), TIMEOUT_MS)
    page.screenshot(path=artifacts / "02-truce-7-months.png", full_page=True)
    after = outcome_cells(page)
    assert after != before
    fav, med = _engine_numbers(kherson, s1)
    assert favours_shares(page) == pytest.approx(fav, abs=1e-12)
    for (var, side), value in med.items():
        assert after[(var, side, "truce_median")] == pytest.approx(value, rel=1e-9), (var, side)
    # the address bar becomes the link to this view (a moment after the redraw)
    page.wait_for_url(lambda url: f"days={s1.days}" in url, timeout=5_000)

    # -- the link reproduces the view in a fresh tab (a new session)
    other = browser.new_page(viewport={"width": 1400, "height": 1000})
    other.goto(page.url)
    wait_idle(other, s1.digest(), TIMEOUT_MS)
    assert outcome_cells(other) == after
    other.close()

    # -- a what-if: Western will fades twice as fast
    page.locator(".cf-param-select select").select_option(label=_label(kherson, WHAT_IF))
    s2 = s1.with_override(WHAT_IF, "x2")
    type_into(page, "cf-whatif-input", "x2")
    wait_idle(page, s2.digest(), TIMEOUT_MS)
    with_what_if = outcome_cells(page)
    assert with_what_if != after
    page.get_by_text("Parameters and sources", exact=True).click()
    changed = page.locator(f'tr.cf-changed[data-path="{WHAT_IF}"]')
    changed.wait_for(timeout=10_000)
    assert "what-if: x2" in changed.inner_text()

    # -- export the scenario YAML and open it again: the same numbers
    with page.expect_download(timeout=TIMEOUT_MS) as dl:
        page.locator('a.cf-dl[data-kind="scenario.yaml"]').click()
    path = artifacts / "exported-scenario.yaml"
    dl.value.save_as(path)
    exported = load_scenario(path)
    assert "x2" in exported.param(WHAT_IF).source.assumption
    page.locator(".cf-upload input[type=file]").set_input_files(str(path))
    page.locator(f".cf-status[data-state=idle]:not([data-digest='{s2.digest()}'])").wait_for(timeout=TIMEOUT_MS)
    assert outcome_cells(page) == with_what_if
    assert page.locator(".cf-length input").input_value() == "7"
    page.screenshot(path=artifacts / "03-reloaded-export.png", full_page=True)
    shown = page.locator(".cf-outcomes").first.get_attribute("data-digest")

    # -- invalid values: an inline message, and the previous results stay on screen
    type_into(page, "cf-length", "forty")
    msg = page.locator(".cf-length-msg .cf-error")
    msg.wait_for(timeout=10_000)
    assert "not a number" in msg.inner_text()
    page.locator(".cf-param-select select").select_option(label=_label(kherson, WHAT_IF))
    type_into(page, "cf-whatif-input", "uniform(3, 1)")
    page.locator(".cf-whatif-msg .cf-error").wait_for(timeout=10_000)
    assert "low < high" in page.locator(".cf-whatif-msg .cf-error").inner_text()
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: broken\nhorizon_days: -5\n", encoding="utf-8")
    page.locator(".cf-upload input[type=file]").set_input_files(str(bad))
    page.locator(".cf-upload-msg .cf-error").wait_for(timeout=10_000)
    assert page.locator(".cf-upload-msg .cf-error").inner_text().startswith("error: bad.yaml is not a valid scenario")
    page.wait_for_timeout(300)
    assert page.locator(".cf-outcomes").first.get_attribute("data-digest") == shown
    assert outcome_cells(page) == with_what_if
    page.screenshot(path=artifacts / "04-invalid-input.png", full_page=True)

    # -- sources: a quote opens onto its paragraph
    page.get_by_text("Parameters and sources", exact=True).click()
    first = page.locator("details.cf-source").first
    first.locator("summary").click()
    body = first.locator(".cf-paragraph, small").first
    assert body.is_visible()
    page.screenshot(path=artifacts / "05-sources.png")

    assert hosts <= {urllib.parse.urlsplit(url).netloc}, f"requests left the machine: {hosts}"
    page.close()


def test_opening_another_war_shows_only_its_numbers(live, browser, artifacts, other_war_path):
    """Issue 15: after "Open another scenario" the page kept the first war's numbers (a KeyError in the
    charts). Upload a war with other side names: every number on the page is the new war's."""
    from ceasefire.dashboard.state import default_settings

    url, ctx = live
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    query = f"runs={RUNS}&seed=4&stocks=power_share,supporter_will_share"
    s0 = _expected(ctx, query)
    page.goto(f"{url}?{query}")
    wait_idle(page, s0.digest(), TIMEOUT_MS)
    old_labels = [side.label for side in ctx.scenarios[ctx.default_key].sides.values()]
    page.locator(".cf-upload input[type=file]").set_input_files(str(other_war_path))
    page.locator(f".cf-status[data-state=idle]:not([data-digest='{s0.digest()}'])").wait_for(timeout=TIMEOUT_MS)
    other = load_scenario(other_war_path)
    key = next(k for k, sc in ctx.scenarios.items() if sc == other)
    s1 = default_settings(other, key).replace(runs=RUNS, seed=4)
    wait_idle(page, s1.digest(), TIMEOUT_MS)
    page.screenshot(path=artifacts / "07-another-war.png", full_page=True)
    fav, med = _engine_numbers(other, s1)
    assert favours_shares(page) == pytest.approx(fav, abs=1e-12)
    cells = outcome_cells(page)
    assert {owner for (_m, owner, _c) in cells} <= {"north", "south", *other.supporter_names, "None", ""}
    for (var, side), value in med.items():
        assert cells[(var, side, "truce_median")] == pytest.approx(value, rel=1e-9), (var, side)
    shown = page.locator(".cf-favours").first.inner_text() + page.locator(".cf-outcomes").first.inner_text()
    assert "North" in shown and not any(label in shown for label in old_labels), shown
    assert "A different war" in page.locator("h2").first.inner_text()
    assert page.locator(".cf-upload-msg .cf-error").count() == 0
    page.close()


def test_truce_map_and_bargaining_tab(live, browser, artifacts):
    url, ctx = live
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}?runs=200&stocks=")
    wait_idle(page, None, TIMEOUT_MS)
    page.get_by_text("Truce map and bargaining", exact=True).click()
    page.locator(".cf-map-runs input").fill("20")
    page.locator(".cf-map-button button").click()
    page.locator(".cf-truce-map").wait_for(timeout=TIMEOUT_MS)
    cells = page.locator(".cf-truce-map tr[data-start]")
    assert cells.count() > 0
    text = cells.first.text_content()  # inside a closed <details>
    assert re.search(r"neither \d+%", text)
    page.locator(".cf-bargaining").wait_for(timeout=TIMEOUT_MS)
    assert page.locator(".cf-bargaining img").count() == 1
    page.screenshot(path=artifacts / "06-truce-map-bargaining.png", full_page=True)
    page.close()
