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


def _judge_book_batch(answer: Any, right: tuple[Any, Any]) -> str:
    import torch

    inputs, targets = (
        as_tensor(a, "inputs and targets", token_ids=True)
        for a in as_pair(answer, "(inputs, targets)")
    )
    want_in, want_out = right
    if torch.equal(inputs, want_in) and torch.equal(targets, want_out):
        return (
            "with `max_length=8, stride=2` each window starts 2 tokens after the last and "
            "shares 6 of its 8 tokens with it: 4 times as many windows as `stride=8` would "
            "give, but far from independent samples. With `max_length=2, stride=2` the "
            "windows tile the text without overlap."
        )
    if inputs.shape != want_in.shape:
        if inputs.shape == want_in.T.shape:
            raise Wrong(
                f"shape {tuple(inputs.shape)} is transposed: a batch is (batch_size, max_length)",
                diagnosis="transposed",
            )
        raise Wrong(
            f"inputs have shape {tuple(inputs.shape)}, expected {tuple(want_in.shape)}: "
            f"batch_size=4 windows of max_length=8",
            diagnosis="batch-shape",
        )
    if torch.equal(inputs, want_out) and torch.equal(targets, want_in):
        raise Wrong(
            "inputs and targets are swapped: the loader yields (inputs, targets)",
            diagnosis="swapped",
        )
    if torch.equal(inputs, targets):
        raise Wrong(
            "the targets equal the inputs: a target is its input shifted by one token",
            diagnosis="target-not-shifted",
        )
    if torch.equal(inputs, _batch(8, 1)[0]):
        raise Wrong("these windows move by 1 token: set stride=2", diagnosis="stride-1")
    raise Wrong(
        "this is not the first batch", difference("max_length=8, stride=2", want_in, inputs)
    )


register(
    Exercise(
        id="book-2.2",
        title="Data loader intuition (the book's exercise 2.2)",
        task=(
            "Run `create_dataloader_v1(raw_text, batch_size=4, max_length=8, stride=2, "
            "shuffle=False)` and give its first batch as `(inputs, targets)`. Before you "
            "run it, predict: how many tokens does each window share with the next? "
            "Then try `max_length=2, stride=2` as well."
        ),
        reference=lambda: _batch(8, 2),
        judge=_judge_book_batch,
        answer_name="batch",
        solution_code=(
            "loader = create_dataloader_v1(raw_text, batch_size=4, max_length=8, stride=2, "
            "shuffle=False)\nbatch = next(iter(loader))\nbatch"
        ),
        explanation=(
            "`stride` is how far the window moves: with 8 tokens per window and a stride "
            "of 2, consecutive windows overlap by 6 tokens, so row 2 starts with row 1's "
            "third token. The targets are the inputs shifted by one."
        ),
        hints=(
            "A DataLoader is an iterable of batches. How do you take only the first item "
            "of an iterable, without a loop?",
            "Make the loader with the task's settings; `next(iter(loader))` is its first "
            "batch, a pair of (4, 8) tensors.",
            "`batch = next(iter(create_dataloader_v1(raw_text, batch_size=4, max_length=8, "
            "stride=2, shuffle=False)))`.",
        ),
    ),
    notebook="04",
)


# ---- 04.1 -------------------------------------------------------------------------

N_TOKENS, MAX_LENGTH, STRIDE = 1024, 256, 128


def _judge_window_count(answer: Any, right: int) -> str:
    n = as_int(answer, "a number of windows")
    if n == right:
        last = (right - 1) * STRIDE
        return (
            f"{right} windows, starting at 0, 128, ..., {last}. A window needs "
            f"max_length + 1 = {MAX_LENGTH + 1} tokens (its target reaches one further), "
            f"so one starting at {last + STRIDE} would need the token at index "
            f"{last + STRIDE + MAX_LENGTH}, but indices stop at {N_TOKENS - 1}."
        )
    if n == right + 1:
        raise Wrong(
            f"off by one: a window starting at {right * STRIDE} would need tokens up to "
            f"{right * STRIDE + MAX_LENGTH} for its last target, one more than the "
            f"{N_TOKENS} there are. A window needs max_length + 1 tokens",
            diagnosis="off-by-one",
        )
    if n == N_TOKENS // STRIDE:
        raise Wrong(
            f"{N_TOKENS} / {STRIDE} = {n} counts windows that run past the end: the last "
            f"window must fit whole, with its target",
            diagnosis="windows-past-the-end",
        )
    if n == right - 1:
        raise Wrong(
            "one window too few: the first window starts at 0 and counts too",
            diagnosis="one-too-few",
        )
    raise Wrong(f"{n} is not it: list the start positions 0, 128, 256, ... that still fit")


register(
    Exercise(
        id="04.1",
        title="How many windows?",
        task=(
            f"How many windows does `TokenWindows(enc_text[:{N_TOKENS}], max_length="
            f"{MAX_LENGTH}, stride={STRIDE})` have? Work it out by hand first (where does "
            f"each window start, and which is the last that fits?), then check with `len`."
        ),
        reference=lambda: len(range(0, N_TOKENS - MAX_LENGTH, STRIDE)),
        judge=_judge_window_count,
        answer_name="n_windows",
        solution_code=(
            f"n_windows = len(TokenWindows(enc_text[:{N_TOKENS}], max_length={MAX_LENGTH}, "
            f"stride={STRIDE}))\nn_windows"
        ),
        explanation=(
            f"Windows start at 0, {STRIDE}, {2 * STRIDE}, ... as long as the window and its "
            f"target fit: a window starting at s needs the tokens s .. s + {MAX_LENGTH} "
            f"(max_length + 1 of them), so s + {MAX_LENGTH} must be at most {N_TOKENS - 1}. "
            f"In the book's loop: `range(0, len(token_ids) - max_length, stride)`."
        ),
        hints=(
            f"List the start positions 0, {STRIDE}, {2 * STRIDE}, ... Which is the last "
            f"one whose window and target still fit in {N_TOKENS:,} tokens?",
            "A window starting at `s` uses tokens `s .. s + max_length` (its target "
            "included): `s + max_length` must be a valid index.",
            f"So `s + {MAX_LENGTH} <= {N_TOKENS - 1}`: the starts are "
            f"`range(0, {N_TOKENS} - {MAX_LENGTH}, {STRIDE})`; count them.",
        ),
    )
)


# ---- 04.2 -------------------------------------------------------------------------

WINDOW = 3


def _judge_pair(answer: Any, right: tuple[list[int], list[int]]) -> str:
    x, y = (as_int_list(a, "a window of ids") for a in as_pair(answer, "(input, target)"))
    want_x, want_y = right
    ids = list(_ids())
    if (x, y) == (want_x, want_y):
        return (
            f"window {WINDOW} starts at {WINDOW} x stride = {WINDOW * 2}: input "
            f"{want_x}, target {want_y}, the same ids moved one to the left. At each "
            f"position the target is the next token."
        )
    if len(x) != 4 or len(y) != 4:
        raise Wrong(
            f"input and target have max_length = 4 ids each, yours have {len(x)} and {len(y)}",
            diagnosis="window-length",
        )
    if x == y:
        raise Wrong(
            "the target equals the input: the target is the input shifted by one token",
            diagnosis="target-not-shifted",
        )
    if x == want_x and y == ids[WINDOW * 2 - 1 : WINDOW * 2 + 3]:
        raise Wrong(
            "the target is shifted the wrong way: it is the *next* token at each position",
            diagnosis="target-shifted-back",
        )
    starts = {s: ids[s : s + 4] for s in range(0, len(ids) - 4)}
    start = next((s for s, w in starts.items() if w == x), None)
    if start is not None and start != WINDOW * 2:
        raise Wrong(
            f"your input is the window starting at token {start}; window {WINDOW} starts at "
            f"{WINDOW} x stride = {WINDOW * 2} (windows count from 0)",
            diagnosis="window-start",
        )
    raise Wrong("not window 3", difference(f"window {WINDOW}", right, (x, y)))


register(
    Exercise(
        id="04.2",
        title="An input and its target",
        task=(
            f"Write down, as two lists of ids, the input and the target of window {WINDOW} "
            f"of `TokenWindows(enc_text, max_length=4, stride=2)` (windows count from 0), "
            f"using `enc_text` only, not the dataset. Then check with "
            f"`TokenWindows(...)[{WINDOW}]` and decode both with `tokenizer.decode`."
        ),
        reference=lambda: (list(_ids()[6:10]), list(_ids()[7:11])),
        judge=_judge_pair,
        answer_name="pair",
        solution_code=(
            "start = 3 * 2\n"
            "pair = (enc_text[start : start + 4], enc_text[start + 1 : start + 5])\npair"
        ),
        explanation=(
            "Window `k` starts at `k * stride`. Its input is the next `max_length` ids, its "
            "target the same ids shifted by one: `enc_text[s + 1 : s + max_length + 1]`."
        ),
        hints=(
            "Where does window 0 start, and window 1? How far does each window move?",
            "Window k starts at token k x stride; its input is the next max_length ids, "
            "and its target the same ids one further on.",
            "Window 3 starts at token 3 x 2 = 6: its input is `enc_text[6:10]`.",
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
    dropped, kept = (as_int(n, "a number of batches") for n in as_pair(answer, "two counts"))
    windows = len(range(0, len(_ids()) - 4, 4))
    if (dropped, kept) == right:
        return (
            f"{windows:,} windows make {right[0]} full batches of 8 and "
            f"{windows - 8 * right[0]} windows left over: `drop_last=True` drops that short "
            f"last batch, `drop_last=False` keeps it ({right[1]} batches)."
        )
    if (kept, dropped) == right:
        raise Wrong("swapped: drop_last=True gives the smaller count", diagnosis="swapped")
    if windows in (dropped, kept):
        raise Wrong(
            f"{windows:,} is the number of windows; a batch holds 8 of them",
            diagnosis="windows-not-batches",
        )
    raise Wrong(f"({dropped}, {kept}) is not it: `len(loader)` counts batches")


register(
    Exercise(
        id="04.3",
        title="drop_last",
        task=(
            "How many batches does `create_dataloader_v1(raw_text, batch_size=8, "
            "max_length=4, stride=4)` give with `drop_last=True`, and how many with "
            "`drop_last=False`? Give `(with_drop_last, without)`. Why might training "
            "prefer to drop the last batch?"
        ),
        reference=_batch_counts,
        judge=_judge_batches,
        answer_name="counts",
        solution_code=(
            "counts = tuple(len(create_dataloader_v1(raw_text, batch_size=8, max_length=4, "
            "stride=4, drop_last=d)) for d in (True, False))\ncounts"
        ),
        explanation=(
            "The windows fill whole batches of 8 with a few left over. A short last batch "
            "averages its loss over fewer windows, a noisier gradient step, so training "
            "loops usually drop it."
        ),
        hints=(
            "A batch holds 8 windows. How many windows are there, and what happens to "
            "those that do not fill a whole batch?",
            "`len(loader)` is the number of batches; make the loader twice, once with "
            "each value of `drop_last`.",
            "`tuple(len(create_dataloader_v1(raw_text, batch_size=8, max_length=4, "
            "stride=4, drop_last=d)) for d in (True, False))`.",
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
    n = as_int(answer, "an index")
    first = len(gpt2_encoding().encode(FIRST_TEXT))
    if n == right:
        return (
            f"index {right}: the first file's {first} tokens are at 0..{first - 1}, then "
            f"`<|endoftext|>` (50256), then the second file. A model trained on the file "
            f"learns that what follows 50256 starts something new."
        )
    if n == gpt2_encoding().encode_single_token(END_OF_TEXT):
        raise Wrong(
            "50256 is the separator's id; the question is where it stands (its index)",
            diagnosis="id-not-index",
        )
    newline = len(gpt2_encoding().encode(FIRST_TEXT + "\n")) - first  # "\n" is one token
    if n == right + newline:
        raise Wrong(
            "one more than the separator's index. If your first file ends with a newline "
            "(`print(..., file=f)` adds one, and so do many editors), that newline is a "
            "token too (198), and the separator moves one place on: write exactly the "
            "text given (`Path.write_text(text)` adds nothing). If it does not, remember "
            "that indices count from 0: the first file's N tokens are at 0 .. N-1, so the "
            "separator is at N",
            diagnosis="newline-or-off-by-one",
        )
    if n == right + len(gpt2_encoding().encode(FIRST_TEXT + "\r\n")) - first:
        raise Wrong(
            f"{n - right} more than the separator's index: does your first file end with a "
            f"Windows line end, `\\r\\n`? Those are two tokens (201 and 198): write exactly "
            f"the text given, with no line end",
            diagnosis="newline-or-off-by-one",
        )
    raise Wrong(f"{n} is not it: `np.flatnonzero(tokens == 50256)` finds it")


register(
    Exercise(
        id="04.4",
        title="Where one document ends",
        task=(
            f"Write `{FIRST_TEXT}` and `{SECOND_TEXT}` into two files, prepare a token file "
            f"from both (`prepare_token_file([...], folder)`), open it with `open_tokens` "
            f"and give the index of the `<|endoftext|>` (id 50256) between them. Write "
            f"exactly these characters, with no newline at the end."
        ),
        reference=_separator_index,
        judge=_judge_separator,
        answer_name="index",
        solution_code=(
            "folder = Path(tempfile.mkdtemp())\n"
            f'(folder / "first.txt").write_text("{FIRST_TEXT}")\n'
            f'(folder / "second.txt").write_text("{SECOND_TEXT}")\n'
            'prepare_token_file([folder / "first.txt", folder / "second.txt"], folder / "corpus",\n'
            "                   progress=False)\n"
            'tokens = open_tokens(folder / "corpus")\n'
            "index = int(np.flatnonzero(tokens == 50256)[0])\nindex"
        ),
        explanation=(
            "`prepare` writes the first file's ids, then 50256, then the second file's: "
            "the separator's index is the number of tokens of the first file."
        ),
        hints=(
            "The token file holds the first file's ids, then the separator, then the "
            "second file's. How many ids come before the separator?",
            "`open_tokens` gives a NumPy array; `tokens == 50256` is True where the "
            "separator stands.",
            "`int(np.flatnonzero(tokens == 50256)[0])` is the index of the first 50256.",
        ),
    )
)
