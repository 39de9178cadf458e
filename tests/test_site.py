"""The course site: built from the notebooks without the network, the learners' edition
only, and in headless Chromium every page loads without a console error, every internal
link resolves, every figure renders, and printing hides the navigation."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest

from llmprep import glossary
from llmprep.site import build_site

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("course") / "site"
    build_site(ROOT / "notebooks", out)
    return out


class Links(HTMLParser):
    """Every href/src of a page, and every id it defines."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.refs.append((tag, name, value))
            if name == "id" and value:
                self.ids.add(value)


def parsed(page: Path) -> Links:
    links = Links()
    links.feed(page.read_text(encoding="utf-8"))
    return links


def test_the_site_has_every_page_and_nothing_from_the_web(site) -> None:
    pages = sorted(p.name for p in site.glob("*.html"))
    notebooks = sorted(p.stem + ".html" for p in (ROOT / "notebooks").glob("0*.ipynb"))
    assert pages == sorted([*notebooks, "index.html", "glossary.html"])
    for page in site.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text, page.name  # nothing to run, nothing to fetch
        for tag, _, value in parsed(page).refs:
            if tag in ("link", "img", "script"):
                assert not re.match(r"(https?:)?//", value), f"{page.name} loads {value}"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r"About \d+ minutes in class", index)
    assert all(f'href="{stem}"' in index for stem in notebooks)


def test_it_is_the_learners_edition(site) -> None:
    for page in site.glob("0*.html"):
        text = page.read_text(encoding="utf-8")
        assert "For the teacher" not in text, page.name
        code = "".join(re.findall(r'<div class="code">.*?</div>', text, re.S))
        assert '<span class="n">hint</span>' not in code, page.name  # the reveal cells are out
        assert '<span class="n">solution</span>' not in code, page.name
        assert "Not answered yet" in text  # the exercises, as a learner starts them


def test_every_internal_link_resolves(site) -> None:
    ids = {page.name: parsed(page).ids for page in site.glob("*.html")}
    for page in site.glob("*.html"):
        for _, _, value in parsed(page).refs:
            if re.match(r"(https?:|mailto:|data:)", value):
                continue
            target, _, fragment = value.partition("#")
            target = target or page.name
            assert (site / target).exists(), f"{page.name} links to missing {value}"
            if fragment and target.endswith(".html"):
                assert fragment in ids[target], f"{page.name} links to missing #{fragment}"
    # every notebook links its terms to the glossary, and every glossary term has its anchor
    for page in site.glob("0*.html"):
        assert "glossary.html#" in page.read_text(encoding="utf-8"), page.name
    assert {glossary.anchor(t.name) for t in glossary.TERMS} <= ids["glossary.html"]


def test_the_site_builds_with_no_network(tmp_path) -> None:
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("needs `unshare -n` (util-linux) and the right to use it")
    run = subprocess.run(
        ["unshare", "-n", sys.executable, "-m", "llmprep.site", ROOT / "notebooks", tmp_path / "s"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "s" / "index.html").is_file()


@pytest.fixture
def one_notebook(tmp_path) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    shutil.copy(ROOT / "notebooks" / "01_tokens.ipynb", folder)
    return folder


def test_a_folder_that_is_not_a_site_is_refused_not_deleted(one_notebook, tmp_path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.txt").write_text("years of work")
    with pytest.raises(FileExistsError, match="not a site built by llmprep"):
        build_site(one_notebook, mine)
    assert (mine / "thesis.txt").read_text() == "years of work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "notebooks"]
    run = subprocess.run(
        [sys.executable, "-m", "llmprep.site", one_notebook, mine], capture_output=True, text=True
    )
    assert run.returncode != 0 and "move" in run.stderr, run
    assert "Traceback" not in run.stderr


def test_a_rebuild_replaces_the_site_and_a_failed_one_keeps_it(
    one_notebook, tmp_path, monkeypatch
) -> None:
    out = tmp_path / "site"
    build_site(one_notebook, out)
    (out / "stale.html").write_text("from an older build")
    pages = build_site(one_notebook, out)
    assert not (out / "stale.html").exists()
    assert all(page.is_file() and page.parent == out for page in pages)
    before = sorted(p.name for p in out.iterdir())

    def killed(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr("llmprep.site._write_site", killed)
    with pytest.raises(KeyboardInterrupt):
        build_site(one_notebook, out)
    assert sorted(p.name for p in out.iterdir()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebooks", "site"]


@pytest.fixture(scope="module")
def served(site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium: apt-get install chromium")
def test_every_page_loads_in_a_browser_and_prints_cleanly(site, served) -> None:
    from playwright.sync_api import sync_playwright

    shots = ROOT / "docs" / "screenshots" if _keep_screenshots() else None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
        for name in sorted(p.name for p in site.glob("*.html")):
            page.goto(f"{served}/{name}")
            page.wait_for_load_state("load")
            broken = page.evaluate(
                "() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0)"
                ".map(i => i.src)"
            )
            assert not broken, f"{name}: figures that do not render: {broken}"
            assert not problems, f"{name}: {problems}"
            if shots and name == "04_dataloader.html":
                page.locator("figure").first.scroll_into_view_if_needed()
                page.screenshot(path=str(shots / "site_page.png"))
        page.emulate_media(media="print")
        page.goto(f"{served}/04_dataloader.html")
        assert (
            page.evaluate("() => getComputedStyle(document.querySelector('nav')).display") == "none"
        )
        pdf = page.pdf()  # prints without error
        assert pdf.startswith(b"%PDF")
        browser.close()


def _keep_screenshots() -> bool:
    import os

    return bool(os.environ.get("LLMPREP_SCREENSHOTS"))
