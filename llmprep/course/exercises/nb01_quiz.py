"""Questions of notebook 01 (tokens): what lower-casing loses, where re.split's empty
strings come from, and whether GPT-2 drops spaces. Every number in an explanation is
checked against the package in tests/test_exercise_questions.py."""

from __future__ import annotations

from llmprep.course.exercises.core import register
from llmprep.course.exercises.questions import Choice, question

register(
    question(
        id="01.5",
        title="What lower-casing loses",
        prompt=(
            "Exercise 01.4 lower-cased the story before splitting it, and its 1,130 "
            "distinct tokens became 1,076. What information did lower-casing lose?"
        ),
        choices=[
            Choice(
                "Nothing: `The` and `the` are the same word, so the model loses nothing.",
                "They are the same word, but not the same information: a capital marks "
                "where a sentence starts and which words are names. Lower-cased, a name "
                "such as `Jack` would become one token with the word `jack`, and the model "
                "could no longer see where a sentence begins.",
                "case-carries-nothing",
            ),
            Choice(
                "Where sentences start and which words are names: `The` and `the`, `HAD` "
                "and `had` become one token each.",
                "54 distinct tokens disappear (1,130 become 1,076) because the "
                "capitalised and the lower-case spellings merge. The capital was "
                "information: the start of a sentence, a name (`Jack Gisburn`), emphasis "
                "(`I HAD always`). GPT's tokenizer keeps case for that reason.",
            ),
            Choice(
                "The punctuation: `lower()` removes `.` and `,`.",
                "`str.lower()` changes letters only. `.` and `,` have no case: they stay in "
                "the text, and `split_text` still cuts them out as tokens of their own.",
                "lower-removes-punctuation",
            ),
            Choice(
                "Nothing that matters: `.upper()` can bring the capitals back afterwards.",
                "`.upper()` makes every letter a capital: `the` becomes `THE`, not `The`. "
                "Which letters were capitals is exactly what lower-casing threw away, so no "
                "function can bring it back.",
                "lower-is-reversible",
            ),
        ],
        answer="b",
        hints=(
            "Compare `The` at the start of a sentence with `the` in the middle of one: what "
            "does the capital tell a reader?",
            "Look at the story's first line, `I HAD always thought Jack Gisburn ...`: what "
            "do its capitals mark?",
        ),
    )
)

register(
    question(
        id="01.6",
        title="Where the empty strings come from",
        prompt=(
            "`re.split(r'([,.]|\\s)', 'Hello, world.')` returns `['Hello', ',', '', ' ', "
            "'world', '.', '']`. Where do the empty strings `''` come from?"
        ),
        choices=[
            Choice(
                "The capturing group `(...)` adds an empty string for every match.",
                "The group makes `re.split` keep each separator as an item of its own. The "
                "empty strings come without it too: `re.split(r'[,.]|\\s', 'Hello, "
                "world.')` gives `['Hello', '', 'world', '']`.",
                "group-makes-empties",
            ),
            Choice(
                "They are the spaces, shown as empty strings.",
                "A space is `' '`, and it is in the list as an item of its own. `''` has "
                "length 0: it holds nothing at all.",
                "empty-is-space",
            ),
            Choice(
                "`re.split` returns the text between two separators: between `,` and the "
                "space after it there is none, and none after the final `.`.",
                "The list alternates text and separators: text, separator, text, "
                "... Where two separators touch (`,` then `' '`), the text between them is "
                "`''`; after a separator at the very end (`.`), the text that follows is "
                "`''` too. `if item.strip()` drops them.",
            ),
            Choice(
                "The sentence ends with an invisible newline.",
                "`'Hello, world.'` has no newline: its last character is `.`. The last "
                "`''` is the (empty) text after that final separator.",
                "hidden-newline",
            ),
        ],
        answer="c",
        hints=(
            "`re.split` returns pieces of text with the separators between them. What is "
            "there between `,` and the space that follows it?",
            "Count along the list: text, separator, text, separator, ... It alternates, "
            "even where a piece of text is empty.",
        ),
    )
)

register(
    question(
        id="01.7",
        title="Does GPT drop spaces too?",
        prompt="`split_text` drops whitespace. Does GPT-2's tokenizer drop spaces too?",
        choices=[
            Choice(
                "No: it keeps them, mostly glued to the start of the next word (`' world'` "
                "is one token).",
                "GPT-2's tokens carry their leading space: `' world'` is one token "
                "(id 995), so a space costs almost nothing, and decoding gives the text "
                "back exactly. Notebook 03 shows how.",
            ),
            Choice(
                "Yes: every tokenizer drops whitespace; the model does not need it.",
                "GPT-2 keeps every space: decoding its ids gives back the text exactly, "
                "spaces and newlines included (notebook 03). A model that never saw spaces "
                "could not write them either.",
                "spaces-dropped",
            ),
            Choice(
                "No: it keeps each space as a token of its own, like `keep_whitespace=True`.",
                "That would nearly double the length: with whitespace kept the story is "
                "8,405 tokens instead of 4,690. GPT-2 keeps spaces more cheaply (step 7 "
                "says how).",
                "space-tokens",
            ),
        ],
        answer="a",
        hints=(
            "Step 7 says how subword tokenizers keep spaces without paying for them.",
            "In notebook 03 you can try `tokenizer.encode(' world')` and count the ids.",
        ),
    )
)
