"""Stage 3, interoperability: Hugging Face tokenizers' ``tokenizer.json`` for a byte-level
BPE (what ``GPT2TokenizerFast`` uses): vocabulary and merges written with GPT-2's printable
stand-ins for bytes (``Ġ`` for the space).

Reading is exact or refused: every setting that changes the ids in Hugging Face
(a normalizer, ``add_prefix_space``, non-special added tokens, ``dropout``, a suffix or
prefix on subwords, ``ignore_merges``, truncation, a Split that is not "Isolated") is
either done the same way here (a Split on a plain string becomes the regex that cuts
alike) or refused with a ValueError that names the file, the setting and what to do.
So is a file of another kind (WordPiece, Unigram, a damaged or hostile file).

>>> from llmprep.bpe import BPETokenizer
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "tokenizer.json"
>>> tokenizer = BPETokenizer.train("low lower lowest " * 20, 263)
>>> tokenizer.to_huggingface(path)
>>> BPETokenizer.from_huggingface(path).merges == tokenizer.merges
True
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from llmprep._files import read_json
from llmprep.bpe_formats import TokenizerParts, Vocabulary, from_ranks, write_text
from llmprep.gpt2 import GPT2_SPLIT_PATTERN, bytes_to_symbols, symbols_to_bytes

__all__ = ["read_huggingface", "write_huggingface"]

_BYTE_LEVEL = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True}
_SAFE_MODEL = {  # settings of a BPE model, and the values that leave the ids alone
    "dropout": (None, 0, 0.0),
    "continuing_subword_prefix": (None, ""),
    "end_of_word_suffix": (None, ""),
    "ignore_merges": (None, False),
}


def write_huggingface(tokenizer: Vocabulary, path: str | os.PathLike[str]) -> None:
    """Write a ``tokenizer.json`` that Hugging Face tokenizers loads as a byte-level BPE."""
    text = bytes_to_symbols
    vocab = {text(token): i for i, token in enumerate(tokenizer.vocab)}
    merges = [f"{text(tokenizer.vocab[a])} {text(tokenizer.vocab[b])}" for a, b in tokenizer.merges]
    if tokenizer.pattern == GPT2_SPLIT_PATTERN:
        pre_tokenizer: dict[str, Any] = _BYTE_LEVEL | {"use_regex": True}
    else:
        split = {"type": "Split", "pattern": {"Regex": tokenizer.pattern}, "behavior": "Isolated"}
        pre_tokenizer = {
            "type": "Sequence",
            "pretokenizers": [split | {"invert": False}, _BYTE_LEVEL | {"use_regex": False}],
        }
    special = {"single_word": False, "lstrip": False, "rstrip": False, "normalized": False}
    data = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": i, "content": s, **special, "special": True}
            for s, i in sorted(tokenizer.special_tokens.items(), key=lambda item: item[1])
        ],
        "normalizer": None,
        "pre_tokenizer": pre_tokenizer,
        "post_processor": None,
        "decoder": {
            "type": "ByteLevel",
            "add_prefix_space": True,
            "trim_offsets": True,
            "use_regex": True,
        },
        "model": {"type": "BPE", "unk_token": None, "fuse_unk": False, "byte_fallback": False}
        | {key: None for key in ("dropout", "continuing_subword_prefix", "end_of_word_suffix")}
        | {"ignore_merges": False, "vocab": vocab, "merges": merges},
    }
    write_text(Path(path), json.dumps(data, ensure_ascii=False))


def read_huggingface(path: str | os.PathLike[str]) -> TokenizerParts:
    """A tokenizer from a byte-level BPE ``tokenizer.json`` whose ids follow the merges:
    the 256 bytes first, then one id per merge in order (GPT-2's, and what
    :func:`write_huggingface` writes); anything else is a ValueError saying what differs."""
    data = read_json(path, "a Hugging Face tokenizer.json")
    if not isinstance(data, dict) or not isinstance(data.get("model"), dict):
        raise ValueError(f'{path} is not a Hugging Face tokenizer.json (no "model" object)')

    def refuse(what: str, fix: str) -> ValueError:
        return ValueError(f"{path}: {what}, which llmprep does not do: {fix}")

    model = data["model"]
    if model.get("type") != "BPE":
        raise ValueError(
            f"{path} is a {model.get('type')} tokenizer, not a BPE: llmprep reads byte-level "
            f"BPE tokenizers only (GPT-2's kind)"
        )
    for key, harmless in _SAFE_MODEL.items():
        if model.get(key) not in harmless:
            raise refuse(f"model.{key} {model.get(key)!r} changes the ids", "set it to null")
    if data.get("normalizer") is not None:
        kind = data["normalizer"].get("type") if isinstance(data["normalizer"], dict) else "?"
        raise refuse(
            f"normalizer {kind} changes the text before it is split",
            "set normalizer to null, or normalize the text yourself first",
        )
    if data.get("truncation") is not None:
        raise refuse("truncation cuts the ids", "set truncation to null")
    pattern = _pattern_of(data.get("pre_tokenizer"), refuse, path)
    specials = _special_tokens(data.get("added_tokens", []), refuse, path)
    vocab, merges = model.get("vocab"), model.get("merges")
    if not isinstance(vocab, dict):
        raise ValueError(f"{path}: model.vocab is not an object of token -> id")
    if not isinstance(merges, list):
        raise ValueError(f"{path}: model.merges is not a list")

    def token_bytes(text: str) -> bytes:
        try:
            return symbols_to_bytes(text)
        except KeyError as error:
            raise ValueError(
                f"{path}: {error.args[0]!r} in {text!r} is not a byte-level symbol (GPT-2's "
                f"stand-ins for bytes): this is not a byte-level BPE"
            ) from None

    ids = {}
    for text, i in vocab.items():
        if not isinstance(i, int) or isinstance(i, bool) or i < 0:
            raise ValueError(f"{path}: token {text!r} has id {i!r}; ids are whole numbers")
        if specials.get(text) == i:
            continue  # subtle: GPT-2's own file lists <|endoftext|> among the merged tokens
        ids[token_bytes(text)] = i
    parts = from_ranks(ids, pattern=pattern, where=str(path))
    known = [bytes([b]) for b in parts.byte_order]
    for a, b in parts.merges:
        known.append(known[a] + known[b])
    for k, merge in enumerate(merges):
        two = merge.split(" ") if isinstance(merge, str) else merge
        if not (
            isinstance(two, list) and len(two) == 2 and all(isinstance(t, str) and t for t in two)
        ):
            raise ValueError(f"{path}: merge {k} {merge!r} is not two tokens")
        if k >= len(parts.merges) or [token_bytes(t) for t in two] != [
            known[parts.merges[k][0]],
            known[parts.merges[k][1]],
        ]:
            raise ValueError(
                f"{path}: its merges are not the ones its token ids imply (llmprep needs the "
                f"id of each merged token to follow its merge's rank), first at merge {k}"
            )
    return TokenizerParts(parts.merges, parts.byte_order, specials, pattern)


def _special_tokens(added: Any, refuse: Any, path: Any) -> dict[str, int]:
    if not isinstance(added, list):
        raise ValueError(f"{path}: added_tokens is not a list")
    specials = {}
    for k, token in enumerate(added):
        if not isinstance(token, dict):
            raise ValueError(f"{path}: added_tokens[{k}] is not an object")
        content, i = token.get("content"), token.get("id")
        if not isinstance(content, str) or not content:
            raise ValueError(f"{path}: added_tokens[{k}] is an empty special token {content!r}")
        if not isinstance(i, int) or isinstance(i, bool) or i < 0:
            raise ValueError(f"{path}: added token {content!r} has id {i!r}, not a whole number")
        if token.get("special") is not True:
            raise refuse(
                f"added token {content!r} (id {i}) is not special: Hugging Face finds it in "
                f"the text before splitting",
                "mark it special (it is then matched only where allowed_special allows)",
            )
        for flag in ("lstrip", "rstrip", "single_word"):
            if token.get(flag):
                raise refuse(
                    f"added token {content!r} has {flag} true (it takes in the text around it)",
                    f"set {flag} to false",
                )
        specials[content] = i
    return specials


def _pattern_of(pre_tokenizer: Any, refuse: Any, path: Any) -> str:
    """The regex that cuts text as the pre-tokenizer does: GPT-2's for a ByteLevel step,
    a Split step's (a plain string made a regex) before a ByteLevel that splits nothing."""
    if pre_tokenizer is None:
        raise ValueError(f"{path} has no byte-level pre-tokenizer: this is not a byte-level BPE")
    if not isinstance(pre_tokenizer, dict):
        raise ValueError(f"{path}: pre_tokenizer is not an object")
    steps = (
        pre_tokenizer.get("pretokenizers")
        if pre_tokenizer.get("type") == "Sequence"
        else [pre_tokenizer]
    )
    if not isinstance(steps, list) or not all(isinstance(s, dict) for s in steps):
        raise ValueError(f"{path}: pre_tokenizer.pretokenizers is not a list of objects")
    kinds = [s.get("type") for s in steps]
    for step in steps:
        if step.get("type") == "ByteLevel" and step.get("add_prefix_space"):
            raise refuse(
                "ByteLevel's add_prefix_space puts a space before the text",
                "set add_prefix_space to false (and add the space yourself)",
            )
    if kinds == ["ByteLevel"]:
        if steps[0].get("use_regex", True) is not True:
            raise refuse(
                "a ByteLevel with use_regex false splits nothing (the whole text is one piece)",
                "set use_regex to true",
            )
        return GPT2_SPLIT_PATTERN
    if kinds != ["Split", "ByteLevel"] or steps[1].get("use_regex") is not False:
        raise refuse(
            f"the pre-tokenizer {' + '.join(map(str, kinds))}",
            "use a ByteLevel alone, or a Split followed by a ByteLevel with use_regex false",
        )
    split = steps[0]
    if split.get("behavior") != "Isolated" or split.get("invert"):
        what = f"behavior {split.get('behavior')!r}" if not split.get("invert") else "invert"
        raise refuse(
            f"a Split with {what} keeps or drops other parts of the text",
            "use behavior Isolated and invert false",
        )
    given = split.get("pattern")
    if isinstance(given, dict) and isinstance(given.get("Regex"), str):
        return given["Regex"]
    if isinstance(given, dict) and isinstance(given.get("String"), str) and given["String"]:
        return _string_split(given["String"])
    raise ValueError(f"{path}: the Split's pattern {given!r} is not a Regex or a String")


def _string_split(string: str) -> str:
    """The regex whose pieces are a Split on ``string``: each occurrence, and the text
    between two occurrences (one piece, however long).

    >>> import regex
    >>> regex.findall(_string_split(" "), "a  bc ")
    ['a', ' ', ' ', 'bc', ' ']
    """
    one = "".join(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}" for c in string)
    if len(string) == 1:
        return f"{one}|[^{one}]+"
    # subtle: the last alternative never matches (one of the first two always does); it
    # shows the pattern's check that no character can be lost
    return f"{one}|(?:(?!{one})[\\s\\S])+|[\\s\\S]"
