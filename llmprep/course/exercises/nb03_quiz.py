"""Questions of notebook 03 (BPE): why BPE needs no unknown token, which pair encoding
merges first, and what a bigger vocabulary does to the length of a text. Every number
in an explanation is checked against the package in tests/test_exercise_questions.py."""

from __future__ import annotations

from llmprep.course.exercises.core import register
from llmprep.course.exercises.questions import Choice, question
from llmprep.course.language import Said

register(
    question(
        id="03.6",
        title=Said("Why no unknown token?", "为什么不需要未知词元？"),
        prompt=Said(
            "GPT-2's tokenizer encodes `Akwirw ier`, two made-up words, without any "
            "`<|unk|>`. Why does it never need an unknown token?",
            "GPT-2 的分词器编码 `Akwirw ier` 这两个编造的词时，没有用到任何 `<|unk|>`。"
            "它为什么从来不需要未知词元？",
        ),
        choices=[
            Choice(
                Said(
                    "Its 50,257 tokens contain every English word.",
                    "它的 50,257 个词元包含了所有英语单词。",
                ),
                Said(
                    "50,257 tokens are far fewer than the words of English, and `Akwirw` is "
                    "in no dictionary: GPT-2 spells it `Ak|w|ir|w`, with pieces it has.",
                    "50,257 个词元远远少于英语的单词数，而且 `Akwirw` 不在任何词典里："
                    "GPT-2 用它已有的片段把它拼成 `Ak|w|ir|w`。",
                ),
                "every-word-a-token",
            ),
            Choice(
                Said(
                    "It replaces an unknown word by the most similar word it knows.",
                    "它把未知单词替换成它认识的最相近的单词。",
                ),
                Said(
                    "BPE never replaces anything: `decode(encode(text))` gives the text back "
                    "exactly, made-up words included.",
                    "BPE 从不替换任何东西：`decode(encode(text))` 能原样还原文本，"
                    "编造的词也不例外。",
                ),
                "replaces-unknown",
            ),
            Choice(
                Said(
                    "It starts from the 256 bytes: any text is a sequence of bytes, so a word "
                    "without a token of its own is spelled with smaller tokens, down to "
                    "single bytes.",
                    "它从 256 个字节出发：任何文本都是一串字节，所以没有专属词元的单词会用更小的"
                    "词元来拼写，最小可以到单个字节。",
                ),
                Said(
                    "Each of the 256 byte values is a token, so nothing can be unknown. "
                    "`Akwirw ier` becomes `Ak|w|ir|w| |ier`, six known tokens, and decoding "
                    "them gives the words back.",
                    "256 个字节值每个都是一个词元，所以不会有任何东西是未知的。`Akwirw ier` 变成 "
                    "`Ak|w|ir|w| |ier`，六个已知的词元，解码它们就能还原这两个词。",
                ),
            ),
            Choice(
                Said(
                    "It has an unknown token too: id 50256.",
                    "它其实也有未知词元：ID 50256。",
                ),
                Said(
                    "50256 is `<|endoftext|>`, the separator between documents. GPT-2 has no "
                    "token for unknown words because it needs none.",
                    "50256 是 `<|endoftext|>`，即文档之间的分隔符。GPT-2 没有代表未知单词的"
                    "词元，因为它根本不需要。",
                ),
                "endoftext-is-unk",
            ),
        ],
        answer="c",
        hints=(
            Said(
                "Where does BPE's vocabulary start, before it learns any merge?",
                "在学到任何合并规则之前，BPE 的词表是从什么开始的？",
            ),
            Said(
                "Step 3: every text is a sequence of bytes. How many byte values are there, "
                "and which of them are tokens?",
                "第 3 步：任何文本都是一串字节。字节值一共有多少个？其中哪些是词元？",
            ),
        ),
    )
)

register(
    question(
        id="03.7",
        title=Said("Which pair merges first?", "哪一对先合并？"),
        prompt=Said(
            "When GPT-2 encodes a piece such as `b' hello'`, which adjacent pair does it "
            "merge first?",
            "GPT-2 编码 `b' hello'` 这样的片段时，先合并哪一个相邻对？",
        ),
        choices=[
            Choice(
                Said(
                    "The pair of lowest rank, the merge learned earliest, wherever it is in "
                    "the piece.",
                    "序号最小的那一对，也就是最早学到的合并规则，无论它在片段中的什么位置。",
                ),
                Said(
                    "In `b' hello'` the pairs' ranks are `b' h'` 289, `b'he'` 258, "
                    "`b'el'` 417, `b'll'` 297 and `b'lo'` 5439: `b'he'` merges first, though "
                    "`b' h'` comes first in the piece. A rank is the order in which training "
                    "learned the merges.",
                    "在 `b' hello'` 中，各相邻对的序号是：`b' h'` 289、`b'he'` 258、"
                    "`b'el'` 417、`b'll'` 297、`b'lo'` 5439。所以 `b'he'` 先合并，尽管 "
                    "`b' h'` 在片段中排在最前。序号就是训练时学到各条合并规则的先后顺序。",
                ),
            ),
            Choice(
                Said(
                    "The pair that occurs most often in the piece.",
                    "在这个片段中出现次数最多的那一对。",
                ),
                Said(
                    "Frequency decided the ranks during training, counted over all of the "
                    "training text. Encoding counts nothing: it looks up the rank of each "
                    "adjacent pair.",
                    "频率在训练时决定了序号，统计的是全部训练语料。编码时什么也不统计："
                    "它只是查出每个相邻对的序号。",
                ),
                "frequency-at-encoding",
            ),
            Choice(
                Said(
                    "The leftmost pair that has a rank.",
                    "最左边有序号的那一对。",
                ),
                Said(
                    "The position does not decide: in `b' hello'`, `b' h'` comes first, but "
                    "`b'he'` has the lower rank (258 against 289) and merges first.",
                    "起决定作用的不是位置：在 `b' hello'` 中，`b' h'` 排在最前，但 `b'he'` "
                    "的序号更小（258 对 289），所以它先合并。",
                ),
                "left-to-right",
            ),
            Choice(
                Said(
                    "The pair of highest rank, which makes the longest token.",
                    "序号最大的那一对，因为它能拼出最长的词元。",
                ),
                Said(
                    "The highest ranks are the last merges training learned, built from "
                    "earlier ones: they can only apply once their parts exist. Encoding "
                    "follows the order of learning.",
                    "序号最大的是训练最后学到的合并规则，它们是在更早的合并结果之上"
                    "构建的：只有它们的组成部分已经存在时才能应用。编码遵循的是学习的顺序。",
                ),
                "highest-rank-first",
            ),
        ],
        answer="a",
        hints=(
            Said(
                "Training decides the order of the merges, and encoding only follows it. "
                "Which number records that order?",
                "训练决定了合并规则的顺序，编码只是照着这个顺序来。哪个数记录了这个顺序？",
            ),
            Said(
                "Look up the ranks of the pairs of `b' hello'` in `tokenizer._mergeable_ranks`.",
                "在 `tokenizer._mergeable_ranks` 中查一查 `b' hello'` 各相邻对的序号。",
            ),
        ),
    )
)

register(
    question(
        id="03.8",
        title=Said("Twice the vocabulary, half the tokens?", "词表翻倍，词元减半？"),
        prompt=Said(
            "Step 6 trains tokenizers of several sizes on the story. What happens to the "
            "number of tokens the story needs when the vocabulary doubles from 1,000 to "
            "2,000 tokens?",
            "第 6 步在小说上训练了几种不同大小的分词器。词表从 1,000 个词元翻倍到 2,000 个时，"
            "小说需要的词元数会怎样变化？",
        ),
        choices=[
            Choice(
                Said(
                    "It halves: twice the tokens, half the length.",
                    "减半：词表翻倍，长度就减半。",
                ),
                Said(
                    "From 1,000 to 2,000 tokens the story goes from 6,999 to 5,555 tokens: "
                    "21% fewer, not half.",
                    "词表从 1,000 增大到 2,000 时，小说的词元数从 6,999 降到 5,555："
                    "少了 21%，而不是一半。",
                ),
                "halves",
            ),
            Choice(
                Said(
                    "It stays the same: the new tokens are rare words that hardly occur.",
                    "不变：新增的词元都是几乎不出现的罕见词。",
                ),
                Said(
                    "It falls, from 6,999 to 5,555 tokens: the new merges are rarer than the "
                    "first ones, but each still joins a pair that occurs in the text.",
                    "它会下降，从 6,999 个词元降到 5,555 个：新的合并规则比最初那些罕见，"
                    "但每一条连接的仍是文本中出现过的一对。",
                ),
                "no-change",
            ),
            Choice(
                Said(
                    "It grows, because the new tokens are longer.",
                    "增加，因为新的词元更长。",
                ),
                Said(
                    "Longer tokens cover more text each, so fewer of them are needed: 6,999 "
                    "tokens become 5,555.",
                    "更长的词元每个覆盖更多的文本，所以需要的词元更少：6,999 个词元变成 5,555 个。",
                ),
                "grows",
            ),
            Choice(
                Said(
                    "It falls, but far less than by half: each new merge joins a rarer pair "
                    "than the one before.",
                    "下降，但远不到一半：每条新的合并规则连接的一对都比前一条的更罕见。",
                ),
                Said(
                    "6,999 tokens become 5,555 (21% fewer). The first merges join the "
                    "most frequent pairs and shorten the text most; the later ones join "
                    "rarer pairs, so each saves less.",
                    "6,999 个词元变成 5,555 个（少了 21%）。最初的合并规则连接最常见的相邻对，"
                    "让文本缩短得最多；后来的合并规则连接的相邻对更罕见，每一条省下的词元也更少。",
                ),
            ),
        ],
        answer="d",
        hints=(
            Said(
                "Each merge replaces every occurrence of one pair by one token. Are the "
                "later merges' pairs more or less frequent than the first ones?",
                "每次合并都把某一对的所有出现替换成一个词元。后来的合并规则所针对的相邻对，"
                "比最初那些更常见还是更罕见？",
            ),
            Said(
                "Step 6's `lengths` lists the story's length for each vocabulary size.",
                "第 6 步的 `lengths` 列出了每种词表大小下小说的长度。",
            ),
        ),
    )
)
