"""Stage 4: a document of any length as segments whose ids, put together, are its ids.

A document arrives as blocks of text (read from a file, or the text of a record). The
blocks are joined and cut only where :mod:`llmprep.cuts` proves the cut changes no id,
so memory stays within a few blocks; only a stretch with no such place in it (one piece
of a million letters) is held whole.

>>> from llmprep.gpt2 import GPT2_SPLIT_PATTERN
>>> cutter = Cutter(GPT2_SPLIT_PATTERN, inside=frozenset)
>>> [s.text for s in cutter.segments(["Hello wor", "ld, and more"], block_chars=4)]
['Hello', ' world, and', ' more']
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from llmprep.cuts import (
    last_forced_cut,
    last_piece_boundary,
    last_unbreakable,
    last_word_end,
)
from llmprep.gpt2 import GPT2_SPLIT_PATTERN
from llmprep.patterns import PatternFacts, parse
from llmprep.simple import END_OF_TEXT

__all__ = ["Cutter", "Segment"]


@dataclass(frozen=True)
class Segment:
    """Text to encode. ``keep``: the ids of ``text[:keep]`` are kept, those of the rest
    (context the engine had to see) are dropped; None keeps all. ``one_piece``: the text
    lies inside one piece, so its bytes are merged as a single piece."""

    text: str
    keep: int | None = None
    one_piece: bool = False

    @property
    def kept(self) -> str:
        return self.text if self.keep is None else self.text[: self.keep]


class Cutter:
    """Where a tokenizer's text may be cut: GPT-2's rules for its pattern, the one rule
    of any checked pattern otherwise. ``inside`` gives the two-byte sequences inside the
    vocabulary's tokens (:func:`~llmprep.cuts.pairs_inside_tokens`), needed only to cut
    inside one long piece."""

    def __init__(
        self,
        pattern: str,
        *,
        inside: Callable[[], frozenset[bytes]],
        specials: tuple[str, ...] = (END_OF_TEXT,),
    ) -> None:
        self.pattern, self.specials, self._inside = pattern, specials, inside

    @functools.cached_property
    def facts(self) -> PatternFacts:
        return parse(self.pattern)

    @functools.cached_property
    def inside(self) -> frozenset[bytes]:
        return self._inside()

    @functools.cached_property
    def split(self) -> Any:
        import regex

        return regex.compile(self.pattern)

    def segments(self, blocks: Iterable[str], *, block_chars: int) -> Iterator[Segment]:
        """The document's segments, cut about every ``block_chars`` characters."""
        if self.pattern == GPT2_SPLIT_PATTERN:
            return self._gpt2_segments(blocks, block_chars)
        return self.forced_segments(blocks, block_chars=block_chars)

    def forced_segments(self, blocks: Iterable[str], *, block_chars: int) -> Iterator[Segment]:
        """Segments cut by the one rule every checked pattern has (GPT-2's too); each but
        the last carries the context its pieces need."""
        carry, tried = "", 0
        for block in blocks:
            carry += block
            while len(carry) >= 2 * block_chars:
                # subtle: cut within the first two blocks; where that found no cut, look
                # again only near the end of what was searched
                window = carry[: 2 * block_chars] if not tried else carry
                lowest = max(1, tried - 4096)
                cut, end = last_forced_cut(
                    window, self.facts, specials=self.specials, lowest=lowest
                )
                if not cut:
                    tried = len(window)
                    break  # no exact cut yet: read on
                yield Segment(carry[:end], keep=cut)
                carry, tried = carry[cut:], 0
        if carry:
            yield Segment(carry)

    def _gpt2_segments(self, blocks: Iterable[str], block_chars: int) -> Iterator[Segment]:
        carry = ""
        for block in blocks:
            carry += block
            cut = last_word_end(carry)
            if cut:
                yield Segment(carry[:cut])
                carry = carry[cut:]
            while len(carry) > 2 * block_chars:  # a long stretch without a word end
                cut, one_piece = self._fallback_cut(carry[: 2 * block_chars])
                if not cut:
                    break  # no exact cut here: read on
                yield Segment(carry[:cut], one_piece=one_piece)
                carry = carry[cut:]
        if carry:
            yield Segment(carry)

    def _fallback_cut(self, window: str) -> tuple[int, bool]:
        """A cut in a window that has no word end: (index, one_piece); (0, _) if none."""
        (token,) = self.specials  # subtle: prepare's one special token, <|endoftext|>
        special = window.find(token)
        if special >= 0:  # tiktoken splits the text there itself: cut before it (or after)
            return special or len(token), False
        maybe = window.rfind(token[:1], len(window) - len(token))
        if maybe > 0:  # the window may end inside one: stop before it
            window = window[:maybe]
        boundary = last_piece_boundary(window, self.split)
        if boundary:
            return boundary, False
        # the window lies inside one piece (from its start to near its end)
        return last_unbreakable(window, self.inside, start=len(window) // 2), True
