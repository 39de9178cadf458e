"""Stages 1-2: split text with a regular expression, build a vocabulary, map tokens to ids.

>>> tokenizer = SimpleTokenizerV2(build_vocab(split_text("Hello, world."),
...                                           special_tokens=SPECIAL_TOKENS))
>>> tokenizer.encode("Hello, tea.")
[2, 0, 5, 1]
>>> tokenizer.decode([2, 0, 5, 1])
'Hello, <|unk|>.'
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from llmprep import assets
from llmprep._numbers import whole_number

__all__ = [
    "END_OF_TEXT",
    "SPECIAL_TOKENS",
    "SPLIT_PATTERN",
    "UNKNOWN",
    "SimpleTokenizerV1",
    "SimpleTokenizerV2",
    "build_vocab",
    "join_tokens",
    "load_text",
    "split_text",
]

#: The book's pattern: punctuation, the double dash, and whitespace become tokens of
#: their own. The capturing group makes ``re.split`` keep the separators.
SPLIT_PATTERN = re.compile(r'([,.:;?_!"()\']|--|\s)')

END_OF_TEXT = "<|endoftext|>"
UNKNOWN = "<|unk|>"
SPECIAL_TOKENS = (END_OF_TEXT, UNKNOWN)


def load_text(source: str | os.PathLike[str] = "the-verdict", *, encoding: str = "utf-8") -> str:
    """Read a registered text (e.g. ``"the-verdict"``) or a text file on disk.

    >>> text = load_text("the-verdict")
    >>> len(text), text[:30]
    (20479, 'I HAD always thought Jack Gisb')
    """
    path = Path(source)
    if not path.is_file():
        try:
            path = assets.fetch(str(source))
        except KeyError:
            raise FileNotFoundError(
                f"{str(source)!r} is neither a file nor a registered text; "
                f"registered: {', '.join(sorted(assets.ASSETS))}"
            ) from None
    data = path.read_bytes()
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ValueError(
            f"{path} is not valid {encoding}: byte {data[error.start]:#04x} at offset "
            f"{error.start}. Re-save the file as UTF-8, or pass its real encoding, "
            f"e.g. load_text(path, encoding='latin-1')"
        ) from None


def split_text(text: str, *, keep_whitespace: bool = False) -> list[str]:
    """Split text into words, punctuation and (optionally) whitespace tokens.

    Empty strings, which ``re.split`` returns between two adjacent separators, are
    never tokens.

    >>> split_text("Hello, world. Is this-- a test?")
    ['Hello', ',', 'world', '.', 'Is', 'this', '--', 'a', 'test', '?']
    >>> split_text("Hi,  you", keep_whitespace=True)
    ['Hi', ',', ' ', ' ', 'you']
    """
    if not isinstance(text, str):
        raise TypeError(f"split_text takes a str, not {type(text).__name__}")
    pieces = SPLIT_PATTERN.split(text)
    if keep_whitespace:
        return [piece for piece in pieces if piece]
    return [piece for piece in pieces if piece.strip()]


def build_vocab(tokens: Iterable[str], *, special_tokens: Sequence[str] = ()) -> dict[str, int]:
    """Map each distinct token to an id: sorted tokens first, then the special tokens.

    >>> build_vocab(["b", "a", "b"], special_tokens=["<|unk|>"])
    {'a': 0, 'b': 1, '<|unk|>': 2}
    """
    if isinstance(special_tokens, str):
        raise TypeError(f"special_tokens takes a sequence of strings, e.g. ({special_tokens!r},)")
    repeated = sorted({t for t in special_tokens if list(special_tokens).count(t) > 1})
    if repeated:
        raise ValueError(f"special token(s) {repeated} given more than once; list each once")
    words = sorted(set(tokens) - set(special_tokens))
    if not words and not special_tokens:
        raise ValueError("cannot build a vocabulary from no tokens: is the text empty?")
    return {token: i for i, token in enumerate([*words, *special_tokens])}


class SimpleTokenizerV1:
    """Encode text to ids and back with a fixed vocabulary; unknown words are an error.

    By default whitespace is dropped, as in the book, so ``decode`` has to guess where
    spaces go. With ``keep_whitespace=True`` (and a vocabulary built from
    ``split_text(..., keep_whitespace=True)``) decoding gives back the exact text.

    >>> tokenizer = SimpleTokenizerV1(build_vocab(split_text('"It\\'s here--now."')))
    >>> tokenizer.decode(tokenizer.encode('"It\\'s here--now."'))
    '"It\\'s here--now."'
    """

    def __init__(self, vocab: Mapping[str, int], *, keep_whitespace: bool = False) -> None:
        self.str_to_int = dict(vocab)
        self.int_to_str = {i: s for s, i in self.str_to_int.items()}
        if len(self.int_to_str) != len(self.str_to_int):
            raise ValueError(
                "the vocabulary maps two tokens to the same id; build it with build_vocab"
            )
        self.keep_whitespace = keep_whitespace

    def tokenize(self, text: str) -> list[str]:
        """The tokens ``encode`` looks up (unknown ones left as they are)."""
        return split_text(text, keep_whitespace=self.keep_whitespace)

    def encode(self, text: str) -> list[int]:
        """Text to token ids; raises KeyError naming the first word not in the vocabulary."""
        ids = []
        for token in self.tokenize(text):
            try:
                ids.append(self.str_to_int[token])
            except KeyError:
                raise KeyError(
                    f"{token!r} is not in the vocabulary ({len(self.str_to_int)} tokens). "
                    f"SimpleTokenizerV1 cannot encode unknown words: use SimpleTokenizerV2, "
                    f"which maps them to {UNKNOWN!r}, or rebuild the vocabulary from text "
                    f"that contains {token!r}"
                ) from None
        return ids

    def decode(self, ids: Iterable[int]) -> str:
        """Token ids to text; raises KeyError for an id outside the vocabulary."""
        tokens = []
        for i in ids:
            try:
                tokens.append(self.int_to_str[whole_number(i, "a token id", minimum=None)])
            except KeyError:
                raise KeyError(
                    f"id {i} is outside the vocabulary (ids 0..{len(self.int_to_str) - 1})"
                ) from None
        return "".join(tokens) if self.keep_whitespace else join_tokens(tokens)


class SimpleTokenizerV2(SimpleTokenizerV1):
    """Like V1, but a word that is not in the vocabulary becomes ``<|unk|>``.

    >>> vocab = build_vocab(split_text("the cat sat"), special_tokens=SPECIAL_TOKENS)
    >>> SimpleTokenizerV2(vocab).encode("the dog sat <|endoftext|> the cat")
    [2, 4, 1, 3, 2, 0]
    """

    def __init__(self, vocab: Mapping[str, int], *, keep_whitespace: bool = False) -> None:
        super().__init__(vocab, keep_whitespace=keep_whitespace)
        if UNKNOWN not in self.str_to_int:
            raise ValueError(
                f"SimpleTokenizerV2 needs {UNKNOWN!r} in the vocabulary; build it with "
                f"build_vocab(tokens, special_tokens=SPECIAL_TOKENS)"
            )

    def encode(self, text: str) -> list[int]:
        """Text to token ids; unknown words map to the id of ``<|unk|>``."""
        unknown = self.str_to_int[UNKNOWN]
        return [self.str_to_int.get(token, unknown) for token in self.tokenize(text)]


# How decode places spaces once whitespace was dropped: a space goes between two
# tokens unless the second closes on the first (",", ".", ")", ...) or the first opens
# on the second ("(", "--"). '"' and "_" alternate between opening and closing.
_NO_SPACE_BEFORE = frozenset({",", ".", ":", ";", "?", "!", ")", "--", "'"})
_NO_SPACE_AFTER = frozenset({"(", "--", "'"})
_PAIRED = frozenset({'"', "_"})


def join_tokens(tokens: Iterable[str]) -> str:
    """Join tokens that were split without whitespace, guessing the spaces back.

    Exact for ordinary prose (73 of the 83 paragraphs of the-verdict); what it cannot
    know, such as ``'`` used as a quote or the spaces in ``. . .``, is lost, which is
    why ``keep_whitespace=True`` exists.

    >>> join_tokens(['"', 'It', "'", 's', 'here', '--', 'now', '(', 'really', ')', '.', '"'])
    '"It\\'s here--now (really)."'
    """
    out: list[str] = []
    open_pairs: set[str] = set()
    glue = True  # no space before the next token (start of text)
    for token in tokens:
        if token in _PAIRED:
            closing = token in open_pairs
            open_pairs ^= {token}
            space, glue = (not closing and not glue), not closing
        else:
            space, glue = (not glue and token not in _NO_SPACE_BEFORE), token in _NO_SPACE_AFTER
        if space:
            out.append(" ")
        out.append(token)
    return "".join(out)
