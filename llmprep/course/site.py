"""The course as a static site for learners, in both editions: one page per executed
notebook, an index and the glossary, in English at the top and in Chinese under ``zh/``
(each page links to its counterpart); offline, printable, and safe to open: no page runs
a script or loads anything from outside the site.

It is the *student edition* of the notebooks: :mod:`llmprep.course.notebook` says which
cells are teacher notes and which only reveal hints and solutions, and those are left
out; :mod:`llmprep.course.site_html` turns each notebook into a page with nbconvert. Every
page carries a Content-Security-Policy that forbids scripts and outside resources, and
the site ships the CJK glyphs it uses (:mod:`llmprep.course.fonts`).

A rebuild updates the files it built before and leaves every other file in the folder
alone (a teacher's notes, a classroom's data): :mod:`llmprep.course.site_files`.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "site"
>>> pages = build_site(pathlib.Path(__file__).parents[2] / "notebooks", out)
>>> sorted(str(p.relative_to(out)) for p in pages)[:3], (out / "style.css").is_file()
(['01_tokens.html', '02_vocabulary.html', '03_bpe.html'], True)
"""

from __future__ import annotations

import html
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from llmprep.course import fonts, glossary, require
from llmprep.course.language import say, speaking
from llmprep.course.notebook import Notebook, read
from llmprep.course.site_files import install
from llmprep.course.site_html import page_markdown, render_page

__all__ = ["CSP", "build_site"]

_STYLE = Path(__file__).with_name("site.css")
#: What a page may load: only files of the site itself; no script at all.
CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "font-src 'self'; base-uri 'none'; form-action 'none'"
)


@dataclass(frozen=True)
class Edition:
    """One language's pages: where they go, and how they reach the other edition's."""

    language: str  # "en" or "zh"
    folder: str  # "" or "zh/", relative to the site
    books: list[Notebook]
    other: str | None  # the counterpart's folder relative to this one ("zh/", "../")
    other_pages: frozenset[str] = frozenset()  # the notebook pages the other edition has

    @property
    def pages(self) -> set[str]:
        return {f"{book.stem}.html" for book in self.books} | {"index.html", "glossary.html"}

    @property
    def html_lang(self) -> str:
        return {"en": "en", "zh": "zh-CN"}[self.language]

    def counterpart(self, page: str) -> str:
        """A link to ``page`` in the other edition, or nothing if there is none."""
        if self.other is None or page not in self.other_pages:
            return ""
        name, lang = ("中文", "zh") if self.language == "en" else ("English", "en")
        return (
            f'<a class="edition" lang="{lang}" hreflang="{lang}" '
            f'href="{self.other}{page}">{name}</a>'
        )


def _shell(edition: Edition, title: str, nav: str) -> dict[str, str]:
    """The page around the content: the same for notebook pages, the index and the glossary."""
    head = (
        f'<!DOCTYPE html>\n<html lang="{edition.html_lang}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        '<link rel="icon" href="data:,"><link rel="stylesheet" href="style.css"></head>'
    )
    return {
        "head": head,
        "top": f"<body><nav>{nav}</nav><main>",
        "bottom": f"</main><nav class='bottom'>{nav}</nav></body></html>\n",
    }


def _page(edition: Edition, title: str, body: str, nav: str) -> str:
    shell = _shell(edition, title, nav)
    return shell["head"] + shell["top"] + body + shell["bottom"]


def _nav(edition: Edition, page: str, k: int | None = None) -> str:
    books = edition.books
    links = [f'<a href="index.html">{say("Course", "课程")}</a>']
    if k is not None and k > 0:
        before = books[k - 1]
        links.append(f'<a rel="prev" href="{before.stem}.html">← {html.escape(before.title)}</a>')
    if k is not None and k + 1 < len(books):
        after = books[k + 1]
        links.append(f'<a rel="next" href="{after.stem}.html">{html.escape(after.title)} →</a>')
    links.append(f'<a href="glossary.html">{say("Glossary", "术语表")}</a>')
    if edition.counterpart(page):
        links.append(edition.counterpart(page))
    return " · ".join(links)


def _index(edition: Edition) -> str:
    rows = []
    for book in edition.books:
        minutes = book.minutes_in_class
        time = say(f"About {minutes} minutes in class.", f"课堂时间约 {minutes} 分钟。")
        rows.append(
            f'<section class="course-item"><h2><a href="{book.stem}.html">'
            f"{html.escape(book.title)}</a></h2>"
            f"<p class='time'>{time if minutes else ''}</p>"
            f"{page_markdown(book.goals) if book.goals else ''}</section>"
        )
    total = sum(book.minutes_in_class or 0 for book in edition.books)
    n = len(edition.books)
    in_all = say(  # only what the teacher notes give: no "0 h 0 min"
        f"About {total // 60} h {total % 60} min in class in all. " if total else "",
        f"课堂时间合计约 {total // 60} 小时 {total % 60} 分钟。" if total else "",
    )
    intro = say(
        f"<h1>From raw text to the input tensors of a GPT</h1><p>{n} "
        f"notebook{'' if n == 1 else 's'}, in this order: text → tokens → ids → windows → "
        f"batches → embeddings. {in_all}Each notebook ends with "
        "exercises that check themselves: open it in JupyterLab to try them. Terms are "
        'explained in the <a href="glossary.html">glossary</a>.</p>',
        f"<h1>从原始文本到 GPT 的输入张量</h1><p>共 {n} 个笔记本，按这个顺序学习：文本 → 词元 → "
        f"ID → 窗口 → 批次 → 嵌入。{in_all}每个"
        "笔记本最后都有能自动检查的练习：在 JupyterLab 中打开笔记本即可动手做。术语的解释见"
        '<a href="glossary.html">术语表</a>。</p>',
    )
    title = say("llmprep course", "llmprep 课程")
    return _page(edition, title, intro + "".join(rows), _nav(edition, "index.html"))


def _style(folder: Path) -> None:
    """style.css (the site's, the CJK font's face, syntax colours) and the font itself."""
    from pygments.formatters import HtmlFormatter

    (folder / "fonts").mkdir()
    for shipped in (fonts.FONT, fonts.FONT.with_name("OFL.txt")):  # the CJK glyphs it uses
        shutil.copyfile(shipped, folder / "fonts" / shipped.name)
    face = (
        f'@font-face {{ font-family: "{fonts.FAMILY}"; src: url("fonts/{fonts.FONT.name}") '
        f'format("opentype"); unicode-range: {fonts.UNICODE_RANGE}; }}\n'
    )
    colours = HtmlFormatter(style="default").get_style_defs(".highlight")
    (folder / "style.css").write_text(face + _STYLE.read_text() + "\n" + colours + "\n")


_NOTEBOOK_LINK = re.compile(r'<a href="(\d\d_[\w-]+\.html)[^"]*"[^>]*>(.*?)</a>', re.S)


def write_edition(edition: Edition, folder: Path) -> None:
    """Every file of one edition, written into the (new, empty) ``folder``."""
    folder.mkdir(exist_ok=True)
    (folder / "figures").mkdir()
    _style(folder)
    with speaking(edition.language):
        for k, book in enumerate(edition.books):
            page = f"{book.stem}.html"
            nav = _nav(edition, page, k)
            body = render_page(book, _shell(edition, book.title, nav), folder / "figures")
            (folder / page).write_text(body, encoding="utf-8")
        (folder / "index.html").write_text(_index(edition), encoding="utf-8")
        terms = page_markdown(glossary.markdown(suffix=".html", language=edition.language))
        terms = _NOTEBOOK_LINK.sub(  # a notebook this site does not have: its name, no link
            lambda m: m.group(0) if m.group(1) in edition.pages else m.group(2), terms
        )
        title = say("Glossary", "术语表")
        glossary_page = _page(edition, title, terms, _nav(edition, "glossary.html"))
        (folder / "glossary.html").write_text(glossary_page, encoding="utf-8")


def editions(notebooks: Path) -> list[Edition]:
    """The English edition of ``notebooks``, and the Chinese one of ``notebooks/zh`` if
    it has notebooks."""
    english = [read(p) for p in sorted(notebooks.glob("[0-9][0-9]_*.ipynb"))]
    if not english:
        raise FileNotFoundError(f"no notebooks (NN_name.ipynb) in {notebooks}")
    chinese = [read(p) for p in sorted((notebooks / "zh").glob("[0-9][0-9]_*.ipynb"))]
    if not chinese:
        return [Edition("en", "", english, None)]
    en = Edition("en", "", english, "zh/")
    zh = Edition("zh", "zh/", chinese, "../", frozenset(en.pages))
    return [Edition("en", "", english, "zh/", frozenset(zh.pages)), zh]


def build_site(notebooks: str | Path, out: str | Path) -> list[Path]:
    """Build the site of the executed notebooks ``NN_name.ipynb`` in ``notebooks`` (and
    of the Chinese edition in ``notebooks/zh``, under ``zh/``) into ``out``; return its
    pages.

    The files are made in a folder of their own and moved into ``out`` when all are
    complete, so a failed or killed build leaves the previous site as it was. ``out``
    may be new, empty, a site built here before (its other files are kept), or a link to
    one (the folder it points to is updated); any other folder is refused.
    """
    require("the course site", "nbconvert", "nh3", "latex2mathml", "pygments", "defusedxml")
    notebooks, out = Path(notebooks), Path(out)
    if not notebooks.is_dir():
        raise NotADirectoryError(f"{notebooks} is not a folder: name the folder of the notebooks")
    if Path(os.path.realpath(out)).is_relative_to(os.path.realpath(notebooks)):
        raise ValueError(
            f"{out} is inside the notebooks folder {notebooks}: build the site outside it "
            f"(e.g. {notebooks.parent / 'site'})"
        )
    found = editions(notebooks)

    def write(staging: Path) -> None:
        for edition in found:
            write_edition(edition, staging / edition.folder)

    names = install(out, write)
    return [out / name for name in sorted(names) if name.endswith(".html")]
