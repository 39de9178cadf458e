"""The stored notebooks as the classroom uses them: slide decks, teacher notes, figures that
fit a slide, links to the book, the papers, each other and the glossary. (nbval checks
that their outputs reproduce; test_browser.py runs them in JupyterLab.)"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from llmprep.course import glossary
from llmprep.course import notebook as notebook_module
from llmprep.course.notebook import TEACHER_TAG
from llmprep.course.slides import RISE_SETTINGS, assign_slides

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = sorted((ROOT / "notebooks").glob("0*.ipynb"))
CHINESE = sorted((ROOT / "notebooks" / "zh").glob("0*.ipynb"))
PATHS = ENGLISH + CHINESE  # both editions are decks with teacher notes
#: What the teacher notes and the links say, in each edition.
MARKERS = {
    "en": ("Time in class:", "Where learners get stuck:", "Questions they ask:", "Ask the class:"),
    "zh": ("课堂时间：", "学习者容易卡住的地方：", "学习者常问的问题：", "可以问全班："),
}
BOOK = {"en": "In the book:", "zh": "书中对应："}


def edition(path: Path) -> str:
    return "zh" if path.parent.name == "zh" else "en"


def ids(path: Path) -> str:
    return f"{edition(path)}-{path.stem}"


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def text(cell: dict) -> str:
    return "".join(cell["source"])


@pytest.mark.parametrize("path", PATHS, ids=ids)
def test_each_notebook_is_a_deck_with_the_derived_slide_metadata(path) -> None:
    notebook = load(path)
    stored = [c["metadata"].get("slideshow") for c in notebook["cells"]]
    again = assign_slides(notebook_module.Notebook(path, copy.deepcopy(notebook)))
    derived = [c["metadata"]["slideshow"] for c in again["cells"]]
    assert stored == derived, f"run `llmprep slides {path.relative_to(ROOT)}` (or `make slides`)"
    assert notebook["metadata"]["rise"] == RISE_SETTINGS
    kinds = [s["slide_type"] for s in stored]
    assert kinds[0] == "slide" and kinds.count("slide") >= 5
    for cell, kind in zip(notebook["cells"], kinds, strict=True):
        if TEACHER_TAG in cell["metadata"].get("tags", []):
            assert kind == "notes"  # speaker notes, not on the learners' screen


@pytest.mark.parametrize("path", PATHS, ids=ids)
def test_each_cell_fits_a_1280_by_720_slide(path) -> None:
    """By the slides' height estimate (fitted to RISE's; test_browser.py measures every
    slide in a browser, which is slower), no cell is taller than a slide."""
    from llmprep.course.slides import SLIDE_HEIGHT, _height

    for k, cell in enumerate(load(path)["cells"]):
        if "teacher" not in cell["metadata"].get("tags", []):
            assert _height(cell) <= SLIDE_HEIGHT, f"cell {k}: about {_height(cell)} px high"


@pytest.mark.parametrize("path", PATHS, ids=ids)
def test_each_notebook_has_teacher_notes_with_the_time_it_takes(path) -> None:
    notebook = load(path)
    notes = [c for c in notebook["cells"] if TEACHER_TAG in c["metadata"].get("tags", [])]
    assert notes, "no cell tagged teacher"
    body = "\n".join(text(c) for c in notes)
    for heading in MARKERS[edition(path)]:
        assert heading in body, heading
    assert 15 <= (notebook_module.read(path).minutes_in_class or 0) <= 90


@pytest.mark.parametrize("path", PATHS, ids=ids)
def test_each_notebook_links_the_book_the_glossary_and_its_neighbours(path) -> None:
    prose = "\n".join(text(c) for c in load(path)["cells"] if c["cell_type"] == "markdown")
    assert BOOK[edition(path)] in prose and "github.com/rasbt/LLMs-from-scratch" in prose
    assert re.search(r"\]\(glossary\.md#[\w-]+\)", prose)
    number = int(path.stem[:2])
    for other in (number - 1, number + 1):
        neighbour = next((p for p in ENGLISH if p.stem.startswith(f"{other:02d}_")), None)
        if neighbour:
            assert f"]({neighbour.name})" in prose, f"no link to {neighbour.name}"
    papers = {"03_bpe": "1508.07909", "05_embeddings": "1301.3781", "06_positional": "1706.03762"}
    if path.stem in papers:
        assert papers[path.stem] in prose


def test_the_glossary_file_is_made_from_the_package() -> None:
    stored = (ROOT / "notebooks" / "glossary.md").read_text(encoding="utf-8")
    assert stored == glossary.markdown(), (
        "run `make glossary` (llmprep glossary --out notebooks/glossary.md)"
    )
    anchors = {glossary.anchor(t.name) for t in glossary.TERMS}
    for path in PATHS:
        for target in re.findall(r"glossary\.md#([\w-]+)", path.read_text(encoding="utf-8")):
            assert target in anchors, f"{path.name} links to a term the glossary lacks: {target}"
    assert all(t.chinese and t.meaning and t.notebook in glossary.NOTEBOOKS for t in glossary.TERMS)
