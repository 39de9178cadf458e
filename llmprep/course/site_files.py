"""Putting a freshly built site into its folder without losing anything.

The site is written into a new folder inside the target first; only when every file is
complete are they moved into place, one ``os.replace`` each. The file ``.llmprep-site``
lists every file a build made, with its sha256, so that the next build

- replaces exactly those files and removes those it no longer makes,
- leaves every other file alone (a teacher's notes, a classroom's data, copied in later),
- refuses, before it writes anything, to overwrite a file it did not make or one that
  was edited since it made it,
- and refuses a non-empty folder that holds no such list: it is not a site.

While files are being moved, the list names both the old and the new sha256 of each, so
that a build killed half-way is repaired by the next one. A link to a folder stays a
link: the folder it points to is updated.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from llmprep._files import (
    exclusive_lock,
    folder_mode,
    remove_stale,
    replace_with,
    temporary_file,
)

__all__ = ["MARK", "SiteFolderError", "install"]

MARK = ".llmprep-site"
_FORMAT = "llmprep.site"
_BUILDING = ".llmprep-site-building-"


class SiteFolderError(FileExistsError):
    """The output folder holds something a build would overwrite or delete."""


def _sha256(path: Path) -> str:
    from llmprep.assets import sha256_of

    return sha256_of(path)


def _files(folder: Path) -> dict[str, Path]:
    """Every file under ``folder`` by its relative POSIX name (the list and builds aside)."""
    found = {}
    for path in folder.rglob("*"):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and rel != MARK and not rel.startswith(_BUILDING):
            found[rel] = path
    return found


def _recorded(target: Path) -> dict[str, list[str]] | None:
    """What the last build made: name -> accepted sha256s ([] for a site built before the
    list had hashes); None if ``target`` is not a site."""
    mark = target / MARK
    if not mark.is_file():
        return None
    try:
        data = json.loads(mark.read_text(encoding="utf-8"))
    except ValueError:  # sites before 0.2 wrote one line of text, and no list: the files
        return {rel: [] for rel in _files(target)}  # may be overwritten, none is deleted
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        raise SiteFolderError(f"{mark} is damaged: delete it, and check the folder by hand")
    files = data.get("files", {})
    return {str(rel): list(hashes) for rel, hashes in files.items()}


def _write_record(target: Path, files: dict[str, list[str]]) -> None:
    with temporary_file(target / MARK, "w") as (f, tmp):
        json.dump({"format": _FORMAT, "version": 2, "files": files}, f, indent=1, sort_keys=True)
        f.close()
        replace_with(tmp, target / MARK)


def _problems(target: Path, before: dict[str, list[str]], new: dict[str, str]) -> list[str]:
    """What a build may not overwrite: files it did not make, files edited since."""
    problems = []
    present = _files(target)
    for rel in new:
        path = target / rel
        if path.is_dir():
            problems.append(f"{rel} is a folder, where the site puts a file")
        elif rel in present and rel not in before:
            problems.append(f"{rel} was not made by a build of the site")
        elif rel in present and before[rel] and _sha256(path) not in before[rel]:
            problems.append(f"{rel} was edited after the site was built")
    return problems


def install(out: Path, write: Callable[[Path], None]) -> list[str]:
    """Run ``write(folder)`` on a new empty folder, then move what it wrote into ``out``
    as described above; return the names of the files, relative to ``out``."""
    target = out.resolve()  # through a link, to the folder it points to
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(f"{out} is a file: the site needs a folder")
    before = _recorded(target) if target.exists() else {}
    if before is None:
        if any(target.iterdir()):
            raise SiteFolderError(
                f"{out} exists and is not a site built by llmprep (it has no {MARK}), so "
                f"building there could overwrite its files: name a new folder, or move "
                f"{out} away first"
            )
        before = {}
    created = not target.exists()
    target.mkdir(parents=True, exist_ok=True)
    try:
        return _install(out, target, before, write)
    except BaseException:
        if created:  # a first build that failed leaves nothing behind
            shutil.rmtree(target, ignore_errors=True)
        raise


def _install(
    out: Path, target: Path, before: dict[str, list[str]], write: Callable[[Path], None]
) -> list[str]:
    with exclusive_lock(target, wait=True, busy=""):
        remove_stale(target, f"{_BUILDING}*")  # what killed builds left
        staging = Path(tempfile.mkdtemp(prefix=_BUILDING, dir=target))
        try:
            staging.chmod(folder_mode())
            write(staging)
            made = _files(staging)
            new = {rel: _sha256(path) for rel, path in made.items()}
            problems = _problems(target, before, new)
            if problems:
                raise SiteFolderError(
                    f"{out}: {'; '.join(problems)}. A rebuild would overwrite "
                    f"{'it' if len(problems) == 1 else 'them'}: move "
                    f"{'it' if len(problems) == 1 else 'them'} out of the folder, then build "
                    f"again (nothing was changed)"
                )
            moving = {rel: sorted({*before.get(rel, []), new.get(rel, "")} - {""}) for rel in {
                *before, *new}}  # fmt: skip
            _write_record(target, moving)
            for rel, path in made.items():
                (target / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target / rel)
            for rel in set(before) - set(new):  # pages and figures no longer made
                old = target / rel
                if old.is_file() and before[rel] and _sha256(old) in before[rel]:
                    old.unlink()
            _write_record(target, {rel: [sha] for rel, sha in new.items()})
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return sorted(new)
