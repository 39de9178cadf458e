from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader

from llmprep import gpt2_encoding
from llmprep.dataset import GPTDatasetV1, TokenWindows, create_dataloader, create_dataloader_v1
from llmprep.tokenfile import prepare_token_file


def book_loader(text, *, batch_size, max_length, stride, shuffle=True, drop_last=True):
    """The book's create_dataloader_v1, verbatim but for the encoding's source."""
    dataset = GPTDatasetV1(text, gpt2_encoding(), max_length, stride)
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, drop_last=drop_last)


def same_batches(a, b) -> bool:
    a, b = list(a), list(b)
    return len(a) == len(b) and all(
        torch.equal(x, y) and x.dtype == y.dtype
        for p, q in zip(a, b, strict=True)
        for x, y in zip(p, q, strict=True)
    )


def test_first_batches_as_in_the_book(verdict) -> None:
    loader = create_dataloader_v1(verdict, batch_size=1, max_length=4, stride=1, shuffle=False)
    batches = iter(loader)
    assert [t.tolist() for t in next(batches)] == [
        [[40, 367, 2885, 1464]],
        [[367, 2885, 1464, 1807]],
    ]
    assert [t.tolist() for t in next(batches)] == [
        [[367, 2885, 1464, 1807]],
        [[2885, 1464, 1807, 3619]],
    ]
    inputs, targets = next(
        iter(create_dataloader_v1(verdict, batch_size=8, max_length=4, stride=4, shuffle=False))
    )
    assert inputs.shape == (8, 4) and inputs[1].tolist() == [1807, 3619, 402, 271]
    assert targets[7].tolist() == [3285, 326, 11, 287]


@pytest.mark.parametrize(
    ("batch_size", "max_length", "stride", "shuffle", "drop_last"),
    [
        (8, 4, 1, True, True),
        (3, 16, 5, True, False),
        (4, 256, 128, True, True),
        (2, 2, 2, False, False),
        (5, 8, 2, False, True),
    ],
)
def test_the_same_batches_as_the_books_implementation(
    verdict, batch_size, max_length, stride, shuffle, drop_last
) -> None:
    kwargs = dict(
        batch_size=batch_size,
        max_length=max_length,
        stride=stride,
        shuffle=shuffle,
        drop_last=drop_last,
    )
    torch.manual_seed(123)
    expected = list(book_loader(verdict, **kwargs))
    torch.manual_seed(123)
    assert same_batches(create_dataloader_v1(verdict, **kwargs), expected)


def test_windows_equal_the_books_dataset(verdict) -> None:
    ids = gpt2_encoding().encode(verdict)
    book = GPTDatasetV1(verdict, gpt2_encoding(), 32, 7)
    windows = TokenWindows(ids, max_length=32, stride=7)
    assert len(windows) == len(book) == len(range(0, len(ids) - 32, 7))
    for i in (0, 1, len(book) - 1, -1):
        assert all(torch.equal(a, b) for a, b in zip(windows[i], book[i], strict=True))
    inputs, targets = windows[[0, 5, 3]]
    assert inputs.shape == (3, 32) and torch.equal(inputs[1], book[5][0])
    assert not inputs.storage_offset() and inputs.data_ptr() != targets.data_ptr()


def test_the_buffer_is_compact() -> None:
    assert TokenWindows([1, 2, 50256], max_length=2, stride=1).tokens.dtype == np.uint16
    assert TokenWindows([1, 2, 70000], max_length=2, stride=1).tokens.dtype == np.uint32
    windows = TokenWindows(torch.arange(10), max_length=2, stride=1)
    assert windows.tokens.dtype == np.uint16 and windows[0][0].dtype == torch.int64


def test_bad_input_says_what_to_change() -> None:
    with pytest.raises(ValueError, match="has 4 tokens, but max_length=4 needs at least 5"):
        TokenWindows([1, 2, 3, 4], max_length=4, stride=1)
    with pytest.raises(ValueError, match="stride must be a whole number of at least 1, got 0"):
        TokenWindows(range(10), max_length=2, stride=0)
    with pytest.raises(ValueError, match="max_length must be a whole number of at least 1"):
        TokenWindows(range(10), max_length=-1, stride=1)
    with pytest.raises(ValueError, match="token id 70000 does not fit in uint16"):
        TokenWindows([1, 70000, 3], max_length=1, stride=1, dtype="uint16")
    with pytest.raises(ValueError, match="cannot be negative"):
        TokenWindows([1, -1, 3], max_length=1, stride=1)
    with pytest.raises(ValueError, match="flat sequence of ints"):
        TokenWindows([[1, 2], [3, 4]], max_length=1, stride=1)
    windows = TokenWindows(range(10), max_length=4, stride=2)  # 3 windows
    with pytest.raises(ValueError, match=r"only 3 window\(s\) for batch_size=4.*drop_last=False"):
        create_dataloader(windows, batch_size=4)
    assert len(create_dataloader(windows, batch_size=4, drop_last=False)) == 1
    with pytest.raises(IndexError, match="there are 3 windows"):
        windows[3]


def test_the_text_is_too_short_for_the_books_loader() -> None:
    with pytest.raises(ValueError, match="has 3 tokens, but max_length=256 needs at least 257"):
        create_dataloader_v1("Hello, world")


def assert_worker_shares_the_buffer(worker_id: int) -> None:
    """Runs in each DataLoader worker; an error here fails the loader and the test."""
    windows = torch.utils.data.get_worker_info().dataset
    if not windows._buffer.is_shared():
        raise AssertionError(f"worker {worker_id} received a copy of the token buffer")


def test_workers_share_the_buffer_instead_of_copying_it(verdict) -> None:
    ids = gpt2_encoding().encode(verdict)
    windows = TokenWindows(ids, max_length=16, stride=16)
    torch.manual_seed(0)
    expected = list(create_dataloader(windows, batch_size=4))
    for context in ("fork", "spawn"):
        torch.manual_seed(0)
        loader = create_dataloader(
            windows,
            batch_size=4,
            num_workers=2,
            multiprocessing_context=context,
            worker_init_fn=assert_worker_shares_the_buffer,
        )
        assert same_batches(loader, expected)
    assert windows._buffer.is_shared()
    state = pickle.loads(pickle.dumps(windows))  # what a spawned worker receives
    assert torch.equal(state[3][0], windows[3][0])


def test_prepared_token_file_is_memory_mapped(tmp_path, verdict) -> None:
    (tmp_path / "a.txt").write_text(verdict, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Second document.\n", encoding="utf-8")
    meta = prepare_token_file(
        [tmp_path / "a.txt", tmp_path / "b.txt"], tmp_path / "out", progress=False
    )
    encoding = gpt2_encoding()
    expected = [*encoding.encode(verdict), 50256, *encoding.encode("Second document.\n")]
    assert meta["count"] == len(expected) and meta["dtype"] == "uint16"
    windows = TokenWindows.from_file(tmp_path / "out", max_length=8, stride=4)
    assert isinstance(windows.tokens, np.memmap)
    assert windows.tokens.tolist() == expected
    reopened = pickle.loads(pickle.dumps(windows))
    assert isinstance(reopened.tokens, np.memmap) and torch.equal(reopened[5][1], windows[5][1])
    assert len(pickle.dumps(windows)) < 2000  # the path, not the tokens
    torch.manual_seed(1)
    in_memory = list(create_dataloader(TokenWindows(expected, max_length=8, stride=4)))
    torch.manual_seed(1)
    assert same_batches(create_dataloader(windows, num_workers=2), in_memory)


def distributed_worker(rank: int, world_size: int, port: int, out: str) -> None:
    """One rank of a two-process job: record which windows it sees in two epochs."""
    torch.distributed.init_process_group(
        "gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world_size
    )
    try:
        windows = TokenWindows(np.arange(1001), max_length=4, stride=4)  # 250 windows
        loader = create_dataloader(windows, batch_size=8, shuffle=True, seed=17)
        seen = []
        for epoch in range(2):
            loader.sampler.set_epoch(epoch)
            seen.append([int(start) // 4 for inputs, _ in loader for start in inputs[:, 0]])
        torch.save(seen, f"{out}/rank{rank}.pt")
    finally:
        torch.distributed.destroy_process_group()


def test_two_ranks_get_disjoint_shards_reshuffled_each_epoch(tmp_path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    torch.multiprocessing.spawn(distributed_worker, args=(2, port, str(tmp_path)), nprocs=2)
    rank0, rank1 = (torch.load(tmp_path / f"rank{r}.pt") for r in (0, 1))
    for epoch in range(2):
        a, b = set(rank0[epoch]), set(rank1[epoch])
        assert len(rank0[epoch]) == len(rank1[epoch]) == 120  # 125 each, 15 batches of 8
        assert not a & b and len(a | b) == 240
    assert rank0[0] != rank0[1]  # set_epoch reshuffles


def test_numbers_that_would_wrap_are_taken_as_what_they_mean() -> None:
    import numpy as np

    windows = TokenWindows(list(range(300)), max_length=np.uint8(255), stride=np.uint8(1))
    assert len(windows) == 300 - 255 and windows[0][0].shape == (255,)  # no 255 + 1 == 0
    with pytest.raises(TypeError, match="max_length must be a whole number.*4.0"):
        TokenWindows(list(range(10)), max_length=4.0, stride=1)
    with pytest.raises(TypeError, match="batch_size must be a whole number"):
        create_dataloader(TokenWindows(list(range(10)), max_length=2, stride=1), batch_size=2.5)


def test_spawn_workers_reopen_the_corpus_by_its_absolute_path(tmp_path, monkeypatch) -> None:
    # two corpora at the same relative path "corpus" in two folders: after os.chdir, a
    # worker that reopened the file by its relative path would read the other one
    for name, text in (("first", "alpha beta gamma delta. " * 50), ("second", "one two. " * 80)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "a.txt").write_text(text, encoding="utf-8")
        prepare_token_file([tmp_path / name / "a.txt"], tmp_path / name / "corpus", progress=False)
    monkeypatch.chdir(tmp_path / "first")
    windows = TokenWindows.from_file("corpus", max_length=4, stride=4)
    expected = torch.cat([windows[i][0] for i in range(8)])
    monkeypatch.chdir(tmp_path / "second")
    loader = create_dataloader(
        windows, batch_size=8, shuffle=False, num_workers=1, multiprocessing_context="spawn"
    )
    inputs, _ = next(iter(loader))
    assert torch.equal(inputs.flatten(), expected)


# ---- issue 19: nothing silently wrong, round 3 ----------------------------------------


def test_a_window_index_is_an_int_or_a_list_of_ints() -> None:
    windows = TokenWindows(list(range(10)), max_length=4, stride=2)  # 3 windows
    for bad, words in (
        (True, "is a bool"),
        (np.bool_(False), "is a bool"),
        (1.0, "must be a whole number"),
        ([0.0, 1.0], "must be ints"),
        ([True, False, True], "must be ints"),
        (torch.tensor([1.0]), "float32 tensor"),
        (torch.tensor(True), "is a bool"),
        ("0", "must be a whole number"),
    ):
        with pytest.raises(TypeError, match=words):
            windows[bad]
    assert windows[np.int64(1)][0].tolist() == [2, 3, 4, 5]
    assert windows[torch.tensor(2)][0].tolist() == windows[-1][0].tolist() == [4, 5, 6, 7]
    assert windows[torch.tensor([0, 2])][0].shape == (2, 4)
    assert windows[[]][0].shape == (0, 4) and windows[0:2][0].shape == (2, 4)
    with pytest.raises(IndexError, match="there are 3 windows"):
        windows[[0, 3]]


def share_too_small_worker(rank: int, world_size: int, port: int, out: str) -> None:
    """One rank of two: 12 windows give each rank 6, fewer than a batch of 8."""
    torch.distributed.init_process_group(
        "gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world_size
    )
    try:
        windows = TokenWindows(np.arange(49), max_length=4, stride=4)  # 12 windows
        try:
            loader = create_dataloader(windows, batch_size=8, shuffle=False)
            message = f"no error, {len(list(loader))} batches"
        except ValueError as error:
            message = str(error)
        (Path(out) / f"rank{rank}.txt").write_text(message)
    finally:
        torch.distributed.destroy_process_group()


def test_ranks_whose_share_is_below_a_batch_are_told(tmp_path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    torch.multiprocessing.spawn(share_too_small_worker, args=(2, port, str(tmp_path)), nprocs=2)
    for rank in (0, 1):
        message = (tmp_path / f"rank{rank}.txt").read_text()
        assert "12 window(s) over 2 ranks give each rank 6, fewer than batch_size=8" in message
