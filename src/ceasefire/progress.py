"""Progress on the terminal: a Rich bar that commands hand to the engine as a callback.

The engine knows nothing of terminals: :func:`ceasefire.engine.simulate` (and
``compare``) call ``progress(label, runs_done, runs_total)`` after each chunk of
runs. A command that wants a bar opens :func:`progress_bar` and passes what it
yields; one bar line per label (a policy's name), removed when the block ends.
"""

from __future__ import annotations

import contextlib
from typing import Callable, Iterator

from rich.console import Console
from rich.markup import escape

#: ``progress(label, runs_done, runs_total)``, as the engine calls it.
ProgressCallback = Callable[[str, int, int], None]


class RichProgress:
    """A Rich progress display with one bar per label, updated by :meth:`__call__`."""

    def __init__(self, console: Console | None = None, transient: bool = True):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TimeElapsedColumn(), console=console, transient=transient)
        self._tasks: dict[str, int] = {}

    def __call__(self, label: str, done: int, total: int) -> None:
        if label not in self._tasks:
            self._tasks[label] = self._progress.add_task(escape(label), total=total)
        self._progress.update(self._tasks[label], completed=done, total=total)

    def start(self) -> None:
        self._progress.start()

    def stop(self) -> None:
        self._progress.stop()


@contextlib.contextmanager
def progress_bar(enabled: bool = True, console: Console | None = None) -> Iterator[ProgressCallback | None]:
    """A callback drawing Rich bars while the block runs, or None when ``enabled`` is false (e.g. ``--json``)."""
    if not enabled:
        yield None
        return
    bar = RichProgress(console)
    bar.start()
    try:
        yield bar
    finally:
        bar.stop()
