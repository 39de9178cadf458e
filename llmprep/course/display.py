"""What the notebooks display besides figures: real source code, and tokens in colour."""

from __future__ import annotations

import html
import inspect
from typing import Any

__all__ = ["Source", "TokenView", "show_source", "show_tokens"]


class Source:
    """Source code, syntax-highlighted in a notebook; a listing longer than
    :data:`MAX_LINES` lines scrolls in a box of that height, so that it fits a slide."""

    MAX_LINES = 30
    #: What marks a scrolling listing in the HTML (the slides' height estimate looks for it).
    SCROLLING = "llmprep-source-scrolls"

    def __init__(self, code: str) -> None:
        self.code = code

    def __repr__(self) -> str:
        return self.code

    def _repr_html_(self) -> str:
        from llmprep.course import require

        require("show_source", "IPython")
        from IPython.display import Code

        listing = Code(self.code, language="python")._repr_html_()
        if self.code.count("\n") <= self.MAX_LINES:
            return listing
        height = 1.25 * self.MAX_LINES  # em: pygments' line-height is 125%
        return (
            f'<div class="{self.SCROLLING}" style="max-height:{height:g}em;overflow-y:auto">'
            f"{listing}</div>"
        )


def show_source(obj: Any) -> Source:
    """The real source of a function, class or module, syntax-highlighted in a notebook.

    Notebooks show the tested code this way instead of pasting a copy of it.

    >>> from llmprep import build_vocab
    >>> print(repr(show_source(build_vocab)).splitlines()[0])
    def build_vocab(tokens: Iterable[str], *, special_tokens: Sequence[str] = ()) -> dict[str, int]:
    """
    return Source(inspect.getsource(obj))


# Pastel backgrounds that stay readable on a projector; neighbours never share a colour.
_TOKEN_COLOURS = ("#ffd6a5", "#caffbf", "#9bf6ff", "#bdb2ff", "#ffc6ff", "#fdffb6")


class TokenView:
    """Tokens of a text with their ids: coloured spans in a notebook, ``a|b|c`` as text."""

    def __init__(self, tokens: list[str], ids: list[int]) -> None:
        self.tokens, self.ids = tokens, ids

    def __repr__(self) -> str:
        return f"{'|'.join(self.tokens)}\n{len(self.ids)} tokens: {self.ids}"

    def _repr_html_(self) -> str:
        spans = []
        for k, (token, i) in enumerate(zip(self.tokens, self.ids, strict=True)):
            text = html.escape(token).replace("\n", "↵<br>").replace(" ", "&nbsp;")
            colour = _TOKEN_COLOURS[k % len(_TOKEN_COLOURS)]
            spans.append(
                f'<span title="id {i}" style="background:{colour};padding:1px 0;'
                f'border-radius:3px;margin-right:1px">{text}'
                f'<sub style="color:#555;font-size:70%">{i}</sub></span>'
            )
        return (
            '<div style="font-family:monospace;line-height:2;font-size:110%">'
            f"{''.join(spans)}</div><div style='color:#555'>{len(self.ids)} tokens</div>"
        )


def show_tokens(text: str, tokenizer: Any) -> TokenView:
    """Show how a tokenizer cuts ``text``: each token a coloured span, its id beneath.

    Works for ``SimpleTokenizerV1/V2`` (unknown words keep their text, with the id of
    ``<|unk|>``), :class:`~llmprep.bpe.BPETokenizer` and tiktoken encodings. Special tokens
    in the text are allowed.

    >>> from llmprep import gpt2_encoding
    >>> show_tokens("Hello, world", gpt2_encoding())
    Hello|,| world
    3 tokens: [15496, 11, 995]
    """
    if hasattr(tokenizer, "decode_single_token_bytes"):  # byte-level BPE
        ids = tokenizer.encode(text, allowed_special="all")
        tokens = [
            tokenizer.decode_single_token_bytes(i).decode("utf-8", "backslashreplace") for i in ids
        ]
    else:
        tokens, ids = tokenizer.tokenize(text), tokenizer.encode(text)
    return TokenView(tokens, ids)
