"""Stage 3's one step: merge the bytes of one piece into tokens, lowest rank first.

Encoding with a byte-level BPE cuts text into pieces, then turns each piece's bytes into
tokens by merging adjacent pairs in the order the merges were learned (their rank).
Everything else in the BPE family (the tokenizer, its file formats) builds on this.

>>> merge_piece(b"hello", {bytes([b]): b for b in range(256)} | {b"ll": 256, b"he": 257})
(257, 256, 111)
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping

__all__ = ["merge_piece", "utf8"]


def utf8(text: str) -> bytes:
    """UTF-8 bytes of text; a lone surrogate (not valid UTF-8) becomes U+FFFD, as tiktoken
    does."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace").encode()


def merge_piece(piece: bytes, ranks: Mapping[bytes, int]) -> tuple[int, ...]:
    """Merge a piece's bytes, always the adjacent pair of lowest rank (leftmost on ties).

    ``ranks`` maps every token's bytes to its rank, which is also its id (tiktoken calls
    it ``mergeable_ranks``); every single byte must have one. The plain loop (find the
    lowest-ranked pair, merge it, repeat) is O(n²); here parts are a linked list over
    byte offsets and candidate pairs sit in a heap, so a long piece costs O(n log n). A
    popped pair is stale if its left part is gone or the bytes it spans no longer have
    its rank.

    >>> merge_piece(b"abcd", {b"a": 0, b"b": 1, b"c": 2, b"d": 3, b"cd": 4, b"bc": 5})
    (0, 1, 4)
    """
    get = ranks.get
    whole = get(piece)
    if whole is not None:
        return (whole,)
    n = len(piece)
    if n == 2:  # not a token itself: its two bytes
        return (ranks[piece[:1]], ranks[piece[1:]])
    nxt = list(range(1, n + 1))  # nxt[i]: where the part starting at i ends
    prv = list(range(-1, n - 1))
    heap = [(rank, i) for i in range(n - 1) if (rank := get(piece[i : i + 2])) is not None]
    heapq.heapify(heap)
    pop, push = heapq.heappop, heapq.heappush
    while heap:
        rank, i = pop(heap)
        gone = nxt[i]
        if prv[i] == -2 or gone >= n or get(piece[i : nxt[gone]]) != rank:
            continue  # stale
        end = nxt[i] = nxt[gone]
        prv[gone] = -2  # marks a part merged into its left neighbour
        if end < n:
            prv[end] = i
            right = get(piece[i : nxt[end]])
            if right is not None:
                push(heap, (right, i))
        if prv[i] >= 0:
            left = get(piece[prv[i] : end])
            if left is not None:
                push(heap, (left, prv[i]))
    ids, i = [], 0
    while i < n:
        ids.append(ranks[piece[i : nxt[i]]])
        i = nxt[i]
    return tuple(ids)
