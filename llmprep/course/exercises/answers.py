"""Reading a learner's answer: plain values first, then the kind of value the task asks for.

Every answer is first rebuilt from plain built-in values (:func:`plain`), so that a
subclass of ``int``, ``str`` or ``dict`` whose ``__eq__`` always says True never decides
a comparison. Each reader then either returns the value or raises :class:`Wrong` with a
message that says what was expected.

>>> class Agreeable(int):
...     def __eq__(self, other):
...         return True
...     __hash__ = int.__hash__
>>> Agreeable(3) == 4, plain(Agreeable(3)) == 4
(True, False)
>>> as_int_list(range(3))
[0, 1, 2]
>>> try:
...     as_int_list([0.0, 1.0])
... except Wrong as wrong:
...     print(wrong, "|", wrong.diagnosis)
ids are whole numbers of an integer type: item 0 is 0.0, a float; write 0, not 0.0 | float-ids
"""

from __future__ import annotations

import decimal
import math
import numbers
import operator
import unicodedata
from typing import Any

from llmprep.course.language import Said, say

__all__ = [
    "NotAnswered",
    "Wrong",
    "as_float",
    "as_int",
    "as_int_list",
    "as_pair",
    "as_str",
    "as_tensor",
    "close",
    "describe",
    "difference",
    "label",
    "plain",
    "shorten",
]


#: What a reader expects where its caller does not say (shown in the kernel's language).
_WHOLE_NUMBER = Said("a whole number", "一个整数")
_NUMBER = Said("a number", "一个数")
_WHOLE_NUMBERS = Said("a list of whole numbers", "一个整数列表")
_STRING = Said("a string", "一个字符串")
_INPUT = Said("input", "输入")


class Wrong(Exception):
    """Raised by a judge: the answer is wrong. ``message`` says how, ``details`` may show
    the input where it went wrong, and ``diagnosis`` is a short stable key of the mistake
    (``"off-by-one"``) that the class summary counts; None for a mistake not named."""

    def __init__(self, message: str, details: str = "", *, diagnosis: str | None = None):
        super().__init__(message, details)
        self.message, self.details, self.diagnosis = message, details, diagnosis

    def __str__(self) -> str:
        return self.message


class NotAnswered(Exception):
    """Raised by a judge: the learner has not answered yet (the starter is unchanged)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


_MAX_DEPTH = 40


def plain(value: Any, _depth: int = 0) -> Any:
    """The value rebuilt from exact built-in types: ints, floats, strings and bytes as
    themselves, lists, tuples, dicts and sets rebuilt item by item. Anything else (a
    tensor, a function, a class) is returned as it is."""
    if _depth > _MAX_DEPTH:
        raise Wrong(
            say("the answer is nested too deeply to read", "这个答案嵌套得太深，无法读取。"),
            diagnosis="unreadable",
        )
    kind = type(value)
    if kind in (int, float, str, bytes, bool, type(None), range):
        return value
    if isinstance(value, int):  # an int subclass, or a NumPy type built on int
        return operator.index(value)  # subtle: always an exact int, whatever it overrides
    if isinstance(value, float):  # np.float64 is one too
        return float.__float__(value)
    if isinstance(value, str):  # np.str_ too
        return str.__str__(value)
    if isinstance(value, bytes):
        return memoryview(value).tobytes()
    deeper = _depth + 1
    if isinstance(value, list):
        return [plain(v, deeper) for v in list.__iter__(value)]
    if isinstance(value, tuple):
        return tuple(plain(v, deeper) for v in tuple.__iter__(value))
    if isinstance(value, dict):
        return {plain(k, deeper): plain(v, deeper) for k, v in dict.items(value)}
    if isinstance(value, (set, frozenset)):
        items = {plain(v, deeper) for v in set.__iter__(set(value))}
        return items if isinstance(value, set) else frozenset(items)
    return value


def describe(value: Any) -> str:
    """A short description of a value for a message: its type and a glimpse of it."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    shape = getattr(value, "shape", None)
    kind = type(value).__name__
    article = "an" if kind[:1].lower() in "aeiou" else "a"
    if shape is not None:
        return say(f"{article} {kind} of shape {tuple(shape)}", f"{kind}（形状为 {tuple(shape)}）")
    return say(f"{text} ({article} {kind})", f"{text}（{kind} 类型）")


def _spaced(text: str, *, before: bool = True, after: bool = True) -> str:
    """``text`` set among Chinese words: a space on each side (``before``, ``after``) where
    it starts or ends with a Latin letter, a digit or code (``需要 `decode`，``)."""
    if before and text[:1].isascii() and text[:1].strip():
        text = " " + text
    if after and text[-1:].isascii() and text[-1:].strip():
        text += " "
    return text


def _scalar(value: Any) -> Any:
    """NumPy scalars and 0-d arrays or tensors as Python numbers; anything else as is."""
    if hasattr(value, "shape") and hasattr(value, "item") and tuple(value.shape) == ():
        return value.item()
    return value


def as_int(value: Any, what: str | Said = _WHOLE_NUMBER, *, whole_floats: bool = True) -> int:
    """An int from an int, a NumPy or 0-d tensor integer, or (if ``whole_floats``) a
    float that is whole, such as a count computed by a division."""
    value = _scalar(value)
    if isinstance(value, bool):
        raise Wrong(_bool_given(what, value))
    if isinstance(value, int):
        return operator.index(value)
    if isinstance(value, float) and value.is_integer() and whole_floats:
        return int(value)
    if isinstance(value, str):
        raise Wrong(_string_given(what, value))
    raise Wrong(_expected(what, value))


def _expected(what: str | Said, value: Any, why: str = "") -> str:
    """The message "expected ``what``, got ``value``", then ``why`` if there is one."""
    what = str(what)
    return say(
        f"expected {what}, got {describe(value)}" + (f": {why}" if why else ""),
        f"这里需要{_spaced(what, after=False)}，你给的是 {describe(value)}"
        + (f"：{why}" if why else ""),
    )


def _bool_given(what: str | Said, value: bool) -> str:
    what = str(what)
    return say(
        f"expected {what}, got {value!r}, a bool",
        f"这里需要{_spaced(what, after=False)}，你给的是 {value!r}（bool 类型）",
    )


def _string_given(what: str | Said, value: str) -> str:
    what = str(what)
    return say(
        f"expected {what}, got the string {value!r}: write a number, without quotes",
        f"这里需要{_spaced(what, after=False)}，你给的是字符串 {value!r}：请写成数字，不要加引号。",
    )


def as_float(value: Any, what: str | Said = _NUMBER) -> float:
    """A float from any real number: an int, a float, a NumPy or 0-d tensor number, a
    ``fractions.Fraction`` or a ``decimal.Decimal``.

    >>> from fractions import Fraction
    >>> as_float(Fraction(1, 4)), as_float(3)
    (0.25, 3.0)
    """
    value = _scalar(value)
    if isinstance(value, bool):
        raise Wrong(_bool_given(what, value))
    if isinstance(value, (int, float)) and math.isfinite(value):
        return float(value)
    if isinstance(value, (numbers.Real, decimal.Decimal)):
        number = float(value)
        if math.isfinite(number):
            return number
    if isinstance(value, str):
        raise Wrong(_string_given(what, value))
    raise Wrong(_expected(what, value))


def _is_float_dtype(value: Any) -> bool:
    dtype = getattr(value, "dtype", None)
    return bool(
        getattr(dtype, "is_floating_point", False) or getattr(dtype, "kind", "") in ("f", "c")
    )


def as_int_list(value: Any, what: str | Said = _WHOLE_NUMBERS) -> list[int]:
    """Ids as a list of ints, from a list, tuple or range of ints, or a one-dimensional
    NumPy array or tensor of an integer type (uint16 and uint32 too). One rule for every
    list of ids: they are integers, so floats are refused, even whole ones."""
    if isinstance(value, range):
        return list(value)
    if hasattr(value, "tolist") and not isinstance(value, (list, tuple)):
        if getattr(value, "ndim", 1) != 1:
            raise Wrong(
                _expected(what, value, say("it should be one-dimensional", "它应当是一维的。"))
            )
        if _is_float_dtype(value):
            raise Wrong(
                say(
                    f"ids are whole numbers of an integer type, and yours are {value.dtype}: "
                    f"make them with integers (`torch.arange(6)`, not `torch.arange(6.0)`)",
                    f"ID 是整数，要用整数类型来存，而你的是 {value.dtype}：请用整数来生成"
                    f"（写 `torch.arange(6)`，不要写 `torch.arange(6.0)`）。",
                ),
                diagnosis="float-ids",
            )
        value = value.tolist()
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise Wrong(_expected(what, value))
    ids = []
    for k, item in enumerate(value):
        item = _scalar(item)
        if isinstance(item, float) and item.is_integer():
            raise Wrong(
                say(
                    f"ids are whole numbers of an integer type: item {k} is {item!r}, a float; "
                    f"write {int(item)}, not {item!r}",
                    f"ID 是整数，要用整数类型来存：下标 {k} 处是 {item!r}，一个浮点数；"
                    f"请写 {int(item)}，不要写 {item!r}",
                ),
                diagnosis="float-ids",
            )
        item_what = say(f"whole numbers in the list (item {k})", f"列表中的整数（下标 {k} 处）")
        ids.append(as_int(item, item_what, whole_floats=False))
    return ids


def as_str(value: Any, what: str | Said = _STRING) -> str:
    if not isinstance(value, str):
        raise Wrong(_expected(what, value))
    return str.__str__(value)


def as_tensor(value: Any, what: str | Said, *, token_ids: bool = False) -> Any:
    """A tensor from a tensor, a NumPy array or nested lists; detached, and as float64
    unless ``token_ids`` asks for integers (floats and bools are then wrong). Token ids
    of any integer type (uint16 and uint32 from a token file too) come back as int64,
    so that they compare with any other."""
    import torch

    what = str(what)
    try:
        tensor = torch.as_tensor(value).detach()
    except (TypeError, ValueError, RuntimeError):
        raise Wrong(
            say(
                f"expected {what} as a tensor (or nested lists), got {describe(value)}",
                f"这里需要{_spaced(what, after=False)}，它应当是张量（或嵌套列表），"
                f"你给的是 {describe(value)}",
            )
        ) from None
    if token_ids:
        if tensor.numel() == 0:  # torch.tensor([]) is float32, but holds no wrong number
            return tensor.long()
        if tensor.dtype.is_floating_point or tensor.dtype.is_complex or tensor.dtype == torch.bool:
            raise Wrong(
                say(
                    f"{what} should hold token ids (integers), got {tensor.dtype}",
                    f"{_spaced(what, before=False)}里应当是词元 ID（整数），"
                    f"而你的是 {tensor.dtype}",
                ),
                diagnosis="float-ids",
            )
        return tensor.to(torch.int64)  # subtle: torch cannot compare uint16 with int64
    if tensor.dtype.is_complex:
        raise Wrong(
            say(
                f"{what} should hold real numbers, got {tensor.dtype}",
                f"{_spaced(what, before=False)}里应当是实数，而你的是 {tensor.dtype}",
            )
        )
    return tensor.double()


def as_pair(value: Any, what: str | Said) -> tuple[Any, Any]:
    if isinstance(value, dict) or not isinstance(value, (list, tuple)) or len(value) != 2:
        what = str(what)
        raise Wrong(
            say(
                f"expected {what}: a pair like `(a, b)`, got {describe(value)}",
                f"这里需要{_spaced(what, after=False)}：一个像 `(a, b)` 这样的二元组，"
                f"你给的是 {describe(value)}",
            )
        )
    return value[0], value[1]


def shorten(value: Any, limit: int = 300) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else f"{text[: limit - 5]} ..."


def _width(text: str) -> int:
    """Columns the text takes in a monospaced font (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def label(name: str | Said, width: int = 10) -> str:
    """A label of the details' table, padded to ``width`` columns: ``'input:    '``, or
    ``'输入：    '`` in Chinese.

    >>> label("got")
    'got:      '
    """
    text = f"{name}{say(':', '：')}"
    return text + " " * max(width - _width(text), 0)


def difference(given: Any, expected: Any, got: Any, *, what: str | Said = _INPUT) -> str:
    """The details of a failed comparison: the input, what was expected, what came back."""
    return (
        f"{label(what)}{shorten(repr(given))}\n"
        f"{label(Said('expected', '期望'))}{shorten(repr(expected))}\n"
        f"{label(Said('got', '实际'))}{shorten(repr(got))}"
    )


def close(a: float, b: float, *, rel: float = 1e-3, abs_: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)
