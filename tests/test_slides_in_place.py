"""``llmprep slides`` saves a notebook in place: through a symbolic link to its target,
with the file's own permissions."""

from __future__ import annotations

import json
import os
from pathlib import Path

from llmprep.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_a_linked_read_only_notebook_stays_a_link_and_keeps_its_mode(tmp_path) -> None:
    target = tmp_path / "real" / "02_vocabulary.ipynb"
    target.parent.mkdir()
    target.write_bytes((ROOT / "notebooks" / "02_vocabulary.ipynb").read_bytes())
    target.chmod(0o444)
    link = tmp_path / "link.ipynb"
    link.symlink_to(target)
    assert main(["slides", str(link)]) == 0
    assert link.is_symlink() and os.path.realpath(link) == str(target)
    assert (target.stat().st_mode & 0o777) == 0o444
    assert json.loads(target.read_text(encoding="utf-8"))["metadata"]["rise"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["02_vocabulary.ipynb"]
