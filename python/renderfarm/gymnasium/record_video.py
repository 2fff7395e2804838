"""renderfarm.gymnasium.RecordVideo: gymnasium.wrappers.RecordVideo's arguments and file names,
with the clips rendered by the farm instead of ``env.render()`` + moviepy on the training thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, SupportsFloat

import gymnasium as gym

from ..client.courier import OnClip
from .mujoco_capture import MujocoCapture, free_camera, mujoco_env
from .recorder import ClipRecorder, FarmRecording

DEFAULT_PRESETS = ("newton_mjwarp",)


def camera_job(model, renderer, eye, lookat) -> tuple[dict[str, Any], int | None]:
    """SUBMIT camera fields and the body to track, if any: explicit eye/lookat win (the other taken
    from MuJoCo's free camera with the env's ``default_camera_config``); else that free camera; a
    config that tracks a body (``trackbodyid``) leaves the camera to each clip's start."""
    config = dict(getattr(renderer, "default_cam_config", None) or {})
    default_eye, default_lookat = free_camera(model, config)
    track = config.get("trackbodyid")
    if eye is None and lookat is None and track is not None and int(track) >= 0:
        return {}, int(track)
    return {"eye": list(eye if eye is not None else default_eye),
            "lookat": list(lookat if lookat is not None else default_lookat)}, None


def render_size(env, width: int | None, height: int | None) -> tuple[int, int]:
    inner = env.unwrapped
    return (int(width or getattr(inner, "width", 0) or 640), int(height or getattr(inner, "height", 0) or 480))


class RecordVideo(FarmRecording, gym.Wrapper, gym.utils.RecordConstructorArgs):
    """Drop-in for ``gymnasium.wrappers.RecordVideo`` (gymnasium 1.4) on MuJoCo envs.

    Same arguments and files (``{name_prefix}-step-{S}.mp4``, ``{name_prefix}-episode-{E}.mp4``;
    clips of exactly ``video_length`` frames). It never calls ``env.render()``: each recorded step
    copies the body state, and a background thread submits each clip to the farm as soon as its last
    step is recorded, then files or fetches it into ``video_folder``. The training loop never waits
    on the farm; clips the farm cannot take are logged and counted in ``dropped_clips``.

    Farm-only keyword arguments: ``endpoint`` (else ``FARM_COORDINATOR``, else configs/farm.yaml),
    ``on_clip(path, first_step, frames)`` called as each clip lands, ``close_timeout`` (seconds
    ``close()`` waits for outstanding clips), ``eye``/``lookat`` (camera override), ``width``/
    ``height`` (default: the env's render size), ``presets`` (the farm's backend presets),
    ``queue_size`` (clips waiting for the farm before new ones are dropped), ``submit_timeout``.
    ``disable_logger`` and ``gc_trigger`` are accepted for compatibility and have nothing to act on
    (no moviepy, no frames held).
    """

    def __init__(self, env: gym.Env, video_folder: str, episode_trigger: Callable[[int], bool] | None = None,
                 step_trigger: Callable[[int], bool] | None = None, video_length: int = 0,
                 name_prefix: str = "rl-video", fps: int | None = None, disable_logger: bool = True,
                 gc_trigger: Callable[[int], bool] | None = None, *, endpoint: str | None = None,
                 on_clip: OnClip | None = None, close_timeout: float = 120.0,
                 eye: Sequence[float] | None = None, lookat: Sequence[float] | None = None,
                 width: int | None = None, height: int | None = None, presets: Sequence[str] = DEFAULT_PRESETS,
                 queue_size: int = 8, submit_timeout: float = 5.0):
        gym.utils.RecordConstructorArgs.__init__(
            self, video_folder=video_folder, episode_trigger=episode_trigger, step_trigger=step_trigger,
            video_length=video_length, name_prefix=name_prefix, fps=fps, disable_logger=disable_logger)
        gym.Wrapper.__init__(self, env)
        model, data = mujoco_env(env)
        capture = MujocoCapture(model, [data])
        camera, track = camera_job(model, getattr(env.unwrapped, "mujoco_renderer", None), eye, lookat)
        self.close_timeout = close_timeout
        self.frames_per_sec = fps if fps is not None else self.metadata.get("render_fps", 30)
        size = render_size(env, width, height)
        self._recorder = ClipRecorder(
            capture, video_folder, episode_trigger=episode_trigger, step_trigger=step_trigger,
            video_length=video_length, name_prefix=name_prefix, fps=self.frames_per_sec,
            env_id=env.spec.id if env.spec else type(env.unwrapped).__name__, endpoint=endpoint, on_clip=on_clip,
            camera=camera, presets=tuple(presets), width=size[0], height=size[1], queue_size=queue_size,
            submit_timeout=submit_timeout,
            camera_for_clip=None if track is None else tracking_camera(model, data, env, track))
        self.video_folder = str(self._recorder.video_folder)
        self.name_prefix = name_prefix
        self.video_length = self._recorder.video_length
        self.missing_clips: list[str] = []

    @property
    def step_id(self) -> int:
        return self._recorder.step_id

    @property
    def episode_id(self) -> int:
        return self._recorder.episode_id

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        obs, info = super().reset(seed=seed, options=options)
        self._recorder.on_reset()
        return obs, info

    def step(self, action) -> tuple[Any, SupportsFloat, bool, bool, dict[str, Any]]:
        obs, reward, terminated, truncated, info = self.env.step(action)
        self._recorder.on_step()
        return obs, reward, terminated, truncated, info


def tracking_camera(model, data, env, body: int) -> Callable[[], dict[str, Any]]:
    """Per clip: MuJoCo's tracking camera aims at the body's subtree centre of mass; the farm's clip
    camera is fixed, so it aims where the body is when the clip starts (a short clip stays framed)."""
    config = dict(getattr(env.unwrapped.mujoco_renderer, "default_cam_config", None) or {})

    def camera() -> dict[str, Any]:
        eye, lookat = free_camera(model, config, lookat_override=data.subtree_com[body])
        return {"eye": list(eye), "lookat": list(lookat)}

    return camera
