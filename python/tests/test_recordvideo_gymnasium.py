"""The farm's RecordVideo wrappers behave as gymnasium 1.4's, step by step, on a real MuJoCo env.

The behaviours gymnasium's own suites (tests/wrappers/test_record_video.py and
tests/wrappers/vector/test_record_video.py) exercise, on InvertedPendulum-v5 instead of
CartPole-v1: each scenario drives gymnasium's RecordVideo and the farm's through the same seeded
loop, and the two must agree after every step and reset on ``episode_id``, ``step_id`` and
``recording`` (``has_autoreset`` too for vector envs), on the files written, and on each clip's frames:
the farm's hold what gymnasium's captured, up to ``video_length`` (gymnasium holds one more before
it stops; the farm writes exactly ``video_length``, configs/README.md). The farm's clips come from a
real local farm and are counted by decoding them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gymnasium as gym
import pytest
from gymnasium.vector import AutoresetMode

from frames import ffprobe_frames
from renderfarm.farm import free_endpoint
from renderfarm.gymnasium import RecordVideo, capped_cubic_video_schedule
from renderfarm.gymnasium import vector as farm_vector

ENV_ID = "InvertedPendulum-v5"
SIZE = dict(width=64, height=64)
SEED = 123
# Short episodes hand over clips faster than the courier submits them on two shared cores: room for all.
QUEUE = dict(queue_size=64)


class HeldFrames:
    """Mixed into gymnasium's wrappers: notes how many frames each clip held when it stopped."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.held: dict[str, int] = {}

    def stop_recording(self):
        self.held[f"{self._video_name}.mp4"] = len(self.recorded_frames)
        super().stop_recording()


class GymnasiumRecordVideo(HeldFrames, gym.wrappers.RecordVideo):
    pass


class GymnasiumVectorRecordVideo(HeldFrames, gym.wrappers.vector.RecordVideo):
    pass


def state(env) -> tuple:
    return env.episode_id, env.step_id, env.recording


def drive(env, steps: int) -> list[tuple]:
    """gymnasium's test loop: seeded reset and actions, reset when an episode ends; the wrapper's
    state after the first reset and after every step and reset."""
    env.reset(seed=SEED)
    env.action_space.seed(SEED)
    trace = [state(env)]
    for _ in range(steps):
        _, _, terminated, truncated, _ = env.step(env.action_space.sample())
        trace.append(state(env))
        if terminated or truncated:
            env.reset()
            trace.append(state(env))
    return trace


@dataclass
class Scenario:
    name: str
    steps: int
    triggers: dict[str, Any] = field(default_factory=dict)
    max_episode_steps: int | None = None


SCENARIOS = [
    # The default trigger (capped cubic over episodes), whole episodes.
    Scenario("default-trigger", 199),
    # A clip every 100 steps, each running to the next reset (20-step episodes).
    Scenario("step-trigger", 199, dict(step_trigger=lambda s: s % 100 == 0), max_episode_steps=20),
    # Both triggers, a folder and a prefix: clips cut each other short.
    Scenario("both-triggers", 100, dict(episode_trigger=lambda e: e in (1, 4), step_trigger=lambda s: s in (0, 25),
                                        name_prefix="video-prefix")),
    # Fixed-length clips that span resets.
    Scenario("video-length-across-resets", 60, dict(step_trigger=lambda s: s % 20 == 0, video_length=12)),
    # Fixed-length episode clips: the reset after a full clip ends it.
    Scenario("episode-clips-of-3", 40, dict(episode_trigger=lambda e: True, video_length=3)),
]


def make_env(max_episode_steps: int | None = None) -> gym.Env:
    return gym.make(ENV_ID, render_mode="rgb_array", max_episode_steps=max_episode_steps, **SIZE)


def assert_same_attributes(farm_env, gymnasium_env, *extra: str) -> None:
    """The triggers, length and prefix as gymnasium's wrapper holds them. The default episode trigger
    is the farm's copy of gymnasium's (gymnasium's module needs moviepy): the same schedule."""
    for attribute in ("step_trigger", "video_length", "name_prefix", *extra):
        assert getattr(farm_env, attribute) == getattr(gymnasium_env, attribute), attribute
    if farm_env.episode_trigger is capped_cubic_video_schedule:
        assert [farm_env.episode_trigger(e) for e in range(3001)] == [gymnasium_env.episode_trigger(e)
                                                                       for e in range(3001)]
    else:
        assert farm_env.episode_trigger is gymnasium_env.episode_trigger


def assert_same_clips(gymnasium_env, farm_env, gymnasium_folder: Path, farm_folder: Path, landed: list) -> None:
    """The same files; each farm clip holds gymnasium's frames up to video_length, decoded."""
    assert sorted(p.name for p in farm_folder.iterdir()) == sorted(p.name for p in gymnasium_folder.iterdir())
    expected = {name: min(held, farm_env.video_length) for name, held in gymnasium_env.held.items() if held}
    assert {Path(path).name: frames for path, _, frames in landed} == expected
    for name, frames in expected.items():
        assert ffprobe_frames(farm_folder / name)[0] == frames, name


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_single_env_recording_matches_gymnasium_step_by_step(scenario: Scenario, local_farm, tmp_path):
    gymnasium_env = GymnasiumRecordVideo(make_env(scenario.max_episode_steps), str(tmp_path / "gymnasium"),
                                         **scenario.triggers)
    landed: list = []
    farm_env = RecordVideo(make_env(scenario.max_episode_steps), str(tmp_path / "farm"), **scenario.triggers,
                           endpoint=local_farm.client_endpoint, on_clip=lambda *clip: landed.append(clip), **QUEUE)
    assert_same_attributes(farm_env, gymnasium_env, "frames_per_sec", "disable_logger")
    assert farm_env.video_folder == str(tmp_path / "farm")

    assert drive(farm_env, scenario.steps) == drive(gymnasium_env, scenario.steps)
    gymnasium_env.close()
    assert farm_env.close(timeout=120) == []
    assert_same_clips(gymnasium_env, farm_env, tmp_path / "gymnasium", tmp_path / "farm", landed)


def test_the_default_trigger_records_the_cubic_episodes(local_farm, tmp_path):
    env = RecordVideo(make_env(), str(tmp_path), endpoint=local_farm.client_endpoint)
    drive(env, 199)
    assert env.close(timeout=120) == []
    expected = {f"rl-video-episode-{e}.mp4" for e in range(env.episode_id + 1) if env.episode_trigger(e)}
    assert {p.name for p in tmp_path.iterdir()} == expected and len(expected) == 4


def test_a_fixed_length_clip_records_until_the_step_after_its_last_frame(local_farm, tmp_path):
    env = RecordVideo(make_env(), str(tmp_path), step_trigger=lambda s: s == 0, video_length=10,
                      endpoint=local_farm.client_endpoint)
    obs, info = env.reset(seed=SEED)
    assert env.observation_space.contains(obs) and isinstance(info, dict)
    env.action_space.seed(SEED)
    for _ in range(10):
        env.step(env.action_space.sample())
    assert env.recording, "gymnasium's is still recording with video_length frames held"
    env.step(env.action_space.sample())
    assert not env.recording
    assert env.close(timeout=120) == []
    assert [ffprobe_frames(p)[0] for p in tmp_path.iterdir()] == [10]


def test_start_and_stop_recording_by_hand(local_farm, tmp_path):
    env = RecordVideo(make_env(), str(tmp_path), step_trigger=lambda s: False, endpoint=local_farm.client_endpoint)
    env.reset(seed=SEED)
    env.start_recording("by-hand")
    for _ in range(3):
        env.step(env.action_space.sample())
    env.stop_recording()
    assert not env.recording
    with pytest.raises(AssertionError, match="no recording was started"):
        env.stop_recording()
    assert env.close(timeout=120) == []
    assert ffprobe_frames(tmp_path / "by-hand.mp4")[0] == 3


def test_rgb_array_list_frames_still_reach_the_caller(local_farm, tmp_path):
    """The farm never calls env.render(), so the env's own frame list is the caller's, as with gymnasium's."""
    env = RecordVideo(gym.make(ENV_ID, render_mode="rgb_array_list", **SIZE), str(tmp_path),
                      endpoint=local_farm.client_endpoint)
    env.reset(seed=SEED)
    for _ in range(10):
        env.step(env.action_space.sample())
    assert len(env.render()) == 11
    assert env.close(timeout=120) == []
    assert ffprobe_frames(tmp_path / "rl-video-episode-0.mp4")[0] == 11


def test_inside_a_vector_env_each_sub_env_records(local_farm, tmp_path):
    def make(index: int, recorder: Callable, folder: Path) -> Callable[[], gym.Env]:
        def thunk() -> gym.Env:
            env = make_env(max_episode_steps=20)
            return recorder(env, str(folder), step_trigger=lambda s: s % 100 == 0) if index == 0 else env
        return thunk

    farm = lambda env, folder, **kw: RecordVideo(env, folder, **kw, endpoint=local_farm.client_endpoint)  # noqa: E731
    names = {}
    for label, recorder in (("gymnasium", gym.wrappers.RecordVideo), ("farm", farm)):
        envs = gym.vector.SyncVectorEnv([make(i, recorder, tmp_path / label) for i in range(2)])
        envs.reset(seed=SEED)
        envs.action_space.seed(SEED)
        for _ in range(199):
            envs.step(envs.action_space.sample())
        envs.close()
        names[label] = sorted(p.name for p in (tmp_path / label).iterdir())
    assert names["farm"] == names["gymnasium"] == ["rl-video-step-0.mp4", "rl-video-step-100.mp4"]


def test_the_env_need_not_render_images_unlike_gymnasiums(local_farm, tmp_path):
    """A deliberate difference: gymnasium's RecordVideo records env.render() and refuses an env that
    does not render images; the farm draws the clip from body poses, so an env made without a
    render_mode (no MuJoCo renderer, no GL context in the trainer) records the same clip."""
    with pytest.raises(ValueError, match="incompatible with RecordVideo"):
        gym.wrappers.RecordVideo(gym.make(ENV_ID), str(tmp_path / "gymnasium"))
    env = RecordVideo(gym.make(ENV_ID, **SIZE), str(tmp_path / "farm"),
                      step_trigger=lambda s: s == 0, video_length=4, endpoint=local_farm.client_endpoint)
    drive(env, 6)
    assert env.close(timeout=120) == []
    assert ffprobe_frames(tmp_path / "farm" / "rl-video-step-0.mp4") == (4, 64, 64)


# Vector envs: gymnasium counts env 0's episodes, whatever the autoreset mode.

VECTOR_SCENARIOS = [
    Scenario("default-trigger", 120),
    Scenario("step-trigger", 120, dict(step_trigger=lambda s: s % 50 == 0, video_length=10)),
    Scenario("both-triggers", 80, dict(episode_trigger=lambda e: e in (1, 4), step_trigger=lambda s: s in (0, 25),
                                       name_prefix="video-prefix")),
    Scenario("episode-clips-of-3", 40, dict(episode_trigger=lambda e: True, video_length=3)),
]


def vector_state(env) -> tuple:
    return env.episode_id, env.step_id, env.recording, bool(env.has_autoreset)


def drive_vector(envs, steps: int, mode: AutoresetMode) -> list[tuple]:
    """Seeded steps; with autoreset disabled, the loop resets the ended sub-envs itself."""
    envs.reset(seed=SEED)
    envs.action_space.seed(SEED)
    trace = [vector_state(envs)]
    for _ in range(steps):
        _, _, terminations, truncations, _ = envs.step(envs.action_space.sample())
        trace.append(vector_state(envs))
        ended = terminations | truncations
        if mode == AutoresetMode.DISABLED and ended.any():
            envs.reset(options={"reset_mask": ended})
            trace.append(vector_state(envs))
    return trace


def make_vector(mode: AutoresetMode, render_mode: str | None = "rgb_array") -> gym.vector.VectorEnv:
    return gym.make_vec(ENV_ID, num_envs=2, vectorization_mode="sync", vector_kwargs={"autoreset_mode": mode},
                        render_mode=render_mode, **SIZE)


@pytest.mark.parametrize("mode", list(AutoresetMode), ids=lambda m: m.name)
@pytest.mark.parametrize("scenario", VECTOR_SCENARIOS, ids=lambda s: s.name)
def test_vector_recording_matches_gymnasium_step_by_step(scenario: Scenario, mode, local_farm, tmp_path):
    gymnasium_envs = GymnasiumVectorRecordVideo(make_vector(mode), str(tmp_path / "gymnasium"), **scenario.triggers)
    landed: list = []
    farm_envs = farm_vector.RecordVideo(make_vector(mode), str(tmp_path / "farm"), **scenario.triggers,
                                        endpoint=local_farm.client_endpoint, on_clip=lambda *clip: landed.append(clip),
                                        **QUEUE)
    assert_same_attributes(farm_envs, gymnasium_envs, "autoreset_mode", "record_first_only", "video_aspect_ratio",
                           "frames_per_sec")

    assert drive_vector(farm_envs, scenario.steps, mode) == drive_vector(gymnasium_envs, scenario.steps, mode)
    gymnasium_envs.close()
    assert farm_envs.close(timeout=120) == []
    assert_same_clips(gymnasium_envs, farm_envs, tmp_path / "gymnasium", tmp_path / "farm", landed)


@pytest.mark.parametrize("mode", [AutoresetMode.NEXT_STEP, AutoresetMode.SAME_STEP], ids=lambda m: m.name)
def test_vector_fixed_length_clip_records_until_the_step_after_its_last_frame(mode, local_farm, tmp_path):
    envs = farm_vector.RecordVideo(make_vector(mode), str(tmp_path), step_trigger=lambda s: s == 0, video_length=10,
                                   endpoint=local_farm.client_endpoint)
    envs.reset(seed=SEED)
    envs.action_space.seed(SEED)
    for _ in range(10):
        envs.step(envs.action_space.sample())
    assert envs.recording
    envs.step(envs.action_space.sample())
    assert not envs.recording
    assert envs.close(timeout=120) == []
    assert [ffprobe_frames(p)[0] for p in tmp_path.iterdir()] == [10]


def test_vector_env_need_not_render_images_unlike_gymnasiums(tmp_path):
    with pytest.raises(ValueError, match="incompatible with RecordVideo"):
        gym.wrappers.vector.RecordVideo(make_vector(AutoresetMode.NEXT_STEP, None), str(tmp_path / "gymnasium"))
    envs = farm_vector.RecordVideo(make_vector(AutoresetMode.NEXT_STEP, None), str(tmp_path / "farm"),
                                   endpoint=free_endpoint())
    assert envs.episode_trigger is capped_cubic_video_schedule
    envs.close(timeout=1)
