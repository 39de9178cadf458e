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

import math
import operator
from typing import Any

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
    "plain",
    "shorten",
]


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
        raise Wrong("the answer is nested too deeply to read", diagnosis="unreadable")
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
    return f"a {kind} of shape {tuple(shape)}" if shape is not None else f"{text} (a {kind})"


def _scalar(value: Any) -> Any:
    """NumPy scalars and 0-d arrays or tensors as Python numbers; anything else as is."""
    if hasattr(value, "shape") and hasattr(value, "item") and tuple(value.shape) == ():
        return value.item()
    return value


def as_int(value: Any, what: str = "a whole number", *, whole_floats: bool = True) -> int:
    """An int from an int, a NumPy or 0-d tensor integer, or (if ``whole_floats``) a
    float that is whole, such as a count computed by a division."""
    value = _scalar(value)
    if isinstance(value, bool):
        raise Wrong(f"expected {what}, got {value!r}, a bool")
    if isinstance(value, int):
        return operator.index(value)
    if isinstance(value, float) and value.is_integer() and whole_floats:
        return int(value)
    if isinstance(value, str):
        raise Wrong(f"expected {what}, got the string {value!r}: write a number, without quotes")
    raise Wrong(f"expected {what}, got {describe(value)}")


def as_float(value: Any, what: str = "a number") -> float:
    value = _scalar(value)
    if isinstance(value, bool):
        raise Wrong(f"expected {what}, got {value!r}, a bool")
    if isinstance(value, (int, float)) and math.isfinite(value):
        return float(value)
    if isinstance(value, str):
        raise Wrong(f"expected {what}, got the string {value!r}: write a number, without quotes")
    raise Wrong(f"expected {what}, got {describe(value)}")


def _is_float_dtype(value: Any) -> bool:
    dtype = getattr(value, "dtype", None)
    return bool(
        getattr(dtype, "is_floating_point", False) or getattr(dtype, "kind", "") in ("f", "c")
    )


def as_int_list(value: Any, what: str = "a list of whole numbers") -> list[int]:
    """Ids as a list of ints, from a list, tuple or range of ints, or a one-dimensional
    NumPy array or tensor of an integer type (uint16 and uint32 too). One rule for every
    list of ids: they are integers, so floats are refused, even whole ones."""
    if isinstance(value, range):
        return list(value)
    if hasattr(value, "tolist") and not isinstance(value, (list, tuple)):
        if getattr(value, "ndim", 1) != 1:
            raise Wrong(f"expected {what}, got {describe(value)}: it should be one-dimensional")
        if _is_float_dtype(value):
            raise Wrong(
                f"ids are whole numbers of an integer type, and yours are {value.dtype}: "
                f"make them with integers (`torch.arange(6)`, not `torch.arange(6.0)`)",
                diagnosis="float-ids",
            )
        value = value.tolist()
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise Wrong(f"expected {what}, got {describe(value)}")
    ids = []
    for k, item in enumerate(value):
        item = _scalar(item)
        if isinstance(item, float) and item.is_integer():
            raise Wrong(
                f"ids are whole numbers of an integer type: item {k} is {item!r}, a float; "
                f"write {int(item)}, not {item!r}",
                diagnosis="float-ids",
            )
        ids.append(as_int(item, f"whole numbers in the list (item {k})", whole_floats=False))
    return ids


def as_str(value: Any, what: str = "a string") -> str:
    if not isinstance(value, str):
        raise Wrong(f"expected {what}, got {describe(value)}")
    return str.__str__(value)


def as_tensor(value: Any, what: str, *, token_ids: bool = False) -> Any:
    """A tensor from a tensor, a NumPy array or nested lists; detached, and as float64
    unless ``token_ids`` asks for integers (floats and bools are then wrong). Token ids
    of any integer type (uint16 and uint32 from a token file too) come back as int64,
    so that they compare with any other."""
    import torch

    try:
        tensor = torch.as_tensor(value).detach()
    except (TypeError, ValueError, RuntimeError):
        raise Wrong(
            f"expected {what} as a tensor (or nested lists), got {describe(value)}"
        ) from None
    if token_ids:
        if tensor.numel() == 0:  # torch.tensor([]) is float32, but holds no wrong number
            return tensor.long()
        if tensor.dtype.is_floating_point or tensor.dtype.is_complex or tensor.dtype == torch.bool:
            raise Wrong(
                f"{what} should hold token ids (integers), got {tensor.dtype}",
                diagnosis="float-ids",
            )
        return tensor.to(torch.int64)  # subtle: torch cannot compare uint16 with int64
    if tensor.dtype.is_complex:
        raise Wrong(f"{what} should hold real numbers, got {tensor.dtype}")
    return tensor.double()


def as_pair(value: Any, what: str) -> tuple[Any, Any]:
    if isinstance(value, dict) or not isinstance(value, (list, tuple)) or len(value) != 2:
        raise Wrong(f"expected {what}: a pair like `(a, b)`, got {describe(value)}")
    return value[0], value[1]


def shorten(value: Any, limit: int = 300) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else f"{text[: limit - 5]} ..."


def difference(given: Any, expected: Any, got: Any, *, what: str = "input") -> str:
    """The details of a failed comparison: the input, what was expected, what came back."""
    return (
        f"{what + ':':<10}{shorten(repr(given))}\n{'expected:':<10}{shorten(repr(expected))}\n"
        f"{'got:':<10}{shorten(repr(got))}"
    )


def close(a: float, b: float, *, rel: float = 1e-3, abs_: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)
