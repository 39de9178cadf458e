"""Stage 3, pre-tokenization: the pieces of a text, and how often each occurs in a corpus.

A byte-level BPE never merges across pieces, so training needs only each distinct piece
and its count. :func:`splitter` cuts a text into pieces (GPT-2's pattern takes a fast path
through the standard library's ``re`` for ASCII lines). :func:`count_pieces` counts the
pieces of a corpus as it streams by, on all cores: documents are cut into chunks where
every piece ends (:mod:`llmprep.cuts`), worker processes split and count the chunks and
send back their distinct pieces with counts now and then, so memory follows the number
of distinct pieces, not the size of the text. Special tokens split documents and are
never part of a piece.

>>> splitter(r"\\p{L}+|\\s|\\p{N}+|[^\\s\\p{L}\\p{N}]+")("It's 2026")
['It', "'", 's', ' ', '2026']
>>> count_pieces(["low lower", "lowest<|endoftext|>low"], pattern=GPT2_SPLIT_PATTERN,
...              specials=("<|endoftext|>",))
Counter({b'low': 2, b' lower': 1, b'lowest': 1})
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import queue
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from itertools import accumulate, chain
from typing import Any

import regex

from llmprep.bpe_merge import utf8
from llmprep.cuts import SAFE_CUTS
from llmprep.gpt2 import GPT2_SPLIT_PATTERN

__all__ = ["CHUNK_CHARS", "count_pieces", "splitter", "without_surrogates"]

#: Characters a worker splits and counts at a time.
CHUNK_CHARS = 1 << 18
#: Distinct pieces a worker counts before it sends its counts back.
FLUSH_PIECES = 1 << 18

# GPT-2's pattern for pure-ASCII text, spelled for the standard library's `re`, which
# splits about twice as fast as the `regex` module. subtle: whitespace is spelled out (no
# \s or \S), because Python's \s also matches \x1c-\x1f, which Unicode and tiktoken
# call symbols.
_WS = r"[\t\n\x0b\x0c\r ]"
_GPT2_ASCII_SPLIT = re.compile(
    r"'(?:[sdmt]|ll|ve|re)| ?[A-Za-z]+| ?[0-9]+| ?[^\t\n\x0b\x0c\r A-Za-z0-9]+"
    rf"|{_WS}+$|{_WS}+(?![^\t\n\x0b\x0c\r ])|{_WS}"
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """The text with each lone surrogate (not valid UTF-8) as U+FFFD, which is what
    tiktoken's engine sees in its place.

    >>> without_surrogates("a\\ud800b")
    'a\\ufffdb'
    """
    return _SURROGATE.sub("\ufffd", text)


@functools.cache
def splitter(pattern: str) -> Callable[[str], list[str]]:
    """The function that cuts a text into its pieces by ``pattern``."""
    split = regex.compile(pattern).findall
    if pattern != GPT2_SPLIT_PATTERN:

        def pieces(text: str) -> list[str]:
            # subtle: tiktoken sees U+FFFD for a lone surrogate; with a pattern other than
            # GPT-2's (which treats both as symbols) that can change the pieces
            return split(text if text.isascii() or _valid(text) else without_surrogates(text))

        return pieces

    def gpt2_pieces(text: str) -> list[str]:
        if text.isascii():
            return _GPT2_ASCII_SPLIT.findall(text)
        return [
            piece
            for chunk in SAFE_CUTS.split(text)  # so each line can take the fast path
            for piece in (_GPT2_ASCII_SPLIT.findall if chunk.isascii() else split)(chunk)
        ]

    return gpt2_pieces


def _valid(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def count_pieces(
    documents: Iterable[str | Iterable[str]],
    *,
    pattern: str,
    specials: tuple[str, ...] = (),
    workers: int | None = None,
) -> Counter[bytes]:
    """How often each piece (as UTF-8 bytes) occurs in ``documents``: each a string, or an
    iterable of the blocks of one document. A piece never spans two documents or a
    special token. Counted in ``workers`` processes (default: one per core) once there is
    more than a chunk of text; in this process for less."""
    from llmprep.segments import Cutter

    cutter = Cutter(pattern, inside=frozenset, specials=specials)
    batches = _batches(cutter, documents)
    first = next(batches, None)
    second = next(batches, None)
    workers = workers or os.cpu_count() or 1
    if second is None or workers == 1:  # little text (or one core): no processes to start
        counts: Counter[str] = Counter()
        for batch in filter(None, chain((first, second), batches)):
            _count_into(counts, batch, pattern, specials)
        return _encoded(counts)
    return _count_in_workers(chain([first, second], batches), pattern, specials, workers)


def _batches(cutter: Any, documents: Iterable[str | Iterable[str]]) -> Iterator[list]:
    """Lists of (text, keep) of about :data:`CHUNK_CHARS` characters: whole short
    documents together, long ones in chunks cut where every piece ends."""
    batch: list[tuple[str, int | None]] = []
    size = 0
    for number, document in enumerate(documents):
        blocks = _blocks(document) if isinstance(document, str) else _text_blocks(document, number)
        for segment in cutter.forced_segments(blocks, block_chars=CHUNK_CHARS):
            batch.append((segment.text, segment.keep))
            size += len(segment.text)
            if size >= CHUNK_CHARS:
                yield batch
                batch, size = [], 0
    if batch:
        yield batch


def _text_blocks(document: Any, number: int) -> Iterator[str]:
    """The blocks of a document that is not one string, each checked to be text."""
    what = f"document {number:,} (from 0)"
    if isinstance(document, (bytes, bytearray)) or not isinstance(document, Iterable):
        raise TypeError(
            f"{what} is {type(document).__name__}: each document must be a str (or an "
            f"iterable of str blocks); decode bytes first, e.g. data.decode('utf-8')"
        )
    for block in document:
        if not isinstance(block, str):
            raise TypeError(
                f"{what} holds a block of {type(block).__name__}, not str: give each "
                f"document as a str or an iterable of str blocks"
            )
        yield block


def _count_into(
    counts: Counter[str], batch: list[tuple[str, int | None]], pattern: str, specials: tuple
) -> None:
    """Count the pieces of each ``text[:keep]`` of a batch into ``counts``."""
    split = splitter(pattern)
    between = _special_split(specials)
    for text, keep in batch:
        if keep is None:
            for part in between(text) if between else (text,):
                counts.update(split(part))
            continue
        start = 0
        for part in between(text) if between else (text,):
            if start >= keep:
                break
            pieces = split(part)
            ends = list(accumulate(map(len, pieces), initial=start))
            # subtle: keep is where every piece ends; the rest was context for the engine
            counts.update(pieces[: sum(1 for end in ends[1:] if end <= keep)])
            start = ends[-1] + len(_special_at(text, ends[-1], specials))


def _encoded(counts: Counter[str]) -> Counter[bytes]:
    encoded: Counter[bytes] = Counter()
    for piece, count in counts.items():
        encoded[utf8(piece)] += count  # subtle: two lone surrogates may make the same bytes
    return encoded


def _blocks(text: str) -> Iterator[str]:
    """A long string in blocks, so that cutting it never copies what is left of it."""
    for start in range(0, len(text), CHUNK_CHARS):
        yield text[start : start + CHUNK_CHARS]


@functools.cache
def _special_split(specials: tuple[str, ...]) -> Callable[[str], list[str]] | None:
    if not specials:
        return None
    tokens = sorted(specials, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, tokens))).split


def _special_at(text: str, position: int, specials: tuple[str, ...]) -> str:
    return next(
        (s for s in sorted(specials, key=len, reverse=True) if text.startswith(s, position)), ""
    )


def _count_in_workers(
    batches: Iterator[list], pattern: str, specials: tuple[str, ...], workers: int
) -> Counter[bytes]:
    """Count in ``workers`` processes. Each keeps its own counts and sends them back when
    they hold :data:`FLUSH_PIECES` distinct pieces, and at the end: a piece that occurs in
    many chunks is added up there, not here."""
    # subtle: fork shares this process's memory with the workers, but forking a process
    # that runs other threads can deadlock them; then a fork server starts clean ones
    methods = multiprocessing.get_all_start_methods()
    method = "fork" if "fork" in methods and threading.active_count() == 1 else None
    if method is None:
        method = "forkserver" if "forkserver" in methods else "spawn"
    context = multiprocessing.get_context(method)
    tasks = context.Queue(maxsize=2 * workers)  # read on only as fast as they count
    results = context.Queue()
    processes = [
        context.Process(target=_work, args=(tasks, results, pattern, specials), daemon=True)
        for _ in range(workers)
    ]
    for process in processes:
        process.start()
    total: Counter[bytes] = Counter()
    finished = 0

    def check_alive() -> None:
        if not all(p.is_alive() or p.exitcode == 0 for p in processes):
            raise RuntimeError("a counting worker died (killed, or out of memory?)") from None

    def receive(wait: bool) -> None:
        nonlocal finished
        while True:
            try:
                kind, counts = results.get(timeout=1) if wait else results.get_nowait()
            except queue.Empty:
                if not wait:
                    return
                check_alive()
                continue
            if kind == "error":
                raise RuntimeError(f"a counting worker failed:\n{counts}")
            for piece, count in counts.items():
                total[piece] += count
            finished += kind == "done"
            if wait:
                return

    try:
        for batch in batches:
            while True:
                try:
                    tasks.put(batch, timeout=0.1)
                    break
                except queue.Full:  # subtle: the queue stays full if every worker died
                    check_alive()
                    receive(wait=False)
            receive(wait=False)
        for _ in processes:
            tasks.put(None)
        while finished < workers:
            receive(wait=True)
    finally:
        for process in processes:
            if process.is_alive() and finished < workers:
                process.terminate()
            process.join()
    return total


def _work(tasks: Any, results: Any, pattern: str, specials: tuple[str, ...]) -> None:
    """A counting worker: batches in, counts out (see :func:`_count_in_workers`)."""
    counts: Counter[str] = Counter()
    parent = multiprocessing.parent_process()
    try:
        while True:
            try:
                batch = tasks.get(timeout=1)
            except queue.Empty:
                # subtle: a parent killed (SIGKILL, SIGTERM) runs no cleanup; without this
                # its workers would wait for batches forever
                if parent is not None and not parent.is_alive():
                    return
                continue
            if batch is None:
                break
            _count_into(counts, batch, pattern, specials)
            if len(counts) >= FLUSH_PIECES:
                results.put(("some", _encoded(counts)))
                counts = Counter()
        results.put(("done", _encoded(counts)))
    except BaseException:
        import traceback

        results.put(("error", traceback.format_exc()))
