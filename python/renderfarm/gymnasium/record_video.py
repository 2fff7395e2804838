"""renderfarm.gymnasium.RecordVideo: gymnasium.wrappers.RecordVideo's arguments, attributes and file
names, with the clips rendered by the farm instead of ``env.render()`` + moviepy on the training thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, SupportsFloat

import gymnasium as gym

from ..client.courier import OnClip
from .camera import env_camera
from .mujoco_capture import MujocoCapture, mujoco_env
from .recorder import DEFAULT_PRESETS, FarmRecording, farm_job, playback_fps, render_size


# close(timeout) returns the clips that did not land, where gymnasium's close returns None.
class RecordVideo(FarmRecording, gym.Wrapper, gym.utils.RecordConstructorArgs):  # type: ignore[misc]
    """Drop-in for ``gymnasium.wrappers.RecordVideo`` (gymnasium 1.4) on MuJoCo envs.

    Same arguments, public attributes and files (``{name_prefix}-step-{S}.mp4``,
    ``{name_prefix}-episode-{E}.mp4``; clips of exactly ``video_length`` frames). It never calls
    ``env.render()``, so any ``render_mode`` is accepted, ``None`` included (gymnasium's raises
    ``ValueError`` unless the env renders images). Each recorded step copies the body poses; a
    background thread submits each clip to the farm once its last step is recorded (clips handed over
    while earlier ones render together, within 1 s), then sees it into ``video_folder``. The training loop never waits on the farm; clips the farm
    cannot take are logged and counted in ``dropped_clips``. The camera is the env's (``camera_id``/
    ``camera_name``, else ``default_camera_config``) and follows a tracked body every frame.

    Farm-only keyword arguments: ``endpoint`` (else ``FARM_COORDINATOR``, else configs/farm.yaml),
    ``on_clip(path, first_step, frames)`` called as each clip lands, ``close_timeout`` (seconds
    ``close()`` waits for outstanding clips), ``eye``/``lookat`` (a camera fixed in the world),
    ``width``/``height`` (default: the env's render size), ``presets`` (the farm's backend presets),
    ``queue_size`` (clips waiting for the farm before new ones are dropped), ``submit_timeout``.
    """

    def __init__(self, env: gym.Env, video_folder: str, episode_trigger: Callable[[int], bool] | None = None,
                 step_trigger: Callable[[int], bool] | None = None, video_length: int = 0,
                 name_prefix: str = "rl-video", fps: int | None = None, disable_logger: bool = True,
                 gc_trigger: Callable[[int], bool] | None = lambda episode: True, *, endpoint: str | None = None,
                 on_clip: OnClip | None = None, close_timeout: float = 120.0,
                 eye: Sequence[float] | None = None, lookat: Sequence[float] | None = None,
                 width: int | None = None, height: int | None = None, presets: Sequence[str] = DEFAULT_PRESETS,
                 queue_size: int = 8, submit_timeout: float = 5.0):
        gym.utils.RecordConstructorArgs.__init__(
            self, video_folder=video_folder, episode_trigger=episode_trigger, step_trigger=step_trigger,
            video_length=video_length, name_prefix=name_prefix, fps=fps, disable_logger=disable_logger,
            gc_trigger=gc_trigger)
        gym.Wrapper.__init__(self, env)
        model, data = mujoco_env(env)
        camera = env_camera(env, model, eye, lookat)
        frames_per_sec = playback_fps(self, fps)
        capture = MujocoCapture(model, [data], step_dt=1.0 / frames_per_sec, camera=camera)
        size = render_size(env, width, height)
        # A followed camera is the rollout's viewer (offsets from its target); a fixed one is SUBMIT's.
        placement = {} if camera.target is not None else {"eye": list(camera.eye), "lookat": list(camera.lookat)}
        self._init_recording(
            capture, video_folder, episode_trigger=episode_trigger, step_trigger=step_trigger,
            video_length=video_length, name_prefix=name_prefix, fps=frames_per_sec, disable_logger=disable_logger,
            gc_trigger=gc_trigger, env_id=env.spec.id if env.spec else type(env.unwrapped).__name__,
            job=farm_job(presets, size, placement),
            endpoint=endpoint, on_clip=on_clip, close_timeout=close_timeout, queue_size=queue_size,
            submit_timeout=submit_timeout)

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[Any, dict[str, Any]]:
        obs, info = super().reset(seed=seed, options=options)
        self._new_episode()
        if self.recording:
            self._capture_frame(self.step_id + 1)
        return obs, info

    def step(self, action: Any) -> tuple[Any, SupportsFloat, bool, bool, dict[str, Any]]:
        obs, reward, terminated, truncated, info = self.env.step(action)
        self._after_step()
        return obs, reward, terminated, truncated, info
