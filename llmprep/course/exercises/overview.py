"""What ``exercises.progress()`` shows: a table of the exercises passed, tried and not
tried yet, for one notebook or all six, in a notebook (HTML) and as text."""

from __future__ import annotations

import html
from dataclasses import dataclass

__all__ = ["Progress", "Row"]

_SYMBOL = {"passed": "✓", "tried": "✗", "not tried": "·"}


@dataclass(frozen=True)
class Row:
    """One exercise: its id, notebook and title, and the learner's state."""

    id: str
    notebook: str
    title: str
    passed: bool
    tries: int

    @property
    def state(self) -> str:
        return "passed" if self.passed else "tried" if self.tries else "not tried"

    @property
    def words(self) -> str:
        if self.passed:
            return "passed"
        if self.tries:
            return f"not yet ({self.tries} {'try' if self.tries == 1 else 'tries'})"
        return "not tried yet"


@dataclass(frozen=True)
class Progress:
    """The learner's progress in ``notebook`` ("01" ... "06"), or in all of them (None),
    as kept in their progress file."""

    notebook: str | None
    rows: tuple[Row, ...]

    @property
    def passed(self) -> int:
        return sum(row.passed for row in self.rows)

    @property
    def total(self) -> int:
        return len(self.rows)

    def _title(self) -> str:
        where = f" in notebook {self.notebook}" if self.notebook else ""
        return (
            f"Your progress{where}: {self.passed} of {self.total} exercises passed "
            f"(kept between sessions)."
        )

    def _notebooks(self) -> list[str]:
        return sorted({row.notebook for row in self.rows})

    def __repr__(self) -> str:
        lines = [self._title()]
        if self.notebook is None:  # all notebooks: one line each
            for notebook in self._notebooks():
                rows = [r for r in self.rows if r.notebook == notebook]
                marks = "  ".join(f"{_SYMBOL[r.state]} {r.id}" for r in rows)
                done = sum(r.passed for r in rows)
                lines.append(f"  {notebook}: {done} of {len(rows)}   {marks}")
            return "\n".join(lines)
        width = max(len(row.title) for row in self.rows)
        lines += [f"  {_SYMBOL[r.state]} {r.id:<9}{r.title:<{width}}  {r.words}" for r in self.rows]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        cells = []
        for row in self.rows:
            colour = {"passed": "#1b7837", "tried": "#b2182b"}.get(row.state, "#555555")
            cells.append(
                f"<tr><td>{row.notebook}</td><td><b>{html.escape(row.id)}</b></td>"
                f"<td>{html.escape(row.title)}</td>"
                f'<td style="color:{colour}">{_SYMBOL[row.state]} {html.escape(row.words)}'
                f"</td></tr>"
            )
        return (
            f"<div><b>{html.escape(self._title())}</b>"
            f'<table style="margin:4px 0"><thead><tr><th>notebook</th><th>exercise</th>'
            f"<th>title</th><th>state</th></tr></thead><tbody>{''.join(cells)}</tbody>"
            f"</table></div>"
        )
