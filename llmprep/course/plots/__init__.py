"""The figures the notebooks draw, readable on a projector and for colour-blind readers.

matplotlib is imported on first use. Every figure uses :func:`use_style`: the Okabe-Ito
palette (distinguishable with any common colour-vision deficiency) and no text smaller
than :data:`MIN_FONT_SIZE` points. The data behind each figure comes from a function of
its own (``token_frequencies``, ``window_spans``, ``pca_2d``, ``group_similarity``,
``position_similarity_by_distance``), so tests can check it.
"""

from __future__ import annotations

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
    "plot_rank_frequency",
    "plot_similarity_heatmap",
    "plot_sliding_windows",
    "plot_token_frequencies",
    "plot_tokens_by_vocabulary",
    "plot_unknown_share",
    "plot_word_map",
    "position_similarity_by_distance",
    "rank_frequencies",
    "token_frequencies",
    "use_style",
    "visible",
    "window_spans",
    "zipf_constant",
]

# the figures, by subject (each imports matplotlib only when it draws)
from llmprep.course.plots.positions import (
    plot_broadcast,
    plot_position_heatmaps,
    plot_position_similarity,
    position_similarity_by_distance,
)
from llmprep.course.plots.style import MIN_FONT_SIZE, PALETTE, use_style
from llmprep.course.plots.text import (
    plot_pattern,
    plot_rank_frequency,
    plot_sliding_windows,
    plot_token_frequencies,
    plot_tokens_by_vocabulary,
    plot_unknown_share,
    rank_frequencies,
    token_frequencies,
    visible,
    window_spans,
    zipf_constant,
)
from llmprep.course.plots.vectors import (
    group_similarity,
    pca_2d,
    plot_embedding_lookup,
    plot_similarity_heatmap,
    plot_word_map,
)
