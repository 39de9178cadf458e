"""Reloading word vectors: llmprep's memory-mapped native copy against gensim's loader.

Claim checked (ratios measured in this run): on a synthetic model of 1,000,000 words x
300 dimensions in word2vec's binary format (the format of word2vec-google-news-300),
reloading is at least 10x faster than ``KeyedVectors.load_word2vec_format``, with a
fraction of its memory. Each load runs in a fresh process, so its peak memory is its own.

Run: .venv/bin/python benchmarks/word2vec_reload.py [--words N]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _common import memory_kb, reset_peak_memory, table

DIMS = 300


def write_model(path: Path, words: int) -> None:
    """Random unit vectors for words w0, w1, ... in word2vec's binary format."""
    rng = np.random.default_rng(0)
    with open(path, "wb") as f:
        f.write(f"{words} {DIMS}\n".encode())
        for start in range(0, words, 100_000):
            block = rng.standard_normal((min(100_000, words - start), DIMS), dtype=np.float32)
            block /= np.linalg.norm(block, axis=1, keepdims=True)
            f.write(
                b"".join(
                    f"w{start + i} ".encode() + row.tobytes() + b"\n" for i, row in enumerate(block)
                )
            )


def child(kind: str, path: str) -> None:
    """Load once; print seconds and how far the peak memory rose during the load."""
    from gensim.models import KeyedVectors

    from llmprep.word2vec import load_vectors_file

    gc.collect()
    before = reset_peak_memory()
    start = time.perf_counter()
    if kind == "gensim":
        vectors = KeyedVectors.load_word2vec_format(path, binary=True)
    else:
        vectors = load_vectors_file(path, key="benchmark")
    seconds = time.perf_counter() - start
    grown = (memory_kb("VmHWM") - before) / 1024
    assert vectors.index_to_key[-1] == f"w{len(vectors) - 1}"
    start = time.perf_counter()
    vectors.most_similar("w0", topn=5)
    first_query = time.perf_counter() - start
    print(
        json.dumps(
            {"seconds": seconds, "mb": grown, "words": len(vectors), "first_query": first_query}
        )
    )


def run(kind: str, path: Path, env: dict[str, str]) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=1_000_000)
    words = parser.parse_args().words
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.bin"
        write_model(path, words)
        env = {**os.environ, "LLMPREP_DATA": str(Path(tmp) / "cache")}
        gensim = run("gensim", path, env)
        first = run("llmprep", path, env)  # converts once into the native copy
        reload = run("llmprep", path, env)
    speed = gensim["seconds"] / reload["seconds"]
    memory = gensim["mb"] / reload["mb"]
    size = f"{words:,} x {DIMS}"
    print(
        table(
            [
                (
                    f"load {size}, first time (converts)",
                    f"{first['seconds']:.1f} s",
                    f"{gensim['seconds']:.1f} s",
                    f"{gensim['seconds'] / first['seconds']:.2f}x",
                ),
                (
                    f"reload {size} (load_word2vec_format)",
                    f"{reload['seconds']:.2f} s",
                    f"{gensim['seconds']:.1f} s",
                    f"{speed:.0f}x faster",
                ),
                (
                    "peak memory of the reload",
                    f"{reload['mb']:,.0f} MB",
                    f"{gensim['mb']:,.0f} MB",
                    f"{memory:.0f}x less",
                ),
                (
                    "then the first most_similar (touches every vector)",
                    f"{reload['first_query']:.1f} s",
                    f"{gensim['first_query']:.1f} s",
                    "",
                ),
            ]
        )
    )
    print()
    print(f"reload: {speed:.0f}x faster (claim: >= 10x), {memory:.0f}x less memory")
    sys.exit(0 if speed >= 10 and memory > 1 else 1)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3])
    else:
        main()
