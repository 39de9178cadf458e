"""BPETokenizer against tiktoken (encoding) and Hugging Face tokenizers (training).

Claims checked (ratios of times measured in this run):
- steady-state encoding of the-verdict at or below tiktoken's time;
- training 8,000 tokens on gensim's 6 M-character Wikipedia sample within 1.5x of HF's
  BpeTrainer (same GPT-2 pre-tokenization), with the same merges as before;
- training time growing linearly with the text (6x the text: under 9x the time).
Also reported: training at 1,000 and 8,000 tokens on 1 M and 6 M characters, the first
(cold) encode, and encoding throughput on the Wikipedia sample.

Run: .venv/bin/python benchmarks/bpe_speed.py
"""

from __future__ import annotations

import sys
import time

from _common import interleaved_best, median_seconds, table, wikipedia_sample

from llmprep import BPETokenizer, gpt2_encoding, load_text


def hf_train(text: str, vocab_size: int) -> None:
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=["<|endoftext|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator([text], trainer=trainer)


def cold_encode(make, text: str) -> float:
    """Time of the first encode by a freshly built tokenizer (building not timed)."""
    tokenizer = make()
    start = time.perf_counter()
    tokenizer.encode(text)
    return time.perf_counter() - start


def main() -> None:
    verdict = load_text("the-verdict")
    ours, theirs = BPETokenizer.gpt2(), gpt2_encoding()
    assert ours.encode(verdict) == theirs.encode(verdict)
    rows = []

    best = interleaved_best(
        {"ours": lambda: ours.encode(verdict), "tiktoken": lambda: theirs.encode(verdict)},
        rounds=30,
        number=10,
    )
    t_ours, t_tik = best["ours"], best["tiktoken"]
    steady = t_ours / t_tik
    rows.append(
        (
            "encode the-verdict, steady state (tiktoken)",
            f"{t_ours * 1e3:.2f} ms",
            f"{t_tik * 1e3:.2f} ms",
            f"{steady:.2f}x",
        )
    )

    cold_ours = sorted(cold_encode(BPETokenizer.gpt2, verdict) for _ in range(3))[1]
    fresh_encoding = gpt2_encoding.__wrapped__  # gpt2_encoding() itself is built once
    cold_tik = sorted(cold_encode(fresh_encoding, verdict) for _ in range(3))[1]
    rows.append(
        (
            "encode the-verdict, first call (tiktoken)",
            f"{cold_ours * 1e3:.1f} ms",
            f"{cold_tik * 1e3:.1f} ms",
            f"{cold_ours / cold_tik:.1f}x",
        )
    )

    wiki = wikipedia_sample()
    mb = len(wiki.encode()) / 1e6
    fresh = BPETokenizer.gpt2()
    start = time.perf_counter()
    fresh.encode_ordinary(wiki)
    wiki_cold = time.perf_counter() - start
    wiki_warm = median_seconds(lambda: fresh.encode_ordinary(wiki), repeat=3, warmup=0)
    wiki_tik = median_seconds(lambda: theirs.encode_ordinary(wiki), repeat=3)
    rows.append(
        (
            f"encode {mb:.1f} MB of Wikipedia, first pass (tiktoken)",
            f"{mb / wiki_cold:.1f} MB/s",
            f"{mb / wiki_tik:.1f} MB/s",
            f"{wiki_cold / wiki_tik:.1f}x",
        )
    )
    rows.append(
        (
            f"encode {mb:.1f} MB of Wikipedia, again (tiktoken)",
            f"{mb / wiki_warm:.1f} MB/s",
            f"{mb / wiki_tik:.1f} MB/s",
            f"{wiki_warm / wiki_tik:.2f}x",
        )
    )

    train_ours = median_seconds(lambda: BPETokenizer.train(verdict, 1000), repeat=5)
    train_hf = median_seconds(lambda: hf_train(verdict, 1000), repeat=5)
    rows.append(
        (
            "train 1,000 tokens on the-verdict (HF tokenizers)",
            f"{train_ours * 1e3:.0f} ms",
            f"{train_hf * 1e3:.0f} ms",
            f"{train_ours / train_hf:.1f}x",
        )
    )

    trained = {}
    for chars in (1_000_000, len(wiki)):
        for vocab_size in (1000, 8000):
            part = wiki[:chars]
            # best of 3 rounds, alternating, so both sides meet the same background load
            best = interleaved_best(
                {
                    "ours": lambda part=part, v=vocab_size: BPETokenizer.train(part, v),
                    "hf": lambda part=part, v=vocab_size: hf_train(part, v),
                },
                rounds=3,
                number=1,
            )
            ours_s, hf_s = best["ours"], best["hf"]
            trained[chars, vocab_size] = (ours_s, hf_s)
            rows.append(
                (
                    f"train {vocab_size:,} tokens on {chars / 1e6:.0f} M characters of "
                    f"Wikipedia (HF tokenizers)",
                    f"{ours_s:.2f} s",
                    f"{hf_s:.2f} s",
                    f"{ours_s / hf_s:.2f}x",
                )
            )

    print(table(rows))
    print()
    big = trained[len(wiki), 8000]
    growth = trained[len(wiki), 1000][0] / trained[1_000_000, 1000][0]
    print(f"steady-state encode vs tiktoken: {steady:.2f}x (claim: <= 1.0x)")
    print(f"training 8,000 on 6 M vs HF tokenizers: {big[0] / big[1]:.2f}x (claim: <= 1.5x)")
    print(f"training time for 6x the text: {growth:.1f}x (linear: 6x; claim: < 9x)")
    ok = steady <= 1.0 and big[0] / big[1] <= 1.5 and growth < 9
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
