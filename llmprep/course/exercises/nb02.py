"""Exercises of notebook 02 (vocabulary): build a vocabulary, unknown words, special
tokens, a lossless decode, and SimpleTokenizerV1 written by the learner."""

from __future__ import annotations

import functools
import re
from typing import Any

from llmprep.course.exercises.answers import Wrong, as_float, as_int, describe, difference
from llmprep.course.exercises.core import Exercise, register, the_verdict, verdict_tokens
from llmprep.course.exercises.sandbox import call
from llmprep.course.language import Said, say
from llmprep.simple import (
    SPECIAL_TOKENS,
    SPLIT_PATTERN,
    SimpleTokenizerV2,
    build_vocab,
    split_text,
)

CONTEXT = """
import re
from llmprep import SPECIAL_TOKENS, SimpleTokenizerV2, build_vocab, load_text, split_text
raw_text = load_text("the-verdict")
preprocessed = split_text(raw_text)
tokens_ws = split_text(raw_text, keep_whitespace=True)
vocab_ws = build_vocab(tokens_ws, special_tokens=SPECIAL_TOKENS)
tokenizer_ws = SimpleTokenizerV2(vocab_ws, keep_whitespace=True)
"""

#: The pattern of an early version of the book's code: no ":" or ";" (4,649 tokens, 1,159
#: distinct). Its diagnosis keeps the key "first-printing-pattern" (progress files use it).
OLDER_PATTERN = r'([,.?_!"()\']|--|\s)'


# ---- 02.1 -------------------------------------------------------------------------


def _size_mistakes() -> dict[int, tuple[str, str]]:
    """Vocabulary sizes learners arrive at, and the mistake behind each (its message and
    its diagnosis)."""
    story, n_special = the_verdict(), len(SPECIAL_TOKENS)
    older = {t for t in re.split(OLDER_PATTERN, story) if t.strip()}
    raw = set(re.split(SPLIT_PATTERN, story))
    words = len(set(verdict_tokens()))
    whitespace = sorted(t for t in raw if t and not t.strip())
    spaces = " + ".join(repr(t) for t in whitespace)
    empty = (
        say(
            f"{len(raw):,} = {words:,} words + {spaces} + '' (the empty string): "
            f"the vocabulary was built from re.split's raw output, which "
            f"keeps whitespace and the empty strings between adjacent separators. Drop them "
            f"with `if item.strip()`",
            f"{len(raw):,} = {words:,} 个单词 + {spaces} + ''（空字符串）：这个词表是用 "
            f"re.split 的原始输出构建的，其中保留了空白，以及相邻分隔符之间的空字符串。"
            f"用 `if item.strip()` 把它们去掉",
        ),
        "empty-strings-kept",
    )
    n_older = sum(1 for t in re.split(OLDER_PATTERN, story) if t.strip())
    old = (
        say(
            f"{len(older):,} distinct tokens come from the pattern of an early version of "
            f"the book's code, without `:` and `;` ({n_older:,} tokens), so words like "
            f"'him:' stay glued to their colon. Use `{SPLIT_PATTERN.pattern}`",
            f"{len(older):,} 个不同的词元，来自书中代码的早期版本里不含 `:` 和 `;` 的模式（共 "
            f"{n_older:,} 个词元），所以 'him:' 这样的词仍和冒号粘在一起。请改用 "
            f"`{SPLIT_PATTERN.pattern}`",
        ),
        "first-printing-pattern",
    )
    return {
        len(older): old,
        len(older) + n_special: old,
        len(raw): empty,
        len(raw) + n_special: empty,
        words: (
            say(
                f"{words:,} is right for the words alone: add `<|endoftext|>` and `<|unk|>`",
                f"只算单词的话，{words:,} 是对的：还要加上 `<|endoftext|>` 和 `<|unk|>`",
            ),
            "special-tokens-missing",
        ),
        words + len(whitespace) + n_special: (
            say(
                "your vocabulary has whitespace tokens (`' '`, `'\\n'`): build it from tokens "
                "with whitespace dropped",
                "你的词表里有空白词元（`' '`、`'\\n'`）：请用去掉空白之后的词元来构建",
            ),
            "whitespace-kept",
        ),
    }


def _judge_vocab(answer: Any, right: dict[str, int]) -> str:
    if not isinstance(answer, dict):
        if isinstance(answer, str):
            raise Wrong(
                say(
                    f"expected the vocabulary, a dict from token to id, got the string "
                    f"{answer!r:.40}: build the dict (`{{token: id, ...}}`)",
                    f"这里需要词表，也就是一个从词元到 ID 的字典，你给的是字符串 {answer!r:.40}："
                    f"请构建这个字典（`{{token: id, ...}}`）",
                )
            )
        n = as_int(
            answer,
            say("the vocabulary: a dict from token to id", "词表：一个从词元到 ID 的字典"),
        )
        if n == len(right):
            raise Wrong(
                say(
                    f"{n:,} is the right size; now give the dict itself, token -> id",
                    f"{n:,} 这个大小是对的；现在请给出字典本身，词元 -> ID",
                )
            )
        not_it = say(
            f"a vocabulary of {n:,} entries is not the right size", f"{n:,} 个条目的词表大小不对"
        )
        message, diagnosis = _size_mistakes().get(n, (not_it, None))
        raise Wrong(message, diagnosis=diagnosis)
    bad = [k for k, v in answer.items() if not isinstance(k, str) or isinstance(v, bool)]
    if bad or not all(isinstance(v, int) for v in answer.values()):
        raise Wrong(
            say(
                "the vocabulary maps each token (a str) to its id (an int)",
                "词表把每个词元（str）映射到它的 ID（int）",
            )
        )
    if answer == right:
        return say(
            f"{len(right):,} entries: {len(right) - 2:,} sorted tokens with ids "
            f"0..{len(right) - 3:,}, then `<|endoftext|>` {right['<|endoftext|>']:,} and "
            f"`<|unk|>` {right['<|unk|>']:,}.",
            f"共 {len(right):,} 个条目：{len(right) - 2:,} 个排好序的词元，ID 为 "
            f"0..{len(right) - 3:,}，然后是 `<|endoftext|>` {right['<|endoftext|>']:,} 和 "
            f"`<|unk|>` {right['<|unk|>']:,}。",
        )
    if "" in answer or any(not k.strip() for k in answer):
        message, diagnosis = _size_mistakes()[len(set(re.split(SPLIT_PATTERN, the_verdict())))]
        raise Wrong(message, diagnosis=diagnosis)
    if any(k.endswith((":", ";")) and len(k) > 1 for k in answer):
        glued = next(k for k in answer if k.endswith((":", ";")) and len(k) > 1)
        message, diagnosis = _size_mistakes()[len(answer) - 2]
        raise Wrong(
            say(
                f"{glued!r} is one of your tokens. {message}",
                f"{glued!r} 是你的词元之一。{message}",
            ),
            diagnosis=diagnosis,
        )
    missing = [t for t in SPECIAL_TOKENS if t not in answer]
    if missing:
        raise Wrong(
            say(
                f"{' and '.join(missing)} missing: add the special tokens after the words",
                f"缺少 {' 和 '.join(missing)}：把特殊词元加在单词之后",
            ),
            diagnosis="special-tokens-missing",
        )
    first, second = SPECIAL_TOKENS
    words_right = all(answer.get(t) == i for t, i in right.items() if t not in SPECIAL_TOKENS)
    if words_right and (answer[first], answer[second]) == (right[second], right[first]):
        raise Wrong(
            say(
                f"the two special tokens are swapped: `{first}` has id {answer[first]:,} and "
                f"`{second}` {answer[second]:,}. They follow the words in the order of "
                f"SPECIAL_TOKENS, `{first}` first ({right[first]:,}), then `{second}` "
                f"({right[second]:,})",
                f"两个特殊词元的顺序颠倒了：`{first}` 的 ID 是 {answer[first]:,}，`{second}` 的"
                f"是 {answer[second]:,}。它们按 SPECIAL_TOKENS 的顺序排在单词之后：先是 "
                f"`{first}`（{right[first]:,}），然后是 `{second}`（{right[second]:,}）",
            ),
            diagnosis="special-tokens-swapped",
        )
    for token, i in right.items():
        if answer.get(token) != i:
            special = token in SPECIAL_TOKENS
            raise Wrong(
                say(
                    f"{token!r} has id {answer.get(token)!r}, expected {i:,}: ids count from 0 "
                    + ("after the sorted words" if special else "in sorted order"),
                    f"{token!r} 的 ID 是 {answer.get(token)!r}，应当是 {i:,}："
                    + (
                        "ID 从 0 开始编号，特殊词元排在排好序的单词之后"
                        if special
                        else "ID 从 0 开始，按排好的顺序编号"
                    ),
                ),
                diagnosis="ids-not-sorted-from-0",
            )
    extra = sorted(set(answer) - set(right))
    raise Wrong(
        say(
            f"tokens that are not in the story's vocabulary: {extra[:5]}",
            f"这些词元不在小说的词表里：{extra[:5]}",
        )
    )


register(
    Exercise(
        id="02.1",
        title=Said("Build the vocabulary yourself", "自己构建词表"),
        task=Said(
            "Without `build_vocab`: make the story's vocabulary as a dict from token to "
            "id, from `preprocessed`, the way step 1, 2 and 5 do it: the distinct tokens "
            "sorted and numbered from 0, then `<|endoftext|>` and `<|unk|>`.",
            "不用 `build_vocab`：从 `preprocessed` 出发，按第 1、2、5 步的做法，把小说的词表"
            "做成一个从词元到 ID 的字典：不同的词元排好序，从 0 开始编号，然后是 "
            "`<|endoftext|>` 和 `<|unk|>`。",
        ),
        reference=lambda: build_vocab(verdict_tokens(), special_tokens=SPECIAL_TOKENS),
        judge=_judge_vocab,
        answer_name="my_vocab",
        solution_code=(
            "all_tokens = sorted(set(preprocessed))\n"
            'all_tokens.extend(["<|endoftext|>", "<|unk|>"])\n'
            "my_vocab = {token: integer for integer, token in enumerate(all_tokens)}\n"
            "len(my_vocab)"
        ),
        explanation=Said(
            "`set` keeps each token once, `sorted` makes the order (and so the ids) the "
            "same on every run, `enumerate` numbers from 0, and the special tokens go last "
            "so that the words keep their ids.",
            "`set` 让每个词元只保留一次，`sorted` 让顺序（也就是 ID）每次运行都相同，"
            "`enumerate` 从 0 开始编号，特殊词元放在最后，这样单词的 ID 保持不变。",
        ),
        hints=(
            Said(
                "Three steps: keep each distinct token once, put them in a fixed order, then "
                "number them from 0. Which built-ins do each of these?",
                "分三步：每个不同的词元只保留一次，把它们排成固定的顺序，再从 0 开始编号。"
                "每一步分别用哪个内置函数？",
            ),
            Said(
                "`set` keeps each token once and `sorted` orders them; the special tokens go "
                "at the end of that list, after the words.",
                "`set` 让每个词元只保留一次，`sorted` 给它们排序；特殊词元放在这个列表的末尾，"
                "排在单词之后。",
            ),
            Said(
                "`all_tokens = sorted(set(preprocessed))`, extend it with the two special "
                "tokens, then `{token: i for i, token in enumerate(all_tokens)}`.",
                "`all_tokens = sorted(set(preprocessed))`，用两个特殊词元扩展它，然后写 "
                "`{token: i for i, token in enumerate(all_tokens)}`。",
            ),
        ),
    )
)


# ---- 02.2 -------------------------------------------------------------------------


def _unknown_share(seen_tokens: Any, held_out: Any) -> float:
    seen = set(seen_tokens)
    return sum(t not in seen for t in held_out) / len(held_out)


def _split_80(tokens: Any) -> tuple[list[str], list[str]]:
    cut = int(0.8 * len(tokens))
    return list(tokens[:cut]), list(tokens[cut:])


def _judge_lower_unknown(answer: Any, right: float) -> str:
    share = as_float(answer, say("a fraction between 0 and 1", "一个 0 到 1 之间的比例"))
    seen, held = _split_80(verdict_tokens())
    low_seen, low_held = [t.lower() for t in seen], [t.lower() for t in held]
    before = _unknown_share(seen, held)
    if abs(share - right) < 0.0005:
        fewer = len(set(seen)) - len(set(low_seen))  # ids saved in this vocabulary
        return say(
            f"{right:.1%} unknown instead of {before:.1%}, and the vocabulary of the first "
            f"80% has {fewer} fewer ids ({len(set(low_seen)):,} instead of {len(set(seen)):,}). "
            f"A smaller vocabulary covers more, but the model can no longer tell `The` "
            f"from `the`.",
            f"未知的比例是 {right:.1%}，而不是 {before:.1%}；前 80% 构建的词表也少了 {fewer} 个 "
            f"ID（{len(set(low_seen)):,} 个，而不是 {len(set(seen)):,} 个）。"
            f"词表小了，覆盖的反而更多，但模型再也分不清 `The` 和 `the`。",
        )
    if abs(share - 100 * right) < 0.05:
        raise Wrong(
            say(
                f"{share} looks like a percentage: give the fraction, e.g. 0.10 for 10%",
                f"{share} 看起来是百分数：请给出比例，例如 10% 写成 0.10",
            ),
            diagnosis="percentage",
        )
    if abs(share - before) < 0.0005:
        raise Wrong(
            say(
                "that is the share without lower-casing (step 4): lower-case both parts",
                "这是不转小写时的比例（第 4 步）：要把两部分都转成小写",
            ),
            diagnosis="not-lowercased",
        )
    if abs(share - _unknown_share(low_seen, held)) < 0.0005:
        raise Wrong(
            say(
                "you lower-cased the vocabulary but not the held-out tokens, so every "
                "capitalised word counts as unknown: lower-case both",
                "你把词表转成了小写，却没有转换留出的词元，所以每个首字母大写的词都被算作"
                "未知：两者都要转成小写",
            ),
            diagnosis="held-out-not-lowercased",
        )
    if abs(share - _unknown_share(seen, low_held)) < 0.0005:
        raise Wrong(
            say(
                "you lower-cased the held-out tokens but not the vocabulary: do both",
                "你把留出的词元转成了小写，却没有转换词表：两者都要转",
            ),
            diagnosis="vocabulary-not-lowercased",
        )
    raise Wrong(
        say(
            f"{share:.4f} is not it: build the vocabulary from the first 80% of the "
            f"lower-cased tokens and count unknown tokens in the rest",
            f"{share:.4f} 不对：用转成小写的词元的前 80% 构建词表，再数一数其余部分中"
            f"有多少未知词元",
        )
    )


register(
    Exercise(
        id="02.2",
        title=Said("Fewer unknown words by lower-casing?", "转成小写能减少未知单词吗？"),
        task=Said(
            "Repeat step 4's experiment for 80% with lower-cased tokens: build the "
            "vocabulary from the first 80% of `[t.lower() for t in preprocessed]` and "
            "give the share (0 to 1) of the last 20% that is unknown.",
            "用转成小写的词元重做第 4 步中 80% 的那次实验：用 "
            "`[t.lower() for t in preprocessed]` 的前 80% 构建词表，给出最后 20% 中"
            "未知词元所占的比例（0 到 1）。",
        ),
        reference=lambda: _unknown_share(*_split_80([t.lower() for t in verdict_tokens()])),
        judge=_judge_lower_unknown,
        answer_name="share",
        solution_code=(
            "lower = [t.lower() for t in preprocessed]\n"
            "cut = int(0.8 * len(lower))\n"
            "seen = set(lower[:cut])\n"
            "share = sum(t not in seen for t in lower[cut:]) / len(lower[cut:])\nshare"
        ),
        explanation=Said(
            "Both the vocabulary and the held-out tokens must be lower-cased, otherwise "
            "every capitalised word is 'unknown'. The share drops only a little: most "
            "unknown tokens are new words, not new spellings of known ones.",
            "词表和留出的词元都必须转成小写，否则每个首字母大写的词都成了“未知”。"
            "比例只下降了一点：大多数未知词元是新词，而不是已知词的另一种拼写。",
        ),
        hints=(
            Said(
                "Step 4 built the vocabulary from the first part of the tokens and counted "
                "the unknown ones in the rest. What has to be lower-cased for the comparison "
                "to be fair: the vocabulary, the rest, or both?",
                "第 4 步用词元的前一部分构建词表，再数其余部分中的未知词元。要让比较公平，"
                "哪些需要转成小写：词表、其余部分，还是两者都要？",
            ),
            Said(
                "Lower-case the token list once, `[t.lower() for t in preprocessed]`, then "
                "reuse step 4's code on it for the fraction 0.8.",
                "先把词元列表整体转成小写，`[t.lower() for t in preprocessed]`，"
                "再对它套用第 4 步的代码，比例取 0.8。",
            ),
            Said(
                "`cut = int(0.8 * len(lower))`, `seen = set(lower[:cut])`, and the share is "
                "the number of `t not in seen` among `lower[cut:]` over their count.",
                "`cut = int(0.8 * len(lower))`，`seen = set(lower[:cut])`；比例就是 "
                "`lower[cut:]` 中满足 `t not in seen` 的个数除以 `lower[cut:]` 的总数。",
            ),
        ),
    )
)


# ---- 02.3 -------------------------------------------------------------------------

PAD = "<|pad|>"


def _judge_pad(answer: Any, right: int) -> str:
    n = as_int(answer, say("an id (a whole number)", "一个 ID（整数）"))
    if n == right:
        return say(
            f"id {right:,}: special tokens follow the {right - 2:,} words and the two other "
            f"special tokens. A batch of sentences of different lengths is filled up with "
            f"a padding token to one length; GPT-2 has none and pads with "
            f"`<|endoftext|>`, leaving padded positions out of the loss.",
            f"ID 是 {right:,}：特殊词元排在 {right - 2:,} 个单词和另外两个特殊词元之后。"
            f"一个批次里长短不一的句子，要用填充词元补齐到同一长度；GPT-2 没有填充词元，"
            f"用 `<|endoftext|>` 来填充，填充的位置不计入损失。",
        )
    if n == right + 1:
        raise Wrong(
            say(
                f"{n:,} is the vocabulary's size; ids count from 0, so the last id is one less",
                f"{n:,} 是词表的大小；ID 从 0 开始编号，所以最后一个 ID 要少 1",
            ),
            diagnosis="size-not-id",
        )
    if n == len(set(verdict_tokens())):
        raise Wrong(
            say(
                f"{n:,} would be the first special token's id: list `{PAD}` after the other two",
                f"{n:,} 是第一个特殊词元的 ID：`{PAD}` 要排在另外两个之后",
            ),
            diagnosis="special-token-order",
        )
    raise Wrong(
        say(
            f"{n:,} is not it: build the vocabulary and look up `vocab[{PAD!r}]`",
            f"{n:,} 不对：构建词表，然后查 `vocab[{PAD!r}]`",
        )
    )


register(
    Exercise(
        id="02.3",
        title=Said("A padding token", "填充词元"),
        task=Said(
            f"Build the vocabulary with `special_tokens=(*SPECIAL_TOKENS, {PAD!r})`. "
            f"Which id does `{PAD}` get? Then think: why might a batch of sentences of "
            f"different lengths need one?",
            f"用 `special_tokens=(*SPECIAL_TOKENS, {PAD!r})` 构建词表。`{PAD}` 得到的 ID "
            f"是多少？再想一想：一个批次里长短不一的句子，为什么可能需要这样一个词元？",
        ),
        reference=lambda: build_vocab(verdict_tokens(), special_tokens=(*SPECIAL_TOKENS, PAD))[PAD],
        judge=_judge_pad,
        answer_name="pad_id",
        solution_code=(
            f'pad_id = build_vocab(preprocessed, special_tokens=(*SPECIAL_TOKENS, "{PAD}"))'
            f'["{PAD}"]\npad_id'
        ),
        explanation=Said(
            "The words get the ids from 0 up, then the special tokens follow in the order "
            "given, so `<|pad|>` gets the id after `<|unk|>`'s.",
            "单词从 0 开始依次得到 ID，特殊词元按给定的顺序排在后面，所以 `<|pad|>` 的 ID "
            "紧跟在 `<|unk|>` 之后。",
        ),
        hints=(
            Said(
                "Where in the vocabulary do the special tokens go, and in which order?",
                "特殊词元放在词表的什么位置？按什么顺序排？",
            ),
            Said(
                "The special tokens come after the words, in the order you list them: "
                "`<|endoftext|>` first, then `<|unk|>`, then `<|pad|>`.",
                "特殊词元排在单词之后，顺序就是你列出它们的顺序：先是 `<|endoftext|>`，"
                "然后是 `<|unk|>`，再是 `<|pad|>`。",
            ),
            Said(
                "The words take ids 0 to 1,129; count on from there.",
                "单词占用 ID 0 到 1,129；从那里接着往下数。",
            ),
        ),
    )
)


# ---- 02.4 -------------------------------------------------------------------------


def _judge_decode(answer: Any, right: tuple[list[int], str]) -> str:
    if not callable(answer):
        raise Wrong(
            say(
                f"expected a function `decode(ids) -> str`, got {describe(answer)}",
                f"这里需要一个函数 `decode(ids) -> str`，你给的是 {describe(answer)}",
            )
        )
    if _calls_decode(answer):
        raise Wrong(
            say(
                "your function calls a ready-made `decode` (the tokenizer's, it seems): the "
                "task is to write decode yourself from `tokenizer_ws.int_to_str`, without "
                "calling it",
                "你的函数调用了现成的 `decode`：这道题要你不用分词器自己的 decode，"
                "而是用 `tokenizer_ws.int_to_str` 亲手写出 decode",
            ),
            diagnosis="calls-decode",
        )
    ids, text = right
    for n in (1, 2, 10, 100, len(ids)):  # the smallest failing input is shown
        part = ids[:n]
        want = "".join(_lossless_tokenizer().int_to_str[i] for i in part)
        got = call(answer, part, what=say("your decode", "你的 decode 函数"))
        if not isinstance(got, str):
            raise Wrong(
                say(
                    f"decode should return a str, got {describe(got)}",
                    f"decode 应当返回 str，你的返回值是 {describe(got)}",
                ),
                diagnosis="not-a-string",
            )
        if got != want:
            details = difference(part, want, got)
            if len(got) > len(want) and got.replace(" ", "") == want.replace(" ", ""):
                raise Wrong(
                    say(
                        "you added spaces between tokens, but the spaces are tokens "
                        "themselves: join with `''`",
                        "你在词元之间加了空格，但空格本身就是词元：用 `''` 来拼接",
                    ),
                    details,
                    diagnosis="spaces-added",
                )
            if len(got) < len(want) and got.split() == want.split():
                longer = ids[:12]  # whitespace inside it, not only at its ends
                again = call(answer, longer, what=say("your decode", "你的 decode 函数"))
                whole = (
                    again == "".join(_lossless_tokenizer().int_to_str[i] for i in longer).strip()
                )
                raise Wrong(
                    say(
                        "your decode removes whitespace "
                        + (
                            "from the ends of the text (`.strip()`)"
                            if whole
                            else "(`.strip()` on each token, or `if t.strip()`)"
                        )
                        + ": with whitespace kept, the spaces and line breaks are tokens of "
                        "the text like any other; join every token as it is, with `''`",
                        "你的 decode 去掉了"
                        + (
                            "文本两端的空白（`.strip()`）"
                            if whole
                            else "空白（对每个词元调用 `.strip()`，或者用 `if t.strip()` 过滤）"
                        )
                        + "：保留空白时，空格和换行和其他词元一样，都是文本的一部分；"
                        "把每个词元原样用 `''` 拼接起来",
                    ),
                    details,
                    diagnosis="whitespace-stripped",
                )
            raise Wrong(
                say(
                    "look up each id in `tokenizer_ws.int_to_str` and join with `''`",
                    "在 `tokenizer_ws.int_to_str` 中查出每个 ID 对应的词元，再用 `''` 拼接",
                ),
                details,
            )
    return say(
        f"your decode gives back all {len(text):,} characters of the story exactly. It is "
        f"simpler than join_tokens because nothing was thrown away: there is nothing "
        f"to guess.",
        f"你的 decode 原样还原了小说的全部 {len(text):,} 个字符。它比 join_tokens 简单，"
        f"因为什么都没有丢掉：没有什么需要猜。",
    )


def _calls_decode(function: Any) -> bool:
    """Whether ``function`` is a tokenizer's ``decode``, or calls one without looking ids up
    in ``int_to_str`` itself (its code names `decode` and not `int_to_str`)."""
    if getattr(function, "__name__", "") == "decode" and hasattr(
        getattr(function, "__self__", None), "int_to_str"
    ):
        return True
    code = getattr(function, "__code__", None)
    names: set[str] = set()
    stack = [code] if code is not None else []
    while stack:
        current = stack.pop()
        names |= set(current.co_names)
        stack += [c for c in current.co_consts if hasattr(c, "co_names")]
    return "decode" in names and "int_to_str" not in names


@functools.cache
def _lossless_tokenizer() -> SimpleTokenizerV2:
    vocab = build_vocab(
        split_text(the_verdict(), keep_whitespace=True), special_tokens=SPECIAL_TOKENS
    )
    return SimpleTokenizerV2(vocab, keep_whitespace=True)


register(
    Exercise(
        id="02.4",
        title=Said("A one-line decode", "一行写成的 decode"),
        task=Said(
            "Write `decode(ids)` for step 6's keep-whitespace tokenizer `tokenizer_ws` in "
            "one line (a `lambda` or a `def` with one `return`), without calling its "
            "`decode`. Why is it so much simpler than `join_tokens`?",
            "为第 6 步保留空白的分词器 `tokenizer_ws` 写一个 `decode(ids)`，只用一行"
            "（一个 `lambda`，或者只有一条 `return` 的 `def`），不能调用它自己的 `decode`。"
            "为什么它比 `join_tokens` 简单得多？",
        ),
        reference=lambda: (_lossless_tokenizer().encode(the_verdict()), the_verdict()),
        judge=_judge_decode,
        answer_name="decode",
        solution_code=(
            'decode = lambda ids: "".join(tokenizer_ws.int_to_str[i] for i in ids)\n'
            'decode(tokenizer_ws.encode("It was fun."))'
        ),
        explanation=Said(
            "With whitespace kept, the tokens *are* the text, cut into pieces: "
            "concatenating them gives it back. `join_tokens` has to guess spaces "
            "because the tokenizer threw them away.",
            "保留空白时，词元*就是*被切成小块的文本：把它们首尾相接，就得到原文。"
            "`join_tokens` 必须猜空格，是因为那个分词器把空格丢掉了。",
        ),
        hints=(
            Said(
                "With whitespace kept, what do you get when you put all the tokens of a text "
                "side by side, in order?",
                "保留空白时，把一段文本的所有词元按顺序一个挨一个排起来，会得到什么？",
            ),
            Said(
                "`tokenizer_ws.int_to_str[i]` is the token of id `i`; `''.join(...)` puts "
                "tokens side by side with nothing between them.",
                "`tokenizer_ws.int_to_str[i]` 是 ID `i` 对应的词元；`''.join(...)` "
                "把词元一个挨一个地连起来，中间什么也不加。",
            ),
            Said(
                "`lambda ids: ''.join(tokenizer_ws.int_to_str[i] for i in ids)`.",
                "即 `lambda ids: ''.join(tokenizer_ws.int_to_str[i] for i in ids)`。",
            ),
        ),
    )
)
