"""One rule for whole-number arguments: an int is an int.

``3.0``, ``1.9``, ``True`` and NumPy integers that would wrap (``np.uint8(255) + 1 == 0``)
are the inputs that make a loader or a tokenizer silently wrong; every public function
that takes a count, a size or an id passes it through :func:`whole_number` first.

>>> whole_number(4, "max_length")
4
>>> whole_number(300.5, "vocab_size")
Traceback (most recent call last):
...
TypeError: vocab_size must be a whole number (an int), got 300.5 (float)
>>> whole_number(0, "stride")
Traceback (most recent call last):
...
ValueError: stride must be a whole number of at least 1, got 0
"""

from __future__ import annotations

import operator
from typing import Any

__all__ = ["whole_number"]


def whole_number(value: Any, name: str, *, minimum: int | None = 1) -> int:
    """``value`` as a Python int, if it is an integer (int, NumPy integer, 0-d integer
    tensor) of at least ``minimum``; TypeError or ValueError naming ``name`` otherwise."""
    if isinstance(value, bool) or getattr(
        getattr(value, "dtype", None), "is_floating_point", False
    ):
        raise TypeError(f"{name} must be a whole number (an int), got {value!r}")
    try:
        number = operator.index(value)  # refuses floats, strings, 1.9 and 3.0 alike
    except TypeError:
        raise TypeError(
            f"{name} must be a whole number (an int), got {value!r} ({type(value).__name__})"
        ) from None
    if minimum is not None and number < minimum:
        raise ValueError(f"{name} must be a whole number of at least {minimum}, got {number}")
    return number
