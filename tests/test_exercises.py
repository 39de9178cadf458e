"""Every exercise: its solution passes, typical wrong answers get their targeted message,
nonsense never raises. Every build-it-yourself check: the book's code passes, planted
bugs fail with a message that points at them."""

from __future__ import annotations

import ast
import builtins
import importlib
import json
import math
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
import torch

from llmprep import exercises
from llmprep.course.exercises.core import Text
from llmprep.course.language import speaking

NOTEBOOKS = ("01", "02", "03", "04", "05", "06")
ROOT = Path(__file__).resolve().parent.parent
_CONTEXTS: dict[str, dict[str, Any]] = {}


def notebook_namespace(notebook: str) -> dict[str, Any]:
    """The names a notebook's solutions may use (its module's CONTEXT), built once."""
    if notebook not in _CONTEXTS:
        namespace: dict[str, Any] = {}
        exec(importlib.import_module(f"llmprep.course.exercises.nb{notebook}").CONTEXT, namespace)
        _CONTEXTS[notebook] = namespace
    return dict(_CONTEXTS[notebook])


def run(code: str, notebook: str = "01", name: str = "answer") -> Any:
    namespace = notebook_namespace(notebook)
    exec(textwrap.dedent(code), namespace)
    return namespace[name]


def test_every_notebook_has_at_least_four_exercises_plus_the_books() -> None:
    ids = [e.id for e in exercises.all()]
    assert len(ids) == len(set(ids))
    for notebook in NOTEBOOKS:
        numbered = [i for i in ids if re.fullmatch(rf"{notebook}\.\d+", i)]
        assert len(numbered) >= 4, notebook
    assert exercises.get("book-2.1").notebook == "03"
    assert exercises.get("book-2.2").notebook == "04"
    assert [e.notebook for e in exercises.all()] == sorted(e.notebook for e in exercises.all())
    with pytest.raises(KeyError, match="no exercise '09.1'"):
        exercises.get("09.1")


@pytest.mark.parametrize("exercise", exercises.all(), ids=lambda e: e.id)
def test_the_solution_passes(exercise, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # a solution may save a file (03.3 does): never in the checkout
    answer = run(exercise.solution_code, exercise.notebook, exercise.answer_name)
    result = exercise.check(answer)
    assert result.passed, result
    assert exercise.answer_name in exercise.solution_code
    solution = exercise.solution()
    assert isinstance(solution, Text)
    if exercise.options is None:
        assert "```python" in solution._repr_markdown_()
    else:  # a question's solution is its right choice, explained
        assert exercise.options[exercise.letters.index(exercise.answer)] in str(solution)
    assert exercise.hint()._repr_markdown_().startswith("**Hint 1 of")


NONSENSE = [
    None,
    "abc",
    "39",
    3.5,
    math.nan,
    True,
    [],
    {},
    (1,),
    object(),
    torch.zeros(3, 3),
    torch.tensor(7.5),
    lambda *args: None,
    [None, None],
    ("a", "b", "c"),
]


@pytest.mark.parametrize("exercise", exercises.all(), ids=lambda e: e.id)
def test_nonsense_never_raises_and_never_passes(exercise) -> None:
    for answer in NONSENSE:
        result = exercise.check(answer)
        assert not result.passed, (answer, result)
        assert result.message and result.status == "failed", (answer, result)
    assert exercise.check(...).status == "unanswered"


# (exercise, code that sets `answer` in the notebook's namespace, words of the message)
# fmt: off
WRONG = [
    ("01.1", "answer = split_text(\"Mr. O'Neil's e-mail: don't re-use it!\", keep_whitespace=True)",
     "whitespace"),
    ("01.1", "answer = ['Mr', '.', \"O'Neil\", \"'\", 's', 'e-mail', ':', 'don', \"'\", 't',"
     " 're-use', 'it', '!']", "is one token in your list"),
    ("01.1", "answer = ['Mr', '.', 'O', \"'\", 'Neil', \"'\", 's', 'e', '-', 'mail', ':', 'don',"
     " \"'\", 't', 're-use', 'it', '!']", "single `-` is not in the pattern"),
    ("01.2", "answer = r'([,.:;?_!\"()\\']|-|--|\\s)'", "put `--` first"),
    ("01.2", "answer = r'([,.:;?_!\"()\\'-]|--|\\s)'", "a `[...]` with `-` in it"),
    ("01.2", "answer = r'([,.:;?_!\"()\\']|(--)|-|\\s)'", "2 capturing groups"),
    ("01.2", "answer = r'(([,.:;?_!\"()\\']|--|-|\\s))'", "separators come twice or as None"),
    ("01.2", "answer = r'([,.:;?_!\"()\\'])|(--)|(-)|(\\s)'", "4 capturing groups"),
    ("01.2", "answer = r'[,.:;?_!\"()\\']|--|-|\\s'", "no capturing group"),
    ("01.2", "answer = r'([,.:;?_!\"()\\']|--|\\s)'", "hyphen is not a token yet"),
    ("01.3", "answer = 28.46", "percentage"),
    ("01.3", "from collections import Counter\nws = split_text(raw_text, keep_whitespace=True)\n"
     "answer = sum(n for _, n in Counter(ws).most_common(10)) / len(ws)", "whitespace"),
    ("01.3", "from collections import Counter\n"
     "answer = sum(n for _, n in Counter(split_text(raw_text)).most_common(10))",
     "divide by all"),
    ("01.4", "answer = len(set(split_text(raw_text)))", "before lower-casing"),
    ("01.4", "answer = len(set(re.split(r'([,.:;?_!\"()\\']|--|\\s)', raw_text.lower())))",
     "empty string"),
    ("02.1", "answer = 1159", "an early version of the book's code"),
    ("02.1", "answer = 1133", "1,130 words + '\\n' + ' ' + '' (the empty string)"),
    ("02.1", "answer = build_vocab(re.split(r'([,.:;?_!\"()\\']|--|\\s)', raw_text),"
     " special_tokens=SPECIAL_TOKENS)", "empty strings"),
    ("02.1", "answer = build_vocab(preprocessed)", "missing: add the special tokens"),
    ("02.1", "answer = build_vocab(preprocessed, special_tokens=('<|unk|>', '<|endoftext|>'))",
     "the two special tokens are swapped"),
    ("02.1", "answer = build_vocab([t for t in re.split(r'([,.?_!\"()\\']|--|\\s)', raw_text)"
     " if t.strip()], special_tokens=SPECIAL_TOKENS)", "without `:` and `;`"),
    ("02.2", "answer = 0.127", "without lower-casing"),
    ("02.2", "cut = int(0.8 * len(preprocessed))\n"
     "seen = {t.lower() for t in preprocessed[:cut]}\n"
     "answer = sum(t not in seen for t in preprocessed[cut:]) / len(preprocessed[cut:])",
     "but not the held-out tokens"),
    ("02.3", "answer = 1133", "vocabulary's size"),
    ("02.3", "answer = 1130", "first special token's id"),
    ("02.4", "answer = lambda ids: ' '.join(tokenizer_ws.int_to_str[i] for i in ids)",
     "spaces are tokens themselves"),
    ("02.4", "answer = lambda ids: [tokenizer_ws.int_to_str[i] for i in ids]", "return a str"),
    ("02.4", "answer = lambda ids: ''.join(tokenizer_ws.int_to_str[i] for i in ids).strip()",
     "removes whitespace from the ends of the text (`.strip()`)"),
    ("02.4", "answer = lambda ids: ''.join(tokenizer_ws.int_to_str[i].strip() for i in ids)",
     "`.strip()` on each token"),
    ("02.4", "answer = lambda ids: tokenizer_ws.decode(ids)", "calls a ready-made `decode`"),
    ("02.4", "answer = tokenizer_ws.decode", "calls a ready-made `decode`"),
    ("book-2.1", "answer = [tokenizer.decode([i]) for i in tokenizer.encode('Akwirw ier')]",
     "decoded pieces"),
    ("book-2.1", "answer = trained.encode('Akwirw ier')", "trained on the story"),
    ("book-2.1", "answer = tokenizer.encode('Akwirwier')", "space is missing"),
    ("03.1", "answer = ('tokenization', 'onomatopoeia')", "not one"),
    ("03.1", "answer = ('unbelievably', 'cat')", "four or more"),
    ("03.1", "answer = ('cat', 'onomatopoeia')", "'cat' has 3 letters"),
    ("03.1", "answer = ('between!', 'onomatopoeia')", "has characters that are not letters ('!')"),
    ("03.1", "answer = ('between', 'xq12zz!!')", "'xq12zz!!' is not a word"),
    ("03.2", "answer = len(tokenizer.encode('It is a truth universally acknowledged, that a "
     "single man in possession of a good fortune, must be in want of a wife.'))",
     "GPT-2's count"),
    ("03.2", "answer = len(BPETokenizer.train(raw_text, 757).encode('It is a truth universally "
     "acknowledged, that a single man in possession of a good fortune, must be in want of a "
     "wife.'))", "500 merges"),
    ("03.3", "answer = trained.vocab[256]", "the token the merge makes"),
    ("03.3", "answer = tuple(reversed(trained.merges[0]))", "wrong way round"),
    ("03.4", "answer = (len('The weather is very nice today.'), len('今天天气很好。'))",
     "character counts"),
    ("03.4", "answer = (len(tokenizer.encode('今天天气很好。')), "
     "len(tokenizer.encode('The weather is very nice today.')))", "wrong way round"),
    ("03.4", "answer = (len(tokenizer.encode('The weather is very nice today.')), "
     "len('今天天气很好。'))", "the Chinese one, 7, is its characters"),
    ("03.4", "answer = (len(tokenizer.encode('The weather is very nice today.')), "
     "len('今天天气很好。'.encode()))", "the Chinese one, 21, is its UTF-8 bytes"),
    ("03.4", "answer = (len('The weather is very nice today.'), "
     "len(tokenizer.encode('今天天气很好。')))", "the English one, 31, is its characters"),
    ("book-2.2", "x, y = next(iter(create_dataloader_v1(raw_text, batch_size=4, max_length=8, "
     "stride=2, shuffle=False)))\nanswer = (y, x)", "swapped"),
    ("book-2.2", "x, y = next(iter(create_dataloader_v1(raw_text, batch_size=4, max_length=8, "
     "stride=2, shuffle=False)))\nanswer = (x, x)", "shifted by one"),
    ("book-2.2", "answer = next(iter(create_dataloader_v1(raw_text, batch_size=4, max_length=8,"
     " stride=1, shuffle=False)))", "these windows move by 1 token"),
    ("book-2.2", "x, y = next(iter(create_dataloader_v1(raw_text, batch_size=4, max_length=8, "
     "stride=2, shuffle=False)))\nanswer = (x.T, y.T)", "transposed"),
    ("book-2.2", "answer = next(iter(create_dataloader_v1(raw_text, batch_size=4, max_length=8,"
     " stride=2, shuffle=True)))", "The loader shuffled them"),
    ("book-2.2", "answer = next(iter(create_dataloader_v1(raw_text, batch_size=4, max_length=8,"
     " stride=2)))", "shuffles unless you pass `shuffle=False`"),
    ("book-2.2", "answer = next(iter(create_dataloader_v1(raw_text, batch_size=4, max_length=8,"
     " stride=8, shuffle=False)))", "these windows move by 8 tokens"),
    ("book-2.2", "answer = next(iter(create_dataloader_v1(raw_text, batch_size=4, max_length=2,"
     " stride=2, shuffle=False)))", "the setting to try afterwards"),
    ("book-2.2", "x, y = next(iter(create_dataloader_v1(raw_text, batch_size=4, max_length=8, "
     "stride=2, shuffle=False)))\nanswer = (x, y + 1)", "the inputs are right, the targets"),
    ("book-2.2", "x, y = next(iter(create_dataloader_v1(raw_text, batch_size=4, max_length=8, "
     "stride=2, shuffle=False)))\nanswer = (x.float(), y.float())", "token ids"),
    ("04.1", "answer = 7", "off by one"),
    ("04.1", "answer = 1024 // 128", "run past the end"),
    ("04.2", "answer = (enc_text[6:10], enc_text[6:10])", "target equals the input"),
    ("04.2", "answer = (enc_text[4:8], enc_text[5:9])", "windows count from 0"),
    ("04.2", "answer = (enc_text[6:10], enc_text[5:9])", "wrong way"),
    ("04.2", "answer = (enc_text[3:7], enc_text[4:8])", "windows that move by 1 token"),
    ("04.2", "answer = (enc_text[12:16], enc_text[13:17])", "move by 4 tokens (max_length)"),
    ("04.2", "answer = (enc_text[6:10], enc_text[10:14])", "your target is the next window"),
    ("04.2", "answer = (enc_text[6:10], enc_text[8:12])", "your target is the next window"),
    ("04.2", "answer = (enc_text[8:12], enc_text[9:13])", "token 8, window 4"),
    ("04.3", "answer = (161, 160)", "swapped"),
    ("04.3", "answer = (1286, 1286)", "number of windows"),
    ("04.4", "answer = 50256", "separator's id"),
    ("04.4", "answer = 12", "ends with a newline"),
    ("04.4", "answer = 13", "Windows line end"),
    ("05.1", "answer = [('france', 'paris', 'italy', 'rome')] * 3", "not in the subset"),
    ("05.1", "answer = [('king', 'man', 'woman', 'queen')]", "signs are the wrong way round"),
    ("05.1", "answer = [('man', 'king', 'woman', 'queen')]", "from 1 relation(s) so far"),
    ("05.1", "answer = [('man', 'king', 'woman', 'queen'), ('boy', 'king', 'girl', 'queen'),"
     " ('good', 'better', 'bad', 'worse')]", "each from a different relation"),
    ("05.1", "answer = [('dog', 'cat', 'table', word_vectors.most_similar("
     "positive=['cat', 'table'], negative=['dog'], topn=1)[0][0])]",
     "is not an analogy of the test set"),
    ("05.1", "answer = [('man', 'woman', 'man', 'woman')]", "compares a pair with itself"),
    ("05.2", "answer = ['sky', 'car', 'horse', 'cat', 'puppy']", "least similar first"),
    ("05.2", "answer = ['puppy', 'cat', 'car']", "exactly these five"),
    ("05.3", "answer = (50257 * 256, 50257 * 256 * 8)", "float64"),
    ("05.3", "answer = (50257 * 256, 51.5)", "megabytes"),
    ("05.4", "answer = embedding_layer.weight.detach()", "transpose it"),
    ("05.4", "answer = torch.zeros(3, 6)", "other numbers"),
    ("05.4", "answer = [[1, 2], [3]]", "expected a weight as a tensor"),
    ("06.1", "answer = torch.arange(1, 7)", "start at 0"),
    ("06.1", "answer = torch.arange(7)", "stops before n"),
    ("06.1", "answer = torch.arange(6.0)", "so integers"),
    ("06.1", "answer = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]", "so integers"),
    ("06.2", "answer = (50257 * 768, 0.02)", "token table only"),
    ("06.2", "answer = (50257 * 768 + 1024 * 768, 2.0)", "percentage"),
    ("06.3", "answer = (1.0, 10000 ** (-62 / 64))", "rates"),
    ("06.3", "answer = (2 * math.pi, 2 * math.pi * 10000 ** (124 / 64))", "exponent"),
    ("06.3", "answer = (6, 47117)", "need not be a whole number of positions"),
    ("06.3", "answer = (2 * math.pi, 47)", "that of dimension 62 is not 47"),
    ("06.4", "answer = lambda k: torch.tensor([[math.cos(k), -math.sin(k)], "
     "[math.sin(k), math.cos(k)]])", "transpose"),
    ("06.4", "answer = lambda k: torch.eye(2)", "does not map position p"),
]
# fmt: on


@pytest.mark.parametrize(("exercise_id", "code", "words"), WRONG)
def test_typical_wrong_answers_get_their_message(exercise_id, code, words) -> None:
    exercise = exercises.get(exercise_id)
    result = exercise.check(run(code, exercise.notebook))
    assert result.status == "failed", result
    assert words in result.message, result


def test_every_exercise_has_two_typical_wrong_answers_tested() -> None:
    tested = [exercise_id for exercise_id, _, _ in WRONG]
    thin = [
        e.id
        for e in exercises.all()
        if tested.count(e.id) < 2 and e.id not in BUILD and e.options is None  # questions:
    ]  # every choice of a question is tried in test_exercise_questions.py
    assert not thin, f"add two typical wrong answers for {thin}"


# ---- build it yourself ------------------------------------------------------------

BUILD = {"02.5", "03.5", "04.5", "06.5"}

# The book's code as printed (chapter 2, listing 2.3), and the study notes' version of it
BOOK_TOKENIZER = """
class SimpleTokenizerV1:
    def __init__(self, vocab):
        self.str_to_int = vocab
        self.int_to_str = {i:s for s,i in vocab.items()}

    def encode(self, text):
        preprocessed = re.split(r'([,.:;?_!"()\\']|--|\\s)', text)
        preprocessed = [
            item.strip() for item in preprocessed if item.strip()
        ]
        ids = [self.str_to_int[s] for s in preprocessed]
        return ids

    def decode(self, ids):
        text = " ".join([self.int_to_str[i] for i in ids])

        text = re.sub(r'\\s+([,.?!"()\\'])', r'\\1', text)
        return text
"""

NOTES_TOKENIZER = """
class SimpleTokenizerV1:
    def __init__(self, vocab):
        self.int_to_str = {i:s for s,i in vocab.items()} # 便利字典用 .item()
        self.str_to_int = vocab

    def encode(self, text):
        preprocessed = re.split(r'([,.:;?_!"()\\']|--|\\s)', text)

        preprocessed = [
            item for item in preprocessed if item.strip()
            # item for item in preprocessed
        ]

        ids = [self.str_to_int[s] for s in preprocessed]
        return ids

    def decode(self, ids):
        puncts = {',', '.', ':', ';', '?', '_', '!', '"', '(', ')', "'"}
        tokens = [self.int_to_str[i] for i in ids]
        text = ''.join(f' {token}' if token not in puncts else token for token in tokens)
        return text
"""

# The study notes' dataset, exactly as written there (GPTDataSetV1), which is the book's
BOOK_DATASET = """
from torch.utils.data import Dataset, DataLoader
import torch


class GPTDataSetV1(Dataset):
    def __init__(self, txt, tokenizer, max_length, stride):
        self.input_ids = []
        self.target_ids = []

        token_ids = tokenizer.encode(txt, allowed_special={"<|endoftext|>"})

        for i in range(0, len(token_ids) - max_length, stride):
            input_chunk = token_ids[i:i + max_length]
            target_chunk = token_ids[i + 1 : i + max_length +1]
            self.input_ids.append(torch.tensor(input_chunk))
            self.target_ids.append(torch.tensor(target_chunk))

    def __len__(self):
        return len(self.input_ids)

    def __getitem__(self, idx):
        return self.input_ids[idx], self.target_ids[idx]
"""

# tiktoken's educational merge loop (tiktoken/_educational.py, bpe_encode without the
# visualisation)
EDUCATIONAL_MERGE = """
def bpe_encode(mergeable_ranks, input):
    parts = [bytes([b]) for b in input]
    while True:
        min_idx = None
        min_rank = None
        for i, pair in enumerate(zip(parts[:-1], parts[1:])):
            rank = mergeable_ranks.get(pair[0] + pair[1])
            if rank is not None and (min_rank is None or rank < min_rank):
                min_idx = i
                min_rank = rank
        if min_rank is None:
            break
        assert min_idx is not None
        parts = parts[:min_idx] + [parts[min_idx] + parts[min_idx + 1]] + parts[min_idx + 2:]
    tokens = [mergeable_ranks[part] for part in parts]
    return tokens

def bpe_encode_piece(piece, ranks):
    return bpe_encode(ranks, piece)
"""

# A merge loop that learners write: sweep left to right, merging each pair that has a rank
# as it is met, until a sweep changes nothing (it never compares ranks)
GREEDY_SWEEP = """
def bpe_encode_piece(piece, ranks):
    parts = [bytes([b]) for b in piece]
    changed = True
    while changed:
        changed = False
        i = 0
        while i < len(parts) - 1:
            if parts[i] + parts[i + 1] in ranks:
                parts[i : i + 2] = [parts[i] + parts[i + 1]]
                changed = True
            else:
                i += 1
    return [ranks[part] for part in parts]
"""

# The PyTorch tutorial's positional encoding ("Language Modeling with nn.Transformer")
TUTORIAL_SINUSOIDS = """
import math
import torch

def sinusoidal_positions(context_length, emb_dim):
    position = torch.arange(context_length).unsqueeze(1)
    div_term = torch.exp(torch.arange(0, emb_dim, 2) * (-math.log(10000.0) / emb_dim))
    pe = torch.zeros(context_length, emb_dim)
    pe[:, 0::2] = torch.sin(position * div_term)
    pe[:, 1::2] = torch.cos(position * div_term)
    return pe
"""


def build(code: str, name: str, **replacements: str) -> Any:
    for old, new in replacements.items():
        assert old in code, old
        code = code.replace(old, new)
    namespace: dict[str, Any] = {}
    exec("import re\n" + code, namespace)
    return namespace[name]


@pytest.mark.parametrize(
    ("name", "code", "function"),
    [
        ("SimpleTokenizerV1", BOOK_TOKENIZER, "SimpleTokenizerV1"),
        ("SimpleTokenizerV1", NOTES_TOKENIZER, "SimpleTokenizerV1"),
        ("GPTDatasetV1", BOOK_DATASET, "GPTDataSetV1"),
        ("bpe_encode_piece", EDUCATIONAL_MERGE, "bpe_encode_piece"),
        ("sinusoidal_positions", TUTORIAL_SINUSOIDS, "sinusoidal_positions"),
    ],
)
def test_the_books_code_passes(name, code, function) -> None:
    result = exercises.check_implementation(name, build(code, function))
    assert result.passed, result


# fmt: off
PLANTED = [
    # SimpleTokenizerV1
    ("SimpleTokenizerV1", BOOK_TOKENIZER, "SimpleTokenizerV1",
     {"[,.:;?_!": "[,.?_!"}, "an early version of the book's code left out"),
    ("SimpleTokenizerV1", BOOK_TOKENIZER, "SimpleTokenizerV1",
     {"item.strip() for item in preprocessed if item.strip()": "item for item in preprocessed"},
     "drop whitespace"),
    ("SimpleTokenizerV1", BOOK_TOKENIZER, "SimpleTokenizerV1",
     {'text = " ".join(': 'text = "".join('}, "glued together"),
    ("SimpleTokenizerV1", BOOK_TOKENIZER, "SimpleTokenizerV1",
     {"{i:s for s,i in vocab.items()}": "{i + 1:s for s,i in vocab.items()}"},
     "no token for id 0"),
    ("SimpleTokenizerV1", BOOK_TOKENIZER, "SimpleTokenizerV1",
     {"for i in ids])": "for i in reversed(ids)])"}, "encoding decode's text again"),
    ("SimpleTokenizerV1", BOOK_TOKENIZER, "SimpleTokenizerV1",
     {"text = re.sub(": "text = text.upper()\n        text = re.sub("}, "one changed"),
    ("SimpleTokenizerV1", BOOK_TOKENIZER, "SimpleTokenizerV1",
     {"ids = [self.str_to_int[s] for s in preprocessed]":
      "ids = [self.str_to_int.get(s, 0) for s in preprocessed]"}, "should raise KeyError"),
    ("SimpleTokenizerV1", BOOK_TOKENIZER, "SimpleTokenizerV1",
     {"r'\\s+([,.?!\"()\\'])'": "r'\\s*([,.?!\"()\\'])\\s*'"}, "glues"),
    ("SimpleTokenizerV1", BOOK_TOKENIZER, "SimpleTokenizerV1",
     {"text = re.sub(": "text = text or re.sub("}, "a space before"),
    # bpe_encode_piece
    ("bpe_encode_piece", EDUCATIONAL_MERGE, "bpe_encode_piece",
     {"rank < min_rank": "rank > min_rank"}, "*highest* rank first"),
    ("bpe_encode_piece", EDUCATIONAL_MERGE, "bpe_encode_piece",
     {"(min_rank is None or rank < min_rank)": "min_rank is None"},
     "leftmost pair that has a rank, without comparing ranks"),
    ("bpe_encode_piece", EDUCATIONAL_MERGE, "bpe_encode_piece",
     {"tokens = [mergeable_ranks[part] for part in parts]": "tokens = parts"}, "as bytes"),
    ("bpe_encode_piece", EDUCATIONAL_MERGE, "bpe_encode_piece",
     {"rank < min_rank": "rank <= min_rank"}, "you merge the rightmost"),
    ("bpe_encode_piece", GREEDY_SWEEP, "bpe_encode_piece", {}, "without comparing ranks"),
    ("bpe_encode_piece", EDUCATIONAL_MERGE, "bpe_encode_piece",
     {"for i, pair in enumerate(zip(parts[:-1], parts[1:])):":
      "for i, pair in reversed(list(enumerate(zip(parts[:-1], parts[1:])))):",
      "(min_rank is None or rank < min_rank)": "min_rank is None"},
     "rightmost pair that has a rank"),
    ("bpe_encode_piece", EDUCATIONAL_MERGE, "bpe_encode_piece",
     {"zip(parts[:-1], parts[1:])": "zip(parts[:-2], parts[1:-1])"},
     "never looks at the last pair"),
    ("bpe_encode_piece", GREEDY_SWEEP, "bpe_encode_piece",
     {"while i < len(parts) - 1:": "while i < len(parts) - 2:"}, "never looks at the last pair"),
    ("bpe_encode_piece", EDUCATIONAL_MERGE, "bpe_encode_piece",
     {"enumerate(zip(parts[:-1], parts[1:]))": "enumerate(zip(parts[1:-1], parts[2:]), 1)"},
     "never looks at the first pair"),
    # GPTDatasetV1
    ("GPTDatasetV1", BOOK_DATASET, "GPTDataSetV1",
     {"len(token_ids) - max_length, stride": "len(token_ids) - max_length + 1, stride"},
     "one too many"),
    ("GPTDatasetV1", BOOK_DATASET, "GPTDataSetV1",
     {"token_ids[i + 1 : i + max_length +1]": "token_ids[i:i + max_length]"},
     "target is not shifted"),
    ("GPTDatasetV1", BOOK_DATASET, "GPTDataSetV1",
     {'tokenizer.encode(txt, allowed_special={"<|endoftext|>"})': "tokenizer.encode(txt)"},
     "allowed_special"),
    ("GPTDatasetV1", BOOK_DATASET, "GPTDataSetV1",
     {"token_ids[i + 1 : i + max_length +1]": "token_ids[i + 1 : i + max_length]"},
     "windows should have"),
    ("GPTDatasetV1", BOOK_DATASET, "GPTDataSetV1",
     {"token_ids[i + 1 : i + max_length +1]": "token_ids[i + stride : i + stride + max_length]"},
     "your target is the next window"),
    ("GPTDatasetV1", BOOK_DATASET, "GPTDataSetV1",
     {"append(torch.tensor(input_chunk))": "append(input_chunk)",
      "append(torch.tensor(target_chunk))": "append(target_chunk)"}, "the task asks for tensors"),
    ("GPTDatasetV1", BOOK_DATASET, "GPTDataSetV1",
     {'allowed_special={"<|endoftext|>"})': 'allowed_special={"<|endoftext|>"})[:200]'},
     "do you cut the text, or its ids, short?"),
    ("GPTDatasetV1", BOOK_DATASET, "GPTDataSetV1",
     {"len(token_ids) - max_length, stride)": "len(token_ids) - max_length, 1)"},
     "your windows always move by 1 token, whatever `stride` is"),
    ("GPTDatasetV1", BOOK_DATASET, "GPTDataSetV1",
     {"len(token_ids) - max_length, stride)": "len(token_ids) - max_length, max_length)"},
     "your windows always move by max_length (4) tokens"),
    ("GPTDatasetV1", BOOK_DATASET, "GPTDataSetV1",
     {'allowed_special={"<|endoftext|>"}': "disallowed_special=()"},
     "encodes `<|endoftext|>` as ordinary text, 7 tokens"),
    ("GPTDatasetV1", BOOK_DATASET, "GPTDataSetV1",
     {"token_ids[i + 1 : i + max_length +1]": "token_ids[i + max_length : i + 2 * max_length]"},
     "your target is the next window"),
    ("GPTDatasetV1", BOOK_DATASET, "GPTDataSetV1",
     {"len(token_ids) - max_length, stride": "len(token_ids) - max_length - 1, stride"},
     "your loop stops one window early"),
    ("GPTDatasetV1", BOOK_DATASET, "GPTDataSetV1",
     {"range(0, len(token_ids)": "range(1, len(token_ids)"}, "your first window starts at token 1"),
    # sinusoidal_positions
    ("sinusoidal_positions", TUTORIAL_SINUSOIDS, "sinusoidal_positions",
     {"pe[:, 0::2] = torch.sin": "pe[:, 0::2] = torch.cos",
      "pe[:, 1::2] = torch.cos": "pe[:, 1::2] = torch.sin"}, "sine and cosine are swapped"),
    ("sinusoidal_positions", TUTORIAL_SINUSOIDS, "sinusoidal_positions",
     {"torch.arange(context_length)": "torch.arange(1, context_length + 1)"}, "start at 0"),
    ("sinusoidal_positions", TUTORIAL_SINUSOIDS, "sinusoidal_positions",
     {"torch.arange(0, emb_dim, 2) *": "torch.arange(emb_dim // 2) *"}, "the exponent is 2i/d"),
    ("sinusoidal_positions", TUTORIAL_SINUSOIDS, "sinusoidal_positions",
     {"return pe": "return pe.T"}, "transposed"),
    ("sinusoidal_positions", TUTORIAL_SINUSOIDS, "sinusoidal_positions",
     {"return pe": "return pe.half()"}, "your table is torch.float16"),
    ("sinusoidal_positions", TUTORIAL_SINUSOIDS, "sinusoidal_positions",
     {"return pe": "return pe.bfloat16()"}, "make it in float32"),
    ("sinusoidal_positions", TUTORIAL_SINUSOIDS, "sinusoidal_positions",
     {"torch.arange(0, emb_dim, 2) *": "(2 * torch.arange(0, emb_dim, 2)) *"}, "gives 4i/d"),
    ("sinusoidal_positions", TUTORIAL_SINUSOIDS, "sinusoidal_positions",
     {"(-math.log(10000.0) / emb_dim)": "(math.log(10000.0) / emb_dim)"},
     "10000**(2i/d) is the denominator"),
    ("sinusoidal_positions", TUTORIAL_SINUSOIDS, "sinusoidal_positions",
     {"pe[:, 1::2] = torch.cos(position * div_term)": "pe[:, 1::2] = torch.cos(position * "
      "torch.exp(torch.arange(1, emb_dim, 2) * (-math.log(10000.0) / emb_dim)))"},
     "its own exponent, (2i + 1)/d"),
    ("sinusoidal_positions", TUTORIAL_SINUSOIDS, "sinusoidal_positions",
     {"pe[:, 0::2] = torch.sin(position * div_term)\n    pe[:, 1::2] = torch.cos(position * "
      "div_term)": "pe = torch.cat([torch.sin(position * div_term), torch.cos(position * "
      "div_term)], dim=1)"}, "the layout expected interleaves them"),
    ("sinusoidal_positions", TUTORIAL_SINUSOIDS, "sinusoidal_positions",
     {"pe[:, 0::2] = torch.sin": "pe[:, 0::2] = torch.cos",
      "pe[:, 1::2] = torch.cos": "pe[:, 1::2] = torch.sin",
      "torch.arange(0, emb_dim, 2) *": "torch.arange(emb_dim // 2) *"},
     "2 mistakes at once: (1) sine and cosine are swapped"),
]
# fmt: on


@pytest.mark.parametrize(("name", "code", "function", "bug", "words"), PLANTED)
def test_a_planted_bug_fails_with_a_pointed_message(name, code, function, bug, words) -> None:
    result = exercises.check_implementation(name, build(code, function, **bug))
    assert result.status == "failed", result
    assert words in result.message, result
    if "differ" in result.message or "shifted" in result.message:
        assert "expected:" in result.details and "got:" in result.details


def test_the_smallest_differing_input_is_shown() -> None:
    def no_merges(piece, ranks):
        return [ranks[bytes([b])] for b in piece]

    result = exercises.check_implementation("bpe_encode_piece", no_merges)
    # the first piece with a mergeable pair has two bytes
    assert re.search(r"input:\s+b'..?.?.?.?'", result.details), result.details


def test_a_starter_that_still_raises_not_implemented_is_unanswered() -> None:
    class MySimpleTokenizerV1:
        def __init__(self, vocab):
            raise NotImplementedError("your code here")

    result = exercises.check_implementation("SimpleTokenizerV1", MySimpleTokenizerV1)
    assert result.status == "unanswered"
    assert "NotImplementedError" in result.message


def test_learner_code_that_loops_forever_is_stopped(monkeypatch) -> None:
    exercise = exercises.get("06.5")
    monkeypatch.setattr(exercise, "time_limit", 0.5)

    def forever(context_length, emb_dim):
        while True:
            pass

    result = exercise.check(forever)
    assert result.status == "failed" and "loop forever" in result.message


def test_check_implementation_names() -> None:
    assert set(exercises.IMPLEMENTATIONS.values()) == BUILD
    with pytest.raises(KeyError, match="nothing called 'GPT'"):
        exercises.check_implementation("GPT", None)


def test_a_result_shows_itself_in_colour_and_in_words() -> None:
    passed = exercises.get("02.3").check(1132)
    failed = exercises.get("02.3").check(1133)
    assert "✓" in repr(passed) and "Correct" in passed._repr_html_()
    assert "#1b7837" in passed._repr_html_() and "#b2182b" in failed._repr_html_()
    assert "Not yet" in failed._repr_html_() and "size" in failed._repr_html_()
    assert "<script" not in exercises.get("02.3").check("<script>")._repr_html_()


def test_progress_shows_what_passed_and_what_was_tried() -> None:
    before = exercises.progress("06")
    exercises.get("06.1").check(list(range(6)))
    exercises.get("06.2").check(None)
    exercises.get("06.3").check(...)  # not answered yet: not a try
    after = exercises.progress("06")
    assert before.passed == 0 and after.passed == 1 and "✓ 06.1" in repr(after)
    assert "not yet (1 try)" in repr(after) and "· 06.3" in repr(after)
    assert after.total == before.total == len([e for e in exercises.all() if e.notebook == "06"])
    assert "exercises passed" in after._repr_html_() and "<table" in after._repr_html_()
    everything = exercises.progress()
    assert everything.notebook is None and everything.total == len(exercises.all())
    assert "06: 1 of" in repr(everything)
    with pytest.raises(KeyError, match="'07' has no exercises"):
        exercises.progress("07")


def test_hints_come_one_at_a_time() -> None:
    exercise = exercises.get("01.2")
    exercise._hints_shown = 0
    first = exercise.hint()._repr_markdown_()
    second = exercise.hint()._repr_markdown_()
    assert "Hint 1 of 3" in first and "Hint 2" not in first
    assert "Hint 2 of 3" in second


# ---- what the learner's review found ------------------------------------------------


def test_the_older_pattern_is_an_early_version_of_the_books_code_not_a_printing() -> None:
    candidate = build(BOOK_TOKENIZER, "SimpleTokenizerV1", **{"[,.:;?_!": "[,.?_!"})
    checks = (
        lambda: exercises.get("02.1").check(1159),
        lambda: exercises.check_implementation("SimpleTokenizerV1", candidate),
    )
    for check in checks:
        english = check()
        with speaking("zh"):
            chinese = check()
        assert english.diagnosis == chinese.diagnosis == "first-printing-pattern"  # the key
        assert "early version of the book's code" in english.message, english
        assert "书中代码的早期版本" in chinese.message, chinese
        assert "printing" not in english.message and "首印" not in chinese.message


def _setup_cell_names(notebook: str) -> set[str]:
    """The names a fresh notebook has after its own setup cell (the imports of its first
    code cell) and the variables its solutions may take for granted (CONTEXT's
    assignments, made by the notebook's steps): never an import that only CONTEXT has."""
    path = next((ROOT / "notebooks").glob(f"{notebook}_*.ipynb"))
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    first = "".join(next(c for c in cells if c["cell_type"] == "code")["source"])
    names = set(dir(builtins))
    for node in ast.walk(ast.parse(first)):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    context = importlib.import_module(f"llmprep.course.exercises.nb{notebook}").CONTEXT
    for node in ast.parse(context).body:
        if isinstance(node, ast.Assign):
            names |= {n.id for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return names


def _names_used_not_made(code: str) -> set[str]:
    """The global names a piece of code reads without defining or importing them."""
    tree = ast.parse(textwrap.dedent(code))
    made, used = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (used if isinstance(node.ctx, ast.Load) else made).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            made.add(node.name)
        elif isinstance(node, ast.arg):
            made.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            made |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return used - made


@pytest.mark.parametrize(
    "exercise", [e for e in exercises.all() if e.options is None], ids=lambda e: e.id
)
def test_a_solution_runs_as_printed_after_the_notebooks_setup_cell(exercise) -> None:
    missing = _names_used_not_made(exercise.solution_code) - _setup_cell_names(exercise.notebook)
    assert not missing, f"{exercise.id}'s solution uses {sorted(missing)} without importing them"


def test_lower_casing_saves_the_ids_of_the_vocabulary_built_in_the_exercise() -> None:
    from llmprep import load_text, split_text

    tokens = split_text(load_text("the-verdict"))
    seen = tokens[: int(0.8 * len(tokens))]  # the vocabulary of 02.2: the first 80%
    fewer = len(set(seen)) - len({t.lower() for t in seen})
    everything = len(set(tokens)) - len({t.lower() for t in tokens})
    assert fewer != everything  # 49 and 54: a number of the whole story would be wrong
    exercise = exercises.get("02.2")
    result = exercise.check(run(exercise.solution_code, "02", "share"))
    assert result.passed and f"{fewer} fewer ids" in result.message, result
    assert f"{everything} fewer" not in result.message


def test_a_decode_with_a_leading_space_passes_and_is_told_so() -> None:
    notes = exercises.check_implementation(
        "SimpleTokenizerV1", build(NOTES_TOKENIZER, "SimpleTokenizerV1")
    )
    assert notes.passed and "your decode's text starts with whitespace" in notes.message, notes
    trailing = build(BOOK_TOKENIZER, "SimpleTokenizerV1", **{"return text": "return text + ' '"})
    result = exercises.check_implementation("SimpleTokenizerV1", trailing)
    assert result.passed and "ends with whitespace" in result.message, result
    book = exercises.check_implementation(
        "SimpleTokenizerV1", build(BOOK_TOKENIZER, "SimpleTokenizerV1")
    )
    assert book.passed and "whitespace (decode gives" not in book.message, book


@pytest.mark.parametrize(
    "pattern",
    [
        r"""(--|[-,.:;?_!"()\']|\s)""",
        r"""((?:--)|[,.:;?_!"()\']|-|\s)""",
        r"""([,.:;?_!"()\']|--|-|\s+)""",
    ],
)
def test_an_equivalent_hyphen_pattern_passes(pattern) -> None:
    assert exercises.get("01.2").check(pattern).passed


def test_lower_casing_says_only_what_happened_to_the_story() -> None:
    from llmprep import load_text, split_text

    tokens = set(split_text(load_text("the-verdict")))
    message = exercises.get("01.4").check(len({t.lower() for t in tokens})).message
    for spelled in re.findall(r"\(([^)]*)\) are now one token each", message)[0].split(";"):
        words = re.findall(r"`([^`]+)`", spelled)
        assert len(words) > 1 and set(words) <= tokens, words  # each of them is in the story
    assert "jack" not in tokens and "`Jack` and `jack`" not in message
    assert "`Jack` becomes `jack`" in message and "has no such word" in message


@pytest.mark.parametrize(
    "code",
    [  # evaluate_word_analogies' `correct` tuples are upper case; a set is a collection too
        "answer = [('MAN', 'KING', 'WOMAN', 'QUEEN'), ('GOOD', 'BETTER', 'BAD', 'WORSE'),"
        " ('BANANA', 'BANANAS', 'BIRD', 'BIRDS')]",
        "answer = {('man', 'king', 'woman', 'queen'), ('good', 'better', 'bad', 'worse'),"
        " ('banana', 'bananas', 'bird', 'birds')}",
    ],
)
def test_analogies_in_the_form_step_4_gives_them_pass(code) -> None:
    exercise = exercises.get("05.1")
    assert exercise.check(run(code, "05")).passed


@pytest.mark.parametrize(
    ("exercise_id", "code"),
    [
        (
            "01.3",
            "from collections import Counter\nfrom fractions import Fraction\n"
            "tokens = split_text(raw_text)\n"
            "answer = Fraction(sum(n for _, n in Counter(tokens).most_common(10)), len(tokens))",
        ),
        ("03.3", "answer = tuple(float(i) for i in trained.merges[0])"),  # whole floats: ids
        ("03.3", "answer = list(trained.merges[0])"),  # as the JSON file has it
    ],
)
def test_a_right_answer_in_another_type_passes(exercise_id, code) -> None:
    exercise = exercises.get(exercise_id)
    assert exercise.check(run(code, exercise.notebook)).passed
