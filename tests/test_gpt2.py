from __future__ import annotations

import json
import re
import shutil

import pytest

from llmprep import assets, gpt2_encoding
from llmprep.gpt2 import load_gpt2_merges, token_bytes

NOTES_TEXT = "Hello, do you like tea? <|endoftext|> In the sunlit terracesof someknownPlace."
NOTES_IDS = [
    15496,
    11,
    466,
    345,
    588,
    8887,
    30,
    220,
    50256,
    554,
    262,
    4252,
    18250,
    8812,
    2114,
    1659,
    617,
    4002,
    27271,
    13,
]


@pytest.fixture(scope="module")
def encoding():
    return gpt2_encoding()


def test_gpt2_encoding_equals_tiktokens_own(encoding, tiktoken_gpt2) -> None:
    assert encoding._mergeable_ranks == tiktoken_gpt2._mergeable_ranks
    assert encoding._special_tokens == tiktoken_gpt2._special_tokens == {"<|endoftext|>": 50256}
    assert encoding._pat_str == tiktoken_gpt2._pat_str
    assert encoding.n_vocab == 50257


def test_known_gpt2_ids(encoding, verdict) -> None:
    ids = encoding.encode(verdict)
    assert len(ids) == 5145 and ids[:4] == [40, 367, 2885, 1464]
    assert encoding.encode(NOTES_TEXT, allowed_special={"<|endoftext|>"}) == NOTES_IDS
    assert encoding.encode("Akwirw ier") == [33901, 86, 343, 86, 220, 959]
    assert encoding.encode("baga") == [65, 8126]


def test_merges_match_tiktokens_loader(tmp_path, monkeypatch) -> None:
    from tiktoken.load import data_gym_to_mergeable_bpe_ranks

    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", "")  # read the files, cache nothing
    encoder, vocab = assets.fetch("gpt2/encoder.json"), assets.fetch("gpt2/vocab.bpe")
    expected = data_gym_to_mergeable_bpe_ranks(str(vocab), str(encoder))
    byte_order, merges = load_gpt2_merges(encoder, vocab)
    assert len(merges) == 50000
    assert {token: i for i, token in enumerate(token_bytes(byte_order, merges))} == expected


@pytest.fixture
def gpt2_files(tmp_path):
    """Editable copies of GPT-2's two files."""
    encoder, vocab = tmp_path / "encoder.json", tmp_path / "vocab.bpe"
    shutil.copy(assets.fetch("gpt2/encoder.json"), encoder)
    shutil.copy(assets.fetch("gpt2/vocab.bpe"), vocab)
    return encoder, vocab


def replace_line(path, number, text) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[number - 1] = text
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize(
    ("line", "text", "message"),
    [
        (1, "Ġ t", "first line should be '#version: 0.2'"),
        (2, "Ġt", "line 2: expected two symbols and one space"),
        (3, "Ġ  a", "line 3: expected two symbols and one space"),
        (4, "a b c", "line 4: expected two symbols"),
        (5, "ab\x01 c", "line 5: '\\x01' is not one of GPT-2's byte symbols"),
        (2, "Ġthe ere", "line 2: merges 'Ġthe ere' before both parts exist"),
    ],
)
def test_a_malformed_merges_file_is_named_with_its_line(gpt2_files, line, text, message) -> None:
    encoder, vocab = gpt2_files
    replace_line(vocab, line, text)
    with pytest.raises(ValueError, match=re.escape(message)):
        load_gpt2_merges(encoder, vocab)


def test_files_that_do_not_belong_together(gpt2_files) -> None:
    encoder, vocab = gpt2_files
    mapping = json.loads(encoder.read_text(encoding="utf-8"))
    mapping["Ġthe"], mapping["Ġa"] = mapping["Ġa"], mapping["Ġthe"]
    encoder.write_text(json.dumps(mapping), encoding="utf-8")
    with pytest.raises(ValueError, match="do not belong together"):
        load_gpt2_merges(encoder, vocab)
