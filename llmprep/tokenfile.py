"""Stage 4, for corpora larger than memory: a flat file of token ids plus JSON metadata.

``llmprep prepare INPUT... --out DIR`` writes ``DIR/tokens.bin`` (the ids, uint16 while
the vocabulary fits, else uint32) and ``DIR/meta.json``. :func:`open_tokens` maps the file
into memory instead of reading it, so a corpus of any size costs almost no RAM.

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
import json
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from llmprep.gpt2 import last_safe_cut
from llmprep.simple import END_OF_TEXT

__all__ = ["BLOCK_CHARS", "dtype_for", "open_tokens", "prepare_token_file"]

FORMAT = "llmprep.tokens"
BLOCK_CHARS = 1 << 20  # text is read and tokenized in blocks of about this many characters


def dtype_for(n_vocab: int) -> np.dtype:
    """The smallest unsigned dtype that holds ids ``0 .. n_vocab - 1``.

    >>> dtype_for(50257), dtype_for(100_000)
    (dtype('uint16'), dtype('uint32'))
    """
    if n_vocab <= 1 << 16:
        return np.dtype(np.uint16)
    if n_vocab <= 1 << 32:
        return np.dtype(np.uint32)
    raise ValueError(f"a vocabulary of {n_vocab} ids does not fit in 32 bits")


def _blocks(path: Path) -> Iterator[str]:
    """The text of a file in blocks cut where GPT-2's pre-tokenization cuts anyway.

    A block ends at :func:`~llmprep.gpt2.last_safe_cut`, so encoding block by block gives
    exactly the ids of encoding the whole file at once.
    """
    carry, read = "", 0
    with open(path, encoding="utf-8") as f:
        while chunk := _read(f, path, read):
            read += len(chunk)
            text = carry + chunk
            cut = last_safe_cut(text)
            if cut == 0:
                carry = text  # no safe cut yet: read on
                continue
            carry = text[cut:]
            yield text[:cut]
    if carry:
        yield carry


def _read(f: Any, path: Path, read: int) -> str:
    try:
        return f.read(BLOCK_CHARS)
    except UnicodeDecodeError as error:
        raise ValueError(
            f"{path} is not valid UTF-8 (byte {error.object[error.start]:#04x}, within the "
            f"{BLOCK_CHARS:,} characters after character {read:,}): re-save it as UTF-8"
        ) from None


def prepare_token_file(
    inputs: Sequence[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    progress: bool = True,
    threads: int | None = None,
) -> dict[str, Any]:
    """Tokenize text files with GPT-2's encoding into ``out/tokens.bin`` + ``out/meta.json``.

    Files are documents: ``<|endoftext|>`` goes between two of them, and the text
    ``<|endoftext|>`` inside a file is that token too (as in ``create_dataloader_v1``).
    Blocks are encoded on all cores (tiktoken releases the GIL) and written as they come,
    so memory stays flat whatever the size of the corpus. Written atomically: an
    interrupted run leaves no ``tokens.bin`` or ``meta.json`` behind.
    """
    from tqdm.auto import tqdm

    from llmprep.gpt2 import gpt2_encoding

    paths = [Path(p) for p in inputs]
    if not paths:
        raise ValueError("no input files: pass one or more text files")
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"input file(s) not found: {', '.join(missing)}")
    encoding = gpt2_encoding()
    dtype = dtype_for(encoding.n_vocab)
    eot = encoding.encode_single_token(END_OF_TEXT)
    # The text <|endoftext|> inside a file is the token, as in create_dataloader_v1 (the
    # book's allowed_special): it marks a document boundary. subtle: a block is cut only
    # before a "\n", so the token's text is never split between two blocks.
    encode = functools.partial(encoding.encode, allowed_special={END_OF_TEXT})
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / ".tokens.bin.part"
    threads = threads or os.cpu_count() or 1
    total = sum(p.stat().st_size for p in paths)
    documents, count = [], 0
    try:
        with (
            open(tmp, "wb") as f,
            ThreadPoolExecutor(threads) as pool,
            tqdm(
                total=total, unit="B", unit_scale=True, desc="tokenizing", disable=not progress
            ) as bar,
        ):
            for k, path in enumerate(paths):
                if k:
                    np.array([eot], dtype=dtype).tofile(f)
                    count += 1
                doc_tokens = 0
                blocks = _blocks(path)
                while batch := [b for _, b in zip(range(2 * threads), blocks, strict=False)]:
                    for block, ids in zip(batch, pool.map(encode, batch), strict=True):
                        np.asarray(ids, dtype=dtype).tofile(f)
                        doc_tokens += len(ids)
                        bar.update(len(block.encode("utf-8")))
                documents.append({"path": str(path), "tokens": doc_tokens})
                count += doc_tokens
        os.replace(tmp, out / "tokens.bin")
    finally:
        tmp.unlink(missing_ok=True)
    meta = {
        "format": FORMAT,
        "version": 1,
        "tokenizer": "gpt2",
        "n_vocab": encoding.n_vocab,
        "end_of_text": eot,
        "dtype": dtype.name,
        "count": count,
        "documents": documents,
    }
    meta_tmp = out / ".meta.json.part"
    meta_tmp.write_text(json.dumps(meta, indent=1), encoding="utf-8")
    os.replace(meta_tmp, out / "meta.json")
    return meta


def read_meta(folder: str | os.PathLike[str]) -> dict[str, Any]:
    """The metadata of a token file, checked against the file it describes."""
    folder = Path(folder)
    meta_path, tokens_path = folder / "meta.json", folder / "tokens.bin"
    if not meta_path.is_file() or not tokens_path.is_file():
        raise FileNotFoundError(
            f"{folder} is not a prepared token folder (it needs meta.json and tokens.bin): "
            f"make one with `llmprep prepare TEXT_FILES --out {folder}`"
        )
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        dtype = np.dtype(meta["dtype"])
        count = int(meta["count"])
        ok_format = meta.get("format") == FORMAT
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(
            f"{meta_path} is damaged ({error!r}); run `llmprep prepare` again"
        ) from None
    if not ok_format:
        raise ValueError(
            f"{meta_path} is not llmprep token metadata (format {meta.get('format')!r})"
        )
    size = tokens_path.stat().st_size
    if size != count * dtype.itemsize:
        raise ValueError(
            f"{tokens_path} has {size:,} bytes, but {meta_path} says {count:,} tokens of "
            f"{dtype.name} ({count * dtype.itemsize:,} bytes): the two do not belong together. "
            f"Run `llmprep prepare` again"
        )
    return meta


def open_tokens(folder: str | os.PathLike[str]) -> np.memmap:
    """The token ids of a prepared folder, memory-mapped read-only (nothing is loaded)."""
    meta = read_meta(folder)
    if meta["count"] == 0:
        raise ValueError(f"{folder} holds no tokens: were the input files empty?")
    return np.memmap(
        Path(folder) / "tokens.bin", dtype=meta["dtype"], mode="r", shape=(meta["count"],)
    )
