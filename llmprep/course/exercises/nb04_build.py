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
            "your dataset refuses `<|endoftext|>` in the text: encode with "
            "`allowed_special={'<|endoftext|>'}` as the book does",
            "end-of-text-refused",
        )
    return f"your dataset raised {type(error).__name__}: {error}"


def _windows(n: int) -> str:
    return f"{n} window" + ("" if n == 1 else "s")


def _count_mistake(
    mine: Any, reference: Any, ids: list[int], n: int, stride: int, case: str, longest: int
) -> Wrong:
    """Why the learner's dataset has ``n`` windows where the book's has another number
    (``longest``: the most tokens of a text on which it has been right so far)."""
    import torch

    want = len(reference)
    details = difference(case, want, n, what="case")
    if n > want:
        return Wrong(
            f"{_windows(n)} where the book's dataset has {_windows(want)} for {len(ids)} "
            f"tokens: {'one too many' if n == want + 1 else 'too many'}. The last window's "
            f"target needs max_length + 1 tokens, so "
            f"the loop is `range(0, len(token_ids) - max_length, stride)`",
            details,
            diagnosis="window-count-too-many" if n == want + 1 else "window-count",
        )
    same = n > 0
    for k in range(n):
        item = call(mine.__getitem__, k, what=f"your dataset[{k}]")
        if not (isinstance(item, (tuple, list)) and len(item) == 2):
            same = False
            break
        x = as_tensor(item[0], f"dataset[{k}]", token_ids=True)
        same = same and torch.equal(x, reference[k][0])
    if (same or n == 0) and longest < len(ids):
        first = f" (yours are its first {n})" if n else ""
        return Wrong(
            f"your dataset equals the book's on every text of up to {longest:,} tokens, but "
            f"for these {len(ids):,} it has {_windows(n)} where the book's has {want}{first}: "
            f"do you cut the text, or its ids, short?",
            details,
            diagnosis="text-cut-short",
        )
    if same:
        return Wrong(
            f"your {_windows(n)} are the book's first {n}, but for these {len(ids):,} tokens "
            f"it has {want} (yours stop at the window starting at token {(n - 1) * stride}): "
            f"do you cut the text, or its ids, short?",
            details,
            diagnosis="text-cut-short",
        )
    return Wrong(
        f"{_windows(n)} where the book's dataset has {_windows(want)} for {len(ids)} "
        f"tokens: too few. Start at 0 and step by stride while a window and its target "
        f"still fit: `range(0, len(token_ids) - max_length, stride)`",
        details,
        diagnosis="window-count",
    )


def _next_window_target(candidate: Any, lent: Any) -> Wrong | None:
    """Whether the learner's targets are the next window, shown where it is plain to see:
    the story's first 9 tokens with max_length 4 and stride 4 (notebook 04, step 3)."""
    ids = gpt2_encoding().encode(load_text("the-verdict"))[:9]
    text = gpt2_encoding().decode(ids)
    try:
        dataset = call(candidate, text, lent, 4, 4, what="your dataset")
        pair = call(dataset.__getitem__, 0, what="your dataset[0]")
        x, y = (as_tensor(t, "dataset[0]", token_ids=True).tolist() for t in pair)
    except (Wrong, NotAnswered, TypeError, ValueError):
        return None
    if x != ids[0:4] or y != ids[4:8]:
        return None
    return Wrong(
        "your target is the next window; it is this window shifted by one token, the next "
        "token at each position: `token_ids[i + 1 : i + max_length + 1]`",
        difference(
            f"txt={text!r}, max_length=4, stride=4, window 0",
            (ids[0:4], ids[1:5]),
            (x, y),
            what="case",
        ),
        diagnosis="target-next-window",
    )


def _judge_dataset(candidate: Any, right: list[tuple[str, int, int]]) -> str:
    import torch

    from llmprep.dataset import GPTDatasetV1

    if not callable(candidate):
        raise Wrong(f"expected your dataset class, got {describe(candidate)}")
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
                what="your dataset",
                explain=_dataset_mistake,
            )
            n = call(len, mine, what="len() of your dataset")
        except Wrong:
            if len(reference) == 0:
                continue  # a clear error for a text too short is fine too
            raise
        ids = tokenizer.encode(text, allowed_special={END_OF_TEXT})
        if n != len(reference):
            raise _count_mistake(mine, reference, ids, n, stride, case, longest)
        for k in range(n):
            want_x, want_y = reference[k]
            item = call(mine.__getitem__, k, what=f"your dataset[{k}]")
            pair = as_pair(item, f"dataset[{k}]")
            if not all(isinstance(t, torch.Tensor) for t in pair):
                raise Wrong(
                    f"dataset[{k}] gives {type(pair[0]).__name__}s; the task asks for "
                    f"tensors, as the book stores them: `torch.tensor(input_chunk)` (a "
                    f"DataLoader stacks tensors into a batch)",
                    difference(f"{case}, window {k}", "two tensors", pair, what="case"),
                    diagnosis="lists-not-tensors",
                )
            x, y = (as_tensor(t, f"dataset[{k}]", token_ids=True) for t in pair)
            if torch.equal(x, want_x) and torch.equal(y, want_y):
                continue
            details = difference(
                f"{case}, window {k}",
                (want_x.tolist(), want_y.tolist()),
                (x.tolist(), y.tolist()),
                what="case",
            )
            start = k * stride
            if torch.equal(x, want_x) and torch.equal(y, want_x):
                raise Wrong(
                    "the target is not shifted: `token_ids[i + 1 : i + max_length + 1]`",
                    details,
                    diagnosis="target-not-shifted",
                )
            if torch.equal(x, want_x) and y.tolist() == ids[start + stride :][:max_length]:
                shown = _next_window_target(candidate, lent)  # on an input where it shows
                if shown is not None:
                    raise shown
            if len(x) != max_length or len(y) != max_length:
                raise Wrong(
                    f"windows should have max_length = {max_length} ids, yours have "
                    f"{len(x)} and {len(y)}",
                    details,
                    diagnosis="window-length",
                )
            raise Wrong(f"window {k} differs from the book's", details)
        longest = max(longest, len(ids))
    return (
        f"your dataset equals the book's, window for window, in all {len(right)} cases "
        f"(short texts first, texts with `<|endoftext|>` among them, then the whole story "
        f"at the book's settings). Every window is stored as two tensors: notebook 04 "
        f"shows why that does not scale, and `TokenWindows` computes them instead."
    )


register(
    Exercise(
        id="04.5",
        title="Build it yourself: GPTDatasetV1",
        task=(
            "Write the book's `GPTDatasetV1(txt, tokenizer, max_length, stride)`, a "
            "`torch.utils.data.Dataset`: encode the text (with `<|endoftext|>` allowed), "
            "slide a window of `max_length` ids by `stride`, and store each input and its "
            "target (shifted by one) as tensors; `__len__` and `__getitem__` give them "
            "back. The check compares it with the book's on hundreds of texts and "
            "settings, short ones first and then the whole story with the book's "
            "`max_length=256, stride=128`, and shows the first case where they differ."
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
        explanation=(
            "This is the book's listing 2.5. The loop stops at `len(token_ids) - "
            "max_length` (exclusive), so the last window's target, one token further, "
            "still exists."
        ),
        hints=(
            "Work out by hand, for 9 tokens with `max_length=4` and `stride=4`: where does "
            "each window start, which tokens are its input and its target, and why is "
            "there no window starting at token 8?",
            "`__init__` encodes the whole text once, then loops over the start positions "
            "`i`, appending the input and the target (each `max_length` ids) as "
            "`torch.tensor`s to two lists; `__len__` and `__getitem__` read those lists.",
            "`for i in range(0, len(token_ids) - max_length, stride):` with the input "
            "`token_ids[i : i + max_length]` and the target "
            "`token_ids[i + 1 : i + max_length + 1]`.",
        ),
    )
)
