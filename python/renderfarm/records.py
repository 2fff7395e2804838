"""The records a coordinator's OK replies carry (docs/PROTOCOL.md, "Records"), as typed dicts.

Keys are spelled as the wire spells them, so a record is the reply's JSON object itself, typed; the
fields each record must have are checked when a reply arrives (``checked``), and a reply without
one is a ``ProtocolError`` naming it. Fields a newer coordinator adds are kept, as the protocol asks
(unknown fields are ignored, not refused). A required field is one the coordinator always sends;
the others (``NotRequired`` in the spec's sense) are in the ``total=False`` half of each record.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, TypedDict, TypeVar, cast

from .protocol import ProtocolError

JobState = Literal["queued", "running", "completed", "failed", "cancelled"]
ClipState = Literal["queued", "dispatched", "held", "done", "failed", "cancelled"]
WorkerRecordState = Literal["connecting", "idle", "rendering", "draining", "lost"]
VideoBackend = Literal["kit", "newton_gl"]
Output = Literal["rgb", "depth", "normals", "segmentation"]
#: What a stream's ``origin_type`` resolved to: ``body`` for ``asset_root`` and ``asset_body``.
StreamOrigin = Literal["world", "env", "body"]
#: ``unknown``: a worker the coordinator restored from its state database that has not sent READY since.
DeviceKind = Literal["nvidia", "software", "other", "none", "unknown"]


class Rational(TypedDict):
    numerator: int
    denominator: int


class _ClipRecordFields(TypedDict):
    id: int
    file: str
    first_step: int
    frames: int
    state: ClipState
    attempts: int


class ClipRecord(_ClipRecordFields, total=False):
    """A clip of a job (STATUS with ``job_id``)."""
    worker: str
    path: str
    error: str
    #: Index into the job's ``streams``.
    stream: int
    #: Why a done clip is not, or no longer, in the folder (superseded under ``keep_last_n_clips``).
    removed: str


class _StreamRecordFields(TypedDict):
    backend: VideoBackend
    output: Output
    width: int
    height: int
    fps: Rational
    origin: StreamOrigin


class StreamRecord(_StreamRecordFields, total=False):
    """One of a job's streams, in SUBMIT order."""
    #: Absent for a job submitted without ``streams``.
    prefix: str
    keep_last_n_clips: int


class _JobRecordFields(TypedDict):
    id: str
    state: JobState
    workflow: str
    task: str
    run: str
    #: The first stream's.
    backend: VideoBackend
    video_dir: str
    clips_total: int
    clips_done: int
    clips_failed: int
    frames_total: int
    frames_done: int
    warnings: list[str]
    submitted_at: float


class JobRecord(_JobRecordFields, total=False):
    """A job (SUBMIT, STATUS, CANCEL_JOB, RETRY_JOB); ``clips`` only from STATUS of one job."""
    streams: list[StreamRecord]
    error: str
    finished_at: float
    clips: list[ClipRecord]
    #: The job has clips past those listed: STATUS with ``clips_after`` set to this lists the next.
    next_clips_after: int
    #: Why the coordinator cannot file the job's clips, and what it will do.
    filing_paused: str
    #: What an operator can do now, e.g. ``farmctl retry 3``.
    actions: list[str]
    #: A ``clip_prefix`` job with ``keep_last_n_clips``: the ``local_files`` its clip supersedes.
    supersedes: list[str]


class _DeviceFields(TypedDict):
    kind: DeviceKind
    gl_vendor: str
    gl_renderer: str


class Device(_DeviceFields, total=False):
    """The EGL device a worker renders on (as in READY)."""
    egl_index: int
    cuda_ordinal: int
    drm_path: str


class _WorkerRecordFields(TypedDict):
    id: str
    host: str
    pid: int
    device: Device
    renderer: str
    state: WorkerRecordState
    frames_done: int
    frames_total: int
    fps: float
    rss_bytes: int
    last_beat: float


class WorkerRecord(_WorkerRecordFields, total=False):
    """A worker (WORKERS)."""
    job: str
    clip: int


class UploadState(TypedDict):
    upload_id: str
    total_bytes: int
    received_bytes: int


class ClipChunk(TypedDict):
    job_id: str
    clip_id: int
    file: str
    offset: int
    bytes: int
    total_bytes: int


class SubmitReply(TypedDict, total=False):
    """SUBMIT's OK body: the job it made (or, for a repeated idempotency key, the one the first made)."""
    job: JobRecord
    #: The SUBMIT fields the coordinator applied (a coordinator that predates the list leaves it out).
    applied_fields: list[str]


class StatusReply(TypedDict, total=False):
    """STATUS's OK body: ``job`` (with ``clips``) for one job, else a page of ``jobs`` and ``older_than``."""
    job: JobRecord
    jobs: list[JobRecord]
    #: The ``before_job`` of the next page back, when older jobs exist.
    older_than: str


Record = TypeVar("Record", ClipRecord, StreamRecord, JobRecord, Device, WorkerRecord, UploadState, ClipChunk)


def checked(value: object, kind: type[Record], where: str) -> Record:
    """``value`` as a ``kind`` record, once it is an object holding every field the kind requires
    (and, for a job or worker, its clips, streams and device do); else ``ProtocolError`` naming
    ``where`` and what is missing."""
    _check(value, kind, where)
    return cast(Record, value)


def checked_list(value: object, kind: type[Record], where: str) -> list[Record]:
    """A list of ``kind`` records, each checked as ``checked`` does."""
    if not isinstance(value, list):
        raise ProtocolError(f"{where} is a {type(value).__name__}, not a list of {kind.__name__} objects")
    return [checked(item, kind, f"{where}[{index}]") for index, item in enumerate(value)]


def _check(value: object, kind: type, where: str) -> None:
    if not isinstance(value, Mapping):
        raise ProtocolError(f"{where} is a {type(value).__name__}, not a {kind.__name__} object")
    required: frozenset[str] = getattr(kind, "__required_keys__")
    if not required <= value.keys():
        missing = sorted(key for key in required if key not in value)
        raise ProtocolError(f"{where} ({kind.__name__}) has no {', '.join(map(repr, missing))}")
    for key, nested in _NESTED.get(kind, {}).items():
        item = value.get(key)
        if isinstance(item, list):
            for index, entry in enumerate(item):
                _check(entry, nested, f"{where}.{key}[{index}]")
        elif item is not None:
            _check(item, nested, f"{where}.{key}")


#: The records a record holds, by field: what ``checked`` looks into.
_NESTED: dict[type, dict[str, type]] = {
    JobRecord: {"clips": ClipRecord, "streams": StreamRecord},
    WorkerRecord: {"device": Device},
}
