"""Exercises of notebook 04 (data loader): the book's exercise 2.2, counting windows, an
input/target pair, batches and drop_last, a token file, and GPTDatasetV1 written by the
learner."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path
from typing import Any

from llmprep.course.exercises.answers import (
    Wrong,
    as_int,
    as_int_list,
    as_pair,
    as_tensor,
    difference,
)
from llmprep.course.exercises.core import Exercise, register
from llmprep.course.language import Said, say
from llmprep.gpt2 import gpt2_encoding
from llmprep.simple import END_OF_TEXT, load_text

CONTEXT = """
from pathlib import Path
import tempfile
import numpy as np
import torch
from torch.utils.data import Dataset
from llmprep import gpt2_encoding, load_text
from llmprep.dataset import TokenWindows, create_dataloader_v1
from llmprep.tokenfile import open_tokens, prepare_token_file
raw_text = load_text("the-verdict")
tokenizer = gpt2_encoding()
enc_text = tokenizer.encode(raw_text)
"""

FIRST_TEXT = "The cat sat on the mat. It was warm."
SECOND_TEXT = "A dog barked at the moon."


@functools.cache
def _ids() -> tuple[int, ...]:
    return tuple(gpt2_encoding().encode(load_text("the-verdict")))


def _batch(max_length: int, stride: int, batch_size: int = 4) -> tuple[Any, Any]:
    from llmprep.dataset import create_dataloader_v1

    loader = create_dataloader_v1(
        load_text("the-verdict"),
        batch_size=batch_size,
        max_length=max_length,
        stride=stride,
        shuffle=False,
    )
    inputs, targets = next(iter(loader))
    return inputs, targets


# ---- book 2.2 ---------------------------------------------------------------------


def _window_starts(rows: list[list[int]]) -> list[int] | None:
    """Where in the story each row of a batch starts (None if one is not a window of it)."""
    ids = _ids()
    starts = []
    for row in rows:
        n = len(row)
        start = next((s for s in range(len(ids) - n + 1) if list(ids[s : s + n]) == row), None)
        if start is None:
            return None
        starts.append(start)
    return starts if len(starts) > 1 else None


def _judge_book_batch(answer: Any, right: tuple[Any, Any]) -> str:
    import torch

    inputs, targets = (
        as_tensor(a, Said("inputs and targets", "输入和目标"), token_ids=True)
        for a in as_pair(answer, "(inputs, targets)")
    )
    want_in, want_out = right
    if torch.equal(inputs, want_in) and torch.equal(targets, want_out):
        return say(
            "with `max_length=8, stride=2` each window starts 2 tokens after the last and "
            "shares 6 of its 8 tokens with it: 4 times as many windows as `stride=8` would "
            "give, but far from independent samples. With `max_length=2, stride=2` the "
            "windows tile the text without overlap.",
            "`max_length=8, stride=2` 时，每个窗口都比前一个晚 2 个词元开始，它的 8 个词元中"
            "有 6 个与前一个窗口相同：窗口数是 `stride=8` 时的 4 倍，但这些样本远远谈不上相互"
            "独立。`max_length=2, stride=2` 时，窗口首尾相接地铺满文本，互不重叠。",
        )
    if inputs.shape != want_in.shape:
        if inputs.shape == want_in.T.shape:
            raise Wrong(
                say(
                    f"shape {tuple(inputs.shape)} is transposed: a batch is "
                    f"(batch_size, max_length)",
                    f"形状 {tuple(inputs.shape)} 是转置过的：一个批次的形状是 "
                    f"(batch_size, max_length)",
                ),
                diagnosis="transposed",
            )
        second = tuple(inputs.shape) == (4, 2)  # the setting the task asks to try next
        raise Wrong(
            say(
                f"inputs have shape {tuple(inputs.shape)}, expected {tuple(want_in.shape)}: "
                f"batch_size=4 windows of max_length=8"
                + (
                    " (that is the batch of `max_length=2`, the setting to try afterwards: "
                    "give the first batch of `max_length=8, stride=2`)"
                    if second
                    else ""
                ),
                f"输入的形状是 {tuple(inputs.shape)}，应为 {tuple(want_in.shape)}："
                f"batch_size=4 个窗口，每个窗口 max_length=8 个词元"
                + (
                    "（这是 `max_length=2` 的批次，那是之后再试的设置：请给出 "
                    "`max_length=8, stride=2` 的第一个批次）"
                    if second
                    else ""
                ),
            ),
            diagnosis="batch-shape",
        )
    if torch.equal(inputs, want_out) and torch.equal(targets, want_in):
        raise Wrong(
            say(
                "inputs and targets are swapped: the loader yields (inputs, targets)",
                "输入和目标颠倒了：数据加载器给出的顺序是 (inputs, targets)",
            ),
            diagnosis="swapped",
        )
    if torch.equal(inputs, targets):
        raise Wrong(
            say(
                "the targets equal the inputs: a target is its input shifted by one token",
                "目标与输入相同：目标应当是它的输入错开一个词元",
            ),
            diagnosis="target-not-shifted",
        )
    if torch.equal(inputs, want_in):
        raise Wrong(
            say(
                "the inputs are right, the targets are not: each target is its input shifted "
                "by one token",
                "输入是对的，目标不对：每个目标都是它的输入错开一个词元",
            ),
            difference("max_length=8, stride=2", want_out, targets),
            diagnosis="targets-wrong",
        )
    starts = _window_starts(inputs.tolist())
    if starts is not None:
        step = starts[1] - starts[0]
        if starts == [step * k for k in range(len(starts))]:
            raise Wrong(
                say(
                    f"these windows move by {step} token{'s' if step > 1 else ''} (they start "
                    f"at tokens {', '.join(map(str, starts))}): set stride=2",
                    f"这些窗口每次移动 {step} 个词元（起点是 {', '.join(map(str, starts))}）："
                    f"请设 stride=2",
                ),
                diagnosis="stride-1" if step == 1 else "wrong-stride",
            )
        odd = any(start % 2 for start in starts)
        raise Wrong(
            say(
                f"your rows are windows of the story, but not its first four in order: they "
                f"start at tokens {', '.join(map(str, starts))}. The loader shuffled "
                f"them: `create_dataloader_v1` shuffles unless you pass `shuffle=False`"
                + (
                    "; and some start at an odd token, which stride=2 never gives: check the "
                    "stride too"
                    if odd
                    else ""
                ),
                f"你的每一行都是小说中的窗口，但不是按顺序排列的前四个：它们的起点是 "
                f"{', '.join(map(str, starts))}。数据加载器把它们打乱了："
                f"`create_dataloader_v1` 默认会打乱，除非传入 `shuffle=False`"
                + (
                    "；另外有的起点是奇数，stride=2 不会给出这样的起点：也检查一下 stride"
                    if odd
                    else ""
                ),
            ),
            difference("max_length=8, stride=2", want_in, inputs),
            diagnosis="shuffled" if not odd else "shuffled-and-stride",
        )
    raise Wrong(
        say("this is not the first batch", "这不是第一个批次"),
        difference("max_length=8, stride=2", want_in, inputs),
    )


register(
    Exercise(
        id="book-2.2",
        title=Said(
            "Data loader intuition (the book's exercise 2.2)",
            "体会数据加载器（书中的练习 2.2）",
        ),
        task=Said(
            "Run `create_dataloader_v1(raw_text, batch_size=4, max_length=8, stride=2, "
            "shuffle=False)` and give its first batch as `(inputs, targets)`. Before you "
            "run it, predict: how many tokens does each window share with the next? "
            "Then try `max_length=2, stride=2` as well.",
            "运行 `create_dataloader_v1(raw_text, batch_size=4, max_length=8, stride=2, "
            "shuffle=False)`，以 `(inputs, targets)` 的形式给出它的第一个批次。运行之前先"
            "预测一下：每个窗口与下一个窗口有几个相同的词元？然后再试试 "
            "`max_length=2, stride=2`。",
        ),
        reference=lambda: _batch(8, 2),
        judge=_judge_book_batch,
        answer_name="batch",
        solution_code=(
            "loader = create_dataloader_v1(raw_text, batch_size=4, max_length=8, stride=2, "
            "shuffle=False)\nbatch = next(iter(loader))\nbatch"
        ),
        explanation=Said(
            "`stride` is how far the window moves: with 8 tokens per window and a stride "
            "of 2, consecutive windows overlap by 6 tokens, so row 2 starts with row 1's "
            "third token. The targets are the inputs shifted by one.",
            "`stride` 是窗口每次移动的距离：每个窗口 8 个词元、步幅为 2 时，相邻两个窗口重叠 "
            "6 个词元，所以第 2 行以第 1 行的第三个词元开头。目标就是输入错开一个词元。",
        ),
        hints=(
            Said(
                "A DataLoader is an iterable of batches. How do you take only the first item "
                "of an iterable, without a loop?",
                "DataLoader 是一个由批次组成的可迭代对象。不用循环，怎样只取出一个可迭代对象的"
                "第一项？",
            ),
            Said(
                "Make the loader with the task's settings; `next(iter(loader))` is its first "
                "batch, a pair of (4, 8) tensors.",
                "按题目中的设置创建数据加载器；`next(iter(loader))` 就是它的第一个批次："
                "一对形状为 (4, 8) 的张量。",
            ),
            Said(
                "`batch = next(iter(create_dataloader_v1(raw_text, batch_size=4, max_length=8, "
                "stride=2, shuffle=False)))`.",
                "写成一行：`batch = next(iter(create_dataloader_v1(raw_text, batch_size=4, "
                "max_length=8, stride=2, shuffle=False)))`。",
            ),
        ),
    ),
    notebook="04",
)


# ---- 04.1 -------------------------------------------------------------------------

N_TOKENS, MAX_LENGTH, STRIDE = 1024, 256, 128


def _judge_window_count(answer: Any, right: int) -> str:
    n = as_int(answer, Said("a number of windows", "窗口的个数"))
    if n == right:
        last = (right - 1) * STRIDE
        return say(
            f"{right} windows, starting at 0, 128, ..., {last}. A window needs "
            f"max_length + 1 = {MAX_LENGTH + 1} tokens (its target reaches one further), "
            f"so one starting at {last + STRIDE} would need the token at index "
            f"{last + STRIDE + MAX_LENGTH}, but indices stop at {N_TOKENS - 1}.",
            f"{right} 个窗口，起点依次是 0, 128, ..., {last}。一个窗口需要 "
            f"max_length + 1 = {MAX_LENGTH + 1} 个词元（它的目标还要往后多延伸一个），"
            f"所以从 {last + STRIDE} 开始的窗口要用到索引为 {last + STRIDE + MAX_LENGTH} "
            f"的词元，而索引最大只到 {N_TOKENS - 1}。",
        )
    if n == right + 1:
        raise Wrong(
            say(
                f"off by one: a window starting at index {right * STRIDE} would need the "
                f"token at index {right * STRIDE + MAX_LENGTH} for its last target, but the "
                f"{N_TOKENS} tokens have indices 0 to {N_TOKENS - 1}. A window needs "
                f"max_length + 1 tokens",
                f"差了一个：从 {right * STRIDE} 开始的窗口，最后一个目标要用到索引 "
                f"{right * STRIDE + MAX_LENGTH} 处的词元，超出了现有的 {N_TOKENS} 个词元"
                f"（索引从 0 开始）。"
                f"一个窗口需要 max_length + 1 个词元",
            ),
            diagnosis="off-by-one",
        )
    if n == N_TOKENS // STRIDE:
        raise Wrong(
            say(
                f"{N_TOKENS} / {STRIDE} = {n} counts windows that run past the end: the last "
                f"window must fit whole, with its target",
                f"{N_TOKENS} / {STRIDE} = {n} 把超出文本末尾的窗口也算进去了：最后一个窗口"
                f"连同它的目标必须完整地放得下",
            ),
            diagnosis="windows-past-the-end",
        )
    if n == right - 1:
        raise Wrong(
            say(
                "one window too few: the first window starts at 0 and counts too",
                "少了一个窗口：第一个窗口从 0 开始，它也要算上",
            ),
            diagnosis="one-too-few",
        )
    raise Wrong(
        say(
            f"{n} is not it: list the start positions 0, 128, 256, ... that still fit",
            f"{n} 不对：把仍然放得下的起点 0, 128, 256, ... 逐个列出来",
        )
    )


register(
    Exercise(
        id="04.1",
        title=Said("How many windows?", "有多少个窗口？"),
        task=Said(
            f"How many windows does `TokenWindows(enc_text[:{N_TOKENS}], max_length="
            f"{MAX_LENGTH}, stride={STRIDE})` have? Work it out by hand first (where does "
            f"each window start, and which is the last that fits?), then check with `len`.",
            f"`TokenWindows(enc_text[:{N_TOKENS}], max_length={MAX_LENGTH}, stride={STRIDE})` "
            f"有多少个窗口？先手算（每个窗口从哪里开始？放得下的最后一个是哪个？），再用 "
            f"`len` 验证。",
        ),
        reference=lambda: len(range(0, N_TOKENS - MAX_LENGTH, STRIDE)),
        judge=_judge_window_count,
        answer_name="n_windows",
        solution_code=(
            f"n_windows = len(TokenWindows(enc_text[:{N_TOKENS}], max_length={MAX_LENGTH}, "
            f"stride={STRIDE}))\nn_windows"
        ),
        explanation=Said(
            f"Windows start at 0, {STRIDE}, {2 * STRIDE}, ... as long as the window and its "
            f"target fit: a window starting at s needs the tokens s .. s + {MAX_LENGTH} "
            f"(max_length + 1 of them), so s + {MAX_LENGTH} must be at most {N_TOKENS - 1}. "
            f"In the book's loop: `range(0, len(token_ids) - max_length, stride)`.",
            f"只要窗口和它的目标放得下，窗口就依次从 0, {STRIDE}, {2 * STRIDE}, ... 开始："
            f"从 s 开始的窗口需要词元 s .. s + {MAX_LENGTH}（共 max_length + 1 个），所以 "
            f"s + {MAX_LENGTH} 最大只能是 {N_TOKENS - 1}。书中的循环写作 "
            f"`range(0, len(token_ids) - max_length, stride)`。",
        ),
        hints=(
            Said(
                f"List the start positions 0, {STRIDE}, {2 * STRIDE}, ... Which is the last "
                f"one whose window and target still fit in {N_TOKENS:,} tokens?",
                f"把起点 0, {STRIDE}, {2 * STRIDE}, ... 列出来。在 {N_TOKENS:,} 个词元中，"
                f"窗口连同目标仍然放得下的最后一个起点是哪个？",
            ),
            Said(
                "A window starting at `s` uses tokens `s .. s + max_length` (its target "
                "included): `s + max_length` must be a valid index.",
                "从 `s` 开始的窗口要用到词元 `s .. s + max_length`（包括它的目标）："
                "`s + max_length` 必须是一个有效的索引。",
            ),
            Said(
                f"So `s + {MAX_LENGTH} <= {N_TOKENS - 1}`: the starts are "
                f"`range(0, {N_TOKENS} - {MAX_LENGTH}, {STRIDE})`; count them.",
                f"所以 `s + {MAX_LENGTH} <= {N_TOKENS - 1}`：起点就是 "
                f"`range(0, {N_TOKENS} - {MAX_LENGTH}, {STRIDE})`，数一数有几个。",
            ),
        ),
    )
)


# ---- 04.2 -------------------------------------------------------------------------

WINDOW = 3


def _judge_pair(answer: Any, right: tuple[list[int], list[int]]) -> str:
    x, y = (
        as_int_list(a, Said("a window of ids", "一个窗口的 ID 列表"))
        for a in as_pair(answer, Said("(input, target)", "(输入, 目标)"))
    )
    want_x, want_y = right
    ids = list(_ids())
    if (x, y) == (want_x, want_y):
        return say(
            f"window {WINDOW} starts at {WINDOW} x stride = {WINDOW * 2}: input "
            f"{want_x}, target {want_y}, the same ids moved one to the left. At each "
            f"position the target is the next token.",
            f"窗口 {WINDOW} 从 {WINDOW} x stride = {WINDOW * 2} 开始：输入 {want_x}，"
            f"目标 {want_y}，也就是同样的 ID 往左移了一位。在每个位置上，目标都是下一个词元。",
        )
    if len(x) != 4 or len(y) != 4:
        raise Wrong(
            say(
                f"input and target have max_length = 4 ids each, yours have {len(x)} and {len(y)}",
                f"输入和目标各有 max_length = 4 个 ID，你的分别有 {len(x)} 个和 {len(y)} 个",
            ),
            diagnosis="window-length",
        )
    if x == y:
        raise Wrong(
            say(
                "the target equals the input: the target is the input shifted by one token",
                "目标与输入相同：目标应当是输入错开一个词元",
            ),
            diagnosis="target-not-shifted",
        )
    if x == want_x and y == ids[WINDOW * 2 - 1 : WINDOW * 2 + 3]:
        raise Wrong(
            say(
                "the target is shifted the wrong way: it is the *next* token at each position",
                "目标错开的方向反了：在每个位置上，目标是*下一个*词元",
            ),
            diagnosis="target-shifted-back",
        )
    if x == want_x and y in (ids[WINDOW * 2 + 2 : WINDOW * 2 + 6], ids[WINDOW * 2 + 4 :][:4]):
        raise Wrong(
            say(
                "your target is the next window; it is this window shifted by one token, the "
                "next token at each position: `enc_text[s + 1 : s + max_length + 1]`",
                "你的目标是下一个窗口；目标应当是这个窗口错开一个词元，也就是每个位置上的下一个"
                "词元：`enc_text[s + 1 : s + max_length + 1]`",
            ),
            difference(say(f"window {WINDOW}", f"窗口 {WINDOW}"), right, (x, y)),
            diagnosis="target-next-window",
        )
    starts = {s: ids[s : s + 4] for s in range(0, len(ids) - 4)}
    start = next((s for s, w in starts.items() if w == x), None)
    moved = {WINDOW: (1, "stride-1"), WINDOW * 4: (4, "stride-max-length")}
    if start in moved:
        step, diagnosis = moved[start]
        raise Wrong(
            say(
                f"your input is window {WINDOW} of windows that move by {step} token"
                f"{'s (max_length)' if step > 1 else ''}: it starts at token {start}. These "
                f"windows move by stride = 2, so window {WINDOW} starts at {WINDOW} x 2 = "
                f"{WINDOW * 2}",
                f"你的输入是每次移动 {step} 个词元{'（max_length）' if step > 1 else ''}时的"
                f"窗口 {WINDOW}：它从位置 {start} 开始。这里的窗口每次移动 stride = 2 个词元，"
                f"所以窗口 {WINDOW} 从 {WINDOW} x 2 = {WINDOW * 2} 开始",
            ),
            diagnosis=diagnosis,
        )
    if start is not None and start != WINDOW * 2:
        which = start // 2 if start % 2 == 0 else None  # the window it is, at stride 2
        raise Wrong(
            say(
                f"your input is the window starting at token {start}"
                + (
                    f", window {which}; window {WINDOW} starts at {WINDOW} x stride = "
                    f"{WINDOW * 2} (windows count from 0: window 0 starts at token 0)"
                    if which is not None
                    else f", where no window starts (with stride 2 they start at 0, 2, 4, "
                    f"...); window {WINDOW} starts at {WINDOW} x stride = {WINDOW * 2}"
                ),
                f"你的输入是从位置 {start} 开始的窗口"
                + (
                    f"，也就是窗口 {which}；窗口 {WINDOW} 从 {WINDOW} x stride = {WINDOW * 2} "
                    f"开始（窗口从 0 开始编号：窗口 0 从位置 0 开始）"
                    if which is not None
                    else f"，可是没有窗口从这里开始（stride 为 2 时，起点是 0, 2, 4, ...）；"
                    f"窗口 {WINDOW} 从 {WINDOW} x stride = {WINDOW * 2} 开始"
                ),
            ),
            diagnosis="window-start",
        )
    raise Wrong(
        say("not window 3", "这不是窗口 3"),
        difference(say(f"window {WINDOW}", f"窗口 {WINDOW}"), right, (x, y)),
    )


register(
    Exercise(
        id="04.2",
        title=Said("An input and its target", "一个输入和它的目标"),
        task=Said(
            f"Write down, as two lists of ids, the input and the target of window {WINDOW} "
            f"of `TokenWindows(enc_text, max_length=4, stride=2)` (windows count from 0), "
            f"using `enc_text` only, not the dataset. Then check with "
            f"`TokenWindows(...)[{WINDOW}]` and decode both with `tokenizer.decode`.",
            f"只用 `enc_text`（不用数据集），以两个 ID 列表的形式写出 "
            f"`TokenWindows(enc_text, max_length=4, stride=2)` 中窗口 {WINDOW} 的输入和目标"
            f"（窗口从 0 开始编号）。然后用 `TokenWindows(...)[{WINDOW}]` 验证，并用 "
            f"`tokenizer.decode` 把两者都解码出来看看。",
        ),
        reference=lambda: (list(_ids()[6:10]), list(_ids()[7:11])),
        judge=_judge_pair,
        answer_name="pair",
        solution_code=(
            "start = 3 * 2\n"
            "pair = (enc_text[start : start + 4], enc_text[start + 1 : start + 5])\npair"
        ),
        explanation=Said(
            "Window `k` starts at `s = k * stride`. Its input is the next `max_length` ids, "
            "its target the same ids shifted by one: `enc_text[s + 1 : s + max_length + 1]`.",
            "窗口 `k` 从 `s = k * stride` 开始。它的输入是从这里起的 `max_length` 个 ID，"
            "目标是同样的 ID 错开一位：`enc_text[s + 1 : s + max_length + 1]`。",
        ),
        hints=(
            Said(
                "Where does window 0 start, and window 1? How far does each window move?",
                "窗口 0 从哪里开始？窗口 1 呢？每个窗口移动多远？",
            ),
            Said(
                "Window k starts at token k x stride; its input is the next max_length ids, "
                "and its target the same ids one further on.",
                "窗口 k 从位置 k x stride 开始；它的输入是从这里起的 max_length 个 ID，"
                "目标是往后错开一位的同样多个 ID。",
            ),
            Said(
                "Window 3 starts at token 3 x 2 = 6: its input is `enc_text[6:10]`.",
                "窗口 3 从位置 3 x 2 = 6 开始：它的输入是 `enc_text[6:10]`。",
            ),
        ),
    )
)


# ---- 04.3 -------------------------------------------------------------------------


def _batch_counts() -> tuple[int, int]:
    from llmprep.dataset import create_dataloader_v1

    text = load_text("the-verdict")
    return tuple(  # type: ignore[return-value]
        len(create_dataloader_v1(text, batch_size=8, max_length=4, stride=4, drop_last=d))
        for d in (True, False)
    )


def _judge_batches(answer: Any, right: tuple[int, int]) -> str:
    dropped, kept = (
        as_int(n, Said("a number of batches", "批次的个数"))
        for n in as_pair(answer, Said("two counts", "两个数"))
    )
    windows = len(range(0, len(_ids()) - 4, 4))
    if (dropped, kept) == right:
        return say(
            f"{windows:,} windows make {right[0]} full batches of 8 and "
            f"{windows - 8 * right[0]} windows left over: `drop_last=True` drops that short "
            f"last batch, `drop_last=False` keeps it ({right[1]} batches).",
            f"{windows:,} 个窗口可以装满 {right[0]} 个批次（每批 8 个），还剩下 "
            f"{windows - 8 * right[0]} 个窗口：`drop_last=True` 丢掉最后那个不满的批次，"
            f"`drop_last=False` 则保留它（共 {right[1]} 个批次）。",
        )
    if (kept, dropped) == right:
        raise Wrong(
            say(
                "swapped: drop_last=True gives the smaller count",
                "两个数颠倒了：drop_last=True 得到的是较小的那个数",
            ),
            diagnosis="swapped",
        )
    if windows in (dropped, kept):
        raise Wrong(
            say(
                f"{windows:,} is the number of windows; a batch holds 8 of them",
                f"{windows:,} 是窗口的个数；一个批次装 8 个窗口",
            ),
            diagnosis="windows-not-batches",
        )
    raise Wrong(
        say(
            f"({dropped}, {kept}) is not it: `len(loader)` counts batches",
            f"({dropped}, {kept}) 不对：`len(loader)` 数的是批次",
        )
    )


register(
    Exercise(
        id="04.3",
        title=Said("drop_last", "drop_last：要不要最后一个批次"),
        task=Said(
            "How many batches does `create_dataloader_v1(raw_text, batch_size=8, "
            "max_length=4, stride=4)` give with `drop_last=True`, and how many with "
            "`drop_last=False`? Give `(with_drop_last, without)`. Why might training "
            "prefer to drop the last batch?",
            "`create_dataloader_v1(raw_text, batch_size=8, max_length=4, stride=4)` 在 "
            "`drop_last=True` 时给出多少个批次？`drop_last=False` 时呢？以 "
            "`(with_drop_last, without)` 的形式给出。训练时为什么往往宁可丢掉最后一个批次？",
        ),
        reference=_batch_counts,
        judge=_judge_batches,
        answer_name="counts",
        solution_code=(
            "counts = tuple(len(create_dataloader_v1(raw_text, batch_size=8, max_length=4, "
            "stride=4, drop_last=d)) for d in (True, False))\ncounts"
        ),
        explanation=Said(
            "The windows fill whole batches of 8 with a few left over. A short last batch "
            "averages its loss over fewer windows, a noisier gradient step, so training "
            "loops usually drop it.",
            "窗口装满若干个 8 个一批的批次后，还剩下几个。最后那个不满的批次只在较少的窗口上"
            "平均损失，这一步梯度的噪声更大，所以训练循环通常把它丢掉。",
        ),
        hints=(
            Said(
                "A batch holds 8 windows. How many windows are there, and what happens to "
                "those that do not fill a whole batch?",
                "一个批次装 8 个窗口。一共有多少个窗口？凑不满一整个批次的那些窗口会怎样？",
            ),
            Said(
                "`len(loader)` is the number of batches; make the loader twice, once with "
                "each value of `drop_last`.",
                "`len(loader)` 是批次的个数；把数据加载器创建两次，`drop_last` 各取一个值。",
            ),
            Said(
                "`tuple(len(create_dataloader_v1(raw_text, batch_size=8, max_length=4, "
                "stride=4, drop_last=d)) for d in (True, False))`.",
                "写成一行：`tuple(len(create_dataloader_v1(raw_text, batch_size=8, "
                "max_length=4, stride=4, drop_last=d)) for d in (True, False))`。",
            ),
        ),
    )
)


# ---- 04.4 -------------------------------------------------------------------------


def _separator_index() -> int:
    import numpy as np

    from llmprep.tokenfile import open_tokens, prepare_token_file

    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / "first.txt", Path(folder) / "second.txt"]
        for path, text in zip(paths, (FIRST_TEXT, SECOND_TEXT), strict=True):
            path.write_text(text, encoding="utf-8")
        prepare_token_file(paths, Path(folder) / "corpus", progress=False)
        tokens = open_tokens(Path(folder) / "corpus")
        eot = gpt2_encoding().encode_single_token(END_OF_TEXT)
        index = int(np.flatnonzero(np.asarray(tokens) == eot)[0])
        del tokens  # the memory map must be closed before the folder goes
    return index


def _judge_separator(answer: Any, right: int) -> str:
    n = as_int(answer, Said("an index", "一个索引"))
    first = len(gpt2_encoding().encode(FIRST_TEXT))
    if n == right:
        return say(
            f"index {right}: the first file's {first} tokens are at 0..{first - 1}, then "
            f"`<|endoftext|>` (50256), then the second file. A model trained on the file "
            f"learns that what follows 50256 starts something new.",
            f"索引 {right}：第一个文件的 {first} 个词元位于 0..{first - 1}，接着是 "
            f"`<|endoftext|>`（50256），然后是第二个文件。用这个文件训练的模型会学到："
            f"50256 之后开始的是一段新的内容。",
        )
    if n == gpt2_encoding().encode_single_token(END_OF_TEXT):
        raise Wrong(
            say(
                "50256 is the separator's id; the question is where it stands (its index)",
                "50256 是分隔符的 ID；题目问的是它所在的位置（它的索引）",
            ),
            diagnosis="id-not-index",
        )
    newline = len(gpt2_encoding().encode(FIRST_TEXT + "\n")) - first  # "\n" is one token
    if n == right + newline:
        raise Wrong(
            say(
                "one more than the separator's index. If your first file ends with a newline "
                "(`print(..., file=f)` adds one, and so do many editors), that newline is a "
                "token too (198), and the separator moves one place on: write exactly the "
                "text given (`Path.write_text(text)` adds nothing). If it does not, remember "
                "that indices count from 0: the first file's N tokens are at 0 .. N-1, so the "
                "separator is at N",
                "比分隔符的索引大 1。如果你的第一个文件以换行符结尾（`print(..., file=f)` "
                "会加一个，很多编辑器也会加），这个换行符也是一个词元（198），分隔符就往后挪了"
                "一位：请严格写入题目给出的文本（`Path.write_text(text)` 不会多加任何字符）。"
                "如果文件末尾没有换行符，请记住索引从 0 开始：第一个文件的 N 个词元位于 "
                "0 .. N-1，所以分隔符在 N",
            ),
            diagnosis="newline-or-off-by-one",
        )
    if n == right + len(gpt2_encoding().encode(FIRST_TEXT + "\r\n")) - first:
        raise Wrong(
            say(
                f"{n - right} more than the separator's index: does your first file end with "
                f"a Windows line end, `\\r\\n`? Those are two tokens (201 and 198): write "
                f"exactly the text given, with no line end",
                f"比分隔符的索引大 {n - right}：你的第一个文件是不是以 Windows 的换行符 "
                f"`\\r\\n` 结尾？那是两个词元（201 和 198）：请严格写入题目给出的文本，"
                f"末尾不要换行",
            ),
            diagnosis="newline-or-off-by-one",
        )
    raise Wrong(
        say(
            f"{n} is not it: `np.flatnonzero(tokens == 50256)` finds it",
            f"{n} 不对：`np.flatnonzero(tokens == 50256)` 能找到它",
        )
    )


register(
    Exercise(
        id="04.4",
        title=Said("Where one document ends", "一篇文档在哪里结束"),
        task=Said(
            f"Write `{FIRST_TEXT}` and `{SECOND_TEXT}` into two files, prepare a token file "
            f"from both (`prepare_token_file([...], folder)`), open it with `open_tokens` "
            f"(`from llmprep.tokenfile import open_tokens`: a NumPy array) and give the "
            f"index of the `<|endoftext|>` (id 50256) between them. Write exactly these "
            f"characters, with no newline at the end.",
            f"把 `{FIRST_TEXT}` 和 `{SECOND_TEXT}` 分别写入两个文件，用这两个文件准备一个"
            f"词元文件（`prepare_token_file([...], folder)`），用 `open_tokens` 打开它"
            f"（`from llmprep.tokenfile import open_tokens`，得到一个 NumPy 数组），"
            f"给出两段文本之间那个 `<|endoftext|>`（ID 50256）的索引。请一字不差地写入这些"
            f"字符，末尾不要换行。",
        ),
        reference=_separator_index,
        judge=_judge_separator,
        answer_name="index",
        solution_code=(
            "import numpy as np\n\n"
            "from llmprep.tokenfile import open_tokens\n\n"
            "folder = Path(tempfile.mkdtemp())\n"
            f'(folder / "first.txt").write_text("{FIRST_TEXT}")\n'
            f'(folder / "second.txt").write_text("{SECOND_TEXT}")\n'
            'prepare_token_file([folder / "first.txt", folder / "second.txt"], folder / "corpus",\n'
            "                   progress=False)\n"
            'tokens = open_tokens(folder / "corpus")\n'
            "index = int(np.flatnonzero(tokens == 50256)[0])\nindex"
        ),
        explanation=Said(
            "`prepare_token_file` writes the first file's ids, then 50256, then the second "
            "file's: "
            "the separator's index is the number of tokens of the first file.",
            "`prepare_token_file` 先写入第一个文件的 ID，然后是 50256，再是第二个文件的 ID："
            "分隔符的索引就是第一个文件的词元数。",
        ),
        hints=(
            Said(
                "The token file holds the first file's ids, then the separator, then the "
                "second file's. How many ids come before the separator?",
                "词元文件中先是第一个文件的 ID，然后是分隔符，再是第二个文件的 ID。"
                "分隔符前面有多少个 ID？",
            ),
            Said(
                "`open_tokens` gives a NumPy array; `tokens == 50256` is True where the "
                "separator stands.",
                "`open_tokens` 返回一个 NumPy 数组；`tokens == 50256` 在分隔符所在的位置为 True。",
            ),
            Said(
                "`int(np.flatnonzero(tokens == 50256)[0])` is the index of the first 50256.",
                "`int(np.flatnonzero(tokens == 50256)[0])` 就是第一个 50256 的索引。",
            ),
        ),
    )
)
