"""Where a text may be cut so that encoding the parts gives exactly the ids of the whole.

A byte-level BPE tokenizer first splits text into pieces with a pattern (GPT-2's, by
default), then merges bytes inside each piece. A cut is exact when it falls on a piece
boundary that the parts see as well, or inside a piece where no token can span it. With
GPT-2's pattern (no lookbehind, at most one character of lookahead):

1. a non-space character followed by whitespace always ends a piece, and the pieces on
   both sides come out the same when the text is cut there (:func:`last_word_end`);
2. any piece boundary found a few characters before the end of a buffer is final, since
   no alternative looks further ahead (:func:`last_piece_boundary`);
3. inside one long piece (a run of whitespace, letters or digits), a cut between two bytes
   that no token of the vocabulary contains side by side changes no merge
   (:func:`last_unbreakable`): the parts are then encoded as parts of one piece.

"Whitespace" is Unicode's White_Space, what tiktoken's ``\\s`` matches; Python's
``str.isspace`` also counts U+001C..U+001F, which GPT-2 treats as symbols.

>>> text = "one two  three"
>>> last_word_end(text), text[: last_word_end(text)]
(7, 'one two')
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import regex

__all__ = [
    "MARGIN",
    "SAFE_CUTS",
    "WHITESPACE",
    "last_piece_boundary",
    "last_unbreakable",
    "last_word_end",
    "pairs_inside_tokens",
]

#: Unicode White_Space (tiktoken's and the regex module's ``\s``), as a character class body.
WHITESPACE = (
    "\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
)

#: Characters a piece boundary must stay away from the end of a buffer: GPT-2's pattern
#: looks at most 3 characters past a piece (the contractions 'll, 've, 're).
MARGIN = 8

# subtle: a "\n" right after a non-space character is a word end (rule 1); BPETokenizer
# splits text there to send ASCII lines down its fast path.
SAFE_CUTS = re.compile(rf"(?<=[^{WHITESPACE}])(?=\n)")

_SPACE = regex.compile(f"[{WHITESPACE}]")
_WORD_END = regex.compile(rf"[^{WHITESPACE}](?=[{WHITESPACE}])", flags=regex.REVERSE)


def last_word_end(text: str) -> int:
    """Index just after the last non-space character that whitespace follows; 0 if none.

    >>> last_word_end("line\\r\\nnext \\n"), last_word_end("   "), last_word_end("word")
    (10, 0, 0)
    """
    match = _WORD_END.search(text)
    return match.end() if match else 0


def last_piece_boundary(text: str, pattern: regex.Pattern[str]) -> int:
    """The last end of a piece that lies at least :data:`MARGIN` characters before the end
    of ``text`` (which must start at a piece boundary) and may be cut; 0 if none.

    subtle: the end of a whitespace run is a piece boundary that may not be cut. In
    ``"\\n\\n\\nx"`` the run splits into ``"\\n\\n"`` and ``"\\n"`` only because an ``x``
    follows; cut before the ``x`` and the run is one piece, with other ids.

    >>> import regex
    >>> from llmprep.gpt2 import GPT2_SPLIT_PATTERN
    >>> last_piece_boundary("abc123,,,def456" * 2, regex.compile(GPT2_SPLIT_PATTERN))
    21
    """
    best = 0
    for match in pattern.finditer(text):
        end = match.end()
        if end > len(text) - MARGIN:
            break
        if not (_SPACE.match(text, end - 1) and not _SPACE.match(text, end)):
            best = end
    return best


def pairs_inside_tokens(tokens: Iterable[bytes]) -> frozenset[bytes]:
    """Every two-byte sequence that occurs inside some token: a cut between any other two
    bytes can never be spanned by a token."""
    return frozenset(token[i : i + 2] for token in tokens for i in range(len(token) - 1))


def last_unbreakable(text: str, inside: frozenset[bytes], *, start: int = 1) -> int:
    """The last index i >= ``start`` (at least :data:`MARGIN` before the end) where the
    last byte of ``text[i - 1]`` and the first byte of ``text[i]`` never occur side by
    side in a token; 0 if none.

    >>> last_unbreakable(" \\n" * 10, frozenset({b"\\n\\n"}))
    12
    """
    for i in range(len(text) - MARGIN, max(start, 1) - 1, -1):
        pair = (
            text[i - 1].encode("utf-8", "surrogatepass")[-1:]
            + text[i].encode("utf-8", "surrogatepass")[:1]
        )
        if pair not in inside:
            return i
    return 0
