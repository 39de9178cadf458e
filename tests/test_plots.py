from __future__ import annotations

import matplotlib
import pytest

from llmprep import plot_token_frequencies, show_source, split_text
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


def test_show_source_is_the_real_source() -> None:
    code = show_source(split_text)
    assert code.data.startswith("def split_text(")
    assert "<span" in code._repr_html_()
