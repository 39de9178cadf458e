"""Stage 4's input: the documents of a corpus as it comes, read a block at a time.

- ``.txt`` (and any other name): the file is one document, its text as it is on disk
  (``\\r\\n`` stays ``\\r\\n``); ``.txt.gz`` likewise, through gzip.
- ``.jsonl`` / ``.jsonl.gz``: one JSON object per line, each a document; its text is the
  string under ``field`` (``"text"``, as in FineWeb and OpenWebText).
- ``.parquet``: each row a document, its text in the column ``field``, read one row group
  at a time through pyarrow (the ``corpus`` extra: ``pip install 'llmprep[corpus]'``).

A document is an iterator of text blocks, so no file and no document of a text file is
ever held whole. Anything that is not what it should be is a ValueError that names the
file, the place in it and what to do. For many machines, :func:`shard_files` gives each
of N shards a run of whole files (:mod:`llmprep.shards` reads them back as one).

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "docs.jsonl"
>>> _ = path.write_text('{"text": "one"}\\n{"text": "two", "url": "x"}\\n', encoding="utf-8")
>>> ["".join(blocks) for blocks in documents(path)]
['one', 'two']
>>> shard_files([Path("a")] * 5, 1, 2, sizes=[10, 10, 10, 10, 10])
(2, 5)
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

__all__ = [
    "BLOCK_CHARS",
    "check_inputs",
    "corpus_identity",
    "documents",
    "kind_of",
    "parse_shard",
    "shard_files",
    "shard_name",
]

BLOCK_CHARS = 1 << 20  # text is read in blocks of about this many characters
ROWS_PER_BATCH = 1024  # parquet rows read at a time (within one row group)


def kind_of(path: str | os.PathLike[str]) -> str:
    """``"jsonl"``, ``"parquet"`` or ``"text"``, by the file's name.

    >>> kind_of("a.jsonl.gz"), kind_of("b.parquet"), kind_of("c.txt"), kind_of("notes.md")
    ('jsonl', 'parquet', 'text', 'text')
    """
    name = Path(path).name.lower()
    if name.endswith((".jsonl", ".jsonl.gz")):
        return "jsonl"
    if name.endswith(".parquet"):
        return "parquet"
    return "text"


def check_inputs(inputs: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """The inputs as paths, each an existing regular file; an error naming the first
    one that is not."""
    paths = [Path(p) for p in inputs]
    if not paths:
        raise ValueError("no input files: pass one or more text, jsonl or parquet files")
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
    return paths


def documents(
    path: str | os.PathLike[str], *, field: str = "text", block_chars: int = BLOCK_CHARS
) -> Iterator[Iterator[str]]:
    """Each document of a file, as an iterator of its text in blocks (of ``block_chars``
    characters, for a text file)."""
    path = Path(path)
    kind = kind_of(path)
    if kind == "text":
        yield _text_blocks(path, block_chars)
    elif kind == "jsonl":
        yield from _jsonl_documents(path, field)
    else:
        yield from _parquet_documents(path, field)


def _open_text(path: Path) -> IO[str]:
    # newline="": keep \r\n as it is
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def _text_blocks(path: Path, block_chars: int) -> Iterator[str]:
    read = 0
    with _open_text(path) as f:
        while True:
            try:
                block = f.read(block_chars)
            except UnicodeDecodeError as error:
                raise ValueError(
                    f"{path} is not valid UTF-8 (byte {error.object[error.start]:#04x}, within "
                    f"the {block_chars:,} characters after character {read:,}): re-save it as "
                    f"UTF-8"
                ) from None
            except (OSError, EOFError) as error:  # a damaged .gz
                raise ValueError(f"{path} cannot be read: {error}") from None
            if not block:
                return
            read += len(block)
            yield block


def _jsonl_documents(path: Path, field: str) -> Iterator[Iterator[str]]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as f:
        number = 0
        while True:
            try:
                line = f.readline()
            except (OSError, EOFError) as error:
                raise ValueError(f"{path} cannot be read: {error}") from None
            if not line:
                return
            number += 1
            if line.strip():
                yield iter([_record_text(line, path, number, field)])


def _record_text(line: bytes, path: Path, number: int, field: str) -> str:
    where = f"{path}, line {number}"
    try:
        record = json.loads(line)
    except UnicodeDecodeError:
        raise ValueError(f"{where} is not valid UTF-8: re-save the file as UTF-8") from None
    except (ValueError, RecursionError) as error:
        raise ValueError(f"{where} is not a JSON object ({error})") from None
    if not isinstance(record, dict):
        raise ValueError(f"{where} is {type(record).__name__}, not a JSON object with a text")
    return _text_of(record.get(field, _MISSING), where, field, list(record))


_MISSING = object()


def _text_of(value: Any, where: str, field: str, fields: list[str]) -> str:
    if value is _MISSING:
        raise ValueError(
            f"{where} has no field {field!r} (it has {', '.join(map(repr, fields)) or 'none'}): "
            f"name the field that holds the text with --field"
        )
    if not isinstance(value, str):
        raise ValueError(
            f"{where}: {field!r} is {type(value).__name__}, not text: name the field that "
            f"holds the text with --field"
        )
    return value


def _parquet_documents(path: Path, field: str) -> Iterator[Iterator[str]]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ImportError(f"reading {path} needs pyarrow: pip install 'llmprep[corpus]'") from None
    import pyarrow

    try:
        parquet = pq.ParquetFile(path)
    except (pyarrow.ArrowException, OSError) as error:
        raise ValueError(f"{path} is not a parquet file ({error})") from None
    columns = parquet.schema_arrow.names
    if field not in columns:
        raise ValueError(
            f"{path} has no column {field!r} (it has {', '.join(map(repr, columns))}): name "
            f"the column that holds the text with --field"
        )
    kind = parquet.schema_arrow.field(field).type
    if pyarrow.types.is_dictionary(kind):  # e.g. a pandas category column of strings
        kind = kind.value_type
    if not _is_text(pyarrow, kind):
        raise ValueError(
            f"{path}: column {field!r} holds {kind}, not text: name the column that holds "
            f"the text with --field"
        )
    row = 0
    for group in range(parquet.num_row_groups):
        for batch in parquet.iter_batches(
            batch_size=ROWS_PER_BATCH, row_groups=[group], columns=[field]
        ):
            for text in batch.column(0).to_pylist():
                row += 1
                if text is None:
                    raise ValueError(
                        f"{path}, row {row:,}: {field!r} is null: drop the row or fill it"
                    )
                yield iter([text])


def _is_text(pyarrow: Any, kind: Any) -> bool:
    text_kinds = [pyarrow.types.is_string, pyarrow.types.is_large_string]
    text_kinds += [getattr(pyarrow.types, "is_string_view", lambda kind: False)]
    return any(is_text(kind) for is_text in text_kinds)


# ---- shards -------------------------------------------------------------------


def parse_shard(text: str) -> tuple[int, int]:
    """``"K/N"`` as ``(K, N)``, with ``0 <= K < N``.

    >>> parse_shard("0/4")
    (0, 4)
    """
    found = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not found or int(found.group(2)) < 1 or int(found.group(1)) >= int(found.group(2)):
        raise ValueError(
            f"--shard {text!r} is not K/N with K from 0 to N-1: the first of 4 shards is 0/4, "
            f"the last 3/4"
        )
    return int(found.group(1)), int(found.group(2))


def shard_name(index: int, of: int) -> str:
    """The folder of shard ``index`` of ``of``, under the corpus folder."""
    return f"shard-{index:05d}-of-{of:05d}"


def shard_files(
    paths: Sequence[Path], index: int, of: int, *, sizes: Sequence[int] | None = None
) -> tuple[int, int]:
    """``(start, stop)``: the files of shard ``index`` of ``of``, a run of about 1/``of``
    of the bytes, at least one file; every file is in exactly one shard."""
    if not 0 <= index < of:
        raise ValueError(f"shard {index}/{of}: K must be from 0 to {of - 1}")
    if of > len(paths):
        raise ValueError(
            f"{of} shards of {len(paths)} file(s): each shard takes whole files, so give at "
            f"most {len(paths)} shards (or split the corpus into more files)"
        )
    sizes = [p.stat().st_size for p in paths] if sizes is None else list(sizes)
    total, before, shard_of = sum(sizes) or 1, 0, []
    for size in sizes:  # a file goes where the middle of its bytes falls
        shard_of.append(min(of * (2 * before + size) // (2 * total), of - 1))
        before += size
    bounds = [0]
    for shard in range(1, of):
        first = next((i for i, s in enumerate(shard_of) if s >= shard), len(paths))
        # at least one file for each shard before this one and from this one on
        bounds.append(min(max(first, bounds[-1] + 1), len(paths) - (of - shard)))
    bounds.append(len(paths))
    return bounds[index], bounds[index + 1]


def corpus_identity(
    paths: Sequence[Path], tokenizer: str, tokenizer_sha256: str | None, field: str
) -> dict[str, Any]:
    """What makes shards belong together: the same input files (as given, with their
    sizes, in order), the same tokenizer and the same text field."""
    listed = [[os.path.normpath(p), p.stat().st_size] for p in paths]
    key = json.dumps([listed, tokenizer, tokenizer_sha256, field], ensure_ascii=False)
    return {"corpus": hashlib.sha256(key.encode()).hexdigest(), "inputs": len(paths)}
