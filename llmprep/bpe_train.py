"""Stage 3, training: learn BPE merges from counted pieces, in time linear in the text.

The textbook algorithm recounts every adjacent pair after every merge. Here the pairs
are counted once. A merge then visits only the distinct pieces that contain the merged
pair, changes the counts of the pairs next to each occurrence (nothing else in the piece
changes), and pushes each pair whose count rose onto a heap, which (with stale entries
skipped, and a count that fell put back when its old entry comes up) gives the next most
frequent pair.

A piece is kept as a string with one character per token (``chr(id)``), so finding,
replacing and cutting around a pair run in C (``in``, ``split``, ``join``); a pair is one
int, ``left << 21 | right``, which sorts like the pair of ids (ties: smallest ids first).
At first every pair is two bytes, and NumPy counts them all at once.

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
_SHIFT = 21  # so an id takes 21 bits, a pair of ids 42
_MASK = (1 << _SHIFT) - 1
_PAIR = (1 << 2 * _SHIFT) - 1


def check_n_merges(n_merges: int) -> None:
    """A ValueError if ``n_merges`` merges would make ids past what training can hold."""
    if 256 + n_merges > _MOST:
        raise ValueError(
            f"{n_merges:,} merges would make ids past {_MOST - 1:,}, the most one character "
            f"(this training's token) can hold: ask for fewer"
        )


def learn_merges(pieces: Counter[bytes], n_merges: int) -> list[tuple[int, int]]:
    """Up to ``n_merges`` merges, most frequent adjacent pair first (ties: smallest ids).

    ``pieces`` counts the pre-tokenized pieces of the text; ids 0-255 are the bytes and
    merge k makes id 256 + k. Fewer merges come back when no pair is left to merge.
    """
    check_n_merges(n_merges)
    # subtle: Python's cycle collector would scan the millions of strings and lists
    # made here again and again (a third of the time on 6 MB of text); none of them can
    # form a cycle, so it is paused while they live
    collecting = gc.isenabled()
    gc.disable()
    try:
        words, counts = [], []
        for piece, count in pieces.items():
            if len(piece) > 1:  # a single byte has no pair to merge
                words.append(piece.decode("latin-1"))  # one character per byte, chr(byte)
                counts.append(count)
        del pieces  # subtle: so that a Counter no one else holds is freed while we learn
        return _learn(words, counts, n_merges)
    finally:
        if collecting:
            gc.enable()


def _learn(words: list[str], counts: list[int], n_merges: int) -> list[tuple[int, int]]:
    import numpy as np

    # subtle: at first every pair is two bytes, so all pairs are counted (and the pieces
    # holding each found) at once by NumPy, over all pieces laid end to end
    joined = np.frombuffer("".join(words).encode("latin-1"), dtype=np.uint8).astype(np.int32)
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    inside = np.ones(max(len(joined) - 1, 0), dtype=bool)
    inside[np.cumsum(lengths)[:-1] - 1] = False  # a piece's last byte, the next one's first
    codes = (joined[:-1] << _SHIFT | joined[1:])[inside]
    del joined, inside
    order = np.argsort(codes, kind="stable")
    codes = codes[order]
    owners = np.repeat(np.arange(len(words), dtype=np.int32), lengths - 1)[order]
    weights = np.repeat(np.asarray(counts, dtype=np.float64), lengths - 1)[order]
    del order
    firsts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else codes
    totals = np.add.reduceat(weights, firsts) if len(codes) else weights
    bounds = [*firsts.tolist(), len(codes)]
    del weights
    ids = list(range(len(words)))  # subtle: one int object per piece, shared by all lists
    counted: dict[int, int] = {}  # pair (left << _SHIFT | right) -> count
    where: defaultdict[int, list[int]] = defaultdict(list)  # pair -> pieces that hold it
    for k, (pair, total) in enumerate(zip(codes[firsts].tolist(), totals.tolist(), strict=False)):
        counted[pair] = int(total)
        where[pair] = list(map(ids.__getitem__, owners[bounds[k] : bounds[k + 1]].tolist()))
    del codes, owners
    get, pop, push = counted.get, heapq.heappop, heapq.heappush
    # the heap holds -count, then the pair, in one int (ties: smallest ids first)
    heap = [(-n << 2 * _SHIFT) | pair for pair, n in counted.items()]
    heapq.heapify(heap)

    vocab = [bytes([b]) for b in range(256)]
    known, merges, skipped = set(vocab), [], set()
    while len(merges) < n_merges and heap:
        key = pop(heap)
        pair = key & _PAIR
        count, listed = get(pair, 0), -(key >> 2 * _SHIFT)
        if count != listed or pair in skipped:
            # subtle: a count that fell was not pushed again, its old entry (higher)
            # stood for it; now that this entry comes up, the true count goes back in
            if 0 < count < listed and pair not in skipped:
                push(heap, (-count << 2 * _SHIFT) | pair)
            continue
        a, b = pair >> _SHIFT, pair & _MASK
        merged = vocab[a] + vocab[b]
        if merged in known:  # subtle: another split of the same bytes was merged already
            skipped.add(pair)
            continue
        vocab.append(merged)
        known.add(merged)
        merges.append((a, b))
        changes = _merge_everywhere(a, b, len(vocab) - 1, words, counts, where.pop(pair), where)
        del counted[pair]
        changes.pop(pair, None)
        for changed, delta in changes.items():
            if delta > 0:  # a count that rose is pushed at once
                count = counted[changed] = get(changed, 0) + delta
                push(heap, (-count << 2 * _SHIFT) | changed)
            elif delta:
                count = get(changed, 0) + delta
                if count > 0:
                    counted[changed] = count
                else:  # the pair is gone from every piece
                    counted.pop(changed, None)
                    where.pop(changed, None)
    return merges


def _merge_everywhere(
    a: int,
    b: int,
    new_id: int,
    words: list[str],
    counts: list[int],
    visit: list[int],
    where: defaultdict[int, list[int]],
) -> dict[int, int]:
    """Merge the pair (``a``, ``b``) into ``new_id`` in the pieces ``visit``, leftmost
    occurrence first (as ``str.replace`` does); return how the count of each neighbouring
    pair changed, and note in ``where`` the pieces that now hold a pair with ``new_id``."""
    pair, new = chr(a) + chr(b), chr(new_id)
    # subtle: a piece is listed once per occurrence of the pair; one visit merges them
    # all, and each further visit would search the whole piece again (quadratic in a
    # long piece, "abab..." of a million letters)
    visit = list(dict.fromkeys(visit))
    if a == b:  # subtle: in "aaa" the occurrences overlap; count the pieces again
        recount: defaultdict[str, int] = defaultdict(int)
        for w in visit:
            old = words[w]
            if pair not in old:
                continue
            words[w] = merged = old.replace(pair, new)
            n = counts[w]
            for p in map(add, old, old[1:]):
                recount[p] -= n
            for p in set(map(add, merged, merged[1:])):
                if new in p:
                    where[ord(p[0]) << _SHIFT | ord(p[1])].append(w)
            for p in map(add, merged, merged[1:]):
                recount[p] += n
        return {ord(p[0]) << _SHIFT | ord(p[1]): n for p, n in recount.items()}
    # the pieces beside each occurrence, by the character on its left and on its right
    lefts: defaultdict[str, list[int]] = defaultdict(list)
    rights: defaultdict[str, list[int]] = defaultdict(list)
    touching: list[int] = []  # right after another occurrence: (b, a) becomes (new, new)
    for w, word in zip(visit, map(words.__getitem__, visit), strict=False):
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
    changes: dict[int, int] = {}
    get = changes.get
    for char, pieces in lefts.items():  # (c, a) becomes (c, new)
        n, c = sum(map(weight, pieces)), ord(char) << _SHIFT
        changes[c | a] = get(c | a, 0) - n
        joined = c | new_id
        changes[joined] = n
        where[joined] = pieces
    b_, new_ = b << _SHIFT, new_id << _SHIFT
    for char, pieces in rights.items():  # (b, c) becomes (new, c)
        n, c = sum(map(weight, pieces)), ord(char)
        changes[b_ | c] = get(b_ | c, 0) - n
        joined = new_ | c
        changes[joined] = n
        where[joined] = pieces
    if touching:
        n = sum(map(weight, touching))
        changes[b_ | a] = get(b_ | a, 0) - n
        changes[new_ | new_id] = n
        where[new_ | new_id] = touching
    return changes
