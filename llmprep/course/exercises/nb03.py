"""Exercises of notebook 03 (BPE): the book's exercise 2.1, single-token words, a small
tokenizer on new text, merges in a saved file, languages (the merge loop written by the
learner is in :mod:`nb03_build`)."""

from __future__ import annotations

import functools
from typing import Any

from llmprep.bpe import BPETokenizer
from llmprep.course.exercises.answers import (
    Wrong,
    as_int,
    as_int_list,
    as_pair,
    as_str,
    difference,
)
from llmprep.course.exercises.core import Exercise, register
from llmprep.gpt2 import gpt2_encoding
from llmprep.simple import load_text

CONTEXT = """
from llmprep import BPETokenizer, gpt2_encoding, load_text
raw_text = load_text("the-verdict")
tokenizer = gpt2_encoding()
trained = BPETokenizer.train(raw_text, 1000)
"""

UNKNOWN_WORDS = "Akwirw ier"
NEW_SENTENCE = (
    "It is a truth universally acknowledged, that a single man in possession of a good "
    "fortune, must be in want of a wife."
)
ENGLISH, CHINESE = "The weather is very nice today.", "今天天气很好。"


@functools.cache
def _story() -> str:
    return load_text("the-verdict")


@functools.cache
def _trained(vocab_size: int) -> BPETokenizer:
    return BPETokenizer.train(_story(), vocab_size)


# ---- book 2.1 ---------------------------------------------------------------------


def _judge_akwirw(answer: Any, right: list[int]) -> str:
    if isinstance(answer, (list, tuple)) and answer and all(isinstance(a, str) for a in answer):
        raise Wrong(
            "these are strings, the decoded pieces: the check wants the ids, what "
            "`tokenizer.encode` returns",
            diagnosis="pieces-not-ids",
        )
    if isinstance(answer, str):
        raise Wrong(
            "that is text: give the list of ids that `tokenizer.encode` returns",
            diagnosis="pieces-not-ids",
        )
    ids = as_int_list(answer, "the list of token ids")
    if ids == right:
        pieces = [gpt2_encoding().decode([i]) for i in ids]
        return (
            f"{len(ids)} tokens {pieces} for two made-up words: BPE spells what it does "
            f"not know with smaller known pieces, and `decode(ids)` gives back "
            f"{UNKNOWN_WORDS!r} exactly."
        )
    if ids == _trained(1000).encode(UNKNOWN_WORDS):
        raise Wrong(
            "these are the ids of the tokenizer trained on the story: use GPT-2's",
            diagnosis="wrong-tokenizer",
        )
    if ids == gpt2_encoding().encode(UNKNOWN_WORDS.replace(" ", "")):
        raise Wrong("the space is missing: encode exactly 'Akwirw ier'", diagnosis="space-lost")
    raise Wrong(f"not GPT-2's ids for {UNKNOWN_WORDS!r}", difference(UNKNOWN_WORDS, right, ids))


register(
    Exercise(
        id="book-2.1",
        title="Unknown words in BPE (the book's exercise 2.1)",
        task=(
            f"Encode the made-up words `{UNKNOWN_WORDS}` with GPT-2's tokenizer (`tokenizer` "
            f"above) and give the list of ids. Then decode each id on its own, and all of "
            f"them together: do you get the input back?"
        ),
        reference=lambda: gpt2_encoding().encode(UNKNOWN_WORDS),
        judge=_judge_akwirw,
        answer_name="ids",
        solution_code=(
            'ids = tokenizer.encode("Akwirw ier")\n'
            "print([tokenizer.decode([i]) for i in ids])\n"
            "print(tokenizer.decode(ids))\nids"
        ),
        explanation=(
            "GPT-2 has no token for either word, so BPE falls back to pieces it has: "
            "`Ak|w|ir|w| |ier`. Every piece is a known token, nothing is `<|unk|>`, and "
            "decoding the ids together restores the text."
        ),
        hints=(
            "The tokenizer above has two methods, one from text to ids and one back. "
            "Which do you need, and what exactly is the text?",
            "`tokenizer.encode(text)` gives the ids of the whole text, its space "
            "included; `tokenizer.decode([i])` is the piece of one id.",
            "`ids = tokenizer.encode('Akwirw ier')`.",
        ),
    ),
    notebook="03",
)


# ---- 03.1 -------------------------------------------------------------------------


def _judge_words(answer: Any, right: None) -> str:
    single, split = (as_str(w, "a word").strip() for w in as_pair(answer, "two words"))
    encode = gpt2_encoding().encode
    if sum(c.isalpha() for c in single) < 6 or not single.isalpha():
        raise Wrong(
            f"{single!r} should be a word of at least six letters", diagnosis="word-too-short"
        )
    n_single, n_split = len(encode(" " + single)), len(encode(" " + split))
    if n_single != 1:
        alone = len(encode(single))
        raise Wrong(
            f"' {single}' (with its leading space, as inside a sentence) is {n_single} "
            f"tokens, not one" + (" (without the space it is one)" if alone == 1 else ""),
            diagnosis="leading-space" if alone == 1 else "not-one-token",
        )
    if n_split < 4:
        raise Wrong(
            f"' {split}' is {n_split} tokens; find one that needs four or more",
            diagnosis="too-few-tokens",
        )
    pieces = "|".join(gpt2_encoding().decode([i]) for i in encode(" " + split))
    note = (
        f" Without its space, {single!r} at the start of a text is "
        f"{len(encode(single))} tokens: GPT-2's tokens carry the leading space."
        if len(encode(single)) > 1
        else ""
    )
    return (
        f"' {single}' is one token and ' {split}' is {n_split} ({pieces}). Frequent words "
        f"of the training text became tokens of their own; rare ones are spelled in "
        f"pieces.{note}"
    )


register(
    Exercise(
        id="03.1",
        title="One token or many?",
        task=(
            "Find a word of at least six letters that GPT-2 encodes as a single token "
            "inside a sentence (that is, with a space before it), and one that needs four "
            "or more tokens. Give them as a pair `(single, many)`. What makes the "
            "difference?"
        ),
        reference=lambda: None,
        judge=_judge_words,
        answer_name="words",
        solution_code=(
            'words = ("unbelievably", "onomatopoeia")\n'
            '[len(tokenizer.encode(" " + w)) for w in words]'
        ),
        explanation=(
            "GPT-2 learned its merges from web text: frequent words (` between`, "
            "` unbelievably`) became single tokens, rare ones (` onomatopoeia`) are "
            "spelled in pieces. Most tokens begin with a space, so the same word at the "
            "start of a text (no space) may cost more: `unbelievably` alone is four "
            "tokens."
        ),
        hints=(
            "Which words did GPT-2 see most often in its training text? Try a few common "
            "long words and a few rare ones.",
            "Common English words are often one token; rare or technical words are "
            "spelled in pieces.",
            "`len(tokenizer.encode(' ' + word))` counts a word's tokens as it would be "
            "inside a sentence, with its leading space.",
        ),
    )
)


# ---- 03.2 -------------------------------------------------------------------------


def _judge_new_text(answer: Any, right: int) -> str:
    n = as_int(answer, "a number of tokens")
    if n == right:
        gpt2 = len(gpt2_encoding().encode(NEW_SENTENCE))
        return (
            f"{right} tokens, against GPT-2's {gpt2}: 500 tokens learned from one short "
            f"story know its words, not Jane Austen's, so her sentence is spelled in "
            f"small pieces."
        )
    mistakes = {
        len(gpt2_encoding().encode(NEW_SENTENCE)): (
            "that is GPT-2's count: train your own",
            "gpt2-count",
        ),
        len(_trained(1000).encode(NEW_SENTENCE)): (
            "that is the 1,000-token tokenizer's count",
            "wrong-vocabulary-size",
        ),
        len(_trained(500 + 256 + 1).encode(NEW_SENTENCE)): (
            "that tokenizer has 500 merges; `vocab_size=500` counts the 256 bytes and "
            "`<|endoftext|>` too: `BPETokenizer.train(raw_text, 500)`",
            "merges-not-vocabulary",
        ),
        len(NEW_SENTENCE): ("that is one token per character", "characters-not-tokens"),
    }
    message, diagnosis = mistakes.get(
        n, (f"{n} is not it: train with vocab_size 500 and count the ids", None)
    )
    raise Wrong(message, diagnosis=diagnosis)


register(
    Exercise(
        id="03.2",
        title="A small tokenizer on new text",
        task=(
            f"Train a 500-token tokenizer on the story "
            f"(`BPETokenizer.train(raw_text, 500)`) and count the tokens it needs for "
            f"this sentence from another book:\n\n> {NEW_SENTENCE}\n\nCompare with GPT-2's "
            f"count: why the difference?"
        ),
        reference=lambda: len(_trained(500).encode(NEW_SENTENCE)),
        judge=_judge_new_text,
        answer_name="n_tokens",
        solution_code=(
            "small = BPETokenizer.train(raw_text, 500)\n"
            'sentence = "It is a truth universally acknowledged, that a single man in '
            'possession of a good fortune, must be in want of a wife."\n'
            "n_tokens = len(small.encode(sentence))\n"
            "n_tokens, len(tokenizer.encode(sentence))"
        ),
        explanation=(
            "A tokenizer's merges fit the text it was trained on. The few hundred merges "
            "learned from one story cover its frequent words; another author's words fall "
            "back to short pieces, so the sentence needs far more tokens than with GPT-2."
        ),
        hints=(
            "Two steps: make the small tokenizer, then let it encode the sentence. What "
            "does `vocab_size` count?",
            "`BPETokenizer.train(raw_text, 500)` makes a tokenizer of 500 tokens in all: "
            "the 256 bytes, `<|endoftext|>` and the merges it learns.",
            "Count the ids that the small tokenizer's `encode` gives for the sentence.",
        ),
    )
)


# ---- 03.3 -------------------------------------------------------------------------


def _judge_first_merge(answer: Any, right: tuple[int, int]) -> str:
    if isinstance(answer, bytes):
        raise Wrong(
            f"{answer!r} is the token the merge makes; the file stores the merge as the "
            f"two ids it joins (ids 0-255 are the bytes)",
            diagnosis="token-not-pair",
        )
    pair = as_pair(answer, "the first merge as two ids")
    if all(isinstance(p, (str, bytes)) for p in pair):
        raise Wrong(
            "the file stores ids, not strings: give the two numbers of the first merge",
            diagnosis="strings-not-ids",
        )
    left, right_id = (as_int(p, "an id") for p in pair)
    if (left, right_id) == right:
        return (
            f"[{left}, {right_id}]: byte {left} is {chr(left)!r} and {right_id} is "
            f"{chr(right_id)!r}, so the first merge makes {chr(left) + chr(right_id)!r}, "
            f"the story's most frequent pair, as token 256."
        )
    if (right_id, left) == right:
        raise Wrong(
            "the two ids are the wrong way round: left part first", diagnosis="pair-reversed"
        )
    raise Wrong(f"[{left}, {right_id}] is not the first merge of the saved file")


register(
    Exercise(
        id="03.3",
        title="Look inside a saved tokenizer",
        task=(
            "Save the 1,000-token tokenizer with `trained.save('my_bpe.json')`, open the "
            "file (it is JSON) and find the first merge: give it as its pair of ids. Load "
            "it back with `BPETokenizer.load` and check that it encodes the story the "
            "same way."
        ),
        reference=lambda: _trained(1000).merges[0],
        judge=_judge_first_merge,
        answer_name="first_merge",
        solution_code=(
            "import json\n\n"
            'trained.save("my_bpe.json")\n'
            'saved = json.load(open("my_bpe.json"))\n'
            'first_merge = tuple(saved["merges"][0])\n'
            'print(BPETokenizer.load("my_bpe.json").encode(raw_text) == trained.encode(raw_text))\n'
            "first_merge"
        ),
        explanation=(
            "A BPE tokenizer *is* its list of merges (plus the byte order and the special "
            "tokens). The first one joins the story's most frequent pair; loading the file "
            "rebuilds the same tokenizer, so the ids are the same."
        ),
        hints=(
            "Open the saved file in JupyterLab or load it with `json.load`: which of its "
            "keys holds what training learned?",
            "The JSON has a key `merges`: a list of `[left, right]` id pairs, in the "
            "order they were learned.",
            "`json.load(open('my_bpe.json'))['merges'][0]`.",
        ),
    )
)


# ---- 03.4 -------------------------------------------------------------------------


def _judge_languages(answer: Any, right: tuple[int, int]) -> str:
    english, chinese = (as_int(n, "a number of tokens") for n in as_pair(answer, "two counts"))
    if (english, chinese) == right:
        return (
            f"{english} tokens for {len(ENGLISH)} English characters, {chinese} for "
            f"{len(CHINESE)} Chinese ones: GPT-2 was trained mostly on English, so other "
            f"scripts are spelled in byte pieces, and the same context window holds far "
            f"less Chinese text (and costs more per sentence)."
        )
    if (chinese, english) == right:
        raise Wrong("the counts are the wrong way round: English first", diagnosis="swapped")
    if (english, chinese) == (len(ENGLISH), len(CHINESE)):
        raise Wrong(
            "those are character counts: count `tokenizer.encode(...)`'s ids",
            diagnosis="characters-not-tokens",
        )
    if (english, chinese) == (len(ENGLISH.encode()), len(CHINESE.encode())):
        raise Wrong(
            "those are UTF-8 byte counts: count the token ids", diagnosis="bytes-not-tokens"
        )
    raise Wrong(f"({english}, {chinese}) is not it: `len(tokenizer.encode(text))` for each")


register(
    Exercise(
        id="03.4",
        title="The same sentence in two languages",
        task=(
            f"Count GPT-2's tokens for `{ENGLISH}` and for its Chinese translation "
            f"`{CHINESE}`; give `(english, chinese)`. What does that mean for the cost of "
            f"a model's context window in Chinese?"
        ),
        reference=lambda: (
            len(gpt2_encoding().encode(ENGLISH)),
            len(gpt2_encoding().encode(CHINESE)),
        ),
        judge=_judge_languages,
        answer_name="counts",
        solution_code=(
            f'counts = (len(tokenizer.encode("{ENGLISH}")), len(tokenizer.encode("{CHINESE}")))'
            "\ncounts"
        ),
        explanation=(
            "Each Chinese character is 3 UTF-8 bytes, and GPT-2 learned few merges for "
            "them, so a Chinese character costs more tokens than a whole English word."
        ),
        hints=(
            "Count tokens, not characters or bytes: which call turns a sentence into "
            "GPT-2's tokens?",
            "`tokenizer.encode(text)` gives the ids; their number is the count.",
            "`(len(tokenizer.encode(english)), len(tokenizer.encode(chinese)))`.",
        ),
    )
)
