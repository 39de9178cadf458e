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
         "tokens", "01"),
    Term("tokenizer", "分词器", "what cuts text into tokens and maps them to ids (encode) and "
         "back (decode)", "", "02"),
    Term("regular expression", "正则表达式", "a pattern that describes text; re.split cuts "
         "text wherever it matches", "r'([,.:;?_!\"()\\']|--|\\s)'", "01"),
    Term("capturing group", "捕获组", "parentheses in a pattern; re.split keeps what they "
         "match in its result", "", "01"),
    Term("vocabulary", "词表", "the mapping from each distinct token to its id", "1,130 "
         "words of the-verdict; GPT-2: 50,257 tokens", "02"),
    Term("token id", "词元 ID", "the integer a token is mapped to; what a model reads", "0 .. "
         "vocabulary size - 1", "02"),
    Term("encode", "编码", "text to token ids", "", "02"),
    Term("decode", "解码", "token ids back to text", "", "02"),
    Term("special token", "特殊词元", "a token that does not come from the text: a marker "
         "the pipeline puts in", "<|endoftext|>, <|unk|>", "02"),
    Term("end of text", "文本结束标记", "<|endoftext|>: marks where one document ends and the "
         "next begins; GPT-2 also pads with it", "GPT-2 id 50256", "02"),
    Term("unknown token", "未知词元", "<|unk|>: stands for any word not in the vocabulary "
         "(SimpleTokenizerV2)", "", "02"),
    Term("byte-pair encoding (BPE)", "字节对编码", "a tokenizer that starts from bytes and "
         "merges frequent adjacent pairs into longer tokens; no word is unknown", "GPT-2: "
         "256 bytes + 50,000 merges + 1 special", "03"),
    Term("byte", "字节", "8 bits; UTF-8 writes each character as 1 to 4 bytes", "256 values",
         "03"),
    Term("merge", "合并", "one learned rule: two adjacent tokens become one new token", "", "03"),
    Term("rank", "优先级", "a merge's place in the order it was learned; encoding applies the "
         "lowest rank first (for GPT-2 it is also the new token's id)", "0 .. 50,255", "03"),
    Term("pre-tokenization", "预分词", "cutting text into pieces (words with their leading "
         "space, numbers, symbols) before merging; merges never cross pieces", "", "03"),
    Term("piece", "片段", "one unit of the pre-tokenization, merged on its own", "' terraces'",
         "03"),
    Term("training text", "训练语料", "the text a tokenizer or model learns from", "the-verdict: "
         "20,479 characters", "01"),
    Term("input", "输入", "the token ids a model reads in one window", "(max_length,)", "04"),
    Term("target", "目标", "the input shifted by one token: at each position, the next token",
         "(max_length,)", "04"),
    Term("window", "窗口", "max_length consecutive token ids cut from the token stream, with "
         "the next token as the last target", "", "04"),
    Term("max_length", "最大长度", "the number of tokens in each training window", "4 in the "
         "notebooks, 256 in the book's default", "04"),
    Term("stride", "步幅", "how far the window moves from one window to the next", "stride = "
         "max_length: no overlap", "04"),
    Term("context length", "上下文长度", "the most tokens a model can read at once; fixed when "
         "it is built (its position table has this many rows)", "GPT-2: 1,024", "04"),
    Term("batch", "批次", "several windows stacked, trained on together", "(batch_size, "
         "max_length), e.g. (8, 4)", "04"),
    Term("batch size", "批大小", "the number of windows in a batch", "8", "04"),
    Term("DataLoader", "数据加载器", "PyTorch's iterator of batches over a Dataset: shuffles, "
         "drops the last short batch, loads in worker processes", "", "04"),
    Term("token file", "词元文件", "a flat file of token ids (tokens.bin) with meta.json, read "
         "through a memory map", "2 bytes per GPT-2 token", "04"),
    Term("memory map", "内存映射", "a file read as an array; the system loads only the parts "
         "that are used", "", "04"),
    Term("embedding", "嵌入", "a vector of real numbers that stands for a token", "(emb_dim,), "
         "e.g. 256; GPT-2 small: 768", "05"),
    Term("word vector", "词向量", "an embedding of a whole word, as word2vec learns it",
         "300 numbers", "05"),
    Term("cosine similarity", "余弦相似度", "the cosine of the angle between two vectors: 1 "
         "same direction, 0 unrelated, -1 opposite", "dog/cat 0.761", "05"),
    Term("analogy", "类比", "a : b = c : d solved as b - a + c ≈ d", "king - man + woman ≈ "
         "queen", "05"),
    Term("principal component analysis (PCA)", "主成分分析", "finds the directions in which "
         "vectors vary most; used to draw them in 2-D", "", "05"),
    Term("embedding layer", "嵌入层", "torch.nn.Embedding: a trainable table with one row per "
         "id; embedding an id looks up its row", "(vocab_size, emb_dim)", "05"),
    Term("one-hot vector", "独热向量", "a vector of zeros with a single 1 at a token's id",
         "(vocab_size,)", "05"),
    Term("position", "位置", "where a token stands in its window, counted from 0",
         "0 .. T - 1", "06"),
    Term("positional embedding", "位置嵌入", "a vector per position, added to the token "
         "embedding so that order is visible", "(context_length, emb_dim)", "06"),
    Term("sinusoidal positions", "正弦位置编码", "fixed positional embeddings made of sine and "
         "cosine waves of many speeds (Attention Is All You Need)", "", "06"),
    Term("broadcasting", "广播", "PyTorch lines shapes up from the right and repeats the smaller "
         "tensor", "(B, T, D) + (T, D) -> (B, T, D)", "06"),
    Term("input embeddings", "输入嵌入", "token embeddings plus positional embeddings: what the "
         "first transformer block receives", "(batch, tokens, emb_dim)", "06"),
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
            + (f"*常见取值：* {html.escape(typical, quote=False)}。" if typical else "")
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
