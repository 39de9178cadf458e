"""Exercises of notebook 06 (positions): position ids, the size of GPT-2's input layer,
the clocks of the sinusoids, their rotation, and sinusoidal_positions written by the
learner."""

from __future__ import annotations

import math
from typing import Any

from llmprep.course.exercises.core import (
    Exercise,
    Wrong,
    as_float,
    as_int,
    as_int_list,
    as_pair,
    as_tensor,
    call,
    close,
    describe,
    difference,
    register,
)

CONTEXT = """
import math
import torch
from llmprep.embeddings import InputEmbedding, sinusoidal_positions
"""

WINDOW = 6
DIMS, LENGTH, SLOW_DIM = 64, 100, 62


# ---- 06.1 -------------------------------------------------------------------------


def _judge_positions(answer: Any, right: list[int]) -> str:
    import torch

    if isinstance(answer, torch.Tensor) and answer.dtype.is_floating_point:
        raise Wrong(
            f"positions are indices into the position table, so integers: "
            f"`torch.arange({WINDOW})` (yours are {answer.dtype})"
        )
    positions = as_int_list(answer, "the position ids (a tensor or list)")
    if positions == right:
        return (
            f"{positions}: `torch.arange({WINDOW})` numbers the {WINDOW} positions from 0, "
            f"one row of the position table each; row {WINDOW} would be a seventh position."
        )
    if positions == [p + 1 for p in right]:
        raise Wrong(
            f"positions start at 0, like every index in Python: 1..{WINDOW} would skip row 0 "
            f"of the table and need a row {WINDOW} that a table of {WINDOW} rows lacks"
        )
    if positions == [*right, WINDOW]:
        raise Wrong(f"{WINDOW + 1} positions for {WINDOW} tokens: `torch.arange(n)` stops before n")
    raise Wrong(f"{positions} is not it: one position per token, counted from 0")


register(
    Exercise(
        id="06.1",
        title="Position ids",
        task=(
            f"Which position ids does a GPT look up in its position table for a window of "
            f"{WINDOW} tokens? Give them as a tensor (or a list)."
        ),
        reference=lambda: list(range(WINDOW)),
        judge=_judge_positions,
        answer_name="positions",
        solution_code=f"positions = torch.arange({WINDOW})\npositions",
        explanation=(
            "`torch.arange(6)` is `tensor([0, 1, 2, 3, 4, 5])`: each token's position, "
            "used as the row index of the position embedding table."
        ),
        hints=("`torch.arange(n)` gives 0 .. n-1.",),
    )
)


# ---- 06.2 -------------------------------------------------------------------------


def _gpt2_input_size() -> tuple[int, float]:
    from llmprep.embeddings import InputEmbedding

    layer = InputEmbedding(50257, 768, 1024)
    total = sum(p.numel() for p in layer.parameters())
    return total, layer.position_embedding.weight.numel() / total


def _judge_input_size(answer: Any, right: tuple[int, float]) -> str:
    total_answer, share_answer = as_pair(answer, "(parameters, share of positions)")
    total, share = as_int(total_answer, "a number of parameters"), as_float(share_answer)
    want_total, want_share = right
    positions = 1024 * 768
    if total == want_total - positions:
        raise Wrong("that counts the token table only: the position table has parameters too")
    if total != want_total:
        raise Wrong(f"{total:,} is not it: add up both tables (rows x columns each)")
    if close(share, 100 * want_share, rel=0.01):
        raise Wrong(f"{share} looks like a percentage: give the fraction")
    if close(share, positions / (want_total - positions), rel=0.01):
        raise Wrong("that divides by the token table; the share is of all parameters")
    if not close(share, want_share, rel=0.01):
        raise Wrong(f"{share:.4f} is not the share: position parameters / all parameters")
    return (
        f"{want_total:,} parameters, {want_share:.1%} of them positions: the vocabulary, "
        f"not the context length, makes the input layer big."
    )


register(
    Exercise(
        id="06.2",
        title="GPT-2 small's input layer",
        task=(
            "Count the parameters of `InputEmbedding(50257, 768, 1024)` (GPT-2 small's "
            "token and position tables). What share of them are positions? Give "
            "`(parameters, share)` with the share between 0 and 1."
        ),
        reference=_gpt2_input_size,
        judge=_judge_input_size,
        answer_name="size",
        solution_code=(
            "layer = InputEmbedding(50257, 768, 1024)\n"
            "total = sum(p.numel() for p in layer.parameters())\n"
            "size = (total, layer.position_embedding.weight.numel() / total)\nsize"
        ),
        explanation=(
            "50,257 x 768 + 1,024 x 768 = 39,383,808 parameters, of which 786,432 (2.0%) "
            "are positions."
        ),
        hints=("`sum(p.numel() for p in layer.parameters())` counts every parameter.",),
    )
)


# ---- 06.3 -------------------------------------------------------------------------


def _periods() -> tuple[float, float]:
    """One turn of dimension 0 and of SLOW_DIM, in positions, read off the package's table:
    the angle at position 1 is the clock's rate."""
    from llmprep.embeddings import sinusoidal_positions

    table = sinusoidal_positions(LENGTH, DIMS).double()
    rates = [math.atan2(table[1, d].item(), table[1, d + 1].item()) for d in (0, SLOW_DIM)]
    return 2 * math.pi / rates[0], 2 * math.pi / rates[1]


def _judge_periods(answer: Any, right: tuple[float, float]) -> str:
    fast, slow = (as_float(p, "a number of positions") for p in as_pair(answer, "two periods"))
    want_fast, want_slow = right
    if close(fast, want_fast, rel=0.01) and close(slow, want_slow, rel=0.01):
        return (
            f"dimension 0 turns once every {want_fast:.2f} positions, dimension {SLOW_DIM} "
            f"once every {want_slow:,.0f}: in 100 positions the slow clock hardly moves, "
            f"which is why the right side of the heatmap is flat."
        )
    if close(fast, 1.0, rel=0.01) or close(slow, 2 * math.pi / want_slow, rel=0.01):
        raise Wrong("those are rates (radians per position); one turn takes 2π / rate positions")
    if close(slow, want_slow / (2 * math.pi), rel=0.01):
        raise Wrong("missing 2π: a full turn is 2π radians")
    if close(slow, 2 * math.pi * 10000 ** (2 * SLOW_DIM / DIMS), rel=0.01):
        raise Wrong(
            f"the exponent is 2i/d where 2i is the even dimension itself ({SLOW_DIM}), "
            f"not 2 x {SLOW_DIM}"
        )
    if close(slow, want_fast, rel=0.01) and close(fast, want_slow, rel=0.01):
        raise Wrong("swapped: dimension 0 is the fast clock")
    raise Wrong(
        f"({fast:g}, {slow:g}) is not it: dimension 2i turns at rate 10000^(-2i/d) "
        f"radians per position"
    )


register(
    Exercise(
        id="06.3",
        title="How fast do the clocks turn?",
        task=(
            f"In `sinusoidal_positions({LENGTH}, {DIMS})`, how many positions does one full "
            f"turn (one period) of dimension 0 take, and of dimension {SLOW_DIM}? Give "
            f"`(period_0, period_{SLOW_DIM})`. Plot `[:, 0]` and `[:, {SLOW_DIM}]` to see them."
        ),
        reference=_periods,
        judge=_judge_periods,
        answer_name="periods",
        solution_code=(
            f"periods = (2 * math.pi / 10000 ** (0 / {DIMS}), "
            f"2 * math.pi / 10000 ** (-{SLOW_DIM} / {DIMS}))\nperiods"
        ),
        explanation=(
            "Dimension 2i holds sin(pos x rate) with rate = 10000^(-2i/d). One turn is 2π "
            "radians, so it takes 2π / rate positions: 2π ≈ 6.28 for dimension 0, and "
            "2π x 10000^(62/64) ≈ 47,100 for dimension 62."
        ),
        hints=(
            "In dimension 2i, the angle grows by `10000 ** (-2i / d)` per position.",
            "A period is the number of positions for 2π radians.",
        ),
    )
)


# ---- 06.4 -------------------------------------------------------------------------


def _judge_rotation(answer: Any, right: Any) -> str:
    import torch

    if not callable(answer):
        raise Wrong(
            f"expected a function `rotation(k)` returning a 2 x 2 matrix, got {describe(answer)}"
        )
    table = right
    for k in (0, 1, 2, 5, 10):
        matrix = as_tensor(call(answer, k, what="your rotation"), f"rotation({k})")
        if matrix.shape != (2, 2):
            raise Wrong(f"rotation({k}) has shape {tuple(matrix.shape)}, expected (2, 2)")
        pairs = table[:, :2]  # (sin(p), cos(p)) for every position p
        moved = pairs[: len(pairs) - k] @ matrix.T
        if torch.allclose(moved, pairs[k:], atol=1e-6):
            continue
        if torch.allclose(pairs[: len(pairs) - k] @ matrix, pairs[k:], atol=1e-6):
            raise Wrong(
                f"rotation({k}) is the transpose of the right matrix: it turns the other "
                f"way. Swap the signs of the sine terms",
            )
        raise Wrong(
            f"rotation({k}) does not map position p to p + {k}",
            difference(f"k={k}, p=0", pairs[k].tolist(), (matrix @ pairs[0]).tolist()),
        )
    return (
        "one matrix per distance k maps every position p to p + k: a rotation by k "
        "radians (in this pair of dimensions). The same holds in every pair with its own "
        "rate, which is why attention can learn to look a fixed distance back."
    )


def _sinusoid_table() -> Any:
    from llmprep.embeddings import sinusoidal_positions

    return sinusoidal_positions(50, 2).double()


register(
    Exercise(
        id="06.4",
        title="Moving k positions is a rotation",
        task=(
            "For sinusoidal positions, the first pair of dimensions of position p is "
            "`(sin p, cos p)`. Write `rotation(k)` returning the 2 x 2 matrix `M` with "
            "`M @ P[p, :2] == P[p + k, :2]` for every p (a tensor or nested lists)."
        ),
        reference=_sinusoid_table,
        judge=_judge_rotation,
        answer_name="rotation",
        solution_code=(
            "def rotation(k):\n"
            "    return torch.tensor([[math.cos(k), math.sin(k)],\n"
            "                         [-math.sin(k), math.cos(k)]])\n\nrotation(1)"
        ),
        explanation=(
            "sin(p + k) = sin p cos k + cos p sin k and cos(p + k) = cos p cos k - sin p "
            "sin k: a rotation matrix that depends on k only, not on p."
        ),
        hints=("Expand sin(p + k) and cos(p + k) with the angle-sum formulas.",),
    )
)


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
        "sine and cosine are swapped: even dimensions 2i hold sin, odd ones 2i + 1 cos": table(
            torch.cos(angles), torch.sin(angles)
        ),
        "positions start at 0: row 0 is position 0 (sin 0 = 0, cos 0 = 1), not 1": table(
            torch.sin(shifted), torch.cos(shifted)
        ),
        "the exponent is 2i/d with 2i the even dimension: use `torch.arange(0, d, 2) / d`, "
        "not `torch.arange(d // 2) / d`": table(torch.sin(halves), torch.cos(halves)),
        "your table has the sines in the first half and the cosines in the second; they "
        "alternate: dimension 2i sin, 2i + 1 cos": torch.cat(
            [torch.sin(angles), torch.cos(angles)], dim=1
        ),
    }


def _judge_sinusoids(candidate: Any, right: list[tuple[int, int]]) -> str:
    import torch

    from llmprep.embeddings import sinusoidal_positions

    if not callable(candidate):
        raise Wrong(f"expected your function `sinusoidal_positions`, got {describe(candidate)}")
    for n, d in right:
        want = sinusoidal_positions(n, d).double()
        got = as_tensor(call(candidate, n, d, what="your function"), "your table")
        case = f"context_length={n}, emb_dim={d}"
        if got.shape != want.shape:
            if got.shape == want.T.shape and n != d:
                raise Wrong(f"shape {tuple(got.shape)} is transposed: one row per position")
            raise Wrong(f"shape {tuple(got.shape)}, expected {tuple(want.shape)} ({case})")
        if torch.allclose(got, want, atol=1e-4):
            continue
        details = difference(case, want.numpy().round(4), got.numpy().round(4), what="case")
        for message, variant in _variants(n, d).items():
            if torch.allclose(got, variant, atol=1e-4):
                raise Wrong(message, details)
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
            "`torch.arange(0, emb_dim, 2)` gives the even dimensions 2i.",
            "`table[:, 0::2]` is every even column, `table[:, 1::2]` every odd one.",
        ),
    )
)
