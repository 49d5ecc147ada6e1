"""The dashboard server: one shared context (scenarios, result cache, worker threads) and many sessions.

Each browser tab gets its own :class:`~ceasefire.dashboard.app.Session` (its own
settings and widgets); what sessions share is read-only or keyed by the full
settings (the scenario registry, the result cache), so no session can see
another's choices. Ensembles run on a small thread pool, never on the server's
event loop, so pages stay responsive while futures are computed.

Downloads are plain HTTP: ``/export/<file>?<settings query>`` returns the
scenario YAML, the results as NetCDF or CSV, or the outcome table as CSV for
the settings in the query. The same query string is the page's link, so a
download is reproducible and needs no session.

All JavaScript and CSS come from the installed Bokeh and Panel packages
(``/static``): the page works without internet access.

The server serves its user only, as a careful local server does:

* every HTTP request (pages, downloads, WebSocket upgrades) must name an allowed host
  in its ``Host`` header (``localhost``, ``127.0.0.1``, ``::1``, the ``--address`` and
  the ``--allow-origin`` hosts), else 403: a page on another host name that resolves
  to 127.0.0.1 (DNS rebinding) can neither read downloads nor start computations;
* a download computes at most :data:`MAX_EXPORT_RUNS` runs; each client may run one
  download at a time (429) and the server :data:`MAX_CONCURRENT_EXPORTS` at once (503),
  while pages and other requests keep being served;
* uploads are limited to :data:`MAX_UPLOAD_BYTES` (and the WebSocket's message size
  to a little more); an address with bytes that are not UTF-8 (``%ff``) gets a
  readable 400 page; a browser tab closing mid-message is logged in one line.
"""

from __future__ import annotations

import asyncio
import ctypes
import hashlib
import html as _html
import ipaddress
import logging
import os
import sys
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import InputError
from ..scenario import Scenario, load_scenario
from .catalogue import find_paragraph
from .compute import Computer
from .limits import MAX_UPLOAD_BYTES
from .state import settings_from_query

MAX_UPLOADED_SCENARIOS = 64
#: Largest WebSocket message accepted: an upload arrives base64-encoded (4/3) inside a JSON message.
MAX_WEBSOCKET_BYTES = 4 * MAX_UPLOAD_BYTES
#: Most runs (per policy) one download may compute; ~0.35 GB for two policies on the Kherson scenario.
MAX_EXPORT_RUNS = 10_000
#: Downloads computed at the same time by the whole server (each client: one at a time).
MAX_CONCURRENT_EXPORTS = 2
#: Host names every server answers to.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


@dataclass
class DashboardContext:
    """State shared by all sessions of one server."""

    scenarios: dict[str, Scenario]
    default_key: str
    computer: Computer
    executor: ThreadPoolExecutor
    document_dirs: dict[str, list[Path]] = field(default_factory=dict)  # scenario key -> dirs holding its documents
    evidence_db: Path | None = None  # evidence store (None: its default location)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _paragraphs: dict[tuple, tuple[str, str] | None] = field(default_factory=dict)

    def register(self, scenario: Scenario, dirs: list[Path] | None = None) -> str:
        """Add a scenario (e.g. uploaded) and return its key; identical content gets the same key."""
        digest = hashlib.sha256(scenario.model_dump_json().encode()).hexdigest()[:8]
        with self._lock:
            for key, sc in self.scenarios.items():
                if sc == scenario:
                    return key
            key = scenario.name if scenario.name not in self.scenarios else f"{scenario.name}-{digest}"
            uploaded = [k for k in self.scenarios if k != self.default_key]
            if len(uploaded) >= MAX_UPLOADED_SCENARIOS:
                self.scenarios.pop(uploaded[0])
            self.scenarios[key] = scenario
            self.document_dirs[key] = list(dirs or [])
        return key

    def paragraph(self, key: str, doc: str, quote: str) -> tuple[str, str] | None:
        """The paragraph of ``doc`` containing ``quote`` (cached), or None."""
        ck = (key, doc, quote)
        if ck not in self._paragraphs:
            dirs = self.document_dirs.get(key, []) + self.document_dirs.get("*", [])
            self._paragraphs[ck] = find_paragraph(self.scenarios[key], doc, quote, dirs, self.evidence_db)
        return self._paragraphs[ck]

    async def run(self, fn: Callable, *args):
        """Run a blocking function on the worker threads without blocking the event loop."""
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)


def make_context(
    scenario_paths: list[str | Path],
    *,
    document_dirs: list[str | Path] = (),
    workers: int | None = None,
    processes: int | None = None,
    evidence_db: str | Path | None = None,
    simulate: Callable | None = None,
) -> DashboardContext:
    """Load the scenarios (InputError on a bad file, as the CLI reports it) and build the shared context."""
    if not scenario_paths:
        raise InputError("give at least one scenario YAML file to serve.")
    scenarios: dict[str, Scenario] = {}
    dirs: dict[str, list[Path]] = {"*": [Path(d) for d in document_dirs]}
    for p in scenario_paths:
        sc = load_scenario(p)
        key = sc.name if sc.name not in scenarios else f"{sc.name}-{len(scenarios)}"
        scenarios[key] = sc
        here = Path(p).resolve().parent
        dirs[key] = [here, here / "documents", here.parent / "documents"]
    default_key = next(iter(scenarios))
    cores = os.cpu_count() or 1
    workers = workers or max(2, min(4, cores))
    processes = 0 if processes is None else processes
    return DashboardContext(
        scenarios=scenarios,
        default_key=default_key,
        computer=Computer(scenarios, simulate=simulate, processes=processes),
        executor=ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ceasefire-dashboard"),
        document_dirs=dirs,
        evidence_db=Path(evidence_db) if evidence_db else None,
    )


# ------------------------------------------------------------------ HTTP downloads
EXPORTS = {
    "scenario.yaml": "application/x-yaml",
    "results.nc": "application/x-netcdf",
    "results.csv": "text/csv",
    "outcome-table.csv": "text/csv",
}


def export_bytes(ctx: DashboardContext, name: str, query: str, link: str | None = None) -> tuple[bytes, str]:
    """(content, file name) of a download for the settings in ``query``; InputError if they are invalid."""
    from . import export

    if name not in EXPORTS:
        raise InputError(f"unknown download {name!r}; choose one of {', '.join(EXPORTS)}.")
    settings, problems = settings_from_query(query, ctx.scenarios, ctx.default_key)
    if problems:
        raise InputError(" ".join(problems))
    if settings.runs > MAX_EXPORT_RUNS:
        raise ExportRefused(413, f"a download computes at most {MAX_EXPORT_RUNS:,} runs, and this link asks for "
                                 f"{settings.runs:,}; lower runs= in the link (or use `ceasefire compare` on the "
                                 "exported scenario for larger ensembles).")
    view = ctx.computer.view(settings)
    stem = f"{view.scenario.name}_{settings.truce_policy().name}"
    if name == "scenario.yaml":
        return export.scenario_yaml(view.scenario, settings, link).encode("utf-8"), f"{stem}.yaml"
    if name == "results.nc":
        return export.results_netcdf(view), f"{stem}_results.nc"
    if name == "results.csv":
        return export.results_csv(view).encode("utf-8"), f"{stem}_runs.csv"
    return export.table_csv(view).encode("utf-8"), f"{stem}_outcome_table.csv"


class ExportRefused(InputError):
    """A download refused for its size or because the server is busy (``status`` is the HTTP code)."""

    def __init__(self, status: int, message: str):
        self.status = status
        super().__init__(message)


class ExportLimiter:
    """At most ``slots`` downloads computing at once, and one per client address.

    Used from the server's event loop only (no locks needed); :meth:`acquire` raises
    :class:`ExportRefused` (429 for a client already computing one, 503 when every
    slot is taken) instead of queueing, so a flood of requests costs nothing.
    """

    def __init__(self, slots: int = MAX_CONCURRENT_EXPORTS):
        self.slots = slots
        self.active: dict[str, int] = {}

    def acquire(self, client: str) -> None:
        if self.active.get(client, 0) >= 1:
            raise ExportRefused(429, "this client is already computing a download; wait for it to finish.")
        if sum(self.active.values()) >= self.slots:
            raise ExportRefused(503, f"the server is computing {self.slots} downloads already; try again in a "
                                     "few seconds.")
        self.active[client] = self.active.get(client, 0) + 1

    def release(self, client: str) -> None:
        n = self.active.get(client, 0) - 1
        if n > 0:
            self.active[client] = n
        else:
            self.active.pop(client, None)


def _export_handler_class():
    from tornado.web import RequestHandler

    class ExportHandler(RequestHandler):
        def initialize(self, ctx: DashboardContext, prefix: str, limiter: ExportLimiter):
            self.ctx = ctx
            self.prefix = prefix
            self.limiter = limiter

        def _refuse(self, status: int, message: str) -> None:
            self.set_status(status)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            if status in (429, 503):
                self.set_header("Retry-After", "5")
            self.finish(f"error: {message}\n")

        async def get(self, name: str):
            query = self.request.query
            host = self.request.host
            link = f"{self.request.protocol}://{host}{self.prefix}?{query}"
            client = self.request.remote_ip or "?"
            try:
                self.limiter.acquire(client)
            except ExportRefused as err:
                self._refuse(err.status, str(err))
                return
            try:
                content, filename = await self.ctx.run(export_bytes, self.ctx, name, query, link)
            except ExportRefused as err:
                self._refuse(err.status, str(err))
                return
            except InputError as err:
                self._refuse(400, str(err))
                return
            finally:
                self.limiter.release(client)
            self.set_header("Content-Type", EXPORTS[name])
            self.set_header("Content-Disposition", f'attachment; filename="{filename}"')
            self.finish(content)

    return ExportHandler


# ------------------------------------------------------------------ serving
APP_ROUTE = "dashboard"


def serve(
    ctx: DashboardContext,
    *,
    port: int = 5006,
    address: str = "127.0.0.1",
    show: bool = False,
    threaded: bool = False,
    start: bool = True,
    allow_origins: list[str] | None = None,
):
    """Serve the dashboard at ``http://address:port/dashboard``; returns the server (threaded: a StoppableThread)."""
    import panel as pn

    from .app import create_session

    configure_panel()
    keep_freed_memory()
    quiet_closed_connections()
    origins = allow_origins or [f"{address}:{port}", f"localhost:{port}", f"127.0.0.1:{port}"]
    guard_requests(port, allowed_hosts(address, origins))
    handler = _export_handler_class()
    limiter = ExportLimiter()
    return pn.serve(
        {APP_ROUTE: lambda: create_session(ctx).layout},
        port=port,
        address=address,
        show=show,
        threaded=threaded,
        start=start,
        websocket_origin=origins,
        title="ceasefire dashboard",
        extra_patterns=[(r"/export/([A-Za-z0-9_.-]+)", handler,
                         {"ctx": ctx, "prefix": f"/{APP_ROUTE}", "limiter": limiter})],
        websocket_max_message_size=MAX_WEBSOCKET_BYTES,
        index=APP_ROUTE,
        check_unused_sessions=5000,
        unused_session_lifetime=30000,
        keep_alive=10000,
        verbose=False,
    )


def keep_freed_memory() -> bool:
    """Let this process reuse the memory it frees instead of handing it back to the system.

    Every redraw allocates a few tens of megabytes per ensemble (trajectories,
    snapshots), and the result cache frees as much when it evicts. glibc returns
    large blocks to the kernel at once, so the next ensemble gets fresh pages
    that must be faulted in and zeroed; on this project's VM that was 0.1-0.2 s
    of system time per ensemble. Serving large blocks from the heap and never
    trimming it keeps those pages mapped and warm; the cost is that the
    server's resident memory stays at its peak (bounded by the cache sizes).
    Returns whether the allocator took the settings (glibc on Linux only).
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        m_trim_threshold, m_mmap_max = -1, -4  # glibc's mallopt parameter numbers (malloc.h)
        return bool(libc.mallopt(m_mmap_max, 0)) and bool(libc.mallopt(m_trim_threshold, 2**31 - 1))
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False


def configure_panel() -> None:
    """Local resources only (no CDN), and no external fonts or templates."""
    import panel as pn

    os.environ.setdefault("BOKEH_RESOURCES", "server")
    pn.config.inline = False
    pn.extension(design=None, notifications=False, inline=False)


# ------------------------------------------------------------------ request guard
def allowed_hosts(address: str, origins: list[str]) -> frozenset[str]:
    """Host names (without port, lower case) the server answers to: loopback, ``address`` and the origins' hosts."""
    names = set(LOOPBACK_HOSTS) | {address.strip("[]").lower()}
    for origin in origins:
        host = urllib.parse.urlsplit(origin if "//" in origin else f"//{origin}").hostname
        if host:
            names.add(host.lower())
    return frozenset(names)


def host_allowed(host_header: str | None, allowed: frozenset[str], wildcard: bool) -> bool:
    """Whether a request's ``Host`` header names this server.

    An IP address literal cannot be a DNS-rebinding name, so with ``wildcard`` (the server
    listens on every interface, 0.0.0.0 or ::) any IP literal is accepted; host names must
    always be in ``allowed``. A missing Host header (HTTP/1.0) is refused.
    """
    if not host_header:
        return False
    host = urllib.parse.urlsplit(f"//{host_header}").hostname
    if host is None:
        return False
    host = host.lower()
    if host in allowed:
        return True
    if wildcard:
        try:
            ipaddress.ip_address(host)
            return True
        except ValueError:
            return False
    return False


def bad_utf8_in(uri: str) -> bool:
    """True if the request's path or query percent-encodes bytes that are not UTF-8 text (``%ff``)."""
    try:
        urllib.parse.unquote_to_bytes(uri).decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


#: port -> (allowed host names, listening on every interface); filled by :func:`guard_requests`.
_GUARDS: dict[int, tuple[frozenset[str], bool]] = {}


def _page(status: int, title: str, message: str) -> str:
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{status} {_html.escape(title)}</title></head>"
            f"<body style='font-family:sans-serif;max-width:40em;margin:3em auto'><h1>{_html.escape(title)}</h1>"
            f"<p>{_html.escape(message)}</p></body></html>")


def guard_requests(port: int, allowed: frozenset[str]) -> None:
    """Install (once per process) the check of every request to a dashboard on ``port``.

    Bokeh's Tornado application routes by path only, so the check wraps its
    ``find_handler``: a request to a guarded port with a foreign ``Host`` gets 403, one
    whose address is not UTF-8 gets 400; both as a short readable page. Servers on
    other ports (not dashboards) are untouched.
    """
    from bokeh.server.tornado import BokehTornado
    from tornado.web import RequestHandler

    wildcard = bool({"0.0.0.0", "::", ""} & allowed)  # listening on every interface
    _GUARDS[int(port)] = (allowed, wildcard)
    if getattr(BokehTornado, "_ceasefire_guarded", False):
        return

    class Refuse(RequestHandler):
        def initialize(self, status: int, title: str, message: str):
            self._refusal = (status, title, message)

        def prepare(self):
            status, title, message = self._refusal
            self.set_status(status)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(_page(status, title, message))

    original = BokehTornado.find_handler

    def find_handler(self, request, **kwargs):
        try:
            local_port = request.connection.stream.socket.getsockname()[1]
        except (AttributeError, OSError, IndexError):
            local_port = None
        guard = _GUARDS.get(local_port)
        if guard is not None:
            names, any_ip = guard
            if not host_allowed(request.headers.get("Host"), names, any_ip):
                logging.getLogger("ceasefire.dashboard").warning(
                    "refused a request for host %r (not one of %s)", request.headers.get("Host"), ", ".join(sorted(names)))
                return self.get_handler_delegate(request, Refuse, {
                    "status": 403, "title": "Forbidden",
                    "message": "This dashboard answers only to the host names it was started for "
                               f"({', '.join(sorted(names))}). Open it at http://127.0.0.1:{local_port}/{APP_ROUTE}."})
            if bad_utf8_in(request.uri or ""):
                return self.get_handler_delegate(request, Refuse, {
                    "status": 400, "title": "Bad address",
                    "message": "The address contains percent-encoded bytes that are not UTF-8 text (such as %ff). "
                               f"Remove them, or open http://127.0.0.1:{local_port}/{APP_ROUTE} and choose the "
                               "settings again."})
        return original(self, request, **kwargs)

    BokehTornado.find_handler = find_handler
    BokehTornado._ceasefire_guarded = True


class _ClosedConnectionFilter(logging.Filter):
    """Turn the traceback logged when a browser tab closes mid-message into one INFO line."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None:
            return True
        names = {type(e).__name__ for e in (exc, exc.__cause__, exc.__context__) if e is not None}
        if names & {"StreamClosedError", "WebSocketClosedError", "CancelledError", "BrokenPipeError",
                    "ConnectionResetError"}:
            record.msg, record.args = "a browser connection closed while data were being sent to it (tab closed)", ()
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


def quiet_closed_connections() -> None:
    """Install :class:`_ClosedConnectionFilter` on the loggers of Tornado, Bokeh and asyncio (once)."""
    for name in ("tornado.application", "tornado.general", "tornado.access", "bokeh.server.protocol_handler",
                 "bokeh.server.views.ws", "bokeh.server.session", "bokeh", "asyncio"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _ClosedConnectionFilter) for f in logger.filters):
            logger.addFilter(_ClosedConnectionFilter())
