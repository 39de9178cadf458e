"""Short tracebacks: the learner's cell, the frame that raised and the message, and no
folder of the machine that ran it."""

from __future__ import annotations

import re

import pytest

from llmprep.course import tracebacks

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def shell(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shown: list[list[str]] = []
    original = shell._showtraceback
    shell._showtraceback = lambda etype, value, stb: shown.append(stb)
    assert tracebacks.install(shell)
    yield shell, shown
    shell.set_custom_exc((), None)
    shell._showtraceback = original
    InteractiveShell.clear_instance()


def test_a_deep_error_keeps_the_cell_the_raising_frame_and_the_message(shell) -> None:
    shell, shown = shell
    result = shell.run_cell(
        "from torch.utils.data import DataLoader\nnext(iter(DataLoader([1, 2, 'x'], batch_size=3)))"
    )
    assert isinstance(result.error_in_exec, TypeError)
    text = ANSI.sub("", "\n".join(shown[-1]))
    assert "next(iter(DataLoader" in text  # the learner's line
    assert "frame(s) of library code left out" in text
    assert text.rstrip().endswith("TypeError: new(): invalid data type 'str'")
    assert text.count("File ") == 1  # the frame that raised
    assert "torch/utils/data/_utils/collate.py" in text
    for prefix in tracebacks.prefixes():
        assert prefix + "/" not in text


def test_a_shallow_error_is_shown_whole_and_syntax_errors_as_ipython_shows_them(shell) -> None:
    shell, shown = shell
    shell.run_cell("from llmprep import split_text\nsplit_text(5)")
    text = ANSI.sub("", "\n".join(shown[-1]))
    assert "left out" not in text and "File llmprep/simple.py:" in text
    assert "split_text takes a str, not int" in text
    result = shell.run_cell("def f(:\n  pass")
    assert isinstance(result.error_before_exec, SyntaxError)
    syntax = ANSI.sub("", "\n".join(shown[-1]))
    assert "def f(:" in syntax and "^" in syntax and "SyntaxError: invalid syntax" in syntax


def test_paths_lose_only_known_folders() -> None:
    text = "File /srv/env/site-packages/gensim/x.py:1 and /srv/envy/other.py"
    assert tracebacks.shorten_paths(text, prefixes=["/srv/env/site-packages", "/srv/env"]) == (
        "File gensim/x.py:1 and /srv/envy/other.py"
    )
    assert tracebacks.install() is False  # outside IPython there is nothing to install
