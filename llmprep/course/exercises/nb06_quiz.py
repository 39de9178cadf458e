"""Questions of notebook 06 (positions): the shape of a broadcast sum, why positions are
added, and why nearby sinusoidal positions look alike. Every number in an explanation
is checked against the package in tests/test_exercise_questions.py."""

from __future__ import annotations

from llmprep.course.exercises.core import register
from llmprep.course.exercises.questions import Choice, question

register(
    question(
        id="06.6",
        title="(8, 4, 256) + (4, 256)",
        prompt=(
            "Token embeddings have the shape (8, 4, 256), position embeddings (4, 256). "
            "Which shape does `token_embeddings + pos_embeddings` have?"
        ),
        choices=[
            Choice(
                "None: the shapes differ, so adding them is an error.",
                "PyTorch broadcasts: it lines the shapes up from the right, (4, 256) "
                "matches the last two dimensions of (8, 4, 256), and the position table is "
                "repeated for each of the 8 windows.",
                "shapes-must-match",
            ),
            Choice(
                "(8, 4, 512): the position vectors are appended to the token vectors.",
                "Adding is element by element: each of the 256 numbers of a position vector "
                "is added to the number in the same place of the token vector. Nothing "
                "gets longer; `torch.cat` would append.",
                "added-is-concatenated",
            ),
            Choice(
                "(4, 256): the windows of the batch are summed up.",
                "The sum keeps every window of the batch: the (4, 256) table is added to "
                "each of the 8 windows, so the result still holds 8 of them.",
                "batch-summed",
            ),
            Choice(
                "(8, 4, 256): the same position vectors are added to each of the 8 windows.",
                "Broadcasting lines the shapes up from the right and repeats the "
                "(4, 256) table for each window: every window gets the same position "
                "vectors (step 4's picture).",
            ),
        ],
        answer="d",
        hints=(
            "Line the two shapes up from the right: which dimensions match, and which one "
            "is missing?",
            "Step 4's picture shows what PyTorch does with the missing dimension.",
        ),
    )
)

register(
    question(
        id="06.7",
        title="Why add positions at all?",
        prompt="Why does a GPT add a position vector to each token vector?",
        choices=[
            Choice(
                "The token ids already say where each token is; the position vectors only "
                "speed up training.",
                "An id says which token, never where: `' a'` is id 257 at position 2 and at "
                "position 3 of step 2's batch, and gets the same token vector both times.",
                "ids-hold-positions",
            ),
            Choice(
                "Self-attention on its own treats the input as a set: without positions, "
                "*dog bites man* and *man bites dog* give *dog* the same vector and the "
                "same tokens to look at.",
                "Attention compares every token with every other and sums over them, "
                "which ignores order. Adding a position vector makes `' a'` at position 2 "
                "differ from `' a'` at position 3 (step 4), so the order is written into "
                "the input.",
            ),
            Choice(
                "The causal mask already gives the order; positions are only needed for "
                "long texts.",
                "The mask changes what each token sees, but not enough: the last token of "
                "*dog bites man* and of *bites dog man* sees the same set of tokens, in no "
                "order. Positions are needed for every text.",
                "mask-gives-order",
            ),
            Choice(
                "To make each vector longer, so that it holds more information.",
                "Adding keeps the shape: (8, 4, 256) plus (4, 256) is (8, 4, 256). Nothing "
                "gets longer; each number gets a part that depends on the position.",
                "positions-lengthen",
            ),
        ],
        answer="b",
        hints=(
            "The notebook's first paragraph: what does self-attention see of the order of "
            "its input?",
            "Compare the vectors of `' a'` at positions 2 and 3 before and after step 4.",
        ),
    )
)

register(
    question(
        id="06.8",
        title="Why do nearby positions look alike?",
        prompt=(
            "In `sinusoidal_positions(64, 128)` the vectors of nearby positions are alike: "
            "the cosine similarity of positions 10 and 11 is 0.97, of 10 and 20 it is "
            "0.67. Why?"
        ),
        choices=[
            Choice(
                "Nearby positions usually hold similar words.",
                "The sinusoids depend on the position only, never on the token: the table "
                "is the same for every text.",
                "positions-from-words",
            ),
            Choice(
                "The table is learned, and training made neighbours alike.",
                "The sinusoidal table is fixed, computed from a formula; nothing in it is "
                "learned (and an untrained learned table shows no such structure).",
                "sinusoids-learned",
            ),
            Choice(
                "Each pair of dimensions is a clock turning at its own speed; from one "
                "position to the next the slow clocks hardly move, so most numbers stay "
                "almost the same.",
                "The pair (2i, 2i + 1) turns 10000^(-2i/d) radians per position: the "
                "first pairs change a lot, the last ones hardly at all over a few "
                "positions. So neighbours share most of their values, and the similarity "
                "falls (with ripples) as the distance grows: 0.97 one position apart, 0.67 "
                "ten apart.",
            ),
            Choice(
                "The position vectors are all scaled to length 1.",
                "They are not: each of the 64 pairs (sin, cos) has length 1, so a vector of "
                "128 numbers has length 8, at every position. And the same length says "
                "nothing about which positions are alike.",
                "normalised",
            ),
        ],
        answer="c",
        hints=(
            "What does one pair of dimensions do when the position grows by one?",
            "Step 5 calls each pair of dimensions a clock. Which clocks move much between "
            "two neighbouring positions?",
        ),
    )
)
