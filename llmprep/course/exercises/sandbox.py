"""Running learner code inside a check: with a time limit it cannot swallow, on copies or
read-only views of the checker's data, and leaving nothing behind.

- :class:`TimeLimit` derives from BaseException, so ``except Exception`` lets it pass.
  After the limit the timer fires again every half second until the check returns, and
  each time it also traces the learner's frames: the next line they run raises again, so
  ``while True: try: ... except: pass`` stops too (a trace function is the one place
  Python lets a check raise in the middle of such a loop).
- :func:`isolated` restores the random generators (Python's, NumPy's, torch's) that the
  reference or the learner's code may have used.
- The learner's own ``signal.alarm`` or interval timer is put back, with the time it had
  left, when the check returns.
- :func:`readonly` and :class:`ReadOnly` hand out views that cannot change the checker's
  data (a merge loop that deletes entries from ``ranks`` must not change the reference).
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sys
import sysconfig
import threading
import time
import types
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from llmprep.course.exercises.answers import NotAnswered, Wrong, _spaced, label, plain, shorten
from llmprep.course.language import Said, say

__all__ = ["ReadOnly", "TimeLimit", "call", "isolated", "readonly", "time_limit"]

#: How often the timer fires again once the limit has passed.
REPEAT = 0.5


class TimeLimit(BaseException):
    """Learner code ran past the exercise's time limit (not an Exception: an ordinary
    ``except Exception`` in learner code does not catch it)."""


def _roots() -> tuple[str, ...]:
    """Where code that is not the learner's lives: llmprep, the standard library and the
    installed packages. A time limit raises again only in frames outside these."""
    paths = sysconfig.get_paths()
    folders = [Path(__file__).parents[2]]  # llmprep/
    folders += [Path(paths[key]) for key in ("stdlib", "platstdlib", "purelib", "platlib")]
    names = {str(f) for f in folders} | {str(f.resolve()) for f in folders}
    return tuple(name.rstrip(os.sep) + os.sep for name in sorted(names))


_PROTECTED = _roots()


def _is_learners(code: types.CodeType) -> bool:
    name = code.co_filename
    return not (name.startswith("<frozen") or name.startswith(_PROTECTED))


class time_limit:
    """Interrupt the body after ``seconds`` with :class:`TimeLimit`, again every
    :data:`REPEAT` seconds until it gives up (main thread on Unix; elsewhere no limit).
    The learner's own SIGALRM handler and ITIMER_REAL timer are restored afterwards,
    re-armed with the time they had left."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.fired = 0
        self._active = False

    def __enter__(self) -> time_limit:
        self._usable = (
            hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        )
        if not self._usable:
            return self
        self._boundary = sys._getframe(1)  # the frames above the `with` are not traced
        self._trace = sys.gettrace()
        self._handler = signal.getsignal(signal.SIGALRM)
        self._timer = signal.getitimer(signal.ITIMER_REAL)
        self._start = time.monotonic()
        self._active = True
        signal.signal(signal.SIGALRM, self._interrupt)
        signal.setitimer(signal.ITIMER_REAL, self.seconds, REPEAT)
        return self

    def _line(self, frame: Any, event: str, arg: Any) -> Any:
        if self._active and event == "line":
            raise TimeLimit  # subtle: Python then unsets the trace; the next firing sets it
        return self._line

    def _call(self, frame: Any, event: str, arg: Any) -> Any:
        return self._line if self._active and _is_learners(frame.f_code) else None

    def _interrupt(self, signum: int, frame: Any) -> None:
        if not self._active:
            return
        self.fired += 1
        sys.settrace(self._call)
        while frame is not None and frame is not self._boundary:
            if _is_learners(frame.f_code):
                frame.f_trace = self._line
            frame = frame.f_back
        raise TimeLimit

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> bool:
        if not self._usable:
            return False
        while True:  # subtle: a last interrupt may land here; once inactive, none raises
            try:
                self._active = False
                break
            except TimeLimit:
                continue
        signal.setitimer(signal.ITIMER_REAL, 0)
        if self._handler is not None:
            signal.signal(signal.SIGALRM, self._handler)
        left, interval = self._timer
        if left > 0:  # the learner's own alarm: what it had left, or at once if it is due
            elapsed = time.monotonic() - self._start
            signal.setitimer(signal.ITIMER_REAL, max(left - elapsed, 0.001), interval)
        sys.settrace(self._trace)
        if self.fired and (kind is None or issubclass(kind, Exception)):
            raise TimeLimit from None  # the learner's code swallowed the limit and went on
        return False


@contextlib.contextmanager
def isolated() -> Iterator[None]:
    """Put back the state of the random generators that the body may use: Python's,
    NumPy's and torch's (if they are imported; CUDA's too where it is initialised)."""
    python = random.getstate()
    numpy = sys.modules.get("numpy")
    numpy_state = numpy.random.get_state() if hasattr(numpy, "random") else None
    torch = sys.modules.get("torch")
    torch_state = torch.get_rng_state() if hasattr(torch, "get_rng_state") else None
    cuda = torch is not None and hasattr(torch, "cuda") and torch.cuda.is_initialized()
    cuda_state = torch.cuda.get_rng_state_all() if cuda else None
    try:
        yield
    finally:
        random.setstate(python)
        if numpy_state is not None:
            numpy.random.set_state(numpy_state)
        if torch_state is not None:
            torch.set_rng_state(torch_state)
        if cuda_state is not None:
            torch.cuda.set_rng_state_all(cuda_state)


def readonly(mapping: Mapping[Any, Any]) -> Mapping[Any, Any]:
    """A view of ``mapping`` that learner code can read but not change."""
    return types.MappingProxyType(mapping)  # type: ignore[arg-type]


class ReadOnly:
    """An object's attributes, to be read and called but not replaced (a tokenizer handed
    to learner code, whose ``encode`` the reference uses too)."""

    __slots__ = ("_target",)

    def __init__(self, target: Any) -> None:
        object.__setattr__(self, "_target", target)

    def __getattr__(self, name: str) -> Any:
        return getattr(object.__getattribute__(self, "_target"), name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"this object is read-only: {name} cannot be set")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"this object is read-only: {name} cannot be deleted")

    def __repr__(self) -> str:
        return repr(object.__getattribute__(self, "_target"))


_MUTATION = ("'mappingproxy' object", "this object is read-only")


def changed_shared(error: BaseException) -> bool:
    """Whether learner code failed because it tried to change what it was only lent."""
    return isinstance(error, (TypeError, AttributeError)) and any(
        words in str(error) for words in _MUTATION
    )


def call(
    function: Callable[..., Any],
    *args: Any,
    what: str | Said,
    explain: Callable[[BaseException], str | tuple[str, str | None]] | None = None,
) -> Any:
    """Run learner code on ``args`` (which the caller hands out as copies or read-only
    views) and return its result as plain values; its exceptions become a Wrong (or
    NotAnswered for a starter that still raises NotImplementedError), with the input in
    the details. ``explain`` turns an exception into a message, or a (message, diagnosis)
    pair. (A check runs under :func:`isolated` as a whole, so the random generators
    are put back after all of its calls at once: per call it would cost more than most
    learner code.)"""
    who = _spaced(str(what), before=False)  # in Chinese, the subject of the sentence
    try:
        return plain(function(*args))
    except NotImplementedError:
        raise NotAnswered(
            say(
                f"{what} still raises NotImplementedError: write it, then run the cell again",
                f"{who}仍然抛出 NotImplementedError：先把它写出来，然后再次运行这个单元格。",
            )
        ) from None
    except Wrong:
        raise
    except Exception as error:
        shown = shorten(", ".join(repr(a) for a in args))
        details = f"{label(Said('input', '输入'))}{shown}" if args else ""
        name = type(error).__name__
        if changed_shared(error):
            raise Wrong(
                say(
                    f"{what} tried to change what it was given ({name}: {error}). "
                    f"Read the arguments, never change them: the check hands the same objects "
                    f"to every call (make a copy first if you need one, e.g. `dict(ranks)`)",
                    f"{who}试图修改传给它的参数（{name}: {error}）。只能读取参数，不要修改："
                    f"检查程序每次调用都传入同样的对象（如果需要修改，先复制一份，例如 "
                    f"`dict(ranks)`）。",
                ),
                details,
                diagnosis="changes-its-input",
            ) from None
        said = (
            explain(error)
            if explain
            else say(f"{what} raised {name}: {error}", f"{who}抛出了 {name}: {error}")
        )
        message, diagnosis = said if isinstance(said, tuple) else (said, None)
        raise Wrong(message, details, diagnosis=diagnosis) from None
