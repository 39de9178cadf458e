"""What every exercise shares: the result of a check, the exercise itself, the registry.

An exercise's ``judge`` gets the learner's answer and the right answer (computed from
the package and the data the first time it is needed) and either returns a message
(right) or raises :class:`Wrong` with a message about *that* answer. ``check`` never
raises: an answer the judge cannot even read, or a judge that trips over it, becomes a
message too.
"""

from __future__ import annotations

import html
import math
import re
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CheckResult", "Exercise", "NotAnswered", "Wrong", "register", "registry"]

PASSED, FAILED, UNANSWERED = "passed", "failed", "unanswered"


class Wrong(Exception):
    """Raised by a judge: the answer is wrong, and ``args[0]`` says how."""


class NotAnswered(Exception):
    """Raised by a judge: the learner has not answered yet (the starter is unchanged)."""


_STYLE = {  # border, background, symbol, word: colour is never the only cue
    PASSED: ("#1b7837", "#e7f4e4", "✓", "Correct"),
    FAILED: ("#b2182b", "#fbe9e7", "✗", "Not yet"),
    UNANSWERED: ("#777777", "#f2f2f2", "…", "Not answered yet"),
}


def _inline_html(text: str) -> str:
    """Escape text and turn `code` into <code>, keeping line breaks."""
    escaped = html.escape(text)
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)
    return escaped.replace("\n", "<br>")


@dataclass(frozen=True)
class CheckResult:
    """What a check says: ``passed``, a ``message`` for the learner, and optional
    ``details`` (e.g. the smallest input where two implementations differ)."""

    exercise: str
    status: str  # passed, failed or unanswered
    message: str
    details: str = ""

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    def __repr__(self) -> str:
        _, _, symbol, word = _STYLE[self.status]
        text = f"{symbol} {self.exercise} · {word}: {self.message}"
        return f"{text}\n{self.details}" if self.details else text

    def _repr_html_(self) -> str:
        border, background, symbol, word = _STYLE[self.status]
        details = (
            f'<pre style="margin:6px 0 0;white-space:pre-wrap">{html.escape(self.details)}</pre>'
            if self.details
            else ""
        )
        return (
            f'<div style="border-left:6px solid {border};background:{background};'
            f'padding:6px 10px;margin:2px 0;color:#111">'
            f"<b>{symbol} Exercise {self.exercise} · {word}.</b> "
            f"{_inline_html(self.message)}{details}</div>"
        )


@dataclass(frozen=True)
class Text:
    """Markdown shown in a notebook (hints, solutions, tasks), plain text elsewhere."""

    markdown: str

    def __repr__(self) -> str:
        return self.markdown

    def _repr_markdown_(self) -> str:
        return self.markdown


@dataclass
class Exercise:
    """One exercise: a task, a check of the learner's answer, hints and a solution.

    ``reference`` computes the right answer (from llmprep and the data, never a typed-in
    constant); ``judge(answer, right)`` returns the message for a right answer or raises
    :class:`Wrong`. ``solution_code`` is runnable: it assigns the answer to ``answer_name``
    (the tests run it and check that it passes).
    """

    id: str
    title: str
    task: str
    reference: Callable[[], Any]
    judge: Callable[[Any, Any], str]
    solution_code: str
    explanation: str
    hints: tuple[str, ...]
    answer_name: str = "answer"
    time_limit: float = 20.0  # seconds a check may run learner code before giving up
    _right: Any = field(default=None, repr=False)
    _hints_shown: int = field(default=0, repr=False)

    @property
    def notebook(self) -> str:
        """The notebook the exercise belongs to: "02" for "02.3"."""
        return _NOTEBOOK_OF.get(self.id, self.id.split(".")[0])

    def right_answer(self) -> Any:
        if self._right is None:
            self._right = self.reference()
        return self._right

    def check(self, answer: Any) -> CheckResult:
        """Judge an answer; never raises for a wrong or nonsensical answer."""
        try:
            if answer is Ellipsis:
                raise NotAnswered("replace `...` with your answer, then run the cell again")
            with time_limit(self.time_limit):
                message = self.judge(answer, self.right_answer())
            result = CheckResult(self.id, PASSED, message)
        except NotAnswered as reason:
            result = CheckResult(self.id, UNANSWERED, str(reason.args[0]))
        except Wrong as wrong:
            result = CheckResult(self.id, FAILED, *wrong.args[:2])
        except TimeLimit:
            result = CheckResult(
                self.id,
                FAILED,
                f"checking your answer took more than {self.time_limit:.0f} s: "
                f"does your code loop forever?",
            )
        except Exception as error:  # a judge that trips over an odd answer still answers
            result = CheckResult(
                self.id,
                FAILED,
                f"this answer could not be checked ({type(error).__name__}: {error}). "
                f"It should be {self.expects()}.",
            )
        _record(result)
        return result

    def expects(self) -> str:
        """What kind of value the answer is, from the task's first line."""
        return f"what the task asks for (see `exercises.get({self.id!r})`)"

    def hint(self) -> Text:
        """The next hint (each call shows one more, then all of them)."""
        self._hints_shown = min(self._hints_shown + 1, len(self.hints))
        shown = self.hints[: self._hints_shown]
        lines = [f"**Hint {k + 1} of {len(self.hints)}:** {h}" for k, h in enumerate(shown)]
        return Text("\n\n".join(lines))

    def solution(self) -> Text:
        """A worked solution: runnable code, then why it is right."""
        return Text(
            f"**Solution to exercise {self.id}**\n\n```python\n{self.solution_code.strip()}\n"
            f"```\n\n{self.explanation}"
        )

    def __repr__(self) -> str:
        return f"Exercise {self.id} · {self.title}\n\n{self.task}"

    def _repr_markdown_(self) -> str:
        return f"**Exercise {self.id} · {self.title}**\n\n{self.task}"


# ---- the registry, and what passed in this kernel ---------------------------------

_REGISTRY: dict[str, Exercise] = {}
_NOTEBOOK_OF: dict[str, str] = {}  # for exercises whose id is not "NN.k" (the book's)
_RESULTS: dict[str, str] = {}  # exercise id -> best status so far in this process


def register(exercise: Exercise, *, notebook: str | None = None) -> Exercise:
    if exercise.id in _REGISTRY:
        raise ValueError(f"exercise {exercise.id} is registered twice")
    _REGISTRY[exercise.id] = exercise
    if notebook is not None:
        _NOTEBOOK_OF[exercise.id] = notebook
    return exercise


def registry() -> dict[str, Exercise]:
    return _REGISTRY


def _record(result: CheckResult) -> None:
    if _RESULTS.get(result.exercise) != PASSED:  # once passed, passed in this kernel
        _RESULTS[result.exercise] = result.status


def status_of(exercise_id: str) -> str | None:
    return _RESULTS.get(exercise_id)


# ---- a time limit for learner code ------------------------------------------------


class TimeLimit(Exception):
    """Learner code ran past the exercise's time limit."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the body after ``seconds`` (main thread on Unix; elsewhere no limit)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise TimeLimit

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# ---- reading answers: each helper raises Wrong with what it expected ---------------


def describe(value: Any) -> str:
    """A short description of a value for a message: its type and a glimpse of it."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    shape = getattr(value, "shape", None)
    kind = type(value).__name__
    return f"a {kind} of shape {tuple(shape)}" if shape is not None else f"{text} (a {kind})"


def _scalar(value: Any) -> Any:
    """NumPy scalars and 0-d arrays or tensors as Python numbers; anything else as is."""
    if hasattr(value, "shape") and hasattr(value, "item") and tuple(value.shape) == ():
        return value.item()
    return value


def as_int(value: Any, what: str = "a whole number") -> int:
    """An int from an int, a NumPy or 0-d tensor integer, or a float that is whole."""
    value = _scalar(value)
    if isinstance(value, bool):
        raise Wrong(f"expected {what}, got {value!r}, a bool")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        raise Wrong(f"expected {what}, got the string {value!r}: write a number, without quotes")
    raise Wrong(f"expected {what}, got {describe(value)}")


def as_float(value: Any, what: str = "a number") -> float:
    value = _scalar(value)
    if isinstance(value, bool):
        raise Wrong(f"expected {what}, got {value!r}, a bool")
    if isinstance(value, (int, float)) and math.isfinite(value):
        return float(value)
    if isinstance(value, str):
        raise Wrong(f"expected {what}, got the string {value!r}: write a number, without quotes")
    raise Wrong(f"expected {what}, got {describe(value)}")


def as_int_list(value: Any, what: str = "a list of whole numbers") -> list[int]:
    """A list of ints from a list, tuple, NumPy array or 1-d tensor of integers."""
    if hasattr(value, "tolist") and not isinstance(value, (list, tuple)):
        if getattr(value, "ndim", 1) != 1:
            raise Wrong(f"expected {what}, got {describe(value)}: it should be one-dimensional")
        value = value.tolist()
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise Wrong(f"expected {what}, got {describe(value)}")
    return [as_int(v, f"whole numbers in the list (item {k})") for k, v in enumerate(value)]


def as_str(value: Any, what: str = "a string") -> str:
    if not isinstance(value, str):
        raise Wrong(f"expected {what}, got {describe(value)}")
    return value


def as_tensor(value: Any, what: str, *, token_ids: bool = False) -> Any:
    """A tensor from a tensor, a NumPy array or nested lists; detached, and as float64
    unless ``token_ids`` asks for integers (floats and bools are then wrong)."""
    import torch

    try:
        tensor = torch.as_tensor(value).detach()
    except (TypeError, ValueError, RuntimeError):
        raise Wrong(
            f"expected {what} as a tensor (or nested lists), got {describe(value)}"
        ) from None
    if token_ids:
        if tensor.numel() == 0:  # torch.tensor([]) is float32, but holds no wrong number
            return tensor.long()
        if tensor.dtype.is_floating_point or tensor.dtype.is_complex or tensor.dtype == torch.bool:
            raise Wrong(f"{what} should hold token ids (integers), got {tensor.dtype}")
        return tensor
    if tensor.dtype.is_complex:
        raise Wrong(f"{what} should hold real numbers, got {tensor.dtype}")
    return tensor.double()


def as_pair(value: Any, what: str) -> tuple[Any, Any]:
    if isinstance(value, dict) or not isinstance(value, (list, tuple)) or len(value) != 2:
        raise Wrong(f"expected {what}: a pair like `(a, b)`, got {describe(value)}")
    return value[0], value[1]


def shorten(value: Any, limit: int = 300) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else f"{text[: limit - 5]} ..."


def difference(given: Any, expected: Any, got: Any, *, what: str = "input") -> str:
    """The details of a failed comparison: the input, what was expected, what came back."""
    return (
        f"{what + ':':<10}{shorten(repr(given))}\n{'expected:':<10}{shorten(repr(expected))}\n"
        f"{'got:':<10}{shorten(repr(got))}"
    )


def call(
    function: Callable[..., Any],
    *args: Any,
    what: str,
    explain: Callable[[BaseException], str] | None = None,
) -> Any:
    """Run learner code; its exceptions become a Wrong (or NotAnswered for a starter that
    still raises NotImplementedError), with the input in the details."""
    try:
        return function(*args)
    except NotImplementedError:
        raise NotAnswered(
            f"{what} still raises NotImplementedError: write it, then run the cell again"
        ) from None
    except TimeLimit:
        raise
    except Exception as error:
        message = explain(error) if explain else f"{what} raised {type(error).__name__}: {error}"
        details = f"{'input:':<10}{shorten(', '.join(repr(a) for a in args))}" if args else ""
        raise Wrong(message, details) from None


def close(a: float, b: float, *, rel: float = 1e-3, abs_: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)
