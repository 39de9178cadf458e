"""The notebooks as slide decks (RISE in JupyterLab): which cell starts a slide.

The same notebook is the deck: each cell carries RISE's ``slideshow`` metadata, which
:func:`assign_slides` derives from the notebook itself. A step (``## ...``) starts a slide,
an exercise or a box a learner should spot (``> ...``) starts a sub-slide, a figure gets a
sub-slide of its own, and a slide that would grow past what a 1280 x 720 screen shows is
continued on a sub-slide. Teacher notes become speaker notes; the cells that only reveal
hints and solutions are skipped.

Run ``python -m llmprep.slides notebooks/*.ipynb`` after editing a notebook; a test checks
that every notebook's metadata is what this module derives.
"""

from __future__ import annotations

import base64
import json
import re
import struct
import sys
from pathlib import Path
from typing import Any

__all__ = ["RISE_SETTINGS", "assign_slides", "slide_type"]

#: The deck's settings, in the notebook's metadata (RISE reads them).
RISE_SETTINGS = {
    "width": 1280,
    "height": 720,
    "scroll": True,
    "theme": "simple",
    "transition": "none",
    "start_slideshow_at": "beginning",
}
_BUDGET = 600  # px of a 720 px slide that content may fill (title bar and margins aside)


def _png_height(data: str, width: int = 1150) -> int:
    """Displayed height of a PNG output, scaled down to the slide's width."""
    raw = base64.b64decode(data)
    w, h = struct.unpack(">II", raw[16:24])
    return int(h * min(1.0, width / w))


def _height(cell: dict[str, Any]) -> int:
    """A rough height in pixels: lines of text, code and output, and figures."""
    source = "".join(cell["source"])
    lines = sum(1 + len(line) // 95 for line in source.splitlines())
    if cell["cell_type"] == "markdown":
        return 30 * lines + 50 * source.count("\n#") + 20
    height = 24 * lines + 30
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "image/png" in data:
            height += _png_height("".join(data["image/png"]))
        else:
            text = "".join(output.get("text", data.get("text/plain", [])))
            height += 20 * min(text.count("\n") + 1, 40) + 10
    return height


def slide_type(cell: dict[str, Any], used: int) -> str:
    """RISE's slide type for ``cell``, given the height already ``used`` on this slide."""
    source = "".join(cell["source"]).lstrip()
    if "teacher" in cell.get("metadata", {}).get("tags", []):
        return "notes"
    if cell["cell_type"] == "code" and re.fullmatch(r"(#[^\n]*\n?\s*)+", source):
        return "skip"  # commented-out hint()/solution(): nothing to show
    if cell["cell_type"] == "markdown" and re.match(r"#{1,2} ", source):
        return "slide"
    starts_something = (cell["cell_type"] == "markdown" and source.startswith(("### ", "> "))) or (
        cell["cell_type"] == "code" and re.match(r"\w+ = exercises\.get\(", source)
    )
    has_figure = any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
    if starts_something or has_figure or used + _height(cell) > _BUDGET:
        return "subslide"
    return "-"


def assign_slides(notebook: dict[str, Any]) -> dict[str, Any]:
    """Set every cell's ``slideshow`` metadata and the deck's settings; return the notebook."""
    used = 0
    for cell in notebook["cells"]:
        kind = slide_type(cell, used)
        cell.setdefault("metadata", {})["slideshow"] = {"slide_type": kind}
        if kind in ("slide", "subslide"):
            used = _height(cell)
        elif kind == "-":
            used += _height(cell)
    notebook["metadata"]["rise"] = dict(RISE_SETTINGS)
    return notebook


if __name__ == "__main__":
    for name in sys.argv[1:]:
        path = Path(name)
        notebook = assign_slides(json.loads(path.read_text(encoding="utf-8")))
        text = json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False)  # as nbformat
        path.write_text(text + "\n", encoding="utf-8")
        kinds = [c["metadata"]["slideshow"]["slide_type"] for c in notebook["cells"]]
        print(f"{path}: {kinds.count('slide')} slides, {kinds.count('subslide')} sub-slides")
