"""Exercise 06.5 of notebook 06: the sinusoidal positions of "Attention Is All You
Need", written by the learner and compared with llmprep's for many sizes, smallest
first; the mistakes learners make (sine and cosine swapped, positions from 1, the
exponent over the halves, the halves side by side, too little precision) are named."""

from __future__ import annotations

from typing import Any

from llmprep.course.exercises.answers import Wrong, as_tensor, describe, difference
from llmprep.course.exercises.core import Exercise, register
from llmprep.course.exercises.sandbox import call

# ---- 06.5: build sinusoidal_positions ---------------------------------------------


def _sinusoid_cases() -> list[tuple[int, int]]:
    return sorted(
        {(n, d) for n in (1, 2, 3, 5, 8, 16, 50) for d in (2, 4, 6, 8, 16, 64, 128)},
        key=lambda c: (c[0] * c[1], c),
    )


def _variants(n: int, d: int) -> dict[str, Any]:
    """Tables made with the mistakes learners make, and what each message says."""
    import torch

    pos = torch.arange(n, dtype=torch.float64)[:, None]
    even = torch.arange(0, d, 2, dtype=torch.float64)

    def table(sin: Any, cos: Any) -> Any:
        out = torch.empty(n, d, dtype=torch.float64)
        out[:, 0::2], out[:, 1::2] = sin, cos
        return out

    angles = pos * 10000 ** (-even / d)
    shifted = (pos + 1) * 10000 ** (-even / d)
    halves = pos * 10000 ** (-torch.arange(d // 2, dtype=torch.float64) / d)
    return {
        (
            "sine and cosine are swapped: even dimensions 2i hold sin, odd ones 2i + 1 cos",
            "sine-cosine-swapped",
        ): table(torch.cos(angles), torch.sin(angles)),
        (
            "positions start at 0: row 0 is position 0 (sin 0 = 0, cos 0 = 1), not 1",
            "positions-from-1",
        ): table(torch.sin(shifted), torch.cos(shifted)),
        (
            "the exponent is 2i/d with 2i the even dimension: use `torch.arange(0, d, 2) / "
            "d`, not `torch.arange(d // 2) / d`",
            "exponent-halves",
        ): table(torch.sin(halves), torch.cos(halves)),
        (
            "your table has the sines in the first half and the cosines in the second; "
            "they alternate: dimension 2i sin, 2i + 1 cos",
            "halves-side-by-side",
        ): torch.cat([torch.sin(angles), torch.cos(angles)], dim=1),
    }


def _judge_sinusoids(candidate: Any, right: list[tuple[int, int]]) -> str:
    import torch

    from llmprep.embeddings import sinusoidal_positions

    if not callable(candidate):
        raise Wrong(f"expected your function `sinusoidal_positions`, got {describe(candidate)}")
    for n, d in right:
        want = sinusoidal_positions(n, d).double()
        table = call(candidate, n, d, what="your function")
        got = as_tensor(table, "your table")
        case = f"context_length={n}, emb_dim={d}"
        if got.shape != want.shape:
            if got.shape == want.T.shape and n != d:
                raise Wrong(
                    f"shape {tuple(got.shape)} is transposed: one row per position",
                    diagnosis="transposed",
                )
            raise Wrong(f"shape {tuple(got.shape)}, expected {tuple(want.shape)} ({case})")
        if torch.allclose(got, want, atol=1e-4):
            continue
        details = difference(case, want.numpy().round(4), got.numpy().round(4), what="case")
        for (message, diagnosis), variant in _variants(n, d).items():
            if torch.allclose(got, variant, atol=1e-4):
                raise Wrong(message, details, diagnosis=diagnosis)
        dtype = getattr(table, "dtype", None)
        half = str(dtype).rsplit(".", 1)[-1]
        if half in ("float16", "bfloat16"):
            error = (got - want).abs().max().item()
            near = "right to its precision, " if error < 2e-2 else ""
            digits, count = (3, 2048) if half == "float16" else (2, 256)
            raise Wrong(
                f"your table is {dtype}: {near}off from llmprep's by up to {error:.1e}. "
                f"{half} keeps about {digits} significant digits, too few for these values "
                f"(and for positions past {count:,}, which it cannot even count one by "
                f"one): make it in float32, torch's default",
                details,
                diagnosis="half-precision",
            )
        raise Wrong("values differ from llmprep's", details)
    return (
        f"your table equals llmprep's for all {len(right)} sizes (smallest first; even "
        f"emb_dim, as in the paper). Every position gets a distinct pattern of sines and "
        f"cosines, and nothing is learned."
    )


register(
    Exercise(
        id="06.5",
        title="Build it yourself: sinusoidal positions",
        task=(
            "Write `sinusoidal_positions(context_length, emb_dim)` returning a tensor of "
            "shape (context_length, emb_dim): for position `pos` and even dimension `2i`, "
            "`sin(pos / 10000**(2i / emb_dim))`, and in dimension `2i + 1` the cosine of "
            "the same angle. The check compares it with llmprep's for many sizes and "
            "shows the smallest where they differ."
        ),
        reference=_sinusoid_cases,
        judge=_judge_sinusoids,
        answer_name="my_sinusoidal_positions",
        solution_code="""
def my_sinusoidal_positions(context_length, emb_dim):
    position = torch.arange(context_length).unsqueeze(1)          # (T, 1)
    rates = 10000 ** (-torch.arange(0, emb_dim, 2) / emb_dim)     # (D/2,)
    table = torch.zeros(context_length, emb_dim)
    table[:, 0::2] = torch.sin(position * rates)
    table[:, 1::2] = torch.cos(position * rates)
    return table
""",
        explanation=(
            "`position * rates` broadcasts (T, 1) x (D/2,) to the (T, D/2) angles; the "
            "even columns take their sines, the odd ones their cosines."
        ),
        hints=(
            "Compute all the angles at once: a column of positions (shape "
            "(context_length, 1)) times a row of rates, one per pair of dimensions (shape "
            "(emb_dim / 2,)), broadcasts to a table of angles.",
            "The rates are `10000 ** (-2i / emb_dim)` for 2i = 0, 2, 4, ...: "
            "`torch.arange(0, emb_dim, 2)` gives those even dimensions.",
            "`table[:, 0::2] = torch.sin(position * rates)` fills every even column, "
            "`table[:, 1::2] = torch.cos(position * rates)` every odd one.",
        ),
    )
)
