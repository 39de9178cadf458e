"""The notebooks' figures: notebooks write ``from llmprep.plots import ...``; the code
lives in the course wing, :mod:`llmprep.course.plots` (the ``course`` extra)."""

from llmprep.course.plots import *  # noqa: F403 (the same names)
from llmprep.course.plots import __all__  # noqa: F401
