"""How one notebook becomes a safe HTML page: nbconvert renders every cell and output with
llmprep's template (``templates/llmprep_site``), and nothing that could run or load from
outside the site survives.

- HTML and Markdown, from cells or outputs, are sanitized (:func:`sanitize`): no script,
  no event handler, no image, frame, style or font from outside the site;
- figures (PNG, JPEG, GIF, SVG) become files in ``figures/`` shown with ``<img>``, with the
  alt text their cell gives (``metadata.alt``); an SVG is cleaned first (:func:`clean_svg`),
  as a learner may open the file on its own;
- JavaScript is never run, and an output of a type no page can show says so;
- LaTeX becomes MathML, which browsers draw without a script (its source if it cannot);
- a widget, which needs a live kernel, becomes a sentence saying so;
- an exercise's answer cell shows how to try it in JupyterLab instead of its stored
  "not answered yet".
"""

from __future__ import annotations

import base64
import functools
import html
import itertools
import json
import re
import urllib.parse
from pathlib import Path
from typing import Any

from llmprep.course.language import say
from llmprep.course.notebook import Notebook, NotebookError, source

__all__ = ["clean_svg", "latex_to_mathml", "page_markdown", "render_page", "sanitize"]

_HERE = Path(__file__).parent
#: The output types, in the order nbconvert picks the first one an output has.
_PRIORITY = [
    "application/vnd.jupyter.widget-view+json",
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "image/gif",
    "application/pdf",
    "text/latex",
    "application/json",
    "text/csv",
    "application/javascript",  # never run: a sentence says so (before its "<... object>")
    "text/plain",
]
_FIGURES = {"image/png", "image/jpeg", "image/gif", "image/svg+xml", "application/pdf"}

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
_OUTSIDE_CSS = re.compile(
    r"url\s*\(|image(?:-set)?\s*\(|cross-fade|src\s*\(|@import|expression\s*\(|\\", re.I
)
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp);base64,", re.I)
_IGNORED = re.compile(r"^[\x00-\x20]+|[\x00-\x20]+$|[\t\n\r]")  # what URL parsers drop
_OTHER_HOST = re.compile(r"[/\\]{2}")  # browsers read //host, \\host and /\host alike
_LOCAL = re.compile(r"(?![a-z][a-z0-9+.-]*:)(?!//)(?!/)[^\\]*", re.I)  # a path inside the site


def _attribute(tag: str, name: str, value: str) -> str | None:
    """nh3's attribute filter: keep a value only if it loads nothing from outside."""
    if name in ("src", "href"):
        # as a browser reads it: spaces and control characters around it dropped, tabs and
        # newlines in it too (" http://x" loads http://x)
        value = _IGNORED.sub("", value)
    if name == "src":
        if svg := _SVG_DATA.fullmatch(value):
            return _clean_svg_data(svg)
        return value if _LOCAL.fullmatch(value) or _DATA_IMAGE.match(value) else None
    if name == "href" and value[:5].lower() == "data:":  # a page of its own, made by anyone
        return None
    if name == "href" and _OTHER_HOST.match(value):  # //host/x: from file:// a broken link
        return "https://" + _OTHER_HOST.sub("", value, count=1)
    if name == "style":
        return None if _OUTSIDE_CSS.search(value) else value
    return value


_SVG_DATA = re.compile(r"data:image/svg\+xml(?:;charset=[\w-]+)?(;base64)?,(.*)", re.I | re.S)


def _clean_svg_data(match: re.Match[str]) -> str | None:
    """An inline SVG image, cleaned as a figure's file is (None if it cannot be read)."""
    try:
        if match.group(1):
            svg = base64.b64decode(match.group(2), validate=True).decode("utf-8")
        else:
            svg = urllib.parse.unquote(match.group(2), errors="strict")
    except ValueError:  # not base64, not UTF-8
        return None
    clean = clean_svg(svg)
    if clean is None:
        return None
    return "data:image/svg+xml;base64," + base64.b64encode(clean.encode("utf-8")).decode()


def sanitize(markup: str) -> str:
    """HTML with nothing that runs or loads from outside: no ``<script>``, ``<style>``,
    ``<iframe>``, ``<object>``, form or event handler; ``src`` only for files of the
    site (or an inline image); no ``url()`` in styles; links only to http(s), mailto or
    the site.

    >>> sanitize('<p onclick="x()">hi<script>alert(1)</script><img src="http://a/b.png"></p>')
    '<p>hi<span class="fallback">(an image not shown here: from the web, or unreadable)</span></p>'
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
    note = say(
        "an image not shown here: from the web, or unreadable",
        "这里不显示的图片：来自网络，或无法读取",
    )
    return f'<span class="fallback">({note}{what})</span>'


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


_ATTACHED = ("image/png", "image/jpeg", "image/gif")  # what an <img> of the page may inline


@functools.cache
def _markdown_renderer(attachments: str = "{}") -> Any:
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    class Renderer(IPythonRenderer):
        def block_math(self, body: str) -> str:
            return latex_to_mathml(body, display="block")

        def inline_math(self, body: str) -> str:
            return latex_to_mathml(body, display="inline")

        def image(self, text: str, url: str, title: str | None = None) -> str:
            name = url.removeprefix("attachment:")
            if name == url:
                return super().image(text, url, title)
            found = self.attachments.get(name, {})
            kind = next((kind for kind in _ATTACHED if kind in found), None)
            if kind is None:  # missing, or a type an inline image may not have: say so
                note = say("an image attached to the notebook, not shown here",
                           "笔记本附带的图片，这里不显示")  # fmt: skip
                what = f": {html.escape(text)}" if text else ""
                return f'<span class="fallback">({note}{what})</span>'
            data = "".join(found[kind]) if isinstance(found[kind], list) else found[kind]
            src = f"data:{kind};base64,{re.sub(r'[^A-Za-z0-9+/=]', '', data)}"
            return super(IPythonRenderer, self).image(text, src, title)

    renderer = Renderer(escape=False, anchor_link_text="¶", attachments=json.loads(attachments))
    return MarkdownWithMath(renderer=renderer)


def cell_markdown(cell: Any) -> str:
    """A Markdown cell as sanitized HTML, its attached images (``attachment:x.png``) inline."""
    attachments = cell.get("attachments") or {}
    renderer = _markdown_renderer(json.dumps(attachments, sort_keys=True)) if attachments else None
    return page_markdown(cell.source, renderer)


def page_markdown(text: str, renderer: Any = None) -> str:
    """Markdown as sanitized HTML, its links to notebooks and to the glossary pointing at
    their pages (``02_vocabulary.ipynb`` -> ``02_vocabulary.html``)."""
    page = (renderer or _markdown_renderer()).render(text)
    page = re.sub(r'href="([\w.-]+)\.ipynb', r'href="\1.html', page)
    page = page.replace('href="glossary.md', 'href="glossary.html')
    return sanitize(page)


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
            "cell_markdown": cell_markdown,
            "latex_to_mathml": latex_to_mathml,
            "figure_alt": _figure_alt,
        },
    )
    config.ExtractOutputPreprocessor.extract_output_types = _FIGURES
    exporter.register_preprocessor(ExtractOutputPreprocessor(config=config), enabled=True)
    return exporter


def _figure_alt(cell: Any) -> str:
    return Notebook.figure_alt(cell) or say(
        "A figure drawn by the code above (no description given)",
        "上面的代码画出的图（没有文字说明）",
    )


def _try_it(cell: dict[str, Any]) -> dict[str, Any]:
    """An answer cell as the site shows it: the code to complete, and how to try it (its
    stored output, "Not answered yet: replace ...", only makes sense in a live kernel)."""
    text = say(
        "Try this exercise in JupyterLab: open the notebook, write your answer where the "
        "<code>...</code> is and run the cell. The check answers at once: whether it is "
        "right and, if not, what is probably wrong.",
        "请在 JupyterLab 中做这道练习：打开笔记本，在 <code>...</code> 处写下你的答案并运行"
        "该单元格。检查会立即给出结果：答案是否正确；如果不对，最可能错在哪里。",
    )
    output = {"output_type": "display_data", "metadata": {},
              "data": {"text/html": f'<p class="try">{text}</p>', "text/plain": text}}  # fmt: skip
    return {**cell, "outputs": [output]}


# ---- SVG figures ------------------------------------------------------------------

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK = "{http://www.w3.org/1999/xlink}href"
_SVG_TAGS = {
    "svg", "g", "defs", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "title", "desc", "use", "symbol", "clipPath", "mask", "pattern", "marker",
    "linearGradient", "radialGradient", "stop", "image", "style",
}  # fmt: skip
_LOCAL_URL = re.compile(r"url\(\s*['\"]?#[^)]*\)", re.I)  # url(#clip1): inside the figure


def _svg_value_is_safe(name: str, value: str) -> bool:
    if name.startswith("on") or name.lower().startswith("{"):  # handlers, other namespaces
        return name == _XLINK and _svg_link_is_safe(value)
    if name == "href":
        return _svg_link_is_safe(value)
    return not _OUTSIDE_CSS.search(_LOCAL_URL.sub("", value))


def _svg_link_is_safe(value: str) -> bool:
    value = _IGNORED.sub("", value)
    return value.startswith("#") or bool(_DATA_IMAGE.match(value))


def clean_svg(svg: str) -> str | None:
    """An SVG figure with nothing that runs or loads from outside (it is a file of the site:
    a learner may open it on its own, where its scripts would run): only drawing elements,
    no handler, links only inside the figure or to inline images, no outside ``url()``;
    None if it is not well-formed SVG.

    >>> clean_svg('<svg xmlns="http://www.w3.org/2000/svg" onload="x()"><script>y()</script>'
    ...           '<rect width="2" style="fill:url(#g)"/></svg>')
    '<svg xmlns="http://www.w3.org/2000/svg"><rect width="2" style="fill:url(#g)" /></svg>'
    """
    from xml.etree import ElementTree

    from defusedxml import ElementTree as SafeTree  # no entities, no DTD: no XML bombs

    try:
        root = SafeTree.fromstring(svg.strip())
    except Exception:  # defusedxml and expat raise several kinds; unreadable is unreadable
        return None
    if root.tag != f"{{{_SVG_NS}}}svg":
        return None

    def clean(element: Any) -> None:
        for child in list(element):
            tag = child.tag.split("}")[-1] if child.tag.startswith(f"{{{_SVG_NS}}}") else None
            text = (child.text or "") if tag == "style" else ""
            if tag not in _SVG_TAGS or _OUTSIDE_CSS.search(_LOCAL_URL.sub("", text)):
                element.remove(child)
                continue
            clean(child)
        for name, value in list(element.attrib.items()):
            if not _svg_value_is_safe(name, value):
                del element.attrib[name]

    holder = ElementTree.Element("holder")
    holder.append(root)
    clean(holder)
    if not len(holder):
        return None
    ElementTree.register_namespace("", _SVG_NS)
    ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    return ElementTree.tostring(root, encoding="unicode")


# ---- outputs --------------------------------------------------------------------------


_HEAD_LINES, _TAIL_LINES = 500, 100  # what a page shows of a very long stream


def _stream_shown(output: dict[str, Any]) -> dict[str, Any]:
    """A stream as a terminal shows it: a line rewritten after ``\r`` (a progress bar)
    shows its last state; of a very long one, the first and last lines and a note."""
    text = output.get("text", "")
    text = "".join(text) if isinstance(text, list) else str(text)
    lines = [line.rsplit("\r", 1)[-1] for line in text.replace("\r\n", "\n").split("\n")]
    ends_a_line = len(lines) > 1 and lines[-1] == ""
    lines = lines[:-1] if ends_a_line else lines
    if len(lines) > _HEAD_LINES + _TAIL_LINES + 1:
        left_out = len(lines) - _HEAD_LINES - _TAIL_LINES
        note = say(
            f"[... {left_out:,} lines left out here: run the notebook to see them all ...]",
            f"[……此处省略 {left_out:,} 行：运行笔记本即可看到全部……]",
        )
        lines = [*lines[:_HEAD_LINES], str(note), *lines[-_TAIL_LINES:]]
    return {**output, "text": "\n".join(lines) + ("\n" if ends_a_line else "")}


def _shown(output: dict[str, Any], where: str) -> dict[str, Any]:
    """An output as the page shows it: its SVG cleaned, its figures checked, and a
    sentence where none of its types can be shown (so nothing vanishes unsaid)."""
    if output.get("output_type") == "stream":
        return _stream_shown(output)
    if output.get("output_type") not in ("display_data", "execute_result"):
        return output
    data = dict(output.get("data", {}))
    for kind in _FIGURES - {"image/svg+xml"}:
        if kind in data:
            encoded = "".join(data[kind]) if isinstance(data[kind], list) else data[kind]
            try:
                base64.b64decode(re.sub(r"\s", "", str(encoded)), validate=True)
            except ValueError:
                raise NotebookError(
                    f"{where}: its {kind} output is not base64 data: run the cell again and "
                    f"save the notebook"
                ) from None
    if "image/svg+xml" in data:
        svg = data.pop("image/svg+xml")
        svg = clean_svg("".join(svg) if isinstance(svg, list) else str(svg))
        if svg is not None:
            data["image/svg+xml"] = svg
        elif not _FIGURES & set(data):
            note = say(
                "an SVG figure that is not well-formed, not shown", "格式有误的 SVG 图，不显示"
            )
            data = {"text/html": f'<p class="fallback">({note})</p>'}
    if not any(kind in data for kind in _PRIORITY):
        kinds = ", ".join(sorted(data))
        note = (
            say(
                f"an output of type {kinds}, not shown on this site",
                f"类型为 {kinds} 的输出，本网站不显示",
            )
            if kinds
            else say("an empty output", "空输出")
        )
        data = {"text/html": f'<p class="fallback">({html.escape(note)})</p>'}
    return {**output, "data": data}


_LOCAL_IMAGE = re.compile(r"!\[([^\]]*)\]\(<?([^)\s>]+)>?(\s+\"[^\"]*\")?\)")
_CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.S)
_IMAGE_KINDS = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg", b"GIF8": "image/gif"}


def _local_images(cell: dict[str, Any], folder: Path) -> dict[str, Any]:
    """A Markdown cell whose images are files beside the notebook (``![x](images/a.png)``):
    each becomes an attachment of the cell, so the page holds it inline; one that is
    missing, outside the folder or not a PNG, JPEG or GIF is said so."""
    if cell.get("cell_type") != "markdown":
        return cell
    attachments = dict(cell.get("attachments") or {})

    def inline(match: re.Match[str]) -> str:
        alt, url, title = match.group(1), match.group(2), match.group(3) or ""
        if not _LOCAL.fullmatch(url) or url.startswith("attachment:"):
            return match.group(0)
        path = (folder / urllib.parse.unquote(url.split("#")[0].split("?")[0])).resolve()
        data = path.read_bytes() if path.is_file() and path.is_relative_to(folder) else b""
        kind = next((k for magic, k in _IMAGE_KINDS.items() if data.startswith(magic)), None)
        if kind is None:
            note = say(
                f"an image beside the notebook that the site cannot show: {url}",
                f"笔记本旁的图片，网站无法显示：{url}",
            )
            return f'<span class="fallback">({html.escape(str(note))})</span>'
        name = next(n for k in itertools.count() if (n := f"local-{k}{path.suffix}") not in
                    attachments)  # fmt: skip
        attachments[name] = {kind: base64.b64encode(data).decode()}
        return f"![{alt}](attachment:{name}{title})"

    parts = _CODE.split(source(cell))  # code (odd places) shows ![x](y) as it is written
    text = "".join(p if k % 2 else _LOCAL_IMAGE.sub(inline, p) for k, p in enumerate(parts))
    if text == source(cell):
        return cell
    return {**cell, "source": text, **({"attachments": attachments} if attachments else {})}


def render_page(notebook: Notebook, shell: dict[str, str], figures: Path) -> str:
    """The learners' page of one notebook in the page ``shell`` (head, top, bottom); its
    figures are written into ``figures``."""
    import nbformat

    cells = [_try_it(cell) if notebook.role(cell) == "answer" else cell for cell in
             notebook.student_cells()]  # fmt: skip
    folder = notebook.path.parent.resolve()
    for k, cell in enumerate(cells):
        cells[k] = cell = _local_images(cell, folder)
        if cell.get("cell_type") == "code":
            where = f"{notebook.path}: cell {cell.get('id', k)}"
            cells[k] = {**cell, "outputs": [_shown(o, where) for o in cell.get("outputs", [])]}
    edition = {**notebook.data, "cells": cells}  # nbformat joins the lines
    try:
        student = nbformat.reads(json.dumps(edition), as_version=nbformat.NO_CONVERT)
    except nbformat.ValidationError as error:
        raise NotebookError(
            f"{notebook.path} is not a valid notebook ({error.message}): open it in JupyterLab "
            f"and save it again"
        ) from None
    resources = {
        "unique_key": notebook.stem,
        "output_files_dir": figures.name,
        "page": {
            **shell,
            "widget": say(
                "An interactive widget: it runs when the notebook is opened in JupyterLab.",
                "一个交互控件：在 JupyterLab 中打开笔记本时才能运行。",
            ),
            "pdf": say("A PDF figure:", "PDF 图："),
            "javascript": say(
                "(JavaScript output, not run on this site)", "（JavaScript 输出，本网站不运行）"
            ),
        },
    }
    body, resources = _exporter().from_notebook_node(student, resources=resources)
    for name, data in resources.get("outputs", {}).items():
        if name.endswith(".gif"):  # nbconvert decodes only PNG, JPEG and PDF
            data = base64.b64decode(data)
        (figures.parent / name).write_bytes(data)
    return body
