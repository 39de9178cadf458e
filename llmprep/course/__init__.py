"""The course wing: what the notebooks, their learners and their teachers need beyond the
library. It is built on :mod:`llmprep` and nothing in the library imports it.

- :mod:`~llmprep.course.notebook`: the one place that knows a notebook's structure
  (title, learning goals, steps, exercises, teacher notes, reveal cells, time in class,
  figure captions); slides and the site ask it;
- :mod:`~llmprep.course.exercises`: every exercise and checked question, with checks,
  hints and solutions, and the learner's lasting progress (``llmprep progress``);
- :mod:`~llmprep.course.plots`, :mod:`~llmprep.course.display`,
  :mod:`~llmprep.course.playground`: the figures, displays and widgets of the notebooks;
- :mod:`~llmprep.course.glossary`, :mod:`~llmprep.course.slides`,
  :mod:`~llmprep.course.site`: the classroom editions (glossary, slide decks, the
  learners' static site), made by ``llmprep glossary|slides|site``.

Its third-party packages (JupyterLab, nbconvert, ipywidgets, matplotlib, ...) come with
the ``course`` extra: ``pip install 'llmprep[course]'``. A tool run without them says so
(:func:`require`).
"""

from __future__ import annotations

import importlib.util

__all__ = ["MissingExtra", "require"]

#: What to run for the course's packages.
INSTALL = "pip install 'llmprep[course]'"


class MissingExtra(ModuleNotFoundError):
    """A course tool needs a package of the ``course`` extra that is not installed."""


def require(feature: str, *modules: str) -> None:
    """Raise :class:`MissingExtra` naming ``feature``, the missing packages and the fix,
    unless every one of ``modules`` can be imported.

    >>> require("the playground", "json")
    >>> require("the playground", "json", "no_such_package")
    Traceback (most recent call last):
    ...
    llmprep.course.MissingExtra: the playground needs no_such_package, which comes with ...
    """
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        what = ", ".join(missing)
        verb = "comes" if len(missing) == 1 else "come"
        raise MissingExtra(
            f"{feature} needs {what}, which {verb} with the course extra: {INSTALL}",
            name=missing[0],
        )
