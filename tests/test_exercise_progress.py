"""Progress that lasts: a passed check is kept in the learner's progress file across
kernels and restarts, two kernels at once lose nothing, a damaged or foreign file never
breaks a check; teachers get a file to hand in and a class summary."""

from __future__ import annotations

import getpass
import json
import os
import socket
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest

from llmprep import exercises
from llmprep.cli import main
from llmprep.course.exercises import progress_store as store

PYTHON = [sys.executable, "-c"]


def run_kernel(code: str, path: Path) -> str:
    """Run code in a fresh Python, as a new kernel would, with this progress file."""
    env = {**os.environ, "LLMPREP_PROGRESS": str(path)}
    done = subprocess.run(
        [*PYTHON, textwrap.dedent(code)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_passed_check_survives_a_kernel_restart(progress_file) -> None:
    run_kernel(
        """
        from llmprep import exercises
        exercises.get("02.3").check(1133)  # wrong first: off by one
        exercises.get("02.3").check(1132)
        exercises.get("02.3").check(1133)  # once passed, passed
        exercises.get("02.2").check(...)   # not answered: no try
        """,
        progress_file,
    )
    shown = run_kernel(
        """
        from llmprep import exercises
        print(repr(exercises.progress("02")))
        print(exercises.progress().passed)
        """,
        progress_file,
    )
    assert "✓ 02.3" in shown and "· 02.2" in shown and shown.split()[-1] == "1"
    saved = json.loads(progress_file.read_text(encoding="utf-8"))
    assert saved["exercises"] == {
        "02.3": {"passed": True, "tries": 3, "diagnoses": {"size-not-id": 2}}
    }
    assert exercises.progress("02").passed == 1  # this process reads the same file


def test_two_kernels_at_once_lose_no_result(progress_file) -> None:
    code = """
        from llmprep import exercises
        for _ in range(15):
            exercises.get("06.1").check([1, 2, 3, 4, 5, 6])
        """
    env = {**os.environ, "LLMPREP_PROGRESS": str(progress_file)}
    kernels = [
        subprocess.Popen([*PYTHON, textwrap.dedent(code)], env=env, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    assert all(k.wait(timeout=120) == 0 for k in kernels)
    entry = store.read(progress_file)["06.1"]
    assert entry.tries == 30 and entry.diagnoses == {"positions-from-1": 30}
    assert sorted(p.name for p in progress_file.parent.iterdir()) == ["progress.json"]


@pytest.mark.parametrize(
    "content", [b"{not json", b'{"cells": []}', b"\xff\xfe", b'{"format": "llmprep-progress"}']
)
def test_a_damaged_or_foreign_file_never_breaks_a_check(content, progress_file) -> None:
    progress_file.write_bytes(content)
    with pytest.warns(RuntimeWarning, match="kept in memory for this kernel only"):
        result = exercises.get("02.3").check(1132)
    assert result.passed
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # once is enough
        exercises.get("02.3").check(1133)
        assert exercises.progress("02").passed == 1  # kept in memory
    assert progress_file.read_bytes() == content  # never overwritten


def test_a_progress_file_that_cannot_be_written_only_warns(tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("LLMPREP_PROGRESS", str(blocker / "progress.json"))
    with pytest.warns(RuntimeWarning, match="cannot be written"):
        assert exercises.get("06.1").check(range(6)).passed
    assert exercises.progress("06").passed == 1


def test_the_default_file_is_in_the_learners_data_folder(monkeypatch) -> None:
    import platformdirs

    monkeypatch.delenv("LLMPREP_PROGRESS")
    assert store.progress_file() == Path(platformdirs.user_data_dir("llmprep")) / "progress.json"


def test_a_linked_progress_file_is_written_through_to_its_target(progress_file) -> None:
    target = progress_file.parent / "elsewhere" / "real.json"
    target.parent.mkdir()
    target.write_text('{"format": "llmprep-progress", "version": 1, "exercises": {}}')
    target.chmod(0o600)
    progress_file.symlink_to(target)
    assert exercises.get("02.3").check(1132).passed
    assert progress_file.is_symlink() and progress_file.resolve() == target
    assert store.read(target)["02.3"].passed
    assert (target.stat().st_mode & 0o777) == 0o600  # its permissions kept


def test_a_read_only_progress_file_is_not_written(progress_file) -> None:
    content = b'{"format": "llmprep-progress", "version": 1, "exercises": {}}'
    progress_file.write_bytes(content)
    progress_file.chmod(0o444)
    with pytest.warns(RuntimeWarning, match="is read-only, so it was left as it is"):
        assert exercises.get("02.3").check(1132).passed
    assert progress_file.read_bytes() == content and (progress_file.stat().st_mode & 0o777) == 0o444
    assert "in this kernel's memory only" in repr(exercises.progress("02"))
    progress_file.chmod(0o644)  # made writable: what this kernel knows goes into it
    exercises.get("02.3").check(1133)
    assert store.read(progress_file)["02.3"].tries == 2
    assert "(kept between sessions)" in repr(exercises.progress("02"))


def test_a_damaged_file_moved_away_makes_a_new_one_in_the_same_kernel(progress_file) -> None:
    progress_file.write_bytes(b"{damaged")
    with pytest.warns(RuntimeWarning, match="move the file away") as warned:
        exercises.get("02.3").check(1133)
    assert warned[0].filename == __file__  # the learner's call, not llmprep's code
    assert "in this kernel's memory only" in repr(exercises.progress("02"))
    progress_file.rename(progress_file.with_name("damaged.json"))  # what the warning says
    assert exercises.get("02.3").check(1132).passed
    entry = store.read(progress_file)["02.3"]
    assert entry.passed and entry.tries == 2  # the try made while the file was damaged too
    assert "(kept between sessions)" in repr(exercises.progress("02"))


def test_only_a_regular_file_is_read(progress_file, capsys) -> None:
    os.mkfifo(progress_file)
    with pytest.warns(RuntimeWarning, match="not a regular file"):
        assert exercises.get("02.3").check(1132).passed  # and does not hang
    assert main(["progress", "summary", str(progress_file)]) == 1
    assert "it is not a regular file" in capsys.readouterr().err


# ---- for teachers -------------------------------------------------------------------


def learner(tmp_path: Path, name: str, exercises_: dict, monkeypatch) -> Path:
    """A hand-made learner's progress file, exported as they would hand it in."""
    own = tmp_path / name / "progress.json"
    own.parent.mkdir()
    document = {"format": "llmprep-progress", "version": 1, "exercises": exercises_}
    own.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setenv("LLMPREP_PROGRESS", str(own))
    out = tmp_path / f"{name}.json"
    assert main(["progress", "export", "--out", str(out), "--name", name.title()]) == 0
    return out


def entry(passed: bool, tries: int, **diagnoses: int) -> dict:
    return {"passed": passed, "tries": tries, "diagnoses": diagnoses}


@pytest.fixture
def three_learners(tmp_path, monkeypatch) -> list[Path]:
    return [
        learner(tmp_path, "ana", {
            "02.3": entry(True, 2, **{"size-not-id": 1}),
            "03.5": entry(False, 5, **{"highest-rank-first": 4}),
            "04.1": entry(True, 1),
        }, monkeypatch),
        learner(tmp_path, "ben", {
            "02.3": entry(True, 1),
            "03.5": entry(False, 2, **{"highest-rank-first": 1, "left-to-right": 1}),
        }, monkeypatch),
        learner(tmp_path, "chen", {
            "02.3": entry(False, 3, **{"size-not-id": 3}),
            "03.5": entry(True, 5, **{"left-to-right": 2}),
            "04.1": entry(True, 1),
        }, monkeypatch),
    ]  # fmt: skip


def test_an_exported_file_holds_the_name_and_the_progress_only(three_learners) -> None:
    text = three_learners[0].read_text(encoding="utf-8")
    document = json.loads(text)
    assert set(document) == {"format", "version", "name", "llmprep", "exercises"}
    assert document["name"] == "Ana" and document["exercises"]["04.1"]["passed"] is True
    for private in (str(three_learners[0].parent), getpass.getuser(), socket.gethostname()):
        assert private not in text


def test_the_summary_shows_the_hardest_exercises_first(three_learners, capsys) -> None:
    assert main(["progress", "summary", *map(str, three_learners)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("3 learners: Ana, Ben, Chen")
    table, diagnoses = out.split("The most common diagnoses of wrong answers:")
    table, untried = table.split("Not tried by anyone: ")
    rows = {line.split()[0]: line.split()[1:4] for line in table.splitlines()[3:] if line}
    assert "01.1" in untried and "03.5" not in untried
    assert rows["03.5"] == ["1", "2", "0"]  # passed, tried without passing, not tried
    assert rows["02.3"] == ["2", "1", "0"] and rows["04.1"] == ["2", "0", "1"]
    order = [line.split()[0] for line in table.splitlines()[3:] if line]
    assert order.index("03.5") < order.index("02.3") < order.index("04.1")
    common = diagnoses.splitlines()[1:4]
    assert "03.5" in common[0] and "highest-rank-first" in common[0] and "2 learners" in common[0]
    assert "5 answers" in common[0] and "02.3" in common[1] and "left-to-right" in common[2]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\x00\x01 not text", "not JSON"),
        (b"[]", "not a progress file made by"),
        (b'{"format": "llmprep-progress", "version": 1, "exercises": {}}', "not a progress"),
        (b'{"format": "llmprep-progress-export", "version": 9}', "version 9"),
        (b'{"format": "llmprep-progress-export", "version": 1, "name": "A", "exercises":'
         b' {"02.3": {"passed": true, "tries": -1}}}', "tries should be a whole number"),
        (b'{"format": "llmprep-progress-export", "version": 1, "name": "A", "exercises":'
         b' {"02.3": {"passed": 1}}}', "passed should be true or false"),
        (b'{"format": "llmprep-progress-export", "version": 1, "name": "A\\u001b[2J",'
         b' "exercises": {}}', "printable"),
        (b"[" * 100_000, "nested too deeply"),
        (b" " * 1_000_001, "larger than"),
    ],
)  # fmt: skip
def test_a_hostile_file_gets_one_line_naming_it(content, words, tmp_path, capsys) -> None:
    hostile = tmp_path / "handed-in.json"
    hostile.write_bytes(content)
    assert main(["progress", "summary", str(hostile)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(hostile) in err and words in err, err
    assert "Traceback" not in err


def test_missing_or_odd_paths_get_one_line_too(tmp_path, capsys) -> None:
    for path in (tmp_path / "missing.json", tmp_path):
        assert main(["progress", "summary", str(path)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and str(path) in err


def test_the_command_is_listed_with_its_actions(capsys) -> None:
    for argv, words in ((["--help"], "    progress "), (["progress", "--help"], "summary")):
        with pytest.raises(SystemExit):
            main(argv)
        out = capsys.readouterr().out
        assert words in out and "`" not in out


def test_export_needs_a_name_and_some_progress(tmp_path, capsys) -> None:
    out = str(tmp_path / "out.json")
    assert main(["progress", "export", "--out", out, "--name", "  "]) == 1
    assert "give your name" in capsys.readouterr().err
    assert main(["progress", "export", "--out", out, "--name", "Ana"]) == 1
    assert "no progress yet" in capsys.readouterr().err
    assert not Path(out).exists()


def test_a_learner_handed_in_twice_counts_once(three_learners, tmp_path, monkeypatch, capsys):
    ana = three_learners[0]
    later = learner(tmp_path, "ana2", {
        "02.3": entry(True, 2, **{"size-not-id": 1}),
        "03.5": entry(True, 6, **{"highest-rank-first": 4}),  # passed since
        "04.1": entry(True, 1),
    }, monkeypatch)  # fmt: skip
    document = json.loads(later.read_text(encoding="utf-8"))
    later.write_text(json.dumps(document | {"name": "ana"}), encoding="utf-8")
    capsys.readouterr()
    assert (
        main(["progress", "summary", str(ana), str(ana), str(later), *map(str, three_learners[1:])])
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("3 learners: Ana, Ben, Chen\n")
    rows = {line.split()[0]: line.split()[1:4] for line in out.splitlines() if line[:1] == "0"}
    assert rows["03.5"] == ["2", "1", "0"] and rows["04.1"] == ["2", "0", "1"]
    assert "highest-rank-first              2 learners, 5 answers" in out  # not 4 + 4 + 4
    assert f"  Ana: {ana}, {ana}, {later}" in out.split("Handed in more than once")[1]


def test_export_says_the_name_as_it_stored_it(progress_file, tmp_path, capsys) -> None:
    exercises.get("02.3").check(1132)
    out = tmp_path / "ana.json"
    assert main(["progress", "export", "--out", str(out), "--name", " Ana\n  Lima "]) == 0
    said = capsys.readouterr().out
    assert "1 exercise of Ana Lima's progress in" in said and "\n" not in said.rstrip("\n")
    assert json.loads(out.read_text(encoding="utf-8"))["name"] == "Ana Lima"
