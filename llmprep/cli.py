"""The ``llmprep`` command, the one front door to the library and the course.

Library: ``fetch``, ``info``, ``prepare``, ``train``, ``manifest``. Course (the ``course``
extra): ``site``, ``slides``, ``glossary``, ``translate``, ``font``, ``progress``. The
course's commands live in
:mod:`llmprep.course.commands`, loaded only when one of them runs.
"""

from __future__ import annotations

import argparse
import sys
import warnings
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
    from llmprep.corpus import parse_shard, shard_name
    from llmprep.tokenfile import prepare_token_file

    if args.dask:
        return _prepare_on_dask(args)
    if args.shards is not None:
        raise ValueError("--shards N goes with --dask; on one machine give --shard K/N")
    shard = parse_shard(args.shard) if args.shard else None
    meta = prepare_token_file(
        args.inputs,
        args.out,
        tokenizer=args.tokenizer,
        field=args.field,
        shard=shard,
        progress=not args.quiet,
    )
    documents = sum(f["documents"] for f in meta["files"])
    where = f"{args.out}/{shard_name(*shard) + '/' if shard else ''}tokens.bin"
    print(
        f"{meta['count']:,} tokens ({meta['dtype']}, tokenizer {meta['tokenizer']}) from "
        f"{len(meta['files'])} file(s) ({documents:,} document(s)) in {where}; "
        + (
            f"when all {shard[1]} shards are done, run `llmprep manifest {args.out}`"
            if shard
            else f"use TokenWindows.from_file({str(args.out)!r}, ...)"
        )
    )
    return 0


def _prepare_on_dask(args: argparse.Namespace) -> int:
    from llmprep.cluster import prepare_on_dask

    if args.shard:
        raise ValueError("give --shard K/N or --dask, not both: with --dask, --shards N")
    manifest = prepare_on_dask(
        args.inputs,
        args.out,
        address=args.dask,
        shards=args.shards,
        tokenizer=args.tokenizer,
        field=args.field,
    )
    print(
        f"{manifest['count']:,} tokens in {len(manifest['shards'])} shards in {args.out} "
        f"(manifest.json written); use TokenWindows.from_file({str(args.out)!r}, ...)"
    )
    return 0


def _manifest(args: argparse.Namespace) -> int:
    from llmprep.shards import write_manifest

    manifest = write_manifest(args.folder)
    print(
        f"all {len(manifest['shards'])} shards of {args.folder} are complete: "
        f"{manifest['count']:,} tokens; wrote {args.folder}/manifest.json"
    )
    return 0


def _train(args: argparse.Namespace) -> int:
    from llmprep.bpe import BPETokenizer
    from llmprep.corpus import check_inputs, documents
    from llmprep.gpt2 import GPT2_SPLIT_PATTERN

    paths = check_inputs(args.inputs)
    out = Path(args.out)
    if out.is_dir():
        raise IsADirectoryError(
            f"--out {out} is a folder: give a file name, e.g. {out}/tokenizer.json"
        )

    def corpus():  # each document a stream of blocks, so no file is read whole
        for path in paths:
            yield from documents(path, field=args.field)

    pattern = args.pattern or GPT2_SPLIT_PATTERN
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tokenizer = BPETokenizer.train(corpus(), args.vocab_size, pattern=pattern)
    if not tokenizer.merges and tokenizer.n_vocab < args.vocab_size:
        raise ValueError(
            f"the inputs hold no two characters side by side to learn a merge from (empty "
            f"files, or no text under --field {args.field!r}?): nothing was saved. Give "
            f"files with text"
        )
    for warning in caught:
        print(f"llmprep train: note: {warning.message}", file=sys.stderr)
    tokenizer.save(out)
    print(
        f"{len(tokenizer.merges):,} merges, {tokenizer.n_vocab:,} tokens, learned from "
        f"{len(paths)} file(s); saved to {out} (use it with `llmprep prepare ... "
        f"--tokenizer {out}`)"
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
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="text files (a document each), jsonl or parquet files (a document a record)",
    )
    prepare.add_argument("--out", required=True, metavar="DIR", help="folder for the token file")
    prepare.add_argument(
        "--tokenizer",
        metavar="FILE",
        help="a tokenizer saved by BPETokenizer.save, or a tokenizer.json (default: GPT-2's)",
    )
    prepare.add_argument(
        "--field",
        default="text",
        metavar="NAME",
        help="the text of a jsonl record or a parquet column (default: text)",
    )
    prepare.add_argument(
        "--shard",
        metavar="K/N",
        help="prepare only the K-th (from 0) of N slices of the inputs, into DIR/shard-K-of-N/",
    )
    prepare.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="prepare the shards as tasks of the Dask scheduler at ADDRESS (cluster extra)",
    )
    prepare.add_argument(
        "--shards",
        type=int,
        metavar="N",
        help="with --dask: how many shards (default: one per worker thread)",
    )
    prepare.add_argument("--quiet", action="store_true", help="no progress bar")
    prepare.set_defaults(run=_prepare)

    train = commands.add_parser(
        "train", help="train a BPE tokenizer on text, jsonl or parquet files (BPETokenizer.train)"
    )
    train.add_argument("inputs", nargs="+", metavar="INPUT", help="text, jsonl or parquet files")
    train.add_argument(
        "--vocab-size", type=int, required=True, metavar="N", help="tokens in all, e.g. 32000"
    )
    train.add_argument("--out", required=True, metavar="FILE", help="where to save it (JSON)")
    train.add_argument(
        "--field",
        default="text",
        metavar="NAME",
        help="the text of a jsonl record or a parquet column",
    )
    train.add_argument("--pattern", metavar="REGEX", help="the split pattern (default: GPT-2's)")
    train.set_defaults(run=_train)

    manifest = commands.add_parser(
        "manifest",
        help="check that every shard of a prepared corpus is complete; write its manifest",
    )
    manifest.add_argument("folder", metavar="DIR", help="the --out folder of the shards")
    manifest.set_defaults(run=_manifest)

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
