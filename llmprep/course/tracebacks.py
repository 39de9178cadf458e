"""Errors as a learner needs them: the line of their cell, the frame that raised, the
message; library paths without the machine's folders.

A notebook's first cell (:func:`~llmprep.course.setup.setup_notebook`) installs this in
IPython. A traceback then keeps the frames of the learner's cells, the last frame of
library code (where the error was raised, with its message) and says how many frames it
left out between them; ``/home/ada/.venv/lib/python3.11/site-packages/torch/...`` becomes
``torch/...``. Stored outputs then hold no path of the machine that ran them, and an
error fits on a slide.

>>> shorten_paths("File /opt/venv/lib/python3.12/site-packages/torch/nn/x.py:3, in f()",
...               prefixes=["/opt/venv/lib/python3.12/site-packages"])
'File torch/nn/x.py:3, in f()'
"""

from __future__ import annotations

import os
import re
import site
import sys
import sysconfig
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


def shorten(structured: list[str], *, prefixes: Iterable[str]) -> list[str]:
    """IPython's structured traceback (header lines, one string per frame, the message) with
    the learner's cell frames, the last :data:`KEEP` frames of library code before the
    one that raised, that one, and the message; paths shortened."""
    first = next((k for k, part in enumerate(structured) if _is_frame(part)), len(structured))
    header, frames, message = structured[:first], structured[first:-1], structured[-1:]
    if not frames:
        return [shorten_paths(s, prefixes=prefixes) for s in structured]
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
    return [shorten_paths(s, prefixes=prefixes) for s in (*header, *kept, *message)]


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
        stb = shorten(stb, prefixes=known)
        self._showtraceback(etype, value, stb)
        return stb

    shell.set_custom_exc((Exception,), handler)
    return True
