"""constraints.txt resolves on every Python and platform README promises, without
installing anything: uv resolves the package's requirements under the constraints for
each target (its markers evaluated for that Python, wheels only, that platform's wheels),
exactly the set pip would install there.

Needs the package index; skipped, with a message, where it cannot be reached.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
UV = Path(sys.executable).parent / "uv"
INDEX = "https://pypi.org/simple/"


def supported() -> list[str]:
    """The supported Pythons, from their one place: pyproject.toml's classifiers."""
    classifiers = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["classifiers"]
    prefix = "Programming Language :: Python :: "
    return [c.removeprefix(prefix) for c in classifiers if re.fullmatch(r".*:: 3\.\d+", c)]


#: The oldest release of each a learner meets: Ubuntu 22.04's 3.10, Debian 12's own 3.11.2;
#: Linux on x86_64, macOS on Apple silicon (PyTorch 2.13 has no macOS Intel build).
OLDEST_RELEASE = {"3.10": "3.10.12", "3.11": "3.11.2", "3.12": "3.12.1", "3.13": "3.13.0"}
PYTHONS = tuple(OLDEST_RELEASE.get(v, f"{v}.0") for v in supported())
PLATFORMS = {"linux": "x86_64-manylinux_2_28", "macos": "aarch64-apple-darwin"}


def index_reachable() -> bool:
    try:
        urllib.request.urlopen(INDEX, timeout=10)
    except (urllib.error.URLError, OSError):
        return False
    return True


def requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    return [*project["dependencies"], *extras["course"], *extras["dev"]]


@pytest.mark.skipif(not UV.exists(), reason="uv is not installed (make installs it)")
@pytest.mark.skipif(not index_reachable(), reason=f"the package index {INDEX} cannot be reached")
@pytest.mark.parametrize("platform", sorted(PLATFORMS))
@pytest.mark.parametrize("python", PYTHONS)
def test_the_constraints_resolve(python, platform, tmp_path) -> None:
    wanted = tmp_path / "requirements.txt"
    wanted.write_text("\n".join(requirements()) + "\n")
    run = subprocess.run(
        [
            UV, "pip", "compile", wanted, "-c", ROOT / "constraints.txt",
            "--python-version", python, "--python-platform", PLATFORMS[platform],
            "--only-binary", ":all:", "--no-header", "--no-annotate", "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "MACOSX_DEPLOYMENT_TARGET": "14.0"},  # torch 2.13's macOS wheels
    )  # fmt: skip
    if run.returncode != 0:
        culprit = re.search(r"Because (?:only )?(\S+?)(?:==|\[| )", run.stderr)
        pytest.fail(
            f"constraints.txt does not resolve on Python {python} ({platform}): "
            f"{culprit.group(1) if culprit else 'see below'} is the package that does not "
            f"fit. Run `make constraints`.\n{run.stderr[-2500:]}"
        )
    resolved = dict(line.split("==") for line in run.stdout.splitlines() if "==" in line)
    assert resolved["torch"] == "2.13.0"
    assert {"numpy", "jupyterlab", "jupyterlab-rise", "gensim", "tiktoken"} <= set(resolved)


def test_the_supported_pythons_are_stated_once() -> None:
    versions = supported()
    assert versions == sorted(versions, key=lambda v: tuple(map(int, v.split("."))))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == f">={versions[0]}"
    dry = subprocess.run(["make", "-n", "python"], cwd=ROOT, capture_output=True, text=True)
    assert f'"{" ".join(versions)}".split()' in dry.stdout  # the Makefile reads the same list
    readme = (ROOT / "README.md").read_text()
    assert f"{versions[0]} to {versions[-1]}" in readme
