"""Exercise 03.5 of notebook 03: the BPE merge loop, written by the learner and run beside
llmprep's ``merge_piece``.

It runs first on small readable pieces over hand-made tables, where each classic mistake
shows on an input a learner can follow by hand (``b"abc"`` with ``ab`` learned before
``bc``, and the other way round; ``b"aaa"``, where the same pair occurs twice), then on
real pieces with GPT-2's ranks and with a tokenizer trained on the story. ``ranks`` is
handed out read-only: the learner's loop cannot change the table the reference uses.
"""

from __future__ import annotations

import functools
import random
from typing import Any

from llmprep.bpe import BPETokenizer, merge_piece
from llmprep.course.exercises.answers import NotAnswered, Wrong, describe, difference, label
from llmprep.course.exercises.core import Exercise, register
from llmprep.course.exercises.sandbox import call, readonly
from llmprep.course.language import Said, say
from llmprep.gpt2 import gpt2_encoding
from llmprep.simple import load_text

#: Hand-made tables: every single byte (its rank is its value) plus these merges.
TABLES = {
    "ab first": {b"ab": 256, b"bc": 257},
    "bc first": {b"bc": 256, b"ab": 257},
    "aa": {b"aa": 256},
    "chain": {b"ab": 256, b"cd": 257, b"abcd": 258},
}
#: The readable pieces, checked first; the three after the first two tell the mistakes
#: apart: which pair of b"abc" merges first, for both orders of learning, and b"aaa".
PROBES = (
    (b"a", "aa"),
    (b"ab", "ab first"),
    (b"abc", "ab first"),
    (b"abc", "bc first"),
    (b"aaa", "aa"),
    (b"aaaa", "aa"),
    (b"abcd", "chain"),
)


@functools.cache
def _table(which: str) -> dict[bytes, int]:
    """A table of ranks, never handed out itself (learners get a read-only view)."""
    if which == "gpt2":
        return dict(gpt2_encoding()._mergeable_ranks)
    if which == "story":
        trained = BPETokenizer.train(load_text("the-verdict")[:4000], 300, special_tokens=())
        return {token: rank for rank, token in enumerate(trained.vocab)}
    return {bytes([b]): b for b in range(256)} | TABLES[which]


@functools.cache
def _token_of(which: str) -> dict[int, bytes]:
    return {rank: token for token, rank in _table(which).items()}


def _piece_cases() -> list[tuple[bytes, str]]:
    """(piece, table) pairs: the readable probes, then real pieces shortest first."""
    rng, story = random.Random(3), load_text("the-verdict")
    pieces = sorted({p.encode() for p in BPETokenizer.gpt2().pieces(story)})
    cases = {(bytes([b]), "gpt2") for b in (32, 97, 255)}
    cases |= {(p, "gpt2") for p in rng.sample(pieces, 300)}
    cases |= {(p, "story") for p in rng.sample(pieces, 300)}
    for size in range(1, 25):  # other scripts and raw bytes
        text = "".join(rng.choice("héllo wörld 日本語 😀") for _ in range(size)).encode()
        cases.add((text, "gpt2"))
        cases.add((bytes(rng.randrange(256) for _ in range(size)), "gpt2"))
    return [*PROBES, *sorted(cases, key=lambda c: (len(c[0]), c))]


def _spelled(ids: Any, which: str) -> str:
    tokens = _token_of(which)
    return " ".join(repr(tokens.get(i, b"?")) for i in ids)


def _shown(piece: bytes, which: str, got: Any) -> str:
    """A probe, readable: its table, the piece, and both answers as ids and as parts."""
    want = list(merge_piece(piece, _table(which)))
    merges = ", ".join(f"{t!r} {r}" for t, r in TABLES[which].items())
    single = say("the 256 single bytes (rank = byte value)", "256 个单字节（序号 = 字节值）")
    return (
        f"{label(Said('ranks', '序号'))}{single}{say(', ', '，')}{merges}\n"
        f"{label(Said('input', '输入'))}{piece!r}\n"
        f"{label(Said('expected', '期望'))}{want}   {_spelled(want, which)}\n"
        f"{label(Said('got', '实际'))}{got}   "
        f"{_spelled(got, which) if isinstance(got, list) else ''}"
    )


_YOUR_FUNCTION = Said("your function", "你的函数")


def _attempt(candidate: Any, piece: bytes, which: str) -> list[int] | None:
    try:
        got = call(candidate, piece, readonly(_table(which)), what=_YOUR_FUNCTION)
        return [int(g) for g in got]
    except (Wrong, NotAnswered, TypeError, ValueError):
        return None


def _diagnose(candidate: Any) -> Wrong | None:
    """Which of the known mistakes the learner's loop makes, shown on the probes."""
    abc_1 = _attempt(candidate, b"abc", "ab first")  # right: ab c
    abc_2 = _attempt(candidate, b"abc", "bc first")  # right: a bc
    left, right, bytes_only = ([256, 99], [257, 99]), ([97, 257], [97, 256]), [97, 98, 99]
    both = f"{_shown(b'abc', 'ab first', abc_1)}\n\n{_shown(b'abc', 'bc first', abc_2)}"
    if abc_1 == bytes_only and abc_2 == bytes_only:
        return Wrong(
            say(
                "your function returns one rank per byte: it never merges. While some "
                "adjacent pair of parts, joined, has a rank, merge the pair of lowest rank",
                "你的函数给每个字节返回一个序号：它从不合并。只要还有相邻的两块拼起来"
                "有序号，就合并序号最小的那一对。",
            ),
            both,
            diagnosis="never-merges",
        )
    ab = _attempt(candidate, b"ab", "ab first")  # right: ab, its only pair is the last
    if ab == [97, 98] and (abc_1, abc_2) == (left[0], left[1]):
        return Wrong(
            say(
                "your loop never looks at the last pair of parts: b'ab' (rank 256) is never "
                "merged in b'ab', where it is the only pair, nor b'bc' (rank 256) in b'abc'. "
                "The pairs start at 0 .. len(parts) - 2, so loop over "
                "`range(len(parts) - 1)`: `range(len(parts) - 2)` stops one pair short",
                "你的循环从不查看最后一对：在 b'ab' 中，b'ab'（优先级 256）是仅有的一对，"
                "却没有被合并；在 b'abc' 中，b'bc'（优先级 256）也没有被合并。相邻对的起点是 "
                "0 .. len(parts) - 2，所以要遍历 `range(len(parts) - 1)`："
                "`range(len(parts) - 2)` 少看了最后一对",
            ),
            f"{_shown(b'ab', 'ab first', ab)}\n\n{_shown(b'abc', 'bc first', abc_2)}",
            diagnosis="last-pair-skipped",
        )
    if ab == [97, 98] and (abc_1, abc_2) == (right[0], right[1]):
        return Wrong(
            say(
                "your loop never looks at the first pair of parts: b'ab' (rank 256) is never "
                "merged in b'ab', where it is the only pair, nor in b'abc'. The pairs start "
                "at 0: loop over `range(len(parts) - 1)`, not from 1",
                "你的循环从不查看第一对：在 b'ab' 中，b'ab'（优先级 256）是仅有的一对，"
                "却没有被合并；在 b'abc' 中它也没有被合并。相邻对从 0 开始："
                "要遍历 `range(len(parts) - 1)`，不要从 1 开始",
            ),
            f"{_shown(b'ab', 'ab first', ab)}\n\n{_shown(b'abc', 'ab first', abc_1)}",
            diagnosis="first-pair-skipped",
        )
    if (abc_1, abc_2) == (left[0], left[1]):
        return Wrong(
            say(
                "your loop merges the leftmost pair that has a rank, without comparing "
                "ranks: in b'abc', where b'bc' has rank 256 and b'ab' 257, it merges b'ab' "
                "first. Each round, compare the ranks of all adjacent pairs and merge the "
                "lowest",
                "你的循环合并的是最左边有序号的那一对，并不比较序号：在 b'abc' 中，"
                "b'bc' 的序号是 256，b'ab' 是 257，它却先合并了 b'ab'。每一轮都要比较"
                "所有相邻对的序号，合并序号最小的那一对。",
            ),
            both,
            diagnosis="left-to-right",
        )
    if (abc_1, abc_2) == (right[0], right[1]):
        return Wrong(
            say(
                "your loop merges the rightmost pair that has a rank, without comparing "
                "ranks: in b'abc', where b'ab' has rank 256 and b'bc' 257, it merges b'bc' "
                "first. Each round, compare the ranks of all adjacent pairs and merge the "
                "lowest",
                "你的循环合并的是最右边有序号的那一对，并不比较序号：在 b'abc' 中，"
                "b'ab' 的序号是 256，b'bc' 是 257，它却先合并了 b'bc'。每一轮都要比较"
                "所有相邻对的序号，合并序号最小的那一对。",
            ),
            both,
            diagnosis="right-to-left",
        )
    if (abc_1, abc_2) == (right[0], left[1]):
        return Wrong(
            say(
                "you merge the pair of *highest* rank first: in b'abc' you merge b'bc' when "
                "b'ab' has the lower rank, and b'ab' when b'bc' has. A rank is the order in "
                "which the merges were learned: the lowest goes first",
                "你先合并的是序号*最大*的那一对：在 b'abc' 中，b'ab' 的序号更小时你合并"
                "了 b'bc'，b'bc' 的序号更小时你合并了 b'ab'。序号就是学到各条合并规则的"
                "先后顺序：序号最小的先合并。",
            ),
            both,
            diagnosis="highest-rank-first",
        )
    aaa = _attempt(candidate, b"aaa", "aa")
    if (abc_1, abc_2) == (left[0], right[1]) and aaa == [97, 256]:
        return Wrong(
            say(
                "where the same pair occurs twice you merge the rightmost: in b'aaa' the "
                "pair b'aa' (rank 256) starts at 0 and at 1, and BPE merges the leftmost "
                "first (b'aa' b'a'). With `rank < best` the first pair found stays; with "
                "`<=` a later one of the same rank replaces it",
                "同一对出现两次时，你合并的是最右边的那一对：在 b'aaa' 中，b'aa'（序号 256）"
                "在位置 0 和位置 1 各出现一次，而 BPE 先合并最左边的（得到 b'aa' b'a'）。"
                "用 `rank < best` 时，先找到的那一对会保留下来；用 `<=` 时，后面序号相同的"
                "一对会把它替换掉。",
            ),
            _shown(b"aaa", "aa", aaa),
            diagnosis="rightmost-tie",
        )
    return None


def _judge_merge_loop(candidate: Any, right: list[tuple[bytes, str]]) -> str:
    if not callable(candidate):
        raise Wrong(
            say(
                f"expected your function `bpe_encode_piece`, got {describe(candidate)}",
                f"这里需要你的函数 `bpe_encode_piece`，你给的是 {describe(candidate)}",
            )
        )
    for piece, which in right:
        table = _table(which)
        want = list(merge_piece(piece, table))
        got = call(candidate, piece, readonly(table), what=_YOUR_FUNCTION)
        if isinstance(got, (list, tuple)) and got and all(isinstance(g, bytes) for g in got):
            raise Wrong(
                say(
                    "your function returns the parts as bytes: return their ranks, "
                    "`[ranks[part] for part in parts]`",
                    "你的函数返回的是各块的字节：要返回它们的序号，"
                    "`[ranks[part] for part in parts]`",
                ),
                difference(piece, want, got),
                diagnosis="returns-bytes",
            )
        try:
            got = [int(g) for g in got]
        except (TypeError, ValueError):
            raise Wrong(
                say(
                    f"return a list of ranks (ints), got {describe(got)}",
                    f"要返回一个由序号（int）组成的列表，你的返回值是 {describe(got)}",
                ),
                difference(piece, want, got),
            ) from None
        if got == want:
            continue
        known = _diagnose(candidate)
        if known is not None:
            raise known
        details = _shown(piece, which, got) if which in TABLES else difference(piece, want, got)
        if b"".join(_token_of(which).get(g, b"?") for g in got) != piece:
            raise Wrong(
                say(
                    "the parts you return do not spell the piece: each byte must be in one part",
                    "你返回的各块拼不回这个片段：每个字节都必须恰好属于一块。",
                ),
                details,
                diagnosis="parts-lost",
            )
        raise Wrong(
            say(
                "the parts differ from llmprep's: merge the adjacent pair with the lowest rank "
                "(the leftmost, if the same pair occurs twice), then look again, until no "
                "adjacent pair has a rank",
                "你得到的各块与 llmprep 的不同：合并序号最小的相邻对（同一对出现两次时，"
                "取最左边的），然后重新查看，直到没有任何相邻对有序号为止。",
            ),
            details,
        )
    return say(
        f"your loop gives llmprep's ids on all {len(right)} pieces: first small ones over "
        f"hand-made tables (b'abc' twice, once with ab learned first and once with bc, and "
        f"b'aaa', where the same pair occurs twice), then real pieces, shortest first, "
        f"with GPT-2's 50,000 merges and with a tokenizer trained on the story. llmprep "
        f"gets the same result with a heap over a linked list, so that long pieces cost "
        f"O(n log n) instead of O(n²).",
        f"在全部 {len(right)} 个片段上，你的循环给出的 ID 都与 llmprep 的一致：先是手工构造"
        f"的表上的小片段（b'abc'，两条合并规则的学习先后各试一次；b'aaa'，同一对出现两次），"
        f"然后是真实的片段，从最短的开始，既用了 GPT-2 的 50,000 条合并规则，也用了在小说上"
        f"训练的分词器。llmprep 用链表加堆得到同样的结果，这样长片段的开销是 O(n log n)，"
        f"而不是 O(n²)。",
    )


register(
    Exercise(
        id="03.5",
        title=Said("Build it yourself: the BPE merge loop", "自己动手实现：BPE 合并循环"),
        task=Said(
            "Write `bpe_encode_piece(piece, ranks)`: `piece` is the bytes of one piece, "
            "`ranks` maps token bytes to their rank (every single byte has one; "
            "`tokenizer._mergeable_ranks` is GPT-2's). Start with one part per byte; "
            "while some adjacent pair of parts, joined, has a rank, merge the pair of "
            "lowest rank (the leftmost, if the same pair occurs twice); return the ranks "
            "of the parts. Read `ranks`, never change it. The check runs your function "
            "beside llmprep's, first on small pieces over hand-made tables, then on "
            "hundreds of real pieces, and shows the first one where they differ.",
            "写出 `bpe_encode_piece(piece, ranks)`：`piece` 是一个片段的字节，`ranks` 把"
            "词元的字节映射到它的序号（每个单字节都有序号；`tokenizer._mergeable_ranks` "
            "就是 GPT-2 的）。开始时每个字节一块；只要还有相邻的两块拼起来有序号，就合并"
            "序号最小的那一对（同一对出现两次时，取最左边的）；最后返回各块的序号。"
            "只读取 `ranks`，不要修改它。检查程序会把你的函数和 llmprep 的并排运行，先在手工"
            "构造的表上跑小片段，再跑几百个真实的片段，并给出两者结果不同的第一个片段。",
        ),
        reference=_piece_cases,
        judge=_judge_merge_loop,
        answer_name="bpe_encode_piece",
        time_limit=60.0,
        solution_code="""
def bpe_encode_piece(piece, ranks):
    parts = [bytes([b]) for b in piece]
    while True:
        best = None  # (rank, position) of the adjacent pair to merge next
        for i in range(len(parts) - 1):
            rank = ranks.get(parts[i] + parts[i + 1])
            if rank is not None and (best is None or rank < best[0]):
                best = (rank, i)
        if best is None:
            return [ranks[part] for part in parts]
        i = best[1]
        parts[i : i + 2] = [parts[i] + parts[i + 1]]
""",
        explanation=Said(
            "Each round looks at every adjacent pair, takes the one whose merge was "
            "learned earliest (lowest rank; `<` keeps the leftmost when the same pair "
            "occurs twice) and joins it. This is tiktoken's own educational version; it "
            "is O(n²) in the length of the piece, which is fine for words.",
            "每一轮都查看所有相邻对，选出合并规则学得最早的那一对（序号最小；同一对"
            "出现两次时，`<` 会保留最左边的），把它合并。这就是 tiktoken 自带的教学版本；"
            "它的开销与片段长度的平方成正比，即 O(n²)，对单词来说完全够用。",
        ),
        hints=(
            Said(
                "Work `b'abc'` by hand with `ranks` holding the bytes plus `b'bc'` at 256 "
                "and `b'ab'` at 257: which pair must merge first, and what does one round of "
                "your loop have to look at to know it?",
                "手工推演一下 `b'abc'`，设 `ranks` 里有各个字节，外加序号为 256 的 "
                "`b'bc'` 和序号为 257 的 `b'ab'`：哪一对必须先合并？循环的一轮要查看"
                "哪些东西才能知道这一点？",
            ),
            Said(
                "Keep the parts as a list of bytes objects, one per byte to start with. "
                "`parts[i] + parts[i + 1]` is a candidate token and `ranks.get(...)` its "
                "rank (None if it has none); remember the lowest rank seen and where, "
                "comparing with `<` so that the leftmost wins a tie.",
                "把各块存成一个 bytes 对象的列表，开始时每个字节一块。`parts[i] + parts[i + 1]` "
                "是一个候选词元，`ranks.get(...)` 是它的序号（没有序号时为 None）；"
                "记住见过的最小序号及其位置，用 `<` 来比较，这样序号相同时最左边的胜出。",
            ),
            Said(
                "Replace the two parts by their join, `parts[i : i + 2] = [parts[i] + "
                "parts[i + 1]]`, and look again; when no adjacent pair has a rank, return "
                "`[ranks[part] for part in parts]`.",
                "把这两块换成它们拼接的结果，`parts[i : i + 2] = [parts[i] + parts[i + 1]]`，"
                "然后重新查看；当没有任何相邻对有序号时，返回 "
                "`[ranks[part] for part in parts]`。",
            ),
        ),
    )
)
