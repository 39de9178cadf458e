"""The course as a static site for learners: one page per executed notebook, an index and
the glossary; offline, printable, and safe to open: no page runs a script or loads
anything from outside the site.

It is the *student edition* of the same notebooks: :mod:`llmprep.course.notebook` says
which cells are teacher notes and which only reveal hints and solutions, and those are
left out. nbconvert renders every cell and output (our template, today's stylesheet):

- HTML and Markdown, from cells or outputs, are sanitized (:func:`sanitize`): no script,
  no event handler, no image, frame, style or font from outside the site;
- figures (PNG, JPEG, SVG) become files in ``figures/`` shown with ``<img>`` (an SVG shown
  that way runs no script), with the alt text their cell gives (``metadata.alt``);
- LaTeX becomes MathML, which browsers draw without a script (its source if it cannot);
- a widget, which needs a live kernel, becomes a sentence saying so.

Every page also carries a Content-Security-Policy that forbids scripts and outside
resources, in case anything slipped through.

A rebuild updates the files it built before and leaves every other file in the folder
alone (a teacher's notes, a classroom's data): ``.llmprep-site`` lists what it built.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "site"
>>> pages = build_site(pathlib.Path(__file__).parents[2] / "notebooks", out)
>>> sorted(p.name for p in pages)[:3], (out / "style.css").is_file()
(['01_tokens.html', '02_vocabulary.html', '03_bpe.html'], True)
"""

from __future__ import annotations

import functools
import html
import json
import re
import shutil
from pathlib import Path
from typing import Any

from llmprep.course import fonts, glossary, require
from llmprep.course.notebook import Notebook, read
from llmprep.course.site_files import install

__all__ = ["build_site", "latex_to_mathml", "page_markdown", "sanitize"]

_HERE = Path(__file__).parent
_STYLE = _HERE / "site.css"
#: What a page may load: only files of the site itself; no script at all.
CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "font-src 'self'; base-uri 'none'; form-action 'none'"
)
#: The output types, in the order nbconvert picks the first one an output has.
_PRIORITY = [
    "application/vnd.jupyter.widget-view+json",
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "application/pdf",
    "text/latex",
    "application/json",
    "text/plain",
]

# ---- sanitizing -----------------------------------------------------------------

_MATHML = {
    "math", "mi", "mn", "mo", "ms", "mtext", "mspace", "mrow", "mfrac", "msqrt", "mroot",
    "msub", "msup", "msubsup", "munder", "mover", "munderover", "mtable", "mtr", "mtd",
    "mstyle", "mpadded", "mphantom", "menclose", "semantics", "annotation",
}  # fmt: skip
_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp",
    "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul", "var", "wbr",
} | _MATHML  # fmt: skip
_ATTRIBUTES = {
    "*": {"class", "id", "title", "style", "lang", "dir"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
    "math": {"display", "xmlns"},
    **{tag: {"mathvariant", "stretchy", "fence", "separator", "accent", "lspace", "rspace",
             "columnalign", "linethickness", "width", "displaystyle", "encoding"}
       for tag in _MATHML - {"math"}},
}  # fmt: skip
_OUTSIDE_CSS = re.compile(r"url\s*\(|@import|expression\s*\(|\\", re.I)
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp);base64,", re.I)
_LOCAL = re.compile(r"(?![a-z][a-z0-9+.-]*:)(?!//)(?!/)[^\\]*", re.I)  # a path inside the site


def _attribute(tag: str, name: str, value: str) -> str | None:
    """nh3's attribute filter: keep a value only if it loads nothing from outside."""
    if name == "src":
        return value if _LOCAL.fullmatch(value) or _DATA_IMAGE.match(value) else None
    if name == "style":
        return None if _OUTSIDE_CSS.search(value) else value
    return value


def sanitize(markup: str) -> str:
    """HTML with nothing that runs or loads from outside: no ``<script>``, ``<style>``,
    ``<iframe>``, ``<object>``, form or event handler; ``src`` only for files of the
    site (or an inline image); no ``url()`` in styles; links only to http(s), mailto or
    the site.

    >>> sanitize('<p onclick="x()">hi<script>alert(1)</script><img src="http://a/b.png"></p>')
    '<p>hi<span class="fallback">(an image from the web, not shown here)</span></p>'
    """
    import nh3

    clean = nh3.clean(
        str(markup),
        tags=_TAGS,
        clean_content_tags={"script", "style"},
        attributes=_ATTRIBUTES,
        attribute_filter=_attribute,
        url_schemes={"http", "https", "mailto", "data"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # an image whose source was outside lost its src: say so instead of a broken image
    return _NO_SOURCE.sub(_say_not_shown, clean)


_NO_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)([^>]*)>")
_ALT = re.compile(r'\salt="([^"]*)"')


def _say_not_shown(match: re.Match[str]) -> str:
    alt = _ALT.search(match.group(1))
    what = f": {alt.group(1)}" if alt and alt.group(1) else ""
    return f'<span class="fallback">(an image from the web, not shown here{what})</span>'


# ---- Markdown, LaTeX --------------------------------------------------------------


def latex_to_mathml(latex: str, *, display: str = "block") -> str:
    """LaTeX as MathML, which a browser draws without any script; the LaTeX source itself
    (marked up as code) where latex2mathml cannot convert it.

    >>> latex_to_mathml("$x^2$")[:47]
    '<math xmlns="http://www.w3.org/1998/Math/MathML'
    """
    from latex2mathml.converter import convert

    body = latex.strip()
    for left, right in (("$$", "$$"), ("\\[", "\\]"), ("$", "$"), ("\\(", "\\)")):
        if body.startswith(left) and body.endswith(right) and len(body) > len(left + right):
            body = body[len(left) : -len(right)]
            break
    try:
        return sanitize(convert(body, display=display))
    except Exception:  # latex2mathml raises many kinds; the source is the honest fallback
        return f'<pre class="latex">{html.escape(latex)}</pre>'


@functools.cache
def _markdown_renderer() -> Any:
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    class Renderer(IPythonRenderer):
        def block_math(self, body: str) -> str:
            return latex_to_mathml(body, display="block")

        def inline_math(self, body: str) -> str:
            return latex_to_mathml(body, display="inline")

    return MarkdownWithMath(renderer=Renderer(escape=False, anchor_link_text="¶"))


def page_markdown(text: str) -> str:
    """Markdown as sanitized HTML, its links to notebooks and to the glossary pointing at
    their pages (``02_vocabulary.ipynb`` -> ``02_vocabulary.html``)."""
    page = _markdown_renderer().render(text)
    page = re.sub(r'href="([\w.-]+)\.ipynb', r'href="\1.html', page)
    page = page.replace('href="glossary.md', 'href="glossary.html')
    return sanitize(page)


# ---- pages --------------------------------------------------------------------------


def _shell(title: str, nav: str, *, lang: str = "en") -> dict[str, str]:
    """The page around the content: one for notebook pages, the index and the glossary."""
    head = (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
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


def _page(title: str, body: str, nav: str) -> str:
    shell = _shell(title, nav)
    return shell["head"] + shell["top"] + body + shell["bottom"]


def _nav(previous: Notebook | None, following: Notebook | None) -> str:
    links = ['<a href="index.html">Course</a>']
    if previous:
        title = html.escape(previous.title)
        links.append(f'<a rel="prev" href="{previous.stem}.html">← {title}</a>')
    if following:
        links.append(
            f'<a rel="next" href="{following.stem}.html">{html.escape(following.title)} →</a>'
        )
    links.append('<a href="glossary.html">Glossary</a>')
    return " · ".join(links)


@functools.cache
def _exporter() -> Any:
    from nbconvert import HTMLExporter
    from nbconvert.filters import DataTypeFilter
    from nbconvert.preprocessors import ExtractOutputPreprocessor
    from traitlets.config import Config

    class Exporter(HTMLExporter):
        def register_filter(self, name: str, jinja_filter: Any) -> Any:
            # subtle: nbconvert shows a widget only if the notebook saved its state, else
            # its text ("VBox(...)"); a static page cannot run it either way, so every
            # widget gets the same sentence (the template's data_widget_view)
            if name == "filter_data_type":
                jinja_filter = DataTypeFilter(parent=self)
            return super().register_filter(name, jinja_filter)

    config = Config()
    config.NbConvertBase.display_data_priority = _PRIORITY
    config.TemplateExporter.exclude_input_prompt = True
    config.TemplateExporter.exclude_output_prompt = True
    exporter = Exporter(
        config=config,
        template_name="llmprep_site",
        extra_template_basedirs=[str(_HERE / "templates")],
        filters={
            "sanitize": sanitize,
            "page_markdown": page_markdown,
            "latex_to_mathml": latex_to_mathml,
            "figure_alt": _figure_alt,
        },
    )
    exporter.register_preprocessor(ExtractOutputPreprocessor(config=config), enabled=True)
    return exporter


def _figure_alt(cell: Any) -> str:
    return Notebook.figure_alt(cell) or "A figure drawn by the code above (no description given)"


_TRY_IT = (
    '<p class="try">Try this exercise in JupyterLab: open the notebook, write your answer '
    "where the <code>...</code> is and run the cell. The check answers at once: whether it "
    "is right and, if not, what is probably wrong.</p>"
)


def _try_it(cell: dict[str, Any]) -> dict[str, Any]:
    """An answer cell as the site shows it: the code to complete, and how to try it (its
    stored output, "Not answered yet: replace ...", only makes sense in a live kernel)."""
    output = {"output_type": "display_data", "metadata": {},
              "data": {"text/html": _TRY_IT, "text/plain": "Try it in JupyterLab."}}  # fmt: skip
    return {**cell, "outputs": [output]}


def render_page(notebook: Notebook, nav: str, figures: Path) -> str:
    """The learners' page of one notebook; its figures are written into ``figures``."""
    import nbformat

    cells = [_try_it(cell) if notebook.role(cell) == "answer" else cell for cell in
             notebook.student_cells()]  # fmt: skip
    edition = {**notebook.data, "cells": cells}  # nbformat joins the lines
    student = nbformat.reads(json.dumps(edition), as_version=nbformat.NO_CONVERT)
    resources = {
        "unique_key": notebook.stem,
        "output_files_dir": figures.name,
        "page": _shell(notebook.title, nav),
    }
    body, resources = _exporter().from_notebook_node(student, resources=resources)
    for name, data in resources.get("outputs", {}).items():
        (figures.parent / name).write_bytes(data)
    return body


def _index(books: list[Notebook]) -> str:
    rows = []
    for book in books:
        minutes = book.minutes_in_class
        rows.append(
            f'<section class="course-item"><h2><a href="{book.stem}.html">'
            f"{html.escape(book.title)}</a></h2>"
            f"<p class='time'>{f'About {minutes} minutes in class.' if minutes else ''}</p>"
            f"{page_markdown(book.goals) if book.goals else ''}</section>"
        )
    total = sum(book.minutes_in_class or 0 for book in books)
    body = (
        "<h1>From raw text to the input tensors of a GPT</h1>"
        f"<p>{len(books)} notebooks, in this order: text → tokens → ids → windows → batches → "
        f"embeddings. About {total // 60} h {total % 60} min in class in all. Each notebook "
        "ends with exercises that check themselves: open it in JupyterLab to try them. "
        'Terms are explained in the <a href="glossary.html">glossary</a>.</p>' + "".join(rows)
    )
    return _page("llmprep course", body, _nav(None, None))


def write_pages(books: list[Notebook], folder: Path) -> None:
    """Every file of the site, written into the (new, empty) ``folder``."""
    from pygments.formatters import HtmlFormatter

    (folder / "figures").mkdir()
    (folder / "fonts").mkdir()
    for shipped in (fonts.FONT, fonts.FONT.with_name("OFL.txt")):  # the CJK glyphs it uses
        shutil.copyfile(shipped, folder / "fonts" / shipped.name)
    face = (
        f'@font-face {{ font-family: "{fonts.FAMILY}"; src: url("fonts/{fonts.FONT.name}") '
        f'format("opentype"); unicode-range: {fonts.UNICODE_RANGE}; }}\n'
    )
    colours = HtmlFormatter(style="default").get_style_defs(".highlight")  # syntax colours
    (folder / "style.css").write_text(face + _STYLE.read_text() + "\n" + colours + "\n")
    for k, book in enumerate(books):
        nav = _nav(books[k - 1] if k else None, books[k + 1] if k + 1 < len(books) else None)
        page = render_page(book, nav, folder / "figures")
        (folder / f"{book.stem}.html").write_text(page, encoding="utf-8")
    (folder / "index.html").write_text(_index(books), encoding="utf-8")
    glossary_page = _page(
        "Glossary", page_markdown(glossary.markdown(suffix=".html")), _nav(None, None)
    )
    (folder / "glossary.html").write_text(glossary_page, encoding="utf-8")


def build_site(notebooks: str | Path, out: str | Path) -> list[Path]:
    """Build the site of the executed notebooks ``NN_name.ipynb`` in ``notebooks`` into
    ``out``; return its pages.

    The files are made in a folder of their own and moved into ``out`` when all are
    complete, so a failed or killed build leaves the previous site as it was. ``out``
    may be new, empty, a site built here before (its other files are kept), or a link to
    one (the folder it points to is updated); any other folder is refused.
    """
    require("the course site", "nbconvert", "nh3", "latex2mathml", "pygments")
    notebooks, out = Path(notebooks), Path(out)
    paths = sorted(notebooks.glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        raise FileNotFoundError(f"no notebooks (NN_name.ipynb) in {notebooks}")
    books = [read(p) for p in paths]
    names = install(out, lambda staging: write_pages(books, staging))
    return [out / name for name in sorted(names) if name.endswith(".html")]
