"""What a learner has passed, kept across kernels and restarts in a small JSON file.

The file is ``progress.json`` in the learner's data folder (``platformdirs``'s
``user_data_dir("llmprep")``), or the file ``LLMPREP_PROGRESS`` names. For each exercise
it keeps whether it was ever passed (once passed, passed), how many answers were
checked, and how often each diagnosed mistake was made. Every check reads the file,
adds its result and writes it back under a lock, through a temporary file and one
``os.replace``, so two kernels at once lose nothing and a killed kernel leaves no half
file. A symbolic link is written through to its target, and the file keeps its
permissions. A file that cannot be read (damaged, not ours, not a regular file) or is
read-only is never overwritten: a warning says so once, and progress is kept in memory
for this kernel, and written to the file once it changes (moved away, mended, made
writable).

>>> import os, tempfile
>>> from unittest import mock
>>> with tempfile.TemporaryDirectory() as folder, mock.patch.dict(
...     os.environ, LLMPREP_PROGRESS=os.path.join(folder, "progress.json")
... ):
...     record("02.3", "failed", "size-not-id")
...     record("02.3", "passed")
...     load()["02.3"]
Entry(passed=True, tries=2, diagnoses={'size-not-id': 1})
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llmprep._files import exclusive_lock, in_place, replace_with, temporary_file
from llmprep.course.language import say

__all__ = [
    "ENVIRONMENT",
    "Entry",
    "kept",
    "load",
    "parse_entries",
    "progress_file",
    "read",
    "read_json",
    "record",
]

ENVIRONMENT = "LLMPREP_PROGRESS"
FORMAT, VERSION = "llmprep-progress", 1
MAX_BYTES = 1_000_000  # a progress file is a few kilobytes; anything larger is not one
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-]{0,39}")
_KEY = re.compile(r"[a-z0-9][a-z0-9\-]{0,59}")


@dataclass
class Entry:
    """One exercise in a progress file."""

    passed: bool = False
    tries: int = 0
    diagnoses: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"passed": self.passed, "tries": self.tries, "diagnoses": dict(self.diagnoses)}


def progress_file() -> Path:
    """The learner's progress file: ``LLMPREP_PROGRESS``, or ``progress.json`` in their
    data folder."""
    named = os.environ.get(ENVIRONMENT)
    if named:
        return Path(named).expanduser().absolute()
    import platformdirs

    return Path(platformdirs.user_data_dir("llmprep")) / "progress.json"


def _count(value: Any, what: str) -> int:
    if type(value) is not int or not 0 <= value < 10**9:
        raise ValueError(
            say(
                f"{what} should be a whole number from 0, got {value!r:.40}",
                f"{what} 应当是从 0 起的整数，实际是 {value!r:.40}",
            )
        )
    return value


def parse_entries(data: Any) -> dict[str, Entry]:
    """The exercises of a progress (or hand-in) document, every field checked; a
    ValueError says which one is wrong (in the kernel's language: the teacher's command
    line speaks English)."""
    if not isinstance(data, dict) or len(data) > 1000:
        raise ValueError(
            say(
                "its exercises should be a mapping from exercise id to results",
                "其中的 exercises 应当是从练习 id 到结果的映射",
            )
        )
    entries = {}
    for exercise_id, item in data.items():
        if not isinstance(exercise_id, str) or not _ID.fullmatch(exercise_id):
            raise ValueError(
                say(
                    f"{exercise_id!r:.50} is not an exercise id",
                    f"{exercise_id!r:.50} 不是练习 id",
                )
            )
        if not isinstance(item, dict) or set(item) - {"passed", "tries", "diagnoses"}:
            raise ValueError(
                say(
                    f"exercise {exercise_id}: expected passed, tries and diagnoses",
                    f"练习 {exercise_id}：应当包含 passed、tries 和 diagnoses",
                )
            )
        passed, diagnoses = item.get("passed", False), item.get("diagnoses", {})
        if type(passed) is not bool:
            raise ValueError(
                say(
                    f"exercise {exercise_id}: passed should be true or false",
                    f"练习 {exercise_id}：passed 应当是 true 或 false",
                )
            )
        if not isinstance(diagnoses, dict) or len(diagnoses) > 100:
            raise ValueError(
                say(
                    f"exercise {exercise_id}: diagnoses should be a small mapping",
                    f"练习 {exercise_id}：diagnoses 应当是一个较小的映射",
                )
            )
        for key, n in diagnoses.items():
            if not isinstance(key, str) or not _KEY.fullmatch(key):
                raise ValueError(
                    say(
                        f"exercise {exercise_id}: {key!r:.50} is not a diagnosis",
                        f"练习 {exercise_id}：{key!r:.50} 不是错误诊断的键",
                    )
                )
            _count(
                n,
                say(
                    f"exercise {exercise_id}: the count of {key}",
                    f"练习 {exercise_id}：{key} 的次数",
                ),
            )
        tries = _count(
            item.get("tries", 0),
            say(f"exercise {exercise_id}: tries", f"练习 {exercise_id}：tries"),
        )
        entries[exercise_id] = Entry(passed, tries, dict(diagnoses))
    return entries


def read_json(path: Path, what: str) -> Any:
    """A small JSON file's content; ValueError (naming nothing but the problem) if it is
    too large, not UTF-8, not JSON, or nested too deeply to read."""
    # not blocking: a FIFO (or a device) opens at once, and is refused as no regular file
    with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise ValueError(
                say(
                    f"it is not a regular file (a folder, a FIFO or a device), so not {what}",
                    f"它不是普通文件（而是文件夹、FIFO 或设备），所以不是{what}",
                )
            )
        raw = f.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ValueError(
            say(
                f"it is larger than {MAX_BYTES:,} bytes: not {what}",
                f"它大于 {MAX_BYTES:,} 字节：不是{what}",
            )
        )
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(
            say(f"it is not {what} (not JSON: {error})", f"它不是{what}（不是 JSON：{error}）")
        ) from None
    except RecursionError:
        raise ValueError(
            say(f"it is not {what} (nested too deeply)", f"它不是{what}（嵌套太深）")
        ) from None


def read(path: Path) -> dict[str, Entry]:
    """The entries of a progress file ({} if there is none yet); ValueError if it is not
    one, OSError if it cannot be opened."""
    if not path.exists():
        return {}
    document = read_json(path, say("a progress file", "进度文件"))
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(
            say(
                f"it is not an llmprep progress file (no format {FORMAT!r})",
                f"它不是 llmprep 的进度文件（没有 format {FORMAT!r}）",
            )
        )
    if document.get("version") != VERSION:
        version = f"{document.get('version')!r:.20}"
        raise ValueError(
            say(
                f"it has version {version}; this llmprep reads 1",
                f"它的版本是 {version}；这个版本的 llmprep 只能读取版本 1",
            )
        )
    return parse_entries(document.get("exercises", {}))


def _write(target: Path, entries: dict[str, Entry], mode: int | None) -> None:
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exercises": {k: entries[k].to_json() for k in sorted(entries)},
    }
    with temporary_file(target, "w") as (f, tmp):
        json.dump(document, f, indent=1, sort_keys=True)
        f.close()
        replace_with(tmp, target, mode)  # the file keeps its permissions


def _read_only(target: Path, mode: int | None) -> bool:
    """Whether the file there says "do not write me" (no write permission: a rename over
    it would succeed all the same, and root may write anything)."""
    return mode is not None and (not mode & 0o222 or not os.access(target, os.W_OK))


# What this process knows of each file: the file's entries as last read or written, with
# this process's results added; the only record where the file cannot be used.
_MEMORY: dict[Path, dict[str, Entry]] = {}
# The results of this process no file holds yet (the file could not be used): added to
# the file once it can be used again.
_PENDING: dict[Path, list[tuple[str, bool, str | None]]] = {}
# The files given up on, with what they were like then (None: not there): one that
# changes, disappears or appears is looked at again.
_UNUSABLE: dict[Path, tuple[Any, Any]] = {}


def _state(path: Path) -> tuple[Any, Any]:
    def one(p: Path) -> tuple[int, ...] | None:
        try:
            st = os.stat(p)
        except OSError:
            return None
        return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_mode)

    return one(path), one(path.parent)


def _usable(path: Path) -> bool:
    """Whether to use the file: yes, unless it was given up on and has not changed."""
    if path in _UNUSABLE and _state(path) == _UNUSABLE[path]:
        return False
    _UNUSABLE.pop(path, None)  # moved away, mended, made writable: look at it again
    return True


def kept() -> bool:
    """Whether the learner's progress is kept in their file (so lasts between sessions),
    not in this kernel's memory only."""
    return progress_file() not in _UNUSABLE


def _learners_frame() -> int:
    """The ``stacklevel`` that makes a warning of its caller name the first frame outside
    llmprep: the learner's cell that called the check."""
    frame, level = sys._getframe(1), 1
    while frame.f_back is not None and frame.f_globals.get("__name__", "").split(".")[0] == (
        "llmprep"
    ):
        frame, level = frame.f_back, level + 1
    return level


def _give_up_on(path: Path, reason: str) -> None:
    if path in _UNUSABLE:
        return
    _UNUSABLE[path] = _state(path)
    warnings.warn(
        say(
            f"llmprep: your progress file {path} {reason}. Your progress is kept in memory "
            f"for this kernel only; move the file away (or set {ENVIRONMENT} to another "
            f"file) to start a new one.",
            f"llmprep：你的进度文件 {path} {reason}。你的进度只保存在这个内核的内存中；"
            f"把这个文件移走（或者把 {ENVIRONMENT} 设为另一个文件），就会新建一个进度文件。",
        ),
        RuntimeWarning,
        stacklevel=_learners_frame(),
    )


def _unreadable(error: ValueError) -> str:
    return say(
        f"cannot be read ({error}), so it was left as it is",
        f"无法读取（{error}），所以保持原样，没有改动",
    )


def _read_only_reason() -> str:
    return say(
        "is read-only, so it was left as it is (make it writable to keep your progress in it)",
        "是只读的，所以保持原样，没有改动（把它改为可写，进度才能保存在里面）",
    )


def _add(entries: dict[str, Entry], exercise_id: str, passed: bool, diagnosis: str | None):
    entry = entries.setdefault(exercise_id, Entry())
    entry.passed = entry.passed or passed
    entry.tries += 1
    if diagnosis is not None and _KEY.fullmatch(diagnosis):
        entry.diagnoses[diagnosis] = entry.diagnoses.get(diagnosis, 0) + 1


def _with_pending(path: Path, entries: dict[str, Entry]) -> dict[str, Entry]:
    for result in _PENDING.get(path, []):
        _add(entries, *result)
    return entries


def record(exercise_id: str, status: str, diagnosis: str | None = None) -> None:
    """Add a checked answer (``status`` "passed" or "failed"; an unanswered check is no
    try) to the learner's progress. Never raises: a file that cannot be used is warned
    about once, and the result kept in memory (and added to the file once it can be used
    again: moved away, mended or made writable). A symbolic link is written through, to
    its target; the file keeps its permissions; only a regular file is read."""
    if status not in ("passed", "failed"):
        return
    path = progress_file()
    _add(_MEMORY.setdefault(path, {}), exercise_id, status == "passed", diagnosis)
    _PENDING.setdefault(path, []).append((exercise_id, status == "passed", diagnosis))
    if not _usable(path):
        return
    target, mode = in_place(path)
    try:
        with exclusive_lock(target.parent, wait=True, busy=""):
            entries = _with_pending(path, read(target))
            if _read_only(target, mode):
                _MEMORY[path] = entries  # still pending: added once it is writable
                _give_up_on(path, _read_only_reason())
                return
            _write(target, entries, mode)
        _MEMORY[path] = entries
        _PENDING[path] = []
    except ValueError as error:
        _give_up_on(path, _unreadable(error))
    except OSError as error:
        name = type(error).__name__
        _give_up_on(
            path, say(f"cannot be written ({name}: {error})", f"无法写入（{name}: {error}）")
        )


def load() -> dict[str, Entry]:
    """The learner's progress: from the file (with what this kernel could not write to
    it yet), or what this kernel knows if it cannot be read."""
    path = progress_file()
    if _usable(path):
        try:
            _MEMORY[path] = _with_pending(path, read(path))
            target, mode = in_place(path)
            if _read_only(target, mode):
                _give_up_on(path, _read_only_reason())
        except ValueError as error:
            _give_up_on(path, _unreadable(error))
        except OSError as error:
            name = type(error).__name__
            _give_up_on(
                path, say(f"cannot be read ({name}: {error})", f"无法读取（{name}: {error}）")
            )
    return {
        k: Entry(e.passed, e.tries, dict(e.diagnoses)) for k, e in _MEMORY.get(path, {}).items()
    }
