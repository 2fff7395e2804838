"""ClipCourier: takes finished recordings off the training thread and sees each one into its file.

The training thread hands over a ``ClipOrder`` (a file name and a callable that builds the clip's
rollout) with ``send``, which never blocks: the queue is bounded, and a clip that does not fit, or
that arrives while the farm is known to be down, is dropped and counted. A background thread builds
each rollout, submits it as a one-clip job (``clip_file``) and sees it into ``video_folder``: the
coordinator files it there itself when the folder is the job's ``video_dir`` (it lies under the
coordinator's logs root); when the job's ``video_dir`` is on this machine's filesystem (a local
farm, or a shared logs root) the courier hard-links (else copies) the filed clip from there; else it
fetches it with FETCH_CLIP and writes it atomically. A clip the job's ``keep_last_n_clips``
superseded before it could be filed or fetched is let go. ``close`` waits up to a timeout for
everything in flight and reports what did not land.

The courier runs in the trainer's process, so its CPU is the trainer's (docs/BENCHMARKS.md,
trainer), and a clip's cost is mostly wake-ups (a thread going to sleep and waking, here or in
ZeroMQ's I/O thread) and their cold caches, not the Python itself, so it wakes as seldom as the
clips allow. It sleeps while nothing is outstanding; the first clip handed over then wakes it at
once. While earlier clips are rendering, new ones wait ``max_submit_delay`` seconds (or until the
queue is full, or ``close``) and are submitted together with those handed over meanwhile: one that
comes while the courier sleeps longer than that only brings its wake-up forward. The client connects
when the courier is made (ZeroMQ's I/O thread does it meanwhile), not at the first clip. The farm
renders a client's clips in submission order (one worker finishes them in that order; several,
nearly), so it asks about the oldest outstanding clip only (and, once that is done, the next). That
clip is due when the farm's pace says it is done (seconds per frame the last clips at the head of
the queue took, up to when the farm wrote them: the file's mtime where this machine sees it, so a
late ask does not make the farm look slower); then, if the farm has rendered some of its frames,
when the rate so far says the rest will be; else at doubling intervals from ``poll_interval`` (twice
that while the farm's pace is unknown) up to ``max_poll_interval``. A clip behind one that lands is
fetched on that wake-up, or, when filed where this machine sees it, looked for on disk only. Clips
land several per wake-up where the pace allows: when clips behind the head are, by that pace, done
within ``max_landing_delay`` seconds (default 1) of the head being due, the courier asks
``poll_interval`` after the last of them instead, and that one wake-up lands them all; a clip lands
up to ``max_landing_delay`` later than it would on its own wake-up. While ``close`` waits, the head
is due when the last clip should be done, at most ``CLOSING_POLL_INTERVAL`` ahead (with the clips
done within ``max_landing_delay`` of that), and the asks about a head whose pace is still unknown go
on as they were (not restarted). A clip filed where this machine sees it is looked for on disk (a
``stat``, at every wake-up), and STATUS is sent only every ``STATUS_EVERY``-th ask that does not
find it (a failed clip is never filed); any other clip is fetched straight away (FETCH_CLIP), and
STATUS asked only when that finds it not ready. When the pace is right, a clip costs its share of a
wake-up, SUBMIT, and a ``stat`` and a link.

A clip may leave its name to the farm (``ClipOrder.named_by_farm``: Isaac Lab 3's recorder, whose
numbering and ``keep_last_n_clips`` the coordinator owns): its SUBMIT lists the video folder's
files, and the reply names the clip and the files it supersedes, which go once it is in place.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import math
import os
import secrets
import shutil
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..records import JobRecord
from .errors import FarmError, NotFoundError, NotReadyError, UnsupportedFieldError
from .farm_client import FINISHED_STATES, FarmClient

log = logging.getLogger("renderfarm.courier")

OnClip = Callable[[str, int, int], None]
#: A clip the coordinator files where this machine sees it is looked for on disk when due; every
#: STATUS_EVERY-th ask that does not find it is a STATUS (a failed clip is never filed).
STATUS_EVERY = 3
#: While ``close`` waits, the courier wakes when the farm's pace says the last clip is done, or
#: after this many seconds (and up to ``max_landing_delay`` more for the clips due by then), so a
#: pace misjudged from one clip does not hold up the close.
CLOSING_POLL_INTERVAL = 2.0
#: Clips per batched SUBMIT: the streams a job may have (docs/PROTOCOL.md, SUBMIT).
MAX_BATCH = 16
#: (inode, mtime) of a file: see ``file_identity``.
FileIdentity = tuple[int, int]


@dataclass
class ClipOrder:
    """One recorded clip: its file name, first step and frame count, and how to build its rollout."""
    #: For a clip the farm names (``clip_prefix``), ``<prefix>_?.mp4 (N frames from step S)`` until SUBMIT's reply names it.
    file: str
    first_step: int
    frames: int
    build_rollout: Callable[[], bytes]
    #: The clip's body_q (``[frames, num_bodies, 7]``), for a courier that batches clips (``ClipBatching``).
    poses: Callable[[], np.ndarray] | None = None
    queued_at: float = field(default_factory=time.monotonic)
    #: The farm names the clip as Isaac Lab 3 numbers this prefix's next one (SUBMIT's ``clip_prefix``),
    #: after the video folder's files, which it is told, and its own.
    clip_prefix: str | None = None
    #: Files of the video folder the farm says this clip supersedes (``keep_last_n_clips``): removed
    #: once it is in place.
    supersedes: list[str] = field(default_factory=list)

    @classmethod
    def named_by_farm(cls, prefix: str, first_step: int, frames: int,
                      build_rollout: Callable[[], bytes]) -> ClipOrder:
        return cls(f"{prefix}_?.mp4 ({frames} frames from step {first_step})", first_step, frames, build_rollout,
                   clip_prefix=prefix)


@dataclass(frozen=True)
class ClipBatching:
    """How a courier submits several clips of one scene as one job: their poses end to end in one
    rollout (``encode``: body_q → rollout bytes, from step 0), one ``isaaclab``-schedule stream per
    clip (its offset and length, one trigger), played at ``fps`` (an integer, as that schedule's)."""
    encode: Callable[[np.ndarray], bytes]
    fps: int


@dataclass
class PendingClip:
    """A submitted clip: when, its job and clip id, and where it will be filed: in the video folder
    itself (``filed_here``) or in the job's ``video_dir``, watched when this machine sees it, with what
    was at that path before (a stale file of that name is not the clip)."""
    order: ClipOrder
    submitted_at: float
    job_id: str
    clip_id: int
    filed_here: bool
    #: Where the coordinator files the clip, when this machine sees it (else None): the order's
    #: file, or a batch's stream file, renamed or linked into place.
    watched: str | None
    stale: FileIdentity | None



@dataclass
class LandedClip:
    path: str
    first_step: int
    frames: int
    #: Seconds from ``send`` (the clip's last recorded step) to the file being in place.
    latency_s: float
    #: Put in place by the courier (fetched, or linked from the farm's folder) rather than filed by the farm.
    fetched: bool


class ClipCourier:
    def __init__(self, video_folder: str | os.PathLike[str], job: dict[str, Any], *,
                 client_factory: Callable[[], FarmClient], on_clip: OnClip | None = None,
                 queue_size: int = 8, poll_interval: float = 0.1, max_poll_interval: float = 1.0,
                 down_backoff: float = 10.0, max_submit_delay: float = 1.0, max_landing_delay: float = 1.0,
                 batching: ClipBatching | None = None):
        self.video_folder = Path(video_folder)
        self._folder = os.fspath(video_folder)  # joined as a string: pathlib costs microseconds a clip
        self._job = dict(job)
        # Made and connected here, once (its endpoint and keys read from the configuration; the
        # connection made by ZeroMQ's I/O thread before the first clip), then used by the courier
        # thread only; its socket lives as long as the courier.
        self._client = client_factory()
        self._client.connect()
        self._on_clip = on_clip
        self._poll_interval = poll_interval
        self._max_poll_interval = max_poll_interval
        self._down_backoff = down_backoff
        self._queue_size = queue_size
        self._max_submit_delay = max_submit_delay
        self._max_landing_delay = max_landing_delay
        self._batching = batching
        # Guards the orders, closing and when the courier next wakes (0 while it works, inf while it
        # sleeps until notified): send() wakes it only when an order would otherwise wait too long.
        self._wakeup = threading.Condition()
        self._orders: deque[ClipOrder] = deque()
        self._closing = False
        self._wake_at = 0.0
        self._pending: deque[PendingClip] = deque()  # in submission order
        # The farm's pace: seconds per frame of the last clip at the head of the queue (from its
        # submission, or the one before it done, to done); when the head is asked about first.
        self._seconds_per_frame = 0.0
        self._head_since = 0.0
        # When the pace says the head is done, and when it is due to be asked about (after
        # CLOSING_POLL_INTERVAL at most, while closing); asked about at _next_poll_at (_ask_at).
        self._head_done = 0.0
        self._head_due = 0.0
        self._next_poll_at = 0.0
        self._poll_delay = poll_interval
        self._disk_asks = 0  # asks about the head that looked on disk only
        self._video_dir: str | None = None
        self._filed_where: tuple[bool, str | None] = (False, None)
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
        with self._wakeup:
            full = len(self._orders) >= self._queue_size
            if not full:
                self._orders.append(order)
                if (order.queued_at + self._max_submit_delay < self._wake_at
                        or len(self._orders) == self._queue_size):
                    self._wakeup.notify()
        if full:
            self._drop(order, f"{self._queue_size} clips are already waiting for the farm")
            return False
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
        with self._wakeup:
            self._closing = True
            self._wakeup.notify()
        self._thread.join(timeout)
        if self._thread.is_alive():
            self._abort.set()
            with self._wakeup:
                self._wakeup.notify()  # wakes it from a wait for the next poll
            self._thread.join()
        outstanding = [pending.order.file for pending in self._pending]
        outstanding += [order.file for order in self._orders]
        for file in outstanding:
            log.warning("renderfarm: clip %s did not land in %s within %g s", file, self.video_folder, timeout)
        return [*self.dropped, *self.failed, *outstanding]

    # Courier thread.

    def _run(self) -> None:
        client = self._client
        waited_for_all = False
        try:
            while True:
                orders, closing = self._wait_for_work()
                for index, group in enumerate(groups := self._groups(orders)):
                    if self._abort.is_set():
                        with self._wakeup:  # outstanding, for close()
                            self._orders.extendleft(reversed([o for rest in groups[index:] for o in rest]))
                        return
                    self._submit(client, group)
                if self._abort.is_set():
                    return
                if closing and not waited_for_all and self._pending and self._seconds_per_frame:
                    # From now on, when the last should be done (while the farm's pace is unknown,
                    # the asks about the head go on as they were).
                    self._expect_head(self._head_since)
                waited_for_all = closing
                self._poll(client)
                if closing and not self._pending and not orders:
                    return
        except Exception:
            log.exception("renderfarm: the clip courier stopped")
        finally:
            client.close()

    def _wait_for_work(self) -> tuple[list[ClipOrder], bool]:
        """Sleeps until orders are due (the farm has nothing of ours to render, the oldest has waited
        ``max_submit_delay``, or the queue is full), the head clip is due to be asked about, or
        ``close`` is called; ``send`` wakes it when orders come due before the wake-up it sleeps
        until, and it sleeps on until then. Returns the orders due by then (all queued, or none)
        and whether closing."""
        with self._wakeup:
            closing = self._closing
            while not self._abort.is_set() and self._closing == closing:
                now = time.monotonic()
                due = min(self._orders_due_at(), self._next_poll_at if self._pending else math.inf)
                if due <= now:
                    break
                self._wake_at = due
                self._wakeup.wait(None if due == math.inf else due - now)
            self._wake_at = 0.0
            if not (self._orders_due_at() <= time.monotonic() or self._abort.is_set()):
                return [], self._closing
            orders = list(self._orders)
            self._orders.clear()
            return orders, self._closing

    def _orders_due_at(self) -> float:
        """When the queued orders are due (with ``_wakeup`` held); inf when none are queued."""
        if not self._orders:
            return 0.0 if self._closing and not self._pending else math.inf
        if not self._pending or self._closing or len(self._orders) >= self._queue_size:
            return 0.0
        return self._orders[0].queued_at + self._max_submit_delay

    def _expect_head(self, since: float) -> None:
        """A clip has just reached the head of the queue: it is due when the farm's pace says it is
        done; once ``close`` waits for them all, when the last is (one wake-up lands what is done by
        then), or after ``CLOSING_POLL_INTERVAL``. Asked about then, or later: ``_ask_at``."""
        self._head_since = since
        self._disk_asks = 0
        # While the farm's pace is unknown, the doubling intervals' first end is skipped: a clip is
        # seldom done a poll_interval after it was submitted, and then lands one later.
        self._poll_delay = self._poll_interval if self._seconds_per_frame else 2 * self._poll_interval
        self._head_done = since + self._seconds_per_frame * self._pending[0].order.frames
        if self._closing:
            frames = sum(pending.order.frames for pending in self._pending)
            wait = min(self._seconds_per_frame * frames, max(CLOSING_POLL_INTERVAL, self._max_poll_interval))
        else:
            wait = self._head_done - since
        self._head_due = since + max(self._poll_delay, wait)
        self._next_poll_at = self._ask_at()

    def _expect_rest(self, record: Mapping[str, Any], frames: int) -> None:
        """The head is not done: due again when the rate of its frames so far says it will be done,
        but after no longer than it has been at the head (its first frames' rate includes the farm
        setting the clip up: a 16-env scene's first frame, 2 s in, made it 58 s), else later; asked
        about then, or later: ``_ask_at``."""
        now = time.monotonic()
        done = int(record.get("frames_done") or 0)
        if 0 < done < frames:
            elapsed = now - self._head_since
            self._head_due = now + max(self._poll_interval, min(elapsed / done * (frames - done), elapsed))
        else:
            self._head_due = now + self._poll_delay
            self._poll_delay = min(2 * self._poll_delay, self._max_poll_interval)
        self._head_done = self._head_due
        self._next_poll_at = self._ask_at()

    def _ask_at(self) -> float:
        """When to ask about the head: when it is due (``_head_due``), or later, so that one wake-up
        lands the clips behind it that the farm's pace says are done by then (each from when the one
        before it is done, or from its submission): ``poll_interval`` after the last of them is (a
        pace is not exact), as long as that is within ``max_landing_delay`` of the head being due."""
        ask_at, done = self._head_due, self._head_done
        latest = self._head_due + self._max_landing_delay - self._poll_interval
        for pending in itertools.islice(self._pending, 1, None):
            done = max(done, pending.submitted_at) + self._seconds_per_frame * pending.order.frames
            if done > latest:
                break
            ask_at = max(ask_at, done + self._poll_interval)
        return ask_at

    def _groups(self, orders: list[ClipOrder]) -> list[list[ClipOrder]]:
        """The orders as SUBMITs: batches of up to ``MAX_BATCH`` clips when batching, else one each."""
        if self._batching is None or any(order.poses is None for order in orders):
            return [[order] for order in orders]
        return [orders[start:start + MAX_BATCH] for start in range(0, len(orders), MAX_BATCH)]

    def _submit(self, client: FarmClient, orders: list[ClipOrder]) -> None:
        """One job: a single clip (``clip_file``, filed under its own name), or a batch (one stream
        per clip, filed under a hidden stream name and renamed or linked into place)."""
        if time.monotonic() < self._down_until:
            for order in orders:
                self._drop(order, "the farm did not answer a moment ago")
            return
        try:
            if len(orders) == 1 and orders[0].clip_prefix is not None:
                record = self._submit_named_by_farm(client, orders[0])
            elif len(orders) == 1:
                order = orders[0]
                record = client.submit(order.build_rollout(), clip_file=order.file, video_length=order.frames,
                                       **self._job)
            else:
                record = self._submit_batch(client, orders)
        except (FarmError, OSError) as error:
            if isinstance(error, UnsupportedFieldError) and len(orders) > 1:
                log.warning("renderfarm: %s; submitting clips one by one from now on", error)
                self._batching = None  # a coordinator that predates streams
                for order in orders:
                    self._submit(client, [order])
                return
            self._down_until = time.monotonic() + self._down_backoff
            for order in orders:
                self._drop(order, f"submission failed: {error}")
            return
        now = time.monotonic()
        idle = not self._pending
        filed_here, farm_folder = self._filing(record.get("video_dir"))
        clips = sorted(record["clips"], key=lambda clip: int(clip.get("stream") or 0))
        for order in orders[len(clips):]:
            self._fail(order, f"job {record['id']} planned no clip for it")
        for order, clip in zip(orders, clips):
            folder = self._folder if filed_here else farm_folder
            watched = None if folder is None else os.path.join(folder, clip["file"])
            # A batch's stream files are named afresh (a random tag): nothing stale can be there.
            stale = None if watched is None or len(orders) > 1 else file_identity(watched)
            self._pending.append(PendingClip(order, now, record["id"], int(clip["id"]), filed_here, watched, stale))
        if idle:
            self._expect_head(now)
        else:
            self._next_poll_at = self._ask_at()  # the new clips may be done soon after the head is due

    def _submit_named_by_farm(self, client: FarmClient, order: ClipOrder) -> JobRecord:
        """A clip the farm names: it is told what the video folder holds (Isaac Lab numbers on after
        those files and prunes them), and answers with the name and what the clip supersedes."""
        try:
            local_files = os.listdir(self._folder)
        except FileNotFoundError:
            local_files = []
        record = client.submit(order.build_rollout(), clip_prefix=order.clip_prefix, local_files=local_files,
                               video_length=order.frames, **self._job)
        if record.get("clips"):
            order.file = record["clips"][0]["file"]
        order.supersedes = list(record.get("supersedes") or [])
        return record

    def _submit_batch(self, client: FarmClient, orders: list[ClipOrder]) -> JobRecord:
        assert self._batching is not None
        poses = [order.poses() for order in orders if order.poses is not None]
        offsets = np.cumsum([0] + [len(clip) for clip in poses[:-1]])
        tag = f".renderfarm-{secrets.token_hex(4)}"
        streams = [{"prefix": f"{tag}-{index}", "step_offset": int(offset), "video_length": len(clip),
                    "video_interval": 0} for index, (offset, clip) in enumerate(zip(offsets, poses))]
        job = {key: value for key, value in self._job.items() if key != "overwrite"}  # a clip_file's
        record = client.submit(
            self._batching.encode(np.concatenate(poses)), streams=streams, fps=self._batching.fps,
            video_length=max(len(clip) for clip in poses), video_interval=0, **job)
        return record

    def _filing(self, video_dir: str | None) -> tuple[bool, str | None]:
        """Whether the coordinator files into the video folder itself, else the folder it files into
        when this machine sees it: asked of the filesystem once per ``video_dir`` (a job's run folder,
        the same for every clip of a recorder) while it is seen, and again once it becomes so."""
        if video_dir != self._video_dir or not any(self._filed_where):
            self._video_dir = video_dir
            filed_here = same_folder(video_dir, self.video_folder)
            seen = None if filed_here else farm_folder(video_dir)
            self._filed_where = (filed_here, None if seen is None else os.fspath(seen))
        return self._filed_where

    def _poll(self, client: FarmClient) -> None:
        """Lands pending clips, oldest first, while they are done; stops at the first that is not.
        A clip filed where this machine sees it is looked for on disk at every wake-up (a ``stat``);
        the head is asked about (FETCH_CLIP, STATUS) only once it is due, and a clip behind one
        that landed on this wake-up only when it is fetched (not filed where it is looked for). The
        farm's pace is the frames settled on this wake-up over the time from the first of them
        reaching the head to the farm writing the last (its file's mtime, when found on disk; else
        now)."""
        settled, done_at = 0, 0.0
        while self._pending:
            pending = self._pending[0]
            try:
                written_at = self._found_on_disk(pending)
                if written_at is None:
                    behind = bool(settled)
                    if not (self._ask_due(pending, behind) and self._try_land(client, pending, behind=behind)):
                        break
                    written_at = time.monotonic()
            except FarmError as error:
                # Kept at the head: a later poll tries again until close() gives up on it.
                log.warning("renderfarm: clip %s (job %s): %s", pending.order.file, pending.job_id, error)
                self._head_due = self._head_done = self._next_poll_at = time.monotonic() + self._max_poll_interval
                break
            settled += pending.order.frames
            done_at = written_at
            self._pending.popleft()
        if settled:
            if done_at > self._head_since:
                self._seconds_per_frame = (done_at - self._head_since) / settled
            if self._pending:
                # From now, not from when the farm wrote the last: the next head is expected no
                # earlier than the pace says (an ask that comes too early is a wake-up more).
                self._expect_head(max(time.monotonic(), self._pending[0].submitted_at))

    def _ask_due(self, pending: PendingClip, behind: bool) -> bool:
        """Whether to ask the farm about ``pending`` now: as the head, once it is due; ``behind``
        clips that landed on this wake-up, only when it is fetched (FETCH_CLIP lands it if done):
        one filed where this machine sees it was just looked for on disk, so an ask could only be a
        STATUS about a clip still rendering."""
        if not behind:
            return time.monotonic() >= self._next_poll_at
        return pending.watched is None

    def _found_on_disk(self, pending: PendingClip) -> float | None:
        """When the farm wrote the clip (its file's mtime on this process's monotonic clock, at most
        now and not before its submission), once the coordinator has filed it where this machine sees
        it (and landed): in the video folder itself (under a batch's stream name: renamed), or in its
        own folder (then linked into the video folder); None before. So a late ask does not make the
        farm's pace look slower than it is."""
        watched = pending.watched
        if watched is None:
            return None
        found = file_identity(watched)
        if found is None or found == pending.stale:
            return None
        order, destination = pending.order, os.path.join(self._folder, pending.order.file)
        try:
            self._take(watched, destination, pending.filed_here)
        except OSError as error:
            log.info("renderfarm: clip %s: cannot take it from %s (%s); fetching it", order.file, watched, error)
            pending.watched = None
            return None
        self._landed(order, destination, fetched=not pending.filed_here)
        now = time.monotonic()
        return min(now, max(pending.submitted_at, now - (time.time() - found[1] / 1e9)))

    @staticmethod
    def _take(filed: str, destination: str, filed_here: bool) -> None:
        """Puts a clip the coordinator filed at ``filed`` at ``destination``: nothing to do when it is
        there already; renamed when in the video folder (a batch's stream name); else linked."""
        if filed == destination:
            return
        if filed_here:
            os.replace(filed, destination)
        else:
            link_atomically(filed, destination)

    def _try_land(self, client: FarmClient, pending: PendingClip, *, behind: bool) -> bool:
        """True once the clip is settled (landed, failed or superseded), asked about once it is not on
        disk: fetched first where this machine cannot see where it is filed, then, if not ready,
        asked about with STATUS (which schedules the next ask), unless it is ``behind`` clips that
        landed on this wake-up (it is rendering, or superseded: asked about once it is the head)."""
        order, destination = pending.order, os.path.join(self._folder, pending.order.file)
        if pending.watched is not None:
            # On disk when done: STATUS only every STATUS_EVERY asks (to learn of a failure, and the rate).
            self._disk_asks += 1
            if self._disk_asks % STATUS_EVERY:
                self._expect_rest({}, order.frames)
                return False
        else:
            try:
                client.fetch_clip(pending.job_id, pending.clip_id, out=destination)
                self._landed(order, destination, fetched=True)
                return True
            except (NotReadyError, NotFoundError):
                if behind:
                    return False
                # Not done, or superseded (keep_last_n_clips): STATUS says which.
            except OSError as error:
                self._fail(order, f"cannot write it to {self.video_folder}: {error}")
                return True
        record = client.status(pending.job_id)
        assert isinstance(record, dict), "STATUS with a job_id answers one job"
        clip: Mapping[str, Any] = next((clip for clip in record.get("clips") or [] if clip.get("id") == pending.clip_id), {})
        state = clip.get("state")
        if state == "done":
            if clip.get("removed"):
                self._supersede(order, clip["removed"])
            else:
                self._deliver(client, pending, clip)
        elif state in ("failed", "cancelled") or record["state"] in FINISHED_STATES:
            self._fail(order, f"job {pending.job_id} {record['state']}: {clip.get('error') or record.get('error')}")
        else:
            # A batch's frames_done counts all its clips': no rate for this one.
            self._expect_rest(record if len(record.get("clips") or []) == 1 else {}, order.frames)
            return False
        return True

    def _deliver(self, client: FarmClient, pending: PendingClip, clip: Mapping[str, Any]) -> None:
        """A done clip STATUS reports: taken from where it was filed if this machine sees that, else fetched."""
        order, destination = pending.order, os.path.join(self._folder, pending.order.file)
        filed = clip.get("path")
        try:
            try:
                if not filed or not os.path.exists(filed):
                    raise FileNotFoundError(f"{filed} is not on this machine")
                self._take(filed, destination, pending.filed_here)
            except OSError:
                client.fetch_clip(pending.job_id, pending.clip_id, out=destination)
                self._landed(order, destination, fetched=True)
                return
        except OSError as error:
            self._fail(order, f"cannot write it to {self.video_folder}: {error}")
            return
        self._landed(order, destination, fetched=not pending.filed_here)

    def _landed(self, order: ClipOrder, destination: str, fetched: bool) -> None:
        landed = LandedClip(destination, order.first_step, order.frames,
                            time.monotonic() - order.queued_at, fetched)
        with self._lock:
            self.landed.append(landed)
        for name in order.supersedes:
            if name == os.path.basename(name) and name not in (".", ".."):  # a file of the folder, nothing else
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(os.path.join(self._folder, name))
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


def farm_folder(video_dir: str | None) -> Path | None:
    """The folder the coordinator files into when this machine sees its logs root (a local farm, or
    a shared filesystem), else None. ``video_dir`` is ``<logs-root>/<workflow>/<task>/<run>/videos/train``
    (docs/DEPLOY.md); it exists only once a clip is filed, the logs root from the coordinator's
    start. A remote farm's logs root that happens to exist here only delays its clips: STATUS then
    finds them done elsewhere, and they are fetched."""
    if not video_dir:
        return None
    folder = Path(video_dir)
    return folder if len(folder.parents) > 4 and folder.parents[4].is_dir() else None


def file_identity(path: str) -> FileIdentity | None:
    """(inode, mtime) of the file at ``path``, None when there is none: the coordinator's rename puts
    a new inode there, so a clip is in place once this changes from what was there before."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return found.st_ino, found.st_mtime_ns


def link_atomically(source: str, destination: str) -> None:
    """Puts the file at ``source`` at ``destination`` too: a hard link (no bytes copied; the farm
    files by rename and never writes into a filed clip), else a copy. A reader never sees a partial
    file: the link is made at ``destination`` itself when nothing is there (a new name for a whole
    file), else, like a copy, under a temporary name beside it renamed into place."""
    try:
        os.link(source, destination)
        return
    except OSError:
        pass  # a file of that name (replaced below), or another filesystem (copied below)
    folder, name = os.path.split(destination)
    temporary = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.part")
    try:
        try:
            os.link(source, temporary)
        except OSError:
            shutil.copyfile(source, temporary)
        os.replace(temporary, destination)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
