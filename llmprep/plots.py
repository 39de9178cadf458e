"""The figures and displays the notebooks show. matplotlib is imported on first use."""

from __future__ import annotations

import html
import inspect
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["TokenView", "plot_token_frequencies", "show_source", "show_tokens", "token_frequencies"]


def show_source(obj: Any) -> Any:
    """The real source of a function, class or module, syntax-highlighted in a notebook.

    Notebooks show the tested code this way instead of pasting a copy of it.

    >>> from llmprep import build_vocab
    >>> print(repr(show_source(build_vocab)).splitlines()[0])
    def build_vocab(tokens: Iterable[str], *, special_tokens: Sequence[str] = ()) -> dict[str, int]:
    """
    from IPython.display import Code

    return Code(inspect.getsource(obj), language="python")


def token_frequencies(tokens: Iterable[str], *, top: int = 20) -> list[tuple[str, int]]:
    """The ``top`` most frequent tokens with their counts, most frequent first.

    Ties keep the order in which tokens first appear.

    >>> token_frequencies("a b a c a b".split(), top=2)
    [('a', 3), ('b', 2)]
    """
    if top < 1:
        raise ValueError(f"top must be at least 1, got {top}")
    return Counter(tokens).most_common(top)


def plot_token_frequencies(
    tokens: Iterable[str], *, top: int = 20, title: str | None = None, ax: Axes | None = None
) -> Axes:
    """Bar chart of the ``top`` most frequent tokens (the data of :func:`token_frequencies`)."""
    import matplotlib.pyplot as plt

    counts = token_frequencies(tokens, top=top)
    if not counts:
        raise ValueError("no tokens to plot: is the text empty?")
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3.5))
    labels = [repr(token) for token, _ in counts]  # quoted, so "," and " " are visible
    ax.bar(range(len(counts)), [n for _, n in counts], color="tab:blue")
    ax.set_xticks(range(len(counts)), labels, rotation=60, ha="right", family="monospace")
    ax.set_ylabel("count")
    ax.set_title(title or f"The {len(counts)} most frequent tokens")
    ax.figure.tight_layout()
    return ax


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
