"""Every exercise speaks both languages: each text a learner reads (a task, a hint, an
explanation, a choice, every check message) is written in English and in Chinese at the
place it is made (``say(en, zh)`` or ``Said(en, zh)``), and in the Chinese edition every
check gives the same verdict and the same diagnosis as in English, in Chinese."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from llmprep import exercises
from llmprep.course import fonts
from llmprep.course.language import speaking

PACKAGE = Path(exercises.__file__).parent
#: Calls whose first argument a learner reads, and keywords whose value a learner reads.
MESSAGES = {"Wrong", "NotAnswered"}
WORDS = {"title", "task", "prompt", "explanation", "hints", "text"}
BOTH = {"say", "Said"}


def _name(node: ast.AST) -> str:
    return node.id if isinstance(node, ast.Name) else getattr(node, "attr", "")


def _is_text(node: ast.AST) -> bool:
    """A literal a learner would read: words, not code or a key."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return len(re.findall(r"[A-Za-z]{2,}", node.value)) >= 2
    return isinstance(node, ast.JoinedStr)


def _literal(node: ast.AST) -> str:
    if isinstance(node, ast.Constant):
        return str(node.value)
    if isinstance(node, ast.JoinedStr):
        return "".join(_literal(v) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _literal(node.left) + _literal(node.right)
    return ""


def one_language_texts(path: Path) -> list[str]:
    """Where ``path`` gives a learner a text in one language only."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if name in BOTH:
            if len(node.args) < 2 or not fonts.cjk_characters(_literal(node.args[1])):
                found.append(f"line {node.lineno}: {name}() without its Chinese")
            continue
        given = []
        if name in MESSAGES and node.args:
            given.append(node.args[0])
        for keyword in node.keywords:
            if keyword.arg in WORDS:
                value = keyword.value
                given += value.elts if isinstance(value, (ast.Tuple, ast.List)) else [value]
        for value in given:
            if _is_text(value):
                found.append(f"line {value.lineno}: {_literal(value)[:50]!r} in English only")
    return found


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.stem)
def test_every_text_a_learner_reads_is_written_in_both_languages(path) -> None:
    found = one_language_texts(path)
    assert not found, f"{path.name}:\n  " + "\n  ".join(found)


@pytest.mark.parametrize("exercise", exercises.all(), ids=lambda e: e.id)
def test_every_exercise_shows_itself_in_chinese(exercise) -> None:
    with speaking("zh"):
        shown = exercise._repr_markdown_() + "".join(str(h) for h in exercise.hints)
        shown += exercise.solution()._repr_markdown_()
        english = [word for word in re.findall(r"[A-Za-z]{4,}", _prose(shown))]
    assert fonts.cjk_characters(shown), exercise.id
    with speaking("en"):
        assert not fonts.cjk_characters(_prose(exercise._repr_markdown_())), exercise.id
    assert len(english) < 40, (exercise.id, english[:20])  # names and code aside, Chinese


def _prose(markdown: str) -> str:
    """Markdown without its code: what is written in a language."""
    return re.sub(r"```.*?```|`[^`]*`", "", markdown, flags=re.S)


# ---- the same verdicts in the Chinese edition ----------------------------------------

from test_exercises import PLANTED, WRONG, build, run  # noqa: E402


def _chinese(text: str) -> bool:
    return len(fonts.cjk_characters(text)) >= 2


@pytest.mark.parametrize("exercise", exercises.all(), ids=lambda e: e.id)
def test_every_solution_passes_in_chinese_too(exercise, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    answer = run(exercise.solution_code, exercise.notebook, exercise.answer_name)
    with speaking("zh"):
        result = exercise.check(answer)
    assert result.passed and _chinese(result.message), result


@pytest.mark.parametrize(("exercise_id", "code", "words"), WRONG)
def test_wrong_answers_get_the_same_diagnosis_in_chinese(exercise_id, code, words) -> None:
    exercise = exercises.get(exercise_id)
    answer = run(code, exercise.notebook)
    english = exercise.check(answer)
    with speaking("zh"):
        chinese = exercise.check(answer)
    assert chinese.status == english.status == "failed"
    assert chinese.diagnosis == english.diagnosis
    assert _chinese(chinese.message) and chinese.message != english.message, chinese


@pytest.mark.parametrize(("name", "code", "function", "bug", "words"), PLANTED)
def test_planted_bugs_get_the_same_diagnosis_in_chinese(name, code, function, bug, words) -> None:
    candidate = build(code, function, **bug)
    english = exercises.check_implementation(name, candidate)
    with speaking("zh"):
        chinese = exercises.check_implementation(name, candidate)
    assert chinese.status == english.status == "failed"
    assert chinese.diagnosis == english.diagnosis and _chinese(chinese.message), chinese


# ---- the progress table in the Chinese edition -----------------------------------------


def test_the_progress_table_speaks_chinese(progress_file) -> None:
    from llmprep.course.exercises.overview import _width

    with speaking("zh"):
        exercises.get("04.1").check(6)  # passed
        exercises.get("04.2").check(([1, 2, 3, 4], [1, 2, 3, 4]))  # tried once
        shown = exercises.progress("04")
        text, page = repr(shown), shown._repr_html_()
        everything = repr(exercises.progress())
    assert text.startswith("你在笔记本 04 中的进度：") and "已通过 1 道" in text
    assert "✓ 04.1" in text and "有多少个窗口？" in text and "已通过" in text
    assert "还没通过（试过 1 次）" in text and "还没试过" in text
    assert not re.search(r"passed|tried|not yet|exercises", text)
    rows = text.splitlines()[1:]  # the states line up, Chinese titles being two columns wide
    assert len({_width(row.rsplit("  ", 1)[0]) for row in rows}) == 1, rows
    assert "<th>笔记本</th><th>练习</th><th>标题</th><th>状态</th>" in page
    assert "一个输入和它的目标" in page and "exercises passed" not in page
    assert "  04：已通过 1/" in everything
    with speaking("en"):  # shown in the language of the moment it is shown
        assert "How many windows?" in repr(shown) and "not yet (1 try)" in repr(shown)
