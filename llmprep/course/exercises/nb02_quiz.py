"""Questions of notebook 02 (vocabulary): why a padding token, whether a bigger text ever
leaves no unknown words, and why the vocabulary is sorted. Every number in an
explanation is checked against the package in tests/test_exercise_questions.py."""

from __future__ import annotations

from llmprep.course.exercises.core import register
from llmprep.course.exercises.questions import Choice, question
from llmprep.course.language import Said

register(
    question(
        id="02.6",
        title=Said("Why a padding token?", "为什么需要填充词元？"),
        prompt=Said(
            "Exercise 02.3 added `<|pad|>` to the vocabulary. Why might a batch of "
            "sentences of different lengths need a padding token?",
            "练习 02.3 在词表中加入了 `<|pad|>`。一个批次里长短不一的句子，"
            "为什么可能需要填充词元？",
        ),
        choices=[
            Choice(
                Said(
                    "To mark words that are not in the vocabulary.",
                    "用来标记不在词表里的单词。",
                ),
                Said(
                    "That is the job of `<|unk|>` (id 1,131 in the story's vocabulary): it "
                    "stands for a word that is there but unknown. Padding fills positions "
                    "where there is no word at all.",
                    "那是 `<|unk|>` 的工作（在小说的词表中 ID 为 1,131）：它代表一个确实存在、"
                    "但词表不认识的单词。填充则是填满根本没有单词的位置。",
                ),
                "pad-is-unk",
            ),
            Choice(
                Said(
                    "To separate two documents in the training stream.",
                    "用来在拼接好的词元流中分隔两篇文档。",
                ),
                Said(
                    "That is `<|endoftext|>` (id 1,130): it sits between two documents. "
                    "Padding is about the shape of a batch, not about where a text ends.",
                    "那是 `<|endoftext|>`（ID 1,130）：它位于两篇文档之间。"
                    "填充关心的是批次的形状，而不是一段文本在哪里结束。",
                ),
                "pad-is-endoftext",
            ),
            Choice(
                Said(
                    "So that the model learns what `<|pad|>` means, like any other word.",
                    "为了让模型像学习其他单词一样，学会 `<|pad|>` 的含义。",
                ),
                Said(
                    "Padding means nothing, and the padded positions are kept out of the "
                    "loss, so the model learns nothing from them. That is why GPT-2 can pad "
                    "with `<|endoftext|>`: what fills the padded positions does not matter.",
                    "填充没有任何含义，填充的位置也不计入损失，所以模型从中学不到任何东西。"
                    "正因如此，GPT-2 才可以用 `<|endoftext|>` 来填充：用什么填充这些位置"
                    "并不重要。",
                ),
                "pad-is-learned",
            ),
            Choice(
                Said(
                    "A batch is one tensor, so its rows need one length: shorter sentences "
                    "are filled up with padding, and the padded positions are left out of "
                    "the loss.",
                    "一个批次是一个张量，所以各行必须一样长：较短的句子用填充词元补齐，"
                    "填充的位置不计入损失。",
                ),
                Said(
                    "A tensor is rectangular, so sentences of 5 and 9 tokens cannot "
                    "share a batch as they are: the short one is filled up to 9. The padded "
                    "positions are masked out of the loss. GPT-2 has no padding token and "
                    "uses `<|endoftext|>` for it.",
                    "张量是矩形的，所以 5 个词元和 9 个词元的两个句子无法原样放进同一个批次："
                    "短的那句要补齐到 9 个。填充的位置在计算损失时被屏蔽掉。GPT-2 没有"
                    "填充词元，用 `<|endoftext|>` 来代替。",
                ),
            ),
        ],
        answer="d",
        hints=(
            Said(
                "A batch is one tensor. What must be true of the lengths of its rows?",
                "一个批次是一个张量。它各行的长度必须满足什么条件？",
            ),
            Said(
                "`<|unk|>` and `<|endoftext|>` already have jobs of their own; what is left "
                "to do for a batch of a 5-token and a 9-token sentence?",
                "`<|unk|>` 和 `<|endoftext|>` 已经各有各的用途；对于由一个 5 词元句子和"
                "一个 9 词元句子组成的批次，还剩下什么事要做？",
            ),
        ),
    )
)

register(
    question(
        id="02.7",
        title=Said("Will a bigger text know every word?", "语料更大，就能认识所有单词吗？"),
        prompt=Said(
            "In step 4, the more of the story the vocabulary is built from, the fewer tokens "
            "of its last fifth are unknown. Will a bigger training text ever leave no "
            "unknown words?",
            "在第 4 步中，构建词表用的小说内容越多，最后五分之一里的未知词元就越少。"
            "训练语料再大，会有一天不再有未知单词吗？",
        ),
        choices=[
            Choice(
                Said(
                    "Yes: with enough text, every word appears at least once.",
                    "会：只要文本足够多，每个单词都会至少出现一次。",
                ),
                Said(
                    "The curve flattens but does not reach 0: with four fifths of the story, "
                    "12.7% of the last fifth is still unknown. Names, typos and new words "
                    "keep coming, in any amount of text.",
                    "曲线越来越平，却不会降到 0：用了小说的五分之四，最后五分之一中仍有 12.7% "
                    "是未知的。无论文本有多少，人名、拼写错误和新词都会层出不穷。",
                ),
                "enough-text",
            ),
            Choice(
                Said(
                    "No: names, typos and new words keep coming, so a vocabulary of whole "
                    "words never covers everything; notebook 03's BPE spells unknown words in "
                    "known pieces instead.",
                    "不会：人名、拼写错误和新词层出不穷，所以由整词构成的词表永远覆盖不全；"
                    "笔记本 03 的 BPE 改用已知的片段来拼写未知单词。",
                ),
                Said(
                    "Most distinct words are rare (697 of the story's 1,130 distinct "
                    "tokens occur once), so every new text brings new ones. A word vocabulary "
                    "cannot win this race; byte-pair encoding sidesteps it, because every "
                    "text is a sequence of known bytes.",
                    "大多数不同的单词都很罕见（小说的 1,130 个不同词元中，有 697 个只出现一次），"
                    "所以每一段新文本都会带来新词。单词词表赢不了这场赛跑；字节对编码绕开了它，"
                    "因为任何文本都是一串已知的字节。",
                ),
            ),
            Choice(
                Said(
                    "Yes, if everything is lower-cased first.",
                    "会，只要先把所有内容转成小写。",
                ),
                Said(
                    "Lower-casing helps a little: exercise 02.2 finds 12.2% unknown instead "
                    "of 12.7%. Most unknown tokens are new words, not new spellings of known "
                    "ones.",
                    "转成小写只有一点帮助：练习 02.2 得到的未知比例是 12.2%，而不是 12.7%。"
                    "大多数未知词元是新词，而不是已知词的另一种拼写。",
                ),
                "lowercase-fixes-it",
            ),
            Choice(
                Said(
                    "It does not matter: `<|unk|>` makes every word known.",
                    "无所谓：有了 `<|unk|>`，每个单词都算认识了。",
                ),
                Said(
                    "`<|unk|>` stops `SimpleTokenizerV2` from failing, but the word is lost: "
                    "`Hello` and `palace` both become id 1,131, and decoding gives `<|unk|>` "
                    "back for both.",
                    "`<|unk|>` 让 `SimpleTokenizerV2` 不再报错，但这个单词丢失了：`Hello` 和 "
                    "`palace` 都变成 ID 1,131，解码出来也都成了 `<|unk|>`。",
                ),
                "unk-makes-known",
            ),
        ],
        answer="b",
        hints=(
            Said(
                "Look at how the unknown share falls as the vocabulary grows: is the curve "
                "heading for 0?",
                "看看未知比例怎样随词表增大而下降：这条曲线在朝 0 走吗？",
            ),
            Said(
                "Notebook 01 counted how many of the story's distinct tokens occur only once.",
                "笔记本 01 数过小说的不同词元中有多少个只出现一次。",
            ),
        ),
    )
)

register(
    question(
        id="02.8",
        title=Said("Why sort the vocabulary?", "为什么要给词表排序？"),
        prompt=Said(
            "Step 1 sorts the distinct tokens before numbering them. Why?",
            "第 1 步在给不同的词元编号之前先把它们排了序。为什么？",
        ),
        choices=[
            Choice(
                Said(
                    "So that frequent words get small ids.",
                    "为了让常见的单词得到较小的 ID。",
                ),
                Said(
                    "Sorting is by code point, not by frequency: `!` gets id 0, and `the`, "
                    "the most frequent word, gets id 988.",
                    "排序依据的是码位，而不是频率：`!` 的 ID 是 0，而最常见的单词 `the` 的 "
                    "ID 是 988。",
                ),
                "sorted-by-frequency",
            ),
            Choice(
                Said(
                    "Because the model needs similar words to have nearby ids.",
                    "因为模型需要意思相近的单词有相邻的 ID。",
                ),
                Said(
                    "An id is only a row number: nothing is learned from 5 being next to 6. "
                    "The meaning is in the vector that an embedding layer learns for each id "
                    "(notebook 05).",
                    "ID 只是一个行号：5 挨着 6，并不能让模型学到什么。含义在于嵌入层为每个 ID "
                    "学到的向量（笔记本 05）。",
                ),
                "ids-carry-meaning",
            ),
            Choice(
                Said(
                    "So that the same text always gives the same ids: a `set`'s order can "
                    "change from one run of Python to the next.",
                    "为了让同一段文本总是得到同样的 ID：`set` 的顺序在 Python 的两次运行之间"
                    "可能会变。",
                ),
                Said(
                    "Python randomises the hashes of strings in every new process, so "
                    "iterating over a `set` of tokens may give another order each time. "
                    "Sorting fixes the order, so that a saved vocabulary and a model trained "
                    "with it keep agreeing.",
                    "Python 在每个新进程中都会随机化字符串的哈希值，所以遍历一个由词元组成的 "
                    "`set`，每次得到的顺序都可能不同。排序把顺序固定下来，保存下来的词表和"
                    "用它训练的模型才能始终对得上。",
                ),
            ),
            Choice(
                Said(
                    "Because `enumerate` only works on sorted lists.",
                    "因为 `enumerate` 只能用于排好序的列表。",
                ),
                Said(
                    "`enumerate` numbers the items of any iterable, sorted or not. It is the "
                    "order of the ids that sorting fixes.",
                    "`enumerate` 可以给任何可迭代对象的元素编号，排没排序都行。"
                    "排序固定的是 ID 的顺序。",
                ),
                "enumerate-needs-sorted",
            ),
        ],
        answer="c",
        hints=(
            Said(
                "What could change if you ran the same cell tomorrow, in a new kernel, "
                "without `sorted`?",
                "如果不用 `sorted`，明天在一个新的内核里运行同一个单元格，什么可能会变？",
            ),
            Said(
                "A `set` has no order of its own, and Python may iterate over it differently "
                "in each new process.",
                "`set` 本身没有顺序，Python 在每个新进程中遍历它的顺序都可能不同。",
            ),
        ),
    )
)
