"""What every exercise shares: the result of a check, the exercise itself, the registry.

An exercise's ``judge`` gets the learner's answer (rebuilt from plain values) and the
right answer (computed from the package and the data the first time it is needed) and
either returns a message (right) or raises :class:`Wrong` with a message about *that*
answer. ``check`` never raises: an answer the judge cannot even read, or a judge that
trips over it, becomes a message too. It runs under a time limit the learner's code
cannot swallow, leaves the random generators and the learner's timers as they were,
and records the result in the learner's progress file.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from llmprep.course.exercises.answers import NotAnswered, Wrong, plain
from llmprep.course.exercises.progress_store import record
from llmprep.course.exercises.sandbox import TimeLimit, isolated, time_limit
from llmprep.course.language import Said, say
from llmprep.simple import load_text, split_text

__all__ = ["CheckResult", "Exercise", "NotAnswered", "Wrong", "register", "registry"]

PASSED, FAILED, UNANSWERED = "passed", "failed", "unanswered"


_STYLE = {  # border, background, symbol, word: colour is never the only cue
    PASSED: ("#1b7837", "#e7f4e4", "✓", Said("Correct", "正确")),
    FAILED: ("#b2182b", "#fbe9e7", "✗", Said("Not yet", "未通过")),
    UNANSWERED: ("#777777", "#f2f2f2", "…", Said("Not answered yet", "尚未作答")),
}
#: A learner-facing text: one language, or both (:class:`~llmprep.course.language.Said`,
#: shown in the kernel's language).
Words = str | Said


# subtle: not between ASCII word characters (`a*b*c`), but right beside Chinese ones (在*dog*和)
_EMPHASIS = re.compile(r"(?<![A-Za-z0-9_*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![A-Za-z0-9_*])")


def _inline_html(text: str) -> str:
    """Escape text and turn `code` into <code> and *words* into <em>, keeping line breaks.

    >>> _inline_html("*dog* and `x * y`, 在*狗*和 a*b*c")
    '<em>dog</em> and <code>x * y</code>, 在<em>狗</em>和 a*b*c'
    """
    parts = re.split(r"(`[^`]+`)", html.escape(text))  # code first: no emphasis inside it
    for k, part in enumerate(parts):
        if k % 2:
            parts[k] = f"<code>{part[1:-1]}</code>"
        else:
            parts[k] = _EMPHASIS.sub(r"<em>\1</em>", part)
    return "".join(parts).replace("\n", "<br>")


@dataclass(frozen=True)
class CheckResult:
    """What a check says: ``passed``, a ``message`` for the learner, and optional
    ``details`` (e.g. the smallest input where two implementations differ)."""

    exercise: str
    status: str  # passed, failed or unanswered
    message: str
    details: str = ""
    diagnosis: str | None = None  # a short key of the mistake, for the class summary

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    def __repr__(self) -> str:
        _, _, symbol, word = _STYLE[self.status]
        text = f"{symbol} {self.exercise} · {word}{say(': ', '：')}{self.message}"
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
            f"<b>{symbol} {say('Exercise', '练习')} {self.exercise} · {word}{say('.', '：')}</b> "
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
    title: Words
    task: Words
    reference: Callable[[], Any]
    judge: Callable[[Any, Any], str]
    solution_code: str
    explanation: Words
    hints: tuple[Words, ...]
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

    @property
    def options(self) -> tuple[str, ...] | None:
        """The choices of a multiple-choice question; None for every other exercise."""
        return None

    def check(self, answer: Any) -> CheckResult:
        """Judge an answer; never raises for a wrong or nonsensical answer."""
        with isolated():  # the reference and the learner's code may draw random numbers
            result = self._judged(answer)
        record(self.id, result.status, result.diagnosis)
        return result

    def _judged(self, answer: Any) -> CheckResult:
        try:
            if answer is Ellipsis:
                raise NotAnswered(
                    say(
                        "replace `...` with your answer, then run the cell again",
                        "把 `...` 换成你的答案，然后再次运行这个单元格",
                    )
                )
            with time_limit(self.time_limit):
                message = self.judge(plain(answer), self.right_answer())
            return CheckResult(self.id, PASSED, message)
        except NotAnswered as reason:
            return CheckResult(self.id, UNANSWERED, str(reason))
        except Wrong as wrong:
            return CheckResult(self.id, FAILED, wrong.message, wrong.details, wrong.diagnosis)
        except TimeLimit:
            return CheckResult(
                self.id,
                FAILED,
                say(
                    f"checking your answer took more than {self.time_limit:.0f} s: "
                    f"does your code loop forever?",
                    f"检查你的答案用了超过 {self.time_limit:.0f} 秒：你的代码是不是陷入了死循环？",
                ),
                diagnosis="time-limit",
            )
        except Exception as error:  # a judge that trips over an odd answer still answers
            return CheckResult(
                self.id,
                FAILED,
                say(
                    f"this answer could not be checked ({type(error).__name__}: {error}). "
                    f"It should be {self.expects()}.",
                    f"无法检查这个答案（{type(error).__name__}: {error}）。它应当是"
                    f"{self.expects()}。",
                ),
                diagnosis="unreadable",
            )

    def expects(self) -> str:
        """What kind of value the answer is, from the task's first line."""
        return say(
            f"what the task asks for (see `exercises.get({self.id!r})`)",
            f"题目所要求的内容（见 `exercises.get({self.id!r})`）",
        )

    def hint(self) -> Text:
        """The next hint (each call shows one more, then all of them)."""
        self._hints_shown = min(self._hints_shown + 1, len(self.hints))
        shown = self.hints[: self._hints_shown]
        n = len(self.hints)
        lines = [say(f"**Hint {k + 1} of {n}:** {h}", f"**提示 {k + 1}/{n}：** {h}")
                 for k, h in enumerate(shown)]  # fmt: skip
        return Text("\n\n".join(lines))

    def solution(self) -> Text:
        """A worked solution: runnable code, then why it is right."""
        return Text(
            say(f"**Solution to exercise {self.id}**", f"**练习 {self.id} 的解答**")
            + f"\n\n```python\n{self.solution_code.strip()}\n```\n\n{self.explanation}"
        )

    def __repr__(self) -> str:
        return f"{say('Exercise', '练习')} {self.id} · {self.title}\n\n{self.task}"

    def _repr_markdown_(self) -> str:
        return f"**{say('Exercise', '练习')} {self.id} · {self.title}**\n\n{self.task}"


# ---- the registry ------------------------------------------------------------------

_REGISTRY: dict[str, Exercise] = {}
_NOTEBOOK_OF: dict[str, str] = {}  # for exercises whose id is not "NN.k" (the book's)


def register(exercise: Exercise, *, notebook: str | None = None) -> Exercise:
    if exercise.id in _REGISTRY:
        raise ValueError(f"exercise {exercise.id} is registered twice")
    _REGISTRY[exercise.id] = exercise
    if notebook is not None:
        _NOTEBOOK_OF[exercise.id] = notebook
    return exercise


def registry() -> dict[str, Exercise]:
    return _REGISTRY


@functools.cache
def the_verdict() -> str:
    """The story the checks of notebooks 01 and 02 read, loaded once per kernel."""
    return load_text("the-verdict")


@functools.cache
def verdict_tokens() -> tuple[str, ...]:
    """The story's tokens as ``split_text`` gives them (4,690)."""
    return tuple(split_text(the_verdict()))
