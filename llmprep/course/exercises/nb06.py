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
from llmprep.course.language import Said, say

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
        positions = as_int_list(
            answer,
            Said(
                "the position ids (a tensor, a list or a range)",
                "位置 ID（一个张量、一个列表或一个 range）",
            ),
        )
    except Wrong as wrong:
        if wrong.diagnosis != "float-ids":
            raise
        raise Wrong(
            say(
                f"positions are indices into the position table, so integers: "
                f"`torch.arange({WINDOW})` or `list(range({WINDOW}))`, not floats such as "
                f"`torch.arange({WINDOW}.0)` or `[0.0, 1.0, ...]` ({wrong.message})",
                f"位置是位置表的行索引，所以是整数：写 `torch.arange({WINDOW})` 或 "
                f"`list(range({WINDOW}))`，不要写 `torch.arange({WINDOW}.0)` 或 "
                f"`[0.0, 1.0, ...]` 这样的浮点数（{wrong.message.rstrip('。')}）。",
            ),
            diagnosis="float-positions",
        ) from None
    if positions == right:
        return say(
            f"{positions}: `torch.arange({WINDOW})` numbers the {WINDOW} positions from 0, "
            f"one row of the position table each; row {WINDOW} would be a seventh position.",
            f"{positions}：`torch.arange({WINDOW})` 从 0 开始给这 {WINDOW} 个位置编号，"
            f"每个位置对应位置表中的一行；第 {WINDOW} 行就是第七个位置了。",
        )
    if positions == [p + 1 for p in right]:
        raise Wrong(
            say(
                f"positions start at 0, like every index in Python: 1..{WINDOW} would skip "
                f"row 0 of the table and need a row {WINDOW} that a table of {WINDOW} rows "
                f"lacks",
                f"位置从 0 开始，和 Python 中的所有索引一样：1..{WINDOW} 会跳过表的第 0 行，"
                f"还要用到第 {WINDOW} 行，而只有 {WINDOW} 行的表没有这一行。",
            ),
            diagnosis="positions-from-1",
        )
    if positions == [*right, WINDOW]:
        raise Wrong(
            say(
                f"{WINDOW + 1} positions for {WINDOW} tokens: `torch.arange(n)` stops before n",
                f"{WINDOW} 个词元却有 {WINDOW + 1} 个位置：`torch.arange(n)` 在 n 之前就停了。",
            ),
            diagnosis="one-too-many",
        )
    raise Wrong(
        say(
            f"{positions} is not it: one position per token, counted from 0",
            f"{positions} 不对：每个词元一个位置，从 0 开始数。",
        )
    )


register(
    Exercise(
        id="06.1",
        title=Said("Position ids", "位置 ID"),
        task=Said(
            f"Which position ids does a GPT look up in its position table for a window of "
            f"{WINDOW} tokens? Give them as integers: a tensor of an integer type, a list or "
            f"a `range` (the same rule as for every list of ids: floats are not ids, not "
            f"even 0.0).",
            f"对一个 {WINDOW} 个词元的窗口，GPT 要在位置表中查哪些位置 ID？请以整数形式给出："
            f"一个整数类型的张量、一个列表或一个 `range`（与所有 ID 列表的规则相同：浮点数"
            f"不是 ID，0.0 也不是）。",
        ),
        reference=lambda: list(range(WINDOW)),
        judge=_judge_positions,
        answer_name="positions",
        solution_code=f"positions = torch.arange({WINDOW})\npositions",
        explanation=Said(
            "`torch.arange(6)` is `tensor([0, 1, 2, 3, 4, 5])`: each token's position, "
            "used as the row index of the position embedding table.",
            "`torch.arange(6)` 就是 `tensor([0, 1, 2, 3, 4, 5])`：每个词元的位置，"
            "用作位置嵌入表的行索引。",
        ),
        hints=(
            Said(
                f"How many positions does a window of {WINDOW} tokens have, and which number "
                f"does Python give the first one?",
                f"一个 {WINDOW} 个词元的窗口有多少个位置？Python 给第一个位置编的是几号？",
            ),
            Said(
                "The position table has one row per position, indexed like any Python sequence.",
                "位置表每个位置一行，索引方式和任何 Python 序列一样。",
            ),
            Said(
                "`torch.arange(n)` gives the n integers 0 .. n-1.",
                "`torch.arange(n)` 给出 0 .. n-1 这 n 个整数。",
            ),
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
    total_answer, share_answer = as_pair(
        answer, Said("(parameters, share of positions)", "(参数个数, 位置参数所占的比例)")
    )
    total = as_int(total_answer, Said("a number of parameters", "参数的个数"))
    share = as_float(share_answer)
    want_total, want_share = right
    positions = 1024 * 768
    if total == want_total - positions:
        raise Wrong(
            say(
                "that counts the token table only: the position table has parameters too",
                "这只算了词元表：位置表也有参数。",
            ),
            diagnosis="token-table-only",
        )
    if total != want_total:
        raise Wrong(
            say(
                f"{total:,} is not it: add up both tables (rows x columns each)",
                f"{total:,} 不对：把两张表的参数加起来（每张表都是行数 x 列数）。",
            )
        )
    if close(share, 100 * want_share, rel=0.01):
        raise Wrong(
            say(
                f"{share} looks like a percentage: give the fraction",
                f"{share} 看起来是百分数：请给出小数形式的比例。",
            ),
            diagnosis="percentage",
        )
    if close(share, positions / (want_total - positions), rel=0.01):
        raise Wrong(
            say(
                "that divides by the token table; the share is of all parameters",
                "这是除以词元表的参数个数；比例应当相对于全部参数。",
            ),
            diagnosis="share-of-token-table",
        )
    if not close(share, want_share, rel=0.01):
        raise Wrong(
            say(
                f"{share:.4f} is not the share: position parameters / all parameters",
                f"{share:.4f} 不是这个比例：应当是位置参数个数 / 全部参数个数。",
            )
        )
    return say(
        f"{want_total:,} parameters, {want_share:.1%} of them positions: the vocabulary, "
        f"not the context length, makes the input layer big.",
        f"{want_total:,} 个参数，其中 {want_share:.1%} 属于位置：让输入层变大的是词表，"
        f"而不是上下文长度。",
    )


register(
    Exercise(
        id="06.2",
        title=Said("GPT-2 small's input layer", "GPT-2 small 的输入层"),
        task=Said(
            "Count the parameters of `InputEmbedding(50257, 768, 1024)` (GPT-2 small's "
            "token and position tables). What share of them are positions? Give "
            "`(parameters, share)` with the share between 0 and 1.",
            "数一数 `InputEmbedding(50257, 768, 1024)`（GPT-2 small 的词元表和位置表）有多少"
            "个参数。其中位置参数占多大比例？以 `(parameters, share)` 的形式给出，比例取 0 到 1 "
            "之间的值。",
        ),
        reference=_gpt2_input_size,
        judge=_judge_input_size,
        answer_name="size",
        solution_code=(
            "layer = InputEmbedding(50257, 768, 1024)\n"
            "total = sum(p.numel() for p in layer.parameters())\n"
            "size = (total, layer.position_embedding.weight.numel() / total)\nsize"
        ),
        explanation=Said(
            "50,257 x 768 + 1,024 x 768 = 39,383,808 parameters, of which 786,432 (2.0%) "
            "are positions.",
            "50,257 x 768 + 1,024 x 768 = 39,383,808 个参数，其中 786,432 个（2.0%）属于位置。",
        ),
        hints=(
            Said(
                "The input layer holds two tables. How many rows and columns does each have?",
                "输入层有两张表。每张表各有多少行、多少列？",
            ),
            Said(
                "Every parameter is in one of the two tables; "
                "`layer.position_embedding.weight.numel()` counts those of the positions.",
                "每个参数都属于两张表中的一张；`layer.position_embedding.weight.numel()` "
                "数出的是位置表的参数。",
            ),
            Said(
                "`sum(p.numel() for p in layer.parameters())` counts them all; the share is "
                "the positions' part over that sum.",
                "`sum(p.numel() for p in layer.parameters())` 数出全部参数；比例就是位置参数"
                "除以这个总数。",
            ),
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
    fast, slow = (
        as_float(p, Said("a number of positions", "位置的个数"))
        for p in as_pair(answer, Said("two periods", "两个周期"))
    )
    want_fast, want_slow = right
    if close(fast, want_fast, rel=0.01) and close(slow, want_slow, rel=0.01):
        return say(
            f"dimension 0 turns once every {want_fast:.2f} positions, dimension {SLOW_DIM} "
            f"once every {want_slow:,.0f}: in 100 positions the slow clock hardly moves, "
            f"which is why the right side of the heatmap is flat.",
            f"维度 0 每 {want_fast:.2f} 个位置转一圈，维度 {SLOW_DIM} 每 {want_slow:,.0f} 个"
            f"位置才转一圈：在 100 个位置中，慢的时钟几乎不动，所以热力图的右侧是平的。",
        )
    if close(fast, 1.0, rel=0.01) or close(slow, 2 * math.pi / want_slow, rel=0.01):
        raise Wrong(
            say(
                "those are rates (radians per position); one turn takes 2π / rate positions",
                "这些是转速（每个位置转过的弧度）；转一圈需要 2π / 转速 个位置。",
            ),
            diagnosis="rates-not-periods",
        )
    if close(slow, want_slow / (2 * math.pi), rel=0.01):
        raise Wrong(
            say("missing 2π: a full turn is 2π radians", "少了 2π：转一整圈是 2π 弧度。"),
            diagnosis="missing-2pi",
        )
    if close(slow, 2 * math.pi * 10000 ** (2 * SLOW_DIM / DIMS), rel=0.01):
        raise Wrong(
            say(
                f"the exponent is 2i/d where 2i is the even dimension itself ({SLOW_DIM}), "
                f"not 2 x {SLOW_DIM}",
                f"指数是 2i/d，其中 2i 就是这个偶数维度本身（{SLOW_DIM}），而不是 2 x {SLOW_DIM}。",
            ),
            diagnosis="exponent-doubled",
        )
    if close(slow, want_fast, rel=0.01) and close(fast, want_slow, rel=0.01):
        raise Wrong(
            say(
                "swapped: dimension 0 is the fast clock",
                "两个周期颠倒了：维度 0 是快的那个时钟。",
            ),
            diagnosis="swapped",
        )
    if close(slow, want_slow, rel=0.01):
        rounded = float(fast).is_integer() and abs(fast - want_fast) < 1
        raise Wrong(
            say(
                f"the period of dimension {SLOW_DIM} is right; that of dimension 0 is not "
                f"{fast:g} but 2π ≈ {want_fast:.3f} positions"
                + (
                    ": a period need not be a whole number of positions. Dimension 0 turns "
                    "1 radian per position, so a full turn, 2π radians, takes 2π positions"
                    if rounded
                    else ": it turns 1 radian per position, and a full turn is 2π radians"
                ),
                f"维度 {SLOW_DIM} 的周期对了；维度 0 的周期不是 {fast:g}，而是 "
                f"2π ≈ {want_fast:.3f} 个位置"
                + (
                    "：周期不一定是整数个位置。维度 0 每个位置转 1 弧度，所以转一整圈，"
                    "也就是 2π 弧度，需要 2π 个位置。"
                    if rounded
                    else "：它每个位置转 1 弧度，而转一整圈是 2π 弧度。"
                ),
            ),
            diagnosis="period-rounded" if rounded else "fast-period",
        )
    if close(fast, want_fast, rel=0.01):
        raise Wrong(
            say(
                f"the period of dimension 0 is right; that of dimension {SLOW_DIM} is not "
                f"{slow:g}: it turns 10000^(-{SLOW_DIM}/{DIMS}) radians per position, so a "
                f"full turn takes 2π / 10000^(-{SLOW_DIM}/{DIMS}) positions",
                f"维度 0 的周期对了；维度 {SLOW_DIM} 的周期不是 {slow:g}：它每个位置转 "
                f"10000^(-{SLOW_DIM}/{DIMS}) 弧度，所以转一整圈需要 "
                f"2π / 10000^(-{SLOW_DIM}/{DIMS}) 个位置。",
            ),
            diagnosis="slow-period",
        )
    raise Wrong(
        say(
            f"({fast:g}, {slow:g}) is not it: dimension 2i turns at rate 10000^(-2i/d) "
            f"radians per position",
            f"({fast:g}, {slow:g}) 不对：维度 2i 的转速是每个位置 10000^(-2i/d) 弧度。",
        )
    )


register(
    Exercise(
        id="06.3",
        title=Said("How fast do the clocks turn?", "这些时钟转得有多快？"),
        task=Said(
            f"In `sinusoidal_positions({LENGTH}, {DIMS})`, how many positions does one full "
            f"turn (one period) of dimension 0 take, and of dimension {SLOW_DIM}? Give "
            f"`(period_0, period_{SLOW_DIM})`. Plot `[:, 0]` and `[:, {SLOW_DIM}]` to see them.",
            f"在 `sinusoidal_positions({LENGTH}, {DIMS})` 中，维度 0 转一整圈（一个周期）需要"
            f"多少个位置？维度 {SLOW_DIM} 呢？以 `(period_0, period_{SLOW_DIM})` 的形式给出。"
            f"画出 `[:, 0]` 和 `[:, {SLOW_DIM}]` 就能看到它们。",
        ),
        reference=_periods,
        judge=_judge_periods,
        answer_name="periods",
        solution_code=(
            "import math\n\n"
            f"periods = (2 * math.pi / 10000 ** (0 / {DIMS}), "
            f"2 * math.pi / 10000 ** (-{SLOW_DIM} / {DIMS}))\nperiods"
        ),
        explanation=Said(
            "Dimension 2i holds sin(pos x rate) with rate = 10000^(-2i/d). One turn is 2π "
            "radians, so it takes 2π / rate positions: 2π ≈ 6.28 for dimension 0, and "
            "2π x 10000^(62/64) ≈ 47,100 for dimension 62.",
            "维度 2i 存放的是 sin(pos x rate)，其中 rate = 10000^(-2i/d)。转一圈是 2π 弧度，"
            "所以需要 2π / rate 个位置：维度 0 是 2π ≈ 6.28，维度 62 是 "
            "2π x 10000^(62/64) ≈ 47,100。",
        ),
        hints=(
            Said(
                "A clock that turns r radians per position: how many positions does it need "
                "for one full turn, 2π radians?",
                "一个每个位置转 r 弧度的时钟，转一整圈（2π 弧度）需要多少个位置？",
            ),
            Said(
                "In dimension 2i the angle grows by `10000 ** (-2i / d)` radians per "
                "position, with 2i the even dimension itself (0, or 62) and d = 64.",
                "在维度 2i 中，角度每个位置增加 `10000 ** (-2i / d)` 弧度，其中 2i 就是这个"
                "偶数维度本身（0 或 62），d = 64。",
            ),
            Said(
                "The period is `2 * math.pi / 10000 ** (-2i / d)`: 2π for dimension 0.",
                "周期是 `2 * math.pi / 10000 ** (-2i / d)`：维度 0 的周期是 2π。",
            ),
        ),
    )
)


# ---- 06.4 -------------------------------------------------------------------------


def _judge_rotation(answer: Any, right: Any) -> str:
    import torch

    if not callable(answer):
        raise Wrong(
            say(
                f"expected a function `rotation(k)` returning a 2 x 2 matrix, got "
                f"{describe(answer)}",
                f"这里需要一个返回 2 x 2 矩阵的函数 `rotation(k)`，你给的是 {describe(answer)}",
            )
        )
    table = right
    for k in (0, 1, 2, 5, 10):
        matrix = as_tensor(
            call(answer, k, what=say("your rotation", "你的 rotation")), f"rotation({k})"
        )
        if matrix.shape != (2, 2):
            raise Wrong(
                say(
                    f"rotation({k}) has shape {tuple(matrix.shape)}, expected (2, 2)",
                    f"rotation({k}) 的形状是 {tuple(matrix.shape)}，应为 (2, 2)",
                ),
                diagnosis="matrix-shape",
            )
        pairs = table[:, :2]  # (sin(p), cos(p)) for every position p
        moved = pairs[: len(pairs) - k] @ matrix.T
        if torch.allclose(moved, pairs[k:], atol=1e-6):
            continue
        if torch.allclose(pairs[: len(pairs) - k] @ matrix, pairs[k:], atol=1e-6):
            raise Wrong(
                say(
                    f"rotation({k}) is the transpose of the right matrix: it turns the other "
                    f"way. Swap the signs of the sine terms",
                    f"rotation({k}) 是正确矩阵的转置：它朝相反的方向转。把两个正弦项的正负号对调。",
                ),
                diagnosis="transposed-rotation",
            )
        raise Wrong(
            say(
                f"rotation({k}) does not map position p to p + {k}",
                f"rotation({k}) 没有把位置 p 映射到 p + {k}。",
            ),
            difference(f"k={k}, p=0", pairs[k].tolist(), (matrix @ pairs[0]).tolist()),
        )
    return say(
        "one matrix per distance k maps every position p to p + k: a rotation by k "
        "radians (in this pair of dimensions). The same holds in every pair with its own "
        "rate, which is why attention can learn to look a fixed distance back.",
        "对每个距离 k，一个矩阵就能把每个位置 p 映射到 p + k：它是（在这一对维度上）转过 k "
        "弧度的旋转。每一对维度都是如此，只是各有各的转速；正因为这样，注意力可以学会往回看"
        "固定的距离。",
    )


def _sinusoid_table() -> Any:
    from llmprep.embeddings import sinusoidal_positions

    return sinusoidal_positions(50, 2).double()


register(
    Exercise(
        id="06.4",
        title=Said("Moving k positions is a rotation", "移动 k 个位置就是一次旋转"),
        task=Said(
            "For sinusoidal positions, the first pair of dimensions of position p is "
            "`(sin p, cos p)`. Write `rotation(k)` returning the 2 x 2 matrix `M` with "
            "`M @ P[p, :2] == P[p + k, :2]` for every p (a tensor or nested lists).",
            "在正弦位置编码中，位置 p 的第一对维度是 `(sin p, cos p)`。写一个 `rotation(k)`，"
            "返回 2 x 2 矩阵 `M`（张量或嵌套列表），使每个 p 都满足 "
            "`M @ P[p, :2] == P[p + k, :2]`。",
        ),
        reference=_sinusoid_table,
        judge=_judge_rotation,
        answer_name="rotation",
        solution_code=(
            "import math\n\n\n"
            "def rotation(k):\n"
            "    return torch.tensor([[math.cos(k), math.sin(k)],\n"
            "                         [-math.sin(k), math.cos(k)]])\n\nrotation(1)"
        ),
        explanation=Said(
            "sin(p + k) = sin p cos k + cos p sin k and cos(p + k) = cos p cos k - sin p "
            "sin k: a rotation matrix that depends on k only, not on p.",
            "sin(p + k) = sin p cos k + cos p sin k，cos(p + k) = cos p cos k - sin p sin k："
            "这是一个只取决于 k、与 p 无关的旋转矩阵。",
        ),
        hints=(
            Said(
                "Write P[p + k, :2] = (sin(p + k), cos(p + k)) in terms of sin p and cos p: "
                "which identities do that?",
                "把 P[p + k, :2] = (sin(p + k), cos(p + k)) 用 sin p 和 cos p 表示出来："
                "要用到哪些恒等式？",
            ),
            Said(
                "sin(p + k) = sin p cos k + cos p sin k and cos(p + k) = cos p cos k - "
                "sin p sin k.",
                "sin(p + k) = sin p cos k + cos p sin k，以及 "
                "cos(p + k) = cos p cos k - sin p sin k。",
            ),
            Said(
                "Read the matrix off those two lines: its first row times (sin p, cos p) "
                "gives sin(p + k), its second row cos(p + k).",
                "从这两行中读出矩阵：它的第一行乘以 (sin p, cos p) 得到 sin(p + k)，"
                "第二行得到 cos(p + k)。",
            ),
        ),
    )
)
