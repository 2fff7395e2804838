"""When ClipCourier asks the farm about a clip (its CPU is the trainer's: docs/BENCHMARKS.md,
trainer): the schedule itself, with the requests counted on a client whose endpoint nobody serves."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from renderfarm.client import FarmClient, NotReadyError
from renderfarm.client.courier import STATUS_EVERY, ClipCourier, ClipOrder, PendingClip
from renderfarm.farm import free_endpoint

JOB = dict(task="Ant-v5", workflow="gymnasium", run="asks", width=160, height=120, presets=["newton_mjwarp"])
POLL_INTERVAL = 0.1


@pytest.fixture
def courier(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    requests: list[str] = []

    def request(client: FarmClient, command: str, *args: object, **kwargs: object) -> tuple[dict, list]:
        requests.append(command)
        if command == "FETCH_CLIP":
            raise NotReadyError("not_ready", "the clip is rendering", command)
        raise AssertionError(f"{command} was sent")

    monkeypatch.setattr(FarmClient, "request", request)
    made = ClipCourier(tmp_path, JOB, client_factory=lambda: FarmClient(free_endpoint()), poll_interval=POLL_INTERVAL)
    made.requests = requests  # type: ignore[attr-defined]
    yield made
    made._pending.clear()
    assert made.close(timeout=10) == []


def filed(folder: Path, name: str, index: int) -> PendingClip:
    """A clip of a job the farm files into ``folder``, submitted now."""
    return PendingClip(ClipOrder(name, 0, 30, lambda: b""), time.monotonic(), "job", index, True,
                       str(folder / name), None)


def fetched(name: str, index: int) -> PendingClip:
    """A clip filed where this machine does not see it, submitted now."""
    return PendingClip(ClipOrder(name, 0, 30, lambda: b""), time.monotonic(), "job", index, False, None, None)


def test_a_clip_behind_one_that_lands_is_looked_for_on_disk_not_asked_about(courier, tmp_path):
    """The head is found filed on a wake-up on which an ask about a clip not on disk would be a
    STATUS; the clip behind it, not filed yet, is still rendering: it is left to the pace, not
    asked about."""
    (tmp_path / "head.mp4").write_bytes(b"clip")
    courier._pending.extend([filed(tmp_path, "head.mp4", 1), filed(tmp_path, "behind.mp4", 2)])
    courier._disk_asks, courier._next_poll_at = STATUS_EVERY - 1, 0.0
    courier._poll(courier._client)
    assert [Path(clip.path).name for clip in courier.landed] == ["head.mp4"]
    assert [pending.order.file for pending in courier._pending] == ["behind.mp4"]
    assert courier.requests == []


def test_a_fetched_clip_behind_one_that_lands_is_fetched_but_not_asked_about_again(courier, tmp_path):
    """A clip to fetch behind the one that landed is fetched on that wake-up (done, it lands); not
    ready, it is rendering: no STATUS, the farm's pace says when to ask again."""
    (tmp_path / "head.mp4").write_bytes(b"clip")
    courier._pending.extend([filed(tmp_path, "head.mp4", 1), fetched("behind.mp4", 2)])
    courier._next_poll_at = 0.0
    courier._poll(courier._client)
    assert [Path(clip.path).name for clip in courier.landed] == ["head.mp4"]
    assert courier.requests == ["FETCH_CLIP"]
    assert courier._next_poll_at > time.monotonic()


def test_a_head_whose_pace_is_unknown_is_first_asked_about_after_two_poll_intervals(courier, tmp_path):
    """Before the farm's pace is known the asks double from 2 × poll_interval (one at
    poll_interval never found a clip on the farms measured); once it is known, the head is due
    when the pace says, poll_interval at the soonest."""
    courier._pending.append(filed(tmp_path, "first.mp4", 1))
    since = time.monotonic()
    courier._expect_head(since)
    assert courier._next_poll_at == pytest.approx(since + 2 * POLL_INTERVAL)
    courier._seconds_per_frame = 0.001
    courier._expect_head(since)
    assert courier._next_poll_at == pytest.approx(since + POLL_INTERVAL)


def test_a_head_with_few_frames_rendered_is_asked_about_again_after_no_longer_than_it_has_waited(courier, tmp_path):
    """Its first frames' rate includes the farm setting the clip up (a 16-env scene's first frame
    2 s in said 58 s to go): the next ask comes at most as long after as the clip has been at the
    head, so a clip lands at most about twice its render time after it got there."""
    courier._pending.append(filed(tmp_path, "slow.mp4", 1))
    courier._expect_head(time.monotonic() - 2.0)
    courier._expect_rest({"frames_done": 1}, 30)
    assert courier._next_poll_at - time.monotonic() <= 2.0 + 1e-3
