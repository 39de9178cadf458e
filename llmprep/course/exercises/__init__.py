"""Every exercise of the six notebooks, with checks that say what is wrong.

Each exercise computes its right answer from llmprep and the data, and its check never
raises: a wrong or nonsensical answer gets a message about that answer.

>>> from llmprep import exercises
>>> ex = exercises.get("02.3")
>>> ex.title
'A padding token'
>>> ex.check(...).status
'unanswered'
>>> result = ex.check(1133)
>>> result.passed
False
>>> print(result.message)
1,133 is the vocabulary's size; ids count from 0, so the last id is one less
>>> ex.check("1132").message
"expected an id (a whole number), got the string '1132': write a number, without quotes"
>>> ex.check(1132).passed
True
>>> [e.id for e in exercises.all()][:6]
['01.1', '01.2', '01.3', '01.4', '02.1', '02.2']

Build-it-yourself: the learner's own code runs beside llmprep's on many inputs.

>>> def bpe_encode_piece(piece, ranks):
...     return [ranks[bytes([b])] for b in piece]  # forgets to merge
>>> result = exercises.check_implementation("bpe_encode_piece", bpe_encode_piece)
>>> result.passed, result.message
(False, "the parts differ from llmprep's: merge the adjacent pair with the lowest rank ...")
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from llmprep.course.exercises import nb01, nb02, nb03, nb04, nb05, nb06  # noqa: F401 (registers)
from llmprep.course.exercises.core import (
    PASSED,
    CheckResult,
    Exercise,
    registry,
    status_of,
)

__all__ = [
    "IMPLEMENTATIONS",
    "CheckResult",
    "Exercise",
    "all",
    "check_implementation",
    "get",
    "progress",
]

#: What a learner can build and check, and the exercise that checks it.
IMPLEMENTATIONS = {
    "SimpleTokenizerV1": "02.5",
    "bpe_encode_piece": "03.5",
    "GPTDatasetV1": "04.5",
    "sinusoidal_positions": "06.5",
}


def get(exercise_id: str) -> Exercise:
    """The exercise with this id: ``"02.3"`` is notebook 02's third; ``"book-2.1"`` is
    the book's exercise 2.1 (in notebook 03)."""
    exercises = registry()
    if exercise_id not in exercises:
        known = ", ".join(exercises)
        raise KeyError(f"no exercise {exercise_id!r}; there are: {known}")
    return exercises[exercise_id]


def all() -> list[Exercise]:  # shadows the builtin here only: the name the issue asks for
    """Every exercise, in notebook order."""
    return sorted(registry().values(), key=lambda e: e.notebook)  # stable: keeps their order


def check_implementation(name: str, candidate: object) -> CheckResult:
    """Run the learner's ``candidate`` beside llmprep's ``name`` on many generated inputs;
    on a difference, the result shows the smallest input, what was expected and what
    came back. ``name`` is one of :data:`IMPLEMENTATIONS`."""
    if name not in IMPLEMENTATIONS:
        raise KeyError(f"nothing called {name!r} to build; choose one of {sorted(IMPLEMENTATIONS)}")
    return get(IMPLEMENTATIONS[name]).check(candidate)


@dataclass(frozen=True)
class Progress:
    """Which exercises of a notebook passed in this kernel (shown at its end)."""

    notebook: str
    states: tuple[tuple[str, str, str | None], ...]  # (id, title, status or None)

    @property
    def passed(self) -> int:
        return sum(state == PASSED for _, _, state in self.states)

    def _symbol(self, state: str | None) -> str:
        return {"passed": "✓", "failed": "✗", "unanswered": "…"}.get(state or "", "·")

    def __repr__(self) -> str:
        marks = "  ".join(f"{self._symbol(s)} {i}" for i, _, s in self.states)
        return (
            f"Your progress in notebook {self.notebook}: {self.passed} of "
            f"{len(self.states)} exercises passed in this kernel.  {marks}"
        )

    def _repr_html_(self) -> str:
        items = "".join(
            f"<li>{self._symbol(s)} <b>{html.escape(i)}</b> {html.escape(t)}</li>"
            for i, t, s in self.states
        )
        return (
            f"<div><b>Your progress in notebook {self.notebook}: {self.passed} of "
            f"{len(self.states)} exercises passed in this kernel.</b>"
            f'<ul style="list-style:none;padding-left:0.5em;margin:4px 0">{items}</ul></div>'
        )


def progress(notebook: str) -> Progress:
    """A line of which of a notebook's exercises passed in this kernel (✓ passed,
    ✗ tried, · not tried yet)."""
    chosen = [e for e in all() if e.notebook == notebook]
    if not chosen:
        raise KeyError(f"notebook {notebook!r} has no exercises; use '01' ... '06'")
    return Progress(notebook, tuple((e.id, e.title, status_of(e.id)) for e in chosen))
