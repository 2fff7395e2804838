"""FarmClient: a trainer's connection to the coordinator's client socket (FARM01, DEALER)."""

from __future__ import annotations

import os
import re
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, overload

import zmq

from .. import protocol
from ..records import ClipChunk, JobRecord, UploadState, WorkerRecord, checked, checked_list
from .curve import resolve_curve_keys
from .endpoint import resolve_endpoint
from .errors import FarmError, FarmTimeout, UnsupportedFieldError, error_from_reply
from .streams import Stream, stream_bodies

FINISHED_STATES = frozenset({"completed", "failed", "cancelled"})
ISAACLAB_SCHEDULE = "isaaclab"
#: SUBMIT fields added to FARM01 after its first release (the spec's ``added``): a coordinator that
#: predates one would ignore it, so a SUBMIT that sets one requires it (docs/PROTOCOL.md, "Field
#: negotiation").
#: Frames up to this size are copied into ZeroMQ's message; bigger ones are lent to it (pyzmq's
#: ``copy=False``), which costs a wake-up of pyzmq's garbage-collector thread (started at the first
#: one, with a socket of its own) when ZeroMQ lets go: dearer than copying a batch of clips' rollout.
COPY_THRESHOLD_BYTES = 1 << 20
ADDED_SUBMIT_FIELDS = ("streams", "output", "depth_colormap_min", "depth_colormap_max", "keep_last_n_clips",
                       "clip_prefix", "local_files")


class FarmClient:
    """One DEALER socket to the coordinator; each request gets exactly one reply, OK or ERROR.

    On an authenticated farm the socket is a CURVE client (``coordinator_key``, ``key_file``; see
    ``renderfarm.client.curve`` for their lookup). ERROR replies raise a ``CoordinatorError`` subclass carrying ``code`` and ``message``; a request
    that gets no reply within ``timeout`` seconds raises ``FarmTimeout`` (the socket is then reopened,
    so a late reply cannot be mistaken for the next one's). Not thread-safe: one client per thread at
    a time (one thread may make and ``connect`` it, and hand it to a thread it then starts).
    """

    def __init__(self, endpoint: str | None = None, *, timeout: float = 10.0,
                 config_dir: str | os.PathLike[str] | None = None,
                 context: zmq.Context[zmq.Socket[bytes]] | None = None,
                 coordinator_key: str | None = None, key_file: str | os.PathLike[str] | None = None):
        self.endpoint = resolve_endpoint(endpoint, config_dir=config_dir)
        self._curve = resolve_curve_keys(coordinator_key, key_file, config_dir=config_dir)
        self.timeout = timeout
        self._context = context or zmq.Context.instance()
        self._socket: zmq.Socket[bytes] | None = None

    # Connection.

    def connect(self) -> None:
        """Opens the socket now rather than on the first request, so ZeroMQ's I/O thread connects
        meanwhile (the first request finds the connection made)."""
        self._open()

    def _open(self) -> zmq.Socket[bytes]:
        if self._socket is None:
            socket = self._context.socket(zmq.DEALER, copy_threshold=COPY_THRESHOLD_BYTES)
            socket.setsockopt(zmq.LINGER, 0)
            if self._curve is not None:
                socket.curve_serverkey = self._curve.server_public
                socket.curve_publickey = self._curve.public
                socket.curve_secretkey = self._curve.secret
            socket.connect(self.endpoint)
            self._socket = socket
        return self._socket

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close(linger=0)
            self._socket = None

    def __enter__(self) -> FarmClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def request(self, command: str, body: dict[str, Any] | None = None,
                binaries: Sequence[bytes | memoryview] = (), *, timeout: float | None = None
                ) -> tuple[dict[str, Any], list[bytes]]:
        """Sends one request; returns the OK body and its binary frames, or raises."""
        frames = protocol.encode(command, body, binaries)
        socket = self._open()
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        try:
            socket.send_multipart(frames, copy=False)
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not socket.poll(int(remaining * 1000) + 1, zmq.POLLIN):
                    raise FarmTimeout(
                        f"no reply to {command} from the coordinator at {self.endpoint} within {limit:g} s: is "
                        "farm-coordinator running there? (pass endpoint=, or set FARM_COORDINATOR or "
                        "client_endpoint in configs/farm.yaml)")
                reply = socket.recv_multipart()
                break
        except FarmTimeout:
            self.close()
            raise
        reply_command, reply_body, reply_binaries = protocol.decode(reply)
        if reply_command == "ERROR":
            raise error_from_reply(reply_body)
        if reply_command != "OK":
            raise protocol.ProtocolError(f"the coordinator answered {command} with {reply_command}, not OK or ERROR")
        return reply_body, reply_binaries

    # Commands.

    #: SUBMITs sent, with one idempotency key, before a lost reply is reported.
    SUBMIT_TRIES = 3

    def submit(self, rollout: bytes | bytearray | memoryview | str | os.PathLike[str], *,
               idempotency_key: str | None = None, **job: Any) -> JobRecord:
        """Submits a recording job; returns its record (``record["id"]`` names the job).

        ``rollout`` is a FARMRLT1 file's bytes or its path; ``job`` is ``submit_body``'s fields. Up
        to 8 MiB go inline with SUBMIT, as farmctl does; a bigger rollout is uploaded in 8 MiB
        chunks and submitted by upload id. SUBMIT carries ``idempotency_key`` (a fresh UUID when
        not given): when no reply comes it is sent again, up to ``SUBMIT_TRIES`` times, and the
        coordinator answers a repeat with the job the first one made, so a lost reply never makes
        a second job. With still no reply, ``FarmTimeout`` says the job may have been accepted.
        """
        body = submit_body(**job)
        body["idempotency_key"] = idempotency_key or str(uuid.uuid4())
        required = required_fields(body)
        if required:
            body["required_fields"] = required
        data = rollout if isinstance(rollout, (bytes, bytearray, memoryview)) else Path(rollout).read_bytes()
        if len(data) <= protocol.RECOMMENDED_CHUNK_BYTES:
            reply = self._submit(body, [memoryview(data)])
        else:
            body["upload_id"] = self._upload(memoryview(data))
            reply = self._submit(body, [])
        record = self._job(reply, "SUBMIT")
        if required and reply.get("applied_fields") is None:
            # A coordinator older than field negotiation ignored required_fields, and so perhaps the
            # fields themselves: the job must not run without them.
            self.cancel(record["id"])
            raise UnsupportedFieldError(
                "unsupported_field",
                f"the coordinator at {self.endpoint} predates FARM01 field negotiation, so it cannot confirm it "
                f"applied {', '.join(required)}; job {record['id']} was cancelled rather than recorded without "
                "them; upgrade farm-coordinator", "SUBMIT", fields=required)
        return record

    def _submit(self, body: dict[str, Any], binaries: Sequence[bytes | memoryview]) -> dict[str, Any]:
        """SUBMIT, sent again (same body, same idempotency key) while no reply comes."""
        for attempt in range(1, self.SUBMIT_TRIES + 1):
            try:
                reply, _ = self.request("SUBMIT", body, binaries)
                return reply
            except UnsupportedFieldError as error:
                named = set(re.findall(r"[a-z_.]+", error.message))
                error.fields = [field for field in body.get("required_fields", []) if field in named]
                raise
            except FarmTimeout:
                if attempt == self.SUBMIT_TRIES:
                    raise FarmTimeout(
                        f"no reply to SUBMIT from the coordinator at {self.endpoint} after {self.SUBMIT_TRIES} tries "
                        f"of {self.timeout:g} s: the job may have been accepted; `farmctl status` shows it") from None
        raise AssertionError("unreachable")

    def _upload(self, data: memoryview) -> str:
        begun, _ = self.request("UPLOAD_BEGIN", {"total_bytes": len(data)})
        upload = checked(self._field(begun, "upload", "UPLOAD_BEGIN"), UploadState, "UPLOAD_BEGIN's upload")
        upload_id = upload["upload_id"]
        for offset in range(0, len(data), protocol.RECOMMENDED_CHUNK_BYTES):
            chunk = data[offset:offset + protocol.RECOMMENDED_CHUNK_BYTES]
            self.request("UPLOAD_CHUNK", {"upload_id": upload_id, "offset": offset}, [chunk])
        return upload_id

    @overload
    def status(self, job_id: None = None) -> list[JobRecord]: ...

    @overload
    def status(self, job_id: str | int) -> JobRecord: ...

    def status(self, job_id: str | int | None = None) -> JobRecord | list[JobRecord]:
        """One job with all its clips (STATUS lists a page of them at a time; the pages are joined),
        or (no ``job_id``) the newest jobs without clips."""
        if job_id is None:
            reply, _ = self.request("STATUS", {})
            return checked_list(self._field(reply, "jobs", "STATUS"), JobRecord, "STATUS's jobs")
        reply, _ = self.request("STATUS", {"job_id": str(job_id)})
        record = self._job(reply, "STATUS")
        while "next_clips_after" in record:
            after = record["next_clips_after"]
            reply, _ = self.request("STATUS", {"job_id": str(job_id), "clips_after": after})
            page = self._job(reply, "STATUS")
            record["clips"] = record.get("clips", []) + page.get("clips", [])
            if "next_clips_after" not in page:
                del record["next_clips_after"]
            elif page["next_clips_after"] > after:
                record["next_clips_after"] = page["next_clips_after"]
            else:
                raise protocol.ProtocolError(f"STATUS of job {job_id} after clip {after} pointed back to clip "
                                             f"{page['next_clips_after']}")
        return record

    def workers(self) -> list[WorkerRecord]:
        reply, _ = self.request("WORKERS", {})
        return checked_list(self._field(reply, "workers", "WORKERS"), WorkerRecord, "WORKERS's workers")

    def cancel(self, job_id: str | int) -> JobRecord:
        """CANCEL_JOB: the job's clips in flight are abandoned and no more are written; its record (``cancelled``)."""
        reply, _ = self.request("CANCEL_JOB", {"job_id": str(job_id)})
        return self._job(reply, "CANCEL_JOB")

    def retry(self, job_id: str | int) -> JobRecord:
        """RETRY_JOB, as ``farmctl retry``: a failed job's failed clips are queued again with their
        retries and the job's worker blocklist reset (done clips stay), and clips the coordinator
        holds for the job while filing is paused are filed at once. Returns the job's record (a
        job that had failed is ``queued`` again, or already ``running`` when an idle worker took a
        clip). A completed or cancelled job, or a failed one whose rollout is no longer kept,
        raises ``BadRequestError``; an unknown one ``NotFoundError``."""
        reply, _ = self.request("RETRY_JOB", {"job_id": str(job_id)})
        return self._job(reply, "RETRY_JOB")

    def wait(self, job_id: str | int, *, timeout: float | None = None, poll_interval: float = 0.25,
             progress: Callable[[JobRecord], None] | None = None) -> JobRecord:
        """Polls STATUS until the job is completed, failed or cancelled; returns its final record.

        ``progress(record)`` is called with each record whose frames or state changed. Raises
        ``FarmTimeout`` after ``timeout`` seconds (None: no limit).
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        seen: tuple[str, int, int, int] | None = None
        while True:
            record = self.status(job_id)
            marker = (record["state"], record["frames_done"], record["clips_done"], record["clips_failed"])
            if progress is not None and marker != seen:
                progress(record)
            seen = marker
            if record["state"] in FINISHED_STATES:
                return record
            if deadline is not None and time.monotonic() >= deadline:
                raise FarmTimeout(f"job {job_id} is still {record['state']} after {timeout:g} s "
                                  f"({record['clips_done']} of {record['clips_total']} clips done)")
            time.sleep(poll_interval if deadline is None else max(0.0, min(poll_interval, deadline - time.monotonic())))

    def fetch_clip(self, job_id: str | int, clip_id: int, out: str | os.PathLike[str] | None = None, *,
                   chunk_bytes: int = protocol.RECOMMENDED_CHUNK_BYTES) -> bytes | Path:
        """A done clip's bytes (FETCH_CLIP, chunk by chunk), or, with ``out``, the path they were
        written to atomically (a temporary file in the same folder, renamed into place)."""
        parts: list[bytes] = []
        offset = 0
        while True:
            reply, binaries = self.request("FETCH_CLIP", {"job_id": str(job_id), "clip_id": int(clip_id),
                                                          "offset": offset, "max_bytes": chunk_bytes})
            chunk = checked(self._field(reply, "clip_chunk", "FETCH_CLIP"), ClipChunk, "FETCH_CLIP's clip_chunk")
            if len(binaries) != 1 or len(binaries[0]) != chunk["bytes"]:
                raise protocol.ProtocolError("FETCH_CLIP reply's binary frame does not match clip_chunk.bytes")
            parts.append(binaries[0])
            offset += len(binaries[0])
            if offset >= chunk["total_bytes"]:
                break
            if not binaries[0]:
                raise FarmError(f"clip {clip_id} of job {job_id} shrank while it was fetched")
        data = b"".join(parts)
        if out is None:
            return data
        return write_atomically(Path(out), data)

    @staticmethod
    def _field(reply: dict[str, Any], name: str, command: str) -> object:
        if reply.get(name) is None:
            raise protocol.ProtocolError(f"the coordinator's OK to {command} has no {name!r}")
        return reply[name]

    @classmethod
    def _job(cls, reply: dict[str, Any], command: str) -> JobRecord:
        return checked(cls._field(reply, "job", command), JobRecord, f"{command}'s job")


def submit_body(*, task: str, run: str, workflow: str = "renderfarm", video_length: int,
                video_interval: int | None = None, schedule: str | None = None, step_offset: int | None = None,
                frame_stride: int | None = None, presets: Iterable[str] = (), physics: str | None = None,
                renderer_types: Iterable[str] = (), visualizers: Iterable[str] = (),
                backend_source: str = "visualizer", eye: Sequence[float] | None = None,
                lookat: Sequence[float] | None = None, width: int | None = None, height: int | None = None,
                max_retries: int | None = None, clip_file: str | None = None, fps: int | None = None,
                render_fps: float | None = None, streams: Iterable[Stream | Mapping[str, Any]] | None = None,
                keep_last_n_clips: int | None = None, output: str | None = None,
                depth_colormap_min: float | None = None, depth_colormap_max: float | None = None,
                overwrite: bool = False, clip_prefix: str | None = None,
                local_files: Iterable[str] | None = None) -> dict[str, Any]:
    """SUBMIT's JSON body (docs/PROTOCOL.md), without the rollout.

    ``clip_file`` asks for exactly one clip of the rollout's first ``video_length`` steps under
    that name instead of a schedule (``video_interval`` then defaults to ``video_length``); named
    ``<prefix>_<index>.mp4`` it may carry ``keep_last_n_clips``. ``streams`` (``Stream``s or dicts
    of its fields) records several Isaac Lab 3 streams from the one rollout, each numbered per
    prefix; the job's fields are their defaults, and the schedule is ``isaaclab`` (the only one
    streams have). ``fps`` and ``render_fps`` set the ``isaaclab`` schedule's playback rate as
    Isaac Lab 3's recorder resolves it. ``output`` (``rgb``, ``depth``, ``normals``,
    ``segmentation``, with ``depth_colormap_min``/``max`` for depth) is the job's, and every stream's
    default. ``overwrite`` lets a ``clip_file`` replace a file of that name the farm did not write
    (without it the farm refuses such a SUBMIT). ``clip_prefix`` asks for one clip as ``clip_file``
    does, named by the farm as Isaac Lab 3 numbers its next clip after ``local_files`` (the names in
    the submitter's folder) and its own; with ``keep_last_n_clips`` the job record's ``supersedes``
    names the local files the clip supersedes.
    """
    body: dict[str, Any] = {
        "workflow": workflow, "task": task, "run": run, "video_length": video_length,
        "video_interval": video_length if video_interval is None else video_interval,
        "backend_inputs": {"presets": list(presets), "physics": physics, "renderer_types": list(renderer_types),
                           "visualizers": list(visualizers), "backend_source": backend_source},
    }
    if streams is not None:
        if clip_file is not None:
            raise ValueError(f"clip_file {clip_file!r} names a single clip; streams cannot apply to it")
        if schedule not in (None, ISAACLAB_SCHEDULE):
            raise ValueError(f"streams are Isaac Lab 3's (one per VideoRecorderCfg); schedule {schedule!r} "
                             f"cannot plan them (leave schedule out, or use {ISAACLAB_SCHEDULE!r})")
        schedule = ISAACLAB_SCHEDULE
        body["streams"] = stream_bodies(streams)
    optional = {"schedule": schedule, "step_offset": step_offset, "frame_stride": frame_stride, "eye": eye,
                "lookat": lookat, "width": width, "height": height, "max_retries": max_retries,
                "clip_file": clip_file, "clip_prefix": clip_prefix, "fps": fps, "render_fps": render_fps, "keep_last_n_clips": keep_last_n_clips,
                "output": output, "depth_colormap_min": depth_colormap_min, "depth_colormap_max": depth_colormap_max}
    body.update({key: value for key, value in optional.items() if value is not None})
    if local_files is not None:
        body["local_files"] = list(local_files)
    if overwrite:
        if clip_file is None:
            raise ValueError("overwrite applies to a clip_file; this job names none")
        body["overwrite"] = True
    return body


def required_fields(body: Mapping[str, Any]) -> list[str]:
    """SUBMIT's ``required_fields`` for ``body``: the fields it sets that were added to FARM01 after
    its first release, and the fields its streams set (as ``streams.<name>``)."""
    required = [field for field in ADDED_SUBMIT_FIELDS if field in body]
    stream_fields = {name for stream in body.get("streams", []) for name in stream}
    return required + [f"streams.{name}" for name in sorted(stream_fields)]


def write_atomically(path: Path, data: bytes) -> Path:
    """Writes ``data`` to a temporary file beside ``path`` and renames it into place, so a reader
    never sees a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
