"""Errors as a learner needs them: the line of their cell, the frame that raised, the
message; library paths without the machine's folders.

A notebook's first cell (:func:`~llmprep.course.setup.setup_notebook`) installs this in
IPython. A traceback then keeps the frames of the learner's cells, the last frame of
library code (where the error was raised, with its message) and says how many frames it
left out between them. Only frames are left out: each exception of a chain keeps its
message and the sentence joining it to the next, notes are kept, and an exception
group shows its members. ``/home/ada/.venv/lib/python3.11/site-packages/torch/...`` becomes
``torch/...``. Stored outputs then hold no path of the machine that ran them, and an
error fits on a slide.

>>> shorten_paths("File /opt/venv/lib/python3.12/site-packages/torch/nn/x.py:3, in f()",
...               prefixes=["/opt/venv/lib/python3.12/site-packages"])
'File torch/nn/x.py:3, in f()'
"""

from __future__ import annotations

import builtins
import os
import re
import site
import sys
import sysconfig
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["install", "prefixes", "shorten", "shorten_paths"]

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: Frames of library code kept before the one that raised (besides the learner's cells).
KEEP = 0


def prefixes() -> list[str]:
    """The folders whose names a traceback need not show, longest first: where packages
    are installed, the folder llmprep is in (a checkout), the notebook's folder, home."""
    import llmprep

    found = {
        *site.getsitepackages(),
        site.getusersitepackages(),
        sysconfig.get_paths()["purelib"],
        sysconfig.get_paths()["stdlib"],
        str(Path(llmprep.__file__).resolve().parent.parent),
        os.getcwd(),
        str(Path.home()),
        sys.prefix,
    }
    home = str(Path.home()).rstrip("/")
    if home and home != "/":  # IPython writes the home folder as ~
        found |= {"~" + p[len(home) :] for p in found if p and p.startswith(home + "/")}
    return sorted((p.rstrip("/") for p in found if p and p != "/"), key=len, reverse=True)


def shorten_paths(text: str, *, prefixes: Iterable[str]) -> str:
    """``text`` with every ``PREFIX/`` removed (the first, longest, that matches)."""
    for prefix in prefixes:
        text = text.replace(prefix + os.sep, "")
    return text


def _is_cell(frame: str) -> bool:
    return "Cell In[" in _ANSI.sub("", frame) or "<ipython-input-" in frame


def _is_frame(part: str) -> bool:
    return _ANSI.sub("", part).lstrip().startswith(("File ", "Cell In["))


_HEADER = re.compile(r"^\S.*\bTraceback \(most recent call last\)")
#: The sentences that join the exceptions of a chain (``raise ... from``, or an error while
#: handling another); kept, with the type and message of each exception.
_JOINS = (
    "The above exception was the direct cause of the following exception:",
    "During handling of the above exception, another exception occurred:",
)


def _is_header(part: str) -> bool:
    return bool(_HEADER.match(_ANSI.sub("", part)))


def _is_join(part: str) -> bool:
    return _ANSI.sub("", part).strip() in _JOINS


def chain(value: BaseException | None) -> list[BaseException]:
    """The exceptions a traceback of ``value`` shows, oldest first: its cause, or the one it
    was raised while handling, before it (as Python and IPython show them)."""
    found: list[BaseException] = []
    while value is not None and all(value is not seen for seen in found):
        found.append(value)
        if value.__cause__ is not None:
            value = value.__cause__
        elif value.__context__ is not None and not value.__suppress_context__:
            value = value.__context__
        else:
            value = None
    return found[::-1]


def members(value: BaseException) -> list[str]:
    """The sub-exceptions of an exception group as Python shows them (each with the frame
    that raised it, its message and notes); none for any other exception."""
    group = getattr(builtins, "BaseExceptionGroup", None)  # Python 3.11 and later
    if group is None or not isinstance(value, group):
        return []
    try:
        lines = "".join(
            traceback.TracebackException(type(value), value, value.__traceback__, limit=-1).format()
        ).splitlines(keepends=True)
    except Exception:  # a member whose message cannot be shown: its type is enough
        return ["".join(f"  | {type(m).__name__}\n" for m in value.exceptions).rstrip("\n")]
    first = next((k for k, line in enumerate(lines) if line.startswith("  +-+")), len(lines))
    return ["".join(lines[first:]).rstrip("\n")] if first < len(lines) else []


def _shorten_frames(frames: list[str]) -> list[str]:
    """The learner's cell frames, the last :data:`KEEP` frames of library code before the one
    that raised, that one, and a line for the frames left out between them."""
    library = [k for k, frame in enumerate(frames) if not _is_cell(frame)]
    shown = set(library[-(KEEP + 1) :]) | {k for k in range(len(frames)) if _is_cell(frames[k])}
    kept: list[str] = []
    left_out = 0
    for k, frame in enumerate(frames):
        if k in shown:
            if left_out:
                kept.append(f"... {left_out} frame(s) of library code left out ...\n")
                left_out = 0
            kept.append(frame)
        else:
            left_out += 1
    return kept


def shorten(
    structured: list[str], *, prefixes: Iterable[str], value: BaseException | None = None
) -> list[str]:
    """IPython's structured traceback (header lines, one string per frame, the message) with
    the learner's cell frames, the last :data:`KEEP` frames of library code before the
    one that raised, that one, and the message; paths shortened.

    Only frames are left out: every exception of a chain (``raise ... from``) keeps its
    header, its message and its notes, and the sentence that joins it to the next; an
    exception group (``value``, or one in its chain) shows its members after its message.
    """
    structured = list(structured)
    headers = [k for k, part in enumerate(structured) if _is_header(part)]
    if not headers:  # not IPython's verbose layout: frames run from the first to the message
        first = next((k for k, part in enumerate(structured) if _is_frame(part)), None)
        headers = [] if first is None else [first - 1]
    shown: list[str] = []
    done = 0
    for start in headers:
        shown.extend(structured[done : start + 1])
        end = start + 1
        while end < len(structured) and _is_frame(structured[end]) and end < len(structured) - 1:
            end += 1
        shown.extend(_shorten_frames(structured[start + 1 : end]))
        done = end
    shown.extend(structured[done:])
    shown = _with_members(shown, chain(value))
    return [shorten_paths(s, prefixes=prefixes) for s in shown]


def _with_members(shown: list[str], exceptions: list[BaseException]) -> list[str]:
    """``shown`` with the members of each exception group in ``exceptions`` (the chain,
    oldest first) after that exception's message and notes."""
    blocks = [members(e) for e in exceptions]
    if not any(blocks):
        return shown
    headers = [k for k, part in enumerate(shown) if _is_header(part)]
    if len(headers) != len(exceptions):  # cannot tell which part is whose: the last one's
        return [*shown, *blocks[-1]]
    ends = [k - 1 if k > 0 and _is_join(shown[k - 1]) else k for k in headers[1:]]
    ends.append(len(shown))
    out: list[str] = []
    done = 0
    for end, block in zip(ends, blocks, strict=True):
        out.extend(shown[done:end])
        out.extend(block)
        done = end
    return [*out, *shown[done:]]


def install(shell: Any | None = None) -> bool:
    """Show short tracebacks in this IPython session (a no-op outside IPython); return
    whether it was installed."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None:
        return False
    known = prefixes()

    def handler(self: Any, etype: type, value: BaseException, tb: Any, tb_offset=None):
        if issubclass(etype, SyntaxError):  # IPython shows these best itself
            self.showsyntaxerror()
            return []
        stb = self.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
        stb = shorten(stb, prefixes=known, value=value)
        self._showtraceback(etype, value, stb)
        return stb

    shell.set_custom_exc((Exception,), handler)
    return True
