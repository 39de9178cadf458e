"""Stage 4: a tokenizer as ``llmprep prepare`` runs it, in tiktoken's engine, exactly.

:func:`load_fast_tokenizer` takes GPT-2's (the default), a file written by
:meth:`~llmprep.bpe.BPETokenizer.save`, or a Hugging Face ``tokenizer.json``; its pattern
has been checked to mean the same in both engines (:mod:`llmprep.pattern_check`). A
document is encoded in :class:`~llmprep.segments.Segment` s, on all cores (tiktoken
releases the GIL), and every segment's ids are decoded again and compared with its text:
a token file always decodes to its input bytes.

>>> fast = load_fast_tokenizer(None)
>>> segments = fast.cutter.segments(["Hello, world."], block_chars=1 << 20)
>>> [fast.encode(s).tolist() for s in segments]
[[15496, 11], [995, 13]]
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from llmprep._files import read_json
from llmprep.cuts import pairs_inside_tokens
from llmprep.segments import Cutter, Segment
from llmprep.simple import END_OF_TEXT

__all__ = ["FastTokenizer", "load_fast_tokenizer"]


@dataclass(frozen=True)
class FastTokenizer:
    """What ``prepare`` needs of a tokenizer: tiktoken's encoder and its description."""

    name: str
    sha256: str | None  # of the tokenizer's file; None for GPT-2 (pinned by assets)
    encoding: Any  # tiktoken.Encoding

    @functools.cached_property
    def end_of_text(self) -> int:
        return self.encoding.encode_single_token(END_OF_TEXT)

    @functools.cached_property
    def cutter(self) -> Cutter:
        values = self.encoding.token_byte_values
        return Cutter(self.encoding._pat_str, inside=lambda: pairs_inside_tokens(values()))

    @functools.cached_property
    def _lengths(self) -> np.ndarray:
        """The number of bytes of each id (special ids: their text's)."""
        lengths = np.zeros(self.encoding.n_vocab, dtype=np.int64)
        for token, rank in self.encoding._mergeable_ranks.items():
            lengths[rank] = len(token)
        for special, rank in self.encoding._special_tokens.items():
            lengths[rank] = len(special.encode())
        return lengths

    def encode(self, segment: Segment) -> np.ndarray:
        """The ids of ``segment.kept``; a ValueError if they do not decode to its bytes."""
        if segment.one_piece:  # part of one long piece, cut where no token spans
            ids = self.encoding._encode_single_piece(segment.text.encode("utf-8"))
        else:
            ids = self.encoding.encode(segment.text, allowed_special={END_OF_TEXT})
        kept = segment.kept.encode("utf-8")
        ids = np.asarray(ids, dtype=np.int64)
        if segment.keep is not None:  # drop the ids of the context after the cut
            ends = np.cumsum(self._lengths[ids])
            ids = ids[: int(np.searchsorted(ends, len(kept), side="right"))]
        decoded = self.encoding.decode_bytes(ids.tolist())
        if decoded != kept:
            at = next(
                (i for i, (a, b) in enumerate(zip(decoded, kept, strict=False)) if a != b),
                min(len(decoded), len(kept)),
            )
            raise ValueError(
                f"the ids of {kept[max(at - 20, 0) : at + 20].decode('utf-8', 'replace')!r} do "
                f"not decode to it (from byte {at} of this part on): tokenizer {self.name} "
                f"cannot encode this text exactly in tiktoken's engine"
            )
        return ids


def load_fast_tokenizer(path: str | os.PathLike[str] | None) -> FastTokenizer:
    """GPT-2's tokenizer for None; else the tokenizer saved in ``path``."""
    from llmprep.gpt2 import gpt2_encoding

    if path is None:
        return FastTokenizer("gpt2", None, gpt2_encoding())
    from llmprep.assets import sha256_of
    from llmprep.bpe import BPETokenizer

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"tokenizer {path} not found: pass a file written by BPETokenizer.save (or a "
            f"Hugging Face tokenizer.json)"
        )
    data = read_json(path, "a tokenizer file (from BPETokenizer.save, or a tokenizer.json)")
    hugging_face = isinstance(data, dict) and "model" in data and "format" not in data
    bpe = BPETokenizer.from_huggingface(path) if hugging_face else BPETokenizer.load(path)
    if END_OF_TEXT not in bpe.special_tokens:
        raise ValueError(
            f"{path} has no {END_OF_TEXT!r} special token, which prepare puts between "
            f"documents: train the tokenizer with special_tokens=({END_OF_TEXT!r},)"
        )
    return FastTokenizer(path.name, sha256_of(path), bpe.to_tiktoken(path.stem))
