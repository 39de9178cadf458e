"""InputEmbedding on a GPU against the plain modules it packages (needs CUDA).

Claim checked (times measured in this run, on this GPU): with the ids already on the GPU,
a training step's forward + backward through InputEmbedding is within 10% of the same
step through nn.Embedding for the tokens plus nn.Embedding for the positions. The
forward alone is reported too: at about 50 us of GPU work, one more module call shows.
The id check would wait for the GPU twice per call (.min(), .max()); it runs only for ids
that come from the CPU, and with check_ids="always", measured too to show what it costs.

Run on a machine with an NVIDIA GPU: PYTHONPATH=. python3 benchmarks/embedding_gpu.py
"""

from __future__ import annotations

import sys

import torch
from torch import nn

from llmprep.embeddings import InputEmbedding

VOCAB, DIM, BATCH, TOKENS = 50257, 768, 8, 1024


def timed(step, *, warmup: int = 20, repeat: int = 200) -> float:
    """Microseconds per call, timed with CUDA events around ``repeat`` calls."""
    for _ in range(warmup):
        step()
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(repeat):
        step()
    end.record()
    torch.cuda.synchronize()
    return start.elapsed_time(end) * 1000 / repeat


def main() -> None:
    if not torch.cuda.is_available():
        sys.exit("no CUDA device: this benchmark measures InputEmbedding on a GPU")
    device = torch.device("cuda")
    torch.manual_seed(0)
    ids = torch.randint(0, VOCAB, (BATCH, TOKENS), device=device)
    plain_tokens = nn.Embedding(VOCAB, DIM).to(device)
    plain_positions = nn.Embedding(TOKENS, DIM).to(device)
    ours = InputEmbedding(VOCAB, DIM, TOKENS).to(device)
    checked = InputEmbedding(VOCAB, DIM, TOKENS, check_ids="always").to(device)
    for module in (ours, checked):
        module.token_embedding.load_state_dict(plain_tokens.state_dict())
        module.position_embedding.load_state_dict(plain_positions.state_dict())

    def plain():
        return plain_tokens(ids) + plain_positions(torch.arange(TOKENS, device=device))

    assert torch.equal(ours(ids), plain()) and torch.equal(checked(ids), plain())
    rows = []
    for name, forward in (
        ("plain modules", plain),
        ("InputEmbedding", lambda: ours(ids)),
        ('InputEmbedding(check_ids="always")', lambda: checked(ids)),
    ):
        only_forward = timed(forward)
        training = timed(lambda forward=forward: forward().sum().backward())
        rows.append((name, only_forward, training))
    base_forward, base_training = rows[0][1], rows[0][2]
    print(
        f"{torch.cuda.get_device_name()}, torch {torch.__version__}; "
        f"B={BATCH}, T={TOKENS}, emb {DIM}, ids on the GPU"
    )
    print("| module | forward | ratio | forward + backward | ratio |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, forward_us, training_us in rows:
        print(
            f"| {name} | {forward_us:.1f} us | {forward_us / base_forward:.2f}x | "
            f"{training_us:.1f} us | {training_us / base_training:.2f}x |"
        )
    # ids from the CPU (a loader's batches) are still checked before they move
    try:
        ours(torch.tensor([[1, VOCAB]]))
    except ValueError as error:
        print(f"CPU ids out of range: ValueError: {error}")
    else:
        sys.exit("CPU ids outside the vocabulary were not refused")
    ok = rows[1][2] <= 1.10 * base_training
    verdict = "holds" if ok else "FAILS"
    print(f"claim: a training step within 10% of the plain modules' ({verdict})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
