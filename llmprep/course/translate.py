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
what it was made from), or a title or teacher cell whose translation lost the markers
its English has (the goals, the time in class: :mod:`~llmprep.course.notebook` reads the
structure from them). ``llmprep translate --update`` adds those cells to the files, with
the English to translate, for a translator to fill in; it keeps the rest of a file (a
translator's own fields, entries nothing uses, which ``--check`` names: :func:`leftovers`).
"""

from __future__ import annotations

import copy
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llmprep._files import replace_with, temporary_file
from llmprep.course.notebook import _GOALS, _TIME, Notebook, read, source

__all__ = [
    "FORMAT",
    "Translation",
    "build",
    "leftovers",
    "problems",
    "setup_line",
    "update",
    "without_ids",
]

FORMAT = "llmprep.translation"
LANGUAGE = "zh"
_SETUP = re.compile(r'setup_notebook\("(\d\d)"\)')
#: The fields of a cell's entry that hold a text: a string, a list of lines, or null.
_TEXTS = ("en", "zh", "en_before", "alt_en", "alt_zh", "alt_before")
#: How to give a notebook's cells their ids (nbformat 4.5), checked with nbformat 5.
ADD_IDS = (
    'python -c "import nbformat, sys; p = sys.argv[1]; '
    'nbformat.write(nbformat.v4.upgrade(nbformat.read(p, as_version=4)), p)" NOTEBOOK'
)


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
    #: The file's other top-level fields (a translator's "translator", "notes"...): kept.
    extra: dict[str, Any] = field(default_factory=dict)

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
        cells: dict[str, dict[str, Any]] = {}
        for entry in entries:
            if entry["id"] in cells:
                raise ValueError(
                    f"{path}: the id {entry['id']!r} is there twice: keep one of its entries "
                    f"(only one translation of a cell can be used)"
                )
            for key in _TEXTS:
                value = entry.get(key)
                if not (
                    value is None
                    or isinstance(value, str)
                    or (isinstance(value, list) and all(isinstance(v, str) for v in value))
                ):
                    raise ValueError(
                        f"{path}: the cell with id {entry['id']!r} has a {key!r} that is not a "
                        f"text (a string, or a list of strings, one per line): "
                        f"{json.dumps(value, ensure_ascii=False)[:80]}"
                    )
            cells[entry["id"]] = entry
        known = ("format", "language", "notebook", "cells")
        return cls(path, notebook, cells, {k: v for k, v in data.items() if k not in known})

    def save(self, order: list[str]) -> None:
        ordered = [self.cells[i] for i in order if i in self.cells]
        ordered += [e for i, e in self.cells.items() if i not in order]
        data = {"format": FORMAT, "language": LANGUAGE, "notebook": self.notebook,
                **self.extra, "cells": ordered}  # fmt: skip
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


def without_ids(english: Notebook) -> str | None:
    """What to do where cells of ``english`` have no id (None if all have one)."""
    missing = [k for k, cell in enumerate(english.cells) if not isinstance(cell.get("id"), str)]
    if not missing:
        return None
    return (
        f"{english.path.name}: {len(missing)} cell(s) have no id (cell "
        f"{', '.join(map(str, missing[:5]))}{', ...' if len(missing) > 5 else ''}), and a "
        f"translation is matched to its cell by id (nbformat 4.5): add the ids with\n  "
        + ADD_IDS.replace("NOTEBOOK", str(english.path))
    )


#: The markers a notebook's structure is read from (:mod:`~llmprep.course.notebook`), in
#: the cells that hold them: what a translation of that cell must carry too.
_MARKERS = {
    "title": (_GOALS, '"**你将学到**", then the list of goals'),
    "teacher": (_TIME, '"**课堂时间：** 约 N 分钟"'),
}


def _lost_markers(english: Notebook, cell: dict[str, Any], zh: str) -> str | None:
    """What structure the translation ``zh`` of ``cell`` loses (its goals, its time in
    class), or None."""
    marker = _MARKERS.get(english.role(cell))
    if marker is None:
        return None
    pattern, wanted = marker
    there, here = pattern.search(source(cell)), pattern.search(zh)
    if there is None:
        return None
    if here is None:
        return f"the translation lost a marker the English has: write it as {wanted}"
    if pattern is _TIME and here.group(1) != there.group(1):
        return f"the translation says {here.group(1)} minutes, the English {there.group(1)}"
    return None


def problems(english: Notebook) -> list[str]:
    """What is missing or out of date in the translation of ``english`` ([] if none): a
    text cell with no translation or a changed English, a figure's alt text likewise, a
    title or teacher cell whose translation lost the markers of its goals or its time."""
    no_ids = without_ids(english)
    if no_ids:
        return [no_ids]
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
        elif lost := _lost_markers(english, cell, _text(entry, "zh") or ""):
            found.append(f"{where}: {lost}")
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


def leftovers(english: Notebook) -> list[str]:
    """Entries of the translation file of ``english`` that nothing uses: a cell id no
    longer in the English (stale), a translation of a code cell (code is not translated).
    They do not change the Chinese notebook; ``--check`` names them, for deletion."""
    tr = translation_of(english)
    cells = {cell.get("id"): (k, cell) for k, cell in enumerate(english.cells)}
    found = []
    for id_, entry in tr.cells.items():
        if id_ not in cells:
            found.append(
                f"{tr.path.name}: id {id_}: stale, no cell of {english.path.name} has this id "
                f"(reuse its translation where the cell went, then delete the entry)"
            )
            continue
        k, cell = cells[id_]
        if cell.get("cell_type") != "markdown" and ("zh" in entry or "en" in entry):
            found.append(
                f"{english.path.name}, cell {k} (id {id_}) is a {cell.get('cell_type')} cell, "
                f'whose text is not translated (the edition keeps the code): delete its "en" '
                f'and "zh" from {tr.path.name}'
            )
    return found


def update(english: Notebook) -> int:
    """Add every cell that :func:`problems` names to the translation file, with its
    English (``en``) and the translation to write (``zh``: the old one, or null). Where
    the English changed, ``en_before`` (``alt_before``) keeps the text the old translation
    was made from; the cell counts as out of date until the translator deletes it.
    Where the English changes again before that, ``en_before`` keeps the oldest: the
    text the translation was made from. Entries of cells no longer in the English are kept
    (:func:`leftovers` names them). Return how many cells were added or changed."""
    no_ids = without_ids(english)
    if no_ids:
        raise ValueError(no_ids)
    tr = translation_of(english)
    touched = 0
    for cell in english.cells:
        alt = Notebook.figure_alt(cell)
        wanted = _translatable(cell) or (cell.get("cell_type") == "code" and alt)
        if not wanted:
            continue
        entry = tr.cells.setdefault(cell["id"], {"id": cell["id"]})
        if _translatable(cell) and _text(entry, "en") != source(cell):
            if "en" in entry and "en_before" not in entry:  # the oldest: what zh is made from
                entry["en_before"] = entry["en"]
            entry["en"] = _lines(source(cell))
            entry.setdefault("zh", None)
            touched += 1
        if alt and _text(entry, "alt_en") != alt:
            if "alt_en" in entry and "alt_before" not in entry:
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
