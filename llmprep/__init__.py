"""llmprep: how raw text becomes the input tensors of a GPT-style model.

The package follows the notebooks, one module per stage:

- :mod:`llmprep.assets`: every external file, sha256-pinned, cached and mirrorable;
- :mod:`llmprep.simple`: stages 1-2, regex tokens, a vocabulary, SimpleTokenizerV1/V2;
- :mod:`llmprep.gpt2`, :mod:`llmprep.bpe`, :mod:`llmprep.bpe_train`,
  :mod:`llmprep.bpe_formats`: stage 3, GPT-2's encoding, a BPE from scratch, its
  training, and tiktoken's and Hugging Face's file formats;
- :mod:`llmprep.cuts`, :mod:`llmprep.tokenfile`, :mod:`llmprep.dataset`: stage 4, where
  text may be cut, token files, windows and batches;
- :mod:`llmprep.word2vec`: stage 5, pretrained word vectors;
- :mod:`llmprep.embeddings`: stages 5-6, token and position embeddings;
- :mod:`llmprep.plots`, :mod:`llmprep.display`, :mod:`llmprep.playground`: the figures,
  displays and widgets the notebooks show;
- :mod:`llmprep.exercises`: every exercise, with checks, hints and solutions;
- :mod:`llmprep.glossary`, :mod:`llmprep.slides`, :mod:`llmprep.site`: the classroom
  editions of the notebooks (glossary, slide decks, the learners' static site).

Heavy libraries (torch, gensim, matplotlib) are imported only by the functions that
need them, so ``import llmprep`` stays fast: the names of the torch-based stages load
their module on first use.
"""

import importlib
from typing import TYPE_CHECKING, Any

from llmprep.assets import ASSETS, Asset, AssetError, fetch
from llmprep.bpe import BPETokenizer
from llmprep.display import show_source, show_tokens
from llmprep.gpt2 import GPT2_SPLIT_PATTERN, gpt2_encoding
from llmprep.plots import plot_token_frequencies
from llmprep.simple import (
    END_OF_TEXT,
    SPECIAL_TOKENS,
    SPLIT_PATTERN,
    UNKNOWN,
    SimpleTokenizerV1,
    SimpleTokenizerV2,
    build_vocab,
    join_tokens,
    load_text,
    split_text,
)

if TYPE_CHECKING:
    from llmprep.dataset import GPTDatasetV1, TokenWindows, create_dataloader, create_dataloader_v1
    from llmprep.embeddings import InputEmbedding, sinusoidal_positions
    from llmprep.word2vec import load_word2vec

_LAZY = {
    "GPTDatasetV1": "llmprep.dataset",
    "TokenWindows": "llmprep.dataset",
    "create_dataloader": "llmprep.dataset",
    "create_dataloader_v1": "llmprep.dataset",
    "InputEmbedding": "llmprep.embeddings",
    "sinusoidal_positions": "llmprep.embeddings",
    "load_word2vec": "llmprep.word2vec",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # later lookups skip this function
        return value
    raise AttributeError(f"module 'llmprep' has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "ASSETS",
    "END_OF_TEXT",
    "GPT2_SPLIT_PATTERN",
    "SPECIAL_TOKENS",
    "SPLIT_PATTERN",
    "UNKNOWN",
    "Asset",
    "AssetError",
    "BPETokenizer",
    "GPTDatasetV1",
    "InputEmbedding",
    "SimpleTokenizerV1",
    "SimpleTokenizerV2",
    "TokenWindows",
    "build_vocab",
    "create_dataloader",
    "create_dataloader_v1",
    "fetch",
    "gpt2_encoding",
    "join_tokens",
    "load_text",
    "load_word2vec",
    "plot_token_frequencies",
    "show_source",
    "show_tokens",
    "sinusoidal_positions",
    "split_text",
]
