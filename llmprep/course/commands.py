"""The course's commands of ``llmprep`` (the parsers are in :mod:`llmprep.cli`): ``site``,
``slides``, ``glossary`` and ``progress``."""

from __future__ import annotations

import argparse
import sys
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

    text = write_markdown(args.out, language=args.language)
    if args.out is None:
        print(text, end="")
    return 0


def _font(args: argparse.Namespace) -> int:
    from llmprep.course import fonts

    used = set().union(*(fonts.cjk_characters(text) for text in fonts.texts_of_the_course()))
    out = fonts.subset(args.source, used)
    print(f"{len(used)} characters from {args.source} in {out} ({out.stat().st_size:,} bytes)")
    return 0


def _translate(args: argparse.Namespace) -> int:
    from llmprep.course import translate

    books = translate.english_notebooks(args.notebooks)
    for book in books:  # nothing can be matched to its cell: say how to give them ids
        if no_ids := translate.without_ids(book):
            raise ValueError(no_ids)
    if args.update:
        for book in books:
            added = translate.update(book)
            left = translate.leftovers(book)
            kept = f"; kept {len(left)} entr(ies) nothing uses (--check names them)" if left else ""
            print(f"{translate.translation_of(book).path}: {added} cell(s) to translate{kept}")
        return 0
    found = [line for book in books for line in translate.problems(book)]
    left = [line for book in books for line in translate.leftovers(book)] if args.check else []
    if args.check or found:
        for line in found + left:
            print(line)
        if found:
            print(
                f"llmprep translate: {len(found)} cell(s) not translated or out of date: run "
                f"`llmprep translate --update` and translate what it adds",
                file=sys.stderr,
            )
        if left:
            print(
                f"llmprep translate: {len(left)} entr(ies) of the translation files that no "
                f"text cell uses: delete them",
                file=sys.stderr,
            )
        if found or left:
            return 1
        print(f"the Chinese edition of {len(books)} notebooks is up to date")
        return 0
    for book in books:
        print(f"{translate.build(book)} (run it: make zh)")
    return 0


def _progress(args: argparse.Namespace) -> int:
    from llmprep.course.exercises import classroom

    if args.action == "export":
        path, count, name = classroom.export(args.out, args.name)
        what = f"{count} exercise{'s' if count != 1 else ''}"
        print(f"{what} of {name}'s progress in {path}: hand this file in")
    else:
        print(classroom.summary(args.files), end="")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "font": _font,
    "glossary": _glossary,
    "progress": _progress,
    "site": _site,
    "slides": _slides,
    "translate": _translate,
}
