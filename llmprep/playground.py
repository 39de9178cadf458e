"""The tokenizer playground: notebooks write ``from llmprep.playground import ...``; the
code lives in the course wing, :mod:`llmprep.course.playground` (the ``course`` extra)."""

from llmprep.course.playground import *  # noqa: F403 (the same names)
from llmprep.course.playground import __all__  # noqa: F401
