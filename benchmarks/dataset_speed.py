"""TokenWindows against the book's GPTDatasetV1, on 400,000 GPT-2 tokens of Wikipedia.

Claims checked (ratios measured in this run, max_length 256, stride 1):
- building the dataset at least 100x faster, with at least 100x less memory;
- one shuffled epoch at batch_size 8 and 64 at least as fast as the book's DataLoader.
Also reported: nanoGPT-style random-window sampling from a memory-mapped token file.
Each build runs in a fresh process, so its peak memory is its own.

Run: .venv/bin/python benchmarks/dataset_speed.py
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from _common import memory_kb, reset_peak_memory, table, wikipedia_sample

from llmprep.dataset import GPTDatasetV1, TokenWindows, create_dataloader

N_TOKENS, MAX_LENGTH, STRIDE = 400_000, 256, 1


class PreTokenized:
    """Stands in for the tokenizer, so that only building the dataset is measured."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids

    def encode(self, text: str, **kwargs: object) -> list[int]:
        return self.ids


def build(kind: str, ids: list[int]):
    if kind == "book":
        return GPTDatasetV1("", PreTokenized(ids), MAX_LENGTH, STRIDE)
    return TokenWindows(ids, max_length=MAX_LENGTH, stride=STRIDE)


def child(kind: str, path: str) -> None:
    """Build one dataset; print seconds and how far the peak memory rose above the start."""
    ids = np.load(path).tolist()
    gc.collect()
    before = reset_peak_memory()
    start = time.perf_counter()
    dataset = build(kind, ids)
    seconds = time.perf_counter() - start
    grown_mb = (memory_kb("VmHWM") - before) / 1024
    print(json.dumps({"seconds": seconds, "mb": grown_mb, "windows": len(dataset)}))


def measure_build(kind: str, path: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, path],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def epoch_seconds(loader) -> float:
    start = time.perf_counter()
    for _inputs, _targets in loader:
        pass
    return time.perf_counter() - start


def corpus_ids() -> list[int]:
    from llmprep import gpt2_encoding

    ids = gpt2_encoding().encode_ordinary(wikipedia_sample(3_000_000))[:N_TOKENS]
    assert len(ids) == N_TOKENS
    return ids


def random_windows_seconds(tokens: np.memmap, batches: int, batch_size: int) -> float:
    """nanoGPT's get_batch: random starts, one slice per window, from a memory map."""
    start = time.perf_counter()
    for _ in range(batches):
        ix = torch.randint(len(tokens) - MAX_LENGTH, (batch_size,))
        x = torch.stack([torch.from_numpy(tokens[i : i + MAX_LENGTH].astype(np.int64)) for i in ix])
        y = torch.stack(
            [torch.from_numpy(tokens[i + 1 : i + 1 + MAX_LENGTH].astype(np.int64)) for i in ix]
        )
        del x, y
    return time.perf_counter() - start


def main() -> None:
    ids = corpus_ids()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "ids.npy")
        np.save(path, np.array(ids, dtype=np.int64))
        book, ours = measure_build("book", path), measure_build("ours", path)
        assert book["windows"] == ours["windows"]
        build_ratio = book["seconds"] / ours["seconds"]
        memory_ratio = book["mb"] / ours["mb"]
        rows.append(
            (
                f"build, {N_TOKENS:,} tokens, {book['windows']:,} windows (GPTDatasetV1)",
                f"{ours['seconds'] * 1e3:.1f} ms",
                f"{book['seconds']:.1f} s",
                f"{build_ratio:,.0f}x faster",
            )
        )
        rows.append(
            (
                "peak memory of the build (GPTDatasetV1)",
                f"{ours['mb']:.1f} MB",
                f"{book['mb']:,.0f} MB",
                f"{memory_ratio:,.0f}x less",
            )
        )

        book_dataset, windows = build("book", ids), build("ours", ids)
        epoch_ratios = {}
        for batch_size in (8, 64):
            torch.manual_seed(0)
            theirs = epoch_seconds(
                torch.utils.data.DataLoader(
                    book_dataset, batch_size=batch_size, shuffle=True, drop_last=True
                )
            )
            torch.manual_seed(0)
            mine = epoch_seconds(create_dataloader(windows, batch_size=batch_size))
            epoch_ratios[batch_size] = theirs / mine
            rows.append(
                (
                    f"one shuffled epoch, batch_size {batch_size} (DataLoader over GPTDatasetV1)",
                    f"{mine:.1f} s",
                    f"{theirs:.1f} s",
                    f"{theirs / mine:.2f}x faster",
                )
            )

        np.array(ids, dtype=np.uint16).tofile(Path(tmp) / "tokens.bin")
        tokens = np.memmap(Path(tmp) / "tokens.bin", dtype=np.uint16, mode="r")
        batches = len(windows) // 64
        sampled = random_windows_seconds(tokens, batches, 64)
        torch.manual_seed(0)
        mine = epoch_seconds(create_dataloader(windows, batch_size=64))
        rows.append(
            (
                f"{batches:,} batches of 64 (random windows from a memory map, nanoGPT)",
                f"{mine:.1f} s",
                f"{sampled:.1f} s",
                f"{sampled / mine:.2f}x faster",
            )
        )

    print(table(rows))
    print()
    print(
        f"build: {build_ratio:,.0f}x faster (claim: >= 100x); "
        f"memory: {memory_ratio:,.0f}x less (claim: >= 100x)"
    )
    print(
        f"epoch: {epoch_ratios[8]:.2f}x at batch_size 8, {epoch_ratios[64]:.2f}x at 64 "
        "(claim: >= 1)"
    )
    ok = build_ratio >= 100 and memory_ratio >= 100 and min(epoch_ratios.values()) >= 1
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3])
    else:
        main()
