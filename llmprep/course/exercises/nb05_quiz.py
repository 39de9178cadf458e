"""Questions of notebook 05 (embeddings): why paris - france + italy fails on the subset,
what cosine similarity measures, and why a GPT does not start from word2vec. Every
number in an explanation is checked against the package in
tests/test_exercise_questions.py."""

from __future__ import annotations

from llmprep.course.exercises.core import register
from llmprep.course.exercises.questions import Choice, question
from llmprep.course.language import Said

register(
    question(
        id="05.5",
        title=Said("Why paris - france + italy fails", "为什么 paris - france + italy 行不通"),
        prompt=Said(
            "Why does *paris - france + italy* fail on the subset of the word vectors?",
            "为什么 *paris - france + italy* 在词向量的子集上行不通？",
        ),
        choices=[
            Choice(
                Said(
                    "Analogies work for grammar, not for facts.",
                    "类比只对语法有效，对事实无效。",
                ),
                Said(
                    "Facts work too where the words are known: *king - man + woman* gives "
                    "`queen` in the subset. Here the arithmetic cannot even start.",
                    "只要词是已知的，事实类的类比也行得通：在子集中，*king - man + woman* "
                    "得到 `queen`。而这里连运算都无从开始。",
                ),
                "only-grammar",
            ),
            Choice(
                Said(
                    "The subset has lower-case words only and no proper nouns: `paris`, "
                    "`france` and `italy` are not in it.",
                    "子集中只有小写的词，没有专有名词：`paris`、`france` 和 `italy` 都不在其中。",
                ),
                Said(
                    "The subset keeps 26,423 frequent lower-case words, so asking for "
                    "`paris` is a KeyError before any arithmetic. `load_word2vec('full')` "
                    "gets the 3 million words and phrases of the full model, proper nouns "
                    "included.",
                    "子集只保留了 26,423 个常用的小写词，所以查询 `paris` 时，还没开始运算就"
                    "引发了 KeyError。`load_word2vec('full')` 能取得完整模型的 300 万个词和"
                    "短语，包括专有名词。",
                ),
            ),
            Choice(
                Said(
                    "Cities and countries are too far apart in the space.",
                    "城市和国家在空间中相距太远。",
                ),
                Said(
                    "Distance is not the problem: the words are not there at all. "
                    "`'paris' in word_vectors.key_to_index` is False, and so is `'france'`.",
                    "问题不在距离：这些词根本就不在子集中。"
                    "`'paris' in word_vectors.key_to_index` 是 False，`'france'` 也一样。",
                ),
                "too-far-apart",
            ),
            Choice(
                Said(
                    "`most_similar` needs the words in another order.",
                    "`most_similar` 需要换一种词序。",
                ),
                Said(
                    "The order of the positive words does not matter: `b + c` is `c + b`. "
                    "The words are missing, and `most_similar` raises a KeyError for `paris`.",
                    "正向词的顺序无关紧要：`b + c` 就是 `c + b`。问题是这些词不存在，"
                    "`most_similar` 遇到 `paris` 就会抛出 KeyError。",
                ),
                "order-of-words",
            ),
        ],
        answer="b",
        hints=(
            Said(
                "Before any arithmetic, `most_similar` looks each word up. Try "
                "`'paris' in word_vectors.key_to_index`.",
                "在做任何运算之前，`most_similar` 先要查到每个词。试试 "
                "`'paris' in word_vectors.key_to_index`。",
            ),
            Said("Step 4 says what the subset lacks.", "第 4 步说明了子集缺少什么。"),
        ),
    )
)

register(
    question(
        id="05.6",
        title=Said("What a similarity measures", "相似度衡量的是什么"),
        prompt=Said(
            "`word_vectors.similarity('dog', 'cat')` is 0.761 and "
            "`word_vectors.similarity('sky', 'vector')` is 0.083. What does this number "
            "measure?",
            "`word_vectors.similarity('dog', 'cat')` 是 0.761，"
            "`word_vectors.similarity('sky', 'vector')` 是 0.083。这个数衡量的是什么？",
        ),
        choices=[
            Choice(
                Said(
                    "The distance between the two words: the smaller, the closer.",
                    "两个词之间的距离：越小越接近。",
                ),
                Said(
                    "It is a similarity, not a distance: higher means more alike. *dog* and "
                    "*cat* (0.761) are far more alike than *sky* and *vector* (0.083).",
                    "它是相似度，不是距离：越高越相似。*dog* 和 *cat*（0.761）远比 *sky* 和 "
                    "*vector*（0.083）相似。",
                ),
                "similarity-is-distance",
            ),
            Choice(
                Said(
                    "How often the two words appear together in a sentence.",
                    "两个词在同一个句子中一起出现的频率。",
                ),
                Said(
                    "word2vec learned its vectors from contexts, but `similarity` is "
                    "computed from the two vectors alone, not by counting sentences.",
                    "word2vec 的向量确实是从上下文中学到的，但 `similarity` 只用这两个向量"
                    "计算，而不是去数句子。",
                ),
                "cooccurrence-count",
            ),
            Choice(
                Said(
                    "The cosine of the angle between the two vectors: 1 for the same "
                    "direction, 0 for unrelated ones, negative for opposite ones.",
                    "两个向量夹角的余弦：方向相同为 1，无关为 0，方向相反为负数。",
                ),
                Said(
                    "It is the dot product of the vectors divided by their lengths, "
                    "`v @ w / (|v| |w|)`: 0.761 for *dog* and *cat*. Words used in similar "
                    "contexts point in similar directions.",
                    "它是两个向量的点积除以它们的长度，即 `v @ w / (|v| |w|)`：*dog* 和 *cat* "
                    "是 0.761。用在相似上下文中的词，向量指向相似的方向。",
                ),
            ),
            Choice(
                Said(
                    "The share of the 300 numbers that the two vectors have in common.",
                    "两个向量的 300 个数中相同的那部分所占的比例。",
                ),
                Said(
                    "No single number of a vector means anything on its own (step 2), and "
                    "two vectors share no numbers exactly. The similarity compares the "
                    "directions of the whole vectors.",
                    "向量中的任何一个数单独来看都没有含义（第 2 步），而且两个向量不会有恰好"
                    "相同的数。相似度比较的是整个向量的方向。",
                ),
                "shared-dimensions",
            ),
        ],
        answer="c",
        hints=(
            Said(
                "Step 3 defines it: it compares the directions of two vectors, not where they end.",
                "第 3 步给出了它的定义：它比较的是两个向量的方向，而不是它们的终点在哪里。",
            ),
            Said(
                "Compute `v @ w / (norm(v) * norm(w))` for the vectors of *dog* and *cat*.",
                "对 *dog* 和 *cat* 的向量计算 `v @ w / (norm(v) * norm(w))`。",
            ),
        ),
    )
)

register(
    question(
        id="05.7",
        title=Said("Why not word2vec's vectors?", "为什么不用 word2vec 的向量？"),
        prompt=Said(
            "Why does a GPT learn its own token embeddings instead of starting from "
            "word2vec's vectors?",
            "为什么 GPT 要学习自己的词元嵌入，而不是从 word2vec 的向量开始？",
        ),
        choices=[
            Choice(
                Said(
                    "Its tokens are not words: GPT-2's ids include pieces such as `' terr'` "
                    "and `'aces'` and single bytes, which word2vec has no vectors for; and "
                    "vectors learned with the model fit its own task.",
                    "它的词元不是词：GPT-2 的 ID 中有 `' terr'`、`'aces'` 这样的片段和单个"
                    "字节，word2vec 没有它们的向量；而且与模型一起学出来的向量适合模型自己的"
                    "任务。",
                ),
                Said(
                    "GPT-2 encodes `' terraces'` as `' terr'` + `'aces'`; word2vec knows "
                    "words and phrases, not such pieces. Learned together with the model, "
                    "the vectors fit its task (the next token) and its size (768 numbers per "
                    "token in GPT-2 small).",
                    "GPT-2 把 `' terraces'` 编码为 `' terr'` + `'aces'`；word2vec 认识的是词和"
                    "短语，不是这样的片段。与模型一起学出来的向量，既适合它的任务（预测下一个"
                    "词元），也符合它的维度（GPT-2 small 每个词元 768 个数）。",
                ),
            ),
            Choice(
                Said(
                    "word2vec's vectors are less useful than random numbers.",
                    "word2vec 的向量还不如随机数有用。",
                ),
                Said(
                    "word2vec's vectors hold a lot of meaning (step 4's analogies). A GPT "
                    "starts from random numbers because its tokens and its task are others, "
                    "not because word2vec is worse than noise.",
                    "word2vec 的向量包含大量含义（见第 4 步的类比）。GPT 从随机数开始，是因为"
                    "它的词元和任务都不一样，而不是因为 word2vec 比噪声还差。",
                ),
                "word2vec-useless",
            ),
            Choice(
                Said(
                    "`nn.Embedding` cannot hold vectors trained elsewhere.",
                    "`nn.Embedding` 装不下在别处训练好的向量。",
                ),
                Said(
                    "It can: `torch.nn.Embedding.from_pretrained(vectors)` starts a layer "
                    "from given vectors. A GPT does not, because word2vec has no vectors for "
                    "its tokens.",
                    "它装得下：`torch.nn.Embedding.from_pretrained(vectors)` 用给定的向量初始化"
                    "一个嵌入层。GPT 不这样做，是因为 word2vec 没有它那些词元的向量。",
                ),
                "cannot-load",
            ),
            Choice(
                Said(
                    "A GPT's embeddings are fixed and never trained, so how they start does "
                    "not matter.",
                    "GPT 的嵌入是固定的，从不训练，所以它们的初始值无关紧要。",
                ),
                Said(
                    "They are trained: step 7 shows the rows of the tokens in a batch getting "
                    "a gradient. They start from random numbers and are learned with the "
                    "rest of the model.",
                    "它们是要训练的：第 7 步展示了批次中出现的词元所对应的行得到了梯度。它们从"
                    "随机数开始，与模型的其余部分一起学习。",
                ),
                "embeddings-fixed",
            ),
        ],
        answer="a",
        hints=(
            Said(
                "What are GPT-2's tokens (notebook 03)? Does word2vec have a vector for each "
                "of them?",
                "GPT-2 的词元是什么（笔记本 03）？word2vec 对每个词元都有向量吗？",
            ),
            Said(
                "The box at the start of step 6 answers this question.",
                "第 6 步开头的提示框回答了这个问题。",
            ),
        ),
    )
)
