"""Exercises of notebook 03 (BPE): the book's exercise 2.1, single-token words, a small
tokenizer on new text, merges in a saved file, languages (the merge loop written by the
learner is in :mod:`nb03_build`)."""

from __future__ import annotations

import functools
from typing import Any

from llmprep.bpe import BPETokenizer
from llmprep.course.exercises.answers import (
    Wrong,
    as_int,
    as_int_list,
    as_pair,
    as_str,
    difference,
)
from llmprep.course.exercises.core import Exercise, register
from llmprep.course.language import Said, say
from llmprep.gpt2 import gpt2_encoding
from llmprep.simple import load_text

CONTEXT = """
from llmprep import BPETokenizer, gpt2_encoding, load_text
raw_text = load_text("the-verdict")
tokenizer = gpt2_encoding()
trained = BPETokenizer.train(raw_text, 1000)
"""

UNKNOWN_WORDS = "Akwirw ier"
NEW_SENTENCE = (
    "It is a truth universally acknowledged, that a single man in possession of a good "
    "fortune, must be in want of a wife."
)
ENGLISH, CHINESE = "The weather is very nice today.", "今天天气很好。"


@functools.cache
def _story() -> str:
    return load_text("the-verdict")


@functools.cache
def _trained(vocab_size: int) -> BPETokenizer:
    return BPETokenizer.train(_story(), vocab_size)


# ---- book 2.1 ---------------------------------------------------------------------


def _judge_akwirw(answer: Any, right: list[int]) -> str:
    if isinstance(answer, (list, tuple)) and answer and all(isinstance(a, str) for a in answer):
        raise Wrong(
            say(
                "these are strings, the decoded pieces: the check wants the ids, what "
                "`tokenizer.encode` returns",
                "这些是字符串，也就是解码出来的片段：检查要的是 ID，即 `tokenizer.encode` 的返回值",
            ),
            diagnosis="pieces-not-ids",
        )
    if isinstance(answer, str):
        raise Wrong(
            say(
                "that is text: give the list of ids that `tokenizer.encode` returns",
                "这是文本：请给出 `tokenizer.encode` 返回的 ID 列表",
            ),
            diagnosis="pieces-not-ids",
        )
    ids = as_int_list(answer, say("the list of token ids", "词元 ID 列表"))
    if ids == right:
        pieces = [gpt2_encoding().decode([i]) for i in ids]
        return say(
            f"{len(ids)} tokens {pieces} for two made-up words: BPE spells what it does "
            f"not know with smaller known pieces, and `decode(ids)` gives back "
            f"{UNKNOWN_WORDS!r} exactly.",
            f"两个编造的词用了 {len(ids)} 个词元 {pieces}：BPE 用更小的已知片段拼写它不认识的"
            f"词，`decode(ids)` 能原样还原 {UNKNOWN_WORDS!r}。",
        )
    if ids == _trained(1000).encode(UNKNOWN_WORDS):
        raise Wrong(
            say(
                "these are the ids of the tokenizer trained on the story: use GPT-2's",
                "这些是在小说上训练的分词器给出的 ID：请用 GPT-2 的分词器",
            ),
            diagnosis="wrong-tokenizer",
        )
    if ids == gpt2_encoding().encode(UNKNOWN_WORDS.replace(" ", "")):
        raise Wrong(
            say(
                "the space is missing: encode exactly 'Akwirw ier'",
                "少了空格：要编码的正是 'Akwirw ier'",
            ),
            diagnosis="space-lost",
        )
    raise Wrong(
        say(f"not GPT-2's ids for {UNKNOWN_WORDS!r}", f"这不是 GPT-2 给 {UNKNOWN_WORDS!r} 的 ID"),
        difference(UNKNOWN_WORDS, right, ids),
    )


register(
    Exercise(
        id="book-2.1",
        title=Said(
            "Unknown words in BPE (the book's exercise 2.1)", "BPE 中的未知单词（书中的练习 2.1）"
        ),
        task=Said(
            f"Encode the made-up words `{UNKNOWN_WORDS}` with GPT-2's tokenizer (`tokenizer` "
            f"above) and give the list of ids. Then decode each id on its own, and all of "
            f"them together: do you get the input back?",
            f"用 GPT-2 的分词器（上面的 `tokenizer`）编码两个编造的词 `{UNKNOWN_WORDS}`，"
            f"给出 ID 列表。然后把每个 ID 单独解码，再把所有 ID 一起解码：能得到原来的输入吗？",
        ),
        reference=lambda: gpt2_encoding().encode(UNKNOWN_WORDS),
        judge=_judge_akwirw,
        answer_name="ids",
        solution_code=(
            'ids = tokenizer.encode("Akwirw ier")\n'
            "print([tokenizer.decode([i]) for i in ids])\n"
            "print(tokenizer.decode(ids))\nids"
        ),
        explanation=Said(
            "GPT-2 has no token for either word, so BPE falls back to pieces it has: "
            "`Ak|w|ir|w| |ier`. Every piece is a known token, nothing is `<|unk|>`, and "
            "decoding the ids together restores the text.",
            "GPT-2 没有对应这两个词的词元，所以 BPE 退而使用它已有的片段：`Ak|w|ir|w| |ier`。"
            "每个片段都是已知的词元，没有一个是 `<|unk|>`，把这些 ID 一起解码就能还原文本。",
        ),
        hints=(
            Said(
                "The tokenizer above has two methods, one from text to ids and one back. "
                "Which do you need, and what exactly is the text?",
                "上面的分词器有两个方法，一个把文本变成 ID，一个反过来。你需要哪一个？"
                "要处理的文本到底是什么？",
            ),
            Said(
                "`tokenizer.encode(text)` gives the ids of the whole text, its space "
                "included; `tokenizer.decode([i])` is the piece of one id.",
                "`tokenizer.encode(text)` 给出整段文本的 ID，其中的空格也算在内；"
                "`tokenizer.decode([i])` 是单个 ID 对应的片段。",
            ),
            Said(
                "`ids = tokenizer.encode('Akwirw ier')`.",
                "即 `ids = tokenizer.encode('Akwirw ier')`。",
            ),
        ),
    ),
    notebook="03",
)


# ---- 03.1 -------------------------------------------------------------------------


def _judge_words(answer: Any, right: None) -> str:
    word = say("a word", "一个单词")
    pair = as_pair(answer, say("two words", "两个单词"))
    single, split = (as_str(w, word).strip() for w in pair)
    encode = gpt2_encoding().encode
    for given in (single, split):
        others = sorted({c for c in given if not c.isalpha()})
        if others or not given:
            raise Wrong(
                say(
                    f"{given!r} is not a word: "
                    + (
                        f"it has characters that are not letters ({' '.join(map(repr, others))})"
                        if others
                        else "it is empty"
                    )
                    + ". Give two single words of letters only",
                    f"{given!r} 不是一个单词："
                    + (
                        f"它含有不是字母的字符（{' '.join(map(repr, others))}）"
                        if others
                        else "它是空的"
                    )
                    + "。请给出两个只由字母组成的单词",
                ),
                diagnosis="not-a-word",
            )
    if len(single) < 6:
        raise Wrong(
            say(
                f"{single!r} has {len(single)} letters: the single-token word should have at "
                f"least six",
                f"{single!r} 只有 {len(single)} 个字母：编码为单个词元的那个单词至少要有六个字母。",
            ),
            diagnosis="word-too-short",
        )
    n_single, n_split = len(encode(" " + single)), len(encode(" " + split))
    if n_single != 1:
        alone = len(encode(single))
        raise Wrong(
            say(
                f"' {single}' (with its leading space, as inside a sentence) is {n_single} "
                f"tokens, not one" + (" (without the space it is one)" if alone == 1 else ""),
                f"' {single}'（带前导空格，就像在句子中间那样）是 {n_single} 个词元，"
                f"而不是一个" + ("（不带空格时是一个）" if alone == 1 else ""),
            ),
            diagnosis="leading-space" if alone == 1 else "not-one-token",
        )
    if n_split < 4:
        raise Wrong(
            say(
                f"' {split}' is {n_split} tokens; find one that needs four or more",
                f"' {split}' 是 {n_split} 个词元；请找一个需要四个或更多词元的单词",
            ),
            diagnosis="too-few-tokens",
        )
    pieces = "|".join(gpt2_encoding().decode([i]) for i in encode(" " + split))
    note = (
        say(
            f" Without its space, {single!r} at the start of a text is "
            f"{len(encode(single))} tokens: GPT-2's tokens carry the leading space.",
            f"不带空格、位于文本开头时，{single!r} 是 {len(encode(single))} 个词元："
            f"GPT-2 的词元带着前导空格。",
        )
        if len(encode(single)) > 1
        else ""
    )
    return say(
        f"' {single}' is one token and ' {split}' is {n_split} ({pieces}). Frequent words "
        f"of the training text became tokens of their own; rare ones are spelled in "
        f"pieces.{note}",
        f"' {single}' 是一个词元，' {split}' 是 {n_split} 个（{pieces}）。训练语料中的常见词"
        f"成了独立的词元，罕见词则用片段拼写。{note}",
    )


register(
    Exercise(
        id="03.1",
        title=Said("One token or many?", "一个词元还是多个？"),
        task=Said(
            "Find a word of at least six letters that GPT-2 encodes as a single token "
            "inside a sentence (that is, with a space before it), and one that needs four "
            "or more tokens. Give them as a pair `(single, many)`. What makes the "
            "difference?",
            "找一个至少有六个字母的单词，GPT-2 在句子中间（也就是前面有空格时）把它编码为"
            "单个词元；再找一个需要四个或更多词元的单词。以二元组 `(single, many)` 作答。"
            "是什么造成了这种差别？",
        ),
        reference=lambda: None,
        judge=_judge_words,
        answer_name="words",
        solution_code=(
            'words = ("unbelievably", "onomatopoeia")\n'
            '[len(tokenizer.encode(" " + w)) for w in words]'
        ),
        explanation=Said(
            "GPT-2 learned its merges from web text: frequent words (` between`, "
            "` unbelievably`) became single tokens, rare ones (` onomatopoeia`) are "
            "spelled in pieces. Most tokens begin with a space, so the same word at the "
            "start of a text (no space) may cost more: `unbelievably` alone is four "
            "tokens.",
            "GPT-2 的合并规则是从网页文本中学到的：常见词（` between`、` unbelievably`）"
            "成了单个词元，罕见词（` onomatopoeia`）则用片段拼写。大多数词元以空格开头，"
            "所以同一个词出现在文本开头（前面没有空格）时可能要多花词元：单独的 "
            "`unbelievably` 是四个词元。",
        ),
        hints=(
            Said(
                "Which words did GPT-2 see most often in its training text? Try a few "
                "common long words and a few rare ones.",
                "GPT-2 在训练语料中最常见到哪些词？试几个常见的长单词，再试几个罕见的。",
            ),
            Said(
                "Common English words are often one token; rare or technical words are "
                "spelled in pieces.",
                "常见的英语单词往往是一个词元；罕见词或专业词汇则用片段拼写。",
            ),
            Said(
                "`len(tokenizer.encode(' ' + word))` counts a word's tokens as it would be "
                "inside a sentence, with its leading space.",
                "`len(tokenizer.encode(' ' + word))` 数的是一个单词在句子中间"
                "（带前导空格）时的词元数。",
            ),
        ),
    )
)


# ---- 03.2 -------------------------------------------------------------------------


def _judge_new_text(answer: Any, right: int) -> str:
    n = as_int(answer, say("a number of tokens", "词元的个数"))
    if n == right:
        gpt2 = len(gpt2_encoding().encode(NEW_SENTENCE))
        return say(
            f"{right} tokens, against GPT-2's {gpt2}: 500 tokens learned from one short "
            f"story know its words, not Jane Austen's, so her sentence is spelled in "
            f"small pieces.",
            f"{right} 个词元，而 GPT-2 只要 {gpt2} 个：从一篇短篇小说学到的 500 个词元认识的"
            f"是这篇小说里的词，而不是简·奥斯汀的，所以她的句子只能用小片段来拼写。",
        )
    mistakes = {
        len(gpt2_encoding().encode(NEW_SENTENCE)): (
            say(
                "that is GPT-2's count: train your own",
                "这是 GPT-2 的词元数：请训练你自己的分词器",
            ),
            "gpt2-count",
        ),
        len(_trained(1000).encode(NEW_SENTENCE)): (
            say(
                "that is the 1,000-token tokenizer's count",
                "这是 1,000 个词元的那个分词器的词元数",
            ),
            "wrong-vocabulary-size",
        ),
        len(_trained(500 + 256 + 1).encode(NEW_SENTENCE)): (
            say(
                "that tokenizer has 500 merges; `vocab_size=500` counts the 256 bytes and "
                "`<|endoftext|>` too: `BPETokenizer.train(raw_text, 500)`",
                "那个分词器做了 500 次合并；而 `vocab_size=500` 把 256 个字节和 "
                "`<|endoftext|>` 也算在内：`BPETokenizer.train(raw_text, 500)`",
            ),
            "merges-not-vocabulary",
        ),
        len(NEW_SENTENCE): (
            say("that is one token per character", "这是每个字符算一个词元"),
            "characters-not-tokens",
        ),
    }
    not_it = say(
        f"{n} is not it: train with vocab_size 500 and count the ids",
        f"{n} 不对：用 vocab_size 500 训练，再数 ID 的个数",
    )
    message, diagnosis = mistakes.get(n, (not_it, None))
    raise Wrong(message, diagnosis=diagnosis)


register(
    Exercise(
        id="03.2",
        title=Said("A small tokenizer on new text", "小分词器遇上新文本"),
        task=Said(
            f"Train a 500-token tokenizer on the story "
            f"(`BPETokenizer.train(raw_text, 500)`) and count the tokens it needs for "
            f"this sentence from another book:\n\n> {NEW_SENTENCE}\n\nCompare with GPT-2's "
            f"count: why the difference?",
            f"在小说上训练一个 500 个词元的分词器（`BPETokenizer.train(raw_text, 500)`），"
            f"数一数它编码下面这句出自另一本书的话需要多少个词元：\n\n> {NEW_SENTENCE}\n\n"
            f"和 GPT-2 的词元数比较一下：为什么会有差别？",
        ),
        reference=lambda: len(_trained(500).encode(NEW_SENTENCE)),
        judge=_judge_new_text,
        answer_name="n_tokens",
        solution_code=(
            "small = BPETokenizer.train(raw_text, 500)\n"
            'sentence = "It is a truth universally acknowledged, that a single man in '
            'possession of a good fortune, must be in want of a wife."\n'
            "n_tokens = len(small.encode(sentence))\n"
            "n_tokens, len(tokenizer.encode(sentence))"
        ),
        explanation=Said(
            "A tokenizer's merges fit the text it was trained on. The few hundred merges "
            "learned from one story cover its frequent words; another author's words fall "
            "back to short pieces, so the sentence needs far more tokens than with GPT-2.",
            "分词器的合并规则贴合它的训练文本。从一篇小说学到的几百条合并规则覆盖了这篇小说"
            "的常见词；换一位作者，他的词就只能退回到短片段，所以这句话需要的词元比用 GPT-2 "
            "时多得多。",
        ),
        hints=(
            Said(
                "Two steps: make the small tokenizer, then let it encode the sentence. What "
                "does `vocab_size` count?",
                "分两步：先做出这个小分词器，再让它编码这句话。`vocab_size` 数的是什么？",
            ),
            Said(
                "`BPETokenizer.train(raw_text, 500)` makes a tokenizer of 500 tokens in all: "
                "the 256 bytes, `<|endoftext|>` and the merges it learns.",
                "`BPETokenizer.train(raw_text, 500)` 得到一个总共 500 个词元的分词器："
                "256 个字节、`<|endoftext|>`，再加上它通过合并学到的词元。",
            ),
            Said(
                "Count the ids that the small tokenizer's `encode` gives for the sentence.",
                "数一数小分词器的 `encode` 对这句话给出多少个 ID。",
            ),
        ),
    )
)


# ---- 03.3 -------------------------------------------------------------------------


def _judge_first_merge(answer: Any, right: tuple[int, int]) -> str:
    if isinstance(answer, bytes):
        raise Wrong(
            say(
                f"{answer!r} is the token the merge makes; the file stores the merge as the "
                f"two ids it joins (ids 0-255 are the bytes)",
                f"{answer!r} 是这次合并得到的词元；文件里存的是合并所连接的两个 ID"
                f"（ID 0-255 是各个字节）",
            ),
            diagnosis="token-not-pair",
        )
    pair = as_pair(answer, say("the first merge as two ids", "用两个 ID 表示的第一条合并规则"))
    if all(isinstance(p, (str, bytes)) for p in pair):
        raise Wrong(
            say(
                "the file stores ids, not strings: give the two numbers of the first merge",
                "文件里存的是 ID，不是字符串：请给出第一条合并规则的两个数",
            ),
            diagnosis="strings-not-ids",
        )
    an_id = say("an id", "一个 ID")
    left, right_id = (as_int(p, an_id) for p in pair)
    if (left, right_id) == right:
        return say(
            f"[{left}, {right_id}]: byte {left} is {chr(left)!r} and {right_id} is "
            f"{chr(right_id)!r}, so the first merge makes {chr(left) + chr(right_id)!r}, "
            f"the story's most frequent pair, as token 256.",
            f"[{left}, {right_id}]：字节 {left} 是 {chr(left)!r}，{right_id} 是 "
            f"{chr(right_id)!r}，所以第一次合并把小说中最常见的一对拼成 "
            f"{chr(left) + chr(right_id)!r}，作为词元 256。",
        )
    if (right_id, left) == right:
        raise Wrong(
            say(
                "the two ids are the wrong way round: left part first",
                "两个 ID 的顺序反了：左边的部分在前",
            ),
            diagnosis="pair-reversed",
        )
    raise Wrong(
        say(
            f"[{left}, {right_id}] is not the first merge of the saved file",
            f"[{left}, {right_id}] 不是保存的文件中的第一条合并规则",
        )
    )


register(
    Exercise(
        id="03.3",
        title=Said("Look inside a saved tokenizer", "看看保存下来的分词器"),
        task=Said(
            "Save the 1,000-token tokenizer with `trained.save('my_bpe.json')`, open the "
            "file (it is JSON) and find the first merge: give it as its pair of ids. Load "
            "it back with `BPETokenizer.load` and check that it encodes the story the "
            "same way.",
            "用 `trained.save('my_bpe.json')` 保存那个 1,000 个词元的分词器，打开这个文件"
            "（它是 JSON），找到第一条合并规则：以它的一对 ID 作答。再用 `BPETokenizer.load` "
            "把它载入回来，确认它对小说的编码结果不变。",
        ),
        reference=lambda: _trained(1000).merges[0],
        judge=_judge_first_merge,
        answer_name="first_merge",
        solution_code=(
            "import json\n\n"
            'trained.save("my_bpe.json")\n'
            'saved = json.load(open("my_bpe.json"))\n'
            'first_merge = tuple(saved["merges"][0])\n'
            'print(BPETokenizer.load("my_bpe.json").encode(raw_text) == trained.encode(raw_text))\n'
            "first_merge"
        ),
        explanation=Said(
            "A BPE tokenizer *is* its list of merges (plus the byte order and the special "
            "tokens). The first one joins the story's most frequent pair; loading the file "
            "rebuilds the same tokenizer, so the ids are the same.",
            "BPE 分词器*就是*它的合并规则列表（再加上字节的顺序和特殊词元）。第一条合并规则"
            "连接的是小说中最常见的一对；载入文件会重建同一个分词器，所以 ID 也相同。",
        ),
        hints=(
            Said(
                "Open the saved file in JupyterLab or load it with `json.load`: which of "
                "its keys holds what training learned?",
                "在 JupyterLab 中打开保存的文件，或者用 `json.load` 载入它：哪个键存放着"
                "训练学到的东西？",
            ),
            Said(
                "The JSON has a key `merges`: a list of `[left, right]` id pairs, in the "
                "order they were learned.",
                "这个 JSON 有一个键 `merges`：它是由 `[left, right]` ID 对组成的列表，"
                "按学到的先后排列。",
            ),
            Said(
                "`json.load(open('my_bpe.json'))['merges'][0]`.",
                "即 `json.load(open('my_bpe.json'))['merges'][0]`。",
            ),
        ),
    )
)


# ---- 03.4 -------------------------------------------------------------------------


def _judge_languages(answer: Any, right: tuple[int, int]) -> str:
    count = say("a number of tokens", "词元的个数")
    pair = as_pair(answer, say("two counts", "两个计数"))
    english, chinese = (as_int(n, count) for n in pair)
    if (english, chinese) == right:
        return say(
            f"{english} tokens for {len(ENGLISH)} English characters ({len(ENGLISH.encode())} "
            f"UTF-8 bytes), {chinese} for {len(CHINESE)} Chinese ones ({len(CHINESE.encode())} "
            f"UTF-8 bytes): GPT-2 was trained mostly on English, so other "
            f"scripts are spelled in byte pieces, and the same context window holds far "
            f"less Chinese text (and costs more per sentence).",
            f"{len(ENGLISH)} 个英文字符（{len(ENGLISH.encode())} 个 UTF-8 字节）用了 {english} "
            f"个词元，{len(CHINESE)} 个中文字符（{len(CHINESE.encode())} 个 UTF-8 字节）用了 "
            f"{chinese} 个：GPT-2 主要是在英文上训练的，其他文字要用字节片段来拼写，所以同样的"
            f"上下文窗口能容纳的中文要少得多（每句话的开销也更大）。",
        )
    if (chinese, english) == right:
        raise Wrong(
            say(
                "the counts are the wrong way round: English first",
                "两个计数的顺序反了：英文在前",
            ),
            diagnosis="swapped",
        )
    if (english, chinese) == (len(ENGLISH), len(CHINESE)):
        raise Wrong(
            say(
                "those are character counts: count `tokenizer.encode(...)`'s ids",
                "这些是字符数：要数的是 `tokenizer.encode(...)` 给出的 ID",
            ),
            diagnosis="characters-not-tokens",
        )
    if (english, chinese) == (len(ENGLISH.encode()), len(CHINESE.encode())):
        raise Wrong(
            say(
                "those are UTF-8 byte counts: count the token ids",
                "这些是 UTF-8 字节数：要数的是词元 ID",
            ),
            diagnosis="bytes-not-tokens",
        )
    units = {  # a count of one sentence that is not its tokens, and its unit
        "characters": (len(CHINESE), say("its characters", "它的字符数"), "characters-not-tokens"),
        "bytes": (
            len(CHINESE.encode()),
            say("its UTF-8 bytes", "它的 UTF-8 字节数"),
            "bytes-not-tokens",
        ),
    }
    if english == right[0]:
        for count, unit, diagnosis in units.values():
            if chinese == count:
                raise Wrong(
                    say(
                        f"the English count is right; the Chinese one, {chinese}, is {unit} "
                        f"({len(CHINESE)} characters, {len(CHINESE.encode())} UTF-8 bytes): "
                        f"count its token ids too, `len(tokenizer.encode(...))`",
                        f"英文的词元数对了；中文的 {chinese} 是{unit}（{len(CHINESE)} 个字符，"
                        f"{len(CHINESE.encode())} 个 UTF-8 字节）：也要数它的词元 ID，"
                        f"`len(tokenizer.encode(...))`",
                    ),
                    diagnosis=diagnosis,
                )
    if chinese == right[1] and english == len(ENGLISH):
        raise Wrong(
            say(
                f"the Chinese count is right; the English one, {english}, is its characters "
                f"(and its UTF-8 bytes: English letters are one byte each): count its token "
                f"ids too, `len(tokenizer.encode(...))`",
                f"中文的词元数对了；英文的 {english} 是它的字符数（也是它的 UTF-8 字节数："
                f"英文字母每个一个字节）：也要数它的词元 ID，`len(tokenizer.encode(...))`",
            ),
            diagnosis="characters-not-tokens",
        )
    raise Wrong(
        say(
            f"({english}, {chinese}) is not it: `len(tokenizer.encode(text))` for each",
            f"({english}, {chinese}) 不对：对每句话分别求 `len(tokenizer.encode(text))`",
        )
    )


register(
    Exercise(
        id="03.4",
        title=Said("The same sentence in two languages", "同一句话，两种语言"),
        task=Said(
            f"Count GPT-2's tokens for `{ENGLISH}` and for its Chinese translation "
            f"`{CHINESE}`; give `(english, chinese)`. What does that mean for the cost of "
            f"a model's context window in Chinese?",
            f"分别数一数 GPT-2 对 `{ENGLISH}` 和它的中文翻译 `{CHINESE}` 用了多少个词元；"
            f"以 `(english, chinese)` 作答。对于中文，这对模型上下文窗口的开销意味着什么？",
        ),
        reference=lambda: (
            len(gpt2_encoding().encode(ENGLISH)),
            len(gpt2_encoding().encode(CHINESE)),
        ),
        judge=_judge_languages,
        answer_name="counts",
        solution_code=(
            f'counts = (len(tokenizer.encode("{ENGLISH}")), len(tokenizer.encode("{CHINESE}")))'
            "\ncounts"
        ),
        explanation=Said(
            "Each Chinese character is 3 UTF-8 bytes, and GPT-2 learned few merges for "
            "them, so a Chinese character costs more tokens than a whole English word.",
            "每个中文字符占 3 个 UTF-8 字节，GPT-2 为它们学到的合并规则又很少，"
            "所以一个中文字符花费的词元比一个完整的英文单词还多。",
        ),
        hints=(
            Said(
                "Count tokens, not characters or bytes: which call turns a sentence into "
                "GPT-2's tokens?",
                "要数的是词元，不是字符或字节：哪个调用能把一句话变成 GPT-2 的词元？",
            ),
            Said(
                "`tokenizer.encode(text)` gives the ids; their number is the count.",
                "`tokenizer.encode(text)` 给出 ID；ID 的个数就是词元数。",
            ),
            Said(
                "`(len(tokenizer.encode(english)), len(tokenizer.encode(chinese)))`.",
                "即 `(len(tokenizer.encode(english)), len(tokenizer.encode(chinese)))`。",
            ),
        ),
    )
)
