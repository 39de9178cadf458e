"""Exercises of notebook 02 (vocabulary): build a vocabulary, unknown words, special
tokens, a lossless decode, and SimpleTokenizerV1 written by the learner."""

from __future__ import annotations

import functools
import random
import re
from typing import Any

from llmprep.course.exercises.core import (
    Exercise,
    Wrong,
    as_float,
    as_int,
    call,
    describe,
    difference,
    register,
)
from llmprep.simple import (
    SPECIAL_TOKENS,
    SPLIT_PATTERN,
    SimpleTokenizerV1,
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


def _size_mistakes() -> dict[int, str]:
    """Vocabulary sizes learners arrive at, and the mistake behind each."""
    story, n_special = _story(), len(SPECIAL_TOKENS)
    older = {t for t in re.split(OLDER_PATTERN, story) if t.strip()}
    raw = set(re.split(SPLIT_PATTERN, story))
    words = len(set(_tokens()))
    whitespace = sorted(t for t in raw if t and not t.strip())
    empty = (
        f"{len(raw):,} = {words:,} words + {' + '.join(repr(t) for t in whitespace)} + '' "
        f"(the empty string): the vocabulary was built from re.split's raw output, which "
        f"keeps whitespace and the empty strings between adjacent separators. Drop them "
        f"with `if item.strip()`"
    )
    old = (
        f"{len(older):,} distinct tokens come from the book's first-printing pattern "
        f"without `:` and `;` ({sum(1 for t in re.split(OLDER_PATTERN, story) if t.strip()):,} "
        f"tokens), so words like 'him:' stay glued to their colon. Use "
        f"`{SPLIT_PATTERN.pattern}`"
    )
    return {
        len(older): old,
        len(older) + n_special: old,
        len(raw): empty,
        len(raw) + n_special: empty,
        words: f"{words:,} is right for the words alone: add `<|endoftext|>` and `<|unk|>`",
        words + len(whitespace) + n_special: (
            "your vocabulary has whitespace tokens (`' '`, `'\\n'`): build it from tokens "
            "with whitespace dropped"
        ),
    }


def _judge_vocab(answer: Any, right: dict[str, int]) -> str:
    if not isinstance(answer, dict):
        n = as_int(answer, "the vocabulary: a dict from token to id")
        if n == len(right):
            raise Wrong(f"{n:,} is the right size; now give the dict itself, token -> id")
        raise Wrong(_size_mistakes().get(n, f"{n:,} entries is not it"))
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
        raise Wrong(_size_mistakes()[len(set(re.split(SPLIT_PATTERN, _story())))])
    if any(k.endswith((":", ";")) and len(k) > 1 for k in answer):
        glued = next(k for k in answer if k.endswith((":", ";")) and len(k) > 1)
        raise Wrong(f"{glued!r} is one of your tokens. " + _size_mistakes()[len(answer) - 2])
    missing = [t for t in SPECIAL_TOKENS if t not in answer]
    if missing:
        raise Wrong(f"{' and '.join(missing)} missing: add the special tokens after the words")
    for token, i in right.items():
        if answer.get(token) != i:
            where = "after the sorted words" if token in SPECIAL_TOKENS else "in sorted order"
            raise Wrong(
                f"{token!r} has id {answer.get(token)!r}, expected {i:,}: ids count from 0 {where}"
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
            "`sorted(set(preprocessed))` is the list of distinct tokens.",
            "Extend that list with the two special tokens, then "
            "`{token: i for i, token in enumerate(...)}`.",
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
        raise Wrong(f"{share} looks like a percentage: give the fraction, e.g. 0.10 for 10%")
    if abs(share - before) < 0.0005:
        raise Wrong("that is the share without lower-casing (step 4): lower-case both parts")
    if abs(share - _unknown_share(low_seen, held)) < 0.0005:
        raise Wrong(
            "you lower-cased the vocabulary but not the held-out tokens, so every "
            "capitalised word counts as unknown: lower-case both"
        )
    if abs(share - _unknown_share(seen, low_held)) < 0.0005:
        raise Wrong("you lower-cased the held-out tokens but not the vocabulary: do both")
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
        hints=("Lower-case the token list once, then reuse step 4's code on it.",),
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
        raise Wrong(f"{n:,} is the vocabulary's size; ids count from 0, so the last id is one less")
    if n == len(set(_tokens())):
        raise Wrong(
            f"{n:,} would be the first special token's id: list `{PAD}` after the other two"
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
        hints=("The special tokens come after the 1,130 words, in the order you list them.",),
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
            raise Wrong(f"decode should return a str, got {describe(got)}")
        if got != want:
            hint = (
                "you added spaces between tokens, but the spaces are tokens themselves: "
                "join with `''`"
                if got.replace(" ", "") == want.replace(" ", "")
                else "look up each id in `tokenizer_ws.int_to_str` and join with `''`"
            )
            raise Wrong(hint, difference(part, want, got))
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
        hints=("`tokenizer_ws.int_to_str[i]` is the token of id `i`.",),
    )
)


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


def _tokenizer_mistake(error: BaseException) -> str:
    key = error.args[0] if isinstance(error, KeyError) and error.args else None
    if isinstance(key, str) and not key.strip():
        return (
            f"your encode looked up {key!r}: drop whitespace and empty strings "
            f"(`if item.strip()`) before looking tokens up"
        )
    if isinstance(key, str) and len(key) > 1 and key[-1] in ":;":
        return (
            f"your encode looked up {key!r}: your pattern does not split off `{key[-1]}` "
            f"(the book's first printing left out `:` and `;`)"
        )
    return f"your encode raised {type(error).__name__}: {error}"


def _decode_mistake(error: BaseException) -> str:
    key = error.args[0] if isinstance(error, KeyError) and error.args else None
    if isinstance(key, int):
        return (
            f"your decode has no token for id {key}: `int_to_str` should map every id of "
            f"the vocabulary back to its token, `{{i: s for s, i in vocab.items()}}`"
        )
    return f"your decode raised {type(error).__name__}: {error}"


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
            )
        again = reference.encode(decoded)
        if again != ids:
            raise Wrong(
                "encoding decode's text again does not give the same ids",
                difference(ids, text, decoded, what="ids"),
            )
    try:
        unknown = mine.encode("Akwirw ier")
    except Exception:  # V1 has no id for an unknown word: any error is right
        pass
    else:
        raise Wrong(
            f"encode('Akwirw ier') returned {unknown!r}, but these words are not in the "
            f"vocabulary: V1 should raise KeyError (V2 is the one with `<|unk|>`)"
        )
    return (
        f"encode gives llmprep's ids on all {len(cases)} texts (shortest first), and "
        f"decoding then encoding gives the same ids back. Your decode's spacing may "
        f"differ from llmprep's `join_tokens` (the book writes `genius -- though`); that "
        f"is allowed, because the book's design promises only that the words and their "
        f"order survive."
    )


register(
    Exercise(
        id="02.5",
        title="Build it yourself: SimpleTokenizerV1",
        task=(
            "Write the book's `SimpleTokenizerV1`: a class created with a vocabulary "
            "(token -> id), with `encode(text) -> list of ids` (split with the book's "
            "pattern, drop whitespace, look each token up) and `decode(ids) -> text`. "
            "The check runs your class and llmprep's side by side on hundreds of texts "
            "and shows the shortest one where they differ."
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
            "`self.int_to_str = {i: s for s, i in vocab.items()}` inverts the vocabulary.",
            "encode: `re.split` with the book's pattern, keep `item.strip()` items, then "
            "`[self.str_to_int[s] for s in ...]`.",
        ),
    )
)
