from __future__ import annotations

import matplotlib
import pytest

from llmprep import plot_token_frequencies, split_text
from llmprep.course.plots import token_frequencies

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
    assert labels[:2] == ["'␣'", "','"] and "'↵'" in labels  # whitespace drawn visibly


def test_zipfs_law_on_the_story(verdict: str) -> None:
    from llmprep.course.plots import plot_rank_frequency, rank_frequencies, zipf_constant

    tokens = split_text(verdict)
    ranked = rank_frequencies(tokens)
    assert ranked[0] == (1, 229) and len(ranked) == 1130  # ',' first; every distinct token
    assert [n for _, n in ranked] == sorted((n for _, n in ranked), reverse=True)
    constant = zipf_constant(ranked)
    # the law holds roughly from rank 10 to the tail: within a factor of 2.5 of C / rank
    assert all(constant / 2.5 <= n * r <= constant * 2.5 for r, n in ranked[9:400])
    ax = plot_rank_frequency(tokens)
    points, line = ax.get_lines()
    assert list(points.get_ydata()) == [n for _, n in ranked]
    assert line.get_ydata()[0] == constant and ax.get_xscale() == "log"


def test_plot_and_frequencies_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="no tokens to plot"):
        plot_token_frequencies([])
    with pytest.raises(ValueError, match="top must be at least 1"):
        token_frequencies(["a"], top=0)


def test_sliding_window_picture_pairs_each_input_with_its_target() -> None:
    from llmprep.course.plots import plot_sliding_windows, window_spans
    from llmprep.dataset import TokenWindows

    windows = TokenWindows(list(range(14)), max_length=4, stride=3)
    spans = window_spans(14, max_length=4, stride=3)
    assert spans == [
        (int(windows[i][0][0]), int(windows[i][0][-1]) + 1) for i in range(len(windows))
    ]
    words = [f"w{k}" for k in range(14)]
    fig = plot_sliding_windows(words, max_length=4, strides=[1, 3])
    ax = fig.axes[1]
    rows = {}  # row label -> the token texts written in that row's boxes
    labels = [t for t in ax.texts if t.get_text().startswith("window")]
    for label in labels:
        y = label.get_position()[1]
        rows[label.get_text()] = [
            t.get_text()
            for t in ax.texts
            if t.get_position()[1] == y and not t.get_text().startswith("window")
        ]
    for k, (start, end) in enumerate(spans):
        assert rows[f"window {k} input"] == words[start:end]
        assert rows[f"window {k} target"] == words[start + 1 : end + 1]  # one token on
    assert "10 windows" in fig.axes[0].get_title(loc="left")


def test_word_pictures_show_the_vectors_data() -> None:
    import numpy as np

    from llmprep.course.plots import pca_2d, plot_similarity_heatmap, plot_word_map
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

    from llmprep.course.plots import pca_2d

    points = np.random.default_rng(0).normal(size=(10, 5))
    np.testing.assert_allclose(pca_2d(points), pca_2d(-points), atol=1e-12)


def all_texts(fig) -> list:
    import matplotlib.text

    return [
        t
        for t in fig.findobj(matplotlib.text.Text)
        if t.get_visible() and t.get_text().strip() and t.figure is fig
    ]


def test_no_figure_has_text_below_the_minimum_size(verdict: str) -> None:
    import torch

    from llmprep import plots
    from llmprep.embeddings import sinusoidal_positions
    from llmprep.word2vec import load_word2vec

    vectors = load_word2vec("subset")
    table = sinusoidal_positions(16, 32)
    figures = {
        "frequencies": plots.plot_token_frequencies(split_text(verdict)).figure,
        "pattern": plots.plot_pattern(),
        "windows": plots.plot_sliding_windows(10, max_length=4, strides=[1, 4]),
        "word map": plots.plot_word_map(vectors, {"a": ["dog", "cat"], "b": ["car", "bus"]}),
        "heatmap": plots.plot_similarity_heatmap(vectors, ["king", "queen", "dog", "cat"]),
        "lookup": plots.plot_embedding_lookup(torch.nn.Embedding(6, 3).weight, [3, 1]),
        "positions": plots.plot_position_heatmaps({"sinusoidal": table}),
        "similarity": plots.plot_position_similarity({"sinusoidal": table}),
        "broadcast": plots.plot_broadcast(),
    }
    for name, fig in figures.items():
        fig.canvas.draw()
        small = {t.get_text(): t.get_fontsize() for t in all_texts(fig)}
        small = {text: size for text, size in small.items() if size < plots.MIN_FONT_SIZE}
        assert not small, f"{name}: text below {plots.MIN_FONT_SIZE} pt: {small}"


def test_word_map_labels_never_overlap() -> None:
    from llmprep.course.plots import plot_word_map
    from llmprep.word2vec import load_word2vec

    groups = {  # notebook 05's groups: man/woman, boy/girl and cheese/butter sit close
        "animals": ["dog", "cat", "horse", "cow", "sheep", "pig"],
        "food": ["bread", "cheese", "apple", "rice", "soup", "butter"],
        "vehicles": ["car", "bus", "train", "bicycle", "truck", "airplane"],
        "people": ["king", "queen", "man", "woman", "boy", "girl"],
    }
    fig = plot_word_map(load_word2vec("subset"), groups)
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    words = [w for members in groups.values() for w in members]
    labels = [t for t in ax.texts if t.get_text() in words]
    assert sorted(t.get_text() for t in labels) == sorted(words)
    boxes = [t.get_window_extent(renderer) for t in labels]
    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            assert not a.overlaps(boxes[j]), (labels[i].get_text(), labels[j].get_text())
    inside = ax.get_window_extent(renderer)
    assert all(inside.x0 <= b.x0 and b.x1 <= inside.x1 for b in boxes)


def test_group_similarity_is_highest_within_groups() -> None:
    from llmprep.course.plots import group_similarity
    from llmprep.word2vec import load_word2vec

    vectors = load_word2vec("subset")
    groups = {"pets": ["dog", "cat", "puppy"], "rides": ["car", "bus", "truck"]}
    table = group_similarity(vectors, groups)
    assert table["pets"]["rides"] == table["rides"]["pets"]
    assert table["pets"]["pets"] > table["pets"]["rides"] < table["rides"]["rides"]
    expected = (
        sum(
            float(vectors.similarity(a, b))
            for a, b in [("dog", "cat"), ("dog", "puppy"), ("cat", "puppy")]
        )
        / 3
    )
    assert abs(table["pets"]["pets"] - expected) < 1e-6


def test_position_similarity_is_cosine_and_the_scale_fits_the_data() -> None:
    import torch

    from llmprep.course.plots import plot_position_heatmaps, position_similarity_by_distance
    from llmprep.embeddings import sinusoidal_positions

    table = sinusoidal_positions(32, 16)
    scaled = position_similarity_by_distance(10 * table)
    torch.testing.assert_close(scaled, position_similarity_by_distance(table))
    assert float(scaled[0]) == pytest.approx(1.0)
    image = plot_position_heatmaps({"t": table}).axes[0].images[0]
    assert image.get_clim() == pytest.approx((-float(table.abs().max()), float(table.abs().max())))


def test_the_style_is_colour_blind_safe() -> None:
    import matplotlib as mpl

    from llmprep.course.plots import PALETTE, use_style

    use_style()
    colours = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
    assert [c.upper() for c in colours] == [c.upper() for c in PALETTE]
    assert mpl.rcParams["image.cmap"] == "cividis"


def test_the_measured_curves_are_drawn_as_measured() -> None:
    from llmprep.course.plots import plot_tokens_by_vocabulary, plot_unknown_share

    ax = plot_unknown_share([0.1, 0.5], [0.4, 0.2])
    assert list(ax.get_lines()[0].get_ydata()) == [40.0, 20.0] and ax.get_ylim()[0] == 0
    ax = plot_tokens_by_vocabulary([257, 1000], [900, 500], gpt2_length=450)
    curve, gpt2 = ax.get_lines()
    assert list(curve.get_ydata()) == [900, 500] and list(gpt2.get_ydata()) == [450, 450]
    assert "50,257" in ax.get_legend().get_texts()[1].get_text()


def test_every_figure_speaks_chinese_in_the_chinese_edition(recwarn) -> None:
    from llmprep.course.language import speaking
    from llmprep.course.plots import labels, plot_tokens_by_vocabulary, plot_unknown_share

    with speaking("zh"):
        ax = plot_tokens_by_vocabulary([257, 1000], [900, 500], gpt2_length=450)
        assert ax.get_xlabel() == "词表大小" and "GPT-2 的分词器（词表中 50,257 个词元）" in [
            t.get_text() for t in ax.get_legend().get_texts()
        ]
        plot_unknown_share([0.1], [0.4])
        assert labels.label("not in the table") == "not in the table"
    assert [w.category for w in recwarn] == [labels.MissingLabel]  # said, not hidden
