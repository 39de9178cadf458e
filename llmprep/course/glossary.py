"""Every term the notebooks use: a one-line meaning, its shape or typical number, the
notebook that introduces it, and the Chinese term beside the English one (the study
notes this project grew from are partly in Chinese).

One source, two editions: ``notebooks/glossary.md`` (linked from the notebooks, opened in
JupyterLab) and the course site's ``glossary.html`` are both made from :data:`TERMS`.

>>> term("stride").notebook, term("stride").chinese
('04', '步幅')
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

from llmprep._files import replace_with, temporary_file

__all__ = ["TERMS", "Term", "anchor", "markdown", "term", "write_markdown"]


@dataclass(frozen=True)
class Term:
    name: str
    chinese: str
    meaning: str
    typical: str  # its shape or typical number, "" where it has none
    notebook: str  # "01" ... "06"
    meaning_zh: str = ""  # the meaning, in Chinese (the Chinese edition's glossary)
    typical_zh: str = ""  # the typical value, where it needs words in Chinese


TERMS = (
    Term("token", "词元", "a piece of text a model reads as one unit: a word, a punctuation "
         "mark, a space, or part of a word", "the-verdict: 4,690 word tokens, 5,145 GPT-2 "
         "tokens", "01",
         meaning_zh="模型作为一个单位读入的一段文本，可以是一个单词、一个标点、"
         "一个空格或单词的一部分",
         typical_zh="the-verdict：按单词切分 4,690 个词元，GPT-2 分词 5,145 个词元"),
    Term("tokenizer", "分词器", "what cuts text into tokens and maps them to ids (encode) and "
         "back (decode)", "", "02",
         meaning_zh="把文本切成词元并映射为 ID（编码）、再把 ID 还原为文本（解码）的工具"),
    Term("regular expression", "正则表达式", "a pattern that describes text; re.split cuts "
         "text wherever it matches", "r'([,.:;?_!\"()\\']|--|\\s)'", "01",
         meaning_zh="描述文本的模式；re.split 在模式匹配到的每个位置切开文本"),
    Term("capturing group", "捕获组", "parentheses in a pattern; re.split keeps what they "
         "match in its result", "", "01",
         meaning_zh="模式中的圆括号；re.split 会把其中匹配到的内容保留在结果里"),
    Term("vocabulary", "词表", "the mapping from each distinct token to its id", "1,130 "
         "words of the-verdict; GPT-2: 50,257 tokens", "02",
         meaning_zh="从每个不同的词元到其 ID 的映射",
         typical_zh="the-verdict 的 1,130 个词元；GPT-2：50,257 个词元"),
    Term("token id", "词元 ID", "the integer a token is mapped to; what a model reads", "0 .. "
         "vocabulary size - 1", "02",
         meaning_zh="词元所映射到的整数，也就是模型读入的内容",
         typical_zh="取值为 0 .. 词表大小 - 1"),
    Term("encode", "编码", "text to token ids", "", "02",
         meaning_zh="把文本转换为词元 ID"),
    Term("decode", "解码", "token ids back to text", "", "02",
         meaning_zh="把词元 ID 还原为文本"),
    Term("special token", "特殊词元", "a token that does not come from the text: a marker "
         "the pipeline puts in", "<|endoftext|>, <|unk|>", "02",
         meaning_zh="不来自文本的词元，是处理流程插入的标记",
         typical_zh="<|endoftext|>、<|unk|>"),
    Term("end of text", "文本结束标记", "<|endoftext|>: marks where one document ends and the "
         "next begins; GPT-2 also pads with it", "GPT-2 id 50256", "02",
         meaning_zh="<|endoftext|>：标记一篇文档在哪里结束、下一篇从哪里开始；GPT-2 也用它做填充",
         typical_zh="GPT-2 中的 ID 为 50256"),
    Term("unknown token", "未知词元", "<|unk|>: stands for any word not in the vocabulary "
         "(SimpleTokenizerV2)", "", "02",
         meaning_zh="<|unk|>：代表任何不在词表中的单词（SimpleTokenizerV2）"),
    Term("byte-pair encoding (BPE)", "字节对编码", "a tokenizer that starts from bytes and "
         "merges frequent adjacent pairs into longer tokens; no word is unknown", "GPT-2: "
         "256 bytes + 50,000 merges + 1 special", "03",
         meaning_zh="一种从字节出发的分词器，把频繁出现的相邻词元对合并成更长的词元；没有未知单词",
         typical_zh="GPT-2：256 个字节 + 50,000 次合并 + 1 个特殊词元"),
    Term("byte", "字节", "8 bits; UTF-8 writes each character as 1 to 4 bytes", "256 values",
         "03",
         meaning_zh="8 个比特；UTF-8 把每个字符写成 1 到 4 个字节",
         typical_zh="共 256 种取值"),
    Term("merge", "合并", "one learned rule: two adjacent tokens become one new token", "", "03",
         meaning_zh="一条学到的规则，把两个相邻的词元合并成一个新词元"),
    Term("rank", "序号", "a merge's place in the order it was learned; encoding applies the "
         "lowest rank first (for GPT-2 it is also the new token's id)", "0 .. 50,255", "03",
         meaning_zh="一次合并在学习顺序中的序号；编码时先应用序号最小的合并（在 GPT-2 中，"
         "它也是新词元的 ID）",
         typical_zh="GPT-2 中为 0 .. 50,255"),
    Term("pre-tokenization", "预分词", "cutting text into pieces (words with their leading "
         "space, numbers, symbols) before merging; merges never cross pieces", "", "03",
         meaning_zh="合并之前先把文本切成片段（带前导空格的单词、数字、符号）；合并从不跨越片段"),
    Term("piece", "片段", "one unit of the pre-tokenization, merged on its own", "' terraces'",
         "03",
         meaning_zh="预分词切出的一个单位，单独进行合并"),
    Term("training text", "训练语料", "the text a tokenizer or model learns from", "the-verdict: "
         "20,479 characters", "01",
         meaning_zh="分词器或模型从中学习的文本",
         typical_zh="the-verdict：20,479 个字符"),
    Term("input", "输入", "the token ids a model reads in one window", "(max_length,)", "04",
         meaning_zh="模型在一个窗口中读入的词元 ID",
         typical_zh="形状为 (max_length,)"),
    Term("target", "目标", "the input shifted by one token: at each position, the next token",
         "(max_length,)", "04",
         meaning_zh="输入向后移一个词元，即每个位置上的下一个词元",
         typical_zh="形状为 (max_length,)"),
    Term("window", "窗口", "max_length consecutive token ids cut from the token stream, with "
         "the next token as the last target", "", "04",
         meaning_zh="从词元流中截取的 max_length 个连续词元 ID，其后的下一个词元是最后一个目标"),
    Term("max_length", "最大长度", "the number of tokens in each training window", "4 in the "
         "notebooks, 256 in the book's default", "04",
         meaning_zh="每个训练窗口中的词元数",
         typical_zh="笔记本中为 4，书中默认为 256"),
    Term("stride", "步幅", "how far the window moves from one window to the next", "stride = "
         "max_length: no overlap", "04",
         meaning_zh="从一个窗口到下一个窗口，窗口移动的距离",
         typical_zh="stride = max_length：窗口互不重叠"),
    Term("context length", "上下文长度", "the most tokens a model can read at once; fixed when "
         "it is built (its position table has this many rows)", "GPT-2: 1,024", "04",
         meaning_zh="模型一次最多能读入的词元数；在构建模型时就已固定"
         "（它的位置表正好有这么多行）",
         typical_zh="GPT-2：1,024"),
    Term("batch", "批次", "several windows stacked, trained on together", "(batch_size, "
         "max_length), e.g. (8, 4)", "04",
         meaning_zh="堆叠在一起、一同用于训练的若干窗口",
         typical_zh="形状为 (batch_size, max_length)，如 (8, 4)"),
    Term("batch size", "批大小", "the number of windows in a batch", "8", "04",
         meaning_zh="一个批次中的窗口数"),
    Term("DataLoader", "数据加载器", "PyTorch's iterator of batches over a Dataset: shuffles, "
         "drops the last short batch, loads in worker processes", "", "04",
         meaning_zh="PyTorch 中按批次遍历 Dataset 的迭代器，负责打乱顺序、丢弃最后不满的批次、"
         "用工作进程加载数据"),
    Term("token file", "词元文件", "a flat file of token ids (tokens.bin) with meta.json, read "
         "through a memory map", "2 bytes per GPT-2 token", "04",
         meaning_zh="存放词元 ID 的扁平文件（tokens.bin），附带 meta.json，通过内存映射读取",
         typical_zh="每个 GPT-2 词元占 2 个字节"),
    Term("memory map", "内存映射", "a file read as an array; the system loads only the parts "
         "that are used", "", "04",
         meaning_zh="把文件当作数组来读；系统只加载实际用到的部分"),
    Term("embedding", "嵌入", "a vector of real numbers that stands for a token", "(emb_dim,), "
         "e.g. 256; GPT-2 small: 768", "05",
         meaning_zh="代表一个词元的实数向量",
         typical_zh="形状为 (emb_dim,)，如 256；GPT-2 small 为 768"),
    Term("word vector", "词向量", "an embedding of a whole word, as word2vec learns it",
         "300 numbers", "05",
         meaning_zh="一个完整单词的嵌入，就像 word2vec 学到的那样",
         typical_zh="300 个数"),
    Term("cosine similarity", "余弦相似度", "the cosine of the angle between two vectors: 1 "
         "same direction, 0 unrelated, -1 opposite", "dog/cat 0.761", "05",
         meaning_zh="两个向量夹角的余弦，1 表示方向相同，0 表示无关，-1 表示方向相反"),
    Term("analogy", "类比", "a : b = c : d solved as b - a + c ≈ d", "king - man + woman ≈ "
         "queen", "05",
         meaning_zh="把 a : b = c : d 当作 b - a + c ≈ d 来求解"),
    Term("principal component analysis (PCA)", "主成分分析", "finds the directions in which "
         "vectors vary most; used to draw them in 2-D", "", "05",
         meaning_zh="找出向量变化最大的方向；用来把向量画在二维平面上"),
    Term("embedding layer", "嵌入层", "torch.nn.Embedding: a trainable table with one row per "
         "id; embedding an id looks up its row", "(vocab_size, emb_dim)", "05",
         meaning_zh="torch.nn.Embedding：一张可训练的表，每个 ID 一行；"
         "嵌入一个 ID 就是查出它那一行",
         typical_zh="形状为 (vocab_size, emb_dim)"),
    Term("one-hot vector", "独热向量", "a vector of zeros with a single 1 at a token's id",
         "(vocab_size,)", "05",
         meaning_zh="只在词元 ID 处为 1、其余全为 0 的向量",
         typical_zh="形状为 (vocab_size,)"),
    Term("position", "位置", "where a token stands in its window, counted from 0",
         "0 .. T - 1", "06",
         meaning_zh="词元在其窗口中的位置，从 0 开始计数",
         typical_zh="取值为 0 .. T - 1"),
    Term("positional embedding", "位置嵌入", "a vector per position, added to the token "
         "embedding so that order is visible", "(context_length, emb_dim)", "06",
         meaning_zh="每个位置一个向量，加到词元嵌入上，让模型能区分词元的顺序",
         typical_zh="形状为 (context_length, emb_dim)"),
    Term("sinusoidal positions", "正弦位置编码", "fixed positional embeddings made of sine and "
         "cosine waves of many speeds (Attention Is All You Need)", "", "06",
         meaning_zh="由多种频率的正弦波和余弦波构成的固定位置嵌入（Attention Is All You Need）"),
    Term("broadcasting", "广播", "PyTorch lines shapes up from the right and repeats the smaller "
         "tensor", "(B, T, D) + (T, D) -> (B, T, D)", "06",
         meaning_zh="PyTorch 从右边开始对齐形状，并重复较小的张量"),
    Term("input embeddings", "输入嵌入", "token embeddings plus positional embeddings: what the "
         "first transformer block receives", "(batch, tokens, emb_dim)", "06",
         meaning_zh="词元嵌入加上位置嵌入，也就是第一个 Transformer 块接收的输入",
         typical_zh="形状为 (batch, tokens, emb_dim)"),
)  # fmt: skip


def anchor(name: str) -> str:
    """The link target of a term: ``token id`` -> ``token-id``.

    >>> anchor("byte-pair encoding (BPE)")
    'byte-pair-encoding-bpe'
    """
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def term(name: str) -> Term:
    for entry in TERMS:
        if entry.name == name or anchor(entry.name) == anchor(name):
            return entry
    raise KeyError(f"no glossary entry {name!r}")


NOTEBOOKS = {
    "01": "01_tokens",
    "02": "02_vocabulary",
    "03": "03_bpe",
    "04": "04_dataloader",
    "05": "05_embeddings",
    "06": "06_positional",
}


def markdown(*, suffix: str = ".ipynb", language: str = "en") -> str:
    """The glossary as Markdown, one heading per term (its anchor), sorted by name; in
    Chinese (``language="zh"``) for the Chinese edition, with the same anchors."""
    if language == "zh":
        return _markdown_zh(suffix)
    lines = [
        "# Glossary · 术语表",
        "",
        "Every term the notebooks use, with its meaning, its shape or typical number, and "
        "the notebook that introduces it. 每个术语附中文译名。",
        "",
    ]
    for entry in sorted(TERMS, key=lambda t: t.name.lower()):
        lines += [
            f'<a id="{anchor(entry.name)}"></a>',
            f"**{entry.name}** · {entry.chinese}: {entry.meaning}."
            + (f" *Typically:* {html.escape(entry.typical, quote=False)}." if entry.typical else "")
            + f" Introduced in [{entry.notebook}]({NOTEBOOKS[entry.notebook]}{suffix}).",
            "",
        ]
    return "\n".join(lines)


def _markdown_zh(suffix: str) -> str:
    lines = [
        "# 术语表 · Glossary",
        "",
        "笔记本中用到的每个术语：它的含义、形状或常见数值，以及首次讲到它的笔记本。"
        "每个术语附英文原名。",
        "",
    ]
    for entry in sorted(TERMS, key=lambda t: t.name.lower()):
        typical = entry.typical_zh or entry.typical
        lines += [
            f'<a id="{anchor(entry.name)}"></a>',
            f"**{entry.chinese}** · {entry.name}：{entry.meaning_zh or entry.meaning}。"
            + (f"*示例：* {html.escape(typical, quote=False)}。" if typical else "")
            + f"见 [{entry.notebook}]({NOTEBOOKS[entry.notebook]}{suffix})。",
            "",
        ]
    return "\n".join(lines)


def write_markdown(path: str | os.PathLike[str] | None = None, *, language: str = "en") -> str:
    """The glossary's Markdown, also written to ``path`` when one is given
    (``llmprep glossary --out notebooks/glossary.md``)."""
    text = markdown(language=language)
    if path is not None:
        target = Path(path)
        with temporary_file(target, "w") as (f, tmp):
            f.write(text)
            f.close()
            replace_with(tmp, target)
    return text
