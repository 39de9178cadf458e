"""A live tokenizer playground for notebooks (ipywidgets): type, pick, see the tokens.

>>> from llmprep import gpt2_encoding
>>> playground = tokenizer_playground({"GPT-2": gpt2_encoding()}, text="Hello, world")
>>> playground.view.ids
[15496, 11, 995]
>>> playground.text.value = "Hello, world!"
>>> playground.view.ids
[15496, 11, 995, 0]
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from llmprep.course.display import TokenView, show_tokens
from llmprep.course.language import say

__all__ = ["TokenizerPlayground", "default_tokenizers", "tokenizer_playground"]


def default_tokenizers() -> dict[str, Any]:
    """The tokenizers the notebooks meet: V2 with the-verdict's vocabulary, ours, GPT-2's."""
    from llmprep.bpe import BPETokenizer
    from llmprep.gpt2 import gpt2_encoding
    from llmprep.simple import SPECIAL_TOKENS, SimpleTokenizerV2, build_vocab, load_text, split_text

    verdict = load_text("the-verdict")
    return {
        "SimpleTokenizerV2 (the-verdict's words)": SimpleTokenizerV2(
            build_vocab(split_text(verdict), special_tokens=SPECIAL_TOKENS)
        ),
        "BPETokenizer, 1,000 tokens trained on the-verdict": BPETokenizer.train(verdict, 1000),
        "GPT-2 (tiktoken)": gpt2_encoding(),
    }


class TokenizerPlayground:
    """The widgets and their wiring; ``widget`` is what a notebook displays."""

    def __init__(self, tokenizers: Mapping[str, Any], text: str) -> None:
        from llmprep.course import require

        require("the tokenizer playground", "ipywidgets")
        import ipywidgets as widgets

        if not tokenizers:
            raise ValueError("tokenizer_playground needs at least one tokenizer")
        self.tokenizers = dict(tokenizers)
        self.text = widgets.Textarea(
            value=text,
            description=say("Text", "文本"),
            layout=widgets.Layout(width="100%", height="5em"),
        )
        self.choice = widgets.Dropdown(
            options=list(self.tokenizers),
            description=say("Tokenizer", "分词器"),
            layout=widgets.Layout(width="100%"),
        )
        self.tokens = widgets.HTML()
        self.text.observe(self._update, names="value")
        self.choice.observe(self._update, names="value")
        self.widget = widgets.VBox([self.choice, self.text, self.tokens])
        self.view: TokenView
        self._update()

    def _update(self, change: object = None) -> None:
        try:
            self.view = show_tokens(self.text.value, self.tokenizers[self.choice.value])
        except (KeyError, ValueError) as error:  # e.g. V1 meets an unknown word
            self.view = TokenView([], [])
            message = error.args[0] if error.args else str(error)
            self.tokens.value = f'<div style="color:#b00">{html.escape(str(message))}</div>'
        else:
            self.tokens.value = self.view._repr_html_()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"TokenizerPlayground({self.choice.value!r}: {self.view!r})"


def tokenizer_playground(
    tokenizers: Mapping[str, Any] | None = None,
    *,
    text: str = "Hello, do you like tea? <|endoftext|> In the sunlit terraces of the palace.",
) -> TokenizerPlayground:
    """Type text, choose a tokenizer, and watch the coloured tokens and ids update live.

    ``tokenizers`` maps a label to any tokenizer :func:`~llmprep.course.display.show_tokens`
    accepts; by default the three the notebooks meet (:func:`default_tokenizers`).
    """
    return TokenizerPlayground(default_tokenizers() if tokenizers is None else tokenizers, text)
