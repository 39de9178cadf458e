"""Figures of stage 6: position tables as images, how alike positions are as their
distance grows, and how (T, D) positions broadcast over a (B, T, D) batch."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from llmprep.course.plots.labels import label
from llmprep.course.plots.style import PALETTE, pyplot

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "plot_broadcast",
    "plot_position_heatmaps",
    "plot_position_similarity",
    "position_similarity_by_distance",
]


def _numpy(table: Any) -> Any:
    return table.detach().cpu().numpy() if hasattr(table, "detach") else table


def plot_position_heatmaps(tables: dict[str, Any]) -> Figure:
    """Position vectors as images: one row per position, one column per dimension. Each
    colour scale is fitted to its table (symmetric around 0, white at 0)."""
    plt = pyplot()
    import numpy as np

    fig, axes = plt.subplots(1, len(tables), figsize=(6 * len(tables), 4.2), squeeze=False)
    for ax, (title, table) in zip(axes[0], tables.items(), strict=True):
        values = _numpy(table)
        limit = float(np.abs(values).max()) or 1.0
        image = ax.imshow(
            values, aspect="auto", cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest"
        )
        ax.set_title(label(title))
        ax.set_xlabel(label("dimension"))
        ax.set_ylabel(label("position"))
        fig.colorbar(image, ax=ax, shrink=0.85)
    fig.tight_layout()
    return fig


def position_similarity_by_distance(table: Any, *, reference: int = 0) -> Any:
    """Cosine similarity of position ``reference``'s vector with every position's vector:
    comparable between tables whose vectors have different lengths.

    >>> from llmprep.embeddings import sinusoidal_positions
    >>> position_similarity_by_distance(sinusoidal_positions(3, 4)).round(decimals=3)
    tensor([1.0000, 0.7700, 0.2920])
    """
    import torch

    table = torch.as_tensor(table).detach().double()
    unit = table / table.norm(dim=1, keepdim=True)
    return (unit @ unit[reference]).to(torch.float32)


def plot_position_similarity(tables: dict[str, Any], *, reference: int = 0) -> Figure:
    """How alike two positions' vectors are (cosine similarity) as their distance grows."""
    plt = pyplot()

    fig, ax = plt.subplots(figsize=(8, 3.8))
    for name, table in tables.items():
        values = position_similarity_by_distance(table, reference=reference)
        ax.plot(values.numpy(), label=label(name), lw=2)
    ax.axhline(0, color="#888888", lw=0.8)
    ax.set_xlabel(label("position (distance from position {reference})", reference=reference))
    ax.set_ylabel(label("cosine similarity"))
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_broadcast(batch: int = 8, tokens: int = 4, dims: int = 256, *, shown: int = 3) -> Figure:
    """(B, T, D) token vectors + (T, D) position vectors -> (B, T, D): the one position
    table is added to every window of the batch (drawn for ``shown`` of the B windows)."""
    plt = pyplot()
    from matplotlib.patches import Rectangle

    fig, ax = plt.subplots(figsize=(12, 3.8))
    width, height, step = 2.4, 1.8, 0.35

    def stack(x: float, copies: int, colour: str, solid: int = 99) -> None:
        from matplotlib.colors import to_rgb

        light = tuple(1 - 0.45 * (1 - c) for c in to_rgb(colour))  # opaque, so slabs hide
        for k in reversed(range(copies)):  # back to front
            ghost = k >= solid  # a copy made by broadcasting, not stored
            x0, y0 = x + k * step, k * step
            ax.add_patch(
                Rectangle(
                    (x0, y0),
                    width,
                    height,
                    facecolor="white" if ghost else light,
                    edgecolor="#777777" if ghost else "#333333",
                    ls="--" if ghost else "-",
                    lw=1.2,
                    zorder=20 - 2 * k,  # the front slab hides the ones behind it
                )
            )
            for row in range(1, tokens):  # one row per token
                y = y0 + height * row / tokens
                ax.plot(
                    [x0, x0 + width],
                    [y, y],
                    color="#999999",
                    lw=0.6,
                    ls="--" if ghost else "-",
                    zorder=21 - 2 * k,
                )

    stack(0, shown, PALETTE[4])
    stack(4.6, shown, PALETTE[1], solid=1)
    stack(9.2, shown, PALETTE[2])
    for x, sign in ((3.75, "+"), (8.35, "=")):
        ax.text(x, height / 2 + step, sign, fontsize=28, ha="center", va="center")
    sizes = {"shown": shown, "batch": batch, "tokens": tokens, "dims": dims}
    captions = (
        label("token vectors: {shown} of the B = {batch} windows,\neach T = {tokens} rows of "
              "D = {dims}\n(B, T, D) = ({batch}, {tokens}, {dims})", **sizes),
        label("position vectors\n(T, D) = ({tokens}, {dims}),\nrepeated for each of the "
              "{batch}", **sizes),
        label("input embeddings\n(B, T, D) = ({batch}, {tokens}, {dims})", **sizes),
    )  # fmt: skip
    for x, caption in zip((0, 4.6, 9.2), captions, strict=True):
        ax.text(x + width / 2 + step, -0.3, caption, ha="center", va="top", fontsize=11)
    ax.set_xlim(-0.3, 12.6)
    ax.set_ylim(-1.9, height + shown * step + 0.2)
    ax.set_axis_off()
    ax.set_title(
        label("Broadcasting lines the shapes up from the right: (B, T, D) + (T, D) -> (B, T, D)"),
        loc="left",
    )
    fig.tight_layout()
    return fig
