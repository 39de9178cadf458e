"""Short tracebacks: the learner's cell, the frame that raised and the message, and no
folder of the machine that ran it."""

from __future__ import annotations

import re
import sys

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


def test_every_exception_of_a_chain_keeps_its_message_and_the_sentence_joining_them(shell) -> None:
    shell, shown = shell
    shell.run_cell(
        "import llmprep.simple as S\ntry:\n"
        "    S.SimpleTokenizerV1({'a': 0}).encode('zzz unknownword')\n"
        "except KeyError as e:\n    raise ValueError('WRAPPER MESSAGE') from e"
    )
    text = ANSI.sub("", "\n".join(shown[-1]))
    assert "KeyError: \"'zzz' is not in the vocabulary" in text  # llmprep's own help
    assert "The above exception was the direct cause of the following exception:" in text
    assert text.rstrip().endswith("ValueError: WRAPPER MESSAGE")
    shell.run_cell("import json\ntry:\n    json.loads('{oops')\nexcept ValueError:\n    1 / 0")
    text = ANSI.sub("", "\n".join(shown[-1]))
    assert "frame(s) of library code left out" in text  # json's frames, not its message
    assert "JSONDecodeError: Expecting property name" in text
    assert "During handling of the above exception, another exception occurred:" in text
    assert text.rstrip().endswith("ZeroDivisionError: division by zero")
    assert "~/" not in text  # IPython's ~ for the home folder is shortened too


@pytest.mark.skipif(sys.version_info < (3, 11), reason="notes and groups came in 3.11")
def test_notes_and_the_members_of_an_exception_group_are_kept(shell) -> None:
    shell, shown = shell
    shell.run_cell("e = ValueError('MAIN')\ne.add_note('A NOTE THE LEARNER NEEDS')\nraise e")
    text = ANSI.sub("", "\n".join(shown[-1]))
    assert text.rstrip().endswith("ValueError: MAIN\nA NOTE THE LEARNER NEEDS")
    shell.run_cell(
        "try:\n    raise ExceptionGroup('GROUP', [ValueError('INNER ONE'), TypeError('INNER TWO')])"
        "\n"
        "except ExceptionGroup as g:\n    raise RuntimeError('AFTER') from g"
    )
    text = ANSI.sub("", "\n".join(shown[-1]))
    group, after = text.split("The above exception was the direct cause")
    assert "ExceptionGroup: GROUP (2 sub-exceptions)" in group
    assert "ValueError: INNER ONE" in group and "TypeError: INNER TWO" in group
    assert after.rstrip().endswith("RuntimeError: AFTER")
