"""Checking and writing the files a command produces (``--out``), before any work is done.

Two promises, the ones careful command-line tools make:

* :func:`check_out` looks at an ``--out`` target *before* anything is computed, so a
  long run never ends in a traceback because the target was a directory, a device,
  read-only, or empty; and an existing target is never replaced without ``--force``.
* :func:`atomic_write` writes through a temporary name in the same directory and
  renames it over the target only when the write succeeded; on any failure the
  partial file is removed, so a reader sees the old file or the new one, never half.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path
from typing import Iterable, Iterator, Literal

from .errors import InputError

Kind = Literal["file", "dir"]


def _nearest_existing(path: Path) -> Path:
    """The closest ancestor of ``path`` that exists (``path`` itself if it does)."""
    p = path
    while not p.exists() and not p.is_symlink():
        if p.parent == p:
            break
        p = p.parent
    return p


def _writable_dir(d: Path) -> bool:
    """True if a file can be created in ``d`` (tried: permission bits say nothing to root or on a
    read-only or virtual file system)."""
    if not os.access(d, os.W_OK | os.X_OK):
        return False
    probe = d / f".ceasefire-probe-{secrets.token_hex(4)}"
    try:
        probe.touch(exist_ok=False)
    except OSError:
        return False
    with contextlib.suppress(OSError):
        probe.unlink()
    return True


def check_out(
    path: Path | str | None, kind: Kind = "file", force: bool = False, option: str = "--out",
    suffixes: tuple[str, ...] = (), contents: Iterable[str] | None = None,
) -> Path | None:
    """Check that ``path`` can be written as a ``kind`` ("file" or "dir"); return it as a Path.

    Raises :class:`InputError` naming ``option`` when the path is empty; when a file is
    wanted and a directory is there (or the reverse); when the target (or what is there)
    is a device, pipe or socket; when the nearest existing parent is not a directory or
    is not writable; when the target exists and ``force`` is false: a file, or for a
    directory any of the names in ``contents`` (the files the command will write; if
    ``contents`` is None, any entry at all). ``None`` (no ``--out``) passes through.
    Nothing is created.
    """
    if path is None:
        return None
    text = str(path)
    if text.strip() == "" or (text in (".", "..") and kind == "file"):
        raise InputError(f"the path is empty; give a {'file' if kind == 'file' else 'directory'} name",
                         where=option)
    if "\x00" in text:
        raise InputError("the path contains a NUL character", where=option)
    path = Path(text).expanduser()
    if suffixes and kind == "file" and path.suffix.lower() not in suffixes:
        raise InputError(f"{path}: expected a file name ending in {' or '.join(suffixes)}", where=option)
    try:
        st = path.lstat() if path.is_symlink() else path.stat()
        exists = True
    except (FileNotFoundError, NotADirectoryError):
        exists, st = False, None
    except OSError as err:
        raise InputError(f"{path} cannot be inspected ({err.strerror})", where=option) from None
    if path.is_symlink() and not path.exists():
        raise InputError(f"{path} is a dangling symbolic link; remove it or give another path", where=option)
    if exists:
        mode = st.st_mode
        if stat.S_ISDIR(mode):
            if kind == "file":
                raise InputError(f"{path} is a directory; give the path of the file to write", where=option)
            if not _writable_dir(path):
                raise InputError(f"the directory {path} is not writable", where=option)
            if not force:
                if contents is None:
                    clash = sorted(p.name for p in path.iterdir())
                else:
                    clash = [n for n in contents if (path / n).exists() or (path / n).is_symlink()]
                if clash:
                    shown = ", ".join(clash[:3]) + (f" and {len(clash) - 3} more" if len(clash) > 3 else "")
                    raise InputError(f"the directory {path} already holds {shown}; add --force to replace "
                                     f"them, or choose another directory", where=option)
            return path
        if not stat.S_ISREG(mode):
            raise InputError(f"{path} is not a regular file (a device, pipe or socket); give a file path",
                             where=option)
        if kind == "dir":
            raise InputError(f"{path} exists and is a file, not a directory", where=option)
        if not force:
            raise InputError(f"{path} exists; add --force to replace it, or choose another name", where=option)
        if not _writable_dir(path.parent if str(path.parent) else Path(".")):
            raise InputError(f"the directory of {path} is not writable", where=option)
        return path
    parent = _nearest_existing(path.parent if kind == "file" else path)
    if not parent.is_dir():
        raise InputError(f"{parent} is not a directory, so {path} cannot be created there", where=option)
    if not _writable_dir(parent):
        raise InputError(f"{path} cannot be created: the directory {parent} is not writable", where=option)
    return path


def _temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")


def _remove_partials(tmp: Path) -> None:
    """Remove ``tmp`` and any file a writer derived from its name (``tmp.partial``, ...)."""
    with contextlib.suppress(OSError):
        for p in tmp.parent.iterdir():
            if p.name.startswith(tmp.name):
                with contextlib.suppress(OSError):
                    p.unlink()


@contextlib.contextmanager
def atomic_write(path: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` when the block succeeds.

    On any exception (or interruption) the temporary file and files derived from its name
    are removed and the exception propagates; ``path`` is left as it was. An ``OSError``
    while writing (disk full, permissions) becomes an :class:`InputError` naming the file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_name(path)
    try:
        yield tmp
        if not tmp.exists():
            raise OSError(f"nothing was written to {tmp}")
        os.replace(tmp, path)
    except OSError as err:
        _remove_partials(tmp)
        raise InputError(f"{path} could not be written ({err.strerror or err}); nothing was changed") from None
    except BaseException:
        _remove_partials(tmp)
        raise


def write_text(path: Path | str, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_write`)."""
    path = Path(path)
    with atomic_write(path) as tmp:
        tmp.write_text(text, encoding=encoding)
    return path
