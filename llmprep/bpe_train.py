"""Stage 3, training: learn BPE merges from counted pieces, never quadratic in the text.

The textbook algorithm recounts every adjacent pair after every merge. Here the pairs
are counted once; a merge then updates only the distinct pieces that contain the merged
pair, and a heap (with stale entries skipped) finds the next most frequent pair.

>>> from collections import Counter
>>> learn_merges(Counter({b"low": 1, b" lower": 1, b" lowest": 1}), 3)
[(108, 111), (256, 119), (32, 257)]
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from itertools import pairwise

__all__ = ["learn_merges"]


def learn_merges(pieces: Counter[bytes], n_merges: int) -> list[tuple[int, int]]:
    """Up to ``n_merges`` merges, most frequent adjacent pair first (ties: smallest ids).

    ``pieces`` counts the pre-tokenized pieces of the text; ids 0-255 are the bytes and
    merge k makes id 256 + k. Fewer merges come back when no pair is left to merge.
    """
    words = [list(piece) for piece in pieces]
    counts = list(pieces.values())
    pair_counts: Counter[tuple[int, int]] = Counter()
    where: defaultdict[tuple[int, int], set[int]] = defaultdict(set)  # pair -> pieces
    for w, word in enumerate(words):
        for pair in pairwise(word):
            pair_counts[pair] += counts[w]
            where[pair].add(w)
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
        new_id = len(vocab)
        vocab.append(merged)
        known.add(merged)
        merges.append(pair)
        for w in where.pop(pair):
            old = words[w]
            new = _replace_pair(old, pair, new_id)
            for p in pairwise(old):
                pair_counts[p] -= counts[w]
            for p in pairwise(new):
                pair_counts[p] += counts[w]
                where[p].add(w)
            for p in set(pairwise(old)) | set(pairwise(new)):
                if pair_counts[p] > 0:
                    heapq.heappush(heap, (-pair_counts[p], p))
            words[w] = new
        del pair_counts[pair]
    return merges


def _replace_pair(word: list[int], pair: tuple[int, int], new_id: int) -> list[int]:
    """``word`` with every non-overlapping occurrence of ``pair``, left to right, merged."""
    out, i, n = [], 0, len(word)
    while i < n:
        if i + 1 < n and word[i] == pair[0] and word[i + 1] == pair[1]:
            out.append(new_id)
            i += 2
        else:
            out.append(word[i])
            i += 1
    return out
