"""Progress bars for long work, on the command line's side: the engine only calls a callback."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator


@contextmanager
def policy_progress(enabled: bool, total: int) -> Iterator[Callable[[str, int], None] | None]:
    """A Rich bar per policy; yields ``tick(policy_name, runs_done)`` (or None when disabled)."""
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   transient=True)
    tasks: dict[str, int] = {}

    def tick(name: str, done: int) -> None:
        if name not in tasks:
            tasks[name] = bar.add_task(name, total=total)
        bar.update(tasks[name], completed=done)

    with bar:
        yield tick
