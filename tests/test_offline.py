"""An offline classroom: one mirror folder, no network at all, every notebook runs.

`llmprep fetch --all --to DIR` builds the folder; then each notebook runs under nbval in
a new network namespace (`unshare -n`, loopback only, which Jupyter's kernels need) with
an empty cache of its own and LLMPREP_MIRROR=DIR: its first cell fetches exactly the files
it reads, so no later output depends on the cache. With no mirror either, `make lab`
still opens JupyterLab and says which files are missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from llmprep import assets, cli
from llmprep.course.setup import NOTEBOOK_FILES
from llmprep.word2vec import SUBSET_ASSET

ROOT = Path(__file__).resolve().parent.parent


def network_namespaces_work() -> bool:
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return False
    probe = subprocess.run(["unshare", "-n", "sh", "-c", "ip link set lo up"], capture_output=True)
    return probe.returncode == 0


offline = pytest.mark.skipif(
    not network_namespaces_work(),
    reason="needs `unshare -n` and `ip` (util-linux, iproute2) and the right to create a "
    "network namespace (root, or unprivileged user namespaces)",
)


def without_network(command: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["unshare", "-n", "sh", "-c", f"ip link set lo up && {command}"],
        capture_output=True,
        text=True,
        timeout=1200,
        **kwargs,
    )


@offline
def test_every_notebook_runs_with_no_network_from_a_mirror_folder(tmp_path) -> None:
    mirror = tmp_path / "classroom"
    assert cli.main(["fetch", "--all", "--to", str(mirror)]) == 0
    assert sorted(str(p.relative_to(mirror)) for p in mirror.rglob("*") if p.is_file()) == sorted(
        assets.ASSETS
    )
    paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    # each notebook with an empty cache of its own: what it reads is what its first cell got
    caches = {p.stem[:2]: tmp_path / f"cache-{p.stem[:2]}" for p in paths}
    script = " && ".join(
        f"LLMPREP_DATA={caches[p.stem[:2]]} {sys.executable} -m pytest --nbval -q "
        f"-p no:cacheprovider {p}"
        for p in paths
    )
    run = without_network(script, cwd=tmp_path, env={**os.environ, "LLMPREP_MIRROR": str(mirror)})
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert run.stdout.count(" passed") == len(paths) and "failed" not in run.stdout
    for number, cache in caches.items():
        cached = {str(p.relative_to(cache)) for p in cache.rglob("*") if p.is_file()}
        files = {name for name in cached if not name.startswith("word-vectors/")}
        packaged = {a.name for a in assets.ASSETS.values() if assets._installed_copy(a)}
        assert files == set(NOTEBOOK_FILES[number]) - packaged, number


@offline
def test_make_lab_opens_with_no_network_and_no_mirror(tmp_path) -> None:
    # as a learner's shell runs it: no mirror, and not inside `make test` (whose MAKELEVEL
    # would make this make print "make[1]: Leaving directory" last)
    gone = {"LLMPREP_MIRROR", "MAKELEVEL", "MAKEFLAGS", "MFLAGS"}
    env = {k: v for k, v in os.environ.items() if k not in gone}
    env["LLMPREP_DATA"] = str(tmp_path / "empty-cache")
    # --version: JupyterLab starts, answers and exits, so the test does not wait on a server
    run = without_network("make lab LAB_ARGS=--version", cwd=ROOT, env=env)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "could not be fetched" in run.stderr and "LLMPREP_MIRROR" in run.stderr
    assert run.stdout.strip().splitlines()[-1][0].isdigit()  # the Lab's version: it started
    # a notebook's first cell, offline: it says what is missing instead of failing
    ready = without_network(
        f"{sys.executable} -c 'from llmprep.course.setup import setup_notebook as s; "
        f'print(repr(s("03")))\'',
        env=env,
    )
    assert ready.returncode == 0, ready.stderr
    assert "cannot get 3 file(s)" in ready.stdout and "LLMPREP_MIRROR=DIR" in ready.stdout


def test_a_mirror_serves_the_word_vectors_where_the_package_is_missing(tmp_path, monkeypatch):
    mirror = tmp_path / "classroom"
    assets.fetch(SUBSET_ASSET, cache=mirror)
    monkeypatch.setattr(assets, "_installed_copy", lambda asset: None)  # not installed
    monkeypatch.setenv("LLMPREP_MIRROR", str(mirror))
    monkeypatch.setenv("LLMPREP_DATA", str(tmp_path / "cache"))
    path = assets.fetch(SUBSET_ASSET)
    assert path == tmp_path / "cache" / SUBSET_ASSET
    assert assets.sha256_of(path) == assets.get_asset(SUBSET_ASSET).sha256
