"""Stage 3, training: learn BPE merges from counted pieces, in time linear in the text.

The textbook algorithm recounts every adjacent pair after every merge. Here the pairs
are counted once. A merge then visits only the distinct pieces that contain the merged
pair, changes the counts of the pairs next to each occurrence (nothing else in the piece
changes), and pushes each pair whose count changed once onto a heap, which (with stale
entries skipped) gives the next most frequent pair.

A piece is kept as a string with one character per token (``chr(id)``), so finding,
replacing and cutting around a pair run in C (``in``, ``split``, ``join``); a pair is the
two-character string, which sorts like the pair of ids (ties: smallest ids first).

>>> from collections import Counter
>>> learn_merges(Counter({b"low": 1, b" lower": 1, b" lowest": 1}), 3)
[(108, 111), (256, 119), (32, 257)]
"""

from __future__ import annotations

import gc
import heapq
from collections import Counter, defaultdict
from operator import add

__all__ = ["learn_merges"]


def learn_merges(pieces: Counter[bytes], n_merges: int) -> list[tuple[int, int]]:
    """Up to ``n_merges`` merges, most frequent adjacent pair first (ties: smallest ids).

    ``pieces`` counts the pre-tokenized pieces of the text; ids 0-255 are the bytes and
    merge k makes id 256 + k. Fewer merges come back when no pair is left to merge.
    """
    # subtle: Python's cycle collector would scan the millions of pair strings and sets
    # made here again and again (a third of the time on 6 MB of text); none of them can
    # form a cycle, so it is paused while they live
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _learn(pieces, n_merges)
    finally:
        if collecting:
            gc.enable()


def _learn(pieces: Counter[bytes], n_merges: int) -> list[tuple[int, int]]:
    words, counts = [], []
    for piece, count in pieces.items():
        if len(piece) > 1:  # a single byte has no pair to merge
            words.append(piece.decode("latin-1"))  # one character per byte, chr(byte)
            counts.append(count)
    pair_counts: defaultdict[str, int] = defaultdict(int)
    where: defaultdict[str, set[int]] = defaultdict(set)  # pair -> pieces that hold (held) it
    for w, word in enumerate(words):
        n = counts[w]
        for pair in map(add, word, word[1:]):
            pair_counts[pair] += n
            where[pair].add(w)
    heap = [(-count, pair) for pair, count in pair_counts.items()]
    heapq.heapify(heap)
    counted = dict(pair_counts)
    get, pop, push = counted.get, heapq.heappop, heapq.heappush

    vocab = [bytes([b]) for b in range(256)]
    known, merges, skipped = set(vocab), [], set()
    while len(merges) < n_merges and heap:
        negative_count, pair = pop(heap)
        if get(pair, 0) != -negative_count or pair in skipped:
            continue  # stale entry
        a, b = ord(pair[0]), ord(pair[1])
        merged = vocab[a] + vocab[b]
        if merged in known:  # subtle: another split of the same bytes was merged already
            skipped.add(pair)
            continue
        new = chr(len(vocab))
        vocab.append(merged)
        known.add(merged)
        merges.append((a, b))
        changes = _merge_everywhere(pair, new, words, counts, where.pop(pair), where)
        del counted[pair]
        changes.pop(pair, None)
        for changed, delta in changes.items():
            if delta:
                count = get(changed, 0) + delta
                if count > 0:
                    counted[changed] = count
                    push(heap, (-count, changed))
                else:
                    counted.pop(changed, None)
    return merges


def _merge_everywhere(
    pair: str,
    new: str,
    words: list[str],
    counts: list[int],
    visit: set[int],
    where: defaultdict[str, set[int]],
) -> defaultdict[str, int]:
    """Merge ``pair`` into ``new`` in the pieces ``visit``, leftmost occurrence first (as
    ``str.replace`` does); return how the count of each neighbouring pair changed, and
    note in ``where`` the pieces that now hold a pair with ``new``."""
    x, y = pair
    changes: defaultdict[str, int] = defaultdict(int)
    if x == y:  # subtle: in "aaa" the occurrences overlap; count the pieces again
        for w in visit:
            old = words[w]
            if pair not in old:
                continue
            words[w] = merged = old.replace(pair, new)
            n = counts[w]
            for p in map(add, old, old[1:]):
                changes[p] -= n
            for p in map(add, merged, merged[1:]):
                changes[p] += n
                if new in p:
                    where[p].add(w)
        return changes
    for w in visit:
        word = words[w]
        if pair not in word:
            continue  # an earlier merge took this piece's pair
        parts = word.split(pair)
        n = counts[w]
        for k in range(len(parts) - 1):
            left, right = parts[k][-1:], parts[k + 1][:1]
            if left:  # (left, x) becomes (left, new)
                changes[left + x] -= n
                joined = left + new
                changes[joined] += n
                where[joined].add(w)
            elif k:  # right after the previous occurrence: (y, x) becomes (new, new)
                changes[y + x] -= n
                changes[new + new] += n
                where[new + new].add(w)
            if right:  # (y, right) becomes (new, right)
                changes[y + right] -= n
                joined = new + right
                changes[joined] += n
                where[joined].add(w)
        words[w] = new.join(parts)
    return changes
