"""renderfarm.gymnasium.vector.RecordVideo on an AsyncVectorEnv: poses gathered from the worker
processes (``call("state_vector")``, kinematics on the courier) are the poses MuJoCo computes for the
same states in this process, and the wrapper records as it does a SyncVectorEnv, through a real farm."""

from __future__ import annotations

import gymnasium as gym
import numpy as np

from frames import ffprobe_frames
from renderfarm.gymnasium import vector as farm_vector
from renderfarm.gymnasium.mujoco_capture import ClipFrames, WorkerCapture
from renderfarm.scene import mujoco_body_poses, place_body_q
from test_recordvideo_gymnasium import drive_vector

ENV_ID, NUM_ENVS, SEED = "Ant-v5", 3, 5


def test_worker_poses_are_mujocos_for_the_same_states():
    async_envs = gym.make_vec(ENV_ID, num_envs=NUM_ENVS, vectorization_mode="async")
    sync_envs = gym.make_vec(ENV_ID, num_envs=NUM_ENVS, vectorization_mode="sync")
    try:
        model = sync_envs.unwrapped.envs[0].unwrapped.model
        capture = WorkerCapture(model, async_envs.unwrapped, NUM_ENVS, step_dt=0.05, env_spacing=4.0)
        async_envs.reset(seed=SEED)
        sync_envs.reset(seed=SEED)
        frames, expected = ClipFrames(capture.frame_shape, 6), []
        for step in range(6):
            actions = sync_envs.action_space.sample()
            async_envs.step(actions)
            sync_envs.step(actions)
            capture.snapshot_into(frames.next_frame())
            expected.append([mujoco_body_poses(env.unwrapped.model, env.unwrapped.data)
                             for env in sync_envs.unwrapped.envs])
        np.testing.assert_allclose(capture.body_q(frames.frames()), place_body_q(np.array(expected), capture.origins),
                                   atol=1e-9)
    finally:
        async_envs.close()
        sync_envs.close()


def test_an_async_vector_env_records_as_a_sync_one_does(local_farm, tmp_path):  # noqa: F811
    traces, landed = {}, {}
    for mode in ("sync", "async"):
        clips = landed.setdefault(mode, [])
        envs = farm_vector.RecordVideo(
            gym.make_vec("InvertedPendulum-v5", num_envs=2, vectorization_mode=mode), str(tmp_path / mode),
            step_trigger=lambda s: s % 20 == 0, video_length=8, endpoint=local_farm.client_endpoint,
            width=64, height=64,
            on_clip=lambda path, first, frames, clips=clips: clips.append((path.rsplit("/", 1)[1], first, frames)))
        traces[mode] = drive_vector(envs, 45, gym.vector.AutoresetMode.NEXT_STEP)
        assert envs.close(timeout=120) == []
    assert traces["async"] == traces["sync"]
    assert sorted(landed["async"]) == sorted(landed["sync"]) == [
        ("rl-video-step-0.mp4", 0, 8), ("rl-video-step-20.mp4", 20, 8), ("rl-video-step-40.mp4", 40, 5)]
    for name, _, frames in landed["async"]:
        assert ffprobe_frames(tmp_path / "async" / name) == (frames, 64, 64)
