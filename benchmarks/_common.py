"""What the benchmark scripts share: timing, memory readings, a corpus, the table."""

from __future__ import annotations

import bz2
import statistics
import time
from collections.abc import Callable
from pathlib import Path


def median_seconds(fn: Callable[[], object], *, repeat: int, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` over ``repeat`` calls, after ``warmup`` calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved_best(fns: dict[str, Callable[[], object]], *, rounds: int, number: int) -> dict:
    """Best time per call of each function, measured in alternating rounds.

    Alternating puts both sides under the same background load; the best of many rounds
    is the least disturbed measurement (as timeit recommends).
    """
    best = dict.fromkeys(fns, float("inf"))
    for fn in fns.values():
        fn()  # warm up
    for _ in range(rounds):
        for name, fn in fns.items():
            start = time.perf_counter()
            for _ in range(number):
                fn()
            best[name] = min(best[name], (time.perf_counter() - start) / number)
    return best


def table(rows: list[tuple[str, str, str, str]]) -> str:
    """A Markdown table of (measurement, ours, baseline, ratio) rows."""
    lines = ["| measurement | llmprep | baseline | ratio |", "| --- | ---: | ---: | ---: |"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines)


def memory_kb(field: str) -> int:
    """VmRSS (now) or VmHWM (peak) of this process, from Linux's /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status (these benchmarks need Linux)")


def reset_peak_memory() -> int:
    """Reset the peak (VmHWM) to the current RSS; return that RSS in kB."""
    Path("/proc/self/clear_refs").write_text("5")
    return memory_kb("VmRSS")


def wikipedia_sample(max_chars: int = -1) -> str:
    """gensim's 6 MB Wikipedia sample (its wheel ships it), as text."""
    from gensim.test.utils import datapath

    name = "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
    with bz2.open(datapath(name), "rt", encoding="utf-8") as f:
        return f.read(max_chars)
