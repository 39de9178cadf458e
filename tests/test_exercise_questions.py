"""Checked questions: at least two multiple-choice questions per notebook, answered by
letter or text, a different explanation for each wrong choice, every number in them
computed here from the package. And hints: at least two per exercise, the first a nudge
that gives away neither the answer nor the code that computes it."""

from __future__ import annotations

import re

import pytest
import torch
from test_exercises import NOTEBOOKS, run

from llmprep import exercises
from llmprep.course.exercises.questions import Question

QUESTIONS = [e for e in exercises.all() if isinstance(e, Question)]


def test_every_notebook_has_two_or_more_questions_numbered_after_its_exercises() -> None:
    for notebook in NOTEBOOKS:
        ids = [e.id for e in exercises.all() if e.notebook == notebook and "." in e.id]
        numbers = [int(i.split(".")[1]) for i in ids if i.startswith(notebook)]
        asked = [e for e in QUESTIONS if e.notebook == notebook]
        assert len(asked) >= 2, notebook
        assert numbers == list(range(1, len(numbers) + 1)), ids  # 01.1 ... 01.7, no gaps
        assert all(ids.index(q.id) > ids.index(e) for q in asked for e in ids if e not in
                   {a.id for a in asked})  # fmt: skip
    assert {e.options is None for e in exercises.all() if e not in QUESTIONS} == {True}


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_a_question_takes_the_letter_or_the_text(question) -> None:
    right = question.answer
    text = question.options[question.letters.index(right)]
    for answer in (right, right.upper(), f"({right})", f" {right}) ", text, text.upper(),
                   f"{right}) {text}"):  # fmt: skip
        assert question.check(answer).passed, answer
    assert question.options == tuple(str(c.text) for c in question.choices)
    unknown = question.check("z")
    assert unknown.status == "failed" and ", ".join(question.letters) in unknown.message
    assert "as a string" in question.check(1).message
    shown = question._repr_markdown_()
    assert all(
        f"**{k})** {o}" in shown for k, o in zip(question.letters, question.options, strict=True)
    )
    assert text in question.solution()._repr_markdown_()


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_each_wrong_choice_explains_its_own_misconception(question) -> None:
    wrong = [k for k in question.letters if k != question.answer]
    assert len(wrong) >= 2
    results = [question.check(k) for k in wrong]
    assert all(r.status == "failed" for r in results)
    messages = [r.message for r in results] + [question.check(question.answer).message]
    assert len(set(messages)) == len(messages)  # one explanation per choice
    keys = [r.diagnosis for r in results]
    assert len(set(keys)) == len(keys) and all(re.fullmatch(r"[a-z0-9-]+", k) for k in keys)
    assert not any(f"({question.answer})" in m or "the answer is" in m for m in messages[:-1])


# ---- every number in the questions, computed --------------------------------------------


def claims() -> dict[str, list[tuple[str, object]]]:
    """For each question, what its text states (as written there) and the same computed
    from the package: a string that must equal it, or True where the fact is no number."""
    import numpy as np

    from llmprep import BPETokenizer, gpt2_encoding, load_text, split_text
    from llmprep.course.exercises import nb02
    from llmprep.course.exercises.nb05 import _vectors
    from llmprep.dataset import TokenWindows, create_dataloader_v1
    from llmprep.embeddings import sinusoidal_positions
    from llmprep.simple import SPECIAL_TOKENS, build_vocab

    story = load_text("the-verdict")
    tokens = split_text(story)
    vocab = build_vocab(tokens, special_tokens=SPECIAL_TOKENS)
    gpt2, vectors = gpt2_encoding(), _vectors()
    counts = {t: tokens.count(t) for t in set(tokens)}
    n_lower = len(set(split_text(story.lower())))
    short, long = (len(BPETokenizer.train(story, n).encode(story)) for n in (1000, 2000))
    windows = TokenWindows(list(range(20)), max_length=4, stride=2)
    table = sinusoidal_positions(64, 128)
    near = [torch.nn.functional.cosine_similarity(table[10], table[k], dim=0) for k in (11, 20)]
    batch = next(iter(create_dataloader_v1(story, batch_size=8, max_length=4, stride=4,
                                            shuffle=False)))[0]  # fmt: skip
    share = [nb02._unknown_share(*nb02._split_80(t)) for t in (tokens, [t.lower() for t in tokens])]
    dog, cat = vectors["dog"], vectors["cat"]
    return {
        "01.5": [("1,130", f"{len(counts):,}"), ("1,076", f"{n_lower:,}"),
                 ("54 distinct", f"{len(counts) - n_lower} distinct")],
        "01.6": [("['Hello', ',', '', ' ', 'world', '.', '']",
                  str(re.split(r"([,.]|\s)", "Hello, world."))),
                 ("['Hello', '', 'world', '']", str(re.split(r"[,.]|\s", "Hello, world.")))],
        "01.7": [("(id 995)", f"(id {gpt2.encode(' world')[0]})"),
                 ("is one token", "is one token" if len(gpt2.encode(" world")) == 1 else ""),
                 ("8,405", f"{len(split_text(story, keep_whitespace=True)):,}"),
                 ("4,690", f"{len(tokens):,}")],
        "02.6": [("id 1,131", f"id {vocab['<|unk|>']:,}"),
                 ("id 1,130", f"id {vocab['<|endoftext|>']:,}")],
        "02.7": [("12.7%", f"{share[0]:.1%}"), ("12.2%", f"{share[1]:.1%}"),
                 ("697 of", f"{sum(n == 1 for n in counts.values())} of"),
                 ("1,130 distinct", f"{len(counts):,} distinct"),
                 ("id 1,131", f"id {vocab['<|unk|>']:,}")],
        "02.8": [("gets id 0", f"gets id {vocab['!']}"), ("id 988", f"id {vocab['the']}"),
                 ("the most frequent word", True) if max(
                     (t for t in counts if t.isalpha()), key=counts.get) == "the" else ("", 0)],
        "03.6": [("`Ak|w|ir|w| |ier`", "`" + "|".join(gpt2.decode([i]) for i in gpt2.encode(
                  "Akwirw ier")) + "`"), ("50,257", f"{gpt2.n_vocab:,}"),
                 ("50256 is", f"{gpt2.eot_token} is"),
                 ("six known tokens", len(gpt2.encode("Akwirw ier")) == 6)],
        "03.7": [(f"`{p!r}` {r}", f"`{p!r}` {gpt2._mergeable_ranks[p]}") for p, r in
                 ((b" h", 289), (b"he", 258), (b"el", 417), (b"ll", 297), (b"lo", 5439))],
        "03.8": [("6,999", f"{short:,}"), ("5,555", f"{long:,}"),
                 ("21% fewer", f"{1 - long / short:.0%} fewer")],
        "04.7": [(f"`{w}`", f"`{windows[k][j].tolist()}`") for k, j, w in
                 ((0, 0, [0, 1, 2, 3]), (1, 0, [2, 3, 4, 5]), (0, 1, [1, 2, 3, 4]),
                  (1, 1, [3, 4, 5, 6]))],
        "05.5": [("26,423", f"{len(vectors):,}"),
                 ("gives `queen`", "gives `" + vectors.most_similar(positive=["king", "woman"],
                  negative=["man"], topn=1)[0][0] + "`"),
                 ("are not in it", not any(w in vectors.key_to_index for w in ("paris",
                  "france", "italy")))],
        "05.6": [("0.761", f"{vectors.similarity('dog', 'cat'):.3f}"),
                 ("0.083", f"{vectors.similarity('sky', 'vector'):.3f}"),
                 ("`v @ w / (|v| |w|)`", bool(np.isclose(vectors.similarity("dog", "cat"),
                  dog @ cat / np.linalg.norm(dog) / np.linalg.norm(cat))))],
        "05.7": [("`' terr'` + `'aces'`", [gpt2.decode([i]) for i in gpt2.encode(" terraces")]
                  == [" terr", "aces"]),
                 ("from_pretrained", callable(torch.nn.Embedding.from_pretrained))],
        "06.6": [("(8, 4, 256): the same",
                  f"{tuple((torch.zeros(8, 4, 256) + torch.zeros(4, 256)).shape)}: the same")],
        "06.7": [("id 257 at position 2 and at position 3",
                  batch[2, 2].item() == batch[3, 3].item() == 257)],
        "06.8": [("is 0.97", f"is {near[0]:.2f}"), ("it is 0.67", f"it is {near[1]:.2f}"),
                 ("has length 8", f"has length {table[5].norm():.0f}")],
    }  # fmt: skip


def test_every_number_in_the_questions_is_the_packages() -> None:
    stated = claims()
    for question_id, facts in stated.items():
        question = exercises.get(question_id)
        text = " ".join(str(t) for t in [question.task, *question.options,
                                         *(c.explanation for c in question.choices)])  # fmt: skip
        for written, computed in facts:
            assert written and written in text, (question_id, written)
            assert computed is True or computed == written, (question_id, written, computed)
    assert {q.id for q in QUESTIONS} - set(stated) <= {"04.6", "04.8"}  # they state no number


# ---- hints ------------------------------------------------------------------------------


def normal(text: str) -> str:
    """Code as it would be compared: no spaces, one kind of quote."""
    return re.sub(r"\s+", "", text).replace("'", '"')


def values(answer: object) -> list[str]:
    """How an answer's value would be written in a hint."""
    if isinstance(answer, bool) or answer is None or callable(answer):
        return []
    if isinstance(answer, int):
        return [str(answer), f"{answer:,}"] if abs(answer) >= 10 else []
    if isinstance(answer, float):
        return [f"{answer:.3f}", f"{answer:.2f}", f"{answer:.1%}", f"{answer:,.0f}"]
    if isinstance(answer, str):
        return [answer] if len(answer) >= 3 else []
    if isinstance(answer, (list, tuple)) and not any(hasattr(a, "shape") for a in answer):
        return [found for item in answer for found in values(item)] + [repr(list(answer))]
    return []


@pytest.mark.parametrize("exercise", exercises.all(), ids=lambda e: e.id)
def test_the_first_hint_is_a_nudge_and_the_last_comes_close(exercise, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a solution may save a file (03.3 does): never in the checkout
    assert len(exercise.hints) >= 2, f"{exercise.id}: give at least two hints"
    first = str(exercise.hints[0])  # in English
    solution = exercise.solution_code
    for line in solution.splitlines():
        assigned = re.match(r"\s*[\w, ()]+\s*=(?!=)(.*)", line)
        expression = normal(assigned.group(1) if assigned else line)
        assert len(expression) < 12 or expression not in normal(first), (exercise.id, line)
    for span in re.findall(r"`([^`]+)`", first):
        assert len(normal(span)) < 12 or normal(span) not in normal(solution), (exercise.id, span)
    answer = run(solution, exercise.notebook, exercise.answer_name)
    if isinstance(exercise, Question):
        right = exercise.options[exercise.letters.index(exercise.answer)]
        assert normal(right) not in normal(first) and "choice" not in first.lower()
        return
    for value in values(answer):
        assert not re.search(rf"(?<![\w.,]){re.escape(value)}(?![\w,]|\.\d)", first), (
            exercise.id,
            value,
        )
    assert str(exercise.hints[-1]) != first
