"""Exercises of notebook 02 (vocabulary): build a vocabulary, unknown words, special
tokens, a lossless decode, and SimpleTokenizerV1 written by the learner."""

from __future__ import annotations

import functools
import re
from typing import Any

from llmprep.course.exercises.answers import Wrong, as_float, as_int, describe, difference
from llmprep.course.exercises.core import Exercise, register
from llmprep.course.exercises.sandbox import call
from llmprep.simple import (
    SPECIAL_TOKENS,
    SPLIT_PATTERN,
    SimpleTokenizerV2,
    build_vocab,
    load_text,
    split_text,
)

CONTEXT = """
import re
from llmprep import SPECIAL_TOKENS, SimpleTokenizerV2, build_vocab, load_text, split_text
raw_text = load_text("the-verdict")
preprocessed = split_text(raw_text)
tokens_ws = split_text(raw_text, keep_whitespace=True)
vocab_ws = build_vocab(tokens_ws, special_tokens=SPECIAL_TOKENS)
tokenizer_ws = SimpleTokenizerV2(vocab_ws, keep_whitespace=True)
"""

#: The pattern of the book's first printing: no ":" or ";" (4,649 tokens, 1,159 distinct).
OLDER_PATTERN = r'([,.?_!"()\']|--|\s)'


@functools.cache
def _story() -> str:
    return load_text("the-verdict")


@functools.cache
def _tokens() -> tuple[str, ...]:
    return tuple(split_text(_story()))


# ---- 02.1 -------------------------------------------------------------------------


def _size_mistakes() -> dict[int, tuple[str, str]]:
    """Vocabulary sizes learners arrive at, and the mistake behind each (its message and
    its diagnosis)."""
    story, n_special = _story(), len(SPECIAL_TOKENS)
    older = {t for t in re.split(OLDER_PATTERN, story) if t.strip()}
    raw = set(re.split(SPLIT_PATTERN, story))
    words = len(set(_tokens()))
    whitespace = sorted(t for t in raw if t and not t.strip())
    empty = (
        f"{len(raw):,} = {words:,} words + {' + '.join(repr(t) for t in whitespace)} + '' "
        f"(the empty string): the vocabulary was built from re.split's raw output, which "
        f"keeps whitespace and the empty strings between adjacent separators. Drop them "
        f"with `if item.strip()`",
        "empty-strings-kept",
    )
    old = (
        f"{len(older):,} distinct tokens come from the book's first-printing pattern "
        f"without `:` and `;` ({sum(1 for t in re.split(OLDER_PATTERN, story) if t.strip()):,} "
        f"tokens), so words like 'him:' stay glued to their colon. Use "
        f"`{SPLIT_PATTERN.pattern}`",
        "first-printing-pattern",
    )
    return {
        len(older): old,
        len(older) + n_special: old,
        len(raw): empty,
        len(raw) + n_special: empty,
        words: (
            f"{words:,} is right for the words alone: add `<|endoftext|>` and `<|unk|>`",
            "special-tokens-missing",
        ),
        words + len(whitespace) + n_special: (
            "your vocabulary has whitespace tokens (`' '`, `'\\n'`): build it from tokens "
            "with whitespace dropped",
            "whitespace-kept",
        ),
    }


def _judge_vocab(answer: Any, right: dict[str, int]) -> str:
    if not isinstance(answer, dict):
        n = as_int(answer, "the vocabulary: a dict from token to id")
        if n == len(right):
            raise Wrong(f"{n:,} is the right size; now give the dict itself, token -> id")
        message, diagnosis = _size_mistakes().get(n, (f"{n:,} entries is not it", None))
        raise Wrong(message, diagnosis=diagnosis)
    bad = [k for k, v in answer.items() if not isinstance(k, str) or isinstance(v, bool)]
    if bad or not all(isinstance(v, int) for v in answer.values()):
        raise Wrong("the vocabulary maps each token (a str) to its id (an int)")
    if answer == right:
        return (
            f"{len(right):,} entries: {len(right) - 2:,} sorted tokens with ids "
            f"0..{len(right) - 3:,}, then `<|endoftext|>` {right['<|endoftext|>']:,} and "
            f"`<|unk|>` {right['<|unk|>']:,}."
        )
    if "" in answer or any(not k.strip() for k in answer):
        message, diagnosis = _size_mistakes()[len(set(re.split(SPLIT_PATTERN, _story())))]
        raise Wrong(message, diagnosis=diagnosis)
    if any(k.endswith((":", ";")) and len(k) > 1 for k in answer):
        glued = next(k for k in answer if k.endswith((":", ";")) and len(k) > 1)
        message, diagnosis = _size_mistakes()[len(answer) - 2]
        raise Wrong(f"{glued!r} is one of your tokens. {message}", diagnosis=diagnosis)
    missing = [t for t in SPECIAL_TOKENS if t not in answer]
    if missing:
        raise Wrong(
            f"{' and '.join(missing)} missing: add the special tokens after the words",
            diagnosis="special-tokens-missing",
        )
    for token, i in right.items():
        if answer.get(token) != i:
            where = "after the sorted words" if token in SPECIAL_TOKENS else "in sorted order"
            raise Wrong(
                f"{token!r} has id {answer.get(token)!r}, expected {i:,}: ids count from 0 {where}",
                diagnosis="ids-not-sorted-from-0",
            )
    extra = sorted(set(answer) - set(right))
    raise Wrong(f"tokens that are not in the story's vocabulary: {extra[:5]}")


register(
    Exercise(
        id="02.1",
        title="Build the vocabulary yourself",
        task=(
            "Without `build_vocab`: make the story's vocabulary as a dict from token to "
            "id, from `preprocessed`, the way step 1, 2 and 5 do it: the distinct tokens "
            "sorted and numbered from 0, then `<|endoftext|>` and `<|unk|>`."
        ),
        reference=lambda: build_vocab(_tokens(), special_tokens=SPECIAL_TOKENS),
        judge=_judge_vocab,
        answer_name="my_vocab",
        solution_code=(
            "all_tokens = sorted(set(preprocessed))\n"
            'all_tokens.extend(["<|endoftext|>", "<|unk|>"])\n'
            "my_vocab = {token: integer for integer, token in enumerate(all_tokens)}\n"
            "len(my_vocab)"
        ),
        explanation=(
            "`set` keeps each token once, `sorted` makes the order (and so the ids) the "
            "same on every run, `enumerate` numbers from 0, and the special tokens go last "
            "so that the words keep their ids."
        ),
        hints=(
            "Three steps: keep each distinct token once, put them in a fixed order, then "
            "number them from 0. Which built-ins do each of these?",
            "`set` keeps each token once and `sorted` orders them; the special tokens go "
            "at the end of that list, after the words.",
            "`all_tokens = sorted(set(preprocessed))`, extend it with the two special "
            "tokens, then `{token: i for i, token in enumerate(all_tokens)}`.",
        ),
    )
)


# ---- 02.2 -------------------------------------------------------------------------


def _unknown_share(seen_tokens: Any, held_out: Any) -> float:
    seen = set(seen_tokens)
    return sum(t not in seen for t in held_out) / len(held_out)


def _split_80(tokens: Any) -> tuple[list[str], list[str]]:
    cut = int(0.8 * len(tokens))
    return list(tokens[:cut]), list(tokens[cut:])


def _judge_lower_unknown(answer: Any, right: float) -> str:
    share = as_float(answer, "a fraction between 0 and 1")
    seen, held = _split_80(_tokens())
    low_seen, low_held = [t.lower() for t in seen], [t.lower() for t in held]
    before = _unknown_share(seen, held)
    if abs(share - right) < 0.0005:
        return (
            f"{right:.1%} unknown instead of {before:.1%}, with "
            f"{len(set(_tokens())) - len({t.lower() for t in _tokens()})} fewer ids. A "
            f"smaller vocabulary covers more, but the model can no longer tell `The` "
            f"from `the`."
        )
    if abs(share - 100 * right) < 0.05:
        raise Wrong(
            f"{share} looks like a percentage: give the fraction, e.g. 0.10 for 10%",
            diagnosis="percentage",
        )
    if abs(share - before) < 0.0005:
        raise Wrong(
            "that is the share without lower-casing (step 4): lower-case both parts",
            diagnosis="not-lowercased",
        )
    if abs(share - _unknown_share(low_seen, held)) < 0.0005:
        raise Wrong(
            "you lower-cased the vocabulary but not the held-out tokens, so every "
            "capitalised word counts as unknown: lower-case both",
            diagnosis="held-out-not-lowercased",
        )
    if abs(share - _unknown_share(seen, low_held)) < 0.0005:
        raise Wrong(
            "you lower-cased the held-out tokens but not the vocabulary: do both",
            diagnosis="vocabulary-not-lowercased",
        )
    raise Wrong(
        f"{share:.4f} is not it: build the vocabulary from the first 80% of the "
        f"lower-cased tokens and count unknown tokens in the rest"
    )


register(
    Exercise(
        id="02.2",
        title="Fewer unknown words by lower-casing?",
        task=(
            "Repeat step 4's experiment for 80% with lower-cased tokens: build the "
            "vocabulary from the first 80% of `[t.lower() for t in preprocessed]` and "
            "give the share (0 to 1) of the last 20% that is unknown."
        ),
        reference=lambda: _unknown_share(*_split_80([t.lower() for t in _tokens()])),
        judge=_judge_lower_unknown,
        answer_name="share",
        solution_code=(
            "lower = [t.lower() for t in preprocessed]\n"
            "cut = int(0.8 * len(lower))\n"
            "seen = set(lower[:cut])\n"
            "share = sum(t not in seen for t in lower[cut:]) / len(lower[cut:])\nshare"
        ),
        explanation=(
            "Both the vocabulary and the held-out tokens must be lower-cased, otherwise "
            "every capitalised word is 'unknown'. The share drops only a little: most "
            "unknown tokens are new words, not new spellings of known ones."
        ),
        hints=(
            "Step 4 built the vocabulary from the first part of the tokens and counted "
            "the unknown ones in the rest. What has to be lower-cased for the comparison "
            "to be fair: the vocabulary, the rest, or both?",
            "Lower-case the token list once, `[t.lower() for t in preprocessed]`, then "
            "reuse step 4's code on it for the fraction 0.8.",
            "`cut = int(0.8 * len(lower))`, `seen = set(lower[:cut])`, and the share is "
            "the number of `t not in seen` among `lower[cut:]` over their count.",
        ),
    )
)


# ---- 02.3 -------------------------------------------------------------------------

PAD = "<|pad|>"


def _judge_pad(answer: Any, right: int) -> str:
    n = as_int(answer, "an id (a whole number)")
    if n == right:
        return (
            f"id {right:,}: special tokens follow the {right - 2:,} words and the two other "
            f"special tokens. A batch of sentences of different lengths is filled up with "
            f"a padding token to one length; GPT-2 has none and pads with "
            f"`<|endoftext|>`, leaving padded positions out of the loss."
        )
    if n == right + 1:
        raise Wrong(
            f"{n:,} is the vocabulary's size; ids count from 0, so the last id is one less",
            diagnosis="size-not-id",
        )
    if n == len(set(_tokens())):
        raise Wrong(
            f"{n:,} would be the first special token's id: list `{PAD}` after the other two",
            diagnosis="special-token-order",
        )
    raise Wrong(f"{n:,} is not it: build the vocabulary and look up `vocab[{PAD!r}]`")


register(
    Exercise(
        id="02.3",
        title="A padding token",
        task=(
            f"Build the vocabulary with `special_tokens=(*SPECIAL_TOKENS, {PAD!r})`. "
            f"Which id does `{PAD}` get? Then think: why might a batch of sentences of "
            f"different lengths need one?"
        ),
        reference=lambda: build_vocab(_tokens(), special_tokens=(*SPECIAL_TOKENS, PAD))[PAD],
        judge=_judge_pad,
        answer_name="pad_id",
        solution_code=(
            f'pad_id = build_vocab(preprocessed, special_tokens=(*SPECIAL_TOKENS, "{PAD}"))'
            f'["{PAD}"]\npad_id'
        ),
        explanation=(
            "The words get the ids from 0 up, then the special tokens follow in the order "
            "given, so `<|pad|>` gets the id after `<|unk|>`'s."
        ),
        hints=(
            "Where in the vocabulary do the special tokens go, and in which order?",
            "The special tokens come after the words, in the order you list them: "
            "`<|endoftext|>` first, then `<|unk|>`, then `<|pad|>`.",
            "The words take ids 0 to 1,129; count on from there.",
        ),
    )
)


# ---- 02.4 -------------------------------------------------------------------------


def _judge_decode(answer: Any, right: tuple[list[int], str]) -> str:
    if not callable(answer):
        raise Wrong(f"expected a function `decode(ids) -> str`, got {describe(answer)}")
    ids, text = right
    for n in (1, 2, 10, 100, len(ids)):  # the smallest failing input is shown
        part = ids[:n]
        want = "".join(_lossless_tokenizer().int_to_str[i] for i in part)
        got = call(answer, part, what="your decode")
        if not isinstance(got, str):
            raise Wrong(
                f"decode should return a str, got {describe(got)}", diagnosis="not-a-string"
            )
        if got != want:
            spaces = got.replace(" ", "") == want.replace(" ", "")
            raise Wrong(
                "you added spaces between tokens, but the spaces are tokens themselves: "
                "join with `''`"
                if spaces
                else "look up each id in `tokenizer_ws.int_to_str` and join with `''`",
                difference(part, want, got),
                diagnosis="spaces-added" if spaces else None,
            )
    return (
        f"your decode gives back all {len(text):,} characters of the story exactly. It is "
        f"simpler than join_tokens because nothing was thrown away: there is nothing "
        f"to guess."
    )


@functools.cache
def _lossless_tokenizer() -> SimpleTokenizerV2:
    vocab = build_vocab(split_text(_story(), keep_whitespace=True), special_tokens=SPECIAL_TOKENS)
    return SimpleTokenizerV2(vocab, keep_whitespace=True)


register(
    Exercise(
        id="02.4",
        title="A one-line decode",
        task=(
            "Write `decode(ids)` for step 6's keep-whitespace tokenizer `tokenizer_ws` in "
            "one line (a `lambda` or a `def` with one `return`), without calling its "
            "`decode`. Why is it so much simpler than `join_tokens`?"
        ),
        reference=lambda: (_lossless_tokenizer().encode(_story()), _story()),
        judge=_judge_decode,
        answer_name="decode",
        solution_code=(
            'decode = lambda ids: "".join(tokenizer_ws.int_to_str[i] for i in ids)\n'
            'decode(tokenizer_ws.encode("It was fun."))'
        ),
        explanation=(
            "With whitespace kept, the tokens *are* the text, cut into pieces: "
            "concatenating them gives it back. `join_tokens` has to guess spaces "
            "because the tokenizer threw them away."
        ),
        hints=(
            "With whitespace kept, what do you get when you put all the tokens of a text "
            "side by side, in order?",
            "`tokenizer_ws.int_to_str[i]` is the token of id `i`; `''.join(...)` puts "
            "tokens side by side with nothing between them.",
            "`lambda ids: ''.join(tokenizer_ws.int_to_str[i] for i in ids)`.",
        ),
    )
)
