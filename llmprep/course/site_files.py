"""Putting a freshly built site into its folder without losing anything.

The site is written into a new folder inside the target first; only when every file is
complete are they moved into place, one ``os.replace`` each. The file ``.llmprep-site``
lists every file a build made, with its sha256, so that the next build

- replaces exactly those files and removes those it no longer makes,
- leaves every other file alone (a teacher's notes, a classroom's data, copied in later),
- refuses, before it writes anything, to overwrite a file it did not make or one that
  was edited since it made it,
- and refuses a non-empty folder that holds no such list: it is not a site; a list it
  cannot read (cut short, edited, naming a path outside the folder) is refused too.

While files are being moved, the list names both the old and the new sha256 of each, so
that a build killed half-way is repaired by the next one. A link to a folder given as the
target stays a link: the folder it points to is updated. Inside it, nothing is written or
removed through a link: a link where the site puts a folder or a file is refused, and a
file it made that is now behind a link is left alone. One build at a time: the others
wait their turn, then see what it left. A first build that fails removes what it put
there, and only that.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

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
_PART = f".{MARK}."  # the list while it is written: .{MARK}.XXXX.part (temporary_file)
#: What sites before 0.2 wrote into .llmprep-site: one line, and no list of files.
_LEGACY = "built by python -m llmprep.site; safe to replace"
_SHA256 = re.compile(r"[0-9a-f]{64}")


class SiteFolderError(FileExistsError):
    """The output folder holds something a build would overwrite or delete."""


def _sha256(path: Path) -> str:
    from llmprep.assets import sha256_of

    return sha256_of(path)


def _ours(name: str) -> bool:
    """Whether a name at the top of a site is the builder's own: the list, a build's folder
    or the list being written."""
    return name == MARK or name.startswith((_BUILDING, _PART))


def _files(folder: Path) -> dict[str, Path]:
    """Every file under ``folder`` by its relative POSIX name (the list and builds aside),
    not through links."""
    found = {}
    for top, folders, names in os.walk(folder):  # does not enter a linked folder
        here = Path(top)
        for name in names:
            path = here / name
            rel = path.relative_to(folder).as_posix()
            if not path.is_symlink() and path.is_file() and not (here == folder and _ours(name)):
                found[rel] = path
        if here == folder:
            folders[:] = [name for name in folders if not _ours(name)]
    return found


def _inside(rel: object) -> bool:
    """Whether a name from the list is a plain relative path that stays in the folder."""
    if not isinstance(rel, str) or not rel or "\0" in rel:
        return False
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or path.as_posix() != rel:
        return False
    if os.sep != "/" or os.altsep:  # pragma: no cover - Windows reads \ and C: too
        from pathlib import PureWindowsPath

        windows = PureWindowsPath(rel)
        return not windows.anchor and ".." not in windows.parts
    return True


def _recorded(target: Path) -> dict[str, list[str]] | None:
    """What the last build made: name -> accepted sha256s ([] for a site built before the
    list had hashes); None if ``target`` is not a site. A list this module did not write
    is a :class:`SiteFolderError`: nothing can be known about the folder's files."""
    mark = target / MARK

    def damaged(why: str) -> SiteFolderError:
        return SiteFolderError(
            f"{mark} is damaged ({why}), so which files the site made is unknown and "
            f"nothing was changed: delete it, and check the folder by hand (or build into "
            f"a new folder)"
        )

    if not mark.is_file():
        return None
    try:
        text = mark.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise damaged("it is not UTF-8 text") from None
    if text.strip() == _LEGACY:  # sites before 0.2 wrote one line of text, and no list:
        return {rel: [] for rel in _files(target)}  # their files may be overwritten, none deleted
    try:
        data = json.loads(text)
    except ValueError:
        raise damaged("it is not the JSON list of files a build writes") from None
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        raise damaged(f"it is JSON, but not a list of {_FORMAT}")
    files = data.get("files")
    if not isinstance(files, dict):
        raise damaged("its files are not a table of names and sha256s")
    for rel, hashes in files.items():
        if not _inside(rel):
            raise damaged(f"it names {rel!r}, which is not a file inside the folder")
        if not isinstance(hashes, list) or not all(
            isinstance(sha, str) and _SHA256.fullmatch(sha) for sha in hashes
        ):
            raise damaged(f"the sha256s of {rel!r} are not a list of hex digests")
    return {rel: list(hashes) for rel, hashes in files.items()}


def _write_record(target: Path, files: dict[str, list[str]]) -> None:
    with temporary_file(target / MARK, "w") as (f, tmp):
        json.dump({"format": _FORMAT, "version": 2, "files": files}, f, indent=1, sort_keys=True)
        f.close()
        replace_with(tmp, target / MARK)


def _in_the_way(target: Path, rel: str) -> str | None:
    """What stops the site from having its own file ``rel`` in ``target`` without writing
    through a link: a link or a file where it needs a folder, a link or a folder where it
    needs a file; None if nothing does."""
    here = target
    for part in PurePosixPath(rel).parts[:-1]:
        here = here / part
        name = here.relative_to(target).as_posix()
        if here.is_symlink():
            return f"{name} is a link, where the site puts a folder of its own"
        if here.exists() and not here.is_dir():
            return f"{name} is a file, where the site puts a folder"
    path = target / rel
    if path.is_symlink():
        return f"{rel} is a link, where the site puts a file"
    if path.is_dir():
        return f"{rel} is a folder, where the site puts a file"
    return None


def _problems(target: Path, before: dict[str, list[str]], new: dict[str, str]) -> list[str]:
    """What a build may not overwrite: files it did not make, files edited since, links."""
    problems = []
    for rel in new:
        path = target / rel
        if way := _in_the_way(target, rel):
            problems.append(way)
        elif path.exists() and rel not in before:
            problems.append(f"{rel} was not made by a build of the site")
        elif path.exists() and before[rel] and _sha256(path) not in before[rel]:
            problems.append(f"{rel} was edited after the site was built")
    return list(dict.fromkeys(problems))  # a linked folder of figures is named once


def _folder(out: Path) -> Path:
    """The folder ``out`` names, through a link (to the folder it points to)."""
    try:
        target = out.resolve()
    except (RuntimeError, OSError):  # Python 3.11 says "Symlink loop" as a RuntimeError
        target = None
    if target is None or target.is_symlink():
        raise NotADirectoryError(
            f"{out} is a link that leads back to itself (a loop of symbolic links): "
            f"remove the link, or name another folder for the site"
        )
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(f"{out} is a file: the site needs a folder")
    return target


def _make_folders(folder: Path) -> list[Path]:
    """Make ``folder`` and the folders above it that are missing; return those this
    process made (not those another one made at the same time), outermost first."""
    missing = []
    while not folder.exists() and not folder.is_symlink():
        missing.append(folder)
        folder = folder.parent
    made = []
    for path in reversed(missing):
        try:
            path.mkdir()
        except FileExistsError:
            continue
        made.append(path)
    return made


def _same_folder(target: Path, fd: int | None) -> bool:
    try:
        return fd is None or os.path.samestat(os.fstat(fd), os.stat(target))
    except FileNotFoundError:
        return False


def install(out: Path, write: Callable[[Path], None]) -> list[str]:
    """Run ``write(folder)`` on a new empty folder, then move what it wrote into ``out``
    as described above; return the names of the files, relative to ``out``."""
    target = _folder(out)
    while True:
        made = _make_folders(target)
        with exclusive_lock(target, wait=True, busy="") as fd:
            if _same_folder(target, fd):  # else: a failed first build removed it meanwhile
                return _install(out, target, write, made)


def _install(
    out: Path, target: Path, write: Callable[[Path], None], made_folders: list[Path]
) -> list[str]:
    """:func:`install`, holding the lock: what is in the folder now is what counts."""
    remove_stale(target, f"{_BUILDING}*")  # what killed builds left
    remove_stale(target, f"{_PART}*.part")
    before = _recorded(target)
    first = before is None
    if before is None:
        if any(not _ours(path.name) for path in target.iterdir()):
            raise SiteFolderError(
                f"{out} exists and is not a site built by llmprep (it has no {MARK}), so "
                f"building there could overwrite its files: name a new folder, or move "
                f"{out} away first"
            )
        before = {}
    staging = Path(tempfile.mkdtemp(prefix=_BUILDING, dir=target))
    moved: list[str] = []
    new: dict[str, str] = {}
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
            made_folders += _make_folders((target / rel).parent)
            os.replace(path, target / rel)
            moved.append(rel)
        for rel in set(before) - set(new):  # pages and figures no longer made
            old = target / rel
            if _in_the_way(target, rel):  # behind a link now: not the site's any more
                continue
            if old.is_file() and before[rel] and _sha256(old) in before[rel]:
                old.unlink()
        _write_record(target, {rel: [sha] for rel, sha in new.items()})
    except BaseException:
        if first:  # a first build that failed takes back what it put there, and only that
            shutil.rmtree(staging, ignore_errors=True)
            _take_back(target, moved, new, made_folders)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sorted(new)


def _take_back(target: Path, moved: list[str], new: dict[str, str], folders: list[Path]) -> None:
    for rel in moved:
        path = target / rel
        if not _in_the_way(target, rel) and path.is_file() and _sha256(path) == new[rel]:
            path.unlink()
    (target / MARK).unlink(missing_ok=True)
    for folder in reversed(folders):  # the innermost first; a folder someone filled stays
        try:
            folder.rmdir()
        except OSError:
            continue
