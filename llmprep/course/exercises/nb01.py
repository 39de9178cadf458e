"""Exercises of notebook 01 (tokens): predict a split, change the pattern, count."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from llmprep.course.exercises.answers import Wrong, as_float, as_int, as_str, describe
from llmprep.course.exercises.core import Exercise, register, the_verdict
from llmprep.course.language import Said, say
from llmprep.simple import SPLIT_PATTERN, split_text

SENTENCE = "Mr. O'Neil's e-mail: don't re-use it!"

#: What the solutions may take for granted: the names of the notebook's first cells.
CONTEXT = """
import re
from llmprep import load_text, split_text
raw_text = load_text("the-verdict")
"""


def _split(pattern: str | re.Pattern[str], text: str) -> list[str]:
    return [item for item in re.split(pattern, text) if item.strip()]


# ---- 01.1 -------------------------------------------------------------------------


def _judge_prediction(answer: Any, right: list[str]) -> str:
    if isinstance(answer, str) or not isinstance(answer, (list, tuple)):
        raise Wrong(
            say(
                f"expected a list of strings, one per token, got {describe(answer)}",
                f"这里需要一个字符串列表，每个词元一个字符串，你给的是 {describe(answer)}",
            )
        )
    tokens = [as_str(t, say("strings in the list", "字符串（列表里的每一项）")) for t in answer]
    if tokens == right:
        return say(
            f"all {len(right)} tokens right. The pattern cuts at every `'` and `.`, so "
            f"`O'Neil` and `don't` fall apart, while `e-mail` and `re-use` stay whole "
            f"(a single `-` is not in the pattern): one pattern cannot know that `Mr.` "
            f"and `don't` are units.",
            f"{len(right)} 个词元全部正确。这个模式在每个 `'` 和 `.` 处都会切开，所以 "
            f"`O'Neil` 和 `don't` 被拆散了，而 `e-mail` 和 `re-use` 保持完整（单个 `-` "
            f"不在模式里）：一个模式无法知道 `Mr.` 和 `don't` 各是一个整体。",
        )
    if any(t and not t.strip() for t in tokens) or "" in tokens:
        raise Wrong(
            say(
                "your list has whitespace or empty strings: split_text drops both "
                "(`if item.strip()`)",
                "你的列表里有空白或空字符串：split_text 会把两者都去掉（`if item.strip()`）",
            ),
            diagnosis="whitespace-kept",
        )
    glued = [t for t in tokens if "'" in t and t != "'"]
    if glued:
        raise Wrong(
            say(
                f"{glued[0]!r} is one token in your list, but `'` is in the pattern: it is "
                f"cut out as a token of its own",
                f"在你的列表里，{glued[0]!r} 是一个词元，但 `'` 在模式里：它会被单独切出来，"
                f"自成一个词元",
            ),
            diagnosis="apostrophe-kept",
        )
    if "-" in tokens:
        raise Wrong(
            say(
                "a single `-` is not in the pattern (only `--` is): `e-mail` stays one token",
                "单个 `-` 不在模式里（在模式里的是 `--`）：`e-mail` 仍是一个词元",
            ),
            diagnosis="hyphen-split",
        )
    dotted = [t for t in tokens if t.endswith(".") and t != "."]
    if dotted:
        raise Wrong(
            say(
                f"{dotted[0]!r}: `.` is in the pattern, so it is a token of its own",
                f"{dotted[0]!r}：`.` 在模式里，所以它自成一个词元",
            ),
            diagnosis="dot-kept",
        )
    for k, (mine, theirs) in enumerate(zip(tokens, right, strict=False)):
        if mine != theirs:
            raise Wrong(
                say(
                    f"token {k} (counting from 0) is {theirs!r}, your list has {mine!r}",
                    f"下标 {k} 处的词元应当是 {theirs!r}，你的列表里是 {mine!r}",
                )
            )
    raise Wrong(
        say(
            f"split_text gives {len(right)} tokens, your list has {len(tokens)}",
            f"split_text 得到 {len(right)} 个词元，你的列表有 {len(tokens)} 个",
        )
    )


register(
    Exercise(
        id="01.1",
        title=Said("Predict the split", "预测切分结果"),
        task=Said(
            f"Before you run anything: which tokens does `split_text` make of\n\n"
            f"`{SENTENCE}`\n\nWrite them as a list of strings, e.g. `['Mr', ...]`, then "
            f"check. Only then run `split_text` to see why.",
            f"先别运行任何代码：`split_text` 会把\n\n`{SENTENCE}`\n\n切成哪些词元？"
            f"把它们写成一个字符串列表，例如 `['Mr', ...]`，然后检查。"
            f"之后再运行 `split_text`，看看为什么是这样。",
        ),
        reference=lambda: split_text(SENTENCE),
        judge=_judge_prediction,
        answer_name="tokens",
        solution_code=f'tokens = split_text("{SENTENCE}")\ntokens',
        explanation=Said(
            "The pattern `([,.:;?_!\"()\\']|--|\\s)` cuts at each of those characters "
            "and at whitespace, and keeps them as tokens; `split_text` then drops "
            "whitespace. So `Mr.` becomes `Mr` `.`, `O'Neil's` becomes `O` `'` `Neil` "
            "`'` `s`, and `e-mail` stays whole because a single hyphen is not a "
            "separator. A tokenizer that knew English would keep `Mr.` and `O'Neil`; a "
            "regular expression cannot know which dots end sentences. Subword "
            "tokenizers (notebook 03) avoid the question.",
            "模式 `([,.:;?_!\"()\\']|--|\\s)` 在这些字符和空白处切开，并把它们保留为词元；"
            "`split_text` 随后去掉空白。所以 `Mr.` 变成 `Mr` `.`，`O'Neil's` 变成 `O` `'` "
            "`Neil` `'` `s`，而 `e-mail` 保持完整，因为单个连字符不是分隔符。懂英语的分词器"
            "会保留 `Mr.` 和 `O'Neil`；正则表达式却无法知道哪些句点是句子的结尾。"
            "子词分词器（笔记本 03）绕开了这个问题。",
        ),
        hints=(
            Said(
                "Go through the pattern's alternatives: which characters of the sentence "
                "are in `[,.:;?_!\"()\\']`?",
                "逐一看模式里的各个分支：句子中的哪些字符在 `[,.:;?_!\"()\\']` 里？",
            ),
            Said(
                "`'` is a separator wherever it stands, also inside `O'Neil` and `don't`; "
                "`-` alone is not one.",
                "`'` 无论出现在哪里都是分隔符，在 `O'Neil` 和 `don't` 的中间也是；"
                "单独一个 `-` 则不是。",
            ),
            Said(
                "So `Mr.` is two tokens and `O'Neil's` five, while `e-mail` and `re-use` "
                "stay whole.",
                "所以 `Mr.` 是两个词元，`O'Neil's` 是五个，而 `e-mail` 和 `re-use` 保持完整。",
            ),
        ),
    )
)


# ---- 01.2 -------------------------------------------------------------------------

HYPHEN_PATTERN = r'([,.:;?_!"()\']|--|-|\s)'


def _judge_hyphens(answer: Any, right: list[str]) -> str:
    pattern = answer.pattern if isinstance(answer, re.Pattern) else answer
    pattern = as_str(
        pattern,
        say("a pattern, as a string like r'(...)'", "一个模式，写成 r'(...)' 这样的字符串"),
    )
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise Wrong(
            say(
                f"this is not a valid regular expression: {error}",
                f"这不是一个有效的正则表达式：{error}",
            )
        ) from None
    if compiled.groups == 0:
        raise Wrong(
            say(
                "your pattern has no capturing group, so re.split throws the separators away: "
                "wrap it in parentheses, `(...)`",
                "你的模式没有捕获组，所以 re.split 会把分隔符丢掉：用圆括号把它括起来，`(...)`",
            ),
            diagnosis="no-capturing-group",
        )
    if compiled.groups > 1:
        items = re.split(compiled, the_verdict())
        tokens = [t for t in items if t is not None and t.strip()]
        if tokens != right or None in items:  # None breaks `if item.strip()`
            sample = "luncheon-table--"
            raise Wrong(
                say(
                    f"your pattern has {compiled.groups} capturing groups, and re.split "
                    f"returns the text of every group at each separator (None for a group "
                    f"that took no part), so separators come twice or as None. Keep one group "
                    f"around the whole alternation, `(...|...)`, and write any group inside "
                    f"it as `(?:...)`",
                    f"你的模式有 {compiled.groups} 个捕获组，而 re.split 会在每个分隔符处返回"
                    f"每一个组匹配到的文本（没有参与匹配的组返回 None），所以分隔符会出现两次，"
                    f"或者变成 None。只在整个分支结构外面保留一个组，`(...|...)`，里面的组"
                    f"写成 `(?:...)`",
                ),
                f"re.split(pattern, {sample!r}) = {re.split(compiled, sample)!r}",
                diagnosis="second-group",
            )
    else:
        tokens = _split(compiled, the_verdict())
    if tokens == right:
        return say(
            f"the story now has {len(tokens):,} tokens (4,690 before) and "
            f"{len(set(tokens)):,} distinct ones: `luncheon-table` is "
            f"`luncheon` `-` `table`, and `--` is still one token.",
            f"小说现在有 {len(tokens):,} 个词元（之前是 4,690 个），其中 "
            f"{len(set(tokens)):,} 个互不相同：`luncheon-table` 变成了 "
            f"`luncheon` `-` `table`，而 `--` 仍是一个词元。",
        )
    if "--" not in tokens and "-" in tokens:
        raise Wrong(
            say(
                "`--` fell apart into two `-`: alternatives are tried left to right, and one "
                "that matches a single `-` (`-` itself, or a `[...]` with `-` in it) comes "
                "before `--`: put `--` first",
                "`--` 被拆成了两个 `-`：各个分支是从左到右依次尝试的，而能匹配单个 `-` 的分支"
                "（`-` 本身，或者含有 `-` 的 `[...]`）排在了 `--` 前面：把 `--` 放在最前面。",
            ),
            diagnosis="alternative-order",
        )
    if "-" not in tokens:
        joined = [t for t in tokens if "-" in t and t != "--"]
        raise Wrong(
            say(
                f"the hyphen is not a token yet ({joined[0]!r} is still one token): add `-` "
                f"as an alternative",
                f"连字符还不是词元（{joined[0]!r} 仍是一个词元）：把 `-` 加为一个分支",
            )
            if joined
            else say(
                "no `-` token appears: add `-` as an alternative, after `--`",
                "没有出现 `-` 词元：把 `-` 加为一个分支，放在 `--` 之后",
            ),
            diagnosis="hyphen-missing",
        )
    for k, (mine, theirs) in enumerate(zip(tokens, right, strict=False)):
        if mine != theirs:
            raise Wrong(
                say(
                    f"your pattern also changes other tokens: token {k:,} of the story is "
                    f"{mine!r}, expected {theirs!r}. Keep the book's pattern and add only `-`",
                    f"你的模式还改变了别的词元：小说中下标 {k:,} 处的词元是 {mine!r}，"
                    f"应当是 {theirs!r}。保留书中的模式，只添加 `-`",
                ),
                diagnosis="pattern-changed",
            )
    raise Wrong(
        say(
            f"your pattern gives {len(tokens):,} tokens, expected {len(right):,}",
            f"你的模式得到 {len(tokens):,} 个词元，应当是 {len(right):,} 个",
        )
    )


register(
    Exercise(
        id="01.2",
        title=Said("Split hyphenated words", "拆开带连字符的词"),
        task=Said(
            "Change the book's pattern so that hyphenated words (`luncheon-table`) are "
            "split at the hyphen, keeping `-` as a token, while `--` stays one token. "
            "Give the pattern as a string, with one capturing group around all of it, as "
            "in the book's.",
            "修改书中的模式，让带连字符的词（`luncheon-table`）在连字符处拆开，并把 `-` "
            "保留为一个词元，同时 `--` 仍是一个词元。把模式写成字符串作答，并像书中那样，"
            "用一个捕获组把整个模式括起来。",
        ),
        reference=lambda: _split(HYPHEN_PATTERN, the_verdict()),
        judge=_judge_hyphens,
        answer_name="pattern",
        solution_code=(
            "pattern = r'([,.:;?_!\"()\\']|--|-|\\s)'\n"
            "tokens = [t for t in re.split(pattern, raw_text) if t.strip()]\nlen(tokens)"
        ),
        explanation=Said(
            "`-` is added as a new alternative *after* `--`: the regex engine tries "
            "alternatives from left to right at each position, so `--` is matched whole "
            "before a single `-` gets the chance.",
            "`-` 作为一个新分支加在 `--` *之后*：正则引擎在每个位置都从左到右尝试各个分支，"
            "所以 `--` 会先被整体匹配，单个 `-` 没有机会。",
        ),
        hints=(
            Said(
                "Alternatives are separated by `|` inside the capturing group.",
                "在捕获组里，各个分支之间用 `|` 隔开。",
            ),
            Said(
                "Order matters: at `--`, whichever alternative comes first wins.",
                "顺序很重要：遇到 `--` 时，排在前面的分支胜出。",
            ),
            Said(
                "Add `-` as one more alternative of the book's pattern, after `--` and "
                "before `\\s`.",
                "在书中的模式里再加一个分支 `-`，放在 `--` 之后、`\\s` 之前。",
            ),
        ),
    )
)


# ---- 01.3 -------------------------------------------------------------------------


def _top10_share(tokens: list[str]) -> float:
    return sum(n for _, n in Counter(tokens).most_common(10)) / len(tokens)


def _judge_share(answer: Any, right: float) -> str:
    share = as_float(answer, say("a fraction between 0 and 1", "一个 0 到 1 之间的比例"))
    tokens = split_text(the_verdict())
    if abs(share - right) < 0.005:
        return say(
            f"{right:.1%}: ten tokens out of {len(set(tokens)):,} distinct ones make up "
            f"more than a quarter of the text. That is Zipf's law at work.",
            f"{right:.1%}：在 {len(set(tokens)):,} 个不同的词元中，仅 10 个就占了全文的"
            f"四分之一以上。这就是齐普夫定律在起作用。",
        )
    if abs(share - 100 * right) < 0.5:
        raise Wrong(
            say(
                f"{share} looks like a percentage: give the fraction, e.g. 0.25 for 25%",
                f"{share} 看起来是百分数：请给出比例，例如 25% 写成 0.25",
            ),
            diagnosis="percentage",
        )
    top = sum(n for _, n in Counter(tokens).most_common(10))
    if abs(share - top) < 0.5:
        raise Wrong(
            say(
                f"{top:,} is how often the ten occur: divide by all {len(tokens):,} tokens",
                f"{top:,} 是这 10 个词元出现的总次数：还要除以全部 {len(tokens):,} 个词元",
            ),
            diagnosis="count-not-share",
        )
    if abs(share - _top10_share(split_text(the_verdict(), keep_whitespace=True))) < 0.005:
        raise Wrong(
            say(
                "that is the share with whitespace tokens kept (the space alone is frequent); "
                "use the 4,690 tokens of split_text",
                "这是保留空白词元时的比例（单是空格就很常见）；请用 split_text 得到的 4,690 个词元",
            ),
            diagnosis="whitespace-kept",
        )
    if abs(share - 10 / len(set(tokens))) < 0.001:
        raise Wrong(
            say(
                "that is 10 out of the distinct tokens; the question is what share of all "
                "4,690 tokens are occurrences of the ten most frequent",
                "这是 10 除以不同词元的个数；题目问的是：在全部 4,690 个词元中，"
                "最常见的 10 个词元的出现次数占多大比例",
            ),
            diagnosis="share-of-distinct",
        )
    raise Wrong(
        say(
            f"{share:.4f} is not it: count the occurrences of the ten most frequent tokens",
            f"{share:.4f} 不对：数一数最常见的 10 个词元一共出现了多少次",
        )
    )


register(
    Exercise(
        id="01.3",
        title=Said("How much do ten tokens cover?", "10 个词元占了多少？"),
        task=Said(
            "What fraction of all 4,690 tokens of the story are occurrences of its 10 "
            "most frequent tokens? Give a number between 0 and 1 (a float, or a "
            "`Fraction`), not a percentage.",
            "在小说的全部 4,690 个词元中，最常见的 10 个词元的出现次数占多大比例？"
            "给出一个 0 到 1 之间的数（浮点数或 `Fraction` 都可以），不要写成百分数。",
        ),
        reference=lambda: _top10_share(split_text(the_verdict())),
        judge=_judge_share,
        answer_name="share",
        solution_code=(
            "from collections import Counter\n\n"
            "tokens = split_text(raw_text)\n"
            "top10 = Counter(tokens).most_common(10)\n"
            "share = sum(n for _, n in top10) / len(tokens)\nshare"
        ),
        explanation=Said(
            "`Counter.most_common(10)` gives the ten most frequent tokens with their "
            "counts; their sum over the number of tokens is the share.",
            "`Counter.most_common(10)` 给出最常见的 10 个词元及其次数；次数之和除以词元总数，"
            "就是这个比例。",
        ),
        hints=(
            Said(
                "A share is a part over a whole. What is the part here (the ten tokens, "
                "counted how?), and what is the whole?",
                "比例就是部分除以整体。这里的部分是什么（这 10 个词元，要怎么数？），"
                "整体又是什么？",
            ),
            Said(
                "`collections.Counter` counts how often each token occurs; its "
                "`most_common(10)` method gives the ten most frequent, each with its count.",
                "`collections.Counter` 统计每个词元出现的次数；它的 `most_common(10)` "
                "方法给出最常见的 10 个词元，每个都附带它的次数。",
            ),
            Said(
                "Add up the ten counts and divide by `len(tokens)`, all the tokens of "
                "`split_text(raw_text)`.",
                "把这 10 个次数加起来，再除以 `len(tokens)`，也就是 `split_text(raw_text)` "
                "的全部词元数。",
            ),
        ),
    )
)


# ---- 01.4 -------------------------------------------------------------------------


def _spelled(group: list[str]) -> str:
    """`HAD`, `Had` and `had`: spellings of one word, for a message."""
    quoted = [f"`{t}`" for t in group]
    return say(
        ", ".join(quoted[:-1]) + " and " + quoted[-1], "、".join(quoted[:-1]) + " 和 " + quoted[-1]
    )


def _lowered_message(tokens: set[str], right: int) -> str:
    """What lower-casing the story merged and what it lost, read off its tokens."""
    spellings: dict[str, list[str]] = {}
    for token in sorted(tokens):
        spellings.setdefault(token.lower(), []).append(token)
    merged = [spellings[w] for w in ("the", "had") if len(spellings.get(w, ())) > 1]
    name = next((t for t in ("Jack", "Gisburn") if t in tokens and t.lower() not in tokens), None)
    examples = say("; ", "；").join(_spelled(group) for group in merged)
    named = (
        say(
            f", and whether it is a name: `{name}` becomes `{name.lower()}`, the token the "
            f"common word *{name.lower()}* would get (the story has no such word, so "
            f"nothing merged there)",
            f"，以及它是不是名字：`{name}` 变成了 `{name.lower()}`，也就是普通单词 "
            f"*{name.lower()}* 会得到的那个词元（小说里没有这个词，所以这里没有合并）",
        )
        if name
        else ""
    )
    return say(
        f"{right:,} distinct tokens, {len(tokens) - right} fewer: spellings that differ only "
        f"in case ({examples}) are now one token each. What is lost: whether a word starts a "
        f"sentence or is shouted{named}.",
        f"{right:,} 个不同的词元，少了 {len(tokens) - right} 个：只有大小写不同的拼写"
        f"（{examples}）现在各自合成了一个词元。丢掉的信息是：一个词是否位于句首、是否大写强调"
        f"{named}。",
    )


def _judge_lower(answer: Any, right: int) -> str:
    n = as_int(answer)
    story = the_verdict()
    if n == right:
        return _lowered_message(set(split_text(story)), right)
    if n == len(set(split_text(story))):
        raise Wrong(
            say(
                "that is the count before lower-casing: apply `.lower()` to the text first",
                "这是转成小写之前的个数：先对文本调用 `.lower()`",
            ),
            diagnosis="not-lowercased",
        )
    if n == len(set(re.split(SPLIT_PATTERN, story.lower()))):
        raise Wrong(
            say(
                "your count includes the empty string and the whitespace tokens of re.split's "
                "raw output: drop them with `if item.strip()`",
                "你的计数包含了 re.split 原始输出中的空字符串和空白词元：用 "
                "`if item.strip()` 把它们去掉",
            ),
            diagnosis="empty-strings-kept",
        )
    if n == len(set(split_text(story.lower(), keep_whitespace=True))):
        raise Wrong(
            say(
                "your count includes `' '` and `'\\n'`: drop whitespace tokens",
                "你的计数包含了 `' '` 和 `'\\n'`：要去掉空白词元",
            ),
            diagnosis="whitespace-kept",
        )
    raise Wrong(
        say(
            f"{n:,} is not it: lower-case the text, split it, count the distinct tokens",
            f"{n:,} 不对：把文本转成小写，切分，再数一数有多少个不同的词元",
        )
    )


register(
    Exercise(
        id="01.4",
        title=Said("Lower-case first", "先转成小写"),
        task=Said(
            "Lower-case the story before splitting it with `split_text`. How many "
            "distinct tokens remain? Then think: what information did lower-casing lose?",
            "先把小说转成小写，再用 `split_text` 切分。还剩多少个不同的词元？"
            "再想一想：转成小写丢掉了什么信息？",
        ),
        reference=lambda: len(set(split_text(the_verdict().lower()))),
        judge=_judge_lower,
        answer_name="n_distinct",
        solution_code="n_distinct = len(set(split_text(raw_text.lower())))\nn_distinct",
        explanation=Said(
            "Lower-casing merges `The` and `the`, `HAD` and `had` into one token each. The "
            "model can no longer tell a name from a word or see where sentences start, "
            "which is why GPT's tokenizer keeps case.",
            "转成小写后，`The` 和 `the`、`HAD` 和 `had` 各自合成了一个词元。模型再也分不清"
            "人名和普通单词，也看不出句子从哪里开始，所以 GPT 的分词器保留大小写。",
        ),
        hints=(
            Said(
                "Lower-casing changes the text before it is cut. Which comes first, and how "
                "do you count distinct tokens rather than all of them?",
                "转成小写是在切分之前改动文本。哪一步先做？怎样数不同的词元，而不是全部词元？",
            ),
            Said(
                "`raw_text.lower()` is the lower-cased story; `split_text` cuts it as before, "
                "and a `set` keeps each token once.",
                "`raw_text.lower()` 就是转成小写的小说；`split_text` 照旧切分它，"
                "`set` 让每个词元只保留一次。",
            ),
            Said(
                "`len(set(split_text(raw_text.lower())))`.",
                "即 `len(set(split_text(raw_text.lower())))`。",
            ),
        ),
    )
)
