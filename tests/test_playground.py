from __future__ import annotations

import pytest

from llmprep import SimpleTokenizerV1, build_vocab, gpt2_encoding, split_text
from llmprep.course.playground import default_tokenizers, tokenizer_playground


def test_the_three_tokenizers_of_the_notebooks() -> None:
    tokenizers = default_tokenizers()
    assert len(tokenizers) == 3
    playground = tokenizer_playground(tokenizers, text="Hello, someknownPlace")
    seen = {}
    for label in tokenizers:
        playground.choice.value = label
        seen[label] = playground.view.ids
        assert playground.tokens.value.count("<span") == len(playground.view.ids)
    v2, bpe, gpt2 = seen.values()
    assert v2 == [1131, 5, 1131]  # both words unknown to the-verdict's vocabulary
    assert gpt2 == gpt2_encoding().encode("Hello, someknownPlace")
    assert len(bpe) > len(gpt2)  # 1,000 tokens cut finer than 50,257


def test_typing_updates_tokens_and_ids_live() -> None:
    playground = tokenizer_playground({"GPT-2": gpt2_encoding()}, text="tea")
    assert playground.view.tokens == ["te", "a"]  # no space before it: not " tea"
    playground.text.value = "tea time<|endoftext|>"
    assert playground.view.tokens == ["te", "a", " time", "<|endoftext|>"]
    assert "50256" in playground.tokens.value and "&nbsp;time" in playground.tokens.value


def test_an_encoding_error_is_shown_not_raised() -> None:
    v1 = SimpleTokenizerV1(build_vocab(split_text("the cat")))
    playground = tokenizer_playground({"V1": v1}, text="the cat")
    playground.text.value = "the dog"
    assert "&#x27;dog&#x27; is not in the vocabulary" in playground.tokens.value
    assert playground.view.ids == []


def test_needs_a_tokenizer() -> None:
    with pytest.raises(ValueError, match="at least one tokenizer"):
        tokenizer_playground({})
