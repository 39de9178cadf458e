"""Stage 3: a byte-level byte-pair encoding (BPE) tokenizer, written from scratch.

Text is split into pieces with GPT-2's pattern, each piece's UTF-8 bytes start as one
token per byte, and adjacent tokens are merged, lowest merge rank first, until no pair
has a rank. Training learns the merges from a text; GPT-2's merges can be loaded instead,
and then the ids are exactly tiktoken's:

>>> gpt2 = BPETokenizer.gpt2()
>>> gpt2.encode("Hello, do you like tea? <|endoftext|>", allowed_special={"<|endoftext|>"})
[15496, 11, 466, 345, 588, 8887, 30, 220, 50256]
>>> gpt2.decode([15496, 11, 466])
'Hello, do'
"""

from __future__ import annotations

import functools
import json
import os
import re
import warnings
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from llmprep import assets
from llmprep._files import read_json, replace_with, temporary_file
from llmprep._numbers import whole_number
from llmprep.bpe_formats import TokenizerParts, read_tiktoken, write_tiktoken
from llmprep.bpe_huggingface import read_huggingface, write_huggingface
from llmprep.bpe_merge import merge_piece, utf8
from llmprep.bpe_pieces import count_pieces, splitter
from llmprep.bpe_train import check_n_merges, learn_merges
from llmprep.gpt2 import GPT2_SPLIT_PATTERN, load_gpt2_merges, token_bytes
from llmprep.pattern_check import check_pattern
from llmprep.simple import END_OF_TEXT

if TYPE_CHECKING:
    import tiktoken

__all__ = ["BPETokenizer", "merge_piece", "utf8"]

_CACHE_LIMIT = 1 << 20  # pieces remembered before the cache starts over
_FORMAT = "llmprep.BPETokenizer"
_FIELDS = {"merges": list, "byte_order": list, "special_tokens": dict, "pattern": object}
_KIND_NAMES = {list: "a list", dict: "an object (token -> id)", object: "anything"}


class _PieceCache(dict[str, tuple[int, ...]]):
    """Piece -> token ids. A miss runs the merges once; a hit is a C-level dict lookup."""

    def __init__(self, merge: Callable[[bytes], tuple[int, ...]]) -> None:
        super().__init__()
        self.merge = merge

    def __missing__(self, piece: str) -> tuple[int, ...]:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        ids = self[piece] = self.merge(utf8(piece))
        return ids


class BPETokenizer:
    """Byte-level BPE with GPT-2's pre-tokenization and tiktoken's special-token rules.

    With GPT-2's merges the ids equal tiktoken's for every text of assigned characters.
    subtle: on code points that Unicode 14 (Python's tables) leaves unassigned, the
    ``regex`` module's newer tables and tiktoken's older ones disagree about what is a
    letter (17,480 such code points), so a piece can be cut differently there. ``decode``
    inverts ``encode`` for every string.

    ``merges[k] = (left, right)`` makes token ``len(byte_order) + k``; ids 0-255 are
    single bytes in ``byte_order`` (GPT-2 lists printable bytes first).
    """

    def __init__(
        self,
        merges: Iterable[tuple[int, int]],
        *,
        byte_order: Sequence[int] = range(256),
        special_tokens: Mapping[str, int] | None = None,
        pattern: str = GPT2_SPLIT_PATTERN,
    ) -> None:
        self.merges = [
            (
                whole_number(left, "a merge's id", minimum=0),
                whole_number(right, "a merge's id", minimum=0),
            )
            for left, right in merges
        ]
        self.byte_order = [whole_number(b, "a byte of byte_order", minimum=0) for b in byte_order]
        if sorted(self.byte_order) != list(range(256)):
            raise ValueError("byte_order must list each of the 256 byte values once")
        for k, (left, right) in enumerate(self.merges):
            if not (0 <= left < 256 + k and 0 <= right < 256 + k):
                raise ValueError(f"merge {k} = ({left}, {right}) uses an id not made before it")
        self.vocab = token_bytes(self.byte_order, self.merges)  # id -> bytes
        self._ranks = {token: rank for rank, token in enumerate(self.vocab)}
        if len(self._ranks) != len(self.vocab):
            raise ValueError("two merges make the same bytes; each token must be unique")
        self.special_tokens = {
            str(token): whole_number(i, f"the id of special token {token!r}", minimum=0)
            for token, i in (special_tokens or {}).items()
        }
        taken = [i for i in self.special_tokens.values() if i < len(self.vocab)]
        if taken or len(set(self.special_tokens.values())) != len(self.special_tokens):
            raise ValueError(
                f"special token ids must be distinct and at least {len(self.vocab)}: "
                f"{self.special_tokens}"
            )
        if "" in self.special_tokens:
            raise ValueError(
                "an empty special token would match between every two characters: give "
                "each special token some text, e.g. '<|endoftext|>'"
            )
        self._special_by_id = {i: s for s, i in self.special_tokens.items()}
        if pattern != GPT2_SPLIT_PATTERN:
            check_pattern(pattern)  # both engines read it alike, and it loses no text
        self.pattern = pattern
        self._pieces = splitter(pattern)
        self._cache = _PieceCache(functools.partial(merge_piece, ranks=self._ranks))

    @property
    def n_vocab(self) -> int:
        """One more than the largest id: 50,257 for GPT-2."""
        return max([len(self.vocab) - 1, *self.special_tokens.values()]) + 1

    def __repr__(self) -> str:
        return (
            f"BPETokenizer(n_vocab={self.n_vocab}, merges={len(self.merges)}, "
            f"special_tokens={sorted(self.special_tokens)})"
        )

    # ---- loading ------------------------------------------------------------------

    @classmethod
    def from_gpt2_files(
        cls, encoder_json: str | os.PathLike[str], vocab_bpe: str | os.PathLike[str]
    ) -> BPETokenizer:
        """GPT-2's tokenizer from its ``encoder.json`` and ``vocab.bpe``."""
        byte_order, merges = load_gpt2_merges(encoder_json, vocab_bpe)
        return cls(merges, byte_order=byte_order, special_tokens={END_OF_TEXT: 256 + len(merges)})

    @classmethod
    def gpt2(cls) -> BPETokenizer:
        """GPT-2's tokenizer, its files resolved by :mod:`llmprep.assets` (cache, mirror, web)."""
        return cls.from_gpt2_files(
            assets.fetch("gpt2/encoder.json"), assets.fetch("gpt2/vocab.bpe")
        )

    # ---- encoding -----------------------------------------------------------------

    def pieces(self, text: str) -> list[str]:
        r"""The pre-tokenization: the pieces that are merged independently.

        >>> BPETokenizer.gpt2().pieces("It's 2 o'clock!\n")
        ['It', "'s", ' 2', ' o', "'", 'clock', '!', '\n']
        """
        return self._pieces(text)

    def encode_ordinary(self, text: str) -> list[int]:
        """Encode text, treating special-token text like any other text."""
        return list(chain.from_iterable(map(self._cache.__getitem__, self.pieces(text))))

    def encode(
        self,
        text: str,
        *,
        allowed_special: Literal["all"] | Collection[str] = frozenset(),
        disallowed_special: Literal["all"] | Collection[str] = "all",
    ) -> list[int]:
        """Encode text; special tokens follow tiktoken's rules.

        A special token's text is an error unless it is in ``allowed_special`` (then it
        becomes its special id) or left out of ``disallowed_special`` (then it is text).
        """
        specials = set(self.special_tokens)
        allowed = specials if allowed_special == "all" else set(allowed_special)
        if allowed - specials:
            raise ValueError(
                f"{sorted(allowed - specials)} are not special tokens of this "
                f"tokenizer; it has {sorted(specials)}"
            )
        disallowed = specials - allowed if disallowed_special == "all" else set(disallowed_special)
        if disallowed:
            found = _special_regex(disallowed).search(text)
            if found:
                token = found.group()
                raise ValueError(
                    f"Encountered text corresponding to disallowed special token {token!r}.\n"
                    f"If you want this text to be encoded as a special token, pass it to "
                    f"`allowed_special`, e.g. `allowed_special={{{token!r}, ...}}`.\n"
                    f"If you want this text to be encoded as normal text, disable the check "
                    f"for this token by passing `disallowed_special=(set(tokenizer.special_tokens) "
                    f"- {{{token!r}}})`.\nTo disable this check for all special tokens, pass "
                    f"`disallowed_special=()`."
                )
        if not allowed:
            return self.encode_ordinary(text)
        ids: list[int] = []
        for k, chunk in enumerate(_special_regex(allowed, capture=True).split(text)):
            if k % 2:
                ids.append(self.special_tokens[chunk])
            elif chunk:
                ids.extend(self.encode_ordinary(chunk))
        return ids

    # ---- decoding -----------------------------------------------------------------

    def decode_single_token_bytes(self, token: int) -> bytes:
        """The bytes of one token id (a special token's text as UTF-8)."""
        if 0 <= token < len(self.vocab):
            return self.vocab[token]
        if token in self._special_by_id:
            return self._special_by_id[token].encode()
        raise KeyError(f"token id {token} is outside the vocabulary (ids 0..{self.n_vocab - 1})")

    def decode_bytes(self, ids: Iterable[int]) -> bytes:
        return b"".join(
            self.decode_single_token_bytes(whole_number(i, "a token id", minimum=None)) for i in ids
        )

    def decode(self, ids: Iterable[int]) -> str:
        """Ids to text; bytes that are not valid UTF-8 (half a character) become U+FFFD."""
        return self.decode_bytes(ids).decode("utf-8", errors="replace")

    # ---- training -----------------------------------------------------------------

    @classmethod
    def train(
        cls,
        text: str | Iterable[str],
        vocab_size: int,
        *,
        special_tokens: Sequence[str] = (END_OF_TEXT,),
        pattern: str = GPT2_SPLIT_PATTERN,
        workers: int | None = None,
    ) -> BPETokenizer:
        """Learn ``vocab_size - 256 - len(special_tokens)`` merges from ``text``: one
        string, or an iterable of documents (strings, e.g. a generator reading files).

        Pieces are counted as the documents stream by, in ``workers`` processes (default:
        one per core), so memory follows the number of distinct pieces, not the size of
        the text. Special tokens split the text into documents and are never merged into
        text; see :func:`~llmprep.bpe_train.learn_merges` for the merging itself.

        >>> tokenizer = BPETokenizer.train("low lower lowest", 259, special_tokens=())
        >>> [tokenizer.vocab[i] for i in range(256, 259)]
        [b'lo', b'low', b' low']
        >>> BPETokenizer.train(["low lower", "lowest"], 259, special_tokens=()).merges[:2]
        [(108, 111), (256, 119)]
        """
        vocab_size = whole_number(vocab_size, "vocab_size")
        if isinstance(special_tokens, str):
            raise TypeError(
                f"special_tokens takes a sequence of strings, e.g. ({special_tokens!r},)"
            )
        if "" in special_tokens:
            raise ValueError(
                "an empty special token would split the text between every two characters: "
                "give each special token some text, e.g. '<|endoftext|>'"
            )
        if len(set(special_tokens)) != len(special_tokens):
            raise ValueError(f"special_tokens {list(special_tokens)} lists a token twice")
        n_merges = vocab_size - 256 - len(special_tokens)
        if n_merges < 0:
            raise ValueError(
                f"vocab_size {vocab_size} is too small: the 256 byte tokens and "
                f"{len(special_tokens)} special token(s) need at least {256 + len(special_tokens)}"
            )
        check_n_merges(n_merges)  # before hours of counting, not after
        if pattern != GPT2_SPLIT_PATTERN:
            check_pattern(pattern)  # before hours of counting, not after
        if isinstance(text, (bytes, bytearray)):
            raise TypeError(
                f"text is {type(text).__name__}, not str: decode it first, e.g. "
                f"text.decode('utf-8')"
            )
        documents = [text] if isinstance(text, str) else text
        # subtle: the counts are passed on, not kept, so they are freed once read
        merges = learn_merges(
            count_pieces(
                documents, pattern=pattern, specials=tuple(special_tokens), workers=workers
            ),
            n_merges,
        )
        if len(merges) < n_merges:
            warnings.warn(
                f"the text has only enough distinct pairs for {len(merges)} merges, not "
                f"{n_merges}: the vocabulary has {256 + len(merges) + len(special_tokens)} tokens",
                stacklevel=2,
            )
        first_special = 256 + len(merges)
        specials = {token: first_special + k for k, token in enumerate(special_tokens)}
        return cls(merges, special_tokens=specials, pattern=pattern)

    # ---- saving -------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the tokenizer as JSON (never pickle) through a temporary file of its own,
        so two saves to one path never mix and an interrupted one leaves the old file."""
        path = Path(path)
        if path.is_dir():
            raise IsADirectoryError(
                f"{path} is a folder: save takes a file name, e.g. {path / 'tokenizer.json'}"
            )
        data = {
            "format": _FORMAT,
            "version": 1,
            "pattern": self.pattern,
            "byte_order": self.byte_order,
            "merges": self.merges,
            "special_tokens": self.special_tokens,
        }
        with temporary_file(path, "w") as (f, tmp):
            json.dump(data, f)
            f.close()
            replace_with(tmp, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> BPETokenizer:
        """Read a tokenizer written by :meth:`save`; a damaged or foreign file is a
        ValueError that says what is wrong with it."""
        data = read_json(path, "a saved BPETokenizer")
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            raise ValueError(f'{path} is not a saved BPETokenizer (no "format": "{_FORMAT}")')
        if data.get("version") != 1:
            raise ValueError(
                f"{path} has format version {data.get('version')}; this llmprep reads 1"
            )
        damaged = f"{path} is a damaged BPETokenizer file"
        missing = [key for key in _FIELDS if key not in data]
        if missing:
            raise ValueError(f"{damaged}: it has no {', '.join(missing)}")
        for key, kind in _FIELDS.items():
            if not isinstance(data[key], kind):
                raise ValueError(f"{damaged}: {key} is not {_KIND_NAMES[kind]}")
        for k, pair in enumerate(data["merges"]):
            if not (isinstance(pair, list) and len(pair) == 2):
                raise ValueError(f"{damaged}: merge {k} {pair!r} is not two ids")
        try:
            return cls(
                [tuple(pair) for pair in data["merges"]],
                byte_order=data["byte_order"],
                special_tokens=data["special_tokens"],
                pattern=data["pattern"],
            )
        except (TypeError, ValueError) as error:
            raise ValueError(f"{damaged}: {error}") from None

    # ---- other formats ------------------------------------------------------------

    @classmethod
    def _from_parts(cls, parts: TokenizerParts, path: str | os.PathLike[str]) -> BPETokenizer:
        try:
            return cls(
                parts.merges,
                byte_order=parts.byte_order,
                special_tokens=parts.special_tokens,
                pattern=parts.pattern,
            )
        except (TypeError, ValueError) as error:
            raise ValueError(f"{path}: {error}") from None

    @classmethod
    def from_tiktoken_file(
        cls,
        path: str | os.PathLike[str],
        *,
        special_tokens: Mapping[str, int] | None = None,
        pattern: str = GPT2_SPLIT_PATTERN,
    ) -> BPETokenizer:
        """Read tiktoken's ``.tiktoken`` ranks file (e.g. ``r50k_base.tiktoken``, GPT-2's);
        it holds no special tokens, so give them here (GPT-2: ``{"<|endoftext|>": 50256}``)."""
        return cls._from_parts(
            read_tiktoken(path, special_tokens=dict(special_tokens or {}), pattern=pattern), path
        )

    def to_tiktoken_file(self, path: str | os.PathLike[str]) -> None:
        """Write tiktoken's ``.tiktoken`` ranks file (special tokens are not part of it)."""
        write_tiktoken(self, path)

    @classmethod
    def from_huggingface(cls, path: str | os.PathLike[str]) -> BPETokenizer:
        """Read a byte-level BPE ``tokenizer.json`` of Hugging Face tokenizers; a setting
        that would change the ids (a normalizer, a prefix space, ...) is refused, see
        :mod:`llmprep.bpe_huggingface`."""
        return cls._from_parts(read_huggingface(path), path)

    def to_huggingface(self, path: str | os.PathLike[str]) -> None:
        """Write a ``tokenizer.json`` that Hugging Face tokenizers (and transformers'
        ``PreTrainedTokenizerFast(tokenizer_file=...)``) load, giving the same ids."""
        write_huggingface(self, path)

    def to_tiktoken(self, name: str = "llmprep-bpe") -> tiktoken.Encoding:
        """The same tokenizer as a tiktoken ``Encoding`` (Rust, many times faster): the
        same ranks, pattern and special tokens, so the same ids.

        >>> tokenizer = BPETokenizer.train("low lower lowest " * 20, 263)
        >>> tokenizer.to_tiktoken().encode("lowest low") == tokenizer.encode("lowest low")
        True
        """
        import tiktoken

        return tiktoken.Encoding(
            name=name,
            pat_str=self.pattern,
            mergeable_ranks=dict(self._ranks),
            special_tokens=dict(self.special_tokens),
        )


def _special_regex(tokens: Iterable[str], *, capture: bool = False) -> re.Pattern[str]:
    """A regex matching any of the tokens, longest first (so one never hides another)."""
    alternatives = "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))
    return re.compile(f"({alternatives})" if capture else alternatives)
