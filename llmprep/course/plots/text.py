"""Figures of stages 1-4: token frequencies, a regular expression read piece by piece,
and sliding windows with each input beside its target."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from llmprep.course.plots.labels import label
from llmprep.course.plots.style import PALETTE, pyplot

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "BOOK_PATTERN_PARTS",
    "plot_pattern",
    "plot_rank_frequency",
    "plot_sliding_windows",
    "plot_token_frequencies",
    "plot_tokens_by_vocabulary",
    "plot_unknown_share",
    "rank_frequencies",
    "token_frequencies",
    "visible",
    "window_spans",
    "zipf_constant",
]

_SHOWN_AS = {" ": "␣", "\n": "↵", "\t": "⇥", "\r": "␍"}


def visible(token: str) -> str:
    r"""A token as a figure labels it: quoted, its whitespace drawn (``␣`` for a space,
    ``↵`` for a newline), so that an axis never shows an invisible label.

    >>> visible("the"), visible(" "), visible("\n\n")
    ("'the'", "'␣'", "'↵↵'")
    """
    return "'" + _drawn(token) + "'"


def _drawn(token: str) -> str:
    """A token's text with its whitespace drawn, unquoted (for a box that holds it)."""
    return "".join(_SHOWN_AS.get(c, c) for c in token)


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
    plt = pyplot()

    counts = token_frequencies(tokens, top=top)
    if not counts:
        raise ValueError("no tokens to plot: is the text empty?")
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3.8))
    labels = [visible(token) for token, _ in counts]  # quoted, whitespace drawn
    ax.bar(range(len(counts)), [n for _, n in counts], color=PALETTE[0])
    ax.set_xticks(range(len(counts)), labels, rotation=60, ha="right", family="monospace")
    ax.set_ylabel(label("count"))
    ax.set_title(label(title) if title else label("The {n} most frequent tokens", n=len(counts)))
    ax.figure.tight_layout()
    return ax


def rank_frequencies(tokens: Iterable[str]) -> list[tuple[int, int]]:
    """(rank, count) of every distinct token, the most frequent first (rank 1): the data
    of a rank-frequency plot. Zipf's law says count is roughly proportional to 1 / rank.

    >>> rank_frequencies("a b a c a b".split())
    [(1, 3), (2, 2), (3, 1)]
    """
    counts = sorted(Counter(tokens).values(), reverse=True)
    if not counts:
        raise ValueError("no tokens: is the text empty?")
    return list(enumerate(counts, start=1))


def zipf_constant(ranked: Sequence[tuple[int, int]]) -> float:
    """The C of ``count = C / rank`` that fits ``ranked`` best: the median of count x rank
    over the tokens that occur more than once (the many that occur once all share a count,
    so their ranks say little).

    >>> zipf_constant([(1, 60), (2, 30), (3, 20), (4, 1)])
    60.0
    """
    products = sorted(n * r for r, n in ranked if n > 1) or sorted(n * r for r, n in ranked)
    middle = len(products) // 2
    if len(products) % 2:
        return float(products[middle])
    return (products[middle - 1] + products[middle]) / 2


def plot_rank_frequency(tokens: Iterable[str], *, ax: Axes | None = None) -> Axes:
    """Every distinct token's count against its rank, both axes logarithmic, with the line
    ``count = C / rank`` that Zipf's law predicts (C: :func:`zipf_constant`; the data:
    :func:`rank_frequencies`)."""
    plt = pyplot()

    ranked = rank_frequencies(tokens)
    ranks, counts = [r for r, _ in ranked], [n for _, n in ranked]
    constant = zipf_constant(ranked)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.6))
    ax.loglog(ranks, counts, ".", color=PALETTE[0], label=label("the story's tokens"))
    ax.loglog(ranks, [constant / r for r in ranks], "--", color=PALETTE[1],
              label=label("Zipf's law: count ≈ {c} / rank", c=f"{constant:.0f}"))  # fmt: skip
    ax.set_xlabel(label("rank (1 = the most frequent token)"))
    ax.set_ylabel(label("count"))
    ax.legend()
    ax.grid(alpha=0.3, which="major")
    ax.figure.tight_layout()
    return ax


def plot_unknown_share(fractions: Sequence[float], shares: Sequence[float]) -> Axes:
    """The share of unknown tokens in held-out text against the share of the text that
    built the vocabulary (both in %), as notebook 02 measures them."""
    plt = pyplot()

    _, ax = plt.subplots(figsize=(6, 3.2))
    ax.plot([100 * f for f in fractions], [100 * r for r in shares], "o-", color=PALETTE[0])
    ax.set_xlabel(label("% of the story used to build the vocabulary"))
    ax.set_ylabel(label("% unknown tokens\nin the last fifth"))
    ax.set_ylim(0, None)
    ax.grid(alpha=0.3)
    ax.figure.tight_layout()
    return ax


def plot_tokens_by_vocabulary(
    sizes: Sequence[int], lengths: Sequence[int], *, gpt2_length: int, gpt2_size: int = 50257
) -> Axes:
    """How many tokens a text takes with BPE vocabularies of each size, against GPT-2's
    (a dashed line), as notebook 03 measures them."""
    plt = pyplot()

    _, ax = plt.subplots(figsize=(6, 3.2))
    ax.plot(sizes, lengths, "o-", color=PALETTE[0], label=label("BPE trained on the story"))
    ax.axhline(gpt2_length, color=PALETTE[1], ls="--",
               label=label("GPT-2's tokenizer ({n} tokens in its vocabulary)",
                           n=f"{gpt2_size:,}"))  # fmt: skip
    ax.set_xlabel(label("vocabulary size"))
    ax.set_ylabel(label("tokens for the story"))
    ax.legend()
    ax.grid(alpha=0.3)
    ax.figure.tight_layout()
    return ax


#: The book's pattern, one part at a time: (the part, what it matches).
BOOK_PATTERN_PARTS = (
    ("(", "a capturing group:\nre.split keeps\nwhat it matches"),
    ("[,.:;?_!\"()\\']", "any one of these\ncharacters"),
    ("|", "or"),
    ("--", "a double dash"),
    ("|", "or"),
    ("\\s", "one whitespace\ncharacter"),
    (")", "end of\nthe group"),
)


def plot_pattern(
    parts: Sequence[tuple[str, str]] = BOOK_PATTERN_PARTS,
    *,
    example: str = "Hello, world. Is this-- a test?",
) -> Figure:
    """A regular expression read piece by piece, and what it cuts in an example.

    Top: each part of the pattern in its own colour, with what it means beneath. Bottom:
    the example, each match of the pattern underlined in the colour of the alternative
    that matched it; the text between matches becomes the word tokens.
    """
    plt = pyplot()

    pattern = "".join(part for part, _ in parts)
    alternatives = [k for k, (part, _) in enumerate(parts) if part not in ("(", ")", "|")]
    colours = {k: PALETTE[n % len(PALETTE)] for n, k in enumerate(alternatives)}
    gap = 1.2  # between parts, so that each has room for its caption
    width = len(pattern) + gap * (len(parts) - 1)
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(12, 4.8), gridspec_kw={"height_ratios": [1.6, 1]}
    )
    for ax in (top, bottom):
        ax.set_axis_off()
        ax.set_xlim(-0.8, max(width, len(example)) + 0.8)  # one unit per character

    def write(ax: Any, x: float, y: float, text: str, colour: str = "#111111") -> None:
        for k, char in enumerate(text):  # char by char, so that units are characters
            ax.text(
                x + k + 0.5,
                y,
                char,
                family="monospace",
                fontsize=20,
                color=colour,
                ha="center",
                va="center",
            )

    top.set_ylim(-3.6, 1.0)
    x = 0.0
    for k, (part, meaning) in enumerate(parts):
        colour = colours.get(k, "#555555")
        write(top, x, 0, part, colour)
        top.plot([x + 0.1, x + len(part) - 0.1], [-0.6, -0.6], color=colour, lw=3)
        y = -0.95 if k % 2 == 0 else -2.2  # neighbours' captions on different rows
        top.plot([x + len(part) / 2] * 2, [-0.6, y + 0.05], color="#bbbbbb", lw=0.8)
        top.text(x + len(part) / 2, y, label(meaning), ha="center", va="top", fontsize=10)
        x += len(part) + gap
    top.set_title(label("The pattern r'{pattern}', read piece by piece", pattern=pattern),
                  loc="left")  # fmt: skip
    bottom.set_ylim(-1.7, 0.9)
    write(bottom, 0, 0.2, example)
    regex = re.compile("|".join(f"({parts[k][0]})" for k in alternatives))
    for match in regex.finditer(example):
        k = alternatives[match.lastindex - 1]
        start, end = match.span()
        bottom.plot([start + 0.1, end - 0.1], [-0.4, -0.4], color=colours[k], lw=5)
    bottom.text(
        0,
        -1.1,
        label(
            "underlined, in the colour of the part that matched: the separators, each a "
            "token of its own; the text between them: the words"
        ),
        fontsize=10,
        va="center",
    )
    fig.tight_layout()
    return fig


def window_spans(n_tokens: int, *, max_length: int, stride: int) -> list[tuple[int, int]]:
    """(start, end) of each input window, as the datasets of stage 4 cut them.

    >>> window_spans(10, max_length=4, stride=3)
    [(0, 4), (3, 7)]
    """
    return [(start, start + max_length) for start in range(0, n_tokens - max_length, stride)]


def plot_sliding_windows(
    tokens: int | Sequence[str], *, max_length: int, strides: Sequence[int]
) -> Figure:
    """One panel per stride; each window is a pair of rows: its input (filled) and, right
    beneath it, its target (hatched), one token further on. The tokens are written in
    the boxes, their whitespace drawn (``␣`` for a space), so that ``" the"`` and
    ``"the"`` differ (``tokens`` is the list of token texts, or a count to number them)."""
    plt = pyplot()
    from matplotlib.patches import Rectangle

    labels = (
        [str(k) for k in range(tokens)] if isinstance(tokens, int) else [_drawn(t) for t in tokens]
    )
    n = len(labels)
    panels = [window_spans(n, max_length=max_length, stride=s) for s in strides]
    heights = [2 * len(spans) + 1.6 for spans in panels]
    fig, axes = plt.subplots(
        len(strides),
        1,
        figsize=(12, 0.9 + 0.27 * sum(heights)),  # 2 strides of 9 tokens fit a slide
        squeeze=False,
        gridspec_kw={"height_ratios": heights},
    )
    input_colour, target_colour = PALETTE[4], PALETTE[1]
    for ax, stride, spans in zip(axes[:, 0], strides, panels, strict=True):
        top = 2 * len(spans) + 1
        for k, token in enumerate(labels):  # the token stream, numbered
            ax.text(k + 0.5, top + 0.15, f"{k}", ha="center", va="bottom", fontsize=10)
            ax.text(k + 0.5, top - 0.4, token, ha="center", va="center", fontsize=10)
        for row, (start, end) in enumerate(spans):
            y = top - 2 - 2 * row
            if row % 2:  # a light band groups a window's two rows
                ax.add_patch(Rectangle((-3.2, y - 1.1), n + 3.2, 2, color="#f0f0f0", zorder=0))
            for kind, offset, ybox, colour, hatch in (
                ("input", 0, y, input_colour, None),
                ("target", 1, y - 1, target_colour, "//"),
            ):
                for k in range(start + offset, end + offset):
                    ax.add_patch(
                        Rectangle(
                            (k + 0.04, ybox - 0.42),
                            0.92,
                            0.84,
                            facecolor=colour,
                            alpha=0.55 if kind == "input" else 0.3,
                            hatch=hatch,
                            edgecolor="#333333",
                            lw=0.8,
                        )
                    )
                    ax.text(k + 0.5, ybox, labels[k], ha="center", va="center", fontsize=10)
                name = label(f"window {{row}} {kind}", row=row)
                ax.text(-0.2, ybox, name, ha="right", va="center", fontsize=10)
        ax.set_xlim(-3.2, n)
        ax.set_ylim(-1.2 + (top - 2 * len(spans) - 1), top + 0.9)
        ax.set_axis_off()
        title = label(
            "max_length={max_length}, stride={stride}: {n} windows; each target is its "
            "input moved one token on",
            max_length=max_length, stride=stride, n=len(spans),
        )  # fmt: skip
        ax.set_title(title, loc="left")
    fig.tight_layout()
    return fig
