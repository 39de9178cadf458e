"""Nothing silently wrong in a check: learner code gets read-only views and cannot damage
the checker's data, a check leaves the random generators and the learner's timers as they
were, the time limit cannot be swallowed, answers are compared as plain values, and token
ids of any integer type are read like any other."""

from __future__ import annotations

import random
import signal
import time

import numpy as np
import pytest
import torch

from llmprep import exercises
from llmprep.course.exercises.answers import plain


def no_merges(piece, ranks):
    return [ranks[bytes([b])] for b in piece]


def test_a_merge_loop_cannot_damage_the_ranks_the_reference_uses() -> None:
    def deleting(piece, ranks):
        for token in [t for t in ranks if len(t) > 1]:
            del ranks[token]  # the table is the tokenizer's: this must not reach the checker
        return [ranks[bytes([b])] for b in piece]

    first = exercises.check_implementation("bpe_encode_piece", deleting)
    assert first.status == "failed" and "tried to change what it was given" in first.message
    assert first.diagnosis == "changes-its-input"
    later = exercises.check_implementation("bpe_encode_piece", no_merges)
    assert not later.passed and "never merges" in later.message  # the reference is intact


def test_a_dataset_cannot_replace_the_tokenizer_the_reference_uses() -> None:
    class Sneaky(torch.utils.data.Dataset):
        def __init__(self, txt, tokenizer, max_length, stride):
            tokenizer.encode = lambda *args, **kwargs: []

    result = exercises.check_implementation("GPTDatasetV1", Sneaky)
    assert not result.passed and "tried to change what it was given" in result.message
    assert exercises.get("04.5").check(Sneaky).message == result.message  # still the same


@pytest.mark.parametrize("exercise_id", ["05.3", "05.4", "06.2"])
def test_a_check_leaves_the_random_generators_as_they_were(exercise_id, monkeypatch) -> None:
    exercise = exercises.get(exercise_id)
    monkeypatch.setattr(exercise, "_right", None)  # the reference is computed in this check
    torch.manual_seed(0), random.seed(0), np.random.seed(0)
    expected = torch.rand(3), random.random(), np.random.rand()
    torch.manual_seed(0), random.seed(0), np.random.seed(0)
    exercise.check(None)
    assert torch.equal(torch.rand(3), expected[0])
    assert (random.random(), np.random.rand()) == expected[1:]


def test_learner_code_that_draws_random_numbers_leaves_no_trace() -> None:
    def sinusoids(context_length, emb_dim):
        torch.manual_seed(12345)
        random.seed(1)
        return torch.rand(context_length, emb_dim)

    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    exercises.check_implementation("sinusoidal_positions", sinusoids)
    assert torch.equal(torch.rand(3), expected)


def test_the_learners_own_alarm_survives_a_check() -> None:
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    try:
        signal.setitimer(signal.ITIMER_REAL, 30.0)
        exercises.get("06.1").check(range(6))
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 25 < left <= 30  # re-armed with the time it had left, not cancelled
        assert signal.getsignal(signal.SIGALRM) is not previous  # the learner's handler
        signal.setitimer(signal.ITIMER_REAL, 0.05)  # one that falls due during a check
        exercises.get("03.5").check(no_merges)
        time.sleep(0.2)
        assert fired == [signal.SIGALRM]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def swallow_exception(context_length, emb_dim):
    while True:
        try:  # noqa: SIM105 (as learners write it)
            sum(range(1000))
        except Exception:
            pass


def swallow_everything(context_length, emb_dim):
    # subtle: the body must do something; Python 3.10 never runs a signal handler (not even
    # Ctrl-C's) in a loop of `try: pass` alone
    while True:
        try:  # noqa: SIM105 (as learners write it)
            len("a body")
        except:  # noqa: E722 (the point of the test)
            pass


def swallow_then_sleep(context_length, emb_dim):
    while True:
        try:
            time.sleep(10)
        except BaseException:
            continue


def swallow_and_return(context_length, emb_dim):
    try:
        while True:
            pass
    except BaseException:
        return torch.zeros(context_length, emb_dim)


@pytest.mark.parametrize(
    "forever", [swallow_exception, swallow_everything, swallow_then_sleep, swallow_and_return]
)
def test_the_time_limit_cannot_be_swallowed(forever, monkeypatch) -> None:
    exercise = exercises.get("06.5")
    monkeypatch.setattr(exercise, "time_limit", 0.3)
    for _ in range(2):  # and it holds for every later call
        start = time.monotonic()
        result = exercise.check(forever)
        assert result.status == "failed" and "took more than" in result.message
        assert result.diagnosis == "time-limit" and time.monotonic() - start < 5
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert exercise.check(range(6)).status == "failed"  # later checks work as before


class Agreeable(int):
    def __eq__(self, other):
        return True

    __hash__ = int.__hash__


class AgreeableStr(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


class AgreeableDict(dict):
    def __eq__(self, other):
        return True

    __hash__ = None


def test_answers_that_say_they_equal_anything_are_compared_as_plain_values() -> None:
    assert not exercises.get("02.3").check(Agreeable(0)).passed
    assert not exercises.get("01.1").check([AgreeableStr("Mr")]).passed
    assert not exercises.get("02.1").check(AgreeableDict({"a": 0})).passed
    assert not exercises.get("03.3").check((Agreeable(0), Agreeable(0))).passed
    assert exercises.get("02.3").check(Agreeable(1132)).passed  # the value itself counts
    assert type(plain(Agreeable(3))) is int and type(plain(AgreeableStr("x"))) is str
    assert plain({AgreeableStr("k"): [Agreeable(1), (np.float64(0.5),)]}) == {"k": [1, (0.5,)]}


@pytest.mark.parametrize("dtype", [np.uint16, np.uint32])
def test_token_ids_of_a_token_files_type_are_read_like_any_others(dtype) -> None:
    from llmprep import gpt2_encoding, load_text
    from llmprep.dataset import create_dataloader_v1

    inputs, targets = next(
        iter(create_dataloader_v1(load_text("the-verdict"), batch_size=4, max_length=8,
                                  stride=2, shuffle=False))
    )  # fmt: skip
    as_arrays = (inputs.numpy().astype(dtype), targets.numpy().astype(dtype))
    as_tensors = tuple(torch.from_numpy(a) for a in as_arrays)
    assert exercises.get("book-2.2").check(as_arrays).passed
    assert exercises.get("book-2.2").check(as_tensors).passed
    ids = np.array(gpt2_encoding().encode("Akwirw ier"), dtype=dtype)
    assert exercises.get("book-2.1").check(ids).passed
    assert exercises.get("06.1").check(np.arange(6, dtype=dtype)).passed
    enc = gpt2_encoding().encode(load_text("the-verdict"))
    window = (np.array(enc[6:10], dtype=dtype), np.array(enc[7:11], dtype=dtype))
    assert exercises.get("04.2").check(window).passed


def test_position_ids_follow_one_rule_integers_of_any_kind() -> None:
    positions = exercises.get("06.1")
    for right in (range(6), list(range(6)), torch.arange(6), np.arange(6), (0, 1, 2, 3, 4, 5)):
        assert positions.check(right).passed, right
    floats = [torch.arange(6.0), [0.0, 1.0, 2.0, 3.0, 4.0, 5.0], np.arange(6.0)]
    messages = {positions.check(wrong).diagnosis for wrong in floats}
    assert messages == {"float-positions"}
    task = str(positions.task)  # in English
    assert "a `range`" in task and "floats are not ids" in task
