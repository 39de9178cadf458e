"""The font that draws the course's Chinese, shipped with it: a machine without a CJK font
(most classroom and CI machines) would show empty boxes instead.

``fonts/llmprep-cjk.otf`` is a subset of Noto Sans CJK SC Regular (SIL Open Font License
1.1, ``fonts/OFL.txt``), renamed *llmprep CJK* as the license asks of a modified font,
holding exactly the CJK characters the course uses: the glossary's terms, and the
Chinese edition's text and figure labels. The site's pages and the figures
(matplotlib) both use it, so nothing is fetched from the web.

After changing Chinese text, make the subset again from the full font (Debian's
``fonts-noto-cjk``, or Noto Sans CJK SC from github.com/notofonts/noto-cjk):
``llmprep font --from /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc``. A test
fails while a character the course uses is missing from the shipped font.

>>> sorted(cjk_characters("Glossary · 术语表, 词元!"))
['元', '术', '表', '词', '语']
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

__all__ = ["CJK", "FAMILY", "FONT", "cjk_characters", "covered", "subset", "texts_of_the_course"]

FONT = Path(__file__).with_name("fonts") / "llmprep-cjk.otf"
FAMILY = "llmprep CJK"
#: Characters a Latin system font does not draw: CJK punctuation, kana, ideographs,
#: compatibility ideographs, vertical and full-width forms.
CJK = re.compile(r"[\u2e80-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
                 r"\ufe30-\ufe4f\uff00-\uffef]")  # fmt: skip
#: The ranges as CSS writes them (the @font-face's unicode-range).
UNICODE_RANGE = (
    "U+2E80-303F, U+3040-30FF, U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF"
)


def cjk_characters(text: str) -> set[str]:
    """The characters of ``text`` that need the CJK font."""
    return set(CJK.findall(text))


def texts_of_the_course(root: Path | None = None) -> list[str]:
    """Every text whose CJK characters the font must hold: what the course wing's code
    can say or draw (its Chinese messages, labels and the glossary, in its source), and
    each notebook of the Chinese edition (its cells and outputs as stored)."""
    here = Path(__file__).parent
    root = root or here.parents[1] / "notebooks"
    texts = [p.read_text(encoding="utf-8") for p in sorted(here.rglob("*.py"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((root / "zh").glob("*.ipynb"))]
    return texts


def covered(font: Path = FONT) -> set[str]:
    """The characters a font file holds a glyph for."""
    from fontTools.ttLib import TTFont

    with TTFont(font, lazy=True) as loaded:
        return {chr(code) for code in loaded.getBestCmap()}


def subset(source: str | os.PathLike[str], characters: Iterable[str], out: Path = FONT) -> Path:
    """Write the glyphs of ``characters`` from ``source`` (an .otf, or a .ttc of Noto Sans
    CJK, whose SC font is taken) into ``out``, renamed :data:`FAMILY`."""
    from fontTools import subset as fontsubset
    from fontTools.ttLib import TTCollection, TTFont

    from llmprep._files import replace_with, temporary_file

    source = Path(source)
    if source.suffix.lower() == ".ttc":
        fonts = TTCollection(source).fonts
        font = next((f for f in fonts if f["name"].getDebugName(1) == "Noto Sans CJK SC"), None)
        if font is None:
            raise ValueError(f"{source} holds no 'Noto Sans CJK SC' font")
    else:
        font = TTFont(source)
    wanted = sorted(set(characters))
    missing = [c for c in wanted if ord(c) not in font.getBestCmap()]
    if missing:
        raise ValueError(f"{source} has no glyph for {''.join(missing)!r}")
    options = fontsubset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    subsetter = fontsubset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in wanted])
    subsetter.subset(font)
    _rename(font)
    font.recalcTimestamp = False  # the same characters make the same bytes
    with temporary_file(out) as (f, tmp):
        font.save(f)
        f.close()
        replace_with(tmp, out)
    return out


def _rename(font: object) -> None:
    """Give the subset a family name of its own (the OFL: a modified font must not be
    mistaken for the original), keeping the copyright and the license."""
    names = font["name"]  # type: ignore[index]
    for record in list(names.names):
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID in (3, 4):
            record.string = f"{FAMILY} Regular"
        elif record.nameID == 6:
            record.string = "llmprepCJK-Regular"
        elif record.nameID == 5:
            record.string = f"{record.toUnicode()}; subset for llmprep"
    if "CFF " in font:  # type: ignore[operator]
        cff = font["CFF "].cff  # type: ignore[index]
        cff.fontNames = ["llmprepCJK-Regular"]
        top = cff.topDictIndex[0]
        top.FullName, top.FamilyName = f"{FAMILY} Regular", FAMILY
