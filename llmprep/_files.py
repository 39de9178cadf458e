"""Files written so that nothing half-done or someone else's is ever read as ours.

Every file the package writes goes through a temporary file of its own (a unique name in
the same folder), gets the permissions of the user's umask like any file they create, and
replaces its target with one ``os.replace``. Work that must not run twice at once (one
``prepare`` into a folder, one conversion of the word vectors) holds a lock file. JSON
that a user may hand in is read by :func:`read_json`, which turns every way a file can be
broken into a ValueError that names it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = [
    "exclusive_lock",
    "file_mode",
    "folder_mode",
    "in_place",
    "read_json",
    "remove_stale",
    "replace_with",
    "temporary_file",
    "write_denied",
]

#: A temporary file or folder this old, that no live process holds a lock on, is a
#: leftover of a killed run (without file locks, Windows: one hour).
STALE_AFTER = 5.0


def write_denied(error: OSError) -> bool:
    """Whether an error means "this place cannot be written": no permission, or a
    read-only file system (EROFS is not a PermissionError)."""
    return isinstance(error, PermissionError) or error.errno == errno.EROFS


def read_json(path: str | os.PathLike[str], what: str) -> Any:
    """The JSON in a file; a file that is not UTF-8, not JSON or nested too deeply for
    Python's parser is a ValueError saying that ``path`` is not ``what``.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "deep.json"
    >>> _ = path.write_text("[" * 100_000 + "]" * 100_000)
    >>> read_json(path, "a tokenizer")
    Traceback (most recent call last):
    ...
    ValueError: .../deep.json is not a tokenizer (its JSON is nested too deeply to read)
    """
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise ValueError(f"{path} is not {what} (not JSON: not UTF-8, {error.reason})") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not {what} (not JSON: {error})") from None
    except RecursionError:
        raise ValueError(f"{path} is not {what} (its JSON is nested too deeply to read)") from None


def file_mode() -> int:
    """The mode a new file of this user gets: 0o666 without the umask's bits."""
    return 0o666 & ~_umask()


def folder_mode() -> int:
    """The mode a new folder of this user gets: 0o777 without the umask's bits."""
    return 0o777 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)  # subtle: the only way to read it; set back at once
    os.umask(mask)
    return mask


@contextlib.contextmanager
def temporary_file(target: Path, mode: str = "wb") -> Iterator[tuple[IO[Any], Path]]:
    """A new file beside ``target`` with a unique name, locked while it is written (so
    :func:`remove_stale` knows it is alive), removed again unless the body moves it into
    place (:func:`replace_with`). Text modes write UTF-8, whatever the locale."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    path = Path(name)
    _lock(fd)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8") as f:
            yield f, path
    finally:
        path.unlink(missing_ok=True)


def replace_with(temporary: Path, target: Path, mode: int | None = None) -> None:
    """Give the temporary file the umask's permissions (or ``mode``), then move it over
    ``target``."""
    os.chmod(temporary, file_mode() if mode is None else mode)  # mkstemp made it 0600
    os.replace(temporary, target)


def in_place(path: Path) -> tuple[Path, int | None]:
    """Where a file saved in place is written, and the permissions it keeps: a symbolic
    link's target (the link stays a link; the temporary file goes beside the target),
    and the mode of the file there (None where there is none yet: the umask's)."""
    target = Path(os.path.realpath(path))
    try:
        return target, stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return target, None


def remove_stale(folder: Path, pattern: str) -> list[Path]:
    """Delete the files or folders matching ``pattern`` in ``folder`` that a killed run
    left behind: older than :data:`STALE_AFTER` and locked by no live process."""
    removed = []
    for path in sorted(folder.glob(pattern)) if folder.is_dir() else ():
        with contextlib.suppress(OSError):
            if time.time() - path.stat().st_mtime < STALE_AFTER or _in_use(path):
                continue
            shutil.rmtree(path) if path.is_dir() else path.unlink()
            removed.append(path)
    return removed


def _lock(fd: int) -> None:
    with contextlib.suppress(ImportError, OSError):
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _in_use(path: Path) -> bool:
    """Whether a live process holds a lock on ``path`` (its writer does, until it ends)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: go by age alone
        return time.time() - path.stat().st_mtime < 3600
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


@contextlib.contextmanager
def exclusive_lock(folder: Path, *, wait: bool, busy: str) -> Iterator[int | None]:
    """Hold an exclusive lock on ``folder`` itself (no lock file is left behind). With
    ``wait=False`` a lock held by another process raises BlockingIOError with the message
    ``busy``; with ``wait=True`` this process waits its turn. It gives the descriptor of
    the folder it locked (to tell whether that is still the folder at ``folder``). Where
    file locks do not exist (Windows), nothing is locked, and it gives None."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield None
        return
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BlockingIOError(busy) from None
        yield fd
    finally:
        os.close(fd)  # closing releases the lock
