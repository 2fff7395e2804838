"""ClipCourier: takes finished recordings off the training thread and sees each one into its file.

The training thread hands over a ``ClipOrder`` (a file name and a callable that builds the clip's
rollout) with ``send``, which never blocks: the queue is bounded, and a clip that does not fit, or
that arrives while the farm is known to be down, is dropped and counted. A background thread builds
each rollout, submits it as a one-clip job (``clip_file``), polls it, and, once done, either finds
it already filed in ``video_folder`` (the coordinator's logs root holds that folder) or fetches it
with FETCH_CLIP and writes it atomically; a clip the job's ``keep_last_n_clips`` superseded before
it could be filed or fetched is let go. ``close`` waits up to a timeout for everything in flight
and reports what did not land.

The courier runs in the trainer's process, so its CPU is the trainer's (docs/BENCHMARKS.md,
trainer). It sleeps while nothing is outstanding. The farm renders a client's clips in submission
order (one worker finishes them in that order; several, nearly), so it asks about the oldest
outstanding clip only (and, once that is done, the next): first when the farm's pace (seconds per
frame the last clip took at the head of the queue) says it should be done; then, if the farm has
rendered some of its frames, when the rate so far says the rest will be; else at doubling intervals
from ``poll_interval`` up to ``max_poll_interval``. Each ask tries the
cheap way first: a clip the farm files into ``video_folder`` itself (the folder is the job's
``video_dir``) is looked for on disk, any other is fetched straight away (FETCH_CLIP); only when
that finds it not ready does the courier send STATUS (progress, failure). When the pace is right, a
clip costs SUBMIT and one FETCH_CLIP, or SUBMIT alone.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import FarmError, NotFoundError, NotReadyError
from ..records import JobRecord
from .farm_client import FarmClient

log = logging.getLogger("renderfarm.courier")

OnClip = Callable[[str, int, int], None]


@dataclass
class ClipOrder:
    """One recorded clip: its file name, first step and frame count, and how to build its rollout."""
    file: str
    first_step: int
    frames: int
    build_rollout: Callable[[], bytes]
    queued_at: float = field(default_factory=time.monotonic)


@dataclass
class PendingClip:
    """A submitted clip: when, its clip id in the job, and, when the farm files it straight into the
    video folder, what was at its path before (a stale file of that name is not the clip)."""
    order: ClipOrder
    submitted_at: float
    clip_id: int
    filed_here: bool
    stale: tuple[int, int] | None


#: Put on the order queue by ``close``: the courier finishes what is outstanding and stops.
_CLOSE = object()


@dataclass
class LandedClip:
    path: str
    first_step: int
    frames: int
    #: Seconds from ``send`` (the clip's last recorded step) to the file being in place.
    latency_s: float
    fetched: bool


class ClipCourier:
    def __init__(self, video_folder: str | os.PathLike[str], job: dict[str, Any], *,
                 client_factory: Callable[[], FarmClient], on_clip: OnClip | None = None,
                 queue_size: int = 8, poll_interval: float = 0.1, max_poll_interval: float = 1.0,
                 down_backoff: float = 10.0):
        self.video_folder = Path(video_folder)
        self._job = dict(job)
        self._client_factory = client_factory
        self._on_clip = on_clip
        self._poll_interval = poll_interval
        self._max_poll_interval = max_poll_interval
        self._down_backoff = down_backoff
        self._queue_size = queue_size
        # Unbounded so that close() can always queue _CLOSE; send() holds clips to queue_size.
        self._orders: queue.Queue[ClipOrder | object] = queue.Queue()
        self._pending: dict[str, PendingClip] = {}  # by job id, in submission order
        # The farm's pace: seconds per frame of the last clip at the head of the queue (from its
        # submission, or the one before it done, to done); when the head is asked about first.
        self._seconds_per_frame = 0.0
        self._head_since = 0.0
        self._next_poll_at = 0.0
        self._poll_delay = poll_interval
        self._lock = threading.Lock()
        self._abort = threading.Event()
        self._down_until = 0.0
        self.dropped: list[str] = []
        self.failed: list[str] = []
        self.landed: list[LandedClip] = []
        #: Clips the farm rendered but did not keep, as ``keep_last_n_clips`` asked (newer clips supersede them).
        self.superseded: list[str] = []
        self._thread = threading.Thread(target=self._run, name="renderfarm-courier", daemon=True)
        self._thread.start()

    # Training thread.

    def send(self, order: ClipOrder) -> bool:
        """Queues a clip without blocking; False (and counted in ``dropped``) when it cannot be taken."""
        if time.monotonic() < self._down_until:
            self._drop(order, "the farm did not answer a moment ago")
            return False
        if self._orders.qsize() >= self._queue_size:
            self._drop(order, f"{self._queue_size} clips are already waiting for the farm")
            return False
        self._orders.put_nowait(order)
        return True

    def _drop(self, order: ClipOrder, reason: str) -> None:
        with self._lock:
            self.dropped.append(order.file)
            count = len(self.dropped)
        log.warning("renderfarm: dropped clip %s: %s (%d dropped so far)", order.file, reason, count)

    def close(self, timeout: float) -> list[str]:
        """Waits up to ``timeout`` s for queued and rendering clips to land; returns the files that
        did not (dropped, failed, or still outstanding), each logged. Clips ``keep_last_n_clips``
        superseded are not among them (see ``superseded``)."""
        self._orders.put_nowait(_CLOSE)
        self._thread.join(timeout)
        if self._thread.is_alive():
            self._abort.set()
            self._orders.put_nowait(_CLOSE)  # wakes it from a wait for the next poll
            self._thread.join()
        outstanding = [pending.order.file for pending in self._pending.values()]
        while True:
            try:
                order = self._orders.get_nowait()
            except queue.Empty:
                break
            if isinstance(order, ClipOrder):
                outstanding.append(order.file)
        for file in outstanding:
            log.warning("renderfarm: clip %s did not land in %s within %g s", file, self.video_folder, timeout)
        return [*self.dropped, *self.failed, *outstanding]

    # Courier thread.

    def _run(self) -> None:
        client: FarmClient | None = None
        closing = False
        try:
            client = self._client_factory()
            while not self._abort.is_set():
                try:
                    order = self._orders.get(timeout=self._until_next_poll())
                except queue.Empty:
                    order = None
                if order is _CLOSE:
                    closing = True
                elif isinstance(order, ClipOrder):
                    self._submit(client, order)
                self._poll(client)
                if closing and not self._pending and self._orders.empty():
                    return
        except Exception:
            log.exception("renderfarm: the clip courier stopped")
        finally:
            if client is not None:
                client.close()

    def _until_next_poll(self) -> float | None:
        """Seconds until the oldest pending clip is due to be asked about; None (sleep until an order) when none is."""
        return max(0.0, self._next_poll_at - time.monotonic()) if self._pending else None

    def _expect_head(self, since: float, frames: int) -> None:
        """A clip of ``frames`` has just reached the head of the queue: ask about it when the farm's pace says."""
        self._head_since = since
        self._poll_delay = self._poll_interval
        self._next_poll_at = since + max(self._poll_interval, 0.9 * self._seconds_per_frame * frames)

    def _expect_rest(self, record: JobRecord, frames: int) -> None:
        """The head is not done: ask again when the rate of its frames so far says it will be, else later."""
        now = time.monotonic()
        done = int(record.get("frames_done") or 0)
        if 0 < done < frames:
            self._next_poll_at = now + max(self._poll_interval, (now - self._head_since) / done * (frames - done))
        else:
            self._next_poll_at = now + self._poll_delay
            self._poll_delay = min(2 * self._poll_delay, self._max_poll_interval)

    def _submit(self, client: FarmClient, order: ClipOrder) -> None:
        if time.monotonic() < self._down_until:
            self._drop(order, "the farm did not answer a moment ago")
            return
        try:
            record = client.submit(order.build_rollout(), clip_file=order.file, video_length=order.frames,
                                   **self._job)
        except (FarmError, OSError) as error:
            self._down_until = time.monotonic() + self._down_backoff
            self._drop(order, f"submission failed: {error}")
            return
        now = time.monotonic()
        if not self._pending:
            self._expect_head(now, order.frames)
        destination = self.video_folder / order.file
        self._pending[record["id"]] = PendingClip(order, now, int(record["clips"][0]["id"]),
                                                  filed_here=same_folder(record.get("video_dir"), self.video_folder),
                                                  stale=file_identity(destination))

    def _poll(self, client: FarmClient) -> None:
        """Asks about pending clips, oldest first, while they are done; stops at the first that is not."""
        while self._pending and time.monotonic() >= self._next_poll_at:
            job_id, pending = next(iter(self._pending.items()))
            try:
                if not self._try_land(client, job_id, pending):
                    return
            except FarmError as error:
                # Kept at the head: a later poll tries again until close() gives up on it.
                log.warning("renderfarm: clip %s (job %s): %s", pending.order.file, job_id, error)
                self._next_poll_at = time.monotonic() + self._max_poll_interval
                return
            now = time.monotonic()
            self._seconds_per_frame = (now - self._head_since) / max(1, pending.order.frames)
            del self._pending[job_id]
            if self._pending:
                following = next(iter(self._pending.values()))
                self._expect_head(max(now, following.submitted_at), following.order.frames)

    def _try_land(self, client: FarmClient, job_id: str, pending: PendingClip) -> bool:
        """True once the clip is settled (landed, failed or superseded): looked for on disk or fetched
        first, then, if not ready, asked about with STATUS (which schedules the next ask)."""
        order, destination = pending.order, self.video_folder / pending.order.file
        if pending.filed_here:
            if file_identity(destination) not in (None, pending.stale):
                self._landed(order, destination, fetched=False)
                return True
        else:
            try:
                client.fetch_clip(job_id, pending.clip_id, out=destination)
                self._landed(order, destination, fetched=True)
                return True
            except (NotReadyError, NotFoundError):
                pass  # not done, or superseded (keep_last_n_clips): STATUS says which
            except OSError as error:
                self._fail(order, f"cannot write it to {self.video_folder}: {error}")
                return True
        record = client.status(job_id)
        if record["state"] not in ("completed", "failed", "cancelled"):
            self._expect_rest(record, order.frames)
            return False
        self._finish(client, job_id, record, order)
        return True

    def _finish(self, client: FarmClient, job_id: str, record: JobRecord, order: ClipOrder) -> None:
        clips = record.get("clips") or []
        clip: Mapping[str, Any] = clips[0] if clips else {}
        if record["state"] != "completed" or clip.get("state") != "done":
            self._fail(order, f"job {job_id} {record['state']}: {record.get('error') or clip.get('error')}")
        elif clip.get("removed"):
            self._supersede(order, clip["removed"])
        else:
            try:
                self._deliver(client, job_id, clip, order)
            except OSError as error:
                self._fail(order, f"cannot write it to {self.video_folder}: {error}")

    def _deliver(self, client: FarmClient, job_id: str, clip: Mapping[str, Any], order: ClipOrder) -> None:
        destination = self.video_folder / order.file
        filed = clip.get("path")
        fetched = not (filed and destination.exists() and os.path.exists(filed)
                       and os.path.samefile(filed, destination))
        if fetched:
            client.fetch_clip(job_id, clip["id"], out=destination)
        self._landed(order, destination, fetched)

    def _landed(self, order: ClipOrder, destination: Path, fetched: bool) -> None:
        landed = LandedClip(str(destination), order.first_step, order.frames,
                            time.monotonic() - order.queued_at, fetched)
        with self._lock:
            self.landed.append(landed)
        if self._on_clip is not None:
            try:
                self._on_clip(landed.path, order.first_step, order.frames)
            except Exception:
                log.exception("renderfarm: on_clip raised for %s", landed.path)

    def _supersede(self, order: ClipOrder, reason: str) -> None:
        with self._lock:
            self.superseded.append(order.file)
        log.info("renderfarm: clip %s is not kept: %s", order.file, reason)

    def _fail(self, order: ClipOrder, reason: str) -> None:
        with self._lock:
            self.failed.append(order.file)
        log.error("renderfarm: clip %s failed: %s", order.file, reason)


def same_folder(video_dir: str | None, folder: Path) -> bool:
    """Whether the coordinator files the job's clips into ``folder`` (its ``video_dir`` is that folder)."""
    try:
        return video_dir is not None and os.path.samefile(video_dir, folder)
    except OSError:
        return False


def file_identity(path: Path) -> tuple[int, int] | None:
    """(inode, mtime) of the file at ``path``, None when there is none: the coordinator's rename puts
    a new inode there, so a clip is in place once this changes from what was there before."""
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    return found.st_ino, found.st_mtime_ns
