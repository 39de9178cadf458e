"""Multiple-choice questions: the notebooks' "Then think: ..." questions and what the
teacher notes ask the class, checked like any other exercise.

Each wrong choice stands for a misconception of learners of this chapter and has an
explanation written for it; ``check`` takes the letter (``"b"``, ``"B"``, ``"(b)"``) or
the choice's text.

>>> q = question(
...     id="00.9",
...     title="An example",
...     prompt="Which number is even?",
...     choices=[
...         Choice("3", "3 = 2 x 1 + 1 leaves a remainder", "odd-number"),
...         Choice("4", "4 = 2 x 2"),
...     ],
...     answer="b",
...     hints=("Divide by 2.", "Look for a remainder of 0."),
... )
>>> q.options
('3', '4')
>>> q.check("A").message, q.check("A").diagnosis
('3 = 2 x 1 + 1 leaves a remainder', 'odd-number')
>>> q.check("4").passed, q.check("e").message
(True, "there is no choice 'e': answer with one of the letters a, b (or a choice's text)")
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from llmprep.course.exercises.answers import Wrong, describe
from llmprep.course.exercises.core import Exercise, Text, Words
from llmprep.course.language import Said, say

__all__ = ["Choice", "Question", "question"]


@dataclass(frozen=True)
class Choice:
    """A choice, why it is right or wrong, and (for a wrong one) the short key of the
    misconception it stands for, which the class summary counts."""

    text: Words
    explanation: Words
    diagnosis: str | None = None


def _normal(text: str) -> str:
    return " ".join(text.replace("`", "").casefold().split()).rstrip(".。")


def _both(text: Words) -> set[str]:
    """A choice's text as it may be typed: in either language."""
    texts = [text.en, text.zh or ""] if isinstance(text, Said) else [text]
    return {_normal(t) for t in texts if t}


@dataclass(repr=False)
class Question(Exercise):
    """An exercise whose answer is one of its ``choices``; ``answer`` is the right letter."""

    choices: tuple[Choice, ...] = ()
    answer: str = "a"

    def __post_init__(self) -> None:
        self.judge = self._judge_choice
        self.reference = lambda: self.answer

    @property
    def letters(self) -> str:
        return string.ascii_lowercase[: len(self.choices)]

    @property
    def options(self) -> tuple[str, ...]:
        return tuple(str(choice.text) for choice in self.choices)

    def expects(self) -> str:
        letters = ", ".join(self.letters)
        return say(f"one of the letters {letters}, as a string", f"字母 {letters} 之一（字符串）")

    def _letter(self, answer: Any) -> str:
        if not isinstance(answer, str):
            raise Wrong(
                say(
                    f"answer with the letter of your choice as a string, such as "
                    f"`check({self.letters[-1]!r})`, or with the choice's text; got "
                    f"{describe(answer)}",
                    f"请用所选选项的字母作答（字符串），例如 `check({self.letters[-1]!r})`，"
                    f"或者用选项的文字；你给的是 {describe(answer)}",
                )
            )
        given = answer.strip()
        single = re.fullmatch(r"\(?([A-Za-z])\)?\.?", given)
        if single and single.group(1).lower() in self.letters:
            return single.group(1).lower()
        labelled = re.fullmatch(r"\(?([A-Za-z])[).]\s+(.+)", given, flags=re.DOTALL)
        for letter, choice in zip(self.letters, self.choices, strict=True):
            if _normal(given) in _both(choice.text) or (
                labelled
                and labelled.group(1).lower() == letter
                and _normal(labelled.group(2)) in _both(choice.text)
            ):
                return letter
        letters = ", ".join(self.letters)
        raise Wrong(
            say(
                f"there is no choice {given!r:.60}: answer with one of the letters "
                f"{letters} (or a choice's text)",
                f"没有选项 {given!r:.60}：请用字母 {letters} 之一作答（或者用选项的文字）。",
            )
        )

    def _judge_choice(self, answer: Any, right: str) -> str:
        letter = self._letter(answer)
        choice = self.choices[self.letters.index(letter)]
        if letter == right:
            return str(choice.explanation)
        raise Wrong(str(choice.explanation), diagnosis=choice.diagnosis or f"choice-{letter}")

    def _listing(self) -> str:
        lines = [f"- **{k})** {c.text}" for k, c in zip(self.letters, self.choices, strict=True)]
        return (
            "\n".join(lines)
            + "\n\n"
            + say(
                "Answer with the letter of your choice, as a string, or with its text.",
                "请用所选选项的字母（字符串）或选项的文字作答。",
            )
        )

    def solution(self) -> Text:
        choice = self.choices[self.letters.index(self.answer)]
        return Text(
            say(f"**Solution to exercise {self.id}**", f"**练习 {self.id} 的解答**")
            + f"\n\n**{self.answer})** {choice.text}\n\n{choice.explanation}"
        )

    def __repr__(self) -> str:
        plain = self._listing().replace("**", "")
        return f"{say('Exercise', '练习')} {self.id} · {self.title}\n\n{self.task}\n\n{plain}"

    def _repr_markdown_(self) -> str:
        head = f"**{say('Exercise', '练习')} {self.id} · {self.title}**"
        return f"{head}\n\n{self.task}\n\n{self._listing()}"


def question(
    *,
    id: str,
    title: Words,
    prompt: Words,
    choices: Sequence[Choice],
    answer: str,
    hints: Sequence[Words],
) -> Question:
    """A multiple-choice question; ``answer`` is the letter of the right choice."""
    letters = string.ascii_lowercase[: len(choices)]
    if answer not in letters or len(choices) < 2:
        raise ValueError(f"question {id}: the answer {answer!r} is not one of {letters!r}")
    right = choices[letters.index(answer)]
    if right.diagnosis is not None:
        raise ValueError(f"question {id}: the right choice has a misconception key")
    return Question(
        id=id,
        title=title,
        task=prompt,
        reference=None,  # type: ignore[arg-type]  (set in __post_init__)
        judge=None,  # type: ignore[arg-type]
        solution_code=f"answer = {answer!r}",
        explanation=right.explanation,
        hints=tuple(hints),
        choices=tuple(choices),
        answer=answer,
    )
