"""body_q rows: ``[steps, num_bodies, 7]`` float32 ``px py pz qx qy qz qw``, checked and normalised."""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import RolloutError

COMPONENTS = ("px", "py", "pz", "qx", "qy", "qz", "qw")
# Below this norm a quaternion is taken as zero (no rotation can be recovered from it).
ZERO_QUATERNION_NORM = 1e-6


def checked_body_q(body_q: Any, num_bodies: int, first_step: int = 0) -> np.ndarray:
    """``body_q`` as C-contiguous little-endian float32 ``[steps, num_bodies, 7]``.

    Accepts any real dtype and nested sequences; a single step may be given as ``[num_bodies, 7]``.
    Refuses, naming the step (env step, from ``first_step``), body and component: wrong shapes,
    non-real dtypes, NaN or infinite values (also values that overflow float32) and zero
    quaternions. Quaternions are normalised.
    """
    try:
        array = np.asarray(body_q)
    except (TypeError, ValueError) as error:
        raise RolloutError(f"is not an array of numbers ({error})", field="body_q") from None
    if array.dtype == np.bool_ or not (np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)):
        raise RolloutError(f"must hold real numbers, got dtype {array.dtype}", field="body_q")
    if array.ndim == 2:
        array = array[np.newaxis]
    if array.ndim != 3 or array.shape[1:] != (num_bodies, 7):
        raise RolloutError(f"has shape {np.asarray(body_q).shape}; expected [steps, {num_bodies}, 7] "
                           f"(px py pz qx qy qz qw per body) or [{num_bodies}, 7] for one step", field="body_q")
    with np.errstate(over="ignore", invalid="ignore"):
        rows = array.astype(np.float32)
    require_finite(rows, first_step, original=array)
    quaternions = rows[..., 3:].astype(np.float64)
    # einsum's dot per quaternion, not np.linalg.norm: a third of the time on a clip's rows.
    norms = np.sqrt(np.einsum("...i,...i->...", quaternions, quaternions))
    zero = norms < ZERO_QUATERNION_NORM
    if zero.any():
        step, body = (int(i) for i in np.argwhere(zero)[0])
        raise RolloutError(f"has a zero quaternion {rows[step, body, 3:].tolist()}; rotations need unit "
                           "quaternions (qx, qy, qz, qw)", field="body_q", step=first_step + step, body=body)
    quaternions /= norms[..., np.newaxis]
    rows[..., 3:] = quaternions
    return np.ascontiguousarray(rows, dtype="<f4")


def require_finite(rows: np.ndarray, first_step: int, original: np.ndarray | None = None) -> None:
    """Refuses NaN or infinite values in ``[steps, bodies, 7]`` rows, naming the first one."""
    finite = np.isfinite(rows)
    if not finite.all():
        step, body, component = (int(i) for i in np.argwhere(~finite)[0])
        value = (rows if original is None else original)[step, body, component]
        raise RolloutError(f"is {value}; poses must be finite float32 numbers", field="body_q",
                           step=first_step + step, body=body, component=COMPONENTS[component])
