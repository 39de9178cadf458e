from __future__ import annotations

import matplotlib
import pytest

from llmprep import plot_token_frequencies, split_text
from llmprep.plots import token_frequencies

matplotlib.use("Agg")


def test_token_frequencies_of_the_verdict(verdict: str) -> None:
    top = token_frequencies(split_text(verdict), top=5)
    assert top == [(",", 229), (".", 212), ("the", 168), ('"', 137), ("I", 122)]


def test_plot_draws_one_bar_per_token_with_its_count(verdict: str) -> None:
    tokens = split_text(verdict, keep_whitespace=True)
    ax = plot_token_frequencies(tokens, top=10)
    heights = [bar.get_height() for bar in ax.patches]
    assert heights == [n for _, n in token_frequencies(tokens, top=10)]
    labels = [label.get_text() for label in ax.get_xticklabels()]
    assert labels[:2] == ["' '", "','"] and "'\\n'" in labels  # whitespace drawn visibly


def test_plot_and_frequencies_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="no tokens to plot"):
        plot_token_frequencies([])
    with pytest.raises(ValueError, match="top must be at least 1"):
        token_frequencies(["a"], top=0)


def test_sliding_window_picture_draws_the_datasets_windows() -> None:
    from llmprep.dataset import TokenWindows
    from llmprep.plots import plot_sliding_windows, window_spans

    windows = TokenWindows(list(range(14)), max_length=4, stride=3)
    spans = window_spans(14, max_length=4, stride=3)
    assert spans == [
        (int(windows[i][0][0]), int(windows[i][0][-1]) + 1) for i in range(len(windows))
    ]
    fig = plot_sliding_windows(14, max_length=4, strides=[1, 3])
    filled = [p for p in fig.axes[1].patches if p.get_fill()]
    outlined = [p for p in fig.axes[1].patches if not p.get_fill()]
    assert [(p.get_x(), p.get_width()) for p in filled] == [(s, 4) for s, _ in spans]
    assert [p.get_x() for p in outlined] == [s + 1 for s, _ in spans]  # targets: one on
    assert "10 windows" in fig.axes[0].get_title(loc="left")


def test_word_pictures_show_the_vectors_data() -> None:
    import numpy as np

    from llmprep.plots import pca_2d, plot_similarity_heatmap, plot_word_map
    from llmprep.word2vec import load_word2vec

    vectors = load_word2vec("subset")
    groups = {"animals": ["dog", "cat"], "vehicles": ["car", "bus", "train"]}
    fig = plot_word_map(vectors, groups)
    drawn = np.vstack([c.get_offsets() for c in fig.axes[0].collections])
    expected = pca_2d([vectors[w] for w in ["dog", "cat", "car", "bus", "train"]])
    np.testing.assert_allclose(drawn, expected, rtol=1e-6)
    assert [t.get_text() for t in fig.axes[0].texts] == ["dog", "cat", "car", "bus", "train"]
    words = ["king", "queen", "dog"]
    image = plot_similarity_heatmap(vectors, words).axes[0].images[0].get_array()
    assert round(float(image[0, 1]), 3) == round(float(vectors.similarity("king", "queen")), 3)
    np.testing.assert_allclose(np.diag(image), 1, rtol=1e-5)


def test_pca_is_stable_under_sign_flips() -> None:
    import numpy as np

    from llmprep.plots import pca_2d

    points = np.random.default_rng(0).normal(size=(10, 5))
    np.testing.assert_allclose(pca_2d(points), pca_2d(-points), atol=1e-12)
