"""The course site: built from the notebooks without the network, the learners' edition
only, safe (no page runs a script, has an event handler or loads anything from outside
the site, whatever the notebook holds), every output type rendered, a rebuild that loses
nothing, and in headless Chromium every page loads without a console error, every
internal link resolves, every figure renders, and printing hides the navigation and
wraps long code lines."""

from __future__ import annotations

import base64
import functools
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest

from llmprep.course import fonts, glossary
from llmprep.course.notebook import NotebookError
from llmprep.course.site import build_site
from llmprep.course.site_files import MARK, SiteFolderError

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LLMPREP = Path(sys.executable).parent / "llmprep"
RESOURCE_TAGS = {"img", "link", "iframe", "source", "script", "video", "audio", "embed",
                 "object", "track", "input", "frame"}  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("course") / "site"
    build_site(ROOT / "notebooks", out)
    return out


class Page(HTMLParser):
    """Every tag with its attributes, every href/src, every id of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.refs.append((tag, name, value))
            if name == "id" and value:
                self.ids.add(value)


def parsed(page: Path) -> Page:
    result = Page()
    result.feed(page.read_text(encoding="utf-8"))
    return result


def unsafe(page: Path) -> list[str]:
    """What in a page could run or load from outside the site."""
    problems = []
    for tag, attrs in parsed(page).tags:
        if tag == "script":
            problems.append("a <script>")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"<{tag} {name}=...>")
            loads = name in ("src", "data", "poster", "srcset") or (tag, name) == ("link", "href")
            value = re.sub(r"^[\x00-\x20]+|[\t\n\r]", "", value)  # as a browser reads it
            outside = re.match(r"([a-z][a-z0-9+.-]*:|//|/\\|\\\\)", value, re.I)
            if loads and outside and not value.startswith("data:"):  # inline data loads nothing
                problems.append(f"<{tag} {name}={value[:60]!r}>")
            if name == "style" and re.search(r"url\s*\(|@import|image(-set)?\(", value, re.I):
                problems.append(f"<{tag} style={value[:60]!r}>")
            if name == "href" and re.match(r"javascript:|vbscript:|data:(?!,$)", value, re.I):
                problems.append(f"<{tag} href={value[:60]!r}>")
        if tag in RESOURCE_TAGS - {"img", "link"}:
            problems.append(f"a <{tag}>")
    return problems


EDITIONS = {"": "en", "zh/": "zh"}  # the folder of each edition in the site
WORDS = {  # what an edition's pages say
    "en": {"time": r"About \d+ minutes in class", "exercise": "Exercise ",
           "try": "Try this exercise in JupyterLab", "other": "中文", "teacher": "For the teacher"},
    "zh": {"time": r"课堂时间约 \d+ 分钟", "exercise": "练习 ",
           "try": "请在 JupyterLab 中做这道练习", "other": "English", "teacher": "教师提示"},
}  # fmt: skip


def pages(site: Path, folder: str = "", pattern: str = "*.html") -> list[Path]:
    return sorted((site / folder).glob(pattern))


def test_the_site_has_both_editions_every_page_and_nothing_unsafe(site) -> None:
    notebooks = sorted(p.stem + ".html" for p in (ROOT / "notebooks").glob("0*.ipynb"))
    for folder, language in EDITIONS.items():
        assert [p.name for p in pages(site, folder)] == sorted(
            [*notebooks, "index.html", "glossary.html"]
        ), folder
        for page in pages(site, folder):
            assert unsafe(page) == [], page
            text = page.read_text(encoding="utf-8")
            assert "Content-Security-Policy" in text
            lang = "zh-CN" if language == "zh" else "en"
            assert f'<html lang="{lang}">' in text
            # every page links to its counterpart in the other edition
            other = "../" if folder else "zh/"
            assert f'href="{other}{page.name}"' in text and WORDS[language]["other"] in text
        index = (site / folder / "index.html").read_text(encoding="utf-8")
        assert re.search(WORDS[language]["time"], index), folder
        assert all(f'href="{stem}"' in index for stem in notebooks)


def test_it_is_the_learners_edition(site) -> None:
    for folder, language in EDITIONS.items():
        words = WORDS[language]
        for page in pages(site, folder, "0*.html"):
            text = page.read_text(encoding="utf-8")
            assert words["teacher"] not in text, page
            code = "".join(re.findall(r'<div class="input_area">.*?</div>', text, re.S))
            assert '<span class="n">hint</span>' not in code, page  # reveal cells are out
            assert '<span class="n">solution</span>' not in code, page
            # an exercise shows its task and how to try it, not a message for a live kernel
            assert words["exercise"] in text and words["try"] in text, page
            assert "Not answered yet" not in text and "尚未作答" not in text, page


def test_every_figure_has_the_alt_text_its_notebook_gives(site) -> None:
    for folder, language in EDITIONS.items():
        for page in pages(site, folder, "0*.html"):
            images = [attrs for tag, attrs in parsed(page).tags if tag == "img"]
            assert images, page
            for attrs in images:
                assert attrs["src"].startswith("figures/")
                assert (page.parent / attrs["src"]).is_file()
                alt = attrs.get("alt", "")
                long = (
                    len(fonts.CJK.findall(alt)) >= 12 if language == "zh" else len(alt.split()) >= 6
                )
                assert long and "Figure size" not in alt and "no description" not in alt, attrs


def test_every_internal_link_resolves(site) -> None:
    every = [page for folder in EDITIONS for page in pages(site, folder)]
    ids = {page: parsed(page).ids for page in every}
    for page in every:
        for _, _, value in parsed(page).refs:
            if re.match(r"(https?:|mailto:|data:)", value):
                continue
            target, _, fragment = value.partition("#")
            path = (page.parent / target).resolve() if target else page
            assert path.exists(), f"{page} links to missing {value}"
            if fragment and path.suffix == ".html":
                assert fragment in ids[path], f"{page} links to missing #{fragment}"
    # every notebook links its terms to the glossary, and every glossary term has its anchor
    for folder in EDITIONS:
        for page in pages(site, folder, "0*.html"):
            assert "glossary.html#" in page.read_text(encoding="utf-8"), page
        anchors = {glossary.anchor(t.name) for t in glossary.TERMS}
        assert anchors <= ids[(site / folder / "glossary.html").resolve()]


def test_the_site_builds_with_no_network(tmp_path) -> None:
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("needs `unshare -n` (util-linux) and the right to use it")
    run = subprocess.run(
        ["unshare", "-n", LLMPREP, "site", ROOT / "notebooks", tmp_path / "s"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "s" / "index.html").is_file()


# ---- every output type a notebook can hold, and hostile content -----------------------

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" onload="alert(1)">'
    '<script>alert(2)</script><rect width="40" height="20" fill="#0072B2"/></svg>'
)


def _jpeg() -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 114, 178)).save(buffer, format="JPEG")
    return base64.b64encode(buffer.getvalue()).decode()


def output(data: dict, kind: str = "display_data") -> dict:
    return {"output_type": kind, "data": data, "metadata": {}}


def hostile_notebook() -> dict:
    def code(outputs: list, **metadata) -> dict:
        return {"cell_type": "code", "execution_count": 1, "id": f"c{len(cells)}",
                "metadata": metadata, "outputs": outputs, "source": "x = 1"}  # fmt: skip

    cells: list[dict] = []
    cells.append({"cell_type": "markdown", "id": "m0", "metadata": {}, "source": (
        "# 01 · Everything\n\n<script>alert(3)</script>\n\n[a link](javascript:alert(4)) "
        '![outside](https://example.com/x.png) <img src="http://example.com/y.png" '
        'onerror="alert(5)"> $e^{i\\pi} + 1 = 0$\n\n<iframe src="https://example.com"></iframe>'
    )})  # fmt: skip
    cells.append(code([output({"image/svg+xml": SVG, "text/plain": "<Figure>"})],
                      alt="A blue rectangle drawn as SVG"))  # fmt: skip
    cells.append(code([output({"image/jpeg": _jpeg(), "text/plain": "<Figure>"})],
                      alt="A blue square saved as a JPEG"))  # fmt: skip
    cells.append(code([output({"text/latex": "$$\\frac{a}{b} = \\sqrt{c}$$", "text/plain": "x"})]))
    cells.append(code([output({"text/html": (
        '<b onclick="alert(6)">bold</b><script>alert(7)</script><style>p{color:red}</style>'
        '<img src="https://example.com/z.png"><span style="background:url(http://e.com/a)">s'
        '</span><a href="https://example.com">fine</a><object data="http://e.com/o"></object>'
    ), "text/plain": "html"})]))  # fmt: skip
    cells.append(code([output({"application/javascript": "alert(8)", "text/plain": "js"})]))
    cells.append(
        code(
            [
                output(
                    {
                        "application/vnd.jupyter.widget-view+json": {
                            "model_id": "abc",
                            "version_major": 2,
                            "version_minor": 0,
                        },
                        "text/plain": "VBox()",
                    }
                )
            ]
        )
    )
    cells.append(code([{"output_type": "error", "ename": "ValueError", "evalue": "no",
                        "traceback": ["\x1b[31mValueError\x1b[0m: no <b>"]}]))  # fmt: skip
    cells.append(code([{"output_type": "stream", "name": "stdout", "text": "hello <i>\n"}]))
    cells.append(code([output({"text/plain": "plain"}, "execute_result") | {"execution_count": 1}]))
    return {"cells": cells, "metadata": {"widgets": {"application/vnd.jupyter.widget-state+json":
            {"state": {}, "version_major": 2, "version_minor": 0}}},
            "nbformat": 4, "nbformat_minor": 5}  # fmt: skip


@pytest.fixture
def hostile(tmp_path) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    (folder / "01_everything.ipynb").write_text(json.dumps(hostile_notebook()), encoding="utf-8")
    return folder


def test_every_output_type_is_rendered_and_nothing_hostile_survives(hostile, tmp_path) -> None:
    out = tmp_path / "site"
    build_site(hostile, out)
    page = out / "01_everything.html"
    text = page.read_text(encoding="utf-8")
    assert unsafe(page) == []
    assert not re.search(r"alert\(", text.replace("alert(4)", ""))  # only a link's text is left
    images = {attrs["src"]: attrs["alt"] for tag, attrs in parsed(page).tags if tag == "img"}
    svg = next(src for src in images if src.endswith(".svg"))
    jpeg = next(src for src in images if src.endswith(".jpg"))
    assert images[svg] == "A blue rectangle drawn as SVG"
    assert images[jpeg] == "A blue square saved as a JPEG"
    assert (out / svg).read_text().startswith("<svg")
    assert (out / jpeg).read_bytes()[:2] == b"\xff\xd8"
    assert text.count("<math") == 2  # the LaTeX output and the Markdown's formula, as MathML
    assert "<mfrac>" in text and "<msqrt>" in text
    assert "<b>bold</b>" in text and 'href="https://example.com"' in text  # kept, made safe
    assert "An interactive widget" in text
    assert "ValueError" in text and "no &lt;b&gt;" in text and "hello &lt;i&gt;" in text
    assert "plain" in text and "&lt;Figure&gt;" not in text  # never the text stand-in


def test_a_notebook_that_is_not_utf8_or_not_json_is_named(tmp_path) -> None:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    (folder / "01_latin1.ipynb").write_bytes('{"cells": ["café"]}'.encode("latin-1"))
    with pytest.raises(NotebookError, match=r"01_latin1\.ipynb is not UTF-8"):
        build_site(folder, tmp_path / "site")
    (folder / "01_latin1.ipynb").write_text('{"cells": [', encoding="utf-8")
    with pytest.raises(NotebookError, match=r"01_latin1\.ipynb is not valid JSON"):
        build_site(folder, tmp_path / "site")
    run = subprocess.run([LLMPREP, "site", folder, tmp_path / "s"], capture_output=True, text=True)
    assert run.returncode == 1 and "01_latin1.ipynb is not valid JSON" in run.stderr, run
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "site").exists() and not (tmp_path / "s").exists()  # nothing left


# ---- the folder: a rebuild loses nothing -------------------------------------------


@pytest.fixture
def one_notebook(tmp_path) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    shutil.copy(ROOT / "notebooks" / "01_tokens.ipynb", folder)
    return folder


def test_a_folder_that_is_not_a_site_is_refused_not_touched(one_notebook, tmp_path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.txt").write_text("years of work")
    with pytest.raises(SiteFolderError, match="not a site built by llmprep"):
        build_site(one_notebook, mine)
    assert sorted(p.name for p in mine.iterdir()) == ["thesis.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "notebooks"]
    run = subprocess.run([LLMPREP, "site", one_notebook, mine], capture_output=True, text=True)
    assert run.returncode != 0 and "move" in run.stderr, run
    assert "Traceback" not in run.stderr


def test_a_rebuild_keeps_the_files_a_teacher_added(one_notebook, tmp_path) -> None:
    out = tmp_path / "site"
    build_site(one_notebook, out)
    (out / "classroom-data").mkdir()
    (out / "classroom-data" / "the-verdict.txt").write_text("the class's copy")
    (out / "notes.html").write_text("my notes")
    shutil.copy(ROOT / "notebooks" / "02_vocabulary.ipynb", one_notebook)
    pages = build_site(one_notebook, out)
    assert (out / "classroom-data" / "the-verdict.txt").read_text() == "the class's copy"
    assert (out / "notes.html").read_text() == "my notes"
    assert (out / "02_vocabulary.html").is_file() and out / "02_vocabulary.html" in pages
    (one_notebook / "02_vocabulary.ipynb").unlink()
    build_site(one_notebook, out)
    assert not (out / "02_vocabulary.html").exists()  # a page no longer built is removed
    assert not list((out / "figures").glob("02_*"))
    assert (out / "notes.html").is_file()  # the teacher's file stays
    assert not [p for p in out.iterdir() if p.name.startswith(".llmprep-site-building")]


def test_a_rebuild_refuses_to_overwrite_what_it_did_not_write(one_notebook, tmp_path) -> None:
    out = tmp_path / "site"
    build_site(one_notebook, out)
    (out / "index.html").write_text("edited by hand")
    with pytest.raises(SiteFolderError, match="index.html was edited after the site was built"):
        build_site(one_notebook, out)
    assert (out / "index.html").read_text() == "edited by hand"
    (out / "index.html").unlink()
    shutil.copy(ROOT / "notebooks" / "02_vocabulary.ipynb", one_notebook)
    (out / "02_vocabulary.html").write_text("a teacher's page of the same name")
    with pytest.raises(SiteFolderError, match="02_vocabulary.html was not made by a build"):
        build_site(one_notebook, out)
    assert (out / "02_vocabulary.html").read_text() == "a teacher's page of the same name"


def test_a_linked_folder_stays_a_link_and_is_updated(one_notebook, tmp_path) -> None:
    real = tmp_path / "usb" / "course"
    real.mkdir(parents=True)
    link = tmp_path / "site"
    link.symlink_to(real, target_is_directory=True)
    build_site(one_notebook, link)
    build_site(one_notebook, link)
    assert link.is_symlink() and (real / "01_tokens.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebooks", "site", "usb"]
    assert not [p for p in real.iterdir() if p.name.startswith(".llmprep-site-building")]


def test_a_failed_build_keeps_the_site_and_a_killed_install_is_repaired(
    one_notebook, tmp_path, monkeypatch
) -> None:
    out = tmp_path / "site"
    build_site(one_notebook, out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def killed(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr("llmprep.course.site.write_edition", killed)
    with pytest.raises(KeyboardInterrupt):
        build_site(one_notebook, out)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    monkeypatch.undo()
    # killed while files were moved: some new, some old; the list accepts both
    replace = os.replace
    calls = []

    def dies_half_way(source, target):
        calls.append(target)
        if len(calls) == 3:
            raise KeyboardInterrupt
        replace(source, target)

    notebook = json.loads((one_notebook / "01_tokens.ipynb").read_text(encoding="utf-8"))
    notebook["cells"][0]["source"] = ["# 01 · Tokens, again\n"]
    (one_notebook / "01_tokens.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    monkeypatch.setattr("llmprep.course.site_files.os.replace", dies_half_way)
    with pytest.raises(KeyboardInterrupt):
        build_site(one_notebook, out)
    monkeypatch.undo()
    build_site(one_notebook, out)  # no "edited after the site was built"
    assert "Tokens, again" in (out / "01_tokens.html").read_text(encoding="utf-8")
    record = json.loads((out / MARK).read_text())
    assert all(len(hashes) == 1 for hashes in record["files"].values())


PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8"
    "cfc0f01f0005000201ffa0e3d5b40000000049454e44ae426082"
)).decode()  # fmt: skip


def tiny_notebook(title: str = "01 · Tiny", *cells: dict) -> dict:
    """A notebook of a title cell, a figure and ``cells``."""
    figure = {"cell_type": "code", "execution_count": 1, "id": "fig", "metadata": {},
              "source": "plot()", "outputs": [output({"image/png": PNG})]}  # fmt: skip
    title_cell = {"cell_type": "markdown", "id": "title", "metadata": {}, "source": f"# {title}"}
    return {"cells": [title_cell, figure, *cells], "metadata": {}, "nbformat": 4,
            "nbformat_minor": 5}  # fmt: skip


@pytest.fixture
def tiny(tmp_path) -> Path:
    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "01_tiny.ipynb").write_text(json.dumps(tiny_notebook()), encoding="utf-8")
    return folder


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _set_record(out: Path, change) -> None:
    record = json.loads((out / MARK).read_text())
    change(record)
    (out / MARK).write_text(json.dumps(record))


@pytest.mark.parametrize(
    "where", ["../victim/notes.txt", "ABSOLUTE", "figures/../../victim/notes.txt"]
)
def test_a_list_naming_files_outside_the_folder_is_damaged(tiny, tmp_path, where) -> None:
    victim = tmp_path / "victim" / "notes.txt"
    victim.parent.mkdir()
    victim.write_text("precious")
    out = tmp_path / "site"
    build_site(tiny, out)
    name = str(victim) if where == "ABSOLUTE" else where
    _set_record(out, lambda record: record["files"].update({name: [_sha(victim)]}))
    with pytest.raises(SiteFolderError, match=r"\.llmprep-site is damaged .*delete it"):
        build_site(tiny, out)
    assert victim.read_text() == "precious"


@pytest.mark.parametrize("text", [
    "", "{", '{"format": "llmprep.site", "version": 2, "fi', "not json at all\n", b"\xff\xfe",
    '{"format": "llmprep.site", "files": ["index.html"]}',
    '{"format": "llmprep.site", "files": "index.html"}',
    '{"format": "llmprep.site", "files": null}',
    '{"format": "llmprep.site", "files": {"index.html": 7}}',
    '{"format": "llmprep.site", "files": {"index.html": [7]}}',
    '{"format": "llmprep.site", "files": {"index.html": "abc"}}',
    '[1, 2]',
])  # fmt: skip
def test_a_list_cut_short_or_not_ours_is_damaged_not_legacy(tiny, tmp_path, text) -> None:
    out = tmp_path / "site"
    build_site(tiny, out)
    (out / "index.html").write_text("<p>MY NOTES</p>")
    mark = out / MARK
    mark.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(SiteFolderError, match=r"\.llmprep-site is damaged"):
        build_site(tiny, out)
    assert (out / "index.html").read_text() == "<p>MY NOTES</p>"
    run = subprocess.run([LLMPREP, "site", tiny, out], capture_output=True, text=True)
    assert run.returncode == 1 and "is damaged" in run.stderr and "Traceback" not in run.stderr


def test_a_site_of_before_0_2_is_rebuilt(tiny, tmp_path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / MARK).write_text("built by python -m llmprep.site; safe to replace\n")
    (out / "index.html").write_text("the old index")
    (out / "old.html").write_text("a page it no longer makes")
    build_site(tiny, out)
    assert "Tiny" in (out / "index.html").read_text(encoding="utf-8")
    assert (out / "old.html").is_file()  # nothing is deleted: the old list had no names
    assert json.loads((out / MARK).read_text())["format"] == "llmprep.site"


def test_nothing_is_written_or_removed_through_a_link_inside_the_site(tiny, tmp_path) -> None:
    out, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    build_site(tiny, out)
    figure = next((out / "figures").iterdir()).name
    elsewhere.mkdir()
    (elsewhere / figure).write_text("someone else's file")
    shutil.rmtree(out / "figures")
    (out / "figures").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(SiteFolderError, match="figures is a link, where the site puts a folder"):
        build_site(tiny, out)
    assert (elsewhere / figure).read_text() == "someone else's file"
    # a file the site made, now behind a link, is left alone when no longer made
    (out / "figures").unlink()
    build_site(tiny, out)
    (elsewhere / "old.png").write_bytes(b"the class's figure")
    (out / "linked").symlink_to(elsewhere, target_is_directory=True)
    sha = _sha(elsewhere / "old.png")
    _set_record(out, lambda record: record["files"].update({"linked/old.png": [sha]}))
    build_site(tiny, out)
    assert (elsewhere / "old.png").read_bytes() == b"the class's figure"
    # a link where the site puts a file is not written through either
    (out / "index.html").unlink()
    (out / "index.html").symlink_to(elsewhere / figure)
    with pytest.raises(SiteFolderError, match="index.html is a link, where the site puts a file"):
        build_site(tiny, out)
    assert (elsewhere / figure).read_text() == "someone else's file"


def test_a_site_folder_that_is_a_loop_of_links_is_named(tiny, tmp_path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(NotADirectoryError, match="a loop of symbolic links"):
        build_site(tiny, tmp_path / "a")
    run = subprocess.run([LLMPREP, "site", tiny, tmp_path / "a"], capture_output=True, text=True)
    assert run.returncode == 1 and "loop" in run.stderr and "Traceback" not in run.stderr


def test_a_failed_first_build_removes_only_what_it_put_there(tiny, tmp_path, monkeypatch) -> None:
    out = tmp_path / "new" / "site"

    def fails(edition, folder):
        (out / "copied-in-meanwhile.txt").write_text("a teacher's file")
        raise KeyboardInterrupt

    monkeypatch.setattr("llmprep.course.site.write_edition", fails)
    with pytest.raises(KeyboardInterrupt):
        build_site(tiny, out)
    assert [p.name for p in out.iterdir()] == ["copied-in-meanwhile.txt"]
    monkeypatch.undo()
    (out / "copied-in-meanwhile.txt").unlink()
    out.rmdir()
    (tmp_path / "new").rmdir()
    # killed while moving its files: they go, the folders it made too, a teacher's stays
    replace, calls, teacher = os.replace, [], ["notes.txt"]

    def dies_half_way(source, target):
        calls.append(target)
        if len(calls) == 4:
            for name in teacher:
                (out / name).write_text("mine")
            raise KeyboardInterrupt
        replace(source, target)

    monkeypatch.setattr("llmprep.course.site_files.os.replace", dies_half_way)
    with pytest.raises(KeyboardInterrupt):
        build_site(tiny, out)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    (out / "notes.txt").unlink()
    out.rmdir()
    (tmp_path / "new").rmdir()
    with pytest.raises(KeyboardInterrupt):
        calls.clear()
        teacher.clear()
        build_site(tiny, out)  # without the teacher's file, nothing at all is left
    assert not (tmp_path / "new").exists()


def test_builds_at_once_take_turns_and_see_what_the_other_left(tiny, tmp_path) -> None:
    from llmprep._files import exclusive_lock

    done, elsewhere = tmp_path / "done", tmp_path / "site"
    build_site(tiny, done)
    results: list = []

    def build() -> None:
        try:
            results.append(build_site(tiny, elsewhere))
        except Exception as error:
            results.append(error)

    # another build holds the new folder, and completes a site while this one waits
    with exclusive_lock(elsewhere, wait=True, busy=""):
        waiting = threading.Thread(target=build)
        waiting.start()
        waiting.join(1.0)
        assert waiting.is_alive()  # it waits its turn
        shutil.copytree(done, elsewhere, dirs_exist_ok=True, symlinks=True)
    waiting.join()
    assert not isinstance(results[0], Exception), results  # not "edited", not "not a site"
    assert (elsewhere / "index.html").is_file()
    # the folder it waited for was removed (a first build that failed) and made again
    again = tmp_path / "again"
    with exclusive_lock(again, wait=True, busy=""):
        waiting = threading.Thread(target=build)
        waiting.start()
        waiting.join(1.0)
        again.rmdir()
    waiting.join()
    assert not isinstance(results[1], Exception), results


def test_what_a_killed_build_left_is_removed(tiny, tmp_path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    for left in (out / f"..llmprep-site.x{k}.part" for k in range(2)):
        left.write_text("{")
        os.utime(left, (1e9, 1e9))
    (out / ".llmprep-site-building-x").mkdir()
    os.utime(out / ".llmprep-site-building-x", (1e9, 1e9))
    build_site(tiny, out)  # an empty folder but for what builds left: a new site
    build_site(tiny, out)
    assert not [p.name for p in out.iterdir() if p.name.startswith("..llmprep-site")]
    assert not [p.name for p in out.iterdir() if p.name.startswith(".llmprep-site-building")]


# ---- in a browser ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def _browser(playwright):
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )


BROKEN_IMAGES = (
    "() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
)


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium: apt-get install chromium")
def test_every_page_loads_in_a_browser_and_prints_cleanly(site, served) -> None:
    from playwright.sync_api import sync_playwright

    shots = ROOT / "docs" / "screenshots" if os.environ.get("LLMPREP_SCREENSHOTS") else None
    with sync_playwright() as playwright:
        browser = _browser(playwright)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
        names = [p.relative_to(site).as_posix() for f in EDITIONS for p in pages(site, f)]
        for name in names:
            page.goto(f"{served}/{name}")
            page.wait_for_load_state("load")
            broken = page.evaluate(BROKEN_IMAGES)
            assert not broken, f"{name}: figures that do not render: {broken}"
            assert not problems, f"{name}: {problems}"
            if shots and name == "04_dataloader.html":
                page.locator("figure").first.scroll_into_view_if_needed()
                page.screenshot(path=str(shots / "site_page.png"))
        page.emulate_media(media="print")
        for name in [n for n in names if n.split("/")[-1].startswith("0")]:
            page.goto(f"{served}/{name}")
            hidden = "() => getComputedStyle(document.querySelector('nav')).display"
            assert page.evaluate(hidden) == "none"
            cut = page.evaluate(
                "() => [...document.querySelectorAll('pre')]"
                ".filter(p => p.scrollWidth > p.clientWidth + 1).length"
            )
            assert cut == 0, f"{name}: {cut} code blocks cut at the right edge on paper"
        assert page.pdf().startswith(b"%PDF")  # prints without error
        # opened from a USB stick: file:// pages load their style and figures too
        page.emulate_media(media="screen")
        page.goto((site / "04_dataloader.html").as_uri())
        assert page.evaluate(BROKEN_IMAGES) == []
        assert page.evaluate("() => getComputedStyle(document.body).margin") == "0px"
        browser.close()


def fonts_drawing(page, selector: str) -> list[tuple[str, dict[str, int]]]:
    """For each element matching ``selector`` whose own text holds CJK: that text, and
    the fonts Chromium drew it with (family -> glyphs), as DevTools reports them."""
    own_texts = page.evaluate(
        "s => [...document.querySelectorAll(s)].map(e => [...e.childNodes]"
        ".filter(n => n.nodeType === 3).map(n => n.textContent).join(''))",
        selector,
    )
    client = page.context.new_cdp_session(page)
    client.send("DOM.enable")
    client.send("CSS.enable")
    root = client.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    nodes = client.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"]
    found = []
    for node, text in zip(nodes, own_texts, strict=True):
        if fonts.cjk_characters(text):
            used = client.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            found.append((text, {f["familyName"]: f["glyphCount"] for f in used}))
    return found


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium: apt-get install chromium")
def test_chinese_text_is_drawn_with_the_shipped_font(site) -> None:
    """This machine has no CJK font: every CJK glyph must come from the site's own, on
    the English glossary (its Chinese terms) and on every page of the Chinese edition."""
    from playwright.sync_api import sync_playwright

    chinese = ["glossary.html", *(p.relative_to(site).as_posix() for p in pages(site, "zh/"))]
    with sync_playwright() as playwright:
        browser = _browser(playwright)
        page = browser.new_page()
        loaded: list[str] = []
        page.on("request", lambda r: loaded.append(r.url))
        for name in chinese:
            page.goto((site / name).as_uri())
            page.wait_for_load_state("load")
            page.evaluate("() => document.fonts.ready")
            drawn = fonts_drawing(
                page, "main p, main li, main h1, main h2, main td, main figcaption"
            )
            assert drawn, name
            for text, families in drawn:
                cjk = len(fonts.CJK.findall(text))
                assert families.get(fonts.FAMILY, 0) >= cjk, (name, text[:60], families)
        assert all(url.startswith(("file://", "data:")) for url in loaded), loaded  # nothing else
        browser.close()


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium: apt-get install chromium")
def test_a_hostile_page_runs_nothing_and_loads_nothing_in_a_browser(hostile, tmp_path) -> None:
    from playwright.sync_api import sync_playwright

    out = tmp_path / "site"
    build_site(hostile, out)
    with sync_playwright() as playwright:
        browser = _browser(playwright)
        page = browser.new_page()
        requests: list[str] = []
        dialogs: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto((out / "01_everything.html").as_uri())
        page.wait_for_load_state("load")
        page.locator("b").first.click()
        assert dialogs == []
        assert all(url.startswith(("file://", "data:")) for url in requests), requests
        assert page.evaluate(BROKEN_IMAGES) == []  # the SVG and the JPEG render
        browser.close()


# ---- what a hostile or careless author can put in a notebook ---------------------------


_IDS = iter(range(10**6))


def _cell(kind: str = "markdown", text="x", **fields) -> dict:
    cell = {"cell_type": kind, "id": f"h{next(_IDS)}", "metadata": {}, "source": text}
    if kind == "code":
        cell |= {"execution_count": 1, "outputs": []}
    return cell | fields


def _build_one(tmp_path, *cells, name: str = "01_probe") -> tuple[Path, str]:
    folder = tmp_path / "probe"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.ipynb").write_text(json.dumps(tiny_notebook("01 · Probe", *cells)))
    build_site(folder, tmp_path / "probe-site")
    page = tmp_path / "probe-site" / f"{name}.html"
    return page, page.read_text(encoding="utf-8")


def _site_cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "llmprep.cli", *map(str, args)], capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("cell", "says"),
    [
        (_cell(text=["a", 1]), "cell 2 has a source that is neither a string nor a list"),
        (_cell(text=5), "cell 2 has a source that is neither a string nor a list"),
        (_cell("code", outputs={}), "cell 2 has outputs that are not a list"),
        (_cell(metadata={"tags": "teacher"}), r'cell 2 has tags .* "tags": \["teacher"\]'),
        (_cell(metadata=[]), "cell 2 has metadata that is not a JSON object"),
        ({"cell_type": "markdown", "source": "no metadata"}, "is not a valid notebook"),
    ],
)
def test_a_damaged_cell_is_a_one_line_error_naming_the_file(tmp_path, cell, says) -> None:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    (folder / "01_bad.ipynb").write_text(json.dumps(tiny_notebook("01 · Bad", cell)))
    with pytest.raises(NotebookError, match=says):
        build_site(folder, tmp_path / "site")
    run = _site_cli("site", folder, tmp_path / "s")
    assert run.returncode == 1 and "01_bad.ipynb" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "site").exists() and not (tmp_path / "s").exists()


def test_a_notebook_of_nbformat_3_says_how_to_upgrade_it(tmp_path) -> None:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    (folder / "01_old.ipynb").write_text(json.dumps({"nbformat": 3, "worksheets": []}))
    with pytest.raises(NotebookError, match="01_old.ipynb is a notebook of nbformat 3, not 4"):
        build_site(folder, tmp_path / "site")


def test_a_solution_run_by_mistake_is_left_out_with_its_output(tmp_path) -> None:
    printed = {"output_type": "stream", "name": "stdout", "text": "THE-SOLUTION\n"}
    cells = [_cell("code", "q1.solution()", outputs=[printed]),
             _cell("code", "q1.hint()  # stuck?\n# q1.solution()", outputs=[printed]),
             _cell("code", "#q1.hint()", outputs=[printed]),
             _cell("code", "print(q1.solution())", outputs=[printed]),
             _cell("code", "exercises.get('01.1').hint(2)", outputs=[printed])]  # fmt: skip
    _, text = _build_one(tmp_path, *cells)
    assert "THE-SOLUTION" not in text and "solution" not in text.split("<main>")[1]


HOSTILE_MARKUP = [
    '<img src=" http://evil.example/a.png">', '<img src="\x01http://evil.example/a.png">',
    '<img src="h\ttp://evil.example/a.png">', '<img src="http&#58;//evil.example/a.png">',
    '<img src="&#47;&#47;evil.example/a.png">', '<img src="/\\evil.example/a.png">',
    '<img src="x.png" srcset="http://evil.example/a.png 2x">',
    '<p style="background-image: image-set(\'http://evil.example/a.png\' 1x)">s</p>',
    '<p style="background: image(\'http://evil.example/a.png\')">s</p>',
    '<p style="background:\\75rl(http://evil.example/a)">s</p>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">d</a>', '<a href=" DATA:text/html,x">d</a>',
    '<a href="&#106;avascript:alert(1)">j</a>', '<a href="JAVASCRIPT:alert(1)">j</a>',
    '<a href="java\tscript:alert(1)">j</a>', '<a href="vbscript:msgbox(1)">v</a>',
    '<link rel=stylesheet href="http://evil.example/a.css">', '<base href="http://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=http://evil.example">',
    '<form action="http://evil.example"><input name=a></form>',
    '<video poster="http://evil.example/p.png"><source src="http://evil.example/v.mp4"></video>',
    '<embed src="http://evil.example/e">', '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<svg><image href="http://evil.example/a.png"/><use href="http://evil.example/#a"/></svg>',
    '<details open ontoggle=alert(1)><summary>s</summary></details>',
    '<style>@import "http://evil.example/a.css";</style>',
]  # fmt: skip


@pytest.mark.parametrize("where", ["text/html", "markdown"])
def test_no_url_trick_gets_past_the_sanitizer(tmp_path, where) -> None:
    if where == "markdown":
        cells = [_cell(text=markup) for markup in HOSTILE_MARKUP]
        cells += [_cell(text="[d](data:text/html,<script>alert(1)</script>) [j](JAVASCRIPT:x)")]
    else:
        cells = [_cell("code", outputs=[output({"text/html": m})]) for m in HOSTILE_MARKUP]
    page, text = _build_one(tmp_path, *cells)
    assert unsafe(page) == []
    assert "evil.example" not in text.split("<main>")[1].replace('<a href="http://evil', "")


@pytest.mark.parametrize("link", ["//evil.example/x", "\\\\evil.example/x", "/\\evil.example/x"])
def test_a_link_to_another_host_without_a_scheme_says_https(link) -> None:
    from llmprep.course.site_html import sanitize

    # from file:// a browser would look for file://evil.example/x: a broken link
    assert 'href="https://evil.example/x"' in sanitize(f'<a href="{link}">x</a>')
    assert 'href="/notes/x.html"' in sanitize('<a href="/notes/x.html">x</a>')


def test_a_progress_bar_shows_its_last_state_and_a_long_stream_is_cut(tmp_path) -> None:
    bar = {"output_type": "stream", "name": "stdout", "text": ["10%\r50%\r", "100%\n"]}
    many = {"output_type": "stream", "name": "stdout", "text": "".join(
        f"line {k}\n" for k in range(100_000))}  # fmt: skip
    page, text = _build_one(tmp_path, _cell("code", outputs=[bar]), _cell("code", outputs=[many]))
    main = text.split("<main>")[1]
    assert "100%" in main and "10%" not in main and "50%" not in main
    assert "line 499\n" in main and "line 500\n" not in main and "line 99999" in main
    assert "99,400 lines left out here" in main and page.stat().st_size < 100_000


def test_an_inline_svg_image_is_shown_cleaned(tmp_path) -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/>'
    )
    hostile = svg + '<script>alert(1)</script><image href="http://evil.example/a.png"/></svg>'
    encoded = base64.b64encode(hostile.encode()).decode()
    cells = [_cell(text=f"![a square](data:image/svg+xml;base64,{encoded})"),
             _cell(text="![broken](data:image/svg+xml;base64,!!)")]  # fmt: skip
    page, text = _build_one(tmp_path, *cells)
    assert unsafe(page) == []
    images = [a for tag, a in parsed(page).tags if tag == "img" and a.get("alt") == "a square"]
    shown = base64.b64decode(images[0]["src"].split("base64,")[1]).decode()
    assert "<rect" in shown and "script" not in shown and "evil" not in shown
    assert "(an image not shown here: from the web, or unreadable: broken)" in text


def test_an_image_beside_the_notebook_is_on_its_page(tmp_path) -> None:
    (tmp_path / "probe" / "images").mkdir(parents=True)
    (tmp_path / "probe" / "images" / "diagram.png").write_bytes(base64.b64decode(PNG))
    (tmp_path / "probe" / "images" / "my plot.png").write_bytes(base64.b64decode(PNG))
    (tmp_path / "probe" / "notes.txt").write_text("not an image")
    (tmp_path / "secret.png").write_bytes(base64.b64decode(PNG))
    cells = [_cell(text="![the diagram](images/diagram.png) ![my plot](images/my%20plot.png)"),
             _cell(text="![gone](images/missing.png) and ![text](notes.txt)"),
             _cell(text="![outside](../secret.png)"),
             _cell(text="As `![a](images/gone.png)`\n```\n![b](images/gone.png)\n```")]  # fmt: skip
    page, text = _build_one(tmp_path, *cells)
    assert unsafe(page) == []
    images = {a["alt"]: a["src"] for tag, a in parsed(page).tags if tag == "img"}
    for alt in ("the diagram", "my plot"):
        assert base64.b64decode(images[alt].split("base64,")[1]) == base64.b64decode(PNG)
    assert "gone" not in images and "outside" not in images
    assert text.count("![a](images/gone.png)") == 1 and "![b](images/gone.png)" in text
    for url in ("images/missing.png", "notes.txt", "../secret.png"):
        assert f"an image beside the notebook that the site cannot show: {url}" in text


GIF = "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


def test_every_other_output_type_is_shown_or_says_why_not(tmp_path) -> None:
    stand_in = "<Figure size 100x100 with 1 Axes>"
    cells = [
        _cell("code", outputs=[output({"image/gif": GIF, "text/plain": stand_in})],
              metadata={"alt": "A tiny animation of one grey pixel"}),
        _cell("code", outputs=[output({"text/csv": "a,b\n1,<2>\n"})]),
        _cell("code", outputs=[output({"application/javascript": "alert(1)"})]),
        _cell("code", outputs=[output({"application/javascript": "alert(2)",
                                       "text/plain": "<IPython.core.display.Javascript object>"})]),
        _cell("code", outputs=[output({"application/x-weird": "zz"})]),
        _cell("code", outputs=[output({})]),
    ]  # fmt: skip
    page, text = _build_one(tmp_path, *cells)
    assert unsafe(page) == [] and "alert(" not in text
    gif = [a for tag, a in parsed(page).tags if tag == "img" and a["src"].endswith(".gif")]
    assert gif and gif[0]["alt"] == "A tiny animation of one grey pixel"
    assert (page.parent / gif[0]["src"]).read_bytes()[:4] == b"GIF8"
    assert "Figure size" not in text and "Javascript object" not in text
    assert "<pre>a,b\n1,&lt;2&gt;\n</pre>" in text
    assert text.count("(JavaScript output, not run on this site)") == 2
    assert "(an output of type application/x-weird, not shown on this site)" in text
    assert "(an empty output)" in text


def test_a_figure_that_is_not_base64_is_named(tmp_path) -> None:
    with pytest.raises(NotebookError, match=r"01_probe\.ipynb: cell h\d+: its image/png output"):
        _build_one(tmp_path, _cell("code", outputs=[output({"image/png": "not base64!"})]))


HOSTILE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'width="40" height="20" onload="alert(1)"><script>alert(2)</script>'
    "<style>@import url(http://evil.example/a.css); rect{fill:url(http://evil.example/f)}</style>"
    '<foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><img src="http://evil.example/'
    'x.png"/></body></foreignObject><use href="http://evil.example/s.svg#a"/>'
    '<use xlink:href="http://evil.example/s.svg#b"/><image href=" javascript:alert(3)"/>'
    '<a href="javascript:alert(4)"><text>click</text></a><set attributeName="onclick" to="x"/>'
    '<defs><clipPath id="c"><rect width="9" height="9"/></clipPath></defs>'
    '<rect width="40" height="20" clip-path="url(#c)" style="fill:#0072B2" onclick="x()"/>'
    '<use xlink:href="#c"/></svg>'
)


def test_an_svg_figure_file_is_cleaned_too(tmp_path) -> None:
    """Shown with <img>, an SVG runs nothing; opened on its own (a learner's right click)
    it would, from the site's own origin: the file itself holds nothing that runs."""
    cells = [
        _cell("code", outputs=[output({"image/svg+xml": HOSTILE_SVG})],
              metadata={"alt": "A blue rectangle, clipped"}),
        _cell("code", outputs=[output({"image/svg+xml": "<svg><unclosed"})]),
        _cell("code", outputs=[output({"image/svg+xml": '<!DOCTYPE x [<!ENTITY a "b">]><svg/>'})]),
    ]  # fmt: skip
    page, text = _build_one(tmp_path, *cells)
    src = next(a["src"] for tag, a in parsed(page).tags if tag == "img" and "svg" in a["src"])
    svg = (page.parent / src).read_text(encoding="utf-8")
    assert svg.startswith("<svg") and 'clip-path="url(#c)"' in svg and 'href="#c"' in svg
    for bad in ("alert", "evil.example", "script", "foreignObject", "onload", "onclick", "<set"):
        assert bad not in svg, bad
    assert text.count("(an SVG figure that is not well-formed, not shown)") == 2


def _local_refs_that_are_missing(out: Path) -> list[str]:
    missing = []
    for page in out.rglob("*.html"):
        for tag, name, value in parsed(page).refs:
            if re.match(r"[a-z][a-z0-9+.-]*:|#", value, re.I):
                continue
            if not (page.parent / value.partition("#")[0]).exists():
                missing.append(f"{page.relative_to(out)}: <{tag} {name}={value!r}>")
    return missing


def test_an_edition_links_only_to_pages_the_site_has(tmp_path) -> None:
    folder = tmp_path / "notebooks"
    (folder / "zh").mkdir(parents=True)
    for stem in ("01_a", "02_b"):
        (folder / f"{stem}.ipynb").write_text(json.dumps(tiny_notebook(f"{stem} · T")))
    (folder / "zh" / "01_a.ipynb").write_text(json.dumps(tiny_notebook("01 · 中文")))
    build_site(folder, tmp_path / "site")
    assert _local_refs_that_are_missing(tmp_path / "site") == []
    assert 'href="zh/01_a.html"' in (tmp_path / "site" / "01_a.html").read_text(encoding="utf-8")
    assert "zh/02_b.html" not in (tmp_path / "site" / "02_b.html").read_text(encoding="utf-8")
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "2 notebooks," in index and "0 h 0 min" not in index and "None" not in index
    assert "About " not in index and "in class" not in index.replace("in class in all", "")
    zh = (tmp_path / "site" / "zh" / "index.html").read_text(encoding="utf-8")
    assert "共 1 个笔记本" in zh and "0 小时" not in zh


def test_a_folder_of_one_notebook_says_1_notebook(tiny, tmp_path) -> None:
    build_site(tiny, tmp_path / "site")
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "<p>1 notebook, in this order" in index and "0 min" not in index


def test_a_site_inside_the_notebooks_folder_is_refused(tiny, tmp_path) -> None:
    for out in (tiny / "site", tiny):
        run = _site_cli("site", tiny, out)
        assert run.returncode == 1 and "is inside the notebooks folder" in run.stderr, run.stderr
        assert "Traceback" not in run.stderr
    assert sorted(p.name for p in tiny.iterdir()) == ["01_tiny.ipynb"]
    run = _site_cli("site", tmp_path / "nowhere", tmp_path / "s")
    assert run.returncode == 1 and "nowhere is not a folder" in run.stderr


def test_an_attached_image_is_shown_or_said_missing(tmp_path) -> None:
    shown = _cell(
        text="![a pixel](attachment:pixel.png)", attachments={"pixel.png": {"image/png": PNG}}
    )
    missing = _cell(text="![the lost one](attachment:lost.png)")
    page, text = _build_one(tmp_path, shown, missing)
    images = [a for tag, a in parsed(page).tags if tag == "img" and a.get("alt") == "a pixel"]
    assert images and images[0]["src"] == f"data:image/png;base64,{PNG}"
    assert "(an image attached to the notebook, not shown here: the lost one)" in text
    assert unsafe(page) == [] and _local_refs_that_are_missing(page.parent) == []
