"""The look every figure shares: a colour-blind-safe palette and readable font sizes."""

from __future__ import annotations

from typing import Any

__all__ = ["MIN_FONT_SIZE", "PALETTE", "pyplot", "use_style"]

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


_FAMILIES = ["DejaVu Sans", "llmprep CJK"]  # matplotlib's own font, then the course's CJK


def use_style() -> None:
    """Set the palette and font sizes for every figure of this session (notebooks call it
    once in their first cell, so that their own plots match the package's)."""
    import matplotlib as mpl
    from cycler import cycler
    from matplotlib import font_manager

    from llmprep.course import fonts

    # the Chinese edition's labels: glyphs DejaVu Sans lacks come from the shipped CJK font
    if fonts.FAMILY not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(fonts.FONT))
    # subtle: matplotlib falls back glyph by glyph only along a list of family names
    mpl.rcParams.update(
        {**_STYLE, "axes.prop_cycle": cycler(color=PALETTE), "font.family": _FAMILIES}
    )


def pyplot() -> Any:
    """matplotlib's pyplot, with this style set (what every figure function starts with);
    without matplotlib, an error that names the extra to install."""
    from llmprep.course import require

    require("the notebooks' figures", "matplotlib")
    import matplotlib.pyplot as plt

    use_style()
    return plt
