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
from llmprep.course.exercises.core import Exercise, Text

__all__ = ["Choice", "Question", "question"]


@dataclass(frozen=True)
class Choice:
    """A choice, why it is right or wrong, and (for a wrong one) the short key of the
    misconception it stands for, which the class summary counts."""

    text: str
    explanation: str
    diagnosis: str | None = None


def _normal(text: str) -> str:
    return " ".join(text.replace("`", "").casefold().split()).rstrip(".")


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
        return tuple(choice.text for choice in self.choices)

    def expects(self) -> str:
        return f"one of the letters {', '.join(self.letters)}, as a string"

    def _letter(self, answer: Any) -> str:
        if not isinstance(answer, str):
            raise Wrong(
                f"answer with the letter of your choice as a string, such as "
                f"`check({self.letters[-1]!r})`, or with the choice's text; got "
                f"{describe(answer)}"
            )
        given = answer.strip()
        single = re.fullmatch(r"\(?([A-Za-z])\)?\.?", given)
        if single and single.group(1).lower() in self.letters:
            return single.group(1).lower()
        labelled = re.fullmatch(r"\(?([A-Za-z])[).]\s+(.+)", given, flags=re.DOTALL)
        for letter, choice in zip(self.letters, self.choices, strict=True):
            if _normal(given) == _normal(choice.text) or (
                labelled
                and labelled.group(1).lower() == letter
                and _normal(labelled.group(2)) == _normal(choice.text)
            ):
                return letter
        raise Wrong(
            f"there is no choice {given!r:.60}: answer with one of the letters "
            f"{', '.join(self.letters)} (or a choice's text)"
        )

    def _judge_choice(self, answer: Any, right: str) -> str:
        letter = self._letter(answer)
        choice = self.choices[self.letters.index(letter)]
        if letter == right:
            return choice.explanation
        raise Wrong(choice.explanation, diagnosis=choice.diagnosis or f"choice-{letter}")

    def _listing(self) -> str:
        lines = [f"- **{k})** {c.text}" for k, c in zip(self.letters, self.choices, strict=True)]
        return "\n".join(lines) + (
            "\n\nAnswer with the letter of your choice, as a string, or with its text."
        )

    def solution(self) -> Text:
        choice = self.choices[self.letters.index(self.answer)]
        return Text(
            f"**Solution to exercise {self.id}:** **{self.answer})** {choice.text}\n\n"
            f"{choice.explanation}"
        )

    def __repr__(self) -> str:
        plain = self._listing().replace("**", "")
        return f"Exercise {self.id} · {self.title}\n\n{self.task}\n\n{plain}"

    def _repr_markdown_(self) -> str:
        return f"**Exercise {self.id} · {self.title}**\n\n{self.task}\n\n{self._listing()}"


def question(
    *,
    id: str,
    title: str,
    prompt: str,
    choices: Sequence[Choice],
    answer: str,
    hints: Sequence[str],
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
