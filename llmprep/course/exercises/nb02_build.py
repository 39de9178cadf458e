"""Exercise 02.5 of notebook 02: the book's SimpleTokenizerV1, written by the learner and
run beside llmprep's on hundreds of texts from the story, shortest first.

``encode`` must give llmprep's ids. ``decode`` must give text that encodes to the same
ids, spaced the way the task says: the book's rule (a space between tokens, none before
punctuation) or llmprep's ``join_tokens``.
"""

from __future__ import annotations

import functools
import random
import re
from typing import Any

from llmprep.course.exercises.answers import Wrong, describe, difference
from llmprep.course.exercises.core import Exercise, register
from llmprep.course.exercises.sandbox import call
from llmprep.simple import SimpleTokenizerV1, build_vocab, join_tokens, load_text, split_text

#: No space before these in the book's decode (its `re.sub(r'\s+([,.?!"()\'])', ...)`).
BOOK_PUNCTUATION = frozenset(",.?!\"()'")
#: A learner's punctuation set may also hold these (the split pattern has them).
EITHER = frozenset(":;_")


@functools.cache
def _story() -> str:
    return load_text("the-verdict")


@functools.cache
def _tokens() -> tuple[str, ...]:
    return tuple(split_text(_story()))


# ---- 02.5: build SimpleTokenizerV1 ------------------------------------------------


def _tokenizer_cases() -> list[str]:
    """Texts every word of which is in the story's vocabulary, shortest first."""
    story, rng = _story(), random.Random(2)
    marks = [m for m in ",.:;?_!\"()'" if m in story] + ["--"]
    cases = [*marks, "I", "Jack", "genius--though", "pride.", "Mrs. Gisburn"]
    starts = [m.end() for m in re.finditer(r"\s+", story)]
    for size in range(1, 60):  # spans of real text, cut at whitespace
        for _ in range(3):
            k = rng.randrange(len(starts) - 1)
            end = next((s for s in starts[k + 1 :] if s - starts[k] >= 5 * size), len(story))
            cases.append(story[starts[k] : end].strip())
    words = sorted(set(_tokens()))
    for size in range(1, 40):  # words and punctuation with odd whitespace between them
        chosen = rng.sample(words, size)
        gaps = [rng.choice([" ", "  ", "\n", "\t", " \n "]) for _ in chosen]
        cases.append("".join(w + g for w, g in zip(chosen, gaps, strict=True)).strip())
    return sorted({c for c in cases if c}, key=lambda c: (len(c), c))


def _tokenizer_mistake(error: BaseException) -> str | tuple[str, str]:
    key = error.args[0] if isinstance(error, KeyError) and error.args else None
    if isinstance(key, str) and not key.strip():
        return (
            f"your encode looked up {key!r}: drop whitespace and empty strings "
            f"(`if item.strip()`) before looking tokens up",
            "whitespace-kept",
        )
    if isinstance(key, str) and len(key) > 1 and key[-1] in ":;":
        return (
            f"your encode looked up {key!r}: your pattern does not split off `{key[-1]}` "
            f"(the book's first printing left out `:` and `;`)",
            "first-printing-pattern",
        )
    return f"your encode raised {type(error).__name__}: {error}"


def _decode_mistake(error: BaseException) -> str | tuple[str, str]:
    key = error.args[0] if isinstance(error, KeyError) and error.args else None
    if isinstance(key, int):
        return (
            f"your decode has no token for id {key}: `int_to_str` should map every id of "
            f"the vocabulary back to its token, `{{i: s for s, i in vocab.items()}}`",
            "inverse-vocabulary",
        )
    return f"your decode raised {type(error).__name__}: {error}"


def _book_decode(tokens: list[str]) -> str:
    return re.sub(r'\s+([,.?!"()\'])', r"\1", " ".join(tokens))


def _spacing_mistake(tokens: list[str], decoded: str) -> tuple[str, str] | None:
    """Where decoded text breaks the book's spacing rule: one space before each token,
    none before punctuation (None if it keeps it, or if it is llmprep's join_tokens)."""
    text = decoded.strip()
    if text == join_tokens(tokens):
        return None
    pos = 0
    for k, token in enumerate(tokens):
        start = pos
        while pos < len(text) and text[pos].isspace():
            pos += 1
        gap = text[start:pos]
        if not text.startswith(token, pos):
            return None  # not the tokens in order: another check says so
        shown = f"{tokens[k - 1] if k else ''}{gap}{token}"
        pos += len(token)
        if k == 0 or (token in EITHER and gap in ("", " ")):
            continue
        if token in BOOK_PUNCTUATION and gap:
            return (
                f"your decode puts a space before {token!r} ({shown!r}): the book's rule "
                f"removes the space before `, . ? ! \" ( ) '`",
                "space-before-punctuation",
            )
        if token not in BOOK_PUNCTUATION and gap != " ":
            if gap:
                return (
                    f"your decode puts {gap!r} between {tokens[k - 1]!r} and {token!r}: "
                    f"one space between tokens, as the book joins them",
                    "extra-whitespace",
                )
            return (
                f"your decode glues {token!r} to the token before it ({shown!r}): every "
                f"token but punctuation gets one space before it (the book joins with "
                f"spaces, then removes only the space before `, . ? ! \" ( ) '`)",
                "glued-tokens",
            )
    return None


def _judge_tokenizer(candidate: Any, right: Any) -> str:
    vocab, cases = right
    reference = SimpleTokenizerV1(vocab)
    if not callable(candidate):
        raise Wrong(f"expected your tokenizer class, got {describe(candidate)}")
    mine = call(candidate, dict(vocab), what="creating your tokenizer with the vocabulary")
    for name in ("encode", "decode"):
        if not callable(getattr(mine, name, None)):
            raise Wrong(f"your tokenizer has no method `{name}`")
    for text in cases:
        want = reference.encode(text)
        got = call(mine.encode, text, what="your encode", explain=_tokenizer_mistake)
        try:
            got = [int(i) for i in got]
        except (TypeError, ValueError):
            raise Wrong(
                f"encode should return a list of ids, got {describe(got)}",
                difference(text, want, got),
            ) from None
        if got != want:
            raise Wrong("encode gives other ids than llmprep's", difference(text, want, got))
    for text in cases:
        ids = reference.encode(text)
        decoded = call(mine.decode, ids, what="your decode", explain=_decode_mistake)
        if not isinstance(decoded, str):
            raise Wrong(f"decode should return a str, got {describe(decoded)}")
        unknown = [t for t in split_text(decoded) if t not in vocab]
        if unknown:
            raise Wrong(
                f"decode's text has the token {unknown[0]!r}, which is not in the "
                f"vocabulary: were two tokens glued together, or one changed?",
                difference(ids, text, decoded, what="ids"),
                diagnosis="decode-changes-tokens",
            )
        again = reference.encode(decoded)
        if again != ids:
            raise Wrong(
                "encoding decode's text again does not give the same ids",
                difference(ids, text, decoded, what="ids"),
                diagnosis="decode-changes-tokens",
            )
        spacing = _spacing_mistake(split_text(text), decoded)
        if spacing is not None:
            message, diagnosis = spacing
            raise Wrong(
                message,
                difference(ids, _book_decode(split_text(text)), decoded, what="ids"),
                diagnosis=diagnosis,
            )
    try:
        unknown = mine.encode("Akwirw ier")
    except Exception:  # V1 has no id for an unknown word: any error is right
        pass
    else:
        raise Wrong(
            f"encode('Akwirw ier') returned {unknown!r}, but these words are not in the "
            f"vocabulary: V1 should raise KeyError (V2 is the one with `<|unk|>`)",
            diagnosis="unknown-word-accepted",
        )
    return (
        f"encode gives llmprep's ids on all {len(cases)} texts (shortest first), and "
        f"decode gives text that encodes to the same ids, spaced by the book's rule (or "
        f"by `join_tokens`). The spaces are still a guess: the book writes `genius -- "
        f"though` where the story has `genius--though`, which is why step 6 keeps the "
        f"whitespace."
    )


register(
    Exercise(
        id="02.5",
        title="Build it yourself: SimpleTokenizerV1",
        task=(
            "Write the book's `SimpleTokenizerV1`: a class created with a vocabulary "
            "(token -> id), with `encode(text) -> list of ids` (split with the book's "
            "pattern, drop whitespace, look each token up) and `decode(ids) -> text` "
            "(look each id up, join the tokens with one space between them, and remove "
            "the space before `, . ? ! \" ( ) '`, as the book does). The check runs your "
            "class and llmprep's side by side on hundreds of texts and shows the "
            "shortest one where they differ."
        ),
        reference=lambda: (build_vocab(_tokens()), _tokenizer_cases()),
        judge=_judge_tokenizer,
        answer_name="MySimpleTokenizerV1",
        solution_code="""
class MySimpleTokenizerV1:
    def __init__(self, vocab):
        self.str_to_int = vocab
        self.int_to_str = {i: s for s, i in vocab.items()}

    def encode(self, text):
        preprocessed = re.split(r'([,.:;?_!"()\\']|--|\\s)', text)
        preprocessed = [item.strip() for item in preprocessed if item.strip()]
        return [self.str_to_int[s] for s in preprocessed]

    def decode(self, ids):
        text = " ".join([self.int_to_str[i] for i in ids])
        return re.sub(r'\\s+([,.?!"()\\'])', r"\\1", text)
""",
        explanation=(
            "This is the book's listing 2.3. `encode` is notebook 01's split plus a "
            "lookup; `decode` joins with spaces and removes the space before "
            "punctuation, a guess that `join_tokens` refines."
        ),
        hints=(
            "`__init__` needs the vocabulary in both directions: token -> id for encode, "
            "and id -> token for decode. Which of the two does the vocabulary already give "
            "you?",
            "encode is notebook 01's split (the pattern, then drop whitespace) followed "
            "by a lookup in `self.str_to_int`; decode looks each id up in "
            '`self.int_to_str`, joins with `" "`, then `re.sub` removes the space '
            "before punctuation.",
            "`self.int_to_str = {i: s for s, i in vocab.items()}`; in decode, "
            "`re.sub(r'\\s+([,.?!\"()\\'])', r'\\1', text)`.",
        ),
    )
)
