"""Stage 3: a tokenizer's pattern, run side by side in both regex engines before it is used.

:func:`check_pattern` accepts a pattern when (after :func:`llmprep.patterns.parse` has
accepted its constructs)

1. tiktoken's engine compiles it;
2. it loses no text: every character (all 1,112,064 code points but the surrogates) is
   matched on its own by an alternative that matches it wherever it stands;
3. each character class in it holds the same characters in both engines, checked on every
   code point Python's Unicode tables assign;
4. both engines cut probe texts with every kind of character into the same pieces.

The result is cached per pattern. GPT-2's pattern passes (a test checks it).

>>> check_pattern(r"\\p{L}+| ?[^\\s\\p{L}]+|\\s").hops
3
>>> check_pattern(r"\\p{L}+|\\p{N}+")
Traceback (most recent call last):
...
ValueError: pattern '\\\\p{L}+|\\\\p{N}+' loses text: no alternative matches '\\t' (U+0009) ...
"""

from __future__ import annotations

import functools
import random
import unicodedata
from itertools import pairwise

import regex

from llmprep.patterns import PatternFacts, parse

__all__ = ["check_pattern"]

_FAILED: dict[str, str] = {}
_TRIVIAL = regex.compile(r"\\?[^\\.]|\\[tnrfv]|\\[xuU][0-9A-Fa-f]+", flags=regex.DOTALL)


def check_pattern(pattern: str) -> PatternFacts:
    """The facts of a pattern both engines read alike; a ValueError saying why otherwise."""
    if not isinstance(pattern, str) or not pattern:
        raise ValueError(f"pattern must be a non-empty regular expression, got {pattern!r}")
    if pattern in _FAILED:
        raise ValueError(_FAILED[pattern])
    try:
        return _checked(pattern)
    except ValueError as error:
        _FAILED[pattern] = str(error)
        raise


@functools.cache
def _checked(pattern: str) -> PatternFacts:
    try:
        regex.compile(pattern)
    except regex.error as error:
        raise ValueError(
            f"pattern {pattern!r} is not a valid regular expression: {error}"
        ) from None
    facts = parse(pattern)
    _tiktoken_compiles(pattern)
    _loses_no_text(facts)
    for atom in sorted(facts.atoms):
        if not _TRIVIAL.fullmatch(atom):
            _same_characters(pattern, atom)
    for probe in _probes():
        _same_pieces(pattern, probe)
    return facts


def _encoding(pattern: str, ranks: dict[bytes, int] | None = None):  # -> tiktoken.Encoding
    import tiktoken

    return tiktoken.Encoding(
        name="llmprep-pattern-check",
        pat_str=pattern,
        mergeable_ranks=ranks or {bytes([b]): b for b in range(256)},
        special_tokens={},
    )


def _tiktoken_compiles(pattern: str) -> None:
    try:
        _encoding(pattern)
    except BaseException as error:  # tiktoken raises a PanicException (a BaseException)
        if isinstance(error, (KeyboardInterrupt, SystemExit)):
            raise
        raise ValueError(
            f"pattern {pattern!r} does not compile in tiktoken's engine ({error}), which "
            f"prepare and to_tiktoken use"
        ) from None


@functools.cache
def _every_character() -> str:
    import numpy as np

    points = np.concatenate([np.arange(0xD800), np.arange(0xE000, 0x110000)]).astype("<u4")
    return points.tobytes().decode("utf-32-le")


@functools.cache
def _assigned_characters() -> str:
    return "".join(c for c in _every_character() if unicodedata.category(c) != "Cn")


def _loses_no_text(facts: PatternFacts) -> None:
    left = _every_character()
    for atom in sorted(facts.covering):
        left = regex.sub(atom, "", left)
    if left:
        c = next((c for c in left if c.isprintable() or c.isspace()), left[0])
        raise ValueError(
            f"pattern {facts.pattern!r} loses text: no alternative matches {c!r} "
            f"(U+{ord(c):04X}) on its own, wherever it stands ({len(left):,} characters in "
            f"all), so both engines would drop it. End the pattern with an alternative "
            f"that takes any other character, e.g. |\\s+|[^\\s]"
        )


def _same_characters(pattern: str, atom: str) -> None:
    text = _assigned_characters()
    ours = "".join(regex.findall(atom, text))
    theirs = bytes(_encoding(atom).encode_ordinary(text)).decode("utf-8")
    if ours != theirs:
        only_ours, only_theirs = set(ours) - set(theirs), set(theirs) - set(ours)
        c = min(only_ours | only_theirs)
        side = (
            "Python's regex, not tiktoken's engine"
            if c in only_ours
            else ("tiktoken's engine, not Python's regex")
        )
        raise ValueError(
            f"pattern {pattern!r}: {atom} holds {len(only_ours | only_theirs):,} characters "
            f"in one engine only, e.g. {c!r} (U+{ord(c):04X}) for {side} (their Unicode "
            f"tables differ). Use classes that mean the same in both, such as \\p{{L}}, "
            f"\\p{{N}}, \\s or characters listed one by one"
        )


_KINDS = [
    "Hello",
    "WORLD",
    "naïve",
    "Ærøskøbing",
    "ſ",
    "K",
    "ǅ",
    "Ἀλέξανδρος",
    "Привет",
    "日本語",
    "한국어",
    "ﷺ",
    "हिन्दी",
    "e\u0301",
    "123",
    "٣٤",
    "１２",
    "½",
    "Ⅻ",
    "3.14",
    "1,000",
    "'s",
    "'S",
    "'ll",
    "'ve",
    "'re",
    "'d",
    "'m",
    "'t",
    "’s",
    "'",
    '"',
    "--",
    "...",
    "!?",
    "$",
    "€",
    "+",
    "=",
    "_",
    "#",
    "@",
    "/",
    "\\",
    "(",
    "]",
    "{",
    "😀",
    "👩\u200d👩\u200d👧",
    "🇫🇷",
    "\ufffd",
    " ",
    "  ",
    "   ",
    "\t",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\x0b",
    "\x0c",
    "\x85",
    "\xa0",
    "\u2000",
    "\u2028",
    "\u3000",
    "\x00",
    "\x1c",
    "\x1f",
    "\x7f",
    "\u200b",
    "\ue000",
    " x",
    " 1",
    " !",
    "x ",
    "a'b",
    "x" * 40,
    " " * 40,
    "\n" * 9,
    "!" * 30,
]


@functools.cache
def _probes() -> tuple[str, ...]:
    """Texts with every kind of character next to every other, ending in every way."""
    rng = random.Random(19)
    texts = []
    for ending in ("", "\n", " ", "x", "  \n\n", "'s", "1", "!", "\r\n"):
        kinds = _KINDS * 3
        rng.shuffle(kinds)
        texts.append("".join(kinds) + ending)
    return tuple(texts)


def _same_pieces(pattern: str, text: str) -> None:
    """Whether tiktoken's engine cuts ``text`` into the pieces Python's regex does.

    subtle: tiktoken shows ids, not pieces. Given ranks for every prefix of each piece
    and for each two neighbouring pieces joined, its BPE turns a piece into one token, and
    two pieces that it saw as one would have merged: the ids are the pieces' ranks, in
    order, exactly when both engines cut alike."""
    pieces = regex.findall(pattern, text)
    ranks = {bytes([b]): b for b in range(256)}
    for piece in pieces:
        data = piece.encode()
        for k in range(2, len(data) + 1):
            ranks.setdefault(data[:k], len(ranks))
    for a, b in pairwise(pieces):
        ranks.setdefault((a + b).encode(), len(ranks))
    theirs = _encoding(pattern, ranks).encode_ordinary(text)
    ours = [ranks[p.encode()] for p in pieces]
    if theirs != ours:
        by_rank = {rank: token for token, rank in ranks.items()}
        k = next(
            (k for k, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b), len(ours)
        )
        raise ValueError(
            f"pattern {pattern!r} cuts text differently in the two engines: Python's regex "
            f"gives the pieces {pieces[max(k - 1, 0) : k + 2]} where tiktoken's engine gives "
            f"{[by_rank[t].decode('utf-8', 'replace') for t in theirs[max(k - 1, 0) : k + 2]]}"
        )
