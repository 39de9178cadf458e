"""Questions of notebook 01 (tokens): what lower-casing loses, where re.split's empty
strings come from, and whether GPT-2 drops spaces. Every number in an explanation is
checked against the package in tests/test_exercise_questions.py."""

from __future__ import annotations

from llmprep.course.exercises.core import register
from llmprep.course.exercises.questions import Choice, question
from llmprep.course.language import Said

register(
    question(
        id="01.5",
        title=Said("What lower-casing loses", "转成小写丢掉了什么"),
        prompt=Said(
            "Exercise 01.4 lower-cased the story before splitting it, and its 1,130 "
            "distinct tokens became 1,076. What information did lower-casing lose?",
            "练习 01.4 在切分之前把小说转成了小写，1,130 个不同的词元变成了 1,076 个。"
            "转成小写丢掉了什么信息？",
        ),
        choices=[
            Choice(
                Said(
                    "Nothing: `The` and `the` are the same word, so the model loses nothing.",
                    "什么也没丢：`The` 和 `the` 是同一个词，所以模型没有任何损失。",
                ),
                Said(
                    "They are the same word, but not the same information: a capital marks "
                    "where a sentence starts and which words are names. Lower-cased, a name "
                    "such as `Jack` would become one token with the word `jack`, and the model "
                    "could no longer see where a sentence begins.",
                    "它们是同一个词，携带的信息却不同：大写字母标出句子从哪里开始、哪些词是人名。"
                    "转成小写后，`Jack` 这样的人名会和单词 `jack` 成为同一个词元，"
                    "模型也就再看不出句子从哪里开始。",
                ),
                "case-carries-nothing",
            ),
            Choice(
                Said(
                    "Where sentences start and which words are names: `The` and `the`, `HAD` "
                    "and `had` become one token each.",
                    "句子从哪里开始、哪些词是人名：`The` 和 `the`、`HAD` 和 `had` "
                    "各自成了同一个词元。",
                ),
                Said(
                    "54 distinct tokens disappear (1,130 become 1,076) because the "
                    "capitalised and the lower-case spellings merge. The capital was "
                    "information: the start of a sentence, a name (`Jack Gisburn`), emphasis "
                    "(`I HAD always`). GPT's tokenizer keeps case for that reason.",
                    "有 54 个不同的词元消失了（1,130 个变成 1,076 个），因为大写和小写的两种拼写"
                    "合并了。大写字母本身就是信息：句子的开头、人名（`Jack Gisburn`）、"
                    "强调（`I HAD always`）。正因如此，GPT 的分词器保留大小写。",
                ),
            ),
            Choice(
                Said(
                    "The punctuation: `lower()` removes `.` and `,`.",
                    "标点：`lower()` 会删掉 `.` 和 `,`。",
                ),
                Said(
                    "`str.lower()` changes letters only. `.` and `,` have no case: they stay in "
                    "the text, and `split_text` still cuts them out as tokens of their own.",
                    "`str.lower()` 只改变字母。`.` 和 `,` 没有大小写之分：它们还留在文本里，"
                    "`split_text` 照样把它们单独切出来作为词元。",
                ),
                "lower-removes-punctuation",
            ),
            Choice(
                Said(
                    "Nothing that matters: `.upper()` can bring the capitals back afterwards.",
                    "没丢什么要紧的：之后用 `.upper()` 就能把大写字母找回来。",
                ),
                Said(
                    "`.upper()` makes every letter a capital: `the` becomes `THE`, not `The`. "
                    "Which letters were capitals is exactly what lower-casing threw away, so no "
                    "function can bring it back.",
                    "`.upper()` 把每个字母都变成大写：`the` 变成 `THE`，而不是 `The`。"
                    "哪些字母原本是大写，正是转成小写时丢掉的信息，所以任何函数都无法把它找回来。",
                ),
                "lower-is-reversible",
            ),
        ],
        answer="b",
        hints=(
            Said(
                "Compare `The` at the start of a sentence with `the` in the middle of one: "
                "what does the capital tell a reader?",
                "比较句首的 `The` 和句中的 `the`：大写字母告诉了读者什么？",
            ),
            Said(
                "Look at the story's first line, `I HAD always thought Jack Gisburn ...`: "
                "what do its capitals mark?",
                "看看小说的第一行 `I HAD always thought Jack Gisburn ...`："
                "其中的大写字母标出了什么？",
            ),
        ),
    )
)

register(
    question(
        id="01.6",
        title=Said("Where the empty strings come from", "空字符串从哪里来"),
        prompt=Said(
            "`re.split(r'([,.]|\\s)', 'Hello, world.')` returns `['Hello', ',', '', ' ', "
            "'world', '.', '']`. Where do the empty strings `''` come from?",
            "`re.split(r'([,.]|\\s)', 'Hello, world.')` 返回 `['Hello', ',', '', ' ', "
            "'world', '.', '']`。其中的空字符串 `''` 是从哪里来的？",
        ),
        choices=[
            Choice(
                Said(
                    "The capturing group `(...)` adds an empty string for every match.",
                    "捕获组 `(...)` 每匹配一次，就添加一个空字符串。",
                ),
                Said(
                    "The group makes `re.split` keep each separator as an item of its own. The "
                    "empty strings come without it too: `re.split(r'[,.]|\\s', 'Hello, "
                    "world.')` gives `['Hello', '', 'world', '']`.",
                    "捕获组的作用是让 `re.split` 把每个分隔符保留为单独的一项。没有它，"
                    "空字符串照样会出现：`re.split(r'[,.]|\\s', 'Hello, world.')` 得到 "
                    "`['Hello', '', 'world', '']`。",
                ),
                "group-makes-empties",
            ),
            Choice(
                Said(
                    "They are the spaces, shown as empty strings.",
                    "它们就是空格，只是显示成了空字符串。",
                ),
                Said(
                    "A space is `' '`, and it is in the list as an item of its own. `''` has "
                    "length 0: it holds nothing at all.",
                    "空格是 `' '`，它在列表里单独占一项。`''` 的长度是 0：里面什么也没有。",
                ),
                "empty-is-space",
            ),
            Choice(
                Said(
                    "`re.split` returns the text between two separators: between `,` and the "
                    "space after it there is none, and none after the final `.`.",
                    "`re.split` 返回两个分隔符之间的文本：`,` 和它后面的空格之间没有文本，"
                    "末尾的 `.` 之后也没有。",
                ),
                Said(
                    "The list alternates text and separators: text, separator, text, "
                    "... Where two separators touch (`,` then `' '`), the text between them is "
                    "`''`; after a separator at the very end (`.`), the text that follows is "
                    "`''` too. `if item.strip()` drops them.",
                    "列表里文本和分隔符交替出现：文本、分隔符、文本……两个分隔符紧挨着时"
                    "（`,` 后面紧跟 `' '`），它们之间的文本就是 `''`；分隔符位于最末尾时"
                    "（`.`），它后面的文本也是 `''`。`if item.strip()` 会把它们去掉。",
                ),
            ),
            Choice(
                Said(
                    "The sentence ends with an invisible newline.",
                    "句子末尾有一个看不见的换行符。",
                ),
                Said(
                    "`'Hello, world.'` has no newline: its last character is `.`. The last "
                    "`''` is the (empty) text after that final separator.",
                    "`'Hello, world.'` 里没有换行符：它的最后一个字符是 `.`。最后那个 `''` "
                    "是末尾这个分隔符之后的（空）文本。",
                ),
                "hidden-newline",
            ),
        ],
        answer="c",
        hints=(
            Said(
                "`re.split` returns pieces of text with the separators between them. What is "
                "there between `,` and the space that follows it?",
                "`re.split` 返回一段段文本，分隔符夹在它们之间。`,` 和紧跟其后的空格之间有什么？",
            ),
            Said(
                "Count along the list: text, separator, text, separator, ... It alternates, "
                "even where a piece of text is empty.",
                "沿着列表数一数：文本、分隔符、文本、分隔符……它们总是交替出现，"
                "即使某段文本是空的。",
            ),
        ),
    )
)

register(
    question(
        id="01.7",
        title=Said("Does GPT drop spaces too?", "GPT 也会去掉空格吗？"),
        prompt=Said(
            "`split_text` drops whitespace. Does GPT-2's tokenizer drop spaces too?",
            "`split_text` 会去掉空白。GPT-2 的分词器也会去掉空格吗？",
        ),
        choices=[
            Choice(
                Said(
                    "No: it keeps them, mostly glued to the start of the next word "
                    "(`' world'` is one token).",
                    "不会：它保留空格，空格大多粘在下一个单词的开头（`' world'` 是一个词元）。",
                ),
                Said(
                    "GPT-2's tokens carry their leading space: `' world'` is one token "
                    "(id 995), so a space costs almost nothing, and decoding gives the text "
                    "back exactly. Notebook 03 shows how.",
                    "GPT-2 的词元带着前导空格：`' world'` 是一个词元（ID 995），所以空格几乎"
                    "不额外占用词元，解码也能原样还原文本。笔记本 03 会讲具体是怎么做到的。",
                ),
            ),
            Choice(
                Said(
                    "Yes: every tokenizer drops whitespace; the model does not need it.",
                    "会：所有分词器都会去掉空白，模型用不着它。",
                ),
                Said(
                    "GPT-2 keeps every space: decoding its ids gives back the text exactly, "
                    "spaces and newlines included (notebook 03). A model that never saw spaces "
                    "could not write them either.",
                    "GPT-2 保留每一个空格：把它的 ID 解码，能原样得到文本，空格和换行都在"
                    "（笔记本 03）。从没见过空格的模型，也就写不出空格。",
                ),
                "spaces-dropped",
            ),
            Choice(
                Said(
                    "No: it keeps each space as a token of its own, like `keep_whitespace=True`.",
                    "不会：它把每个空格都保留为单独的词元，就像 `keep_whitespace=True` 那样。",
                ),
                Said(
                    "That would nearly double the length: with whitespace kept the story is "
                    "8,405 tokens instead of 4,690. GPT-2 keeps spaces more cheaply (step 7 "
                    "says how).",
                    "那样长度几乎会翻倍：保留空白时，小说有 8,405 个词元，而不是 4,690 个。"
                    "GPT-2 保留空格的办法代价更小（第 7 步讲过是怎么做的）。",
                ),
                "space-tokens",
            ),
        ],
        answer="a",
        hints=(
            Said(
                "Step 7 says how subword tokenizers keep spaces without paying for them.",
                "第 7 步讲了子词分词器怎样保留空格，又几乎不付出代价。",
            ),
            Said(
                "In notebook 03 you can try `tokenizer.encode(' world')` and count the ids.",
                "在笔记本 03 里，你可以试试 `tokenizer.encode(' world')`，数一数有几个 ID。",
            ),
        ),
    )
)
