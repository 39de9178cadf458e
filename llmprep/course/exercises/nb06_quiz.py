"""Questions of notebook 06 (positions): the shape of a broadcast sum, why positions are
added, and why nearby sinusoidal positions look alike. Every number in an explanation
is checked against the package in tests/test_exercise_questions.py."""

from __future__ import annotations

from llmprep.course.exercises.core import register
from llmprep.course.exercises.questions import Choice, question
from llmprep.course.language import Said

register(
    question(
        id="06.6",
        title=Said("(8, 4, 256) + (4, 256)", "(8, 4, 256) + (4, 256) 得到什么"),
        prompt=Said(
            "Token embeddings have the shape (8, 4, 256), position embeddings (4, 256). "
            "Which shape does `token_embeddings + pos_embeddings` have?",
            "词元嵌入的形状是 (8, 4, 256)，位置嵌入是 (4, 256)。"
            "`token_embeddings + pos_embeddings` 的形状是什么？",
        ),
        choices=[
            Choice(
                Said(
                    "None: the shapes differ, so adding them is an error.",
                    "得不到结果：两个形状不同，相加会报错。",
                ),
                Said(
                    "PyTorch broadcasts: it lines the shapes up from the right, (4, 256) "
                    "matches the last two dimensions of (8, 4, 256), and the position table "
                    "is repeated for each of the 8 windows.",
                    "PyTorch 会做广播：它从右边开始对齐两个形状，(4, 256) 与 (8, 4, 256) 的"
                    "最后两个维度相符，于是位置表对 8 个窗口各重复一次。",
                ),
                "shapes-must-match",
            ),
            Choice(
                Said(
                    "(8, 4, 512): the position vectors are appended to the token vectors.",
                    "(8, 4, 512)：位置向量拼接在词元向量后面。",
                ),
                Said(
                    "Adding is element by element: each of the 256 numbers of a position "
                    "vector is added to the number in the same place of the token vector. "
                    "Nothing gets longer; `torch.cat` would append.",
                    "相加是逐元素进行的：位置向量的 256 个数各自加到词元向量中同一位置的数上。"
                    "没有什么变长；拼接要用 `torch.cat`。",
                ),
                "added-is-concatenated",
            ),
            Choice(
                Said(
                    "(4, 256): the windows of the batch are summed up.",
                    "(4, 256)：批次中的各个窗口被加在一起。",
                ),
                Said(
                    "The sum keeps every window of the batch: the (4, 256) table is added to "
                    "each of the 8 windows, so the result still holds 8 of them.",
                    "相加保留了批次中的每个窗口：(4, 256) 的表分别加到 8 个窗口上，所以结果"
                    "仍然有 8 个窗口。",
                ),
                "batch-summed",
            ),
            Choice(
                Said(
                    "(8, 4, 256): the same position vectors are added to each of the 8 windows.",
                    "(8, 4, 256)：同样的位置向量分别加到 8 个窗口上。",
                ),
                Said(
                    "Broadcasting lines the shapes up from the right and repeats the "
                    "(4, 256) table for each window: every window gets the same position "
                    "vectors (step 4's picture).",
                    "广播从右边开始对齐两个形状，再把 (4, 256) 的表对每个窗口重复一次："
                    "每个窗口得到的位置向量都相同（见第 4 步的图）。",
                ),
            ),
        ],
        answer="d",
        hints=(
            Said(
                "Line the two shapes up from the right: which dimensions match, and which "
                "one is missing?",
                "从右边开始对齐两个形状：哪些维度相符？缺了哪一个？",
            ),
            Said(
                "Step 4's picture shows what PyTorch does with the missing dimension.",
                "第 4 步的图展示了 PyTorch 怎样处理缺少的那个维度。",
            ),
        ),
    )
)

register(
    question(
        id="06.7",
        title=Said("Why add positions at all?", "为什么要加上位置？"),
        prompt=Said(
            "Why does a GPT add a position vector to each token vector?",
            "为什么 GPT 要给每个词元向量加上一个位置向量？",
        ),
        choices=[
            Choice(
                Said(
                    "The token ids already say where each token is; the position vectors "
                    "only speed up training.",
                    "词元 ID 已经说明了每个词元在哪里；位置向量只是为了加快训练。",
                ),
                Said(
                    "An id says which token, never where: `' a'` is id 257 at position 2 and "
                    "at position 3 of step 2's batch, and gets the same token vector both "
                    "times.",
                    "ID 只说明是哪个词元，从不说明它在哪里：在第 2 步的批次中，`' a'` 在位置 2 "
                    "和位置 3 上都是 ID 257，两次得到的词元向量也相同。",
                ),
                "ids-hold-positions",
            ),
            Choice(
                Said(
                    "Self-attention on its own treats the input as a set: without positions, "
                    "*dog bites man* and *man bites dog* give *dog* the same vector and the "
                    "same tokens to look at.",
                    "自注意力本身把输入当作一个集合：没有位置的话，在 *dog bites man* 和 "
                    "*man bites dog* 中，*dog* 得到的向量相同，能看到的词元也相同。",
                ),
                Said(
                    "Attention compares every token with every other and sums over them, "
                    "which ignores order. Adding a position vector makes `' a'` at position "
                    "2 differ from `' a'` at position 3 (step 4), so the order is written "
                    "into the input.",
                    "注意力把每个词元与其他所有词元作比较，再对它们求和，这个过程不管顺序。"
                    "加上位置向量后，位置 2 上的 `' a'` 就与位置 3 上的 `' a'` 不同了（第 4 步），"
                    "顺序也就写进了输入。",
                ),
            ),
            Choice(
                Said(
                    "The causal mask already gives the order; positions are only needed for "
                    "long texts.",
                    "因果掩码已经给出了顺序；只有长文本才需要位置。",
                ),
                Said(
                    "The mask changes what each token sees, but not enough: the last token "
                    "of *dog bites man* and of *bites dog man* sees the same set of tokens, "
                    "in no order. Positions are needed for every text.",
                    "掩码改变了每个词元能看到的内容，但还不够：*dog bites man* 和 "
                    "*bites dog man* 的最后一个词元看到的是同一个词元集合，没有顺序。"
                    "每段文本都需要位置。",
                ),
                "mask-gives-order",
            ),
            Choice(
                Said(
                    "To make each vector longer, so that it holds more information.",
                    "为了让每个向量变长，好容纳更多信息。",
                ),
                Said(
                    "Adding keeps the shape: (8, 4, 256) plus (4, 256) is (8, 4, 256). "
                    "Nothing gets longer; each number gets a part that depends on the "
                    "position.",
                    "相加不改变形状：(8, 4, 256) 加 (4, 256) 还是 (8, 4, 256)。没有什么变长；"
                    "每个数都多了一部分取决于位置的值。",
                ),
                "positions-lengthen",
            ),
        ],
        answer="b",
        hints=(
            Said(
                "The notebook's first paragraph: what does self-attention see of the order "
                "of its input?",
                "看笔记本的第一段：自注意力能看到输入的顺序吗？",
            ),
            Said(
                "Compare the vectors of `' a'` at positions 2 and 3 before and after step 4.",
                "比较第 4 步前后，位置 2 和位置 3 上 `' a'` 的向量。",
            ),
        ),
    )
)

register(
    question(
        id="06.8",
        title=Said("Why do nearby positions look alike?", "为什么相邻的位置看起来很像？"),
        prompt=Said(
            "In `sinusoidal_positions(64, 128)` the vectors of nearby positions are alike: "
            "the cosine similarity of positions 10 and 11 is 0.97, of 10 and 20 it is "
            "0.67. Why?",
            "在 `sinusoidal_positions(64, 128)` 中，相邻位置的向量很像：位置 10 和 11 的"
            "余弦相似度是 0.97，位置 10 和 20 的是 0.67。为什么？",
        ),
        choices=[
            Choice(
                Said(
                    "Nearby positions usually hold similar words.",
                    "相邻的位置上通常是相似的词。",
                ),
                Said(
                    "The sinusoids depend on the position only, never on the token: the "
                    "table is the same for every text.",
                    "正弦波只取决于位置，与词元无关：对每段文本来说，这张表都是一样的。",
                ),
                "positions-from-words",
            ),
            Choice(
                Said(
                    "The table is learned, and training made neighbours alike.",
                    "这张表是学出来的，是训练让相邻的位置变得相像。",
                ),
                Said(
                    "The sinusoidal table is fixed, computed from a formula; nothing in it "
                    "is learned (and an untrained learned table shows no such structure).",
                    "正弦表是固定的，由公式算出；其中没有任何东西是学出来的（而未训练的可学习"
                    "表也没有这样的结构）。",
                ),
                "sinusoids-learned",
            ),
            Choice(
                Said(
                    "Each pair of dimensions is a clock turning at its own speed; from one "
                    "position to the next the slow clocks hardly move, so most numbers stay "
                    "almost the same.",
                    "每一对维度都是一个按自己的速度转动的时钟；从一个位置到下一个位置，"
                    "慢的时钟几乎不动，所以大多数数值几乎保持不变。",
                ),
                Said(
                    "The pair (2i, 2i + 1) turns 10000^(-2i/d) radians per position: the "
                    "first pairs change a lot, the last ones hardly at all over a few "
                    "positions. So neighbours share most of their values, and the similarity "
                    "falls (with ripples) as the distance grows: 0.97 one position apart, "
                    "0.67 ten apart.",
                    "维度对 (2i, 2i + 1) 每个位置转过 10000^(-2i/d) 弧度：最前面的几对变化很大，"
                    "最后面的几对在几个位置之内几乎不变。所以相邻的位置共享大部分的值，而相似度"
                    "随距离增大而下降（带有起伏）：相距一个位置是 0.97，相距十个位置是 0.67。",
                ),
            ),
            Choice(
                Said(
                    "The position vectors are all scaled to length 1.",
                    "位置向量都缩放到了长度 1。",
                ),
                Said(
                    "They are not: each of the 64 pairs (sin, cos) has length 1, so a vector "
                    "of 128 numbers has length 8, at every position. And the same length "
                    "says nothing about which positions are alike.",
                    "并没有：64 对 (sin, cos) 中的每一对长度都是 1，所以由 128 个数组成的向量在"
                    "每个位置上的长度都是 8。而且，长度相同并不能说明哪些位置相像。",
                ),
                "normalised",
            ),
        ],
        answer="c",
        hints=(
            Said(
                "What does one pair of dimensions do when the position grows by one?",
                "位置加一时，一对维度会发生什么变化？",
            ),
            Said(
                "Step 5 calls each pair of dimensions a clock. Which clocks move much "
                "between two neighbouring positions?",
                "第 5 步把每一对维度称为一个时钟。在两个相邻的位置之间，哪些时钟转动得多？",
            ),
        ),
    )
)
