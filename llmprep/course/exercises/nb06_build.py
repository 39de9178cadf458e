"""Exercise 06.5 of notebook 06: the sinusoidal positions of "Attention Is All You
Need", written by the learner and compared with llmprep's for many sizes, smallest
first; the mistakes learners make (sine and cosine swapped, positions from 1, the
exponent over the halves, the halves side by side, too little precision) are named."""

from __future__ import annotations

from typing import Any

from llmprep.course.exercises.answers import Wrong, as_tensor, describe, difference
from llmprep.course.exercises.core import Exercise, register
from llmprep.course.exercises.sandbox import call
from llmprep.course.language import Said, say

# ---- 06.5: build sinusoidal_positions ---------------------------------------------


def _sinusoid_cases() -> list[tuple[int, int]]:
    return sorted(
        {(n, d) for n in (1, 2, 3, 5, 8, 16, 50) for d in (2, 4, 6, 8, 16, 64, 128)},
        key=lambda c: (c[0] * c[1], c),
    )


def _variants(n: int, d: int) -> dict[str, Any]:
    """Tables made with the mistakes learners make, and what each message says (in the
    language of the moment: the tables are made during a check)."""
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
            say(
                "sine and cosine are swapped: even dimensions 2i hold sin, odd ones 2i + 1 cos",
                "正弦和余弦对调了：偶数维度 2i 放 sin，奇数维度 2i + 1 放 cos。",
            ),
            "sine-cosine-swapped",
        ): table(torch.cos(angles), torch.sin(angles)),
        (
            say(
                "positions start at 0: row 0 is position 0 (sin 0 = 0, cos 0 = 1), not 1",
                "位置从 0 开始：第 0 行是位置 0（sin 0 = 0，cos 0 = 1），而不是位置 1。",
            ),
            "positions-from-1",
        ): table(torch.sin(shifted), torch.cos(shifted)),
        (
            say(
                "the exponent is 2i/d with 2i the even dimension: use `torch.arange(0, d, 2) / "
                "d`, not `torch.arange(d // 2) / d`",
                "指数是 2i/d，其中 2i 是偶数维度本身：请用 `torch.arange(0, d, 2) / d`，"
                "不要用 `torch.arange(d // 2) / d`",
            ),
            "exponent-halves",
        ): table(torch.sin(halves), torch.cos(halves)),
        (
            say(
                "your table has the sines in the first half and the cosines in the second; "
                "they alternate: dimension 2i sin, 2i + 1 cos",
                "你的表把正弦放在前一半、余弦放在后一半；它们应当交替排列：维度 2i 放 sin，"
                "2i + 1 放 cos。",
            ),
            "halves-side-by-side",
        ): torch.cat([torch.sin(angles), torch.cos(angles)], dim=1),
    }


def _judge_sinusoids(candidate: Any, right: list[tuple[int, int]]) -> str:
    import torch

    from llmprep.embeddings import sinusoidal_positions

    if not callable(candidate):
        raise Wrong(
            say(
                f"expected your function `sinusoidal_positions`, got {describe(candidate)}",
                f"这里需要你的函数 `sinusoidal_positions`，你给的是 {describe(candidate)}",
            )
        )
    for n, d in right:
        want = sinusoidal_positions(n, d).double()
        table = call(candidate, n, d, what=say("your function", "你的函数"))
        got = as_tensor(table, Said("your table", "你的表"))
        case = f"context_length={n}, emb_dim={d}"
        if got.shape != want.shape:
            if got.shape == want.T.shape and n != d:
                raise Wrong(
                    say(
                        f"shape {tuple(got.shape)} is transposed: one row per position",
                        f"形状 {tuple(got.shape)} 是转置过的：应当每个位置一行。",
                    ),
                    diagnosis="transposed",
                )
            raise Wrong(
                say(
                    f"shape {tuple(got.shape)}, expected {tuple(want.shape)} ({case})",
                    f"形状是 {tuple(got.shape)}，应为 {tuple(want.shape)}（{case}）。",
                )
            )
        if torch.allclose(got, want, atol=1e-4):
            continue
        details = difference(
            case, want.numpy().round(4), got.numpy().round(4), what=say("case", "用例")
        )
        for (message, diagnosis), variant in _variants(n, d).items():
            if torch.allclose(got, variant, atol=1e-4):
                raise Wrong(message, details, diagnosis=diagnosis)
        dtype = getattr(table, "dtype", None)
        half = str(dtype).rsplit(".", 1)[-1]
        if half in ("float16", "bfloat16"):
            error = (got - want).abs().max().item()
            near = error < 2e-2
            digits, count = (3, 2048) if half == "float16" else (2, 256)
            raise Wrong(
                say(
                    f"your table is {dtype}: {'right to its precision, ' if near else ''}off "
                    f"from llmprep's by up to {error:.1e}. "
                    f"{half} keeps about {digits} significant digits, too few for these values "
                    f"(and for positions past {count:,}, which it cannot even count one by "
                    f"one): make it in float32, torch's default",
                    f"你的表是 {dtype}：与 llmprep 的相差最多 {error:.1e}"
                    f"{'（在它的精度之内算是对的）' if near else ''}。{half} 只能保留大约 "
                    f"{digits} 位有效数字，对这些值来说太少了（位置超过 {count:,} 以后，它连"
                    f"逐个计数都做不到）：请用 torch 默认的 float32。",
                ),
                details,
                diagnosis="half-precision",
            )
        raise Wrong(say("values differ from llmprep's", "数值与 llmprep 的不同。"), details)
    return say(
        f"your table equals llmprep's for all {len(right)} sizes (smallest first; even "
        f"emb_dim, as in the paper). Every position gets a distinct pattern of sines and "
        f"cosines, and nothing is learned.",
        f"在全部 {len(right)} 种尺寸上（从最小的开始；emb_dim 为偶数，与论文一致），你的表都与 "
        f"llmprep 的相同。每个位置都得到一组独特的正弦和余弦值，而且不需要学习任何东西。",
    )


register(
    Exercise(
        id="06.5",
        title=Said("Build it yourself: sinusoidal positions", "自己动手实现：正弦位置编码"),
        task=Said(
            "Write `sinusoidal_positions(context_length, emb_dim)` returning a tensor of "
            "shape (context_length, emb_dim): for position `pos` and even dimension `2i`, "
            "`sin(pos / 10000**(2i / emb_dim))`, and in dimension `2i + 1` the cosine of "
            "the same angle. The check compares it with llmprep's for many sizes and "
            "shows the smallest where they differ.",
            "写一个 `sinusoidal_positions(context_length, emb_dim)`，返回形状为 "
            "(context_length, emb_dim) 的张量：位置 `pos` 的偶数维度 `2i` 是 "
            "`sin(pos / 10000**(2i / emb_dim))`，维度 `2i + 1` 是同一个角度的余弦。检查程序"
            "会在许多尺寸上把它与 llmprep 的实现对比，并给出两者不同的最小尺寸。",
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
        explanation=Said(
            "`position * rates` broadcasts (T, 1) x (D/2,) to the (T, D/2) angles; the "
            "even columns take their sines, the odd ones their cosines.",
            "`position * rates` 把 (T, 1) x (D/2,) 广播成 (T, D/2) 的角度表；偶数列取这些"
            "角度的正弦，奇数列取它们的余弦。",
        ),
        hints=(
            Said(
                "Compute all the angles at once: a column of positions (shape "
                "(context_length, 1)) times a row of rates, one per pair of dimensions "
                "(shape (emb_dim / 2,)), broadcasts to a table of angles.",
                "一次算出所有角度：一列位置（形状为 (context_length, 1)）乘以一行转速（rates，"
                "每对维度一个，形状为 (emb_dim / 2,)），广播后就是一张角度表。",
            ),
            Said(
                "The rates are `10000 ** (-2i / emb_dim)` for 2i = 0, 2, 4, ...: "
                "`torch.arange(0, emb_dim, 2)` gives those even dimensions.",
                "转速是 `10000 ** (-2i / emb_dim)`，其中 2i = 0, 2, 4, ...："
                "`torch.arange(0, emb_dim, 2)` 给出的就是这些偶数维度。",
            ),
            Said(
                "`table[:, 0::2] = torch.sin(position * rates)` fills every even column, "
                "`table[:, 1::2] = torch.cos(position * rates)` every odd one.",
                "`table[:, 0::2] = torch.sin(position * rates)` 填满所有偶数列，"
                "`table[:, 1::2] = torch.cos(position * rates)` 填满所有奇数列。",
            ),
        ),
    )
)
