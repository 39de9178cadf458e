"""Stage 3, training: learn BPE merges from counted pieces, in time linear in the text.

The textbook algorithm recounts every adjacent pair after every merge. Here the pairs
are counted once. A merge then visits only the distinct pieces that contain the merged
pair, changes the counts of the pairs next to each occurrence (nothing else in the piece
changes), and pushes each pair whose count rose onto a heap, which (with stale entries
skipped, and a count that fell put back when its old entry comes up) gives the next most
frequent pair.

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

_MOST = 0x110000  # the characters Python has: a vocabulary of at most 1,114,112 tokens
_SHIFT = 21  # so an id takes 21 bits
_MASK = (1 << _SHIFT) - 1


def learn_merges(pieces: Counter[bytes], n_merges: int) -> list[tuple[int, int]]:
    """Up to ``n_merges`` merges, most frequent adjacent pair first (ties: smallest ids).

    ``pieces`` counts the pre-tokenized pieces of the text; ids 0-255 are the bytes and
    merge k makes id 256 + k. Fewer merges come back when no pair is left to merge.
    """
    if 256 + n_merges > _MOST:
        raise ValueError(
            f"{n_merges:,} merges would make ids past {_MOST - 1:,}, the most one character "
            f"(this training's token) can hold: ask for fewer"
        )
    # subtle: Python's cycle collector would scan the millions of pair strings and lists
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
    counted: dict[str, int] = {}
    where: defaultdict[str, list[int]] = defaultdict(list)
    get = counted.get
    for w, word in enumerate(words):
        n = counts[w]
        for pair in map(add, word, word[1:]):
            counted[pair] = get(pair, 0) + n
            where[pair].append(w)
    get, pop, push = counted.get, heapq.heappop, heapq.heappush
    # the heap holds -count, then the pair's two ids, in one int (ties: smallest ids)
    heap = [(-n << 2 * _SHIFT) | (ord(p[0]) << _SHIFT) | ord(p[1]) for p, n in counted.items()]
    heapq.heapify(heap)

    vocab = [bytes([b]) for b in range(256)]
    known, merges, skipped = set(vocab), [], set()
    while len(merges) < n_merges and heap:
        key = pop(heap)
        a, b = (key >> _SHIFT) & _MASK, key & _MASK
        pair = chr(a) + chr(b)
        count, listed = get(pair, 0), -(key >> 2 * _SHIFT)
        if count != listed or pair in skipped:
            # subtle: a count that fell was not pushed again, its old entry (higher)
            # stood for it; now that this entry comes up, the true count goes back in
            if 0 < count < listed and pair not in skipped:
                push(heap, (-count << 2 * _SHIFT) | (a << _SHIFT) | b)
            continue
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
            if delta > 0:  # a count that rose is pushed at once
                count = counted[changed] = get(changed, 0) + delta
                push(heap, (-count << 2 * _SHIFT) | (ord(changed[0]) << _SHIFT) | ord(changed[1]))
            elif delta:
                count = get(changed, 0) + delta
                if count > 0:
                    counted[changed] = count
                else:  # the pair is gone from every piece
                    counted.pop(changed, None)
                    where.pop(changed, None)
    return merges


def _merge_everywhere(
    pair: str,
    new: str,
    words: list[str],
    counts: list[int],
    visit: list[int],
    where: defaultdict[str, list[int]],
) -> dict[str, int]:
    """Merge ``pair`` into ``new`` in the pieces ``visit``, leftmost occurrence first (as
    ``str.replace`` does); return how the count of each neighbouring pair changed, and
    note in ``where`` the pieces that now hold a pair with ``new``."""
    x, y = pair
    if x == y:  # subtle: in "aaa" the occurrences overlap; count the pieces again
        changes: defaultdict[str, int] = defaultdict(int)
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
                    where[p].append(w)
        return changes
    # the pieces beside each occurrence, by the character on its left and on its right
    lefts: defaultdict[str, list[int]] = defaultdict(list)
    rights: defaultdict[str, list[int]] = defaultdict(list)
    touching: list[int] = []  # right after another occurrence: (y, x) becomes (new, new)
    for w in visit:
        word = words[w]
        if pair not in word:
            continue  # listed twice, or an earlier merge took this piece's pair
        parts = word.split(pair)
        if len(parts) == 2:  # one occurrence, as in most pieces
            left, right = parts
            if left:
                lefts[left[-1]].append(w)
            if right:
                rights[right[0]].append(w)
        else:
            for k in range(len(parts) - 1):
                left, right = parts[k], parts[k + 1]
                if left:
                    lefts[left[-1]].append(w)
                elif k:
                    touching.append(w)
                if right:
                    rights[right[0]].append(w)
        words[w] = new.join(parts)
    # each piece once per occurrence: the count a neighbouring pair loses and its
    # successor gains is the sum of their counts
    weight = counts.__getitem__
    changes: dict[str, int] = {}
    get = changes.get
    for char, pieces in lefts.items():  # (char, x) becomes (char, new)
        n = sum(map(weight, pieces))
        changes[char + x] = get(char + x, 0) - n
        changes[char + new] = n
        where[char + new] = pieces
    for char, pieces in rights.items():  # (y, char) becomes (new, char)
        n = sum(map(weight, pieces))
        changes[y + char] = get(y + char, 0) - n
        changes[new + char] = n
        where[new + char] = pieces
    if touching:
        changes[y + x] = get(y + x, 0) - sum(map(weight, touching))
        changes[new + new] = sum(map(weight, touching))
        where[new + new] = touching
    return changes
