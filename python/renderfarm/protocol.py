"""FARM01 framing for clients, as docs/PROTOCOL.md states it.

A message is multipart: ``[b"FARM01", COMMAND, JSON body, binary frames...]``. Bodies are JSON
objects with snake_case keys; numpy scalars and arrays are accepted and sent as plain JSON numbers
and lists; a non-finite float travels as the string ``"inf"``, ``"-inf"`` or ``"nan"``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

VERSION = 1
HEADER = b"FARM%02d" % VERSION

# Size limits (WireLimits.standard): a message over them is refused with frame_too_large.
MAX_WORD_BYTES = 32
MAX_JSON_BYTES = 16 << 20
MAX_BINARY_FRAME_BYTES = 1 << 30
MAX_BINARY_FRAMES = 4096
# farmctl submits a rollout up to this size inline and uploads a bigger one in chunks of this size.
RECOMMENDED_CHUNK_BYTES = 8 << 20

_HEADER_PATTERN = re.compile(rb"^FARM(\d\d)$")
_SNAKE_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class ProtocolError(Exception):
    """A reply that does not follow FARM01 (wrong frame count, header or JSON)."""


#: Types JSON sends as they are, told by exact type: most of a body is them, and checking each value
#: against numpy's and collections' abstract types cost a clip's SUBMIT tens of microseconds.
_PLAIN = frozenset({str, int, bool, type(None)})


def to_wire(value: Any, path: str = "body") -> Any:
    """``value`` as plain JSON types: numpy scalars and arrays become numbers and lists, tuples
    become lists, non-finite floats become their names. Keys must be snake_case strings."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str) or not _SNAKE_KEY.match(key):
                raise ValueError(f"{path}: key {key!r} is not snake_case (FARM01 bodies use snake_case keys)")
            out[key] = item if type(item) in _PLAIN else to_wire(item, f"{path}.{key}")
        return out
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if math.isnan(number):
            return "nan"
        if math.isinf(number):
            return "inf" if number > 0 else "-inf"
        return number
    if isinstance(value, str):
        return value
    if isinstance(value, np.ndarray):
        return to_wire(value.tolist(), path)
    if isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        return [item if type(item) in _PLAIN else to_wire(item, f"{path}[{index}]") for index, item in enumerate(value)]
    raise TypeError(f"{path}: {type(value).__name__} cannot be sent in a FARM01 JSON body")


def encode(command: str, body: Mapping[str, Any] | None = None,
           binaries: Sequence[bytes | memoryview] = ()) -> list[bytes | memoryview]:
    """The frames of one message."""
    text = json.dumps(to_wire(dict(body or {})), sort_keys=True, separators=(",", ":"), allow_nan=False)
    return [HEADER, command.encode("ascii"), text.encode("utf-8"), *binaries]


def decode(frames: Sequence[bytes]) -> tuple[str, dict[str, Any], list[bytes]]:
    """(command, body, binary frames) of a reply. An ERROR is accepted under any FARMnn header,
    as the protocol freezes its layout so an out-of-date peer can read it."""
    if len(frames) < 3:
        raise ProtocolError(f"a FARM01 message has at least 3 frames, got {len(frames)}")
    header, command_bytes, body_bytes = bytes(frames[0]), bytes(frames[1]), bytes(frames[2])
    match = _HEADER_PATTERN.match(header)
    if match is None:
        raise ProtocolError(f"frame 0 is not a FARMnn header: {header[:32]!r}")
    command = command_bytes.decode("ascii", errors="replace")
    if int(match.group(1)) != VERSION and command != "ERROR":
        raise ProtocolError(f"reply speaks protocol version {int(match.group(1))}; this client speaks {VERSION}")
    try:
        body = json.loads(body_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ProtocolError(f"{command} body is not JSON: {error}") from error
    if not isinstance(body, dict):
        raise ProtocolError(f"{command} body is not a JSON object")
    return command, body, [bytes(frame) for frame in frames[3:]]
