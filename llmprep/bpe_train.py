"""Stage 3, training: learn BPE merges from counted pieces, in time linear in the text.

The textbook algorithm recounts every adjacent pair after every merge. Here the pairs
are counted once. A merge then visits only the distinct pieces that contain the merged
pair, changes the counts of the pairs next to each occurrence (nothing else in the piece
changes), and pushes each pair whose count changed once onto a heap, which (with stale
entries skipped) gives the next most frequent pair.

>>> from collections import Counter
>>> learn_merges(Counter({b"low": 1, b" lower": 1, b" lowest": 1}), 3)
[(108, 111), (256, 119), (32, 257)]
"""

from __future__ import annotations

import gc
import heapq
from collections import Counter
from itertools import pairwise

__all__ = ["learn_merges"]


def learn_merges(pieces: Counter[bytes], n_merges: int) -> list[tuple[int, int]]:
    """Up to ``n_merges`` merges, most frequent adjacent pair first (ties: smallest ids).

    ``pieces`` counts the pre-tokenized pieces of the text; ids 0-255 are the bytes and
    merge k makes id 256 + k. Fewer merges come back when no pair is left to merge.
    """
    # subtle: Python's cycle collector would scan the millions of pair tuples and piece
    # lists made here again and again (a third of the time on 6 MB of text); none of them
    # can form a cycle, so it is paused while they live
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _learn(pieces, n_merges)
    finally:
        if collecting:
            gc.enable()


def _learn(pieces: Counter[bytes], n_merges: int) -> list[tuple[int, int]]:
    words = [list(piece) for piece in pieces]
    counts = list(pieces.values())
    pair_counts: dict[tuple[int, int], int] = {}
    where: dict[tuple[int, int], set[int]] = {}  # pair -> pieces that contain (or did) it
    for w, word in enumerate(words):
        for pair in pairwise(word):
            pair_counts[pair] = pair_counts.get(pair, 0) + counts[w]
            where.setdefault(pair, set()).add(w)
    heap = [(-count, pair) for pair, count in pair_counts.items()]
    heapq.heapify(heap)

    vocab = [bytes([b]) for b in range(256)]
    known, merges, skipped = set(vocab), [], set()
    while len(merges) < n_merges and heap:
        negative_count, pair = heapq.heappop(heap)
        if pair_counts.get(pair, 0) != -negative_count or pair in skipped:
            continue  # stale entry
        merged = vocab[pair[0]] + vocab[pair[1]]
        if merged in known:  # subtle: another split of the same bytes was merged already
            skipped.add(pair)
            continue
        vocab.append(merged)
        known.add(merged)
        merges.append(pair)
        changes = _merge_everywhere(pair, len(vocab) - 1, words, counts, where.pop(pair), where)
        del pair_counts[pair]
        changes.pop(pair, None)
        for changed, delta in changes.items():
            if delta:
                count = pair_counts.get(changed, 0) + delta
                if count > 0:
                    pair_counts[changed] = count
                    heapq.heappush(heap, (-count, changed))
                else:
                    pair_counts.pop(changed, None)
    return merges


def _merge_everywhere(
    pair: tuple[int, int],
    new_id: int,
    words: list[list[int]],
    counts: list[int],
    visit: set[int],
    where: dict[tuple[int, int], set[int]],
) -> dict[tuple[int, int], int]:
    """Merge ``pair`` into ``new_id`` in the pieces ``visit``, leftmost occurrence first;
    return how the count of each neighbouring pair changed, and note in ``where`` the
    pieces that now hold a pair with ``new_id``."""
    a, b = pair
    changes: dict[tuple[int, int], int] = {}
    get, add_to = changes.get, where.setdefault
    for w in visit:
        word = words[w]
        n = len(word)
        occurrences = []
        i = word.index(a) if a in word else n
        while i < n:  # subtle: word.index runs in C, so most of a piece is never looped over
            if i + 1 < n and word[i + 1] == b:
                occurrences.append(i)
                i += 2
            else:
                i += 1
            i = word.index(a, i) if i < n and a in word[i:] else n
        if not occurrences:
            continue  # an earlier merge took this piece's pair
        count, new, start = counts[w], [], 0
        for p in occurrences:
            if p:  # the pair on the left: (left, a) becomes (left, new_id), or (new_id, new_id)
                left = word[p - 1]
                old, joined = (left, a), (new_id, new_id) if start == p else (left, new_id)
                changes[old] = get(old, 0) - count
                changes[joined] = get(joined, 0) + count
                add_to(joined, set()).add(w)
            new += word[start:p]
            new.append(new_id)
            start = p + 2
            if start < n and not (word[start] == a and start + 1 < n and word[start + 1] == b):
                right = word[start]  # the pair on the right: (b, right) becomes (new_id, right)
                old, joined = (b, right), (new_id, right)
                changes[old] = get(old, 0) - count
                changes[joined] = get(joined, 0) + count
                add_to(joined, set()).add(w)
        new += word[start:]
        words[w] = new
    return changes
