"""Questions of notebook 03 (BPE): why BPE needs no unknown token, which pair encoding
merges first, and what a bigger vocabulary does to the length of a text. Every number
in an explanation is checked against the package in tests/test_exercise_questions.py."""

from __future__ import annotations

from llmprep.course.exercises.core import register
from llmprep.course.exercises.questions import Choice, question

register(
    question(
        id="03.6",
        title="Why no unknown token?",
        prompt=(
            "GPT-2's tokenizer encodes `Akwirw ier`, two made-up words, without any "
            "`<|unk|>`. Why does it never need an unknown token?"
        ),
        choices=[
            Choice(
                "Its 50,257 tokens contain every English word.",
                "50,257 tokens are far fewer than the words of English, and `Akwirw` is in "
                "no dictionary: GPT-2 spells it `Ak|w|ir|w`, with pieces it has.",
                "every-word-a-token",
            ),
            Choice(
                "It replaces an unknown word by the most similar word it knows.",
                "BPE never replaces anything: `decode(encode(text))` gives the text back "
                "exactly, made-up words included.",
                "replaces-unknown",
            ),
            Choice(
                "It starts from the 256 bytes: any text is a sequence of bytes, so a word "
                "without a token of its own is spelled with smaller tokens, down to single "
                "bytes.",
                "Each of the 256 byte values is a token, so nothing can be unknown. "
                "`Akwirw ier` becomes `Ak|w|ir|w| |ier`, six known tokens, and decoding them "
                "gives the words back.",
            ),
            Choice(
                "It has an unknown token too: id 50256.",
                "50256 is `<|endoftext|>`, the separator between documents. GPT-2 has no "
                "token for unknown words because it needs none.",
                "endoftext-is-unk",
            ),
        ],
        answer="c",
        hints=(
            "Where does BPE's vocabulary start, before it learns any merge?",
            "Step 3: every text is a sequence of bytes. How many byte values are there, "
            "and which of them are tokens?",
        ),
    )
)

register(
    question(
        id="03.7",
        title="Which pair merges first?",
        prompt=(
            "When GPT-2 encodes a piece such as `b' hello'`, which adjacent pair does it "
            "merge first?"
        ),
        choices=[
            Choice(
                "The pair of lowest rank, the merge learned earliest, wherever it is in the piece.",
                "In `b' hello'` the pairs' ranks are `b' h'` 289, `b'he'` 258, "
                "`b'el'` 417, `b'll'` 297 and `b'lo'` 5439: `b'he'` merges first, though "
                "`b' h'` comes first in the piece. A rank is the order in which training "
                "learned the merges.",
            ),
            Choice(
                "The pair that occurs most often in the piece.",
                "Frequency decided the ranks during training, counted over all of the "
                "training text. Encoding counts nothing: it looks up the rank of each "
                "adjacent pair.",
                "frequency-at-encoding",
            ),
            Choice(
                "The leftmost pair that has a rank.",
                "The position does not decide: in `b' hello'`, `b' h'` comes first, but "
                "`b'he'` has the lower rank (258 against 289) and merges first.",
                "left-to-right",
            ),
            Choice(
                "The pair of highest rank, which makes the longest token.",
                "The highest ranks are the last merges training learned, built from "
                "earlier ones: they can only apply once their parts exist. Encoding "
                "follows the order of learning.",
                "highest-rank-first",
            ),
        ],
        answer="a",
        hints=(
            "Training decides the order of the merges, and encoding only follows it. Which "
            "number records that order?",
            "Look up the ranks of the pairs of `b' hello'` in `tokenizer._mergeable_ranks`.",
        ),
    )
)

register(
    question(
        id="03.8",
        title="Twice the vocabulary, half the tokens?",
        prompt=(
            "Step 6 trains tokenizers of several sizes on the story. What happens to the "
            "number of tokens the story needs when the vocabulary doubles from 1,000 to "
            "2,000 tokens?"
        ),
        choices=[
            Choice(
                "It halves: twice the tokens, half the length.",
                "From 1,000 to 2,000 tokens the story goes from 6,999 to 5,555 tokens: 21% "
                "fewer, not half.",
                "halves",
            ),
            Choice(
                "It stays the same: the new tokens are rare words that hardly occur.",
                "It falls, from 6,999 to 5,555 tokens: the new merges are rarer than the "
                "first ones, but each still joins a pair that occurs in the text.",
                "no-change",
            ),
            Choice(
                "It grows, because the new tokens are longer.",
                "Longer tokens cover more text each, so fewer of them are needed: 6,999 "
                "tokens become 5,555.",
                "grows",
            ),
            Choice(
                "It falls, but far less than by half: each new merge joins a rarer pair "
                "than the one before.",
                "6,999 tokens become 5,555 (21% fewer). The first merges join the "
                "most frequent pairs and shorten the text most; the later ones join rarer "
                "pairs, so each saves less.",
            ),
        ],
        answer="d",
        hints=(
            "Each merge replaces every occurrence of one pair by one token. Are the later "
            "merges' pairs more or less frequent than the first ones?",
            "Step 6's `lengths` lists the story's length for each vocabulary size.",
        ),
    )
)
