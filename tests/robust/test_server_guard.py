"""The dashboard serves its user only: Host header checked, work per request bounded, readable refusals."""

from __future__ import annotations

import http.client
import threading
import time
import urllib.parse

import pytest

pytestmark = pytest.mark.serial  # asserts response times: run alone (Makefile)

pytest.importorskip("panel")

from tests.dashboard.harness import running_server  # noqa: E402
from ceasefire.dashboard.server import (  # noqa: E402
    MAX_EXPORT_RUNS,
    ExportLimiter,
    ExportRefused,
    allowed_hosts,
    bad_utf8_in,
    host_allowed,
)
from ceasefire.dashboard.state import Settings  # noqa: E402


def _request(url: str, path: str, host: str | None = None, timeout: float = 60) -> tuple[int, str]:
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.putrequest("GET", path, skip_host=host is not None)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        r = conn.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    finally:
        conn.close()


@pytest.fixture(scope="module")
def server():
    from tests.conftest import KHERSON as kherson_path

    with running_server([kherson_path], processes=0) as (url, ctx):
        yield url, ctx


def test_host_rules():
    allowed = allowed_hosts("127.0.0.1", ["127.0.0.1:5006", "proxy.example.org:443"])
    assert host_allowed("127.0.0.1:5006", allowed, False)
    assert host_allowed("localhost:5006", allowed, False)
    assert host_allowed("[::1]:5006", allowed, False)
    assert host_allowed("proxy.example.org", allowed, False)
    assert not host_allowed("evil.example:5006", allowed, False)  # DNS rebinding: a foreign name
    assert not host_allowed("127.0.0.1.evil.example", allowed, False)
    assert not host_allowed(None, allowed, False) and not host_allowed("", allowed, False)
    everywhere = allowed_hosts("0.0.0.0", [])
    assert host_allowed("192.168.1.20:5006", everywhere, True)  # an IP literal cannot be rebound
    assert not host_allowed("evil.example", everywhere, True)
    assert bad_utf8_in("/dashboard?x=%ff") and not bad_utf8_in("/dashboard?x=%C3%A9")


def test_limiter_counts_per_client_and_globally():
    lim = ExportLimiter(slots=2)
    lim.acquire("a")
    with pytest.raises(ExportRefused) as e:
        lim.acquire("a")
    assert e.value.status == 429
    lim.acquire("b")
    with pytest.raises(ExportRefused) as e:
        lim.acquire("c")
    assert e.value.status == 503
    lim.release("a")
    lim.acquire("c")  # a slot freed
    assert lim.active == {"b": 1, "c": 1}


def test_a_foreign_host_header_gets_403_and_ours_gets_the_page(server):
    url, _ = server
    port = urllib.parse.urlsplit(url).port
    status, body = _request(url, "/dashboard", host=f"rebind.attacker.example:{port}")
    assert status == 403 and "answers only to the host names" in body
    status, body = _request(url, "/export/outcome-table.csv?runs=100", host=f"rebind.attacker.example:{port}")
    assert status == 403
    status, _ = _request(url, "/favicon.ico", host=f"localhost:{port}")
    assert status == 200


def test_invalid_utf8_in_the_address_gets_a_readable_page(server):
    url, _ = server
    status, body = _request(url, "/dashboard?scenario=%ff")
    assert status == 400 and "not UTF-8" in body and "Traceback" not in body


def test_too_many_runs_in_a_download_is_refused_at_once(server):
    url, ctx = server
    s = Settings(ctx.default_key, 0, 90, runs=MAX_EXPORT_RUNS + 1, seed=0)
    t0 = time.monotonic()
    status, body = _request(url, f"/export/results.csv?{s.query()}")
    assert status == 413 and f"at most {MAX_EXPORT_RUNS:,} runs" in body
    assert time.monotonic() - t0 < 10  # refused before any computing


def test_a_second_heavy_request_is_refused_while_the_server_keeps_answering(server):
    url, ctx = server
    original = ctx.run
    started = threading.Event()

    async def slow_run(fn, *args):
        started.set()
        import asyncio

        await asyncio.sleep(3.0)  # a long computation, deterministically
        return await original(fn, *args)

    ctx.run = slow_run
    try:
        s = Settings(ctx.default_key, 0, 90, runs=100, seed=5)
        first: dict = {}
        t = threading.Thread(target=lambda: first.update(r=_request(url, f"/export/outcome-table.csv?{s.query()}")))
        t.start()
        assert started.wait(20)
        status, body = _request(url, f"/export/outcome-table.csv?{s.query()}")
        assert status == 429 and "already computing a download" in body
        t0 = time.monotonic()
        status, _ = _request(url, "/favicon.ico")  # other requests are still served, at once
        assert status == 200 and time.monotonic() - t0 < 2.5
        t.join(60)
        assert first["r"][0] == 200
    finally:
        ctx.run = original
