"""Training a tokenizer on a corpus: llmprep against rustbpe and Hugging Face tokenizers.

Each trainer runs in a fresh Python with the text already loaded; its time and its peak
memory (the processes it starts included, see ``_processes.py``) are measured in the
same run, best of three rounds, alternating, so all meet the same background load.

Claims checked (README's Performance):
- on gensim's 6 MB Wikipedia sample (8,000 and 32,000 tokens) and on 24 MB (the sample 4
  times, 8,000 tokens), GPT-2's pattern, the same merges as rustbpe: time within
  ``TIME_CLAIM`` of rustbpe's, peak memory within ``MEMORY_CLAIM`` of rustbpe's;
- on generated text whose distinct pieces grow with its size (a Zipf-distributed word
  list, 10 MB to 1 GB, 32,000 tokens): memory follows the distinct pieces, not the text
  (at most ``BYTES_PER_PIECE`` bytes at the peak per distinct piece; the bytes per byte
  of text fall as it grows).

Run: .venv/bin/python benchmarks/train_speed.py [--largest MB]  (about 25 minutes; with
--largest 100, about 5)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
from _common import table, wikipedia_sample
from _processes import measure

TIME_CLAIM = 3.0  # x rustbpe's time (measured 1.5-2.7x; the 2x aimed for holds at 24 MB)
MEMORY_CLAIM = 1.5  # x rustbpe's peak memory
BYTES_PER_PIECE = 2000  # peak memory per distinct piece, on the generated corpora
SIZES_MB = (10, 30, 100, 300, 1000)

LOAD = "from pathlib import Path\ntext = Path({path!r}).read_text(encoding='utf-8')\n"
TRAINERS = {
    "llmprep": (
        "from llmprep import BPETokenizer",
        "BPETokenizer.train(text, {vocab}, special_tokens=())",
    ),
    "rustbpe": (
        "import rustbpe\nfrom llmprep import GPT2_SPLIT_PATTERN",
        "rustbpe.Tokenizer().train_from_iterator(iter([text]), {vocab}, "
        "pattern=GPT2_SPLIT_PATTERN)",
    ),
    "HF tokenizers": (
        "from tokenizers import Tokenizer, models, pre_tokenizers, trainers",
        "t = Tokenizer(models.BPE()); t.pre_tokenizer = pre_tokenizers.ByteLevel("
        "add_prefix_space=False)\nt.train_from_iterator([text], trainer=trainers.BpeTrainer("
        "vocab_size={vocab}, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), "
        "show_progress=False))",
    ),
}


def side_by_side(path: Path, vocab: int, rounds: int = 3) -> dict[str, tuple[float, float]]:
    """Best time and least peak memory of each trainer over alternating rounds."""
    best: dict[str, tuple[float, float]] = {}
    for _ in range(rounds):
        for name, (imports, code) in TRAINERS.items():
            seconds, mb = measure(
                code.format(vocab=vocab), setup=LOAD.format(path=str(path)) + imports
            )
            old = best.get(name, (float("inf"), float("inf")))
            best[name] = (min(old[0], seconds), min(old[1], mb))
    return best


def same_merges_as_rustbpe(text: str, vocab: int) -> bool:
    import rustbpe

    from llmprep import GPT2_SPLIT_PATTERN, BPETokenizer

    theirs = rustbpe.Tokenizer()
    theirs.train_from_iterator(iter([text]), vocab, pattern=GPT2_SPLIT_PATTERN)
    by_rank = [bytes(t) for t, _ in sorted(theirs.get_mergeable_ranks(), key=lambda x: x[1])]
    return BPETokenizer.train(text, vocab, special_tokens=()).vocab == by_rank


def zipf_corpus(path: Path, megabytes: int, *, seed: int = 0, a: float = 1.3) -> None:
    """Lines of 1,000 words drawn from a Zipf distribution over an endless word list
    (rank r's word: letters from a hash of r, longer for rarer words), so that the
    distinct words keep growing with the text."""
    rng = np.random.default_rng(seed)
    letters = np.frombuffer(b"etaoinshrdlucmfwypvbgkjqxz", dtype=np.uint8)
    columns = np.arange(15)
    written = 0
    with path.open("wb") as f:
        while written < megabytes * 1_000_000:
            ranks = np.minimum(rng.zipf(a, 200_000), 1 << 40).astype(np.uint64)
            mixed = ranks * np.uint64(0x9E3779B97F4A7C15)
            length = np.minimum(
                1
                + np.floor(np.log(ranks.astype(np.float64)) / np.log(8)).astype(np.int64)
                + (mixed >> np.uint64(60)).astype(np.int64) % 3,
                14,
            )
            shifts = np.uint64(4) * columns.astype(np.uint64)
            grid = letters[((mixed[:, None] >> shifts) % np.uint64(26)).astype(np.int64)]
            grid[np.arange(len(ranks)), length] = ord(" ")
            words = grid[columns[None, :] <= length[:, None]]
            ends = np.flatnonzero(words == ord(" "))[999::1000]
            words[ends] = ord("\n")
            f.write(words.tobytes())
            written += len(words)


# what BPETokenizer.train(lines, 32000) does, telling how many distinct pieces there are
SCALE_CODE = """
from llmprep.bpe_pieces import count_pieces
from llmprep.bpe_train import learn_merges
from llmprep.gpt2 import GPT2_SPLIT_PATTERN
with open({path!r}, encoding="utf-8") as f:
    pieces = count_pieces(f, pattern=GPT2_SPLIT_PATTERN, specials=("<|endoftext|>",))
print(len(pieces))
learn_merges(pieces, 32000 - 257)
"""


def scale(folder: Path, largest: int) -> list[tuple[int, float, float, int]]:
    """(MB, seconds, peak MB, distinct pieces) for each generated corpus up to ``largest``."""
    rows = []
    for megabytes in (s for s in SIZES_MB if s <= largest):
        path = folder / f"zipf{megabytes}.txt"
        zipf_corpus(path, megabytes)
        printed: list[str] = []
        seconds, peak = measure(SCALE_CODE.format(path=str(path)), interval=0.05, printed=printed)
        distinct = int(printed[-1])
        rows.append((megabytes, seconds, peak, distinct))
        print(
            f"  {megabytes:,} MB: {seconds:.0f} s, {peak:,.0f} MB, {distinct:,} pieces", flush=True
        )
        path.unlink()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--largest",
        type=int,
        default=SIZES_MB[-1],
        metavar="MB",
        help="the largest generated corpus to train on (default: 1,000)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds side by side (default 3)")
    args = parser.parse_args()
    wiki = wikipedia_sample()
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        (folder / "wiki6.txt").write_text(wiki, encoding="utf-8")
        (folder / "wiki24.txt").write_text(wiki * 4, encoding="utf-8")
        same = same_merges_as_rustbpe(wiki, 8000)
        ok &= same
        print(f"same merges as rustbpe (6 MB, 8,000): {same}")
        rows, ratios = [], []
        for name, vocab in (("wiki6.txt", 8000), ("wiki6.txt", 32000), ("wiki24.txt", 8000)):
            best = side_by_side(folder / name, vocab, rounds=args.rounds)
            ours, rust, hf = best["llmprep"], best["rustbpe"], best["HF tokenizers"]
            size = f"{(folder / name).stat().st_size / 1e6:.0f} MB"
            what = f"train {vocab:,} tokens on {size} of Wikipedia"
            rows += [
                (
                    f"{what} (rustbpe)",
                    f"{ours[0]:.2f} s",
                    f"{rust[0]:.2f} s",
                    f"{ours[0] / rust[0]:.2f}x",
                ),
                (
                    "peak memory of that (rustbpe)",
                    f"{ours[1]:.0f} MB",
                    f"{rust[1]:.0f} MB",
                    f"{ours[1] / rust[1]:.2f}x",
                ),
                (
                    f"{what} (HF tokenizers)",
                    f"{ours[0]:.2f} s",
                    f"{hf[0]:.2f} s",
                    f"{ours[0] / hf[0]:.2f}x",
                ),
                (
                    "peak memory of that (HF tokenizers)",
                    f"{ours[1]:.0f} MB",
                    f"{hf[1]:.0f} MB",
                    f"{ours[1] / hf[1]:.2f}x",
                ),
            ]
            ratios.append((what, ours[0] / rust[0], ours[1] / rust[1]))
        print(table(rows))
        print("\nscale: generated text, 32,000 tokens (llmprep)")
        grown = scale(folder, args.largest)
    print("\n| text | time | peak memory | distinct pieces | bytes per piece |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for megabytes, seconds, peak, distinct in grown:
        print(
            f"| {megabytes:,} MB | {seconds:,.0f} s | {peak:,.0f} MB | {distinct:,} | "
            f"{peak * 2**20 / distinct:,.0f} |"
        )
    print()
    for what, time_ratio, memory_ratio in ratios:
        good = time_ratio <= TIME_CLAIM and memory_ratio <= MEMORY_CLAIM
        ok &= good
        print(
            f"{what}: {time_ratio:.2f}x rustbpe's time (claim: <= {TIME_CLAIM}x), "
            f"{memory_ratio:.2f}x its memory (claim: <= {MEMORY_CLAIM}x)"
        )
    for megabytes, _, peak, distinct in grown:
        per_piece = peak * 2**20 / distinct
        ok &= per_piece <= BYTES_PER_PIECE
        print(
            f"{megabytes:,} MB: {per_piece:,.0f} bytes per distinct piece at the peak "
            f"(claim: <= {BYTES_PER_PIECE:,}), {peak / megabytes:.2f} MB per MB of text"
        )
    if grown:
        print(f"largest trained here at 32,000 tokens: {grown[-1][0]:,} MB")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
