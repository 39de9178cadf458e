"""Stage 3, interoperability: a byte-level BPE in the files other tools read and write.

- tiktoken's ``.tiktoken`` ranks file: one line per token, its bytes in base64 and its
  rank (``r50k_base.tiktoken`` is GPT-2's). It has no merges and no special tokens: the
  merge behind each token is recovered by running BPE on the token's bytes with the
  ranks below its own, and special tokens are given separately.
- Hugging Face tokenizers' ``tokenizer.json`` for a byte-level BPE model (what
  ``GPT2TokenizerFast`` uses): vocabulary and merges written with GPT-2's printable
  stand-ins for bytes (``Ġ`` for the space).

Both round-trip exactly: reading what was written gives the same tokenizer. This module
knows files, not the tokenizer: readers return :class:`TokenizerParts`, from which
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
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from llmprep._files import replace_with, temporary_file
from llmprep.bpe_merge import merge_piece
from llmprep.gpt2 import GPT2_SPLIT_PATTERN, bytes_to_symbols, symbols_to_bytes

__all__ = [
    "TokenizerParts",
    "from_ranks",
    "read_huggingface",
    "read_tiktoken",
    "write_huggingface",
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
    _write_text(Path(path), "\n".join(lines) + "\n")


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


# ---- Hugging Face tokenizers ---------------------------------------------------------


def write_huggingface(tokenizer: Vocabulary, path: str | os.PathLike[str]) -> None:
    """Write a ``tokenizer.json`` that Hugging Face tokenizers loads as a byte-level BPE."""
    text = bytes_to_symbols
    vocab = {text(token): i for i, token in enumerate(tokenizer.vocab)}
    merges = [f"{text(tokenizer.vocab[a])} {text(tokenizer.vocab[b])}" for a, b in tokenizer.merges]
    if tokenizer.pattern == GPT2_SPLIT_PATTERN:
        pre_tokenizer: dict[str, Any] = {
            "type": "ByteLevel",
            "add_prefix_space": False,
            "trim_offsets": True,
            "use_regex": True,
        }
    else:
        pre_tokenizer = {
            "type": "Sequence",
            "pretokenizers": [
                {
                    "type": "Split",
                    "pattern": {"Regex": tokenizer.pattern},
                    "behavior": "Isolated",
                    "invert": False,
                },
                {
                    "type": "ByteLevel",
                    "add_prefix_space": False,
                    "trim_offsets": True,
                    "use_regex": False,
                },
            ],
        }
    data = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {
                "id": i,
                "content": s,
                "single_word": False,
                "lstrip": False,
                "rstrip": False,
                "normalized": False,
                "special": True,
            }
            for s, i in sorted(tokenizer.special_tokens.items(), key=lambda item: item[1])
        ],
        "normalizer": None,
        "pre_tokenizer": pre_tokenizer,
        "post_processor": None,
        "decoder": {
            "type": "ByteLevel",
            "add_prefix_space": True,
            "trim_offsets": True,
            "use_regex": True,
        },
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": None,
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": False,
            "vocab": vocab,
            "merges": merges,
        },
    }
    _write_text(Path(path), json.dumps(data, ensure_ascii=False))


def read_huggingface(path: str | os.PathLike[str]) -> TokenizerParts:
    """A tokenizer from a byte-level BPE ``tokenizer.json`` whose ids follow the merges:
    the 256 bytes first, then one id per merge in order (GPT-2's, and what
    :func:`write_huggingface` writes); anything else is a ValueError saying what differs."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        model = data["model"]
        vocab, merges = model["vocab"], model["merges"]
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{path} is not a Hugging Face tokenizer.json ({error!r})") from None
    if model.get("type") != "BPE" or not _is_byte_level(data.get("pre_tokenizer")):
        raise ValueError(f"{path} is not a byte-level BPE tokenizer (model {model.get('type')})")

    def token_bytes(text: str) -> bytes:
        try:
            return symbols_to_bytes(text)
        except KeyError as error:
            raise ValueError(f"{path}: {error.args[0]!r} is not a byte-level symbol") from None

    pattern = _pattern_of(data.get("pre_tokenizer"))
    ids = {token_bytes(text): i for text, i in vocab.items()}
    parts = from_ranks(ids, pattern=pattern, where=str(path))
    vocab = [bytes([b]) for b in parts.byte_order]
    for a, b in parts.merges:
        vocab.append(vocab[a] + vocab[b])
    written = [m.split(" ") if isinstance(m, str) else list(m) for m in merges]
    recovered = [[vocab[a], vocab[b]] for a, b in parts.merges]
    if [[token_bytes(a), token_bytes(b)] for a, b in written] != recovered:
        raise ValueError(
            f"{path}: its merges are not the ones its token ids imply (llmprep needs the id "
            f"of each merged token to follow its merge's rank)"
        )
    specials = {t["content"]: t["id"] for t in data.get("added_tokens", []) if t.get("special")}
    return TokenizerParts(parts.merges, parts.byte_order, specials, pattern)


def _is_byte_level(pre_tokenizer: Any) -> bool:
    if not isinstance(pre_tokenizer, dict):
        return False
    if pre_tokenizer.get("type") == "ByteLevel":
        return True
    steps = (
        pre_tokenizer.get("pretokenizers", []) if pre_tokenizer.get("type") == "Sequence" else []
    )
    return any(isinstance(s, dict) and s.get("type") == "ByteLevel" for s in steps)


def _pattern_of(pre_tokenizer: dict[str, Any]) -> str:
    """GPT-2's pattern for a plain ByteLevel step; a Split step's regex otherwise."""
    if pre_tokenizer.get("type") == "ByteLevel":
        return GPT2_SPLIT_PATTERN
    for step in pre_tokenizer.get("pretokenizers", []):
        if step.get("type") == "Split" and "Regex" in step.get("pattern", {}):
            return step["pattern"]["Regex"]
    return GPT2_SPLIT_PATTERN


def _write_text(path: Path, text: str) -> None:
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder: give a file name")
    with temporary_file(path, "w") as (f, tmp):
        f.write(text)
        f.close()
        replace_with(tmp, path)
