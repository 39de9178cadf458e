"""Where a text may be cut so that encoding the parts gives exactly the ids of the whole.

A byte-level BPE tokenizer first splits text into pieces with a pattern (GPT-2's, by
default), then merges bytes inside each piece. A cut is exact when it falls on a piece
boundary that the parts see as well, or inside a piece where no token can span it. With
GPT-2's pattern (no lookbehind, at most one character of lookahead):

1. a non-space character followed by whitespace always ends a piece, and the pieces on
   both sides come out the same when the text is cut there (:func:`last_word_end`);
2. any piece boundary found a few characters before the end of a buffer is final, since
   no alternative looks further ahead (:func:`last_piece_boundary`);
3. inside one long piece (a run of whitespace, letters, digits or symbols), a cut between
   two bytes that no token of the vocabulary contains side by side changes no merge
   (:func:`last_unbreakable`): the part before it is encoded as part of one piece, the
   rest is split again, which gives the rest of that piece, except where it starts with
   an apostrophe (a run of symbols then ``'s`` would become the contraction ``'s``).

"Whitespace" is Unicode's White_Space, what tiktoken's ``\\s`` matches; Python's
``str.isspace`` also counts U+001C..U+001F, which GPT-2 treats as symbols.

Any other pattern (checked by :mod:`llmprep.pattern_check`) has one rule,
:func:`last_forced_cut`: a cut between two characters that no piece can hold side by
side is a piece boundary in every text; the pieces before it are those of the whole text
when the engine is given the text up to :func:`reach`, past everything it may read
there; the ids of the part after the cut are then dropped and encoded with the next part.

>>> text = "one two  three"
>>> last_word_end(text), text[: last_word_end(text)]
(7, 'one two')
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import regex

from llmprep.patterns import PatternFacts

__all__ = [
    "MARGIN",
    "SAFE_CUTS",
    "WHITESPACE",
    "last_forced_cut",
    "last_piece_boundary",
    "last_unbreakable",
    "last_word_end",
    "pairs_inside_tokens",
    "reach",
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


def last_unbreakable(
    text: str, inside: frozenset[bytes], *, start: int = 1, avoid: str = "'"
) -> int:
    """The last index i >= ``start`` (at least :data:`MARGIN` before the end) where the
    last byte of ``text[i - 1]`` and the first byte of ``text[i]`` never occur side by
    side in a token, and ``text[i]`` is not in ``avoid``; 0 if none.

    >>> last_unbreakable(" \\n" * 10, frozenset({b"\\n\\n"}))
    12
    >>> last_unbreakable("😀" * 12 + "'s" + "😀" * 6, frozenset())  # not before the '
    11
    """
    for i in range(len(text) - MARGIN, max(start, 1) - 1, -1):
        if text[i] in avoid:
            continue
        pair = (
            text[i - 1].encode("utf-8", "surrogatepass")[-1:]
            + text[i].encode("utf-8", "surrogatepass")[:1]
        )
        if pair not in inside:
            return i
    return 0


# ---- any checked pattern -----------------------------------------------------------


def reach(text: str, position: int, facts: PatternFacts) -> int:
    """An index past every character the engine may read when a match is tried at
    ``position`` or before (``len(text) + 1`` when that may be the end of the text).

    A try takes at most ``facts.hops`` steps, each over one character or through a run of
    the characters of one repeated class; runs only grow with the position, so one bound
    holds for every earlier position too.

    >>> from llmprep.patterns import parse
    >>> reach("aaa bb c", 0, parse(r"\\p{L}+|\\s"))
    7
    """
    runs = facts.run_regexes
    for _ in range(facts.hops):
        if position >= len(text):
            return len(text) + 1
        position = (
            max(run.match(text, position).end() for run in runs) + 1 if runs else position + 1
        )
    return position


def last_forced_cut(
    text: str, facts: PatternFacts, *, specials: tuple[str, ...] = (), lowest: int = 1
) -> tuple[int, int]:
    """``(cut, end)``: the last ``cut >= lowest`` between two characters no piece holds
    side by side (and not inside one of the ``specials``) whose :func:`reach` ``end`` lies
    within the text; ``(0, 0)`` if there is none. Encoding ``text[:end]`` and keeping the
    ids of ``text[:cut]`` gives the ids of the whole text there.

    >>> from llmprep.patterns import parse
    >>> last_forced_cut("aaa bb cc dd", parse(r"\\p{L}+|\\s"))
    (6, 10)
    """
    # subtle: a special token that may begin at the end of the text (its rest not read
    # yet) may end the engine's text there: treat the text as ending before it
    text = text[: _open_special(text, specials)]
    window = 256
    top = len(text)
    while top > lowest:
        bottom = max(lowest - 1, top - window, 0)
        # subtle: the text is read one character past ``top``, so that whether the pieces
        # end at ``top`` itself is known
        found = facts.piece_ends.finditer(text, bottom, min(top + 1, len(text)))
        for cut in reversed([m.end() for m in found]):
            if not lowest <= cut <= top or cut == len(text) or _inside(text, cut, specials):
                continue
            end = reach(text, cut, facts)
            if end <= len(text):
                return cut, _before(text, end, specials)
        top, window = bottom, window * 2
    return 0, 0


def _open_special(text: str, specials: tuple[str, ...]) -> int:
    """Where a special token whose start ends the text may begin; ``len(text)`` if none."""
    for start in range(max(len(text) - max(map(len, specials), default=0) + 1, 0), len(text)):
        if any(s.startswith(text[start:]) for s in specials):
            return start
    return len(text)


def _inside(text: str, cut: int, specials: tuple[str, ...]) -> bool:
    """Whether ``cut`` falls inside an occurrence of one of the ``specials``."""
    for special in specials:
        start = text.find(special, max(cut - len(special) + 1, 0), cut + len(special) - 1)
        if 0 <= start < cut:
            return True
    return False


def _before(text: str, end: int, specials: tuple[str, ...]) -> int:
    """``end``, or the start of an occurrence of a special that ``end`` would cut."""
    for special in specials:
        start = text.find(special, max(end - len(special) + 1, 0), end + len(special) - 1)
        if 0 <= start < end:
            end = start
    return end
