"""Questions of notebook 04 (data loader): a window's target, stride versus max_length,
and why the book trains with stride = max_length. Every number in an explanation is
checked against the package in tests/test_exercise_questions.py."""

from __future__ import annotations

from llmprep.course.exercises.core import register
from llmprep.course.exercises.questions import Choice, question

register(
    question(
        id="04.6",
        title="A window's target",
        prompt=(
            "In `TokenWindows(ids, max_length=4, stride=4)` the first window's input is "
            "`ids[0:4]`. What is its target?"
        ),
        choices=[
            Choice(
                "`ids[4:8]`, the next window.",
                "`ids[4:8]` is the input of the next window (the windows move by stride "
                "4). The target asks, at each of the 4 positions, which token comes next.",
                "target-next-window",
            ),
            Choice(
                "`ids[4]`, the one token after the window.",
                "That is the answer for the last position only. A window holds 4 "
                "questions: after `ids[0]` comes `ids[1]`, after `ids[0:2]` comes "
                "`ids[2]`, and so on; the target holds all 4 answers.",
                "one-target",
            ),
            Choice(
                "`ids[1:5]`: the same window shifted by one token.",
                "`y[i]` is the token that follows `x[: i + 1]`, so the target is the "
                "input moved one to the left: with the numbers 0, 1, 2, ... as ids, the "
                "input `[0, 1, 2, 3]` has the target `[1, 2, 3, 4]`.",
            ),
            Choice(
                "`ids[0:4]`, the input itself.",
                "Then every position would be asked for the token it already holds: "
                "nothing to learn. The target is the next token at each position.",
                "target-not-shifted",
            ),
        ],
        answer="c",
        hints=(
            "At each position of the window, what should the model predict?",
            "Step 2: `y[i]` is the token that follows `x[: i + 1]`.",
        ),
    )
)

register(
    question(
        id="04.7",
        title="Stride 2",
        prompt=(
            "With the numbers 0, 1, 2, ... as ids (step 3's trick), `max_length=4` and "
            "`stride=2`: which are the first two inputs?"
        ),
        choices=[
            Choice(
                "`[0, 1, 2, 3]` and `[2, 3, 4, 5]`",
                "`stride` is how far the window moves: each input starts 2 tokens "
                "after the one before and shares 2 of its 4 tokens with it. Their targets "
                "are `[1, 2, 3, 4]` and `[3, 4, 5, 6]`.",
            ),
            Choice(
                "`[0, 1, 2, 3]` and `[4, 5, 6, 7]`",
                "That is stride 4, as long as a window: the windows tile the numbers "
                "without overlap. Stride 2 moves each window by 2.",
                "stride-is-max-length",
            ),
            Choice(
                "`[0, 1]` and `[2, 3]`",
                "Those are windows of 2 tokens. `max_length` is how long a window is (4), "
                "`stride` how far it moves (2).",
                "stride-vs-max-length",
            ),
            Choice(
                "`[0, 1, 2, 3]` and `[1, 2, 3, 4]`",
                "`[1, 2, 3, 4]` is the first input's target (and, with stride 1, the second "
                "input). With stride 2 the second window starts at 2.",
                "input-and-target",
            ),
        ],
        answer="a",
        hints=(
            "Which of the two settings says how long a window is, and which how far it moves?",
            "The first window starts at 0. Where does the second one start?",
        ),
    )
)

register(
    question(
        id="04.8",
        title="Why stride = max_length?",
        prompt="The book trains with `stride` equal to `max_length`. Why?",
        choices=[
            Choice(
                "A smaller stride would lose the tokens between windows.",
                "A smaller stride loses nothing: it makes the windows overlap (stride 2 "
                "with windows of 4: 2 tokens shared). It is a stride larger than "
                "`max_length` that skips tokens.",
                "small-stride-loses",
            ),
            Choice(
                "The model cannot read windows that overlap.",
                "The model reads each window on its own and cannot tell whether two "
                "overlap; the book's exercise 2.2 uses stride 2. The reason is what the "
                "training as a whole sees.",
                "model-needs-no-overlap",
            ),
            Choice(
                "`DataLoader` requires it.",
                "`DataLoader` takes any dataset, and `create_dataloader_v1` accepts any "
                "stride from 1. It is a choice made for training, not a rule of the loader.",
                "dataloader-requires",
            ),
            Choice(
                "Then the windows do not overlap: each token is a target once per epoch, "
                "and no stretch of text is seen more often than the rest.",
                "With a smaller stride the same stretches of text come back in "
                "several windows: the model sees them more often than the rest and can "
                "start to memorise them, and an epoch costs more for no new text.",
            ),
        ],
        answer="d",
        hints=(
            "Draw windows of 4 over 9 tokens with stride 4 and with stride 1: how often is "
            "each token inside a window?",
            "The box after step 4's batches says what a smaller stride costs in training.",
        ),
    )
)
