"""The ``llmprep`` command, the one front door to the library and the course.

Library: ``fetch``, ``info``, ``prepare``. Course (the ``course`` extra): ``site``,
``slides``, ``glossary``, ``translate``, ``font``. The course's commands live in
:mod:`llmprep.course.commands`, loaded only when one of them runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from llmprep import __version__, assets

_HELP = """\
From raw text to the input tensors of a GPT: the library's data tools and the course's
editions. Run "llmprep COMMAND --help" for one command.
"""


def _fetch(args: argparse.Namespace) -> int:
    if args.all and args.names:
        raise ValueError("give file names or --all, not both")
    names = args.names or sorted(assets.ASSETS)
    for name in names:
        assets.get_asset(name)  # an unknown name is an error before anything is fetched
    target = Path(args.to) if args.to else None  # None: the cache, or a package's own copy
    failed = []
    for name in names:  # every file it can get, then what it could not
        try:
            path = assets.fetch(name, cache=target)
        except (assets.AssetError, OSError) as error:
            failed.append(str(error))
            continue
        print(f"ok  {path}")
    if failed:
        reasons = sorted({why.split(". ", 1)[0] for why in failed})
        advice = [why.split(". ", 1)[1] for why in failed if ". " in why][:1]  # one is enough
        print(
            f"\nllmprep fetch: {len(failed)} of {len(names)} file(s) could not be fetched:\n  "
            + "\n  ".join(reasons)
            + "".join(f"\n{line}" for line in advice)
            + "\nThe notebooks still open; the steps that need these files say so when run.",
            file=sys.stderr,
        )
        return 1
    if args.to:
        print(
            f"\nA mirror of {len(names)} file(s) is in {target}. Copy it to each machine and "
            f"run `export LLMPREP_MIRROR={target}` there before `make lab`."
        )
    return 0


def _info(args: argparse.Namespace) -> int:
    cache, mirror = assets.cache_dir(), assets.mirror_dir()
    print(f"cache:  {cache}  (LLMPREP_DATA moves it)")
    print(
        f"mirror: {mirror or 'none (set LLMPREP_MIRROR to a folder made by `llmprep fetch --to`)'}"
    )
    for asset in assets.ASSETS.values():
        found = assets.locate(asset.name)
        if found is not None:
            state = f"ok: {found}"
        elif (cache / asset.name).is_file():
            state = "CORRUPT in the cache (the next fetch replaces it)"
        else:
            state = "missing (`llmprep fetch` gets it)"
        print(f"{asset.name}  {asset.size:,} bytes\n    {state}\n    {asset.license}")
    return 0


def _prepare(args: argparse.Namespace) -> int:
    from llmprep.tokenfile import prepare_token_file

    meta = prepare_token_file(
        args.inputs, args.out, tokenizer=args.tokenizer, progress=not args.quiet
    )
    print(
        f"{meta['count']:,} tokens ({meta['dtype']}, tokenizer {meta['tokenizer']}) from "
        f"{len(meta['documents'])} file(s) in {args.out}/tokens.bin; use "
        f"TokenWindows.from_file({str(args.out)!r}, ...)"
    )
    return 0


def _course(name: str) -> Callable[[argparse.Namespace], int]:
    """A course command, from the course wing (imported only when it runs)."""

    def run(args: argparse.Namespace) -> int:
        from llmprep.course import commands  # the one place the library enters the course

        return commands.COMMANDS[name](args)

    return run


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="llmprep", description=_HELP, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"llmprep {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    fetch = commands.add_parser(
        "fetch", help="download (or copy from LLMPREP_MIRROR) external files into the cache"
    )
    fetch.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help=f"files to fetch (default: all): {', '.join(sorted(assets.ASSETS))}",
    )
    fetch.add_argument(
        "--all", action="store_true", help="every registered file (also the default)"
    )
    fetch.add_argument(
        "--to",
        metavar="DIR",
        help="put the files in DIR instead of the cache: a mirror folder for a class",
    )
    fetch.set_defaults(run=_fetch)

    prepare = commands.add_parser(
        "prepare",
        help="tokenize text files (GPT-2, or --tokenizer) into DIR/tokens.bin + meta.json",
    )
    prepare.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="UTF-8 text files, one document each"
    )
    prepare.add_argument("--out", required=True, metavar="DIR", help="folder for the token file")
    prepare.add_argument(
        "--tokenizer",
        metavar="FILE",
        help="a tokenizer saved by BPETokenizer.save (default: GPT-2's)",
    )
    prepare.add_argument("--quiet", action="store_true", help="no progress bar")
    prepare.set_defaults(run=_prepare)

    info = commands.add_parser("info", help="show the cache, the mirror and each file's state")
    info.set_defaults(run=_info)

    site = commands.add_parser(
        "site", help="the learners' edition of the notebooks as static pages (course extra)"
    )
    site.add_argument("notebooks", metavar="NOTEBOOKS", help="the folder of NN_name.ipynb files")
    site.add_argument(
        "out",
        metavar="OUT",
        help="the site's folder: new, or built here before (other files in it are kept)",
    )
    site.set_defaults(run=_course("site"))

    slides = commands.add_parser(
        "slides", help="derive each notebook's RISE slide metadata and save it in place"
    )
    slides.add_argument("notebooks", nargs="+", metavar="NOTEBOOK", help="notebooks to update")
    slides.set_defaults(run=_course("slides"))

    glossary = commands.add_parser(
        "glossary", help="print the glossary as Markdown (notebooks/glossary.md is made so)"
    )
    glossary.add_argument("--out", metavar="FILE", help="write it to FILE instead")
    glossary.add_argument(
        "--language", choices=("en", "zh"), default="en", help="its language (default: en)"
    )
    glossary.set_defaults(run=_course("glossary"))

    translate = commands.add_parser(
        "translate", help="the Chinese edition (notebooks/zh) from the notebooks and translations"
    )
    translate.add_argument(
        "notebooks", nargs="?", default="notebooks", metavar="NOTEBOOKS",
        help="the folder of the English notebooks (default: notebooks)",
    )  # fmt: skip
    what = translate.add_mutually_exclusive_group()
    what.add_argument("--check", action="store_true", help="only say what is out of date")
    what.add_argument(
        "--update", action="store_true", help="add the cells to translate to the translation files"
    )
    translate.set_defaults(run=_course("translate"))

    font = commands.add_parser(
        "font", help="for maintainers: the CJK glyphs the course uses, from the full font"
    )
    font.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="FONT",
        help="Noto Sans CJK SC (.otf), or Noto Sans CJK's .ttc (fonts-noto-cjk)",
    )
    font.set_defaults(run=_course("font"))

    progress = commands.add_parser(
        "progress", help="exercise progress: a learner's file to hand in, a class's summary"
    )
    progress_actions = progress.add_subparsers(dest="action", required=True, metavar="ACTION")
    progress_export = progress_actions.add_parser(
        "export", help="write your progress, with your name and nothing else about you, to FILE"
    )
    progress_export.add_argument("--out", required=True, metavar="FILE", help="the file to hand in")
    progress_export.add_argument(
        "--name", required=True, metavar="NAME", help="your name, as your teacher should see it"
    )
    progress_summary = progress_actions.add_parser(
        "summary", help="for a class: which exercises most pass or fail, the commonest mistakes"
    )
    progress_summary.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="the files learners made with 'llmprep progress export'",
    )
    progress.set_defaults(run=_course("progress"))

    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (KeyError, ValueError, OSError, ImportError) as error:
        message = error.args[0] if isinstance(error, KeyError) else str(error)
        print(f"llmprep {args.command}: {message}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
