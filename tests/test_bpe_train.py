"""Training on a corpus: pieces counted as the text streams by, on all cores, give the
counts (and so the merges) of the whole text; the merges are rustbpe's, in order."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest
import regex
from test_patterns import CL100K  # tiktoken's cl100k_base pattern

from llmprep import GPT2_SPLIT_PATTERN, BPETokenizer, bpe_pieces
from llmprep.bpe_pieces import count_pieces

EOT = "<|endoftext|>"
PATTERNS = [GPT2_SPLIT_PATTERN, CL100K, r"\p{L}+|\p{N}|\s+(?!\S)|\s|[^\s\p{L}\p{N}]+"]


def whole_text_counts(documents: list[str], pattern: str) -> Counter:
    """The reference: every piece of every document, split at once."""
    counts: Counter = Counter()
    for document in documents:
        for part in document.split(EOT):
            counts.update(p.encode() for p in regex.findall(pattern, part))
    return counts


@pytest.fixture(scope="module")
def documents(verdict) -> list[str]:
    odd = "naïve café 😀's  \n\n\t x" * 30 + " " * 300 + "y" * 200 + EOT + "z\r\n" * 40
    return [verdict[:9000], odd, "", verdict[9000:], "one" + EOT + "two", " " * 70]


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("workers", [1, 2])
def test_counting_as_the_text_streams_by_equals_counting_the_whole_text(
    documents, monkeypatch, pattern, workers
) -> None:
    monkeypatch.setattr(bpe_pieces, "CHUNK_CHARS", 64)  # many chunks, cut everywhere
    expected = whole_text_counts(documents, pattern)
    streams = [
        documents,  # strings
        iter(documents),  # a generator
        [[d[i : i + 50] for i in range(0, len(d), 50)] for d in documents],  # in blocks
    ]
    for stream in streams:
        got = count_pieces(stream, pattern=pattern, specials=(EOT,), workers=workers)
        assert got == expected


def test_training_on_documents_equals_training_on_their_text(documents, monkeypatch) -> None:
    monkeypatch.setattr(bpe_pieces, "CHUNK_CHARS", 500)
    joined = EOT.join(documents)
    expected = BPETokenizer.train(joined, 700, workers=1).merges
    assert BPETokenizer.train(documents, 700, workers=2).merges == expected
    assert BPETokenizer.train(iter(documents), 700, workers=1).merges == expected
    assert BPETokenizer.train(joined, 700, workers=2).merges == expected


def test_merges_equal_rustbpes_in_order(verdict) -> None:
    rustbpe = pytest.importorskip(
        "rustbpe", reason="rustbpe (the Rust trainer of nanochat) is not installed"
    )
    text = verdict * 3 + " naïve café 日本語 😀 " * 50
    for pattern in (GPT2_SPLIT_PATTERN, CL100K):
        theirs = rustbpe.Tokenizer()
        theirs.train_from_iterator(iter([text]), 256 + 900, pattern=pattern)
        by_rank = [
            bytes(token)
            for token, _ in sorted(theirs.get_mergeable_ranks(), key=lambda item: item[1])
        ]
        ours = BPETokenizer.train(text, 256 + 900, special_tokens=(), pattern=pattern)
        assert ours.vocab == by_rank


def test_memory_follows_the_distinct_pieces_not_the_text(tmp_path) -> None:
    # 40 MB of text with few distinct pieces: the old training listed every piece
    # (about 27 bytes per byte of text, over a GB here)
    code = (
        "import resource, random\n"
        "from llmprep import BPETokenizer\n"
        "words = [''.join(random.Random(k).choices('abcdefghij', k=6)) for k in range(5000)]\n"
        "def documents():\n"
        "    rng = random.Random(1)\n"
        "    for _ in range(4000):\n"
        "        yield ' '.join(rng.choices(words, k=1700))\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "BPETokenizer.train(documents(), 2000, workers=2)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    grown_mb = int(run.stdout) / 1024
    assert grown_mb < 80, f"training grew by {grown_mb:.0f} MB on 40 MB of text"


def test_cli_train(tmp_path, capsys, verdict) -> None:
    from llmprep import cli

    (tmp_path / "a.txt").write_text(verdict, encoding="utf-8")
    out = tmp_path / "tok.json"
    assert (
        cli.main(["train", str(tmp_path / "a.txt"), "--vocab-size", "600", "--out", str(out)]) == 0
    )
    assert "343 merges, 600 tokens" in capsys.readouterr().out
    assert BPETokenizer.load(out).merges == BPETokenizer.train(verdict, 600).merges
    bad = ["train", str(tmp_path / "a.txt"), "--vocab-size", "600", "--out", str(out)]
    assert cli.main([*bad, "--pattern", "[[:alpha:]]+|."]) == 1
    assert "POSIX" in capsys.readouterr().err
    assert (
        cli.main(["train", str(tmp_path / "a.txt"), "--vocab-size", "100", "--out", str(out)]) == 1
    )
    assert "vocab_size 100 is too small" in capsys.readouterr().err


def test_counting_stops_its_workers_when_something_fails(monkeypatch) -> None:
    import multiprocessing

    monkeypatch.setattr(bpe_pieces, "CHUNK_CHARS", 64)

    def documents():
        yield "some text " * 100
        raise ValueError("a file that cannot be read")

    with pytest.raises(ValueError, match="a file that cannot be read"):
        count_pieces(documents(), pattern=GPT2_SPLIT_PATTERN, workers=2)

    def broken(*args) -> None:
        raise MemoryError("no memory left in the worker")

    monkeypatch.setattr(bpe_pieces, "_count_into", broken)
    # forked workers see the patch (a fork server, used when other threads run, would not)
    monkeypatch.setattr(bpe_pieces.threading, "active_count", lambda: 1)
    with pytest.raises(RuntimeError, match="(?s)a counting worker failed.*MemoryError"):
        count_pieces(["some text " * 100], pattern=GPT2_SPLIT_PATTERN, workers=2)
    assert not multiprocessing.active_children()


def test_one_long_piece_trains_in_linear_time() -> None:
    # "abab..." is one piece of 400,000 letters: the pair (a, b) listed the piece once per
    # occurrence, and each listing searched the whole piece again (minutes, not a second)
    import time
    import warnings

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the text has few distinct pairs
        merges = BPETokenizer.train("ab" * 200_000, 300, special_tokens=(), workers=1).merges
    assert time.perf_counter() - start < 20
    assert merges[:2] == [(97, 98), (256, 256)]


def test_counting_stops_when_every_worker_is_killed(monkeypatch) -> None:
    # the task queue stayed full with no one to read it: counting waited forever
    import multiprocessing
    import os
    import signal
    import time

    monkeypatch.setattr(bpe_pieces, "CHUNK_CHARS", 64)

    def documents():
        for k in range(400):
            if k == 50:
                for child in multiprocessing.active_children():
                    os.kill(child.pid, signal.SIGKILL)
                time.sleep(0.3)
            yield f"word{k} and some other words " * 3

    with pytest.raises(RuntimeError, match="a counting worker died"):
        count_pieces(documents(), pattern=GPT2_SPLIT_PATTERN, workers=2)
    assert not multiprocessing.active_children()


def test_workers_end_when_the_process_that_counts_is_killed(tmp_path) -> None:
    # a SIGKILL (or SIGTERM) of the parent runs no cleanup: its workers waited for ever
    import os
    import signal
    import time

    pids = tmp_path / "pids"
    code = (
        "import multiprocessing, pathlib\n"
        "from llmprep import bpe_pieces\n"
        "bpe_pieces.CHUNK_CHARS = 64\n"
        "def documents():\n"
        "    for k in range(10**9):\n"
        "        if k == 50:\n"
        "            pids = ' '.join(str(c.pid) for c in multiprocessing.active_children())\n"
        f"            pathlib.Path({str(pids)!r}).write_text(pids)\n"
        "        yield f'word{k} and more words ' * 3\n"
        "bpe_pieces.count_pieces(documents(), pattern=bpe_pieces.GPT2_SPLIT_PATTERN, workers=2)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.monotonic() + 60
        while not (pids.exists() and pids.read_text()) and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = [int(pid) for pid in pids.read_text().split()]
        assert len(workers) == 2
    finally:
        parent.kill()
        parent.wait()

    def running(pid: int) -> bool:
        try:
            with open(f"/proc/{pid}/stat") as f:
                return f.read().split(")")[-1].split()[0] != "Z"  # a zombie has ended
        except FileNotFoundError:
            return False

    deadline = time.monotonic() + 20
    while any(map(running, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in workers if running(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, "the workers outlived the process that started them"


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize(
    ("document", "named"),
    [
        (b"some bytes", "document 1 .* is bytes"),
        (None, "is NoneType"),
        (5, "is int"),
        (["a block", b"bytes"], "holds a block of bytes"),
        ([1, 2], "holds a block of int"),
    ],
)
def test_a_document_that_is_not_text_is_named(monkeypatch, workers, document, named) -> None:
    monkeypatch.setattr(bpe_pieces, "CHUNK_CHARS", 64)
    documents = ["some text " * 20, document, "more text"]
    with pytest.raises(TypeError, match=named):
        BPETokenizer.train(documents, 300, workers=workers)
    with pytest.raises(TypeError, match="text is bytes, not str: decode it first"):
        BPETokenizer.train(b"some bytes", 300)


def test_a_vocabulary_too_large_is_refused_before_counting() -> None:
    def documents():
        raise AssertionError("counting started")
        yield ""

    with pytest.raises(ValueError, match="ask for fewer"):
        BPETokenizer.train(documents(), 10**7)


def test_cli_train_on_no_text_fails_and_saves_nothing(tmp_path, capsys) -> None:
    from llmprep import cli

    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "one.jsonl").write_text('{"text": ""}\n', encoding="utf-8")
    out = tmp_path / "tok.json"
    for name in ("empty.jsonl", "one.jsonl"):
        argv = ["train", str(tmp_path / name), "--vocab-size", "300", "--out", str(out)]
        assert cli.main(argv) == 1
        assert "no two characters side by side" in capsys.readouterr().err
        assert not out.exists()
