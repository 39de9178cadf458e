"""GPT-2's byte-pair encoding files: read them, and build tiktoken's encoding from them.

GPT-2's tokenizer is defined by two files: ``vocab.bpe`` lists the 50,000 merges in the
order they were learned, ``encoder.json`` gives every token its id. Both are resolved by
:mod:`llmprep.assets`, so everything here works offline with a mirror.

>>> gpt2_encoding().encode("Akwirw ier")
[33901, 86, 343, 86, 220, 959]
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from llmprep import assets
from llmprep.simple import END_OF_TEXT

if TYPE_CHECKING:
    import tiktoken

__all__ = [
    "GPT2_SPLIT_PATTERN",
    "byte_symbol",
    "bytes_to_symbols",
    "gpt2_byte_order",
    "gpt2_encoding",
    "load_gpt2_merges",
    "symbols_to_bytes",
    "token_bytes",
]

#: GPT-2's pre-tokenization (tiktoken's ``r50k_pat_str``): contractions, words with an
#: optional leading space, numbers, other symbols, and runs of whitespace.
GPT2_SPLIT_PATTERN = (
    r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s"""
)


@functools.cache
def gpt2_encoding() -> tiktoken.Encoding:
    """tiktoken's GPT-2 ``Encoding``, built from files resolved by :mod:`llmprep.assets`.

    It equals ``tiktoken.get_encoding("gpt2")`` but needs no download of its own, so it
    works offline with a mirror (``LLMPREP_MIRROR``). Built once per process, like
    tiktoken's own encodings (reading the files takes about 0.3 s).

    >>> gpt2_encoding().encode("Hello, world")
    [15496, 11, 995]
    """
    import tiktoken

    byte_order, merges = load_gpt2_merges(
        assets.fetch("gpt2/encoder.json"), assets.fetch("gpt2/vocab.bpe")
    )
    tokens = token_bytes(byte_order, merges)
    return tiktoken.Encoding(
        name="gpt2",
        pat_str=GPT2_SPLIT_PATTERN,
        mergeable_ranks={token: rank for rank, token in enumerate(tokens)},
        special_tokens={END_OF_TEXT: len(tokens)},
    )


@functools.cache
def _byte_map() -> tuple[tuple[int, ...], dict[int, str], dict[str, int]]:
    printable = [b for b in range(256) if chr(b).isprintable() and b != ord(" ")]
    unprintable = [b for b in range(256) if b not in printable]
    symbol = {b: chr(b) for b in printable} | {b: chr(256 + n) for n, b in enumerate(unprintable)}
    return tuple(printable + unprintable), symbol, {s: b for b, s in symbol.items()}


def gpt2_byte_order() -> list[int]:
    """GPT-2's order of the 256 single-byte tokens: printable bytes first, as its files use.

    >>> gpt2_byte_order()[:3], gpt2_byte_order()[-1]
    ([33, 34, 35], 173)
    """
    return list(_byte_map()[0])


def byte_symbol(byte: int) -> str:
    """The printable character GPT-2's files write for a byte: the byte itself if it is
    printable, else ``chr(256 + n)`` for the n-th unprintable byte (``Ġ`` for the space).

    >>> byte_symbol(ord("a")), byte_symbol(ord(" ")), byte_symbol(ord("\\n"))
    ('a', 'Ġ', 'Ċ')
    """
    return _byte_map()[1][byte]


def symbols_to_bytes(symbols: str) -> bytes:
    """The bytes a string of GPT-2's byte symbols stands for; KeyError names the first
    character that is not one.

    >>> symbols_to_bytes("Ġhello")
    b' hello'
    """
    return bytes(_byte_map()[2][c] for c in symbols)


def bytes_to_symbols(token: bytes) -> str:
    """A token's bytes as GPT-2's byte symbols, the way ``vocab.bpe`` and Hugging Face's
    ``tokenizer.json`` write them.

    >>> bytes_to_symbols(b" hello")
    'Ġhello'
    """
    symbol = _byte_map()[1]
    return "".join(symbol[b] for b in token)


def load_gpt2_merges(
    encoder_json: str | os.PathLike[str], vocab_bpe: str | os.PathLike[str]
) -> tuple[list[int], list[tuple[int, int]]]:
    """Read GPT-2's files into (byte order of ids 0-255, merges as id pairs, in rank order).

    Checks that ``encoder.json`` gives every merged token the id its merge rank implies.
    """
    byte_order = gpt2_byte_order()

    def decode(symbol: str, where: str) -> bytes:
        try:
            return symbols_to_bytes(symbol)
        except KeyError as error:
            raise ValueError(
                f"{where}: {error.args[0]!r} is not one of GPT-2's byte symbols"
            ) from None

    lines = Path(vocab_bpe).read_text(encoding="utf-8").split("\n")
    if not lines or not lines[0].startswith("#version"):
        raise ValueError(
            f"{vocab_bpe} is not a GPT-2 merges file: the first line should be '#version: 0.2'"
        )
    ids = {bytes([b]): i for i, b in enumerate(byte_order)}
    merges = []
    for number, line in enumerate(lines[1:], start=2):
        if not line:
            continue
        parts = line.split(" ")
        if len(parts) != 2 or not all(parts):
            raise ValueError(
                f"{vocab_bpe}, line {number}: expected two symbols and one space, got {line!r}"
            )
        left, right = (decode(p, f"{vocab_bpe}, line {number}") for p in parts)
        if left not in ids or right not in ids:
            raise ValueError(f"{vocab_bpe}, line {number}: merges {line!r} before both parts exist")
        merges.append((ids[left], ids[right]))
        ids[left + right] = len(ids)

    encoder = json.loads(Path(encoder_json).read_text(encoding="utf-8"))
    for symbol, i in encoder.items():
        if symbol != END_OF_TEXT and ids.get(decode(symbol, str(encoder_json))) != i:
            raise ValueError(
                f"{encoder_json} gives {symbol!r} id {i}, but {vocab_bpe} implies "
                f"{ids.get(decode(symbol, str(encoder_json)))}: the files do not belong together"
            )
    return byte_order, merges


def token_bytes(byte_order: Sequence[int], merges: Iterable[tuple[int, int]]) -> list[bytes]:
    """The bytes of every token: the 256 single bytes, then each merge's concatenation."""
    tokens = [bytes([b]) for b in byte_order]
    for left, right in merges:
        tokens.append(tokens[left] + tokens[right])
    return tokens
