"""What a notebook's first cell does: the figures' style, and the files it reads, fetched
before any step needs them.

A download shows progress and the first copy from a mirror takes a moment; both happen
here, in the first cell (whose output nbval does not compare), so that no later output
depends on what was cached. Without network and mirror the notebook still opens: this
says which files are missing and how to get them, and the cell that needs one says so
again when it runs.

>>> setup_notebook("01").missing
()
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from llmprep import assets
from llmprep.course.language import say

__all__ = ["NOTEBOOK_FILES", "Setup", "setup_notebook"]

_GPT2 = ("gpt2/encoder.json", "gpt2/vocab.bpe")
#: The external files each notebook reads (its steps and its exercises).
NOTEBOOK_FILES: dict[str, tuple[str, ...]] = {
    "01": ("the-verdict.txt",),
    "02": ("the-verdict.txt", *_GPT2),  # the playground shows GPT-2's tokens too
    "03": ("the-verdict.txt", *_GPT2),
    "04": ("the-verdict.txt", *_GPT2),
    "05": ("word2vec/GoogleNews-vectors-negative300-bolukbasi.bin",),
    "06": ("the-verdict.txt", *_GPT2),
}


@dataclass(frozen=True)
class Setup:
    """Which of a notebook's files are ready, and why the others are not."""

    notebook: str
    ready: tuple[str, ...]
    missing: tuple[tuple[str, str], ...]  # (file, why)

    def __repr__(self) -> str:
        files = ", ".join(self.ready)
        if not self.missing:
            return say(f"Notebook {self.notebook} is ready: {files}.",
                       f"笔记本 {self.notebook} 已就绪：{files}。")  # fmt: skip
        count = len(self.missing)
        lines = [say(f"Notebook {self.notebook} cannot get {count} file(s) it reads:",
                     f"笔记本 {self.notebook} 需要的 {count} 个文件无法获取：")]  # fmt: skip
        lines += [f"  {name}: {why}" for name, why in self.missing]
        lines.append(
            say(
                "You can still read the notebook; the steps that need these files will say "
                "so. To get them: on a machine with internet run `llmprep fetch --to DIR`, "
                "copy DIR here, set LLMPREP_MIRROR=DIR, then restart the kernel.",
                "笔记本仍可阅读；需要这些文件的步骤运行时会给出提示。获取方法：在能上网的电脑上"
                "运行 `llmprep fetch --to DIR`，把 DIR 复制到本机，设置 LLMPREP_MIRROR=DIR，"
                "然后重启内核。",
            )
        )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        colour = "#1b7837" if not self.missing else "#b2182b"
        return f'<pre style="color:{colour};white-space:pre-wrap">{html.escape(repr(self))}</pre>'


def setup_notebook(notebook: str, *, language: str = "en") -> Setup:
    """Speak ``language`` ("en", or "zh" in the Chinese edition), set the figures' style,
    show short tracebacks (:mod:`llmprep.course.tracebacks`) and fetch the files notebook
    ``notebook`` ("01" ... "06") reads; never raises for a file it cannot get (it says
    which, and how to get it)."""
    if notebook not in NOTEBOOK_FILES:
        raise KeyError(f"no notebook {notebook!r}; use one of {', '.join(NOTEBOOK_FILES)}")
    from llmprep.course import tracebacks
    from llmprep.course.language import set_language
    from llmprep.course.plots import use_style

    set_language(language)
    use_style()
    tracebacks.install()
    ready, missing = [], []
    for name in NOTEBOOK_FILES[notebook]:
        try:
            assets.fetch(name)
        except (assets.AssetError, OSError) as error:
            missing.append((name, str(error).split(". ")[0]))
        else:
            ready.append(name)
    return Setup(notebook, tuple(ready), tuple(missing))
