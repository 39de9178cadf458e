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
from llmprep.course.language import Said, say

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
    if isinstance(answer, (set, frozenset)):
        answer = sorted(answer, key=repr)  # the order of analogies does not matter
    if isinstance(answer, (str, dict)) or not isinstance(answer, (list, tuple)):
        raise Wrong(
            say(
                f"expected a list of analogies `(a, b, c, d)`, got {describe(answer)}",
                f"这里需要一个由类比 `(a, b, c, d)` 组成的列表，你给的是 {describe(answer)}",
            )
        )
    vectors, working = _vectors(), {}
    for analogy in answer:
        if not isinstance(analogy, (list, tuple)) or len(analogy) != 4:
            raise Wrong(
                say(
                    f"each analogy is four words `(a, b, c, d)`, got {describe(analogy)}",
                    f"每个类比都是四个词 `(a, b, c, d)`，你给的是 {describe(analogy)}",
                )
            )
        words = [as_str(w, Said("words", "词（字符串）")).strip() for w in analogy]
        # evaluate_word_analogies lists its analogies in upper case: the same words
        words = [
            w.lower() if w not in vectors.key_to_index and w.lower() in vectors.key_to_index else w
            for w in words
        ]
        a, b, c, d = words
        for word in (a, b, c, d):
            if word not in vectors.key_to_index:
                proper = word[:1].isupper() or word.lower() != word
                message = say(
                    f"{word!r} is not in the subset's vocabulary"
                    + (": the subset has lower-case words only, no proper nouns" if proper else ""),
                    f"{word!r} 不在子集的词表中"
                    + ("：子集中只有小写的词，没有专有名词" if proper else "")
                    + "。",
                )
                raise Wrong(message, diagnosis="not-in-the-subset")
        if (a, b) == (c, d) or (a, c) == (b, d):
            raise Wrong(
                say(
                    f"({a}, {b}, {c}, {d}) compares a pair with itself: an analogy needs two "
                    f"different pairs of one relation",
                    f"({a}, {b}, {c}, {d}) 是拿一对词和它自己比较：一个类比需要同一种关系中"
                    f"两对不同的词。",
                ),
                diagnosis="same-pair",
            )
        relation = _relation_of(a, b, c, d)
        if relation is None:
            if _relation_of(b, a, c, d) is not None and _solve(b, a, c) == d:
                raise Wrong(
                    say(
                        f"{b} - {a} + {c} does not give {d!r}, but {a} - {b} + {c} does: the "
                        f"signs are the wrong way round. For a : b = c : d, compute b - a + c",
                        f"{b} - {a} + {c} 得不到 {d!r}，而 {a} - {b} + {c} 可以：正负号反了。"
                        f"对于 a : b = c : d，应当计算 b - a + c。",
                    ),
                    diagnosis="signs-reversed",
                )
            raise Wrong(
                say(
                    f"({a}, {b}, {c}, {d}) is not an analogy of the test set: none of its "
                    f"relations has both ({a}, {b}) and ({c}, {d}), nor ({a}, {c}) and "
                    f"({b}, {d}). Take two pairs of one relation (one section) of "
                    f"`questions-words.txt`",
                    f"({a}, {b}, {c}, {d}) 不是测试集中的类比：测试集的任何一种关系都不同时包含 "
                    f"({a}, {b}) 和 ({c}, {d})，也不同时包含 ({a}, {c}) 和 ({b}, {d})。"
                    f"请从 `questions-words.txt` 的同一种关系（同一节）中取两对词。",
                ),
                diagnosis="not-an-analogy",
            )
        found = _solve(a, b, c)
        if found != d:
            raise Wrong(
                say(
                    f"{b} - {a} + {c} gives {found!r}, not {d!r}: a real analogy "
                    f"({relation}), but the subset gets it wrong; find another",
                    f"{b} - {a} + {c} 得到的是 {found!r}，而不是 {d!r}：这确实是一个类比"
                    f"（{relation}），但子集答错了；换一个吧。",
                ),
                diagnosis="not-solved",
            )
        working.setdefault(relation, (a, b, c, d))
    if len(working) < 3:
        names = ", ".join(working) or say("none", "无")
        raise Wrong(
            say(
                f"working analogies from {len(working)} relation(s) so far ({names}): find "
                f"three, each from a different relation (section) of the test set",
                f"目前答对的类比来自 {len(working)} 种关系（{names.replace(', ', '、')}）："
                f"请找出三个，分别来自测试集中三种不同的关系（不同的节）。",
            ),
            diagnosis="too-few-relations",
        )
    return say(
        f"all of them work, from {len(working)} relations ({', '.join(working)}). An "
        f"analogy holds where one direction in the space (female, comparative, plural) is "
        f"shared by many word pairs; the subset knows no proper nouns, so the test set's "
        f"capitals, currencies and nationalities are out of its reach.",
        f"全部答对，来自 {len(working)} 种关系（{'、'.join(working)}）。当空间中的某个方向"
        f"（女性、比较级、复数）为许多词对所共有时，类比就成立；子集不认识专有名词，所以测试集"
        f"中的首都、货币和国籍这几类题它都无能为力。",
    )


register(
    Exercise(
        id="05.1",
        title=Said("Analogies that work", "能解出的类比"),
        task=Said(
            "Find three analogies *a : b = c : d* from three different relations of "
            "gensim's analogy test set (step 4: `datapath('questions-words.txt')`, one "
            "section per relation, such as `family` or `gram8-plural`) that the subset "
            "solves, i.e. `word_vectors.most_similar(positive=[b, c], negative=[a], "
            "topn=1)` gives *d*. An analogy is two word pairs of one relation: (a, b) and "
            "(c, d), or (a, c) and (b, d) as in (man, woman) and (king, queen). Give them "
            "as a list of tuples of four strings, like "
            "`[('man', 'king', 'woman', 'queen'), ...]`: the words as the subset has them, in "
            "lower case (the upper-case tuples of `evaluate_word_analogies`' `correct` lists "
            "are taken as they are too).",
            "从 gensim 类比测试集的三种不同关系中，找出子集能解出的三个类比 *a : b = c : d*"
            "（见第 4 步：`datapath('questions-words.txt')`，每种关系一节，例如 `family` 或 "
            "`gram8-plural`）。能解出，就是说 `word_vectors.most_similar(positive=[b, c], "
            "negative=[a], topn=1)` 给出的是 *d*。一个类比由同一种关系中的两对词组成："
            "(a, b) 和 (c, d)，或者像 (man, woman) 和 (king, queen) 那样是 (a, c) 和 (b, d)。"
            "请以由四个字符串组成的元组的列表给出，例如 "
            "`[('man', 'king', 'woman', 'queen'), ...]`：词要写成子集里的样子，也就是小写"
            "（`evaluate_word_analogies` 的 `correct` 列表里那些大写的元组也可以直接用）。",
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
        explanation=Said(
            "*b - a* is the direction from *a* to *b* (man to king); added to *c* it "
            "should land near *d*. (man, woman) and (king, queen) are pairs of the "
            "`family` relation, (good, better) and (bad, worse) of `gram3-comparative`, "
            "(banana, bananas) and (bird, birds) of `gram8-plural`. The nearest word wins, "
            "even if it is not the one you meant: *bigger - big + small* gives `larger`.",
            "*b - a* 是从 *a* 指向 *b* 的方向（从 man 到 king）；把它加到 *c* 上，结果应当落在 "
            "*d* 附近。(man, woman) 和 (king, queen) 是 `family` 关系中的两对词，(good, better) "
            "和 (bad, worse) 属于 `gram3-comparative`，(banana, bananas) 和 (bird, birds) 属于 "
            "`gram8-plural`。离得最近的词胜出，即使它不是你想要的那个：*bigger - big + small* "
            "得到的是 `larger`。",
        ),
        hints=(
            Said(
                "Open the test set: `open(datapath('questions-words.txt')).read()`. Each "
                "`: section` is one relation, and each line below it is a question "
                "`a b c d`. Which sections can the subset, with lower-case words only, even "
                "ask?",
                "打开测试集：`open(datapath('questions-words.txt')).read()`。每个 "
                "`: section` 是一种关系，它下面的每一行是一道题 `a b c d`。子集里只有小写的词，"
                "它能作答的是哪几节的题？",
            ),
            Said(
                "The grammar sections (comparatives, plurals, past tenses) and `family` use "
                "lower-case words. Try a few of their lines with `most_similar`.",
                "语法类的几节（比较级、复数、过去时）和 `family` 用的都是小写的词。用 "
                "`most_similar` 试试其中的几行。",
            ),
            Said(
                "Check each candidate with `word_vectors.most_similar(positive=[b, c], "
                "negative=[a], topn=1)`: it must give *d*. Keep one that works from each of "
                "three sections.",
                "用 `word_vectors.most_similar(positive=[b, c], negative=[a], topn=1)` "
                "检查每个候选：它必须给出 *d*。从三个不同的节中各留下一个能解出的类比。",
            ),
        ),
    )
)


# ---- 05.2 -------------------------------------------------------------------------


def _judge_ranking(answer: Any, right: list[str]) -> str:
    if isinstance(answer, str) or not isinstance(answer, (list, tuple)):
        raise Wrong(
            say(
                f"expected the five words as a list, got {describe(answer)}",
                f"这里需要由这五个词组成的列表，你给的是 {describe(answer)}",
            )
        )
    words = [as_str(w, Said("words", "词（字符串）")).strip() for w in answer]
    if sorted(words) != sorted(right):
        raise Wrong(
            say(
                f"give exactly these five words, reordered: {', '.join(RANKED)}",
                f"请恰好给出这五个词，只改变它们的顺序：{'、'.join(RANKED)}。",
            ),
            diagnosis="other-words",
        )
    if words == right:
        scores = ", ".join(f"{w} {_vectors().similarity('dog', w):.2f}" for w in right)
        return say(
            f"{scores}. Words that appear in similar contexts (a puppy, a cat) get "
            f"similar vectors; a car less so, the sky hardly at all.",
            f"{scores.replace(', ', '、')}。出现在相似上下文中的词（puppy、cat）得到相似的向量；"
            f"car 差一些，sky 则几乎谈不上相似。",
        )
    if words == right[::-1]:
        raise Wrong(
            say(
                "that is least similar first: put the most similar word first",
                "这是把最不相似的放在了最前面：请把最相似的词放在最前面。",
            ),
            diagnosis="reversed-order",
        )
    k = next(k for k, (a, b) in enumerate(zip(words, right, strict=True)) if a != b)
    raise Wrong(
        say(
            f"place {k + 1} is not {words[k]!r}: compare `word_vectors.similarity('dog', w)`",
            f"第 {k + 1} 位不是 {words[k]!r}：比较一下 `word_vectors.similarity('dog', w)`",
        )
    )


register(
    Exercise(
        id="05.2",
        title=Said("Closest to dog", "离 dog 最近的词"),
        task=Said(
            f"Order the words {', '.join(RANKED)} by their similarity to *dog*, most "
            f"similar first. Guess first, then compute.",
            f"把 {'、'.join(RANKED)} 这几个词按它们与 *dog* 的相似度排序，最相似的排在最前面。"
            f"先猜，再计算。",
        ),
        reference=lambda: sorted(RANKED, key=lambda w: -_vectors().similarity("dog", w)),
        judge=_judge_ranking,
        answer_name="ranking",
        solution_code=(
            'ranking = sorted(["car", "cat", "sky", "puppy", "horse"],\n'
            '                 key=lambda w: word_vectors.similarity("dog", w), reverse=True)\n'
            "ranking"
        ),
        explanation=Said(
            "`similarity` is the cosine of the angle between two vectors; sorting by it, "
            "highest first, gives the ranking.",
            "`similarity` 是两个向量夹角的余弦；按它从高到低排序，就得到了这个排名。",
        ),
        hints=(
            Said(
                "Guess first: which of the five would you meet in the same sentences as "
                "*dog*? Then let the vectors decide.",
                "先猜一猜：这五个词中，哪些会和 *dog* 出现在同样的句子里？然后让向量来决定。",
            ),
            Said(
                "`word_vectors.similarity('dog', w)` is the cosine similarity of *dog* and "
                "`w`; compute it for each of the five words.",
                "`word_vectors.similarity('dog', w)` 是 *dog* 与 `w` 的余弦相似度；"
                "对五个词分别算一算。",
            ),
            Said(
                "`sorted(words, key=lambda w: word_vectors.similarity('dog', w), "
                "reverse=True)` puts the most similar first.",
                "`sorted(words, key=lambda w: word_vectors.similarity('dog', w), "
                "reverse=True)` 会把最相似的排在最前面。",
            ),
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
    params, size = as_pair(answer, Said("(parameters, bytes)", "(参数个数, 字节数)"))
    n_params = as_int(params, Said("the number of parameters", "参数的个数"))
    size = as_float(size, Said("the size in bytes", "以字节计的大小"))
    n_bytes = int(size) if size.is_integer() else None
    want_params, want_bytes = right
    if n_params != want_params:
        if n_params == 50257 + 256:
            raise Wrong(
                say(
                    "that adds the two numbers; the table has one row of 256 per token",
                    "这是把两个数相加了；这张表每个词元一行，每行 256 个数。",
                ),
                diagnosis="added-not-multiplied",
            )
        raise Wrong(
            say(
                f"{n_params:,} parameters is not it: rows times columns",
                f"{n_params:,} 个参数不对：应当是行数乘以列数。",
            )
        )
    if n_bytes == want_bytes:
        word2vec = 3_000_000 * 300 * 4
        return say(
            f"{want_params:,} parameters, {want_bytes / 1e6:.1f} MB in float32 (4 bytes "
            f"each). word2vec's 3,000,000 x 300 table takes {word2vec / 1e9:.1f} GB: "
            f"subword tokens keep GPT's table small.",
            f"{want_params:,} 个参数，用 float32 存储（每个 4 字节）共 {want_bytes / 1e6:.1f} MB。"
            f"word2vec 的 3,000,000 x 300 的表要占 {word2vec / 1e9:.1f} GB：子词词元让 GPT 的表"
            f"保持小巧。",
        )
    if n_bytes == want_params * 8:
        raise Wrong(
            say(
                "that counts 8 bytes per number (float64); float32 takes 4",
                "这是按每个数 8 字节（float64）算的；float32 每个数占 4 字节。",
            ),
            diagnosis="float64",
        )
    if close(size, want_bytes / 1e6, rel=0.02) or close(size, want_bytes / 2**20, rel=0.02):
        raise Wrong(
            say(
                "that is in megabytes: give the size in bytes",
                "这是以兆字节（MB）为单位的：请以字节为单位给出大小。",
            ),
            diagnosis="megabytes",
        )
    raise Wrong(
        say(
            f"{size} bytes is not it: parameters x 4 bytes",
            f"{size} 字节不对：应当是参数个数 x 4 字节。",
        )
    )


register(
    Exercise(
        id="05.3",
        title=Said("How big is an embedding table?", "一张嵌入表有多大？"),
        task=Said(
            "How many parameters does `torch.nn.Embedding(50257, 256)` have, and how many "
            "bytes do they take in float32? Give `(parameters, bytes)`, and compare with "
            "word2vec's 3,000,000 x 300.",
            "`torch.nn.Embedding(50257, 256)` 有多少个参数？用 float32 存储时它们占多少字节？"
            "以 `(parameters, bytes)` 的形式给出，并与 word2vec 的 3,000,000 x 300 比较一下。",
        ),
        reference=_embedding_size,
        judge=_judge_size,
        answer_name="size",
        solution_code=(
            "table = torch.nn.Embedding(50257, 256)\n"
            "n = table.weight.numel()\n"
            "size = (n, n * table.weight.element_size())\nsize"
        ),
        explanation=Said(
            "One row of 256 numbers per token: 50,257 x 256 = 12,865,792 parameters, at 4 "
            "bytes each 51.5 MB.",
            "每个词元一行，每行 256 个数：50,257 x 256 = 12,865,792 个参数，每个 4 字节，"
            "共 51.5 MB。",
        ),
        hints=(
            Said(
                "An embedding table has one row per token. How many rows and columns does "
                "this one have, and how many bytes does one float32 number take?",
                "嵌入表每个词元一行。这张表有多少行、多少列？一个 float32 数占多少字节？",
            ),
            Said(
                "`table.weight.numel()` counts the numbers in the table; "
                "`table.weight.element_size()` is the size of one in bytes.",
                "`table.weight.numel()` 数出表中有多少个数；`table.weight.element_size()` "
                "是其中一个数的字节数。",
            ),
            Said(
                "Rows times columns parameters, each of 4 bytes: `n * 4`.",
                "参数个数是行数乘以列数，每个参数 4 字节：`n * 4`。",
            ),
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

    weight = as_tensor(answer, Said("a weight", "一个权重"))
    right = right.double()
    if weight.shape == right.shape and torch.allclose(weight, right, atol=1e-4):
        raise Wrong(
            say(
                "that is the embedding matrix itself, shape (6, 3). nn.Linear stores its "
                "weight as (out_features, in_features) = (3, 6) and computes x @ weight.T: "
                "transpose it",
                "这是嵌入矩阵本身，形状为 (6, 3)。nn.Linear 把权重存成 (out_features, "
                "in_features) = (3, 6)，计算的是 x @ weight.T：请把它转置。",
            ),
            diagnosis="not-transposed",
        )
    if weight.shape != right.T.shape:
        raise Wrong(
            say(
                f"shape {tuple(weight.shape)}: Linear(6, 3) has a weight of shape (3, 6)",
                f"形状是 {tuple(weight.shape)}：Linear(6, 3) 的权重形状是 (3, 6)",
            ),
            diagnosis="weight-shape",
        )
    if not torch.allclose(weight, right.T, atol=1e-4):
        raise Wrong(
            say(
                "right shape, other numbers: start from `embedding_layer.weight`",
                "形状对了，数值不对：请从 `embedding_layer.weight` 出发。",
            ),
            diagnosis="other-numbers",
        )
    return say(
        "`Linear(6, 3)` with the transposed embedding matrix gives, for a one-hot input, "
        "exactly the embedding's row: the lookup is that product without the zeros.",
        "以转置后的嵌入矩阵为权重，`Linear(6, 3)` 对独热输入给出的正是嵌入矩阵的那一行："
        "查表相当于做这个乘法，只是省去了所有乘以 0 的运算。",
    )


register(
    Exercise(
        id="05.4",
        title=Said("An embedding is a linear layer", "嵌入层就是一个线性层"),
        task=Said(
            "Give the weight that makes `torch.nn.Linear(6, 3, bias=False)` compute "
            "exactly what `embedding_layer` (seed 432, step 6) computes, when the input "
            "is one-hot: `linear(one_hot(ids)) == embedding_layer(ids)`.",
            "给出一个权重，使 `torch.nn.Linear(6, 3, bias=False)` 在输入为独热向量时，"
            "计算结果与 `embedding_layer`（随机种子 432，第 6 步）完全相同："
            "`linear(one_hot(ids)) == embedding_layer(ids)`。",
        ),
        reference=_seeded_embedding,
        judge=_judge_linear,
        answer_name="weight",
        solution_code="weight = embedding_layer.weight.T.detach()\nweight.shape",
        explanation=Said(
            "`nn.Linear` computes `x @ W.T` with `W` of shape (out, in) = (3, 6). For a "
            "one-hot `x` the product picks a row of `W.T`, so `W.T` must be the embedding "
            "matrix: `W` is its transpose.",
            "`nn.Linear` 计算 `x @ W.T`，其中 `W` 的形状是 (out, in) = (3, 6)。对独热的 `x`，"
            "这个乘积取出的是 `W.T` 的一行，所以 `W.T` 必须是嵌入矩阵：`W` 就是嵌入矩阵的转置。",
        ),
        hints=(
            Said(
                "What does `nn.Linear` compute from its input and its weight? Write it out "
                "for a one-hot input with a 1 at position 3.",
                "`nn.Linear` 用它的输入和权重计算什么？对一个在位置 3 上为 1 的独热输入，"
                "把计算过程写出来。",
            ),
            Said(
                "Compare `embedding_layer.weight.shape` with `torch.nn.Linear(6, 3).weight.shape`.",
                "比较 `embedding_layer.weight.shape` 和 `torch.nn.Linear(6, 3).weight.shape`。",
            ),
            Said(
                "`nn.Linear` computes `x @ W.T`: for one-hot `x`, `W.T` must be the embedding "
                "matrix.",
                "`nn.Linear` 计算的是 `x @ W.T`：对独热的 `x`，`W.T` 必须是嵌入矩阵。",
            ),
        ),
    )
)
