from __future__ import annotations

from llmprep import (
    SPECIAL_TOKENS,
    BPETokenizer,
    SimpleTokenizerV2,
    build_vocab,
    gpt2_encoding,
    show_source,
    show_tokens,
    split_text,
)


def test_show_source_is_the_real_source() -> None:
    import inspect

    from llmprep import SimpleTokenizerV1
    from llmprep.course.display import Source

    code = show_source(split_text)
    assert code.code == inspect.getsource(split_text) and repr(code).startswith("def split_text(")
    assert "<span" in code._repr_html_() and Source.SCROLLING not in code._repr_html_()
    long = show_source(SimpleTokenizerV1)  # longer than a slide: it scrolls in its box
    assert long.code.count("\n") > Source.MAX_LINES
    assert long._repr_html_().startswith(f'<div class="{Source.SCROLLING}" style="max-height:')


def test_simple_tokenizer_tokens_keep_their_text_with_the_unk_id(verdict) -> None:
    tokenizer = SimpleTokenizerV2(build_vocab(split_text(verdict), special_tokens=SPECIAL_TOKENS))
    view = show_tokens("Hello, tea <|endoftext|>", tokenizer)
    assert view.tokens == ["Hello", ",", "tea", "<|endoftext|>"]
    assert view.ids == [1131, 5, 975, 1130]
    assert repr(view) == "Hello|,|tea|<|endoftext|>\n4 tokens: [1131, 5, 975, 1130]"


def test_bpe_tokens_show_partial_characters_as_bytes() -> None:
    for tokenizer in (BPETokenizer.gpt2(), gpt2_encoding()):
        view = show_tokens("café 😀", tokenizer)
        assert view.tokens == ["c", "af", "é", " \\xf0\\x9f\\x98", "\\x80"]
        assert view.ids == [66, 1878, 2634, 30325, 222]


def test_html_escapes_text_and_shows_every_id() -> None:
    view = show_tokens("<b>&\n", gpt2_encoding())
    page = view._repr_html_()
    assert view.tokens == ["<", "b", ">", "&", "\n"]
    assert ">&lt;<sub" in page and ">&amp;<sub" in page and "↵<br>" in page  # escaped
    assert all(f">{i}</sub>" in page for i in view.ids)
    assert page.count("<span") == len(view.ids)
