"""The course as a static site for learners: one page per executed notebook, an index and
the glossary; offline (no script, style or font from the web) and printable.

It is the *student edition* of the same notebooks: cells tagged ``teacher`` and the
cells that reveal hints and solutions are left out; outputs and figures stay. Links
between notebooks and to the glossary point at the pages.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "site"
>>> pages = build_site(pathlib.Path(__file__).parent.parent / "notebooks", out)
>>> sorted(p.name for p in pages)[:3], (out / "style.css").is_file()
(['01_tokens.html', '02_vocabulary.html', '03_bpe.html'], True)
"""

from __future__ import annotations

import base64
import functools
import html
import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from llmprep import glossary

__all__ = ["TEACHER_TAG", "build_site", "minutes_in_class", "student_cells"]

TEACHER_TAG = "teacher"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_TIME = re.compile(r"\*\*Time in class:\*\*\s*about\s+(\d+)\s+minutes")
_STYLE = Path(__file__).with_name("site.css")
_MARK = ".llmprep-site"  # in every built site: the folder may be replaced


def student_cells(notebook: dict[str, Any]) -> list[dict[str, Any]]:
    """The cells a learner's edition shows: no teacher notes, no cells that only hold
    commented-out calls of ``hint()`` and ``solution()``."""
    kept = []
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if TEACHER_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        if cell["cell_type"] == "code" and re.fullmatch(
            r"(\s*#[^\n]*\.(hint|solution)\(\)[^\n]*\n?)+", source
        ):
            continue
        kept.append(cell)
    return kept


def minutes_in_class(notebook: dict[str, Any]) -> int | None:
    """The time a notebook takes in class, as its teacher notes say ("**Time in class:**
    about N minutes")."""
    for cell in notebook["cells"]:
        match = _TIME.search("".join(cell["source"]))
        if match:
            return int(match.group(1))
    return None


@functools.cache
def _renderer() -> Any:
    import mistune

    return mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])


def _markdown(text: str) -> str:
    page = _renderer()(text)
    # links between notebooks and to the glossary point at the pages
    page = re.sub(r'href="([\w.-]+)\.ipynb', r'href="\1.html', page)
    return page.replace('href="glossary.md', 'href="glossary.html')


def _code(source: str) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    return highlight(source, PythonLexer(), HtmlFormatter(cssclass="code", nowrap=False))


def _outputs(cell: dict[str, Any], figures: Path, prefix: str) -> str:
    parts = []
    for k, output in enumerate(cell.get("outputs", [])):
        kind = output["output_type"]
        if kind == "stream":
            text = html.escape(_ANSI.sub("", "".join(output["text"])))
            parts.append(f'<pre class="stream {output["name"]}">{text}</pre>')
        elif kind == "error":
            trace = _ANSI.sub("", "\n".join(output.get("traceback", [])))
            parts.append(f'<pre class="error">{html.escape(trace)}</pre>')
        else:
            data = output.get("data", {})
            if "application/vnd.jupyter.widget-view+json" in data:
                parts.append(
                    '<p class="widget">An interactive widget: it runs when the notebook '
                    "is opened in JupyterLab.</p>"
                )
            elif "image/png" in data:
                name = f"{prefix}-{k}.png"
                (figures / name).write_bytes(base64.b64decode("".join(data["image/png"])))
                alt = html.escape("".join(data.get("text/plain", ["a figure"])))
                parts.append(f'<figure><img src="figures/{name}" alt="{alt}"></figure>')
            elif "text/html" in data:
                parts.append(f'<div class="html">{"".join(data["text/html"])}</div>')
            elif "text/markdown" in data:
                parts.append(
                    f'<div class="markdown">{_markdown("".join(data["text/markdown"]))}</div>'
                )
            elif "text/plain" in data:
                parts.append(f"<pre>{html.escape(''.join(data['text/plain']))}</pre>")
    return f'<div class="outputs">{"".join(parts)}</div>' if parts else ""


def _page(title: str, body: str, nav: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        '<link rel="icon" href="data:,"><link rel="stylesheet" href="style.css"></head>'
        f"<body><nav>{nav}</nav><main>{body}</main><nav class='bottom'>{nav}</nav></body></html>\n"
    )


def _nav(previous: tuple[str, str] | None, following: tuple[str, str] | None) -> str:
    links = ['<a href="index.html">Course</a>']
    if previous:
        links.append(f'<a rel="prev" href="{previous[0]}.html">← {html.escape(previous[1])}</a>')
    if following:
        links.append(f'<a rel="next" href="{following[0]}.html">{html.escape(following[1])} →</a>')
    links.append('<a href="glossary.html">Glossary</a>')
    return " · ".join(links)


def _title(notebook: dict[str, Any]) -> str:
    first = "".join(notebook["cells"][0]["source"]).splitlines()[0]
    return first.lstrip("# ").strip()


def build_site(notebooks: Path, out: Path) -> list[Path]:
    """Build ``out/`` from the executed notebooks in ``notebooks``; return the pages.

    The site is built in a folder beside ``out`` and moved into place when complete, so
    a failed or killed build leaves the previous site as it was. ``out`` is replaced only
    if it is missing, empty or a site built here before (it holds the file ``.llmprep-site``):
    any other folder is refused rather than deleted."""
    paths = sorted(notebooks.glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        raise FileNotFoundError(f"no notebooks (NN_name.ipynb) in {notebooks}")
    if out.exists() and not (out.is_dir() and (not any(out.iterdir()) or (out / _MARK).exists())):
        raise FileExistsError(
            f"{out} exists and is not a site built by llmprep, so building there would "
            f"delete it: name a new folder, or move {out} away first"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-building-", dir=out.parent))
    try:
        staging.chmod(0o755)
        pages = _write_site(paths, staging)
        (staging / _MARK).write_text("built by python -m llmprep.site; safe to replace\n")
        old = staging.with_name(staging.name.replace("-building-", "-old-"))
        if out.exists():
            out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out / page.name for page in pages]


def _write_site(paths: list[Path], out: Path) -> list[Path]:
    (out / "figures").mkdir()
    from pygments.formatters import HtmlFormatter

    colours = HtmlFormatter(style="default").get_style_defs(".code")  # syntax colours
    (out / "style.css").write_text(_STYLE.read_text() + "\n" + colours + "\n")
    loaded = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
    titles = [(p.stem, _title(nb)) for p, nb in zip(paths, loaded, strict=True)]
    pages = []
    for k, (path, notebook) in enumerate(zip(paths, loaded, strict=True)):
        body = []
        for n, cell in enumerate(student_cells(notebook)):
            source = "".join(cell["source"])
            if cell["cell_type"] == "markdown":
                body.append(f'<section class="markdown">{_markdown(source)}</section>')
            elif cell["cell_type"] == "code":
                outputs = _outputs(cell, out / "figures", f"{path.stem}-{n}")
                body.append(f'<section class="cell">{_code(source)}{outputs}</section>')
        nav = _nav(titles[k - 1] if k else None, titles[k + 1] if k + 1 < len(titles) else None)
        page = out / f"{path.stem}.html"
        page.write_text(_page(titles[k][1], "\n".join(body), nav), encoding="utf-8")
        pages.append(page)
    pages.append(_index(out, titles, loaded))
    glossary_page = out / "glossary.html"
    glossary_page.write_text(
        _page("Glossary", _markdown(glossary.markdown(suffix=".html")), _nav(None, None)),
        encoding="utf-8",
    )
    return [*pages, glossary_page]


def _index(out: Path, titles: list[tuple[str, str]], notebooks: list[dict[str, Any]]) -> Path:
    rows = []
    for (stem, title), notebook in zip(titles, notebooks, strict=True):
        intro = "".join(notebook["cells"][0]["source"])
        learn = re.search(r"\*\*What you will learn\*\*\s*\n(.*?)\n\n", intro, re.S)
        minutes = minutes_in_class(notebook)
        rows.append(
            f'<section class="course-item"><h2><a href="{stem}.html">{html.escape(title)}</a></h2>'
            f"<p class='time'>{f'About {minutes} minutes in class.' if minutes else ''}</p>"
            f"{_markdown(learn.group(1)) if learn else ''}</section>"
        )
    total = sum(minutes_in_class(nb) or 0 for nb in notebooks)
    body = (
        "<h1>From raw text to the input tensors of a GPT</h1>"
        "<p>Six notebooks, in this order: text → tokens → ids → windows → batches → "
        f"embeddings. About {total // 60} h {total % 60} min in class in all. Each notebook "
        "ends with exercises that check themselves: open it in JupyterLab to try them. "
        'Terms are explained in the <a href="glossary.html">glossary</a>.</p>' + "".join(rows)
    )
    page = out / "index.html"
    page.write_text(_page("llmprep course", body, _nav(None, None)), encoding="utf-8")
    return page


if __name__ == "__main__":  # python -m llmprep.site NOTEBOOKS OUT
    import sys

    try:
        built = build_site(Path(sys.argv[1]), Path(sys.argv[2]))
    except (FileNotFoundError, FileExistsError) as error:
        sys.exit(f"llmprep.site: {error}")
    print(f"{len(built)} pages in {sys.argv[2]}; open {Path(sys.argv[2]) / 'index.html'}")
