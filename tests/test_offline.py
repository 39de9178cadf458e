"""An offline classroom: one mirror folder, no network at all, every notebook runs.

`llmprep fetch --all --to DIR` builds the folder; then the whole notebook suite runs
under nbval in a new network namespace (`unshare -n`, loopback only, which Jupyter's
kernels need) with an empty cache and LLMPREP_MIRROR=DIR.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from llmprep import assets, cli
from llmprep.word2vec import SUBSET_ASSET

ROOT = Path(__file__).resolve().parent.parent


def network_namespaces_work() -> bool:
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return False
    probe = subprocess.run(["unshare", "-n", "sh", "-c", "ip link set lo up"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(
    not network_namespaces_work(),
    reason="needs `unshare -n` and `ip` (util-linux, iproute2) and the right to create a "
    "network namespace (root, or unprivileged user namespaces)",
)
def test_every_notebook_runs_with_no_network_from_a_mirror_folder(tmp_path, capsys) -> None:
    mirror, cache = tmp_path / "classroom", tmp_path / "empty-cache"
    assert cli.main(["fetch", "--all", "--to", str(mirror)]) == 0
    assert sorted(str(p.relative_to(mirror)) for p in mirror.rglob("*") if p.is_file()) == sorted(
        assets.ASSETS
    )
    env = {**os.environ, "LLMPREP_MIRROR": str(mirror), "LLMPREP_DATA": str(cache)}
    notebooks = sorted(str(p) for p in (ROOT / "notebooks").glob("*.ipynb"))
    command = " ".join(
        [sys.executable, "-m", "pytest", "--nbval", "-q", "-p", "no:cacheprovider", *notebooks]
    )
    run = subprocess.run(
        ["unshare", "-n", "sh", "-c", f"ip link set lo up && {command}"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and "failed" not in run.stdout
    # what the notebooks needed came from the mirror into the empty cache
    cached = {str(p.relative_to(cache)) for p in cache.rglob("*") if p.is_file()}
    assert {"the-verdict.txt", "gpt2/encoder.json", "gpt2/vocab.bpe"} <= cached


def test_a_mirror_serves_the_word_vectors_where_the_package_is_missing(tmp_path, monkeypatch):
    mirror = tmp_path / "classroom"
    assets.fetch(SUBSET_ASSET, cache=mirror)
    monkeypatch.setattr(assets, "_installed_copy", lambda asset: None)  # not installed
    monkeypatch.setenv("LLMPREP_MIRROR", str(mirror))
    monkeypatch.setenv("LLMPREP_DATA", str(tmp_path / "cache"))
    path = assets.fetch(SUBSET_ASSET)
    assert path == tmp_path / "cache" / SUBSET_ASSET
    assert assets.sha256_of(path) == assets.get_asset(SUBSET_ASSET).sha256
