"""Corpora as they come: text, jsonl (also gzipped) and parquet files, each record a
document, give the ids of the same documents in text files."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys

import pytest

from llmprep import BPETokenizer, cli, corpus
from llmprep.tokenfile import open_tokens, prepare_token_file

DOCUMENTS = [
    "The first document.\nIt has two lines.\r\n",
    "naïve café in Zürich 😀's",
    "",
    "   spaces   and\ttabs  ",
    "<|endoftext|> inside a document is the token",
    "x" * 3000,
]


def as_text_files(folder, documents) -> list:
    paths = []
    for k, text in enumerate(documents):
        path = folder / f"doc{k}.txt"
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    return paths


def as_jsonl(path, documents, field="text") -> None:
    lines = "".join(json.dumps({"id": k, field: t}) + "\n" for k, t in enumerate(documents))
    data = lines.encode("utf-8")
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)


def as_parquet(path, documents, field="text", row_group_size=2) -> None:
    import pyarrow
    import pyarrow.parquet as pq

    table = pyarrow.table({"id": list(range(len(documents))), field: documents})
    pq.write_table(table, path, row_group_size=row_group_size)


@pytest.mark.parametrize("tokenizer", ["gpt2", "trained"])
def test_jsonl_and_parquet_give_the_ids_of_the_same_documents_in_text_files(
    tmp_path, verdict, tokenizer
) -> None:
    path = None
    if tokenizer == "trained":
        path = tmp_path / "mine.json"
        BPETokenizer.train(
            verdict, 700, pattern=r"\p{L}+|\p{N}+|\s+(?!\S)|\s|[^\s\p{L}\p{N}]+"
        ).save(path)
    texts = as_text_files(tmp_path, DOCUMENTS)
    prepare_token_file(texts, tmp_path / "from_text", tokenizer=path, progress=False)
    expected = open_tokens(tmp_path / "from_text").tolist()
    as_jsonl(tmp_path / "a.jsonl", DOCUMENTS[:3])
    as_jsonl(tmp_path / "b.jsonl.gz", DOCUMENTS[3:])
    as_parquet(tmp_path / "c.parquet", DOCUMENTS)
    for name, inputs in (
        ("jsonl", [tmp_path / "a.jsonl", tmp_path / "b.jsonl.gz"]),
        ("parquet", [tmp_path / "c.parquet"]),
        ("mixed", [tmp_path / "a.jsonl", *texts[3:]]),
    ):
        meta = prepare_token_file(inputs, tmp_path / name, tokenizer=path, progress=False)
        assert open_tokens(tmp_path / name).tolist() == expected, name
        assert sum(f["documents"] for f in meta["files"]) == len(DOCUMENTS)


def test_the_text_field_is_named_with_field(tmp_path, capsys) -> None:
    as_jsonl(tmp_path / "a.jsonl", ["one", "two"], field="content")
    as_parquet(tmp_path / "b.parquet", ["three"], field="content")
    args = ["prepare", str(tmp_path / "a.jsonl"), str(tmp_path / "b.parquet"), "--quiet"]
    assert cli.main([*args, "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "line 1 has no field 'text' (it has 'id', 'content')" in err and "--field" in err
    assert cli.main([*args, "--out", str(tmp_path / "out"), "--field", "content"]) == 0
    assert open_tokens(tmp_path / "out").tolist() == [505, 50256, 11545, 50256, 15542]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"text": "ok"}\n{"text": broken}\n', "line 2 is not a JSON object"),
        (b'{"text": "ok"}\n["text"]\n', "line 2 is list, not a JSON object"),
        (b'{"text": 5}\n', "'text' is int, not text"),
        (b'{"text": "caf\xe9"}\n', "line 1 is not valid UTF-8"),
        (b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n", "not a JSON object"),
    ],
)
def test_a_bad_jsonl_line_is_named(tmp_path, content, words) -> None:
    (tmp_path / "bad.jsonl").write_bytes(content)
    with pytest.raises(ValueError, match=re.escape(words)):
        prepare_token_file([tmp_path / "bad.jsonl"], tmp_path / "out", progress=False)
    assert not (tmp_path / "out" / "tokens.bin").exists()


def test_a_parquet_column_of_dictionary_or_view_strings_is_text(tmp_path) -> None:
    # a pandas category column is dictionary<string>: it was refused as "not text"
    import pyarrow
    import pyarrow.parquet as pq

    documents = ["one document", "another one", "one document"]
    columns = [pyarrow.array(documents).dictionary_encode()]
    if hasattr(pyarrow, "string_view"):
        columns.append(pyarrow.array(documents, pyarrow.string_view()))
    expected = prepare_token_file(
        as_text_files(tmp_path, documents), tmp_path / "t", progress=False
    )
    for k, column in enumerate(columns):
        pq.write_table(pyarrow.table({"text": column}), tmp_path / f"{k}.parquet")
        meta = prepare_token_file([tmp_path / f"{k}.parquet"], tmp_path / f"{k}", progress=False)
        assert meta["count"] == expected["count"]
        assert open_tokens(tmp_path / f"{k}").tolist() == open_tokens(tmp_path / "t").tolist()


def test_a_bad_parquet_file_is_named(tmp_path, monkeypatch) -> None:
    import pyarrow
    import pyarrow.parquet as pq

    pq.write_table(pyarrow.table({"text": ["a", None]}), tmp_path / "null.parquet")
    pq.write_table(pyarrow.table({"text": [1, 2]}), tmp_path / "ints.parquet")
    (tmp_path / "fake.parquet").write_bytes(b"not parquet")
    for name, words in (
        ("null.parquet", "row 2: 'text' is null"),
        ("ints.parquet", "column 'text' holds int64, not text"),
        ("fake.parquet", "is not a parquet file"),
    ):
        with pytest.raises(ValueError, match=re.escape(words)):
            prepare_token_file([tmp_path / name], tmp_path / "out", progress=False)
    with pytest.raises(ValueError, match="has no column 'body'.*--field"):
        prepare_token_file([tmp_path / "null.parquet"], tmp_path / "out", field="body")
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)  # as if not installed
    with pytest.raises(ImportError, match=re.escape("pip install 'llmprep[corpus]'")):
        list(corpus.documents(tmp_path / "null.parquet"))


def test_memory_stays_flat_for_big_jsonl_and_parquet_files(tmp_path, verdict) -> None:
    documents = [verdict[k : k + 3000] for k in range(0, len(verdict), 3000)] * 150  # 24 MB
    as_jsonl(tmp_path / "big.jsonl", documents)
    as_parquet(tmp_path / "big.parquet", documents, row_group_size=1000)
    for name in ("big.jsonl", "big.parquet"):
        code = (
            "import resource\n"
            "from llmprep.tokenfile import prepare_token_file\n"
            "from llmprep.gpt2 import gpt2_encoding\n"
            "import pyarrow.parquet\n"
            "gpt2_encoding().encode('warm up')\n"
            "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            f"prepare_token_file([{str(tmp_path / name)!r}], {str(tmp_path / name) + '.out'!r},"
            " progress=False)\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)\n"
        )
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        grown_mb = int(run.stdout) / 1024
        assert grown_mb < 100, f"{name}: prepare grew by {grown_mb:.0f} MB for a 24 MB file"


def test_train_reads_the_same_documents_from_any_kind_of_file(tmp_path, verdict) -> None:
    documents = [verdict[k : k + 2000] for k in range(0, len(verdict), 2000)]
    expected = BPETokenizer.train(documents, 600).merges
    as_jsonl(tmp_path / "a.jsonl.gz", documents[:5])
    as_parquet(tmp_path / "b.parquet", documents[5:9])
    texts = as_text_files(tmp_path, documents[9:])
    out = tmp_path / "tokenizer.json"
    args = [str(tmp_path / "a.jsonl.gz"), str(tmp_path / "b.parquet"), *map(str, texts)]
    assert cli.main(["train", *args, "--vocab-size", "600", "--out", str(out)]) == 0
    assert BPETokenizer.load(out).merges == expected
    assert cli.main(["train", *args, "--vocab-size", "600", "--out", str(tmp_path)]) == 1


def test_a_prepare_that_fails_leaves_no_empty_folder_behind(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\nnot json\n', encoding="utf-8")
    out = tmp_path / "new" / "corpus"
    assert cli.main(["prepare", str(bad), "--out", str(out), "--quiet"]) == 1
    assert "bad.jsonl" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()
    assert cli.main(["prepare", str(bad), "--out", str(out), "--shard", "0/1", "--quiet"]) == 1
    assert not (tmp_path / "new").exists()
    from llmprep._files import exclusive_lock

    good = tmp_path / "good.txt"
    good.write_text("fine", encoding="utf-8")
    with exclusive_lock(out, wait=True, busy=""):  # another run made it and writes into it
        assert cli.main(["prepare", str(good), "--out", str(out), "--quiet"]) == 1
        assert "right now" in capsys.readouterr().err and out.is_dir()  # its folder stays
    out.rmdir()
    out.mkdir(parents=True, exist_ok=True)  # a folder that was there before stays
    assert cli.main(["prepare", str(bad), "--out", str(out), "--quiet"]) == 1
    assert out.is_dir() and not list(out.iterdir())
