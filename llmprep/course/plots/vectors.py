"""Figures of stage 5: word vectors in 2-D, their similarities, and an embedding as a
lookup of rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from llmprep.course.plots.labels import label
from llmprep.course.plots.style import PALETTE, pyplot

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "group_similarity",
    "pca_2d",
    "place_labels",
    "plot_embedding_lookup",
    "plot_similarity_heatmap",
    "plot_word_map",
]


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


def group_similarity(vectors: Any, groups: dict[str, Sequence[str]]) -> dict[str, dict[str, float]]:
    """Mean cosine similarity between the words of two groups (within a group: distinct
    pairs only), in all dimensions: the clusters that a 2-D picture can only hint at.

    >>> from llmprep.word2vec import load_word2vec  # doctest: +ELLIPSIS
    >>> table = group_similarity(load_word2vec("subset"), {"pets": ["dog", "cat"],
    ...                                                    "rides": ["car", "bus"]})
    Loaded ...
    >>> round(table["pets"]["pets"], 3), round(table["pets"]["rides"], 3)
    (0.761, 0.186)
    """
    table: dict[str, dict[str, float]] = {}
    for a, words_a in groups.items():
        table[a] = {}
        for b, words_b in groups.items():
            pairs = [(x, y) for x in words_a for y in words_b if x != y]
            if a == b:
                pairs = [(x, y) for x, y in pairs if words_a.index(x) < words_a.index(y)]
            table[a][b] = sum(float(vectors.similarity(x, y)) for x, y in pairs) / len(pairs)
    return table


# Offsets (in points) a label may take around its point, nearest first.
_OFFSETS = [
    (dx * r, dy * r)
    for r in (6, 14, 24, 36)
    for dx, dy in ((1, 0.4), (-1, 0.4), (1, -1), (-1, -1), (0, 1.2), (0, -1.8), (1.4, 0), (-1.4, 0))
]


def place_labels(ax: Any, points: Any, labels: Sequence[str], **text: Any) -> list[Any]:
    """Write each label near its point where it overlaps no other label and no point.

    Greedy: each label takes the first offset (nearest first) whose box is free; a label
    placed far from its point gets a thin line to it.
    """
    import numpy as np

    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    marks = [ax.transData.transform(p) for p in np.asarray(points)]
    taken = [(x - 4, y - 4, x + 4, y + 4) for x, y in marks]  # the markers themselves
    placed = []
    for word, point in zip(labels, points, strict=True):
        best, best_overlap = None, None
        for dx, dy in _OFFSETS:
            artist = ax.annotate(
                word,
                point,
                xytext=(dx, dy),
                textcoords="offset points",
                ha="left" if dx > 0 else "right" if dx < 0 else "center",
                va="bottom" if dy > 0 else "top",
                **text,
            )
            box = artist.get_window_extent(renderer)
            box = (box.x0 - 1, box.y0 - 1, box.x1 + 1, box.y1 + 1)
            overlap = sum(_overlap(box, other) for other in taken)
            if best_overlap is None or overlap < best_overlap:
                if best is not None:
                    best[0].remove()
                best, best_overlap = (artist, box, (dx, dy)), overlap
            else:
                artist.remove()
            if overlap == 0:
                break
        artist, box, (dx, dy) = best
        if abs(dx) + abs(dy) > 20:  # far from its point: show which point it names
            ax.annotate(
                "",
                point,
                xytext=(dx, dy),
                textcoords="offset points",
                arrowprops={"arrowstyle": "-", "color": "#888888", "lw": 0.7},
            )
        taken.append(box)
        placed.append(artist)
    return placed


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return max(width, 0) * max(height, 0)


def plot_word_map(vectors: Any, groups: dict[str, Sequence[str]]) -> Figure:
    """Words of several groups in 2-D (PCA of their vectors), one colour and marker per
    group, labels placed so that none overlaps another."""
    plt = pyplot()

    words = [word for members in groups.values() for word in members]
    points = pca_2d([vectors[word] for word in words])
    fig, ax = plt.subplots(figsize=(8, 4.3))  # fits a 1280 x 720 slide with its code
    markers = "osD^vP"
    start = 0
    for k, (name, members) in enumerate(groups.items()):
        xy = points[start : start + len(members)]
        ax.scatter(xy[:, 0], xy[:, 1], label=label(name), s=40, marker=markers[k % len(markers)])
        start += len(members)
    ax.margins(0.18)
    ax.set_xlabel(label("first principal component"))
    ax.set_ylabel(label("second principal component"))
    ax.legend(loc="best")
    ax.set_title(label("{n} words, {d} dimensions projected to 2", n=len(words),
                       d=vectors.vector_size))  # fmt: skip
    fig.tight_layout()
    place_labels(ax, points, words, fontsize=11)
    return fig


def plot_similarity_heatmap(vectors: Any, words: Sequence[str]) -> Figure:
    """Cosine similarity of every pair of words, as a labelled heatmap."""
    plt = pyplot()
    import numpy as np

    matrix = np.array([[vectors.similarity(a, b) for b in words] for a in words])
    size = 0.44 * len(words)  # 9 words fit a 1280 x 720 slide with their code; 10 pt labels
    fig, ax = plt.subplots(figsize=(size + 2.5, size + 1.1))
    image = ax.imshow(matrix, cmap="cividis", vmin=min(0.0, float(matrix.min())), vmax=1)
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
                fontsize=10,
                color="white" if matrix[i, j] < 0.55 else "black",
            )
    fig.colorbar(image, ax=ax, label=label("cosine similarity"), shrink=0.8)
    fig.tight_layout()
    return fig


def plot_embedding_lookup(weight: Any, ids: Sequence[int]) -> Figure:
    """An embedding as a lookup: each id picks its row of the weight matrix.

    Left, the (vocab_size, dim) matrix with the chosen rows highlighted; right, the output,
    one row per id, in the order of the ids.
    """
    plt = pyplot()
    from matplotlib.patches import ConnectionPatch, Rectangle

    table = weight.detach().cpu().numpy() if hasattr(weight, "detach") else weight
    rows, dims = table.shape
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(10, 0.5 * rows + 1.6), gridspec_kw={"width_ratios": [1.3, 1]}
    )
    colours = {i: PALETTE[k % len(PALETTE)] for k, i in enumerate(dict.fromkeys(ids))}

    def draw(ax: Any, values: Any, names: Sequence[str], highlight: Sequence[Any]) -> None:
        for r, row in enumerate(values):
            colour = highlight[r]
            for c, value in enumerate(row):
                ax.add_patch(
                    Rectangle(
                        (c, -r - 1),
                        1,
                        1,
                        facecolor=colour or "white",
                        alpha=0.35 if colour else 1,
                        edgecolor="#555555",
                    )
                )
                ax.text(c + 0.5, -r - 0.5, f"{value:.2f}", ha="center", va="center", fontsize=10)
            ax.text(-0.15, -r - 0.5, names[r], ha="right", va="center", fontsize=10)
        ax.set_xlim(-1.6, dims + 0.1)
        ax.set_ylim(-len(values) - 0.1, 0.1)
        ax.set_axis_off()

    names = [label("id {i}", i=r) for r in range(rows)]
    draw(left, table, names, [colours.get(r) for r in range(rows)])
    left.set_title(label("weight: {rows} rows (one per id) x {dims}", rows=rows, dims=dims),
                   loc="left")  # fmt: skip
    draw(right, table[list(ids)], [names[i] for i in ids], [colours[i] for i in ids])
    right.set_title(label("embedding({ids}): {n} x {dims}", ids=list(ids), n=len(ids),
                          dims=dims), loc="left")  # fmt: skip
    for k, i in enumerate(ids):
        fig.add_artist(
            ConnectionPatch(
                (dims, -i - 0.5),
                (-1.5, -k - 0.5),
                "data",
                "data",
                axesA=left,
                axesB=right,
                color=colours[i],
                arrowstyle="->",
                lw=1.5,
            )
        )
    fig.tight_layout()
    return fig
