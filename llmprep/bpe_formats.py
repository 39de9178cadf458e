"""Stage 3, interoperability: a byte-level BPE in the files other tools read and write.

- tiktoken's ``.tiktoken`` ranks file (here): one line per token, its bytes in base64 and
  its rank (``r50k_base.tiktoken`` is GPT-2's). It has no merges and no special tokens:
  the merge behind each token is recovered by running BPE on the token's bytes with the
  ranks below its own, and special tokens are given separately.
- Hugging Face tokenizers' ``tokenizer.json`` (:mod:`llmprep.bpe_huggingface`).

Both round-trip exactly: reading what was written gives the same tokenizer. These modules
know files, not the tokenizer: readers return :class:`TokenizerParts`, from which
:class:`~llmprep.bpe.BPETokenizer` builds itself, and writers take any object with the
tokenizer's ``vocab``, ``merges``, ``pattern`` and ``special_tokens``.

>>> from llmprep.bpe import BPETokenizer
>>> tokenizer = BPETokenizer.train("low lower lowest " * 20, 263)
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "tiny.tiktoken"
>>> tokenizer.to_tiktoken_file(path)
>>> again = BPETokenizer.from_tiktoken_file(path, special_tokens=tokenizer.special_tokens)
>>> again.merges == tokenizer.merges
True
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from llmprep._files import replace_with, temporary_file
from llmprep.bpe_merge import merge_piece
from llmprep.gpt2 import GPT2_SPLIT_PATTERN

__all__ = [
    "TokenizerParts",
    "Vocabulary",
    "from_ranks",
    "read_tiktoken",
    "write_text",
    "write_tiktoken",
]


@dataclass(frozen=True)
class TokenizerParts:
    """What a file says a byte-level BPE is: ``BPETokenizer(merges, byte_order=...,
    special_tokens=..., pattern=...)`` takes exactly these."""

    merges: list[tuple[int, int]]
    byte_order: list[int]
    special_tokens: dict[str, int] = field(default_factory=dict)
    pattern: str = GPT2_SPLIT_PATTERN


class Vocabulary(Protocol):
    """What the writers read of a tokenizer (a :class:`~llmprep.bpe.BPETokenizer`)."""

    vocab: Sequence[bytes]
    merges: Sequence[tuple[int, int]]
    pattern: str
    special_tokens: Mapping[str, int]


# ---- tiktoken ---------------------------------------------------------------------


def read_tiktoken(
    path: str | os.PathLike[str],
    *,
    special_tokens: dict[str, int] | None = None,
    pattern: str = GPT2_SPLIT_PATTERN,
) -> TokenizerParts:
    """A tokenizer from a ``.tiktoken`` ranks file (tiktoken's own format).

    subtle: tiktoken's own ``load_tiktoken_bpe`` caches every file it reads under the
    sha1 of its path, and returns that copy while no hash is given: a file edited in place
    would be read as it was. Ranks files are small; this reads the file itself."""
    ranks: dict[bytes, int] = {}
    for number, line in enumerate(Path(path).read_bytes().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            encoded, rank = line.split()
            ranks[base64.b64decode(encoded, validate=True)] = int(rank)
        except (ValueError, binascii.Error):
            raise ValueError(
                f"{path}, line {number}: expected 'BASE64_TOKEN RANK', got {line[:60]!r}"
            ) from None
    return from_ranks(ranks, special_tokens=special_tokens, pattern=pattern, where=str(path))


def write_tiktoken(tokenizer: Vocabulary, path: str | os.PathLike[str]) -> None:
    """Write the ranks file tiktoken reads (special tokens are not part of it)."""
    lines = [
        f"{base64.b64encode(token).decode()} {rank}" for rank, token in enumerate(tokenizer.vocab)
    ]
    write_text(Path(path), "\n".join(lines) + "\n")


class _RanksBelow:
    """The ranks lower than ``limit``: what BPE had learned before a token's own merge."""

    def __init__(self, ranks: dict[bytes, int], limit: int) -> None:
        self.ranks, self.limit = ranks, limit

    def get(self, token: bytes, default: Any = None) -> Any:
        rank = self.ranks.get(token)
        return rank if rank is not None and rank < self.limit else default

    def __getitem__(self, token: bytes) -> int:
        return self.ranks[token]


def from_ranks(
    ranks: dict[bytes, int],
    *,
    special_tokens: dict[str, int] | None = None,
    pattern: str = GPT2_SPLIT_PATTERN,
    where: str = "the ranks",
) -> TokenizerParts:
    """A tokenizer from token bytes -> rank (rank = id), recovering each token's merge."""
    by_rank = sorted(ranks, key=ranks.__getitem__)
    if [ranks[t] for t in by_rank] != list(range(len(by_rank))):
        raise ValueError(f"{where}: the ranks must be 0, 1, 2, ... with none left out")
    if (
        len(by_rank) < 256
        or sorted(b for t in by_rank[:256] for b in t) != list(range(256))
        or any(len(t) != 1 for t in by_rank[:256])
    ):
        raise ValueError(
            f"{where}: ranks 0-255 must be the 256 single bytes (a byte-level BPE, like GPT-2's)"
        )
    merges = []
    for rank, token in enumerate(by_rank[256:], start=256):
        parts = (
            merge_piece(token, _RanksBelow(ranks, rank))
            if len(token) > 2
            else (
                ranks[token[:1]],
                ranks[token[1:]],
            )
        )
        if len(parts) != 2:
            raise ValueError(
                f"{where}: token {token!r} (rank {rank}) is not one merge of two earlier tokens"
            )
        merges.append(parts)
    return TokenizerParts(
        merges, [t[0] for t in by_rank[:256]], dict(special_tokens or {}), pattern
    )


def write_text(path: Path, text: str) -> None:
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder: give a file name")
    with temporary_file(path, "w") as (f, tmp):
        f.write(text)
        f.close()
        replace_with(tmp, path)
