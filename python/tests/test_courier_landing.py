"""ClipCourier lands several clips on one wake-up when the farm's pace says they are done within
``max_landing_delay`` of the first of them, through a real local farm (one worker, which renders a
client's clips in submission order)."""

from __future__ import annotations

import os
import subprocess
import threading
import time

import pytest

from conftest import bin_directory
from renderfarm.client import FarmClient
from renderfarm.client.courier import ClipCourier, ClipOrder

JOB = dict(task="Isaac-Cartpole-v0", workflow="rl_games", run="landing", width=160, height=120,
           presets=["newton_mjwarp"], overwrite=True)
LANDING_DELAY = 4.0


@pytest.fixture(scope="module")
def cartpole(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("rollout") / "cartpole.rlt"
    subprocess.run([str(bin_directory() / "farmctl"), "rollout", "--builtin", "cartpole", "--steps", "60",
                    "--num_envs", "2", "--out", str(path)], check=True, capture_output=True)
    return path.read_bytes()


class Landings:
    """The courier's wake-ups that landed clips (how many each) and each clip's landing time."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.per_wakeup: list[int] = []
        self.at: dict[str, float] = {}
        self._count = threading.Condition()
        poll = ClipCourier._poll

        def counted(courier: ClipCourier, client: FarmClient) -> None:
            before = len(courier.landed)
            poll(courier, client)
            if len(courier.landed) > before:
                self.per_wakeup.append(len(courier.landed) - before)

        monkeypatch.setattr(ClipCourier, "_poll", counted)

    def on_clip(self, path: str, first_step: int, frames: int) -> None:
        with self._count:
            self.at[os.path.basename(path)] = time.time()
            self._count.notify_all()

    def wait_for(self, count: int, timeout: float) -> None:
        with self._count:
            assert self._count.wait_for(lambda: len(self.at) >= count, timeout), f"{len(self.at)} of {count} landed"


def test_clips_due_within_the_landing_delay_land_on_one_wake_up(local_farm, cartpole, monkeypatch):
    """Once the farm's pace is known (from the second clip: the worker's first job starts it up), a
    one-frame clip and three 30-frame clips handed over together go as jobs of their own; asked
    about when the short one is due, the long ones would still be rendering and land on wake-ups of
    their own. The courier asks instead when the last of them is due (within ``max_landing_delay``):
    one wake-up lands them all, each within that bound (and the first poll interval) of the farm
    writing it."""
    landings = Landings(monkeypatch)
    # Under the logs root: the coordinator files each clip there, and the courier finds it on disk.
    folder = local_farm.logs_root / "rl_games" / "cartpole" / "landing" / "videos" / "train"
    folder.mkdir(parents=True)
    courier = ClipCourier(folder, JOB, client_factory=lambda: FarmClient(local_farm.client_endpoint),
                          on_clip=landings.on_clip, max_landing_delay=LANDING_DELAY)
    try:
        # The worker's first job starts it up; a job's own cost makes the pace of a 10-frame clip
        # slower per frame than a 30-frame clip's: the long ones are done when the courier expects.
        for count, name in enumerate(("warm-up.mp4", "pace.mp4"), 1):
            courier.send(ClipOrder(name, 0, 10, lambda: cartpole))
            landings.wait_for(count, timeout=60)
        for name, frames in (("short.mp4", 1), ("long-0.mp4", 30), ("long-1.mp4", 30), ("long-2.mp4", 30)):
            courier.send(ClipOrder(name, 0, frames, lambda: cartpole))
        landings.wait_for(6, timeout=120)
    finally:
        assert courier.close(timeout=60) == []
    assert landings.per_wakeup[2:] == [4], "the four handed over together land on one wake-up"
    for name, landed_at in landings.at.items():
        late = landed_at - (folder / name).stat().st_mtime  # when the farm wrote it
        assert late <= LANDING_DELAY + 1.0, f"{name} landed {late:.2f} s after the farm wrote it"
