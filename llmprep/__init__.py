"""llmprep: how raw text becomes the input tensors of a GPT-style model.

The package follows the notebooks, one module per stage:

- :mod:`llmprep.assets`: every external file, sha256-pinned, cached and mirrorable;
- :mod:`llmprep.simple`: stages 1-2, regex tokens, a vocabulary, SimpleTokenizerV1/V2;
- :mod:`llmprep.gpt2`, :mod:`llmprep.bpe`, :mod:`llmprep.bpe_train`,
  :mod:`llmprep.bpe_pieces`, :mod:`llmprep.bpe_formats`, :mod:`llmprep.bpe_huggingface`:
  stage 3, GPT-2's encoding, a BPE from scratch, its training (pieces counted on all
  cores), and tiktoken's and Hugging Face's file formats;
- :mod:`llmprep.patterns`, :mod:`llmprep.pattern_check`: the split patterns both regex
  engines read alike;
- :mod:`llmprep.corpus`, :mod:`llmprep.cuts`, :mod:`llmprep.segments`,
  :mod:`llmprep.fast_tokenizer`, :mod:`llmprep.tokenfile`, :mod:`llmprep.shards`,
  :mod:`llmprep.cluster`, :mod:`llmprep.dataset`: stage 4, corpora as they come (text,
  jsonl, parquet), where text may be cut, token files, shards on many machines (or a Dask
  cluster), windows and batches;
- :mod:`llmprep.word2vec`: stage 5, pretrained word vectors;
- :mod:`llmprep.embeddings`: stages 5-6, token and position embeddings;
- :mod:`llmprep.cli`: the one ``llmprep`` command.

The course wing, :mod:`llmprep.course`, is built on the library and never imported by
it: exercises, figures, displays, the playground, the glossary, slides and the site. The
names the notebooks use from here (``exercises``, ``show_source``, ``show_tokens``,
``plot_token_frequencies``) load it on first use, as :mod:`llmprep.plots` and
:mod:`llmprep.playground` do; it needs the ``course`` extra
(``pip install 'llmprep[course]'``).

Heavy libraries (torch, gensim, matplotlib) are imported only by the functions that
need them, so ``import llmprep`` stays fast: the names of the torch-based stages load
their module on first use.
"""

import importlib
from typing import TYPE_CHECKING, Any

from llmprep.assets import ASSETS, Asset, AssetError, fetch
from llmprep.bpe import BPETokenizer
from llmprep.gpt2 import GPT2_SPLIT_PATTERN, gpt2_encoding
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
    from llmprep.course import exercises
    from llmprep.course.display import show_source, show_tokens
    from llmprep.course.plots import plot_token_frequencies
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
    # the course wing's names the notebooks use (``from llmprep import exercises``)
    "exercises": "llmprep.course.exercises",
    "show_source": "llmprep.course.display",
    "show_tokens": "llmprep.course.display",
    "plot_token_frequencies": "llmprep.course.plots",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = importlib.import_module(_LAZY[name])
        value = module if module.__name__.endswith(f".{name}") else getattr(module, name)
        globals()[name] = value  # later lookups skip this function
        return value
    raise AttributeError(f"module 'llmprep' has no attribute {name!r}")


__version__ = "0.2.0"

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
    "exercises",
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
