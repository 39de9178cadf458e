from __future__ import annotations

import gzip
import json
import os
import sys

import numpy as np
import pytest

from llmprep import assets
from llmprep.word2vec import FULL_MODEL, SUBSET_ASSET, load_vectors_file, load_word2vec

TINY_WORDS = ["the", "king", "queen", "man", "woman", "tower", "towers", "New_York"]


def write_tiny_model(path, words=TINY_WORDS, dims=4, seed=0) -> np.ndarray:
    """A word2vec binary file as Google's (and gensim's save_word2vec_format) writes it."""
    vectors = np.random.default_rng(seed).normal(size=(len(words), dims)).astype(np.float32)
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "wb") as f:
        f.write(f"{len(words)} {dims}\n".encode())
        for word, vector in zip(words, vectors, strict=True):
            f.write(word.encode() + b" " + vector.tobytes() + b"\n")
    return vectors


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LLMPREP_DATA", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def gensim_home(tmp_path, monkeypatch, cache):
    """An offline gensim-data folder; gensim.downloader re-imported to read it."""
    home = tmp_path / "gensim-data"
    home.mkdir()
    monkeypatch.setenv("GENSIM_DATA_DIR", str(home))
    monkeypatch.delitem(sys.modules, "gensim.downloader", raising=False)
    import gensim.downloader as api

    def network_is_off(*args, **kwargs):
        raise OSError("no network in tests")

    monkeypatch.setattr(api, "urlopen", network_is_off)
    monkeypatch.setattr(api.urllib, "urlretrieve", network_is_off)
    info = {
        "corpora": {},
        "models": {
            FULL_MODEL: {
                "num_records": len(TINY_WORDS),
                "file_size": 0,
                "parts": 1,
                "file_name": f"{FULL_MODEL}.gz",
                "read_more": [],
                "description": "tiny test model",
            }
        },
    }
    (home / "information.json").write_text(json.dumps(info))
    return home


def install_tiny_full_model(home) -> np.ndarray:
    folder = home / FULL_MODEL
    folder.mkdir()
    (folder / "__init__.py").write_text(
        "import os\nfrom gensim.models import KeyedVectors\n\n\ndef load_data():\n"
        f"    path = os.path.join(os.path.dirname(__file__), '{FULL_MODEL}.gz')\n"
        "    return KeyedVectors.load_word2vec_format(path, binary=True)\n"
    )
    return write_tiny_model(folder / f"{FULL_MODEL}.gz")


def test_the_subset_is_verified_and_has_the_study_notes_figures(capsys) -> None:
    path = assets.fetch(SUBSET_ASSET)
    assert assets.sha256_of(path) == (
        "df8407188c041cae1a2e837c23703e640d573db915f3b8647e1ef59f7caaa999"
    )
    vectors = load_word2vec("subset")
    assert "(subset): 26,423 words x 300 dimensions" in capsys.readouterr().out
    assert vectors["computer"].shape == (300,)
    best = vectors.most_similar(positive=["king", "woman"], negative=["man"], topn=2)
    assert [(w, round(s, 4)) for w, s in best] == [("queen", 0.7118), ("monarch", 0.619)]
    for (a, b), expected in {
        ("woman", "man"): 0.766,
        ("dog", "cat"): 0.761,
        ("boy", "girl"): 0.854,
        ("sky", "vector"): 0.083,
    }.items():
        assert round(float(vectors.similarity(a, b)), 3) == expected


def test_the_full_model_through_gensim_downloader_offline(gensim_home, capsys) -> None:
    expected = install_tiny_full_model(gensim_home)
    vectors = load_word2vec("full")
    assert "(full): 8 words x 4 dimensions" in capsys.readouterr().out
    assert vectors.index_to_key == TINY_WORDS
    np.testing.assert_array_equal(vectors["queen"], expected[2])
    assert load_word2vec("auto").index_to_key == TINY_WORDS  # on disk, so auto takes it
    assert load_word2vec("full", limit=3).index_to_key == TINY_WORDS[:3]
    import gensim.downloader as api

    assert api.load(FULL_MODEL).index_to_key == TINY_WORDS  # the layout is gensim's own


def test_auto_falls_back_to_the_subset(gensim_home, capsys) -> None:
    assert len(load_word2vec("auto")) == 26423
    assert "(subset)" in capsys.readouterr().out


def test_full_model_missing_offline_warns_then_says_what_to_do(gensim_home) -> None:
    with (
        pytest.warns(UserWarning, match="1.6 GB download"),
        pytest.raises(assets.AssetError, match=r"load_word2vec\('subset'\)"),
    ):
        load_word2vec("full")


def test_reloads_memory_map_a_native_copy(tmp_path, cache) -> None:
    source = tmp_path / "model.bin"
    expected = write_tiny_model(source)
    first = load_vectors_file(source, key="tiny")
    again = load_vectors_file(source, key="tiny")
    assert isinstance(again.vectors, np.memmap)
    np.testing.assert_array_equal(again.vectors, expected)
    assert sorted(p.name for p in (cache / "word-vectors").iterdir()) == ["tiny.json", "tiny.npy"]
    assert first.most_similar("king", topn=7) == again.most_similar("king", topn=7)
    # A changed source file is converted again, never served stale.
    changed = write_tiny_model(source, seed=1)
    os.utime(source, ns=(1, 1))
    np.testing.assert_array_equal(load_vectors_file(source, key="tiny").vectors, changed)
    # A damaged native copy is rebuilt.
    (cache / "word-vectors" / "tiny.json").write_text("{")
    np.testing.assert_array_equal(load_vectors_file(source, key="tiny").vectors, changed)


def test_unknown_words_are_named_with_suggestions(tmp_path, cache) -> None:
    source = tmp_path / "model.bin"
    write_tiny_model(source)
    vectors = load_vectors_file(source, key="tiny")
    with pytest.raises(
        KeyError, match=r"'King' is not in the vocabulary \(8 words\); did you mean 'king'"
    ):
        vectors["King"]
    with pytest.raises(KeyError, match="'new york'.*did you mean 'New_York'"):
        vectors.similarity("new york", "king")
    with pytest.raises(KeyError, match="'quen'.*did you mean 'queen'"):
        vectors.most_similar("quen")
    with pytest.raises(KeyError, match=r"'zebra' is not in the vocabulary \(8 words\)\"$"):
        vectors["zebra"]


def test_a_corrupt_vectors_file_is_a_clear_error(tmp_path, cache) -> None:
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"3 4\nking \x00\x01")
    with pytest.raises(ValueError, match="bad.bin is not a readable word2vec binary file"):
        load_vectors_file(bad, key="bad")
    assert not (cache / "word-vectors").exists() or not any((cache / "word-vectors").iterdir())


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="source must be 'auto', 'full' or 'subset'"):
        load_word2vec("google")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="limit must be a whole number of at least 1"):
        load_word2vec("subset", limit=0)


def damage_words(folder):
    meta = json.loads((folder / "tiny.json").read_text())
    meta["words"][1], meta["words"][2] = meta["words"][2], meta["words"][1]  # king <-> queen
    (folder / "tiny.json").write_text(json.dumps(meta))


def damage_bytes(folder):
    data = bytearray((folder / "tiny.npy").read_bytes())
    data[-4:] = b"\x00\x00\x80\x7f"  # the last number becomes +inf, size unchanged
    (folder / "tiny.npy").write_bytes(bytes(data))


def damage_empty(folder):
    (folder / "tiny.npy").write_bytes(b"")


def damage_shape(folder):
    meta = json.loads((folder / "tiny.json").read_text())
    meta["words"] = {"not": "a list"}
    (folder / "tiny.json").write_text(json.dumps(meta))


def damage_dtype(folder):
    vectors = np.load(folder / "tiny.npy")
    np.save(folder / "tiny.npy", vectors.astype(np.float64))


@pytest.mark.parametrize(
    "damage", [damage_words, damage_bytes, damage_empty, damage_shape, damage_dtype]
)
def test_a_damaged_native_copy_is_detected_and_rebuilt(tmp_path, cache, caplog, damage) -> None:
    source = tmp_path / "model.bin"
    expected = write_tiny_model(source)
    load_vectors_file(source, key="tiny")
    damage(cache / "word-vectors")
    with caplog.at_level("WARNING", logger="llmprep"):
        vectors = load_vectors_file(source, key="tiny")
    assert vectors.index_to_key == TINY_WORDS
    np.testing.assert_array_equal(vectors.vectors, expected)
    rebuilt = [r for r in caplog.records if "rebuilding the native copy" in r.getMessage()]
    assert len(rebuilt) == 1  # said once, in one line
    caplog.clear()
    load_vectors_file(source, key="tiny")  # and healthy again: nothing to say
    assert not caplog.records


def test_concurrent_first_loads_all_succeed(tmp_path) -> None:
    import subprocess

    source = tmp_path / "model.bin"
    expected = write_tiny_model(source, words=[f"w{i}" for i in range(20_000)], dims=50)
    code = (
        "import sys; from llmprep.word2vec import load_vectors_file\n"
        f"v = load_vectors_file({str(source)!r}, key='tiny')\n"
        "print(len(v.index_to_key), float(v.vectors[123, 7]))\n"
    )
    env = {**os.environ, "LLMPREP_DATA": str(tmp_path / "cache")}
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", code],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        count, value = out.split()
        assert int(count) == 20_000 and float(value) == pytest.approx(float(expected[123, 7]))
    files = sorted(p.name for p in (tmp_path / "cache" / "word-vectors").iterdir())
    assert files == ["tiny.json", "tiny.npy"]  # one copy, no temporary files left
