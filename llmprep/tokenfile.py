"""Stage 4, for corpora larger than memory: a flat file of token ids plus JSON metadata.

``llmprep prepare INPUT... --out DIR`` writes ``DIR/tokens.bin`` (the ids, uint16 while
the vocabulary fits, else uint32) and ``DIR/meta.json``, which records the size and the
sha256 of that very ``tokens.bin``. :func:`open_tokens` checks both files and maps the ids
into memory instead of reading them, so a corpus of any size costs almost no RAM.

Inputs are text, jsonl or parquet files (:mod:`llmprep.corpus`). The ids are exactly those
of encoding each document's text as it is (``\\r\\n`` stays ``\\r\\n``), with
``<|endoftext|>`` between documents; the text ``<|endoftext|>`` inside a document is that
token too, as in ``create_dataloader_v1``. GPT-2's tokenizer is the default;
``tokenizer=`` takes a :class:`~llmprep.bpe.BPETokenizer` saved as JSON (or a Hugging Face
``tokenizer.json``). With ``shard=(k, n)`` only the k-th of n slices of the inputs is
prepared, into a folder of its own under ``out`` (:mod:`llmprep.shards`).

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> (folder / "a.txt").write_text("Hello, world.")
13
>>> meta = prepare_token_file([folder / "a.txt"], folder / "out", progress=False)
>>> meta["count"], meta["dtype"], open_tokens(folder / "out").tolist()
(4, 'uint16', [15496, 11, 995, 13])
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from llmprep import corpus
from llmprep._files import (
    exclusive_lock,
    read_json,
    remove_stale,
    replace_with,
    temporary_file,
    write_denied,
)
from llmprep.fast_tokenizer import FastTokenizer, load_fast_tokenizer

__all__ = ["BLOCK_CHARS", "DTYPES", "dtype_for", "open_tokens", "prepare_token_file", "read_meta"]

FORMAT = "llmprep.tokens"
VERSION = 3
BLOCK_CHARS = corpus.BLOCK_CHARS  # text is tokenized in blocks of about this many characters
#: The only dtypes ``prepare`` writes (little-endian, as NumPy writes them here).
DTYPES = ("uint16", "uint32")
OUTPUTS = ("tokens.bin", "meta.json")


def dtype_for(n_vocab: int) -> np.dtype:
    """The smallest unsigned dtype that holds ids ``0 .. n_vocab - 1``.

    >>> dtype_for(50257), dtype_for(100_000)
    (dtype('uint16'), dtype('uint32'))
    """
    if n_vocab <= 1 << 16:
        return np.dtype("<u2")
    if n_vocab <= 1 << 32:
        return np.dtype("<u4")
    raise ValueError(f"a vocabulary of {n_vocab} ids does not fit in 32 bits")


def _check_out(paths: list[Path], out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(
            f"--out {out} is a file: it takes a folder, where tokens.bin and meta.json go"
        )
    produced = {(out / name).resolve() for name in OUTPUTS}
    clash = [str(p) for p in paths if p.resolve() in produced]
    if clash:
        raise ValueError(
            f"input {clash[0]} is a file that prepare writes into {out}: it would be "
            f"overwritten while it is read. Choose another --out"
        )


def prepare_token_file(
    inputs: Sequence[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    tokenizer: str | os.PathLike[str] | None = None,
    field: str = "text",
    shard: tuple[int, int] | None = None,
    progress: bool = True,
    threads: int | None = None,
) -> dict[str, Any]:
    """Tokenize the documents of ``inputs`` into ``out/tokens.bin`` + ``out/meta.json``
    (with ``shard=(k, n)``: into ``out/shard-K-of-N/``); return the metadata.

    ``<|endoftext|>`` goes between two documents. ``tokenizer`` is a saved
    :class:`~llmprep.bpe.BPETokenizer` (default: GPT-2), run through tiktoken; ``field``
    names the text of a jsonl record or a parquet column. Blocks are encoded on all cores
    (tiktoken releases the GIL), checked to decode to their text, and written as they
    come, so memory stays flat whatever the size of the corpus. One run at a time may
    write into a folder (another gets a clear error); both files are written under
    temporary names and moved into place, so an interrupted run leaves the previous ones.
    """
    out = Path(out)
    paths = corpus.check_inputs(inputs)
    spec = load_fast_tokenizer(tokenizer)
    identity = corpus.corpus_identity(paths, spec.name, spec.sha256, field)
    if shard is not None:
        start, stop = corpus.shard_files(paths, *shard)
        out = out / corpus.shard_name(*shard)
        identity["shard"] = {"index": shard[0], "of": shard[1], "first_file": start}
        paths = paths[start:stop]
    _check_out(paths, out)
    threads = threads or os.cpu_count() or 1
    made = [p for p in (out, *out.parents) if not p.exists()]  # innermost first
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        if not write_denied(error):
            raise
        raise PermissionError(
            f"cannot create {out}: {error.strerror}. Choose another --out"
        ) from None
    busy = (
        f"another `llmprep prepare` is writing into {out} right now: wait for it to finish, "
        f"or choose another --out"
    )
    try:
        with exclusive_lock(out, wait=False, busy=busy):
            try:
                for leftover in (".tokens.bin.*.part", ".meta.json.*.part"):
                    remove_stale(out, leftover)  # what killed runs left
                meta = _write(paths, out, spec, field, threads=threads, progress=progress)
                meta |= identity
                with temporary_file(out / "meta.json", "w") as (m, meta_tmp):
                    json.dump(meta, m, indent=1)
                    m.close()
                    replace_with(meta_tmp, out / "meta.json")
            except BaseException:
                # subtle: only while holding the lock, so a run refused as busy never
                # removes the folder another run has just made and is writing into
                _remove_empty(made)  # a run that failed leaves no empty folder of its own
                raise
    except OSError as error:
        if not write_denied(error):
            raise
        raise PermissionError(
            f"cannot write into {out}: {error.strerror}. Choose a folder you can write to"
        ) from None
    return meta


def _remove_empty(folders: list[Path]) -> None:
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:  # not empty: another run's files, or a file someone put there
            return


def _write(
    paths: list[Path], out: Path, spec: FastTokenizer, field: str, *, threads: int, progress: bool
) -> dict[str, Any]:
    """Write ``out/tokens.bin``; its metadata, but for where it came from."""
    from tqdm.auto import tqdm

    dtype = dtype_for(spec.encoding.n_vocab)
    digest, count, files, any_document = hashlib.sha256(), 0, [], False
    plain = all(corpus.kind_of(p) == "text" for p in paths)
    with (
        temporary_file(out / "tokens.bin") as (f, tmp),
        ThreadPoolExecutor(threads) as pool,
        tqdm(
            total=sum(p.stat().st_size for p in paths) if plain else None,
            unit="B",
            unit_scale=True,
            desc="tokenizing",
            disable=not progress,
        ) as bar,
    ):

        def write(ids: Any) -> int:
            data = np.asarray(ids, dtype=dtype).tobytes()
            f.write(data)
            digest.update(data)
            return len(data) // dtype.itemsize

        for path in paths:
            n = n_documents = 0
            try:
                for document in corpus.documents(path, field=field, block_chars=BLOCK_CHARS):
                    if n_documents:
                        n += write([spec.end_of_text])  # between two of this file's
                    elif any_document:
                        count += write([spec.end_of_text])  # between two files
                    any_document = True
                    n_documents += 1
                    segments = spec.cutter.segments(document, block_chars=BLOCK_CHARS)
                    for batch in _batches(segments, 2 * threads):
                        for segment, ids in zip(batch, pool.map(spec.encode, batch), strict=True):
                            n += write(ids)
                            bar.update(len(segment.kept.encode("utf-8")))
            except ValueError as error:  # e.g. another special token's text
                message = str(error)
                raise ValueError(
                    message if str(path) in message else f"{path}: {message}"
                ) from None
            files.append(
                {
                    "path": str(path),
                    "size": path.stat().st_size,
                    "documents": n_documents,
                    "tokens": n,
                }
            )
            count += n
        f.close()
        replace_with(tmp, out / "tokens.bin")
    written = (out / "tokens.bin").stat()
    return {
        "format": FORMAT,
        "version": VERSION,
        "tokenizer": spec.name,
        "tokenizer_sha256": spec.sha256,
        "n_vocab": spec.encoding.n_vocab,
        "end_of_text": spec.end_of_text,
        "dtype": dtype.name,
        "count": count,
        "field": field,
        "files": files,
        "tokens_file": {
            "size": written.st_size,
            "sha256": digest.hexdigest(),
            "mtime_ns": written.st_mtime_ns,
        },
    }


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


# ---- reading --------------------------------------------------------------------

_VERIFIED: set[tuple[str, int, int]] = set()  # (path, size, mtime) checked in this process


def read_meta(folder: str | os.PathLike[str], *, verify: bool = True) -> dict[str, Any]:
    """The metadata of a token folder, every field checked, and checked against the
    ``tokens.bin`` beside it: its size always, its sha256 when the file changed since
    ``prepare`` wrote it (once per process)."""
    folder = Path(folder)
    meta_path, tokens_path = folder / "meta.json", folder / "tokens.bin"
    if not meta_path.is_file() or not tokens_path.is_file():
        raise FileNotFoundError(
            f"{folder} is not a prepared token folder (it needs meta.json and tokens.bin): "
            f"make one with `llmprep prepare TEXT_FILES --out {folder}`"
        )
    again = "Run `llmprep prepare` again"
    try:
        meta = read_json(meta_path, "llmprep token metadata")
    except ValueError as error:
        raise ValueError(f"{meta_path} is damaged ({error}). {again}") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        found = meta.get("format") if isinstance(meta, dict) else type(meta).__name__
        raise ValueError(f"{meta_path} is not llmprep token metadata (format {found!r})")
    problems = _field_problems(meta)
    if problems:
        raise ValueError(f"{meta_path} is damaged: {'; '.join(problems)}. {again}")
    dtype = np.dtype("<" + {"uint16": "u2", "uint32": "u4"}[meta["dtype"]])
    size = tokens_path.stat().st_size
    if size != meta["count"] * dtype.itemsize:
        raise ValueError(
            f"{tokens_path} has {size:,} bytes, but {meta_path} says {meta['count']:,} tokens of "
            f"{dtype.name} ({meta['count'] * dtype.itemsize:,} bytes): the two do not belong "
            f"together. {again}"
        )
    recorded = meta.get("tokens_file")
    if verify and recorded is not None:
        now = tokens_path.stat()
        key = (str(tokens_path.resolve()), now.st_size, now.st_mtime_ns)
        if now.st_mtime_ns != recorded["mtime_ns"] and key not in _VERIFIED:
            from llmprep.assets import sha256_of

            if sha256_of(tokens_path) != recorded["sha256"]:
                raise ValueError(
                    f"{tokens_path} is not the file {meta_path} describes (its sha256 "
                    f"differs): it was changed or replaced after prepare. {again}"
                )
            _VERIFIED.add(key)
    return meta


def _whole(value: Any, minimum: int = 0) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def _field_problems(meta: dict[str, Any]) -> list[str]:
    """What is wrong with the fields of a token file's metadata (nothing: [])."""

    def whole(key: str, minimum: int = 0) -> bool:
        return _whole(meta.get(key), minimum)

    problems = []
    if meta.get("version") not in (1, 2, 3):
        problems.append(f"version {meta.get('version')!r} (this llmprep reads 1 to 3)")
    if meta.get("dtype") not in DTYPES:
        problems.append(f"dtype {meta.get('dtype')!r} (prepare writes only {' or '.join(DTYPES)})")
    for key, minimum in (("count", 0), ("n_vocab", 1), ("end_of_text", 0)):
        if not whole(key, minimum):
            problems.append(f"{key} {meta.get(key)!r} is not a whole number of at least {minimum}")
    if not problems:
        if meta["end_of_text"] >= meta["n_vocab"]:
            problems.append(f"end_of_text {meta['end_of_text']} is not an id below n_vocab")
        if np.iinfo(meta["dtype"]).max < meta["n_vocab"] - 1:
            problems.append(f"{meta['dtype']} cannot hold ids up to {meta['n_vocab'] - 1}")
    key = "files" if meta.get("version") == 3 else "documents"
    files = meta.get(key)
    if not isinstance(files, list) or not all(
        isinstance(d, dict) and _whole(d.get("tokens")) and _whole(d.get("documents", 1))
        for d in files
    ):
        problems.append(f"{key} is not a list of {{path, tokens}}")
    elif not problems:
        with_documents = sum(1 for d in files if d.get("documents", 1))
        if sum(d["tokens"] for d in files) + max(with_documents - 1, 0) != meta["count"]:
            problems.append(f"the {key}' tokens and separators do not add up to count")
    recorded = meta.get("tokens_file")
    if meta.get("version") in (2, 3) and not (
        isinstance(recorded, dict)
        and isinstance(recorded.get("size"), int)
        and isinstance(recorded.get("mtime_ns"), int)
        and isinstance(recorded.get("sha256"), str)
        and len(recorded["sha256"]) == 64
    ):
        problems.append("tokens_file does not record the size, mtime and sha256 of tokens.bin")
    return problems


def open_tokens(folder: str | os.PathLike[str], *, verify: bool = True) -> np.memmap:
    """The token ids of a prepared folder, memory-mapped read-only (nothing is loaded)."""
    meta = read_meta(folder, verify=verify)
    if meta["count"] == 0:
        raise ValueError(f"{folder} holds no tokens: were the input files empty?")
    dtype = np.dtype("<" + {"uint16": "u2", "uint32": "u4"}[meta["dtype"]])
    return np.memmap(Path(folder) / "tokens.bin", dtype=dtype, mode="r", shape=(meta["count"],))
