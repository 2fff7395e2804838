"""renderfarm.gymnasium.RecordVideo on real gymnasium 1.4 MuJoCo envs through a real local farm."""

from __future__ import annotations

import time
from pathlib import Path

import gymnasium as gym
import pytest

from conftest import CONFIGS
from frames import ffprobe_frames
from renderfarm.farm import LocalFarm, free_endpoint
from renderfarm.client import FarmClient
from renderfarm.gymnasium import RecordVideo
from renderfarm.gymnasium import vector as vector_recorders

SIZE = dict(width=160, height=120)


class NoRender(gym.Wrapper):
    """Fails the test if anything calls env.render()."""

    def render(self):
        raise AssertionError("RecordVideo called env.render()")


def run(env, steps: int, seed: int = 0) -> None:
    env.reset(seed=seed)
    env.action_space.seed(seed)
    for _ in range(steps):
        _, _, terminated, truncated, _ = env.step(env.action_space.sample())
        if terminated or truncated:
            env.reset()


def test_ant_step_trigger_clips_have_recordvideos_names_and_lengths(local_farm, tmp_path):
    landed = []
    env = RecordVideo(NoRender(gym.make("Ant-v5")), str(tmp_path / "videos"), step_trigger=lambda s: s % 25 == 0,
                      video_length=10, endpoint=local_farm.client_endpoint,
                      on_clip=lambda path, first, frames: landed.append((Path(path).name, first, frames)), **SIZE)
    run(env, 60)
    assert env.close(timeout=120) == []
    assert sorted(landed) == [("rl-video-step-0.mp4", 0, 10), ("rl-video-step-25.mp4", 25, 10),
                              ("rl-video-step-50.mp4", 50, 10)]
    assert sorted(p.name for p in (tmp_path / "videos").iterdir()) == [f for f, _, _ in sorted(landed)]
    for name, _, frames in landed:
        assert ffprobe_frames(tmp_path / "videos" / name) == (frames, 160, 120)
    assert all(clip.fetched for clip in env.landed_clips), "a folder outside the logs root is fetched into"


def test_a_trigger_cuts_the_clip_in_progress_and_close_flushes_the_last(local_farm, tmp_path):
    env = RecordVideo(gym.make("Ant-v5"), str(tmp_path), step_trigger=lambda s: s in (3, 7), video_length=10,
                      name_prefix="ant", endpoint=local_farm.client_endpoint, **SIZE)
    run(env, 12)
    assert env.recording
    assert env.close(timeout=120) == []
    assert {p.name: ffprobe_frames(p)[0] for p in tmp_path.iterdir()} == {"ant-step-3.mp4": 4, "ant-step-7.mp4": 5}


def test_humanoid_episode_clips_start_with_the_reset_frame(local_farm, tmp_path):
    landed = []
    env = RecordVideo(gym.make("Humanoid-v5"), str(tmp_path), episode_trigger=lambda e: e == 1,
                      endpoint=local_farm.client_endpoint, on_clip=lambda *clip: landed.append(clip), **SIZE)
    env.reset(seed=3)
    lengths, steps = [], 0
    while len(lengths) < 2:
        _, _, terminated, truncated, _ = env.step(env.action_space.sample())
        steps += 1
        if terminated or truncated:
            lengths.append(steps)
            steps = 0
            env.reset()
    assert env.close(timeout=120) == []
    episode_1 = lengths[1]
    assert [(Path(p).name, f, n) for p, f, n in landed] == [("rl-video-episode-1.mp4", lengths[0], 1 + episode_1)]
    assert ffprobe_frames(tmp_path / "rl-video-episode-1.mp4")[0] == 1 + episode_1


def test_a_folder_under_the_logs_root_gets_the_clip_filed_directly(local_farm):
    folder = local_farm.logs_root / "skrl" / "Ant-v5" / "run-7" / "videos" / "train"
    folder.mkdir(parents=True)
    (folder / "rl-video-step-2.mp4").write_bytes(b"an earlier run's file, not this clip")
    env = RecordVideo(gym.make("Ant-v5"), str(folder), step_trigger=lambda s: s == 2, video_length=4,
                      endpoint=local_farm.client_endpoint, **SIZE)
    run(env, 8)
    assert env.close(timeout=120) == []
    assert [clip.fetched for clip in env.landed_clips] == [False]
    assert ffprobe_frames(folder / "rl-video-step-2.mp4")[0] == 4


def test_vector_env_records_every_sub_env_in_one_clip(local_farm, tmp_path):
    envs = gym.make_vec("Ant-v5", num_envs=3, vectorization_mode="sync")
    env = vector_recorders.RecordVideo(envs, str(tmp_path), step_trigger=lambda s: s % 10 == 0, video_length=5,
                                       endpoint=local_farm.client_endpoint, **SIZE)
    env.reset(seed=0)
    for _ in range(15):
        env.step(envs.action_space.sample())
    assert env.close(timeout=120) == []
    assert {p.name: ffprobe_frames(p)[0] for p in tmp_path.iterdir()} == {"rl-video-step-0.mp4": 5,
                                                                          "rl-video-step-10.mp4": 5}


def test_a_vector_env_that_is_neither_sync_nor_async_is_refused_with_the_reason(tmp_path):
    class Unknown(gym.vector.VectorEnv):
        num_envs = 2

    with pytest.raises(TypeError, match="neither a SyncVectorEnv nor an AsyncVectorEnv"):
        vector_recorders.RecordVideo(Unknown(), str(tmp_path), endpoint=free_endpoint())


def test_farm_down_drops_and_counts_without_stalling_the_loop(tmp_path):
    env = RecordVideo(gym.make("Ant-v5"), str(tmp_path), step_trigger=lambda s: s % 5 == 0, video_length=3,
                      endpoint=free_endpoint(), submit_timeout=0.5, queue_size=2, **SIZE)
    env.reset(seed=0)
    slowest = 0.0
    for _ in range(100):
        started = time.monotonic()
        env.step(env.action_space.sample())
        slowest = max(slowest, time.monotonic() - started)
    missing = env.close(timeout=5)
    assert slowest < 0.25, f"a step waited {slowest:.3f} s on the farm"
    assert env.dropped_clips >= 19, "20 clips were recorded; the farm never answered"
    assert len(missing) == 20 and not list(tmp_path.glob("*.mp4"))


def test_close_reports_clips_that_did_not_land_in_time(tmp_path):
    with LocalFarm(tmp_path / "farm", workers=0, config_dir=CONFIGS) as farm:
        env = RecordVideo(gym.make("Ant-v5"), str(tmp_path / "videos"), step_trigger=lambda s: s == 0,
                          video_length=3, endpoint=farm.client_endpoint, **SIZE)
        run(env, 5)
        started = time.monotonic()
        assert env.close(timeout=1.5) == ["rl-video-step-0.mp4"]
        assert time.monotonic() - started < 10
        with FarmClient(farm.client_endpoint) as client:
            assert [job["state"] for job in client.status()] == ["queued"], "submitted, waiting for a worker"


def test_a_clip_costs_a_few_requests_not_a_poll_every_tenth_of_a_second(local_farm, tmp_path, monkeypatch):
    """The courier's CPU is the trainer's (docs/BENCHMARKS.md, trainer): clips handed over while
    others render go to the farm together, and it asks about a clip when the farm's pace says it is
    done, so requests per clip stay few however long the farm takes."""
    commands = []
    request = FarmClient.request
    monkeypatch.setattr(FarmClient, "request", lambda self, command, *a, **k: (commands.append(command),
                                                                                request(self, command, *a, **k))[1])
    env = RecordVideo(gym.make("Ant-v5"), str(tmp_path), step_trigger=lambda s: s % 10 == 0, video_length=5,
                      endpoint=local_farm.client_endpoint, **SIZE)
    run(env, 60)
    started = time.monotonic()
    assert env.close(timeout=120) == []
    waited = time.monotonic() - started
    asks = commands.count("STATUS") + commands.count("FETCH_CLIP")
    assert 1 <= commands.count("SUBMIT") < 6, "the 5 clips handed over while the first rendered go together"
    assert asks <= 3 * 6, f"{asks} STATUS/FETCH_CLIP requests for 6 clips over {waited:.1f} s"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"rl-video-step-{s}.mp4" for s in range(0, 60, 10))


@pytest.mark.parametrize("where", ["filed", "linked", "fetched"])
def test_clips_submitted_together_land_under_their_own_names(local_farm, tmp_path, monkeypatch, where):
    """A batch (one job, one stream per clip, filed under hidden stream names) lands as separate
    clips with gymnasium's names and lengths: renamed where the farm files into the video folder,
    linked from the farm's folder on this machine, or fetched when that folder is not seen here."""
    from renderfarm.client import courier

    if where == "fetched":
        monkeypatch.setattr(courier, "farm_folder", lambda video_dir: None)
    folder = (local_farm.logs_root / "skrl" / "Ant-v5" / f"batch-{where}" / "videos" / "train" if where == "filed"
              else tmp_path / "videos")
    env = RecordVideo(gym.make("Ant-v5"), str(folder), step_trigger=lambda s: s in (0, 5, 9, 20),
                      video_length=6, endpoint=local_farm.client_endpoint, **SIZE)
    run(env, 30)
    assert env.close(timeout=120) == []
    assert {p.name: ffprobe_frames(p)[0] for p in folder.iterdir()} == {
        "rl-video-step-0.mp4": 5, "rl-video-step-5.mp4": 4, "rl-video-step-9.mp4": 6, "rl-video-step-20.mp4": 6}
    assert {clip.fetched for clip in env.landed_clips} == {where != "filed"}


def test_a_coordinator_that_predates_streams_gets_the_clips_one_by_one(local_farm, tmp_path, monkeypatch):
    """A batch needs SUBMIT's streams; a coordinator that ignores them (UnsupportedFieldError, the
    job cancelled) gets that batch's clips, and every later one, as single clip_file jobs."""
    from renderfarm.client import UnsupportedFieldError

    submit = FarmClient.submit

    def without_streams(self, rollout, **job):
        if "streams" in job:
            raise UnsupportedFieldError("the coordinator ignored streams (it predates them)", ["streams"])
        return submit(self, rollout, **job)

    monkeypatch.setattr(FarmClient, "submit", without_streams)
    env = RecordVideo(gym.make("Ant-v5"), str(tmp_path), step_trigger=lambda s: s % 5 == 0, video_length=3,
                      endpoint=local_farm.client_endpoint, **SIZE)
    run(env, 20)
    assert env.close(timeout=120) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"rl-video-step-{s}.mp4" for s in (0, 5, 10, 15))
