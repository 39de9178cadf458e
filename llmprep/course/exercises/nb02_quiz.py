"""Questions of notebook 02 (vocabulary): why a padding token, whether a bigger text ever
leaves no unknown words, and why the vocabulary is sorted. Every number in an
explanation is checked against the package in tests/test_exercise_questions.py."""

from __future__ import annotations

from llmprep.course.exercises.core import register
from llmprep.course.exercises.questions import Choice, question

register(
    question(
        id="02.6",
        title="Why a padding token?",
        prompt=(
            "Exercise 02.3 added `<|pad|>` to the vocabulary. Why might a batch of "
            "sentences of different lengths need a padding token?"
        ),
        choices=[
            Choice(
                "To mark words that are not in the vocabulary.",
                "That is the job of `<|unk|>` (id 1,131 in the story's vocabulary): it "
                "stands for a word that is there but unknown. Padding fills positions where "
                "there is no word at all.",
                "pad-is-unk",
            ),
            Choice(
                "To separate two documents in the training stream.",
                "That is `<|endoftext|>` (id 1,130): it sits between two documents. "
                "Padding is about the shape of a batch, not about where a text ends.",
                "pad-is-endoftext",
            ),
            Choice(
                "So that the model learns what `<|pad|>` means, like any other word.",
                "Padding means nothing, and the padded positions are kept out of the loss, "
                "so the model learns nothing from them. That is why GPT-2 can pad with "
                "`<|endoftext|>`: what fills the padded positions does not matter.",
                "pad-is-learned",
            ),
            Choice(
                "A batch is one tensor, so its rows need one length: shorter sentences are "
                "filled up with padding, and the padded positions are left out of the loss.",
                "A tensor is rectangular, so sentences of 5 and 9 tokens cannot "
                "share a batch as they are: the short one is filled up to 9. The padded "
                "positions are masked out of the loss. GPT-2 has no padding token and uses "
                "`<|endoftext|>` for it.",
            ),
        ],
        answer="d",
        hints=(
            "A batch is one tensor. What must be true of the lengths of its rows?",
            "`<|unk|>` and `<|endoftext|>` already have jobs of their own; what is left to "
            "do for a batch of a 5-token and a 9-token sentence?",
        ),
    )
)

register(
    question(
        id="02.7",
        title="Will a bigger text know every word?",
        prompt=(
            "In step 4, the more of the story the vocabulary is built from, the fewer tokens "
            "of its last fifth are unknown. Will a bigger training text ever leave no "
            "unknown words?"
        ),
        choices=[
            Choice(
                "Yes: with enough text, every word appears at least once.",
                "The curve flattens but does not reach 0: with four fifths of the story, "
                "12.7% of the last fifth is still unknown. Names, typos and new words keep "
                "coming, in any amount of text.",
                "enough-text",
            ),
            Choice(
                "No: names, typos and new words keep coming, so a vocabulary of whole words "
                "never covers everything; notebook 03's BPE spells unknown words in known "
                "pieces instead.",
                "Most distinct words are rare (697 of the story's 1,130 distinct "
                "tokens occur once), so every new text brings new ones. A word vocabulary "
                "cannot win this race; byte-pair encoding sidesteps it, because every text "
                "is a sequence of known bytes.",
            ),
            Choice(
                "Yes, if everything is lower-cased first.",
                "Lower-casing helps a little: exercise 02.2 finds 12.2% unknown instead of "
                "12.7%. Most unknown tokens are new words, not new spellings of known ones.",
                "lowercase-fixes-it",
            ),
            Choice(
                "It does not matter: `<|unk|>` makes every word known.",
                "`<|unk|>` stops `SimpleTokenizerV2` from failing, but the word is lost: "
                "`Hello` and `palace` both become id 1,131, and decoding gives `<|unk|>` "
                "back for both.",
                "unk-makes-known",
            ),
        ],
        answer="b",
        hints=(
            "Look at how the unknown share falls as the vocabulary grows: is the curve "
            "heading for 0?",
            "Notebook 01 counted how many of the story's distinct tokens occur only once.",
        ),
    )
)

register(
    question(
        id="02.8",
        title="Why sort the vocabulary?",
        prompt="Step 1 sorts the distinct tokens before numbering them. Why?",
        choices=[
            Choice(
                "So that frequent words get small ids.",
                "Sorting is by code point, not by frequency: `!` gets id 0, and `the`, the "
                "most frequent word, gets id 988.",
                "sorted-by-frequency",
            ),
            Choice(
                "Because the model needs similar words to have nearby ids.",
                "An id is only a row number: nothing is learned from 5 being next to 6. "
                "The meaning is in the vector that an embedding layer learns for each id "
                "(notebook 05).",
                "ids-carry-meaning",
            ),
            Choice(
                "So that the same text always gives the same ids: a `set`'s order can "
                "change from one run of Python to the next.",
                "Python randomises the hashes of strings in every new process, so "
                "iterating over a `set` of tokens may give another order each time. Sorting "
                "fixes the order, so that a saved vocabulary and a model trained with it "
                "keep agreeing.",
            ),
            Choice(
                "Because `enumerate` only works on sorted lists.",
                "`enumerate` numbers the items of any iterable, sorted or not. It is the "
                "order of the ids that sorting fixes.",
                "enumerate-needs-sorted",
            ),
        ],
        answer="c",
        hints=(
            "What could change if you ran the same cell tomorrow, in a new kernel, without "
            "`sorted`?",
            "A `set` has no order of its own, and Python may iterate over it differently in "
            "each new process.",
        ),
    )
)
