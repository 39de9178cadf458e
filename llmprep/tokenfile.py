"""Stage 4, for corpora larger than memory: a flat file of token ids plus JSON metadata.

``llmprep prepare INPUT... --out DIR`` writes ``DIR/tokens.bin`` (the ids, uint16 while
the vocabulary fits, else uint32) and ``DIR/meta.json``, which records the size and the
sha256 of that very ``tokens.bin``. :func:`open_tokens` checks both files and maps the ids
into memory instead of reading them, so a corpus of any size costs almost no RAM.

The ids are exactly those of encoding each file's text as it is on disk (``\\r\\n`` stays
``\\r\\n``), with ``<|endoftext|>`` between files; the text ``<|endoftext|>`` inside a
file is that token too, as in ``create_dataloader_v1``. GPT-2's tokenizer is the default;
``tokenizer=`` takes a :class:`~llmprep.bpe.BPETokenizer` saved as JSON.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> (folder / "a.txt").write_text("Hello, world.")
13
>>> meta = prepare_token_file([folder / "a.txt"], folder / "out", progress=False)
>>> meta["count"], meta["dtype"], open_tokens(folder / "out").tolist()
(4, 'uint16', [15496, 11, 995, 13])
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from llmprep._files import (
    exclusive_lock,
    read_json,
    remove_stale,
    replace_with,
    temporary_file,
    write_denied,
)
from llmprep.cuts import last_piece_boundary, last_unbreakable, last_word_end, pairs_inside_tokens
from llmprep.simple import END_OF_TEXT

__all__ = ["BLOCK_CHARS", "DTYPES", "dtype_for", "open_tokens", "prepare_token_file", "read_meta"]

FORMAT = "llmprep.tokens"
BLOCK_CHARS = 1 << 20  # text is read and tokenized in blocks of about this many characters
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


# ---- the tokenizer --------------------------------------------------------------


@dataclass(frozen=True)
class _Tokenizer:
    """What ``prepare`` needs of a tokenizer: tiktoken's fast encoder and its description."""

    name: str
    sha256: str | None  # of the saved tokenizer's file; None for GPT-2 (pinned by assets)
    encoding: Any  # tiktoken.Encoding
    cuttable: bool  # the cut rules of llmprep.cuts hold for its pattern

    @functools.cached_property
    def end_of_text(self) -> int:
        return self.encoding.encode_single_token(END_OF_TEXT)

    @functools.cached_property
    def inside(self) -> frozenset[bytes]:
        return pairs_inside_tokens(self.encoding.token_byte_values())

    @functools.cached_property
    def split(self) -> Any:
        import regex

        return regex.compile(self.encoding._pat_str)

    def encode(self, segment: tuple[str, bool]) -> list[int]:
        text, whole_pieces = segment
        if not whole_pieces:  # part of one long piece, cut where no token spans
            return self.encoding._encode_single_piece(text.encode("utf-8"))
        return self.encoding.encode(text, allowed_special={END_OF_TEXT})


def _tokenizer(path: str | os.PathLike[str] | None) -> _Tokenizer:
    from llmprep.gpt2 import GPT2_SPLIT_PATTERN, gpt2_encoding

    if path is None:
        return _Tokenizer("gpt2", None, gpt2_encoding(), cuttable=True)
    from llmprep.assets import sha256_of
    from llmprep.bpe import BPETokenizer

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"tokenizer {path} not found: pass a file written by BPETokenizer.save (or a "
            f"Hugging Face tokenizer.json)"
        )
    data = read_json(path, "a tokenizer file (from BPETokenizer.save, or a tokenizer.json)")
    hugging_face = isinstance(data, dict) and "model" in data and "format" not in data
    bpe = BPETokenizer.from_huggingface(path) if hugging_face else BPETokenizer.load(path)
    if END_OF_TEXT not in bpe.special_tokens:
        raise ValueError(
            f"{path} has no {END_OF_TEXT!r} special token, which prepare puts between files: "
            f"train the tokenizer with special_tokens=({END_OF_TEXT!r},)"
        )
    return _Tokenizer(
        path.name,
        sha256_of(path),
        bpe.to_tiktoken(path.stem),
        cuttable=bpe.pattern == GPT2_SPLIT_PATTERN,
    )


# ---- reading text in blocks that encode exactly ------------------------------------


def _segments(path: Path, tokenizer: _Tokenizer) -> Iterator[tuple[str, bool]]:
    """The file's text in blocks ``(text, whole_pieces)`` whose ids, concatenated, are
    the ids of the whole text (see :mod:`llmprep.cuts`); memory stays within a few blocks.

    A block normally ends at a word end. A stretch without one (whitespace, or one run of
    symbols) is cut at a piece boundary, and inside a single long piece where no token can
    span the cut; such a part has ``whole_pieces=False``. Only a piece longer than a block
    with no such place in it (a million times the same letter) is read whole.
    """
    carry, read = "", 0
    with open(path, encoding="utf-8", newline="") as f:  # newline="": keep \r\n as it is
        while chunk := _read(f, path, read):
            read += len(chunk)
            carry += chunk
            if not tokenizer.cuttable:
                continue  # a pattern the cut rules do not cover: the whole file at once
            cut = last_word_end(carry)
            if cut:
                yield carry[:cut], True
                carry = carry[cut:]
            while len(carry) > 2 * BLOCK_CHARS:  # a long stretch without a word end
                cut, whole_pieces = _fallback_cut(carry[: 2 * BLOCK_CHARS], tokenizer)
                if not cut:
                    break  # no exact cut here: read on
                yield carry[:cut], whole_pieces
                carry = carry[cut:]
    if carry:
        yield carry, True


def _fallback_cut(window: str, tokenizer: _Tokenizer) -> tuple[int, bool]:
    """A cut in a window that has no word end: (index, whole_pieces); (0, _) if none."""
    special = window.find(END_OF_TEXT)
    if special >= 0:  # tiktoken splits the text there itself: cut before it (or after)
        return special or len(END_OF_TEXT), True
    maybe = window.rfind("<", len(window) - len(END_OF_TEXT))
    if maybe > 0:  # the window may end inside one: stop before it
        window = window[:maybe]
    boundary = last_piece_boundary(window, tokenizer.split)
    if boundary:
        return boundary, True
    # the window lies inside one piece (from its start to near its end)
    return last_unbreakable(window, tokenizer.inside, start=len(window) // 2), False


def _read(f: Any, path: Path, read: int) -> str:
    try:
        return f.read(BLOCK_CHARS)
    except UnicodeDecodeError as error:
        raise ValueError(
            f"{path} is not valid UTF-8 (byte {error.object[error.start]:#04x}, within the "
            f"{BLOCK_CHARS:,} characters after character {read:,}): re-save it as UTF-8"
        ) from None


# ---- writing --------------------------------------------------------------------


def _check_paths(inputs: Sequence[str | os.PathLike[str]], out: Path) -> list[Path]:
    paths = [Path(p) for p in inputs]
    if not paths:
        raise ValueError("no input files: pass one or more text files")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise FileNotFoundError(f"input file(s) not found: {', '.join(missing)}")
    for p in paths:
        if p.is_dir():
            raise IsADirectoryError(
                f"input {p} is a folder: pass the text files in it, e.g. {p}/*.txt"
            )
        if not stat.S_ISREG(p.stat().st_mode):
            raise ValueError(
                f"input {p} is not a regular file (a pipe, socket or device): save its text "
                f"to a file first"
            )
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
    return paths


def prepare_token_file(
    inputs: Sequence[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    tokenizer: str | os.PathLike[str] | None = None,
    progress: bool = True,
    threads: int | None = None,
) -> dict[str, Any]:
    """Tokenize text files into ``out/tokens.bin`` + ``out/meta.json``; return the metadata.

    Files are documents: ``<|endoftext|>`` goes between two of them. ``tokenizer`` is a
    saved :class:`~llmprep.bpe.BPETokenizer` (default: GPT-2), run through tiktoken.
    Blocks are encoded on all cores (tiktoken releases the GIL) and written as they come,
    so memory stays flat whatever the size of the corpus. One run at a time may write into
    a folder (another gets a clear error); both files are written under temporary names
    and moved into place, so an interrupted run leaves the previous ones.
    """
    from tqdm.auto import tqdm

    out = Path(out)
    paths = _check_paths(inputs, out)
    spec = _tokenizer(tokenizer)
    dtype = dtype_for(spec.encoding.n_vocab)
    threads = threads or os.cpu_count() or 1
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
    documents: list[dict[str, Any]] = []
    digest, count = hashlib.sha256(), 0
    try:
        with exclusive_lock(out, wait=False, busy=busy):
            for leftover in (".tokens.bin.*.part", ".meta.json.*.part"):
                remove_stale(out, leftover)  # what killed runs left
            with (
                temporary_file(out / "tokens.bin") as (f, tmp),
                ThreadPoolExecutor(threads) as pool,
                tqdm(
                    total=sum(p.stat().st_size for p in paths),
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

                for k, path in enumerate(paths):
                    if k:
                        count += write([spec.end_of_text])
                    n = 0
                    segments = _segments(path, spec)
                    try:
                        while batch := list(islice(segments, 2 * threads)):
                            for segment, ids in zip(
                                batch, pool.map(spec.encode, batch), strict=True
                            ):
                                n += write(ids)
                                bar.update(len(segment[0].encode("utf-8")))
                    except ValueError as error:  # e.g. another special token's text
                        raise ValueError(f"{path}: {error}") from None
                    documents.append({"path": str(path), "tokens": n})
                    count += n
                f.close()
                replace_with(tmp, out / "tokens.bin")
            written = (out / "tokens.bin").stat()
            meta = {
                "format": FORMAT,
                "version": 2,
                "tokenizer": spec.name,
                "tokenizer_sha256": spec.sha256,
                "n_vocab": spec.encoding.n_vocab,
                "end_of_text": spec.end_of_text,
                "dtype": dtype.name,
                "count": count,
                "documents": documents,
                "tokens_file": {
                    "size": written.st_size,
                    "sha256": digest.hexdigest(),
                    "mtime_ns": written.st_mtime_ns,
                },
            }
            with temporary_file(out / "meta.json", "w") as (m, meta_tmp):
                json.dump(meta, m, indent=1)
                m.close()
                replace_with(meta_tmp, out / "meta.json")
    except OSError as error:
        if not write_denied(error):
            raise
        raise PermissionError(
            f"cannot write into {out}: {error.strerror}. Choose a folder you can write to"
        ) from None
    return meta


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
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
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


def _field_problems(meta: dict[str, Any]) -> list[str]:
    """What is wrong with the fields of a token file's metadata (nothing: [])."""

    def whole(key: str, minimum: int = 0) -> bool:
        value = meta.get(key)
        return isinstance(value, int) and not isinstance(value, bool) and value >= minimum

    problems = []
    if meta.get("version") not in (1, 2):
        problems.append(f"version {meta.get('version')!r} (this llmprep reads 1 and 2)")
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
    documents = meta.get("documents")
    if not isinstance(documents, list) or not all(
        isinstance(d, dict) and isinstance(d.get("tokens"), int) and d["tokens"] >= 0
        for d in documents
    ):
        problems.append("documents is not a list of {path, tokens}")
    elif (
        not problems
        and sum(d["tokens"] for d in documents) + max(len(documents) - 1, 0) != meta["count"]
    ):
        problems.append("the documents' tokens and separators do not add up to count")
    recorded = meta.get("tokens_file")
    if meta.get("version") == 2 and not (
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
