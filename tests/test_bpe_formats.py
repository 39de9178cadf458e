"""Tokenizer files of other tools, and files that are hostile or of another kind: each is
read exactly or refused with a ValueError that names the file and what is wrong."""

from __future__ import annotations

import json
import re

import pytest

from llmprep import BPETokenizer, cli, gpt2_encoding

EOT = "<|endoftext|>"
TEXTS = [
    "Hello, do you like tea? In the sunlit terraces of someknownPlace.",
    "line\r\n\r\n  indented\tand tabs  \n",
    "naïve café — 日本語 😀 Ἀλέξανδρος",
    "1234567 3.14 I'm you'll 'S",
]


@pytest.fixture(scope="module")
def trained(verdict) -> BPETokenizer:
    return BPETokenizer.train(verdict + " naïve café 日本語 😀", 600)


@pytest.fixture
def hf_file(tmp_path, trained):
    """A tokenizer.json written from a trained tokenizer, and its data to change."""
    path = tmp_path / "tokenizer.json"
    trained.to_huggingface(path)
    return path, json.loads(path.read_text(encoding="utf-8"))


def test_gpt2s_own_huggingface_file_gives_tiktokens_ids(tmp_path, verdict) -> None:
    # what GPT2TokenizerFast saves: <|endoftext|> in model.vocab and in added_tokens
    from tokenizers import ByteLevelBPETokenizer

    from llmprep import assets

    theirs = ByteLevelBPETokenizer(
        str(assets.fetch("gpt2/encoder.json")), str(assets.fetch("gpt2/vocab.bpe"))
    )
    theirs.add_special_tokens([EOT])
    theirs.save(str(tmp_path / "gpt2.json"))
    data = json.loads((tmp_path / "gpt2.json").read_text(encoding="utf-8"))
    assert data["model"]["vocab"][EOT] == 50256
    gpt2 = BPETokenizer.from_huggingface(tmp_path / "gpt2.json")
    assert gpt2.special_tokens == {EOT: 50256} and gpt2.merges == BPETokenizer.gpt2().merges
    for text in [verdict, *TEXTS, f"one{EOT}two"]:
        assert gpt2.encode(text, allowed_special="all") == gpt2_encoding().encode(
            text, allowed_special="all"
        )


def deep(n: int) -> str:
    return "[" * n + "]" * n


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: deep(100_000), "nested too deeply"),
        (lambda d: "{not json", "not JSON"),
        (lambda d: [1, 2], 'no "model" object'),
        (lambda d: d | {"model": {"type": "WordPiece", "vocab": {"a": 0}}}, "a WordPiece"),
        (lambda d: d | {"model": {"type": "Unigram", "vocab": [["a", -1.0]]}}, "a Unigram"),
        (lambda d: d | {"added_tokens": {EOT: 599}}, "added_tokens is not a list"),
        (lambda d: d | {"added_tokens": [EOT]}, "added_tokens[0] is not an object"),
        (
            lambda d: d | {"added_tokens": [{"content": EOT, "id": "599", "special": True}]},
            "id '599'",
        ),
        (
            lambda d: d | {"added_tokens": [{"content": "", "id": 599, "special": True}]},
            "empty special token",
        ),
        (lambda d: _model(d, vocab={**d["model"]["vocab"], "!": "0"}), "'!' has id '0'"),
        (lambda d: _model(d, vocab=list(d["model"]["vocab"])), "model.vocab is not an object"),
        (lambda d: _model(d, merges={"a": 1}), "model.merges is not a list"),
        (lambda d: _model(d, merges=["Ġ t x", *d["model"]["merges"][1:]]), "merge 0 'Ġ t x'"),
        (lambda d: _model(d, merges=[["Ġ", "t", "x"]]), "merge 0 ['Ġ', 't', 'x']"),
        (lambda d: _model(d, merges=[7]), "merge 0 7"),
        (lambda d: _model(d, vocab={**d["model"]["vocab"], "☃": 600}), "'☃' is not a byte-level"),
        (lambda d: d | {"pre_tokenizer": None}, "no byte-level pre-tokenizer"),
        (lambda d: d | {"pre_tokenizer": {"type": "Whitespace"}}, "pre-tokenizer Whitespace"),
        (lambda d: d | {"pre_tokenizer": "ByteLevel"}, "pre_tokenizer is not an object"),
    ],
)
def test_a_hostile_or_foreign_tokenizer_json_says_what_is_wrong(hf_file, change, words) -> None:
    path, data = hf_file
    changed = change(data)
    path.write_text(changed if isinstance(changed, str) else json.dumps(changed), "utf-8")
    with pytest.raises(ValueError, match=re.escape(str(path)) + ".*" + re.escape(words)):
        BPETokenizer.from_huggingface(path)


def _model(data: dict, **fields) -> dict:
    return data | {"model": data["model"] | fields}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d | {"normalizer": {"type": "Lowercase"}}, "normalizer Lowercase"),
        (
            lambda d: d | {"normalizer": {"type": "Sequence", "normalizers": [{"type": "NFC"}]}},
            "normalizer Sequence",
        ),
        (lambda d: _step(d, add_prefix_space=True), "add_prefix_space"),
        (
            lambda d: d | {"added_tokens": [{"content": "tea", "id": 599, "special": False}]},
            "'tea' (id 599) is not special",
        ),
        (
            lambda d: (
                d | {"added_tokens": [{"content": EOT, "id": 599, "special": True, "lstrip": True}]}
            ),
            "lstrip",
        ),
        (lambda d: _model(d, dropout=0.1), "dropout 0.1"),
        (lambda d: _model(d, end_of_word_suffix="</w>"), "end_of_word_suffix '</w>'"),
        (lambda d: _model(d, continuing_subword_prefix="##"), "continuing_subword_prefix '##'"),
        (lambda d: _model(d, ignore_merges=True), "ignore_merges"),
        (lambda d: d | {"truncation": {"max_length": 512}}, "truncation"),
        (lambda d: _split(d, behavior="Removed"), "behavior 'Removed'"),
        (lambda d: _split(d, invert=True), "invert"),
        (lambda d: _split(d, pattern={"Regex": "[[:alpha:]]+|[^[:alpha:]]+"}), "POSIX"),
        (
            lambda d: d | {"pre_tokenizer": {"type": "ByteLevel", "use_regex": False}},
            "use_regex false",
        ),
    ],
)
def test_settings_that_would_change_the_ids_are_refused(hf_file, change, words) -> None:
    path, data = hf_file
    path.write_text(json.dumps(change(data)), "utf-8")
    with pytest.raises(ValueError, match=re.escape(str(path)) + ".*" + re.escape(words)):
        BPETokenizer.from_huggingface(path)


def _step(data: dict, **fields) -> dict:
    return data | {"pre_tokenizer": data["pre_tokenizer"] | fields}


def _split(data: dict, **fields) -> dict:
    split = {
        "type": "Split",
        "pattern": {"Regex": r"\S+|\s+"},
        "behavior": "Isolated",
        "invert": False,
    } | fields
    byte_level = {
        "type": "ByteLevel",
        "add_prefix_space": False,
        "trim_offsets": True,
        "use_regex": False,
    }
    return data | {"pre_tokenizer": {"type": "Sequence", "pretokenizers": [split, byte_level]}}


def test_a_split_on_a_plain_string_gives_hugging_faces_ids(hf_file) -> None:
    from tokenizers import Tokenizer

    path, data = hf_file
    for string in (" ", "e", "ab", "."):
        path.write_text(json.dumps(_split(data, pattern={"String": string})), "utf-8")
        ours, theirs = BPETokenizer.from_huggingface(path), Tokenizer.from_file(str(path))
        for text in [*TEXTS, "abab  ab. e.e", "", "  "]:
            assert ours.encode(text) == theirs.encode(text).ids, (string, text)


def test_an_empty_special_token_is_refused() -> None:
    with pytest.raises(ValueError, match="empty special token"):
        BPETokenizer([], special_tokens={"": 256})
    with pytest.raises(ValueError, match="empty special token"):
        BPETokenizer.train("some text", 300, special_tokens=("",))


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (deep(100_000), "nested too deeply"),
        ({"merges": {"a": 1}}, "merges is not a list"),
        ({"merges": [[97, 98, 99]]}, "merge 0 [97, 98, 99] is not two ids"),
        ({"merges": [[97, "b"]]}, "a merge's id must be a whole number"),
        ({"merges": [97]}, "merge 0 97 is not two ids"),
        ({"byte_order": "0123"}, "byte_order is not a list"),
        ({"special_tokens": [EOT]}, "special_tokens is not an object"),
        ({"special_tokens": {EOT: "599"}}, "must be a whole number"),
        ({"pattern": 5}, "pattern must be a non-empty regular expression"),
    ],
)
def test_a_hostile_saved_tokenizer_says_what_is_wrong(tmp_path, trained, data, words) -> None:
    path = tmp_path / "tokenizer.json"
    trained.save(path)
    if isinstance(data, dict):
        data = json.dumps(json.loads(path.read_text(encoding="utf-8")) | data)
    path.write_text(data, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(str(path)) + ".*" + re.escape(words)):
        BPETokenizer.load(path)


@pytest.mark.parametrize(
    "content",
    [
        deep(100_000),
        '{"format": "llmprep.BPETokenizer", "version": 1, "merges": {"a": 1}}',
        '{"model": {"type": "WordPiece", "vocab": {}}}',
        '{"model": {"type": "BPE", "vocab": {"a": "0"}, "merges": []}, '
        '"pre_tokenizer": {"type": "ByteLevel"}}',
        "not json at all",
    ],
)
def test_prepare_with_a_bad_tokenizer_file_prints_one_line(tmp_path, capsys, content) -> None:
    (tmp_path / "a.txt").write_text("some text", encoding="utf-8")
    (tmp_path / "bad.json").write_text(content, encoding="utf-8")
    args = ["prepare", str(tmp_path / "a.txt"), "--out", str(tmp_path / "out"), "--quiet"]
    assert cli.main([*args, "--tokenizer", str(tmp_path / "bad.json")]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert err.startswith(f"llmprep prepare: {tmp_path / 'bad.json'}")


def test_prepare_takes_a_hugging_face_tokenizer_json(tmp_path, trained) -> None:
    from llmprep.tokenfile import open_tokens, prepare_token_file

    trained.to_huggingface(tmp_path / "tokenizer.json")
    text = " ".join(TEXTS)
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    prepare_token_file(
        [tmp_path / "a.txt"],
        tmp_path / "out",
        progress=False,
        tokenizer=tmp_path / "tokenizer.json",
    )
    assert open_tokens(tmp_path / "out").tolist() == trained.encode(text)
