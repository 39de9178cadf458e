"""Exercises of notebook 05 (embeddings): analogies, a ranking by similarity, the size of
an embedding table, and nn.Embedding as a linear layer."""

from __future__ import annotations

import contextlib
import functools
import io
from typing import Any

from llmprep.course.exercises.answers import (
    Wrong,
    as_float,
    as_int,
    as_pair,
    as_str,
    as_tensor,
    close,
    describe,
)
from llmprep.course.exercises.core import Exercise, register

CONTEXT = """
import torch
from llmprep.word2vec import load_word2vec
word_vectors = load_word2vec("subset")
vocab_size, output_dim = 6, 3
torch.manual_seed(432)
embedding_layer = torch.nn.Embedding(vocab_size, output_dim)
"""

RANKED = ("car", "cat", "sky", "puppy", "horse")


@functools.cache
def _vectors() -> Any:
    from llmprep.word2vec import load_word2vec

    with contextlib.redirect_stdout(io.StringIO()):  # the notebook has said it already
        return load_word2vec("subset")


# ---- 05.1 -------------------------------------------------------------------------


@functools.cache
def _relations() -> dict[str, frozenset[tuple[str, str]]]:
    """The relations of gensim's analogy test set (step 4): for each section, the word
    pairs its questions are made of, lower-cased like the subset's words."""
    from gensim.test.utils import datapath

    pairs: dict[str, set[tuple[str, str]]] = {}
    section = ""
    with open(datapath("questions-words.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith(":"):
                section = line[1:].strip()
                continue
            a, b, c, d = line.lower().split()
            pairs.setdefault(section, set()).update({(a, b), (c, d)})
    return {name: frozenset(found) for name, found in pairs.items()}


def _relation_of(a: str, b: str, c: str, d: str) -> str | None:
    """The test set's relation in which a : b = c : d holds: (a, b) and (c, d) are two of
    its pairs, or (a, c) and (b, d) are (either way round)."""
    for name, pairs in _relations().items():
        for (p, q), (r, s) in (((a, b), (c, d)), ((a, c), (b, d))):
            if {(p, q), (r, s)} <= pairs or {(q, p), (s, r)} <= pairs:
                return name
    return None


def _solve(a: str, b: str, c: str) -> str:
    return _vectors().most_similar(positive=[b, c], negative=[a], topn=1)[0][0]


def _judge_analogies(answer: Any, right: None) -> str:
    if isinstance(answer, (str, dict)) or not isinstance(answer, (list, tuple)):
        raise Wrong(f"expected a list of analogies `(a, b, c, d)`, got {describe(answer)}")
    vectors, working = _vectors(), {}
    for analogy in answer:
        if not isinstance(analogy, (list, tuple)) or len(analogy) != 4:
            raise Wrong(f"each analogy is four words `(a, b, c, d)`, got {describe(analogy)}")
        a, b, c, d = (as_str(w, "words").strip() for w in analogy)
        for word in (a, b, c, d):
            if word not in vectors.key_to_index:
                message = f"{word!r} is not in the subset's vocabulary"
                if word[:1].isupper() or word.lower() != word:
                    message += ": the subset has lower-case words only, no proper nouns"
                raise Wrong(message, diagnosis="not-in-the-subset")
        if (a, b) == (c, d) or (a, c) == (b, d):
            raise Wrong(
                f"({a}, {b}, {c}, {d}) compares a pair with itself: an analogy needs two "
                f"different pairs of one relation",
                diagnosis="same-pair",
            )
        relation = _relation_of(a, b, c, d)
        if relation is None:
            if _relation_of(b, a, c, d) is not None and _solve(b, a, c) == d:
                raise Wrong(
                    f"{b} - {a} + {c} does not give {d!r}, but {a} - {b} + {c} does: the "
                    f"signs are the wrong way round. For a : b = c : d, compute b - a + c",
                    diagnosis="signs-reversed",
                )
            raise Wrong(
                f"({a}, {b}, {c}, {d}) is not an analogy of the test set: none of its "
                f"relations has both ({a}, {b}) and ({c}, {d}), nor ({a}, {c}) and "
                f"({b}, {d}). Take two pairs of one relation (one section) of "
                f"`questions-words.txt`",
                diagnosis="not-an-analogy",
            )
        found = _solve(a, b, c)
        if found != d:
            raise Wrong(
                f"{b} - {a} + {c} gives {found!r}, not {d!r}: a real analogy ({relation}), "
                f"but the subset gets it wrong; find another",
                diagnosis="not-solved",
            )
        working.setdefault(relation, (a, b, c, d))
    if len(working) < 3:
        names = ", ".join(working) or "none"
        raise Wrong(
            f"working analogies from {len(working)} relation(s) so far ({names}): find "
            f"three, each from a different relation (section) of the test set",
            diagnosis="too-few-relations",
        )
    return (
        f"all of them work, from {len(working)} relations ({', '.join(working)}). An "
        f"analogy holds where one direction in the space (female, comparative, plural) is "
        f"shared by many word pairs; the subset knows no proper nouns, so the test set's "
        f"capitals, currencies and nationalities are out of its reach."
    )


register(
    Exercise(
        id="05.1",
        title="Analogies that work",
        task=(
            "Find three analogies *a : b = c : d* from three different relations of "
            "gensim's analogy test set (step 4: `datapath('questions-words.txt')`, one "
            "section per relation, such as `family` or `gram8-plural`) that the subset "
            "solves, i.e. `word_vectors.most_similar(positive=[b, c], negative=[a], "
            "topn=1)` gives *d*. An analogy is two word pairs of one relation: (a, b) and "
            "(c, d). Give them as a list of four-word tuples, like "
            "`[('man', 'king', 'woman', 'queen'), ...]`."
        ),
        reference=lambda: None,
        judge=_judge_analogies,
        answer_name="analogies",
        solution_code=(
            "analogies = [\n"
            '    ("man", "king", "woman", "queen"),\n'
            '    ("good", "better", "bad", "worse"),\n'
            '    ("banana", "bananas", "bird", "birds"),\n'
            "]\n"
            "[word_vectors.most_similar(positive=[b, c], negative=[a], topn=1)[0][0]\n"
            " for a, b, c, d in analogies]"
        ),
        explanation=(
            "*b - a* is the direction from *a* to *b* (man to king); added to *c* it "
            "should land near *d*. (man, woman) and (king, queen) are pairs of the "
            "`family` relation, (good, better) and (bad, worse) of `gram3-comparative`, "
            "(banana, bananas) and (bird, birds) of `gram8-plural`. The nearest word wins, "
            "even if it is not the one you meant: *bigger - big + small* gives `larger`."
        ),
        hints=(
            "Open the test set: `open(datapath('questions-words.txt')).read()`. Each "
            "`: section` is one relation, and each line below it is a question "
            "`a b c d`. Which sections can the subset, with lower-case words only, even "
            "ask?",
            "The grammar sections (comparatives, plurals, past tenses) and `family` use "
            "lower-case words. Try a few of their lines with `most_similar`.",
            "Check each candidate with `word_vectors.most_similar(positive=[b, c], "
            "negative=[a], topn=1)`: it must give *d*. Keep one that works from each of "
            "three sections.",
        ),
    )
)


# ---- 05.2 -------------------------------------------------------------------------


def _judge_ranking(answer: Any, right: list[str]) -> str:
    if isinstance(answer, str) or not isinstance(answer, (list, tuple)):
        raise Wrong(f"expected the five words as a list, got {describe(answer)}")
    words = [as_str(w, "words").strip() for w in answer]
    if sorted(words) != sorted(right):
        raise Wrong(
            f"give exactly these five words, reordered: {', '.join(RANKED)}",
            diagnosis="other-words",
        )
    if words == right:
        scores = ", ".join(f"{w} {_vectors().similarity('dog', w):.2f}" for w in right)
        return (
            f"{scores}. Words that appear in similar contexts (a puppy, a cat) get "
            f"similar vectors; a car less so, the sky hardly at all."
        )
    if words == right[::-1]:
        raise Wrong(
            "that is least similar first: put the most similar word first",
            diagnosis="reversed-order",
        )
    k = next(k for k, (a, b) in enumerate(zip(words, right, strict=True)) if a != b)
    raise Wrong(f"place {k + 1} is not {words[k]!r}: compare `word_vectors.similarity('dog', w)`")


register(
    Exercise(
        id="05.2",
        title="Closest to dog",
        task=(
            f"Order the words {', '.join(RANKED)} by their similarity to *dog*, most "
            f"similar first. Guess first, then compute."
        ),
        reference=lambda: sorted(RANKED, key=lambda w: -_vectors().similarity("dog", w)),
        judge=_judge_ranking,
        answer_name="ranking",
        solution_code=(
            'ranking = sorted(["car", "cat", "sky", "puppy", "horse"],\n'
            '                 key=lambda w: word_vectors.similarity("dog", w), reverse=True)\n'
            "ranking"
        ),
        explanation=(
            "`similarity` is the cosine of the angle between two vectors; sorting by it, "
            "highest first, gives the ranking."
        ),
        hints=(
            "Guess first: which of the five would you meet in the same sentences as "
            "*dog*? Then let the vectors decide.",
            "`word_vectors.similarity('dog', w)` is the cosine similarity of *dog* and "
            "`w`; compute it for each of the five words.",
            "`sorted(words, key=lambda w: word_vectors.similarity('dog', w), "
            "reverse=True)` puts the most similar first.",
        ),
    )
)


# ---- 05.3 -------------------------------------------------------------------------


def _embedding_size() -> tuple[int, int]:
    import torch

    layer = torch.nn.Embedding(50257, 256)
    return (
        sum(p.numel() for p in layer.parameters()),
        sum(p.numel() * p.element_size() for p in layer.parameters()),
    )


def _judge_size(answer: Any, right: tuple[int, int]) -> str:
    params, size = as_pair(answer, "(parameters, bytes)")
    n_params = as_int(params, "the number of parameters")
    size = as_float(size, "the size in bytes")
    n_bytes = int(size) if size.is_integer() else None
    want_params, want_bytes = right
    if n_params != want_params:
        if n_params == 50257 + 256:
            raise Wrong(
                "that adds the two numbers; the table has one row of 256 per token",
                diagnosis="added-not-multiplied",
            )
        raise Wrong(f"{n_params:,} parameters is not it: rows times columns")
    if n_bytes == want_bytes:
        word2vec = 3_000_000 * 300 * 4
        return (
            f"{want_params:,} parameters, {want_bytes / 1e6:.1f} MB in float32 (4 bytes "
            f"each). word2vec's 3,000,000 x 300 table takes {word2vec / 1e9:.1f} GB: "
            f"subword tokens keep GPT's table small."
        )
    if n_bytes == want_params * 8:
        raise Wrong(
            "that counts 8 bytes per number (float64); float32 takes 4", diagnosis="float64"
        )
    if close(size, want_bytes / 1e6, rel=0.02) or close(size, want_bytes / 2**20, rel=0.02):
        raise Wrong("that is in megabytes: give the size in bytes", diagnosis="megabytes")
    raise Wrong(f"{size} bytes is not it: parameters x 4 bytes")


register(
    Exercise(
        id="05.3",
        title="How big is an embedding table?",
        task=(
            "How many parameters does `torch.nn.Embedding(50257, 256)` have, and how many "
            "bytes do they take in float32? Give `(parameters, bytes)`, and compare with "
            "word2vec's 3,000,000 x 300."
        ),
        reference=_embedding_size,
        judge=_judge_size,
        answer_name="size",
        solution_code=(
            "table = torch.nn.Embedding(50257, 256)\n"
            "n = table.weight.numel()\n"
            "size = (n, n * table.weight.element_size())\nsize"
        ),
        explanation=(
            "One row of 256 numbers per token: 50,257 x 256 = 12,865,792 parameters, at 4 "
            "bytes each 51.5 MB."
        ),
        hints=(
            "An embedding table has one row per token. How many rows and columns does "
            "this one have, and how many bytes does one float32 number take?",
            "`table.weight.numel()` counts the numbers in the table; "
            "`table.weight.element_size()` is the size of one in bytes.",
            "Rows times columns parameters, each of 4 bytes: `n * 4`.",
        ),
    )
)


# ---- 05.4 -------------------------------------------------------------------------


def _seeded_embedding() -> Any:
    import torch

    with torch.random.fork_rng(devices=[]):  # the learner's generator stays as it was
        torch.manual_seed(432)
        return torch.nn.Embedding(6, 3).weight.detach().clone()


def _judge_linear(answer: Any, right: Any) -> str:
    import torch

    weight = as_tensor(answer, "a weight")
    right = right.double()
    if weight.shape == right.shape and torch.allclose(weight, right, atol=1e-4):
        raise Wrong(
            "that is the embedding matrix itself, shape (6, 3). nn.Linear stores its weight "
            "as (out_features, in_features) = (3, 6) and computes x @ weight.T: transpose it",
            diagnosis="not-transposed",
        )
    if weight.shape != right.T.shape:
        raise Wrong(
            f"shape {tuple(weight.shape)}: Linear(6, 3) has a weight of shape (3, 6)",
            diagnosis="weight-shape",
        )
    if not torch.allclose(weight, right.T, atol=1e-4):
        raise Wrong(
            "right shape, other numbers: start from `embedding_layer.weight`",
            diagnosis="other-numbers",
        )
    return (
        "`Linear(6, 3)` with the transposed embedding matrix gives, for a one-hot input, "
        "exactly the embedding's row: the lookup is that product without the zeros."
    )


register(
    Exercise(
        id="05.4",
        title="An embedding is a linear layer",
        task=(
            "Give the weight that makes `torch.nn.Linear(6, 3, bias=False)` compute "
            "exactly what `embedding_layer` (seed 432, step 6) computes, when the input "
            "is one-hot: `linear(one_hot(ids)) == embedding_layer(ids)`."
        ),
        reference=_seeded_embedding,
        judge=_judge_linear,
        answer_name="weight",
        solution_code="weight = embedding_layer.weight.T.detach()\nweight.shape",
        explanation=(
            "`nn.Linear` computes `x @ W.T` with `W` of shape (out, in) = (3, 6). For a "
            "one-hot `x` the product picks a row of `W.T`, so `W.T` must be the embedding "
            "matrix: `W` is its transpose."
        ),
        hints=(
            "What does `nn.Linear` compute from its input and its weight? Write it out "
            "for a one-hot input with a 1 at position 3.",
            "Compare `embedding_layer.weight.shape` with `torch.nn.Linear(6, 3).weight.shape`.",
            "`nn.Linear` computes `x @ W.T`: for one-hot `x`, `W.T` must be the embedding matrix.",
        ),
    )
)
