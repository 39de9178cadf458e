"""End to end: `make lab` serves JupyterLab; every notebook runs in a real browser.

Headless Chromium (Debian's `chromium`, driven by Playwright's Python package) opens each
notebook in JupyterLab, runs all cells from the Run menu, and the test checks that no
cell shows an error or other stderr output (except those tagged raises-exception), that
every figure rendered,
and that the tokenizer playground updates live. JupyterLab runs copies of the notebooks,
so the stored outputs stay as they are. A screenshot of each notebook goes to
$LLMPREP_SCREENSHOTS (default: a temporary folder); `make screenshots` refreshes the
ones README shows.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHINESE = sorted((ROOT / "notebooks" / "zh").glob("*.ipynb"))
BOTH = NOTEBOOKS + CHINESE  # the Chinese edition runs and presents the same


def where(notebook: Path) -> str:
    """The notebook's path in JupyterLab's tree: "04_dataloader.ipynb", "zh/04_...ipynb"."""
    return notebook.relative_to(ROOT / "notebooks").as_posix()


def edition_id(notebook: Path) -> str:
    return where(notebook).removesuffix(".ipynb").replace("/", "-")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="no Chromium: install it (Debian/Ubuntu: apt-get install chromium) to run the "
        "browser test; Playwright's Python package drives it, no browser download needed",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


LAB_FOLDERS: list[Path] = []  # where the running JupyterLab's notebooks are


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab started by `make lab` itself, without a browser, on a free port."""
    port, token = free_port(), secrets.token_hex(16)
    folder = tmp_path_factory.mktemp("lab")
    log, workspaces = folder / "lab.log", folder / "workspaces"  # the user's stay untouched
    # subtle: JupyterLab autosaves what it runs; it runs copies, so the repository's
    # notebooks keep their stored outputs
    shutil.copytree(ROOT / "notebooks", folder / "notebooks")
    LAB_FOLDERS.append(folder / "notebooks")
    with open(log, "w") as out:
        server = subprocess.Popen(
            [
                "make",
                "--no-print-directory",
                "lab",
                f"PORT={port}",
                f"NOTEBOOK_DIR={folder / 'notebooks'}",
                f"LAB_ARGS=--no-browser --IdentityProvider.token={token} "
                f"--LabApp.workspaces_dir={workspaces}",
            ],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"`make lab` did not serve JupyterLab:\n{log.read_text()[-3000:]}")
                time.sleep(0.5)
        yield url, token
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    folder = os.environ.get("LLMPREP_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def expected_cells(notebook: Path) -> tuple[int, set[int], int]:
    """(code cells, indices of cells tagged raises-exception, figures) of the stored file."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    raising = {
        i
        for i, c in enumerate(cells)
        if "raises-exception" in c.get("metadata", {}).get("tags", [])
    }
    figures = sum("image/png" in o.get("data", {}) for c in code for o in c.get("outputs", []))
    return len(code), raising, figures


CELL_STATE = """() => {
  const cells = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell')];
  return cells.map((cell, index) => ({
    index,
    code: cell.classList.contains('jp-CodeCell'),
    prompt: (cell.querySelector('.jp-InputPrompt') || {}).textContent || '',
    error: cell.querySelector('[data-mime-type="application/vnd.jupyter.stderr"]') !== null,
    outputs: cell.querySelectorAll('.jp-OutputArea-output').length,
    images: [...cell.querySelectorAll('.jp-OutputArea-output img')]
      .filter(img => img.complete && img.naturalWidth > 0).length,
  }));
}"""


@pytest.mark.parametrize("notebook", BOTH, ids=edition_id)
def test_notebook_runs_in_jupyterlab(lab, browser, screenshots, notebook) -> None:
    url, token = lab
    n_code, raising, n_figures = expected_cells(notebook)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        # a workspace of its own per notebook: nothing restored, one kernel started
        space = edition_id(notebook)
        page.goto(f"{url}/lab/workspaces/{space}/tree/{where(notebook)}?token={token}")
        page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell", timeout=60_000)
        page.wait_for_selector(
            ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000
        )
        # no dialog or notification may stand in the way of a learner
        assert page.locator(".jp-Dialog").count() == 0
        assert page.locator(".jp-toast-message, .Toastify__toast").count() == 0
        clear_all_outputs(page)  # so that what is checked below is what ran now
        run_all_cells(page)
        cells = wait_for_all_cells_to_run(page, n_code, timeout=300)
        page.wait_for_timeout(500)  # let the last images decode
        cells = page.evaluate(CELL_STATE)
        errors = {c["index"] for c in cells if c["error"]}
        assert errors == raising, f"cells with errors: {sorted(errors)}, expected {sorted(raising)}"
        assert sum(c["images"] for c in cells) == n_figures
        if page.locator(".widget-textarea textarea").count():
            check_playground(page)
        first_figure = page.locator(".jp-OutputArea-output img").first
        if n_figures:
            first_figure.scroll_into_view_if_needed()
        if notebook in NOTEBOOKS:  # README shows the English edition
            page.screenshot(path=str(screenshots / f"{notebook.stem}.png"))
    finally:
        page.close()


def menu(page, top: str, item: str) -> bool:
    """Click menu ``top`` > ``item`` if that item is enabled; close the menu otherwise."""
    page.locator(".lm-MenuBar-itemLabel", has_text=top).first.click()
    entry = page.locator(".lm-Menu-item:not(.lm-mod-disabled)").filter(
        has=page.locator(".lm-Menu-itemLabel", has_text=item)
    )
    if entry.count():
        entry.first.click()
        return True
    page.keyboard.press("Escape")
    return False


def clear_all_outputs(page, *, timeout: float = 90) -> None:
    """Edit > Clear Outputs of All Cells, until no stored output or number is left."""
    deadline = time.monotonic() + timeout
    while True:
        if menu(page, "Edit", "Clear Outputs of All Cells"):
            page.wait_for_timeout(500)
            cells = page.evaluate(CELL_STATE)
            if not any(c["outputs"] or re.search(r"\d", c["prompt"]) for c in cells):
                return
        if time.monotonic() > deadline:
            pytest.fail(f"could not clear the stored outputs within {timeout} s")
        time.sleep(1)


def run_all_cells(page, *, timeout: float = 90) -> None:
    """Run > Run All Cells, as a learner would; retried until execution has started.

    subtle: right after a notebook opens, the menu item can still be disabled, and a
    click then does nothing; a fresh server on a busy machine takes longer to get there.
    """
    deadline = time.monotonic() + timeout
    while True:
        if menu(page, "Run", "Run All Cells"):
            started = time.monotonic() + 15
            while time.monotonic() < started:
                prompts = [c["prompt"] for c in page.evaluate(CELL_STATE) if c["code"]]
                if any(re.search(r"\[(\*|\d+)\]", p) for p in prompts):
                    return
                time.sleep(0.5)
        if time.monotonic() > deadline:
            pytest.fail(f"Run All Cells did not start the notebook within {timeout} s")
        time.sleep(1)


def wait_for_all_cells_to_run(page, n_code: int, *, timeout: float) -> list[dict]:
    """Poll until every code cell has an execution number and the kernel is idle."""
    deadline = time.monotonic() + timeout
    while True:
        cells = page.evaluate(CELL_STATE)
        prompts = [c["prompt"] for c in cells if c["code"]]
        idle = page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").count()
        numbers = [int(m.group(1)) if (m := re.search(r"\[(\d+)\]", p)) else None for p in prompts]
        if numbers == list(range(1, n_code + 1)) and idle:  # every cell, once, in order
            return cells
        if time.monotonic() > deadline:
            pytest.fail(
                f"not every cell ran within {timeout} s: prompts {prompts} "
                f"(expected {n_code} code cells), kernel idle: {bool(idle)}"
            )
        time.sleep(1)


def check_playground(page) -> None:
    """Typing in the tokenizer playground redraws the tokens through the live kernel."""
    box = page.locator(".widget-textarea textarea").first
    box.scroll_into_view_if_needed()
    tokens = page.locator(".widget-html-content").first
    before = tokens.text_content()
    box.fill(" ".join(["Akwirw ier"] * 7))
    page.wait_for_function(
        "before => document.querySelector('.widget-html-content').textContent !== before",
        arg=before,
        timeout=30_000,
    )
    assert tokens.locator("span").count() >= 14  # at least two tokens per "Akwirw ier"


PRESENT_SLIDE = """() => {
  const slides = [...document.querySelectorAll('.reveal .slides section.present')];
  const inner = slides[slides.length - 1];
  if (!inner) return null;
  return {text: inner.innerText.slice(0, 200),
          shown: inner.clientHeight, needed: inner.scrollHeight,
          images: [...inner.querySelectorAll('img')].filter(i => i.naturalWidth > 0).length};
}"""


def walk_deck(page, url: str, token: str, notebook: Path) -> list[dict]:
    """Open a notebook as a RISE deck and press Space until the last slide: what each
    slide showed, and how high it was against the height it needed."""
    page.goto(f"{url}/rise/{where(notebook)}?token={token}")
    try:
        page.wait_for_selector(".reveal .slides section.present", timeout=90_000)
    except Exception:
        pytest.fail(f"the slide deck of {notebook.name} did not start (RISE)")
    page.wait_for_timeout(1500)  # let figures decode
    seen = [page.evaluate(PRESENT_SLIDE)]
    kinds = [c["metadata"]["slideshow"]["slide_type"] for c in json.loads(
        notebook.read_text(encoding="utf-8"))["cells"]]  # fmt: skip
    for _ in range(kinds.count("slide") + kinds.count("subslide") + 5):
        page.keyboard.press("Space")
        page.wait_for_timeout(300)
        now = page.evaluate(PRESENT_SLIDE)
        if now == seen[-1]:
            break  # the last slide: Space changes nothing
        seen.append(now)
    return seen


@pytest.mark.parametrize("notebook", BOTH, ids=edition_id)
def test_every_slide_of_every_deck_fits_the_screen(lab, browser, screenshots, notebook) -> None:
    """RISE shows the notebook as slides at 1280 x 720; Space walks through all of them,
    and no slide needs more height than it shows (nothing to scroll to, in class)."""
    url, token = lab
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        seen = walk_deck(page, url, token, notebook)
        kinds = [c["metadata"]["slideshow"]["slide_type"] for c in json.loads(
            notebook.read_text(encoding="utf-8"))["cells"]]  # fmt: skip
        assert len(seen) == kinds.count("slide") + kinds.count("subslide"), "Space got stuck"
        title = json.loads(notebook.read_text(encoding="utf-8"))["cells"][0]["source"][0]
        assert title.lstrip("# ").strip()[:20] in seen[0]["text"]
        overflowing = [
            f"slide {k}: needs {s['needed']} px of {s['shown']} ({s['text'][:60]!r})"
            for k, s in enumerate(seen)
            if s["needed"] > s["shown"] + 1
        ]
        assert not overflowing, "slides that do not fit:\n" + "\n".join(overflowing)
        assert not any("For the teacher" in s["text"] for s in seen)  # speaker notes only
        if where(notebook) == "04_dataloader.ipynb":  # README shows its first figure slide
            page.goto(f"{url}/rise/{where(notebook)}?token={token}")
            page.wait_for_selector(".reveal .slides section.present", timeout=90_000)
            page.wait_for_timeout(1500)
            for _ in range(len(seen)):
                if page.evaluate(PRESENT_SLIDE)["images"]:
                    page.wait_for_timeout(500)
                    page.screenshot(path=str(screenshots / "slides.png"))
                    break
                page.keyboard.press("Space")
                page.wait_for_timeout(300)
    finally:
        page.close()


def run_cell_with(page, marker: str, code: str, expect: str) -> str:
    """Replace the code of the cell whose text contains ``marker``, run it, and return its
    output's text once it shows ``expect``."""
    cell = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell").filter(
        has_text=marker
    )
    editor = cell.locator(".cm-content").first
    editor.scroll_into_view_if_needed()
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.type(code)
    page.keyboard.press("Shift+Enter")
    output = cell.locator(".jp-OutputArea-output", has_text=expect).first
    output.wait_for(timeout=30_000)
    return output.inner_text()


def test_an_exercise_check_answers_in_jupyterlab(lab, browser, screenshots) -> None:
    """A learner's wrong answer gets its message in red, the right one green."""
    url, token = lab
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        # a copy of its own: a notebook another test opened shares that test's kernel
        shutil.copy(LAB_FOLDERS[-1] / "02_vocabulary.ipynb", LAB_FOLDERS[-1] / "exercise.ipynb")
        page.goto(f"{url}/lab/workspaces/exercise/tree/exercise.ipynb?token={token}")
        page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell", timeout=60_000)
        page.wait_for_selector(
            ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000
        )
        run_all_cells(page)
        wait_for_all_cells_to_run(page, expected_cells(NOTEBOOKS[1])[0], timeout=300)
        # subtle: JupyterLab may show "Select Kernel" for a moment while the kernel
        # connects; it closes by itself
        page.wait_for_function("() => !document.querySelector('.jp-Dialog')", timeout=30_000)
        wrong = run_cell_with(
            page, "q3.check(pad_id)", "pad_id = 1133\nq3.check(pad_id)", expect="Not yet"
        )
        assert "vocabulary's size" in wrong
        cell = page.locator(".jp-CodeCell").filter(has_text="q3.check(pad_id)")
        colour = cell.locator(".jp-OutputArea-output div").first.evaluate(
            "el => getComputedStyle(el).borderLeftColor"
        )
        assert colour == "rgb(178, 24, 43)"  # red
        cell.screenshot(path=str(screenshots / "exercise_failed.png"))
        right = run_cell_with(
            page, "q3.check(pad_id)", "pad_id = 1132\nq3.check(pad_id)", expect="Correct"
        )
        assert "id 1,132" in right
        cell.screenshot(path=str(screenshots / "exercise_passed.png"))
    finally:
        page.close()
