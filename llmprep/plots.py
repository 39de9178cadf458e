"""The figures and displays the notebooks show. matplotlib is imported on first use."""

from __future__ import annotations

import inspect
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_token_frequencies", "show_source", "token_frequencies"]


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
