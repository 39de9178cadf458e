"""llmprep: how raw text becomes the input tensors of a GPT-style model.

The package follows the notebooks, one module per stage:

- :mod:`llmprep.assets`: every external file, sha256-pinned, cached and mirrorable;
- :mod:`llmprep.simple`: stages 1-2, regex tokens, a vocabulary, SimpleTokenizerV1/V2;
- :mod:`llmprep.gpt2`, :mod:`llmprep.bpe`: stage 3, GPT-2's encoding and a BPE from scratch;
- :mod:`llmprep.plots`: the figures and displays the notebooks show.

Heavy libraries (torch, gensim, matplotlib) are imported only by the functions that
need them, so ``import llmprep`` stays fast.
"""

from llmprep.assets import ASSETS, Asset, AssetError, fetch
from llmprep.bpe import BPETokenizer
from llmprep.gpt2 import GPT2_SPLIT_PATTERN, gpt2_encoding
from llmprep.plots import plot_token_frequencies, show_source, show_tokens
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
    "SimpleTokenizerV1",
    "SimpleTokenizerV2",
    "build_vocab",
    "fetch",
    "gpt2_encoding",
    "join_tokens",
    "load_text",
    "plot_token_frequencies",
    "show_source",
    "show_tokens",
    "split_text",
]
