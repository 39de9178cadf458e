from __future__ import annotations

import json

import numpy as np
import pytest

from llmprep import cli, gpt2_encoding, tokenfile
from llmprep.dataset import TokenWindows
from llmprep.tokenfile import open_tokens, prepare_token_file


def test_blocks_cut_where_the_ids_do_not_change(tmp_path, monkeypatch, verdict) -> None:
    monkeypatch.setattr(tokenfile, "BLOCK_CHARS", 300)  # many blocks, many cuts
    text = verdict + "\n\n  tail  \n" + "x" * 1000 + "\n"  # also a block with no cut in it
    (tmp_path / "story.txt").write_text(text, encoding="utf-8")
    blocks = list(tokenfile._blocks(tmp_path / "story.txt"))
    assert len(blocks) >= 40 and "".join(blocks) == text
    meta = prepare_token_file([tmp_path / "story.txt"], tmp_path / "out", progress=False, threads=2)
    assert open_tokens(tmp_path / "out").tolist() == gpt2_encoding().encode(text)
    assert meta["documents"] == [{"path": str(tmp_path / "story.txt"), "tokens": meta["count"]}]


def test_metadata_that_does_not_match_the_file(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("one two three four five", encoding="utf-8")
    prepare_token_file([tmp_path / "a.txt"], tmp_path / "out", progress=False)
    meta_path = tmp_path / "out" / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["count"] += 1
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(ValueError, match="do not belong together.*llmprep prepare"):
        TokenWindows.from_file(tmp_path / "out", max_length=2, stride=1)
    meta_path.write_text("{not json")
    with pytest.raises(ValueError, match="meta.json is damaged"):
        open_tokens(tmp_path / "out")
    with pytest.raises(FileNotFoundError, match="not a prepared token folder"):
        open_tokens(tmp_path)


def test_bad_inputs_leave_nothing_behind(tmp_path) -> None:
    (tmp_path / "good.txt").write_text("fine", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("café".encode("latin-1"))
    with pytest.raises(ValueError, match="latin1.txt is not valid UTF-8"):
        prepare_token_file(
            [tmp_path / "good.txt", tmp_path / "latin1.txt"], tmp_path / "out", progress=False
        )
    assert list((tmp_path / "out").iterdir()) == []
    with pytest.raises(FileNotFoundError, match="not found: .*missing.txt"):
        prepare_token_file([tmp_path / "missing.txt"], tmp_path / "out")
    with pytest.raises(ValueError, match="no input files"):
        prepare_token_file([], tmp_path / "out")
    (tmp_path / "empty.txt").write_text("")
    prepare_token_file([tmp_path / "empty.txt"], tmp_path / "empty", progress=False)
    with pytest.raises(ValueError, match="holds no tokens"):
        open_tokens(tmp_path / "empty")


def test_cli_prepare(tmp_path, capsys) -> None:
    (tmp_path / "a.txt").write_text("Hello, world.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Again.", encoding="utf-8")
    out = tmp_path / "tokens"
    assert (
        cli.main(
            [
                "prepare",
                str(tmp_path / "a.txt"),
                str(tmp_path / "b.txt"),
                "--out",
                str(out),
                "--quiet",
            ]
        )
        == 0
    )
    assert "7 tokens (uint16) from 2 file(s)" in capsys.readouterr().out
    tokens = open_tokens(out)
    assert tokens.dtype == np.uint16
    assert tokens.tolist() == [15496, 11, 995, 13, 50256, 15316, 13]  # <|endoftext|> between
    assert cli.main(["prepare", str(tmp_path / "nope.txt"), "--out", str(out)]) == 1
    assert "not found" in capsys.readouterr().err


def test_end_of_text_in_a_file_is_the_token_in_both_pipelines(tmp_path) -> None:
    from llmprep import END_OF_TEXT
    from llmprep.dataset import create_dataloader_v1

    text = f"one story.{END_OF_TEXT}The next one, a little longer than the first."
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    prepare_token_file([tmp_path / "a.txt"], tmp_path / "out", progress=False)
    prepared = open_tokens(tmp_path / "out").tolist()
    assert prepared.count(50256) == 1 and len(prepared) < len(gpt2_encoding().encode_ordinary(text))
    loader = create_dataloader_v1(
        text, batch_size=1, max_length=len(prepared) - 1, stride=1, shuffle=False
    )
    inputs, targets = next(iter(loader))
    assert inputs[0].tolist() + targets[0, -1:].tolist() == prepared
