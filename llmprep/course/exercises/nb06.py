"""Exercises of notebook 06 (positions): position ids, the size of GPT-2's input layer,
the clocks of the sinusoids, their rotation, and sinusoidal_positions written by the
learner."""

from __future__ import annotations

import math
from typing import Any

from llmprep.course.exercises.answers import (
    Wrong,
    as_float,
    as_int,
    as_int_list,
    as_pair,
    as_tensor,
    close,
    describe,
    difference,
)
from llmprep.course.exercises.core import Exercise, register
from llmprep.course.exercises.sandbox import call

CONTEXT = """
import math
import torch
from llmprep.embeddings import InputEmbedding, sinusoidal_positions
"""

WINDOW = 6
DIMS, LENGTH, SLOW_DIM = 64, 100, 62


# ---- 06.1 -------------------------------------------------------------------------


def _judge_positions(answer: Any, right: list[int]) -> str:
    try:
        positions = as_int_list(answer, "the position ids (a tensor, a list or a range)")
    except Wrong as wrong:
        if wrong.diagnosis != "float-ids":
            raise
        raise Wrong(
            f"positions are indices into the position table, so integers: "
            f"`torch.arange({WINDOW})` or `list(range({WINDOW}))`, not floats such as "
            f"`torch.arange({WINDOW}.0)` or `[0.0, 1.0, ...]` ({wrong.message})",
            diagnosis="float-positions",
        ) from None
    if positions == right:
        return (
            f"{positions}: `torch.arange({WINDOW})` numbers the {WINDOW} positions from 0, "
            f"one row of the position table each; row {WINDOW} would be a seventh position."
        )
    if positions == [p + 1 for p in right]:
        raise Wrong(
            f"positions start at 0, like every index in Python: 1..{WINDOW} would skip row 0 "
            f"of the table and need a row {WINDOW} that a table of {WINDOW} rows lacks",
            diagnosis="positions-from-1",
        )
    if positions == [*right, WINDOW]:
        raise Wrong(
            f"{WINDOW + 1} positions for {WINDOW} tokens: `torch.arange(n)` stops before n",
            diagnosis="one-too-many",
        )
    raise Wrong(f"{positions} is not it: one position per token, counted from 0")


register(
    Exercise(
        id="06.1",
        title="Position ids",
        task=(
            f"Which position ids does a GPT look up in its position table for a window of "
            f"{WINDOW} tokens? Give them as integers: a tensor of an integer type, a list or "
            f"a `range` (the same rule as for every list of ids: floats are not ids, not "
            f"even 0.0)."
        ),
        reference=lambda: list(range(WINDOW)),
        judge=_judge_positions,
        answer_name="positions",
        solution_code=f"positions = torch.arange({WINDOW})\npositions",
        explanation=(
            "`torch.arange(6)` is `tensor([0, 1, 2, 3, 4, 5])`: each token's position, "
            "used as the row index of the position embedding table."
        ),
        hints=(
            f"How many positions does a window of {WINDOW} tokens have, and which number "
            f"does Python give the first one?",
            "The position table has one row per position, indexed like any Python sequence.",
            "`torch.arange(n)` gives the n integers 0 .. n-1.",
        ),
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
        raise Wrong(
            "that counts the token table only: the position table has parameters too",
            diagnosis="token-table-only",
        )
    if total != want_total:
        raise Wrong(f"{total:,} is not it: add up both tables (rows x columns each)")
    if close(share, 100 * want_share, rel=0.01):
        raise Wrong(f"{share} looks like a percentage: give the fraction", diagnosis="percentage")
    if close(share, positions / (want_total - positions), rel=0.01):
        raise Wrong(
            "that divides by the token table; the share is of all parameters",
            diagnosis="share-of-token-table",
        )
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
        hints=(
            "The input layer holds two tables. How many rows and columns does each have?",
            "Every parameter is in one of the two tables; "
            "`layer.position_embedding.weight.numel()` counts those of the positions.",
            "`sum(p.numel() for p in layer.parameters())` counts them all; the share is "
            "the positions' part over that sum.",
        ),
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
        raise Wrong(
            "those are rates (radians per position); one turn takes 2π / rate positions",
            diagnosis="rates-not-periods",
        )
    if close(slow, want_slow / (2 * math.pi), rel=0.01):
        raise Wrong("missing 2π: a full turn is 2π radians", diagnosis="missing-2pi")
    if close(slow, 2 * math.pi * 10000 ** (2 * SLOW_DIM / DIMS), rel=0.01):
        raise Wrong(
            f"the exponent is 2i/d where 2i is the even dimension itself ({SLOW_DIM}), "
            f"not 2 x {SLOW_DIM}",
            diagnosis="exponent-doubled",
        )
    if close(slow, want_fast, rel=0.01) and close(fast, want_slow, rel=0.01):
        raise Wrong("swapped: dimension 0 is the fast clock", diagnosis="swapped")
    if close(slow, want_slow, rel=0.01):
        rounded = float(fast).is_integer() and abs(fast - want_fast) < 1
        raise Wrong(
            f"the period of dimension {SLOW_DIM} is right; that of dimension 0 is not "
            f"{fast:g} but 2π ≈ {want_fast:.3f} positions"
            + (
                ": a period need not be a whole number of positions. Dimension 0 turns "
                "1 radian per position, so a full turn, 2π radians, takes 2π positions"
                if rounded
                else ": it turns 1 radian per position, and a full turn is 2π radians"
            ),
            diagnosis="period-rounded" if rounded else "fast-period",
        )
    if close(fast, want_fast, rel=0.01):
        raise Wrong(
            f"the period of dimension 0 is right; that of dimension {SLOW_DIM} is not "
            f"{slow:g}: it turns 10000^(-{SLOW_DIM}/{DIMS}) radians per position, so a full "
            f"turn takes 2π / that",
            diagnosis="slow-period",
        )
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
            "A clock that turns r radians per position: how many positions does it need "
            "for one full turn, 2π radians?",
            "In dimension 2i the angle grows by `10000 ** (-2i / d)` radians per position, "
            "with 2i the even dimension itself (0, or 62) and d = 64.",
            "The period is `2 * math.pi / 10000 ** (-2i / d)`: 2π for dimension 0.",
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
            raise Wrong(
                f"rotation({k}) has shape {tuple(matrix.shape)}, expected (2, 2)",
                diagnosis="matrix-shape",
            )
        pairs = table[:, :2]  # (sin(p), cos(p)) for every position p
        moved = pairs[: len(pairs) - k] @ matrix.T
        if torch.allclose(moved, pairs[k:], atol=1e-6):
            continue
        if torch.allclose(pairs[: len(pairs) - k] @ matrix, pairs[k:], atol=1e-6):
            raise Wrong(
                f"rotation({k}) is the transpose of the right matrix: it turns the other "
                f"way. Swap the signs of the sine terms",
                diagnosis="transposed-rotation",
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
        hints=(
            "Write P[p + k, :2] = (sin(p + k), cos(p + k)) in terms of sin p and cos p: "
            "which identities do that?",
            "sin(p + k) = sin p cos k + cos p sin k and cos(p + k) = cos p cos k - sin p sin k.",
            "Read the matrix off those two lines: its first row times (sin p, cos p) gives "
            "sin(p + k), its second row cos(p + k).",
        ),
    )
)
