"""Every pytest run (tests, doctests, nbval's kernels) records exercise progress in a
temporary file, never in the user's own progress file (tests/conftest.py gives each test
a file of its own)."""

from __future__ import annotations

import os
import shutil
import tempfile

_FOLDER = None


def pytest_configure(config) -> None:
    global _FOLDER
    _FOLDER = tempfile.mkdtemp(prefix="llmprep-progress-")
    os.environ["LLMPREP_PROGRESS"] = os.path.join(_FOLDER, "progress.json")


def pytest_unconfigure(config) -> None:
    if _FOLDER:
        shutil.rmtree(_FOLDER, ignore_errors=True)
