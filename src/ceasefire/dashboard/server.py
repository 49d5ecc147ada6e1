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
"""

from __future__ import annotations

import asyncio
import ctypes
import hashlib
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import InputError
from ..scenario import Scenario, load_scenario
from .catalogue import find_paragraph
from .compute import Computer
from .state import settings_from_query

MAX_UPLOADED_SCENARIOS = 64


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
    view = ctx.computer.view(settings)
    stem = f"{view.scenario.name}_{settings.truce_policy().name}"
    if name == "scenario.yaml":
        return export.scenario_yaml(view.scenario, settings, link).encode("utf-8"), f"{stem}.yaml"
    if name == "results.nc":
        return export.results_netcdf(view), f"{stem}_results.nc"
    if name == "results.csv":
        return export.results_csv(view).encode("utf-8"), f"{stem}_runs.csv"
    return export.table_csv(view).encode("utf-8"), f"{stem}_outcome_table.csv"


def _export_handler_class():
    from tornado.web import RequestHandler

    class ExportHandler(RequestHandler):
        def initialize(self, ctx: DashboardContext, prefix: str):
            self.ctx = ctx
            self.prefix = prefix

        async def get(self, name: str):
            query = self.request.query
            host = self.request.host
            link = f"{self.request.protocol}://{host}{self.prefix}?{query}"
            try:
                content, filename = await self.ctx.run(export_bytes, self.ctx, name, query, link)
            except InputError as err:
                self.set_status(400)
                self.set_header("Content-Type", "text/plain; charset=utf-8")
                self.finish(f"error: {err}\n")
                return
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
    origins = allow_origins or [f"{address}:{port}", f"localhost:{port}", f"127.0.0.1:{port}"]
    handler = _export_handler_class()
    return pn.serve(
        {APP_ROUTE: lambda: create_session(ctx).layout},
        port=port,
        address=address,
        show=show,
        threaded=threaded,
        start=start,
        websocket_origin=origins,
        title="ceasefire dashboard",
        extra_patterns=[(r"/export/([A-Za-z0-9_.-]+)", handler, {"ctx": ctx, "prefix": f"/{APP_ROUTE}"})],
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
