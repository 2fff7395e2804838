"""What a FarmClient raises: the coordinator's ERROR replies as typed exceptions, and timeouts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class FarmError(Exception):
    """Base of everything the farm client raises."""


class FarmTimeout(FarmError, TimeoutError):
    """The coordinator did not answer in time (is farm-coordinator running at that endpoint?)."""


class CoordinatorError(FarmError):
    """An ERROR reply. ``code`` is machine-readable (docs/PROTOCOL.md, "Errors"); ``message`` says
    what was wrong and where; ``command`` is the request it answered."""

    code = "unknown"

    def __init__(self, code: str, message: str, command: str | None = None,
                 supported_versions: list[int] | None = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.command = command
        self.supported_versions = supported_versions


class MalformedMessageError(CoordinatorError):
    code = "malformed_message"


class VersionMismatchError(CoordinatorError):
    code = "version_mismatch"


class UnknownCommandError(CoordinatorError):
    """Also what a coordinator older than a command (e.g. FETCH_CLIP) answers."""
    code = "unknown_command"


class BadRequestError(CoordinatorError):
    code = "bad_request"


class FrameTooLargeError(CoordinatorError):
    code = "frame_too_large"


class InvalidJobError(CoordinatorError):
    """The submission was refused: backend resolution (Isaac Lab's message verbatim), names, schedule."""
    code = "invalid_job"


class UnsupportedFieldError(CoordinatorError):
    """The coordinator does not know a field the SUBMIT required (``fields``): it refused the job, or,
    predating field negotiation, the job it made was cancelled rather than run without them."""

    code = "unsupported_field"

    def __init__(self, code: str, message: str, command: str | None = None,
                 supported_versions: list[int] | None = None, *, fields: list[str] | None = None):
        super().__init__(code, message, command, supported_versions)
        self.fields = fields or []


class NotFoundError(CoordinatorError):
    code = "not_found"


class ForbiddenError(CoordinatorError):
    """CANCEL_JOB of a job submitted with another client key, by a key that is not an operator's."""
    code = "forbidden"


class UploadIncompleteError(CoordinatorError):
    code = "upload_incomplete"


class QueueFullError(CoordinatorError):
    """SUBMIT refused because the farm already holds as many open clips as it takes at once (all
    clients, or this client key's); nothing was made. Submit again when some finish. Also any
    request on a connection that has left its earlier replies unread (pipelined and not received)."""
    code = "queue_full"


class NotReadyError(CoordinatorError):
    """FETCH_CLIP of a clip that is not done yet (or failed, or was cancelled)."""
    code = "not_ready"


class InternalError(CoordinatorError):
    code = "internal"


_BY_CODE = {cls.code: cls for cls in (
    MalformedMessageError, VersionMismatchError, UnknownCommandError, BadRequestError, FrameTooLargeError,
    InvalidJobError, UnsupportedFieldError, NotFoundError, ForbiddenError, UploadIncompleteError, QueueFullError, NotReadyError,
    InternalError)}


def error_from_reply(body: Mapping[str, Any]) -> CoordinatorError:
    """The exception for an ERROR body; a code this client does not know stays a CoordinatorError,
    shown rather than refused, as the protocol asks."""
    code = str(body.get("code", "unknown"))
    cls = _BY_CODE.get(code, CoordinatorError)
    return cls(code, str(body.get("message", "")), body.get("command"), body.get("supported_versions"))
