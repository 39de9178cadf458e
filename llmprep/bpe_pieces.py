"""Stage 3, pre-tokenization: the pieces of a text, and how often each occurs in a corpus.

A byte-level BPE never merges across pieces, so training needs only each distinct piece
and its count. :func:`splitter` cuts a text into pieces (GPT-2's pattern takes a fast path
through the standard library's ``re`` for ASCII lines).

>>> splitter(r"\\p{L}+|\\s|\\p{N}+|[^\\s\\p{L}\\p{N}]+")("It's 2026")
['It', "'", 's', ' ', '2026']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import regex

from llmprep.cuts import SAFE_CUTS
from llmprep.gpt2 import GPT2_SPLIT_PATTERN

__all__ = ["splitter", "without_surrogates"]

# GPT-2's pattern for pure-ASCII text, spelled for the standard library's `re`, which
# splits about twice as fast as the `regex` module. subtle: whitespace is spelled out (no
# \s or \S), because Python's \s also matches \x1c-\x1f, which Unicode and tiktoken
# call symbols.
_WS = r"[\t\n\x0b\x0c\r ]"
_GPT2_ASCII_SPLIT = re.compile(
    r"'(?:[sdmt]|ll|ve|re)| ?[A-Za-z]+| ?[0-9]+| ?[^\t\n\x0b\x0c\r A-Za-z0-9]+"
    rf"|{_WS}+$|{_WS}+(?![^\t\n\x0b\x0c\r ])|{_WS}"
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """The text with each lone surrogate (not valid UTF-8) as U+FFFD, which is what
    tiktoken's engine sees in its place.

    >>> without_surrogates("a\\ud800b")
    'a\\ufffdb'
    """
    return _SURROGATE.sub("\ufffd", text)


@functools.cache
def splitter(pattern: str) -> Callable[[str], list[str]]:
    """The function that cuts a text into its pieces by ``pattern``."""
    split = regex.compile(pattern).findall
    if pattern != GPT2_SPLIT_PATTERN:

        def pieces(text: str) -> list[str]:
            # subtle: tiktoken sees U+FFFD for a lone surrogate; with a pattern other than
            # GPT-2's (which treats both as symbols) that can change the pieces
            return split(text if text.isascii() or _valid(text) else without_surrogates(text))

        return pieces

    def gpt2_pieces(text: str) -> list[str]:
        if text.isascii():
            return _GPT2_ASCII_SPLIT.findall(text)
        return [
            piece
            for chunk in SAFE_CUTS.split(text)  # so each line can take the fast path
            for piece in (_GPT2_ASCII_SPLIT.findall if chunk.isascii() else split)(chunk)
        ]

    return gpt2_pieces


def _valid(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
