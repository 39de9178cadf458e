"""Time and peak memory of code run in a fresh Python, its worker processes included.

Peak memory is the largest sum of the proportional set size (PSS: shared pages split
among the processes that share them) of the process and all its descendants, sampled
every few milliseconds, less that sum once the setup (loading the text) is done. The same
measure for every trainer, whether it uses threads (rustbpe, Hugging Face) or processes
(llmprep), so the figures compare.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
import time
from pathlib import Path

_CHILD = """
import sys, time
{setup}
print("ready", flush=True)
sys.stdin.readline()
start = time.perf_counter()
{code}
print("done", time.perf_counter() - start, flush=True)
"""


def _descendants(pid: int) -> list[int]:
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            with contextlib.suppress(OSError):
                stack += [int(c) for c in (task / "children").read_text().split()]
    return found


def _pss_kb(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            pass  # a worker that just ended
    return total


def measure(
    code: str, *, setup: str = "", interval: float = 0.01, printed: list[str] | None = None
) -> tuple[float, float]:
    """(seconds, peak MB above the setup's) of ``code`` run after ``setup`` in a fresh
    Python (this interpreter), with all the processes it starts; what ``code`` prints goes
    into ``printed``."""
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD.format(setup=setup, code=code)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parent,
    )
    assert child.stdout.readline().strip() == "ready", "the setup failed"
    baseline = _pss_kb(_descendants(child.pid))
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(child.stdout), daemon=True)
    child.stdin.write("\n")
    child.stdin.flush()
    reader.start()
    peak = baseline
    while child.poll() is None:
        peak = max(peak, _pss_kb(_descendants(child.pid)))
        time.sleep(interval)
    reader.join()
    if child.returncode != 0 or not lines or not lines[-1].startswith("done"):
        raise RuntimeError(f"the measured code failed (exit {child.returncode})")
    if printed is not None:
        printed.extend(line.rstrip("\n") for line in lines[:-1])
    return float(lines[-1].split()[1]), (peak - baseline) / 1024
