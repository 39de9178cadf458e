"""A tokenizer's pattern must mean the same in Python's regex and in tiktoken's engine,
and lose no text; anything else is refused with the reason."""

from __future__ import annotations

import re

import pytest

from llmprep import GPT2_SPLIT_PATTERN, BPETokenizer
from llmprep.pattern_check import check_pattern

# tiktoken's cl100k_base pattern (GPT-4's)
CL100K = (
    r"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"
    r"|\s++$|\s*[\r\n]|\s+(?!\S)|\s"
)
TEXT = "naïve café in Zürich, it's 2026!\r\n\tÆrøskøbing 日本語 😀  x \n\n"


@pytest.mark.parametrize("pattern", [GPT2_SPLIT_PATTERN, CL100K, r"\w+|\s+|[^\w\s]+"])
def test_patterns_both_engines_read_alike_are_accepted(pattern) -> None:
    check_pattern(pattern)
    tokenizer = BPETokenizer.train(TEXT * 20, 300, pattern=pattern)
    fast = tokenizer.to_tiktoken()
    for text in (TEXT, TEXT[::-1], "'S 'LL x\u3000\x85y"):
        assert fast.encode(text) == tokenizer.encode(text)
        assert tokenizer.decode(tokenizer.encode(text)) == text


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        # the example: "naïve café in Zürich" came back as "nave caf in Zrich"
        (r"[[:alpha:]]+| ?[^[:alpha:]]+", "the POSIX class '[:'"),
        (r"[a-z]+$|\n|.", "'$'"),
        (r"(?<=a)b|.|\s", "lookbehind"),
        (r"\b\w+|.|\s", "\\b looks behind"),
        (r"(\w+)|.|\s", "a capturing group"),
        (r"(?i)hello|.|\s", "the group '(?i)'"),
        (r"^a|.|\s", "'^'"),
        (r"a*|.|\s", "can match the empty string"),
        (r"[a-z]+", "loses text: no alternative matches '\\t'"),
        (r"\p{L}+(?!x)|\s", "loses text"),
        (r"\p{Ll}+|\P{Ll}+", "in one engine only, e.g. 'ʕ' (U+0295)"),
        (r"\w+|\s+|.{2}", "loses text"),
        (r"a{|.|\s", "a '{' that is not a quantifier"),
        (r"[]a]|.|\s", "a class starting with ']'"),
        (r"[a[b]|.|\s", "a '[' inside a class"),
        (r"[a&&b]|.|\s", "the set operation '&&'"),
        (r"\p{L}+\K|.|\s", "the escape \\K"),
        (r"(?P<name>a)|.|\s", "the group '(?P<'"),
    ],
)
def test_patterns_the_engines_may_read_differently_are_refused(pattern, words) -> None:
    with pytest.raises(ValueError, match=re.escape(words)):
        check_pattern(pattern)
    with pytest.raises(ValueError, match=re.escape(words)):
        BPETokenizer.train(TEXT, 300, pattern=pattern)


def test_a_refused_pattern_is_refused_again_without_checking_twice() -> None:
    for _ in range(2):
        with pytest.raises(ValueError, match="POSIX"):
            BPETokenizer([], pattern=r"[[:alpha:]]+|.|\s")


def test_lone_surrogates_are_pieces_of_their_replacement_character() -> None:
    pattern = r"\p{L}+|\p{N}+|\s+|\p{Cs}+|[^\s\p{L}\p{N}]+"
    tokenizer = BPETokenizer.train("abc 123 xyz" * 5, 263, pattern=pattern)
    text = "ab\ud800\ufffdcd"
    assert tokenizer.encode(text) == tokenizer.to_tiktoken().encode(text)
