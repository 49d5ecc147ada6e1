"""``ceasefire serve``: the interactive dashboard on a local address."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the main ``ceasefire`` app."""

    @app.command("serve")
    def serve_cmd(
        scenarios: List[Path] = typer.Argument(..., help="Scenario YAML file(s); the first one opens by default."),
        port: int = typer.Option(5006, help="TCP port to listen on (0 picks a free one)."),
        address: str = typer.Option("127.0.0.1", help="Address to listen on; the default serves this machine only."),
        documents: Optional[List[Path]] = typer.Option(
            None, "--documents", help="Directory holding the cited articles (to show a quote's paragraph); repeatable."
        ),
        evidence_db: Optional[Path] = typer.Option(
            None, "--db", help="Evidence store to read quoted paragraphs from (default: the store's usual place)."
        ),
        workers: int = typer.Option(0, help="Threads serving computations (0: one per core, 2 to 4)."),
        processes: int = typer.Option(
            0, help="Worker processes running the engine, an ensemble split across them (0: run it in the server "
            "process, on a thread; right for an engine that releases the interpreter lock, as ceasefire's does)."
        ),
        show: bool = typer.Option(False, "--show/--no-show", help="Open the page in a web browser."),
        allow_origin: Optional[List[str]] = typer.Option(
            None, "--allow-origin", help="Also accept pages served under this host:port (e.g. a proxy's); repeatable."
        ),
    ) -> None:
        """Explore truces interactively in the browser: move a control, see the futures change."""
        import socket

        from ..errors import InputError
        from .server import APP_ROUTE, make_context, serve

        if not 0 <= port <= 65535:
            raise InputError(f"--port must be between 0 and 65535 (0 picks a free one), got {port}.")
        try:  # refuse a port in use (or an address not on this machine) before loading anything
            with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET) as s:
                s.bind((address, port))
        except OSError as err:
            raise InputError(f"cannot listen on {address}:{port} ({err.strerror or err}); "
                             "choose another --port (0 picks a free one) or --address.") from None
        ctx = make_context(list(scenarios), document_dirs=list(documents or []), workers=workers or None,
                           processes=max(0, processes), evidence_db=evidence_db)
        if port == 0:
            with socket.socket() as s:
                s.bind((address, 0))
                port = s.getsockname()[1]
        url = f"http://{address}:{port}/{APP_ROUTE}"
        try:
            ctx.computer.warm_up()
            origins = [f"{address}:{port}", f"localhost:{port}", f"127.0.0.1:{port}", *(allow_origin or [])]
            server = serve(ctx, port=port, address=address, start=False, allow_origins=origins)
            server.start()
            typer.echo(f"ceasefire dashboard: {url}  (scenario {ctx.default_key}; press Ctrl+C to stop)")
            if show:
                server.show(f"/{APP_ROUTE}")
            server.io_loop.start()
        finally:
            ctx.computer.close()
