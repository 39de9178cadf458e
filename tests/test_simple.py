from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmprep import (
    END_OF_TEXT,
    SPECIAL_TOKENS,
    SPLIT_PATTERN,
    UNKNOWN,
    SimpleTokenizerV1,
    SimpleTokenizerV2,
    build_vocab,
    join_tokens,
    load_text,
    split_text,
)

# The book's running example (listing 2.3 and section 2.4).
BOOK_SENTENCE = '"It\'s the last he painted, you know," Mrs. Gisburn said with pardonable pride.'
BOOK_SENTENCE_IDS = [
    1,
    56,
    2,
    850,
    988,
    602,
    533,
    746,
    5,
    1126,
    596,
    5,
    1,
    67,
    7,
    38,
    851,
    1108,
    754,
    793,
    7,
]
BOOK_V2_TEXT = "Hello, do you like tea? <|endoftext|> In the sunlit terraces of the palace."
BOOK_V2_IDS = [1131, 5, 355, 1126, 628, 975, 10, 1130, 55, 988, 956, 984, 722, 988, 1131, 7]


def test_the_verdict_figures(verdict: str) -> None:
    assert len(verdict) == 20479
    tokens = split_text(verdict)
    assert len(tokens) == 4690
    assert tokens[:5] == ["I", "HAD", "always", "thought", "Jack"]
    assert len(build_vocab(tokens)) == 1130
    assert len(build_vocab(tokens, special_tokens=SPECIAL_TOKENS)) == 1132


def test_the_verdict_figures_keeping_whitespace(verdict: str) -> None:
    # The study notes counted re.split's pieces as they come, empty strings included:
    # 1,133. Our split never makes an empty token, so the vocabulary has one less.
    raw_pieces = re.split(SPLIT_PATTERN, verdict)
    assert len(set(raw_pieces)) == 1133
    assert len(build_vocab(raw_pieces, special_tokens=SPECIAL_TOKENS)) == 1135
    tokens = split_text(verdict, keep_whitespace=True)
    assert "" not in tokens and {" ", "\n"} <= set(tokens)
    assert len(build_vocab(tokens)) == 1132
    assert len(build_vocab(tokens, special_tokens=SPECIAL_TOKENS)) == 1134


def test_split_text_examples() -> None:
    assert split_text("Hello, world. This, is a test.") == [
        "Hello",
        ",",
        "world",
        ".",
        "This",
        ",",
        "is",
        "a",
        "test",
        ".",
    ]
    assert split_text("hello--world") == ["hello", "--", "world"]
    assert split_text("a\n\tb", keep_whitespace=True) == ["a", "\n", "\t", "b"]
    assert split_text("") == [] and split_text("", keep_whitespace=True) == []
    assert split_text("  \n ") == []


def test_split_text_rejects_bytes() -> None:
    with pytest.raises(TypeError, match="takes a str, not bytes"):
        split_text(b"hello")  # type: ignore[arg-type]


def test_build_vocab_sorts_words_and_appends_special_tokens() -> None:
    vocab = build_vocab(["the", "cat", "the", END_OF_TEXT], special_tokens=SPECIAL_TOKENS)
    assert vocab == {"cat": 0, "the": 1, END_OF_TEXT: 2, UNKNOWN: 3}


def test_build_vocab_bad_input() -> None:
    with pytest.raises(ValueError, match="no tokens: is the text empty"):
        build_vocab(split_text(""))
    with pytest.raises(ValueError, match=r"\['<\|unk\|>'\] given more than once"):
        build_vocab(["a"], special_tokens=[UNKNOWN, END_OF_TEXT, UNKNOWN])
    with pytest.raises(TypeError, match="sequence of strings"):
        build_vocab(["a"], special_tokens=UNKNOWN)  # type: ignore[arg-type]


def test_v1_encodes_the_books_sentence(verdict: str) -> None:
    tokenizer = SimpleTokenizerV1(build_vocab(split_text(verdict)))
    ids = tokenizer.encode(BOOK_SENTENCE)
    assert ids == BOOK_SENTENCE_IDS
    # The book's decode gives '" It\' s the last ...'; ours gives the sentence back.
    assert tokenizer.decode(ids) == BOOK_SENTENCE


def test_v1_names_the_unknown_word_and_points_to_v2(verdict: str) -> None:
    tokenizer = SimpleTokenizerV1(build_vocab(split_text(verdict)))
    with pytest.raises(KeyError, match=r"'Hello' is not in the vocabulary.*SimpleTokenizerV2"):
        tokenizer.encode("Hello, do you like tea?")


def test_v2_maps_unknown_words_to_unk(verdict: str) -> None:
    tokenizer = SimpleTokenizerV2(build_vocab(split_text(verdict), special_tokens=SPECIAL_TOKENS))
    assert tokenizer.encode(BOOK_V2_TEXT) == BOOK_V2_IDS
    assert tokenizer.decode(BOOK_V2_IDS) == (
        "<|unk|>, do you like tea? <|endoftext|> In the sunlit terraces of the <|unk|>."
    )


def test_v2_reproduces_the_study_notes_ids(verdict: str) -> None:
    # The notes built their vocabulary from re.split's raw pieces (whitespace and "").
    vocab = build_vocab(re.split(SPLIT_PATTERN, verdict), special_tokens=SPECIAL_TOKENS)
    text = "Hello, do you like tea? <|endoftext|> Peace and Love."
    assert SimpleTokenizerV2(vocab).encode(text) == [
        1134,
        8,
        358,
        1129,
        631,
        978,
        13,
        1133,
        1134,
        160,
        1134,
        10,
    ]


def test_v2_needs_unk_in_the_vocabulary() -> None:
    with pytest.raises(ValueError, match=r"needs '<\|unk\|>'.*special_tokens=SPECIAL_TOKENS"):
        SimpleTokenizerV2(build_vocab(["a"]))


def test_tokenizers_reject_a_vocabulary_with_repeated_ids() -> None:
    with pytest.raises(ValueError, match="same id"):
        SimpleTokenizerV1({"a": 0, "b": 0})


@pytest.mark.parametrize(
    "text", ["hello--world", "It's", '"quoted"', "Ha! (Yes.) No: _so_ it is; ok?"]
)
def test_decode_does_not_corrupt_text(text: str) -> None:
    tokenizer = SimpleTokenizerV1(build_vocab(split_text(text)))
    assert tokenizer.decode(tokenizer.encode(text)) == text


def test_decode_rejects_an_id_outside_the_vocabulary() -> None:
    tokenizer = SimpleTokenizerV1(build_vocab(["a", "b"]))
    with pytest.raises(KeyError, match=re.escape("id 7 is outside the vocabulary (ids 0..1)")):
        tokenizer.decode([0, 7])


def test_join_tokens_restores_most_of_the_verdict(verdict: str) -> None:
    paragraphs = [p for p in verdict.split("\n") if p.strip()]
    exact = sum(join_tokens(split_text(p)) == " ".join(p.split()) for p in paragraphs)
    assert (exact, len(paragraphs)) == (73, 83)


def test_keep_whitespace_is_lossless_on_the_verdict(verdict: str) -> None:
    vocab = build_vocab(split_text(verdict, keep_whitespace=True), special_tokens=SPECIAL_TOKENS)
    for tokenizer_class in (SimpleTokenizerV1, SimpleTokenizerV2):
        tokenizer = tokenizer_class(vocab, keep_whitespace=True)
        assert tokenizer.decode(tokenizer.encode(verdict)) == verdict


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_keep_whitespace_is_lossless_for_any_text(text: str) -> None:
    tokens = split_text(text, keep_whitespace=True)
    assert "".join(tokens) == text
    if tokens:
        tokenizer = SimpleTokenizerV1(build_vocab(tokens), keep_whitespace=True)
        assert tokenizer.decode(tokenizer.encode(text)) == text


def test_load_text_reads_a_file(tmp_path) -> None:
    path = tmp_path / "mine.txt"
    path.write_text("Ünïcode text\n", encoding="utf-8")
    assert load_text(path) == "Ünïcode text\n"


def test_load_text_names_a_non_utf8_file_and_the_fix(tmp_path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("café".encode("latin-1"))
    with pytest.raises(ValueError, match=r"not valid utf-8: byte 0xe9 at offset 3.*encoding="):
        load_text(path)
    assert load_text(path, encoding="latin-1") == "café"


def test_load_text_unknown_name() -> None:
    with pytest.raises(FileNotFoundError, match="neither a file nor a registered text"):
        load_text("no-such-book")


def test_decode_takes_only_whole_numbers(verdict: str) -> None:
    tokenizer = SimpleTokenizerV1(build_vocab(split_text(verdict)))
    with pytest.raises(TypeError, match="a token id must be a whole number.*1.9"):
        tokenizer.decode([1.9])
    assert tokenizer.decode([np.int64(56)]) == "It"
