"""The course's commands of ``llmprep`` (the parsers are in :mod:`llmprep.cli`): ``site``,
``slides``, ``glossary`` and ``progress``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

__all__ = ["COMMANDS"]


def _site(args: argparse.Namespace) -> int:
    from llmprep.course.site import build_site

    pages = build_site(args.notebooks, args.out)
    print(f"{len(pages)} pages in {args.out}; open {Path(args.out) / 'index.html'}")
    return 0


def _slides(args: argparse.Namespace) -> int:
    from llmprep.course.slides import write_slides

    for line in write_slides(args.notebooks):
        print(line)
    return 0


def _glossary(args: argparse.Namespace) -> int:
    from llmprep.course.glossary import write_markdown

    text = write_markdown(args.out)
    if args.out is None:
        print(text, end="")
    return 0


def _progress(args: argparse.Namespace) -> int:
    from llmprep.course.exercises import classroom

    if args.action == "export":
        path, count = classroom.export(args.out, args.name)
        what = f"{count} exercise{'s' if count != 1 else ''}"
        print(f"{what} of {args.name}'s progress in {path}: hand this file in")
    else:
        print(classroom.summary(args.files), end="")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "glossary": _glossary,
    "progress": _progress,
    "site": _site,
    "slides": _slides,
}
