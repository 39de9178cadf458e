"""One source, two editions: the Chinese notebooks are made from the English ones and one
translation file per notebook, which records the English each translation was made
from; what is untranslated or out of date is named, and nothing is built from it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llmprep import cli
from llmprep.course import translate
from llmprep.course.notebook import read, source


def cell(kind: str, text: str, id_: str, **metadata) -> dict:
    made = {"cell_type": kind, "id": id_, "metadata": metadata, "source": text}
    if kind == "code":
        made |= {"execution_count": 3, "outputs": [{"output_type": "stream", "name": "stdout",
                                                     "text": "out\n"}]}  # fmt: skip
    return made


@pytest.fixture
def english(tmp_path) -> Path:
    notebook = {
        "cells": [
            cell("markdown", "# 01 · Tokens\n\n**What you will learn**\n\n1. to split\n", "t"),
            cell("markdown", "> **For the teacher**", "n", tags=["teacher"]),
            cell(
                "code", 'from llmprep.course.setup import setup_notebook\nsetup_notebook("01")', "s"
            ),
            cell("code", "plot()", "f", alt="A bar chart of counts"),
            cell("markdown", "## Step 1 · Split", "m"),
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "notebooks" / "01_tokens.ipynb"
    path.parent.mkdir()
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return path


def fill(path: Path, **translations: str) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data["cells"]:
        if entry["id"] in translations:
            entry["zh"] = translations[entry["id"]]
        if "alt_en" in entry:
            entry["alt_zh"] = "计数的条形图"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_missing_translation_is_named_and_nothing_is_built(english) -> None:
    book = read(english)
    found = translate.problems(book)
    assert len(found) == 4 and all("01_tokens.ipynb, cell" in f for f in found)  # 3 texts, 1 alt
    with pytest.raises(ValueError, match="not complete"):
        translate.build(book)
    assert not (english.parent / "zh" / "01_tokens.ipynb").exists()


def test_update_then_build_makes_the_chinese_notebook(english) -> None:
    book = read(english)
    assert translate.update(book) == 4
    file = english.parent / "zh" / "translations" / "01_tokens.json"
    entries = json.loads(file.read_text(encoding="utf-8"))["cells"]
    assert [e["id"] for e in entries] == ["t", "n", "f", "m"]  # in the notebook's order
    assert all(e.get("zh", "x") is None for e in entries if "en" in e)  # to translate
    title = "# 01 · 词元\n\n**你将学到**\n\n1. 切分\n"
    fill(file, t=title, n="> **教师提示**", m="## 第 1 步 · 切分")
    assert translate.problems(book) == []
    built = read(translate.build(book))
    texts = [source(c) for c in built.cells if c["cell_type"] == "markdown"]
    assert texts == [title, "> **教师提示**", "## 第 1 步 · 切分"]
    codes = [source(c) for c in built.cells if c["cell_type"] == "code"]
    assert codes == [
        'from llmprep.course.setup import setup_notebook\nsetup_notebook("01", language="zh")',
        "plot()",
    ]
    assert all(c["outputs"] == [] for c in built.cells if c["cell_type"] == "code")
    assert built.cells[3]["metadata"]["alt"] == "计数的条形图"
    assert built.cells[1]["metadata"]["tags"] == ["teacher"]
    assert built.data["metadata"]["llmprep"]["language"] == "zh"
    assert built.title == "01 · 词元" and built.goals == "1. 切分"


def test_an_english_change_makes_its_translation_out_of_date(english, capsys) -> None:
    book = read(english)
    translate.update(book)
    file = english.parent / "zh" / "translations" / "01_tokens.json"
    fill(
        file,
        t="# 01 · 词元\n\n**你将学到**\n\n1. 切分\n",
        n="> **教师提示**",
        m="## 第 1 步 · 切分",
    )
    data = json.loads(english.read_text(encoding="utf-8"))
    data["cells"][4]["source"] = "## Step 1 · Split the text"
    english.write_text(json.dumps(data), encoding="utf-8")
    book = read(english)
    assert translate.problems(book) == [
        "01_tokens.ipynb, cell 4 (id m): the English changed since it was translated"
    ]
    assert cli.main(["translate", str(english.parent), "--check"]) == 1
    assert "1 cell(s) not translated or out of date" in capsys.readouterr().err
    translate.update(book)
    entry = next(e for e in json.loads(file.read_text(encoding="utf-8"))["cells"]
                 if e["id"] == "m")  # fmt: skip
    assert "".join(entry["en"]) == "## Step 1 · Split the text"
    assert "".join(entry["en_before"]) == "## Step 1 · Split" and entry["zh"] == "## 第 1 步 · 切分"
    assert len(translate.problems(book)) == 1  # still out of date: en_before says so
    del entry["en_before"]  # what a translator does once the Chinese is updated
    data = json.loads(file.read_text(encoding="utf-8"))
    data["cells"] = [entry if e["id"] == "m" else e for e in data["cells"]]
    file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert translate.problems(read(english)) == []


def test_a_damaged_translation_file_is_named(english) -> None:
    file = english.parent / "zh" / "translations" / "01_tokens.json"
    file.parent.mkdir(parents=True)
    file.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="01_tokens.json is not a translation file"):
        translate.problems(read(english))


# ---- the Chinese edition of this repository ------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _sources(notebook) -> list[tuple[str, str]]:
    return [(c["cell_type"], source(c)) for c in notebook.cells]


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_the_chinese_edition_is_complete_and_made_from_the_english(path, tmp_path) -> None:
    english = read(path)
    assert translate.problems(english) == [], "run `llmprep translate --update` and translate"
    chinese = read(path.parent / "zh" / path.name)
    # the stored Chinese notebook is what the English and the translation make, never a
    # hand edit: build it again elsewhere and compare the cells' sources and metadata
    copy = tmp_path / "notebooks"
    (copy / "zh" / "translations").mkdir(parents=True)
    (copy / path.name).write_bytes(path.read_bytes())
    file = path.parent / "zh" / "translations" / f"{path.stem}.json"
    (copy / "zh" / "translations" / file.name).write_bytes(file.read_bytes())
    rebuilt = read(translate.build(read(copy / path.name)))
    assert _sources(chinese) == _sources(rebuilt), "run `make zh`"
    kept = ("tags", "alt")
    assert [{k: c["metadata"].get(k) for k in kept} for c in chinese.cells] == [
        {k: c["metadata"].get(k) for k in kept} for c in rebuilt.cells
    ]
    # the two editions' code is the same, but for the language the first cell speaks
    codes = [s for kind, s in _sources(english) if kind == "code"]
    chinese_codes = [s for kind, s in _sources(chinese) if kind == "code"]
    assert [translate.setup_line(c) for c in codes] == chinese_codes
    assert sum('language="zh"' in c for c in chinese_codes) == 1
    assert chinese.data["metadata"]["llmprep"]["language"] == "zh"


def test_the_chinese_glossary_file_is_made_from_the_package() -> None:
    from llmprep.course import glossary

    stored = (ROOT / "notebooks" / "zh" / "glossary.md").read_text(encoding="utf-8")
    assert stored == glossary.markdown(language="zh"), "run `make glossary`"
    assert all(t.meaning_zh for t in glossary.TERMS)


TRANSLATIONS = sorted((ROOT / "notebooks" / "zh" / "translations").glob("*.json"))


@pytest.mark.parametrize("path", TRANSLATIONS, ids=lambda p: p.stem)
def test_every_translated_cell_renders_its_emphasis(path) -> None:
    """Markdown emphasis that ends in Chinese punctuation right before a character does not
    render (TRANSLATING.md): no `*` may be left over in the rendered text."""
    import re

    from llmprep.course.site_html import page_markdown

    for entry in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        text = "".join(entry.get("zh") or [])
        rendered = re.sub(r"<code>.*?</code>|<pre>.*?</pre>", "", page_markdown(text), flags=re.S)
        left = re.sub(r"<[^>]+>", "", rendered)
        assert not re.search(r"\*\*|(?<![\w*])\*(?=\S)", left), (entry["id"], left[:200])


# ---- a translator's file, handled with care ------------------------------------------


def _file(english: Path) -> Path:
    return english.parent / "zh" / "translations" / "01_tokens.json"


def _edit(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _translated(english: Path) -> Path:
    translate.update(read(english))
    fill(
        _file(english),
        t="# 01 · 词元\n\n**你将学到**\n\n1. 切分\n",
        n="> **教师提示**",
        m="## 第 1 步",
    )
    assert translate.problems(read(english)) == []
    return _file(english)


def test_an_english_changed_twice_keeps_the_text_the_chinese_was_made_from(english) -> None:
    file = _translated(english)

    def change(text: str, alt: str):
        def edit(data: dict) -> None:
            data["cells"][4]["source"] = text
            data["cells"][3]["metadata"]["alt"] = alt

        return edit

    for text, alt in (("## Step 1 · Split it", "Counts, as bars"), ("## Step 1 · Cut", "Bars")):
        _edit(english, change(text, alt))
        translate.update(read(english))
    entries = {e["id"]: e for e in json.loads(file.read_text(encoding="utf-8"))["cells"]}
    assert "".join(entries["m"]["en_before"]) == "## Step 1 · Split"  # the oldest
    assert "".join(entries["m"]["en"]) == "## Step 1 · Cut"
    assert (
        entries["f"]["alt_before"] == "A bar chart of counts" and entries["f"]["alt_en"] == "Bars"
    )


def test_a_translators_own_fields_are_kept(english) -> None:
    file = _translated(english)
    _edit(file, lambda d: d.update(translator="Li Wei", notes="keep me"))
    _edit(english, lambda d: d["cells"][4].update(source="## Step 1 · Cut"))
    translate.update(read(english))
    data = json.loads(file.read_text(encoding="utf-8"))
    assert data["translator"] == "Li Wei" and data["notes"] == "keep me"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["cells"].append(dict(d["cells"][0], zh="# WRONG")),
            "the id 't' is there twice",
        ),
        (
            lambda d: d["cells"][0].update(zh=[1, 2]),
            "the cell with id 't' has a 'zh' that is not a",
        ),
        (
            lambda d: d["cells"][0].update(en={"a": 1}),
            "the cell with id 't' has a 'en' that is not",
        ),
    ],
    ids=["duplicate-id", "zh-not-text", "en-not-text"],
)
def test_a_damaged_entry_is_named_with_its_file_and_id(english, change, message) -> None:
    file = _translated(english)
    _edit(file, change)
    with pytest.raises(ValueError, match=f"01_tokens.json: {message}"):
        translate.problems(read(english))


def test_check_names_entries_nothing_uses_and_update_keeps_them(english, capsys) -> None:
    file = _translated(english)
    _edit(file, lambda d: d["cells"].extend([
        {"id": "gone", "en": "x", "zh": "旧"},
        {"id": "s", "en": "setup_notebook", "zh": ["# 被翻译的代码\n"]},
    ]))  # fmt: skip
    assert translate.problems(read(english)) == []  # the Chinese notebook is the same
    assert cli.main(["translate", str(english.parent), "--check"]) == 1
    out, err = capsys.readouterr()
    assert "id gone: stale" in out and "cell 2 (id s) is a code cell" in out
    assert "2 entr(ies) of the translation files that no text cell uses" in err
    assert cli.main(["translate", str(english.parent), "--update"]) == 0
    assert "kept 2 entr(ies) nothing uses" in capsys.readouterr().out
    ids = [e["id"] for e in json.loads(file.read_text(encoding="utf-8"))["cells"]]
    assert "gone" in ids


@pytest.mark.parametrize(
    ("cell_id", "text", "message"),
    [
        ("t", "# 01 · 词元\n\n**学习目标**\n\n1. 切分\n", 'write it as "**你将学到**"'),
        (
            "n",
            "> **教师提示**\n\n**课堂时间** 大约 30 分钟",
            'write it as "**课堂时间：** 约 N 分钟"',
        ),
        ("n", "> **教师提示**\n\n**课堂时间：** 约 20 分钟", "says 20 minutes, the English 30"),
    ],
    ids=["goals", "time", "minutes"],
)
def test_a_translation_that_loses_the_structure_is_not_built(english, cell_id, text, message):
    _edit(english, lambda d: d["cells"][1].update(
        source="> **For the teacher**\n\n**Time in class:** about 30 minutes"))  # fmt: skip
    translate.update(read(english))
    file = _file(english)
    fill(file, t="# 01 · 词元\n\n**你将学到**\n\n1. 切分\n", m="## 第 1 步")
    fill(file, n="> **教师提示**\n\n**课堂时间：** 约 30 分钟")
    assert translate.problems(read(english)) == []
    fill(file, **{cell_id: text})
    found = translate.problems(read(english))
    assert len(found) == 1 and message in found[0], found
    with pytest.raises(ValueError, match="not complete"):
        translate.build(read(english))


def test_cells_without_ids_are_named_with_the_way_to_give_them_ids(english, capsys) -> None:
    import shlex
    import subprocess
    import sys

    _edit(english, lambda d: [c.pop("id") for c in d["cells"][2:]])
    assert cli.main(["translate", str(english.parent), "--check"]) == 1
    assert cli.main(["translate", str(english.parent), "--update"]) == 1
    err = capsys.readouterr().err
    assert "01_tokens.ipynb: 3 cell(s) have no id (cell 2, 3, 4)" in err and "(id None)" not in err
    command = shlex.split(err.strip().splitlines()[-1])  # the command it gives, run as given
    assert command[0] == "python" and command[-1] == str(english)
    subprocess.run([sys.executable, *command[1:]], check=True, capture_output=True)
    assert translate.without_ids(read(english)) is None
    assert translate.update(read(english)) == 4
