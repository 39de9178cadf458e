"""Stage 4 on many machines: a corpus prepared in shards, checked and read as one.

``llmprep prepare FILES... --out DIR --shard K/N`` prepares the K-th (from 0) of N slices
of the inputs into ``DIR/shard-K-of-N/``: each slice is a run of whole files, in order,
about 1/N of the bytes. N machines, or N jobs of a scheduler, can each run one.
``llmprep manifest DIR`` then checks that every shard is there, complete, and of the same
corpus and tokenizer, and writes ``DIR/manifest.json`` (each shard's files, size and
sha256). :func:`open_corpus` reads the shards as one corpus, ``<|endoftext|>`` between two
shards: exactly the ids one ``prepare`` of the same files in the same order writes.

The slices themselves are :func:`llmprep.corpus.shard_files`.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from llmprep.corpus import shard_name

__all__ = ["JoinedTokens", "check_shards", "is_sharded", "open_shards", "write_manifest"]

_NAME = re.compile(r"shard-(\d{5})-of-(\d{5})")  # what corpus.shard_name makes


# ---- a folder of shards -----------------------------------------------------------

MANIFEST = "manifest.json"
_FORMAT = "llmprep.manifest"


def is_sharded(folder: str | os.PathLike[str]) -> bool:
    """Whether ``folder`` holds shards (or their manifest) rather than one token file."""
    folder = Path(folder)
    return (folder / MANIFEST).is_file() or any(_shard_folders(folder))


def _shard_folders(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and _NAME.fullmatch(p.name))


def check_shards(folder: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The metadata of every shard of ``folder``, in order, each checked against its
    ``tokens.bin``; a ValueError naming each shard that is missing, incomplete, from
    another corpus or tokenizer, or of another split (which would overlap)."""
    from llmprep.tokenfile import read_meta

    folder = Path(folder)
    found = _shard_folders(folder)
    if not found:
        raise FileNotFoundError(
            f"{folder} holds no shards (shard-K-of-N folders) and no token file: prepare it "
            f"with `llmprep prepare FILES --out {folder}` (or --shard K/N on each machine)"
        )
    splits = sorted({int(_NAME.fullmatch(p.name).group(2)) for p in found})
    if len(splits) > 1:
        raise ValueError(
            f"{folder} holds shards of {len(splits)} different splits (into "
            f"{', '.join(map(str, splits))}), which overlap: "
            f"{', '.join(p.name for p in found)}. Keep the folders of one split only"
        )
    (of,) = splits
    metas, problems = [], []
    for index in range(of):
        name = shard_name(index, of)
        try:
            meta = read_meta(folder / name)
        except (FileNotFoundError, ValueError) as error:
            problems.append(f"shard {index}/{of} is missing or incomplete ({error})")
            continue
        recorded = meta.get("shard") or {}
        if (recorded.get("index"), recorded.get("of")) != (index, of):
            problems.append(f"{name} holds shard {recorded.get('index')}/{recorded.get('of')}")
        metas.append(meta)
    first = metas[0] if metas else None
    for meta in metas[1:]:
        if meta.get("corpus") != first.get("corpus"):
            shard = meta.get("shard") or {}
            problems.append(
                f"shard {shard.get('index')}/{of} is from another corpus or tokenizer (its "
                f"inputs, tokenizer {meta['tokenizer']!r} or field differ from shard "
                f"{first['shard']['index']}/{of}'s)"
            )
    if problems:
        raise ValueError(
            f"{folder} is not a complete corpus: {'; '.join(problems)}. Run `llmprep prepare "
            f"FILES --out {folder} --shard K/{of}` for each shard named, with the same FILES, "
            f"tokenizer and field as the others"
        )
    return metas


def _separators(metas: list[dict[str, Any]]) -> int:
    """``<|endoftext|>`` tokens between shards: one between two that hold documents."""
    holding = sum(1 for m in metas if any(f["documents"] for f in m["files"]))
    return max(holding - 1, 0)


def write_manifest(folder: str | os.PathLike[str]) -> dict[str, Any]:
    """Check every shard of ``folder`` (:func:`check_shards`) and write
    ``folder/manifest.json``: each shard's files, size and sha256."""
    from llmprep._files import replace_with, temporary_file

    folder = Path(folder)
    metas = check_shards(folder)
    manifest = _manifest_of(metas)
    with temporary_file(folder / MANIFEST, "w") as (f, tmp):
        json.dump(manifest, f, indent=1)
        f.close()
        replace_with(tmp, folder / MANIFEST)
    return manifest


def _manifest_of(metas: list[dict[str, Any]]) -> dict[str, Any]:
    first = metas[0]
    return {
        "format": _FORMAT,
        "version": 1,
        **{key: first[key] for key in ("corpus", "inputs", "tokenizer", "tokenizer_sha256")},
        **{key: first[key] for key in ("n_vocab", "end_of_text", "dtype", "field")},
        "count": sum(m["count"] for m in metas) + _separators(metas),
        "shards": [
            {
                "folder": shard_name(m["shard"]["index"], m["shard"]["of"]),
                "files": [f["path"] for f in m["files"]],
                "documents": sum(f["documents"] for f in m["files"]),
                "count": m["count"],
                "size": m["tokens_file"]["size"],
                "sha256": m["tokens_file"]["sha256"],
            }
            for m in metas
        ],
    }


def open_shards(folder: str | os.PathLike[str], *, verify: bool = True) -> JoinedTokens:
    """The ids of every shard of ``folder`` as one corpus, memory-mapped (nothing is
    loaded), ``<|endoftext|>`` between two shards; the manifest, if there, must agree."""
    import numpy as np

    from llmprep.tokenfile import open_tokens

    folder = Path(folder)
    metas = check_shards(folder) if verify else _metas_unchecked(folder)
    if verify and (folder / MANIFEST).is_file():
        from llmprep._files import read_json

        written = read_json(folder / MANIFEST, "an llmprep manifest")
        if written != _manifest_of(metas):
            raise ValueError(
                f"{folder / MANIFEST} does not describe the shards beside it (a shard was "
                f"prepared again since): run `llmprep manifest {folder}` again"
            )
    dtype = np.dtype("<" + {"uint16": "u2", "uint32": "u4"}[metas[0]["dtype"]])
    separator = np.array([metas[0]["end_of_text"]], dtype=dtype)
    parts: list[np.ndarray] = []
    for meta in metas:
        if not any(f["documents"] for f in meta["files"]):
            continue
        if parts:
            parts.append(separator)
        if meta["count"]:
            name = shard_name(meta["shard"]["index"], meta["shard"]["of"])
            parts.append(open_tokens(folder / name, verify=False))
    return JoinedTokens(parts, dtype)


def _metas_unchecked(folder: Path) -> list[dict[str, Any]]:
    from llmprep.tokenfile import read_meta

    return [read_meta(p, verify=False) for p in _shard_folders(folder)]


class JoinedTokens:
    """Several id arrays read as one, without copying them: ``take`` gathers any
    positions (a batch of windows) from whichever parts hold them."""

    def __init__(self, parts: Sequence[Any], dtype: Any) -> None:
        import numpy as np

        self.parts, self.dtype = list(parts), np.dtype(dtype)
        self._starts = np.cumsum([0] + [len(p) for p in self.parts])

    def __len__(self) -> int:
        return int(self._starts[-1])

    def take(self, positions: Any) -> Any:
        """The ids at ``positions`` (an int array of any shape, each in range)."""
        import numpy as np

        positions = np.asarray(positions, dtype=np.int64)
        part = np.searchsorted(self._starts, positions, side="right") - 1
        out = np.empty(positions.shape, dtype=self.dtype)
        for k in np.unique(part):
            chosen = part == k
            out[chosen] = self.parts[k][positions[chosen] - self._starts[k]]
        return out

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        import numpy as np

        joined = np.concatenate(self.parts) if self.parts else np.empty(0, self.dtype)
        return joined if dtype is None else joined.astype(dtype)

    def tolist(self) -> list[int]:
        """Every id (this loads the whole corpus)."""
        return [int(i) for part in self.parts for i in part]
