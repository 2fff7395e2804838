"""The farm's client side: FarmClient, its errors, SUBMIT's streams and the endpoint lookup."""

from .endpoint import BUILTIN_CLIENT_ENDPOINT, ConfigError, find_config_dir, resolve_endpoint
from .errors import (BadRequestError, CoordinatorError, FarmError, FarmTimeout, ForbiddenError, FrameTooLargeError,
                     InternalError,
                     InvalidJobError, MalformedMessageError, NotFoundError, NotReadyError, QueueFullError,
                     UnknownCommandError,
                     UnsupportedFieldError, UploadIncompleteError, VersionMismatchError, error_from_reply)
from .farm_client import FINISHED_STATES, FarmClient, submit_body, write_atomically
from .streams import ORIGIN_TYPES, OUTPUTS, Stream, stream_bodies

__all__ = [
    "BUILTIN_CLIENT_ENDPOINT", "BadRequestError", "ConfigError", "CoordinatorError", "FINISHED_STATES", "FarmClient",
    "FarmError", "FarmTimeout", "ForbiddenError", "FrameTooLargeError", "InternalError", "InvalidJobError", "MalformedMessageError",
    "NotFoundError", "NotReadyError", "ORIGIN_TYPES", "OUTPUTS", "QueueFullError", "Stream", "UnknownCommandError",
    "UnsupportedFieldError", "UploadIncompleteError", "VersionMismatchError", "error_from_reply", "find_config_dir",
    "resolve_endpoint", "stream_bodies", "submit_body", "write_atomically",
]
