"""For teachers: a learner's progress as a file to hand in, and a class's summary.

``llmprep progress export --out FILE --name NAME`` writes the learner's progress with the
name they give, and nothing else about them: no path, user name, host, time or time
zone. ``llmprep progress summary FILE...`` reads the files of a class and prints, hardest
exercise first, how many learners passed, tried without passing, and did not try each
one (those that nobody tried in one line), then the most common diagnoses of the wrong
answers. Each learner counts once: the files of one name (the same file given twice, or
two hand-ins) are merged, as the later snapshot of one progress (passed in either, the
larger counts), and the summary names them.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import NamedTuple

from llmprep._files import replace_with, temporary_file
from llmprep.course.exercises.progress_store import (
    Entry,
    parse_entries,
    progress_file,
    read,
    read_json,
)

__all__ = ["Exported", "export", "read_handed_in", "summary"]

FORMAT, VERSION = "llmprep-progress-export", 1
_NAME_LIMIT = 80


def _check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > _NAME_LIMIT or not name.isprintable():
        raise ValueError(
            f"give your name as the teacher should see it, 1 to {_NAME_LIMIT} printable "
            f"characters (got {name!r:.40}): --name 'Ana Lima'"
        )
    return name


class Exported(NamedTuple):
    path: Path
    exercises: int
    name: str  # as stored: spaces made single, what the teacher sees


def export(out: str | Path, name: str) -> Exported:
    """Write the learner's progress, with ``name``, to ``out``; return the path, the
    number of exercises in it and the name as stored."""
    from llmprep import __version__

    name = _check_name(name)
    source = progress_file()
    try:
        entries = read(source)
    except ValueError as error:
        raise ValueError(f"{source}: {error}") from None
    if not entries:
        raise ValueError(
            f"no progress yet in {source}: check some exercises first (or set "
            f"LLMPREP_PROGRESS to the file your notebooks use)"
        )
    document = {
        "format": FORMAT,
        "version": VERSION,
        "name": name,
        "llmprep": __version__,
        "exercises": {k: entries[k].to_json() for k in sorted(entries)},
    }
    out = Path(out)
    with temporary_file(out, "w") as (f, tmp):
        json.dump(document, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.close()
        replace_with(tmp, out)
    return Exported(out, len(entries), name)


def read_handed_in(path: str | Path) -> tuple[str, dict[str, Entry]]:
    """The name and progress in a file made by :func:`export`; ValueError naming the
    file if it is anything else."""
    path = Path(path)
    try:
        document = read_json(path, "a progress file made by `llmprep progress export`")
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise ValueError("it is not a progress file made by `llmprep progress export`")
        if document.get("version") != VERSION:
            raise ValueError(f"its version {document.get('version')!r:.20} is not {VERSION}")
        name = document.get("name")
        if not isinstance(name, str):
            raise ValueError("it has no learner's name")
        return _check_name(name), parse_entries(document.get("exercises"))
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None
    except OSError as error:
        raise ValueError(f"{path}: cannot be read ({error.strerror or error})") from None


def summary(paths: list[str | Path]) -> str:
    """The class's summary as text, hardest exercise first."""
    import llmprep.course.exercises as exercises

    learners, twice = _one_each([(str(path), *read_handed_in(path)) for path in paths])
    names = [name for name, _ in learners]
    order = exercises.all()
    rows = []
    for index, exercise in enumerate(order):
        got = [entries.get(exercise.id, Entry()) for _, entries in learners]
        passed = sum(e.passed for e in got)
        failed = sum(e.tries > 0 and not e.passed for e in got)
        tried = passed + failed
        rows.append(((-(failed / tried) if tried else 1, -tried, index), exercise, passed, failed))
    rows.sort(key=lambda row: row[0])
    n = len(learners)
    lines = [
        f"{n} learner{'s' if n != 1 else ''}: {', '.join(sorted(names, key=str.casefold))}",
        "",
        f"{'exercise':<10}{'passed':>7}{'tried, not passed':>20}{'not tried':>11}  title",
    ]
    untried = [exercise.id for _, exercise, passed, failed in rows if not passed + failed]
    for _, exercise, passed, failed in rows:
        if passed + failed:
            lines.append(
                f"{exercise.id:<10}{passed:>7}{failed:>20}{n - passed - failed:>11}  "
                f"{exercise.title}"
            )
    if untried:
        lines += ["", f"Not tried by anyone: {', '.join(untried)}"]
    answers: Counter[tuple[str, str]] = Counter()
    people: Counter[tuple[str, str]] = Counter()
    known = {e.id for e in order}
    for _, entries in learners:
        for exercise_id, entry in entries.items():
            for key, count in entry.diagnoses.items():
                if exercise_id in known and count:
                    answers[exercise_id, key] += count
                    people[exercise_id, key] += 1
    lines += ["", "The most common diagnoses of wrong answers:"]
    common = sorted(answers, key=lambda k: (-people[k], -answers[k], k))[:15]
    if not common:
        lines.append("  none yet")
    for exercise_id, key in common:
        who, many = people[exercise_id, key], answers[exercise_id, key]
        lines.append(
            f"  {exercise_id:<10}{key:<32}{who} learner{'s' if who != 1 else ''}, "
            f"{many} answer{'s' if many != 1 else ''}"
        )
    unknown = sorted({k for _, entries in learners for k in entries} - known)
    if unknown:
        lines += ["", f"Not in this version of llmprep, left out: {', '.join(unknown)}"]
    if twice:
        lines += ["", "Handed in more than once, each learner counted once (merged):"]
        lines += [f"  {name}: {', '.join(files)}" for name, files in twice]
    return "\n".join(lines) + "\n"


def _merged(a: Entry, b: Entry) -> Entry:
    """One exercise of two hand-ins of one learner, as the later snapshot of one progress:
    passed in either, the larger count of tries and of each diagnosis."""
    keys = a.diagnoses.keys() | b.diagnoses.keys()
    return Entry(
        a.passed or b.passed,
        max(a.tries, b.tries),
        {k: max(a.diagnoses.get(k, 0), b.diagnoses.get(k, 0)) for k in sorted(keys)},
    )


def _one_each(
    files: list[tuple[str, str, dict[str, Entry]]],
) -> tuple[list[tuple[str, dict[str, Entry]]], list[tuple[str, list[str]]]]:
    """The learners of ``files`` (path, name, entries), one per name (ignoring case), each
    name's files merged; and the names handed in more than once, with their files."""
    merged: dict[str, tuple[str, dict[str, Entry]]] = {}
    sources: dict[str, list[str]] = {}
    for path, name, entries in files:
        key = name.casefold()
        sources.setdefault(key, []).append(path)
        if key not in merged:
            merged[key] = (name, dict(entries))
            continue
        known = merged[key][1]
        for exercise_id, entry in entries.items():
            known[exercise_id] = _merged(known.get(exercise_id, Entry()), entry)
    twice = [(merged[k][0], paths) for k, paths in sources.items() if len(paths) > 1]
    return list(merged.values()), sorted(twice, key=lambda t: t[0].casefold())
