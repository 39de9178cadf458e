"""Exercise 04.5 of notebook 04: the book's GPTDatasetV1, written by the learner and
compared with the book's window for window: on short texts first (every setting of
max_length and stride up to 8), then on long ones at the book's own settings (the whole
story with max_length 256 and stride 128, as in the book's create_dataloader_v1)."""

from __future__ import annotations

import random
from typing import Any

from llmprep.course.exercises.answers import (
    NotAnswered,
    Wrong,
    as_pair,
    as_tensor,
    describe,
    difference,
    shorten,
)
from llmprep.course.exercises.core import Exercise, register
from llmprep.course.exercises.sandbox import ReadOnly, call
from llmprep.course.language import Said, say
from llmprep.gpt2 import gpt2_encoding
from llmprep.simple import END_OF_TEXT, load_text

#: Long texts (characters of the story, or all of it) and the book's settings tried on
#: them after the short cases: its create_dataloader_v1 (256, 128), its batches (4, 4),
#: (4, 1) and its exercise 2.2 (2, 2), (8, 2).
LONG_CASES = (
    (3000, 256, 128),
    (3000, 4, 1),
    (3000, 2, 2),
    (None, 256, 128),
    (None, 4, 4),
    (None, 8, 2),
)

# ---- 04.5: build GPTDatasetV1 -----------------------------------------------------


def _dataset_cases() -> list[tuple[str, int, int]]:
    """(text, max_length, stride): short texts (some with <|endoftext|>) with every small
    setting, shortest first; then long texts, the whole story among them, with the
    book's settings."""
    story, rng = load_text("the-verdict"), random.Random(4)
    texts = {"", "Hi", "I HAD always"}
    for n_chars in range(5, 400, 9):
        start = rng.randrange(len(story) - n_chars)
        texts.add(story[start : start + n_chars])
    for n_chars in range(10, 200, 30):
        a, b = rng.randrange(len(story) - n_chars), rng.randrange(len(story) - n_chars)
        texts.add(story[a : a + n_chars] + END_OF_TEXT + story[b : b + n_chars])
    cases = []
    for text in texts:
        for max_length in (1, 2, 4, 5, 8):
            for stride in sorted({1, 2, 3, max_length, max_length + 1}):
                cases.append((text, max_length, stride))
    cases.sort(key=lambda c: (len(c[0]), c[1], c[2], c[0]))
    cases += [(story[:n] if n else story, m, s) for n, m, s in LONG_CASES]
    cases.append((story[:9000] + END_OF_TEXT + story[9000:], 256, 128))
    return cases


def _dataset_mistake(error: BaseException) -> str | tuple[str, str]:
    if "special token" in str(error):
        return (
            say(
                "your dataset refuses `<|endoftext|>` in the text: encode with "
                "`allowed_special={'<|endoftext|>'}` as the book does",
                "你的数据集不接受文本中的 `<|endoftext|>`：请像书中那样，编码时传入 "
                "`allowed_special={'<|endoftext|>'}`",
            ),
            "end-of-text-refused",
        )
    name = type(error).__name__
    return say(f"your dataset raised {name}: {error}", f"你的数据集抛出了 {name}: {error}")


def _windows(n: int) -> str:
    return say(f"{n} window" + ("" if n == 1 else "s"), f"{n} 个窗口")


def _count_mistake(
    mine: Any, reference: Any, ids: list[int], n: int, stride: int, case: str, longest: int
) -> Wrong:
    """Why the learner's dataset has ``n`` windows where the book's has another number
    (``longest``: the most tokens of a text on which it has been right so far)."""
    import torch

    want = len(reference)
    details = difference(case, want, n, what=say("case", "用例"))
    if n > want:
        one_more = n == want + 1
        return Wrong(
            say(
                f"{_windows(n)} where the book's dataset has {_windows(want)} for {len(ids)} "
                f"tokens: {'one too many' if one_more else 'too many'}. A window with its "
                f"target needs max_length + 1 tokens, so "
                f"the loop is `range(0, len(token_ids) - max_length, stride)`",
                f"对于这 {len(ids)} 个词元，书中的数据集有 {_windows(want)}，你的有 "
                f"{_windows(n)}：{'多了一个' if one_more else '太多了'}。最后一个窗口连同它的"
                f"目标需要 max_length + 1 个词元，所以循环应当是 "
                f"`range(0, len(token_ids) - max_length, stride)`",
            ),
            details,
            diagnosis="window-count-too-many" if one_more else "window-count",
        )
    same = n > 0
    for k in range(n):
        item = call(mine.__getitem__, k, what=say(f"your dataset[{k}]", f"你的 dataset[{k}]"))
        if not (isinstance(item, (tuple, list)) and len(item) == 2):
            same = False
            break
        x = as_tensor(item[0], f"dataset[{k}]", token_ids=True)
        same = same and torch.equal(x, reference[k][0])
    if (same or n == 0) and longest < len(ids):
        first = say(f" (yours are its first {n})", f"（就是书中的前 {n} 个）") if n else ""
        return Wrong(
            say(
                f"your dataset equals the book's on every text of up to {longest:,} tokens, "
                f"but for these {len(ids):,} it has {_windows(n)} where the book's has "
                f"{want}{first}: do you cut the text, or its ids, short?",
                f"在不超过 {longest:,} 个词元的每段文本上，你的数据集都与书中的相同；但对于"
                f"这 {len(ids):,} 个词元，书中的有 {want} 个窗口，你的只有 {n} 个{first}："
                f"你是不是把文本或它的 ID 截短了？",
            ),
            details,
            diagnosis="text-cut-short",
        )
    if same:
        return Wrong(
            say(
                f"your {_windows(n)} are the book's first {n}, but for these {len(ids):,} "
                f"tokens it has {want} (yours stop at the window starting at token "
                f"{(n - 1) * stride}): do you cut the text, or its ids, short?",
                f"你的 {n} 个窗口就是书中的前 {n} 个，但对于这 {len(ids):,} 个词元，书中的有 "
                f"{want} 个（你的停在从位置 {(n - 1) * stride} 开始的那个窗口）：你是不是把"
                f"文本或它的 ID 截短了？",
            ),
            details,
            diagnosis="text-cut-short",
        )
    return Wrong(
        say(
            f"{_windows(n)} where the book's dataset has {_windows(want)} for {len(ids)} "
            f"tokens: too few. Start at 0 and step by stride while a window and its target "
            f"still fit: `range(0, len(token_ids) - max_length, stride)`",
            f"对于这 {len(ids)} 个词元，书中的数据集有 {_windows(want)}，你的只有 "
            f"{_windows(n)}：太少了。从 0 开始，只要窗口和它的目标还放得下，就按 stride "
            f"往后移：`range(0, len(token_ids) - max_length, stride)`",
        ),
        details,
        diagnosis="window-count",
    )


def _next_window_target(candidate: Any, lent: Any) -> Wrong | None:
    """Whether the learner's targets are the next window, shown where it is plain to see:
    the story's first 9 tokens with max_length 4 and stride 4 (notebook 04, step 3)."""
    ids = gpt2_encoding().encode(load_text("the-verdict"))[:9]
    text = gpt2_encoding().decode(ids)
    try:
        dataset = call(candidate, text, lent, 4, 4, what=say("your dataset", "你的数据集"))
        pair = call(dataset.__getitem__, 0, what=say("your dataset[0]", "你的 dataset[0]"))
        x, y = (as_tensor(t, "dataset[0]", token_ids=True).tolist() for t in pair)
    except (Wrong, NotAnswered, TypeError, ValueError):
        return None
    if x != ids[0:4] or y != ids[4:8]:
        return None
    return Wrong(
        say(
            "your target is the next window; it is this window shifted by one token, the next "
            "token at each position: `token_ids[i + 1 : i + max_length + 1]`",
            "你的目标是下一个窗口；目标应当是这个窗口错开一个词元，也就是每个位置上的下一个"
            "词元：`token_ids[i + 1 : i + max_length + 1]`",
        ),
        difference(
            say(
                f"txt={text!r}, max_length=4, stride=4, window 0",
                f"txt={text!r}, max_length=4, stride=4, 窗口 0",
            ),
            (ids[0:4], ids[1:5]),
            (x, y),
            what=say("case", "用例"),
        ),
        diagnosis="target-next-window",
    )


def _judge_dataset(candidate: Any, right: list[tuple[str, int, int]]) -> str:
    import torch

    from llmprep.dataset import GPTDatasetV1

    if not callable(candidate):
        raise Wrong(
            say(
                f"expected your dataset class, got {describe(candidate)}",
                f"这里需要你的数据集类，你给的是 {describe(candidate)}",
            )
        )
    tokenizer = gpt2_encoding()
    lent = ReadOnly(tokenizer)  # the learner's code must not change the reference's
    longest = 0  # the most tokens of a text on which the learner's dataset was right
    for text, max_length, stride in right:
        case = f"txt={shorten(text, 80)!r}, max_length={max_length}, stride={stride}"
        reference = GPTDatasetV1(text, tokenizer, max_length, stride)
        try:
            mine = call(
                candidate,
                text,
                lent,
                max_length,
                stride,
                what=say("your dataset", "你的数据集"),
                explain=_dataset_mistake,
            )
            n = call(len, mine, what=say("len() of your dataset", "你的数据集的 len()"))
        except Wrong:
            if len(reference) == 0:
                continue  # a clear error for a text too short is fine too
            raise
        ids = tokenizer.encode(text, allowed_special={END_OF_TEXT})
        if n != len(reference):
            raise _count_mistake(mine, reference, ids, n, stride, case, longest)
        for k in range(n):
            want_x, want_y = reference[k]
            item = call(mine.__getitem__, k, what=say(f"your dataset[{k}]", f"你的 dataset[{k}]"))
            pair = as_pair(item, f"dataset[{k}]")
            if not all(isinstance(t, torch.Tensor) for t in pair):
                kind = type(pair[0]).__name__
                raise Wrong(
                    say(
                        f"dataset[{k}] gives {kind}s; the task asks for "
                        f"tensors, as the book stores them: `torch.tensor(input_chunk)` (a "
                        f"DataLoader stacks tensors into a batch)",
                        f"dataset[{k}] 给出的是 {kind}；题目要求像书中那样存成张量："
                        f"`torch.tensor(input_chunk)`（DataLoader 会把张量堆叠成一个批次）。",
                    ),
                    difference(
                        say(f"{case}, window {k}", f"{case}, 窗口 {k}"),
                        say("two tensors", "两个张量"),
                        pair,
                        what=say("case", "用例"),
                    ),
                    diagnosis="lists-not-tensors",
                )
            x, y = (as_tensor(t, f"dataset[{k}]", token_ids=True) for t in pair)
            if torch.equal(x, want_x) and torch.equal(y, want_y):
                continue
            details = difference(
                say(f"{case}, window {k}", f"{case}, 窗口 {k}"),
                (want_x.tolist(), want_y.tolist()),
                (x.tolist(), y.tolist()),
                what=say("case", "用例"),
            )
            start = k * stride
            if torch.equal(x, want_x) and torch.equal(y, want_x):
                raise Wrong(
                    say(
                        "the target is not shifted: `token_ids[i + 1 : i + max_length + 1]`",
                        "目标没有错开：应为 `token_ids[i + 1 : i + max_length + 1]`",
                    ),
                    details,
                    diagnosis="target-not-shifted",
                )
            if torch.equal(x, want_x) and y.tolist() == ids[start + stride :][:max_length]:
                shown = _next_window_target(candidate, lent)  # on an input where it shows
                if shown is not None:
                    raise shown
            if len(x) != max_length or len(y) != max_length:
                raise Wrong(
                    say(
                        f"windows should have max_length = {max_length} ids, yours have "
                        f"{len(x)} and {len(y)}",
                        f"每个窗口应当有 max_length = {max_length} 个 ID，你的输入和目标分别有 "
                        f"{len(x)} 个和 {len(y)} 个。",
                    ),
                    details,
                    diagnosis="window-length",
                )
            raise Wrong(
                say(f"window {k} differs from the book's", f"窗口 {k} 与书中的不同。"), details
            )
        longest = max(longest, len(ids))
    return say(
        f"your dataset equals the book's, window for window, in all {len(right)} cases "
        f"(short texts first, texts with `<|endoftext|>` among them, then the whole story "
        f"at the book's settings). Every window is stored as two tensors: notebook 04 "
        f"shows why that does not scale, and `TokenWindows` computes them instead.",
        f"在全部 {len(right)} 个用例中（先是短文本，其中有含 `<|endoftext|>` 的，最后是按书中"
        f"的设置切分的整篇小说），你的数据集与书中的逐个窗口完全相同。每个窗口都存成了两个"
        f"张量：笔记本 04 说明了这种做法为什么数据一大就行不通，而 `TokenWindows` 是在需要时"
        f"才把窗口算出来。",
    )


register(
    Exercise(
        id="04.5",
        title=Said("Build it yourself: GPTDatasetV1", "自己动手实现：GPTDatasetV1"),
        task=Said(
            "Write the book's `GPTDatasetV1(txt, tokenizer, max_length, stride)`, a "
            "`torch.utils.data.Dataset`: encode the text (with `<|endoftext|>` allowed), "
            "slide a window of `max_length` ids by `stride`, and store each input and its "
            "target (shifted by one) as tensors; `__len__` and `__getitem__` give them "
            "back. The check compares it with the book's on hundreds of texts and "
            "settings, short ones first and then the whole story with the book's "
            "`max_length=256, stride=128`, and shows the first case where they differ.",
            "写出书中的 `GPTDatasetV1(txt, tokenizer, max_length, stride)`，它是一个 "
            "`torch.utils.data.Dataset`：编码文本（允许 `<|endoftext|>`），让一个 "
            "`max_length` 个 ID 的窗口每次移动 `stride`，把每个输入和它的目标（错开一个词元）"
            "存成张量；`__len__` 和 `__getitem__` 把它们交还出来。检查程序会在数百种文本和"
            "设置上把它与书中的实现对比，先是短文本，然后是按书中 "
            "`max_length=256, stride=128` 切分的整篇小说，并给出两者不同的第一个用例。",
        ),
        reference=_dataset_cases,
        judge=_judge_dataset,
        answer_name="MyGPTDatasetV1",
        time_limit=60.0,
        solution_code="""
class MyGPTDatasetV1(Dataset):
    def __init__(self, txt, tokenizer, max_length, stride):
        self.input_ids = []
        self.target_ids = []
        token_ids = tokenizer.encode(txt, allowed_special={"<|endoftext|>"})
        for i in range(0, len(token_ids) - max_length, stride):
            input_chunk = token_ids[i : i + max_length]
            target_chunk = token_ids[i + 1 : i + max_length + 1]
            self.input_ids.append(torch.tensor(input_chunk))
            self.target_ids.append(torch.tensor(target_chunk))

    def __len__(self):
        return len(self.input_ids)

    def __getitem__(self, idx):
        return self.input_ids[idx], self.target_ids[idx]
""",
        explanation=Said(
            "This is the book's listing 2.5. The loop stops at `len(token_ids) - "
            "max_length` (exclusive), so the last window's target, one token further, "
            "still exists.",
            "这就是书中的代码清单 2.5。循环在 `len(token_ids) - max_length` 处停下（不含"
            "这个值），所以最后一个窗口的目标虽然要往后多延伸一个词元，也仍然取得到。",
        ),
        hints=(
            Said(
                "Work out by hand, for 9 tokens with `max_length=4` and `stride=4`: where "
                "does each window start, which tokens are its input and its target, and why "
                "is there no window starting at token 8?",
                "对 9 个词元、`max_length=4`、`stride=4` 手算一遍：每个窗口从哪里开始？"
                "哪些词元是它的输入，哪些是它的目标？为什么没有从位置 8 开始的窗口？",
            ),
            Said(
                "`__init__` encodes the whole text once, then loops over the start positions "
                "`i`, appending the input and the target (each `max_length` ids) as "
                "`torch.tensor`s to two lists; `__len__` and `__getitem__` read those lists.",
                "`__init__` 先把整段文本编码一次，再遍历各个起点 `i`，把输入和目标（各 "
                "`max_length` 个 ID）转成 `torch.tensor`，分别追加到两个列表中；`__len__` "
                "和 `__getitem__` 读取这两个列表。",
            ),
            Said(
                "`for i in range(0, len(token_ids) - max_length, stride):` with the input "
                "`token_ids[i : i + max_length]` and the target "
                "`token_ids[i + 1 : i + max_length + 1]`.",
                "循环写作 `for i in range(0, len(token_ids) - max_length, stride):`，输入是 "
                "`token_ids[i : i + max_length]`，目标是 "
                "`token_ids[i + 1 : i + max_length + 1]`。",
            ),
        ),
    )
)
