"""The one place that knows how a course notebook is built; slides and the site ask it.

A notebook of this course is a title cell (its title, "**What you will learn**" and a
numbered list of goals), a teacher cell (tagged ``teacher``: "**Time in class:** about N
minutes", where learners get stuck, what to ask), numbered steps (``## Step k · ...``),
(in the Chinese edition "**你将学到**" and "**课堂时间：** 约 N 分钟"),
boxes a learner should spot (``> ...``, ``### ...``), and exercises: a cell
``qk = exercises.get("NN.k")``, the learner's *answer* cell (``qk.check(...)`` or
``exercises.check_implementation(...)``), and a cell that only holds the commented-out
calls ``# qk.hint()`` / ``# qk.solution()`` (a *reveal* cell; the same calls left
uncommented and run make one too). A figure's
alt text is the ``alt`` field of its cell's metadata (nbconvert reads the same field).

>>> from pathlib import Path
>>> nb = read(Path(__file__).parents[2] / "notebooks" / "02_vocabulary.ipynb")
>>> nb.title, nb.minutes_in_class, nb.exercises[:2]  # in the order the notebook asks them
('02 · Vocabulary and token ids', 45, ['02.7', '02.1'])
>>> [nb.role(cell) for cell in nb.cells[:4]]
['title', 'teacher', 'content', 'step']
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

__all__ = ["ROLES", "TEACHER_TAG", "Notebook", "NotebookError", "read"]

TEACHER_TAG = "teacher"
#: What a cell can be, as :meth:`Notebook.role` says.
ROLES = ("title", "teacher", "reveal", "step", "box", "exercise", "answer", "content")

# the markers, in English and in the Chinese edition
_GOALS = re.compile(r"\*\*(?:What you will learn|你将学到)\*\*\s*\n(.*?)(?:\n\s*\n|\Z)", re.S)
_TIME = re.compile(
    r"\*\*(?:Time in class:|课堂时间：)\*\*\s*(?:about|约)\s*(\d+)\s*(?:minutes|分钟)"
)
_STEP = re.compile(r"#{1,2} ")
_BOX = ("### ", "> ")
# commented out, or run by mistake (``q1.solution()``: its output would show the answer)
_REVEAL = re.compile(r"(\s*(?:#[^\n]*|\w+)\.(?:hint|solution)\(\)[^\n]*\n?)+")
_REVEAL_CALL = re.compile(r"\.(?:hint|solution)\s*\(")  # print(q1.solution()), q1.hint(2)
_COMMENT = re.compile(r"#[^\n]*")
_EXERCISE = re.compile(r"\s*\w+ = exercises\.get\(\s*[\"']([^\"']+)[\"']\s*\)")
_ANSWER = re.compile(r"^\w+\.check\(|^exercises\.check_implementation\(", re.M)


class NotebookError(ValueError):
    """A file that is not a readable notebook; the message names the file and the fix."""


def source(cell: dict[str, Any]) -> str:
    """A cell's text (nbformat stores it as a string or as a list of lines)."""
    text = cell.get("source", "")
    return text if isinstance(text, str) else "".join(text)


@dataclass(frozen=True)
class Notebook:
    """A course notebook, read: its cells, their roles, and what its text says."""

    path: Path
    data: dict[str, Any]  # the notebook as nbformat's JSON

    @property
    def stem(self) -> str:
        """The name pages and links use: ``02_vocabulary``."""
        return self.path.stem

    @property
    def cells(self) -> list[dict[str, Any]]:
        return self.data["cells"]

    @cached_property
    def title(self) -> str:
        """The first line of the first cell, without its ``#``."""
        lines = source(self.cells[0]).splitlines() if self.cells else []
        return lines[0].lstrip("# ").strip() if lines else self.stem

    @cached_property
    def goals(self) -> str | None:
        """The Markdown list after "**What you will learn**" in the first cell."""
        match = _GOALS.search(source(self.cells[0])) if self.cells else None
        return match.group(1).strip() if match else None

    @cached_property
    def minutes_in_class(self) -> int | None:
        """The time the teacher notes give: "**Time in class:** about N minutes"."""
        for cell in self.cells:
            if self.role(cell) == "teacher":
                match = _TIME.search(source(cell))
                if match:
                    return int(match.group(1))
        return None

    @cached_property
    def exercises(self) -> list[str]:
        """The ids of the exercises the notebook asks, in order."""
        return [m.group(1) for cell in self.cells if (m := _exercise(cell))]

    def role(self, cell: dict[str, Any]) -> str:
        """One of :data:`ROLES`: what ``cell`` is in the course's structure."""
        text = source(cell)
        if TEACHER_TAG in cell.get("metadata", {}).get("tags", []):
            return "teacher"
        if self.cells and cell is self.cells[0]:
            return "title"
        if cell.get("cell_type") == "code":
            if _REVEAL.fullmatch(text) or _REVEAL_CALL.search(_COMMENT.sub("", text)):
                return "reveal"
            if _exercise(cell):
                return "exercise"
            return "answer" if _ANSWER.search(text) else "content"
        if cell.get("cell_type") == "markdown":
            stripped = text.lstrip()
            if _STEP.match(stripped):
                return "step"
            if stripped.startswith(_BOX):
                return "box"
        return "content"

    def student_cells(self) -> list[dict[str, Any]]:
        """The cells a learner's edition shows: no teacher notes, no reveal cells."""
        return [c for c in self.cells if self.role(c) not in ("teacher", "reveal")]

    @staticmethod
    def figure_alt(cell: dict[str, Any]) -> str | None:
        """The sentence that says what the cell's figure shows (its metadata's ``alt``)."""
        alt = cell.get("metadata", {}).get("alt")
        return alt.strip() if isinstance(alt, str) and alt.strip() else None


def _exercise(cell: dict[str, Any]) -> re.Match[str] | None:
    return _EXERCISE.match(source(cell)) if cell.get("cell_type") == "code" else None


def read(path: str | os.PathLike[str]) -> Notebook:
    """Read a notebook; a file that is not UTF-8, not JSON or not a notebook is a
    :class:`NotebookError` that names it and says what to do."""
    path = Path(path)
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as error:
        raise NotebookError(
            f"{path} is not UTF-8 text (byte {error.object[error.start]:#04x} at offset "
            f"{error.start:,}): notebooks are UTF-8 JSON; re-save it from JupyterLab"
        ) from None
    except json.JSONDecodeError as error:
        raise NotebookError(
            f"{path} is not valid JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg}): was it cut short or edited by hand? Restore it from git, or "
            f"re-save it from JupyterLab"
        ) from None
    if isinstance(data, dict) and data.get("nbformat") != 4 and "nbformat" in data:
        raise NotebookError(
            f"{path} is a notebook of nbformat {data['nbformat']!r}, not 4: open it in "
            f"JupyterLab and save it (or run `jupyter nbconvert --to notebook --inplace {path}`)"
        )
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise NotebookError(f"{path} is JSON but not a notebook (it has no list of cells)")
    for k, cell in enumerate(data["cells"]):
        if problem := _cell_problem(cell):
            raise NotebookError(
                f"{path}: cell {k} {problem}; fix it, or re-save it from JupyterLab"
            )
    return Notebook(path, data)


def _cell_problem(cell: Any) -> str | None:
    """What makes ``cell`` one this module cannot read safely, or None."""
    if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
        return "is not a code, markdown or raw cell"
    text = cell.get("source", "")
    if not isinstance(text, str) and not (
        isinstance(text, list) and all(isinstance(line, str) for line in text)
    ):
        return "has a source that is neither a string nor a list of strings"
    metadata = cell.get("metadata", {})
    if not isinstance(metadata, dict):
        return "has metadata that is not a JSON object"
    tags = metadata.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        # a string would be read letter by letter: "teacher" in "noteacher" is True
        return f'has tags {tags!r} that are not a list of strings (write "tags": ["teacher"])'
    if cell["cell_type"] == "code" and not isinstance(cell.get("outputs", []), list):
        return "has outputs that are not a list"
    return None
