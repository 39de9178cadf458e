"""The figures the notebooks draw. matplotlib is imported on first use.

The data behind each figure comes from a function of its own (``token_frequencies``,
``window_spans``, ``pca_2d``, ``position_similarity_by_distance``), so tests can check it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "pca_2d",
    "plot_dot_product_by_distance",
    "plot_position_heatmaps",
    "plot_similarity_heatmap",
    "plot_sliding_windows",
    "plot_token_frequencies",
    "plot_word_map",
    "position_similarity_by_distance",
    "token_frequencies",
    "window_spans",
]


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


def window_spans(n_tokens: int, *, max_length: int, stride: int) -> list[tuple[int, int]]:
    """(start, end) of each input window, as the datasets of stage 4 cut them.

    >>> window_spans(10, max_length=4, stride=3)
    [(0, 4), (3, 7)]
    """
    return [(start, start + max_length) for start in range(0, n_tokens - max_length, stride)]


def plot_sliding_windows(
    n_tokens: int, *, max_length: int, strides: Sequence[int], labels: Sequence[str] = ()
) -> Figure:
    """One panel per stride: each window's inputs (filled) and targets (outlined, one on).

    Where windows overlap, the same tokens are trained on more than once.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    rows = [len(window_spans(n_tokens, max_length=max_length, stride=s)) + 2 for s in strides]
    fig, axes = plt.subplots(
        len(strides),
        1,
        figsize=(10, 0.8 + 0.3 * sum(rows)),
        squeeze=False,
        sharex=True,
        gridspec_kw={"height_ratios": rows},
    )
    for ax, stride in zip(axes[:, 0], strides, strict=True):
        spans = window_spans(n_tokens, max_length=max_length, stride=stride)
        for row, (start, end) in enumerate(spans):
            y = len(spans) - row
            ax.add_patch(Rectangle((start, y - 0.8), end - start, 0.35, color="tab:blue"))
            ax.add_patch(
                Rectangle(
                    (start + 1, y - 0.4),
                    end - start,
                    0.35,
                    fill=False,
                    edgecolor="tab:orange",
                    lw=1.5,
                )
            )
        for k in range(n_tokens):
            ax.text(
                k + 0.5,
                len(spans) + 0.45,
                labels[k] if k < len(labels) else str(k),
                ha="center",
                va="bottom",
                fontsize=8,
                rotation=90 if labels else 0,
            )
        ax.set_xlim(0, n_tokens)
        ax.set_ylim(0, len(spans) + 2.2)
        ax.set_yticks([])
        ax.set_title(
            f"max_length={max_length}, stride={stride}: {len(spans)} windows "
            f"(blue: input, orange: target)",
            fontsize=10,
            loc="left",
        )
        ax.set_xticks([])
    axes[-1, 0].set_xlabel("token position")
    fig.tight_layout()
    return fig


def pca_2d(points: Any) -> Any:
    """Project row vectors onto their first two principal components (NumPy SVD).

    >>> import numpy as np
    >>> (pca_2d(np.array([[0.0, 0, 0], [1, 1, 0], [3, 3, 0]])).round(3) + 0.0).tolist()
    [[-1.886, 0.0], [-0.471, 0.0], [2.357, 0.0]]
    """
    import numpy as np

    centred = np.asarray(points, dtype=np.float64)
    centred = centred - centred.mean(axis=0)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    projected = centred @ components[:2].T
    # subtle: SVD may flip a component's sign; fix it so that figures are reproducible
    signs = np.sign(projected[np.abs(projected).argmax(axis=0), range(projected.shape[1])])
    return projected * np.where(signs == 0, 1, signs)


def plot_word_map(vectors: Any, groups: dict[str, Sequence[str]]) -> Figure:
    """Words of several groups in 2-D (PCA of their vectors), one colour per group."""
    import matplotlib.pyplot as plt

    words = [word for members in groups.values() for word in members]
    points = pca_2d([vectors[word] for word in words])
    fig, ax = plt.subplots(figsize=(7, 5))
    start = 0
    for name, members in groups.items():
        xy = points[start : start + len(members)]
        ax.scatter(xy[:, 0], xy[:, 1], label=name, s=30)
        for word, (x, y) in zip(members, xy, strict=True):
            ax.annotate(word, (x, y), textcoords="offset points", xytext=(4, 3), fontsize=9)
        start += len(members)
    ax.set_xlabel("first principal component")
    ax.set_ylabel("second principal component")
    ax.legend(loc="best", fontsize=9)
    ax.set_title(f"{len(words)} words, {vectors.vector_size} dimensions projected to 2")
    fig.tight_layout()
    return fig


def plot_similarity_heatmap(vectors: Any, words: Sequence[str]) -> Figure:
    """Cosine similarity of every pair of words, as a labelled heatmap."""
    import matplotlib.pyplot as plt
    import numpy as np

    matrix = np.array([[vectors.similarity(a, b) for b in words] for a in words])
    fig, ax = plt.subplots(figsize=(0.55 * len(words) + 2, 0.55 * len(words) + 1))
    image = ax.imshow(matrix, cmap="viridis", vmin=min(0.0, float(matrix.min())), vmax=1)
    ax.set_xticks(range(len(words)), words, rotation=60, ha="right")
    ax.set_yticks(range(len(words)), words)
    for i in range(len(words)):
        for j in range(len(words)):
            ax.text(
                j,
                i,
                f"{matrix[i, j]:.2f}",
                ha="center",
                va="center",
                fontsize=7,
                color="white" if matrix[i, j] < 0.6 else "black",
            )
    fig.colorbar(image, ax=ax, label="cosine similarity", shrink=0.8)
    fig.tight_layout()
    return fig


def plot_position_heatmaps(tables: dict[str, Any]) -> Figure:
    """Position vectors as images: one row per position, one column per dimension."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(tables), figsize=(5.5 * len(tables), 3.8), squeeze=False)
    for ax, (title, table) in zip(axes[0], tables.items(), strict=True):
        values = table.detach().cpu().numpy() if hasattr(table, "detach") else table
        image = ax.imshow(
            values, aspect="auto", cmap="RdBu", vmin=-1.5, vmax=1.5, interpolation="nearest"
        )
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("dimension")
        ax.set_ylabel("position")
        fig.colorbar(image, ax=ax, shrink=0.8)
    fig.tight_layout()
    return fig


def position_similarity_by_distance(table: Any, *, reference: int = 0) -> Any:
    """Dot product of position ``reference``'s vector with every position's vector.

    >>> from llmprep.embeddings import sinusoidal_positions
    >>> position_similarity_by_distance(sinusoidal_positions(3, 4)).round(decimals=3)
    tensor([2.0000, 1.5400, 0.5840])
    """
    return table @ table[reference]


def plot_dot_product_by_distance(tables: dict[str, Any], *, reference: int = 0) -> Figure:
    """How alike two positions' vectors are (dot product) as their distance grows."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.4))
    for label, table in tables.items():
        values = position_similarity_by_distance(table.detach().float(), reference=reference)
        ax.plot(values.cpu().numpy(), label=label)
    ax.set_xlabel(f"position (distance from position {reference})")
    ax.set_ylabel("dot product")
    ax.legend(fontsize=9)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig
