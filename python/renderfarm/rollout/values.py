"""Conversions of user values (Python or numpy scalars, sequences, arrays) to JSON-safe numbers."""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from .errors import RolloutError


def as_int(value: Any, field: str) -> int:
    """A Python int from an int-like value (numpy integers included); floats must be integral."""
    if isinstance(value, (bool, np.bool_)):
        raise RolloutError(f"must be an integer, got {value!r}", field=field)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real) and float(value).is_integer():
        return int(float(value))
    raise RolloutError(f"must be an integer, got {value!r}", field=field)


def as_float(value: Any, field: str) -> float:
    """A finite Python float from any real scalar (numpy floats included)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise RolloutError(f"must be a number, got {value!r}", field=field)
    result = float(value)
    if not math.isfinite(result):
        raise RolloutError(f"is {result}; must be finite", field=field)
    return result


def as_floats(value: Any, count: int, field: str) -> tuple[float, ...]:
    """``count`` finite floats from a sequence or array of that length."""
    try:
        array = np.asarray(value, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError) as error:
        raise RolloutError(f"must be {count} numbers ({error})", field=field) from None
    if array.shape != (count,):
        raise RolloutError(f"must be {count} numbers, got {array.size}", field=field)
    bad = np.flatnonzero(~np.isfinite(array))
    if bad.size:
        raise RolloutError(f"is {array[bad[0]]}; must be finite", field=f"{field}[{bad[0]}]")
    return tuple(float(x) for x in array)


def as_float3(value: Any, field: str) -> tuple[float, float, float]:
    """Three finite floats (a point, a direction, a colour) from a sequence or array of three."""
    x, y, z = as_floats(value, 3, field)
    return x, y, z
