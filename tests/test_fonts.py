"""The CJK font the course ships: it holds exactly the characters the course uses, under
a name of its own, with its license."""

from __future__ import annotations

from llmprep.course import fonts


def test_the_font_holds_exactly_the_cjk_characters_the_course_uses() -> None:
    used = set().union(*(fonts.cjk_characters(text) for text in fonts.texts_of_the_course()))
    held = fonts.covered()
    missing = used - held
    assert not missing, f"run `llmprep font --from FONT`: missing {''.join(sorted(missing))}"
    assert held == used, f"the font holds characters nothing uses: {''.join(sorted(held - used))}"
    assert len(used) >= 90  # the glossary's terms at least


def test_the_font_is_renamed_and_licensed() -> None:
    from fontTools.ttLib import TTFont

    with TTFont(fonts.FONT) as font:
        assert font["name"].getDebugName(1) == fonts.FAMILY
        assert "Adobe" in font["name"].getDebugName(0)  # the copyright stays
        assert "Open Font License" in font["name"].getDebugName(13)
    notice = fonts.FONT.with_name("OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in notice and "Noto Sans CJK SC" in notice
    assert fonts.FONT.stat().st_size < 2_000_000
