"""Drive the dashboard from a real browser: a bounded local server and Playwright helpers.

Test-only code (it lives in ``tests/``): used by the browser tests and
``benchmarks/dashboard.py``. Chromium is the
system's (Debian's ``chromium`` package, ``/usr/bin/chromium``); Playwright's
own browser downloads are never used.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import time
import urllib.request
from pathlib import Path
from typing import Iterator

from ceasefire.dashboard.server import APP_ROUTE, DashboardContext, make_context, serve

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """The system Chromium, or None (``CEASEFIRE_CHROMIUM`` overrides the search)."""
    env = os.environ.get("CEASEFIRE_CHROMIUM")
    if env:
        return env if Path(env).exists() else None
    for name in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(name).exists():
            return name
    return shutil.which("chromium") or shutil.which("chromium-browser")


def launch_chromium(playwright):
    path = chromium_path()
    if path is None:
        raise RuntimeError("no Chromium found (install Debian's `chromium` package)")
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)


def free_port(address: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((address, 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(
    scenario_paths: list[str | Path],
    *,
    document_dirs: list[str | Path] = (),
    processes: int | None = None,
    workers: int | None = None,
    startup_timeout_s: float = 30.0,
) -> Iterator[tuple[str, DashboardContext]]:
    """A dashboard on a free loopback port in a background thread: yields (page URL, context); always stopped."""
    ctx = make_context(scenario_paths, document_dirs=document_dirs, processes=processes, workers=workers)
    port = free_port()
    server = None
    try:
        ctx.computer.warm_up()
        server = serve(ctx, port=port, address="127.0.0.1", threaded=True)
        url = f"http://127.0.0.1:{port}/{APP_ROUTE}"
        deadline = time.monotonic() + startup_timeout_s
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/favicon.ico", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"dashboard did not start on port {port} within {startup_timeout_s} s")
                time.sleep(0.1)
        yield url, ctx
    finally:
        if server is not None:
            server.stop()
        ctx.computer.close()
        ctx.executor.shutdown(wait=False, cancel_futures=True)


# ---------------------------------------------------------------- page helpers (Playwright sync API)
#: Resolves to performance.now() at the first animation frame *after* the one in which the outcome table
#: shows ``digest`` (all of a redraw's changes arrive in one message, so by then the plots have repainted).
#: It watches with a MutationObserver (and a slow timer, should the pane be replaced) rather than by
#: requesting every animation frame: a page that asks for every frame makes the browser produce frames
#: and takes CPU from the server it is measuring (~10 % of a core here).
JS_TABLE_SHOWS = """
(digest) => new Promise((resolve) => {
  const find = (root) => {
    const host = root.querySelector('.cf-table-pane');
    if (host) return host;
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) { const f = find(el.shadowRoot); if (f) return f; }
    }
    return null;
  };
  let observer = null, timer = null, done = false, watched = null;
  const check = () => {
    if (done) return;
    window.__cfTableHost = window.__cfTableHost && window.__cfTableHost.isConnected ? window.__cfTableHost : find(document);
    const host = window.__cfTableHost;
    const root = host && (host.shadowRoot || host);
    const table = root && root.querySelector('.cf-outcomes');
    if (table && table.dataset.digest === digest) {
      done = true;
      if (observer) observer.disconnect();
      clearTimeout(timer);
      // the next frame paints the change; resolve in the one after it
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())));
      return;
    }
    if (root && root !== watched) {
      if (observer) observer.disconnect();
      observer = new MutationObserver(check);
      observer.observe(root, {subtree: true, childList: true, attributes: true, characterData: true});
      watched = root;
    }
    clearTimeout(timer);
    timer = setTimeout(check, 50);
  };
  check();
})
"""

#: Watches the next Enter in the element: records when it was pressed (``input``), when the page first
#: shows it is working on it (``busy``: busy indicator, or already the new results) and when the outcome
#: table shows the expected settings (``shown``), all as performance.now() in milliseconds.
JS_WATCH = """
([el, digest]) => {
  const find = (root, sel) => {
    const host = root.querySelector(sel);
    if (host) return host;
    for (const e of root.querySelectorAll('*')) {
      if (e.shadowRoot) { const f = find(e.shadowRoot, sel); if (f) return f; }
    }
    return null;
  };
  const inner = (sel, innerSel) => { const h = find(document, sel); return h && (h.shadowRoot || h).querySelector(innerSel); };
  const w = window.__cfWatch = {input: null, busy: null, shown: null, visibility: document.visibilityState};
  el.addEventListener('keydown', (e) => { if (e.key === 'Enter') w.input = performance.now(); },
                      {capture: true, once: true});
  const tick = () => {
    if (w.input !== null) {
      const st = inner('.cf-status-pane', '.cf-status');
      const tb = inner('.cf-table-pane', '.cf-outcomes');
      const done = tb && tb.dataset.digest === digest;
      if (w.busy === null && ((st && st.dataset.state === 'busy') || done)) w.busy = performance.now();
      if (done && w.shown === null) w.shown = performance.now();
    }
    if (w.shown === null) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}
"""

#: Records performance.now() of the next Enter key pressed in the element.
JS_MARK_ENTER = """
(el) => {
  window.__cfInputAt = null;
  el.addEventListener('keydown', (e) => { if (e.key === 'Enter') window.__cfInputAt = performance.now(); },
                      {capture: true, once: true});
}
"""


def wait_idle(page, digest: str | None = None, timeout_ms: float = 30_000) -> None:
    """Wait until the page shows results (for ``digest`` when given) and is not computing."""
    sel = ".cf-status[data-state=idle]" + (f"[data-digest='{digest}']" if digest else "")
    page.locator(sel).wait_for(timeout=timeout_ms)


def type_into(page, css_class: str, text: str) -> None:
    """Type ``text`` into the text box with CSS class ``css_class`` and press Enter."""
    box = page.locator(f".{css_class} input").first
    box.fill(text)
    box.press("Enter")


def timed_change(page, css_class: str, text: str, expect_digest: str, timeout_ms: float = 30_000) -> float:
    """Type into a field and return the milliseconds, measured in the browser, from the Enter key
    to the frame after the one in which the outcome table shows the expected settings (the plots,
    updated in the same message, have been repainted by then)."""
    box = page.locator(f".{css_class} input").first
    box.fill(text)
    box.evaluate(JS_MARK_ENTER)
    page.set_default_timeout(timeout_ms)
    box.press("Enter")
    shown_at = page.evaluate(JS_TABLE_SHOWS, expect_digest)
    pressed_at = page.evaluate("window.__cfInputAt")
    return float(shown_at) - float(pressed_at)


def prepare_watched(page, css_class: str, text: str, expect_digest: str):
    """Type into a field (no Enter yet) and start watching, in the browser, for busy and redraw times.
    Returns the text box; ``box.press("Enter")`` submits."""
    box = page.locator(f".{css_class} input").first
    box.fill(text)
    page.evaluate(JS_WATCH, [box.element_handle(), expect_digest])
    return box


def press_watched(page, css_class: str, text: str, expect_digest: str) -> None:
    """Type into a field and press Enter, watching (in the browser) for busy and redraw times."""
    prepare_watched(page, css_class, text, expect_digest).press("Enter")


def watched_times(page, timeout_ms: float = 60_000) -> dict[str, float]:
    """Milliseconds from the Enter to the busy indicator and to the redraw (after :func:`press_watched`)."""
    page.wait_for_function("() => window.__cfWatch && window.__cfWatch.shown !== null", timeout=timeout_ms)
    w = page.evaluate("window.__cfWatch")
    return {"to_busy_ms": w["busy"] - w["input"], "to_redraw_ms": w["shown"] - w["input"],
            "visibility": w["visibility"]}


def outcome_cells(page) -> dict[tuple[str, str, str], float]:
    """Every number of the outcome table: (metric, owner, column) -> value."""
    cells = page.locator(".cf-outcomes td[data-metric]")
    out = {}
    for attrs in cells.evaluate_all(
        "els => els.map(e => [e.dataset.metric, e.dataset.owner, e.dataset.col, e.dataset.value])"
    ):
        m, o, c, v = attrs
        out[(m, o, c)] = float(v) if v not in ("nan", "None") else float("nan")
    return out


def favours_shares(page) -> dict[str, float]:
    return {
        k: float(v)
        for k, v in page.locator(".cf-favours [data-favours]").evaluate_all(
            "els => els.map(e => [e.dataset.favours, e.dataset.value])"
        )
    }
