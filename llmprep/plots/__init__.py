"""The figures the notebooks draw, readable on a projector and for colour-blind readers.

matplotlib is imported on first use. Every figure uses :func:`use_style`: the Okabe-Ito
palette (distinguishable with any common colour-vision deficiency) and no text smaller
than :data:`MIN_FONT_SIZE` points. The data behind each figure comes from a function of
its own (``token_frequencies``, ``window_spans``, ``pca_2d``, ``group_similarity``,
``position_similarity_by_distance``), so tests can check it.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "MIN_FONT_SIZE",
    "PALETTE",
    "group_similarity",
    "pca_2d",
    "plot_broadcast",
    "plot_embedding_lookup",
    "plot_pattern",
    "plot_position_heatmaps",
    "plot_position_similarity",
    "plot_similarity_heatmap",
    "plot_sliding_windows",
    "plot_token_frequencies",
    "plot_word_map",
    "position_similarity_by_distance",
    "token_frequencies",
    "use_style",
    "window_spans",
]

#: Okabe & Ito's colour-blind-safe palette: blue, orange, green, purple, sky, vermilion.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
#: No text in a figure is smaller than this (points, at the notebook's default size).
MIN_FONT_SIZE = 10

_STYLE: dict[str, Any] = {
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.title_fontsize": 10,
    "figure.titlesize": 13,
    "image.cmap": "cividis",
}


def use_style() -> None:
    """Set the palette and font sizes for every figure of this session (notebooks call it
    once in their first cell, so that their own plots match the package's)."""
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update({**_STYLE, "axes.prop_cycle": cycler(color=PALETTE)})


# the figures, by subject (each imports matplotlib only when it draws)
from llmprep.plots.positions import (  # noqa: E402
    plot_broadcast,
    plot_position_heatmaps,
    plot_position_similarity,
    position_similarity_by_distance,
)
from llmprep.plots.text import (  # noqa: E402
    plot_pattern,
    plot_sliding_windows,
    plot_token_frequencies,
    token_frequencies,
    window_spans,
)
from llmprep.plots.vectors import (  # noqa: E402
    group_similarity,
    pca_2d,
    plot_embedding_lookup,
    plot_similarity_heatmap,
    plot_word_map,
)
