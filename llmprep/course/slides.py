"""The notebooks as slide decks (RISE in JupyterLab): which cell starts a slide.

The same notebook is the deck: each cell carries RISE's ``slideshow`` metadata, which
:func:`assign_slides` derives from the notebook itself. A step (``## ...``) starts a slide,
an exercise or a box a learner should spot (``> ...``) starts a sub-slide, a figure gets a
sub-slide of its own, and a slide that would grow past what a 1280 x 720 screen shows is
continued on a sub-slide. Teacher notes become speaker notes; the cells that only reveal
hints and solutions are skipped.

Run ``llmprep slides notebooks/*.ipynb`` after editing a notebook; a test checks that every
notebook's metadata is what this module derives. What a cell is (a step, a box, an
exercise, a teacher note) comes from :mod:`llmprep.course.notebook`.
"""

from __future__ import annotations

import base64
import json
import os
import re
import struct
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from llmprep._files import in_place, replace_with, temporary_file
from llmprep.course.display import Source
from llmprep.course.fonts import CJK
from llmprep.course.notebook import Notebook, read, source

__all__ = ["RISE_SETTINGS", "SLIDE_HEIGHT", "assign_slides", "slide_type", "write_slides"]

#: The deck's settings, in the notebook's metadata (RISE reads them).
RISE_SETTINGS = {
    "width": 1280,
    "height": 720,
    "scroll": True,
    "theme": "simple",
    "transition": "none",
    "start_slideshow_at": "beginning",
}
#: What a slide shows: 684 px of content in a 1280 x 720 deck (measured in RISE).
SLIDE_HEIGHT = 684
_BUDGET = 600  # px that several cells may fill together: the estimate errs by up to ~90 px
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_LINE_TAGS = ("<li", "<tr", "<p", "<br", "<pre")


def _png_height(data: str, width: int = 1150) -> int:
    """Displayed height of a PNG output, scaled down to the slide's width."""
    raw = base64.b64decode(data)
    w, h = struct.unpack(">II", raw[16:24])
    return int(h * min(1.0, width / w))


def _width(line: str) -> int:
    """A line's width in Latin characters: a CJK character is about two of them wide."""
    return len(line) + len(CJK.findall(line))


def _height(cell: dict[str, Any]) -> int:
    """A cell's height on a slide in px, estimated from its lines, outputs and figures.

    The factors were fitted (least squares) to the heights of all cells of the six
    decks measured in RISE in Chromium at 1280 x 720; tests/test_browser.py measures
    every slide again and fails on one that overflows.
    """
    text = source(cell)
    wrapped = sum(1 + _width(line) // 95 for line in text.splitlines())
    if cell["cell_type"] == "markdown":
        boxes = text.count("\n>") + text.startswith(">")
        headings = text.count("\n#") + text.startswith("#")
        return int(16 * wrapped + 20 * headings + 6 * boxes + 24)
    height = 16 * len(text.splitlines()) + 52
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "image/png" in data:
            height += int(1.1 * _png_height("".join(data["image/png"])))
        elif output.get("output_type") == "error":
            lines = sum(_ANSI.sub("", line).count("\n") + 1 for line in output["traceback"])
            height += 17 * lines
        else:
            shown = "".join(
                output.get("text", data.get("text/markdown", data.get("text/plain", [])))
            )
            lines = sum(1 + _width(line) // 100 for line in shown.splitlines()) or 1  # wrapped
            markup = "".join(data.get("text/html", []))
            if Source.SCROLLING in markup:
                lines = Source.MAX_LINES + 2  # a listing that scrolls in its box
            elif markup:  # its own lines: list items, rows, paragraphs, breaks
                lines = max(lines, sum(markup.count(tag) for tag in _LINE_TAGS) + 1)
            height += 17 * lines
    return height


_KIND = {"teacher": "notes", "reveal": "skip", "title": "slide", "step": "slide"}


def slide_type(role: str, cell: dict[str, Any], used: int) -> str:
    """RISE's slide type for ``cell`` of the given role (:meth:`Notebook.role`), given the
    height already ``used`` on this slide."""
    if role in _KIND:
        return _KIND[role]
    has_figure = any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
    if role in ("box", "exercise") or has_figure or used + _height(cell) > _BUDGET:
        return "subslide"
    return "-"


def assign_slides(notebook: Notebook) -> dict[str, Any]:
    """Set every cell's ``slideshow`` metadata and the deck's settings; return the
    notebook's JSON."""
    used = 0
    for cell in notebook.cells:
        kind = slide_type(notebook.role(cell), cell, used)
        cell.setdefault("metadata", {})["slideshow"] = {"slide_type": kind}
        if kind in ("slide", "subslide"):
            used = _height(cell)
        elif kind == "-":
            used += _height(cell)
    notebook.data.setdefault("metadata", {})["rise"] = dict(RISE_SETTINGS)
    return notebook.data


def write_slides(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Derive the slide metadata of each notebook and save it in place (as nbformat
    writes JSON); return a line per notebook saying how many slides it has."""
    report, decks = [], []
    for name in paths:  # every notebook is read before any is saved: one bad, none changed
        path = Path(name)
        if path.is_dir():
            raise IsADirectoryError(f"{path} is a folder: name its notebooks ({path}/*.ipynb)")
        data = assign_slides(read(path))
        target, mode = in_place(path)  # a link stays a link; the file keeps its permissions
        decks.append((path, data, target, mode))
    for path, data, target, mode in decks:
        text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False)
        with temporary_file(target, "w") as (f, tmp):  # an interrupted save keeps the notebook
            f.write(text + "\n")
            f.close()
            replace_with(tmp, target, mode)
        kinds = [c["metadata"]["slideshow"]["slide_type"] for c in data["cells"]]
        report.append(
            f"{path}: {kinds.count('slide')} slides, {kinds.count('subslide')} sub-slides"
        )
    return report
