"""The language the course speaks in this kernel: English, or Chinese in the Chinese
edition, whose first cell says so (``setup_notebook("01", language="zh")``).

Everything the course says to a learner, an exercise's task and every check message
included, exists in both languages; :func:`say` picks the one of this kernel, English
where a text has no Chinese yet.

>>> say("tokens", "词元")
'tokens'
>>> with speaking("zh"):
...     say("tokens", "词元")
'词元'
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["LANGUAGES", "Said", "language", "say", "set_language", "speaking"]

LANGUAGES = ("en", "zh")
_current = "en"


def set_language(code: str) -> None:
    """Speak ``code`` ("en" or "zh") from now on in this kernel."""
    global _current
    if code not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {code!r}")
    _current = code


def language() -> str:
    """The language of this kernel: "en" or "zh"."""
    return _current


@contextlib.contextmanager
def speaking(code: str) -> Iterator[None]:
    """Speak ``code`` inside the block, then the language before it (tests, builds)."""
    before = _current
    set_language(code)
    try:
        yield
    finally:
        set_language(before)


def say(en: str, zh: str | None = None) -> str:
    """The text in this kernel's language (English where there is no Chinese)."""
    return zh if _current == "zh" and zh else en


@dataclass(frozen=True)
class Said:
    """A text in both languages, shown in the language of the moment it is shown."""

    en: str
    zh: str | None = None

    def __str__(self) -> str:
        return say(self.en, self.zh)
