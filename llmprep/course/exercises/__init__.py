"""Every exercise of the six notebooks, with checks that say what is wrong.

Each exercise computes its right answer from llmprep and the data, and its check never
raises: a wrong or nonsensical answer gets a message about that answer.

>>> from llmprep import exercises
>>> ex = exercises.get("02.3")
>>> str(ex.title)  # in the kernel's language (Chinese in the Chinese edition)
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
>>> [e.id for e in exercises.all()][:8]
['01.1', '01.2', '01.3', '01.4', '01.5', '01.6', '01.7', '02.1']

Multiple-choice questions are exercises too; ``options`` lists their choices.

>>> q = exercises.get("04.7")
>>> q.options[1], exercises.get("02.3").options
('`[0, 1, 2, 3]` and `[4, 5, 6, 7]`', None)
>>> print(q.check("B").message)
That is stride 4, as long as a window: the windows tile the numbers without overlap. ...
>>> q.check("a").passed
True

What passed lasts: ``exercises.progress("02")`` reads the learner's progress file
(``LLMPREP_PROGRESS``, or ``progress.json`` in their data folder).

>>> exercises.progress("02").passed >= 1  # 02.3, just now
True

Build-it-yourself: the learner's own code runs beside llmprep's on many inputs.

>>> def bpe_encode_piece(piece, ranks):
...     return [ranks[bytes([b])] for b in piece]  # forgets to merge
>>> result = exercises.check_implementation("bpe_encode_piece", bpe_encode_piece)
>>> result.passed, result.message
(False, 'your function returns one rank per byte: it never merges. While some adjacent ...')
>>> print(result.details)
ranks:    the 256 single bytes (rank = byte value), b'ab' 256, b'bc' 257
input:    b'abc'
expected: [256, 99]   b'ab' b'c'
got:      [97, 98, 99]   b'a' b'b' b'c'
...
"""

from __future__ import annotations

from llmprep.course.exercises import (  # noqa: F401 (each registers its exercises, in order)
    nb01,
    nb01_quiz,
    nb02,
    nb02_build,
    nb02_quiz,
    nb03,
    nb03_build,
    nb03_quiz,
    nb04,
    nb04_build,
    nb04_quiz,
    nb05,
    nb05_quiz,
    nb06,
    nb06_build,
    nb06_quiz,
)
from llmprep.course.exercises.core import CheckResult, Exercise, registry
from llmprep.course.exercises.overview import Progress, Row
from llmprep.course.exercises.progress_store import kept, load
from llmprep.course.language import say

__all__ = [
    "IMPLEMENTATIONS",
    "CheckResult",
    "Exercise",
    "Progress",
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

NOTEBOOKS = ("01", "02", "03", "04", "05", "06")


def get(exercise_id: str) -> Exercise:
    """The exercise with this id: ``"02.3"`` is notebook 02's third; ``"book-2.1"`` is
    the book's exercise 2.1 (in notebook 03)."""
    exercises = registry()
    if exercise_id not in exercises:
        known = ", ".join(exercises)
        raise KeyError(
            say(
                f"no exercise {exercise_id!r}; there are: {known}",
                f"没有练习 {exercise_id!r}；现有的练习是：{known}",
            )
        )
    return exercises[exercise_id]


def all() -> list[Exercise]:  # shadows the builtin here only: the name the issue asks for
    """Every exercise, in notebook order."""
    return sorted(registry().values(), key=lambda e: e.notebook)  # stable: keeps their order


def check_implementation(name: str, candidate: object) -> CheckResult:
    """Run the learner's ``candidate`` beside llmprep's ``name`` on many generated inputs;
    on a difference, the result shows the smallest input, what was expected and what
    came back. ``name`` is one of :data:`IMPLEMENTATIONS`."""
    if name not in IMPLEMENTATIONS:
        raise KeyError(
            say(
                f"nothing called {name!r} to build; choose one of {sorted(IMPLEMENTATIONS)}",
                f"没有名为 {name!r} 的动手实现练习；请从 {sorted(IMPLEMENTATIONS)} 中选一个",
            )
        )
    return get(IMPLEMENTATIONS[name]).check(candidate)


def progress(notebook: str | None = None) -> Progress:
    """Which exercises passed (✓), were tried (✗) or not tried yet (·), in one notebook
    (``"03"``) or in all six; kept in the learner's progress file, so it lasts across
    kernels and restarts."""
    if notebook is not None and notebook not in NOTEBOOKS:
        raise KeyError(
            say(
                f"notebook {notebook!r} has no exercises; use '01' ... '06', or none",
                f"笔记本 {notebook!r} 没有练习；请用 '01' ... '06'，或者不给参数",
            )
        )
    entries = load()
    rows = tuple(
        Row(
            e.id,
            e.notebook,
            e.title,
            entries[e.id].passed if e.id in entries else False,
            entries[e.id].tries if e.id in entries else 0,
        )
        for e in all()
        if notebook is None or e.notebook == notebook
    )
    return Progress(notebook, rows, kept())
