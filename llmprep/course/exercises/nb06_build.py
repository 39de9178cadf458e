"""Exercise 06.5 of notebook 06: the sinusoidal positions of "Attention Is All You
Need", written by the learner and compared with llmprep's for many sizes, smallest
first; the mistakes learners make (sine and cosine swapped, positions from 1, i or 4i
instead of 2i in the exponent, 10000**(2i/d) multiplied instead of divided by, the halves
side by side, too little precision), alone or together, are named."""

from __future__ import annotations

from typing import Any

from llmprep.course.exercises.answers import NotAnswered, Wrong, as_tensor, describe, difference
from llmprep.course.exercises.core import Exercise, register
from llmprep.course.exercises.sandbox import call
from llmprep.course.language import Said, say

# ---- 06.5: build sinusoidal_positions ---------------------------------------------


def _sinusoid_cases() -> list[tuple[int, int]]:
    return sorted(
        {(n, d) for n in (1, 2, 3, 5, 8, 16, 50) for d in (2, 4, 6, 8, 16, 64, 128)},
        key=lambda c: (c[0] * c[1], c),
    )


#: The size on which every mistake, and every combination of them, gives its own table.
PROBE = (3, 6)


def _mistakes() -> dict[str, str]:
    """What each mistake is, in the language of the moment (a check makes them)."""
    return {
        "sine-cosine-swapped": say(
            "sine and cosine are swapped: even dimensions 2i hold sin, odd ones 2i + 1 cos",
            "正弦和余弦对调了：偶数维度 2i 放 sin，奇数维度 2i + 1 放 cos",
        ),
        "halves-side-by-side": say(
            "your table puts one function in the first half of the dimensions and the other "
            "in the second (`torch.cat`); the layout expected interleaves them: dimension 2i "
            "sin, 2i + 1 cos (`table[:, 0::2]` and `table[:, 1::2]`)",
            "你的表把一种函数放在前一半维度、另一种放在后一半（`torch.cat`）；要求的排列方式是"
            "交替排列：维度 2i 放 sin，2i + 1 放 cos（`table[:, 0::2]` 和 `table[:, 1::2]`）",
        ),
        "exponent-halves": say(
            "the exponent is 2i/d with 2i the even dimension: use `torch.arange(0, d, 2) / "
            "d`, not `torch.arange(d // 2) / d` (that is i/d)",
            "指数是 2i/d，其中 2i 是偶数维度本身：请用 `torch.arange(0, d, 2) / d`，"
            "不要用 `torch.arange(d // 2) / d`（那是 i/d）",
        ),
        "exponent-doubled": say(
            "the exponent is 2i/d with 2i the even dimension itself (0, 2, 4, ...): "
            "`torch.arange(0, d, 2)` already is 2i, and doubling it again gives 4i/d",
            "指数是 2i/d，其中 2i 就是偶数维度本身（0, 2, 4, ...）：`torch.arange(0, d, 2)` "
            "已经是 2i，再乘以 2 就成了 4i/d",
        ),
        "exponent-per-column": say(
            "the sine in dimension 2i and the cosine in 2i + 1 share one angle, "
            "pos / 10000**(2i/d); yours gives the cosine its own exponent, (2i + 1)/d",
            "维度 2i 的正弦和维度 2i + 1 的余弦用的是同一个角度 pos / 10000**(2i/d)；"
            "你的余弦却用了自己的指数 (2i + 1)/d",
        ),
        "rate-inverted": say(
            "10000**(2i/d) is the denominator: the angle is pos / 10000**(2i/d), so the "
            "higher dimensions turn slower; yours multiplies pos by 10000**(2i/d)",
            "10000**(2i/d) 应当是分母：角度是 pos / 10000**(2i/d)，所以维度越高转得越慢；"
            "你的却是 pos 乘以 10000**(2i/d)",
        ),
        "positions-from-1": say(
            "positions start at 0: row 0 is position 0 (sin 0 = 0, cos 0 = 1), not 1",
            "位置从 0 开始：第 0 行是位置 0（sin 0 = 0，cos 0 = 1），而不是位置 1",
        ),
    }


def _variant(n: int, d: int, mistakes: tuple[str, ...]) -> Any:
    """The table made with these mistakes (none: the right table), in float64."""
    import torch

    first = 1 if "positions-from-1" in mistakes else 0
    pos = torch.arange(first, n + first, dtype=torch.float64)[:, None]
    even = torch.arange(0, d, 2, dtype=torch.float64)
    k = (
        even / 2
        if "exponent-halves" in mistakes
        else 2 * even
        if "exponent-doubled" in mistakes
        else even
    )
    sign = 1 if "rate-inverted" in mistakes else -1
    angles = pos * 10000 ** (sign * k / d)
    cos_angles = (
        pos * 10000 ** (sign * (k + 1) / d) if "exponent-per-column" in mistakes else angles
    )
    first_f, second_f = torch.sin(angles), torch.cos(cos_angles)
    if "sine-cosine-swapped" in mistakes:
        first_f, second_f = torch.cos(angles), torch.sin(cos_angles)
    if "halves-side-by-side" in mistakes:
        return torch.cat([first_f, second_f], dim=1)
    out = torch.empty(n, d, dtype=torch.float64)
    out[:, 0::2], out[:, 1::2] = first_f, second_f
    return out


def _combinations() -> list[tuple[str, ...]]:
    """Every combination of mistakes (at most one exponent mistake, none per column with
    the halves side by side), those of fewer mistakes first."""
    import itertools

    exponents = ("exponent-halves", "exponent-doubled", "exponent-per-column")
    found = []
    for size in range(1, 5):
        for mistakes in itertools.combinations(_mistakes(), size):
            if sum(m in exponents for m in mistakes) > 1:
                continue
            if "exponent-per-column" in mistakes and "halves-side-by-side" in mistakes:
                continue
            found.append(mistakes)
    return found


def _named_mistakes(candidate: Any, n: int, d: int, got: Any) -> Wrong | None:
    """The mistakes that make the learner's table, named on the probe's size, where each
    shows (and checked on the size where it failed too)."""
    import torch

    try:
        probe = as_tensor(call(candidate, *PROBE, what=say("your function", "你的函数")), "")
    except (Wrong, NotAnswered):
        return None
    if probe.shape != PROBE:
        return None
    for mistakes in _combinations():
        if torch.allclose(probe, _variant(*PROBE, mistakes), atol=5e-3) and torch.allclose(
            got, _variant(n, d, mistakes), atol=5e-3
        ):
            texts = _mistakes()
            if len(mistakes) == 1:
                message = texts[mistakes[0]]
            else:
                listed = "; ".join(f"({k}) {texts[m]}" for k, m in enumerate(mistakes, 1))
                message = say(
                    f"{len(mistakes)} mistakes at once: {listed}",
                    f"同时有 {len(mistakes)} 处错误：{listed.replace('; (', '；(')}",
                )
            want = _variant(*PROBE, ())
            details = difference(
                f"context_length={PROBE[0]}, emb_dim={PROBE[1]}",
                want.numpy().round(4),
                probe.numpy().round(4),
                what=say("case", "用例"),
            )
            return Wrong(message, details, diagnosis=mistakes[0])
    return None


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
                        f"形状 {tuple(got.shape)} 是转置过的：应当每个位置一行",
                    ),
                    diagnosis="transposed",
                )
            raise Wrong(
                say(
                    f"shape {tuple(got.shape)}, expected {tuple(want.shape)} ({case})",
                    f"形状是 {tuple(got.shape)}，应为 {tuple(want.shape)}（{case}）",
                )
            )
        if torch.allclose(got, want, atol=1e-4):
            continue
        details = difference(
            case, want.numpy().round(4), got.numpy().round(4), what=say("case", "用例")
        )
        named = _named_mistakes(candidate, n, d, got)
        if named is not None:
            raise named
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
                    f"逐个计数都做不到）：请用 torch 默认的 float32",
                ),
                details,
                diagnosis="half-precision",
            )
        raise Wrong(say("values differ from llmprep's", "数值与 llmprep 的不同"), details)
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
            "the same angle, so that sines and cosines alternate (sin in the even columns, "
            "cos in the odd ones; not one half each). The check compares it with "
            "llmprep's for many sizes and shows the smallest where they differ.",
            "写一个 `sinusoidal_positions(context_length, emb_dim)`，返回形状为 "
            "(context_length, emb_dim) 的张量：位置 `pos` 的偶数维度 `2i` 是 "
            "`sin(pos / 10000**(2i / emb_dim))`，维度 `2i + 1` 是同一个角度的余弦，也就是"
            "正弦和余弦交替排列（偶数列放 sin，奇数列放 cos；不是各占一半）。检查程序"
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
