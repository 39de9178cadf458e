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


def test_a_damaged_notebook_among_several_changes_none(tmp_path, capsys) -> None:
    good = tmp_path / "01_good.ipynb"
    good.write_bytes((ROOT / "notebooks" / "01_tokens.ipynb").read_bytes())
    before = good.read_bytes()
    bad = tmp_path / "02_bad.ipynb"
    cells = [{"cell_type": "markdown", "metadata": {"tags": "teacher"}, "source": "notes"}]
    bad.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4}))
    assert main(["slides", str(good), str(bad)]) == 1
    err = capsys.readouterr().err
    assert "02_bad.ipynb: cell 0 has tags 'teacher'" in err and "Traceback" not in err
    assert good.read_bytes() == before
    bad.write_text(json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "source": [1]}]}))
    assert main(["slides", str(bad)]) == 1
    assert "cell 0 has a source that is neither" in capsys.readouterr().err
    assert main(["slides", str(tmp_path)]) == 1
    assert "is a folder: name its notebooks" in capsys.readouterr().err
