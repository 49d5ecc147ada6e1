"""Running the CLI in-process and judging its answer to bad input (shared by the tests and benchmarks/fuzz.py)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import signal
import traceback
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
KHERSON = REPO / "scenarios" / "kherson-2022-11.yaml"
ACTORS = REPO / "scenarios" / "kherson-2022-11-actors.yaml"

#: Lines an error may take: the one-paragraph message (soft-wrapped to one line), or Click's usage box.
MAX_MESSAGE_LINES = 3
MAX_USAGE_LINES = 10


class Hang(Exception):
    """A case ran past its time limit."""


@dataclass
class Outcome:
    code: int | None  # exit code (None: an exception escaped)
    out: str
    err: str
    exception: str = ""  # formatted traceback of an escaped exception

    @property
    def text(self) -> str:
        return " ".join(self.err.split())


def run_cli(argv: list[str], timeout_s: float = 0) -> Outcome:
    """``ceasefire.cli.main(argv)`` with stdout and stderr captured; never raises (a hang raises :class:`Hang`)."""
    from ceasefire.cli import main

    out, err = io.StringIO(), io.StringIO()
    code: int | None = 0
    exc_text = ""
    old = None
    if timeout_s:
        def _alarm(signum, frame):
            raise Hang(f"{argv[:2]} ran past {timeout_s} s")

        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout_s)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main([str(a) for a in argv])
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except Hang:
        raise
    except BaseException:  # noqa: BLE001 - a traceback is exactly what the fuzzer looks for
        code = None
        exc_text = traceback.format_exc()
    finally:
        if timeout_s:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    return Outcome(code, out.getvalue(), err.getvalue(), exc_text)


_NAMES_SOMETHING = re.compile(
    r"(--[a-z][a-z-]*|\brow \d+|\bline \d+|\bcolumn '|\b[a-z_]+(\[\d+\])?\.[a-z_]+|`[^`]+`|'[^']+'|"
    r"\.(yaml|yml|csv|nc|json|html)\b|/)"
)


def judge(outcome: Outcome) -> str:
    """One word for the outcome: ok (exit 0), refused (exit 2 with a short message naming a field, option
    or file), long_message, unnamed, traceback (exit other than 0/2, or an exception, or 'Traceback' in
    the output)."""
    if outcome.code is None or "Traceback (most recent call last)" in outcome.err + outcome.out:
        return "traceback"
    if outcome.code == 0:
        return "ok"
    if outcome.code != 2:
        return "traceback"
    lines = [ln for ln in outcome.err.splitlines() if ln.strip()]
    limit = MAX_USAGE_LINES if "Usage:" in outcome.err else MAX_MESSAGE_LINES
    if not lines or len(lines) > limit:
        return "long_message"
    if not _NAMES_SOMETHING.search(outcome.err):
        return "unnamed"
    return "refused"


def digest(paths) -> dict[str, str]:
    """SHA-256 of every file under ``paths`` (files or directories): what 'nothing stored changed' compares."""
    out = {}
    for p in paths:
        p = Path(p)
        files = [p] if p.is_file() else sorted(q for q in p.rglob("*") if q.is_file()) if p.exists() else []
        for f in files:
            out[str(f)] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out
