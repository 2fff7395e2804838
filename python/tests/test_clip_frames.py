"""A recorded step copies MuJoCo's poses into the clip's one array (ClipFrames), in place."""

from __future__ import annotations

import gymnasium as gym
import numpy as np

from renderfarm.gymnasium.mujoco_capture import ClipFrames, MujocoCapture, mujoco_env
from renderfarm.scene import mujoco_body_poses


def test_a_clip_outgrowing_its_array_keeps_every_frame_in_order() -> None:
    frames = ClipFrames((2, 7), capacity=3)
    for step in range(10):
        frames.next_frame()[:] = step
    assert frames.frames().shape == (10, 2, 7)
    np.testing.assert_array_equal(frames.frames()[:, 0, 0], np.arange(10))


def test_each_frame_holds_the_poses_mujoco_computed_for_its_step() -> None:
    env = gym.make("Ant-v5")
    env.reset(seed=0)
    env.action_space.seed(0)
    model, data = mujoco_env(env)
    capture = MujocoCapture(model, [data], step_dt=0.05)
    frames, expected = ClipFrames(capture.frame_shape, capacity=4), []
    for _ in range(4):
        env.step(env.action_space.sample())
        capture.snapshot_into(frames.next_frame())
        expected.append(mujoco_body_poses(model, data, kinematics=False))
    np.testing.assert_array_equal(capture.body_q(frames.frames()), np.array(expected))
    env.close()
