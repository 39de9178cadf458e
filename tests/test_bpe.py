from __future__ import annotations

import json
import re
from collections import Counter
from itertools import pairwise

import numpy as np
import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmprep import GPT2_SPLIT_PATTERN, BPETokenizer

EOT = "<|endoftext|>"


@pytest.fixture(scope="module")
def gpt2() -> BPETokenizer:
    return BPETokenizer.gpt2()


def test_the_verdict_exactly_as_tiktoken(gpt2, tiktoken_gpt2, verdict) -> None:
    ids = gpt2.encode(verdict)
    assert ids == tiktoken_gpt2.encode(verdict)
    assert len(ids) == 5145 and ids[:4] == [40, 367, 2885, 1464]
    assert gpt2.decode(ids) == verdict


EDGE_CASES = [
    "",
    "\n",
    "a\nb\n\nc\n\n\n",
    "line one\r\nline two\r\n\r\n",
    "  leading and trailing  ",
    "runs     of      spaces\t\t\ttabs \t \n mixed",
    " " * 5000 + "x",
    "a" * 3000,
    "12345 3.14159 1,000,000 0x1F 2026-11-26",
    "I'm you're they've he'd she'll it's 'S 'LL DON'T",
    "emoji 😀🎉👩‍👩‍👧 and flags 🇫🇷",
    "日本語のテキスト、中文文本。한국어 텍스트",
    "café naïve Ünïcödé ÆØÅ",
    "\n\n\x1f",
    "a  \x1c\n\x1d",
    "\x1c\x1d\x1e\x1f separators \u00a0nbsp \u3000ideographic \u2028",
    "tabs\tand\x0bvertical\x0cfeeds",
    "ascii line\nnon-ascii ☃ line\nascii again  \n  ☃\n",
    "<|endoftext|> written as plain text",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases_exactly_as_tiktoken(gpt2, tiktoken_gpt2, text) -> None:
    ids = gpt2.encode(text, disallowed_special=())
    assert ids == tiktoken_gpt2.encode(text, disallowed_special=())
    assert gpt2.decode(ids) == text


# Characters that Unicode has assigned (as Python's tables know them). subtle: on code
# points unassigned there, the `regex` module's newer Unicode tables and tiktoken's older
# ones disagree about what is a letter (17,480 code points, none of them assigned), so
# pieces can differ; see llmprep/bpe.py.
assigned_text = st.text(alphabet=st.characters(exclude_categories=("Cs", "Cn")))

# Text made of the pieces where tokenizers differ: whitespace runs, line ends,
# apostrophes, digits, letters of several scripts, symbols and emoji.
tricky_text = st.lists(
    st.one_of(
        st.sampled_from([" ", "  ", "\n", "\r\n", "\t", "'s", "'ll", "'", "--", "...", "\u00a0"]),
        st.text(alphabet="abcXYZ019 ", max_size=8),
        st.text(alphabet="éü日本語😀☃\u3000\x1c", max_size=4),
        st.text(alphabet=st.characters(exclude_categories=("Cs", "Cn")), max_size=6),
    ),
    max_size=30,
).map("".join)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(assigned_text, tricky_text))
def test_any_text_exactly_as_tiktoken(gpt2, tiktoken_gpt2, text) -> None:
    ids = gpt2.encode(text, disallowed_special=())
    assert ids == tiktoken_gpt2.encode(text, disallowed_special=())


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_decode_inverts_encode_for_every_string(gpt2, text) -> None:
    assert gpt2.decode(gpt2.encode(text, disallowed_special=())) == text


def test_pieces_are_gpt2s_pre_tokenization(gpt2) -> None:
    text = "Hello  world!\n\nIt's 2026 ☃☃ ok  \n"
    assert gpt2.pieces(text) == regex.findall(GPT2_SPLIT_PATTERN, text)


def test_special_tokens_follow_tiktokens_rules(gpt2, tiktoken_gpt2) -> None:
    text = f"Hello{EOT}world"
    with pytest.raises(
        ValueError, match=r"(?s)disallowed special token '<\|endoftext\|>'.*allowed_special"
    ):
        gpt2.encode(text)
    for kwargs in (
        {"allowed_special": {EOT}},
        {"allowed_special": "all"},
        {"disallowed_special": ()},
    ):
        assert gpt2.encode(text, **kwargs) == tiktoken_gpt2.encode(text, **kwargs)
    assert gpt2.encode(text, allowed_special="all") == [15496, 50256, 6894]
    with pytest.raises(ValueError, match=r"\['<\|pad\|>'\] are not special tokens"):
        gpt2.encode("x", allowed_special={"<|pad|>"})


def test_decoding_an_unknown_id_says_the_range(gpt2) -> None:
    with pytest.raises(
        KeyError, match=r"token id 50257 is outside the vocabulary \(ids 0..50256\)"
    ):
        gpt2.decode([15496, 50257])
    assert gpt2.decode([50256]) == EOT


def test_half_a_character_decodes_to_the_replacement_character(gpt2) -> None:
    ids = gpt2.encode("😀")
    assert len(ids) == 2 and gpt2.decode(ids[:1]) == "\ufffd"
    assert gpt2.decode_bytes(ids) == "😀".encode()


# ---- training ------------------------------------------------------------------------


def naive_train(text: str, n_merges: int) -> list[tuple[int, int]]:
    """The textbook algorithm: recount every pair after every merge (slow, obviously right)."""
    words = Counter(tuple(p.encode()) for p in regex.findall(GPT2_SPLIT_PATTERN, text))
    vocab, merges = [bytes([b]) for b in range(256)], []
    for _ in range(n_merges):
        counts = Counter()
        for word, n in words.items():
            for pair in pairwise(word):
                counts[pair] += n
        candidates = [(-c, p) for p, c in counts.items() if vocab[p[0]] + vocab[p[1]] not in vocab]
        if not candidates:
            break
        pair = min(candidates)[1]
        new_id = len(vocab)
        vocab.append(vocab[pair[0]] + vocab[pair[1]])
        merges.append(pair)
        merged = Counter()
        for word, n in words.items():
            out, i = [], 0
            while i < len(word):
                if word[i : i + 2] == pair:
                    out.append(new_id)
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            merged[tuple(out)] += n
        words = merged
    return merges


def test_training_equals_the_textbook_algorithm(verdict) -> None:
    text = verdict[:4000]
    trained = BPETokenizer.train(text, 256 + 150, special_tokens=())
    assert trained.merges == naive_train(text, 150)


def test_training_on_the_verdict(verdict) -> None:
    tokenizer = BPETokenizer.train(verdict, 1000)
    assert tokenizer.n_vocab == 1000 and len(tokenizer.merges) == 743
    assert tokenizer.special_tokens == {EOT: 999}
    assert tokenizer.vocab[256:259] == [b" t", b"he", b" a"]
    ids = tokenizer.encode(verdict)
    assert len(ids) < len(verdict.encode()) / 2.5  # about 3 bytes per token
    assert tokenizer.decode(ids) == verdict
    assert BPETokenizer.train(verdict, 1000).merges == tokenizer.merges  # deterministic


def test_special_tokens_are_never_merged_into_text() -> None:
    text = f"the cat{EOT}the hat{EOT}" * 20
    tokenizer = BPETokenizer.train(text, 264)  # 7 merges: all the pairs there are
    assert not any(b"<|" in token for token in tokenizer.vocab)
    assert (
        tokenizer.encode(f"the cat{EOT}", allowed_special="all")[-1]
        == tokenizer.special_tokens[EOT]
    )


def test_training_bad_input() -> None:
    with pytest.raises(ValueError, match=r"vocab_size 256 is too small.*at least 257"):
        BPETokenizer.train("some text", 256)
    with pytest.raises(ValueError, match="lists a token twice"):
        BPETokenizer.train("some text", 300, special_tokens=[EOT, EOT])
    with pytest.warns(UserWarning, match="only enough distinct pairs for 2 merges"):
        tokenizer = BPETokenizer.train("abc", 1000, special_tokens=())
    assert tokenizer.n_vocab == 258


@pytest.mark.filterwarnings("ignore:the text has only enough distinct pairs")
@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.text(max_size=100))
def test_a_trained_tokenizer_round_trips_any_text(training_text, text) -> None:
    tokenizer = BPETokenizer.train(training_text, 300, special_tokens=())
    assert tokenizer.decode(tokenizer.encode(text)) == text


# ---- saving --------------------------------------------------------------------------


def test_save_and_load_round_trip(gpt2, tmp_path, verdict) -> None:
    trained = BPETokenizer.train(verdict, 400)
    for tokenizer in (trained, gpt2):
        path = tmp_path / "tokenizer.json"
        tokenizer.save(path)
        loaded = BPETokenizer.load(path)
        assert loaded.merges == tokenizer.merges and loaded.vocab == tokenizer.vocab
        assert loaded.special_tokens == tokenizer.special_tokens
        assert loaded.encode(verdict) == tokenizer.encode(verdict)
        assert [p.name for p in tmp_path.iterdir()] == ["tokenizer.json"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x80\x81 not text", "not JSON"),
        (b"[1, 2]", 'no "format"'),
        (b'{"format": "llmprep.BPETokenizer", "version": 2}', "format version 2"),
        (b'{"format": "llmprep.BPETokenizer", "version": 1}', "damaged.*merges"),
        (
            b'{"format": "llmprep.BPETokenizer", "version": 1, "pattern": "\\\\w+",'
            b' "byte_order": [0], "merges": [], "special_tokens": {}}',
            "damaged.*byte_order must list each of the 256",
        ),
    ],
)
def test_loading_a_bad_file_names_the_problem(tmp_path, content, message) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=message):
        BPETokenizer.load(path)


def test_constructor_rejects_inconsistent_merges() -> None:
    with pytest.raises(ValueError, match=r"merge 0 = \(256, 1\) uses an id not made before it"):
        BPETokenizer([(256, 1)])
    with pytest.raises(ValueError, match="same bytes"):
        BPETokenizer([(97, 98), (256, 99), (97, 98)])
    with pytest.raises(ValueError, match="special token ids must be distinct and at least 256"):
        BPETokenizer([], special_tokens={EOT: 3})


# ---- issue 13: numbers that are not what they seem, odd files ---------------------


def test_ids_and_sizes_must_be_integers() -> None:
    gpt2 = BPETokenizer.gpt2()
    with pytest.raises(TypeError, match="a token id must be a whole number.*1.9"):
        gpt2.decode([1.9])
    with pytest.raises(TypeError, match="a token id must be a whole number"):
        gpt2.decode([True])
    assert gpt2.decode([np.int64(15496)]) == "Hello"
    with pytest.raises(TypeError, match="vocab_size must be a whole number.*300.5"):
        BPETokenizer.train("some text", 300.5)
    assert BPETokenizer.train("low lower", np.int32(258), special_tokens=()).n_vocab == 258


def test_training_on_text_with_lone_surrogates() -> None:
    text = "abc \ud800 abc abc"  # what a bad decode with surrogateescape leaves
    tokenizer = BPETokenizer.train(text, 260, special_tokens=())
    assert tokenizer.decode(tokenizer.encode(text)) == text.replace("\ud800", "\ufffd")


def test_save_names_what_is_wrong_and_never_mixes_two_saves(tmp_path) -> None:
    import threading

    with pytest.raises(IsADirectoryError, match="is a folder: save takes a file name"):
        BPETokenizer.train("low lower", 258, special_tokens=()).save(tmp_path)
    small = BPETokenizer.train("low lower lowest " * 5, 262, special_tokens=())
    big = BPETokenizer.train("the cat sat on the mat " * 50, 268, special_tokens=())
    path = tmp_path / "tokenizer.json"
    errors = []

    def save_many(tokenizer) -> None:
        try:
            for _ in range(30):
                tokenizer.save(path)
        except Exception as error:  # pragma: no cover - the test fails below
            errors.append(error)

    threads = [threading.Thread(target=save_many, args=(t,)) for t in (small, big) * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert BPETokenizer.load(path).merges in (small.merges, big.merges)  # one of them, whole
    assert [p.name for p in tmp_path.iterdir()] == ["tokenizer.json"]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"pattern": ""}, "pattern must be a non-empty regular expression"),
        ({"pattern": "(unclosed"}, "is not a valid regular expression"),
        ({"pattern": "[a-z]+"}, "loses text"),
        ({"merges": [[1.5, 2]]}, "a merge's id must be a whole number"),
        ({"merges": [["a", "b"]]}, "a merge's id must be a whole number"),
        ({"special_tokens": {"<|endoftext|>": "end"}}, "must be a whole number"),
        ({"byte_order": list(range(255))}, "byte_order must list each of the 256"),
    ],
)
def test_a_damaged_tokenizer_file_says_what_is_wrong(tmp_path, change, words) -> None:
    path = tmp_path / "tokenizer.json"
    BPETokenizer.train("low lower lowest " * 5, 262).save(path)
    data = json.loads(path.read_text())
    data.update(change)
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match=re.escape(words)):
        BPETokenizer.load(path)


# ---- issue 14: other formats, and using your own tokenizer everywhere ---------------


def test_gpt2_from_tiktokens_ranks_file_gives_gpt2s_ids(verdict) -> None:
    from llmprep import assets, gpt2_encoding

    path = assets.fetch("gpt2/r50k_base.tiktoken")
    from_file = BPETokenizer.from_tiktoken_file(path, special_tokens={"<|endoftext|>": 50256})
    gpt2 = BPETokenizer.gpt2()
    assert from_file.merges == gpt2.merges and from_file.byte_order == gpt2.byte_order
    assert from_file.encode(verdict) == gpt2_encoding().encode(verdict)


def test_ranks_files_round_trip_exactly(tmp_path) -> None:
    gpt2 = BPETokenizer.gpt2()
    gpt2.to_tiktoken_file(tmp_path / "gpt2.tiktoken")
    assert (tmp_path / "gpt2.tiktoken").read_bytes() == assets_bytes("gpt2/r50k_base.tiktoken")
    trained = BPETokenizer.train("the cat sat on the mat. " * 50 + "ünïcode 日本 😀", 275)
    trained.to_tiktoken_file(tmp_path / "mine.tiktoken")
    again = BPETokenizer.from_tiktoken_file(
        tmp_path / "mine.tiktoken", special_tokens=trained.special_tokens
    )
    assert again.merges == trained.merges and again.special_tokens == trained.special_tokens
    (tmp_path / "bad.tiktoken").write_text("not base64! 3\n")
    with pytest.raises(ValueError, match="line 1: expected 'BASE64_TOKEN RANK'"):
        BPETokenizer.from_tiktoken_file(tmp_path / "bad.tiktoken")


def assets_bytes(name: str) -> bytes:
    from llmprep import assets

    return assets.fetch(name).read_bytes()


TEXTS = [
    "Hello, do you like tea? In the sunlit terraces of someknownPlace.",
    "line\r\n\r\n  indented\tand tabs  \n",
    "naïve café — 日本語 😀 Ἀλέξανδρος",
    "1234567 3.14 I'm you'll 'S",
]


def test_gpt2_as_a_huggingface_tokenizer_gives_gpt2s_ids(tmp_path, verdict) -> None:
    from tokenizers import ByteLevelBPETokenizer, Tokenizer

    from llmprep import assets, gpt2_encoding

    gpt2 = BPETokenizer.gpt2()
    gpt2.to_huggingface(tmp_path / "tokenizer.json")
    ours = Tokenizer.from_file(str(tmp_path / "tokenizer.json"))
    # what GPT2TokenizerFast runs, built from GPT-2's own two files (no download)
    theirs = ByteLevelBPETokenizer(
        str(assets.fetch("gpt2/encoder.json")), str(assets.fetch("gpt2/vocab.bpe"))
    )
    for text in [verdict, *TEXTS]:
        expected = gpt2_encoding().encode_ordinary(text)
        assert theirs.encode(text).ids == expected
        assert ours.encode(text).ids == expected
        assert ours.decode(expected) == text
    again = BPETokenizer.from_huggingface(tmp_path / "tokenizer.json")
    assert again.merges == gpt2.merges and again.special_tokens == gpt2.special_tokens


def test_a_trained_tokenizer_round_trips_through_huggingface(tmp_path, verdict) -> None:
    from tokenizers import Tokenizer

    trained = BPETokenizer.train(verdict, 1000)
    trained.to_huggingface(tmp_path / "tokenizer.json")
    hf = Tokenizer.from_file(str(tmp_path / "tokenizer.json"))
    for text in [verdict, *TEXTS]:
        assert hf.encode(text).ids == trained.encode(text)
    again = BPETokenizer.from_huggingface(tmp_path / "tokenizer.json")
    assert again.merges == trained.merges and again.special_tokens == trained.special_tokens
    data = json.loads((tmp_path / "tokenizer.json").read_text())
    data["model"]["merges"][0], data["model"]["merges"][1] = (
        data["model"]["merges"][1],
        data["model"]["merges"][0],
    )
    (tmp_path / "swapped.json").write_text(json.dumps(data))
    with pytest.raises(ValueError, match="merges are not the ones its token ids imply"):
        BPETokenizer.from_huggingface(tmp_path / "swapped.json")


def test_to_tiktoken_gives_the_same_ids(verdict) -> None:
    trained = BPETokenizer.train(verdict, 700)
    fast = trained.to_tiktoken()
    for text in [verdict, *TEXTS, "one <|endoftext|> two"]:
        assert fast.encode(text, allowed_special="all") == trained.encode(
            text, allowed_special="all"
        )


def test_training_gives_exactly_the_merges_of_the_straightforward_algorithm(verdict) -> None:
    from llmprep.bpe_train import learn_merges

    texts = [
        verdict,
        "aaaa abab aaab aabaab abababa " * 100 + "x",
        "  \n\n\n   \n " * 40 + "ab" * 300,
        "naïve café — 日本語 😀 " * 30 + verdict[:3000],
    ]
    for text in texts:
        pieces = Counter(p.encode() for p in regex.compile(GPT2_SPLIT_PATTERN).findall(text))
        for n_merges in (50, 700):
            assert learn_merges(pieces, n_merges) == reference_learn_merges(pieces, n_merges)


def reference_learn_merges(pieces: Counter, n_merges: int) -> list[tuple[int, int]]:
    """The previous training (re-counting and re-pushing every pair of each piece it
    touches): the merges must stay exactly what they were."""
    import heapq
    from collections import defaultdict

    words = [list(piece) for piece in pieces]
    counts = list(pieces.values())
    pair_counts: Counter = Counter()
    where = defaultdict(set)
    for w, word in enumerate(words):
        for pair in pairwise(word):
            pair_counts[pair] += counts[w]
            where[pair].add(w)
    heap = [(-count, pair) for pair, count in pair_counts.items()]
    heapq.heapify(heap)
    vocab = [bytes([b]) for b in range(256)]
    known, merges, skipped = set(vocab), [], set()
    while len(merges) < n_merges and heap:
        negative_count, pair = heapq.heappop(heap)
        if pair_counts.get(pair, 0) != -negative_count or pair in skipped:
            continue
        merged = vocab[pair[0]] + vocab[pair[1]]
        if merged in known:
            skipped.add(pair)
            continue
        new_id = len(vocab)
        vocab.append(merged)
        known.add(merged)
        merges.append(pair)
        for w in where.pop(pair):
            old = words[w]
            new, i = [], 0
            while i < len(old):
                if i + 1 < len(old) and (old[i], old[i + 1]) == pair:
                    new.append(new_id)
                    i += 2
                else:
                    new.append(old[i])
                    i += 1
            for p in pairwise(old):
                pair_counts[p] -= counts[w]
            for p in pairwise(new):
                pair_counts[p] += counts[w]
                where[p].add(w)
            for p in set(pairwise(old)) | set(pairwise(new)):
                if pair_counts[p] > 0:
                    heapq.heappush(heap, (-pair_counts[p], p))
            words[w] = new
        del pair_counts[pair]
    return merges
