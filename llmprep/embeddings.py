"""Stages 5-6: token embeddings plus position embeddings, the input of a GPT block.

>>> import torch
>>> torch.manual_seed(123)  # doctest: +ELLIPSIS
<torch._C.Generator object at ...>
>>> embed = InputEmbedding(vocab_size=50257, emb_dim=256, context_length=4)
>>> embed(torch.tensor([[40, 367, 2885, 1464], [1807, 3619, 402, 271]])).shape
torch.Size([2, 4, 256])
"""

from __future__ import annotations

import math
from typing import Any, Literal

import torch
from torch import nn

from llmprep._numbers import whole_number

__all__ = ["InputEmbedding", "sinusoidal_positions"]


def sinusoidal_positions(
    context_length: int, emb_dim: int, *, base: float = 10000.0
) -> torch.Tensor:
    """The fixed positions of "Attention Is All You Need", shape (context_length, emb_dim).

    ``P[pos, 2i] = sin(pos / base**(2i / emb_dim))`` and
    ``P[pos, 2i + 1] = cos(pos / base**(2i / emb_dim))``: each pair of dimensions is a
    clock turning at its own speed, from one turn per 2π positions (dimensions 0, 1) down
    to one per ``2π * base**((emb_dim - 2) / emb_dim)`` positions (the last pair: 47,117
    for ``emb_dim=64``; it approaches ``2π * base`` as ``emb_dim`` grows).

    >>> sinusoidal_positions(3, 4).round(decimals=4)
    tensor([[ 0.0000,  1.0000,  0.0000,  1.0000],
            [ 0.8415,  0.5403,  0.0100,  1.0000],
            [ 0.9093, -0.4161,  0.0200,  0.9998]])
    """
    context_length = whole_number(context_length, "context_length")
    emb_dim = whole_number(emb_dim, "emb_dim")
    if (
        isinstance(base, bool)
        or not isinstance(base, (int, float))
        or not math.isfinite(base)
        or base <= 1
    ):
        raise ValueError(
            f"base must be a number greater than 1 (the paper uses 10,000), got {base!r}"
        )
    position = torch.arange(context_length, dtype=torch.float64)[:, None]
    rates = base ** (-torch.arange(0, emb_dim, 2, dtype=torch.float64) / emb_dim)  # (ceil(d/2),)
    angles = position * rates
    table = torch.empty(context_length, emb_dim, dtype=torch.float64)
    table[:, 0::2] = torch.sin(angles)
    table[:, 1::2] = torch.cos(angles[:, : emb_dim // 2])  # an odd emb_dim ends on a sine
    return table.float()


class InputEmbedding(nn.Module):
    """Token embedding plus position embedding of ``torch.arange(T)``, then dropout.

    ``positional="learned"`` (GPT-2) trains a second ``nn.Embedding(context_length,
    emb_dim)``; ``"sinusoidal"`` adds the fixed :func:`sinusoidal_positions`. The (T, D)
    positions broadcast over the batch: (B, T, D) + (T, D) -> (B, T, D). Ids may come on
    any device; they move to the device of the module's parameters.
    """

    def __init__(
        self,
        vocab_size: int,
        emb_dim: int,
        context_length: int,
        *,
        positional: Literal["learned", "sinusoidal"] = "learned",
        dropout: float = 0.0,
        check_ids: Literal["cpu", "always", "never"] = "cpu",
    ) -> None:
        super().__init__()
        vocab_size = whole_number(vocab_size, "vocab_size")
        emb_dim = whole_number(emb_dim, "emb_dim")
        context_length = whole_number(context_length, "context_length")
        if check_ids not in ("cpu", "always", "never"):
            raise ValueError(f"check_ids must be 'cpu', 'always' or 'never', got {check_ids!r}")
        self.check_ids = check_ids
        if positional not in ("learned", "sinusoidal"):
            raise ValueError(f"positional must be 'learned' or 'sinusoidal', got {positional!r}")
        self.vocab_size, self.context_length, self.positional = (
            vocab_size,
            context_length,
            positional,
        )
        self.token_embedding = nn.Embedding(vocab_size, emb_dim)
        if positional == "learned":
            self.position_embedding: nn.Embedding | None = nn.Embedding(context_length, emb_dim)
        else:
            self.position_embedding = None
            # a buffer, not a parameter: it moves with .to(device) but is never trained
            self.register_buffer(
                "sinusoids", sinusoidal_positions(context_length, emb_dim), persistent=False
            )
        self.dropout = nn.Dropout(dropout)

    def positions(self, length: int) -> torch.Tensor:
        """The (length, emb_dim) position vectors added to a sequence of that length."""
        if length > self.context_length:
            raise ValueError(
                f"a sequence of {length} tokens is longer than context_length="
                f"{self.context_length}: cut the input into windows of at most "
                f"{self.context_length} (stage 4), or build the module with a larger context_length"
            )
        if self.position_embedding is None:
            return self.sinusoids[:length]
        device = self.position_embedding.weight.device
        return self.position_embedding(torch.arange(length, device=device))

    def forward(self, token_ids: Any) -> torch.Tensor:
        """(B, T) or (T,) integer ids -> (B, T, emb_dim) or (T, emb_dim) vectors; a 0-d id
        -> (emb_dim,). Ids may be a tensor of any integer dtype (uint16 from a token
        file), a NumPy array or a list; they move to the device of the parameters.

        Ids are checked against the vocabulary where that costs nothing: on the CPU,
        before they move (``check_ids="cpu"``, the default). A check of ids already on a
        GPU would wait for the GPU twice per call; ``check_ids="always"`` asks for it.
        """
        if type(token_ids) is not torch.Tensor or token_ids.dtype not in _INDEX_DTYPES:
            token_ids = _as_id_tensor(token_ids)  # the usual int64 batch skips this
        if token_ids.ndim == 0:
            return self.forward(token_ids.reshape(1))[0]
        if (
            self.check_ids != "never"
            and (self.check_ids == "always" or token_ids.device.type == "cpu")
            and token_ids.numel()
        ):
            low, high = int(token_ids.min()), int(token_ids.max())
            if low < 0 or high >= self.vocab_size:
                bad = low if low < 0 else high
                raise ValueError(
                    f"token id {bad} is outside the vocabulary (ids 0..{self.vocab_size - 1}): "
                    f"was the text encoded with a tokenizer of {self.vocab_size} tokens?"
                )
        weight = self.token_embedding.weight
        if token_ids.device != weight.device:
            token_ids = token_ids.to(weight.device, non_blocking=True)
        return self.embed(token_ids)

    def embed(self, token_ids: torch.Tensor) -> torch.Tensor:
        """What the module computes, once ``forward`` has checked the ids: each id's token
        vector plus the vector of its position 0 .. T-1, then dropout."""
        vectors = self.token_embedding(token_ids) + self.positions(token_ids.shape[-1])
        # subtle: dropout with p=0 still runs a kernel over the whole batch in training mode
        return self.dropout(vectors) if self.dropout.p else vectors

    def extra_repr(self) -> str:
        return f"positional={self.positional!r}, context_length={self.context_length}"


_INDEX_DTYPES = (torch.int64, torch.int32)  # what nn.Embedding takes


def _as_id_tensor(ids: Any) -> torch.Tensor:
    """Ids as an int64 (or int32) tensor; TypeError for anything that is not integers."""
    import numpy as np

    if isinstance(ids, torch.Tensor):
        tensor = ids
    elif isinstance(ids, (np.ndarray, np.generic, list, tuple, int)) and not isinstance(ids, bool):
        array = np.asarray(ids)
        if array.size and not np.issubdtype(array.dtype, np.integer):
            raise TypeError(f"token ids must be integers, got a {array.dtype} array")
        tensor = torch.from_numpy(array.astype(np.int64))  # a copy: memory maps are read-only
    else:
        raise TypeError(
            f"token ids must be a tensor, a NumPy array or a list of ints, got {type(ids).__name__}"
        )
    if tensor.dtype.is_floating_point or tensor.dtype.is_complex or tensor.dtype == torch.bool:
        raise TypeError(f"token ids must be integers, got {tensor.dtype}: use .long()")
    if tensor.dtype not in _INDEX_DTYPES:
        tensor = tensor.long()
    return tensor
