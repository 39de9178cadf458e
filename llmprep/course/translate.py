"""The Chinese edition, made from the English notebooks: one source, two editions.

``notebooks/zh/translations/NN_name.json`` holds, for each text cell of the English
notebook ``NN_name.ipynb`` (by cell id), the English text it was made from and its
translation; a figure's alt text likewise. :func:`build` writes
``notebooks/zh/NN_name.ipynb``: the English cells in their order, each text cell
translated, each code cell the same, except that the first cell says the edition's
language (``setup_notebook("01", language="zh")``), which the exercises and figures
follow. The Chinese notebooks are never edited by hand; ``make zh`` builds and runs them.

:func:`problems` names what keeps a translation from being complete: a text cell with no
translation, or one whose English changed since it was translated (the file records
what it was made from). ``llmprep translate --update`` adds those cells to the files,
with the English to translate, for a translator to fill in.
"""

from __future__ import annotations

import copy
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llmprep._files import replace_with, temporary_file
from llmprep.course.notebook import Notebook, read, source

__all__ = ["FORMAT", "Translation", "build", "problems", "setup_line", "update"]

FORMAT = "llmprep.translation"
LANGUAGE = "zh"
_SETUP = re.compile(r'setup_notebook\("(\d\d)"\)')


def setup_line(code: str, language: str = LANGUAGE) -> str:
    """The first cell's code in the edition of ``language``.

    >>> setup_line('x = 1\\nsetup_notebook("03")  # figures')
    'x = 1\\nsetup_notebook("03", language="zh")  # figures'
    """
    return _SETUP.sub(lambda m: f'setup_notebook("{m.group(1)}", language="{language}")', code)


def _lines(text: str) -> list[str]:
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _translatable(cell: dict[str, Any]) -> bool:
    return cell.get("cell_type") == "markdown"


@dataclass
class Translation:
    """One notebook's translation file: cell id -> {"en", "zh", and "alt_en", "alt_zh"
    for a figure's alt text}."""

    path: Path
    notebook: str
    cells: dict[str, dict[str, Any]]

    @classmethod
    def load(cls, path: Path, notebook: str) -> Translation:
        if not path.is_file():
            return cls(path, notebook, {})
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as error:
            raise ValueError(f"{path} is not a translation file (not JSON: {error})") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f'{path} is not a translation file (no "format": "{FORMAT}")')
        entries = data.get("cells", [])
        if not isinstance(entries, list) or not all(
            isinstance(e, dict) and isinstance(e.get("id"), str) for e in entries
        ):
            raise ValueError(f"{path}: cells must be a list of objects with an id")
        return cls(path, notebook, {e["id"]: e for e in entries})

    def save(self, order: list[str]) -> None:
        ordered = [self.cells[i] for i in order if i in self.cells]
        ordered += [e for i, e in self.cells.items() if i not in order]
        data = {"format": FORMAT, "language": LANGUAGE, "notebook": self.notebook,
                "cells": ordered}  # fmt: skip
        with temporary_file(self.path, "w") as (f, tmp):
            f.write(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
            f.close()
            replace_with(tmp, self.path)


def _text(entry: dict[str, Any], key: str) -> str | None:
    value = entry.get(key)
    if isinstance(value, list):
        return "".join(value)
    return value if isinstance(value, str) else None


def _folder(english: Path) -> Path:
    return english.parent / LANGUAGE


def translation_of(english: Notebook) -> Translation:
    path = _folder(english.path) / "translations" / f"{english.stem}.json"
    return Translation.load(path, english.path.name)


def problems(english: Notebook) -> list[str]:
    """What is missing or out of date in the translation of ``english`` ([] if none)."""
    found = []
    tr = translation_of(english)
    for k, cell in enumerate(english.cells):
        if not _translatable(cell):
            continue
        entry = tr.cells.get(cell.get("id", ""))
        where = f"{english.path.name}, cell {k} (id {cell.get('id')})"
        if entry is None or not _text(entry, "zh"):
            found.append(f"{where}: no translation")
        elif _text(entry, "en") != source(cell) or "en_before" in entry:
            found.append(f"{where}: the English changed since it was translated")
    for k, cell in enumerate(english.cells):  # figures are drawn by code cells
        alt = Notebook.figure_alt(cell)
        if cell.get("cell_type") == "code" and alt:
            entry = tr.cells.get(cell.get("id", ""), {})
            if _text(entry, "alt_en") != alt or not _text(entry, "alt_zh") or "alt_before" in entry:
                found.append(
                    f"{english.path.name}, cell {k} (id {cell.get('id')}): its figure's alt "
                    f"text has no current translation"
                )
    return found


def update(english: Notebook) -> int:
    """Add every cell that :func:`problems` names to the translation file, with its
    English (``en``) and the translation to write (``zh``: the old one, or null). Where
    the English changed, ``en_before`` (``alt_before``) keeps the text the old translation
    was made from; the cell counts as out of date until the translator deletes it.
    Return how many cells were added or changed."""
    tr = translation_of(english)
    touched = 0
    for cell in english.cells:
        alt = Notebook.figure_alt(cell)
        wanted = _translatable(cell) or (cell.get("cell_type") == "code" and alt)
        if not wanted:
            continue
        entry = tr.cells.setdefault(cell["id"], {"id": cell["id"]})
        if _translatable(cell) and _text(entry, "en") != source(cell):
            if "en" in entry:
                entry["en_before"] = entry["en"]
            entry["en"] = _lines(source(cell))
            entry.setdefault("zh", None)
            touched += 1
        if alt and _text(entry, "alt_en") != alt:
            if "alt_en" in entry:
                entry["alt_before"] = entry["alt_en"]
            entry["alt_en"] = alt
            entry.setdefault("alt_zh", None)
            touched += 1
    tr.save([c["id"] for c in english.cells if "id" in c])
    return touched


def build(english: Notebook) -> Path:
    """Write the Chinese notebook of ``english`` (no outputs: ``make zh`` runs it);
    ValueError listing what is missing if the translation is not complete."""
    missing = problems(english)
    if missing:
        raise ValueError(
            f"the translation of {english.path.name} is not complete ({len(missing)} "
            f"cell(s)): run `llmprep translate --update`, translate what it adds to "
            f"{translation_of(english).path}, and build again:\n  " + "\n  ".join(missing)
        )
    tr = translation_of(english)
    data = copy.deepcopy(english.data)
    setup_done = False
    for cell in data["cells"]:
        entry = tr.cells.get(cell.get("id", ""), {})
        if _translatable(cell):
            cell["source"] = _lines(_text(entry, "zh") or "")
        elif cell["cell_type"] == "code":
            code = source(cell)
            if not setup_done and _SETUP.search(code):
                cell["source"], setup_done = _lines(setup_line(code)), True
            cell["outputs"], cell["execution_count"] = [], None
        if "alt" in cell.get("metadata", {}):
            cell["metadata"]["alt"] = _text(entry, "alt_zh")
    data.setdefault("metadata", {})["llmprep"] = {
        "language": LANGUAGE,
        "edition_of": f"../{english.path.name}",
    }
    out = _folder(english.path) / english.path.name
    with temporary_file(out, "w") as (f, tmp):
        f.write(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
        f.close()
        replace_with(tmp, out)
    return out


def english_notebooks(folder: str | os.PathLike[str]) -> list[Notebook]:
    paths = sorted(Path(folder).glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        raise FileNotFoundError(f"no notebooks (NN_name.ipynb) in {folder}")
    return [read(p) for p in paths]
