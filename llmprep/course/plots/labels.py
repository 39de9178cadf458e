"""The words in the figures, in both editions: every label, title and legend a figure
function draws passes through :func:`label`, which gives the Chinese of the Chinese
edition (:mod:`llmprep.course.language`). That includes the titles and names a notebook
passes in (``plot_token_frequencies(..., title="the 20 most frequent tokens")``), so the
two editions' code cells stay the same.

>>> label("count"), label("The {n} most frequent tokens", n=20)
('count', 'The 20 most frequent tokens')
>>> from llmprep.course.language import speaking
>>> with speaking("zh"):
...     label("count"), label("The {n} most frequent tokens", n=20)
('次数', '出现最多的 20 个词元')
"""

from __future__ import annotations

import warnings

from llmprep.course.language import language

__all__ = ["ZH", "MissingLabel", "label"]


class MissingLabel(UserWarning):
    """A figure's text has no Chinese yet (add it to ``ZH``)."""


#: English label (a str.format template where it has values) -> its Chinese.
ZH: dict[str, str] = {
    # 01: frequencies, the pattern, Zipf's law
    "count": "次数",
    "The {n} most frequent tokens": "出现最多的 {n} 个词元",
    "the 20 most frequent tokens": "出现最多的 20 个词元",
    "... keeping whitespace (␣ a space, ↵ a newline)": "……保留空白（␣ 为空格，↵ 为换行）",
    "rank (1 = the most frequent token)": "排名（1 = 出现最多的词元）",
    "the story's tokens": "小说的词元",
    "Zipf's law: count ≈ {c} / rank": "齐普夫定律：次数 ≈ {c} / 排名",
    "The pattern r'{pattern}', read piece by piece": "逐段解读模式 r'{pattern}'",
    "a capturing group:\nre.split keeps\nwhat it matches": "捕获组：\nre.split 保留\n匹配到的内容",
    "any one of these\ncharacters": "这些字符中的\n任意一个",
    "or": "或",
    "a double dash": "双连字符",
    "one whitespace\ncharacter": "一个空白\n字符",
    "end of\nthe group": "捕获组\n结束",
    "underlined, in the colour of the part that matched: the separators, each a token of "
    "its own; the text between them: the words": "下划线的颜色对应匹配到的部分：分隔符，各自成为"
    "一个词元；它们之间的文本：单词",
    # 02, 03: unknown words, vocabulary sizes
    "% of the story used to build the vocabulary": "用来构建词表的小说比例（%）",
    "% unknown tokens\nin the last fifth": "最后五分之一中\n未知词元的比例（%）",
    "vocabulary size": "词表大小",
    "tokens for the story": "小说的词元数",
    "BPE trained on the story": "在小说上训练的 BPE",
    "GPT-2's tokenizer ({n} tokens in its vocabulary)": "GPT-2 的分词器（词表中 {n} 个词元）",
    # 04: sliding windows
    "window {row} input": "窗口 {row} 输入",
    "window {row} target": "窗口 {row} 目标",
    "max_length={max_length}, stride={stride}: {n} windows; each target is its input moved "
    "one token on": "max_length={max_length}，stride={stride}：{n} 个窗口；每个目标都是输入"
    "向后移一个词元",
    # 05: word vectors, embeddings
    "first principal component": "第一主成分",
    "second principal component": "第二主成分",
    "{n} words, {d} dimensions projected to 2": "{n} 个词，{d} 维投影到 2 维",
    "cosine similarity": "余弦相似度",
    "animals": "动物",
    "food": "食物",
    "vehicles": "交通工具",
    "people": "人物",
    "weight: {rows} rows (one per id) x {dims}": "权重：{rows} 行（每个 ID 一行）× {dims} 列",
    "id {i}": "ID {i}",
    "embedding({ids}): {n} x {dims}": "embedding({ids})：{n} × {dims}",
    # 06: positions
    "dimension": "维度",
    "position": "位置",
    "position (distance from position {reference})": "位置（与位置 {reference} 的距离）",
    "learned (untrained, random)": "可学习的（未训练，随机）",
    "sinusoidal (fixed)": "正弦（固定）",
    "sinusoidal": "正弦",
    "learned (untrained)": "可学习的（未训练）",
    "token vectors: {shown} of the B = {batch} windows,\neach T = {tokens} rows of D = "
    "{dims}\n(B, T, D) = ({batch}, {tokens}, {dims})": "词元向量：B = {batch} 个窗口中的 "
    "{shown} 个，\n每个窗口 T = {tokens} 行，每行 D = {dims} 维\n"
    "(B, T, D) = ({batch}, {tokens}, {dims})",
    "position vectors\n(T, D) = ({tokens}, {dims}),\nrepeated for each of the {batch}":
        "位置向量\n(T, D) = ({tokens}, {dims})，\n对 {batch} 个窗口各重复一次",
    "input embeddings\n(B, T, D) = ({batch}, {tokens}, {dims})":
        "输入嵌入\n(B, T, D) = ({batch}, {tokens}, {dims})",
    "Broadcasting lines the shapes up from the right: (B, T, D) + (T, D) -> (B, T, D)":
        "广播从右边对齐形状：(B, T, D) + (T, D) -> (B, T, D)",
}  # fmt: skip


def label(text: str, **values: object) -> str:
    """``text`` (formatted with ``values``) in the edition's language; a text with no
    Chinese in the Chinese edition stays English, with a :class:`MissingLabel` warning."""
    template = text
    if language() == "zh":
        if text in ZH:
            template = ZH[text]
        else:
            warnings.warn(f"no Chinese for the figure text {text!r}", MissingLabel, stacklevel=2)
    return template.format(**values) if values else template
