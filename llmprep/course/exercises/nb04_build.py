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


def _windows_of(candidate: Any, lent: Any, text: str, max_length: int, stride: int) -> Any:
    """The learner's windows for one input, as (input, target) lists of ids, or None if
    they cannot be read (another check says why)."""
    what = say("your dataset", "你的数据集")
    try:
        dataset = call(candidate, text, lent, max_length, stride, what=what)
        pairs = []
        for k in range(call(len, dataset, what=what)):
            pair = call(dataset.__getitem__, k, what=what)
            x, y = as_pair(pair, f"dataset[{k}]")
            pairs.append(
                tuple(as_tensor(t, f"dataset[{k}]", token_ids=True).tolist() for t in (x, y))
            )
    except (Wrong, NotAnswered, TypeError, ValueError, IndexError):
        return None
    return pairs


def _book_windows(
    ids: list[int], max_length: int, stride: int, *, start: int = 0, end: int = 0, step: int = 0
) -> list[tuple[list[int], list[int]]]:
    """The book's windows, or those of a loop with another ``start``, an ``end`` moved on
    by some tokens, or another ``step``."""
    stop = len(ids) - max_length + end
    return [
        (ids[i : i + max_length], ids[i + 1 : i + max_length + 1])
        for i in range(start, stop, step or stride)
    ]


def _starts(windows: list[tuple[list[int], list[int]]], ids: list[int]) -> str:
    """Where windows start, as "0, 2, 4, ..." (each input found in ``ids``)."""
    found = []
    for x, _ in windows[:4]:
        found.append(next((str(i) for i in range(len(ids)) if ids[i : i + len(x)] == x), "?"))
    return ", ".join(found) + (", ..." if len(windows) > 4 else "")


def _dataset_diagnosis(candidate: Any, lent: Any) -> Wrong | None:
    """Which of the known mistakes the learner's dataset makes, shown on small inputs
    where it is plain to see: the story's first 13 tokens (max_length 4, stride 2 and 1),
    and a short text with `<|endoftext|>` in it."""
    encoding = gpt2_encoding()
    story = load_text("the-verdict")
    text = encoding.decode(encoding.encode(story)[:13])
    ids = encoding.encode(text)
    case = say("case", "用例")

    def shown(setting: str, want: Any, got: Any) -> str:
        return difference(f"txt={text!r}, {setting}", want, got, what=case)

    mine = _windows_of(candidate, lent, text, 4, 2)
    book = _book_windows(ids, 4, 2)
    if mine is not None and mine != book:
        inputs = [x for x, _ in mine]
        for step in (1, 4):
            if inputs == [x for x, _ in _book_windows(ids, 4, 2, step=step)]:
                how = (
                    say("by 1 token", "1 个词元")
                    if step == 1
                    else say("by max_length (4) tokens", "max_length（4）个词元")
                )
                return Wrong(
                    say(
                        f"your windows always move {how}, whatever `stride` is: with "
                        f"max_length=4 and stride=2 they start at {_starts(book, ids)}, yours at "
                        f"{_starts(mine, ids)}. Step the loop by stride: "
                        f"`range(0, len(token_ids) - max_length, stride)`",
                        f"不管 `stride` 是多少，你的窗口每次都移动 {how}：max_length=4、"
                        f"stride=2 时，窗口应当从 {_starts(book, ids)} 开始，你的却从 "
                        f"{_starts(mine, ids)} 开始。循环要按 stride 前进："
                        f"`range(0, len(token_ids) - max_length, stride)`",
                    ),
                    shown("max_length=4, stride=2", [x for x, _ in book], inputs),
                    diagnosis="stride-ignored",
                )
        x, y = mine[0] if mine else ([], [])
        if x == ids[0:4] and y in (ids[2:6], ids[4:8]):
            return Wrong(
                say(
                    "your target is the next window; it is this window shifted by one token, "
                    "the next token at each position: `token_ids[i + 1 : i + max_length + 1]`",
                    "你的目标是下一个窗口；目标应当是这个窗口错开一个词元，也就是每个位置上的"
                    "下一个词元：`token_ids[i + 1 : i + max_length + 1]`",
                ),
                shown(
                    say("max_length=4, stride=2, window 0", "max_length=4, stride=2, 窗口 0"),
                    book[0],
                    (x, y),
                ),
                diagnosis="target-next-window",
            )
    mine = _windows_of(candidate, lent, text, 4, 1)
    book = _book_windows(ids, 4, 1)
    setting = "max_length=4, stride=1"
    if mine is not None and mine != book:
        if mine == _book_windows(ids, 4, 1, end=-1):
            last = len(ids) - 4 - 1
            return Wrong(
                say(
                    f"your loop stops one window early: for these {len(ids)} tokens with "
                    f"max_length=4 and stride=1 the last window starts at {last} (its target "
                    f"ends with the last token), yours at {last - 1}. "
                    f"`range(0, len(token_ids) - max_length, stride)` already leaves room for "
                    f"the target, since range leaves out its end: no `- 1`",
                    f"你的循环少了一个窗口：对这 {len(ids)} 个词元，max_length=4、stride=1 时，"
                    f"最后一个窗口从 {last} 开始（它的目标正好用到最后一个词元），你的最后一个"
                    f"却从 {last - 1} 开始。`range(0, len(token_ids) - max_length, stride)` "
                    f"已经给目标留出了位置，因为 range 不包含终点：不要再 `- 1`",
                ),
                shown(setting, len(book), len(mine)),
                diagnosis="window-count-one-short",
            )
        if mine == _book_windows(ids, 4, 1, start=1):
            return Wrong(
                say(
                    "your first window starts at token 1: the windows start at token 0, "
                    "`range(0, len(token_ids) - max_length, stride)`",
                    "你的第一个窗口从位置 1 开始：窗口应当从位置 0 开始，"
                    "`range(0, len(token_ids) - max_length, stride)`",
                ),
                shown(say(f"{setting}, window 0", f"{setting}, 窗口 0"), book[0], mine[0]),
                diagnosis="first-window-skipped",
            )
    text = encoding.decode(ids[:3]) + END_OF_TEXT + encoding.decode(ids[3:6])
    as_text = encoding.encode(text, disallowed_special=())
    mine = _windows_of(candidate, lent, text, 2, 1)
    if mine is not None and mine == _book_windows(as_text, 2, 1):
        eot = encoding.encode(END_OF_TEXT, disallowed_special=())
        pieces = " ".join(repr(encoding.decode([i])) for i in eot)
        special = encoding.encode_single_token(END_OF_TEXT)
        return Wrong(
            say(
                f"your dataset encodes `<|endoftext|>` as ordinary text, {len(eot)} tokens "
                f"({pieces}), instead of the one id {special}: `disallowed_special=()` lets it "
                f"through as text. Allow it as the special token it is: "
                f"`allowed_special={{'<|endoftext|>'}}`",
                f"你的数据集把 `<|endoftext|>` 当作普通文本编码成了 {len(eot)} 个词元"
                f"（{pieces}），而不是一个 ID {special}：`disallowed_special=()` 让它作为文本"
                f"通过了。请把它当作特殊词元来允许：`allowed_special={{'<|endoftext|>'}}`",
            ),
            difference(
                f"txt={text!r}, max_length=2, stride=1",
                _book_windows(encoding.encode(text, allowed_special={END_OF_TEXT}), 2, 1)[:4],
                mine[:4],
                what=case,
            ),
            diagnosis="end-of-text-as-text",
        )
    return None


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
            raise _dataset_diagnosis(candidate, lent) or _count_mistake(
                mine, reference, ids, n, stride, case, longest
            )
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
            known = _dataset_diagnosis(candidate, lent)
            if known is not None:
                raise known
            details = difference(
                say(f"{case}, window {k}", f"{case}, 窗口 {k}"),
                (want_x.tolist(), want_y.tolist()),
                (x.tolist(), y.tolist()),
                what=say("case", "用例"),
            )
            if torch.equal(x, want_x) and torch.equal(y, want_x):
                raise Wrong(
                    say(
                        "the target is not shifted: `token_ids[i + 1 : i + max_length + 1]`",
                        "目标没有错开：应为 `token_ids[i + 1 : i + max_length + 1]`",
                    ),
                    details,
                    diagnosis="target-not-shifted",
                )
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
