"""Exercises of notebook 01 (tokens): predict a split, change the pattern, count."""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import Any

from llmprep.course.exercises.answers import Wrong, as_float, as_int, as_str, describe
from llmprep.course.exercises.core import Exercise, register
from llmprep.simple import SPLIT_PATTERN, load_text, split_text

SENTENCE = "Mr. O'Neil's e-mail: don't re-use it!"

#: What the solutions may take for granted: the names of the notebook's first cells.
CONTEXT = """
import re
from llmprep import load_text, split_text
raw_text = load_text("the-verdict")
"""


@functools.cache
def _story() -> str:
    return load_text("the-verdict")


def _split(pattern: str | re.Pattern[str], text: str) -> list[str]:
    return [item for item in re.split(pattern, text) if item.strip()]


# ---- 01.1 -------------------------------------------------------------------------


def _judge_prediction(answer: Any, right: list[str]) -> str:
    if isinstance(answer, str) or not isinstance(answer, (list, tuple)):
        raise Wrong(f"expected a list of strings, one per token, got {describe(answer)}")
    tokens = [as_str(t, "strings in the list") for t in answer]
    if tokens == right:
        return (
            f"all {len(right)} tokens right. The pattern cuts at every `'` and `.`, so "
            f"`O'Neil` and `don't` fall apart, while `e-mail` and `re-use` stay whole "
            f"(a single `-` is not in the pattern): one pattern cannot know that `Mr.` "
            f"and `don't` are units."
        )
    if any(t and not t.strip() for t in tokens) or "" in tokens:
        raise Wrong(
            "your list has whitespace or empty strings: split_text drops both (`if item.strip()`)",
            diagnosis="whitespace-kept",
        )
    glued = [t for t in tokens if "'" in t and t != "'"]
    if glued:
        raise Wrong(
            f"{glued[0]!r} is one token in your list, but `'` is in the pattern: it is "
            f"cut out as a token of its own",
            diagnosis="apostrophe-kept",
        )
    if "-" in tokens:
        raise Wrong(
            "a single `-` is not in the pattern (only `--` is): `e-mail` stays one token",
            diagnosis="hyphen-split",
        )
    dotted = [t for t in tokens if t.endswith(".") and t != "."]
    if dotted:
        raise Wrong(
            f"{dotted[0]!r}: `.` is in the pattern, so it is a token of its own",
            diagnosis="dot-kept",
        )
    for k, (mine, theirs) in enumerate(zip(tokens, right, strict=False)):
        if mine != theirs:
            raise Wrong(f"token {k} is {theirs!r}, your list has {mine!r}")
    raise Wrong(f"split_text gives {len(right)} tokens, your list has {len(tokens)}")


register(
    Exercise(
        id="01.1",
        title="Predict the split",
        task=(
            f"Before you run anything: which tokens does `split_text` make of\n\n"
            f"`{SENTENCE}`\n\nWrite them as a list of strings, e.g. `['Mr', ...]`, then "
            f"check. Only then run `split_text` to see why."
        ),
        reference=lambda: split_text(SENTENCE),
        judge=_judge_prediction,
        answer_name="tokens",
        solution_code=f'tokens = split_text("{SENTENCE}")\ntokens',
        explanation=(
            "The pattern `([,.:;?_!\"()\\']|--|\\s)` cuts at each of those characters "
            "and at whitespace, and keeps them as tokens; `split_text` then drops "
            "whitespace. So `Mr.` becomes `Mr` `.`, `O'Neil's` becomes `O` `'` `Neil` "
            "`'` `s`, and `e-mail` stays whole because a single hyphen is not a "
            "separator. A tokenizer that knew English would keep `Mr.` and `O'Neil`; a "
            "regular expression cannot know which dots end sentences. Subword "
            "tokenizers (notebook 03) avoid the question."
        ),
        hints=(
            "Go through the pattern's alternatives: which characters of the sentence "
            "are in `[,.:;?_!\"()\\']`?",
            "`'` is a separator wherever it stands, also inside `O'Neil` and `don't`; "
            "`-` alone is not one.",
            "So `Mr.` is two tokens and `O'Neil's` five, while `e-mail` and `re-use` stay whole.",
        ),
    )
)


# ---- 01.2 -------------------------------------------------------------------------

HYPHEN_PATTERN = r'([,.:;?_!"()\']|--|-|\s)'


def _judge_hyphens(answer: Any, right: list[str]) -> str:
    pattern = answer.pattern if isinstance(answer, re.Pattern) else answer
    pattern = as_str(pattern, "a pattern, as a string like r'(...)'")
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise Wrong(f"this is not a valid regular expression: {error}") from None
    if compiled.groups == 0:
        raise Wrong(
            "your pattern has no capturing group, so re.split throws the separators away: "
            "wrap it in parentheses, `(...)`",
            diagnosis="no-capturing-group",
        )
    tokens = _split(compiled, _story())
    if tokens == right:
        return (
            f"the story now has {len(tokens):,} tokens (4,690 before) and "
            f"{len(set(tokens)):,} distinct ones: `luncheon-table` is "
            f"`luncheon` `-` `table`, and `--` is still one token."
        )
    if "--" not in tokens and "-" in tokens:
        raise Wrong(
            "`--` fell apart into two `-`: alternatives are tried left to right, so put "
            "`--` before `-` in the pattern",
            diagnosis="alternative-order",
        )
    if "-" not in tokens:
        joined = [t for t in tokens if "-" in t and t != "--"]
        raise Wrong(
            f"the hyphen is not a token yet ({joined[0]!r} is still one token): add `-` "
            f"as an alternative"
            if joined
            else "no `-` token appears: add `-` as an alternative, after `--`",
            diagnosis="hyphen-missing",
        )
    for k, (mine, theirs) in enumerate(zip(tokens, right, strict=False)):
        if mine != theirs:
            raise Wrong(
                f"your pattern also changes other tokens: token {k:,} of the story is "
                f"{mine!r}, expected {theirs!r}. Keep the book's pattern and add only `-`",
                diagnosis="pattern-changed",
            )
    raise Wrong(f"your pattern gives {len(tokens):,} tokens, expected {len(right):,}")


register(
    Exercise(
        id="01.2",
        title="Split hyphenated words",
        task=(
            "Change the book's pattern so that hyphenated words (`luncheon-table`) are "
            "split at the hyphen, keeping `-` as a token, while `--` stays one token. "
            "Give the pattern as a string."
        ),
        reference=lambda: _split(HYPHEN_PATTERN, _story()),
        judge=_judge_hyphens,
        answer_name="pattern",
        solution_code=(
            "pattern = r'([,.:;?_!\"()\\']|--|-|\\s)'\n"
            "tokens = [t for t in re.split(pattern, raw_text) if t.strip()]\nlen(tokens)"
        ),
        explanation=(
            "`-` is added as a new alternative *after* `--`: the regex engine tries "
            "alternatives from left to right at each position, so `--` is matched whole "
            "before a single `-` gets the chance."
        ),
        hints=(
            "Alternatives are separated by `|` inside the capturing group.",
            "Order matters: at `--`, whichever alternative comes first wins.",
            "Add `-` as one more alternative of the book's pattern, after `--` and before `\\s`.",
        ),
    )
)


# ---- 01.3 -------------------------------------------------------------------------


def _top10_share(tokens: list[str]) -> float:
    return sum(n for _, n in Counter(tokens).most_common(10)) / len(tokens)


def _judge_share(answer: Any, right: float) -> str:
    share = as_float(answer, "a fraction between 0 and 1")
    tokens = split_text(_story())
    if abs(share - right) < 0.005:
        return (
            f"{right:.1%}: ten tokens out of {len(set(tokens)):,} distinct ones make up "
            f"more than a quarter of the text. That is Zipf's law at work."
        )
    if abs(share - 100 * right) < 0.5:
        raise Wrong(
            f"{share} looks like a percentage: give the fraction, e.g. 0.25 for 25%",
            diagnosis="percentage",
        )
    top = sum(n for _, n in Counter(tokens).most_common(10))
    if abs(share - top) < 0.5:
        raise Wrong(
            f"{top:,} is how often the ten occur: divide by all {len(tokens):,} tokens",
            diagnosis="count-not-share",
        )
    if abs(share - _top10_share(split_text(_story(), keep_whitespace=True))) < 0.005:
        raise Wrong(
            "that is the share with whitespace tokens kept (the space alone is frequent); "
            "use the 4,690 tokens of split_text",
            diagnosis="whitespace-kept",
        )
    if abs(share - 10 / len(set(tokens))) < 0.001:
        raise Wrong(
            "that is 10 out of the distinct tokens; the question is what share of all "
            "4,690 tokens are occurrences of the ten most frequent",
            diagnosis="share-of-distinct",
        )
    raise Wrong(f"{share:.4f} is not it: count the occurrences of the ten most frequent tokens")


register(
    Exercise(
        id="01.3",
        title="How much do ten tokens cover?",
        task=(
            "What fraction of all 4,690 tokens of the story are occurrences of its 10 "
            "most frequent tokens? Give a number between 0 and 1."
        ),
        reference=lambda: _top10_share(split_text(_story())),
        judge=_judge_share,
        answer_name="share",
        solution_code=(
            "from collections import Counter\n\n"
            "tokens = split_text(raw_text)\n"
            "top10 = Counter(tokens).most_common(10)\n"
            "share = sum(n for _, n in top10) / len(tokens)\nshare"
        ),
        explanation=(
            "`Counter.most_common(10)` gives the ten most frequent tokens with their "
            "counts; their sum over the number of tokens is the share."
        ),
        hints=(
            "A share is a part over a whole. What is the part here (the ten tokens, "
            "counted how?), and what is the whole?",
            "`collections.Counter` counts how often each token occurs; its "
            "`most_common(10)` method gives the ten most frequent, each with its count.",
            "Add up the ten counts and divide by `len(tokens)`, all the tokens of "
            "`split_text(raw_text)`.",
        ),
    )
)


# ---- 01.4 -------------------------------------------------------------------------


def _judge_lower(answer: Any, right: int) -> str:
    n = as_int(answer)
    story = _story()
    if n == right:
        lost = len(set(split_text(story))) - right
        return (
            f"{right:,} distinct tokens, {lost} fewer. What is lost: whether a word "
            f"starts a sentence or is a name (`Jack` and `jack`, `HAD` and `had` are "
            f"now the same token)."
        )
    if n == len(set(split_text(story))):
        raise Wrong(
            "that is the count before lower-casing: apply `.lower()` to the text first",
            diagnosis="not-lowercased",
        )
    if n == len(set(re.split(SPLIT_PATTERN, story.lower()))):
        raise Wrong(
            "your count includes the empty string and the whitespace tokens of re.split's "
            "raw output: drop them with `if item.strip()`",
            diagnosis="empty-strings-kept",
        )
    if n == len(set(split_text(story.lower(), keep_whitespace=True))):
        raise Wrong(
            "your count includes `' '` and `'\\n'`: drop whitespace tokens",
            diagnosis="whitespace-kept",
        )
    raise Wrong(f"{n:,} is not it: lower-case the text, split it, count the distinct tokens")


register(
    Exercise(
        id="01.4",
        title="Lower-case first",
        task=(
            "Lower-case the story before splitting it with `split_text`. How many "
            "distinct tokens remain? Then think: what information did lower-casing lose?"
        ),
        reference=lambda: len(set(split_text(_story().lower()))),
        judge=_judge_lower,
        answer_name="n_distinct",
        solution_code="n_distinct = len(set(split_text(raw_text.lower())))\nn_distinct",
        explanation=(
            "Lower-casing merges `The` and `the`, `HAD` and `had` into one token each. The "
            "model can no longer tell a name from a word or see where sentences start, "
            "which is why GPT's tokenizer keeps case."
        ),
        hints=(
            "Lower-casing changes the text before it is cut. Which comes first, and how "
            "do you count distinct tokens rather than all of them?",
            "`raw_text.lower()` is the lower-cased story; `split_text` cuts it as before, "
            "and a `set` keeps each token once.",
            "`len(set(split_text(raw_text.lower())))`.",
        ),
    )
)
