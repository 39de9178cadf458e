"""What ``exercises.progress()`` shows: a table of the exercises passed, tried and not
tried yet, for one notebook or all six, in a notebook (HTML) and as text, in the
language of the moment it is shown."""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass

from llmprep.course.language import Said, say

__all__ = ["Progress", "Row"]

_SYMBOL = {"passed": "✓", "tried": "✗", "not tried": "·"}


def _width(text: str) -> int:
    """Columns the text takes in a monospaced font (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` columns (``f"{text:<{width}}"`` for ASCII)."""
    return text + " " * max(width - _width(text), 0)


@dataclass(frozen=True)
class Row:
    """One exercise: its id, notebook and title, and the learner's state."""

    id: str
    notebook: str
    title: str | Said  # shown in the language of the moment (str() of it)
    passed: bool
    tries: int

    @property
    def state(self) -> str:
        return "passed" if self.passed else "tried" if self.tries else "not tried"

    @property
    def words(self) -> str:
        if self.passed:
            return say("passed", "已通过")
        if self.tries:
            return say(
                f"not yet ({self.tries} {'try' if self.tries == 1 else 'tries'})",
                f"还没通过（试过 {self.tries} 次）",
            )
        return say("not tried yet", "还没试过")


@dataclass(frozen=True)
class Progress:
    """The learner's progress in ``notebook`` ("01" ... "06"), or in all of them (None),
    as kept in their progress file."""

    notebook: str | None
    rows: tuple[Row, ...]
    kept: bool = True  # in the progress file; False: in this kernel's memory only

    @property
    def passed(self) -> int:
        return sum(row.passed for row in self.rows)

    @property
    def total(self) -> int:
        return len(self.rows)

    def _title(self) -> str:
        where = f" in notebook {self.notebook}" if self.notebook else ""
        where_zh = f"在笔记本 {self.notebook} 中" if self.notebook else ""
        if not self.kept:
            return say(
                f"Your progress{where}: {self.passed} of {self.total} exercises passed "
                f"(in this kernel's memory only: your progress file cannot be used, see "
                f"the warning about it).",
                f"你{where_zh}的进度：{self.total} 道练习中已通过 {self.passed} 道"
                f"（只保存在这个内核的内存中：进度文件无法使用，见关于它的警告）。",
            )
        return say(
            f"Your progress{where}: {self.passed} of {self.total} exercises passed "
            f"(kept between sessions).",
            f"你{where_zh}的进度：{self.total} 道练习中已通过 {self.passed} 道"
            f"（进度会保存下来，重启后仍在）。",
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
                lines.append(
                    say(
                        f"  {notebook}: {done} of {len(rows)}   {marks}",
                        f"  {notebook}：已通过 {done}/{len(rows)}   {marks}",
                    )
                )
            return "\n".join(lines)
        titles = [str(row.title) for row in self.rows]  # in the language of this moment
        width = max(_width(title) for title in titles)
        lines += [f"  {_SYMBOL[r.state]} {r.id:<9}{_pad(title, width)}  {r.words}"
                  for r, title in zip(self.rows, titles, strict=True)]  # fmt: skip
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        cells = []
        for row in self.rows:
            colour = {"passed": "#1b7837", "tried": "#b2182b"}.get(row.state, "#555555")
            cells.append(
                f"<tr><td>{row.notebook}</td><td><b>{html.escape(row.id)}</b></td>"
                f"<td>{html.escape(str(row.title))}</td>"
                f'<td style="color:{colour}">{_SYMBOL[row.state]} {html.escape(row.words)}'
                f"</td></tr>"
            )
        heads = (
            say("notebook", "笔记本"),
            say("exercise", "练习"),
            say("title", "标题"),
            say("state", "状态"),
        )
        return (
            f"<div><b>{html.escape(self._title())}</b>"
            f'<table style="margin:4px 0"><thead><tr>'
            + "".join(f"<th>{head}</th>" for head in heads)
            + f"</tr></thead><tbody>{''.join(cells)}</tbody></table></div>"
        )
