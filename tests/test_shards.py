"""A corpus prepared in shards on many machines reads as one prepare of the same files;
shards that are missing, half-written, foreign or overlapping are named."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import torch
from torch.utils.data.distributed import DistributedSampler

from llmprep import cli
from llmprep.dataset import TokenWindows
from llmprep.shards import check_shards, write_manifest
from llmprep.tokenfile import open_tokens, prepare_token_file


@pytest.fixture
def files(tmp_path, verdict) -> list:
    """Seven inputs of every kind and size, an empty one and one without documents."""
    folder = tmp_path / "in"
    folder.mkdir()
    texts = [verdict[:4000], "short one", "", verdict[4000:9000], "naïve 😀's\r\n" * 40]
    paths = []
    for k, text in enumerate(texts):
        paths.append(folder / f"{k}.txt")
        paths[-1].write_text(text, encoding="utf-8")
    (folder / "5.jsonl").write_text('{"text": "a"}\n{"text": "b c"}\n', encoding="utf-8")
    (folder / "6.jsonl").write_text("", encoding="utf-8")  # no documents at all
    (folder / "7.txt").write_text(verdict[9000:], encoding="utf-8")
    return [*paths, folder / "5.jsonl", folder / "6.jsonl", folder / "7.txt"]


def prepare_shards(files, out, n) -> None:
    for k in range(n):
        prepare_token_file(files, out, shard=(k, n), progress=False)


@pytest.mark.parametrize("n", [1, 2, 3, 8])
def test_shards_joined_equal_one_prepare_of_the_same_files(tmp_path, files, n) -> None:
    prepare_token_file(files, tmp_path / "single", progress=False)
    expected = open_tokens(tmp_path / "single").tolist()
    prepare_shards(files, tmp_path / "sharded", n)
    manifest = write_manifest(tmp_path / "sharded")
    assert manifest["count"] == len(expected) and len(manifest["shards"]) == n
    assert [f for s in manifest["shards"] for f in s["files"]] == [str(p) for p in files]
    single = TokenWindows.from_file(tmp_path / "single", max_length=16, stride=5)
    sharded = TokenWindows.from_file(tmp_path / "sharded", max_length=16, stride=5)
    assert sharded.tokens.tolist() == expected and len(sharded) == len(single)
    for index in (0, 1, len(single) // 2, -1, [3, 0, len(single) - 1], slice(2, 9)):
        for a, b in zip(sharded[index], single[index], strict=True):
            assert torch.equal(a, b)


def test_distributed_sampling_sees_one_corpus(tmp_path, files) -> None:
    import pickle

    prepare_token_file(files, tmp_path / "single", progress=False)
    prepare_shards(files, tmp_path / "sharded", 3)
    single = TokenWindows.from_file(tmp_path / "single", max_length=8, stride=8)
    sharded = TokenWindows.from_file(tmp_path / "sharded", max_length=8, stride=8)
    for rank in (0, 1):
        a = list(DistributedSampler(single, num_replicas=2, rank=rank, seed=3))
        b = list(DistributedSampler(sharded, num_replicas=2, rank=rank, seed=3))
        assert a == b and torch.equal(sharded[b][0], single[a][0])
    reopened = pickle.loads(pickle.dumps(sharded))  # what a DataLoader worker gets
    assert len(pickle.dumps(sharded)) < 2000 and torch.equal(
        reopened[[1, 2]][0], sharded[[1, 2]][0]
    )


def test_a_missing_or_half_written_shard_is_named(tmp_path, files) -> None:
    out = tmp_path / "sharded"
    prepare_shards(files, out, 3)
    shutil.rmtree(out / "shard-00001-of-00003")
    (out / "shard-00002-of-00003" / "meta.json").unlink()  # as a killed run leaves it
    for read in (
        lambda: write_manifest(out),
        lambda: TokenWindows.from_file(out, max_length=4, stride=4),
    ):
        with pytest.raises(ValueError, match="shard 1/3 is missing or incomplete.*shard 2/3"):
            read()
    assert not (out / "manifest.json").exists()


def test_a_killed_shard_run_leaves_nothing_that_looks_complete(tmp_path, verdict) -> None:
    big = tmp_path / "big.txt"
    big.write_text(verdict * 400, encoding="utf-8")  # 9 MB: long enough to be killed
    small = tmp_path / "small.txt"
    small.write_text("a small file", encoding="utf-8")
    out = tmp_path / "sharded"
    prepare_token_file([small, big], out, shard=(0, 2), progress=False)
    command = [sys.executable, "-m", "llmprep.cli", "prepare", str(small), str(big),
               "--out", str(out), "--shard", "1/2", "--quiet"]  # fmt: skip
    run = subprocess.Popen(command)
    shard = out / "shard-00001-of-00002"
    deadline = time.monotonic() + 60
    while not list(shard.glob(".tokens.bin.*.part")) and time.monotonic() < deadline:
        time.sleep(0.01)
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert not (shard / "tokens.bin").exists() and not (shard / "meta.json").exists()
    with pytest.raises(ValueError, match=re.escape("shard 1/2 is missing or incomplete")):
        check_shards(out)
    prepare_token_file([small, big], out, shard=(1, 2), progress=False)  # run it again
    assert len(check_shards(out)) == 2


def test_a_shard_of_another_corpus_or_tokenizer_is_refused(tmp_path, files, verdict) -> None:
    from llmprep import BPETokenizer

    out = tmp_path / "sharded"
    prepare_shards(files, out, 2)
    other = tmp_path / "other"
    prepare_token_file([*files[:-1], files[0]], other, shard=(1, 2), progress=False)
    shutil.rmtree(out / "shard-00001-of-00002")
    shutil.copytree(other / "shard-00001-of-00002", out / "shard-00001-of-00002")
    with pytest.raises(ValueError, match="shard 1/2 is from another corpus or tokenizer"):
        write_manifest(out)
    BPETokenizer.train(verdict, 500).save(tmp_path / "mine.json")
    prepare_token_file(files, out, shard=(1, 2), tokenizer=tmp_path / "mine.json", progress=False)
    with pytest.raises(ValueError, match="tokenizer 'mine.json'"):
        TokenWindows.from_file(out, max_length=4, stride=4)


def test_shards_of_two_splits_overlap_and_are_named(tmp_path, files) -> None:
    out = tmp_path / "sharded"
    prepare_shards(files, out, 2)
    prepare_token_file(files, out, shard=(0, 3), progress=False)
    with pytest.raises(ValueError, match="2 different splits .*shard-00000-of-00003"):
        write_manifest(out)
    shutil.rmtree(out / "shard-00000-of-00003")
    prepare_token_file(files, out, progress=False)  # and one prepare of all, beside them
    with pytest.raises(ValueError, match="both a token file .* and shards"):
        TokenWindows.from_file(out, max_length=4, stride=4)


def test_a_manifest_that_no_longer_describes_its_shards_is_refused(tmp_path, files) -> None:
    out = tmp_path / "sharded"
    prepare_shards(files, out, 2)
    write_manifest(out)
    TokenWindows.from_file(out, max_length=4, stride=4)
    prepare_token_file(files[::-1], out, shard=(1, 2), progress=False)  # another corpus
    with pytest.raises(ValueError, match="another corpus"):
        TokenWindows.from_file(out, max_length=4, stride=4)
    prepare_token_file(files, out, shard=(1, 2), progress=False)
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["shards"][0]["sha256"] = "0" * 64
    (out / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ValueError, match="run `llmprep manifest .*` again"):
        TokenWindows.from_file(out, max_length=4, stride=4)


def test_cli_shards_and_manifest(tmp_path, files, capsys) -> None:
    out = tmp_path / "sharded"
    inputs = [str(p) for p in files]
    for spec in ("0/2", "1/2"):
        assert cli.main(["prepare", *inputs, "--out", str(out), "--shard", spec, "--quiet"]) == 0
    assert "when all 2 shards are done, run `llmprep manifest" in capsys.readouterr().out
    assert cli.main(["manifest", str(out)]) == 0
    assert "all 2 shards of" in capsys.readouterr().out
    for bad, words in (("2/2", "K from 0 to N-1"), ("a/b", "is not K/N"), ("0/9", "9 shards of 8")):
        assert cli.main(["prepare", *inputs, "--out", str(out), "--shard", bad]) == 1
        assert words in capsys.readouterr().err
    assert cli.main(["manifest", str(tmp_path / "in")]) == 1
    assert "holds no shards" in capsys.readouterr().err


def test_prepare_on_a_local_dask_cluster_gives_the_same_shards(tmp_path, files) -> None:
    distributed = pytest.importorskip("distributed", reason="Dask distributed is not installed")
    prepare_shards(files, tmp_path / "local", 3)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        inputs = [str(p) for p in files]
        args = ["prepare", *inputs, "--out", str(tmp_path / "dask"), "--quiet"]
        assert cli.main([*args, "--dask", cluster.scheduler_address, "--shards", "3"]) == 0
    for k in range(3):
        name = f"shard-{k:05d}-of-00003"
        local, remote = tmp_path / "local" / name, tmp_path / "dask" / name
        assert (local / "tokens.bin").read_bytes() == (remote / "tokens.bin").read_bytes()
        metas = [json.loads((f / "meta.json").read_text()) for f in (local, remote)]
        for meta in metas:
            del meta["tokens_file"]["mtime_ns"]  # when each was written
        assert metas[0] == metas[1]
    assert (tmp_path / "dask" / "manifest.json").is_file()
    assert np.array_equal(
        TokenWindows.from_file(tmp_path / "dask", max_length=4, stride=3)[[0, 5]][0],
        TokenWindows.from_file(tmp_path / "local", max_length=4, stride=3)[[0, 5]][0],
    )


def test_a_dask_address_where_no_scheduler_answers_says_how_to_start_one(
    tmp_path, files, monkeypatch, capsys
) -> None:
    distributed = pytest.importorskip("distributed", reason="Dask distributed is not installed")

    class Unreachable:  # what distributed's Client raises after its 30 s
        def __init__(self, address, timeout) -> None:
            raise OSError(f"Timed out trying to connect to {address} after {timeout}")

    monkeypatch.setattr(distributed, "Client", Unreachable)
    out = tmp_path / "corpus"
    args = ["prepare", *map(str, files), "--out", str(out), "--dask", "tcp://127.0.0.1:9"]
    assert cli.main([*args, "--quiet"]) == 1
    error = capsys.readouterr().err
    assert "no Dask scheduler answered at tcp://127.0.0.1:9" in error and "dask scheduler" in error
    assert "Traceback" not in error and not (out / "manifest.json").exists()
