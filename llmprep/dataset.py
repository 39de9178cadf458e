"""Stage 4: sliding windows of token ids, as input/target pairs, batched by a DataLoader.

A window of ``max_length`` ids is the input; the same window shifted by one id is the
target, so at every position the model learns to predict the next token. Consecutive
windows start ``stride`` ids apart.

>>> windows = TokenWindows(list(range(10)), max_length=4, stride=3)
>>> len(windows)
2
>>> windows[1]
(tensor([3, 4, 5, 6]), tensor([4, 5, 6, 7]))
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from numpy.lib.stride_tricks import sliding_window_view
from torch.utils.data import BatchSampler, DataLoader, Dataset, RandomSampler, SequentialSampler
from torch.utils.data.distributed import DistributedSampler

from llmprep._numbers import whole_number
from llmprep.shards import JoinedTokens, is_sharded, open_shards
from llmprep.tokenfile import dtype_for, open_tokens

__all__ = ["GPTDatasetV1", "TokenWindows", "create_dataloader", "create_dataloader_v1"]


class GPTDatasetV1(Dataset):
    """The book's dataset: every window stored as two tensors. Simple, but memory-hungry.

    Kept as the reference that :class:`TokenWindows` must equal, batch for batch.
    """

    def __init__(self, txt: str, tokenizer: Any, max_length: int, stride: int) -> None:
        self.input_ids = []
        self.target_ids = []
        token_ids = tokenizer.encode(txt, allowed_special={"<|endoftext|>"})
        for i in range(0, len(token_ids) - max_length, stride):
            input_chunk = token_ids[i : i + max_length]
            target_chunk = token_ids[i + 1 : i + max_length + 1]
            self.input_ids.append(torch.tensor(input_chunk))
            self.target_ids.append(torch.tensor(target_chunk))

    def __len__(self) -> int:
        return len(self.input_ids)

    def __getitem__(self, idx: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.input_ids[idx], self.target_ids[idx]


class TokenWindows(Dataset):
    """Sliding windows over one contiguous buffer of token ids, computed on access.

    The buffer uses the smallest dtype that holds the ids (uint16 for GPT-2: 2 bytes a
    token instead of the book's 2 x 8 x ``max_length``). Indexed with a list of indices,
    it gathers the whole batch in one indexing operation. ``token_ids`` may be a list, a
    NumPy array, a tensor, or a memory-mapped token file (:meth:`from_file`).
    """

    def __init__(
        self,
        token_ids: Sequence[int] | np.ndarray | torch.Tensor,
        *,
        max_length: int,
        stride: int,
        dtype: np.dtype | str | None = None,
    ) -> None:
        tokens = _compact(token_ids, dtype)
        # subtle: torch cannot pickle uint16/uint32 tensors, so the buffer tensor holds the
        # same bytes as a signed type; `tokens` is the unsigned NumPy view of it.
        buffer = torch.from_numpy(tokens.view(tokens.dtype.str.replace("u", "i")))
        self._setup(tokens, buffer, None, max_length=max_length, stride=stride)

    @classmethod
    def from_file(
        cls, folder: str | os.PathLike[str], *, max_length: int, stride: int
    ) -> TokenWindows:
        """Windows over a folder made by ``llmprep prepare``, memory-mapped, never loaded;
        a folder of shards (``--shard K/N``) is read as one corpus, the same windows as
        one ``prepare`` of the same files would give."""
        windows = cls.__new__(cls)
        # subtle: the absolute path, so that workers started after an os.chdir (spawn)
        # reopen this corpus and not one that happens to sit at the same relative path
        folder = Path(folder).resolve()
        windows._setup(_open(folder), None, folder, max_length=max_length, stride=stride)
        return windows

    def _setup(
        self,
        tokens: np.ndarray,
        buffer: torch.Tensor | None,
        path: Path | None,
        *,
        max_length: int,
        stride: int,
    ) -> None:
        max_length = whole_number(max_length, "max_length")
        stride = whole_number(stride, "stride")
        if len(tokens) < max_length + 1:
            raise ValueError(
                f"the text has {len(tokens)} tokens, but max_length={max_length} needs at "
                f"least {max_length + 1} (a window plus the next token as target): use a "
                f"longer text or a smaller max_length"
            )
        self._buffer, self._path = buffer, path
        self.max_length, self.stride = max_length, stride
        self._view(tokens)

    def _view(self, tokens: np.ndarray | JoinedTokens) -> None:
        self.tokens = tokens  # a view of the buffer, a memory map, or shards joined
        if isinstance(tokens, JoinedTokens):
            self._windows = _JoinedWindows(tokens, self.max_length + 1, self.stride)
            return
        # Row i is window i with its target token: a strided view of the same memory, so
        # a batch is one NumPy fancy index.
        self._windows = sliding_window_view(tokens, self.max_length + 1)[:: self.stride]

    def __len__(self) -> int:
        return len(self._windows)

    def __getitem__(
        self, index: int | Sequence[int] | torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """One window for an int; a batch of shape (len(index), max_length) for a list."""
        try:
            gathered = self._windows[_window_index(index)]
        except IndexError:
            raise IndexError(f"window index out of range: there are {len(self)} windows") from None
        inputs = torch.from_numpy(gathered[..., :-1].astype(np.int64))
        targets = torch.from_numpy(gathered[..., 1:].astype(np.int64))
        return inputs, targets

    def share_memory_(self) -> TokenWindows:
        """Move an in-memory buffer to shared memory, so that DataLoader workers started
        with "spawn" (macOS, Windows) map it instead of each receiving a copy."""
        if self._buffer is not None:
            self._buffer.share_memory_()
            self._view(self._buffer.numpy().view(self.tokens.dtype))
        return self

    def __getstate__(self) -> dict[str, Any]:
        # subtle: NumPy would pickle the ids themselves. A memory map travels as its path
        # and is reopened; a buffer travels as a tensor, which torch's worker processes
        # receive as a handle to shared memory.
        return {**self.__dict__, "tokens": None, "_windows": None, "dtype": self.tokens.dtype}

    def __setstate__(self, state: dict[str, Any]) -> None:
        dtype = state.pop("dtype")
        self.__dict__.update(state)
        if self._buffer is None:
            self._view(_open(self._path, verify=False))  # the parent checked it
        else:
            self._view(self._buffer.numpy().view(dtype))


def _open(folder: Path, *, verify: bool = True) -> np.ndarray | JoinedTokens:
    if not is_sharded(folder):
        return open_tokens(folder, verify=verify)
    if (folder / "meta.json").exists():
        raise ValueError(
            f"{folder} holds both a token file (meta.json, tokens.bin) and shards: which "
            f"corpus is meant? Move one of them to a folder of its own"
        )
    return open_shards(folder, verify=verify)


class _JoinedWindows:
    """Window rows over joined shards, gathered on access (``sliding_window_view``'s
    indexing, for ids that are not one array)."""

    def __init__(self, tokens: JoinedTokens, width: int, stride: int) -> None:
        self.tokens, self.width, self.stride = tokens, width, stride
        self.n = max(-(-(len(tokens) - width + 1) // stride), 0)

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, index: int | slice | np.ndarray) -> np.ndarray:
        if isinstance(index, slice):
            rows = np.arange(*index.indices(self.n))
        else:
            rows = np.asarray(index, dtype=np.int64)
            if rows.size and (rows.min() < -self.n or rows.max() >= self.n):
                raise IndexError(index)
            rows = np.where(rows < 0, rows + self.n, rows)
        return self.tokens.take(rows[..., None] * self.stride + np.arange(self.width))


def _window_index(index: Any) -> int | slice | np.ndarray:
    """An int, a slice, or an array of ints; TypeError for anything NumPy would read as
    something else (``True`` as a mask of all windows, ``1.0``, a float tensor)."""
    kind = type(index)
    if kind is int or kind is slice:  # the common cases first: one window, a batch
        return index
    if kind is list or kind is tuple or kind is np.ndarray:
        indices = np.asarray(index)
        if indices.dtype.kind in "iu":
            return indices
        if indices.size == 0:
            return indices.astype(np.intp)
        raise TypeError(
            f"window indices must be ints, got {indices.dtype} values such as "
            f"{indices.flat[0]!r}: give a list of ints for a batch"
        )
    if isinstance(index, (bool, np.bool_)) or getattr(index, "dtype", None) == torch.bool:
        raise TypeError(
            f"window index {index!r} is a bool (NumPy would read it as a mask): give an int, "
            f"or a list of ints for a batch"
        )
    if isinstance(index, torch.Tensor):
        if index.dtype.is_floating_point or index.dtype.is_complex:
            raise TypeError(f"window indices must be integers, got a {index.dtype} tensor")
        return _window_index(index.numpy() if index.dim() else int(index))
    return whole_number(index, "a window index", minimum=None)


def _compact(token_ids: Any, dtype: np.dtype | str | None) -> np.ndarray:
    """The ids as one contiguous array of the smallest dtype that holds them."""
    ids = token_ids.numpy() if isinstance(token_ids, torch.Tensor) else np.asarray(token_ids)
    if ids.ndim != 1 or (ids.size and not np.issubdtype(ids.dtype, np.integer)):
        raise ValueError(
            f"token_ids must be a flat sequence of ints, got shape {ids.shape} of {ids.dtype}"
        )
    if ids.size and ids.min() < 0:
        raise ValueError(f"token ids cannot be negative, found {ids.min()}")
    largest = int(ids.max()) if ids.size else 0
    chosen = np.dtype(dtype) if dtype is not None else dtype_for(largest + 1)
    if largest > np.iinfo(chosen).max:
        raise ValueError(
            f"token id {largest} does not fit in {chosen.name} (max {np.iinfo(chosen).max}): "
            f"leave dtype unset to choose one that fits"
        )
    return np.ascontiguousarray(ids, dtype=chosen)


class WindowBatches(BatchSampler):
    """Lists of window indices, a batch at a time; ``set_epoch`` reaches a distributed sampler."""

    def set_epoch(self, epoch: int) -> None:
        if isinstance(self.sampler, DistributedSampler):
            self.sampler.set_epoch(epoch)


def create_dataloader(
    windows: TokenWindows,
    *,
    batch_size: int = 4,
    shuffle: bool = True,
    drop_last: bool = True,
    num_workers: int = 0,
    seed: int | None = None,
    distributed: bool | None = None,
    **loader_options: Any,
) -> DataLoader:
    """A standard DataLoader of (inputs, targets) batches over ``windows``.

    Batches are drawn like ``DataLoader(windows, batch_size, shuffle, drop_last)`` would
    (the same batches for the same ``torch.manual_seed``), but each is gathered in one
    indexing operation. With ``torch.distributed`` initialised (or ``distributed=True``),
    ranks get disjoint shards through ``DistributedSampler``: call
    ``loader.sampler.set_epoch(epoch)`` each epoch to reshuffle.
    """
    batch_size = whole_number(batch_size, "batch_size")
    num_workers = whole_number(num_workers, "num_workers", minimum=0)
    n = len(windows)
    if drop_last and n < batch_size:
        raise ValueError(
            f"only {n} window(s) for batch_size={batch_size}: with drop_last=True there would "
            f"be no batch at all. Use a smaller batch_size or stride, or drop_last=False"
        )
    if distributed is None:
        distributed = torch.distributed.is_available() and torch.distributed.is_initialized()
    generator = torch.Generator().manual_seed(seed) if seed is not None else None
    if distributed:
        sampler = DistributedSampler(windows, shuffle=shuffle, seed=seed or 0, drop_last=drop_last)
        share = len(sampler)  # subtle: each rank batches its own share, not all windows
        if drop_last and share < batch_size:
            raise ValueError(
                f"{n} window(s) over {sampler.num_replicas} ranks give each rank {share}, fewer "
                f"than batch_size={batch_size}: with drop_last=True no rank would get a batch. "
                f"Use a smaller batch_size or stride, fewer ranks, or drop_last=False"
            )
    elif shuffle:
        sampler = RandomSampler(windows, generator=generator)
    else:
        sampler = SequentialSampler(windows)
    if num_workers > 0:
        windows.share_memory_()
    return DataLoader(
        windows,
        sampler=WindowBatches(sampler, batch_size=batch_size, drop_last=drop_last),
        batch_size=None,  # the sampler yields whole batches; windows[list] gathers them
        num_workers=num_workers,
        **loader_options,
    )


def create_dataloader_v1(
    txt: str,
    batch_size: int = 4,
    max_length: int = 256,
    stride: int = 128,
    shuffle: bool = True,
    drop_last: bool = True,
    num_workers: int = 0,
) -> DataLoader:
    """The book's function and signature: GPT-2 tokens of ``txt``, windows, batches.

    >>> from llmprep import load_text
    >>> loader = create_dataloader_v1(load_text("the-verdict"), batch_size=1, max_length=4,
    ...                               stride=1, shuffle=False)
    >>> next(iter(loader))
    [tensor([[  40,  367, 2885, 1464]]), tensor([[ 367, 2885, 1464, 1807]])]
    """
    from llmprep.gpt2 import gpt2_encoding

    token_ids = gpt2_encoding().encode(txt, allowed_special={"<|endoftext|>"})
    windows = TokenWindows(token_ids, max_length=max_length, stride=stride)
    return create_dataloader(
        windows,
        batch_size=batch_size,
        shuffle=shuffle,
        drop_last=drop_last,
        num_workers=num_workers,
    )
